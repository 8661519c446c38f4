"""Location and screen-time findings on invented people whose true routine is known (issue 13, items 1, 3, 4, 6).

Each scenario is built from records (datavault.records) through the store's own write path: a night-shift nurse,
a day worker who plays tennis in Chapel Allerton, a churchgoer, a person with four days of location, a gamer, a
person who watches one short video a day, a parent up at night with a baby. Times are Europe/London, in weeks of
April and May 2024 (no clock change inside).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from zoneinfo import ZoneInfo

import pytest

from datavault.findings import FINDING_IDS
from datavault.findings.engine import Ctx
from datavault.findings.places import place_guard
from datavault.findings.ruleset import load_rules
from datavault.findings.clock import Clock
from datavault.records import Activity, Location, Message, PlatformInference
from datavault.report import build_report
from tests.vaultkit import make_vault, sql_trace

LONDON = ZoneInfo("Europe/London")
MONDAY = dt.date(2024, 4, 8)
REC = "Takeout/Location History/Records.json"
SEM = "Takeout/Location History/Semantic Location History/2024/2024_APRIL.json"
MA_YT = "Takeout/My Activity/YouTube/MyActivity.json"
MA_S = "Takeout/My Activity/Search/MyActivity.json"
HOME = (53.8200, -1.5800)
HOSPITAL = (53.8070, -1.5200)
OFFICE = (53.7957, -1.5439)
TENNIS = (53.8290, -1.5370)
CHURCH = (53.8004, -1.5475)


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


class Person:
    """Collects one invented person's records."""

    def __init__(self) -> None:
        self.records: list = []
        self.n = 0

    def _key(self) -> tuple:
        self.n += 1
        return ("k", self.n)

    def stay(self, where: tuple[float, float], start: dt.datetime, end: dt.datetime, every: int = 30) -> None:
        """Raw points every ``every`` minutes from start to end (a little GPS jitter, same 100 m place)."""
        t = start
        while t < end:
            j = ((self.n * 7) % 5 - 2) * 0.00008
            self.records.append(Location(time=utc(t), lat=where[0] + j, lon=where[1] - j, source_file=REC,
                                         locator=f"locations[{self.n}]", key=self._key()))
            t += dt.timedelta(minutes=every)

    def visit(self, name: str, where: tuple[float, float], start: dt.datetime, end: dt.datetime,
              semantic: str | None = None) -> None:
        self.records.append(Location(time=utc(start), end_time=utc(end), lat=where[0], lon=where[1], kind="visit",
                                     place_name=name, semantic_type=semantic, source_file=SEM,
                                     locator=f"timelineObjects[{self.n}]", key=self._key()))

    def watch(self, title: str, when: dt.datetime) -> None:
        self.records.append(Activity(time=utc(when), platform="google", product="YouTube", action="watched",
                                     title=f"Watched {title}", source_file=MA_YT, locator=f"[{self.n}]",
                                     key=self._key()))

    def search(self, text: str, when: dt.datetime) -> None:
        self.records.append(Activity(time=utc(when), platform="google", product="Search", action="searched",
                                     title=f"Searched for {text}", source_file=MA_S, locator=f"[{self.n}]",
                                     key=self._key()))

    def chat(self, text: str, when: dt.datetime) -> None:  # WhatsApp: wall-clock time, no zone
        self.records.append(Message(time=when.strftime("%Y-%m-%dT%H:%M:%S"), platform="whatsapp",
                                    conversation="Alex", sender="Me", text=text, from_owner=True,
                                    source_file="WhatsApp Chat with Alex.txt", locator=f"line {self.n}",
                                    key=self._key()))

    def report(self, tmp_path, tz: str = "Europe/London") -> dict:
        vault = make_vault(tmp_path / "v.sqlite", self.records)
        return build_report(vault, tz=tz)


