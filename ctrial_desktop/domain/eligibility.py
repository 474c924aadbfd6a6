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
    urine M-protein mg/24 h, FLC mg/L.
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
    "IN01": ("inclusion", "Adult age"),
    "IN02": ("inclusion", "Documented multiple myeloma"),
    "IN03": ("inclusion", "Refractory to lenalidomide and bortezomib"),
    "IN04": ("inclusion", "Prior lines of therapy"),
    "IN05": ("inclusion", "Measurable disease"),
    "IN06": ("inclusion", "ECOG performance status"),
    "IN07": ("inclusion", "Absolute neutrophil count"),
    "IN08": ("inclusion", "Platelet count"),
    "IN09": ("inclusion", "Creatinine clearance (Cockcroft-Gault)"),
    "IN10": ("inclusion", "AST and ALT"),
    "IN11": ("inclusion", "Total bilirubin"),
    "IN12": ("inclusion", "Informed consent signed before any study procedure"),
    "IN13": ("inclusion", "Pregnancy tests and contraception (women of childbearing potential)"),
    "IN14": ("inclusion", "Able to take thromboprophylaxis"),
    "EX01": ("exclusion", "Prior pomalidomide"),
    "EX02": ("exclusion", "Peripheral neuropathy"),
    "EX03": ("exclusion", "Desquamating rash or hypersensitivity to thalidomide/lenalidomide"),
    "EX04": ("exclusion", "Other recent malignancy"),
    "EX05": ("exclusion", "Pregnancy or breastfeeding"),
    "EX06": ("exclusion", "Uncontrolled infection"),
    "EX07": ("exclusion", "Known HIV or active hepatitis B or C"),
}


# --------------------------------------------------------------------------- helpers


def _d(value: float) -> Decimal:
    """Exact decimal of a typed value, so that 99.9 <= 3 x 33.3 holds."""
    return Decimal(str(value))


def _fmt(value: float) -> str:
    """The number as typed (``1.0`` stays ``1.0``, ``75`` stays ``75``)."""
    return str(value) if isinstance(value, int) else f"{_d(value):f}"


@dataclass(frozen=True)
class _Check:
    """Outcome of the numeric part of a criterion."""

    status: CriterionStatus
    value: object
    reason: str


def _at_least(name: str, value: float | None, minimum: float, unit: str) -> _Check:
    suffix = f" {unit}" if unit else ""
    if value is None:
        return _Check(CriterionStatus.MISSING, None, f"{name} not entered")
    if _d(value) >= _d(minimum):
        return _Check(
            CriterionStatus.MET, value, f"{name} {_fmt(value)}{suffix} >= {_fmt(minimum)}"
        )
    return _Check(
        CriterionStatus.NOT_MET, value, f"{name} {_fmt(value)}{suffix} < {_fmt(minimum)} required"
    )


def _at_most(name: str, value: float | None, maximum: float, unit: str) -> _Check:
    suffix = f" {unit}" if unit else ""
    if value is None:
        return _Check(CriterionStatus.MISSING, None, f"{name} not entered")
    if _d(value) <= _d(maximum):
        return _Check(
            CriterionStatus.MET, value, f"{name} {_fmt(value)}{suffix} <= {_fmt(maximum)}"
        )
    return _Check(
        CriterionStatus.NOT_MET, value, f"{name} {_fmt(value)}{suffix} > {_fmt(maximum)} allowed"
    )


def _times_uln(name: str, value: float | None, uln: float | None, factor: float) -> _Check:
    if value is None:
        return _Check(CriterionStatus.MISSING, None, f"{name} not entered")
    if uln is None or uln <= 0:
        return _Check(CriterionStatus.MISSING, value, f"{name} upper limit of normal not entered")
    limit = _d(factor) * _d(uln)
    text = f"{name} {_fmt(value)} {{op}} {_fmt(factor)} x ULN ({limit.normalize():f})"
    if _d(value) <= limit:
        return _Check(CriterionStatus.MET, value, text.format(op="<="))
    return _Check(CriterionStatus.NOT_MET, value, text.format(op=">"))


def _combine(checks: list[_Check]) -> _Check:
    """All parts must be met; a failed part wins over a missing one."""
    for wanted in (CriterionStatus.NOT_MET, CriterionStatus.MISSING):
        bad = [c for c in checks if c.status is wanted]
        if bad:
            values = tuple(c.value for c in checks)
            return _Check(wanted, values, "; ".join(c.reason for c in bad))
    return _Check(
        CriterionStatus.MET, tuple(c.value for c in checks), "; ".join(c.reason for c in checks)
    )


# --------------------------------------------------------------------------- numeric rules


