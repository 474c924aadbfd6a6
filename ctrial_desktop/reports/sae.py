"""The serious adverse event (SAE) report form: one event of one patient.

The regulatory-style form the site sends to the sponsor's pharmacovigilance for one
serious row of the AE log (form ``F.AE``, rows numbered from 1 as in the form):

1. the patient - number, initials, sex, year of birth, site, arm, randomization
   number and date;
2. the event - CTCAE term and code, description, worst grade, start and stop dates,
   the date the site became aware of it, outcome, and the six seriousness criteria
   as check boxes;
3. causality and action for each study drug (pomalidomide, dexamethasone);
4. the study drugs - first dose, dose level of the cycle the event started in, last
   dose on or before the onset (from the daily rows of the dosing forms ``F.POM`` and
   ``F.DEX``; a day counts as dosed unless marked "not taken") and a line per cycle
   started up to the onset (and the cycle after it);
5. relevant laboratory values - haematology and chemistry forms dated from 28 days
   before the onset to the stop date (28 days after the onset when ongoing), each
   value with its CTCAE grade;
6. concomitant medications taken at the onset (partial dates count when they may
   cover it);
7. the narrative: the description of the event entered in the AE form, and room for
   the investigator's narrative;
8. the reporter and the investigator's signature: the signature of the AE form when
   there is a valid one; otherwise the form carries the DRAFT watermark and empty
   signature lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO, Final

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from ctrial_desktop.domain.values import partial_date_bounds
from ctrial_desktop.reports.base import (
    Cancelled,
    DocumentInfo,
    PageSize,
    Progress,
    RenderResult,
    heading,
    render,
)
from ctrial_desktop.reports.casebook import lab_limits_of, value_text
from ctrial_desktop.reports.common import arm_label, fmt_date, fmt_datetime, site_label
from ctrial_desktop.reports.styles import INK, RULE, Column, data_table, para, styles, text
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import ValidationError
from ctrial_desktop.services.forms import FormService, FormSnapshot, ValueKey
from ctrial_desktop.services.lab_grades import lab_grade
from ctrial_desktop.services.normal_ranges import Limits
from ctrial_desktop.services.patients import PatientRow, PatientService
from ctrial_desktop.services.randomization import RandomizationResult, RandomizationService
from ctrial_desktop.services.review import ReviewService, SignatureRow
from ctrial_desktop.services.users import SiteService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import StudyDefinition

__all__ = [
    "DrugExposure",
    "LabRow",
    "SaeData",
    "SeriousEvent",
    "build_sae",
    "collect_sae",
    "serious_events",
]

AE_FORM: Final = "F.AE"
AE_GROUP: Final = "IG.AE.ROW"
#: Days before the onset from which laboratory values are shown.
LAB_DAYS_BEFORE: Final = 28
#: Days after the onset up to which values are shown when the event is ongoing.
LAB_DAYS_AFTER: Final = 28
#: Laboratory items shown, per form, in this order.
LAB_ITEMS: Final[dict[str, tuple[str, ...]]] = {
    "F.HEM": ("I.HEM.HGB", "I.HEM.WBC", "I.HEM.ANC", "I.HEM.LYM", "I.HEM.PLT"),
    "F.CHEM": ("I.CHEM.CREAT", "I.CHEM.CRCL", "I.CHEM.CA_CORR", "I.CHEM.AST",
               "I.CHEM.ALT", "I.CHEM.BILI"),
}
_LAB_DATE: Final = {"F.HEM": "I.HEM.DAT", "F.CHEM": "I.CHEM.DAT"}
#: The study drugs: dosing form, item prefix, relation and action items.
_DRUGS: Final = (("F.POM", "POM", "I.AE.REL_POM", "I.AE.ACTION_POM"),
                 ("F.DEX", "DEX", "I.AE.REL_DEX", "I.AE.ACTION_DEX"))
_CHECKED: Final = "\u2612"
_UNCHECKED: Final = "\u2610"

_W: Final[dict[str, dict[str, str]]] = {
    "en": {
        "title": "Serious adverse event report", "patient_h": "1. Patient",
        "event_h": "2. Serious adverse event", "causality_h": "3. Causality and action taken",
        "drugs_h": "4. Study drugs", "labs_h": "5. Relevant laboratory values",
        "cm_h": "6. Concomitant medications at onset", "narrative_h": "7. Narrative",
        "sign_h": "8. Reporter and investigator", "patient": "Patient",
        "initials": "Initials", "sex": "Sex", "birth": "Year of birth", "site": "Site",
        "arm": "Arm", "number": "Randomization number", "rdate": "Randomized on",
        "not_randomized": "not randomized", "event_no": "AE log row", "term": "CTCAE term",
        "grade": "Worst CTCAE grade", "start": "Onset date", "stop": "Stop date",
        "ongoing": "ongoing", "aware": "Site aware on", "outcome": "Outcome",
        "criteria": "Seriousness criteria", "drug": "Drug", "relation": "Relation to the event",
        "action": "Action taken", "first": "First dose", "level": "Dose level at onset",
        "last": "Last dose before onset", "cycle": "Cycle", "day1": "Day 1",
        "level_c": "level", "total": "taken", "days": "days dosed", "pom": "POM",
        "dex": "DEX", "abbrev": "POM pomalidomide, DEX dexamethasone: dose level of the "
        "cycle, total dose taken and days dosed, per cycle started up to the onset and the "
        "cycle after it.",
        "no_dosing": "No dosing form stored.", "date": "Date", "visit": "Visit",
        "no_labs": "No laboratory value from {start} to {end}.",
        "lab_window": "Forms dated from {start} to {end}; CTCAE grade in brackets.",
        "cm_drug": "Medication", "indication": "Indication", "dose": "Dose",
        "freq": "Frequency", "route": "Route", "cm_start": "Start", "cm_stop": "Stop",
        "no_cm": "No concomitant medication recorded at the onset.",
        "description": "Description entered in the AE form",
        "no_description": "No description entered.",
        "narrative": "Investigator's narrative (course, treatment, tests, dechallenge, "
                     "rechallenge):",
        "reporter": "Reporter (printed by)", "printed": "Printed on",
        "ae_form": "AE form last saved", "investigator": "Investigator",
        "signature": "Signature", "sign_date": "Date",
        "signed": "Signed electronically by {name} on {when} ({meaning}).",
        "unsigned": "The AE form carries no valid signature: this report is a DRAFT until "
                    "the investigator signs the form.",
        "pomalidomide": "Pomalidomide", "dexamethasone": "Dexamethasone", "mg": "mg",
        "not_serious": "Adverse event {number} of patient {patient} is not recorded as "
                       "serious.",
        "no_event": "Patient {patient} has no adverse event {number}.",
        "code": "code",
    },
    "fr": {
        "title": "Déclaration d'événement indésirable grave", "patient_h": "1. Patient",
        "event_h": "2. Événement indésirable grave",
        "causality_h": "3. Imputabilité et mesures prises", "drugs_h": "4. Traitements à l'étude",
        "labs_h": "5. Résultats biologiques pertinents",
        "cm_h": "6. Traitements concomitants au début de l'événement",
        "narrative_h": "7. Description narrative", "sign_h": "8. Déclarant et investigateur",
        "patient": "Patient", "initials": "Initiales", "sex": "Sexe",
        "birth": "Année de naissance", "site": "Centre", "arm": "Bras",
        "number": "Numéro de randomisation", "rdate": "Randomisé le",
        "not_randomized": "non randomisé", "event_no": "Ligne du registre des EI",
        "term": "Terme CTCAE", "grade": "Grade CTCAE maximal", "start": "Date de début",
        "stop": "Date de fin", "ongoing": "en cours", "aware": "Connu du centre le",
        "outcome": "Évolution", "criteria": "Critères de gravité", "drug": "Médicament",
        "relation": "Relation avec l'événement", "action": "Mesure prise",
        "first": "Première prise", "level": "Palier de dose au début",
        "last": "Dernière prise avant le début", "cycle": "Cycle", "day1": "Jour 1",
        "level_c": "palier", "total": "pris", "days": "jours de prise", "pom": "POM",
        "dex": "DEX", "abbrev": "POM pomalidomide, DEX dexaméthasone\u00a0: palier de dose du "
        "cycle, dose totale prise et jours de prise, pour chaque cycle commencé jusqu'au "
        "début de l'événement et le cycle suivant.",
        "no_dosing": "Aucun formulaire d'administration enregistré.", "date": "Date",
        "visit": "Visite", "no_labs": "Aucun résultat biologique du {start} au {end}.",
        "lab_window": "Formulaires datés du {start} au {end}\u00a0; grade CTCAE entre crochets.",
        "cm_drug": "Médicament", "indication": "Indication", "dose": "Dose",
        "freq": "Fréquence", "route": "Voie", "cm_start": "Début", "cm_stop": "Fin",
        "no_cm": "Aucun traitement concomitant saisi au début de l'événement.",
        "description": "Description saisie dans le formulaire EI",
        "no_description": "Aucune description saisie.",
        "narrative": "Description narrative de l'investigateur (évolution, traitement, "
                     "examens, arrêt, réintroduction)\u00a0:",
        "reporter": "Déclarant (imprimé par)", "printed": "Imprimé le",
        "ae_form": "Formulaire EI enregistré", "investigator": "Investigateur",
        "signature": "Signature", "sign_date": "Date",
        "signed": "Signé électroniquement par {name} le {when} ({meaning}).",
        "unsigned": "Le formulaire EI ne porte pas de signature valide\u00a0: cette déclaration "
                    "est un BROUILLON jusqu'à la signature de l'investigateur.",
        "pomalidomide": "Pomalidomide", "dexamethasone": "Dexaméthasone", "mg": "mg",
        "not_serious": "L'événement indésirable {number} du patient {patient} n'est pas "
                       "enregistré comme grave.",
        "no_event": "Le patient {patient} n'a pas d'événement indésirable {number}.",
        "code": "code",
    },
}


def _w(language: str) -> dict[str, str]:
    return _W.get(language, _W["en"])


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class SeriousEvent:
    """A serious row of a patient's AE log, for pickers (``number`` is the row)."""

    number: int
    term: str
    start: dt.date | None
    grade: int | None


