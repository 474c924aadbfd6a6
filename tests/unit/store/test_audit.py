"""The audit trail: chain, append-only triggers, replay against data, clock anomalies."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from ctrial_desktop.store.audit import (
    GENESIS_HASH,
    SYSTEM_CONTEXT,
    TIMESTAMP_FORMAT,
    AuditReasonRequired,
    ClockGuard,
    format_timestamp,
    parse_timestamp,
    verify,
)
from ctrial_desktop.store.database import Database, open_database
from ctrial_desktop.store.models import AuditHead, AuditRecord, Site


def _site(code: str = "01") -> Site:
    return Site(code=code, name="CHRU de Lille", city="Lille", active=False,
                created_at=dt.datetime(2010, 1, 1))


def test_insert_writes_one_record_per_audited_column(db: Database) -> None:
    with db.write() as s:
        db.audit.insert(s, SYSTEM_CONTEXT, _site())
    with db.read() as s:
        records = s.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
        assert [r.item for r in records] == list(Site.__audited__)
        assert records[0].prev_hash == GENESIS_HASH
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(records))
        assert verify(s).ok


def test_update_without_reason_is_refused_and_nothing_written(db: Database) -> None:
    with db.write() as s:
        db.audit.insert(s, SYSTEM_CONTEXT, _site())
    with pytest.raises(AuditReasonRequired), db.write() as s:
        site = s.scalar(select(Site))
        db.audit.update(s, SYSTEM_CONTEXT, site, {"name": "Other"}, reason="  ")
    with db.read() as s:
        assert s.scalar(select(Site)).name == "CHRU de Lille"
        assert verify(s).ok


def test_audit_rows_cannot_be_updated_or_deleted(db: Database) -> None:
    with db.write() as s:
        db.audit.insert(s, SYSTEM_CONTEXT, _site())
    for statement in ("UPDATE audit_trail SET reason = 'x'", "DELETE FROM audit_trail"):
        with pytest.raises(IntegrityError, match="append-only"), db.write() as s:
            s.execute(text(statement))


def test_direct_data_edit_is_detected(db: Database) -> None:
    with db.write() as s:
        db.audit.insert(s, SYSTEM_CONTEXT, _site())
    with db.write() as s:
        s.execute(text("UPDATE site SET name = 'Forged'"))
    with db.read() as s:
        result = verify(s)
    assert not result.ok
    assert "site #1: name is 'Forged'" in result.problems[0]


def test_row_inserted_behind_the_trail_is_detected(db: Database) -> None:
    with db.write() as s:
        s.execute(text("INSERT INTO site (code, name, city, active, created_at) "
                       "VALUES ('09', 'Ghost', '', 1, '2010-01-01')"))
    with db.read() as s:
        assert any("without an audit record" in p for p in verify(s).problems)


def test_tampered_audit_row_names_first_broken_record(db: Database) -> None:
    with db.write() as s:
        db.audit.insert(s, SYSTEM_CONTEXT, _site("01"))
        db.audit.insert(s, SYSTEM_CONTEXT, _site("02"))
    with db.write() as s:
        s.execute(text("DROP TRIGGER audit_trail_no_update"))
        s.execute(text("UPDATE audit_trail SET reason = 'forged' WHERE seq = 3"))
    with db.read() as s:
        result = verify(s)
    assert result.first_broken_seq == 3
    assert "audit record #3" in result.problems[0]


def test_deleted_tail_is_detected(db: Database) -> None:
    with db.write() as s:
        db.audit.insert(s, SYSTEM_CONTEXT, _site("01"))
    with db.write() as s:
        s.execute(text("DROP TRIGGER audit_trail_no_delete"))
        s.execute(text("DELETE FROM audit_trail WHERE seq = (SELECT MAX(seq) FROM audit_trail)"))
    with db.read() as s:
        assert any("records were removed" in p for p in verify(s).problems)


class FakeClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start
        self.mono = 0.0

    def wall(self) -> dt.datetime:
        return self.now

    def monotonic(self) -> float:
        return self.mono


def test_clock_going_backwards_is_recorded_and_timestamps_stay_monotonic(tmp_path) -> None:
    fake = FakeClock(dt.datetime(2011, 3, 12, 10, 0, tzinfo=dt.UTC))
    warnings: list[str] = []
    guard = ClockGuard(wall=fake.wall, monotonic=fake.monotonic, listeners=[warnings.append])
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock=guard)
    with db.write() as s:
        db.audit.append(s, SYSTEM_CONTEXT, "LOGIN", item="session")
    fake.now = dt.datetime(2011, 3, 1, 9, 0, tzinfo=dt.UTC)  # a reset battery
    fake.mono = 5.0
    with db.write() as s:
        db.audit.append(s, SYSTEM_CONTEXT, "LOGIN", item="session")
    with db.read() as s:
        records = s.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
        assert [r.action for r in records] == ["LOGIN", "CLOCK_ANOMALY", "LOGIN"]
        stamps = [r.timestamp_utc for r in records]
        assert stamps == sorted(stamps) and len(set(stamps)) == 3
        assert verify(s).ok
    assert warnings and "earlier than the last audit record" in warnings[0]
    db.dispose()


def test_a_coarse_clock_is_not_an_anomaly(tmp_path) -> None:
    """Python before 3.13 reads the Windows wall clock in 15.6 ms ticks: many records of one
    save read the same instant, and a reading may trail the last stamp (kept in order by a
    microsecond) by a few ticks. That is the clock's resolution, not a clock set back."""
    fake = FakeClock(dt.datetime(2011, 3, 12, 10, 0, tzinfo=dt.UTC))
    warnings: list[str] = []
    guard = ClockGuard(wall=fake.wall, monotonic=fake.monotonic, listeners=[warnings.append])
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock=guard)
    with db.write() as s:
        for _ in range(50):  # one tick for all of them
            db.audit.append(s, SYSTEM_CONTEXT, "LOGIN", item="session")
    fake.now -= dt.timedelta(milliseconds=40)
    with db.write() as s:
        db.audit.append(s, SYSTEM_CONTEXT, "LOGOUT", item="session")
    with db.read() as s:
        records = s.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
        assert [r.action for r in records] == ["LOGIN"] * 50 + ["LOGOUT"]
        stamps = [r.timestamp_utc for r in records]
        assert stamps == sorted(stamps) and len(set(stamps)) == 51
        assert verify(s).ok
    assert warnings == []
    db.dispose()


