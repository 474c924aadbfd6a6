"""What every dialog that runs one long job at a time shares: a progress bar, a Cancel
button and a start button that follow the job (see :mod:`ctrial_desktop.ui.workers`).

A dialog mixes :class:`JobDialogMixin` in before ``QDialog``, owns ``progress``,
``cancel_button`` and ``start_button`` widgets, implements ``_on_finished`` and
``_on_failed``, and calls :meth:`_start_job`; closing the dialog cancels the job.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QProgressBar, QPushButton

from ctrial_desktop.ui.workers import Job, WorkerHandle, run_in_worker


class JobDialogMixin:
    """Runs one job at a time and keeps the progress bar and buttons in step with it."""

    progress: QProgressBar
    cancel_button: QPushButton
    start_button: QPushButton
    _handle: WorkerHandle | None = None

    @property
    def running(self) -> bool:
        return self._handle is not None

    def _start_job(self, job: Job, total: int = 0) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._handle = run_in_worker(job, on_finished=self._on_finished,
                                     on_failed=self._on_failed, on_progress=self._on_progress)

    def _on_finished(self, result: Any) -> None:  # pragma: no cover - each dialog's own
        raise NotImplementedError

    def _on_failed(self, error: Any) -> None:  # pragma: no cover - each dialog's own
        raise NotImplementedError

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(done)

    def _on_cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self.cancel_button.setEnabled(False)

    def _finish(self) -> None:
        self._handle = None
        self.progress.setVisible(False)
        self.cancel_button.setEnabled(False)
        self.start_button.setEnabled(True)

    def _cancel_job(self) -> None:
        """The dialog closes: a running job stops (what it finishes is ignored)."""
        if self._handle is not None:
            self._handle.cancel()
