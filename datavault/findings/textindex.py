"""A word index over the vault's free text, so keyword lexicons cost one index lookup instead of a scan.

Matching hundreds of words against millions of messages row by row takes minutes in SQLite or Python; an FTS5
index answers the same question in milliseconds. The index is derived data, kept in the vault as a contentless
FTS5 table (``dv_text_index``: no copy of the text, only the word postings) next to a small state table that
says how far each source table has been indexed. ``refresh`` brings it up to date: rows added since the last
refresh are appended; if rows were removed (``forget``) the index is rebuilt. The pipeline may call
``refresh`` after an import so the first report is fast; the report calls it anyway.

Index rowid = physical rowid * 8 + table code (``layout.WORD_INDEX_CODES``; the views show it as ``fts_rowid``),
so a hit leads straight back to its record. Which text is indexed per table is listed in ``INDEXED``; everything
else (names, conversations, place names: small, read directly) is not.
"""

from __future__ import annotations

import sqlite3

from datavault.errors import UserError
from datavault.findings.derived import physical
from datavault.limits import readable
from datavault.progress import NO_PROGRESS, WORD_INDEX, Progress
from datavault.layout import WORD_INDEX_CODES, WORD_INDEX_STRIDE

INDEX = "dv_text_index"
STATE = "dv_text_index_state"
# keys of an activity's ``extra`` whose words say nothing about the person and are not indexed: which Google
# setting saved the record, the "At this general area" location note with its map link, the Google redirect of
# ``url`` (the same words again) and, from HTML exports, the timestamp as written and how it was read. They were
# 100 of the 270 characters of a typical activity to index, a third of the word index's time on My Activity;
# the rest (header, channel names, app package, description, details) stays, as the screen-time classes match on it
NOT_INDEXED_EXTRA = ("activityControls", "locationInfos", "titleUrl", "time_text", "time_basis")
_EXTRA = (f"iif(json_valid(extra), json_remove(extra, {', '.join(repr('$.' + k) for k in NOT_INDEXED_EXTRA)}), "
          "extra)")  # an extra that is no JSON (written by hand) is indexed as it is
# table -> (code, SQL expression over the physical row giving the text to index)
_TEXT = {
    "messages": "text",
    "activities": f"coalesce(title, '') || ' ' || coalesce(url, '') || ' ' || coalesce({_EXTRA}, '')",
    "posts": "coalesce(text, '') || ' ' || coalesce(target, '')",
    "purchases": "coalesce(item, '') || ' ' || coalesce(merchant, '')",
}
INDEXED: dict[str, tuple[int, str]] = {t: (WORD_INDEX_CODES[t], expr) for t, expr in _TEXT.items()}
CODE_BITS = WORD_INDEX_STRIDE
SLICE = 100_000  # rowids indexed by one statement: progress to show, and Ctrl-C heard, between two


# columnsize=0: no per-row token counts, which only ranking (bm25) reads and nothing here does; a fifth of the
# time a million activities take to index
FTS_OPTIONS = "body, content='', columnsize=0, tokenize='unicode61 remove_diacritics 2'"
# A lookup costs what expanding the lexicon's terms over the whole index costs, whichever table it is for: the
# 16 activities of a 300,000-message Facebook export took 44 ms a lookup, 1.0 s of its report preparation. A table
# of at most OWN_INDEX_ROWS rows beside at least OWN_INDEX_OTHERS rows of other tables is looked up in an index of
# its own, built in memory for the run (the same texts and words: the same hits)
OWN_INDEX_ROWS = 5_000
OWN_INDEX_OTHERS = 50_000


def _schema(conn: sqlite3.Connection, schema: str) -> None:
    try:
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {schema}.{INDEX} USING fts5({FTS_OPTIONS})")
    except sqlite3.OperationalError as exc:
        if "no such module" in str(exc):
            raise UserError("this Python's SQLite has no full-text search (FTS5), which the report needs; "
                            "use a Python from python.org or your system's package manager") from None
        raise
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {schema}.{STATE} (tbl TEXT PRIMARY KEY, max_rowid INTEGER, n INTEGER)"
    )


def refresh(conn: sqlite3.Connection, state: dict[str, tuple[int, int]] | None = None,
            progress: Progress = NO_PROGRESS) -> str:
    """Bring the index up to date; returns the schema holding it (``main``, or ``temp`` for a read-only vault).
    ``progress`` hears one phase, in records to index."""
    try:
        _schema(conn, "main")
        schema = "main"
        conn.commit()
    except sqlite3.OperationalError:  # read-only vault: keep the index in memory for this run
        _schema(conn, "temp")
        schema = "temp"
    try:
        _refresh(conn, schema, state, progress)
    except sqlite3.OperationalError:
        if schema == "temp":
            raise
        conn.rollback()
        _schema(conn, "temp")
        schema = "temp"
        _refresh(conn, schema, state, progress)
    return schema