def test_clock_jump_while_running_is_recorded(tmp_path) -> None:
    fake = FakeClock(dt.datetime(2011, 3, 12, 10, 0, tzinfo=dt.UTC))
    guard = ClockGuard(wall=fake.wall, monotonic=fake.monotonic)
    db = open_database(f"sqlite:///{tmp_path / 'c.sqlite3'}", clock=guard)
    with db.write() as s:
        db.audit.append(s, SYSTEM_CONTEXT, "LOGIN", item="session")
    fake.mono = 60.0
    fake.now += dt.timedelta(days=3)  # wall clock jumps 3 days in one minute
    with db.write() as s:
        db.audit.append(s, SYSTEM_CONTEXT, "LOGOUT", item="session")
    with db.read() as s:
        actions = s.scalars(select(AuditRecord.action).order_by(AuditRecord.seq)).all()
    assert actions == ["LOGIN", "CLOCK_ANOMALY", "LOGOUT"]
    db.dispose()


_names = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), _names),
        st.tuples(st.just("rename"), _names),
        st.tuples(st.just("toggle"), st.booleans()),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=_ops, tamper=st.booleans())
def test_any_sequence_of_writes_verifies_and_any_tamper_is_detected(ops, tamper) -> None:
    db = open_database("sqlite://")
    try:
        count = 0
        for op, value in ops:
            with db.write() as s:
                site = s.scalar(select(Site).order_by(Site.id.desc()))
                if op == "insert" or site is None:
                    count += 1
                    db.audit.insert(s, SYSTEM_CONTEXT, Site(
                        code=f"{count:02d}", name=str(value), city="", active=False,
                        created_at=dt.datetime(2010, 1, 1)))
                elif op == "rename":
                    db.audit.update(s, SYSTEM_CONTEXT, site, {"name": value}, "typo")
                else:
                    db.audit.update(s, SYSTEM_CONTEXT, site, {"active": value}, "status")
        with db.read() as s:
            assert verify(s).ok
        if tamper:
            with db.write() as s:
                s.execute(text("UPDATE site SET name = name || '!' WHERE id = 1"))
            with db.read() as s:
                assert not verify(s).ok
    finally:
        db.dispose()


