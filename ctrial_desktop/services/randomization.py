"""Offline randomization: allocation lists, the randomization itself, the log, verification.

PROTOCOL section 5. A patient is randomized once, ever: a unique constraint on
``randomization.patient_id`` backs the check made inside the transaction, and a
unique ``(stratum, position)`` makes two instances on one database unable to take
the same list position (SQLite write transactions start with ``BEGIN IMMEDIATE``;
on PostgreSQL the patient row and the stratum's lists are locked ``FOR UPDATE``).

No service returns an allocation list's content or an unused position: users see
the commitments, the assignments already made and how many positions remain.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.domain.randomization import (
    ALGORITHM,
    AllocationList,
    Assignment,
    VerificationReport,
    age_group,
    append_list,
    canonical_text,
    commitment,
    count_assignments,
    generate_allocation_list,
    iss_group,
    list_length_for,
    minimize,
    new_seed,
    next_allocation,
    parse_canonical_text,
    stratum_label,
    stratum_stock,
    verify_allocations,
)
from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound, PermissionDenied, ServiceError, ValidationError
from ctrial_desktop.services.patients import STATUS_WORDS, age_on
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import (
    AllocationListRecord,
    FormData,
    ItemValue,
    Patient,
    ProtocolDeviation,
    Randomization,
    Site,
)


@dataclass(frozen=True)
class RandomizationSettings:
    """``randomization`` settings of ``forms/study.yaml`` (PROTOCOL section 5 defaults)."""

    method: str = "blocks"  # "blocks" | "minimization"
    arms: tuple[str, ...] = ("A", "B")
    ratio: tuple[int, ...] = (1, 1)
    block_sizes: tuple[int, ...] = (2, 4)
    target_enrolment_per_site: int = 20
    reserve_fraction: float = 0.5
    min_reserve: int = 4
    low_list_threshold: int = 4
    minimization_factors: tuple[str, ...] = ("site", "iss", "age")
    minimization_weights: tuple[float, ...] = (1.0, 1.0, 1.0)
    minimization_p: float = 0.8
    minimization_measure: str = "range"
    iss_item_oid: str = "I.MH.ISS_ENTRY"


@dataclass(frozen=True)
class Stratification:
    """The values randomization uses, as read from the CRF and shown for confirmation."""

    site_code: str
    iss_stage: int | None
    age: int | None
    sex: str

    @property
    def iss_group(self) -> str | None:
        return iss_group(self.iss_stage) if self.iss_stage in (1, 2, 3) else None

    @property
    def age_group(self) -> str | None:
        return age_group(self.age) if self.age is not None else None

    @property
    def missing(self) -> tuple[str, ...]:
        out = []
        if self.iss_stage not in (1, 2, 3):
            out.append(Message("ISS stage at study entry"))
        if self.age is None:
            out.append(Message("age"))
        return tuple(out)

    def stratum(self) -> str:
        """The blocks stratum: site x ISS group."""
        group = self.iss_group
        if group is None:
            raise ValidationError(Message("The ISS stage at study entry is missing."))
        return stratum_label([("site", self.site_code), ("iss", group)])

    def levels(self) -> dict[str, str]:
        """Factor levels for minimization."""
        return {"site": self.site_code, "iss": self.iss_group or "", "age": self.age_group or "",
                "sex": self.sex}


@dataclass(frozen=True)
class RandomizationResult:
    """What the confirmation screen and the printed confirmation show."""

    patient_id: int
    patient_number: str
    initials: str
    number: str
    arm: str
    method: str
    stratum: str
    position: int | None
    randomized_at: dt.datetime
    username: str
    explanation: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ListInfo:
    """A list as the log shows it: never its content."""

    site_code: str
    stratum: str
    list_number: int
    commitment: str
    first_position: int
    last_position: int
    created_at: dt.datetime
    created_by: str
    reason: str


@dataclass(frozen=True)
class StockRow:
    site_code: str
    stratum: str
    total: int
    used: int
    remaining: int
    low: bool


#: ISS stage codes as the CRF stores them (code list CL.ISS), plus plain digits.
_ISS_CODES = {"I": 1, "II": 2, "III": 3, "1": 1, "2": 2, "3": 3}


class AlreadyRandomized(ServiceError):
    """The patient has a randomization already; it can never be repeated."""


def _row_to_result(r: Randomization, patient: Patient) -> RandomizationResult:
    return RandomizationResult(
        patient.id, patient.patient_number, patient.initials, r.number, r.arm, r.method,
        r.stratum, r.position, r.randomized_at, r.username,
        json.loads(r.explanation) if r.explanation else {})


class RandomizationService:
    """Randomization use cases for one user."""

    def __init__(
        self,
        db: Database,
        actor: Actor,
        settings: RandomizationSettings | None = None,
        *,
        draw: Callable[[], float] | None = None,
        seed_source: Callable[[], bytes] = new_seed,
        eligibility: Callable[[int], Sequence[str]] | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        """``eligibility(patient_id)`` returns the reasons that block randomization;
        ``clock`` gives the current UTC time (a demo or a test dates randomizations)."""
        self.db = db
        self.actor = actor
        self.settings = settings or RandomizationSettings()
        self._draw = draw or (lambda: secrets.randbelow(2**53) / 2**53)
        self._seed_source = seed_source
        self._eligibility = eligibility
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    # -- lists --------------------------------------------------------------------------
    def _strata_of_site(self, site_code: str) -> list[str]:
        return [stratum_label([("site", site_code), ("iss", g)]) for g in ("I-II", "III")]

    def ensure_site_lists(self, site_code: str, reason: str = "study set-up") -> list[ListInfo]:
        """Generate the first list of every stratum of a site (once; blocks method)."""
        if self.settings.method != "blocks":
            return []
        with self.db.write() as session:
            return self._ensure_site_lists(session, site_code, reason)

    def _ensure_site_lists(self, session: Session, site_code: str, reason: str) -> list[ListInfo]:
        created = []
        length = list_length_for(self.settings.target_enrolment_per_site,
                                 self.settings.reserve_fraction, self.settings.min_reserve)
        for stratum in self._strata_of_site(site_code):
            exists = session.scalar(select(AllocationListRecord.id).where(
                AllocationListRecord.stratum == stratum))
            if exists is not None:
                continue
            allocation = generate_allocation_list(
                self._seed_source(), stratum, self.settings.arms, self.settings.ratio,
                self.settings.block_sizes, length)
            created.append(self._store_list(session, site_code, allocation, reason))
        return created

    def _store_list(self, session: Session, site_code: str, allocation: AllocationList,
                    reason: str) -> ListInfo:
        record = AllocationListRecord(
            site_code=site_code, stratum=allocation.stratum, list_number=allocation.list_number,
            algorithm=ALGORITHM, canonical_text=canonical_text(allocation),
            commitment=commitment(allocation), first_position=allocation.first_position,
            last_position=allocation.last_position, created_at=now_utc(),
            created_by=self.actor.username, reason=reason)
        self.db.audit.insert(session, self.actor.audit_context(site_code), record, reason=reason)
        return _list_info(record)

    def _lists(self, session: Session, stratum: str, lock: bool = False) -> list[AllocationList]:
        stmt = (select(AllocationListRecord).where(AllocationListRecord.stratum == stratum)
                .order_by(AllocationListRecord.list_number))
        if lock:
            stmt = stmt.with_for_update()
        return [parse_canonical_text(r.canonical_text) for r in session.scalars(stmt)]

    def append_list(self, stratum: str, reason: str) -> ListInfo:
        """Append a new list (own seed and commitment) to a stratum running low."""
        if not reason.strip():
            raise ValidationError(Message("Give the reason for the new list."),
                                  {"reason": "required"})
        with self.db.write() as session:
            records = session.scalars(select(AllocationListRecord).where(
                AllocationListRecord.stratum == stratum).with_for_update()).all()
            if not records:
                raise NotFound(Message("No allocation list for stratum {stratum}.",
                                       stratum=stratum))
            site_code = records[0].site_code
            self.actor.require(Action.MANAGE_ALLOCATION_LISTS, site_code)
            lists = [parse_canonical_text(r.canonical_text) for r in records]
            length = list_length_for(self.settings.target_enrolment_per_site,
                                     self.settings.reserve_fraction, self.settings.min_reserve)
            allocation = append_list(lists, self._seed_source(), length)
            return self._store_list(session, site_code, allocation, reason.strip())

    def lists(self) -> list[ListInfo]:
        self.actor.require(Action.VIEW_RANDOMIZATION_LOG)
        with self.db.read() as session:
            stmt = select(AllocationListRecord).order_by(AllocationListRecord.stratum,
                                                         AllocationListRecord.list_number)
            return [_list_info(r) for r in session.scalars(stmt)
                    if self.actor.can(Action.VIEW_RANDOMIZATION_LOG, r.site_code)]

    def stock(self) -> list[StockRow]:
        """Positions left per stratum, flagged when at or below the warning threshold."""
        with self.db.read() as session:
            strata = session.execute(select(AllocationListRecord.stratum,
                                            AllocationListRecord.site_code).distinct()).all()
            rows = []
            for stratum, site_code in sorted(strata):
                if not (self.actor.can(Action.VIEW_RANDOMIZATION_LOG, site_code)
                        or self.actor.can(Action.RANDOMIZE, site_code)):
                    continue
                used = session.scalars(select(Randomization.position).where(
                    Randomization.stratum == stratum, Randomization.position.is_not(None)))
                stock = stratum_stock(self._lists(session, stratum), [u for u in used if u],
                                      self.settings.low_list_threshold)
                rows.append(StockRow(site_code, stratum, stock.total, stock.used,
                                     stock.remaining, stock.low))
            return rows

    # -- stratification and randomization -------------------------------------------------
    def stratification(self, patient_id: int, on: dt.date | None = None) -> Stratification:
        """Stratification values read from the CRF (ISS at entry) and the patient record."""
        with self.db.read() as session:
            patient, site_code = self._patient(session, patient_id)
            return self._stratification(session, patient, site_code, on or self._clock().date())

    def _stratification(self, session: Session, patient: Patient, site_code: str,
                        on: dt.date) -> Stratification:
        value = session.scalar(
            select(ItemValue.value).join(FormData, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id == patient.id, FormData.active.is_(True),
                   ItemValue.item_oid == self.settings.iss_item_oid,
                   ItemValue.active.is_(True))
            .order_by(ItemValue.id.desc()).limit(1))
        iss = _ISS_CODES.get((value or "").strip().upper())
        return Stratification(site_code, iss, age_on(patient.birth_date, patient.birth_year, on),
                              patient.sex)

    def _patient(self, session: Session, patient_id: int, lock: bool = False
                 ) -> tuple[Patient, str]:
        stmt = (select(Patient, Site.code).join(Site, Patient.site_id == Site.id)
                .where(Patient.id == patient_id))
        if lock:
            stmt = stmt.with_for_update(of=Patient)
        row = session.execute(stmt).first()
        if row is None:
            raise NotFound(Message("No patient #{patient_id}.", patient_id=patient_id))
        patient, code = row
        self.actor.require(Action.VIEW_PATIENTS, code)
        return patient, code

    def blocking_reasons(self, patient_id: int) -> list[str]:
        """Why the patient cannot be randomized now (empty when they can)."""
        with self.db.read() as session:
            patient, code = self._patient(session, patient_id)
            reasons = self._blocking(session, patient, code)
        if not reasons and self._eligibility is not None:
            reasons.extend(self._eligibility(patient_id))
        return reasons

    def _blocking(self, session: Session, patient: Patient, code: str) -> list[str]:
        reasons = []
        if session.scalar(select(Randomization.id).where(
                Randomization.patient_id == patient.id)) is not None:
            reasons.append(Message("{number} is already randomized.",
                                   number=patient.patient_number))
        elif patient.status != "screening":
            reasons.append(Message("{number} is {status}.", number=patient.patient_number,
                                   status=STATUS_WORDS.get(patient.status, patient.status)))
        if not self.actor.can(Action.RANDOMIZE, code):
            reasons.append(Message("Your role does not allow randomizing at this site."))
        strat = self._stratification(session, patient, code, self._clock().date())
        reasons.extend(Message("Missing for stratification: {what}.", what=m)
                       for m in strat.missing)
        return reasons

    def randomize(self, patient_id: int, confirmed: Stratification) -> RandomizationResult:
        """Randomize once, for good. ``confirmed`` is what the user saw and confirmed."""
        with self.db.read() as session:
            patient, code = self._patient(session, patient_id)
        self.actor.require(Action.RANDOMIZE, code)
        if self._eligibility is not None:
            problems = list(self._eligibility(patient_id))
            if problems:
                raise ValidationError(Message("Not randomizable: {problems}",
                                              problems=Message.join(" ", problems)))
        with self.db.write() as session:
            # Serialize with every other audited write before reading counts and positions:
            # SQLite's BEGIN IMMEDIATE already does; on PostgreSQL this row lock does it.
            self.db.audit.lock(session)
            patient, code = self._patient(session, patient_id, lock=True)
            site = session.get(Site, patient.site_id)
            if site is None or not site.active:
                raise PermissionDenied(Message("Site {code} is not active.", code=code))
            blocking = self._blocking(session, patient, code)
            if blocking:
                if any("already randomized" in b for b in blocking):
                    raise AlreadyRandomized(blocking[0])
                raise ValidationError(Message.join(" ", blocking))
            now = self._clock()
            strat = self._stratification(session, patient, code, now.date())
            if strat != confirmed:
                raise ValidationError(
                    Message("The stratification values changed since they were shown; review "
                            "them again before randomizing."))
            record = self._assign(session, patient, code, strat, now.replace(tzinfo=None))
            ctx = self.actor.audit_context(code)
            self.db.audit.insert(session, ctx, record, reason="randomization")
            self.db.audit.update(session, ctx, patient, {"status": "randomized"},
                                 f"randomized, number {record.number}")
            patient.arm = record.arm
            return _row_to_result(record, patient)

    def _assign(self, session: Session, patient: Patient, code: str, strat: Stratification,
                now: dt.datetime) -> Randomization:
        used = session.scalar(select(Randomization.method).limit(1))
        if used is not None and used != self.settings.method:
            raise ServiceError(
                Message("This study randomizes with the {used} method since its first patient; "
                        "the method ({method} in the study settings) cannot change now.",
                        used=used, method=self.settings.method))
        count = session.scalar(select(func.count(Randomization.id)).where(
            Randomization.site_code == code)) or 0
        number = f"R{code}-{count + 1:03d}"
        factors = json.dumps(strat.levels() | {"iss_stage": str(strat.iss_stage),
                                                "age_years": str(strat.age)}, sort_keys=True)
        common = dict(patient_id=patient.id, number=number, site_code=code, factors=factors,
                      randomized_at=now, user_id=self.actor.user_id,
                      username=self.actor.username)
        if self.settings.method == "minimization":
            return self._minimize(session, strat, common)
        stratum = strat.stratum()
        lists = self._lists(session, stratum, lock=True)
        if not lists:
            self._ensure_site_lists(session, code, "first randomization of the stratum")
            lists = self._lists(session, stratum, lock=True)
        used = session.scalars(select(Randomization.position).where(
            Randomization.stratum == stratum, Randomization.position.is_not(None)))
        nxt = next_allocation(lists, [u for u in used if u])
        if nxt is None:
            raise ServiceError(
                Message("The allocation list of stratum {stratum} is used up. A data manager "
                        "must append a new list before the next randomization.", stratum=stratum))
        list_id = session.scalar(select(AllocationListRecord.id).where(
            AllocationListRecord.stratum == stratum,
            AllocationListRecord.first_position <= nxt.position,
            AllocationListRecord.last_position >= nxt.position))
        return Randomization(method="blocks", stratum=stratum, list_id=list_id,
                             position=nxt.position, arm=nxt.arm, explanation="", **common)

    def _minimize(self, session: Session, strat: Stratification, common: dict) -> Randomization:  # type: ignore[type-arg]
        s = self.settings
        previous = [(json.loads(f), arm) for f, arm in session.execute(
            select(Randomization.factors, Randomization.arm))]
        counts = count_assignments(s.arms, [({k: lv[k] for k in s.minimization_factors}, arm)
                                            for lv, arm in previous])
        levels = strat.levels()
        result = minimize(counts, {k: levels[k] for k in s.minimization_factors}, s.arms,
                          dict(zip(s.minimization_factors, s.minimization_weights, strict=True)),
                          s.minimization_p, self._draw(), s.minimization_measure)  # type: ignore[arg-type]
        # A description of the patient's levels (not a list stratum; ">=65" is allowed here).
        stratum = "|".join(f"{k}:{levels[k]}" for k in s.minimization_factors)
        return Randomization(method="minimization", stratum=stratum, list_id=None,
                             position=None, arm=result.arm,
                             explanation=json.dumps(result.explanation(), sort_keys=True),
                             **common)

    # -- log, deviations, verification ----------------------------------------------------
    def result_for(self, patient_id: int) -> RandomizationResult | None:
        with self.db.read() as session:
            patient, _code = self._patient(session, patient_id)
            record = session.scalar(select(Randomization).where(
                Randomization.patient_id == patient_id))
            return _row_to_result(record, patient) if record else None

    def log(self) -> list[RandomizationResult]:
        """Every assignment in order (data managers and monitors)."""
        self.actor.require(Action.VIEW_RANDOMIZATION_LOG)
        with self.db.read() as session:
            rows = session.execute(select(Randomization, Patient)
                                   .join(Patient, Randomization.patient_id == Patient.id)
                                   .order_by(Randomization.randomized_at, Randomization.id))
            return [_row_to_result(r, p) for r, p in rows
                    if self.actor.can(Action.VIEW_RANDOMIZATION_LOG, r.site_code)]

    def record_deviation(self, patient_id: int, description: str,
                         category: str = "wrong_stratum") -> None:
        """Record a protocol deviation (a mistaken stratum is never re-randomized)."""
        if not description.strip():
            raise ValidationError(Message("Describe the deviation."), {"description": "required"})
        with self.db.write() as session:
            patient, code = self._patient(session, patient_id)
            if not (self.actor.can(Action.ENTER_DATA, code) or self.actor.can(Action.LOCK, code)):
                raise PermissionDenied(Message("Your role cannot record protocol deviations."))
            self.db.audit.insert(session, self.actor.audit_context(code), ProtocolDeviation(
                patient_id=patient.id, category=category, description=description.strip(),
                active=True, created_at=now_utc(), created_by=self.actor.username),
                reason="protocol deviation recorded")

    def verify(self) -> VerificationReport:
        """Check every list commitment and that assignments took the next unused positions."""
        with self.db.read() as session:
            return verify_database(session)


def verify_database(session: Session) -> VerificationReport:
    """Verification over everything stored (used by ``ctrial randomization verify``).

    Assignments imported from a site (central's copies, ``source_site`` set) are checked at
    the site, which holds their allocation lists: they are left out here."""
    records = session.scalars(select(AllocationListRecord).order_by(
        AllocationListRecord.stratum, AllocationListRecord.list_number)).all()
    lists = [parse_canonical_text(r.canonical_text) for r in records]
    commitments = {(r.stratum, r.list_number): r.commitment for r in records}
    assignments = [Assignment(r.stratum, r.position or 0, r.arm, str(r.patient_id))
                   for r in session.scalars(select(Randomization).where(
                       Randomization.method == "blocks", Randomization.source_site.is_(None))
                       .order_by(Randomization.id))]
    return verify_allocations(lists, commitments, assignments)


def _list_info(r: AllocationListRecord) -> ListInfo:
    return ListInfo(r.site_code, r.stratum, r.list_number, r.commitment, r.first_position,
                    r.last_position, r.created_at, r.created_by, r.reason)
