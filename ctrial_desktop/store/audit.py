"""The append-only, hash-chained audit trail.

Canonical content of a record (what its hash covers) is the JSON object of these
keys, sorted, with ``separators=(",", ":")``, ``ensure_ascii=False``, encoded as
UTF-8: ``action, item, new_value, old_value, reason, record_id, role, seq,
session_id, site_code, table_name, timestamp_utc, user_id, username``.
``hash = SHA-256(prev_hash + "\\n" + canonical content)`` in lower-case hex; the
first record's ``prev_hash`` is 64 zeros.

Every write goes through :class:`AuditWriter` inside the caller's transaction, so a
change and its audit record commit or roll back together. Appends are serialized by
locking the single :class:`~ctrial_desktop.store.models.AuditHead` row (``FOR
UPDATE`` on PostgreSQL; on SQLite write transactions start with ``BEGIN IMMEDIATE``).

Timestamps are UTC and strictly increasing: an offline computer's clock cannot be
trusted, so when it reads earlier than the last record, jumps far ahead of it, or
drifts from the monotonic clock while the application runs, a ``CLOCK_ANOMALY``
record is written and the timestamp used stays monotonic.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring as _encode_string
from typing import Any, NamedTuple

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ctrial_desktop.store.bulk import driver_execute, insert_rows
from ctrial_desktop.store.models import AUDITED_MODELS, AuditHead, AuditRecord, Base
from ctrial_desktop.store.triggers import missing_triggers

GENESIS_HASH = "0" * 64
_NOT_IMPLIED: Any = object()  # no implied value / no record
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

#: Actions that create or change a row's audited columns (replayed by verification).
DATA_ACTIONS = frozenset({"INSERT", "UPDATE"})


class AuditReasonRequired(ValueError):
    """A change to already-saved data was attempted without a reason."""


_RECORD_COLUMNS = ("seq", "timestamp_utc", "user_id", "username", "role", "site_code",
                   "session_id", "action", "table_name", "record_id", "item", "old_value",
                   "new_value", "reason", "prev_hash", "hash")
# The chain's head (the single audit_head row), read and moved by the driver alone
# (``store/bulk.py``): every audited write reads it, most write it once.
_READ_HEAD = "SELECT last_seq, last_hash, last_timestamp_utc FROM audit_head WHERE id = 1"
_MOVE_HEAD = ("UPDATE audit_head SET last_seq = ?, last_hash = ?, last_timestamp_utc = ?"
              " WHERE id = 1")
_FIRST_HEAD = ("INSERT INTO audit_head (id, last_seq, last_hash, last_timestamp_utc)"
               " VALUES (1, ?, ?, ?)")
#: Where a session keeps the head it read, for the rest of its transaction.
_HEAD_KEY = "ctrial_audit_head"


@dataclass(slots=True)
class _ChainHead:
    """The end of the chain as this transaction sees it (the ``audit_head`` row)."""

    last_seq: int
    last_hash: str
    last_timestamp_utc: str


@event.listens_for(Session, "after_transaction_end")
def _forget_head(session: Session, transaction: SessionTransaction) -> None:
    """A head read in a transaction is not kept past it (another may move it next), nor
    past a savepoint (whose rollback undoes the moves made in it)."""
    if transaction.parent is None or transaction.nested:
        session.info.pop(_HEAD_KEY, None)


class AuditEvent(NamedTuple):
    """A record a use case appends after a batch of inserts (old value null)."""

    action: str
    table_name: str
    record_id: int | None
    item: str
    new_value: str | None
    reason: str


@dataclass(frozen=True)
class AuditContext:
    """Who is acting: copied into every audit record at the moment of the change."""

    user_id: int | None
    username: str
    role: str
    site_code: str
    session_id: str


SYSTEM_CONTEXT = AuditContext(None, "system", "system", "", "system")


def to_text(value: Any) -> str | None:
    """Canonical text of a column value, as stored in the audit trail."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def column_text(model: type[Base], column: str, value: Any) -> str | None:
    """Audit text of an audited column; secrets (``__audit_redacted__``) as a fingerprint."""
    text = to_text(value)
    if text is not None and column in getattr(model, "__audit_redacted__", ()):
        return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return text


