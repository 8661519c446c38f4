"""The vault: one SQLite file, its schema, its views, and the fast write path.

Tables are SQLModel classes. Each export table of the contract has a physical table ``rec_<table>`` holding
the contract fields plus what keeps a record honest: ``key`` (a 64-bit digest of its natural key, unique),
``sources`` (the ids of every import that held it, `` 3 7 ``), provenance (``file_id``, ``locator``),
``raw`` (the original text), ``extra`` (JSON of everything else) and ``ts`` (a sortable number). The contract's
table names are SQL *views* over these, so ``sqlite3``, Datasette or pandas see exactly what ``export`` shows.
A record's ``source_file`` is stored once per name, in ``file_names``: the row keeps its id (``file_id``), and
SQL that wants the name reads ``FILE_NAME`` (a chat's file name in each of a million rows was an eighth of the
vault).

Bookkeeping tables: ``meta`` (schema version, key scheme, data version, the layout's marker), ``sources`` (one
row per imported export), ``files`` (the inventory: one row per archive member) and ``problems``.

The engine is configured once: WAL, ``synchronous=NORMAL``, foreign keys on, a busy timeout, and temporary
tables kept in memory (SQLite must not spill the person's data into /tmp while sorting). Transactions are
explicit: one ``BEGIN`` ... ``COMMIT`` per import, so an interrupted import leaves the vault as it was. An import
writes with a rollback journal (new pages written once). Natural keys are time-ordered where the key holds a time
(``natural_key``), so a large import appends to its indexes; in an older vault of plain digests the page cache
grows with the tables instead (``fit_cache``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import operator
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

import orjson
from sqlalchemy import BigInteger, bindparam, case, event, func, literal_column, null, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Field, SQLModel, create_engine

from datavault import faults
from datavault import records as R
from datavault.errors import UserError
from datavault.layout import (  # noqa: F401  (the store's names, also read from here)
    FILE_NAME, PERSON_ROWS, SCHEMA_VERSION, WORD_INDEX_CODES, WORD_INDEX_STRIDE, leave_marker, person_rows_ddl)
from datavault.timeutil import PLAUSIBLE_FROM, PLAUSIBLE_UNTIL


def _fts_rowid(table: str) -> tuple[str]:
    return (f"id * {WORD_INDEX_STRIDE} + {WORD_INDEX_CODES[table]} AS fts_rowid",)


# ---------------------------------------------------------------------------------------------------------------
# bookkeeping


class Meta(SQLModel, table=True):
    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


class Source(SQLModel, table=True):
    """One imported export (an input as the user named it; a multi-part set is one)."""

    __tablename__ = "sources"
    id: Optional[int] = Field(default=None, primary_key=True)
    platform: str  # the importers that read it, e.g. "whatsapp" or "google"
    label: str  # the input's name
    kind: str  # zip, zipset, folder, file
    fingerprint: str = Field(index=True, unique=True)
    imported_at: str
    updated_at: str
    notes: str = "{}"  # JSON: decisions taken for the whole export (owner, ...)


class FileEntry(SQLModel, table=True):
    """The inventory: what became of every member of every archive."""

    __tablename__ = "files"
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="sources.id", index=True, ondelete="CASCADE")
    member: str
    size: Optional[int] = None
    importer: Optional[str] = None
    status: str  # parsed, skipped, unknown, failed
    records: int = 0  # records read from it
    new_records: int = 0  # of those, new to the vault
    problems: int = 0
    first_time: Optional[str] = None
    last_time: Optional[str] = None
    tables: str = "{}"  # JSON {table: records read}
    detail: str = "{}"  # JSON: the reason (skipped, failed) and the importer's notes
    # a member read in full: what identified its content and the options that shaped its reading (JSON), and
    # every note the importer yielded (a JSON list of [name, value]); with them an unchanged member imported
    # again is not read again (pipeline). NULL: it will be read again.
    fingerprint: Optional[str] = None
    member_notes: Optional[str] = None
    # a chat read in full: where a later, longer copy of it may be read on from (records.Checkpoint as JSON:
    # size, digests, the importer's state, the records it covers); NULL: a later copy is read whole
    resume: Optional[str] = None


class ProblemRow(SQLModel, table=True):
    __tablename__ = "problems"
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="sources.id", index=True, ondelete="CASCADE")
    member: str
    locator: Optional[str] = None
    message: str
    severity: str = "error"


class WrittenFile(SQLModel, table=True):
    """A file or folder datavault wrote outside the vault that holds the vault's data (a saved report, the
    demo's exports), so that ``forget`` can say it still exists and offer to remove it."""

    __tablename__ = "written_files"
    path: str = Field(primary_key=True)  # absolute
    kind: str  # report, demo exports, demo report
    written_at: str  # UTC, as sources.imported_at


