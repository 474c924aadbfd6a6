"""Benchmark of the randomization engine against two PyPI packages.

* Pocock-Simon minimization of 1,000 patients (factors site, ISS group, age
  group; weights 1; p = 0.8; range) against ``smallerize`` on the same patients
  and settings, over many seeds: time ratio and final imbalance, overall and
  per factor level (paired by seed).
* Stratified permuted blocks (site x ISS group, block sizes 2 and 4) against
  ``randomization.random_block`` on the same strata: time ratio and balance.

Run from the project root: ``python benchmarks/bench_randomization.py [--seeds 30]``
after ``pip install smallerize randomization``. A package that cannot be
imported is reported, with the reason, instead of its comparison.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ctrial_desktop.domain.randomization import (
    add_to_counts,
    age_group,
    empty_counts,
    generate_allocation_list,
    iss_group,
    minimize,
    site_iss_stratum,
)

ARMS = ("A", "B")
FACTORS = ("site", "iss", "age")
SITES = tuple(f"{k:02d}" for k in range(1, 9))
SITE_WEIGHTS = (30, 20, 15, 10, 10, 6, 5, 4)
P = 0.8
BLOCK_SIZES = (2, 4)


@dataclass(frozen=True, slots=True)
class Patient:
    """A synthetic patient with the factor levels used by both engines."""

    site: str
    iss: str
    age: str


def make_patients(n: int, seed: int) -> list[Patient]:
    """Synthetic cohort: unequal sites, ISS stages 35/35/30 %, age ~ N(62, 9) in 42-83."""
    rng = random.Random(10_000 + seed)
    patients = []
    for _ in range(n):
        site = rng.choices(SITES, weights=SITE_WEIGHTS)[0]
        stage = rng.choices((1, 2, 3), weights=(35, 35, 30))[0]
        age = min(max(rng.gauss(62, 9), 42), 83)
        patients.append(Patient(site, iss_group(stage), age_group(age)))
    return patients


def levels_of(patient: Patient) -> dict[str, str]:
    """The patient's level of each factor."""
    return {"site": patient.site, "iss": patient.iss, "age": patient.age}


# --- imbalance metrics ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Imbalance:
    """Final imbalance of one simulated trial."""

    overall: int  # |nA - nB|
    level_max: int  # largest |nA - nB| within a factor level
    level_sum: int  # sum over all factor levels of |nA - nB|


def imbalance(patients: Sequence[Patient], arms: Sequence[str]) -> Imbalance:
    """Overall and per-factor-level imbalance of an assignment."""
    total = Counter(arms)
    per_level: dict[tuple[str, str], Counter[str]] = {}
    for patient, arm in zip(patients, arms, strict=True):
        for factor, level in levels_of(patient).items():
            per_level.setdefault((factor, level), Counter())[arm] += 1
    diffs = [abs(c[ARMS[0]] - c[ARMS[1]]) for c in per_level.values()]
    return Imbalance(abs(total[ARMS[0]] - total[ARMS[1]]), max(diffs), sum(diffs))


# --- minimization engines --------------------------------------------------------------


def ours_minimization(patients: Sequence[Patient], seed: int) -> list[str]:
    """Our engine: exact Pocock-Simon, draws from random.Random(seed)."""
    rng = random.Random(seed)
    counts = empty_counts()
    weights = dict.fromkeys(FACTORS, 1)
    out = []
    for patient in patients:
        levels = levels_of(patient)
        result = minimize(counts, levels, ARMS, weights, P, rng.random(), "range")
        add_to_counts(counts, levels, result.arm_index, len(ARMS))
        out.append(result.arm)
    return out


def _smallerize_minimizer() -> Any:
    import smallerize

    factors = [
        smallerize.Factor("site", SITES),
        smallerize.Factor("iss", ("I-II", "III")),
        smallerize.Factor("age", ("<65", ">=65")),
    ]
    return smallerize.Minimizer(
        factors=factors,
        arms=[smallerize.Arm(a) for a in ARMS],
        d_imbalance_method="range",
        total_imbalance_method="sum",
        probability_method="best_only",
        preferred_p=P,
    )


def smallerize_minimization(patients: Sequence[Patient], seed: int) -> list[str]:
    """smallerize.Minimizer with the same settings (range, sum, best_only, p = 0.8)."""
    random.seed(seed)  # smallerize draws from the module-level generator
    minimizer = _smallerize_minimizer()
    return [minimizer.assign_participant(levels_of(p)) for p in patients]


