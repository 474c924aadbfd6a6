"""Patient-list filter latency per keystroke with 10,000 patients (target < 50 ms).

The patients come from the cached 10,000-patient demo database (see
``bench_startup.py``) through ``PatientService.list_patients``. A shown
:class:`PatientListWidget` (1366x768-sized window, offscreen) receives real key
events in its search box, one character at a time; each keystroke is timed from
the key press until the filter has run and the view has repainted. Site and status
combo changes are timed the same way.

Baseline on the same rows and the same keystrokes: Qt's own C++ filtering, a
``QStandardItemModel`` with a plain ``QSortFilterProxyModel`` filtering a fixed
string on the number and initials columns (no Python per row).

Run from the project root: ``python benchmarks/bench_patient_filter.py [--rounds 5]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import DEMO_USER, default_cache, demo_database

#: What users type: numbers (with and without the dash), initials, then clearing.
TYPED = ("03-012", "0312", "md", "jp")


def _time(action: Callable[[], None], app: object) -> float:
    start = time.perf_counter()
    action()
    app.processEvents()  # type: ignore[attr-defined]
    return time.perf_counter() - start


def _summary(label: str, values: list[float], shown: str = "") -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"{label:<40}{len(values):>6}{statistics.median(values) * 1000:>10.1f}"
            f"{p95 * 1000:>9.1f}{max(values) * 1000:>9.1f}  {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=default_cache())
    args = parser.parse_args()
    database = demo_database(args.cache)
    os.environ.setdefault("CTRIAL_DATA_DIR", str(args.cache / "data"))

    from PySide6.QtCore import QSortFilterProxyModel, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QTableView

    from ctrial_desktop.services.auth import AuthService
    from ctrial_desktop.services.demo import DEMO_PASSWORD
    from ctrial_desktop.services.patients import PatientService
    from ctrial_desktop.store.database import open_database
    from ctrial_desktop.ui.patient_list import PatientListWidget

    app = QApplication(sys.argv)
    db = open_database(f"sqlite:///{database.as_posix()}")
    rows = PatientService(db, AuthService(db).login(DEMO_USER, DEMO_PASSWORD)).list_patients()
    db.dispose()

    widget = PatientListWidget()
    widget.resize(420, 768)
    widget.show()
    start = time.perf_counter()
    widget.set_patients(rows)
    app.processEvents()
    load = time.perf_counter() - start
    edit = widget.search_edit

    keystrokes: list[float] = []
    per_text: dict[str, int] = {}
    for _ in range(args.rounds):
        for text in TYPED:
            edit.setFocus()
            for char in text:
                keystrokes.append(_time(lambda c=char: QTest.keyClicks(edit, c), app))
            per_text[text] = widget.proxy.rowCount()
            for _ in text:
                keystrokes.append(_time(
                    lambda: QTest.keyClick(edit, Qt.Key.Key_Backspace), app))
    combos: list[float] = []
    for _ in range(args.rounds):
        for index in range(1, widget.site_combo.count()):
            combos.append(_time(lambda i=index: widget.site_combo.setCurrentIndex(i), app))
        for index in range(1, widget.status_combo.count()):
            combos.append(_time(lambda i=index: widget.status_combo.setCurrentIndex(i), app))
        widget.site_combo.setCurrentIndex(0)
        widget.status_combo.setCurrentIndex(0)
    sorts = [_time(lambda c=c, o=o: widget.table.sortByColumn(c, o), app)
             for _ in range(args.rounds)
             for c in (1, 3, 0) for o in (Qt.SortOrder.DescendingOrder,
                                          Qt.SortOrder.AscendingOrder)]

    # Baseline: Qt's C++ filtering of the same strings.
    model = QStandardItemModel(len(rows), 2)
    for r, row in enumerate(rows):
        model.setItem(r, 0, QStandardItem(row.patient_number))
        model.setItem(r, 1, QStandardItem(row.initials))
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    view = QTableView()
    view.setModel(proxy)
    view.resize(420, 768)
    view.show()
    baseline: list[float] = []
    for _ in range(args.rounds):
        for text in TYPED:
            for end in [*range(1, len(text) + 1), *range(len(text) - 1, -1, -1)]:
                baseline.append(_time(lambda t=text[:end]: proxy.setFilterFixedString(t), app))

    print(f"\nPatient list with {len(rows)} patients (loaded and shown in "
          f"{load * 1000:.0f} ms); {args.rounds} rounds")
    print(f"{'operation':<40}{'count':>6}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}")
    shown = ", ".join(f"{t!r}: {n} shown" for t, n in per_text.items())
    print(_summary("keystroke in the search box", keystrokes, shown))
    print(_summary("site or status combo change", combos))
    print(_summary("sort by a column (header)", sorts))
    print(_summary("baseline: Qt C++ fixed-string filter", baseline))
    verdict = "met" if max(keystrokes) < 0.050 else "NOT met by the slowest keystroke"
    ratio = statistics.median(keystrokes) / statistics.median(baseline)
    print(f"\ntarget < 50 ms per keystroke: {verdict} "
          f"(median {statistics.median(keystrokes) * 1000:.1f} ms; "
          f"ratio to the C++ baseline {ratio:.2f})")


if __name__ == "__main__":
    main()