@dataclass(frozen=True)
class CycleDose:
    """One cycle of one drug: day 1, dose level, total taken, days dosed."""

    cycle: int
    day1: dt.date | None
    level: str
    total: str
    days: int


@dataclass(frozen=True)
class DrugExposure:
    """One study drug around the event (doses in mg as stored)."""

    name_key: str
    first_dose: dt.date | None
    level_at_onset: str
    last_dose: dt.date | None
    last_dose_mg: str
    cycles: tuple[CycleDose, ...]


@dataclass(frozen=True)
class LabRow:
    """One haematology or chemistry form near the event: date, visit, values."""

    form_oid: str
    day: dt.date
    visit: str
    values: Mapping[ValueKey, str]


@dataclass(frozen=True)
class SaeData:
    """Everything the SAE form shows (plain data read through the services)."""

    patient: PatientRow
    site_name: str
    randomization: RandomizationResult | None
    number: int
    event: Mapping[str, str]
    ae_updated_by: str | None
    ae_updated_at: dt.datetime | None
    signatures: tuple[SignatureRow, ...]
    drugs: tuple[DrugExposure, ...]
    labs: tuple[LabRow, ...]
    medications: tuple[Mapping[str, str], ...]
    lab_window: tuple[dt.date, dt.date] | None
    #: The site's normal ranges for the patient's sex (grades of values without limits).
    lab_limits: Mapping[str, Limits] = field(default_factory=dict)

    @property
    def validly_signed(self) -> bool:
        return any(s.active and s.valid for s in self.signatures)

    @property
    def onset(self) -> dt.date | None:
        return _date(self.event.get("I.AE.STARTDAT"))


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _decimal(raw: str | None) -> Decimal | None:
    try:
        return Decimal(raw) if raw else None
    except InvalidOperation:
        return None


