"""File > Import site transfer: merge a site's transfer file into this (central) database.

The same import as ``ctrial import odm FILE.xml``, in a worker with progress and Cancel (a
cancelled import changes nothing: it runs in one transaction). The outcome is shown in the
dialog: what was merged, or that the file was already imported, and the conflicts (patient,
place, item, central value, site value), which were not applied.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ctrial_desktop.exchange.transfer import ImportSummary, import_transfer
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.ui.field_messages import error_label, set_error
from ctrial_desktop.ui.i18n import tr_after_colon
from ctrial_desktop.ui.job_dialog import JobDialogMixin
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.workers import JobCancelled


class ImportDialog(JobDialogMixin, QDialog):
    """Pick a transfer file, import it off the GUI thread, show the summary and conflicts."""

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Import site transfer"))
        self.setMinimumWidth(640)
        intro = QLabel(self.tr("Merge a site's transfer file (written at the site with "
                               "'ctrial export transfer') into this database. Values changed "
                               "here and differently at the site are listed as conflicts and "
                               "not applied."))
        intro.setWordWrap(True)
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(self.tr("Transfer file (.xml)"))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.clicked.connect(self._browse)
        self.file_error = error_label()
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.conflicts = QTableWidget(0, 5)
        self.conflicts.setHorizontalHeaderLabels([
            self.tr("Patient"), self.tr("Place"), self.tr("Item"), self.tr("Central value"),
            self.tr("Site value")])
        header = self.conflicts.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.conflicts.verticalHeader().setVisible(False)
        self.conflicts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.conflicts.setVisible(False)
        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton(self.tr("Import"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(self.tr("Cancel import"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.setEnabled(False)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.start_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.file_error)
        layout.addWidget(self.progress)
        layout.addWidget(self.result_label)
        layout.addWidget(self.conflicts, 1)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Site transfer file"), self.file_edit.text(),
            self.tr("Transfer files (*.xml)"))
        if name:
            self.file_edit.setText(name)

    def _start(self) -> None:
        text = self.file_edit.text().strip()
        path = Path(text)
        if not text or not path.is_file():
            set_error(self.file_error, self.tr("Choose an existing transfer file."))
            return
        set_error(self.file_error, None)
        self.result_label.clear()
        self.conflicts.setVisible(False)
        db, actor = self.session.db, self.session.actor

        def job(progress: Callable[[int, int], None],
                cancelled: Callable[[], bool]) -> ImportSummary:
            def report(done: int, total: int) -> None:
                if cancelled():
                    raise JobCancelled()
                progress(done, total)

            return import_transfer(db, actor, path, progress=report)

        self._start_job(job)

    def _on_finished(self, result: Any) -> None:
        self._finish()
        summary: ImportSummary = result
        if summary.skipped:
            self.result_label.setText(self.tr("Already imported: nothing changed."))
            return
        self.result_label.setText(self.tr(
            "Site {site}: {pn} new and {pu} changed patients, {fn} new and {fu} changed forms, "
            "{vn} new and {vu} changed values, {a} site audit records received. "
            "Conflicts (not applied): {c}.").format(
                site=summary.site, pn=summary.patients_new, pu=summary.patients_updated,
                fn=summary.forms_new, fu=summary.forms_updated, vn=summary.values_new,
                vu=summary.values_updated, a=summary.audit_records, c=len(summary.conflicts)))
        self.conflicts.setRowCount(len(summary.conflicts))
        for row, conflict in enumerate(summary.conflicts):
            for column, text in enumerate((conflict.patient, conflict.location, conflict.item,
                                           conflict.central_value or "",
                                           conflict.site_value or "")):
                self.conflicts.setItem(row, column, QTableWidgetItem(text))
        self.conflicts.setVisible(bool(summary.conflicts))

    def _on_failed(self, error: Any) -> None:
        self._finish()
        if isinstance(error, JobCancelled):
            self.result_label.setText(self.tr("Import cancelled: nothing changed."))
        elif isinstance(error, ServiceError):
            self.result_label.setText(self.tr("Import refused: {reason}").format(
                reason=tr_after_colon(error)))
        else:
            self.result_label.setText(self.tr("Import failed: {reason}").format(
                reason=tr_after_colon(error)))

    def reject(self) -> None:
        self._cancel_job()
        super().reject()
