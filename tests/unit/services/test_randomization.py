"""Randomization service: once ever, next position, minimization explanation, log, verify."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import text

from ctrial_desktop.services.context import Actor, RoleGrant
from ctrial_desktop.services.errors import PermissionDenied, ServiceError, ValidationError
from ctrial_desktop.services.permissions import Role
from ctrial_desktop.services.randomization import (
    AlreadyRandomized,
    RandomizationService,
    RandomizationSettings,
)
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database
from tests.unit.conftest import make_user
from tests.unit.services.randomization_helpers import screened_patient, set_iss


def _service(db: Database, actor: Actor, **kw) -> RandomizationService:
    return RandomizationService(db, actor, RandomizationSettings(**kw),
                                draw=random.Random(7).random)


def test_blocks_randomization_takes_next_position_and_is_final(db: Database,
                                                               coordinator: Actor) -> None:
    service = _service(db, coordinator, block_sizes=(4,))
    patients = [screened_patient(db, coordinator, "01", iss=2) for _ in range(4)]
    results = []
    for p in patients:
        strat = service.stratification(p.id)
        assert strat.stratum() == "site=01|iss=I-II"
        results.append(service.randomize(p.id, strat))
    assert [r.position for r in results] == [1, 2, 3, 4]
    assert [r.number for r in results] == ["R01-001", "R01-002", "R01-003", "R01-004"]
    # the first 4 positions are one complete block of 4: two of each arm
    assert sorted(r.arm for r in results) == ["A", "A", "B", "B"]
    with pytest.raises(AlreadyRandomized):
        service.randomize(patients[0].id, service.stratification(patients[0].id))
    assert service.blocking_reasons(patients[0].id) == ["01-001 is already randomized."]
    assert service.verify().ok
    with db.read() as s:
        assert verify(s).ok


def test_missing_iss_blocks_with_a_clear_reason(db: Database, coordinator: Actor) -> None:
    service = _service(db, coordinator)
    p = screened_patient(db, coordinator, "01", iss=None)
    assert "Missing for stratification: ISS stage at study entry." in service.blocking_reasons(p.id)
    with pytest.raises(ValidationError, match="ISS"):
        service.randomize(p.id, service.stratification(p.id))
    set_iss(db, p.id, 3)
    assert service.randomize(p.id, service.stratification(p.id)).stratum == "site=01|iss=III"


def test_changed_stratification_since_shown_is_refused(db: Database, coordinator: Actor) -> None:
    service = _service(db, coordinator)
    p = screened_patient(db, coordinator, "01", iss=1)
    shown = service.stratification(p.id)
    set_iss(db, p.id, 3)
    with pytest.raises(ValidationError, match="changed since they were shown"):
        service.randomize(p.id, shown)


def test_eligibility_blocks(db: Database, coordinator: Actor) -> None:
    service = RandomizationService(db, coordinator, eligibility=lambda pid: ["Platelets 62 < 75"])
    p = screened_patient(db, coordinator, "01", iss=1)
    assert service.blocking_reasons(p.id) == ["Platelets 62 < 75"]
    with pytest.raises(ValidationError, match="Platelets 62 < 75"):
        service.randomize(p.id, service.stratification(p.id))


def test_monitor_cannot_randomize_but_reads_the_log(db: Database, admin: Actor,
                                                    coordinator: Actor) -> None:
    p = screened_patient(db, coordinator, "01", iss=1)
    _service(db, coordinator).randomize(p.id, _service(db, coordinator).stratification(p.id))
    monitor = make_user(db, admin, "claire", RoleGrant(Role.MONITOR, None))
    q = screened_patient(db, coordinator, "01", iss=1)
    with pytest.raises(PermissionDenied):
        _service(db, monitor).randomize(q.id, _service(db, monitor).stratification(q.id))
    log = _service(db, monitor).log()
    assert [r.patient_number for r in log] == ["01-001"]
    lists = _service(db, monitor).lists()
    assert {item.stratum for item in lists} == {"site=01|iss=I-II", "site=01|iss=III"}
    assert all(len(item.commitment) == 64 for item in lists)
    with pytest.raises(PermissionDenied):
        _service(db, coordinator).log()


def test_list_running_low_then_dry_then_appended(db: Database, admin: Actor,
                                                 coordinator: Actor) -> None:
    settings = dict(target_enrolment_per_site=2, reserve_fraction=0.0, min_reserve=0,
                    block_sizes=(2,), low_list_threshold=1)
    service = _service(db, coordinator, **settings)
    patients = [screened_patient(db, coordinator, "01", iss=1) for _ in range(3)]
    service.randomize(patients[0].id, service.stratification(patients[0].id))
    stock = {row.stratum: row for row in service.stock()}["site=01|iss=I-II"]
    assert (stock.total, stock.used, stock.remaining, stock.low) == (2, 1, 1, True)
    service.randomize(patients[1].id, service.stratification(patients[1].id))
    with pytest.raises(ServiceError, match="used up"):
        service.randomize(patients[2].id, service.stratification(patients[2].id))
    dm = make_user(db, admin, "denis", RoleGrant(Role.DATA_MANAGER, None))
    with pytest.raises(ValidationError):
        _service(db, dm, **settings).append_list("site=01|iss=I-II", "")
    info = _service(db, dm, **settings).append_list("site=01|iss=I-II", "list exhausted")
    assert (info.list_number, info.first_position) == (2, 3)
    assert service.randomize(patients[2].id,
                             service.stratification(patients[2].id)).position == 3
    assert service.verify().ok


def test_tampered_list_or_assignment_is_detected(db: Database, coordinator: Actor) -> None:
    service = _service(db, coordinator)
    p = screened_patient(db, coordinator, "01", iss=1)
    service.randomize(p.id, service.stratification(p.id))
    with db.write() as s:
        s.execute(text("UPDATE randomization SET arm = CASE arm WHEN 'A' THEN 'B' ELSE 'A' END"))
    assert not service.verify().ok
    with db.read() as s:
        assert not verify(s).ok


def test_minimization_stores_its_explanation(db: Database, coordinator: Actor) -> None:
    service = _service(db, coordinator, method="minimization")
    results = []
    for i in range(6):
        p = screened_patient(db, coordinator, "01", iss=1 + i % 3)
        results.append(service.randomize(p.id, service.stratification(p.id)))
    first = results[0]
    assert first.position is None and first.method == "minimization"
    explained = json.dumps(first.explanation)
    assert '"imbalance"' in explained and '"probability"' in explained and '"draw"' in explained
    counts = [r.arm for r in results]
    assert abs(counts.count("A") - counts.count("B")) <= 2


def test_wrong_stratum_is_a_deviation_not_a_redraw(db: Database, coordinator: Actor) -> None:
    service = _service(db, coordinator)
    p = screened_patient(db, coordinator, "01", iss=1)
    result = service.randomize(p.id, service.stratification(p.id))
    service.record_deviation(p.id, "ISS was III on source documents; randomized as I-II")
    assert service.result_for(p.id) == result