def days(weeks: int = 5):
    for offset in range(weeks * 7):
        day = MONDAY + dt.timedelta(days=offset)
        yield day, day.weekday()


def by_id(report: dict) -> dict:
    return {f["id"]: f for f in report["findings"]}


def clear_ids(report: dict) -> set[str]:
    return {c["id"] for c in report["clear"]}


def not_assessed(report: dict) -> dict[str, str]:
    return {n["id"]: n["reason"] for n in report["not_assessed"]}


def near(cell: list[float], where: tuple[float, float]) -> bool:
    return abs(cell[0] - where[0]) <= 0.0015 and abs(cell[1] - where[1]) <= 0.0015


def assert_real_evidence(finding: dict) -> None:
    for e in finding["evidence"]:
        assert e["source_file"] and e["locator"], e
        assert e["time"] or e["table"] == "platform_inferences", e  # a label has no time


# ---- the people -------------------------------------------------------------------------------------------------


def nurse() -> Person:
    """Nights Monday to Thursday at St James's (21:30-07:30), asleep at home by day; searches on her breaks."""
    p = Person()
    for day, wd in days():
        nxt = day + dt.timedelta(days=1)
        home_from = at(day, 8) if 1 <= wd <= 4 else at(day, 0)  # back from the night before
        if wd < 4:
            p.stay(HOME, home_from, at(day, 21))
            p.stay(HOSPITAL, at(day, 21, 30), at(nxt, 7, 30))
            p.visit("St James's University Hospital", HOSPITAL, at(day, 21, 30), at(nxt, 7, 30))
            for minute in range(0, 60, 10):
                p.search(f"drug interaction {minute}", at(nxt, 3, minute))
        else:
            p.stay(HOME, home_from, at(nxt, 0))
        for hour in (12, 14, 16, 18):
            p.search(f"recipe {hour}", at(day, hour))
    p.visit("Home", HOME, at(MONDAY, 8), at(MONDAY, 20), semantic="TYPE_HOME")
    p.records.append(PlatformInference(platform="google", category="semantic_place", value="HOME: Home",
                                       source_file="Takeout/Maps/My labeled places/Labeled places.json",
                                       locator="features[0]", key=("label", 1),
                                       extra={"label": "HOME", "lat": HOME[0], "lon": HOME[1]}))
    return p


def day_worker(sunday_church: bool = False) -> Person:
    p = Person()
    for day, wd in days():
        nxt = day + dt.timedelta(days=1)
        if wd < 5:
            p.stay(HOME, at(day, 0), at(day, 8, 30))
            p.stay(OFFICE, at(day, 9), at(day, 17, 30))
            p.visit("Northwind Logistics", OFFICE, at(day, 9), at(day, 17, 30))
            p.stay(HOME, at(day, 18), at(nxt, 0))
        elif wd == 5:
            p.stay(HOME, at(day, 0), at(day, 9, 30))
            p.stay(TENNIS, at(day, 10), at(day, 12))
            p.visit("Chapel Allerton Lawn Tennis Club", TENNIS, at(day, 10), at(day, 12))
            p.stay(HOME, at(day, 12, 30), at(nxt, 0))
        else:
            if sunday_church:
                p.stay(HOME, at(day, 0), at(day, 9, 30))
                p.stay(CHURCH, at(day, 10), at(day, 11, 30))
                p.visit("St Anne's Church", CHURCH, at(day, 10), at(day, 11, 30))
                p.stay(HOME, at(day, 12), at(nxt, 0))
            else:
                p.stay(HOME, at(day, 0), at(nxt, 0))
    return p


# ---- tests ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nurse_report(tmp_path_factory) -> dict:
    return nurse().report(tmp_path_factory.mktemp("nurse"))


