"""Dose advice and relative dose intensity (PROTOCOL sections 2 and 3).

The advisor proposes, for pomalidomide and dexamethasone separately, one of
give / delay / interrupt / reduce / discontinue and the dose level to give next,
with every rule that fired, in words. It advises; the coordinator decides
(confirms or overrides with a reason, audited elsewhere).

Rules (PROTOCOL section 3 table; pomalidomide label and IFM/MM-003 practice):

=============================================  ==================================================
event                                          advice
=============================================  ==================================================
ANC < 0.5 x10^9/L or febrile neutropenia       interrupt pomalidomide, CBC weekly, resume one
                                               level lower when ANC >= 0.5
platelets < 25 x10^9/L                         interrupt pomalidomide, CBC weekly, resume one
                                               level lower when platelets >= 50
other grade 3-4 toxicity related to            interrupt pomalidomide, resume one level lower
pomalidomide                                   when grade <= 2
toxicity recurring at 1 mg                     discontinue pomalidomide
grade 3-4 toxicity related to dexamethasone    interrupt dexamethasone, resume one level lower
                                               when grade <= 2
start of a new cycle with ANC < 0.5 or         delay day 1 (both drugs), re-check weekly
platelets < 50 (or not measured)
grade 4 rash; angio-oedema, exfoliative or     discontinue pomalidomide permanently
bullous rash (any grade, any relation)
=============================================  ==================================================

Levels: pomalidomide 4 -> 3 -> 2 -> 1 mg -> discontinue; dexamethasone 40 -> 20 ->
10 mg -> discontinue, 20 mg for patients older than 75. "One level lower" than
the lowest level is discontinuation (pomalidomide label: "if toxicities occur
after dose reduction to 1 mg, discontinue").

A drug already interrupted by an earlier advice (``*_interrupted`` input) whose
interrupting conditions have cleared is advised "reduce": resume one level below
the level it was last given at. While pomalidomide is on hold the resumption
thresholds apply (ANC >= 0.5 and platelets >= 50, both measured), so platelets
of 30 keep it interrupted. When several rules fire the most severe action
wins (discontinue > interrupt > delay > reduce > give) and the lowest proposed
level is kept.
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ctrial_desktop.domain.messages import Message

__all__ = [
    "ARMS",
    "DRUGS",
    "Action",
    "AdverseEventInput",
    "CycleIntensity",
    "DoseAdvice",
    "DoseAdviceInput",
    "DoseIntensity",
    "DoseRecord",
    "DoseRules",
    "DrugAdvice",
    "advise_dose",
    "dose_intensity",
    "next_lower_level",
    "planned_dose_per_cycle",
    "starting_dexamethasone_mg",
]

ARMS: tuple[str, ...] = ("POM21", "POM28")
POMALIDOMIDE = "pomalidomide"
DEXAMETHASONE = "dexamethasone"
DRUGS: tuple[str, ...] = (POMALIDOMIDE, DEXAMETHASONE)


class Action(enum.StrEnum):
    """What the advisor proposes for one drug."""

    GIVE = "give"
    REDUCE = "reduce"
    DELAY = "delay"
    INTERRUPT = "interrupt"
    DISCONTINUE = "discontinue"

    @property
    def severity(self) -> int:
        """0 (give) to 4 (discontinue); the most severe fired rule wins."""
        return list(Action).index(self)


@dataclass(frozen=True, slots=True)
class DoseRules:
    """Dose-modification settings (``forms/study.yaml``, ``dosing:`` section).

    PROTOCOL defaults: ``pomalidomide_levels_mg`` (4, 3, 2, 1),
    ``dexamethasone_levels_mg`` (40, 20, 10), ``elderly_age_years`` 75 and
    ``elderly_dexamethasone_mg`` 20 (start at 20 mg if older than 75);
    ``anc_interrupt`` 0.5 and ``anc_resume`` 0.5 x10^9/L; ``platelets_interrupt`` 25
    and ``platelets_resume`` 50 x10^9/L; ``cycle_start_anc`` 0.5 and
    ``cycle_start_platelets`` 50 x10^9/L; ``toxicity_interrupt_grade`` 3 and
    ``toxicity_resume_grade`` 2; ``discontinue_any_grade_keywords`` (terms that
    stop pomalidomide at any grade: angio-oedema, exfoliative or bullous rash,
    Stevens-Johnson syndrome, toxic epidermal necrolysis) and
    ``discontinue_grade4_keywords`` ("rash"), matched case- and
    accent-insensitively inside the AE term; planned doses per 28-day cycle:
    ``planned_pomalidomide_pom21_mg`` 84, ``planned_pomalidomide_pom28_mg`` 112,
    ``planned_dexamethasone_mg`` 160 and ``planned_dexamethasone_elderly_mg`` 80.
    """

    pomalidomide_levels_mg: tuple[float, ...] = (4.0, 3.0, 2.0, 1.0)
    dexamethasone_levels_mg: tuple[float, ...] = (40.0, 20.0, 10.0)
    elderly_age_years: float = 75.0
    elderly_dexamethasone_mg: float = 20.0
    anc_interrupt: float = 0.5
    anc_resume: float = 0.5
    platelets_interrupt: float = 25.0
    platelets_resume: float = 50.0
    cycle_start_anc: float = 0.5
    cycle_start_platelets: float = 50.0
    toxicity_interrupt_grade: int = 3
    toxicity_resume_grade: int = 2
    discontinue_any_grade_keywords: tuple[str, ...] = (
        "angioedema",
        "angio-oedema",
        "angiooedema",
        "exfoliative",
        "bullous",
        "stevens-johnson",
        "toxic epidermal necrolysis",
    )
    discontinue_grade4_keywords: tuple[str, ...] = ("rash",)
    planned_pomalidomide_pom21_mg: float = 84.0
    planned_pomalidomide_pom28_mg: float = 112.0
    planned_dexamethasone_mg: float = 160.0
    planned_dexamethasone_elderly_mg: float = 80.0

    def levels(self, drug: str) -> tuple[float, ...]:
        """Dose levels of ``drug``, highest first."""
        if drug == POMALIDOMIDE:
            return self.pomalidomide_levels_mg
        if drug == DEXAMETHASONE:
            return self.dexamethasone_levels_mg
        raise ValueError(f"unknown drug {drug!r} (expected one of {', '.join(DRUGS)})")


@dataclass(frozen=True, slots=True)
class AdverseEventInput:
    """An open adverse event as the advisor needs it (grade 1-5)."""

    term: str
    grade: int
    related_pomalidomide: bool = False
    related_dexamethasone: bool = False
    recurred_at_1mg: bool = False


@dataclass(frozen=True, slots=True)
class DoseAdviceInput:
    """Everything the advisor looks at.

    ``pomalidomide_mg`` / ``dexamethasone_mg`` are the current levels (the level
    last given, also while interrupted), None when the drug was discontinued.
    ``anc`` and ``platelets`` are the latest values in x10^9/L (None: not done).
    ``*_interrupted`` says the drug is on hold after an earlier interruption.
    """

    arm: str
    age_years: float
    pomalidomide_mg: float | None
    dexamethasone_mg: float | None
    anc: float | None = None
    platelets: float | None = None
    febrile_neutropenia: bool = False
    cycle_start: bool = False
    adverse_events: tuple[AdverseEventInput, ...] = ()
    pomalidomide_interrupted: bool = False
    dexamethasone_interrupted: bool = False


@dataclass(frozen=True, slots=True)
class DrugAdvice:
    """Proposal for one drug: ``next_level_mg`` is the dose to give (now for give
    and reduce, on resumption for delay and interrupt); None when discontinued."""

    drug: str
    action: Action
    next_level_mg: float | None
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DoseAdvice:
    """Proposal for both drugs."""

    pomalidomide: DrugAdvice
    dexamethasone: DrugAdvice


def _mg(value: float) -> Message:
    return Message.verbatim("{value:g} mg", value=value)


#: The drugs in words: the rules name them in the reader's language.
_DRUG_WORDS = {POMALIDOMIDE: Message("pomalidomide"), DEXAMETHASONE: Message("dexamethasone")}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def next_lower_level(drug: str, current_mg: float, rules: DoseRules | None = None) -> float | None:
    """One level below ``current_mg``; None means discontinue (below the lowest level)."""
    levels = (rules or DoseRules()).levels(drug)
    lower = [level for level in levels if level < current_mg]
    return max(lower) if lower else None


def starting_dexamethasone_mg(age_years: float, rules: DoseRules | None = None) -> float:
    """Dexamethasone starting dose: 40 mg, or 20 mg when older than 75 years."""
    r = rules or DoseRules()
    if age_years > r.elderly_age_years:
        return r.elderly_dexamethasone_mg
    return r.dexamethasone_levels_mg[0]


class _Proposal:
    """Collects the fired rules of one drug and keeps the most severe action."""

    def __init__(self, drug: str, current: float) -> None:
        self.drug = drug
        self.current = current
        self.action = Action.GIVE
        self.level: float | None = current
        self.rules: list[str] = []

    def add(self, action: Action, level: float | None, words: Message) -> None:
        self.rules.append(words)
        if action.severity > self.action.severity:
            self.action = action
        if level is None or action is Action.DISCONTINUE:
            self.level = None
        elif self.level is not None:
            self.level = min(self.level, level)

    def result(self) -> DrugAdvice:
        level = None if self.action is Action.DISCONTINUE else self.level
        if level is None and self.action is not Action.DISCONTINUE:
            self.action = Action.DISCONTINUE
        return DrugAdvice(self.drug, self.action, level, tuple(self.rules))


def _lower_or_stop(
    proposal: _Proposal, rules: DoseRules, action: Action, words: Message,
    resume: Callable[[Message], Message],
) -> None:
    """Add an interrupt/reduce rule resuming one level lower (``resume`` words it for
    that level), or discontinuation when the drug is already at its lowest level."""
    lower = next_lower_level(proposal.drug, proposal.current, rules)
    drug = _DRUG_WORDS[proposal.drug]
    if lower is None:
        proposal.add(
            Action.DISCONTINUE,
            None,
            Message("{what}: {drug} at {dose}, the lowest level: discontinue {drug}",
                    what=words, drug=drug, dose=_mg(proposal.current)),
        )
    else:
        proposal.add(action, lower, Message("{what}: {then}", what=words,
                                            then=resume(_mg(lower))))


def _validate(data: DoseAdviceInput, rules: DoseRules) -> None:
    if data.arm not in ARMS:
        raise ValueError(f"arm must be one of {', '.join(ARMS)}, got {data.arm!r}")
    if not 18 <= data.age_years < 130:
        raise ValueError(f"age must be between 18 and 130 years, got {data.age_years:g}")
    for drug, dose in (
        (POMALIDOMIDE, data.pomalidomide_mg),
        (DEXAMETHASONE, data.dexamethasone_mg),
    ):
        if dose is not None and dose not in rules.levels(drug):
            allowed = ", ".join(_mg(level) for level in rules.levels(drug))
            raise ValueError(f"{drug} dose must be a level ({allowed}) or null, got {dose:g}")
    for name, value in (("anc", data.anc), ("platelets", data.platelets)):
        if value is not None and value < 0:
            raise ValueError(f"{name} must not be negative")
    for event in data.adverse_events:
        if not event.term.strip():
            raise ValueError("adverse event term must not be empty")
        if not 1 <= event.grade <= 5:
            raise ValueError(f"adverse event grade must be 1 to 5, got {event.grade}")


def advise_dose(data: DoseAdviceInput, rules: DoseRules | None = None) -> DoseAdvice:
    """Propose the action and next level for each drug (PROTOCOL section 3).

    Raises ValueError for an unknown arm, a dose that is not a level, a
    negative count or an adverse event grade outside 1-5.
    """
    r = rules or DoseRules()
    _validate(data, r)
    anc, plt = data.anc, data.platelets
    toxic = r.toxicity_interrupt_grade

    # Start of a cycle: both drugs wait for ANC >= 0.5 and platelets >= 50.
    delay_words: list[Message] = []
    if data.cycle_start:
        if anc is None:
            delay_words.append(Message(
                "cycle start: ANC not available (needs >= {limit:g} x10^9/L): "
                "delay day 1, re-check weekly", limit=r.cycle_start_anc))
        elif anc < r.cycle_start_anc:
            delay_words.append(Message(
                "cycle start: ANC {anc:g} x10^9/L < {limit:g}: delay day 1, re-check weekly",
                anc=anc, limit=r.cycle_start_anc))
        if plt is None:
            delay_words.append(Message(
                "cycle start: platelets not available (needs >= {limit:g} x10^9/L): "
                "delay day 1, re-check weekly", limit=r.cycle_start_platelets))
        elif plt < r.cycle_start_platelets:
            delay_words.append(Message(
                "cycle start: platelets {platelets:g} x10^9/L < {limit:g}: delay day 1, "
                "re-check weekly", platelets=plt, limit=r.cycle_start_platelets))

    # ---------------------------------------------------------------- pomalidomide
    if data.pomalidomide_mg is None:
        pom_advice = DrugAdvice(
            POMALIDOMIDE, Action.DISCONTINUE, None,
            (Message("pomalidomide already discontinued"),)
        )
    else:
        pom = _Proposal(POMALIDOMIDE, data.pomalidomide_mg)
        interrupting = False
        for event in data.adverse_events:
            term = _fold(event.term)
            if any(_fold(k) in term for k in r.discontinue_any_grade_keywords):
                pom.add(
                    Action.DISCONTINUE,
                    None,
                    Message("{term} grade {grade}: discontinue pomalidomide permanently "
                            "(angio-oedema, exfoliative or bullous rash)",
                            term=event.term, grade=event.grade),
                )
            elif event.grade >= 4 and any(_fold(k) in term for k in r.discontinue_grade4_keywords):
                pom.add(
                    Action.DISCONTINUE,
                    None,
                    Message("{term} grade {grade}: grade 4 rash, discontinue pomalidomide "
                            "permanently", term=event.term, grade=event.grade),
                )
            elif event.recurred_at_1mg and event.related_pomalidomide:
                pom.add(
                    Action.DISCONTINUE,
                    None,
                    Message("{term} grade {grade} recurred at 1 mg: discontinue pomalidomide",
                            term=event.term, grade=event.grade),
                )
        # While on hold, the resumption thresholds apply (resume only when ANC >= 0.5
        # and platelets >= 50).
        held = data.pomalidomide_interrupted
        anc_limit = r.anc_resume if held else r.anc_interrupt
        plt_limit = r.platelets_resume if held else r.platelets_interrupt
        if data.febrile_neutropenia or (anc is not None and anc < anc_limit):
            interrupting = True
            what = (
                Message("febrile neutropenia")
                if anc is None or anc >= anc_limit
                else Message("ANC {anc:g} x10^9/L < {limit:g}", anc=anc, limit=anc_limit)
            )
            if data.febrile_neutropenia and anc is not None and anc < anc_limit:
                what = Message("{what} with fever", what=what)
            _lower_or_stop(
                pom,
                r,
                Action.INTERRUPT,
                what,
                lambda level: Message("interrupt pomalidomide, CBC weekly, resume at {level} "
                                      "when ANC >= {anc:g}", level=level, anc=r.anc_resume),
            )
        if plt is not None and plt < plt_limit:
            interrupting = True
            _lower_or_stop(
                pom,
                r,
                Action.INTERRUPT,
                Message("platelets {platelets:g} x10^9/L < {limit:g}", platelets=plt,
                        limit=plt_limit),
                lambda level: Message("interrupt pomalidomide, CBC weekly, resume at {level} "
                                      "when platelets >= {platelets:g}", level=level,
                                      platelets=r.platelets_resume),
            )
        for event in data.adverse_events:
            if event.related_pomalidomide and event.grade >= toxic and not event.recurred_at_1mg:
                interrupting = True
                _lower_or_stop(
                    pom,
                    r,
                    Action.INTERRUPT,
                    Message("{term} grade {grade} related to pomalidomide", term=event.term,
                            grade=event.grade),
                    lambda level: Message("interrupt pomalidomide, resume at {level} when "
                                          "grade <= {grade}", level=level,
                                          grade=r.toxicity_resume_grade),
                )
        if held and not interrupting and (anc is None or plt is None):
            interrupting = True
            _lower_or_stop(
                pom,
                r,
                Action.INTERRUPT,
                Message("pomalidomide on hold and the blood counts are not available"),
                lambda level: Message("keep pomalidomide interrupted, resume at {level} when "
                                      "ANC >= {anc:g} and platelets >= {platelets:g}",
                                      level=level, anc=r.anc_resume,
                                      platelets=r.platelets_resume),
            )
        if held and not interrupting:
            _lower_or_stop(
                pom,
                r,
                Action.REDUCE,
                Message("pomalidomide on hold and the interrupting conditions have cleared"),
                lambda level: Message("resume one level lower, at {level}", level=level),
            )
        if pom.action is not Action.DISCONTINUE:
            for words in delay_words:
                pom.add(Action.DELAY, pom.current, words)
        if not pom.rules:
            days = Message("days 1-21") if data.arm == "POM21" else Message("days 1-28")
            pom.rules.append(Message(
                "no modification rule applies: give pomalidomide {dose} ({days})",
                dose=_mg(pom.current), days=days))
        pom_advice = pom.result()

    # ---------------------------------------------------------------- dexamethasone
    if data.dexamethasone_mg is None:
        dex_advice = DrugAdvice(
            DEXAMETHASONE, Action.DISCONTINUE, None,
            (Message("dexamethasone already discontinued"),)
        )
    else:
        dex = _Proposal(DEXAMETHASONE, data.dexamethasone_mg)
        interrupting = False
        for event in data.adverse_events:
            if event.related_dexamethasone and event.grade >= toxic:
                interrupting = True
                _lower_or_stop(
                    dex,
                    r,
                    Action.INTERRUPT,
                    Message("{term} grade {grade} related to dexamethasone", term=event.term,
                            grade=event.grade),
                    lambda level: Message("interrupt dexamethasone, resume at {level} when "
                                          "grade <= {grade}", level=level,
                                          grade=r.toxicity_resume_grade),
                )
        if data.dexamethasone_interrupted and not interrupting:
            _lower_or_stop(
                dex,
                r,
                Action.REDUCE,
                Message("dexamethasone on hold and the interrupting conditions have cleared"),
                lambda level: Message("resume one level lower, at {level}", level=level),
            )
        if data.age_years > r.elderly_age_years and dex.current > r.elderly_dexamethasone_mg:
            dex.add(
                Action.REDUCE,
                r.elderly_dexamethasone_mg,
                Message("age {age:g} > {limit:g}: dexamethasone {dose} (starting dose for "
                        "patients older than {limit:g})", age=data.age_years,
                        limit=r.elderly_age_years, dose=_mg(r.elderly_dexamethasone_mg)),
            )
        if dex.action is not Action.DISCONTINUE:
            for words in delay_words:
                dex.add(Action.DELAY, dex.current, words)
        if not dex.rules:
            dex.rules.append(Message(
                "no modification rule applies: give dexamethasone {dose} (days 1, 8, 15, 22)",
                dose=_mg(dex.current)))
        dex_advice = dex.result()

    return DoseAdvice(pom_advice, dex_advice)


# --------------------------------------------------------------------------- intensity


@dataclass(frozen=True, slots=True)
class DoseRecord:
    """Dose of one drug actually taken on one day of one cycle (mg; 0 = not taken)."""

    cycle: int
    day: int
    drug: str
    dose_mg: float


@dataclass(frozen=True, slots=True)
class CycleIntensity:
    """Delivered and planned dose of one cycle; ``relative_dose_intensity`` in 0..n."""

    cycle: int
    delivered_mg: float
    planned_mg: float
    relative_dose_intensity: float


@dataclass(frozen=True, slots=True)
class DoseIntensity:
    """Per-cycle and cumulative relative dose intensity of one drug."""

    drug: str
    cycles: tuple[CycleIntensity, ...]
    delivered_mg: float
    planned_mg: float
    relative_dose_intensity: float | None


def planned_dose_per_cycle(
    drug: str, arm: str, age_years: float, rules: DoseRules | None = None
) -> float:
    """Planned dose per 28-day cycle: pomalidomide 84 mg (POM21) or 112 mg (POM28);
    dexamethasone 160 mg, 80 mg when older than 75 years (PROTOCOL section 2)."""
    r = rules or DoseRules()
    if arm not in ARMS:
        raise ValueError(f"arm must be one of {', '.join(ARMS)}, got {arm!r}")
    if drug == POMALIDOMIDE:
        return (
            r.planned_pomalidomide_pom21_mg if arm == "POM21" else r.planned_pomalidomide_pom28_mg
        )
    if drug == DEXAMETHASONE:
        if age_years > r.elderly_age_years:
            return r.planned_dexamethasone_elderly_mg
        return r.planned_dexamethasone_mg
    raise ValueError(f"unknown drug {drug!r} (expected one of {', '.join(DRUGS)})")


def dose_intensity(
    records: Iterable[DoseRecord],
    drug: str,
    arm: str,
    age_years: float,
    cycles: Sequence[int] | None = None,
    rules: DoseRules | None = None,
) -> DoseIntensity:
    """Relative dose intensity (delivered / planned) per cycle and cumulative.

    ``cycles`` lists the cycles to report (a cycle with no record counts as
    0 mg delivered); by default every cycle that has a record of ``drug``.
    Records of other drugs are ignored; several records of one day add up.
    """
    planned = planned_dose_per_cycle(drug, arm, age_years, rules)
    delivered: dict[int, float] = {}
    for record in records:
        if record.drug not in DRUGS:
            raise ValueError(f"unknown drug {record.drug!r}")
        if record.cycle < 1 or record.day < 1:
            raise ValueError("cycle and day numbers start at 1")
        if record.dose_mg < 0:
            raise ValueError("a dose must not be negative")
        if record.drug == drug:
            delivered[record.cycle] = delivered.get(record.cycle, 0.0) + record.dose_mg
    wanted = sorted(set(cycles)) if cycles is not None else sorted(delivered)
    rows = tuple(
        CycleIntensity(c, delivered.get(c, 0.0), planned, delivered.get(c, 0.0) / planned)
        for c in wanted
    )
    total_delivered = sum(row.delivered_mg for row in rows)
    total_planned = planned * len(rows)
    return DoseIntensity(
        drug=drug,
        cycles=rows,
        delivered_mg=total_delivered,
        planned_mg=total_planned,
        relative_dose_intensity=total_delivered / total_planned if rows else None,
    )
