"""The patient casebook: every stored form of one patient, then the patient's audit trail.

Layout:

* a cover page - patient number, initials, site, arm, randomization number and date,
  status - with the list of the patient's forms (status, signed, open queries);
* every form in visit order (the events of the schedule in the study's order, repeats
  in order, the forms of each event in the event's order), each starting on a new
  page with the header "IFM 2009-02 · Site · Patient · Form (version)": the form's
  status, its stored values (labels in the report language, units, decoded codes;
  repeating groups as tables), the CTCAE grade next to each haematology and
  chemistry value that has one (PROTOCOL section 7: the grade is derived from the
  value and its normal limits by :func:`ctrial_desktop.domain.ctcae.grade_lab`),
  its signatures (name, date and time, meaning, valid or BROKEN) and its queries
  with their message threads;
* an appendix with the audit records of the patient (when the user may view the
  audit trail), leaving out the "active = true" INSERT record that rows written before
  the implied-value rule carry (see "Audit trail" in the README; newer rows have none:
  the row's own values say that it was created; removals and restorations of rows are
  kept).

Computed items (creatinine clearance, corrected calcium, ...) are stored with the
values and printed like them. The DRAFT watermark is put on the pages of every form
that carries no valid signature, not on the whole document: a signed form's pages
stay clean.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Final

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import ActionFlowable

from ctrial_desktop.domain.ctcae import CtcaeTerm, load_ctcae_terms
from ctrial_desktop.domain.values import format_for_display
from ctrial_desktop.paths import resources_dir
from ctrial_desktop.reports.base import (
    Cancelled,
    DocumentInfo,
    HeaderContext,
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
    fmt_datetime,
    site_label,
    status_label,
    system_reason,
)
from ctrial_desktop.reports.styles import (
    RULE,
    Column,
    data_table,
    para,
    styles,
    table_text,
    text,
    text_style_commands,
)
from ctrial_desktop.services.audit_review import AuditEntry, AuditReviewService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import PermissionDenied
from ctrial_desktop.services.forms import FormService, FormSnapshot, ValueKey
from ctrial_desktop.services.lab_grades import lab_grade, lab_test_of
from ctrial_desktop.services.normal_ranges import Limits, NormalRangeService
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.services.randomization import RandomizationResult, RandomizationService
from ctrial_desktop.services.review import QueryRow, ReviewService, SignatureRow
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import Form, Item, ItemGroup, StudyDefinition

__all__ = [
    "CasebookData",
    "CasebookForm",
    "build_casebook",
    "build_filled_form",
    "casebook_story",
    "collect_casebook",
    "collect_form",
    "lab_grade",
    "value_text",
]

#: Item OID endings of the laboratory values and the CTCAE test each holds; the normal
#: Repeating groups with more items than this are printed one column per row.
_WIDE_GROUP: Final = 6
#: Rows of a wide repeating group side by side on one table.
_ROWS_PER_TABLE: Final = 4

_W: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title": "Patient casebook", "patient": "Patient", "initials": "Initials",
        "sex": "Sex", "birth": "Year of birth", "site": "Site", "arm": "Arm",
        "number": "Randomization number", "rdate": "Randomized on", "status": "Status",
        "consent": "Consent date", "forms": "Forms", "visit": "Visit", "form": "Form",
        "version": "Version", "signed": "Signed", "queries": "Open queries",
        "form_status": "Form status", "verified": "source data verified",
        "locked": "locked", "item": "Item", "value": "Value", "grade": "CTCAE grade",
        "row": "Row", "signatures": "Signatures", "name": "Name",
        "when": "Date and time", "meaning": "Meaning", "check": "Check",
        "valid": "valid", "broken": "BROKEN", "withdrawn": "withdrawn",
        "unsigned": "Not signed.", "query_list": "Queries", "noquery": "No query.",
        "raised": "Raised", "by": "by", "about": "About", "audit": "Appendix: audit trail",
        "seq": "No.", "user": "User", "action": "Action", "target": "What",
        "old": "Old value", "new": "New value", "reason": "Reason",
        "noaudit": "Your role does not give access to the audit trail.",
        "noforms": "No form entered.", "yes": "yes", "no": "no",
        "draft_note": "Pages of forms without a valid signature carry the DRAFT watermark.",
        "not_started": "not started", "in_progress": "in progress", "complete": "complete",
        "empty": "No value entered.", "ctcae": "CTCAE version",
        "not_gradable": "not gradable", "day": "day {day}",
        "open": "open", "answered": "answered", "closed": "closed",
        "raise": "raise", "answer": "answer", "close": "close", "reopen": "reopen",
    },
    "fr": {
        "not_gradable": "non gradable", "day": "J{day}",
        "open": "ouverte", "answered": "répondue", "closed": "close",
        "raise": "émission", "answer": "réponse", "close": "clôture",
        "reopen": "réouverture",
        "title": "Cahier d'observation du patient", "patient": "Patient",
        "initials": "Initiales", "sex": "Sexe", "birth": "Année de naissance",
        "site": "Centre", "arm": "Bras", "number": "Numéro de randomisation",
        "rdate": "Randomisé le", "status": "Statut", "consent": "Date du consentement",
        "forms": "Formulaires", "visit": "Visite", "form": "Formulaire",
        "version": "Version", "signed": "Signé", "queries": "Requêtes ouvertes",
        "form_status": "Statut du formulaire", "verified": "vérifié sur les sources",
        "locked": "verrouillé", "item": "Item", "value": "Valeur", "grade": "Grade CTCAE",
        "row": "Ligne", "signatures": "Signatures", "name": "Nom",
        "when": "Date et heure", "meaning": "Signification", "check": "Contrôle",
        "valid": "valide", "broken": "ROMPUE", "withdrawn": "retirée",
        "unsigned": "Non signé.", "query_list": "Requêtes", "noquery": "Aucune requête.",
        "raised": "Émise", "by": "par", "about": "Objet",
        "audit": "Annexe\u00a0: piste d'audit", "seq": "N°", "user": "Utilisateur",
        "action": "Action", "target": "Objet", "old": "Ancienne valeur",
        "new": "Nouvelle valeur", "reason": "Motif",
        "noaudit": "Votre rôle ne donne pas accès à la piste d'audit.",
        "noforms": "Aucun formulaire saisi.", "yes": "oui", "no": "non",
        "draft_note": "Les pages des formulaires sans signature valide portent le "
                      "filigrane BROUILLON.",
        "not_started": "non commencé", "in_progress": "en cours", "complete": "complet",
        "empty": "Aucune valeur saisie.", "ctcae": "Version CTCAE",
    },
}


def _w(language: str) -> dict[str, str]:
    return _W.get(language, _W["en"])


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class CasebookForm:
    """One stored form of the patient with its signatures and queries."""

    snapshot: FormSnapshot
    signatures: tuple[SignatureRow, ...]
    queries: tuple[QueryRow, ...]

    @property
    def validly_signed(self) -> bool:
        """Signed, and the active signature still matches the stored data."""
        return any(s.active and s.valid for s in self.signatures)


@dataclass(frozen=True)
class CasebookData:
    """Everything one casebook shows (plain data read through the services).

    ``audit`` is None when the user may not view the audit trail. ``lab_limits`` are the
    site's normal ranges for the patient's sex (grading of values without own limits).
    """

    patient: PatientRow
    site_name: str
    randomization: RandomizationResult | None
    forms: tuple[CasebookForm, ...]
    audit: tuple[AuditEntry, ...] | None
    lab_limits: Mapping[str, Limits] = field(default_factory=dict)


def lab_limits_of(db: Database, actor: Actor, patient: PatientRow) -> dict[str, Limits]:
    """The site's normal ranges for the patient's sex ({} when the user may not read them)."""
    try:
        return NormalRangeService(db, actor).limits_for(patient.site_code, patient.sex)
    except PermissionDenied:
        return {}


def _event_label(study: StudyDefinition, event_oid: str, repeat: int, language: str) -> str:
    try:
        event = study.event(event_oid)
    except KeyError:
        return f"{event_oid} {repeat}"
    name = event.name.get(language)
    return f"{name} {repeat}" if event.repeating else name


def _visit_order(study: StudyDefinition) -> dict[tuple[str, str], tuple[int, int]]:
    order: dict[tuple[str, str], tuple[int, int]] = {}
    for e_index, event in enumerate(study.events):
        for f_index, ref in enumerate(event.forms):
            order[(event.oid, ref.form)] = (e_index, f_index)
    return order


def collect_casebook(db: Database, actor: Actor, study: StudyDefinition,
                     patient_id: int) -> CasebookData:
    """Read one patient's casebook: forms in visit order, signatures, queries, audit."""
    patients = PatientService(db, actor)
    patient = patients.get_patient(patient_id)
    result = RandomizationService(db, actor).result_for(patient_id)
    names = {s.code: s.name for s in SiteService(db, actor).list_sites()}
    review = ReviewService(db, actor)
    forms = FormService(db, actor, study)
    queries: dict[int, list[QueryRow]] = {}
    for query in review.list_queries(patient_id=patient_id):
        queries.setdefault(query.form_data_id, []).append(query)
    order = _visit_order(study)
    states = sorted(patients.form_states(patient_id), key=lambda s: (
        order.get((s.event_oid, s.form_oid), (len(order), 0))[0], s.event_repeat,
        order.get((s.event_oid, s.form_oid), (0, len(order)))[1], s.form_oid, s.visit_day))
    entries = []
    for state in states:
        snapshot = forms.open(patient_id, state.event_oid, state.event_repeat, state.form_oid,
                              day=state.visit_day)
        entries.append(CasebookForm(
            snapshot,
            tuple(review.signatures(state.form_data_id)),
            tuple(queries.get(state.form_data_id, ()))))
    audit: tuple[AuditEntry, ...] | None
    try:
        audit = tuple(AuditReviewService(db, actor, study).patient_entries(patient_id))
    except PermissionDenied:
        audit = None
    return CasebookData(patient, names.get(patient.site_code, ""), result, tuple(entries),
                        audit, lab_limits_of(db, actor, patient))


