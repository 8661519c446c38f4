"""Home, work and routine; uniqueness; sensitive places. All from the ``locations`` view, through its rollups.

**Home and work come from dwell, on any schedule.** Location records are put in grid cells of about 100 m
(neighbouring cells are one place: GPS jitter); the rollup ``dv_roll_cell_days`` says, per cell and day, which
hours had a record, and ``dv_roll_stays`` adds every hour a visit lasted. A place's hours make *stays* (runs of
hours, across a one-hour gap). Home is the place where the person spends the most hours; work another place with
long stays (``work_min_stay_hours``) on enough days, coming back most weeks, on some weekdays or at a fixed
starting time: a night-shift nurse gets the hospital as her workplace and her home as where she sleeps by day.
The schedule is stated ("mostly 22:00-07:00, 4 days a week"). The platform's own labels (Google's HOME/WORK
semantic types, ``semantic_place`` inferences) are never counted: they are shown beside a finding drawn from the
person's own records ("Google labels this place HOME"), and never raise one alone.

**Uniqueness** takes the four most frequent (1 km cell, hour) pairs. **Sensitive places** come from place names
matched to the place categories of ``rules/places.toml`` with a proper-name guard (the category word must be the
name's head: "Chapel Allerton Lawn Tennis Club" is a tennis club), and Maps searches for such places. A place that
is the person's home or workplace is not evidence of being a patient, parent or believer: it is reported in
``home_work`` ("you work at a hospital"). datavault has no map database: places without a name are only
coordinates, and only named places can be categorised.

Every location finding needs ``min_days`` distinct days with location records (thresholds.toml); below that it
is "not assessed", with the numbers. Aggregate evidence cites a sample of the records it was computed from (the
first, a middle one and the latest), each with its own time, source file and locator.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from datavault.findings import textindex
from datavault.findings.engine import Clear, Ctx
from datavault.findings.model import Evidence, Finding, NotAssessed, plural
from datavault.findings.rollup import AREA_DECIMALS, AREA_WEEKS, BLOCK_HOURS
from datavault.findings.ruleset import PlaceCategory, fold, tokens
from datavault.layout import FILE_NAME

NO_LOCATIONS = "no location history imported (Google Takeout Location History / Timeline, or Facebook check-ins)"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
LABEL_ROLES = {"TYPE_HOME": "HOME", "HOME": "HOME", "TYPE_WORK": "WORK", "WORK": "WORK"}
CATEGORY_WORDS = {"place_of_worship": "place of worship", "clinic": "hospital, clinic or pharmacy",
                  "party_office": "party office", "union_office": "union office", "lgbt_venue": "LGBT venue",
                  "gambling": "betting place", "pawn_or_payday": "pawnbroker or payday lender",
                  "court_or_police": "court or police station"}


def record_at(ctx: Ctx, table: str, rowid: int | None) -> dict[str, Any]:
    """time, source_file and locator of one record by its rowid (for evidence), cached."""
    def compute() -> dict[str, Any]:
        row = ctx.q(f"SELECT time, {FILE_NAME} AS source_file, locator FROM rec_{table} WHERE rowid = ?", (rowid,))
        return dict(row[0]) if row else {"time": None, "source_file": None, "locator": None}
    return ctx.cached(f"rec:{table}:{rowid}", compute)


def sample_rows(rows: list[tuple[str | None, int]], k: int) -> list[int]:
    """Rowids of up to ``k`` records from (time, rowid) rows: the first, middle ones and the latest."""
    rows = sorted({r for r in rows if r[1] is not None}, key=lambda r: (r[0] or "", r[1]))
    if len(rows) <= k:
        return [r[1] for r in rows]
    picks = sorted({round(i * (len(rows) - 1) / (k - 1)) for i in range(k)}) if k > 1 else [len(rows) - 1]
    return [rows[i][1] for i in picks]


def sample_evidence(ctx: Ctx, rows: list[tuple[str | None, int]], k: int, text: str) -> list[Evidence]:
    out = []
    for n, rowid in enumerate(sample_rows(rows, k)):
        rec = record_at(ctx, "locations", rowid)
        out.append(Evidence("locations", rec["time"], rec["source_file"], rec["locator"],
                            text.replace("{n}", str(n + 1)).replace("{of}", str(min(k, len(rows))))))
    return out


def where_it_lives(source_files: list[str | None]) -> str:
    """The place in the platform's settings where location records of these files can be deleted."""
    joined = " ".join(s or "" for s in source_files).lower()
    places = []
    if any(w in joined for w in ("location history", "semantic", "timeline", "records.json", "location-history",
                                 "standortverlauf", "historique des positions", "historial de ubicaciones")):
        places.append("Google Maps › Your Timeline")
    if any(w in joined for w in ("facebook", "check-in", "check_in", "checkin", "your_activity_across_facebook",
                                 "your_places", "places_visited")):
        places.append("Facebook › Activity log › Check-ins")
    return " and ".join(places) or "the platform's location history"


# ---- sufficiency ----------------------------------------------------------------------------------------------


