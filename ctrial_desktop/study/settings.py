"""Typed study settings: every value a sponsor may change without code.

In ``study.yaml`` each setting is written with its provenance::

    settings:
      security:
        idle_lock_minutes:
          value: 15
          status: default          # default (our choice) or verified (published)
          description: Minutes without input before the screen locks.
          description_fr: Minutes sans saisie avant le verrouillage de l'écran.

The loader keeps the values in the typed sub-models below
(``study.settings.security.idle_lock_minutes``) and the provenance in
:class:`SettingEntry` records for the study settings report. Every field is
required: the YAML is the single source of the values.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ctrial_desktop.study.model import DefinitionModel, NonEmpty

PositiveInt = Annotated[int, Field(gt=0)]
NonNegativeInt = Annotated[int, Field(ge=0)]
PositiveFloat = Annotated[float, Field(gt=0)]
Percent = Annotated[float, Field(ge=0, le=100)]


class SettingEntry(DefinitionModel):
    """One setting as the settings report lists it (``description_fr`` and ``source_fr``:
    the French words, where the French report does not print the English ones)."""

    path: NonEmpty
    value: object
    status: Literal["verified", "default"]
    description: NonEmpty
    description_fr: NonEmpty | None = None
    source: NonEmpty | None = None
    source_fr: NonEmpty | None = None

    def meaning(self, language: str = "en") -> str:
        """The description in ``language``, with its source in brackets."""
        french = language == "fr"
        description = (self.description_fr if french else None) or self.description
        source = (self.source_fr if french else None) or self.source
        return description + (f" ({source})" if source else "")


class VisitSettings(DefinitionModel):
    """Cycle length and visit windows."""

    cycle_length_days: PositiveInt
    default_window_days: NonNegativeInt
    screening_max_days: PositiveInt
    follow_up_interval_months: PositiveInt
    follow_up_window_days: NonNegativeInt
    end_of_treatment_visit_days: PositiveInt


class TreatmentSettings(DefinitionModel):
    """Dose levels and starting doses."""

    pomalidomide_dose_levels_mg: tuple[PositiveFloat, ...] = Field(min_length=1)
    dexamethasone_dose_levels_mg: tuple[PositiveFloat, ...] = Field(min_length=1)
    dexamethasone_reduced_start_age_over: PositiveInt
    dexamethasone_reduced_start_mg: PositiveFloat
    thromboprophylaxis_mandatory: bool

    @model_validator(mode="after")
    def _levels_descend(self) -> TreatmentSettings:
        for name in ("pomalidomide_dose_levels_mg", "dexamethasone_dose_levels_mg"):
            levels = getattr(self, name)
            if list(levels) != sorted(set(levels), reverse=True):
                raise ValueError(f"{name} must be strictly decreasing, starting dose first")
        if self.dexamethasone_reduced_start_mg not in self.dexamethasone_dose_levels_mg:
            raise ValueError("dexamethasone_reduced_start_mg must be one of the dose levels")
        return self


class DoseModificationSettings(DefinitionModel):
    """Thresholds of the dose-modification table (PROTOCOL section 3)."""

    anc_interrupt_below: PositiveFloat
    febrile_temperature_c: PositiveFloat
    febrile_anc_below: PositiveFloat
    anc_resume_at_least: PositiveFloat
    platelets_interrupt_below: PositiveFloat
    platelets_resume_at_least: PositiveFloat
    related_toxicity_interrupt_grade: Annotated[int, Field(ge=1, le=5)]
    resume_when_grade_at_most: Annotated[int, Field(ge=0, le=4)]
    new_cycle_anc_min: PositiveFloat
    new_cycle_platelets_min: PositiveFloat
    recheck_interval_days: PositiveInt
    discontinue_if_recurring_at_lowest_level: bool
    rash_discontinue_grade: Annotated[int, Field(ge=1, le=5)]


class EligibilitySettings(DefinitionModel):
    """Thresholds of the eligibility checklist (PROTOCOL section 4)."""

    min_age_years: PositiveInt
    min_prior_lines: NonNegativeInt
    refractory_progression_within_days: NonNegativeInt
    ecog_max: Annotated[int, Field(ge=0, le=4)]
    anc_min: PositiveFloat
    platelets_min: PositiveFloat
    platelets_min_high_infiltration: PositiveFloat
    high_infiltration_plasma_cells_pct: Percent
    crcl_min_ml_min: PositiveFloat
    ast_alt_max_x_uln: PositiveFloat
    bilirubin_max_x_uln: PositiveFloat
    serum_mprotein_min_g_l: PositiveFloat
    urine_mprotein_min_mg_24h: PositiveFloat
    flc_involved_min_mg_l: PositiveFloat
    other_malignancy_free_years: NonNegativeInt
    neuropathy_excluding_grade: Annotated[int, Field(ge=1, le=5)]


class ImwgSettings(DefinitionModel):
    """Response assessment (IMWG uniform criteria and the decisions where they are silent)."""

    serum_measurable_g_l: PositiveFloat
    urine_measurable_mg_24h: PositiveFloat
    flc_measurable_mg_l: PositiveFloat
    flc_ratio_normal_low: PositiveFloat
    flc_ratio_normal_high: PositiveFloat
    nadir: Literal["lowest_value", "lowest_confirmed_value"]
    confirmation_assessments: PositiveInt
    cr_marrow_plasma_cells_below_pct: Percent
    vgpr_serum_reduction_pct: Percent
    vgpr_urine_below_mg_24h: PositiveFloat
    pr_serum_reduction_pct: Percent
    pr_urine_reduction_pct: Percent
    pr_urine_below_mg_24h: PositiveFloat
    pr_flc_reduction_pct: Percent
    pr_marrow_reduction_pct: Percent
    pr_marrow_baseline_min_pct: Percent
    pr_plasmacytoma_reduction_pct: Percent
    mr_serum_reduction_pct: Percent
    mr_urine_reduction_pct: Percent
    mr_plasmacytoma_reduction_pct: Percent
    pd_increase_pct: Percent
    pd_serum_increase_g_l: PositiveFloat
    pd_serum_high_nadir_g_l: PositiveFloat
    pd_serum_increase_high_nadir_g_l: PositiveFloat
    pd_urine_increase_mg_24h: PositiveFloat
    pd_flc_increase_mg_l: PositiveFloat
    pd_marrow_increase_points: PositiveFloat
    pd_lesion_increase_pct: Percent
    hypercalcaemia_corrected_calcium_mmol_l: PositiveFloat
    marrow_carry_forward: bool
    flc_alone_partial_fall_is_sd: bool
    missing_value_blocks_category: bool

    @model_validator(mode="after")
    def _ratio_range(self) -> ImwgSettings:
        if self.flc_ratio_normal_low >= self.flc_ratio_normal_high:
            raise ValueError("flc_ratio_normal_low must be below flc_ratio_normal_high")
        return self


class CtcaeSettings(DefinitionModel):
    """Adverse-event grading and reporting."""

    version: Literal["4.03", "5.0"]
    sae_report_hours: PositiveInt


class MinimizationFactor(DefinitionModel):
    """A Pocock-Simon factor and its weight."""

    factor: Literal["site", "iss_group", "age_group"]
    weight: PositiveFloat


class RandomizationSettings(DefinitionModel):
    """Allocation method and list parameters (PROTOCOL section 5)."""

    method: Literal["blocks", "minimization"]
    allocation_ratio: tuple[PositiveInt, PositiveInt]
    block_sizes: tuple[PositiveInt, ...] = Field(min_length=1)
    strata: tuple[Literal["site", "iss_group"], ...]
    iss_groups: tuple[Literal["I-II", "III"], ...]
    age_group_cutoff_years: PositiveInt
    minimization_factors: tuple[MinimizationFactor, ...] = Field(min_length=1)
    minimization_probability: Annotated[float, Field(gt=0.5, le=1.0)]
    imbalance_measure: Literal["range", "variance"]
    list_length_per_stratum: PositiveInt
    reserve_length_per_stratum: NonNegativeInt
    low_list_warning_remaining: NonNegativeInt
    seed_bytes: Annotated[int, Field(ge=16, le=64)]
    commitment_hash: Literal["sha256"]

    @model_validator(mode="after")
    def _consistent(self) -> RandomizationSettings:
        per_block = sum(self.allocation_ratio)
        bad = [size for size in self.block_sizes if size % per_block]
        if bad:
            raise ValueError(f"block sizes {bad} are not multiples of the ratio total {per_block}")
        if len(set(self.strata)) != len(self.strata):
            raise ValueError("a stratification factor is listed twice")
        factors = [f.factor for f in self.minimization_factors]
        if len(set(factors)) != len(factors):
            raise ValueError("a minimization factor is listed twice")
        if self.list_length_per_stratum % per_block:
            raise ValueError("list_length_per_stratum must be a multiple of the ratio total")
        if self.low_list_warning_remaining >= self.list_length_per_stratum:
            raise ValueError("low_list_warning_remaining must be below list_length_per_stratum")
        return self


class SecuritySettings(DefinitionModel):
    """Log-in, lock and password rules."""

    idle_lock_minutes: PositiveInt
    max_failed_logins: PositiveInt
    lockout_minutes: PositiveInt
    password_min_length: Annotated[int, Field(ge=8)]
    password_min_character_classes: Annotated[int, Field(ge=1, le=4)]
    password_history: NonNegativeInt
    password_max_age_days: NonNegativeInt
    signature_requires_password: bool


class StudySettings(DefinitionModel):
    """All settings, by section."""

    visits: VisitSettings
    treatment: TreatmentSettings
    dose_modification: DoseModificationSettings
    eligibility: EligibilitySettings
    imwg: ImwgSettings
    ctcae: CtcaeSettings
    randomization: RandomizationSettings
    security: SecuritySettings