def _ae_rows(values: Mapping[ValueKey, str]) -> dict[int, dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for key, value in values.items():
        if key.group_oid == AE_GROUP:
            rows.setdefault(key.repeat, {})[key.item_oid] = value
    return rows


def _ae_form(forms: FormService, patients: PatientService,
             patient_id: int) -> FormSnapshot | None:
    """The stored AE log form of the patient, or None."""
    for state in patients.form_states(patient_id):
        if state.form_oid == AE_FORM:
            return forms.open(patient_id, state.event_oid, state.event_repeat, AE_FORM)
    return None


def serious_events(db: Database, actor: Actor, study: StudyDefinition,
                   patient_id: int, language: str = "en") -> list[SeriousEvent]:
    """The serious rows of the patient's AE log, in row order."""
    snapshot = _ae_form(FormService(db, actor, study), PatientService(db, actor), patient_id)
    if snapshot is None:
        return []
    term_item = study.item("I.AE.TERM")
    out = []
    for number, row in sorted(_ae_rows(snapshot.values).items()):
        if row.get("I.AE.SERIOUS") != "Y":
            continue
        grade = row.get("I.AE.GRADE", "")
        out.append(SeriousEvent(number, value_text(study, term_item, row.get("I.AE.TERM"),
                                                   language),
                                _date(row.get("I.AE.STARTDAT")),
                                int(grade) if grade.isdigit() else None))
    return out


def _dose_date(day1: dt.date | None, day: str | None) -> dt.date | None:
    if day1 is None or not day or not day.isdigit():
        return None
    return day1 + dt.timedelta(days=int(day) - 1)


def _exposure(name_key: str, prefix: str, cycles: Mapping[int, Mapping[ValueKey, str]],
              day1s: Mapping[int, dt.date | None], onset: dt.date | None) -> DrugExposure:
    cycle_group, day_group = f"IG.{prefix}.CYCLE", f"IG.{prefix}.DAY"
    doses: list[tuple[dt.date, str]] = []
    rows: list[CycleDose] = []
    level_at_onset = ""
    for cycle in sorted(cycles):
        values = cycles[cycle]
        day1 = day1s.get(cycle)
        level = values.get(ValueKey(cycle_group, 1, f"I.{prefix}.LEVEL"), "")
        dosed = 0
        for repeat in sorted({k.repeat for k in values if k.group_oid == day_group}):
            status = values.get(ValueKey(day_group, repeat, f"I.{prefix}.STATUS"))
            dose = values.get(ValueKey(day_group, repeat, f"I.{prefix}.DOSE"), "")
            when = _dose_date(day1, values.get(ValueKey(day_group, repeat, f"I.{prefix}.DAY")))
            amount = _decimal(dose)
            if status == "NOT_TAKEN" or when is None or amount is None or amount <= 0:
                continue
            dosed += 1
            doses.append((when, dose))
        if onset is not None and day1 is not None and day1 <= onset:
            level_at_onset = level
        rows.append(CycleDose(cycle, day1, level,
                              values.get(ValueKey(cycle_group, 1, f"I.{prefix}.CUMDOSE"), ""),
                              dosed))
    doses.sort()
    before = [d for d in doses if onset is None or d[0] <= onset]
    shown = [r for r in rows if onset is None or r.day1 is None or r.day1 <= onset]
    later = [r for r in rows if r not in shown]
    return DrugExposure(name_key, doses[0][0] if doses else None, level_at_onset,
                        before[-1][0] if before else None, before[-1][1] if before else "",
                        tuple(shown + later[:1]))


def _medication_at(row: Mapping[str, str], onset: dt.date | None) -> bool:
    if onset is None:
        return True
    start = row.get("I.CM.STARTDAT")
    if start:
        try:
            if partial_date_bounds(start)[0] > onset:
                return False
        except ValueError:
            pass
    stop = row.get("I.CM.STOPDAT")
    if stop and row.get("I.CM.ONGOING") != "Y":
        try:
            if partial_date_bounds(stop)[1] < onset:
                return False
        except ValueError:
            pass
    return True


def collect_sae(db: Database, actor: Actor, study: StudyDefinition, patient_id: int,
                number: int, language: str = "en") -> SaeData:
    """Read what the SAE form of row ``number`` of the patient's AE log shows.

    Raises :class:`ValidationError` when the row does not exist or is not serious.
    """
    w = _w(language)
    patients = PatientService(db, actor)
    patient = patients.get_patient(patient_id)
    forms = FormService(db, actor, study)
    states = patients.form_states(patient_id)
    ae_state = next((s for s in states if s.form_oid == AE_FORM), None)
    snapshot = forms.open(patient_id, ae_state.event_oid, ae_state.event_repeat, AE_FORM) \
        if ae_state is not None else None
    rows = _ae_rows(snapshot.values) if snapshot is not None else {}
    if number not in rows:
        raise ValidationError(w["no_event"].format(patient=patient.patient_number,
                                                   number=number))
    event = rows[number]
    if event.get("I.AE.SERIOUS") != "Y":
        raise ValidationError(w["not_serious"].format(patient=patient.patient_number,
                                                      number=number))
    onset = _date(event.get("I.AE.STARTDAT"))
    stop = _date(event.get("I.AE.STOPDAT"))
    dosing: dict[str, dict[int, Mapping[ValueKey, str]]] = {"F.POM": {}, "F.DEX": {}}
    labs: list[LabRow] = []
    window: tuple[dt.date, dt.date] | None = None
    if onset is not None:
        end = stop if stop is not None and stop > onset else onset + dt.timedelta(
            days=LAB_DAYS_AFTER)
        window = (onset - dt.timedelta(days=LAB_DAYS_BEFORE), end)
    medications: list[Mapping[str, str]] = []
    for state in states:
        if state.form_oid in dosing and state.event_oid == "SE.CYCLE":
            dosing[state.form_oid][state.event_repeat] = forms.open(
                patient_id, state.event_oid, state.event_repeat, state.form_oid).values
        elif state.form_oid in LAB_ITEMS and window is not None:
            values = forms.open(patient_id, state.event_oid, state.event_repeat,
                                state.form_oid, day=state.visit_day).values
            day = _date(next((v for k, v in values.items()
                              if k.item_oid == _LAB_DATE[state.form_oid]), None))
            if day is not None and window[0] <= day <= window[1]:
                event_def = study.event(state.event_oid)
                visit = event_def.name.get(language)
                if event_def.repeating:
                    visit = f"{visit} {state.event_repeat}"
                if len(event_def.form_days(state.form_oid)) > 1:  # a day of the cycle
                    visit += (f" J{state.visit_day}" if language == "fr"
                              else f" day {state.visit_day}")
                labs.append(LabRow(state.form_oid, day, visit, values))
        elif state.form_oid == "F.CM":
            values = forms.open(patient_id, state.event_oid, state.event_repeat,
                                "F.CM").values
            cm_rows: dict[int, dict[str, str]] = {}
            for key, value in values.items():
                cm_rows.setdefault(key.repeat, {})[key.item_oid] = value
            medications += [row for _n, row in sorted(cm_rows.items())
                            if _medication_at(row, onset)]
    day1s = {cycle: _date(values.get(ValueKey("IG.POM.CYCLE", 1, "I.POM.STARTDAT")))
             for cycle, values in dosing["F.POM"].items()}
    drugs = tuple(_exposure(name, prefix, dosing[form], day1s, onset)
                  for (form, prefix, _r, _a), name in zip(
                      _DRUGS, ("pomalidomide", "dexamethasone"), strict=True))
    signatures = tuple(ReviewService(db, actor).signatures(snapshot.form_data_id)) \
        if snapshot is not None and snapshot.form_data_id is not None else ()
    names = {s.code: s.name for s in SiteService(db, actor).list_sites()}
    return SaeData(
        patient=patient, site_name=names.get(patient.site_code, ""),
        randomization=RandomizationService(db, actor).result_for(patient_id),
        number=number, event=event,
        ae_updated_by=snapshot.updated_by if snapshot else None,
        ae_updated_at=snapshot.updated_at if snapshot else None, signatures=signatures,
        drugs=drugs, labs=tuple(sorted(labs, key=lambda r: (r.day, r.form_oid))),
        medications=tuple(medications), lab_window=window,
        lab_limits=lab_limits_of(db, actor, patient))


# --------------------------------------------------------------------------- layout


def _boxed(rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    """Label/value pairs side by side in a ruled grid (labels small, values bold)."""
    s = styles()
    cells = []
    for row in rows:
        line: list[object] = []
        for index, value in enumerate(row):
            line.append(Paragraph(text(value), s.cell_small if index % 2 == 0 else
                                  s.cell_bold))
        cells.append(line)
    table = Table(cells, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE),
                               ("BOX", (0, 0), (-1, -1), 0.8, INK),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5)]))
    return table


