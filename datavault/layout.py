"""Names and SQL fragments of the vault's layout that code outside the store reads, without loading the store.

``datavault.store`` defines the tables with SQLModel, which loads SQLAlchemy (a third of a second); the findings,
the report and the Datasette metadata only need these few names to write their SQL over the physical tables, and
every command the vault's path. The store imports them from here, so each is defined once.

``marker`` lets a command that only reads skip the store's own check of the schema (``Vault.open``, which loads
SQLAlchemy): every write transaction of the store leaves it in ``meta``, and it still matches only while both the
code that defines the schema and the vault's schema are what they were then.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
from pathlib import Path

SCHEMA_VERSION = 8
PERSON_ROWS = "dv_person_rows"  # people linking's {people rowid: person}, read by the view ``people``
# The word index (datavault/findings/textindex.py) gives a row of these tables the index rowid
# ``rowid * WORD_INDEX_STRIDE + code``; their views show it as ``fts_rowid``, so a search of the index (Datasette's
# ``fts_pk``, or ``WHERE fts_rowid IN (SELECT rowid FROM dv_text_index WHERE dv_text_index MATCH ...)``) finds
# its rows in the view.
WORD_INDEX_CODES = {"messages": 1, "activities": 2, "posts": 3, "purchases": 4}
WORD_INDEX_STRIDE = 8
# SQL: the ``source_file`` of the record table row in scope (its ``file_id``)
FILE_NAME = "(SELECT name FROM file_names WHERE file_names.id = file_id)"


def person_rows_ddl(schema: str = "main") -> str:
    """The table people linking (datavault/people.py) writes each people row's person into. It always exists in
    the vault, empty until the linking first runs, because the view ``people`` reads its ``person`` from it (a
    view of the vault can only read tables of the vault itself, not the temporary ones of a read-only one)."""
    return (f"CREATE TABLE IF NOT EXISTS {schema}.{PERSON_ROWS} (people_rowid INTEGER PRIMARY KEY, person TEXT, "
            "identity TEXT)")


def physical(conn: sqlite3.Connection, table: str) -> str | None:
    """The store's physical table behind the view ``table`` (``rec_<table>``), if it exists."""
    name = f"rec_{table}"
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return name if row else None


def default_vault_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("datavault", appauthor=False)) / "vault.sqlite"


def resolve_vault_path(option: str | os.PathLike | None) -> Path:
    if option:
        return Path(option).expanduser()
    env = os.environ.get("DATAVAULT_VAULT")
    if env:
        return Path(env).expanduser()
    return default_vault_path()


MARKER_KEY = "checked_layout"  # meta's row holding ``marker`` as the last write of this code left it
# the modules whose text defines the schema, the views and their migrations
_SCHEMA_CODE = ("store.py", "migrations.py", "layout.py", "records.py")


@functools.lru_cache(maxsize=1)
def _code_digest() -> bytes | None:
    digest = hashlib.sha256()
    try:
        for name in _SCHEMA_CODE:
            digest.update((Path(__file__).parent / name).read_bytes())
    except OSError:  # installed without its sources (compiled files only): no marker, every check made
        return None
    return digest.digest()


def marker(conn: sqlite3.Connection) -> str | None:
    """A digest of this code's schema modules, the vault's schema version and key scheme, and the SQL of its
    tables and views, leaving out the report's derived tables (``dv_``, which the report makes and drops as it
    goes) but for ``PERSON_ROWS``, which the store makes. ``conn`` is a plain sqlite3 connection. None when the
    code's text cannot be read."""
    code = _code_digest()
    if code is None:
        return None
    digest = hashlib.sha256(code)
    for row in conn.execute("SELECT key, value FROM meta WHERE key IN ('schema_version', 'key_scheme') ORDER BY key"):
        digest.update(repr(row).encode())
    for row in conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view') AND (name = ? OR ("
            "name NOT LIKE 'dv\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\')) ORDER BY type, name",
            (PERSON_ROWS,)):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def leave_marker(conn: sqlite3.Connection) -> None:
    """Write ``marker`` into ``meta`` (inside the caller's transaction): only once the store has opened the vault
    and found its schema current, or made it so."""
    value = marker(conn)
    if value is not None:
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE value != excluded.value",
                     (MARKER_KEY, value))


def known_current(conn: sqlite3.Connection) -> bool:
    """The vault behind ``conn`` was last written by this code with the schema it has now: what ``Vault.open``
    would check holds. False whenever that cannot be told (no marker, an older vault, an error): then ask it."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (MARKER_KEY,)).fetchone()
        return row is not None and row[0] == marker(conn)  # never equal when there is no marker to make
    except sqlite3.Error:
        return False
