"""Benchmark of the PDF reports against a bare ReportLab baseline, in the same run.

* Audit listing: an audit-trail review of N synthetic records (summaries, flagged
  entries, full listing: wrapped paragraphs in embedded fonts, outline, page x of y),
  against bare ReportLab laying out the same cell texts as one plain table
  (SimpleDocTemplate, Helvetica strings, no paragraphs, no footer pass).
* Blank CRF: every form of the study definition, against the same labels and
  decodes as a plain two-column table.

Prints seconds, pages and pages per second of each, and the ratio of the times.
Run from the project root: ``python benchmarks/bench_reports.py [--records 2000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.reports.audit_review import AuditReviewData, build_audit_review, flag_codes
from ctrial_desktop.reports.blank_crf import build_blank_crf
from ctrial_desktop.services.audit_review import FLAGS, AuditEntry, AuditFilter, ReviewSettings
from ctrial_desktop.study import load_study


def synthetic_entries(n: int, seed: int = 7) -> list[AuditEntry]:
    rng = random.Random(seed)
    start = dt.datetime(2010, 1, 4, 8, tzinfo=dt.UTC)
    items = ["I.HEM.ANC", "I.HEM.PLT", "I.HEM.HGB", "I.CHEM.CREAT", "I.POM.DOSE"]
    out = []
    for seq in range(1, n + 1):
        when = start + dt.timedelta(minutes=17 * seq)
        action = rng.choice(["INSERT", "INSERT", "UPDATE", "LOGIN"])
        flags = tuple(f for f in FLAGS if rng.random() < 0.05)
        out.append(AuditEntry(
            seq, when, when, f"coord{rng.randint(1, 6):02d}", "coordinator",
            f"{rng.randint(1, 6):02d}", action, "item_value" if action != "LOGIN" else "",
            seq, "value", str(rng.randint(50, 150)) if action == "UPDATE" else None,
            str(rng.randint(50, 150)), "transcription error" if action == "UPDATE" else "",
            f"0{rng.randint(1, 6)}-{rng.randint(1, 40):03d}", "F.HEM", rng.choice(items),
            None, flags))
    return out


def bare_table(rows: list[list[str]], widths: list[float]) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=2 * cm, bottomMargin=2 * cm)
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 7),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, "grey")]))
    doc.build([table])
    data = buffer.getvalue()
    return data, len(PdfReader(io.BytesIO(data)).pages)


def timed(func: Callable[[], int], repeat: int) -> tuple[float, int]:
    best, pages = float("inf"), 0
    for _ in range(repeat):
        began = time.perf_counter()
        pages = func()
        best = min(best, time.perf_counter() - began)
    return best, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    entries = synthetic_entries(args.records)
    data = AuditReviewData(tuple(entries), AuditFilter(), ReviewSettings())
    when = dt.datetime(2011, 3, 12, 9, 5)

    def ours_audit() -> int:
        return build_audit_review(data, io.BytesIO(), printed_by="bench", printed_at=when).pages

    listing = [["Seq", "Local time", "User", "Site", "Patient", "What", "Action", "Old -> new",
                "Reason", "Flags"]]
    listing += [[str(e.seq), f"{e.local_time:%d/%m/%Y %H:%M:%S}", e.username, e.site_code,
                 e.patient_number, e.target, e.action, f"{e.old_value} -> {e.new_value}",
                 e.reason, flag_codes(e)] for e in entries]
    widths = [w * cm for w in (0.9, 2.3, 1.3, 0.7, 1.3, 3.0, 1.2, 2.3, 2.8, 1.2)]

    def bare_audit() -> int:
        return bare_table(listing, widths)[1]

    study = load_study(forms_dir())

    def ours_crf() -> int:
        return build_blank_crf(study, io.BytesIO(), printed_by="bench", printed_at=when).pages

    crf_rows = [["Item", "Entry"]]
    for form in study.forms:
        crf_rows.append([f"{form.name.en} (version {form.version})", ""])
        for item in form.items:
            codes = ""
            if item.codelist:
                codes = " / ".join(c.decode.en for c in study.codelist(item.codelist).items)
            crf_rows.append([item.label.en[:70], codes[:80] or "__/__/____"])

    def bare_crf() -> int:
        return bare_table(crf_rows, [7 * cm, 10 * cm])[1]

    print(f"{'benchmark':<34} {'seconds':>9} {'pages':>6} {'pages/s':>9}")
    results = {}
    for name, func in (("audit review (ours)", ours_audit), ("audit listing (bare)", bare_audit),
                       ("blank CRF (ours)", ours_crf), ("blank CRF labels (bare)", bare_crf)):
        seconds, pages = timed(func, args.repeat)
        results[name] = seconds
        print(f"{name:<34} {seconds:>9.3f} {pages:>6} {pages / seconds:>9.1f}")
    print(f"time ratio audit ours/bare: "
          f"{results['audit review (ours)'] / results['audit listing (bare)']:.1f}x; "
          f"blank CRF ours/bare: "
          f"{results['blank CRF (ours)'] / results['blank CRF labels (bare)']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
