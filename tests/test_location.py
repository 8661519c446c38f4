"""The location importer against project-written fixtures of every Google generation (tests/fixtures/location/),
with exact expected records, plus broken input generated here."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from datavault.archive import Member, open_inputs
from datavault.importer import ImportContext
from datavault.records import Location, Note, PlatformInference, Problem, ProfileFact
from datavault.importers import location
from datavault.importers.location import IMPORTER, instant, latlng, mode_name, semantic_label, sniff

FIXTURES = Path(__file__).parent / "fixtures" / "location"
TAKEOUT = "Takeout/Location History (Timeline)/"


def member_of(relative: str) -> Member:
    [archive] = open_inputs([FIXTURES])
    return next(m for m in archive.members() if m.name == relative)


def member_from(name: str, data: bytes | str) -> Member:
    data = data.encode() if isinstance(data, str) else data
    return Member(name, len(data), lambda: io.BytesIO(data))


def parse(member: Member) -> list:
    claim = IMPORTER.claim(member, ImportContext())
    assert claim is not None and claim.parse, claim
    return list(IMPORTER.parse(member, ImportContext()))


def records(items: list) -> list:
    return [item for item in items if not isinstance(item, (Note, Problem))]


def notes(items: list) -> dict:
    return {item.name: item.value for item in items if isinstance(item, Note)}


def problems(items: list) -> list[tuple[str, str | None]]:
    return [(item.message, item.locator) for item in items if isinstance(item, Problem)]


def raw_of(relative: str, *path) -> str:
    """The compact JSON of one object of a fixture file: what the importer keeps as a record's raw text."""
    value = json.loads((FIXTURES / relative).read_text(encoding="utf-8"))
    for step in path:
        value = value[step]
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ---- Records.json, both generations -----------------------------------------------------------------------------


def test_oldest_location_history_json_with_timestamp_ms():
    items = parse(member_of("Takeout/Location History/Location History.json"))
    assert records(items) == [
        Location(time="2017-07-14T02:40:00.123Z", lat=53.8075612, lon=-1.5523201, accuracy_m=20,
                 key=("point", "2017-07-14T02:40", 538076, -15523, 0), locator="locations[0]",
                 extra={"activity": [{"timestampMs": "1500000001000",
                                      "activity": [{"type": "STILL", "confidence": 90},
                                                   {"type": "ON_FOOT", "confidence": 5}]}],
                        "origin": "records", "tz": "Europe/London", "utc_offset_min": 60}),
        Location(time="2017-07-14T02:41:00Z", lat=53.80757, lon=-1.55233, accuracy_m=1500,
                 key=("point", "2017-07-14T02:41", 538076, -15523, 0), locator="locations[1]",
                 extra={"altitude": 80, "velocity": 0, "source": "cell", "origin": "records",
                        "tz": "Europe/London", "utc_offset_min": 60}),
    ]
    assert problems(items) == []
    assert notes(items)["points"] == 2
    assert notes(items)["location_format"] == "Records.json raw points"


def test_records_json_with_iso_timestamps_keeps_every_field():
    items = parse(member_of(TAKEOUT + "Records.json"))
    assert records(items) == [
        Location(time="2024-01-15T07:30:05.500Z", lat=53.8075612, lon=-1.5523201, accuracy_m=12,
                 key=("point", "2024-01-15T07:30", 538076, -15523, 0), locator="locations[0]",
                 extra={"altitude": 75, "verticalAccuracy": 3, "velocity": 1, "heading": 270, "source": "WIFI",
                        "deviceTag": -577680023, "platformType": "ANDROID", "deviceDesignation": "PRIMARY",
                        "deviceTimestamp": "2024-01-15T07:30:05.400Z", "serverTimestamp": "2024-01-15T07:30:06Z",
                        "batteryCharging": False, "formFactor": "PHONE", "origin": "records",
                        "tz": "Europe/London", "utc_offset_min": 0}),
        Location(time="2024-01-15T08:05:00Z", lat=53.79572, lon=-1.54388, accuracy_m=8,
                 key=("point", "2024-01-15T08:05", 537957, -15439, 0), locator="locations[1]",
                 extra={"source": "GPS", "deviceTag": -577680023,
                        "activity": [{"activity": [{"type": "IN_VEHICLE", "confidence": 75}],
                                      "timestamp": "2024-01-15T08:04:58.100Z"}],
                        "origin": "records", "tz": "Europe/London", "utc_offset_min": 0}),
        # New York in July: 06:15 UTC is 02:15 local time, which is what a "2 a.m." question needs
        Location(time="2024-07-04T06:15:00Z", lat=40.68924, lon=-74.0445, accuracy_m=30,
                 key=("point", "2024-07-04T06:15", 406892, -740445, 0), locator="locations[2]",
                 extra={"origin": "records", "tz": "America/New_York", "utc_offset_min": -240}),
    ]
    assert problems(items) == []


# ---- Semantic Location History ------------------------------------------------------------------------------------

SEMANTIC = TAKEOUT + "Semantic Location History/"