def _trail(s) -> list[tuple]:
    return [(r.action, r.table_name, r.item, r.old_value, r.new_value, r.reason)
            for r in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))]


def test_insert_many_writes_the_records_of_inserts_one_by_one(tmp_path) -> None:
    """The batch path (one executemany) writes what ``insert`` writes row by row, chained
    and verifiable, with strictly increasing timestamps; a clock set back before the batch
    is still recorded once, ahead of the batch."""
    one = open_database(f"sqlite:///{tmp_path / 'one.sqlite3'}")
    with one.write() as s:
        for code in ("01", "02", "03"):
            one.audit.insert(s, SYSTEM_CONTEXT, _site(code), reason="opened")
    fake = FakeClock(dt.datetime(2011, 3, 12, 10, 0, tzinfo=dt.UTC))
    many = open_database(f"sqlite:///{tmp_path / 'many.sqlite3'}",
                         clock=ClockGuard(wall=fake.wall, monotonic=fake.monotonic))
    with many.write() as s:
        many.audit.insert_many(s, SYSTEM_CONTEXT,
                               [(_site(code), "opened") for code in ("01", "02", "03")])
    fake.now -= dt.timedelta(hours=2)
    fake.mono = 1.0
    with many.write() as s:
        many.audit.insert_many(s, SYSTEM_CONTEXT, [(_site("04"), "opened")])
    with one.read() as s1, many.read() as s2:
        trail = _trail(s2)
        assert trail[:len(_trail(s1))] == _trail(s1)
        assert trail[len(_trail(s1))][0] == "CLOCK_ANOMALY"
        assert [t[:3] for t in trail[len(_trail(s1)) + 1:]] == [
            ("INSERT", "site", column) for column in Site.__audited__]
        stamps = s2.scalars(select(AuditRecord.timestamp_utc).order_by(AuditRecord.seq)).all()
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
        assert verify(s2).ok and verify(s1).ok
    one.dispose()
    many.dispose()


_field_text = st.one_of(st.none(), st.text(alphabet=st.characters(exclude_categories=["Cs"])))


_records = st.lists(st.tuples(
    st.sampled_from(["INSERT", "UPDATE", "FORM_SAVED", "Sécurité \"x\""]),
    st.sampled_from(["value", "active", "i\u00e9\n\"\\"]) | st.text(
        alphabet=st.characters(exclude_categories=["Cs"])),
    _field_text, _field_text, st.sampled_from(["", "form first saved"]) | st.text(),
    st.one_of(st.none(), st.integers(0, 2**62))), min_size=1, max_size=8)


@given(records=_records, user_id=st.one_of(st.none(), st.integers(0, 2**31)),
       username=st.text(), role=st.text(), site=st.text(), session_id=st.text(),
       table=st.text(min_size=1), seq=st.integers(1, 2**62))
