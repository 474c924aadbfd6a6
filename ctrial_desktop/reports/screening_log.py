"""Screening and enrolment log: every screened patient per site, with totals.

For each patient: number, initials, sex, age at consent (and birth year), consent
date, status, screen-failure reason, and randomization number, arm and date when
randomized. A summary table gives the counts per site and for the trial.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
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
from ctrial_desktop.reports.common import (
    arm_label,
    colon,
    fmt_date,
    local_time,
    status_label,
)
from ctrial_desktop.reports.styles import Column, data_table, styles, text
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.services.randomization import RandomizationResult, RandomizationService
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import StudyDefinition

_NOT_RANDOMIZED: Final = frozenset({"screening", "screen_failed"})

_W: Final[dict[str, dict[str, str]]] = {
    "en": {"title": "Screening and enrolment log", "summary": "Summary",
           "site": "Site", "screened": "Screened", "failed": "Screen failures",
           "randomized": "Randomized", "pending": "In screening", "total": "Total",
           "no": "Patient", "init": "Initials · sex", "age": "Age", "years": "years",
           "consent": "Consent", "status": "Status", "reason": "Failure reason",
           "rand": "Rand. no.", "arm": "Arm", "rdate": "Rand. date",
           "none": "No patient screened.", "as_of": "Patients screened as of"},
    "fr": {"title": "Registre de sélection et d'inclusion", "summary": "Synthèse",
           "site": "Centre", "screened": "Sélectionnés", "failed": "Échecs de sélection",
           "randomized": "Randomisés", "pending": "En sélection", "total": "Total",
           "no": "Patient", "init": "Initiales · sexe", "age": "Âge", "years": "ans",
           "consent": "Consentement", "status": "Statut", "reason": "Motif d'échec",
           "rand": "N° rand.", "arm": "Bras", "rdate": "Date rand.",
           "none": "Aucun patient sélectionné.", "as_of": "Patients sélectionnés au"},
}


@dataclass(frozen=True)
class ScreeningEntry:
    """One line of the log: the patient and their randomization, if any."""

    patient: PatientRow
    randomization: RandomizationResult | None


@dataclass(frozen=True)
class ScreeningLogData:
    """Everything the screening log prints (plain data)."""

    entries: tuple[ScreeningEntry, ...]
    site_names: dict[str, str]
    site_filter: str | None = None


def collect_screening_log(db: Database, actor: Actor, site_code: str | None = None
                          ) -> ScreeningLogData:
    """Read the log through the services, limited to what ``actor`` may see."""
    patients = PatientService(db, actor).list_patients(site_code)
    randomization = RandomizationService(db, actor)
    entries = []
    for row in patients:
        result = None if row.status in _NOT_RANDOMIZED else randomization.result_for(row.id)
        entries.append(ScreeningEntry(row, result))
    names = {s.code: s.name for s in SiteService(db, actor).list_sites()}
    return ScreeningLogData(tuple(entries), names, site_code)


def _counts(entries: Sequence[ScreeningEntry]) -> tuple[int, int, int, int]:
    statuses = Counter(e.patient.status for e in entries)
    failed = statuses["screen_failed"]
    pending = statuses["screening"]
    return len(entries), failed, len(entries) - failed - pending, pending


def _summary(data: ScreeningLogData, language: str) -> list[Flowable]:
    w = _W.get(language, _W["en"])
    by_site: dict[str, list[ScreeningEntry]] = {}
    for entry in data.entries:
        by_site.setdefault(entry.patient.site_code, []).append(entry)
    columns = [Column(w["site"], 7.4 * cm), Column(w["screened"], 2.4 * cm, "number"),
               Column(w["failed"], 2.4 * cm, "number"), Column(w["randomized"], 2.4 * cm,
                                                                "number"),
               Column(w["pending"], 2.4 * cm, "number")]
    rows: list[list[object]] = []
    for code in sorted(by_site):
        label = f"{code} {data.site_names.get(code, '')}".strip()
        rows.append([label, *(str(n) for n in _counts(by_site[code]))])
    rows.append([w["total"], *(str(n) for n in _counts(data.entries))])
    return [heading(w["summary"]), data_table(columns, rows, total_rows=1)]


def _site_table(study: StudyDefinition, entries: Sequence[ScreeningEntry], language: str
                ) -> Flowable:
    w = _W.get(language, _W["en"])
    # "Consentement" needs a wider column than "Consent" (taken from the status column)
    wider = 0.25 * cm if language == "fr" else 0.0
    columns = [Column(w["no"], 1.5 * cm), Column(w["init"], 1.7 * cm),
               Column(w["age"], 1.85 * cm, unit=w["years"]),
               Column(w["consent"], 2.3 * cm + wider), Column(w["status"], 2.1 * cm - wider),
               Column(w["reason"], 2.15 * cm), Column(w["rand"], 1.6 * cm),
               Column(w["arm"], 1.9 * cm), Column(w["rdate"], 1.9 * cm)]
    rows: list[list[object]] = []
    for entry in entries:
        p, r = entry.patient, entry.randomization
        age = "" if p.age is None else f"{p.age}"
        if p.birth_year:
            age += f" ({p.birth_year})"
        rows.append([p.patient_number, f"{p.initials} · {p.sex}", age, fmt_date(p.consent_date),
                     status_label(p.status, language), p.screen_fail_reason,
                     r.number if r else "", arm_label(study, r.arm if r else p.arm),
                     fmt_date(local_time(r.randomized_at).date()) if r else ""])
    n, failed, randomized, pending = _counts(entries)
    total = (f"{colon(w['total'], language)} {n} {w['screened'].lower()} · "
             f"{failed} {w['failed'].lower()} · "
             f"{randomized} {w['randomized'].lower()} · {pending} {w['pending'].lower()}")
    rows.append([total] + [""] * (len(columns) - 1))
    return data_table(columns, rows, total_rows=1,
                      extra_style=[("SPAN", (0, -1), (-1, -1))])


def screening_log_story(study: StudyDefinition, data: ScreeningLogData, language: str,
                        as_of: dt.date) -> list[Flowable]:
    """The flowables of the log: title, summary, then one section per site."""
    s = styles()
    w = _W.get(language, _W["en"])
    story: list[Flowable] = [Paragraph(text(w["title"]), s.title),
                             Paragraph(text(f"{w['as_of']} {fmt_date(as_of)}"), s.subtitle)]
    if not data.entries:
        return [*story, Paragraph(text(w["none"]), s.body)]
    story.extend(_summary(data, language))
    by_site: dict[str, list[ScreeningEntry]] = {}
    for entry in data.entries:
        by_site.setdefault(entry.patient.site_code, []).append(entry)
    for code in sorted(by_site):
        story.append(Spacer(1, 6))
        story.append(heading(f"{w['site']} {code} {data.site_names.get(code, '')}".strip()))
        story.append(_site_table(study, by_site[code], language))
    return story


def build_screening_log(study: StudyDefinition, data: ScreeningLogData,
                        out: Path | BinaryIO, *, printed_by: str, language: str = "en",
                        printed_at: dt.datetime | None = None, page_size: PageSize = "A4",
                        progress: Progress | None = None, cancelled: Cancelled | None = None
                        ) -> RenderResult:
    """Write the screening and enrolment log PDF."""
    w = _W.get(language, _W["en"])
    when = printed_at or dt.datetime.now()
    site = ""
    if data.site_filter:
        site = f"{w['site']} {data.site_filter} {data.site_names.get(data.site_filter, '')}"
    info = DocumentInfo(title=w["title"], subject=f"{study.info.name} {w['title'].lower()}",
                        printed_by=printed_by, printed_at=when, author=printed_by,
                        keywords=(study.info.name, "screening log"), site=site.strip(),
                        language=language, page_size=page_size)
    return render(info, screening_log_story(study, data, language, when.date()), out,
                  progress=progress, cancelled=cancelled)
