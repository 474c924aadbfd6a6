"""Print buttons: the patient's casebook from the workspace, a filled form and the SAE
report form from the form editor, each generated in the report preview."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from ctrial_desktop.reports.sae import serious_events
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study import StudyDefinition
from ctrial_desktop.ui.report_dialog import ReportDialog
from ctrial_desktop.ui.session import UiSession, make_ui_session
from ctrial_desktop.ui.workspace import PatientWorkspace
from tests.gui.app_helpers import OFFSCREEN_WARNINGS

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('print') / 'demo.sqlite3'}")
    build_demo(db, patients=3, sites=1, seed=5)
    yield db
    db.dispose()


def _session(db: Database, study: StudyDefinition, username: str = "dm") -> UiSession:
    return make_ui_session(db, AuthService(db).login(username, DEMO_PASSWORD), study)


def _generated(qtbot, parent) -> ReportDialog:  # type: ignore[no-untyped-def]
    dialog = parent.findChild(ReportDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.preview.page_count > 0, timeout=60_000)
    return dialog


def _text(dialog: ReportDialog) -> str:
    path = dialog.preview._path
    assert isinstance(path, Path)
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _patient_with_sae(session: UiSession) -> tuple[int, int]:
    for row in session.patients.list_patients():
        events = serious_events(session.db, session.actor, session.study, row.id)
        if events:
            return row.id, events[-1].number
    raise AssertionError("the demo of seed 5 has serious adverse events")


def test_workspace_prints_the_patients_casebook(qtbot, demo_db, study) -> None:  # type: ignore[no-untyped-def]
    session = _session(demo_db, study)
    patient_id, _number = _patient_with_sae(session)
    workspace = PatientWorkspace(session)
    qtbot.addWidget(workspace)
    workspace.show()
    assert workspace.show_patient(patient_id)
    assert workspace.print_button.isVisible()
    qtbot.mouseClick(workspace.print_button, Qt.MouseButton.LeftButton)
    dialog = _generated(qtbot, workspace)
    assert dialog.kind_combo.currentData() == "casebook"
    assert dialog.patient_combo.currentData() == patient_id
    assert dialog.preview.page_count > 5
    number = workspace.patient.patient_number if workspace.patient else ""
    assert f"Patient casebook {number}" in _text(dialog)
    dialog.close()


def test_form_editor_prints_the_form_and_the_sae_report(qtbot, demo_db, study) -> None:  # type: ignore[no-untyped-def]
    session = _session(demo_db, study)
    patient_id, number = _patient_with_sae(session)
    workspace = PatientWorkspace(session)
    qtbot.addWidget(workspace)
    workspace.show()
    assert workspace.show_patient(patient_id)
    assert workspace.open_form("SE.CYCLE", 2, "F.HEM")
    editor = workspace.editor
    assert editor is not None and editor.view.print_button.isVisible()
    assert not editor.view.sae_button.isVisible()
    qtbot.mouseClick(editor.view.print_button, Qt.MouseButton.LeftButton)
    dialog = _generated(qtbot, editor)
    text = _text(dialog)
    assert "Cycle 2 · Haematology" in text and "Patient casebook" not in text
    dialog.close()

    assert workspace.open_form("SE.AELOG", 1, "F.AE")
    editor = workspace.editor
    assert editor is not None and editor.view.sae_button.isVisible()
    editor.view.tables["IG.AE.ROW"].focus_cell(number, "I.AE.TERM")
    qtbot.mouseClick(editor.view.sae_button, Qt.MouseButton.LeftButton)
    dialog = _generated(qtbot, editor)
    assert dialog.kind_combo.currentData() == "sae"
    assert dialog.event_combo.currentData() == number
    text = _text(dialog)
    assert "Serious adverse event report" in text and f"AE log row\n{number}" in text
    dialog.close()


def test_reports_dialog_offers_the_serious_events_of_the_patient(qtbot, demo_db, study) -> None:  # type: ignore[no-untyped-def]
    session = _session(demo_db, study)
    patient_id, number = _patient_with_sae(session)
    dialog = ReportDialog(session, kind="sae", patient_id=patient_id)
    qtbot.addWidget(dialog)
    assert dialog.event_combo.isEnabled()
    numbers = [dialog.event_combo.itemData(i) for i in range(dialog.event_combo.count())]
    assert number in numbers
    assert all(e.number in numbers for e in serious_events(demo_db, session.actor, study,
                                                           patient_id))
    assert dialog.kind_combo.findData("form") == -1
    other = next(dialog.patient_combo.itemData(i) for i in range(dialog.patient_combo.count())
                 if not serious_events(demo_db, session.actor, study,
                                       dialog.patient_combo.itemData(i)))
    dialog.patient_combo.setCurrentIndex(dialog.patient_combo.findData(other))
    assert dialog.event_combo.itemData(0) is None
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "This patient has no serious adverse event to report."