def format_timestamp(instant: dt.datetime) -> str:
    return instant.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)


def _format_utc(instant: dt.datetime) -> str:
    """:func:`format_timestamp` of an instant already in UTC (years 1000 to 9999), faster."""
    return instant.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _following_stamps(first: str) -> Iterator[str]:
    """``first`` (a formatted timestamp), then the timestamps one microsecond apart after
    it, formatted; by changing the digits of the microseconds while they do not carry."""
    prefix, micro = first[:-7], int(first[-7:-1])
    while True:
        if micro > 999_999:
            instant = parse_timestamp(f"{prefix}999999Z") + dt.timedelta(
                microseconds=micro - 999_999)
            formatted = _format_utc(instant)
            prefix, micro = formatted[:-7], int(formatted[-7:-1])
        yield f"{prefix}{micro:06d}Z"
        micro += 1


def parse_timestamp(text: str) -> dt.datetime:
    """A formatted audit timestamp as an aware UTC instant (ValueError for any other text)."""
    if (len(text) == 27 and text[26] == "Z" and text[4] == text[7] == "-" and text[10] == "T"
            and text[13] == text[16] == ":" and text[19] == "." and text.isascii()
            and text[20:26].isdigit()):
        # ``fromisoformat`` is many times faster than ``strptime``; it takes more forms than
        # ours, hence the layout checked first (a property test holds the two equal).
        try:
            instant = dt.datetime.fromisoformat(text[:26])
        except ValueError:
            pass
        else:
            if instant.tzinfo is None:
                return instant.replace(tzinfo=dt.UTC)
    return dt.datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=dt.UTC)


_HASHED_FIELDS = (
    "seq",
    "timestamp_utc",
    "user_id",
    "username",
    "role",
    "site_code",
    "session_id",
    "action",
    "table_name",
    "record_id",
    "item",
    "old_value",
    "new_value",
    "reason",
)


def canonical_content(record: AuditRecord) -> str:
    return _canonical({name: getattr(record, name) for name in _HASHED_FIELDS})


def _canonical(fields: Mapping[str, Any]) -> str:
    payload = {name: fields[name] for name in _HASHED_FIELDS}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_hash(prev_hash: str, record: AuditRecord) -> str:
    return _chain_hash(prev_hash, canonical_content(record))


