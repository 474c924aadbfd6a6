"""Logging to a rotating file in the user data folder (no Qt here).

The GUI and long-running commands call :func:`setup_logging` once at start-up; the
file it returns is the one an apology dialog names when a programming error occurs.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

LOG_FILE_NAME = "ctrial.log"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(process)d]: %(message)s"

#: Marks the handler this module installed, so a second call replaces it.
_HANDLER_ATTR = "_ctrial_handler"


def setup_logging(folder: Path, level: int = logging.INFO) -> Path:
    """Send the ``ctrial_desktop`` loggers to ``folder/ctrial.log`` (rotating); return the path.

    Calling it again (e.g. another database in the same process) replaces the handler
    installed before instead of adding a second one.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE_NAME
    logger = logging.getLogger("ctrial_desktop")
    teardown_logging()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    setattr(handler, _HANDLER_ATTR, True)
    logger.addHandler(handler)
    logger.setLevel(level)
    return path


def teardown_logging() -> None:
    """Remove and close the handler installed by :func:`setup_logging`, if any."""
    logger = logging.getLogger("ctrial_desktop")
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_ATTR, False):
            logger.removeHandler(handler)
            handler.close()


def current_log_file() -> Path | None:
    """The file :func:`setup_logging` writes to, or None before it was called."""
    for handler in logging.getLogger("ctrial_desktop").handlers:
        if getattr(handler, _HANDLER_ATTR, False) and isinstance(
            handler, logging.handlers.RotatingFileHandler
        ):
            return Path(handler.baseFilename)
    return None


def log_exception(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    logger_name: str = "ctrial_desktop.crash",
) -> str:
    """Write an uncaught exception with its traceback to the log; return the formatted text."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    logging.getLogger(logger_name).error("uncaught exception\n%s", text.rstrip())
    if current_log_file() is None:
        sys.stderr.write(text)
    return text
