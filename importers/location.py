"""Google location history, every generation, streamed: the ``location`` importer (platform ``google``).

Reads, recognised by the JSON keys at the start of the file (the path is only a hint, names are localised):

- ``Records.json`` / ``Location History.json`` (``{"locations": [...]}``): raw points with ``timestampMs``
  epoch-ms strings (old) or ISO ``timestamp`` (new), E7 coordinates, accuracy; every other field (altitude,
  velocity, heading, source, deviceTag, platformType, activity guesses, Wi-Fi scans...) goes to ``extra``.
  Milliseconds are kept and nothing is thinned. E7 values Google wrote as unsigned 32-bit numbers (> 1.8e9) are
  repaired (minus 2^32, the original kept); entries with activity guesses and no position are counted.
  Streamed in 64 KiB pieces, runs of whole points decoded by the C ``json`` decoder (a third less CPU than ijson),
  ijson taking over at anything the two might read differently (see ``_location_batches``): a 2 GB file never
  sits in memory, and every point and Problem is what ijson alone would give.
- Semantic Location History month files (``{"timelineObjects": [...]}``): ``placeVisit`` -> a ``visit`` (with or
  without ``placeId``; its ``childVisits`` become visits too), ``activitySegment`` -> a ``trip`` (mode, distance,
  waypoints, raw path, transit line and stops, parking in ``extra``). Both ``startTimestampMs`` and ISO keys.
- Android on-device ``Timeline.json`` under any localised name (``{"semanticSegments": ...}``): visits, activities
  (trips), ``timelinePath`` points, ``rawSignals`` positions; ``userLocationProfile.frequentPlaces`` and travel-mode
  affinities are Google's own conclusions and go to ``platform_inferences``.
- iOS on-device ``location-history.json`` (a top-level array, every value a string, ``geo:lat,lng``; path points
  carry only a minute offset from their segment's start).
- Location ``Settings.json`` (devices -> ``profile`` field ``device``; history switch and retention) and
  ``Timeline Edits.json`` (raw position edits, place aggregates).

Google's own HOME/WORK/alias/frequent-place labels become ``platform_inferences`` with category ``semantic_place``
(once per label and place in a file): Google already concluded where this person lives and works.

Time of day: every record's ``extra`` gets ``tz`` (an IANA zone) and ``utc_offset_min``, **inferred offline from
the coordinates** (timezonefinder), so a report can ask "out at 2 a.m. local time". Where the source itself states
an offset (Android), it is kept beside it as ``source_utc_offset_min``.

Overlaps: the old Takeout history and an on-device export (or two Takeouts) describe the same moments. A point's
natural key is its UTC minute, its coordinates rounded to 4 decimals (about 11 m) and an ordinal among the points of
the same file that share both, so two sources' observations of the same fix fall on the same key and are stored
once, while distinct points of one file never merge. ``extra["origin"]`` names the generation a record came from.

Deliberately not imported (counted in a note instead): Android ``rawSignals`` activity records and Wi-Fi scans, and
Timeline Edits activity records: they carry no position. ``Encrypted Backups.txt`` and ``Tombstones.csv`` are
recognised and skipped with a reason. Raw points carry no ``raw`` text: their ``key``, contract fields and
``extra`` hold every source field, and writing each of 8 million points twice would double the vault.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time as _time
import zipfile
import zlib
from itertools import chain, islice
from typing import Any, Iterator

import ijson

from datavault.importer import PARSE, ImportContext, skip
from datavault.records import Location, Note, PlatformInference, Problem, ProfileFact
from datavault.timeutil import iso_utc, parse_iso

PLATFORM = "google"

# Localised names of the Android on-device export (TLZ #111 and Google's locales); only a hint, content decides.
_ANDROID_NAMES = {
    "timeline.json", "zeitachse.json", "zeitleiste.json", "chronologie.json", "vos trajets.json", "cronologia.json",
    "cronología.json", "tijdlijn.json", "oś czasu.json", "linha do tempo.json", "línea de tiempo.json",
    "tidslinje.json", "aikajana.json", "タイムライン.json", "타임라인.json", "时间轴.json", "時間軸.json",
    "хронология.json", "zaman çizelgesi.json",
}
_HINT_NAMES = {"records.json", "location history.json", "timeline edits.json", "location-history.json",
               "standortverlauf.json"} | _ANDROID_NAMES
_LOCATION_FOLDERS = ("location history", "standortverlauf", "timeline", "semantic location history")
_SEMANTIC_PATH = re.compile(r"(^|/)\d{4}/\d{4}_[^/]+\.json$")
_LATLNG = re.compile(r"^\s*(?:geo:)?\s*(-?\d+(?:\.\d+)?)\s*°?\s*,\s*(-?\d+(?:\.\d+)?)\s*°?\s*$")
_FAST_ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")
_HOUR = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}\Z")
_FAST_ISO_ASCII = re.compile(_FAST_ISO_MS.pattern, re.ASCII)
_IOS_KEYS = {"startTime", "endTime", "visit", "activity", "timelinePath", "timelineMemory"}
_SETTINGS_KEYS = {"deviceSettings", "retentionWindowDays", "historyEnabled", "hasReportedLocations",
                  "historyDeletionTime", "hasSetRetention"}
_ANDROID_KEYS = {"semanticSegments", "rawSignals", "userLocationProfile"}
# another Google format whose file might carry a location file's name: leave it to the importer that reads it
_OTHER_GOOGLE_KEYS = {"header", "title", "products", "Browser History", "install", "purchaseHistory"}
# a key of one of the formats read here, as it appears in the first bytes of such a file
_MARKER = re.compile(rb'"(?:' + b"|".join(k.encode() for k in sorted(
    {"locations", "timelineObjects", "timelineEdits"} | _ANDROID_KEYS | _IOS_KEYS | _SETTINGS_KEYS)) + rb')"\s*:')


class LocationImporter:
    name = "location"
    platform = "google"  # the word in the platform column; the importer is named after what it reads

    def __init__(self) -> None:
        self.local_time = LocalTime()

    # ------------------------------------------------------------------------------------------------------------
    # claim

    def claim(self, member, ctx: ImportContext):
        base = member.basename.lower()
        if base.startswith("._"):
            return None  # AppleDouble resource forks from re-zipping on a Mac: not JSON, not ours
        hinted = _path_hint(member.name)
        if hinted and base == "encrypted backups.txt":
            return skip("notice that encrypted Timeline backups exist on Google's servers; no location data")
        if hinted and base == "tombstones.csv":
            return skip("Timeline deletion markers; their format is undocumented, not read")
        if member.suffix not in (".json", ""):
            return None
        if member.size == 0:
            return skip("empty file (0 bytes)") if hinted else None
        head = member.head(4096)
        if not hinted and not _MARKER.search(head):
            return None  # no key of a location format near the top: not ours (a cheap look at every JSON file)
        kind = sniff(head)
        if kind in _PARSERS:
            return PARSE
        if hinted and kind != "other-google":
            return PARSE  # named like ours but holds something else: parse() reports what it is
        return None

    # ------------------------------------------------------------------------------------------------------------
    # parse

    def parse(self, member, ctx: ImportContext) -> Iterator[Any]:
        kind = sniff(member.head(4096))
        method = _PARSERS.get(kind)
        if method is None:
            yield Problem(f"named like a Google location file, but its content is {_describe(kind, member)}; "
                          f"nothing was imported from it")
            return
        yield Note("location_format", _FORMAT_NAMES[kind])
        try:
            yield from getattr(self, method)(member)
        except ijson.JSONError as exc:
            yield Problem(f"the file is not valid JSON or ends too early ({_first_line(exc)}); "
                          f"everything before that point was imported")
        except (EOFError, zlib.error, zipfile.BadZipFile, OSError) as exc:
            yield Problem(f"the file could not be read to its end ({exc}); everything before that point was imported")
        if self.local_time.available:
            yield Note("tz_basis", "extra.tz and extra.utc_offset_min are inferred offline from the coordinates "
                                   "(timezonefinder); extra.source_utc_offset_min is the offset the file states")
        else:
            yield Note("tz_basis", "timezonefinder is not installed: no local time zone was inferred")

    # ---- Records.json / Location History.json ------------------------------------------------------------------

    def _records(self, member) -> Iterator[Any]:
        # The hot path of the importer: 8 million turns for a 2 GB file, about 1 us of Python each. Every name it
        # uses is a local, and what several helpers did (LocalTime.annotate's same-place shortcut, _Ordinals.next,
        # _cell) is written out here; each trick says why it gives the same result.
        ordinals = _MinuteOrdinals(_Ordinals().window)
        next_ordinal, log_minute, log_place = ordinals.next, ordinals.log_minutes.append, ordinals.log_places.append
        newest, added, add_limit = ordinals.newest, ordinals.added, ordinals.limit
        current_place = current_number = None
        local_time = self.local_time
        annotate = local_time.annotate
        # LocalTime.annotate begins by comparing the point's (place, hour) with the previous point's and, when they
        # are equal, copies the previous answer. That test is done here without the call; on a miss annotate runs
        # (and takes its own miss path, since our copy of its last slot is its own), and the copy is refreshed.
        last_lat, last_lon, last_hour = local_time._last_slot or (None, None, None)
        last_zone = local_time._last
        # _FAST_ISO_MS with [0-9] for \d (re.ASCII) is a quarter cheaper; what it matches, _FAST_ISO_MS matches
        fast_ascii, fast_iso = _FAST_ISO_ASCII.match, _FAST_ISO_MS.match
        count = activity_only = repaired = 0
        batches = _location_batches(member)
        try:
            for index, item in enumerate(chain.from_iterable(batches)):
                if type(item) is not dict:  # JSON gives plain dicts: the same test as isinstance, cheaper
                    yield Problem("a location entry is not a JSON object; skipped", f"locations[{index}]")
                    continue
                stamp = item.pop("timestamp", None)
                stamp_ms = item.pop("timestampMs", None)
                try:
                    if stamp is not None:
                        if fast_ascii(stamp) or fast_iso(stamp):  # the common case, inlined from instant()
                            when = stamp[:19] + "Z" if stamp[20:23] == "000" else stamp
                        else:
                            when = instant(stamp)[0]
                    elif stamp_ms is not None:
                        when = from_ms(stamp_ms)
                    else:
                        yield Problem("a point has no time (neither timestamp nor timestampMs); skipped",
                                      f"locations[{index}]")
                        continue
                except (ValueError, TypeError, OverflowError):
                    yield Problem(f"a point's time {stamp if stamp is not None else stamp_ms!r} cannot be read; "
                                  f"skipped", f"locations[{index}]")
                    continue
                lat_e7 = item.pop("latitudeE7", None)
                lon_e7 = item.pop("longitudeE7", None)
                if type(lat_e7) is not int or type(lon_e7) is not int:
                    if lat_e7 is None and lon_e7 is None and "activity" in item:
                        activity_only += 1  # newer files hold activity guesses without a position
                        continue
                    yield Problem(f"a point at {when} has no usable coordinates "
                                  f"(latitudeE7={lat_e7!r}, longitudeE7={lon_e7!r}); skipped", f"locations[{index}]")
                    continue
                if lat_e7 > 1_800_000_000 or lon_e7 > 1_800_000_000:
                    # Google's exporter wrote some negative E7 values as unsigned 32-bit numbers
                    original = (lat_e7, lon_e7)
                    if lat_e7 > 1_800_000_000:
                        lat_e7 -= 4_294_967_296
                    if lon_e7 > 1_800_000_000:
                        lon_e7 -= 4_294_967_296
                    item["e7_overflow_repaired"] = original
                    wrapped = 1
                else:
                    wrapped = 0
                lat = lat_e7 / 1e7
                lon = lon_e7 / 1e7
                if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
                    shown = item.get("e7_overflow_repaired") or (lat_e7, lon_e7)
                    yield Problem(f"a point at {when} has coordinates out of range (latitudeE7 {shown[0]}, "
                                  f"longitudeE7 {shown[1]}); skipped", f"locations[{index}]")
                    continue
                repaired += wrapped
                accuracy = item.pop("accuracy", None)
                item["origin"] = "records"
                # LocalTime.annotate's slot, (int(lat * 100), int(lon * 100), when[:13]), compared part by part
                # without building the tuple; the hour first, as it is the cheapest
                hour = when[:13]
                if hour == last_hour and int(lat * 100) == last_lat and int(lon * 100) == last_lon:
                    if last_zone is not None:
                        item["tz"], item["utc_offset_min"] = last_zone
                else:
                    annotate(item, lat, lon, when)
                    (last_lat, last_lon, last_hour), last_zone = local_time._last_slot, local_time._last
                # the key's cell: integer arithmetic on the E7 values, exact, and 4 decimals as _cell gives float
                # sources. The ordinal is _MinuteOrdinals' (the same numbers as _Ordinals.next), its look-up
                # written out: within the point's minute, the cell as one integer (lat_cell in [-900000, 900000],
                # lon_cell in [-1800000, 1800000] once the range is checked: no two cells share a number)
                minute = when[:16]
                lat_cell = (lat_e7 + 500) // 1000
                lon_cell = (lon_e7 + 500) // 1000
                place = lat_cell * 4_000_000 + lon_cell
                if minute > newest and added < add_limit:
                    # _MinuteOrdinals.next and _add written out, on locals, for the common case: a point later
                    # than every cell held is new for certain (ordinal 0), and adding it makes nothing forgotten.
                    # The newest minute's one cell stays in two locals until a point needs the dict.
                    newest = minute
                    current_place, current_number = place, added
                    log_minute(minute)
                    log_place(place)
                    added += 1
                    ordinal = 0
                else:
                    ordinals.newest, ordinals.added = newest, added
                    if current_place is not None:
                        ordinals.current = {current_place: current_number}
                        current_place = None
                    ordinal = next_ordinal(minute, place)
                    newest, added, add_limit = ordinals.newest, ordinals.added, ordinals.forgotten + ordinals.limit
                yield Location(time=when, lat=lat, lon=lon, accuracy_m=accuracy,
                               key=("point", minute, lat_cell, lon_cell, ordinal), key_time=minute,
                               locator=f"locations[{index}]",
                               extra=item)
                count += 1
        finally:
            batches.close()
        yield Note("points", count)
        if activity_only:
            yield Note("entries with activity guesses but no position (not imported)", activity_only)
        if repaired:
            yield Note("points whose E7 coordinates had wrapped around 2^32 (repaired)", repaired)

    # ---- Semantic Location History ------------------------------------------------------------------------------

    def _semantic(self, member) -> Iterator[Any]:
        labels = _Labels()
        visits = trips = 0
        stream = _open(member)
        try:
            for index, obj in enumerate(ijson.items(stream, "timelineObjects.item", use_float=True)):
                locator = f"timelineObjects[{index}]"
                raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
                if not isinstance(obj, dict):
                    yield Problem("a timeline object is not a JSON object; skipped", locator)
                elif "placeVisit" in obj:
                    for item in self._semantic_visit(obj["placeVisit"], f"{locator}.placeVisit", raw, labels):
                        visits += isinstance(item, Location)
                        yield item
                elif "activitySegment" in obj:
                    item = self._semantic_trip(obj["activitySegment"], f"{locator}.activitySegment", raw)
                    trips += isinstance(item, Location)
                    yield item
                else:
                    yield Problem(f"a timeline object of an unknown kind ({', '.join(sorted(obj)) or 'empty'}); "
                                  f"skipped", locator, severity="warning")
        finally:
            stream.close()
        yield Note("visits", visits)
        yield Note("trips", trips)

    def _semantic_visit(self, visit: dict, locator: str, raw: str | None, labels: "_Labels",
                        parent: dict | None = None) -> Iterator[Any]:
        if not isinstance(visit, dict):
            yield Problem("a place visit is not a JSON object; skipped", locator)
            return
        visit = dict(visit)
        place = visit.pop("location", None) or {}
        duration = visit.pop("duration", None) or {}
        children = visit.pop("childVisits", None) or []
        try:
            start, end = _semantic_span(duration)
        except (ValueError, TypeError, OverflowError) as exc:
            yield Problem(f"a place visit's time cannot be read ({exc}); skipped", locator)
            return
        if start is None:
            yield Problem("a place visit has no start time; skipped", locator)
            return
        lat, lon = _e7_pair(place.get("latitudeE7"), place.get("longitudeE7"))
        if lat is None:
            lat, lon = _e7_pair(visit.get("centerLatE7"), visit.get("centerLngE7"))
        if lat is None and (place.get("latitudeE7") is not None or visit.get("centerLatE7") is not None):
            yield Problem(f"a place visit at {start} has coordinates out of range; skipped", locator)
            return
        extra: dict[str, Any] = {k: v for k, v in place.items()
                                 if k not in ("latitudeE7", "longitudeE7", "name", "semanticType")}
        extra.update(visit)
        raw_type = place.get("semanticType")
        if raw_type is not None:
            extra["semantic_type_raw"] = raw_type
        if parent:
            extra.update(parent)
        extra["origin"] = "semantic"
        extra["timestamp_style"] = "ms" if "startTimestampMs" in duration else "iso"
        yield from self._visit(start, end, lat, lon, raw_type, place.get("placeId"), extra, locator, raw, labels,
                               "a visit", name=place.get("name") or place.get("address"),
                               address=place.get("address"))
        for j, child in enumerate(children):
            parent = {"parent_visit": locator}
            if place.get("placeId"):
                parent["parent_place_id"] = place["placeId"]
            yield from self._semantic_visit(child, f"{locator}.childVisits[{j}]", None, labels, parent=parent)

    def _semantic_trip(self, seg: dict, locator: str, raw: str) -> Any:
        if not isinstance(seg, dict):
            return Problem("an activity segment is not a JSON object; skipped", locator)
        seg = dict(seg)
        duration = seg.pop("duration", None) or {}
        try:
            start, end = _semantic_span(duration)
        except (ValueError, TypeError, OverflowError) as exc:
            return Problem(f"an activity segment's time cannot be read ({exc}); skipped", locator)
        if start is None:
            return Problem("an activity segment has no start time; skipped", locator)
        start_loc = seg.get("startLocation") or {}
        end_loc = seg.get("endLocation") or {}
        lat, lon = _e7_pair(start_loc.get("latitudeE7"), start_loc.get("longitudeE7"))
        end_lat, end_lon = _e7_pair(end_loc.get("latitudeE7"), end_loc.get("longitudeE7"))
        mode_raw = seg.get("activityType")
        extra: dict[str, Any] = seg
        if end_lat is not None:
            extra["end_lat"], extra["end_lon"] = end_lat, end_lon
        extra["origin"] = "semantic"
        extra["timestamp_style"] = "ms" if "startTimestampMs" in duration else "iso"
        if lat is not None:
            self.local_time.annotate(extra, lat, lon, start)
        transit = seg.get("transitPath") or {}
        return Location(time=start, end_time=end, lat=lat, lon=lon, kind="trip", mode=mode_name(mode_raw),
                        place_name=transit.get("name") if isinstance(transit, dict) else None,
                        key=_trip_key(start, lat, lon), key_time=start, locator=locator, raw=raw, extra=extra)

    # ---- Android on-device Timeline.json ------------------------------------------------------------------------

    def _android(self, member) -> Iterator[Any]:
        labels = _Labels()
        ordinals = _Ordinals()
        counts = {"visits": 0, "trips": 0, "points": 0, "raw positions": 0, "raw activity records (not imported)": 0,
                  "raw wifi scans (not imported)": 0}
        stream = _open(member)
        wanted = {"semanticSegments.item", "rawSignals.item", "userLocationProfile"}
        try:
            positions = {"semanticSegments.item": -1, "rawSignals.item": -1}
            for prefix, obj in _prefixed_items(stream, wanted):
                if prefix == "userLocationProfile":
                    yield from self._android_profile(obj, labels)
                    continue
                positions[prefix] += 1
                index = positions[prefix]
                if prefix == "semanticSegments.item":
                    yield from _counted(self._android_segment(obj, f"semanticSegments[{index}]", labels, ordinals),
                                        counts)
                else:
                    locator = f"rawSignals[{index}]"
                    if not isinstance(obj, dict):
                        yield Problem("a raw signal is not a JSON object; skipped", locator)
                    elif "position" in obj:
                        item = self._android_position(obj["position"], locator + ".position", ordinals)
                        counts["raw positions"] += isinstance(item, Location)
                        yield item
                    elif "activityRecord" in obj:
                        counts["raw activity records (not imported)"] += 1
                    elif "wifiScan" in obj:
                        counts["raw wifi scans (not imported)"] += 1
                    else:
                        yield Problem(f"a raw signal of an unknown kind ({', '.join(sorted(obj))}); skipped",
                                      locator, severity="warning")
        finally:
            stream.close()
        for name, value in counts.items():
            yield Note(name, value)

    def _android_segment(self, seg: Any, locator: str, labels: "_Labels", ordinals: "_Ordinals") -> Iterator[Any]:
        if not isinstance(seg, dict):
            yield Problem("a timeline segment is not a JSON object; skipped", locator)
            return
        raw = json.dumps(seg, ensure_ascii=False, separators=(",", ":"))
        try:
            start, start_off = instant(seg["startTime"]) if seg.get("startTime") else (None, None)
            end = instant(seg["endTime"])[0] if seg.get("endTime") else None
        except (ValueError, TypeError) as exc:
            yield Problem(f"a timeline segment's time cannot be read ({exc}); skipped", locator)
            return
        stated_offset = seg.get("startTimeTimezoneUtcOffsetMinutes", start_off)
        common = {k: seg[k] for k in ("startTimeTimezoneUtcOffsetMinutes", "endTimeTimezoneUtcOffsetMinutes",
                                      "timelineMemory") if k in seg}
        known = False
        if "visit" in seg or "activity" in seg:
            known = True
            if start is None:
                yield Problem("a timeline segment has no start time; skipped", locator)
                return
        if isinstance(seg.get("visit"), dict):
            visit = dict(seg["visit"])
            top = dict(visit.pop("topCandidate", None) or {})
            where = top.pop("placeLocation", None)
            lat, lon = latlng(_latlng_of(where))
            if where and lat is None:
                yield Problem(f"a visit's place location {where!r} cannot be read or is out of range; skipped",
                              locator + ".visit")
            else:
                raw_type = top.pop("semanticType", None)
                extra = {**common, **visit, **{f"candidate_{k}": v for k, v in top.items()},
                         "semantic_type_raw": raw_type, "origin": "android"}
                extra["source_utc_offset_min"] = stated_offset
                yield from self._visit(start, end, lat, lon, raw_type, top.get("placeId"), extra, locator + ".visit",
                                       raw, labels, "an on-device visit")
        if isinstance(seg.get("activity"), dict):
            act = dict(seg["activity"])
            lat, lon = latlng(_latlng_of(act.pop("start", None)))
            end_lat, end_lon = latlng(_latlng_of(act.pop("end", None)))
            top = act.pop("topCandidate", None) or {}
            extra = {**common, **act, "origin": "android", "source_utc_offset_min": stated_offset}
            if isinstance(top, dict):
                extra.update({f"candidate_{k}": v for k, v in top.items() if k != "type"})
            yield self._device_trip(start, end, lat, lon, end_lat, end_lon, top, extra, locator + ".activity", raw)
        path = seg.get("timelinePath")
        if isinstance(path, list):
            known = True
            for j, step in enumerate(path):
                step_locator = f"{locator}.timelinePath[{j}]"
                if not isinstance(step, dict) or not step.get("time"):
                    yield Problem("a path point has no time; skipped", step_locator)
                    continue
                lat, lon = latlng(step.get("point"))
                if lat is None:
                    yield Problem(f"a path point's position {step.get('point')!r} cannot be read or is out of "
                                  f"range; skipped", step_locator)
                    continue
                try:
                    when, offset = instant(step["time"])
                except (ValueError, TypeError):
                    yield Problem(f"a path point's time {step['time']!r} cannot be read; skipped", step_locator)
                    continue
                extra = {k: v for k, v in step.items() if k not in ("point", "time")}
                extra.update(origin="android_path", source_utc_offset_min=offset)
                yield self._point(when, lat, lon, extra, step_locator, ordinals)
        if not known:
            if "timelineMemory" in seg and start is not None:
                yield _memory_trip(start, end, locator, raw,
                                   {**common, "origin": "android", "source_utc_offset_min": stated_offset})
            else:
                yield Problem(f"a timeline segment of an unknown kind ({', '.join(sorted(seg))}); skipped",
                              locator, severity="warning")

    def _android_position(self, pos: Any, locator: str, ordinals: "_Ordinals") -> Any:
        if not isinstance(pos, dict):
            return Problem("a raw position is not a JSON object; skipped", locator)
        pos = dict(pos)
        stamp = pos.pop("timestamp", None)
        if not stamp:
            return Problem("a raw position has no time; skipped", locator)
        where = pos.pop("LatLng", None) or pos.pop("latLng", None)
        lat, lon = latlng(where)
        if lat is None:
            return Problem(f"a raw position {where!r} cannot be read or is out of range; skipped", locator)
        try:
            when, offset = instant(stamp)
        except (ValueError, TypeError):
            return Problem(f"a raw position's time {stamp!r} cannot be read; skipped", locator)
        accuracy = pos.pop("accuracyMeters", None)
        pos.update(origin="android_raw", source_utc_offset_min=offset)
        return self._point(when, lat, lon, pos, locator, ordinals, accuracy)

    def _android_profile(self, profile: Any, labels: "_Labels") -> Iterator[Any]:
        if not isinstance(profile, dict):
            yield Problem("userLocationProfile is not a JSON object; skipped", "userLocationProfile")
            return
        for j, place in enumerate(profile.get("frequentPlaces") or []):
            locator = f"userLocationProfile.frequentPlaces[{j}]"
            if not isinstance(place, dict):
                yield Problem("a frequent place is not a JSON object; skipped", locator)
                continue
            lat, lon = latlng(place.get("placeLocation"))
            label = semantic_label(place.get("label")) or "FREQUENT"
            if labels.first(label, place.get("placeId"), lat, lon):
                yield _place_inference(label, None, lat, lon, place.get("placeId"), None, None,
                                       "userLocationProfile.frequentPlaces of the on-device Timeline", locator)
        persona = profile.get("persona") or {}
        for j, affinity in enumerate(persona.get("travelModeAffinities") or [] if isinstance(persona, dict) else []):
            if isinstance(affinity, dict) and affinity.get("mode"):
                yield PlatformInference(platform=PLATFORM, category="travel_mode",
                                        value=f"{mode_name(affinity['mode'])}: {affinity.get('affinity')}",
                                        key=("travel_mode", str(affinity["mode"])),
                                        locator=f"userLocationProfile.persona.travelModeAffinities[{j}]",
                                        extra={**affinity, "basis": "on-device Timeline persona"})

    # ---- iOS on-device location-history.json --------------------------------------------------------------------

    def _ios(self, member) -> Iterator[Any]:
        labels = _Labels()
        ordinals = _Ordinals()
        counts = {"visits": 0, "trips": 0, "points": 0}
        stream = _open(member)
        try:
            for index, seg in enumerate(ijson.items(stream, "item", use_float=True)):
                yield from _counted(self._ios_segment(seg, f"[{index}]", labels, ordinals), counts)
        finally:
            stream.close()
        for name, value in counts.items():
            yield Note(name, value)

    def _ios_segment(self, seg: Any, locator: str, labels: "_Labels", ordinals: "_Ordinals") -> Iterator[Any]:
        if not isinstance(seg, dict):
            yield Problem("a timeline entry is not a JSON object; skipped", locator)
            return
        if not seg.get("startTime"):
            yield Problem("a timeline entry has no start time; skipped", locator)
            return
        raw = json.dumps(seg, ensure_ascii=False, separators=(",", ":"))
        try:
            start, start_off = instant(seg["startTime"])
            end = instant(seg["endTime"])[0] if seg.get("endTime") else None
        except (ValueError, TypeError) as exc:
            yield Problem(f"a timeline entry's time cannot be read ({exc}); skipped", locator)
            return
        if isinstance(seg.get("visit"), dict):
            visit = dict(seg["visit"])
            top = dict(visit.pop("topCandidate", None) or {})
            where = top.pop("placeLocation", None)
            lat, lon = latlng(where)
            if where and lat is None:
                yield Problem(f"a visit's place location {where!r} cannot be read or is out of range; skipped",
                              locator + ".visit")
                return
            raw_type = top.pop("semanticType", None)
            extra = {**_numbers(visit), **{f"candidate_{k}": v for k, v in _numbers(top).items()},
                     "semantic_type_raw": raw_type, "origin": "ios"}
            if start_off is not None:
                extra["source_utc_offset_min"] = start_off
            yield from self._visit(start, end, lat, lon, raw_type, top.get("placeID") or top.get("placeId"), extra,
                                   locator + ".visit", raw, labels, "an iPhone Timeline visit")
        elif isinstance(seg.get("activity"), dict):
            act = dict(seg["activity"])
            lat, lon = latlng(act.pop("start", None))
            end_lat, end_lon = latlng(act.pop("end", None))
            top = act.pop("topCandidate", None) or {}
            extra = {**_numbers(act), "origin": "ios"}
            if start_off is not None:
                extra["source_utc_offset_min"] = start_off
            if isinstance(top, dict):
                extra.update({f"candidate_{k}": v for k, v in _numbers(top).items() if k != "type"})
            yield self._device_trip(start, end, lat, lon, end_lat, end_lon, top, extra, locator + ".activity", raw)
        elif isinstance(seg.get("timelinePath"), list):
            base = parse_iso(start)
            for j, step in enumerate(seg["timelinePath"]):
                step_locator = f"{locator}.timelinePath[{j}]"
                if not isinstance(step, dict):
                    yield Problem("a path point is not a JSON object; skipped", step_locator)
                    continue
                lat, lon = latlng(step.get("point"))
                if lat is None:
                    yield Problem(f"a path point's position {step.get('point')!r} cannot be read or is out of "
                                  f"range; skipped", step_locator)
                    continue
                try:
                    minutes = float(step["durationMinutesOffsetFromStartTime"])
                except (KeyError, ValueError, TypeError):
                    yield Problem("a path point has no time (no minute offset from its segment's start); skipped",
                                  step_locator)
                    continue
                moment = base + dt.timedelta(minutes=minutes)
                when = iso_utc(moment)
                extra = {"origin": "ios_path", "minutes_from_segment_start": minutes,
                         "time_precision": "minute offset from segment start"}
                yield self._point(when, lat, lon, extra, step_locator, ordinals)
        elif "timelineMemory" in seg:
            yield _memory_trip(start, end, locator, raw, {"timelineMemory": seg["timelineMemory"], "origin": "ios"})
        else:
            yield Problem(f"a timeline entry of an unknown kind ({', '.join(sorted(seg))}); skipped", locator,
                          severity="warning")

    # ---- Settings.json ------------------------------------------------------------------------------------------

    def _settings(self, member) -> Iterator[Any]:
        try:
            with _open(member) as stream:
                settings = json.load(stream)  # a few KB by nature; recognised by content before this
        except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is a ValueError
            yield Problem(f"the location settings are not valid JSON ({exc}); nothing was imported from them")
            return
        if not isinstance(settings, dict):
            yield Problem("location settings are not a JSON object; nothing imported")
            return
        created = _maybe_instant(settings.get("createdTime"))
        for field_name, key in (("location_history_enabled", "historyEnabled"),
                                ("location_retention_days", "retentionWindowDays"),
                                ("location_history_deleted", "historyDeletionTime")):
            if settings.get(key) is not None:
                yield ProfileFact(platform=PLATFORM, field=field_name, value=str(settings[key]).lower(),
                                  time=_maybe_instant(settings.get("modifiedTime")) or created,
                                  # the value is part of the key: a later export whose setting changed
                                  # (history turned off) keeps its own row instead of only its source id
                                  key=("location-setting", key, str(settings[key]).lower()), locator=key,
                                  extra={k: v for k, v in settings.items() if k != "deviceSettings"})
        for index, device in enumerate(settings.get("deviceSettings") or []):
            locator = f"deviceSettings[{index}]"
            if not isinstance(device, dict):
                yield Problem("a device entry is not a JSON object; skipped", locator)
                continue
            spec = device.get("deviceSpec") or {}
            name = device.get("devicePrettyName") or " ".join(
                str(spec[k]) for k in ("manufacturer", "model") if spec.get(k)) or f"device {device.get('deviceTag')}"
            yield ProfileFact(platform=PLATFORM, field="device", value=str(name),
                              time=_maybe_instant(device.get("deviceCreationTime")),
                              key=("device", str(device.get("deviceTag", name))), locator=locator,
                              raw=json.dumps(device, ensure_ascii=False), extra={**device, "origin": "settings"})

    # ---- Timeline Edits.json ------------------------------------------------------------------------------------

    def _edits(self, member) -> Iterator[Any]:
        ordinals = _Ordinals()
        labels = _Labels()
        counts = {"points": 0, "activity records (not imported)": 0, "place aggregates": 0}
        stream = _open(member)
        try:
            for index, edit in enumerate(ijson.items(stream, "timelineEdits.item", use_float=True)):
                locator = f"timelineEdits[{index}]"
                if not isinstance(edit, dict):
                    yield Problem("a timeline edit is not a JSON object; skipped", locator)
                    continue
                signal = ((edit.get("rawSignal") or {}).get("signal") or {}) if isinstance(edit.get("rawSignal"),
                                                                                           dict) else {}
                if isinstance(signal.get("position"), dict):
                    pos = dict(signal["position"])
                    point = pos.pop("point", None) or {}
                    lat, lon = _e7_pair(point.get("latE7"), point.get("lngE7"))
                    stamp = pos.pop("timestamp", None)
                    if lat is None or not stamp:
                        yield Problem("an edited position has no time or no usable coordinates; skipped",
                                      locator + ".rawSignal.signal.position")
                        continue
                    try:
                        when, _ = instant(stamp)
                    except (ValueError, TypeError):
                        yield Problem(f"an edited position's time {stamp!r} cannot be read; skipped", locator)
                        continue
                    accuracy_mm = pos.pop("accuracyMm", None)
                    extra = {**pos, "deviceId": edit.get("deviceId"), "origin": "timeline_edits"}
                    yield self._point(when, lat, lon, extra, locator + ".rawSignal.signal.position", ordinals,
                                      accuracy_mm / 1000 if isinstance(accuracy_mm, (int, float)) else None)
                    counts["points"] += 1
                elif "activityRecord" in signal:
                    counts["activity records (not imported)"] += 1
                elif isinstance(edit.get("placeAggregates"), dict):
                    aggregates = edit["placeAggregates"]
                    for j, info in enumerate(aggregates.get("placeAggregateInfo") or []):
                        if not isinstance(info, dict):
                            continue
                        point = info.get("point") or {}
                        lat, lon = _e7_pair(point.get("latE7"), point.get("lngE7"))
                        if labels.first("FREQUENT", info.get("placeId"), lat, lon):
                            counts["place aggregates"] += 1
                            yield _place_inference("FREQUENT", None, lat, lon, info.get("placeId"), None, None,
                                                   "Timeline Edits place aggregate",
                                                   f"{locator}.placeAggregates.placeAggregateInfo[{j}]",
                                                   score=info.get("score"),
                                                   window_hours=aggregates.get("windowSizeHrs"),
                                                   window=aggregates.get("processWindow"))
                else:
                    yield Problem(f"a timeline edit of an unknown kind ({', '.join(sorted(edit))}); skipped",
                                  locator, severity="warning")
        finally:
            stream.close()
        for name, value in counts.items():
            yield Note(name, value)

    # ---- records several generations write alike --------------------------------------------------------------

    def _visit(self, start: str, end: str | None, lat: float | None, lon: float | None, raw_type: Any,
               place_id: Any, extra: dict, locator: str, raw: str | None, labels: "_Labels", what: str,
               name: str | None = None, address: str | None = None) -> Iterator[Any]:
        """A visit of any generation, and Google's label for its place the first time the file gives it: the
        ``semanticType`` ``raw_type`` of ``what`` ("a visit", "an on-device visit"...) is the inference's basis."""
        semantic = semantic_label(raw_type)
        if lat is not None:
            self.local_time.annotate(extra, lat, lon, start)
        yield Location(time=start, end_time=end, lat=lat, lon=lon, kind="visit", place_name=name,
                       semantic_type=semantic, key=_visit_key(start, lat, lon), key_time=start, locator=locator,
                       raw=raw,
                       extra=extra)
        label = labels.first(semantic, place_id, lat, lon)
        if label:
            yield _place_inference(label, start, lat, lon, place_id, name, address,
                                   f"semanticType {raw_type} of {what}", locator)

    def _device_trip(self, start: str, end: str | None, lat: float | None, lon: float | None,
                     end_lat: float | None, end_lon: float | None, top: Any, extra: dict, locator: str,
                     raw: str) -> Location:
        """An on-device (Android or iOS) activity as a trip, its mode the ``type`` of its top candidate ``top``."""
        if end_lat is not None:
            extra["end_lat"], extra["end_lon"] = end_lat, end_lon
        if lat is not None:
            self.local_time.annotate(extra, lat, lon, start)
        return Location(time=start, end_time=end, lat=lat, lon=lon, kind="trip",
                        mode=mode_name(top.get("type") if isinstance(top, dict) else None),
                        key=_trip_key(start, lat, lon), key_time=start, locator=locator, raw=raw, extra=extra)

    def _point(self, when: str, lat: float, lon: float, extra: dict, locator: str, ordinals: "_Ordinals",
               accuracy: float | None = None) -> Location:
        """A position at an instant (a path point, a raw signal, an edit), keyed by its cell and ordinal."""
        self.local_time.annotate(extra, lat, lon, when)
        cell = _cell(when, lat, lon)
        return Location(time=when, lat=lat, lon=lon, accuracy_m=accuracy, key=("point", *cell, ordinals.next(cell)),
                        key_time=cell[0], locator=locator, extra=extra)


