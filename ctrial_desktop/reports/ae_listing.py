"""Adverse-event listing: every AE by patient, then counts by term and grade, and by arm.

* **By patient**: one line per adverse event of the AE log (form ``F.AE``) - term,
  grade, start and stop dates, serious, relation to pomalidomide, outcome.
* **By term and grade**: for each CTCAE term, the number of patients whose worst
  grade of the term is 1, 2, 3, 4 or 5, the patients and the events.
* **By arm**: for each term and randomized arm, the number of patients with worst
  grade 1-2, 3, 4 and 5 (the usual presentation of toxicity tables, e.g. in the
  pomalidomide trials' publications); the arm headers give the number of patients.

A patient counts once per term, at their worst grade of that term.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
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
from ctrial_desktop.reports.casebook import value_text
from ctrial_desktop.reports.common import arm_label, colon, fmt_date, site_label
from ctrial_desktop.reports.styles import Column, data_table, para, styles, text
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import Item, StudyDefinition

__all__ = ["AeListingData", "AeRow", "build_ae_listing", "collect_ae_listing",
           "worst_grades"]

AE_FORM: Final = "F.AE"
AE_GROUP: Final = "IG.AE.ROW"
#: Grade bands of the by-arm table.
BANDS: Final[tuple[tuple[str, tuple[int, ...]], ...]] = (
    ("1-2", (1, 2)), ("3", (3,)), ("4", (4,)), ("5", (5,)))

_W: Final[dict[str, dict[str, str]]] = {
    "en": {"title": "Adverse event listing", "by_patient": "Adverse events by patient",
           "by_term": "Patients by term and worst grade", "by_arm": "Patients by arm, term "
           "and worst grade", "patient": "Patient", "arm": "Arm", "term": "CTCAE term",
           "grade": "Grade", "start": "Start", "stop": "Stop", "serious": "Serious",
           "rel": "Relation to pomalidomide", "outcome": "Outcome", "patients": "Patients",
           "events": "Events", "none": "No adverse event recorded.",
           "ongoing": "ongoing", "unrandomized": "Not randomized", "site": "Site",
           "note": "A patient counts once per term, at the worst grade recorded.",
           "g": "Grade"},
    "fr": {"title": "Liste des événements indésirables",
           "by_patient": "Événements indésirables par patient",
           "by_term": "Patients par terme et grade maximal",
           "by_arm": "Patients par bras, terme et grade maximal", "patient": "Patient",
           "arm": "Bras", "term": "Terme CTCAE", "grade": "Grade", "start": "Début",
           "stop": "Fin", "serious": "Grave", "rel": "Relation au pomalidomide",
           "outcome": "Évolution", "patients": "Patients", "events": "Événements",
           "none": "Aucun événement indésirable saisi.", "ongoing": "en cours",
           "unrandomized": "Non randomisé", "site": "Centre",
           "note": "Un patient compte une fois par terme, à son grade maximal.",
           "g": "Grade"},
}


def _w(language: str) -> dict[str, str]:
    return _W.get(language, _W["en"])


@dataclass(frozen=True)
class AeRow:
    """One adverse event as printed (decoded texts) with its grade and the patient's arm."""

    patient_number: str
    arm: str
    term: str
    grade: int | None
    start: dt.date | None
    stop: str
    serious: str
    relation: str
    outcome: str


@dataclass(frozen=True)
class AeListingData:
    """The adverse events of the patients the user may see (one site or all)."""

    rows: tuple[AeRow, ...]
    arm_patients: dict[str, int]
    site_filter: str | None
    site_names: dict[str, str]


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _ae_row(study: StudyDefinition, items: Mapping[str, Item],
            values: Mapping[ValueKey, str], repeat: int, patient_number: str, arm: str,
            language: str) -> AeRow:
    def get(oid: str) -> str | None:
        return values.get(ValueKey(AE_GROUP, repeat, oid))

    def show(oid: str) -> str:
        return value_text(study, items[oid], get(oid), language)

    grade = get("I.AE.GRADE")
    stop = show("I.AE.STOPDAT") or (_w(language)["ongoing"] if get("I.AE.ONGOING") == "Y"
                                      else "")
    return AeRow(patient_number, arm, show("I.AE.TERM"),
                 int(grade) if grade and grade.isdigit() else None,
                 _date(get("I.AE.STARTDAT")), stop, show("I.AE.SERIOUS"),
                 show("I.AE.REL_POM"), show("I.AE.OUTCOME"))


def collect_ae_listing(db: Database, actor: Actor, study: StudyDefinition,
                       site_code: str | None = None, language: str = "en") -> AeListingData:
    """Read every AE of the visible patients (of ``site_code`` when given)."""
    patients = PatientService(db, actor)
    forms = FormService(db, actor, study)
    form = study.form(AE_FORM)
    items = {i.oid: i for i in form.items}
    w = _w(language)
    rows: list[AeRow] = []
    arm_patients: dict[str, int] = defaultdict(int)
    for patient in patients.list_patients(site_code):
        arm = arm_label(study, patient.arm) if patient.arm else ""
        if arm:
            arm_patients[arm] += 1
        for state in patients.form_states(patient.id):
            if state.form_oid != AE_FORM:
                continue
            values = forms.open(patient.id, state.event_oid, state.event_repeat,
                                AE_FORM).values
            for repeat in sorted({k.repeat for k in values if k.group_oid == AE_GROUP}):
                rows.append(_ae_row(study, items, values, repeat, patient.patient_number,
                                    arm or w["unrandomized"], language))
    names = {s.code: s.name for s in SiteService(db, actor).list_sites()}
    rows.sort(key=lambda r: (r.patient_number, r.start or dt.date.min, r.term))
    return AeListingData(tuple(rows), dict(arm_patients), site_code, names)


