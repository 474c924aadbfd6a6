"""Cross-form edit checks: three-valued, partial dates fail only when certain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.crossform import (
    CHECKS,
    ctcae_grade_defined,
    cycle_start_after_previous,
    date_not_before_consent,
    death_after_last_visit,
    dose_not_above_current_level,
    dosing_days_match_arm,
    iss_consistent_with_labs,
    iss_stage,
    progression_after_randomization,
    stratum_matches_entry_data,
)
from ctrial_desktop.study.catalogue import CROSS_FORM_CHECKS

D = dt.date


def test_every_catalogue_check_is_implemented() -> None:
    assert set(CHECKS) == set(CROSS_FORM_CHECKS)


@pytest.mark.parametrize(
    ("value", "consent", "expected"),
    [
        (D(2010, 3, 1), D(2010, 3, 1), True),
        (D(2010, 3, 2), D(2010, 3, 1), True),
        (D(2010, 2, 28), D(2010, 3, 1), False),
        (None, D(2010, 3, 1), None),
        (D(2010, 3, 1), None, None),
        ("2010-03", D(2010, 3, 1), True),
        ("2010-03", D(2010, 3, 15), None),
        ("2010-02", D(2010, 3, 1), False),
        ("2010", D(2010, 3, 1), None),
        ("2009", D(2010, 3, 1), False),
        ("", D(2010, 3, 1), None),
        ("garbage", D(2010, 3, 1), None),
    ],
)
def test_date_not_before_consent(value: object, consent: object, expected: bool | None) -> None:
    assert date_not_before_consent(value, consent) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day1", "previous", "expected"),
    [
        (D(2011, 3, 29), D(2011, 3, 1), True),  # exactly 28 days later
        (D(2011, 3, 26), D(2011, 3, 1), True),  # 3 days early: inside the window
        (D(2011, 3, 25), D(2011, 3, 1), False),  # 4 days early
        (D(2011, 5, 1), D(2011, 3, 1), True),  # delayed: always fine
        (D(2011, 3, 29), None, None),  # first cycle
        (D(2011, 3, 26), "2011-03", None),  # previous day 1 only known to the month
        (D(2011, 3, 1), "2011-03", False),
    ],
)
def test_cycle_start_after_previous(day1: dt.date, previous: object, expected: object) -> None:
    assert cycle_start_after_previous(day1, previous, 28, 3) is expected  # type: ignore[arg-type]


def test_dose_not_above_current_level() -> None:
    assert dose_not_above_current_level(Decimal(3), Decimal(3)) is True
    assert dose_not_above_current_level(Decimal(4), Decimal(3)) is False
    assert dose_not_above_current_level(Decimal(2), Decimal(3)) is True
    assert dose_not_above_current_level(None, Decimal(3)) is None
    assert dose_not_above_current_level(Decimal(4), None) is None


def test_dosing_days_match_arm() -> None:
    pom21 = frozenset(range(1, 22))
    assert dosing_days_match_arm(21, pom21) is True
    assert dosing_days_match_arm(22, pom21) is False
    assert dosing_days_match_arm(22, frozenset(range(1, 29))) is True
    assert dosing_days_match_arm(None, pom21) is None
    assert dosing_days_match_arm(3, None) is None


def test_death_after_last_visit() -> None:
    assert death_after_last_visit(D(2012, 1, 10), D(2012, 1, 10)) is True
    assert death_after_last_visit(D(2012, 1, 9), D(2012, 1, 10)) is False
    assert death_after_last_visit(D(2012, 1, 9), None) is None


def test_ctcae_grade_defined() -> None:
    assert ctcae_grade_defined(1, (2, 3, 4, 5)) is False
    assert ctcae_grade_defined(2, (2, 3, 4, 5)) is True
    assert ctcae_grade_defined(None, (1,)) is None
    assert ctcae_grade_defined(1, None) is None


@pytest.mark.parametrize(
    ("b2m", "albumin", "stage"),
    [
        ("3.4", "35", "I"),
        ("3.5", "35", "II"),
        ("3.4", "34.9", "II"),
        ("5.49", "20", "II"),
        ("5.5", None, "III"),
        ("3.0", None, None),
        (None, "40", None),
    ],
)
def test_iss_stage(b2m: str | None, albumin: str | None, stage: str | None) -> None:
    def number(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    assert iss_stage(number(b2m), number(albumin)) == stage


def test_iss_consistent_with_labs() -> None:
    assert iss_consistent_with_labs("III", Decimal(6), Decimal(30)) is True
    assert iss_consistent_with_labs("I", Decimal(6), Decimal(30)) is False
    assert iss_consistent_with_labs("I-II", Decimal(4), Decimal(30)) is True
    assert iss_consistent_with_labs("I-II", Decimal(6), Decimal(30)) is False
    assert iss_consistent_with_labs(None, Decimal(6), Decimal(30)) is None
    assert iss_consistent_with_labs("II", None, Decimal(30)) is None


def test_progression_after_randomization() -> None:
    assert progression_after_randomization(D(2011, 1, 2), D(2011, 1, 1)) is True
    assert progression_after_randomization(D(2011, 1, 1), D(2011, 1, 1)) is False
    assert progression_after_randomization("2011-01", D(2011, 1, 15)) is None
    assert progression_after_randomization("2011-02", D(2011, 1, 15)) is True
    assert progression_after_randomization("2010", D(2011, 1, 15)) is False


def test_stratum_matches_entry_data() -> None:
    assert stratum_matches_entry_data({"iss": "I-II", "age": "<65"},
                                      {"iss": "II", "age": "<65"}) is True
    assert stratum_matches_entry_data({"iss": "III"}, {"iss": "II"}) is False
    assert stratum_matches_entry_data({"iss": "II"}, {"iss": "I-II"}) is True
    assert stratum_matches_entry_data({"age": ">=65"}, {"age": "<65"}) is False
    assert stratum_matches_entry_data({"iss": "III"}, {"iss": None}) is None
    assert stratum_matches_entry_data({}, {"iss": "II"}) is None


_dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2020, 12, 31))


def _partial(value: dt.date, precision: int) -> str:
    return value.isoformat()[: (4, 7, 10)[precision]]


@settings(max_examples=200, deadline=None)
@given(value=_dates, limit=_dates, precision=st.integers(0, 2))
def test_partial_dates_fail_only_when_every_completion_fails(
    value: dt.date, limit: dt.date, precision: int
) -> None:
    partial = _partial(value, precision)
    result = date_not_before_consent(partial, limit)
    if result is False:
        assert value < limit  # the true date fails too
    if result is True:
        assert value >= limit
    if precision == 2:
        assert result is (value >= limit)