def _refresh(conn: sqlite3.Connection, schema: str, known: dict[str, tuple[int, int]] | None,
             progress: Progress = NO_PROGRESS) -> None:
    state = {t: (m, n) for t, m, n in conn.execute(f"SELECT tbl, max_rowid, n FROM {schema}.{STATE}")}
    plan: list[tuple[str, str, int, str, int, int]] = []  # table, physical, code, expr, from_rowid, rows
    rebuild = False
    current: dict[str, tuple[int, int]] = {}
    for table, (code, expr) in INDEXED.items():
        phys = physical(conn, table)
        if phys is None:
            continue
        max_rowid, n = (known or {}).get(table) or conn.execute(
            f"SELECT coalesce(max(rowid), 0), count(*) FROM {phys}").fetchone()
        current[table] = (max_rowid, n)
        old_max, old_n = state.get(table, (0, 0))
        if (old_max, old_n) == (max_rowid, n):
            continue
        added = conn.execute(f"SELECT count(*) FROM {phys} WHERE rowid > ?", (old_max,)).fetchone()[0]
        if old_n + added != n:
            rebuild = True
        plan.append((table, phys, code, expr, old_max, added))
    if set(state) - set(current):
        rebuild = True
    if rebuild:
        conn.execute(f"DELETE FROM {schema}.{STATE}")
        conn.execute(f"INSERT INTO {schema}.{INDEX}({INDEX}) VALUES ('delete-all')")
        plan = [(t, physical(conn, t), c, e, 0, current[t][1]) for t, (c, e) in INDEXED.items() if t in current]
    progress.phase(WORD_INDEX, sum(p[5] for p in plan))
    for table, phys, code, expr, from_rowid, _ in plan:
        for low, high in slices(from_rowid, current[table][0]):
            conn.execute(
                f"INSERT INTO {schema}.{INDEX}(rowid, body) SELECT rowid * {CODE_BITS} + {code}, {readable(expr)} "
                f"FROM {phys} WHERE rowid > ? AND rowid <= ? AND {expr} IS NOT NULL",
                (low, high),
            )
            if progress is not NO_PROGRESS:  # a count is a read of the range: only when someone looks
                progress.advance(rows_between(conn, phys, low, high))
        conn.execute(
            f"INSERT OR REPLACE INTO {schema}.{STATE}(tbl, max_rowid, n) VALUES (?, ?, ?)",
            (table, *current[table]),
        )
    conn.commit()


def slices(after: int, last: int, size: int = SLICE) -> list[tuple[int, int]]:
    """(low, high] ranges of rowids covering every rowid above ``after``: ``last`` is the greatest known, the
    final range is open (high = 2**63 - 1) so a row beyond it is never left out."""
    bounds = list(range(after, last, size))[1:] if last > after else []
    edges = [after, *bounds, (1 << 63) - 1]
    return list(zip(edges, edges[1:]))


def rows_between(conn: sqlite3.Connection, phys: str, low: int, high: int) -> int:
    """Rows of ``phys`` with low < rowid <= high (a range of the rowid b-tree: fast)."""
    return conn.execute(f"SELECT count(*) FROM {phys} WHERE rowid > ? AND rowid <= ?", (low, high)).fetchone()[0]


def own_index(conn: sqlite3.Connection, table: str) -> str:
    """Index ``table`` alone in a temporary word index (see OWN_INDEX_ROWS); SQL for the physical rowids of its
    rows matching the FTS query bound as the one parameter, as ``hits_sql`` gives them from the vault's index."""
    expr = INDEXED[table][1]
    name = f"dv_text_own_{table}"
    conn.execute(f"DROP TABLE IF EXISTS temp.{name}")
    conn.execute(f"CREATE VIRTUAL TABLE temp.{name} USING fts5({FTS_OPTIONS})")
    conn.execute(f"INSERT INTO temp.{name}(rowid, body) SELECT rowid, {readable(expr)} FROM {physical(conn, table)} "
                 f"WHERE {expr} IS NOT NULL")
    return f"SELECT rowid FROM temp.{name} WHERE {name} MATCH ?"


def hits_sql(schema: str, table: str) -> str:
    """SQL for the physical rowids of ``table`` matching the FTS query bound as the one parameter."""
    code = INDEXED[table][0]
    return (
        f"SELECT rowid / {CODE_BITS} FROM {schema}.{INDEX} WHERE {INDEX} MATCH ? "
        f"AND rowid % {CODE_BITS} = {code}"
    )
