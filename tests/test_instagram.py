"""The Instagram importer against project-written exports of each generation (INSTAGRAM.md): the 2018-2020
standalone download (flat files), its December 2020 variant with Messenger-shaped messages, the 2021 topic
folders with Dutch and German labels, the Accounts Center export of 2025-2026 (label_values lists), a download in
two parts, an HTML download (refused with what to do), an export of an unknown layout (read as far as possible),
and broken files. Fixtures are built in the test (tests/ig_fixtures.py) and zipped on the fly."""

from __future__ import annotations

import io
import json
import sqlite3

from rich.console import Console

from datavault.inventory import read_inventory, render_inventory
from datavault.pipeline import import_paths
from datavault.records import Activity, Location, Message, Person, PlatformInference, Post, ProfileFact
from datavault.importers import IMPORTERS
from datavault.importers.instagram import HTML_MESSAGE, IMPORTER
from tests.fb_fixtures import run_importer, whole, write_zip
from tests.ig_fixtures import ANA, IG_A, IG_E, ME, sld, smd, thread

E_PROFILE = "personal_information/personal_information/personal_information.json"
E_THREAD = "your_instagram_activity/messages/inbox/anaperez_17845000000000000/message_1.json"


def rows(result, cls, *fields):
    return [tuple(getattr(r, f) for f in fields) for r in result.of(cls)]


def plain_json(files: dict) -> dict:
    """IG-A files were plain UTF-8 JSON (no mojibake before December 2020, INSTAGRAM.md section 8)."""
    return {k: v if isinstance(v, bytes) else json.dumps(v, ensure_ascii=False) for k, v in files.items()}


def ig(result, cls):
    return [whole(r) for r in result.of(cls)]


# --------------------------------------------------------------------------------- IG-E: Accounts Center

def test_instagram_comes_before_facebook_in_the_registry():
    names = [i.name for i in IMPORTERS]
    assert names.index("instagram") < names.index("facebook")


