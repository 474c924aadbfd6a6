"""Idle auto-lock: the session locks after a short injected timeout, unlocks with the
password keeping unsaved input, and logs out after five wrong passwords."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.app_controller import AppController
from ctrial_desktop.ui.field_messages import error_text
from ctrial_desktop.ui.idle import IdleWatcher
from tests.gui.app_helpers import OFFSCREEN_WARNINGS, ControllerFactory, StandInMainWindow
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)

IDLE_MS = 150


@pytest.fixture
def factory(study: StudyDefinition, db: Database, tmp_path: Path) -> Iterator[ControllerFactory]:
    made = ControllerFactory(study, db, tmp_path)
    yield made
    made.close()


def _logged_in(qtbot: QtBot, factory: ControllerFactory, admin: Actor) -> AppController:
    controller = factory(idle_timeout_ms=IDLE_MS)
    controller.start()
    login = controller.login_dialog
    assert login is not None
    qtbot.keyClicks(login.username_edit, "admin")
    qtbot.keyClicks(login.password_edit, PASSWORD)
    with qtbot.waitSignal(controller.session_started):
        qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
    assert isinstance(controller.main_window, StandInMainWindow)
    return controller


def _audit_actions(db: Database) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))


def test_idle_watcher_restarts_on_input(qtbot: QtBot) -> None:
    watcher = IdleWatcher(300)
    watcher.start()
    assert watcher.active
    with qtbot.waitSignal(watcher.idle, timeout=2000):
        pass
    assert not watcher.active
    with pytest.raises(ValueError):
        IdleWatcher(0)


def test_idle_lock_then_unlock_keeps_unsaved_text(qtbot: QtBot, factory: ControllerFactory,
                                                   admin: Actor, db: Database) -> None:
    controller = _logged_in(qtbot, factory, admin)
    window = controller.main_window
    assert isinstance(window, StandInMainWindow)
    qtbot.keyClicks(window.notes, "platelets 112, not saved yet")
    with qtbot.waitSignal(controller.window_shown, timeout=3000) as shown:
        pass  # no input: the idle timeout fires
    lock = controller.lock_dialog
    assert lock is not None and shown.args[0] is lock
    assert lock.isVisible() and not window.isVisible()
    assert "SESSION_LOCKED" in _audit_actions(db)
    qtbot.keyClick(lock.password_edit, Qt.Key.Key_Escape)  # Escape does not unlock
    assert lock.isVisible()
    qtbot.keyClicks(lock.password_edit, "wrong-password-1")
    qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    assert "4 attempts left" in error_text(lock.message_label)
    assert not window.isVisible()
    qtbot.keyClicks(lock.password_edit, PASSWORD)
    qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    assert controller.lock_dialog is None
    assert window.isVisible()
    assert window.notes.text() == "platelets 112, not saved yet"
    assert "SESSION_UNLOCKED" in _audit_actions(db)
    assert controller.idle.active


def test_input_postpones_the_lock(qtbot: QtBot, factory: ControllerFactory,
                                  admin: Actor) -> None:
    controller = _logged_in(qtbot, factory, admin)
    window = controller.main_window
    assert isinstance(window, StandInMainWindow)
    for _ in range(4):
        qtbot.wait(IDLE_MS // 2)
        qtbot.keyClick(window.notes, Qt.Key.Key_A)
    assert controller.lock_dialog is None
    assert window.notes.text() == "aaaa"


def test_five_wrong_passwords_lock_the_account_and_log_out(
        qtbot: QtBot, factory: ControllerFactory, admin: Actor, db: Database) -> None:
    controller = _logged_in(qtbot, factory, admin)
    controller.lock_by_user()
    lock = controller.lock_dialog
    assert lock is not None
    with qtbot.waitSignal(controller.session_ended):
        for _ in range(5):
            qtbot.keyClicks(lock.password_edit, "wrong-password-1")
            qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)
    assert controller.session is None and controller.main_window is None
    login = controller.login_dialog
    assert login is not None and login.isVisible()
    assert "locked" in error_text(login.message_label)
    qtbot.keyClicks(login.username_edit, "admin")
    qtbot.keyClicks(login.password_edit, PASSWORD)
    qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
    assert controller.session is None  # the account stays locked for an administrator
    assert "locked" in error_text(login.message_label)
    with pytest.raises(Exception, match="locked"):
        AuthService(db).login("admin", PASSWORD)


def test_log_out_from_the_lock_screen(qtbot: QtBot, factory: ControllerFactory,
                                      admin: Actor, db: Database) -> None:
    controller = _logged_in(qtbot, factory, admin)
    controller.lock_by_user()
    lock = controller.lock_dialog
    assert lock is not None
    with qtbot.waitSignal(controller.session_ended):
        qtbot.mouseClick(lock.logout_button, Qt.MouseButton.LeftButton)
    assert controller.login_dialog is not None and controller.login_dialog.isVisible()
    assert _audit_actions(db)[-1] == "LOGOUT"
