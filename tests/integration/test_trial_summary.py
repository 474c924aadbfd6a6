"""Trial summary by arm from a demo trial: numbers equal to the engines', figures and
outline in the PDF, the CLI, and permissions."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing, Group, String

from ctrial_desktop.cli import main
from ctrial_desktop.domain.stats import clopper_pearson, kaplan_meier, km_median
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.reports.figures import consort
from ctrial_desktop.reports.registry import ReportRequest, generate
from ctrial_desktop.reports.trial_summary import orr_text
from ctrial_desktop.services import clinical
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.engine_settings import imwg_settings
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.export import ExportService
from ctrial_desktop.services.trial_summary import TrialSummary, collect_trial_summary
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study import StudyDefinition, load_study


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(forms_dir())


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, str]]:
    path = tmp_path_factory.mktemp("summary") / "trial.sqlite3"
    db = open_database(f"sqlite:///{path}")
    build_demo(db, patients=10, sites=2, seed=4)
    yield db, f"sqlite:///{path}"
    db.dispose()


@pytest.fixture(scope="module")
def summary(trial: tuple[Database, str], study: StudyDefinition) -> TrialSummary:
    db, _url = trial
    return collect_trial_summary(db, AuthService(db).login("dm", DEMO_PASSWORD), study)


def test_best_responses_are_the_engine_s(trial: tuple[Database, str], study: StudyDefinition,
                                         summary: TrialSummary) -> None:
    db, _url = trial
    exports = ExportService(db, AuthService(db).login("dm", DEMO_PASSWORD))
    patients = [p for p in exports.patients(exports.sites()) if p.arm]
    forms = list(exports.forms([p.id for p in patients]))
    expected = {}
    for p in patients:
        result, *_rest = clinical.evaluate_forms(
            [f for f in forms if f.patient_id == p.id], imwg_settings(study))
        expected[p.patient_number] = result.best_overall_response.name if result else "NE"
    assert {c.patient_number: c.best_response for c in summary.patients} == expected
    assert sum(a.n for a in summary.arms) == len(patients)
    assert summary.consort.screened >= len(patients)
    assert sum(summary.consort.randomized.values()) == len(patients)


def test_orr_and_interval_equal_the_statistics(summary: TrialSummary) -> None:
    for arm in summary.arms:
        responders = sum(1 for p in arm.patients if p.best_response in
                         ("sCR", "CR", "VGPR", "PR"))
        low, high = clopper_pearson(responders, arm.n)
        assert arm.orr() == (responders / arm.n, low, high)
        assert orr_text(summary, arm.arm) == (
            f"{responders}/{arm.n} = {100 * responders / arm.n:.1f}% "
            f"({100 * low:.1f}%-{100 * high:.1f}%)")


def test_the_pdf_prints_the_numbers_figures_and_outline(
        trial: tuple[Database, str], study: StudyDefinition, summary: TrialSummary,
        tmp_path: Path) -> None:
    db, _url = trial
    out = tmp_path / "summary.pdf"
    request = ReportRequest(study=study, printed_by="Data Manager", db=db,
                            actor=AuthService(db).login("dm", DEMO_PASSWORD))
    result = generate("trial-summary", request, out)
    reader = PdfReader(str(out))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for arm in summary.arms:
        assert orr_text(summary, arm.arm) in text
        data = [p.pfs for p in arm.patients]
        median = km_median(kaplan_meier([t for t, _e in data], [e for _t, e in data]))
        if median is not None:
            assert f"median {median:.1f} months" in text
        cycles = [p.cycles for p in arm.patients]
        assert f"{statistics.median(cycles):g} ({min(cycles):g}-{max(cycles):g})" in text
    for label in ("Screened", "Randomized", "Analysed (intention to treat)", "At risk",
                  "Months from randomization", "Best change from baseline (%)"):
        assert label in text, label
    assert result.pages == len(reader.pages) and f"page 1 of {result.pages}" in text
    assert {"Enrolment", "Best overall response (IMWG)", "Worst-grade toxicity",
            "CONSORT flow diagram", "Swimmer plot", "Waterfall plot",
            "Kaplan-Meier curves"} <= set(result.outline)


def test_cli_and_permission(trial: tuple[Database, str], study: StudyDefinition,
                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db, url = trial
    monkeypatch.setenv("CTRIAL_PASSWORD", DEMO_PASSWORD)
    out = tmp_path / "fr.pdf"
    assert main(["--db", url, "report", "trial-summary", "--site", "01", "--language", "fr",
                 "--user", "dm", "--out", str(out)]) == 0
    text = " ".join(PdfReader(str(out)).pages[0].extract_text().split())
    assert "Synthèse de l'essai par bras" in text and "Centre 01" in text
    with pytest.raises(PermissionDenied):
        collect_trial_summary(db, AuthService(db).login("coord01", DEMO_PASSWORD), study)


def _strings(drawing: Drawing) -> list[str]:
    """The texts of a drawing (exactly as drawn, no-break spaces included)."""
    found = []
    for node in drawing.getContents():
        if isinstance(node, String):
            found.append(node.text)
        elif isinstance(node, Group):
            found += _strings(node)  # type: ignore[arg-type]
    return found


def test_french_pdf_has_french_reasons_and_decimal_commas(
        trial: tuple[Database, str], study: StudyDefinition, summary: TrialSummary,
        tmp_path: Path) -> None:
    db, _url = trial
    out = tmp_path / "summary-fr.pdf"
    request = ReportRequest(study=study, printed_by="Data Manager", db=db, language="fr",
                            actor=AuthService(db).login("dm", DEMO_PASSWORD))
    generate("trial-summary", request, out)
    # (the text extracted from the PDF has a plain space for a no-break space)
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(out)).pages)
    reasons = {r for arm in summary.consort.discontinued.values() for r in arm}
    assert reasons, "the demo trial has ended treatments"
    consort_lines = _strings(consort(summary, 480, "fr"))
    for reason in reasons:
        french = summary.consort.reasons_fr[reason]
        assert french != reason
        assert f"{french} :" in text and f"{reason}:" not in text
        assert any(line.strip().startswith(f"{french}\u00a0: ") for line in consort_lines)
    assert any(line.startswith("Traités\u00a0: ") for line in consort_lines)
    for arm in summary.arms:
        assert orr_text(summary, arm.arm, "fr") == orr_text(summary, arm.arm).replace(
            ".", ",").replace("%", "\u00a0%")
        assert " ".join(orr_text(summary, arm.arm, "fr").split()) in text
        data = [p.os for p in arm.patients]
        median = km_median(kaplan_meier([t for t, _e in data], [e for _t, e in data]))
        if median is not None:
            assert f"médiane {median:.1f} mois".replace(".", ",") in text
    assert "0,50" in text and "0.50" not in text
    assert not re.search(r"\d\.\d", text.replace("2009-02", "")), "decimal point in French"
    assert ">=" not in text and "(≥ PR)" in text