_PARSERS = {"records": "_records", "semantic": "_semantic", "android": "_android", "ios": "_ios",
            "settings": "_settings", "edits": "_edits"}
_FORMAT_NAMES = {"records": "Records.json raw points", "semantic": "Semantic Location History month",
                 "android": "Android on-device Timeline export", "ios": "iPhone on-device Timeline export",
                 "settings": "Location History settings", "edits": "Timeline Edits"}


# ----------------------------------------------------------------------------------------------------------------
# recognising a file


def sniff(head: bytes) -> str:
    """What a file is, from its first bytes: records, semantic, android, ios, settings, edits; else other-google,
    json, or not-json."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    stripped = head.lstrip()
    if not stripped[:1] in (b"{", b"["):
        return "not-json"
    top_keys: list[str] = []
    item_keys: list[str] = []
    strings: list[str] = []
    top_type = None
    try:
        for n, (prefix, event, value) in enumerate(ijson.parse(io.BytesIO(stripped))):
            if n == 0:
                top_type = event
            if event == "map_key":
                if prefix == "":
                    top_keys.append(value)
                elif prefix == "item":
                    item_keys.append(value)
            elif event == "string" and len(strings) < 20:
                strings.append(value)
            if n > 400 or len(top_keys) > 12:
                break
    except (ijson.JSONError, UnicodeDecodeError):
        pass  # the head ends mid-file, or the text is broken (or not UTF-8): judge by what was read
    keys = set(top_keys)
    if top_type == "start_map":
        if top_keys[:1] == ["locations"]:
            return "records"
        if top_keys[:1] == ["timelineObjects"]:
            return "semantic"
        if top_keys and top_keys[0] in _ANDROID_KEYS:
            return "android"
        if top_keys[:1] == ["timelineEdits"]:
            return "edits"
        if keys & _SETTINGS_KEYS:
            return "settings"
        return "other-google" if keys & _OTHER_GOOGLE_KEYS else "json"
    if top_type == "start_array":
        if item_keys and set(item_keys) <= _IOS_KEYS and ({"startTime", "endTime"} & set(item_keys)):
            return "ios"
        if not item_keys and stripped.lstrip(b"[ \r\n\t")[:1] == b"]":
            return "json"  # an empty array: nothing to tell
        return "other-google" if set(item_keys) & _OTHER_GOOGLE_KEYS else "json"
    return "not-json"


def _describe(kind: str, member) -> str:
    if kind == "not-json":
        text = member.text_head(200).lstrip()
        if text.lower().startswith(("<!doctype", "<html")):
            return "an HTML page, not JSON"
        return "not JSON" if text else "empty"
    return "JSON of another shape (no locations, timelineObjects, semanticSegments or timelineEdits key)"


def _path_hint(name: str) -> bool:
    lowered = name.lower()
    base = lowered.rsplit("/", 1)[-1]
    if base in _HINT_NAMES:
        return True
    folders = lowered.split("/")[:-1]
    if any(folder.startswith(_LOCATION_FOLDERS) for folder in folders):
        return base in ("settings.json", "encrypted backups.txt", "tombstones.csv") or bool(
            _SEMANTIC_PATH.search(lowered))
    return False


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


# ----------------------------------------------------------------------------------------------------------------
# reading


class _SkipBom(io.RawIOBase):
    """A member's stream with a UTF-8 byte-order mark removed (yajl refuses it)."""

    def __init__(self, raw):
        self._raw = raw
        first = raw.read(3)
        self._pending = b"" if first == b"\xef\xbb\xbf" else first

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson probes with read(0) to tell bytes from text
        if self._pending:
            data, self._pending = self._pending, b""
            more = self._raw.read(size - len(data)) if size and size > len(data) else (
                self._raw.read() if size is None or size < 0 else b"")
            return data + more
        return self._raw.read(size)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _open(member):
    return _SkipBom(member.open())


