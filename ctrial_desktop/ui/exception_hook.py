"""The exception hook of the GUI: log the traceback, then apologise.

Kept apart from the apology dialog (:mod:`ctrial_desktop.ui.error_dialog`), which is
imported only when there is something to apologise for: the hook is installed first
thing at start-up, where every millisecond shows.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QApplication

from ctrial_desktop.logging_setup import current_log_file, log_exception

log = logging.getLogger(__name__)

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], None]


class ExceptionHook:
    """Replaces :data:`sys.excepthook`: log the traceback, then apologise once at a time."""

    def __init__(self) -> None:
        self._previous: ExceptHook | None = None
        self._showing = False

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self and self._previous is not None:
            sys.excepthook = self._previous
        self._previous = None

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log_exception(exc_type, exc, tb)
        if self._showing or QApplication.instance() is None:
            return  # an error inside the apology itself: logged, not shown again
        self._showing = True
        try:
            from ctrial_desktop.ui import error_dialog

            error_dialog.show_apology(current_log_file())
        except Exception:  # the apology must never raise out of the hook
            log.exception("cannot show the error dialog")
        finally:
            self._showing = False
