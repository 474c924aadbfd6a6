"""The demo trial: screening, randomization, cycles, logs and review, all valid and audited."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ctrial_desktop.paths import forms_dir
from ctrial_desktop.services.demo import CUTOFF, DEMO_PASSWORD, DemoSummary, build_demo
from ctrial_desktop.services.demo_forms import canonical
from ctrial_desktop.services.errors import ServiceError
from ctrial_desktop.services.randomization import verify_database
from ctrial_desktop.store.audit import verify
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import FormData, ItemValue, Patient, Randomization
from ctrial_desktop.store.models_review import Query, Signature
from ctrial_desktop.study import StudyDefinition, load_study

SEED = 7


def _build(path: Path, **kwargs: object) -> tuple[Database, DemoSummary]:
    db = open_database(f"sqlite:///{path}")
    return db, build_demo(db, **kwargs)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def trial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    db, summary = _build(tmp_path_factory.mktemp("demo") / "demo.sqlite3", patients=5,
                         sites=2, seed=SEED, screen_failure_rate=0.3)
    yield db, summary
    db.dispose()


@pytest.fixture(scope="module")
def study() -> StudyDefinition:
    return load_study(forms_dir())


def _values(db: Database) -> dict[tuple[str, str, int, str], dict[tuple[str, int, str], str]]:
    """Every active value by (patient number, event, repeat, form)."""
    out: dict[tuple[str, str, int, str], dict[tuple[str, int, str], str]] = {}
    with db.read() as s:
        rows = s.execute(select(Patient.patient_number, FormData.event_oid,
                                FormData.event_repeat, FormData.form_oid, ItemValue.item_group_oid,
                                ItemValue.group_repeat, ItemValue.item_oid, ItemValue.value)
                         .join(FormData, ItemValue.form_data_id == FormData.id)
                         .join(Patient, FormData.patient_id == Patient.id)
                         .where(ItemValue.active.is_(True), FormData.active.is_(True)))
        for number, event, repeat, form, group, row, item, value in rows:
            out.setdefault((number, event, repeat, form), {})[(group, row, item)] = value
    return out


def test_summary_counts_match_the_database(trial: tuple[Database, DemoSummary]) -> None:
    db, summary = trial
    with db.read() as s:
        patients = s.scalars(select(Patient)).all()
        randomized = s.scalars(select(Randomization)).all()
        forms = s.scalars(select(FormData)).all()
        queries = s.scalars(select(Query)).all()
        signatures = s.scalars(select(Signature)).all()
    assert summary.randomized == 5 == len(randomized)
    assert summary.patients == len(patients) == 5 + summary.screen_failures
    assert sum(p.status == "screen_failed" for p in patients) == summary.screen_failures
    assert sum(summary.arms.values()) == 5 and set(summary.arms) <= {"POM21", "POM28"}
    assert summary.forms == len(forms) > 5 * 10
    assert summary.queries == len(queries)
    assert summary.cycles > 0 and summary.adverse_events > 0
    assert signatures, "an investigator signs part of the forms"
    assert sum(summary.responses.values()) == 5


def test_every_patient_has_complete_screening_forms(trial: tuple[Database, DemoSummary]
                                                   ) -> None:
    db, _ = trial
    with db.read() as s:
        patients = s.scalars(select(Patient)).all()
        forms = s.scalars(select(FormData).where(FormData.event_oid == "SE.SCREEN")).all()
    by_patient: dict[int, dict[str, str]] = {}
    for f in forms:
        by_patient.setdefault(f.patient_id, {})[f.form_oid] = f.status
    for p in patients:
        states = by_patient[p.id]
        assert states["F.IC"] == states["F.DM"] == "complete"
        if p.status != "screen_failed":
            assert {"F.MH", "F.HEM", "F.CHEM", "F.DA", "F.IMG", "F.ECOG", "F.ELIG"} <= set(states)
            assert set(states.values()) == {"complete"}
        else:
            assert p.screen_fail_reason


def test_randomizations_are_verified_and_dated_in_the_trial(
        trial: tuple[Database, DemoSummary], study: StudyDefinition) -> None:
    db, _ = trial
    values = _values(db)
    codes = {a.code for a in study.arms}
    with db.read() as s:
        report = verify_database(s)
        rows = s.execute(select(Randomization, Patient)
                         .join(Patient, Randomization.patient_id == Patient.id)).all()
    assert report.ok and report.assignments_checked == 5
    for record, patient in rows:
        assert patient.consent_date is not None
        assert patient.consent_date < record.randomized_at.date() <= CUTOFF
        assert record.arm in codes and patient.arm == record.arm
        form = values[(patient.patient_number, "SE.RAND", 1, "F.RAND")]
        assert form[("IG.RAND.STRATA", 1, "I.RAND.ELIG_CONFIRMED")] == "Y"
        iss = values[(patient.patient_number, "SE.SCREEN", 1, "F.MH")][
            ("IG.MH.DIAG", 1, "I.MH.ISS_ENTRY")]
        assert form[("IG.RAND.STRATA", 1, "I.RAND.ISS_GROUP")] == (
            "III" if iss == "III" else "I-II")
        assert record.stratum.endswith("III") == (iss == "III")


def test_cycles_follow_the_arm(trial: tuple[Database, DemoSummary],
                               study: StudyDefinition) -> None:
    db, summary = trial
    values = _values(db)
    with db.read() as s:
        arm_of = {p.patient_number: p.arm for p in s.scalars(select(Patient)) if p.arm}
    cycles = 0
    starts: dict[str, list[dt.date]] = {}
    for (number, _event, _repeat, form_oid), form in sorted(values.items()):
        if form_oid == "F.POM":
            cycles += 1
            planned = set(study.arm(arm_of[number]).pomalidomide.days)  # type: ignore[arg-type]
            days = {int(v) for (g, _r, i), v in form.items() if i == "I.POM.DAY"}
            assert days == planned
            level = form[("IG.POM.CYCLE", 1, "I.POM.LEVEL")]
            assert level in ("1", "2", "3", "4")
            doses = {v for (_g, _r, i), v in form.items() if i == "I.POM.DOSE"}
            assert doses <= {level}
            starts.setdefault(number, []).append(
                dt.date.fromisoformat(form[("IG.POM.CYCLE", 1, "I.POM.STARTDAT")]))
        if form_oid == "F.DEX":
            days = {int(v) for (g, _r, i), v in form.items() if i == "I.DEX.DAY"}
            assert days == {1, 8, 15, 22}
    assert cycles == summary.cycles
    for dates in starts.values():
        gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
        assert all(25 <= g <= 35 for g in gaps), gaps


def test_dates_are_after_consent_and_before_the_cutoff(
        trial: tuple[Database, DemoSummary], study: StudyDefinition) -> None:
    db, _ = trial
    with db.read() as s:
        consent = {p.patient_number: p.consent_date for p in s.scalars(select(Patient))}
    for (number, _event, _repeat, _form), form in _values(db).items():
        for (_g, _r, item), value in form.items():
            if study.item(item).type != "date" or item == "I.DM.BRTHDAT":
                continue
            day = dt.date.fromisoformat(value)
            assert consent[number] <= day <= CUTOFF, (number, item, value)


def test_end_of_treatment_follow_up_and_death_are_consistent(
        trial: tuple[Database, DemoSummary]) -> None:
    db, summary = trial
    values = _values(db)
    deaths = 0
    for (number, _event, _repeat, form_oid), form in values.items():
        if form_oid == "F.EOT":
            eot = dt.date.fromisoformat(form[("IG.EOT.MAIN", 1, "I.EOT.DAT")])
            if form[("IG.EOT.MAIN", 1, "I.EOT.REASON")] == "PD":
                assert dt.date.fromisoformat(form[("IG.EOT.MAIN", 1, "I.EOT.PDDAT")]) <= eot
            follow_ups = [dt.date.fromisoformat(f[("IG.FU.MAIN", 1, "I.FU.DAT")])
                          for (n, _e, _r, o), f in values.items() if n == number and o == "F.FU"]
            assert all(d > eot for d in follow_ups)
        if form_oid == "F.DEATH":
            deaths += 1
            death = dt.date.fromisoformat(form[("IG.DEATH.MAIN", 1, "I.DEATH.DAT")])
            visits = [dt.date.fromisoformat(v) for (n, e, _r, _o), f in values.items()
                      if n == number and e not in ("SE.DEATH", "SE.AELOG", "SE.CMLOG")
                      for (_g, _rr, i), v in f.items() if i.endswith("DAT") and len(v) == 10
                      and i != "I.DM.BRTHDAT"]
            assert max(visits) <= death
    assert deaths == summary.deaths


def test_adverse_events_use_ctcae_terms_and_haematology_drives_reductions(
        trial: tuple[Database, DemoSummary]) -> None:
    db, summary = trial
    values = _values(db)
    rows = [f for (_n, _e, _r, o), f in values.items() if o == "F.AE"]
    terms = [v for f in rows for (_g, _r, i), v in f.items() if i == "I.AE.TERM"]
    assert len(terms) == summary.adverse_events
    assert all(t.isdigit() for t in terms)  # MedDRA codes of the CTCAE list
    reasons = Counter(v for (_n, _e, _r, o), f in values.items() if o == "F.POM"
                      for (_g, _r2, i), v in f.items() if i == "I.POM.CHANGE_REASON")
    assert set(reasons) <= {"HAEM_TOX", "CYCLE_DELAY"}


def test_the_audit_trail_is_intact(trial: tuple[Database, DemoSummary]) -> None:
    db, _ = trial
    with db.read() as s:
        result = verify(s)
    assert result.ok, result.problems[:5]
    assert result.records > 500


def test_same_seed_same_trial_other_seed_other_trial(tmp_path: Path) -> None:
    built = [_build(tmp_path / f"{name}.sqlite3", patients=2, sites=2, seed=seed,
                    screen_failure_rate=0.3, clinical=clinical)
             for name, seed, clinical in (("one", 3, True), ("again", 3, True),
                                          ("other", 4, False))]
    try:
        (one, first), (again, second), (other, _third) = built
        assert first == second and first.randomized == 2
        assert _values(one) == _values(again)
        people = []
        for db in (one, other):
            with db.read() as s:
                people.append([(p.initials, p.sex, p.birth_date, p.consent_date)
                               for p in s.scalars(select(Patient))])
        assert people[0] != people[1]
        lists = []
        for db in (one, again):
            with db.read() as s:
                lists.append([(r.number, r.arm, r.stratum, r.position, r.randomized_at)
                              for r in s.scalars(select(Randomization))])
        assert lists[0] == lists[1]
    finally:
        for db, _ in built:
            db.dispose()


def test_screening_only_fills_only_the_screening_log(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    db, summary = _build(tmp_path / "log.sqlite3", patients=40, sites=3, seed=1,
                         clinical=False, progress=lambda d, t: seen.append((d, t)))
    try:
        with db.read() as s:
            patients = s.scalars(select(Patient)).all()
            assert s.scalars(select(FormData)).first() is None
        assert summary.patients == len(patients) == 40
        assert summary.randomized == 0 and summary.forms == 0
        assert {p.status for p in patients} <= {"screening", "screen_failed"}
        assert seen == [(i, 40) for i in range(1, 41)]
        assert summary.usernames[:3] == ("admin", "dm", "monitor")
    finally:
        db.dispose()


def test_bad_arguments_and_a_used_database_are_refused(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    try:
        with pytest.raises(ServiceError, match="sites"):
            build_demo(db, sites=0)
        with pytest.raises(ServiceError, match="negative"):
            build_demo(db, patients=-1)
        with pytest.raises(ServiceError, match="rate"):
            build_demo(db, screen_failure_rate=1.0)
        build_demo(db, patients=1, sites=1, clinical=False)
        with pytest.raises(ServiceError, match="empty database"):
            build_demo(db, patients=1, sites=1)
    finally:
        db.dispose()


def test_demo_accounts_log_in(trial: tuple[Database, DemoSummary]) -> None:
    from ctrial_desktop.services.auth import AuthService

    db, summary = trial
    for username in summary.usernames:
        assert AuthService(db).login(username, DEMO_PASSWORD).username == username


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (None, 1, None), (True, None, "Y"), (False, None, "N"),
    (dt.date(2011, 3, 12), None, "2011-03-12"), (2.456, 2, "2.46"), (72.0, None, "72.0"),
    (4, None, "4"), (4, 1, "4.0"), ("POS", None, "POS"), (["LEN", "BORT"], None, "LEN,BORT"),
])
def test_canonical_texts(value: object, decimals: int | None, text: str | None) -> None:
    assert canonical(value, decimals) == text  # type: ignore[arg-type]