def _pairs(pairs: Sequence[tuple[str, str]], width: float) -> Table:
    """Label/value pairs two to a line."""
    padded = [*pairs, ("", "")] if len(pairs) % 2 else list(pairs)
    rows = [[padded[i][0], padded[i][1], padded[i + 1][0], padded[i + 1][1]]
            for i in range(0, len(padded), 2)]
    return _boxed(rows, [width * 0.17, width * 0.33, width * 0.17, width * 0.33])


def _show(study: StudyDefinition, data: SaeData, oid: str, language: str) -> str:
    return value_text(study, study.item(oid), data.event.get(oid), language)


def _patient_story(study: StudyDefinition, data: SaeData, language: str,
                   width: float) -> list[Flowable]:
    w = _w(language)
    p = data.patient
    r = data.randomization
    birth = p.birth_year or (p.birth_date.year if p.birth_date else None)
    pairs = [(w["patient"], p.patient_number), (w["initials"], p.initials),
             (w["sex"], p.sex), (w["birth"], str(birth or "")),
             (w["site"], site_label(p.site_code, {p.site_code: data.site_name}, language)),
             (w["arm"], arm_label(study, r.arm if r else p.arm) or w["not_randomized"]),
             (w["number"], r.number if r else ""),
             (w["rdate"], fmt_datetime(r.randomized_at) if r else "")]
    return [heading(w["patient_h"], 0), _pairs(pairs, width)]


