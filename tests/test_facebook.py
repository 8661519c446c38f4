"""The Facebook importer against project-written exports of every generation (2018 flat, _v2 keys, 2022
regrouping, 2024 your_facebook_activity/, 2026 label_values lists), the E2EE secure-storage download, an HTML
export, an Instagram export, and broken input. Fixtures are built in the test and zipped on the fly."""

from __future__ import annotations

import json
import sqlite3

import pytest

from datavault.pipeline import import_paths
from datavault.records import Activity, Location, Message, Person, PlatformInference, Post, ProfileFact
from datavault.importers.facebook.text import repair
from tests.fb_fixtures import fb_json, mojibake, run_importer, whole, write_zip

# ---------------------------------------------------------------------------------------------------- mojibake


@pytest.mark.parametrize("text", [
    "José Müller", "Đinh Thị Hương", "北京欢迎你", "こんにちは", "👍🏽", "👩‍👩‍👧‍👦 family",
    "🏳️‍🌈 pride", "São Paulo ÃO", "❤️", "a\nb\tc", "",
])
def test_repair_undoes_facebooks_mojibake(text):
    assert repair(mojibake(text)) == text


def test_repair_keeps_text_that_needs_none_untouched():
    for text in ("plain ascii", "already correct: José 北京 👍", "genuine Ã alone", "NÃO", "café", "©tat"):
        assert repair(text) == text
    same = "correct ü already"
    assert repair(same) is same


def test_repair_works_character_by_character_in_mixed_strings():
    broken = mojibake("José") + " and correct 北京 and " + mojibake("😡") + " and a lone Ã."
    assert repair(broken) == "José and correct 北京 and 😡 and a lone Ã."


def test_repair_never_drops_characters_of_invalid_sequences():
    # a lead byte without its continuation, an overlong form, a truncated emoji at the end
    for text in ("\u00c3", "\u00c3x", "\u00c0\u00af", "ok \u00f0\u009f\u0098"):
        assert repair(text) == text


def test_genuine_a_tilde_written_by_facebook_is_restored():
    # Facebook writes a real "Ã" (C3 83) as two escapes; it must come back as one "Ã", not be left or lost
    assert repair(mojibake("NÃO É")) == "NÃO É"


def test_fast_millisecond_times_match_the_general_conversion():
    from datavault.timeutil import from_epoch_ms
    from datavault.importers.facebook.messages import iso_ms
    for ms in (0, 1, 999, 1000, 1596910928321, 1600000200000, 4102444799999, 951782400123):
        assert iso_ms(ms) == from_epoch_ms(ms)


# ------------------------------------------------------------------------------------------------- G1 (2018)

G1 = {
    "facebook-samrivera/friends/friends.json": {"friends": [
        {"name": "Jordan Lee", "timestamp": 1514764800},
        {"name": "Ana Costa", "timestamp": 1520000000, "contact_info": "ana.costa@example.pt"}]},
    "facebook-samrivera/friends/removed_friends.json": {"deleted_friends": [
        {"name": "Old Pal", "timestamp": 1510000000}]},
    "facebook-samrivera/ads/ads_interests.json": {
        "topics": ["Parenting", "Trade union"], "custom_audiences": [], "lead_gen_info": [], "history": []},
    "facebook-samrivera/ads/advertisers_who_uploaded_a_contact_list_with_your_information.json": {
        "topics": [], "custom_audiences": ["Nappy World"], "lead_gen_info": [], "history": []},
    "facebook-samrivera/ads/advertisers_you've_interacted_with.json": {
        "topics": [], "custom_audiences": [], "lead_gen_info": [],
        "history": [{"title": "Little Acorns Nursery", "action": "Clicked ad", "timestamp": 1525000000}]},
    "facebook-samrivera/search_history/your_search_history.json": {"searches": [
        {"timestamp": 1526000000, "data": [{"text": "toddler fever"}], "title": "You searched Facebook"}]},
    "facebook-samrivera/posts/your_posts.json": {"status_updates": [
        {"timestamp": 1527000000, "data": [{"post": "Café day ☕"}], "title": "Sam Rivera updated her status."}]},
    "facebook-samrivera/about_you/friend_peer_group.json": {"friend_peer_group": "Established Adult Life"},
    "facebook-samrivera/photos_and_videos/album/0.jpg": b"\xff\xd8\xff",
}


def test_g1_flat_export(tmp_path):
    result = run_importer(write_zip(tmp_path / "facebook-samrivera.zip", G1))
    base = "facebook-samrivera/"
    assert [whole(p) for p in result.of(Person)] == [
        {"name": "Jordan Lee", "platform": "facebook", "relation": "friend", "since": "2018-01-01T00:00:00Z",
         "phones": [], "emails": [], "key": ("fb-person", "friend", "Jordan Lee"), "locator": "friends[0]",
         "extra": None, "source_file": base + "friends/friends.json"},
        {"name": "Ana Costa", "platform": "facebook", "relation": "friend", "since": "2018-03-02T14:13:20Z",
         "phones": [], "emails": ["ana.costa@example.pt"], "key": ("fb-person", "friend", "Ana Costa"),
         "locator": "friends[1]", "extra": None, "source_file": base + "friends/friends.json"},
        {"name": "Old Pal", "platform": "facebook", "relation": "removed_friend", "since": "2017-11-06T20:26:40Z",
         "phones": [], "emails": [], "key": ("fb-person", "removed_friend", "Old Pal"),
         "locator": "deleted_friends[0]", "extra": None, "source_file": base + "friends/removed_friends.json"},
    ]
    inferences = [(i.category, i.value, i.time, i.extra, i.locator) for i in result.of(PlatformInference)]
    assert sorted(inferences, key=str) == sorted([
        ("interest", "Parenting", None, None, "topics[0]"),
        ("interest", "Trade union", None, None, "topics[1]"),
        ("advertiser_with_your_data", "Nappy World", None, {"uploaded_list": True}, "custom_audiences[0]"),
        ("advertiser_interacted", "Little Acorns Nursery", "2018-04-29T11:06:40Z", {"action": "Clicked ad"},
         "history[0]"),
        ("friend_peer_group", "Established Adult Life", None, None, "friend_peer_group"),
    ], key=str)
    assert [whole(p) for p in result.of(Post)] == [
        {"time": "2018-05-11T00:53:20Z", "platform": "facebook", "kind": "search", "text": "toddler fever",
         "target": None, "key": ("fb-search", "search", "1526000000", 0), "locator": "searches[0]",
         "extra": {"title": "You searched Facebook"},
         "source_file": base + "search_history/your_search_history.json"},
        {"time": "2018-05-22T14:40:00Z", "platform": "facebook", "kind": "post", "text": "Café day ☕",
         "target": None, "key": ("fb-post", "post", "1527000000", 0), "locator": "status_updates[0]",
         "extra": {"title": "Sam Rivera updated her status."}, "source_file": base + "posts/your_posts.json"},
    ]
    assert result.claims[base + "photos_and_videos/album/0.jpg"].reason.startswith("a photo, video")
    export = result.note("facebook_export")[0]
    assert export["generation"] == "G1" and export["format"] == "json"
    assert result.problems == []


# ----------------------------------------------------------------------------------------------- G2 (_v2 keys)

def thread(title, participants, messages, path):
    return {"participants": [{"name": p} for p in participants], "messages": messages, "title": title,
            "is_still_participant": True, "thread_type": "RegularGroup" if len(participants) > 2 else "Regular",
            "thread_path": path}


G2_THREAD_1 = thread("Família Costa", ["Sam Rivera", "Ana Costa", "Zoë Ćirić"], [
    {"sender_name": "Ana Costa", "timestamp_ms": 1600000300000, "content": "Até já! 👋", "type": "Generic",
     "reactions": [{"reaction": "❤", "actor": "Sam Rivera"}]},
    {"sender_name": "Sam Rivera", "timestamp_ms": 1600000200000, "photos": [
        {"uri": "messages/archived_threads/familiacosta_ab12/photos/1.jpg", "creation_timestamp": 1600000200}],
     "type": "Generic"},
    {"sender_name": "Zoë Ćirić", "timestamp_ms": 1600000100000, "content": "Zoë added Ana to the group.",
     "type": "Subscribe", "users": [{"name": "Ana Costa"}]},
], "archived_threads/FamiliaCosta_ab12")
G2_THREAD_2 = thread("Família Costa", ["Sam Rivera", "Ana Costa", "Zoë Ćirić"], [
    {"sender_name": "Sam Rivera", "timestamp_ms": 1599999900000, "call_duration": 65, "type": "Call",
     "content": "Sam started a call."},
    {"sender_name": "Ana Costa", "timestamp_ms": 1599999800000, "is_unsent": True, "type": "Generic"},
    {"sender_name": "Ana Costa", "timestamp_ms": 1599999700000, "share": {"link": "https://example.org/a"},
     "content": "Olha isto", "type": "Share"},
], "archived_threads/FamiliaCosta_ab12")