# ---- Records.json in batches -----------------------------------------------------------------------------------
#
# ijson builds each point from parser events one at a time; for the 8 million points of a 2 GB Records.json that
# alone costs about 2 us a point. The C decoder of ``json`` turns a whole run of points into objects in one call
# at about half that, so ``_location_batches`` cuts the array into runs of whole points and decodes each run with
# ``json``. The output must stay exactly what ijson gives, damaged files included, so this fast path only takes
# text it is sure of and hands everything else to ijson at the first point it is not sure of:
#
# - a run is cut between two points where the learned separator (``\n  }, {`` in Google's layout: the closing
#   brace's indentation, the comma and the next opening brace, taken from the first two points) occurs. Decoding
#   ``[`` + run + ``]`` can only succeed when every cut lies between top-level points (a cut inside a point or a
#   string leaves a bracket or a string open), and then it yields exactly those points;
# - values that ``json`` reads and ijson/yajl refuses or reads otherwise (NaN and Infinity, floats that overflow,
#   integers outside +-(2^63 - 1), escaped surrogates, bytes that are not UTF-8) make a run "not sure";
# - a run that is not sure, a cut that does not decode, the end of the file not being ``] }``: from the first point
#   of that run on, ijson reads the rest, fed the same bytes behind an opening ``{"locations":[`` (ijson's state at
#   the start of a point is the same there as after a comma, and the first line of its messages carries no
#   position), so the points and the Problem that follow are ijson's own;
# - the file is read in the same 64 KiB pieces ijson reads, and a read error (a damaged zip) is raised to ijson at
#   the same piece, after the bytes before it: the points kept before a damaged part are the same.

