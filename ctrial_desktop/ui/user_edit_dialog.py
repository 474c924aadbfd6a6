"""Create a user, or change an existing user's roles per site (with a reason)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.errors import ServiceError, ValidationError
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteRow, UserRow, UserService
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.password_rules import generate_temporary_password

ROLES: tuple[Role, ...] = (Role.COORDINATOR, Role.INVESTIGATOR, Role.MONITOR,
                           Role.DATA_MANAGER, Role.ADMINISTRATOR)


class UserEditDialog(QDialog):
    """New user (name, temporary password, roles) or roles of ``user`` (with a reason).

    Roles are ticked in a grid: one row for "all sites" and one per site, one column
    per role. After ``accepted``, :attr:`row` is the user as saved.

    Signals: none besides those of :class:`QDialog`.
    """

    def __init__(self, users: UserService, sites: Sequence[SiteRow],
                 user: UserRow | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._users = users
        self._sites = list(sites)
        self._user = user
        self.row: UserRow | None = None
        self._setup_ui()
        self._connect_signals()

    # -- construction ------------------------------------------------------------------
    def _setup_ui(self) -> None:
        creating = self._user is None
        self.username_edit = QLineEdit(self._user.username if self._user else "")
        self.first_name_edit = QLineEdit(self._user.first_name if self._user else "")
        self.last_name_edit = QLineEdit(self._user.last_name if self._user else "")
        self.password_edit = QLineEdit(
            generate_temporary_password(self._users.settings) if creating else "")
        self.reason_edit = QLineEdit()
        for edit in (self.username_edit, self.first_name_edit, self.last_name_edit):
            edit.setReadOnly(not creating)
        self.roles_table = QTableWidget(len(self._sites) + 1, len(ROLES))
        self.roles_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.roles_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.roles_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.roles_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.roles_table.setTabKeyNavigation(False)
        current = set(self._user.grants) if self._user else set()
        for r, code in enumerate([None, *(s.code for s in self._sites)]):
            for c, role in enumerate(ROLES):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                              | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(Qt.CheckState.Checked if RoleGrant(role, code) in current
                                   else Qt.CheckState.Unchecked)
                self.roles_table.setItem(r, c, item)
        keys = ("username", "first_name", "last_name", "password", "roles", "reason")
        self.errors = {key: error_label() for key in keys}
        self.general_error = error_label()
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows: list[tuple[str, QWidget]] = [
            ("username", self.username_edit), ("first_name", self.first_name_edit),
            ("last_name", self.last_name_edit)]
        rows.append(("password", self.password_edit) if creating
                    else ("reason", self.reason_edit))
        rows.append(("roles", self.roles_table))
        for key, widget in rows:
            label = QLabel()
            label.setBuddy(widget)
            self.labels[key] = label
            box = QVBoxLayout()
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(self.errors[key])
            form.addRow(label, box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.retranslateUi()
        (self.username_edit if creating else self.reason_edit).setFocus()

    def retranslateUi(self) -> None:
        creating = self._user is None
        self.setWindowTitle(self.tr("New user") if creating else
                            self.tr("Roles of {user}").format(user=self._user.username
                                                              if self._user else ""))
        texts = {"username": self.tr("&User name:"), "first_name": self.tr("&First name:"),
                 "last_name": self.tr("&Last name:"),
                 "password": self.tr("&Temporary password:"), "reason": self.tr("&Reason:"),
                 "roles": self.tr("R&oles per site:")}
        for key, label in self.labels.items():
            label.setText(texts[key])
        self.password_edit.setToolTip(self.tr(
            "Give this password to the user; they must change it at their first login."))
        self.reason_edit.setPlaceholderText(self.tr("Why the roles change (audit trail)"))
        self.roles_table.setHorizontalHeaderLabels([self.role_name(r) for r in ROLES])
        self.roles_table.setVerticalHeaderLabels(
            [self.tr("All sites")] + [f"{s.code} {s.city or s.name}" for s in self._sites])
        for r, site in enumerate(self._sites, start=1):
            header = self.roles_table.verticalHeaderItem(r)
            if header is not None:
                header.setToolTip(site.name)
        self._fit_roles_table()
        self.ok_button.setText(self.tr("&Create user") if creating else self.tr("&Save roles"))

    def _fit_roles_table(self) -> None:
        """Wide enough to show every role column, tall enough for a few sites."""
        table = self.roles_table
        table.resizeColumnsToContents()
        width = (table.verticalHeader().sizeHint().width() + table.frameWidth() * 2
                 + sum(table.columnWidth(c) for c in range(table.columnCount())))
        table.setMinimumWidth(width + table.verticalScrollBar().sizeHint().width())
        rows = min(table.rowCount(), 8)
        height = (table.horizontalHeader().sizeHint().height() + table.frameWidth() * 2
                  + sum(table.rowHeight(r) for r in range(rows)))
        table.setMinimumHeight(height)
        if rows == table.rowCount():
            table.setMaximumHeight(height + table.horizontalScrollBar().sizeHint().height())

    def role_name(self, role: Role) -> str:
        names = {Role.ADMINISTRATOR: self.tr("Administrator"),
                 Role.DATA_MANAGER: self.tr("Data manager"),
                 Role.INVESTIGATOR: self.tr("Investigator"),
                 Role.COORDINATOR: self.tr("Coordinator"), Role.MONITOR: self.tr("Monitor")}
        return names[role]

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

    # -- behaviour -------------------------------------------------------------------
    def set_grant(self, grant: RoleGrant, checked: bool = True) -> None:
        """Tick (or untick) one role at one site, as a click in the grid would."""
        codes = [None, *(s.code for s in self._sites)]
        item = self.roles_table.item(codes.index(grant.site_code), ROLES.index(grant.role))
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def grants(self) -> list[RoleGrant]:
        """The roles ticked in the grid."""
        codes = [None, *(s.code for s in self._sites)]
        return [RoleGrant(role, code)
                for r, code in enumerate(codes) for c, role in enumerate(ROLES)
                if self.roles_table.item(r, c).checkState() == Qt.CheckState.Checked]

    @Slot()
    def _on_save(self) -> None:
        for label in [*self.errors.values(), self.general_error]:
            set_error(label, None)
        try:
            if self._user is None:
                self.row = self._users.create_user(
                    self.username_edit.text(), self.first_name_edit.text(),
                    self.last_name_edit.text(), self.password_edit.text(), self.grants())
            else:
                self.row = self._users.set_grants(self._user.id, self.grants(),
                                                  self.reason_edit.text())
        except ValidationError as exc:
            fields = [key for key in exc.fields if key in self.errors and
                      self.labels.get(key) is not None]
            for key in fields:
                set_error(self.errors[key], tr_message(exc))
            if not fields:
                set_error(self.general_error, tr_message(exc))
            return
        except ServiceError as exc:
            set_error(self.general_error, tr_message(exc))
            return
        self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