def test_accounts_center_export_every_table(tmp_path):
    result = run_importer(write_zip(tmp_path / "instagram-sam.rivera-2025-10-12-AbCdEf12.zip", IG_E),
                          importer=IMPORTER)
    assert ig(result, Message) == [
        {"key": ("fb-msg", "anaperez_17845000000000000", "1700000200000", ME, 0), "locator": "messages[0]",
         "extra": None, "source_file": E_THREAD, "time": "2023-11-14T22:16:40Z", "platform": "instagram",
         "conversation": ANA, "sender": ME, "text": "¡Hola! 😀", "kind": "text", "from_owner": True,
         "edited": False},
        {"key": ("fb-msg", "anaperez_17845000000000000", "1700000100000", "Ana P\u00c3\u00a9rez", 0),
         "locator": "messages[1]", "source_file": E_THREAD, "time": "2023-11-14T22:15:00Z",
         "extra": {"share": {"link": "https://www.instagram.com/reel/abc/", "original_content_owner": "some.creator"}},
         "platform": "instagram", "conversation": ANA, "sender": ANA, "text": None, "kind": "other",
         "from_owner": False, "edited": False},
    ]
    assert rows(result, Person, "name", "relation", "since", "source_file") == [
        ("ana.perez", "follower", "2023-11-14T22:13:20Z", "connections/followers_and_following/followers_1.json"),
        ("jo_lee", "follower", "2023-11-14T22:21:40Z", "connections/followers_and_following/followers_1.json"),
        # IG-E following: the username only in title, the link in the _u/ form
        ("ana.perez", "following", "2023-11-14T19:26:40Z", "connections/followers_and_following/following.json"),
        ("ana.perez", "close_friend", "2023-11-26T12:00:00Z",
         "connections/followers_and_following/close_friends.json"),
        (ANA, "chat_participant", None, E_THREAD),
    ]
    assert rows(result, Post, "kind", "time", "text", "target", "extra") == [
        ("post", "2024-09-10T20:26:40Z", "Día de playa 🌊", None,
         {"media": ["media/posts/202409/1_179.heic"], "cross_post_source": ["FB"]}),
        ("story", "2024-09-12T00:13:20Z", None, None, {"media": ["media/stories/202409/s1"]}),
        ("comment", "2024-09-13T04:00:00Z", "Qué bonito", "ana.perez", {"on": "post"}),
        ("reaction", "2024-09-14T07:46:40Z", "like", "jo_lee",
         {"liked": "post", "url": "https://www.instagram.com/p/XYZ/"}),
        ("saved", "2024-09-15T11:33:20Z", None, "recipes.daily", {"url": "https://www.instagram.com/p/SAV/"}),
        ("search", "2024-09-16T15:20:00Z", "baby stroller", None, {"search_type": "keyword"}),
    ]
    assert ig(result, Location) == [
        {"key": ("fb-exif", "media/posts/202409/1_179.heic"), "locator": "[0].media[0]",
         "extra": {"source": "photo EXIF", "uri": "media/posts/202409/1_179.heic"},
         "source_file": "your_instagram_activity/media/posts_1.json", "time": "2024-09-10T20:26:40Z", "lat": 36.72,
         "lon": -4.42, "kind": "point", "end_time": None, "accuracy_m": None, "place_name": None,
         "semantic_type": None, "mode": None, "platform": "instagram"}]
    assert rows(result, Activity, "product", "action", "title", "url", "time") == [
        ("Instagram browser", "visited", "Prams – Shop", "https://shop.example.com/pram", "2024-09-17T19:06:40Z"),
        ("Off-Meta", "purchased", "Pram Shop", None, "2024-09-18T22:53:20Z"),
        ("Instagram", "viewed", "post by jo_lee", None, "2024-09-20T02:40:00Z"),
    ]
    # the profile: Meta's 1919-01-01 default is no birthday; login IP with its user agent, the agent as device
    assert rows(result, ProfileFact, "field", "value", "time") == [
        ("email", "sam@example.org", None), ("phone", "+15550100", None), ("username", "sam.rivera", None),
        ("name", ME, None), ("gender", "female", None), ("bio", "Café lover ☕", None),
        ("ip_address", "203.0.113.7", "2024-09-20T08:00:00Z"),
        ("device", "Instagram 300.0 Android", "2024-09-20T08:00:00Z"),
    ]
    assert result.of(ProfileFact, field="ip_address")[0].extra == {
        "source": "login", "user_agent": "Instagram 300.0 Android", "language": "en", "cookie": "abc"}
    assert rows(result, PlatformInference, "category", "value", "extra") == [
        ("advertiser_with_your_data", "BabyShop", {"uploaded_list": True, "remarketing": False, "store_visit": False}),
        ("topic", "Parenting", None),
        ("off_facebook_activity", "Pram Shop", {"events": 1, "event_types": ["PURCHASE"]}),
        ("primary_location", "Málaga", None),
    ]
    assert {r.platform for r in result.records} == {"instagram"}
    claims = result.claims
    assert claims["media/posts/202409/1_179.heic"].reason.startswith("a photo, video")
    assert claims["logged_information/policy_updates_and_permissions/no-data.txt"].reason == \
        "an empty category: Instagram exported it with no data"
    assert claims["your_instagram_activity/shopping/recently_viewed_items.json"] is None  # listed as unknown
    export = result.note("instagram_export")[0]
    assert (export["generation"], export["format"], export["threads"], export["mojibake_repaired_strings"]) == \
        ("IG-E", "json", 1, 11)
    assert result.problems == []


def test_accounts_center_export_through_the_pipeline_feeds_the_report(tmp_path):
    from datavault.report import build_report

    zipped = write_zip(tmp_path / "instagram-sam.rivera-2025-10-12-AbCdEf12.zip", IG_E)
    vault = tmp_path / "vault.db"
    outcome = import_paths(vault, [zipped])
    assert outcome.errors == [] and [s.platform for s in outcome.sources] == ["instagram"]
    again = import_paths(vault, [zipped])
    assert sum(again.sources[0].new_records.values()) == 0  # re-importing adds nothing
    buffer = io.StringIO()
    render_inventory(read_inventory(vault), Console(file=buffer, width=200))
    assert "Instagram export: IG-E (Accounts Center layout (2025-2026): your_instagram_activity/media/, " \
           "label_values lists), JSON" in buffer.getvalue()
    report = build_report(vault, tz="UTC", use_cache=False)
    conclusions = next(f for f in report["findings"] if f["id"] == "platform_conclusions")
    assert sorted((d["platform"], d["category"], d["label"]) for d in conclusions["details"]) == [
        ("instagram", "advertiser_with_your_data", "BabyShop"), ("instagram", "off_facebook_activity", "Pram Shop"),
        ("instagram", "primary_location", "Málaga"), ("instagram", "topic", "Parenting")]
    exposure = next(f for f in report["findings"] if f["id"] == "personal_exposure")
    assert "203.0.113.7" in json.dumps(exposure)
    with sqlite3.connect(vault) as conn:
        assert conn.execute("SELECT sender, from_owner FROM messages ORDER BY time").fetchall() == [
            (ANA, 0), (ME, 1)]


