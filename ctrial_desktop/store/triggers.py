"""DDL that makes the audit trail append-only and keeps what stored rows are about fixed,
for SQLite and PostgreSQL.

Used by the migrations; kept here so tests can check the statements exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Connection

APPEND_ONLY_MESSAGE = "audit trail is append-only"


def create_append_only_triggers(conn: Connection, table: str = "audit_trail") -> None:
    if conn.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
            )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}'; END; $$ LANGUAGE plpgsql"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
        )
    else:  # pragma: no cover - other dialects are not supported
        raise RuntimeError(f"unsupported database dialect {conn.dialect.name}")


def drop_append_only_triggers(conn: Connection, table: str = "audit_trail") -> None:
    if conn.dialect.name == "sqlite":
        for verb in ("update", "delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {table}_append_only()")


#: Columns that say what a stored row is about: which form of which patient and visit, which
#: item of which row. The application never changes them (a value changes, or the row is
#: inactivated), and the audit trail records values under the row's id, so a raw change of
#: a key would move recorded history to another patient, form or item unseen: it is refused.
FIXED_KEYS: dict[str, tuple[str, ...]] = {
    "form_data": ("patient_id", "event_oid", "event_repeat", "form_oid", "visit_day"),
    "item_value": ("form_data_id", "item_group_oid", "group_repeat", "item_oid"),
}
FIXED_KEY_MESSAGE = "the key of a stored row cannot change"
#: A randomized patient's arm: written once by randomization (a copy of the randomization
#: record's, which the trail records), never changed after.
SET_ONCE: dict[str, str] = {"patient": "arm"}
SET_ONCE_MESSAGE = "the arm of a randomized patient cannot change"


@dataclass(frozen=True)
class _Guard:
    """A trigger refusing an UPDATE of ``columns`` of ``table`` that changes them (a
    ``set_once`` guard: only once they hold a value)."""

    table: str
    name: str
    columns: tuple[str, ...]
    set_once: bool
    message: str

    def refuses_when(self, differs: str) -> str:
        """The trigger's condition, ``differs`` being the dialect's null-safe inequality."""
        changed = " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in self.columns)
        if self.set_once:
            return " AND ".join(f"OLD.{c} IS NOT NULL" for c in self.columns) + f" AND ({changed})"
        return changed


_GUARDS = (
    *(_Guard(table, f"{table}_fixed_key", columns, False, FIXED_KEY_MESSAGE)
      for table, columns in FIXED_KEYS.items()),
    *(_Guard(table, f"{table}_{column}_set_once", (column,), True, SET_ONCE_MESSAGE)
      for table, column in SET_ONCE.items()),
)


def create_fixed_key_triggers(conn: Connection) -> None:
    """Triggers refusing any change of the :data:`FIXED_KEYS` columns, and of a
    :data:`SET_ONCE` column once it holds a value.

    Note for later migrations: SQLite's batch mode rebuilds a table without its triggers;
    a migration that rebuilds one of these tables must create its trigger again."""
    for guard in _GUARDS:
        columns = ", ".join(guard.columns)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(
                f"CREATE TRIGGER {guard.name} BEFORE UPDATE OF {columns} ON {guard.table} "
                f"WHEN {guard.refuses_when('IS NOT')} "
                f"BEGIN SELECT RAISE(ABORT, '{guard.message}'); END")
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                f"CREATE OR REPLACE FUNCTION {guard.name}() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{guard.message}'; END; $$ LANGUAGE plpgsql")
            conn.exec_driver_sql(
                f"CREATE TRIGGER {guard.name} BEFORE UPDATE OF {columns} ON {guard.table} "
                f"FOR EACH ROW WHEN ({guard.refuses_when('IS DISTINCT FROM')}) "
                f"EXECUTE FUNCTION {guard.name}()")
        else:  # pragma: no cover - other dialects are not supported
            raise RuntimeError(f"unsupported database dialect {conn.dialect.name}")


def drop_fixed_key_triggers(conn: Connection) -> None:
    for guard in _GUARDS:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {guard.name}")
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {guard.name} ON {guard.table}")
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {guard.name}()")


def protecting_triggers(dialect: str) -> tuple[tuple[str, str], ...]:
    """(table, trigger name) of every trigger that protects the stored data and its trail."""
    trail = (("audit_trail", "audit_trail_no_update"), ("audit_trail", "audit_trail_no_delete")
             ) if dialect == "sqlite" else (("audit_trail", "audit_trail_no_change"),)
    return trail + tuple((guard.table, guard.name) for guard in _GUARDS)


def missing_triggers(conn: Connection) -> list[tuple[str, str]]:
    """The :func:`protecting_triggers` the database does not have (dropped behind the
    application, or a database never migrated by it)."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        present = {row[0] for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    elif dialect == "postgresql":
        present = {row[0] for row in conn.exec_driver_sql(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    else:  # pragma: no cover - other dialects are not supported
        return []
    return [(table, name) for table, name in protecting_triggers(dialect) if name not in present]
