"""Pocock-Simon minimization: the 1975 worked example, ties, the p-biased coin."""

from __future__ import annotations

import json
import math
import random
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctrial_desktop.domain.randomization import (
    AllocationError,
    add_to_counts,
    count_assignments,
    empty_counts,
    minimize,
)
from ctrial_desktop.domain.randomization.minimization import (
    assignment_probabilities,
    imbalance_measure,
)

EXAMPLE = json.loads(
    (Path(__file__).parent / "data" / "pocock_simon_1975_example.json").read_text("utf-8")
)


def test_pocock_simon_1975_worked_example() -> None:
    arms = EXAMPLE["arms"]
    result = minimize(
        counts=EXAMPLE["counts"],
        levels=EXAMPLE["new_patient_levels"],
        arms=arms,
        weights=EXAMPLE["weights"],
        p=Fraction(2, 3),
        draw=0.0,
        measure="range",
    )
    for k, arm in enumerate(arms):
        assert result.factor_imbalance[k] == {
            f: Fraction(d) for f, d in EXAMPLE["expected_d"][arm].items()
        }
        assert result.imbalance[k] == EXAMPLE["expected_G"][arm]
        assert result.probabilities[k] == Fraction(EXAMPLE["expected_probabilities"][arm])
    assert result.minimizing_arms == ("T3",)
    # draw 0.0 falls in T1's share [0, 1/6); T3 owns [1/3, 1)
    assert result.arm == "T1" and result.probability == Fraction(1, 6)
    assert minimize(EXAMPLE["counts"], EXAMPLE["new_patient_levels"], arms,
                    EXAMPLE["weights"], Fraction(2, 3), 0.5).arm == "T3"
    assert minimize(EXAMPLE["counts"], EXAMPLE["new_patient_levels"], arms,
                    EXAMPLE["weights"], Fraction(2, 3), 0.2).arm == "T2"


def test_explanation_record() -> None:
    result = minimize(EXAMPLE["counts"], EXAMPLE["new_patient_levels"], EXAMPLE["arms"],
                      EXAMPLE["weights"], Fraction(2, 3), 0.75)
    record = result.explanation()
    json.dumps(record)
    assert record["arm"] == "T3" and record["draw"] == 0.75 and record["p"] == "2/3"
    assert record["arms"]["T2"]["imbalance"] == "10"
    assert record["arms"]["T3"]["probability"] == "2/3"
    assert record["arms"]["T1"]["factors"] == {"factor1": "1", "factor2": "2", "factor3": "2"}


def test_float_p_is_exact_decimal() -> None:
    result = minimize({}, {"site": "01"}, ["A", "B"], {"site": 1}, 0.8, 0.1)
    # empty trial: both arms tie, each gets (0.8 + 0.2) / 2
    assert result.probabilities == (Fraction(1, 2), Fraction(1, 2))
    counts = {"site": {"01": [1, 0]}}
    result = minimize(counts, {"site": "01"}, ["A", "B"], {"site": 1}, 0.8, 0.1)
    assert result.probabilities == (Fraction(1, 5), Fraction(4, 5))
    assert result.arm == "A"  # draw 0.1 < 1/5


def test_ties_share_their_ranks_probability() -> None:
    # Three arms, two tied for the minimum: each (p + (1-p)/2)/2, the third (1-p)/2.
    probs = assignment_probabilities([Fraction(1), Fraction(1), Fraction(3)], Fraction(4, 5))
    assert probs == (Fraction(9, 20), Fraction(9, 20), Fraction(1, 10))
    # Tie for second place only: the minimizer keeps p.
    probs = assignment_probabilities([Fraction(2), Fraction(0), Fraction(2)], Fraction(4, 5))
    assert probs == (Fraction(1, 10), Fraction(4, 5), Fraction(1, 10))
    probs = assignment_probabilities([Fraction(5)] * 4, Fraction(1, 2))
    assert probs == (Fraction(1, 4),) * 4


def test_variance_measure() -> None:
    assert imbalance_measure([3, 1], "variance") == 1
    assert imbalance_measure([2, 2, 5], "variance") == 2
    assert imbalance_measure([2, 2, 5], "range") == 3
    result = minimize(EXAMPLE["counts"], EXAMPLE["new_patient_levels"], EXAMPLE["arms"],
                      EXAMPLE["weights"], Fraction(2, 3), 0.9, measure="variance")
    assert result.minimizing_arms == ("T3",)
    assert result.measure == "variance"


