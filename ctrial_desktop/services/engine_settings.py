"""The study's settings (``forms/study.yaml``) as the inputs of the pure clinical engines.

The engines (:mod:`ctrial_desktop.domain.imwg`, :mod:`ctrial_desktop.domain.dosing`,
:mod:`ctrial_desktop.domain.ctcae`) carry the PROTOCOL defaults so that they can be used
and tested alone; everywhere the application calls them for a loaded study it passes
the values built here, so that a sponsor's change to ``study.yaml`` changes the result.

IMWG (``settings.imwg``) -> :class:`ctrial_desktop.domain.imwg.ImwgSettings`:
``serum_measurable_g_l``, ``urine_measurable_mg_24h``, ``flc_measurable_mg_l``,
``flc_ratio_normal_low/high`` (ratio limits), ``pr_marrow_baseline_min_pct`` (marrow
measurable), ``marrow_carry_forward``, ``flc_alone_partial_fall_is_sd`` (its negation is
the engine's ``flc_minimal_response``), ``missing_value_blocks_category``,
``pd_serum_high_nadir_g_l``, ``pd_serum_increase_high_nadir_g_l`` and
``hypercalcaemia_corrected_calcium_mmol_l``. The percentage thresholds of the categories
(PR 50%, VGPR 90%, MR 25%, PD +25%) are fixed in the engine as the IMWG criteria define them.

Dosing (``settings.treatment`` and ``settings.dose_modification``) ->
:class:`ctrial_desktop.domain.dosing.DoseRules`: dose levels, the reduced dexamethasone
start and its age, the ANC / platelet interrupt, resume and new-cycle limits, the grade
that interrupts and the grade to resume at; the planned dose per 28-day cycle follows the
starting levels (21 or 28 days of pomalidomide, 4 days of dexamethasone).
"""

from __future__ import annotations

from ctrial_desktop.domain.dosing import DoseRules
from ctrial_desktop.domain.imwg import ImwgSettings
from ctrial_desktop.study import StudyDefinition

#: Days of dexamethasone per 28-day cycle (days 1, 8, 15, 22).
DEXAMETHASONE_DAYS = 4


def imwg_settings(study: StudyDefinition) -> ImwgSettings:
    """The IMWG engine settings of the study."""
    s = study.settings.imwg
    return ImwgSettings(
        serum_measurable_g_l=s.serum_measurable_g_l,
        urine_measurable_mg_24h=s.urine_measurable_mg_24h,
        flc_measurable_mg_l=s.flc_measurable_mg_l,
        flc_ratio_low=s.flc_ratio_normal_low,
        flc_ratio_high=s.flc_ratio_normal_high,
        marrow_measurable_pc=s.pr_marrow_baseline_min_pct,
        bm_carry_forward=s.marrow_carry_forward,
        flc_minimal_response=not s.flc_alone_partial_fall_is_sd,
        missing_value_blocks_category=s.missing_value_blocks_category,
        serum_high_nadir_g_l=s.pd_serum_high_nadir_g_l,
        serum_high_nadir_increase_g_l=s.pd_serum_increase_high_nadir_g_l,
        hypercalcaemia_mmol_l=s.hypercalcaemia_corrected_calcium_mmol_l,
    )


def dose_rules(study: StudyDefinition) -> DoseRules:
    """The dose-advisor rules of the study."""
    t = study.settings.treatment
    m = study.settings.dose_modification
    pom_start = t.pomalidomide_dose_levels_mg[0]
    dex_start = t.dexamethasone_dose_levels_mg[0]
    return DoseRules(
        pomalidomide_levels_mg=tuple(float(x) for x in t.pomalidomide_dose_levels_mg),
        dexamethasone_levels_mg=tuple(float(x) for x in t.dexamethasone_dose_levels_mg),
        elderly_age_years=float(t.dexamethasone_reduced_start_age_over),
        elderly_dexamethasone_mg=float(t.dexamethasone_reduced_start_mg),
        anc_interrupt=m.anc_interrupt_below,
        anc_resume=m.anc_resume_at_least,
        platelets_interrupt=m.platelets_interrupt_below,
        platelets_resume=m.platelets_resume_at_least,
        cycle_start_anc=m.new_cycle_anc_min,
        cycle_start_platelets=m.new_cycle_platelets_min,
        toxicity_interrupt_grade=m.related_toxicity_interrupt_grade,
        toxicity_resume_grade=m.resume_when_grade_at_most,
        planned_pomalidomide_pom21_mg=21 * pom_start,
        planned_pomalidomide_pom28_mg=28 * pom_start,
        planned_dexamethasone_mg=DEXAMETHASONE_DAYS * dex_start,
        planned_dexamethasone_elderly_mg=DEXAMETHASONE_DAYS * t.dexamethasone_reduced_start_mg,
    )


def ctcae_version(study: StudyDefinition) -> str:
    """The CTCAE version used to grade labs and adverse events."""
    return study.settings.ctcae.version
