"""Fixtures shared by the unit tests: a fresh migrated database per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database, open_database

PASSWORD = "correct-horse-42"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'trial.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture
def admin(db: Database) -> Actor:
    return AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)


@pytest.fixture
def sites(db: Database, admin: Actor) -> list[str]:
    service = SiteService(db, admin)
    service.create_site("01", "CHRU de Lille", "Lille")
    service.create_site("02", "CHU de Nantes", "Nantes")
    service.create_site("03", "CHU de Toulouse", "Toulouse")
    for code in ("01", "02"):
        service.set_active(code, True, "site initiation visit done")
    return ["01", "02", "03"]


def make_user(db: Database, admin: Actor, username: str, *grants: RoleGrant) -> Actor:
    """Create a user with the given roles and log them in."""
    UserService(db, admin).create_user(username, username.title(), "Tester", PASSWORD, grants)
    return AuthService(db).login(username, PASSWORD)


@pytest.fixture
def coordinator(db: Database, admin: Actor, sites: list[str]) -> Actor:
    return make_user(db, admin, "marie", RoleGrant(Role.COORDINATOR, "01"))


@pytest.fixture
def today() -> dt.date:
    return dt.date(2010, 3, 1)


@pytest.fixture(scope="session")
def study():  # type: ignore[no-untyped-def]
    from ctrial_desktop.paths import forms_dir
    from ctrial_desktop.study.loader import load_study

    return load_study(forms_dir())


def demo_copy(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, name: str,
              **demo: object) -> Iterator[Database]:
    """A fresh copy of a ``ctrial demo`` database built once per test session under
    ``name`` (``demo`` are the arguments of ``build_demo``); for ``yield from`` in a
    fixture."""
    from ctrial_desktop.services.demo import build_demo

    template = tmp_path_factory.getbasetemp() / f"{name}-template.sqlite3"
    if not template.exists():
        built = open_database(f"sqlite:///{template}")
        build_demo(built, **demo)  # type: ignore[arg-type]
        built.dispose()
    copy = tmp_path / f"{name}.sqlite3"
    copy.write_bytes(template.read_bytes())
    database = open_database(f"sqlite:///{copy}")
    yield database
    database.dispose()
