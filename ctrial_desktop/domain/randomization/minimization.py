"""Pocock-Simon minimization for any number of arms and factors.

Pocock SJ, Simon R. Sequential treatment assignment with balancing for
prognostic factors in the controlled clinical trial. Biometrics 1975;31:103-115.

For a new patient with level ``r_i`` of each factor ``i``, and ``x_ik`` the
number of patients already assigned to arm ``k`` with level ``r_i``:

* ``d_ik`` is the imbalance of factor ``i`` if the patient went to arm ``k``:
  the measure (``range`` = max - min, or ``variance`` = population variance,
  dividing by the number of arms) of the counts ``x_i1 .. x_iN`` after adding
  one to ``x_ik``;
* ``G_k = sum_i w_i * d_ik`` is the total imbalance for arm ``k``;
* arms are ranked by increasing ``G_k``; the arm ranked first gets probability
  ``p`` and every other rank ``(1 - p) / (N - 1)`` (the paper's section 3.3
  rule with ``p_1 = p``; ``p`` must lie in ``[1/N, 1]``).

Ties: Pocock and Simon rank tied treatments in random order. Ranking tied arms
at random and then applying the rank probabilities gives each tied arm the mean
of the rank probabilities the tied group occupies; we compute that mean exactly
instead of drawing a second random number. So two arms tied for the minimum
among two share ``(p + (1 - p)) / 2 = 1/2`` each; among three arms, two tied
minimizers each get ``(p + (1 - p) / 2) / 2`` and the third ``(1 - p) / 2``.

The caller supplies the uniform draw in ``[0, 1)`` (``secrets``-based in the
application, a seeded generator in simulations): arms are taken in their
configured order and the first whose cumulative probability exceeds the draw
is chosen. All arithmetic on counts, weights and probabilities is exact
(integers over a common denominator and :class:`fractions.Fraction`, floats
being converted through their shortest decimal form, so ``p = 0.8`` is exactly
4/5), so ties are never decided by rounding. The returned
:class:`MinimizationResult` is the explanation stored with the assignment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import lcm
from typing import Any, Literal

from ctrial_desktop.domain.randomization.blocks import AllocationError, validate_arms

Measure = Literal["range", "variance"]
MEASURES: tuple[Measure, ...] = ("range", "variance")

#: Counts already assigned: factor -> level -> number of patients per arm (arm order).
Counts = Mapping[str, Mapping[str, Sequence[int]]]


@dataclass(frozen=True)
class MinimizationResult:
    """The arm chosen for a patient and the explanation of the choice.

    Imbalances are kept as integers over a common denominator
    (``scaled_imbalance[k] / imbalance_scale`` is ``G_k``) so that a
    simulation of thousands of patients does not build fractions it never
    reads; :attr:`imbalance` and :attr:`factor_imbalance` give exact values.
    """

    arm: str
    arm_index: int
    arms: tuple[str, ...]
    factors: tuple[str, ...]
    #: Probability of each arm (arm order); they sum to exactly 1.
    probabilities: tuple[Fraction, ...]
    p: Fraction
    measure: Measure
    draw: float
    #: G_k * imbalance_scale per arm (arm order).
    scaled_imbalance: tuple[int, ...]
    #: d_ik * measure_scale per arm (outer, arm order) and factor (inner, factor order).
    scaled_factor_imbalance: tuple[tuple[int, ...], ...]
    imbalance_scale: int
    measure_scale: int

    @property
    def imbalance(self) -> tuple[Fraction, ...]:
        """Total imbalance G_k per arm (arm order)."""
        return tuple(Fraction(g, self.imbalance_scale) for g in self.scaled_imbalance)

    @property
    def factor_imbalance(self) -> tuple[dict[str, Fraction], ...]:
        """d_ik per arm (outer, arm order) as factor name -> d."""
        return tuple(
            {f: Fraction(d, self.measure_scale) for f, d in zip(self.factors, ds, strict=True)}
            for ds in self.scaled_factor_imbalance
        )

    @property
    def probability(self) -> Fraction:
        """Probability with which the chosen arm was chosen."""
        return self.probabilities[self.arm_index]

    @property
    def minimizing_arms(self) -> tuple[str, ...]:
        """Arms with the smallest total imbalance."""
        low = min(self.scaled_imbalance)
        return tuple(
            a for a, g in zip(self.arms, self.scaled_imbalance, strict=True) if g == low
        )

    def explanation(self) -> dict[str, Any]:
        """A JSON-ready record: scores and probabilities as exact fractions and floats."""
        return {
            "method": "pocock-simon",
            "measure": self.measure,
            "p": str(self.p),
            "arm": self.arm,
            "draw": self.draw,
            "arms": {
                arm: {
                    "imbalance": str(g),
                    "imbalance_value": float(g),
                    "factors": {f: str(d) for f, d in ds.items()},
                    "probability": str(prob),
                    "probability_value": float(prob),
                }
                for arm, g, ds, prob in zip(
                    self.arms, self.imbalance, self.factor_imbalance, self.probabilities,
                    strict=True,
                )
            },
        }


@lru_cache(maxsize=256)
def _exact_float(value: float) -> Fraction:
    return Fraction(repr(value))


def exact(value: float | int | Fraction) -> Fraction:
    """``value`` as a Fraction; floats through their shortest decimal form (0.8 -> 4/5)."""
    if isinstance(value, float):
        return _exact_float(value)
    return Fraction(value)


def _scaled_measure(counts: Sequence[int], measure: Measure) -> int:
    """The measure times its scale: range as is, variance times N squared."""
    if measure == "range":
        return max(counts) - min(counts)
    n = len(counts)
    total = sum(counts)
    return n * sum(c * c for c in counts) - total * total


def _measure_scale(measure: Measure, n_arms: int) -> int:
    return 1 if measure == "range" else n_arms * n_arms


def imbalance_measure(counts: Sequence[int], measure: Measure) -> Fraction:
    """Range or population variance of per-arm counts, exactly."""
    if measure not in MEASURES:
        raise AllocationError(f"unknown imbalance measure {measure!r}")
    return Fraction(_scaled_measure(counts, measure), _measure_scale(measure, len(counts)))


def rank_probabilities(n_arms: int, p: Fraction) -> tuple[Fraction, ...]:
    """Probability of each rank: ``p`` for the first, ``(1 - p)/(N - 1)`` for the others."""
    other = (1 - p) / (n_arms - 1)
    return (p, *([other] * (n_arms - 1)))


def _tie_groups(imbalance: Sequence[Any]) -> tuple[tuple[int, int], ...]:
    """For each arm, the ranks ``[start, end)`` its tie group occupies."""
    n = len(imbalance)
    order = sorted(range(n), key=imbalance.__getitem__)
    groups: list[tuple[int, int]] = [(0, 0)] * n
    start = 0
    while start < n:
        end = start
        while end < n and imbalance[order[end]] == imbalance[order[start]]:
            end += 1
        for rank in range(start, end):
            groups[order[rank]] = (start, end)
        start = end
    return tuple(groups)


@lru_cache(maxsize=1024)
def _pattern_probabilities(
    groups: tuple[tuple[int, int], ...], p: Fraction
) -> tuple[tuple[Fraction, ...], tuple[tuple[int, int], ...]]:
    """Per-arm probabilities and cumulative ``(numerator, denominator)`` for a tie pattern."""
    by_rank = rank_probabilities(len(groups), p)
    probs = tuple(sum(by_rank[s:e], Fraction(0)) / (e - s) for s, e in groups)
    cumulative = []
    running = Fraction(0)
    for prob in probs:
        running += prob
        cumulative.append((running.numerator, running.denominator))
    return probs, tuple(cumulative)


def assignment_probabilities(imbalance: Sequence[Any], p: Fraction) -> tuple[Fraction, ...]:
    """Per-arm probabilities from total imbalances, tied arms sharing their ranks' mean."""
    return _pattern_probabilities(_tie_groups(imbalance), exact(p))[0]


