"""Patients: the screening log, listing and reading what a user may see."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound, PermissionDenied, ValidationError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, Patient, Site

STATUSES = (
    "screening",
    "screen_failed",
    "randomized",
    "on_treatment",
    "off_treatment",
    "follow_up",
    "dead",
)
#: Each status in words, as an error message names it.
STATUS_WORDS = {
    "screening": Message("screening"),
    "screen_failed": Message("screen failed"),
    "randomized": Message("randomized"),
    "on_treatment": Message("on treatment"),
    "off_treatment": Message("off treatment"),
    "follow_up": Message("follow up"),
    "dead": Message("dead"),
}
INITIALS_RE = re.compile(r"^[A-Z]{1,3}(-?[A-Z])?$")


def age_on(birth_date: dt.date | None, birth_year: int | None, on: dt.date) -> int | None:
    """Age in completed years; from the year alone (as of 1 July) when the date is unknown."""
    if birth_date is not None:
        years = on.year - birth_date.year
        if (on.month, on.day) < (birth_date.month, birth_date.day):
            years -= 1
        return years
    if birth_year is not None:
        return on.year - birth_year - (1 if (on.month, on.day) < (7, 1) else 0)
    return None


@dataclass(frozen=True)
class PatientRow:
    """A patient as the list, header and reports show it (plain data)."""

    id: int
    patient_number: str
    site_code: str
    initials: str
    sex: str
    birth_date: dt.date | None
    birth_year: int | None
    consent_date: dt.date | None
    status: str
    arm: str | None
    screen_fail_reason: str
    age: int | None


@dataclass(frozen=True)
class FormState:
    """Stored state of one form instance, for the visit tree."""

    form_data_id: int
    event_oid: str
    event_repeat: int
    form_oid: str
    status: str
    signed: bool
    locked: bool
    verified: bool
    #: The planned day of the visit (cycle day of a form due on several days, else 1).
    visit_day: int = 1


def _row(patient: Patient, site_code: str, today: dt.date) -> PatientRow:
    return PatientRow(
        patient.id, patient.patient_number, site_code, patient.initials, patient.sex,
        patient.birth_date, patient.birth_year, patient.consent_date, patient.status,
        patient.arm, patient.screen_fail_reason,
        age_on(patient.birth_date, patient.birth_year, patient.consent_date or today),
    )


class PatientService:
    """Screening and reading patients, limited to the sites the user may see."""

    def __init__(self, db: Database, actor: Actor, today: dt.date | None = None) -> None:
        self.db = db
        self.actor = actor
        self._today = today

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def _visible(self, stmt):  # type: ignore[no-untyped-def]
        sites = self.actor.sites_for(Action.VIEW_PATIENTS)
        if sites is not None:
            stmt = stmt.where(Site.code.in_(sorted(sites)))
        return stmt

    def list_patients(self, site_code: str | None = None) -> list[PatientRow]:
        """All active patients the user may see, by patient number."""
        if not self.actor.can(Action.VIEW_PATIENTS):
            raise PermissionDenied(Message("Your role does not give access to patient data."))
        # Plain columns, not ORM objects: the list may hold 10,000 patients.
        stmt = (select(Patient.id, Patient.patient_number, Site.code, Patient.initials,
                       Patient.sex, Patient.birth_date, Patient.birth_year,
                       Patient.consent_date, Patient.status, Patient.arm,
                       Patient.screen_fail_reason)
                .join(Site, Patient.site_id == Site.id)
                .where(Patient.active.is_(True)).order_by(Patient.patient_number))
        stmt = self._visible(stmt)
        if site_code:
            stmt = stmt.where(Site.code == site_code)
        today = self.today
        with self.db.read() as session:
            return [PatientRow(*row, age_on(row.birth_date, row.birth_year,
                                            row.consent_date or today))
                    for row in session.connection().execute(stmt)]

    def get_patient(self, patient_id: int) -> PatientRow:
        with self.db.read() as session:
            patient, code = self._load(session, patient_id)
            return _row(patient, code, self.today)

    def _load(self, session: Session, patient_id: int) -> tuple[Patient, str]:
        row = session.execute(select(Patient, Site.code).join(Site, Patient.site_id == Site.id)
                              .where(Patient.id == patient_id)).first()
        if row is None:
            raise NotFound(Message("No patient #{patient_id}.", patient_id=patient_id))
        patient, code = row
        self.actor.require(Action.VIEW_PATIENTS, code)
        return patient, code

    def form_states(self, patient_id: int) -> list[FormState]:
        with self.db.read() as session:
            self._load(session, patient_id)
            rows = session.scalars(select(FormData).where(
                FormData.patient_id == patient_id, FormData.active.is_(True)))
            return [FormState(f.id, f.event_oid, f.event_repeat, f.form_oid, f.status,
                              f.signed, f.locked, f.verified, f.visit_day) for f in rows]

    def screen_patient(
        self,
        site_code: str,
        initials: str,
        sex: str,
        *,
        birth_date: dt.date | None = None,
        birth_year: int | None = None,
        consent_date: dt.date | None = None,
    ) -> PatientRow:
        """Add a patient to the screening log and give them the next patient number."""
        self.actor.require(Action.ENROLL, site_code)
        initials = initials.strip().upper()
        errors: dict[str, Message] = {}
        if not INITIALS_RE.match(initials):
            errors["initials"] = Message("Initials are 1-3 letters (A-Z), e.g. MD or J-P.")
        if sex not in ("M", "F"):
            errors["sex"] = Message("Sex is M or F.")
        today = self.today
        if birth_date is None and birth_year is None:
            errors["birth_date"] = Message("Give the birth date or at least the birth year.")
        if birth_date is not None and birth_date > today:
            errors["birth_date"] = Message("The birth date is in the future.")
        if birth_year is not None and not 1900 <= birth_year <= today.year:
            errors["birth_year"] = Message("The birth year must be between 1900 and {year}.",
                                             year=today.year)
        if consent_date is not None and consent_date > today:
            errors["consent_date"] = Message("The consent date is in the future.")
        if consent_date is not None and birth_date is not None and consent_date < birth_date:
            errors["consent_date"] = Message("The consent date is before the birth date.")
        if errors:
            raise ValidationError(Message("Please correct: {problems}",
                                          problems=Message.join(" ", errors.values())), errors)
        if birth_date is not None:
            birth_year = birth_date.year
        with self.db.write() as session:
            site = session.scalar(select(Site).where(Site.code == site_code))
            if site is None:
                raise NotFound(Message("No site {site_code}.", site_code=site_code))
            if not site.active:
                raise PermissionDenied(
                    Message("Site {site_code} is not active yet: an administrator must activate "
                            "it before data can be entered.", site_code=site_code))
            sequence = (session.scalar(select(func.max(Patient.sequence))
                                       .where(Patient.site_id == site.id)) or 0) + 1
            patient = Patient(site_id=site.id, sequence=sequence,
                              patient_number=f"{site.code}-{sequence:03d}", initials=initials,
                              birth_date=birth_date, birth_year=birth_year, sex=sex,
                              consent_date=consent_date, status="screening",
                              screen_fail_reason="", active=True, created_at=now_utc())
            self.db.audit.insert(session, self.actor.audit_context(site.code), patient,
                                 reason="patient screened")
            return _row(patient, site.code, today)

    def record_screen_failure(self, patient_id: int, reason: str) -> PatientRow:
        """Mark a screened patient as a screen failure; they stay in the log."""
        if not reason.strip():
            raise ValidationError(Message("Give the reason for the screen failure."),
                                  {"reason": "required"})
        with self.db.write() as session:
            patient, code = self._load(session, patient_id)
            self.actor.require(Action.ENROLL, code)
            if patient.status != "screening":
                raise ValidationError(
                    Message("{patient_number} is {status}, not in screening.",
                            patient_number=patient.patient_number,
                            status=STATUS_WORDS.get(patient.status, patient.status)))
            self.db.audit.update(session, self.actor.audit_context(code), patient,
                                 {"status": "screen_failed",
                                  "screen_fail_reason": reason.strip()}, reason.strip())
            return _row(patient, code, self.today)
