"""Home, work and routine; uniqueness; sensitive places. All from the ``locations`` view.

Home is the grid cell (about 100 m) where the person is most often seen at night (22:00-06:00 local), work the
cell most often seen on weekdays 09:00-17:00 that is not home; the platform's own labels (Google's
HOME/WORK semantic types, ``semantic_place`` inferences) are shown beside them. Uniqueness takes the four most
frequent (1 km cell, hour) pairs. Sensitive places come from place names matched to the place categories of
``rules/places.toml``, and Maps searches for such places. datavault has no map database: places without a
name are only coordinates, and only named places can be categorised.
"""

from __future__ import annotations

from typing import Any

from datavault.findings.engine import Clear, Ctx, Source
from datavault.findings.rollup import BLOCK_HOURS
from datavault.findings.model import Evidence, Finding, NotAssessed, plural
from datavault.findings.ruleset import Lexicon, Term

NO_LOCATIONS = "no location history imported (Google Takeout Location History / Timeline, or Facebook check-ins)"


def record_at(ctx: Ctx, table: str, rowid: int | None) -> dict[str, Any]:
    """time, source_file and locator of one record by its rowid (for evidence), cached."""
    def compute() -> dict[str, Any]:
        row = ctx.q(f"SELECT time, source_file, locator FROM rec_{table} WHERE rowid = ?", (rowid,))
        return dict(row[0]) if row else {"time": None, "source_file": None, "locator": None}
    return ctx.cached(f"rec:{table}:{rowid}", compute)


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


def place_visits(ctx: Ctx) -> list[dict[str, Any]]:
    """Named places that fall in a place category of the rules, with an evidence record each."""
    def compute() -> list[dict[str, Any]]:
        out = []
        for p in named_places(ctx):
            cat = ctx.rules.place_category(p["place_name"])
            if cat is None:
                continue
            hours = f", {p['hours']:.1f} h in all" if p["hours"] else ""
            out.append(p | {
                "category": cat.category, "sensitive": cat.sensitive, "source": cat.source,
                "evidence": Evidence("locations", p["last"], p["source_file"], p["locator"],
                                     f"{p['place_name']} ({cat.category.replace('_', ' ')}): "
                                     f"{p['visits']} visit{'s' if p['visits'] != 1 else ''} on {p['days']} "
                                     f"day{'s' if p['days'] != 1 else ''}{hours}"),
            })
        return out
    if not ctx.counts["locations"]:
        return []
    return ctx.cached("place_visits", compute)


