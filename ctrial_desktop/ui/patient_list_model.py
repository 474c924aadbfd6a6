"""Qt model of the patient list and its filter, fast with tens of thousands of patients.

:class:`PatientTableModel` holds plain :class:`PatientRow` values and precomputes,
once per row, everything the view and the filter ask for (display texts, a
lowercase search key, sort keys), so that ``data()`` and ``filterAcceptsRow()`` do
a list look-up and nothing else. Sorting is done by the source model with Python's
sort on the precomputed keys (one call), never by the proxy comparing rows
through ``data()`` (hundreds of thousands of calls for 10,000 rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QIcon

from ctrial_desktop.services.patients import STATUSES, PatientRow
from ctrial_desktop.ui.icons import icon

Index = QModelIndex | QPersistentModelIndex

#: Role returning the patient's database id.
PATIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMN_NUMBER, COLUMN_INITIALS, COLUMN_SITE, COLUMN_STATUS, COLUMN_ARM = range(5)
COLUMN_COUNT = 5


def status_label(status: str) -> str:
    """The patient status in words, in the user's language."""
    labels = {
        "screening": QCoreApplication.translate("PatientStatus", "Screening"),
        "screen_failed": QCoreApplication.translate("PatientStatus", "Screen failure"),
        "randomized": QCoreApplication.translate("PatientStatus", "Randomized"),
        "on_treatment": QCoreApplication.translate("PatientStatus", "On treatment"),
        "off_treatment": QCoreApplication.translate("PatientStatus", "Off treatment"),
        "follow_up": QCoreApplication.translate("PatientStatus", "Follow-up"),
        "dead": QCoreApplication.translate("PatientStatus", "Deceased"),
    }
    return labels.get(status, status.replace("_", " "))


def status_icon_name(status: str) -> str:
    """Name of the icon of a patient status (see :mod:`ctrial_desktop.ui.icons`)."""
    return "status-" + status.replace("_", "-") if status in STATUSES else "patient"


def search_key(row: PatientRow) -> str:
    """What the search box matches: number with and without dash, and initials, lowercase."""
    number = row.patient_number.lower()
    initials = row.initials.lower()
    return "\x1f".join((number, number.replace("-", ""), initials, initials.replace("-", "")))


def number_key(patient_number: str) -> tuple[int | str, ...]:
    """Sort key putting ``01-169`` before ``01-1011`` (numeric parts compared as numbers)."""
    return tuple(int(part) if part.isdigit() else part for part in patient_number.split("-"))


def normalize_search(text: str) -> str:
    """The typed search text as compared with :func:`search_key` (case, dots and spaces)."""
    return text.strip().lower().replace(".", "").replace(" ", "")


