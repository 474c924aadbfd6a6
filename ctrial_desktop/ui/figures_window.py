"""Reports > Trial figures: the trial summary's figures drawn in the application.

The summary is computed in a worker (progress and Cancel); the five figures (CONSORT,
swimmer, waterfall, Kaplan-Meier PFS and OS) are the report's own vector drawings, shown
as SVG scaled to the window with their aspect ratio, and saved as SVG or PDF or printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QLocale, QObject, QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFontDatabase, QKeyEvent, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)
from reportlab.graphics.shapes import Drawing

from ctrial_desktop.reports.figures import figure_pdf, figure_svg, trial_figures
from ctrial_desktop.reports.fonts import fonts_dir
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.services.trial_summary import TrialSummary, collect_trial_summary
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.job_dialog import JobDialogMixin
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.workers import JobCancelled

#: Width of the drawings in points: the text width of the A4 report, so the figures
#: keep the proportions and type sizes of the printed summary.
FIGURE_WIDTH = 481.0
_NEXT_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down)
_PREVIOUS_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up)


@dataclass(frozen=True)
class TrialFigure:
    """One figure as the window shows and saves it."""

    key: str
    drawing: Drawing
    svg: str


@cache
def _load_report_fonts() -> None:
    """The figures' font (DejaVu Sans) for Qt, so the SVG labels measure as in the PDF."""
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        QFontDatabase.addApplicationFont(str(fonts_dir() / name))


