"""Encrypted database (SQLCipher): nothing readable in the file, wrong passphrase refused,
conversion both ways from the command line, encrypted backups and restore."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ctrial_desktop.cli import main
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.backup import (
    BackupError,
    BackupService,
    check_database_file,
    convert_database_file,
    restore_database_file,
)
from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import DatabaseOpenError, open_database
from ctrial_desktop.store.models import Patient

pytest.importorskip("sqlcipher3", reason="the encryption extra (sqlcipher3) is not installed")

PASSWORD = "correct-horse-42"
PASSPHRASE = "Pomalidomide 21/28 & dexaméthasone"
#: A value typed into the database that must never be readable in an encrypted file.
SECRET_SITE = "Hopital Zephyrin-Quintavalle"
SECRET_INITIALS = "QZ"


def _fill(url: str, passphrase: str | None) -> None:
    db = open_database(url, passphrase=passphrase)
    try:
        admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
        SiteService(db, admin).create_site("01", SECRET_SITE, "Lille")
        SiteService(db, admin).set_active("01", True, "open")
        UserService(db, admin).create_user("marie", "Marie", "Durand", PASSWORD,
                                           [RoleGrant(Role.COORDINATOR, "01")])
        marie = AuthService(db).login("marie", PASSWORD)
        PatientService(db, marie).screen_patient("01", SECRET_INITIALS, "F",
                                                 birth_date=dt.date(1950, 1, 1),
                                                 consent_date=dt.date(2010, 2, 1))
    finally:
        db.dispose()


def _raw(path: Path) -> bytes:
    """Every byte written for the database: the file and any journal beside it."""
    data = path.read_bytes()
    for suffix in ("-wal", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            data += companion.read_bytes()
    return data


def _initials(url: str, passphrase: str | None = None) -> list[str]:
    db = open_database(url, passphrase=passphrase)
    try:
        with db.read() as s:
            return list(s.scalars(select(Patient.initials)))
    finally:
        db.dispose()


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "plain.sqlite3"
    _fill(f"sqlite:///{path}", None)
    return path


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "secret.sqlite3"
    _fill(f"sqlite:///{path}", PASSPHRASE)
    return path


@pytest.fixture
def no_env_passphrase(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("CTRIAL_PASSPHRASE", raising=False)
    yield


def test_plain_file_shows_the_data_and_encrypted_file_does_not(plain: Path,
                                                               encrypted: Path) -> None:
    assert SECRET_SITE.encode() in _raw(plain)  # the probe works on a plain file
    raw = _raw(encrypted)
    assert SECRET_SITE.encode() not in raw
    assert b"SQLite format 3" not in raw
    assert b"audit_trail" not in raw and b"CREATE TABLE" not in raw
    assert _initials(f"sqlite:///{encrypted}", PASSPHRASE) == [SECRET_INITIALS]


def test_wrong_or_missing_passphrase_is_refused_and_the_file_untouched(
        encrypted: Path, no_env_passphrase: None) -> None:
    before = encrypted.read_bytes()
    with pytest.raises(DatabaseOpenError, match="wrong passphrase"):
        open_database(f"sqlite:///{encrypted}", passphrase="not the passphrase")
    with pytest.raises(DatabaseOpenError, match="encrypted: give its passphrase"):
        open_database(f"sqlite:///{encrypted}")
    assert encrypted.read_bytes() == before
    assert not check_database_file(encrypted, "not the passphrase").ok


def test_plain_file_opened_with_a_passphrase_is_refused(plain: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="not encrypted"):
        open_database(f"sqlite:///{plain}", passphrase=PASSPHRASE)


def test_commands_open_an_encrypted_file_with_the_environment_passphrase(
        encrypted: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{encrypted}"
    monkeypatch.setenv("CTRIAL_PASSPHRASE", PASSPHRASE)
    assert main(["--db", url, "audit", "verify"]) == 0
    assert "audit trail OK" in capsys.readouterr().out
    monkeypatch.setenv("CTRIAL_PASSPHRASE", "wrong")
    assert main(["--db", url, "audit", "verify"]) == 2
    assert "wrong passphrase" in capsys.readouterr().err


def test_cli_encrypt_then_decrypt(plain: Path, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CTRIAL_PASSPHRASE", PASSPHRASE)
    secret = tmp_path / "out" / "secret.sqlite3"
    assert main(["--db", f"sqlite:///{plain}", "encrypt", "--out", str(secret)]) == 0
    assert "encrypted copy written" in capsys.readouterr().out
    assert SECRET_SITE.encode() not in _raw(secret)
    assert _initials(f"sqlite:///{secret}", PASSPHRASE) == [SECRET_INITIALS]
    back = tmp_path / "back.sqlite3"
    assert main(["--db", f"sqlite:///{secret}", "decrypt", "--out", str(back)]) == 0
    assert SECRET_SITE.encode() in _raw(back)
    assert check_database_file(back).ok
    assert _initials(f"sqlite:///{back}") == [SECRET_INITIALS]
    # refusals: existing target, wrong passphrase, wrong direction, no passphrase
    assert main(["--db", f"sqlite:///{plain}", "encrypt", "--out", str(secret)]) == 2
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setenv("CTRIAL_PASSPHRASE", "wrong")
    assert main(["--db", f"sqlite:///{secret}", "decrypt", "--out",
                 str(tmp_path / "x.sqlite3")]) == 2
    assert "wrong passphrase" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite3").exists()
    assert main(["--db", f"sqlite:///{plain}", "decrypt", "--out",
                 str(tmp_path / "y.sqlite3")]) == 2
    assert "is not encrypted" in capsys.readouterr().err
    monkeypatch.delenv("CTRIAL_PASSPHRASE")
    assert main(["--db", f"sqlite:///{plain}", "encrypt", "--out",
                 str(tmp_path / "z.sqlite3")]) == 2
    assert "no passphrase" in capsys.readouterr().err


def test_conversion_refuses_an_empty_passphrase(plain: Path, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="empty"):
        convert_database_file(plain, tmp_path / "e.sqlite3", encrypt=True, passphrase="")


def test_backups_of_an_encrypted_database_stay_encrypted_and_restore(
        encrypted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    db = open_database(f"sqlite:///{encrypted}", passphrase=PASSPHRASE)
    try:
        assert db.encrypted
        copy = BackupService(db, tmp_path / "backups").backup_now()
    finally:
        db.dispose()
    assert SECRET_SITE.encode() not in _raw(copy)
    assert check_database_file(copy, PASSPHRASE).ok
    assert not check_database_file(copy).ok
    target = tmp_path / "restored.sqlite3"
    with pytest.raises(BackupError, match="wrong passphrase"):
        restore_database_file(target, copy, passphrase="wrong")
    assert not target.exists()
    monkeypatch.setenv("CTRIAL_PASSPHRASE", PASSPHRASE)
    assert main(["--db", f"sqlite:///{target}", "restore", str(copy)]) == 0
    capsys.readouterr()
    assert _initials(f"sqlite:///{target}", PASSPHRASE) == [SECRET_INITIALS]
