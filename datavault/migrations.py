"""Bringing a vault written by an older datavault up to the current schema, inside the opening transaction.

Each step takes the vault from version N to N+1 and never loses a record. Tables that a newer schema adds are
created afterwards by ``create_all``; the views are rebuilt on every open, so they need no step here.

History:
1. first release: records, sources, files, problems.
2. ``files.tables`` (records read per table, for ``import --json``) and ``problems.severity`` (warnings that
   did not stop a record from being imported, such as a possibly truncated chat).
3. ``meta.key_scheme``: new vaults digest natural keys time-ordered (``store.natural_key``). A vault that holds
   records keeps the plain digest its keys were made with (the key parts are not stored, so they cannot be
   made again); one without records takes the new scheme. An older datavault refuses a schema-3 vault rather
   than adding its records under keys of the other scheme.
4. ``files.fingerprint`` and ``files.member_notes``: how a member read in full is recognised unchanged when its
   export is imported again (not read again then). Rows of earlier schemas have none: their members are read
   once more at the next import, which records them.
5. ``person_decisions``: the user's merge and split decisions on people linking (created by ``create_all``; the
   step only records the version).
6. ``raw_blocks``: records' original texts compressed in blocks (datavault/rawstore.py; created by
   ``create_all``). Raws written before stay plain text, which every reader still takes.
7. ``file_names``: each record's ``source_file`` is stored once per name; the record tables keep its id
   (``file_id``). The step fills the new column from the old one and then drops the old one (SQLite 3.35 and
   later; an older SQLite empties it instead, and the column stays, unused).
8. ``files.resume``: where a later, longer copy of a chat may be read on from (records.Checkpoint). Rows of
   earlier schemas have none: a later copy of their chats is read whole once more, which records one.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError


def _columns(conn: Connection, table: str) -> set[str]:
    return {row[1] for row in conn.exec_driver_sql(f"PRAGMA table_info({table})")}


def _v1_to_v2(conn: Connection) -> None:
    if "tables" not in _columns(conn, "files"):
        conn.exec_driver_sql("ALTER TABLE files ADD COLUMN tables VARCHAR NOT NULL DEFAULT '{}'")
    if "severity" not in _columns(conn, "problems"):
        conn.exec_driver_sql("ALTER TABLE problems ADD COLUMN severity VARCHAR NOT NULL DEFAULT 'error'")


def _v2_to_v3(conn: Connection) -> None:
    from datavault.store import EXPORT_TABLES, TIME_ORDERED

    empty = all(conn.exec_driver_sql(f"SELECT 1 FROM {t.physical} LIMIT 1").first() is None
                for t in EXPORT_TABLES.values())
    conn.exec_driver_sql("INSERT OR REPLACE INTO meta(key, value) VALUES ('key_scheme', ?)",
                         (TIME_ORDERED if empty else "digest",))


def _v3_to_v4(conn: Connection) -> None:
    columns = _columns(conn, "files")
    for name in ("fingerprint", "member_notes"):
        if name not in columns:
            conn.exec_driver_sql(f"ALTER TABLE files ADD COLUMN {name} VARCHAR")


def _v4_to_v5(conn: Connection) -> None:
    pass  # person_decisions is a new table: create_all adds it after the steps


def _v5_to_v6(conn: Connection) -> None:
    pass  # raw_blocks is a new table: create_all adds it after the steps


def _v6_to_v7(conn: Connection) -> None:
    from datavault.store import EXPORT_TABLES, FileName

    FileName.__table__.create(conn, checkfirst=True)
    for table in EXPORT_TABLES.values():
        conn.exec_driver_sql(f"DROP VIEW IF EXISTS {table.name}")  # they name the old column (rebuilt on open)
        phys = table.physical
        if "source_file" not in _columns(conn, phys):
            continue
        if "file_id" not in _columns(conn, phys):
            conn.exec_driver_sql(f"ALTER TABLE {phys} ADD COLUMN file_id INTEGER")
        conn.exec_driver_sql(f"INSERT OR IGNORE INTO file_names(name) SELECT DISTINCT source_file FROM {phys} "
                             "WHERE source_file IS NOT NULL")
        conn.exec_driver_sql(f"UPDATE {phys} SET file_id = (SELECT id FROM file_names WHERE name = "
                             f"{phys}.source_file) WHERE source_file IS NOT NULL")
        try:
            conn.exec_driver_sql(f"ALTER TABLE {phys} DROP COLUMN source_file")
        except OperationalError:  # SQLite before 3.35
            conn.exec_driver_sql(f"UPDATE {phys} SET source_file = NULL")


def _v7_to_v8(conn: Connection) -> None:
    if "resume" not in _columns(conn, "files"):
        conn.exec_driver_sql("ALTER TABLE files ADD COLUMN resume VARCHAR")


STEPS = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4, 4: _v4_to_v5, 5: _v5_to_v6, 6: _v6_to_v7, 7: _v7_to_v8}


def migrate(conn: Connection, version: int, target: int) -> None:
    while version < target:
        STEPS[version](conn)
        version += 1
        conn.execute(text("UPDATE meta SET value = :v WHERE key = 'schema_version'"), {"v": str(version)})
