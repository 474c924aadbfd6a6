"""Computed laboratory values: corrected calcium and creatinine clearance.

PROTOCOL section 7: "Creatinine clearance (Cockcroft-Gault) and corrected
calcium are computed, not typed." SI units throughout.
"""

from __future__ import annotations

__all__ = ["cockcroft_gault", "corrected_calcium"]

#: Cockcroft-Gault constants for creatinine in µmol/L. The original formula
#: (Cockcroft & Gault, *Nephron* 1976;16:31) is CrCl = (140 - age) x weight /
#: (72 x Scr[mg/dL]), x 0.85 for women. With Scr[mg/dL] = Scr[µmol/L] / 88.4:
#: 88.4 / 72 = 1.228 (men, rounded to 1.23) and 1.228 x 0.85 = 1.044 (women, 1.04).
CG_CONSTANT_MALE = 1.23
CG_CONSTANT_FEMALE = 1.04

_SEXES = {"m": "M", "male": "M", "f": "F", "female": "F"}


def cockcroft_gault(
    age_years: float, weight_kg: float, sex: str, creatinine_umol_l: float
) -> float:
    """Creatinine clearance in mL/min by Cockcroft-Gault.

    ``CrCl = (140 - age) x weight(kg) x K / creatinine(µmol/L)`` with K = 1.23 for
    men and 1.04 for women. ``sex`` is "M"/"F" or "male"/"female" (any case).
    Raises ValueError for an unknown sex or a value out of range.
    """
    key = _SEXES.get(sex.strip().lower())
    if key is None:
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    if not 0 < age_years < 140:
        raise ValueError(f"age must be between 0 and 140 years, got {age_years}")
    if weight_kg <= 0:
        raise ValueError(f"weight must be positive, got {weight_kg}")
    if creatinine_umol_l <= 0:
        raise ValueError(f"creatinine must be positive, got {creatinine_umol_l}")
    constant = CG_CONSTANT_MALE if key == "M" else CG_CONSTANT_FEMALE
    return (140.0 - age_years) * weight_kg * constant / creatinine_umol_l


def corrected_calcium(ca_mmol_l: float, albumin_g_l: float) -> float:
    """Albumin-corrected calcium in mmol/L: ``Ca + 0.02 x (40 - albumin g/L)``."""
    if ca_mmol_l < 0 or albumin_g_l < 0:
        raise ValueError("calcium and albumin must not be negative")
    return ca_mmol_l + 0.02 * (40.0 - albumin_g_l)
