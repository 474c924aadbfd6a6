"""Read-only clinical summary of one patient: IMWG response, dose intensity and dose advice.

Three sections read through :class:`~ctrial_desktop.services.clinical.ClinicalService`:
the disease assessments with their IMWG category, confirmation and reasons, the best
response and progression date in words; the relative dose intensity of both drugs per
cycle and cumulative; the dose advice for each drug with the rule that fired. A section
that cannot be computed shows why instead of its table.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.domain.dosing import DEXAMETHASONE, POMALIDOMIDE, Action, DrugAdvice
from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.clinical import ClinicalService, IntensityRow
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.ui.i18n import tr_after_colon, tr_message
from ctrial_desktop.ui.session import UiSession


def _table(headers: list[str], stretch_last: bool = True) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    if stretch_last:
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], bold_rows: set[int] | None = None,
          numeric: frozenset[int] = frozenset()) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, text in enumerate(values):
            item = QTableWidgetItem(text)
            if c in numeric:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if bold_rows and r in bold_rows:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            table.setItem(r, c, item)
    table.setVisible(bool(rows))


class ClinicalSummaryPanel(QWidget):
    """IMWG response, dose intensity and dose advice of one patient, read-only.

    Signals: none.
    """

    def __init__(self, session: UiSession, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = ClinicalService(session.db, session.actor, session.study)
        self._patient_id = patient_id
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.response_label = self._label()
        self.response_table = _table([self.tr("Visit"), self.tr("Date"), self.tr("Response"),
                                      self.tr("Confirmation"), self.tr("Reasons")])
        self.intensity_label = self._label()
        self.intensity_table = _table([
            self.tr("Cycle"), self.tr("Pomalidomide\ndelivered (mg)"),
            self.tr("Pomalidomide\nplanned (mg)"), self.tr("Pomalidomide\nRDI (%)"),
            self.tr("Dexamethasone\ndelivered (mg)"), self.tr("Dexamethasone\nplanned (mg)"),
            self.tr("Dexamethasone\nRDI (%)")], stretch_last=False)
        self.advice_note = self._label()
        self.advice_note.setText(self.tr("Advice only — the investigator decides."))
        self.advice_inputs = self._label()
        self.advice_table = _table([self.tr("Drug"), self.tr("Action"), self.tr("Next dose"),
                                    self.tr("Why")])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        for title, widgets in (
                (self.tr("Response (IMWG)"), (self.response_label, self.response_table)),
                (self.tr("Dose intensity"), (self.intensity_label, self.intensity_table)),
                (self.tr("Dose advice"), (self.advice_note, self.advice_inputs,
                                          self.advice_table))):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            for widget in widgets:
                inner.addWidget(widget, 1 if isinstance(widget, QTableWidget) else 0)
            inner.addStretch(0)  # keeps the texts at the top while a table is hidden
            self.splitter.addWidget(box)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignRight)

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self._on_refresh)

    @Slot()
    def _on_refresh(self) -> None:
        self.refresh()

    def _label(self) -> QLabel:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def _date(self, value: dt.date | None) -> str:
        """dd/mm/yyyy, as every date of the interface."""
        if value is None:
            return ""
        return value.strftime("%d/%m/%Y")

    def _number(self, value: float | None, decimals: int) -> str:
        return "" if value is None else QLocale().toString(float(value), "f", decimals)

    def refresh(self) -> None:
        """Read the three sections again from the stored forms."""
        self._show_response()
        self._show_intensity()
        self._show_advice()

    def _show_response(self) -> None:
        try:
            summary = self._service.response(self._patient_id)
        except ServiceError as exc:
            self.response_label.setText(
                self.tr("Error: {message}").format(message=tr_after_colon(exc)))
            _fill(self.response_table, [])
            return
        if summary.best_response == "NE":
            why = (tr_message(summary.note) if summary.note
                   else self.tr("no evaluable assessment"))
            text = self.tr("Best overall response: NE (not evaluable) — {why}.").format(why=why)
        else:
            text = self.tr("Best overall response: {response}, first reached on {date}.").format(
                response=summary.best_response, date=self._date(summary.best_response_date))
        if summary.progression_date is not None:
            text += " " + self.tr("Progression on {date}.").format(
                date=self._date(summary.progression_date))
        else:
            text += " " + self.tr("No progression.")
        self.response_label.setText(text)
        _fill(self.response_table, [
            [tr_message(row.visit), self._date(row.date), row.category or self.tr("not evaluable"),
             self.tr("confirmed") if row.confirmed else self.tr("unconfirmed"),
             "\n".join(tr_message(r) for r in row.reasons)] for row in summary.assessments])

    def _show_intensity(self) -> None:
        try:
            rows = self._service.dose_intensity(self._patient_id)
        except ServiceError as exc:
            self.intensity_label.setText(
                self.tr("Error: {message}").format(message=tr_after_colon(exc)))
            _fill(self.intensity_table, [])
            return
        self.intensity_label.setText(
            "" if rows else self.tr("No dosing form recorded yet."))
        self.intensity_label.setVisible(not rows)
        by_cycle: dict[int | None, dict[str, IntensityRow]] = {}
        for row in rows:
            by_cycle.setdefault(row.cycle, {})[row.drug] = row
        order: list[int | None] = [*sorted(c for c in by_cycle if c is not None)]
        if None in by_cycle:
            order.append(None)
        table: list[list[str]] = []
        for cycle in order:
            cells = [str(cycle) if cycle is not None else self.tr("All cycles")]
            for drug in (POMALIDOMIDE, DEXAMETHASONE):
                found = by_cycle[cycle].get(drug)
                cells += ([self._number(found.delivered_mg, 1), self._number(found.planned_mg, 1),
                           self._number(found.rdi_percent, 1)] if found else ["", "", ""])
            table.append(cells)
        _fill(self.intensity_table, table, {len(table) - 1} if None in by_cycle else set(),
              frozenset(range(7)))

    def _action(self, action: Action) -> str:
        return {Action.GIVE: self.tr("Give"), Action.REDUCE: self.tr("Reduce"),
                Action.DELAY: self.tr("Delay"), Action.INTERRUPT: self.tr("Interrupt"),
                Action.DISCONTINUE: self.tr("Discontinue")}[action]

    def _advice_row(self, name: str, advice: DrugAdvice) -> list[str]:
        level = (self.tr("{dose} mg").format(dose=self._number(advice.next_level_mg, 0))
                 if advice.next_level_mg is not None else self.tr("none"))
        return [name, self._action(advice.action), level,
                "\n".join(tr_message(rule) for rule in advice.rules)]

    def _show_advice(self) -> None:
        try:
            result = self._service.dose_advice(self._patient_id)
        except ServiceError as exc:
            self.advice_inputs.setText(tr_message(exc))
            _fill(self.advice_table, [])
            return
        inputs = result.inputs
        if inputs.haematology_date is not None:
            labs = self.tr("Latest haematology on {date}: neutrophils {anc} ×10⁹/L, "
                           "platelets {plt} ×10⁹/L.").format(
                date=self._date(inputs.haematology_date), anc=self._number(inputs.anc, 2),
                plt=self._number(inputs.platelets, 0))
        else:
            labs = self.tr("No haematology recorded.")
        events = tr_message(Message.join("; ", [  # " ; " in French
            self.tr("{term} grade {grade}").format(term=e.term, grade=e.grade)
            for e in inputs.open_adverse_events]))
        aes = (self.tr("Open adverse events: {events}.").format(events=events) if events
               else self.tr("No open adverse event."))
        levels = self.tr("Arm {arm}, age {age}; current levels: pomalidomide {pom} mg, "
                         "dexamethasone {dex} mg.").format(
            arm=inputs.arm, age=self._number(inputs.age_years, 0),
            pom=self._number(inputs.pomalidomide_mg, 0),
            dex=self._number(inputs.dexamethasone_mg, 0))
        self.advice_inputs.setText("\n".join((levels, labs, aes)))
        if result.advice is None:
            ended = self.tr("Treatment ended on {date}: no dose advice.").format(
                date=self._date(result.treatment_ended) or self.tr("an unknown date"))
            self.advice_inputs.setText(ended + "\n" + self.advice_inputs.text())
            _fill(self.advice_table, [])
            return
        _fill(self.advice_table, [
            self._advice_row(self.tr("Pomalidomide"), result.advice.pomalidomide),
            self._advice_row(self.tr("Dexamethasone"), result.advice.dexamethasone)])
