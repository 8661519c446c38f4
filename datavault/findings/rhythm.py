"""When the person is active: one grouped pass per table, shared by several findings and the charts.

``own_activity`` counts the person's own actions (own messages, activities, own posts) per (weekday, local
hour); ``message_hours`` counts every message per (conversation, from_owner, weekday, hour), e-mail threads
folded into one row so thousands of threads do not blow up the result. Both read the hourly rollups
(rollup.py), never the records, and nothing here reads message text.
"""

from __future__ import annotations

from typing import Any

from datavault.findings.clock import HOUR, WEEKDAY
from datavault.findings.engine import Ctx

EMAIL = "(e-mail)"


def message_hours(ctx: Ctx) -> list[dict[str, Any]]:
    def compute() -> list[dict[str, Any]]:
        if not ctx.counts["messages"]:
            return []
        source = ctx.clock.rollup_sql(
            ctx.roll("dv_roll_messages"),
            f"CASE WHEN platform = 'gmail' THEN '{EMAIL}' ELSE conv END AS conv, from_owner, n")
        rows = ctx.q(
            f"SELECT conv, from_owner, {WEEKDAY} AS weekday, {HOUR} AS hour, sum(n) AS n "
            f"FROM {source} GROUP BY conv, from_owner, weekday, hour")
        return [dict(r) for r in rows]
    return ctx.cached("message_hours", compute)


ROLLUP_OF = {"activities": "dv_roll_activities", "posts": "dv_roll_posts"}


def table_hours(ctx: Ctx, table: str) -> list[dict[str, Any]]:
    def compute() -> list[dict[str, Any]]:
        if not ctx.counts[table]:
            return []
        source = ctx.clock.rollup_sql(ctx.roll(ROLLUP_OF[table]), "n")
        rows = ctx.q(
            f"SELECT {WEEKDAY} AS weekday, {HOUR} AS hour, sum(n) AS n FROM {source} GROUP BY weekday, hour")
        return [dict(r) for r in rows]
    return ctx.cached(f"hours:{table}", compute)


def own_activity(ctx: Ctx) -> list[list[int]]:
    """7 x 24 counts (Monday first) of the person's own actions: own messages, activities, own posts."""
    grid = [[0] * 24 for _ in range(7)]
    for r in message_hours(ctx):
        if r["from_owner"] == 1:
            grid[r["weekday"]][r["hour"]] += r["n"]
    for table in ("activities", "posts"):
        for r in table_hours(ctx, table):
            grid[r["weekday"]][r["hour"]] += r["n"]
    return grid


def days_per_weekday(ctx: Ctx) -> list[int]:
    """How many Mondays, Tuesdays, ... the person's own actions span (first to last action, local days)."""
    def compute() -> list[int]:
        spans = []
        for name in ("dv_roll_messages", "dv_roll_activities", "dv_roll_posts"):
            table = {"dv_roll_messages": "messages", "dv_roll_activities": "activities", "dv_roll_posts": "posts"}[name]
            if not ctx.counts[table]:
                continue
            where = "from_owner = 1" if name == "dv_roll_messages" else "1"
            for inst in (0, 1):
                lo, hi = ctx.q(f"SELECT min(hb), max(hb) FROM {ctx.roll(name)} WHERE {where} AND instant = ?",
                               (inst,))[0]
                if lo is not None:
                    spans.append((ctx.clock.local_epoch(lo * 3600, bool(inst)) // 86400,
                                  ctx.clock.local_epoch(hi * 3600, bool(inst)) // 86400))
        out = [0] * 7
        if spans:
            first, last = min(a for a, _ in spans), max(b for _, b in spans)
            for day in range(first, last + 1):
                out[(day + 3) % 7] += 1
        return out
    return ctx.cached("days_per_weekday", compute)
