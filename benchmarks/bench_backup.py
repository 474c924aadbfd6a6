"""Backup of a 1 GB database: the application's automatic backup against bare copies.

A SQLite database of the application's schema is grown to about ``--size-mb`` (default
1024) with plain bulk inserts of realistic rows (forms of 70 values, their audit
records of about 300 bytes each) and cached in the system temporary folder. Then,
each ``--repeat`` times, timed:

* **app**: ``BackupService.backup_now()`` - SQLite's online backup API into the backup
  folder under a temporary name, renamed when complete, then the rotation;
* **bare backup API**: ``sqlite3.Connection.backup`` of the same file, nothing else;
* **file copy**: ``shutil.copyfile`` (a lower bound: not consistent while the
  application writes, which the backup API is);
* **integrity check**: ``PRAGMA integrity_check`` of the copy, the first check
  ``ctrial restore`` makes before replacing anything.

Prints seconds and MB/s (medians) and the ratio of the app's backup to the bare
backup API. Run from the project root: ``python benchmarks/bench_backup.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ctrial_desktop.services.backup import BackupService
from ctrial_desktop.store.database import open_database

VALUES_PER_FORM = 70
AUDIT_REASON = "form first saved"


def grow(path: Path, size_mb: int) -> None:
    """Create the schema, then add forms, values and audit rows until the file is big."""
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER IF EXISTS audit_trail_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_trail_no_delete")
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("INSERT INTO site (code, name, city, active, created_at) VALUES "
                 "('01', 'CHU de Lille', 'Lille', 1, '2010-01-04 00:00:00')")
    site_id = conn.execute("SELECT id FROM site WHERE code = '01'").fetchone()[0]
    form_id = seq = patient = 0
    stamp = dt.datetime(2010, 1, 4, 9, 0)
    while path.stat().st_size < size_mb * 1024 * 1024:
        patient += 1
        conn.execute(
            "INSERT INTO patient (site_id, sequence, patient_number, initials, sex, status,"
            " screen_fail_reason, locked, active, created_at) VALUES (?, ?, ?, 'ABC', 'F',"
            " 'on_treatment', '', 0, 1, ?)", (site_id, patient, f"01-{patient:06d}", stamp))
        pid = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        forms, values, audit = [], [], []
        for cycle in range(1, 25):
            form_id += 1
            forms.append((form_id, pid, "SE.CYCLE", cycle, "F.POM", "1.1", "complete", 0, 0, 0,
                          1, 1, stamp))
            for n in range(VALUES_PER_FORM):
                values.append((form_id, "IG.POM.DAY", n // 3 + 1, f"I.POM.ITEM{n % 3}",
                               f"{(n * 7) % 100}.{n % 10}", 1))
                seq += 1
                audit.append((seq, f"2010-01-{cycle % 28 + 1:02d}T09:{n % 60:02d}:00.000000Z",
                              2, "coord01", "coordinator", "01", "s" * 32, "INSERT",
                              "item_value", form_id * 100 + n, "value", None,
                              f"{(n * 7) % 100}.{n % 10}", AUDIT_REASON, "0" * 64,
                              f"{seq:064x}"))
        conn.executemany("INSERT INTO form_data (id, patient_id, event_oid, event_repeat,"
                         " form_oid, form_version, status, signed, locked, verified, active,"
                         " version, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", forms)
        conn.executemany("INSERT INTO item_value (form_data_id, item_group_oid, group_repeat,"
                         " item_oid, value, active) VALUES (?,?,?,?,?,?)", values)
        conn.executemany("INSERT INTO audit_trail (seq, timestamp_utc, user_id, username, role,"
                         " site_code, session_id, action, table_name, record_id, item,"
                         " old_value, new_value, reason, prev_hash, hash) VALUES"
                         " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", audit)
        conn.commit()
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()


def megabytes(path: Path) -> float:
    return path.stat().st_size / (1024 * 1024)


def bare_backup(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def integrity(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    if result != "ok":
        raise RuntimeError(f"integrity check of {path}: {result}")


def timed(func, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        func()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "ctrial-bench")
    args = parser.parse_args()
    source = args.cache / f"big-{args.size_mb}mb.sqlite3"
    if not source.exists():
        args.cache.mkdir(parents=True, exist_ok=True)
        partial = source.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        print(f"growing a database to {args.size_mb} MB in {source} ...", flush=True)
        began = time.perf_counter()
        grow(partial, args.size_mb)
        partial.rename(source)
        print(f"grown in {time.perf_counter() - began:.0f} s", flush=True)
    size = megabytes(source)
    db = open_database(f"sqlite:///{source}")
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="ctrial-bench-backup-", dir=args.cache) as folder:
        out = Path(folder)
        service = BackupService(db, out / "auto", keep=1)
        counter = iter(range(1_000_000))

        def app() -> None:
            service.backup_now()

        def bare() -> None:
            target = out / f"bare-{next(counter)}.sqlite3"
            bare_backup(source, target)
            target.unlink()

        def copy() -> None:
            target = out / f"copy-{next(counter)}.sqlite3"
            shutil.copyfile(source, target)
            target.unlink()

        # Interleaved, so that the disk's write-back of one run weighs on each alike.
        series: dict[str, list[float]] = {"app": [], "bare": [], "copy": []}
        for _ in range(args.repeat):
            for name, func in (("app", app), ("bare", bare), ("copy", copy)):
                series[name].append(timed(func, 1))
        rows.append(("app: BackupService.backup_now", statistics.median(series["app"])))
        rows.append(("bare: sqlite3 backup API", statistics.median(series["bare"])))
        rows.append(("file copy (not consistent)", statistics.median(series["copy"])))
        last = service.last_backup()
        assert last is not None
        rows.append(("integrity check of the copy", timed(lambda: integrity(last.path), 1)))
    db.dispose()
    print(f"\ndatabase {size:.0f} MB ({args.repeat} repetitions, medians)")
    print(f"{'':<36}{'seconds':>9}{'MB/s':>9}")
    for name, seconds in rows:
        print(f"{name:<36}{seconds:>9.2f}{size / seconds:>9.0f}")
    print(f"app / bare backup API: {rows[0][1] / rows[1][1]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
