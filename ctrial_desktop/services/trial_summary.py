"""Trial summary by arm: enrolment, exposure, best response, toxicity, and the data of the
CONSORT, swimmer, waterfall and Kaplan-Meier figures.

Definitions (the analysis population is every randomized patient, intention to treat):

* **Best response**: the IMWG engine's best overall response (PROTOCOL section 6); ORR
  is sCR + CR + VGPR + PR over the randomized patients of the arm, with its exact 95%
  Clopper-Pearson interval.
* **Progression-free survival**: randomization to the first progression (the engine's
  confirmed PD, or the progression date of the end-of-treatment or a follow-up form) or
  death; censored at the last disease assessment (randomization when none). **Overall
  survival**: randomization to death; censored at the last contact (the latest date of
  any visit, end of treatment, follow-up or "last known alive"). Months are days /
  30.4375. These follow the usual myeloma trial conventions (IMWG consensus,
  Rajkumar et al. 2011); the protocol does not define them further.
* **Exposure**: cycles started and the cumulative relative dose intensity of each drug
  (PROTOCOL section 2).
* **Worst toxicity**: per patient and CTCAE term the worst grade of its AEs.
* **Waterfall**: per patient the best (lowest) % change from baseline of the main
  measurable parameter: serum M-protein when measurable at baseline (>= 5 g/L), else
  urine M-protein (>= 200 mg/24 h), else the involved free light chain (>= 100 mg/L)
  (PROTOCOL section 6, measurable disease).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ctrial_desktop.domain.dosing import dose_intensity
from ctrial_desktop.domain.stats import clopper_pearson
from ctrial_desktop.services import clinical
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.engine_settings import dose_rules, imwg_settings
from ctrial_desktop.services.export import ExportService, StoredForm
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import StudyDefinition

DAYS_PER_MONTH = 30.4375
RESPONSE_ORDER = ("sCR", "CR", "VGPR", "PR", "MR", "SD", "PD", "NE")
RESPONDERS = frozenset({"sCR", "CR", "VGPR", "PR"})


@dataclass(frozen=True)
class PatientCourse:
    """One randomized patient as the summary and its figures use it."""

    patient_number: str
    arm: str
    randomized_on: dt.date
    treated: bool
    cycles: int
    best_response: str
    response_date: dt.date | None
    progression_date: dt.date | None
    end_of_treatment: dt.date | None
    eot_reason: str
    death_date: dt.date | None
    last_contact: dt.date
    last_assessment: dt.date | None
    rdi: dict[str, float | None]
    best_change_percent: float | None
    change_parameter: str
    worst_grades: dict[str, int]

    def months(self, day: dt.date) -> float:
        return (day - self.randomized_on).days / DAYS_PER_MONTH

    @property
    def pfs(self) -> tuple[float, bool]:
        """(months, event) of progression-free survival."""
        events = [d for d in (self.progression_date, self.death_date) if d is not None]
        if events:
            return self.months(min(events)), True
        return self.months(self.last_assessment or self.randomized_on), False

    @property
    def os(self) -> tuple[float, bool]:
        if self.death_date is not None:
            return self.months(self.death_date), True
        return self.months(self.last_contact), False

    @property
    def on_treatment_until(self) -> dt.date:
        return self.end_of_treatment or self.last_contact


@dataclass(frozen=True)
class ArmSummary:
    arm: str
    name: str
    patients: tuple[PatientCourse, ...]

    @property
    def n(self) -> int:
        return len(self.patients)

    @property
    def responses(self) -> Counter[str]:
        return Counter(p.best_response for p in self.patients)

    @property
    def responders(self) -> int:
        return sum(1 for p in self.patients if p.best_response in RESPONDERS)

    def orr(self) -> tuple[float, float, float] | None:
        """ORR and its exact 95% interval, None without patients."""
        if not self.patients:
            return None
        low, high = clopper_pearson(self.responders, self.n)
        return self.responders / self.n, low, high


@dataclass(frozen=True)
class Consort:
    screened: int
    screen_failures: dict[str, int]
    in_screening: int
    randomized: dict[str, int]
    treated: dict[str, int]
    discontinued: dict[str, dict[str, int]]
    on_treatment: dict[str, int]
    analysed: dict[str, int]
    #: French words of the reasons of :attr:`discontinued` and :attr:`screen_failures`
    #: (keyed by the English words the counts use).
    reasons_fr: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TrialSummary:
    arms: tuple[ArmSummary, ...]
    consort: Consort
    cutoff: dt.date
    site_code: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def patients(self) -> list[PatientCourse]:
        return [p for arm in self.arms for p in arm.patients]


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def _best_change(forms: Sequence[StoredForm]) -> tuple[float | None, str]:
    inputs = clinical.imwg_inputs(forms)
    if isinstance(inputs, str):
        return None, ""
    base, assessments, _new = inputs
    involved = (base.flc_kappa if base.involved_flc == "kappa" else
                base.flc_lambda if base.involved_flc == "lambda" else None)
    for name, baseline, minimum in (("serum M-protein", base.serum_m, 5.0),
                                    ("urine M-protein", base.urine_m, 200.0),
                                    ("involved FLC", involved, 100.0)):
        if baseline is None or baseline < minimum:
            continue
        values = []
        for a in assessments:
            value = (a.serum_m if name.startswith("serum") else a.urine_m
                     if name.startswith("urine") else
                     a.flc_kappa if base.involved_flc == "kappa" else a.flc_lambda)
            if value is not None:
                values.append((value - baseline) / baseline * 100)
        return (min(values) if values else None), name
    return None, ""


def _course(study: StudyDefinition, number: str, arm: str, randomized: dt.date,
            forms: Sequence[StoredForm]) -> PatientCourse:
    result, _count, _base, _note = clinical.evaluate_forms(forms, imwg_settings(study))
    progression, _sources = clinical.first_progression(forms, result)
    cycles = sorted({f.event_repeat for f in forms if f.event_oid == "SE.CYCLE"
                     and f.form_oid == "F.POM"})
    eot = clinical.forms_of(forms, "F.EOT")
    eot_date = _date(clinical.value_of(eot[0], "I.EOT.DAT")) if eot else None
    reason = (clinical.value_of(eot[0], "I.EOT.REASON") or "") if eot else ""
    death = _date(clinical.first_value(forms, "F.DEATH", "I.DEATH.DAT"))
    dates = [d for f in forms for k, v in f.values.items()
             if k[2].endswith("DAT") and (d := _date(v)) is not None and d >= randomized]
    assessments = [d for d, _f in clinical.dated_assessments(forms)]
    age = clinical.patient_age(forms) or 0.0
    rdi: dict[str, float | None] = {}
    for drug, _form, _prefix in clinical.DOSING_FORMS:
        records, drug_cycles = clinical.dose_records(forms, drug)
        if not drug_cycles:
            rdi[drug] = None
            continue
        try:
            rdi[drug] = dose_intensity(records, drug, arm, age, cycles=drug_cycles,
                                       rules=dose_rules(study)).relative_dose_intensity
        except ValueError:
            rdi[drug] = None
    worst: dict[str, int] = {}
    for form in clinical.forms_of(forms, "F.AE"):
        for row in clinical.rows_of(form, "IG.AE.ROW").values():
            term, grade = row.get("I.AE.TERM"), row.get("I.AE.GRADE", "")
            if term and grade.isdigit():
                worst[term] = max(worst.get(term, 0), int(grade))
    change, parameter = _best_change(forms)
    best = result.best_overall_response.name if result is not None else "NE"
    return PatientCourse(
        number, arm, randomized, bool(cycles), len(cycles), best,
        result.best_response_date if result is not None else None, progression, eot_date,
        reason, death, max([randomized, *dates]), max(assessments) if assessments else None,
        rdi, change, parameter, worst)


def collect_trial_summary(db: Database, actor: Actor, study: StudyDefinition,
                          site_code: str | None = None) -> TrialSummary:
    """Read every randomized patient of the sites the user may export (or ``site_code``)."""
    service = ExportService(db, actor)
    sites = service.sites(site_code)
    everyone = [p for p in PatientService(db, actor).list_patients(site_code)
                if p.site_code in sites]
    randomized = [p for p in service.patients(sites) if p.arm and p.randomized_on]
    forms: dict[int, list[StoredForm]] = defaultdict(list)
    for form in service.forms([p.id for p in randomized]):
        forms[form.patient_id].append(form)
    by_arm: dict[str, list[PatientCourse]] = defaultdict(list)
    for p in randomized:
        assert p.arm is not None and p.randomized_on is not None
        by_arm[p.arm].append(_course(study, p.patient_number, p.arm, p.randomized_on,
                                     forms[p.id]))
    arms = tuple(ArmSummary(a.code, a.name.en, tuple(by_arm.get(a.code, ())))
                 for a in study.arms)
    eot_codes = {}
    reasons_fr = {"not given": "non précisé"}
    item = study.item("I.EOT.REASON")
    if item.codelist:
        eot_codes = {str(c.code): c.decode.en for c in study.codelist(item.codelist).items}
        reasons_fr |= {c.decode.en: c.decode.fr or c.decode.en
                       for c in study.codelist(item.codelist).items}
    failures = Counter(p.screen_fail_reason or "not given" for p in everyone
                       if p.status == "screen_failed")
    consort = Consort(
        screened=len(everyone), screen_failures=dict(failures),
        in_screening=sum(1 for p in everyone if p.status == "screening"),
        randomized={a.arm: a.n for a in arms},
        treated={a.arm: sum(1 for p in a.patients if p.treated) for a in arms},
        discontinued={a.arm: dict(Counter(eot_codes.get(p.eot_reason, p.eot_reason or "not given")
                                          for p in a.patients if p.end_of_treatment))
                      for a in arms},
        on_treatment={a.arm: sum(1 for p in a.patients if p.treated and not p.end_of_treatment)
                      for a in arms},
        analysed={a.arm: a.n for a in arms}, reasons_fr=reasons_fr)
    cutoff = max((p.last_contact for a in arms for p in a.patients), default=dt.date.today())
    return TrialSummary(arms, consort, cutoff, site_code)


def worst_grade_table(summary: TrialSummary, term_names: dict[str, str], *, minimum: int = 3
                      ) -> list[tuple[str, dict[str, tuple[int, int, int]]]]:
    """Terms with a grade >= ``minimum`` in any patient: per arm (any grade, grade 3-4,
    grade 5) patient counts, most frequent first."""
    terms = {t for p in summary.patients for t, g in p.worst_grades.items() if g >= minimum}
    rows = []
    for term in terms:
        per_arm = {}
        for arm in summary.arms:
            grades = [p.worst_grades[term] for p in arm.patients if term in p.worst_grades]
            per_arm[arm.arm] = (len(grades), sum(1 for g in grades if g in (3, 4)),
                                sum(1 for g in grades if g == 5))
        rows.append((term_names.get(term, term), per_arm))
    return sorted(rows, key=lambda r: (-sum(v[1] + v[2] for v in r[1].values()), r[0]))