def worst_grades(rows: Sequence[AeRow]) -> dict[tuple[str, str, str], int]:
    """Worst grade of each (arm, patient, term) among graded events."""
    worst: dict[tuple[str, str, str], int] = {}
    for row in rows:
        if row.grade is None:
            continue
        key = (row.arm, row.patient_number, row.term)
        worst[key] = max(worst.get(key, 0), row.grade)
    return worst


def _by_patient(data: AeListingData, language: str, width: float) -> list[Flowable]:
    w = _w(language)
    # room for "pomalidomide" unbroken in the French header ("Relation au pomalidomide")
    wider = 0.03 if language == "fr" else 0.0
    columns = [Column(w["patient"], width * 0.08, "plain"), Column(w["arm"], width * 0.1),
               Column(w["term"], width * (0.27 - wider)),
               Column(w["grade"], width * 0.06, "flag"),
               Column(w["start"], width * 0.1, "plain"), Column(w["stop"], width * 0.1),
               Column(w["serious"], width * 0.08), Column(w["rel"], width * (0.11 + wider)),
               Column(w["outcome"], width * 0.1)]
    rows = [[r.patient_number, r.arm, r.term, "" if r.grade is None else str(r.grade),
             fmt_date(r.start), r.stop, r.serious, r.relation, r.outcome] for r in data.rows]
    return [heading(w["by_patient"]), data_table(columns, rows, small=True)]


def _by_term(data: AeListingData, language: str, width: float) -> list[Flowable]:
    w = _w(language)
    worst = worst_grades(data.rows)
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * 5)
    for (_arm, _patient, term), grade in worst.items():
        counts[term][grade - 1] += 1
    events: dict[str, int] = defaultdict(int)
    for row in data.rows:
        events[row.term] += 1
    wider = 0.03 if language == "fr" else 0.0  # "Événements" unbroken
    columns = [Column(w["term"], width * (0.4 - wider))] + [
        Column(f"{w['g']} {g}", width * 0.08, "number") for g in range(1, 6)] + [
        Column(w["patients"], width * 0.1, "number"),
        Column(w["events"], width * (0.1 + wider), "number")]
    rows = [[term, *[str(c) for c in counts[term]], str(sum(counts[term])), str(events[term])]
            for term in sorted(events)]
    return [heading(w["by_term"]), data_table(columns, rows, small=True)]


def _by_arm(data: AeListingData, language: str, width: float) -> list[Flowable]:
    w = _w(language)
    worst = worst_grades(data.rows)
    arms = sorted(data.arm_patients)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(BANDS))
    for (arm, _patient, term), grade in worst.items():
        for index, (_label, grades) in enumerate(BANDS):
            if grade in grades:
                counts[(term, arm)][index] += 1
    terms = sorted({term for (arm, _p, term) in worst if arm in data.arm_patients})
    story: list[Flowable] = [heading(w["by_arm"])]
    if not arms or not terms:
        story.append(para(w["none"], styles().small))
        return story
    each = (width * 0.7) / (len(arms) * len(BANDS))
    columns = [Column(w["term"], width * 0.3)]
    for arm in arms:
        short = arm.split(" · ")[-1]
        columns += [Column(f"{short} {w['g']} {label}", each, "number")
                    for label, _g in BANDS]
    rows = [[term, *[str(n) for arm in arms for n in counts[(term, arm)]]] for term in terms]
    legend = " · ".join(f"{arm} (N={data.arm_patients[arm]})" for arm in arms)
    story += [para(f"{colon(w['patients'], language)} {legend}", styles().cell), Spacer(1, 3),
              data_table(columns, rows, small=True), Spacer(1, 4),
              para(w["note"], styles().small)]
    return story


def ae_listing_story(study: StudyDefinition, data: AeListingData, language: str,
                     width: float) -> list[Flowable]:
    """The flowables of the AE listing."""
    w = _w(language)
    s = styles()
    story: list[Flowable] = [Paragraph(text(f"{study.info.name} · {w['title']}"), s.title)]
    if not data.rows:
        return [*story, para(w["none"], s.small)]
    story += _by_patient(data, language, width)
    story += [Spacer(1, 0.4 * cm), *_by_term(data, language, width)]
    story += [Spacer(1, 0.4 * cm), *_by_arm(data, language, width)]
    return story


def build_ae_listing(study: StudyDefinition, data: AeListingData, out: Path | BinaryIO, *,
                     printed_by: str, language: str = "en",
                     printed_at: dt.datetime | None = None, page_size: PageSize = "A4",
                     progress: Progress | None = None, cancelled: Cancelled | None = None
                     ) -> RenderResult:
    """Write the AE listing PDF."""
    w = _w(language)
    when = printed_at or dt.datetime.now()
    site = site_label(data.site_filter, data.site_names, language) if data.site_filter else ""
    info = DocumentInfo(title=w["title"], subject=f"{study.info.name} {w['title'].lower()}",
                        printed_by=printed_by, printed_at=when, author=printed_by,
                        keywords=(study.info.name, "adverse events"), site=site,
                        language=language, page_size=page_size)
    width = info.pagesize[0] - 4 * cm
    return render(info, ae_listing_story(study, data, language, width), out,
                  progress=progress, cancelled=cancelled)
