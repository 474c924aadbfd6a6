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
(:class:`fractions.Fraction`, floats being converted through their shortest
decimal form, so ``p = 0.8`` is exactly 4/5), so ties are never decided by
rounding. The returned :class:`MinimizationResult` is the explanation stored
with the assignment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from ctrial_desktop.domain.randomization.blocks import AllocationError, validate_arms

Measure = Literal["range", "variance"]
MEASURES: tuple[Measure, ...] = ("range", "variance")

#: Counts already assigned: factor -> level -> number of patients per arm (arm order).
Counts = Mapping[str, Mapping[str, Sequence[int]]]


@dataclass(frozen=True)
class MinimizationResult:
    """The arm chosen for a patient and the explanation of the choice."""

    arm: str
    arms: tuple[str, ...]
    #: Total imbalance G_k per arm (arm order).
    imbalance: tuple[Fraction, ...]
    #: d_ik per arm (outer, arm order) and factor (inner, factor name -> d).
    factor_imbalance: tuple[Mapping[str, Fraction], ...]
    #: Probability of each arm (arm order); they sum to exactly 1.
    probabilities: tuple[Fraction, ...]
    p: Fraction
    measure: Measure
    draw: float

    @property
    def arm_index(self) -> int:
        """Position of the chosen arm in ``arms``."""
        return self.arms.index(self.arm)

    @property
    def probability(self) -> Fraction:
        """Probability with which the chosen arm was chosen."""
        return self.probabilities[self.arm_index]

    @property
    def minimizing_arms(self) -> tuple[str, ...]:
        """Arms with the smallest total imbalance."""
        low = min(self.imbalance)
        return tuple(a for a, g in zip(self.arms, self.imbalance, strict=True) if g == low)

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


def exact(value: float | int | Fraction) -> Fraction:
    """``value`` as a Fraction; floats through their shortest decimal form (0.8 -> 4/5)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def imbalance_measure(counts: Sequence[int], measure: Measure) -> Fraction:
    """Range or population variance of per-arm counts, exactly."""
    if measure == "range":
        return Fraction(max(counts) - min(counts))
    if measure == "variance":
        n = len(counts)
        mean = Fraction(sum(counts), n)
        return sum(((c - mean) ** 2 for c in counts), Fraction(0)) / n
    raise AllocationError(f"unknown imbalance measure {measure!r}")


def rank_probabilities(n_arms: int, p: Fraction) -> tuple[Fraction, ...]:
    """Probability of each rank: ``p`` for the first, ``(1 - p)/(N - 1)`` for the others."""
    other = (1 - p) / (n_arms - 1)
    return (p, *([other] * (n_arms - 1)))


def assignment_probabilities(imbalance: Sequence[Fraction], p: Fraction) -> tuple[Fraction, ...]:
    """Per-arm probabilities from total imbalances, tied arms sharing their ranks' mean."""
    n = len(imbalance)
    by_rank = rank_probabilities(n, p)
    order = sorted(range(n), key=lambda k: imbalance[k])
    probs = [Fraction(0)] * n
    start = 0
    while start < n:
        end = start
        while end < n and imbalance[order[end]] == imbalance[order[start]]:
            end += 1
        share = sum(by_rank[start:end], Fraction(0)) / (end - start)
        for rank in range(start, end):
            probs[order[rank]] = share
        start = end
    return tuple(probs)


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
    if not Fraction(1, n) <= p_exact <= 1:
        raise AllocationError(f"p must lie between 1/{n} and 1, got {p}")
    if not 0.0 <= draw < 1.0:
        raise AllocationError(f"the draw must lie in [0, 1), got {draw}")
    if measure not in MEASURES:
        raise AllocationError(f"unknown imbalance measure {measure!r}")
    if not weights:
        raise AllocationError("at least one factor is needed")
    exact_weights = {factor: exact(w) for factor, w in weights.items()}
    for factor, w in exact_weights.items():
        if w <= 0:
            raise AllocationError(f"weight of factor {factor!r} must be positive")
        if factor not in levels:
            raise AllocationError(f"the patient has no level for factor {factor!r}")

    current: dict[str, tuple[int, ...]] = {}
    for factor in exact_weights:
        level_counts = counts.get(factor, {}).get(levels[factor])
        row = tuple(level_counts) if level_counts is not None else (0,) * n
        if len(row) != n or any(c < 0 for c in row):
            raise AllocationError(f"counts of {factor}={levels[factor]} do not fit {n} arms")
        current[factor] = row

    factor_imbalance: list[dict[str, Fraction]] = []
    totals: list[Fraction] = []
    for k in range(n):
        ds: dict[str, Fraction] = {}
        for factor, row in current.items():
            after = list(row)
            after[k] += 1
            ds[factor] = imbalance_measure(after, measure)
        factor_imbalance.append(ds)
        totals.append(sum((exact_weights[f] * d for f, d in ds.items()), Fraction(0)))

    probs = assignment_probabilities(totals, p_exact)
    cumulative = Fraction(0)
    chosen = n - 1
    for k, prob in enumerate(probs):
        cumulative += prob
        if draw < cumulative:
            chosen = k
            break
    return MinimizationResult(
        arm=arms_t[chosen],
        arms=arms_t,
        imbalance=tuple(totals),
        factor_imbalance=tuple(factor_imbalance),
        probabilities=probs,
        p=p_exact,
        measure=measure,
        draw=draw,
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