def test_semantic_month_with_millisecond_keys():
    relative = SEMANTIC + "2017/2017_DECEMBER.json"
    items = parse(member_of(relative))
    assert records(items) == [
        Location(time="2017-12-10T22:49:25.026Z", end_time="2017-12-11T00:40:06.106Z", lat=53.8075612,
                 lon=-1.5523201, kind="visit", place_name="Home", semantic_type="HOME",
                 key=("visit", "2017-12-10T22:49", 538076, -15523), locator="timelineObjects[0].placeVisit",
                 raw=raw_of(relative, "timelineObjects", 0),
                 extra={"placeId": "ChIJhome0001", "address": "12 Clarendon Road, Leeds",
                        "sourceInfo": {"deviceTag": -577680023}, "locationConfidence": 91.5,
                        "placeConfidence": "HIGH_CONFIDENCE", "centerLatE7": 538075000, "centerLngE7": -15523000,
                        "visitConfidence": 88,
                        "otherCandidateLocations": [{"latitudeE7": 537957200, "longitudeE7": -15438800,
                                                     "semanticType": "TYPE_WORK", "locationConfidence": 4.2}],
                        "editConfirmationStatus": "NOT_CONFIRMED", "semantic_type_raw": "TYPE_HOME",
                        "origin": "semantic", "timestamp_style": "ms", "tz": "Europe/London", "utc_offset_min": 0}),
        PlatformInference(platform="google", category="semantic_place", value="HOME: Home (12 Clarendon Road, Leeds)",
                          time="2017-12-10T22:49:25.026Z",
                          key=("semantic_place", "HOME", "ChIJhome0001", "53.808", "-1.552"),
                          locator="timelineObjects[0].placeVisit",
                          extra={"label": "HOME", "lat": 53.8075612, "lon": -1.5523201, "place_id": "ChIJhome0001",
                                 "name": "Home", "address": "12 Clarendon Road, Leeds",
                                 "basis": "semanticType TYPE_HOME of a visit"}),
        Location(time="2017-12-11T00:43:20Z", end_time="2017-12-11T01:13:20Z", lat=53.8075612, lon=-1.5523201,
                 kind="trip", mode="WALKING", key=("trip", "2017-12-11T00:43", 538076, -15523),
                 locator="timelineObjects[1].activitySegment", raw=raw_of(relative, "timelineObjects", 1),
                 extra={"startLocation": {"latitudeE7": 538075612, "longitudeE7": -15523201},
                        "endLocation": {"latitudeE7": 537957200, "longitudeE7": -15438800},
                        "distance": 1620, "activityType": "WALKING", "confidence": "HIGH",
                        "activities": [{"activityType": "WALKING", "probability": 91.25},
                                       {"activityType": "CYCLING", "probability": 5.5}],
                        "waypointPath": {"waypoints": [{"latE7": 538075612, "lngE7": -15523201},
                                                       {"latE7": 537957200, "lngE7": -15438800}]},
                        "end_lat": 53.79572, "end_lon": -1.54388, "origin": "semantic", "timestamp_style": "ms",
                        "tz": "Europe/London", "utc_offset_min": 0}),
    ]
    assert notes(items)["visits"] == 1 and notes(items)["trips"] == 1


def test_semantic_month_with_iso_keys_visit_without_place_id_child_visit_and_transit():
    relative = SEMANTIC + "2023/2023_MARCH.json"
    items = parse(member_of(relative))
    segment = json.loads(raw_of(relative, "timelineObjects", 1))["activitySegment"]
    del segment["duration"]
    assert records(items) == [
        Location(time="2023-03-06T09:02:11.431Z", end_time="2023-03-06T17:31:40Z", lat=53.79572, lon=-1.54388,
                 kind="visit", place_name="1 Wellington Street, Leeds", semantic_type="WORK",
                 key=("visit", "2023-03-06T09:02", 537957, -15439), locator="timelineObjects[0].placeVisit",
                 raw=raw_of(relative, "timelineObjects", 0),
                 extra={"address": "1 Wellington Street, Leeds", "sourceInfo": {"deviceTag": -577680023},
                        "placeConfidence": "MEDIUM_CONFIDENCE", "visitConfidence": 72,
                        "placeVisitType": "SINGLE_PLACE", "placeVisitImportance": "MAIN",
                        "semantic_type_raw": "TYPE_WORK", "origin": "semantic", "timestamp_style": "iso",
                        "tz": "Europe/London", "utc_offset_min": 0}),
        PlatformInference(platform="google", category="semantic_place", value="WORK: 1 Wellington Street, Leeds",
                          time="2023-03-06T09:02:11.431Z", key=("semantic_place", "WORK", "", "53.796", "-1.544"),
                          locator="timelineObjects[0].placeVisit",
                          extra={"label": "WORK", "lat": 53.79572, "lon": -1.54388, "place_id": None,
                                 "name": "1 Wellington Street, Leeds", "address": "1 Wellington Street, Leeds",
                                 "basis": "semanticType TYPE_WORK of a visit"}),
        Location(time="2023-03-06T12:00:00Z", end_time="2023-03-06T12:40:00Z", lat=53.796, lon=-1.544,
                 kind="visit", place_name="Staff Canteen", key=("visit", "2023-03-06T12:00", 537960, -15440),
                 locator="timelineObjects[0].placeVisit.childVisits[0]",
                 extra={"placeId": "ChIJcanteen01", "visitConfidence": 51,
                        "parent_visit": "timelineObjects[0].placeVisit", "origin": "semantic",
                        "timestamp_style": "iso", "tz": "Europe/London", "utc_offset_min": 0}),
        Location(time="2023-03-06T17:35:00Z", end_time="2023-03-06T17:58:30.250Z", lat=53.79572, lon=-1.54388,
                 kind="trip", mode="IN_BUS", place_name="Line 1", key=("trip", "2023-03-06T17:35", 537957, -15439),
                 locator="timelineObjects[1].activitySegment", raw=raw_of(relative, "timelineObjects", 1),
                 extra={**segment, "end_lat": 53.8075612, "end_lon": -1.5523201, "origin": "semantic",
                        "timestamp_style": "iso", "tz": "Europe/London", "utc_offset_min": 0}),
    ]
    trip = records(items)[-1]
    assert trip.extra["transitPath"]["transitStops"][0]["name"] == "Infirmary Street"
    assert trip.extra["parkingEvent"]["location"]["accuracyMetres"] == 163