G2 = {
    "friends_and_followers/friends.json": {"friends_v2": [{"name": "Zoë Ćirić", "timestamp": 1580000000}]},
    "friends_and_followers/who_you_follow.json": {"following_v2": [{"name": "Leeds Parents", "timestamp": 1581000000}]},
    "your_topics/your_topics.json": {"inferred_topics_v2": ["Childcare", "Labour unions"]},
    "ads_and_businesses/advertisers_using_your_activity_or_information.json": {"custom_audiences_all_types_v2": [
        {"advertiser_name": "Nappy World", "has_data_file_custom_audience": True,
         "has_remarketing_custom_audience": False, "has_in_person_store_visit": False}]},
    "ads_and_businesses/your_off-facebook_activity.json": {"off_facebook_activity_v2": [
        {"name": "babyshop.example", "events": [{"id": 77, "type": "PURCHASE", "timestamp": 1590000000},
                                                 {"id": 77, "type": "PAGE_VIEW", "timestamp": 1589990000}]}]},
    "comments_and_reactions/comments.json": {"comments_v2": [
        {"timestamp": 1585000000, "data": [{"comment": {"timestamp": 1585000000, "comment": "Parabéns!",
                                                        "author": "Sam Rivera", "group": "Parents of Room 3"}}],
         "title": "Sam Rivera commented on a post in Parents of Room 3."}]},
    "comments_and_reactions/posts_and_comments.json": {"reactions_v2": [
        {"timestamp": 1586000000, "data": [{"reaction": {"reaction": "LIKE", "actor": "Sam Rivera"}}],
         "title": "Sam Rivera likes GMB Union's post."}]},
    "groups/your_group_membership_activity.json": {"groups_joined_v2": [
        {"timestamp": 1570000000, "data": [{"name": "GMB Yorkshire Members"}],
         "title": "Sam Rivera became a member of GMB Yorkshire Members."}]},
    "pages/pages_you've_liked.json": {"page_likes_v2": [
        {"name": "Workers' Party of Leeds", "timestamp": 1571000000}]},
    "events/your_event_responses.json": {"event_responses_v2": {
        "events_joined": [{"name": "May Day March", "start_timestamp": 1588320000, "end_timestamp": 0,
                           "place": {"name": "Victoria Gardens",
                                     "coordinate": {"latitude": 53.8008, "longitude": -1.5491}}}],
        "events_declined": [], "events_interested": []}},
    "messages/archived_threads/FamiliaCosta_ab12/message_1.json": G2_THREAD_1,
    "messages/archived_threads/FamiliaCosta_ab12/message_2.json": G2_THREAD_2,
    "messages/stickers_used/sticker.png": b"\x89PNG",
}


def test_g2_export_messages_social_and_inferences(tmp_path):
    result = run_importer(write_zip(tmp_path / "export.zip", G2))
    msgs = [whole(m) for m in result.of(Message)]
    one = "messages/archived_threads/FamiliaCosta_ab12/message_1.json"
    two = "messages/archived_threads/FamiliaCosta_ab12/message_2.json"
    assert msgs == [
        {"time": "2020-09-13T12:31:40Z", "platform": "facebook", "conversation": "Família Costa",
         "sender": "Ana Costa", "text": "Até já! 👋", "kind": "text", "from_owner": None, "edited": False,
         "key": ("fb-msg", "familiacosta_ab12", "1600000300000", "Ana Costa", 0), "locator": "messages[0]",
         "extra": {"reactions": [{"reaction": "❤", "actor": "Sam Rivera"}]}, "source_file": one},
        {"time": "2020-09-13T12:30:00Z", "platform": "facebook", "conversation": "Família Costa",
         "sender": "Sam Rivera", "text": None, "kind": "media", "from_owner": None, "edited": False,
         "key": ("fb-msg", "familiacosta_ab12", "1600000200000", "Sam Rivera", 0), "locator": "messages[1]",
         "extra": {"media": [{"type": "photos", "uri": "messages/archived_threads/familiacosta_ab12/photos/1.jpg"}]},
         "source_file": one},
        {"time": "2020-09-13T12:28:20Z", "platform": "facebook", "conversation": "Família Costa",
         "sender": "Zoë Ćirić", "text": "Zoë added Ana to the group.", "kind": "system", "from_owner": None,
         "edited": False, "key": ("fb-msg", "familiacosta_ab12", "1600000100000", mojibake("Zoë Ćirić"), 0),
         "locator": "messages[2]", "extra": {"users": [{"name": "Ana Costa"}], "type": "Subscribe"},
         "source_file": one},
        {"time": "2020-09-13T12:25:00Z", "platform": "facebook", "conversation": "Família Costa",
         "sender": "Sam Rivera", "text": "Sam started a call.", "kind": "call", "from_owner": None, "edited": False,
         "key": ("fb-msg", "familiacosta_ab12", "1599999900000", "Sam Rivera", 0), "locator": "messages[0]",
         "extra": {"call_duration": 65, "type": "Call"}, "source_file": two},
        {"time": "2020-09-13T12:23:20Z", "platform": "facebook", "conversation": "Família Costa",
         "sender": "Ana Costa", "text": None, "kind": "deleted", "from_owner": None, "edited": False,
         "key": ("fb-msg", "familiacosta_ab12", "1599999800000", "Ana Costa", 0), "locator": "messages[1]",
         "extra": {"is_unsent": True}, "source_file": two},
        {"time": "2020-09-13T12:21:40Z", "platform": "facebook", "conversation": "Família Costa",
         "sender": "Ana Costa", "text": "Olha isto", "kind": "text", "from_owner": None, "edited": False,
         "key": ("fb-msg", "familiacosta_ab12", "1599999700000", "Ana Costa", 0), "locator": "messages[2]",
         "extra": {"share": {"link": "https://example.org/a"}, "type": "Share"}, "source_file": two},
    ]
    # the raw source of a message is its JSON as Facebook wrote it (mojibake and all)
    assert json.loads(result.of(Message)[0].raw)["content"] == mojibake("Até já! 👋")
    # no profile, no --me: the one participant present in every chat is only guessed with two or more chats
    assert result.decisions == []
    people = sorted((p.name, p.relation, p.since) for p in result.of(Person))
    assert ("Zoë Ćirić", "friend", "2020-01-26T00:53:20Z") in people
    assert ("Leeds Parents", "following", "2020-02-06T14:40:00Z") in people
    assert ("Ana Costa", "chat_participant", None) in people
    inferences = sorted((i.category, i.value, json.dumps(i.extra)) for i in result.of(PlatformInference))
    assert inferences == [
        ("advertiser_with_your_data", "Nappy World",
         json.dumps({"uploaded_list": True, "remarketing": False, "store_visit": False})),
        ("off_facebook_activity", "babyshop.example",
         json.dumps({"events": 2, "event_types": ["PAGE_VIEW", "PURCHASE"]})),
        ("topic", "Childcare", "null"), ("topic", "Labour unions", "null"),
    ]
    off = [whole(a) for a in result.of(Activity, product="Off-Facebook")]
    assert off == [
        {"time": "2020-05-20T18:40:00Z", "platform": "facebook", "product": "Off-Facebook", "action": "purchased",
         "title": "babyshop.example", "url": None, "key": ("fb-offmeta", "babyshop.example", "77", "PURCHASE",
                                                          "1590000000"),
         "locator": "off_facebook_activity_v2[0].events[0]", "extra": {"event": "PURCHASE", "id": 77},
         "source_file": "ads_and_businesses/your_off-facebook_activity.json"},
        {"time": "2020-05-20T15:53:20Z", "platform": "facebook", "product": "Off-Facebook", "action": "viewed",
         "title": "babyshop.example", "url": None, "key": ("fb-offmeta", "babyshop.example", "77", "PAGE_VIEW",
                                                          "1589990000"),
         "locator": "off_facebook_activity_v2[0].events[1]", "extra": {"event": "PAGE_VIEW", "id": 77},
         "source_file": "ads_and_businesses/your_off-facebook_activity.json"},
    ]
    community = sorted((a.product, a.action, a.title, a.time) for a in result.of(Activity)
                       if a.product != "Off-Facebook")
    assert community == [
        ("Events", "going", "May Day March", "2020-05-01T08:00:00Z"),
        ("Groups", "joined", "GMB Yorkshire Members", "2019-10-02T07:06:40Z"),
        ("Pages", "liked", "Workers' Party of Leeds", "2019-10-13T20:53:20Z"),
    ]
    assert [(loc.place_name, loc.lat, loc.lon) for loc in result.of(Location)] == [
        ("Victoria Gardens", 53.8008, -1.5491)]
    posts = sorted((p.kind, p.text, p.target) for p in result.of(Post))
    assert posts == [("comment", "Parabéns!", "Parents of Room 3"),
                     ("reaction", "LIKE", "Sam Rivera likes GMB Union's post.")]
    assert result.note("facebook_export")[0]["generation"] == "G2"
    assert result.problems == []


