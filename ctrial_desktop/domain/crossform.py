"""Cross-form edit checks: rules that compare a form's value with data from elsewhere.

Each check of the study catalogue (``kind: cross_form`` edit checks) is a pure
function here. The form engine gathers the other data (consent date, previous
cycle, current dose level, randomization date…) and calls the function. Every
function answers in three-valued logic, like :mod:`ctrial_desktop.domain.checks`:
``True`` (the data agree), ``False`` (the check fires) or ``None`` (cannot tell:
a value is missing), so that a check never fires on data not yet entered.

Dates may be complete (:class:`datetime.date`) or partial (canonical text
``2005`` / ``2005-03``); a partial date fails a check only when every date it
can stand for fails.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection, Mapping
from decimal import Decimal
from typing import Final

from ctrial_desktop.domain.values import partial_date_bounds

__all__ = [
    "CHECKS",
    "ISS_GROUPS",
    "ctcae_grade_defined",
    "cycle_start_after_previous",
    "date_not_before_consent",
    "death_after_last_visit",
    "dose_not_above_current_level",
    "dosing_days_match_arm",
    "iss_consistent_with_labs",
    "iss_stage",
    "progression_after_randomization",
    "stratum_matches_entry_data",
]

DateLike = _dt.date | str | None

#: International Staging System (Greipp et al., J Clin Oncol 2005;23:3412): stage I is
#: beta-2 microglobulin < 3.5 mg/L with albumin >= 35 g/L; stage III is beta-2
#: microglobulin >= 5.5 mg/L; stage II is neither.
ISS_B2M_STAGE_I_BELOW: Final = Decimal("3.5")
ISS_ALBUMIN_STAGE_I_AT_LEAST: Final = Decimal(35)
ISS_B2M_STAGE_III_AT_LEAST: Final = Decimal("5.5")

#: Randomization strata of ISS (PROTOCOL section 5: I-II vs III) and the stages they hold.
ISS_GROUPS: Final[Mapping[str, frozenset[str]]] = {
    "I-II": frozenset({"I", "II"}),
    "III": frozenset({"III"}),
}


def _bounds(value: DateLike) -> tuple[_dt.date, _dt.date] | None:
    """Earliest and latest date a complete or partial date stands for (None if missing)."""
    if value is None:
        return None
    if isinstance(value, _dt.date):
        return value, value
    text = value.strip()
    if not text:
        return None
    try:
        return partial_date_bounds(text)
    except ValueError:
        return None


def _not_before(value: DateLike, limit: DateLike) -> bool | None:
    """``value >= limit`` for dates that may be partial (three-valued)."""
    first, last = _bounds(value), _bounds(limit)
    if first is None or last is None:
        return None
    if first[0] >= last[1]:
        return True
    if first[1] < last[0]:
        return False
    return None


def _after(value: DateLike, limit: DateLike) -> bool | None:
    """``value > limit`` for dates that may be partial (three-valued)."""
    first, last = _bounds(value), _bounds(limit)
    if first is None or last is None:
        return None
    if first[0] > last[1]:
        return True
    if first[1] <= last[0]:
        return False
    return None


def date_not_before_consent(value: DateLike, consent_date: DateLike) -> bool | None:
    """A study date is not before the date of informed consent."""
    return _not_before(value, consent_date)


def cycle_start_after_previous(
    day1: DateLike,
    previous_day1: DateLike,
    cycle_length_days: int,
    window_days: int,
) -> bool | None:
    """Cycle day 1 is not before the previous day 1 + cycle length - visit window."""
    day, previous = _bounds(day1), _bounds(previous_day1)
    if day is None or previous is None:
        return None
    shift = _dt.timedelta(days=cycle_length_days - window_days)
    if day[0] >= previous[1] + shift:
        return True
    if day[1] < previous[0] + shift:
        return False
    return None


def dose_not_above_current_level(
    dose_mg: Decimal | None, current_level_mg: Decimal | None
) -> bool | None:
    """A dose taken is not above the patient's current dose level for that drug."""
    if dose_mg is None or current_level_mg is None:
        return None
    return dose_mg <= current_level_mg


def dosing_days_match_arm(day: int | None, planned_days: Collection[int] | None) -> bool | None:
    """A day recorded as taken is a planned day of the patient's arm."""
    if day is None or planned_days is None:
        return None
    return day in planned_days


def death_after_last_visit(death_date: DateLike, last_visit_date: DateLike) -> bool | None:
    """The date of death is not before the patient's last visit or assessment."""
    return _not_before(death_date, last_visit_date)


def ctcae_grade_defined(grade: int | None, allowed_grades: Collection[int] | None) -> bool | None:
    """The grade has a definition for the chosen CTCAE term (some terms start at grade 2)."""
    if grade is None or allowed_grades is None:
        return None
    return grade in allowed_grades


def iss_stage(b2m_mg_l: Decimal | None, albumin_g_l: Decimal | None) -> str | None:
    """ISS stage ``I``, ``II`` or ``III`` from the labs (None when it cannot be told)."""
    if b2m_mg_l is None:
        return None
    if b2m_mg_l >= ISS_B2M_STAGE_III_AT_LEAST:
        return "III"
    if albumin_g_l is None:
        return None
    if b2m_mg_l < ISS_B2M_STAGE_I_BELOW and albumin_g_l >= ISS_ALBUMIN_STAGE_I_AT_LEAST:
        return "I"
    return "II"


def iss_consistent_with_labs(
    stage: str | None, b2m_mg_l: Decimal | None, albumin_g_l: Decimal | None
) -> bool | None:
    """The ISS stage (or stratum ``I-II`` / ``III``) agrees with beta-2 microglobulin, albumin."""
    derived = iss_stage(b2m_mg_l, albumin_g_l)
    if not stage or derived is None:
        return None
    allowed = ISS_GROUPS.get(stage, frozenset({stage}))
    return derived in allowed


def progression_after_randomization(
    progression_date: DateLike, randomization_date: DateLike
) -> bool | None:
    """A progression date is after randomization."""
    return _after(progression_date, randomization_date)


def stratum_matches_entry_data(
    confirmed: Mapping[str, str | None], entry: Mapping[str, str | None]
) -> bool | None:
    """Stratification values confirmed at randomization agree with the screening data.

    Both mappings are keyed by factor name (``iss``, ``age_group``…); ISS may be a
    stage on one side and a stratum on the other. Factors missing on either side
    are not compared.
    """
    compared = False
    for factor, value in confirmed.items():
        other = entry.get(factor)
        if not value or not other:
            continue
        compared = True
        if value == other:
            continue
        if factor == "iss" and (
            other in ISS_GROUPS.get(value, frozenset()) or value in ISS_GROUPS.get(other, ())
        ):
            continue
        return False
    return True if compared else None


#: The implementation of every cross-form check of the study catalogue, by name.
CHECKS: Final[Mapping[str, Callable[..., bool | None]]] = {
    "cycle_start_after_previous": cycle_start_after_previous,
    "dose_not_above_current_level": dose_not_above_current_level,
    "dosing_days_match_arm": dosing_days_match_arm,
    "death_after_last_visit": death_after_last_visit,
    "date_not_before_consent": date_not_before_consent,
    "ctcae_grade_defined": ctcae_grade_defined,
    "iss_consistent_with_labs": iss_consistent_with_labs,
    "progression_after_randomization": progression_after_randomization,
    "stratum_matches_entry_data": stratum_matches_entry_data,
}
