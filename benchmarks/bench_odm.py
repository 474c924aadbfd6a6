"""ODM 1.3.2 export of a large trial: time and peak memory against a bare lxml baseline.

Builds a trial of ``--patients`` patients (default 1,000) with ``--forms`` saved forms of
stored values each, every value with its audit record, then compares:

* ``export_odm``: the application's archival export (metadata, admin data, every value with
  its history and audit record, the rest of the audit trail), streamed with lxml's
  incremental writer;
* baseline: a bare loop over the same item values with ``lxml.etree.xmlfile`` writing only
  ``SubjectData/StudyEventData/FormData/ItemGroupData/ItemData`` with their values (no
  metadata, no audit records) - the least any exporter of these values must do.

Peak memory is measured with ``tracemalloc`` (Python allocations, lxml's C buffers are not
counted) for both, and the resident set growth (``ru_maxrss``) is reported. Exit code 0 when
the export is valid against the ODM 1.3.2 XSD (if odmlib is installed) and its peak
traced memory stays under ``--max-peak-mb``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from lxml import etree
from sqlalchemy import select

from ctrial_desktop.exchange.odm import ODM_NS, export_odm
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.audit import AuditContext
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Site
from ctrial_desktop.study import StudyDefinition, load_study

FORMS = ("F.HEM", "F.CHEM", "F.DA", "F.ECOG", "F.DM", "F.MH")


def _value(item_type: str, codes: list[str], rng: random.Random) -> str | None:
    if item_type in ("integer",):
        return str(rng.randint(1, 400))
    if item_type in ("decimal", "computed"):
        return f"{rng.uniform(0.1, 300):.1f}"
    if item_type in ("date", "partial_date"):
        return (dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(700))).isoformat()
    if item_type == "yes_no":
        return rng.choice(["yes", "no"])
    if item_type == "choice":
        return rng.choice(codes)
    if item_type in ("text", "long_text"):
        return "texte libre é"
    return None


def build(db: Database, study: StudyDefinition, patients: int, forms: int, seed: int) -> int:
    build_demo(db, patients=patients, sites=6, seed=seed, screen_failure_rate=0.0,
               clinical=False)
    rng = random.Random(seed)
    chosen = [study.form(oid) for oid in FORMS[:forms]]
    stored = 0
    with db.read() as s:
        rows = s.execute(select(Patient.id, Site.code).join(Site)).all()
    for patient_id, code in rows:
        ctx = AuditContext(None, f"coord{code}", "coordinator", code, "bench")
        with db.write() as s:
            for form in chosen:
                record = FormData(patient_id=patient_id, event_oid="SE.SCREEN", event_repeat=1,
                                  form_oid=form.oid, form_version=form.version,
                                  status="complete", signed=False, locked=False,
                                  verified=False, active=True, version=1,
                                  updated_at=dt.datetime(2010, 3, 1))
                db.audit.insert(s, ctx, record)
                for group, item in form.iter_items():
                    codes = ([str(c) for c in study.codelist(item.codelist).codes]
                             if item.codelist else [])
                    value = _value(item.value_type, codes, rng)
                    if value is None:
                        continue
                    db.audit.insert(s, ctx, ItemValue(
                        form_data_id=record.id, item_group_oid=group.oid, group_repeat=1,
                        item_oid=item.oid, value=value, active=True))
                    stored += 1
    return stored


def baseline(db: Database, out: Path) -> None:
    """Bare lxml loop: the same item values, no metadata and no audit trail."""
    q = f"{{{ODM_NS}}}"
    query = (select(Patient.patient_number, FormData.event_oid, FormData.form_oid,
                    ItemValue.item_group_oid, ItemValue.item_oid, ItemValue.value)
             .join(FormData, FormData.patient_id == Patient.id)
             .join(ItemValue, ItemValue.form_data_id == FormData.id)
             .order_by(Patient.id, FormData.id, ItemValue.id)
             .execution_options(yield_per=2000))
    with etree.xmlfile(str(out), encoding="utf-8") as xf, \
            xf.element(q + "ODM", nsmap={None: ODM_NS}), xf.element(q + "ClinicalData"), \
            db.read() as s:
        current = None
        subject = form_el = group_el = group_oid = None
        for number, event, form, group, item, value in s.execute(query):
            if (number, form) != current:
                if subject is not None:
                    xf.write(subject)
                current = (number, form)
                subject = etree.Element(q + "SubjectData", SubjectKey=number)
                event_el = etree.SubElement(subject, q + "StudyEventData", StudyEventOID=event)
                form_el = etree.SubElement(event_el, q + "FormData", FormOID=form)
                group_oid = None
            if group != group_oid:
                group_el = etree.SubElement(form_el, q + "ItemGroupData", ItemGroupOID=group)
                group_oid = group
            etree.SubElement(group_el, q + "ItemData", ItemOID=item, Value=value)
        if subject is not None:
            xf.write(subject)


def measure(func: Callable[[], object]) -> tuple[float, float]:
    """Wall time of a plain run, then peak traced memory of a second run (tracemalloc slows)."""
    started = time.perf_counter()
    func()
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    func()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return elapsed, peak / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--forms", type=int, default=4, help=f"forms per patient (<= {len(FORMS)})")
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--max-peak-mb", type=float, default=60.0)
    args = parser.parse_args()
    study = load_study(forms_dir())
    with tempfile.TemporaryDirectory(prefix="bench-odm-") as folder:
        root = Path(folder)
        db = open_database(f"sqlite:///{root / 'bench.sqlite3'}")
        started = time.perf_counter()
        values = build(db, study, args.patients, args.forms, args.seed)
        print(f"built {args.patients} patients, {values} stored values "
              f"in {time.perf_counter() - started:.1f} s")
        dm = AuthService(db).login("dm", DEMO_PASSWORD)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t_base, m_base = measure(lambda: baseline(db, root / "baseline.xml"))
        # export_odm replaces its file atomically, so the second (traced) run overwrites it.
        t_odm, m_odm = measure(lambda: export_odm(db, dm, study, root / "odm.xml"))
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size_odm = (root / "odm.xml").stat().st_size / 1e6
        size_base = (root / "baseline.xml").stat().st_size / 1e6
        print(f"{'':24}{'time s':>9}{'peak MB':>10}{'file MB':>10}")
        print(f"{'bare lxml loop':24}{t_base:9.2f}{m_base:10.1f}{size_base:10.1f}")
        print(f"{'export_odm (archival)':24}{t_odm:9.2f}{m_odm:10.1f}{size_odm:10.1f}")
        print(f"time ratio {t_odm / t_base:.1f}x; resident set growth during both "
              f"{(rss_after - rss_before) / 1024:.1f} MB")
        ok = m_odm <= args.max_peak_mb
        try:
            import odmlib

            xsd = Path(odmlib.__file__).parent / "schemas/odm/1.3.2/ODM1-3-2.xsd"
            schema = etree.XMLSchema(etree.parse(str(xsd)))
            valid = schema.validate(etree.parse(str(root / "odm.xml")))
            print(f"valid against the ODM 1.3.2 XSD: {valid}")
            ok = ok and valid
        except ImportError as exc:
            print(f"XSD validation skipped: {exc}")
        db.dispose()
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
