"""Reading the display timestamps of Takeout HTML and CSV files, in the account's language.

My Activity HTML writes times as people read them: ``Feb 8, 2017, 12:32:36 AM`` (en-US),
``6 Oct 2020, 14:32:28 PDT`` (en-GB), ``01.09.2022, 21:08:12 MESZ`` (de), ``8 févr. 2017, 00:32:36 UTC`` (fr),
``8 feb 2017, 0:32:36 CET`` (es). Google Pay writes ``12 mar 2021, 14:03``. Month names come from a small
table of English, German, French, Spanish (and a few Italian/Portuguese/Dutch) forms; that is enough for the
languages the issue names without a CLDR dependency.

A trailing zone abbreviation names the zone *of the export*, with the offset that zone had **when the export was
made** (Google writes every record of a file with that one offset). So an abbreviation is resolved against the
export time (``ctx.created``: the ``takeout-YYYYMMDDTHHMMSSZ`` archive name or the zip entry dates, never a
file's mtime). When several zones use the abbreviation with different offsets at that moment (``CST``: Chicago
or Shanghai; ``IST``: India, Ireland or Israel), the first, most common reading is taken and the result says it
is ambiguous. A time without any zone (pre-2018 exports) is read in ``--tz`` when given, otherwise as UTC, as
Google wrote them then; the result says which.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

UTC = dt.timezone.utc

MONTHS: dict[str, int] = {}
for _number, _names in enumerate([
    "jan january januar janv janvier ene enero gen gennaio jän jänner janeiro januari",
    "feb february februar févr fevr février fevrier febrero febbraio fev fevereiro februari",
    "mar march märz mär maerz mars marzo março marco maart mrt",
    "apr april avr avril abr abril aprile",
    "may mai mayo mag maggio maio mei",
    "jun june juni juin junio giu giugno",
    "jul july juli juil juillet julio lug luglio",
    "aug august août aout ago agosto augustus",
    "sep sept september septembre septiembre set settembre setembro",
    "oct october okt oktober octobre octubre ott ottobre out outubro",
    "nov november novembre noviembre novembro",
    "dec december dez dezember déc decembre décembre dic diciembre dicembre dezembro",
], start=1):
    for _name in _names.split():
        MONTHS[_name] = _number

# abbreviation -> candidate zones, most common reading first; German spellings map to the zoneinfo names
_ZONES: dict[str, tuple[str, ...]] = {
    "UTC": ("UTC",), "GMT": ("Europe/London", "UTC"), "Z": ("UTC",),
    "BST": ("Europe/London",), "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "WET": ("Europe/Lisbon",), "WEST": ("Europe/Lisbon",),
    "CET": ("Europe/Berlin",), "CEST": ("Europe/Berlin",),
    "EET": ("Europe/Athens",), "EEST": ("Europe/Athens",),
    "MSK": ("Europe/Moscow",),
    "EST": ("America/New_York",), "EDT": ("America/New_York",),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"), "CDT": ("America/Chicago", "America/Havana"),
    "MST": ("America/Denver", "America/Phoenix"), "MDT": ("America/Denver",),
    "PST": ("America/Los_Angeles",), "PDT": ("America/Los_Angeles",),
    "AKST": ("America/Anchorage",), "AKDT": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",), "AST": ("America/Halifax",), "ADT": ("America/Halifax",),
    "NST": ("America/St_Johns",), "NDT": ("America/St_Johns",),
    "JST": ("Asia/Tokyo",), "KST": ("Asia/Seoul",), "HKT": ("Asia/Hong_Kong",),
    "AEST": ("Australia/Sydney", "Australia/Brisbane"), "AEDT": ("Australia/Sydney",),
    "ACST": ("Australia/Adelaide", "Australia/Darwin"), "ACDT": ("Australia/Adelaide",),
    "AWST": ("Australia/Perth",), "NZST": ("Pacific/Auckland",), "NZDT": ("Pacific/Auckland",),
    "SAST": ("Africa/Johannesburg",), "WAT": ("Africa/Lagos",), "CAT": ("Africa/Maputo",),
    "EAT": ("Africa/Nairobi",), "PKT": ("Asia/Karachi",), "WIB": ("Asia/Jakarta",),
}
_ALIASES = {"MEZ": "CET", "MESZ": "CEST", "OEZ": "EET", "OESZ": "EEST", "WEZ": "WET", "WESZ": "WEST",
            "HNEC": "CET", "HAEC": "CEST", "HNE": "EST", "HAE": "EDT", "HNP": "PST", "HAP": "PDT"}
# fixed offsets a zone name does not state (zoneinfo calls them by their numeric form)
_FIXED = {"SGT": 8 * 60, "PHT": 8 * 60, "ICT": 7 * 60, "GST": 4 * 60}

_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_OFFSET_ZONE = re.compile(r"(?:UTC|GMT)\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$")
_ABBR = re.compile(r"\s([A-Z]{1,5})$")
_TIME = r"(?P<h>\d{1,2})[:.h](?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<ampm>[ap]\.?\s?m\.?))?"
_PATTERNS = [
    # Feb 8, 2017, 12:32:36 AM
    re.compile(r"^(?P<mon>[^\W\d_]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4}),?\s+(?:at\s+)?" + _TIME + "$", re.I),
    # 6 Oct 2020, 14:32:28 / 8 févr. 2017 à 00:32:36 / 8 de feb. de 2017, 0:32:36 / 1. Sept. 2022, 21:08:12
    re.compile(r"^(?P<d>\d{1,2})\.?\s+(?:de\s+)?(?P<mon>[^\W\d_]+)\.?\s+(?:de\s+)?(?P<y>\d{4}),?\s+"
               r"(?:à\s+|a\s+las\s+|um\s+|at\s+|alle\s+)?" + _TIME + "$", re.I),
    # 01.09.2022, 21:08:12 / 01/09/2022 21:08:12 (day first: month-first writers use month names)
    re.compile(r"^(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4}),?\s+" + _TIME + "$", re.I),
    # 2022-09-01 21:08:12
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})[ T]" + _TIME + "$", re.I),
]


@dataclass(frozen=True, slots=True)
class ReadTime:
    """A display timestamp, read: the moment (aware, or naive when no zone could apply) and how."""

    moment: dt.datetime
    zone: str | None  # the abbreviation or offset as written, None when there was none
    basis: str  # explicit offset, abbreviation at export time, abbreviation (no export time), no zone: UTC, no zone: --tz
    ambiguous: bool = False


def normalise_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parse_wall(text: str) -> tuple[dt.datetime, str | None] | None:
    """The wall-clock datetime of a display timestamp and the zone text after it (None when not a timestamp)."""
    text = normalise_spaces(text)
    if not text or len(text) > 60 or not _DIGIT.search(text):
        return None
    zone = None
    found = _OFFSET_ZONE.search(text)
    if found:
        zone = found.group(0).replace("−", "-").replace(" ", "")
        text = text[:found.start()].strip()
    else:
        found = _ABBR.search(text)
        if found and found.group(1).upper() not in ("AM", "PM", "A", "P"):
            zone = found.group(1)
            text = text[:found.start()].strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = match.groupdict()
        if parts.get("mon"):
            month = MONTHS.get(parts["mon"].lower().rstrip("."))
            if month is None:
                return None
        else:
            month = int(parts["m"])
        hour = int(parts["h"])
        ampm = (parts.get("ampm") or "").lower().replace(".", "").replace(" ", "")
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "pm" else 0)
        try:
            moment = dt.datetime(int(parts["y"]), month, int(parts["d"]), hour, int(parts["mi"]),
                                 int(parts["s"] or 0))
        except ValueError:
            return None
        return moment, zone
    return None


def resolve(wall: dt.datetime, zone: str | None, created: dt.datetime | None,
            tz: dt.tzinfo | None = None) -> ReadTime:
    """The instant of a wall-clock display time given the zone text after it and the export time."""
    if zone is None:
        if tz is not None:
            return ReadTime(_localise(wall, tz), None, "no zone: --tz")
        return ReadTime(wall.replace(tzinfo=UTC), None, "no zone: UTC")
    found = _OFFSET_ZONE.match(zone)
    if found:
        sign = -1 if found.group(1) in "-−" else 1
        minutes = int(found.group(2)) * 60 + int(found.group(3) or 0)
        return ReadTime(wall.replace(tzinfo=dt.timezone(sign * dt.timedelta(minutes=minutes))), zone,
                        "explicit offset")
    offsets = _offsets(zone, created, wall.year) if created is not None else []
    basis = "abbreviation at export time"
    if not offsets:
        # no export time, or the zone was not called so at that time: take the name's usual offset
        offsets = _offsets(zone, None, wall.year)
        basis = ("abbreviation (no export time)" if created is None
                 else "abbreviation (not in use at export time)")
    if not offsets:
        return ReadTime(wall.replace(tzinfo=UTC), zone, "unknown zone abbreviation: read as UTC", True)
    offset = offsets[0]
    ambiguous = len(set(offsets)) > 1
    return ReadTime(wall.replace(tzinfo=dt.timezone(offset)), zone, basis, ambiguous)


@functools.lru_cache(maxsize=1024)
def _offsets(abbr: str, created: dt.datetime | None, year: int) -> tuple[dt.timedelta, ...]:
    # a file writes one zone for every record: the answer is the same a million times over
    return tuple(abbreviation_offsets(abbr, created, dt.datetime(year, 1, 1)))


def abbreviation_offsets(abbr: str, created: dt.datetime | None, wall: dt.datetime) -> list[dt.timedelta]:
    """The UTC offsets ``abbr`` can stand for, most common reading first.

    With the export time: the offset each candidate zone had at that moment, if the zone was then called
    ``abbr``. Without it: the offset each candidate zone has in winter or summer under that name.
    """
    name = _ALIASES.get(abbr.upper(), abbr.upper())
    if name in ("UTC", "Z"):
        return [dt.timedelta(0)]
    fixed = _FIXED.get(name)
    if isinstance(fixed, int):
        return [dt.timedelta(minutes=fixed)]
    result: list[dt.timedelta] = []
    for zone_name in _ZONES.get(name, ()):
        zone = ZoneInfo(zone_name)
        probes = [created] if created is not None else [
            dt.datetime(wall.year, 1, 15, 12, tzinfo=UTC), dt.datetime(wall.year, 7, 15, 12, tzinfo=UTC)]
        for probe in probes:
            local = probe.astimezone(zone)
            if _tzname_matches(local, name, zone_name):
                offset = local.utcoffset()
                if offset is not None and offset not in result:
                    result.append(offset)
                break
    return result


def _tzname_matches(local: dt.datetime, name: str, zone_name: str) -> bool:
    actual = local.tzname() or ""
    if actual == name:
        return True
    if name == "GMT" and zone_name == "Europe/London":
        return actual == "GMT"
    if name == "IST" and zone_name == "Europe/Dublin":
        return actual == "IST"
    return False


def _localise(wall: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return wall.replace(tzinfo=tz)


def parse_display(text: str, created: dt.datetime | None, tz: dt.tzinfo | None = None) -> ReadTime | None:
    wall = parse_wall(text)
    if wall is None:
        return None
    return resolve(wall[0], wall[1], created, tz)
