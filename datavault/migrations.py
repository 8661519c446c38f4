"""Bringing a vault written by an older datavault up to the current schema, inside the opening transaction.

Each step takes the vault from version N to N+1 and never loses a record. Tables that a newer schema adds are
created afterwards by ``create_all``; the views are rebuilt on every open, so they need no step here.

History:
1. first release: records, sources, files, problems.
2. ``files.tables`` (records read per table, for ``import --json``) and ``problems.severity`` (warnings that
   did not stop a record from being imported, such as a possibly truncated chat).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection


def _columns(conn: Connection, table: str) -> set[str]:
    return {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}


def _v1_to_v2(conn: Connection) -> None:
    if "tables" not in _columns(conn, "files"):
        conn.exec_driver_sql("ALTER TABLE files ADD COLUMN tables VARCHAR NOT NULL DEFAULT '{}'")
    if "severity" not in _columns(conn, "problems"):
        conn.exec_driver_sql("ALTER TABLE problems ADD COLUMN severity VARCHAR NOT NULL DEFAULT 'error'")


STEPS = {1: _v1_to_v2}


def migrate(conn: Connection, version: int, target: int) -> None:
    while version < target:
        STEPS[version](conn)
        version += 1
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": str(version)})
