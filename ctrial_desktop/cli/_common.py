"""Helpers shared by the ``ctrial`` sub-commands."""

from __future__ import annotations

import argparse
import getpass
import json
import os
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


def open_db(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The database of ``--db``, opened and migrated; a refusal is one clear line."""
    from ctrial_desktop.store.database import DatabaseOpenError, open_database

    try:
        return open_database(database_url(args))
    except DatabaseOpenError as exc:
        raise CliError(str(exc)) from None


def secret(prompt: str, env: str = "CTRIAL_PASSWORD") -> str:
    """A password from ``env``, else asked on the terminal (never echoed)."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"no password: set {env} or run in a terminal")
    return getpass.getpass(prompt)


def login(db, username: str):  # type: ignore[no-untyped-def]
    """Log ``username`` in (audited like any login) and return the actor."""
    from ctrial_desktop.services.auth import AuthService

    return service_call(AuthService(db).login, username, secret(f"Password for {username}: "))


def service_call(func, *args, **kwargs):  # type: ignore[no-untyped-def]
    """Call a service; its user-facing error becomes a one-line CLI error."""
    from ctrial_desktop.services.errors import ServiceError

    try:
        return func(*args, **kwargs)
    except ServiceError as exc:
        raise CliError(str(exc)) from None


def load_study_or_fail():  # type: ignore[no-untyped-def]
    """The study definition of ``forms/``; a broken file is one line naming it."""
    from ctrial_desktop.paths import forms_dir
    from ctrial_desktop.study import StudyDefinitionError, load_study

    try:
        return load_study(forms_dir())
    except StudyDefinitionError as exc:
        raise CliError(f"study definition: {exc}") from None
