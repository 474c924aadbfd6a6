"""The apology shown after a programming error (the hook that shows it: :mod:`.exception_hook`).

The hook logs the traceback to the log file, then shows a short apology naming the
log file. The application keeps running: data already saved are in the database,
and windows are not closed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.ui.exception_hook import ExceptionHook

__all__ = ["ErrorDialog", "ExceptionHook", "show_apology"]


class ErrorDialog(QDialog):
    """A short apology: something went wrong, nothing saved is lost, see the log file.

    Signals: none besides those of :class:`QDialog`.
    """

    def __init__(self, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._log_path = log_path
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.path_label = QLabel(str(self._log_path) if self._log_path else "")
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.copy_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        text = QVBoxLayout()
        text.addWidget(self.message_label)
        text.addWidget(self.path_label)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Unexpected error"))
        if self._log_path is not None:
            self.message_label.setText(self.tr(
                "Sorry, something went wrong inside the application. Nothing you saved is "
                "lost and you can carry on working. The details were written to the log "
                "file below; please send it to your data manager."))
        else:
            self.message_label.setText(self.tr(
                "Sorry, something went wrong inside the application. Nothing you saved is "
                "lost and you can carry on working."))
        self.copy_button.setText(self.tr("&Copy log path"))
        self.copy_button.setVisible(self._log_path is not None)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.copy_button.clicked.connect(self._on_copy)

    @Slot()
    def _on_copy(self) -> None:
        QGuiApplication.clipboard().setText(str(self._log_path or ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)


def show_apology(log_path: Path | None) -> None:
    """Show the apology (modal); tests replace this function."""
    parent = QApplication.activeWindow()
    dialog = ErrorDialog(log_path, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.exec()
