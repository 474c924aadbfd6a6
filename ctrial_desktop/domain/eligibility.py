"""Eligibility of a screened patient: the checklist ticks checked against the numbers.

PROTOCOL section 4: a patient is randomizable only when every inclusion
criterion is Yes, every exclusion criterion is No, and each criterion that has
a number behind it agrees with the value entered on the screening forms. A
ticked "ANC >= 1.0" with an ANC of 0.8 entered is *not met*, with the reason.

Pure: the caller passes the answers, the baseline values (creatinine
clearance already computed) and the thresholds (from the study settings);
nothing here reads files or a database.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final, Literal

from ctrial_desktop.domain.messages import Message

__all__ = [
    "CRITERIA",
    "CriterionResult",
    "CriterionStatus",
    "EligibilityInput",
    "EligibilityResult",
    "EligibilityThresholds",
    "assess_eligibility",
]


class CriterionStatus(StrEnum):
    """Outcome of one criterion."""

    MET = "met"
    NOT_MET = "not_met"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class EligibilityThresholds:
    """Numeric limits of the checklist; defaults are PROTOCOL section 4 [default].

    Field names match the ``eligibility`` section of the study settings (and
    the FLC ratio limits of the ``imwg`` section), so the caller can build it
    with :meth:`from_mapping`.
    """

    min_age_years: int = 18
    min_prior_lines: int = 2
    ecog_max: int = 2
    anc_min: float = 1.0
    platelets_min: float = 75
    platelets_min_high_infiltration: float = 30
    high_infiltration_plasma_cells_pct: float = 50
    crcl_min_ml_min: float = 45
    ast_alt_max_x_uln: float = 3
    bilirubin_max_x_uln: float = 2
    serum_mprotein_min_g_l: float = 5
    urine_mprotein_min_mg_24h: float = 200
    flc_involved_min_mg_l: float = 100
    flc_ratio_normal_low: float = 0.26
    flc_ratio_normal_high: float = 1.65

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> EligibilityThresholds:
        """Build from settings values; keys that are not thresholds are ignored."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


@dataclass(frozen=True)
class EligibilityInput:
    """The checklist answers and the baseline values.

    ``answers`` maps the criterion code (``IN01`` ... ``EX07``, or the item
    OID ``I.ELIG.IN01``) to the tick: ``True`` (Yes), ``False`` (No) or
    ``None`` (not answered). Units: ANC and platelets x10^9/L, CrCl mL/min,
    AST/ALT U/L, bilirubin µmol/L (same unit as its ULN), serum M-protein g/L,
    urine M-protein mg/24 h, FLC mg/L. ``crcl_missing_inputs`` names what a clearance
    computed by the caller lacked (creatinine, weight, birth date) when it is ``None``.
    """

    answers: Mapping[str, bool | None] = field(default_factory=dict)
    sex: str | None = None
    childbearing_potential: bool | None = None
    age_years: int | None = None
    prior_lines: int | None = None
    ecog: int | None = None
    anc: float | None = None
    platelets: float | None = None
    bm_plasma_cells_pct: float | None = None
    crcl_ml_min: float | None = None
    ast: float | None = None
    ast_uln: float | None = None
    alt: float | None = None
    alt_uln: float | None = None
    bilirubin: float | None = None
    bilirubin_uln: float | None = None
    serum_mprotein_g_l: float | None = None
    urine_mprotein_mg_24h: float | None = None
    flc_involved_mg_l: float | None = None
    flc_ratio: float | None = None
    consent_date: _dt.date | None = None
    first_procedure_date: _dt.date | None = None
    crcl_missing_inputs: tuple[str | Message, ...] = ()

    def answer(self, code: str) -> bool | None:
        for key in (code, f"I.ELIG.{code}"):
            if key in self.answers:
                value = self.answers[key]
                return value if isinstance(value, bool) else None
        return None


@dataclass(frozen=True)
class CriterionResult:
    """One criterion: its status, the value checked and a sentence saying why."""

    code: str
    kind: Literal["inclusion", "exclusion"]
    label: str
    status: CriterionStatus
    value: object
    reason: str

    @property
    def acceptable(self) -> bool:
        return self.status in (CriterionStatus.MET, CriterionStatus.NOT_APPLICABLE)


@dataclass(frozen=True)
class EligibilityResult:
    """Every criterion and the overall decision."""

    criteria: tuple[CriterionResult, ...]

    @property
    def randomizable(self) -> bool:
        return all(c.acceptable for c in self.criteria)

    @property
    def not_met(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status is CriterionStatus.NOT_MET)

    @property
    def missing(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status is CriterionStatus.MISSING)

    def criterion(self, code: str) -> CriterionResult:
        for result in self.criteria:
            if result.code == code:
                return result
        raise KeyError(f"no criterion {code!r}")


