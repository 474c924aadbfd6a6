"""Central import of a site's transfer file of 1,000 patients: time and peak memory.

Builds one site of ``--patients`` patients (default 1,000) with ``--forms`` saved forms of
stored values each (the data of ``bench_odm.py``, all at site 01), writes its transfer file
(``export_transfer``) and imports it into an empty central database, then measures:

* baseline: a bare ``lxml.etree.iterparse`` pass over the same file (every element cleared),
  the least any streamed reader of the file must do;
* ``import_transfer`` into the empty central database: checksum, audit chain recomputed,
  site audit records kept, every patient, form and value inserted with central's audit
  records (peak traced memory from a second import into another empty database);
* the same file imported again: recognised by its SHA-256 and skipped;
* a second transfer after a few changes at the site: the chain continuity check and the
  three-way merge of every row;
* central's ODM export of the site (every imported value's history written from the site's
  own audit records) against the site's own ODM export: same number of ItemData and
  signatures, and the time of each.

Exit code 0 when the import's peak traced memory stays under ``--max-peak-mb``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from contextlib import closing
from pathlib import Path

from bench_odm import FORMS, _value
from lxml import etree
from sqlalchemy import select

from ctrial_desktop.exchange.odm import export_odm
from ctrial_desktop.exchange.transfer import export_transfer, import_transfer
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.audit import AuditContext
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import FormData, ItemValue, Patient
from ctrial_desktop.study import StudyDefinition, load_study


def build(db: Database, study: StudyDefinition, patients: int, forms: int, seed: int) -> int:
    build_demo(db, patients=patients, sites=1, seed=seed, screen_failure_rate=0.0,
               clinical=False)
    rng = random.Random(seed)
    chosen = [study.form(oid) for oid in FORMS[:forms]]
    ctx = AuditContext(None, "coord01", "coordinator", "01", "bench")
    stored = 0
    with db.read() as s:
        ids = list(s.scalars(select(Patient.id)))
    for patient_id in ids:
        with db.write() as s:
            for form in chosen:
                record = FormData(patient_id=patient_id, event_oid="SE.SCREEN", event_repeat=1,
                                  form_oid=form.oid, form_version=form.version,
                                  status="complete", signed=False, locked=False,
                                  verified=False, active=True, version=1,
                                  updated_at=dt.datetime(2010, 3, 1))
                db.audit.insert(s, ctx, record)
                rows = []
                for group, item in form.iter_items():
                    codes = ([str(c) for c in study.codelist(item.codelist).codes]
                             if item.codelist else [])
                    value = _value(item.value_type, codes, rng)
                    if value is not None:
                        rows.append((ItemValue(form_data_id=record.id, item_group_oid=group.oid,
                                               group_repeat=1, item_oid=item.oid, value=value,
                                               active=True), ""))
                db.audit.insert_many(s, ctx, rows)
                stored += len(rows)
    return stored


def bare_parse(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for _event, element in etree.iterparse(handle, events=("end",), huge_tree=True):
            count += 1
            element.clear(keep_tail=True)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]
    return count


def copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--forms", type=int, default=4, help=f"forms per patient (<= {len(FORMS)})")
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--max-peak-mb", type=float, default=150.0)
    args = parser.parse_args()
    study = load_study(forms_dir())
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        root = Path(folder)
        site = open_database(f"sqlite:///{root / 'site.sqlite3'}")
        started = time.perf_counter()
        values = build(site, study, args.patients, args.forms, args.seed)
        print(f"built {args.patients} patients, {values} stored values "
              f"in {time.perf_counter() - started:.1f} s")
        site_dm = AuthService(site).login("dm", DEMO_PASSWORD)
        started = time.perf_counter()
        transfer = export_transfer(site, site_dm, study, root / "site01.xml", "01")
        t_export = time.perf_counter() - started
        size = transfer.path.stat().st_size / 1e6
        print(f"transfer file: {size:.1f} MB, {transfer.audit_records} audit records, "
              f"written in {t_export:.2f} s")
        template = root / "central_template.sqlite3"
        central = open_database(f"sqlite:///{template}")
        build_demo(central, patients=0, sites=1, seed=1, clinical=False)
        central.dispose()

        started = time.perf_counter()
        bare_parse(transfer.path)
        t_bare = time.perf_counter() - started

        copy(template, root / "central.sqlite3")
        central = open_database(f"sqlite:///{root / 'central.sqlite3'}")
        dm = AuthService(central).login("dm", DEMO_PASSWORD)
        started = time.perf_counter()
        first = import_transfer(central, dm, transfer.path)
        t_import = time.perf_counter() - started
        started = time.perf_counter()
        again = import_transfer(central, dm, transfer.path)
        t_again = time.perf_counter() - started
        assert again.skipped

        with site.write() as s:  # a few corrections at the site, then the next transfer
            ctx = site_dm.audit_context("01")
            first_item = s.scalar(select(ItemValue.item_oid).order_by(ItemValue.id).limit(1))
            for row in s.scalars(select(ItemValue).where(ItemValue.item_oid == first_item)
                                 .limit(20)):
                site.audit.update(s, ctx, row, {"value": row.value + "1"}, "corrected")
        second = export_transfer(site, site_dm, study, root / "site01-2.xml", "01")
        started = time.perf_counter()
        merged = import_transfer(central, dm, second.path)
        t_merge = time.perf_counter() - started
        started = time.perf_counter()
        at_site = export_odm(site, site_dm, study, root / "site-odm.xml", site="01")
        t_site_odm = time.perf_counter() - started
        started = time.perf_counter()
        at_central = export_odm(central, dm, study, root / "central-odm.xml", site="01")
        t_central_odm = time.perf_counter() - started
        same = ((at_site.item_data, at_site.signatures)
                == (at_central.item_data, at_central.signatures))
        central.dispose()

        copy(template, root / "central2.sqlite3")
        traced = open_database(f"sqlite:///{root / 'central2.sqlite3'}")
        traced_dm = AuthService(traced).login("dm", DEMO_PASSWORD)
        tracemalloc.start()
        import_transfer(traced, traced_dm, transfer.path)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        traced.dispose()
        site.dispose()
        shutil.rmtree(root, ignore_errors=True)
    peak_mb = peak / 1e6
    rows = first.patients_new + first.forms_new + first.values_new
    print(f"{'':34}{'time s':>9}")
    print(f"{'bare iterparse of the file':34}{t_bare:9.2f}")
    print(f"{'import into empty central':34}{t_import:9.2f}   "
          f"({rows} rows, {first.audit_records} site audit records; "
          f"{rows / t_import:.0f} rows/s; peak traced {peak_mb:.1f} MB)")
    print(f"{'same file again (skipped)':34}{t_again:9.2f}")
    print(f"{'next transfer, 20 changes':34}{t_merge:9.2f}   "
          f"({merged.values_updated} values updated, {merged.audit_records} new site "
          f"audit records, {len(merged.conflicts)} conflicts)")
    print(f"{'ODM export of site 01 at the site':34}{t_site_odm:9.2f}   "
          f"({at_site.item_data} item data)")
    print(f"{'ODM export of site 01 at central':34}{t_central_odm:9.2f}   "
          f"({at_central.item_data} item data, site histories; "
          f"{t_central_odm / t_site_odm:.2f}x the site's)")
    ok = peak_mb <= args.max_peak_mb and merged.values_updated == 20 and same
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
