"""Reports: choose a report, generate it in a worker with progress and cancel, preview it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.paths import data_dir
from ctrial_desktop.reports.base import ReportCancelled
from ctrial_desktop.reports.registry import REPORT_KINDS, ReportKind, ReportRequest, generate
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.job_dialog import JobDialogMixin
from ctrial_desktop.ui.pdf_preview import PdfPreview
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.workers import JobCancelled

#: Permission each report needs beyond being logged in.
_NEEDS = {
    "audit-review": Action.VIEW_AUDIT,
    "randomization-log": Action.VIEW_RANDOMIZATION_LOG,
    "trial-summary": Action.EXPORT,  # every site's data, by arm: the sponsor's view
}


def available_kinds(session: UiSession) -> list[ReportKind]:
    """The reports this user may produce."""
    actor = session.actor
    kinds = []
    for kind in REPORT_KINDS:
        needed = _NEEDS.get(kind.name, Action.REPORTS if kind.needs_login else None)
        if needed is None or actor.can(needed):
            kinds.append(kind)
    return kinds


class ReportDialog(JobDialogMixin, QDialog):
    """Generate one report off the GUI thread and show it in the preview.

    Signals:
        generated(str): path of the PDF just written.
    """

    generated = Signal(str)

    def __init__(self, session: UiSession, parent: QWidget | None = None, *,
                 kind: str | None = None, patient_id: int | None = None,
                 ae_number: int | None = None, generate_now: bool = False,
                 form_instance: tuple[str, int, str] | tuple[str, int, str, int] | None = None
                 ) -> None:
        super().__init__(parent)
        self._session = session
        self._form_instance = form_instance
        self._language = "fr" if QLocale().language() == QLocale.Language.French else "en"
        self._setup_ui()
        self._connect_signals()
        if kind is not None:
            index = self.kind_combo.findData(kind)
            if index >= 0:
                self.kind_combo.setCurrentIndex(index)
        if patient_id is not None:
            index = self.patient_combo.findData(patient_id)
            if index >= 0:
                self.patient_combo.setCurrentIndex(index)
        self._on_kind_changed()
        if ae_number is not None:
            index = self.event_combo.findData(ae_number)
            if index >= 0:
                self.event_combo.setCurrentIndex(index)
        if generate_now:
            QTimer.singleShot(0, self._on_generate)

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Reports"))
        self.resize(1000, 720)
        self.kind_combo = QComboBox(self)
        for kind in available_kinds(self._session):
            if kind.name == "form" and self._form_instance is None:
                continue  # a filled form is printed from the form itself
            self.kind_combo.addItem(kind.title(self._language), kind.name)
        self.patient_combo = QComboBox(self)
        self.event_combo = QComboBox(self)
        self.event_combo.setMinimumContentsLength(24)
        self.event_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.site_combo = QComboBox(self)
        self.site_combo.addItem(self.tr("All sites"), None)
        try:
            patients = self._session.patients.list_patients()
        except ServiceError:
            patients = []
        for row in patients:
            self.patient_combo.addItem(f"{row.patient_number}  {row.initials}", row.id)
        for code in sorted({row.site_code for row in patients}):
            self.site_combo.addItem(code, code)
        self.language_combo = QComboBox(self)
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("Français", "fr")
        self.language_combo.setCurrentIndex(1 if self._language == "fr" else 0)
        self.page_combo = QComboBox(self)
        self.page_combo.addItems(["A4", "Letter"])
        form = QFormLayout()
        form.addRow(self.tr("&Report:"), self.kind_combo)
        form.addRow(self.tr("&Patient:"), self.patient_combo)
        form.addRow(self.tr("Serious &event:"), self.event_combo)
        form.addRow(self.tr("&Site:"), self.site_combo)
        form.addRow(self.tr("&Language:"), self.language_combo)
        form.addRow(self.tr("Pa&per:"), self.page_combo)
        self.generate_button = QPushButton(self.tr("&Generate"), self)
        self.generate_button.setDefault(True)
        self.start_button = self.generate_button
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.generate_button)
        buttons_row.addWidget(self.cancel_button)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons_row)
        side.addWidget(self.progress)
        side.addWidget(self.message)
        side.addStretch(1)
        side_panel = QWidget(self)
        side_panel.setLayout(side)
        side_panel.setMaximumWidth(380)
        self.preview = PdfPreview(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        body = QHBoxLayout()
        body.addWidget(side_panel)
        body.addWidget(self.preview, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.patient_combo.currentIndexChanged.connect(self._fill_events)
        self.generate_button.clicked.connect(self._on_generate)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.buttons.rejected.connect(self.reject)

    def _kind(self) -> ReportKind | None:
        name = self.kind_combo.currentData()
        return next((k for k in REPORT_KINDS if k.name == name), None)

    @Slot()
    def _on_kind_changed(self) -> None:
        kind = self._kind()
        self.patient_combo.setEnabled(bool(kind and kind.needs_patient))
        self.site_combo.setEnabled(bool(kind and kind.needs_login and not kind.needs_patient))
        self.event_combo.setEnabled(bool(kind and kind.name == "sae"))
        self._fill_events()
        self.generate_button.setEnabled(kind is not None and not self.running)
        if kind is None:
            self.message.setText(self.tr("Your role has no report to print."))

    @Slot()
    def _fill_events(self) -> None:
        """The serious adverse events of the chosen patient (SAE report form only)."""
        self.event_combo.clear()
        kind = self._kind()
        patient_id = self.patient_combo.currentData()
        if kind is None or kind.name != "sae" or patient_id is None:
            return
        from ctrial_desktop.reports.sae import serious_events

        try:
            events = serious_events(self._session.db, self._session.actor,
                                    self._session.study, patient_id, self._study_language())
        except ServiceError as exc:
            self.message.setText(tr_message(exc))
            return
        for event in events:
            start = event.start.strftime("%d/%m/%Y") if event.start else ""
            grade = self.tr("grade {grade}").format(grade=event.grade) if event.grade else ""
            label = " · ".join(p for p in (f"#{event.number}", event.term, start, grade) if p)
            self.event_combo.addItem(label, event.number)
            self.event_combo.setItemData(self.event_combo.count() - 1, label,
                                         Qt.ItemDataRole.ToolTipRole)
        if not events:
            self.event_combo.addItem(self.tr("No serious adverse event recorded"), None)

    def _study_language(self) -> str:
        return str(self.language_combo.currentData() or "en")

    def request(self) -> ReportRequest:
        kind = self._kind()
        session = self._session
        return ReportRequest(
            study=session.study, printed_by=session.actor.full_name or session.actor.username,
            language=self.language_combo.currentData(), page_size=self.page_combo.currentText(),
            db=session.db, actor=session.actor,
            patient_id=self.patient_combo.currentData() if kind and kind.needs_patient else None,
            site_code=self.site_combo.currentData() if self.site_combo.isEnabled() else None,
            ae_number=self.event_combo.currentData() if self.event_combo.isEnabled() else None,
            **self._form_fields(kind))

    def _form_fields(self, kind: ReportKind | None) -> dict[str, object]:
        if kind is None or kind.name != "form" or self._form_instance is None:
            return {}
        event_oid, event_repeat, form_oid, *day = self._form_instance
        return {"event_oid": event_oid, "event_repeat": event_repeat, "form_oids": (form_oid,),
                "visit_day": day[0] if day else None}

    @Slot()
    def _on_generate(self) -> None:
        kind = self._kind()
        if kind is None:
            return
        if kind.needs_patient and self.patient_combo.currentData() is None:
            self.message.setText(self.tr("Choose a patient first."))
            return
        if kind.name == "sae" and self.event_combo.currentData() is None:
            self.message.setText(self.tr("This patient has no serious adverse event to report."))
            return
        folder = data_dir() / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"{kind.name}-{stamp}.pdf"
        request = self.request()

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            generate(kind.name, request, target, progress=progress, cancelled=cancelled)
            return str(target)

        self.message.setText(self.tr("Generating {title}…").format(
            title=kind.title(self._language)))
        self._start_job(job)

    def _on_finished(self, path: object) -> None:
        self._finish()
        if self.preview.load(Path(str(path))):
            self.message.setText(self.tr("{pages} page(s) ready: {file}").format(
                pages=self.preview.page_count, file=Path(str(path)).name))
            self.generated.emit(str(path))
        else:
            self.message.setText(self.tr("The report was written but cannot be shown: {file}")
                                 .format(file=str(path)))

    def _on_failed(self, error: object) -> None:
        self._finish()
        if isinstance(error, (JobCancelled, ReportCancelled)):
            self.message.setText(self.tr("Cancelled: no report was written."))
        elif isinstance(error, ServiceError):
            self.message.setText(tr_message(error))
        else:
            self.message.setText(self.tr("The report could not be produced: {error}. The details "
                                         "are in the log file.").format(error=error))

    def done(self, result: int) -> None:
        self._cancel_job()
        self.preview.document.close()
        super().done(result)