_CHUNK = 1 << 16  # ijson's read size (see above: damaged zips must fail at the same points)
_MAX_PENDING = 8 << 20  # no separator in this much text: not Google's layout, let ijson read it
_JSON_WS = b" \t\n\r"
_RECORDS_OPENER = re.compile(rb"[ \t\n\r]*\{[ \t\n\r]*\"locations\"[ \t\n\r]*:[ \t\n\r]*\[[ \t\n\r]*")
_SEPARATOR = re.compile(rb"[ \t\n\r]*,[ \t\n\r]*\{")
# 19 digits in a row may be an integer outside yajl's range: decode that run with a check. Digits are mapped to
# "0" and the rest to " ", then one bytes.find: ten times cheaper than the regex [0-9]{19}, which has no prefix.
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_INTEGER = b"0" * 19
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # yajl reads lone surrogates otherwise than json
_READ_ERRORS = (EOFError, zlib.error, zipfile.BadZipFile, OSError)


class _NotSure(Exception):
    """A value the fast decoder reads otherwise than ijson: leave the run to ijson."""


def _finite(text: str) -> float:
    value = float(text)
    if value in (_INF, -_INF):
        raise _NotSure(text)  # yajl reports the overflow as an error, json gives inf
    return value


def _refuse(text: str) -> Any:
    raise _NotSure(text)  # NaN, Infinity, -Infinity: json takes them, yajl does not


