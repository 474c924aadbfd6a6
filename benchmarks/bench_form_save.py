"""Opening and saving a cycle form on a 1,000-patient x 12-cycle database, against a bare
SQLAlchemy Core insert of the same values, in the same run.

The database: the 84-patient demo trial (built once, cached like ``bench_casebook.py``),
copied, then its patient with the most cycles (12) is cloned with plain SQL until the
trial has 1,000 patients, each with the same 12 cycles of forms (about 1,000 x 150
form instances and 2 million stored values). The clones have no audit trail of their
own, which changes nothing for the save being timed.

For each of ``--samples`` cloned patients (chosen at random) the cycle-12 form of the
case is deleted first (plain SQL), then, timed:

* **open**: ``FormService.open`` of the (now empty) form, as the editor does;
* **save**: ``FormService.save`` of the template's values for that form: validation,
  edit and cross-form checks, the values, the form's state and one hash-chained audit
  record per value, in one transaction;
* **bare**: a SQLAlchemy Core insert of the same form row and values in one
  transaction (``engine.begin()``, one ``executemany``), into another patient's
  deleted form.

Cases: the pomalidomide dosing form (a daily row per day taken: 21 for the days 1-21 arm
of the template patient) and the haematology form. Prints
the medians (ms) and the ratio save / bare (target <= 3).

Run from the project root: ``python benchmarks/bench_form_save.py [--samples 30]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_casebook import demo_database
from sqlalchemy import delete, func, insert, select, text

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import FormData, ItemValue, Patient
from ctrial_desktop.study import load_study

CASES = (("F.POM", "pomalidomide dosing"), ("F.HEM", "haematology"))
CYCLE = "SE.CYCLE"


def template_patient(db: Database, wanted: int = 12) -> tuple[int, int]:
    """The patient whose number of cycles is nearest ``wanted``, and that number."""
    with db.read() as s:
        rows = s.execute(
            select(FormData.patient_id, func.max(FormData.event_repeat))
            .where(FormData.event_oid == CYCLE).group_by(FormData.patient_id)).all()
    pid, cycles = min(rows, key=lambda r: (abs(r[1] - wanted), r[0]))
    return int(pid), int(cycles)


def clone_patients(db: Database, template: int, total: int) -> list[int]:
    """Copies of ``template`` (patient row, forms and values) until ``total`` patients."""
    with db.write() as s:
        count = s.scalar(select(func.count(Patient.id))) or 0
        site_id, sequence = s.execute(
            select(Patient.site_id, func.max(Patient.sequence))
            .where(Patient.site_id == select(Patient.site_id).where(Patient.id == template)
                   .scalar_subquery()).group_by(Patient.site_id)).one()
        code = s.execute(text("SELECT code FROM site WHERE id = :i"), {"i": site_id}).scalar()
        clones: list[int] = []
        for n in range(total - count):
            seq = sequence + 1 + n
            new = s.execute(text(
                "INSERT INTO patient (site_id, sequence, patient_number, initials, birth_date,"
                " birth_year, sex, consent_date, status, screen_fail_reason, arm, locked,"
                " active, created_at) SELECT site_id, :seq, :number, initials, birth_date,"
                " birth_year, sex, consent_date, status, screen_fail_reason, arm, locked,"
                " active, created_at FROM patient WHERE id = :t RETURNING id"),
                {"seq": seq, "number": f"{code}-{seq:04d}", "t": template}).scalar_one()
            s.execute(text(
                "INSERT INTO form_data (patient_id, event_oid, event_repeat, visit_day,"
                " form_oid, form_version, status, signed, locked, verified, active, version,"
                " updated_at) SELECT :new, event_oid, event_repeat, visit_day, form_oid,"
                " form_version, status, 0, 0, 0, active, version, updated_at FROM form_data"
                " WHERE patient_id = :t"),
                {"new": new, "t": template})
            s.execute(text(
                "INSERT INTO item_value (form_data_id, item_group_oid, group_repeat, item_oid,"
                " value, active) SELECT nf.id, iv.item_group_oid, iv.group_repeat,"
                " iv.item_oid, iv.value, iv.active FROM item_value iv"
                " JOIN form_data tf ON iv.form_data_id = tf.id AND tf.patient_id = :t"
                " JOIN form_data nf ON nf.patient_id = :new AND nf.event_oid = tf.event_oid"
                " AND nf.event_repeat = tf.event_repeat AND nf.visit_day = tf.visit_day"
                " AND nf.form_oid = tf.form_oid"),
                {"new": new, "t": template})
            clones.append(int(new))
    return clones


def remove_form(db: Database, patient: int, repeat: int, form: str) -> None:
    with db.write() as s:
        ids = select(FormData.id).where(
            FormData.patient_id == patient, FormData.event_oid == CYCLE,
            FormData.event_repeat == repeat, FormData.form_oid == form).scalar_subquery()
        s.execute(delete(ItemValue).where(ItemValue.form_data_id.in_(ids)))
        s.execute(delete(FormData).where(FormData.id.in_(ids)))


def bare_insert(db: Database, patient: int, repeat: int, form: str, version: str,
                values: dict[ValueKey, str]) -> float:
    """Seconds for the Core insert of the form row and its values, in one transaction."""
    began = time.perf_counter()
    with db.engine.begin() as conn:
        form_id = conn.execute(insert(FormData).returning(FormData.id), {
            "patient_id": patient, "event_oid": CYCLE, "event_repeat": repeat,
            "form_oid": form, "form_version": version, "status": "complete", "signed": False,
            "locked": False, "verified": False, "active": True, "version": 1,
            "updated_at": dt.datetime.now()}).scalar_one()
        conn.execute(insert(ItemValue), [
            {"form_data_id": form_id, "item_group_oid": k.group_oid, "group_repeat": k.repeat,
             "item_oid": k.item_oid, "value": v, "active": True} for k, v in values.items()])
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path,
                        default=Path(tempfile.gettempdir()) / "ctrial-bench" /
                        "demo-84-casebook.sqlite3", help="84-patient demo (built when missing)")
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.demo.parent.mkdir(parents=True, exist_ok=True)
    demo_database(args.demo).dispose()
    with tempfile.TemporaryDirectory(prefix="ctrial-bench-save-") as folder:
        path = Path(folder) / "trial.sqlite3"
        shutil.copyfile(args.demo, path)
        db = open_database(f"sqlite:///{path}")
        try:
            return run(db, args)
        finally:
            db.dispose()


def run(db: Database, args: argparse.Namespace) -> int:
    template, cycles = template_patient(db)
    began = time.perf_counter()
    clones = clone_patients(db, template, args.patients)
    with db.read() as s:
        patients = s.scalar(select(func.count(Patient.id)))
        forms = s.scalar(select(func.count(FormData.id)))
        values = s.scalar(select(func.count(ItemValue.id)))
    print(f"database: {patients} patients, {forms} forms, {values} values "
          f"(template with {cycles} cycles cloned in {time.perf_counter() - began:.0f} s)")
    study = load_study(forms_dir())
    with db.read() as s:  # the coordinator of the template's site enters the data
        code = s.execute(text("SELECT site.code FROM site JOIN patient ON patient.site_id ="
                              " site.id WHERE patient.id = :t"), {"t": template}).scalar_one()
    actor = AuthService(db).login(f"coord{code}", DEMO_PASSWORD)
    service = FormService(db, actor, study)
    rng = random.Random(args.seed)
    sample = rng.sample(clones, min(2 * args.samples, len(clones)))
    saved, bare_targets = sample[:args.samples], sample[args.samples:]
    print(f"{'form':<34}{'values':>7}{'open ms':>9}{'save ms':>9}{'bare ms':>9}{'save/bare':>10}")
    ok = True
    for form, label in CASES:
        stored = service.open(template, CYCLE, cycles, form)
        values = dict(stored.values)
        rows = max((k.repeat for k in values if k.repeat > 1), default=0)
        if rows:
            label = f"{label} ({rows} daily rows)"
        opened: list[float] = []
        saves: list[float] = []
        bares: list[float] = []
        for patient, other in zip(saved, bare_targets, strict=False):
            remove_form(db, patient, cycles, form)
            remove_form(db, other, cycles, form)
            t0 = time.perf_counter()
            snapshot = service.open(patient, CYCLE, cycles, form)
            t1 = time.perf_counter()
            service.save(patient, CYCLE, cycles, form, values,
                         expected_version=snapshot.version)
            t2 = time.perf_counter()
            opened.append(t1 - t0)
            saves.append(t2 - t1)
            bares.append(bare_insert(db, other, cycles, form, stored.form_version, values))
        save, bare = statistics.median(saves), statistics.median(bares)
        ratio = save / bare
        ok &= ratio <= 3
        print(f"{label:<34}{len(values):>7}{statistics.median(opened) * 1000:>9.1f}"
              f"{save * 1000:>9.1f}{bare * 1000:>9.1f}{ratio:>10.2f}")
    print("target: save / bare <= 3 " + ("(met)" if ok else "(NOT met)"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
