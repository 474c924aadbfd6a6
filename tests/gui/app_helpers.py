"""Shared pieces of the application-flow tests: a controller on a fresh database and a
stand-in main window with an unsaved text field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.app import security_settings
from ctrial_desktop.ui.app_controller import AppController
from ctrial_desktop.ui.i18n import LanguageSwitcher
from ctrial_desktop.ui.session import UiSession

#: Qt warnings of the offscreen platform plugin when windows are shown and raised.
OFFSCREEN_WARNINGS = ("This plugin does not support",)


class StandInMainWindow(QMainWindow):
    """A main window with the signals the controller wires and a field to type into."""

    lock_requested = Signal()
    logout_requested = Signal()
    manage_users_requested = Signal()
    manage_sites_requested = Signal()
    preferences_requested = Signal()
    about_requested = Signal()
    change_password_requested = Signal()

    def __init__(self, session: UiSession) -> None:
        super().__init__()
        self.session = session
        self.notes = QLineEdit()
        self.setCentralWidget(self.notes)
        self.status_messages: list[str] = []

    def set_status_message(self, text: str) -> None:
        self.status_messages.append(text)


def close_all_windows() -> None:
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()


def make_controller(study: StudyDefinition, db: Database, settings_file: Path,
                    idle_timeout_ms: int = 60_000, **kwargs: Any) -> AppController:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    kwargs.setdefault("window_factory", StandInMainWindow)
    return AppController(
        study, db, AuthService(db, security_settings(study)), LanguageSwitcher(app),
        QSettings(str(settings_file), QSettings.Format.IniFormat),
        idle_timeout_ms=idle_timeout_ms,
        log_folder=settings_file.parent, **kwargs)


class ControllerFactory:
    """Builds controllers on one database; :meth:`close` tidies up after a test."""

    def __init__(self, study: StudyDefinition, db: Database, folder: Path) -> None:
        self.study, self.db, self.folder = study, db, folder
        self.made: list[AppController] = []

    def __call__(self, **kwargs: Any) -> AppController:
        controller = make_controller(self.study, self.db, self.folder / "settings.ini",
                                     **kwargs)
        self.made.append(controller)
        return controller

    def close(self) -> None:
        for controller in self.made:
            controller.shutdown()
            controller.switcher.apply("en")
            controller.deleteLater()
        close_all_windows()
