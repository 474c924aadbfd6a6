"""The advisor's rules in words: their English is part of the ``ctrial dose advise`` JSON
contract and must not drift when the interface translates them."""

from __future__ import annotations

import pytest

from ctrial_desktop.domain.dosing import DoseAdviceInput, advise_dose
from ctrial_desktop.domain.messages import Message

CASES = [
    (dict(arm="POM21", age_years=60, pomalidomide_mg=4, dexamethasone_mg=40, anc=1.2,
          platelets=20, cycle_start=True),
     ["platelets 20 x10^9/L < 25: interrupt pomalidomide, CBC weekly, resume at 3 mg when "
      "platelets >= 50", "cycle start: platelets 20 x10^9/L < 50: delay day 1, re-check weekly"],
     ["cycle start: platelets 20 x10^9/L < 50: delay day 1, re-check weekly"]),
    (dict(arm="POM28", age_years=80.5, pomalidomide_mg=1, dexamethasone_mg=40, anc=0.3,
          platelets=150, febrile_neutropenia=True),
     ["ANC 0.3 x10^9/L < 0.5 with fever: pomalidomide at 1 mg, the lowest level: "
      "discontinue pomalidomide"],
     ["age 80.5 > 75: dexamethasone 20 mg (starting dose for patients older than 75)"]),
    (dict(arm="POM28", age_years=60, pomalidomide_mg=3, dexamethasone_mg=20, anc=2.0,
          platelets=150),
     ["no modification rule applies: give pomalidomide 3 mg (days 1-28)"],
     ["no modification rule applies: give dexamethasone 20 mg (days 1, 8, 15, 22)"]),
    (dict(arm="POM21", age_years=70, pomalidomide_mg=4, dexamethasone_mg=40, anc=None,
          platelets=None, pomalidomide_interrupted=True, dexamethasone_interrupted=True),
     ["pomalidomide on hold and the blood counts are not available: keep pomalidomide "
      "interrupted, resume at 3 mg when ANC >= 0.5 and platelets >= 50"],
     ["dexamethasone on hold and the interrupting conditions have cleared: resume one level "
      "lower, at 20 mg"]),
]


@pytest.mark.parametrize(("given", "pomalidomide", "dexamethasone"), CASES)
def test_rules_keep_their_english_words(given: dict, pomalidomide: list[str],
                                        dexamethasone: list[str]) -> None:
    advice = advise_dose(DoseAdviceInput(**given))
    assert list(advice.pomalidomide.rules) == pomalidomide
    assert list(advice.dexamethasone.rules) == dexamethasone
    # ... and each is a message the interface can put into another language.
    assert all(isinstance(rule, Message) and rule.translatable
               for rule in advice.pomalidomide.rules + advice.dexamethasone.rules)