@settings(max_examples=150, deadline=None)
@given(
    n_arms=st.integers(2, 4),
    data=st.data(),
    p=st.fractions(min_value=0, max_value=1),
    draw=st.floats(min_value=0, max_value=1, exclude_max=True),
    measure=st.sampled_from(["range", "variance"]),
)
def test_probabilities_form_a_distribution_favouring_minimizers(
    n_arms: int, data: st.DataObject, p: Fraction, draw: float, measure: str
) -> None:
    p = max(p, Fraction(1, n_arms))
    arms = [f"A{k}" for k in range(n_arms)]
    factors = ["f1", "f2", "f3"]
    counts = {
        f: {"x": data.draw(st.lists(st.integers(0, 6), min_size=n_arms, max_size=n_arms))}
        for f in factors
    }
    weights = {f: data.draw(st.integers(1, 3)) for f in factors}
    result = minimize(counts, dict.fromkeys(factors, "x"), arms, weights, p, draw, measure)
    assert sum(result.probabilities) == 1
    assert all(q >= 0 for q in result.probabilities)
    best = min(result.imbalance)
    best_prob = [q for q, g in zip(result.probabilities, result.imbalance, strict=True)
                 if g == best]
    others = [q for q, g in zip(result.probabilities, result.imbalance, strict=True) if g != best]
    assert all(q >= o for q in best_prob for o in others)
    assert result.probability > 0
    # the chosen arm is the one whose cumulative interval contains the draw
    k = result.arm_index
    assert sum(result.probabilities[:k]) <= Fraction(draw) < sum(result.probabilities[: k + 1])


def test_minimizing_arm_chosen_with_frequency_p() -> None:
    rng = random.Random(20091002)
    p, n = 0.8, 10_000
    counts = {"site": {"01": [3, 2]}, "iss": {"III": [1, 1]}, "age": {"<65": [2, 1]}}
    levels = {"site": "01", "iss": "III", "age": "<65"}
    weights = {"site": 1, "iss": 1, "age": 1}
    hits = 0
    for _ in range(n):
        result = minimize(counts, levels, ["POM21", "POM28"], weights, p, rng.random())
        assert result.minimizing_arms == ("POM28",)
        hits += result.arm == "POM28"
    sigma = math.sqrt(n * p * (1 - p))
    assert abs(hits - n * p) <= 4 * sigma


def test_counts_helpers() -> None:
    counts = count_assignments(
        ["A", "B"],
        [({"site": "01", "iss": "III"}, "A"), ({"site": "01", "iss": "I-II"}, "B"),
         ({"site": "02", "iss": "III"}, "A")],
    )
    assert counts == {"site": {"01": [1, 1], "02": [1, 0]}, "iss": {"III": [2, 0], "I-II": [0, 1]}}
    table = empty_counts()
    add_to_counts(table, {"site": "01"}, 1, 2)
    assert table == {"site": {"01": [0, 1]}}
    with pytest.raises(AllocationError):
        add_to_counts(table, {"site": "01"}, 2, 2)
    with pytest.raises(AllocationError):
        count_assignments(["A", "B"], [({"site": "01"}, "C")])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"p": 0.4}, "p must"),
        ({"p": 1.2}, "p must"),
        ({"draw": 1.0}, "draw"),
        ({"draw": -0.1}, "draw"),
        ({"measure": "sd"}, "measure"),
        ({"weights": {}}, "factor"),
        ({"weights": {"site": 0}}, "positive"),
        ({"weights": {"sex": 1}}, "no level"),
        ({"counts": {"site": {"01": [1, 2, 3]}}}, "do not fit"),
        ({"arms": ["A"]}, "two arms"),
    ],
)
def test_invalid_minimization_input(kwargs: dict[str, object], message: str) -> None:
    params: dict[str, object] = {
        "counts": {"site": {"01": [1, 2]}},
        "levels": {"site": "01"},
        "arms": ["A", "B"],
        "weights": {"site": 1},
        "p": 0.8,
        "draw": 0.5,
        "measure": "range",
    }
    params.update(kwargs)
    with pytest.raises(AllocationError, match=message):
        minimize(**params)  # type: ignore[arg-type]


def test_p_one_is_deterministic_and_p_half_is_fair() -> None:
    counts = {"site": {"01": [2, 0]}}
    for draw in (0.0, 0.5, 0.999):
        assert minimize(counts, {"site": "01"}, ["A", "B"], {"site": 1}, 1, draw).arm == "B"
    result = minimize(counts, {"site": "01"}, ["A", "B"], {"site": 1}, 0.5, 0.3)
    assert result.probabilities == (Fraction(1, 2), Fraction(1, 2))


def test_fractional_weights_with_variance_are_exact() -> None:
    counts = {"site": {"01": [1, 0]}, "iss": {"III": [0, 0]}}
    result = minimize(counts, {"site": "01", "iss": "III"}, ["A", "B"],
                      {"site": 0.5, "iss": 1.5}, 0.8, 0.9, measure="variance")
    assert result.imbalance == (Fraction(7, 8), Fraction(3, 8))
    assert result.factor_imbalance == (
        {"site": Fraction(1), "iss": Fraction(1, 4)},
        {"site": Fraction(0), "iss": Fraction(1, 4)},
    )
    assert result.minimizing_arms == ("B",)
    assert (result.arm, result.probability) == ("B", Fraction(4, 5))