def test_night_shift_nurse_home_and_the_hospital_as_work(nurse_report):
    hw = by_id(nurse_report)["home_work"]
    assert near(hw["measures"]["home_cell"], HOME)
    assert near(hw["measures"]["work_cell"], HOSPITAL)
    assert hw["measures"]["work_place"] == "St James's University Hospital"
    assert hw["measures"]["work_schedule"] == "mostly 21:00-08:00, 4 days a week (Mon-Thu)"
    assert "you work at night at a hospital (St James's University Hospital)" in hw["statement"]
    assert hw["strength"] == "strong"
    assert_real_evidence(hw)
    # three sampled records per place, each its own record; the platform's label only as corroboration
    own = [e for e in hw["evidence"] if e["table"] == "locations" and not e["excerpt"].startswith("corroboration")]
    assert len(own) == 6 and len({(e["source_file"], e["locator"]) for e in own}) == 6
    labels = [e for e in hw["evidence"] if e["excerpt"].startswith("corroboration")]
    assert {e["excerpt"] for e in labels} == {"corroboration, not counted: Google labels your home HOME (Home)",
                                              "corroboration, not counted: Google labels your home HOME (HOME: Home)"}
    assert "Google Maps › Your Timeline" in hw["remedy"] and "Home and Work labels" in hw["remedy"]


def test_night_shift_nurse_is_not_a_patient_nor_idle(nurse_report):
    found = by_id(nurse_report)
    assert "long stays mostly 08:00-21:00" in found["home_work"]["statement"]
    assert "sensitive_places" not in found and "health" not in found
    assert "sensitive_places" in clear_ids(nurse_report)
    assert "screen_time" not in found and "screen_time" in clear_ids(nurse_report)
    sched = found["daily_schedule"]
    assert sched["category"] == "behaviour_preference"
    assert sched["statement"].startswith("A scorer could see you are regularly active at night on working days")
    assert "idle" not in sched["statement"].replace("not evidence of idleness", "")
    assert sched["strength"] == "strong"
    assert_real_evidence(sched)
    assert any(e["table"] == "activities" for e in sched["evidence"])


def test_day_worker_with_a_tennis_club_in_chapel_allerton(tmp_path):
    report = day_worker().report(tmp_path)
    hw = by_id(report)["home_work"]
    assert near(hw["measures"]["home_cell"], HOME) and near(hw["measures"]["work_cell"], OFFICE)
    assert hw["measures"]["work_schedule"] == "mostly 09:00-18:00, 5 days a week (Mon-Fri)"
    assert hw["measures"]["work_place"] == "Northwind Logistics" and "work_place_category" not in hw["measures"]
    assert "sensitive_places" not in by_id(report) and "sensitive_places" in clear_ids(report)
    assert "daily_schedule" in clear_ids(report)
    assert hw["measures"]["platform_labels"] == 0


def test_churchgoer_every_sunday(tmp_path):
    report = day_worker(sunday_church=True).report(tmp_path)
    sp = by_id(report)["sensitive_places"]
    assert sp["sensitive"] == ["religion"]
    assert sp["strength"] == "strong"
    assert sp["measures"]["place_of_worship"] == 5 and "clinic" not in sp["measures"]
    assert [d["place"] for d in sp["details"]] == ["St Anne's Church"]
    assert_real_evidence(sp)
    shown = [e for e in sp["evidence"] if "St Anne's Church" in e["excerpt"]]
    assert len(shown) == 3 and len({e["locator"] for e in shown}) == 3
    assert "delete the visits to St Anne's Church (5 visits, 2024-04 to 2024-05)" in sp["remedy"]


def test_location_on_four_days_is_not_assessed(tmp_path):
    p = Person()
    for offset in range(4):
        day = MONDAY + dt.timedelta(days=offset)
        p.stay(HOME, at(day, 0), at(day, 23))
        p.visit("St Anne's Church", CHURCH, at(day, 18), at(day, 19))
    report = p.report(tmp_path)
    reasons = not_assessed(report)
    for fid in ("home_work", "uniqueness", "sensitive_places"):
        assert reasons[fid].startswith("location on 4 days; at least 14 needed"), reasons[fid]
        assert fid not in by_id(report)
    assert reasons["daily_schedule"].startswith("own activity on 0 days and location on 4 days")


