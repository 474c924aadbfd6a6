"""``ctrial ctcae``: CTCAE laboratory grades and term search (PROTOCOL section 7).

``ctrial ctcae grade IN.csv --out OUT.csv [--version 4.03|5.0]``

IN.csv (UTF-8, comma-separated, header row) has the columns ``test,value,lln,uln``
and optionally ``albumin`` (g/L, corrects calcium) and ``baseline`` (used by
v5.0 for ALT, AST, bilirubin and creatinine); other columns are passed through.
``test`` is one of ANC, PLT, HGB, WBC, LYMPH, CREAT, ALT, AST, BILI, CA, GLUC, K,
in the units of the PROTOCOL table. An empty ``lln``/``uln`` means the normal
range is unknown. OUT.csv repeats every input column unchanged and adds ``term``
(the CTCAE term) and ``grade`` (0-4, empty when not gradable). ``IN.csv`` may be
``-`` for standard input. Bad input: one line on stderr, exit code 2.

``ctrial ctcae search QUERY [--version 4.03|5.0] [--limit N]`` prints the
matching terms, one ``meddra_code<TAB>term`` per line.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from pathlib import Path

from ctrial_desktop.cli._common import CliError, read_text_arg

REQUIRED_COLUMNS = ("test", "value", "lln", "uln")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "ctcae",
        help="CTCAE laboratory grades and term search",
        description="CTCAE laboratory toxicity grades (PROTOCOL section 7) and term search.",
    )
    sub = parser.add_subparsers(dest="ctcae_command", metavar="ACTION", required=True)
    grade = sub.add_parser(
        "grade",
        help="grade laboratory values from a CSV file",
        description="Add the CTCAE term and grade to each row of test,value,lln,uln"
        "[,albumin][,baseline].",
    )
    grade.add_argument("input", metavar="IN.csv", help="input CSV file, or - for stdin")
    grade.add_argument("--out", metavar="OUT.csv", required=True, help="output CSV file")
    grade.add_argument(
        "--version",
        dest="ctcae_version",
        choices=("4.03", "5.0"),
        default="4.03",
        help="CTCAE version (default 4.03, the trial's version)",
    )
    grade.set_defaults(func=run_grade)
    search = sub.add_parser("search", help="search CTCAE terms", description="Search CTCAE terms.")
    search.add_argument("query", help="words to look for (case and accents ignored)")
    search.add_argument("--version", dest="ctcae_version", choices=("4.03", "5.0"), default="4.03")
    search.add_argument("--limit", type=int, default=20, help="at most this many terms")
    search.set_defaults(func=run_search)


def _number(text: str | None, where: str, *, required: bool) -> float | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise CliError(f"{where}: a number is required")
        return None
    try:
        value = float(text)
    except ValueError:
        raise CliError(f"{where}: not a number: {text!r}") from None
    if not math.isfinite(value):
        raise CliError(f"{where}: not a finite number: {text!r}")
    if value < 0:
        raise CliError(f"{where}: must not be negative ({text})")
    return value


def grade_csv(text: str, version: str, term_names: dict[str, str] | None = None) -> str:
    """Grade every row of the input CSV text; return the output CSV text.

    ``term_names`` maps MedDRA codes to the term names of the reference CSV; the
    engine's own names are used for codes it lacks.
    """
    from ctrial_desktop.domain.ctcae import LAB_TESTS, grade_lab

    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    if not header:
        raise CliError("input CSV is empty (expected a header test,value,lln,uln)")
    header = [h.strip() for h in header]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CliError(f"input CSV lacks column(s): {', '.join(missing)}")
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise CliError(f"input CSV repeats column(s): {', '.join(duplicates)}")
    for new in ("term", "grade"):
        if new in header:
            raise CliError(f"input CSV already has a {new!r} column")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*header, "term", "grade"], lineterminator="\n")
    writer.writeheader()
    for number, row in enumerate(reader, start=2):
        where = f"line {number}"
        if None in row:
            raise CliError(f"{where}: more fields than columns in the header")
        if any(value is None for value in row.values()):
            raise CliError(f"{where}: fewer fields than columns in the header")
        test = (row["test"] or "").strip().upper()
        if test not in LAB_TESTS:
            raise CliError(
                f"{where}: unknown test {row['test']!r} (expected one of {', '.join(LAB_TESTS)})"
            )
        value = _number(row["value"], f"{where} value", required=True)
        lln = _number(row["lln"], f"{where} lln", required=False)
        uln = _number(row["uln"], f"{where} uln", required=False)
        albumin = _number(row.get("albumin"), f"{where} albumin", required=False)
        baseline = _number(row.get("baseline"), f"{where} baseline", required=False)
        assert value is not None
        if lln is not None and uln is not None and lln > uln:
            raise CliError(f"{where}: lln {lln:g} is above uln {uln:g}")
        result = grade_lab(
            test, value, lln, uln, baseline=baseline, albumin_g_l=albumin, version=version
        )
        writer.writerow(
            {
                **row,
                "term": (term_names or {}).get(result.meddra_code, result.term),
                "grade": "" if result.grade is None else result.grade,
            }
        )
    return out.getvalue()


def run_grade(args: argparse.Namespace) -> int:
    from ctrial_desktop.domain.ctcae import load_ctcae_terms
    from ctrial_desktop.paths import resources_dir

    text = read_text_arg(args.input)
    terms = load_ctcae_terms(resources_dir() / "ctcae", args.ctcae_version)
    names = {term.meddra_code: term.term for term in terms}
    output = grade_csv(text.removeprefix("\ufeff"), args.ctcae_version, names)
    target = Path(args.out)
    try:
        target.write_text(output, encoding="utf-8", newline="")
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror}") from None
    return 0


def run_search(args: argparse.Namespace) -> int:
    from ctrial_desktop.domain.ctcae import load_ctcae_terms, search_terms
    from ctrial_desktop.paths import resources_dir

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    terms = load_ctcae_terms(resources_dir() / "ctcae", args.ctcae_version)
    for term in search_terms(terms, args.query, args.limit):
        print(f"{term.meddra_code}\t{term.term}")
    return 0