# ------------------------------------------------------------------------------------------ G3 (2022 regrouping)

G3 = {
    "personal_information/profile_information/profile_information.json": {"profile_v2": {
        "name": {"full_name": "Sam Rivera", "first_name": "Sam", "middle_name": "", "last_name": "Rivera"},
        "emails": {"emails": ["sam.rivera@example.org"], "previous_emails": [], "pending_emails": [],
                   "ad_account_emails": []},
        "birthday": {"year": 1988, "month": 4, "day": 17},
        "gender": {"gender_option": "FEMALE", "pronoun": "FEMALE"},
        "previous_names": [{"name": "Sam Ríos", "timestamp": 1400000000}],
        "current_city": {"name": "Leeds", "timestamp": 0},
        "hometown": {"name": "Bradford", "timestamp": 1300000000},
        "relationship": {"status": "Married", "partner": "Alex Rivera", "timestamp": 1450000000},
        "family_members": [{"name": "Mia Rivera", "relation": "Daughter", "timestamp": 1600000000}],
        "phone_numbers": [{"phone_type": "Mobile", "phone_number": "+447700900123", "verified": True}],
        "education_experiences": [{"name": "University of Leeds", "start_timestamp": 1159660800, "graduated": True,
                                   "concentrations": ["Logistics"], "school_type": "College"}],
        "work_experiences": [{"employer": "Northwind Logistics", "title": "Planner", "start_timestamp": 1400000000}],
        "username": "sam.rivera.88",
    }},
    "your_activity_across_facebook/messages/inbox/jordanlee_x9/message_1.json": thread(
        "Jordan Lee", ["Jordan Lee", "Sam Ríos"], [
            {"sender_name": "Sam Ríos", "timestamp_ms": 1650000001000, "content": "On my way", "type": "Generic"},
            {"sender_name": "Jordan Lee", "timestamp_ms": 1650000000000, "content": "Where are you?",
             "type": "Generic"}], "inbox/jordanlee_x9"),
    "connections/friends/your_friends.json": {"friends_v2": [{"name": "Jordan Lee", "timestamp": 1400000000}]},
    "logged_information/search/your_search_history.json": {"searches_v2": [
        {"timestamp": 1650000500, "attachments": [{"data": [{"text": "union rep rights"}]}],
         "title": "Sam Rivera searched on Facebook"}]},
    "security_and_login_information/account_activity.json": {"account_activity_v2": [
        {"action": "Login", "timestamp": 1650001000, "ip_address": "203.0.113.7", "user_agent": "Firefox",
         "datr_cookie": "abc", "city": "Leeds", "region": "England", "country": "GB", "site_name": "www"}]},
    "security_and_login_information/where_you're_logged_in.json": {"active_sessions_v2": [
        {"created_timestamp": 1650002000, "updated_timestamp": 1650003000, "ip_address": "198.51.100.2",
         "user_agent": "FB4A", "device": "Pixel 7", "location": "Leeds, United Kingdom", "app": "Facebook"}]},
}


def test_g3_profile_security_and_owner_from_previous_name(tmp_path):
    result = run_importer(write_zip(tmp_path / "facebook-sam-2022.zip", G3))
    src = "personal_information/profile_information/profile_information.json"
    facts = [(f.field, f.value, f.time) for f in result.of(ProfileFact, source_file=src)]
    assert facts == [
        ("name", "Sam Rivera", None), ("previous_name", "Sam Ríos", "2014-05-13T16:53:20Z"),
        ("email", "sam.rivera@example.org", None), ("phone", "+447700900123", None),
        ("birthday", "1988-04-17", None), ("gender", "FEMALE", None), ("city", "Leeds", None),
        ("hometown", "Bradford", "2011-03-13T07:06:40Z"), ("relationship", "Married", "2015-12-13T09:46:40Z"),
        ("family", "Mia Rivera (Daughter)", "2020-09-13T12:26:40Z"),
        ("education", "University of Leeds", "2006-10-01T00:00:00Z"),
        ("work", "Northwind Logistics", "2014-05-13T16:53:20Z"), ("username", "sam.rivera.88", None),
    ]
    assert sorted((p.name, p.relation) for p in result.of(Person, source_file=src)) == [
        ("Alex Rivera", "partner"), ("Mia Rivera", "family")]
    security = [whole(f) for f in result.of(ProfileFact) if f.source_file.startswith("security")]
    assert security == [
        {"platform": "facebook", "field": "ip_address", "value": "203.0.113.7", "time": "2022-04-15T05:36:40Z",
         "key": ("fb-ip", "account_activity", "203.0.113.7", "2022-04-15T05:36:40Z"),
         "locator": "account_activity_v2[0]",
         "extra": {"source": "account_activity", "action": "Login", "city": "Leeds, England, GB",
                   "user_agent": "Firefox", "site": "www"},
         "source_file": "security_and_login_information/account_activity.json"},
        {"platform": "facebook", "field": "login_city", "value": "Leeds, England, GB",
         "time": "2022-04-15T05:36:40Z",
         "key": ("fb-login-city", "account_activity", "Leeds, England, GB", "2022-04-15T05:36:40Z"),
         "locator": "account_activity_v2[0]", "extra": {"ip_address": "203.0.113.7"},
         "source_file": "security_and_login_information/account_activity.json"},
        {"platform": "facebook", "field": "device", "value": "Pixel 7", "time": "2022-04-15T05:53:20Z",
         "key": ("fb-profile", "device", "Pixel 7", "2022-04-15T05:53:20Z"), "locator": "active_sessions_v2[0]",
         "extra": {"user_agent": "FB4A", "app": "Facebook", "location": "Leeds, United Kingdom",
                   "updated_timestamp": 1650003000},
         "source_file": "security_and_login_information/where_you're_logged_in.json"},
        {"platform": "facebook", "field": "ip_address", "value": "198.51.100.2", "time": "2022-04-15T05:53:20Z",
         "key": ("fb-ip", "active_sessions", "198.51.100.2", "2022-04-15T05:53:20Z"),
         "locator": "active_sessions_v2[0]",
         "extra": {"source": "active_sessions", "location": "Leeds, United Kingdom", "device": "Pixel 7"},
         "source_file": "security_and_login_information/where_you're_logged_in.json"},
    ]
    # the owner wrote under a previous name: the profile (read before the chats) names both
    assert [(m.sender, m.from_owner) for m in result.of(Message)] == [("Sam Ríos", True), ("Jordan Lee", False)]
    assert result.decisions == []  # nothing left for conclude to decide
    assert [p.text for p in result.of(Post, kind="search")] == ["union rep rights"]
    assert result.note("facebook_export")[0]["generation"] == "G3"


# ---------------------------------------------------------------------------------- G4 (your_facebook_activity/)

def lv(label, value):
    return {"label": label, "value": value}


PHOTO = {"uri": "your_facebook_activity/posts/media/a.jpg", "creation_timestamp": 1717000000,
         "media_metadata": {"photo_metadata": {"exif_data": [{"upload_ip": "203.0.113.9", "latitude": 53.81,
                                                              "longitude": -1.55}]}}}

