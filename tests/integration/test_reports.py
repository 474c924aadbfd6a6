"""``ctrial report``: every report from a demo trial with a few randomizations."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from ctrial_desktop import __version__
from ctrial_desktop.cli import main
from ctrial_desktop.cli.report import KINDS
from ctrial_desktop.reports.registry import REPORT_KINDS
from ctrial_desktop.services.demo import DEMO_PASSWORD
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.randomization import RandomizationService
from tests.unit.reports.pdf_helpers import (
    ReportTrial,
    build_report_trial,
    pages_text,
    squeezed,
    top_outline,
)


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> ReportTrial:
    built = build_report_trial(tmp_path_factory.mktemp("trial") / "trial.sqlite3")
    yield built
    built.db.dispose()


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _report(trial: ReportTrial, capsys: pytest.CaptureFixture[str], out: Path, kind: str,
            *args: str) -> list[str]:
    code, stdout, err = _run(capsys, "--db", trial.url, "report", kind, *args, "--out",
                             str(out))
    assert (code, err) == (0, "")
    pages = len(PdfReader(out).pages)
    assert stdout == f"{kind}: {out} ({pages} page{'s' if pages != 1 else ''})\n"
    texts = pages_text(out)
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {pages}" in text or f"page {number} sur {pages}" in text
    return texts


def test_cli_kinds_match_the_registry() -> None:
    assert tuple(kind.name for kind in REPORT_KINDS) == KINDS


def test_screening_log(trial: ReportTrial, capsys: pytest.CaptureFixture[str],
                       tmp_path: Path) -> None:
    out = tmp_path / "screening.pdf"
    text = "\n".join(_report(trial, capsys, out, "screening-log", "--user", "dm"))
    patients = PatientService(trial.db, trial.dm).list_patients()
    for row in patients:
        assert row.patient_number in text
    for result in trial.randomized:
        assert result.number in text
    assert "POM21" in text or "POM28" in text
    failures = sum(p.status == "screen_failed" for p in patients)
    assert f"{len(patients)} screened · {failures} screen failures · " \
           f"{len(trial.randomized)} randomized" in text.replace("\n", " ") or \
        f"Total\n{len(patients)}" in text
    meta = PdfReader(out).metadata
    assert meta is not None and meta.title == "Screening and enrolment log"
    assert meta.creator == f"ctrial-desktop {__version__}"
    assert top_outline(out)[0] == "Summary"


def test_screening_log_in_french_for_one_site(trial: ReportTrial,
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    out = tmp_path / "screening_fr.pdf"
    text = "\n".join(_report(trial, capsys, out, "screening-log", "--user", "dm",
                             "--site", "02", "--language", "fr"))
    assert "Registre de sélection et d'inclusion" in text
    assert "Sélectionnés" in text and "Échecsdesélection" in squeezed(text)
    numbers = {p.patient_number for p in PatientService(trial.db, trial.dm).list_patients()}
    assert all(n in text for n in numbers if n.startswith("02-"))
    assert not any(n in text for n in numbers if n.startswith("01-"))


def test_randomization_log_prints_every_assignment_and_full_commitments(
        trial: ReportTrial, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "rlog.pdf"
    text = "\n".join(_report(trial, capsys, out, "randomization-log", "--user", "monitor"))
    flat = squeezed(text)
    positions = [text.find(r.number) for r in trial.randomized]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    for result in trial.randomized:
        assert squeezed(result.stratum) in flat
    lists = RandomizationService(trial.db, trial.dm).lists()
    assert lists
    for info in lists:
        assert info.commitment in flat and len(info.commitment) == 64
    assert top_outline(out) == ["Assignments", "Allocation lists and commitments"]


def test_randomization_confirmation(trial: ReportTrial, capsys: pytest.CaptureFixture[str],
                                   tmp_path: Path) -> None:
    result = trial.randomized[0]
    site = result.patient_number[:2]
    out = tmp_path / "confirm.pdf"
    texts = _report(trial, capsys, out, "randomization-confirmation", "--user",
                    f"coord{site}", "--patient", result.patient_number)
    assert len(texts) == 1
    text = texts[0]
    arm = {"A": "Arm A · POM21", "B": "Arm B · POM28"}[result.arm]
    assert arm in text
    assert ("days 1-21" if result.arm == "A" else "days 1-28") in text
    assert result.number in text and result.stratum in text
    assert f"coord{site}" in text and result.patient_number in text
    assert "Investigator (name, signature, date)" in text
    assert f"Patient {result.patient_number} {result.initials}" in text  # header


def test_audit_review(trial: ReportTrial, capsys: pytest.CaptureFixture[str],
                      tmp_path: Path) -> None:
    out = tmp_path / "audit.pdf"
    texts = _report(trial, capsys, out, "audit-review", "--user", "monitor", "--site", "01")
    text = "\n".join(texts)
    assert "Changes by user" in text and "Flagged entries" in text
    assert "L - entered more than 30 days after the clinical date" in text
    assert top_outline(out) == ["Changes by user", "Changes by form or table",
                                "Changes by month", "Flagged entries", "All entries"]
    assert "coord01" in text and "coord02" not in text
    assert "Site: 01" in text
    out_user = tmp_path / "audit_user.pdf"
    text = "\n".join(_report(trial, capsys, out_user, "audit-review", "--user", "dm",
                             "--audit-user", "coord02", "--from", "2000-01-01",
                             "--language", "fr"))
    assert "Utilisateur : coord02" in text and "Revue de la piste d'audit" in text
    # roles and the reasons the application writes in French words
    flat = " ".join(text.split())
    assert "TEC / coordinateur" in flat and "coordinator" not in flat
    assert "patient sélectionné" in flat and "patient screened" not in flat


def test_randomization_log_and_confirmation_in_french(
        trial: ReportTrial, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "rlog_fr.pdf"
    text = " ".join(" ".join(t.split()) for t in _report(
        trial, capsys, out, "randomization-log", "--user", "monitor", "--language", "fr"))
    for english in ("list 1", "first randomization", "site=", "iss="):
        assert english not in text, english
    assert "liste 1, position" in text and "première randomisation de la strate" in text
    assert "centre 0" in text and "· ISS " in text
    result = trial.randomized[0]
    out = tmp_path / "confirm_fr.pdf"
    text = " ".join(_report(trial, capsys, out, "randomization-confirmation", "--user",
                            f"coord{result.patient_number[:2]}", "--patient",
                            result.patient_number, "--language", "fr")[0].split())
    assert "Schéma thérapeutique : " in text and f"centre {result.patient_number[:2]}" in text
    assert "site=" not in text


def test_screening_log_in_french_keeps_words_whole(
        trial: ReportTrial, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "screening_fr_all.pdf"
    text = "\n".join(_report(trial, capsys, out, "screening-log", "--user", "dm",
                             "--language", "fr"))
    assert "Consentement" in text.split() and "Total : " in text


def test_blank_and_annotated_crf_need_no_login(trial: ReportTrial,
                                               capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CTRIAL_PASSWORD")
    blank = tmp_path / "blank.pdf"
    texts = _report(trial, capsys, blank, "blank-crf", "--form", "F.POM", "--language", "fr")
    assert "Administration du pomalidomide (version 1.1)" in texts[0]
    assert "Jourducycle" in squeezed("\n".join(texts))
    annotated = tmp_path / "acrf.pdf"
    text = "\n".join(_report(trial, capsys, annotated, "annotated-crf", "--event", "SE.RAND",
                             "--page-size", "Letter"))
    assert "I.RAND" in text
    assert round(float(PdfReader(annotated).pages[0].mediabox[2])) == 612


@pytest.mark.parametrize(("args", "message"), [
    (["screening-log"], "report screening-log shows trial data: give --user NAME"),
    (["randomization-confirmation", "--user", "coord01"],
     "report randomization-confirmation needs --patient ID"),
    (["randomization-confirmation", "--user", "coord01", "--patient", "99-999"],
     "no patient 99-999 that coord01 may see"),
    (["randomization-log", "--user", "coord01"],
     "coord01 (coordinator@01) is not allowed to view randomization log"),
    (["audit-review", "--user", "coord01"],
     "coord01 (coordinator@01) is not allowed to view audit"),
    (["audit-review", "--user", "dm", "--from", "12/03/2011"],
     "--from: not a date (YYYY-MM-DD): 12/03/2011"),
    (["blank-crf", "--event", "SE.NOPE"], "no event 'SE.NOPE' in the study definition"),
])
def test_bad_input_is_one_line_and_exit_2(trial: ReportTrial,
                                          capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          args: list[str], message: str) -> None:
    out = tmp_path / "x.pdf"
    code, stdout, err = _run(capsys, "--db", trial.url, "report", *args, "--out", str(out))
    assert (code, stdout) == (2, "")
    assert err == f"ctrial: error: {message}\n"
    assert not out.exists()


def test_unrandomized_patient_and_existing_file(trial: ReportTrial,
                                                capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    waiting = next(p for p in PatientService(trial.db, trial.dm).list_patients()
                   if p.status == "screening")
    out = tmp_path / "c.pdf"
    code, _, err = _run(capsys, "--db", trial.url, "report", "randomization-confirmation",
                        "--user", "dm", "--patient", waiting.patient_number, "--out", str(out))
    assert (code, err) == (2, f"ctrial: error: {waiting.patient_number} is not randomized.\n")
    assert not out.exists()
    out.write_bytes(b"keep")
    code, _, err = _run(capsys, "report", "blank-crf", "--out", str(out))
    assert code == 2 and "already exists" in err
    assert out.read_bytes() == b"keep"


def test_real_process_writes_a_blank_crf(tmp_path: Path) -> None:
    out = tmp_path / "blank.pdf"
    proc = subprocess.run([sys.executable, "-m", "ctrial_desktop.cli", "report", "blank-crf",
                           "--event", "SE.EOT", "--user", "mdurand", "--out", str(out)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith(f"blank-crf: {out} (")
    assert "Printed" in pages_text(out)[0] and "by mdurand" in pages_text(out)[0]
    assert "End of treatment (version 1.0)" in pages_text(out)[0]
