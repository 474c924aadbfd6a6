"""The session flow of the running application, wired by :mod:`ctrial_desktop.ui.app`.

First run or log in, forced password change, the main window and the dialogs it asks
for, the idle lock and log out. Every window gets the narrow things it needs through
its constructor; nothing is global.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.normal_ranges import NormalRangeService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.about_dialog import AboutDialog, AboutInfo
from ctrial_desktop.ui.change_password_dialog import ChangePasswordDialog
from ctrial_desktop.ui.field_messages import set_error
from ctrial_desktop.ui.first_run_dialog import FirstRunDialog
from ctrial_desktop.ui.i18n import LanguageSwitcher
from ctrial_desktop.ui.idle import IdleWatcher
from ctrial_desktop.ui.lab_ranges_dialog import LabRangesDialog
from ctrial_desktop.ui.lock_dialog import LockDialog
from ctrial_desktop.ui.login_dialog import LoginDialog
from ctrial_desktop.ui.preferences_dialog import PreferencesDialog, save_language
from ctrial_desktop.ui.session import UiSession, make_ui_session
from ctrial_desktop.ui.sites_dialog import SitesDialog
from ctrial_desktop.ui.users_dialog import UsersDialog

log = logging.getLogger(__name__)

#: Builds the main window of a logged-in session.
WindowFactory = Callable[[UiSession], QWidget]

#: Main-window signal name -> controller slot name.
MAIN_WINDOW_SIGNALS: dict[str, str] = {
    "manage_users_requested": "show_users",
    "manage_sites_requested": "show_sites",
    "lab_ranges_requested": "show_lab_ranges",
    "preferences_requested": "show_preferences",
    "about_requested": "show_about",
    "change_password_requested": "show_change_password",
    "lock_requested": "lock_by_user",
    "logout_requested": "logout",
    "quit_requested": "close_main_window",
    "screen_patient_requested": "show_screening",
    "randomize_requested": "show_randomize",
    "reports_requested": "show_reports",
    "export_requested": "show_export",
    "import_requested": "show_import",
    "randomization_log_requested": "show_randomization_log",
}


def default_main_window(session: UiSession) -> QWidget:
    """The application's main window for ``session``."""
    from ctrial_desktop.ui.main_window import MainWindow

    return MainWindow(session)