G4 = {
    "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json": [
        {"timestamp": 1717000000, "data": [{"post": "Mia's first day at nursery 🎒"}],
         "attachments": [{"data": [{"media": PHOTO}]}], "tags": [{"name": "Alex Rivera"}],
         "title": "Sam Rivera added 2 new photos."},
        {"timestamp": 1717000000, "data": [{"post": "Mia's first day at nursery 🎒"}],
         "attachments": [{"data": [{"media": {"uri": "your_facebook_activity/posts/media/b.jpg"}}]}],
         "title": "Sam Rivera added 2 new photos."},
        {"timestamp": 1717000000, "attachments": [{"data": [{"media": {"uri": "your_facebook_activity/posts/media/c.jpg"}}]}],
         "title": "Sam Rivera added 2 new photos."},
        {"timestamp": 1716000000, "data": [{"post": "Rally today"}], "attachments": [{"data": [{"place": {
            "name": "Millennium Square", "coordinate": {"latitude": 53.8013, "longitude": -1.5486}}}]}]},
    ],
    "your_facebook_activity/posts/check-ins.json": {
        "timestamp": 1715000000, "fbid": "991", "media": [],
        "label_values": [lv("Place", "St Anne's Cathedral"),
                         {"label": "Coordinates", "dict": [lv("Coordinates", "(53.80038 , -1.54753)")]},
                         lv("Address", "Great George St, Leeds")]},
    "ads_information/other_categories_used_to_reach_you.json": {"label_values": [
        {"label": "Name", "vec": [{"value": "Parents (All)"}, {"value": "Parents with toddlers (01-02 years)"},
                                  {"value": "Away from hometown"}]}]},
    "ads_information/advertisers_you've_interacted_with.json": [
        {"timestamp": 1714000000, "label_values": [lv("Action", "Clicked ad"), lv("Title", "Little Acorns")]}],
    "your_facebook_activity/messages/e2ee_cutover/priyashah_7/message_1.json": thread(
        "Priya Shah", ["Priya Shah", "Sam Rivera"], [
            {"sender_name": "Priya Shah", "timestamp_ms": 1705000000000, "content": "Last one before E2EE",
             "type": "Generic"}], "e2ee_cutover/priyashah_7"),
    "your_facebook_activity/comments_and_reactions/likes_and_reactions_1.json": [
        {"timestamp": 1713000000, "label_values": [lv("Reaction", "Love"), lv("Name", "Leeds Labour")]}],
}


def test_g4_posts_checkins_categories_and_e2ee_warning(tmp_path):
    result = run_importer(write_zip(tmp_path / "facebook-sam-2024.zip", G4), me="Sam Rivera")
    src = "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json"
    posts = [whole(p) for p in result.of(Post, source_file=src)]
    assert posts == [
        {"time": "2024-05-29T16:26:40Z", "platform": "facebook", "kind": "post",
         "text": "Mia's first day at nursery 🎒", "target": None, "key": ("fb-post", "post", "1717000000", 0),
         "locator": "[0]", "extra": {"title": "Sam Rivera added 2 new photos.", "tags": ["Alex Rivera"],
                                     "media": ["your_facebook_activity/posts/media/a.jpg",
                                               "your_facebook_activity/posts/media/b.jpg",
                                               "your_facebook_activity/posts/media/c.jpg"], "records": 3},
         "source_file": src},
        {"time": "2024-05-18T02:40:00Z", "platform": "facebook", "kind": "post", "text": "Rally today",
         "target": None, "key": ("fb-post", "post", "1716000000", 0), "locator": "[3]", "extra": None,
         "source_file": src},
    ]
    locations = [(loc.place_name, loc.lat, loc.lon, loc.time, loc.extra) for loc in result.of(Location)]
    assert locations == [
        (None, 53.81, -1.55, "2024-05-29T16:26:40Z", {"source": "photo EXIF",
                                                       "uri": "your_facebook_activity/posts/media/a.jpg"}),
        ("Millennium Square", 53.8013, -1.5486, "2024-05-18T02:40:00Z", None),
        ("St Anne's Cathedral", 53.80038, -1.54753, "2024-05-06T12:53:20Z",
         {"source": "check-in", "address": "Great George St, Leeds"}),
    ]
    assert [(f.field, f.value) for f in result.of(ProfileFact)] == [("ip_address", "203.0.113.9")]
    assert sorted((i.category, i.value) for i in result.of(PlatformInference)) == [
        ("ad_category", "Away from hometown"), ("ad_category", "Parents (All)"),
        ("ad_category", "Parents with toddlers (01-02 years)"), ("advertiser_interacted", "Little Acorns")]
    assert [(p.kind, p.text, p.target) for p in result.of(Post, kind="reaction")] == [
        ("reaction", "Love", "Leeds Labour")]
    assert [(m.sender, m.from_owner) for m in result.of(Message)] == [("Priya Shah", False)]
    warnings = result.note("warnings")[0]
    assert len(warnings) == 1 and "end-to-end encryption" in warnings[0]
    assert result.note("facebook_export")[0]["generation"] == "G4"


# ------------------------------------------------------------------------ G5 (2026 label_values, in Dutch)

G5 = {
    "your_facebook_activity/messages/inbox/tom_1/message_1.json": thread("Tom Okafor", ["Tom Okafor", "Sam Rivera"], [
        {"sender_name": "Tom Okafor", "timestamp_ms": 1780000000000, "content": "Hoi", "type": "Generic"}],
        "inbox/tom_1"),
    "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json": [
        {"title": "apotheek.example", "fbid": "5", "media": [], "label_values": [
            {"label": "Gebeurtenissen", "vec": [{"dict": [lv("ID", "12"), lv("Gebeurtenis", "PURCHASE"),
                                                          {"label": "Ontvangen op", "timestamp_value": 1779000000}]}]}]}],
    "ads_information/advertisers_using_your_activity_or_information.json": [
        {"media": [], "label_values": [{"label": "Adverteerders", "vec": [
            {"dict": [lv("Adverteerder", "Kinderwinkel BV"),
                      lv("Heeft een lijst geüpload", "true")]}]}]}],
    "your_facebook_activity/posts/check-ins.json": [
        {"timestamp": 1778000000, "label_values": [lv("Plaats", "Centraal Station"),
                                                   {"label": "Coördinaten", "value": "(52.3791 , 4.9003)"}]},
        {"timestamp": 1778000100, "label_values": [{"label": "Plaats", "weird": {"x": 1}}]}],
}


def test_g5_label_values_records_in_dutch(tmp_path):
    result = run_importer(write_zip(tmp_path / "facebook-sam-2026.zip", G5), me="Sam Rivera")
    src = "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json"
    assert [whole(a) for a in result.of(Activity)] == [
        {"time": "2026-05-17T06:40:00Z", "platform": "facebook", "product": "Off-Facebook", "action": "purchased",
         "title": "apotheek.example", "url": None,
         "key": ("fb-offmeta", "apotheek.example", "12", "PURCHASE", "1779000000"), "locator": "[0].events[0]",
         "extra": {"event": "PURCHASE", "id": "12"}, "source_file": src}]
    assert sorted((i.category, i.value, json.dumps(i.extra)) for i in result.of(PlatformInference)) == [
        ("advertiser_with_your_data", "Kinderwinkel BV",
         json.dumps({"label": "Adverteerders", "uploaded_list": True})),
        ("off_facebook_activity", "apotheek.example", json.dumps({"events": 1, "event_types": ["PURCHASE"]})),
    ]
    assert [(loc.place_name, loc.lat, loc.lon) for loc in result.of(Location)] == [
        ("Centraal Station", 52.3791, 4.9003)]
    # a label_values entry of an unknown shape is reported, the rest of the file imports
    assert [(member.rsplit("/", 1)[-1], p.locator, p.severity) for member, p in result.problems] == [
        ("check-ins.json", "[1]", "warning")]
    assert result.note("facebook_export")[0]["generation"] == "G5"
    assert result.note("facebook_export")[0]["label_language"] == "nl"


# ------------------------------------------------------------------------------------ E2EE secure storage

def test_secure_storage_export(tmp_path):
    conversation = {"participants": ["Sam Rivera", "Priya Shah"], "threadName": "Priya Shah", "messages": [
        {"senderName": "Priya Shah", "timestamp": 1720000000123, "text": "Encrypted now 🔒", "type": "text",
         "isUnsent": False, "media": [], "reactions": []},
        {"senderName": "Sam Rivera", "timestamp": 1720000005000, "text": "", "type": "media", "isUnsent": False,
         "media": [{"uri": "./media/photo_1.jpg"}], "reactions": [{"actor": "Priya Shah", "reaction": "👍"}]}]}
    folder = tmp_path / "secure"
    (folder / "messages").mkdir(parents=True)
    (folder / "media").mkdir()
    (folder / "messages" / "priya_shah.json").write_text(json.dumps(conversation), encoding="utf-8")
    (folder / "media" / "photo_1.jpg").write_bytes(b"\xff\xd8")
    result = run_importer(folder, me="Sam Rivera")
    assert [whole(m) for m in result.of(Message)] == [
        {"time": "2024-07-03T09:46:40.123Z", "platform": "facebook", "conversation": "Priya Shah",
         "sender": "Priya Shah", "text": "Encrypted now 🔒", "kind": "text", "from_owner": False, "edited": False,
         "key": ("fb-msg", "secure:priya shah|sam rivera", "1720000000123", "Priya Shah", 0),
         "locator": "messages[0]", "extra": {"secure_storage": True}, "source_file": "messages/priya_shah.json"},
        {"time": "2024-07-03T09:46:45Z", "platform": "facebook", "conversation": "Priya Shah",
         "sender": "Sam Rivera", "text": "", "kind": "media", "from_owner": True, "edited": False,
         "key": ("fb-msg", "secure:priya shah|sam rivera", "1720000005000", "Sam Rivera", 0),
         "locator": "messages[1]", "extra": {"secure_storage": True, "media": [{"uri": "./media/photo_1.jpg"}],
                                             "reactions": [{"actor": "Priya Shah", "reaction": "👍"}],
                                             "type": "media"},
         "source_file": "messages/priya_shah.json"},
    ]
    assert result.note("facebook_export")[0]["generation"] == "E2EE"
    assert result.note("warnings") == []


