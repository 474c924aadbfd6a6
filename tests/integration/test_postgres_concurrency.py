"""Two processes randomizing the same patients on one PostgreSQL database (row locks):
no position and no patient is ever taken twice, and both the audit chain and every
allocation list verify afterwards.
"""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

import pytest
from sqlalchemy import select

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.randomization import RandomizationService, RandomizationSettings
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database
from ctrial_desktop.store.models import Randomization
from tests import pg_fixtures
from tests.integration.test_randomization_concurrency import PASSWORD, PATIENTS, WORKER
from tests.unit.services.randomization_helpers import screened_patient

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

pg_url = pg_fixtures.pg_url
pg_db = pg_fixtures.pg_db


def test_two_processes_randomizing_the_same_patients_on_postgresql(pg_url: str,
                                                                   pg_db: Database) -> None:
    db = pg_db
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    SiteService(db, admin).create_site("01", "Lille")
    SiteService(db, admin).set_active("01", True, "open")
    UserService(db, admin).create_user("marie", "Marie", "Durand", PASSWORD,
                                       [RoleGrant(Role.COORDINATOR, "01")])
    marie = AuthService(db).login("marie", PASSWORD)
    for i in range(PATIENTS):
        screened_patient(db, marie, "01", iss=1 + i % 3)
    RandomizationService(db, marie, RandomizationSettings(target_enrolment_per_site=PATIENTS)
                         ).ensure_site_lists("01")
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, pg_url, order],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for order in ("up", "down")]
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    done = [int(out.split()[0]) for out, _ in outputs]
    assert sum(done) == PATIENTS
    assert all(d > 0 for d in done)  # both really worked
    with db.read() as s:
        rows = s.scalars(select(Randomization)).all()
        assert len({r.patient_id for r in rows}) == PATIENTS == len(rows)
        positions: dict[str, list[int | None]] = defaultdict(list)
        for r in rows:
            positions[r.stratum].append(r.position)
        for stratum, used in positions.items():
            assert sorted(p or 0 for p in used) == list(range(1, len(used) + 1)), stratum
        assert verify(s).ok
    assert RandomizationService(db, marie).verify().ok