def gamer(hours: int, first_hour: int, nights: int = 20) -> Person:
    p = Person()
    for offset in range(nights):
        day = MONDAY + dt.timedelta(days=offset)
        for h in range(hours):
            for minute in (0, 20, 40):
                p.watch("Minecraft lets play ranked", at(day, first_hour + h, minute))
        for hour in range(9, 19):
            p.search(f"weather {hour}", at(day, hour))
    return p


def test_gamer_five_hours_a_day_is_strong_screen_time(tmp_path):
    report = gamer(5, 18).report(tmp_path)
    st = by_id(report)["screen_time"]
    assert st["strength"] == "strong"
    assert st["measures"]["hours_per_screen_day"] == 5.0 and st["measures"]["screen_days"] == 20
    assert st["measures"]["late_nights"] == 0
    assert "about 5.0 hours of games and video a day" in st["statement"]
    assert "'Minecraft lets play ranked' (300)" in st["remedy"] and "pause YouTube watch history" in st["remedy"]
    assert_real_evidence(st)
    assert "daily_schedule" in clear_ids(report)


def test_the_latest_videos_are_shown_and_not_looked_for_when_every_watch_is_a_game(tmp_path):
    """Five hours of video a day: the latest non-game videos are the evidence. A gamer's watches are all
    games: no video is searched for (the walk back through every record's time would find none)."""
    p = Person()
    for offset in range(20):
        day = MONDAY + dt.timedelta(days=offset)
        for h in range(5):
            for minute in (0, 20, 40):
                p.watch(f"Cooking with Ana part {offset}-{h}-{minute}", at(day, 18 + h, minute))
        for hour in range(9, 19):
            p.search(f"weather {hour}", at(day, hour))
    videos = [e["excerpt"] for e in by_id(p.report(tmp_path / "video"))["screen_time"]["evidence"]
              if e["excerpt"].startswith("video: ")]
    assert videos == [f"video: Watched Cooking with Ana part 19-4-{m}" for m in (40, 20, 0)] + [
        "video: Watched Cooking with Ana part 19-3-40"]

    vault = make_vault(tmp_path / "games.sqlite", gamer(5, 18).records)
    with sql_trace() as statements:
        st = by_id(build_report(vault, tz="Europe/London", use_cache=False))["screen_time"]
    assert st["strength"] == "strong" and not [e for e in st["evidence"] if e["excerpt"].startswith("video: ")]
    assert any("temp.dv_games" in s for s in statements), "the trace must see the screen-time queries"
    assert not [s for s in statements if "ORDER BY ts DESC LIMIT 4" in s]


def test_a_youtube_only_history_samples_no_searches_or_pages_it_does_not_have(tmp_path):
    """Only YouTube watches: the searches and pages sources have no record, which the activities rollup says;
    their language samples (each a walk back through every record's time) are not taken."""
    p = Person()
    for offset in range(20):
        for h in range(12):
            p.watch(f"Minecraft lets play ranked {h}", at(MONDAY + dt.timedelta(days=offset), 10 + h))
    vault = make_vault(tmp_path / "yt.sqlite", p.records)
    with sql_trace() as statements:
        report = build_report(vault, tz="Europe/London", use_cache=False)
    samples = [s for s in statements if "FROM rec_activities WHERE (" in s and "ORDER BY ts DESC LIMIT" in s]
    assert samples and all("(action = 'watched')" in s for s in samples), samples
    assert by_id(report)["screen_time"]["measures"]["screen_days"] == 20


