"""``ctrial dose advise FILE.json``: dose-modification advice (PROTOCOL section 3).

Input (FILE or ``-`` for standard input), one JSON object:

==========================  ========  ===============================================
key                         required  value
==========================  ========  ===============================================
arm                         yes       "POM21" or "POM28"
age                         yes       age in years (number, 18-130)
pomalidomide_mg             yes       current level 4, 3, 2 or 1; null = discontinued
dexamethasone_mg            yes       current level 40, 20 or 10; null = discontinued
anc                         no        latest neutrophils x10^9/L; null/absent = not done
platelets                   no        latest platelets x10^9/L; null/absent = not done
febrile_neutropenia         no        true/false (default false)
cycle_start                 no        true at day 1 of a new cycle (default false)
pomalidomide_interrupted    no        true when on hold after an earlier interruption
dexamethasone_interrupted   no        same for dexamethasone (default false)
adverse_events              no        list of open AEs (default [])
==========================  ========  ===============================================

Each adverse event: ``term`` (string, required), ``grade`` (integer 1-5, required),
``related_pomalidomide``, ``related_dexamethasone``, ``recurred_at_1mg`` (true/false,
default false). Unknown keys are errors.

Output::

    {"pomalidomide": {"action": "interrupt", "next_level_mg": 3,
                      "rules": ["ANC 0.4 x10^9/L < 0.5: interrupt pomalidomide, CBC weekly,
                                 resume at 3 mg when ANC >= 0.5"]},
     "dexamethasone": {"action": "give", "next_level_mg": 40, "rules": ["..."]}}

``action`` is one of give, delay, interrupt, reduce, discontinue; ``next_level_mg``
is the dose to give (now, or on resumption after a delay or interruption), null
when discontinued; ``rules`` lists every rule that fired, in words. Bad input: one
line on stderr, exit code 2. The full contract is in ``docs/cli-dose-advise.md``.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from ctrial_desktop.cli._common import CliError, read_json_arg, write_json

_TOP_REQUIRED = ("arm", "age", "pomalidomide_mg", "dexamethasone_mg")
_TOP_OPTIONAL = (
    "anc",
    "platelets",
    "febrile_neutropenia",
    "cycle_start",
    "pomalidomide_interrupted",
    "dexamethasone_interrupted",
    "adverse_events",
)
_AE_KEYS = ("term", "grade", "related_pomalidomide", "related_dexamethasone", "recurred_at_1mg")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "dose",
        help="dose-modification advice",
        description="Dose-modification advice for pomalidomide and dexamethasone "
        "(PROTOCOL section 3). It advises; the coordinator decides.",
    )
    sub = parser.add_subparsers(dest="dose_command", metavar="ACTION", required=True)
    advise = sub.add_parser(
        "advise",
        help="propose the action and next dose level from a JSON file",
        description="Propose give/delay/interrupt/reduce/discontinue and the next level "
        "for each drug, with the rules that fired.",
    )
    advise.add_argument("file", metavar="FILE.json", help="input JSON file, or - for stdin")
    advise.add_argument("--study-settings", action="store_true",
                        help="use the treatment and dose_modification settings of "
                             "forms/study.yaml instead of the protocol defaults")
    advise.set_defaults(func=run_advise)


def _number(data: dict[str, Any], key: str, where: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CliError(f"{where}{key}: expected a number or null")
    if value < 0:
        raise CliError(f"{where}{key}: must not be negative (got {value})")
    return float(value)


def _flag(data: dict[str, Any], key: str, where: str) -> bool:
    value = data.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise CliError(f"{where}{key}: expected true or false")
    return value


def _keys(data: Any, where: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    if not isinstance(data, dict):
        raise CliError(f"{where or 'input'}: expected a JSON object")
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        raise CliError(f"{where or 'input: '}unknown key {unknown[0]!r}")
    for key in required:
        if key not in data:
            raise CliError(f"{where or 'input: '}missing {key!r}")


def parse_input(data: Any) -> Any:
    """Build a :class:`~ctrial_desktop.domain.dosing.DoseAdviceInput`; CliError on bad input."""
    from ctrial_desktop.domain.dosing import AdverseEventInput, DoseAdviceInput

    _keys(data, "", _TOP_REQUIRED, _TOP_OPTIONAL)
    arm = data["arm"]
    if not isinstance(arm, str):
        raise CliError('arm: expected "POM21" or "POM28"')
    age = _number(data, "age", "")
    if age is None:
        raise CliError("age: a number is required")
    events_raw = data.get("adverse_events")
    if events_raw is None:
        events_raw = []
    if not isinstance(events_raw, list):
        raise CliError("adverse_events: expected a JSON array")
    events = []
    for index, raw in enumerate(events_raw, start=1):
        where = f"adverse_events[{index}]."
        _keys(raw, where, ("term", "grade"), _AE_KEYS[2:])
        if not isinstance(raw["term"], str):
            raise CliError(f"{where}term: expected a string")
        grade = raw["grade"]
        if isinstance(grade, bool) or not isinstance(grade, int):
            raise CliError(f"{where}grade: expected an integer 1-5")
        events.append(
            AdverseEventInput(
                term=raw["term"],
                grade=grade,
                related_pomalidomide=_flag(raw, "related_pomalidomide", where),
                related_dexamethasone=_flag(raw, "related_dexamethasone", where),
                recurred_at_1mg=_flag(raw, "recurred_at_1mg", where),
            )
        )
    return DoseAdviceInput(
        arm=arm,
        age_years=age,
        pomalidomide_mg=_number(data, "pomalidomide_mg", ""),
        dexamethasone_mg=_number(data, "dexamethasone_mg", ""),
        anc=_number(data, "anc", ""),
        platelets=_number(data, "platelets", ""),
        febrile_neutropenia=_flag(data, "febrile_neutropenia", ""),
        cycle_start=_flag(data, "cycle_start", ""),
        adverse_events=tuple(events),
        pomalidomide_interrupted=_flag(data, "pomalidomide_interrupted", ""),
        dexamethasone_interrupted=_flag(data, "dexamethasone_interrupted", ""),
    )


def _level(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def advice_to_json(advice: Any) -> dict[str, Any]:
    """The public JSON shape of a :class:`~ctrial_desktop.domain.dosing.DoseAdvice`."""
    return {
        drug.drug: {
            "action": drug.action.value,
            "next_level_mg": _level(drug.next_level_mg),
            "rules": list(drug.rules),
        }
        for drug in (advice.pomalidomide, advice.dexamethasone)
    }


def run_advise(args: argparse.Namespace) -> int:
    from ctrial_desktop.domain.dosing import advise_dose

    data = parse_input(read_json_arg(args.file))
    rules = None
    if getattr(args, "study_settings", False):
        from ctrial_desktop.cli._common import load_study_or_fail
        from ctrial_desktop.services.engine_settings import dose_rules

        rules = dose_rules(load_study_or_fail())
    try:
        advice = advise_dose(data, rules)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    write_json(advice_to_json(advice))
    return 0
