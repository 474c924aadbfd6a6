"""The IMWG response derived into the disease-assessment forms, audited, in the same save."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.derived_response import DERIVED_REASON
from ctrial_desktop.services.errors import ConflictError
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord, Patient
from ctrial_desktop.study import StudyDefinition
from tests.unit.conftest import make_user

TODAY = dt.date(2011, 6, 1)
SERUM = "IG.DA.SERUM"
RESPONSE = "IG.DA.RESPONSE"
DERIVED = ValueKey(RESPONSE, 1, "I.DA.RESP_DERIVED")
INV = ValueKey(RESPONSE, 1, "I.DA.RESP_INV")
WHY = ValueKey(RESPONSE, 1, "I.DA.RESP_OVERRIDE_REASON")


@pytest.fixture
def investigator(db: Database, admin: Actor, sites: list[str]) -> Actor:
    return make_user(db, admin, "julie", RoleGrant(Role.INVESTIGATOR, "01"))


@pytest.fixture
def patient(db: Database, investigator: Actor) -> int:
    return PatientService(db, investigator, today=TODAY).screen_patient(
        "01", "MD", "F", birth_date=dt.date(1946, 5, 2), consent_date=dt.date(2011, 1, 3)).id


def _serum(day: str, smp: str) -> dict[ValueKey, str]:
    return {ValueKey(SERUM, 1, "I.DA.DAT"): day, ValueKey(SERUM, 1, "I.DA.SPEP_DONE"): "Y",
            ValueKey(SERUM, 1, "I.DA.SMP"): smp}


def _save(service: FormService, patient: int, event: str, repeat: int,
          values: dict[ValueKey, str]) -> dict[ValueKey, str]:
    version = service.open(patient, event, repeat, "F.DA").version
    return dict(service.save(patient, event, repeat, "F.DA", values,
                             expected_version=version).snapshot.values)


def test_derived_response_written_audited_and_recomputed(db: Database, study: StudyDefinition,
                                                         investigator: Actor,
                                                         patient: int) -> None:
    service = FormService(db, investigator, study, today=TODAY)
    _save(service, patient, "SE.SCREEN", 1, _serum("2011-01-10", "32.5"))
    first = _save(service, patient, "SE.CYCLE", 1, _serum("2011-02-07", "12.0"))
    assert first[DERIVED] == "PR"  # -63% from baseline 32.5 g/L
    second = _save(service, patient, "SE.CYCLE", 2, _serum("2011-03-07", "30.0"))
    assert second[DERIVED] == "PD"  # +150% from the nadir 12.0 g/L
    # A corrected baseline changes every derived response in the same save.
    base = service.open(patient, "SE.SCREEN", 1, "F.DA")
    service.save(patient, "SE.SCREEN", 1, "F.DA",
                 {**base.values, ValueKey(SERUM, 1, "I.DA.SMP"): "13.0"},
                 expected_version=base.version,
                 reasons={ValueKey(SERUM, 1, "I.DA.SMP"): "transcription error"})
    assert service.open(patient, "SE.CYCLE", 1, "F.DA").values[DERIVED] == "SD"
    assert service.open(patient, "SE.CYCLE", 2, "F.DA").values[DERIVED] == "PD"
    with db.read() as session:
        records = session.scalars(select(AuditRecord).where(
            AuditRecord.reason == DERIVED_REASON, AuditRecord.item == "value")
            .order_by(AuditRecord.seq)).all()
        assert verify(session).ok
    assert [(r.old_value, r.new_value) for r in records] == [
        (None, "PR"), (None, "PD"), ("PR", "SD")]
    assert {r.username for r in records} == {"julie"}


def test_client_cannot_write_the_derived_value_and_stale_editor_conflicts(
        db: Database, study: StudyDefinition, investigator: Actor, patient: int) -> None:
    service = FormService(db, investigator, study, today=TODAY)
    _save(service, patient, "SE.SCREEN", 1, _serum("2011-01-10", "32.5"))
    stale = _save(service, patient, "SE.CYCLE", 1, _serum("2011-02-07", "12.0"))
    opened = service.open(patient, "SE.CYCLE", 1, "F.DA")
    saved = service.save(patient, "SE.CYCLE", 1, "F.DA", {**opened.values, DERIVED: "CR"},
                         expected_version=opened.version)
    assert saved.snapshot.values[DERIVED] == "PR"
    base = service.open(patient, "SE.SCREEN", 1, "F.DA")
    service.save(patient, "SE.SCREEN", 1, "F.DA",
                 {**base.values, ValueKey(SERUM, 1, "I.DA.SMP"): "13.0"},
                 expected_version=base.version,
                 reasons={ValueKey(SERUM, 1, "I.DA.SMP"): "transcription error"})
    with pytest.raises(ConflictError):  # the cycle 1 editor still holds "PR"
        service.save(patient, "SE.CYCLE", 1, "F.DA", stale,
                     expected_version=saved.snapshot.version)


def test_investigator_override_needs_a_reason_and_both_are_kept(
        db: Database, study: StudyDefinition, investigator: Actor, patient: int) -> None:
    service = FormService(db, investigator, study, today=TODAY)
    _save(service, patient, "SE.SCREEN", 1, _serum("2011-01-10", "32.5"))
    values = _save(service, patient, "SE.CYCLE", 1, _serum("2011-02-07", "12.0"))
    opened = service.open(patient, "SE.CYCLE", 1, "F.DA")
    result = service.save(patient, "SE.CYCLE", 1, "F.DA", {**values, INV: "SD"},
                          expected_version=opened.version)
    assert any(m.key == WHY and m.check_oid == "REQUIRED" for m in result.messages)
    # From the first save: the derived value is computed with the values being saved.
    first = service.save(patient, "SE.CYCLE", 2, "F.DA", {**_serum("2011-03-07", "11.0"),
                                                          INV: "CR"}, expected_version=0)
    assert first.snapshot.values[DERIVED] == "PR"
    assert any(m.key == WHY and m.check_oid == "REQUIRED" for m in first.messages)
    live = service.computed_values(patient, "SE.CYCLE", 3, "F.DA",
                                   _serum("2011-04-04", "40.0"))
    assert live[DERIVED] == "PD"
    done = service.save(patient, "SE.CYCLE", 1, "F.DA",
                        {**result.snapshot.values, WHY: "M-protein fall not confirmed by "
                         "the central laboratory"},
                        expected_version=result.snapshot.version)
    assert (done.snapshot.values[DERIVED], done.snapshot.values[INV]) == ("PR", "SD")
    assert not any(m.key == WHY for m in done.messages)


def test_csv_export_shows_the_override_beside_the_derived_response(
        db: Database, admin: Actor, study: StudyDefinition, investigator: Actor, patient: int,
        tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io
    import zipfile

    from ctrial_desktop.exchange.csv_export import export_csv

    service = FormService(db, investigator, study, today=TODAY)
    _save(service, patient, "SE.SCREEN", 1, _serum("2011-01-10", "32.5"))
    values = _save(service, patient, "SE.CYCLE", 1, _serum("2011-02-07", "12.0"))
    opened = service.open(patient, "SE.CYCLE", 1, "F.DA")
    service.save(patient, "SE.CYCLE", 1, "F.DA",
                 {**values, INV: "SD", WHY: "central laboratory disagrees"},
                 expected_version=opened.version)
    with db.write() as session:  # the derived datasets list randomized patients
        session.get(Patient, patient).arm = "POM21"
    dm = make_user(db, admin, "dora", RoleGrant(Role.DATA_MANAGER, None))
    out = tmp_path / "export.zip"
    export_csv(db, dm, study, out)
    with zipfile.ZipFile(out) as archive:
        text = archive.read("derived/response_assessments.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["VISIT"], r["IMWG_RESPONSE"], r["RESP_DERIVED"], r["RESP_INV"], r["OVERRIDDEN"],
             r["OVERRIDE_REASON"]) for r in rows] == [
        ("SE.CYCLE", "PR", "PR", "SD", "Y", "central laboratory disagrees")]
    assert "-63% from baseline 32.5 g/L" in rows[0]["IMWG_REASONS"]
