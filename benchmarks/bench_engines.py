"""Benchmark of the clinical engines against bare-library baselines.

* IMWG: evaluating a patient with 24 monthly assessments, against only decoding
  the same patient's JSON with :func:`json.loads` (the floor of any JSON-driven
  engine).
* CTCAE grading: 10,000 lab rows through :func:`grade_csv` (parse, grade, write),
  against a bare :mod:`csv` read + write of the same text.
* Term search: one search-as-you-type keystroke over the 790 CTCAE v4.03 terms,
  against a naive ``query in term.lower()`` scan.
* Dose advice: one proposal, against building the input dataclass alone.

Run from the project root: ``python benchmarks/bench_engines.py [--repeat 5]``.
Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ctrial_desktop.cli.ctcae import grade_csv
from ctrial_desktop.cli.imwg import parse_input
from ctrial_desktop.domain.ctcae import LAB_TESTS, load_ctcae_terms, search_terms
from ctrial_desktop.domain.dosing import AdverseEventInput, DoseAdviceInput, advise_dose
from ctrial_desktop.domain.imwg import evaluate_response
from ctrial_desktop.paths import resources_dir


def best_time(func: Callable[[], object], number: int, repeat: int) -> float:
    """Best mean seconds per call over ``repeat`` runs of ``number`` calls."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            func()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def patient_json(rng: random.Random, visits: int = 24) -> str:
    day0 = dt.date(2010, 1, 4)
    serum = 30.0
    assessments = []
    for k in range(1, visits + 1):
        serum = max(0.0, serum * rng.uniform(0.6, 1.2))
        assessments.append(
            {
                "date": (day0 + dt.timedelta(days=28 * k)).isoformat(),
                "serum_m": round(serum, 1),
                "serum_ife": "positive",
                "urine_m": rng.choice([None, 50, 120, 300]),
                "bm_pc": rng.choice([None, None, None, 10, 3]),
                "new_lesion": False,
            }
        )
    data = {
        "baseline": {"date": day0.isoformat(), "serum_m": 30.0, "urine_m": 400, "bm_pc": 40},
        "assessments": assessments,
    }
    return json.dumps(data)


def lab_csv(rng: random.Random, rows: int) -> str:
    lines = ["test,value,lln,uln,albumin,baseline"]
    for _ in range(rows):
        test = rng.choice(LAB_TESTS)
        lines.append(f"{test},{rng.uniform(0.1, 200):.2f},1.0,50.0,{rng.choice(['', '35'])},")
    return "\n".join(lines) + "\n"


def bare_csv_copy(text: str) -> str:
    reader = csv.DictReader(io.StringIO(text))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*(reader.fieldnames or []), "term", "grade"])
    writer.writeheader()
    for row in reader:
        writer.writerow({**row, "term": "", "grade": ""})
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2009)
    rows: list[tuple[str, float, float]] = []

    text = patient_json(rng)

    def imwg() -> object:
        baseline, assessments, new_therapy = parse_input(json.loads(text))
        return evaluate_response(baseline, assessments, new_therapy)

    rows.append(
        (
            "IMWG, 24 assessments (vs json.loads)",
            best_time(imwg, 200, args.repeat),
            best_time(lambda: json.loads(text), 200, args.repeat),
        )
    )

    labs = lab_csv(rng, 10_000)
    rows.append(
        (
            "CTCAE grade 10,000 rows (vs csv copy)",
            best_time(lambda: grade_csv(labs, "4.03"), 1, args.repeat),
            best_time(lambda: bare_csv_copy(labs), 1, args.repeat),
        )
    )

    terms = load_ctcae_terms(resources_dir() / "ctcae", "4.03")
    queries = ["r", "ra", "ras", "rash", "neu", "neutro", "count dec", "anémia"]

    def search() -> object:
        return [search_terms(terms, q, 20) for q in queries]

    def naive() -> object:
        return [[t for t in terms if q in t.term.lower()][:20] for q in queries]

    rows.append(
        (
            f"term search, {len(queries)} keystrokes (vs naive scan)",
            best_time(search, 50, args.repeat),
            best_time(naive, 50, args.repeat),
        )
    )

    events = (AdverseEventInput("Rash maculo-papular", 3, True, False),)

    def build() -> DoseAdviceInput:
        return DoseAdviceInput("POM21", 68, 4, 40, 0.4, 120, adverse_events=events)

    rows.append(
        (
            "dose advice (vs building the input)",
            best_time(lambda: advise_dose(build()), 2000, args.repeat),
            best_time(build, 2000, args.repeat),
        )
    )

    print(f"{'benchmark':<48} {'engine':>12} {'baseline':>12} {'ratio':>8}")
    for name, engine, baseline in rows:
        ratio = engine / baseline
        print(f"{name:<48} {engine * 1e3:>9.3f} ms {baseline * 1e3:>9.3f} ms {ratio:>7.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
