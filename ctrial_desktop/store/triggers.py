"""DDL that makes the audit trail append-only, for SQLite and PostgreSQL.

Used by the migrations; kept here so tests can check the statements exist.
"""

from __future__ import annotations

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
