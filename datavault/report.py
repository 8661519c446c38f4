"""``datavault report`` and ``datavault score``: run the findings over a vault and assemble the report.

``build_report`` opens the vault, runs every finding provider, adds the charts' data (own activity by weekday
and hour, top contacts, a timeline of findings), the illustrative score and what could not be assessed, and
returns one JSON-ready dictionary (schema ``datavault-report/1``, documented in render/json_out.py). Renderers turn it into text, Markdown, HTML or JSON; they never touch SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from datavault import faults
from datavault.errors import UserError
from datavault.findings import PROVIDERS, engine, providers_for
from datavault.findings.derived import physical
from datavault.findings.parallel import Helper
from datavault.findings.clock import Clock, resolve_zone
from datavault.findings.model import CATEGORIES, CATEGORY_TITLES
from datavault.findings.rhythm import own_activity
from datavault.findings.ruleset import load_rules
from datavault.findings.ties import contact_table
from datavault.layout import known_current, leave_marker
from datavault.progress import NO_PROGRESS, Progress
from datavault.render.sources import cited_works
from datavault.score import compute_score, load_profile
from datavault.timeutil import PLAUSIBLE_FIRST_YEAR, PLAUSIBLE_LAST_YEAR

SCHEMA = "datavault-report/1"
_PLAUSIBLE_TS = (dt.datetime(PLAUSIBLE_FIRST_YEAR, 1, 1, tzinfo=dt.timezone.utc).timestamp(),
                 dt.datetime(PLAUSIBLE_LAST_YEAR + 1, 1, 1, tzinfo=dt.timezone.utc).timestamp())


def open_vault(vault_path: Path) -> sqlite3.Connection:
    vault_path = Path(vault_path)
    try:
        exists = vault_path.exists()
    except OSError as exc:  # a name too long for the system
        raise UserError(f"Cannot use {vault_path} as the vault: {exc.strerror or exc}.") from None
    if not exists:
        raise UserError(f"no vault at {vault_path}: import an export first (datavault import PATH), "
                        "or try datavault demo")
    # a vault of an earlier schema is brought up to date first (one that cannot be written says so): the
    # findings read the tables as this datavault writes them. The store's check loads SQLAlchemy, a third of a
    # cached report's time: a vault this code wrote last, unchanged in its schema since, needs none
    if not _known_current(vault_path):
        from datavault.store import Vault

        Vault.open(vault_path, create=False, writable=False).close()
        _mark_current(vault_path)
    conn = faults.connect(vault_path)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA temp_store = MEMORY")  # sorting and temporary tables never spill into /tmp
    return conn


def _known_current(vault_path: Path) -> bool:
    try:
        conn = sqlite3.connect(faults.read_only_uri(vault_path), uri=True)
    except (sqlite3.Error, OSError):
        return False
    try:
        return known_current(conn)
    finally:
        conn.close()


def _mark_current(vault_path: Path) -> None:
    """After the store's check (a datavault upgraded since the vault's last write, say): leave the marker, so the
    next command that reads need not ask again. Only if the vault can be written at once: never waits for a
    lock another program holds, and nothing is lost when it cannot."""
    if not faults.writable(vault_path):
        return
    try:
        conn = sqlite3.connect(vault_path, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
        leave_marker(conn)
        conn.execute("COMMIT")
    except sqlite3.Error:
        pass
    finally:
        conn.close()  # an open transaction is rolled back


def _year_range(conn: sqlite3.Connection) -> tuple[int, int]:
    """The years the data spans, from the indexed ``ts`` column (instant)."""
    years = []
    for table in ("messages", "activities", "locations", "posts", "purchases"):
        phys = physical(conn, table)
        if phys is None:
            continue
        # two queries: SQLite answers a lone min() or max() from the index, but not both at once
        lo = conn.execute(f"SELECT min(ts) FROM {phys}").fetchone()[0]
        hi = conn.execute(f"SELECT max(ts) FROM {phys}").fetchone()[0]
        # only plausible years (a record imported before implausible times got no ts may still hold 9999)
        years += [dt.datetime.fromtimestamp(t, dt.timezone.utc).year for t in (lo, hi)
                  if t is not None and _PLAUSIBLE_TS[0] <= t < _PLAUSIBLE_TS[1]]
    this_year = dt.date.today().year
    return (min(years, default=this_year), max(years, default=this_year))


def data_state(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """{table: (max rowid, rows)} for every record table, and the vault's data version: changes whenever an
    import or forget changes data."""
    out = {}
    try:  # counted by every import and forget: catches changes that add no row (an owner decided later)
        version = conn.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchone()
        out["data_version"] = (int(version[0]) if version else 0, 0)
    except sqlite3.OperationalError:
        pass
    try:  # the user's people decisions change who counts as one person
        out["person_decisions"] = tuple(conn.execute(
            "SELECT coalesce(max(id), 0), count(*) FROM person_decisions").fetchone())
    except sqlite3.OperationalError:
        pass
    for table in engine.TABLES:
        phys = physical(conn, table)
        if phys:
            out[table] = tuple(conn.execute(f"SELECT coalesce(max(rowid), 0), count(*) FROM {phys}").fetchone())
    return out


CACHE = "dv_report_cache"


def _cache_key(state: dict[str, tuple[int, int]], rules_fingerprint: str, zone: str) -> str:
    from datavault import __version__

    raw = json.dumps([__version__, rules_fingerprint, zone, sorted(state.items()),
                      [f"{p.__module__}.{p.__qualname__}" for p in PROVIDERS]])
    return hashlib.sha256(raw.encode()).hexdigest()


def _cache_get(conn: sqlite3.Connection, key: str) -> dict[str, Any] | None:
    try:
        row = conn.execute(f"SELECT body FROM {CACHE} WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return json.loads(row[0]) if row else None


def _cache_put(conn: sqlite3.Connection, key: str, body: dict[str, Any]) -> None:
    try:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {CACHE} (key TEXT PRIMARY KEY, body TEXT)")
        conn.execute(f"DELETE FROM {CACHE}")  # one entry, the latest: findings of changed data do not linger
        conn.execute(f"INSERT INTO {CACHE} (key, body) VALUES (?, ?)", (key, json.dumps(body, ensure_ascii=False)))
        conn.commit()
    except sqlite3.OperationalError:  # a read-only vault: nothing cached, nothing lost
        conn.rollback()


def compute_findings(conn: sqlite3.Connection, rules, zone, use_cache: bool = True,
                     only: set[str] | None = None, progress: Progress = NO_PROGRESS,
                     helper: Helper | None = None, all_evidence: bool = False) -> dict[str, Any]:
    """Findings, not assessed, clear, vault counts and chart data: from the cache when the data, the rules, the
    zone and the code are those it was computed with, else computed (and cached). ``only``: compute just the
    providers that can yield these finding ids (for a score); such a partial result is not cached.
    ``progress`` hears three phases when they are computed: the word index, the rollups, the findings.
    ``helper``: the second process (``findings/parallel.py``) that runs some providers meanwhile.
    ``all_evidence`` (with ``only``): every record behind the findings, unsampled, never cached."""
    state = data_state(conn)
    key = _cache_key(state, rules.fingerprint, zone.key)
    if use_cache and (hit := _cache_get(conn, key)) is not None:
        return hit
    first_year, last_year = _year_range(conn)
    ctx = engine.Ctx(conn, rules, Clock(zone, first_year - 1, last_year + 1), state, progress)
    ctx.all_evidence = all_evidence
    ctx.helper = helper if only is None else None
    providers = PROVIDERS if only is None else providers_for(only)
    ctx.text_schema  # the derived data first: its own phases, not a silent part of the first provider's
    def charts() -> dict[str, Any]:  # (cached in ctx: made while the second process ends, then read again)
        return {"activity_by_weekday_hour": own_activity(ctx) if ctx.has("messages", "activities", "posts") else [],
                "top_contacts": _top_contacts(contact_table(ctx)) if ctx.counts["messages"] else []}

    findings, not_assessed, clear = engine.run(ctx, providers, meanwhile=charts)
    body = {
        "records": dict(ctx.counts),
        "findings": [f.as_dict() for f in findings],
        "not_assessed": [n.as_dict() for n in not_assessed],
        "clear": [c.as_dict() for c in clear],
        "charts": charts(),
    }
    from datavault.expression.provider import report_additions

    body["expression"] = report_additions(ctx.cache)
    if providers == PROVIDERS:
        from datavault.changes import since_last_export

        body["since_last_export"] = since_last_export(conn)  # cached with the findings: scans two exports' rows
        _cache_put(conn, key, body)
    return body


def _top_contacts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The chart's bars; a name met on two platforms (a WhatsApp and a Messenger chat) says which is which."""
    names = [r["contact"] for r in rows]
    return [{"contact": r["contact"] if names.count(r["contact"]) == 1 else f"{r['contact']} ({r['platform']})",
             "messages": r["messages"], "from_you": r["from_you"], "to_you": r["to_you"]} for r in rows]


