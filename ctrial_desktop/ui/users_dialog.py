"""User management (administrators): list, create, roles, disable/enable, unlock, reset.

Users are never deleted; every change asks a reason and is audited by the service.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserRow, UserService
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.password_rules import generate_temporary_password
from ctrial_desktop.ui.reason_dialog import ApplyChange, ReasonDialog
from ctrial_desktop.ui.user_edit_dialog import UserEditDialog


class UsersDialog(QDialog):
    """The table of users and the actions an administrator may take on them.

    Sub-dialogs open window-modal (:attr:`edit_dialog`, :attr:`reason_dialog`) and the
    table refreshes when they are accepted.

    Signals: none besides those of :class:`QDialog`.
    """

    COLUMNS = 5

    def __init__(self, users: UserService, sites: SiteService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self._sites = sites
        self._rows: list[UserRow] = []
        self.edit_dialog: UserEditDialog | None = None
        self.reason_dialog: ReasonDialog | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setTabKeyNavigation(False)
        self.new_button = QPushButton()
        self.roles_button = QPushButton()
        self.active_button = QPushButton()
        self.unlock_button = QPushButton()
        self.reset_button = QPushButton()
        self.message_label = error_label()
        actions = QHBoxLayout()
        for button in (self.new_button, self.roles_button, self.active_button,
                       self.unlock_button, self.reset_button):
            button.setAutoDefault(False)
            actions.addWidget(button)
        actions.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.resize(900, 480)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Users"))
        self.table.setHorizontalHeaderLabels([
            self.tr("User name"), self.tr("Name"), self.tr("Roles per site"),
            self.tr("State"), self.tr("Last login")])
        self.new_button.setText(self.tr("&New user…"))
        self.roles_button.setText(self.tr("Edit &roles…"))
        self.unlock_button.setText(self.tr("&Unlock…"))
        self.reset_button.setText(self.tr("Reset &password…"))
        self._update_buttons()
        self._fill()

    def role_name(self, role: Role) -> str:
        names = {Role.ADMINISTRATOR: self.tr("Administrator"),
                 Role.DATA_MANAGER: self.tr("Data manager"),
                 Role.INVESTIGATOR: self.tr("Investigator"),
                 Role.COORDINATOR: self.tr("Coordinator"), Role.MONITOR: self.tr("Monitor")}
        return names[role]

    def state_text(self, row: UserRow) -> str:
        if not row.active:
            return self.tr("Disabled")
        return self.tr("Locked") if row.locked else self.tr("Active")

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.new_button.clicked.connect(self._on_new)
        self.roles_button.clicked.connect(self._on_roles)
        self.active_button.clicked.connect(self._on_toggle_active)
        self.unlock_button.clicked.connect(self._on_unlock)
        self.reset_button.clicked.connect(self._on_reset)

    # -- data --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the users from the service, keeping the selected user selected."""
        selected = self.selected_user()
        try:
            self._rows = self._users.list_users()
        except ServiceError as exc:
            set_error(self.message_label, tr_message(exc))
            self._rows = []
        self._fill()
        if selected is not None:
            self.select_user(selected.username)
        self._update_buttons()

    def _fill(self) -> None:
        self.table.setRowCount(len(self._rows))
        locale = QLocale()
        every_site = self.tr("all sites")
        for r, row in enumerate(self._rows):
            roles = ", ".join(f"{self.role_name(g.role)} @ {g.site_code or every_site}"
                              for g in row.grants)
            last = (locale.toString(row.last_login_at, QLocale.FormatType.ShortFormat)
                    if row.last_login_at else self.tr("never"))
            for c, text in enumerate((row.username, row.full_name, roles,
                                      self.state_text(row), last)):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def selected_user(self) -> UserRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def select_user(self, username: str) -> None:
        for r, row in enumerate(self._rows):
            if row.username == username:
                self.table.selectRow(r)
                return

    def _update_buttons(self) -> None:
        row = self.selected_user()
        for button in (self.roles_button, self.active_button, self.reset_button):
            button.setEnabled(row is not None)
        self.unlock_button.setEnabled(row is not None and row.locked)
        self.active_button.setText(self.tr("&Enable…") if row is not None and not row.active
                                   else self.tr("&Disable…"))

    # -- actions -----------------------------------------------------------------------
    def _open_reason(self, title: str, message: str, action: str, apply: ApplyChange, *,
                     password: str | None = None) -> None:
        self.reason_dialog = ReasonDialog(title, message, action, apply, password=password,
                                          parent=self)
        self.reason_dialog.accepted.connect(self.refresh)
        self.reason_dialog.open()

    @Slot()
    def _on_new(self) -> None:
        self.edit_dialog = UserEditDialog(self._users, self._sites.list_sites(), parent=self)
        self.edit_dialog.accepted.connect(self._on_user_saved)
        self.edit_dialog.open()

    @Slot()
    def _on_roles(self) -> None:
        row = self.selected_user()
        if row is None:
            return
        self.edit_dialog = UserEditDialog(self._users, self._sites.list_sites(), row,
                                          parent=self)
        self.edit_dialog.accepted.connect(self._on_user_saved)
        self.edit_dialog.open()

    @Slot()
    def _on_user_saved(self) -> None:
        saved = self.edit_dialog.row if self.edit_dialog else None
        self.refresh()
        if saved is not None:
            self.select_user(saved.username)

    @Slot()
    def _on_toggle_active(self) -> None:
        row = self.selected_user()
        if row is None:
            return
        enable = not row.active
        if enable:
            title = self.tr("Enable {user}").format(user=row.username)
            message = self.tr("{name} ({user}) will be able to log in again.").format(
                name=row.full_name, user=row.username)
        else:
            title = self.tr("Disable {user}").format(user=row.username)
            message = self.tr("{name} ({user}) will no longer be able to log in. The account "
                              "and everything it recorded are kept.").format(
                name=row.full_name, user=row.username)
        self._open_reason(title, message, self.tr("&Enable") if enable else self.tr("&Disable"),
                          lambda reason, _pw: self._users.set_active(row.id, enable, reason))

    @Slot()
    def _on_unlock(self) -> None:
        row = self.selected_user()
        if row is None:
            return
        self._open_reason(
            self.tr("Unlock {user}").format(user=row.username),
            self.tr("{name} ({user}) was locked after too many wrong passwords. Unlocking "
                    "lets them try again with their password.").format(
                name=row.full_name, user=row.username),
            self.tr("&Unlock"), lambda reason, _pw: self._users.unlock(row.id, reason))

    @Slot()
    def _on_reset(self) -> None:
        row = self.selected_user()
        if row is None:
            return
        self._open_reason(
            self.tr("Reset the password of {user}").format(user=row.username),
            self.tr("{name} ({user}) gets the temporary password below and must change it "
                    "at the next login. The account is unlocked.").format(
                name=row.full_name, user=row.username),
            self.tr("&Reset password"),
            lambda reason, password: self._users.reset_password(row.id, password, reason),
            password=generate_temporary_password(self._users.settings, row.username))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