def collect_form(db: Database, actor: Actor, study: StudyDefinition, patient_id: int,
                 event_oid: str, event_repeat: int, form_oid: str, *,
                 day: int | None = None) -> CasebookData:
    """Read one form instance of a patient (values, signatures, queries) to print it alone
    (``day``: the instance of a form due on several days of the visit, None its first)."""
    patient = PatientService(db, actor).get_patient(patient_id)
    snapshot = FormService(db, actor, study).open(patient_id, event_oid, event_repeat,
                                                  form_oid, day=day)
    review = ReviewService(db, actor)
    signatures: tuple[SignatureRow, ...] = ()
    queries: tuple[QueryRow, ...] = ()
    if snapshot.form_data_id is not None:
        signatures = tuple(review.signatures(snapshot.form_data_id))
        queries = tuple(q for q in review.list_queries(patient_id=patient_id)
                        if q.form_data_id == snapshot.form_data_id)
    names = {s.code: s.name for s in SiteService(db, actor).list_sites()}
    return CasebookData(patient, names.get(patient.site_code, ""),
                        RandomizationService(db, actor).result_for(patient_id),
                        (CasebookForm(snapshot, signatures, queries),), None,
                        lab_limits_of(db, actor, patient))


# --------------------------------------------------------------------------- values


