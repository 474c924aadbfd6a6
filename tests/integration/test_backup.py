"""Automatic rotating backups, checked restore, and corrupt files that are never overwritten."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from ctrial_desktop.cli import main
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.backup import (
    BackupError,
    BackupService,
    check_database_file,
    restore_database_file,
)
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database, DatabaseOpenError, open_database
from ctrial_desktop.store.models import Site

PASSWORD = "correct-horse-42"
START = dt.datetime(2010, 3, 1, 8, 0, tzinfo=dt.UTC)


class FakeClock:
    """A settable UTC clock."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += dt.timedelta(**kwargs)


def _with_sites(db: Database, *codes: str) -> None:
    admin = AuthService(db)
    actor = (admin.create_first_administrator("admin", "Ada", "Admin", PASSWORD)
             if not admin.has_users() else admin.login("admin", PASSWORD))
    for code in codes:
        SiteService(db, actor).create_site(code, f"Centre {code}", "Lille")


def _site_codes(path: Path) -> list[str]:
    db = open_database(f"sqlite:///{path}")
    try:
        with db.read() as s:
            return list(s.scalars(select(Site.code).order_by(Site.code)))
    finally:
        db.dispose()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'trial.sqlite3'}")
    _with_sites(database, "01")
    yield database
    database.dispose()


def test_backup_is_taken_when_due_and_old_copies_rotate(db: Database, tmp_path: Path) -> None:
    clock = FakeClock(START)
    service = BackupService(db, tmp_path / "backups", keep=3,
                            interval=dt.timedelta(hours=6), clock=clock)
    first = service.maybe_backup()
    assert first is not None and first.name == "trial-auto-20100301T080000Z.sqlite3"
    clock.advance(hours=5, minutes=59)
    assert not service.due() and service.maybe_backup() is None
    taken = [first]
    for _ in range(4):
        clock.advance(hours=6)
        path = service.maybe_backup()
        assert path is not None
        taken.append(path)
    kept = [c.path for c in service.copies()]
    assert kept == taken[-3:]
    assert not any(p.exists() for p in taken[:2])
    assert service.last_backup() is not None
    assert service.last_backup().taken_at == START + dt.timedelta(hours=5, minutes=59, seconds=0) \
        + dt.timedelta(hours=24)
    assert all(check_database_file(p).ok for p in kept)


def test_clock_set_back_takes_a_copy_and_same_second_does_not_clash(db: Database,
                                                                    tmp_path: Path) -> None:
    clock = FakeClock(START)
    service = BackupService(db, tmp_path / "b", keep=5, interval=dt.timedelta(hours=1),
                            clock=clock)
    service.backup_now()
    second = service.backup_now()  # same second: a distinct name
    assert second.name.endswith("-1.sqlite3")
    clock.advance(days=-2)
    assert service.due()
    assert len(service.copies()) == 2


def test_backup_holds_the_data_of_the_moment(db: Database, tmp_path: Path) -> None:
    service = BackupService(db, tmp_path / "b", clock=FakeClock(START))
    path = service.backup_now()
    _with_sites(db, "02")
    assert _site_codes(path) == ["01"]
    assert check_database_file(path).audit_records > 0


def test_in_memory_database_has_no_file_backups(tmp_path: Path) -> None:
    memory = open_database("sqlite://")
    try:
        service = BackupService(memory, tmp_path / "b")
        assert not service.enabled and service.maybe_backup() is None
        with pytest.raises(BackupError, match="SQLite database file"):
            service.backup_now()
    finally:
        memory.dispose()


def test_invalid_settings_are_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="keep"):
        BackupService(db, tmp_path, keep=0)
    with pytest.raises(ValueError, match="negative"):
        BackupService(db, tmp_path, interval=dt.timedelta(hours=-1))


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 + 100, len(data), 4096):  # every page but the first
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


@pytest.fixture
def backup_file(db: Database, tmp_path: Path) -> Path:
    return BackupService(db, tmp_path / "b", clock=FakeClock(START)).backup_now()