#: Criterion codes (as in the eligibility form, ``I.ELIG.<code>``) and short labels.
CRITERIA: Final[Mapping[str, tuple[Literal["inclusion", "exclusion"], str]]] = {
    "IN01": ("inclusion", Message("Adult age")),
    "IN02": ("inclusion", Message("Documented multiple myeloma")),
    "IN03": ("inclusion", Message("Refractory to lenalidomide and bortezomib")),
    "IN04": ("inclusion", Message("Prior lines of therapy")),
    "IN05": ("inclusion", Message("Measurable disease")),
    "IN06": ("inclusion", Message("ECOG performance status")),
    "IN07": ("inclusion", Message("Absolute neutrophil count")),
    "IN08": ("inclusion", Message("Platelet count")),
    "IN09": ("inclusion", Message("Creatinine clearance (Cockcroft-Gault)")),
    "IN10": ("inclusion", Message("AST and ALT")),
    "IN11": ("inclusion", Message("Total bilirubin")),
    "IN12": ("inclusion", Message("Informed consent signed before any study procedure")),
    "IN13": ("inclusion", Message("Pregnancy tests and contraception (women of childbearing "
                                  "potential)")),
    "IN14": ("inclusion", Message("Able to take thromboprophylaxis")),
    "EX01": ("exclusion", Message("Prior pomalidomide")),
    "EX02": ("exclusion", Message("Peripheral neuropathy")),
    "EX03": ("exclusion", Message("Desquamating rash or hypersensitivity to "
                                  "thalidomide/lenalidomide")),
    "EX04": ("exclusion", Message("Other recent malignancy")),
    "EX05": ("exclusion", Message("Pregnancy or breastfeeding")),
    "EX06": ("exclusion", Message("Uncontrolled infection")),
    "EX07": ("exclusion", Message("Known HIV or active hepatitis B or C")),
}


# --------------------------------------------------------------------------- helpers


def _d(value: float) -> Decimal:
    """Exact decimal of a typed value, so that 99.9 <= 3 x 33.3 holds."""
    return Decimal(str(value))


def _fmt(value: float) -> Decimal:
    """The number as typed (``1.0`` stays ``1.0``, ``75`` stays ``75``), for a ``{:f}``
    placeholder (which shows it with the locale's decimal point)."""
    return Decimal(value) if isinstance(value, int) else _d(value)


@dataclass(frozen=True)
class _Check:
    """Outcome of the numeric part of a criterion."""

    status: CriterionStatus
    value: object
    reason: Message


def _with_unit(value: float, unit: str | Message) -> Message:
    """``68 years`` (the value as typed, then its unit), or the bare value."""
    if unit:
        return Message.verbatim("{value:f} {unit}", value=_fmt(value), unit=unit)
    return Message.verbatim("{value:f}", value=_fmt(value))


def _not_entered(name: str | Message) -> _Check:
    return _Check(CriterionStatus.MISSING, None, Message("{name} not entered", name=name))


def _at_least(name: str | Message, value: float | None, minimum: float,
              unit: str | Message) -> _Check:
    if value is None:
        return _not_entered(name)
    shown = _with_unit(value, unit)
    if _d(value) >= _d(minimum):
        return _Check(CriterionStatus.MET, value, Message(
            "{name} {value} >= {limit:f}", name=name, value=shown, limit=_fmt(minimum)))
    return _Check(CriterionStatus.NOT_MET, value, Message(
        "{name} {value} < {limit:f} required", name=name, value=shown, limit=_fmt(minimum)))


def _at_most(name: str | Message, value: float | None, maximum: float,
             unit: str | Message) -> _Check:
    if value is None:
        return _not_entered(name)
    shown = _with_unit(value, unit)
    if _d(value) <= _d(maximum):
        return _Check(CriterionStatus.MET, value, Message(
            "{name} {value} <= {limit:f}", name=name, value=shown, limit=_fmt(maximum)))
    return _Check(CriterionStatus.NOT_MET, value, Message(
        "{name} {value} > {limit:f} allowed", name=name, value=shown, limit=_fmt(maximum)))


def _times_uln(name: str | Message, value: float | None, uln: float | None,
               factor: float) -> _Check:
    if value is None:
        return _not_entered(name)
    if uln is None or uln <= 0:
        return _Check(CriterionStatus.MISSING, value,
                      Message("{name} upper limit of normal not entered", name=name))
    limit = _d(factor) * _d(uln)
    if _d(value) <= limit:
        return _Check(CriterionStatus.MET, value, Message(
            "{name} {value:f} <= {factor:f} x ULN ({limit:f})", name=name, value=_fmt(value),
            factor=_fmt(factor), limit=limit.normalize()))
    return _Check(CriterionStatus.NOT_MET, value, Message(
        "{name} {value:f} > {factor:f} x ULN ({limit:f})", name=name, value=_fmt(value),
        factor=_fmt(factor), limit=limit.normalize()))