def _event_story(study: StudyDefinition, data: SaeData, language: str,
                 width: float) -> list[Flowable]:
    w = _w(language)
    s = styles()
    ev = data.event
    stop = _show(study, data, "I.AE.STOPDAT", language) or (
        w["ongoing"] if ev.get("I.AE.ONGOING") == "Y" else "")
    term = _show(study, data, "I.AE.TERM", language)
    pairs = [(w["term"], term), (w["event_no"], str(data.number)),
             (w["grade"], _show(study, data, "I.AE.GRADE", language)),
             (w["outcome"], _show(study, data, "I.AE.OUTCOME", language)),
             (w["start"], _show(study, data, "I.AE.STARTDAT", language)),
             (w["stop"], stop),
             (w["aware"], _show(study, data, "I.AE.SAE_AWAREDAT", language))]
    chosen = set((ev.get("I.AE.SAE_CRIT") or "").split(","))
    codelist = study.codelist(study.item("I.AE.SAE_CRIT").codelist or "")
    boxes = [f"{_CHECKED if str(c.code) in chosen else _UNCHECKED} {c.decode.get(language)}"
             for c in codelist.items]
    half = (len(boxes) + 1) // 2
    grid = [[Paragraph(text(boxes[i]), s.cell),
             Paragraph(text(boxes[i + half]), s.cell) if i + half < len(boxes) else ""]
            for i in range(half)]
    criteria = Table(grid, colWidths=[width / 2, width / 2], hAlign="LEFT")
    criteria.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, INK),
                                  ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]))
    return [heading(w["event_h"], 0), _pairs(pairs, width), Spacer(1, 5),
            Paragraph(text(w["criteria"]), s.block_title), criteria]