@lru_cache(maxsize=2)
def _terms(version: str) -> dict[str, CtcaeTerm]:
    return {t.meddra_code: t for t in load_ctcae_terms(resources_dir() / "ctcae", version)}


def value_text(study: StudyDefinition, item: Item, canonical: str | None,
               language: str = "en") -> str:
    """A stored value as printed: decoded codes, CTCAE term names, dates, decimal marks."""
    if canonical is None or canonical == "":
        return ""
    if item.codelist and item.type in ("choice", "multi_choice"):
        codelist = study.codelist(item.codelist)
        codes = canonical.split(",") if item.type == "multi_choice" else [canonical]
        decoded = []
        for code in codes:
            key: str | int = int(code) if codelist.data_type == "integer" and \
                code.lstrip("-").isdigit() else code
            decoded.append(codelist.decode(key, language) or code)
        return ", ".join(decoded)
    if item.type == "ctcae_term":
        term = _terms(study.settings.ctcae.version).get(canonical)
        return f"{term.term} ({canonical})" if term else canonical
    return format_for_display(item.value_type, canonical, language)


# --------------------------------------------------------------------------- layout


class _DraftPages(ActionFlowable):
    """From the next page on, the DRAFT watermark is drawn (or not) on every page."""

    def __init__(self, draft: bool) -> None:
        super().__init__(("draftPages",))
        self.draft = draft

    def apply(self, doc: Any) -> None:
        doc.info = replace(doc.info, draft=self.draft)


