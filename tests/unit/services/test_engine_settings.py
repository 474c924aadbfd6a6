"""The study's settings reach the clinical engines: a changed setting changes the result."""

from __future__ import annotations

import datetime as dt

import pytest

from ctrial_desktop.domain.dosing import Action, DoseAdviceInput, DoseRules, advise_dose
from ctrial_desktop.domain.imwg import ImwgSettings
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.clinical import evaluate_forms
from ctrial_desktop.services.engine_settings import dose_rules, imwg_settings
from ctrial_desktop.services.export import StoredForm
from ctrial_desktop.study import StudyDefinition, load_study


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(forms_dir())


def _changed(study: StudyDefinition, section: str, **values: object) -> StudyDefinition:
    part = getattr(study.settings, section).model_copy(update=values)
    settings = study.settings.model_copy(update={section: part})
    return study.model_copy(update={"settings": settings})


def test_the_shipped_settings_are_the_protocol_defaults(study: StudyDefinition) -> None:
    assert imwg_settings(study) == ImwgSettings()
    assert dose_rules(study) == DoseRules()


def _da(event: str, repeat: int, day: dt.date, smp: float) -> StoredForm:
    values = {("IG.DA.MAIN", 1, "I.DA.DAT"): day.isoformat(),
              ("IG.DA.MAIN", 1, "I.DA.SPEP_DONE"): "Y",
              ("IG.DA.MAIN", 1, "I.DA.SMP"): str(smp)}
    return StoredForm(1, event, repeat, "F.DA", "SAVED", values)


def test_serum_measurable_setting_changes_the_response(study: StudyDefinition) -> None:
    forms = [_da("SE.SCREEN", 1, dt.date(2010, 1, 4), 8.0),
             _da("SE.CYCLE", 1, dt.date(2010, 2, 1), 3.0),
             _da("SE.CYCLE", 2, dt.date(2010, 3, 1), 3.0)]
    measurable, *_ = evaluate_forms(forms, imwg_settings(study))
    assert measurable is not None and measurable.best_overall_response.name == "PR"
    strict = _changed(study, "imwg", serum_measurable_g_l=10.0)
    unmeasurable, *_ = evaluate_forms(forms, imwg_settings(strict))
    assert unmeasurable is not None and unmeasurable.best_overall_response.name != "PR"


def test_platelet_threshold_setting_changes_the_advice(study: StudyDefinition) -> None:
    data = DoseAdviceInput(arm="POM21", age_years=60, pomalidomide_mg=4.0,
                           dexamethasone_mg=40.0, anc=2.0, platelets=40.0)
    assert advise_dose(data, dose_rules(study)).pomalidomide.action is Action.GIVE
    stricter = _changed(study, "dose_modification", platelets_interrupt_below=50.0)
    assert advise_dose(data, dose_rules(stricter)).pomalidomide.action is not Action.GIVE


def test_dose_levels_and_elderly_start_follow_the_study(study: StudyDefinition) -> None:
    changed = _changed(study, "treatment", pomalidomide_dose_levels_mg=(5.0, 4.0, 3.0),
                       dexamethasone_reduced_start_age_over=70)
    rules = dose_rules(changed)
    assert rules.pomalidomide_levels_mg == (5.0, 4.0, 3.0)
    assert rules.planned_pomalidomide_pom21_mg == 105.0
    assert rules.elderly_age_years == 70.0