def _combine(checks: list[_Check]) -> _Check:
    """All parts must be met; a failed part wins over a missing one."""
    for wanted in (CriterionStatus.NOT_MET, CriterionStatus.MISSING):
        bad = [c for c in checks if c.status is wanted]
        if bad:
            values = tuple(c.value for c in checks)
            return _Check(wanted, values, Message.join("; ", (c.reason for c in bad)))
    return _Check(CriterionStatus.MET, tuple(c.value for c in checks),
                  Message.join("; ", (c.reason for c in checks)))


# --------------------------------------------------------------------------- numeric rules


def _age(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_least(Message("Age"), data.age_years, t.min_age_years, Message("years"))


def _prior_lines(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_least(Message("Prior lines"), data.prior_lines, t.min_prior_lines, "")


def _measurable(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    serum = _at_least(Message("Serum M-protein"), data.serum_mprotein_g_l,
                      t.serum_mprotein_min_g_l, "g/L")
    urine = _at_least(Message("Urine M-protein"), data.urine_mprotein_mg_24h,
                      t.urine_mprotein_min_mg_24h, "mg/24 h")
    involved = _at_least(Message("Involved FLC"), data.flc_involved_mg_l,
                         t.flc_involved_min_mg_l, "mg/L")
    if data.flc_ratio is None:
        ratio = _not_entered(Message("FLC ratio"))
    elif _d(t.flc_ratio_normal_low) <= _d(data.flc_ratio) <= _d(t.flc_ratio_normal_high):
        ratio = _Check(CriterionStatus.NOT_MET, data.flc_ratio, Message(
            "FLC ratio {ratio:f} is normal ({low:f}-{high:f})", ratio=_fmt(data.flc_ratio),
            low=_fmt(t.flc_ratio_normal_low), high=_fmt(t.flc_ratio_normal_high)))
    else:
        ratio = _Check(CriterionStatus.MET, data.flc_ratio, Message(
            "FLC ratio {ratio:f} is abnormal", ratio=_fmt(data.flc_ratio)))
    flc = _combine([involved, ratio])
    options = [serum, urine, flc]
    values = (data.serum_mprotein_g_l, data.urine_mprotein_mg_24h, data.flc_involved_mg_l)
    met = [o for o in options if o.status is CriterionStatus.MET]
    if met:
        return _Check(CriterionStatus.MET, values, met[0].reason)
    status = (
        CriterionStatus.MISSING
        if any(o.status is CriterionStatus.MISSING for o in options)
        else CriterionStatus.NOT_MET
    )
    reasons = Message.join("; ", (o.reason for o in options))
    return _Check(status, values, Message("no measurable parameter: {reasons}", reasons=reasons))


def _ecog(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_most(Message("ECOG"), data.ecog, t.ecog_max, "")


def _anc(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_least(Message("ANC"), data.anc, t.anc_min, "x10^9/L")


def _platelets(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    main = _at_least(Message("Platelets"), data.platelets, t.platelets_min, "x10^9/L")
    if main.status is not CriterionStatus.NOT_MET:
        return main
    low = _at_least(Message("Platelets"), data.platelets, t.platelets_min_high_infiltration,
                    "x10^9/L")
    if low.status is CriterionStatus.NOT_MET:
        return low
    threshold = _fmt(t.high_infiltration_plasma_cells_pct)
    bmpc = data.bm_plasma_cells_pct
    if bmpc is None:
        return _Check(CriterionStatus.MISSING, data.platelets, Message(
            "{reason}; bone-marrow plasma cells not entered (the limit is {limit:f} if they "
            "are >= {threshold:f}%)", reason=main.reason,
            limit=_fmt(t.platelets_min_high_infiltration), threshold=threshold))
    if _d(bmpc) >= _d(t.high_infiltration_plasma_cells_pct):
        return _Check(CriterionStatus.MET, data.platelets, Message(
            "{reason} with bone-marrow plasma cells {bmpc:f}% >= {threshold:f}%",
            reason=low.reason, bmpc=_fmt(bmpc), threshold=threshold))
    return _Check(CriterionStatus.NOT_MET, data.platelets, Message(
        "{reason} (bone-marrow plasma cells {bmpc:f}% < {threshold:f}%)",
        reason=main.reason, bmpc=_fmt(bmpc), threshold=threshold))


def _crcl(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    if data.crcl_ml_min is None and data.crcl_missing_inputs:
        return _Check(CriterionStatus.MISSING, None, Message(
            "Creatinine clearance cannot be computed: no {inputs}",
            inputs=Message.join(", ", data.crcl_missing_inputs)))
    return _at_least(Message("Creatinine clearance"), data.crcl_ml_min, t.crcl_min_ml_min,
                     "mL/min")


def _transaminases(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _combine(
        [
            _times_uln(Message("AST"), data.ast, data.ast_uln, t.ast_alt_max_x_uln),
            _times_uln(Message("ALT"), data.alt, data.alt_uln, t.ast_alt_max_x_uln),
        ]
    )


def _bilirubin(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _times_uln(Message("Bilirubin"), data.bilirubin, data.bilirubin_uln,
                      t.bilirubin_max_x_uln)


def _consent(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    consent, procedure = data.consent_date, data.first_procedure_date
    if consent is None:
        return _Check(CriterionStatus.MISSING, None, Message("consent date not entered"))
    if procedure is None:
        return _Check(CriterionStatus.MISSING, consent,
                      Message("first study procedure date not entered"))
    if consent <= procedure:
        return _Check(CriterionStatus.MET, consent, Message(
            "consent {consent} on or before first procedure {procedure}", consent=consent,
            procedure=procedure))
    return _Check(CriterionStatus.NOT_MET, consent, Message(
        "consent {consent} after first study procedure {procedure}", consent=consent,
        procedure=procedure))


_NUMERIC: Final[Mapping[str, Callable[[EligibilityInput, EligibilityThresholds], _Check]]] = {
    "IN01": _age,
    "IN04": _prior_lines,
    "IN05": _measurable,
    "IN06": _ecog,
    "IN07": _anc,
    "IN08": _platelets,
    "IN09": _crcl,
    "IN10": _transaminases,
    "IN11": _bilirubin,
    "IN12": _consent,
}


def _not_applicable(code: str, data: EligibilityInput) -> Message | None:
    """Why a criterion does not apply to this patient, or None when it applies."""
    if code == "IN13":
        if data.sex == "M":
            return Message("not applicable: male patient")
        if data.childbearing_potential is False:
            return Message("not applicable: not of childbearing potential")
    if code == "EX05" and data.sex == "M":
        return Message("not applicable: male patient")
    return None


def _tick(kind: str, answer: bool | None) -> _Check:
    if answer is None:
        return _Check(CriterionStatus.MISSING, None, Message("checklist not answered"))
    wanted = kind == "inclusion"
    text = Message("checklist Yes") if answer else Message("checklist No")
    return _Check(CriterionStatus.MET if answer is wanted else CriterionStatus.NOT_MET, answer,
                  text)


def _assess(code: str, data: EligibilityInput, t: EligibilityThresholds) -> CriterionResult:
    kind, label = CRITERIA[code]
    reason_na = _not_applicable(code, data)
    if reason_na is not None:
        return CriterionResult(code, kind, label, CriterionStatus.NOT_APPLICABLE, None, reason_na)
    answer = data.answer(code)
    tick = _tick(kind, answer)
    rule = _NUMERIC.get(code)
    if rule is None:
        return CriterionResult(code, kind, label, tick.status, answer, tick.reason)
    number = rule(data, t)
    if number.status is CriterionStatus.NOT_MET:
        reason = number.reason
        if answer is True:
            reason = Message("{reason} (ticked Yes on the checklist)", reason=reason)
        elif answer is False:
            reason = Message("{reason} (ticked No on the checklist)", reason=reason)
        return CriterionResult(code, kind, label, CriterionStatus.NOT_MET, number.value, reason)
    if tick.status is CriterionStatus.NOT_MET:
        if number.status is CriterionStatus.MISSING:
            reason = Message.join("; ", (tick.reason, number.reason))
        else:
            reason = Message("{tick} although {reason}", tick=tick.reason, reason=number.reason)
        return CriterionResult(code, kind, label, CriterionStatus.NOT_MET, number.value, reason)
    if CriterionStatus.MISSING in (tick.status, number.status):
        parts = [c.reason for c in (tick, number) if c.status is CriterionStatus.MISSING]
        return CriterionResult(
            code, kind, label, CriterionStatus.MISSING, number.value, Message.join("; ", parts)
        )
    return CriterionResult(code, kind, label, CriterionStatus.MET, number.value, number.reason)


def assess_eligibility(
    data: EligibilityInput, thresholds: EligibilityThresholds | None = None
) -> EligibilityResult:
    """Assess every criterion of the checklist; see :class:`EligibilityResult`."""
    t = thresholds if thresholds is not None else EligibilityThresholds()
    return EligibilityResult(tuple(_assess(code, data, t) for code in CRITERIA))
