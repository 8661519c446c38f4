"""What a person reads instead of datavault's internals (issue 19.4): plain names for finding ids, and times in
the person's zone in a human format.

``label(id)`` is the lower-case name of a finding (``trade_union`` -> "trade-union membership") for running text;
``title(id, report)`` the heading (the finding's own title where the report has it); ``humanize(text)`` puts the
labels in place of the ids in a sentence datavault wrote ("not read for: parent, trade_union" -> "not read for:
parenthood, trade-union membership"). ``human_time(value, zone)`` shows an instant (``...Z``) in the report's
zone and a wall-clock time (a WhatsApp time without a zone) as written: "26 Feb 2026, 18:32".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

LABELS = {
    "parent": "parenthood",
    "closest_ties": "closest ties",
    "metadata_mirror": "who, when and how often",
    "association": "guilt by association",
    "home_work": "home and work",
    "uniqueness": "your four points",
    "sensitive_places": "sensitive places",
    "daily_schedule": "night schedule",
    "health": "health",
    "religion": "religion",
    "sexual_orientation": "sexual orientation",
    "ethnic_origin": "ethnic origin",
    "trade_union": "trade-union membership",
    "political_expression": "political opinions",
    "financial_stress": "money trouble",
    "personal_exposure": "your identifiers",
    "platform_conclusions": "the platforms' own conclusions",
    "mood_trajectory": "mood of your words",
    "mood_trajectory_languages": "mood of your words in other languages",
    "protest_vocabulary": "protest words",
    "screen_time": "screen time",
}
TITLES = {
    "mood_trajectory_languages": "Mood of your words in other languages",
    "parent": "Probably a parent or caregiver",
    "screen_time": "Idleness and screen time",
    "sexual_orientation": "Sexual orientation or gender identity",
    "ethnic_origin": "Ethnic origin or nationality",
    "religion": "Religion or belief",
}
_UNREAD = re.compile(r"unread_text_([a-z]{2,3})")


@lru_cache(maxsize=64)
def _language(code: str) -> str:
    try:
        from babel import Locale

        return Locale.parse(code).get_display_name("en") or code
    except Exception:  # an unknown code: shown as it is
        return code


def label(finding_id: str) -> str:
    m = _UNREAD.fullmatch(finding_id)
    if m:
        return f"texts in {_language(m.group(1))}"
    return LABELS.get(finding_id, finding_id.replace("_", " "))


def title(finding_id: str, report: dict[str, Any] | None = None) -> str:
    """A finding's heading: its own title in the report (a finding or a clear check), else a known one."""
    for entry in (report or {}).get("findings", []) + (report or {}).get("clear", []):
        if entry.get("id") == finding_id and entry.get("title"):
            return entry["title"]
    m = _UNREAD.fullmatch(finding_id)
    if m:
        return f"Your texts in {_language(m.group(1))}"
    text = TITLES.get(finding_id) or label(finding_id)
    return text[:1].upper() + text[1:]


_IDS = re.compile(r"(?<![\w/.-])(" + "|".join(sorted(map(re.escape, LABELS), key=len, reverse=True))
                  + r"|unread_text_[a-z]{2,3})(?![\w/.-])")


_SNAKE = re.compile(r"(?<![\w/.\\-])([a-z]+(?:_[a-z0-9]+)+)(?![\w/.\\-])")


def humanize(text: str) -> str:
    """datavault's own sentence with every finding id in it read as its label, and any other name of a field
    (``ip_address``) as words; a file name or path (``inbox/jordan_lee.json``) stays as it is."""
    if not text:
        return text
    return _SNAKE.sub(lambda m: m.group(1).replace("_", " "), _IDS.sub(lambda m: label(m.group(1)), text))


_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def human_time(value: Any, zone: str | None = None) -> str:
    """An ISO time as a person reads it; an instant in ``zone`` (the report's), a wall-clock time as written,
    a date alone as a date; anything else unchanged."""
    if not value:
        return ""
    s = str(value)
    m = _ISO.fullmatch(s.strip())
    if not m:
        return s
    y, mo, d, hh, mm, ss, tz = m.groups()
    try:
        if hh is None:
            when = dt.date(int(y), int(mo), int(d))
            return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
        when = dt.datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0))
        if tz:
            offset = dt.timezone.utc if tz == "Z" else dt.datetime.strptime(tz.replace(":", ""), "%z").tzinfo
            when = when.replace(tzinfo=offset)
            if zone:
                when = when.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError, OSError):  # an impossible date or an unknown zone: as written
        return s
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year}, {when:%H:%M}"
