"""The store on PostgreSQL: schema and migrations, append-only audit trail, row locks, URLs."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from alembic import command
from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from ctrial_desktop.store.audit import SYSTEM_CONTEXT, verify
from ctrial_desktop.store.database import (
    Database,
    DatabaseOpenError,
    alembic_config,
    current_revision,
    head_revision,
    open_database,
)
from ctrial_desktop.store.models import AuditHead, AuditRecord, Base, Site
from ctrial_desktop.store.triggers import (
    APPEND_ONLY_MESSAGE,
    FIXED_KEY_MESSAGE,
    SET_ONCE_MESSAGE,
)
from tests import pg_fixtures

pytestmark = pytest.mark.postgres

pg_url = pg_fixtures.pg_url
pg_db = pg_fixtures.pg_db


def _site(code: str) -> Site:
    return Site(code=code, name=f"Centre {code}", city="Lille", active=False,
                created_at=dt.datetime(2010, 1, 1))


def _two_sites(db: Database) -> None:
    with db.write() as s:
        db.audit.insert(s, SYSTEM_CONTEXT, _site("01"))
        db.audit.insert(s, SYSTEM_CONTEXT, _site("02"))


def test_new_database_is_migrated_to_head_with_every_table(pg_db: Database) -> None:
    assert pg_db.engine.dialect.name == "postgresql"
    assert pg_db.file_path is None
    assert current_revision(pg_db.engine) == head_revision()
    assert set(Base.metadata.tables) <= set(inspect(pg_db.engine).get_table_names())
    assert "***" in pg_db.display_name or make_url(pg_db.url).password is None


def test_bare_postgresql_url_uses_psycopg(pg_url: str) -> None:
    bare = make_url(pg_url).set(drivername="postgresql").render_as_string(hide_password=False)
    db = open_database(bare)
    try:
        assert db.engine.dialect.driver == "psycopg"
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()


def test_downgrade_to_base_and_upgrade_again(pg_db: Database) -> None:
    config = alembic_config(pg_db.engine)
    command.downgrade(config, "base")
    assert current_revision(pg_db.engine) is None
    assert "audit_trail" not in inspect(pg_db.engine).get_table_names()
    command.upgrade(config, "head")
    assert current_revision(pg_db.engine) == head_revision()


@pytest.mark.parametrize("statement", [
    "UPDATE audit_trail SET reason = 'forged'",
    "DELETE FROM audit_trail",
    "TRUNCATE audit_trail",
])
def test_trigger_refuses_to_change_the_audit_trail(pg_db: Database, statement: str) -> None:
    _two_sites(pg_db)
    with pytest.raises(DBAPIError, match=APPEND_ONLY_MESSAGE), pg_db.write() as s:
        s.execute(text(statement))
    with pg_db.read() as s:
        assert s.scalar(select(AuditRecord.id).where(AuditRecord.reason == "forged")) is None
        result = verify(s)
    assert result.ok and result.records == 2 * len(Site.__audited__)


def test_tampered_record_is_named_once_the_trigger_is_dropped(pg_db: Database) -> None:
    _two_sites(pg_db)
    with pg_db.write() as s:
        s.execute(text("DROP TRIGGER audit_trail_no_change ON audit_trail"))
        s.execute(text("UPDATE audit_trail SET reason = 'forged' WHERE seq = 3"))
    with pg_db.read() as s:
        result = verify(s)
    assert result.first_broken_seq == 3
    assert "audit record #3" in result.problems[0]


def test_removed_tail_and_edits_behind_the_application_are_found(pg_db: Database) -> None:
    _two_sites(pg_db)
    with pg_db.write() as s:
        s.execute(text("DROP TRIGGER audit_trail_no_change ON audit_trail"))
        s.execute(text("DELETE FROM audit_trail WHERE seq = (SELECT MAX(seq) FROM audit_trail)"))
        s.execute(text("UPDATE site SET name = 'Forged' WHERE code = '01'"))
    with pg_db.read() as s:
        problems = verify(s).problems
    assert any("records were removed" in p for p in problems)
    assert any("name is 'Forged'" in p for p in problems)


def test_audit_head_row_lock_serializes_writers(pg_db: Database) -> None:
    """A second writer waits for the first one's lock on the audit head (FOR UPDATE)."""
    _two_sites(pg_db)
    started = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def first() -> None:
        with pg_db.write() as s:
            pg_db.audit.insert(s, SYSTEM_CONTEXT, _site("03"))
            started.set()
            release.wait(timeout=30)
            order.append("first commits")

    thread = threading.Thread(target=first)
    thread.start()
    assert started.wait(timeout=30)
    with pytest.raises(OperationalError, match="lock timeout"), pg_db.write() as s:
        s.execute(text("SET LOCAL lock_timeout = '300ms'"))
        s.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    release.set()
    thread.join(timeout=30)
    with pg_db.write() as s:
        pg_db.audit.insert(s, SYSTEM_CONTEXT, _site("04"))
        order.append("second commits")
    assert order == ["first commits", "second commits"]
    with pg_db.read() as s:
        assert verify(s).ok
        assert s.scalar(select(AuditHead.last_seq)) == 4 * len(Site.__audited__)


def test_unreachable_server_is_a_clear_error() -> None:
    pg_fixtures.require_server()
    with pytest.raises(DatabaseOpenError, match="cannot open the database"):
        open_database("postgresql+psycopg://nobody:x@127.0.0.1:9/none?connect_timeout=2")


@pytest.mark.parametrize("statement", [
    "UPDATE item_value SET item_oid = 'I.DEMOG.AGE'",
    "UPDATE item_value SET group_repeat = 2",
    "UPDATE form_data SET patient_id = patient_id + 1",
    "UPDATE form_data SET visit_day = 8",
])
def test_what_a_stored_row_is_about_cannot_change(pg_db: Database, statement: str) -> None:
    from tests.unit.store.test_audit import _form_with_value

    _form_with_value(pg_db)
    with pytest.raises(DBAPIError, match=FIXED_KEY_MESSAGE), pg_db.write() as s:
        s.execute(text(statement))
    with pg_db.write() as s:  # the key kept as it is: allowed
        s.execute(text("UPDATE item_value SET item_oid = item_oid"))
    with pg_db.read() as s:
        assert verify(s).ok


def test_a_randomized_patients_arm_is_set_once(pg_db: Database) -> None:
    from tests.unit.store.test_audit import _form_with_value

    _form_with_value(pg_db)
    with pg_db.write() as s:
        s.execute(text("UPDATE patient SET arm = 'POM21'"))
    with pytest.raises(DBAPIError, match=SET_ONCE_MESSAGE), pg_db.write() as s:
        s.execute(text("UPDATE patient SET arm = 'POM28'"))


@pytest.mark.parametrize(("trigger", "table"), [
    ("item_value_fixed_key", "item_value"), ("form_data_fixed_key", "form_data"),
    ("patient_arm_set_once", "patient"), ("audit_trail_no_change", "audit_trail")])
def test_a_dropped_protecting_trigger_is_reported(pg_db: Database, trigger: str,
                                                  table: str) -> None:
    _two_sites(pg_db)
    with pg_db.write() as s:
        s.execute(text(f"DROP TRIGGER {trigger} ON {table}"))
    with pg_db.read() as s:
        problems = verify(s).problems
    assert problems == (f"the database trigger {trigger} is missing: {table} can be changed "
                        "behind the application",)
