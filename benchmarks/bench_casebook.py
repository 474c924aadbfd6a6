"""Benchmark of the patient casebook against a bare ReportLab baseline, in the same run.

* **12-cycle casebook**: the casebook of a patient of the 84-patient demo trial who
  went through 12 cycles (cover, every form, signatures, queries, audit appendix).
* **Casebook set**: the casebooks of every randomized patient of the trial (84), as
  the GUI and ``ctrial report casebook`` without ``--patient`` write them.

The baseline lays out the *same text*: every paragraph and table cell of the
casebook's story, in the same order, as plain strings in simple platypus tables
(one ``Table`` per table of the casebook, one single-cell row per paragraph) with
the same embedded font, sizes, page size, margins and page breaks, but without
paragraph wrapping, header, footer, watermark or outline.

Both sides are timed from the data already read (layout only), and the casebook
also with its data reading (``collect_casebook``: the services' queries). Every timed
run starts with the layout caches of the reports (parsed texts, line breaks, string
widths) emptied, so that no run reuses the text measured by an earlier one. The cases
take turns, round after round, so that a busy spell of a shared machine falls on both
sides. Prints the median and best seconds, pages, pages per second (of the median)
and the ratio of the pages per second (baseline / ours: how many times slower the
casebook is, the median of the rounds' ratios; the target is <= 1.5).

The demo database (84 randomized patients, about two minutes to build) is built
once into ``--db`` and reused by later runs. Run from the project root:
``python benchmarks/bench_casebook.py [--db PATH] [--repeat 5] [--set-repeat 1]
[--no-set]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.reports.base import HeaderContext
from ctrial_desktop.reports.casebook import (
    CasebookData,
    build_casebook,
    casebook_story,
    collect_casebook,
)
from ctrial_desktop.reports.fonts import SANS, register_fonts
from ctrial_desktop.reports.styles import WrappedText, clear_layout_caches
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.study import StudyDefinition, load_study

WHEN = dt.datetime(2011, 9, 1, 9, 0)
WIDTH = A4[0] - 4 * cm


def demo_database(path: Path) -> Database:
    """The 84-patient demo trial at ``path``, built on first use."""
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        print(f"building the 84-patient demo trial into {path} (about two minutes)...",
              flush=True)
        db = open_database(f"sqlite:///{partial}")
        build_demo(db, patients=84)
        db.dispose()
        partial.rename(path)
    return open_database(f"sqlite:///{path}")


# --------------------------------------------------------------------------- baseline


def _cell_text(cell: object) -> str:
    if isinstance(cell, Paragraph):
        return cell.getPlainText()
    if isinstance(cell, WrappedText):
        return cell.source  # the text, not the lines it is broken into
    if isinstance(cell, (list, tuple)):
        return " ".join(_cell_text(c) for c in cell)
    if isinstance(cell, Flowable):
        return ""
    return "" if cell is None else str(cell)


def plain_blocks(story: Iterable[Flowable]) -> list[object]:
    """The story's text as plain tables: rows of strings, ``None`` for a page break."""
    blocks: list[object] = []
    for flowable in story:
        if isinstance(flowable, PageBreak):
            blocks.append(None)
        elif isinstance(flowable, KeepTogether):
            blocks += plain_blocks(flowable._content)
        elif isinstance(flowable, Table):
            rows = [[_cell_text(c) for c in row] for row in flowable._cellvalues]
            blocks.append((rows, list(flowable._colWidths)))
        elif isinstance(flowable, Paragraph):
            blocks.append(([[flowable.getPlainText()]], [WIDTH]))
        elif isinstance(flowable, HeaderContext):
            continue
    return blocks


def bare_story(blocks: Sequence[object]) -> list[Flowable]:
    style = TableStyle([("FONT", (0, 0), (-1, -1), SANS, 7.5),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, "grey")])
    story: list[Flowable] = []
    for block in blocks:
        if block is None:
            story.append(PageBreak())
            continue
        rows, widths = block  # type: ignore[misc]
        table = Table(rows, colWidths=widths, repeatRows=0, hAlign="LEFT")
        table.setStyle(style)
        story.append(table)
    return story


def bare_render(blocks: Sequence[object], out: io.BytesIO) -> int:
    register_fonts()
    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                          topMargin=2 * cm, bottomMargin=2 * cm)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(bare_story(blocks))
    return len(PdfReader(io.BytesIO(out.getvalue())).pages)


# --------------------------------------------------------------------------- timing


