"""The randomization log (data managers and monitors): assignments, list commitments, stock.

Every assignment in order with its patient, number, local date-time, user, arm,
stratum, and either the list and position (blocks) or the minimization explanation
(imbalance per arm, probability used, draw). Then the commitments of the allocation
lists (stratum, list number, positions, SHA-256, created by/at/reason), so anyone can
check later that no assignment was changed, and the positions left per stratum with
a warning when a stratum runs low. Data managers append a list to a stratum with a
reason; other roles see the action disabled and why.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.services.randomization import (
    ListInfo,
    RandomizationResult,
    RandomizationService,
    StockRow,
)
from ctrial_desktop.ui.eligibility_panel import AMBER, GREEN
from ctrial_desktop.ui.field_messages import ERROR_SIGN, error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.randomize_dialog import local_time, stratum_text
from ctrial_desktop.ui.reason_dialog import ReasonDialog
from ctrial_desktop.ui.session import UiSession


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


def _item(text: object, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class RandomizationLogView(QWidget):
    """Assignments, list commitments and stock, read through the randomization service.

    Signals:
        listAppended(str): the stratum that received a new list.
    """

    listAppended = Signal(str)

    def __init__(self, session: UiSession, randomization: RandomizationService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._service = randomization
        self._stock: list[StockRow] = []
        self._reason_dialog: ReasonDialog | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title_label.setFont(font)
        self.low_stock_label = error_label()
        self.low_stock_label.setStyleSheet(f"color: {AMBER};")
        self.error_label = error_label()
        self.tabs = QTabWidget()
        self.assignments = _table(9)
        self.lists = _table(8)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._mono = mono
        self.stock_table = _table(6)
        self.append_button = QPushButton()
        self.append_hint = QLabel()
        self.append_hint.setWordWrap(True)
        self.refresh_button = QPushButton()
        stock_page = QWidget()
        box = QVBoxLayout(stock_page)
        box.addWidget(self.stock_table, 1)
        row = QHBoxLayout()
        row.addWidget(self.append_hint, 1)
        row.addWidget(self.append_button)
        box.addLayout(row)
        self.tabs.addTab(self.assignments, "")
        self.tabs.addTab(self.lists, "")
        self.tabs.addTab(stock_page, "")
        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.low_stock_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)
        self._can_append = self._session.actor.can(Action.MANAGE_ALLOCATION_LISTS)
        self.append_button.setEnabled(False)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.title_label.setText(self.tr("Randomization log"))
        self.refresh_button.setText(self.tr("Re&fresh"))
        self.tabs.setTabText(0, self.tr("&Assignments"))
        self.tabs.setTabText(1, self.tr("&List commitments"))
        self.tabs.setTabText(2, self.tr("&Stock"))
        self.assignments.setHorizontalHeaderLabels([
            self.tr("Patient"), self.tr("Number"), self.tr("Date and time (local)"),
            self.tr("User"), self.tr("Arm"), self.tr("Method"), self.tr("Stratum"),
            self.tr("List \u00b7 position"), self.tr("Minimization")])
        self.lists.setHorizontalHeaderLabels([
            self.tr("Site"), self.tr("Stratum"), self.tr("List"), self.tr("Positions"),
            self.tr("SHA-256 commitment"), self.tr("Created by"), self.tr("Created (local)"),
            self.tr("Reason")])
        self.stock_table.setHorizontalHeaderLabels([
            self.tr("Site"), self.tr("Stratum"), self.tr("Positions"), self.tr("Used"),
            self.tr("Left"), self.tr("Status")])
        self.append_button.setText(self.tr("A&ppend list\u2026"))
        if self._can_append:
            self.append_hint.setText(self.tr(
                "Select a stratum, then append a new list (own seed and commitment) before it "
                "runs out. A reason is required."))
        else:
            self.append_hint.setText(self.tr(
                "Only a data manager can append allocation lists."))

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.append_button.clicked.connect(self._on_append)
        self.stock_table.itemSelectionChanged.connect(self._on_stock_selection)

    # -- public -------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Read the log, the commitments and the stock again."""
        set_error(self.error_label, None)
        try:
            log = self._service.log()
            lists = self._service.lists()
            self._stock = self._service.stock()
        except ServiceError as exc:
            set_error(self.error_label, tr_message(exc))
            return
        self._fill_assignments(log, lists)
        self._fill_lists(lists)
        self._fill_stock(self._stock)

    # -- filling ------------------------------------------------------------------------
    def _fill_assignments(self, log: list[RandomizationResult], lists: list[ListInfo]) -> None:
        self.assignments.setRowCount(len(log))
        for row, r in enumerate(log):
            arm = next((a for a in self._session.study.arms if r.arm in (a.letter, a.code)), None)
            where = ""
            if r.position is not None:
                number = next((li.list_number for li in lists if li.stratum == r.stratum
                               and li.first_position <= r.position <= li.last_position), None)
                where = self.tr("list {list} \u00b7 position {position}").format(
                    list=number if number is not None else "?", position=r.position)
            cells = (f"{r.patient_number} ({r.initials})", r.number,
                     local_time(r.randomized_at), r.username,
                     f"{arm.letter} \u00b7 {arm.code}" if arm else r.arm,
                     self.tr("blocks") if r.method == "blocks" else self.tr("minimization"),
                     stratum_text(r.stratum), where, self._explain(r.explanation))
            for column, text in enumerate(cells):
                self.assignments.setItem(row, column, _item(text))
        # show the list position for blocks, the explanation for minimization
        methods = {r.method for r in log}
        self.assignments.setColumnHidden(7, bool(log) and "blocks" not in methods)
        self.assignments.setColumnHidden(8, "minimization" not in methods)
        self.assignments.resizeRowsToContents()

    def _explain(self, explanation: dict[str, object]) -> str:
        arms = explanation.get("arms")
        if not isinstance(arms, dict):
            return ""
        parts = [self.tr("{arm}: imbalance {imbalance}, probability {p}").format(
            arm=arm, imbalance=values.get("imbalance"), p=values.get("probability"))
            for arm, values in arms.items() if isinstance(values, dict)]
        draw = explanation.get("draw")
        parts.append(self.tr("draw {draw} \u2192 {arm}").format(
            draw=f"{draw:.4f}" if isinstance(draw, float) else draw,
            arm=explanation.get("arm")))
        return "; ".join(parts)

    def _fill_lists(self, lists: list[ListInfo]) -> None:
        self.lists.setRowCount(len(lists))
        for row, li in enumerate(lists):
            cells = (li.site_code, stratum_text(li.stratum), li.list_number,
                     f"{li.first_position}\u2013{li.last_position}", li.commitment,
                     li.created_by, local_time(li.created_at), li.reason)
            for column, text in enumerate(cells):
                item = _item(text, align_right=column == 2)
                if column == 4:
                    item.setFont(self._mono)
                self.lists.setItem(row, column, item)

    def _fill_stock(self, stock: list[StockRow]) -> None:
        style = self.style()
        self.stock_table.setRowCount(len(stock))
        low = []
        for row, s in enumerate(stock):
            if s.low:
                low.append(s)
                status = QTableWidgetItem(
                    style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
                    self.tr("Low: append a list"))
                status.setForeground(QBrush(QColor(AMBER)))
            else:
                status = QTableWidgetItem(
                    style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton), self.tr("OK"))
                status.setForeground(QBrush(QColor(GREEN)))
            cells = [_item(s.site_code), _item(stratum_text(s.stratum)),
                     _item(s.total, True), _item(s.used, True), _item(s.remaining, True), status]
            cells[1].setData(Qt.ItemDataRole.UserRole, s.stratum)
            for column, item in enumerate(cells):
                self.stock_table.setItem(row, column, item)
        # a warning, not an error: amber, each line with its sign
        self.low_stock_label.setText("\n".join(f"{ERROR_SIGN} " + self.tr(
            "Stratum {stratum} has only {left} position(s) left: a data manager must append "
            "a list before it runs out.").format(stratum=stratum_text(s.stratum),
                                                 left=s.remaining) for s in low))
        self.low_stock_label.setVisible(bool(low))
        self._on_stock_selection()

    def selected_stratum(self) -> str | None:
        """The stratum selected in the stock table, if any."""
        rows = {i.row() for i in self.stock_table.selectedItems()}
        if len(rows) != 1:
            return None
        item = self.stock_table.item(rows.pop(), 1)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    # -- slots --------------------------------------------------------------------------
    @Slot()
    def _on_stock_selection(self) -> None:
        self.append_button.setEnabled(self._can_append and self.selected_stratum() is not None)

    @Slot()
    def _on_append(self) -> None:
        stratum = self.selected_stratum()
        if stratum is None or not self._can_append:
            return

        def apply(reason: str, _password: str) -> object:
            return self._service.append_list(stratum, reason)

        dialog = ReasonDialog(
            self.tr("Append an allocation list"),
            self.tr("A new list with its own seed and SHA-256 commitment will be appended to "
                    "stratum {stratum}. Lists are never removed.").format(
                        stratum=stratum_text(stratum)),
            self.tr("&Append list"), apply, parent=self)
        dialog.accepted.connect(lambda: self._after_append(stratum))
        dialog.finished.connect(dialog.deleteLater)
        self._reason_dialog = dialog
        dialog.open()

    def _after_append(self, stratum: str) -> None:
        self.refresh()
        self.listAppended.emit(stratum)

    # -- overrides ----------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)


class RandomizationLogDialog(QDialog):
    """The randomization log in its own window (Tools menu)."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Randomization log"))
        self.resize(1100, 640)
        self.view = RandomizationLogView(session, session.randomization, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
