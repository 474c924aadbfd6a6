"""Eligibility of a screened patient: the checklist of PROTOCOL section 4 against the CRF.

Every inclusion criterion must be met, every exclusion criterion absent, and each
criterion with a number behind it must agree with the value entered at screening:
the application checks the numbers, not only the ticks. A tick contradicted by a
value is "not met"; a value needed and not entered is "missing".

Values are read from the stored forms of the screening visit (latest active value
of each item); thresholds come from ``settings.eligibility`` of ``forms/study.yaml``.
The creatinine clearance is computed (Cockcroft-Gault) from the age on the day of
the sample, the weight, the sex and the creatinine. The informed consent must be
dated on or before every study procedure, i.e. every date recorded on a visit form.

:meth:`EligibilityService.blocking_reasons` has the shape
``RandomizationService(eligibility=...)`` expects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ctrial_desktop.domain.labs import cockcroft_gault
from ctrial_desktop.domain.values import to_date, to_decimal
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.errors import NotFound
from ctrial_desktop.services.patients import age_on
from ctrial_desktop.services.permissions import Action
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Site
from ctrial_desktop.study.definition import StudyDefinition

Status = Literal["met", "not_met", "missing"]

#: Dates on visit forms that are not study procedures.
NON_PROCEDURE_DATES = frozenset({"I.DM.BRTHDAT", "I.IC.DAT"})

#: A numeric check: True (agrees), False (contradicts), None (value missing), and what it saw.
Check = tuple[bool | None, str, str]


@dataclass(frozen=True)
class CriterionResult:
    """One criterion of the checklist as evaluated against the CRF.

    ``item_oid`` is the checklist item (its label is the criterion's wording in every
    language); ``value`` is what was entered ("ANC 0.80 x10^9/L"), '' when nothing
    applies; ``sentence`` says why the status is what it is.
    """

    item_oid: str
    kind: Literal["inclusion", "exclusion"]
    name: str
    status: Status
    value: str
    sentence: str

    @property
    def met(self) -> bool:
        return self.status == "met"


@dataclass(frozen=True)
class EligibilityReport:
    """Every criterion for one patient; randomizable only when each one is met."""

    patient_id: int
    patient_number: str
    criteria: tuple[CriterionResult, ...]

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def not_met(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status == "not_met")

    @property
    def missing(self) -> tuple[CriterionResult, ...]:
        return tuple(c for c in self.criteria if c.status == "missing")

    def blocking_reasons(self) -> list[str]:
        """One line per criterion not met or missing, in checklist order."""
        out = []
        for c in self.criteria:
            if c.status == "not_met":
                out.append(f"Not met - {c.name}: {c.sentence}")
            elif c.status == "missing":
                out.append(f"Missing - {c.name}: {c.sentence}")
        return out


def _fmt(value: Decimal | float) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return f"{value:.1f}"


def _d(setting: float) -> Decimal:
    return Decimal(str(setting))


class _Evaluator:
    """Pure evaluation of the checklist over the screening values of one patient."""

    def __init__(self, study: StudyDefinition, values: Mapping[str, str], sex: str,
                 birth_date: dt.date | None, birth_year: int | None,
                 consent_date: dt.date | None, procedures: list[tuple[str, dt.date]],
                 today: dt.date) -> None:
        self.s = study.settings.eligibility
        self.imwg = study.settings.imwg
        self.study = study
        self.v = values
        self.sex = sex
        self.birth_date = birth_date
        self.birth_year = birth_year
        self.consent_date = consent_date
        self.procedures = procedures
        self.today = today

    def num(self, oid: str) -> Decimal | None:
        return to_decimal(self.v.get(oid))

    def label(self, oid: str) -> str:
        return self.study.item(oid).label.en if self.study.has_item(oid) else oid

    def _unit(self, oid: str) -> str:
        unit = self.study.item(oid).unit if self.study.has_item(oid) else None
        return f" {self.study.unit(unit).symbol}" if unit else ""

    def shown(self, oid: str, value: Decimal) -> str:
        return f"{self.label(oid)} {_fmt(value)}{self._unit(oid)}"

    # -- numeric checks -------------------------------------------------------------
    def at_least(self, oid: str, minimum: Decimal, shown_min: str = "") -> Check:
        value = self.num(oid)
        if value is None:
            return None, "", f"{self.label(oid)} is not entered at screening."
        text = self.shown(oid, value)
        shown_min = shown_min or _fmt(minimum)
        if value >= minimum:
            return True, text, f"{text} is at least {shown_min}."
        return False, text, f"{text} is below {shown_min}."

    def age(self) -> Check:
        on = self.consent_date or self.today
        age = age_on(self.birth_date, self.birth_year, on)
        if age is None:
            return None, "", "The birth date is not recorded."
        text = f"{age} years"
        if age >= self.s.min_age_years:
            return True, text, f"Age {text} at consent."
        return False, text, f"Age {text} at consent, below {self.s.min_age_years}."

    def refractory(self) -> Check:
        len_, bort = self.v.get("I.MH.REFR_LEN"), self.v.get("I.MH.REFR_BORT")
        text = f"lenalidomide {len_ or '?'}, bortezomib {bort or '?'}"
        if "N" in (len_, bort):
            return False, text, "The myeloma history does not record refractoriness to both."
        if None in (len_, bort):
            return None, text, "Refractoriness is not recorded in the myeloma history."
        return True, text, "Refractory to both, as recorded in the myeloma history."

    def platelets(self) -> Check:
        plt = self.num("I.HEM.PLT")
        if plt is None:
            return None, "", "Platelets are not entered at screening."
        text = self.shown("I.HEM.PLT", plt)
        normal, low = _d(self.s.platelets_min), _d(self.s.platelets_min_high_infiltration)
        if plt >= normal:
            return True, text, f"{text} is at least {_fmt(normal)}."
        pc = self.num("I.BM.PC_PCT")
        cut = _d(self.s.high_infiltration_plasma_cells_pct)
        if pc is not None and pc >= cut:
            text += f"; plasma cells {_fmt(pc)} %"
            if plt >= low:
                return True, text, (f"At least {_fmt(low)} with bone-marrow plasma cells "
                                    f">= {_fmt(cut)} %.")
            return False, text, f"Below {_fmt(low)} even with plasma cells >= {_fmt(cut)} %."
        marrow = "not entered" if pc is None else f"{_fmt(pc)} %"
        return False, text, (f"{text} is below {_fmt(normal)} (bone-marrow plasma cells "
                             f"{marrow}; {_fmt(low)} is enough only from {_fmt(cut)} %).")

    def creatinine_clearance(self) -> Check:
        creat = self.num("I.CHEM.CREAT")
        weight = self.num("I.CHEM.WEIGHT") or self.num("I.DM.WEIGHT")
        sample = to_date(self.v.get("I.CHEM.DAT")) or self.consent_date or self.today
        age = age_on(self.birth_date, self.birth_year, sample)
        lacking = [name for name, x in (("creatinine", creat), ("weight", weight), ("age", age))
                   if x is None]
        if lacking or creat is None or weight is None or age is None:
            return None, "", "Cannot compute the creatinine clearance: no " + ", ".join(
                lacking) + "."
        try:
            crcl = cockcroft_gault(age, float(weight), self.sex, float(creat))
        except ValueError as exc:
            return None, "", f"Cannot compute the creatinine clearance: {exc}."
        minimum = _d(self.s.crcl_min_ml_min)
        text = (f"CrCl {crcl:.1f} mL/min (age {age}, {_fmt(weight)} kg, {self.sex}, "
                f"creatinine {_fmt(creat)} µmol/L)")
        if Decimal(repr(crcl)) >= minimum:
            return True, text, f"Cockcroft-Gault clearance {crcl:.1f} >= {_fmt(minimum)} mL/min."
        return False, text, f"Cockcroft-Gault clearance {crcl:.1f} is below {_fmt(minimum)} mL/min."

    def times_uln(self, pairs: tuple[tuple[str, str], ...], factor: Decimal) -> Check:
        texts, bad, lacking = [], [], []
        for oid, uln_oid in pairs:
            value, uln = self.num(oid), self.num(uln_oid)
            if value is None or uln is None:
                lacking.append(self.label(oid if value is None else uln_oid))
                continue
            texts.append(f"{self.shown(oid, value)} (ULN {_fmt(uln)})")
            if value > factor * uln:
                bad.append(f"{self.label(oid)} {_fmt(value)} is above {_fmt(factor)} x ULN "
                           f"({_fmt(factor * uln)})")
        text = "; ".join(texts)
        if bad:
            return False, text, "; ".join(bad) + "."
        if lacking:
            return None, text, "Not entered: " + ", ".join(lacking) + "."
        return True, text, f"Within {_fmt(factor)} x ULN."

    def ecog(self) -> Check:
        score = self.num("I.ECOG.SCORE")
        if score is None:
            return None, "", "ECOG performance status is not entered at screening."
        text = f"ECOG {_fmt(score)}"
        if score <= self.s.ecog_max:
            return True, text, f"{text} is at most {self.s.ecog_max}."
        return False, text, f"{text} is above {self.s.ecog_max}."

    def measurable(self) -> Check:
        s = self.s
        parts, known = [], 0
        smp, ump = self.num("I.DA.SMP"), self.num("I.DA.UMP")
        serum_ok = smp is not None and smp >= _d(s.serum_mprotein_min_g_l)
        urine_ok = ump is not None and ump >= _d(s.urine_mprotein_min_mg_24h)
        for value, oid, done in ((smp, "I.DA.SMP", "I.DA.SPEP_DONE"),
                                 (ump, "I.DA.UMP", "I.DA.UPEP_DONE")):
            if value is not None:
                parts.append(self.shown(oid, value))
            known += value is not None or self.v.get(done) == "N"
        kappa, lam = self.num("I.DA.KAPPA"), self.num("I.DA.LAMBDA")
        flc_ok = False
        if kappa is not None and lam is not None:
            involved = {"KAPPA": kappa, "LAMBDA": lam}.get(self.v.get("I.MH.LIGHT", ""),
                                                          max(kappa, lam))
            ratio = kappa / lam if lam else None
            abnormal = ratio is None or not (_d(self.imwg.flc_ratio_normal_low) <= ratio
                                             <= _d(self.imwg.flc_ratio_normal_high))
            flc_ok = involved >= _d(s.flc_involved_min_mg_l) and abnormal
            ratio_text = "-" if ratio is None else f"{ratio:.2f}"
            parts.append(f"involved FLC {_fmt(involved)} mg/L, ratio {ratio_text}")
            known += 1
        elif self.v.get("I.DA.FLC_DONE") == "N":
            known += 1
        text = "; ".join(parts)
        if serum_ok or urine_ok or flc_ok:
            return True, text, "Measurable disease."
        if known == 3:
            serum = _fmt(_d(s.serum_mprotein_min_g_l))
            return False, text, (f"No measurable parameter (serum >= {serum} "
                                 f"g/L, urine >= {_fmt(_d(s.urine_mprotein_min_mg_24h))} mg/24 h, "
                                 f"involved FLC >= {_fmt(_d(s.flc_involved_min_mg_l))} mg/L "
                                 "with abnormal ratio).")
        return None, text, "The baseline disease assessment is incomplete."

    def consent(self) -> Check:
        signed, form_date = self.v.get("I.IC.SIGNED"), to_date(self.v.get("I.IC.DAT"))
        consent = self.consent_date or form_date
        if signed == "N":
            return False, "", "The consent form records no signature."
        if consent is None:
            return None, "", "The consent date is not recorded."
        text = f"signed {consent.isoformat()}"
        if form_date is not None and self.consent_date is not None \
                and form_date != self.consent_date:
            return False, text, (f"The consent form says {form_date.isoformat()}, the screening "
                                 f"log {self.consent_date.isoformat()}.")
        before = sorted((d, oid) for oid, d in self.procedures if d < consent)
        if before:
            d, oid = before[0]
            return False, text, (f"{self.label(oid)} {d.isoformat()} is before the consent "
                                 f"({consent.isoformat()}): consent must come first.")
        return True, text, "Consent dated on or before every study procedure."

    def pregnancy(self) -> Check | None:
        """None when the criterion does not apply (men, women not of childbearing potential)."""
        if self.sex != "F" or self.v.get("I.DM.CHILDPOT") == "N":
            return None
        if self.v.get("I.DM.CHILDPOT") is None:
            return None, "", "Childbearing potential is not recorded (demographics)."
        r1, r2 = self.v.get("I.PREG.RES1"), self.v.get("I.PREG.RES2")
        methods = [m for m in (self.v.get("I.PREG.CONTRA") or "").split(",") if m]
        text = f"tests {r1 or '?'} / {r2 or '?'}, {len(methods)} contraception method(s)"
        if "POS" in (r1, r2):
            return False, text, "A pregnancy test is positive."
        if methods and len(methods) < 2 and "ABSTINENCE" not in methods:
            return False, text, "Two methods of contraception are required."
        if r1 is None or r2 is None or not methods:
            return None, text, "Two negative tests and the contraception methods are required."
        return True, text, "Two negative tests and two methods of contraception."


def _tick_only() -> Check:
    return True, "", ""


class EligibilityService:
    """Evaluates the eligibility checklist of a patient against the stored CRF values."""

    def __init__(self, db: Database, actor: Actor, study: StudyDefinition,
                 today: dt.date | None = None) -> None:
        self.db = db
        self.actor = actor
        self.study = study
        self._today = today

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def evaluate(self, patient_id: int) -> EligibilityReport:
        """Each criterion met / not met / missing, with the value and a sentence."""
        with self.db.read() as session:
            row = session.execute(select(Patient, Site.code).join(Site, Patient.site_id == Site.id)
                                  .where(Patient.id == patient_id)).first()
            if row is None:
                raise NotFound(f"No patient #{patient_id}.")
            patient, code = row
            self.actor.require(Action.VIEW_PATIENTS, code)
            values = self._screening_values(session, patient_id)
            procedures = self._procedure_dates(session, patient_id)
            evaluator = _Evaluator(self.study, values, patient.sex, patient.birth_date,
                                   patient.birth_year, patient.consent_date, procedures,
                                   self.today)
            return EligibilityReport(patient.id, patient.patient_number,
                                     tuple(self._criteria(evaluator)))

    def blocking_reasons(self, patient_id: int) -> list[str]:
        """Why the checklist blocks randomization (empty when every criterion is met)."""
        return self.evaluate(patient_id).blocking_reasons()

    # -- reading the CRF ------------------------------------------------------------------
    def _screening_values(self, session: Session, patient_id: int) -> dict[str, str]:
        events = [e.oid for e in self.study.events if e.role == "screening"]
        rows = session.execute(
            select(ItemValue.item_oid, ItemValue.value)
            .join(FormData, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id == patient_id, FormData.active.is_(True),
                   FormData.event_oid.in_(events), ItemValue.active.is_(True))
            .order_by(FormData.event_repeat, ItemValue.id))
        return {oid: value for oid, value in rows if value is not None and value.strip()}

    def _procedure_dates(self, session: Session, patient_id: int) -> list[tuple[str, dt.date]]:
        visits = [e.oid for e in self.study.events if e.kind == "visit"]
        rows = session.execute(
            select(ItemValue.item_oid, ItemValue.value)
            .join(FormData, ItemValue.form_data_id == FormData.id)
            .where(FormData.patient_id == patient_id, FormData.active.is_(True),
                   FormData.event_oid.in_(visits), ItemValue.active.is_(True)))
        out = []
        for oid, value in rows:
            if oid in NON_PROCEDURE_DATES or not self.study.has_item(oid) \
                    or self.study.item(oid).type != "date":
                continue
            date = to_date(value)
            if date is not None:
                out.append((oid, date))
        return out

    # -- the checklist ----------------------------------------------------------------------
    def _criteria(self, e: _Evaluator) -> list[CriterionResult]:
        s = self.study.settings.eligibility
        inclusion: list[tuple[str, str, Callable[[], Check | None]]] = [
            ("I.ELIG.IN01", f"age >= {s.min_age_years} years", e.age),
            ("I.ELIG.IN02", "documented multiple myeloma", _tick_only),
            ("I.ELIG.IN03", "refractory to lenalidomide and bortezomib", e.refractory),
            ("I.ELIG.IN04", f"at least {s.min_prior_lines} prior lines",
             lambda: e.at_least("I.MH.NLINES", Decimal(s.min_prior_lines))),
            ("I.ELIG.IN05", "measurable disease", e.measurable),
            ("I.ELIG.IN06", f"ECOG 0-{s.ecog_max}", e.ecog),
            ("I.ELIG.IN07", f"ANC >= {s.anc_min:.1f} x10^9/L",
             lambda: e.at_least("I.HEM.ANC", _d(s.anc_min), f"{s.anc_min:.1f}")),
            ("I.ELIG.IN08", f"platelets >= {_fmt(_d(s.platelets_min))} x10^9/L", e.platelets),
            ("I.ELIG.IN09", f"creatinine clearance >= {_fmt(_d(s.crcl_min_ml_min))} mL/min",
             e.creatinine_clearance),
            ("I.ELIG.IN10", f"AST and ALT <= {_fmt(_d(s.ast_alt_max_x_uln))} x ULN",
             lambda: e.times_uln((("I.CHEM.AST", "I.CHEM.AST_ULN"),
                                  ("I.CHEM.ALT", "I.CHEM.ALT_ULN")), _d(s.ast_alt_max_x_uln))),
            ("I.ELIG.IN11", f"total bilirubin <= {_fmt(_d(s.bilirubin_max_x_uln))} x ULN",
             lambda: e.times_uln((("I.CHEM.BILI", "I.CHEM.BILI_ULN"),),
                                 _d(s.bilirubin_max_x_uln))),
            ("I.ELIG.IN12", "informed consent before any study procedure", e.consent),
            ("I.ELIG.IN13", "pregnancy prevention programme", e.pregnancy),
            ("I.ELIG.IN14", "able to take thromboprophylaxis", _tick_only),
        ]
        exclusion = [
            ("I.ELIG.EX01", "prior pomalidomide", False),
            ("I.ELIG.EX02", f"peripheral neuropathy grade >= {s.neuropathy_excluding_grade}",
             False),
            ("I.ELIG.EX03", "desquamating rash or hypersensitivity to thalidomide/lenalidomide",
             False),
            ("I.ELIG.EX04", f"other malignancy within {s.other_malignancy_free_years} years",
             False),
            ("I.ELIG.EX05", "pregnancy or breastfeeding", e.sex != "F"),
            ("I.ELIG.EX06", "uncontrolled infection", False),
            ("I.ELIG.EX07", "HIV or active hepatitis B or C", False),
        ]
        out = [self._inclusion(e, oid, name, check()) for oid, name, check in inclusion]
        out += [self._exclusion(e, oid, name, na) for oid, name, na in exclusion]
        return out

    @staticmethod
    def _inclusion(e: _Evaluator, oid: str, name: str, check: Check | None) -> CriterionResult:
        tick = e.v.get(oid)
        if check is None:
            return CriterionResult(oid, "inclusion", name, "met", "",
                                   "Not applicable to this patient.")
        ok, value, sentence = check
        if ok is False:
            prefix = "Ticked Yes, but: " if tick == "Y" else ""
            return CriterionResult(oid, "inclusion", name, "not_met", value, prefix + sentence)
        if tick is None:
            return CriterionResult(oid, "inclusion", name, "missing", value,
                                   "Not answered on the eligibility checklist.")
        if tick == "N":
            return CriterionResult(oid, "inclusion", name, "not_met", value,
                                   "Answered No on the eligibility checklist.")
        if ok is None:
            return CriterionResult(oid, "inclusion", name, "missing", value, sentence)
        return CriterionResult(oid, "inclusion", name, "met", value,
                               sentence or "Answered Yes on the eligibility checklist.")

    @staticmethod
    def _exclusion(e: _Evaluator, oid: str, name: str, not_applicable: bool) -> CriterionResult:
        if not_applicable:
            return CriterionResult(oid, "exclusion", name, "met", "",
                                   "Not applicable to this patient.")
        tick = e.v.get(oid)
        if tick is None:
            return CriterionResult(oid, "exclusion", name, "missing", "",
                                   "Not answered on the eligibility checklist.")
        if tick == "Y":
            return CriterionResult(oid, "exclusion", name, "not_met", "",
                                   "Answered Yes: this excludes the patient.")
        return CriterionResult(oid, "exclusion", name, "met", "",
                               "Answered No on the eligibility checklist.")
