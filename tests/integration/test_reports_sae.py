"""The serious adverse event report form, from a small clinical demo trial."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ctrial_desktop.cli import main
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.reports.casebook import value_text
from ctrial_desktop.reports.registry import ReportRequest, generate
from ctrial_desktop.reports.sae import SaeData, build_sae, collect_sae, serious_events
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.errors import ValidationError
from ctrial_desktop.services.forms import FormService
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.services.review import SignatureRow
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study import StudyDefinition, load_study
from tests.unit.reports.pdf_helpers import pages_text


@dataclasses.dataclass
class Trial:
    db: Database
    dm: Actor
    study: StudyDefinition
    patient: PatientRow
    serious: list[int]
    not_serious: int


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trial]:
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('sae') / 'trial.sqlite3'}")
    build_demo(db, patients=3, sites=1, seed=5)
    dm = AuthService(db).login("dm", DEMO_PASSWORD)
    study = load_study(forms_dir())
    for patient in PatientService(db, dm).list_patients():
        events = serious_events(db, dm, study, patient.id)
        if len(events) >= 2:
            break
    else:
        raise AssertionError("the demo of seed 5 has a patient with two serious events")
    snapshot = next(
        FormService(db, dm, study).open(patient.id, s.event_oid, s.event_repeat, "F.AE")
        for s in PatientService(db, dm).form_states(patient.id) if s.form_oid == "F.AE")
    rows = {k.repeat for k in snapshot.values}
    not_serious = min(r for r in rows if r not in {e.number for e in events})
    yield Trial(db, dm, study, patient, [e.number for e in events], not_serious)
    db.dispose()


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)


def _data(trial: Trial, number: int | None = None, language: str = "en") -> SaeData:
    return collect_sae(trial.db, trial.dm, trial.study, trial.patient.id,
                       number or trial.serious[0], language)


def test_sae_form_shows_the_event_the_arm_and_the_drug_doses(trial: Trial,
                                                              tmp_path: Path) -> None:
    data = _data(trial)
    out = tmp_path / "sae.pdf"
    request = ReportRequest(study=trial.study, printed_by="Dana Data", db=trial.db,
                            actor=trial.dm, patient_id=trial.patient.id,
                            ae_number=trial.serious[0])
    result = generate("sae", request, out)
    text = "\n".join(pages_text(out))
    term = value_text(trial.study, trial.study.item("I.AE.TERM"), data.event["I.AE.TERM"])
    grade = data.event["I.AE.GRADE"]
    assert term in text and f"Grade {grade} - " in text
    arm = {"POM21": "A · POM21", "POM28": "B · POM28"}[trial.patient.arm or ""]
    assert arm in text and trial.patient.patient_number in text
    assert "Requires or prolongs hospitalisation" in text
    assert text.startswith("DRAFT") and "this report is a DRAFT" in text
    assert result.outline[:2] == ("1. Patient", "2. Serious adverse event")
    pom, dex = data.drugs
    onset = data.onset
    assert onset is not None and pom.last_dose is not None and pom.last_dose <= onset
    assert pom.first_dose is not None and pom.first_dose <= pom.last_dose
    assert f"{pom.level_at_onset} mg" in text and f"{dex.level_at_onset} mg" in text
    last = f"{pom.last_dose:%d/%m/%Y} ({pom.last_dose_mg} mg)"
    assert last in text
    # The dosing table: a line per cycle started up to the onset, with its dose level.
    for cycle in pom.cycles:
        if cycle.day1 is not None and cycle.day1 <= onset:
            assert f"{cycle.cycle}\n{cycle.day1:%d/%m/%Y}\n{cycle.level}\n{cycle.total}" \
                in text


def test_last_dose_is_the_last_day_dosed_up_to_the_onset(trial: Trial) -> None:
    data = _data(trial)
    pom = data.drugs[0]
    onset = data.onset
    assert onset is not None
    states = PatientService(trial.db, trial.dm).form_states(trial.patient.id)
    forms = FormService(trial.db, trial.dm, trial.study)
    dosed = []
    for state in states:
        if state.form_oid != "F.POM":
            continue
        values = forms.open(trial.patient.id, state.event_oid, state.event_repeat,
                            "F.POM").values
        day1 = dt.date.fromisoformat(next(v for k, v in values.items()
                                          if k.item_oid == "I.POM.STARTDAT"))
        for key, value in values.items():
            if key.item_oid == "I.POM.DAY":
                status = next(v for k, v in values.items()
                              if k.repeat == key.repeat and k.item_oid == "I.POM.STATUS")
                if status != "NOT_TAKEN":
                    dosed.append(day1 + dt.timedelta(days=int(value) - 1))
    assert pom.last_dose == max(d for d in dosed if d <= onset)
    assert pom.first_dose == min(dosed)


def test_labs_fall_in_the_window_and_medications_were_taken_at_onset(trial: Trial) -> None:
    data = _data(trial)
    assert data.lab_window is not None
    start, end = data.lab_window
    assert all(start <= row.day <= end for row in data.labs)
    # Every blood count of the window, each cycle day's its own (named with its day).
    from ctrial_desktop.services.export import ExportService

    samples = sorted(
        (dt.date.fromisoformat(v), form.visit_day)
        for form in ExportService(trial.db, trial.dm).forms([trial.patient.id])
        if form.form_oid == "F.HEM" for (_g, _r, item), v in form.values.items()
        if item == "I.HEM.DAT" and start <= dt.date.fromisoformat(v) <= end)
    assert [d for d, _day in samples] == sorted(r.day for r in data.labs
                                                if r.form_oid == "F.HEM")
    assert any(day > 1 for _d, day in samples)
    assert all(" day " in r.visit for r in data.labs
               if r.form_oid == "F.HEM" and r.visit.startswith("Cycle"))
    onset = data.onset
    assert onset is not None
    for med in data.medications:
        assert med.get("I.CM.STARTDAT", "0000") <= onset.isoformat()
        assert med.get("I.CM.ONGOING") == "Y" or med["I.CM.STOPDAT"] >= onset.isoformat()[
            :len(med["I.CM.STOPDAT"])]


def test_a_signed_ae_form_prints_its_signature_without_draft(trial: Trial,
                                                             tmp_path: Path) -> None:
    data = _data(trial, language="fr")
    signature = SignatureRow(1, 1, "Dr Ines Vidal", "Je confirme", dt.datetime(
        2011, 6, 1, 10, 0, tzinfo=dt.UTC), "0" * 64, True, True)
    out = tmp_path / "signed.pdf"
    build_sae(trial.study, dataclasses.replace(data, signatures=(signature,)), out,
              printed_by="dm", language="fr")
    text = "\n".join(pages_text(out))
    assert not text.startswith("BROUILLON")
    assert "Signé électroniquement par Dr Ines Vidal" in text
    assert "Déclaration d'événement indésirable grave" in text
    assert "Hospitalisation ou prolongation d'hospitalisation" in text


def test_a_non_serious_or_missing_event_is_refused(trial: Trial) -> None:
    with pytest.raises(ValidationError, match="not recorded as serious"):
        _data(trial, trial.not_serious)
    with pytest.raises(ValidationError, match="has no adverse event 999"):
        _data(trial, 999)


def test_cli_writes_the_sae_form(trial: Trial, capsys: pytest.CaptureFixture[str],
                                 tmp_path: Path) -> None:
    url = str(trial.db.engine.url)
    out = tmp_path / "cli-sae.pdf"
    number = str(trial.serious[1])
    code = main(["--db", url, "report", "sae", "--patient", trial.patient.patient_number,
                 "--event", number, "--user", "dm", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert f"sae: {out}" in captured.out
    text = "\n".join(pages_text(out))
    assert "AE log row\n" + number in text
    code = main(["--db", url, "report", "sae", "--patient", trial.patient.patient_number,
                 "--user", "dm", "--out", str(tmp_path / "none.pdf")])
    assert code != 0 and "needs --event N" in capsys.readouterr().err
    code = main(["--db", url, "report", "sae", "--patient", trial.patient.patient_number,
                 "--event", str(trial.not_serious), "--user", "dm",
                 "--out", str(tmp_path / "not.pdf")])
    assert code != 0 and "not recorded as serious" in capsys.readouterr().err
    assert not (tmp_path / "not.pdf").exists()


def test_cli_prints_one_filled_form(trial: Trial, capsys: pytest.CaptureFixture[str],
                                    tmp_path: Path) -> None:
    url = str(trial.db.engine.url)
    out = tmp_path / "hem.pdf"
    code = main(["--db", url, "report", "form", "--patient", trial.patient.patient_number,
                 "--event", "SE.CYCLE", "--repeat", "2", "--form", "F.HEM", "--user", "dm",
                 "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    texts = pages_text(out)
    assert "Cycle 2 · Haematology" in texts[0] and "Patient casebook" not in "".join(texts)
    code = main(["--db", url, "report", "form", "--patient", trial.patient.patient_number,
                 "--event", "SE.CYCLE", "--user", "dm", "--out", str(tmp_path / "x.pdf")])
    assert code != 0 and "needs --event OID and one --form OID" in capsys.readouterr().err