def _age(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_least("Age", data.age_years, t.min_age_years, "years")


def _prior_lines(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_least("Prior lines", data.prior_lines, t.min_prior_lines, "")


def _measurable(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    serum = _at_least("Serum M-protein", data.serum_mprotein_g_l, t.serum_mprotein_min_g_l, "g/L")
    urine = _at_least(
        "Urine M-protein", data.urine_mprotein_mg_24h, t.urine_mprotein_min_mg_24h, "mg/24 h"
    )
    involved = _at_least(
        "Involved FLC", data.flc_involved_mg_l, t.flc_involved_min_mg_l, "mg/L"
    )
    if data.flc_ratio is None:
        ratio = _Check(CriterionStatus.MISSING, None, "FLC ratio not entered")
    elif _d(t.flc_ratio_normal_low) <= _d(data.flc_ratio) <= _d(t.flc_ratio_normal_high):
        ratio = _Check(
            CriterionStatus.NOT_MET,
            data.flc_ratio,
            f"FLC ratio {_fmt(data.flc_ratio)} is normal "
            f"({_fmt(t.flc_ratio_normal_low)}-{_fmt(t.flc_ratio_normal_high)})",
        )
    else:
        ratio = _Check(
            CriterionStatus.MET, data.flc_ratio, f"FLC ratio {_fmt(data.flc_ratio)} is abnormal"
        )
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
    reasons = "; ".join(o.reason for o in options)
    return _Check(status, values, f"no measurable parameter: {reasons}")


def _ecog(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_most("ECOG", data.ecog, t.ecog_max, "")


def _anc(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_least("ANC", data.anc, t.anc_min, "x10^9/L")


def _platelets(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    main = _at_least("Platelets", data.platelets, t.platelets_min, "x10^9/L")
    if main.status is not CriterionStatus.NOT_MET:
        return main
    low = _at_least("Platelets", data.platelets, t.platelets_min_high_infiltration, "x10^9/L")
    if low.status is CriterionStatus.NOT_MET:
        return low
    threshold = _fmt(t.high_infiltration_plasma_cells_pct)
    bmpc = data.bm_plasma_cells_pct
    if bmpc is None:
        return _Check(
            CriterionStatus.MISSING,
            data.platelets,
            f"{main.reason}; bone-marrow plasma cells not entered (the limit is "
            f"{_fmt(t.platelets_min_high_infiltration)} if they are >= {threshold}%)",
        )
    if _d(bmpc) >= _d(t.high_infiltration_plasma_cells_pct):
        return _Check(
            CriterionStatus.MET,
            data.platelets,
            f"{low.reason} with bone-marrow plasma cells {_fmt(bmpc)}% >= {threshold}%",
        )
    return _Check(
        CriterionStatus.NOT_MET,
        data.platelets,
        f"{main.reason} (bone-marrow plasma cells {_fmt(bmpc)}% < {threshold}%)",
    )


def _crcl(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _at_least("Creatinine clearance", data.crcl_ml_min, t.crcl_min_ml_min, "mL/min")


def _transaminases(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _combine(
        [
            _times_uln("AST", data.ast, data.ast_uln, t.ast_alt_max_x_uln),
            _times_uln("ALT", data.alt, data.alt_uln, t.ast_alt_max_x_uln),
        ]
    )


def _bilirubin(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    return _times_uln("Bilirubin", data.bilirubin, data.bilirubin_uln, t.bilirubin_max_x_uln)


def _consent(data: EligibilityInput, t: EligibilityThresholds) -> _Check:
    consent, procedure = data.consent_date, data.first_procedure_date
    if consent is None:
        return _Check(CriterionStatus.MISSING, None, "consent date not entered")
    if procedure is None:
        return _Check(CriterionStatus.MISSING, consent, "first study procedure date not entered")
    if consent <= procedure:
        return _Check(
            CriterionStatus.MET,
            consent,
            f"consent {consent.isoformat()} on or before first procedure {procedure.isoformat()}",
        )
    return _Check(
        CriterionStatus.NOT_MET,
        consent,
        f"consent {consent.isoformat()} after first study procedure {procedure.isoformat()}",
    )


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


def _not_applicable(code: str, data: EligibilityInput) -> str | None:
    """Why a criterion does not apply to this patient, or None when it applies."""
    if code == "IN13":
        if data.sex == "M":
            return "not applicable: male patient"
        if data.childbearing_potential is False:
            return "not applicable: not of childbearing potential"
    if code == "EX05" and data.sex == "M":
        return "not applicable: male patient"
    return None


def _tick(kind: str, answer: bool | None) -> _Check:
    if answer is None:
        return _Check(CriterionStatus.MISSING, None, "checklist not answered")
    wanted = kind == "inclusion"
    word = "Yes" if answer else "No"
    if answer is wanted:
        return _Check(CriterionStatus.MET, answer, f"checklist {word}")
    return _Check(CriterionStatus.NOT_MET, answer, f"checklist {word}")


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
            reason += " (ticked Yes on the checklist)"
        elif answer is False:
            reason += " (ticked No on the checklist)"
        return CriterionResult(code, kind, label, CriterionStatus.NOT_MET, number.value, reason)
    if tick.status is CriterionStatus.NOT_MET:
        reason = f"{tick.reason} although {number.reason}"
        if number.status is CriterionStatus.MISSING:
            reason = f"{tick.reason}; {number.reason}"
        return CriterionResult(code, kind, label, CriterionStatus.NOT_MET, number.value, reason)
    if CriterionStatus.MISSING in (tick.status, number.status):
        parts = [c.reason for c in (tick, number) if c.status is CriterionStatus.MISSING]
        return CriterionResult(
            code, kind, label, CriterionStatus.MISSING, number.value, "; ".join(parts)
        )
    return CriterionResult(code, kind, label, CriterionStatus.MET, number.value, number.reason)


def assess_eligibility(
    data: EligibilityInput, thresholds: EligibilityThresholds | None = None
) -> EligibilityResult:
    """Assess every criterion of the checklist; see :class:`EligibilityResult`."""
    t = thresholds if thresholds is not None else EligibilityThresholds()
    return EligibilityResult(tuple(_assess(code, data, t) for code in CRITERIA))