def test_fast_canonical_content_equals_the_json_one(
        records, user_id, username, role, site, session_id, table, seq) -> None:
    """The batch path builds its records' canonical content by string building, writing
    what repeats once; it is byte for byte the sorted JSON object the hash is defined over
    (quotes, backslashes, control characters, accents and emoji included)."""
    from ctrial_desktop.store.audit import (
        AuditContext,
        _canonical,
        _CanonicalText,
        _fixed_fields,
    )
    ctx = AuditContext(user_id, username, role, site, session_id)
    stamp = "2011-03-12T10:00:00.000001Z"
    canonical = _CanonicalText(_fixed_fields(ctx, table))
    for n, (action, item, old, new, reason, record_id) in enumerate(records):
        expected = _canonical({
            "seq": seq + n, "timestamp_utc": stamp, "user_id": user_id, "username": username,
            "role": role, "site_code": site, "session_id": session_id, "action": action,
            "table_name": table, "record_id": record_id, "item": item, "old_value": old,
            "new_value": new, "reason": reason})
        assert canonical(seq + n, stamp, action, item, old, new, reason, record_id) == expected


def test_fast_timestamp_equals_the_formatted_one() -> None:
    from ctrial_desktop.store.audit import _format_utc, format_timestamp
    for instant in (dt.datetime(2011, 3, 12, 10, 0, tzinfo=dt.UTC),
                    dt.datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
                    dt.datetime(1999, 1, 2, 3, 4, 5, 60, tzinfo=dt.UTC)):
        assert _format_utc(instant) == format_timestamp(instant)


def _form_with_value(db: Database) -> tuple[int, int]:
    """A site, patient, form instance and one value, through the audited insert path."""
    from ctrial_desktop.store.models import FormData, ItemValue, Patient
    with db.write() as s:
        site = _site()
        db.audit.insert(s, SYSTEM_CONTEXT, site)
        patient = Patient(site_id=site.id, sequence=1, patient_number="01-0001",
                          initials="AB", sex="F", status="screening", locked=False, active=True,
                          created_at=dt.datetime(2010, 1, 1))
        db.audit.insert(s, SYSTEM_CONTEXT, patient)
        form = FormData(patient_id=patient.id, event_oid="SE.SCREENING", event_repeat=1,
                        form_oid="F.DEMOG", form_version="1", status="complete", signed=False,
                        locked=False, verified=False, active=True, version=1,
                        updated_at=dt.datetime(2010, 1, 1))
        db.audit.insert(s, SYSTEM_CONTEXT, form)
        value = ItemValue(form_data_id=form.id, item_group_oid="IG.DEMOG", group_repeat=1,
                          item_oid="I.DEMOG.SEX", value="F", active=True)
        db.audit.insert(s, SYSTEM_CONTEXT, value)
        return form.id, value.id


def test_columns_at_their_implied_insert_value_get_no_record(db: Database) -> None:
    """A new value is active and a new form unsigned, unlocked, unverified and active: the
    trail records the value and the form's status only, and verification accepts that."""
    _form_with_value(db)
    with db.read() as s:
        items = {(r.table_name, r.item) for r in s.scalars(select(AuditRecord))}
        assert ("item_value", "value") in items and ("form_data", "status") in items
        assert not items & {("item_value", "active"), ("form_data", "signed"),
                            ("form_data", "locked"), ("form_data", "verified"),
                            ("form_data", "active")}
        assert verify(s).ok


@pytest.mark.parametrize("statement", [
    "UPDATE item_value SET active = 0",
    "UPDATE form_data SET signed = 1",
    "UPDATE form_data SET locked = 1",
    "INSERT INTO item_value (form_data_id, item_group_oid, group_repeat, item_oid, value,"
    " active) SELECT id, 'IG.DEMOG', 1, 'I.DEMOG.AGE', '70', 1 FROM form_data",
])
def test_a_raw_change_of_an_implied_column_is_detected(db: Database, statement: str) -> None:
    _form_with_value(db)
    with db.write() as s:
        s.execute(text(statement))
    with db.read() as s:
        assert not verify(s).ok


