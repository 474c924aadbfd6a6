"""Two processes randomizing against one SQLite file never share a position or a patient."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select, text

from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.context import RoleGrant
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.randomization import RandomizationService, RandomizationSettings
from ctrial_desktop.services.users import SiteService, UserService
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import Randomization
from tests.unit.services.randomization_helpers import screened_patient

PASSWORD = "correct-horse-42"
PATIENTS = 400

WORKER = textwrap.dedent("""
    import sys
    from ctrial_desktop.services.auth import AuthService
    from ctrial_desktop.services.errors import ServiceError
    from ctrial_desktop.services.randomization import RandomizationService, RandomizationSettings
    from ctrial_desktop.store.database import Database, open_database

    url, order = sys.argv[1], sys.argv[2]
    db = open_database(url)
    actor = AuthService(db).login("marie", "%s")
    service = RandomizationService(db, actor, RandomizationSettings(target_enrolment_per_site=%d))
    ids = list(range(1, %d + 1))
    if order == "down":
        ids.reverse()
    done = refused = 0
    for pid in ids:
        try:
            service.randomize(pid, service.stratification(pid))
            done += 1
        except ServiceError:
            refused += 1
    print(done, refused)
""") % (PASSWORD, PATIENTS, PATIENTS)


def randomize_from_two_processes(db: Database, url: str) -> None:
    """Screen PATIENTS patients, let two processes randomize all of them in opposite
    orders, then check no patient and no list position was taken twice."""
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
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, order], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for order in ("up", "down")]
    outputs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    done = [int(out.split()[0]) for out, _ in outputs]
    assert sum(done) == PATIENTS
    assert all(d > 0 for d in done)  # both really worked
    with db.read() as s:
        rows = s.scalars(select(Randomization)).all()
        assert len({r.patient_id for r in rows}) == PATIENTS == len(rows)
        positions: dict[str, list[int]] = defaultdict(list)
        for r in rows:
            positions[r.stratum].append(r.position or 0)
        for stratum, used in positions.items():
            assert sorted(used) == list(range(1, len(used) + 1)), stratum
        assert verify(s).ok
    assert RandomizationService(db, marie).verify().ok


def test_two_processes_randomizing_the_same_patients(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    db = open_database(url)
    try:
        randomize_from_two_processes(db, url)
    finally:
        db.dispose()


def test_cli_randomization_verify(tmp_path: Path, capsys) -> None:
    from ctrial_desktop.cli import main

    url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    db = open_database(url)
    admin = AuthService(db).create_first_administrator("admin", "Ada", "Admin", PASSWORD)
    SiteService(db, admin).create_site("01", "Lille")
    SiteService(db, admin).set_active("01", True, "open")
    UserService(db, admin).create_user("marie", "Marie", "Durand", PASSWORD,
                                       [RoleGrant(Role.COORDINATOR, "01")])
    marie = AuthService(db).login("marie", PASSWORD)
    service = RandomizationService(db, marie)
    for iss in (1, 3, 2):
        p = screened_patient(db, marie, "01", iss=iss)
        service.randomize(p.id, service.stratification(p.id))
    assert main(["--db", url, "randomization", "verify"]) == 0
    assert "2 lists, commitments match, 3 assignments" in capsys.readouterr().out
    with db.write() as s:
        s.execute(text("UPDATE allocation_list SET commitment = :c"), {"c": "0" * 64})
    db.dispose()
    assert main(["--db", url, "randomization", "verify"]) == 1
    assert "commitment" in capsys.readouterr().out
