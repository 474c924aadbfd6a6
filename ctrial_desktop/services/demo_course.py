"""Demo treatment course of a randomized patient: cycles, AEs, medications, end, follow-up.

Shapes follow PROTOCOL sections 1-3 without copying any result: 28-day cycles
(within the visit window, later after a haematological toxicity), pomalidomide on
the arm's days with interruptions and one-level reductions after grade 4
neutropenia or thrombocytopenia (pomalidomide label), dexamethasone days 1, 8, 15,
22 (20 mg above 75 years); blood counts on days 1, 8, 15 and 22 of every cycle, whose
neutrophils and platelets fall into the grade of a cytopenia adverse event on the
samples it spans (the event starts on the day of the sample that shows it) and stay
above the lower limit of normal otherwise (leukocytes and lymphocytes below grade 3);
M-protein trajectories whose response is derived by the IMWG criteria of
:mod:`ctrial_desktop.domain.imwg` (a third of patients respond; median time
to progression about five months); the end of treatment at confirmed
progression (some for toxicity or death), follow-up every three months with the next
therapy, and deaths (median overall survival a little over a year).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from ctrial_desktop.domain.ctcae import CtcaeTerm
from ctrial_desktop.domain.imwg import Assessment, Baseline, evaluate_response
from ctrial_desktop.services.demo_forms import FormWriter, Value
from ctrial_desktop.services.demo_screening import (
    Profile,
    chem_values,
    da_values,
    hem_values,
    preg_values,
)

CYCLE_DAYS = 28
#: Pomalidomide dose levels (mg), PROTOCOL section 3.
POM_LEVELS = (4, 3, 2, 1)
#: Dexamethasone days (PROTOCOL section 2).
DEX_DAYS = (1, 8, 15, 22)
#: Days of the blood counts after day 1 (PROTOCOL section 8; ``days`` of F.HEM).
COUNT_DAYS = (8, 15, 22)
#: Neutrophils and platelets (x10^9/L) within each CTCAE grade 1-4 (v4.03, PROTOCOL 7).
ANC_BY_GRADE = {1: (1.5, 1.75), 2: (1.05, 1.45), 3: (0.55, 0.95), 4: (0.12, 0.45)}
PLT_BY_GRADE = {1: (78.0, 140.0), 2: (52.0, 73.0), 3: (27.0, 48.0), 4: (11.0, 23.0)}
#: Next therapies after progression, as French centres used them at the time.
NEXT_THERAPIES = (
    "Bendamustine-prednisone",
    "Cyclophosphamide-dexamethasone",
    "Carfilzomib-dexamethasone (early access programme)",
    "Melphalan-prednisone",
    "Clinical trial (monoclonal antibody)",
    "Bortezomib-bendamustine-dexamethasone",
)
#: CTCAE v4.03 terms the demo uses (looked up by name in the term list).
TERMS = (
    "Neutrophil count decreased", "Platelet count decreased", "Anemia", "Febrile neutropenia",
    "Lung infection", "Fatigue", "Constipation", "Peripheral sensory neuropathy",
    "Thromboembolic event", "Muscle cramp", "Insomnia", "Hyperglycemia", "Diarrhea",
    "Upper respiratory infection",
)


@dataclass
class AdverseEvent:
    """One AE row of the log."""

    term: str
    start: dt.date
    stop: dt.date | None
    grade: int
    serious: bool = False
    rel_pom: str = "POSSIBLE"
    rel_dex: str = "UNLIKELY"
    action_pom: str = "NONE"

    def row(self, codes: dict[str, CtcaeTerm]) -> dict[str, Value]:
        fatal = self.grade == 5
        outcome = "FATAL" if fatal else ("RECOVERED" if self.stop else "NOT_RECOVERED")
        return {
            "I.AE.TERM": codes[self.term].meddra_code, "I.AE.STARTDAT": self.start,
            "I.AE.ONGOING": self.stop is None and not fatal,
            "I.AE.STOPDAT": self.stop, "I.AE.GRADE": str(self.grade),
            "I.AE.SERIOUS": self.serious or fatal,
            "I.AE.SAE_CRIT": (["DEATH"] if fatal else ["HOSP"]) if self.serious or fatal
            else None,
            "I.AE.SAE_AWAREDAT": self.start + dt.timedelta(days=1)
            if self.serious or fatal else None,
            "I.AE.SAE_REPORTDAT": self.start + dt.timedelta(days=1)
            if self.serious or fatal else None,
            "I.AE.REL_POM": self.rel_pom, "I.AE.REL_DEX": self.rel_dex,
            "I.AE.ACTION_POM": self.action_pom, "I.AE.ACTION_DEX": "NONE",
            "I.AE.OUTCOME": outcome,
        }


@dataclass
class Medication:
    """One row of the concomitant-medication log."""

    drug: str
    indication: str
    dose: str
    freq: str
    route: str
    start: dt.date
    stop: dt.date | None

    def row(self) -> dict[str, Value]:
        return {"I.CM.DRUG": self.drug, "I.CM.INDICATION": self.indication,
                "I.CM.DOSE": self.dose, "I.CM.FREQ": self.freq, "I.CM.ROUTE": self.route,
                "I.CM.STARTDAT": self.start, "I.CM.ONGOING": self.stop is None,
                "I.CM.STOPDAT": self.stop}


@dataclass
class CourseSummary:
    """What one patient's course produced."""

    cycles: int = 0
    adverse_events: int = 0
    best_response: str = "NE"
    end_reason: str | None = None
    dead: bool = False
    form_ids: dict[tuple[str, int, str], int] = field(default_factory=dict)


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


