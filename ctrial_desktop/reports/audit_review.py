"""Audit-trail review report for monitors and inspectors.

Summaries of changes by user, by form (or table) and by month, then the flagged
entries and the full listing, with filters by user, site and period. The flags
(computed by :class:`~ctrial_desktop.services.audit_review.AuditReviewService`) are
printed as one-letter codes in a narrow column: L entered late after the clinical
date, S changed after signature, V changed after source-data verification, N at odd
hours (local night), C clock anomaly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer

from ctrial_desktop.reports.base import (
    Cancelled,
    DocumentInfo,
    PageSize,
    Progress,
    RenderResult,
    heading,
    render,
)
from ctrial_desktop.reports.common import colon, fmt_date, role_label, system_reason
from ctrial_desktop.reports.styles import Column, data_table, styles, text
from ctrial_desktop.services.audit_review import (
    AFTER_SDV,
    AFTER_SIGNATURE,
    CLOCK,
    LATE,
    ODD_HOURS,
    AuditEntry,
    AuditFilter,
    AuditReviewService,
    ReviewSettings,
)
from ctrial_desktop.services.context import Actor
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import StudyDefinition

FLAG_CODES: Final[dict[str, str]] = {LATE: "L", AFTER_SIGNATURE: "S", AFTER_SDV: "V",
                                     ODD_HOURS: "N", CLOCK: "C"}
#: Longest old/new value printed in the listing (the trail keeps the full text).
MAX_VALUE: Final = 90

_W: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title": "Audit trail review", "filters": "Filters", "user": "User", "site": "Site",
        "period": "Period", "all": "all", "records": "records", "from": "from", "to": "to",
        "legend": "Flags", "by_user": "Changes by user", "by_form": "Changes by form or table",
        "by_month": "Changes by month", "flagged": "Flagged entries",
        "listing": "All entries", "role": "Role", "changes": "Changes", "events": "Events",
        "flag_count": "Flagged", "form": "Form / table", "items": "Items", "month": "Month",
        "seq": "Seq", "time": "Local time", "patient": "Patient", "what": "What",
        "action": "Action", "change": "Old → new", "reason": "Reason", "flags": "Flags",
        "none": "No audit record matches the filters.", "noflag": "No flagged entry.",
        LATE: "L - entered more than {days} days after the clinical date (the form's first "
              "date item as stored now; the consent date for a patient record)",
        AFTER_SIGNATURE: "S - changed while the form was signed, or in the change that "
                         "broke the signature",
        AFTER_SDV: "V - changed after source-data verification",
        ODD_HOURS: "N - written between {start:02d}:00 and {end:02d}:00 local time",
        CLOCK: "C - clock anomaly recorded (the computer clock could not be trusted)",
        "total": "Total",
    },
    "fr": {
        "title": "Revue de la piste d'audit", "filters": "Filtres", "user": "Utilisateur",
        "site": "Centre", "period": "Période", "all": "tous", "records": "enregistrements",
        "from": "du", "to": "au", "legend": "Signalements",
        "by_user": "Modifications par utilisateur",
        "by_form": "Modifications par formulaire ou table",
        "by_month": "Modifications par mois", "flagged": "Entrées signalées",
        "listing": "Toutes les entrées", "role": "Rôle", "changes": "Modifications",
        "events": "Événements", "flag_count": "Signalées", "form": "Formulaire / table",
        "items": "Items", "month": "Mois", "seq": "N°", "time": "Heure locale",
        "patient": "Patient", "what": "Objet", "action": "Action",
        "change": "Ancienne → nouvelle", "reason": "Motif", "flags": "Sign.",
        "none": "Aucun enregistrement ne correspond aux filtres.",
        "noflag": "Aucune entrée signalée.",
        LATE: "L - saisi plus de {days} jours après la date clinique (premier item date du "
              "formulaire tel qu'enregistré\u00a0; date de consentement pour un patient)",
        AFTER_SIGNATURE: "S - modifié alors que le formulaire était signé, ou par la "
                         "modification qui a rompu la signature",
        AFTER_SDV: "V - modifié après vérification des données sources",
        ODD_HOURS: "N - écrit entre {start:02d}:00 et {end:02d}:00, heure locale",
        CLOCK: "C - anomalie d'horloge enregistrée (l'horloge de l'ordinateur n'était pas "
               "fiable)",
        "total": "Total",
    },
}


@dataclass(frozen=True)
class AuditReviewData:
    """The entries to print, the filter that chose them and the flag thresholds."""

    entries: tuple[AuditEntry, ...]
    filter: AuditFilter
    settings: ReviewSettings
    include_listing: bool = True


def collect_audit_review(db: Database, actor: Actor, study: StudyDefinition | None,
                         flt: AuditFilter | None = None,
                         settings: ReviewSettings | None = None,
                         include_listing: bool = True) -> AuditReviewData:
    """Read the filtered trail with its flags (users allowed to view the audit)."""
    settings = settings or ReviewSettings()
    flt = flt or AuditFilter()
    entries = AuditReviewService(db, actor, study, settings).entries(flt)
    return AuditReviewData(tuple(entries), flt, settings, include_listing)


def flag_codes(entry: AuditEntry) -> str:
    """The one-letter codes of an entry's flags, in legend order."""
    return " ".join(FLAG_CODES[f] for f in FLAG_CODES if f in entry.flags)


