"""``ctrial gui``: start the desktop application (also what plain ``ctrial`` does).

Without a display (servers, CI), render the first window to a PNG file::

    QT_QPA_PLATFORM=offscreen ctrial gui --demo --screenshot shot.png

With ``--demo`` the pre-filled demo account logs in by itself, so the picture is the
main window; otherwise it is the first dialog (first run or login).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ctrial_desktop.cli._common import CliError

LANGUAGE_CHOICES = ("en", "fr")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "gui",
        help="start the desktop application (the default)",
        description="Start the desktop application. The database is --db (global option) "
        "or the SQLite file in the user data folder.",
    )
    parser.add_argument("--language", choices=LANGUAGE_CHOICES, default=None,
                        help="interface language (default: your preference, else the system's)")
    parser.add_argument("--demo", action="store_true",
                        help="open the demo database (demo.sqlite3 in the user data folder, "
                        "built on first use) with a demo account pre-filled")
    parser.add_argument("--screenshot", metavar="FILE.png", default=None,
                        help="save the first window as a PNG after start-up and exit "
                        "(use QT_QPA_PLATFORM=offscreen without a display)")
    parser.set_defaults(func=run_gui)


def run_gui(args: argparse.Namespace) -> int:
    """Start the GUI; the exit code of the application (2 when it refuses to start)."""
    screenshot = getattr(args, "screenshot", None)
    if screenshot:
        target = Path(screenshot)
        if target.suffix.lower() != ".png":
            raise CliError(f"the screenshot must be a .png file: {screenshot}")
        if not target.resolve().parent.is_dir():
            raise CliError(f"folder not found for the screenshot: {target.parent}")
    language = getattr(args, "language", None)
    if language is not None and language not in LANGUAGE_CHOICES:
        raise CliError(f"unsupported language {language!r} (choose en or fr)")
    from ctrial_desktop.ui.app import run

    return run(args)
