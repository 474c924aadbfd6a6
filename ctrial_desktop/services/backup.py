"""Automatic backups of the SQLite database, their rotation, and restoring one of them.

:class:`BackupService` is a pure service with an injectable clock: the GUI calls
:meth:`BackupService.maybe_backup` on a timer and on exit; a copy is taken with SQLite's
online backup API (consistent while others write) when the newest copy in the folder is
older than the interval, and only the newest ``keep`` copies are kept.

:func:`check_database_file` checks a copy before it is trusted: SQLite's
``PRAGMA integrity_check`` and the audit-chain verification
(:func:`ctrial_desktop.store.audit.verify`). :func:`restore_database_file` replaces the
database with a checked copy; the file it replaces is kept aside, renamed with a time
stamp, and nothing is touched when the copy fails a check.

:func:`convert_database_file` writes an encrypted (SQLCipher) copy of a plain database, or
a plain copy of an encrypted one, with ``sqlcipher_export`` (zetetic.net/sqlcipher/sqlcipher-api,
"sqlcipher_export"), and checks the copy like a backup.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.store.database import (
    SQLITE_HEADER,
    Database,
    DatabaseOpenError,
    quote_sql_text,
    sqlite_connect,
)

#: Name of an automatic copy: ``<stem>-auto-YYYYmmddTHHMMSSZ.sqlite3`` (UTC).
_STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
_AUTO_NAME = re.compile(r"^(?P<stem>.+)-auto-(?P<stamp>\d{8}T\d{6}Z)(?:-(?P<n>\d+))?\.sqlite3$")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class BackupError(ServiceError):
    """A backup or a restore could not be done; the message says why."""


@dataclass(frozen=True)
class BackupCopy:
    """One automatic copy in the backup folder."""

    path: Path
    taken_at: dt.datetime
    size: int


@dataclass(frozen=True)
class FileCheck:
    """Outcome of :func:`check_database_file`: ``ok`` and the problems found."""

    path: Path
    problems: tuple[str, ...]
    audit_records: int

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the database file restored and where the previous one went."""

    database: Path
    restored_from: Path
    previous_kept_as: Path | None
    audit_records: int


