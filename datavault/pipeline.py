"""The import pipeline: archives in, records and an inventory out, in one transaction.

For each input: list its members, let the importers claim them (first claimer wins), stream every claimed
member through its importer, write records in batches with Core ``executemany`` upserts on their natural keys,
and give every member an inventory row: parsed (with counts), skipped (known, deliberately not read), unknown,
or failed (with the reason). A bad line or item is a problem row and the import goes on; only an input that is
unreadable as a whole, or holds nothing any importer knows, is an error, and even then the other inputs of the
same command are imported.

The whole command is one transaction: Ctrl-C or a kill leaves the vault exactly as it was. A large input is read
by a second process (``datavault/reader.py``) that runs the importers and builds the rows while this one writes.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import os
import sqlite3
from collections import Counter, namedtuple
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import text
from sqlalchemy.engine import Connection

from datavault import faults
from datavault import records as R
from datavault.archive import Archive, Member, open_inputs
from datavault.errors import InterruptedAfterSave, UserError
from datavault.importer import RESUME, Claim, ImportContext, conclude_of, head_digest
from datavault.progress import READING, STORING, Progress
from datavault.rawstore import BlockWriter
from datavault.reader import MemberStopped, ReaderProcess, RowBatch, use_process
from datavault.store import EXPORT_TABLES, FileNames, RowBuilder, Vault, driver_cursor, fit_cache
from datavault.timeutil import PLAUSIBLE_FIRST_YEAR, PLAUSIBLE_LAST_YEAR

BATCH = 5000
CACHE_FIT_EVERY = 250_000  # rows written between two looks at the size SQLite's page cache should have
READER_BATCH = 250  # rows a reading process sends at once: 50-250 KB, several batches within the widened pipe
OWNER_SLICE = 50_000
# a zip member inflating to more than BOMB_RATIO times its compressed size is suspicious (real exports: text
# 3-5x, JSON and HTML 10-30x; deflate's ceiling is about 1,000x); such members inflating to BOMB_BYTES in all
# are refused as a likely zip bomb unless the user allows it
BOMB_RATIO = 100
BOMB_BYTES = 256 << 20


@dataclass
class SourceResult:
    id: int | None
    platform: str
    label: str
    files: int = 0
    records: dict[str, int] = field(default_factory=dict)
    new_records: dict[str, int] = field(default_factory=dict)
    problems: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    error: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)
    already_imported: bool = False
    read_files: int = 0  # members an importer read in this command
    unchanged_files: int = 0  # members imported before and unchanged since: not read again (``_unchanged``)
    continued_files: int = 0  # of the members read, those read on from where an earlier import of them ended

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "platform": self.platform, "label": self.label, "files": self.files,
                "records": self.records, "new_records": self.new_records, "problems": self.problems,
                "statuses": self.statuses, "already_imported": self.already_imported,
                "unchanged_files": self.unchanged_files, "continued_files": self.continued_files,
                **({"error": self.error} if self.error else {})}


@dataclass
class ImportResult:
    sources: list[SourceResult] = field(default_factory=list)
    # the vault's data changed (a new source, a member read, a row rewritten): what was derived from it is stale;
    # False after an import of exports that were all imported before and unchanged since
    changed: bool = False

    @property
    def errors(self) -> list[str]:
        return [s.error for s in self.sources if s.error]

    def as_json(self) -> dict[str, Any]:
        return {"sources": [s.as_json() for s in self.sources]}



def parse_tz(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UserError(f"Unknown time zone {name!r}: use an IANA name such as Europe/Berlin or America/New_York.") from None


def import_paths(vault_path: str | os.PathLike, paths: Iterable[str | os.PathLike], me: str | None = None,
                 tz: str | None = None, progress: Progress | None = None, importers=None,
                 allow_large: bool = False) -> ImportResult:
    """Import every input into the vault at ``vault_path`` in one transaction. ``allow_large``: import a zip
    that inflates like a zip bomb (``BOMB_RATIO``, ``BOMB_BYTES``) instead of refusing it."""
    zone = parse_tz(tz)
    archives = open_inputs(list(paths))
    if importers is None:
        from datavault.importers import IMPORTERS as importers
    result = ImportResult()
    try:
        with _few_collections():
            return _import(vault_path, archives, importers, me, zone, progress, result, allow_large)
    finally:
        for archive in archives:
            archive.close()


@contextmanager
def _few_collections():
    """An import allocates millions of short-lived tuples and few cycles: the cyclic garbage collector runs
    every 100,000 allocations instead of 700 (about 3% of an import's time), and as before afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, before[1], before[2])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _import(vault_path, archives: list[Archive], importers, me: str | None, zone, progress: Progress | None,
            result: ImportResult, allow_large: bool = False) -> ImportResult:
    # what each input holds is decided before the vault is touched: nothing to import, no vault created
    plans = [_plan(archive, ImportContext(archive_name=archive.label, me=me, tz=zone), importers, allow_large)
             for archive in archives]
    if all(isinstance(plan, SourceResult) for plan in plans):
        result.sources = plans
        return result
    info: dict = {}
    try:
        with Vault.open(vault_path) as vault, vault.transaction(rollback_journal=True) as conn:
            info = conn.info
            _write_all(conn, plans, importers, me, zone, progress, result)
    except KeyboardInterrupt as exc:
        if info.get("committed") and not isinstance(exc, InterruptedAfterSave):
            raise InterruptedAfterSave() from None
        raise
    except Exception as exc:  # a full disk, a lock, a read-only vault: said as such, with the space it needs
        if (fault := faults.explain(exc, Path(vault_path), needed=_space_needed(plans))) is not None:
            raise fault from None
        raise
    if progress is not None:
        progress.end()
    return result


VAULT_BYTES_PER_INPUT_BYTE = 5  # what the vault grows by, per byte of export text read (README's figures: 4-5)