# ----------------------------------------------------------------------------- IG-A: standalone download

def test_standalone_download_of_2020(tmp_path):
    result = run_importer(write_zip(tmp_path / "sam.rivera_20200316.zip", plain_json(IG_A)), importer=IMPORTER)
    root = "sam.rivera_20200316/"
    assert ig(result, Message) == [
        {"key": ("ig-a-msg", "ana.perez|sam.rivera", "2019-06-03T20:00:00.123456+00:00", "ana.perez", 0),
         "locator": "[0].conversation[0]", "extra": None, "source_file": root + "messages.json",
         "time": "2019-06-03T20:00:00.123456Z", "platform": "instagram", "conversation": "ana.perez",
         "sender": "ana.perez", "text": "Cena mañana?", "kind": "text", "from_owner": False, "edited": False},
        {"key": ("ig-a-msg", "ana.perez|sam.rivera", "2019-06-03T20:05:00+00:00", "sam.rivera", 0),
         "locator": "[0].conversation[1]", "extra": None, "source_file": root + "messages.json",
         "time": "2019-06-03T20:05:00Z", "platform": "instagram", "conversation": "ana.perez",
         "sender": "sam.rivera", "text": "Sí", "kind": "text", "from_owner": True, "edited": False},
        {"key": ("ig-a-msg", "ana.perez|sam.rivera", "2019-06-03T20:06:00+00:00", "ana.perez", 0),
         "locator": "[0].conversation[2]", "extra": {"media_share_url": "https://example.invalid/p.jpg"},
         "source_file": root + "messages.json", "time": "2019-06-03T20:06:00Z", "platform": "instagram",
         "conversation": "ana.perez", "sender": "ana.perez", "text": None, "kind": "media", "from_owner": False,
         "edited": False},
    ]
    assert rows(result, Person, "name", "relation", "since") == [
        ("ana.perez", "follower", "2019-03-01T12:00:00Z"), ("ana.perez", "following", "2019-02-28T09:30:00Z"),
        ("ana.perez", "chat_participant", None)]
    assert rows(result, Activity, "product", "action", "title", "time") == [
        ("Instagram", "followed", "#running", "2019-05-05T05:05:05Z")]
    assert rows(result, Post, "kind", "time", "text", "target", "extra") == [
        ("post", "2019-06-01T07:00:00Z", "Mañana 🌞", None, {"path": "photos/201906/a.jpg"}),
        ("comment", "2019-06-02T08:00:00Z", "Guapa!", "ana.perez", {"on": "post"}),
        ("search", "2019-07-01T10:00:00Z", "kids yoga", None, {"search_type": "main", "type": "hashtag"}),
    ]
    assert rows(result, ProfileFact, "field", "value") == [
        ("username", "sam.rivera"), ("name", ME), ("email", "sam@example.org"),
        ("registered", "2016-02-01T10:00:00+00:00"), ("gender", "female")]
    assert result.claims[root + "settings.json"].reason == "a settings or account-housekeeping file"
    assert result.note("instagram_export")[0]["generation"] == "IG-A"
    assert result.problems == []