def prepare_vault(vault_path: Path, tz: str | None = None, progress: Progress = NO_PROGRESS) -> None:
    """Bring the report's derived data (word index, rollups) up to date and compute the findings for ``tz``
    (default: this computer's zone) into the cache: the pipeline may call this after an import, so that the
    first ``report`` and ``score`` only read the cache. ``progress`` hears each of these phases (none when
    the cache is up to date)."""
    helper = Helper.start(vault_path)  # forked before this process opens the vault
    try:
        conn = open_vault(vault_path)
        try:  # computing refreshes the derived data; a cache hit means the data has not changed since
            compute_findings(conn, load_rules(), resolve_zone(tz), progress=progress, helper=helper)
        finally:
            conn.close()
    finally:
        if helper is not None:
            helper.close()


def finding_evidence(vault_path: Path, finding_id: str, *, tz: str | None = None,
                     rules_dir: Path | None = None) -> dict[str, Any]:
    """One finding with every record behind it (``datavault evidence``): computed afresh for that finding alone,
    the word index's hits read in full rather than sampled. Raises a UserError for an id no provider yields, and
    for a finding the data does not support (saying whether it was not assessed)."""
    from datavault.findings import FINDING_IDS

    known = sorted(set().union(*FINDING_IDS.values()))
    if finding_id not in known:
        raise UserError(f"No finding is called {finding_id!r}. Finding ids: {', '.join(known)}.")
    conn = open_vault(vault_path)
    try:
        body = compute_findings(conn, load_rules(rules_dir), resolve_zone(tz), use_cache=False, only={finding_id},
                                all_evidence=True)
    finally:
        conn.close()
    for finding in body["findings"]:
        if finding["id"] == finding_id:
            return finding
    why = next((n.get("reason") for n in body["not_assessed"] if n["id"] == finding_id), None)
    raise UserError(f"The report has no finding {finding_id!r} for this vault"
                    + (f": not assessed ({why})." if why else ": the data does not support it."))