def _causality_story(study: StudyDefinition, data: SaeData, language: str,
                     width: float) -> list[Flowable]:
    w = _w(language)
    columns = [Column(w["drug"], width * 0.3), Column(w["relation"], width * 0.35),
               Column(w["action"], width * 0.35)]
    rows = [[w[name], _show(study, data, rel, language), _show(study, data, act, language)]
            for (_f, _p, rel, act), name in zip(_DRUGS, ("pomalidomide", "dexamethasone"),
                                                 strict=True)]
    return [heading(w["causality_h"], 0), data_table(columns, rows)]


def _drug_story(data: SaeData, language: str, width: float) -> list[Flowable]:
    w = _w(language)
    s = styles()
    story: list[Flowable] = [heading(w["drugs_h"], 0)]
    columns = [Column(w["drug"], width * 0.25), Column(w["first"], width * 0.2, "plain"),
               Column(w["level"], width * 0.25, "plain"),
               Column(w["last"], width * 0.3, "plain")]
    rows = []
    for drug in data.drugs:
        last = fmt_date(drug.last_dose)
        if last and drug.last_dose_mg:
            last = f"{last} ({drug.last_dose_mg} {w['mg']})"
        level = f"{drug.level_at_onset} {w['mg']}" if drug.level_at_onset else ""
        rows.append([w[drug.name_key], fmt_date(drug.first_dose), level, last])
    story.append(data_table(columns, rows))
    by_cycle: dict[int, dict[str, CycleDose]] = {}
    for drug in data.drugs:
        for c in drug.cycles:
            by_cycle.setdefault(c.cycle, {})[drug.name_key] = c
    if not by_cycle:
        story.append(para(w["no_dosing"], s.small))
        return story
    pom, dex = w["pom"], w["dex"]
    cycle_columns = [
        Column(w["cycle"], width * 0.08, "number"), Column(w["day1"], width * 0.14, "plain"),
        Column(f"{pom} {w['level_c']}", width * 0.13, "number", w["mg"]),
        Column(f"{pom} {w['total']}", width * 0.13, "number", w["mg"]),
        Column(f"{pom} {w['days']}", width * 0.13, "number"),
        Column(f"{dex} {w['level_c']}", width * 0.13, "number", w["mg"]),
        Column(f"{dex} {w['total']}", width * 0.13, "number", w["mg"]),
        Column(f"{dex} {w['days']}", width * 0.13, "number")]
    cycle_rows = []
    for cycle in sorted(by_cycle):
        p = by_cycle[cycle].get("pomalidomide")
        d = by_cycle[cycle].get("dexamethasone")
        day1 = (p.day1 if p else None) or (d.day1 if d else None)
        cycle_rows.append([str(cycle), fmt_date(day1), p.level if p else "",
                           p.total if p else "", str(p.days) if p else "",
                           d.level if d else "", d.total if d else "",
                           str(d.days) if d else ""])
    story += [Spacer(1, 4), data_table(cycle_columns, cycle_rows, small=True),
              para(w["abbrev"], s.small)]
    return story


