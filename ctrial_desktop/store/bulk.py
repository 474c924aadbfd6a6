"""Inserting many plain rows in a transaction at the cost of the driver alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Dialect, Table, insert
from sqlalchemy.orm import Session

#: Rows per statement of :func:`insert_rows_returning`: its parameters stay under 999, the
#: smallest limit of SQLite builds (and far under PostgreSQL's 65,535).
_MAX_PARAMETERS = 999


def _driver_statement(connection: Connection, table: Table,
                      columns: Sequence[str]) -> tuple[str, str] | None:
    """``INSERT INTO table (columns) VALUES`` and one row's ``(?, ?, …)`` in the driver's
    parameter style; None for a driver that takes named parameters only."""
    dialect = connection.dialect
    if dialect.paramstyle not in ("qmark", "format", "pyformat"):
        return None
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    return (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES",
            f"({', '.join([mark] * len(columns))})")


@lru_cache(maxsize=64)
def _converters(dialect: Dialect, table: Table, columns: tuple[str, ...]
                ) -> tuple[Callable[[Any], Any] | None, ...] | None:
    """What each column's type does to a value before the driver takes it (a date and time
    becomes text on SQLite), or None when no column converts anything."""
    found = tuple(table.c[column].type.dialect_impl(dialect).bind_processor(dialect)
                  for column in columns)
    return found if any(found) else None


def _driver_rows(connection: Connection, table: Table, columns: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """``rows`` as the driver takes them (through the column types' converters)."""
    converters = _converters(connection.dialect, table, tuple(columns))
    if converters is None:
        return rows
    return [tuple(value if convert is None or value is None else convert(value)
                  for convert, value in zip(converters, row, strict=True)) for row in rows]


def insert_rows(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) in the session's transaction,
    with one DBAPI ``executemany``.

    For the audited write path: SQLAlchemy's Core executemany processes every row's
    parameters in Python (a fifth of the time of saving a 21-row dosing form). The values
    go through their column type's converter, if it has one (dates and times on SQLite)."""
    if not rows:
        return
    connection = session.connection()
    parts = _driver_statement(connection, table, columns)
    if parts is None:
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    connection.exec_driver_sql(f"{parts[0]} {parts[1]}",
                               list(_driver_rows(connection, table, columns, rows)))


def insert_rows_returning(session: Session, table: Table, columns: Sequence[str],
                          rows: Sequence[Sequence[Any]],
                          returning: Sequence[str]) -> list[tuple[Any, ...]]:
    """:func:`insert_rows`, handing back the columns ``returning`` of every inserted row
    (such as the generated key with the row's natural key), in no particular order.

    One multi-row ``INSERT … VALUES … RETURNING`` per 999 parameters: SQLite and
    PostgreSQL both take it, and it saves reading the rows back. The order of the rows
    it returns is not defined (SQLite says so), hence the natural key."""
    if not rows:
        return []
    connection = session.connection()
    parts = _driver_statement(connection, table, columns)
    if parts is None:
        statement = insert(table).returning(*(table.c[c] for c in returning))
        return [tuple(r) for r in session.execute(
            statement, [dict(zip(columns, row, strict=True)) for row in rows])]
    rows = _driver_rows(connection, table, columns, rows)
    quote = connection.dialect.identifier_preparer.quote
    tail = f" RETURNING {', '.join(quote(c) for c in returning)}"
    per_statement = max(1, _MAX_PARAMETERS // len(columns))
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        statement = f"{parts[0]} {', '.join([parts[1]] * len(chunk))}{tail}"
        found += connection.exec_driver_sql(
            statement, tuple(value for row in chunk for value in row)).fetchall()
    return [tuple(r) for r in found]
