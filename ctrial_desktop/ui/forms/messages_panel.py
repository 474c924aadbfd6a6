"""The list of every problem of the open form, one click from the save bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

KEY_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class ProblemEntry:
    """One line of the list: where (a value key or None for the whole form) and what."""

    key: object
    severity: str
    where: str
    text: str
    confirmable: bool = False


class MessagesPanel(QWidget):
    """Errors and warnings of the form; Enter or double-click goes to the field.

    Signals: ``field_activated(key)`` to move to a field; ``confirm_requested(key)``
    to confirm the selected soft warning.
    """

    field_activated = Signal(object)
    confirm_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[ProblemEntry] = []
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self.tr("No problems"), self)
        self.list = QListWidget(self)
        self.list.setObjectName("formProblems")
        self.list.setMaximumHeight(self.list.fontMetrics().lineSpacing() * 8)
        buttons = QHBoxLayout()
        self.go_button = QPushButton(self.tr("&Go to field"), self)
        self.confirm_button = QPushButton(self.tr("&Confirm value…"), self)
        for button in (self.go_button, self.confirm_button):
            button.setAutoDefault(False)
            button.setEnabled(False)
            buttons.addWidget(button)
        buttons.addStretch()
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.list.itemActivated.connect(self._on_item_activated)
        self.list.currentRowChanged.connect(self._on_current_row_changed)
        self.go_button.clicked.connect(self._on_go_clicked)
        self.confirm_button.clicked.connect(self._on_confirm_clicked)

    @Slot(QListWidgetItem)
    def _on_item_activated(self, item: QListWidgetItem) -> None:
        entry = self._entries[self.list.row(item)]
        if entry.key is not None:
            self.field_activated.emit(entry.key)

    @Slot(int)
    def _on_current_row_changed(self, row: int) -> None:
        entry = self._entries[row] if 0 <= row < len(self._entries) else None
        self.go_button.setEnabled(entry is not None and entry.key is not None)
        self.confirm_button.setEnabled(entry is not None and entry.confirmable)

    @Slot()
    def _on_go_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self._on_item_activated(item)

    @Slot()
    def _on_confirm_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._entries) and self._entries[row].confirmable:
            self.confirm_requested.emit(self._entries[row].key)

    def set_entries(self, entries: Sequence[ProblemEntry]) -> None:
        """Replace the list: errors first, then warnings, in form order."""
        self._entries = sorted(entries, key=lambda e: e.severity != "error")
        self.list.clear()
        style = self.style()
        errors = sum(1 for e in self._entries if e.severity == "error")
        warnings = len(self._entries) - errors
        for entry in self._entries:
            if entry.severity == "error":
                icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
                text = self.tr("Error: {where}: {text}")
            else:
                icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                text = self.tr("Warning: {where}: {text}")
            self.list.addItem(QListWidgetItem(icon, text.format(where=entry.where,
                                                                text=entry.text)))
        self.heading.setText(
            self.tr("Errors: {errors}, warnings: {warnings}").format(errors=errors,
                                                                     warnings=warnings)
            if self._entries else self.tr("No problems"))
        self._on_current_row_changed(self.list.currentRow())

    def entries(self) -> list[ProblemEntry]:
        return list(self._entries)
