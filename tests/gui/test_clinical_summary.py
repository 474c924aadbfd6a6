"""Clinical summary panel: response, dose intensity and dose advice of a demo patient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.clinical import ClinicalService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.export import ExportService, StoredForm
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study import load_study
from ctrial_desktop.ui.clinical_summary import ClinicalSummaryPanel
from ctrial_desktop.ui.session import UiSession, make_ui_session


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('clin') / 'demo.sqlite3'}")
    build_demo(db, patients=4, sites=1, clinical=True, screen_failure_rate=0.3)
    yield db
    db.dispose()


@pytest.fixture
def session(demo: Database) -> UiSession:
    actor = AuthService(demo).login("dm", DEMO_PASSWORD)
    return make_ui_session(demo, actor, load_study(forms_dir()))


def _cells(table: object, row: int) -> list[str]:
    return [table.item(row, c).text() for c in range(table.columnCount())]  # type: ignore[attr-defined]


def test_panel_shows_the_assessments_intensity_and_advice(qtbot: QtBot, session: UiSession,
                                                         tmp_path: Path) -> None:
    rows = [r for r in session.patients.list_patients() if r.arm is not None]
    assert rows
    service = ClinicalService(session.db, session.actor, session.study)
    for row in rows:
        panel = ClinicalSummaryPanel(session, row.id)
        qtbot.addWidget(panel)
        panel.resize(1366, 768)
        panel.show()
        qtbot.waitExposed(panel)
        summary = service.response(row.id)
        table = panel.response_table
        assert table.rowCount() == len(summary.assessments) > 0
        for index, assessment in enumerate(summary.assessments):
            cells = _cells(table, index)
            assert cells[0] == assessment.visit
            assert cells[2] == (assessment.category or "not evaluable")
            assert cells[3] == ("confirmed" if assessment.confirmed else "unconfirmed")
            assert cells[4].splitlines() == list(assessment.reasons)
        assert f"Best overall response: {summary.best_response}" in panel.response_label.text()
        intensity = service.dose_intensity(row.id)
        cycles = sorted({r.cycle for r in intensity if r.cycle is not None})
        shown = panel.intensity_table
        assert shown.rowCount() == len(cycles) + 1
        assert [_cells(shown, i)[0] for i in range(len(cycles))] == [str(c) for c in cycles]
        total = _cells(shown, len(cycles))
        pom, dex = (r for r in intensity if r.cycle is None)
        assert total[0] == "All cycles"
        assert (total[1], total[3]) == (f"{pom.delivered_mg:.1f}", f"{pom.rdi_percent:.1f}")
        assert (total[4], total[6]) == (f"{dex.delivered_mg:.1f}", f"{dex.rdi_percent:.1f}")
        advice = service.dose_advice(row.id)
        # the demo course ends every treatment before its cut-off
        assert advice.advice is None and advice.treatment_ended is not None
        assert not panel.advice_table.isVisibleTo(panel)
        assert (f"Treatment ended on {advice.treatment_ended:%d/%m/%Y}: no dose advice."
                in panel.advice_inputs.text())
        assert panel.advice_note.text() == "Advice only — the investigator decides."
        panel.grab().save(str(tmp_path / f"clinical_{row.id}.png"))
        assert (tmp_path / f"clinical_{row.id}.png").stat().st_size > 0


def test_patient_not_randomized_shows_why(qtbot: QtBot, session: UiSession) -> None:
    row = next(r for r in session.patients.list_patients() if r.arm is None)
    panel = ClinicalSummaryPanel(session, row.id)
    qtbot.addWidget(panel)
    panel.show()
    assert "NE (not evaluable)" in panel.response_label.text()
    assert panel.response_table.rowCount() == 0
    assert panel.intensity_label.text() == "No dosing form recorded yet."
    assert panel.advice_inputs.text() == "The patient is not randomized: no dose advice."
    qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    assert "NE (not evaluable)" in panel.response_label.text()


def test_patient_on_treatment_shows_the_advice_of_each_drug(
        qtbot: QtBot, session: UiSession, monkeypatch: pytest.MonkeyPatch) -> None:
    original = ExportService.forms

    def without_end_of_treatment(self: ExportService,
                                 patient_ids: list[int]) -> Iterator[StoredForm]:
        return (f for f in original(self, patient_ids) if f.form_oid != "F.EOT")

    monkeypatch.setattr(ExportService, "forms", without_end_of_treatment)
    row = next(r for r in session.patients.list_patients() if r.arm is not None)
    advice = ClinicalService(session.db, session.actor, session.study).dose_advice(row.id)
    assert advice.advice is not None
    panel = ClinicalSummaryPanel(session, row.id)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.advice_table.isVisibleTo(panel)
    assert panel.advice_table.rowCount() == 2
    for index, (name, drug) in enumerate((("Pomalidomide", advice.advice.pomalidomide),
                                          ("Dexamethasone", advice.advice.dexamethasone))):
        cells = _cells(panel.advice_table, index)
        assert cells[0] == name
        assert cells[1].lower() == drug.action.value
        assert cells[2] == f"{drug.next_level_mg:g} mg"
        assert cells[3].splitlines() == list(drug.rules)
    assert "Treatment ended" not in panel.advice_inputs.text()
    assert f"Arm {row.arm}" in panel.advice_inputs.text()


def test_french_panel_says_idr_and_spaces_its_lists(qtbot: QtBot, qapp, session: UiSession,
                                                   tmp_path: Path) -> None:
    from ctrial_desktop.ui.i18n import LanguageSwitcher

    row = next(r for r in session.patients.list_patients() if r.arm is not None)
    switcher = LanguageSwitcher(qapp)
    assert switcher.apply("fr")
    try:
        panel = ClinicalSummaryPanel(session, row.id)
        qtbot.addWidget(panel)
        panel.resize(1366, 768)
        panel.show()
        qtbot.waitExposed(panel)
        table = panel.intensity_table
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        assert "Pomalidomide\nIDR (%)" in headers and "Dexaméthasone\nIDR (%)" in headers
        assert not any("RDI" in h for h in headers)
        values = [table.item(r, c).text() for r in range(table.rowCount())
                  for c in range(1, table.columnCount())]
        assert not any("." in v for v in values), values
        panel.grab().save(str(tmp_path / "clinical_fr.png"))
    finally:
        switcher.apply("en")
