"""Plain-row inserts of the audited write path (``store/bulk.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, select
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
    connection = session.connection()
    original = connection.exec_driver_sql

    def spy(statement: str, *args: object, **kwargs: object) -> object:
        statements.append(statement)
        return original(statement, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(connection, "exec_driver_sql", spy)
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