def _space_needed(plans: list) -> int | None:
    """About how much the vault grows by importing ``plans``: what a full disk's message asks the user to free."""
    sizes = [member.size or 0 for plan in plans if not isinstance(plan, SourceResult)
             for member, _, claim in plan[2] if isinstance(claim, Claim) and claim.parse]
    return sum(sizes) * VAULT_BYTES_PER_INPUT_BYTE or None


def _write_all(conn: Connection, plans: list, importers, me: str | None, zone, progress: Progress | None,
               result: ImportResult) -> None:
    """Every planned input into the open transaction, then the command's last word (owner decisions)."""
    conn.info["settled_message_id"] = conn.exec_driver_sql(
        "SELECT coalesce(max(id), 0) FROM rec_messages").scalar()
    conn.info["rewritten"] = 0
    pending_notes: dict[str, list] = {}
    progress = progress if progress is not None else Progress()
    for plan in plans:
        result.sources.append(plan if isinstance(plan, SourceResult) else _import_archive(
            conn, *plan, importers, progress, pending_notes))
    # what is left (owner decisions across the command's exports, the commit) has no count to show
    progress.phase(STORING, None, unit="")
    _finish_command(conn, importers, pending_notes, me, zone, result)


def _finish_command(conn: Connection, importers, pending_notes: dict[str, list], me: str | None, zone,
                    result: ImportResult) -> None:
    _conclude(conn, importers, pending_notes, ImportContext(me=me, tz=zone), result)
    source_ids = [s.id for s in result.sources if s.id is not None]
    if me and source_ids:
        _refuse_unknown_me(conn, me, source_ids)
    if me and source_ids and conn.info.get("settled_message_id"):
        # --me also decides messages an earlier import of the same data left undecided, and is the user's word
        # on the chats' owner: an earlier decision (another --me, or the importer's guess) gives way to it
        apply_owner(conn, R.OwnerDecision("", None, me, "--me"), source_ids, older_only=True)
        apply_owner(conn, R.OwnerDecision(CHAT_PLATFORM, None, me, "--me"), source_ids, older_only=True,
                    redecide=True)
    rewritten = conn.info.pop("rewritten", 0) > 0
    result.changed = rewritten or any(s.id is not None and (s.read_files or not s.already_imported)
                                      for s in result.sources)
    if result.changed:  # an import that changed nothing leaves the report's cache valid
        bump_data_version(conn, rewritten=rewritten)
    conn.info.pop("settled_message_id", None)


def bump_data_version(conn: Connection, rewritten: bool = False) -> None:
    """Count a change of the vault's data, so what was derived from it (the report's cache) is recomputed even
    when no row was added (a forget, an owner decided later). ``rewritten``: rows that existed before were
    changed, so aggregates kept incrementally (the report's rollups) must be rebuilt, not extended."""
    keys = ("data_version", "rows_rewritten") if rewritten else ("data_version",)
    for key in keys:
        conn.exec_driver_sql("INSERT INTO meta(key, value) VALUES (?, '1') "
                             "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1", (key,))


def _conclude(conn: Connection, importers, pending_notes: dict[str, list], ctx: ImportContext,
              result: ImportResult) -> None:
    """Each importer's last word over everything this command read (e.g. the owner across all chats)."""
    for importer in importers:
        if importer.name not in pending_notes:  # (asked first: an importer that read nothing stays unloaded)
            continue
        conclude = conclude_of(importer)
        if not conclude:
            continue
        notes = pending_notes[importer.name]
        involved = {_source_of(key) for key, _ in notes}
        holding: dict[str, set[int]] = {}
        for key, note in notes:
            if note.name == "conversation":
                holding.setdefault(note.value, set()).add(_source_of(key))
        for item in conclude(notes, ctx):
            conversation = getattr(item, "conversation", None)
            targets = holding.get(conversation, involved) if conversation else involved
            for source in result.sources:
                if source.id not in targets:
                    continue
                if isinstance(item, R.OwnerDecision):
                    source.notes.setdefault("owner", []).append(
                        {"platform": item.platform, "conversation": item.conversation, "sender": item.sender,
                         "basis": item.basis})
                elif isinstance(item, R.Note):
                    source.notes[item.name] = item.value
            if isinstance(item, R.OwnerDecision):
                apply_owner(conn, item, sorted(targets))
    for source in result.sources:
        if source.id is not None:
            conn.execute(text("UPDATE sources SET notes = :n WHERE id = :i"),
                         {"n": json.dumps(source.notes, ensure_ascii=False, default=str), "i": source.id})


def _source_of(note_key: str) -> int:
    """The source id of a pending note's key ``"<source id>:<member>"``."""
    return int(note_key.split(":", 1)[0])


CHAT_PLATFORM = "whatsapp"  # the chats whose owner only --me can name for sure (the others' exports say it)


NOTHING_IMPORTED = "Nothing was imported: run the import again with --me and your name exactly as the chat writes it."


def _refuse_unknown_me(conn: Connection, me: str, source_ids: list[int], anywhere: bool = True,
                       nothing: str = NOTHING_IMPORTED) -> None:
    """``--me`` that is no sender of any chat this command imported (and, with ``anywhere``, of none in the
    vault): a typo, which would turn every message of the owner into a contact's. Refused with the senders to
    choose from and ``nothing`` (what was left alone); the transaction then rolls back, so nothing changes."""
    in_command = " OR ".join(f"sources LIKE '% {int(i)} %'" for i in source_ids)
    chats = conn.exec_driver_sql(
        f"SELECT sender, count(*) FROM rec_messages WHERE platform = ? AND kind != 'system' AND ({in_command}) "
        "GROUP BY sender ORDER BY 2 DESC, 1 LIMIT 12", (CHAT_PLATFORM,)).all()
    if not chats or any(sender == me for sender, _ in chats):
        return
    if anywhere and conn.exec_driver_sql("SELECT 1 FROM rec_messages WHERE platform = ? AND sender = ? LIMIT 1",
                                         (CHAT_PLATFORM, me)).first():
        return
    senders = ", ".join(f"{sender!r} ({n:,})" for sender, n in chats)
    raise UserError(f"--me {me!r} is not a sender in these chats, so every message would count as someone "
                    f"else's. Senders (messages): {senders}. {nothing}")