def timed_rounds(cases: Sequence[tuple[str, Callable[[], int]]], rounds: int
                 ) -> dict[str, list[tuple[float, int]]]:
    """Run ``cases`` one after the other, ``rounds`` times: (seconds, pages) of each run.

    The cases take turns so that a slower spell of the shared machine falls on both
    sides; every run starts from cold layout caches.
    """
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name, _ in cases}
    for _ in range(rounds):
        for name, func in cases:
            clear_layout_caches()
            began = time.perf_counter()
            pages = func()
            runs[name].append((time.perf_counter() - began, pages))
    return runs


def median_ratio(ours: Sequence[tuple[float, int]], bare: Sequence[tuple[float, int]]
                 ) -> float:
    """Median over the rounds of the bare pages per second over ours (times slower)."""
    return statistics.median((t / n) / (bt / bn)
                             for (t, n), (bt, bn) in zip(ours, bare, strict=True))


def ours_render(study: StudyDefinition, data: Sequence[CasebookData]) -> int:
    return sum(build_casebook(study, d, io.BytesIO(), printed_by="bench",
                              printed_at=WHEN).pages for d in data)


def ours_full(db: Database, actor: Actor, study: StudyDefinition,
              patients: Sequence[PatientRow]) -> int:
    pages = 0
    for patient in patients:
        data = collect_casebook(db, actor, study, patient.id)
        pages += build_casebook(study, data, io.BytesIO(), printed_by="bench",
                                printed_at=WHEN).pages
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path,
                        default=Path(tempfile.gettempdir()) / "ctrial-bench" /
                        "demo-84-casebook.sqlite3", help="demo database (built when missing)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="rounds of the 12-cycle casebook (default 3)")
    parser.add_argument("--set-repeat", type=int, default=1,
                        help="rounds of the casebook set (default 1)")
    parser.add_argument("--cycles", type=int, default=12)
    parser.add_argument("--no-set", action="store_true",
                        help="time the 12-cycle casebook only, not the 84 casebooks")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    db = demo_database(args.db)
    study = load_study(forms_dir())
    actor = AuthService(db).login("dm", DEMO_PASSWORD)
    service = PatientService(db, actor)
    patients = [p for p in service.list_patients() if p.arm]

    def cycles(p: PatientRow) -> int:
        return max((s.event_repeat for s in service.form_states(p.id)
                    if s.event_oid == "SE.CYCLE"), default=0)

    one = min(patients, key=lambda p: (abs(cycles(p) - args.cycles), p.patient_number))
    chosen = [one] if args.no_set else patients
    collected = {p.id: collect_casebook(db, actor, study, p.id) for p in chosen}
    blocks = {p.id: plain_blocks(casebook_story(study, collected[p.id], "en", WIDTH))
              for p in chosen}

    print(f"casebook of patient {one.patient_number} ({cycles(one)} cycles); "
          f"set of {len(patients)} randomized patients")
    print(f"{'benchmark':<46} {'median s':>8} {'best s':>7} {'pages':>6} {'pages/s':>8}")
    groups: list[tuple[str, int, list[tuple[str, Callable[[], int]]]]] = [
        ("12-cycle casebook", args.repeat, [
            ("layout (ours)", lambda: ours_render(study, [collected[one.id]])),
            ("same text (bare)", lambda: bare_render(blocks[one.id], io.BytesIO())),
            ("data + layout (ours)", lambda: ours_full(db, actor, study, [one]))]),
        ("casebook set", args.set_repeat, [
            ("layout (ours)",
             lambda: ours_render(study, [collected[p.id] for p in patients])),
            ("same text (bare)",
             lambda: sum(bare_render(blocks[p.id], io.BytesIO()) for p in patients)),
            ("data + layout (ours)", lambda: ours_full(db, actor, study, patients))]),
    ]
    if args.no_set:
        groups = groups[:1]
    ok = True
    for label, rounds, cases in groups:
        runs = timed_rounds(cases, rounds)
        for name, _ in cases:
            seconds = [t for t, _ in runs[name]]
            pages = runs[name][0][1]
            print(f"{label + ', ' + name:<46} {statistics.median(seconds):>8.2f} "
                  f"{min(seconds):>7.2f} {pages:>6} {pages / statistics.median(seconds):>8.1f}",
                  flush=True)

        layout = median_ratio(runs["layout (ours)"], runs["same text (bare)"])
        full = median_ratio(runs["data + layout (ours)"], runs["same text (bare)"])
        ok = ok and layout <= 1.5
        print(f"{label}: {layout:.2f}x slower than bare in layout, {full:.2f}x with the "
              f"data reading (medians of {rounds} rounds; target <= 1.5x)")
    db.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