def _int64(text: str) -> int:
    value = int(text)
    if not -9_223_372_036_854_775_807 <= value <= 9_223_372_036_854_775_807:
        raise _NotSure(text)  # yajl's "integer overflow" (it refuses -2^63 too)
    return value


_INF = float("inf")
_DECODE = json.JSONDecoder(parse_float=_finite, parse_constant=_refuse).decode
_DECODE_CHECKED = json.JSONDecoder(parse_float=_finite, parse_constant=_refuse, parse_int=_int64).decode


def _decode_run(run: bytes) -> list | None:
    """The points of ``run`` (whole points and separators), or None when ijson might read them otherwise."""
    if b"\\" in run and _SURROGATE_ESCAPE.search(run):  # no backslash, no escape: a 30th of the regex
        return None
    try:
        text = run.decode("utf-8")  # strict: json.loads(bytes) would let encoded surrogates through
        decode = _DECODE_CHECKED if run.translate(_DIGITS).find(_LONG_INTEGER) >= 0 else _DECODE
        return decode("[" + text + "]")
    except (ValueError, _NotSure, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


def _item_end(buf: bytes) -> int | None:
    """Where the JSON object at the start of ``buf`` ends (after its ``}``), None if ``buf`` ends first. Runs once
    a file, on its first point."""
    depth = 0
    in_string = escaped = False
    for i, byte in enumerate(buf):
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):
            depth += 1
        elif byte in (0x7D, 0x5D):
            depth -= 1
            if depth == 0:
                return i + 1
    return None


