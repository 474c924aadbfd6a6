"""Casebooks of all patients: one PDF per patient into a folder, in a worker."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QLocale, QUrl, Slot
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
from ctrial_desktop.reports.casebook_set import (
    CasebookSetResult,
    casebook_file_name,
    write_casebooks,
)
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.patients import PatientRow
from ctrial_desktop.ui.i18n import tr_message
from ctrial_desktop.ui.job_dialog import JobDialogMixin
from ctrial_desktop.ui.session import UiSession
from ctrial_desktop.ui.workers import JobCancelled


class CasebooksDialog(JobDialogMixin, QDialog):
    """Choose a folder (and a site), then write every patient's casebook into it.

    Progress reads "Patient 12 of 84"; Cancel stops after removing the casebook being
    written, so the folder holds complete files only. The summary at the end names
    the folder and offers to open it.
    """

    def __init__(self, session: UiSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._outcome: list[CasebookSetResult] = []
        self.result_set: CasebookSetResult | None = None
        self._language = "fr" if QLocale().language() == QLocale.Language.French else "en"
        try:
            self._patients = session.patients.list_patients()
        except ServiceError:
            self._patients = []
        self._setup_ui()
        self._connect_signals()
        self._update_count()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("Casebooks of all patients"))
        self.resize(620, 320)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        self.folder_edit = QLineEdit(str(data_dir() / "reports" / f"casebooks-{stamp}"), self)
        self.browse_button = QPushButton(self.tr("&Browse…"), self)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        self.folder_message = QLabel(self)
        self.folder_message.setWordWrap(True)
        self.folder_message.setStyleSheet("color: #b00020;")
        self.folder_message.hide()
        self.site_combo = QComboBox(self)
        self.site_combo.addItem(self.tr("All sites"), None)
        for code in sorted({p.site_code for p in self._patients}):
            self.site_combo.addItem(code, code)
        self.language_combo = QComboBox(self)
        self.language_combo.addItem("English", "en")
        self.language_combo.addItem("Français", "fr")
        self.language_combo.setCurrentIndex(1 if self._language == "fr" else 0)
        self.page_combo = QComboBox(self)
        self.page_combo.addItems(["A4", "Letter"])
        self.replace_check = QCheckBox(self.tr("Replace casebooks already in the folder"), self)
        form = QFormLayout()
        folder_label = QLabel(self.tr("&Folder:"), self)
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, folder_row)
        form.addRow("", self.folder_message)
        form.addRow(self.tr("&Site:"), self.site_combo)
        form.addRow(self.tr("&Language:"), self.language_combo)
        form.addRow(self.tr("Pa&per:"), self.page_combo)
        form.addRow("", self.replace_check)
        self.count_label = QLabel(self)
        self.generate_button = QPushButton(self.tr("&Write casebooks"), self)
        self.start_button = self.generate_button
        self.generate_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setEnabled(False)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.count_label, 1)
        buttons_row.addWidget(self.generate_button)
        buttons_row.addWidget(self.cancel_button)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.progress_label = QLabel(self)
        self.summary_label = QLabel(self)
        self.summary_label.setWordWrap(True)
        self.open_folder_button = QPushButton(self.tr("&Open folder"), self)
        self.open_folder_button.setVisible(False)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary_label, 1)
        summary_row.addWidget(self.open_folder_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addLayout(summary_row)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.browse_button.clicked.connect(self._on_browse)
        self.site_combo.currentIndexChanged.connect(self._update_count)
        self.generate_button.clicked.connect(self._on_generate)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.open_folder_button.clicked.connect(self._on_open_folder)
        self.buttons.rejected.connect(self.reject)

    def patients(self) -> list[PatientRow]:
        """The patients whose casebooks the run writes (of the chosen site)."""
        site = self.site_combo.currentData()
        return [p for p in self._patients if site is None or p.site_code == site]

    @Slot()
    def _update_count(self) -> None:
        count = len(self.patients())
        self.count_label.setText(self.tr("Patients: {count}").format(count=count))
        self.generate_button.setEnabled(count > 0 and not self.running)

    @Slot()
    def _on_browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the casebooks"),
                                                  self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _folder_problem(self, folder: Path) -> str | None:
        if not self.folder_edit.text().strip():
            return self.tr("Choose the folder for the casebooks.")
        if folder.exists() and not folder.is_dir():
            return self.tr("This is a file, not a folder.")
        if not folder.exists() and not folder.parent.is_dir():
            return self.tr("The folder above it does not exist: {folder}").format(
                folder=str(folder.parent))
        existing = [p for p in self.patients()
                    if (folder / casebook_file_name(p.patient_number)).exists()]
        if existing and not self.replace_check.isChecked():
            return self.tr("The folder already holds casebooks ({file}); choose another "
                           "folder or tick \"Replace\".").format(
                file=casebook_file_name(existing[0].patient_number))
        return None

    @Slot()
    def _on_generate(self) -> None:
        folder = Path(self.folder_edit.text().strip()).expanduser()
        problem = self._folder_problem(folder)
        if problem is not None:
            self.folder_message.setText(problem)
            self.folder_message.show()
            self.folder_edit.setFocus()
            return
        self.folder_message.hide()
        session = self._session
        patients = self.patients()
        study, db, actor = session.study, session.db, session.actor
        printed_by = actor.full_name or actor.username
        language = self.language_combo.currentData()
        page_size = self.page_combo.currentText()

        # A cancelled job is reported as failed: what it wrote is kept here for the summary.
        outcome: list[CasebookSetResult] = []
        self._outcome = outcome

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            outcome.append(write_casebooks(
                study, db, actor, patients, folder, printed_by=printed_by, language=language,
                page_size=page_size, progress=progress, cancelled=cancelled))
            return outcome[-1]

        self.result_set = None
        self.summary_label.clear()
        self.open_folder_button.setVisible(False)
        self.folder_edit.setEnabled(False)
        self._start_job(job, len(patients))
        self._on_progress(0, len(patients))

    def _on_progress(self, done: int, total: int) -> None:
        super()._on_progress(done, max(total, 1))
        current = min(done + 1, total)
        self.progress_label.setText(self.tr("Patient {current} of {total}").format(
            current=current, total=total))

    def _on_cancel(self) -> None:
        if self.running:
            super()._on_cancel()
            self.progress_label.setText(self.tr("Cancelling…"))

    def _finish(self) -> None:
        super()._finish()
        self.progress_label.clear()
        self.folder_edit.setEnabled(True)
        self._update_count()

    def _on_finished(self, result: object) -> None:
        self._finish()
        assert isinstance(result, CasebookSetResult)
        self.result_set = result
        pages = sum(f.pages for f in result.files)
        if result.cancelled:
            text = self.tr("Cancelled after {done} of {total} casebooks; the folder holds "
                           "complete files only: {folder}")
        else:
            text = self.tr("{done} casebooks ({pages} pages) written to {folder}")
        self.summary_label.setText(text.format(done=len(result.files), total=result.total,
                                               pages=pages, folder=str(result.folder)))
        self.open_folder_button.setVisible(True)

    def _on_failed(self, error: object) -> None:
        if isinstance(error, JobCancelled) and self._outcome:
            self._on_finished(self._outcome[-1])
            return
        self._finish()
        if isinstance(error, JobCancelled):
            self.summary_label.setText(self.tr("Cancelled."))
        elif isinstance(error, ServiceError):
            self.summary_label.setText(tr_message(error))
        else:
            self.summary_label.setText(self.tr("The casebooks could not be written: {error}. "
                                               "The details are in the log file.").format(
                error=error))

    @Slot()
    def _on_open_folder(self) -> None:
        if self.result_set is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_set.folder)))

    def done(self, result: int) -> None:
        self._cancel_job()
        super().done(result)
