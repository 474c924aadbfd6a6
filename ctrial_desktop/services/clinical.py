"""Clinical summary of one patient: IMWG response, relative dose intensity and dose advice.

The mapping from stored forms to the inputs of the pure engines lives here once and is
shared with the CSV export (:mod:`ctrial_desktop.exchange.csv_export`):

* disease assessments (``F.DA``): the screening assessment is the baseline, the involved
  light chain is that of the medical history (``I.MH.LIGHT``), assessments after the start
  of a new anti-myeloma therapy (follow-up ``I.FU.NEWTX_DAT``) are not counted (IMWG
  uniform response criteria, Durie et al., Leukemia 2006; Rajkumar et al., Blood 2011);
* dosing forms (``F.POM``, ``F.DEX``): one dose record per daily row, a dose not taken
  counts 0 mg;
* dose advice: the latest haematology (``F.HEM``), the open adverse events (``F.AE`` rows
  without a stop date; related when the relation is possible, probable or definite) and
  the current dose levels (latest ``I.POM.LEVEL`` / ``I.DEX.LEVEL``).

The engines get the study's settings (:mod:`ctrial_desktop.services.engine_settings`),
the same as the export. Reading needs ``VIEW_PATIENTS`` at the patient's site.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from ctrial_desktop.domain.ctcae import load_ctcae_terms
from ctrial_desktop.domain.dosing import (
    DEXAMETHASONE,
    POMALIDOMIDE,
    AdverseEventInput,
    DoseAdvice,
    DoseAdviceInput,
    DoseIntensity,
    DoseRecord,
    DoseRules,
    advise_dose,
    dose_intensity,
    starting_dexamethasone_mg,
)
from ctrial_desktop.domain.imwg import (
    Assessment,
    Baseline,
    ImwgInputError,
    ImwgResult,
    ImwgSettings,
    evaluate_response,
)
from ctrial_desktop.domain.messages import Message
from ctrial_desktop.paths import resources_dir
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.engine_settings import dose_rules, imwg_settings
from ctrial_desktop.services.errors import NotFound, ValidationError
from ctrial_desktop.services.export import ExportService, StoredForm
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import Patient, Site
from ctrial_desktop.study import StudyDefinition

_IFE = {"POS": "positive", "NEG": "negative"}
_RELATED = frozenset({"POSSIBLE", "PROBABLE", "DEFINITE"})
#: Drug, dosing form and item prefix.
DOSING_FORMS: tuple[tuple[str, str, str], ...] = ((POMALIDOMIDE, "F.POM", "I.POM"),
                                                  (DEXAMETHASONE, "F.DEX", "I.DEX"))


# --------------------------------------------------------------------------- mapping


def forms_of(forms: Sequence[StoredForm], form_oid: str,
             event_oid: str | None = None) -> list[StoredForm]:
    """The forms ``form_oid`` (of one event if given), by event, repeat and visit day."""
    return sorted((f for f in forms if f.form_oid == form_oid
                   and (event_oid is None or f.event_oid == event_oid)),
                  key=lambda f: (f.event_oid, f.event_repeat, f.visit_day))


def value_of(form: StoredForm, item: str, repeat: int = 1) -> str | None:
    """The stored value of ``item`` in row ``repeat`` of the form, or None."""
    for (_group, row, oid), value in form.values.items():
        if oid == item and row == repeat:
            return value
    return None


def first_value(forms: Sequence[StoredForm], form_oid: str, item: str,
                event_oid: str | None = None) -> str | None:
    """The first stored value of ``item`` among the forms ``form_oid``."""
    for form in forms_of(forms, form_oid, event_oid):
        value = value_of(form, item)
        if value is not None:
            return value
    return None


def rows_of(form: StoredForm, group: str) -> dict[int, dict[str, str]]:
    """The rows of a repeating group: row number -> item -> value."""
    rows: dict[int, dict[str, str]] = defaultdict(dict)
    for (group_oid, repeat, item), value in form.values.items():
        if group_oid == group:
            rows[repeat][item] = value
    return dict(sorted(rows.items()))


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _flat(form: StoredForm) -> dict[str, str]:
    return {item: value for (_g, _r, item), value in form.values.items()}


def _disease(values: dict[str, str]) -> dict[str, float | str | None]:
    def measured(done: str, item: str) -> float | None:
        return _float(values.get(item)) if values.get(done) == "Y" else None

    spd: float | None = None
    if values.get("I.DA.PCT_PRESENT") == "Y":
        spd = _float(values.get("I.DA.PCT_SPD"))
    elif values.get("I.DA.PCT_PRESENT") == "N":
        spd = 0.0
    return {"serum_m": measured("I.DA.SPEP_DONE", "I.DA.SMP"),
            "urine_m": measured("I.DA.UPEP_DONE", "I.DA.UMP"),
            "flc_kappa": measured("I.DA.FLC_DONE", "I.DA.KAPPA"),
            "flc_lambda": measured("I.DA.FLC_DONE", "I.DA.LAMBDA"),
            "serum_ife": _IFE.get(values.get("I.DA.SIFE", "")),
            "urine_ife": _IFE.get(values.get("I.DA.UIFE", "")),
            "plasmacytoma_spd": spd}


def _opt(value: float | str | None) -> float | None:
    return value if isinstance(value, float) else None


def _text(value: float | str | None) -> str | None:
    return value if isinstance(value, str) else None


def dated_assessments(forms: Sequence[StoredForm]) -> list[tuple[dt.date, StoredForm]]:
    """The dated disease assessments after screening, by date."""
    dated = [(day, form) for form in forms_of(forms, "F.DA") if form.event_oid != "SE.SCREEN"
             if (day := _date(_flat(form).get("I.DA.DAT"))) is not None]
    return sorted(dated, key=lambda pair: pair[0])


def imwg_inputs(forms: Sequence[StoredForm]
                ) -> tuple[Baseline, list[Assessment], dt.date | None] | str:
    """Baseline, assessments and new-therapy date of one patient, or why there are none."""
    screening = forms_of(forms, "F.DA", "SE.SCREEN")
    if not screening:
        return Message("no screening disease assessment")
    base_values = _flat(screening[0])
    base_date = _date(base_values.get("I.DA.DAT"))
    if base_date is None:
        return Message("no date of the screening disease assessment")
    base = _disease(base_values)
    light = first_value(forms, "F.MH", "I.MH.LIGHT")
    involved = light.lower() if light in ("KAPPA", "LAMBDA") else None
    spd = base["plasmacytoma_spd"]
    baseline = Baseline(base_date, serum_m=_opt(base["serum_m"]), urine_m=_opt(base["urine_m"]),
                        flc_kappa=_opt(base["flc_kappa"]), flc_lambda=_opt(base["flc_lambda"]),
                        involved_flc=involved,
                        plasmacytoma_spd=_opt(spd) if spd else None)
    assessments = []
    for day, form in dated_assessments(forms):
        values = _flat(form)
        d = _disease(values)
        assessments.append(Assessment(
            day, serum_m=_opt(d["serum_m"]), serum_ife=_text(d["serum_ife"]),
            urine_m=_opt(d["urine_m"]), urine_ife=_text(d["urine_ife"]),
            flc_kappa=_opt(d["flc_kappa"]), flc_lambda=_opt(d["flc_lambda"]),
            plasmacytoma_spd=_opt(d["plasmacytoma_spd"]) if baseline.plasmacytoma_spd else None,
            new_lesion=values.get("I.DA.PCT_NEW") == "Y" if "I.DA.PCT_NEW" in values else None))
    new_therapy = min((d for f in forms_of(forms, "F.FU")
                       if (d := _date(value_of(f, "I.FU.NEWTX_DAT"))) is not None), default=None)
    return baseline, assessments, new_therapy


def evaluate_forms(forms: Sequence[StoredForm], settings: ImwgSettings | None = None
                   ) -> tuple[ImwgResult | None, int, dt.date | None, str]:
    """IMWG result, assessments evaluated, baseline date and why no result (or "").

    ``settings`` are those of the study (:func:`imwg_settings`); the engine's
    defaults when None.
    """
    inputs = imwg_inputs(forms)
    if isinstance(inputs, str):
        return None, 0, None, inputs
    baseline, assessments, new_therapy = inputs
    if not assessments:
        return None, 0, baseline.date, Message("no disease assessment after baseline")
    try:
        result = evaluate_response(baseline, assessments, new_therapy, settings)
    except ImwgInputError as exc:
        # the message itself (English as str, French on screen)
        return None, len(assessments), baseline.date, exc.args[0] if exc.args else str(exc)
    return result, len(result.assessments), baseline.date, ""


def first_progression(forms: Sequence[StoredForm], result: ImwgResult | None
                      ) -> tuple[dt.date | None, tuple[str, ...]]:
    """The first progression date of a patient and where it comes from: the IMWG
    engine's confirmed PD, the end-of-treatment form's progression date, a follow-up's."""
    dates: dict[str, dt.date] = {}
    if result is not None and result.progression_date is not None:
        dates["IMWG"] = result.progression_date
    eot = _date(first_value(forms, "F.EOT", "I.EOT.PDDAT"))
    if eot is not None:
        dates["EOT"] = eot
    follow_up = [d for f in forms_of(forms, "F.FU") if value_of(f, "I.FU.PD") == "Y"
                 and (d := _date(value_of(f, "I.FU.PDDAT"))) is not None]
    if follow_up:
        dates["FU"] = min(follow_up)
    if not dates:
        return None, ()
    first = min(dates.values())
    return first, tuple(k for k, d in dates.items() if d == first)


