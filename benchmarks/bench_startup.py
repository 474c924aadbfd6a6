"""Start-up benchmark: from process start to a usable main window on 10,000 patients.

Each repetition starts fresh Python processes, one after the other:

* ``bare``: imports PySide6, shows an empty ``QMainWindow``;
* ``app``: the real start-up of ``ctrial gui`` (:func:`ctrial_desktop.ui.app.run`) on the
  10,000-patient demo database, driven by a scripted user: the login dialog appears,
  the user types the data manager's name and password (who sees every patient) and
  presses Enter; the main window appears and reads its patient list in a worker.

Every process prints monotonic timestamps from zero-delay timers, i.e. at the first
idle moment of the event loop after a window is shown: ``FIRST`` (the bare window, or
the login dialog, ready for input), ``ENTER`` (the user pressed Enter), ``SHOWN`` (the
main window) and ``READY`` (its patient list loaded). The parent measures from just
before starting the process. Two scripted users are timed:

* *at once*: types in no time, so the whole loading is on the critical path
  (process start to the main window, machine time only);
* *typing*: takes ``--typing`` seconds (default 1.5) to type, as a person does; the
  application loads the study and the database meanwhile, and what the user waits for
  is Enter to the main window.

The demo database is built once with ``build_demo(patients=10000, sites=12)`` into
a cache folder (``--cache``, default: the system temporary folder) and reused.

Run from the project root: ``python benchmarks/bench_startup.py [--repeat 7]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_USER = "dm"


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


def _stamp(label: str, extra: str = "") -> None:
    print(f"{label} {time.perf_counter():.6f} {extra}".rstrip(), flush=True)


def _child_bare() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.resize(1366, 768)
    window.show()

    def ready() -> None:
        _stamp("FIRST")
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()


def _child_app(database: Path, typing_ms: int) -> None:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer

    from ctrial_desktop.ui import app as application

    # Only what ``ctrial gui`` itself imports comes before the login dialog.
    early_login = application._early_login

    def login_shown(*args, **kwargs):  # type: ignore[no-untyped-def]
        dialog = early_login(*args, **kwargs)

        def first() -> None:
            _stamp("FIRST")
            QTimer.singleShot(typing_ms, type_and_enter)

        def type_and_enter() -> None:
            from ctrial_desktop.services.demo import DEMO_PASSWORD

            dialog.username_edit.setText(DEMO_USER)
            dialog.password_edit.setText(DEMO_PASSWORD)
            _stamp("ENTER")
            dialog.login_button.click()

        QTimer.singleShot(0, first)
        return dialog

    def window_factory(session):  # type: ignore[no-untyped-def]
        from ctrial_desktop.ui.main_window import MainWindow

        window = MainWindow(session)
        window.resize(1366, 768)

        def ready() -> None:
            count = window.patient_list.model.rowCount() if window.patient_list else 0
            _stamp("READY", str(count))
            window.close()

        def shown() -> None:
            _stamp("SHOWN")
            if window.patients_ready:
                QTimer.singleShot(0, ready)

        window.patients_loaded.connect(lambda _count: QTimer.singleShot(0, ready))
        QTimer.singleShot(0, shown)
        return window

    application._early_login = login_shown
    args = argparse.Namespace(db=f"sqlite:///{database.as_posix()}", language="en",
                              demo=False, screenshot=None)
    code = application.run(args, window_factory=window_factory)
    sys.exit(code)


# --------------------------------------------------------------------------- parent


def run_once(kind: str, database: Path, settings_dir: Path,
             typing_ms: int = 0) -> dict[str, float]:
    """Seconds from process start to each stamp the child printed (and ``patients``)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               CTRIAL_DATA_DIR=str(settings_dir / "data"))
    # An installed application has its bytecode compiled (pip does it at install; the
    # warm-up run writes it here), as the bare script's PySide6 has.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, __file__, "--child", kind, "--database", str(database),
               "--typing-ms", str(typing_ms)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    out, err = process.communicate(timeout=120)
    stamps: dict[str, float] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("FIRST", "ENTER", "SHOWN", "READY"):
            stamps[parts[0]] = float(parts[1]) - start
            if parts[0] == "READY":
                stamps["patients"] = float(parts[2])
    wanted = ("FIRST",) if kind == "bare" else ("FIRST", "ENTER", "SHOWN", "READY")
    if process.returncode != 0 or any(name not in stamps for name in wanted):
        raise RuntimeError(f"{kind} child failed ({process.returncode}):\n{out}\n{err}")
    return stamps


def _row(label: str, values: list[float], reference: float) -> str:
    median = statistics.median(values)
    return (f"{label:<52}{median * 1000:>10.0f}{min(values) * 1000:>9.0f}"
            f"{max(values) * 1000:>9.0f}{median / reference:>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--typing", type=float, default=1.5,
                        help="seconds the typing user takes (default 1.5)")
    parser.add_argument("--cache", type=Path, default=default_cache())
    parser.add_argument("--child", choices=("bare", "app"), help=argparse.SUPPRESS)
    parser.add_argument("--database", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--typing-ms", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "bare":
        _child_bare()
        return
    if args.child == "app":
        _child_app(args.database, args.typing_ms)
        return

    database = demo_database(args.cache)
    typing_ms = round(args.typing * 1000)
    series: dict[str, list[float]] = {name: [] for name in (
        "bare", "login", "at_once_shown", "at_once_ready", "typing_shown", "typing_ready")}
    patients = 0
    with tempfile.TemporaryDirectory(prefix="ctrial-bench-settings-") as folder:
        settings_dir = Path(folder)
        run_once("bare", database, settings_dir)  # warm the file cache for both
        run_once("app", database, settings_dir)
        for _ in range(args.repeat):
            series["bare"].append(run_once("bare", database, settings_dir)["FIRST"])
            at_once = run_once("app", database, settings_dir)
            series["login"].append(at_once["FIRST"])
            series["at_once_shown"].append(at_once["SHOWN"])
            series["at_once_ready"].append(at_once["READY"])
            typing = run_once("app", database, settings_dir, typing_ms)
            series["login"].append(typing["FIRST"])
            series["typing_shown"].append(typing["SHOWN"] - typing["ENTER"])
            series["typing_ready"].append(typing["READY"] - typing["ENTER"])
            patients = int(at_once["patients"])
    bare = statistics.median(series["bare"])
    print(f"\nStart-up on {patients} patients ({args.repeat} repetitions; times to the first "
          "idle moment after the window is shown)")
    print(f"{'':<52}{'median ms':>10}{'min ms':>9}{'max ms':>9}{'ratio':>8}")
    print(_row("bare PySide6 QMainWindow (process start)", series["bare"], bare))
    print(_row("ctrial login dialog, ready for input (process start)", series["login"], bare))
    print(_row("user typing at once: main window (process start)", series["at_once_shown"], bare))
    print(_row("  ... with the patient list", series["at_once_ready"], bare))
    print(_row(f"user typing {args.typing:g} s: main window (after Enter)",
               series["typing_shown"], bare))
    print(_row("  ... with the patient list", series["typing_ready"], bare))
    print("ratio: to the bare window's median; target <= 1.5")


if __name__ == "__main__":
    main()
