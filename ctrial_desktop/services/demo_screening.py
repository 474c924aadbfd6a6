"""Demo screening: a synthetic patient's profile, screening CRFs and randomization.

Profiles follow the published population (PROTOCOL section 1: median age 60, range
42-83; median 5 prior lines, range 1-13; all refractory to lenalidomide and
bortezomib) and the eligibility criteria of PROTOCOL section 4; a screen failure
gets data that show its reason. Everything is saved through the services.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ctrial_desktop.domain.labs import cockcroft_gault
from ctrial_desktop.services.demo_forms import FormWriter, Value
from ctrial_desktop.services.randomization import RandomizationService

#: Reasons of screen failure and the criterion each one fails (checklist item).
SCREEN_FAILURES: tuple[tuple[str, str], ...] = (
    ("Platelets below 75 x10^9/L at screening", "IN08"),
    ("Creatinine clearance below 45 mL/min", "IN09"),
    ("Not refractory to lenalidomide", "IN03"),
    ("Peripheral neuropathy grade 2", "EX02"),
    ("Patient withdrew consent before randomization", ""),
    ("Non-measurable disease", "IN05"),
)

#: Regimens of prior lines (text, agents) typical of the era, in usual order.
PRIOR_REGIMENS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("VAD then high-dose melphalan and autologous transplant", ("ANTHRA", "STEROID", "ASCT")),
    ("Bortezomib-dexamethasone then autologous transplant", ("BORT", "STEROID", "ASCT")),
    ("Melphalan-prednisone-thalidomide", ("ALKYL", "STEROID", "THAL")),
    ("Lenalidomide-dexamethasone", ("LEN", "STEROID")),
    ("Bortezomib-melphalan-prednisone", ("BORT", "ALKYL", "STEROID")),
    ("Thalidomide-dexamethasone", ("THAL", "STEROID")),
    ("Cyclophosphamide-dexamethasone", ("ALKYL", "STEROID")),
    ("Bortezomib-lenalidomide-dexamethasone", ("BORT", "LEN", "STEROID")),
    ("Bendamustine-prednisone", ("ALKYL", "STEROID")),
    ("Second autologous transplant", ("ALKYL", "ASCT")),
    ("Bortezomib-doxorubicin-dexamethasone", ("BORT", "ANTHRA", "STEROID")),
    ("Lenalidomide-cyclophosphamide-dexamethasone", ("LEN", "ALKYL", "STEROID")),
    ("Clinical trial (investigational agent)", ("OTHER",)),
)

CONSENT_VERSION = "2.0 of 15/09/2009"


@dataclass
class Profile:
    """Everything drawn for one screened patient (values in CRF units)."""

    site_code: str
    initials: str
    sex: str
    age: int
    birth: dt.date
    consent: dt.date
    procedures: dt.date
    failure: str | None
    failed_item: str
    height: int
    weight: float
    childbearing: bool
    isotype: str
    light: str
    iss: str
    b2m: float
    albumin: float
    lines: int
    serum_m: float
    urine_m: float
    kappa: float
    lambda_: float
    marrow_pc: float
    ecog: int
    hgb: float
    anc: float
    wbc: float
    lym: float
    plt: float
    creatinine: float
    lesions: int

    @property
    def elderly(self) -> bool:
        """Older than 75 at entry: dexamethasone starts at 20 mg (PROTOCOL section 2)."""
        return self.age > 75

    @property
    def involved(self) -> float:
        return self.kappa if self.light == "KAPPA" else self.lambda_


def _lognormal(rng: random.Random, median: float, sigma: float, low: float,
               high: float) -> float:
    return min(high, max(low, median * math.exp(rng.gauss(0, sigma))))


def _iss_labs(rng: random.Random, iss: str) -> tuple[float, float]:
    """Beta-2 microglobulin (mg/L) and albumin (g/L) consistent with the ISS stage."""
    if iss == "I":
        return round(rng.uniform(1.8, 3.4), 1), float(rng.randint(35, 44))
    if iss == "II":
        if rng.random() < 0.5:
            return round(rng.uniform(3.5, 5.4), 1), float(rng.randint(30, 42))
        return round(rng.uniform(2.0, 3.4), 1), float(rng.randint(26, 34))
    return round(rng.uniform(5.5, 12.0), 1), float(rng.randint(25, 38))


def draw_profile(rng: random.Random, site_code: str, initials: str, sex: str, age: int,
                 birth: dt.date, consent: dt.date, failure: str | None) -> Profile:
    """A patient's screening data, consistent with the screen-failure reason if any."""
    failed_item = dict(SCREEN_FAILURES).get(failure or "", "")
    height = round(rng.gauss(172 if sex == "M" else 162, 7))
    weight = round(_lognormal(rng, 76 if sex == "M" else 64, 0.15, 45, 120), 1)
    isotype = rng.choices(("IGG", "IGA", "LC_ONLY"), (55, 25, 20))[0]
    light = "KAPPA" if rng.random() < 0.62 else "LAMBDA"
    iss = rng.choices(("I", "II", "III"), (30, 40, 30))[0]
    b2m, albumin = _iss_labs(rng, iss)
    lines = max(2, min(13, round(_lognormal(rng, 5, 0.45, 2, 13))))
    if isotype == "LC_ONLY":
        serum_m, urine_m = 0.0, float(round(_lognormal(rng, 900, 0.6, 250, 6000)))
        involved = _lognormal(rng, 1200, 0.8, 200, 9000)
    else:
        serum_m = round(_lognormal(rng, 32 if isotype == "IGG" else 22, 0.5, 6, 85), 1)
        urine_m = float(round(_lognormal(rng, 350, 0.8, 60, 3000)))
        involved = _lognormal(rng, 250, 0.9, 40, 5000)
    if failed_item == "IN05":
        serum_m, urine_m, involved = round(rng.uniform(2, 4.5), 1), float(rng.randint(60, 180)), \
            rng.uniform(40, 90)
    uninvolved = rng.uniform(3, 14)
    kappa, lambda_ = (involved, uninvolved) if light == "KAPPA" else (uninvolved, involved)
    creatinine = float(rng.randint(62, 125))
    while cockcroft_gault(age, weight, sex, creatinine) < 50 and creatinine > 45:
        creatinine -= 8
    if failed_item == "IN09":
        creatinine = float(math.ceil((1.23 if sex == "M" else 1.04) * (140 - age) * weight / 38))
    anc = round(_lognormal(rng, 2.6, 0.35, 1.1, 6.0), 2)
    lym = round(_lognormal(rng, 1.1, 0.3, 0.5, 2.5), 2)
    wbc = round(anc + lym + rng.uniform(0.3, 1.0), 2)
    plt = round(_lognormal(rng, 165, 0.35, 80, 380))
    if failed_item == "IN08":
        plt = rng.randint(38, 70)
    return Profile(
        site_code=site_code, initials=initials, sex=sex, age=age, birth=birth, consent=consent,
        procedures=consent + dt.timedelta(days=rng.randint(0, 3)), failure=failure,
        failed_item=failed_item, height=height, weight=weight,
        childbearing=sex == "F" and age < 50 and rng.random() < 0.4,
        isotype=isotype, light=light, iss=iss, b2m=b2m, albumin=albumin, lines=lines,
        serum_m=serum_m, urine_m=urine_m, kappa=round(kappa, 1), lambda_=round(lambda_, 1),
        marrow_pc=round(rng.uniform(10, 70), 1), ecog=rng.choices((0, 1, 2), (35, 50, 15))[0],
        hgb=float(rng.randint(86, 132)), anc=anc, wbc=wbc, lym=lym, plt=float(plt),
        creatinine=creatinine, lesions=rng.choice((0, 0, 2, 3, 5, 8, 12)),
    )


