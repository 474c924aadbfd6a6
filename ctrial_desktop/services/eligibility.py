"""Eligibility of a screened patient: the checklist of PROTOCOL section 4 against the CRF.

The rules are those of :mod:`ctrial_desktop.domain.eligibility` (every inclusion
Yes, every exclusion No, and each criterion with a number behind it agreeing with
the value entered: a tick contradicted by a value is "not met", a value needed and
not entered is "missing"). This service gathers their input from the stored forms
of the screening visit (latest active value of each item), computes the creatinine
clearance by Cockcroft-Gault from the age on the day of the sample, the weight, the
sex and the creatinine, and finds the first study procedure: the earliest date
recorded on any visit form, which the informed consent must not follow.
Thresholds come from ``settings.eligibility`` (and the FLC ratio limits of
``settings.imwg``) in ``forms/study.yaml``.

:meth:`EligibilityService.blocking_reasons` has the shape
``RandomizationService(eligibility=...)`` expects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.eligibility import CriterionResult as DomainCriterion
from ctrial_desktop.domain.eligibility import (
    CriterionStatus,
    EligibilityInput,
    EligibilityThresholds,
    assess_eligibility,
)
from ctrial_desktop.domain.labs import cockcroft_gault
from ctrial_desktop.domain.messages import Message
from ctrial_desktop.domain.values import to_date, to_decimal
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound
from ctrial_desktop.services.patients import age_on
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Site
from ctrial_desktop.study.definition import StudyDefinition

Status = Literal["met", "not_met", "missing", "not_applicable"]

#: Dates on visit forms that are not study procedures.
NON_PROCEDURE_DATES = frozenset({"I.DM.BRTHDAT", "I.IC.DAT"})


@dataclass(frozen=True)
class CriterionResult:
    """One criterion of the checklist as evaluated against the CRF (plain data).

    ``item_oid`` is the checklist item, whose label is the criterion's full wording
    in every language; ``name`` is its short English name; ``value`` is the value
    checked as text ('' when only the tick counts); ``sentence`` says why.
    """

    item_oid: str
    kind: Literal["inclusion", "exclusion"]
    name: str
    status: Status
    value: str
    sentence: str

    @property
    def met(self) -> bool:
        """Met, or not applicable to this patient."""
        return self.status in ("met", "not_applicable")


@dataclass(frozen=True)
class EligibilityReport:
    """Every criterion for one patient; randomizable only when each one is met."""

    patient_id: int
    patient_number: str
    criteria: tuple[CriterionResult, ...]

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def not_met(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status == "not_met")

    @property
    def missing(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status == "missing")

    def blocking_reasons(self) -> list[str]:
        """One line per criterion not met or missing, in checklist order."""
        return [Message("Not met - {name}: {sentence}", name=c.name, sentence=c.sentence)
                if c.status == "not_met" else
                Message("Missing - {name}: {sentence}", name=c.name, sentence=c.sentence)
                for c in self.criteria if c.status in ("not_met", "missing")]


def _text(value: object) -> str:
    """A checked value as the eligibility panel shows it (a message: numbers and dates
    follow the user's locale)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return Message("Yes") if value else Message("No")
    if isinstance(value, dt.date):
        return Message.verbatim("{day}", day=value)
    if isinstance(value, float):
        return Message.verbatim("{value:f}", value=Decimal(str(value)).normalize())
    if isinstance(value, int):
        return Message.verbatim("{value}", value=value)
    if isinstance(value, tuple):
        return Message.join(" / ", (_text(v) or "-" for v in value))
    return str(value)


#: Units of the values checked, by criterion code (PROTOCOL section 7 units).
_UNITS: dict[str, str] = {"IN01": Message("years"), "IN07": "x10^9/L", "IN08": "x10^9/L",
                          "IN09": "mL/min", "IN11": "µmol/L"}


def _value_text(c: DomainCriterion) -> str:
    if c.code == "IN05" and isinstance(c.value, tuple):
        names = (Message("serum"), Message("urine"), Message("involved FLC"))
        parts = zip(names, c.value, ("g/L", "mg/24 h", "mg/L"), strict=False)
        return Message.join(", ", (Message.verbatim("{name} {value} {unit}", name=name,
                                                    value=_text(v), unit=unit)
                                   for name, v, unit in parts if v is not None))
    if c.code == "IN10" and isinstance(c.value, tuple):
        shown = [Message.verbatim("{name} {value}", name=name, value=_text(v))
                 for name, v in zip(("AST", "ALT"), c.value, strict=False) if v is not None]
        return Message.verbatim("{values} U/L", values=Message.join(", ", shown)) if shown \
            else ""
    if c.code not in _UNITS and c.code not in ("IN04", "IN06", "IN12"):
        return ""
    value = _text(c.value)
    if value and c.code in _UNITS:
        return Message.verbatim("{value} {unit}", value=value, unit=_UNITS[c.code])
    return value


def _result(c: DomainCriterion) -> CriterionResult:
    end = "{reason!u}" if c.reason.endswith(".") else "{reason!u}."
    value = _value_text(c)
    status: Status = CriterionStatus(c.status).value  # type: ignore[assignment]
    return CriterionResult(f"I.ELIG.{c.code}", c.kind, c.label, status, value,
                           Message.verbatim(end, reason=c.reason))


class EligibilityService:
    """Evaluates the eligibility checklist of a patient against the stored CRF values."""

    def __init__(self, db: Database, actor: Actor, study: StudyDefinition,
                 today: dt.date | None = None) -> None:
        self.db = db
        self.actor = actor
        self.study = study
        self._today = today

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def evaluate(self, patient_id: int) -> EligibilityReport:
        """Each criterion met / not met / missing, with the value and a sentence."""
        with self.db.read() as session:
            row = session.execute(select(Patient, Site.code).join(Site, Patient.site_id == Site.id)
                                  .where(Patient.id == patient_id)).first()
            if row is None:
                raise NotFound(Message("No patient #{patient_id}.", patient_id=patient_id))
            patient, code = row
            self.actor.require(Action.VIEW_PATIENTS, code)
            values = self._screening_values(session, patient_id)
            procedures = self._procedure_dates(session, patient_id)
            data = self._input(patient, values, procedures)
        thresholds = EligibilityThresholds.from_mapping(
            self.study.settings.eligibility.model_dump()
            | {k: v for k, v in self.study.settings.imwg.model_dump().items()
               if k.startswith("flc_ratio_normal")})
        result = assess_eligibility(data, thresholds)
        criteria = [_result(c) for c in result.criteria]
        return EligibilityReport(patient_id, patient.patient_number, tuple(criteria))

    def blocking_reasons(self, patient_id: int) -> list[str]:
        """Why the checklist blocks randomization (empty when every criterion is met)."""
        return self.evaluate(patient_id).blocking_reasons()

    # -- reading the CRF ------------------------------------------------------------------
    def _screening_values(self, session: Session, patient_id: int) -> dict[str, str]:
        events = [e.oid for e in self.study.events if e.role == "screening"]
        rows = session.execute(
            select(ItemValue.item_oid, ItemValue.value)
            .join(FormData, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id == patient_id, FormData.active.is_(True),
                   FormData.event_oid.in_(events), ItemValue.active.is_(True))
            .order_by(FormData.event_repeat, ItemValue.id))
        return {oid: value for oid, value in rows if value is not None and value.strip()}

    def _procedure_dates(self, session: Session, patient_id: int) -> list[tuple[str, dt.date]]:
        visits = [e.oid for e in self.study.events if e.kind == "visit"]
        rows = session.execute(
            select(ItemValue.item_oid, ItemValue.value)
            .join(FormData, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id == patient_id, FormData.active.is_(True),
                   FormData.event_oid.in_(visits), ItemValue.active.is_(True)))
        out = []
        for oid, value in rows:
            if oid in NON_PROCEDURE_DATES or not self.study.has_item(oid) \
                    or self.study.item(oid).type != "date":
                continue
            date = to_date(value)
            if date is not None:
                out.append((oid, date))
        return out

    def _input(self, patient: Patient, v: Mapping[str, str],
               procedures: list[tuple[str, dt.date]]) -> EligibilityInput:
        def num(oid: str) -> float | None:
            value = to_decimal(v.get(oid))
            return None if value is None else float(value)

        def whole(oid: str) -> int | None:
            value = to_decimal(v.get(oid))
            return None if value is None else int(value)

        def yes_no(oid: str) -> bool | None:
            return {"Y": True, "N": False}.get(v.get(oid, ""))

        # Where the screening log and the consent form disagree, the later date counts.
        consent = max((d for d in (patient.consent_date, to_date(v.get("I.IC.DAT"))) if d),
                      default=None)
        if v.get("I.IC.SIGNED") == "N":
            consent = None
        kappa, lam = num("I.DA.KAPPA"), num("I.DA.LAMBDA")
        involved = ratio = None
        if kappa is not None and lam is not None:
            involved = {"KAPPA": kappa, "LAMBDA": lam}.get(v.get("I.MH.LIGHT", ""),
                                                          max(kappa, lam))
            ratio = round(kappa / lam, 2) if lam else None
        return EligibilityInput(
            answers={oid.removeprefix("I.ELIG."): yes_no(oid) for oid in v
                     if oid.startswith("I.ELIG.")},
            sex=patient.sex,
            childbearing_potential=yes_no("I.DM.CHILDPOT"),
            age_years=age_on(patient.birth_date, patient.birth_year, consent or self.today),
            prior_lines=whole("I.MH.NLINES"),
            ecog=whole("I.ECOG.SCORE"),
            anc=num("I.HEM.ANC"),
            platelets=num("I.HEM.PLT"),
            bm_plasma_cells_pct=num("I.BM.PC_PCT"),
            crcl_ml_min=self._creatinine_clearance(patient, v, consent),
            crcl_missing_inputs=self._crcl_lacking(patient, v),
            ast=num("I.CHEM.AST"), ast_uln=num("I.CHEM.AST_ULN"),
            alt=num("I.CHEM.ALT"), alt_uln=num("I.CHEM.ALT_ULN"),
            bilirubin=num("I.CHEM.BILI"), bilirubin_uln=num("I.CHEM.BILI_ULN"),
            serum_mprotein_g_l=num("I.DA.SMP"),
            urine_mprotein_mg_24h=num("I.DA.UMP"),
            flc_involved_mg_l=involved,
            flc_ratio=ratio,
            consent_date=consent,
            first_procedure_date=min((d for _oid, d in procedures), default=None),
        )

    @staticmethod
    def _crcl_lacking(patient: Patient, v: Mapping[str, str]) -> tuple[Message, ...]:
        """What the creatinine clearance cannot be computed without."""
        checks = ((Message("creatinine"), "I.CHEM.CREAT" in v),
                  (Message("weight"), "I.CHEM.WEIGHT" in v or "I.DM.WEIGHT" in v),
                  (Message("birth date"),
                   patient.birth_date is not None or patient.birth_year is not None))
        return tuple(name for name, present in checks if not present)

    def _creatinine_clearance(self, patient: Patient, v: Mapping[str, str],
                              consent: dt.date | None) -> float | None:
        """Cockcroft-Gault at the chemistry sample, to one decimal (as shown and compared)."""
        creat = to_decimal(v.get("I.CHEM.CREAT"))
        weight = to_decimal(v.get("I.CHEM.WEIGHT")) or to_decimal(v.get("I.DM.WEIGHT"))
        sample = to_date(v.get("I.CHEM.DAT")) or consent or self.today
        age = age_on(patient.birth_date, patient.birth_year, sample)
        if creat is None or weight is None or age is None:
            return None
        try:
            return round(cockcroft_gault(age, float(weight), patient.sex, float(creat)), 1)
        except ValueError:
            return None