# ---- on-device exports ---------------------------------------------------------------------------------------------


def test_android_timeline_under_its_german_name():
    relative = "phone/Zeitachse.json"
    items = parse(member_of(relative))
    offsets = {"startTimeTimezoneUtcOffsetMinutes": 60, "endTimeTimezoneUtcOffsetMinutes": 60}
    berlin = {"tz": "Europe/Berlin", "utc_offset_min": 60}
    assert records(items) == [
        Location(time="2024-01-15T07:00:00Z", end_time="2024-01-15T07:30:00Z", lat=52.5200066, lon=13.404954,
                 kind="visit", semantic_type="HOME", key=("visit", "2024-01-15T07:00", 525200, 134050),
                 locator="semanticSegments[0].visit", raw=raw_of(relative, "semanticSegments", 0),
                 extra={**offsets, "hierarchyLevel": 0, "probability": 0.78, "candidate_placeId": "ChIJberlin01",
                        "candidate_probability": 0.997, "semantic_type_raw": "INFERRED_HOME", "origin": "android",
                        "source_utc_offset_min": 60, **berlin}),
        PlatformInference(platform="google", category="semantic_place", value="HOME: 52.52001, 13.40495",
                          time="2024-01-15T07:00:00Z",
                          key=("semantic_place", "HOME", "ChIJberlin01", "52.520", "13.405"),
                          locator="semanticSegments[0].visit",
                          extra={"label": "HOME", "lat": 52.5200066, "lon": 13.404954, "place_id": "ChIJberlin01",
                                 "name": None, "address": None,
                                 "basis": "semanticType INFERRED_HOME of an on-device visit"}),
        Location(time="2024-01-15T07:30:00Z", end_time="2024-01-15T07:52:00Z", lat=52.5200066, lon=13.404954,
                 kind="trip", mode="IN_PASSENGER_VEHICLE", key=("trip", "2024-01-15T07:30", 525200, 134050),
                 locator="semanticSegments[1].activity", raw=raw_of(relative, "semanticSegments", 1),
                 extra={**offsets, "distanceMeters": 2043.5, "probability": 0.93,
                        "parking": {"location": {"latLng": "52.5163000°, 13.3777000°"},
                                    "startTime": "2024-01-15T08:52:00.000+01:00"},
                        "origin": "android", "source_utc_offset_min": 60, "candidate_probability": 0.81,
                        "end_lat": 52.5162746, "end_lon": 13.3777041, **berlin}),
        Location(time="2024-01-15T07:29:00Z", lat=52.5200066, lon=13.404954,
                 key=("point", "2024-01-15T07:29", 525200, 134050, 0), locator="semanticSegments[2].timelinePath[0]",
                 extra={"origin": "android_path", "source_utc_offset_min": 60, **berlin}),
        Location(time="2024-01-15T07:41:00Z", lat=52.5181, lon=13.39,
                 key=("point", "2024-01-15T07:41", 525181, 133900, 0), locator="semanticSegments[2].timelinePath[1]",
                 extra={"origin": "android_path", "source_utc_offset_min": 60, **berlin}),
        Location(time="2024-01-15T07:30:05.500Z", lat=53.8075612, lon=-1.5523201, accuracy_m=12,
                 key=("point", "2024-01-15T07:30", 538076, -15523, 0), locator="rawSignals[0].position",
                 extra={"altitudeMeters": 75.0, "source": "WIFI", "speedMetersPerSecond": 0.0,
                        "origin": "android_raw", "source_utc_offset_min": 0, "tz": "Europe/London",
                        "utc_offset_min": 0}),
        PlatformInference(platform="google", category="semantic_place", value="WORK: 52.51627, 13.37770",
                          key=("semantic_place", "WORK", "ChIJberlin02", "52.516", "13.378"),
                          locator="userLocationProfile.frequentPlaces[1]",
                          extra={"label": "WORK", "lat": 52.5162746, "lon": 13.3777041, "place_id": "ChIJberlin02",
                                 "name": None, "address": None,
                                 "basis": "userLocationProfile.frequentPlaces of the on-device Timeline"}),
        PlatformInference(platform="google", category="semantic_place", value="FREQUENT: 52.53000, 13.41000",
                          key=("semantic_place", "FREQUENT", "ChIJberlin03", "52.530", "13.410"),
                          locator="userLocationProfile.frequentPlaces[2]",
                          extra={"label": "FREQUENT", "lat": 52.53, "lon": 13.41, "place_id": "ChIJberlin03",
                                 "name": None, "address": None,
                                 "basis": "userLocationProfile.frequentPlaces of the on-device Timeline"}),
        PlatformInference(platform="google", category="travel_mode", value="WALKING: 0.6",
                          key=("travel_mode", "WALKING"), locator="userLocationProfile.persona.travelModeAffinities[0]",
                          extra={"mode": "WALKING", "affinity": 0.6, "basis": "on-device Timeline persona"}),
    ]
    assert notes(items)["raw activity records (not imported)"] == 1
    assert notes(items)["raw wifi scans (not imported)"] == 1
    assert problems(items) == []


