"""When the person is active, read from the hourly rollups (rollup.py), never from the records.

``conv_hours``: per conversation, messages per local hour of the day (all, and the person's own);
``own_activity``: the person's own actions (own messages, activities, own posts) per (weekday, local hour);
``days_per_weekday``: how many Mondays, Tuesdays, ... those actions span. The rollups are small (one row per
key and hour or per 30-day block and hour of the week), so the shift to local time happens here, in Python,
over grouped rows. E-mail threads are folded into one pseudo-conversation. No message text is read.
"""

from __future__ import annotations

import datetime as dt

from datavault.findings.engine import Ctx
from datavault.findings.rollup import BLOCK_HOURS
from datavault.timeutil import parse_iso

EMAIL = "(e-mail)"


def _block_shift(ctx: Ctx, blk: int, instant: int) -> int:
    return ctx.cached(f"shift:{blk}:{instant}", lambda: ctx.clock.shift_hours(
        (blk * BLOCK_HOURS + BLOCK_HOURS // 2) * 3600, bool(instant)))


def conv_hours(ctx: Ctx) -> dict[str, dict[str, list[int]]]:
    """{conversation: {"all": [24 counts], "own": [24 counts]}} in local hours; e-mail as one conversation."""
    def compute() -> dict[str, dict[str, list[int]]]:
        out: dict[str, dict[str, list[int]]] = {}
        if not ctx.counts["messages"]:
            return out
        rows = ctx.q(f"SELECT CASE WHEN platform = 'gmail' THEN '{EMAIL}' ELSE conv END, from_owner, instant, blk, "
                     f"hod, sum(n) FROM {ctx.roll('dv_roll_msg_conv')} GROUP BY 1, 2, 3, 4, 5")
        for conv, owner, inst, blk, hod, n in rows:
            hour = (hod + _block_shift(ctx, blk, inst)) % 24
            d = out.setdefault(conv, {"all": [0] * 24, "own": [0] * 24})
            d["all"][hour] += n
            if owner == 1:
                d["own"][hour] += n
        return out
    return ctx.cached("conv_hours", compute)


def _week_grid(ctx: Ctx, sql: str) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for inst, blk, how, n in ctx.q(sql):
        how = (how + _block_shift(ctx, blk, inst)) % 168
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