class PersonDecision(SQLModel, table=True):
    """The user's own word on people linking (``datavault people merge A B`` / ``split A``), by identity keys
    (datavault/people.py), never by row ids: it survives re-imports and the rebuild of the derived linking."""

    __tablename__ = "person_decisions"
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str  # merge, split
    a: str
    b: Optional[str] = None
    made_at: str


class FileName(SQLModel, table=True):
    """Each ``source_file`` once: a record table's ``file_id`` names its row here."""

    __tablename__ = "file_names"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


def file_name_of(table: str) -> str:
    """SQL: the ``source_file`` of ``table``'s row (a table name or alias), where another table is in scope."""
    return f"(SELECT name FROM file_names WHERE file_names.id = {table}.file_id)"


class RawBlock(SQLModel, table=True):
    """The original texts (``raw``) of a batch of records, compressed together (datavault/rawstore.py); a
    record's ``raw`` is then a 6-byte reference to its block and place."""

    __tablename__ = "raw_blocks"
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: int = Field(index=True)  # the import that wrote it: forget of that import deletes it
    data: bytes


# ---------------------------------------------------------------------------------------------------------------
# record tables: one per export table of the contract


class _RecordColumns(SQLModel):
    # the columns the writer computes come first, then those it takes from the record (see RowBuilder)
    id: Optional[int] = Field(default=None, primary_key=True)
    key: int = Field(unique=True, index=True, nullable=False, sa_type=BigInteger)
    sources: str  # " 3 7 ": every import that held this record
    file_id: Optional[int] = None  # its source_file, in file_names
    extra: Optional[str] = None  # JSON
    locator: Optional[str] = None
    raw: Optional[str] = None
    ts: Optional[float] = Field(default=None, index=True)


class RecMessage(_RecordColumns, table=True):
    __tablename__ = "rec_messages"
    time: Optional[str] = None
    platform: str
    conversation: Optional[str] = None
    sender: Optional[str] = None
    from_owner: Optional[bool] = None
    text: Optional[str] = None
    kind: str = "text"
    edited: bool = False


class RecActivity(_RecordColumns, table=True):
    __tablename__ = "rec_activities"
    time: Optional[str] = None
    platform: str
    product: Optional[str] = Field(default=None, index=True)
    action: Optional[str] = None
    title: Optional[str] = None
    url: Optional[str] = None


class RecLocation(_RecordColumns, table=True):
    __tablename__ = "rec_locations"
    time: Optional[str] = None
    end_time: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    accuracy_m: Optional[float] = None
    kind: str = "point"
    place_name: Optional[str] = None
    semantic_type: Optional[str] = None
    mode: Optional[str] = None
    platform: str = "google"


class RecPerson(_RecordColumns, table=True):
    __tablename__ = "rec_people"
    name: Optional[str] = None
    platform: str
    relation: str
    since: Optional[str] = None
    phones: str = "[]"  # JSON list
    emails: str = "[]"  # JSON list


class RecPurchase(_RecordColumns, table=True):
    __tablename__ = "rec_purchases"
    time: Optional[str] = None
    platform: str
    item: Optional[str] = None
    merchant: Optional[str] = None
    amount: Optional[float] = None
    currency: Optional[str] = None
    payment_method: Optional[str] = None


class RecPlatformInference(_RecordColumns, table=True):
    __tablename__ = "rec_platform_inferences"
    platform: str
    category: str
    value: str
    time: Optional[str] = None


class RecProfile(_RecordColumns, table=True):
    __tablename__ = "rec_profile"
    platform: str
    field: str
    value: str
    time: Optional[str] = None


class RecPost(_RecordColumns, table=True):
    __tablename__ = "rec_posts"
    time: Optional[str] = None
    platform: str
    kind: str
    text: Optional[str] = None
    target: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class ExportTable:
    """One export table of the contract: its view, its physical table and its fields in contract order."""

    name: str
    model: type[_RecordColumns]
    record_type: type
    fields: tuple[str, ...]
    booleans: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    # a record read again from another file keeps that file too, in extra.also_from (one observation, every
    # origin: the Takeout's Records.json and the phone's Timeline.json holding the same fix)
    keeps_every_file: bool = False
    # columns the SQL view adds after the contract fields (SQL expressions ``... AS name``), derived data
    view_columns: tuple[str, ...] = ()

    @property
    def physical(self) -> str:
        return self.model.__tablename__

    @property
    def field_columns(self) -> str:
        """SQL: the contract fields, in order, from a row of the physical table (``source_file`` by its id)."""
        return ", ".join(f"{FILE_NAME} AS source_file" if f == "source_file" else f for f in self.fields)


