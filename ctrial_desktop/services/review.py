"""Review workflow: queries, source-data verification, electronic signatures and locks.

* Queries: monitors and data managers raise a query on a form or one field; site staff
  answer it (changing the data through the form service if needed, with a reason);
  the raiser's side closes or re-opens it.
* Source-data verification: monitors tick a form as verified; a later change of the
  form's data clears the tick (the form service does it when it saves).
* Signatures (21 CFR Part 11 style): the investigator re-enters user ID and password,
  sees the meaning, and each signature stores the SHA-256 of exactly the content
  signed (:func:`content_hash`), so any later change is detected. A signed form is
  read-only; to correct it the signature is withdrawn with a reason and the form is
  signed again.
* Locks: data managers lock and unlock forms, whole patients or a whole site, with a
  reason; a locked form is read-only and a locked patient gets no new forms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.auth import AuthService, now_utc
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import (
    AuthenticationError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Site
from ctrial_desktop.store.models_review import Query, QueryMessage, Signature

DEFAULT_MEANING = "I confirm that the data are accurate and complete"
QUERY_STATUSES = ("open", "answered", "closed")


@dataclass(frozen=True)
class QueryMessageRow:
    kind: str
    text: str
    author: str
    written_at: dt.datetime


@dataclass(frozen=True)
class QueryRow:
    """A query as the query list and the form show it."""

    id: int
    patient_id: int
    patient_number: str
    site_code: str
    form_data_id: int
    event_oid: str
    event_repeat: int
    form_oid: str
    item_group_oid: str
    group_repeat: int
    item_oid: str
    status: str
    raised_by: str
    raised_at: dt.datetime
    messages: tuple[QueryMessageRow, ...]
    #: The day of the visit of the queried form instance (cycle day; 1 for forms due once).
    visit_day: int = 1

    def age_days(self, today: dt.date) -> int:
        return (today - self.raised_at.date()).days


@dataclass(frozen=True)
class SignatureRow:
    """A signature with whether the signed content is still exactly what is stored."""

    id: int
    form_data_id: int
    printed_name: str
    meaning: str
    signed_at: dt.datetime
    content_hash: str
    active: bool
    valid: bool


def content_hash(session: Session, form: FormData, patient_number: str) -> str:
    """SHA-256 of a form instance's canonical content.

    Canonical content: the JSON object ``{"event", "form", "patient", "repeat",
    "values", "version"}`` with sorted keys, separators ``,`` and ``:``, UTF-8, where
    ``values`` is the sorted list of ``[group OID, group repeat, item OID, value]`` of
    every active stored value; an instance of a later day of the visit (cycle day 8, 15,
    22) adds ``"day"`` (day 1 leaves it out, so signatures made before days existed hold).
    """
    values = sorted(
        [v.item_group_oid, v.group_repeat, v.item_oid, v.value or ""]
        for v in session.scalars(select(ItemValue).where(
            ItemValue.form_data_id == form.id, ItemValue.active.is_(True))))
    payload = {"patient": patient_number, "event": form.event_oid, "repeat": form.event_repeat,
               "form": form.form_oid, "version": form.form_version, "values": values}
    if form.visit_day != 1:
        payload["day"] = form.visit_day
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError(Message("A reason is required."), {"reason": "required"})
    return reason.strip()


class ReviewService:
    """Queries, verification, signatures and locks for one user."""

    def __init__(self, db: Database, actor: Actor, auth: AuthService | None = None) -> None:
        self.db = db
        self.actor = actor
        self.auth = auth or AuthService(db)

    # -- helpers --------------------------------------------------------------------------
    def _form(self, session: Session, form_data_id: int) -> tuple[FormData, Patient, str]:
        row = session.execute(
            select(FormData, Patient, Site.code)
            .join(Patient, FormData.patient_id == Patient.id)
            .join(Site, Patient.site_id == Site.id)
            .where(FormData.id == form_data_id)).first()
        if row is None:
            raise NotFound(Message("No form #{form_data_id}.", form_data_id=form_data_id))
        form, patient, code = row
        self.actor.require(Action.VIEW_PATIENTS, code)
        return form, patient, code

    def _query_row(self, session: Session, query: Query) -> QueryRow:
        form, patient, code = self._form(session, query.form_data_id)
        messages = tuple(
            QueryMessageRow(m.kind, m.text, m.author, m.written_at)
            for m in session.scalars(select(QueryMessage).where(
                QueryMessage.query_id == query.id).order_by(QueryMessage.id)))
        return QueryRow(query.id, patient.id, patient.patient_number, code, form.id,
                        form.event_oid, form.event_repeat, form.form_oid, query.item_group_oid,
                        query.group_repeat, query.item_oid, query.status, query.raised_by,
                        query.raised_at, messages, form.visit_day)

    def _message(self, session: Session, query: Query, kind: str, text: str, code: str) -> None:
        self.db.audit.insert(session, self.actor.audit_context(code), QueryMessage(
            query_id=query.id, kind=kind, text=text, author=self.actor.username,
            written_at=now_utc()), reason=f"query {kind}")

    # -- queries --------------------------------------------------------------------------
    def raise_query(self, form_data_id: int, text: str, *, item_group_oid: str = "",
                    group_repeat: int = 1, item_oid: str = "") -> QueryRow:
        """Raise a query on a form, or on one field when ``item_oid`` is given."""
        if not text.strip():
            raise ValidationError(Message("Write the question of the query."), {"text": "required"})
        with self.db.write() as session:
            form, patient, code = self._form(session, form_data_id)
            self.actor.require(Action.RAISE_QUERY, code)
            query = Query(patient_id=patient.id, form_data_id=form.id,
                          item_group_oid=item_group_oid, group_repeat=group_repeat,
                          item_oid=item_oid, status="open", site_code=code,
                          raised_by=self.actor.username, raised_at=now_utc(), active=True)
            self.db.audit.insert(session, self.actor.audit_context(code), query,
                                 reason="query raised")
            self._message(session, query, "raise", text.strip(), code)
            return self._query_row(session, query)

    def _transition(self, query_id: int, action: Action, allowed_from: Sequence[str],
                    new_status: str, kind: str, text: str) -> QueryRow:
        with self.db.write() as session:
            query = session.get(Query, query_id)
            if query is None or not query.active:
                raise NotFound(Message("No query #{query_id}.", query_id=query_id))
            _form, _patient, code = self._form(session, query.form_data_id)
            self.actor.require(action, code)
            if query.status not in allowed_from:
                verb = {"answer": "answered", "close": "closed", "reopen": "re-opened"}[kind]
                raise ValidationError(Message("The query is {status}; it cannot be {verb} now.",
                                              status=query.status, verb=verb))
            self.db.audit.update(session, self.actor.audit_context(code), query,
                                 {"status": new_status}, f"query {kind}")
            self._message(session, query, kind, text, code)
            return self._query_row(session, query)

    def answer_query(self, query_id: int, text: str) -> QueryRow:
        if not text.strip():
            raise ValidationError(Message("Write the answer."), {"text": "required"})
        return self._transition(query_id, Action.ANSWER_QUERY, ("open",), "answered", "answer",
                                text.strip())

    def close_query(self, query_id: int, text: str = "") -> QueryRow:
        return self._transition(query_id, Action.CLOSE_QUERY, ("open", "answered"), "closed",
                                "close", text.strip() or "closed")

    def reopen_query(self, query_id: int, text: str) -> QueryRow:
        if not text.strip():
            raise ValidationError(Message("Say why the query is re-opened."), {"text": "required"})
        return self._transition(query_id, Action.CLOSE_QUERY, ("answered", "closed"), "open",
                                "reopen", text.strip())

    def list_queries(self, *, status: str | None = None, site_code: str | None = None,
                     patient_id: int | None = None, older_than_days: int | None = None,
                     today: dt.date | None = None) -> list[QueryRow]:
        """Queries the user may see, filtered by status, site, patient and age."""
        if status is not None and status not in QUERY_STATUSES:
            raise ValidationError(Message("Unknown query status {status}.", status=status))
        stmt = select(Query).where(Query.active.is_(True)).order_by(Query.raised_at, Query.id)
        if status:
            stmt = stmt.where(Query.status == status)
        if site_code:
            stmt = stmt.where(Query.site_code == site_code)
        if patient_id is not None:
            stmt = stmt.where(Query.patient_id == patient_id)
        visible = self.actor.sites_for(Action.VIEW_PATIENTS)
        if visible is not None:
            stmt = stmt.where(Query.site_code.in_(sorted(visible)))
        day = today or dt.date.today()
        with self.db.read() as session:
            rows = [self._query_row(session, q) for q in session.scalars(stmt)]
        if older_than_days is not None:
            rows = [r for r in rows if r.age_days(day) >= older_than_days]
        return rows

    def open_query_counts(self, patient_id: int) -> dict[int, int]:
        """Open (not yet answered) queries per form instance of a patient."""
        with self.db.read() as session:
            rows = session.execute(
                select(Query.form_data_id, func.count(Query.id))
                .where(Query.patient_id == patient_id, Query.active.is_(True),
                       Query.status == "open")
                .group_by(Query.form_data_id)).all()
        return {form_id: count for form_id, count in rows}

    # -- source-data verification -----------------------------------------------------------
    def set_verified(self, form_data_id: int, verified: bool, reason: str = "") -> None:
        """Tick (or untick, with a reason) a form as verified against source documents."""
        with self.db.write() as session:
            form, _patient, code = self._form(session, form_data_id)
            self.actor.require(Action.VERIFY_SOURCE, code)
            if verified and form.status != "complete":
                raise ValidationError(Message("Only a complete form can be verified."))
            why = "source data verified" if verified else _reason(reason)
            self.db.audit.update(session, self.actor.audit_context(code), form,
                                 {"verified": verified}, why)

    # -- signatures -----------------------------------------------------------------------
    def sign(self, form_data_ids: Iterable[int], username: str, password: str,
             meaning: str = DEFAULT_MEANING) -> list[SignatureRow]:
        """Sign forms after re-entering user ID and password; each keeps its content hash."""
        ids = list(dict.fromkeys(form_data_ids))
        if not ids:
            raise ValidationError(Message("Choose at least one form to sign."))
        if username.strip().lower() != self.actor.username:
            raise AuthenticationError(Message("The user ID is not the one of the logged-in user."))
        with self.db.read() as session:
            for form_id in ids:
                form, patient, code = self._form(session, form_id)
                self.actor.require(Action.SIGN, code)
                if form.status != "complete":
                    raise ValidationError(Message("{form_oid} of {patient_number} is not "
                                                  "complete and cannot be signed.",
                                                  form_oid=form.form_oid,
                                                  patient_number=patient.patient_number))
                if form.signed:
                    raise ValidationError(Message("{form_oid} of {patient_number} is signed "
                                                  "already.",
                                                  form_oid=form.form_oid,
                                                  patient_number=patient.patient_number))
        self.auth.reauthenticate(self.actor, password, "electronic signature")
        rows = []
        with self.db.write() as session:
            for form_id in ids:
                form, patient, code = self._form(session, form_id)
                ctx = self.actor.audit_context(code)
                signature = Signature(
                    form_data_id=form.id, user_id=self.actor.user_id,
                    printed_name=self.actor.full_name, meaning=meaning,
                    signed_at=now_utc(), content_hash=content_hash(session, form,
                                                                   patient.patient_number),
                    active=True)
                self.db.audit.insert(session, ctx, signature, reason=meaning)
                self.db.audit.update(session, ctx, form, {"signed": True}, "signed")
                rows.append(self._signature_row(session, signature, form, patient))
        return rows

    def _signature_row(self, session: Session, signature: Signature, form: FormData,
                       patient: Patient) -> SignatureRow:
        valid = signature.content_hash == content_hash(session, form, patient.patient_number)
        return SignatureRow(signature.id, form.id, signature.printed_name, signature.meaning,
                            signature.signed_at, signature.content_hash, signature.active,
                            valid)

    def signatures(self, form_data_id: int) -> list[SignatureRow]:
        """Every signature of a form, newest first, each checked against the stored data."""
        with self.db.read() as session:
            form, patient, _code = self._form(session, form_data_id)
            return [self._signature_row(session, s, form, patient) for s in session.scalars(
                select(Signature).where(Signature.form_data_id == form_data_id)
                .order_by(Signature.id.desc()))]

    def withdraw_signature(self, form_data_id: int, reason: str) -> None:
        """Void the signature so the form can be corrected; it must then be signed again."""
        reason = _reason(reason)
        with self.db.write() as session:
            form, _patient, code = self._form(session, form_data_id)
            if not (self.actor.can(Action.SIGN, code) or self.actor.can(Action.ENTER_DATA, code)):
                raise PermissionDenied(Message("Your role cannot withdraw signatures."))
            if form.locked:
                raise ValidationError(Message("The form is locked; a data manager must unlock it "
                                              "first."))
            ctx = self.actor.audit_context(code)
            for signature in session.scalars(select(Signature).where(
                    Signature.form_data_id == form.id, Signature.active.is_(True))):
                self.db.audit.update(session, ctx, signature, {"active": False}, reason)
            self.db.audit.update(session, ctx, form, {"signed": False}, reason)

    # -- locks ----------------------------------------------------------------------------
    def set_forms_locked(self, form_data_ids: Iterable[int], locked: bool, reason: str) -> int:
        """Lock or unlock form instances; returns how many changed."""
        reason = _reason(reason)
        changed = 0
        with self.db.write() as session:
            for form_id in form_data_ids:
                form, _patient, code = self._form(session, form_id)
                self.actor.require(Action.LOCK, code)
                changed += self.db.audit.update(session, self.actor.audit_context(code), form,
                                                {"locked": locked}, reason)
        return changed

    def set_patient_locked(self, patient_id: int, locked: bool, reason: str) -> int:
        """Lock or unlock every form of a patient and the patient (no new forms)."""
        reason = _reason(reason)
        with self.db.write() as session:
            row = session.execute(select(Patient, Site.code).join(Site).where(
                Patient.id == patient_id)).first()
            if row is None:
                raise NotFound(Message("No patient #{patient_id}.", patient_id=patient_id))
            patient, code = row
            self.actor.require(Action.LOCK, code)
            return self._lock_patient(session, patient, code, locked, reason)

    def _lock_patient(self, session: Session, patient: Patient, code: str, locked: bool,
                      reason: str) -> int:
        ctx = self.actor.audit_context(code)
        changed = 0
        for form in session.scalars(select(FormData).where(FormData.patient_id == patient.id)):
            changed += self.db.audit.update(session, ctx, form, {"locked": locked}, reason)
        if patient.locked != locked:
            patient.locked = locked
            self.db.audit.append(session, ctx, "LOCK" if locked else "UNLOCK",
                                 table_name="patient", record_id=patient.id, item="locked",
                                 old_value=str(not locked).lower(),
                                 new_value=str(locked).lower(), reason=reason)
        return changed

    def set_site_locked(self, site_code: str, locked: bool, reason: str) -> int:
        """Lock or unlock every patient of a site at once."""
        reason = _reason(reason)
        self.actor.require(Action.LOCK, site_code)
        with self.db.write() as session:
            site = session.scalar(select(Site).where(Site.code == site_code))
            if site is None:
                raise NotFound(Message("No site {site_code}.", site_code=site_code))
            return sum(self._lock_patient(session, p, site_code, locked, reason)
                       for p in session.scalars(select(Patient).where(
                           Patient.site_id == site.id)))
