"""Helpers for randomization tests: patients with an ISS stage recorded on the CRF."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.store.audit import SYSTEM_CONTEXT
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue


def screened_patient(db: Database, actor: Actor, site: str, iss: int | None,
                     birth: dt.date = dt.date(1950, 1, 1)) -> PatientRow:
    row = PatientService(db, actor).screen_patient(site, "MD", "F", birth_date=birth,
                                                   consent_date=dt.date(2010, 2, 1))
    if iss is not None:
        set_iss(db, row.id, iss)
    return row


ISS_CODES = {1: "I", 2: "II", 3: "III"}


def set_iss(db: Database, patient_id: int, iss: int) -> None:
    """Store the ISS stage at entry as the CRF does (code list CL.ISS: I, II, III)."""
    with db.write() as s:
        existing = s.scalar(select(ItemValue).join(FormData).where(
            FormData.patient_id == patient_id, ItemValue.item_oid == "I.MH.ISS_ENTRY"))
        if existing is not None:
            db.audit.update(s, SYSTEM_CONTEXT, existing, {"value": ISS_CODES[iss]}, "corrected")
            return
        form = FormData(patient_id=patient_id, event_oid="SE.SCREEN", event_repeat=1,
                        form_oid="F.MH", form_version="1.0", status="complete",
                        signed=False, locked=False, verified=False, active=True, version=1,
                        updated_at=now_utc())
        db.audit.insert(s, SYSTEM_CONTEXT, form)
        db.audit.insert(s, SYSTEM_CONTEXT, ItemValue(
            form_data_id=form.id, item_group_oid="IG.MH.DIAG", group_repeat=1,
            item_oid="I.MH.ISS_ENTRY", value=ISS_CODES[iss], active=True))
