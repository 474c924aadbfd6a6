"""The history of one field: who changed it, when, from what to what, and why."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def _local(when: datetime | None) -> str:
    if when is None:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%d/%m/%Y %H:%M")


class HistoryDialog(QDialog):
    """A read-only table of a field's audit entries, oldest first (local times).

    ``entries`` are the service's history entries (``who``, ``when``, ``old``,
    ``new``, ``reason``). Signals: those of :class:`QDialog`.
    """

    def __init__(self, field_name: str, entries: Sequence[object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of {field}").format(field=field_name))
        self._setup_ui(field_name, entries)

    def _setup_ui(self, field_name: str, entries: Sequence[object]) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("History of {field}").format(field=field_name), self)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.table = QTableWidget(len(entries), 5, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("When"), self.tr("Who"), self.tr("Old value"), self.tr("New value"),
            self.tr("Reason")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, entry in enumerate(entries):
            cells = (_local(getattr(entry, "when", None)), str(getattr(entry, "who", "")),
                     str(getattr(entry, "old", None) or ""),
                     str(getattr(entry, "new", None) or ""),
                     str(getattr(entry, "reason", None) or ""))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if not entries:
            layout.addWidget(QLabel(self.tr("No change recorded yet."), self))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 320)