def _json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` of a record field, faster for its types."""
    if value is None:
        return "null"
    if value.__class__ is str:
        return _encode_string(value)
    if value.__class__ is int:
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


class _CanonicalText:
    """:func:`_canonical` of the records of one batch (one user, session and table) by
    string building: what does not change from record to record is written once, the
    fields around ``seq`` and ``timestamp_utc`` (``fixed``, by :func:`_fixed_fields`),
    and so is what repeats, the action with the item and the reason. A property test
    checks the result equals :func:`_canonical`."""

    __slots__ = ("_fixed", "_leads", "_reasons")

    def __init__(self, fixed: tuple[str, str, str]) -> None:
        self._fixed = fixed
        self._leads: dict[tuple[str, str], str] = {}
        self._reasons: dict[str, str] = {}

    def __call__(self, seq: int, timestamp: str, action: str, item: str,
                 old_value: str | None, new_value: str | None, reason: str,
                 record_id: int | None) -> str:
        lead = self._leads.get((action, item))
        if lead is None:
            lead = self._leads[(action, item)] = (
                f'{{"action":{_encode_string(action)},"item":{_encode_string(item)},'
                '"new_value":')
        middle = self._reasons.get(reason)
        if middle is None:
            middle = self._reasons[reason] = (
                f',"reason":{_encode_string(reason)},"record_id":')
        fixed = self._fixed
        return (f'{lead}{_json(new_value)},"old_value":{_json(old_value)}{middle}'
                f'{_json(record_id)},{fixed[0]}"seq":{seq},{fixed[1]}'
                f'"timestamp_utc":"{timestamp}",{fixed[2]}}}')


def _fixed_fields(ctx: AuditContext, table_name: str) -> tuple[str, str, str]:
    """The fields of a batch's records that do not change, in canonical order, in three
    runs around ``seq`` and ``timestamp_utc``."""
    return (f'"role":{_json(ctx.role)},',
            f'"session_id":{_json(ctx.session_id)},"site_code":{_json(ctx.site_code)},'
            f'"table_name":{_json(table_name)},',
            f'"user_id":{_json(ctx.user_id)},"username":{_json(ctx.username)}')


def _chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + "\n" + content).encode("utf-8")).hexdigest()


@dataclass
class ClockGuard:
    """Supplies audit timestamps and notices when the wall clock cannot be trusted.

    ``wall`` and ``monotonic`` are injectable for tests. ``far_ahead`` is how far past
    the last audit record a reading may be before it is reported; ``max_drift`` is how
    far the wall clock may move away from the monotonic clock while the application
    runs.
    """

    wall: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    monotonic: Callable[[], float] = time.monotonic
    far_ahead: dt.timedelta = dt.timedelta(days=180)
    max_drift: dt.timedelta = dt.timedelta(minutes=10)
    # A reading this little behind the last record is the clock's resolution (Python
    # before 3.13 reads the Windows clock in 15.6 ms ticks, so the records of one save
    # share an instant and trail their microsecond-apart stamps), not a clock set back.
    resolution: dt.timedelta = dt.timedelta(seconds=1)
    listeners: list[Callable[[str], None]] = field(default_factory=list)
    _anchor: tuple[dt.datetime, float] | None = None

    def reading(self) -> tuple[dt.datetime, str | None]:
        """Current wall-clock time and a drift message if it jumped while running."""
        now = self.wall()
        mono = self.monotonic()
        message = None
        if self._anchor is not None:
            expected = self._anchor[0] + dt.timedelta(seconds=mono - self._anchor[1])
            drift = now - expected
            if abs(drift) > self.max_drift:
                message = (
                    f"the computer clock moved by {_describe(drift)} while the application "
                    "was running"
                )
        if self._anchor is None or message is not None:
            self._anchor = (now, mono)
        return now, message

    def notify(self, message: str) -> None:
        for listener in list(self.listeners):
            listener(message)


def _describe(delta: dt.timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{sign}{days} d {hours} h"
    return f"{sign}{hours} h {minutes} min"


class AuditWriter:
    """Appends audit records inside a caller's session (one transaction)."""

    def __init__(self, clock: ClockGuard | None = None) -> None:
        self.clock = clock or ClockGuard()

    def lock(self, session: Session) -> None:
        """Take the audit chain's lock now, for a use case that must see every earlier
        write before deciding (randomization): every audited write waits for it."""
        self._head(session)

    # -- low level -------------------------------------------------------------------
    def _head(self, session: Session) -> _ChainHead:
        """The chain's head, locked for the rest of the transaction (read once in it)."""
        cached = session.info.get(_HEAD_KEY)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        lock = "" if session.get_bind().dialect.name == "sqlite" else " FOR UPDATE"
        found = driver_execute(session, _READ_HEAD + lock)
        if found:
            head = _ChainHead(*found[0])
        else:
            head = _ChainHead(0, GENESIS_HASH, "")
            driver_execute(session, _FIRST_HEAD, (0, GENESIS_HASH, ""))
        session.info[_HEAD_KEY] = head
        return head

    @staticmethod
    def _move_head(session: Session, head: _ChainHead) -> None:
        driver_execute(session, _MOVE_HEAD,
                       (head.last_seq, head.last_hash, head.last_timestamp_utc))
        # The row's ORM object, if a use case loaded it, moves with it (the session would
        # otherwise keep handing out the values it was loaded with).
        loaded = session.identity_map.get(identity_key(AuditHead, (1,)))
        if isinstance(loaded, AuditHead):
            set_committed_value(loaded, "last_seq", head.last_seq)
            set_committed_value(loaded, "last_hash", head.last_hash)
            set_committed_value(loaded, "last_timestamp_utc", head.last_timestamp_utc)

    def _next_timestamp(self, session: Session, ctx: AuditContext, head: _ChainHead) -> str:
        now, drift_message = self.clock.reading()
        anomaly = drift_message
        stamp = now
        if head.last_timestamp_utc:
            last = parse_timestamp(head.last_timestamp_utc)
            if now <= last and last - now < self.clock.resolution:
                stamp = last + dt.timedelta(microseconds=1)
            elif now <= last:
                anomaly = (
                    f"the computer clock reads {format_timestamp(now)}, earlier than the last "
                    f"audit record ({head.last_timestamp_utc}); timestamps are kept in order"
                )
                stamp = last + dt.timedelta(microseconds=1)
            elif now - last > self.clock.far_ahead and anomaly is None:
                anomaly = (
                    f"the computer clock reads {format_timestamp(now)}, {_describe(now - last)} "
                    f"after the last audit record ({head.last_timestamp_utc})"
                )
        if anomaly is not None:
            self._insert(session, ctx, head, format_timestamp(stamp), "CLOCK_ANOMALY", "", None,
                         "clock", head.last_timestamp_utc or None, format_timestamp(now), anomaly)
            self.clock.notify(anomaly)
            stamp = stamp + dt.timedelta(microseconds=1)
        return format_timestamp(stamp)

    def _insert(
        self,
        session: Session,
        ctx: AuditContext,
        head: _ChainHead,
        timestamp: str,
        action: str,
        table_name: str,
        record_id: int | None,
        item: str,
        old_value: str | None,
        new_value: str | None,
        reason: str,
    ) -> AuditRecord:
        record = AuditRecord(
            seq=head.last_seq + 1,
            timestamp_utc=timestamp,
            user_id=ctx.user_id,
            username=ctx.username,
            role=ctx.role,
            site_code=ctx.site_code,
            session_id=ctx.session_id,
            action=action,
            table_name=table_name,
            record_id=record_id,
            item=item,
            old_value=old_value,
            new_value=new_value,
            reason=reason,
            prev_hash=head.last_hash,
        )
        record.hash = compute_hash(head.last_hash, record)
        session.add(record)
        head.last_seq = record.seq
        head.last_hash = record.hash
        head.last_timestamp_utc = timestamp
        self._move_head(session, head)
        return record

    def append(
        self,
        session: Session,
        ctx: AuditContext,
        action: str,
        *,
        table_name: str = "",
        record_id: int | None = None,
        item: str = "",
        old_value: str | None = None,
        new_value: str | None = None,
        reason: str = "",
    ) -> AuditRecord:
        """Append one record (events such as LOGIN use this directly)."""
        head = self._head(session)
        timestamp = self._next_timestamp(session, ctx, head)
        return self._insert(session, ctx, head, timestamp, action, table_name, record_id,
                            item, old_value, new_value, reason)

    # -- data changes ----------------------------------------------------------------
    def insert(self, session: Session, ctx: AuditContext, obj: Base, reason: str = "") -> None:
        """Add a new row and record its audited columns (but those at their implied value)."""
        session.add(obj)
        session.flush()
        self.record_inserts(session, ctx, [(obj, reason)])

    def insert_many(self, session: Session, ctx: AuditContext,
                    rows: Sequence[tuple[Base, str]]) -> None:
        """Add new rows (each with its reason) in one flush, then record their audited
        columns (but those at their implied value), in order: the same records as
        :meth:`insert` row by row."""
        if not rows:
            return
        session.add_all([obj for obj, _reason in rows])
        session.flush()
        self.record_inserts(session, ctx, rows)

    def record_inserts(self, session: Session, ctx: AuditContext,
                       rows: Sequence[tuple[Base, str]]) -> None:
        """Record the audited columns of rows already written (with their ids), in order,
        chained in memory and written in one executemany.

        A column holding its model's implied value at insert (``__audit_implied__``) gets
        no record: verification expects that value until a later record changes it."""
        self.record_insert_values(session, ctx, [
            (type(obj), obj.id, reason,  # type: ignore[attr-defined]
             {column: getattr(obj, column) for column in type(obj).__audited__})
            for obj, reason in rows])

    def record_insert_values(
            self, session: Session, ctx: AuditContext,
            rows: Sequence[tuple[type[Base], int, str, Mapping[str, Any]]],
            then: Sequence[AuditEvent] = ()) -> None:
        """:meth:`record_inserts` of rows given as (model, id, reason, audited column values)
        by a caller that wrote them without ORM objects, followed by the records ``then``
        (what the use case did with them, such as saving a form): one batch."""
        planned: list[tuple[str, int, str, str, str | None]] = []
        for model, record_id, reason, values in rows:
            table, implied = model.__tablename__, model.__audit_implied__
            redacted = getattr(model, "__audit_redacted__", ())
            for column in model.__audited__:
                value = values[column]
                if column in redacted:
                    text = column_text(model, column, value)
                elif value.__class__ is str:
                    text = value
                elif value is True or value is False:
                    text = "true" if value else "false"  # to_text's words
                else:
                    text = column_text(model, column, value)
                if text != implied.get(column, _NOT_IMPLIED):
                    planned.append((table, record_id, reason, column, text))
        if not planned and not then:
            return
        head = self._head(session)
        # One clock reading for the batch (checked as any other); the records then take
        # the following microseconds, so their timestamps stay strictly increasing.
        stamps = _following_stamps(self._next_timestamp(session, ctx, head))
        seq, previous = head.last_seq, head.last_hash
        records: list[tuple[Any, ...]] = []
        text_by_table: dict[str, _CanonicalText] = {}
        who = (ctx.user_id, ctx.username, ctx.role, ctx.site_code, ctx.session_id)
        events = [(table, record_id, reason, column, text, "INSERT")
                  for table, record_id, reason, column, text in planned]
        events += [(e.table_name, e.record_id, e.reason, e.item, e.new_value, e.action)
                   for e in then]
        stamp = ""
        for table, record_id, reason, column, text, action in events:
            canonical = text_by_table.get(table)
            if canonical is None:
                canonical = text_by_table[table] = _CanonicalText(_fixed_fields(ctx, table))
            stamp = next(stamps)
            seq += 1
            content = canonical(seq, stamp, action, column, None, text, reason, record_id)
            chained = _chain_hash(previous, content)
            records.append((seq, stamp, *who, action, table, record_id, column, None, text,
                            reason, previous, chained))
            previous = chained
        session.flush()  # a clock anomaly recorded above comes first in the table too
        # One executemany (the ORM's bulk insert would still build a command per row), and
        # the head moved by one statement rather than by the unit of work.
        insert_rows(session, AuditRecord.__table__, _RECORD_COLUMNS, records)
        head.last_seq, head.last_hash, head.last_timestamp_utc = seq, previous, stamp
        self._move_head(session, head)

    def update(
        self,
        session: Session,
        ctx: AuditContext,
        obj: Base,
        changes: dict[str, Any],
        reason: str,
        *,
        require_reason: bool = True,
    ) -> int:
        """Apply changes to audited columns with their records; return how many changed.

        A change to already-saved data needs a reason unless ``require_reason`` is
        False (system bookkeeping such as a lockout, which passes its own reason).
        """
        table = obj.__tablename__
        audited = type(obj).__audited__
        changed = 0
        for column, value in changes.items():
            if column not in audited:
                raise KeyError(f"{table}.{column} is not an audited column")
            old = column_text(type(obj), column, getattr(obj, column))
            new = column_text(type(obj), column, value)
            if old == new:
                continue
            if require_reason and not reason.strip():
                raise AuditReasonRequired(f"a reason is required to change {table}.{column}")
            setattr(obj, column, value)
            self.append(session, ctx, "UPDATE", table_name=table, record_id=obj.id,  # type: ignore[attr-defined]
                        item=column, old_value=old, new_value=new, reason=reason)
            changed += 1
        return changed


# -- verification --------------------------------------------------------------------
@dataclass(frozen=True)
class VerificationResult:
    """Outcome of :func:`verify`: ``ok`` and the problems found, first broken row first."""

    records: int
    problems: tuple[str, ...]
    first_broken_seq: int | None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session) -> VerificationResult:
    """Recompute the hash chain, replay it against the current data, and check that the
    triggers protecting the trail and the rows' keys are in place."""
    problems: list[str] = []
    first_broken: int | None = None
    prev_hash = GENESIS_HASH
    expected_seq = 1
    state: dict[tuple[str, int, str], str | None] = {}
    count = 0
    rows = session.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars()
    for record in rows:
        count += 1
        broken = None
        if record.seq != expected_seq:
            broken = f"sequence {expected_seq} is missing (found {record.seq})"
        elif record.prev_hash != prev_hash:
            broken = "its previous-hash does not match the record before it"
        elif compute_hash(prev_hash, record) != record.hash:
            broken = "its content does not match its hash (the record was altered)"
        if broken and first_broken is None:
            first_broken = record.seq
            problems.append(f"audit record #{record.seq} (id {record.id}) is broken: {broken}")
        prev_hash = record.hash
        expected_seq = record.seq + 1
        if record.action in DATA_ACTIONS and record.record_id is not None:
            state[(record.table_name, record.record_id, record.item)] = record.new_value
        session.expunge(record)
    head = session.get(AuditHead, 1)
    if head is not None and head.last_seq != expected_seq - 1:
        problems.append(
            f"the audit trail ends at #{expected_seq - 1} but {head.last_seq} records were "
            "written: records were removed"
        )
    problems.extend(_replay(session, state))
    problems.extend(
        f"the database trigger {name} is missing: {table} can be changed behind the "
        "application" for table, name in missing_triggers(session.connection()))
    return VerificationResult(count, tuple(problems), first_broken)


def _replay(session: Session, state: dict[tuple[str, int, str], str | None]) -> Iterable[str]:
    seen: set[tuple[str, int]] = set()
    for table, model in AUDITED_MODELS.items():
        columns = model.__audited__
        implied = model.__audit_implied__
        for obj in session.execute(select(model)).scalars():
            key = (table, obj.id)  # type: ignore[attr-defined]
            seen.add(key)
            # A column at its implied insert value has no record, if the row has any.
            inserted = not implied or any((table, obj.id, c) in state for c in columns)  # type: ignore[attr-defined]
            for column in columns:
                current = column_text(model, column, getattr(obj, column))
                recorded = state.get((table, obj.id, column), _NOT_IMPLIED)  # type: ignore[attr-defined]
                if recorded is _NOT_IMPLIED and inserted and column in implied:
                    recorded = implied[column]
                if recorded is _NOT_IMPLIED:
                    yield f"{table} #{obj.id}: {column} was written without an audit record"  # type: ignore[attr-defined]
                    break
                if recorded != current:
                    yield (
                        f"{table} #{obj.id}: {column} is {current!r} but the audit trail "  # type: ignore[attr-defined]
                        f"says {recorded!r} (changed outside the application)"
                    )
            session.expunge(obj)
    for table, record_id, _item in state:
        if (table, record_id) not in seen:
            seen.add((table, record_id))
            yield f"{table} #{record_id} is in the audit trail but no longer in the database"
