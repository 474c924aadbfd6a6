"""The patient list: search as you type, filter by site and status, sort, open on Enter."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QLocale, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.patients import STATUSES, PatientRow, PatientService
from ctrial_desktop.ui.icons import icon
from ctrial_desktop.ui.patient_list_model import (
    COLUMN_ARM,
    COLUMN_COUNT,
    COLUMN_INITIALS,
    COLUMN_NUMBER,
    COLUMN_SITE,
    COLUMN_STATUS,
    PatientFilterProxy,
    PatientTableModel,
    status_icon_name,
    status_label,
)
from ctrial_desktop.ui.workers import WorkerHandle, run_in_worker

log = logging.getLogger(__name__)


class PatientListWidget(QWidget):
    """Search box, site and status filters, and the table of patients.

    Enter in the search box or the table, or a double-click, opens the current
    patient (the first match when none is selected). Down in the search box
    moves into the table.

    The rows are read by :meth:`load` in a worker: listing 10,000 patients takes a
    few hundred milliseconds, too long for the GUI thread.

    Signals:
        patient_activated(int): the user opened the patient with this database id.
        loaded(int): the list was (re)loaded with this many patients.
        load_failed(str): the list could not be read (the reason, as shown).
    """

    patient_activated = Signal(int)
    loaded = Signal(int)
    load_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._job: WorkerHandle | None = None
        self._generation = 0
        self._loaded_once = False
        self.model = PatientTableModel(self)
        self.proxy = PatientFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search number or initials…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_edit.setAccessibleName(self.tr("Search patients"))
        self.search_edit.installEventFilter(self)
        self.site_combo = QComboBox()
        self.site_combo.setAccessibleName(self.tr("Site"))
        self.site_combo.addItem(self.tr("All sites"), None)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName(self.tr("Status"))
        self.status_combo.addItem(self.tr("All statuses"), None)
        for status in STATUSES:
            self.status_combo.addItem(icon(status_icon_name(status)), status_label(status), status)
        filters = QFormLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        site_label = QLabel(self.tr("&Site:"))
        site_label.setBuddy(self.site_combo)
        status_label_widget = QLabel(self.tr("S&tatus:"))
        status_label_widget.setBuddy(self.status_combo)
        filters.addRow(site_label, self.site_combo)
        filters.addRow(status_label_widget, self.status_combo)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName(self.tr("Patients"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN_NUMBER, Qt.SortOrder.AscendingOrder)
        self.table.setTabKeyNavigation(False)
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 10,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.count_label = QLabel()
        self.count_label.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.setFocusProxy(self.search_edit)
        self.table.setColumnHidden(COLUMN_SITE, True)  # until patients of two sites show
        self._size_columns()
        self._update_count()

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_changed)
        self.search_edit.returnPressed.connect(self._on_open_current)
        self.site_combo.currentIndexChanged.connect(self._on_site_changed)
        self.status_combo.currentIndexChanged.connect(self._on_status_changed)
        self.table.activated.connect(self._on_activated)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    # ------------------------------------------------------------------ API

    def set_patients(self, rows: Sequence[PatientRow]) -> None:
        """Show ``rows``; the site filter offers the sites present (kept when still there)."""
        self._loading = False
        current_site = self.site_combo.currentData()
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        sites = sorted({r.site_code for r in rows})
        self.site_combo.blockSignals(True)
        self.site_combo.clear()
        self.site_combo.addItem(self.tr("All sites"), None)
        for code in sites:
            self.site_combo.addItem(code, code)
        found = self.site_combo.findData(current_site) if current_site else 0
        self.site_combo.setCurrentIndex(max(found, 0))
        self.site_combo.blockSignals(False)
        self.site_combo.setEnabled(len(sites) > 1)
        self.table.setColumnHidden(COLUMN_SITE, len(sites) <= 1)
        self.proxy.set_site(self.site_combo.currentData())
        self._size_columns()
        self._update_count()

    def _size_columns(self) -> None:
        """Columns as wide as their longest possible text (the longest status in the
        user's language, with its icon), whatever rows are shown."""
        header = self.table.horizontalHeader()
        metrics = self.fontMetrics()
        status = max((status_label(s) for s in STATUSES), key=metrics.horizontalAdvance)
        samples = {COLUMN_NUMBER: "00-0000", COLUMN_INITIALS: "WWW", COLUMN_SITE: "00",
                   COLUMN_STATUS: status}
        for column, text in samples.items():
            width = metrics.horizontalAdvance(text) + (32 if column == COLUMN_STATUS else 12)
            header.resizeSection(column, max(width, header.sectionSizeHint(column)))
        # The arm, last, stretches over the rest; the size it has when the stretching is
        # turned on is the least it keeps (Qt's default of 100 pixels would scroll).
        header.setStretchLastSection(False)
        header.resizeSection(COLUMN_ARM, self._arm_width())
        header.setStretchLastSection(True)

    def _arm_width(self) -> int:
        return max(self.fontMetrics().horizontalAdvance("POM28") + 12,
                   self.table.horizontalHeader().sectionSizeHint(COLUMN_ARM))

    def preferred_width(self) -> int:
        """The width that shows every column without a horizontal scroll bar."""
        header = self.table.horizontalHeader()
        columns = sum(header.sectionSize(c) for c in range(COLUMN_COUNT)
                      if c != COLUMN_ARM and not self.table.isColumnHidden(c))
        return (columns + self._arm_width() + 2 * self.table.frameWidth()
                + self.table.verticalScrollBar().sizeHint().width())

    @property
    def is_ready(self) -> bool:
        """True once rows were loaded and no reload is running."""
        return self._job is None and self._loaded_once

    def load(self, service: PatientService) -> None:
        """Read the patients the user may see in a worker, then show them."""
        self.cancel_loading()
        self._generation += 1
        generation = self._generation

        def job(_progress: object, _cancelled: object) -> tuple[int, object]:
            try:
                return generation, service.list_patients()
            except Exception as exc:  # shown and logged on the GUI thread
                return generation, exc

        self._job = run_in_worker(job, on_finished=self._on_listed)
        self.set_loading()

    def cancel_loading(self) -> None:
        """Forget a running load (its result will be ignored)."""
        if self._job is not None:
            self._job.cancel()
            self._job = None
            self._generation += 1
            self._loading = False

    def set_loading(self) -> None:
        """Say that the list is being read (the rows shown stay until it arrives)."""
        self._loading = True
        self._update_count()

    def set_load_error(self, message: str) -> None:
        """Say why the list could not be read."""
        self._loading = False
        self.count_label.setEnabled(True)
        self.count_label.setStyleSheet("color: #b00020;")
        self.count_label.setText(self.tr("Patient list not loaded: {reason}").format(
            reason=message))

    def visible_patient_numbers(self) -> list[str]:
        """Patient numbers in the order shown (for tests and keyboard users' sanity)."""
        return [self.proxy.index(r, COLUMN_NUMBER).data() for r in range(self.proxy.rowCount())]

    def current_patient_id(self) -> int | None:
        """The selected patient, else the first one shown, else None."""
        index = self.table.currentIndex()
        if not index.isValid() and self.proxy.rowCount():
            index = self.proxy.index(0, 0)
        return self.proxy.patient_id(index.row()) if index.isValid() else None

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected (Ctrl+F)."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def select_patient(self, patient_id: int) -> bool:
        """Make the patient the current row if it is shown."""
        source_row = self.model.row_of(patient_id)
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    # ------------------------------------------------------------------ slots

    @Slot(object)
    def _on_listed(self, result: tuple[int, list[PatientRow] | Exception]) -> None:
        generation, rows = result
        if generation != self._generation:
            return  # cancelled, or a newer load was started meanwhile
        self._job = None
        if isinstance(rows, Exception):
            if isinstance(rows, ServiceError):
                message = str(rows)
            else:
                log.error("the patient list could not be read", exc_info=rows)
                message = self.tr("The patient list could not be read; the details are in "
                                  "the log file.")
            self.set_load_error(message)
            self.load_failed.emit(message)
            return
        self.set_patients(rows)
        self._loaded_once = True
        self.loaded.emit(len(rows))

    @Slot(str)
    def _on_search_changed(self, text: str) -> None:
        self.proxy.set_search_text(text)
        self._update_count()

    @Slot(int)
    def _on_site_changed(self, _index: int) -> None:
        self.proxy.set_site(self.site_combo.currentData())
        self._update_count()

    @Slot(int)
    def _on_status_changed(self, _index: int) -> None:
        self.proxy.set_status(self.status_combo.currentData())
        self._update_count()

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.patient_activated.emit(self.proxy.patient_id(index.row()))

    @Slot()
    def _on_open_current(self) -> None:
        patient_id = self.current_patient_id()
        if patient_id is not None:
            self.patient_activated.emit(patient_id)

    @Slot()
    def _update_count(self) -> None:
        self.count_label.setEnabled(False)
        self.count_label.setStyleSheet("")
        if self._loading:
            self.count_label.setText(self.tr("Loading patients…"))
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        locale = QLocale()
        if shown == total:
            text = (self.tr("1 patient") if total == 1 else
                    self.tr("{total} patients").format(total=locale.toString(total)))
        else:
            template = (self.tr("{shown} of 1 patient") if total == 1 else
                        self.tr("{shown} of {total} patients"))
            text = template.format(shown=locale.toString(shown), total=locale.toString(total))
        self.count_label.setText(text)

    # ------------------------------------------------------------------ overrides

    def eventFilter(self, watched: object, event: object) -> bool:
        if (watched is self.search_edit and isinstance(event, QKeyEvent)
                and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
                and self.proxy.rowCount()):
            self.table.setFocus(Qt.FocusReason.TabFocusReason)
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)
            return True
        return super().eventFilter(watched, event)  # type: ignore[arg-type]
