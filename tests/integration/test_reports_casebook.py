"""Patient casebook and AE listing, from a small clinical demo trial."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from ctrial_desktop.cli import main
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.reports.ae_listing import AeRow, collect_ae_listing, worst_grades
from ctrial_desktop.reports.casebook import (
    build_casebook,
    collect_casebook,
    lab_grade,
    value_text,
)
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.forms import ValueKey
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.services.review import ReviewService
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study import StudyDefinition, load_study
from tests.unit.reports.pdf_helpers import outline_titles, pages_text


@dataclasses.dataclass
class Trial:
    db: Database
    url: str
    dm: Actor
    study: StudyDefinition
    patients: list[PatientRow]


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trial]:
    path = tmp_path_factory.mktemp("casebook") / "trial.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    build_demo(db, patients=3, sites=1, clinical=True)
    dm = AuthService(db).login("dm", DEMO_PASSWORD)
    yield Trial(db, url, dm, load_study(forms_dir()), PatientService(db, dm).list_patients())
    db.dispose()


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _watermarked(page: str, word: str = "DRAFT") -> bool:
    """The watermark is drawn first on a page: its word is the first line of the text."""
    return page.split("\n", 1)[0] == word


def _signed_patient(trial: Trial) -> PatientRow:
    for row in trial.patients:
        data = collect_casebook(trial.db, trial.dm, trial.study, row.id)
        if any(f.validly_signed for f in data.forms):
            return row
    raise AssertionError("the demo signs some forms")


def test_casebook_of_one_patient(trial: Trial, capsys: pytest.CaptureFixture[str],
                                 tmp_path: Path) -> None:
    row = _signed_patient(trial)
    data = collect_casebook(trial.db, trial.dm, trial.study, row.id)
    out = tmp_path / "casebook.pdf"
    code, stdout, err = _run(capsys, "--db", trial.url, "report", "casebook", "--patient",
                             row.patient_number, "--user", "dm", "--out", str(out))
    assert (code, err) == (0, "")
    texts = pages_text(out)
    assert stdout == f"casebook: {out} ({len(texts)} pages)\n"
    for number, page in enumerate(texts, start=1):
        assert f"page {number} of {len(texts)}" in page
        assert f"IFM 2009-02 · Site 01 {data.site_name} · Patient {row.patient_number}" in page
    cover = texts[0]
    assert data.randomization is not None
    assert data.randomization.number in cover and row.initials in cover
    assert not _watermarked(cover)
    joined = "\n".join(texts)
    consent = next(f for f in data.forms if f.snapshot.form_oid == "F.IC")
    consent_date = consent.snapshot.values[ValueKey("IG.IC.MAIN", 1, "I.IC.DAT")]
    y, m, d = consent_date.split("-")
    assert f"{d}/{m}/{y}" in joined
    assert "Informed consent (1.0)" in joined
    signed = [f for f in data.forms if f.validly_signed]
    for entry in signed:
        name = entry.signatures[0].printed_name
        pages = [p for p in texts if name in p and "valid" in p]
        assert pages and not any(_watermarked(p) for p in pages)
    unsigned_pages = [p for p in texts if "Not signed." in p]
    assert unsigned_pages and all(_watermarked(p) for p in unsigned_pages)
    titles = outline_titles(out)
    assert titles[0] == f"Patient {row.patient_number}"
    assert "Screening" in titles and "Appendix: audit trail" in titles
    assert "Screening · Informed consent" in titles
    assert len([t for t in titles if " · " in t]) == len(data.forms)
    assert data.audit
    shown = [e for e in data.audit if not (e.item == "active" and e.action == "INSERT")]
    assert shown and f"\n{shown[-1].seq}\n" in texts[-1]
    assert any(e.item == "active" and e.action == "INSERT" for e in data.audit)


def test_casebook_prints_each_blood_count_of_a_cycle_with_its_day(
        trial: Trial, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    row = next(r for r in trial.patients if r.arm is not None)
    data = collect_casebook(trial.db, trial.dm, trial.study, row.id)
    counts = [(f.snapshot.event_repeat, f.snapshot.visit_day) for f in data.forms
              if f.snapshot.form_oid == "F.HEM" and f.snapshot.event_oid == "SE.CYCLE"]
    assert counts[:4] == [(1, 1), (1, 8), (1, 15), (1, 22)]
    for language, day8 in (("en", "Cycle 1 · Haematology · day 8"),
                           ("fr", "Cycle 1 · Hématologie · J8")):
        out = tmp_path / f"casebook-{language}.pdf"
        code, _out, err = _run(capsys, "--db", trial.url, "report", "casebook", "--patient",
                               row.patient_number, "--user", "dm", "--out", str(out),
                               "--language", language)
        assert (code, err) == (0, "")
        titles = outline_titles(out)
        assert day8 in titles
        assert len([t for t in titles if " · " in t]) == len(data.forms)
    day15 = next(f for f in data.forms if f.snapshot.form_oid == "F.HEM"
                 and f.snapshot.event_oid == "SE.CYCLE" and f.snapshot.visit_day == 15)
    sample = day15.snapshot.values[ValueKey("IG.HEM.MAIN", 1, "I.HEM.DAT")]
    out = tmp_path / "form.pdf"
    code, _out, err = _run(capsys, "--db", trial.url, "report", "form", "--patient",
                           row.patient_number, "--event", "SE.CYCLE", "--repeat", "1",
                           "--day", "15", "--form", "F.HEM", "--user", "dm", "--out", str(out))
    assert (code, err) == (0, "")
    text = "\n".join(pages_text(out))
    y, m, d = sample.split("-")
    assert "Haematology · day 15" in text and f"{d}/{m}/{y}" in text


def test_casebook_grades_lab_values_and_flags_a_broken_signature(
        trial: Trial, tmp_path: Path) -> None:
    row = _signed_patient(trial)
    data = collect_casebook(trial.db, trial.dm, trial.study, row.id)
    index = next(i for i, f in enumerate(data.forms) if f.validly_signed)
    entry = data.forms[index]
    broken = dataclasses.replace(entry, signatures=tuple(
        dataclasses.replace(s, valid=False) for s in entry.signatures))
    hem = next(f for f in data.forms if f.snapshot.form_oid == "F.HEM")
    consent = next(f for f in data.forms if f.snapshot.form_oid == "F.IC")
    forms = (consent, broken, hem)
    out = tmp_path / "broken.pdf"
    build_casebook(trial.study, dataclasses.replace(data, forms=forms, audit=()), out,
                   printed_by="dm", language="fr")
    texts = pages_text(out)
    assert "ROMPUE" in texts[0] and not _watermarked(texts[0], "BROUILLON")
    pages = [p for p in texts if "ROMPUE" in p and "Signification" in p]
    assert pages and all(_watermarked(p, "BROUILLON") for p in pages)
    assert "page 1 sur" in texts[0]
    key = ValueKey("IG.HEM.MAIN", 1, "I.HEM.ANC")
    grade = lab_grade(key, hem.snapshot.values, "4.03")
    assert grade is not None
    anc = hem.snapshot.values[key].replace(".", ",")
    hem_page = next(p for p in texts if "Hématologie (1.0)" in p)
    assert f"Polynucléaires neutrophiles (10^9/L)\n{anc}\n{grade}" in hem_page


def test_french_casebook_has_decimal_commas_french_units_and_query_words(
        trial: Trial, tmp_path: Path) -> None:
    row = trial.patients[0]
    data = collect_casebook(trial.db, trial.dm, trial.study, row.id)
    out = tmp_path / "fr.pdf"
    build_casebook(trial.study, data, out, printed_by="dm", language="fr")
    text = "\n".join(pages_text(out))
    flat = " ".join(text.split())
    assert "Centre 01" in flat and "Site 01" not in flat
    assert "Statut du formulaire : " in flat and "Statut du formulaire:" not in flat
    bmi = next(f for f in data.forms if f.snapshot.form_oid == "F.DM").snapshot.values[
        ValueKey("IG.DM.MAIN", 1, "I.DM.BMI")]
    assert "." in bmi and f"(kg/m²) {bmi.replace('.', ',')}" in flat
    assert "Âge à la sélection (ans)" in flat and "(years)" not in flat
    assert "(capsules)" not in flat and "(gélules)" in flat
    # the audit appendix names the reasons the application writes in French
    assert "formulaire enregistré pour la première fois" in flat
    assert "form first saved" not in flat and "recomputed from its inputs" not in flat
    assert " saved " not in flat and "Pomalidomide administration" not in flat
    queries = [q for f in data.forms for q in f.queries]
    if queries:
        assert " · close · " in flat or " · ouverte · " in flat or " · répondue · " in flat
        for english in (" raise ", " answer ", " closed "):
            assert english not in flat, english


def test_lab_grade_and_values() -> None:
    study = load_study(forms_dir())
    values = {ValueKey("G", 1, "I.HEM.ANC"): "0.4", ValueKey("G", 1, "I.HEM.ANC_LLN"): "1.8",
              ValueKey("G", 1, "I.HEM.PLT"): "200", ValueKey("G", 1, "I.HEM.PLT_LLN"): "150",
              ValueKey("G", 1, "I.CHEM.CA"): "2.8", ValueKey("G", 1, "I.CHEM.CA_ULN"): "2.6",
              ValueKey("G", 1, "I.CHEM.ALB"): "20", ValueKey("G", 1, "I.HEM.HGB"): "x"}
    assert lab_grade(ValueKey("G", 1, "I.HEM.ANC"), values, "4.03") == 4
    assert lab_grade(ValueKey("G", 1, "I.HEM.PLT"), values, "4.03") == 0
    # corrected calcium 2.8 + 0.02 x (40 - 20) = 3.2 mmol/L: grade 3 (> 3.1 - 3.4)
    assert lab_grade(ValueKey("G", 1, "I.CHEM.CA"), values, "4.03") == 3
    assert lab_grade(ValueKey("G", 1, "I.HEM.HGB"), values, "4.03") is None
    assert lab_grade(ValueKey("G", 1, "I.HEM.DAT"), values, "4.03") is None
    grade = study.item("I.AE.GRADE")
    serious = study.item("I.AE.SERIOUS")
    term = study.item("I.AE.TERM")
    assert value_text(study, serious, "Y", "fr") == "Oui"
    assert value_text(study, term, "10029366") == "Neutrophil count decreased (10029366)"
    assert value_text(study, grade, None) == ""
    assert value_text(study, study.item("I.IC.DAT"), "2010-03-13") == "13/03/2010"
    # computed values have the decimal comma in French too
    assert value_text(study, study.item("I.DM.BMI"), "32.8", "fr") == "32,8"
    assert value_text(study, study.item("I.DM.BMI"), "32.8") == "32.8"


def test_casebooks_of_every_patient_into_a_folder(trial: Trial,
                                                  capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    folder = tmp_path / "books"
    args = ("--db", trial.url, "report", "casebook", "--user", "dm", "--out", str(folder))
    code, stdout, err = _run(capsys, *args)
    assert (code, err) == (0, "")
    files = sorted(folder.iterdir())
    assert [f.name for f in files] == [f"casebook-{p.patient_number}.pdf"
                                       for p in trial.patients]
    assert stdout.splitlines()[-1] == f"casebook: 3 patients in {folder}"
    queries = ReviewService(trial.db, trial.dm).list_queries()
    assert queries
    for row, path in zip(trial.patients, files, strict=True):
        text = "\n".join(pages_text(path))
        assert f"Patient {row.patient_number}" in text
        assert f"casebook: {path} ({len(PdfReader(path).pages)} pages)" in stdout
        for query in queries:
            if query.patient_id == row.id:
                assert query.messages[0].text.split()[0] in text
                assert f"#{query.id} · {query.status}" in text
    code, _out, err = _run(capsys, *args)
    assert code == 2 and "already exists" in err and err.count("\n") == 1
    code, _out, err = _run(capsys, "--db", trial.url, "report", "casebook", "--out",
                           str(tmp_path / "x"))
    assert code == 2 and "--user" in err


def test_ae_listing(trial: Trial, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = collect_ae_listing(trial.db, trial.dm, trial.study)
    assert data.rows and sum(data.arm_patients.values()) == 3
    out = tmp_path / "ae.pdf"
    code, stdout, err = _run(capsys, "--db", trial.url, "report", "ae-listing", "--user",
                             "dm", "--out", str(out))
    assert (code, err) == (0, "")
    texts = pages_text(out)
    assert stdout == f"ae-listing: {out} ({len(texts)} page{'s' if len(texts) > 1 else ''})\n"
    joined = "\n".join(texts)
    for row in data.rows:
        assert row.patient_number in joined and row.term in joined
    assert outline_titles(out) == ["Adverse events by patient",
                                   "Patients by term and worst grade",
                                   "Patients by arm, term and worst grade"]
    for arm, count in data.arm_patients.items():
        assert f"{arm} (N={count})" in joined.replace("\n", " ")
    by_term = joined[joined.index("Patients by term"):joined.index("Patients by arm")]
    for term in {r.term for r in data.rows}:
        worst: dict[str, int] = {}
        for r in data.rows:
            if r.term == term and r.grade is not None:
                worst[r.patient_number] = max(worst.get(r.patient_number, 0), r.grade)
        per_grade = [sum(g == grade for g in worst.values()) for grade in range(1, 6)]
        events = sum(r.term == term for r in data.rows)
        line = "\n".join([term, *map(str, per_grade), str(len(worst)), str(events)])
        assert f"{line}\n" in by_term


def test_worst_grades_count_a_patient_once_per_term() -> None:
    def row(patient: str, term: str, grade: int | None, arm: str = "A · POM21") -> AeRow:
        return AeRow(patient, arm, term, grade, None, "", "", "", "")

    rows = [row("01-001", "Anemia", 1), row("01-001", "Anemia", 3),
            row("01-001", "Fatigue", None), row("01-002", "Anemia", 2, "B · POM28")]
    assert worst_grades(rows) == {("A · POM21", "01-001", "Anemia"): 3,
                                  ("B · POM28", "01-002", "Anemia"): 2}


def test_ae_listing_in_a_subprocess(trial: Trial, tmp_path: Path) -> None:
    out = tmp_path / "ae-fr.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "ctrial_desktop.cli", "--db", trial.url, "report", "ae-listing",
         "--user", "dm", "--language", "fr", "--site", "01", "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    text = "\n".join(pages_text(out))
    assert "Liste des événements indésirables" in text and "page 1 sur" in text
    words = text.split()
    assert "pomalidomide" in words and "Événements" in words  # French headers unbroken
    assert "Centre 01" in " ".join(words) and "Site 01" not in " ".join(words)


def test_casebook_without_audit_access(trial: Trial, tmp_path: Path) -> None:
    coordinator = AuthService(trial.db).login("coord01", DEMO_PASSWORD)
    row = trial.patients[0]
    data = collect_casebook(trial.db, coordinator, trial.study, row.id)
    assert data.audit is None and data.forms
    out = tmp_path / "coordinator.pdf"
    result = build_casebook(trial.study, dataclasses.replace(data, forms=data.forms[:1]), out,
                            printed_by="coord01")
    texts = pages_text(out)
    assert result.pages == len(texts) == 3
    assert "Your role does not give access to the audit trail." in texts[-1]
    assert result.outline[-1] == "Appendix: audit trail"
