"""When the person is active, read from the hourly rollups (rollup.py), never from the records.

``conv_hours``: per conversation, messages per local hour of the day (all, and the person's own);
``own_activity``: the person's own actions (own messages, activities, own posts) per (weekday, local hour);
``days_per_weekday``: how many Mondays, Tuesdays, ... those actions span. The rollups are small (one row per
key and hour or per 30-day block and hour of the week), so the shift to local time happens here, in Python,
over grouped rows. E-mail threads are folded into one pseudo-conversation. No message text is read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Callable

from datavault.findings.engine import Ctx
from datavault.findings.rollup import BLOCK_HOURS, INSTANT
from datavault.layout import FILE_NAME
from datavault.timeutil import parse_iso

EMAIL = "(e-mail)"


def _shifts(ctx: Ctx) -> Callable[[int, int], int]:
    """The whole hours that move a 30-day block's UTC hours to local time (0 for wall-clock times): each
    (block, instant) worked out once per report, then a dict lookup (a rollup row costs no more)."""
    known: dict[tuple[int, int], int] = ctx.cached("block_shifts", dict)

    def shift(blk: int, instant: int) -> int:
        hours = known.get((blk, instant))
        if hours is None:
            hours = known[blk, instant] = ctx.clock.shift_hours(
                (blk * BLOCK_HOURS + BLOCK_HOURS // 2) * 3600, bool(instant))
        return hours
    return shift


def conv_hours(ctx: Ctx) -> dict[str, dict[str, list[int]]]:
    """{conversation: {"all": [24 counts], "own": [24 counts]}} in local hours; e-mail as one conversation."""
    def compute() -> dict[str, dict[str, list[int]]]:
        out: dict[str, dict[str, list[int]]] = {}
        if not ctx.counts["messages"]:
            return out
        shift = _shifts(ctx)
        # the rollup's rows as they are (its key is unique, so nothing to group; 2,000 Messenger threads have
        # 118,000 of them), as plain tuples
        rows = ctx.conn.cursor()
        rows.row_factory = None
        for conv, email, owner, inst, blk, hod, n in rows.execute(
                f"SELECT conv, platform = 'gmail', from_owner, instant, blk, hod, n "
                f"FROM {ctx.roll('dv_roll_msg_hours')}"):
            key = EMAIL if email else conv
            d = out.get(key)
            if d is None:
                d = out[key] = {"all": [0] * 24, "own": [0] * 24}
            hour = (hod + shift(blk, inst)) % 24
            d["all"][hour] += n
            if owner == 1:
                d["own"][hour] += n
        return out
    return ctx.cached("conv_hours", compute)


def _week_grid(ctx: Ctx, sql: str) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    shift = _shifts(ctx)
    for inst, blk, how, n in ctx.q(sql):
        how = (how + shift(blk, inst)) % 168
        grid[(how // 24 + 3) % 7][how % 24] += n  # hour 0 of the week is a Thursday (1970-01-01)
    return grid


def own_activity(ctx: Ctx) -> list[list[int]]:
    """7 x 24 counts (Monday first) of the person's own actions: own messages, activities, own posts."""
    def compute() -> list[list[int]]:
        parts = []
        if ctx.counts["messages"]:
            parts.append(_week_grid(ctx, f"SELECT instant, blk, how, sum(n) FROM {ctx.roll('dv_roll_msg_week')} "
                                         "WHERE from_owner = 1 GROUP BY 1, 2, 3"))
        for table, name in (("activities", "dv_roll_activities"), ("posts", "dv_roll_posts")):
            if ctx.counts[table]:
                parts.append(_week_grid(ctx, f"SELECT instant, hb / {BLOCK_HOURS}, hb % 168, sum(n) "
                                             f"FROM {ctx.roll(name)} GROUP BY 1, 2, 3"))
        return [[sum(p[d][h] for p in parts) for h in range(24)] for d in range(7)]
    return ctx.cached("own_activity", compute)


def _local_day(ctx: Ctx, time: str) -> int | None:
    try:
        moment = parse_iso(time)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(ctx.clock.zone)
    return (moment.date() - dt.date(1970, 1, 1)).days


