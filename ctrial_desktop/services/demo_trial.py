"""The clinical part of the demo trial: screening CRFs, randomization, course, review.

:class:`DemoTrial` is driven by :func:`ctrial_desktop.services.demo.build_demo`, one
screened patient at a time in consent order, so that randomizations take the list
positions in the order of their dates. Each patient's choices come from a
``random.Random`` seeded by the demo seed and the patient's rank, the randomization
lists and draws from one seeded stream: the same seed builds the same trial.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections import Counter

from ctrial_desktop.domain.ctcae import CtcaeTerm, load_ctcae_terms
from ctrial_desktop.paths import forms_dir, resources_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor
from ctrial_desktop.services.demo import DEMO_PASSWORD, DemoSummary
from ctrial_desktop.services.demo_course import TERMS, Course, CourseSummary
from ctrial_desktop.services.demo_forms import FormWriter
from ctrial_desktop.services.demo_screening import (
    DemoRandomizationService,
    draw_profile,
    randomize,
    save_screening,
)
from ctrial_desktop.services.eligibility import EligibilityService
from ctrial_desktop.services.forms import FormService
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.review import ReviewService
from ctrial_desktop.services.study_settings import randomization_settings
from ctrial_desktop.store.database import Database
from ctrial_desktop.study import StudyDefinition, load_study

QUERY_TEXTS = (
    ("F.HEM", "IG.HEM.MAIN", "I.HEM.PLT",
     "Please confirm the platelet count against the laboratory report."),
    ("F.CHEM", "IG.CHEM.RENAL", "I.CHEM.CREAT",
     "Creatinine differs from the previous cycle: please check the unit (µmol/L)."),
    ("F.POM", "IG.POM.CYCLE", "I.POM.RETURNED",
     "Returned capsules do not match the missed days: please check the diary."),
    ("F.DA", "IG.DA.SERUM", "I.DA.SMP",
     "Please confirm the serum M-protein with the electrophoresis report."),
)
ANSWERS = (
    "Checked against the source document: the value is correct.",
    "Corrected after review of the laboratory report.",
    "Confirmed with the patient diary.",
)


@dataclasses.dataclass
class _Randomized:
    """A randomized patient, for the review at the end."""

    patient_id: int
    site_code: str
    arm: str
    screening: dict[str, int]
    course: CourseSummary


class DemoTrial:
    """Builds each screened patient's data through the services (see the module docstring)."""

    def __init__(self, db: Database, auth: AuthService, coordinators: dict[str, Actor],
                 seed: int, cutoff: dt.date) -> None:
        self.db = db
        self.auth = auth
        self.coordinators = coordinators
        self.seed = seed
        self.cutoff = cutoff
        self.study: StudyDefinition = load_study(forms_dir())
        version = self.study.settings.ctcae.version
        by_name = {t.term: t for t in load_ctcae_terms(resources_dir() / "ctcae", version)}
        self.terms: dict[str, CtcaeTerm] = {n: by_name[n] for n in TERMS if n in by_name}
        self.arm_codes = {a.letter: a.code for a in self.study.arms}
        self.arm_days = {a.code: tuple(sorted(int(d) for d in a.pomalidomide.days))  # type: ignore[call-overload]
                         for a in self.study.arms}
        self._draws = random.Random(f"randomization:{seed}")
        # The data manager appends a list to a stratum when the application says its
        # stock is low, as the randomization log asks them to.
        self._lists = DemoRandomizationService(
            db, auth.login("dm", DEMO_PASSWORD), randomization_settings(self.study),
            draw=self._draws.random,
            seed_source=lambda: self._draws.randbytes(32))
        self._writers: dict[str, FormWriter] = {}
        self._randomizers: dict[str, DemoRandomizationService] = {}
        self._eligibility: dict[str, EligibilityService] = {}
        self.randomized: list[_Randomized] = []
        self._count = 0

    def _writer(self, code: str) -> FormWriter:
        if code not in self._writers:
            actor = self.coordinators[code]
            self._writers[code] = FormWriter(FormService(self.db, actor, self.study,
                                                         today=self.cutoff), self.study)
            self._eligibility[code] = EligibilityService(self.db, actor, self.study,
                                                         today=self.cutoff)
            self._randomizers[code] = DemoRandomizationService(
                self.db, actor, randomization_settings(self.study), draw=self._draws.random,
                seed_source=lambda: self._draws.randbytes(32),
                eligibility=self._eligibility[code].blocking_reasons)
        return self._writers[code]

    def patient(self, code: str, initials: str, sex: str, age: int, birth: dt.date,
                consent: dt.date, failure: str | None) -> None:
        """Screen one patient; randomize and follow them unless ``failure`` is given."""
        self._count += 1
        rng = random.Random(f"patient:{self.seed}:{self._count}")
        service = PatientService(self.db, self.coordinators[code], today=self.cutoff)
        row = service.screen_patient(code, initials, sex, birth_date=birth, consent_date=consent)
        profile = draw_profile(rng, code, initials, sex, age, birth, consent, failure)
        writer = self._writer(code)
        screening = save_screening(writer, rng, row.id, profile)
        if failure is not None:
            service.record_screen_failure(row.id, failure)
            return
        when = dt.datetime.combine(profile.procedures + dt.timedelta(days=rng.randint(2, 12)),
                                   dt.time(rng.randint(8, 17), rng.randint(0, 59)))
        for stock in self._lists.stock():
            if stock.low:
                self._lists.append_list(stock.stratum, "stock of the stratum running low")
        arm = randomize(self._randomizers[code], writer, row.id, when, self.arm_codes,
                        self._eligibility[code].blocking_reasons)
        course = Course(writer, rng, self.terms, row.id, profile, self.arm_days[arm],
                        when.date(), self.cutoff).run()
        self.randomized.append(_Randomized(row.id, code, arm, screening, course))

    def _review(self) -> int:
        """Source-data verification, queries and signatures on part of the data."""
        rng = random.Random(f"review:{self.seed}")
        monitor = ReviewService(self.db, self.auth.login("monitor", DEMO_PASSWORD), self.auth)
        coordinators = {c: ReviewService(self.db, a, self.auth)
                        for c, a in self.coordinators.items()}
        to_sign: dict[str, list[int]] = {}
        queries = 0
        for patient in self.randomized:
            if rng.random() < 0.5:
                for form in ("F.IC", "F.DM", "F.ELIG"):
                    if form in patient.screening:
                        monitor.set_verified(patient.screening[form], True)
            candidates = [(key, fid) for key, fid in patient.course.form_ids.items()
                          if any(key[2] == q[0] for q in QUERY_TEXTS)]
            if candidates and rng.random() < 0.3:
                (_event, _repeat, form), form_id = rng.choice(sorted(candidates))
                _, group, item, text = next(q for q in QUERY_TEXTS if q[0] == form)
                query = monitor.raise_query(form_id, text, item_group_oid=group, item_oid=item)
                queries += 1
                if rng.random() < 0.8:
                    coordinators[patient.site_code].answer_query(query.id, rng.choice(ANSWERS))
                    if rng.random() < 0.75:
                        monitor.close_query(query.id, "Answer accepted.")
            if rng.random() < 0.5:
                ids = [patient.screening[f] for f in ("F.ELIG",) if f in patient.screening]
                ids += [fid for (_e, _r, form), fid in patient.course.form_ids.items()
                        if form == "F.EOT"]
                to_sign.setdefault(patient.site_code, []).extend(ids)
        for code, ids in sorted(to_sign.items()):
            if ids:
                investigator = self.auth.login(f"inv{code}", DEMO_PASSWORD)
                ReviewService(self.db, investigator, self.auth).sign(
                    ids, investigator.username, DEMO_PASSWORD)
        return queries

    def finish(self, summary: DemoSummary) -> DemoSummary:
        """The summary completed with the clinical counts, after the review."""
        queries = self._review()
        arms = Counter(p.arm for p in self.randomized)
        responses = Counter(p.course.best_response for p in self.randomized)
        return dataclasses.replace(
            summary,
            randomized=len(self.randomized), arms=dict(sorted(arms.items())),
            cycles=sum(p.course.cycles for p in self.randomized),
            forms=sum(sum(w.saved.values()) for w in self._writers.values()),
            adverse_events=sum(p.course.adverse_events for p in self.randomized),
            deaths=sum(p.course.dead for p in self.randomized), queries=queries,
            responses=dict(sorted(responses.items())))
