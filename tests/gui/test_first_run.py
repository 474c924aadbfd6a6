"""First run: the first administrator is created by typing into the real dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.first_run_dialog import FirstRunDialog
from tests.gui.conftest import PASSWORD

# The offscreen platform plugin warns when a dialog is shown; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

def _open(qtbot: QtBot, db: Database) -> FirstRunDialog:
    dialog = FirstRunDialog(AuthService(db), "IFM 2009-02")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _rule_states(dialog: FirstRunDialog) -> dict[str, bool]:
    return {key: label.text().startswith("\u2713")
            for key, label in dialog.rules_view.rule_labels.items()}


def test_rules_update_live_while_typing(qtbot: QtBot, db: Database) -> None:
    dialog = _open(qtbot, db)
    qtbot.keyClicks(dialog.username_edit, "mdurand")
    assert _rule_states(dialog)["length"] is False
    qtbot.keyClicks(dialog.password_edit, "abc")
    states = _rule_states(dialog)
    assert states["letter"] is True and states["digit"] is False and states["length"] is False
    qtbot.keyClicks(dialog.password_edit, "defghij7")
    assert all(_rule_states(dialog).values())
    qtbot.keyClicks(dialog.password_edit, "mdurand")
    assert _rule_states(dialog)["username"] is False
    assert "user name" in dialog.rules_view.rule_labels["username"].text()


def test_typing_an_administrator_creates_and_logs_in(qtbot: QtBot, db: Database) -> None:
    dialog = _open(qtbot, db)
    qtbot.keyClicks(dialog.username_edit, "MDurand")
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.focusWidget(), "Marie")
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.focusWidget(), "Durand")
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClicks(dialog.confirm_edit, PASSWORD)
    assert dialog.first_name_edit.text() == "Marie"
    assert dialog.last_name_edit.text() == "Durand"
    with qtbot.waitSignal(dialog.accepted), qtbot.waitSignal(dialog.administrator_created):
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert dialog.actor is not None
    assert dialog.actor.username == "mdurand"
    assert dialog.actor.can(Action.MANAGE_USERS)
    assert AuthService(db).has_users()


def test_mismatch_and_weak_password_are_shown_next_to_the_fields(
        qtbot: QtBot, db: Database) -> None:
    dialog = _open(qtbot, db)
    qtbot.keyClicks(dialog.username_edit, "admin")
    qtbot.keyClicks(dialog.first_name_edit, "Ada")
    qtbot.keyClicks(dialog.last_name_edit, "Admin")
    qtbot.keyClicks(dialog.password_edit, "short1")
    qtbot.keyClicks(dialog.confirm_edit, "short2")
    assert "differ" in error_text(dialog.errors["confirm"])
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    dialog.confirm_edit.clear()
    qtbot.keyClicks(dialog.confirm_edit, "short1")
    assert error_text(dialog.errors["confirm"]) == ""
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "at least 10 characters" in error_text(dialog.errors["password"])
    assert not AuthService(db).has_users()


def test_invalid_user_name_is_refused_in_the_dialog(qtbot: QtBot, db: Database) -> None:
    dialog = _open(qtbot, db)
    qtbot.keyClicks(dialog.username_edit, "9 bad name")
    qtbot.keyClicks(dialog.first_name_edit, "Ada")
    qtbot.keyClicks(dialog.last_name_edit, "Admin")
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClicks(dialog.confirm_edit, PASSWORD)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "user name" in error_text(dialog.errors["username"])
    assert dialog.actor is None and dialog.isVisible()