def test_a_recorded_change_of_an_implied_column_verifies(db: Database) -> None:
    from ctrial_desktop.store.models import ItemValue
    _, value_id = _form_with_value(db)
    with db.write() as s:
        db.audit.update(s, SYSTEM_CONTEXT, s.get(ItemValue, value_id), {"active": False},
                        "entered in error")
    with db.read() as s:
        assert verify(s).ok
    with db.write() as s:
        s.execute(text("UPDATE item_value SET active = 1"))
    with db.read() as s:
        assert any("active is 'true'" in p for p in verify(s).problems)


@given(first=st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 1, 1)),
       count=st.integers(1, 40))
def test_following_stamps_are_one_microsecond_apart(first: dt.datetime, count: int) -> None:
    """A batch's timestamps, made by counting up the microsecond digits, are those of the
    instants one microsecond apart (across a second, a day or a year's end too)."""
    import itertools

    from ctrial_desktop.store.audit import _following_stamps, format_timestamp
    start = first.replace(tzinfo=dt.UTC)
    got = list(itertools.islice(_following_stamps(format_timestamp(start)), count))
    assert got == [format_timestamp(start + dt.timedelta(microseconds=i)) for i in range(count)]


def test_following_stamps_carry_into_the_next_year() -> None:
    import itertools

    from ctrial_desktop.store.audit import _following_stamps
    assert list(itertools.islice(_following_stamps("2026-12-31T23:59:59.999999Z"), 3)) == [
        "2026-12-31T23:59:59.999999Z", "2027-01-01T00:00:00.000000Z",
        "2027-01-01T00:00:00.000001Z"]


def _strptime_or_none(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def _parsed_or_none(text: str) -> dt.datetime | None:
    try:
        return parse_timestamp(text)
    except ValueError:
        return None


_instants = st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9999, 12, 31))


@settings(max_examples=1500)
@given(instant=_instants, position=st.integers(0, 26),
       replacement=st.sampled_from("0123456789-:.TZ +,W\u0663"))
def test_parse_timestamp_reads_exactly_what_the_format_reads(
        instant: dt.datetime, position: int, replacement: str) -> None:
    # The fast path must accept exactly the texts (and instants) ``strptime`` does.
    text = format_timestamp(instant.replace(tzinfo=dt.UTC))
    assert parse_timestamp(text) == instant.replace(tzinfo=dt.UTC)
    changed = text[:position] + replacement + text[position + 1:]
    assert _parsed_or_none(changed) == _strptime_or_none(changed)


@settings(max_examples=500)
@given(st.text(alphabet="0123456789-:.TZ +,W", min_size=20, max_size=30))
def test_parse_timestamp_refuses_what_the_format_refuses(text: str) -> None:
    assert _parsed_or_none(text) == _strptime_or_none(text)


@pytest.mark.parametrize("text", ["2000-01-01T00:00:00.0-0000Z", "2000-01-01T00:00:00.0+0100Z",
                                  "2000-01-01 00:00:00.000000Z", "2000-01-01T00:00:00,000000Z",
                                  "2000-01-01T00:00:00.00000\u0663Z"])