def days_per_weekday(ctx: Ctx) -> list[int]:
    """How many Mondays, Tuesdays, ... the person's own actions span (first to last action, local days)."""
    def compute() -> list[int]:
        bounds: list[str] = []
        for table, name, where in (("messages", "dv_roll_msg_week", "from_owner = 1"),
                                   ("activities", "dv_roll_activities", "1"), ("posts", "dv_roll_posts", "1")):
            if ctx.counts[table]:
                for instant in (0, 1):
                    lo, hi = ctx.q(f"SELECT min(first), max(last) FROM {ctx.roll(name)} WHERE {where} "
                                   "AND instant = ?", (instant,))[0]
                    bounds += [t for t in (lo, hi) if t]
        days = [d for d in (_local_day(ctx, t) for t in bounds) if d is not None]
        out = [0] * 7
        if days:
            for day in range(min(days), max(days) + 1):
                out[(day + 3) % 7] += 1
        return out
    return ctx.cached("days_per_weekday", compute)


def _shift_for(ctx: Ctx, hb: int, instant: int) -> int:
    return ctx.cached(f"dshift:{hb // 24}:{instant}", lambda: ctx.clock.shift_hours(
        (hb // 24) * 86400 + 43200, bool(instant)))


def own_hours(ctx: Ctx) -> dict[str, object]:
    """The person's own actions by local hour: ``hours`` {local hour index: actions} (hour index = hours since
    the epoch, local time), ``actions`` in all, ``days`` (set of local day numbers) and ``rows``: for activities
    and posts, (local hour index, time, table, rowid) of each hour's latest record, to cite as evidence."""
    def compute() -> dict[str, object]:
        hours: dict[int, int] = {}
        rows: list[tuple[int, str, str, int]] = []
        actions = 0
        for table, name in (("activities", "dv_roll_activities"), ("posts", "dv_roll_posts")):
            if not ctx.counts[table]:
                continue
            for inst, hb, n, last, rowid in ctx.q(f"SELECT instant, hb, sum(n), max(last), max(last_rowid) "
                                                  f"FROM {ctx.roll(name)} GROUP BY 1, 2"):
                h = hb + _shift_for(ctx, hb, inst)
                hours[h] = hours.get(h, 0) + n
                actions += n
                rows.append((h, last, table, rowid))
        if ctx.counts["messages"]:
            for inst, day, mask, n in ctx.q(f"SELECT instant, day, hours, n FROM {ctx.roll('dv_roll_msg_days')} "
                                            "WHERE from_owner = 1"):
                shift = _shift_for(ctx, day * 24, inst)
                bits = [b for b in range(24) if mask >> b & 1]
                actions += n
                for b in bits:  # the day's messages spread over its hours with any (counts are per day)
                    h = day * 24 + b + shift
                    hours[h] = hours.get(h, 0) + max(1, n // len(bits))
        return {"hours": hours, "actions": actions, "days": {h // 24 for h in hours}, "rows": rows}
    return ctx.cached("own_hours", compute)


def in_window(hour: int, start: int, end: int) -> bool:
    hour %= 24
    return start <= hour < end if start < end else hour >= start or hour < end


def night_record(ctx: Ctx, local_hour: int, start: int, end: int) -> dict | None:
    """One of the person's own records in the night window of ``local_hour``'s night (activities, posts or own
    messages), found through each table's time index; None if none."""
    day = local_hour // 24
    lo = (day * 24 + start) * 3600
    hi = lo + ((end - start) % 24 or 24) * 3600
    for table, where in (("activities", "1"), ("posts", "1"), ("messages", "from_owner = 1")):
        if not ctx.counts[table]:
            continue
        for instant in (1, 0):
            shift = _shift_for(ctx, day * 24, instant) * 3600 if instant else 0
            row = ctx.q(f"SELECT time, {FILE_NAME} AS source_file, locator FROM rec_{table} WHERE ts >= ? "
                        f"AND ts < ? AND {where} AND {INSTANT} = ? ORDER BY ts LIMIT 1",
                        (lo - shift, hi - shift, instant))
            if row:
                return dict(row[0]) | {"table": table}
    return None


def provide(ctx: Ctx):
    """``daily_schedule``: a regular night schedule (night shifts, a baby), from own activity and location."""
    from datavault.findings.model import Evidence, Finding, NotAssessed, plural
    from datavault.findings.engine import Clear
    from datavault.findings.places import WEEKDAYS, describe, location_days, routine, sample_evidence, where_it_lives

    t = ctx.rules.thresholds["daily_schedule"]
    need = int(t["min_days"])
    own = own_hours(ctx) if ctx.has("activities", "messages", "posts") else {"hours": {}, "days": set(), "actions": 0}
    loc_days = location_days(ctx)
    act_ok = len(own["days"]) >= need
    loc_ok = loc_days >= need
    if not own["days"] and not loc_days:
        yield NotAssessed("daily_schedule", "no activity history, chats or location history imported")
        return
    if not act_ok and not loc_ok:
        yield NotAssessed("daily_schedule", f"own activity on {plural(len(own['days']), 'day')} and location on "
                                            f"{plural(loc_days, 'day')}; at least {need} days of either needed "
                                            f"({t['min_days_why']})")
        return
    start, end = int(t["night_start_hour"]), int(t["night_end_hour"])
    parts, evidence = [], []
    measures: dict[str, object] = {"activity_days": len(own["days"]), "location_days": loc_days}
    work = routine(ctx).work if loc_ok else None
    work_night = bool(work and work.schedule.get("night_share", 0) >= 0.5)
    hw = ctx.rules.thresholds["home_work"]
    if work_night:
        parts.append(f"your long stays at your workplace ({work.cell[0]:.3f}, {work.cell[1]:.3f}) are "
                     f"{describe(work.schedule)}")
        measures["work_schedule"] = describe(work.schedule)
        measures["work_night_days"] = work.schedule["days"]
        evidence += sample_evidence(ctx, work.rows, int(hw["sample"]), "at your workplace: a record of the stays "
                                    f"{describe(work.schedule)} (sample {{n}} of {{of}})")
    share, nights, weekday_nights = 0.0, 0, 0
    if act_ok:
        total = own["actions"]
        night_hours = {h: n for h, n in own["hours"].items() if in_window(h, start, end)}
        share = round(sum(night_hours.values()) / total, 3) if total else 0.0
        night_days = sorted({h // 24 for h in night_hours})
        nights = len(night_days)
        weekday_nights = sum(1 for d in night_days if (d + 3) % 7 < 5)
        measures |= {"night_share": share, "active_nights": nights, "weekday_nights": weekday_nights}
        if share >= t["night_share_moderate"] and nights >= t["active_nights_moderate"]:
            wd = sorted(Counter((d + 3) % 7 for d in night_days).items(), key=lambda kv: (-kv[1], kv[0]))
            parts.append(f"{round(100 * share)} % of your own actions fall between {start:02d}:00 and {end:02d}:00, "
                         f"on {plural(nights, 'night')} (most on {', '.join(WEEKDAYS[d] for d, _ in wd[:4])})")
            busy = Counter(h // 24 for h, n in night_hours.items() for _ in range(min(n, 2)))
            pool = [d for d in night_days if busy[d] >= 2] or night_days  # a lone midnight stamp may be a date
            picks = [pool[0], pool[len(pool) // 2], pool[-1]]
            for d in dict.fromkeys(picks):
                rec = night_record(ctx, d * 24, start, end)
                if rec:
                    evidence.append(Evidence(rec["table"], rec["time"], rec["source_file"], rec["locator"],
                                             f"own action at night ({start:02d}:00-{end:02d}:00)"))
    if not parts:
        yield Clear("daily_schedule", "Daily schedule",
                    f"no regular night schedule: {round(100 * share)} % of your own actions at night, on "
                    f"{plural(nights, 'night')}" + ("; your workplace stays are by day" if work else ""))
        return
    strong = ((work_night and work.schedule["days"] >= hw["work_days_strong"])
              or (nights >= t["active_nights_strong"] and share >= t["night_share_moderate"]))
    # "on working days": nights before or on weekdays clearly more often than at weekends (per day of each kind)
    weekend_nights = nights - weekday_nights
    working_days = work_night or (nights and weekday_nights / 5 >= 1.5 * weekend_nights / 2)
    sources = [e.source_file for e in evidence if e.table == "locations"]
    yield Finding(
        id="daily_schedule",
        title="Daily schedule: active at night",
        category="behaviour_preference",
        statement=("A scorer could see you are regularly active at night" + (" on working days" if working_days else "")
                   + ": " + "; ".join(parts) + ". That is a schedule (night shifts, a baby, another time zone), "
                   "not evidence of idleness, but a scorer could still read it."),
        strength="strong" if strong else "moderate",
        measures=measures,
        evidence=evidence[:9],
        details=[],
        rule=(f"Night is {start:02d}:00-{end:02d}:00 local. Fires when your long stays at your workplace mostly cover "
              f"the night, or when {round(100 * t['night_share_moderate'])} % or more of your own actions fall at "
              f"night on at least {t['active_nights_moderate']} nights."),
        context=None,
        remedy=("The hours are in the times of your own records: "
                + (f"{where_it_lives(sources)} (the stays at your workplace); " if sources else "")
                + "My Activity (myactivity.google.com: delete, pause Web & App Activity, auto-delete after 3 "
                  "months) and the times of your own chat messages."),
    )
