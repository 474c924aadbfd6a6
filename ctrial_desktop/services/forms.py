"""The form engine's use cases: open, check, compute, save a CRF form; drafts; history.

One save is one write transaction with its audit records: values, computed values,
the form's status and version commit together or not at all.

Rules the service applies (the form definition in ``forms/`` supplies the data):

* **Parsing.** Each item type is parsed by :mod:`ctrial_desktop.domain.values`; the
  database holds canonical text. A hard range (``range``) refuses a value; a soft
  range (``soft_range``) asks for a confirmation whose reason is kept in the reason
  of the value's audit record ("Value confirmed: …"). A soft-range value saved once
  stays confirmed while it is unchanged.
* **Visibility.** A hidden item is neither required nor saved. When an item with a
  saved value becomes hidden (e.g. the sex is corrected to M after "childbearing
  potential" was answered), its value is cleared in the same save, audited with the
  reason "no longer applicable"; no reason is asked of the user for it.
* **Required items** do not block a save: a form with a missing required item is
  saved "in_progress" and the missing items are returned as warnings (check
  ``REQUIRED``); it is "complete" when nothing is missing and nothing is wrong.
* **Errors** (parsing, hard ranges, edit checks and cross-form checks of severity
  error) refuse the whole save and nothing is written. Edit-check warnings never
  block; they are returned with the result.
* **Reasons for change.** Changing or clearing a saved value needs a reason
  (``reasons[key]``); filling an empty item does not. Removing a saved row of a
  repeating group (sending none of its values) sets its values inactive with a
  reason given for any key of that row or for ``ValueKey(group, repeat, "")``.
* **Optimistic concurrency.** A save names the form version it read; if somebody
  saved since, :class:`ConflictError` names who changed what and when, and writes
  nothing (the caller keeps the user's input).
* **Computed items** are derived on every save from their inputs (which may be items
  of other forms of the patient, e.g. age and sex of the demographics form) and stored
  with the values, audited with the reason "recomputed".
* **Read-only items** are written by the system only: a client's value for them is
  ignored and the stored one kept (and seen by the conditions and checks). The IMWG
  response of the disease assessments (``I.DA.RESP_DERIVED``) is derived again in the
  same transaction whenever a form it depends on is saved
  (:mod:`ctrial_desktop.services.derived_response`).
* **Form versions.** ``FormData.form_version`` keeps the version of the form
  definition the data were first entered with.
* **Visit days.** A form due on several days of a cycle (``days`` of its reference in
  the event, e.g. the haematology on days 1, 8, 15 and 22) has one instance per day,
  each with its own values, status, version, draft and history; ``day`` names it
  (None: the form's first day) and a day the form is not due on is not found.

Cross-form checks take their other data from the patient's stored forms: the consent
date of the patient record, the same form in the previous repeat of the event on the
same day (the previous cycle's day 1), the arm's planned days and starting dose (or a
dose-level provider given to the service), the latest complete date of the patient's
other visit forms, the randomization date, the CTCAE term list of the study's version,
and the screening values of beta-2 microglobulin (``*.B2M``), albumin (``*.ALB``) and ISS stage.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, NamedTuple, TypeVar

from sqlalchemy import Column, Dialect, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from ctrial_desktop.domain import checks as expressions
from ctrial_desktop.domain import crossform
from ctrial_desktop.domain.computed import FUNCTIONS as COMPUTED
from ctrial_desktop.domain.computed import compute
from ctrial_desktop.domain.ctcae import CtcaeTerm, load_ctcae_terms
from ctrial_desktop.domain.messages import Message
from ctrial_desktop.domain.values import (
    Parsed,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_multi_choice,
    parse_partial_date,
    parse_text,
    parse_time,
    parse_yes_no,
    to_date,
    to_decimal,
)
from ctrial_desktop.paths import resources_dir
from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.derived_response import (
    DERIVED_GROUP,
    DERIVED_ITEM,
    DERIVED_REASON,
    RESPONSE_INPUT_FORMS,
    keep_read_only,
    live_derived,
    update_derived_responses,
)
from ctrial_desktop.services.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from ctrial_desktop.services.patients import age_on
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.audit import AuditEvent, parse_timestamp
from ctrial_desktop.store.bulk import driver_execute, insert_rows_returning, select_rows
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import (
    AuditRecord,
    Base,
    FormData,
    ItemValue,
    Patient,
    Randomization,
    Site,
)
from ctrial_desktop.store.models_forms import FormDraft
from ctrial_desktop.study import Form, Item, ItemGroup, StudyDefinition

__all__ = [
    "FieldMessage",
    "FormService",
    "FormSnapshot",
    "HistoryEntry",
    "ReasonRequired",
    "SaveResult",
    "ValueKey",
]

#: Audit action written once per save (not replayed: it carries the new form version).
SAVE_ACTION = "FORM_SAVED"
#: Audit action of a soft-range confirmation of a value that did not change.
CONFIRM_ACTION = "VALUE_CONFIRMED"
#: Reason of a value cleared because its item became hidden.
NOT_APPLICABLE = "no longer applicable"
#: Reason of a computed value written by the system.
RECOMPUTED = "recomputed from its inputs"
#: ``check_oid`` of the messages the engine makes itself (others are edit-check OIDs).
CHECK_TYPE = "TYPE"
CHECK_RANGE = "RANGE"
CHECK_SOFT_RANGE = "SOFT_RANGE"
CHECK_REQUIRED = "REQUIRED"
#: PROTOCOL section 5: age group of minimization is age < 65 vs >= 65.
AGE_GROUP_LIMIT = 65

Status = Literal["not_started", "in_progress", "complete"]

@lru_cache(maxsize=2)
def _ctcae_terms(version: str) -> Mapping[str, CtcaeTerm]:
    """The CTCAE term list of a version by MedDRA code, read once from the resources."""
    return {t.meddra_code: t for t in load_ctcae_terms(resources_dir() / "ctcae", version)}


#: Parsed visibility conditions and edit checks (the same few sources are evaluated often).
_expression = lru_cache(maxsize=1024)(expressions.parse)


@lru_cache(maxsize=1024)
def _reads(source: str) -> tuple[str, ...]:
    """The item OIDs an expression reads, in a fixed order."""
    return tuple(sorted(_expression(source).references))


#: (what, id(form)) -> (form, what was worked out of it): forms live as long as their
#: study definition, and a save looks the same things up many times.
_FORM_FACTS: dict[tuple[str, int], tuple[Form, Any]] = {}
_Fact = TypeVar("_Fact")


def _form_fact(form: Form, build: Callable[[Form], _Fact]) -> _Fact:
    """``build(form)``, worked out once per form definition."""
    key = (build.__name__, id(form))
    known = _FORM_FACTS.get(key)
    if known is not None and known[0] is form:
        return known[1]  # type: ignore[no-any-return]
    if len(_FORM_FACTS) > 2048:  # definitions loaded again and again (tests)
        _FORM_FACTS.clear()
    fact = build(form)
    _FORM_FACTS[key] = (form, fact)
    return fact


def _outside_inputs(form: Form) -> tuple[str, ...]:
    """Items of other forms that this form's expressions (visibility, edit checks) and
    computed items read: the only values of the patient's other forms a save needs."""
    return _form_fact(form, _find_outside_inputs)


def _find_outside_inputs(form: Form) -> tuple[str, ...]:
    own = {item.oid for _group, item in form.iter_items()}
    sources = [g.visible_if for g in form.item_groups] + [
        item.visible_if for _group, item in form.iter_items()] + [
        check.expression for check in form.edit_checks if check.kind == "expression"]
    wanted = set().union(*(_expression(source).references for source in sources if source))
    for _group, item in form.iter_items():
        if item.computed is not None:
            wanted.update(item.computed.inputs)
    return tuple(sorted(wanted - own))


@dataclass(frozen=True)
class _ComputePlan:
    """How a form's computed items are worked out: the group each item OID is found in
    first (where a computed item's input comes from), and how many passes it takes (two
    when a computed item takes another computed item of the form as input)."""

    group_of: Mapping[str, ItemGroup]
    passes: int


def _compute_plan(form: Form) -> _ComputePlan:
    return _form_fact(form, _make_compute_plan)


def _make_compute_plan(form: Form) -> _ComputePlan:
    group_of: dict[str, ItemGroup] = {}
    for group in form.item_groups:
        for item in group.items:
            group_of.setdefault(item.oid, group)
    computed = [item for _group, item in form.iter_items() if item.computed is not None]
    outputs = {item.oid for item in computed}
    chained = any(oid in outputs for item in computed
                  for oid in item.computed.inputs)  # type: ignore[union-attr]
    return _ComputePlan(group_of, 2 if chained else 1)


class ValueKey(NamedTuple):
    """Where a value sits in a form: item group, row (1 for non-repeating groups), item.

    A named tuple: keys are hashed, compared and sorted thousands of times per save."""

    group_oid: str
    repeat: int
    item_oid: str

    def __str__(self) -> str:
        return f"{self.group_oid}[{self.repeat}]/{self.item_oid}"

    @property
    def row(self) -> ValueKey:
        """The key standing for the whole row (``item_oid`` empty)."""
        return ValueKey(self.group_oid, self.repeat, "")


