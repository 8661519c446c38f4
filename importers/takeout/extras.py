"""Maps saved places, Google Fit, Keep and Calendar.

- Maps ``Saved Places.json`` (GeoJSON; older ``Title``/``Location`` properties and newer ``date``/``location``
  ones) -> activities ``saved`` with coordinates in ``extra``; ghost items at ``[0, 0]`` keep no coordinates.
  ``Labelled places.json`` (Home, Work) -> ``platform_inferences`` ``semantic_place``.
  Saved lists ``Saved/<List>.csv`` (``Title, Note, URL, Comment``; no coordinates, never geocoded) -> ``saved``.
- Fit ``Daily activity metrics.csv`` (one row per day) -> activities ``recorded`` (product ``Fit``,
  ``extra.sensitive = "health"``); ``All Sessions/*.json`` -> activities ``exercised``. The per-day 15-minute
  interval CSVs, raw data points and ``.tcx`` tracks are recognised and skipped: the daily summary carries the
  same totals.
- Keep ``*.json`` notes -> posts ``note`` (trashed notes included, marked).
- Calendar ``*.ics`` -> activities ``scheduled`` (one per VEVENT; streamed line by line).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterator

from datavault.records import Activity, PlatformInference, Post, Problem
from datavault.timeutil import from_epoch_us, iso_local, iso_utc

from .commerce import _iso
from .common import PLATFORM, cell, csv_raw, csv_rows, header_index, squash, text_lines
from .jsonstream import JsonTrouble, load_object, load_small

_LABELS = {"home": "HOME", "work": "WORK", "zuhause": "HOME", "arbeit": "WORK", "domicile": "HOME",
           "travail": "WORK", "casa": "HOME", "trabajo": "WORK"}


def parse_geojson(member, ctx) -> Iterator[Any]:
    try:
        data = load_small(member.open(), 256 << 20)
    except JsonTrouble as trouble:
        yield Problem(str(trouble))
        return
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        yield Problem("a GeoJSON file without features")
        return
    for i, feature in enumerate(features):
        locator = f"features[{i}]"
        if not isinstance(feature, dict):
            continue
        props = feature.get("properties") or {}
        coords = (feature.get("geometry") or {}).get("coordinates") or []
        lon, lat = (coords[0], coords[1]) if len(coords) >= 2 else (None, None)
        if lon == 0 and lat == 0:
            lon = lat = None  # a "ghost" place Google could not place
        location = props.get("location") or props.get("Location") or {}
        name = (location.get("name") or location.get("Business Name") or props.get("name") or props.get("Title")
                or location.get("address") or location.get("Address"))
        address = location.get("address") or location.get("Address") or props.get("address")
        url = props.get("google_maps_url") or props.get("Google Maps URL")
        label = _LABELS.get(str(props.get("name") or "").strip().lower())
        extra = {"lat": lat, "lon": lon, "address": address, "comment": props.get("Comment"),
                 "country_code": location.get("country_code") or location.get("Country Code")}
        extra = {k: v for k, v in extra.items() if v is not None}
        if label or (props.get("name") and address and not props.get("date") and not props.get("Published")):
            value = f"{props.get('name')}: {address}" if address else str(props.get("name"))
            yield PlatformInference(key=("maps-label", str(props.get("name")).lower(), address), locator=locator,
                                    extra={**extra, "semantic_type": label or str(props.get("name")).upper()},
                                    platform=PLATFORM, category="semantic_place", value=value)
            continue
        when = props.get("date") or props.get("Published") or props.get("Updated")
        yield Activity(key=("maps-saved", url or name, when), locator=locator, extra=extra or None,
                       time=_iso(when), platform=PLATFORM, product="Maps", action="saved", title=name, url=url)


def parse_saved_list(member, ctx) -> Iterator[Any]:
    header, rows = csv_rows(member.open())
    index = header_index(header)
    list_name = member.basename.rsplit(".", 1)[0]
    for line, cells in rows:
        title = cell(cells, index, "title")
        url = cell(cells, index, "url")
        extra = {"list": list_name, "note": cell(cells, index, "note"), "comment": cell(cells, index, "comment")}
        yield Activity(key=("maps-list", list_name, url or title), locator=f"line {line}",
                       raw=csv_raw(header, cells), extra={k: v for k, v in extra.items() if v},
                       time=None, platform=PLATFORM, product="Maps", action="saved", title=title, url=url)


def parse_fit_daily(member, ctx) -> Iterator[Any]:
    header, rows = csv_rows(member.open())
    index = header_index(header)
    for line, cells in rows:
        day = cell(cells, index, "date", "datum")
        if not day or not re.match(r"^\d{4}-\d{2}-\d{2}$", day):
            yield Problem(f"line {line}: no date", f"line {line}", "warning")
            continue
        metrics = {header[i].strip(): c.strip() for i, c in enumerate(cells) if i < len(header) and c.strip()
                   and i != index.get("date", index.get("datum"))}
        steps = cell(cells, index, "step count", "schrittzahl", "nombre de pas")
        summary = ", ".join(f"{k} {v}" for k, v in list(metrics.items())[:4])
        yield Activity(key=("fit-day", day), locator=f"line {line}", raw=csv_raw(header, cells),
                       extra={"metrics": metrics, "sensitive": "health", "steps": steps},
                       time=iso_local(dt.datetime.fromisoformat(day)), platform=PLATFORM, product="Fit",
                       action="recorded", title=f"Daily activity {day}: {summary}" if summary else f"Daily activity {day}")


def parse_fit_session(member, ctx) -> Iterator[Any]:
    try:
        data = load_object(member.open(), "a Fit session that is not a JSON object")
    except JsonTrouble as trouble:
        yield Problem(str(trouble))
        return
    kind = data.get("fitnessActivity") or "activity"
    aggregates = {a.get("metricName"): (a.get("intValue") if "intValue" in a else a.get("floatValue"))
                  for a in data.get("aggregate") or [] if isinstance(a, dict)}
    yield Activity(key=("fit-session", data.get("startTime"), kind), locator="$",
                   extra={"end_time": _iso(data.get("endTime")), "duration": data.get("duration"),
                          "aggregates": aggregates or None, "sensitive": "health"},
                   time=_iso(data.get("startTime")), platform=PLATFORM, product="Fit", action="exercised",
                   title=str(kind))


def parse_keep(member, ctx) -> Iterator[Any]:
    try:
        data = load_object(member.open(), "a Keep note that is not a JSON object")
    except JsonTrouble as trouble:
        yield Problem(str(trouble))
        return
    text = data.get("textContent")
    if text is None and isinstance(data.get("listContent"), list):
        text = "\n".join(("[x] " if item.get("isChecked") else "[ ] ") + (item.get("text") or "")
                         for item in data["listContent"] if isinstance(item, dict))
    created = data.get("createdTimestampUsec") or data.get("userEditedTimestampUsec")
    try:
        time = from_epoch_us(created) if created else None
    except (TypeError, ValueError, OverflowError):
        time = None
    extra = {k: data.get(k) for k in ("title", "isTrashed", "isPinned", "isArchived", "color", "labels",
                                      "annotations", "userEditedTimestampUsec") if data.get(k)}
    yield Post(key=("keep", member.basename, data.get("createdTimestampUsec") or ""), locator="$",
               extra=extra or None, time=time, platform=PLATFORM, kind="note",
               text="\n".join(filter(None, (data.get("title"), text))) or None, target=None)


def parse_ics(member, ctx) -> Iterator[Any]:
    event: dict[str, tuple[dict, str]] | None = None
    start_line = 0
    logical: list[tuple[int, str]] = []
    calendar = member.basename.rsplit(".", 1)[0]

    def flush(lines):
        props: dict[str, tuple[dict, str]] = {}
        for _, text in lines:
            head, _, value = text.partition(":")
            name, *params = head.split(";")
            props.setdefault(name.upper(), (dict(p.partition("=")[::2] for p in params), value))
        return props

    count = 0
    for number, line in enumerate(text_lines(member.open()), 1):
        line = line.rstrip("\r\n")
        if line[:1] in (" ", "\t") and logical:
            logical[-1] = (logical[-1][0], logical[-1][1] + line[1:])
            continue
        upper = line.strip().upper()
        if upper == "BEGIN:VEVENT":
            event, start_line, logical = {}, number, []
            continue
        if upper == "END:VEVENT" and event is not None:
            props = flush(logical)
            event = None
            count += 1
            summary = props.get("SUMMARY", ({}, ""))[1].replace("\\,", ",").replace("\\n", "\n") or None
            params, start = props.get("DTSTART", ({}, ""))
            yield Activity(key=("calendar", props.get("UID", ({}, ""))[1] or start, start,
                                props.get("RECURRENCE-ID", ({}, ""))[1]),
                           locator=f"line {start_line}",
                           extra={k: v for k, v in {"calendar": calendar,
                                                    "location": props.get("LOCATION", ({}, ""))[1].replace("\\,", ","),
                                                    "end": props.get("DTEND", ({}, ""))[1],
                                                    "rrule": props.get("RRULE", ({}, ""))[1],
                                                    "start_text": start}.items() if v},
                           time=_ics_time(start, params.get("TZID")), platform=PLATFORM, product="Calendar",
                           action="scheduled", title=summary)
            continue
        if event is not None:
            logical.append((number, line))
    if count == 0:
        yield Problem("no events in this calendar", None, "warning")


def _ics_time(value: str, tzid: str | None) -> str | None:
    value = value.strip()
    try:
        if re.match(r"^\d{8}T\d{6}Z$", value):
            return iso_utc(dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc))
        if re.match(r"^\d{8}T\d{6}$", value):
            moment = dt.datetime.strptime(value, "%Y%m%dT%H%M%S")
            if tzid:
                from zoneinfo import ZoneInfo
                try:
                    return iso_utc(moment.replace(tzinfo=ZoneInfo(tzid)))
                except (KeyError, ValueError):
                    pass
            return iso_local(moment)
        if re.match(r"^\d{8}$", value):
            return iso_local(dt.datetime.strptime(value, "%Y%m%d"))
    except ValueError:
        return None
    return None


def squash_title(text: str | None) -> str | None:
    return squash(text) or None