#: ReportLab's default left and right padding of a table cell.
_CELL_PAD: Final = 6


def _key_values(rows: Sequence[tuple[str, str]], width: float) -> Table:
    s = styles()
    widths = [0.4 * width, 0.6 * width]
    table = Table([[table_text(k, s.cell, widths[0] - _CELL_PAD - _CELL_PAD),
                    table_text(v, s.cell_bold, widths[1] - _CELL_PAD - _CELL_PAD)]
                   for k, v in rows], colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 3),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                               *text_style_commands(s.cell, (0, 0), (0, -1)),
                               *text_style_commands(s.cell_bold, (1, 0), (1, -1))]))
    return table


def _item_label(study: StudyDefinition, item: Item, language: str) -> str:
    label = item.label.get(language)
    if item.unit:
        label = f"{label} ({study.unit(item.unit).shown(language)})"
    return label


def _grade_text(key: ValueKey, values: Mapping[ValueKey, str], version: str,
                limits: Mapping[str, Limits], language: str) -> str:
    grade = lab_grade(key, values, version, limits)
    if grade is None:
        return _w(language)["not_gradable"] if values.get(key) else ""
    return str(grade)


def _group_story(study: StudyDefinition, group: ItemGroup, values: Mapping[ValueKey, str],
                 language: str, width: float,
                 limits: Mapping[str, Limits] | None = None) -> list[Flowable]:
    w = _w(language)
    version = study.settings.ctcae.version
    graded = any(lab_test_of(i.oid) for i in group.items)
    story: list[Flowable] = [para(group.name.get(language), styles().block_title)]
    if not group.repeating:
        columns = [Column(w["item"], width * (0.5 if graded else 0.55)),
                   Column(w["value"], width * (0.35 if graded else 0.45))]
        if graded:
            columns.append(Column(w["grade"], width * 0.15, "flag"))
        rows = []
        for item in group.items:
            key = ValueKey(group.oid, 1, item.oid)
            row: list[object] = [_item_label(study, item, language),
                                 value_text(study, item, values.get(key), language)]
            if graded:
                row.append(_grade_text(key, values, version, limits or {}, language)
                           if lab_test_of(item.oid) else "")
            rows.append(row)
        story.append(data_table(columns, rows))
        return story
    repeats = sorted({k.repeat for k in values if k.group_oid == group.oid})
    if not repeats:
        story.append(para(w["empty"], styles().small))
        return story
    items = [i for i in group.items
             if any(ValueKey(group.oid, r, i.oid) in values for r in repeats)]
    if len(items) <= _WIDE_GROUP:
        first = width * 0.08
        each = (width - first) / max(len(items), 1)
        columns = [Column(w["row"], first, "plain")] + [
            Column(_item_label(study, i, language), each) for i in items]
        rows = [[str(r)] + [value_text(study, i, values.get(ValueKey(group.oid, r, i.oid)),
                                       language) for i in items] for r in repeats]
        story.append(data_table(columns, rows))
        return story
    for start in range(0, len(repeats), _ROWS_PER_TABLE):
        chunk = repeats[start:start + _ROWS_PER_TABLE]
        first = width * 0.3
        each = (width - first) / _ROWS_PER_TABLE
        columns = [Column(w["item"], first)] + [Column(f"{w['row']} {r}", each) for r in chunk]
        rows = [[_item_label(study, i, language)] + [
            value_text(study, i, values.get(ValueKey(group.oid, r, i.oid)), language)
            for r in chunk] for i in items]
        story += [data_table(columns, rows, small=True), Spacer(1, 4)]
    return story