EXPORT_TABLES: dict[str, ExportTable] = {t.name: t for t in (
    ExportTable("messages", RecMessage, R.Message,
                ("time", "platform", "conversation", "sender", "from_owner", "text", "kind", "edited",
                 "source_file", "locator"), booleans=("from_owner", "edited"), view_columns=_fts_rowid("messages")),
    ExportTable("activities", RecActivity, R.Activity,
                ("time", "platform", "product", "action", "title", "url", "source_file", "locator"),
                view_columns=_fts_rowid("activities")),
    ExportTable("locations", RecLocation, R.Location,
                ("time", "end_time", "lat", "lon", "accuracy_m", "kind", "place_name", "semantic_type", "mode",
                 "platform", "source_file", "locator"), keeps_every_file=True),
    ExportTable("people", RecPerson, R.Person,
                ("name", "platform", "relation", "since", "phones", "emails", "source_file"),
                lists=("phones", "emails"),
                view_columns=(f"(SELECT person FROM {PERSON_ROWS} WHERE people_rowid = rec_people.id) AS person",)),
    ExportTable("purchases", RecPurchase, R.Purchase,
                ("time", "platform", "item", "merchant", "amount", "currency", "payment_method", "source_file",
                 "locator"), view_columns=_fts_rowid("purchases")),
    ExportTable("platform_inferences", RecPlatformInference, R.PlatformInference,
                ("platform", "category", "value", "time", "source_file")),
    ExportTable("profile", RecProfile, R.ProfileFact,
                ("platform", "field", "value", "time", "source_file")),
    ExportTable("posts", RecPost, R.Post,
                ("time", "platform", "kind", "text", "target", "source_file", "locator"),
                view_columns=_fts_rowid("posts")),
)}


def _another_file(stored: str, incoming: str) -> str:
    """SQL: the ``incoming`` row comes from a file the ``stored`` row does not name yet."""
    return (f"{incoming}.file_id IS NOT {stored}.file_id AND NOT EXISTS (SELECT 1 FROM "
            f"json_each({stored}.extra, '$.also_from') WHERE json_extract(value, '$.source_file') = "
            f"{file_name_of(incoming)})")


def _with_file(stored: str, incoming: str) -> str:
    """SQL: ``stored``'s extra with ``incoming``'s file and origin added to ``also_from``."""
    return (f"json_set(coalesce({stored}.extra, '{{}}'), '$.also_from', json(json_insert(coalesce(json_extract("
            f"{stored}.extra, '$.also_from'), '[]'), '$[#]', json_object('source_file', {file_name_of(incoming)}, "
            f"'origin', json_extract({incoming}.extra, '$.origin')))))")


def _view_sql(table: ExportTable) -> str:
    # every contract field in contract order (source_file by its id), what the view adds (people: the person;
    # fts_rowid), then the physical `ts` (ordering for other tools) and extra
    cols = ", ".join((table.field_columns,) + table.view_columns)
    return f"CREATE VIEW {table.name} AS SELECT {cols}, ts, extra FROM {table.physical}"


# ---------------------------------------------------------------------------------------------------------------
# keys and rows


def natural_key(table: ExportTable, record: Any, time_ordered: bool = False) -> int:
    """The 64-bit digest of a record's natural key (table + platform + the importer's key parts).

    A digest of the *key*, not of the row: adding a field later does not change it. Key parts are strings,
    integers, None or tuples of them (their ``repr`` is the material, so ``1`` and ``1.0`` differ: importers
    keep one type per part). A record without key parts falls back to its contract fields and provenance.

    ``time_ordered`` (the vault's key scheme, see ``Vault.time_ordered_keys``): a record that gives its
    ``key_time`` gets the hour of that time in the key's top 20 bits and 44 bits of the digest below. Keys then
    grow with time, so a large import adds to the end of the key index instead of to random pages all over it
    (8 million points: half the writer's time). Two records can then only collide within the same hour.
    """
    return digest_key(table.name, *key_material(table, record, time_ordered))


def key_material(table: ExportTable, record: Any, time_ordered: bool) -> tuple:
    """What ``digest_key`` needs to make ``record``'s key, without the record: platform, key parts, key time."""
    return record.platform, record.key or _fallback_key(table, record), record.key_time if time_ordered else None


