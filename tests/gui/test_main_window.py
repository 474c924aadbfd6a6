"""The main window: title, role-dependent menus, opening patients, hooks, remembered layout."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.main_window import MainWindow, menu_titles
from ctrial_desktop.ui.session import make_ui_session
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> Iterator[Path]:
    """QSettings of these tests live in a temporary folder, never the user's."""
    folder = tmp_path / "settings"
    old_org, old_app = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    old_format = QSettings.defaultFormat()
    QCoreApplication.setOrganizationName("ctrial-tests")
    QCoreApplication.setApplicationName("main-window-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
    QSettings.setDefaultFormat(old_format)
    QCoreApplication.setOrganizationName(old_org)
    QCoreApplication.setApplicationName(old_app)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One database for the module, built once: the tests only read it."""
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('mw') / 'trial.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def users(db: Database) -> dict[str, Actor]:
    """A coordinator at site 01, a monitor at every site, and the administrator."""
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    sites = SiteService(db, admin)
    for code, name, city in (("01", "CHRU de Lille", "Lille"), ("02", "CHU de Nantes", "Nantes")):
        sites.create_site(code, name, city)
        sites.set_active(code, True, "site initiation visit")
    service = UserService(db, admin)
    service.create_user("coord", "Marie", "Durand", PASSWORD,
                        [RoleGrant(Role.COORDINATOR, "01")], must_change_password=False)
    service.create_user("monitor", "Claire", "Petit", PASSWORD, [RoleGrant(Role.MONITOR, None)],
                        must_change_password=False)
    auth = AuthService(db)
    actors = {"coord": auth.login("coord", PASSWORD), "monitor": auth.login("monitor", PASSWORD),
              "admin": admin}
    patients = PatientService(db, actors["coord"])
    for initials in ("MD", "JP", "AB"):
        patients.screen_patient("01", initials, "F", birth_date=dt.date(1950, 1, 2),
                                consent_date=dt.date(2010, 3, 1))
    return actors


def _window(qtbot: QtBot, db: Database, study: StudyDefinition, actor: Actor) -> MainWindow:
    window = MainWindow(make_ui_session(db, actor, study))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    with qtbot.waitExposed(window):
        window.show()
    if window.patient_list is not None:
        qtbot.waitUntil(lambda: window.patients_ready)
    return window


def test_coordinator_window(qtbot: QtBot, db: Database, study: StudyDefinition,
                            users: dict[str, Actor]) -> None:
    window = _window(qtbot, db, study, users["coord"])
    assert window.windowTitle() == "IFM 2009-02 · Site 01 Lille · Marie Durand (coordinator)"
    assert menu_titles(window) == ["File", "Patient", "Forms", "Reports", "Tools", "Help"]
    assert not window.users_action.isVisible() and not window.sites_action.isVisible()
    assert window.preferences_action.isVisible() and window.password_action.isVisible()
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.patient_list is not None
    assert window.patient_list.visible_patient_numbers() == ["01-001", "01-002", "01-003"]
    texts = [w.text() for w in window.statusBar().findChildren(QLabel)]
    assert "Marie Durand (coordinator)" in texts
    assert "Site 01 Lille" in texts
    assert "Database: trial.sqlite3" in texts
    assert "Offline" in texts


def test_monitor_sees_patients_but_not_administration(qtbot: QtBot, db: Database,
                                                      study: StudyDefinition,
                                                      users: dict[str, Actor]) -> None:
    window = _window(qtbot, db, study, users["monitor"])
    assert window.windowTitle() == "IFM 2009-02 · All sites · Claire Petit (monitor)"
    assert menu_titles(window) == ["File", "Patient", "Forms", "Reports", "Tools", "Help"]
    assert not window.users_action.isVisible()
    assert window.patient_list is not None and window.patient_list.site_combo.count() == 2


def test_administrator_gets_the_admin_home(qtbot: QtBot, db: Database, study: StudyDefinition,
                                          users: dict[str, Actor]) -> None:
    window = _window(qtbot, db, study, users["admin"])
    assert window.windowTitle() == "IFM 2009-02 · All sites · Ada Admin (administrator)"
    assert menu_titles(window) == ["File", "Tools", "Help"]
    assert window.patient_list is None and window.workspace is None
    assert window.users_action.isVisible() and window.sites_action.isVisible()
    buttons = window.admin_home.buttons
    assert [b.text() for b in buttons] == ["Users…", "Sites…", "Preferences…"]
    with qtbot.waitSignal(window.manage_users_requested):
        qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.manage_sites_requested):
        qtbot.mouseClick(buttons[1], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.preferences_requested):
        qtbot.mouseClick(buttons[2], Qt.MouseButton.LeftButton)


def test_open_patient_with_enter_from_the_search_box(qtbot: QtBot, db: Database,
                                                     study: StudyDefinition,
                                                     users: dict[str, Actor]) -> None:
    window = _window(qtbot, db, study, users["coord"])
    assert window.patient_list is not None and window.workspace is not None
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.patient_list.search_edit.hasFocus()
    qtbot.keyClicks(window.patient_list.search_edit, "jp")
    qtbot.keyClick(window.patient_list.search_edit, Qt.Key.Key_Return)
    assert window.centre.currentWidget() is window.workspace
    assert window.workspace.number_label.text() == "Patient 01-002"
    assert "01-002" in window.statusBar().currentMessage()
    assert window.next_form_action.isEnabled()


def test_open_patient_with_double_click(qtbot: QtBot, db: Database, study: StudyDefinition,
                                        users: dict[str, Actor]) -> None:
    window = _window(qtbot, db, study, users["coord"])
    assert window.patient_list is not None and window.workspace is not None
    assert not window.next_form_action.isEnabled()
    table = window.patient_list.table
    rect = table.visualRect(window.patient_list.proxy.index(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.workspace.number_label.text() == "Patient 01-003"
    window.next_form_action.trigger()
    assert window.workspace.outline.title_label.text() == "Informed consent"


def test_hooks_for_the_application(qtbot: QtBot, db: Database, study: StudyDefinition,
                                   users: dict[str, Actor]) -> None:
    window = _window(qtbot, db, study, users["coord"])
    with qtbot.waitActive(window):
        window.activateWindow()
    with qtbot.waitSignal(window.lock_requested):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    for action, signal in ((window.logout_action, window.logout_requested),
                           (window.preferences_action, window.preferences_requested),
                           (window.password_action, window.change_password_requested),
                           (window.about_action, window.about_requested)):
        with qtbot.waitSignal(signal):
            action.trigger()
    window.set_status_message("Saved at 10:42")
    assert window.statusBar().currentMessage() == "Saved at 10:42"


def test_remembers_size_and_splitters(qtbot: QtBot, db: Database, study: StudyDefinition,
                                      users: dict[str, Actor], private_settings: Path) -> None:
    window = _window(qtbot, db, study, users["coord"])
    window.resize(1100, 700)
    window.splitter.setSizes([500, 600])
    assert window.workspace is not None
    window.workspace.splitter.setSizes([450, 500])
    left = window.splitter.sizes()[0]
    inner = window.workspace.splitter.sizes()[0]
    window.close()
    assert any(private_settings.rglob("*.ini"))
    again = _window(qtbot, db, study, users["coord"])
    assert again.splitter.sizes()[0] == left
    assert again.workspace is not None and again.workspace.splitter.sizes()[0] == inner
    assert again.size().width() == 1366  # _window resized it after restoring
    settings = QSettings()
    assert settings.value("MainWindow/geometry") is not None


def test_patient_list_loads_off_the_gui_thread_and_refreshes(
        qtbot: QtBot, db: Database, study: StudyDefinition, users: dict[str, Actor]) -> None:
    session = make_ui_session(db, users["monitor"], study)
    rows = session.patients.list_patients()
    answers = [rows[:2], rows]

    class _Listing:
        def list_patients(self) -> list[PatientRow]:
            return answers.pop(0)

    window = MainWindow(dataclasses.replace(session, patients=_Listing()))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    assert window.patient_list is not None
    assert window.patient_list.count_label.text() == "Loading patients…"
    assert len(answers) == 2  # read once the window is on screen, not while it is built
    with qtbot.waitSignal(window.patients_loaded) as blocker:
        window.show()
    assert blocker.args == [2] and window.patients_ready
    assert window.patient_list.visible_patient_numbers() == ["01-001", "01-002"]
    with qtbot.waitSignal(window.patients_loaded):
        qtbot.keyClick(window.patient_list.table, Qt.Key.Key_F5)
    assert window.patient_list.visible_patient_numbers() == ["01-001", "01-002", "01-003"]


class _RefusingPatients:
    def list_patients(self) -> list[object]:
        raise PermissionDenied("Your role does not give access to patient data.")


def test_patient_list_error_is_shown(qtbot: QtBot, db: Database, study: StudyDefinition,
                                     users: dict[str, Actor]) -> None:
    session = dataclasses.replace(make_ui_session(db, users["monitor"], study),
                                  patients=_RefusingPatients())  # type: ignore[arg-type]
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.patient_list is not None
    label = window.patient_list.count_label
    qtbot.waitUntil(lambda: "not loaded" in label.text())
    assert "does not give access" in label.text() and label.isEnabled()
    assert "does not give access" in window.statusBar().currentMessage()
    assert not window.patients_ready


def test_patient_hooks_follow_role_wiring_and_open_patient(
        qtbot: QtBot, db: Database, study: StudyDefinition, users: dict[str, Actor]) -> None:
    window = _window(qtbot, db, study, users["coord"])
    assert window.screen_action.isVisible() and window.randomize_action.isVisible()
    assert not window.randomization_log_action.isVisible()
    window.patient_menu.aboutToShow.emit()
    assert not window.screen_action.isEnabled()  # nobody listens yet: nothing to offer
    screened: list[bool] = []
    randomized: list[int] = []
    reports: list[int] = []
    window.screen_patient_requested.connect(lambda: screened.append(True))
    window.randomize_requested.connect(randomized.append)
    window.reports_requested.connect(reports.append)
    window.patient_menu.aboutToShow.emit()
    assert window.screen_action.isEnabled()
    assert not window.randomize_action.isEnabled()  # no patient open
    window.screen_action.trigger()
    assert screened == [True]
    window.reports_action.trigger()
    assert reports == [0]
    assert window.patient_list is not None and window.workspace is not None
    patient_id = window.patient_list.proxy.patient_id(1)
    window.open_patient(patient_id)
    assert window.randomize_action.isEnabled()
    window.randomize_action.trigger()
    window.reports_action.trigger()
    assert randomized == [patient_id] and reports == [0, patient_id]


def test_show_changed_patient_reloads_then_opens(qtbot: QtBot, db: Database,
                                                 study: StudyDefinition,
                                                 users: dict[str, Actor]) -> None:
    window = _window(qtbot, db, study, users["monitor"])
    assert window.patient_list is not None and window.workspace is not None
    assert window.randomization_log_action.isVisible() and window.reports_action.isVisible()
    assert not window.screen_action.isVisible() and not window.randomize_action.isVisible()
    patient_id = window.patient_list.proxy.patient_id(2)
    with qtbot.waitSignal(window.patients_loaded):
        window.show_changed_patient(patient_id)
    assert window.workspace.number_label.text() == "Patient 01-003"