def _short(value: str | None) -> str:
    if value is None:
        return "∅"
    return value if len(value) <= MAX_VALUE else value[:MAX_VALUE - 1] + "…"


def _by_user(entries: Sequence[AuditEntry], w: dict[str, str], language: str) -> Flowable:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    roles: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        row = counts[e.username]
        row[0 if e.is_change else 1] += 1
        row[2] += bool(e.flags)
        if e.role and e.role != "none":
            roles[e.username].add(role_label(e.role, language))
    columns = [Column(w["user"], 4.5 * cm), Column(w["role"], 4.0 * cm),
               Column(w["changes"], 2.6 * cm, "number"), Column(w["events"], 2.6 * cm, "number"),
               Column(w["flag_count"], 2.6 * cm, "number")]
    rows: list[list[object]] = [[u, ", ".join(sorted(roles[u])), *(str(n) for n in c)]
                                for u, c in sorted(counts.items())]
    totals = [sum(c[i] for c in counts.values()) for i in range(3)]
    rows.append([w["total"], "", *(str(n) for n in totals)])
    return data_table(columns, rows, total_rows=1)


def _by_form(entries: Sequence[AuditEntry], w: dict[str, str]) -> Flowable:
    changes: Counter[str] = Counter()
    items: dict[str, set[str]] = defaultdict(set)
    flagged: Counter[str] = Counter()
    for e in entries:
        if not e.is_change:
            continue
        key = e.form_oid or e.table_name
        changes[key] += 1
        items[key].add(e.item_oid or e.item)
        flagged[key] += bool(e.flags)
    columns = [Column(w["form"], 6.0 * cm), Column(w["changes"], 2.6 * cm, "number"),
               Column(w["items"], 2.6 * cm, "number"), Column(w["flag_count"], 2.6 * cm,
                                                              "number")]
    rows: list[list[object]] = [[k, str(changes[k]), str(len(items[k])), str(flagged[k])]
                                for k in sorted(changes)]
    return data_table(columns, rows)


def _by_month(entries: Sequence[AuditEntry], w: dict[str, str]) -> Flowable:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in entries:
        row = counts[e.local_time.strftime("%Y-%m")]
        row[0 if e.is_change else 1] += 1
        row[2] += bool(e.flags)
    columns = [Column(w["month"], 3.0 * cm), Column(w["changes"], 2.6 * cm, "number"),
               Column(w["events"], 2.6 * cm, "number"),
               Column(w["flag_count"], 2.6 * cm, "number")]
    rows: list[list[object]] = [[m, *(str(n) for n in c)] for m, c in sorted(counts.items())]
    return data_table(columns, rows)


