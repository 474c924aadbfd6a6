"""IMWG response engine, written from PROTOCOL section 6 (each test names its rule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from ctrial_desktop.domain.imwg import (
    Assessment,
    Baseline,
    ImwgInputError,
    ImwgSettings,
    Response,
    best_percent_change,
    evaluate_response,
    measurable_disease,
)

D0 = dt.date(2010, 1, 4)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=28 * n)


#: Serum and urine measurable (the CLI example), abnormal kappa ratio but FLC < 100.
SERUM_URINE = Baseline(
    date=D0,
    serum_m=32.5,
    urine_m=480,
    flc_kappa=15.1,
    flc_lambda=9.0,
    involved_flc="kappa",
    bm_pc=40,
)
#: Serum only measurable.
SERUM_ONLY = Baseline(date=D0, serum_m=30.0, urine_m=0, bm_pc=40)
#: Light-chain only: serum and urine unmeasurable, involved kappa 500 mg/L.
FLC_ONLY = Baseline(date=D0, serum_m=2.0, urine_m=50, flc_kappa=500.0, flc_lambda=10.0, bm_pc=40)
#: Marrow only: nothing else measurable, marrow plasma cells 60%.
MARROW_ONLY = Baseline(date=D0, serum_m=0, urine_m=0, flc_kappa=20.0, flc_lambda=15.0, bm_pc=60)


def visit(n: int, **values: object) -> Assessment:
    return Assessment(date=day(n), **values)  # type: ignore[arg-type]


def one(baseline: Baseline, n: int = 1, settings: ImwgSettings | None = None, **values: object):
    """Category of a single assessment."""
    result = evaluate_response(baseline, [visit(n, **values)], settings=settings)
    return result.assessments[0]


# ----------------------------------------------------------------------------- categories


def test_pr_serum_50_and_urine_below_200() -> None:
    # PR: serum reduced >= 50% and urine reduced >= 90% or to < 200 mg/24 h.
    item = one(SERUM_URINE, serum_m=12.0, serum_ife="positive", urine_m=150, urine_ife="positive")
    assert item.response is Response.PR
    assert item.reasons[0] == "serum M-protein 12.0 g/L, -63% from baseline 32.5 g/L"


def test_pr_urine_reduced_90_percent_even_if_above_200() -> None:
    # PR urine arm: ">= 90% reduction" suffices even when the urine is still >= 200.
    base = replace(SERUM_URINE, urine_m=3000)
    assert one(base, serum_m=15.0, urine_m=300).response is Response.PR  # -90% exactly


def test_urine_not_meeting_pr_falls_to_mr() -> None:
    # MR: serum >= 25% and, where urine is measurable, urine >= 50% (PR urine arm unmet).
    assert one(SERUM_URINE, serum_m=12.0, urine_m=230).response is Response.MR


def test_mr_boundary_serum_25_percent() -> None:
    # MR needs serum reduced >= 25%: exactly 25% is MR, 24% is SD.
    assert one(SERUM_ONLY, serum_m=22.5, urine_m=0).response is Response.MR
    assert one(SERUM_ONLY, serum_m=22.8, urine_m=0).response is Response.SD


def test_mr_requires_urine_50_percent_when_measurable() -> None:
    # MR: "where urine is measurable, urine M-protein reduced >= 50%".
    assert one(SERUM_URINE, serum_m=20.0, urine_m=300).response is Response.SD
    assert one(SERUM_URINE, serum_m=20.0, urine_m=240).response is Response.MR


def test_pr_boundary_serum_50_percent() -> None:
    # PR needs serum reduced >= 50%: 50% is PR, 49% is MR.
    assert one(SERUM_ONLY, serum_m=15.0, urine_m=0).response is Response.PR
    assert one(SERUM_ONLY, serum_m=15.3, urine_m=0).response is Response.MR


def test_vgpr_serum_90_percent_with_urine_below_100() -> None:
    # VGPR: serum M-protein reduced >= 90% with urine < 100 mg/24 h.
    item = one(SERUM_URINE, serum_m=3.0, serum_ife="positive", urine_m=90, urine_ife="positive")
    assert item.response is Response.VGPR
    assert one(SERUM_URINE, serum_m=3.0, urine_m=100).response is Response.PR


def test_vgpr_immunofixation_only() -> None:
    # VGPR: M-protein detectable by immunofixation but not by electrophoresis.
    item = one(SERUM_URINE, serum_m=0, serum_ife="positive", urine_m=0, urine_ife="positive")
    assert item.response is Response.VGPR
    assert "immunofixation only" in " ".join(item.reasons)


def test_cr_negative_ife_and_marrow_below_5() -> None:
    # CR: negative IFE of serum and urine, marrow plasma cells < 5% (ratio abnormal: not sCR).
    item = one(
        SERUM_URINE,
        serum_m=0,
        serum_ife="negative",
        urine_m=0,
        urine_ife="negative",
        bm_pc=4,
        flc_kappa=30,
        flc_lambda=10,
    )
    assert item.response is Response.CR


def test_cr_marrow_5_percent_is_not_cr() -> None:
    # CR needs marrow plasma cells < 5%: exactly 5% is not CR (VGPR by electrophoresis).
    item = one(
        SERUM_URINE, serum_m=0, serum_ife="negative", urine_m=0, urine_ife="negative", bm_pc=5
    )
    assert item.response is Response.VGPR


def test_scr_normal_ratio_and_no_clonal_cells() -> None:
    # sCR: CR plus normal FLC ratio (0.26-1.65) and no clonal plasma cells.
    values = dict(
        serum_m=0,
        serum_ife="negative",
        urine_m=0,
        urine_ife="negative",
        bm_pc=2,
        flc_kappa=12.0,
        flc_lambda=10.0,
    )
    assert one(SERUM_URINE, bm_clonal=False, **values).response is Response.SCR
    assert one(SERUM_URINE, bm_clonal=True, **values).response is Response.CR
    # Ratio boundary 1.65 is normal, 1.70 is not.
    assert (
        one(SERUM_URINE, bm_clonal=False, **{**values, "flc_kappa": 16.5}).response is Response.SCR
    )
    assert (
        one(SERUM_URINE, bm_clonal=False, **{**values, "flc_kappa": 17.0}).response is Response.CR
    )


def test_sd_when_nothing_met() -> None:
    # SD: none of the above and not PD.
    item = one(SERUM_URINE, serum_m=30.0, urine_m=450)
    assert item.response is Response.SD and item.confirmed  # SD needs no confirmation


# ----------------------------------------------------------------------------- missing values


def test_missing_marrow_blocks_cr() -> None:
    # [default] a missing value needed by a category cannot claim that category.
    item = one(SERUM_URINE, serum_m=0, serum_ife="negative", urine_m=0, urine_ife="negative")
    assert item.response is Response.VGPR
    assert "CR not claimed: bone-marrow plasma cells not done" in item.reasons


def test_missing_urine_blocks_pr_when_urine_measurable() -> None:
    # [default] urine measurable at baseline but not done: PR and MR cannot be claimed.
    item = one(SERUM_URINE, serum_m=10.0)
    assert item.response is Response.SD
    assert "PR not claimed: urine M-protein not done" in item.reasons


def test_missing_value_setting_off_judges_on_done_values() -> None:
    # Setting missing_value_blocks_category=False: categories judged on what was done.
    settings = ImwgSettings(missing_value_blocks_category=False)
    assert one(SERUM_URINE, settings=settings, serum_m=10.0).response is Response.PR


def test_nothing_measurable_done_is_ne() -> None:
    # NE: nothing measurable was done.
    item = one(SERUM_URINE, flc_kappa=10.0, flc_lambda=9.0)
    assert item.response is Response.NE and not item.confirmed


def test_ne_can_still_be_pd_by_new_lesion() -> None:
    # A missing value does not prevent PD on another parameter (new lesion).
    result = evaluate_response(SERUM_URINE, [visit(1, new_lesion=True)])
    assert result.assessments[0].response is Response.PD
    assert result.assessments[0].confirmed
    assert result.progression_date == day(1)


# ----------------------------------------------------------------------------- marrow


def test_marrow_carries_forward_to_cr() -> None:
    # [default] a bone-marrow result carries forward until the next marrow.
    result = evaluate_response(
        SERUM_URINE,
        [
            visit(1, serum_m=0, serum_ife="positive", urine_m=0, urine_ife="positive", bm_pc=3),
            visit(2, serum_m=0, serum_ife="negative", urine_m=0, urine_ife="negative"),
        ],
    )
    assert [a.response for a in result.assessments] == [Response.VGPR, Response.CR]
    assert result.assessments[1].change("bm_pc").carried_forward


def test_marrow_carry_forward_setting_off() -> None:
    # bm_carry_forward=False: the CR of the second visit lacks a marrow.
    result = evaluate_response(
        SERUM_URINE,
        [
            visit(1, serum_m=0, urine_m=0, bm_pc=3),
            visit(2, serum_m=0, serum_ife="negative", urine_m=0, urine_ife="negative"),
        ],
        settings=ImwgSettings(bm_carry_forward=False),
    )
    assert result.assessments[1].response is Response.VGPR


def test_baseline_marrow_is_not_carried_forward() -> None:
    # Carry-forward starts at the first on-study marrow; the baseline marrow is not reused.
    item = one(SERUM_URINE, serum_m=0, serum_ife="negative", urine_m=0, urine_ife="negative")
    assert item.change("bm_pc") is None


def test_marrow_only_disease_pr() -> None:
    # PR: serum, urine and FLC unmeasurable: marrow plasma cells reduced >= 50% (baseline >= 30%).
    assert measurable_disease(MARROW_ONLY).marrow
    assert one(MARROW_ONLY, bm_pc=30).response is Response.PR
    assert one(MARROW_ONLY, bm_pc=31).response is Response.SD


def test_marrow_only_below_30_percent_not_measurable() -> None:
    # Marrow-based PR needs a baseline >= 30%: below that there is no measurable disease.
    base = replace(MARROW_ONLY, bm_pc=25)
    assert not measurable_disease(base).marrow
    assert one(base, bm_pc=5).response is Response.NE


def test_marrow_pd_confirmed_at_once() -> None:
    # PD: marrow plasma cells +25% and absolute increase >= 10 points; no repeat needed.
    result = evaluate_response(MARROW_ONLY, [visit(1, bm_pc=75)])
    item = result.assessments[0]
    assert item.response is Response.PD and item.confirmed and item.pd_confirmed_at_once
    assert result.progression_date == day(1)
    # +24% (74%) is not PD; from a nadir of 20%, +9 points (45%) is not PD, +10 is.
    assert one(MARROW_ONLY, bm_pc=74).response is Response.SD
    low = replace(MARROW_ONLY, bm_pc=30)
    result = evaluate_response(low, [visit(1, bm_pc=20), visit(2, bm_pc=29), visit(3, bm_pc=30)])
    assert [a.response for a in result.assessments] == [Response.SD, Response.SD, Response.PD]


# ----------------------------------------------------------------------------- FLC only


def test_flc_only_disease_measurable() -> None:
    # Involved FLC >= 100 mg/L with abnormal ratio, serum and urine unmeasurable.
    m = measurable_disease(FLC_ONLY)
    assert m.flc and not m.serum and not m.urine and m.involved_flc == "kappa"
    assert m.main_parameter == "flc_difference"


def test_flc_only_pr_50_percent_of_difference() -> None:
    # PR: >= 50% reduction of the involved-uninvolved FLC difference (490 -> 245).
    assert one(FLC_ONLY, flc_kappa=255.0, flc_lambda=10.0).response is Response.PR
    assert one(FLC_ONLY, flc_kappa=256.0, flc_lambda=10.0).response is Response.SD


def test_flc_only_25_to_49_percent_is_sd_by_default() -> None:
    # [default] a 25-49% fall of the FLC difference alone is SD; setting makes it MR.
    item = one(FLC_ONLY, flc_kappa=310.0, flc_lambda=10.0)
    assert item.response is Response.SD
    settings = ImwgSettings(flc_minimal_response=True)
    assert (
        one(FLC_ONLY, settings=settings, flc_kappa=310.0, flc_lambda=10.0).response is Response.MR
    )


def test_flc_only_vgpr_90_percent() -> None:
    # Kumar 2016: light-chain-only VGPR = >= 90% fall of the FLC difference.
    assert one(FLC_ONLY, flc_kappa=55.0, flc_lambda=10.0).response is Response.VGPR


def test_flc_only_cr_needs_normal_ratio() -> None:
    # Rajkumar 2011: FLC-only disease, CR also needs a normal FLC ratio.
    values = dict(serum_ife="negative", urine_ife="negative", bm_pc=2, flc_lambda=10.0)
    assert one(FLC_ONLY, flc_kappa=30.0, **values).response is Response.VGPR
    assert one(FLC_ONLY, flc_kappa=15.0, **values).response is Response.CR


def test_flc_only_pd_needs_increase_above_100() -> None:
    # PD (only where serum and urine unmeasurable): FLC difference +25% and > 100 mg/L.
    result = evaluate_response(
        FLC_ONLY,
        [visit(1, flc_kappa=110.0, flc_lambda=10.0), visit(2, flc_kappa=210.0, flc_lambda=10.0)],
    )
    assert result.assessments[1].response is not Response.PD  # +100 exactly: not > 100
    result = evaluate_response(
        FLC_ONLY,
        [visit(1, flc_kappa=110.0, flc_lambda=10.0), visit(2, flc_kappa=211.0, flc_lambda=10.0)],
    )
    assert result.assessments[1].response is Response.PD


def test_flc_pd_not_used_when_serum_measurable() -> None:
    # FLC progression counts only where serum and urine are unmeasurable.
    base = replace(SERUM_ONLY, flc_kappa=500.0, flc_lambda=10.0)
    item = one(base, serum_m=20.0, urine_m=0, flc_kappa=900.0, flc_lambda=10.0)
    assert item.response is Response.MR


# ----------------------------------------------------------------------------- progression


def test_serum_pd_from_nadir_not_baseline() -> None:
    # Nadir = lowest value at baseline or any earlier assessment: 10 -> 16 is +60%, +6 g/L.
    result = evaluate_response(
        SERUM_ONLY,
        [
            visit(1, serum_m=10.0, urine_m=0),
            visit(2, serum_m=16.0, urine_m=0),
            visit(3, serum_m=17.0, urine_m=0),
        ],
    )
    assert [a.response for a in result.assessments][1:] == [Response.PD, Response.PD]
    assert result.assessments[1].confirmed
    assert result.progression_date == day(2)
    assert result.assessments[1].change("serum_m").nadir == 10.0


def test_serum_pd_needs_5_g_l_absolute() -> None:
    # Serum PD: +25% from nadir with absolute increase >= 5 g/L (+4.9 g/L is not PD).
    result = evaluate_response(
        SERUM_ONLY, [visit(1, serum_m=8.0, urine_m=0), visit(2, serum_m=12.9, urine_m=0)]
    )
    assert result.assessments[1].response is not Response.PD
    result = evaluate_response(
        SERUM_ONLY, [visit(1, serum_m=8.0, urine_m=0), visit(2, serum_m=13.0, urine_m=0)]
    )
    assert result.assessments[1].response is Response.PD


def test_serum_pd_needs_25_percent() -> None:
    # Serum PD: +5 g/L from a nadir of 24 is only +21%: not PD.
    result = evaluate_response(
        replace(SERUM_ONLY, serum_m=24.0), [visit(1, serum_m=29.0, urine_m=0)]
    )
    assert result.assessments[0].response is Response.SD


def test_serum_pd_high_nadir_10_g_l() -> None:
    # Nadir >= 50 g/L: an increase >= 10 g/L is PD (Rajkumar 2011), even below +25%.
    base = replace(SERUM_ONLY, serum_m=60.0)
    assert one(base, serum_m=70.0, urine_m=0).response is Response.PD
    assert one(base, serum_m=69.9, urine_m=0).response is Response.SD
    # The literal reading (+25% also required) is a setting.
    strict = ImwgSettings(serum_high_nadir_increase_sufficient=False)
    assert one(base, settings=strict, serum_m=70.0, urine_m=0).response is Response.SD
    assert one(base, settings=strict, serum_m=75.0, urine_m=0).response is Response.PD


def test_urine_pd_25_percent_and_200() -> None:
    # Urine PD: +25% from nadir and absolute increase >= 200 mg/24 h.
    base = replace(SERUM_URINE, urine_m=480)
    assert one(base, serum_m=30.0, urine_m=680).response is Response.PD
    assert one(base, serum_m=30.0, urine_m=679).response is Response.SD


def test_new_plasmacytoma_and_growth() -> None:
    # PD: new plasmacytoma, or >= 50% increase of an existing one, confirmed at once.
    base = replace(SERUM_ONLY, plasmacytoma_spd=0.0)
    item = one(base, serum_m=30.0, urine_m=0, plasmacytoma_spd=2.0)
    assert item.response is Response.PD and item.confirmed
    base = replace(SERUM_ONLY, plasmacytoma_spd=4.0)
    assert one(base, serum_m=30.0, urine_m=0, plasmacytoma_spd=6.0).response is Response.PD
    assert one(base, serum_m=30.0, urine_m=0, plasmacytoma_spd=5.9).response is Response.SD


def test_plasmacytoma_must_shrink_for_pr() -> None:
    # PR: plus >= 50% reduction of plasmacytomas present at baseline.
    base = replace(SERUM_ONLY, plasmacytoma_spd=4.0)
    assert one(base, serum_m=10.0, urine_m=0, plasmacytoma_spd=2.0).response is Response.PR
    assert one(base, serum_m=10.0, urine_m=0, plasmacytoma_spd=2.5).response is Response.MR
    assert one(base, serum_m=10.0, urine_m=0, plasmacytoma_spd=3.5).response is Response.SD


def test_hypercalcaemia_pd_needs_confirmation() -> None:
    # PD: corrected calcium > 2.875 mmol/L; not in the "confirmed at once" list.
    result = evaluate_response(
        SERUM_ONLY,
        [
            visit(1, serum_m=28.0, urine_m=0, corrected_calcium=2.9),
            visit(2, serum_m=28.0, urine_m=0, corrected_calcium=2.875),
        ],
    )
    first, second = result.assessments
    assert first.response is Response.PD and not first.confirmed
    assert second.response is Response.SD  # 2.875 is not > 2.875
    assert result.progression_date is None


# ----------------------------------------------------------------------------- confirmation


def test_unconfirmed_pd_followed_by_response_is_not_pd() -> None:
    # A single unconfirmed PD followed by a non-PD assessment is not PD; it counts as SD.
    result = evaluate_response(
        SERUM_ONLY,
        [
            visit(1, serum_m=28.0, urine_m=0, corrected_calcium=3.0),
            visit(2, serum_m=14.0, urine_m=0),
            visit(3, serum_m=13.0, urine_m=0),
        ],
    )
    assert [a.response for a in result.assessments] == [Response.PD, Response.PR, Response.PR]
    assert not result.assessments[0].confirmed
    assert result.progression_date is None
    assert result.best_overall_response is Response.PR
    assert result.best_response_date == day(2)


def test_pd_at_last_assessment_is_unconfirmed() -> None:
    # A PD at the last assessment is unconfirmed and counts as SD.
    result = evaluate_response(
        SERUM_ONLY, [visit(1, serum_m=28.0, urine_m=0), visit(2, serum_m=40.0, urine_m=0)]
    )
    assert result.assessments[1].response is Response.PD
    assert not result.assessments[1].confirmed
    assert result.best_overall_response is Response.SD
    assert result.best_response_date == day(1)
    assert result.progression_date is None


def test_response_confirmed_by_same_or_better() -> None:
    # A response is confirmed when the next assessment is the same or a better category.
    result = evaluate_response(
        SERUM_ONLY,
        [
            visit(1, serum_m=20.0, urine_m=0),
            visit(2, serum_m=14.0, urine_m=0),
            visit(3, serum_m=14.5, urine_m=0),
            visit(4, serum_m=18.0, urine_m=0),
        ],
    )
    responses = [a.response for a in result.assessments]
    assert responses == [Response.MR, Response.PR, Response.PR, Response.MR]
    assert [a.confirmed for a in result.assessments] == [True, True, False, False]
    assert result.best_overall_response is Response.PR
    assert result.best_response_date == day(2)  # response date: the first of the two


def test_unconfirmed_response_counts_as_sd() -> None:
    # An unconfirmed response counts as SD in the best overall response.
    result = evaluate_response(
        SERUM_ONLY, [visit(1, serum_m=10.0, urine_m=0), visit(2, serum_m=25.0, urine_m=0)]
    )
    assert result.assessments[0].response is Response.PR
    assert not result.assessments[0].confirmed
    assert result.best_overall_response is Response.SD
    assert result.best_response_date == day(1)


def test_best_response_stops_at_first_confirmed_pd() -> None:
    # Only assessments up to the first confirmed PD count.
    result = evaluate_response(
        SERUM_ONLY,
        [
            visit(1, serum_m=28.0, urine_m=0, new_lesion=True),
            visit(2, serum_m=10.0, urine_m=0),
            visit(3, serum_m=9.0, urine_m=0),
        ],
    )
    assert result.progression_date == day(1)
    assert result.best_overall_response is Response.PD
    assert result.counted == (Response.PD, None, None)


def test_ne_counts_for_nothing() -> None:
    # NE counts for nothing; no evaluable assessment gives NE and no date.
    result = evaluate_response(SERUM_URINE, [visit(1), visit(2, bm_pc=30)])
    assert result.best_overall_response is Response.NE
    assert result.best_response_date is None
    result = evaluate_response(SERUM_ONLY, [visit(1, serum_m=14.0, urine_m=0), visit(2)])
    assert not result.assessments[0].confirmed  # the next assessment is NE
    assert result.best_overall_response is Response.SD


def test_new_therapy_cutoff() -> None:
    # Assessments on or after new therapy are ignored (response null) and cannot confirm.
    result = evaluate_response(
        SERUM_ONLY,
        [visit(1, serum_m=10.0, urine_m=0), visit(2, serum_m=9.0, urine_m=0)],
        new_therapy_date=day(2),
    )
    assert result.assessments[1].response is None
    assert not result.assessments[0].confirmed
    assert result.best_overall_response is Response.SD


# ----------------------------------------------------------------------------- helpers, input


def test_changes_from_baseline_and_nadir() -> None:
    # Per-parameter % change from baseline and from nadir, for the form and the plots.
    result = evaluate_response(
        SERUM_ONLY, [visit(1, serum_m=10.0, urine_m=0), visit(2, serum_m=12.0, urine_m=0)]
    )
    change = result.assessments[1].change("serum_m")
    assert change.pct_from_baseline == pytest.approx(-60.0)
    assert change.pct_from_nadir == pytest.approx(20.0)
    assert "+20% from nadir 10.0 g/L" in result.assessments[1].reasons[0]


def test_best_percent_change_of_main_parameter() -> None:
    # Waterfall: best % change from baseline of serum (else urine, else FLC difference).
    result = evaluate_response(
        SERUM_URINE,
        [visit(1, serum_m=16.25, urine_m=100), visit(2, serum_m=20.0, urine_m=50)],
    )
    assert best_percent_change(result) == pytest.approx(-50.0)
    result = evaluate_response(FLC_ONLY, [visit(1, flc_kappa=255.0, flc_lambda=10.0)])
    assert best_percent_change(result) == pytest.approx(-50.0)
    assert best_percent_change(evaluate_response(MARROW_ONLY, [visit(1, bm_pc=10)])) is None


def test_serum_measurable_threshold_is_a_setting() -> None:
    # [default] serum measurable >= 5 g/L; IMWG 2011 would use 10 g/L.
    base = Baseline(date=D0, serum_m=7.0, urine_m=0)
    assert measurable_disease(base).serum
    assert not measurable_disease(base, ImwgSettings(serum_measurable_g_l=10.0)).serum


@pytest.mark.parametrize(
    ("assessments", "message"),
    [
        ([Assessment(date=D0)], "after the baseline"),
        ([Assessment(date=day(2)), Assessment(date=day(1))], "after the previous"),
        ([Assessment(date=day(1)), Assessment(date=day(1))], "after the previous"),
        ([Assessment(date=day(1), serum_m=-1.0)], "negative"),
        ([Assessment(date=day(1), serum_ife="weak")], "serum_ife"),
        ([Assessment(date=day(1), bm_pc=101.0)], "percentage"),
    ],
)
def test_invalid_input_rejected(assessments: list[Assessment], message: str) -> None:
    # Invalid input: negative values, dates not strictly increasing or not after baseline.
    with pytest.raises(ImwgInputError, match=message):
        evaluate_response(SERUM_ONLY, assessments)


def test_urine_only_disease() -> None:
    # Serum unmeasurable, urine measurable: PR = urine -90% or < 200 mg/24 h; VGPR = urine
    # < 100 mg/24 h; MR = urine -50%.
    base = Baseline(date=D0, serum_m=2.0, urine_m=1000)
    assert measurable_disease(base).main_parameter == "urine_m"
    assert one(base, urine_m=99).response is Response.VGPR
    assert one(base, urine_m=199).response is Response.PR
    assert one(base, urine_m=500).response is Response.MR
    assert one(base, urine_m=501).response is Response.SD


def test_lambda_involved_flc_inferred_from_ratio() -> None:
    # Involved chain inferred from an abnormal ratio (< 0.26: lambda) when not given.
    base = Baseline(date=D0, serum_m=0, urine_m=0, flc_kappa=5.0, flc_lambda=400.0)
    m = measurable_disease(base)
    assert m.flc and m.involved_flc == "lambda"
    assert one(base, flc_kappa=5.0, flc_lambda=200.0).response is Response.PR  # 395 -> 195
    # A normal ratio is not measurable FLC disease, whatever the level.
    assert not measurable_disease(replace(base, flc_kappa=300.0)).flc


def test_new_therapy_must_follow_baseline() -> None:
    # Invalid input: a new-therapy date on or before the baseline.
    with pytest.raises(ImwgInputError, match="new_therapy_date"):
        evaluate_response(SERUM_ONLY, [], new_therapy_date=D0)
