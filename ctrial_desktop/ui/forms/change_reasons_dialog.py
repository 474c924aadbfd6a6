"""Asks why saved values change: one reason per field, or one for all of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


@dataclass(frozen=True)
class ReasonRequest:
    """One value that needs a reason: its key, the field's name and the change."""

    key: object
    field: str
    old: str
    new: str


class ChangeReasonsDialog(QDialog):
    """Lists the changed fields with a reason box each and a reason for all.

    OK is enabled once every change has a reason (its own or the common one).
    Signals: those of :class:`QDialog`.
    """

    def __init__(self, title: str, explanation: str, requests: Sequence[ReasonRequest],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._requests = list(requests)
        self._boxes: list[QLineEdit] = []
        self.setWindowTitle(title)
        self._setup_ui(explanation)
        self._connect_signals()
        self._on_text_changed("")

    def _setup_ui(self, explanation: str) -> None:
        layout = QVBoxLayout(self)
        intro = QLabel(explanation, self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("<b>Field</b>"), self), 0, 0)
        grid.addWidget(QLabel(self.tr("<b>Change</b>"), self), 0, 1)
        grid.addWidget(QLabel(self.tr("<b>Reason</b>"), self), 0, 2)
        for row, request in enumerate(self._requests, start=1):
            grid.addWidget(QLabel(request.field, self), row, 0)
            change = self.tr("{old} → {new}").format(old=request.old or self.tr("(empty)"),
                                                     new=request.new or self.tr("(empty)"))
            grid.addWidget(QLabel(change, self), row, 1)
            box = QLineEdit(self)
            box.setObjectName(f"reason{row}")
            box.setMinimumWidth(box.fontMetrics().averageCharWidth() * 30)
            self._boxes.append(box)
            grid.addWidget(box, row, 2)
        layout.addLayout(grid)
        self.common_label = QLabel(self.tr("&Reason for all changes:"), self)
        self.common = QLineEdit(self)
        self.common.setObjectName("reasonForAll")
        self.common_label.setBuddy(self.common)
        layout.addWidget(self.common_label)
        layout.addWidget(self.common)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.common, self.buttons)
        if len(self._requests) == 1:
            self.common_label.hide()
            self.common.hide()
        if self._boxes:
            self._boxes[0].setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.common.textChanged.connect(self._on_text_changed)
        for box in self._boxes:
            box.textChanged.connect(self._on_text_changed)

    @Slot(str)
    def _on_text_changed(self, _text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(all(self._reason(i) for i in range(len(self._requests))))

    def _reason(self, index: int) -> str:
        return self._boxes[index].text().strip() or self.common.text().strip()

    def reasons(self) -> dict[object, str]:
        """The reason given for each key."""
        return {request.key: self._reason(i) for i, request in enumerate(self._requests)}


def ask_change_reasons(parent: QWidget | None, title: str, explanation: str,
                       requests: Sequence[ReasonRequest]) -> dict[object, str] | None:
    """Ask in a modal dialog; the reasons by key, or None when the user cancels."""
    dialog = ChangeReasonsDialog(title, explanation, requests, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.reasons()
        return None
    finally:
        dialog.deleteLater()