def _listing(entries: Sequence[AuditEntry], w: dict[str, str], language: str) -> Flowable:
    columns = [Column(w["seq"], 0.9 * cm, "number"), Column(w["time"], 1.75 * cm, "plain"),
               Column(w["user"], 1.5 * cm), Column(w["site"], 0.85 * cm, "plain"),
               Column(w["patient"], 1.35 * cm, "plain"), Column(w["what"], 3.0 * cm),
               Column(w["action"], 1.3 * cm, "plain"), Column(w["change"], 3.45 * cm),
               Column(w["reason"], 2.0 * cm), Column(w["flags"], 0.95 * cm, "flag")]
    rows: list[list[object]] = []
    for e in entries:
        change = _short(e.new_value) if e.action == "INSERT" else \
            f"{_short(e.old_value)} → {_short(e.new_value)}"
        if not e.is_change and e.old_value is None and e.new_value is None:
            change = ""
        rows.append([str(e.seq), e.local_time.strftime("%d/%m/%Y\n%H:%M:%S"),
                     e.username, e.site_code, e.patient_number, e.target,
                     e.action, change, system_reason(e.reason, language), flag_codes(e)])
    return data_table(columns, rows, small=True)


def _describe_filter(flt: AuditFilter, w: dict[str, str], language: str) -> str:
    period = w["all"]
    if flt.start or flt.end:
        period = " ".join(p for p in (f"{w['from']} {fmt_date(flt.start)}" if flt.start else "",
                                      f"{w['to']} {fmt_date(flt.end)}" if flt.end else "") if p)
    return (f"{colon(w['user'], language)} {flt.username or w['all']} · "
            f"{colon(w['site'], language)} {flt.site_code or w['all']} · "
            f"{colon(w['period'], language)} {period}")


def audit_review_story(data: AuditReviewData, language: str) -> list[Flowable]:
    """Title, filters, flag legend, the three summaries, flagged entries, listing."""
    s = styles()
    w = _W.get(language, _W["en"])
    entries = data.entries
    story: list[Flowable] = [Paragraph(text(w["title"]), s.title)]
    story.append(Paragraph(text(f"{colon(w['filters'], language)} "
                                f"{_describe_filter(data.filter, w, language)}"), s.subtitle))
    if not entries:
        return [*story, Paragraph(text(w["none"]), s.body)]
    first, last = entries[0], entries[-1]
    story.append(Paragraph(text(
        f"{len(entries)} {w['records']} (#{first.seq}–#{last.seq}), {w['from']} "
        f"{first.local_time:%d/%m/%Y %H:%M} {w['to']} {last.local_time:%d/%m/%Y %H:%M}"),
        s.body))
    story.append(Spacer(1, 4))
    st = data.settings
    story.append(Paragraph(f"<b>{text(w['legend'])}</b>", s.cell))
    for flag in FLAG_CODES:
        story.append(Paragraph(text(w[flag].format(days=st.late_after_days,
                                                   start=st.odd_hours_start,
                                                   end=st.odd_hours_end)), s.small))
    story += [heading(w["by_user"]), _by_user(entries, w, language)]
    story += [heading(w["by_form"]), _by_form(entries, w)]
    story += [heading(w["by_month"]), _by_month(entries, w)]
    flagged = [e for e in entries if e.flags]
    story.append(heading(w["flagged"]))
    story.append(_listing(flagged, w, language) if flagged else
                 Paragraph(text(w["noflag"]), s.body))
    if data.include_listing and not data.filter.flagged_only:
        story += [heading(w["listing"]), _listing(entries, w, language)]
    return story


def build_audit_review(data: AuditReviewData, out: Path | BinaryIO, *, printed_by: str,
                       language: str = "en", printed_at: dt.datetime | None = None,
                       page_size: PageSize = "A4", progress: Progress | None = None,
                       cancelled: Cancelled | None = None) -> RenderResult:
    """Write the audit-trail review PDF."""
    w = _W.get(language, _W["en"])
    flt = data.filter
    info = DocumentInfo(
        title=w["title"], subject=f"IFM 2009-02 {w['title'].lower()}", printed_by=printed_by,
        printed_at=printed_at or dt.datetime.now(), author=printed_by,
        keywords=("IFM 2009-02", "audit trail"),
        site=f"{w['site']} {flt.site_code}" if flt.site_code else "", language=language,
        page_size=page_size)
    return render(info, audit_review_story(data, language), out, progress=progress,
                  cancelled=cancelled)