def test_parse_timestamp_refuses_other_iso_forms(text: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(text)


@pytest.mark.parametrize("statement", [
    "UPDATE item_value SET item_oid = 'I.DEMOG.AGE'",
    "UPDATE item_value SET group_repeat = 2",
    "UPDATE item_value SET item_group_oid = 'IG.OTHER'",
    "UPDATE item_value SET form_data_id = form_data_id + 1",
    "UPDATE form_data SET patient_id = patient_id + 1",
    "UPDATE form_data SET event_repeat = 2",
    "UPDATE form_data SET event_oid = 'SE.CYCLE', form_oid = 'F.HEM'",
    "UPDATE form_data SET visit_day = 8",
])
def test_what_a_stored_row_is_about_cannot_change(db: Database, statement: str) -> None:
    # The trail records values under the row's id: moving a value to another item, row or
    # form, or a form to another patient or visit, would move its history unseen.
    _form_with_value(db)
    with pytest.raises(IntegrityError, match="the key of a stored row cannot change"), \
            db.write() as s:
        s.execute(text(statement))
    with db.read() as s:
        assert verify(s).ok


def test_an_update_that_keeps_the_key_passes_the_trigger(db: Database) -> None:
    _form_with_value(db)
    with db.write() as s:
        s.execute(text("UPDATE item_value SET item_oid = item_oid, value = value"))
        s.execute(text("UPDATE form_data SET visit_day = visit_day"))
    with db.read() as s:
        assert verify(s).ok


def test_a_randomized_patients_arm_is_set_once(db: Database) -> None:
    _form_with_value(db)
    with db.write() as s:  # randomization writes it (its record is the audited one)
        s.execute(text("UPDATE patient SET arm = 'POM21'"))
        s.execute(text("UPDATE patient SET arm = 'POM21', initials = initials"))
    with pytest.raises(IntegrityError, match="the arm of a randomized patient cannot change"), \
            db.write() as s:
        s.execute(text("UPDATE patient SET arm = 'POM28'"))
    with pytest.raises(IntegrityError, match="cannot change"), db.write() as s:
        s.execute(text("UPDATE patient SET arm = NULL"))


@pytest.mark.parametrize("trigger", ["item_value_fixed_key", "form_data_fixed_key",
                                     "patient_arm_set_once",
                                     "audit_trail_no_update", "audit_trail_no_delete"])
def test_a_dropped_protecting_trigger_is_reported(db: Database, trigger: str) -> None:
    _form_with_value(db)
    with db.write() as s:
        s.execute(text(f"DROP TRIGGER {trigger}"))
    with db.read() as s:
        result = verify(s)
    assert len(result.problems) == 1
    assert result.problems[0].startswith(f"the database trigger {trigger} is missing")


def test_every_audited_model_records_a_column_at_insert() -> None:
    # The implied-value rule takes a column's implied value only for a row with a record:
    # a model whose every audited column could be implied would leave rows without any.
    from ctrial_desktop.store.models import AUDITED_MODELS

    for table, model in AUDITED_MODELS.items():
        implied = set(model.__audit_implied__)
        assert implied <= set(model.__audited__), table
        assert set(model.__audited__) - implied, table


def test_a_savepoint_rolled_back_takes_its_move_of_the_chain_head_with_it(db: Database) -> None:
    """The head read in a savepoint is not kept past it: records written after its
    rollback follow the last record that is still there."""
    with db.write() as s:
        db.audit.append(s, SYSTEM_CONTEXT, "LOGIN", reason="before")
        savepoint = s.begin_nested()
        db.audit.append(s, SYSTEM_CONTEXT, "LOGIN", reason="rolled back")
        db.audit.insert(s, SYSTEM_CONTEXT, _site(), "rolled back")
        savepoint.rollback()
        db.audit.append(s, SYSTEM_CONTEXT, "LOGIN", reason="after")
    with db.read() as s:
        result = verify(s)
        assert result.ok, result.problems
        assert [r.reason for r in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))] \
            == ["before", "after"]


def test_a_loaded_chain_head_object_follows_the_moves(db: Database) -> None:
    """A use case that loads the head's ORM object (the central import reads where the
    chain ends) sees it move with the records written after, in the same transaction."""
    with db.write() as s:
        db.audit.lock(s)
        head = s.get(AuditHead, 1)
        assert head is not None
        db.audit.append(s, SYSTEM_CONTEXT, "LOGIN")
        db.audit.insert(s, SYSTEM_CONTEXT, _site())
        last = s.scalar(select(AuditRecord).order_by(AuditRecord.seq.desc()).limit(1))
        assert last is not None
        assert (head.last_seq, head.last_hash) == (last.seq, last.hash)
        result = verify(s)
        assert result.ok, result.problems