@dataclass(frozen=True)
class FieldMessage:
    """A problem or a warning about one value (``key`` None: about the whole form)."""

    key: ValueKey | None
    severity: Literal["error", "warning"]
    text: str
    check_oid: str | None = None


@dataclass(frozen=True)
class FormSnapshot:
    """A form instance as stored: values, state, and whether the user may edit it."""

    patient_id: int
    event_oid: str
    event_repeat: int
    form_oid: str
    form_version: str
    form_data_id: int | None
    version: int
    status: Status
    values: Mapping[ValueKey, str]
    confirmed_warnings: frozenset[ValueKey]
    signed: bool
    locked: bool
    verified: bool
    read_only_reason: str | None
    updated_by: str | None
    updated_at: dt.datetime | None
    #: The planned day of the visit this instance is for (cycle day; 1 for forms due once).
    visit_day: int = 1


@dataclass(frozen=True)
class SaveResult:
    """The form after a save and the warnings that remain (computed values included)."""

    snapshot: FormSnapshot
    messages: tuple[FieldMessage, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a value, from the audit trail (``when`` is a UTC datetime)."""

    who: str
    when: dt.datetime
    old: str | None
    new: str | None
    reason: str
    action: str


class ReasonRequired(ValidationError):
    """Saved values were changed or removed without a reason; ``keys`` lists them."""

    def __init__(self, message: str | Message, keys: Iterable[ValueKey]) -> None:
        self.keys: tuple[ValueKey, ...] = tuple(sorted(keys))
        super().__init__(message, {str(k): Message("A reason for the change is required.")
                                   for k in self.keys})


#: The patient's course, in order; a status only ever moves forward along it.
_COURSE: tuple[str, ...] = ("randomized", "on_treatment", "off_treatment", "follow_up", "dead")
#: Which saved form shows which step of the course (PROTOCOL section 8).
_STATUS_AFTER_FORM: dict[tuple[str, str], str] = {
    ("SE.CYCLE", "F.POM"): "on_treatment",
    ("SE.CYCLE", "F.DEX"): "on_treatment",
    ("SE.EOT", "F.EOT"): "off_treatment",
    ("SE.FU", "F.FU"): "follow_up",
    ("SE.DEATH", "F.DEATH"): "dead",
}


# Statements of the open and save paths, built once with bound parameters: SQLAlchemy then
# skips building and keying them again at every call (a third of a save's time).
# The patient (with its site's code and activity) and the form instance are read by the
# driver alone (``store/bulk.py``) as plain rows: an ORM object costs more to load than
# the whole statement, and so does SQLAlchemy's own select (every open and save reads
# both). The one use case that changes the patient loads the object (``_advance_status``).
_PATIENT_COLUMNS: tuple[Column[Any], ...] = (
    *Patient.__table__.c, Site.__table__.c.code, Site.__table__.c.active)
_PatientRecord = namedtuple(  # type: ignore[misc]
    "_PatientRecord", [c.name for c in Patient.__table__.c] + ["site_code", "site_is_active"])
_FORM_DATA_COLUMNS: tuple[Column[Any], ...] = tuple(FormData.__table__.c)


@lru_cache(maxsize=8)
def _context_selects(dialect: Dialect) -> tuple[str, str, str]:
    """The selects of the patient, of the form instance, and of it locked for the save."""
    quote = dialect.identifier_preparer.quote
    patient = ", ".join(f"patient.{quote(c.name)}" for c in Patient.__table__.c)
    form = ", ".join(quote(c.name) for c in _FORM_DATA_COLUMNS)
    form_select = (f"SELECT {form} FROM form_data WHERE patient_id = ? AND event_oid = ?"
                   " AND event_repeat = ? AND form_oid = ? AND visit_day = ?")
    # On PostgreSQL the row lock serializes two saves of the same form (SQLite write
    # transactions are already serialized by BEGIN IMMEDIATE).
    lock = "" if dialect.name == "sqlite" else " FOR UPDATE"
    return (f"SELECT {patient}, site.code, site.active FROM patient JOIN site"
            " ON patient.site_id = site.id WHERE patient.id = ?", form_select,
            form_select + lock)


_VALUES_TABLE = ItemValue.__table__
# Run by the driver alone (``store/bulk.py``): every save of a cycle form reads the
# previous cycle's value, and deletes the user's draft.
_PREVIOUS_VISIT_VALUE = (
    "SELECT item_value.value FROM item_value JOIN form_data"
    " ON item_value.form_data_id = form_data.id"
    " WHERE form_data.patient_id = ? AND form_data.event_oid = ? AND form_data.event_repeat = ?"
    " AND form_data.form_oid = ? AND form_data.visit_day = ? AND form_data.active = ?"
    " AND item_value.item_group_oid = ? AND item_value.item_oid = ? AND item_value.active = ?")
_DELETE_DRAFT = ("DELETE FROM form_draft WHERE user_id = ? AND patient_id = ? AND event_oid = ?"
                 " AND event_repeat = ? AND form_oid = ? AND visit_day = ?")
_FORM_VALUES = select(ItemValue).where(ItemValue.form_data_id == bindparam("form_data_id"))
_FORM_COLUMNS = ("patient_id", "event_oid", "event_repeat", "visit_day", "form_oid",
                 "form_version", "status", "signed", "locked", "verified", "active", "version",
                 "updated_at")
_VALUE_COLUMNS = ("form_data_id", "item_group_oid", "group_repeat", "item_oid", "value",
                  "active")
_DATE_KINDS = frozenset({"date", "partial_date"})  # their check depends on today's date
_VALUE_KEY_COLUMNS = ("id", "item_group_oid", "group_repeat", "item_oid")


def _items_of(form: Form) -> Mapping[tuple[str, str], tuple[ItemGroup, Item]]:
    """A form's groups and items by (group OID, item OID), built once per definition (a
    save looks up each of its values several times)."""
    return _form_fact(form, _index_items)


def _index_items(form: Form) -> dict[tuple[str, str], tuple[ItemGroup, Item]]:
    # The first group with an OID wins, as a scan of the groups in order would find.
    index: dict[tuple[str, str], tuple[ItemGroup, Item]] = {}
    for group in form.item_groups:
        for item in group.items:
            index.setdefault((group.oid, item.oid), (group, item))
    return index


class _RowEnvs:
    """Typed expression values of one set of form values: the non-repeating ones (with
    the inputs taken from other forms) and each repeating row's own, so that the values
    a row's expressions see are built without scanning the whole form again."""

    def __init__(self, base: dict[str, object],
                 rows: dict[tuple[str, int], dict[str, object]]) -> None:
        self.base = base
        self.rows = rows
        self._merged: dict[tuple[str, int], Mapping[str, object]] = {}

    def env(self, group: ItemGroup | None, repeat: int) -> Mapping[str, object]:
        """The values a row's expressions see (read only: shared between callers)."""
        if group is None:
            return self.base
        key = (group.oid, repeat)
        merged = self._merged.get(key)
        if merged is None:
            own = self.rows.get(key)
            merged = self._merged[key] = {**self.base, **own} if own else self.base
        return merged


@dataclass(slots=True)
class _NewRow:
    """A value this save inserted (what the save still needs of it, without an ORM object)."""

    id: int
    value: str | None
    active: bool = True


@dataclass(slots=True)
class _NewForm:
    """A form instance this save inserted (what the save still needs of it, without an ORM
    object: building one costs more than the insert)."""

    id: int
    form_version: str
    status: str
    updated_at: dt.datetime
    version: int = 1
    signed: bool = False
    locked: bool = False
    verified: bool = False
    active: bool = True


@dataclass
class _Context:
    """What one use case loaded: the patient, the form instance and the stored values."""

    patient: Any  # _PatientRecord: the patient's columns, with the site's code and activity
    site_code: str
    site_active: bool
    form: Form
    event_oid: str
    event_repeat: int
    form_data: FormData | _NewForm | None
    visit_day: int = 1
    rows: dict[ValueKey, ItemValue | _NewRow] = field(default_factory=dict)
    #: Values of the patient's other forms by item OID (filled by the evaluation).
    others: dict[str, str] = field(default_factory=dict)
    #: What the checks of one use case work out once (the patient's dose level...).
    memo: dict[str, object] = field(default_factory=dict)

    @property
    def stored(self) -> dict[ValueKey, str]:
        return {k: r.value for k, r in self.rows.items() if r.active and r.value is not None}


DoseLevelProvider = Callable[[int, str], Decimal | None]


