"""Names and SQL fragments of the vault's layout that code outside the store reads, without loading the store.

``datavault.store`` defines the tables with SQLModel, which loads SQLAlchemy (a third of a second); the findings,
the report and the Datasette metadata only need these few names to write their SQL over the physical tables, and
every command the vault's path. The store imports them from here, so each is defined once.
"""

from __future__ import annotations

import os
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