def _lab_cell(study: StudyDefinition, values: Mapping[ValueKey, str], oid: str,
              language: str, limits: Mapping[str, Limits] | None = None) -> str:
    key = next((k for k in values if k.item_oid == oid), None)
    if key is None:
        return ""
    shown = value_text(study, study.item(oid), values[key], language)
    grade = lab_grade(key, values, study.settings.ctcae.version, limits)
    return f"{shown} [{grade}]" if grade else shown


def _lab_story(study: StudyDefinition, data: SaeData, language: str,
               width: float) -> list[Flowable]:
    w = _w(language)
    s = styles()
    story: list[Flowable] = [heading(w["labs_h"], 0)]
    if data.lab_window is None:
        return story
    start, end = (fmt_date(d) for d in data.lab_window)
    if not data.labs:
        story.append(para(w["no_labs"].format(start=start, end=end), s.small))
        return story
    story.append(para(w["lab_window"].format(start=start, end=end), s.small))
    for form_oid, oids in LAB_ITEMS.items():
        rows = [r for r in data.labs if r.form_oid == form_oid]
        if not rows:
            continue
        first = width * 0.13
        each = (width - 2 * first) / len(oids)
        columns = [Column(w["date"], first, "plain"), Column(w["visit"], first)]
        for oid in oids:
            item = study.item(oid)
            unit = study.unit(item.unit).shown(language) if item.unit else None
            label = item.label.get(language).split(" (")[0]
            columns.append(Column(label, each, "plain", unit))
        table_rows = [[fmt_date(r.day), r.visit, *[_lab_cell(study, r.values, oid, language,
                                                             data.lab_limits)
                                                   for oid in oids]] for r in rows]
        story += [Spacer(1, 3), KeepTogether([
            Paragraph(text(study.form(form_oid).name.get(language)), s.block_title),
            data_table(columns, table_rows, small=True)])]
    return story


def _cm_story(study: StudyDefinition, data: SaeData, language: str,
              width: float) -> list[Flowable]:
    w = _w(language)
    story: list[Flowable] = [heading(w["cm_h"], 0)]
    if not data.medications:
        story.append(para(w["no_cm"], styles().small))
        return story
    spec = [("I.CM.DRUG", "cm_drug", 0.2), ("I.CM.INDICATION", "indication", 0.2),
            ("I.CM.DOSE", "dose", 0.12), ("I.CM.FREQ", "freq", 0.12),
            ("I.CM.ROUTE", "route", 0.12), ("I.CM.STARTDAT", "cm_start", 0.12),
            ("I.CM.STOPDAT", "cm_stop", 0.12)]
    columns = [Column(w[label], width * share) for _oid, label, share in spec]
    rows = []
    for med in data.medications:
        row = [value_text(study, study.item(oid), med.get(oid), language)
               for oid, _l, _s in spec]
        if not row[-1] and med.get("I.CM.ONGOING") == "Y":
            row[-1] = w["ongoing"]
        rows.append(row)
    story.append(data_table(columns, rows, small=True))
    return story