def test_december_2020_messenger_shaped_messages_json_is_ig_a_prime(tmp_path):
    files = plain_json({k: v for k, v in IG_A.items() if not k.endswith("messages.json")})
    files["sam.rivera_20200316/messages.json"] = json.dumps([
        {"participants": [{"name": "Ana P\u00c3\u00a9rez"}, {"name": ME}], "thread_path": "inbox/anaperez_99",
         "conversation": [
             {"sender_name": "Ana P\u00c3\u00a9rez", "timestamp_ms": 1608500000000, "content": "Ol\u00c3\u00a1"},
             {"sender_name": ME, "timestamp_ms": 1608500060000, "content": "Hey"}]}])
    result = run_importer(write_zip(tmp_path / "sam.rivera_20210101.zip", files), importer=IMPORTER)
    assert rows(result, Message, "conversation", "sender", "text", "from_owner", "time", "locator") == [
        (ANA, ANA, "Olá", False, "2020-12-20T21:33:20Z", "[0].messages[0]"),
        (ANA, ME, "Hey", True, "2020-12-20T21:34:20Z", "[0].messages[1]")]
    assert result.note("instagram_export")[0]["generation"] == "IG-A'"


# ------------------------------------------------------------------------- IG-B: topic folders, localised

IG_B = {
    "sam_20210901/followers_and_following/followers.json": {"relationships_followers": [sld("ana.perez", 1620000000)]},
    "sam_20210901/information_about_you/ads_interests.json": {"inferred_data_ig_interest": [
        smd(Interesse="Kinderwagens"), smd(Interesse="Yoga")]},
    "sam_20210901/login_and_account_creation/login_activity.json": {"account_history_login_history": [
        {"title": "2021-08-01T10:00:00+00:00", "string_map_data": {
            "IP-Adresse": {"value": "198.51.100.4"}, "Zeit": {"timestamp": 1627812000},
            "User-Agent": {"value": "Mozilla/5.0"}}}]},
    "sam_20210901/messages/inbox/anaperez_1234567890/message_1.json": thread(
        ANA, [ANA, ME], [{"sender_name": ANA, "timestamp_ms": 1625000060000, "content": "Hola"},
                         {"sender_name": ME, "timestamp_ms": 1625000000000, "content": "Buenas"}],
        "inbox/anaperez_1234567890"),
    "sam_20210901/messages/inbox/jolee_222/message_1.json": thread(
        "Jo Lee", ["Jo Lee", ME], [{"sender_name": "Jo Lee", "timestamp_ms": 1625100000000, "content": "Yo"}],
        "inbox/jolee_222"),
    "sam_20210901/recent_searches/account_searches.json": {"searches_user": [smd(Search="ana.perez",
                                                                                  Time=1626000000)]},
}


def test_topic_folder_export_with_localised_labels_and_owner_from_chat_titles(tmp_path):
    result = run_importer(write_zip(tmp_path / "sam_20210901.zip", IG_B), importer=IMPORTER)
    assert rows(result, PlatformInference, "category", "value") == [("interest", "Kinderwagens"),
                                                                     ("interest", "Yoga")]
    assert rows(result, ProfileFact, "field", "value", "time") == [
        ("ip_address", "198.51.100.4", "2021-08-01T10:00:00Z"), ("device", "Mozilla/5.0", "2021-08-01T10:00:00Z")]
    assert rows(result, Post, "kind", "text", "extra") == [("search", "ana.perez", {"search_type": "profile"})]
    assert rows(result, Person, "name", "relation") == [("ana.perez", "follower"), (ANA, "chat_participant"),
                                                        (ME, "chat_participant"), ("Jo Lee", "chat_participant"),
                                                        (ME, "chat_participant")]
    # no profile in the export: the owner is the participant who is not the title of each one-to-one chat
    assert [(d.conversation, d.sender, d.basis) for d in result.decisions] == [
        (ANA, ME, "the participant who is not the title of every one-to-one chat"),
        ("Jo Lee", ME, "the participant who is not the title of every one-to-one chat")]
    assert result.note("instagram_export")[0]["generation"] == "IG-B"


# --------------------------------------------------------------------------------- a download in two parts

def test_two_part_download_decides_the_owner_across_the_parts(tmp_path):
    part1 = write_zip(tmp_path / "instagram-sam.rivera-2025-10-12-AbCdEf12.zip", {
        E_PROFILE: IG_E[E_PROFILE],
        "connections/followers_and_following/followers_1.json": [sld("ana.perez", 1700000000)]})
    part2 = write_zip(tmp_path / "instagram-sam.rivera-2025-10-12-GhIjKl34.zip", {
        E_THREAD: IG_E[E_THREAD], "media/posts/202409/1_179.heic": b"\x00"})
    vault = tmp_path / "vault.db"
    outcome = import_paths(vault, [part1, part2])
    assert outcome.errors == [] and [s.platform for s in outcome.sources] == ["instagram", "instagram"]
    with sqlite3.connect(vault) as conn:
        assert conn.execute("SELECT sender, from_owner FROM messages ORDER BY time").fetchall() == [
            (ANA, 0), (ME, 1)]
    owner = outcome.sources[1].notes["owner"]
    assert [(o["conversation"], o["sender"], o["basis"]) for o in owner] == [
        (ANA, ME, "the export's profile names the account owner")]
    assert outcome.sources[1].notes["instagram_export"]["parts"] == 2


