"""Opening, migrating, backing up and refusing databases."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, UniqueConstraint, inspect, text

from ctrial_desktop.store.audit import SYSTEM_CONTEXT
from ctrial_desktop.store.database import (
    DatabaseOpenError,
    current_revision,
    head_revision,
    open_database,
)
from ctrial_desktop.store.models import Base, Site


def test_new_file_is_created_at_head_with_every_table(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'new' / 't.sqlite3'}")
    assert current_revision(db.engine) == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    db.dispose()


def test_sqlite_pragmas(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    db.dispose()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}")
    with pytest.raises(Exception, match="FOREIGN KEY"), db.write() as s:
        s.execute(text("INSERT INTO role_assignment (user_id, site_id, role, active) "
                       "VALUES (99, NULL, 'monitor', 1)"))
    db.dispose()


def test_upgrade_from_empty_then_downgrade_and_up_again(tmp_path: Path) -> None:
    from alembic import command

    from ctrial_desktop.store.database import alembic_config

    db = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}")
    config = alembic_config(db.engine)
    command.downgrade(config, "base")
    assert current_revision(db.engine) is None
    command.upgrade(config, "head")
    assert current_revision(db.engine) == head_revision()
    db.dispose()


def test_upgrade_from_the_previous_revision_keeps_data_and_takes_a_backup(tmp_path: Path) -> None:
    from alembic import command

    from ctrial_desktop.store.database import alembic_config, create_db_engine

    path = tmp_path / "t.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001")  # a database of the first release
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO site (code, name, city, active, created_at) "
                          "VALUES ('01', 'Lille', '', 1, '2010-01-01')"))
    engine.dispose()
    db = open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk")
    assert current_revision(db.engine) == head_revision()
    with db.read() as s:
        assert s.execute(text("SELECT name FROM site")).scalar() == "Lille"
        assert s.execute(text("SELECT COUNT(*) FROM randomization")).scalar() == 0
    db.dispose()
    backups = list((tmp_path / "bk").glob("*.sqlite3"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    assert con.execute("SELECT name FROM site").fetchall() == [("Lille",)]
    con.close()


def test_opening_an_up_to_date_file_takes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk").dispose()
    open_database(f"sqlite:///{path}", backup_dir=tmp_path / "bk").dispose()
    assert not (tmp_path / "bk").exists()


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseOpenError, match="newer version"):
        open_database(f"sqlite:///{path}")


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"these are my notes, not a database" * 10)
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="not a SQLite file"):
        open_database(f"sqlite:///{path}")
    assert path.read_bytes() == before


def test_online_backup_is_a_complete_copy(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}")
    with db.write() as s:
        db.audit.insert(s, SYSTEM_CONTEXT, Site(code="01", name="Lille", city="", active=True,
                                                created_at=dt.datetime(2010, 1, 1)))
    target = db.backup(tmp_path / "copy.sqlite3")
    copy = open_database(f"sqlite:///{target}")
    from ctrial_desktop.store.audit import verify

    with copy.read() as s:
        assert verify(s).ok and verify(s).records == len(Site.__audited__)
    copy.dispose()
    with pytest.raises(FileExistsError):
        db.backup(target)
    db.dispose()


def test_schema_head_constant_matches_the_migration_scripts() -> None:
    from ctrial_desktop.store.database import SCHEMA_HEAD

    assert head_revision() == SCHEMA_HEAD


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "t.sqlite3"
    open_database(f"sqlite:///{path}").dispose()
    code = ("import sys; from ctrial_desktop.store.database import open_database; "
            f"open_database('sqlite:///{path}').dispose(); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"


def test_upgrade_to_0007_finds_the_audit_range_of_earlier_imports(tmp_path: Path) -> None:
    from alembic import command

    from ctrial_desktop.store.database import alembic_config, create_db_engine

    path = tmp_path / "t.sqlite3"
    engine = create_db_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0006")
    reason = "import of site 01 transfer file s.xml (SHA-256 " + "ab" * 8 + ")"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO exchange_import (sha256, site_code, file_name, file_oid, chain_seq, "
            "chain_hash, imported_by, imported_at, summary) VALUES (:sha, '01', 's.xml', 'F', "
            "9, 'h', 'dm', '2026-01-01', '{}')"), {"sha": "ab" * 32})
        for seq, why in ((1, "set-up"), (2, reason), (3, reason + "; site audit trail #1-9"),
                         (4, "later")):
            conn.execute(text(
                "INSERT INTO audit_trail (seq, timestamp_utc, user_id, username, role, "
                "site_code, session_id, action, table_name, record_id, item, reason, "
                "prev_hash, hash) VALUES (:seq, 't', NULL, 'dm', 'data_manager', '', 's', "
                "'INSERT', 'patient', 1, 'status', :why, 'p', 'h')"), {"seq": seq, "why": why})
    command.upgrade(alembic_config(engine), "0007")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT audit_first_seq, audit_last_seq "
                                 "FROM exchange_import")).one() == (2, 3)
    engine.dispose()


def test_an_older_sqlite_library_is_refused_with_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The driver module SQLAlchemy's SQLite dialect uses.
    monkeypatch.setattr(sqlite3.dbapi2, "sqlite_version_info", (3, 34, 1))
    target = tmp_path / "trial.sqlite3"
    with pytest.raises(DatabaseOpenError, match=r"SQLite 3\.34\.1; ctrial needs SQLite 3\.35\.0"):
        open_database(f"sqlite:///{target}")
    monkeypatch.setattr(sqlite3.dbapi2, "sqlite_version_info", (3, 35, 0))
    open_database(f"sqlite:///{target}").dispose()


def _indexes(engine: Engine, table: str) -> set[tuple[str | None, tuple[str, ...], bool]]:
    return {(ix["name"], tuple(c or "" for c in ix["column_names"]), bool(ix["unique"]))
            for ix in inspect(engine).get_indexes(table)}


def test_the_migrations_build_the_indexes_and_unique_keys_the_models_declare(
        tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}")
    inspector = inspect(db.engine)
    for table in Base.metadata.sorted_tables:
        declared = {(ix.name, tuple(c.name for c in ix.columns), bool(ix.unique))
                    for ix in table.indexes}
        assert _indexes(db.engine, table.name) == declared, table.name
        uniques = {tuple(c.name for c in constraint.columns) for constraint in table.constraints
                   if isinstance(constraint, UniqueConstraint)}
        assert {tuple(u["column_names"]) for u in inspector.get_unique_constraints(
            table.name)} == uniques, table.name
    db.dispose()


def test_upgrade_to_0010_drops_the_indexes_a_unique_key_already_gives(tmp_path: Path) -> None:
    from alembic import command

    from ctrial_desktop.store.database import alembic_config, create_db_engine

    engine = create_db_engine(f"sqlite:///{tmp_path / 't.sqlite3'}")
    config = alembic_config(engine)
    command.upgrade(config, "0009")
    redundant = {("form_data", ("ix_form_data_patient_id", ("patient_id",), False)),
                 ("item_value", ("ix_item_value_form_data_id", ("form_data_id",), False))}
    assert all(index in _indexes(engine, table) for table, index in redundant)
    command.upgrade(config, "0010")
    assert not any(index in _indexes(engine, table) for table, index in redundant)
    with engine.connect() as conn:  # the unique key's index serves the searches
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM item_value WHERE form_data_id = 1"))
        assert "uq_item_value" in plan or "sqlite_autoindex_item_value" in plan
        plan = " ".join(str(row[-1]) for row in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM form_data WHERE patient_id = 1"))
        assert "uq_form_instance" in plan or "sqlite_autoindex_form_data" in plan
    command.downgrade(config, "0009")
    assert all(index in _indexes(engine, table) for table, index in redundant)
    engine.dispose()
