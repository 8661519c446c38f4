"""Hourly rollups: the vault's big tables counted per hour, kept up to date incrementally.

Hours of the day, weekdays, contacts' volumes, home and work cells: every one of these is a count over
millions of rows. Scanning the wide record tables (they keep each record's raw source text) for each report
costs seconds per million rows, so the counts are kept in small derived tables, one row per (key, hour),
grouped from the ``ts`` column (epoch seconds; wall-clock times as if UTC) with a flag saying whether the time
was an instant (shifted to the person's zone at report time) or wall-clock (already local). Like the word
index, a rollup catches up with rows added since the last report and is rebuilt when rows were removed.
Findings read rollups for counts and go back to the records only for the evidence they show.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from typing import Any

from datavault.findings.derived import physical
from datavault.findings.textindex import SLICE, rows_between, slices
from datavault.progress import NO_PROGRESS, ROLLUPS as PHASE, Progress

# a time that names its zone (an instant); LIKE '%Z' said the same a quarter slower over a million rows
INSTANT = "(substr(time, -1) IN ('Z', 'z') OR substr(time, -6, 1) IN ('+', '-'))"
HB = "CAST(ts AS INTEGER) / 3600"
BLOCK_HOURS = 720  # 30 days
COMMON = "n INTEGER, first TEXT, last TEXT, last_rowid INTEGER"
# first and last: only times with a ts (a time outside the plausible years, such as 9999-12-31, has none)
AGG = "count(*), min(iif(ts IS NULL, NULL, time)), max(iif(ts IS NULL, NULL, time)), max(rowid)"
# a part may have no time for a key (none of its rows has a ts): min() and max() of SQL return NULL if any
# argument is NULL, so the known time is kept
UPDATE = ("n = n + excluded.n, first = coalesce(min(first, excluded.first), first, excluded.first), "
          "last = coalesce(max(last, excluded.last), last, excluded.last), "
          "last_rowid = max(last_rowid, excluded.last_rowid)")

# A table with several rollups is first grouped once per slice by the finest key they all derive from (for
# messages: conversation, sender, side and hour; for locations: cell and hour), into a small temporary table;
# each rollup of ``USES`` then groups that instead of the records (one sort of a million rows instead of one per
# rollup). Their expressions name the pre-grouped columns, and their counts and times are merged with PRE_AGG.
CELL = "round(lat, 3) AS clat, round(lon, 3) AS clon"
PRE_COLUMNS = ("count(*) AS n, min(iif(ts IS NULL, NULL, time)) AS first, max(iif(ts IS NULL, NULL, time)) AS last, "
               "max(rowid) AS last_rowid")
# table -> (key expressions, number of keys, WHERE over the records)
PREGROUPED = {
    # the hour first: records come roughly in time order, and SQLite's sort is then quickest
    "messages": (f"{HB} AS hb, coalesce(conversation, '') AS conv, coalesce(platform, '') AS platform, "
                 f"coalesce(from_owner, -1) AS from_owner, coalesce(sender, '') AS sender, {INSTANT} AS instant", 6,
                 "1"),
    "locations": (f"{HB} AS hb, {CELL}, {INSTANT} AS instant", 4,
                  "ts IS NOT NULL AND lat IS NOT NULL AND lon IS NOT NULL"),
}
AREA_WEEKS = "dv_roll_area_weeks"
AREA_DECIMALS = 2  # its areas: round(lat, 2), round(lon, 2) of the 100 m cells (0.01 degree, about 1 km)
USES = {"dv_roll_msg_hours", "dv_roll_msg_week", "dv_roll_senders", "dv_roll_msg_days", AREA_WEEKS,
        "dv_roll_cell_days", "dv_roll_loc_days"}
PRE_AGG = "sum(n), min(first), max(last), max(last_rowid)"
PRE_TABLE = "dv_roll_pre"


@dataclasses.dataclass(frozen=True)
class Kept:
    """What a rollup keeps beside its keys: the columns (DDL), their aggregate over records and over the
    pre-grouping, and how a group merges into the row of the same key."""

    ddl: str
    agg: str
    pre_agg: str
    update: str

    @property
    def columns(self) -> list[str]:
        return [c.split()[0] for c in self.ddl.split(", ")]


FULL = Kept(COMMON, AGG, PRE_AGG, UPDATE)
# the count alone, for a rollup whose first and last times nothing reads: ``dv_roll_msg_hours`` has a row per
# conversation, 30-day block and hour, and on 300,000 Messenger messages in 2,000 threads those columns were half
# of its 12 MB (about 6 % of the vault)
COUNT = Kept("n INTEGER", "count(*)", "sum(n)", "n = n + excluded.n")
COUNTS_ONLY = {"dv_roll_msg_hours"}


def kept(name: str) -> Kept:
    return COUNT if name in COUNTS_ONLY else FULL


# rollup -> (source table, key columns DDL, key expressions, WHERE, extra columns DDL, extra aggregates, extra update)
ROLLUPS: dict[str, tuple[str, str, str, str, str, str, str]] = {
    # messages per conversation and clock hour, per 30-day block (the zone's offset is taken at the block's
    # middle: a daylight-saving change shifts at most the days between it and the block's edge by an hour)
    "dv_roll_msg_hours": (
        "messages", "conv TEXT, platform TEXT, from_owner INTEGER, instant INTEGER, blk INTEGER, hod INTEGER",
        f"conv, platform, from_owner, instant, hb / {BLOCK_HOURS}, hb % 24", "hb IS NOT NULL", "", "", ""),
    # messages per side and hour of the week (for the weekday x hour grid), per 30-day block
    "dv_roll_msg_week": (
        "messages", "from_owner INTEGER, instant INTEGER, blk INTEGER, how INTEGER",
        f"from_owner, instant, hb / {BLOCK_HOURS}, hb % 168", "hb IS NOT NULL", "", "", ""),
    "dv_roll_senders": (
        "messages", "conv TEXT, platform TEXT, sender TEXT, from_owner INTEGER",
        "conv, platform, sender, from_owner", "1", "", "", ""),
    "dv_roll_activities": (
        "activities", "product TEXT, action TEXT, instant INTEGER, hb INTEGER",
        f"coalesce(product, ''), coalesce(action, ''), {INSTANT}, {HB}", "ts IS NOT NULL", "", "", ""),
    "dv_roll_posts": ("posts", "instant INTEGER, hb INTEGER", f"{INSTANT}, {HB}", "ts IS NOT NULL", "", "", ""),
    # location points per area of AREA_DECIMALS (about 1 km: uniqueness's cells, all that reads it) and hour of
    # the week, per 30-day block; ``weeks``: which of the block's (up to five) weeks had a point then (bit k =
    # week k), so distinct days add up exactly across slices and imports. Areas, not the pre-grouping's 100 m
    # cells: a walk of 2,000,000 points gave 1,311,647 rows of cells (6.5 s to fill, 5.4 s for uniqueness to
    # group) and gives 10 times fewer of areas
    AREA_WEEKS: (
        "locations", "clat REAL, clon REAL, instant INTEGER, blk INTEGER, how INTEGER",
        f"round(clat, {AREA_DECIMALS}), round(clon, {AREA_DECIMALS}), instant, hb / {BLOCK_HOURS}, hb % 168", "1",
        ", weeks INTEGER",
        f", sum(DISTINCT 1 << ((hb % {BLOCK_HOURS}) / 168))", ", weeks = weeks | excluded.weeks"),
    # location per (cell, UTC day): which of the day's 24 hours had a record (bit h = hour h), for dwell and
    # schedules (places.py); one row per cell and day, so a year of points is a few thousand rows. Grouped from
    # the pre-grouping (USES), which holds each (hour, cell, instant) once: a plain sum() of the hours' bits is
    # their OR, without the DISTINCT that costs a temporary b-tree per group (a tenth of this rollup's time)
    "dv_roll_cell_days": (
        "locations", "clat REAL, clon REAL, instant INTEGER, day INTEGER",
        "clat, clon, instant, hb / 24", "1", ", hours INTEGER",
        ", sum(1 << (hb % 24))", ", hours = hours | excluded.hours"),
    # location per UTC day, whatever the cell: which of the day's hours had a record (bit h = hour h), for the days
    # of location history. Grouping the per-cell days instead took 1.3 s on 5,000,000 points (2,386,689 rows)
    "dv_roll_loc_days": (
        "locations", "instant INTEGER, day INTEGER", "instant, hb / 24", "1", ", hours INTEGER",
        ", sum(DISTINCT 1 << (hb % 24))", ", hours = hours | excluded.hours"),
    # visits with their end: (cell, first hour, last hour) so a stay from 22:00 to 07:00 counts every hour
    "dv_roll_stays": (
        "locations", "clat REAL, clon REAL, instant INTEGER, hb INTEGER, hb_end INTEGER",
        f"round(lat, 3), round(lon, 3), {INSTANT}, {HB}, (CAST(strftime('%s', end_time) AS INTEGER) - 1) / 3600",
        "kind = 'visit' AND end_time IS NOT NULL AND ts IS NOT NULL AND lat IS NOT NULL AND lon IS NOT NULL",
        "", "", ""),
    # messages per side and UTC day, with the day's hours as bits (days of own activity, nights active)
    "dv_roll_msg_days": (
        "messages", "from_owner INTEGER, instant INTEGER, day INTEGER",
        "from_owner, instant, hb / 24", "hb IS NOT NULL", ", hours INTEGER", ", sum(DISTINCT 1 << (hb % 24))",
        ", hours = hours | excluded.hours"),
    "dv_roll_places": (
        "locations", "place TEXT, semantic TEXT, day TEXT",
        "coalesce(place_name, ''), coalesce(semantic_type, ''), coalesce(substr(time, 1, 10), '')",
        "place_name IS NOT NULL OR semantic_type IS NOT NULL",
        ", lat_sum REAL, lon_sum REAL, dwell REAL",
        ", sum(lat), sum(lon), sum(max(0, coalesce(strftime('%s', end_time) - strftime('%s', time), 0)))",
        ", lat_sum = lat_sum + excluded.lat_sum, lon_sum = lon_sum + excluded.lon_sum, "
        "dwell = dwell + excluded.dwell"),
}
STATE = "dv_roll_state"
SLICE_ROWS = SLICE  # rowids a slice of a refresh reads (its pre-grouping is held in memory)
# rollups of earlier versions, dropped on the first refresh (dv_roll_msg_conv: dv_roll_msg_hours with first and last)
OBSOLETE = ("dv_roll_cells", "dv_roll_cell_weeks", "dv_roll_msg_conv")
REWRITTEN = "@rows_rewritten"  # the state row that remembers the vault's meta.rows_rewritten at the last refresh


def _rows_rewritten(conn: sqlite3.Connection) -> int:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'rows_rewritten'").fetchone()
    except sqlite3.OperationalError:
        return 0
    return int(row[0]) if row else 0


def create(conn: sqlite3.Connection, schema: str) -> None:
    for name, (_, keys, _, _, extra_cols, _, _) in ROLLUPS.items():
        conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{name} ({keys}, {kept(name).ddl}{extra_cols}, "
                     f"PRIMARY KEY ({', '.join(_key_names(keys))})) WITHOUT ROWID")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{STATE} (tbl TEXT PRIMARY KEY, max_rowid INTEGER, n INTEGER)")


def fill_slice(conn: sqlite3.Connection, schema: str, names: list[str], phys: str, low: int, high: int) -> None:
    """Add the rows of ``phys`` with ``low`` < rowid <= ``high`` to each rollup of ``names`` (all over the same
    table) in ``schema``: the slice's groups are merged into the rows already there, as an incremental refresh
    does. Reads only the records, so a second process can fill a scratch database's rollups
    (``parallel.RollupShare``)."""
    table = ROLLUPS[names[0]][0]
    pre = PREGROUPED.get(table) if any(name in USES for name in names) else None
    if pre is not None:
        keys, n_pre, where = pre
        conn.execute(f"DROP TABLE IF EXISTS temp.{PRE_TABLE}")
        conn.execute(f"CREATE TEMP TABLE {PRE_TABLE} AS SELECT {keys}, {PRE_COLUMNS} FROM {phys} "
                     f"WHERE rowid > ? AND rowid <= ? AND ({where}) "
                     f"GROUP BY {', '.join(map(str, range(1, n_pre + 1)))}", (low, high))
    for name in names:
        _, keys, exprs, where, _, extra_aggs, _ = ROLLUPS[name]
        grouped = pre is not None and name in USES
        source, agg = (f"temp.{PRE_TABLE}", kept(name).pre_agg) if grouped else (phys, kept(name).agg)
        conn.execute(
            f"INSERT INTO {schema}.{name} SELECT {exprs}, {agg}{extra_aggs} FROM {source} "
            f"WHERE {'' if grouped else 'rowid > ? AND rowid <= ? AND '}({where}) "
            f"GROUP BY {', '.join(str(i) for i in range(1, len(_key_names(keys)) + 1))} {_merged(name)}",
            () if grouped else (low, high))
    if pre is not None:
        conn.execute(f"DROP TABLE IF EXISTS temp.{PRE_TABLE}")


def merge(conn: sqlite3.Connection, schema: str, other: sqlite3.Connection, names: list[str]) -> None:
    """Add the rollups ``names`` of the database ``other`` (a scratch database a second process filled) into
    ``schema``'s, as if their slices had been filled here: counts add up, first and last widen, bits join.
    Read through a connection of their own, a batch at a time (attached to this one, the scratch database would
    join this transaction, and the two processes' locks on it would wait on each other)."""
    for name in names:
        _, keys, _, _, extra_cols, _, _ = ROLLUPS[name]
        columns = [*_key_names(keys), *kept(name).columns,
                   *(c.split()[0] for c in extra_cols.split(", ") if c)]
        insert = (f"INSERT INTO {schema}.{name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                  f"{_merged(name)}")
        rows = other.execute(f"SELECT {', '.join(columns)} FROM {name}")
        while batch := rows.fetchmany(10_000):
            conn.executemany(insert, batch)


def _key_names(keys: str) -> list[str]:
    return [part.split()[0] for part in keys.split(", ")]


def _merged(name: str) -> str:
    """The upsert clause that merges a group into rollup ``name``'s row of the same key."""
    _, keys, _, _, _, _, extra_update = ROLLUPS[name]
    return f"ON CONFLICT ({', '.join(_key_names(keys))}) DO UPDATE SET {kept(name).update}{extra_update}"


CONVERSATION_INDEX = "dv_ix_messages_conversation_ts"
INDEXES = (
    # reply times read each contact's latest messages backwards, and a chat's language its first ones: one index
    # range scan instead of a sort
    (CONVERSATION_INDEX, "rec_messages", "conversation, ts, from_owner"),
)


@dataclasses.dataclass
class Group:
    """Rollups over the same table that read the same rows: those after ``start``, up to ``now``'s."""

    names: list[str]
    phys: str
    start: int
    now: tuple[int, int]  # the table's (greatest rowid, rows), remembered as the rollups' state
    rows: int  # how many rows that is (the progress's total)


@dataclasses.dataclass
class Plan:
    """What a refresh will do (``plan``), decided before any of it is written (``apply``): so a second process
    can start on the slices while this one still builds the word index."""

    schema: str
    reset: bool  # an import rewrote old rows (their owner) since the last refresh: every rollup starts again
    rewritten: int  # the vault's meta.rows_rewritten, remembered when ``reset``
    clear: list[str]  # rollups started again because rows were removed
    groups: list[Group]

    @functools.cached_property
    def slices(self) -> list[tuple[list[str], str, int, int]]:
        """Every slice to fill, numbered by its place here (the numbers both processes take from the queue):
        (rollups, physical table, low, high) for the rowids low < rowid <= high."""
        return [(g.names, g.phys, low, high) for g in self.groups
                for low, high in slices(g.start, g.now[0], SLICE_ROWS)]


def plan(conn: sqlite3.Connection, schema: str, known: dict[str, tuple[int, int]] | None = None) -> Plan:
    """Decide the refresh of every rollup in ``schema`` (``main``, or ``temp`` for a read-only vault), writing
    nothing but missing empty tables."""
    create(conn, schema)
    state = {t: (m, n) for t, m, n in conn.execute(f"SELECT tbl, max_rowid, n FROM {schema}.{STATE}")}
    rewritten = _rows_rewritten(conn)
    reset = state.get(REWRITTEN, (0, 0))[0] != rewritten
    if reset:
        state = {}
    current: dict[str, tuple[int, int] | None] = {}
    clear: list[str] = []
    together: dict[tuple[str, int], Group] = {}  # rollups reading the same rows are filled in one pass
    for name, spec in ROLLUPS.items():
        table = spec[0]
        phys = physical(conn, table)
        if table not in current:
            current[table] = (tuple((known or {}).get(table) or conn.execute(
                f"SELECT coalesce(max(rowid), 0), count(*) FROM {phys}").fetchone()) if phys else None)
        now = current[table]
        if now is None or state.get(name, (0, 0)) == now:
            continue
        old_max, old_n = state.get(name, (0, 0))
        added = conn.execute(f"SELECT count(*) FROM {phys} WHERE rowid > ?", (old_max,)).fetchone()[0]
        if old_n + added != now[1]:  # rows were removed: start this rollup again
            clear.append(name)
            old_max, added = 0, now[1]
        group = together.setdefault((phys, old_max), Group([], phys, old_max, now, added))
        group.names.append(name)
    return Plan(schema, reset, rewritten, clear, list(together.values()))


def create_indexes(conn: sqlite3.Connection) -> None:
    """The record tables' indexes that the findings read (``INDEXES``), where missing."""
    for name, table, cols in INDEXES:
        if physical(conn, table.removeprefix("rec_")):
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table}({cols})")


def apply(conn: sqlite3.Connection, plan: Plan, progress: Progress = NO_PROGRESS, share: Any = None) -> None:
    """Carry out ``plan`` in one transaction. ``share`` (``parallel.RollupShare``): a second process that takes
    slices too, meanwhile, and fills them into a scratch database that is merged here once it is done."""
    schema = plan.schema
    for name in OBSOLETE:
        conn.execute(f"DROP TABLE IF EXISTS {schema}.{name}")
        conn.execute(f"DELETE FROM {schema}.{STATE} WHERE tbl = ?", (name,))
    if schema == "main":
        create_indexes(conn)
    if plan.reset:
        for name in ROLLUPS:
            conn.execute(f"DELETE FROM {schema}.{name}")
        conn.execute(f"INSERT OR REPLACE INTO {schema}.{STATE}(tbl, max_rowid, n) VALUES (?, ?, 0)",
                     (REWRITTEN, plan.rewritten))
    for name in plan.clear:
        conn.execute(f"DELETE FROM {schema}.{name}")
    progress.phase(PHASE, sum(len(g.names) * g.rows for g in plan.groups))
    every = plan.slices

    def fill(i: int) -> None:
        names, phys, low, high = every[i]
        fill_slice(conn, schema, names, phys, low, high)
        if progress is not NO_PROGRESS:  # a record counts once for each rollup over its table
            progress.advance(rows_between(conn, phys, low, high) * len(names))

    left = set(range(len(every)))
    if share is not None:
        left -= share.fill(conn, fill)  # both processes take slices; the other's are merged in
    for i in sorted(left):
        fill(i)
    for group in plan.groups:
        conn.executemany(f"INSERT OR REPLACE INTO {schema}.{STATE}(tbl, max_rowid, n) VALUES (?, ?, ?)",
                         [(name, *group.now) for name in group.names])
    conn.commit()


def refresh(conn: sqlite3.Connection, schema: str, known: dict[str, tuple[int, int]] | None = None,
            progress: Progress = NO_PROGRESS) -> None:
    """Bring every rollup up to date in ``schema`` (``main``, or ``temp`` for a read-only vault). ``progress``
    hears one phase, in records read (a record counts once for each rollup over its table)."""
    apply(conn, plan(conn, schema, known), progress)
