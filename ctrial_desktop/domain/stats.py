"""Statistics of the trial summary: exact binomial confidence interval, Kaplan-Meier.

* :func:`clopper_pearson`: the exact (Clopper and Pearson, Biometrika 1934) two-sided
  confidence interval of a proportion, the inverse of the binomial distribution
  function found by bisection on exact binomial sums (no normal approximation; the
  same bounds as R's ``binom.test``).
* :func:`kaplan_meier`: the product-limit estimator (Kaplan and Meier, JASA 1958) with
  right censoring; events before censorings at tied times (the usual convention);
  :func:`numbers_at_risk` and :func:`km_median` read the curve.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    if p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    # Summed in log space term by term: exact enough for n in the thousands.
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k + 1):
        total += math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                          + i * log_p + (n - i) * log_q)
    return min(total, 1.0)


def _solve(target: float, func: object, increasing: bool) -> float:
    low, high = 0.0, 1.0
    for _ in range(100):  # 2**-100: far below any printed digit
        mid = (low + high) / 2
        value = func(mid)  # type: ignore[operator]
        if (value < target) == increasing:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def clopper_pearson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The exact two-sided confidence interval (lower, upper) of ``successes`` / ``n``."""
    if n <= 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n > 0, got {successes}/{n}")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    alpha = 1 - confidence
    x = successes
    # Lower bound: P(X >= x | p) = alpha/2, i.e. 1 - cdf(x - 1, n, p) = alpha/2.
    lower = 0.0 if x == 0 else _solve(alpha / 2, lambda p: 1 - binomial_cdf(x - 1, n, p), True)
    # Upper bound: P(X <= x | p) = alpha/2 (cdf decreases with p).
    upper = 1.0 if x == n else _solve(alpha / 2, lambda p: binomial_cdf(x, n, p), False)
    return lower, upper


@dataclass(frozen=True)
class KmStep:
    """The survival estimate from ``time`` on (until the next step)."""

    time: float
    survival: float
    at_risk: int
    events: int
    censored: int


def kaplan_meier(times: Sequence[float], events: Sequence[bool]) -> list[KmStep]:
    """The product-limit curve: a step at 0 (survival 1) then one per distinct time.

    ``events[i]`` is True for an event at ``times[i]``, False for a censoring.
    """
    if len(times) != len(events):
        raise ValueError("times and events differ in length")
    if any(t < 0 or math.isnan(t) for t in times):
        raise ValueError("times must be non-negative numbers")
    data = sorted(zip(times, events, strict=True))
    at_risk = len(data)
    survival = 1.0
    steps = [KmStep(0.0, 1.0, at_risk, 0, 0)]
    index = 0
    while index < len(data):
        time = data[index][0]
        died = censored = 0
        while index < len(data) and data[index][0] == time:
            if data[index][1]:
                died += 1
            else:
                censored += 1
            index += 1
        if died and at_risk:
            survival *= 1 - died / at_risk
        steps.append(KmStep(time, survival, at_risk, died, censored))
        at_risk -= died + censored
    return steps


def survival_at(steps: Sequence[KmStep], time: float) -> float:
    """The estimate at ``time`` (right-continuous steps)."""
    value = 1.0
    for step in steps:
        if step.time <= time:
            value = step.survival
        else:
            break
    return value


def numbers_at_risk(times: Sequence[float], at: Sequence[float]) -> list[int]:
    """How many subjects are still followed (time >= t) at each time of ``at``."""
    return [sum(1 for t in times if t >= point) for point in at]


def km_median(steps: Sequence[KmStep]) -> float | None:
    """The first time the estimate falls to 0.5 or below; None when it never does."""
    for step in steps:
        if step.survival <= 0.5:
            return step.time
    return None