def test_ios_location_history_with_string_values_and_minute_offsets():
    relative = "phone/location-history.json"
    items = parse(member_of(relative))
    lisbon = {"tz": "Europe/Lisbon", "utc_offset_min": 0}
    assert records(items) == [
        Location(time="2018-12-26T15:23:48.869Z", end_time="2018-12-26T18:55:26.237Z", lat=41.570045,
                 lon=-8.468077, kind="visit", semantic_type=None, key=("visit", "2018-12-26T15:23", 415700, -84681),
                 locator="[0].visit", raw=raw_of(relative, 0),
                 extra={"hierarchyLevel": 0, "probability": 0.89, "candidate_probability": 0.461223,
                        "candidate_placeID": "ChIJporto001", "semantic_type_raw": "Unknown", "origin": "ios",
                        **lisbon}),
        Location(time="2018-12-26T19:00:00Z", end_time="2018-12-26T19:30:00Z", lat=41.569998, lon=-8.468419,
                 kind="trip", mode="IN_PASSENGER_VEHICLE", key=("trip", "2018-12-26T19:00", 415700, -84684),
                 locator="[1].activity", raw=raw_of(relative, 1),
                 extra={"probability": 0.99, "distanceMeters": 13984.0, "origin": "ios", "candidate_probability": 0.0,
                        "end_lat": 41.640695, "end_lon": -8.333992, **lisbon}),
        Location(time="2018-12-26T19:00:00Z", lat=41.569998, lon=-8.468419,
                 key=("point", "2018-12-26T19:00", 415700, -84684, 0), locator="[2].timelinePath[0]",
                 extra={"origin": "ios_path", "minutes_from_segment_start": 0.0,
                        "time_precision": "minute offset from segment start", **lisbon}),
        Location(time="2018-12-26T19:12:00Z", lat=41.600001, lon=-8.400002,
                 key=("point", "2018-12-26T19:12", 416000, -84000, 0), locator="[2].timelinePath[1]",
                 extra={"origin": "ios_path", "minutes_from_segment_start": 12.0,
                        "time_precision": "minute offset from segment start", **lisbon}),
    ]


# ---- Settings and Timeline Edits ---------------------------------------------------------------------------------


def test_settings_devices_and_retention_go_to_profile():
    items = parse(member_of(TAKEOUT + "Settings.json"))
    settings = json.loads((FIXTURES / TAKEOUT / "Settings.json").read_text())
    top = {k: v for k, v in settings.items() if k != "deviceSettings"}
    devices = settings["deviceSettings"]
    assert records(items) == [
        ProfileFact(platform="google", field="location_history_enabled", value="true", time="2024-01-20T18:00:00Z",
                    key=("location-setting", "historyEnabled", "true"), locator="historyEnabled", extra=top),
        ProfileFact(platform="google", field="location_retention_days", value="1095", time="2024-01-20T18:00:00Z",
                    key=("location-setting", "retentionWindowDays", "1095"), locator="retentionWindowDays", extra=top),
        ProfileFact(platform="google", field="device", value="Pixel 7", time="2023-01-02T09:10:11Z",
                    key=("device", "-577680023"), locator="deviceSettings[0]",
                    raw=json.dumps(devices[0], ensure_ascii=False), extra={**devices[0], "origin": "settings"}),
        ProfileFact(platform="google", field="device", value="Apple iPhone12,1", time=None,
                    key=("device", "1234567890"), locator="deviceSettings[1]",
                    raw=json.dumps(devices[1], ensure_ascii=False), extra={**devices[1], "origin": "settings"}),
    ]


def test_timeline_edits_positions_and_place_aggregates():
    items = parse(member_of(TAKEOUT + "Timeline Edits.json"))
    assert records(items) == [
        Location(time="2024-07-06T05:23:01.340Z", lat=53.80012, lon=-1.54745, accuracy_m=14.063,
                 key=("point", "2024-07-06T05:23", 538001, -15474, 0),
                 locator="timelineEdits[0].rawSignal.signal.position",
                 extra={"altitudeMeters": 61.0, "source": "WIFI", "deviceId": "577680023", "origin": "timeline_edits",
                        "tz": "Europe/London", "utc_offset_min": 60}),
        PlatformInference(platform="google", category="semantic_place", value="FREQUENT: 53.80756, -1.55242",
                          key=("semantic_place", "FREQUENT", "ChIJhome0001", "53.808", "-1.552"),
                          locator="timelineEdits[2].placeAggregates.placeAggregateInfo[0]",
                          extra={"label": "FREQUENT", "lat": 53.8075612, "lon": -1.5524201, "place_id": "ChIJhome0001",
                                 "name": None, "address": None,
                                 "basis": "Timeline Edits place aggregate", "score": 812.5, "window_hours": 2016,
                                 "window": {"startTime": "2024-05-01T00:00:00Z", "endTime": "2024-07-01T00:00:00Z"}}),
    ]
    assert notes(items)["activity records (not imported)"] == 1


# ---- recognising files ---------------------------------------------------------------------------------------------


