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
