"""Start-up benchmark: from process start to a usable main window on 10,000 patients.

Each repetition starts two fresh Python processes, one after the other:

* ``bare``: imports PySide6, shows an empty ``QMainWindow``;
* ``app``: imports the application, opens the 10,000-patient demo database, loads
  the study definition, logs in (the data manager, who sees every patient), builds
  the :class:`MainWindow` with its patient list, and shows it.

Both print ``SHOWN`` from a zero-delay timer once the window is shown and the event
loop has gone idle; the application then reads the patient list in a worker and
prints ``READY`` at the first idle moment after the list is shown (the bare window
prints both at once). The parent measures from just before starting the process to
reading each line. The table gives medians over the repetitions, the ratios to the
bare window (target <= 1.5) and where the application's time goes.

The demo database is built once with ``build_demo(patients=10000, sites=12)`` into
a cache folder (``--cache``, default: the system temporary folder) and reused.

Run from the project root: ``python benchmarks/bench_startup.py [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_USER = "dm"
PHASES = ("imports", "open_database", "load_study", "login", "main_window", "show_idle",
          "patient_list")


def default_cache() -> Path:
    return Path(tempfile.gettempdir()) / "ctrial-bench"


def demo_database(cache: Path, patients: int = 10_000, sites: int = 12) -> Path:
    """The cached demo database, built (about a minute) when missing."""
    path = cache / f"demo-{patients}-{sites}.sqlite3"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("CTRIAL_DATA_DIR", str(cache / "data"))
    sys.path.insert(0, str(ROOT))
    from ctrial_desktop.services.demo import build_demo
    from ctrial_desktop.store.database import open_database

    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    print(f"building the demo database ({patients} patients, {sites} sites) in {path} ...",
          flush=True)
    start = time.perf_counter()
    db = open_database(f"sqlite:///{partial.as_posix()}")
    try:
        build_demo(db, patients=patients, sites=sites, clinical=False)
    finally:
        db.dispose()
    partial.rename(path)
    print(f"built in {time.perf_counter() - start:.0f} s", flush=True)
    return path


# --------------------------------------------------------------------------- children


def _child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1366, 768)
    window.show()

    def ready() -> None:
        print("SHOWN", flush=True)
        print("READY {}", flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()


def _child_app(database: Path, settings_dir: Path) -> None:
    marks = [time.perf_counter()]
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QCoreApplication, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ctrial_desktop.paths import forms_dir
    from ctrial_desktop.services.auth import AuthService
    from ctrial_desktop.services.demo import DEMO_PASSWORD
    from ctrial_desktop.store.database import open_database
    from ctrial_desktop.study.loader import load_study
    from ctrial_desktop.ui.main_window import MainWindow
    from ctrial_desktop.ui.session import make_ui_session

    app = QApplication(sys.argv)
    QCoreApplication.setOrganizationName("ctrial-bench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    marks.append(time.perf_counter())
    db = open_database(f"sqlite:///{database.as_posix()}")
    marks.append(time.perf_counter())
    study = load_study(forms_dir())
    marks.append(time.perf_counter())
    actor = AuthService(db).login(DEMO_USER, DEMO_PASSWORD)
    marks.append(time.perf_counter())
    window = MainWindow(make_ui_session(db, actor, study))
    window.resize(1366, 768)
    marks.append(time.perf_counter())
    window.show()

    def shown() -> None:
        marks.append(time.perf_counter())
        print("SHOWN", flush=True)
        if window.patients_ready:
            QTimer.singleShot(0, ready)

    def ready() -> None:
        marks.append(time.perf_counter())
        phases = {name: marks[i + 1] - marks[i] for i, name in enumerate(PHASES)}
        count = window.patient_list.model.rowCount() if window.patient_list else 0
        print("READY " + json.dumps({"phases": phases, "patients": count}), flush=True)
        app.quit()

    # The list is read in a worker: "ready" is the first idle moment after it is shown.
    window.patients_loaded.connect(lambda _count: QTimer.singleShot(0, ready))
    QTimer.singleShot(0, shown)
    app.exec()
    db.dispose()


# --------------------------------------------------------------------------- parent


def run_once(kind: str, database: Path, settings_dir: Path) -> tuple[float, float, dict]:
    """Seconds from process start to the window shown (SHOWN) and usable (READY)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               CTRIAL_DATA_DIR=str(settings_dir / "data"))
    command = [sys.executable, __file__, "--child", kind, "--database", str(database),
               "--settings", str(settings_dir)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    assert process.stdout is not None
    report: dict = {}
    shown = elapsed = float("nan")
    for line in process.stdout:
        if line.startswith("SHOWN"):
            shown = time.perf_counter() - start
        elif line.startswith("READY"):
            elapsed = time.perf_counter() - start
            report = json.loads(line[len("READY "):])
            break
    _, err = process.communicate(timeout=120)
    if process.returncode != 0 or elapsed != elapsed or shown != shown:
        raise RuntimeError(f"{kind} child failed ({process.returncode}):\n{err}")
    return shown, elapsed, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--child", choices=("bare", "app"), help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--settings", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        _child_bare()
        return
    if args.child == "app":
        _child_app(args.database, args.settings)
        return

    database = demo_database(args.cache)
    bare: list[float] = []
    app_shown: list[float] = []
    app_ready: list[float] = []
    phases: dict[str, list[float]] = {name: [] for name in (*PHASES, "outside")}
    patients = 0
    with tempfile.TemporaryDirectory(prefix="ctrial-bench-settings-") as folder:
        settings_dir = Path(folder)
        run_once("bare", database, settings_dir)  # warm the file cache for both
        run_once("app", database, settings_dir)
        for _ in range(args.repeat):
            bare.append(run_once("bare", database, settings_dir)[1])
            shown, ready, report = run_once("app", database, settings_dir)
            app_shown.append(shown)
            app_ready.append(ready)
            patients = report["patients"]
            for name in PHASES:
                phases[name].append(report["phases"][name])
            phases["outside"].append(ready - sum(report["phases"].values()))
    median_bare = statistics.median(bare)
    print(f"\nStart-up, process start to idle event loop ({args.repeat} repetitions; "
          f"{patients} patients in the list)")
    print(f"{'process':<44}{'median ms':>10}{'min ms':>9}{'max ms':>9}{'ratio':>8}")
    for label, values in (("bare PySide6 QMainWindow shown", bare),
                          ("ctrial main window shown", app_shown),
                          ("ctrial main window with the patient list", app_ready)):
        print(f"{label:<44}{statistics.median(values) * 1000:>10.0f}"
              f"{min(values) * 1000:>9.0f}{max(values) * 1000:>9.0f}"
              f"{statistics.median(values) / median_bare:>8.2f}")
    print("target: ratio <= 1.5")
    print("\nWhere the application's time goes (inside the process, medians):")
    labels = {"outside": "interpreter start"}
    for name in phases:
        print(f"  {labels.get(name, name):<20}{statistics.median(phases[name]) * 1000:>8.0f} ms")

if __name__ == "__main__":
    main()