class _Rest(io.RawIOBase):
    """What ijson reads when the fast path stops: ``pending`` bytes, then the member's stream in ijson's own read
    sizes, or the read error the fast path met, raised at the same place."""

    def __init__(self, pending: bytes, stream, error: BaseException | None = None):
        self._pending = pending
        self._stream = stream
        self._error = error

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        if self._pending:
            if size is None or size < 0:
                data, self._pending = self._pending, b""
            else:
                data, self._pending = self._pending[:size], self._pending[size:]
            return data
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._stream.read(size)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _ijson_rest(pending: bytes, stream, error: BaseException | None, skip_opening: bool) -> Iterator[Any]:
    """The points ijson reads from ``pending`` and the rest of ``stream``: those of a whole file, or (with
    ``skip_opening``) those of a file that begins at a point, behind an opening ``{"locations":[``."""
    prefix = b'{"locations":[' if skip_opening else b""
    return ijson.items(_Rest(prefix + pending, stream, error), "locations.item", use_float=True)


def _location_batches(member) -> Iterator[Any]:
    """The items of a Records.json ``locations`` array, in lists (runs decoded by ``json``) and, if the fast path
    stops, one last iterator of ijson's items. Exactly the items of ``ijson.items(stream, "locations.item")``,
    and the same exception where ijson raises one."""
    stream = _open(member)
    read = stream.read
    try:
        buf = b""
        error = None
        done = 0  # items handed over
        # the opening: {"locations": [
        while True:
            found = _RECORDS_OPENER.match(buf)
            if found and found.end() < len(buf):
                break
            if not found and len(buf) >= _CHUNK:
                yield _ijson_rest(buf, stream, error, False)  # some other shape: ijson says what
                return
            try:
                chunk = read(_CHUNK)
            except _READ_ERRORS as exc:
                error, chunk = exc, b""
            if not chunk or len(buf) > _MAX_PENDING:
                yield _ijson_rest(buf + chunk, stream, error, False)
                return
            buf += chunk
        if buf[found.end()] != 0x7B:  # "{": the first item is not an object, or the array is empty
            yield _ijson_rest(buf, stream, error, False)
            return
        whole = buf  # the file so far: ijson reads it all again if the first run is not sure
        buf = buf[found.end():]
        separator = None
        eof = False
        while True:
            if separator is None:
                end = _item_end(buf)
                if end is not None:
                    after = _SEPARATOR.match(buf, end)
                    if after:
                        closing = len(buf[:end - 1].rstrip(_JSON_WS))
                        separator = buf[closing:after.end()]  # e.g. b"\n    },\n    {"
                    else:
                        following = buf[end:end + 4096].strip(_JSON_WS)  # a slice: buf may grow to 8 MiB
                        if following not in (b"", b",") and following[:1] != b"]":
                            yield _ijson_rest(whole, stream, error, False)  # a second item that is no object
                            return
                elif len(buf) > _CHUNK * 16:
                    yield _ijson_rest(whole, stream, error, False)  # a first point of over 1 MiB: not Google's
                    return
            cut = buf.rfind(separator) if separator is not None else -1
            if cut >= 0:
                close = len(separator) - len(separator.lstrip(_JSON_WS)) + 1  # up to and with the "}"
                items = _decode_run(buf[:cut + close])
                if items is None:
                    yield _ijson_rest(whole if done == 0 else buf, stream, error, done > 0)
                    return
                done += len(items)
                yield items
                buf = buf[cut + len(separator) - 1:]  # from the next point's "{"
            elif eof:
                # the last points: whole points, then "]", "}" and nothing else
                tail = buf.rstrip(_JSON_WS)
                if tail.endswith(b"}"):
                    tail = tail[:-1].rstrip(_JSON_WS)
                    if tail.endswith(b"]"):
                        items = _decode_run(tail[:-1])
                        if items is not None:
                            yield items
                            return
                yield _ijson_rest(whole if done == 0 else buf, stream, error, done > 0)
                return
            if len(buf) > _MAX_PENDING:
                yield _ijson_rest(whole if done == 0 else buf, stream, error, done > 0)
                return
            try:
                chunk = read(_CHUNK)
            except _READ_ERRORS as exc:
                yield _ijson_rest(whole if done == 0 else buf, stream, exc, done > 0)
                return
            if not chunk:
                eof = True
            else:
                buf += chunk
                if done == 0:
                    whole += chunk
    finally:
        stream.close()


