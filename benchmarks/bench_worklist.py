"""The to-do list (home screen) of a coordinator, an investigator and a monitor on a site
of 1,000 patients with 12 cycles each, against the bare queries it is built from.

The database: the 84-patient demo trial (built once, cached like ``bench_casebook.py``),
its 12-cycle patient cloned with plain SQL until its site holds ``--patients`` patients
(see ``bench_form_save.py``). Timed, medians of ``--repeat``:

* ``WorklistService.items()`` for ``coord<site>``, ``inv<site>`` and ``monitor``;
* **bare**: the same rows read with SQLAlchemy Core and nothing computed (the item values
  of the forms the rules read, the queries and the unsigned forms of the site).

Run from the project root: ``python benchmarks/bench_worklist.py [--patients 1000]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_casebook import demo_database
from bench_form_save import clone_patients, template_patient
from sqlalchemy import or_, select, text

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD
from ctrial_desktop.services.worklist import WorklistService
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import FormData, ItemValue, Patient
from ctrial_desktop.store.models_review import Query
from ctrial_desktop.study import load_study


def bare(db: Database, site_id: int) -> int:
    with db.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(Patient.id).where(Patient.site_id == site_id))]
        rows = conn.execute(
            select(FormData.patient_id, ItemValue.item_oid, ItemValue.value)
            .join(ItemValue, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id.in_(ids), FormData.form_oid.in_(
                ("F.POM", "F.EOT", "F.FU", "F.AE", "F.HEM", "F.CHEM")),
                or_(FormData.form_oid != "F.POM", ItemValue.item_oid == "I.POM.STARTDAT"))
        ).all()
        conn.execute(select(Query.id).where(Query.patient_id.in_(ids))).all()
        conn.execute(select(FormData.id).where(FormData.patient_id.in_(ids),
                                               FormData.signed.is_(False))).all()
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path,
                        default=Path(tempfile.gettempdir()) / "ctrial-bench" /
                        "demo-84-casebook.sqlite3")
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    args.demo.parent.mkdir(parents=True, exist_ok=True)
    demo_database(args.demo).dispose()
    study = load_study(forms_dir())
    with tempfile.TemporaryDirectory(prefix="ctrial-bench-todo-") as folder:
        path = Path(folder) / "trial.sqlite3"
        shutil.copyfile(args.demo, path)
        db = open_database(f"sqlite:///{path}")
        try:
            template, _cycles = template_patient(db)
            clone_patients(db, template, args.patients)
            with db.read() as s:
                site_id, code = s.execute(text(
                    "SELECT site.id, site.code FROM site JOIN patient ON patient.site_id ="
                    " site.id WHERE patient.id = :t"), {"t": template}).one()
                at_site = s.execute(text("SELECT count(*) FROM patient WHERE site_id = :s"),
                                    {"s": site_id}).scalar_one()
            print(f"site {code}: {at_site} patients")
            bare_times = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                bare(db, site_id)
                bare_times.append(time.perf_counter() - began)
            reference = statistics.median(bare_times)
            print(f"{'user':<12}{'items':>7}{'median s':>10}{'x bare':>8}   categories")
            for user in (f"coord{code}", f"inv{code}", "monitor"):
                service = WorklistService(db, AuthService(db).login(user, DEMO_PASSWORD), study)
                times, items = [], []
                for _ in range(args.repeat):
                    began = time.perf_counter()
                    items = service.items()
                    times.append(time.perf_counter() - began)
                median = statistics.median(times)
                counts = dict(Counter(i.category for i in items))
                print(f"{user:<12}{len(items):>7}{median:>10.2f}{median / reference:>8.1f}   "
                      f"{counts}")
            print(f"{'bare reads':<12}{'':>7}{reference:>10.2f}")
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
