"""Local time: which hour and weekday something happened at, where the person lives.

Instants in the vault are UTC (``...Z`` or with an offset); wall-clock times without a zone (WhatsApp) are
already local. The rollups (rollup.py) count records per UTC hour with a flag saying which kind of time it was;
the findings shift grouped rows, never single records, by the zone's offset at that time, taken from the
zone's transitions (daylight saving included) as computed here from ``zoneinfo``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from datavault.errors import UserError
from datavault.timeutil import PLAUSIBLE_FIRST_YEAR, PLAUSIBLE_LAST_YEAR

UTC = dt.timezone.utc


def resolve_zone(name: str | None) -> ZoneInfo:
    """The zone called ``name``; else ``DATAVAULT_TZ``/``TZ``; else the system's; else UTC."""
    candidates = [name] if name else [os.environ.get("DATAVAULT_TZ"), os.environ.get("TZ")]
    for cand in candidates:
        if not cand:
            continue
        try:
            return ZoneInfo(cand.lstrip(":"))
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long to be a file name
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
    """The person's zone over the years the data spans: local epoch seconds and hour shifts."""

    def __init__(self, zone: ZoneInfo, first_year: int = 2000, last_year: int | None = None):
        self.zone = zone
        last_year = last_year or dt.date.today().year + 1
        # the years a datetime can hold, and no more than the plausible ones (a record dated 9999 must not make
        # this build year 10001, nor walk eight millennia day by day); outside them the nearest offset holds
        first_year = min(max(first_year, PLAUSIBLE_FIRST_YEAR - 1), PLAUSIBLE_LAST_YEAR + 1)
        last_year = min(max(last_year, first_year), PLAUSIBLE_LAST_YEAR + 1)
        self.steps = transitions(zone, first_year, last_year)
        self._starts = [start for start, _ in self.steps]

    @property
    def name(self) -> str:
        return self.zone.key

    def local_epoch(self, epoch: int, instant: bool) -> int:
        """Local epoch seconds: an instant shifted by the zone's offset then; a wall-clock time as it is."""
        if not instant:
            return epoch
        i = bisect.bisect_right(self._starts, epoch) - 1
        return epoch + self.steps[max(i, 0)][1]

    def shift_hours(self, epoch: int, instant: bool) -> int:
        """Whole hours to add to a UTC hour at ``epoch`` to get local time (0 for wall-clock times)."""
        return round((self.local_epoch(epoch, instant) - epoch) / 3600)