class AppController(QObject):
    """Drives the windows of one running application.

    Signals:
        window_shown(object): a window of the flow appeared (login, first run,
            password change, main window, lock screen).
        session_started(object): a user is in, with this :class:`UiSession`.
        session_ended(): the user logged out (or was logged out by the lock).
        finished(int): the application should exit with this code.
        clock_warning(str): the audit clock reported an anomaly (any thread).
    """

    window_shown = Signal(object)
    session_started = Signal(object)
    session_ended = Signal()
    finished = Signal(int)
    clock_warning = Signal(str)

    def __init__(self, study: StudyDefinition, db: Database, auth: AuthService,
                 switcher: LanguageSwitcher, settings: QSettings, *,
                 window_factory: WindowFactory | None = None, username: str = "",
                 password: str = "", log_folder: Path | None = None,
                 idle_timeout_ms: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.study, self.db, self.auth = study, db, auth
        self.switcher, self.settings = switcher, settings
        self._factory = window_factory or default_main_window
        self._prefill = (username, password)
        self._log_folder = log_folder
        minutes = auth.settings.idle_lock_minutes
        self.idle = IdleWatcher(idle_timeout_ms or minutes * 60_000, self)
        self.session: UiSession | None = None
        self.main_window: QWidget | None = None
        self.login_dialog: LoginDialog | None = None
        self.first_run_dialog: FirstRunDialog | None = None
        self.change_password_dialog: ChangePasswordDialog | None = None
        self.lock_dialog: LockDialog | None = None
        self.tool_dialog: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._clock_seen: set[str] = set()
        self.clock_box: QMessageBox | None = None
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.idle.idle.connect(self._on_idle)
        self.clock_warning.connect(self._on_clock_warning, Qt.ConnectionType.QueuedConnection)
        self.db.audit.clock.listeners.append(self._relay_clock)

    # -- start and stop -----------------------------------------------------------------
    def start(self, early_login: LoginDialog | None = None) -> None:
        """First-run dialog on an empty database, else the login dialog.

        ``early_login`` is a login dialog already on screen since start-up (shown before
        the database was open, see :mod:`ctrial_desktop.ui.app`): it is kept, with what
        the user typed, and given the database; on an empty database it is closed.
        """
        if early_login is not None and not self.auth.has_users():
            early_login.close()
            early_login.deleteLater()
            early_login = None
        if early_login is not None:
            self._attach_login(early_login)
            self.window_shown.emit(early_login)
            early_login.set_backend(self.auth, self.study.info.name, self.db.display_name)
        elif self.auth.has_users():
            self.show_login()
        else:
            self.first_run_dialog = FirstRunDialog(self.auth, self.study.info.name)
            self.first_run_dialog.administrator_created.connect(self._on_first_administrator)
            self.first_run_dialog.rejected.connect(self._on_login_rejected)
            self._show(self.first_run_dialog)

    def shutdown(self) -> None:
        """Stop watching and forget the clock listener (the database outlives us in tests)."""
        self.idle.stop()
        listeners = self.db.audit.clock.listeners
        if self._relay_clock in listeners:
            listeners.remove(self._relay_clock)

    @Slot(int)
    def quit(self, code: int = 0) -> None:
        self.idle.stop()
        self.finished.emit(code)

    def _show(self, widget: QWidget) -> None:
        widget.show()
        widget.raise_()
        widget.activateWindow()
        self.window_shown.emit(widget)

    # -- logging in -----------------------------------------------------------------------
    def show_login(self, message: str = "") -> None:
        username, password = self._prefill
        self._prefill = (username, "")  # the demo password is offered once
        dialog = LoginDialog(
            self.auth, language=self.switcher.language, study_name=self.study.info.name,
            database_name=self.db.display_name, username=username, password=password)
        self._attach_login(dialog)
        if message:
            set_error(dialog.message_label, message)
        self._show(dialog)

    def _attach_login(self, dialog: LoginDialog) -> None:
        self.login_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.logged_in.connect(self._on_logged_in)
        dialog.rejected.connect(self._on_login_rejected)
        dialog.language_chosen.connect(self.set_language)

    @Slot()
    def _on_login_rejected(self) -> None:
        self.quit(0)

    @Slot(object)
    def _on_first_administrator(self, actor: Actor) -> None:
        self.open_main(actor)
        if self.study.sites:
            self.show_sites()  # offer the study's sites at once

    @Slot(object)
    def _on_logged_in(self, actor: Actor) -> None:
        if not self.auth.must_change_password(actor):
            self.open_main(actor)
            return
        dialog = ChangePasswordDialog(self.auth, actor, forced=True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.open_main(actor))
        dialog.rejected.connect(lambda: self._end_session(actor, ""))
        self.change_password_dialog = dialog
        self._show(dialog)

    def open_main(self, actor: Actor) -> None:
        """Build the main window of ``actor`` and start the idle countdown."""
        self.session = make_ui_session(self.db, actor, self.study, self.auth)
        self._build_main_window(self.session)
        self.idle.start()
        self.session_started.emit(self.session)

    def _build_main_window(self, session: UiSession) -> None:
        window = self._factory(session)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for signal_name, slot_name in MAIN_WINDOW_SIGNALS.items():
            signal = getattr(window, signal_name, None)
            if signal is not None:
                signal.connect(getattr(self, slot_name))
        refresh = getattr(window, "refresh_actions", None)
        if refresh is not None:
            refresh()
        window.destroyed.connect(self._on_main_destroyed)
        self.main_window = window
        self._show(window)

    @Slot()
    def _on_main_destroyed(self) -> None:
        self.main_window = None
        if self.session is not None:  # closed by the user, not by a log out
            actor, self.session = self.session.actor, None
            self._logout_quietly(actor)
            self.quit(0)

    @Slot()
    def close_main_window(self) -> None:
        if self.main_window is not None:
            self.main_window.close()

    # -- lock and log out -----------------------------------------------------------------
    @Slot()
    def _on_idle(self) -> None:
        minutes = round(self.idle.timeout_ms / 60_000, 1)
        self.lock(f"no activity for {minutes:g} min")

    @Slot()
    def lock_by_user(self) -> None:
        self.lock("locked by the user")

    def lock(self, reason: str) -> None:
        """Record the lock, hide every window (keeping its input) and ask the password."""
        if self.session is None or self.lock_dialog is not None:
            return
        self.idle.stop()
        actor = self.session.actor
        try:
            self.auth.lock_session(actor, reason)
        except ServiceError as exc:
            log.warning("lock not recorded: %s", exc)
        self._hidden = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in self._hidden:
            widget.hide()
        self.lock_dialog = LockDialog(self.auth, actor)
        self.lock_dialog.unlocked.connect(self._on_unlocked)
        self.lock_dialog.logout_requested.connect(self.logout)
        self.lock_dialog.account_locked.connect(self._on_account_locked)
        self._show(self.lock_dialog)

    @Slot()
    def _on_unlocked(self) -> None:
        self._drop_lock_dialog()
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self.idle.start()

    @Slot(str)
    def _on_account_locked(self, message: str) -> None:
        if self.session is not None:
            self._end_session(self.session.actor, message, audited_logout=False)

    @Slot()
    def logout(self) -> None:
        if self.session is not None:
            self._end_session(self.session.actor, "")

    def _drop_lock_dialog(self) -> None:
        if self.lock_dialog is not None:
            self.lock_dialog.hide()
            self.lock_dialog.deleteLater()
            self.lock_dialog = None

    def _logout_quietly(self, actor: Actor) -> None:
        try:
            self.auth.logout(actor)
        except ServiceError as exc:
            log.warning("log out not recorded: %s", exc)

    def _end_session(self, actor: Actor, message: str, *, audited_logout: bool = True) -> None:
        """Close the session's windows (saved data stay saved) and show the login again."""
        window = self.main_window
        if window is not None:
            window.destroyed.disconnect(self._on_main_destroyed)
            if not window.close():  # the window kept itself open (e.g. unsaved changes)
                window.destroyed.connect(self._on_main_destroyed)
                return
            self.main_window = None
        self.idle.stop()
        self._drop_lock_dialog()
        self._hidden = []
        self.session = None
        if audited_logout:
            self._logout_quietly(actor)
        self.session_ended.emit()
        self.show_login(message)

    # -- tools ------------------------------------------------------------------------------
    def _open_tool(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tool_dialog = dialog
        dialog.destroyed.connect(self._on_tool_destroyed)
        self._show(dialog)

    @Slot()
    def _on_tool_destroyed(self) -> None:
        self.tool_dialog = None

    @Slot()
    def show_users(self) -> None:
        if self.session is not None:
            self._open_tool(UsersDialog(self.session.users, self.session.sites,
                                        self.main_window))

    @Slot()
    def show_sites(self) -> None:
        if self.session is not None:
            sites = [(s.code, s.name, s.city) for s in self.study.sites]
            self._open_tool(SitesDialog(self.session.sites, sites, self.main_window))

    @Slot()
    def show_lab_ranges(self) -> None:
        if self.session is not None:
            self._open_tool(LabRangesDialog(
                NormalRangeService(self.session.db, self.session.actor), self.session.sites,
                self.main_window))

    @Slot()
    def show_change_password(self) -> None:
        if self.session is not None:
            self._open_tool(ChangePasswordDialog(self.auth, self.session.actor,
                                                 parent=self.main_window))

    @Slot()
    def show_preferences(self) -> None:
        dialog = PreferencesDialog(self.switcher.language, self.main_window,
                                   settings=self.settings)
        dialog.language_changed.connect(self.set_language)
        self._open_tool(dialog)

    @Slot()
    def show_about(self) -> None:
        info = AboutInfo(self.study.info.name, self.study.info.registry_id,
                         self.db.display_name, str(self._log_folder or ""))
        self._open_tool(AboutDialog(info, self.main_window))

    def _patient_changed(self, patient_id: int) -> None:
        refresh = getattr(self.main_window, "show_changed_patient", None)
        if refresh is not None:
            refresh(patient_id)

    @Slot()
    def show_screening(self) -> None:
        if self.session is not None:
            from ctrial_desktop.ui.screening_dialog import ScreeningDialog

            dialog = ScreeningDialog(self.session, self.main_window)
            dialog.patientScreened.connect(self._patient_changed)
            self._open_tool(dialog)

    @Slot(int)
    def show_randomize(self, patient_id: int) -> None:
        if self.session is not None:
            from ctrial_desktop.ui.randomize_dialog import RandomizeDialog

            dialog = RandomizeDialog(self.session, self.session.randomization,
                                     self.session.eligibility, patient_id, self.main_window)
            dialog.randomized.connect(self._patient_changed)
            dialog.deviationRecorded.connect(self._patient_changed)
            self._open_tool(dialog)

    @Slot(int)
    def show_reports(self, patient_id: int) -> None:
        if self.session is not None:
            from ctrial_desktop.ui.report_dialog import ReportDialog

            self._open_tool(ReportDialog(self.session, self.main_window,
                                         patient_id=patient_id or None))

    @Slot()
    def show_export(self) -> None:
        if self.session is not None:
            from ctrial_desktop.ui.export_dialog import ExportDialog

            self._open_tool(ExportDialog(self.session, self.main_window))

    @Slot()
    def show_import(self) -> None:
        if self.session is not None:
            from ctrial_desktop.ui.import_dialog import ImportDialog

            self._open_tool(ImportDialog(self.session, self.main_window))

    @Slot()
    def show_randomization_log(self) -> None:
        if self.session is not None:
            from ctrial_desktop.ui.randomization_log import RandomizationLogDialog

            self._open_tool(RandomizationLogDialog(self.session, self.main_window))

    @Slot(str)
    def set_language(self, language: str) -> None:
        """Switch the interface language now (open windows retranslate) and remember it."""
        if not self.switcher.apply(language):
            log.warning("no translation file for %s; staying in English", language)
        save_language(self.settings, language)
        window = self.main_window
        if window is not None and self.session is not None and not hasattr(
                window, "retranslateUi"):
            # Its texts are set once at construction: build it again in the new language.
            window.destroyed.disconnect(self._on_main_destroyed)
            if window.close():
                self._build_main_window(self.session)
            else:
                window.destroyed.connect(self._on_main_destroyed)

    # -- clock ------------------------------------------------------------------------------
    def _relay_clock(self, message: str) -> None:
        """Audit clock listener; may run in a worker thread, so it only emits."""
        self.clock_warning.emit(message)

    @Slot(str)
    def _on_clock_warning(self, message: str) -> None:
        if message in self._clock_seen:
            return
        self._clock_seen.add(message)
        log.warning("clock anomaly: %s", message)
        text = self.tr("Check the computer's clock: {message}. Dates and times recorded "
                       "now may be wrong.").format(message=message)
        setter = getattr(self.main_window, "set_status_message", None)
        if setter is not None:
            setter(text)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Clock warning"), text,
                          QMessageBox.StandardButton.Ok, self.main_window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.clock_box = box
        box.open()