def grid(ctx: Ctx) -> list[dict[str, Any]]:
    """Location points per (cell, local hour, weekend?): points, distinct days, latest record's rowid.

    SQL groups the hourly rollup by (cell, 30-day block, hour of the week); the shift to local time happens
    here over those grouped rows. Within one block an hour of the week recurs on different dates, so distinct
    hours there are distinct days, and summing them over blocks and weekdays stays exact."""
    def compute() -> list[dict[str, Any]]:
        d = min(3, int(ctx.rules.threshold("home_work", "cell_decimals")))  # the rollup keeps 3 decimals
        rows = ctx.q(
            f"SELECT round(clat, {d}), round(clon, {d}), instant, hb / {BLOCK_HOURS}, hb % 168, sum(n), "
            f"{'count(*)' if d == 3 else 'count(DISTINCT hb)'}, min(first), max(last), max(last_rowid) FROM {ctx.roll('dv_roll_cells')} "
            "GROUP BY 1, 2, 3, 4, 5")
        cells: dict[tuple, dict[str, Any]] = {}
        shifts: dict[tuple[int, int], int] = {}
        for clat, clon, inst, blk, how, n, days, first, last, last_rowid in rows:
            shift = shifts.get((blk, inst))
            if shift is None:
                shift = shifts[(blk, inst)] = ctx.clock.shift_hours(
                    (blk * BLOCK_HOURS + BLOCK_HOURS // 2) * 3600, bool(inst))
            how = (how + shift) % 168
            weekday, hour = (how // 24 + 3) % 7, how % 24
            g = cells.setdefault((clat, clon, hour, weekday >= 5), {
                "clat": clat, "clon": clon, "hour": hour, "weekend": int(weekday >= 5), "n": 0, "days": 0,
                "first": first, "last": last, "last_rowid": last_rowid})
            g["n"] += n
            g["days"] += days
            g["first"] = min(g["first"], first)
            g["last"] = max(g["last"], last)
            g["last_rowid"] = max(g["last_rowid"], last_rowid)
        return list(cells.values())
    return ctx.cached("grid", compute)


def _evidence_at(ctx: Ctx, g: dict[str, Any], text: str) -> Evidence:
    rec = record_at(ctx, "locations", g["last_rowid"])
    return Evidence("locations", rec["time"], rec["source_file"], rec["locator"], text)


def _hour_in(hour: int, start: int, end: int) -> bool:
    return start <= hour < end if start < end else hour >= start or hour < end


def provide(ctx: Ctx):
    if not ctx.counts["locations"]:
        for fid in ("home_work", "uniqueness", "sensitive_places"):
            yield NotAssessed(fid, NO_LOCATIONS)
        return
    yield from home_work(ctx)
    yield from uniqueness(ctx)
    yield from sensitive_places(ctx)


def home_work(ctx: Ctx):
    t = ctx.rules.thresholds["home_work"]
    cells: dict[tuple, dict[str, Any]] = {}
    for g in grid(ctx):
        c = cells.setdefault((g["clat"], g["clon"]), {"night": 0, "nights": 0, "work": 0, "workdays": 0,
                                                      "first": g["first"], "last": g["last"], "rec": g})
        if _hour_in(g["hour"], t["night_start_hour"], t["night_end_hour"]):
            c["night"] += g["n"]
            c["nights"] = max(c["nights"], g["days"])
        if not g["weekend"] and _hour_in(g["hour"], t["work_start_hour"], t["work_end_hour"]):
            c["work"] += g["n"]
            c["workdays"] = max(c["workdays"], g["days"])
        c["first"] = min(c["first"], g["first"])
        c["last"] = max(c["last"], g["last"])
        if g["last_rowid"] > c["rec"]["last_rowid"]:
            c["rec"] = g
    home = max(cells.items(), key=lambda kv: (kv[1]["night"], kv[0]), default=None)
    home = home if home and home[1]["night"] else None
    work_candidates = [kv for kv in cells.items() if kv[1]["work"] and (not home or kv[0] != home[0])]
    work = max(work_candidates, key=lambda kv: (kv[1]["work"], kv[0]), default=None)
    labels = [p for p in named_places(ctx) if p["semantic_type"]]
    platform_labels = ctx.q(
        "SELECT platform, value, time, source_file FROM platform_inferences WHERE category = 'semantic_place' "
        "ORDER BY value") if ctx.counts["platform_inferences"] else []
    if not home and not work and not labels and not platform_labels:
        yield Clear("home_work", "Home, work and routine", "location points exist but none at night or working hours")
        return
    evidence: list[Evidence] = []
    details: list[dict[str, Any]] = []
    measures: dict[str, Any] = {}
    for role, item, key, count_key in (("home", home, "night", "nights"), ("work", work, "work", "workdays")):
        if not item:
            continue
        (lat, lon), c = item
        measures[f"{role}_cell"] = [lat, lon]
        measures[f"{role}_{count_key}"] = c[count_key]
        measures[f"{role}_points"] = c[key]
        details.append({"role": role, "lat": lat, "lon": lon, "points": c[key], "days": c[count_key],
                        "first": c["first"], "last": c["last"], "label": "datavault"})
        evidence.append(_evidence_at(ctx, c["rec"], f"{role} cell {lat}, {lon}: {plural(c[key], 'point')} on at "
                                                    f"least {plural(c[count_key], 'day')}"))
    for p in labels:
        details.append({"role": p["semantic_type"], "lat": p["lat"], "lon": p["lon"], "points": p["visits"],
                        "days": p["days"], "first": p["first"], "last": p["last"], "label": "platform",
                        "place": p["place_name"]})
        evidence.append(Evidence("locations", p["last"], p["source_file"], p["locator"],
                                 f"labelled {p['semantic_type']} by the platform: {p['place_name'] or ''} "
                                 f"({plural(p['visits'], 'visit')})".replace(":  (", ": (")))
    for r in platform_labels:
        details.append({"role": r["value"], "label": "platform", "platform": r["platform"]})
        evidence.append(Evidence("platform_inferences", r["time"], r["source_file"], None, f"{r['platform']}: {r['value']}"))
    nights = measures.get("home_nights", 0)
    strength = ("strong" if nights >= t["nights_strong"] and work else
                "moderate" if nights >= t["nights_moderate"] or labels or platform_labels else "weak")
    measures["platform_labels"] = len(labels) + len(platform_labels)
    said = []
    if home:
        said.append(f"where you sleep (seen there at night on at least {plural(nights, 'day')})")
    if work:
        said.append(f"where you work (weekdays 09:00-17:00 on at least {plural(measures['work_workdays'], 'day')})")
    if labels or platform_labels:
        said.append(f"and the platform has already labelled {len(labels) + len(platform_labels)} of your places")
    yield Finding(
        id="home_work",
        title="Home, work and daily routine",
        category="fulfilment_capacity",
        statement=("A scorer could tell " + ", ".join(said) + ": a stable address and a regular job are read as "
                   "fulfilment capacity."),
        strength=strength,
        measures=measures,
        evidence=evidence[:12],
        evidence_total=sum(d.get("points", 1) for d in details),
        details=details,
        rule=("Groups location points into cells of about 100 m; home is the cell seen most at night "
              f"({t['night_start_hour']:02d}:00-{t['night_end_hour']:02d}:00 local), work the other cell seen most "
              f"on weekdays {t['work_start_hour']:02d}:00-{t['work_end_hour']:02d}:00; platform labels are shown as "
              "the platform stored them."),
        context=ctx.rules.cite("golle"),
        remedy=("Turn off Google Location History / Timeline and delete it (Google Maps > Your Timeline > delete), "
                "remove Home and Work labels in Google Maps, and stop apps from reading location in the background."),
    )


def uniqueness(ctx: Ctx):
    t = ctx.rules.thresholds["uniqueness"]
    d = int(t["cell_decimals"])
    pairs: dict[tuple, dict[str, Any]] = {}
    for g in grid(ctx):
        key = (round(g["clat"], d), round(g["clon"], d), g["hour"])
        p = pairs.setdefault(key, {"n": 0, "days": 0, "rec": g})
        p["n"] += g["n"]
        p["days"] = max(p["days"], g["days"])
        if g["last_rowid"] > p["rec"]["last_rowid"]:
            p["rec"] = g
    top = sorted(pairs.items(), key=lambda kv: (-kv[1]["days"], -kv[1]["n"], kv[0]))[: int(t["points"])]
    if len(top) < int(t["points"]):
        yield Clear("uniqueness", "You are unique", f"fewer than {t['points']} distinct (place, hour) points")
        return
    details = [{"lat": lat, "lon": lon, "hour": f"{hour:02d}:00", "days": p["days"], "points": p["n"]}
               for (lat, lon, hour), p in top]
    evidence = [_evidence_at(ctx, p["rec"], f"around {lat:.{d}f}, {lon:.{d}f} at {hour:02d}:00, on at least "
                                            f"{plural(p['days'], 'day')}") for (lat, lon, hour), p in top]
    least = min(p["days"] for _, p in top)
    yield Finding(
        id="uniqueness",
        title="Your four points: you are unique",
        category="personal_information",
        statement=("Four (place, hour) points that recur in your location history single you out: anyone holding "
                   "an 'anonymised' location dataset and knowing these four could very likely find you in it."),
        strength="strong" if least >= 10 else "moderate" if least >= 3 else "weak",
        measures={"points": len(top), "least_days": least, "cell_km": 1 if d == 2 else round(111 / 10 ** d, 2)},
        evidence=evidence,
        details=details,
        rule=(f"Counts location points per (cell of {d} decimal degrees, local hour) and shows the {t['points']} "
              "pairs seen on the most days."),
        context=ctx.rules.cite("demontjoye"),
        remedy=("Location history is what makes these points; coarsening does not help much (uniqueness falls only "
                "slowly with resolution). Turning location history off and deleting it does."),
    )


def sensitive_places(ctx: Ctx):
    visits = place_visits(ctx)
    maps_hits = []
    if ctx.counts["activities"]:
        for cat in ctx.rules.places:
            lex = Lexicon(f"place:{cat.category}", cat.category, cat.sensitive,
                          [Term(w, cat.source) for w in cat.words])
            scan = ctx.scan(lex, [Source("Maps searches", "activities", "product = 'Maps'", "title")])
            if scan.total:
                maps_hits.append((cat, scan))
    if not visits and not maps_hits:
        yield Clear("sensitive_places", "Sensitive places",
                    "no named place in your location history or Maps searches falls in a sensitive category")
        return
    t = ctx.rules.thresholds["sensitive_places"]
    per_cat: dict[str, int] = {}
    sensitive: set[str] = set()
    evidence: list[Evidence] = []
    details = []
    for v in visits:
        per_cat[v["category"]] = per_cat.get(v["category"], 0) + v["visits"]
        if v["sensitive"]:
            sensitive.add(v["sensitive"])
        evidence.append(v["evidence"])
        details.append({"place": v["place_name"], "category": v["category"], "art9": v["sensitive"],
                        "visits": v["visits"], "days": v["days"], "hours": round(v["hours"] or 0, 1),
                        "first": v["first"], "last": v["last"], "rule_source": v["source"]})
    for cat, scan in maps_hits:
        per_cat[cat.category] = per_cat.get(cat.category, 0) + scan.total
        if cat.sensitive:
            sensitive.add(cat.sensitive)
        evidence.extend(scan.evidence[:4])
    total = sum(per_cat.values())
    most = max(per_cat.values())
    order = ["health", "religion", "politics", "sexual_orientation", "ethnic_origin", "trade_union"]
    yield Finding(
        id="sensitive_places",
        title="Sensitive places you went to",
        category="behaviour_preference",
        sensitive=[s for s in order if s in sensitive],
        statement=("A scorer could read beliefs, health, politics or habits from where you go: "
                   + ", ".join(f"{n} visit{'s' if n != 1 else ''} or searches for {c.replace('_', ' ')}"
                               for c, n in sorted(per_cat.items(), key=lambda kv: (-kv[1], kv[0]))) + "."),
        strength="strong" if most >= t["visits_strong"] else "moderate" if most >= t["visits_moderate"] else "weak",
        measures={"records": total, **{f"{c}": n for c, n in sorted(per_cat.items())}},
        evidence=sorted(evidence, key=lambda e: (e.time or "", e.source_file or ""), reverse=True)[:12],
        evidence_total=total,
        details=details,
        rule=("Matches the names of places you visited or searched for in Maps against the place categories "
              "(places of worship, clinics, party and union offices, LGBT venues, casinos, pawnbrokers, courts), "
              "modelled on OpenStreetMap tags."),
        context=ctx.rules.cite("metaphone_places"),
        remedy=("Delete these visits from Google Maps Timeline (each visit can be removed), delete the Maps searches "
                "in My Activity, and turn off Location History; for health visits, also check which apps had "
                "location access at the time."),
    )