def dose_records(forms: Sequence[StoredForm], drug: str) -> tuple[list[DoseRecord], list[int]]:
    """Daily dose records of ``drug`` and the cycles having its dosing form."""
    form_oid, prefix = next((f, p) for d, f, p in DOSING_FORMS if d == drug)
    cycles = forms_of(forms, form_oid, "SE.CYCLE")
    records = []
    for form in cycles:
        for row in rows_of(form, f"IG.{prefix[2:]}.DAY").values():
            day = row.get(f"{prefix}.DAY", "")
            if not day.isdigit() or int(day) < 1:
                continue
            taken = row.get(f"{prefix}.STATUS") != "NOT_TAKEN"
            dose = _float(row.get(f"{prefix}.DOSE")) if taken else 0.0
            records.append(DoseRecord(form.event_repeat, int(day), drug, dose or 0.0))
    return records, [f.event_repeat for f in cycles]


def patient_age(forms: Sequence[StoredForm]) -> float | None:
    """Age at screening (``I.DM.AGE``)."""
    return _float(first_value(forms, "F.DM", "I.DM.AGE"))


# --------------------------------------------------------------------------- service


@dataclass(frozen=True)
class AssessmentRow:
    """One disease assessment after baseline and its IMWG category (None: not evaluable)."""

    event_oid: str
    event_repeat: int
    visit: str
    date: dt.date
    category: str | None
    confirmed: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ResponseSummary:
    """IMWG response of a patient; ``best_response`` is "NE" when nothing is evaluable."""

    baseline_date: dt.date | None
    assessments: tuple[AssessmentRow, ...]
    best_response: str
    best_response_date: dt.date | None
    progression_date: dt.date | None
    note: str


