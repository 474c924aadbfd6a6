"""The planned days and dose of a dosing form, from the patient's arm (plain functions).

A dosing form records one row per day in a repeating group holding a cycle-day
item (``...DAY``), a dose item (``...DOSE``) and an administration status
(``...STATUS``). The editor pre-fills a new form with one row per planned day
of the patient's arm, the planned dose and the first status of the code list
(its usual answer, "taken"), so that the usual entry is confirming the rows and
changing the days that differ.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.model import Drug, Form, ItemGroup

#: Dosing forms and the drug of the arm they record.
DOSING_FORMS: Final[Mapping[str, str]] = {"F.POM": "pomalidomide", "F.DEX": "dexamethasone"}


def _item_ending(group: ItemGroup, suffix: str) -> str | None:
    return next((item.oid for item in group.items if item.oid.endswith(suffix)), None)


def dosing_group(form: Form) -> ItemGroup | None:
    """The repeating day-by-day group of a dosing form, or None for other forms."""
    if form.oid not in DOSING_FORMS:
        return None
    for group in form.item_groups:
        if group.repeating and _item_ending(group, ".DAY") and _item_ending(group, ".DOSE"):
            return group
    return None


def planned_dose_mg(study: StudyDefinition, drug_name: str, drug: Drug,
                    age_years: int | None) -> float:
    """The planned dose per day: the arm's dose, or the reduced dexamethasone dose when older.

    PROTOCOL section 2: dexamethasone 20 mg for patients older than 75 years (the age
    and the dose are study settings).
    """
    treatment = study.settings.treatment
    if (drug_name == "dexamethasone" and age_years is not None
            and age_years > treatment.dexamethasone_reduced_start_age_over):
        return treatment.dexamethasone_reduced_start_mg
    return drug.dose_mg


def _canonical_dose(dose: float, decimals: int | None) -> str:
    if decimals is not None:
        return f"{dose:.{decimals}f}"
    return f"{dose:g}"


def planned_rows(study: StudyDefinition, form: Form, arm_code: str | None,
                 age_years: int | None = None,
                 dose_mg: float | None = None) -> dict[int, dict[str, str]]:
    """Rows to pre-fill, by repeat number: ``{repeat: {item_oid: canonical}}``.

    ``dose_mg`` is the dose level chosen for the cycle (a decision on the dose advice);
    without it the arm's planned dose. Empty when the form is not a dosing form or the
    patient has no arm yet.
    """
    group = dosing_group(form)
    if group is None or not arm_code:
        return {}
    drug_name = DOSING_FORMS[form.oid]
    drug: Drug = getattr(study.arm(arm_code), drug_name)
    day_oid = _item_ending(group, ".DAY")
    dose_oid = _item_ending(group, ".DOSE")
    status_oid = _item_ending(group, ".STATUS")
    dose_item = study.item(dose_oid) if dose_oid else None
    planned = dose_mg if dose_mg is not None else planned_dose_mg(study, drug_name, drug,
                                                                  age_years)
    dose = _canonical_dose(planned, dose_item.decimals if dose_item else None)
    first_status: str | None = None
    if status_oid is not None:
        status_item = study.item(status_oid)
        if status_item.codelist is not None:
            first_status = str(study.codelist(status_item.codelist).items[0].code)
    rows: dict[int, dict[str, str]] = {}
    for repeat, day in enumerate(drug.days, start=1):
        row = {day_oid: str(day), dose_oid: dose}  # type: ignore[dict-item]
        if status_oid is not None and first_status is not None:
            row[status_oid] = first_status
        rows[repeat] = row
    return rows
