"""Data manager: lock or unlock forms, a whole patient or a whole site, with a reason.

The dialog is opened on what the user has selected (some forms, a patient, a site); the
data manager chooses the scope among those, lock or unlock, and writes the reason kept
in the audit trail. A locked form is read-only; a locked patient gets no new forms.
Other roles see the action disabled and why.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError, ValidationError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.ui.field_messages import (
    error_label,
    field_box,
    form_dialog_layout,
    ok_cancel,
    set_error,
)
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.session import UiSession


class DataManagerLockDialog(QDialog):
    """Locks or unlocks the chosen forms, patient or site.

    Signals:
        locksChanged(int): locks were applied; the number of forms that changed.
    """

    locksChanged = Signal(int)

    def __init__(self, session: UiSession, *, site_code: str | None = None,
                 patient_id: int | None = None, form_data_ids: Sequence[int] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._form_ids = list(form_data_ids)
        self._patient_id = patient_id
        self._patient_number = ""
        self._site_code = site_code
        self._locked_forms = 0
        self._all_forms = 0
        load_error = ""
        if patient_id is not None:
            try:
                patient = session.patients.get_patient(patient_id)
                states = session.patients.form_states(patient_id)
            except ServiceError as exc:
                load_error = tr_message(exc)
            else:
                self._patient_number = patient.patient_number
                self._site_code = self._site_code or patient.site_code
                self._all_forms = len(states)
                self._locked_forms = sum(s.locked for s in states)
        self._setup_ui()
        self._connect_signals()
        if load_error:
            self.apply_button.setEnabled(False)
            set_error(self.general_error, load_error)

    def _setup_ui(self) -> None:
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.forms_radio = QRadioButton()
        self.patient_radio = QRadioButton()
        self.site_radio = QRadioButton()
        self.scope_group = QButtonGroup(self)
        scope_box = QVBoxLayout()
        for radio, available in ((self.forms_radio, bool(self._form_ids)),
                                 (self.patient_radio, self._patient_id is not None),
                                 (self.site_radio, self._site_code is not None)):
            radio.setVisible(available)
            self.scope_group.addButton(radio)
            scope_box.addWidget(radio)
        first = next((r for r in (self.forms_radio, self.patient_radio, self.site_radio)
                      if not r.isHidden()), self.site_radio)
        first.setChecked(True)
        self.lock_radio = QRadioButton()
        self.unlock_radio = QRadioButton()
        self.action_group = QButtonGroup(self)
        action_box = QHBoxLayout()
        for radio in (self.lock_radio, self.unlock_radio):
            self.action_group.addButton(radio)
            action_box.addWidget(radio)
        action_box.addStretch(1)
        mostly_locked = self._all_forms > 0 and self._locked_forms == self._all_forms
        (self.unlock_radio if mostly_locked else self.lock_radio).setChecked(True)
        self.reason_edit = QLineEdit()
        self.reason_label = QLabel()
        self.reason_label.setBuddy(self.reason_edit)
        self.reason_error = error_label()
        self.general_error = error_label()
        self.scope_label = QLabel()
        self.action_label = QLabel()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.scope_label, scope_box)
        form.addRow(self.action_label, action_box)
        form.addRow(self.reason_label, field_box(self.reason_edit, self.reason_error))
        self.buttons, self.apply_button = ok_cancel()
        form_dialog_layout(self, self.intro, form, self.general_error, self.buttons, 460)
        allowed = self._site_code is not None and self._session.actor.can(Action.LOCK,
                                                                            self._site_code)
        self.apply_button.setEnabled(allowed)
        self.retranslateUi()
        if not allowed:
            set_error(self.general_error, self.tr("Only a data manager locks and unlocks data."))
        self.reason_edit.setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Lock or unlock data"))
        if self._patient_id is not None:
            self.intro.setText(self.tr(
                "Patient {number}: {locked} of {total} form(s) locked. A locked form is "
                "read-only; a locked patient gets no new forms.").format(
                    number=self._patient_number, locked=self._locked_forms,
                    total=self._all_forms))
        else:
            self.intro.setText(self.tr(
                "A locked form is read-only; a locked patient gets no new forms."))
        self.forms_radio.setText(self.tr("The {count} selected form(s)").format(
            count=len(self._form_ids)))
        self.patient_radio.setText(self.tr("Every form of patient {number}").format(
            number=self._patient_number))
        self.site_radio.setText(self.tr("Every patient of site {code}").format(
            code=self._site_code or ""))
        self.scope_label.setText(self.tr("Scope:"))
        self.action_label.setText(self.tr("Action:"))
        self.lock_radio.setText(self.tr("&Lock"))
        self.unlock_radio.setText(self.tr("&Unlock"))
        self.reason_label.setText(self.tr("&Reason:"))
        self.reason_edit.setPlaceholderText(self.tr("Why this change is made (audit trail)"))
        self.apply_button.setText(self.tr("&Apply"))
        self.apply_button.setToolTip("" if self.apply_button.isEnabled()
                                     else self.tr("Only a data manager locks and unlocks data."))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_apply)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_apply(self) -> None:
        set_error(self.reason_error, None)
        set_error(self.general_error, None)
        locked = self.lock_radio.isChecked()
        reason = self.reason_edit.text()
        review = self._session.review
        try:
            if self.forms_radio.isChecked():
                changed = review.set_forms_locked(self._form_ids, locked, reason)
            elif self.patient_radio.isChecked():
                assert self._patient_id is not None
                changed = review.set_patient_locked(self._patient_id, locked, reason)
            else:
                assert self._site_code is not None
                changed = review.set_site_locked(self._site_code, locked, reason)
        except ValidationError as exc:
            target = self.reason_error if "reason" in exc.fields else self.general_error
            set_error(target, tr_message(exc))
            self.reason_edit.setFocus()
            return
        except ServiceError as exc:
            set_error(self.general_error, tr_message(exc))
            return
        self.locksChanged.emit(changed)
        self.accept()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
