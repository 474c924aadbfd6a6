"""Crash safety: a process killed (SIGKILL) in the middle of a stream of saves loses nothing
it reported as committed, and leaves a database that opens with an intact audit trail."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import open_database
from ctrial_desktop.store.models import Patient

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

KILLS = 8

#: The child screens patients one after the other and prints each one's id and number
#: once its transaction has committed.
CHILD = """
import datetime as dt
import sys
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.store.database import open_database

db = open_database(sys.argv[1])
actor = AuthService(db).login("coord01", sys.argv[2])
patients = PatientService(db, actor)
print("ready", flush=True)
while True:
    row = patients.screen_patient("01", "KS", "F", birth_year=1950,
                                  consent_date=dt.date(2010, 1, 4))
    print(row.id, row.patient_number, flush=True)
"""


def _check(url: str, committed: dict[int, str]) -> int:
    db = open_database(url)
    try:
        with db.read() as session:
            result = verify(session)
            assert result.ok, result
            stored = dict(session.execute(select(Patient.id, Patient.patient_number)).all())
    finally:
        db.dispose()
    for patient_id, number in committed.items():
        assert stored.get(patient_id) == number, f"committed patient {number} is lost"
    sequences = sorted(int(n.split("-")[1]) for n in stored.values())
    assert sequences == list(range(1, len(sequences) + 1))
    return len(stored)


def test_killed_writer_loses_no_committed_save(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'trial.sqlite3'}"
    db = open_database(url)
    build_demo(db, patients=0, sites=1)
    db.dispose()
    rng = random.Random(20091)
    committed: dict[int, str] = {}
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    started = time.monotonic()
    for kill in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, url, DEMO_PASSWORD],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=env)
        assert child.stdout is not None
        try:
            ready = child.stdout.readline()
            assert ready.strip() == "ready", child.stderr.read() if child.stderr else ""
            wanted = rng.randint(3, 25)
            for _ in range(wanted):
                line = child.stdout.readline()
                assert line, child.stderr.read() if child.stderr else ""
                patient_id, number = line.split()
                committed[int(patient_id)] = number
            time.sleep(rng.uniform(0, 0.03))  # land anywhere in the next save
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            assert child.returncode == -signal.SIGKILL
            for line in child.stdout.read().splitlines():
                patient_id, number = line.split()
                committed[int(patient_id)] = number
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            for stream in (child.stdout, child.stderr):
                if stream is not None:
                    stream.close()
        stored = _check(url, committed)
        # Each kill may at most leave the save it interrupted stored but unreported.
        assert len(committed) <= stored <= len(committed) + kill + 1
    assert len(committed) >= KILLS * 3
    assert time.monotonic() - started < 120
