"""``ctrial randomization``: the randomization engine from the command line.

Sub-commands live in the ``randomization`` group created by :func:`register`;
each one is added by a ``_register_<name>(group)`` function of this module.

``ctrial randomization simulate`` randomizes a CSV file of patients with the
same engine the application uses, so that settings can be tried out and the
balance they give studied::

    ctrial randomization simulate --method blocks|minimization --patients IN.csv
        --seed N --out OUT.csv [--block-sizes 2,4] [--factors site,iss,age]
        [--weights 1,1,1] [--p 0.8] [--measure range|variance] [--arms POM21,POM28]

Input: a UTF-8 CSV with a header holding at least ``seq,subject_id,sex,age,iss,site``
(other columns are ignored); ``iss`` is the ISS stage 1, 2 or 3 and ``age`` the
age in years. Patients are randomized in increasing ``seq`` (an integer).

Factors (for ``--factors``): ``site`` the site code as written; ``iss`` the ISS
group ``I-II`` (stages 1-2) or ``III``; ``age`` the age group ``<65`` or
``>=65``; ``sex`` the value as written.

* ``--method blocks``: stratified permuted blocks, 1:1, block sizes drawn at
  random from ``--block-sizes`` (default 2,4); the stratum is site x ISS group,
  labelled ``site=<site>|iss=<I-II or III>`` (e.g. ``site=03|iss=I-II``). The
  list of each stratum is generated from a seed derived from ``--seed`` and the
  stratum label (SHA-256 of ``ctrial-simulate/1|<seed>|<stratum>``), as long as
  the stratum's number of patients (completed to a whole block).
* ``--method minimization``: Pocock-Simon minimization; default factors
  ``site,iss,age`` (PROTOCOL section 5), weights 1 each, ``--p 0.8``,
  ``--measure range``. The uniform draws come from Python's ``random.Random(seed)``,
  one ``random()`` per patient in ``seq`` order.

Output: CSV ``seq,subject_id,arm,stratum`` (blocks) or
``seq,subject_id,arm,probability`` (minimization), rows in ``seq`` order;
``probability`` is the probability with which the assigned arm was chosen
(decimal, at most 6 significant digits). The same input and seed always give
the same output. Default arms are the protocol's ``POM21,POM28``.

Options belonging to the other method, an unreadable or empty file, a missing
column, a duplicate ``seq`` or ``subject_id``, an invalid value or an unknown
factor are errors: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ctrial_desktop.cli._common import CliError, read_text_arg

if TYPE_CHECKING:
    from ctrial_desktop.domain.randomization import Measure

REQUIRED_COLUMNS: tuple[str, ...] = ("seq", "subject_id", "sex", "age", "iss", "site")
FACTORS: tuple[str, ...] = ("site", "iss", "age", "sex")
DEFAULT_FACTORS: tuple[str, ...] = ("site", "iss", "age")
DEFAULT_ARMS: tuple[str, ...] = ("POM21", "POM28")
DEFAULT_BLOCK_SIZES: tuple[int, ...] = (2, 4)
DEFAULT_P = 0.8
DEFAULT_MEASURE = "range"
SIMULATION_SEED_TAG = "ctrial-simulate/1"


@dataclass(frozen=True, slots=True)
class SimPatient:
    """One row of the input file, validated."""

    seq: int
    subject_id: str
    site: str
    iss: int
    age: float
    sex: str


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``randomization`` command group and its sub-commands."""
    parser = subparsers.add_parser(
        "randomization",
        help="randomization tools (simulate, verify)",
        description="Randomization engine: stratified permuted blocks and minimization.",
    )
    group = parser.add_subparsers(
        dest="randomization_command", metavar="SUBCOMMAND", required=True
    )
    _register_simulate(group)
    _register_verify(group)