def apply_owner(conn: Connection, decision: R.OwnerDecision, source_ids: list[int],
                older_only: bool = False, written_after: int | None = None, redecide: bool = False) -> None:
    """Set from_owner on the conversation's messages that do not know it yet (never on system lines); with
    ``written_after`` (an id), also on the rows written after it, whatever they carry (``overwrite``); with
    ``redecide``, on every message whose from_owner says otherwise (a later --me correcting an earlier one).

    Done in slices of ids: one UPDATE over a million rows would hold a statement journal of every page it
    touches in memory (temporary data never goes to disk here)."""
    params: dict[str, Any] = {"p": decision.platform, "s": decision.sender}
    where = "from_owner IS NULL AND kind != 'system'"
    if redecide:
        where = "from_owner IS NOT (sender = :s) AND kind != 'system'"
    if written_after is not None:
        where = "(from_owner IS NULL OR id > :after) AND kind != 'system'"
        params["after"] = written_after
    if decision.platform:  # an empty platform: every platform (--me)
        where += " AND platform = :p"
    if decision.conversation is not None:
        # unary + keeps SQLite on the slice's id range: with the report's (conversation, ts) index it would
        # otherwise walk the whole conversation's index for every slice (a million-message chat exported again
        # later: 1.8 s of 20 slices finding nothing, against 0.1 s)
        where += " AND +conversation = :c"
        params["c"] = decision.conversation
    if source_ids:
        where += " AND (" + " OR ".join(f"sources LIKE '% {int(i)} %'" for i in source_ids) + ")"
    low, high = conn.exec_driver_sql("SELECT min(id), max(id) FROM rec_messages").one()
    if low is None:
        return
    update = text(f"UPDATE rec_messages SET from_owner = (sender = :s) WHERE id >= :lo AND id < :hi AND {where}")
    settled = conn.info.get("settled_message_id", high)  # rows older than this command: changing them is news
    if older_only:  # rows this command wrote already know their owner
        high = min(high, settled)
    for start in range(low, high + 1, OWNER_SLICE):
        stop = start + OWNER_SLICE
        if start <= settled:
            changed = conn.execute(update, {**params, "lo": start, "hi": min(stop, settled + 1)}).rowcount
            conn.info["rewritten"] = conn.info.get("rewritten", 0) + changed
            start = settled + 1
        if start < stop:
            conn.execute(update, {**params, "lo": start, "hi": stop})


def ingest_records(vault_path: str | os.PathLike, items: Iterable[Any], label: str = "test",
                   platform: str = "test") -> SourceResult:
    """Write records (and problems) as one source, without an archive: for tests and benchmarks."""
    with Vault.open(vault_path) as vault, vault.transaction() as conn:
        source_id, _ = _source_row(conn, platform, label, "records", f"records:{label}")
        writer = _Writer(conn, source_id)
        before = writer.max_ids()
        counts = writer.consume("(records)", items)
        new_records = writer.new_since(before, counts.tables)
        writer.finish_source()
        bump_data_version(conn)
        return SourceResult(source_id, platform, label, records=counts.tables, problems=counts.problems,
                            new_records=new_records)


# ---------------------------------------------------------------------------------------------------------------


def _plan(archive: Archive, ctx: ImportContext, importers, allow_large: bool = False):
    """(archive, ctx, claims) of an input some importer knows; else a SourceResult that says what is wrong."""
    try:
        members = archive.members()
        ctx.names = archive.names
        ctx.created = archive.created()
    except UserError as exc:
        return SourceResult(None, "", archive.label, error=str(exc))
    claims = []
    for member in members:
        claims.append((member, *_claim(member, ctx, importers)))
        member.forget_head()
    if not any(isinstance(claim, Claim) for _, _, claim in claims):
        return SourceResult(None, "", archive.label, error=_not_an_export(archive, members, ctx, importers))
    if not allow_large:
        bomb = _zip_bomb([m for m, _, claim in claims if isinstance(claim, Claim) and claim.parse])
        if bomb:
            return SourceResult(None, "", archive.label, error=f"{archive.label}: {bomb}")
    return archive, ctx, claims


def _zip_bomb(members: list[Member]) -> str | None:
    """Why these members look like a zip bomb (they inflate far beyond what real exports do), or None."""
    suspicious = [m for m in members if m.packed is not None and (m.size or 0) > BOMB_RATIO * max(m.packed, 1)]
    inflated = sum(m.size or 0 for m in suspicious)
    if inflated <= BOMB_BYTES:
        return None
    packed = sum(m.packed for m in suspicious)
    return (f"{len(suspicious)} file(s) in it would inflate from {_size(packed)} to {_size(inflated)} "
            f"({inflated // max(packed, 1):,} times; real exports compress far less), so it looks like a zip "
            "bomb and nothing of it was imported. If you trust it, run the import again with --allow-large.")


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024