def _partial(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def prior_lines(rng: random.Random, p: Profile) -> tuple[list[dict[str, Value]], dt.date]:
    """Rows of the prior-lines table (oldest first) and the last progression date."""
    last_pd = p.consent - dt.timedelta(days=rng.randint(10, 50))
    span_days = rng.randint(900, 3000)
    diagnosis = last_pd - dt.timedelta(days=span_days)
    regimens = list(PRIOR_REGIMENS)
    chosen = [regimens[i % len(regimens)] for i in range(p.lines)]
    # Every patient is refractory to both drugs: the last lines hold lenalidomide and
    # bortezomib (progression on treatment), whatever came before.
    if p.lines >= 2:
        chosen[-2] = ("Bortezomib-dexamethasone", ("BORT", "STEROID"))
        chosen[-1] = ("Lenalidomide-dexamethasone", ("LEN", "STEROID"))
    else:
        chosen[-1] = PRIOR_REGIMENS[7]
    rows: list[dict[str, Value]] = []
    step = span_days // p.lines
    for index, (regimen, agents) in enumerate(chosen):
        start = diagnosis + dt.timedelta(days=20 + index * step)
        pd_date = min(last_pd, start + dt.timedelta(days=step - 10))
        end = pd_date - dt.timedelta(days=rng.randint(0, 20))
        last = index == len(chosen) - 1
        refractory_len = p.failed_item != "IN03"
        row: dict[str, Value] = {
            "I.MH.LINE_NO": index + 1, "I.MH.LINE_REGIMEN": regimen,
            "I.MH.LINE_AGENTS": list(agents), "I.MH.LINE_START": _partial(start),
            "I.MH.LINE_END": _partial(end),
            "I.MH.LINE_BESTRESP": rng.choice(("PD", "SD", "MR")) if last
            else rng.choices(("CR", "VGPR", "PR", "MR", "SD"), (8, 25, 40, 12, 15))[0],
            "I.MH.LINE_PDDAT": _partial(pd_date),
        }
        if "LEN" in agents:
            row["I.MH.LINE_REFR_LEN"] = refractory_len and index >= len(chosen) - 2
        if "BORT" in agents:
            row["I.MH.LINE_REFR_BORT"] = index >= len(chosen) - 2
        rows.append(row)
    return rows, last_pd


def save_screening(writer: FormWriter, rng: random.Random, patient_id: int, p: Profile
                   ) -> dict[str, int]:
    """Every screening form of the patient; form OID -> form data id."""
    ev = "SE.SCREEN"
    day = p.procedures
    ids: dict[str, int] = {}

    def save(form: str, items: dict[str, Value], rows: dict[str, list[dict[str, Value]]]
             | None = None) -> None:
        result = writer.save(patient_id, ev, 1, form, items, rows)  # type: ignore[arg-type]
        if result.snapshot.form_data_id is not None and result.snapshot.status == "complete":
            ids[form] = result.snapshot.form_data_id

    save("F.IC", {"I.IC.SIGNED": True, "I.IC.DAT": p.consent,
                  "I.IC.VERSION": CONSENT_VERSION, "I.IC.PROCDAT": day,
                  "I.IC.SAMPLES": rng.random() < 0.85})
    save("F.DM", {"I.DM.VISDAT": day, "I.DM.BRTHDAT": p.birth, "I.DM.SEX": p.sex,
                  "I.DM.CHILDPOT": p.childbearing if p.sex == "F" else None,
                  "I.DM.HEIGHT": p.height, "I.DM.WEIGHT": p.weight})
    if p.failed_item == "" and p.failure:
        return ids  # consent withdrawn right after the first visit
    lines, last_pd = prior_lines(rng, p)
    cyto = rng.random() < 0.7
    mh: dict[str, Value] = {
        "I.MH.DIAGDAT": lines[0]["I.MH.LINE_START"], "I.MH.ISOTYPE": p.isotype,
        "I.MH.LIGHT": p.light, "I.MH.ISS_DIAG": rng.choice(("I", "II", "III")),
        "I.MH.ISS_ENTRY": p.iss, "I.MH.CYTO_DONE": cyto,
        "I.MH.NLINES": p.lines, "I.MH.REFR_LEN": p.failed_item != "IN03",
        "I.MH.REFR_BORT": True, "I.MH.LASTPD": _partial(last_pd),
    }
    if cyto:
        mh |= {"I.MH.CYTO_METHOD": "FISH",
               "I.MH.DEL17P": "PRESENT" if rng.random() < 0.12 else "ABSENT",
               "I.MH.T414": "PRESENT" if rng.random() < 0.15 else "ABSENT",
               "I.MH.T1416": "NOT_DONE", "I.MH.DEL13": rng.choice(("PRESENT", "ABSENT")),
               "I.MH.GAIN1Q": "PRESENT" if rng.random() < 0.35 else "ABSENT"}
    save("F.MH", mh, {"IG.MH.LINE": lines})
    save("F.HEM", hem_values(p.sex, day, p.hgb, p.wbc, p.anc, p.lym, p.plt))
    save("F.CHEM", chem_values(rng, p.sex, day, p.weight, p.creatinine, p.albumin, p.b2m))
    save("F.DA", da_values(day, p.serum_m, p.urine_m, p.kappa, p.lambda_, None))
    save("F.BM", {"I.BM.DAT": day, "I.BM.METHOD": rng.choice(("ASPIRATE", "BOTH")),
                  "I.BM.PC_PCT": p.marrow_pc, "I.BM.CLONALITY": "CLONAL"})
    save("F.IMG", {"I.IMG.DAT": day, "I.IMG.METHOD": rng.choice(("XRAY", "XRAY", "MRI", "CT")),
                   "I.IMG.LYTIC": p.lesions > 0, "I.IMG.NLESIONS": p.lesions or None,
                   "I.IMG.FRACTURE": p.lesions > 4 and rng.random() < 0.4})
    save("F.ECOG", {"I.ECOG.DAT": day, "I.ECOG.SCORE": str(p.ecog)})
    if p.childbearing:
        save("F.PREG", preg_values(day, day + dt.timedelta(days=1)))
    answers: dict[str, Value] = {f"I.ELIG.IN{n:02d}": True for n in range(1, 15)}
    answers |= {f"I.ELIG.EX{n:02d}": False for n in range(1, 8)}
    if not p.childbearing:
        del answers["I.ELIG.IN13"]
    if p.sex == "M":
        del answers["I.ELIG.EX05"]
    if p.failed_item:
        answers[f"I.ELIG.{p.failed_item}"] = p.failed_item.startswith("EX")
    answers |= {"I.ELIG.DAT": day, "I.ELIG.ELIGIBLE": not p.failed_item,
                "I.ELIG.FAILREASON": p.failure if p.failed_item else None}
    save("F.ELIG", answers)
    return ids


def hem_values(sex: str, day: dt.date, hgb: float, wbc: float, anc: float, lym: float,
               plt: float) -> dict[str, Value]:
    """Haematology with the laboratory's lower limits of normal."""
    return {"I.HEM.DAT": day, "I.HEM.HGB": float(round(hgb)),
            "I.HEM.HGB_LLN": 130.0 if sex == "M" else 120.0,
            "I.HEM.WBC": wbc, "I.HEM.WBC_LLN": 4.0, "I.HEM.ANC": anc, "I.HEM.ANC_LLN": 1.8,
            "I.HEM.LYM": lym, "I.HEM.LYM_LLN": 1.0, "I.HEM.PLT": float(round(plt)),
            "I.HEM.PLT_LLN": 150.0}


def chem_values(rng: random.Random, sex: str, day: dt.date, weight: float, creatinine: float,
                albumin: float, b2m: float | None, *, full: bool = True) -> dict[str, Value]:
    """Chemistry with the laboratory's upper (and lower) limits of normal.

    ``full`` adds the optional LDH, glucose and potassium (done at screening).
    """
    values: dict[str, Value] = {
        "I.CHEM.DAT": day, "I.CHEM.WEIGHT": weight, "I.CHEM.CREAT": creatinine,
        "I.CHEM.CREAT_ULN": 110.0 if sex == "M" else 90.0,
        "I.CHEM.CA": round(rng.uniform(2.12, 2.55), 2), "I.CHEM.CA_ULN": 2.6,
        "I.CHEM.ALB": albumin, "I.CHEM.B2M": b2m,
        "I.CHEM.AST": float(rng.randint(14, 42)), "I.CHEM.AST_ULN": 40.0,
        "I.CHEM.ALT": float(rng.randint(10, 48)), "I.CHEM.ALT_ULN": 45.0,
        "I.CHEM.BILI": float(rng.randint(5, 19)), "I.CHEM.BILI_ULN": 17.0}
    if full:
        values |= {"I.CHEM.LDH": float(rng.randint(150, 320)), "I.CHEM.LDH_ULN": 250.0,
                   "I.CHEM.GLUC": round(rng.uniform(4.5, 7.4), 1), "I.CHEM.GLUC_ULN": 6.1,
                   "I.CHEM.K": round(rng.uniform(3.6, 4.9), 1), "I.CHEM.K_LLN": 3.5}
    return values


def da_values(day: dt.date, serum_m: float, urine_m: float, kappa: float, lambda_: float,
              response: str | None) -> dict[str, Value]:
    """A disease assessment (electrophoreses, immunofixations, free light chains).

    ``response`` is the investigator's, here the category derived by the IMWG criteria.
    """
    return {"I.DA.DAT": day, "I.DA.SPEP_DONE": True, "I.DA.SMP": round(serum_m, 1),
            "I.DA.SIFE": "POS", "I.DA.FLC_DONE": True, "I.DA.KAPPA": round(kappa, 1),
            "I.DA.LAMBDA": round(lambda_, 1), "I.DA.UPEP_DONE": True,
            "I.DA.UMP": float(round(urine_m)), "I.DA.UIFE": "POS" if urine_m > 0 else "NEG",
            "I.DA.PCT_PRESENT": False, "I.DA.PCT_NEW": False, "I.DA.HYPERCA": False,
            "I.DA.RESP_INV": response}


def preg_values(first: dt.date, second: dt.date) -> dict[str, Value]:
    """Two negative pregnancy tests and two contraception methods."""
    return {"I.PREG.DAT1": first, "I.PREG.TYPE1": "SERUM", "I.PREG.RES1": "NEG",
            "I.PREG.DAT2": second, "I.PREG.TYPE2": "URINE", "I.PREG.RES2": "NEG",
            "I.PREG.CONTRA": ["LNG_IUS", "CONDOM"], "I.PREG.COUNSEL": True}


class DemoRandomizationService(RandomizationService):
    """The randomization service with the trial's own clock.

    A demo trial is entered years after it took place; its randomizations are dated on
    the day they happened in the trial (``on``), so that progression and death dates
    compare with them as in the real trial. Everything else (eligibility, lists,
    audit, once-only rule) is the service's own.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.on: dt.datetime | None = None
        super().__init__(*args, clock=self._trial_now, **kwargs)

    def _trial_now(self) -> dt.datetime:
        return self.on if self.on is not None else dt.datetime.now(dt.UTC)


def randomize(service: DemoRandomizationService, writer: FormWriter, patient_id: int,
              when: dt.datetime, arm_codes: dict[str, str],
              eligibility: Callable[[int], list[str]]) -> str:
    """Randomize on ``when`` and record the randomization form; the arm code (POM21...).

    The form holds the stratification the coordinator confirmed; its result items are
    written by the system, not entered, so the form service leaves them to it.
    """
    service.on = when
    strat = service.stratification(patient_id, when.date())
    reasons = eligibility(patient_id)
    if reasons:
        raise ValueError("demo patient not eligible: " + " ".join(reasons))
    result = service.randomize(patient_id, strat)
    arm = arm_codes.get(result.arm, result.arm)
    writer.save(patient_id, "SE.RAND", 1, "F.RAND", {
        "I.RAND.ISS_GROUP": strat.iss_group, "I.RAND.AGE_GROUP": None if strat.age is None
        else ("GE65" if strat.age >= 65 else "LT65"),
        "I.RAND.ELIG_CONFIRMED": True})
    return arm
