"""Ask the reason for an audited change (and, for a reset, the temporary password).

The dialog calls the change itself, so that a refusal (e.g. an empty reason) shows
next to the field and the dialog stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError, ValidationError
from ctrial_desktop.ui.field_messages import (
    error_label,
    field_box,
    form_dialog_layout,
    ok_cancel,
    set_error,
)
from ctrial_desktop.ui.i18n import tr_message

#: Carries out the change with (reason, temporary password or ''); raises ServiceError.
ApplyChange = Callable[[str, str], object]


class ReasonDialog(QDialog):
    """Names the object and the consequence, asks a reason, then applies the change.

    ``title``, ``message`` and ``action`` are already translated by the caller.

    Signals: none besides those of :class:`QDialog`.
    """

    def __init__(self, title: str, message: str, action: str, apply: ApplyChange, *,
                 password: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._apply = apply
        self._with_password = password is not None
        self._setup_ui(title, message, action)
        if password is not None:
            self.password_edit.setText(password)
        self._connect_signals()

    def _setup_ui(self, title: str, message: str, action: str) -> None:
        self.setWindowTitle(title)
        self.message_label = QLabel(message)
        self.message_label.setWordWrap(True)
        self.reason_edit = QLineEdit()
        self.reason_label = QLabel()
        self.reason_label.setBuddy(self.reason_edit)
        self.password_edit = QLineEdit()
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password_edit)
        self.reason_error = error_label()
        self.password_error = error_label()
        self.general_error = error_label()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.reason_label, field_box(self.reason_edit, self.reason_error))
        if self._with_password:
            form.addRow(self.password_label,
                        field_box(self.password_edit, self.password_error))
        else:
            self.password_edit.hide()
            self.password_label.hide()
        self.buttons, self.ok_button = ok_cancel()
        self.ok_button.setText(action)
        form_dialog_layout(self, self.message_label, form, self.general_error, self.buttons, 420)
        self.retranslateUi()
        self.reason_edit.setFocus()

    def retranslateUi(self) -> None:
        self.reason_label.setText(self.tr("&Reason:"))
        self.reason_edit.setPlaceholderText(self.tr("Why this change is made (audit trail)"))
        self.password_label.setText(self.tr("&Temporary password:"))
        self.password_edit.setToolTip(self.tr(
            "Give this password to the user; they must change it at their next login."))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_apply)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_apply(self) -> None:
        for label in (self.reason_error, self.password_error, self.general_error):
            set_error(label, None)
        try:
            self._apply(self.reason_edit.text(), self.password_edit.text())
        except ValidationError as exc:
            if "reason" in exc.fields:
                set_error(self.reason_error, tr_message(exc))
                self.reason_edit.setFocus()
            elif "password" in exc.fields and self._with_password:
                set_error(self.password_error, tr_message(exc))
                self.password_edit.setFocus()
            else:
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
