"""Change one's own password: forced at first login, or from the Tools menu."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import AuthenticationError, ServiceError, ValidationError
from ctrial_desktop.ui.field_messages import (
    error_label,
    field_box,
    form_dialog_layout,
    ok_cancel,
    set_error,
)
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.password_rules import PasswordRulesView


class ChangePasswordDialog(QDialog):
    """Current password, new password and confirmation; :meth:`AuthService.change_password`.

    With ``forced=True`` (temporary password set by an administrator) the text says so
    and cancelling means not entering the application.

    Signals: none besides those of :class:`QDialog`.
    """

    def __init__(self, auth: AuthService, actor: Actor, *, forced: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth = auth
        self._actor = actor
        self._forced = forced
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.old_edit = QLineEdit()
        self.new_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for edit in (self.old_edit, self.new_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.rules_view = PasswordRulesView(self._auth.settings)
        self.rules_view.set_password("", self._actor.username)
        self.errors = {key: error_label() for key in ("old", "new", "confirm")}
        self.general_error = error_label()
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key, edit in (("old", self.old_edit), ("new", self.new_edit),
                          ("confirm", self.confirm_edit)):
            label = QLabel()
            label.setBuddy(edit)
            self.labels[key] = label
            extra = (self.rules_view,) if key == "new" else ()
            form.addRow(label, field_box(edit, self.errors[key], *extra))
        self.buttons, self.ok_button = ok_cancel()
        form_dialog_layout(self, self.intro_label, form, self.general_error, self.buttons, 440)
        self.retranslateUi()
        self.old_edit.setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Change password"))
        if self._forced:
            self.intro_label.setText(self.tr(
                "{name}, your password was set by an administrator. Choose your own "
                "password before you continue.").format(name=self._actor.full_name))
        else:
            self.intro_label.setText(self.tr("Change the password of {user}.").format(
                user=self._actor.username))
        texts = {"old": self.tr("C&urrent password:"), "new": self.tr("&New password:"),
                 "confirm": self.tr("Con&firm new password:")}
        for key, label in self.labels.items():
            label.setText(texts[key])
        self.ok_button.setText(self.tr("&Change password"))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_change)
        self.buttons.rejected.connect(self.reject)
        self.new_edit.textChanged.connect(self._on_new_edited)
        self.confirm_edit.textChanged.connect(self._on_new_edited)

    @Slot()
    def _on_new_edited(self) -> None:
        self.rules_view.set_password(self.new_edit.text(), self._actor.username)
        confirm = self.confirm_edit.text()
        mismatch = bool(confirm) and confirm != self.new_edit.text()
        set_error(self.errors["confirm"],
                  self.tr("The two passwords differ.") if mismatch else None)

    @Slot()
    def _on_change(self) -> None:
        for label in [*self.errors.values(), self.general_error]:
            set_error(label, None)
        if self.new_edit.text() != self.confirm_edit.text():
            set_error(self.errors["confirm"], self.tr("The two passwords differ."))
            self.confirm_edit.setFocus()
            return
        try:
            self._auth.change_password(self._actor, self.old_edit.text(), self.new_edit.text())
        except ValidationError as exc:
            set_error(self.errors["new"], tr_message(exc))
            self.new_edit.setFocus()
            return
        except AuthenticationError as exc:
            set_error(self.errors["old"], tr_message(exc))
            self.old_edit.clear()
            self.old_edit.setFocus()
            return
        except ServiceError as exc:
            set_error(self.general_error, tr_message(exc))
            return
        self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