def _import_archive(conn: Connection, archive: Archive, ctx: ImportContext, claims: list, importers,
                    progress: Progress, pending_notes: dict[str, list]) -> SourceResult:
    platforms = sorted({imp.name for _, imp, claim in claims if isinstance(claim, Claim) and claim.parse})
    platform = ",".join(_platform_words(platforms, importers)) or "unknown"
    fingerprint = archive.fingerprint()
    earlier = _Earlier.read(conn, fingerprint)  # before this reading changes anything about it
    source_id, existed = _source_row(conn, platform, archive.label, archive.kind, fingerprint)
    conn.execute(text("DELETE FROM files WHERE source_id = :s"), {"s": source_id})
    conn.execute(text("DELETE FROM problems WHERE source_id = :s"), {"s": source_id})
    res = SourceResult(source_id, platform, archive.label, already_imported=existed)
    if ctx.created is not None:  # when the export was made (archive name or zip entry dates): kept with the source
        res.notes["export_created"] = ctx.created.strftime("%Y-%m-%dT%H:%M:%SZ")
    writer = _Writer(conn, source_id)
    for where, message in archive.problems:
        writer.problem(where or archive.label, None, message, "warning")
        res.problems += 1

    prints, unchanged = _unchanged(claims, ctx, earlier)
    to_read = [(member, importer) for member, importer, claim in claims
               if isinstance(claim, Claim) and claim.parse and id(member) not in unchanged]
    writer.resume_points = ctx.options[RESUME] = _resume_points(conn, to_read, prints)
    total = sum(member.size or 0 for member, _ in to_read)
    progress.phase(READING, total or None, unit="bytes", item=archive.label)
    reader = ReaderProcess(to_read, ctx, writer.row_builders(), _TrackedMember, _reason, READER_BATCH) \
        if use_process(total) else None
    notes_by_importer: dict[str, list] = {}
    try:
        for member, importer, claim in claims:
            res.files += 1
            if isinstance(claim, str):
                writer.file_row(member, None, "failed", detail={"reason": f"cannot be read: {claim}"})
                writer.problem(member.name, None, f"cannot be read: {claim}", "error")
                res.problems += 1
                _count(res.statuses, "failed")
                continue
            if claim is None:
                writer.file_row(member, None, "unknown", detail={"reason": "no importer recognises this file"})
                _count(res.statuses, "unknown")
                continue
            if not claim.parse:
                writer.file_row(member, importer.name, "skipped", detail={"reason": claim.reason})
                _count(res.statuses, "skipped")
                continue
            kept = unchanged.get(id(member))
            if kept is not None:  # imported before and unchanged since: its earlier inventory row, not read
                notes = writer.keep_file_row(member.name, kept, earlier.problems.get(member.name, []))
                notes_by_importer.setdefault(importer.name, []).extend((member.name, n) for n in notes)
                res.notes.setdefault("owner", []).extend(n.value for n in notes if n.name == "owner")
                res.unchanged_files += 1
                _count(res.statuses, kept.status)
                for table, n in json.loads(kept.tables or "{}").items():
                    _count(res.records, table, n)
                res.problems += kept.problems or 0
                continue
            res.read_files += 1
            if reader is not None and reader.dead:  # it crashed on an earlier member: the rest are read here
                reader.close()
                reader = None
            if reader is None:
                def read(importer=importer, member=member):
                    return importer.parse(_TrackedMember(member, progress.advance), ctx)
            else:
                def read():
                    return reader.items(progress.advance)
            status, counts = writer.parse_member(importer.name, member, read, prints.get(id(member)))
            notes_by_importer.setdefault(importer.name, []).extend((member.name, n) for n in counts.notes)
            res.notes.setdefault("owner", []).extend(n.value for n in counts.notes if n.name == "owner")
            _count(res.statuses, status)
            for table, n in counts.tables.items():
                _count(res.records, table, n)
            for table, n in counts.new_tables.items():
                _count(res.new_records, table, n)
            res.problems += counts.problems
            res.continued_files += counts.resumed is not None
    finally:
        if reader is not None:
            reader.close()
        progress.end()

    if earlier is not None:
        earlier.keep_what_was_better(writer, res, me=ctx.me)
    writer.finish_source(res.notes)
    for importer_name, notes in notes_by_importer.items():
        pending_notes.setdefault(importer_name, []).extend(
            (f"{source_id}:{member}", note) for member, note in notes)
    return res


def _unchanged(claims: list, ctx: ImportContext, earlier: "_Earlier | None") -> tuple[dict, dict]:
    """({id(member): its fingerprint}, {id(member): its earlier inventory row}) of the members to read: the
    second holds those this export's earlier import read in full (status parsed) from the same content
    (``Member.content_print``) with the same options (``--me``, ``--tz``), which need not be read again.

    A member whose earlier reading failed, was interrupted (then nothing of it was kept) or was recorded
    before fingerprints were (schema 3) has none and is read."""
    options = {"me": ctx.me, "tz": ctx.tz.key if ctx.tz is not None else None}
    prints: dict[int, str] = {}
    unchanged: dict[int, _Row] = {}
    seen: dict[str, int] = {}
    for member, _, claim in claims:
        nth = seen[member.name] = seen.get(member.name, -1) + 1  # a name twice in a zip set: matched in order
        if not (isinstance(claim, Claim) and claim.parse):
            continue
        content = member.content_print()
        if content is None:
            continue
        prints[id(member)] = fingerprint = json.dumps({"content": content, **options}, sort_keys=True)
        old = earlier.row(member.name, nth) if earlier is not None else None
        if old is not None and old.status == "parsed" and old.fingerprint == fingerprint \
                and old.member_notes is not None:
            unchanged[id(member)] = old
    return prints, unchanged