# ----------------------------------------------------------------------------------------- HTML download

def test_html_download_is_refused_with_what_to_do(tmp_path):
    from typer.testing import CliRunner

    from datavault.cli import app

    zipped = write_zip(tmp_path / "instagram-sam.rivera-2026-01-05-Html0001.zip", {
        "start_here.html": "<html><body>Your information</body></html>",
        "your_instagram_activity/likes/liked_posts.html": "<html><main><div class='_a6-g'>x</div></main></html>",
        "connections/followers_and_following/followers_1.html": "<html></html>",
        "media/posts/202601/1.jpg": b"\xff\xd8\xff"})
    assert set(run_importer(zipped, importer=IMPORTER).claims.values()) == {None}
    outcome = import_paths(tmp_path / "vault.db", [zipped])
    assert outcome.errors == [f"{zipped.name}: {HTML_MESSAGE}"]
    result = CliRunner().invoke(app, ["--vault", str(tmp_path / "v2.db"), "import", str(zipped)])
    assert result.exit_code == 1 and "request a new download in JSON format" in result.output
    assert "Traceback" not in result.output


# ------------------------------------------------------------------------------- unknown layout, bad input

def test_export_of_an_unknown_generation_is_read_as_far_as_possible(tmp_path):
    top = "instagram-sam-2027-03-01-Zz9/"
    zipped = write_zip(tmp_path / "instagram-sam-2027-03-01-Zz9.zip", {
        top + "people_2027/who_you_follow.json": {"relationships_following": [sld("ana.perez", 1800000000)]},
        top + "ads_2027/instagram_ads_and_businesses/what_we_think.json": {"inferred_data_ig_interest": [
            smd(Interest="Running")]},
        top + "ads_2027/instagram_ads_and_businesses/brand_new.json": {"ig_brand_new_feature_2027": [{"x": 1}]},
        top + "people_2027/followers_list.json": [sld("jo_lee", 1800000100)],
        top + "dms/inbox/ana_1/message_1.json": thread(ANA, [ANA, ME], [
            {"sender_name": ANA, "timestamp_ms": 1800000200000, "content": "Bom dia!"},
            {"sender_name": ME, "timestamp_ms": 1800000300000, "content": "Hi Ana"}], "inbox/ana_1"),
        top + "people_2027/cut.json": '{"relationships_followers": [{"title": "", "string_list_data": [{"val',
    })
    vault = tmp_path / "vault.db"
    outcome = import_paths(vault, [zipped])
    assert outcome.errors == []
    source = outcome.sources[0]
    assert source.platform == "instagram"
    # the DM thread under a folder name no generation used is still read: its shape is Messenger's
    assert source.records == {"messages": 2, "people": 3, "platform_inferences": 1}
    assert source.statuses == {"parsed": 4, "unknown": 2}
    assert source.notes["instagram_export"]["generation"] is None
    assert any("folder layout is not one datavault knows" in w for w in source.notes["warnings"])
    inventory = read_inventory(vault)
    files = {f["member"].split("/", 1)[1]: f for f in inventory["sources"][0]["files"]}
    assert files["people_2027/cut.json"]["problems"] == 1 and files["people_2027/cut.json"]["status"] == "parsed"
    assert files["dms/inbox/ana_1/message_1.json"]["status"] == "parsed"
    conn = sqlite3.connect(vault)
    try:
        assert conn.execute("SELECT time, platform, conversation, sender, from_owner, text, locator FROM messages "
                            "ORDER BY ts").fetchall() == [
            ("2027-01-15T08:03:20Z", "instagram", ANA, ANA, 0, "Bom dia!", "messages[0]"),
            ("2027-01-15T08:05:00Z", "instagram", ANA, ME, 1, "Hi Ana", "messages[1]")]
    finally:
        conn.close()
    assert files["ads_2027/instagram_ads_and_businesses/brand_new.json"]["status"] == "unknown"


