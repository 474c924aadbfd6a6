"""The query list: every query the user may see, filtered by status, site and age.

Each row names the patient, the visit, form and field, the status (a word, with colour
only as a second cue), who raised it and how many days ago, and the last message.
Enter or a double-click opens the thread in :class:`QueryDialog`, where the query is
answered, closed or re-opened; the list refreshes after every change.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.review import QUERY_STATUSES, QueryRow
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.query_dialog import QueryDialog, place_text, status_text
from ctrial_desktop.ui.session import UiSession

#: Status colours, always next to the status word.
STATUS_COLOURS = {"open": "#b00020", "answered": "#9a6700", "closed": "#1a7f37"}

COLUMNS = 7


class QueriesView(QWidget):
    """Filterable list of queries; opens a query's thread to act on it.

    Signals:
        openFormRequested(int, str, int, str, int): go to the form of the selected query
            (patient id, event OID, event repeat, form OID, visit day)
            (patient id, event OID, event repeat, form OID).
    """

    openFormRequested = Signal(int, str, int, str, int)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.rows: list[QueryRow] = []
        self.thread_dialog: QueryDialog | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.status_combo = QComboBox()
        self.status_combo.addItem("", None)
        for status in QUERY_STATUSES:
            self.status_combo.addItem(status_text(status), status)
        self.status_combo.setCurrentIndex(1)  # open queries first: they need work
        self.status_label = QLabel()
        self.status_label.setBuddy(self.status_combo)
        self.site_combo = QComboBox()
        self.site_label = QLabel()
        self.site_label.setBuddy(self.site_combo)
        self.age_spin = QSpinBox()
        self.age_spin.setRange(0, 3650)
        self.age_label = QLabel()
        self.age_label.setBuddy(self.age_spin)
        filters = QHBoxLayout()
        for label, field in ((self.status_label, self.status_combo),
                             (self.site_label, self.site_combo),
                             (self.age_label, self.age_spin)):
            filters.addWidget(label)
            filters.addWidget(field)
            filters.addSpacing(12)
        filters.addStretch(1)
        self.count_label = QLabel()
        filters.addWidget(self.count_label)
        self.table = QTableWidget(0, COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.installEventFilter(self)
        self.error = error_label()
        self.open_button = QPushButton()
        self.form_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.form_button)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Queries"))
        self.status_combo.setItemText(0, self.tr("All"))
        for index, status in enumerate(QUERY_STATUSES, start=1):
            self.status_combo.setItemText(index, status_text(status))
        self.status_label.setText(self.tr("S&tatus:"))
        self.site_label.setText(self.tr("S&ite:"))
        self.age_label.setText(self.tr("&Older than:"))
        self.age_spin.setSuffix(self.tr(" days"))
        self.age_spin.setSpecialValueText(self.tr("any age"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Patient"), self.tr("Site"), self.tr("Visit \u2013 form \u2013 field"),
            self.tr("Status"), self.tr("Raised by"), self.tr("Age (days)"),
            self.tr("Last message")])
        self.open_button.setText(self.tr("Open &thread\u2026"))
        self.form_button.setText(self.tr("Go to &form"))
        self._update_sites()

    def _connect_signals(self) -> None:
        self.status_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.site_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.age_spin.valueChanged.connect(self._on_filter_changed)
        self.table.doubleClicked.connect(self._on_open_thread)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.open_button.clicked.connect(self._on_open_thread)
        self.form_button.clicked.connect(self._on_go_to_form)

    def _update_sites(self) -> None:
        """All visible sites, from the queries the user may see."""
        current = self.site_combo.currentData()
        try:
            codes = sorted({r.site_code for r in self._session.review.list_queries()})
        except ServiceError:
            codes = []
        self.site_combo.blockSignals(True)
        self.site_combo.clear()
        self.site_combo.addItem(self.tr("All sites"), None)
        for code in codes:
            self.site_combo.addItem(code, code)
        index = self.site_combo.findData(current)
        self.site_combo.setCurrentIndex(max(index, 0))
        self.site_combo.blockSignals(False)

    def refresh(self) -> None:
        """Reload the queries with the current filters, keeping the selected query."""
        selected = self.selected_query()
        set_error(self.error, None)
        age = self.age_spin.value()
        try:
            self.rows = self._session.review.list_queries(
                status=self.status_combo.currentData(), site_code=self.site_combo.currentData(),
                older_than_days=age or None)
        except ServiceError as exc:
            self.rows = []
            set_error(self.error, tr_message(exc))
        today = dt.date.today()
        self.table.setRowCount(len(self.rows))
        for row, query in enumerate(self.rows):
            self._fill_row(row, query, today)
            if selected is not None and query.id == selected.id:
                self.table.selectRow(row)
        self.count_label.setText(self.tr("Queries shown: {count}").format(count=len(self.rows)))
        self._on_selection_changed()

    def _fill_row(self, row: int, query: QueryRow, today: dt.date) -> None:
        place = place_text(self._session.study, query.event_oid, query.event_repeat,
                           query.form_oid, query.item_oid, query.group_repeat, query.visit_day)
        last = query.messages[-1].text if query.messages else ""
        texts = (query.patient_number, query.site_code, place, status_text(query.status),
                 query.raised_by, str(query.age_days(today)), last)
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if column == 3:
                item.setForeground(QBrush(QColor(STATUS_COLOURS.get(query.status, "#000"))))
            if column == 5:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def selected_query(self) -> QueryRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rows):
            return None
        return self.rows[rows[0].row()]

    @Slot()
    def _on_filter_changed(self) -> None:
        self.refresh()

    @Slot()
    def _on_selection_changed(self) -> None:
        has = self.selected_query() is not None
        for button in (self.open_button, self.form_button):
            button.setEnabled(has)
        self.open_button.setDefault(has)

    @Slot()
    def _on_open_thread(self) -> None:
        query = self.selected_query()
        if query is None:
            return
        dialog = QueryDialog(self._session, query=query, parent=self)
        dialog.queryChanged.connect(self._on_query_changed)
        dialog.finished.connect(dialog.deleteLater)
        self.thread_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_query_changed(self, _query_id: int) -> None:
        self._update_sites()
        self.refresh()

    @Slot()
    def _on_go_to_form(self) -> None:
        query = self.selected_query()
        if query is not None:
            self.openFormRequested.emit(query.patient_id, query.event_oid, query.event_repeat,
                                        query.form_oid, query.visit_day)

    def eventFilter(self, watched: object, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self._on_open_thread()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)