def _prefixed_items(stream, wanted: set[str]) -> Iterator[tuple[str, Any]]:
    """(prefix, value) for every value found at one of the ``wanted`` ijson prefixes, in one streaming pass.

    The values are built from the events as ijson's ``ObjectBuilder`` builds them, written out in this loop: a
    method call or two per event was half the cost of reading an on-device Timeline.json. One ``key`` serves every
    level, as in ObjectBuilder: in JSON each value in an object follows its own key."""
    containers: list | None = None  # the containers being built, outermost first; None: not inside a wanted value
    key = None
    for prefix, event, value in ijson.parse(stream, use_float=True):
        if containers is None:
            if prefix in wanted:
                if event == "start_map" or event == "start_array":
                    root = {} if event == "start_map" else []
                    containers = [root]
                elif event not in ("end_map", "end_array", "map_key"):
                    yield prefix, value
        elif event == "map_key":
            key = value
        elif event == "end_map" or event == "end_array":
            containers.pop()
            if not containers:  # the wanted value's own end (a nested end leaves its parent)
                yield prefix, root
                containers = None
        else:
            if event == "start_map" or event == "start_array":
                child = {} if event == "start_map" else []
            else:
                child = value
            top = containers[-1]
            if type(top) is list:
                top.append(child)
            else:
                top[key] = child
            if event == "start_map" or event == "start_array":
                containers.append(child)


# ----------------------------------------------------------------------------------------------------------------
# values


def instant(text: str) -> tuple[str, int | None]:
    """A source's ISO instant: (contract UTC string, the offset in minutes the text states, or None for ``Z``)."""
    if _FAST_ISO_MS.match(text):  # the common case, 8 million times: already the contract's form
        return (text[:19] + "Z" if text[20:23] == "000" else text), None
    moment = parse_iso(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)  # location sources state UTC; a bare time is taken as UTC
        offset = None
    else:
        delta = moment.utcoffset()
        offset = int(delta.total_seconds() // 60) if delta else (None if text.rstrip().endswith(("Z", "z")) else 0)
    return iso_utc(moment), offset


def from_ms(value: str | int) -> str:
    """An epoch-milliseconds string as a contract UTC string, milliseconds kept."""
    ms = int(value)
    seconds, rest = divmod(ms, 1000)
    base = _time.strftime("%Y-%m-%dT%H:%M:%S", _time.gmtime(seconds))
    return f"{base}.{rest:03d}Z" if rest else base + "Z"


def _maybe_instant(text: Any) -> str | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return instant(text)[0]
    except ValueError:
        return None


def _semantic_span(duration: dict) -> tuple[str | None, str | None]:
    if not isinstance(duration, dict):
        return None, None
    start = end = None
    if duration.get("startTimestamp"):
        start = instant(duration["startTimestamp"])[0]
    elif duration.get("startTimestampMs"):
        start = from_ms(duration["startTimestampMs"])
    if duration.get("endTimestamp"):
        end = instant(duration["endTimestamp"])[0]
    elif duration.get("endTimestampMs"):
        end = from_ms(duration["endTimestampMs"])
    return start, end


def _e7_pair(lat_e7: Any, lon_e7: Any) -> tuple[float | None, float | None]:
    if type(lat_e7) is not int or type(lon_e7) is not int:
        return None, None
    lat, lon = lat_e7 / 1e7, lon_e7 / 1e7
    if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
        return lat, lon
    return None, None


def latlng(text: Any) -> tuple[float | None, float | None]:
    """``"53.8075612°, -1.5523201°"`` (Android) or ``"geo:53.807561,-1.552320"`` (iOS) as degrees; (None, None)
    when unreadable or out of range."""
    if not isinstance(text, str):
        return None, None
    found = _LATLNG.match(text)
    if not found:
        return None, None
    lat, lon = float(found.group(1)), float(found.group(2))
    if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0:
        return lat, lon
    return None, None


def _latlng_of(value: Any) -> Any:
    return value.get("latLng") if isinstance(value, dict) else value


def _numbers(values: dict) -> dict:
    """iOS writes every number as a string: give them back as numbers, leave the rest alone."""
    out = {}
    for key, value in values.items():
        if isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value):
            out[key] = float(value) if "." in value else int(value)
        else:
            out[key] = value
    return out


def semantic_label(raw: Any) -> str | None:
    """Google's place label as the contract writes it: ``TYPE_HOME``/``INFERRED_HOME``/``Home`` -> ``HOME``;
    unknown or none -> None (the raw label stays in ``extra``)."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    label = raw.strip().upper().replace(" ", "_")
    for prefix in ("TYPE_", "INFERRED_"):
        if label.startswith(prefix):
            label = label[len(prefix):]
    return None if label in ("UNKNOWN", "NONE", "UNSPECIFIED", "") else label


def mode_name(raw: Any) -> str | None:
    """A transport mode in Google's upper-case spelling whatever the generation: ``in passenger vehicle`` ->
    ``IN_PASSENGER_VEHICLE``."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    return raw.strip().upper().replace(" ", "_")


def _cell(when: str, lat: float, lon: float) -> tuple[str, int, int]:
    """A point's place in time and space for its key: the UTC minute and the coordinates in units of 1e-4 degrees
    (about 11 m), the same numbers for E7 integers, 7-decimal Android strings and 6-decimal iOS strings."""
    return when[:16], round(lat * 10_000), round(lon * 10_000)


def _visit_key(start: str, lat: float | None, lon: float | None) -> tuple:
    """A visit is its start minute and place: the Takeout's and the phone's copy of one visit share it."""
    return ("visit", *_cell(start, lat, lon)) if lat is not None else ("visit", start[:16], None, None)


def _trip_key(start: str, lat: float | None, lon: float | None) -> tuple:
    return ("trip", *_cell(start, lat, lon)) if lat is not None else ("trip", start[:16], None, None)


def _counted(items: Iterator[Any], counts: dict[str, int]) -> Iterator[Any]:
    """``items`` passed on, each visit, trip and point counted in ``counts`` (an on-device file's notes)."""
    for item in items:
        if isinstance(item, Location):
            counts[{"visit": "visits", "trip": "trips", "point": "points"}[item.kind]] += 1
        yield item


def _memory_trip(start: str, end: str | None, locator: str, raw: str, extra: dict) -> Location:
    """An on-device trip summary ("3 days in Lisbon"): no position of its own, kept as a trip for its destinations."""
    return Location(time=start, end_time=end, lat=None, lon=None, kind="trip",
                    key=("trip-memory", start[:16], end[:16] if end else ""), locator=locator, raw=raw, extra=extra)


