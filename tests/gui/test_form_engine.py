"""The form engine driven like a coordinator: keyboard entry, checks, saving, conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox, QWidget

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import Patient
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.forms import FormEditor
from ctrial_desktop.ui.forms.change_reasons_dialog import ChangeReasonsDialog
from ctrial_desktop.ui.session import make_ui_session
from tests.gui.conftest import PASSWORD

TODAY = dt.date(2011, 6, 30)

# The offscreen platform cannot resize windows to their size hints, raise them or grab the
# keyboard for a completion pop-up; Qt warns about each. Nothing else may warn.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints",
                                       "does not support raise",
                                       "does not support grabbing the keyboard")
HEM = "IG.HEM.MAIN"


def key(group: str, item: str, repeat: int = 1) -> ValueKey:
    return ValueKey(group, repeat, item)


@pytest.fixture
def coordinator(db: Database, admin: Actor) -> Actor:
    sites = SiteService(db, admin)
    sites.create_site("03", "CHU de Toulouse", "Toulouse")
    sites.set_active("03", True, "site initiation visit done")
    UserService(db, admin).create_user("marie", "Marie", "Durand", PASSWORD,
                                       [RoleGrant(Role.COORDINATOR, "03")],
                                       must_change_password=False)
    return AuthService(db).login("marie", PASSWORD)


def another_user(db: Database, admin: Actor, username: str, role: Role,
                 site: str | None) -> Actor:
    """A second user logged in (created only by the tests that need one: hashing is slow)."""
    UserService(db, admin).create_user(username, username.title(), "Tester", PASSWORD,
                                       [RoleGrant(role, site)], must_change_password=False)
    return AuthService(db).login(username, PASSWORD)


@pytest.fixture
def patient_id(db: Database, coordinator: Actor) -> int:
    row = PatientService(db, coordinator, today=TODAY).screen_patient(
        "03", "MD", "F", birth_date=dt.date(1947, 5, 2), consent_date=dt.date(2011, 1, 10))
    with db.write() as session:  # randomized to arm B (POM28) for these tests
        session.get(Patient, row.id).arm = "POM28"
    return row.id


@pytest.fixture
def open_editor(qtbot, db: Database, study: StudyDefinition, coordinator: Actor,
                patient_id: int) -> Callable[..., FormEditor]:
    def _open(form_oid: str, actor: Actor | None = None, event: str = "SE.CYCLE",
              repeat: int = 1, draft_interval_ms: int = 60_000) -> FormEditor:
        actor = actor or coordinator
        session = make_ui_session(db, actor, study)
        service = FormService(db, actor, study, today=TODAY)
        editor = FormEditor(session, service, patient_id, event, repeat, form_oid,
                            draft_interval_ms=draft_interval_ms, language="en")
        qtbot.addWidget(editor)
        editor.resize(1366, 768)
        editor.show()
        qtbot.waitExposed(editor)
        activate(qtbot, editor)
        return editor
    return _open


def activate(qtbot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_keys(qtbot, text: str) -> None:
    """Type each character into whatever has the focus at that moment, as a keyboard does."""
    for char in text:
        qtbot.keyClicks(focused(), char)


def type_and_tab(qtbot, text: str, key_after: Qt.Key = Qt.Key.Key_Tab) -> None:
    """Type into whatever has the focus, then leave with Tab (or Enter)."""
    type_keys(qtbot, text)
    qtbot.keyClick(focused(), key_after)


def field(editor: FormEditor, group: str, item: str) -> QWidget:
    return editor.view.rows[(group, item)].field.focus_widget()


def message_text(editor: FormEditor, group: str, item: str) -> str:
    return editor.view.rows[(group, item)].message.text.text()


def answer_reasons(qtbot, reason: str, seen: list[list[str]] | None = None) -> None:
    """When the next reason dialog opens, type ``reason`` as a user does and press OK."""
    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ChangeReasonsDialog):
            QTimer.singleShot(20, act)
            return
        if seen is not None:
            seen.append([r.field for r in dialog._requests])
        box = dialog.common if dialog.common.isVisible() else dialog.findChild(QLineEdit,
                                                                              "reason1")
        box.setFocus()
        qtbot.keyClicks(box, reason)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok.isEnabled()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, act)


def enter_haematology(qtbot, editor: FormEditor) -> None:
    field(editor, HEM, "I.HEM.DAT").setFocus()
    for text in ("120311", "112", "120", "4,2", "4", "0.8", "1.8", "1,1", "1", "95", "150"):
        type_and_tab(qtbot, text)


# ------------------------------------------------------------------ tests


def test_haematology_by_keyboard_saves_and_reopens(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    enter_haematology(qtbot, editor)
    assert field(editor, HEM, "I.HEM.DAT").text() == "12/03/2011"
    assert editor.is_dirty()
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.view.status_label.text().startswith("Saved at ")
    assert not editor.is_dirty()
    reopened = open_editor("F.HEM")
    values = reopened.buffer.snapshot.values
    assert values[key(HEM, "I.HEM.DAT")] == "2011-03-12"
    assert values[key(HEM, "I.HEM.WBC")] == "4.20"
    assert values[key(HEM, "I.HEM.ANC")] == "0.80"
    assert field(reopened, HEM, "I.HEM.PLT").text() == "95"


def test_hard_error_shown_next_to_field_when_leaving_it(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    field(editor, HEM, "I.HEM.PLT").setFocus()
    type_and_tab(qtbot, "-5")
    text = message_text(editor, HEM, "I.HEM.PLT")
    assert text.startswith("Error:")
    assert editor.view.rows[(HEM, "I.HEM.PLT")].message.icon.isVisibleTo(editor)
    assert field(editor, HEM, "I.HEM.PLT").text() == "-5"  # the input is kept
    editor.save()
    assert editor.view.status_label.text().startswith("Not saved")


def test_soft_warning_confirmed_with_a_reason(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    enter_haematology(qtbot, editor)
    field(editor, HEM, "I.HEM.HGB").setFocus()
    field(editor, HEM, "I.HEM.HGB").selectAll()
    type_and_tab(qtbot, "55")
    message = editor.view.rows[(HEM, "I.HEM.HGB")].message
    assert message.text.text().startswith("Warning:")
    assert message.confirm_button.isVisibleTo(editor)
    answer_reasons(qtbot, "checked on the lab report")
    qtbot.mouseClick(message.confirm_button, Qt.MouseButton.LeftButton)
    assert "checked on the lab report" in message.text.text()
    assert editor.save()
    assert key(HEM, "I.HEM.HGB") in editor.buffer.snapshot.confirmed_warnings


def test_changing_a_saved_value_asks_the_reason(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    enter_haematology(qtbot, editor)
    assert editor.save()
    for item, text in (("I.HEM.WBC", "4.5"), ("I.HEM.PLT", "97")):
        widget = field(editor, HEM, item)
        widget.setFocus()
        widget.selectAll()
        type_and_tab(qtbot, text)
    seen: list[list[str]] = []
    answer_reasons(qtbot, "transcription error", seen)  # one reason for both changes
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert seen == [["Leukocytes", "Platelets"]]
    assert editor.view.status_label.text().startswith("Saved at ")
    history = editor.service.history(*editor.instance, key(HEM, "I.HEM.WBC"))
    assert [(h.old, h.new, h.reason) for h in history][-1] == (
        "4.20", "4.50", "transcription error")


def test_conflict_between_two_editors_keeps_the_input(qtbot, open_editor) -> None:
    first = open_editor("F.HEM")
    second = open_editor("F.HEM")
    activate(qtbot, first)
    enter_haematology(qtbot, first)
    assert first.save()
    activate(qtbot, second)
    enter_haematology(qtbot, second)
    assert not second.save()
    assert second.view.banner.isVisibleTo(second)
    assert second.view.banner_text.text().startswith("Not saved")
    assert field(second, HEM, "I.HEM.DAT").text() == "12/03/2011"
    assert second.is_dirty()


def test_monitor_sees_a_read_only_banner(qtbot, db, admin, open_editor) -> None:
    monitor = another_user(db, admin, "claire", Role.MONITOR, None)
    editor = open_editor("F.HEM", actor=monitor)
    assert editor.view.banner.isVisibleTo(editor)
    assert editor.view.banner_text.text().startswith("Read only:")
    assert not field(editor, HEM, "I.HEM.DAT").isEnabled()
    assert not editor.view.save_button.isEnabled()
    assert not editor.save()


def test_accented_text_typed_like_a_user(qtbot, open_editor) -> None:
    editor = open_editor("F.IC", event="SE.SCREEN")
    field(editor, "IG.IC.MAIN", "I.IC.SIGNED").setFocus()
    type_and_tab(qtbot, "Yes")
    assert editor.view.rows[("IG.IC.MAIN", "I.IC.VERSION")].field.isVisibleTo(editor)
    type_and_tab(qtbot, "100111")
    version = field(editor, "IG.IC.MAIN", "I.IC.VERSION")
    assert focused() is version
    qtbot.keyClicks(version, "2.0 r")
    for char in "évisée":
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_unknown,
                          Qt.KeyboardModifier.NoModifier, char)
        QApplication.sendEvent(version, event)
    QTest.keyClick(version, Qt.Key.Key_Tab)
    assert editor.buffer.values[key("IG.IC.MAIN", "I.IC.VERSION")] == "2.0 révisée"


def test_draft_is_offered_back(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM", draft_interval_ms=30)
    field(editor, HEM, "I.HEM.DAT").setFocus()
    type_and_tab(qtbot, "120311")
    type_and_tab(qtbot, "112")
    qtbot.waitUntil(lambda: editor.service.load_draft(*editor.instance) is not None)
    editor.close()
    reopened = open_editor("F.HEM")
    assert reopened.view.draft_bar.isVisibleTo(reopened)
    qtbot.mouseClick(reopened.view.restore_draft_button, Qt.MouseButton.LeftButton)
    assert field(reopened, HEM, "I.HEM.HGB").text() == "112"
    assert reopened.is_dirty()


def test_leaving_with_changes_asks_first(qtbot, open_editor, monkeypatch) -> None:
    editor = open_editor("F.HEM")
    assert editor.maybe_close()
    field(editor, HEM, "I.HEM.DAT").setFocus()
    type_and_tab(qtbot, "120311")
    asked: list[str] = []

    def cancel(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(QMessageBox, "question", cancel)
    assert not editor.maybe_close()
    assert "Haematology" in asked[0]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a: QMessageBox.StandardButton.Discard)
    assert editor.maybe_close()


def test_visibility_follows_the_answers(qtbot, open_editor) -> None:
    editor = open_editor("F.IC", event="SE.SCREEN")
    row = editor.view.rows[("IG.IC.MAIN", "I.IC.DAT")]
    assert not row.field.isVisibleTo(editor)
    field(editor, "IG.IC.MAIN", "I.IC.SIGNED").setFocus()
    type_and_tab(qtbot, "Y")
    assert row.field.isVisibleTo(editor)
    assert focused() is field(editor, "IG.IC.MAIN", "I.IC.DAT")


def test_history_on_right_click(qtbot, open_editor) -> None:
    editor = open_editor("F.HEM")
    enter_haematology(qtbot, editor)
    assert editor.save()
    dialog = editor.show_history(key(HEM, "I.HEM.PLT"))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() >= 1
    assert dialog.table.item(dialog.table.rowCount() - 1, 3).text() == "95"

