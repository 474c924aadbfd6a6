"""Read-only IMWG panel above the disease-assessment form.

It shows, for the assessment being edited, the category the engine derived (stored in
``I.DA.RESP_DERIVED`` at each save) with its reasons in words and whether it is
confirmed by the next assessment, then the patient's best overall response and date of
progression. The investigator who disagrees chooses their own response in the form
(``I.DA.RESP_INV``) and gives the reason; both are kept and printed.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from ctrial_desktop.services.clinical import ClinicalService, ResponseSummary
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.ui.i18n import tr_after_colon, tr_message
from ctrial_desktop.ui.session import UiSession


class ResponsePanel(QFrame):
    """The derived response of one assessment and the patient's best response.

    Signals: none.
    """

    def __init__(self, session: UiSession, patient_id: int, event_oid: str,
                 event_repeat: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = ClinicalService(session.db, session.actor, session.study)
        self._instance = (patient_id, event_oid, event_repeat)
        self._summary: ResponseSummary | None = None
        self._error = ""
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("responsePanel")
        self.setStyleSheet("#responsePanel { background: #eef4fb; }")
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.assessment_label = self._label()
        self.reasons_label = self._label()
        self.patient_label = self._label()
        self.hint_label = self._label()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(3)
        for widget in (self.title_label, self.assessment_label, self.reasons_label,
                       self.patient_label, self.hint_label):
            layout.addWidget(widget)
        self.refresh()

    @staticmethod
    def _label() -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    @staticmethod
    def _date(day: dt.date | None) -> str:
        return "" if day is None else day.strftime("%d/%m/%Y")

    def refresh(self) -> None:
        """Evaluate the patient's assessments again (after a save)."""
        try:
            self._summary = self._service.response(self._instance[0])
            self._error = ""
        except ServiceError as exc:
            self._summary, self._error = None, tr_after_colon(exc)
        self._show()

    def _show(self) -> None:
        self.title_label.setText(self.tr("IMWG response derived by the application"))
        self.hint_label.setText(self.tr(
            "If you disagree, choose the investigator's response below and give the reason: "
            "both responses are kept and printed."))
        summary = self._summary
        if summary is None:
            self.assessment_label.setText(self.tr("Cannot be derived: {message}").format(
                message=self._error))
            self.reasons_label.hide()
            self.patient_label.hide()
            return
        _patient, event_oid, repeat = self._instance
        row = next((r for r in summary.assessments
                    if r.event_oid == event_oid and r.event_repeat == repeat), None)
        if event_oid == "SE.SCREEN":
            self.assessment_label.setText(self.tr(
                "This screening assessment is the baseline of the response."))
            self.reasons_label.hide()
        elif row is None:
            why = (tr_message(summary.note) if summary.note
                   else self.tr("enter and save the date of the assessment"))
            self.assessment_label.setText(self.tr(
                "This assessment: not evaluated yet ({why}).").format(why=why))
            self.reasons_label.hide()
        else:
            confirmed = self.tr("confirmed by the next assessment") if row.confirmed else \
                self.tr("not confirmed yet")
            self.assessment_label.setText(self.tr(
                "This assessment ({date}): {category}, {confirmed}.").format(
                date=self._date(row.date), category=row.category or self.tr("not evaluable"),
                confirmed=confirmed))
            self.reasons_label.setText("\n".join(f"• {tr_message(reason)}"
                                                  for reason in row.reasons))
            self.reasons_label.setVisible(bool(row.reasons))
        if summary.best_response == "NE":
            text = self.tr("Best overall response: not evaluable.")
        else:
            text = self.tr("Best overall response: {response} (first on {date}).").format(
                response=summary.best_response, date=self._date(summary.best_response_date))
        if summary.progression_date is not None:
            text += " " + self.tr("Progression on {date}.").format(
                date=self._date(summary.progression_date))
        else:
            text += " " + self.tr("No progression.")
        self.patient_label.setText(text)
        self.patient_label.show()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        super().changeEvent(event)