def _resume_points(conn: Connection, to_read: list, prints: dict) -> dict[str, dict]:
    """{member name: checkpoint} of the members to read that a later, longer copy of an imported member may be:
    the checkpoint (``files.resume``, records.Checkpoint) of the same importer whose first bytes have the same
    digest, the longest that fits; the importer checks all of its bytes before it reads on from there.

    Only members read in full get a fingerprint (``prints``), and a name twice in a zip set is read whole."""
    found = conn.exec_driver_sql(
        "SELECT id, importer, json_extract(resume, '$.size'), json_extract(resume, '$.head') FROM files "
        "WHERE json_valid(resume) AND typeof(json_extract(resume, '$.size')) = 'integer'").all()
    if not found:
        return {}
    names = Counter(member.name for member, _ in to_read)
    chosen: dict[str, int] = {}
    for member, importer in to_read:
        if names[member.name] > 1 or id(member) not in prints or member.size is None:
            continue
        mine = [(size, row_id, head) for row_id, name, size, head in found
                if name == importer.name and size <= member.size]
        if mine and (head := head_digest(member)) is not None:
            fits = [(size, row_id) for size, row_id, their_head in mine if their_head == head]
            if fits:
                chosen[member.name] = max(fits)[1]
    points = {}
    fields = set(EXPORT_TABLES["messages"].fields)
    for name, row_id in chosen.items():
        source_id, importer, first, last, resume = conn.exec_driver_sql(
            "SELECT source_id, importer, first_time, last_time, resume FROM files WHERE id = ?", (row_id,)).one()
        point = json.loads(resume)
        covers, carried = point.get("covers"), point.get("carried")
        # as records.Checkpoint says (the vault may have been edited): columns of messages, counts per table
        if not (isinstance(covers, dict) and covers and set(covers) <= fields and isinstance(carried, dict)
                and set(carried) <= set(EXPORT_TABLES) and all(type(n) is int for n in carried.values())):
            continue
        # another chat of that import with the same name: ``covers`` would select its messages too
        namesakes = conn.exec_driver_sql(
            "SELECT count(*) FROM files WHERE source_id = ? AND importer = ? AND id != ? "
            "AND json_extract(detail, '$.notes.conversation') = ?",
            (source_id, importer, row_id, covers.get("conversation"))).scalar()
        if not namesakes:
            points[name] = {**point, "source_id": source_id, "first_time": first, "last_time": last}
    return points


def _claim(member: Member, ctx: ImportContext, importers):
    """(importer, claim) of the first importer that claims the member; (None, None) if none does;
    (None, the reason) if the member cannot even be read (a corrupt zip entry, a broken zip in a folder)."""
    if member.unreadable:
        return None, member.unreadable
    for importer in importers:
        try:
            claim = importer.claim(member, ctx)
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:
            return None, _reason(exc)
        if claim is not None:
            return importer, claim
    return None, None


def _platform_words(importer_names: list[str], importers) -> list[str]:
    words = []
    for imp in importers:
        if imp.name in importer_names:
            word = getattr(imp, "platform", imp.name)
            if word not in words:
                words.append(word)
    return words


def _not_an_export(archive: Archive, members: list[Member], ctx: ImportContext | None = None,
                   importers=()) -> str:
    for importer in importers:  # an importer may recognise what it cannot read (an Instagram export)
        explain = getattr(importer, "explain_unreadable", None)
        why = explain(ctx) if callable(explain) and ctx is not None else None
        if why:
            return f"{archive.label}: {why}"
    if not members:
        return f"{archive.label}: nothing to import (it is empty)."
    if len(members) == 1 and (members[0].size or 0) == 0:
        return f"{archive.label}: the file is empty."
    return (f"{archive.label}: not an export datavault can read (no WhatsApp chat, Google Takeout, Facebook or "
            f"Instagram file found among its {len(members)} file(s)).")


def _count(counter: dict, key: str, n: int = 1) -> None:
    counter[key] = counter.get(key, 0) + n


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _source_row(conn: Connection, platform: str, label: str, kind: str, fingerprint: str) -> tuple[int, bool]:
    row = conn.execute(text("SELECT id FROM sources WHERE fingerprint = :f"), {"f": fingerprint}).first()
    if row:
        conn.execute(text("UPDATE sources SET updated_at = :t, platform = :p WHERE id = :i"),
                     {"t": _now(), "p": platform, "i": row[0]})
        return row[0], True
    now = _now()
    cur = conn.execute(text("INSERT INTO sources(platform, label, kind, fingerprint, imported_at, updated_at, notes)"
                            " VALUES (:p, :l, :k, :f, :t, :t, '{}')"),
                       {"p": platform, "l": label, "k": kind, "f": fingerprint, "t": now})
    return cur.lastrowid, False


@dataclass
class _Counts:
    tables: dict[str, int] = field(default_factory=dict)
    new_tables: dict[str, int] = field(default_factory=dict)
    problems: int = 0
    notes: list = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    odd_times: int = 0  # records whose time is outside the plausible range (kept as written, no ts)
    odd_examples: list = field(default_factory=list)
    checkpoint: R.Checkpoint | None = None  # where a later, longer copy of the member may be read on from
    resumed: dict | None = None  # the checkpoint this reading went on from (_resume_points), and where

    @property
    def records(self) -> int:
        return sum(self.tables.values())


