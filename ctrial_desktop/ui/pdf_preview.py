"""In-app preview of a generated PDF: zoom, page navigation, print and save."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QPointF, Qt, Slot
from PySide6.QtGui import QKeySequence, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.ui.i18n import tr_message


class PdfPreview(QWidget):
    """Shows one PDF file with zoom and page controls, and prints or saves it.

    Signals: none (it is a leaf widget).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path: Path | None = None
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.page_spin = QSpinBox(self)
        self.page_spin.setMinimum(1)
        self.page_count_label = QLabel(self)
        self.zoom_out_button = QPushButton(self.tr("Zoom out"), self)
        self.zoom_out_button.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.zoom_in_button = QPushButton(self.tr("Zoom in"), self)
        self.zoom_in_button.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.fit_button = QPushButton(self.tr("Fit width"), self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.save_button = QPushButton(self.tr("&Save as…"), self)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Page"), self))
        bar.addWidget(self.page_spin)
        bar.addWidget(self.page_count_label)
        bar.addStretch(1)
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button,
                       self.print_button, self.save_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._set_enabled(False)

    def _connect_signals(self) -> None:
        self.zoom_in_button.clicked.connect(lambda: self._zoom(1.25))
        self.zoom_out_button.clicked.connect(lambda: self._zoom(0.8))
        self.fit_button.clicked.connect(
            lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.page_spin.valueChanged.connect(self._on_page_chosen)
        self.view.pageNavigator().currentPageChanged.connect(self._on_page_changed)
        self.print_button.clicked.connect(self._on_print)
        self.save_button.clicked.connect(self._on_save)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.page_spin, self.zoom_in_button, self.zoom_out_button,
                       self.fit_button, self.print_button, self.save_button):
            widget.setEnabled(enabled)

    # -- public ---------------------------------------------------------------------------
    def load(self, path: Path) -> bool:
        """Show ``path``; False (with the widget left empty) when it cannot be read."""
        self.document.close()
        error = self.document.load(str(path))
        ok = error == QPdfDocument.Error.None_
        self._path = path if ok else None
        pages = self.document.pageCount() if ok else 0
        self.page_spin.setMaximum(max(pages, 1))
        self.page_count_label.setText(self.tr("of {pages}").format(pages=pages))
        self._set_enabled(ok and pages > 0)
        return ok

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    # -- slots ----------------------------------------------------------------------------
    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(4.0, self.view.zoomFactor() * factor)))

    @Slot(int)
    def _on_page_chosen(self, page: int) -> None:
        navigator = self.view.pageNavigator()
        if navigator.currentPage() != page - 1:
            navigator.jump(page - 1, QPointF(), navigator.currentZoom())

    @Slot(int)
    def _on_page_changed(self, page: int) -> None:
        self.page_spin.blockSignals(True)
        self.page_spin.setValue(page + 1)
        self.page_spin.blockSignals(False)

    @Slot()
    def _on_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Render every page onto ``printer``; returns the number of pages printed."""
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, self.tr("Print"), self.tr("The printer cannot be used."))
            return 0
        try:
            for index in range(self.document.pageCount()):
                if index:
                    printer.newPage()
                page = self.document.pagePointSize(index).toSize()
                target = page.scaled(painter.viewport().size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(0, 0, self.document.render(index, target))
        finally:
            painter.end()
        return self.document.pageCount()

    @Slot()
    def _on_save(self) -> None:
        if self._path is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save the report"),
                                                self._path.name, self.tr("PDF files (*.pdf)"))
        if target:
            self.save_to(Path(target))

    def save_to(self, target: Path) -> None:
        if self._path is None:
            return
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        try:
            shutil.copyfile(self._path, target)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Save the report"),
                                self.tr("The file could not be written: {error}").format(
                                    error=exc.strerror or tr_message(exc)))

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            step = 1 if event.key() == Qt.Key.Key_PageDown else -1
            self.page_spin.setValue(self.page_spin.value() + step)
            return
        super().keyPressEvent(event)
