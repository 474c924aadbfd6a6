"""Inserting many plain rows in a transaction at the cost of the driver alone."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, columns: Sequence[str],
                rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (tuples in the order of ``columns``) in the session's transaction,
    with one DBAPI ``executemany``.

    For the audited write path: SQLAlchemy's Core executemany processes every row's
    parameters in Python (a fifth of the time of saving a 21-row dosing form). The values must be
    what the driver takes as they are: text, integers, booleans and None."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.paramstyle not in ("qmark", "format", "pyformat"):
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    statement = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
                 f"VALUES ({', '.join([mark] * len(columns))})")
    connection.exec_driver_sql(statement, list(rows))