def digest_key(table_name: str, platform: str, parts: tuple, key_time: str | None) -> int:
    """``natural_key`` from its material (``key_material``): also what a writer computes for rows a reading
    process left unkeyed. The digest is BLAKE2b-64 of ``repr((table_name, platform, parts))`` in UTF-8, fed as a
    hasher that has already read ``(table_name, platform, `` (``_hasher``) and then ``repr(parts)``, which is
    the same text: a new hasher with its parameters costs more than the digest of a key."""
    hasher = (_HASHERS.get((table_name, platform)) or _hasher(table_name, platform)).copy()
    hasher.update((repr(parts) + ")").encode("utf-8", "surrogatepass"))
    digest = hasher.digest()
    if key_time:
        return ((_key_hour(key_time) << 44) | (int.from_bytes(digest, "big") & _LOW_44)) - _HALF_RANGE
    return int.from_bytes(digest, "big", signed=True)


_LOW_44 = (1 << 44) - 1
_HALF_RANGE = 1 << 63  # time-ordered keys run from -2**63 (the year 2000 and before) upwards
_HOUR_ZERO = dt.date(2000, 1, 1).toordinal()
_HOURS: dict[str, int] = {}  # "YYYY-MM-DDTHH" -> its hour since 2000, the key's top bits


def _key_hour(when: str) -> int:
    """Hours since 2000-01-01T00 of ``when`` (its first 13 characters), kept within 20 bits (up to 2119): any
    string gives a number, always the same one, and later hours give larger numbers."""
    text = when[:13]
    hour = _HOURS.get(text)
    if hour is None:
        try:
            day = dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10])).toordinal()
            hour = min(max((day - _HOUR_ZERO) * 24 + int(text[11:13]), 0), (1 << 20) - 1)
        except ValueError:
            hour = 0
        if len(_HOURS) > 100_000:
            _HOURS.clear()
        _HOURS[text] = hour
    return hour


def _fallback_key(table: ExportTable, record: Any) -> tuple:
    return tuple(getattr(record, f, None) for f in table.fields if f != "source_file") + (record.locator,)


_blake = hashlib.blake2b
_HASHERS: dict[tuple[str, str], Any] = {}  # (table, platform) -> a BLAKE2b-64 that has read their part of the key


def _hasher(table_name: str, platform: str) -> Any:
    """A BLAKE2b-64 hasher fed with ``repr((table_name, platform, parts))`` up to ``parts``: the text of every
    key of that table and platform starts so (a tuple's repr is its items' reprs, joined by ", ", in brackets)."""
    head = repr((table_name, platform, None))[:-len("None)")]
    hasher = _HASHERS[(table_name, platform)] = _blake(head.encode("utf-8", "surrogatepass"), digest_size=8)
    return hasher


_json_extra = json.JSONEncoder(ensure_ascii=False, default=str).encode
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _dump_extra(extra: dict) -> str:
    """A record's extra fields as JSON: orjson, about eight times faster than ``json`` (a per-record cost on
    the import's critical path); ``json`` for what orjson refuses (integers beyond 64 bits, lone surrogates).
    Values it does not know become their ``str``, as with ``json.dumps(default=str)``."""
    try:
        return orjson.dumps(extra, default=str, option=_ORJSON_OPTIONS).decode()
    except (orjson.JSONEncodeError, TypeError):
        return _json_extra(extra)
COMPUTED = ("key", "sources", "source_file", "extra")  # what RowBuilder.row puts first, in this order


