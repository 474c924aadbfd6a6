"""A realistic synthetic trial, built through the services so that it is fully audited.

Used by ``ctrial demo`` for training, screenshots, reports and benchmarks. Patient
characteristics follow the published population (PROTOCOL section 1: median age 60,
range 42-83) without copying any result. Every account gets :data:`DEMO_PASSWORD`.

With ``clinical=True`` (the default) every patient gets the screening CRFs; eligible
ones are randomized (``patients`` of them, screen failures come on top) and followed
through cycles, adverse events, concomitant medications, end of treatment, follow-up
and death up to :data:`CUTOFF` (the end of follow-up), then a monitor verifies, queries
and an investigator signs part of the data. ``clinical=False`` only fills the
screening log (``patients`` screened), which is what large benchmark databases need.
One ``random.Random(seed)`` decides everything, randomization lists included, so a
seed always gives the same trial.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Callable
from dataclasses import dataclass, field

from ctrial_desktop.domain.messages import Message
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.demo_screening import SCREEN_FAILURES
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.normal_ranges import NormalRangeService
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import Database

DEMO_PASSWORD = "demo-password-2010"

#: IFM centres (code, hospital, city) used for demo sites, in order.
DEMO_SITES: tuple[tuple[str, str, str], ...] = (
    ("01", "CHRU de Lille, Hôpital Claude Huriez", "Lille"),
    ("02", "CHU de Nantes, Hôtel-Dieu", "Nantes"),
    ("03", "CHU de Toulouse, IUCT Oncopole", "Toulouse"),
    ("04", "Hôpital Saint-Antoine, AP-HP", "Paris"),
    ("05", "CHU de Bordeaux, Hôpital Haut-Lévêque", "Bordeaux"),
    ("06", "CHU de Rennes, Hôpital Pontchaillou", "Rennes"),
    ("07", "CHRU de Nancy, Hôpital de Brabois", "Nancy"),
    ("08", "CHU Grenoble Alpes", "Grenoble"),
    ("09", "CHU de Montpellier, Hôpital Saint-Éloi", "Montpellier"),
    ("10", "CHRU de Tours, Hôpital Bretonneau", "Tours"),
    ("11", "CHU de Poitiers", "Poitiers"),
    ("12", "Hospices Civils de Lyon, Centre hospitalier Lyon Sud", "Lyon"),
)

#: Reasons of screen failure (the clinical demo enters data that show them).
SCREEN_FAILURE_REASONS = tuple(reason for reason, _criterion in SCREEN_FAILURES)

ACCRUAL_START = dt.date(2009, 10, 1)
ACCRUAL_END = dt.date(2011, 12, 31)
#: End of follow-up of the trial (PROTOCOL section 1): nothing is dated after it.
CUTOFF = dt.date(2015, 4, 30)


@dataclass(frozen=True)
class DemoSummary:
    """What ``build_demo`` created: account names (all with :data:`DEMO_PASSWORD`).

    ``patients`` counts every screened patient. The clinical counts are zero for a
    screening-only demo: ``arms`` maps an arm code to its number of patients,
    ``forms`` counts the form saves, ``responses`` the best overall responses.
    """

    sites: tuple[str, ...]
    usernames: tuple[str, ...]
    patients: int
    screen_failures: int
    randomized: int = 0
    arms: dict[str, int] = field(default_factory=dict)
    cycles: int = 0
    forms: int = 0
    adverse_events: int = 0
    deaths: int = 0
    queries: int = 0
    responses: dict[str, int] = field(default_factory=dict)


#: Adult normal ranges of the demo laboratories (test, sex, LLN, ULN, unit); each site's
#: upper limits of the enzymes differ a little, as real laboratories do.
DEMO_NORMAL_RANGES: tuple[tuple[str, str, str, str, str], ...] = (
    ("HGB", "M", "130", "170", "g/L"), ("HGB", "F", "120", "155", "g/L"),
    ("WBC", "", "4.0", "10.0", "10^9/L"), ("ANC", "", "1.8", "7.5", "10^9/L"),
    ("LYMPH", "", "1.0", "4.0", "10^9/L"), ("PLT", "", "150", "400", "10^9/L"),
    ("CREAT", "M", "62", "106", "µmol/L"), ("CREAT", "F", "44", "80", "µmol/L"),
    ("ALT", "", "", "40", "U/L"), ("AST", "", "", "35", "U/L"),
    ("BILI", "", "", "17", "µmol/L"), ("CA", "", "2.15", "2.55", "mmol/L"),
    ("GLUC", "", "3.9", "6.1", "mmol/L"), ("K", "", "3.5", "5.0", "mmol/L"),
)


def _demo_ranges(db: Database, dm: Actor, codes: list[str]) -> None:
    service = NormalRangeService(db, dm)
    for index, code in enumerate(codes):
        for test, sex, lln, uln, unit in DEMO_NORMAL_RANGES:
            if test in ("ALT", "AST"):
                uln = str(int(uln) + 5 * (index % 3))
            service.set_range(code, test, sex, lln, uln, unit,
                              "normal ranges of the site laboratory")


def _initials(rng: random.Random) -> str:
    letters = string.ascii_uppercase.replace("Q", "").replace("X", "")
    return rng.choice(letters) + rng.choice(letters)


def _age(rng: random.Random) -> int:
    # Triangular on the published range, mode chosen so that the median is about 60.
    return round(rng.triangular(42, 83, 57))


def _failures(rng: random.Random, patients: int, rate: float, clinical: bool) -> list[bool]:
    """Screen-failure flag of each screened patient, in screening order.

    Screening-only: ``patients`` are screened. Clinical: screening goes on until
    ``patients`` are eligible, as in the trial where the number randomized is the target.
    """
    flags: list[bool] = []
    while (len(flags) if not clinical else flags.count(False)) < patients:
        flags.append(rng.random() < rate)
    return flags


def build_demo(
    db: Database,
    *,
    patients: int = 84,
    sites: int = 6,
    seed: int = 2009,
    screen_failure_rate: float = 0.12,
    progress: Callable[[int, int], None] | None = None,
    clinical: bool = True,
) -> DemoSummary:
    """Create sites, users and patients in an empty database (see the module docstring)."""
    if not 1 <= sites <= 99:
        raise ServiceError(Message("The demo needs between 1 and 99 sites."))
    if patients < 0:
        raise ServiceError(Message("The number of patients cannot be negative."))
    if not 0 <= screen_failure_rate < 1:
        raise ServiceError(Message("The screen-failure rate must be at least 0 and below 1."))
    auth = AuthService(db)
    if auth.has_users():
        raise ServiceError(Message("The demo is built only in an empty database; this one has "
                                   "users."))
    rng = random.Random(seed)
    admin = auth.create_first_administrator("admin", "Alice", "Martin", DEMO_PASSWORD)
    site_service = SiteService(db, admin)
    codes = []
    for index in range(sites):
        if index < len(DEMO_SITES):
            code, name, city = DEMO_SITES[index]
        else:
            code, name, city = f"{index + 1:02d}", f"Centre hospitalier {index + 1}", ""
        site_service.create_site(code, name, city)
        site_service.set_active(code, True, "site initiation visit completed")
        codes.append(code)
    users = UserService(db, admin)
    usernames = ["admin"]
    users.create_user("dm", "Denis", "Moreau", DEMO_PASSWORD,
                      [RoleGrant(Role.DATA_MANAGER, None)], must_change_password=False)
    users.create_user("monitor", "Claire", "Petit", DEMO_PASSWORD,
                      [RoleGrant(Role.MONITOR, None)], must_change_password=False)
    usernames += ["dm", "monitor"]
    _demo_ranges(db, auth.login("dm", DEMO_PASSWORD), codes)
    coordinators: dict[str, Actor] = {}
    for code in codes:
        users.create_user(f"coord{code}", "Marie", f"Durand-{code}", DEMO_PASSWORD,
                          [RoleGrant(Role.COORDINATOR, code)], must_change_password=False)
        users.create_user(f"inv{code}", "Thierry", f"Facon-{code}", DEMO_PASSWORD,
                          [RoleGrant(Role.INVESTIGATOR, code)], must_change_password=False)
        usernames += [f"coord{code}", f"inv{code}"]
        coordinators[code] = auth.login(f"coord{code}", DEMO_PASSWORD)
    flags = _failures(rng, patients, screen_failure_rate, clinical)
    span = (ACCRUAL_END - ACCRUAL_START).days
    consents = sorted(ACCRUAL_START + dt.timedelta(days=rng.randrange(span)) for _ in flags)
    trial = None
    if clinical:
        from ctrial_desktop.services.demo_trial import DemoTrial

        trial = DemoTrial(db, auth, coordinators, seed, CUTOFF)
    failures = 0
    for index, (consent, failed) in enumerate(zip(consents, flags, strict=True)):
        code = codes[min(int(rng.paretovariate(1.2)) - 1, len(codes) - 1)] if sites > 1 \
            else codes[0]
        age = _age(rng)
        birth = consent - dt.timedelta(days=age * 365 + rng.randrange(365))
        initials = _initials(rng)
        sex = "M" if rng.random() < 0.6 else "F"
        reason = rng.choice(SCREEN_FAILURE_REASONS) if failed else None
        if trial is not None:
            trial.patient(code, initials, sex, age, birth, consent, reason)
        else:
            service = PatientService(db, coordinators[code])
            row = service.screen_patient(code, initials, sex, birth_date=birth,
                                         consent_date=consent)
            if reason is not None:
                service.record_screen_failure(row.id, reason)
        failures += failed
        if progress is not None:
            progress(index + 1, len(flags))
    summary = DemoSummary(tuple(codes), tuple(usernames), len(flags), failures)
    if trial is not None:
        summary = trial.finish(summary)
    return summary
