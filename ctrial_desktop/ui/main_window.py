"""The main window: patient list on the left, the open patient's workspace in the centre.

Administrators, who have no access to patient data, see an administration home
instead. Dialogs this window does not own (users, sites, preferences, about,
password, lock, log-out) are opened by :mod:`ctrial_desktop.ui.app` through the
window's signals.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.permissions import Action, Role
from ctrial_desktop.ui.admin_home import AdminHome
from ctrial_desktop.ui.icons import icon
from ctrial_desktop.ui.patient_list import PatientListWidget
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.todo_view import TodoView
from ctrial_desktop.ui.workspace import PatientWorkspace

SETTINGS_GROUP = "MainWindow"
STATUS_MESSAGE_MS = 10_000


class MainWindow(QMainWindow):
    """The logged-in window of one user (see the module docstring).

    Signals (wired by the application):
        logout_requested(): File > Log out.
        lock_requested(): File > Lock (Ctrl+L).
        manage_users_requested(): Tools > Users… (administrators).
        manage_sites_requested(): Tools > Sites… (administrators).
        lab_ranges_requested(): Tools > Lab normal ranges… (data managers edit, site
            staff read).
        preferences_requested(): Tools > Preferences….
        change_password_requested(): Tools > Change password….
        about_requested(): Help > About.
        screen_patient_requested(): Patient > New patient (screening)….
        randomize_requested(int): Patient > Randomize… for the open patient (its id).
        reports_requested(int): Reports > Reports… (the open patient's id, 0 if none).
        export_requested(): File > Export data… (data managers).
        import_requested(): File > Import site transfer… (data managers).
        randomization_log_requested(): Reports > Randomization log….
        form_open_requested(int, str, int, str, int): patient id, event OID, event
            repeat, form OID and visit day the user opened in the visit tree.
        patients_loaded(int): the patient list was (re)loaded with this many patients.
    """

    logout_requested = Signal()
    lock_requested = Signal()
    manage_users_requested = Signal()
    manage_sites_requested = Signal()
    lab_ranges_requested = Signal()
    preferences_requested = Signal()
    change_password_requested = Signal()
    about_requested = Signal()
    screen_patient_requested = Signal()
    randomize_requested = Signal(int)
    reports_requested = Signal(int)
    export_requested = Signal()
    import_requested = Signal()
    randomization_log_requested = Signal()
    form_open_requested = Signal(int, str, int, str, int)
    patients_loaded = Signal(int)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._sees_patients = session.actor.can(Action.VIEW_PATIENTS)
        self.patient_list: PatientListWidget | None = None
        self.workspace: PatientWorkspace | None = None
        self.todo: TodoView | None = None
        self._setup_ui()
        self._connect_signals()
        self._restore_settings()
        # The lists are read once the window is on screen: their workers would otherwise
        # hold the interpreter while the window is laid out and painted.
        self._loads_pending = self._sees_patients
        if self.patient_list is not None:
            self.patient_list.set_loading()
        QTimer.singleShot(0, self._load_if_never_shown)

    @Slot()
    def _load_if_never_shown(self) -> None:
        if not self.isVisible():  # built and not shown (a test, a screenshot): read now
            self._start_loads()

    @Slot()
    def _start_loads(self) -> None:
        if not self._loads_pending:
            return
        self._loads_pending = False
        self.refresh_patients()
        if self.todo is not None:
            self.todo.refresh()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.window_title())
        self.setWindowIcon(icon("patient"))
        self._create_actions()
        self._create_menus()
        if self._sees_patients:
            self.patient_list = PatientListWidget()
            self.workspace = PatientWorkspace(self._session)
            self.todo = TodoView(self._session)
            self.centre = QStackedWidget()
            self.centre.addWidget(self.todo)
            self.centre.addWidget(self.workspace)
            self.splitter = QSplitter(Qt.Orientation.Horizontal)
            self.splitter.setChildrenCollapsible(False)
            self.splitter.addWidget(self.patient_list)
            self.splitter.addWidget(self.centre)
            self.splitter.setStretchFactor(1, 1)
            self.splitter.setSizes([max(400, self.patient_list.preferred_width()), 966])
            # Until the user moves it, the list widens to show every column (the site's
            # when patients of several sites are shown).
            self._list_width_chosen = False
            self.splitter.splitterMoved.connect(self._on_splitter_moved)
            self.setCentralWidget(self.splitter)
        else:
            self.admin_home = AdminHome(self.users_action, self.sites_action,
                                        self.preferences_action)
            self.setCentralWidget(self.admin_home)
        self._create_status_bar()
        self._update_patient_actions()

    def _create_actions(self) -> None:
        actor = self._session.actor

        def action(text: str, icon_name: str | None = None,
                   shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                   visible: bool = True) -> QAction:
            act = QAction(text, self)
            if icon_name:
                act.setIcon(icon(icon_name))
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.setVisible(visible)
            return act

        self.export_action = action(self.tr("&Export data…"), None, "Ctrl+E",
                                    actor.can(Action.EXPORT))
        self.import_action = action(self.tr("&Import site transfer…"), None, None,
                                    actor.can(Action.EXPORT))
        self.logout_action = action(self.tr("Log &out"), "logout")
        self.lock_action = action(self.tr("&Lock"), "lock", "Ctrl+L")
        self.quit_action = action(self.tr("&Quit"), None, "Ctrl+Q")
        self.find_action = action(self.tr("&Find patient"), "search", "Ctrl+F",
                                  self._sees_patients)
        self.open_action = action(self.tr("&Open patient") + "\t"
                                  + QKeySequence(Qt.Key.Key_Enter).toString(
                                      QKeySequence.SequenceFormat.NativeText),
                                  "patient", None, self._sees_patients)
        self.refresh_action = action(self.tr("&Refresh list"), None, "F5", self._sees_patients)
        self.todo_action = action(self.tr("&To do"), None, "Ctrl+Home", self._sees_patients)
        self.screen_action = action(self.tr("&New patient (screening)…"), None, "Ctrl+N",
                                    actor.can(Action.ENROLL))
        self.randomize_action = action(self.tr("R&andomize…"), None, None,
                                       actor.can(Action.RANDOMIZE))
        self.reports_action = action(self.tr("&Reports…"), None, "Ctrl+P",
                                     actor.can(Action.REPORTS))
        self.casebooks_action = action(self.tr("&Casebooks of all patients…"), None, None,
                                       actor.can(Action.REPORTS) and self._sees_patients)
        self.figures_action = action(self.tr("Trial &figures…"), None, None,
                                     actor.can(Action.EXPORT) and self._sees_patients)
        self.randomization_log_action = action(self.tr("Randomization &log…"), None, None,
                                               actor.can(Action.VIEW_RANDOMIZATION_LOG))
        self.queries_action = action(self.tr("&Queries…"), None, "Ctrl+Shift+Q",
                                     self._sees_patients)
        self.raise_query_action = action(self.tr("&Raise a query on this form…"), None, None,
                                         actor.can(Action.RAISE_QUERY))
        self.sign_action = action(self.tr("&Sign forms…"), None, None, actor.can(Action.SIGN))
        self.lock_forms_action = action(self.tr("Loc&k or unlock…"), None, None,
                                        actor.can(Action.LOCK))
        self.next_form_action = action(self.tr("&Next form"), None, "Ctrl+PgDown")
        self.previous_form_action = action(self.tr("&Previous form"), None, "Ctrl+PgUp")
        self.expand_action = action(self.tr("&Expand all visits"))
        self.collapse_action = action(self.tr("&Collapse all visits"))
        self.users_action = action(self.tr("&Users…"), "users", None,
                                   actor.can(Action.MANAGE_USERS))
        self.sites_action = action(self.tr("&Sites…"), "sites", None,
                                   actor.can(Action.MANAGE_SITES))
        self.lab_ranges_action = action(self.tr("&Lab normal ranges…"), None, None,
                                        actor.can(Action.MANAGE_LAB_RANGES)
                                        or self._sees_patients)
        self.preferences_action = action(self.tr("&Preferences…"), "preferences")
        self.password_action = action(self.tr("&Change password…"), "password")
        self.about_action = action(self.tr("&About IFM 2009-02 eCRF…"), "about")

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        if self.export_action.isVisible():
            file_menu.addAction(self.export_action)
            file_menu.addAction(self.import_action)
            file_menu.addSeparator()
        file_menu.addActions([self.logout_action, self.lock_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.patient_menu = bar.addMenu(self.tr("&Patient"))
        self.patient_menu.addActions([self.todo_action, self.find_action, self.open_action,
                                      self.refresh_action])
        self.patient_menu.addSeparator()
        self.patient_menu.addActions([self.screen_action, self.randomize_action])
        self.forms_menu = bar.addMenu(self.tr("F&orms"))
        self.forms_menu.addActions([self.next_form_action, self.previous_form_action])
        self.forms_menu.addSeparator()
        self.forms_menu.addActions([self.expand_action, self.collapse_action])
        self.forms_menu.addSeparator()
        self.forms_menu.addActions([self.queries_action, self.raise_query_action,
                                    self.sign_action, self.lock_forms_action])
        self.reports_menu = bar.addMenu(self.tr("&Reports"))
        self.reports_menu.addActions([self.reports_action, self.casebooks_action,
                                      self.figures_action, self.randomization_log_action])
        self.tools_menu = bar.addMenu(self.tr("&Tools"))
        self.tools_menu.addActions([self.users_action, self.sites_action,
                                    self.lab_ranges_action])
        self.tools_menu.addSeparator()
        self.tools_menu.addActions([self.preferences_action, self.password_action])
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.about_action)
        for menu in (self.patient_menu, self.forms_menu):
            menu.menuAction().setVisible(self._sees_patients)
        self.reports_menu.menuAction().setVisible(
            self.reports_action.isVisible() or self.randomization_log_action.isVisible())
        for menu in (self.patient_menu, self.reports_menu, self.forms_menu):
            menu.aboutToShow.connect(self._update_patient_actions)

    def _create_status_bar(self) -> None:
        actor = self._session.actor
        bar = self.statusBar()
        self.user_status = QLabel(f"{actor.full_name} ({self.roles_text()})")
        self.site_status = QLabel(self.sites_text())
        database = self._session.database_name
        self.database_status = QLabel(self.tr("Database: {name}").format(
            name=database.replace("\\", "/").rsplit("/", 1)[-1]))
        self.database_status.setToolTip(database)
        self.offline_status = QLabel(self.tr("Offline"))
        self.offline_status.setToolTip(self.tr(
            "The data are stored on this computer's database; no network is needed."))
        offline_icon = QLabel()
        offline_icon.setPixmap(icon("offline").pixmap(16, 16))
        for widget in (self.user_status, self.site_status, self.database_status, offline_icon,
                       self.offline_status):
            bar.addPermanentWidget(widget)

    def _connect_signals(self) -> None:
        self.export_action.triggered.connect(self.export_requested)
        self.import_action.triggered.connect(self.import_requested)
        self.logout_action.triggered.connect(self.logout_requested)
        self.lock_action.triggered.connect(self.lock_requested)
        self.quit_action.triggered.connect(self.close)
        self.users_action.triggered.connect(self.manage_users_requested)
        self.sites_action.triggered.connect(self.manage_sites_requested)
        self.lab_ranges_action.triggered.connect(self.lab_ranges_requested)
        self.preferences_action.triggered.connect(self.preferences_requested)
        self.password_action.triggered.connect(self.change_password_requested)
        self.about_action.triggered.connect(self.about_requested)
        if self.patient_list is None or self.workspace is None:
            return
        self.find_action.triggered.connect(self.patient_list.focus_search)
        self.todo_action.triggered.connect(self.show_todo)
        if self.todo is not None:
            self.todo.open_requested.connect(self._on_todo_open)
        self.open_action.triggered.connect(self._on_open_current)
        self.refresh_action.triggered.connect(self.refresh_patients)
        self.screen_action.triggered.connect(self.screen_patient_requested)
        self.randomize_action.triggered.connect(self._on_randomize)
        self.reports_action.triggered.connect(self._on_reports)
        self.casebooks_action.triggered.connect(self._on_casebooks)
        self.figures_action.triggered.connect(self._on_figures)
        self.randomization_log_action.triggered.connect(self.randomization_log_requested)
        self.queries_action.triggered.connect(self._on_queries)
        self.raise_query_action.triggered.connect(self._on_raise_query)
        self.sign_action.triggered.connect(self._on_sign)
        self.lock_forms_action.triggered.connect(self._on_lock)
        self.patient_list.patient_activated.connect(self.open_patient)
        self.patient_list.loaded.connect(self.patients_loaded)
        self.patient_list.loaded.connect(self._fit_patient_list)
        self.patient_list.load_failed.connect(self.set_status_message)
        self.workspace.form_open_requested.connect(self.form_open_requested)
        self.workspace.status_message.connect(self.set_status_message)
        self.next_form_action.triggered.connect(lambda: self.workspace.select_next_form(1))
        self.previous_form_action.triggered.connect(lambda: self.workspace.select_next_form(-1))
        self.expand_action.triggered.connect(self.workspace.tree.expandAll)
        self.collapse_action.triggered.connect(self.workspace.tree.collapseAll)

    # ------------------------------------------------------------------ API

    def window_title(self) -> str:
        """``IFM 2009-02 · <site(s)> · <full name> (<role>)``."""
        return " · ".join((self._session.study.info.name, self.sites_text(),
                           f"{self._session.actor.full_name} ({self.roles_text()})"))

    def roles_text(self) -> str:
        names = {
            Role.ADMINISTRATOR: self.tr("administrator"),
            Role.DATA_MANAGER: self.tr("data manager"),
            Role.INVESTIGATOR: self.tr("investigator"),
            Role.COORDINATOR: self.tr("coordinator"),
            Role.MONITOR: self.tr("monitor"),
        }
        roles = dict.fromkeys(names[g.role] for g in self._session.actor.grants)
        return ", ".join(roles) or self.tr("no role")

    def sites_text(self) -> str:
        """The user's site (``Site 03 Toulouse``), site codes, or "All sites"."""
        grants = self._session.actor.grants
        codes = sorted({g.site_code for g in grants if g.site_code is not None})
        if not codes or any(g.site_code is None for g in grants):
            return self.tr("All sites")
        if len(codes) > 1:
            return self.tr("Sites {codes}").format(codes=", ".join(codes))
        try:
            site = next((s for s in self._session.sites.list_sites() if s.code == codes[0]), None)
        except ServiceError:
            site = None
        place = (site.city or site.name) if site is not None else ""
        return self.tr("Site {code} {place}").format(code=codes[0], place=place).strip()

    def set_status_message(self, text: str, timeout_ms: int = STATUS_MESSAGE_MS) -> None:
        """Show ``text`` in the status bar for a while (e.g. "Saved at 10:42")."""
        self.statusBar().showMessage(text, timeout_ms)

    def show_changed_patient(self, patient_id: int) -> None:
        """After a dialog changed a patient (screened, randomized): reload the list and
        show that patient once the list is back."""
        if self.patient_list is None:
            return

        def reopen(_count: int) -> None:
            self.patients_loaded.disconnect(reopen)
            self.open_patient(patient_id)

        self.patients_loaded.connect(reopen)
        self.refresh_patients()

    @property
    def patients_ready(self) -> bool:
        """True once the patient list has been loaded (and no reload is running)."""
        return self.patient_list is not None and self.patient_list.is_ready

    def refresh_patients(self) -> None:
        """Reload the patient list from the database, off the GUI thread (F5);
        ``patients_loaded`` is emitted when the list is shown."""
        if self.patient_list is not None:
            self.patient_list.load(self._session.patients)

    @Slot()
    def show_todo(self) -> None:
        """Back to the home screen (the to-do list, read again), leaving the patient."""
        if self.todo is None or self.workspace is None or not self.workspace.can_leave():
            return
        self.centre.setCurrentWidget(self.todo)
        self.todo.refresh()
        self.todo.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(int, str, int, str, int)
    def _on_todo_open(self, patient_id: int, event_oid: str, event_repeat: int,
                      form_oid: str, day: int) -> None:
        if self.open_patient(patient_id) and form_oid and self.workspace is not None:
            self.workspace.open_form(event_oid, event_repeat, form_oid, day)

    @Slot(int)
    def open_patient(self, patient_id: int) -> bool:
        """Show the patient in the workspace; False when it cannot be opened."""
        if self.workspace is None or self.patient_list is None:
            return False
        self.centre.setCurrentWidget(self.workspace)
        ok = self.workspace.show_patient(patient_id)
        if ok and self.workspace.patient is not None:
            self.patient_list.select_patient(patient_id)
            self.set_status_message(self.tr("Patient {number} opened").format(
                number=self.workspace.patient.patient_number))
            self.workspace.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_patient_actions()
        return ok

    @Slot(int, int)
    def _on_splitter_moved(self, _position: int, _index: int) -> None:
        self._list_width_chosen = True

    @Slot()
    def _fit_patient_list(self) -> None:
        if self.patient_list is None or self._list_width_chosen:
            return
        sizes = self.splitter.sizes()
        wanted = self.patient_list.preferred_width()
        if sizes[0] < wanted:
            self.splitter.setSizes([wanted, max(sum(sizes) - wanted, 1)])

    def save_settings(self) -> None:
        """Remember size, position and splitter positions (QSettings)."""
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("state", self.saveState())
        if self.workspace is not None:
            settings.setValue("splitter", self.splitter.saveState())
            settings.setValue("workspace_splitter", self.workspace.splitter_state())
        settings.endGroup()

    # ------------------------------------------------------------------ helpers

    def _restore_settings(self) -> None:
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        geometry = settings.value("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 720)
        state = settings.value("state")
        if state is not None:
            self.restoreState(state)
        if self.workspace is not None:
            splitter = settings.value("splitter")
            if splitter is not None and self.splitter.restoreState(splitter):
                self._list_width_chosen = True
            inner = settings.value("workspace_splitter")
            if inner is not None:
                self.workspace.restore_splitter_state(inner)
        settings.endGroup()

    def refresh_actions(self) -> None:
        """Re-read which hooks are wired (call after connecting the request signals)."""
        self._update_patient_actions()

    @Slot()
    def _update_patient_actions(self) -> None:
        """Enable what applies to the open patient, and hooks the application has wired."""
        patient = self.workspace.patient if self.workspace is not None else None
        for act in (self.next_form_action, self.previous_form_action, self.expand_action,
                    self.collapse_action, self.sign_action, self.lock_forms_action):
            act.setEnabled(patient is not None)
        node = self.workspace.current_node() if self.workspace is not None else None
        self.raise_query_action.setEnabled(node is not None and node.form_data_id is not None)
        wired = {name: self.receivers(f"2{name}") > 0 for name in (
            "screen_patient_requested()", "randomize_requested(int)", "reports_requested(int)",
            "randomization_log_requested()")}
        self.screen_action.setEnabled(wired["screen_patient_requested()"])
        self.randomize_action.setEnabled(wired["randomize_requested(int)"] and patient is not None
                                         and patient.status == "screening")
        self.reports_action.setEnabled(wired["reports_requested(int)"])
        self.randomization_log_action.setEnabled(wired["randomization_log_requested()"])

    # ------------------------------------------------------------------ slots

    def _open_review_dialog(self, dialog: QWidget, changed: Signal | None = None) -> None:
        """Show a review dialog; when it changes data, re-read the open patient's states."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if changed is not None and self.workspace is not None:
            changed.connect(lambda *_args: self.workspace.reload_states())
        dialog.show()

    @Slot()
    def _on_queries(self) -> None:
        from ctrial_desktop.ui.queries_view import QueriesView

        view = QueriesView(self._session)
        view.setWindowFlag(Qt.WindowType.Window)
        view.setParent(self, view.windowFlags())
        view.setWindowTitle(self.tr("Queries"))
        view.resize(1100, 600)
        view.openFormRequested.connect(self._on_go_to_form)
        self._open_review_dialog(view)

    @Slot(int, str, int, str, int)
    def _on_go_to_form(self, patient_id: int, event_oid: str, repeat: int, form_oid: str,
                       day: int) -> None:
        if self.open_patient(patient_id) and self.workspace is not None:
            self.workspace.select_form(event_oid, repeat, form_oid, day)
            self.workspace.open_form(event_oid, repeat, form_oid, day)
            self.activateWindow()

    @Slot()
    def _on_raise_query(self) -> None:
        from ctrial_desktop.ui.query_dialog import QueryDialog, QueryTarget

        patient = self.workspace.patient if self.workspace is not None else None
        node = self.workspace.current_node() if self.workspace is not None else None
        if patient is None or node is None or node.form_data_id is None:
            return
        dialog = QueryDialog(self._session, target=QueryTarget(patient.id, node.form_data_id),
                             parent=self)
        self._open_review_dialog(dialog, dialog.queryChanged)

    @Slot()
    def _on_sign(self) -> None:
        from ctrial_desktop.ui.sign_dialog import SignDialog

        patient = self.workspace.patient if self.workspace is not None else None
        if patient is None:
            return
        dialog = SignDialog(self._session, patient.id, parent=self)
        self._open_review_dialog(dialog, dialog.formsSigned)

    @Slot()
    def _on_lock(self) -> None:
        from ctrial_desktop.ui.lock_dialog_dm import DataManagerLockDialog

        patient = self.workspace.patient if self.workspace is not None else None
        if patient is None:
            return
        node = self.workspace.current_node() if self.workspace is not None else None
        forms = (node.form_data_id,) if node is not None and node.form_data_id else ()
        dialog = DataManagerLockDialog(self._session, site_code=patient.site_code,
                                       patient_id=patient.id, form_data_ids=forms, parent=self)
        self._open_review_dialog(dialog, dialog.locksChanged)

    @Slot()
    def _on_randomize(self) -> None:
        if self.workspace is not None and self.workspace.patient is not None:
            self.randomize_requested.emit(self.workspace.patient.id)

    @Slot()
    def _on_reports(self) -> None:
        patient = self.workspace.patient if self.workspace is not None else None
        self.reports_requested.emit(patient.id if patient is not None else 0)

    @Slot()
    def _on_casebooks(self) -> None:
        from ctrial_desktop.ui.casebooks_dialog import CasebooksDialog

        dialog = CasebooksDialog(self._session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    @Slot()
    def _on_figures(self) -> None:
        from ctrial_desktop.ui.figures_window import TrialFiguresDialog

        dialog = TrialFiguresDialog(self._session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    @Slot()
    def _on_open_current(self) -> None:
        if self.patient_list is not None:
            patient_id = self.patient_list.current_patient_id()
            if patient_id is not None:
                self.open_patient(patient_id)

    # ------------------------------------------------------------------ overrides

    def showEvent(self, event: QShowEvent) -> None:
        self._update_patient_actions()  # the application has wired its hooks by now
        super().showEvent(event)
        if self._loads_pending:
            QTimer.singleShot(0, self._start_loads)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.workspace is not None and not self.workspace.can_leave():
            event.ignore()  # the user chose to go back to the unsaved form
            return
        if self.patient_list is not None:
            self.patient_list.cancel_loading()
        self.save_settings()
        super().closeEvent(event)


def menu_titles(window: MainWindow) -> list[str]:
    """Titles of the visible menus, without mnemonics (for tests and documentation)."""
    return [a.text().replace("&", "") for a in window.menuBar().actions()
            if a.isVisible() and isinstance(a.menu(), QMenu)]
