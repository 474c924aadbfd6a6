"""Randomize one patient: check, confirm by typing the number, see the arm.

Step 1 shows the eligibility checklist and the stratification values read from the
CRF, and names exactly what blocks randomization; step 2 asks "Randomize 03-012
now? This cannot be undone." and wants the patient number typed (Cancel is the
default button, Escape cancels); the result shows the arm in large type with its
regimen in words, the randomization number, the local date and time and the user.

A randomization is final: for a patient already randomized the dialog shows only
the existing assignment and the reason, and offers to record a protocol deviation
(a mistaken stratum is recorded, never re-randomized).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.domain.randomization.factors import stratum_words
from ctrial_desktop.services.eligibility import EligibilityService
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.randomization import (
    RandomizationResult,
    RandomizationService,
    Stratification,
)
from ctrial_desktop.ui.eligibility_panel import EligibilityPanel
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.session import UiSession


def _language() -> str:
    return "fr" if QLocale().language() == QLocale.Language.French else "en"


def local_time(utc: dt.datetime) -> str:
    """A stored UTC instant in the user's local time, ``dd/mm/yyyy hh:mm``."""
    return utc.replace(tzinfo=dt.UTC).astimezone().strftime("%d/%m/%Y %H:%M")


def stratum_text(stratum: str) -> str:
    """``site=03|iss=I-II`` (or ``site:03|...``) as ``site 03 · iss I-II``, in the
    interface's language (``centre 03 · ISS I-II``)."""
    return tr_message(stratum_words(stratum))


