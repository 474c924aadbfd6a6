"""Migration 0008: one form instance per planned day of a visit; old rows become day 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from ctrial_desktop.store.database import (
    alembic_config,
    create_db_engine,
    current_revision,
    head_revision,
    open_database,
)

_FORM = ("INSERT INTO form_data (patient_id, event_oid, event_repeat, form_oid, form_version, "
         "status, signed, locked, verified, active, version, updated_at) VALUES "
         "(1, 'SE.CYCLE', 2, 'F.HEM', '1.0', 'complete', {f}, {f}, {f}, {t}, 3, "
         "'2010-03-01 10:00:00')")


def _fill_a_0007_database(engine: Engine) -> None:
    """A database of the previous release with a patient, one form, a value and a draft."""
    command.upgrade(alembic_config(engine), "0007")
    t, f = ("true", "false") if engine.dialect.name == "postgresql" else ("1", "0")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO site (id, code, name, city, active, created_at) "
                          f"VALUES (1, '01', 'Lille', '', {t}, '2010-01-01')"))
        conn.execute(text("INSERT INTO app_user (id, username, first_name, last_name, "
                          "password_hash, active, locked, failed_attempts, "
                          "must_change_password, language, created_at) VALUES (1, 'marie', "
                          f"'Marie', 'Durand', 'x', {t}, {f}, 0, {f}, '', '2010-01-01')"))
        conn.execute(text("INSERT INTO patient (id, site_id, sequence, patient_number, "
                          "initials, sex, status, screen_fail_reason, locked, active, "
                          f"created_at) VALUES (1, 1, 1, '01-001', 'MD', 'F', 'on_treatment', "
                          f"'', {f}, {t}, '2010-01-01')"))
        conn.execute(text(_FORM.format(t=t, f=f)))
        conn.execute(text("INSERT INTO item_value (form_data_id, item_group_oid, group_repeat, "
                          "item_oid, value, active) VALUES "
                          f"(1, 'IG.HEM.MAIN', 1, 'I.HEM.ANC', '1.20', {t})"))
        conn.execute(text("INSERT INTO form_draft (user_id, patient_id, event_oid, "
                          "event_repeat, form_oid, payload, updated_at) VALUES "
                          "(1, 1, 'SE.CYCLE', 3, 'F.HEM', '[]', '2010-03-02 10:00:00')"))


def _check_upgraded(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    t, f = ("true", "false") if engine.dialect.name == "postgresql" else ("1", "0")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id, visit_day, version FROM form_data")).all() == [
            (1, 1, 3)]
        assert conn.execute(text("SELECT form_data_id, value FROM item_value")).all() == [
            (1, "1.20")]
        assert conn.execute(text("SELECT visit_day FROM form_draft")).all() == [(1,)]
        # The same form on day 8 of the cycle is another instance...
        conn.execute(text(_FORM.format(t=t, f=f).replace(
            "form_version,", "visit_day, form_version,").replace("'F.HEM', '1.0'",
                                                                 "'F.HEM', 8, '1.0'")))
    # ...but day 1 a second time is refused.
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(_FORM.format(t=t, f=f)))
    with engine.begin() as conn:
        assert conn.execute(text("SELECT visit_day FROM form_data ORDER BY visit_day")
                            ).scalars().all() == [1, 8]


def test_upgrade_from_0007_makes_existing_forms_and_drafts_day_1(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    _fill_a_0007_database(engine)
    engine.dispose()
    db = open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk")
    try:
        _check_upgraded(db.engine)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose()
    assert len(list((tmp_path / "bk").glob("*.sqlite3"))) == 1


def test_downgrade_to_0007_keeps_day_1(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    _fill_a_0007_database(engine)
    command.upgrade(alembic_config(engine), "head")
    command.downgrade(alembic_config(engine), "0007")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT id, version FROM form_data")).all() == [(1, 3)]
        assert conn.execute(text("SELECT value FROM item_value")).scalars().all() == ["1.20"]
    engine.dispose()


@pytest.mark.postgres
def test_upgrade_from_0007_on_postgresql() -> None:
    from tests.pg_fixtures import require_server
    from tests.pg_support import fresh_database

    with fresh_database(require_server()) as url:
        engine = create_db_engine(url)
        try:
            _fill_a_0007_database(engine)
        finally:
            engine.dispose()
        db = open_database(url)
        try:
            _check_upgraded(db.engine)
        finally:
            db.dispose()
