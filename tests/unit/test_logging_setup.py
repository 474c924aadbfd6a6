"""Logging set-up: rotating file in a given folder, replaced (not doubled) when called again."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ctrial_desktop.logging_setup import (
    LOG_FILE_NAME,
    current_log_file,
    log_exception,
    setup_logging,
    teardown_logging,
)


@pytest.fixture(autouse=True)
def _clean() -> Iterator[None]:
    yield
    teardown_logging()


def _ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger("ctrial_desktop").handlers
            if getattr(h, "_ctrial_handler", False)]


def test_writes_to_the_folder(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    assert path == tmp_path / "logs" / LOG_FILE_NAME
    assert current_log_file() == path
    logging.getLogger("ctrial_desktop.store").warning("backup written to %s", "x")
    for handler in _ours():
        handler.flush()
    assert "WARNING" in path.read_text("utf-8")
    assert "ctrial_desktop.store" in path.read_text("utf-8")


def test_second_call_replaces_the_handler(tmp_path: Path) -> None:
    setup_logging(tmp_path / "a")
    second = setup_logging(tmp_path / "b")
    assert len(_ours()) == 1
    assert current_log_file() == second
    teardown_logging()
    assert _ours() == [] and current_log_file() is None


def test_log_exception_keeps_the_traceback(tmp_path: Path) -> None:
    path = setup_logging(tmp_path)
    try:
        {}["missing"]
    except KeyError:
        exc_type, exc, tb = sys.exc_info()
        assert exc_type is not None and exc is not None
        text = log_exception(exc_type, exc, tb)
    for handler in _ours():
        handler.flush()
    assert "KeyError: 'missing'" in text
    assert "Traceback" in path.read_text("utf-8")


def test_without_a_file_the_traceback_goes_to_stderr(
        capsys: pytest.CaptureFixture[str]) -> None:
    teardown_logging()
    try:
        raise RuntimeError("no log file yet")
    except RuntimeError as exc:
        log_exception(RuntimeError, exc, exc.__traceback__)
    assert "RuntimeError: no log file yet" in capsys.readouterr().err