def test_every_fixture_is_recognised_by_content_and_the_notice_is_skipped_with_a_reason():
    [archive] = open_inputs([FIXTURES])
    claims = {m.name: IMPORTER.claim(m, ImportContext()) for m in archive.members()}
    skipped = claims.pop(TAKEOUT + "Encrypted Backups.txt")
    assert not skipped.parse and "encrypted Timeline backups" in skipped.reason
    assert all(claim is not None and claim.parse for claim in claims.values()), claims


@pytest.mark.parametrize("name", ["export/whatever.json", "Meine Daten/Vos trajets.json", "x/타임라인.json"])
def test_content_decides_whatever_the_file_is_called(name):
    data = (FIXTURES / "phone" / "Zeitachse.json").read_bytes()
    assert IMPORTER.claim(member_from(name, data), ImportContext()).parse


def test_files_of_other_importers_are_left_alone():
    ctx = ImportContext()
    my_activity = '[{"header": "Search", "title": "Searched for x", "time": "2024-01-01T00:00:00Z"}]'
    assert IMPORTER.claim(member_from("Takeout/My Activity/Search/MyActivity.json", my_activity), ctx) is None
    # a My Activity file that somehow carries a location file's name is still not ours to read
    assert IMPORTER.claim(member_from("Takeout/Location History/Records.json", my_activity), ctx) is None
    assert IMPORTER.claim(member_from("Takeout/Chrome/History.json", '{"Browser History": []}'), ctx) is None
    assert IMPORTER.claim(member_from("Takeout/Location History/._Records.json", b"\x00\x05\x16\x07"), ctx) is None
    empty = IMPORTER.claim(member_from("Takeout/Location History/Records.json", b""), ctx)
    assert (empty.parse, empty.reason) == (False, "empty file (0 bytes)")
    assert IMPORTER.claim(member_from("Takeout/Profile/Profile.json", b""), ctx) is None


def test_sniff_tells_every_generation_apart():
    assert sniff(b'\xef\xbb\xbf {"locations": [') == "records"
    assert sniff(b'{"timelineObjects":[{"placeVisit":') == "semantic"
    assert sniff(b'{\n "semanticSegments": [') == "android"
    assert sniff(b'{"rawSignals": [], "semanticSegments": [') == "android"
    assert sniff(b'[{"endTime": "2018-12-26T18:55:26.237Z", "startTime": "2018') == "ios"
    assert sniff(b'{"timelineEdits": [') == "edits"
    assert sniff(b'{"createdTime": "2015-03-01T10:00:00.000Z", "retentionWindowDays": 3') == "settings"
    assert sniff(b"<!DOCTYPE html><html>") == "not-json"


# ---- bad input ---------------------------------------------------------------------------------------------------


def test_records_cut_off_in_the_middle_keeps_the_points_before_and_reports_the_cut():
    data = (FIXTURES / TAKEOUT / "Records.json").read_bytes()
    cut = data[: data.index(b'"source": "GPS"')]
    items = parse(member_from("Takeout/Location History/Records.json", cut))
    assert [r.locator for r in records(items)] == ["locations[0]"]
    assert problems(items) == [("the file is not valid JSON or ends too early (parse error: premature EOF); "
                                "everything before that point was imported", None)]


def test_out_of_range_coordinates_and_points_without_time_are_reported_and_the_rest_imports():
    data = json.dumps({"locations": [
        {"timestampMs": "1500000000000", "latitudeE7": 1900000000, "longitudeE7": 5, "accuracy": 5},
        {"latitudeE7": 538075612, "longitudeE7": -15523201, "accuracy": 5},
        {"timestamp": "yesterday", "latitudeE7": 538075612, "longitudeE7": -15523201},
        {"timestamp": "2024-01-15T07:30:05Z", "accuracy": 5},
        {"timestamp": "2024-01-15T07:31:05Z", "latitudeE7": 538075612, "longitudeE7": -15523201, "accuracy": 5},
        {"timestamp": "2024-01-15T07:32:05Z", "activity": [{"activity": [{"type": "STILL", "confidence": 100}]}]},
        {"timestamp": "2024-01-15T07:33:05Z", "latitudeE7": 421234567, "longitudeE7": 4294967296 - 851234567},
    ]})
    items = parse(member_from("Records.json", data))
    assert [(r.time, r.lat, r.lon, r.locator) for r in records(items)] == [
        ("2024-01-15T07:31:05Z", 53.8075612, -1.5523201, "locations[4]"),
        ("2024-01-15T07:33:05Z", 42.1234567, -85.1234567, "locations[6]")]
    assert records(items)[1].extra["e7_overflow_repaired"] == (421234567, 3443732729)
    assert notes(items)["entries with activity guesses but no position (not imported)"] == 1
    assert notes(items)["points whose E7 coordinates had wrapped around 2^32 (repaired)"] == 1
    assert problems(items) == [
        ("a point at 2017-07-14T02:40:00Z has coordinates out of range (latitudeE7 1900000000, longitudeE7 5); "
         "skipped", "locations[0]"),
        ("a point has no time (neither timestamp nor timestampMs); skipped", "locations[1]"),
        ("a point's time 'yesterday' cannot be read; skipped", "locations[2]"),
        ("a point at 2024-01-15T07:30:05Z has no usable coordinates (latitudeE7=None, longitudeE7=None); skipped",
         "locations[3]"),
    ]


@pytest.mark.parametrize("content, described", [
    ("<!DOCTYPE html><html><body>Records</body></html>", "an HTML page, not JSON"),
    ('{"version": 2, "items": []}', "JSON of another shape"),
])
def test_a_same_named_file_of_another_format_is_reported(content, described):
    items = parse(member_from("Takeout/Location History/Records.json", content))
    [(message, _)] = problems(items)
    assert message.startswith("named like a Google location file, but its content is " + described)
    assert records(items) == []