class PatientTableModel(QAbstractTableModel):
    """Table of patients (number, initials, site, status, arm) over a list of PatientRow.

    Signals: only the standard ones of :class:`QAbstractTableModel`.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PatientRow] = []
        self._display: list[tuple[str, ...]] = []
        self.search_keys: list[str] = []
        self.site_codes: list[str] = []
        self.statuses: list[str] = []
        self._number_ranks: list[int] = []
        self._status_icons: dict[str, QIcon] = {}
        self._status_tips: dict[str, str] = {}
        self._headers = (
            self.tr("Patient"),
            self.tr("Initials"),
            self.tr("Site"),
            self.tr("Status"),
            self.tr("Arm"),
        )

    def set_rows(self, rows: Sequence[PatientRow]) -> None:
        """Replace the whole list (one model reset)."""
        self.beginResetModel()
        self._rows = list(rows)
        for status in {r.status for r in self._rows} - self._status_icons.keys():
            self._status_icons[status] = icon(status_icon_name(status))
            self._status_tips[status] = status_label(status)
        self._build_caches()
        self.endResetModel()

    def _build_caches(self) -> None:
        labels = self._status_tips
        self._display = [
            (r.patient_number, r.initials, r.site_code, labels[r.status], r.arm or "")
            for r in self._rows
        ]
        self.search_keys = [search_key(r) for r in self._rows]
        self.site_codes = [r.site_code for r in self._rows]
        self.statuses = [r.status for r in self._rows]
        by_number = sorted(range(len(self._rows)),
                           key=lambda i: number_key(self._rows[i].patient_number))
        self._number_ranks = [0] * len(by_number)
        for rank, row in enumerate(by_number):
            self._number_ranks[row] = rank

    def row_at(self, row: int) -> PatientRow:
        """The patient shown in source row ``row``."""
        return self._rows[row]

    def rows(self) -> tuple[PatientRow, ...]:
        return tuple(self._rows)

    def row_of(self, patient_id: int) -> int:
        """Source row of the patient with ``patient_id``, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.id == patient_id), -1)

    # ----------------------------------------------------------------- overrides

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display[index.row()][index.column()]
        column = index.column()
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COLUMN_STATUS:
                return self._status_icons[self._rows[index.row()].status]
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            row = self._rows[index.row()]
            if column == COLUMN_STATUS and row.screen_fail_reason:
                return self.tr("{status}: {reason}").format(
                    status=self._status_tips[row.status], reason=row.screen_fail_reason
                )
            return self._display[index.row()][column] or None
        if role == PATIENT_ID_ROLE:
            return self._rows[index.row()].id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by ``column`` (number breaks ties), keeping the selection.

        Rows are first put in patient-number order (precomputed integer ranks), then
        stably sorted on the column's plain key, so no key is a tuple.
        """
        if not 0 <= column < COLUMN_COUNT or not self._rows:
            return
        rows = self._rows
        order_of = sorted(range(len(rows)), key=self._number_ranks.__getitem__)
        if column != COLUMN_NUMBER:
            status_rank = {s: i for i, s in enumerate(STATUSES)}
            primary: list[Any] = {
                COLUMN_INITIALS: lambda: [r.initials for r in rows],
                COLUMN_SITE: lambda: self.site_codes,
                COLUMN_STATUS: lambda: [status_rank.get(s, 99) for s in self.statuses],
                COLUMN_ARM: lambda: [r.arm or "" for r in rows],
            }[column]()
            order_of.sort(key=primary.__getitem__)
        if order == Qt.SortOrder.DescendingOrder:
            order_of.reverse()
        self.layoutAboutToBeChanged.emit()
        new_row = [0] * len(order_of)
        for new, old in enumerate(order_of):
            new_row[old] = new
        self._rows = [rows[i] for i in order_of]
        for name in ("_display", "search_keys", "site_codes", "statuses", "_number_ranks"):
            values = getattr(self, name)
            setattr(self, name, [values[i] for i in order_of])
        old_indexes = self.persistentIndexList()
        new_indexes = [self.index(new_row[i.row()], i.column()) for i in old_indexes]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()


class PatientFilterProxy(QSortFilterProxyModel):
    """Filters the patient model by search text, site and status.

    ``filterAcceptsRow`` compares precomputed strings of the source model: one
    substring test and two equality tests per row. Sorting is delegated to the
    source model (see the module docstring).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._needle = ""
        self._site: str | None = None
        self._status: str | None = None
        self._source: PatientTableModel | None = None

    def setSourceModel(self, model: PatientTableModel) -> None:  # type: ignore[override]
        self._source = model
        super().setSourceModel(model)

    @property
    def search_text(self) -> str:
        return self._needle

    def set_search_text(self, text: str) -> None:
        """Show patients whose number or initials contain ``text`` (case-insensitive)."""
        self._set_filter(normalize_search(text), self._site, self._status)

    def set_site(self, site_code: str | None) -> None:
        """Show only the patients of ``site_code`` (None: every site)."""
        self._set_filter(self._needle, site_code, self._status)

    def set_status(self, status: str | None) -> None:
        """Show only the patients with ``status`` (None: every status)."""
        self._set_filter(self._needle, self._site, status)

    def _set_filter(self, needle: str, site: str | None, status: str | None) -> None:
        if (needle, site, status) == (self._needle, self._site, self._status):
            return
        # Qt 6.10 replaced invalidateRowsFilter() by a begin/end pair.
        modern = hasattr(self, "endFilterChange")
        if modern:
            self.beginFilterChange()
        self._needle, self._site, self._status = needle, site, status
        if modern:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()

    def patient_id(self, proxy_row: int) -> int:
        """Database id of the patient shown in ``proxy_row``."""
        return int(self.data(self.index(proxy_row, 0), PATIENT_ID_ROLE))

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        source = self._source
        if source is None:
            return True
        if self._site is not None and source.site_codes[source_row] != self._site:
            return False
        if self._status is not None and source.statuses[source_row] != self._status:
            return False
        return self._needle in source.search_keys[source_row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._source is not None:
            self._source.sort(column, order)
