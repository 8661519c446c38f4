"""Time as the contract writes it.

Instants (the source states the moment) become UTC strings ending in ``Z``, with as many fractional digits as
the source had (milliseconds for ``timestampMs``, microseconds for Chrome's ``time_usec``). Wall-clock times
without a zone (WhatsApp) stay as written, ``YYYY-MM-DDTHH:MM:SS``, never shifted by a guessed zone.
``sort_key`` turns either into a number for ordering and indexing.
"""

from __future__ import annotations

import datetime as dt

UTC = dt.timezone.utc
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)

# Times a record can plausibly carry: from the day after the epoch (0 is a common "no date" value) to the end of
# 2099. A time outside (a platform's 9999-12-31 sentinel, a chat line dated 12/03/9999) is kept as written in
# ``time`` but gets no ``ts``: it is flagged in the inventory and left out of every time-based finding.
PLAUSIBLE_FROM = "1970-01-02"
PLAUSIBLE_UNTIL = "2100"  # compared as text: every 2099 time is below it, every 2100 time above
PLAUSIBLE_FIRST_YEAR, PLAUSIBLE_LAST_YEAR = 1970, 2099


def plausible(time: str) -> bool:
    """Whether an ISO time string lies in the plausible range (``PLAUSIBLE_FROM`` to ``PLAUSIBLE_UNTIL``)."""
    return PLAUSIBLE_FROM <= time <= PLAUSIBLE_UNTIL


def iso_utc(moment: dt.datetime) -> str:
    """An aware datetime as a UTC ISO string: ``2024-05-01T10:11:12Z`` (``.123Z``/``.123456Z`` when present)."""
    if moment.tzinfo is None:
        raise ValueError("iso_utc needs an aware datetime; use iso_local for wall-clock times")
    moment = moment.astimezone(UTC)
    base = moment.strftime("%Y-%m-%dT%H:%M:%S")
    us = moment.microsecond
    if not us:
        return base + "Z"
    if us % 1000 == 0:
        return f"{base}.{us // 1000:03d}Z"
    return f"{base}.{us:06d}Z"


def iso_local(moment: dt.datetime) -> str:
    """A naive wall-clock time as written: ``2024-05-01T10:11:12``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def from_epoch_ms(ms: int | float | str) -> str:
    ms = int(ms)
    return iso_utc(_EPOCH + dt.timedelta(milliseconds=ms))


def from_epoch_s(seconds: int | float | str) -> str:
    seconds = float(seconds)
    return iso_utc(_EPOCH + dt.timedelta(microseconds=round(seconds * 1_000_000)))


def from_epoch_us(us: int | str) -> str:
    return iso_utc(_EPOCH + dt.timedelta(microseconds=int(us)))


def parse_iso(text: str) -> dt.datetime:
    """An ISO 8601 string from a source (``Z`` or offset; fractional seconds of any length) as a datetime."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if "." in text:  # fromisoformat wants 3 or 6 fractional digits in 3.11 for some forms; normalise
        head, _, rest = text.partition(".")
        digits = len(rest) - len(rest.lstrip("0123456789"))
        frac, tail = rest[:digits], rest[digits:]
        text = f"{head}.{(frac + '000000')[:6]}{tail}"
    return dt.datetime.fromisoformat(text)


def normalise_iso(text: str) -> str:
    """A source's ISO instant in the contract's form (UTC, ``Z``); a zone-less string stays wall-clock."""
    moment = parse_iso(text)
    if moment.tzinfo is None:
        return iso_local(moment)
    return iso_utc(moment)


def sort_key(time: str | None) -> float | None:
    """Seconds since the epoch: instants exactly, wall-clock times as if they were UTC (close enough to order)."""
    if not time:
        return None
    try:
        moment = dt.datetime.fromisoformat(time)
    except ValueError:
        try:
            moment = parse_iso(time)
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