class FormService:
    """Open, check and save CRF forms for one user (see the module docstring for the rules).

    ``dose_level`` may give the patient's current dose level of a drug
    (``"pomalidomide"`` or ``"dexamethasone"``) in mg; without it the check uses the
    starting dose of the patient's arm, which no dose may exceed.
    """

    def __init__(
        self,
        db: Database,
        actor: Actor,
        study: StudyDefinition,
        today: dt.date | None = None,
        *,
        dose_level: DoseLevelProvider | None = None,
    ) -> None:
        self.db = db
        self.actor = actor
        self.study = study
        self._today = today
        self._dose_level = dose_level
        # Typed values of the patient's other forms, for the one ``others`` mapping being
        # evaluated (kept with it: an identity check, never a stale id).
        self._others_memo: tuple[Mapping[str, str], dict[str, object]] | None = None
        # (item OID, canonical text) -> typed value: typing is pure; lists are not kept.
        self._typed_memo: dict[tuple[str, str], object] = {}
        self._choice_memo: dict[str, tuple[list[str], dict[str, tuple[str, str]]]] = {}
        # (item OID, typed text[, today or CTCAE version]) -> canonical text of a value that
        # raised no message: checking a value is pure (but for the date of today and the
        # CTCAE version in use), and a form repeats its values (the dose and status of
        # every daily row, the next save).
        self._checked_memo: dict[tuple[object, ...], str] = {}
        self._status_memo: dict[str, str | None] = {}
        # (expression source, the values it reads) -> its value: an expression is pure,
        # and the rows of a table mostly repeat one another (the daily dose and status).
        self._value_memo: dict[tuple[object, ...], object] = {}

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # ------------------------------------------------------------------ public API

    def open(self, patient_id: int, event_oid: str, event_repeat: int,
             form_oid: str, *, day: int | None = None) -> FormSnapshot:
        """The stored form (version 0 and no values when never saved).

        ``day`` is the planned day of the visit of a form due on several days (cycle
        days 1, 8, 15, 22 of the haematology); None is the form's first day. Every
        method of the service takes it alike.
        """
        with self.db.read() as session:
            ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid, day)
            return self._snapshot(session, ctx, event_oid, event_repeat)

    def check_field(self, form_oid: str, key: ValueKey, raw: str,
                    values: Mapping[ValueKey, str]) -> tuple[str | None, list[FieldMessage]]:
        """Parse one typed value: canonical text and its messages (type, ranges, code list)."""
        form = self._form(form_oid)
        group, item = self._locate(form, key)
        del values  # the single-field check needs no other value; kept for the UI's contract
        return self._check_value(group, item, key, raw)

    def not_applicable(self, patient_id: int) -> frozenset[tuple[str, str]]:
        """The (event OID, form OID) of the schedule whose ``applicable_if`` is definitely
        false for this patient (the pregnancy test of a man): shown as not applicable and
        not awaited. A condition on values not entered yet leaves the form applicable."""
        conditional = [(event.oid, ref) for event in self.study.events for ref in event.forms
                       if ref.applicable_if]
        if not conditional:
            return frozenset()
        with self.db.read() as session:
            found = session.execute(select(Patient, Site.code).join(
                Site, Patient.site_id == Site.id).where(Patient.id == patient_id)).first()
            if found is None or not found[0].active:
                raise NotFound(Message("No patient #{patient_id}.", patient_id=patient_id))
            if not self.actor.can(Action.VIEW_PATIENTS, found[1]):
                raise PermissionDenied(Message("You cannot see the patients of site {code}.",
                                               code=found[1]))
            wanted = set().union(*(_expression(ref.applicable_if).references
                                   for _event, ref in conditional))
            rows = session.execute(
                select(ItemValue.item_oid, ItemValue.value)
                .join(FormData, ItemValue.form_data_id == FormData.id)
                .where(FormData.patient_id == patient_id, FormData.active.is_(True),
                       ItemValue.active.is_(True), ItemValue.value.is_not(None),
                       ItemValue.item_oid.in_(sorted(wanted)))
                .order_by(FormData.id, ItemValue.group_repeat)).all()
        env: dict[str, object] = {}
        for oid, text in rows:  # the first entered value of an item (screening first)
            if oid not in env and self.study.has_item(oid):
                env[oid] = self._typed(self.study.item(oid), text)
        return frozenset((event_oid, ref.form) for event_oid, ref in conditional
                         if _expression(ref.applicable_if).fails(env))

    def check_form(self, patient_id: int, event_oid: str, event_repeat: int, form_oid: str,
                   values: Mapping[ValueKey, str], *, day: int | None = None
                   ) -> list[FieldMessage]:
        """Every message of the form: values, required items, edit and cross-form checks."""
        with self.db.read() as session:
            ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid, day)
            _, messages = self._evaluate(session, ctx, event_oid, event_repeat, values)
            return messages

    def computed_values(self, patient_id: int, event_oid: str, event_repeat: int,
                        form_oid: str, values: Mapping[ValueKey, str], *,
                        day: int | None = None) -> dict[ValueKey, str]:
        """The computed items of the form for these values (missing inputs: no value)."""
        with self.db.read() as session:
            ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid, day)
            parsed, _ = self._parse_all(ctx.form, values)
            visible = self._visible_values(session, ctx, event_oid, event_repeat, parsed)
            return self._compute(session, ctx, event_oid, event_repeat, visible)

    def save(
        self,
        patient_id: int,
        event_oid: str,
        event_repeat: int,
        form_oid: str,
        values: Mapping[ValueKey, str],
        *,
        expected_version: int,
        reasons: Mapping[ValueKey, str] | None = None,
        confirmations: Mapping[ValueKey, str] | None = None,
        day: int | None = None,
    ) -> SaveResult:
        """Validate and store the form with its audit trail, all or nothing."""
        reasons = {k: v.strip() for k, v in (reasons or {}).items() if v and v.strip()}
        confirmations = {k: v.strip() for k, v in (confirmations or {}).items()
                         if v and v.strip()}
        try:
            return self._save(patient_id, event_oid, event_repeat, form_oid, values,
                              expected_version, reasons, confirmations, day)
        except IntegrityError:
            # Two users created the same form instance at the same moment: the second loses.
            raise ConflictError(
                Message("Somebody else saved this form at the same moment. Your input is kept: "
                        "reopen the form, then save again.")) from None

    def _save(self, patient_id: int, event_oid: str, event_repeat: int, form_oid: str,
              values: Mapping[ValueKey, str], expected_version: int,
              reasons: Mapping[ValueKey, str],
              confirmations: Mapping[ValueKey, str], day: int | None) -> SaveResult:
        with self.db.write() as session:
            ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid, day,
                                lock=True)
            self._require_edit(ctx)
            self._check_version(session, ctx, expected_version)
            final, messages = self._evaluate(session, ctx, event_oid, event_repeat, values)
            errors = [m for m in messages if m.severity == "error"]
            if errors:
                raise ValidationError(
                    Message("The form was not saved: {problems}",
                            problems=Message.join("; ", [*(m.text for m in errors[:5]),
                                                         *(["…"] if len(errors) > 5 else [])])),
                    {str(m.key) if m.key else "form": m.text for m in errors})
            stored = ctx.stored
            unconfirmed = [m for m in messages if m.check_oid == CHECK_SOFT_RANGE and m.key
                           and stored.get(m.key) != final.get(m.key)
                           and m.key not in confirmations]
            if unconfirmed:
                raise ValidationError(
                    Message("Confirm value: {warnings}",
                            warnings=Message.join("; ", (m.text for m in unconfirmed))),
                    {str(m.key): m.text for m in unconfirmed})
            self._write(session, ctx, final, reasons, confirmations, messages)
            self._advance_status(session, ctx)
            if ctx.form.oid in RESPONSE_INPUT_FORMS and update_derived_responses(
                    session, self.db.audit, self.actor.audit_context(ctx.site_code),
                    self.study, ctx.patient.id, ctx.form_data.id if ctx.form_data else None):
                ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid,
                                    ctx.visit_day)
            self._delete_draft(session, ctx, event_oid, event_repeat)
            session.flush()
            snapshot = self._snapshot(session, ctx, event_oid, event_repeat,
                                      updated_by=self.actor.username)
            remaining = tuple(m for m in messages if m.severity == "warning")
            return SaveResult(snapshot, remaining)

    def save_draft(self, patient_id: int, event_oid: str, event_repeat: int, form_oid: str,
                   values: Mapping[ValueKey, str], *, day: int | None = None) -> None:
        """Keep unsaved input of this user (not trial data: not audited)."""
        payload = json.dumps([[k.group_oid, k.repeat, k.item_oid, v]
                              for k, v in sorted(values.items())], ensure_ascii=False)
        with self.db.write() as session:
            ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid, day)
            self.actor.require(Action.ENTER_DATA, ctx.site_code)
            draft = self._draft(session, ctx, event_oid, event_repeat)
            if draft is None:
                session.add(FormDraft(user_id=self.actor.user_id, patient_id=patient_id,
                                      event_oid=event_oid, event_repeat=event_repeat,
                                      form_oid=form_oid, visit_day=ctx.visit_day,
                                      payload=payload,
                                      updated_at=now_utc()))
            else:
                draft.payload = payload
                draft.updated_at = now_utc()

    def load_draft(self, patient_id: int, event_oid: str, event_repeat: int,
                   form_oid: str, *, day: int | None = None) -> Mapping[ValueKey, str] | None:
        """This user's unsaved input of the form, or None."""
        with self.db.read() as session:
            ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid, day)
            draft = self._draft(session, ctx, event_oid, event_repeat)
            if draft is None:
                return None
            return {ValueKey(g, int(r), i): v for g, r, i, v in json.loads(draft.payload)}

    def discard_draft(self, patient_id: int, event_oid: str, event_repeat: int,
                      form_oid: str, *, day: int | None = None) -> None:
        """Forget this user's unsaved input of the form."""
        with self.db.write() as session:
            ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid, day)
            self._delete_draft(session, ctx, event_oid, event_repeat)

    def history(self, patient_id: int, event_oid: str, event_repeat: int, form_oid: str,
                key: ValueKey, *, day: int | None = None) -> list[HistoryEntry]:
        """Every recorded change of one value, oldest first, from the audit trail."""
        with self.db.read() as session:
            ctx = self._context(session, patient_id, event_oid, event_repeat, form_oid, day)
            row = ctx.rows.get(key)
            if row is None:
                return []
            records = session.scalars(
                select(AuditRecord)
                .where(AuditRecord.table_name == ItemValue.__tablename__,
                       AuditRecord.record_id == row.id)
                .order_by(AuditRecord.seq))
            entries = []
            for record in records:
                if record.item == "active" and record.action == "INSERT":
                    continue
                if record.item == "active":
                    removed = record.new_value == "false"
                    old, new = (row.value, None) if removed else (None, row.value)
                    action = "REMOVED" if removed else "RESTORED"
                else:
                    old, new, action = record.old_value, record.new_value, record.action
                entries.append(HistoryEntry(record.username, parse_timestamp(record.timestamp_utc),
                                            old, new, record.reason, action))
            return entries

    # ------------------------------------------------------------------ loading

    def _form(self, form_oid: str) -> Form:
        try:
            return self.study.form(form_oid)
        except KeyError:
            raise NotFound(Message("There is no form {form_oid} in the study.",
                                   form_oid=form_oid)) from None

    @staticmethod
    def _locate(form: Form, key: ValueKey) -> tuple[ItemGroup, Item]:
        found = _items_of(form).get((key.group_oid, key.item_oid))
        if found is not None:
            group, item = found
            if key.repeat < 1 or (not group.repeating and key.repeat != 1):
                raise ValidationError(Message("{label}: row {repeat} does not exist.",
                                              label=item.label, repeat=key.repeat),
                                      {str(key): "no such row"})
            return found
        raise ValidationError(Message("{item_oid} is not an item of {group_oid} in {oid}.",
                                      item_oid=key.item_oid, group_oid=key.group_oid, oid=form.oid),
                              {str(key): "unknown item"})

    @staticmethod
    def _find(form: Form, key: ValueKey) -> tuple[ItemGroup, Item] | None:
        """The group and item of a key, or None when the form has no such item (any more)."""
        return _items_of(form).get((key.group_oid, key.item_oid))

    def _context(self, session: Session, patient_id: int, event_oid: str, event_repeat: int,
                 form_oid: str, day: int | None = None, *, lock: bool = False) -> _Context:
        form = self._form(form_oid)
        try:
            event = self.study.event(event_oid)
        except KeyError:
            raise NotFound(Message("There is no visit {event_oid} in the study.",
                                   event_oid=event_oid)) from None
        if not any(ref.form == form_oid for ref in event.forms):
            raise NotFound(Message("The form {form_name} is not part of the visit {event_name}.",
                                   form_name=form.name, event_name=event.name))
        if event_repeat < 1 or (not event.repeating and event_repeat != 1):
            raise NotFound(Message("The visit {event_name} has no occurrence {event_repeat}.",
                                   event_name=event.name, event_repeat=event_repeat))
        days = event.form_days(form_oid)
        visit_day = days[0] if day is None else day
        if visit_day not in days:
            raise NotFound(Message("The form {form_name} is not due on day {day} of the visit "
                                   "{event_name}.", form_name=form.name, day=visit_day,
                                   event_name=event.name))
        patient_select, form_select, form_select_locked = _context_selects(
            session.get_bind().dialect)
        found = select_rows(session, patient_select, (patient_id,), _PATIENT_COLUMNS)
        patient = _PatientRecord(*found[0]) if found else None
        if patient is None or not patient.active:
            raise NotFound(Message("No patient #{patient_id}.", patient_id=patient_id))
        if not self.actor.can(Action.VIEW_PATIENTS, patient.site_code):
            raise PermissionDenied(Message("You cannot see the patients of site {code}.",
                                           code=patient.site_code))
        found = select_rows(session, form_select_locked if lock else form_select,
                            (patient_id, event_oid, event_repeat, form_oid, visit_day),
                            _FORM_DATA_COLUMNS)
        form_data = self._form_object(session, found[0]) if found else None
        ctx = _Context(patient, patient.site_code, patient.site_is_active, form, event_oid,
                       event_repeat, form_data, visit_day)
        if form_data is not None:
            for row in session.scalars(_FORM_VALUES, {"form_data_id": form_data.id}):
                ctx.rows[ValueKey(row.item_group_oid, row.group_repeat, row.item_oid)] = row
        return ctx

    @staticmethod
    def _form_object(session: Session, row: tuple[Any, ...]) -> FormData:
        """The session's object of a form instance read as a row (of
        ``_FORM_DATA_COLUMNS``): the one it holds already, or one made of the row (as a
        select of the class would, for less)."""
        columns = dict(zip((c.name for c in _FORM_DATA_COLUMNS), row, strict=True))
        known = session.identity_map.get(identity_key(FormData, (columns["id"],)))
        if isinstance(known, FormData):
            return known
        form_data = FormData(**columns)
        make_transient_to_detached(form_data)
        session.add(form_data)
        return form_data

    def _read_only_reason(self, ctx: _Context) -> Message | None:
        if not self.actor.can(Action.ENTER_DATA, ctx.site_code):
            if self.actor.can(Action.ENTER_DATA):
                return Message("Only the staff of site {code} can edit its data",
                               code=ctx.site_code)
            return Message("Your role cannot edit data")
        if not ctx.site_active:
            return Message("Site {code} is not active yet: an administrator must activate "
                           "it before data can be entered", code=ctx.site_code)
        if ctx.form_data is not None and not ctx.form_data.active:
            return Message("This form was removed")
        if ctx.form_data is not None and ctx.form_data.locked:
            return Message("Locked by the data manager")
        if ctx.patient.locked:
            return Message("The patient's data are locked by the data manager")
        if ctx.form_data is not None and ctx.form_data.signed:
            return Message("Signed by the investigator: the signature must be withdrawn to "
                           "change it")
        return None

    def _require_edit(self, ctx: _Context) -> None:
        reason = self._read_only_reason(ctx)
        if reason is not None:
            raise PermissionDenied(Message("{form_name} of {patient_number} cannot be changed: "
                                           "{reason}.",
                                           form_name=ctx.form.name,
                                           patient_number=ctx.patient.patient_number,
                                           reason=reason))

    def _snapshot(self, session: Session, ctx: _Context, event_oid: str,
                  event_repeat: int, *, updated_by: str | None = None) -> FormSnapshot:
        """The form as stored; ``updated_by`` is who saved it last, when the caller knows."""
        fd = ctx.form_data
        stored = ctx.stored
        confirmed = frozenset(
            key for key, value in stored.items()
            if (found := self._find(ctx.form, key)) is not None
            and self._soft_range_message(*found, key, value) is not None)
        if fd is None:
            updated_by = None
        elif updated_by is None:
            updated_by = session.scalar(
                select(AuditRecord.username)
                .where(AuditRecord.action == SAVE_ACTION,
                       AuditRecord.table_name == FormData.__tablename__,
                       AuditRecord.record_id == fd.id)
                .order_by(AuditRecord.seq.desc()).limit(1))
        status: Status = "not_started" if fd is None else fd.status  # type: ignore[assignment]
        return FormSnapshot(
            patient_id=ctx.patient.id, event_oid=event_oid, event_repeat=event_repeat,
            form_oid=ctx.form.oid,
            form_version=fd.form_version if fd is not None else ctx.form.version,
            form_data_id=fd.id if fd is not None else None,
            version=fd.version if fd is not None else 0, status=status,
            values=dict(sorted(stored.items())), confirmed_warnings=confirmed,
            signed=bool(fd and fd.signed), locked=bool(fd and fd.locked),
            verified=bool(fd and fd.verified), read_only_reason=self._read_only_reason(ctx),
            updated_by=updated_by,
            updated_at=fd.updated_at.replace(tzinfo=dt.UTC) if fd is not None else None,
            visit_day=ctx.visit_day)

    # ------------------------------------------------------------------ checking values

    def _label(self, item: Item) -> str:
        return item.label.en

    def _unit(self, item: Item) -> str:
        """`` g/L`` (with its space) in every language, '' without a unit."""
        if item.unit is None:
            return ""
        try:
            return Message.verbatim(" {unit}", unit=self.study.unit(item.unit).label)
        except KeyError:
            return ""

    def _parse(self, item: Item, raw: str) -> Parsed:
        kind = item.type
        if kind == "date":
            return parse_date(raw, today=self.today, allow_future=item.allow_future)
        if kind == "partial_date":
            return parse_partial_date(raw, today=self.today, allow_future=item.allow_future)
        if kind == "time":
            return parse_time(raw)
        if kind == "integer":
            return parse_integer(raw)
        if kind == "decimal":
            return parse_decimal(raw, item.decimals)
        if kind == "yes_no":
            return parse_yes_no(raw)
        if kind in ("choice", "multi_choice"):
            codes, decodes = self._choices(item.codelist or "")
            parser = parse_choice if kind == "choice" else parse_multi_choice
            return parser(raw, codes, decodes)
        if kind == "ctcae_term":
            return self._parse_term(raw)
        if kind == "long_text":
            return parse_text(raw, item.max_length, multiline=True)
        return parse_text(raw, item.max_length)

    def _choices(self, codelist_oid: str) -> tuple[list[str], dict[str, tuple[str, str]]]:
        """A code list's codes and their English and French decodes, as the choice parsers
        take them (built once per code list)."""
        known = self._choice_memo.get(codelist_oid)
        if known is None:
            codelist = self.study.codelist(codelist_oid)
            known = self._choice_memo[codelist_oid] = (
                [str(c) for c in codelist.codes],
                {str(e.code): (e.decode.en, e.decode.fr) for e in codelist.items})
        return known

    @property
    def _terms(self) -> Mapping[str, CtcaeTerm]:
        return _ctcae_terms(self.study.settings.ctcae.version)

    def _parse_term(self, raw: str) -> Parsed:
        text = parse_text(raw)
        if text.canonical is None:
            return text
        if text.canonical in self._terms:
            return Parsed(text.canonical)
        folded = text.canonical.casefold()
        for code, term in self._terms.items():
            if term.term.casefold() == folded:
                return Parsed(code)
        version = self.study.settings.ctcae.version
        return Parsed(None, Message('"{text}" is not a CTCAE v{version} term: choose one from '
                                    "the list", text=text.canonical[:40], version=version))

    def _range_message(self, item: Item, value: Decimal) -> str | None:
        limits = item.range
        if limits is None or limits.contains(float(value)):
            return None
        label, unit = item.label, self._unit(item)
        if limits.min is not None and float(value) < limits.min:
            if limits.min == 0:
                return Message("{label} cannot be negative", label=label)
            return Message("{label}: {value}{unit} is below the lowest possible value "
                           "({lowest:g}{unit})", label=label, value=value, unit=unit,
                           lowest=limits.min)
        return Message("{label}: {value}{unit} is above the highest possible value "
                       "({highest:g}{unit})", label=label, value=value, unit=unit,
                       highest=limits.max)

    def _soft_range_message(self, group: ItemGroup, item: Item, key: ValueKey,
                            canonical: str | None) -> FieldMessage | None:
        del group
        limits = item.soft_range
        if limits is None:
            return None
        number = to_decimal(canonical) if item.value_type in ("integer", "decimal") else None
        if number is None or limits.contains(float(number)):
            return None
        label, unit = item.label, self._unit(item)
        if limits.min is not None and limits.max is not None:
            usual = Message.verbatim("{low:g}-{high:g}{unit}", low=limits.min, high=limits.max,
                                     unit=unit)
        elif limits.min is not None:
            usual = Message("at least {low:g}{unit}", low=limits.min, unit=unit)
        else:
            usual = Message("at most {high:g}{unit}", high=limits.max, unit=unit)
        below = limits.min is not None and float(number) < limits.min
        template = (Message("Confirm value: {label} {value}{unit} is below the usual range "
                            "({usual})", label=label, value=number, unit=unit, usual=usual)
                    if below else
                    Message("Confirm value: {label} {value}{unit} is above the usual range "
                            "({usual})", label=label, value=number, unit=unit, usual=usual))
        return FieldMessage(key, "warning", template, CHECK_SOFT_RANGE)

    def _check_value(self, group: ItemGroup, item: Item, key: ValueKey,
                     raw: str) -> tuple[str | None, list[FieldMessage]]:
        memo_key: tuple[object, ...] = (
            (item.oid, raw, self.today) if item.type in _DATE_KINDS
            else (item.oid, raw, self.study.settings.ctcae.version) if item.type == "ctcae_term"
            else (item.oid, raw))
        known = self._checked_memo.get(memo_key)
        if known is not None:
            return known, []
        canonical, messages = self._check_value_uncached(group, item, key, raw)
        if canonical is not None and not messages:
            if len(self._checked_memo) > 50_000:
                self._checked_memo.clear()
            self._checked_memo[memo_key] = canonical
        return canonical, messages

    def _check_value_uncached(self, group: ItemGroup, item: Item, key: ValueKey,
                              raw: str) -> tuple[str | None, list[FieldMessage]]:
        if not item.is_entered:
            return None, [FieldMessage(key, "error", Message(
                "{label} is calculated by the application and cannot be typed",
                label=item.label), CHECK_TYPE)]
        parsed = self._parse(item, raw)
        if parsed.error is not None:
            return None, [FieldMessage(key, "error", parsed.error, CHECK_TYPE)]
        messages: list[FieldMessage] = []
        if item.range is None and item.soft_range is None:
            return parsed.canonical, messages
        number = to_decimal(parsed.canonical) if item.type in ("integer", "decimal") else None
        if number is not None:
            problem = self._range_message(item, number)
            if problem is not None:
                return None, [FieldMessage(key, "error", problem, CHECK_RANGE)]
        soft = self._soft_range_message(group, item, key, parsed.canonical)
        if soft is not None:
            messages.append(soft)
        return parsed.canonical, messages

    def _parse_all(self, form: Form, values: Mapping[ValueKey, str]
                   ) -> tuple[dict[ValueKey, str], list[FieldMessage]]:
        """Canonical texts of the entered values (blank dropped, computed ignored)."""
        parsed: dict[ValueKey, str] = {}
        messages: list[FieldMessage] = []
        for key, raw in sorted(values.items()):
            text = raw if raw.__class__ is str else ("" if raw is None else str(raw))
            if not text.strip():
                continue
            group, item = self._locate(form, key)
            if not item.is_entered:
                continue
            canonical, found = self._check_value(group, item, key, text)
            messages.extend(found)
            if canonical is not None:
                parsed[key] = canonical
        return parsed, messages

    # ------------------------------------------------------------------ evaluation

    def _typed(self, item: Item, canonical: str | None) -> object:
        """A canonical text as the expression language wants it (memoized)."""
        if canonical is None:
            return None
        memo_key = (item.oid, canonical)
        if memo_key in self._typed_memo:
            return self._typed_memo[memo_key]
        value = self._typed_uncached(item, canonical)
        if not isinstance(value, list):
            if len(self._typed_memo) > 50_000:
                self._typed_memo.clear()
            self._typed_memo[memo_key] = value
        return value

    def _typed_uncached(self, item: Item, canonical: str) -> object:
        kind = item.value_type
        if kind == "yes_no":
            return canonical == "Y"
        if kind == "integer":
            number = to_decimal(canonical)
            return int(number) if number is not None else None
        if kind == "decimal":
            return to_decimal(canonical)
        if kind == "date":
            return to_date(canonical)
        if kind == "time":
            try:
                return dt.time.fromisoformat(canonical)
            except ValueError:
                return None
        if kind == "choice" and item.codelist is not None:
            if self.study.codelist(item.codelist).data_type == "integer":
                number = to_decimal(canonical)
                return int(number) if number is not None else canonical
            return canonical
        if kind == "multi_choice":
            return canonical.split(",")
        return canonical

    def _other_values(self, session: Session, ctx: _Context, event_oid: str,
                      event_repeat: int) -> dict[str, str]:
        """Values of the patient's other forms by item OID (same visit first, then the
        earliest visit of the schedule): the inputs an expression or a computed item may
        take from elsewhere."""
        wanted = _outside_inputs(ctx.form)
        if not wanted:
            return {}
        order = {e.oid: i for i, e in enumerate(self.study.events)}
        rows = session.execute(
            select(FormData.event_oid, FormData.event_repeat, FormData.form_oid,
                   ItemValue.item_oid, ItemValue.value)
            .join(ItemValue, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id == ctx.patient.id, FormData.active.is_(True),
                   FormData.form_oid != ctx.form.oid, ItemValue.active.is_(True),
                   ItemValue.value.is_not(None), ItemValue.item_oid.in_(wanted))).all()

        def rank(row: tuple[str, int, str, str, str]) -> tuple[int, int, int]:
            same = row[0] == event_oid and row[1] == event_repeat
            return (0 if same else 1, order.get(row[0], len(order)), row[1])

        found: dict[str, str] = {}
        for row in sorted(rows, key=rank, reverse=True):
            found[row[3]] = row[4]
        return found

    def _envs(self, ctx: _Context, others: Mapping[str, str],
              values: Mapping[ValueKey, str], *, adding_to: _RowEnvs | None = None
              ) -> _RowEnvs:
        """The typed expression values of ``values``, indexed once for every row; with
        ``adding_to`` (those of other values, with the same ``others``), of both."""
        rows: dict[tuple[str, int], dict[str, object]]
        if adding_to is not None:
            base = dict(adding_to.base)
            rows = {row: dict(own) for row, own in adding_to.rows.items()}
        else:
            memo = self._others_memo
            if memo is None or memo[0] is not others:
                memo = (others, {oid: self._typed(self.study.item(oid), text)
                                 for oid, text in others.items() if self.study.has_item(oid)})
                self._others_memo = memo
            base = dict(memo[1])
            rows = {}
        form_groups = {g.oid: g for g in ctx.form.item_groups}
        item = self.study.item
        for key, text in values.items():
            key_group = form_groups.get(key.group_oid)
            if key_group is None:
                continue
            typed = self._typed(item(key.item_oid), text)
            if key_group.repeating:
                rows.setdefault((key.group_oid, key.repeat), {})[key.item_oid] = typed
            else:
                base[key.item_oid] = typed
        return _RowEnvs(base, rows)

    def _advance_status(self, session: Session, ctx: _Context) -> None:
        """Move the patient's course forward when a form shows it (never backwards):
        dosing of a cycle -> on treatment, end of treatment -> off treatment, a follow-up
        -> follow-up, death -> dead. Recorded in the audit trail like any change."""
        target = _STATUS_AFTER_FORM.get((ctx.event_oid, ctx.form.oid))
        current = ctx.patient.status
        if target is None or current not in _COURSE or _COURSE.index(target) <= _COURSE.index(
                current):
            return
        patient = session.get(Patient, ctx.patient.id)
        assert patient is not None  # read in this transaction
        self.db.audit.update(session, self.actor.audit_context(ctx.site_code), patient,
                             {"status": target}, f"{ctx.form.name.en} saved",
                             require_reason=False)

    @staticmethod
    def _rows_of(group: ItemGroup, values: Mapping[ValueKey, str]) -> list[int]:
        if not group.repeating:
            return [1]
        return sorted({k.repeat for k in values if k.group_oid == group.oid})

    def _is_visible(self, condition: str | None, env: Mapping[str, object]) -> bool:
        return condition is None or self._value_of(condition, env) is True

    def _value_of(self, source: str, env: Mapping[str, object]) -> object:
        """``_expression(source).evaluate(env)``, remembered by the values it reads."""
        read = [env.get(oid) for oid in _reads(source)]
        try:  # True == 1 == Decimal(1) as keys: the types are part of the key
            key = (source, *read, *[value.__class__ for value in read])
            return self._value_memo[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key (the codes of a multiple choice)
            return _expression(source).evaluate(env)
        if len(self._value_memo) > 50_000:
            self._value_memo.clear()
        value = self._value_memo[key] = _expression(source).evaluate(env)
        return value

    def _visible_values(self, session: Session, ctx: _Context, event_oid: str,
                        event_repeat: int, values: Mapping[ValueKey, str],
                        others: Mapping[str, str] | None = None,
                        envs: _RowEnvs | None = None) -> dict[ValueKey, str]:
        """The values whose item is visible (hidden items are not saved); ``envs``, when
        given, are those of ``values``."""
        if others is None:
            others = self._other_values(session, ctx, event_oid, event_repeat)
        current = dict(values)
        for _ in range(3):  # conditions may depend on values that are themselves hidden
            kept: dict[ValueKey, str] = {}
            if envs is None:
                envs = self._envs(ctx, others, current)
            for group in ctx.form.item_groups:
                for repeat in self._rows_of(group, current):
                    env = envs.env(group, repeat)
                    if not self._is_visible(group.visible_if, env):
                        continue
                    for item in group.items:
                        key = ValueKey(group.oid, repeat, item.oid)
                        if key in current and self._is_visible(item.visible_if, env):
                            kept[key] = current[key]
            if kept == current:
                break
            current, envs = kept, None
        return current

    def _compute(self, session: Session, ctx: _Context, event_oid: str, event_repeat: int,
                 values: Mapping[ValueKey, str],
                 others: Mapping[str, str] | None = None) -> dict[ValueKey, str]:
        if others is None:
            others = self._other_values(session, ctx, event_oid, event_repeat)
        result: dict[ValueKey, str] = {}
        current = dict(values)
        plan = _compute_plan(ctx.form)
        for _ in range(plan.passes):  # a computed item may take another computed item
            for group in ctx.form.item_groups:
                for item in group.items:
                    if item.computed is None:
                        continue
                    spec = COMPUTED.get(item.computed.function)
                    if spec is None:
                        continue
                    for repeat in (self._rows_of(group, current) if group.repeating else [1]):
                        key = ValueKey(group.oid, repeat, item.oid)
                        inputs = [self._input(ctx, others, current, oid, group, repeat,
                                              spec.aggregates_rows)
                                  for oid in item.computed.inputs]
                        value = compute(item.computed.function, inputs, item.decimals)
                        if value is None:
                            current.pop(key, None)
                            result.pop(key, None)
                        else:
                            current[key] = value
                            result[key] = value
        if ctx.form.oid == "F.DA" and event_oid != "SE.SCREEN":
            derived = live_derived(session, self.study, ctx.patient.id, event_oid,
                                   event_repeat, current)
            if derived is not None:
                result[ValueKey(DERIVED_GROUP, 1, DERIVED_ITEM)] = derived
        return result

    def _input(self, ctx: _Context, others: Mapping[str, str], values: Mapping[ValueKey, str],
               oid: str, group: ItemGroup, repeat: int,
               aggregates: bool) -> str | list[str | None] | None:
        form_group = _compute_plan(ctx.form).group_of.get(oid)
        if form_group is None:
            return others.get(oid)
        if aggregates and form_group.repeating:
            rows = self._rows_of(form_group, values)
            return [values.get(ValueKey(form_group.oid, r, oid)) for r in rows]
        row = repeat if form_group is group else 1
        return values.get(ValueKey(form_group.oid, row, oid))

    def _evaluate(self, session: Session, ctx: _Context, event_oid: str, event_repeat: int,
                  values: Mapping[ValueKey, str]
                  ) -> tuple[dict[ValueKey, str], list[FieldMessage]]:
        """Final values to store (visible, with computed) and every message."""
        parsed, messages = self._parse_all(ctx.form, values)
        parsed = keep_read_only(self.study, ctx.form.oid, parsed, ctx.stored)
        others = self._other_values(session, ctx, event_oid, event_repeat)
        ctx.others = others
        envs = self._envs(ctx, others, parsed)
        visible = self._visible_values(session, ctx, event_oid, event_repeat, parsed, others,
                                       envs)
        # A hidden item is not saved: its value, even unreadable, raises no message.
        messages = [m for m in messages
                    if m.key is None or self._key_visible(ctx, envs, m.key)]
        computed = self._compute(session, ctx, event_oid, event_repeat, visible, others)
        final = {**visible, **computed}
        for key, value in sorted(computed.items()):
            group, item = self._locate(ctx.form, key)
            soft = self._soft_range_message(group, item, key, value)
            if soft is not None:
                messages.append(soft)
        # Nothing hidden (the usual case): the final values are the parsed ones and the
        # computed ones, whose typed values are added to the parsed ones'.
        final_envs = ctx.memo["final_envs"] = (
            self._envs(ctx, others, computed, adding_to=envs) if len(visible) == len(parsed)
            else self._envs(ctx, others, final))
        messages.extend(self._required(ctx, others, final, final_envs))
        messages.extend(self._edit_checks(session, ctx, event_oid, event_repeat, others, final,
                                          final_envs))
        return final, messages

    def _key_visible(self, ctx: _Context, envs: _RowEnvs, key: ValueKey) -> bool:
        group, item = self._locate(ctx.form, key)
        env = envs.env(group, key.repeat)
        return self._is_visible(group.visible_if, env) and self._is_visible(item.visible_if, env)

    def _required(self, ctx: _Context, others: Mapping[str, str],
                  values: Mapping[ValueKey, str],
                  envs: _RowEnvs | None = None) -> list[FieldMessage]:
        messages = []
        envs = envs or self._envs(ctx, others, values)
        for group in ctx.form.item_groups:
            required = [item for item in group.items if item.required and item.is_entered]
            if not required:
                continue
            for repeat in self._rows_of(group, values):
                env = envs.env(group, repeat)
                if not self._is_visible(group.visible_if, env):
                    continue
                for item in required:
                    key = ValueKey(group.oid, repeat, item.oid)
                    if key not in values and self._is_visible(item.visible_if, env):
                        text = (Message("{label} (row {row}) is required", label=item.label,
                                        row=repeat) if group.repeating
                                else Message("{label} is required", label=item.label))
                        messages.append(FieldMessage(key, "warning", text, CHECK_REQUIRED))
        return messages

    def _edit_checks(self, session: Session, ctx: _Context, event_oid: str, event_repeat: int,
                     others: Mapping[str, str], values: Mapping[ValueKey, str],
                     envs: _RowEnvs | None = None) -> list[FieldMessage]:
        messages: list[FieldMessage] = []
        groups = {item.oid: group for group, item in ctx.form.iter_items()}
        envs = envs or self._envs(ctx, others, values)
        rows_of: dict[str, list[int]] = {}  # each group's rows, for every check on it
        for check in ctx.form.edit_checks:
            group = groups.get(check.items[0])
            if group is None:
                continue
            rows = rows_of.get(group.oid)
            if rows is None:
                rows = rows_of[group.oid] = self._rows_of(group, values)
            for repeat in rows:
                env = envs.env(group, repeat)
                if check.kind == "expression":
                    fires = self._value_of(check.expression or "", env) is False
                else:
                    outcome = self._cross_form(session, ctx, event_oid, event_repeat, check.check
                                               or "", check.items, group, repeat, values)
                    fires = outcome is False
                if fires:
                    for oid in check.items:
                        item_group = groups.get(oid, group)
                        row = repeat if item_group is group else 1
                        messages.append(FieldMessage(ValueKey(item_group.oid, row, oid),
                                                     check.severity,
                                                     Message.verbatim("{text}", text=check.message),
                                                     check.oid))
        return messages

    # ------------------------------------------------------------------ cross-form checks

    def _cross_form(self, session: Session, ctx: _Context, event_oid: str, event_repeat: int,
                    name: str, items: tuple[str, ...], group: ItemGroup, repeat: int,
                    values: Mapping[ValueKey, str]) -> bool | None:
        def value(oid: str) -> str | None:
            return values.get(ValueKey(group.oid, repeat, oid)) or values.get(
                next((ValueKey(g.oid, 1, oid) for g in ctx.form.item_groups
                      if not g.repeating and any(i.oid == oid for i in g.items)),
                     ValueKey("", 0, "")))

        subject = value(items[0])
        patient = ctx.patient
        if name == "date_not_before_consent":
            return crossform.date_not_before_consent(subject, patient.consent_date)
        if name == "cycle_start_after_previous":
            previous = self._previous_value(session, ctx, event_oid, event_repeat, group,
                                            items[0])
            visits = self.study.settings.visits
            return crossform.cycle_start_after_previous(subject, previous,
                                                        visits.cycle_length_days,
                                                        visits.default_window_days)
        if name == "dose_not_above_current_level":
            return crossform.dose_not_above_current_level(to_decimal(subject),
                                                          self._current_level(ctx))
        if name == "dosing_days_match_arm":
            status_oid = self._status_item(group)
            status = value(status_oid) if status_oid is not None else "TAKEN"
            if status not in (None, "TAKEN"):
                return None
            day = to_decimal(subject)
            return crossform.dosing_days_match_arm(int(day) if day is not None else None,
                                                   self._planned_days(ctx))
        if name == "death_after_last_visit":
            return crossform.death_after_last_visit(subject, self._last_visit_date(session, ctx))
        if name == "ctcae_grade_defined":
            term_code = next((value(i.oid) for i in group.items if i.type == "ctcae_term"), None)
            term = self._terms.get(term_code or "")
            grade = to_decimal(subject)
            return crossform.ctcae_grade_defined(int(grade) if grade is not None else None,
                                                 term.allowed_grades if term else None)
        if name == "iss_consistent_with_labs":
            labs = self._screening_values(session, ctx)
            return crossform.iss_consistent_with_labs(
                subject, to_decimal(self._by_suffix(labs, ".B2M")),
                to_decimal(self._by_suffix(labs, ".ALB")))
        if name == "progression_after_randomization":
            randomized = session.scalar(select(Randomization.randomized_at)
                                        .where(Randomization.patient_id == patient.id))
            return crossform.progression_after_randomization(
                subject, randomized.date() if randomized is not None else None)
        if name == "stratum_matches_entry_data":
            return self._stratum_check(session, ctx, items, value)
        return None

    def _status_item(self, group: ItemGroup) -> str | None:
        """The dosing row's item saying whether the dose was taken (its code list has
        TAKEN), once per group."""
        if group.oid not in self._status_memo:
            self._status_memo[group.oid] = next(
                (i.oid for i in group.items if i.type == "choice"
                 and "TAKEN" in self._choices(i.codelist or "")[0]), None)
        return self._status_memo[group.oid]

    def _previous_value(self, session: Session, ctx: _Context, event_oid: str,
                        event_repeat: int, group: ItemGroup, item_oid: str) -> str | None:
        if event_repeat <= 1:
            return None
        found = driver_execute(session, _PREVIOUS_VISIT_VALUE, (
            ctx.patient.id, event_oid, event_repeat - 1, ctx.form.oid, ctx.visit_day, True,
            group.oid, item_oid, True))
        return found[0][0] if found else None

    def _drug(self, ctx: _Context) -> str | None:
        oid = ctx.form.oid.upper()
        if "POM" in oid:
            return "pomalidomide"
        if "DEX" in oid:
            return "dexamethasone"
        return None

    def _current_level(self, ctx: _Context) -> Decimal | None:
        if "current_level" not in ctx.memo:  # checked on every row of a dosing table
            ctx.memo["current_level"] = self._current_level_uncached(ctx)
        return ctx.memo["current_level"]  # type: ignore[return-value]

    def _current_level_uncached(self, ctx: _Context) -> Decimal | None:
        drug = self._drug(ctx)
        if drug is None or not ctx.patient.arm:
            return None
        if self._dose_level is not None:
            return self._dose_level(ctx.patient.id, drug)
        try:
            arm = self.study.arm(ctx.patient.arm)
        except KeyError:
            return None
        start = Decimal(repr(getattr(arm, drug).dose_mg))
        treatment = self.study.settings.treatment
        age = age_on(ctx.patient.birth_date, ctx.patient.birth_year,
                     ctx.patient.consent_date or self.today)
        if (drug == "dexamethasone" and age is not None
                and age > treatment.dexamethasone_reduced_start_age_over):
            start = min(start, Decimal(repr(treatment.dexamethasone_reduced_start_mg)))
        return start

    def _planned_days(self, ctx: _Context) -> frozenset[int] | None:
        if "planned_days" in ctx.memo:
            return ctx.memo["planned_days"]  # type: ignore[return-value]
        drug = self._drug(ctx)
        days: frozenset[int] | None = None
        if drug is not None and ctx.patient.arm:
            try:
                days = frozenset(getattr(self.study.arm(ctx.patient.arm), drug).days)
            except KeyError:
                days = None
        ctx.memo["planned_days"] = days
        return days

    def _last_visit_date(self, session: Session, ctx: _Context) -> dt.date | None:
        visit_events = {e.oid for e in self.study.events
                        if e.kind == "visit" and e.role != "death"}
        rows = session.execute(
            select(ItemValue.item_oid, ItemValue.value)
            .join(FormData, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id == ctx.patient.id, FormData.active.is_(True),
                   FormData.event_oid.in_(sorted(visit_events)),
                   FormData.form_oid != ctx.form.oid,
                   ItemValue.active.is_(True), ItemValue.value.is_not(None))).all()
        latest: dt.date | None = None
        for oid, text in rows:
            if not self.study.has_item(oid):
                continue
            item = self.study.item(oid)
            if item.type != "date" or item.allow_future:
                continue
            value = to_date(text)
            if value is not None and (latest is None or value > latest):
                latest = value
        return latest

    def _screening_values(self, session: Session, ctx: _Context) -> dict[str, str]:
        screening = [e.oid for e in self.study.events if e.role == "screening"]
        rows = session.execute(
            select(ItemValue.item_oid, ItemValue.value)
            .join(FormData, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id == ctx.patient.id, FormData.active.is_(True),
                   FormData.event_oid.in_(screening), ItemValue.active.is_(True),
                   ItemValue.value.is_not(None))).all()
        return {oid: text for oid, text in rows}

    @staticmethod
    def _by_suffix(values: Mapping[str, str], suffix: str) -> str | None:
        return next((v for oid, v in sorted(values.items()) if oid.endswith(suffix)), None)

    def _stratum_check(self, session: Session, ctx: _Context, items: tuple[str, ...],
                       value: Callable[[str], str | None]) -> bool | None:
        confirmed: dict[str, str | None] = {}
        for oid in items:
            item = self.study.item(oid)
            if item.codelist == "CL.ISS_GROUP":
                confirmed["iss"] = value(oid)
            elif item.codelist == "CL.AGE_GROUP":
                confirmed["age_group"] = value(oid)
        screening = self._screening_values(session, ctx)
        stages = sorted((oid, v) for oid, v in screening.items()
                        if self.study.has_item(oid) and self.study.item(oid).codelist == "CL.ISS")
        entry_stage = next((v for oid, v in stages if "ENTRY" in oid),
                           stages[0][1] if stages else None)
        patient = ctx.patient
        age = age_on(patient.birth_date, patient.birth_year, patient.consent_date or self.today)
        entry: dict[str, str | None] = {
            "iss": entry_stage,
            "age_group": None if age is None else ("GE65" if age >= AGE_GROUP_LIMIT else "LT65"),
        }
        return crossform.stratum_matches_entry_data(confirmed, entry)

    # ------------------------------------------------------------------ writing

    def _check_version(self, session: Session, ctx: _Context, expected: int) -> None:
        fd = ctx.form_data
        current = fd.version if fd is not None else 0
        if current == expected:
            return
        if fd is None or expected > current:
            raise ConflictError(
                Message("{form_name} is at version {current}, not {expected} as when you opened "
                        "it. Your input is kept: reopen the form, then save again.",
                        form_name=ctx.form.name, current=current, expected=expected))
        since = 0
        if expected > 0:
            since = session.scalar(
                select(AuditRecord.seq).where(
                    AuditRecord.action == SAVE_ACTION,
                    AuditRecord.table_name == FormData.__tablename__,
                    AuditRecord.record_id == fd.id,
                    AuditRecord.new_value == str(expected))) or 0
        row_ids = {r.id: k for k, r in ctx.rows.items()}
        records = session.scalars(
            select(AuditRecord).where(AuditRecord.seq > since,
                                      AuditRecord.table_name == ItemValue.__tablename__,
                                      AuditRecord.record_id.in_(sorted(row_ids)))
            .order_by(AuditRecord.seq)).all()
        saves = session.scalars(
            select(AuditRecord).where(AuditRecord.seq > since,
                                      AuditRecord.action == SAVE_ACTION,
                                      AuditRecord.table_name == FormData.__tablename__,
                                      AuditRecord.record_id == fd.id)
            .order_by(AuditRecord.seq)).all()
        users = sorted({r.username for r in saves})
        who = ", ".join(users) if users else Message("another user")
        changed: list[str] = []
        empty = Message("empty")
        for record in records:
            key = row_ids[record.record_id or 0]
            found = self._find(ctx.form, key)
            # the item's label in the user's language on screen (English as str)
            label: object = found[1].label if found else key.item_oid
            if record.item == "value":
                text = Message.verbatim("{label} ({old} → {new})", label=label,
                                        old=record.old_value or empty,
                                        new=record.new_value or empty)
            elif record.new_value == "false":
                text = Message("{label} (removed)", label=label)
            else:
                continue
            if text not in changed:
                changed.append(text)
        when: str = (parse_timestamp(saves[-1].timestamp_utc).strftime("%d/%m/%Y %H:%M UTC")
                     if saves else Message("meanwhile"))
        what: str = Message.join(", ", changed[:8]) if changed else Message("the form status")
        if len(changed) > 8:
            what = Message.verbatim("{what}, …", what=what)
        raise ConflictError(
            Message("{names} saved this form at {when}, after you opened it, and changed: "
                    "{what}. Your input is kept: review these changes, then save again.",
                    names=who, when=when, what=what))

    def _write(self, session: Session, ctx: _Context, final: Mapping[ValueKey, str],
               reasons: Mapping[ValueKey, str], confirmations: Mapping[ValueKey, str],
               messages: list[FieldMessage]) -> None:
        audit = self.db.audit
        actx = self.actor.audit_context(ctx.site_code)
        stored = ctx.stored
        missing = any(m.check_oid == CHECK_REQUIRED for m in messages)
        status = "in_progress" if missing else "complete"
        now = now_utc()
        # Reasons first: refuse before anything is written.
        plan: list[tuple[ValueKey, str | None, str]] = []
        lacking: list[ValueKey] = []
        for key in sorted(stored.keys() | final.keys()):
            old, new = stored.get(key), final.get(key)
            if old == new:
                continue
            found = self._find(ctx.form, key)
            if found is None:  # items gone from a newer form version stay as is
                continue
            group, item = found
            confirm = confirmations.get(key)
            if item.type == "computed":
                reason = RECOMPUTED
            elif key.item_oid == DERIVED_ITEM:
                reason = DERIVED_REASON
            elif old is None:
                reason = ""
            elif new is None and not self._still_visible(ctx, final, key):
                reason = NOT_APPLICABLE
            else:
                reason = reasons.get(key) or reasons.get(key.row) or next(
                    (text for k, text in sorted(reasons.items())
                     if k.group_oid == key.group_oid and k.repeat == key.repeat), "")
                if not reason:
                    lacking.append(key)
            if confirm:
                reason = f"{reason}; value confirmed: {confirm}" if reason else (
                    f"Value confirmed: {confirm}")
            plan.append((key, new, reason))
        if lacking:
            names = Message.join(", ", (self._locate(ctx.form, k)[1].label for k in lacking[:6]))
            raise ReasonRequired(Message("Give a reason for changing saved data: {names}.",
                                         names=names), lacking)
        fd = ctx.form_data
        new_form = fd is None
        if fd is None:
            columns = (ctx.patient.id, ctx.event_oid, ctx.event_repeat, ctx.visit_day,
                       ctx.form.oid, ctx.form.version, status, False, False, False, True, 1, now)
            # Inserted by one statement; its audit records go with its values' (one batch).
            ((form_id,),) = insert_rows_returning(session, FormData.__table__, _FORM_COLUMNS,
                                                  [columns], ("id",))
            fd = ctx.form_data = _NewForm(form_id, ctx.form.version, status, now)
        else:
            audit.update(session, actx, fd, {"status": status},
                         "status follows the entered data", require_reason=False)
            if fd.verified and plan:
                # Source-data verification covered the old values: the monitor must look again.
                audit.update(session, actx, fd, {"verified": False},
                             "data changed after source data verification",
                             require_reason=False)
            fd.version += 1
            fd.updated_at = now
        added: list[tuple[ValueKey, str | None, str]] = []  # new values: written at once
        for key, new, reason in plan:
            row = ctx.rows.get(key)
            if row is None:
                added.append((key, new, reason))
                continue
            group = next(g for g in ctx.form.item_groups if g.oid == key.group_oid)
            row_removed = (new is None and group.repeating
                           and not any(k.group_oid == key.group_oid and k.repeat == key.repeat
                                       for k in final))
            if row_removed:
                audit.update(session, actx, row, {"active": False}, reason, require_reason=False)
            elif not row.active:
                audit.update(session, actx, row, {"active": True, "value": new}, reason,
                             require_reason=False)
            else:
                audit.update(session, actx, row, {"value": new}, reason, require_reason=False)
        session.flush()  # the form instance's id
        events = [AuditEvent(CONFIRM_ACTION, ItemValue.__tablename__, ctx.rows[key].id, "value",
                             final[key], f"Value confirmed: {text}")
                  for key, text in sorted(confirmations.items())
                  if key in final and stored.get(key) == final[key] and any(
                      m.key == key and m.check_oid == CHECK_SOFT_RANGE for m in messages)]
        events.append(AuditEvent(SAVE_ACTION, FormData.__tablename__, fd.id, "version",
                                 str(fd.version),
                                 f"{ctx.form.oid} version {ctx.form.version} saved, {status}"))
        self._insert_values(session, ctx, fd, added, new_form=new_form, then=events)

    def _insert_values(self, session: Session, ctx: _Context, fd: FormData | _NewForm,
                       added: Sequence[tuple[ValueKey, str | None, str]], *,
                       new_form: bool = False, then: Sequence[AuditEvent] = ()) -> None:
        """Write new values with one multi-row insert, then record them in the audit trail,
        after the form instance's own records when ``new_form`` (it was just added) and
        before the records ``then``: one batch.

        The ORM would insert them one statement each; the insert hands back each row's
        generated key with its natural key (SQLite returns them in no defined order),
        without loading an object per value."""
        records: list[tuple[type[Base], int, str, Mapping[str, object]]] = []
        if new_form:
            records.append((FormData, fd.id, "form first saved",
                            {column: getattr(fd, column) for column in FormData.__audited__}))
        if added:
            ids = {ValueKey(group, repeat, item): row_id for row_id, group, repeat, item
                   in insert_rows_returning(session, _VALUES_TABLE, _VALUE_COLUMNS, [
                       (fd.id, key.group_oid, key.repeat, key.item_oid, new, True)
                       for key, new, _reason in added], _VALUE_KEY_COLUMNS)}
            for key, new, reason in added:
                ctx.rows[key] = _NewRow(ids[key], new)
                records.append((ItemValue, ids[key], reason, {"value": new, "active": True}))
        self.db.audit.record_insert_values(session, self.actor.audit_context(ctx.site_code),
                                           records, then)

    def _still_visible(self, ctx: _Context, final: Mapping[ValueKey, str],
                       key: ValueKey) -> bool:
        """Whether a saved item that is no longer sent is still shown (cleared by the user)."""
        group, item = self._locate(ctx.form, key)
        if group.repeating and not any(k.group_oid == group.oid and k.repeat == key.repeat
                                       for k in final):
            return True  # a removed row: the user removed it, a reason is needed
        envs = ctx.memo.get("final_envs")  # ``final`` is the same for every key of a save
        if not isinstance(envs, _RowEnvs):
            envs = ctx.memo["final_envs"] = self._envs(ctx, ctx.others, final)
        env = envs.env(group, key.repeat)
        return self._is_visible(group.visible_if, env) and self._is_visible(item.visible_if, env)

    # ------------------------------------------------------------------ drafts

    def _draft(self, session: Session, ctx: _Context, event_oid: str,
               event_repeat: int) -> FormDraft | None:
        return session.scalar(select(FormDraft).where(
            FormDraft.user_id == self.actor.user_id, FormDraft.patient_id == ctx.patient.id,
            FormDraft.event_oid == event_oid, FormDraft.event_repeat == event_repeat,
            FormDraft.form_oid == ctx.form.oid, FormDraft.visit_day == ctx.visit_day))

    def _delete_draft(self, session: Session, ctx: _Context, event_oid: str,
                      event_repeat: int) -> None:
        driver_execute(session, _DELETE_DRAFT, (self.actor.user_id, ctx.patient.id, event_oid,
                                                event_repeat, ctx.form.oid, ctx.visit_day))