class _Writer:
    """Batches rows per table and writes them; keeps the inventory and problem rows of one source."""

    def __init__(self, conn: Connection, source_id: int):
        self.conn = conn
        self.cursor = driver_cursor(conn)  # rows, inventory and problems: the driver's own statements
        self.source_id = source_id
        self.token = f" {source_id} "
        self.builders = self.row_builders()
        self.blocks = BlockWriter(self.cursor, source_id)
        self.file_names = FileNames()
        self.by_table = {b.name: b for b in self.builders.values()}
        self.member_first_id = 0
        self._ids: dict[str, int] | None = None
        self.rows_written = 0
        self.rows_before = 0  # rows the record tables held before this writer's first member
        self.next_cache_fit = CACHE_FIT_EVERY
        self.file_rows: list[tuple[str, str, int, dict]] = []  # (member, status, records, tables) of each row written
        self.kept_problems: set[str] = set()  # members whose earlier problems keep_file_row gave back
        self.resume_points: dict[str, dict] = {}  # member name -> the checkpoint it may be read on from

    def row_builders(self) -> dict[type, RowBuilder]:
        """A RowBuilder per record class, for this source and the vault's key scheme."""
        ordered = self.conn.info["time_ordered_keys"]
        return {t.record_type: RowBuilder(t, self.token, ordered) for t in EXPORT_TABLES.values()}

    def max_ids(self) -> dict[str, int]:
        """The highest id of each record table; asked of SQLite once, then kept by ``new_since``."""
        if self._ids is None:
            self._ids = {t.name: self._max_id(t.name) for t in EXPORT_TABLES.values()}
            self.rows_before = sum(self._ids.values())
        return dict(self._ids)

    def new_since(self, before: dict[str, int], written: Iterable[str]) -> dict[str, int]:
        """{table: rows added} since ``before`` to the tables ``written`` (ids only grow inside one
        transaction; a record already in the vault adds none)."""
        for table in written:
            self._ids[table] = self._max_id(table)
        return {t: self._ids[t] - before[t] for t in written if self._ids[t] != before[t]}

    def _max_id(self, table: str) -> int:
        return self.cursor.execute(f"SELECT coalesce(max(id), 0) FROM {EXPORT_TABLES[table].physical}").fetchone()[0]

    def parse_member(self, importer: str, member: Member, read: Callable[[], Iterable[Any]],
                     fingerprint: str | None = None) -> tuple[str, _Counts]:
        """Write what the importer yields for one member (``read()``: its parse generator, or the same items
        from a ReaderProcess) and give the member its inventory row; ``fingerprint`` (taken before reading,
        see ``_unchanged``) is kept with it if it was read in full."""
        before = self.max_ids()
        self.member_first_id = before["messages"]  # rows of this member have greater ids
        counts = _Counts()
        status, detail = "parsed", {}
        try:
            self.consume(member.name, read(), counts)
        except (KeyboardInterrupt, SystemExit):
            raise
        except sqlite3.Error:  # the vault failed, not the member (a full disk): the whole command rolls back
            raise
        except Exception as exc:  # the importer could not go on: keep what it read, say why it stopped
            status = "failed"
            detail["reason"] = exc.reason if isinstance(exc, MemberStopped) else _reason(exc)
            self.problem(member.name, None, f"reading stopped: {detail['reason']}", "error")
            counts.problems += 1
            self.flush(counts)  # what was read before it stopped is kept
        counts.new_tables = self.new_since(before, counts.tables)
        if counts.odd_times:
            detail["implausible_times"] = {"records": counts.odd_times, "examples": counts.odd_examples}
            self.problem(member.name, None, f"{counts.odd_times} record(s) dated outside "
                         f"{PLAUSIBLE_FIRST_YEAR}-{PLAUSIBLE_LAST_YEAR} (e.g. {counts.odd_examples[0]}): kept as "
                         "written, left out of time-based findings", "warning")
            counts.problems += 1
        if counts.notes:
            detail["notes"] = {n.name: n.value for n in counts.notes}
        if counts.resumed is not None:
            detail["resumed"] = counts.resumed
        member_notes = _kept_notes(counts.notes) if status == "parsed" and fingerprint else None
        resume = None
        if counts.checkpoint is not None and member_notes is not None and not counts.odd_times:
            resume = json.dumps(asdict(counts.checkpoint), ensure_ascii=False)
        self.file_row(member, importer, status, counts, detail,
                      fingerprint if member_notes is not None else None, member_notes, resume)
        return status, counts

    def consume(self, member_name: str, items: Iterable[Any], counts: _Counts | None = None) -> _Counts:
        """Write what an importer yields: records in batches per table, problems and notes as they come."""
        counts = counts if counts is not None else _Counts()
        builders = self.builders
        for item in items:
            builder = builders.get(item.__class__)
            if builder is not None:  # the hot path: one tuple per record, a write per BATCH
                pending = builder.pending
                pending.append(builder.row(item, member_name))
                if len(pending) >= BATCH:
                    self._write(builder, pending, counts)
            elif item.__class__ is RowBatch:  # rows a ReaderProcess built
                builder = self.by_table[item.table]
                self._write(builder, item.rows if item.keyed else builder.add_keys(item.rows), counts)
            elif isinstance(item, R.Problem):
                self.problem(member_name, item.locator, item.message, item.severity)
                counts.problems += 1
            elif isinstance(item, R.Note):
                counts.notes.append(item)
            elif isinstance(item, R.OwnerDecision):
                self.flush(counts)
                # settled: this member's rows carry it already; rows of an earlier import may still learn it
                apply_owner(self.conn, item, [self.source_id], older_only=item.settled,
                            written_after=self.member_first_id if item.overwrite else None)
                counts.notes.append(R.Note("owner", {"sender": item.sender, "basis": item.basis,
                                                     "conversation": item.conversation}))
            elif isinstance(item, R.Resumed):
                self._resumed(member_name, item, counts)
            elif isinstance(item, R.Checkpoint):
                counts.checkpoint = item
            else:
                raise TypeError(f"importer yielded {type(item).__name__}, not a record, problem or note")
        self.flush(counts)
        return counts

    def _resumed(self, member_name: str, item: R.Resumed, counts: _Counts) -> None:
        """The importer went on from the member's checkpoint: the messages its bytes gave (``covers``, held by
        the checkpoint's import) learn this import, as reading those bytes again would have told each of them,
        and the member's inventory counts them as read."""
        point = self.resume_points[member_name]
        covers = point["covers"]
        where = " AND ".join(f"{column} = ?" for column in covers)
        self.cursor.execute(
            f"UPDATE {EXPORT_TABLES['messages'].physical} SET sources = sources || ? WHERE {where} "
            "AND instr(sources, ?) > 0 AND instr(sources, ?) = 0",
            (self.token[1:], *covers.values(), f" {int(point['source_id'])} ", self.token))
        for table, n in point["carried"].items():
            counts.tables[table] = counts.tables.get(table, 0) + n
        counts.first, counts.last = point["first_time"], point["last_time"]
        counts.resumed = {"after": item.after, "bytes": point["size"], "from_import": point["source_id"]}

    def _write(self, builder: RowBuilder, batch: list[tuple], counts: _Counts) -> None:
        # the rows as the statement takes them, in one pass: the id of each row's file (COMPUTED: key, sources,
        # source_file) and the references of the raws, compressed into one block
        ids = self.file_names.ids(self.cursor, batch)
        raw = builder.raw_position
        stored = self.blocks.pack([row[raw] for row in batch])
        rows = [(*row[:2], ids[row[2]], *row[3:raw], kept, *row[raw + 1:]) for row, kept in zip(batch, stored)]
        try:
            builder.statement.execute(self.cursor, rows)
        except (sqlite3.ProgrammingError, sqlite3.InterfaceError, OverflowError):
            # a field SQLite cannot bind (a dict or list from damaged JSON, an integer beyond 64 bits): the
            # batch again with such values as their JSON text, so no record is lost and the batch is not stuck
            rows = [tuple(v if v is None or type(v) in _BINDABLE and not _too_big(v) else _as_text(v)
                          for v in row) for row in rows]
            builder.statement.execute(self.cursor, rows)
        self.rows_written += len(rows)
        if self.rows_written >= self.next_cache_fit:  # now and then, not per batch
            self.next_cache_fit = self.rows_written + CACHE_FIT_EVERY
            fit_cache(self.conn, self.rows_before + self.rows_written)
        counts.tables[builder.name] = counts.tables.get(builder.name, 0) + len(rows)
        span = builder.first_and_last(rows)
        if span is not None:
            first, last, odd = span
            if first is not None:
                counts.first = first if counts.first is None else min(counts.first, first)
                counts.last = last if counts.last is None else max(counts.last, last)
            if odd:
                counts.odd_times += len(odd)
                counts.odd_examples.extend(sorted(set(odd))[:3 - len(counts.odd_examples)])
        batch.clear()

    def flush(self, counts: _Counts | None = None) -> None:
        for builder in self.builders.values():
            if builder.pending:
                self._write(builder, builder.pending, counts if counts is not None else _Counts())

    # once per member or problem: the driver's own statements (text() would be compiled on every call)

    def problem(self, member: str, locator: str | None, message: str, severity: str) -> None:
        self.cursor.execute("INSERT INTO problems(source_id, member, locator, message, severity) "
                            "VALUES (?, ?, ?, ?, ?)", (self.source_id, member, locator, message, severity))

    def file_row(self, member: Member, importer: str | None, status: str, counts: _Counts | None = None,
                 detail: dict | None = None, fingerprint: str | None = None, member_notes: str | None = None,
                 resume: str | None = None) -> None:
        counts = counts or _Counts()
        self.file_rows.append((member.name, status, counts.records, counts.tables))
        self.cursor.execute(
            "INSERT INTO files(source_id, member, size, importer, status, records, new_records, problems, first_time,"
            " last_time, tables, detail, fingerprint, member_notes, resume)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.source_id, member.name, member.size, importer, status, counts.records,
             sum(counts.new_tables.values()), counts.problems, counts.first, counts.last, json.dumps(counts.tables),
             json.dumps(detail or {}, ensure_ascii=False, default=str), fingerprint, member_notes, resume))

    def keep_file_row(self, member: str, row: "_Row", problems: list[tuple]) -> list[R.Note]:
        """Give an unchanged member (not read again) its earlier inventory row and problems as they were; the
        notes its importer yielded then, for this command's conclusions (the owner across all chats)."""
        self.file_rows.append((member, row.status, row.records or 0, json.loads(row.tables or "{}")))
        self.cursor.execute(f"INSERT INTO files(source_id, member, {', '.join(_FILE_COLUMNS)}) "
                            f"VALUES (?, ?, {', '.join('?' for _ in _FILE_COLUMNS)})", (self.source_id, member, *row))
        if problems and member not in self.kept_problems:  # a name twice in a zip set: its problems once
            self.kept_problems.add(member)
            self.cursor.executemany("INSERT INTO problems(source_id, member, locator, message, severity) "
                                    "VALUES (?, ?, ?, ?, ?)", [(self.source_id, member, *p) for p in problems])
        return [R.Note(name, value) for name, value in json.loads(row.member_notes)]

    def finish_source(self, notes: dict | None = None) -> None:
        self.flush()
        if notes:
            self.conn.execute(text("UPDATE sources SET notes = :n WHERE id = :i"),
                              {"n": json.dumps(notes, ensure_ascii=False, default=str), "i": self.source_id})


