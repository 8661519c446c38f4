"""What changed between two exports of one account (``datavault changes``), and what the report needs to know
about time: which platform labels the latest export of an account no longer has, and a copy of the vault as it
stood at an earlier export (``report --as-of``).

How the vault knows which export held a record: records are stored once, however many imports contained them,
and each row's ``sources`` column lists the id of every import that held it (`` 3 7 ``, store.py). An import
always reads every member of an export it has not seen before, so a record present in a later export learns that
export's id even when it was stored by an earlier one (a chat read on from where an earlier import of it ended
gives the messages of those bytes the later id at once: pipeline._Writer._resumed); a record the later export no
longer holds keeps only the older ids. No extra link table is needed.

Which exports belong to one account: those of one platform (``sources.platform``) that share an identifier: an
e-mail address or user name from the ``profile`` table (Facebook, Instagram, Google's Profile.json), or, for
WhatsApp chat exports, a conversation name. Exports of one platform without any identifier (a Messenger
secure-storage download, a phone's Timeline folder) cannot be placed: they are compared only when named
explicitly. Exports made at the same minute are parts of one download (a Takeout's -001 and -002 zips imported
one by one, Facebook's zip and its Messenger zip): paired by default, a download is the union of its parts.

When an export was made: ``notes.export_created`` (Takeout's time in the file name, else the newest zip entry
date); for a folder or a single file, which carry no such date, the time it was imported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sqlite3
from typing import Any, Iterable

from datavault.errors import UserError
from datavault.layout import FILE_NAME

# the tables of the contract with their physical table (store.EXPORT_TABLES, without importing the store here)
TABLES = ("messages", "activities", "locations", "people", "purchases", "platform_inferences", "profile", "posts")
TIMED = ("messages", "activities", "locations", "purchases", "platform_inferences", "profile", "posts")
SAMPLE = 5
# profile fields that are account settings rather than facts about the person (the Location History settings;
# the importers read no other setting: a Takeout states no activity control, see ``activity_controls``)
SETTINGS = ("location_history_enabled", "location_retention_days", "location_history_deleted")
IDENTIFIER_FIELDS = ("email", "username")


@dataclasses.dataclass
class Export:
    """One imported export (a row of ``sources``) with what places it in time and account."""

    id: int
    platform: str
    label: str
    imported_at: str
    created: str | None
    identifiers: frozenset[str]
    # the ids of every part of this download (a Takeout's -001.zip and -002.zip imported one by one, Facebook's
    # zip and its Messenger zip): compared as one export when paired by default; else this export's id alone
    parts: tuple[int, ...] = ()

    @property
    def ids(self) -> tuple[int, ...]:
        return self.parts or (self.id,)

    @property
    def date(self) -> str:
        """When the export was made, else when it was imported (ISO 8601, UTC)."""
        return self.created or self.imported_at

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def platforms(self) -> set[str]:
        return set(self.platform.split(","))

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "platform": self.platform, "label": self.label, "exported": self.created,
                "imported_at": self.imported_at, "account": sorted(self.identifiers),
                **({"parts": list(self.parts)} if len(self.parts) > 1 else {})}

    def name(self) -> str:
        return f"export {self.id} ({self.label}, {self.day})"


def _tok(source_id: int) -> str:
    return f" {int(source_id)} "


def _held(ids: tuple[int, ...], column: str = "sources") -> str:
    """SQL: the row was held by one of the imports ``ids`` (integers, so written into the statement)."""
    return "(" + " OR ".join(f"instr({column}, ' {int(i)} ') > 0" for i in ids) + ")"


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() \
        is not None


def exports(conn: sqlite3.Connection) -> list[Export]:
    """Every imported export, oldest first (by when it was made, then by id)."""
    out = []
    rows = conn.execute("SELECT id, platform, label, imported_at, notes FROM sources ORDER BY id").fetchall()
    for source_id, platform, label, imported_at, notes in rows:
        try:
            created = (json.loads(notes or "{}") or {}).get("export_created")
        except ValueError:
            created = None
        out.append(Export(source_id, platform, label, imported_at, created if isinstance(created, str) else None,
                          frozenset(_identifiers(conn, source_id, platform, notes))))
    return sorted(out, key=lambda e: (e.date, e.id))


def _identifiers(conn: sqlite3.Connection, source_id: int, platform: str, notes: str | None = None) -> set[str]:
    tok = _tok(source_id)
    found = set()
    if _has_table(conn, "rec_profile"):
        for field, value in conn.execute(
                f"SELECT field, value FROM rec_profile WHERE field IN ({', '.join('?' * len(IDENTIFIER_FIELDS))}) "
                "AND instr(sources, ?) > 0", (*IDENTIFIER_FIELDS, tok)):
            if value:
                found.add(f"{field}:{str(value).strip().casefold()}")
    if not found and "whatsapp" in platform.split(","):
        try:  # the chats whose owner the import decided, as its notes keep them: no scan of the messages
            owners = (json.loads(notes or "{}") or {}).get("owner") or []
        except ValueError:
            owners = []
        found |= {f"chat:{o['conversation']}" for o in owners if isinstance(o, dict) and o.get("conversation")}
    if not found and "whatsapp" in platform.split(",") and _has_table(conn, "rec_messages"):
        for (conversation,) in conn.execute("SELECT DISTINCT conversation FROM rec_messages WHERE platform = "
                                            "'whatsapp' AND instr(sources, ?) > 0", (tok,)):
            if conversation:
                found.add(f"chat:{conversation}")
    return found


def same_account(a: Export, b: Export) -> bool | None:
    """True: one platform and a shared identifier; False: another platform, or both identified and nothing
    shared; None: one platform, but one of them names no account."""
    if not (a.platforms & b.platforms):
        return False
    if not a.identifiers or not b.identifiers:
        return None
    return bool(a.identifiers & b.identifiers)


def accounts(all_exports: list[Export]) -> list[list[Export]]:
    """The exports grouped by account (oldest first within each group); exports that name no account, each on
    their own."""
    groups: list[tuple[set[str], str, list[Export]]] = []
    for export in all_exports:
        if export.identifiers:
            for ids, platform, members in groups:
                if platform == export.platform and ids & export.identifiers:
                    ids |= export.identifiers
                    members.append(export)
                    break
            else:
                groups.append((set(export.identifiers), export.platform, [export]))
        else:
            groups.append((set(), export.platform, [export]))
    return [members for _, _, members in groups]


def _with_parts(group: list[Export], every: list[Export]) -> list[Export]:
    """The account's exports with the parts of their downloads that name no account (a Messenger secure-storage
    zip made at the same minute as the Facebook zip)."""
    if not group[0].identifiers:
        return group
    minutes = {e.created[:16] for e in group if e.created}
    extra = [e for e in every if not e.identifiers and e.platform == group[0].platform and e.created
             and e.created[:16] in minutes]
    return sorted(group + extra, key=lambda e: (e.date, e.id))


def successive(group: list[Export]) -> list[Export]:
    """The group's downloads: exports made at the same minute are parts of one, merged into its first part (with
    ``parts`` naming them all)."""
    out: list[Export] = []
    for export in group:
        if out and export.created and out[-1].created and export.created[:16] == out[-1].created[:16]:
            last = out[-1]
            out[-1] = dataclasses.replace(last, parts=last.ids + (export.id,),
                                          identifiers=last.identifiers | export.identifiers)
            continue
        out.append(export)
    return out


def latest_pairs(conn: sqlite3.Connection, platform: str | None = None) -> list[tuple[Export, Export]]:
    """(older, newer): the last two successive exports of each account that has two (of ``platform`` only)."""
    pairs = []
    every = exports(conn)
    for group in accounts(every):
        group = successive(_with_parts(group, every))
        if platform is not None:
            group = [e for e in group if platform in e.platforms]
        if len(group) >= 2 and group[-1].identifiers:
            pairs.append((group[-2], group[-1]))
    return pairs


# ---------------------------------------------------------------------------------------------------------------
# the comparison


def _labels(conn: sqlite3.Connection, ids: tuple[int, ...]) -> dict[tuple[str, str, str], str | None]:
    """{(platform, category, value): the label's own time or None} of one export (the imports ``ids``): the
    platform inferences and the labelled places of its location history (as the report's finding names them)."""
    found: dict[tuple[str, str, str], str | None] = {}
    if _has_table(conn, "rec_platform_inferences"):
        for platform, category, value, time in conn.execute(
                f"SELECT platform, category, value, min(time) FROM rec_platform_inferences WHERE {_held(ids)} "
                "GROUP BY platform, category, value"):
            found[(platform, category, value)] = time
    if _has_table(conn, "rec_locations"):
        for platform, semantic_type, place, time in conn.execute(
                "SELECT platform, semantic_type, place_name, max(time) FROM rec_locations WHERE semantic_type IS NOT "
                f"NULL AND semantic_type != '' AND {_held(ids)} GROUP BY platform, semantic_type, place_name"):
            found.setdefault((platform or "google", "labelled_place", f"{semantic_type}: {place or '(unnamed)'}"),
                             time)
    return found


def _settings(conn: sqlite3.Connection, ids: tuple[int, ...]) -> dict[tuple[str, str], list[str]]:
    if not _has_table(conn, "rec_profile"):
        return {}
    out: dict[tuple[str, str], list[str]] = {}
    for platform, field, value in conn.execute(
            f"SELECT platform, field, value FROM rec_profile WHERE field IN ({', '.join('?' * len(SETTINGS))}) "
            f"AND {_held(ids)} ORDER BY platform, field, value", SETTINGS):
        out.setdefault((platform, field), []).append(value)
    return out


def _controls(conn: sqlite3.Connection, ids: tuple[int, ...]) -> dict[str, dict[str, Any]]:
    """{Google activity control: {records, last}} of one export's My Activity records (each record names the
    controls it was saved under, ``extra.activityControls``)."""
    if not _has_table(conn, "rec_activities"):
        return {}
    return {control: {"records": n, "last": last} for control, n, last in conn.execute(
        "SELECT j.value, count(*), max(a.time) FROM rec_activities AS a, json_each(a.extra, '$.activityControls') "
        f"AS j WHERE a.platform = 'google' AND a.extra LIKE '%activityControls%' AND {_held(ids, 'a.sources')} "
        "AND j.type = 'text' GROUP BY j.value ORDER BY j.value")}


def activity_controls(conn: sqlite3.Connection, older: Export, newer: Export) -> list[dict[str, Any]]:
    """Google's activity controls as the records show them (a Takeout states no setting for them): per control,
    the records and the latest record time in each export, and ``quiet_since`` when the newer export holds no
    record under it made after the older export was (the control may have been paused, or those records
    deleted)."""
    before, after = _controls(conn, older.ids), _controls(conn, newer.ids)
    out = []
    for control in sorted(set(before) | set(after)):
        was, now = before.get(control), after.get(control)
        quiet = was is not None and (now is None or not now["last"] or now["last"] <= older.date)
        out.append({"control": control, "older": was, "newer": now,
                    "quiet_since": (now or was)["last"] if quiet else None})
    return out


_DESCRIBE = {
    "messages": ("conversation", "sender", "text"),
    "activities": ("product", "title"),
    "locations": ("kind", "place_name", "semantic_type", "lat", "lon"),
    "people": ("name", "relation"),
    "purchases": ("item", "merchant", "amount", "currency"),
    "platform_inferences": ("category", "value"),
    "profile": ("field", "value"),
    "posts": ("kind", "text", "target"),
}


def _describe(table: str, row: sqlite3.Row | tuple) -> str:
    parts = [str(v) for v in row[2:] if v not in (None, "")]
    text = " · ".join(parts)
    return text if len(text) <= 160 else text[:159] + "…"


def _held_counts(conn: sqlite3.Connection, phys: str, timed: bool, o: str,
                 n: str) -> tuple[int, int, int, int, str | None, str | None]:
    """The records of ``phys`` held by the older export (``o``, a ``_held`` expression), by the newer (``n``), by
    the first only and by the second only, and the earliest time each holds: the table grouped once by
    ``sources`` (" 3 7 ": the imports that held a record; a table has few distinct ones), each group then asked
    which export holds it. Asking every row (eight tests a row) took twice as long: 0.7-1.0 s on a million
    messages, after every import."""
    return conn.execute(
        f"SELECT coalesce(sum(CASE WHEN {o} THEN k END), 0), coalesce(sum(CASE WHEN {n} THEN k END), 0), "
        f"coalesce(sum(CASE WHEN {o} AND NOT {n} THEN k END), 0), coalesce(sum(CASE WHEN {n} AND NOT {o} THEN k END), "
        f"0), min(CASE WHEN {o} THEN first END), min(CASE WHEN {n} THEN first END) "
        f"FROM (SELECT sources, count(*) AS k, {'min(time)' if timed else 'NULL'} AS first FROM {phys} "
        f"GROUP BY sources)").fetchone()


def _only(conn: sqlite3.Connection, table: str, keep: str, drop: str) -> dict[str, Any]:
    """Records of ``table`` held by ``keep`` and not by ``drop`` (``_held`` expressions): counted per month,
    with a sample."""
    phys = f"rec_{table}"
    where = f"{keep} AND NOT {drop}"
    months: dict[str, int] = {}
    if table in TIMED:
        for month, n in conn.execute(f"SELECT substr(time, 1, 7), count(*) FROM {phys} WHERE {where} "
                                     "GROUP BY 1 ORDER BY 1"):
            months[month or "undated"] = n
    time_col = "time" if table in TIMED else "since"
    sample = [{"time": r[0], "record": _describe(table, r), "source_file": r[1]}
              for r in conn.execute(f"SELECT {time_col}, {FILE_NAME}, {', '.join(_DESCRIBE[table])} FROM {phys} "
                                    f"WHERE {where} ORDER BY ts, id LIMIT {SAMPLE}" if table in TIMED else
                                    f"SELECT {time_col}, {FILE_NAME}, {', '.join(_DESCRIBE[table])} FROM {phys} "
                                    f"WHERE {where} ORDER BY id LIMIT {SAMPLE}")]
    return {"months": months, "sample": sample}


def compare(conn: sqlite3.Connection, older: Export, newer: Export, detail: bool = True) -> dict[str, Any]:
    """The changes from ``older`` to ``newer`` (``datavault changes --format json``); ``detail=False``: the
    counts and labels only (the report's short section)."""
    o, n = _held(older.ids), _held(newer.ids)
    counts: dict[str, dict[str, int]] = {}
    removed: dict[str, Any] = {}
    added: dict[str, Any] = {}
    starts: dict[str, dict[str, str | None]] = {}
    for table in TABLES:
        phys = f"rec_{table}"
        if not _has_table(conn, phys):
            continue
        row = _held_counts(conn, phys, table in TIMED, o, n)
        if not (row[0] or row[1]):
            continue
        counts[table] = {"older": row[0], "newer": row[1], "only_older": row[2], "only_newer": row[3]}
        starts[table] = {"older": row[4], "newer": row[5]}
        if detail and row[2]:
            removed[table] = _only(conn, table, o, n)
        if detail and row[3]:
            added[table] = _only(conn, table, n, o)
    before, after = _labels(conn, older.ids), _labels(conn, newer.ids)
    appeared = [{"table": "locations" if k[1] == "labelled_place" else "platform_inferences", "platform": k[0],
                 "category": k[1], "value": k[2], "time": after[k], "first_seen": newer.date}
                for k in sorted(set(after) - set(before))]
    disappeared = [{"table": "locations" if k[1] == "labelled_place" else "platform_inferences", "platform": k[0],
                    "category": k[1], "value": k[2], "time": before[k], "last_seen": older.date,
                    "removed_by": newer.date} for k in sorted(set(before) - set(after))]
    result: dict[str, Any] = {"older": older.as_json(), "newer": newer.as_json(), "appeared": appeared,
                              "disappeared": disappeared, "counts": counts}
    if not detail:
        return result
    settings_before, settings_after = _settings(conn, older.ids), _settings(conn, newer.ids)
    result["settings"] = [{"platform": p, "field": f, "older": settings_before.get((p, f), []),
                           "newer": settings_after.get((p, f), [])}
                          for p, f in sorted(set(settings_before) | set(settings_after))
                          if settings_before.get((p, f), []) != settings_after.get((p, f), [])]
    result["activity_controls"] = activity_controls(conn, older, newer) \
        if "google" in older.platforms and "google" in newer.platforms else []
    result["removed"] = removed
    result["added"] = added
    notes = []
    if before and not after:
        notes.append(f"The newer export holds no platform labels at all: perhaps its download left them out "
                     f"(choose 'Ads information' / all data when downloading), so their absence may mean nothing.")
    for table, first in starts.items():
        if removed.get(table) and first["older"] and first["newer"] and first["newer"] > first["older"]:
            months = sorted(m for m in removed[table]["months"] if m != "undated")
            if months and months[-1] <= first["newer"][:7]:
                notes.append(f"{table}: the newer export starts on {first['newer'][:10]} and every record it lacks "
                             f"is from before then: this looks like the platform's retention period (or a "
                             f"deletion of everything older), not single deletions.")
    result["notes"] = notes
    return result


def resolve(conn: sqlite3.Connection, older_id: str | None, newer_id: str | None,
            platform: str | None) -> tuple[list[tuple[Export, Export]], list[str]]:
    """The pairs to compare and notes about them; a UserError for what cannot be compared."""
    all_exports = exports(conn)
    if not all_exports:
        raise UserError("The vault holds no exports yet: import two exports of one account (datavault import PATH), "
                        "then compare them.")
    by_id = {e.id: e for e in all_exports}
    if older_id is not None or newer_id is not None:
        if older_id is None or newer_id is None:
            raise UserError("Name two exports to compare (datavault changes OLDER NEWER), or none for the last two "
                            "of each account.")
        picked = []
        for given in (older_id, newer_id):
            try:
                picked.append(by_id[int(given)])
            except (ValueError, KeyError):
                raise UserError(f"No import with id {given!r}. Known ids: "
                                f"{', '.join(str(e.id) for e in sorted(all_exports, key=lambda e: e.id))} "
                                "(see datavault inventory).") from None
        a, b = picked
        if a.id == b.id:
            raise UserError(f"Both ids name {a.name()}: give two different exports.")
        if platform is not None and not (platform in a.platforms and platform in b.platforms):
            raise UserError(f"--platform {platform}: {a.name()} is {a.platform} and {b.name()} is {b.platform}.")
        verdict = same_account(a, b)
        if verdict is False:
            if not (a.platforms & b.platforms):
                raise UserError(f"These are exports of different platforms ({a.name()} is {a.platform}, "
                                f"{b.name()} is {b.platform}): only two exports of one account can be compared.")
            raise UserError(f"These are exports of different accounts ({a.name()}: {_who(a)}; {b.name()}: "
                            f"{_who(b)}): only two exports of one account can be compared.")
        notes = []
        if verdict is None:
            notes.append("One of these exports names no account (no e-mail or user name in it): datavault cannot "
                         "confirm that both are of one account.")
        if (b.date, b.id) < (a.date, a.id):
            a, b = b, a
            notes.append(f"Compared in the order they were made: {a.name()} first.")
        return [(a, b)], notes
    if platform is not None and not any(platform in e.platforms for e in all_exports):
        known = sorted({p for e in all_exports for p in e.platforms})
        raise UserError(f"The vault holds no {platform} export (it holds {', '.join(known)}).")
    pairs = latest_pairs(conn, platform)
    if not pairs:
        mine = [e for e in all_exports if platform is None or platform in e.platforms]
        raise UserError("Nothing to compare: the vault holds no two successive exports of one account"
                        + (f" of {platform}" if platform else "") + f" ({_listing(mine)}). Import a later export "
                        "of the same account, or name two exports: datavault changes OLDER NEWER.")
    return pairs, []


def _who(e: Export) -> str:
    return ", ".join(sorted(i.split(":", 1)[1] for i in e.identifiers)[:3])


def _listing(items: Iterable[Export]) -> str:
    return "; ".join(f"{e.id}: {e.platform} {e.day}" for e in items)


# ---------------------------------------------------------------------------------------------------------------
# what the report needs


def removed_labels(conn: sqlite3.Connection) -> dict[tuple[str, str, str], str]:
    """{(platform, category, value): the date of the latest export of its account that no longer has it}: labels
    that an earlier export of an account held and its latest export (the latest that holds any label of that
    platform: one that holds none probably left them out of the download) does not."""
    gone: dict[tuple[str, str, str], str] = {}
    every = exports(conn)
    for group in accounts(every):
        group = successive(_with_parts(group, every))
        if len(group) < 2 or not group[-1].identifiers:
            continue
        labelled = [(e, _labels(conn, e.ids)) for e in group]
        labelled = [(e, labels) for e, labels in labelled if labels]
        if len(labelled) < 2:
            continue
        latest, current = labelled[-1]
        for _, labels in labelled[:-1]:
            for key in labels:
                if key not in current:
                    gone[key] = latest.day
    return gone


def since_last_export(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """The report's short section: per account with two successive exports, what changed between the last two."""
    out = []
    for older, newer in latest_pairs(conn):
        c = compare(conn, older, newer, detail=False)
        out.append({"older": c["older"], "newer": c["newer"], "appeared": len(c["appeared"]),
                    "disappeared": len(c["disappeared"]),
                    "only_older": sum(v["only_older"] for v in c["counts"].values()),
                    "only_newer": sum(v["only_newer"] for v in c["counts"].values()),
                    "command": f"datavault changes {older.id} {newer.id}" if len(older.ids) == len(newer.ids) == 1
                    else f"datavault changes --platform {newer.platform.split(',')[0]}"})
    return out


# ---------------------------------------------------------------------------------------------------------------
# the vault as it stood then (report --as-of)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?Z?)?$")


def as_of_sources(conn: sqlite3.Connection, as_of: str) -> tuple[list[int], dict[str, Any]]:
    """The ids of the exports the report ``--as-of`` keeps, and what it says about them: a source id keeps the
    exports made up to that one (itself included; by import order where one of the two has no export date); a
    date (YYYY-MM-DD) keeps those made (else imported) by the end of that day."""
    all_exports = exports(conn)
    if not all_exports:
        raise UserError("The vault holds no exports yet: nothing to show as of an earlier one.")
    text = as_of.strip()
    if text.isdigit():
        chosen = next((e for e in all_exports if e.id == int(text)), None)
        if chosen is None:
            raise UserError(f"--as-of {as_of}: no import with id {text}. Known ids: "
                            f"{', '.join(str(e.id) for e in sorted(all_exports, key=lambda e: e.id))} "
                            "(see datavault inventory).")
        kept = [e for e in all_exports if _up_to(e, chosen)]
        said = {"as_of": chosen.day, "source": chosen.id}
    elif _DATE.match(text):
        try:
            dt.date.fromisoformat(text[:10])
        except ValueError:
            raise UserError(f"--as-of {as_of}: not a date; give YYYY-MM-DD or an import id.") from None
        day = text[:10]
        kept = [e for e in all_exports if e.day <= day]
        said = {"as_of": day, "source": None}
        if not kept:
            raise UserError(f"--as-of {day}: no export was made by then (the first is {all_exports[0].name()}).")
    else:
        raise UserError(f"--as-of {as_of}: give an import id (see datavault inventory) or a date (YYYY-MM-DD).")
    said["sources"] = sorted(e.id for e in kept)
    said["left_out"] = sorted(e.id for e in all_exports if e not in kept)
    return [e.id for e in kept], said


def _up_to(e: Export, chosen: Export) -> bool:
    """``e`` belongs to the vault as it stood at ``chosen``: made no later (both have the date the platform made
    them), else imported no later (a chat file or a folder carries no such date)."""
    if e.id == chosen.id:
        return True
    if e.created and chosen.created:
        return (e.created, e.id) <= (chosen.created, chosen.id)
    return e.id < chosen.id


def as_of_copy(conn: sqlite3.Connection, keep: list[int]) -> sqlite3.Connection:
    """An in-memory copy of the vault holding only what the exports ``keep`` held (never written to disk: the
    person's data does not spill into a temporary file). Records are removed as ``forget`` removes them; the
    report's derived tables are dropped, so they are rebuilt from what is left."""
    from datavault.findings.derived import DROP_SQL
    from datavault.forgetting import remove_source

    _refuse_without_memory_for(conn)
    copy = sqlite3.connect(":memory:")
    conn.backup(copy)
    copy.row_factory = conn.row_factory
    copy.execute("PRAGMA temp_store = MEMORY")
    gone = [sid for (sid,) in copy.execute("SELECT id FROM sources") if sid not in set(keep)]
    cursor = copy.cursor()
    for sid in gone:
        remove_source(cursor, sid)
    for statement in DROP_SQL:
        copy.execute(statement)
    copy.execute("DROP TABLE IF EXISTS dv_report_cache")
    copy.commit()
    return copy


def available_memory() -> int | None:
    """Bytes of memory the system could give this process now (Linux: MemAvailable); None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _refuse_without_memory_for(conn: sqlite3.Connection) -> None:
    """The copy of ``as_of_copy`` lives in memory: a vault larger than most of the memory free now would push
    the machine into swapping or get this command killed, so it is refused first, with the sizes."""
    page_size, pages, free = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                              for p in ("page_size", "page_count", "freelist_count"))
    needed = (pages - free) * page_size
    available = available_memory()
    if available is not None and needed > 0.8 * available:
        raise UserError(f"--as-of works on a copy of the vault in memory, and this vault holds {needed / 1e9:.1f} "
                        f"GB while {available / 1e9:.1f} GB of memory is free now: close other programs and try "
                        "again, or run it on a machine with more memory (the vault is unchanged).")
