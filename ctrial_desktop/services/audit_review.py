"""Read-only review of the audit trail for monitors and inspectors.

Lists audit records with filters (user, site, period, table) and marks those an
inspector looks at first:

* ``late`` - entered long after the clinical date it documents. The clinical date of
  a form's values is the form's first date item (date of sample, of the visit, of
  cycle day 1) as it is stored now; of a patient record, the consent date. Records
  with no such date (users, sites, randomizations, log-ins) are never flagged late.
* ``after_signature`` / ``after_sdv`` - a change to a form's values (or state) while
  the form was signed / source-data verified, or in the same transaction that
  removed the signature or the verification. The state at the time is replayed from
  the trail itself (``form_data.signed`` and ``.verified`` records), never read from
  the current row.
* ``odd_hours`` - written between 22:00 and 06:00 local time (configurable).
* ``clock`` - a ``CLOCK_ANOMALY`` record: the computer clock could not be trusted.

Local time is the computer's time zone unless a zone is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import ValidationError
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.audit import parse_timestamp
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import (
    AuditRecord,
    FormData,
    ItemValue,
    Patient,
    ProtocolDeviation,
    Randomization,
    Site,
)
from ctrial_desktop.study import StudyDefinition

LATE: Final = "late"
AFTER_SIGNATURE: Final = "after_signature"
AFTER_SDV: Final = "after_sdv"
ODD_HOURS: Final = "odd_hours"
CLOCK: Final = "clock"
FLAGS: Final = (LATE, AFTER_SIGNATURE, AFTER_SDV, ODD_HOURS, CLOCK)

#: Actions that write data (everything else is an event: log-in, lock, clock...).
DATA_ACTIONS: Final = frozenset({"INSERT", "UPDATE"})


@dataclass(frozen=True)
class AuditFilter:
    """Which records to list; ``start`` and ``end`` are inclusive local dates."""

    username: str | None = None
    site_code: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    table_name: str | None = None
    flagged_only: bool = False


@dataclass(frozen=True)
class ReviewSettings:
    """Thresholds of the flags (the report prints them)."""

    late_after_days: int = 30
    odd_hours_start: int = 22
    odd_hours_end: int = 6
    timezone: dt.tzinfo | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One audit record with what it is about and its review flags (plain data)."""

    seq: int
    timestamp_utc: dt.datetime
    local_time: dt.datetime
    username: str
    role: str
    site_code: str
    action: str
    table_name: str
    record_id: int | None
    item: str
    old_value: str | None
    new_value: str | None
    reason: str
    patient_number: str
    form_oid: str
    item_oid: str
    clinical_date: dt.date | None
    flags: tuple[str, ...]

    @property
    def is_change(self) -> bool:
        return self.action in DATA_ACTIONS

    @property
    def target(self) -> str:
        """What changed: ``F.HEM / I.HEM.ANC`` for form values, else ``table.column``."""
        if self.item_oid:
            return f"{self.form_oid} / {self.item_oid}"
        if self.form_oid:
            return f"{self.form_oid} / {self.item}"
        if self.table_name:
            return f"{self.table_name}.{self.item}" if self.item else self.table_name
        return self.item