# --------------------------------------------------------------------------------------------- HTML export

HTML_THREAD = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Jordan Lee</title></head><body>
<div class="_a706" role="main">
<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder"><div class="_3-95 _2pim _a6-h _a6-i">Jordan Lee</div>
<div class="_3-95 _a6-p"><div><div></div><div>See you at the café &amp; park</div></div></div>
<div class="_3-94 _a6-o"><div class="_a72d">Jun 04, 2025 6:46:10 pm</div></div></div>
<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder"><div class="_3-95 _2pim _a6-h _a6-i">Sam Rivera</div>
<div class="_3-95 _a6-p"><div><div></div><div>On my way</div></div></div>
<div class="_3-94 _a6-o"><div class="_a72d">Jun 04, 2025 6:40:00 pm</div></div></div>
</div></body></html>"""


def test_html_export_is_flagged_and_read_where_safe(tmp_path):
    zipped = write_zip(tmp_path / "facebook-sam-html.zip", {
        "start_here.html": "<html><body>Your information</body></html>",
        "your_facebook_activity/messages/inbox/jordanlee_1/message_1.html": HTML_THREAD,
        "your_facebook_activity/posts/album/0.html": "<html><body><section>album</section></body></html>",
    })
    result = run_importer(zipped, me="Sam Rivera")
    assert [whole(m) for m in result.of(Message)] == [
        {"time": "2025-06-04T18:46:10", "platform": "facebook", "conversation": "Jordan Lee", "sender": "Jordan Lee",
         "text": "See you at the café & park", "kind": "text", "from_owner": False, "edited": False,
         "key": ("fb-html-msg", "jordanlee_1", "2025-06-04T18:46:10", "Jordan Lee", 0), "locator": "record 1",
         "extra": {"fidelity": "low", "source_format": "html"},
         "source_file": "your_facebook_activity/messages/inbox/jordanlee_1/message_1.html"},
        {"time": "2025-06-04T18:40:00", "platform": "facebook", "conversation": "Jordan Lee", "sender": "Sam Rivera",
         "text": "On my way", "kind": "text", "from_owner": True, "edited": False,
         "key": ("fb-html-msg", "jordanlee_1", "2025-06-04T18:40:00", "Sam Rivera", 0), "locator": "record 2",
         "extra": {"fidelity": "low", "source_format": "html"},
         "source_file": "your_facebook_activity/messages/inbox/jordanlee_1/message_1.html"},
    ]
    assert [(m, p.severity) for m, p in result.problems] == [("start_here.html", "warning")]
    assert "request a new download in JSON" in result.problems[0][1].message
    assert not result.claims["your_facebook_activity/posts/album/0.html"].parse
    assert result.note("facebook_export")[0]["format"] == "html"
    assert result.note("html_time_zone") == ["unknown: display times kept as wall-clock time, without a zone"]
    assert any("JSON" in w for w in result.note("warnings")[0])


# ------------------------------------------------------------------------------------------ Instagram export

def test_instagram_export_is_recognised_not_parsed_as_facebook(tmp_path):
    zipped = write_zip(tmp_path / "instagram-sam.zip", {
        "your_instagram_activity/messages/inbox/jordan_1/message_1.json": thread(
            "Jordan", ["Jordan", "Sam"], [{"sender_name": "Jordan", "timestamp_ms": 1, "content": "hi"}],
            "inbox/jordan_1"),
        "personal_information/personal_information/personal_information.json": {"profile_user": []},
    })
    result = run_importer(zipped)
    assert result.records == [] and set(result.claims.values()) == {None}
    # the Instagram importer reads it instead (tests/test_instagram.py)
    outcome = import_paths(tmp_path / "vault.db", [zipped])
    assert outcome.errors == [] and [s.platform for s in outcome.sources] == ["instagram"]


# ------------------------------------------------------------------------------------------------- bad input

def test_thread_cut_in_the_middle_keeps_the_messages_before_the_cut(tmp_path):
    text = fb_json(thread("Jordan Lee", ["Jordan Lee", "Sam Rivera"], [
        {"sender_name": "Jordan Lee", "timestamp_ms": 1650000002000, "content": "third", "type": "Generic"},
        {"sender_name": "Sam Rivera", "timestamp_ms": 1650000001000, "content": "second", "type": "Generic"},
        {"sender_name": "Jordan Lee", "timestamp_ms": 1650000000000, "content": "first", "type": "Generic"},
    ], "inbox/jordanlee_x9"))
    cut = text[:text.index('"second"') + 20]
    zipped = write_zip(tmp_path / "cut.zip", {"messages/inbox/jordanlee_x9/message_1.json": cut,
                                              "friends/friends.json": {"friends": [{"name": "Jordan Lee",
                                                                                    "timestamp": 1}]}})
    result = run_importer(zipped, me="Sam Rivera")
    assert [(m.text, m.conversation) for m in result.of(Message)] == [("third", "Jordan Lee")]
    assert [p.severity for _, p in result.problems] == ["error"]
    assert "1 complete message(s)" in result.problems[0][1].message
    assert [p.name for p in result.of(Person)] == ["Jordan Lee", "Jordan Lee"]  # friend and chat participant


def test_broken_json_file_is_a_problem_and_the_rest_imports(tmp_path):
    zipped = write_zip(tmp_path / "facebook-x.zip", {
        "connections/friends/your_friends.json": '{"friends_v2": [{"name": "A", "timestamp": 1}, {"na',
        "connections/followers/who_you've_followed.json": {"following_v3": [{"name": "B", "timestamp": 2}]},
    })
    result = run_importer(zipped)
    assert sorted((p.name, p.relation) for p in result.of(Person)) == [("B", "following")]
    assert [(m, p.severity) for m, p in result.problems] == [("connections/friends/your_friends.json", "error")]


def test_unknown_keys_and_files_are_listed(tmp_path):
    zipped = write_zip(tmp_path / "facebook-x.zip", {
        "connections/friends/your_friends.json": {"friends_v2": [], "brand_new_key_v2": []},
        "your_facebook_activity/new_feature/mystery.json": {"mystery_v2": []},
        "logged_information/notifications/notifications.json": {"notifications_v2": []},
    })
    result = run_importer(zipped)
    assert result.note("unknown_keys") == [["brand_new_key_v2"]]
    assert result.claims["your_facebook_activity/new_feature/mystery.json"] is None
    assert result.claims["logged_information/notifications/notifications.json"].parse is False


def test_other_platforms_message_files_are_not_taken_for_facebook(tmp_path):
    zipped = write_zip(tmp_path / "takeout-20240101T000000Z-001.zip", {
        "Takeout/Google Chat/Groups/DM abc/messages.json": {"messages": [
            {"creator": {"name": "Jordan"}, "created_date": "Monday, 1 January 2024 at 10:00:00 UTC", "text": "hi"}]},
        "Takeout/Google Chat/Groups/DM abc/group_info.json": {"members": [{"name": "Jordan"}]},
    })
    result = run_importer(zipped)
    assert set(result.claims.values()) == {None}
    html_takeout = write_zip(tmp_path / "takeout-20240101T000000Z-002.zip", {
        "Takeout/My Activity/Search/My Activity.html": "<html><body><div class='outer-cell'>Searched for x"
                                                         "</div></body></html>",
        "Takeout/archive_browser.html": "<html></html>"})
    assert set(run_importer(html_takeout).claims.values()) == {None}


# ---------------------------------------------------------------------------------- through the real pipeline

def _count(vault, table):
    with sqlite3.connect(vault) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_reimport_and_overlapping_export_add_nothing(tmp_path):
    first = write_zip(tmp_path / "facebook-sam-2020-01.zip", G2)
    vault = tmp_path / "vault.db"
    import_paths(vault, [first])
    counts = {t: _count(vault, t) for t in ("messages", "people", "activities", "platform_inferences", "posts")}
    assert counts["messages"] == 6
    import_paths(vault, [first])
    assert {t: _count(vault, t) for t in counts} == counts
    # a later export: wrapped in a Drive folder, thread moved to the inbox and split differently
    later = {f"Takeout-ish/facebook-sam/{k.replace('archived_threads', 'inbox')}": v for k, v in G2.items()
             if "message_" not in k}
    merged = dict(G2_THREAD_1, messages=G2_THREAD_1["messages"] + G2_THREAD_2["messages"],
                  thread_path="inbox/FamiliaCosta_ab12")
    later["Takeout-ish/facebook-sam/messages/inbox/FamiliaCosta_ab12/message_1.json"] = merged
    import_paths(vault, [write_zip(tmp_path / "facebook-sam-2020-06.zip", later)])
    assert {t: _count(vault, t) for t in counts} == counts


def test_owner_from_profile_marks_messages_in_the_vault(tmp_path):
    vault = tmp_path / "vault.db"
    import_paths(vault, [write_zip(tmp_path / "facebook-sam.zip", G3)])
    with sqlite3.connect(vault) as conn:
        rows = conn.execute("SELECT sender, from_owner FROM messages ORDER BY time").fetchall()
    assert rows == [("Jordan Lee", 0), ("Sam Ríos", 1)]


def test_multi_part_download_is_one_export(tmp_path):
    files = list(G3.items())
    part1 = write_zip(tmp_path / "facebook-sam-2022-01-01-abc-1.zip", dict(files[:3]))
    part2 = write_zip(tmp_path / "facebook-sam-2022-01-01-abc-2.zip", dict(files[3:]))
    vault = tmp_path / "vault.db"
    result = import_paths(vault, [part1, part2])
    assert len(result.sources) == 1
    with sqlite3.connect(vault) as conn:
        rows = conn.execute("SELECT sender, from_owner FROM messages ORDER BY time").fetchall()
    assert rows == [("Jordan Lee", 0), ("Sam Ríos", 1)]


def test_media_only_archive_is_not_an_export(tmp_path):
    zipped = write_zip(tmp_path / "facebook-sam-media.zip", {"photos_and_videos/album/1.jpg": b"\xff\xd8"})
    result = import_paths(tmp_path / "vault.db", [zipped])
    assert result.sources[0].records == {}
    assert result.sources[0].statuses == {"parsed": 1}  # only to report it: the photo itself is not read
    assert result.sources[0].problems == 1
    assert result.sources[0].notes["warnings"] == [
        "This part of the Facebook download holds only photos and videos, so nothing was imported from it: import "
        "it together with the other parts of the same download (all facebook-...-N.zip files in one command), or "
        "request the download again in JSON format."]


# ------------------------------------------------------------------------------- smaller files, exact records

MISC = {
    "your_facebook_activity/saved_items_and_collections/your_saved_items.json": {"saves_v2": [
        {"timestamp": 1700000000, "title": "Sam Rivera saved a link.", "attachments": [{"data": [{"external_context": {
            "name": "Strike pay explained", "url": "https://union.example/strike-pay"}}]}]}]},
    "your_facebook_activity/polls/polls_you_voted_on.json": {"poll_votes_v2": [
        {"timestamp": 1700000100, "attachments": [{"data": [{"poll": {"question": "Picket start time?", "options": [
            {"option": "6am", "voted": True}, {"option": "8am", "voted": False}]}}]}]}]},
    "your_facebook_activity/facebook_payments/payment_history.json": {"payments_v2": {
        "preferred_currency": "GBP", "payments": [{"created_timestamp": 1700000200, "amount": "12.50",
                                                   "currency": "GBP", "sender": "Sam Rivera",
                                                   "receiver": "Little Acorns PTA", "type": "Donation",
                                                   "status": "Completed", "payment_method": "Visa"}]}},
    "apps_and_websites_off_of_facebook/connected_apps_and_websites.json": {"installed_apps_v2": [
        {"name": "QuickCash Loans", "added_timestamp": 1700000300, "category": "active"}]},
    "logged_information/interactions/recently_viewed.json": {"recently_viewed": [
        {"name": "Facebook Watch Videos and Shows", "description": "Videos you have watched",
         "children": [{"name": "Time Viewed", "entries": [
             {"timestamp": 1700000400, "data": {"name": "How to budget on one income",
                                                 "uri": "https://www.facebook.com/watch/?v=1"}}]}]}]},
    "your_facebook_activity/groups/your_answers_to_membership_questions.json": {
        "group_membership_questions_answers_v2": {"group_answers": [
            {"group_name": "Leeds Mums & Toddlers", "answers": [
                {"question": "Do you live in Leeds?", "answer": "Yes, Hyde Park", "timestamp": 1700000500}]}]}},
    "security_and_login_information/your_facebook_activity_history.json": {"last_activity_v2": {
        "last_activity_time": {"Facebook app": {"activity_by_day": [1700006400]}}}},
}


def test_saved_polls_payments_apps_viewed_answers_and_active_days(tmp_path):
    result = run_importer(write_zip(tmp_path / "facebook-misc.zip", MISC), me="Sam Rivera")
    got = sorted(((type(r).__name__, whole(r)) for r in result.records), key=lambda x: (x[0], x[1]["time"]))
    assert got == sorted([
        ("Post", {"time": "2023-11-14T22:13:20Z", "platform": "facebook", "kind": "saved",
                  "text": "Strike pay explained", "target": "https://union.example/strike-pay",
                  "key": ("fb-saved", "1700000000", "https://union.example/strike-pay"), "locator": "saves_v2[0]",
                  "extra": {"title": "Sam Rivera saved a link."},
                  "source_file": "your_facebook_activity/saved_items_and_collections/your_saved_items.json"}),
        ("Post", {"time": "2023-11-14T22:15:00Z", "platform": "facebook", "kind": "poll_vote", "text": "6am",
                  "target": "Picket start time?", "key": ("fb-poll", "1700000100", "Picket start time?"),
                  "locator": "poll_votes_v2[0]", "extra": None,
                  "source_file": "your_facebook_activity/polls/polls_you_voted_on.json"}),
        ("Purchase", {"time": "2023-11-14T22:16:40Z", "platform": "facebook", "item": "Donation",
                      "merchant": "Little Acorns PTA", "amount": 12.5, "currency": "GBP", "payment_method": "Visa",
                      "key": ("fb-payment", "1700000200", "12.50", 0), "locator": "payments_v2.payments[0]",
                      "extra": {"sender": "Sam Rivera", "status": "Completed"},
                      "source_file": "your_facebook_activity/facebook_payments/payment_history.json"}),
        ("Activity", {"time": "2023-11-14T22:18:20Z", "platform": "facebook", "product": "Apps and websites",
                      "action": "installed", "title": "QuickCash Loans", "url": None,
                      "key": ("fb-app", "installed", "QuickCash Loans", "1700000300"),
                      "locator": "installed_apps_v2[0]", "extra": {"category": "active"},
                      "source_file": "apps_and_websites_off_of_facebook/connected_apps_and_websites.json"}),
        ("Activity", {"time": "2023-11-14T22:20:00Z", "platform": "facebook", "product": "Facebook",
                      "action": "viewed", "title": "How to budget on one income",
                      "url": "https://www.facebook.com/watch/?v=1",
                      "key": ("fb-viewed", "viewed", "Time Viewed", "1700000400",
                              "https://www.facebook.com/watch/?v=1"),
                      "locator": "recently_viewed[0].children[0].entries[0]", "extra": {"category": "Time Viewed"},
                      "source_file": "logged_information/interactions/recently_viewed.json"}),
        ("Post", {"time": "2023-11-14T22:21:40Z", "platform": "facebook", "kind": "group_answer",
                  "text": "Yes, Hyde Park", "target": "Leeds Mums & Toddlers",
                  "key": ("fb-group-answer", "Leeds Mums & Toddlers", "1700000500", 0),
                  "locator": "group_membership_questions_answers_v2.group_answers[0].answers[0]",
                  "extra": {"question": "Do you live in Leeds?"},
                  "source_file": "your_facebook_activity/groups/your_answers_to_membership_questions.json"}),
        ("Activity", {"time": "2023-11-15T00:00:00Z", "platform": "facebook", "product": "Facebook",
                      "action": "used", "title": "Facebook app", "url": None,
                      "key": ("fb-active-day", "Facebook app", "1700006400"),
                      "locator": "last_activity_v2.Facebook app.activity_by_day[0]", "extra": None,
                      "source_file": "security_and_login_information/your_facebook_activity_history.json"}),
    ], key=lambda x: (x[0], x[1]["time"]))
    assert result.problems == []


OLD_HTML_THREAD = """<html><head><title>Jordan Lee</title></head><body><div class="_4t5n" role="main">
<div class="_2lek">Participants: Jordan Lee</div>
<div class="pam _3-95 _2pi0 _2lej uiBoxWhite noborder"><div class="_3-96 _2pio _2lek _2lel">Jordan Lee</div>
<div class="_3-96 _2let"><div><div></div><div>Old style page</div></div></div>
<div class="_3-94 _2lem">Jan 10, 2018, 9:05 AM</div></div></div></body></html>"""


def test_html_thread_of_the_2018_2022_page_layout(tmp_path):
    zipped = write_zip(tmp_path / "facebook-old-html.zip", {
        "index.htm": "<html></html>", "start_here.html": "<html></html>",
        "messages/inbox/jordanlee_x/message_1.html": OLD_HTML_THREAD})
    result = run_importer(zipped)
    assert [(m.sender, m.text, m.time, m.conversation) for m in result.of(Message)] == [
        ("Jordan Lee", "Old style page", "2018-01-10T09:05:00", "Jordan Lee")]


def test_html_friends_and_ad_categories(tmp_path):
    record = ('<div class="pam _3-95 _2ph- _a6-g uiBoxWhite noborder"><h2 class="_3-95 _2pim _a6-h _a6-i">{}</h2>'
              '<div class="_3-95 _a6-p">{}</div><div class="_3-94 _a6-o"><div class="_a72d">{}</div></div></div>')
    friends = "<html><body>" + record.format("Jordan Lee", "", "Jan 03, 2010 9:15:00 am") + \
        record.format("Zoë Ćirić", "", "Jun 08, 2015 10:00:00 pm") + "</body></html>"
    categories = ('<html><body><div class="_a6-g"><h2>Other categories used to reach you</h2><table>'
                  '<tr><td class="_a6_q">Name</td><td class="_a6_r">Parents (All)</td></tr>'
                  '<tr><td class="_a6_q">Name</td><td class="_a6_r">Away from hometown</td></tr>'
                  '</table></div></body></html>')
    zipped = write_zip(tmp_path / "facebook-sam-html.zip", {
        "start_here.html": "<html></html>",
        "connections/friends/your_friends.html": friends,
        "ads_information/other_categories_used_to_reach_you.html": categories,
        "logged_information/location/timezone.html": '<html><body><div class="_a6-g"><td>Time zone</td>'
                                                     '<td>Europe/London</td></div></body></html>',
    })
    result = run_importer(zipped)
    # the account's zone comes from the export's own timezone page: display times become instants
    assert [(p.name, p.relation, p.since, p.extra) for p in result.of(Person)] == [
        ("Jordan Lee", "friend", "2010-01-03T09:15:00Z", {"fidelity": "low", "source_format": "html"}),
        ("Zoë Ćirić", "friend", "2015-06-08T21:00:00Z", {"fidelity": "low", "source_format": "html"})]
    assert result.note("html_time_zone")[0] == "Europe/London (the export)"
    assert [(i.category, i.value) for i in result.of(PlatformInference)] == [
        ("ad_category", "Parents (All)"), ("ad_category", "Away from hometown")]


def test_demo_export_tells_the_personas_story(tmp_path):
    import random

    from datavault.demo import facebook as demo
    zipped, secure = demo.write(tmp_path, random.Random(1), 1)
    result = run_importer(zipped, secure)
    interests = {i.value for i in result.of(PlatformInference, category="interest")}
    assert {"Trade union", "Labour Party (UK)", "Catholic Church", "Sexual health", "Payday loan"} <= interests
    assert "Parents with toddlers (01-02 years)" in {i.value for i in result.of(PlatformInference,
                                                                                category="ad_category")}
    uploaded = {i.value for i in result.of(PlatformInference, category="advertiser_with_your_data")
                if i.extra.get("uploaded_list")}
    assert uploaded == {"Nappy World", "QuickCash Loans UK", "Little Acorns Nursery", "Leeds Labour Party"}
    groups = {a.title for a in result.of(Activity, product="Groups")}
    assert "GMB Yorkshire & North Derbyshire Members" in groups and "Parents of Room 3 – Little Acorns" in groups
    assert "Leeds Labour Party" in {a.title for a in result.of(Activity, product="Pages")}
    assert {p.text for p in result.of(Post, kind="search")} >= {"payday loan same day", "GMB strike pay how much"}
    assert {loc.place_name for loc in result.of(Location)} >= {"The Lantern Bar", "St Anne's Cathedral"}
    assert {f.value for f in result.of(ProfileFact, field="ip_address")} >= {"81.2.69.160", "81.2.69.161"}
    assert all(m.from_owner == (m.sender == "Sam Rivera") for m in result.of(Message) if m.extra is None
               or not m.extra.get("secure_storage"))
    assert {m.conversation for m in result.of(Message) if m.extra and m.extra.get("secure_storage")} == {"Priya Shah"}
    assert [(d.conversation, d.sender) for d in result.decisions] == [("Priya Shah", "Sam Rivera")]
    assert result.note("warnings") == []  # the encrypted chats were imported too: nothing missing to warn about
    assert result.note("facebook_export")[0]["generation"] == "G4 + E2EE"
    assert result.note("facebook_export")[0]["label_language"] == "en"
    assert result.problems == []


ODD_VALUES = [None, 5, "x", {}, [], [1], ["x"], [{}], [{"name": 5, "timestamp": "soon"}], {"a": [1]},
              [{"label_values": [{"label": "Name"}]}], [{"data": [5], "attachments": [{"data": "x"}], "title": 3}],
              [{"events": "x", "name": "n"}], [{"session": "x", "event": 1}], [{"entries": [5], "children": "x"}]]


@pytest.mark.parametrize("key", sorted(__import__("datavault.importers.facebook", fromlist=["KEYS"]).KEYS))
def test_odd_shapes_never_crash_a_handler(tmp_path, key):
    files = {f"your_facebook_activity/odd/{key}_{i}.json": {f"{key}_v2": value} for i, value in enumerate(ODD_VALUES)}
    result = run_importer(write_zip(tmp_path / "facebook-odd.zip", files))
    for record in result.records:  # whatever was read is well-formed
        assert record.platform == "facebook" and isinstance(record.key, tuple) and record.key


def test_renamed_and_wrapped_files_are_found_by_content(tmp_path):
    zipped = write_zip(tmp_path / "download.zip", {
        "My Drive/Facebook download/part 1/connections/friends/friends (1).json": {"friends_v2": [
            {"name": "Jordan Lee", "timestamp": 1400000000}]},
        "My Drive/Facebook download/part 1/ads_information/ads_interests_renamed.json": {"topics_v2": ["Parenting"]},
    })
    result = run_importer(zipped)
    assert [(p.name, p.relation) for p in result.of(Person)] == [("Jordan Lee", "friend")]
    assert [(i.category, i.value) for i in result.of(PlatformInference)] == [("interest", "Parenting")]


def test_large_files_stream_their_list_item_by_item(tmp_path, monkeypatch):
    from datavault.importers.facebook import jsonread
    monkeypatch.setattr(jsonread, "STREAM_ABOVE", 100)
    businesses = [{"name": f"shop{i}.example", "events": [{"id": i, "type": "PAGE_VIEW", "timestamp": 1700000000 + i}]}
                  for i in range(50)]
    zipped = write_zip(tmp_path / "facebook-big.zip", {
        "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json": {
            "off_facebook_activity_v2": businesses, "later_key_v2": []}})
    result = run_importer(zipped)
    assert [a.title for a in result.of(Activity)] == [f"shop{i}.example" for i in range(50)]
    assert result.note("unknown_keys") == [["later_key_v2"]]


def test_people_of_a_chat_include_those_who_left(tmp_path):
    chat = thread("Book club", ["Sam Rivera", "Jordan Lee"], [
        {"sender_name": "Kasia Nowak", "timestamp_ms": 1600000000000, "content": "Bye all!", "type": "Generic",
         "reactions": [{"reaction": "😢", "actor": "Zoë Ćirić"}, {"reaction": "👋", "actor": "Jordan Lee"}]}],
        "inbox/bookclub_1")
    result = run_importer(write_zip(tmp_path / "facebook-chat.zip", {"messages/inbox/bookclub_1/message_1.json": chat}),
                          me="Sam Rivera")
    assert [(p.name, p.relation, p.extra) for p in result.of(Person)] == [
        ("Jordan Lee", "chat_participant", {"conversation": "Book club", "as": "participant"}),
        ("Kasia Nowak", "chat_participant", {"conversation": "Book club", "as": "sender"}),
        ("Zoë Ćirić", "chat_participant", {"conversation": "Book club", "as": "reaction actor"})]


def test_html_searches_groups_and_an_off_meta_business_page(tmp_path):
    block = ('<div class="_a6-g"><h2 class="_a6-h">{}</h2><div class="_a6-p"><div class="_2pin">{}</div></div>'
             '<div class="_a6-o"><div class="_a72d">{}</div></div></div>')
    page = "<html><head><title>{}</title></head><body>{}</body></html>"
    zipped = write_zip(tmp_path / "facebook-sam-html.zip", {
        "start_here.html": "<html></html>",
        "logged_information/search/your_search_history.html": page.format(
            "Your search history", block.format("Search", "payday loan", "Aug 30, 2024 11:51:00 pm")),
        "your_facebook_activity/groups/your_group_membership_activity.html": page.format(
            "Groups", block.format("GMB Yorkshire Members", "", "Feb 14, 2022 10:00:00 am")),
        "apps_and_websites_off_of_facebook/your_activity_off_meta_technologies/quickcash.html": page.format(
            "quickcash.example", block.format("Page view", "", "Aug 30, 2024 11:55:00 pm")
            + block.format("Complete registration", "", "Aug 31, 2024 12:09:00 am")),
    })
    result = run_importer(zipped, me="Sam Rivera")
    assert [(p.kind, p.text, p.time) for p in result.of(Post)] == [("search", "payday loan", "2024-08-30T23:51:00")]
    assert sorted((a.product, a.action, a.title, a.time) for a in result.of(Activity)) == [
        ("Groups", "joined", "GMB Yorkshire Members", "2022-02-14T10:00:00"),
        ("Off-Facebook", "registered", "quickcash.example", "2024-08-31T00:09:00"),
        ("Off-Facebook", "viewed", "quickcash.example", "2024-08-30T23:55:00")]
    assert [(i.category, i.value, i.extra["events"]) for i in result.of(PlatformInference)] == [
        ("off_facebook_activity", "quickcash.example", 2)]


def test_the_fast_path_writes_raw_exactly_as_json_would():
    from datavault.importers.facebook.messages import _ENCODE, _encode_plain

    for msg in ({"sender_name": "Jos\u00c3\u00a9", "timestamp_ms": 1700000000123, "content": "a\u2028b\x00\x1f\"\\/ \U0001F600",
                 "type": "Generic", "is_geoblocked_for_viewer": False},
                {"sender_name": "x", "timestamp_ms": 1, "content": "lone \udc80 surrogate"}):
        assert _encode_plain(msg) == _ENCODE(msg)


def test_the_general_path_writes_raw_exactly_as_json_would():
    # orjson writes the raw text unless the message holds a float (1e-07 is "1e-7" to orjson) or orjson refuses it
    from datavault.importers.facebook.messages import _ENCODE, _encode

    control = "".join(map(chr, range(32))) + "\x7f\u2028\u2029\"\\/"
    for msg in ({"sender_name": "x", "timestamp_ms": 1, "photos": [{"uri": control, "creation_timestamp": 5}],
                 "reactions": [{"reaction": "\u00e2\u009d\u00a4", "actor": "Zo\u00c3\u00ab"}], "is_unsent": True},
                {"sender_name": "x", "timestamp_ms": 1700000000000.5, "content": "a float time"},
                {"sender_name": "x", "timestamp_ms": 1, "share": {"geo": {"lat": 1e-07, "lng": [2.5e-05, 1e16]}}},
                {"sender_name": "x", "timestamp_ms": 1, "share": {"deep": json.loads("[" * 300 + "]" * 300)}},
                {"sender_name": "x", "timestamp_ms": 1, "share": {"n": 2 ** 70}, "content": "lone \udc80"}):
        assert _encode(msg) == _ENCODE(msg)


def test_fast_times_across_days_and_before_the_epoch():
    # iso_ms formats each day once and the clock from tables: every day boundary, in any order, and negatives
    from datavault.timeutil import from_epoch_ms
    from datavault.importers.facebook.messages import iso_ms
    day = 86_400_000
    for ms in (-1, -999, -1000, -1001, -day, -day - 1, 0, day - 1, day, day + 1, 951_868_799_999, 951_868_800_000,
               1_709_164_799_999, 1_709_164_800_000, 253_402_300_799_999, 1_700_000_059_999, 1_700_000_060_000):
        assert iso_ms(ms) == from_epoch_ms(ms), ms
    # far out of range it fails as time.gmtime does, rather than caching or writing anything
    with pytest.raises((OverflowError, OSError, ValueError)):
        iso_ms(10 ** 20)


def test_names_repaired_once_per_thread_are_still_counted_per_use(tmp_path):
    # the thread caches repaired sender names; the mojibake count (and so the inventory) stays what it was when
    # every sender, reaction actor and participant was repaired each time it was read
    chat = thread("Família", ["Sam Rivera", "Zoë Ćirić"], [
        {"sender_name": "Zoë Ćirić", "timestamp_ms": 1700000000000, "content": "Olá", "type": "Generic"},
        {"sender_name": "Zoë Ćirić", "timestamp_ms": 1700000000000, "content": "foto", "photos": [{"uri": "a.jpg"}]},
        {"sender_name": "Zoë Ćirić", "timestamp_ms": 1700000000000, "content": "again", "type": "Generic"},
        {"sender_name": "Zoë Ćirić", "timestamp_ms": 1700000001000, "photos": [{"uri": "b.jpg"}],
         "reactions": [{"reaction": "❤", "actor": "Zoë Ćirić"}, {"reaction": "👍", "actor": "Sam Rivera"}]},
        {"sender_name": "Sam Rivera", "timestamp_ms": 1700000002000, "content": "ção",
         "share": {"link": "https://x/é"}},
        {"sender_name": "Zoë Ćirić", "timestamp_ms": True, "content": "bool time"},
    ], "inbox/familia_1")
    result = run_importer(write_zip(tmp_path / "facebook-chat.zip", {"messages/inbox/familia_1/message_1.json": chat}),
                          me="Sam Rivera")
    # plain and general messages share the ordinals of one (time, sender)
    assert [(m.key[2:], m.kind, m.from_owner) for m in result.of(Message)] == [
        (("1700000000000", mojibake("Zoë Ćirić"), 0), "text", False),
        (("1700000000000", mojibake("Zoë Ćirić"), 1), "media", False),
        (("1700000000000", mojibake("Zoë Ćirić"), 2), "text", False),
        (("1700000001000", mojibake("Zoë Ćirić"), 0), "media", False),
        (("1700000002000", "Sam Rivera", 0), "text", True)]
    assert {m.sender for m in result.of(Message)} == {"Zoë Ćirić", "Sam Rivera"}
    assert [p.message for _, p in result.problems] == ["a message without a timestamp was skipped"]
    # title 1, participant 1, plain sender 1 (once), "Olá" 1, general senders 2 + 2 (again after the loop),
    # reaction 3 + actor 1 (again after the loop), "ção" 1, the share's link 1
    assert result.note("mojibake_repaired") == [14]


@pytest.mark.parametrize("number", ["9223372036854775808", "18446744073709551615", "-9223372036854775809", "1e309"])
def test_numbers_only_ijson_refuses_still_cut_the_thread(tmp_path, number):
    # orjson (the fast reader) would take these; the thread must still read as ijson reads it: cut at the number
    text = ('{"participants": [{"name": "A"}], "title": "t", "messages": [{"sender_name": "A", "timestamp_ms": 1, '
            '"content": "first"}, {"sender_name": "A", "timestamp_ms": 2, "content": "x", "is_geoblocked_for_viewer": '
            + number + '}]}')
    result = run_importer(write_zip(tmp_path / "facebook-n.zip", {"messages/inbox/t_1/message_1.json": text}))
    assert [p.severity for _, p in result.problems] == ["error"]
    assert "cut off or broken" in result.problems[0][1].message


def test_a_thread_read_whole_has_the_values_ijson_gives(tmp_path):
    from datavault.importers.facebook.messages import _read_whole

    text = ('  {"participants": [{"name": "A"}], "title": "one", "messages": [{"sender_name": "A", "timestamp_ms": 1, '
            '"content": "x", "share": {"f": [1.0, -0.0, -0, 0e0, 1E-2, 2.5e-05, 123456789012345678, 1e99]}}], '
            '"title": "two"}\n')
    zipped = write_zip(tmp_path / "facebook-w.zip", {"messages/inbox/t_1/message_1.json": text})
    from datavault.archive import open_inputs
    member = next(m for m in open_inputs([zipped])[0].members() if m.name.endswith(".json"))
    assert _read_whole(member) == {"participants": [{"name": "A"}], "title": "two", "messages": [
        {"sender_name": "A", "timestamp_ms": 1, "content": "x",
         "share": {"f": [1.0, -0.0, 0, 0.0, 0.01, 2.5e-05, 123456789012345678, 1e99]}}]}
    result = run_importer(zipped)
    assert [m.raw for m in result.of(Message)] == [
        '{"sender_name":"A","timestamp_ms":1,"content":"x","share":{"f":[1.0,-0.0,0,0.0,0.01,2.5e-05,'
        '123456789012345678,1e+99]}}']
