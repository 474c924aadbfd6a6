"""First start on an empty database: create the first administrator."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import ServiceError, ValidationError
from ctrial_desktop.ui.field_messages import (
    error_label,
    field_box,
    form_dialog_layout,
    ok_cancel,
    set_error,
)
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.password_rules import PasswordRulesView


class FirstRunDialog(QDialog):
    """Asks for the first administrator's account and creates it through :class:`AuthService`.

    After ``accepted``, :attr:`actor` is the new administrator, already logged in.

    Signals:
        administrator_created(object): the new administrator's :class:`Actor`.
    """

    administrator_created = Signal(object)

    def __init__(self, auth: AuthService, study_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._study_name = study_name
        self.actor: Actor | None = None
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.username_edit = QLineEdit()
        self.first_name_edit = QLineEdit()
        self.last_name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.rules_view = PasswordRulesView(self._auth.settings)
        self.errors = {key: error_label() for key in
                       ("username", "first_name", "last_name", "password", "confirm")}
        self.general_error = error_label()
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        rows = (("username", self.username_edit), ("first_name", self.first_name_edit),
                ("last_name", self.last_name_edit), ("password", self.password_edit),
                ("confirm", self.confirm_edit))
        for key, edit in rows:
            label = QLabel()
            label.setBuddy(edit)
            self.labels[key] = label
            extra = (self.rules_view,) if key == "password" else ()
            form.addRow(label, field_box(edit, self.errors[key], *extra))
        self.buttons, self.create_button = ok_cancel()
        form_dialog_layout(self, self.intro_label, form, self.general_error, self.buttons, 460)
        self.retranslateUi()
        self.username_edit.setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("First start: create the administrator"))
        study = self._study_name or self.tr("the study")
        self.intro_label.setText(self.tr(
            "Welcome. This database has no user yet. Create the first administrator "
            "account for {study}: the administrator then creates the sites and the other "
            "users. Keep this password safe.").format(study=study))
        texts = {"username": self.tr("&User name:"), "first_name": self.tr("&First name:"),
                 "last_name": self.tr("&Last name:"), "password": self.tr("&Password:"),
                 "confirm": self.tr("Con&firm password:")}
        for key, label in self.labels.items():
            label.setText(texts[key])
        self.username_edit.setPlaceholderText(self.tr("e.g. mdurand"))
        self.create_button.setText(self.tr("&Create administrator"))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_create)
        self.buttons.rejected.connect(self.reject)
        self.password_edit.textChanged.connect(self._on_password_edited)
        self.username_edit.textChanged.connect(self._on_password_edited)
        self.confirm_edit.textChanged.connect(self._on_password_edited)

    @Slot()
    def _on_password_edited(self) -> None:
        self.rules_view.set_password(self.password_edit.text(),
                                     self.username_edit.text().strip().lower())
        confirm = self.confirm_edit.text()
        mismatch = bool(confirm) and confirm != self.password_edit.text()
        set_error(self.errors["confirm"],
                  self.tr("The two passwords differ.") if mismatch else None)

    @Slot()
    def _on_create(self) -> None:
        for label in [*self.errors.values(), self.general_error]:
            set_error(label, None)
        if self.password_edit.text() != self.confirm_edit.text():
            set_error(self.errors["confirm"], self.tr("The two passwords differ."))
            self.confirm_edit.setFocus()
            return
        try:
            actor = self._auth.create_first_administrator(
                self.username_edit.text(), self.first_name_edit.text(),
                self.last_name_edit.text(), self.password_edit.text())
        except ValidationError as exc:
            self._show_validation(exc)
            return
        except ServiceError as exc:
            set_error(self.general_error, tr_message(exc))
            return
        self.actor = actor
        self.administrator_created.emit(actor)
        self.accept()

    def _show_validation(self, exc: ValidationError) -> None:
        shown = False
        edits = {"username": self.username_edit, "first_name": self.first_name_edit,
                 "last_name": self.last_name_edit, "password": self.password_edit}
        focus: QLineEdit | None = None
        for key, edit in edits.items():
            if key in exc.fields and (key not in ("first_name", "last_name")
                                      or not edit.text().strip()):
                set_error(self.errors[key], tr_message(exc))
                focus = focus or edit
                shown = True
        if not shown:
            set_error(self.general_error, tr_message(exc))
        if focus is not None:
            focus.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
