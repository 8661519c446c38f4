"""Demo Google location history for the persona: a Takeout ``Location History (Timeline)`` folder with
``Records.json`` (raw points, ISO timestamps), ``Semantic Location History`` month files and ``Settings.json``.

The story planted for the findings to discover, all from ``persona.py`` places, in Europe/London local time:
weekdays home -> nursery drop-off -> work -> nursery pick-up -> home; a Sunday service at the place of worship
every week; a clinic visit from work every third Wednesday; a union meeting every fourth Thursday evening; a night
out at the bar every other Saturday until after 2 a.m. Google's own labels mark home and work (``TYPE_HOME``,
``TYPE_WORK``). ``scale`` multiplies the number of weeks (8 per unit). Deterministic for a given ``rng``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path
from zoneinfo import ZoneInfo

from datavault.demo.persona import PERSONA, Place

FIRST_DAY = dt.date(2024, 9, 2)  # a Monday, the weeks of the demo chats; they run across the autumn clock change
DEVICE_TAG = -577680023
_LOCAL = ZoneInfo(PERSONA.timezone)
_MONTHS = ("JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
           "NOVEMBER", "DECEMBER")


def write(out_dir: Path, rng: random.Random, scale: int) -> list[Path]:
    root = out_dir / "google-location"
    folder = root / "Takeout" / "Location History (Timeline)"
    folder.mkdir(parents=True, exist_ok=True)
    stays = _stays(FIRST_DAY, 8 * max(1, scale))
    _write_records(folder / "Records.json", stays, rng)
    _write_semantic(folder / "Semantic Location History", stays, rng)
    _write_settings(folder / "Settings.json")
    return [root]


# ---- the story --------------------------------------------------------------------------------------------------


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=_LOCAL)


def _stays(first_day: dt.date, weeks: int) -> list[tuple[Place, dt.datetime, dt.datetime, str]]:
    """(place, arrival, departure, mode used to get there), in order; home fills every gap."""
    p = PERSONA.place
    outings: list[tuple[Place, dt.datetime, dt.datetime, str]] = []
    for offset in range(weeks * 7):
        day = first_day + dt.timedelta(days=offset)
        week, weekday = divmod(offset, 7)
        if weekday < 5:
            outings.append((p("school"), _at(day, 8, 0), _at(day, 8, 10), "WALKING"))
            if weekday == 2 and week % 3 == 0:
                outings += [(p("work"), _at(day, 8, 35), _at(day, 12, 40), "IN_BUS"),
                            (p("clinic"), _at(day, 13, 0), _at(day, 13, 50), "WALKING"),
                            (p("work"), _at(day, 14, 5), _at(day, 17, 15), "WALKING")]
            else:
                outings.append((p("work"), _at(day, 8, 35), _at(day, 17, 15), "IN_BUS"))
            outings.append((p("school"), _at(day, 17, 40), _at(day, 17, 50), "IN_BUS"))
            if weekday == 3 and week % 4 == 1:
                outings.append((p("union"), _at(day, 18, 30), _at(day, 20, 0), "WALKING"))
        elif weekday == 5 and week % 2 == 0:
            outings.append((p("nightlife"), _at(day, 21, 30), _at(day + dt.timedelta(days=1), 2, 40),
                            "IN_PASSENGER_VEHICLE"))
        elif weekday == 6:
            outings.append((p("worship"), _at(day, 10, 0), _at(day, 11, 30), "WALKING"))
    home = p("home")
    minutes = dt.timedelta(minutes=1)
    stays: list[tuple[Place, dt.datetime, dt.datetime, str]] = [(home, _at(first_day, 0), _at(first_day, 0), "")]
    for place, arrive, leave, mode in outings:
        last, last_arrive, last_leave, last_mode = stays[-1]
        go = arrive - _travel_minutes(home, place, mode) * minutes
        if last is home:
            stays[-1] = (home, last_arrive, go, last_mode)
        else:  # from one outing to the next: home in between only when there is half an hour to spend there
            back = last_leave + _travel_minutes(last, home, "WALKING") * minutes
            if go - back >= 30 * minutes:
                stays.append((home, back, go, "WALKING"))
        stays.append((place, arrive, leave, mode))
    last, _, last_leave, _ = stays[-1]
    end = _at(first_day + dt.timedelta(days=weeks * 7), 0)
    stays.append((home, last_leave + _travel_minutes(last, home, "WALKING") * minutes, end, "WALKING"))
    return stays


def _distance_m(a: Place, b: Place) -> float:
    dlat = math.radians(b.lat - a.lat)
    dlon = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    return 6_371_000 * math.hypot(dlat, dlon)


def _travel_minutes(a: Place, b: Place, mode: str) -> int:
    speed = {"WALKING": 80, "IN_BUS": 250, "IN_PASSENGER_VEHICLE": 400}.get(mode, 100)  # metres per minute
    return max(5, round(_distance_m(a, b) / speed) + 3)


def _place_id(place: Place) -> str:
    return "ChIJdemo" + "".join(ch for ch in place.category.upper() if ch.isalpha())


# ---- the files ----------------------------------------------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    moment = moment.astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _e7(value: float) -> int:
    return round(value * 1e7)


def _write_records(path: Path, stays, rng: random.Random) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write('{\n  "locations": [')
        first = True
        previous = None
        for place, arrive, leave, mode in stays:
            if previous is not None:  # the journey from the previous place: a fix every two minutes
                origin, departed = previous
                steps = max(1, int((arrive - departed).total_seconds() // 120))
                for step in range(1, steps):
                    share = step / steps
                    point = {"latitudeE7": _e7(origin.lat + (place.lat - origin.lat) * share + rng.gauss(0, 0.0001)),
                             "longitudeE7": _e7(origin.lon + (place.lon - origin.lon) * share + rng.gauss(0, 0.0001)),
                             "accuracy": rng.randint(5, 25), "velocity": rng.randint(1, 12),
                             "heading": rng.randint(0, 359), "source": "GPS", "deviceTag": DEVICE_TAG,
                             "platformType": "ANDROID",
                             "timestamp": _iso(departed + (arrive - departed) * share),
                             "activity": [{"activity": [{"type": "IN_VEHICLE" if mode != "WALKING" else "ON_FOOT",
                                                         "confidence": rng.randint(60, 95)}],
                                           "timestamp": _iso(departed + (arrive - departed) * share)}]}
                    out.write(("" if first else ",") + "\n    " + json.dumps(point))
                    first = False
            moment = arrive
            while moment < leave:  # at a place: a Wi-Fi fix every quarter of an hour or so
                point = {"latitudeE7": _e7(place.lat + rng.gauss(0, 0.00015)),
                         "longitudeE7": _e7(place.lon + rng.gauss(0, 0.00015)),
                         "accuracy": rng.randint(10, 60), "source": "WIFI", "deviceTag": DEVICE_TAG,
                         "platformType": "ANDROID", "timestamp": _iso(moment)}
                out.write(("" if first else ",") + "\n    " + json.dumps(point))
                first = False
                moment += dt.timedelta(minutes=rng.randint(10, 20), seconds=rng.randint(0, 59),
                                       milliseconds=rng.randint(0, 999))
            previous = (place, leave)
        out.write("\n  ]\n}\n")


def _write_semantic(folder: Path, stays, rng: random.Random) -> None:
    months: dict[tuple[int, int], list[dict]] = {}
    previous = None
    for place, arrive, leave, mode in stays:
        if previous is not None:
            origin, departed = previous
            segment = {"activitySegment": {
                "startLocation": {"latitudeE7": _e7(origin.lat), "longitudeE7": _e7(origin.lon)},
                "endLocation": {"latitudeE7": _e7(place.lat), "longitudeE7": _e7(place.lon)},
                "duration": {"startTimestamp": _iso(departed), "endTimestamp": _iso(arrive)},
                "distance": round(_distance_m(origin, place)), "activityType": mode, "confidence": "HIGH",
                "activities": [{"activityType": mode, "probability": round(rng.uniform(70, 97), 1)}]}}
            months.setdefault((departed.year, departed.month), []).append(segment)
        semantic = {"home": "TYPE_HOME", "work": "TYPE_WORK"}.get(place.category)
        location = {"latitudeE7": _e7(place.lat), "longitudeE7": _e7(place.lon), "placeId": _place_id(place),
                    "name": place.name, "sourceInfo": {"deviceTag": DEVICE_TAG},
                    "locationConfidence": round(rng.uniform(60, 99), 1)}
        if semantic:
            location["semanticType"] = semantic
        visit = {"placeVisit": {"location": location,
                                "duration": {"startTimestamp": _iso(arrive), "endTimestamp": _iso(leave)},
                                "placeConfidence": "HIGH_CONFIDENCE", "visitConfidence": rng.randint(70, 99),
                                "placeVisitType": "SINGLE_PLACE"}}
        months.setdefault((arrive.year, arrive.month), []).append(visit)
        previous = (place, leave)
    for (year, month), objects in sorted(months.items()):
        target = folder / str(year) / f"{year}_{_MONTHS[month - 1]}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"timelineObjects": objects}, indent=2), encoding="utf-8")


def _write_settings(path: Path) -> None:
    path.write_text(json.dumps({
        "createdTime": "2019-05-02T08:00:00.000Z", "modifiedTime": "2024-03-01T09:00:00.000Z",
        "historyEnabled": True, "retentionWindowDays": 1095, "hasReportedLocations": True,
        "deviceSettings": [{"deviceTag": DEVICE_TAG, "reportingEnabled": True, "devicePrettyName": "Pixel 7",
                            "platformType": "ANDROID", "deviceCreationTime": "2023-01-02T09:10:11.000Z",
                            "deviceSpec": {"manufacturer": "Google", "brand": "google", "model": "Pixel 7"}}],
    }, indent=2), encoding="utf-8")