def test_bad_items_in_on_device_and_semantic_files_are_reported():
    android = json.dumps({"semanticSegments": [
        {"startTime": "2024-01-15T08:00:00.000+01:00", "timelinePath": [
            {"point": "95.0°, 13.4°", "time": "2024-01-15T08:01:00.000+01:00"},
            {"point": "52.5°, 13.4°"},
            {"point": "52.5°, 13.4°", "time": "2024-01-15T08:03:00.000+01:00"}]},
        {"startTime": "2024-01-15T08:00:00.000+01:00", "somethingNew": {}}]})
    items = parse(member_from("Timeline.json", android))
    assert [r.locator for r in records(items)] == ["semanticSegments[0].timelinePath[2]"]
    assert problems(items) == [
        ("a path point's position '95.0°, 13.4°' cannot be read or is out of range; skipped",
         "semanticSegments[0].timelinePath[0]"),
        ("a path point has no time; skipped", "semanticSegments[0].timelinePath[1]"),
        ("a timeline segment of an unknown kind (somethingNew, startTime); skipped", "semanticSegments[1]"),
    ]
    semantic = json.dumps({"timelineObjects": [{"placeVisit": {"location": {"latitudeE7": 1}, "duration": {}}},
                                               {"activitySegment": {"duration": {"startTimestampMs": "x"}}}]})
    items = parse(member_from("2023_MARCH.json", semantic))
    assert records(items) == []
    assert problems(items) == [
        ("a place visit has no start time; skipped", "timelineObjects[0].placeVisit"),
        ("an activity segment's time cannot be read (invalid literal for int() with base 10: 'x'); skipped",
         "timelineObjects[1].activitySegment"),
    ]


# ---- overlaps and keys -------------------------------------------------------------------------------------------


def test_the_same_fix_in_takeout_and_on_the_phone_has_one_key():
    takeout = records(parse(member_of(TAKEOUT + "Records.json")))[0]
    phone = next(r for r in records(parse(member_of("phone/Zeitachse.json"))) if r.locator == "rawSignals[0].position")
    assert takeout.key == phone.key == ("point", "2024-01-15T07:30", 538076, -15523, 0)
    assert (takeout.extra["origin"], phone.extra["origin"]) == ("records", "android_raw")


def test_distinct_points_of_one_file_in_the_same_minute_and_place_are_all_kept():
    data = json.dumps({"locations": [
        {"timestamp": f"2024-01-15T07:30:0{i}Z", "latitudeE7": 538075612 + i, "longitudeE7": -15523201}
        for i in range(3)]})
    keys = [r.key for r in records(parse(member_from("Records.json", data)))]
    assert keys == [("point", "2024-01-15T07:30", 538076, -15523, n) for n in range(3)]


# ---- values ------------------------------------------------------------------------------------------------------


def test_value_helpers():
    assert instant("2024-01-15T08:00:00.000+01:00") == ("2024-01-15T07:00:00Z", 60)
    assert instant("2024-01-15T07:00:00.000Z") == ("2024-01-15T07:00:00Z", None)
    assert instant("2024-01-15T07:00:00.123456Z") == ("2024-01-15T07:00:00.123456Z", None)
    assert location.from_ms("1512946165026") == "2017-12-10T22:49:25.026Z"
    assert location.from_ms("-1000") == "1969-12-31T23:59:59Z"
    assert latlng("geo:41.570045,-8.468077") == (41.570045, -8.468077)
    assert latlng("52.5200066°, 13.4049540°") == (52.5200066, 13.404954)
    assert latlng("52.5, 200.0") == (None, None)
    assert [semantic_label(x) for x in ("TYPE_HOME", "INFERRED_WORK", "Home", "Unknown", "TYPE_ALIAS", None)] == [
        "HOME", "WORK", "HOME", None, "ALIAS", None]
    assert mode_name("in passenger vehicle") == "IN_PASSENGER_VEHICLE"


# ---- through the pipeline into the vault -------------------------------------------------------------------------


def _rows(vault: Path, sql: str) -> list[tuple]:
    import sqlite3

    with sqlite3.connect(vault) as db:
        return db.execute(sql).fetchall()


def test_a_whole_takeout_and_a_phone_export_import_with_overlaps_counted_once(tmp_path):
    from datavault.pipeline import import_paths

    vault = tmp_path / "vault.db"
    import_paths(vault, [FIXTURES / "Takeout"])
    assert _rows(vault, "SELECT kind, count(*) FROM locations GROUP BY kind ORDER BY kind") == [
        ("point", 6), ("trip", 2), ("visit", 3)]
    assert _rows(vault, "SELECT field, value FROM profile ORDER BY field, value") == [
        ("device", "Apple iPhone12,1"), ("device", "Pixel 7"), ("location_history_enabled", "true"),
        ("location_retention_days", "1095")]
    assert _rows(vault, "SELECT value FROM platform_inferences WHERE category = 'semantic_place' ORDER BY value") == [
        ("FREQUENT: 53.80756, -1.55242",), ("HOME: Home (12 Clarendon Road, Leeds)",),
        ("WORK: 1 Wellington Street, Leeds",)]
    # the phone's export repeats one fix of the Takeout's Records.json: stored once, held by both imports
    import_paths(vault, [FIXTURES / "phone"])
    # 6 Takeout points, 3 Android and 2 iPhone points, one of the Android ones the same fix as a Takeout one
    assert _rows(vault, "SELECT count(*) FROM locations WHERE kind = 'point'") == [(6 + 3 + 2 - 1,)]
    assert _rows(vault, "SELECT sources, json_extract(extra, '$.origin'), json_extract(extra, '$.also_from') "
                        "FROM rec_locations WHERE time = '2024-01-15T07:30:05.500Z'") == [
        (" 1 2 ", "records", '[{"source_file":"Zeitachse.json","origin":"android_raw"}]')]
    # re-importing changes nothing
    import_paths(vault, [FIXTURES / "Takeout", FIXTURES / "phone"])
    assert _rows(vault, "SELECT kind, count(*) FROM locations GROUP BY kind ORDER BY kind") == [
        ("point", 10), ("trip", 2 + 1 + 1), ("visit", 3 + 1 + 1)]