def location_days(ctx: Ctx) -> int:
    """Distinct days with location records (UTC days of the rollup)."""
    def compute() -> int:
        if not ctx.counts["locations"]:
            return 0
        days: set[int] = set()
        # per UTC day, its hours with a record: the lowest bit is its first, the highest its last
        for inst, day, hours in ctx.q(f"SELECT instant, day, hours FROM {ctx.roll('dv_roll_loc_days')}"):
            start = day * 24 + ctx.clock.shift_hours(day * 86400 + 43200, bool(inst))
            days.add((start + (hours & -hours).bit_length() - 1) // 24)  # the day's first and last hour, local
            days.add((start + hours.bit_length() - 1) // 24)
        return len(days)
    return ctx.cached("location_days", compute)


def location_gate(ctx: Ctx, fid: str) -> NotAssessed | None:
    """NotAssessed with the numbers when the location history is below ``fid``'s ``min_days``."""
    if not ctx.counts["locations"]:
        return NotAssessed(fid, NO_LOCATIONS)
    need = int(ctx.rules.threshold(fid, "min_days"))
    days = location_days(ctx)
    if days < need:
        return NotAssessed(fid, f"location on {plural(days, 'day')}; at least {need} needed "
                                f"({ctx.rules.threshold(fid, 'min_days_why')})")
    return None


# ---- place names: categories with a proper-name guard -----------------------------------------------------------


@dataclass(slots=True)
class _Cue:
    category: PlaceCategory
    kind: str                 # "phrase", "prefix" or "suffix"
    words: tuple[str, ...]    # folded tokens (one stem for prefix/suffix)
    head_initial: bool


@dataclass(slots=True)
class PlaceGuard:
    cues: list[_Cue] = field(default_factory=list)
    neutral: set[tuple[str, ...]] = field(default_factory=set)
    neutral_suffixes: tuple[str, ...] = ()
    connectors: set[str] = field(default_factory=set)
    followers: set[str] = field(default_factory=set)
    query_words: set[str] = field(default_factory=set)

    def classify(self, name: str | None, query: bool = False) -> tuple[PlaceCategory, str] | None:
        """The category whose word is the head of ``name``, and that word; None if no category word is."""
        if not name:
            return None
        toks = tokens(name)
        matches: list[tuple[int, int, _Cue]] = []
        for cue in self.cues:
            if cue.kind == "phrase":
                n = len(cue.words)
                for i in range(len(toks) - n + 1):
                    if tuple(toks[i:i + n]) == cue.words:
                        matches.append((i, i + n, cue))
                continue
            stem = cue.words[0]
            for i, tok in enumerate(toks):
                if tok.endswith(stem) if cue.kind == "suffix" else tok.startswith(stem):
                    if tok != stem and any(tok.endswith(s) for s in self.neutral_suffixes):
                        continue  # Kirchstraße, Klinikweg: an address
                    matches.append((i, i + 1, cue))
        if not matches:
            return None
        neutral = [(i, i + len(p)) for p in self.neutral for i in range(len(toks) - len(p) + 1)
                   if tuple(toks[i:i + len(p)]) == p]
        starts = {m[0] for m in matches}
        valid = []
        for i, j, cue in matches:
            if any(ns >= j for ns, _ in neutral):
                continue  # a neutral type word after it is the head: "... Tennis Club", "Church Street ..."
            if cue.head_initial:
                if any(ne <= i for _, ne in neutral):
                    continue  # "Calle de la Iglesia", "Rue de l'Église"
            elif j < len(toks):
                nxt = toks[j]
                if not (nxt in self.connectors or nxt in self.followers or j in starts
                        or (query and all(t in self.query_words or t.isdigit() for t in toks[j:]))):
                    continue  # part of a proper name: "Chapel Allerton", "Temple Newsam"
            valid.append((i, j, cue))
        if not valid:
            return None
        i, j, cue = max(valid, key=lambda m: (m[1], m[1] - m[0]))
        return cue.category, " ".join(toks[i:j])


def _cue(category: PlaceCategory, word: str, head_initial: bool) -> _Cue | None:
    w = fold(word).strip()
    if w.startswith("*") and len(w) > 1:
        return _Cue(category, "suffix", (w[1:],), head_initial)
    if w.endswith("*") and len(w) > 1:
        return _Cue(category, "prefix", (w[:-1],), head_initial)
    toks = tuple(tokens(w))
    return _Cue(category, "phrase", toks, head_initial) if toks else None


def _raw_rule_files(rules) -> list[dict[str, Any]]:
    """The TOML of every rules file the rules were read from, in order (for the guard's own keys)."""
    out = []
    base = resources.files("datavault.findings.rules")
    for label in rules.sources:
        prefix = "datavault/findings/rules/"
        path = base / label.removeprefix(prefix) if label.startswith(prefix) else Path(label)
        try:
            out.append(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError):  # read once already by load_rules: cannot really fail
            out.append({})
    return out


def place_guard(ctx: Ctx) -> PlaceGuard:
    def compute() -> PlaceGuard:
        guard = PlaceGuard()
        cats = iter(ctx.rules.places)  # one PlaceCategory per [[place]] entry, in file order
        neutral_suffixes: list[str] = []
        for data in _raw_rule_files(ctx.rules):
            for entry in data.get("place", []):
                cat = next(cats, None)
                if cat is None:
                    break
                for word in cat.words:
                    if (c := _cue(cat, word, False)):
                        guard.cues.append(c)
                for word in entry.get("head_initial", []):
                    if (c := _cue(cat, str(word), True)):
                        guard.cues.append(c)
            types = data.get("place_types") or {}
            guard.neutral |= {tuple(tokens(w)) for w in types.get("neutral", []) if tokens(w)}
            neutral_suffixes += [fold(w) for w in types.get("neutral_suffixes", [])]
            for key in ("connectors", "followers", "query_words"):
                getattr(guard, key).update(fold(w) for w in types.get(key, []))
        guard.neutral_suffixes = tuple(neutral_suffixes)
        return guard
    return ctx.cached("place_guard", compute)


# ---- named places ----------------------------------------------------------------------------------------------


def named_places(ctx: Ctx) -> list[dict[str, Any]]:
    """Per (place name, semantic type): visits, days, first/last, latest record, dwell hours, months."""
    def compute() -> list[dict[str, Any]]:
        rows = ctx.q(
            "SELECT nullif(place, '') AS place_name, nullif(semantic, '') AS semantic_type, sum(n) AS visits, "
            "count(*) AS days, min(first) AS first, max(last) AS last, max(last_rowid) AS last_rowid, "
            "round(sum(lat_sum) / sum(n), 4) AS lat, round(sum(lon_sum) / sum(n), 4) AS lon, "
            "sum(dwell) / 3600.0 AS hours, group_concat(DISTINCT substr(day, 1, 7)) AS months "
            f"FROM {ctx.roll('dv_roll_places')} GROUP BY place, semantic ORDER BY visits DESC, place")
        out = []
        for r in rows:
            rec = record_at(ctx, "locations", r["last_rowid"])
            out.append(dict(r) | {"source_file": rec["source_file"], "locator": rec["locator"],
                                  "months": sorted(m for m in r["months"].split(",") if m) if r["months"] else []})
        return out
    return ctx.cached("named_places", compute)


def _place_days(ctx: Ctx, p: dict[str, Any]) -> list[tuple[str | None, int]]:
    """(first time, rowid of that day's latest record) per day with a visit to the named place ``p``."""
    return [(r[0], r[1]) for r in ctx.q(
        f"SELECT first, last_rowid FROM {ctx.roll('dv_roll_places')} WHERE place = ? AND semantic = ?",
        (p["place_name"] or "", p["semantic_type"] or ""))]


def categorised_places(ctx: Ctx) -> list[dict[str, Any]]:
    """Named places whose name's head is a place category word, with the role ('home', 'work') they play."""
    def compute() -> list[dict[str, Any]]:
        guard = place_guard(ctx)
        routine_ = routine(ctx)
        out = []
        for p in named_places(ctx):
            hit = guard.classify(p["place_name"])
            if hit is None:
                continue
            cat, word = hit
            role = next((c.role for c in (routine_.home, routine_.work)
                         if c is not None and p["lat"] is not None and c.holds(p["lat"], p["lon"])), None)
            out.append(p | {"category": cat.category, "sensitive": cat.sensitive, "source": cat.source,
                            "word": word, "role": role})
        return out
    if not ctx.counts["locations"]:
        return []
    return ctx.cached("categorised_places", compute)


def place_visits(ctx: Ctx) -> list[dict[str, Any]]:
    """Named places in a place category that are neither home nor workplace, with an evidence record each."""
    out = []
    for p in categorised_places(ctx):
        if p["role"]:
            continue
        hours = f", {p['hours']:.1f} h in all" if p["hours"] else ""
        out.append(p | {"evidence": Evidence(
            "locations", p["last"], p["source_file"], p["locator"],
            f"{p['place_name']} ({p['category'].replace('_', ' ')}): {plural(p['visits'], 'visit')} on "
            f"{plural(p['days'], 'day')}{hours}")})
    return out


# ---- dwell: home and work ----------------------------------------------------------------------------------------


@dataclass(slots=True)
class Stay:
    start: int   # local hour index (hours since the epoch, local time)
    end: int     # exclusive
    present: int  # hours with a record

    @property
    def hours(self) -> int:
        return self.end - self.start

    @property
    def day(self) -> int:
        return self.start // 24

    @property
    def weekday(self) -> int:
        return (self.day + 3) % 7  # 1970-01-01 was a Thursday


@dataclass(slots=True)
class Cluster:
    cell: tuple[float, float]             # the cell seen on most days
    cells: list[tuple[float, float]]
    radius: int
    bits: int = 0                         # bit i: local hour base + i had a record
    base: int = 0
    rows: list[tuple[str | None, int]] = field(default_factory=list)  # (time, rowid) to sample records from
    hours: int = 0
    days: int = 0
    stays: list[Stay] = field(default_factory=list)
    role: str | None = None
    long_stays: list[Stay] = field(default_factory=list)
    schedule: dict[str, Any] = field(default_factory=dict)

    def holds(self, lat: float, lon: float) -> bool:
        return any(abs(round((lat - a) * 1000)) <= self.radius and abs(round((lon - b) * 1000)) <= self.radius
                   for a, b in self.cells)


@dataclass(slots=True)
class Routine:
    home: Cluster | None = None
    work: Cluster | None = None
    clusters: list[Cluster] = field(default_factory=list)


def _schedule(stays: list[Stay], night_hours: int) -> dict[str, Any]:
    """Most common start and end hour, weekdays, days a week (in the weeks with any), night share."""
    if not stays:
        return {}
    starts = Counter(s.start % 24 for s in stays)
    ends = Counter(s.end % 24 for s in stays)
    weekday_n = Counter(s.weekday for s in stays)
    ordered = sorted(weekday_n.items(), key=lambda kv: (-kv[1], kv[0]))
    # the weekdays it mostly falls on: those with at least half as many stays as the most frequent one
    subset = [wd for wd, n in ordered if n * 2 >= ordered[0][1]]
    covered = sum(weekday_n[wd] for wd in subset)
    days = {s.day for s in stays}
    weeks = {(d + 3) // 7 for d in days}  # weeks starting on Monday
    night = sum(1 for s in stays if sum(1 for h in range(s.start, min(s.end, s.start + 48)) if h % 24 < 5)
                >= night_hours)
    start_hour = max(starts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    near_start = sum(n for h, n in starts.items() if min((h - start_hour) % 24, (start_hour - h) % 24) <= 1)
    return {"start": start_hour, "end": max(ends.items(), key=lambda kv: (kv[1], -kv[0]))[0],
            "weekdays": sorted(subset), "weekday_share": covered / len(stays),
            "start_share": near_start / len(stays), "days": len(days), "weeks": len(weeks),
            "per_week": round(len(days) / max(1, len(weeks))), "night_share": night / len(stays),
            "first_day": min(days), "last_day": max(days)}


def _weekday_span(days: list[int]) -> str:
    days = sorted(days)
    if len(days) >= 3 and days == list(range(days[0], days[-1] + 1)):
        return f"{WEEKDAYS[days[0]]}-{WEEKDAYS[days[-1]]}"
    return ", ".join(WEEKDAYS[d] for d in days)


def describe(s: dict[str, Any]) -> str:
    """'mostly 22:00-07:00, 4 days a week (Mon-Thu)'."""
    if not s:
        return ""
    return (f"mostly {s['start']:02d}:00-{s['end']:02d}:00, {plural(s['per_week'], 'day')} a week "
            f"({_weekday_span(s['weekdays'])})")


def routine(ctx: Ctx) -> Routine:
    """Places (clusters of cells) with their hours and stays; home and work among them."""
    def compute() -> Routine:
        out = Routine()
        if not ctx.counts["locations"]:
            return out
        t = ctx.rules.thresholds["home_work"]
        radius = int(t["cluster_radius_cells"])
        gap = int(t["gap_hours"])
        cells = ctx.q(f"SELECT clat, clon, count(*) AS days, sum(n) AS n FROM {ctx.roll('dv_roll_cell_days')} "
                      "GROUP BY 1, 2 ORDER BY days DESC, n DESC, 1, 2 LIMIT 400")
        clusters: list[Cluster] = []
        sizes: list[int] = []
        for lat, lon, days, _ in cells:
            for i, c in enumerate(clusters):  # near the place's own most-seen cell (no chains along a path)
                if abs(round((lat - c.cell[0]) * 1000)) <= radius and abs(round((lon - c.cell[1]) * 1000)) <= radius:
                    c.cells.append((lat, lon))
                    sizes[i] += days
                    break
            else:
                clusters.append(Cluster((lat, lon), [(lat, lon)], radius))
                sizes.append(days)
        top = [c for _, c in sorted(zip(sizes, clusters), key=lambda sc: -sc[0])[:12]]
        if not top:
            return out
        ctx.conn.execute("DROP TABLE IF EXISTS temp.dv_pick")
        ctx.conn.execute("CREATE TEMP TABLE dv_pick (clat REAL, clon REAL, cid INTEGER)")
        ctx.conn.executemany("INSERT INTO temp.dv_pick VALUES (?, ?, ?)",
                             [(lat, lon, i) for i, c in enumerate(top) for lat, lon in c.cells])
        day_rows = ctx.q(f"SELECT p.cid, c.instant, c.day, c.hours, c.first, c.last_rowid FROM temp.dv_pick p "
                         f"JOIN {ctx.roll('dv_roll_cell_days')} c ON c.clat = p.clat AND c.clon = p.clon")
        visit_rows = ctx.q(f"SELECT p.cid, s.instant, s.hb, s.hb_end, s.first, s.last_rowid FROM temp.dv_pick p "
                           f"JOIN {ctx.roll('dv_roll_stays')} s ON s.clat = p.clat AND s.clon = p.clon")
        ctx.conn.execute("DROP TABLE temp.dv_pick")
        if not day_rows:
            return out
        base = (min(r[2] for r in day_rows) - 2) * 24
        shifts: dict[tuple[int, int], int] = {}

        def shift(day: int, inst: int) -> int:
            key = (day, inst)
            if key not in shifts:
                shifts[key] = ctx.clock.shift_hours(day * 86400 + 43200, bool(inst))
            return shifts[key]

        for cid, inst, day, mask, first, rowid in day_rows:
            c = top[cid]
            c.bits |= mask << (day * 24 + shift(day, inst) - base)
            c.rows.append((first, rowid))
        for cid, inst, hb, hb_end, first, rowid in visit_rows:
            c = top[cid]
            length = max(1, min(hb_end - hb + 1, 72)) if hb_end is not None else 1
            start = hb + shift(hb // 24, inst) - base
            if start >= 0:
                c.bits |= ((1 << length) - 1) << start
            c.rows.append((first, rowid))
        run = re.compile("1(?:0{0,%d}1)*" % gap)
        for c in top:
            c.base = base
            c.hours = c.bits.bit_count()
            text = bin(c.bits)[:1:-1]
            days: set[int] = set()
            for m in run.finditer(text):
                c.stays.append(Stay(base + m.start(), base + m.end(), m.group(0).count("1")))
            for m in re.finditer("1+", text):
                days.update(range((base + m.start()) // 24, (base + m.end() - 1) // 24 + 1))
            c.days = len(days)
        out.clusters = top
        home = max(top, key=lambda c: (c.hours, c.days, c.cell))
        if home.hours:
            home.role = "home"
            home.long_stays = [s for s in home.stays if s.hours >= t["home_min_stay_hours"]]
            home.schedule = _schedule(home.long_stays, int(t["night_hours"]))
            out.home = home
        candidates = []
        for c in top:
            if c is home:
                continue
            long_stays = [s for s in c.stays if s.hours >= t["work_min_stay_hours"]]
            sched = _schedule(long_stays, int(t["night_hours"]))
            if not sched or sched["days"] < t["work_min_days"]:
                continue
            span_weeks = (sched["last_day"] + 3) // 7 - (sched["first_day"] + 3) // 7 + 1
            if sched["weeks"] / span_weeks < t["work_week_share"]:
                continue
            on_weekdays = (sched["weekday_share"] >= t["work_weekday_share"]
                           and len(sched["weekdays"]) <= t["work_max_weekdays"])
            if not (on_weekdays or sched["start_share"] >= t["work_start_share"]):
                continue
            c.long_stays, c.schedule = long_stays, sched
            candidates.append(c)
        if candidates:
            work = max(candidates, key=lambda c: (c.schedule["days"], sum(s.hours for s in c.long_stays), c.cell))
            work.role = "work"
            out.work = work
        return out
    return ctx.cached("routine", compute)


def provide(ctx: Ctx):
    yield from home_work(ctx)
    yield from uniqueness(ctx)
    yield from sensitive_places(ctx)


def _labels(ctx: Ctx, r: Routine) -> list[dict[str, Any]]:
    """The platform's HOME/WORK labels, each with the datavault place it falls in (if any). Never counted."""
    out = []
    for p in named_places(ctx):
        role = LABEL_ROLES.get((p["semantic_type"] or "").upper())
        if not role:
            continue
        at = next((c.role for c in (r.home, r.work) if c and p["lat"] is not None and c.holds(p["lat"], p["lon"])),
                  None)
        out.append({"label": role, "place": p["place_name"], "at": at, "table": "locations", "time": p["last"],
                    "source_file": p["source_file"], "locator": p["locator"], "lat": p["lat"], "lon": p["lon"]})
    if ctx.counts["platform_inferences"]:
        for row in ctx.q(f"SELECT platform, value, time, {FILE_NAME} AS source_file, locator, "
                         "json_extract(extra, '$.lat') AS lat, json_extract(extra, '$.lon') AS lon, "
                         "json_extract(extra, '$.label') AS label "
                         "FROM rec_platform_inferences WHERE category = 'semantic_place' ORDER BY value"):
            label = str(row["label"] or row["value"].partition(":")[0]).upper()
            at = next((c.role for c in (r.home, r.work) if c and row["lat"] is not None
                       and c.holds(float(row["lat"]), float(row["lon"]))), None)
            out.append({"label": label, "place": row["value"], "at": at, "table": "platform_inferences",
                        "time": row["time"], "source_file": row["source_file"], "locator": row["locator"],
                        "lat": row["lat"], "lon": row["lon"]})
    return out


def home_work(ctx: Ctx):
    gate = location_gate(ctx, "home_work")
    if gate:
        yield gate
        return
    t = ctx.rules.thresholds["home_work"]
    k = int(t["sample"])
    r = routine(ctx)
    if not r.home:
        yield Clear("home_work", "Home, work and daily routine", "location records exist but no place recurs")
        return
    home, work = r.home, r.work
    places = categorised_places(ctx)
    evidence: list[Evidence] = []
    details: list[dict[str, Any]] = []
    measures: dict[str, Any] = {}
    said = []
    for c in (home, work):
        if c is None:
            continue
        lat, lon = c.cell
        role = c.role
        sched = c.schedule
        named = [p for p in places if p["role"] == role] or [
            p | {"category": None, "word": None} for p in named_places(ctx)
            if p["place_name"] and fold(p["place_name"]) not in ("home", "work") and p["lat"] is not None
            and c.holds(p["lat"], p["lon"])]
        measures[f"{role}_cell"] = [lat, lon]
        measures[f"{role}_hours"] = c.hours
        measures[f"{role}_days"] = c.days
        measures[f"{role}_long_stay_days"] = sched.get("days", 0)
        measures[f"{role}_schedule"] = (describe(sched) if role == "work" else
                                        f"mostly {sched['start']:02d}:00-{sched['end']:02d}:00" if sched else "")
        if role == "work":
            measures["work_night_share"] = round(sched["night_share"], 2)
            measures["work_days_per_week"] = sched["per_week"]
        if named:
            measures[f"{role}_place"] = named[0]["place_name"]
            if named[0]["category"]:
                measures[f"{role}_place_category"] = named[0]["category"]
        details.append({"role": role, "lat": lat, "lon": lon, "hours": c.hours, "days": c.days,
                        "long_stay_days": sched.get("days", 0), "schedule": measures[f"{role}_schedule"],
                        "place": named[0]["place_name"] if named else None,
                        "place_category": named[0]["category"] if named else None, "label": "datavault"})
        what = f"around {lat:.3f}, {lon:.3f}" + (f" ({named[0]['place_name']})" if named else "")
        evidence += sample_evidence(ctx, c.rows, k, f"{role}: a record {what}, "
                                                    f"{c.hours} hours seen there on {plural(c.days, 'day')} "
                                                    "(sample {n} of {of})")
        if role == "home":
            said.append(f"where you live ({what}: the place you spend most time, {c.hours} hours on "
                        f"{plural(c.days, 'day')}"
                        + (f", long stays mostly {sched['start']:02d}:00-{sched['end']:02d}:00" if sched else "") + ")")
        else:
            night = " at night" if sched["night_share"] >= 0.5 else ""
            job = (f"you work{night} at a {named[0]['word']} ({named[0]['place_name']})" if named and named[0]["word"]
                   else f"where you work{night} ({what})")
            said.append(f"{job}: stays of {t['work_min_stay_hours']} hours or more on "
                        f"{plural(sched['days'], 'day')}, {describe(sched)}")
    labels = _labels(ctx, r)
    for lab in labels:
        where = (f"your {lab['at']}" if lab["at"] else "a place datavault does not find in your routine")
        details.append({"role": lab["label"], "label": "platform", "place": lab["place"], "at": lab["at"],
                        "lat": lab["lat"], "lon": lab["lon"]})
        evidence.append(Evidence(lab["table"], lab["time"], lab["source_file"], lab["locator"],
                                 f"corroboration, not counted: Google labels {where} {lab['label']}"
                                 + (f" ({lab['place']})" if lab["place"] else "")))
    measures["platform_labels"] = len(labels)
    measures["location_days"] = location_days(ctx)
    long_home = home.schedule.get("days", 0)
    strength = ("strong" if long_home >= t["home_days_strong"] and work and work.schedule["days"] >= t["work_days_strong"]
                else "moderate" if long_home >= t["home_days_moderate"] or work else "weak")
    if labels:
        said.append("and Google has already labelled " + plural(len(labels), "of your places", "of your places"))
    sources = [e.source_file for e in evidence if e.table == "locations"]
    remedy = (f"{where_it_lives(sources)}: delete the days at home ({home.cell[0]:.3f}, {home.cell[1]:.3f})"
              + (f" and at work ({measures.get('work_place') or f'{work.cell[0]:.3f}, {work.cell[1]:.3f}'})"
                 if work else "")
              + ", or the whole history, and turn off Timeline / Location History"
              + ("; remove the Home and Work labels (Google Maps › Saved › Labelled)" if labels else "")
              + "; stop apps from reading location in the background.")
    yield Finding(
        id="home_work",
        title="Home, work and daily routine",
        category="fulfilment_capacity",
        statement=("A scorer could tell " + "; ".join(said) + ". A stable address and a regular job are read as "
                   "fulfilment capacity."),
        strength=strength,
        measures=measures,
        evidence=evidence[:12],
        evidence_total=home.hours + (work.hours if work else 0),
        details=details,
        rule=(f"Groups location records into cells of about 100 m (neighbours are one place) and follows them hour "
              f"by hour; a stay runs across gaps of {plural(int(t['gap_hours']), 'hour')}. Home is the place where "
              f"you spend the most hours, at any time of day; work another place with stays of "
              f"{t['work_min_stay_hours']} hours or more on at least {t['work_min_days']} days, coming back most "
              "weeks on some weekdays or at the same starting time, whatever the hours. The platform's labels are "
              "shown beside them, never counted."),
        context=ctx.rules.cite("golle"),
        remedy=remedy,
    )


# ---- uniqueness ------------------------------------------------------------------------------------------------


SHIFTS = "dv_shifts"
# distinct days of a (cell, block, hour of the week) group: the weeks of the block it was seen in, OR-ed over the
# cells merged into it (SQLite has no bitwise-or aggregate: one max() per bit of ``weeks``, five at most)
DAYS = " + ".join(f"max((weeks >> {k}) & 1)" for k in range(5))


def _local_hours(ctx: Ctx) -> str:
    """A temporary table ``(blk, instant, shift)``: the hours to add to a 30-day block's UTC hours to get local
    ones (the zone's offset at the block's middle), for each block the location rollup holds."""
    def compute() -> str:
        roll = ctx.roll(AREA_WEEKS)
        ctx.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {SHIFTS} (blk INTEGER, instant INTEGER, shift INTEGER, "
                         "PRIMARY KEY (blk, instant))")
        ctx.conn.execute(f"DELETE FROM temp.{SHIFTS}")
        ctx.conn.executemany(
            f"INSERT INTO temp.{SHIFTS} VALUES (?, ?, ?)",
            [(blk, inst, ctx.clock.shift_hours((blk * BLOCK_HOURS + BLOCK_HOURS // 2) * 3600, bool(inst)))
             for blk, inst in ctx.q(f"SELECT DISTINCT blk, instant FROM {roll}")])
        return f"temp.{SHIFTS}"
    return ctx.cached("local_hours", compute)


def _area_hours(ctx: Ctx, d: int, where: str = "1") -> str:
    """SQL: location points per (area of ``d`` decimals, block, hour of the week as UTC) with ``lhow``, the local
    hour of the week, its points ``n``, distinct days, latest time and rowid. Within one block an hour of the week
    recurs on different dates, so summing distinct days over blocks and weekdays stays exact. At the rollup's own
    AREA_DECIMALS each of its rows is such a group already (no sort)."""
    roll, shifts = ctx.roll(AREA_WEEKS), _local_hours(ctx)
    if d >= AREA_DECIMALS:
        days = " + ".join(f"((weeks >> {k}) & 1)" for k in range(5))
        return (f"SELECT clat AS lat, clon AS lon, (how + s.shift + 168) % 168 AS lhow, n, {days} AS days, last, "
                f"last_rowid FROM {roll} c JOIN {shifts} s USING (blk, instant) WHERE {where}")
    return (f"SELECT round(clat, {d}) AS lat, round(clon, {d}) AS lon, (how + s.shift + 168) % 168 AS lhow, "
            f"sum(n) AS n, {DAYS} AS days, max(last) AS last, max(last_rowid) AS last_rowid "
            f"FROM {roll} c JOIN {shifts} s USING (blk, instant) WHERE {where} GROUP BY 1, 2, c.instant, c.blk, c.how")


def top_points(ctx: Ctx, d: int, k: int) -> list[dict[str, Any]]:
    """The ``k`` (area, local hour) pairs seen on the most days (then with the most points): days are counted
    apart for weekdays and weekends and the larger kept; each pair's (time, rowid) rows are read afterwards for
    its evidence. The rollup holds areas (AREA_DECIMALS), not the 100 m cells: a random walk of 8,000,000 points
    gave a rollup of cells almost as large as the records, whose grouping here took a temporary b-tree of
    several hundred MB."""
    def compute() -> list[dict[str, Any]]:
        weekend = "((lhow / 24 + 3) % 7 >= 5)"  # hour 0 of the week is Thursday 00:00 (the epoch's weekday)
        parts = ctx.q(f"SELECT lat, lon, lhow % 24 AS hour, {weekend} AS weekend, sum(n) AS n, sum(days) AS days "
                      f"FROM ({_area_hours(ctx, d)}) GROUP BY 1, 2, 3, 4")
        totals: dict[tuple, list[int]] = {}
        for lat, lon, hour, _, n, days in parts:  # an (area, hour)'s weekdays and weekends: points summed, the
            total = totals.setdefault((lat, lon, hour), [0, 0])  # larger of the two days kept
            total[0] += n
            total[1] = max(total[1], days)
        rows = sorted(((lat, lon, hour, n, days) for (lat, lon, hour), (n, days) in totals.items()),
                      key=lambda r: (-r[4], -r[3], r[0], r[1], r[2]))[:int(k)]
        out = []
        for lat, lon, hour, n, days in rows:
            # the area's rows of the rollup: a range of its key (clat first), then the exact area
            here = f"clat BETWEEN ? AND ? AND round(clat, {d}) = ? AND round(clon, {d}) = ?"
            seen = ctx.q(f"SELECT last, last_rowid FROM ({_area_hours(ctx, d, here)}) WHERE lhow % 24 = ?",
                         (lat - 10 ** -d, lat + 10 ** -d, lat, lon, hour))
            out.append({"lat": lat, "lon": lon, "hour": hour, "n": n, "days": days,
                        "rows": [tuple(r) for r in seen]})
        return out
    return ctx.cached(f"top_points:{d}:{k}", compute)


def uniqueness(ctx: Ctx):
    gate = location_gate(ctx, "uniqueness")
    if gate:
        yield gate
        return
    t = ctx.rules.thresholds["uniqueness"]
    d = min(AREA_DECIMALS, int(t["cell_decimals"]))  # the rollup keeps areas: finer cells are not asked of it
    top = top_points(ctx, d, int(t["points"]))
    if len(top) < int(t["points"]):
        yield Clear("uniqueness", "You are unique", f"fewer than {t['points']} distinct (place, hour) points")
        return
    details = [{"lat": p["lat"], "lon": p["lon"], "hour": f"{p['hour']:02d}:00", "days": p["days"], "points": p["n"]}
               for p in top]
    evidence = []
    for p in top:
        evidence += sample_evidence(ctx, p["rows"], int(t["sample"]),
                                    f"around {p['lat']:.{d}f}, {p['lon']:.{d}f} at {p['hour']:02d}:00, on at least "
                                    f"{plural(p['days'], 'day')} (sample {{n}} of {{of}})")
    least = min(p["days"] for p in top)
    yield Finding(
        id="uniqueness",
        title="Your four points: you are unique",
        category="personal_information",
        statement=("Four (place, hour) points that recur in your location history single you out: anyone holding "
                   "an 'anonymised' location dataset and knowing these four could very likely find you in it."),
        strength="strong" if least >= t["days_strong"] else "moderate" if least >= t["days_moderate"] else "weak",
        measures={"points": len(top), "least_days": least, "cell_km": 1 if d == 2 else round(111 / 10 ** d, 2),
                  "location_days": location_days(ctx)},
        evidence=evidence,
        evidence_total=sum(p["n"] for p in top),
        details=details,
        rule=(f"Counts location points per (cell of {d} decimal degrees, local hour) and shows the {t['points']} "
              "pairs seen on the most days, each with a sample of its records."),
        context=ctx.rules.cite("demontjoye"),
        remedy=(f"{where_it_lives([e.source_file for e in evidence])}: these points are made by the location "
                "history itself; coarsening does not help much (uniqueness falls only slowly with resolution). "
                "Deleting the history and turning it off does."),
    )


# ---- sensitive places --------------------------------------------------------------------------------------------


def maps_searches(ctx: Ctx) -> list[dict[str, Any]]:
    """Maps searches and saved places whose text names a place category (by its head word), one row each."""
    def compute() -> list[dict[str, Any]]:
        phys = textindex.physical(ctx.conn, "activities")
        if not ctx.counts["activities"] or phys is None:
            return []
        guard = place_guard(ctx)
        terms = sorted({'"' + " ".join(c.words) + '"' + ("*" if c.kind == "prefix" else "")
                        for c in guard.cues if c.kind != "suffix"})
        if not terms:
            return []
        rows = ctx.q(f"SELECT time, title, {FILE_NAME} AS source_file, locator, action FROM {phys} WHERE rowid IN "
                     f"({ctx.hits('activities')}) AND product = 'Maps' "
                     "ORDER BY time, rowid LIMIT 5000", (" OR ".join(terms),))
        out = []
        for row in rows:
            hit = guard.classify(row["title"], query=True)
            if hit:
                out.append(dict(row) | {"category": hit[0].category, "sensitive": hit[0].sensitive, "word": hit[1]})
        return out
    return ctx.cached("maps_searches", compute)


def sensitive_places(ctx: Ctx):
    t = ctx.rules.thresholds["sensitive_places"]
    gate = location_gate(ctx, "sensitive_places")
    visits = [] if gate else place_visits(ctx)
    searches = maps_searches(ctx)
    if gate and not searches:
        yield gate
        return
    at_work = [p for p in categorised_places(ctx) if p["role"]] if not gate else []
    if not visits and not searches:
        checked = "no named place in your location history or Maps searches falls in a sensitive category"
        if at_work:
            checked += (" (" + ", ".join(f"{p['place_name']} is your {p['role']}" for p in at_work)
                        + ": see home and work)")
        yield Clear("sensitive_places", "Sensitive places", checked)
        return
    k = int(t["sample"])
    per_cat: dict[str, dict[str, Any]] = {}
    sensitive: set[str] = set()
    evidence: list[Evidence] = []
    details = []
    remedies = []
    for v in visits:
        c = per_cat.setdefault(v["category"], {"records": 0, "days": set()})
        c["records"] += v["visits"]
        days = _place_days(ctx, v)
        c["days"].update((f or "")[:10] for f, _ in days)
        if v["sensitive"]:
            sensitive.add(v["sensitive"])
        hours = f", {v['hours']:.1f} h in all" if v["hours"] else ""
        shown = sample_evidence(
            ctx, days, k, f"{v['place_name']} ({v['category'].replace('_', ' ')}): {plural(v['visits'], 'visit')} "
                          f"on {plural(v['days'], 'day')}{hours} (visit {{n}} of {{of}} shown)")
        evidence += shown
        details.append({"place": v["place_name"], "category": v["category"], "art9": v["sensitive"],
                        "visits": v["visits"], "days": v["days"], "hours": round(v["hours"] or 0, 1),
                        "first": v["first"], "last": v["last"], "rule_source": v["source"], "word": v["word"]})
        span = f"{v['first'][:7]} to {v['last'][:7]}" if v["first"] and v["last"] else ""
        remedies.append(f"{where_it_lives([e.source_file for e in shown])}: delete the visits to {v['place_name']} "
                        f"({plural(v['visits'], 'visit')}{', ' + span if span else ''})")
    searched: dict[str, list[dict[str, Any]]] = {}
    for s in searches:
        c = per_cat.setdefault(s["category"], {"records": 0, "days": set()})
        c["records"] += 1
        c["days"].add((s["time"] or "")[:10])
        if s["sensitive"]:
            sensitive.add(s["sensitive"])
        searched.setdefault(s["title"] or "", []).append(s)
    for title, rows in sorted(searched.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:6]:
        last = rows[-1]
        evidence.append(Evidence("activities", last["time"], last["source_file"], last["locator"],
                                 f"{title} (Maps, {rows[0]['category'].replace('_', ' ')}"
                                 + (f", {len(rows)} times" if len(rows) > 1 else "") + ")"))
    if searched:
        top = sorted(searched.items(), key=lambda kv: -len(kv[1]))[:3]
        remedies.append("My Activity › Maps: delete the searches " + ", ".join(
            f"'{title.removeprefix('Searched for ')}' ({len(rows)})" for title, rows in top))
    most = max(len(c["days"] - {""}) for c in per_cat.values())
    order = ["health", "religion", "politics", "sexual_orientation", "ethnic_origin", "trade_union"]
    total = sum(c["records"] for c in per_cat.values())
    statement = ("A scorer could read beliefs, health, politics or habits from where you go: "
                 + ", ".join(f"{plural(c['records'], 'visit or search', 'visits or searches')} for "
                             f"{CATEGORY_WORDS.get(cat, cat.replace('_', ' '))} on {plural(len(c['days'] - {''}), 'day')}"
                             for cat, c in sorted(per_cat.items(), key=lambda kv: (-kv[1]["records"], kv[0]))) + ".")
    if gate:
        short = gate.reason.split(" (curated")[0]
        statement += f" Visits were not read: {short}."
    if at_work:
        statement += (" Not counted: " + ", ".join(f"{p['place_name']} is your {p['role']}place" if p["role"] == "work"
                                                   else f"{p['place_name']} is your home" for p in at_work) + ".")
    yield Finding(
        id="sensitive_places",
        title="Sensitive places you went to",
        category="behaviour_preference",
        sensitive=[s for s in order if s in sensitive],
        statement=statement,
        strength="strong" if most >= t["days_strong"] else "moderate" if most >= t["days_moderate"] else "weak",
        measures={"records": total, **{cat: c["records"] for cat, c in sorted(per_cat.items())},
                  "days_most": most, "not_counted_home_or_work": len(at_work)},
        evidence=sorted(evidence, key=lambda e: (e.time or "", e.source_file or ""), reverse=True)[:12],
        evidence_total=total,
        details=details,
        rule=("Matches the names of places you visited or searched for in Maps against the place categories "
              "(places of worship, clinics, party and union offices, LGBT venues, casinos, pawnbrokers, courts), "
              "modelled on OpenStreetMap tags, when the category word is the name's head (not a district, street "
              "or another kind of place); your home and workplace are not counted."),
        context=ctx.rules.cite("metaphone_places"),
        remedy="; ".join(remedies[:5]) + ("; and turn off Timeline / Location History" if visits else "")
               + (". For health visits, also check which apps had location access at the time." if "health" in sensitive
                  else "."),
    )