def _label(text: str = "", *, bold: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    font = label.font()
    font.setBold(bold)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def _fill(container: QWidget, *parts: QWidget | QLayout | None) -> None:
    """Lay ``parts`` out top to bottom (None is a stretch; an eligibility panel stretches)."""
    box = QVBoxLayout(container)
    for part in parts:
        if part is None:
            box.addStretch(1)
        elif isinstance(part, QLayout):
            box.addLayout(part)
        else:
            box.addWidget(part, 1 if isinstance(part, EligibilityPanel) else 0)


def randomization_blockers(randomization: RandomizationService, eligibility: EligibilityService,
                           patient_id: int) -> list[str]:
    """Every reason the patient cannot be randomized now (empty when they can).

    For the Randomize action's tooltip and the dialog's step 1: already randomized,
    role, stratification values missing, and each eligibility criterion not met.
    """
    try:
        blocking = list(randomization.blocking_reasons(patient_id))
        blocking += [r for r in eligibility.blocking_reasons(patient_id) if r not in blocking]
    except ServiceError as exc:
        blocking = [exc.message]
    return [tr_message(reason) for reason in blocking]


class RandomizeDialog(QDialog):
    """The two steps of randomization and its result, or the refusal with the reason.

    Signals:
        randomized(int): the patient id, once the assignment is stored.
        deviationRecorded(int): the patient id, after a protocol deviation is recorded.
    """

    randomized = Signal(int)
    deviationRecorded = Signal(int)

    def __init__(self, session: UiSession, randomization: RandomizationService,
                 eligibility: EligibilityService, patient_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._service = randomization
        self._eligibility = eligibility
        self._patient_id = patient_id
        self._strat: Stratification | None = None
        self.assignment: RandomizationResult | None = None
        self._number, self._initials, problem = str(patient_id), "", ""
        try:
            patient = session.patients.get_patient(patient_id)
            self._number, self._initials = patient.patient_number, patient.initials
            self.assignment = randomization.result_for(patient_id)
        except ServiceError as exc:
            problem = tr_message(exc)
        self._setup_ui()
        self._connect_signals()
        if self.assignment is not None:
            self._show_refusal(self.assignment)
        else:
            self._show_check()
        if problem:
            set_error(self.blocking_label, problem)

    def _setup_ui(self) -> None:
        number = self._number
        self.setWindowTitle(self.tr("Randomize {number}").format(number=number))
        self.stack = QStackedWidget()
        # step 1: check
        self.check_page = QWidget()
        self.check_title = _label(self.tr("Step 1 of 2 \u00b7 Check eligibility and "
                                          "stratification"), bold=True, scale=1.2)
        self.panel = EligibilityPanel(self._session.study)
        self.strata_box = QGroupBox(self.tr("Stratification values read from the CRF"))
        self.strata_form = QFormLayout(self.strata_box)
        self.blocking_label = error_label()
        self.next_button = QPushButton(self.tr("&Next >"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        _fill(self.check_page, self.check_title, self.panel, self.strata_box,
              self.blocking_label, self._row(self.cancel_button, self.next_button))
        # step 2: confirm
        self.confirm_page = QWidget()
        self.confirm_title = _label(self.tr("Step 2 of 2 \u00b7 Confirm"), bold=True, scale=1.2)
        self.question_label = _label(self.tr(
            "Randomize {number} now? This cannot be undone.").format(number=number),
            bold=True, scale=1.4)
        self.confirm_edit = QLineEdit()
        self.confirm_edit.installEventFilter(self)
        self.confirm_edit.setMaximumWidth(self.fontMetrics().averageCharWidth() * 24)
        self.confirm_label = QLabel(self.tr("&Type the patient number to confirm:"))
        self.confirm_label.setBuddy(self.confirm_edit)
        self.confirm_error = error_label()
        self.back_button = QPushButton(self.tr("< &Back"))
        self.cancel_button2 = QPushButton(self.tr("Cancel"))
        self.randomize_button = QPushButton(self.tr("&Randomize"))
        self.randomize_button.setEnabled(False)
        self.confirm_summary = _label()
        _fill(self.confirm_page, self.confirm_title, self.question_label, _label(self.tr(
            "The arm is drawn at once from the site's concealed allocation list and can "
            "never be changed or drawn again.")), self.confirm_summary, self.confirm_label,
            self.confirm_edit, self.confirm_error, None,
            self._row(self.back_button, self.cancel_button2, self.randomize_button))
        # result (or refusal)
        self.result_page = QWidget()
        self.result_title = _label(bold=True, scale=1.2)
        self.arm_label = _label(bold=True, scale=2.6)
        self.arm_name_label = _label(bold=True)
        self.regimen_label = _label()
        self.details_form = QFormLayout()
        self.deviation_box = QGroupBox(self.tr("Record a protocol deviation"))
        self.deviation_edit = QPlainTextEdit()
        self.deviation_edit.setPlaceholderText(self.tr(
            "e.g. randomized in ISS stratum I-II, ISS stage at entry was III"))
        self.deviation_edit.setTabChangesFocus(True)
        self.deviation_edit.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.deviation_button = QPushButton(self.tr("Record &deviation"))
        self.deviation_error = error_label()
        self.deviation_done = _label()
        _fill(self.deviation_box, _label(self.tr(
            "A wrong stratum is recorded as a protocol deviation with a note; the patient "
            "keeps the arm assigned.")), self.deviation_edit, self.deviation_error,
            self.deviation_done, self._row(self.deviation_button))
        self.copy_button = QPushButton(self.tr("&Copy confirmation"))
        self.copy_button.setToolTip(self.tr(
            "Copy a plain-text confirmation to paste into a letter or an e-mail."))
        self.close_button = QPushButton(self.tr("Close"))
        _fill(self.result_page, self.result_title, self.arm_label, self.arm_name_label,
              self.regimen_label, self.details_form, self.deviation_box, None,
              self._row(self.copy_button, self.close_button))
        for widget in (self.check_page, self.confirm_page, self.result_page):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.resize(900, 640)

    @staticmethod
    def _row(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        return row

    def _connect_signals(self) -> None:
        self.cancel_button.clicked.connect(self.reject)
        self.cancel_button2.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        self.next_button.clicked.connect(self._on_next)
        self.back_button.clicked.connect(self._on_back)
        self.confirm_edit.textChanged.connect(self._on_confirm_text)
        self.randomize_button.clicked.connect(self._on_randomize)
        self.copy_button.clicked.connect(self._on_copy)
        self.deviation_button.clicked.connect(self._on_record_deviation)

    # -- pages --------------------------------------------------------------------------
    def _show_check(self) -> None:
        pid = self._patient_id
        try:
            self.panel.set_report(self._eligibility.evaluate(pid))
            self._strat = self._service.stratification(pid)
            self._fill_strata(self._strat)
        except ServiceError as exc:
            set_error(self.blocking_label, tr_message(exc))
        blocking = randomization_blockers(self._service, self._eligibility, pid)
        if blocking:
            set_error(self.blocking_label, self.tr(
                "Randomization is not possible yet:") + "\n" + "\n".join(
                    f"\u2022 {reason}" for reason in blocking))
        else:
            set_error(self.blocking_label, None)
        self.next_button.setEnabled(not blocking)
        self._set_defaults(self.next_button if not blocking else self.cancel_button)
        self.stack.setCurrentWidget(self.check_page)
        (self.next_button if not blocking else self.cancel_button).setFocus()

    def _fill_strata(self, strat: Stratification) -> None:
        while self.strata_form.rowCount():
            self.strata_form.removeRow(0)
        missing = self.tr("missing")
        names = {s.code: s.name for s in self._session.sites.list_sites()}
        site = " \u00b7 ".join(x for x in (strat.site_code, names.get(strat.site_code)) if x)
        iss = (self.tr("stage {stage}, group {group}").format(
            stage="I" * strat.iss_stage if strat.iss_stage else "", group=strat.iss_group)
            if strat.iss_group else missing)
        age = (self.tr("{age} years, group {group}").format(age=strat.age, group=strat.age_group)
               if strat.age is not None else missing)
        sex = {"F": self.tr("Female"), "M": self.tr("Male")}.get(strat.sex, strat.sex)
        for label, value in ((self.tr("Site:"), site), (self.tr("ISS stage at entry:"), iss),
                             (self.tr("Age:"), age), (self.tr("Sex:"), sex)):
            self.strata_form.addRow(label, _label(value, bold=True))

    def _show_refusal(self, result: RandomizationResult) -> None:
        self.result_title.setText(self.tr(
            "{number} is already randomized. A randomization is final: it can never be "
            "undone or repeated.").format(number=result.patient_number))
        self._fill_result(result)
        self.deviation_box.setVisible(True)
        self._set_defaults(self.close_button)
        self.stack.setCurrentWidget(self.result_page)
        self.close_button.setFocus()

    def _fill_result(self, result: RandomizationResult) -> None:
        arm = next((a for a in self._session.study.arms if result.arm in (a.letter, a.code)),
                   None)
        language = _language()
        self.arm_label.setText(f"{arm.letter} \u00b7 {arm.code}" if arm else result.arm)
        self.arm_name_label.setText(arm.name.get(language) if arm else "")
        self.regimen_label.setText(arm.regimen.get(language) if arm else "")
        while self.details_form.rowCount():
            self.details_form.removeRow(0)
        for label, value in ((self.tr("Patient:"), f"{result.patient_number} "
                                                   f"({result.initials})"),
                             (self.tr("Randomization number:"), result.number),
                             (self.tr("Date and time (local):"),
                              local_time(result.randomized_at)),
                             (self.tr("Randomized by:"), result.username),
                             (self.tr("Stratum:"), stratum_text(result.stratum))):
            self.details_form.addRow(label, _label(value, bold=True))

    def _set_defaults(self, button: QPushButton) -> None:
        for other in self.findChildren(QPushButton):
            other.setDefault(other is button)

    # -- slots --------------------------------------------------------------------------
    @Slot()
    def _on_next(self) -> None:
        if self._strat is not None:
            self.confirm_summary.setText(self.tr(
                "Patient {number} ({initials}), site {site}, ISS group {iss}, age group "
                "{age}.").format(number=self._number,
                                 initials=self._initials, site=self._strat.site_code,
                                 iss=self._strat.iss_group, age=self._strat.age_group))
        self.confirm_edit.clear()
        set_error(self.confirm_error, None)
        self._set_defaults(self.cancel_button2)
        self.stack.setCurrentWidget(self.confirm_page)
        self.confirm_edit.setFocus()

    @Slot()
    def _on_back(self) -> None:
        self._show_check()

    @Slot(str)
    def _on_confirm_text(self, text: str) -> None:
        set_error(self.confirm_error, None)
        self.randomize_button.setEnabled(text.strip() == self._number)

    @Slot()
    def _on_randomize(self) -> None:
        if self._strat is None or not self.randomize_button.isEnabled():
            return
        try:
            self.assignment = self._service.randomize(self._patient_id, self._strat)
        except ServiceError as exc:
            set_error(self.confirm_error, tr_message(exc))
            return
        self.result_title.setText(self.tr("{number} is randomized.").format(
            number=self.assignment.patient_number))
        self._fill_result(self.assignment)
        self.deviation_box.setVisible(False)
        self._set_defaults(self.close_button)
        self.stack.setCurrentWidget(self.result_page)
        self.close_button.setFocus()
        self.randomized.emit(self._patient_id)

    @Slot()
    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(self.confirmation_text())

    @Slot()
    def _on_record_deviation(self) -> None:
        set_error(self.deviation_error, None)
        try:
            self._service.record_deviation(self._patient_id, self.deviation_edit.toPlainText())
        except ServiceError as exc:
            set_error(self.deviation_error, tr_message(exc))
            return
        self.deviation_edit.clear()
        self.deviation_done.setText(self.tr("\u2714 Protocol deviation recorded."))
        self.deviationRecorded.emit(self._patient_id)

    # -- public -------------------------------------------------------------------------
    def confirmation_text(self) -> str:
        """The plain-text confirmation of the randomization shown ('' before it exists)."""
        if self.assignment is None:
            return ""
        lines = [self.tr("{study} randomization confirmation").format(
            study=self._session.study.info.name), "",
            self.result_title.text(), self.arm_label.text(), self.arm_name_label.text(),
            self.regimen_label.text(), ""]
        for row in range(self.details_form.rowCount()):
            label = self.details_form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            field = self.details_form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget()
            lines.append(f"{label.text()} {field.text()}")  # type: ignore[attr-defined]
        return "\n".join(lines)

    # -- overrides ----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the confirmation field moves to Randomize; it never presses a button."""
        if watched is self.confirm_edit and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.randomize_button.isEnabled():
                self.randomize_button.setFocus()
            else:
                set_error(self.confirm_error, self.tr(
                    "Type {number} exactly to confirm.").format(
                        number=self._number))
            return True
        return super().eventFilter(watched, event)