def _signature_story(entry: CasebookForm, language: str, width: float) -> list[Flowable]:
    w = _w(language)
    story: list[Flowable] = [para(w["signatures"], styles().block_title)]
    if not entry.signatures:
        story.append(para(w["unsigned"], styles().small))
        return story
    columns = [Column(w["name"], width * 0.25), Column(w["when"], width * 0.2, "plain"),
               Column(w["meaning"], width * 0.4), Column(w["check"], width * 0.15)]
    rows = []
    for s in entry.signatures:
        check = w["withdrawn"] if not s.active else (w["valid"] if s.valid else w["broken"])
        rows.append([s.printed_name, fmt_datetime(s.signed_at), s.meaning, check])
    story.append(data_table(columns, rows))
    return story


def _query_story(study: StudyDefinition, entry: CasebookForm, language: str,
                 width: float) -> list[Flowable]:
    w = _w(language)
    s = styles()
    story: list[Flowable] = [para(w["query_list"], s.block_title)]
    if not entry.queries:
        story.append(para(w["noquery"], s.small))
        return story
    for query in entry.queries:
        about = query.item_oid
        if about and study.has_item(about):
            about = study.item(about).label.get(language)
            if query.group_repeat > 1:
                about = f"{about} ({w['row']} {query.group_repeat})"
        head = (f"#{query.id} · {w.get(query.status, query.status)} · {w['raised']} "
                f"{fmt_datetime(query.raised_at)} {w['by']} {query.raised_by}"
                + (f" · {colon(w['about'], language)} {about}" if about else ""))
        columns = [Column(w["when"], width * 0.18, "plain"), Column(w["user"], width * 0.14),
                   Column(w["action"], width * 0.12), Column(w["value"], width * 0.56)]
        rows = [[fmt_datetime(m.written_at), m.author, w.get(m.kind, m.kind), m.text]
                for m in query.messages]
        story += [para(head, s.cell), data_table(columns, rows, small=True),
                  Spacer(1, 4)]
    return story


def _visit(study: StudyDefinition, entry: CasebookForm, language: str) -> str:
    return _event_label(study, entry.snapshot.event_oid, entry.snapshot.event_repeat, language)


def _form(study: StudyDefinition, oid: str) -> Form | None:
    try:
        return study.form(oid)
    except KeyError:
        return None


def _form_name(study: StudyDefinition, oid: str, language: str) -> str:
    form = _form(study, oid)
    return form.name.get(language) if form else oid


def _instance_name(study: StudyDefinition, snap: FormSnapshot, language: str) -> str:
    """The form's name, with its day for a form due on several days of the visit."""
    name = _form_name(study, snap.form_oid, language)
    try:
        days = study.event(snap.event_oid).form_days(snap.form_oid)
    except KeyError:
        days = ()
    if len(days) > 1:
        return f"{name} · {_w(language)['day'].format(day=snap.visit_day)}"
    return name