class TrialFiguresDialog(JobDialogMixin, QDialog):
    """The trial figures by arm, computed off the GUI thread, one shown at a time.

    Signals:
        figures_ready(int): the number of figures just computed.
    """

    figures_ready = Signal(int)

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._language = "fr" if QLocale().language() == QLocale.Language.French else "en"
        self._figures: list[TrialFigure] = []
        self.summary: TrialSummary | None = None
        self.allowed = session.actor.can(Action.EXPORT)
        _load_report_fonts()
        self._setup_ui()
        self._connect_signals()
        self._update_buttons()
        if not self.allowed:
            self.message.setText(self.tr(
                "The trial figures show every site's data by arm: they need the export "
                "permission (data managers). Your role does not have it."))
            self.site_combo.setEnabled(False)
            self.start_button.setEnabled(False)
        else:
            QTimer.singleShot(0, self._on_compute)

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Trial figures"))
        self.resize(1100, 720)
        self.site_combo = QComboBox(self)
        self.site_combo.addItem(self.tr("All sites"), None)
        try:
            patients = self._session.patients.list_patients() if self.allowed else []
        except ServiceError:
            patients = []
        for code in sorted({row.site_code for row in patients}):
            self.site_combo.addItem(code, code)
        self.figure_tabs = QTabBar(self)
        self.figure_tabs.setExpanding(False)
        self.figure_tabs.setDocumentMode(True)
        self.figure_tabs.installEventFilter(self)
        self.start_button = QPushButton(self.tr("&Update"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress.setMaximumWidth(200)
        self.message = QLabel(self)
        self.save_svg_button = QPushButton(self.tr("Save as S&VG…"), self)
        self.save_pdf_button = QPushButton(self.tr("Save as P&DF…"), self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setAutoDefault(False)
        site_label = QLabel(self.tr("&Site:"), self)
        site_label.setBuddy(self.site_combo)
        top = QHBoxLayout()
        for widget in (site_label, self.site_combo, self.start_button, self.cancel_button,
                       self.progress):
            top.addWidget(widget)
        top.addWidget(self.message, 1)
        # The figure has the whole width: the tabs above it, the actions below.
        self.view = QSvgWidget(self)
        self.view.setMinimumSize(320, 240)
        self.view.setStyleSheet("background: white;")
        self.view.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.installEventFilter(self)
        buttons = QHBoxLayout()
        for button in (self.save_svg_button, self.save_pdf_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.figure_tabs)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.site_combo.currentIndexChanged.connect(self._on_compute)
        self.start_button.clicked.connect(self._on_compute)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.figure_tabs.currentChanged.connect(self._on_figure_chosen)
        self.save_svg_button.clicked.connect(self._on_save_svg)
        self.save_pdf_button.clicked.connect(self._on_save_pdf)
        self.print_button.clicked.connect(self._on_print)
        self.close_button.clicked.connect(self.reject)

    # -- public ---------------------------------------------------------------------------
    def titles(self) -> list[str]:
        """The full titles of the figures, in tab order (the tabs show short names)."""
        titles = self._figure_titles()
        return [titles[figure.key] for figure in self._figures]

    def current_figure(self) -> TrialFigure | None:
        row = self.figure_tabs.currentIndex()
        return self._figures[row] if 0 <= row < len(self._figures) else None

    def step(self, offset: int) -> None:
        """Show the next (``offset`` 1) or previous (-1) figure, stopping at the ends."""
        count = self.figure_tabs.count()
        if count:
            row = max(0, min(count - 1, self.figure_tabs.currentIndex() + offset))
            self.figure_tabs.setCurrentIndex(row)

    def save_svg(self, target: Path) -> Path | None:
        figure = self.current_figure()
        if figure is None:
            return None
        return self._write(target.with_suffix(".svg"), figure.svg.encode("utf-8"))

    def save_pdf(self, target: Path) -> Path | None:
        figure = self.current_figure()
        if figure is None:
            return None
        title = self.titles()[self.figure_tabs.currentIndex()]
        return self._write(target.with_suffix(".pdf"), figure_pdf(figure.drawing, title))

    def print_to(self, printer: QPrinter) -> bool:
        """Draw the shown figure on ``printer``, as vectors, fitted to the page."""
        figure = self.current_figure()
        if figure is None:
            return False
        renderer = QSvgRenderer(QByteArray(figure.svg.encode("utf-8")))
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, self.tr("Print"), self.tr("The printer cannot be used."))
            return False
        try:
            page = QRectF(painter.viewport())
            size = renderer.defaultSize().toSizeF().scaled(page.size(),
                                                           Qt.AspectRatioMode.KeepAspectRatio)
            renderer.render(painter, QRectF(page.topLeft(), size))
        finally:
            painter.end()
        return True

    # -- slots ----------------------------------------------------------------------------
    @Slot()
    def _on_compute(self) -> None:
        if not self.allowed or self.running:
            return
        session, language = self._session, self._language
        site = self.site_combo.currentData()
        titles = self._figure_titles()

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            progress(0, 2)
            summary = collect_trial_summary(session.db, session.actor, session.study, site)
            if cancelled():
                raise JobCancelled()
            progress(1, 2)
            figures = [TrialFigure(key, drawing, figure_svg(drawing, titles[key]))
                       for key, drawing in trial_figures(summary, FIGURE_WIDTH, language)]
            progress(2, 2)
            return summary, figures

        self.site_combo.setEnabled(False)
        self.message.setText(self.tr("Computing the trial summary…"))
        self._start_job(job, 2)

    def _figure_titles(self) -> dict[str, str]:
        return {"consort": self.tr("CONSORT flow diagram"), "swimmer": self.tr("Swimmer plot"),
                "waterfall": self.tr("Waterfall plot"),
                "km_pfs": self.tr("Kaplan-Meier: progression-free survival"),
                "km_os": self.tr("Kaplan-Meier: overall survival")}

    def _tab_names(self) -> dict[str, str]:
        return {"consort": self.tr("CONSORT"), "swimmer": self.tr("Swimmer"),
                "waterfall": self.tr("Waterfall"), "km_pfs": self.tr("Kaplan-Meier PFS"),
                "km_os": self.tr("Kaplan-Meier OS")}

    def _on_finished(self, result: object) -> None:
        self._finish()
        self.site_combo.setEnabled(True)
        summary, figures = result  # type: ignore[misc]
        self.summary = summary
        row = max(self.figure_tabs.currentIndex(), 0)
        titles = self._figure_titles()
        self._figures = list(figures)
        self.figure_tabs.blockSignals(True)
        while self.figure_tabs.count():
            self.figure_tabs.removeTab(0)
        short = self._tab_names()
        for index, figure in enumerate(self._figures):
            self.figure_tabs.addTab(short[figure.key])
            self.figure_tabs.setTabToolTip(index, titles[figure.key])
        self.figure_tabs.setCurrentIndex(min(row, len(self._figures) - 1))
        self.figure_tabs.blockSignals(False)
        self._on_figure_chosen(self.figure_tabs.currentIndex())
        self.figure_tabs.setFocus()
        patients = sum(arm.n for arm in summary.arms)
        if patients:
            self.message.setText(self.tr("{patients} randomized patient(s); data as of {date}.")
                                 .format(patients=patients,
                                         date=summary.cutoff.strftime("%d/%m/%Y")))
        else:
            self.message.setText(self.tr("No randomized patient yet: the figures are empty."))
        self._update_buttons()
        self.figures_ready.emit(len(self._figures))

    def _on_failed(self, error: object) -> None:
        self._finish()
        self.site_combo.setEnabled(True)
        if self.summary is not None:  # the site of the figures still shown
            self.site_combo.blockSignals(True)
            self.site_combo.setCurrentIndex(max(self.site_combo.findData(
                self.summary.site_code), 0))
            self.site_combo.blockSignals(False)
        if isinstance(error, JobCancelled):
            self.message.setText(self.tr("Cancelled: the figures were not computed."))
        elif isinstance(error, ServiceError):
            self.message.setText(tr_message(error))
        else:
            self.message.setText(self.tr("The figures could not be computed: {error}. The "
                                         "details are in the log file.").format(error=error))

    @Slot(int)
    def _on_figure_chosen(self, row: int) -> None:
        figure = self.current_figure()
        self.view.load(QByteArray(figure.svg.encode("utf-8") if figure else b""))
        self.view.renderer().setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self._update_buttons()

    def _update_buttons(self) -> None:
        shown = self.current_figure() is not None
        for button in (self.save_svg_button, self.save_pdf_button, self.print_button):
            button.setEnabled(shown)

    @Slot()
    def _on_save_svg(self) -> None:
        target = self._ask_target(self.tr("SVG files (*.svg)"), ".svg")
        if target is not None:
            self.save_svg(target)

    @Slot()
    def _on_save_pdf(self) -> None:
        target = self._ask_target(self.tr("PDF files (*.pdf)"), ".pdf")
        if target is not None:
            self.save_pdf(target)

    def _ask_target(self, file_filter: str, suffix: str) -> Path | None:
        figure = self.current_figure()
        if figure is None:
            return None
        site = self.site_combo.currentData()
        name = f"{figure.key}-{site}{suffix}" if site else f"{figure.key}{suffix}"
        target, _ = QFileDialog.getSaveFileName(self, self.tr("Save the figure"), name,
                                                file_filter)
        return Path(target) if target else None

    def _write(self, target: Path, data: bytes) -> Path | None:
        try:
            target.write_bytes(data)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Save the figure"),
                                self.tr("The file could not be written: {error}").format(
                                    error=exc.strerror or tr_message(exc)))
            return None
        return target

    @Slot()
    def _on_print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    # -- overrides ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (*_NEXT_KEYS, *_PREVIOUS_KEYS)):
            self.step(1 if event.key() in _NEXT_KEYS else -1)
            return True
        return super().eventFilter(watched, event)

    def done(self, result: int) -> None:
        self._cancel_job()
        super().done(result)
