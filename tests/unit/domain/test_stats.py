"""Clopper-Pearson and Kaplan-Meier against published values, and their properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ctrial_desktop.domain.stats import (
    binomial_cdf,
    clopper_pearson,
    kaplan_meier,
    km_median,
    numbers_at_risk,
    survival_at,
)


@pytest.mark.parametrize(("x", "n", "low", "high"), [
    # R 4.x: binom.test(x, n)$conf.int (exact Clopper-Pearson, 95%)
    (0, 10, 0.0, 0.3084971),
    (5, 10, 0.1870860, 0.8129140),
    (10, 10, 0.6915029, 1.0),
    (1, 20, 0.001265089, 0.2487328),
])
def test_clopper_pearson_equals_r_binom_test(x: int, n: int, low: float, high: float) -> None:
    lower, upper = clopper_pearson(x, n)
    assert lower == pytest.approx(low, abs=1e-6)
    assert upper == pytest.approx(high, abs=1e-6)


@pytest.mark.parametrize("n", [2, 10, 84, 301])
def test_half_successes_give_an_interval_symmetric_about_one_half(n: int) -> None:
    lower, upper = clopper_pearson(n // 2, 2 * (n // 2))
    assert lower == pytest.approx(1 - upper, abs=1e-9)


def test_refuses_impossible_counts() -> None:
    for x, n in ((-1, 5), (6, 5), (0, 0)):
        with pytest.raises(ValueError):
            clopper_pearson(x, n)


@given(st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_interval_contains_the_estimate_and_narrows_with_less_confidence(
        case: tuple[int, int]) -> None:
    x, n = case
    lower, upper = clopper_pearson(x, n)
    assert 0 <= lower <= x / n <= upper <= 1
    narrow = clopper_pearson(x, n, 0.80)
    assert lower <= narrow[0] + 1e-12 and narrow[1] <= upper + 1e-12


def test_binomial_cdf_small_cases() -> None:
    assert binomial_cdf(0, 3, 0.5) == pytest.approx(0.125)
    assert binomial_cdf(1, 3, 0.5) == pytest.approx(0.5)
    assert binomial_cdf(3, 3, 0.2) == 1.0


def test_kaplan_meier_textbook_example() -> None:
    # Events at 1, 3 and 5, censorings at 2 and 4, a tie (event + censoring) at 2.
    steps = kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    assert [(s.time, round(s.survival, 4), s.at_risk) for s in steps] == [
        (0.0, 1.0, 6), (1, 0.8333, 6), (2, 0.6667, 5), (3, 0.4444, 3), (4, 0.4444, 2),
        (5, 0.0, 1)]
    assert km_median(steps) == 3
    assert survival_at(steps, 2.5) == pytest.approx(2 / 3)
    assert numbers_at_risk([1, 2, 2, 3, 4, 5], [0, 2, 4, 6]) == [6, 5, 2, 0]


def test_no_event_no_median() -> None:
    steps = kaplan_meier([3, 5, 8], [False, False, False])
    assert all(s.survival == 1.0 for s in steps) and km_median(steps) is None


@given(st.lists(st.tuples(st.floats(0, 60, allow_nan=False), st.booleans()), max_size=80))
def test_survival_never_rises_and_stays_in_0_1(data: list[tuple[float, bool]]) -> None:
    steps = kaplan_meier([t for t, _e in data], [e for _t, e in data])
    values = [s.survival for s in steps]
    assert all(0.0 <= v <= 1.0 for v in values)
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(values))
    assert sum(s.events + s.censored for s in steps) == len(data)
