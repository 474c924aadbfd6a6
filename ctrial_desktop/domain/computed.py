"""The computed (read-only) items of the CRF: the functions the study catalogue names.

Each function of :data:`FUNCTIONS` takes typed values in the order of the
catalogue's parameters and returns a number or ``None`` when an input is
missing or the result is undefined (a zero height, an unknown sex).
:func:`compute` does the same from the canonical texts stored for the inputs
and returns the canonical text of the result, rounded half-up to the item's
decimals, so the form engine never handles numbers itself.

Formulas and their sources:

* age in completed years at the reference date;
* body-mass index = weight (kg) / height (m)² (WHO);
* creatinine clearance by Cockcroft-Gault (Cockcroft & Gault, *Nephron* 1976),
  see :func:`ctrial_desktop.domain.labs.cockcroft_gault`;
* corrected calcium = Ca + 0.02 x (40 - albumin g/L) (PROTOCOL section 7),
  see :func:`ctrial_desktop.domain.labs.corrected_calcium`;
* serum free light-chain ratio kappa / lambda and the difference between the
  involved and the uninvolved chain (IMWG, Durie 2006). Without the patient's
  light-chain type the involved chain is taken to be the higher one, so the
  difference is ``|kappa - lambda|``;
* cumulative dose = the sum of the doses of the rows whose status is ``TAKEN``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from ctrial_desktop.domain import labs
from ctrial_desktop.domain.values import to_date, to_decimal

__all__ = [
    "FUNCTIONS",
    "TAKEN",
    "age_years",
    "bmi",
    "cockcroft_gault",
    "compute",
    "corrected_calcium",
    "cumulative_dose",
    "flc_difference",
    "flc_ratio",
]

#: Administration status of a dosing row that counts in the cumulative dose.
TAKEN: Final = "TAKEN"

Number = Decimal


def age_years(birth_date: _dt.date | None, reference_date: _dt.date | None) -> int | None:
    """Age in completed years at ``reference_date`` (None when a date is missing or reversed)."""
    if birth_date is None or reference_date is None or reference_date < birth_date:
        return None
    years = reference_date.year - birth_date.year
    if (reference_date.month, reference_date.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def bmi(weight_kg: Number | None, height_cm: Number | None) -> Number | None:
    """Body-mass index in kg/m²."""
    if weight_kg is None or height_cm is None or weight_kg <= 0 or height_cm <= 0:
        return None
    metres = height_cm / 100
    return weight_kg / (metres * metres)


def cockcroft_gault(
    age: Number | int | None,
    weight_kg: Number | None,
    serum_creatinine_umol_l: Number | None,
    sex: str | None,
) -> Number | None:
    """Creatinine clearance in mL/min; ``sex`` is the code ``M`` or ``F``."""
    if age is None or weight_kg is None or serum_creatinine_umol_l is None or not sex:
        return None
    try:
        value = labs.cockcroft_gault(float(age), float(weight_kg), sex,
                                     float(serum_creatinine_umol_l))
    except ValueError:
        return None
    return Decimal(repr(value))


def corrected_calcium(calcium_mmol_l: Number | None, albumin_g_l: Number | None) -> Number | None:
    """Albumin-corrected calcium in mmol/L."""
    if calcium_mmol_l is None or albumin_g_l is None:
        return None
    try:
        value = labs.corrected_calcium(float(calcium_mmol_l), float(albumin_g_l))
    except ValueError:
        return None
    return Decimal(repr(value))


def flc_ratio(kappa_mg_l: Number | None, lambda_mg_l: Number | None) -> Number | None:
    """Serum free light-chain ratio kappa / lambda."""
    if kappa_mg_l is None or lambda_mg_l is None or lambda_mg_l <= 0 or kappa_mg_l < 0:
        return None
    return kappa_mg_l / lambda_mg_l


def flc_difference(kappa_mg_l: Number | None, lambda_mg_l: Number | None) -> Number | None:
    """Involved minus uninvolved free light chain in mg/L (the higher chain is the involved one)."""
    if kappa_mg_l is None or lambda_mg_l is None or kappa_mg_l < 0 or lambda_mg_l < 0:
        return None
    return abs(kappa_mg_l - lambda_mg_l)


def cumulative_dose(
    doses_mg: Sequence[Number | None], statuses: Sequence[str | None]
) -> Number | None:
    """Sum of the doses of the rows taken; None when no row was recorded at all."""
    if not doses_mg and not statuses:
        return None
    total = Decimal(0)
    for dose, status in zip(doses_mg, statuses, strict=False):
        if dose is not None and status == TAKEN:
            total += dose
    return total


@dataclass(frozen=True)
class _Spec:
    function: Callable[..., object]
    #: How each input's canonical text becomes a typed value: "date", "number" or "code".
    input_kinds: tuple[str, ...]
    #: True when each input is a column of a repeating group (one value per row).
    aggregates_rows: bool = False


#: The implementation of every function of the study catalogue, by name.
FUNCTIONS: Final[Mapping[str, _Spec]] = {
    "age_years": _Spec(age_years, ("date", "date")),
    "bmi": _Spec(bmi, ("number", "number")),
    "cockcroft_gault": _Spec(cockcroft_gault, ("number", "number", "number", "code")),
    "corrected_calcium": _Spec(corrected_calcium, ("number", "number")),
    "flc_ratio": _Spec(flc_ratio, ("number", "number")),
    "flc_difference": _Spec(flc_difference, ("number", "number")),
    "cumulative_dose": _Spec(cumulative_dose, ("number", "code"), aggregates_rows=True),
}


def _typed(kind: str, text: str | None) -> object:
    if text is None or not text.strip():
        return None
    if kind == "date":
        return to_date(text)
    if kind == "number":
        return to_decimal(text)
    return text.strip()


def compute(
    name: str,
    inputs: Sequence[str | Sequence[str | None] | None],
    decimals: int | None = None,
) -> str | None:
    """Canonical text of a computed item from the canonical texts of its inputs.

    For a function that aggregates rows, each input is the sequence of the
    column's values, one per row (a single text counts as one row). Returns
    None when the result is undefined. Raises :class:`KeyError` for a name
    that is not in :data:`FUNCTIONS`.
    """
    spec = FUNCTIONS[name]
    if len(inputs) != len(spec.input_kinds):
        raise ValueError(f"{name} takes {len(spec.input_kinds)} inputs, got {len(inputs)}")
    args: list[object] = []
    for kind, value in zip(spec.input_kinds, inputs, strict=True):
        if spec.aggregates_rows:
            column = [value] if isinstance(value, str) or value is None else list(value)
            args.append([_typed(kind, v) for v in column])
        else:
            args.append(_typed(kind, value if isinstance(value, str) or value is None else None))
    try:
        result = spec.function(*args)
    except (ArithmeticError, InvalidOperation, ValueError):
        return None
    if result is None:
        return None
    if isinstance(result, int):
        return str(result)
    assert isinstance(result, Decimal)
    if not result.is_finite():
        return None
    if decimals is None:  # no decimals given: two places, trailing zeros dropped
        text = f"{result.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"
        return text.rstrip("0").rstrip(".")
    return f"{result.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