def test_a_third_of_an_hour_of_video_a_day_is_not_idleness(tmp_path):
    p = Person()
    for offset in range(30):
        day = MONDAY + dt.timedelta(days=offset)
        p.watch("BBC News at six", at(day, 18))
        for hour in range(9, 19):
            p.search(f"train times {hour}", at(day, hour))
    report = p.report(tmp_path)
    assert "screen_time" not in by_id(report)
    checked = next(c for c in report["clear"] if c["id"] == "screen_time")["checked"]
    assert checked.startswith("about 0.3 hours of games and video a day on the 30 days with any")


def test_late_night_gaming_depends_on_the_zone(tmp_path):
    """One hour of games at 01:00 London on 20 nights: late nights there; 20:00 in New York, no evidence."""
    p = gamer(1, 1)
    vault = make_vault(tmp_path / "v.sqlite", p.records)
    london = by_id(build_report(vault, tz="Europe/London"))["screen_time"]
    assert london["measures"]["late_nights"] == 20 and london["strength"] == "strong"
    assert "games or video between 00:00 and 05:00 on 20 nights" in london["statement"]
    ny = build_report(vault, tz="America/New_York")
    assert "screen_time" not in by_id(ny) and "screen_time" in clear_ids(ny)


def test_few_actions_are_not_assessed(tmp_path):
    p = Person()
    for offset in range(20):
        p.watch("Minecraft lets play", at(MONDAY + dt.timedelta(days=offset), 20))
    reasons = not_assessed(p.report(tmp_path))
    assert reasons["screen_time"] == "own activity on 20 days (20 actions); at least 14 days and 200 actions needed"


def test_parent_up_with_a_baby_is_a_schedule_not_idleness(tmp_path):
    p = Person()
    for offset in range(21):
        day = MONDAY + dt.timedelta(days=offset)
        for minute in (0, 15, 30):
            p.chat(f"baby awake again {minute}", at(day, 3, minute))
        for hour in range(8, 20):
            p.search(f"nappy size {hour}", at(day, hour))
    report = p.report(tmp_path)
    sched = by_id(report)["daily_schedule"]
    assert sched["measures"]["active_nights"] == 21
    assert "between 00:00 and 05:00, on 21 nights" in sched["statement"]
    assert any(e["table"] == "messages" for e in sched["evidence"])
    assert_real_evidence(sched)
    assert "screen_time" not in by_id(report)


@pytest.mark.parametrize("name, category", [
    ("St Anne's Church", "place_of_worship"),
    ("Chapel Allerton Lawn Tennis Club", None),
    ("Chapel Allerton", None),
    ("Church Street Dental", "clinic"),
    ("12 Chapel Lane", None),
    ("Church of St Anne", "place_of_worship"),
    ("St James's University Hospital", "clinic"),
    ("Leeds General Infirmary, Sexual Health Clinic", "clinic"),
    ("Hospital Car Park", None),
    ("Temple Newsam", None),
    ("Iglesia de San José", "place_of_worship"),
    ("Calle de la Iglesia 5", None),
    ("Parroquia Santa María", "place_of_worship"),
    ("Rue de l'Église", None),
    ("Église Saint-Pierre", "place_of_worship"),
    ("Hôpital Necker", "clinic"),
    ("Pharmacie du Centre", "clinic"),
    ("Marienkirche", "place_of_worship"),
    ("Kirchstraße 5", None),
    ("Universitätsklinikum Köln", "clinic"),
    ("Zahnarztpraxis Dr. Weber", "clinic"),
    ("Mezquita Central", "place_of_worship"),
    ("Pride Park Stadium", None),
    ("Hyde Park Union Office (GMB)", "union_office"),
])
def test_proper_name_guard(name, category):
    rules = load_rules()
    ctx = Ctx(sqlite3.connect(":memory:"), rules, Clock(LONDON, 2024, 2024))
    hit = place_guard(ctx).classify(name)
    assert (hit[0].category if hit else None) == category


