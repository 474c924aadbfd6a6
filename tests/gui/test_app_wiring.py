"""The real main window's menu signals open the right dialogs through the controller."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.app_controller import default_main_window
from ctrial_desktop.ui.main_window import MainWindow
from ctrial_desktop.ui.randomization_log import RandomizationLogDialog
from ctrial_desktop.ui.randomize_dialog import RandomizeDialog
from ctrial_desktop.ui.report_dialog import ReportDialog
from ctrial_desktop.ui.screening_dialog import ScreeningDialog
from tests.gui.app_helpers import OFFSCREEN_WARNINGS, ControllerFactory
from tests.gui.conftest import PASSWORD

pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_WARNINGS)


@pytest.fixture
def factory(study: StudyDefinition, db: Database, tmp_path: Path) -> Iterator[ControllerFactory]:
    made = ControllerFactory(study, db, tmp_path)
    yield made
    made.close()


@pytest.fixture
def trial(db: Database, admin: Actor) -> int:
    SiteService(db, admin).create_site("01", "CHRU de Lille", "Lille")
    SiteService(db, admin).set_active("01", True, "initiation visit")
    users = UserService(db, admin)
    users.create_user("marie", "Marie", "Durand", PASSWORD, [RoleGrant(Role.COORDINATOR, "01")],
                      must_change_password=False)
    users.create_user("denis", "Denis", "Moreau", PASSWORD, [RoleGrant(Role.DATA_MANAGER, None)],
                      must_change_password=False)
    marie = AuthService(db).login("marie", PASSWORD)
    return PatientService(db, marie).screen_patient("01", "MD", "F", birth_year=1950).id


def _start(qtbot: QtBot, factory: ControllerFactory, username: str) -> MainWindow:
    controller = factory(window_factory=default_main_window,
                         username=username, password=PASSWORD)
    controller.start()
    login = controller.login_dialog
    assert login is not None
    login.login_button.click()
    qtbot.waitUntil(lambda: isinstance(controller.main_window, MainWindow), timeout=10000)
    window = controller.main_window
    assert isinstance(window, MainWindow)
    window.controller = controller  # type: ignore[attr-defined]
    return window


def test_coordinator_menus_open_screening_randomize_and_reports(
        qtbot: QtBot, factory: ControllerFactory, trial: int) -> None:
    window = _start(qtbot, factory, "marie")
    controller = window.controller  # type: ignore[attr-defined]
    assert window.screen_action.isEnabled() and window.reports_action.isEnabled()
    assert window.open_patient(trial)
    assert window.randomize_action.isEnabled()
    window.screen_patient_requested.emit()
    assert isinstance(controller.tool_dialog, ScreeningDialog)
    controller.tool_dialog.close()
    window.randomize_requested.emit(trial)
    assert isinstance(controller.tool_dialog, RandomizeDialog)
    controller.tool_dialog.close()
    window.reports_requested.emit(trial)
    assert isinstance(controller.tool_dialog, ReportDialog)
    controller.tool_dialog.close()


def test_data_manager_opens_the_randomization_log(qtbot: QtBot, factory: ControllerFactory,
                                                  trial: int) -> None:
    window = _start(qtbot, factory, "denis")
    controller = window.controller  # type: ignore[attr-defined]
    window.randomization_log_requested.emit()
    assert isinstance(controller.tool_dialog, RandomizationLogDialog)
    controller.tool_dialog.close()


def test_forms_menu_review_actions_follow_the_role(qtbot: QtBot, factory: ControllerFactory,
                                                   trial: int) -> None:
    window = _start(qtbot, factory, "marie")
    assert window.queries_action.isVisible()
    assert not window.sign_action.isVisible()  # coordinators do not sign
    assert not window.raise_query_action.isVisible() and not window.lock_forms_action.isVisible()
    window.queries_action.trigger()
    from ctrial_desktop.ui.queries_view import QueriesView

    views = window.findChildren(QueriesView)
    assert len(views) == 1 and views[0].isVisible()
    views[0].close()


def test_data_manager_locks_from_the_forms_menu(qtbot: QtBot, factory: ControllerFactory,
                                                trial: int) -> None:
    from ctrial_desktop.ui.lock_dialog_dm import DataManagerLockDialog

    window = _start(qtbot, factory, "denis")
    assert window.open_patient(trial)
    window.refresh_actions()
    assert window.lock_forms_action.isEnabled()
    window.lock_forms_action.trigger()
    dialogs = window.findChildren(DataManagerLockDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()
