"""Clinical summary service: IMWG response, dose intensity and dose advice from stored forms."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ctrial_desktop.domain.dosing import Action as DoseAction
from ctrial_desktop.exchange.csv_export import export_csv
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.clinical import (
    ClinicalService,
    dose_records,
    evaluate_forms,
    imwg_inputs,
)
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.errors import NotFound, PermissionDenied
from ctrial_desktop.services.export import ExportService, StoredForm
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import Patient, Site
from ctrial_desktop.study import StudyDefinition, load_study

Trial = tuple[Database, Actor, StudyDefinition, list[tuple[int, str, str | None]]]


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Trial]:
    db = open_database(f"sqlite:///{tmp_path_factory.mktemp('clin') / 'demo.sqlite3'}")
    build_demo(db, patients=3, sites=1, clinical=True, screen_failure_rate=0.0)
    actor = AuthService(db).login("dm", DEMO_PASSWORD)
    with db.read() as session:
        patients = [(int(i), str(n), a) for i, n, a in session.execute(
            select(Patient.id, Patient.patient_number, Patient.arm)
            .join(Site, Patient.site_id == Site.id).order_by(Patient.sequence))]
    yield db, actor, load_study(forms_dir()), patients
    db.dispose()


def _da(event: str, repeat: int, day: dt.date, smp: float) -> StoredForm:
    values = {("IG.DA.MAIN", 1, "I.DA.DAT"): day.isoformat(),
              ("IG.DA.MAIN", 1, "I.DA.SPEP_DONE"): "Y",
              ("IG.DA.MAIN", 1, "I.DA.SMP"): str(smp)}
    return StoredForm(1, event, repeat, "F.DA", "SAVED", values)


def test_no_stored_assessment_gives_not_evaluable() -> None:
    assert imwg_inputs([]) == "no screening disease assessment"
    result, count, base, note = evaluate_forms([_da("SE.SCREEN", 1, dt.date(2010, 1, 4), 30)])
    assert (result, count, base) == (None, 0, dt.date(2010, 1, 4))
    assert note == "no disease assessment after baseline"


def test_partial_response_is_confirmed_by_the_next_assessment() -> None:
    forms = [_da("SE.SCREEN", 1, dt.date(2010, 1, 4), 30.0),
             _da("SE.CYCLE", 2, dt.date(2010, 2, 1), 12.0),
             _da("SE.CYCLE", 3, dt.date(2010, 3, 1), 11.0)]
    result, count, _base, note = evaluate_forms(forms)
    assert result is not None and note == "" and count == 2
    assert [a.response.name if a.response else None for a in result.assessments] == ["PR", "PR"]
    assert result.assessments[0].confirmed
    assert result.best_overall_response.name == "PR"
    assert result.best_response_date == dt.date(2010, 2, 1)
    unconfirmed, *_ = evaluate_forms(forms[:2])
    assert unconfirmed is not None and not unconfirmed.assessments[0].confirmed
    assert unconfirmed.best_overall_response.name != "PR"


def test_dose_records_count_a_dose_not_taken_as_zero() -> None:
    values = {("IG.POM.DAY", 1, "I.POM.DAY"): "1", ("IG.POM.DAY", 1, "I.POM.DOSE"): "4",
              ("IG.POM.DAY", 1, "I.POM.STATUS"): "TAKEN",
              ("IG.POM.DAY", 2, "I.POM.DAY"): "2", ("IG.POM.DAY", 2, "I.POM.STATUS"): "NOT_TAKEN"}
    records, cycles = dose_records([StoredForm(1, "SE.CYCLE", 3, "F.POM", "SAVED", values)],
                                   "pomalidomide")
    assert cycles == [3]
    assert [(r.cycle, r.day, r.dose_mg) for r in records] == [(3, 1, 4.0), (3, 2, 0.0)]


def test_response_agrees_with_the_csv_export(trial: Trial, tmp_path: Path) -> None:
    db, actor, study, patients = trial
    out = export_csv(db, actor, study, tmp_path / "export.zip").path
    with zipfile.ZipFile(out) as archive:
        text = archive.read("derived/best_response.csv").decode("utf-8")
    exported = {row["SUBJID"]: row for row in csv.DictReader(io.StringIO(text))}
    service = ClinicalService(db, actor, study)
    randomized = [(pid, number) for pid, number, arm in patients if arm is not None]
    assert randomized
    for pid, number in randomized:
        summary = service.response(pid)
        row = exported[number]
        assert (row["BEST_RESPONSE"] or "NE") == summary.best_response
        assert row["BEST_RESPONSE_DATE"] == (summary.best_response_date.isoformat()
                                             if summary.best_response_date else "")
        assert row["IMWG_PROGRESSION_DATE"] == (summary.progression_date.isoformat()
                                                if summary.progression_date else "")
        assert int(row["ASSESSMENTS"]) == len(summary.assessments)
        assert all(a.visit and a.date > summary.baseline_date for a in summary.assessments
                   if summary.baseline_date)


def test_dose_intensity_per_cycle_and_cumulative(trial: Trial) -> None:
    db, actor, study, patients = trial
    service = ClinicalService(db, actor, study)
    pid = next(pid for pid, _n, arm in patients if arm is not None)
    rows = service.dose_intensity(pid)
    for drug in ("pomalidomide", "dexamethasone"):
        mine = [r for r in rows if r.drug == drug]
        assert mine and mine[-1].cycle is None
        cycles = mine[:-1]
        assert [r.cycle for r in cycles] == sorted(r.cycle for r in cycles if r.cycle)
        total = mine[-1]
        assert total.delivered_mg == pytest.approx(sum(r.delivered_mg for r in cycles))
        assert total.planned_mg == pytest.approx(sum(r.planned_mg for r in cycles))
        assert total.rdi_percent == pytest.approx(100 * total.delivered_mg / total.planned_mg)
        assert all(r.rdi_percent is not None and 0 <= r.rdi_percent <= 100 for r in mine)


def test_dose_advice_uses_the_stored_levels_and_labs(trial: Trial) -> None:
    db, actor, study, patients = trial
    service = ClinicalService(db, actor, study)
    seen = 0
    for pid, _number, arm in patients:
        if arm is None:
            continue
        seen += 1
        result = service.dose_advice(pid)
        assert result.inputs.arm == arm
        assert result.inputs.pomalidomide_mg in (4.0, 3.0, 2.0, 1.0)
        assert result.inputs.dexamethasone_mg in (40.0, 20.0, 10.0)
        assert result.inputs.anc is not None and result.inputs.platelets is not None
        assert result.inputs.haematology_date is not None
        if result.advice is None:
            assert result.treatment_ended is not None
            continue
        assert result.treatment_ended is None
        for advice in (result.advice.pomalidomide, result.advice.dexamethasone):
            assert isinstance(advice.action, DoseAction)
            assert advice.rules
    assert seen


def test_permission_and_unknown_patient(trial: Trial) -> None:
    db, _actor, study, patients = trial
    admin = AuthService(db).login("admin", DEMO_PASSWORD)
    with pytest.raises(PermissionDenied):
        ClinicalService(db, admin, study).response(patients[0][0])
    with pytest.raises(NotFound):
        ClinicalService(db, _actor, study).response(10_000)


def _on_treatment(monkeypatch: pytest.MonkeyPatch, extra: list[StoredForm]) -> None:
    """Stored forms as read, without the end-of-treatment form and with ``extra`` forms."""
    original = ExportService.forms

    def forms(self: ExportService, patient_ids: list[int]) -> Iterator[StoredForm]:
        for form in original(self, patient_ids):
            if form.form_oid != "F.EOT":
                yield form
        yield from (dataclasses.replace(f, patient_id=patient_ids[0]) for f in extra)

    monkeypatch.setattr(ExportService, "forms", forms)


def test_dose_advice_follows_the_latest_stored_levels(trial: Trial,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db, actor, study, patients = trial
    _on_treatment(monkeypatch, [])
    reader = ExportService(db, actor)
    service = ClinicalService(db, actor, study)
    for pid, _number, arm in patients:
        if arm is None:
            continue
        stored = list(reader.forms([pid]))
        pom = max((f for f in stored if f.form_oid == "F.POM"), key=lambda f: f.event_repeat)
        result = service.dose_advice(pid)
        assert result.advice is not None and result.treatment_ended is None
        assert result.inputs.pomalidomide_mg == float(
            next(v for (_g, _r, i), v in pom.values.items() if i == "I.POM.LEVEL"))
        assert result.advice.pomalidomide.next_level_mg is not None


def test_low_neutrophils_and_an_open_severe_event_interrupt_pomalidomide(
        trial: Trial, monkeypatch: pytest.MonkeyPatch) -> None:
    db, actor, study, patients = trial
    hem = StoredForm(0, "SE.UNSCHED", 1, "F.HEM", "SAVED", {
        ("IG.HEM.MAIN", 1, "I.HEM.DAT"): "2030-01-02", ("IG.HEM.MAIN", 1, "I.HEM.ANC"): "0.4",
        ("IG.HEM.MAIN", 1, "I.HEM.PLT"): "150"})
    ae = StoredForm(0, "SE.AELOG", 9, "F.AE", "SAVED", {
        ("IG.AE.ROW", 1, "I.AE.TERM"): "10042033", ("IG.AE.ROW", 1, "I.AE.GRADE"): "2",
        ("IG.AE.ROW", 1, "I.AE.STARTDAT"): "2030-01-01",
        ("IG.AE.ROW", 1, "I.AE.REL_POM"): "PROBABLE",
        ("IG.AE.ROW", 1, "I.AE.REL_DEX"): "NOT_RELATED",
        ("IG.AE.ROW", 2, "I.AE.TERM"): "10042033", ("IG.AE.ROW", 2, "I.AE.GRADE"): "4",
        ("IG.AE.ROW", 2, "I.AE.STARTDAT"): "2029-01-01",
        ("IG.AE.ROW", 2, "I.AE.STOPDAT"): "2029-02-01"})
    service = ClinicalService(db, actor, study)
    pid = next(pid for pid, _n, arm in patients if arm is not None)
    _on_treatment(monkeypatch, [hem])
    result = service.dose_advice(pid)
    assert (result.inputs.anc, result.inputs.platelets) == (0.4, 150.0)
    assert result.inputs.haematology_date == dt.date(2030, 1, 2)
    assert result.advice is not None
    assert result.advice.pomalidomide.action == DoseAction.INTERRUPT
    _on_treatment(monkeypatch, [ae])
    result = service.dose_advice(pid)
    opened = [e for e in result.inputs.open_adverse_events if e.term == "Stevens-Johnson syndrome"]
    assert [(e.grade, e.related_pomalidomide, e.related_dexamethasone) for e in opened] == [
        (2, True, False)]
    assert result.advice is not None
    assert result.advice.pomalidomide.action == DoseAction.DISCONTINUE
    assert result.advice.pomalidomide.next_level_mg is None


def test_dose_advice_reads_the_latest_blood_count_of_any_cycle_day(
        trial: Trial, monkeypatch: pytest.MonkeyPatch) -> None:
    db, actor, study, patients = trial

    def count(day: int, date: str, anc: str) -> StoredForm:
        return StoredForm(0, "SE.CYCLE", 2, "F.HEM", "SAVED", {
            ("IG.HEM.MAIN", 1, "I.HEM.DAT"): date, ("IG.HEM.MAIN", 1, "I.HEM.ANC"): anc,
            ("IG.HEM.MAIN", 1, "I.HEM.PLT"): "140"}, visit_day=day)

    service = ClinicalService(db, actor, study)
    pid = next(pid for pid, _n, arm in patients if arm is not None)
    # Day 15 was sampled last (day 22 is stored but was sampled earlier by mistake).
    _on_treatment(monkeypatch, [count(1, "2030-01-01", "2.10"), count(15, "2030-01-15", "0.30"),
                                count(8, "2030-01-08", "1.20"), count(22, "2030-01-14", "0.90")])
    result = service.dose_advice(pid)
    assert result.inputs.haematology_date == dt.date(2030, 1, 15)
    assert result.inputs.anc == 0.3
    assert result.advice is not None
    assert result.advice.pomalidomide.action == DoseAction.INTERRUPT
