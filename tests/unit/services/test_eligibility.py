"""Eligibility service: ticks checked against the stored values, thresholds, consent order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pytest
from sqlalchemy import select

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import now_utc
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.eligibility import EligibilityService
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.randomization import RandomizationService
from ctrial_desktop.store.audit import SYSTEM_CONTEXT
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue
from ctrial_desktop.study.definition import StudyDefinition
from ctrial_desktop.study.loader import load_study
from tests.unit.conftest import make_user

CONSENT = dt.date(2010, 2, 1)

#: An eligible man born 1950-01-01: every tick right and every value inside its limits.
ELIGIBLE: dict[str, dict[str, str]] = {
    "F.IC": {"I.IC.SIGNED": "Y", "I.IC.DAT": "2010-02-01", "I.IC.PROCDAT": "2010-02-03"},
    "F.DM": {"I.DM.VISDAT": "2010-02-03", "I.DM.BRTHDAT": "1950-01-01", "I.DM.SEX": "M",
             "I.DM.WEIGHT": "70.0"},
    "F.MH": {"I.MH.ISS_ENTRY": "II", "I.MH.NLINES": "3", "I.MH.REFR_LEN": "Y",
             "I.MH.REFR_BORT": "Y", "I.MH.LIGHT": "KAPPA"},
    "F.HEM": {"I.HEM.DAT": "2010-02-03", "I.HEM.ANC": "1.50", "I.HEM.PLT": "120"},
    "F.CHEM": {"I.CHEM.DAT": "2010-02-03", "I.CHEM.WEIGHT": "70.0", "I.CHEM.CREAT": "100",
               "I.CHEM.AST": "30", "I.CHEM.AST_ULN": "40", "I.CHEM.ALT": "30",
               "I.CHEM.ALT_ULN": "40", "I.CHEM.BILI": "10", "I.CHEM.BILI_ULN": "17"},
    "F.DA": {"I.DA.DAT": "2010-02-03", "I.DA.SPEP_DONE": "Y", "I.DA.SMP": "25.0",
             "I.DA.UPEP_DONE": "N", "I.DA.FLC_DONE": "N"},
    "F.ECOG": {"I.ECOG.DAT": "2010-02-03", "I.ECOG.SCORE": "1"},
    "F.ELIG": {**{f"I.ELIG.IN{i:02d}": "Y" for i in range(1, 15) if i != 13},
               **{f"I.ELIG.EX{i:02d}": "N" for i in range(1, 8) if i != 5},
               "I.ELIG.DAT": "2010-02-04", "I.ELIG.ELIGIBLE": "Y"},
}


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(forms_dir())


def store_form(db: Database, patient_id: int, form_oid: str, values: Mapping[str, str | None],
               event_oid: str = "SE.SCREEN") -> None:
    """Write (or overwrite) item values of one form instance, as the form service stores them."""
    with db.write() as s:
        form = s.scalar(select(FormData).where(
            FormData.patient_id == patient_id, FormData.event_oid == event_oid,
            FormData.form_oid == form_oid))
        if form is None:
            form = FormData(patient_id=patient_id, event_oid=event_oid, event_repeat=1,
                            form_oid=form_oid, form_version="1.0", status="complete",
                            signed=False, locked=False, verified=False, active=True,
                            version=1, updated_at=now_utc())
            db.audit.insert(s, SYSTEM_CONTEXT, form)
        for oid, value in values.items():
            existing = s.scalar(select(ItemValue).where(ItemValue.form_data_id == form.id,
                                                        ItemValue.item_oid == oid))
            if existing is not None:
                db.audit.update(s, SYSTEM_CONTEXT, existing, {"value": value}, "corrected")
                continue
            db.audit.insert(s, SYSTEM_CONTEXT, ItemValue(
                form_data_id=form.id, item_group_oid="IG", group_repeat=1, item_oid=oid,
                value=value, active=True))


def store_eligible(db: Database, patient_id: int,
                   changes: Mapping[str, Mapping[str, str | None]] | None = None) -> None:
    for form_oid, values in ELIGIBLE.items():
        store_form(db, patient_id, form_oid, {**values, **(changes or {}).get(form_oid, {})})


def screened(db: Database, actor: Actor, sex: str = "M", birth: dt.date = dt.date(1950, 1, 1),
             consent: dt.date | None = CONSENT) -> int:
    return PatientService(db, actor, today=dt.date(2010, 3, 1)).screen_patient(
        "01", "JD", sex, birth_date=birth, consent_date=consent).id


def _service(db: Database, actor: Actor, study: StudyDefinition) -> EligibilityService:
    return EligibilityService(db, actor, study, today=dt.date(2010, 3, 1))


def _status(report, oid: str) -> str:  # type: ignore[no-untyped-def]
    return next(c.status for c in report.criteria if c.item_oid == oid)


def _criterion(report, oid: str):  # type: ignore[no-untyped-def]
    return next(c for c in report.criteria if c.item_oid == oid)


def test_every_criterion_met_for_an_eligible_patient(db: Database, coordinator: Actor,
                                                     study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    store_eligible(db, pid)
    report = _service(db, coordinator, study).evaluate(pid)
    assert report.eligible, report.blocking_reasons()
    assert len(report.criteria) == 21
    assert report.blocking_reasons() == []
    crcl = _criterion(report, "I.ELIG.IN09")
    # (140 - 60) x 70 x 1.23 / 100 = 68.9
    assert crcl.value == "68.9 mL/min"
    assert crcl.sentence == "Creatinine clearance 68.9 mL/min >= 45.0."
    assert _status(report, "I.ELIG.IN13") == "not_applicable"
    assert _criterion(report, "I.ELIG.IN13").sentence == "Not applicable: male patient."


def test_nothing_entered_is_missing_not_met(db: Database, coordinator: Actor,
                                            study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    report = _service(db, coordinator, study).evaluate(pid)
    assert not report.eligible
    assert not report.not_met
    assert _status(report, "I.ELIG.IN07") == "missing"
    assert report.blocking_reasons()[6] == (
        "Missing - Absolute neutrophil count: Checklist not answered; ANC not entered.")


#: (form, item, value entered, criterion, expected status) at and around each threshold.
THRESHOLD_CASES = [
    ("F.HEM", "I.HEM.ANC", "1.00", "I.ELIG.IN07", "met"),
    ("F.HEM", "I.HEM.ANC", "0.99", "I.ELIG.IN07", "not_met"),
    ("F.HEM", "I.HEM.PLT", "75", "I.ELIG.IN08", "met"),
    ("F.HEM", "I.HEM.PLT", "74", "I.ELIG.IN08", "missing"),  # marrow not entered
    ("F.HEM", "I.HEM.PLT", "29", "I.ELIG.IN08", "not_met"),
    ("F.CHEM", "I.CHEM.AST", "120", "I.ELIG.IN10", "met"),
    ("F.CHEM", "I.CHEM.AST", "121", "I.ELIG.IN10", "not_met"),
    ("F.CHEM", "I.CHEM.ALT", "121", "I.ELIG.IN10", "not_met"),
    ("F.CHEM", "I.CHEM.BILI", "34", "I.ELIG.IN11", "met"),
    ("F.CHEM", "I.CHEM.BILI", "35", "I.ELIG.IN11", "not_met"),
    ("F.ECOG", "I.ECOG.SCORE", "2", "I.ELIG.IN06", "met"),
    ("F.ECOG", "I.ECOG.SCORE", "3", "I.ELIG.IN06", "not_met"),
    ("F.MH", "I.MH.NLINES", "2", "I.ELIG.IN04", "met"),
    ("F.MH", "I.MH.NLINES", "1", "I.ELIG.IN04", "not_met"),
    ("F.DA", "I.DA.SMP", "5.0", "I.ELIG.IN05", "met"),
    ("F.DA", "I.DA.SMP", "4.9", "I.ELIG.IN05", "missing"),  # urine and FLC not done
]


def test_lab_criteria_at_and_around_their_threshold(db: Database, coordinator: Actor,
                                                    study: StudyDefinition) -> None:
    service = _service(db, coordinator, study)
    for form, item, value, oid, expected in THRESHOLD_CASES:
        pid = screened(db, coordinator)
        store_eligible(db, pid, {form: {item: value}})
        report = service.evaluate(pid)
        assert _status(report, oid) == expected, (item, value)
        others = [c for c in report.criteria if c.item_oid != oid]
        assert all(c.met for c in others), (item, value)
        if expected == "not_met":
            assert _criterion(report, oid).sentence.endswith("(ticked Yes on the checklist).")


def test_creatinine_clearance_is_computed_and_checked_at_its_threshold(
        db: Database, coordinator: Actor, study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    # age 60 at the sample: (80 x 70 x 1.23) / creat; 153 -> 45.02, 154 -> 44.73
    store_eligible(db, pid, {"F.CHEM": {"I.CHEM.CREAT": "153"}})
    service = _service(db, coordinator, study)
    assert _status(service.evaluate(pid), "I.ELIG.IN09") == "met"
    store_form(db, pid, "F.CHEM", {"I.CHEM.CREAT": "154"})
    crit = _criterion(service.evaluate(pid), "I.ELIG.IN09")
    assert crit.status == "not_met"
    assert crit.sentence == ("Creatinine clearance 44.7 mL/min < 45.0 required "
                             "(ticked Yes on the checklist).")
    store_form(db, pid, "F.CHEM", {"I.CHEM.CREAT": None, "I.CHEM.WEIGHT": None})
    store_form(db, pid, "F.DM", {"I.DM.WEIGHT": None})
    crit = _criterion(service.evaluate(pid), "I.ELIG.IN09")
    assert crit.status == "missing"
    assert "cannot be computed: no creatinine, weight." in crit.sentence


def test_women_have_a_lower_clearance(db: Database, coordinator: Actor,
                                      study: StudyDefinition) -> None:
    pid = screened(db, coordinator, sex="F")
    store_eligible(db, pid, {"F.CHEM": {"I.CHEM.CREAT": "153"},
                             "F.DM": {"I.DM.CHILDPOT": "N", "I.DM.SEX": "F"},
                             "F.ELIG": {"I.ELIG.EX05": "N"}})
    report = _service(db, coordinator, study).evaluate(pid)
    assert _status(report, "I.ELIG.IN09") == "not_met"   # 80 x 70 x 1.04 / 153 = 38.1
    assert _status(report, "I.ELIG.IN13") == "not_applicable"


def test_platelets_down_to_30_with_high_marrow_infiltration(
        db: Database, coordinator: Actor, study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    store_eligible(db, pid, {"F.HEM": {"I.HEM.PLT": "30"}})
    service = _service(db, coordinator, study)
    crit = _criterion(service.evaluate(pid), "I.ELIG.IN08")
    assert crit.status == "missing" and "plasma cells not entered" in crit.sentence
    store_form(db, pid, "F.BM", {"I.BM.DAT": "2010-02-03", "I.BM.PC_PCT": "50.0"})
    assert _status(service.evaluate(pid), "I.ELIG.IN08") == "met"
    store_form(db, pid, "F.HEM", {"I.HEM.PLT": "29"})
    assert _status(service.evaluate(pid), "I.ELIG.IN08") == "not_met"


def test_ticked_but_contradicted_and_unticked(db: Database, coordinator: Actor,
                                              study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    store_eligible(db, pid, {"F.HEM": {"I.HEM.ANC": "0.80"},
                             "F.ELIG": {"I.ELIG.IN02": "N", "I.ELIG.EX06": "Y",
                                        "I.ELIG.IN14": None}})
    report = _service(db, coordinator, study).evaluate(pid)
    anc = _criterion(report, "I.ELIG.IN07")
    assert anc.status == "not_met"
    assert anc.value == "0.8 x10^9/L"
    assert anc.sentence == "ANC 0.8 x10^9/L < 1.0 required (ticked Yes on the checklist)."
    assert _status(report, "I.ELIG.IN02") == "not_met"
    assert _status(report, "I.ELIG.EX06") == "not_met"
    assert _status(report, "I.ELIG.IN14") == "missing"
    reasons = report.blocking_reasons()
    assert len(reasons) == 4
    assert reasons[-1] == "Not met - Uncontrolled infection: Checklist Yes."


def test_measurable_by_light_chains_needs_an_abnormal_ratio(
        db: Database, coordinator: Actor, study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    base = {"I.DA.SMP": "2.0", "I.DA.FLC_DONE": "Y", "I.DA.KAPPA": "400.0",
            "I.DA.LAMBDA": "10.0"}
    store_eligible(db, pid, {"F.DA": base})
    service = _service(db, coordinator, study)
    assert _status(service.evaluate(pid), "I.ELIG.IN05") == "met"
    store_form(db, pid, "F.DA", {"I.DA.LAMBDA": "300.0"})   # ratio 1.33: normal
    assert _status(service.evaluate(pid), "I.ELIG.IN05") == "missing"   # urine not done
    store_form(db, pid, "F.DA", {"I.DA.UPEP_DONE": "Y", "I.DA.UMP": "150"})
    crit = _criterion(service.evaluate(pid), "I.ELIG.IN05")
    assert crit.status == "not_met" and "FLC ratio 1.33 is normal" in crit.sentence
    store_form(db, pid, "F.DA", {"I.DA.FLC_DONE": None, "I.DA.KAPPA": None,
                                 "I.DA.LAMBDA": None})
    assert _status(service.evaluate(pid), "I.ELIG.IN05") == "missing"


def test_consent_after_a_procedure_is_not_met(db: Database, coordinator: Actor,
                                              study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    store_eligible(db, pid, {"F.HEM": {"I.HEM.DAT": "2010-01-28"}})
    crit = _criterion(_service(db, coordinator, study).evaluate(pid), "I.ELIG.IN12")
    assert crit.status == "not_met"
    assert crit.sentence.startswith("Consent 2010-02-01 after first study procedure 2010-01-28")


def test_consent_on_the_day_of_the_first_procedure_is_met(
        db: Database, coordinator: Actor, study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    store_eligible(db, pid, {"F.HEM": {"I.HEM.DAT": "2010-02-01"}})
    assert _status(_service(db, coordinator, study).evaluate(pid), "I.ELIG.IN12") == "met"


def test_consent_dates_must_agree_and_exist(db: Database, coordinator: Actor,
                                            study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    store_eligible(db, pid, {"F.IC": {"I.IC.DAT": "2010-02-02"}})
    # the form's later date counts; the first procedure (2010-02-03) still follows it
    crit = _criterion(_service(db, coordinator, study).evaluate(pid), "I.ELIG.IN12")
    assert crit.status == "met" and crit.value == "2010-02-02"
    store_form(db, pid, "F.IC", {"I.IC.DAT": "2010-02-04"})
    assert _status(_service(db, coordinator, study).evaluate(pid), "I.ELIG.IN12") == "not_met"
    other = screened(db, coordinator, consent=None)
    store_eligible(db, other, {"F.IC": {"I.IC.DAT": None}})
    assert _status(_service(db, coordinator, study).evaluate(other), "I.ELIG.IN12") == "missing"


def test_childbearing_potential_decides_the_pregnancy_criteria(
        db: Database, coordinator: Actor, study: StudyDefinition) -> None:
    pid = screened(db, coordinator, sex="F")
    store_eligible(db, pid, {"F.DM": {"I.DM.SEX": "F", "I.DM.CHILDPOT": "Y"},
                             "F.ELIG": {"I.ELIG.EX05": "N"}})
    service = _service(db, coordinator, study)
    assert _status(service.evaluate(pid), "I.ELIG.IN13") == "missing"
    store_form(db, pid, "F.ELIG", {"I.ELIG.IN13": "Y"})
    assert service.evaluate(pid).eligible
    store_form(db, pid, "F.DM", {"I.DM.CHILDPOT": "N"})
    store_form(db, pid, "F.ELIG", {"I.ELIG.IN13": None})
    assert _status(service.evaluate(pid), "I.ELIG.IN13") == "not_applicable"
    # the exclusion 'pregnancy or breastfeeding' applies to women only
    store_form(db, pid, "F.ELIG", {"I.ELIG.EX05": None})
    assert _status(service.evaluate(pid), "I.ELIG.EX05") == "missing"


def test_minor_at_consent_is_not_met(db: Database, coordinator: Actor,
                                     study: StudyDefinition) -> None:
    pid = screened(db, coordinator, birth=dt.date(1992, 2, 2))
    store_eligible(db, pid)
    crit = _criterion(_service(db, coordinator, study).evaluate(pid), "I.ELIG.IN01")
    assert crit.status == "not_met" and crit.value == "17 years"


def test_blocking_reasons_feed_the_randomization_service(
        db: Database, coordinator: Actor, study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    store_eligible(db, pid, {"F.HEM": {"I.HEM.ANC": "0.50"}})
    eligibility = _service(db, coordinator, study)
    rand = RandomizationService(db, coordinator, eligibility=eligibility.blocking_reasons)
    reasons = rand.blocking_reasons(pid)
    assert len(reasons) == 1
    assert reasons[0].startswith("Not met - Absolute neutrophil count: ANC 0.5")
    store_form(db, pid, "F.HEM", {"I.HEM.ANC": "1.20"})
    assert rand.blocking_reasons(pid) == []


def test_other_sites_patients_are_not_visible(db: Database, coordinator: Actor, admin: Actor,
                                              study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    other = make_user(db, admin, "paul", RoleGrant(Role.COORDINATOR, "02"))
    with pytest.raises(PermissionDenied):
        _service(db, other, study).evaluate(pid)


def test_values_saved_through_the_form_service_are_checked(
        db: Database, coordinator: Actor, study: StudyDefinition) -> None:
    pid = screened(db, coordinator)
    for form_oid, values in ELIGIBLE.items():
        if form_oid != "F.HEM":
            store_form(db, pid, form_oid, values)
    forms = FormService(db, coordinator, study, today=dt.date(2010, 3, 1))

    def key(oid: str) -> ValueKey:
        return ValueKey("IG.HEM.MAIN", 1, oid)

    typed = {key("I.HEM.DAT"): "03/02/2010", key("I.HEM.HGB"): "110", key("I.HEM.WBC"): "3,5",
             key("I.HEM.ANC"): "0,8", key("I.HEM.PLT"): "120"}
    saved = forms.save(pid, "SE.SCREEN", 1, "F.HEM", typed, expected_version=0)
    service = _service(db, coordinator, study)
    crit = _criterion(service.evaluate(pid), "I.ELIG.IN07")
    assert crit.status == "not_met" and crit.value == "0.8 x10^9/L"
    forms.save(pid, "SE.SCREEN", 1, "F.HEM", typed | {key("I.HEM.ANC"): "1,2"},
               expected_version=saved.snapshot.version,
               reasons={key("I.HEM.ANC"): "transcription error"})
    assert service.evaluate(pid).eligible
