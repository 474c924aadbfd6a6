"""The application flow: first run, forced password change, log out, quit, tools, clock
warnings, the exception hook, refusals at start-up and the offscreen screenshot."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ctrial_desktop import __version__
from ctrial_desktop.cli import main as cli_main
from ctrial_desktop.logging_setup import setup_logging, teardown_logging
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import UserService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui import error_dialog
from ctrial_desktop.ui.about_dialog import AboutDialog
from ctrial_desktop.ui.app import main as app_main
from ctrial_desktop.ui.app_controller import AppController
from ctrial_desktop.ui.change_password_dialog import ChangePasswordDialog
from ctrial_desktop.ui.error_dialog import ErrorDialog, ExceptionHook
from ctrial_desktop.ui.sites_dialog import SitesDialog
from ctrial_desktop.ui.users_dialog import UsersDialog
from tests.gui.app_helpers import OFFSCREEN_WARNINGS, ControllerFactory, StandInMainWindow
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)

ROOT = Path(__file__).resolve().parents[2]
TEMPORARY = "temporary-pass-31"
OWN = "my-own-password-58"


@pytest.fixture
def factory(study: StudyDefinition, db: Database, tmp_path: Path) -> Iterator[ControllerFactory]:
    made = ControllerFactory(study, db, tmp_path)
    yield made
    made.close()


def _login(qtbot: QtBot, controller: AppController, username: str, password: str) -> None:
    login = controller.login_dialog
    assert login is not None and login.isVisible()
    qtbot.keyClicks(login.username_edit, username)
    qtbot.keyClicks(login.password_edit, password)
    qtbot.keyClick(login.password_edit, Qt.Key.Key_Return)


def _window(controller: AppController) -> StandInMainWindow:
    window = controller.main_window
    assert isinstance(window, StandInMainWindow)
    return window


def test_first_run_creates_the_administrator_and_offers_the_study_sites(
        qtbot: QtBot, factory: ControllerFactory, db: Database, study: StudyDefinition) -> None:
    controller = factory()
    controller.start()
    dialog = controller.first_run_dialog
    assert dialog is not None and dialog.isVisible() and controller.login_dialog is None
    qtbot.keyClicks(dialog.username_edit, "mdurand")
    qtbot.keyClicks(dialog.first_name_edit, "Marie")
    qtbot.keyClicks(dialog.last_name_edit, "Durand")
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClicks(dialog.confirm_edit, PASSWORD)
    with qtbot.waitSignal(controller.session_started) as started:
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert started.args[0].actor.username == "mdurand"
    assert _window(controller).isVisible()
    sites = controller.tool_dialog
    assert isinstance(sites, SitesDialog) and sites.isVisible()
    qtbot.mouseClick(sites.study_sites_button, Qt.MouseButton.LeftButton)
    assert controller.session is not None
    codes = [s.code for s in controller.session.sites.list_sites()]
    assert codes == [s.code for s in study.sites]


def test_forced_password_change_at_first_login(qtbot: QtBot, factory: ControllerFactory,
                                               admin: Actor, db: Database) -> None:
    UserService(db, admin).create_user("mdurand", "Marie", "Durand", TEMPORARY,
                                       [RoleGrant(Role.MONITOR, None)])
    controller = factory()
    controller.start()
    _login(qtbot, controller, "mdurand", TEMPORARY)
    change = controller.change_password_dialog
    assert change is not None and change.isVisible() and controller.main_window is None
    assert "administrator" in change.intro_label.text()
    qtbot.keyClicks(change.old_edit, TEMPORARY)
    qtbot.keyClicks(change.new_edit, OWN)
    qtbot.keyClicks(change.confirm_edit, OWN)
    with qtbot.waitSignal(controller.session_started):
        qtbot.keyClick(change.confirm_edit, Qt.Key.Key_Return)
    assert _window(controller).isVisible()
    assert AuthService(db).login("mdurand", OWN).username == "mdurand"


def test_refusing_the_password_change_returns_to_login(
        qtbot: QtBot, factory: ControllerFactory, admin: Actor, db: Database) -> None:
    UserService(db, admin).create_user("mdurand", "Marie", "Durand", TEMPORARY,
                                       [RoleGrant(Role.MONITOR, None)])
    controller = factory()
    controller.start()
    _login(qtbot, controller, "mdurand", TEMPORARY)
    change = controller.change_password_dialog
    assert change is not None
    qtbot.keyClicks(change.old_edit, "wrong-one-12")
    qtbot.keyClicks(change.new_edit, OWN)
    qtbot.keyClicks(change.confirm_edit, OWN)
    qtbot.keyClick(change.confirm_edit, Qt.Key.Key_Return)
    assert "current password is wrong" in change.errors["old"].text()
    with qtbot.waitSignal(controller.session_ended):
        qtbot.keyClick(change.old_edit, Qt.Key.Key_Escape)
    assert controller.main_window is None
    assert controller.login_dialog is not None and controller.login_dialog.isVisible()


def test_logout_returns_to_login_and_closing_the_window_quits(
        qtbot: QtBot, factory: ControllerFactory, admin: Actor) -> None:
    controller = factory()
    controller.start()
    _login(qtbot, controller, "admin", PASSWORD)
    window = _window(controller)
    with qtbot.waitSignal(controller.session_ended):
        window.logout_requested.emit()
    assert controller.session is None and controller.main_window is None
    _login(qtbot, controller, "admin", PASSWORD)
    window = _window(controller)
    with qtbot.waitSignal(controller.finished) as finished:
        window.close()
    assert finished.args == [0]


def test_quit_on_the_login_dialog(qtbot: QtBot, factory: ControllerFactory,
                                  admin: Actor) -> None:
    controller = factory()
    controller.start()
    assert controller.login_dialog is not None
    with qtbot.waitSignal(controller.finished) as finished:
        qtbot.mouseClick(controller.login_dialog.quit_button, Qt.MouseButton.LeftButton)
    assert finished.args == [0]


def test_tools_menu_dialogs(qtbot: QtBot, factory: ControllerFactory, admin: Actor,
                            study: StudyDefinition) -> None:
    controller = factory()
    controller.start()
    _login(qtbot, controller, "admin", PASSWORD)
    window = _window(controller)
    window.manage_users_requested.emit()
    assert isinstance(controller.tool_dialog, UsersDialog)
    assert controller.tool_dialog.table.item(0, 0).text() == "admin"
    controller.tool_dialog.close()
    window.about_requested.emit()
    about = controller.tool_dialog
    assert isinstance(about, AboutDialog)
    assert about.value_labels["version"].text() == __version__
    assert study.info.registry_id in about.value_labels["study"].text()
    assert "PySide6" in about.value_labels["qt"].text()
    assert about.value_labels["database"].text().endswith("trial.sqlite3")


def test_clock_anomaly_shown_once_in_a_dialog_and_the_status_bar(
        qtbot: QtBot, factory: ControllerFactory, admin: Actor, db: Database) -> None:
    controller = factory()
    controller.start()
    _login(qtbot, controller, "admin", PASSWORD)
    window = _window(controller)
    message = "the computer clock moved by +2 h 0 min while the application was running"
    db.audit.clock.notify(message)
    db.audit.clock.notify(message)
    qtbot.waitUntil(lambda: controller.clock_box is not None)
    qtbot.wait(50)
    assert controller.clock_box is not None and message in controller.clock_box.text()
    assert len(window.status_messages) == 1 and message in window.status_messages[0]
    controller.clock_box.close()


def test_exception_hook_logs_and_apologises(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[Path | None] = []
    monkeypatch.setattr(error_dialog, "show_apology", shown.append)
    log_path = setup_logging(tmp_path / "logs")
    hook = ExceptionHook()
    hook.install()
    try:
        assert sys.excepthook is hook
        try:
            raise ZeroDivisionError("dose per kilogram")
        except ZeroDivisionError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        hook.uninstall()
        logging.getLogger("ctrial_desktop").handlers[-1].flush()
        text = log_path.read_text(encoding="utf-8")
        teardown_logging()
    assert sys.excepthook is not hook
    assert shown == [log_path]
    assert "ZeroDivisionError: dose per kilogram" in text
    assert "Traceback (most recent call last)" in text


def test_apology_names_the_log_file(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ErrorDialog(tmp_path / "ctrial.log")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.path_label.text() == str(tmp_path / "ctrial.log")
    assert "Nothing you saved is lost" in dialog.message_label.text()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog, Qt.Key.Key_Return)


def test_invalid_study_definition_refuses_to_start(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "study.yaml").write_text("study: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("CTRIAL_FORMS_DIR", str(forms))
    code = cli_main(["--db", f"sqlite:///{tmp_path / 'x.sqlite3'}", "gui",
                     "--screenshot", str(tmp_path / "never.png")])
    assert code == 2
    err = capsys.readouterr().err
    assert "study definition" in err and "study.yaml" in err
    assert not (tmp_path / "never.png").exists()
    assert not (tmp_path / "x.sqlite3").exists()


def test_unreadable_database_is_left_untouched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"these are not the data you are looking for\n" * 10)
    before = bogus.read_bytes()
    code = cli_main(["--db", f"sqlite:///{bogus}", "gui", "--screenshot",
                     str(tmp_path / "never.png")])
    assert code == 2
    assert "not a SQLite file" in capsys.readouterr().err
    assert bogus.read_bytes() == before


def test_screenshot_must_be_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["gui", "--screenshot", str(tmp_path / "shot.jpg")]) == 2
    assert capsys.readouterr().err.startswith("ctrial: error: the screenshot must be a .png")


def test_gui_demo_screenshot_in_a_subprocess(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CTRIAL_DATA_DIR=str(tmp_path / "data"))
    out = tmp_path / "out.png"
    result = subprocess.run(
        [sys.executable, "-m", "ctrial_desktop.cli", "gui", "--demo", "--screenshot", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "data" / "demo.sqlite3").is_file()
    log_text = (tmp_path / "data" / "logs" / "ctrial.log").read_text("utf-8")
    # The picture is taken once the patient and to-do lists are read, not while loading.
    assert "screenshot" in log_text and "(background reading done: yes)" in log_text


def test_app_main_parses_its_own_arguments(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "empty-but-wrong.sqlite3"
    bogus.write_text("plain text", encoding="utf-8")
    assert app_main(["--db", f"sqlite:///{bogus}", "--language", "en"]) == 2
    assert "not a SQLite file" in capsys.readouterr().err
    assert bogus.read_text(encoding="utf-8") == "plain text"


def test_change_password_and_sites_from_the_tools_menu(
        qtbot: QtBot, factory: ControllerFactory, admin: Actor, db: Database) -> None:
    controller = factory()
    controller.start()
    _login(qtbot, controller, "admin", PASSWORD)
    window = _window(controller)
    window.change_password_requested.emit()
    change = controller.tool_dialog
    assert isinstance(change, ChangePasswordDialog)
    assert "administrator" not in change.intro_label.text()
    qtbot.keyClicks(change.old_edit, PASSWORD)
    qtbot.keyClicks(change.new_edit, OWN)
    qtbot.keyClicks(change.confirm_edit, OWN)
    with qtbot.waitSignal(change.accepted):
        qtbot.keyClick(change.confirm_edit, Qt.Key.Key_Return)
    assert AuthService(db).login("admin", OWN).username == "admin"
    window.manage_sites_requested.emit()
    assert isinstance(controller.tool_dialog, SitesDialog)
    assert controller.tool_dialog.study_sites_button.isEnabled()


def test_automatic_backups_now_and_on_exit(qtbot: QtBot, tmp_path: Path) -> None:
    import datetime as dt

    from PySide6.QtCore import QObject

    from ctrial_desktop import paths
    from ctrial_desktop.store.database import open_database
    from ctrial_desktop.ui.app import backup_on_exit, start_automatic_backups

    db = open_database(f"sqlite:///{tmp_path / 'site.sqlite3'}")
    owner = QObject()
    try:
        service = start_automatic_backups(db, owner)
        assert service is not None
        service.clock = lambda: dt.datetime(2011, 3, 12, 10, 0, tzinfo=dt.UTC)
        qtbot.waitUntil(lambda: len(service.copies()) == 1, timeout=10000)
        service.clock = lambda: dt.datetime(2011, 3, 12, 18, 0, tzinfo=dt.UTC)
        backup_on_exit(service)
        assert len(service.copies()) == 2
        assert all(c.path.parent == paths.backup_dir() for c in service.copies())
        assert start_automatic_backups(open_database("sqlite://"), owner) is None
    finally:
        owner.deleteLater()
        db.dispose()