def test_local_time_of_day_can_be_asked_in_sql(tmp_path):
    from datavault.pipeline import import_paths

    vault = tmp_path / "vault.db"
    import_paths(vault, [FIXTURES / "Takeout" / "Location History (Timeline)" / "Records.json"])
    local_hours = _rows(vault, "SELECT time, CAST(strftime('%H', time, json_extract(extra, '$.utc_offset_min') "
                               "|| ' minutes') AS INTEGER) FROM locations ORDER BY time")
    assert local_hours == [("2024-01-15T07:30:05.500Z", 7), ("2024-01-15T08:05:00Z", 8), ("2024-07-04T06:15:00Z", 2)]


def test_the_demo_history_holds_the_persona_places(tmp_path):
    import random

    from datavault.demo import location as demo
    from datavault.demo.persona import PERSONA
    from datavault.pipeline import import_paths

    [folder] = demo.write(tmp_path / "demo", random.Random("7:location"), 1)
    vault = tmp_path / "vault.db"
    import_paths(vault, [folder])
    visits = dict(_rows(vault, "SELECT place_name, count(*) FROM locations WHERE kind = 'visit' GROUP BY place_name"))
    assert visits[PERSONA.place("worship").name] == 8  # every Sunday of 8 weeks
    assert visits[PERSONA.place("clinic").name] == 3  # every third Wednesday
    assert visits[PERSONA.place("nightlife").name] == 4  # every other Saturday
    assert visits[PERSONA.place("work").name] == 40 + 3  # the clinic days split the work day
    assert _rows(vault, "SELECT DISTINCT semantic_type FROM locations WHERE semantic_type IS NOT NULL "
                        "ORDER BY 1") == [("HOME",), ("WORK",)]
    # out after 2 a.m. local time, at the bar, in the raw points too
    late = _rows(vault, "SELECT count(*) FROM locations WHERE kind = 'point' AND CAST(strftime('%H', time, "
                        "json_extract(extra, '$.utc_offset_min') || ' minutes') AS INTEGER) = 2 "
                        f"AND abs(lat - {PERSONA.place('nightlife').lat}) < 0.002")
    assert late[0][0] > 0
    assert _rows(vault, "SELECT count(*) FROM problems") == [(0,)]


def test_a_zipped_takeout_streams_the_same_records(tmp_path):
    import zipfile

    from datavault.pipeline import import_paths

    archive = tmp_path / "takeout-20240201T101010Z-001.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted((FIXTURES / "Takeout").rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(FIXTURES).as_posix())
    vault = tmp_path / "vault.db"
    import_paths(vault, [archive])
    assert _rows(vault, "SELECT kind, count(*) FROM locations GROUP BY kind ORDER BY kind") == [
        ("point", 6), ("trip", 2), ("visit", 3)]
    assert _rows(vault, "SELECT status, count(*) FROM files GROUP BY status ORDER BY status") == [
        ("parsed", 6), ("skipped", 1)]


def test_export_gives_the_contract_fields(vault):
    from datavault.pipeline import import_paths
    from tests.conftest import exported

    import_paths(vault, [FIXTURES / "Takeout" / "Location History (Timeline)" / "Semantic Location History"])
    rows = exported(vault, "locations")
    trip = next(r for r in rows if r["kind"] == "trip" and r["mode"] == "IN_BUS")
    assert {k: trip[k] for k in ("time", "end_time", "lat", "lon", "accuracy_m", "kind", "place_name",
                                 "semantic_type", "mode", "source_file", "locator")} == {
        "time": "2023-03-06T17:35:00Z", "end_time": "2023-03-06T17:58:30.250Z", "lat": 53.79572, "lon": -1.54388,
        "accuracy_m": None, "kind": "trip", "place_name": "Line 1", "semantic_type": None, "mode": "IN_BUS",
        "source_file": "2023/2023_MARCH.json", "locator": "timelineObjects[1].activitySegment"}
    assert [r["semantic_type"] for r in rows if r["kind"] == "visit"] == ["HOME", "WORK", None]


def test_broken_settings_are_reported():
    data = (FIXTURES / TAKEOUT / "Settings.json").read_text()[:200]
    items = parse(member_from("Takeout/Location History/Settings.json", data))
    assert records(items) == []
    [(message, _)] = problems(items)
    assert message.startswith("the location settings are not valid JSON (")