def _narrative_story(study: StudyDefinition, data: SaeData, language: str,
                     width: float) -> list[Flowable]:
    w = _w(language)
    s = styles()
    description = data.event.get("I.AE.SPECIFY") or ""
    lines = Table([[""] for _ in range(7)], colWidths=[width], rowHeights=[0.75 * cm] * 7,
                  hAlign="LEFT")
    lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                               ("BOX", (0, 0), (-1, -1), 0.8, INK)]))
    return [heading(w["narrative_h"], 0), Paragraph(text(w["description"]), s.block_title),
            para(description or w["no_description"], s.cell if description else s.small),
            Spacer(1, 6), Paragraph(text(w["narrative"]), s.block_title), lines]


def _signature_story(data: SaeData, printed_by: str, printed_at: dt.datetime,
                     language: str, width: float) -> list[Flowable]:
    w = _w(language)
    s = styles()
    pairs = [(w["reporter"], printed_by), (w["printed"], printed_at.strftime("%d/%m/%Y %H:%M")),
             (w["ae_form"], f"{data.ae_updated_by or ''} {fmt_datetime(data.ae_updated_at)}"
              .strip())]
    story: list[Flowable] = [heading(w["sign_h"], 0),
                             _pairs(pairs, width), Spacer(1, 6)]
    valid = next((sig for sig in data.signatures if sig.active and sig.valid), None)
    if valid is not None:
        story.append(para(w["signed"].format(name=valid.printed_name,
                                             when=fmt_datetime(valid.signed_at),
                                             meaning=valid.meaning), s.body))
        name, when = valid.printed_name, fmt_datetime(valid.signed_at)
    else:
        story.append(para(w["unsigned"], s.small))
        name, when = "", ""
    block = Table([[Paragraph(text(w["investigator"]), s.cell_small),
                    Paragraph(text(w["signature"]), s.cell_small),
                    Paragraph(text(w["sign_date"]), s.cell_small)],
                   [Paragraph(text(name), s.cell_bold), "", Paragraph(text(when), s.cell_bold)]],
                  colWidths=[width * 0.4, width * 0.35, width * 0.25],
                  rowHeights=[None, 1.4 * cm], hAlign="LEFT")
    block.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE),
                               ("BOX", (0, 0), (-1, -1), 0.8, INK),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 4), block]
    return [KeepTogether(story)]


def sae_story(study: StudyDefinition, data: SaeData, language: str, width: float, *,
              printed_by: str, printed_at: dt.datetime) -> list[Flowable]:
    """The flowables of one SAE report form."""
    w = _w(language)
    s = styles()
    story: list[Flowable] = [
        Paragraph(text(f"{study.info.name} · {w['title']}"), s.title),
        Paragraph(text(study.info.title.get(language)), s.subtitle)]
    story += _patient_story(study, data, language, width)
    story += _event_story(study, data, language, width)
    story += _causality_story(study, data, language, width)
    story += _drug_story(data, language, width)
    story += _lab_story(study, data, language, width)
    story += _cm_story(study, data, language, width)
    story += _narrative_story(study, data, language, width)
    story += _signature_story(data, printed_by, printed_at, language, width)
    return story


def build_sae(study: StudyDefinition, data: SaeData, out: Path | BinaryIO, *,
              printed_by: str, language: str = "en", printed_at: dt.datetime | None = None,
              page_size: PageSize = "A4", progress: Progress | None = None,
              cancelled: Cancelled | None = None) -> RenderResult:
    """Write the SAE report form PDF (DRAFT watermark unless the AE form is validly signed)."""
    w = _w(language)
    when = printed_at or dt.datetime.now()
    p = data.patient
    info = DocumentInfo(
        title=f"{w['title']} {p.patient_number} #{data.number}",
        subject=f"{study.info.name} {w['title'].lower()} {p.patient_number}",
        printed_by=printed_by, printed_at=when, author=printed_by,
        keywords=(study.info.name, "serious adverse event", p.patient_number),
        site=site_label(p.site_code, {p.site_code: data.site_name}, language),
        patient=f"{w['patient']} {p.patient_number}", form=w["title"], language=language,
        page_size=page_size, draft=not data.validly_signed)
    width = info.pagesize[0] - 4 * cm
    return render(info, sae_story(study, data, language, width, printed_by=printed_by,
                                  printed_at=when), out, progress=progress,
                  cancelled=cancelled)
