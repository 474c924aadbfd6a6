"""Computed items: the catalogue's functions, from typed values and from canonical texts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.computed import (
    FUNCTIONS,
    age_years,
    bmi,
    cockcroft_gault,
    compute,
    corrected_calcium,
    cumulative_dose,
    flc_difference,
    flc_ratio,
)
from ctrial_desktop.study.catalogue import COMPUTED_FUNCTIONS


def test_every_catalogue_function_is_implemented_with_its_arity() -> None:
    assert set(FUNCTIONS) == set(COMPUTED_FUNCTIONS)
    for name, spec in FUNCTIONS.items():
        assert len(spec.input_kinds) == len(COMPUTED_FUNCTIONS[name].parameters)
        assert spec.aggregates_rows == COMPUTED_FUNCTIONS[name].aggregates_rows


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (dt.date(1950, 3, 12), dt.date(2011, 3, 11), 60),
        (dt.date(1950, 3, 12), dt.date(2011, 3, 12), 61),
        (dt.date(1952, 2, 29), dt.date(2011, 2, 28), 58),
        (dt.date(1952, 2, 29), dt.date(2011, 3, 1), 59),
        (dt.date(2011, 3, 12), dt.date(2011, 3, 12), 0),
    ],
)
def test_age_in_completed_years(birth: dt.date, on: dt.date, age: int) -> None:
    assert age_years(birth, on) == age


def test_age_undefined() -> None:
    assert age_years(None, dt.date(2011, 1, 1)) is None
    assert age_years(dt.date(2011, 1, 2), dt.date(2011, 1, 1)) is None


def test_bmi() -> None:
    assert bmi(Decimal(70), Decimal(175)) == pytest.approx(Decimal("22.857"), abs=Decimal("0.001"))
    assert bmi(Decimal(70), Decimal(0)) is None
    assert bmi(None, Decimal(175)) is None


def test_cockcroft_gault_uses_the_lab_formula() -> None:
    # (140 - 60) x 70 x 1.23 / 90 = 76.53 (man); x 1.04 instead of 1.23 for a woman: 64.71
    assert float(cockcroft_gault(60, Decimal(70), Decimal(90), "M")) == pytest.approx(76.533, 1e-3)
    assert float(cockcroft_gault(60, Decimal(70), Decimal(90), "F")) == pytest.approx(64.711, 1e-3)
    assert cockcroft_gault(60, Decimal(70), Decimal(90), "X") is None
    assert cockcroft_gault(60, Decimal(70), Decimal(0), "M") is None
    assert cockcroft_gault(None, Decimal(70), Decimal(90), "M") is None


def test_corrected_calcium() -> None:
    # 2.40 + 0.02 x (40 - 30) = 2.60 mmol/L
    assert float(corrected_calcium(Decimal("2.40"), Decimal(30))) == pytest.approx(2.60)
    assert corrected_calcium(Decimal("-1"), Decimal(30)) is None
    assert corrected_calcium(None, Decimal(30)) is None


def test_free_light_chains() -> None:
    assert flc_ratio(Decimal(300), Decimal(10)) == Decimal(30)
    assert flc_ratio(Decimal(300), Decimal(0)) is None
    assert flc_difference(Decimal(10), Decimal(300)) == Decimal(290)
    assert flc_difference(Decimal(300), Decimal(10)) == Decimal(290)
    assert flc_difference(None, Decimal(10)) is None


def test_cumulative_dose_counts_taken_rows_only() -> None:
    doses = [Decimal(4), Decimal(4), None, Decimal(3)]
    statuses = ["TAKEN", "MISSED", "TAKEN", "TAKEN"]
    assert cumulative_dose(doses, statuses) == Decimal(7)
    assert cumulative_dose([], []) is None
    assert cumulative_dose([Decimal(4)], ["INTERRUPTED"]) == Decimal(0)


@pytest.mark.parametrize(
    ("name", "inputs", "decimals", "expected"),
    [
        ("age_years", ["1950-03-12", "2011-03-12"], None, "61"),
        ("age_years", ["1950-03-12", None], None, None),
        ("age_years", ["1950", "2011-03-12"], None, None),
        ("bmi", ["70.0", "175"], 1, "22.9"),
        ("bmi", ["70,0", "175"], 1, None),
        ("cockcroft_gault", ["60", "70.0", "90", "M"], 0, "77"),
        ("cockcroft_gault", ["60", "70.0", "90", None], 0, None),
        ("corrected_calcium", ["2.40", "30"], 2, "2.60"),
        ("corrected_calcium", ["2.405", "40"], 2, "2.41"),
        ("flc_ratio", ["1", "3"], None, "0.33"),
        ("flc_difference", ["12.5", "2.5"], None, "10"),
    ],
)
def test_compute_from_canonical_texts(
    name: str, inputs: list[str | None], decimals: int | None, expected: str | None
) -> None:
    assert compute(name, inputs, decimals) == expected


def test_compute_aggregates_rows() -> None:
    doses = ["4", "4", "3", None]
    statuses = ["TAKEN", "TAKEN", "MISSED", "TAKEN"]
    assert compute("cumulative_dose", [doses, statuses], 1) == "8.0"
    assert compute("cumulative_dose", ["4", "TAKEN"], 1) == "4.0"


def test_compute_refuses_wrong_arity_and_unknown_name() -> None:
    with pytest.raises(ValueError, match="takes 2 inputs"):
        compute("bmi", ["70"])
    with pytest.raises(KeyError):
        compute("not_a_function", [])


@settings(max_examples=150, deadline=None)
@given(
    name=st.sampled_from(sorted(FUNCTIONS)),
    texts=st.lists(st.one_of(st.none(), st.text(max_size=8),
                             st.decimals(-500, 500, places=2).map(str)), min_size=4, max_size=4),
    decimals=st.one_of(st.none(), st.integers(0, 3)),
)
def test_compute_never_raises_and_gives_a_number_or_none(
    name: str, texts: list[str | None], decimals: int | None
) -> None:
    arity = len(FUNCTIONS[name].input_kinds)
    result = compute(name, texts[:arity], decimals)
    if result is not None:
        assert Decimal(result).is_finite()