class Course:
    """Simulates and saves one randomized patient's course up to ``cutoff``."""

    def __init__(self, writer: FormWriter, rng: random.Random, terms: dict[str, CtcaeTerm],
                 patient_id: int, profile: Profile, arm_days: tuple[int, ...],
                 randomized: dt.date, cutoff: dt.date) -> None:
        self.w = writer
        self.rng = rng
        self.terms = terms
        self.pid = patient_id
        self.p = profile
        self.arm_days = arm_days
        self.randomized = randomized
        self.cutoff = cutoff
        self.aes: list[AdverseEvent] = []
        self.cms: list[Medication] = []
        self.summary = CourseSummary()
        self.death: dt.date | None = None
        #: Cytopenia AEs of the current cycle: (kind, start, stop or None, grade).
        self._cytopenias: list[tuple[str, dt.date, dt.date, int]] = []
        # The values of the later counts draw from their own generator: the rest of the
        # course (and so every demo trial of a seed) is the same with or without them.
        self._count_rng = random.Random(f"counts:{patient_id}:{randomized.isoformat()}")
        #: Blood counts of days 8-22 kept until the course is known to reach them:
        #: (cycle, day, values).
        self._later_counts: list[tuple[int, int, dict[str, Value]]] = []

    # -- helpers ------------------------------------------------------------------------
    def _save(self, event: str, repeat: int, form: str, items: dict[str, Value],
              rows: dict[str, list[dict[str, Value]]] | None = None, *, day: int = 1) -> None:
        result = self.w.save(self.pid, event, repeat, form, items, rows,  # type: ignore[arg-type]
                             day=day)
        if (result.snapshot.form_data_id is not None and result.snapshot.status == "complete"
                and day == 1):
            self.summary.form_ids[(event, repeat, form)] = result.snapshot.form_data_id

    def _ae(self, term: str, start: dt.date, days: int, grade: int, **kw: object) -> None:
        if term not in self.terms or grade not in self.terms[term].allowed_grades:
            return
        stop = start + dt.timedelta(days=days)
        self.aes.append(AdverseEvent(term, start, stop if stop <= self.cutoff else None, grade,
                                     **kw))  # type: ignore[arg-type]

    # -- the course ---------------------------------------------------------------------
    def run(self) -> CourseSummary:
        rng, p = self.rng, self.p
        kind = rng.choices(("VGPR", "PR", "MR", "SD", "PD"), (8, 30, 10, 30, 22))[0]
        nadir = {"VGPR": rng.uniform(0.04, 0.09), "PR": rng.uniform(0.2, 0.45),
                 "MR": rng.uniform(0.55, 0.72), "SD": rng.uniform(0.8, 1.02),
                 "PD": 1.0}[kind]
        ttp = {"VGPR": _lognormal(rng, 330, 0.5), "PR": _lognormal(rng, 270, 0.55),
               "MR": _lognormal(rng, 180, 0.5), "SD": _lognormal(rng, 140, 0.5),
               "PD": rng.uniform(40, 70)}[kind]
        survival_after = _lognormal(rng, 270, 0.9)
        death_day = ttp + survival_after
        if rng.random() < 0.05:  # death on treatment, before any progression
            death_day = rng.uniform(30, max(31.0, ttp))
        stop_for_ae = rng.random() < 0.08
        tp_agent = "ASPIRIN" if rng.random() < 0.7 else "LMWH"
        start = self.randomized + dt.timedelta(days=rng.randint(1, 4))
        baseline = Baseline(p.procedures, serum_m=p.serum_m, urine_m=p.urine_m,
                            flc_kappa=p.kappa, flc_lambda=p.lambda_,
                            involved_flc=p.light.lower())
        assessments: list[Assessment] = []
        level = 0
        dex = 20 if p.elderly else 40
        reduce_next = False
        delay_next = False
        d1 = start
        cycle = 0
        end_reason: str | None = None
        end_date: dt.date | None = None
        last_pom = last_dex = start
        pd_date: dt.date | None = None
        best = "NE"
        ecog = p.ecog
        self.cms.append(Medication(*(("Aspirin", "Thromboprophylaxis", "100 mg", "once daily",
                                      "PO") if tp_agent == "ASPIRIN" else
                                     ("Enoxaparin", "Thromboprophylaxis", "4000 IU",
                                      "once daily", "SC")), start, None))
        if rng.random() < 0.6:
            self.cms.append(Medication("Zoledronic acid", "Myeloma bone disease", "4 mg",
                                       "every 4 weeks", "IV",
                                       p.consent - dt.timedelta(days=rng.randint(60, 900)),
                                       None))
        self.cms.append(Medication("Valaciclovir", "Herpes zoster prophylaxis", "500 mg",
                                   "once daily", "PO", start, None))
        while True:
            cycle += 1
            if cycle > 1:
                gap = CYCLE_DAYS + (7 if delay_next else rng.choice((0, 0, 0, 1, 2, 3, -1)))
                d1 = d1 + dt.timedelta(days=gap)
            day_from_start = (d1 - start).days
            if d1 > self.cutoff:
                break
            # Disease assessment on day 1 (cycle 1: pre-dose, before any treatment effect),
            # classified by the IMWG criteria against the screening baseline.
            values = self._disease(day_from_start, ttp, nadir, assessments)
            assessments.append(Assessment(d1, serum_m=values[0], serum_ife="positive",
                                          urine_m=values[1],
                                          urine_ife="positive" if values[1] else "negative",
                                          flc_kappa=values[2], flc_lambda=values[3]))
            result = evaluate_response(baseline, assessments)
            latest = result.assessments[-1].response
            response = latest.name if latest is not None else None
            best = result.best_overall_response.name
            if result.progression_date is not None:
                # Confirmed progression: this assessment is the end-of-treatment visit's.
                pd_date = result.progression_date
                end_reason, end_date = "PD", d1
                self._save("SE.EOT", 1, "F.DA", da_values(d1, *values, response))
                break
            if day_from_start > death_day:
                end_reason, end_date = "DEATH", d1 - dt.timedelta(days=rng.randint(2, 6))
                break
            if stop_for_ae and cycle >= 3 and rng.random() < 0.35:
                end_reason, end_date = "AE", d1
                self._ae("Fatigue", d1 - dt.timedelta(days=10), 40, 3, rel_pom="PROBABLE",
                         rel_dex="POSSIBLE", action_pom="WITHDRAWN")
                break
            self._save_later_counts(d1)  # the course went on to this cycle
            self.summary.cycles = cycle
            if reduce_next and level < len(POM_LEVELS) - 1:
                level += 1
                change, change_reason = "REDUCED", "HAEM_TOX"
            else:
                change, change_reason = "SAME", None
            reduce_next = False
            was_delayed = delay_next
            delay_next = False
            interrupted = self._toxicity(d1, cycle)
            if interrupted:
                reduce_next = True
                delay_next = rng.random() < 0.4
            self._other_events(d1, cycle)
            reason = change_reason or ("CYCLE_DELAY" if was_delayed else None)
            last_pom, last_dex = self._dosing(cycle, d1, POM_LEVELS[level], change, reason,
                                              interrupted, dex, last_pom)
            self._save("SE.CYCLE", cycle, "F.TP", {
                "I.TP.AGENT": tp_agent,
                "I.TP.DOSE": "100 mg daily" if tp_agent == "ASPIRIN" else "4000 IU daily"})
            ecog = max(0, min(2, ecog + rng.choice((0, 0, 0, -1, 1))))
            self._assessments(cycle, d1, ecog, values, response)
        limit = min(end_date, self.cutoff) if end_date is not None else self.cutoff
        self._save_later_counts(limit + dt.timedelta(days=1) if end_reason is None else limit)
        self.summary.best_response = best
        self.summary.end_reason = end_reason
        self.summary.adverse_events = len(self.aes)
        death = start + dt.timedelta(days=round(death_day))
        if end_reason is not None and end_date is not None:
            end_date = min(end_date, self.cutoff)
            self._end(end_reason, end_date, min(last_pom, end_date), min(last_dex, end_date),
                      pd_date, death)
        self._logs()
        return self.summary

    def _toxicity(self, d1: dt.date, cycle: int) -> set[int]:
        """Haematological AEs of a cycle; the days pomalidomide is interrupted.

        PROTOCOL section 3 (pomalidomide label): ANC < 0.5 or platelets < 25 x10^9/L
        (grade 4) interrupt pomalidomide, which resumes one level lower.
        """
        rng = self.rng
        # A cytopenia is found on the first blood count (day 8, 15 or 22) from the day of its
        # onset: that sample's date is the AE's start.
        onset = rng.randint(8, 18)
        haem_day = next(day for day in COUNT_DAYS if day >= onset)
        self._cytopenias = []
        anc_grade = rng.choices((0, 1, 2, 3, 4), (60, 6, 12, 15, 7 if cycle < 4 else 3))[0]
        plt_grade = rng.choices((0, 1, 2, 3, 4), (75, 8, 8, 6, 3))[0]
        if anc_grade:
            found = d1 + dt.timedelta(days=haem_day - 1)
            lasts = rng.randint(5, 12)
            self._ae("Neutrophil count decreased", found, lasts, anc_grade, rel_pom="PROBABLE",
                     action_pom="REDUCED" if anc_grade == 4 else "NONE")
            self._cytopenias.append(("ANC", found, found + dt.timedelta(days=lasts),
                                     anc_grade))
            if anc_grade >= 3:
                self.cms.append(Medication("Filgrastim", "Neutropenia", "30 MU", "once daily",
                                           "SC", d1 + dt.timedelta(days=haem_day),
                                           d1 + dt.timedelta(days=haem_day + 4)))
            if anc_grade == 4 and rng.random() < 0.3:
                self._ae("Febrile neutropenia", d1 + dt.timedelta(days=haem_day + 1), 6, 3,
                         serious=True, rel_pom="PROBABLE", action_pom="INTERRUPTED")
        if plt_grade:
            found = d1 + dt.timedelta(days=haem_day - 1)
            lasts = rng.randint(6, 14)
            self._ae("Platelet count decreased", found, lasts, plt_grade, rel_pom="PROBABLE",
                     action_pom="REDUCED" if plt_grade == 4 else "NONE")
            self._cytopenias.append(("PLT", found, found + dt.timedelta(days=lasts),
                                     plt_grade))
        if anc_grade == 4 or plt_grade == 4:
            return set(range(haem_day, haem_day + 7))
        return set()

    def _dosing(self, cycle: int, d1: dt.date, mg: int, change: str, reason: str | None,
                interrupted: set[int], dex: int, last_pom: dt.date) -> tuple[dt.date, dt.date]:
        """Pomalidomide and dexamethasone forms; the last days each drug was taken."""
        rng = self.rng
        forgotten = {rng.choice(self.arm_days)} if rng.random() < 0.15 else set()
        rows: list[dict[str, Value]] = []
        for day in self.arm_days:
            if day in interrupted or day in forgotten:
                rows.append({"I.POM.DAY": day, "I.POM.STATUS": "NOT_TAKEN",
                             "I.POM.REASON": "HAEM_TOX" if day in interrupted else "FORGOTTEN"})
            else:
                rows.append({"I.POM.DAY": day, "I.POM.DOSE": mg, "I.POM.STATUS": "TAKEN"})
                last_pom = d1 + dt.timedelta(days=day - 1)
        missed = len((interrupted | forgotten) & set(self.arm_days))
        self._save("SE.CYCLE", cycle, "F.POM", {
            "I.POM.STARTDAT": d1, "I.POM.LEVEL": mg, "I.POM.CHANGE": change,
            "I.POM.CHANGE_REASON": reason if change != "SAME" else None,
            "I.POM.DISPDAT": d1, "I.POM.DISPENSED": len(self.arm_days),
            "I.POM.RETURNED": missed}, {"IG.POM.DAY": rows})
        dex_rows: list[dict[str, Value]] = [
            {"I.DEX.DAY": day, "I.DEX.DOSE": dex, "I.DEX.STATUS": "TAKEN"} for day in DEX_DAYS]
        self._save("SE.CYCLE", cycle, "F.DEX", {
            "I.DEX.LEVEL": dex, "I.DEX.CHANGE": "SAME", "I.DEX.DISPDAT": d1,
            "I.DEX.DISPENSED": dex // 4 * len(DEX_DAYS), "I.DEX.RETURNED": 0},
            {"IG.DEX.DAY": dex_rows})
        return last_pom, d1 + dt.timedelta(days=DEX_DAYS[-1] - 1)

    def _assessments(self, cycle: int, d1: dt.date, ecog: int,
                     disease: tuple[float, float, float, float], response: str | None) -> None:
        """Day-1 haematology, chemistry, ECOG, disease assessment (and pregnancy tests)."""
        p, rng = self.p, self.rng
        anc = round(max(1.05, p.anc * rng.uniform(0.45, 1.1)), 2)
        lym = round(p.lym * rng.uniform(0.7, 1.1), 2)
        plt = max(60.0, p.plt * rng.uniform(0.55, 1.05))
        hgb = min(150.0, max(82.0, p.hgb + rng.uniform(-12, 10) + 2 * min(cycle, 4)))
        self._save("SE.CYCLE", cycle, "F.HEM", hem_values(
            p.sex, d1, hgb, round(anc + lym + rng.uniform(0.3, 0.9), 2), anc, lym, plt))
        self._plan_later_counts(cycle, d1, hgb, anc, lym, plt)
        self._save("SE.CYCLE", cycle, "F.CHEM", chem_values(
            rng, p.sex, d1, round(p.weight + rng.uniform(-2, 1.5), 1),
            float(round(p.creatinine * rng.uniform(0.9, 1.1))),
            float(max(25, min(48, round(p.albumin + rng.uniform(-2, 3))))), None, full=False))
        self._save("SE.CYCLE", cycle, "F.ECOG", {"I.ECOG.DAT": d1, "I.ECOG.SCORE": str(ecog)})
        self._save("SE.CYCLE", cycle, "F.DA", da_values(d1, *disease, response))
        if p.childbearing:
            self._save("SE.CYCLE", cycle, "F.PREG", preg_values(d1 - dt.timedelta(days=3), d1))
        if hgb < 90 and rng.random() < 0.5:
            self._ae("Anemia", d1, 14, 2, rel_pom="POSSIBLE")
            self._save("SE.CYCLE", cycle, "F.TRANS", {"I.TRANS.ANY": True}, {
                "IG.TRANS.ROW": [{"I.TRANS.DAT": d1 + dt.timedelta(days=1),
                                  "I.TRANS.PRODUCT": "RBC", "I.TRANS.UNITS": 2}]})

    def _plan_later_counts(self, cycle: int, d1: dt.date, hgb: float, anc: float, lym: float,
                           plt: float) -> None:
        """Blood counts of days 8, 15 and 22: in the grade of the cycle's cytopenia AE on
        the samples it spans, else a moderate fall under pomalidomide above the LLN."""
        p, rng = self.p, self._count_rng
        for day in COUNT_DAYS:
            sample = d1 + dt.timedelta(days=day - 1)
            grades = {kind: grade for kind, start, stop, grade in self._cytopenias
                      if start <= sample < stop}
            if "ANC" in grades:
                day_anc = round(rng.uniform(*ANC_BY_GRADE[grades["ANC"]]), 2)
            else:
                day_anc = round(max(1.85, anc * rng.uniform(0.7, 1.0)), 2)
            if "PLT" in grades:
                day_plt = float(round(rng.uniform(*PLT_BY_GRADE[grades["PLT"]])))
            else:
                day_plt = float(round(max(152.0, plt * rng.uniform(0.75, 1.05))))
            day_lym = round(max(0.5, lym * rng.uniform(0.85, 1.1)), 2)
            day_hgb = min(150.0, max(82.0, hgb + rng.uniform(-6, 4)))
            # Leukocytes: neutrophils, lymphocytes and the other white cells (monocytes...),
            # not below 2.0 x10^9/L: the AE recorded is the neutropenia, not a leukopenia.
            wbc = round(max(2.0, day_anc + day_lym + rng.uniform(0.4, 0.9)), 2)
            self._later_counts.append((cycle, day, hem_values(
                p.sex, sample, day_hgb, wbc, day_anc, day_lym, day_plt)))

    def _save_later_counts(self, before: dt.date) -> None:
        """Save the kept blood counts sampled before ``before`` (the course reached them);
        the others are dropped (after the end of treatment or the cut-off)."""
        for cycle, day, values in self._later_counts:
            sample = values["I.HEM.DAT"]
            if isinstance(sample, dt.date) and sample < before:
                self._save("SE.CYCLE", cycle, "F.HEM", values, day=day)
        self._later_counts = []

    def _disease(self, day: int, ttp: float, nadir: float, previous: list[Assessment]
                 ) -> tuple[float, float, float, float]:
        """Serum M (g/L), urine M (mg/24 h), kappa and lambda (mg/L) on a day of treatment."""
        p, rng = self.p, self.rng
        if day < ttp:
            fraction = nadir + (1 - nadir) * math.exp(-day / 35)
        else:
            lowest = min([1.0] + [self._fraction(a) for a in previous])
            first = previous[0].date  # cycle 1 day 1, the day treatment starts
            steps = 1 + sum(1 for a in previous if (a.date - first).days >= ttp)
            fraction = lowest * (1.3 + 0.15 * (steps - 1))
        fraction *= rng.uniform(0.96, 1.04)
        serum = round(p.serum_m * fraction, 1)
        # Urine light chains fall faster than the serum component with a response.
        urine = float(round(p.urine_m * fraction ** 2.5))
        if day >= ttp and previous:
            # Progression by IMWG: +25% from the nadir and an absolute rise (5 g/L serum,
            # 200 mg/24 h urine).
            if p.serum_m:
                low = min(a.serum_m or 0 for a in previous)
                need = round(low + (11 if low >= 50 else 6), 1)
                serum = min(max(serum, need), max(99.0, need))
            else:
                urine = max(urine, float(round(min(a.urine_m or 0 for a in previous) * 1.3
                                               + 250)))
        involved = p.involved * fraction
        kappa, lambda_ = (involved, p.lambda_) if p.light == "KAPPA" else (p.kappa, involved)
        return serum, urine, round(kappa, 1), round(lambda_, 1)

    def _fraction(self, a: Assessment) -> float:
        p = self.p
        if p.serum_m:
            return (a.serum_m or 0) / p.serum_m
        return (a.urine_m or 0) / p.urine_m if p.urine_m else 1.0

    def _other_events(self, d1: dt.date, cycle: int) -> None:
        rng = self.rng
        on = d1 + dt.timedelta(days=rng.randint(2, 20))
        if rng.random() < 0.07:
            grade = rng.choices((2, 3), (55, 45))[0]
            self._ae("Lung infection", on, rng.randint(8, 18), grade, serious=grade == 3,
                     rel_pom="POSSIBLE", rel_dex="POSSIBLE")
            self.cms.append(Medication("Amoxicillin-clavulanic acid", "Lung infection", "1 g",
                                       "three times daily", "PO", on,
                                       on + dt.timedelta(days=8)))
        if rng.random() < 0.05:
            self._ae("Upper respiratory infection", on, 7, rng.choice((1, 2)),
                     rel_pom="UNLIKELY")
        chances = (("Fatigue", 0.12, (1, 2, 2, 3)), ("Constipation", 0.07, (1, 1, 2)),
                   ("Peripheral sensory neuropathy", 0.03, (1, 1, 2)),
                   ("Muscle cramp", 0.04, (1, 1, 2)), ("Diarrhea", 0.03, (1, 2)))
        for term, chance, grades in chances:
            if rng.random() < chance:
                self._ae(term, on, rng.randint(7, 40), rng.choice(grades), rel_pom="POSSIBLE")
                if term == "Constipation":
                    self.cms.append(Medication("Macrogol", "Constipation", "10 g", "once daily",
                                               "PO", on, on + dt.timedelta(days=14)))
        if rng.random() < 0.04:
            self._ae("Insomnia", d1 + dt.timedelta(days=1), 3, 1, rel_pom="UNLIKELY",
                     rel_dex="PROBABLE")
        if rng.random() < 0.03:
            self._ae("Hyperglycemia", d1 + dt.timedelta(days=1), 10, rng.choice((2, 3)),
                     rel_pom="UNLIKELY", rel_dex="PROBABLE")
        if cycle <= 3 and rng.random() < 0.01:
            self._ae("Thromboembolic event", on, 60, 2, serious=False, rel_pom="POSSIBLE",
                     rel_dex="POSSIBLE")
            self.cms.append(Medication("Tinzaparin", "Deep vein thrombosis", "175 IU/kg",
                                       "once daily", "SC", on, on + dt.timedelta(days=90)))

    def _end(self, reason: str, date: dt.date, last_pom: dt.date, last_dex: dt.date,
             pd_date: dt.date | None, death: dt.date) -> None:
        rng = self.rng
        if reason == "DEATH":
            death = date
            cause_ae = rng.random() < 0.5
            if cause_ae:
                self._ae("Lung infection", date - dt.timedelta(days=6), 6, 5,
                         rel_pom="POSSIBLE", rel_dex="POSSIBLE", action_pom="WITHDRAWN")
        self._save("SE.EOT", 1, "F.EOT", {
            "I.EOT.DAT": date, "I.EOT.LASTPOMDAT": last_pom, "I.EOT.LASTDEXDAT": last_dex,
            "I.EOT.REASON": reason, "I.EOT.PDDAT": pd_date if reason == "PD" else None})
        if reason != "DEATH":
            self._save("SE.EOT", 1, "F.ECOG", {"I.ECOG.DAT": date,
                                               "I.ECOG.SCORE": str(rng.choice((1, 2, 2, 3)))})
        self._stop_medications(date)
        self.summary.end_reason = reason
        progressed = reason == "PD"
        visit = last_visit = date
        repeat = 0
        if reason != "DEATH":
            # Follow-up every 3 months (PROTOCOL section 8) until death or the cut-off.
            death = max(death, date + dt.timedelta(days=rng.randint(20, 90)))
            new_therapy = False
            while True:
                visit = visit + dt.timedelta(days=91 + rng.randint(-10, 10))
                if visit >= death or visit > self.cutoff:
                    break
                repeat += 1
                items: dict[str, Value] = {"I.FU.DAT": visit, "I.FU.STATUS": "ALIVE"}
                if not progressed and (visit - date).days > rng.randint(60, 200):
                    progressed = True
                    items |= {"I.FU.PD": True,
                              "I.FU.PDDAT": visit - dt.timedelta(days=rng.randint(5, 40))}
                else:
                    items["I.FU.PD"] = False
                if progressed and not new_therapy:
                    new_therapy = True
                    items |= {"I.FU.NEWTX": True,
                              "I.FU.NEWTX_NAME": rng.choice(NEXT_THERAPIES),
                              "I.FU.NEWTX_DAT": visit - dt.timedelta(days=rng.randint(1, 30))}
                else:
                    items["I.FU.NEWTX"] = False
                self._save("SE.FU", repeat, "F.FU", items)
                last_visit = visit
        if death <= self.cutoff:
            fatal_ae = any(a.grade == 5 for a in self.aes)
            if fatal_ae:
                cause = "AE"
            elif reason == "DEATH":
                cause = "OTHER"  # on treatment, without progression
            else:
                cause = rng.choices(("PD", "OTHER"), (90, 10))[0]
            self.death = max(death, last_visit)
            self._save("SE.DEATH", 1, "F.DEATH", {
                "I.DEATH.DAT": self.death, "I.DEATH.CAUSE": cause,
                "I.DEATH.CAUSE_TEXT": {"AE": "Lung infection",
                                       "OTHER": "Sudden cardiac death"}.get(cause),
                "I.DEATH.AUTOPSY": False})
            self.summary.dead = True
            self._stop_medications(self.death)

    def _stop_medications(self, day: dt.date) -> None:
        for cm in self.cms:
            if cm.stop is None or cm.stop > day:
                cm.stop = max(cm.start, day)

    def _logs(self) -> None:
        last = min(self.cutoff, self.death or self.cutoff)
        self.aes = [a for a in self.aes if a.start <= last]
        for ae in self.aes:
            if ae.stop is not None and ae.stop > last:
                ae.stop = None  # ongoing at the cut-off or at death
        for cm in self.cms:
            if cm.stop is not None and cm.stop > self.cutoff:
                cm.stop = None
        rows = [a.row(self.terms) for a in sorted(self.aes, key=lambda a: a.start)]
        if rows:
            self._save("SE.AELOG", 1, "F.AE", {}, {"IG.AE.ROW": rows})
        cms = [c.row() for c in sorted(self.cms, key=lambda c: c.start) if c.start <= self.cutoff]
        self._save("SE.CMLOG", 1, "F.CM", {}, {"IG.CM.ROW": cms})
        self.summary.adverse_events = len(rows)
