"""Login dialog: success, wrong password with the attempts left, lockout after five."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.store.database import Database
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.login_dialog import LoginDialog
from tests.gui.conftest import PASSWORD

# The offscreen platform plugin warns when a dialog is shown; harmless.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

def _open(qtbot: QtBot, db: Database, **kwargs: str) -> LoginDialog:
    dialog = LoginDialog(AuthService(db), study_name="IFM 2009-02", **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_enter_logs_in(qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = _open(qtbot, db)
    qtbot.keyClicks(dialog.username_edit, "admin")
    qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.password_edit
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    with qtbot.waitSignal(dialog.accepted), qtbot.waitSignal(dialog.logged_in) as signal:
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert signal.args[0].username == "admin"
    assert dialog.actor is not None and dialog.actor.user_id == admin.user_id
    assert dialog.password_edit.text() == ""


def test_prefilled_account_focuses_the_password(qtbot: QtBot, db: Database,
                                                admin: Actor) -> None:
    dialog = _open(qtbot, db, username="admin", password=PASSWORD)
    assert dialog.username_edit.text() == "admin"
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def test_wrong_password_keeps_the_dialog_open_and_counts_down(
        qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = _open(qtbot, db)
    qtbot.keyClicks(dialog.username_edit, "admin")
    for left in (4, 3, 2, 1):
        qtbot.keyClicks(dialog.password_edit, "wrong-password-1")
        qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
        message = error_text(dialog.message_label)
        assert "wrong password" in message
        assert f"{left} attempt" in message
        assert dialog.isVisible() and dialog.actor is None
        assert dialog.password_edit.text() == ""
    qtbot.keyClicks(dialog.password_edit, "wrong-password-1")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "now locked" in error_text(dialog.message_label)
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert "locked" in error_text(dialog.message_label)
    assert dialog.actor is None and dialog.isVisible()


def test_empty_user_name_is_asked_for(qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = _open(qtbot, db)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert error_text(dialog.message_label) == "Type your user name."
    assert dialog.isVisible()


def test_choosing_a_language_is_announced(qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = _open(qtbot, db)
    with qtbot.waitSignal(dialog.language_chosen) as signal:
        dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("fr"))
    assert signal.args == ["fr"]


def test_escape_quits(qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = _open(qtbot, db)
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.username_edit, Qt.Key.Key_Escape)
