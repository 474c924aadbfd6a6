"""Crash safety: a process killed (SIGKILL) in the middle of a stream of saves loses nothing
it reported as committed, and leaves a database that opens with an intact audit trail."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

from ctrial_desktop.services.demo import DEMO_PASSWORD, build_demo
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import open_database
from ctrial_desktop.store.models import FormData, ItemValue, Patient

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

KILLS = 8

#: The child screens patients one after the other and saves each one's demographics form;
#: it prints the patient's id and number, then the weight saved in the form, each once its
#: transaction has committed, as one write (``print`` writes its words one by one, so a
#: kill could cut a line short).
CHILD = """
import datetime as dt
import sys
from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.auth import AuthService
from ctrial_desktop.services.forms import FormService, ValueKey
from ctrial_desktop.services.patients import PatientService
from ctrial_desktop.store.database import open_database
from ctrial_desktop.study import load_study

db = open_database(sys.argv[1])
actor = AuthService(db).login("coord01", sys.argv[2])
patients = PatientService(db, actor)
forms = FormService(db, actor, load_study(forms_dir()))
def report(line):
    sys.stdout.write(line + "\\n")
    sys.stdout.flush()
report("ready")
while True:
    row = patients.screen_patient("01", "KS", "F", birth_year=1950,
                                  consent_date=dt.date(2010, 1, 4))
    report(f"patient {row.id} {row.patient_number}")
    weight = f"{50 + row.id % 40}.5"
    values = {ValueKey("IG.DM.MAIN", 1, item): value for item, value in (
        ("I.DM.VISDAT", "2010-01-05"), ("I.DM.SEX", "F"), ("I.DM.CHILDPOT", "N"),
        ("I.DM.HEIGHT", "160"), ("I.DM.WEIGHT", weight))}
    forms.save(row.id, "SE.SCREEN", 1, "F.DM", values, expected_version=0)
    report(f"form {row.id} {weight}")
"""


@dataclass
class Reported:
    """What the children reported as committed."""

    patients: dict[int, str] = field(default_factory=dict)
    weights: dict[int, str] = field(default_factory=dict)

    def add(self, line: str) -> None:
        kind, patient_id, text = line.split()
        (self.patients if kind == "patient" else self.weights)[int(patient_id)] = text


def _check(url: str, committed: Reported) -> int:
    db = open_database(url)
    try:
        with db.read() as session:
            result = verify(session)
            assert result.ok, result
            stored = dict(session.execute(select(Patient.id, Patient.patient_number)).all())
            weights = dict(session.execute(
                select(FormData.patient_id, ItemValue.value)
                .join(FormData, ItemValue.form_data_id == FormData.id)
                .where(FormData.form_oid == "F.DM", ItemValue.item_oid == "I.DM.WEIGHT")).all())
    finally:
        db.dispose()
    for patient_id, number in committed.patients.items():
        assert stored.get(patient_id) == number, f"committed patient {number} is lost"
    for patient_id, weight in committed.weights.items():
        assert weights.get(patient_id) == weight, f"committed form of {patient_id} is lost"
    assert len(committed.weights) <= len(weights) <= len(committed.weights) + KILLS
    sequences = sorted(int(n.split("-")[1]) for n in stored.values())
    assert sequences == list(range(1, len(sequences) + 1))
    return len(stored)


def test_killed_writer_loses_no_committed_save(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'trial.sqlite3'}"
    db = open_database(url)
    build_demo(db, patients=0, sites=1)
    db.dispose()
    rng = random.Random(20091)
    committed = Reported()
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
            for _ in range(rng.randint(5, 40)):
                line = child.stdout.readline()
                assert line, child.stderr.read() if child.stderr else ""
                committed.add(line)
            time.sleep(rng.uniform(0, 0.03))  # land anywhere in the next save
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            assert child.returncode == -signal.SIGKILL
            for line in child.stdout.read().splitlines(keepends=True):
                if line.endswith("\n"):  # a line the kill cut short was not reported
                    committed.add(line)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            for stream in (child.stdout, child.stderr):
                if stream is not None:
                    stream.close()
        stored = _check(url, committed)
        # Each kill may at most leave the save it interrupted stored but unreported.
        assert len(committed.patients) <= stored <= len(committed.patients) + kill + 1
    assert len(committed.weights) >= KILLS * 2
    assert time.monotonic() - started < 120