def test_records_of_unknown_shapes_are_reported_and_the_rest_kept(tmp_path):
    zipped = write_zip(tmp_path / "instagram-x.zip", {
        "connections/followers_and_following/following.json": {"relationships_following": [
            sld("ana.perez", 1700000000), "not a record", {"title": "", "string_list_data": []}]},
        "your_instagram_activity/media/posts_1.json": [{"media": [], "creation_timestamp": 1}, 7],
        "your_instagram_activity/weird.json": {"relationships_followers": {"unexpected": True}},
    })
    result = run_importer(zipped, importer=IMPORTER)
    assert rows(result, Person, "name", "relation") == [("ana.perez", "following")]
    assert [(m, p.locator, p.message) for m, p in result.problems] == [
        ("connections/followers_and_following/following.json", "relationships_following[1]",
         "a following entry of an unknown shape was skipped"),
        ("connections/followers_and_following/following.json", "relationships_following[2]",
         "a following entry without a username was skipped"),
        ("your_instagram_activity/media/posts_1.json", "[0]", "a post entry without media or caption was skipped"),
        ("your_instagram_activity/media/posts_1.json", "[1]", "a post entry that is not an object was skipped"),
        ("your_instagram_activity/weird.json", "relationships_followers",
         "a follower entry of an unknown shape was skipped"),
    ]


def test_a_messages_only_download_is_told_apart_by_its_archive_name(tmp_path):
    """messages/inbox/<thread>/message_1.json is both products' path: Meta's name for the zip decides, so an
    Instagram download of messages alone is Instagram's (no Messenger warning), a facebook-... one Facebook's."""
    files = {"messages/inbox/ana_1/message_1.json": thread(ANA, [ANA, ME], [
        {"sender_name": ANA, "timestamp_ms": 1700000000000, "content": "Bom dia!"},
        {"sender_name": ME, "timestamp_ms": 1700000100000, "content": "Hi Ana"}], "inbox/ana_1")}
    platforms = {}
    for name in ("instagram-sam.rivera-2024-01-05-AbCd.zip", "facebook-samrivera-2024-01-05-AbCd.zip"):
        outcome = import_paths(tmp_path / f"{name}.db", [write_zip(tmp_path / name, files)])
        assert outcome.errors == []
        source = outcome.sources[0]
        assert source.records == {"messages": 2, "people": 2}
        platforms[name.split("-")[0]] = (source.platform, any("Messenger" in w for w in source.notes.get(
            "warnings", [])))
    assert platforms == {"instagram": ("instagram", False), "facebook": ("facebook", True)}


def test_facebook_export_is_left_to_the_facebook_importer(tmp_path):
    zipped = write_zip(tmp_path / "facebook-sam-2024.zip", {
        "messages/inbox/jordan_1/message_1.json": thread("Jordan", ["Jordan", ME], [
            {"sender_name": "Jordan", "timestamp_ms": 1700000000000, "content": "hi"}], "inbox/jordan_1"),
        "friends_and_followers/friends.json": {"friends_v2": [{"name": "Jordan", "timestamp": 1600000000}]}})
    assert set(run_importer(zipped, importer=IMPORTER).claims.values()) == {None}
    outcome = import_paths(tmp_path / "vault.db", [zipped])
    assert [s.platform for s in outcome.sources] == ["facebook"]


def test_a_layout_is_worked_out_per_archive_name_too():
    """The same paths under two archive names are two layouts: Messenger threads alone are Instagram's in an
    ``instagram-*.zip`` and Facebook's otherwise, whichever was asked first (the layouts are cached)."""
    from datavault.importers.facebook.layout import layout_of as facebook_layout
    from datavault.importers.instagram.layout import layout_of as instagram_layout

    names = frozenset({"messages/inbox/ana_1/message_1.json"})
    for layout_of in (facebook_layout, instagram_layout):
        assert layout_of(names, "instagram-sam-2025-10-12-AbCd.zip").instagram
        assert not layout_of(names, "messages.zip").instagram
        assert layout_of(names, "instagram-sam-2025-10-12-AbCd.zip").instagram
