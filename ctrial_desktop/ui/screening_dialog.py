"""Screen a new patient into the screening log, or record a screen failure.

The screening log gives each patient a number (site code + sequence, ``03-012``)
and keeps initials, birth date (or year), sex and consent date. A consent date in
the future is refused next to the field; the service refuses what the dialog lets
through, and its message shows next to the field it names. A screen failure stays
in the log with its reason (:func:`screen_failure_dialog`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from ctrial_desktop.domain.values import parse_date
from ctrial_desktop.services.errors import ServiceError, ValidationError
from ctrial_desktop.services.patients import PatientRow
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.ui.field_messages import (
    error_label,
    field_box,
    form_dialog_layout,
    ok_cancel,
    set_error,
)
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.reason_dialog import ReasonDialog
from ctrial_desktop.ui.session import UiSession


class ScreeningDialog(QDialog):
    """Adds a patient to the screening log at one of the user's active sites.

    Signals:
        patientScreened(int): the new patient's id, once the log has them.
    """

    patientScreened = Signal(int)

    def __init__(self, session: UiSession, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._today = today
        self.patient: PatientRow | None = None
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.site_combo = QComboBox()
        actor = self._session.actor
        for site in self._session.sites.list_sites():
            if site.active and actor.can(Action.ENROLL, site.code):
                self.site_combo.addItem(f"{site.code} \u00b7 {site.name}", site.code)
        self.initials_edit = QLineEdit()
        self.initials_edit.setMaxLength(4)
        self.birth_edit = QLineEdit()
        self.sex_combo = QComboBox()
        self.consent_edit = QLineEdit()
        self.errors = {name: error_label() for name in
                       ("site", "initials", "birth_date", "sex", "consent_date")}
        self.general_error = error_label()
        self.labels = {name: QLabel() for name in self.errors}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name, field in (("site", self.site_combo), ("initials", self.initials_edit),
                            ("birth_date", self.birth_edit), ("sex", self.sex_combo),
                            ("consent_date", self.consent_edit)):
            self.labels[name].setBuddy(field)
            form.addRow(self.labels[name], field_box(field, self.errors[name]))
        self.buttons, self.add_button = ok_cancel()
        form_dialog_layout(self, self.intro_label, form, self.general_error, self.buttons, 460)
        self.retranslateUi()
        if self.site_combo.count() == 0:
            self.add_button.setEnabled(False)
            set_error(self.errors["site"], self.tr(
                "You may not screen patients at any active site."))
        (self.initials_edit if self.site_combo.count() == 1 else self.site_combo).setFocus()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Screen a new patient"))
        self.intro_label.setText(self.tr(
            "The patient gets the next number of the site and enters the screening log. "
            "The informed consent must be signed before any study procedure."))
        self.labels["site"].setText(self.tr("S&ite:"))
        self.labels["initials"].setText(self.tr("&Initials:"))
        self.labels["birth_date"].setText(self.tr("&Birth date or year:"))
        self.labels["sex"].setText(self.tr("Se&x:"))
        self.labels["consent_date"].setText(self.tr("&Consent signed on:"))
        self.initials_edit.setPlaceholderText(self.tr("e.g. MD or J-P"))
        self.birth_edit.setPlaceholderText(self.tr("dd/mm/yyyy, or the year alone"))
        self.consent_edit.setPlaceholderText(self.tr("dd/mm/yyyy"))
        current = self.sex_combo.currentIndex()
        self.sex_combo.clear()
        self.sex_combo.addItem(self.tr("(choose)"), "")
        self.sex_combo.addItem(self.tr("Female"), "F")
        self.sex_combo.addItem(self.tr("Male"), "M")
        self.sex_combo.setCurrentIndex(max(current, 0))
        self.add_button.setText(self.tr("&Add to screening log"))

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_add)
        self.buttons.rejected.connect(self.reject)

    @Slot()
    def _on_add(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            set_error(label, None)
        today = self._today or dt.date.today()
        birth_date, birth_year, consent = None, None, None
        problems: dict[str, str] = {}
        birth_text = self.birth_edit.text().strip()
        if birth_text.isdigit() and len(birth_text) == 4:
            birth_year = int(birth_text)
        elif birth_text:
            parsed = parse_date(birth_text, today=today)
            if parsed.ok and parsed.canonical:
                birth_date = dt.date.fromisoformat(parsed.canonical)
                self.birth_edit.setText(birth_date.strftime("%d/%m/%Y"))
            else:
                problems["birth_date"] = parsed.error or ""
        consent_text = self.consent_edit.text().strip()
        if consent_text:
            parsed = parse_date(consent_text, today=today, allow_future=True)
            if not parsed.ok or not parsed.canonical:
                problems["consent_date"] = parsed.error or ""
            else:
                consent = dt.date.fromisoformat(parsed.canonical)
                self.consent_edit.setText(consent.strftime("%d/%m/%Y"))
                if consent > today:
                    problems["consent_date"] = self.tr(
                        "The consent date is in the future: the consent must be signed "
                        "before it is recorded.")
        else:
            problems["consent_date"] = self.tr(
                "Give the date the consent was signed: no study procedure may come before it.")
        if not self.sex_combo.currentData():
            problems["sex"] = self.tr("Choose the sex.")
        if problems:
            self._show_problems(problems)
            return
        try:
            self.patient = self._session.patients.screen_patient(
                self.site_combo.currentData(), self.initials_edit.text(),
                self.sex_combo.currentData(), birth_date=birth_date, birth_year=birth_year,
                consent_date=consent)
        except ValidationError as exc:
            fields = {("birth_date" if k == "birth_year" else k): tr_message(v)
                      for k, v in exc.fields.items()}
            self._show_problems(fields or {"": tr_message(exc)})
            return
        except ServiceError as exc:
            set_error(self.general_error, tr_message(exc))
            return
        self.patientScreened.emit(self.patient.id)
        self.accept()

    def _show_problems(self, problems: dict[str, str]) -> None:
        widgets = {"site": self.site_combo, "initials": self.initials_edit,
                   "birth_date": self.birth_edit, "sex": self.sex_combo,
                   "consent_date": self.consent_edit}
        first = None
        for name, message in problems.items():
            label = self.errors.get(name, self.general_error)
            set_error(label, message)
            first = first or widgets.get(name)
        if first is not None:
            first.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)


def screen_failure_dialog(session: UiSession, patient: PatientRow,
                          parent: QWidget | None = None) -> ReasonDialog:
    """A dialog asking the reason of a screen failure, then recording it (not shown yet)."""
    tr = QCoreApplication.translate
    title = tr("ScreeningDialog", "Record a screen failure")
    message = tr("ScreeningDialog",
                 "{number} ({initials}) will be marked as a screen failure. The patient stays "
                 "in the screening log with the reason, and can no longer be randomized."
                 ).format(number=patient.patient_number, initials=patient.initials)
    action = tr("ScreeningDialog", "Record &screen failure")

    def apply(reason: str, _password: str) -> object:
        return session.patients.record_screen_failure(patient.id, reason)

    return ReasonDialog(title, message, action, apply, parent=parent)