@dataclass(frozen=True)
class IntensityRow:
    """Delivered and planned dose of one drug in one cycle (``cycle`` None: cumulative)."""

    drug: str
    cycle: int | None
    delivered_mg: float
    planned_mg: float
    rdi_percent: float | None


@dataclass(frozen=True)
class AdviceInputs:
    """What the dose advice was computed from (shown beside it)."""

    haematology_date: dt.date | None
    anc: float | None
    platelets: float | None
    open_adverse_events: tuple[AdverseEventInput, ...]
    pomalidomide_mg: float | None
    dexamethasone_mg: float | None
    arm: str
    age_years: float


@dataclass(frozen=True)
class ClinicalDoseAdvice:
    """The advisor's proposal and its inputs; no proposal (None) once treatment ended.

    ``treatment_ended`` is the date of the end-of-treatment form (``I.EOT.DAT``), None
    while the patient is on treatment.
    """

    advice: DoseAdvice | None
    inputs: AdviceInputs
    treatment_ended: dt.date | None = None


class ClinicalService:
    """Clinical summary of one patient, read from the stored forms."""

    def __init__(self, db: Database, actor: Actor, study: StudyDefinition) -> None:
        self.db = db
        self.actor = actor
        self.study = study
        self._terms: dict[str, str] | None = None
        self.imwg_settings: ImwgSettings = imwg_settings(study)
        self.dose_rules: DoseRules = dose_rules(study)

    def _load(self, patient_id: int) -> tuple[str | None, list[StoredForm]]:
        with self.db.read() as session:
            row = session.execute(select(Patient.arm, Site.code)
                                  .join(Site, Patient.site_id == Site.id)
                                  .where(Patient.id == patient_id)).first()
        if row is None:
            raise NotFound(Message("No patient #{patient_id}.", patient_id=patient_id))
        arm, site = row
        self.actor.require(Action.VIEW_PATIENTS, site)
        known = {form.oid for form in self.study.forms}
        forms = [f for f in ExportService(self.db, self.actor).forms([patient_id])
                 if f.form_oid in known]
        return arm, forms

    def _visit(self, event_oid: str, repeat: int) -> str:
        try:
            event = self.study.event(event_oid)
        except KeyError:
            return f"{event_oid} {repeat}"
        if event.repeating:
            return Message.verbatim("{name} {repeat}", name=event.name, repeat=repeat)
        return Message.verbatim("{name}", name=event.name)

    def response(self, patient_id: int) -> ResponseSummary:
        """IMWG response per assessment, best overall response and progression date."""
        _arm, forms = self._load(patient_id)
        result, _count, base_date, note = evaluate_forms(forms, self.imwg_settings)
        if result is None:
            return ResponseSummary(base_date, (), "NE", None, None, note)
        by_date = {day: form for day, form in dated_assessments(forms)}
        rows = []
        for item in result.assessments:
            form = by_date[item.date]
            rows.append(AssessmentRow(
                form.event_oid, form.event_repeat, self._visit(form.event_oid, form.event_repeat),
                item.date, item.response.name if item.response is not None else None,
                item.confirmed, tuple(item.reasons)))
        return ResponseSummary(base_date, tuple(rows), result.best_overall_response.name,
                               result.best_response_date, result.progression_date, "")

    def dose_intensity(self, patient_id: int) -> list[IntensityRow]:
        """Per cycle then cumulative rows for pomalidomide, then for dexamethasone."""
        arm, forms = self._load(patient_id)
        if arm is None:
            return []
        age = patient_age(forms)
        rows: list[IntensityRow] = []
        for drug, _form, _prefix in DOSING_FORMS:
            records, cycles = dose_records(forms, drug)
            if not cycles or (age is None and drug == DEXAMETHASONE):
                continue
            result: DoseIntensity = dose_intensity(records, drug, arm, age or 0.0, cycles=cycles,
                                                   rules=self.dose_rules)
            rows.extend(IntensityRow(drug, c.cycle, c.delivered_mg, c.planned_mg,
                                     c.relative_dose_intensity * 100) for c in result.cycles)
            rdi = result.relative_dose_intensity
            rows.append(IntensityRow(drug, None, result.delivered_mg, result.planned_mg,
                                     None if rdi is None else rdi * 100))
        return rows

    def _term_names(self) -> dict[str, str]:
        if self._terms is None:
            terms = load_ctcae_terms(resources_dir() / "ctcae", self.study.settings.ctcae.version)
            self._terms = {t.meddra_code: t.term for t in terms}
        return self._terms

    def dose_advice(self, patient_id: int, *, cycle_start: bool = False,
                    before_cycle: int | None = None) -> ClinicalDoseAdvice:
        """Proposal for both drugs from the latest haematology, open AEs and dose levels.

        ``cycle_start`` applies the rules of the start of a cycle (a new cycle waits for
        the ANC and platelet limits); ``before_cycle`` takes the current dose levels from
        the cycles before it only (the advice for that cycle, whatever it records).

        No proposal once an end-of-treatment form is stored. Raises
        :class:`ValidationError` for a patient not randomized or without age.
        """
        arm, forms = self._load(patient_id)
        if arm is None:
            raise ValidationError(Message("The patient is not randomized: no dose advice."))
        age = patient_age(forms)
        if age is None:
            raise ValidationError(Message("No age at screening: no dose advice."))
        latest: tuple[dt.date, StoredForm] | None = None
        for form in forms_of(forms, "F.HEM"):
            day = _date(value_of(form, "I.HEM.DAT"))
            if day is not None and (latest is None or day >= latest[0]):
                latest = (day, form)
        anc = _float(value_of(latest[1], "I.HEM.ANC")) if latest else None
        platelets = _float(value_of(latest[1], "I.HEM.PLT")) if latest else None
        names = self._term_names()
        events = []
        for form in forms_of(forms, "F.AE"):
            for row in rows_of(form, "IG.AE.ROW").values():
                grade = row.get("I.AE.GRADE", "")
                if row.get("I.AE.STOPDAT") or not grade.isdigit() or not 1 <= int(grade) <= 5:
                    continue
                code = row.get("I.AE.TERM", "")
                events.append(AdverseEventInput(
                    names.get(code, row.get("I.AE.SPECIFY") or code), int(grade),
                    related_pomalidomide=row.get("I.AE.REL_POM") in _RELATED,
                    related_dexamethasone=row.get("I.AE.REL_DEX") in _RELATED))
        levels: dict[str, float | None] = {}
        for drug, form_oid, prefix in DOSING_FORMS:
            cycles = sorted((f for f in forms_of(forms, form_oid, "SE.CYCLE")
                             if before_cycle is None or f.event_repeat < before_cycle),
                            key=lambda f: f.event_repeat)
            given = [mg for f in cycles if (mg := _float(value_of(f, f"{prefix}.LEVEL")))]
            levels[drug] = given[-1] if given else None
        pom = levels[POMALIDOMIDE]
        if pom is None:
            pom = self.dose_rules.pomalidomide_levels_mg[0]
        dex = levels[DEXAMETHASONE]
        if dex is None:
            dex = starting_dexamethasone_mg(age, self.dose_rules)
        data = DoseAdviceInput(arm=arm, age_years=age, pomalidomide_mg=pom, dexamethasone_mg=dex,
                               anc=anc, platelets=platelets, adverse_events=tuple(events),
                               cycle_start=cycle_start)
        inputs = AdviceInputs(latest[0] if latest else None, anc, platelets, tuple(events),
                              pom, dex, arm, age)
        eot = forms_of(forms, "F.EOT")
        if eot:
            return ClinicalDoseAdvice(None, inputs, _date(value_of(eot[0], "I.EOT.DAT")))
        try:
            advice = advise_dose(data, self.dose_rules)
        except ValueError as exc:
            raise ValidationError(Message("No dose advice: {exc}", exc=exc)) from exc
        return ClinicalDoseAdvice(advice, inputs)
