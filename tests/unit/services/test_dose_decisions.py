"""Dose advice accepted or overridden: stored in the dosing form, audited, refused when bad."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ctrial_desktop.domain.dosing import Action as DoseAction
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.dose_decisions import DoseDecisionService
from ctrial_desktop.services.errors import PermissionDenied, ValidationError
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord, Patient
from ctrial_desktop.study import StudyDefinition
from tests.unit.conftest import make_user

TODAY = dt.date(2011, 6, 1)
ADVICE = "IG.POM.ADVICE"


@pytest.fixture
def patient(db: Database, study: StudyDefinition, coordinator: Actor) -> int:
    pid = PatientService(db, coordinator, today=TODAY).screen_patient(
        "01", "MD", "F", birth_date=dt.date(1946, 5, 2), consent_date=dt.date(2011, 1, 3)).id
    with db.write() as session:
        session.get(Patient, pid).arm = "POM21"
    forms = FormService(db, coordinator, study, today=TODAY)
    forms.save(pid, "SE.SCREEN", 1, "F.DM", {
        ValueKey("IG.DM.MAIN", 1, "I.DM.VISDAT"): "2011-01-05",
        ValueKey("IG.DM.MAIN", 1, "I.DM.BRTHDAT"): "1946-05-02"}, expected_version=0)
    forms.save(pid, "SE.CYCLE", 1, "F.HEM", {
        ValueKey("IG.HEM.MAIN", 1, "I.HEM.DAT"): "2011-02-01",
        ValueKey("IG.HEM.MAIN", 1, "I.HEM.ANC"): "1.2",
        ValueKey("IG.HEM.MAIN", 1, "I.HEM.PLT"): "20"}, expected_version=0)
    return pid


def _values(db: Database, study: StudyDefinition, actor: Actor, pid: int) -> dict[str, str]:
    snap = FormService(db, actor, study, today=TODAY).open(pid, "SE.CYCLE", 2, "F.POM")
    return {k.item_oid: v for k, v in snap.values.items() if k.group_oid == ADVICE}


def test_accept_stores_the_proposal_and_the_decision(db: Database, study: StudyDefinition,
                                                     coordinator: Actor, patient: int) -> None:
    service = DoseDecisionService(db, coordinator, study)
    proposal = service.proposal(patient, "pomalidomide", 2)
    assert proposal is not None and proposal.action is DoseAction.INTERRUPT  # platelets 20
    decision = service.decide(patient, 2, "pomalidomide", accept=True)
    assert decision.chosen_mg == proposal.next_level_mg
    values = _values(db, study, coordinator, patient)
    assert (values["I.POM.ADV_ACTION"], values["I.POM.ADV_LEVEL"]) == ("INTERRUPT", "3")
    assert values["I.POM.ADV_DECISION"] == "ACCEPTED"
    assert "platelets" in values["I.POM.ADV_RULE"].lower()
    assert "I.POM.ADV_REASON" not in values


def test_override_needs_a_reason_and_a_dose_level_and_is_audited(
        db: Database, study: StudyDefinition, coordinator: Actor, patient: int) -> None:
    service = DoseDecisionService(db, coordinator, study)
    with pytest.raises(ValidationError) as missing:
        service.decide(patient, 2, "pomalidomide", accept=False, level_mg="3")
    assert "reason" in missing.value.fields
    with pytest.raises(ValidationError) as bad:
        service.decide(patient, 2, "pomalidomide", accept=False, level_mg="2.5", reason="x")
    assert "level" in bad.value.fields
    service.decide(patient, 2, "pomalidomide", accept=True)
    service.decide(patient, 2, "pomalidomide", accept=False, level_mg="3",
                   reason="platelet count repeated at 60 this morning")
    values = _values(db, study, coordinator, patient)
    assert (values["I.POM.ADV_DECISION"], values["I.POM.ADV_CHOSEN"]) == ("OVERRIDDEN", "3")
    with db.read() as session:
        change = session.scalars(select(AuditRecord).where(
            AuditRecord.item == "value", AuditRecord.old_value == "ACCEPTED")).one()
    assert change.new_value == "OVERRIDDEN"
    assert change.reason == "dose advice overridden: platelet count repeated at 60 this morning"
    assert change.username == coordinator.username


def test_monitor_cannot_decide(db: Database, admin: Actor, study: StudyDefinition,
                               patient: int) -> None:
    monitor = make_user(db, admin, "claire", RoleGrant(Role.MONITOR, None))
    with pytest.raises(PermissionDenied):
        DoseDecisionService(db, monitor, study).decide(patient, 2, "pomalidomide", accept=True)
