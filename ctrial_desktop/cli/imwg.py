"""``ctrial imwg FILE.json``: IMWG response of one patient (PROTOCOL section 6).

Input (FILE or ``-`` for standard input)::

    {"baseline": {"date": "2010-01-04", "serum_m": 32.5, "urine_m": 480,
                  "flc_kappa": 15.1, "flc_lambda": 9.0, "involved_flc": "kappa",
                  "bm_pc": 40, "plasmacytoma_spd": null},
     "assessments": [{"date": "2010-02-01", "serum_m": 12.0, "serum_ife": "positive",
                      "urine_m": 150, "urine_ife": "positive", "flc_kappa": null,
                      "flc_lambda": null, "bm_pc": null, "bm_clonal": null,
                      "plasmacytoma_spd": null, "new_lesion": false,
                      "corrected_calcium": null}],
     "new_therapy_date": null}

Any key but the dates may be missing or null (not done). Output::

    {"assessments": [{"date": "2010-02-01", "response": "PR", "confirmed": false,
                      "reasons": ["..."]}],
     "best_overall_response": "SD", "best_response_date": "2010-02-01",
     "progression_date": null}

Bad JSON, unknown keys, wrong types, negative values or dates not strictly
increasing after the baseline: one line on stderr, exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from ctrial_desktop.cli._common import CliError, read_json_arg, write_json

_BASELINE_NUMBERS = ("serum_m", "urine_m", "flc_kappa", "flc_lambda", "bm_pc", "plasmacytoma_spd")
_ASSESSMENT_NUMBERS = (*_BASELINE_NUMBERS, "corrected_calcium")
_BASELINE_KEYS = frozenset({"date", "involved_flc", *_BASELINE_NUMBERS})
_ASSESSMENT_KEYS = frozenset(
    {"date", "serum_ife", "urine_ife", "bm_clonal", "new_lesion", *_ASSESSMENT_NUMBERS}
)
_TOP_KEYS = frozenset({"baseline", "assessments", "new_therapy_date"})


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "imwg",
        help="IMWG response of one patient from a JSON file",
        description="Derive the IMWG response per assessment, the best overall response "
        "and the progression date (PROTOCOL section 6).",
    )
    parser.add_argument("file", metavar="FILE.json", help="input JSON file, or - for stdin")
    parser.add_argument("--study-settings", action="store_true",
                        help="use the imwg settings of forms/study.yaml instead of the "
                             "protocol defaults")
    parser.set_defaults(func=run)


def _date(value: Any, where: str) -> dt.date:
    if not isinstance(value, str):
        raise CliError(f"{where}: expected a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CliError(f"{where}: not a date YYYY-MM-DD: {value!r}") from None


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CliError(f"{where}: expected a number or null")
    if value != value or value in (float("inf"), float("-inf")):
        raise CliError(f"{where}: expected a finite number")
    if value < 0:
        raise CliError(f"{where}: must not be negative (got {value})")
    return float(value)


def _choice(value: Any, where: str, choices: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if value not in choices:
        raise CliError(f"{where}: expected one of {', '.join(choices)} or null")
    return str(value)


def _flag(value: Any, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise CliError(f"{where}: expected true, false or null")


def _object(value: Any, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CliError(f"{where}: expected a JSON object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise CliError(f"{where}: unknown key {unknown[0]!r}")
    if "date" in allowed and "date" not in value:
        raise CliError(f"{where}: missing 'date'")
    return value


def parse_input(data: Any) -> tuple[Any, list[Any], dt.date | None]:
    """Build the domain objects from the decoded JSON; raise CliError on bad input."""
    from ctrial_desktop.domain.imwg import Assessment, Baseline

    top = _object(data, "input", _TOP_KEYS)
    if "baseline" not in top:
        raise CliError("input: missing 'baseline'")
    raw = _object(top["baseline"], "baseline", _BASELINE_KEYS)
    baseline = Baseline(
        date=_date(raw["date"], "baseline.date"),
        involved_flc=_choice(raw.get("involved_flc"), "baseline.involved_flc", ("kappa", "lambda")),
        **{k: _number(raw.get(k), f"baseline.{k}") for k in _BASELINE_NUMBERS},
    )
    items = top.get("assessments")
    if items is None:
        items = []
    if not isinstance(items, list):
        raise CliError("assessments: expected a JSON array")
    assessments = []
    for index, item in enumerate(items, start=1):
        where = f"assessments[{index}]"
        raw = _object(item, where, _ASSESSMENT_KEYS)
        assessments.append(
            Assessment(
                date=_date(raw["date"], f"{where}.date"),
                serum_ife=_choice(
                    raw.get("serum_ife"), f"{where}.serum_ife", ("positive", "negative")
                ),
                urine_ife=_choice(
                    raw.get("urine_ife"), f"{where}.urine_ife", ("positive", "negative")
                ),
                bm_clonal=_flag(raw.get("bm_clonal"), f"{where}.bm_clonal"),
                new_lesion=_flag(raw.get("new_lesion"), f"{where}.new_lesion"),
                **{k: _number(raw.get(k), f"{where}.{k}") for k in _ASSESSMENT_NUMBERS},
            )
        )
    new_therapy = top.get("new_therapy_date")
    new_therapy_date = None if new_therapy is None else _date(new_therapy, "new_therapy_date")
    return baseline, assessments, new_therapy_date


def result_to_json(result: Any) -> dict[str, Any]:
    """The public JSON shape of an :class:`~ctrial_desktop.domain.imwg.ImwgResult`."""

    def iso(value: dt.date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "assessments": [
            {
                "date": item.date.isoformat(),
                "response": None if item.response is None else item.response.value,
                "confirmed": item.confirmed,
                "reasons": list(item.reasons),
            }
            for item in result.assessments
        ],
        "best_overall_response": result.best_overall_response.value,
        "best_response_date": iso(result.best_response_date),
        "progression_date": iso(result.progression_date),
    }


def run(args: argparse.Namespace) -> int:
    from ctrial_desktop.domain.imwg import ImwgInputError, evaluate_response

    baseline, assessments, new_therapy_date = parse_input(read_json_arg(args.file))
    settings = None
    if getattr(args, "study_settings", False):
        from ctrial_desktop.cli._common import load_study_or_fail
        from ctrial_desktop.services.engine_settings import imwg_settings

        settings = imwg_settings(load_study_or_fail())
    try:
        result = evaluate_response(baseline, assessments, new_therapy_date, settings)
    except ImwgInputError as exc:
        raise CliError(str(exc)) from None
    write_json(result_to_json(result))
    return 0