class RowBuilder:
    """Turns the records of one table into parameter tuples for its compiled upsert, in the statement's own
    order: the computed columns (``COMPUTED``), then the record's attributes as the statement numbers them
    (each once: ``time`` too, from which SQLite derives ``ts``). This runs once per record: it is kept to one
    tuple.

    ``keyed`` False (a reading process whose writer has time to spare): the key's place holds its material
    (``key_material``) instead, and the writer digests it (``add_keys``) before writing."""

    def __init__(self, table: ExportTable, source_token: str, time_ordered: bool = False):
        self.table = table
        self.name = table.name
        self.token = source_token
        self.time_ordered = time_ordered
        self.keyed = True
        self.statement = upsert_statement(table)
        self.attributes = self.statement.positions[len(COMPUTED):]
        self.values = operator.attrgetter(*self.attributes)
        self.list_positions = [len(COMPUTED) + self.attributes.index(name) for name in table.lists]
        self.time_position = len(COMPUTED) + self.attributes.index("time") if "time" in self.attributes else None
        self.raw_position = len(COMPUTED) + self.attributes.index("raw")
        self.pending: list[tuple] = []

    def row(self, record: Any, member: str) -> tuple:
        extra = record.extra
        material = key_material(self.table, record, self.time_ordered)
        row = (digest_key(self.name, *material) if self.keyed else material, self.token,
               record.source_file or member, _dump_extra(extra) if extra else None, *self.values(record))
        if self.list_positions:
            row = list(row)
            for i in self.list_positions:
                row[i] = json.dumps(row[i] or [], ensure_ascii=False)
            row = tuple(row)
        return row

    def add_keys(self, rows: list[tuple]) -> list[tuple]:
        """Rows built with ``keyed`` False, each with its key in its place (``digest_key``, written out: this
        runs once per row in the writer)."""
        name, hashers, from_bytes, key_hour = self.name, _HASHERS, int.from_bytes, _key_hour
        keyed = []
        append = keyed.append
        for row in rows:
            platform, parts, key_time = row[0]
            hasher = (hashers.get((name, platform)) or _hasher(name, platform)).copy()
            hasher.update((repr(parts) + ")").encode("utf-8", "surrogatepass"))
            digest = hasher.digest()
            key = (((key_hour(key_time) << 44) | (from_bytes(digest, "big") & _LOW_44)) - _HALF_RANGE if key_time
                   else from_bytes(digest, "big", signed=True))
            append((key, *row[1:]))
        return keyed

    def first_and_last(self, rows: list[tuple]) -> tuple[str | None, str | None, list[str]] | None:
        """The earliest and latest plausible ``time`` of these rows (None, None when they have none), and the
        implausible times among them (``timeutil.plausible``); None for a table without times."""
        if self.time_position is None:
            return None
        times = [t for t in map(operator.itemgetter(self.time_position), rows) if t]
        odd = [t for t in times if not (PLAUSIBLE_FROM <= t <= PLAUSIBLE_UNTIL)]
        if odd:
            times = [t for t in times if PLAUSIBLE_FROM <= t <= PLAUSIBLE_UNTIL]
        return (min(times), max(times), odd) if times else (None, None, odd)


@dataclasses.dataclass(frozen=True)
class WriteStatement:
    """A compiled Core upsert and the names of its positional parameters, in order."""

    sql: str
    positions: tuple[str, ...]

    def execute(self, cursor: Any, rows: list[tuple]) -> None:
        """Write ``rows`` through ``cursor`` (``driver_cursor``)."""
        cursor.executemany(self.sql, rows)


class FileNames:
    """The ``file_names`` an import's transaction has made sure of, by name: ``ids`` of a batch's rows (their
    ``source_file``, COMPUTED's third place) before the writer puts each row's id in that place."""

    def __init__(self) -> None:
        self.known: dict[str | None, int | None] = {None: None}

    def ids(self, cursor: Any, rows: list[tuple]) -> dict[str | None, int | None]:
        for name in {row[2] for row in rows} - self.known.keys():
            cursor.execute("INSERT OR IGNORE INTO file_names(name) VALUES (?)", (name,))
            self.known[name] = cursor.execute("SELECT id FROM file_names WHERE name = ?", (name,)).fetchone()[0]
        return self.known


def driver_cursor(conn: Connection) -> Any:
    """The sqlite3 cursor under a Core connection, inside its transaction, for an import's many small statements:
    Core's bookkeeping around each one costs about 30 us (a tenth of a Facebook export's import, with its
    thousands of thread files)."""
    return conn.connection.driver_connection.cursor()


