"""Forms open in the workspace's editor: Enter on a form, type, Ctrl+S, the tree follows."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.forms import FormEditor
from ctrial_desktop.ui.session import make_ui_session
from ctrial_desktop.ui.workspace import PatientWorkspace
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support",
                                       "QWidget::grabKeyboard")


@pytest.fixture
def workspace(qtbot: QtBot, db: Database, study: StudyDefinition) -> PatientWorkspace:
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    SiteService(db, admin).create_site("01", "Lille")
    SiteService(db, admin).set_active("01", True, "initiation")
    UserService(db, admin).create_user("marie", "Marie", "Durand", PASSWORD,
                                       [RoleGrant(Role.COORDINATOR, "01")],
                                       must_change_password=False)
    actor = AuthService(db).login("marie", PASSWORD)
    patient = PatientService(db, actor).screen_patient(
        "01", "MD", "F", birth_date=dt.date(1950, 1, 2), consent_date=dt.date(2010, 3, 1))
    widget = PatientWorkspace(make_ui_session(db, actor, study))
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    assert widget.show_patient(patient.id)
    return widget


def _ecog_row_state(widget: PatientWorkspace) -> str:
    index = widget.tree_model.index_of("SE.SCREEN", 1, "F.ECOG")
    return str(index.siblingAtColumn(1).data())


def test_enter_opens_the_editor_and_saving_updates_the_tree(qtbot: QtBot,
                                                            workspace: PatientWorkspace) -> None:
    assert workspace.select_form("SE.SCREEN", 1, "F.ECOG")
    before = _ecog_row_state(workspace)
    qtbot.keyClick(workspace.tree, Qt.Key.Key_Return)
    editor = workspace.editor
    assert isinstance(editor, FormEditor) and workspace.form_stack.currentWidget() is editor
    qtbot.keyClicks(editor.focusWidget(), "020310")  # date of the assessment
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(editor.focusWidget(), "1")
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)
    messages: list[str] = []
    workspace.status_message.connect(messages.append)
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any("Saved" in m for m in messages), timeout=10000)
    assert not editor.is_dirty()
    assert _ecog_row_state(workspace) != before


def test_unsaved_editor_keeps_the_right_side_and_asks_before_leaving(
        qtbot: QtBot, workspace: PatientWorkspace, monkeypatch: pytest.MonkeyPatch) -> None:
    assert workspace.select_form("SE.SCREEN", 1, "F.ECOG")
    assert workspace.open_form("SE.SCREEN", 1, "F.ECOG")
    editor = workspace.editor
    assert editor is not None
    qtbot.keyClicks(editor.focusWidget(), "020310")
    assert editor.is_dirty()
    workspace.select_form("SE.SCREEN", 1, "F.DM")
    assert workspace.editor is editor  # not thrown away
    monkeypatch.setattr(editor, "maybe_close", lambda: False)  # the user says Cancel
    assert not workspace.can_leave()
    monkeypatch.setattr(editor, "maybe_close", lambda: True)  # the user says Discard
    assert workspace.can_leave() and workspace.editor is None


def test_clinical_summary_tab_follows_the_patient(qtbot: QtBot,
                                                  workspace: PatientWorkspace) -> None:
    summary = workspace.summary
    assert summary is not None
    assert workspace.right_tabs.indexOf(summary) == 1
    assert workspace.right_tabs.currentWidget() is workspace.form_stack
    workspace.right_tabs.setCurrentWidget(summary)
    assert summary.isVisible()


def _form_rows(widget: PatientWorkspace, event_oid: str, repeat: int) -> list[tuple[str, str]]:
    visit = widget.tree_model.index_of(event_oid, repeat, None)
    model = widget.tree_model
    return [(str(model.index(r, 0, visit).data()), str(model.index(r, 1, visit).data()))
            for r in range(model.rowCount(visit))]


def test_a_day_8_blood_count_is_its_own_form_entered_by_keyboard(
        qtbot: QtBot, workspace: PatientWorkspace) -> None:
    from ctrial_desktop.services.forms import ValueKey

    forms = workspace._session.forms
    patient = workspace.patient
    assert patient is not None

    def key(item: str) -> ValueKey:
        return ValueKey("IG.HEM.MAIN", 1, f"I.HEM.{item}")

    day1 = {key("DAT"): "02/03/2010", key("HGB"): "112", key("WBC"): "5.2", key("ANC"): "2.9",
            key("LYM"): "1.4", key("PLT"): "210"}
    forms.save(patient.id, "SE.CYCLE", 1, "F.HEM", day1, expected_version=0)
    workspace.reload_states()
    rows = [r for r in _form_rows(workspace, "SE.CYCLE", 1) if r[0].startswith("Haematology")]
    assert rows == [("Haematology · day 1", "Complete"), ("Haematology · day 8", "Not started"),
                    ("Haematology · day 15", "Not started"),
                    ("Haematology · day 22", "Not started")]

    assert workspace.select_form("SE.CYCLE", 1, "F.HEM", 8)
    assert workspace.outline.title_label.text() == "Haematology · day 8"
    qtbot.keyClick(workspace.tree, Qt.Key.Key_Return)
    editor = workspace.editor
    assert isinstance(editor, FormEditor) and editor.day == 8
    assert editor.view.title_label.text() == "Haematology · day 8"
    # Date, haemoglobin (+ LLN), leukocytes (+ LLN), ANC (+ LLN), lymphocytes (+ LLN),
    # platelets (+ LLN), as on the laboratory's sheet.
    for text in ("090310", "98", "120", "2.1", "4", "0.8", "1.8", "0.9", "1", "74", "150"):
        qtbot.keyClicks(editor.focusWidget(), text)
        qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_Tab)
    messages: list[str] = []
    workspace.status_message.connect(messages.append)
    qtbot.keyClick(editor.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any("Saved" in m for m in messages), timeout=10000)
    rows = dict(_form_rows(workspace, "SE.CYCLE", 1))
    assert rows["Haematology · day 8"] == "Complete"
    assert rows["Haematology · day 1"] == "Complete"
    assert rows["Haematology · day 15"] == "Not started"

    # Reopen both: day 8 holds what was typed, day 1 is untouched.
    assert workspace.open_form("SE.CYCLE", 1, "F.HEM", 8)
    reopened = workspace.editor.buffer.snapshot  # type: ignore[union-attr]
    assert (reopened.visit_day, reopened.version) == (8, 1)
    assert {k.item_oid: v for k, v in reopened.values.items()} == {
        "I.HEM.DAT": "2010-03-09", "I.HEM.HGB": "98", "I.HEM.HGB_LLN": "120",
        "I.HEM.WBC": "2.10", "I.HEM.WBC_LLN": "4.00", "I.HEM.ANC": "0.80",
        "I.HEM.ANC_LLN": "1.80", "I.HEM.LYM": "0.90", "I.HEM.LYM_LLN": "1.00",
        "I.HEM.PLT": "74", "I.HEM.PLT_LLN": "150"}
    assert workspace.open_form("SE.CYCLE", 1, "F.HEM", 1)
    first = workspace.editor.buffer.snapshot  # type: ignore[union-attr]
    assert (first.visit_day, first.version) == (1, 1)
    assert {k.item_oid: v for k, v in first.values.items()} == {
        "I.HEM.DAT": "2010-03-02", "I.HEM.HGB": "112", "I.HEM.WBC": "5.20",
        "I.HEM.ANC": "2.90", "I.HEM.LYM": "1.40", "I.HEM.PLT": "210"}
    assert workspace.editor.view.title_label.text() == "Haematology · day 1"  # type: ignore
