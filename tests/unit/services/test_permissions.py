"""The role x action matrix, site scoping and site activation, enforced in services."""

from __future__ import annotations

import datetime as dt

import pytest

from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import MATRIX, Action, Role, role_allows
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database
from tests.unit.conftest import PASSWORD, make_user

EXPECTED = {
    # action: roles allowed
    Action.MANAGE_USERS: {Role.ADMINISTRATOR},
    Action.MANAGE_SITES: {Role.ADMINISTRATOR},
    Action.ENTER_DATA: {Role.INVESTIGATOR, Role.COORDINATOR},
    Action.ENROLL: {Role.INVESTIGATOR, Role.COORDINATOR},
    Action.RANDOMIZE: {Role.INVESTIGATOR, Role.COORDINATOR},
    Action.SIGN: {Role.INVESTIGATOR},
    Action.RAISE_QUERY: {Role.MONITOR, Role.DATA_MANAGER},
    Action.VERIFY_SOURCE: {Role.MONITOR},
    Action.LOCK: {Role.DATA_MANAGER},
    Action.EXPORT: {Role.DATA_MANAGER},
    Action.MANAGE_LAB_RANGES: {Role.DATA_MANAGER},
    Action.VIEW_PATIENTS: {Role.DATA_MANAGER, Role.INVESTIGATOR, Role.COORDINATOR, Role.MONITOR},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(EXPECTED))
def test_matrix(role: Role, action: Action) -> None:
    assert role_allows(role, action) == (role in EXPECTED[action])


def test_administrator_never_enters_or_signs_clinical_data() -> None:
    for action in (Action.ENTER_DATA, Action.ENROLL, Action.SIGN, Action.RANDOMIZE,
                   Action.VIEW_PATIENTS):
        assert action not in MATRIX[Role.ADMINISTRATOR]


def _screen(db: Database, actor: Actor, site: str = "01"):
    return PatientService(db, actor, today=dt.date(2010, 3, 1)).screen_patient(
        site, "MD", "F", birth_date=dt.date(1946, 5, 2), consent_date=dt.date(2010, 2, 20))


def test_coordinator_enrolls_only_at_own_site(db: Database, coordinator: Actor) -> None:
    row = _screen(db, coordinator)
    assert row.patient_number == "01-001" and row.age == 63
    with pytest.raises(PermissionDenied):
        _screen(db, coordinator, "02")


def test_user_of_site_01_cannot_open_patients_of_site_02(db: Database, admin: Actor,
                                                          sites: list[str],
                                                          coordinator: Actor) -> None:
    other = make_user(db, admin, "paul", RoleGrant(Role.COORDINATOR, "02"))
    theirs = _screen(db, other, "02")
    _screen(db, coordinator, "01")
    mine = PatientService(db, coordinator)
    assert [p.patient_number for p in mine.list_patients()] == ["01-001"]
    with pytest.raises(PermissionDenied):
        mine.get_patient(theirs.id)


def test_monitor_reads_but_cannot_enroll(db: Database, admin: Actor, sites: list[str],
                                         coordinator: Actor) -> None:
    _screen(db, coordinator)
    monitor = make_user(db, admin, "claire", RoleGrant(Role.MONITOR, None))
    assert len(PatientService(db, monitor).list_patients()) == 1
    with pytest.raises(PermissionDenied):
        _screen(db, monitor)


def test_inactive_site_refuses_data_entry(db: Database, admin: Actor, sites: list[str]) -> None:
    inactive = make_user(db, admin, "lea", RoleGrant(Role.COORDINATOR, "03"))
    with pytest.raises(PermissionDenied, match="not active"):
        _screen(db, inactive, "03")
    SiteService(db, admin).set_active("03", True, "initiation visit 2010-02-01")
    assert _screen(db, inactive, "03").patient_number == "03-001"


def test_administrator_cannot_see_patients(db: Database, admin: Actor, sites: list[str]) -> None:
    with pytest.raises(PermissionDenied):
        PatientService(db, admin).list_patients()
    with pytest.raises(PermissionDenied):
        _screen(db, admin)


def test_only_administrators_manage_users(db: Database, coordinator: Actor) -> None:
    with pytest.raises(PermissionDenied):
        UserService(db, coordinator).list_users()
    with pytest.raises(PermissionDenied):
        UserService(db, coordinator).create_user("x", "X", "Y", PASSWORD,
                                                 [RoleGrant(Role.MONITOR, None)])
    with pytest.raises(PermissionDenied):
        SiteService(db, coordinator).create_site("09", "Elsewhere")