def test_maps_searches_keep_counting_with_the_guard(tmp_path):
    p = Person()
    for i, title in enumerate(["St Anne's Church", "church near me", "Chapel Allerton tennis courts",
                               "12 Chapel Lane"]):
        p.records.append(Activity(time=f"2024-04-0{i + 1}T10:00:00Z", platform="google", product="Maps",
                                  action="searched", title=f"Searched for {title}",
                                  source_file="Takeout/My Activity/Maps/MyActivity.json", locator=f"[{i}]",
                                  key=("m", i)))
    report = p.report(tmp_path)
    sp = by_id(report)["sensitive_places"]
    assert sp["measures"]["place_of_worship"] == 2
    assert sp["sensitive"] == ["religion"]
    assert "Visits were not read: no location history imported" in sp["statement"]
    assert sorted(e["locator"] for e in sp["evidence"]) == ["[0]", "[1]"]


def test_daily_schedule_is_registered():
    assert "daily_schedule" in set().union(*FINDING_IDS.values())


def test_uniqueness_top_points_are_the_areas_and_local_hours_seen_on_the_most_days_in_the_records(tmp_path):
    # the rollup keeps 1 km areas (an 8,000,000-point walk made a rollup of 100 m cells almost as large as the
    # records, and its grouping a temporary b-tree of several hundred MB); what uniqueness reads from it must be
    # what the records themselves say: per (area, local hour), points summed and the larger of the weekday and
    # the weekend days
    from collections import defaultdict

    from datavault.findings import places, rollup

    vault = make_vault(tmp_path / "v.sqlite", nurse().records)  # home and hospital, day and night
    build_report(vault, tz="Europe/London")
    conn = sqlite3.connect(vault)
    ctx = Ctx(conn, load_rules(), Clock(LONDON, 2024, 2024))
    groups: dict = defaultdict(lambda: [0, set()])
    for lat, lon, ts, time in conn.execute("SELECT lat, lon, CAST(ts AS INTEGER), time FROM rec_locations "
                                           "WHERE ts IS NOT NULL AND lat IS NOT NULL AND lon IS NOT NULL"):
        hb, blk = ts // 3600, ts // 3600 // rollup.BLOCK_HOURS
        instant = time.endswith("Z") or time[-6] in "+-"
        lhow = (hb % 168 + ctx.clock.shift_hours((blk * rollup.BLOCK_HOURS + rollup.BLOCK_HOURS // 2) * 3600,
                                                 instant) + 168) % 168
        group = groups[(round(round(lat, 3), 2), round(round(lon, 3), 2), lhow % 24, (lhow // 24 + 3) % 7 >= 5)]
        group[0] += 1
        group[1].add(hb // 24)
    totals: dict = defaultdict(lambda: [0, 0])
    for (lat, lon, hour, _), (n, days) in groups.items():
        totals[(lat, lon, hour)][0] += n
        totals[(lat, lon, hour)][1] = max(totals[(lat, lon, hour)][1], len(days))
    expected = sorted(((lat, lon, hour, n, days) for (lat, lon, hour), (n, days) in totals.items()),
                      key=lambda r: (-r[4], -r[3], r[0], r[1], r[2]))[:6]
    got = places.top_points(ctx, 2, 6)
    assert [(p["lat"], p["lon"], p["hour"], p["n"], p["days"]) for p in got] == expected and len(expected) == 6
    # each point's evidence: rowids of records in its area
    for p in got:
        assert p["rows"] and {tuple(conn.execute("SELECT round(round(lat, 3), 2), round(round(lon, 3), 2) FROM "
                                                 "rec_locations WHERE rowid = ?", (rowid,)).fetchone())
                              for _, rowid in p["rows"]} == {(p["lat"], p["lon"])}
    assert conn.execute(f"SELECT count(*) FROM {rollup.AREA_WEEKS} WHERE clat != round(clat, 2) "
                        "OR clon != round(clon, 2)").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'dv_roll_cell_weeks'").fetchone()[0] == 0
