"""The audit trail as one CSV file, for audit-trail review outside the application.

``ctrial export audit --out FILE.csv [--site S]`` and the Export menu write it. One row
per audit record in trail order, with what the record is about (patient, form, item),
the review flags of the audit-trail review report (late entry, change after signature
or SDV, odd hours, clock anomaly) and the record's chain hashes, so that a reviewer can
recompute the chain (see "Audit trail" in the README for the canonical content).

Columns (UTF-8, comma-separated, CRLF, header row):
``seq, timestamp_utc, local_time, user_id, username, role, site, session_id, action, table,
record_id, patient, form, item_oid, item, old_value, new_value, reason, flags, null_fields,
prev_hash, hash``. ``timestamp_utc`` is the stored text; ``local_time`` the site's local
time (ISO 8601); ``flags`` joins the review flags with ``;``. A null and an empty text
both show as an empty cell; ``null_fields`` names (joined with ``;``) those of
``user_id``, ``record_id``, ``old_value`` and ``new_value`` that are null. Every hashed
field of a record is there, so its ``hash`` can be recomputed from the file alone (see
"Audit trail" in the README). To rebuild values from the file alone, mind the implied-value
rule stated there: a new row's columns at their implied value (a value active; a form
unsigned, unlocked, unverified and active) have no INSERT record.

The export itself is recorded in the trail (action EXPORT, item ``audit-csv``); that
record is the first one of the next export.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ctrial_desktop.services.audit_review import AuditFilter, AuditReviewService, ReviewSettings
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.export import ExportService
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import AuditRecord
from ctrial_desktop.study.definition import StudyDefinition

AUDIT_COLUMNS: tuple[str, ...] = (
    "seq", "timestamp_utc", "local_time", "user_id", "username", "role", "site", "session_id",
    "action", "table", "record_id", "patient", "form", "item_oid", "item", "old_value",
    "new_value", "reason", "flags", "null_fields", "prev_hash", "hash",
)

#: Rows written between two progress reports (and cancellation checks).
PROGRESS_EVERY = 500


class AuditExportCancelled(Exception):
    """The user cancelled the export; no file was written."""


@dataclass(frozen=True)
class AuditCsvSummary:
    path: Path
    site: str | None
    records: int
    first_seq: int | None
    last_seq: int | None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def export_audit_csv(
    db: Database,
    actor: Actor,
    study: StudyDefinition | None,
    out: Path,
    *,
    site: str | None = None,
    settings: ReviewSettings | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AuditCsvSummary:
    """Write the audit trail of ``site`` (else of every site the user may export) to ``out``.

    Needs the export and audit-viewing permissions. The file is written under a temporary
    name and renamed when complete, so a cancelled or failed export leaves no partial file.
    """
    exports = ExportService(db, actor)
    exports.sites(site)  # permission and site checks first
    entries = AuditReviewService(db, actor, study, settings).entries(AuditFilter(site_code=site))
    with db.read() as session:
        raw = {row.seq: row for row in session.execute(
            select(AuditRecord.seq, AuditRecord.timestamp_utc, AuditRecord.user_id,
                   AuditRecord.session_id, AuditRecord.prev_hash, AuditRecord.hash))}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".audit-", suffix=".csv", dir=out.parent)
    total = len(entries)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\r\n")
            writer.writerow(AUDIT_COLUMNS)
            for done, e in enumerate(entries, start=1):
                r = raw[e.seq]
                writer.writerow((
                    e.seq, r.timestamp_utc, e.local_time.isoformat(), _text(r.user_id),
                    e.username, e.role, e.site_code, r.session_id, e.action, e.table_name,
                    _text(e.record_id), e.patient_number, e.form_oid, e.item_oid, e.item,
                    _text(e.old_value), _text(e.new_value), e.reason, ";".join(e.flags),
                    ";".join(name for name, value in (
                        ("user_id", r.user_id), ("record_id", e.record_id),
                        ("old_value", e.old_value), ("new_value", e.new_value))
                        if value is None),
                    r.prev_hash, r.hash))
                if done % PROGRESS_EVERY == 0 or done == total:
                    if cancelled is not None and cancelled():
                        raise AuditExportCancelled("audit export cancelled")
                    if progress is not None:
                        progress(done, total)
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    where = f"site {site}" if site else "all permitted sites"
    exports.record_export(site, out.name, f"audit trail CSV export ({where}): {total} records",
                          kind="audit-csv")
    return AuditCsvSummary(out, site, total, entries[0].seq if entries else None,
                           entries[-1].seq if entries else None)
