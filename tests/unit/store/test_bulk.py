"""Plain-row inserts of the audited write path (``store/bulk.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    insert,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ctrial_desktop.store import bulk
from ctrial_desktop.store.bulk import insert_rows, insert_rows_returning

METADATA = MetaData()
THING = Table("thing", METADATA, Column("id", Integer, primary_key=True),
              Column("name", String, nullable=False), Column("n", Integer),
              Column("note", String))
COLUMNS = ("name", "n", "note")


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    METADATA.create_all(engine)
    with Session(engine) as s, s.begin():
        yield s
    engine.dispose()


def stored(session: Session) -> dict[int, tuple[str, int | None, str | None]]:
    return {r.id: (r.name, r.n, r.note) for r in session.execute(select(THING))}


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
rows_strategy = st.lists(st.tuples(texts, st.none() | st.integers(-2**40, 2**40),
                                   st.none() | texts), max_size=60)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy)
def test_insert_rows_stores_every_row_as_given(session: Session,
                                               rows: list[tuple[str, int | None, str | None]]
                                               ) -> None:
    before = stored(session)
    insert_rows(session, THING, COLUMNS, rows)
    after = stored(session)
    assert sorted((v for k, v in after.items() if k not in before), key=repr) == sorted(
        rows, key=repr)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy)
def test_returning_hands_back_each_rows_key_with_its_columns(
        session: Session, rows: list[tuple[str, int | None, str | None]]) -> None:
    before = stored(session)
    returned = insert_rows_returning(session, THING, COLUMNS, rows, ("id", "name", "n", "note"))
    after = stored(session)
    new = {k: v for k, v in after.items() if k not in before}
    assert len(returned) == len(rows) == len(new)
    assert {r[0]: r[1:] for r in returned} == new  # every key names its own row
    assert sorted((r[1:] for r in returned), key=repr) == sorted(rows, key=repr)


def test_returning_splits_a_large_batch_under_the_parameter_limit(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "_MAX_PARAMETERS", 7)  # two rows of three columns a statement
    statements: list[str] = []
    original = bulk.driver_execute

    def spy(session: Session, statement: str, *args: Any, **kwargs: Any) -> Any:
        statements.append(statement)
        return original(session, statement, *args, **kwargs)

    monkeypatch.setattr(bulk, "driver_execute", spy)
    rows = [(f"row {i}", i, None) for i in range(5)]
    returned = insert_rows_returning(session, THING, COLUMNS, rows, ("id", "n"))
    assert [s.count("?") for s in statements] == [6, 6, 3]
    assert sorted(n for _id, n in returned) == list(range(5))
    assert {n: k for k, (_name, n, _note) in stored(session).items()} == dict(
        (n, k) for k, n in returned)


def test_nothing_to_insert_runs_no_statement(session: Session) -> None:
    assert insert_rows_returning(session, THING, COLUMNS, [], ("id",)) == []
    insert_rows(session, THING, COLUMNS, [])
    assert stored(session) == {}


EVENT = Table("event", METADATA, Column("id", Integer, primary_key=True),
              Column("at", DateTime, nullable=False), Column("done", Boolean, nullable=False),
              Column("note", String))
EVENT_COLUMNS = ("at", "done", "note")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1))
                               .map(lambda at: at.replace(fold=0)),  # not stored
                               st.booleans(), st.none() | texts), min_size=1, max_size=20))
def test_values_go_through_their_column_type_as_a_core_insert_would_store_them(
        session: Session, rows: list[tuple[dt.datetime, bool, str | None]]) -> None:
    """A date and time is stored as the same text as SQLAlchemy's own insert writes (the
    driver alone would write another text, or refuse it)."""
    connection = session.connection()
    connection.execute(delete(EVENT))
    connection.execute(insert(EVENT), [dict(zip(EVENT_COLUMNS, row, strict=True))
                                       for row in rows])
    expected = connection.exec_driver_sql(
        "SELECT at, done, note FROM event ORDER BY id").fetchall()
    connection.execute(delete(EVENT))
    insert_rows(session, EVENT, EVENT_COLUMNS, rows)
    assert connection.exec_driver_sql(
        "SELECT at, done, note FROM event ORDER BY id").fetchall() == expected
    connection.execute(delete(EVENT))
    returned = insert_rows_returning(session, EVENT, EVENT_COLUMNS, rows, ("id",))
    assert len(returned) == len(rows)
    assert sorted(connection.exec_driver_sql("SELECT at, done, note FROM event").fetchall(),
                  key=repr) == sorted(expected, key=repr)
    assert sorted((tuple(r) for r in connection.execute(
        select(EVENT.c.at, EVENT.c.done, EVENT.c.note))), key=repr) == sorted(rows, key=repr)


@pytest.mark.parametrize(("style", "expected"), [
    ("qmark", "UPDATE t SET a = ?, b = '5%' WHERE c = ?"),
    ("format", "UPDATE t SET a = %s, b = '5%%' WHERE c = %s"),
    ("pyformat", "UPDATE t SET a = %s, b = '5%%' WHERE c = %s"),
    ("numeric", "UPDATE t SET a = :1, b = '5%' WHERE c = :2"),
    ("named", "UPDATE t SET a = :p0, b = '5%' WHERE c = :p1"),
])
def test_a_statement_is_put_in_the_drivers_parameter_style(style: str, expected: str) -> None:
    assert bulk._in_style("UPDATE t SET a = ?, b = '5%' WHERE c = ?", style) == expected


def test_a_driver_error_is_raised_as_sqlalchemys(session: Session) -> None:
    insert_rows(session, THING, COLUMNS, [("a", 1, None)])
    (key,) = session.execute(select(THING.c.id)).scalars()
    with pytest.raises(IntegrityError):
        insert_rows(session, THING, ("id", *COLUMNS), [(key, "again", 2, None)])
    with pytest.raises(IntegrityError):
        bulk.driver_execute(session, "INSERT INTO thing (id, name) VALUES (?, ?)", (key, "b"))


def test_a_statement_returns_its_rows(session: Session) -> None:
    insert_rows(session, THING, COLUMNS, [("a", 1, None), ("b", 2, "x")])
    assert bulk.driver_execute(session, "SELECT name, note FROM thing WHERE n >= ? ORDER BY n",
                               (1,)) == [("a", None), ("b", "x")]
    assert bulk.driver_execute(session, "UPDATE thing SET n = n + ? WHERE name = ?",
                               (10, "a")) == []
    assert sorted(stored(session).values()) == [("a", 11, None), ("b", 2, "x")]


def test_a_select_gives_each_value_as_sqlalchemys_select_would(session: Session) -> None:
    """A date and time stored as text on SQLite, and a boolean stored as 0 or 1, come back
    as a datetime and a bool (the driver alone gives the text and the integer)."""
    rows = [(dt.datetime(2011, 7, 18, 9, 30, 0, 250), True, "a"),
            (dt.datetime(1999, 12, 31), False, None)]
    insert_rows(session, EVENT, EVENT_COLUMNS, rows)
    columns = (EVENT.c.at, EVENT.c.done, EVENT.c.note)
    found = bulk.select_rows(session, "SELECT at, done, note FROM event WHERE id > ? ORDER BY id",
                             (0,), columns)
    assert found == [tuple(r) for r in session.execute(select(*columns).order_by(EVENT.c.id))]
    assert found == rows
    assert [type(v) for v in found[0]] == [dt.datetime, bool, str]
    assert bulk.select_rows(session, "SELECT at, done, note FROM event WHERE id < ?", (0,),
                            columns) == []