def test_without_timezonefinder_points_still_import_and_the_note_says_so(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "timezonefinder", None)  # any import of it now fails
    monkeypatch.setattr(IMPORTER, "local_time", location.LocalTime())
    items = parse(member_of(TAKEOUT + "Records.json"))
    assert [r.extra for r in records(items)][2] == {"origin": "records"}
    assert notes(items)["tz_basis"] == "timezonefinder is not installed: no local time zone was inferred"


@pytest.mark.parametrize("window", [1, 2, 3, 7, 50])
def test_minute_ordinals_number_points_exactly_as_ordinals_do(window):
    import random

    rng = random.Random(window)
    plain, grouped = location._Ordinals(window), location._MinuteOrdinals(window)
    minute = 0
    for _ in range(20_000):
        minute += rng.choice([0, 0, 0, 1, 1, 2, -1, -5]) if rng.random() < 0.97 else rng.randint(-400, 400)
        when, cell = f"m{minute:06d}", rng.randint(0, 3)
        assert grouped.next(when, cell) == plain.next((when, cell))
        assert len(grouped.log_places) <= 2 * window + 1 and len(grouped.index) <= 4 * window + 2  # memory stays bounded


def test_takeout_and_phone_export_in_one_command_store_the_shared_fix_once(tmp_path):
    """Issue 4 item 7 within one command: as two archives, the shared fix is held by both sources; as one archive
    (both exports in one folder) it is still stored once, and keeps both files: the first as its source_file, the
    other in extra.also_from."""
    import shutil

    from datavault.pipeline import import_paths

    vault = tmp_path / "two.db"
    import_paths(vault, [FIXTURES / "Takeout", FIXTURES / "phone"])
    assert _rows(vault, "SELECT count(*) FROM locations WHERE kind = 'point'") == [(6 + 3 + 2 - 1,)]
    assert _rows(vault, "SELECT sources FROM rec_locations WHERE time = '2024-01-15T07:30:05.500Z'") == [(" 1 2 ",)]
    both = tmp_path / "export"
    shutil.copytree(FIXTURES / "Takeout", both / "Takeout")
    shutil.copytree(FIXTURES / "phone", both / "phone")
    vault = tmp_path / "one.db"
    import_paths(vault, [both])
    assert _rows(vault, "SELECT count(*) FROM locations WHERE kind = 'point'") == [(6 + 3 + 2 - 1,)]
    assert _rows(vault, "SELECT source_file, json_extract(extra, '$.origin'), json_extract(extra, '$.also_from') "
                        "FROM locations WHERE time = '2024-01-15T07:30:05.500Z'") == [(
        "Takeout/Location History (Timeline)/Records.json", "records",
        '[{"source_file":"phone/Zeitachse.json","origin":"android_raw"}]')]


def _items_or_error(iterable):
    out = []
    try:
        for item in iterable:
            out.append(item)
    except Exception as exc:  # compared, not swallowed
        out.append((type(exc).__name__, str(exc).splitlines()[0]))
    return repr(out)


_POINT = '{"timestamp": "2024-01-15T07:30:05.500Z", "latitudeE7": 538075612, "longitudeE7": -15523201, "x": %s}'


@pytest.mark.parametrize("value", ["1", "1.5", "1e5", "NaN", "Infinity", "1e400", "9223372036854775807",
                                   "-9223372036854775808", "123456789012345678901234567890", '"\\ud800"',
                                   '"\\ud83d\\ude00"', '"\\u00e9"', '"é"', "[1, 2]", '{"a": 1, "a": 2}', "01", "1,"])
@pytest.mark.parametrize("layout", ["pretty", "compact", "cut"])
@pytest.mark.parametrize("chunk", [1 << 16, 256])
def test_records_fast_reader_gives_what_ijson_gives(value, layout, chunk, monkeypatch):
    """_location_batches decodes runs of points with json and must hand over exactly ijson's items, and raise
    where ijson raises: values the two read differently, damaged and unusual layouts. Small reads make ijson take
    over in the middle of the file."""
    import ijson
    from itertools import chain

    monkeypatch.setattr(location, "_CHUNK", chunk)

    points = [json.loads(_POINT % "0") for _ in range(30)]
    text = json.dumps({"locations": points}, indent=2 if layout != "compact" else None)
    marker = '"x": 0'
    text = text.replace(marker, '"x": ' + value, 1)  # the first point carries the value
    at = text.index(marker, len(text) // 2)
    text = text[:at] + '"x": ' + value + text[at + len(marker):]  # and one in the middle
    data = text.encode("utf-8", "surrogatepass")
    if layout == "cut":
        data = data[: len(data) * 3 // 4]
    member = member_from("Records.json", data)
    expected = _items_or_error(ijson.items(io.BytesIO(data), "locations.item", use_float=True))
    assert _items_or_error(chain.from_iterable(location._location_batches(member))) == expected


def test_other_json_is_turned_away_at_a_glance_and_bad_bytes_do_not_break_the_sniff():
    messages = json.dumps({"participants": [{"name": "Ana"}], "messages": [{"content": "hi"}]}).encode()
    assert IMPORTER.claim(member_from("inbox/ana_1/message_1.json", messages), ImportContext()) is None
    records = b'{\n  "locations": [{"latitudeE7": 1, "longitudeE7": 2, "timestamp": "2024-01-01T00:00:00Z"}]}'
    assert IMPORTER.claim(member_from("export/anything.json", records), ImportContext()) is not None
    assert sniff(b'{"locations": [{"note": "\xed\xa0\x80 broken"') == "records"  # no UnicodeDecodeError