def score_agreement(patients: Sequence[Patient], seed: int) -> tuple[int, int]:
    """Steps where both engines give the same G per arm and the same probabilities.

    Our engine assigns; smallerize is fed the same history, so both see the
    same counts at every step. Returns ``(agreeing steps, steps)``.
    """
    rng = random.Random(seed)
    counts = empty_counts()
    weights = dict.fromkeys(FACTORS, 1)
    minimizer = _smallerize_minimizer()
    agree = 0
    for patient in patients:
        levels = levels_of(patient)
        result = minimize(counts, levels, ARMS, weights, P, rng.random(), "range")
        theirs = minimizer.get_new_total_imbalances(levels)
        same_scores = tuple(theirs[a] for a in ARMS) == result.imbalance
        # smallerize breaks ties by a random ranking: its expected probabilities are ours
        if len(set(theirs.values())) == 1:
            expected = {a: 1 / len(ARMS) for a in ARMS}
        else:
            expected = minimizer.get_arm_probability(theirs)
        same_probs = all(
            math.isclose(expected[a], float(q))
            for a, q in zip(ARMS, result.probabilities, strict=True)
        )
        agree += same_scores and same_probs
        add_to_counts(counts, levels, result.arm_index, len(ARMS))
        minimizer.add_existing_participant(levels, result.arm)
    return agree, len(patients)


# --- block engines ---------------------------------------------------------------------


def _strata(patients: Sequence[Patient]) -> list[str]:
    return [site_iss_stratum(p.site, 1 if p.iss == "I-II" else 3) for p in patients]


def _assign_from_lists(strata: Sequence[str], lists: dict[str, Sequence[str]]) -> list[str]:
    used: Counter[str] = Counter()
    out = []
    for stratum in strata:
        out.append(lists[stratum][used[stratum]])
        used[stratum] += 1
    return out


def ours_blocks(strata: Sequence[str], seed: int) -> tuple[list[str], list[list[str]]]:
    """Our lists (HMAC-SHA256 generator), one per stratum; returns arms and the used lists."""
    sizes = Counter(strata)
    lists = {}
    for stratum, n in sizes.items():
        seed_bytes = seed.to_bytes(8, "big") + stratum.encode().ljust(24, b"\0")
        alloc = generate_allocation_list(seed_bytes, stratum, ARMS, (1, 1), BLOCK_SIZES, n)
        lists[stratum] = [p.arm for p in alloc.positions[:n]]
    return _assign_from_lists(strata, lists), list(lists.values())


def package_blocks(strata: Sequence[str], seed: int) -> tuple[list[str], list[list[str]]]:
    """randomization.random_block, one list per stratum (seed + stratum index)."""
    import randomization

    sizes = Counter(strata)
    lists = {}
    for index, (stratum, n) in enumerate(sorted(sizes.items())):
        groups = randomization.random_block(n, 2, list(BLOCK_SIZES), seed=seed * 1000 + index)
        lists[stratum] = [ARMS[g] for g in groups]
    return _assign_from_lists(strata, lists), list(lists.values())


def max_running_gap(sequence: Sequence[str]) -> int:
    """Largest |nA - nB| over every prefix of a list."""
    gap = worst = 0
    for arm in sequence:
        gap += 1 if arm == ARMS[0] else -1
        worst = max(worst, abs(gap))
    return worst


# --- reporting -----------------------------------------------------------------------------


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _mean_se(values: Sequence[float]) -> tuple[float, float]:
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0
    return mean, se


