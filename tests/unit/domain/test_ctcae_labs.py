"""Computed labs (Cockcroft-Gault, corrected calcium) and grade monotonicity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.ctcae import LAB_TESTS, grade_lab, lab_rule
from ctrial_desktop.domain.labs import cockcroft_gault, corrected_calcium


def test_cockcroft_gault_si_constants() -> None:
    # (140 - age) x weight x 1.23 (men) or 1.04 (women) / creatinine µmol/L.
    assert cockcroft_gault(60, 70, "M", 88.4) == pytest.approx(80 * 70 * 1.23 / 88.4)
    assert cockcroft_gault(60, 70, "female", 88.4) == pytest.approx(80 * 70 * 1.04 / 88.4)
    # Agrees with the original mg/dL formula (creatinine 1.0 mg/dL = 88.4 µmol/L) to 0.5%.
    assert cockcroft_gault(60, 70, "m", 88.4) == pytest.approx(80 * 70 / 72, rel=5e-3)
    assert cockcroft_gault(60, 70, "F", 88.4) == pytest.approx(80 * 70 / 72 * 0.85, rel=5e-3)


@pytest.mark.parametrize(
    ("age", "weight", "sex", "creatinine"),
    [
        (60, 70, "X", 88.4),
        (0, 70, "M", 88.4),
        (60, 0, "M", 88.4),
        (60, 70, "M", 0),
        (150, 70, "M", 80),
    ],
)
def test_cockcroft_gault_rejects_bad_input(age, weight, sex, creatinine) -> None:
    with pytest.raises(ValueError):
        cockcroft_gault(age, weight, sex, creatinine)


def test_corrected_calcium() -> None:
    # Corrected calcium = Ca + 0.02 x (40 - albumin g/L).
    assert corrected_calcium(2.3, 30.0) == pytest.approx(2.5)
    assert corrected_calcium(2.3, 40.0) == pytest.approx(2.3)
    assert corrected_calcium(2.3, 45.0) == pytest.approx(2.2)
    with pytest.raises(ValueError):
        corrected_calcium(-1.0, 40.0)


limits = st.floats(min_value=0.01, max_value=1000, allow_nan=False)
values = st.floats(min_value=0, max_value=5000, allow_nan=False)


@settings(max_examples=400, deadline=None)
@given(
    test=st.sampled_from(LAB_TESTS),
    version=st.sampled_from(("4.03", "5.0")),
    a=limits,
    b=limits,
    baseline=st.none() | limits,
    albumin=st.none() | st.floats(min_value=0, max_value=60, allow_nan=False),
    v1=values,
    v2=values,
)
def test_grades_are_monotonic_in_the_value(test, version, a, b, baseline, albumin, v1, v2):
    # For a fixed range and baseline, a higher value never gives a lower grade for an
    # "increased" test, nor a higher grade for a "decreased" one.
    lln, uln = min(a, b), max(a, b)
    low, high = min(v1, v2), max(v1, v2)
    kwargs = dict(baseline=baseline, albumin_g_l=albumin, version=version)
    g_low = grade_lab(test, low, lln, uln, **kwargs).grade
    g_high = grade_lab(test, high, lln, uln, **kwargs).grade
    if g_low is None or g_high is None:
        return
    assert 0 <= g_low <= 4 and 0 <= g_high <= 4
    if lab_rule(test, version).direction == "high":
        assert g_low <= g_high
    else:
        assert g_low >= g_high
