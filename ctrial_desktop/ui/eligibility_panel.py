"""The eligibility checklist of one patient: each criterion met, not met or missing, with why.

Shows an :class:`~ctrial_desktop.services.eligibility.EligibilityReport` (plain data):
a summary line, then one row per criterion with its status (an icon and a word,
never colour alone), the criterion, the value checked and the sentence explaining
the status. The criterion's full CRF wording, in the user's language, is its tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.eligibility import CriterionResult, EligibilityReport
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.ui.i18n import current_language, tr_message

#: Colours used only together with an icon and a word.
GREEN = "#1b7a2e"
RED = "#b00020"
AMBER = "#8a5a00"


def _language() -> str:
    return current_language()


class EligibilityPanel(QWidget):
    """Read-only view of an eligibility report.

    Signals: none.
    """

    COLUMNS = 5

    def __init__(self, study: StudyDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._study = study
        self._report: EligibilityReport | None = None
        self._setup_ui()

    def _setup_ui(self) -> None:
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (0, 1, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # the criterion wraps in a column of its own width; the explanation takes the rest
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(2, self.fontMetrics().averageCharWidth() * 34)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.table.setHorizontalHeaderLabels([
            self.tr("No."), self.tr("Status"), self.tr("Criterion"), self.tr("Value"),
            self.tr("Why"),
        ])
        if self._report is not None:
            self.set_report(self._report)
        else:
            self.summary_label.setText(self.tr("Eligibility not evaluated yet."))

    # -- public -------------------------------------------------------------------------
    def set_report(self, report: EligibilityReport) -> None:
        """Show ``report`` (replaces what was shown)."""
        self._report = report
        self._show_summary(report)
        self.table.setRowCount(len(report.criteria))
        for row, criterion in enumerate(report.criteria):
            self._fill_row(row, criterion)
        self.table.resizeRowsToContents()

    def status_text(self, item_oid: str) -> str:
        """The status word shown for the criterion ``item_oid`` ('' when not shown)."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == item_oid:
                return self.table.item(row, 1).text()
        return ""

    # -- helpers ------------------------------------------------------------------------
    def _show_summary(self, report: EligibilityReport) -> None:
        if report.eligible:
            text = self.tr("\u2714 Eligible: every criterion is met ({count}).").format(
                count=len(report.criteria))
            colour = GREEN
        else:
            text = self.tr("\u2716 Not eligible yet: {not_met} not met, {missing} missing. "
                           "The patient cannot be randomized until every criterion is met."
                           ).format(not_met=len(report.not_met), missing=len(report.missing))
            colour = RED
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(f"color: {colour};")

    def _status(self, status: str) -> tuple[str, QIcon, str]:
        style = self.style()
        if status == "met":
            return (self.tr("Met"), style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                    GREEN)
        if status == "not_applicable":
            return (self.tr("Not applicable"),
                    style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton), GREEN)
        if status == "not_met":
            return (self.tr("Not met"),
                    style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical), RED)
        return (self.tr("Missing"),
                style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning), AMBER)

    def _fill_row(self, row: int, c: CriterionResult) -> None:
        word, icon, colour = self._status(c.status)
        label = tr_message(c.name)
        if self._study.has_item(c.item_oid):
            label_full = self._study.item(c.item_oid).label.get(_language())
        else:
            label_full = label
        code = QTableWidgetItem(c.item_oid.removeprefix("I.ELIG."))
        code.setData(Qt.ItemDataRole.UserRole, c.item_oid)
        code.setToolTip(self.tr("Inclusion criterion") if c.kind == "inclusion"
                        else self.tr("Exclusion criterion"))
        status = QTableWidgetItem(icon, word)
        status.setForeground(QBrush(QColor(colour)))
        name = QTableWidgetItem(label)
        name.setToolTip(label_full)
        value = QTableWidgetItem(tr_message(c.value))
        sentence = tr_message(c.sentence)
        why = QTableWidgetItem(sentence)
        why.setToolTip(sentence)
        for column, item in enumerate((code, status, name, value, why)):
            self.table.setItem(row, column, item)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