def _form_story(study: StudyDefinition, data: CasebookData, entry: CasebookForm,
                language: str, width: float) -> list[Flowable]:
    w = _w(language)
    snap = entry.snapshot
    form = _form(study, snap.form_oid)
    name = _instance_name(study, snap, language)
    version = snap.form_version or (form.version if form else "")
    status = [w.get(snap.status, snap.status)]
    if snap.verified:
        status.append(w["verified"])
    if snap.locked:
        status.append(w["locked"])
    story: list[Flowable] = [
        HeaderContext(form=f"{name} ({version})"),
        heading(f"{_visit(study, entry, language)} · {name}", 1),
        para(f"{colon(w['form_status'], language)} {', '.join(status)} · {w['version']} {version}"
             + (f" · {snap.updated_by} {fmt_datetime(snap.updated_at)}"
                if snap.updated_by else ""), styles().cell),
        Spacer(1, 4),
    ]
    if form is not None:
        for group in form.item_groups:
            story += _group_story(study, group, snap.values, language, width,
                                  data.lab_limits)
            story.append(Spacer(1, 5))
    story += _signature_story(entry, language, width)
    story.append(Spacer(1, 5))
    story += _query_story(study, entry, language, width)
    return story


def _cover_story(study: StudyDefinition, data: CasebookData, language: str,
                 width: float) -> list[Flowable]:
    w = _w(language)
    s = styles()
    p = data.patient
    r = data.randomization
    rows = [(w["patient"], p.patient_number), (w["initials"], p.initials),
            (w["sex"], p.sex), (w["birth"], str(p.birth_year or
                                                (p.birth_date.year if p.birth_date else ""))),
            (w["site"], site_label(p.site_code, {p.site_code: data.site_name}, language)),
            (w["consent"], fmt_date(p.consent_date)),
            (w["status"], status_label(p.status, language)),
            (w["arm"], arm_label(study, r.arm if r else p.arm)),
            (w["number"], r.number if r else ""),
            (w["rdate"], fmt_datetime(r.randomized_at) if r else ""),
            (w["ctcae"], study.settings.ctcae.version)]
    story: list[Flowable] = [
        heading(f"{w['patient']} {p.patient_number}", 0),
        Paragraph(text(f"{study.info.name} · {w['title']}"), s.title),
        Paragraph(text(study.info.title.get(language)), s.subtitle),
        _key_values(rows, width * 0.8), Spacer(1, 0.6 * cm),
        Paragraph(text(w["forms"]), s.h2),
    ]
    if not data.forms:
        story.append(para(w["noforms"], s.small))
        return story
    columns = [Column(w["visit"], width * 0.22), Column(w["form"], width * 0.36),
               Column(w["form_status"], width * 0.16), Column(w["signed"], width * 0.12),
               Column(w["queries"], width * 0.14, "number")]
    rows2 = []
    for entry in data.forms:
        snap = entry.snapshot
        form_name = _instance_name(study, snap, language)
        signed = w["yes"] if entry.validly_signed else (
            w["broken"] if any(sig.active for sig in entry.signatures) else w["no"])
        rows2.append([_visit(study, entry, language), form_name,
                      w.get(snap.status, snap.status), signed,
                      str(sum(q.status == "open" for q in entry.queries))])
    story += [data_table(columns, rows2, small=True), Spacer(1, 4),
              para(w["draft_note"], s.small)]
    return story


