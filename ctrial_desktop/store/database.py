"""Opening the database: engine, SQLite pragmas, migrations, backups, transactions.

SQLite connections get ``foreign_keys=ON``, WAL journal, ``synchronous=FULL`` and a
busy timeout. Write transactions begin with ``BEGIN IMMEDIATE`` so that two
processes on one file never interleave writes (the audit chain and the
randomization lists depend on it); read transactions begin deferred. On PostgreSQL
the same code uses row locks (``SELECT ... FOR UPDATE``).

Opening applies pending Alembic migrations, taking a backup of an existing SQLite
file first; a database written by a newer version of the application is refused.

A SQLite file may be encrypted with SQLCipher (optional ``sqlcipher3`` driver, imported
only when a passphrase is given): the whole file, pages and journal, is unreadable
without the passphrase, from which SQLCipher 4 derives the key (PBKDF2-HMAC-SHA512,
256,000 iterations, a random salt kept in the file; zetetic.net/sqlcipher/design).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from ctrial_desktop.store.audit import AuditWriter, ClockGuard

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Environment variable holding the passphrase of an encrypted database file.
PASSPHRASE_ENV = "CTRIAL_PASSPHRASE"
BUSY_TIMEOUT_MS = 30_000
SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseOpenError(Exception):
    """The database cannot be opened as it is (newer version, corrupt, not a database)."""


def _sqlcipher_module() -> Any:
    try:
        import sqlcipher3  # type: ignore[import-not-found]
    except ImportError:
        raise DatabaseOpenError(
            "encrypted databases need the sqlcipher3 package: "
            'python3 -m pip install "ctrial-desktop[encryption]"') from None
    return sqlcipher3


def sqlite_connect(path: Path, passphrase: str | None = None, timeout: float = 5.0) -> Any:
    """A DB-API connection to a SQLite file, keyed with ``passphrase`` when it is encrypted.

    An empty passphrase opens a plain file through SQLCipher (to convert it).
    """
    if passphrase is None:
        return sqlite3.connect(str(path), timeout=timeout)
    connection = _sqlcipher_module().connect(str(path), timeout=timeout)
    connection.execute("PRAGMA cipher_log_level = NONE")
    if passphrase:
        connection.execute(f"PRAGMA key = {quote_sql_text(passphrase)}")
    return connection


def quote_sql_text(text: str) -> str:
    """``text`` as a SQL string literal (PRAGMA and ATTACH take no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _configure_sqlite(engine: Engine, memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("ctrial_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_db_engine(url: str, passphrase: str | None = None) -> Engine:
    """An engine for ``url`` with the project's connection settings.

    With ``passphrase`` a SQLite file is opened (or created) encrypted with SQLCipher.
    """
    parsed = make_url(url)
    if passphrase is not None and parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseOpenError("only a database file can be encrypted")
        _sqlcipher_module()
        parsed = parsed.set(drivername="sqlite+pysqlcipher", password=passphrase)
        engine = create_engine(
            parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _quiet(dbapi_connection: Any, _record: Any) -> None:
            # A wrong key is reported to the user by us; SQLCipher need not log it on stderr.
            dbapi_connection.execute("PRAGMA cipher_log_level = NONE")

        _configure_sqlite(engine, False)
        return engine
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        memory = database in ("", ":memory:") or "mode=memory" in str(parsed)
        if memory:
            engine = create_engine(
                url, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
            )
        _configure_sqlite(engine, memory)
        return engine
    if parsed.drivername == "postgresql":
        # A bare postgresql:// URL means psycopg 3 here (the ``postgres`` extra), not psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


#: The newest schema revision this version of the application writes. Opening a
#: database already at this revision needs no Alembic at all (start-up stays fast);
#: a test checks it equals the head of the migration scripts.
SCHEMA_HEAD = "0010"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The head revision of the migration scripts (imports Alembic)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


class Database:
    """An open, migrated database: sessions for reading and writing, and the audit writer.

    Services open one session per user action with :meth:`write` (a transaction that
    commits or rolls back as a whole) or :meth:`read`.
    """

    def __init__(self, url: str, engine: Engine, clock: ClockGuard | None = None,
                 passphrase: str | None = None) -> None:
        self.url = url
        self.engine = engine
        self.passphrase = passphrase
        self.audit = AuditWriter(clock)
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(
            engine.execution_options(ctrial_write=True), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def file_path(self) -> Path | None:
        """The SQLite file, or None for an in-memory or server database."""
        if not self.is_sqlite:
            return None
        database = make_url(self.url).database
        if not database or database == ":memory:":
            return None
        return Path(database)

    @property
    def encrypted(self) -> bool:
        """True for a SQLite file encrypted with SQLCipher."""
        return self.passphrase is not None and self.file_path is not None

    @property
    def display_name(self) -> str:
        path = self.file_path
        if path is not None:
            return str(path)
        return make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commit on success, roll back on any exception."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    def backup(self, target: Path) -> Path:
        """Copy the database to ``target`` with SQLite's online backup API."""
        path = self.file_path
        if path is None:
            raise DatabaseOpenError("only a SQLite database file can be backed up this way")
        return backup_sqlite_file(path, target, self.passphrase)

    def dispose(self) -> None:
        self.engine.dispose()


def backup_sqlite_file(source: Path, target: Path, passphrase: str | None = None) -> Path:
    """Online backup of a SQLite file (consistent even while others write to it).

    The copy of an encrypted file is encrypted with the same passphrase.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise FileExistsError(f"{target} already exists")
    src = sqlite_connect(source, passphrase, BUSY_TIMEOUT_MS / 1000)
    try:
        dst = sqlite_connect(target, passphrase)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def is_encrypted_file(path: Path) -> bool:
    """True for an existing, non-empty file without the plain SQLite header."""
    if not path.is_file() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        return handle.read(16) != SQLITE_HEADER


def _check_sqlite_file(path: Path, passphrase: str | None = None) -> None:
    """Refuse, without touching it, a file that is not a readable SQLite database."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        header = handle.read(16)
    plain = header == SQLITE_HEADER
    if passphrase is None and not plain:
        raise DatabaseOpenError(
            f"{path} is not a ctrial database (not a SQLite file), or it is encrypted: "
            "give its passphrase (CTRIAL_PASSPHRASE)")
    if passphrase is not None and plain:
        raise DatabaseOpenError(f"{path} is not encrypted: open it without a passphrase")


def _migrate(engine: Engine, current: str | None, file_path: Path | None,
             backup_dir: Path | None, passphrase: str | None) -> None:
    """Bring the schema to the head revision, backing an existing file up first."""
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine))
    head = script.get_current_head()
    if current is not None and current != head:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise DatabaseOpenError(
                "this database was written by a newer version of ctrial-desktop "
                f"(schema {current}); install the newer version to open it"
            )
    if current == head:
        return
    has_tables = bool(inspect(engine).get_table_names())
    if file_path is not None and has_tables:
        folder = backup_dir or file_path.parent / "backups"
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = folder / f"{file_path.stem}-before-migration-{stamp}.sqlite3"
        backup_sqlite_file(file_path, target, passphrase)
        log.info("backup before migration written to %s", target)
    command.upgrade(alembic_config(engine), "head")


#: The oldest SQLite the application runs on: saving a form uses ``INSERT … RETURNING``.
MIN_SQLITE = (3, 35, 0)


def check_sqlite_version(version: tuple[int, ...] | None) -> None:
    """Refuse, with what to do, a SQLite library older than :data:`MIN_SQLITE`."""
    if version is not None and tuple(version[:3]) < MIN_SQLITE:
        found = ".".join(str(n) for n in version)
        needed = ".".join(str(n) for n in MIN_SQLITE)
        raise DatabaseOpenError(
            f"this Python uses SQLite {found}; ctrial needs SQLite {needed} or later (the "
            "python.org and most current Python builds have it): install a newer Python")


def open_database(
    url: str,
    *,
    backup_dir: Path | None = None,
    clock: ClockGuard | None = None,
    passphrase: str | None = None,
) -> Database:
    """Open (creating if needed) and migrate the database at ``url``.

    An existing SQLite file is backed up into ``backup_dir`` (default: beside the file)
    before any migration. A database from a newer version is refused. ``passphrase``
    opens (or creates) a SQLite file encrypted with SQLCipher; a wrong one is refused.
    Without it, an existing encrypted file is opened with the passphrase in the
    ``CTRIAL_PASSPHRASE`` environment variable when it is set.
    """
    parsed = make_url(url)
    file_path: Path | None = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        file_path = Path(parsed.database or "")
        if passphrase is None and os.environ.get(PASSPHRASE_ENV) and is_encrypted_file(file_path):
            passphrase = os.environ[PASSPHRASE_ENV]
        _check_sqlite_file(file_path, passphrase)
    engine = create_db_engine(url, passphrase)
    try:
        if engine.dialect.name == "sqlite":
            check_sqlite_version(getattr(engine.dialect.dbapi, "sqlite_version_info", None))
        current = current_revision(engine)
        if current != SCHEMA_HEAD:
            _migrate(engine, current, file_path, backup_dir, passphrase)
    except DatabaseOpenError:
        engine.dispose()
        raise
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        if passphrase is not None and "not a database" in str(exc.orig):
            raise DatabaseOpenError(
                "wrong passphrase (or the file is not an encrypted ctrial database)") from exc
        if file_path is not None and any(
                word in str(exc.orig) for word in ("malformed", "not a database", "corrupt")):
            raise DatabaseOpenError(
                f"cannot open the database: {file_path} is damaged ({exc.orig}); it was left "
                "as it is: restore a backup with 'ctrial restore FILE'") from exc
        raise DatabaseOpenError(f"cannot open the database: {exc.orig}") from exc
    return Database(url, engine, clock, passphrase)
