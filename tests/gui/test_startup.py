"""Start-up: the login dialog is on screen before the database is open, and a login typed
meanwhile goes ahead once it is (see ``ctrial_desktop.ui.app._StartupLoad``)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.app import _existing_database
from ctrial_desktop.ui.app import main as app_main
from ctrial_desktop.ui.login_dialog import LoginDialog
from ctrial_desktop.ui.main_window import MainWindow
from tests.gui.app_helpers import OFFSCREEN_WARNINGS, ControllerFactory
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)


def test_a_login_asked_before_the_database_is_open_waits_then_goes_ahead(
        qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = LoginDialog(None, study_name="", database_name="trial.sqlite3")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.title_label.text() == "Electronic case report forms"
    qtbot.keyClicks(dialog.username_edit, "admin")
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.login_waiting and dialog.actor is None
    assert dialog.status_label.isVisible()
    assert dialog.status_label.text() == "Opening the database…"
    assert not dialog.password_edit.isEnabled() and not dialog.login_button.isEnabled()
    with qtbot.waitSignal(dialog.logged_in) as logged:
        dialog.set_backend(AuthService(db), "IFM 2009-02", db.display_name)
    assert logged.args[0].username == "admin"
    assert dialog.title_label.text() == "IFM 2009-02"
    assert not dialog.login_waiting and dialog.status_label.isHidden()


def test_a_wrong_password_typed_early_is_refused_once_the_database_is_open(
        qtbot: QtBot, db: Database, admin: Actor) -> None:
    dialog = LoginDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username_edit, "admin")
    qtbot.keyClicks(dialog.password_edit, "not-the-password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    dialog.set_backend(AuthService(db), "IFM 2009-02", db.display_name)
    assert dialog.actor is None and dialog.isVisible()
    assert dialog.password_edit.isEnabled() and dialog.password_edit.text() == ""
    assert "attempt" in dialog.message_label.text()


def test_the_controller_keeps_the_early_dialog_and_what_was_typed(
        qtbot: QtBot, study: StudyDefinition, db: Database, admin: Actor,
        tmp_path: Path) -> None:
    factory = ControllerFactory(study, db, tmp_path)
    try:
        controller = factory()
        early = LoginDialog(None)
        early.show()
        qtbot.keyClicks(early.username_edit, "admin")
        with qtbot.waitSignal(controller.window_shown):
            controller.start(early)
        assert controller.login_dialog is early
        assert early.title_label.text() == study.info.name
        assert early.database_label.text() == db.display_name
        qtbot.keyClicks(early.password_edit, PASSWORD)
        with qtbot.waitSignal(controller.session_started):
            qtbot.keyClick(early.password_edit, Qt.Key.Key_Return)
    finally:
        factory.close()


def test_an_empty_database_closes_the_early_dialog_for_the_first_run(
        qtbot: QtBot, study: StudyDefinition, db: Database, tmp_path: Path) -> None:
    factory = ControllerFactory(study, db, tmp_path)
    try:
        controller = factory()
        early = LoginDialog(None)
        qtbot.addWidget(early)
        early.show()
        controller.start(early)
        assert not early.isVisible()
        assert controller.login_dialog is None
        assert controller.first_run_dialog is not None and controller.first_run_dialog.isVisible()
    finally:
        factory.close()


def test_which_databases_get_the_early_login(tmp_path: Path) -> None:
    existing = tmp_path / "trial.sqlite3"
    existing.write_bytes(b"SQLite format 3\x00")
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert _existing_database(f"sqlite:///{existing}")
    assert not _existing_database(f"sqlite:///{empty}")
    assert not _existing_database(f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert not _existing_database("sqlite://")
    assert _existing_database("postgresql://ctrial@central/ctrial")


def test_the_application_shows_the_login_then_the_main_window(
        qtbot: QtBot, tmp_path: Path, db: Database, admin: Actor) -> None:
    """The real start-up (``ctrial gui``) on an existing database, driven like a user."""
    url = db.url
    db.dispose()
    seen: list[str] = []

    def drive() -> None:
        windows = {type(w).__name__: w for w in QApplication.topLevelWidgets() if w.isVisible()}
        login = windows.get("LoginDialog")
        main = windows.get("MainWindow")
        if isinstance(main, MainWindow):
            seen.append("main")
            main.close()
            return
        if isinstance(login, LoginDialog) and "login" not in seen:
            seen.append("login")
            qtbot.keyClicks(login.username_edit, "admin")
            qtbot.keyClicks(login.password_edit, PASSWORD)
            qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    assert app_main(["--db", url, "--language", "en"]) == 0
    assert seen == ["login", "main"]


def test_the_passphrase_variable_is_the_store_s() -> None:
    from ctrial_desktop.store.database import PASSPHRASE_ENV
    from ctrial_desktop.ui.app import PASSPHRASE_ENV as APP_PASSPHRASE_ENV

    assert APP_PASSPHRASE_ENV == PASSPHRASE_ENV


def _encrypted_database(tmp_path: Path) -> tuple[str, Path]:
    pytest.importorskip("sqlcipher3", reason="the encryption extra is not installed")
    from ctrial_desktop.store.database import open_database

    path = tmp_path / "laptop.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url, passphrase="long enough passphrase")
    AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    db.dispose()
    return url, path


def test_an_encrypted_database_asks_its_passphrase_again_when_wrong(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ctrial_desktop.ui.app import run
    from ctrial_desktop.ui.passphrase_dialog import PassphraseDialog, ask_passphrase

    monkeypatch.delenv("CTRIAL_PASSPHRASE", raising=False)
    url, _path = _encrypted_database(tmp_path)
    seen: list[str] = []

    def drive() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in windows:
            if isinstance(widget, PassphraseDialog):
                seen.append("passphrase:" + widget.message_label.text())
                widget.passphrase_edit.clear()
                attempt = "wrong guess" if len(seen) == 1 else "long enough passphrase"
                qtbot.keyClicks(widget.passphrase_edit, attempt)
                qtbot.keyClick(widget.passphrase_edit, Qt.Key.Key_Return)
            elif isinstance(widget, LoginDialog) and "login" not in seen:
                seen.append("login")
                qtbot.keyClicks(widget.username_edit, "admin")
                qtbot.keyClicks(widget.password_edit, PASSWORD)
                qtbot.keyClick(widget.password_edit, Qt.Key.Key_Return)
            elif isinstance(widget, MainWindow):
                seen.append("main")
                widget.close()
                return
        QTimer.singleShot(20, drive)

    QTimer.singleShot(0, drive)
    args = argparse.Namespace(db=url, language="en", demo=False, screenshot=None)
    assert run(args, passphrase_asker=ask_passphrase) == 0
    assert seen[0] == "passphrase:"
    assert seen[1].startswith("passphrase:") and "Wrong passphrase" in seen[1]
    assert seen[2:] == ["login", "main"]


def test_cancelling_the_passphrase_quits_and_leaves_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ctrial_desktop.ui.app import run

    monkeypatch.delenv("CTRIAL_PASSPHRASE", raising=False)
    url, path = _encrypted_database(tmp_path)
    before = path.read_bytes()
    asked: list[Path] = []

    def cancel(file: Path, _message: str) -> str | None:
        asked.append(file)
        return None

    args = argparse.Namespace(db=url, language="en", demo=False, screenshot=None)
    assert run(args, passphrase_asker=cancel) == 0
    assert asked == [path]
    assert path.read_bytes() == before


def test_the_passphrase_dialog_wants_something_typed(qtbot: QtBot, tmp_path: Path) -> None:
    from ctrial_desktop.ui.passphrase_dialog import PassphraseDialog

    dialog = PassphraseDialog(tmp_path / "laptop.sqlite3")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and "Type the passphrase" in dialog.message_label.text()
    qtbot.keyClicks(dialog.passphrase_edit, "s3cret phrase")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    assert dialog.passphrase == "s3cret phrase"
