"""Local time in SQL: which hour and weekday a record happened at, where the person lives.

Instants in the vault are UTC (``...Z`` or with an offset); wall-clock times without a zone (WhatsApp) are
already local. For instants, the UTC offset of the person's zone (with its daylight-saving changes) is added
through a CASE over the zone's transitions, computed here from ``zoneinfo``, so SQLite does all the work with
integer arithmetic and no per-row Python call. Aggregates then GROUP BY the resulting hour and weekday.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datavault.errors import UserError

UTC = dt.timezone.utc


def resolve_zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``; else ``DATAVAULT_TZ``/``TZ``; else the system's; else UTC."""
    candidates = [name] if name else [os.environ.get("DATAVAULT_TZ"), os.environ.get("TZ")]
    for cand in candidates:
        if not cand:
            continue
        try:
            return ZoneInfo(cand.lstrip(":"))
        except (ZoneInfoNotFoundError, ValueError):
            if name:
                raise UserError(f"--tz {name}: unknown time zone (use a name like Europe/London)") from None
    try:
        target = Path("/etc/localtime").resolve()
        parts = target.parts
        if "zoneinfo" in parts:
            return ZoneInfo("/".join(parts[parts.index("zoneinfo") + 1:]))
    except (OSError, ZoneInfoNotFoundError, ValueError):
        pass
    return ZoneInfo("UTC")


def transitions(zone: ZoneInfo, first_year: int, last_year: int) -> list[tuple[int, int]]:
    """[(from_epoch, offset_seconds)] covering the years, oldest first; the first entry starts at -inf."""
    def offset(epoch: int) -> int:
        return int(dt.datetime.fromtimestamp(epoch, UTC).astimezone(zone).utcoffset().total_seconds())

    start = int(dt.datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    end = int(dt.datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
    out = [(start, offset(start))]
    step = 86400
    t = start
    while t < end:
        nxt = t + step
        if offset(nxt) != offset(t):
            lo, hi = t, nxt  # the change is in (lo, hi]: bisect to the second
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if offset(mid) == offset(t):
                    lo = mid
                else:
                    hi = mid
            out.append((hi, offset(hi)))
        t = nxt
    return out


class Clock:
    """SQL expressions for local epoch seconds, hour (0-23), weekday (0 = Monday) and day number."""

    def __init__(self, zone: ZoneInfo, first_year: int = 2000, last_year: int | None = None):
        self.zone = zone
        last_year = last_year or dt.date.today().year + 1
        self.steps = transitions(zone, first_year, last_year)

    @property
    def name(self) -> str:
        return self.zone.key

    def offset_sql(self, epoch: str) -> str:
        """The zone's UTC offset at ``epoch`` (a column name): a balanced CASE tree, ~log2(n) comparisons."""
        def tree(steps: list[tuple[int, int]]) -> str:
            if len(steps) == 1:
                return str(steps[0][1])
            mid = len(steps) // 2
            return f"(CASE WHEN {epoch} < {steps[mid][0]} THEN {tree(steps[:mid])} ELSE {tree(steps[mid:])} END)"
        return tree(self.steps)

    def rows_sql(self, source: str, columns: str, where: str = "1") -> str:
        """A subquery over ``source`` yielding ``columns`` plus ``le`` (local epoch seconds) for rows with a time.

        ``LIMIT -1`` keeps SQLite from flattening it into the outer aggregate, which would recompute the time
        conversion once per reference instead of once per row.
        """
        instant = "(time LIKE '%Z' OR substr(time, -6, 1) IN ('+', '-'))"
        inner = (f"SELECT {columns}, CAST(strftime('%s', time) AS INTEGER) AS e, {instant} AS inst "
                 f"FROM {source} WHERE time IS NOT NULL AND ({where}) LIMIT -1")
        return (f"(SELECT *, e + CASE WHEN inst THEN {self.offset_sql('e')} ELSE 0 END AS le "
                f"FROM ({inner}) WHERE e IS NOT NULL LIMIT -1)")

    def local_epoch(self, epoch: int, instant: bool) -> int:
        """The same shift in Python, for the few grouped rows that need it."""
        if not instant:
            return epoch
        i = bisect.bisect_right([start for start, _ in self.steps], epoch) - 1
        return epoch + self.steps[max(i, 0)][1]

    def shift_hours(self, epoch: int, instant: bool) -> int:
        """Whole hours to add to a UTC hour at ``epoch`` to get local time (0 for wall-clock times)."""
        return round((self.local_epoch(epoch, instant) - epoch) / 3600)

    def rollup_sql(self, source: str, columns: str, where: str = "1") -> str:
        """A subquery over an hourly rollup (``hb``, ``instant``) yielding ``columns`` plus ``le``."""
        inner = f"SELECT {columns}, instant, hb * 3600 AS e FROM {source} WHERE {where} LIMIT -1"
        return (f"(SELECT *, e + CASE WHEN instant THEN {self.offset_sql('e')} ELSE 0 END AS le "
                f"FROM ({inner}) LIMIT -1)")


HOUR = "((le % 86400) / 3600)"
WEEKDAY = "(((le / 86400) + 3) % 7)"  # 0 = Monday (1970-01-01 was a Thursday)
DAY = "(le / 86400)"