def minimize(
    counts: Counts,
    levels: Mapping[str, str],
    arms: Sequence[str],
    weights: Mapping[str, float | int | Fraction],
    p: float | Fraction,
    draw: float,
    measure: Measure = "range",
) -> MinimizationResult:
    """Choose the arm of a new patient by Pocock-Simon minimization.

    ``counts`` gives, for each factor and level, the patients already assigned
    per arm (a level absent from ``counts`` counts as zero everywhere);
    ``levels`` the new patient's level of every weighted factor; ``weights``
    the factors used and their weights (positive); ``draw`` a uniform number in
    ``[0, 1)`` supplied by the caller.
    """
    arms_t = validate_arms(arms)
    n = len(arms_t)
    p_exact = exact(p)
    # 1/N <= p <= 1, in integers
    if not p_exact.denominator <= p_exact.numerator * n <= p_exact.denominator * n:
        raise AllocationError(f"p must lie between 1/{n} and 1, got {p}")
    if not 0.0 <= draw < 1.0:
        raise AllocationError(f"the draw must lie in [0, 1), got {draw}")
    if measure not in MEASURES:
        raise AllocationError(f"unknown imbalance measure {measure!r}")
    if not weights:
        raise AllocationError("at least one factor is needed")
    factors = tuple(weights)
    exact_weights = [exact(weights[f]) for f in factors]
    for factor, w in zip(factors, exact_weights, strict=True):
        if w.numerator <= 0:
            raise AllocationError(f"weight of factor {factor!r} must be positive")
        if factor not in levels:
            raise AllocationError(f"the patient has no level for factor {factor!r}")
    # integer weights over a common denominator: same order and ties as the exact weights
    weight_scale = lcm(*(w.denominator for w in exact_weights))
    int_weights = [w.numerator * (weight_scale // w.denominator) for w in exact_weights]

    rows: list[tuple[int, ...]] = []
    for factor in factors:
        level_counts = counts.get(factor, {}).get(levels[factor])
        row = tuple(level_counts) if level_counts is not None else (0,) * n
        if len(row) != n or any(c < 0 for c in row):
            raise AllocationError(f"counts of {factor}={levels[factor]} do not fit {n} arms")
        rows.append(row)

    scaled_ds: list[tuple[int, ...]] = []
    totals: list[int] = []
    for k in range(n):
        ds = []
        for row in rows:
            after = list(row)
            after[k] += 1
            ds.append(_scaled_measure(after, measure))
        scaled_ds.append(tuple(ds))
        totals.append(sum(w * d for w, d in zip(int_weights, ds, strict=True)))

    probs, cumulative = _pattern_probabilities(_tie_groups(totals), p_exact)
    draw_num, draw_den = draw.as_integer_ratio()
    chosen = next(
        (k for k, (num, den) in enumerate(cumulative) if draw_num * den < num * draw_den), n - 1
    )
    measure_scale = _measure_scale(measure, n)
    return MinimizationResult(
        arm=arms_t[chosen],
        arm_index=chosen,
        arms=arms_t,
        factors=factors,
        probabilities=probs,
        p=p_exact,
        measure=measure,
        draw=draw,
        scaled_imbalance=tuple(totals),
        scaled_factor_imbalance=tuple(scaled_ds),
        imbalance_scale=weight_scale * measure_scale,
        measure_scale=measure_scale,
    )


def empty_counts() -> dict[str, dict[str, list[int]]]:
    """A mutable, empty count table to fill with :func:`add_to_counts`."""
    return {}


def add_to_counts(
    counts: MutableMapping[str, MutableMapping[str, list[int]]],
    levels: Mapping[str, str],
    arm_index: int,
    n_arms: int,
) -> None:
    """Record in ``counts`` (in place) one patient with ``levels`` assigned to arm ``arm_index``."""
    if not 0 <= arm_index < n_arms:
        raise AllocationError(f"arm index {arm_index} outside 0..{n_arms - 1}")
    for factor, level in levels.items():
        row = counts.setdefault(factor, {}).setdefault(level, [0] * n_arms)
        row[arm_index] += 1


def count_assignments(
    arms: Sequence[str], assigned: Iterable[tuple[Mapping[str, str], str]]
) -> dict[str, dict[str, list[int]]]:
    """Build the count table from patients already randomized: ``(levels, arm)`` pairs."""
    arms_t = validate_arms(arms)
    counts = empty_counts()
    for levels, arm in assigned:
        if arm not in arms_t:
            raise AllocationError(f"unknown arm {arm!r}")
        add_to_counts(counts, levels, arms_t.index(arm), len(arms_t))
    return counts
