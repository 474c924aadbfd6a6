"""Catalogues of names a form definition may use but not define.

Computed items name a function (implemented as a pure function in
``ctrial_desktop.domain``) and list its input items in the order of the
function's parameters. Cross-form edit checks name a check implemented by the
form engine. The loader refuses any name that is not in these catalogues and
any computed item whose number of inputs does not match.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

ResultType = Literal["integer", "decimal", "date", "text"]


@dataclass(frozen=True)
class ComputedFunction:
    """A function a computed item may name: its parameters and result type."""

    name: str
    parameters: tuple[str, ...]
    result_type: ResultType
    description: str
    #: True when the inputs are items of a repeating group, aggregated over its rows.
    aggregates_rows: bool = False


@dataclass(frozen=True)
class CrossFormCheck:
    """A named check that needs data outside the current form (implemented by the engine)."""

    name: str
    description: str


def _index_functions(*functions: ComputedFunction) -> Mapping[str, ComputedFunction]:
    return MappingProxyType({f.name: f for f in functions})


def _index_checks(*checks: CrossFormCheck) -> Mapping[str, CrossFormCheck]:
    return MappingProxyType({c.name: c for c in checks})


#: Functions a ``computed`` item may name.
COMPUTED_FUNCTIONS: Final[Mapping[str, ComputedFunction]] = _index_functions(
    ComputedFunction(
        "age_years",
        ("birth_date", "reference_date"),
        "integer",
        "Age in whole years at the reference date.",
    ),
    ComputedFunction(
        "bmi",
        ("weight_kg", "height_cm"),
        "decimal",
        "Body-mass index, kg/m².",
    ),
    ComputedFunction(
        "cockcroft_gault",
        ("age_years", "weight_kg", "serum_creatinine_umol_l", "sex"),
        "decimal",
        "Creatinine clearance (Cockcroft-Gault), mL/min; sex is the code M or F.",
    ),
    ComputedFunction(
        "corrected_calcium",
        ("calcium_mmol_l", "albumin_g_l"),
        "decimal",
        "Calcium corrected for albumin: Ca + 0.02 x (40 - albumin g/L), mmol/L.",
    ),
    ComputedFunction(
        "flc_ratio",
        ("kappa_mg_l", "lambda_mg_l"),
        "decimal",
        "Serum free light-chain ratio kappa/lambda.",
    ),
    ComputedFunction(
        "flc_difference",
        ("kappa_mg_l", "lambda_mg_l"),
        "decimal",
        "Difference between involved and uninvolved free light chains, mg/L.",
    ),
    ComputedFunction(
        "cumulative_dose",
        ("dose_mg", "administration_status"),
        "decimal",
        "Sum of the doses of the rows whose status is TAKEN, mg.",
        aggregates_rows=True,
    ),
)

#: Checks an edit check of ``kind: cross_form`` may name.
CROSS_FORM_CHECKS: Final[Mapping[str, CrossFormCheck]] = _index_checks(
    CrossFormCheck(
        "cycle_start_after_previous",
        "Cycle day 1 is not before the previous cycle's day 1 + cycle length - visit window.",
    ),
    CrossFormCheck(
        "dose_not_above_current_level",
        "A dose taken is not above the patient's current dose level for that drug.",
    ),
    CrossFormCheck(
        "dosing_days_match_arm",
        "Days recorded as taken are planned days of the patient's arm.",
    ),
    CrossFormCheck(
        "death_after_last_visit",
        "The date of death is not before the patient's last visit or assessment.",
    ),
    CrossFormCheck(
        "date_not_before_consent",
        "A study date is not before the date of informed consent.",
    ),
    CrossFormCheck(
        "ctcae_grade_defined",
        "The grade has a definition for the chosen CTCAE term (some terms start at grade 2).",
    ),
    CrossFormCheck(
        "iss_consistent_with_labs",
        "The ISS stage agrees with beta-2 microglobulin and albumin at entry.",
    ),
    CrossFormCheck(
        "progression_after_randomization",
        "A progression date is after randomization.",
    ),
    CrossFormCheck(
        "stratum_matches_entry_data",
        "Stratification values confirmed at randomization agree with the screening data.",
    ),
)