def test_check_finds_corruption_truncation_and_foreign_files(backup_file: Path,
                                                             tmp_path: Path) -> None:
    assert check_database_file(backup_file).ok
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(backup_file.read_bytes())
    _corrupt(corrupt)
    assert not check_database_file(corrupt).ok
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(backup_file.read_bytes()[: 3 * 4096])
    assert not check_database_file(truncated).ok
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database", encoding="utf-8")
    assert "not a SQLite database" in check_database_file(text_file).problems[0]
    assert not check_database_file(tmp_path / "missing.sqlite3").ok


def test_check_finds_a_broken_audit_chain(backup_file: Path) -> None:
    db = open_database(f"sqlite:///{backup_file}")
    with db.write() as s:
        s.execute(text("UPDATE site SET name = 'Forged'"))
    db.dispose()
    check = check_database_file(backup_file)
    assert not check.ok and "Forged" in check.problems[0]


def test_restore_keeps_the_current_file_aside(db: Database, backup_file: Path,
                                              tmp_path: Path) -> None:
    _with_sites(db, "02")
    db.dispose()
    database = tmp_path / "trial.sqlite3"
    before = database.read_bytes()
    result = restore_database_file(database, backup_file, clock=FakeClock(START))
    assert result.previous_kept_as == tmp_path / "trial.sqlite3.replaced-20100301T080000Z"
    assert result.previous_kept_as.read_bytes() == before
    assert _site_codes(database) == ["01"]
    assert _site_codes(result.previous_kept_as) == ["01", "02"]


def test_restore_of_a_bad_copy_changes_nothing(db: Database, backup_file: Path,
                                               tmp_path: Path) -> None:
    db.dispose()
    database = tmp_path / "trial.sqlite3"
    before = database.read_bytes()
    _corrupt(backup_file)
    with pytest.raises(BackupError, match="was not restored"):
        restore_database_file(database, backup_file)
    assert database.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("trial.sqlite3.")) \
        == []


def test_cli_restore(db: Database, backup_file: Path, tmp_path: Path,
                     capsys: pytest.CaptureFixture[str]) -> None:
    _with_sites(db, "02")
    db.dispose()
    url = f"sqlite:///{tmp_path / 'trial.sqlite3'}"
    assert main(["--db", url, "restore", str(backup_file)]) == 0
    out = capsys.readouterr().out
    assert "audit trail OK" in out and "previous database is kept as" in out
    assert _site_codes(tmp_path / "trial.sqlite3") == ["01"]
    _corrupt(backup_file)
    assert main(["--db", url, "restore", str(backup_file)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ctrial: error: The backup was not restored") and err.count("\n") == 1
    assert main(["--db", url, "restore", str(tmp_path / "none.sqlite3")]) == 2
    assert "file not found" in capsys.readouterr().err
    assert main(["--db", "sqlite://", "restore", str(backup_file)]) == 2
    assert "SQLite database file" in capsys.readouterr().err


def test_cli_restore_in_a_subprocess(backup_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "fresh" / "trial.sqlite3"
    done = subprocess.run([sys.executable, "-m", "ctrial_desktop.cli", "--db",
                           f"sqlite:///{target}", "restore", str(backup_file)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _site_codes(target) == ["01"]


@pytest.mark.parametrize(("damage", "expected"), [
    ("truncate", "is damaged"), ("corrupt", "is damaged"), ("garbage", "not a SQLite file")])
def test_opening_a_damaged_file_is_refused_and_never_overwritten(db: Database, tmp_path: Path,
                                                                  damage: str,
                                                                  expected: str) -> None:
    db.dispose()
    path = tmp_path / "trial.sqlite3"
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:2048])
    elif damage == "corrupt":
        data = bytearray(path.read_bytes())
        data[100:4096] = b"\x00" * (4096 - 100)  # the schema page
        path.write_bytes(bytes(data))
    else:
        path.write_bytes(b"%PDF-1.4 this is a report, not a database" * 50)
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError) as error:
        open_database(f"sqlite:///{path}")
    message = str(error.value)
    assert expected in message and "\n" not in message
    assert path.read_bytes() == before
    assert main(["--db", f"sqlite:///{path}", "audit", "verify"]) == 2
    assert path.read_bytes() == before