@dataclass
class _Lookups:
    """Current rows the trail points at: item values, forms, patients."""

    item_values: dict[int, tuple[int, str]]
    forms: dict[int, tuple[int, str]]
    patients: dict[int, tuple[str, dt.date | None]]
    randomizations: dict[int, int]
    deviations: dict[int, int]
    form_dates: dict[int, dt.date]


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class AuditReviewService:
    """Audit-trail listing with review flags, for users allowed to view the audit."""

    def __init__(self, db: Database, actor: Actor, study: StudyDefinition | None = None,
                 settings: ReviewSettings | None = None) -> None:
        self.db = db
        self.actor = actor
        self.study = study
        self.settings = settings or ReviewSettings()

    def entries(self, flt: AuditFilter | None = None) -> list[AuditEntry]:
        """Audit records matching ``flt``, in trail order, with their flags."""
        flt = flt or AuditFilter()
        self.actor.require(Action.VIEW_AUDIT, flt.site_code)
        if flt.start and flt.end and flt.start > flt.end:
            raise ValidationError(Message("The start of the period is after its end."))
        allowed = self.actor.sites_for(Action.VIEW_AUDIT)
        with self.db.read() as session:
            lookups = self._lookups(session)
            records = session.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
            entries = list(self._review(records, lookups))
        out = []
        for entry in entries:
            if allowed is not None and entry.site_code not in allowed:
                continue
            if not self._matches(entry, flt):
                continue
            out.append(entry)
        return out

    def patient_entries(self, patient_id: int) -> list[AuditEntry]:
        """The audit records about one patient, in trail order (for the casebook).

        The same records as :meth:`entries` gives with that patient's number - its
        row, forms, values, randomization and deviations - read with targeted queries
        instead of the whole trail; the review flags are computed from these records
        only.
        """
        with self.db.read() as session:
            site_code = session.scalar(select(Site.code).join(Patient, Patient.site_id == Site.id)
                                       .where(Patient.id == patient_id))
            if site_code is None:
                raise ValidationError(Message("No such patient."))
            self.actor.require(Action.VIEW_AUDIT, site_code)
            lookups = self._lookups(session, patient_id)
            targets = [("patient", [patient_id]), ("form_data", list(lookups.forms)),
                       ("item_value", list(lookups.item_values)),
                       ("randomization", list(lookups.randomizations)),
                       ("protocol_deviation", list(lookups.deviations))]
            records: list[AuditRecord] = []
            for table, ids in targets:
                for start in range(0, len(ids), 500):
                    records += session.scalars(select(AuditRecord).where(
                        AuditRecord.table_name == table,
                        AuditRecord.record_id.in_(ids[start:start + 500]))).all()
            records.sort(key=lambda r: r.seq)
            return list(self._review(records, lookups))

    @staticmethod
    def _matches(entry: AuditEntry, flt: AuditFilter) -> bool:
        if flt.username and entry.username != flt.username.lower():
            return False
        if flt.site_code and entry.site_code != flt.site_code:
            return False
        day = entry.local_time.date()
        if flt.start and day < flt.start:
            return False
        if flt.end and day > flt.end:
            return False
        if flt.table_name and entry.table_name != flt.table_name:
            return False
        return not (flt.flagged_only and not entry.flags)

    def _date_items(self) -> dict[str, str]:
        """The first date item of every form (its clinical date)."""
        if self.study is None:
            return {}
        out = {}
        for form in self.study.forms:
            first = next((i for i in form.items if i.type == "date"), None)
            if first is not None:
                out[form.oid] = first.oid
        return out

    def _lookups(self, session: Session, patient_id: int | None = None) -> _Lookups:
        """The rows the trail points at (of one patient when ``patient_id`` is given)."""
        def only(column):  # type: ignore[no-untyped-def]
            return column == patient_id if patient_id is not None else true()

        item_values = {iv_id: (fd_id, oid) for iv_id, fd_id, oid in session.execute(
            select(ItemValue.id, ItemValue.form_data_id, ItemValue.item_oid)
            .join(FormData, FormData.id == ItemValue.form_data_id)
            .where(only(FormData.patient_id)))}
        forms = {fd_id: (pid, oid) for fd_id, pid, oid in session.execute(
            select(FormData.id, FormData.patient_id, FormData.form_oid)
            .where(only(FormData.patient_id)))}
        patients = {pid: (number, consent) for pid, number, consent in session.execute(
            select(Patient.id, Patient.patient_number, Patient.consent_date)
            .where(only(Patient.id)))}
        randomizations = {rid: pid for rid, pid in session.execute(
            select(Randomization.id, Randomization.patient_id)
            .where(only(Randomization.patient_id)))}
        deviations = {did: pid for did, pid in session.execute(
            select(ProtocolDeviation.id, ProtocolDeviation.patient_id)
            .where(only(ProtocolDeviation.patient_id)))}
        date_items = self._date_items()
        form_dates: dict[int, dt.date] = {}
        if date_items:
            rows = session.execute(
                select(FormData.id, FormData.form_oid, ItemValue.item_oid, ItemValue.value)
                .join(ItemValue, ItemValue.form_data_id == FormData.id)
                .where(ItemValue.active.is_(True), ItemValue.item_oid.in_(date_items.values()),
                       only(FormData.patient_id))
                .order_by(ItemValue.group_repeat))
            for fd_id, form_oid, item_oid, value in rows:
                day = _parse_date(value)
                if date_items.get(form_oid) == item_oid and day and fd_id not in form_dates:
                    form_dates[fd_id] = day
        return _Lookups(item_values, forms, patients, randomizations, deviations, form_dates)

    def _local(self, instant: dt.datetime) -> dt.datetime:
        return instant.astimezone(self.settings.timezone)

    def _review(self, records: Iterable[AuditRecord], lk: _Lookups) -> Iterable[AuditEntry]:
        signed: dict[int, bool] = {}
        verified: dict[int, bool] = {}
        # Forms whose signature / verification was removed in the current run of one session.
        broken: dict[int, tuple[str, str]] = {}
        run_session = ""
        s = self.settings
        for r in records:
            if r.session_id != run_session:
                broken.clear()
                run_session = r.session_id
            utc = parse_timestamp(r.timestamp_utc)
            local = self._local(utc)
            patient_id: int | None = None
            form_id: int | None = None
            form_oid = item_oid = ""
            if r.table_name == "item_value" and r.record_id in lk.item_values:
                form_id, item_oid = lk.item_values[r.record_id]
            elif r.table_name == "form_data" and r.record_id is not None:
                form_id = r.record_id
            elif r.table_name == "patient":
                patient_id = r.record_id
            elif r.table_name == "randomization" and r.record_id is not None:
                patient_id = lk.randomizations.get(r.record_id)
            elif r.table_name == "protocol_deviation" and r.record_id is not None:
                patient_id = lk.deviations.get(r.record_id)
            clinical: dt.date | None = None
            if form_id is not None and form_id in lk.forms:
                patient_id, form_oid = lk.forms[form_id]
                clinical = lk.form_dates.get(form_id)
            patient_number = ""
            if patient_id is not None and patient_id in lk.patients:
                patient_number, consent = lk.patients[patient_id]
                if r.table_name == "patient":
                    clinical = consent
            flags: list[str] = []
            is_change = r.action in DATA_ACTIONS
            if is_change and clinical is not None and \
                    (local.date() - clinical).days > s.late_after_days:
                flags.append(LATE)
            if is_change and form_id is not None:
                state_item = r.table_name == "form_data" and r.item in (
                    "signed", "verified", "locked", "status")
                if not state_item:
                    if signed.get(form_id) or broken.get(form_id, ("", ""))[0] == "signed":
                        flags.append(AFTER_SIGNATURE)
                    if verified.get(form_id) or broken.get(form_id, ("", ""))[1] == "verified":
                        flags.append(AFTER_SDV)
                if r.table_name == "form_data" and r.item in ("signed", "verified"):
                    now_true = r.new_value == "true"
                    state = signed if r.item == "signed" else verified
                    if state.get(form_id) and not now_true:
                        sig, ver = broken.get(form_id, ("", ""))
                        broken[form_id] = ("signed", ver) if r.item == "signed" else \
                            (sig, "verified")
                    state[form_id] = now_true
            hour = local.hour
            start, end = s.odd_hours_start, s.odd_hours_end
            odd = (hour >= start or hour < end) if start > end else start <= hour < end
            if odd:
                flags.append(ODD_HOURS)
            if r.action == "CLOCK_ANOMALY":
                flags.append(CLOCK)
            yield AuditEntry(
                r.seq, utc, local, r.username, r.role, r.site_code, r.action, r.table_name,
                r.record_id, r.item, r.old_value, r.new_value, r.reason, patient_number,
                form_oid, item_oid, clinical, tuple(flags))
