"""User administration and the screening log."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import ValidationError
from ctrial_desktop.services.patients import PatientService, age_on
from ctrial_desktop.services.permissions import Action, Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord
from tests.unit.conftest import PASSWORD


def test_roles_per_site_are_replaced_with_a_reason(db: Database, admin: Actor,
                                                   sites: list[str]) -> None:
    users = UserService(db, admin)
    row = users.create_user("marie", "Marie", "Durand", PASSWORD,
                            [RoleGrant(Role.COORDINATOR, "01")])
    with pytest.raises(ValidationError, match="reason"):
        users.set_grants(row.id, [RoleGrant(Role.COORDINATOR, "02")], "")
    row = users.set_grants(row.id, [RoleGrant(Role.COORDINATOR, "02"),
                                    RoleGrant(Role.INVESTIGATOR, "02")], "moved to Nantes")
    assert {g.label for g in row.grants} == {"coordinator@02", "investigator@02"}
    actor = AuthService(db).login("marie", PASSWORD)
    assert actor.sites_for(Action.ENROLL) == frozenset({"02"})
    with db.read() as s:
        assert verify(s).ok


def test_unknown_site_and_duplicate_username_are_refused(db: Database, admin: Actor,
                                                         sites: list[str]) -> None:
    users = UserService(db, admin)
    with pytest.raises(ValidationError, match="Unknown site 42"):
        users.create_user("marie", "Marie", "Durand", PASSWORD, [RoleGrant(Role.COORDINATOR, "42")])
    users.create_user("marie", "Marie", "Durand", PASSWORD, [RoleGrant(Role.MONITOR, None)])
    with pytest.raises(ValidationError, match="taken"):
        users.create_user("Marie", "Other", "Person", PASSWORD, [RoleGrant(Role.MONITOR, None)])
    with pytest.raises(ValidationError, match="at least one role"):
        users.create_user("paul", "Paul", "Martin", PASSWORD, [])
    with pytest.raises(ValidationError, match="user name"):
        users.create_user("p m", "Paul", "Martin", PASSWORD, [RoleGrant(Role.MONITOR, None)])


def test_reset_password_unlocks_and_forces_a_change(db: Database, admin: Actor) -> None:
    users = UserService(db, admin)
    row = users.create_user("marie", "Marie", "Durand", PASSWORD, [RoleGrant(Role.MONITOR, None)],
                            must_change_password=False)
    users.reset_password(row.id, "temporary-pass-1", "forgotten password, identity checked")
    auth = AuthService(db)
    marie = auth.login("marie", "temporary-pass-1")
    assert auth.must_change_password(marie)


def test_administrator_cannot_disable_themselves(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationError, match="your own account"):
        UserService(db, admin).set_active(admin.user_id, False, "test")


def test_site_codes_and_activation(db: Database, admin: Actor) -> None:
    sites = SiteService(db, admin)
    assert sites.create_site("3", "CHU de Toulouse").code == "03"
    with pytest.raises(ValidationError, match="exists"):
        sites.create_site("03", "Again")
    with pytest.raises(ValidationError, match="1-3 digits"):
        sites.create_site("AB", "Letters")
    with pytest.raises(ValidationError, match="reason"):
        sites.set_active("03", True, " ")
    assert sites.set_active("03", True, "initiation visit").active


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"initials": "M1"}, "initials"),
        ({"sex": "X"}, "sex"),
        ({"birth_date": None, "birth_year": None}, "birth_date"),
        ({"birth_date": dt.date(2030, 1, 1)}, "birth_date"),
        ({"consent_date": dt.date(2030, 1, 1)}, "consent_date"),
        ({"birth_date": None, "birth_year": 1850}, "birth_year"),
    ],
)
def test_screening_input_is_checked_field_by_field(db: Database, coordinator: Actor,
                                                   kwargs: dict, field: str) -> None:
    args = {"initials": "MD", "sex": "F", "birth_date": dt.date(1950, 4, 2),
            "birth_year": None, "consent_date": dt.date(2010, 2, 1)} | kwargs
    service = PatientService(db, coordinator, today=dt.date(2011, 1, 1))
    with pytest.raises(ValidationError) as info:
        service.screen_patient("01", args.pop("initials"), args.pop("sex"), **args)
    assert field in info.value.fields
    assert service.list_patients() == []


def test_patient_numbers_follow_the_site_sequence(db: Database, coordinator: Actor) -> None:
    service = PatientService(db, coordinator)
    numbers = [service.screen_patient("01", "AB", "M", birth_year=1950).patient_number
               for _ in range(3)]
    assert numbers == ["01-001", "01-002", "01-003"]


def test_screen_failure_stays_in_the_log_with_its_reason(db: Database, coordinator: Actor) -> None:
    service = PatientService(db, coordinator)
    row = service.screen_patient("01", "AB", "M", birth_year=1950)
    with pytest.raises(ValidationError, match="reason"):
        service.record_screen_failure(row.id, "")
    failed = service.record_screen_failure(row.id, "Platelets 60 x10^9/L")
    assert failed.status == "screen_failed"
    assert [p.screen_fail_reason for p in service.list_patients()] == ["Platelets 60 x10^9/L"]
    with pytest.raises(ValidationError, match="not in screening"):
        service.record_screen_failure(row.id, "again")
    with db.read() as s:
        reasons = s.scalars(select(AuditRecord.reason).where(AuditRecord.item == "status"))
        assert "Platelets 60 x10^9/L" in list(reasons)


@pytest.mark.parametrize(
    ("birth", "year", "on", "age"),
    [
        (dt.date(1950, 3, 12), None, dt.date(2010, 3, 11), 59),
        (dt.date(1950, 3, 12), None, dt.date(2010, 3, 12), 60),
        (None, 1950, dt.date(2010, 6, 30), 59),
        (None, 1950, dt.date(2010, 7, 1), 60),
        (None, None, dt.date(2010, 7, 1), None),
    ],
)
def test_age(birth, year, on, age) -> None:
    assert age_on(birth, year, on) == age
