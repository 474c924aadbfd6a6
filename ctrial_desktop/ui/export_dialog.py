"""File > Export data: CDISC ODM, CSV for statisticians or the audit trail, in a worker.

The same exports as ``ctrial export odm|csv|audit``: the user picks what, for which site
and where; the file is written off the GUI thread with progress and Cancel (a cancelled
export leaves no file: every export writes a temporary file and renames it at the end).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.paths import data_dir
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.export import ExportService
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.job_dialog import JobDialogMixin
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.workers import JobCancelled

# Export kinds: code -> file suffix.
KINDS: dict[str, str] = {"odm": ".xml", "csv": ".zip", "audit": ".csv"}


def _cancellable(progress: Callable[[int, int], None],
                 cancelled: Callable[[], bool]) -> Callable[[int, int], None]:
    """A progress callback that stops the export (raising) once the user cancelled."""

    def report(done: int, total: int) -> None:
        if cancelled():
            raise JobCancelled()
        progress(done, total)

    return report


def run_export(session: UiSession, kind: str, out: Path, site: str | None, *,
               layout: str = "long", metadata_only: bool = False,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> dict[str, int]:
    """Write one export (any thread); its counts for the summary shown to the user."""
    db, actor, study = session.db, session.actor, session.study
    report = _cancellable(progress or (lambda _d, _t: None), cancelled or (lambda: False))
    if kind == "odm":
        from ctrial_desktop.exchange.odm import export_odm

        odm = export_odm(db, actor, study, out, site=site, metadata_only=metadata_only,
                         progress=report)
        return {"subjects": odm.subjects, "values": odm.item_data,
                "audit": odm.audit_records, "signatures": odm.signatures}
    if kind == "csv":
        from ctrial_desktop.exchange.csv_export import export_csv

        csv = export_csv(db, actor, study, out, site=site, layout=layout, progress=report)
        return {"patients": csv.patients, "forms": csv.forms, "values": csv.values}
    if kind == "audit":
        from ctrial_desktop.exchange.audit_csv import export_audit_csv

        audit = export_audit_csv(db, actor, study, out, site=site, progress=report)
        return {"audit": audit.records}
    raise ValueError(f"unknown export {kind!r}")


class ExportDialog(JobDialogMixin, QDialog):
    """Choose an export, its site and file, and write it with progress and Cancel."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._written: Path | None = None
        self._running_kind = ""
        try:
            self._sites = ExportService(session.db, session.actor).sites()
        except ServiceError:
            self._sites = []
        self._setup_ui()
        self._connect_signals()
        self.retranslateUi()
        self._on_kind_changed()

    def _setup_ui(self) -> None:
        self.kind_combo = QComboBox(self)
        for code in KINDS:
            self.kind_combo.addItem("", code)
        self.site_combo = QComboBox(self)
        self.site_combo.addItem("", None)
        for code in self._sites:
            self.site_combo.addItem(code, code)
        self.layout_combo = QComboBox(self)
        self.layout_combo.addItem("", "long")
        self.layout_combo.addItem("", "wide")
        self.metadata_check = QCheckBox(self)
        self.file_edit = QLineEdit(self)
        self.browse_button = QPushButton(self)
        self.browse_button.setAutoDefault(False)  # Enter means Export, never "browse"
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.browse_button)
        self.kind_label, self.site_label = QLabel(self), QLabel(self)
        self.layout_label, self.file_label = QLabel(self), QLabel(self)
        for label, buddy in ((self.kind_label, self.kind_combo), (self.site_label, self.site_combo),
                             (self.layout_label, self.layout_combo),
                             (self.file_label, self.file_edit)):
            label.setBuddy(buddy)
        form = QFormLayout()
        form.addRow(self.kind_label, self.kind_combo)
        form.addRow(self.site_label, self.site_combo)
        form.addRow(self.layout_label, self.layout_combo)
        form.addRow("", self.metadata_check)
        form.addRow(self.file_label, file_row)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.error = error_label(self)
        self.export_button = QPushButton(self)
        self.export_button.setDefault(True)
        self.start_button = self.export_button
        self.cancel_button = QPushButton(self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setEnabled(False)
        self.open_folder_button = QPushButton(self)
        self.open_folder_button.setAutoDefault(False)
        self.open_folder_button.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.description)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Export data"))
        names = {"odm": self.tr("CDISC ODM 1.3.2 (XML)"),
                 "csv": self.tr("CSV for statisticians (zip)"),
                 "audit": self.tr("Audit trail (CSV)")}
        for index in range(self.kind_combo.count()):
            self.kind_combo.setItemText(index, names[self.kind_combo.itemData(index)])
        self.site_combo.setItemText(0, self.tr("All my sites"))
        self.layout_combo.setItemText(0, self.tr("Long: one row per value"))
        self.layout_combo.setItemText(1, self.tr("Wide: one row per form"))
        self.metadata_check.setText(self.tr("&Metadata only (no patient data)"))
        self.kind_label.setText(self.tr("&Export:"))
        self.site_label.setText(self.tr("&Site:"))
        self.layout_label.setText(self.tr("&Layout:"))
        self.file_label.setText(self.tr("&File:"))
        self.browse_button.setText(self.tr("&Browse…"))
        self.export_button.setText(self.tr("E&xport"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.open_folder_button.setText(self.tr("&Open folder"))
        self._describe()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.site_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.metadata_check.toggled.connect(self._on_kind_changed)
        self.browse_button.clicked.connect(self._on_browse)
        self.export_button.clicked.connect(self._on_export)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.open_folder_button.clicked.connect(self._on_open_folder)
        self.buttons.rejected.connect(self.reject)

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _describe(self) -> None:
        texts = {
            "odm": self.tr("The site's complete, independent copy: study metadata, users, sites, "
                           "every value with its audit trail and the signatures "
                           "(Archival=\"Yes\"). Validates against the ODM 1.3.2 schema."),
            "csv": self.tr("One CSV file per form, a data dictionary and derived datasets (best "
                           "response, progression and death, dose intensity, worst toxicity "
                           "grade), in one zip file."),
            "audit": self.tr("Every audit record with who, when, old and new value, reason, the "
                             "review flags and the chain hashes, for audit-trail review outside "
                             "the application."),
        }
        self.description.setText(texts.get(self.kind(), ""))

    def _default_file(self) -> Path:
        site = self.site_combo.currentData()
        stamp = dt.date.today().strftime("%Y%m%d")
        name = {"odm": "odm-metadata" if self.metadata_check.isChecked() else "odm",
                "csv": "csv", "audit": "audit-trail"}[self.kind()]
        folder = Path(self.file_edit.text()).parent if self.file_edit.text() else \
            data_dir() / "exports"
        suffix = f"-site{site}" if site else ""
        return folder / f"ifm2009-02-{name}{suffix}-{stamp}{KINDS[self.kind()]}"

    @Slot()
    def _on_kind_changed(self) -> None:
        kind = self.kind()
        self.layout_combo.setEnabled(kind == "csv")
        self.layout_label.setEnabled(kind == "csv")
        self.metadata_check.setEnabled(kind == "odm")
        self.file_edit.setText(str(self._default_file()))
        self._describe()
        if not self._sites:
            set_error(self.error, self.tr("Your role does not allow exporting data."))
            self.export_button.setEnabled(False)

    @Slot()
    def _on_browse(self) -> None:
        suffix = KINDS[self.kind()]
        path, _selected = QFileDialog.getSaveFileName(
            self, self.tr("Export to"), self.file_edit.text(),
            self.tr("Export file (*{suffix})").format(suffix=suffix))
        if path:
            self.file_edit.setText(path if path.endswith(suffix) else path + suffix)

    def _target(self) -> Path | None:
        text = self.file_edit.text().strip()
        if not text:
            set_error(self.error, self.tr("Choose the file to write."))
            return None
        path = Path(text)
        if path.is_dir():
            set_error(self.error, self.tr("{path} is a folder: give a file name.").format(
                path=path))
            return None
        return path

    @Slot()
    def _on_export(self) -> None:
        set_error(self.error, None)
        target = self._target()
        if target is None:
            return
        kind, site = self.kind(), self.site_combo.currentData()
        self._running_kind = kind
        options: dict[str, Any] = {"layout": self.layout_combo.currentData(),
                                   "metadata_only": self.metadata_check.isChecked()}
        session = self._session

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            return run_export(session, kind, target, site, progress=progress,
                              cancelled=cancelled, **options)

        self._written = target
        self.message.setText(self.tr("Writing {file}…").format(file=target.name))
        self.open_folder_button.setVisible(False)
        self._start_job(job)

    def _summary(self, counts: dict[str, int]) -> str:
        if self._running_kind == "odm":
            return self.tr("{subjects} patients, {values} values, {audit} audit records, "
                           "{signatures} signatures").format(**counts)
        if self._running_kind == "csv":
            return self.tr("{patients} patients, {forms} forms, {values} values").format(**counts)
        return self.tr("{audit} audit records").format(**counts)

    def _on_finished(self, counts: object) -> None:
        self._finish()
        assert self._written is not None and isinstance(counts, dict)
        self.message.setText(self.tr("Written: {file} ({summary}).").format(
            file=self._written, summary=self._summary(counts)))
        self.open_folder_button.setVisible(True)

    def _on_failed(self, error: object) -> None:
        self._finish()
        self.message.clear()
        if isinstance(error, JobCancelled):
            self.message.setText(self.tr("Cancelled: no file was written."))
        elif isinstance(error, ServiceError):
            set_error(self.error, tr_message(error))
        elif isinstance(error, OSError):
            set_error(self.error, self.tr("The file cannot be written: {reason}").format(
                reason=error.strerror or error))
        else:
            set_error(self.error, self.tr("The export failed: {error}. The details are in the "
                                          "log file.").format(error=error))

    @Slot()
    def _on_open_folder(self) -> None:
        if self._written is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._written.parent)))

    def done(self, result: int) -> None:
        self._cancel_job()
        super().done(result)
