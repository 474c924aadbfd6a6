"""The worker helper: results, failures, progress and cancel arrive on the GUI thread."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QThread

from ctrial_desktop.ui.workers import JobCancelled, job_from_generator, run_in_worker


def test_result_and_progress_delivered_on_gui_thread(qtbot) -> None:
    gui_thread = QThread.currentThread()
    seen: list[tuple[int, int]] = []
    threads: list[bool] = []

    def job(progress, cancelled):
        assert threading.current_thread() is not threading.main_thread()
        for i in range(3):
            progress(i + 1, 3)
        return "done"

    def on_progress(done: int, total: int) -> None:
        threads.append(QThread.currentThread() is gui_thread)
        seen.append((done, total))

    results: list[object] = []
    handle = run_in_worker(job, on_finished=results.append, on_progress=on_progress)
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen == [(1, 3), (2, 3), (3, 3)] and all(threads)
    assert handle.done.is_set()


def test_failure_is_delivered_not_raised(qtbot) -> None:
    errors: list[BaseException] = []

    def job(progress, cancelled):
        raise ValueError("bad input file")

    run_in_worker(job, on_failed=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "bad input file"


def test_cancel_stops_a_generator_job(qtbot) -> None:
    started = threading.Event()
    steps: list[int] = []

    def work():
        for i in range(1000):
            steps.append(i)
            started.set()
            time.sleep(0.005)
            yield i + 1, 1000
        return "complete"

    errors: list[BaseException] = []
    finished: list[object] = []
    handle = run_in_worker(job_from_generator(work), on_failed=errors.append,
                           on_finished=finished.append)
    assert started.wait(5)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], JobCancelled)
    assert not finished and len(steps) < 1000


@pytest.mark.parametrize("total", [0, 5])
def test_generator_return_value_is_the_result(qtbot, total: int) -> None:
    def work():
        for i in range(total):
            yield i + 1, total
        return total * 2

    results: list[object] = []
    run_in_worker(job_from_generator(work), on_finished=results.append)
    qtbot.waitUntil(lambda: results == [total * 2], timeout=5000)


def test_a_job_outliving_its_signals_ends_quietly(qtbot, monkeypatch) -> None:
    """Quitting while a job runs (the patient list still loading, a report being written)
    destroys the job's Qt objects before it ends; its progress and result then go nowhere,
    without an error reaching the exception hook (it printed "Signal source has been
    deleted" twice at exit)."""
    import sys

    from shiboken6 import delete

    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: hooked.append(exc))
    release = threading.Event()
    returned = threading.Event()

    def job(progress, cancelled):
        release.wait(5)
        progress(1, 2)
        returned.set()
        return "late result"

    handle = run_in_worker(job)
    delete(handle.signals)
    release.set()
    qtbot.waitUntil(handle.done.is_set, timeout=5000)
    qtbot.wait(50)
    assert returned.is_set() and handle.is_cancelled() and hooked == []
