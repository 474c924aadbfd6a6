"""The apology shown after a programming error, and the exception hook that shows it.

The hook logs the traceback to the log file, then shows a short apology naming the
log file. The application keeps running: data already saved are in the database,
and windows are not closed.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

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

from ctrial_desktop.logging_setup import current_log_file, log_exception

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


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


class ExceptionHook:
    """Replaces :data:`sys.excepthook`: log the traceback, then apologise once at a time."""

    def __init__(self) -> None:
        self._previous: ExceptHook | None = None
        self._showing = False

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self and self._previous is not None:
            sys.excepthook = self._previous
        self._previous = None

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log_exception(exc_type, exc, tb)
        if self._showing or QApplication.instance() is None:
            return  # an error inside the apology itself: logged, not shown again
        self._showing = True
        try:
            show_apology(current_log_file())
        except Exception:  # the apology must never raise out of the hook
            log.exception("cannot show the error dialog")
        finally:
            self._showing = False
