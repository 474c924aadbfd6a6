"""Audit review service: filters and the late / after-signature / SDV / night / clock flags."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.audit_review import (
    AFTER_SDV,
    AFTER_SIGNATURE,
    CLOCK,
    LATE,
    ODD_HOURS,
    AuditFilter,
    AuditReviewService,
    ReviewSettings,
)
from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import PermissionDenied, ValidationError
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.store.audit import AuditContext
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue
from ctrial_desktop.study import StudyDefinition, load_study
from tests.unit.conftest import make_user
from tests.unit.services.randomization_helpers import screened_patient

DAYTIME = ReviewSettings(odd_hours_start=5, odd_hours_end=5)  # an empty night: no N flag


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(forms_dir())


@pytest.fixture
def monitor(db: Database, admin: Actor, sites: list[str]) -> Actor:
    return make_user(db, admin, "claire", RoleGrant(Role.MONITOR, None))


def _ctx(actor: Actor, session_id: str | None = None) -> AuditContext:
    ctx = actor.audit_context("01")
    return AuditContext(ctx.user_id, ctx.username, ctx.role, ctx.site_code,
                        session_id or ctx.session_id)


def _haematology(db: Database, actor: Actor, patient_id: int, sample: dt.date) -> tuple[int, int]:
    """A haematology form with its sample date and one value; returns (form id, value id)."""
    with db.write() as s:
        form = FormData(patient_id=patient_id, event_oid="SE.SCREEN", event_repeat=1,
                        form_oid="F.HEM", form_version="1.0", status="complete", signed=False,
                        locked=False, verified=False, active=True, version=1,
                        updated_at=now_utc())
        db.audit.insert(s, _ctx(actor), form)
        db.audit.insert(s, _ctx(actor), ItemValue(
            form_data_id=form.id, item_group_oid="IG.HEM.MAIN", group_repeat=1,
            item_oid="I.HEM.DAT", value=sample.isoformat(), active=True))
        value = ItemValue(form_data_id=form.id, item_group_oid="IG.HEM.MAIN", group_repeat=1,
                          item_oid="I.HEM.HGB", value="112", active=True)
        db.audit.insert(s, _ctx(actor), value)
        return form.id, value.id


def _update(db: Database, actor: Actor, model: type, row_id: int, changes: dict[str, object],
            reason: str, session_id: str | None = None) -> None:
    with db.write() as s:
        row = s.get(model, row_id)
        db.audit.update(s, _ctx(actor, session_id), row, changes, reason)


def _entries_for(entries: list, table: str, record_id: int, item: str) -> list:
    return [e for e in entries if (e.table_name, e.record_id, e.item) == (table, record_id, item)]


def test_late_entry_uses_the_form_date_or_the_consent_date(
        db: Database, coordinator: Actor, monitor: Actor, study: StudyDefinition) -> None:
    patient = screened_patient(db, coordinator, "01", iss=None)  # consent 01/02/2010
    today = dt.date.today()
    _form_now, value_now = _haematology(db, coordinator, patient.id, today)
    _form_old, value_old = _haematology_again(db, coordinator, patient.id,
                                             today - dt.timedelta(days=45))
    entries = AuditReviewService(db, monitor, study, DAYTIME).entries()
    consent = _entries_for(entries, "patient", patient.id, "consent_date")[0]
    assert consent.clinical_date == dt.date(2010, 2, 1)
    assert consent.patient_number == patient.patient_number
    assert consent.flags == (LATE,)
    recent = _entries_for(entries, "item_value", value_now, "value")[0]
    assert recent.clinical_date == today and recent.flags == ()
    assert recent.target == "F.HEM / I.HEM.HGB"
    old = _entries_for(entries, "item_value", value_old, "value")[0]
    assert old.flags == (LATE,)
    # without the study definition there is no form date: only the consent date counts
    bare = AuditReviewService(db, monitor, None, DAYTIME).entries()
    assert _entries_for(bare, "item_value", value_old, "value")[0].flags == ()


def _haematology_again(db: Database, actor: Actor, patient_id: int,
                       sample: dt.date) -> tuple[int, int]:
    with db.write() as s:
        form = FormData(patient_id=patient_id, event_oid="SE.CYCLE", event_repeat=1,
                        form_oid="F.HEM", form_version="1.0", status="complete", signed=False,
                        locked=False, verified=False, active=True, version=1,
                        updated_at=now_utc())
        db.audit.insert(s, _ctx(actor), form)
        db.audit.insert(s, _ctx(actor), ItemValue(
            form_data_id=form.id, item_group_oid="IG.HEM.MAIN", group_repeat=1,
            item_oid="I.HEM.DAT", value=sample.isoformat(), active=True))
        value = ItemValue(form_data_id=form.id, item_group_oid="IG.HEM.MAIN", group_repeat=1,
                          item_oid="I.HEM.HGB", value="98", active=True)
        db.audit.insert(s, _ctx(actor), value)
        return form.id, value.id


def test_changes_after_signature_and_after_sdv_are_flagged_from_the_trail(
        db: Database, coordinator: Actor, monitor: Actor, study: StudyDefinition) -> None:
    patient = screened_patient(db, coordinator, "01", iss=None)
    form_id, value_id = _haematology(db, coordinator, patient.id, dt.date.today())
    _update(db, coordinator, ItemValue, value_id, {"value": "113"}, "typo")  # before signing
    _update(db, coordinator, FormData, form_id, {"signed": True}, "signed")
    _update(db, coordinator, ItemValue, value_id, {"value": "114"}, "late correction")
    _update(db, coordinator, FormData, form_id, {"verified": True}, "SDV done")
    _update(db, coordinator, ItemValue, value_id, {"value": "115"}, "after SDV")
    # the signature is removed, then the value changed, in one session run
    _update(db, coordinator, FormData, form_id, {"signed": False, "verified": False},
            "re-opened", session_id="s-reopen")
    _update(db, coordinator, ItemValue, value_id, {"value": "116"}, "fix", session_id="s-reopen")
    # a later session on the unsigned form: nothing to flag
    _update(db, coordinator, ItemValue, value_id, {"value": "117"}, "fix", session_id="s-new")
    entries = AuditReviewService(db, monitor, study, DAYTIME).entries()
    changes = {e.new_value: e.flags for e in _entries_for(entries, "item_value", value_id,
                                                          "value")}
    assert changes == {"112": (), "113": (), "114": (AFTER_SIGNATURE,),
                       "115": (AFTER_SIGNATURE, AFTER_SDV),
                       "116": (AFTER_SIGNATURE, AFTER_SDV), "117": ()}
    state = _entries_for(entries, "form_data", form_id, "signed")
    assert all(AFTER_SIGNATURE not in e.flags for e in state)


def test_odd_hours_follow_the_local_clock(db: Database, coordinator: Actor, monitor: Actor,
                                          study: StudyDefinition) -> None:
    screened_patient(db, coordinator, "01", iss=None)
    always = ReviewSettings(odd_hours_start=0, odd_hours_end=24)
    entries = AuditReviewService(db, monitor, study, always).entries()
    assert entries and all(ODD_HOURS in e.flags for e in entries)
    assert not any(ODD_HOURS in e.flags
                   for e in AuditReviewService(db, monitor, study, DAYTIME).entries())
    # 22:00-06:00 in a zone where the record's hour is known
    record = entries[-1].timestamp_utc
    zone = dt.timezone(dt.timedelta(hours=(23 - record.hour) % 24))  # local hour 23
    night = AuditReviewService(db, monitor, study, ReviewSettings(timezone=zone)).entries()
    assert night[-1].local_time.hour == 23 and ODD_HOURS in night[-1].flags
    zone = dt.timezone(dt.timedelta(hours=(12 - record.hour) % 24))  # local hour 12
    noon = AuditReviewService(db, monitor, study, ReviewSettings(timezone=zone)).entries()
    assert noon[-1].local_time.hour == 12 and ODD_HOURS not in noon[-1].flags


def test_clock_anomalies_are_flagged(db: Database, coordinator: Actor, monitor: Actor,
                                     study: StudyDefinition) -> None:
    with db.write() as s:
        db.audit.append(s, _ctx(coordinator), "CLOCK_ANOMALY", item="clock",
                        new_value="2009-01-01T00:00:00.000000Z",
                        reason="the computer clock reads 2009-01-01, earlier than the last record")
    entries = AuditReviewService(db, monitor, study, DAYTIME).entries()
    assert [e.flags for e in entries if e.action == "CLOCK_ANOMALY"] == [(CLOCK,)]


def test_filters_by_user_site_period_table_and_flags(
        db: Database, admin: Actor, coordinator: Actor, monitor: Actor,
        study: StudyDefinition) -> None:
    other = make_user(db, admin, "paul", RoleGrant(Role.COORDINATOR, "02"))
    screened_patient(db, coordinator, "01", iss=None)
    screened_patient(db, other, "02", iss=None)
    service = AuditReviewService(db, monitor, study, DAYTIME)
    everything = service.entries()
    assert {e.username for e in service.entries(AuditFilter(username="Marie"))} == {"marie"}
    assert {e.site_code for e in service.entries(AuditFilter(site_code="02"))} == {"02"}
    today = dt.date.today()
    assert service.entries(AuditFilter(start=today, end=today)) == everything
    assert service.entries(AuditFilter(start=today + dt.timedelta(days=1))) == []
    assert {e.table_name for e in service.entries(AuditFilter(table_name="patient"))} == \
        {"patient"}
    flagged = service.entries(AuditFilter(flagged_only=True))
    assert flagged and all(e.flags for e in flagged) and len(flagged) < len(everything)
    with pytest.raises(ValidationError):
        service.entries(AuditFilter(start=today, end=today - dt.timedelta(days=1)))


def test_permissions_and_site_limits(db: Database, admin: Actor, coordinator: Actor,
                                     study: StudyDefinition) -> None:
    screened_patient(db, coordinator, "01", iss=None)
    with pytest.raises(PermissionDenied):
        AuditReviewService(db, coordinator, study).entries()
    local = make_user(db, admin, "luc", RoleGrant(Role.MONITOR, "02"))
    seen = AuditReviewService(db, local, study).entries()
    assert all(e.site_code == "02" for e in seen)
    with pytest.raises(PermissionDenied):
        AuditReviewService(db, local, study).entries(AuditFilter(site_code="01"))
    with db.read() as s:
        assert s.scalar(select(FormData.id)) is None  # the review wrote nothing