def _place_inference(label: str, time: str | None, lat: float | None, lon: float | None, place_id: Any,
                     name: str | None, address: str | None, basis: str, locator: str,
                     **details: Any) -> PlatformInference:
    """Google's label for a place, as a scorer would read it: ``HOME: Home (12 Clarendon Road, Leeds)``."""
    where = name or address or (f"{lat:.5f}, {lon:.5f}" if lat is not None else place_id or "unknown place")
    if name and address and address != name:
        where = f"{name} ({address})"
    return PlatformInference(platform=PLATFORM, category="semantic_place", value=f"{label}: {where}", time=time,
                             key=("semantic_place", label, str(place_id or ""),
                                  f"{lat:.3f}" if lat is not None else "", f"{lon:.3f}" if lon is not None else ""),
                             locator=locator,
                             extra={"label": label, "lat": lat, "lon": lon, "place_id": place_id, "name": name,
                                    "address": address, "basis": basis, **details})


class _Labels:
    """Each (label, place) once per file: a home visited 300 times is one conclusion of Google's."""

    def __init__(self) -> None:
        self._seen: set[tuple] = set()

    def first(self, label: str | None, place_id: Any, lat: float | None, lon: float | None) -> str | None:
        if not label:
            return None
        mark = (label, place_id or (round(lat, 3) if lat is not None else None,
                                    round(lon, 3) if lon is not None else None))
        if mark in self._seen:
            return None
        self._seen.add(mark)
        return label


class _Ordinals:
    """How many earlier points of this file fell in the same minute and ~11 m cell.

    Makes a point's key unique within its file (no thinning) while the first point of a cell in one source and
    the first of the same cell in another share a key (one observation, counted once). Files are nearly in time
    order, so only recent cells are remembered; memory stays bounded on a 2 GB file.
    """

    def __init__(self, window: int = 20_000) -> None:
        self.seen: dict[tuple, int] = {}
        self.window = window
        self.limit = 2 * window

    def next(self, cell: tuple) -> int:
        n = self.seen.get(cell, 0)
        self.seen[cell] = n + 1
        if len(self.seen) > self.limit:
            self.trim()
        return n

    def trim(self) -> None:
        """Forget the oldest half of the cells (dicts keep insertion order)."""
        for old in list(islice(self.seen, self.window)):
            del self.seen[old]


class _MinuteOrdinals:
    """``_Ordinals`` for Records.json's hot path: the same numbers, without a look-up in a large table per point.

    ``_Ordinals`` keeps one dict of up to 40,000 (minute, place) cells and looks every point up in it, missing the
    CPU caches nearly every time. But a Records.json is nearly in time order, and a point in a minute later than
    every cell's is new for certain: only a point of the newest minute (kept in a small dict, ``current``) or of
    an earlier one (a device whose points come late: the full index, built from the log only then) needs a
    look-up. Forgetting is done by numbers: every cell added gets the next number; ``_Ordinals`` forgets its
    ``window`` oldest whenever it would hold more than ``2 * window``, and only ever its oldest, so the cells it
    holds are exactly those numbered ``forgotten`` and up, and a cell whose latest number is lower is absent here.
    ``counts`` holds the points so far of the cells that have more than one.
    """

    def __init__(self, window: int) -> None:
        self.window = window
        self.limit = 2 * window
        self.added = 0
        self.forgotten = 0
        self.newest = ""  # the latest minute of any cell ("" sorts before every minute)
        self.current: dict[int, int] = {}  # place -> number, for the cells of the newest minute
        # minute and place of the cells numbered log_start and up, in two lists: a list of tuples would keep one
        # container per point alive for the garbage collector to walk again and again (a quarter of the run time)
        self.log_minutes: list[str] = []
        self.log_places: list[int] = []
        self.log_start = 0
        self.index: dict[tuple[str, int], int] = {}  # (minute, place) -> latest number, for the log up to indexed
        self.indexed = 0
        self.counts: dict[int, int] = {}  # number -> points so far, where more than one

    def next(self, minute: str, place: int) -> int:
        """The ordinal of this point among the held points of its (minute, place) cell."""
        if minute > self.newest:
            self.newest = minute
            self.current = {}
            number = None
        elif minute == self.newest:
            number = self.current.get(place)
        else:
            number = self._look_up(minute, place)
        if number is None or number < self.forgotten:
            self._add(minute, place)
            return 0
        ordinal = self.counts.get(number, 1)
        self.counts[number] = ordinal + 1
        return ordinal

    def _look_up(self, minute: str, place: int) -> int | None:
        index = self.index
        start = self.indexed - self.log_start
        for number, key in enumerate(zip(self.log_minutes[start:], self.log_places[start:]), self.indexed):
            index[key] = number
        self.indexed = self.added
        return index.get((minute, place))

    def _add(self, minute: str, place: int) -> None:
        number = self.added
        self.log_minutes.append(minute)
        self.log_places.append(place)
        if minute == self.newest:
            self.current[place] = number
        self.added = number + 1
        if self.added - self.forgotten > self.limit:
            self.forgotten = forgotten = self.forgotten + self.window
            del self.log_minutes[:forgotten - self.log_start]
            del self.log_places[:forgotten - self.log_start]
            self.log_start = forgotten
            self.index = {}  # rebuilt from the log when next needed
            self.indexed = forgotten
            self.counts = {n: c for n, c in self.counts.items() if n >= forgotten}
            self.current = {p: n for p, n in self.current.items() if n >= forgotten}


class LocalTime:
    """The zone and UTC offset at a place and instant, offline (timezonefinder). Zones are cached by ~1 km cell,
    offsets by zone and UTC hour (zone transitions fall on whole UTC hours nearly everywhere), so a 2 GB file
    costs two dict look-ups a point."""

    def __init__(self) -> None:
        self._finder = None
        self.available = True
        self._zones: dict[tuple[int, int], str | None] = {}
        self._offsets: dict[tuple[str, str], int | None] = {}
        self._zoneinfo: dict[str, Any] = {}
        self._last_slot: tuple | None = None
        self._last: tuple[str, int] | None = None

    def annotate(self, extra: dict, lat: float, lon: float, when: str) -> None:
        """Add ``tz`` and ``utc_offset_min`` to ``extra`` for a point at ``lat, lon`` at ``when`` (contract UTC)."""
        cell = (int(lat * 100), int(lon * 100), when[:13])
        if cell == self._last_slot:  # most points share the previous one's place and hour
            if self._last is not None:
                extra["tz"], extra["utc_offset_min"] = self._last
            return
        self._last_slot = cell
        self._last = None
        cell = cell[:2]
        zone = self._zones.get(cell, False)
        if zone is False:
            zone = self._zone(cell, lat, lon)
        if zone is None:
            return
        slot = (zone, when[:13])
        offset = self._offsets.get(slot, False)
        if offset is False:
            offset = self._offset(slot)
        if offset is not None:
            self._last = (zone, offset)
            extra["tz"] = zone
            extra["utc_offset_min"] = offset

    def _zone(self, cell: tuple[int, int], lat: float, lon: float) -> str | None:
        zone = None
        if self._finder is None and self.available:
            try:
                from timezonefinder import TimezoneFinder
            except ImportError:
                self.available = False
            else:
                self._finder = TimezoneFinder()
        if self._finder is not None:
            zone = self._finder.timezone_at(lat=lat, lng=lon)
        if len(self._zones) > 200_000:
            self._zones.clear()
        self._zones[cell] = zone
        return zone

    def _offset(self, slot: tuple[str, str]) -> int | None:
        zone, hour_text = slot
        info = self._zoneinfo.get(zone)
        if info is None:
            from zoneinfo import ZoneInfo
            info = self._zoneinfo[zone] = ZoneInfo(zone)
        try:
            if _HOUR.match(hour_text):
                # what strptime(hour_text, "%Y-%m-%dT%H") gives for this exact shape (an invalid date raises the
                # same ValueError), at a twentieth of its cost: an hour's first point in a new zone pays this
                hour = dt.datetime(int(hour_text[:4]), int(hour_text[5:7]), int(hour_text[8:10]),
                                   int(hour_text[11:13]), tzinfo=dt.timezone.utc)
            else:
                hour = dt.datetime.strptime(hour_text, "%Y-%m-%dT%H").replace(tzinfo=dt.timezone.utc)
            offset = int(hour.astimezone(info).utcoffset().total_seconds() // 60)
        except (ValueError, OverflowError):
            offset = None
        if len(self._offsets) > 200_000:
            self._offsets.clear()
        self._offsets[slot] = offset
        return offset


IMPORTER = LocationImporter()
