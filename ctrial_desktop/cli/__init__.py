"""The ``ctrial`` command.

``ctrial`` with no sub-command starts the GUI; every other sub-command drives the
services without importing Qt. Each sub-command lives in its own module of this
package and exposes ``register(subparsers)``; handlers take the parsed arguments
and return an exit code. Handlers import heavy libraries lazily so that a quick
command such as ``ctrial imwg`` starts fast.

Errors the user can fix raise :class:`CliError`: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ctrial_desktop import __version__
from ctrial_desktop.cli._common import CliError

#: Sub-command modules, in the order they appear in ``ctrial --help``.
COMMAND_MODULES: tuple[str, ...] = (
    "gui",
    "admin",
    "randomization",
    "imwg",
    "ctcae",
    "dose",
    "ranges",
    "report",
    "exchange",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctrial",
        description="IFM 2009-02 electronic case report forms (offline eCRF).",
    )
    parser.add_argument("--version", action="version", version=f"ctrial {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        default=None,
        help="SQLAlchemy database URL (default: SQLite file in the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"ctrial_desktop.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from ctrial_desktop.cli.gui import run_gui

        return run_gui(args)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"ctrial: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("ctrial: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
