"""Cost of deriving the IMWG response at each save of a disease assessment.

One patient with a screening assessment and N on-study assessments (serum M-protein,
saved through ``FormService``). The last assessment is saved again ``--rounds`` times with
a new M-protein value, each save re-deriving the response of every assessment in the same
transaction (and writing the changed ones with their audit records); the baseline is the
same save with the derivation switched off (the save path alone). The derivation runs
twice per save: for the form being saved while it is checked, then for every assessment
after the write. Prints the median and
95th percentile in ms and the extra cost per save.

Run from the project root: ``python benchmarks/bench_derived_response.py [--assessments 24]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services import forms
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.database import open_database
from ctrial_desktop.study import load_study

PASSWORD = "Correct-horse-42"
SERUM = "IG.DA.SERUM"


def _serum(day: dt.date, smp: float) -> dict[ValueKey, str]:
    return {ValueKey(SERUM, 1, "I.DA.DAT"): day.isoformat(),
            ValueKey(SERUM, 1, "I.DA.SPEP_DONE"): "Y",
            ValueKey(SERUM, 1, "I.DA.SMP"): f"{smp:.1f}"}


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[round(0.95 * (len(ordered) - 1))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    study = load_study(forms_dir())
    folder = Path(tempfile.mkdtemp(prefix="bench-derived-"))
    db = open_database(f"sqlite:///{folder / 'trial.sqlite3'}")
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    SiteService(db, admin).create_site("01", "Site", "Ville")
    SiteService(db, admin).set_active("01", True, "bench")
    UserService(db, admin).create_user("julie", "Julie", "Inv", PASSWORD,
                                       [RoleGrant(Role.INVESTIGATOR, "01")],
                                       must_change_password=False)
    actor = AuthService(db).login("julie", PASSWORD)
    start = dt.date(2010, 1, 4)
    pid = PatientService(db, actor, today=dt.date(2013, 1, 1)).screen_patient(
        "01", "MD", "F", birth_date=dt.date(1946, 5, 2), consent_date=start).id
    service = FormService(db, actor, study, today=dt.date(2013, 1, 1))
    service.save(pid, "SE.SCREEN", 1, "F.DA", _serum(start, 40.0), expected_version=0)
    for cycle in range(1, args.assessments + 1):
        day = start + dt.timedelta(days=28 * cycle)
        service.save(pid, "SE.CYCLE", cycle, "F.DA", _serum(day, max(2.0, 40.0 - cycle)),
                     expected_version=0)
    last = args.assessments
    last_day = start + dt.timedelta(days=28 * last)

    def timed(rounds: int) -> list[float]:
        times = []
        for index in range(rounds):
            snap = service.open(pid, "SE.CYCLE", last, "F.DA")
            values = {**snap.values, **_serum(last_day, 10.0 + (index % 2) * 30.0)}
            key = ValueKey(SERUM, 1, "I.DA.SMP")
            began = time.perf_counter()
            service.save(pid, "SE.CYCLE", last, "F.DA", values, expected_version=snap.version,
                         reasons={key: "bench"})
            times.append(time.perf_counter() - began)
        return times

    with_derivation = timed(args.rounds)
    saved = forms.RESPONSE_INPUT_FORMS, forms.live_derived
    forms.RESPONSE_INPUT_FORMS = frozenset()  # the save path alone: no derivation at all
    forms.live_derived = lambda *_args, **_kwargs: None
    try:
        without = timed(args.rounds)
    finally:
        forms.RESPONSE_INPUT_FORMS, forms.live_derived = saved
    med_with, p95_with = _percentiles(with_derivation)
    med_without, p95_without = _percentiles(without)
    print(f"patient with 1 baseline + {args.assessments} assessments, {args.rounds} saves each")
    print(f"{'save of the last assessment':<45}{'median ms':>10}{'p95 ms':>10}")
    print(f"{'with IMWG derivation (all assessments)':<45}{med_with:>10.1f}{p95_with:>10.1f}")
    print(f"{'save path alone (derivation off)':<45}{med_without:>10.1f}{p95_without:>10.1f}")
    print(f"extra per save: {med_with - med_without:.1f} ms")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
