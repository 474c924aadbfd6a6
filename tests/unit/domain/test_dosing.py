"""Dose advisor (PROTOCOL section 3 table, row by row) and dose intensity (section 2)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ctrial_desktop.domain.dosing import (
    Action,
    AdverseEventInput,
    DoseAdviceInput,
    DoseRecord,
    DoseRules,
    advise_dose,
    dose_intensity,
    next_lower_level,
    planned_dose_per_cycle,
    starting_dexamethasone_mg,
)

BASE = DoseAdviceInput(
    arm="POM21", age_years=68, pomalidomide_mg=4, dexamethasone_mg=40, anc=2.0, platelets=150
)


def ae(term: str, grade: int, pom: bool = False, dex: bool = False, recurred: bool = False):
    return AdverseEventInput(term, grade, pom, dex, recurred)


def test_nothing_fired_gives_both() -> None:
    advice = advise_dose(BASE)
    assert advice.pomalidomide.action is Action.GIVE
    assert advice.pomalidomide.next_level_mg == 4
    assert advice.dexamethasone.action is Action.GIVE
    assert advice.dexamethasone.next_level_mg == 40
    assert "days 1-21" in advice.pomalidomide.rules[0]
    assert "days 1-28" in advise_dose(replace(BASE, arm="POM28")).pomalidomide.rules[0]


@pytest.mark.parametrize(("anc", "action"), [(0.49, Action.INTERRUPT), (0.5, Action.GIVE)])
def test_row_anc_below_0_5_interrupts_pomalidomide(anc: float, action: Action) -> None:
    # ANC < 0.5: interrupt pomalidomide; CBC weekly; resume one level lower when ANC >= 0.5.
    advice = advise_dose(replace(BASE, anc=anc))
    assert advice.pomalidomide.action is action
    assert advice.dexamethasone.action is Action.GIVE
    if action is Action.INTERRUPT:
        assert advice.pomalidomide.next_level_mg == 3
        assert advice.pomalidomide.rules == (
            "ANC 0.49 x10^9/L < 0.5: interrupt pomalidomide, CBC weekly, "
            "resume at 3 mg when ANC >= 0.5",
        )


def test_row_febrile_neutropenia_interrupts_pomalidomide() -> None:
    # Febrile neutropenia (fever with ANC < 1.0): same as ANC < 0.5.
    advice = advise_dose(replace(BASE, anc=0.8, febrile_neutropenia=True, pomalidomide_mg=3))
    assert advice.pomalidomide.action is Action.INTERRUPT
    assert advice.pomalidomide.next_level_mg == 2
    assert advice.pomalidomide.rules[0].startswith("febrile neutropenia: interrupt")


@pytest.mark.parametrize(("plt", "action"), [(24.9, Action.INTERRUPT), (25.0, Action.GIVE)])
def test_row_platelets_below_25_interrupt(plt: float, action: Action) -> None:
    # Platelets < 25: interrupt; CBC weekly; resume one level lower when platelets >= 50.
    advice = advise_dose(replace(BASE, platelets=plt))
    assert advice.pomalidomide.action is action
    if action is Action.INTERRUPT:
        assert advice.pomalidomide.next_level_mg == 3
        assert "when platelets >= 50" in advice.pomalidomide.rules[0]


def test_two_interrupting_events_lower_one_level_only() -> None:
    # ANC and platelets both low: still resume one level lower (not two).
    advice = advise_dose(replace(BASE, anc=0.3, platelets=20))
    assert advice.pomalidomide.action is Action.INTERRUPT
    assert advice.pomalidomide.next_level_mg == 3
    assert len(advice.pomalidomide.rules) == 2


@pytest.mark.parametrize(
    ("grade", "action"), [(2, Action.GIVE), (3, Action.INTERRUPT), (4, Action.INTERRUPT)]
)
def test_row_grade_3_4_related_to_pomalidomide(grade: int, action: Action) -> None:
    # Other grade 3-4 toxicity related to pomalidomide: interrupt; resume lower at grade <= 2.
    advice = advise_dose(replace(BASE, adverse_events=(ae("Constipation", grade, pom=True),)))
    assert advice.pomalidomide.action is action
    assert advice.dexamethasone.action is Action.GIVE


def test_unrelated_grade_3_does_not_interrupt() -> None:
    # Only toxicity judged related to pomalidomide interrupts it.
    advice = advise_dose(replace(BASE, adverse_events=(ae("Constipation", 3),)))
    assert advice.pomalidomide.action is Action.GIVE


def test_row_recurrence_at_1mg_discontinues() -> None:
    # Toxicity recurring at 1 mg: discontinue pomalidomide.
    data = replace(
        BASE, pomalidomide_mg=1, adverse_events=(ae("Fatigue", 3, pom=True, recurred=True),)
    )
    advice = advise_dose(data)
    assert advice.pomalidomide.action is Action.DISCONTINUE
    assert advice.pomalidomide.next_level_mg is None
    assert "recurred at 1 mg" in advice.pomalidomide.rules[0]


def test_toxicity_at_lowest_level_discontinues() -> None:
    # One level below 1 mg is discontinuation.
    advice = advise_dose(replace(BASE, pomalidomide_mg=1, anc=0.2))
    assert advice.pomalidomide.action is Action.DISCONTINUE
    assert "lowest level" in advice.pomalidomide.rules[0]


@pytest.mark.parametrize(("current", "resume"), [(40, 20), (20, 10), (10, None)])
def test_row_dexamethasone_toxicity(current: int, resume: int | None) -> None:
    # Grade 3-4 toxicity related to dexamethasone: interrupt dex, resume one level lower.
    data = replace(
        BASE, dexamethasone_mg=current, adverse_events=(ae("Hyperglycemia", 3, dex=True),)
    )
    advice = advise_dose(data)
    assert advice.pomalidomide.action is Action.GIVE
    if resume is None:
        assert advice.dexamethasone.action is Action.DISCONTINUE
    else:
        assert advice.dexamethasone.action is Action.INTERRUPT
        assert advice.dexamethasone.next_level_mg == resume


@pytest.mark.parametrize(
    ("anc", "plt", "delayed"),
    [(0.5, 50, False), (0.49, 50, True), (0.5, 49.9, True), (None, 100, True), (1.0, None, True)],
)
def test_row_cycle_start_requirements(anc, plt, delayed: bool) -> None:
    # New cycle requires ANC >= 0.5 and platelets >= 50, otherwise delay day 1.
    advice = advise_dose(replace(BASE, cycle_start=True, anc=anc, platelets=plt))
    expected = {Action.DELAY, Action.INTERRUPT} if delayed else {Action.GIVE}
    assert advice.pomalidomide.action in expected
    assert advice.dexamethasone.action is (Action.DELAY if delayed else Action.GIVE)
    if delayed:
        assert any("delay day 1" in rule for rule in advice.dexamethasone.rules)


def test_cycle_start_platelets_30_delays_without_reduction() -> None:
    # Platelets 30 at day 1: delay (not interrupt), same level.
    advice = advise_dose(replace(BASE, cycle_start=True, platelets=30))
    assert advice.pomalidomide.action is Action.DELAY
    assert advice.pomalidomide.next_level_mg == 4


@pytest.mark.parametrize(
    ("term", "grade", "discontinue"),
    [
        ("Rash maculo-papular", 4, True),
        ("Rash maculo-papular", 3, False),
        ("Papulopustular rash", 4, True),
        ("Angioedema", 1, True),
        ("Bullous dermatitis", 2, True),
        ("Exfoliative dermatitis", 2, True),
        ("Stevens-Johnson syndrome", 3, True),
        ("Pruritus", 4, False),
    ],
)
def test_row_rash_discontinues_permanently(term: str, grade: int, discontinue: bool) -> None:
    # Grade 4 rash, angio-oedema, exfoliative or bullous rash: discontinue pomalidomide.
    advice = advise_dose(replace(BASE, adverse_events=(ae(term, grade),)))
    assert (advice.pomalidomide.action is Action.DISCONTINUE) is discontinue


def test_age_over_75_dexamethasone_20() -> None:
    # Dexamethasone starts at 20 mg for patients older than 75.
    assert starting_dexamethasone_mg(75) == 40
    assert starting_dexamethasone_mg(76) == 20
    advice = advise_dose(replace(BASE, age_years=80))
    assert advice.dexamethasone.action is Action.REDUCE
    assert advice.dexamethasone.next_level_mg == 20
    assert advise_dose(replace(BASE, age_years=80, dexamethasone_mg=20)).dexamethasone.action is (
        Action.GIVE
    )
    assert advise_dose(replace(BASE, age_years=75)).dexamethasone.action is Action.GIVE


def test_resume_after_interruption_is_reduce() -> None:
    # On hold and conditions cleared: resume one level lower ("reduce to level N").
    advice = advise_dose(replace(BASE, pomalidomide_interrupted=True, pomalidomide_mg=3))
    assert advice.pomalidomide.action is Action.REDUCE
    assert advice.pomalidomide.next_level_mg == 2
    # Still below the threshold: stays interrupted.
    still = advise_dose(replace(BASE, pomalidomide_interrupted=True, anc=0.3))
    assert still.pomalidomide.action is Action.INTERRUPT
    # On hold after platelets < 25: resume only when platelets >= 50 (30 keeps the hold).
    held = advise_dose(replace(BASE, pomalidomide_interrupted=True, platelets=30))
    assert held.pomalidomide.action is Action.INTERRUPT
    assert held.pomalidomide.next_level_mg == 3
    assert "when platelets >= 50" in held.pomalidomide.rules[0]
    resumed = advise_dose(replace(BASE, pomalidomide_interrupted=True, platelets=50))
    assert resumed.pomalidomide.action is Action.REDUCE
    # Counts not available: no resumption advised.
    unknown = advise_dose(replace(BASE, pomalidomide_interrupted=True, anc=None))
    assert unknown.pomalidomide.action is Action.INTERRUPT
    dex = advise_dose(replace(BASE, dexamethasone_interrupted=True))
    assert dex.dexamethasone.action is Action.REDUCE and dex.dexamethasone.next_level_mg == 20


def test_already_discontinued() -> None:
    advice = advise_dose(replace(BASE, pomalidomide_mg=None))
    assert advice.pomalidomide.action is Action.DISCONTINUE
    assert advice.dexamethasone.action is Action.GIVE


def test_levels_and_settings() -> None:
    assert next_lower_level("pomalidomide", 4) == 3
    assert next_lower_level("pomalidomide", 1) is None
    assert next_lower_level("dexamethasone", 40) == 20
    rules = DoseRules(anc_interrupt=1.0)
    assert advise_dose(replace(BASE, anc=0.8), rules).pomalidomide.action is Action.INTERRUPT


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"arm": "POM14"}, "arm"),
        ({"pomalidomide_mg": 5}, "level"),
        ({"dexamethasone_mg": 30}, "level"),
        ({"age_years": 10}, "age"),
        ({"anc": -1.0}, "negative"),
        ({"adverse_events": (ae("Fatigue", 6),)}, "grade"),
        ({"adverse_events": (ae(" ", 2),)}, "term"),
    ],
)
def test_invalid_input(change: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        advise_dose(replace(BASE, **change))


# ----------------------------------------------------------------------------- intensity


def test_planned_dose_per_cycle() -> None:
    # Arm A 84 mg, arm B 112 mg pomalidomide; dexamethasone 160 mg, 80 mg if > 75 y.
    assert planned_dose_per_cycle("pomalidomide", "POM21", 60) == 84
    assert planned_dose_per_cycle("pomalidomide", "POM28", 60) == 112
    assert planned_dose_per_cycle("dexamethasone", "POM21", 75) == 160
    assert planned_dose_per_cycle("dexamethasone", "POM28", 76) == 80
    with pytest.raises(ValueError):
        planned_dose_per_cycle("lenalidomide", "POM21", 60)


def test_dose_intensity_per_cycle_and_cumulative() -> None:
    # Cycle 1: 21 x 4 mg (100%); cycle 2: 14 x 4 + 7 x 3 = 77 mg (91.7%); cycle 3 missed.
    records = [DoseRecord(1, d, "pomalidomide", 4.0) for d in range(1, 22)]
    records += [DoseRecord(2, d, "pomalidomide", 4.0 if d <= 14 else 3.0) for d in range(1, 22)]
    records += [DoseRecord(1, d, "dexamethasone", 40.0) for d in (1, 8, 15, 22)]
    result = dose_intensity(records, "pomalidomide", "POM21", 60, cycles=[1, 2, 3])
    assert [c.delivered_mg for c in result.cycles] == [84.0, 77.0, 0.0]
    assert result.cycles[1].relative_dose_intensity == pytest.approx(77 / 84)
    assert result.planned_mg == 252.0
    assert result.relative_dose_intensity == pytest.approx(161 / 252)
    dex = dose_intensity(records, "dexamethasone", "POM21", 80)
    assert dex.cycles[0].relative_dose_intensity == pytest.approx(2.0)  # 160 of 80 planned
    assert dose_intensity([], "dexamethasone", "POM21", 60).relative_dose_intensity is None
    with pytest.raises(ValueError):
        dose_intensity([DoseRecord(1, 1, "pomalidomide", -4.0)], "pomalidomide", "POM21", 60)