def build_report(vault_path: Path, *, tz: str | None = None, rules_dir: Path | None = None,
                 profile: str | Path | None = None, redact: bool = False,
                 now: dt.datetime | None = None, use_cache: bool = True, as_of: str | None = None,
                 all_evidence: bool = False) -> dict[str, Any]:
    """The report dictionary. ``as_of`` (an import id or a date): as it stood then, computed on an in-memory
    copy of the vault that holds only what the exports made up to then held (datavault/changes.py).
    ``all_evidence`` (for the HTML report): each finding that shows only some of its records also gets
    ``evidence_all``, the rows ``datavault evidence ID`` prints, at most ALL_EVIDENCE_INLINE of them, and
    ``evidence_all_total``, how many that command prints."""
    conn = open_vault(vault_path)
    as_of_said = None
    try:
        rules = load_rules(rules_dir)
        zone = resolve_zone(tz)
        scorer = load_profile(profile)  # a bad --profile fails before the work, not after
        if as_of is not None:
            from datavault.changes import as_of_copy, as_of_sources

            keep, as_of_said = as_of_sources(conn, as_of)
            copy = as_of_copy(conn, keep)
            conn.close()
            conn = copy
        body = compute_findings(conn, rules, zone, use_cache)
        if "since_last_export" not in body:  # a cache entry written before this key existed
            from datavault.changes import since_last_export

            body["since_last_export"] = since_last_export(conn)
        found = body["findings"]
        _side_by_side(found)
        if all_evidence:
            _attach_all_evidence(conn, rules, zone, found)
        report: dict[str, Any] = {
            "schema": SCHEMA,
            "generated": (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "timezone": zone.key,
            "rules_version": rules.version,
            "vault": {"records": body["records"], "total": sum(body["records"].values())},
            "summary": _summary(found),
            "findings": found,
            # each work the findings' research context cites, once, numbered (datavault/render/sources.py)
            "references": cited_works(found),
            "not_assessed": body["not_assessed"],
            "clear": body["clear"],
            "score": compute_score(found, scorer, [n["id"] for n in body["not_assessed"]],
                                   [c["id"] for c in body["clear"]]),
            "charts": {**body["charts"], "timeline": _timeline(found)},
            # the expression work's chart data: monthly sentiment of your own words, the model's bias audit
            "expression": body.get("expression") or {},
            "redacted": redact,
            # what changed between the last two exports of an account (only when a vault holds two of one)
            **({"since_last_export": body["since_last_export"]} if body["since_last_export"] else {}),
            **({"as_of": as_of_said} if as_of_said else {}),
            "caveats": [
                "Findings show what a scorer COULD conclude from these records, not what is true about you.",
                "Research figures are context from published studies of other people, never this tool's accuracy.",
                "The score is an illustration with a visible toy formula, not any real scorer's model.",
            ],
        }
        from datavault.rights.gaps import export_gaps

        report["gaps"] = export_gaps(conn)  # what each imported platform's export leaves out (datavault/rights)
        from datavault.rights.letters import requests_for

        by_id = {f["id"]: f for f in found}
        for finding_id, requests in requests_for(conn, report).items():  # the letters a person can send about it
            by_id[finding_id]["requests"] = requests
        if redact:
            from datavault.redact import redactor_for
            report = redactor_for(conn).walk(report)
        return report
    finally:
        conn.close()


ALL_EVIDENCE_INLINE = 500  # records of one finding listed in the HTML report; the rest: datavault evidence ID


def _attach_all_evidence(conn: sqlite3.Connection, rules, zone, found: list[dict[str, Any]]) -> None:
    """Give each finding that shows fewer records than it counts the full list ``datavault evidence`` prints,
    computed once for all of them (the word index read in full), capped at ALL_EVIDENCE_INLINE a finding."""
    partial = {f["id"] for f in found if (f.get("evidence_total") or 0) > len(f["evidence"])}
    if not partial:
        return
    every = {f["id"]: f["evidence"] for f in compute_findings(conn, rules, zone, use_cache=False, only=partial,
                                                             all_evidence=True)["findings"]}
    for f in found:
        rows = every.get(f["id"])
        if f["id"] in partial and rows is not None:
            f["evidence_all"] = rows[:ALL_EVIDENCE_INLINE]
            f["evidence_all_total"] = len(rows)


def _side_by_side(found: list[dict[str, Any]]) -> None:
    """Mark each platform label with whether datavault's own matching finding was found too."""
    ids = {f["id"] for f in found}
    for f in found:
        if f["id"] == "platform_conclusions":
            for d in f["details"]:
                d["datavault_agrees"] = [x for x in d.get("datavault_finding", []) if x in ids]


def _summary(found: list[dict[str, Any]]) -> dict[str, Any]:
    by_cat = {c: [f["id"] for f in found if f["category"] == c] for c in CATEGORIES}
    sensitive = sorted({s for f in found for s in f["sensitive"]})
    return {
        "findings": len(found),
        "strong": sum(1 for f in found if f["strength"] == "strong"),
        "by_category": by_cat,
        "category_titles": CATEGORY_TITLES,
        "sensitive": sensitive,
    }


def _timeline(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per finding, the months its shown evidence falls in (for the timeline chart)."""
    out = []
    for f in found:
        months: dict[str, int] = {}
        for e in f["evidence"]:
            t = e.get("time")
            if t and len(t) >= 7 and t[:4].isdigit():
                months[t[:7]] = months.get(t[:7], 0) + 1
        if months:
            out.append({"finding": f["id"], "title": f["title"], "months": dict(sorted(months.items()))})
    return out


def build_score(vault_path: Path, *, tz: str | None = None, rules_dir: Path | None = None,
                profile: str | Path | None = None, use_cache: bool = True) -> dict[str, Any]:
    """The score alone, with the findings it used: what ``datavault score`` prints. It reuses the findings of the
    last report when nothing changed since; otherwise it computes only the findings its profile weighs."""
    conn = open_vault(vault_path)
    try:
        rules = load_rules(rules_dir)
        zone = resolve_zone(tz)
        scorer = load_profile(profile)
        weighed = {w["finding"] for w in scorer["weight"]}
        body = compute_findings(conn, rules, zone, use_cache, only=weighed)
    finally:
        conn.close()
    found = body["findings"]
    return {"score": compute_score(found, scorer, [n["id"] for n in body["not_assessed"]],
                                   [c["id"] for c in body["clear"]]),
            "findings": [{"id": f["id"], "title": f["title"], "category": f["category"], "strength": f["strength"]}
                         for f in found if f["id"] in weighed],
            "not_assessed": [n for n in body["not_assessed"] if n["id"] in weighed],
            "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}


def write_private(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only (0600), whatever the umask, byte for byte (a str as
    UTF-8, never with its line ends rewritten).

    Portable: ``os.fchmod`` exists on Windows only from Python 3.13, so without it the path is chmodded after the
    file is opened (still before a byte is written; on Windows this only clears the read-only flag, and the file
    gets the folder's access list, which under the user's own folders is the user's alone). ``O_BINARY`` (Windows
    only) keeps the C library from turning each LF into CRLF."""
    path = Path(path)
    payload = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except IsADirectoryError:
        raise UserError(f"Cannot write to {path}: it is a folder; name a file (e.g. {path / 'report.html'}).") from None
    except FileNotFoundError:
        raise UserError(f"Cannot write to {path}: the folder {path.parent} does not exist.") from None
    except PermissionError:
        if path.is_dir():  # Windows says "permission denied" for a folder
            raise UserError(f"Cannot write to {path}: it is a folder; name a file (e.g. {path / 'report.html'}).") \
                from None
        raise UserError(f"Cannot write to {path}: permission denied.") from None
    except OSError as exc:  # a name too long, a read-only place
        raise UserError(f"Cannot write to {path}: {exc.strerror or exc}.") from None
    try:
        fchmod = getattr(os, "fchmod", None)
        if fchmod is not None:
            fchmod(fd, 0o600)
        else:
            os.chmod(path, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(payload)
    except OSError as exc:  # the disk filled up
        raise UserError(f"Cannot write to {path}: {exc.strerror or exc}.") from None
    finally:
        if fd != -1:
            os.close(fd)
