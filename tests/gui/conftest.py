"""GUI test fixtures: a fresh migrated database and the real study definition per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.loader import load_study

PASSWORD = "correct-horse-42"


@pytest.fixture(scope="session")
def study() -> StudyDefinition:
    return load_study(forms_dir())


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'trial.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def admin(db: Database) -> Actor:
    return AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)


@pytest.fixture(autouse=True)
def _restore_default_locale() -> Iterator[None]:
    """A test that switches the language must not change number formats for the next."""
    from PySide6.QtCore import QLocale

    before = QLocale()
    yield
    QLocale.setDefault(before)
