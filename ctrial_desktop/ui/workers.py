"""The one approved way to run long work off the GUI thread.

``run_in_worker(job, ...)`` runs ``job(progress, cancelled)`` in the global
``QThreadPool``. The job is plain Python (it never touches widgets): it reports
progress by calling ``progress(done, total)`` and checks ``cancelled()`` between
steps, stopping early when it returns True. Success, failure and progress are
delivered back on the GUI thread through Qt signals.

A Qt-free generator that yields ``(done, total)`` pairs can be wrapped with
:func:`job_from_generator`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Job = Callable[[Progress, Cancelled], Any]


#: Handles of running jobs, kept alive until their outcome reached the GUI thread
#: (a queued signal whose sender was garbage-collected would never be delivered).
_RUNNING: set[WorkerHandle] = set()


def running_jobs() -> int:
    """How many jobs started with :func:`run_in_worker` have not yet reported back."""
    return len(_RUNNING)


class JobCancelled(Exception):
    """Raised by a job that stopped because the user cancelled it."""


class WorkerSignals(QObject):
    """Signals of one job, emitted from the worker thread, received on the GUI thread.

    Signals:
        progress(int, int): steps done and total (total 0 when unknown).
        finished(object): the job's return value.
        failed(object): the exception the job raised (``JobCancelled`` when cancelled).
    """

    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class WorkerHandle(QObject):
    """What the caller keeps: the job's signals and a way to cancel it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _Runnable(QRunnable):
    def __init__(self, job: Job, handle: WorkerHandle) -> None:
        super().__init__()
        self._job = job
        self._handle = handle
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        handle = self._handle

        def progress(done: int, total: int) -> None:
            _deliver(handle, "progress", done, total)

        try:
            result = self._job(progress, handle.is_cancelled)
            if handle.is_cancelled():
                raise JobCancelled()
        except Exception as exc:  # delivered to the caller, logged for the record
            if not isinstance(exc, JobCancelled):
                log.exception("background job failed")
            _deliver(handle, "failed", exc)
        else:
            _deliver(handle, "finished", result)
        finally:
            handle.done.set()


def _deliver(handle: WorkerHandle, signal_name: str, *args: object) -> None:
    """Emit a job's signal, unless its caller is gone: a window closed (a log out, an
    auto-lock) while its job ran deletes the handle, and nobody is left to tell."""
    try:
        getattr(handle.signals, signal_name).emit(*args)
    except RuntimeError:  # "Signal source has been deleted"
        handle.cancel()
        log.debug("%s of a background job not delivered: its window is closed", signal_name)


def run_in_worker(
    job: Job,
    *,
    on_finished: Callable[[Any], None] | None = None,
    on_failed: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    pool: QThreadPool | None = None,
) -> WorkerHandle:
    """Start ``job`` in a worker thread; callbacks run on the GUI thread."""
    handle = WorkerHandle()
    _RUNNING.add(handle)
    handle.signals.finished.connect(lambda _result: _RUNNING.discard(handle))
    handle.signals.failed.connect(lambda _error: _RUNNING.discard(handle))
    if on_finished is not None:
        handle.signals.finished.connect(on_finished)
    if on_failed is not None:
        handle.signals.failed.connect(on_failed)
    if on_progress is not None:
        handle.signals.progress.connect(on_progress)
    (pool or QThreadPool.globalInstance()).start(_Runnable(job, handle))
    return handle


def job_from_generator(make: Callable[[], Generator[tuple[int, int], None, Any]]) -> Job:
    """A job from a generator yielding ``(done, total)``; its return value is the result."""

    def job(progress: Progress, cancelled: Cancelled) -> Any:
        generator = make()
        try:
            while True:
                done, total = next(generator)
                progress(done, total)
                if cancelled():
                    generator.close()
                    raise JobCancelled()
        except StopIteration as stop:
            return stop.value

    return job
