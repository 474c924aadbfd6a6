"""Queries, source-data verification, signatures and locks with the permission matrix."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import (
    AuthenticationError,
    PermissionDenied,
    ValidationError,
)
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.review import ReviewService
from ctrial_desktop.store.audit import SYSTEM_CONTEXT, verify
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue, Patient
from tests.unit.conftest import PASSWORD, make_user
from tests.unit.services.randomization_helpers import screened_patient


@pytest.fixture
def people(db: Database, admin: Actor, sites: list[str], coordinator: Actor) -> dict[str, Actor]:
    return {
        "coordinator": coordinator,
        "investigator": make_user(db, admin, "thierry", RoleGrant(Role.INVESTIGATOR, "01")),
        "monitor": make_user(db, admin, "claire", RoleGrant(Role.MONITOR, None)),
        "dm": make_user(db, admin, "denis", RoleGrant(Role.DATA_MANAGER, None)),
        "other_site": make_user(db, admin, "paul", RoleGrant(Role.INVESTIGATOR, "02")),
    }


def _form(db: Database, patient_id: int, status: str = "complete", anc: str = "1.8") -> int:
    with db.write() as s:
        form = FormData(patient_id=patient_id, event_oid="SE.CYCLE", event_repeat=1,
                        form_oid="F.HEM", form_version="1.0", status=status, signed=False,
                        locked=False, verified=False, active=True, version=1,
                        updated_at=now_utc())
        db.audit.insert(s, SYSTEM_CONTEXT, form)
        db.audit.insert(s, SYSTEM_CONTEXT, ItemValue(
            form_data_id=form.id, item_group_oid="IG.HEM.MAIN", group_repeat=1,
            item_oid="I.HEM.ANC", value=anc, active=True))
        return form.id


@pytest.fixture
def form_id(db: Database, people: dict[str, Actor]) -> int:
    patient = screened_patient(db, people["coordinator"], "01", iss=1)
    return _form(db, patient.id)


def test_query_lifecycle(db: Database, people: dict[str, Actor], form_id: int) -> None:
    monitor = ReviewService(db, people["monitor"])
    query = monitor.raise_query(form_id, "ANC 1.8 on the source is 0.8?",
                                item_group_oid="IG.HEM.MAIN", item_oid="I.HEM.ANC")
    assert query.status == "open" and query.patient_number == "01-001"
    coordinator = ReviewService(db, people["coordinator"])
    assert coordinator.open_query_counts(query.patient_id) == {form_id: 1}
    with pytest.raises(PermissionDenied):
        coordinator.close_query(query.id)
    with pytest.raises(PermissionDenied):
        coordinator.raise_query(form_id, "self query")
    answered = coordinator.answer_query(query.id, "Corrected to 0.8 from the lab report")
    assert answered.status == "answered"
    with pytest.raises(ValidationError, match="cannot be answered"):
        coordinator.answer_query(query.id, "again")
    reopened = monitor.reopen_query(query.id, "Please also check the platelets")
    assert reopened.status == "open"
    coordinator.answer_query(query.id, "Platelets correct")
    closed = monitor.close_query(query.id, "Thanks")
    assert [m.kind for m in closed.messages] == ["raise", "answer", "reopen", "answer", "close"]
    assert monitor.list_queries(status="closed")[0].id == query.id
    assert monitor.list_queries(status="open") == []
    with db.read() as s:
        assert verify(s).ok


def test_queries_of_another_site_are_invisible(db: Database, people: dict[str, Actor],
                                               form_id: int) -> None:
    ReviewService(db, people["monitor"]).raise_query(form_id, "Check date")
    assert ReviewService(db, people["other_site"]).list_queries() == []
    assert len(ReviewService(db, people["coordinator"]).list_queries()) == 1


def test_source_data_verification_by_monitors_only(db: Database, people: dict[str, Actor],
                                                   form_id: int) -> None:
    with pytest.raises(PermissionDenied):
        ReviewService(db, people["coordinator"]).set_verified(form_id, True)
    monitor = ReviewService(db, people["monitor"])
    monitor.set_verified(form_id, True)
    with pytest.raises(ValidationError, match="reason"):
        monitor.set_verified(form_id, False)
    monitor.set_verified(form_id, False, "verified the wrong visit")


def test_signature_holds_the_content_and_detects_later_changes(
        db: Database, people: dict[str, Actor], form_id: int) -> None:
    investigator = ReviewService(db, people["investigator"])
    with pytest.raises(PermissionDenied):
        ReviewService(db, people["coordinator"]).sign([form_id], "marie", PASSWORD)
    with pytest.raises(AuthenticationError):
        investigator.sign([form_id], "thierry", "wrong-password-1")
    with pytest.raises(AuthenticationError, match="user ID"):
        investigator.sign([form_id], "marie", PASSWORD)
    [signature] = investigator.sign([form_id], "Thierry", PASSWORD)
    assert signature.valid and signature.active and len(signature.content_hash) == 64
    assert signature.meaning == "I confirm that the data are accurate and complete"
    with pytest.raises(ValidationError, match="signed already"):
        investigator.sign([form_id], "thierry", PASSWORD)
    with db.write() as s:  # a change behind the application's back
        s.execute(text("UPDATE item_value SET value = '0.8'"))
    assert not investigator.signatures(form_id)[0].valid


def test_withdrawn_signature_needs_a_reason_and_a_new_signature(
        db: Database, people: dict[str, Actor], form_id: int) -> None:
    investigator = ReviewService(db, people["investigator"])
    investigator.sign([form_id], "thierry", PASSWORD)
    with pytest.raises(ValidationError, match="reason"):
        investigator.withdraw_signature(form_id, "")
    investigator.withdraw_signature(form_id, "query 3: ANC corrected")
    with db.read() as s:
        assert not s.get(FormData, form_id).signed
    assert [s.active for s in investigator.signatures(form_id)] == [False]
    investigator.sign([form_id], "thierry", PASSWORD)
    assert [s.active for s in investigator.signatures(form_id)] == [True, False]
    with db.read() as s:
        assert verify(s).ok


def test_incomplete_forms_cannot_be_signed(db: Database, people: dict[str, Actor]) -> None:
    patient = screened_patient(db, people["coordinator"], "01", iss=1)
    incomplete = _form(db, patient.id, status="in_progress")
    with pytest.raises(ValidationError, match="not complete"):
        ReviewService(db, people["investigator"]).sign([incomplete], "thierry", PASSWORD)


def test_locks_of_forms_patients_and_sites(db: Database, people: dict[str, Actor],
                                           form_id: int) -> None:
    dm = ReviewService(db, people["dm"])
    with pytest.raises(PermissionDenied):
        ReviewService(db, people["monitor"]).set_forms_locked([form_id], True, "db lock")
    with pytest.raises(ValidationError):
        dm.set_forms_locked([form_id], True, "")
    assert dm.set_forms_locked([form_id], True, "interim analysis") == 1
    with pytest.raises(ValidationError, match="locked"):
        ReviewService(db, people["investigator"]).withdraw_signature(form_id, "fix")
    dm.set_forms_locked([form_id], False, "analysis done")
    with db.read() as s:
        patient_id = s.get(FormData, form_id).patient_id
    dm.set_patient_locked(patient_id, True, "patient closed out")
    with db.read() as s:
        assert s.get(Patient, patient_id).locked and s.get(FormData, form_id).locked
    dm.set_site_locked("01", False, "re-opened for queries")
    with db.read() as s:
        assert not s.get(Patient, patient_id).locked
        assert not s.get(FormData, form_id).locked
        actions = set(s.scalars(select(text("action")).select_from(text("audit_trail"))))
        assert {"LOCK", "UNLOCK"} <= actions
        assert verify(s).ok


def test_saving_changed_data_clears_the_verification_and_locked_patients_are_read_only(
        db: Database, people: dict[str, Actor], study) -> None:
    from ctrial_desktop.services.forms import FormService, ValueKey

    patient = screened_patient(db, people["coordinator"], "01", iss=1)
    forms = FormService(db, people["coordinator"], study)
    key = ValueKey("IG.ECOG.MAIN", 1, "I.ECOG.SCORE")
    date = ValueKey("IG.ECOG.MAIN", 1, "I.ECOG.DAT")
    saved = forms.save(patient.id, "SE.SCREEN", 1, "F.ECOG", {date: "2010-02-02", key: "1"},
                       expected_version=0).snapshot
    ReviewService(db, people["monitor"]).set_verified(saved.form_data_id, True)
    again = forms.save(patient.id, "SE.SCREEN", 1, "F.ECOG", {date: "2010-02-02", key: "2"},
                       expected_version=saved.version, reasons={key: "typo"}).snapshot
    assert not again.verified
    ReviewService(db, people["dm"]).set_patient_locked(patient.id, True, "closed out")
    other = forms.open(patient.id, "SE.SCREEN", 1, "F.DM")
    assert other.read_only_reason == "The patient's data are locked by the data manager"
    with pytest.raises(PermissionDenied):
        forms.save(patient.id, "SE.SCREEN", 1, "F.DM", {}, expected_version=0)


def test_patient_status_follows_the_saved_forms_and_never_goes_back(
        db: Database, people: dict[str, Actor], study) -> None:
    from ctrial_desktop.services.forms import FormService, ValueKey
    from ctrial_desktop.services.patients import PatientService
    from ctrial_desktop.services.randomization import RandomizationService
    from ctrial_desktop.services.study_settings import randomization_settings

    coordinator = people["coordinator"]
    patient = screened_patient(db, coordinator, "01", iss=1)
    rand = RandomizationService(db, coordinator, randomization_settings(study))
    rand.randomize(patient.id, rand.stratification(patient.id))
    forms = FormService(db, coordinator, study)
    status = lambda: PatientService(db, coordinator).get_patient(patient.id).status  # noqa: E731
    forms.save(patient.id, "SE.DEATH", 1, "F.DEATH",
               {ValueKey("IG.DEATH.MAIN", 1, "I.DEATH.DAT"): "2010-06-01",
                ValueKey("IG.DEATH.MAIN", 1, "I.DEATH.CAUSE"): "PD"}, expected_version=0)
    assert status() == "dead"
    forms.save(patient.id, "SE.FU", 1, "F.FU",
               {ValueKey("IG.FU.MAIN", 1, "I.FU.DAT"): "2010-05-01",
                ValueKey("IG.FU.MAIN", 1, "I.FU.STATUS"): "ALIVE"}, expected_version=0)
    assert status() == "dead"  # never backwards
    with db.read() as s:
        assert verify(s).ok
