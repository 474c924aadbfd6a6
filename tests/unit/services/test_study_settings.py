"""Settings of forms/study.yaml reach the services."""

from __future__ import annotations

import pytest

from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.randomization import RandomizationService, RandomizationSettings
from ctrial_desktop.services.study_settings import randomization_settings
from ctrial_desktop.store.database import Database
from tests.unit.services.randomization_helpers import screened_patient


def test_randomization_settings_from_the_study(study) -> None:
    settings = randomization_settings(study)
    assert settings.method == "blocks"
    assert settings.arms == ("POM21", "POM28")
    assert settings.block_sizes == (2, 4)
    assert settings.minimization_factors == ("site", "iss", "age")
    assert settings.minimization_p == 0.8
    assert settings.low_list_threshold == 5


def test_the_method_cannot_change_after_the_first_randomization(db: Database,
                                                                coordinator: Actor,
                                                                study) -> None:
    blocks = RandomizationService(db, coordinator, randomization_settings(study))
    first = screened_patient(db, coordinator, "01", iss=2)
    assert blocks.randomize(first.id, blocks.stratification(first.id)).arm in ("POM21", "POM28")
    switched = RandomizationService(db, coordinator, RandomizationSettings(
        method="minimization", arms=("POM21", "POM28")))
    second = screened_patient(db, coordinator, "01", iss=2)
    with pytest.raises(ServiceError, match="cannot change"):
        switched.randomize(second.id, switched.stratification(second.id))
