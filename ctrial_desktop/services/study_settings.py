"""Service settings read from the study definition (``forms/study.yaml``)."""

from __future__ import annotations

from ctrial_desktop.services.randomization import RandomizationSettings
from ctrial_desktop.study.definition import StudyDefinition

#: Factor names of study.yaml -> factor names of the randomization service.
_FACTOR_NAMES = {"site": "site", "iss_group": "iss", "age_group": "age", "sex": "sex"}


def randomization_settings(study: StudyDefinition) -> RandomizationSettings:
    """The ``settings.randomization`` section as the randomization service takes it."""
    r = study.settings.randomization
    factors = tuple(_FACTOR_NAMES[f.factor] for f in r.minimization_factors)
    return RandomizationSettings(
        method=r.method,
        arms=tuple(arm.code for arm in study.arms),
        ratio=tuple(r.allocation_ratio),
        block_sizes=tuple(r.block_sizes),
        # list length = positions per stratum + reserve (list_length_for adds the reserve)
        target_enrolment_per_site=r.list_length_per_stratum,
        reserve_fraction=0.0,
        min_reserve=r.reserve_length_per_stratum,
        low_list_threshold=r.low_list_warning_remaining,
        minimization_factors=factors,
        minimization_weights=tuple(f.weight for f in r.minimization_factors),
        minimization_p=r.minimization_probability,
        minimization_measure=r.imbalance_measure,
    )
