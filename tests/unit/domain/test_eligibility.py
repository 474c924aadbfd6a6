"""Eligibility: every criterion at and around its threshold, missing values, contradicted ticks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from ctrial_desktop.domain.eligibility import (
    CRITERIA,
    CriterionStatus,
    EligibilityInput,
    EligibilityThresholds,
    assess_eligibility,
)

MET, NOT_MET, MISSING, NA = (
    CriterionStatus.MET,
    CriterionStatus.NOT_MET,
    CriterionStatus.MISSING,
    CriterionStatus.NOT_APPLICABLE,
)


def _ticks() -> dict[str, bool | None]:
    return {code: kind == "inclusion" for code, (kind, _) in CRITERIA.items()}


def eligible(**changes: Any) -> EligibilityInput:
    """A patient who meets every criterion; ``changes`` override single values."""
    base = EligibilityInput(
        answers=_ticks(),
        sex="F",
        childbearing_potential=True,
        age_years=60,
        prior_lines=5,
        ecog=1,
        anc=1.8,
        platelets=150,
        bm_plasma_cells_pct=20,
        crcl_ml_min=80,
        ast=30,
        ast_uln=40,
        alt=25,
        alt_uln=40,
        bilirubin=10,
        bilirubin_uln=17,
        serum_mprotein_g_l=25,
        urine_mprotein_mg_24h=50,
        flc_involved_mg_l=40,
        flc_ratio=2.0,
        consent_date=dt.date(2010, 3, 1),
        first_procedure_date=dt.date(2010, 3, 2),
    )
    return dataclasses.replace(base, **changes)


def status(code: str, **changes: Any) -> CriterionStatus:
    return assess_eligibility(eligible(**changes)).criterion(code).status


def test_reference_patient_is_randomizable() -> None:
    result = assess_eligibility(eligible())
    assert result.randomizable
    assert not result.not_met and not result.missing
    assert len(result.criteria) == 21


@pytest.mark.parametrize(
    ("code", "field", "below", "at", "above"),
    [
        ("IN01", "age_years", 17, 18, 19),
        ("IN04", "prior_lines", 1, 2, 3),
        ("IN07", "anc", 0.99, 1.0, 1.01),
        ("IN08", "platelets", 74, 75, 76),
        ("IN09", "crcl_ml_min", 44.9, 45, 45.1),
    ],
)
def test_minimum_thresholds(code: str, field: str, below: float, at: float, above: float) -> None:
    assert status(code, **{field: below}) is NOT_MET
    assert status(code, **{field: at}) is MET
    assert status(code, **{field: above}) is MET
    assert status(code, **{field: None}) is MISSING


def test_ecog_maximum() -> None:
    assert status("IN06", ecog=2) is MET
    assert status("IN06", ecog=3) is NOT_MET
    assert status("IN06", ecog=0) is MET
    assert status("IN06", ecog=None) is MISSING


def test_platelet_sentence_matches_protocol_wording() -> None:
    result = assess_eligibility(eligible(platelets=62, bm_plasma_cells_pct=10))
    assert result.criterion("IN08").status is NOT_MET
    assert result.criterion("IN08").reason.startswith("Platelets 62 x10^9/L < 75 required")
    assert not result.randomizable


def test_platelets_lower_limit_with_high_marrow_infiltration() -> None:
    assert status("IN08", platelets=30, bm_plasma_cells_pct=50) is MET
    assert status("IN08", platelets=29, bm_plasma_cells_pct=80) is NOT_MET
    assert status("IN08", platelets=40, bm_plasma_cells_pct=49.9) is NOT_MET
    assert status("IN08", platelets=40, bm_plasma_cells_pct=None) is MISSING
    # Marrow is irrelevant above the main limit.
    assert status("IN08", platelets=75, bm_plasma_cells_pct=None) is MET


@pytest.mark.parametrize(
    ("code", "value_field", "uln_field", "factor"),
    [
        ("IN10", "ast", "ast_uln", 3),
        ("IN10", "alt", "alt_uln", 3),
        ("IN11", "bilirubin", "bilirubin_uln", 2),
    ],
)
def test_multiples_of_uln(code: str, value_field: str, uln_field: str, factor: float) -> None:
    uln = 33.3
    at = {"ast": 99.9, "alt": 99.9, "bilirubin": 66.6}[value_field]  # exactly factor x ULN
    assert status(code, **{value_field: at, uln_field: uln}) is MET
    assert status(code, **{value_field: at + 0.1, uln_field: uln}) is NOT_MET
    assert status(code, **{value_field: None}) is MISSING
    assert status(code, **{uln_field: None}) is MISSING
    assert factor * uln == pytest.approx(at)


def test_transaminase_failure_names_the_value_and_the_limit() -> None:
    reason = assess_eligibility(eligible(alt=130, alt_uln=40)).criterion("IN10").reason
    assert "ALT 130 > 3 x ULN (120)" in reason


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"serum_mprotein_g_l": 5}, MET),
        ({"serum_mprotein_g_l": 4.9, "urine_mprotein_mg_24h": 200}, MET),
        ({"serum_mprotein_g_l": 4.9, "urine_mprotein_mg_24h": 199}, NOT_MET),
        ({"serum_mprotein_g_l": 0, "urine_mprotein_mg_24h": 0, "flc_involved_mg_l": 100}, MET),
        (
            {"serum_mprotein_g_l": 0, "urine_mprotein_mg_24h": 0, "flc_involved_mg_l": 100,
             "flc_ratio": 1.0},
            NOT_MET,
        ),
        ({"serum_mprotein_g_l": 0, "urine_mprotein_mg_24h": 0, "flc_involved_mg_l": 99}, NOT_MET),
        ({"serum_mprotein_g_l": 2, "urine_mprotein_mg_24h": None}, MISSING),
        ({"serum_mprotein_g_l": None, "urine_mprotein_mg_24h": 300}, MET),
        (
            {"serum_mprotein_g_l": 0, "urine_mprotein_mg_24h": 0, "flc_involved_mg_l": 150,
             "flc_ratio": None},
            MISSING,
        ),
    ],
)
def test_measurable_disease(changes: dict[str, Any], expected: CriterionStatus) -> None:
    assert status("IN05", **changes) is expected


def test_flc_ratio_limits_are_normal() -> None:
    base = {"serum_mprotein_g_l": 0, "urine_mprotein_mg_24h": 0, "flc_involved_mg_l": 200}
    assert status("IN05", flc_ratio=0.26, **base) is NOT_MET
    assert status("IN05", flc_ratio=1.65, **base) is NOT_MET
    assert status("IN05", flc_ratio=0.25, **base) is MET
    assert status("IN05", flc_ratio=1.66, **base) is MET


def test_consent_before_first_procedure() -> None:
    assert status("IN12", first_procedure_date=dt.date(2010, 3, 1)) is MET  # same day
    assert status("IN12", first_procedure_date=dt.date(2010, 2, 28)) is NOT_MET
    assert status("IN12", consent_date=None) is MISSING
    assert status("IN12", first_procedure_date=None) is MISSING


def test_tick_contradicted_by_number_is_not_met_with_reason() -> None:
    result = assess_eligibility(eligible(anc=0.8))
    anc = result.criterion("IN07")
    assert anc.status is NOT_MET
    assert anc.value == 0.8
    assert anc.reason == "ANC 0.8 x10^9/L < 1.0 required (ticked Yes on the checklist)"
    assert not result.randomizable


def test_tick_no_with_good_number_is_not_met() -> None:
    answers = _ticks() | {"IN07": False}
    result = assess_eligibility(eligible(answers=answers))
    assert result.criterion("IN07").status is NOT_MET
    assert "checklist No" in result.criterion("IN07").reason


def test_unanswered_tick_is_missing_even_with_good_number() -> None:
    answers = _ticks() | {"IN09": None}
    result = assess_eligibility(eligible(answers=answers))
    assert result.criterion("IN09").status is MISSING
    assert not result.randomizable
    assert result.missing[0].code == "IN09"


@pytest.mark.parametrize("code", [c for c, (k, _) in CRITERIA.items() if k == "exclusion"])
def test_each_exclusion_ticked_yes_blocks(code: str) -> None:
    result = assess_eligibility(eligible(answers=_ticks() | {code: True}))
    assert result.criterion(code).status is NOT_MET
    assert not result.randomizable


@pytest.mark.parametrize("code", [c for c, (k, _) in CRITERIA.items() if k == "inclusion"])
def test_each_inclusion_ticked_no_blocks(code: str) -> None:
    result = assess_eligibility(eligible(answers=_ticks() | {code: False}))
    assert result.criterion(code).status is NOT_MET
    assert not result.randomizable


def test_answers_may_be_keyed_by_item_oid() -> None:
    answers = {f"I.ELIG.{code}": value for code, value in _ticks().items()}
    assert assess_eligibility(eligible(answers=answers)).randomizable


def test_childbearing_criteria_apply_only_to_women_of_childbearing_potential() -> None:
    answers = _ticks() | {"IN13": None, "EX05": None}
    male = assess_eligibility(eligible(sex="M", childbearing_potential=None, answers=answers))
    assert male.criterion("IN13").status is NA
    assert male.criterion("EX05").status is NA
    assert male.randomizable
    postmenopausal = assess_eligibility(
        eligible(childbearing_potential=False, answers=_ticks() | {"IN13": None})
    )
    assert postmenopausal.criterion("IN13").status is NA
    assert postmenopausal.criterion("EX05").status is MET
    unknown = assess_eligibility(eligible(childbearing_potential=None, answers=answers))
    assert unknown.criterion("IN13").status is MISSING
    assert unknown.criterion("EX05").status is MISSING


def test_thresholds_from_settings_mapping() -> None:
    thresholds = EligibilityThresholds.from_mapping(
        {"platelets_min": 100, "min_prior_lines": 1, "neuropathy_excluding_grade": 2}
    )
    assert thresholds.platelets_min == 100 and thresholds.anc_min == 1.0
    result = assess_eligibility(eligible(platelets=90, prior_lines=1), thresholds)
    assert result.criterion("IN08").status is NOT_MET
    assert result.criterion("IN04").status is MET


def test_unknown_criterion_lookup() -> None:
    with pytest.raises(KeyError):
        assess_eligibility(eligible()).criterion("IN99")