def bench_minimization(seeds: Sequence[int], n: int) -> bool:
    """Print the minimization comparison; True when ours is no worse."""
    print(f"\nPocock-Simon minimization, {n} patients x {len(seeds)} seeds"
          f" (factors {', '.join(FACTORS)}; weights 1; p = {P}; range)")
    try:
        import smallerize  # noqa: F401
    except ImportError as exc:
        print(f"  smallerize unavailable: {exc} (pip install smallerize)")
        return True
    t_ours = t_theirs = 0.0
    rows: dict[str, list[Imbalance]] = {"ours": [], "smallerize": []}
    for seed in seeds:
        patients = make_patients(n, seed)
        dt, arms = _timed(lambda p=patients, s=seed: ours_minimization(p, s))
        t_ours += dt
        rows["ours"].append(imbalance(patients, arms))  # type: ignore[arg-type]
        dt, arms = _timed(lambda p=patients, s=seed: smallerize_minimization(p, s))
        t_theirs += dt
        rows["smallerize"].append(imbalance(patients, arms))  # type: ignore[arg-type]
    print(f"  {'engine':<12}{'time/trial':>12}{'overall |A-B|':>16}"
          f"{'max level |A-B|':>18}{'sum level |A-B|':>18}")
    for name, total_time in (("ours", t_ours), ("smallerize", t_theirs)):
        parts = [f"{name:<12}{1000 * total_time / len(seeds):>10.1f}ms"]
        for attr, width in (("overall", 16), ("level_max", 18), ("level_sum", 18)):
            mean, se = _mean_se([getattr(r, attr) for r in rows[name]])
            parts.append(f"{f'{mean:.2f} ± {se:.2f}':>{width}}")
        print("  " + "".join(parts))
    print(f"  time ratio ours/smallerize: {t_ours / t_theirs:.2f}")
    agree = total = 0
    for seed in seeds[:5]:
        a, t = score_agreement(make_patients(n, seed), seed)
        agree, total = agree + a, total + t
    print(f"  same imbalance scores and probabilities as smallerize on the same history:"
          f" {agree}/{total} steps")
    verdict = agree == total
    for attr in ("overall", "level_max", "level_sum"):
        diffs = [getattr(a, attr) - getattr(b, attr)
                 for a, b in zip(rows["ours"], rows["smallerize"], strict=True)]
        mean, se = _mean_se(diffs)
        worse = mean > 2 * se and mean > 0
        verdict &= not worse
        print(f"  paired difference ours - smallerize, {attr}: {mean:+.2f} ± {se:.2f}"
              f" -> {'WORSE' if worse else 'no worse'}")
    return verdict


def bench_blocks(seeds: Sequence[int], n: int) -> bool:
    """Print the block comparison; True when our balance guarantees hold."""
    print(f"\nStratified permuted blocks (site x ISS group, sizes {BLOCK_SIZES}),"
          f" {n} patients x {len(seeds)} seeds")
    try:
        import randomization  # noqa: F401
    except ImportError as exc:
        print(f"  randomization unavailable: {exc} (pip install randomization)")
        return True
    results = {}
    for name, engine in (("ours", ours_blocks), ("randomization", package_blocks)):
        total_time = 0.0
        worst_gap = 0
        stratum_final: list[int] = []
        overall: list[int] = []
        for seed in seeds:
            patients = make_patients(n, seed)
            strata = _strata(patients)
            dt, value = _timed(lambda t=strata, s=seed, e=engine: e(t, s))
            total_time += dt
            arms, lists = value  # type: ignore[misc]
            worst_gap = max([worst_gap, *(max_running_gap(x) for x in lists)])
            stratum_final.extend(abs(x.count(ARMS[0]) - x.count(ARMS[1])) for x in lists)
            overall.append(imbalance(patients, arms).overall)
        results[name] = (total_time, worst_gap, stratum_final, overall)
    print(f"  {'engine':<15}{'time/trial':>12}{'max running gap':>17}"
          f"{'mean stratum |A-B|':>20}{'mean overall |A-B|':>20}")
    for name, (total_time, gap, finals, overall) in results.items():
        print(f"  {name:<15}{1000 * total_time / len(seeds):>10.2f}ms{gap:>17}"
              f"{statistics.fmean(finals):>20.2f}{statistics.fmean(overall):>20.2f}")
    ratio = results["ours"][0] / results["randomization"][0]
    print(f"  time ratio ours/randomization: {ratio:.2f}"
          " (ours derives every draw from HMAC-SHA256 so lists are reproducible anywhere)")
    half = max(BLOCK_SIZES) // 2
    ok = results["ours"][1] <= half and max(results["ours"][2]) <= half
    print(f"  ours: |A-B| <= {half} at every point of every stratum -> {'OK' if ok else 'FAILED'}")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    """Run both comparisons and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30, help="number of seeds (default 30)")
    parser.add_argument("--patients", type=int, default=1000, help="patients per trial")
    args = parser.parse_args(argv)
    seeds = list(range(1, args.seeds + 1))
    ok = bench_minimization(seeds, args.patients)
    ok &= bench_blocks(seeds, args.patients)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
