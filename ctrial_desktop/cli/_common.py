"""Helpers shared by the ``ctrial`` sub-commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO


class CliError(Exception):
    """A user-fixable problem: printed as one line, exit code 2 by default."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def database_url(args: argparse.Namespace) -> str:
    """The ``--db`` URL, or the default SQLite file in the user data folder."""
    if getattr(args, "db", None):
        return str(args.db)
    from ctrial_desktop.paths import default_database_url

    return default_database_url()


def read_text_arg(path: str) -> str:
    """Read a file named on the command line; ``-`` means standard input."""
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"file not found: {path}") from None
    except UnicodeDecodeError:
        raise CliError(f"not a UTF-8 text file: {path}") from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror}") from None


def read_json_arg(path: str) -> Any:
    text = read_text_arg(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"invalid JSON in {path}: {exc.msg} at line {exc.lineno}") from None


def write_json(data: Any, out: TextIO | None = None) -> None:
    stream = out or sys.stdout
    json.dump(data, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
