"""Statements of the audited write path at the cost of the driver alone.

Saving a form runs a handful of fixed statements: inserting the form row, its values and
their audit records, moving the audit chain's head, deleting the user's draft. Through
SQLAlchemy each costs tens of microseconds more than the driver takes to run it (an
execution context, a result object, the parameters processed in Python), which made up
a third of a form save. They are run here on the session's own DBAPI connection, inside
its transaction: the statements are written with ``?`` placeholders and put in the
driver's parameter style, values go through their column type's converter where the
driver would not take them as they are, and a driver error is raised as SQLAlchemy's
(an ``IntegrityError`` stays one).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Boolean, ColumnElement, Dialect, Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

#: Rows per statement of :func:`insert_rows_returning`: its parameters stay under 999, the
#: smallest limit of SQLite builds (and far under PostgreSQL's 65,535).
_MAX_PARAMETERS = 999


@lru_cache(maxsize=256)
def _in_style(statement: str, style: str) -> str:
    """``statement``, written with ``?`` placeholders, in a driver's parameter style."""
    if style == "qmark":
        return statement
    if style in ("format", "pyformat"):
        return statement.replace("%", "%%").replace("?", "%s")
    pieces = statement.split("?")
    mark = ":{}" if style == "numeric" else ":p{}"
    start = 1 if style == "numeric" else 0
    return pieces[0] + "".join(mark.format(n + start) + piece
                               for n, piece in enumerate(pieces[1:]))


def _parameters(style: str, values: Sequence[Any]) -> Sequence[Any] | dict[str, Any]:
    if style == "named":
        return {f"p{n}": value for n, value in enumerate(values)}
    return values


def driver_execute(session: Session, statement: str, parameters: Sequence[Any] = (),
                   *, many: Sequence[Sequence[Any]] | None = None) -> list[tuple[Any, ...]]:
    """Run ``statement`` (``?`` placeholders) with ``parameters``, or once per row of
    ``many``, in the session's transaction; the rows it returns, if any.

    The values must be what the driver takes as they are: text, numbers, booleans, None
    (:func:`insert_rows` converts the others by their column type)."""
    connection = session.connection()
    dialect = connection.dialect
    style = dialect.paramstyle
    sql = _in_style(statement, style)
    dbapi = dialect.loaded_dbapi
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        if many is not None:
            cursor.executemany(sql, [_parameters(style, row) for row in many])
            return []
        cursor.execute(sql, _parameters(style, parameters))
        return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
    except dbapi.Error as error:
        raise DBAPIError.instance(statement, parameters if many is None else many, error,
                                  dbapi.Error, dialect=dialect) from error
    finally:
        cursor.close()


@lru_cache(maxsize=64)
def _converters(dialect: Dialect, columns: tuple[ColumnElement[Any], ...], *, reading: bool
                ) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """The columns (by position) whose type changes a value on its way to the driver (a
    date and time becomes text on SQLite) or, ``reading``, from it (text into a date, 0
    and 1 into booleans), with what it does.

    Booleans are written as they are: SQLAlchemy makes them 1 and 0 for SQLite, which its
    driver does itself, and leaves them to PostgreSQL's."""
    found = []
    for position, column in enumerate(columns):
        kind = column.type.dialect_impl(dialect)
        if reading:
            convert = kind.result_processor(dialect, None)
        else:
            convert = None if isinstance(column.type, Boolean) else kind.bind_processor(dialect)
        if convert is not None:
            found.append((position, convert))
    return tuple(found)


def _converted(rows: Sequence[Sequence[Any]],
               converters: tuple[tuple[int, Callable[[Any], Any]], ...]
               ) -> Sequence[Sequence[Any]]:
    """``rows`` with their values at the converters' positions converted (None stays)."""
    if not converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for position, convert in converters:
            if values[position] is not None:
                values[position] = convert(values[position])
        converted.append(tuple(values))
    return converted


def select_rows(session: Session, statement: str, parameters: Sequence[Any],
                columns: Sequence[ColumnElement[Any]]) -> list[tuple[Any, ...]]:
    """:func:`driver_execute` of a select whose result columns are ``columns``: each value
    as SQLAlchemy's select of them would give it (through its type's converter)."""
    rows = driver_execute(session, statement, parameters)
    converters = _converters(session.get_bind().dialect, tuple(columns), reading=True)
    return cast(list[tuple[Any, ...]], _converted(rows, converters))  # rows of tuples


def _driver_rows(session: Session, table: Table, columns: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """``rows`` as the driver takes them (through the column types' converters)."""
    return _converted(rows, _converters(session.get_bind().dialect,
                                        tuple(table.c[c] for c in columns), reading=False))


def _insert_into(session: Session, table: Table, columns: Sequence[str]) -> tuple[str, str]:
    """``INSERT INTO table (columns) VALUES`` and one row's ``(?, ?, …)``."""
    quote = session.get_bind().dialect.identifier_preparer.quote
    return (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES",
            f"({', '.join(['?'] * len(columns))})")


def insert_rows(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) in the session's transaction,
    with one DBAPI ``executemany``."""
    if not rows:
        return
    head, row = _insert_into(session, table, columns)
    driver_execute(session, f"{head} {row}", many=_driver_rows(session, table, columns, rows))


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
    rows = _driver_rows(session, table, columns, rows)
    head, row = _insert_into(session, table, columns)
    quote = session.get_bind().dialect.identifier_preparer.quote
    tail = f" RETURNING {', '.join(quote(c) for c in returning)}"
    per_statement = max(1, _MAX_PARAMETERS // len(columns))
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start:start + per_statement]
        found += driver_execute(session, f"{head} {', '.join([row] * len(chunk))}{tail}",
                                tuple(value for values in chunk for value in values))
    return found
