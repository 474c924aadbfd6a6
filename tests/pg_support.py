"""PostgreSQL for the tests: a fresh, empty database per test (server of ``CTRIAL_TEST_PG_URL``).

``CTRIAL_TEST_PG_URL`` is a SQLAlchemy URL (``postgresql+psycopg://user:pw@host:port/db``)
of a role allowed to create databases. Each test gets its own database, created from
``template0`` and dropped afterwards, so tests never see each other's data.

Without the variable the PostgreSQL tests are skipped on a developer's computer, but in
continuous integration (``CI=true``) a missing server is an error: the tests must run there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

PG_URL_ENV = "CTRIAL_TEST_PG_URL"
SKIP_REASON = (
    f"PostgreSQL tests need a server: set {PG_URL_ENV}="
    "postgresql+psycopg://USER:PASSWORD@127.0.0.1:PORT/DB (a role with CREATEDB)"
)


def in_ci() -> bool:
    """True in continuous integration, where an unavailable server is a failure."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def configured_url() -> str | None:
    """The server URL from the environment, or None when it is not set."""
    value = os.environ.get(PG_URL_ENV, "").strip()
    return value or None


def _admin_url(base: str) -> URL:
    url = make_url(base)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def create_database(base: str) -> str:
    """Create a new empty database on the server of ``base``; return its URL (with password)."""
    admin = _admin_url(base)
    name = f"ctrial_test_{uuid.uuid4().hex[:16]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\''))
    finally:
        engine.dispose()
    return admin.set(database=name).render_as_string(hide_password=False)


def drop_database(base: str, url: str) -> None:
    """Drop a database made by :func:`create_database`, closing any connection left to it."""
    name = make_url(url).database
    if not name or not name.startswith("ctrial_test_"):
        raise ValueError(f"refusing to drop a database not made by the tests: {name!r}")
    engine = create_engine(_admin_url(base), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@contextmanager
def fresh_database(base: str) -> Iterator[str]:
    """A new database for the duration of the block, dropped afterwards."""
    url = create_database(base)
    try:
        yield url
    finally:
        drop_database(base, url)