_BINDABLE = (str, int, float, bytes, bool)


def _kept_notes(notes: list) -> str | None:
    """A member's notes as JSON, to give them to a later import's conclusions without reading the member again;
    None if JSON cannot hold them exactly (a set, a tuple, a date): such a member is read again next time."""
    pairs = [[n.name, n.value] for n in notes]
    try:
        dumped = json.dumps(pairs, ensure_ascii=False)
    except (TypeError, ValueError):
        return None
    return dumped if json.loads(dumped) == pairs else None


def _too_big(value) -> bool:
    return type(value) is int and not -(1 << 63) <= value < (1 << 63)


def _as_text(value) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)


_STATUS_RANK = {"failed": 0, "unknown": 1, "skipped": 2, "parsed": 3}
_FILE_COLUMNS = ("size", "importer", "status", "records", "new_records", "problems", "first_time", "last_time",
                 "tables", "detail", "fingerprint", "member_notes", "resume")


# an inventory row as _Earlier reads it: its _FILE_COLUMNS, by position or by name
_Row = namedtuple("_Row", _FILE_COLUMNS)


@dataclass
class _Earlier:
    """What the vault recorded about an export before this command read it again (the same fingerprint): a
    damaged copy of it (same directory, broken data) must not make that record worse."""

    platform: str
    notes: dict
    files: dict[str, list[_Row]]  # member -> its inventory rows (_FILE_COLUMNS), in order
    problems: dict[str, list[tuple]]  # member -> its problem rows (locator, message, severity)

    @classmethod
    def read(cls, conn: Connection, fingerprint: str) -> "_Earlier | None":
        """What the vault holds about the source of this fingerprint; None if it was never imported."""
        row = conn.exec_driver_sql("SELECT id, platform, notes FROM sources WHERE fingerprint = ?",
                                   (fingerprint,)).first()
        if row is None:
            return None
        source_id, platform, notes = row
        files: dict[str, list[_Row]] = {}
        for row in conn.exec_driver_sql(f"SELECT member, {', '.join(_FILE_COLUMNS)} FROM files "
                                        "WHERE source_id = ? ORDER BY id", (source_id,)):
            files.setdefault(row[0], []).append(_Row(*row[1:]))
        problems: dict[str, list[tuple]] = {}
        for row in conn.exec_driver_sql("SELECT member, locator, message, severity FROM problems "
                                        "WHERE source_id = ? ORDER BY id", (source_id,)):
            problems.setdefault(row[0], []).append(tuple(row[1:]))
        return cls(platform, json.loads(notes or "{}"), files, problems)

    def row(self, member: str, nth: int = 0) -> _Row | None:
        """The earlier inventory row of the ``nth`` member of this name, or None."""
        rows = self.files.get(member, ())
        return rows[nth] if nth < len(rows) else None

    def keep_what_was_better(self, writer: "_Writer", res: SourceResult, me: str | None = None) -> None:
        """Give back its earlier inventory row (and problems) to every member this reading did worse on (a
        lower status, or fewer records), and say so; the records themselves are never touched here. With ``me``
        (this command's --me) a chat's people rows are not compared: naming the owner takes the owner out of
        the chat's contacts, one row fewer that is no worse reading. An earlier "use --me" is answered by it."""
        if me:
            res.notes.pop("owner_unknown", None)
        seen: dict[str, int] = {}
        worse = []
        for name, status, records, tables in writer.file_rows:
            nth = seen[name] = seen.get(name, -1) + 1
            rows = self.files.get(name, [])
            if nth >= len(rows):
                continue
            old = rows[nth]
            old_records = old[3] or 0
            if me and old[1] == "whatsapp":
                records -= tables.get("people", 0)
                old_records -= json.loads(old[8] or "{}").get("people", 0)
            old_rank, new_rank = _STATUS_RANK.get(old[2], 0), _STATUS_RANK.get(status, 0)
            if new_rank < old_rank or (new_rank == old_rank and records < old_records):
                worse.append((name, nth, old))
        if not worse:
            return
        cursor = writer.cursor
        for name, nth, old in worse:
            (row_id,) = cursor.execute("SELECT id FROM files WHERE source_id = ? AND member = ? ORDER BY id "
                                       f"LIMIT 1 OFFSET {nth}", (writer.source_id, name)).fetchone()
            cursor.execute(f"UPDATE files SET {', '.join(c + ' = ?' for c in _FILE_COLUMNS)} WHERE id = ?",
                           (*old, row_id))
            if nth == 0:
                cursor.execute("DELETE FROM problems WHERE source_id = ? AND member = ?", (writer.source_id, name))
                cursor.executemany("INSERT INTO problems(source_id, member, locator, message, severity) "
                                   "VALUES (?, ?, ?, ?, ?)",
                                   [(writer.source_id, name, *p) for p in self.problems.get(name, [])])
        words = [w for w in self.platform.split(",") + res.platform.split(",") if w != "unknown"]
        res.platform = ",".join(dict.fromkeys(words)) or "unknown"
        cursor.execute("UPDATE sources SET platform = ? WHERE id = ?", (res.platform, writer.source_id))
        notes = {**self.notes, **{k: v for k, v in res.notes.items() if v}}
        if me:
            notes.pop("owner_unknown", None)
        names = sorted({name for name, _, _ in worse})
        notes["warnings"] = [w for w in self.notes.get("warnings", []) if "could not be read as well" not in w] + [
            f"this copy of the export (read {_now()[:10]}) could not read {len(names)} file(s) as well as the "
            f"earlier import did ({', '.join(names[:3])}{', ...' if len(names) > 3 else ''}): the earlier "
            "import's inventory of them is kept, and no record was removed"]
        res.notes.clear()
        res.notes.update(notes)


def _reason(exc: Exception) -> str:
    text_ = str(exc).strip()
    name = {"BadZipFile": "the zip entry is corrupt", "UnicodeDecodeError": "the text is not valid UTF-8",
            "error": "the compressed data is corrupt",
            "MemoryError": "not enough memory to read it (a value too large for the memory this command may use)",
            }.get(exc.__class__.__name__)
    if name:
        return f"{name} ({text_[:200]})" if text_ else name
    return f"{exc.__class__.__name__}: {text_[:300]}" if text_ else exc.__class__.__name__


class _TrackedMember(Member):
    """The member as the importer sees it, with every byte it reads reported to the progress display."""

    __slots__ = ("_inner", "_advance")

    def __init__(self, inner: Member, advance: Callable[[int], None]):
        super().__init__(inner.name, inner.size, inner._opener, inner.mtime, inner.crc)
        self._head = inner._head
        self._inner = inner
        self._advance = advance

    def open(self):
        return io.BufferedReader(_CountingRaw(self._inner.open(), self._advance), buffer_size=1 << 16)


class _CountingRaw(io.RawIOBase):
    def __init__(self, inner, advance: Callable[[int], None]):
        self._inner = inner
        self._advance = advance

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        if n:
            self._advance(n)
        return n

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()
