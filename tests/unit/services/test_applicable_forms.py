"""Forms with an ``applicable_if`` condition: not applicable only when definitely false."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.forms import FormService
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue, Patient
from ctrial_desktop.study import StudyDefinition, load_study
from tests.unit.conftest import demo_copy

PREGNANCY = {("SE.SCREEN", "F.PREG"), ("SE.CYCLE", "F.PREG")}


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(forms_dir())


@pytest.fixture
def db(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Iterator[Database]:
    yield from demo_copy(tmp_path_factory, tmp_path, "applicable", patients=4, sites=2, seed=21)


def _service(db: Database, study: StudyDefinition, username: str = "dm") -> FormService:
    return FormService(db, AuthService(db).login(username, DEMO_PASSWORD), study)


def _dm_value(db: Database, patient_id: int, item: str) -> tuple[int, str | None] | None:
    with db.read() as s:
        row = s.execute(select(ItemValue.id, ItemValue.value).join(FormData).where(
            FormData.patient_id == patient_id, FormData.form_oid == "F.DM",
            ItemValue.item_oid == item, ItemValue.active.is_(True))).first()
    return (row[0], row[1]) if row else None


def _set(db: Database, value_id: int, value: str) -> None:
    with db.write() as s:
        s.execute(update(ItemValue).where(ItemValue.id == value_id).values(value=value))


def _patients(db: Database) -> list[int]:
    with db.read() as s:
        return list(s.scalars(select(Patient.id).order_by(Patient.id)))


def test_the_pregnancy_test_is_not_applicable_to_men(db: Database,
                                                     study: StudyDefinition) -> None:
    service = _service(db, study)
    men = [p for p in _patients(db) if (_dm_value(db, p, "I.DM.SEX") or (0, ""))[1] == "M"]
    assert men, "the demo has men"
    for patient in men:
        assert service.not_applicable(patient) == PREGNANCY


def test_women_need_it_only_when_of_childbearing_potential(db: Database,
                                                           study: StudyDefinition) -> None:
    service = _service(db, study)
    patient = _patients(db)[0]
    sex = _dm_value(db, patient, "I.DM.SEX")
    assert sex is not None
    _set(db, sex[0], "F")
    childpot = _dm_value(db, patient, "I.DM.CHILDPOT")
    if childpot is None:  # hidden for a man: enter it as the woman's answer would be
        with db.write() as s:
            form_id = s.scalar(select(FormData.id).where(FormData.patient_id == patient,
                                                         FormData.form_oid == "F.DM"))
            s.add(ItemValue(form_data_id=form_id, item_group_oid="IG.DM.MAIN", group_repeat=1,
                            item_oid="I.DM.CHILDPOT", value="Y", active=True))
        childpot = _dm_value(db, patient, "I.DM.CHILDPOT")
    assert childpot is not None
    _set(db, childpot[0], "Y")
    assert service.not_applicable(patient) == frozenset()
    _set(db, childpot[0], "N")
    assert service.not_applicable(patient) == PREGNANCY


def test_nothing_entered_yet_leaves_the_form_applicable(db: Database,
                                                        study: StudyDefinition) -> None:
    actor = AuthService(db).login("coord01", DEMO_PASSWORD)
    patient = PatientService(db, actor).screen_patient(
        "01", "NE", "M", birth_date=dt.date(1950, 1, 1), consent_date=dt.date(2010, 1, 4))
    assert FormService(db, actor, study).not_applicable(patient.id) == frozenset()


def test_another_sites_patient_is_refused(db: Database, study: StudyDefinition) -> None:
    with db.read() as s:
        other = s.scalar(select(Patient.id).where(~Patient.patient_number.startswith("01-")))
    assert other is not None
    with pytest.raises(PermissionDenied):
        _service(db, study, "coord01").not_applicable(other)


def test_a_save_reads_only_the_other_forms_items_its_expressions_use(
        study: StudyDefinition) -> None:
    """The values of other forms a save loads: those named by its visibility conditions,
    edit checks and computed items (the creatinine clearance of the chemistry form needs
    the age and sex of the demographics), nothing else."""
    from ctrial_desktop.services.forms import _outside_inputs

    assert _outside_inputs(study.form("F.CHEM")) == ("I.DM.AGE", "I.DM.SEX")
    assert _outside_inputs(study.form("F.ELIG")) == ("I.DM.CHILDPOT", "I.DM.SEX")
    assert _outside_inputs(study.form("F.HEM")) == ()