def upsert_statement(table: ExportTable) -> WriteStatement:
    """INSERT a batch; a record already in the vault is kept as it is and only learns the new source id.
    ``ts`` (seconds since the epoch, to order and index by) is derived from ``time`` inside SQLite.

    The statement is built with Core and compiled once; batches go to the driver as one ``executemany`` of
    tuples (no per-row dicts: they cost more than SQLite's own work)."""
    tbl = table.model.__table__
    columns = [c.name for c in tbl.columns if c.name not in ("id", "ts")]
    values = {name: bindparam(name) for name in columns}
    # the row builder gives its file's name; the writer puts the name's id in its place (FileNames), so SQLite
    # does not look the name up for each row (0.35 s of a million chat rows)
    values["file_id"] = bindparam("source_file")
    if "time" in table.fields:
        epoch, day, ms = (literal_column(v) for v in ("2440587.5", "86400.0", "3"))
        # an implausible time (timeutil.PLAUSIBLE_*: year 9999, the epoch's first day) is kept, but gets no ts
        low, high = (literal_column(f"'{v}'") for v in (PLAUSIBLE_FROM, PLAUSIBLE_UNTIL))
        values["ts"] = case((bindparam("time").between(low, high),
                             func.round((func.julianday(bindparam("time")) - epoch) * day, ms)), else_=null())
    learn_source = f"instr({tbl.name}.sources, excluded.sources) = 0"
    if table.lists:
        # a person seen again (in another contact list, another export) keeps every phone and e-mail seen
        set_ = {"sources": text(f"CASE WHEN {learn_source} THEN {tbl.name}.sources || substr(excluded.sources, 2)"
                                f" ELSE {tbl.name}.sources END")}
        for name in table.lists:
            set_[name] = text(f"(SELECT json_group_array(value) FROM (SELECT value FROM json_each({tbl.name}.{name})"
                              f" UNION SELECT value FROM json_each(excluded.{name})))")
        stmt = sqlite_insert(tbl).values(values).on_conflict_do_update(index_elements=["key"], set_=set_)
    elif table.keeps_every_file:
        another = _another_file(tbl.name, "excluded")
        stmt = sqlite_insert(tbl).values(values).on_conflict_do_update(
            index_elements=["key"],
            set_={"sources": text(f"CASE WHEN {learn_source} THEN {tbl.name}.sources || substr(excluded.sources, 2)"
                                  f" ELSE {tbl.name}.sources END"),
                  "extra": text(f"CASE WHEN {another} THEN {_with_file(tbl.name, 'excluded')} "
                                f"ELSE {tbl.name}.extra END")},
            where=text(f"{learn_source} OR ({another})"),
        )
    else:
        stmt = sqlite_insert(tbl).values(values).on_conflict_do_update(
            index_elements=["key"],
            set_={"sources": tbl.c.sources + text("substr(excluded.sources, 2)")},
            where=text(learn_source),
        )
    compiled = stmt.compile(dialect=sqlite_dialect.dialect())
    sql, positions = _numbered(str(compiled), tuple(compiled.positiontup))
    if positions[:len(COMPUTED)] != COMPUTED:  # the record tables declare the computed columns first
        raise AssertionError(f"{tbl.name}: parameters start {positions[:4]}, expected {COMPUTED}")
    return WriteStatement(sql, positions)