def _register_verify(group: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    ver = group.add_parser(
        "verify",
        help="check every allocation list commitment and that each assignment took the "
        "next unused position of the right list",
    )
    ver.set_defaults(func=_cmd_verify)


def _cmd_verify(args: argparse.Namespace) -> int:
    from ctrial_desktop.cli._common import database_url
    from ctrial_desktop.services.randomization import verify_database
    from ctrial_desktop.store.database import DatabaseOpenError, open_database

    try:
        db = open_database(database_url(args))
    except DatabaseOpenError as exc:
        raise CliError(str(exc)) from None
    try:
        with db.read() as session:
            report = verify_database(session)
    finally:
        db.dispose()
    if report.ok:
        print(f"randomization OK: {report.lists_checked} lists, commitments match, "
              f"{report.assignments_checked} assignments each took the next unused position")
        return 0
    for mismatch in report.mismatches:
        print(f"{mismatch.kind.value}: {mismatch.message}")
    print(f"randomization BROKEN: {len(report.mismatches)} problem(s)", file=sys.stderr)
    return 1


def _register_simulate(group: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sim = group.add_parser(
        "simulate",
        help="randomize a CSV file of patients and write the assignments",
        description="Randomize the patients of a CSV file (seq order) with the application's"
        " engine and write seq,subject_id,arm plus stratum (blocks) or probability"
        " (minimization).",
    )
    sim.add_argument("--method", required=True, choices=("blocks", "minimization"))
    sim.add_argument("--patients", required=True, metavar="IN.csv")
    sim.add_argument("--seed", required=True, metavar="N", help="non-negative integer")
    sim.add_argument("--out", required=True, metavar="OUT.csv", help="output file, - for stdout")
    sim.add_argument("--block-sizes", metavar="2,4", help="blocks only (default 2,4)")
    sim.add_argument(
        "--factors", metavar="site,iss,age", help="minimization only: from site, iss, age, sex"
    )
    sim.add_argument("--weights", metavar="1,1,1", help="minimization only (default all 1)")
    sim.add_argument("--p", metavar="0.8", help="minimization only (default 0.8)")
    sim.add_argument("--measure", metavar="range|variance", help="minimization only")
    sim.add_argument("--arms", metavar="POM21,POM28", help="arm codes (default POM21,POM28)")
    sim.set_defaults(func=run_simulate)


# --- parsing of options -------------------------------------------------------------


def _split(text: str, option: str) -> list[str]:
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise CliError(f"{option}: empty item in {text!r}")
    return items


def _parse_seed(text: str) -> int:
    try:
        seed = int(text)
    except ValueError:
        raise CliError(f"--seed: not an integer: {text!r}") from None
    if seed < 0:
        raise CliError(f"--seed: must not be negative: {seed}")
    return seed


def _parse_block_sizes(text: str | None, n_arms: int) -> tuple[int, ...]:
    if text is None:
        return DEFAULT_BLOCK_SIZES
    sizes = []
    for item in _split(text, "--block-sizes"):
        if not item.isdigit() or int(item) == 0 or int(item) % n_arms:
            raise CliError(
                f"--block-sizes: {item!r} is not a positive multiple of {n_arms} (number of arms)"
            )
        sizes.append(int(item))
    return tuple(sizes)


def _parse_factors(text: str | None) -> tuple[str, ...]:
    if text is None:
        return DEFAULT_FACTORS
    factors = _split(text, "--factors")
    for factor in factors:
        if factor not in FACTORS:
            raise CliError(
                f"--factors: unknown factor {factor!r} (choose from {', '.join(FACTORS)})"
            )
    if len(set(factors)) != len(factors):
        raise CliError(f"--factors: a factor is repeated in {text!r}")
    return tuple(factors)


def _parse_weights(text: str | None, factors: Sequence[str]) -> dict[str, float]:
    if text is None:
        return dict.fromkeys(factors, 1.0)
    items = _split(text, "--weights")
    if len(items) != len(factors):
        raise CliError(f"--weights: {len(items)} weights for {len(factors)} factors")
    weights = {}
    for factor, item in zip(factors, items, strict=True):
        try:
            value = float(item)
        except ValueError:
            raise CliError(f"--weights: not a number: {item!r}") from None
        if not 0 < value < float("inf"):
            raise CliError(f"--weights: weights must be positive, got {item!r}")
        weights[factor] = value
    return weights


def _parse_p(text: str | None, n_arms: int) -> float:
    if text is None:
        return DEFAULT_P
    try:
        p = float(text)
    except ValueError:
        raise CliError(f"--p: not a number: {text!r}") from None
    if not 1 / n_arms <= p <= 1:
        raise CliError(f"--p: must lie between 1/{n_arms} and 1, got {text}")
    return p


def _parse_measure(text: str | None) -> Measure:
    if text is None or text == "range":
        return "range"
    if text == "variance":
        return "variance"
    raise CliError(f"--measure: must be range or variance, got {text!r}")


def _parse_arms(text: str | None) -> tuple[str, ...]:
    if text is None:
        return DEFAULT_ARMS
    from ctrial_desktop.domain.randomization import AllocationError
    from ctrial_desktop.domain.randomization.blocks import validate_arms

    try:
        return validate_arms(_split(text, "--arms"))
    except AllocationError as exc:
        raise CliError(f"--arms: {exc}") from None


# --- input file ---------------------------------------------------------------------


def _field(row: dict[str, str | None], column: str, where: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise CliError(f"{where}: empty {column}")
    return value


def read_patients(path: str) -> list[SimPatient]:
    """Read and validate the patients file; the result is sorted by ``seq``."""
    text = read_text_arg(path).removeprefix("\ufeff")
    if not text.strip():
        raise CliError(f"{path}: empty file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CliError(f"{path}: missing column(s) {', '.join(missing)}")
    reader.fieldnames = header
    patients: list[SimPatient] = []
    seen_seq: set[int] = set()
    seen_subject: set[str] = set()
    try:
        for row in reader:
            where = f"{path} line {reader.line_num}"
            if None in row:
                raise CliError(f"{where}: more fields than columns in the header")
            if not any((v or "").strip() for v in row.values()):
                continue
            seq_text = _field(row, "seq", where)
            try:
                seq = int(seq_text)
            except ValueError:
                raise CliError(f"{where}: seq is not an integer: {seq_text!r}") from None
            if seq in seen_seq:
                raise CliError(f"{where}: duplicate seq {seq}")
            subject = _field(row, "subject_id", where)
            if subject in seen_subject:
                raise CliError(f"{where}: duplicate subject_id {subject!r}")
            iss_text = _field(row, "iss", where)
            if iss_text not in ("1", "2", "3"):
                raise CliError(f"{where}: iss must be 1, 2 or 3, got {iss_text!r}")
            age_text = _field(row, "age", where)
            try:
                age = float(age_text)
            except ValueError:
                raise CliError(f"{where}: age is not a number: {age_text!r}") from None
            if not 0 <= age < 150:
                raise CliError(f"{where}: age out of range: {age_text}")
            site = _field(row, "site", where)
            if any(ch in site for ch in "=|") or not site.isprintable():
                raise CliError(f"{where}: invalid site code {site!r}")
            seen_seq.add(seq)
            seen_subject.add(subject)
            patients.append(
                SimPatient(
                    seq=seq,
                    subject_id=subject,
                    site=site,
                    iss=int(iss_text),
                    age=age,
                    sex=(row.get("sex") or "").strip(),
                )
            )
    except csv.Error as exc:
        raise CliError(f"{path} line {reader.line_num}: {exc}") from None
    if not patients:
        raise CliError(f"{path}: no patients")
    patients.sort(key=lambda p: p.seq)
    return patients


# --- engines --------------------------------------------------------------------------


def simulation_seed(seed: int, stratum: str) -> bytes:
    """The list seed of one stratum in a simulation: SHA-256 of the tag, seed and stratum."""
    return hashlib.sha256(f"{SIMULATION_SEED_TAG}|{seed}|{stratum}".encode()).digest()


def simulate_blocks(
    patients: Sequence[SimPatient], seed: int, arms: Sequence[str], block_sizes: Sequence[int]
) -> list[tuple[SimPatient, str, str]]:
    """Stratified permuted blocks: ``(patient, arm, stratum)`` in ``seq`` order."""
    from ctrial_desktop.domain.randomization import generate_allocation_list, site_iss_stratum

    strata = [site_iss_stratum(p.site, p.iss) for p in patients]
    sizes: dict[str, int] = {}
    for stratum in strata:
        sizes[stratum] = sizes.get(stratum, 0) + 1
    lists = {
        stratum: generate_allocation_list(
            simulation_seed(seed, stratum), stratum, arms, (1,) * len(arms), block_sizes, n
        )
        for stratum, n in sizes.items()
    }
    used: dict[str, int] = {}
    out = []
    for patient, stratum in zip(patients, strata, strict=True):
        used[stratum] = used.get(stratum, 0) + 1
        out.append((patient, lists[stratum].at(used[stratum]).arm, stratum))
    return out


def factor_levels(patient: SimPatient, factors: Sequence[str]) -> dict[str, str]:
    """The patient's level of each factor (``iss`` and ``age`` grouped as in PROTOCOL)."""
    from ctrial_desktop.domain.randomization import age_group, iss_group

    getters: dict[str, Callable[[SimPatient], str]] = {
        "site": lambda p: p.site,
        "iss": lambda p: iss_group(p.iss),
        "age": lambda p: age_group(p.age),
        "sex": lambda p: p.sex,
    }
    return {factor: getters[factor](patient) for factor in factors}


def simulate_minimization(
    patients: Sequence[SimPatient],
    seed: int,
    arms: Sequence[str],
    weights: dict[str, float],
    p: float,
    measure: Measure,
) -> list[tuple[SimPatient, str, float]]:
    """Pocock-Simon minimization: ``(patient, arm, probability)`` in ``seq`` order."""
    import random

    from ctrial_desktop.domain.randomization import add_to_counts, empty_counts, minimize

    rng = random.Random(seed)
    counts = empty_counts()
    out = []
    for patient in patients:
        levels = factor_levels(patient, list(weights))
        result = minimize(counts, levels, arms, weights, p, rng.random(), measure)
        add_to_counts(counts, levels, result.arm_index, len(arms))
        out.append((patient, result.arm, float(result.probability)))
    return out


# --- handler --------------------------------------------------------------------------


def run_simulate(args: argparse.Namespace) -> int:
    """Handler of ``ctrial randomization simulate``."""
    if args.method == "blocks":
        for option in ("factors", "weights", "p", "measure"):
            if getattr(args, option) is not None:
                raise CliError(f"--{option} applies to --method minimization only")
    elif args.block_sizes is not None:
        raise CliError("--block-sizes applies to --method blocks only")
    seed = _parse_seed(args.seed)
    arms = _parse_arms(args.arms)
    if args.method == "blocks":
        block_sizes = _parse_block_sizes(args.block_sizes, len(arms))
    else:
        factors = _parse_factors(args.factors)
        weights = _parse_weights(args.weights, factors)
        p = _parse_p(args.p, len(arms))
        measure = _parse_measure(args.measure)
    patients = read_patients(args.patients)

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if args.method == "blocks":
        writer.writerow(["seq", "subject_id", "arm", "stratum"])
        rows = simulate_blocks(patients, seed, arms, block_sizes)
        for patient, arm, stratum in rows:
            writer.writerow([patient.seq, patient.subject_id, arm, stratum])
        assigned = [arm for _, arm, _ in rows]
    else:
        if "sex" in factors:
            missing_sex = next((pt for pt in patients if not pt.sex), None)
            if missing_sex is not None:
                raise CliError(f"{args.patients}: empty sex for seq {missing_sex.seq}")
        writer.writerow(["seq", "subject_id", "arm", "probability"])
        results = simulate_minimization(patients, seed, arms, weights, p, measure)
        for patient, arm, probability in results:
            writer.writerow([patient.seq, patient.subject_id, arm, f"{probability:.6g}"])
        assigned = [arm for _, arm, _ in results]

    if args.out == "-":
        sys.stdout.write(buffer.getvalue())
        return 0
    try:
        Path(args.out).write_text(buffer.getvalue(), encoding="utf-8", newline="")
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
    totals = ", ".join(f"{arm} {assigned.count(arm)}" for arm in arms)
    print(f"randomized {len(patients)} patients ({args.method}): {totals}; wrote {args.out}")
    return 0