class BackupService:
    """Automatic, rotating backups of one database file into one folder.

    ``interval`` is the minimum age of the newest copy before another is taken; ``keep``
    the number of automatic copies kept (older ones are deleted). ``clock`` returns the
    current UTC time (injectable for tests).
    """

    def __init__(
        self,
        db: Database,
        folder: Path,
        *,
        keep: int = 10,
        interval: dt.timedelta = dt.timedelta(hours=24),
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        if keep < 1:
            raise ValueError("keep at least one backup")
        if interval < dt.timedelta(0):
            raise ValueError("the backup interval cannot be negative")
        self.db = db
        self.folder = Path(folder)
        self.keep = keep
        self.interval = interval
        self.clock = clock

    @property
    def enabled(self) -> bool:
        """Backups are file copies: only a SQLite database file has them."""
        return self.db.file_path is not None

    def _stem(self) -> str:
        path = self.db.file_path
        return path.stem if path is not None else "database"

    def copies(self) -> list[BackupCopy]:
        """The automatic copies of this database in the folder, oldest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            match = _AUTO_NAME.match(path.name)
            if match is None or match["stem"] != self._stem() or not path.is_file():
                continue
            taken = dt.datetime.strptime(match["stamp"], _STAMP_FORMAT).replace(tzinfo=dt.UTC)
            found.append((taken, int(match["n"] or 0), path))
        found.sort()
        return [BackupCopy(path, taken, path.stat().st_size) for taken, _n, path in found]

    def last_backup(self) -> BackupCopy | None:
        copies = self.copies()
        return copies[-1] if copies else None

    def due(self) -> bool:
        """True when no copy is younger than the interval (or the clock went backwards)."""
        if not self.enabled:
            return False
        last = self.last_backup()
        if last is None:
            return True
        age = self.clock() - last.taken_at
        return age >= self.interval or age < dt.timedelta(0)

    def maybe_backup(self) -> Path | None:
        """Take a copy if one is due (see :meth:`due`); the path written, or None."""
        return self.backup_now() if self.due() else None

    def backup_now(self) -> Path:
        """Take a copy now, then delete the oldest copies beyond ``keep``."""
        if not self.enabled:
            raise BackupError(Message("Only a SQLite database file can be backed up this way."))
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = self.clock().astimezone(dt.UTC).strftime(_STAMP_FORMAT)
        target = self.folder / f"{self._stem()}-auto-{stamp}.sqlite3"
        counter = 1
        while target.exists():
            target = self.folder / f"{self._stem()}-auto-{stamp}-{counter}.sqlite3"
            counter += 1
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            self.db.backup(partial)
            os.replace(partial, target)
        except (OSError, DatabaseOpenError) as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(Message("The backup could not be written to {folder}: {exc}",
                                      folder=self.folder, exc=exc)) from exc
        self.rotate()
        return target

    def rotate(self) -> list[Path]:
        """Delete the oldest automatic copies beyond ``keep``; the paths deleted."""
        copies = self.copies()
        removed = []
        for copy in copies[: max(0, len(copies) - self.keep)]:
            copy.path.unlink(missing_ok=True)
            removed.append(copy.path)
        return removed


def check_database_file(path: Path, passphrase: str | None = None) -> FileCheck:
    """Check a database copy, reading it only: SQLite integrity, then the audit chain."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.orm import Session

    from ctrial_desktop.store.audit import verify

    path = Path(path)
    if not path.is_file():
        return FileCheck(path, (f"{path} does not exist",), 0)
    if path.stat().st_size == 0:
        return FileCheck(path, (f"{path} is empty",), 0)
    with path.open("rb") as handle:
        plain = handle.read(16) == SQLITE_HEADER
    if plain and passphrase is not None:
        passphrase = None  # a plain copy needs no key
    if not plain and passphrase is None:
        return FileCheck(path, (f"{path} is not a SQLite database (or it is encrypted and "
                                "needs its passphrase)",), 0)
    problems: list[str] = []
    try:
        connection = sqlite_connect(path, passphrase)
        try:
            rows = [str(r[0]) for r in connection.execute("PRAGMA integrity_check").fetchall()]
        finally:
            connection.close()
    except Exception as exc:  # sqlite3 and sqlcipher3 have distinct error classes
        message = str(exc)
        if passphrase is not None and "not a database" in message:
            message = "wrong passphrase, or not an encrypted database"
        return FileCheck(path, (f"{path} cannot be read: {message}",), 0)
    if rows != ["ok"]:
        problems.extend(f"integrity check: {row}" for row in rows[:20])
        return FileCheck(path, tuple(problems), 0)
    key = passphrase
    engine = create_engine("sqlite://", creator=lambda: sqlite_connect(path, key))
    try:
        if "audit_trail" not in inspect(engine).get_table_names():
            return FileCheck(path, (f"{path} is not a ctrial database (no audit trail)",), 0)
        with Session(engine) as session:
            result = verify(session)
    except Exception as exc:  # a damaged or foreign schema: reported, never raised
        return FileCheck(path, (f"{path} cannot be verified: {exc}",), 0)
    finally:
        engine.dispose()
    problems.extend(result.problems)
    return FileCheck(path, tuple(problems), result.records)


def restore_database_file(
    database: Path,
    backup: Path,
    *,
    passphrase: str | None = None,
    clock: Callable[[], dt.datetime] = _utc_now,
) -> RestoreResult:
    """Replace ``database`` with the checked copy ``backup``.

    The copy is checked first (:func:`check_database_file`); on any problem nothing is
    changed and :class:`BackupError` lists the problems. The current database file (and
    its ``-wal``/``-shm`` companions) is kept beside it, renamed
    ``<name>.replaced-YYYYmmddTHHMMSSZ``. The application must not have the database open.
    """
    database = Path(database)
    backup = Path(backup)
    if backup.resolve() == database.resolve():
        raise BackupError(Message("The backup is the database itself."))
    check = check_database_file(backup, passphrase)
    if not check.ok:
        raise BackupError(Message("The backup was not restored: {problems}",
                                  problems="; ".join(check.problems[:5])))
    database.parent.mkdir(parents=True, exist_ok=True)
    staging = database.with_name(database.name + ".restoring")
    staging.unlink(missing_ok=True)
    shutil.copy2(backup, staging)
    kept: Path | None = None
    if database.exists():
        stamp = clock().astimezone(dt.UTC).strftime(_STAMP_FORMAT)
        kept = database.with_name(f"{database.name}.replaced-{stamp}")
        counter = 1
        while kept.exists():
            kept = database.with_name(f"{database.name}.replaced-{stamp}-{counter}")
            counter += 1
        os.replace(database, kept)
        for suffix in ("-wal", "-shm"):
            companion = database.with_name(database.name + suffix)
            if companion.exists():
                os.replace(companion, kept.with_name(kept.name + suffix))
    os.replace(staging, database)
    return RestoreResult(database, backup, kept, check.audit_records)


def convert_database_file(source: Path, target: Path, *, encrypt: bool,
                          passphrase: str) -> FileCheck:
    """Write ``target``: an encrypted copy of the plain ``source`` (``encrypt``) or a plain
    copy of the encrypted ``source``. ``target`` must not exist; the copy is checked.
    """
    source = Path(source)
    target = Path(target)
    if not passphrase:
        raise BackupError(Message("The passphrase cannot be empty."))
    if target.exists():
        raise BackupError(Message("{target} already exists; choose a new file name.",
                                  target=target))
    if not source.is_file():
        raise BackupError(Message("{source} does not exist.", source=source))
    with source.open("rb") as handle:
        plain = handle.read(16) == SQLITE_HEADER
    if encrypt and not plain:
        raise BackupError(Message("{source} is not a plain SQLite database (already encrypted?).",
                                  source=source))
    if not encrypt and plain:
        raise BackupError(Message("{source} is not encrypted.", source=source))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # An empty key opens a plain file through SQLCipher, which has sqlcipher_export.
        connection = sqlite_connect(source, "" if encrypt else passphrase)
    except DatabaseOpenError as exc:
        raise BackupError(str(exc)) from None
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        key = quote_sql_text(passphrase if encrypt else "")
        connection.execute(f"ATTACH DATABASE {quote_sql_text(str(target))} AS converted KEY {key}")
        connection.execute("SELECT sqlcipher_export('converted')")
        connection.execute("DETACH DATABASE converted")
    except Exception as exc:  # sqlcipher3's own error classes
        target.unlink(missing_ok=True)
        message = str(exc)
        if "not a database" in message:
            message = "wrong passphrase, or not an encrypted database"
        raise BackupError(Message("{source} could not be converted: {message}",
                                  source=source, message=message)) from None
    finally:
        connection.close()
    check = check_database_file(target, passphrase if encrypt else None)
    if not check.ok:
        raise BackupError(Message("the converted copy {target} failed its check: {problems}",
                                  target=target, problems="; ".join(check.problems[:5])))
    return check