def _audit_story(data: CasebookData, language: str, width: float,
                 study: StudyDefinition | None = None) -> list[Flowable]:
    w = _w(language)
    names = {f.name.en: f.name.fr for f in study.forms} if study is not None else {}
    story: list[Flowable] = [HeaderContext(form=""), heading(w["audit"], 0)]
    if data.audit is None:
        story.append(para(w["noaudit"], styles().small))
        return story
    # The plain columns are never wrapped: room for a 7-digit number, a date and time
    # with seconds and FORM_SAVED.
    columns = [Column(w["seq"], width * 0.076, "plain"),
               Column(w["when"], width * 0.165, "plain"),
               Column(w["user"], width * 0.09, "plain"),
               Column(w["action"], width * 0.11, "plain"),
               Column(w["target"], width * 0.179), Column(w["old"], width * 0.125),
               Column(w["new"], width * 0.125), Column(w["reason"], width * 0.13)]
    rows = [[str(e.seq), fmt_datetime(e.timestamp_utc, seconds=True), e.username, e.action,
             e.target, e.old_value or "", e.new_value or "",
             system_reason(e.reason, language, names)]
            for e in data.audit
            if not (e.item == "active" and e.action == "INSERT")]
    story.append(data_table(columns, rows, small=True))
    return story


def casebook_story(study: StudyDefinition, data: CasebookData, language: str,
                   width: float) -> list[Flowable]:
    """The flowables of one casebook (cover, forms, audit appendix)."""
    story = _cover_story(study, data, language, width)
    current_event = None
    for entry in data.forms:
        story += [_DraftPages(not entry.validly_signed), PageBreak()]
        visit = _visit(study, entry, language)
        if visit != current_event:
            current_event = visit
            story.append(heading(visit, 0))
        story += _form_story(study, data, entry, language, width)
    story += [_DraftPages(False), PageBreak()]
    story += _audit_story(data, language, width, study)
    return story


def build_casebook(study: StudyDefinition, data: CasebookData, out: Path | BinaryIO, *,
                   printed_by: str, language: str = "en",
                   printed_at: dt.datetime | None = None, page_size: PageSize = "A4",
                   progress: Progress | None = None, cancelled: Cancelled | None = None
                   ) -> RenderResult:
    """Write one patient's casebook PDF (see the module docstring)."""
    w = _w(language)
    when = printed_at or dt.datetime.now()
    p = data.patient
    info = DocumentInfo(
        title=f"{w['title']} {p.patient_number}",
        subject=f"{study.info.name} {w['title'].lower()} {p.patient_number}",
        printed_by=printed_by, printed_at=when, author=printed_by,
        keywords=(study.info.name, "casebook", p.patient_number),
        site=site_label(p.site_code, {p.site_code: data.site_name}, language),
        patient=f"{w['patient']} {p.patient_number}", language=language,
        page_size=page_size)
    width = info.pagesize[0] - 4 * cm
    return render(info, casebook_story(study, data, language, width), out,
                  progress=progress, cancelled=cancelled)


def build_filled_form(study: StudyDefinition, data: CasebookData, out: Path | BinaryIO, *,
                      printed_by: str, language: str = "en",
                      printed_at: dt.datetime | None = None, page_size: PageSize = "A4",
                      progress: Progress | None = None, cancelled: Cancelled | None = None
                      ) -> RenderResult:
    """Write the form(s) of ``data`` as the casebook prints them, without cover or appendix.

    The DRAFT watermark is on unless every form carries a valid signature.
    """
    w = _w(language)
    when = printed_at or dt.datetime.now()
    p = data.patient
    names = ", ".join(_form_name(study, f.snapshot.form_oid, language) for f in data.forms)
    info = DocumentInfo(
        title=f"{names} {p.patient_number}",
        subject=f"{study.info.name} {names} {p.patient_number}",
        printed_by=printed_by, printed_at=when, author=printed_by,
        keywords=(study.info.name, "case report form", p.patient_number),
        site=site_label(p.site_code, {p.site_code: data.site_name}, language),
        patient=f"{w['patient']} {p.patient_number}", language=language,
        page_size=page_size, draft=not all(f.validly_signed for f in data.forms))
    width = info.pagesize[0] - 4 * cm
    story: list[Flowable] = []
    for index, entry in enumerate(data.forms):
        if index:
            story.append(PageBreak())
        story.append(heading(_visit(study, entry, language), 0))
        story += _form_story(study, data, entry, language, width)
    return render(info, story, out, progress=progress, cancelled=cancelled)