def _numbered(sql: str, names: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """``sql``'s ``?`` parameters (``names``, in order) as numbered ones, ``?N``, one number per name: a value
    used three times (``time``: the column, and twice to derive ``ts``) is then bound once and sent once, and the
    row tuple is two values shorter (every row crosses the pipe from the reading process and is bound by the
    writer). Returns the statement and its names in number order. Literals in quotes are left as they are.
    (SQLAlchemy's ``numeric`` paramstyle numbers the same way, but writes ``:N``: a *named* placeholder to
    ``sqlite3``, whose binding of tuples to named placeholders is deprecated from Python 3.12.)"""
    unique: list[str] = []
    at = 0
    segments = sql.split("'")
    for i in range(0, len(segments), 2):  # outside the quotes (SQL's '' inside a literal splits into an empty one)
        pieces = segments[i].split("?")
        for j in range(len(pieces) - 1):
            name = names[at]
            at += 1
            if name not in unique:
                unique.append(name)
            pieces[j] += f"?{unique.index(name) + 1}"
        segments[i] = "".join(pieces)
    if at != len(names):
        raise AssertionError(f"{at} parameters in the statement, {len(names)} names")
    return "'".join(segments), tuple(unique)


# ---------------------------------------------------------------------------------------------------------------
# opening a vault


class Vault:
    """An open vault. ``Vault.open(path)`` creates it (owner-only permissions) or migrates it when needed."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        # how natural_key digests records: time-ordered in vaults made since schema 3, the plain digest in
        # vaults that already held records then (their keys must stay what they are)
        self.time_ordered_keys = False
        self.read_only = False

    @classmethod
    def open(cls, path: str | os.PathLike, create: bool = True, writable: bool = True) -> "Vault":
        """``writable=False`` (a command that only reads): a vault on read-only media or in a read-only folder is
        opened read-only instead of refused."""
        path = Path(path)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except OSError as exc:  # a name too long for the system
            raise UserError(f"Cannot use {path} as the vault: {exc.strerror or exc}.") from None
        if exists and is_dir:
            raise UserError(f"The vault path {path} is a folder; give a file name, e.g. {path / 'vault.sqlite'}.")
        if not exists:
            if not create:
                raise UserError(f"There is no vault at {path} yet: import an export first (datavault import PATH).")
            _create_private_file(path)
        read_only = not faults.writable(path)
        if read_only and writable:
            raise faults.read_only_error(path)
        engine = _make_engine(path, read_only)
        vault = cls(path, engine)
        vault.read_only = read_only
        try:
            vault._prepare()
        except Exception as exc:  # locked, read-only, full, not SQLite, damaged: one clear line, never a traceback
            engine.dispose()
            if isinstance(exc, UserError):
                raise
            raise (faults.explain(exc, path) or UserError(
                f"{path} is not a datavault vault (or it is damaged): {exc.__class__.__name__}.")) from None
        return vault

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Vault":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self, rollback_journal: bool = False) -> Iterator[Connection]:
        """One explicit transaction: committed when the block ends, rolled back on any exception (Ctrl-C too).

        ``rollback_journal`` (an import): the transaction runs with one instead of the write-ahead log, then
        the vault goes back to WAL. New pages are then written once, into the vault, instead of into the log and
        again when it is copied back (about a tenth of a large import). It is as atomic: a killed import leaves a
        journal that the next opening rolls back. While another connection has the vault open the log stays."""
        with self.engine.connect() as conn:
            conn.info["time_ordered_keys"] = self.time_ordered_keys
            if rollback_journal:
                _journal(conn, "DELETE")
            try:
                _take_write_lock(conn, self.path)
                conn.info["committed"] = False
                try:
                    yield conn
                except BaseException:
                    _roll_back(conn)
                    raise
                _mark_checked(conn)
                conn.exec_driver_sql("COMMIT")
                conn.info["committed"] = True  # a Ctrl-C from here on comes after the data was saved
            finally:
                if rollback_journal and not conn.invalidated:
                    _journal(conn, "WAL")

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _prepare(self) -> None:
        """Create, migrate or repair the schema and the views when needed. A current vault is only read, so a
        command that reads takes no write lock (and works on a read-only vault)."""
        with self.reading() as conn:
            current = faults.while_locked(self.path, lambda: _is_current(conn))
        if not current:
            if self.read_only:
                raise UserError(f"The vault {self.path} needs an update of its tables by this datavault, and it is "
                                "read-only: copy it to a folder you can write, and run the command there.")
            with self.transaction() as conn:
                self._build(conn)
        with self.reading() as conn:
            self.time_ordered_keys = conn.exec_driver_sql(
                "SELECT value FROM meta WHERE key = 'key_scheme'").scalar() == TIME_ORDERED

    def _build(self, conn: Connection) -> None:
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            if tables - {"sqlite_sequence"}:
                raise UserError(f"{self.path} is an SQLite file, but not a datavault vault; choose another path.")
            SQLModel.metadata.create_all(conn)
            conn.execute(text("INSERT INTO meta(key, value) VALUES ('schema_version', :v), ('key_scheme', :k)"),
                         {"v": str(SCHEMA_VERSION), "k": TIME_ORDERED})
        else:
            version = _schema_version(conn)
            from datavault.migrations import migrate

            migrate(conn, version, SCHEMA_VERSION)
            SQLModel.metadata.create_all(conn)  # tables added since that schema; existing ones untouched
        conn.exec_driver_sql(person_rows_ddl())
        for table in EXPORT_TABLES.values():
            conn.exec_driver_sql(f"DROP VIEW IF EXISTS {table.name}")
            conn.exec_driver_sql(_view_sql(table))


def _mark_checked(conn: Connection) -> None:
    """Leave ``layout.marker`` in ``meta`` at the end of a write transaction: the vault was opened by this code
    (``_prepare``: its schema current, or made so) and a command that only reads may trust that while the marker
    matches (``report.open_vault``)."""
    if conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").first() is None:
        return  # a transaction that built nothing yet (or a file that is no vault)
    leave_marker(conn.connection.driver_connection)


def _schema_version(conn: Connection) -> int:
    return int(conn.execute(text("SELECT value FROM meta WHERE key='schema_version'")).scalar() or 0)


def _is_current(conn: Connection) -> bool:
    """The vault has this schema version, every table and every view as this code writes them. A newer schema
    is refused here, before anything could be written."""
    objects = {(r[0], r[1]): r[2] for r in conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master")}
    if ("table", "meta") not in objects:
        return False
    version = _schema_version(conn)
    if version > SCHEMA_VERSION:
        raise UserError(f"This vault was written by a newer datavault (schema {version}); this one understands "
                        f"up to schema {SCHEMA_VERSION}. Please upgrade.")
    return (version == SCHEMA_VERSION
            and all(("table", name) in objects for name in SQLModel.metadata.tables)
            and ("table", PERSON_ROWS) in objects
            and all(objects.get(("view", t.name)) == _view_sql(t) for t in EXPORT_TABLES.values()))


def _take_write_lock(conn: Connection, path: Path) -> None:
    """BEGIN IMMEDIATE, waiting visibly while another program holds the lock (``faults.while_locked``)."""
    conn.exec_driver_sql(f"PRAGMA busy_timeout={faults.ENTRY_BUSY_MS}")
    try:
        faults.while_locked(path, lambda: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_MS}")


# pages of a new vault (an existing one keeps its own): 16 KB instead of SQLite's 4 KB take a large import's rows
# and index entries with fewer page splits and cache look-ups, about 5% of the writer's time
PAGE_SIZE = 16384
TIME_ORDERED = "time-ordered"  # meta.key_scheme of a vault whose keys natural_key makes with time_ordered


CACHE_KB = 16384  # SQLite's page cache at first (the PRAGMA below)
CACHE_MAX_KB = 98304
CACHE_BYTES_PER_ROW = 24  # about what one row costs in a key index and the time index


def fit_cache(conn: Connection, rows: int) -> None:
    """In a vault of plain-digest keys, let the page cache grow with the tables an import fills, up to 96 MB:
    each new row's random 64-bit key lands on some page of the key index, and once that index outgrows the cache
    almost every insert reads and writes a page back (8 million location points: 89 s with 16 MB, 64 s with
    96 MB). Time-ordered keys go to the few pages at their time's end of the index, and so do the times: 16 MB
    is then as fast (faster: 54 s against 57 s), with 87 MB less memory."""
    if conn.info.get("time_ordered_keys"):
        return
    kb = min(CACHE_MAX_KB, max(CACHE_KB, rows * CACHE_BYTES_PER_ROW // 1024))
    conn.exec_driver_sql(f"PRAGMA cache_size=-{kb}")


def _roll_back(conn: Connection) -> None:
    """Undo the open transaction. Interrupted inside a statement (Ctrl-C during a write), SQLAlchemy has already
    dropped the connection, and SQLite discarded the transaction with it: only SQLAlchemy's state is reset."""
    if conn.invalidated:
        conn.rollback()
    elif driver_cursor(conn).connection.in_transaction:
        conn.exec_driver_sql("ROLLBACK")
    # else SQLite rolled the transaction back itself (a full disk, an I/O error): a ROLLBACK now would only
    # replace the error that says why with "cannot rollback - no transaction is active"


def _journal(conn: Connection, mode: str) -> None:
    """Switch the journal mode if no other connection has the vault open; otherwise keep the current one."""
    try:
        conn.exec_driver_sql(f"PRAGMA journal_mode={mode}")
    except OperationalError:  # "database is locked": another program reads the vault; both modes are safe
        pass


def _create_private_file(path: Path) -> None:
    parent = path.parent
    if not parent.exists():
        try:
            parent.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise UserError(f"Cannot create the folder {parent}: {exc.strerror or exc}.") from None
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:  # another datavault command created it a moment ago
        return
    except OSError as exc:
        raise UserError(f"Cannot create the vault {path}: {exc.strerror or exc}.") from None
    os.close(fd)


BUSY_MS = 30000  # how long a statement inside a command waits for a lock before it fails


def _make_engine(path: Path, read_only: bool = False) -> Engine:
    """The engine, its PRAGMAs set on every connection; ``read_only``: opened with ``faults.read_only_uri``."""
    if read_only:
        uri = faults.read_only_uri(path)
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=BUSY_MS / 1000,
                                                                           check_same_thread=False))
    else:
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _configure(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN/COMMIT ourselves (pysqlite's implicit ones are off)
        cur = dbapi_conn.cursor()
        if not read_only:
            cur.execute(f"PRAGMA page_size={PAGE_SIZE}")
            # switching to WAL takes the lock without waiting for it: wait here, visibly
            cur.execute(f"PRAGMA busy_timeout={faults.ENTRY_BUSY_MS}")
            faults.while_locked(path, lambda: cur.execute("PRAGMA journal_mode=WAL").fetchall())
        for pragma in ("synchronous=NORMAL", "foreign_keys=ON", f"busy_timeout={BUSY_MS}",
                       "temp_store=MEMORY", f"cache_size=-{CACHE_KB}"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    return engine
