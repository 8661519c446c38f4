"""The Google Takeout importer: exact records per file kind, localised paths and timestamps, bad input.

Fixtures under tests/fixtures/takeout/ are written for this project (an invented person); smaller files are
built inside the tests. Whole takeouts are zipped on the fly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from datavault.archive import Member, open_inputs
from datavault.importer import ImportContext
from datavault.records import (Activity, Message, Note, Person, PlatformInference, Post, Problem, ProfileFact,
                                Purchase)
from datavault.importers.takeout import IMPORTER
from datavault.importers.takeout.common import parse_money, unwrap_url
from datavault.importers.takeout.htmltime import parse_display

FIXTURES = Path(__file__).parent / "fixtures" / "takeout"
CREATED = dt.datetime(2025, 12, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
UTC = dt.timezone.utc


def ctx(**kw) -> ImportContext:
    kw.setdefault("archive_name", "takeout-20251201T120000Z-001.zip")
    kw.setdefault("created", CREATED)
    return ImportContext(**kw)


def member(name: str, data: bytes | str) -> Member:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return Member(name, len(data), lambda: io.BytesIO(data))


def fixture(relative: str) -> Member:
    path = FIXTURES / relative
    data = path.read_bytes()
    return Member(relative, len(data), lambda: io.BytesIO(data))


def parse(m: Member, context: ImportContext | None = None) -> list:
    context = context or ctx()
    claim = IMPORTER.claim(m, context)
    assert claim is not None and claim.parse, f"{m.name} not claimed for parsing: {claim}"
    return list(IMPORTER.parse(m, context))


def without_raw(items: list) -> list:
    out = []
    for item in items:
        if dataclasses.is_dataclass(item) and hasattr(item, "raw"):
            item = dataclasses.replace(item, raw=None)
        out.append(item)
    return out


# ---------------------------------------------------------------------------------------------------------------
# My Activity

SEARCH_JSON = "Takeout/My Activity/Search/MyActivity.json"
SEARCH_HTML = "Takeout/My Activity/Search/MyActivity.html"


def test_my_activity_json_exact_records():
    got = parse(fixture(SEARCH_JSON))
    assert without_raw(got) == [
        Activity(key=("activity", "search", "2025-11-03T21:14:05Z", "searched for nappies size 4", 0),
                 locator="[0]", time="2025-11-03T21:14:05.123Z", platform="google", product="Search",
                 action="searched", title="Searched for nappies size 4",
                 url="https://www.google.com/search?q=nappies+size+4",
                 extra={"header": "Search", "products": ["Search"],
                        "locationInfos": [{"name": "From your home",
                                           "url": "https://www.google.com/maps/@?api=1&map_action=map&center=53.807560,-1.552320&zoom=12",
                                           "source": "From your places (Home)"}],
                        "activityControls": ["Web & App Activity"]}),
        Activity(key=("activity", "search", "2025-11-03T21:10:00Z", "visited stepchange debt charity", 0),
                 locator="[1]", time="2025-11-03T21:10:00.500Z", platform="google", product="Search",
                 action="visited", title="Visited StepChange Debt Charity", url="https://www.stepchange.org/",
                 extra={"header": "Search",
                        "titleUrl": "https://www.google.com/url?q=https://www.stepchange.org/&usg=AOvVaw1x",
                        "products": ["Search"], "activityControls": ["Web & App Activity"]}),
        Activity(key=("activity", "search", "2025-11-02T08:00:01Z", "searched for cheap flights lisbon", 0),
                 locator="[2]", time="2025-11-02T08:00:01Z", platform="google", product="Search",
                 action="searched", title="Searched for cheap flights lisbon",
                 url="https://www.google.com/search?q=cheap+flights+lisbon",
                 extra={"header": "Search", "products": ["Search"], "details": [{"name": "From Google Ads"}],
                        "favouriteColour": "green", "ad": True}),
        Note("unknown_keys", ["favouriteColour"]),
        Problem("keys not understood (kept in raw): favouriteColour", None, "warning"),
    ]
    # raw is the item exactly as written in the file, escapes included
    assert got[1].raw.startswith('{\n  "header": "Search",\n  "title": "Visited StepChange Debt Charity"')
    assert "\\u003d" in got[1].raw


def test_my_activity_html_classic_exact_records():
    got = parse(fixture(SEARCH_HTML))
    assert without_raw(got) == [
        Activity(key=("activity", "search", "2025-11-03T21:14:05Z", "searched for nappies size 4", 0),
                 locator="cell 1", time="2025-11-03T21:14:05Z", platform="google", product="Search",
                 action="searched", title="Searched for nappies size 4",
                 url="https://www.google.com/search?q=nappies+size+4",
                 extra={"header": "Search", "products": ["Search"],
                        # the negative longitude stays whole
                        "locationInfos": [{"name": "From your home: https://google.com/maps?q=53.807560,-1.552320",
                                           "url": "https://google.com/maps?q=53.807560,-1.552320"}],
                        "time_text": "Nov 3, 2025, 9:14:05 PM GMT", "time_basis": "abbreviation at export time"}),
        Activity(key=("activity", "search", "2025-11-03T21:10:00Z", "visited stepchange debt charity", 0),
                 locator="cell 2", time="2025-11-03T21:10:00Z", platform="google", product="Search",
                 action="visited", title="Visited StepChange Debt Charity", url="https://www.stepchange.org/",
                 extra={"header": "Search",
                        "titleUrl": "https://www.google.com/url?q=https://www.stepchange.org/&usg=AOvVaw1x",
                        "products": ["Search"], "time_text": "Nov 3, 2025, 9:10:00 PM GMT",
                        "time_basis": "abbreviation at export time"}),
        Note("html_time_zone", {"zone": "GMT", "basis": "abbreviation at export time",
                                "export_time": "2025-12-01T12:00:00Z"}),
    ]
    assert got[0].raw.startswith('<div class="outer-cell') and "nappies size 4</a>" in got[0].raw


def test_same_record_from_html_and_json_has_the_same_key():
    from_json = {r.key for r in parse(fixture(SEARCH_JSON)) if isinstance(r, Activity)}
    from_html = {r.key for r in parse(fixture(SEARCH_HTML)) if isinstance(r, Activity)}
    assert from_html <= from_json and len(from_html) == 2


def test_german_path_and_timestamps():
    got = parse(fixture("Takeout/Meine Aktivitäten/YouTube/MeineAktivitäten.html"))
    assert without_raw(got) == [
        Activity(key=("activity", "youtube", "2022-08-31T23:08:12Z", "bosskampf ohne schaden angesehen", 0),
                 locator="cell 1", time="2022-08-31T23:08:12Z", platform="google", product="YouTube",
                 action="watched", title="Bosskampf ohne Schaden angesehen",
                 url="https://www.youtube.com/watch?v=abc123",
                 extra={"header": "YouTube",
                        "subtitles": [{"name": "Nachteule Spielt", "url": "https://www.youtube.com/channel/UCnacht"}],
                        "products": ["YouTube"], "time_text": "01.09.2022, 01:08:12 MESZ",
                        "time_basis": "abbreviation (not in use at export time)"}),
        Activity(key=("activity", "youtube", "2022-08-31T21:59:59Z", "gesucht nach: kinderwagen test", 0),
                 locator="cell 2", time="2022-08-31T21:59:59Z", platform="google", product="YouTube",
                 action="searched", title="Gesucht nach: kinderwagen test",
                 url="https://www.youtube.com/results?search_query=kinderwagen+test",
                 extra={"header": "YouTube", "time_text": "31. Aug. 2022, 23:59:59 MESZ",
                        "time_basis": "abbreviation (not in use at export time)"}),
        Note("html_time_zone", {"zone": "MESZ", "basis": "abbreviation (not in use at export time)",
                                "export_time": "2025-12-01T12:00:00Z"}),
    ]


def test_2026_layout_keeps_the_blocks_after_the_timestamp():
    got = parse(fixture("Takeout/My Activity/Gemini Apps/MyActivity.html"), ctx(created=None))
    assert without_raw(got)[0] == Activity(
        key=("activity", "gemini", "2026-07-02T08:15:00Z", "prompted how much paracetamol can a toddler have", 0),
        locator="cell 1", time="2026-07-02T08:15:00Z", platform="google", product="Gemini", action="prompted",
        title="Prompted how much paracetamol can a toddler have", url=None,
        extra={"header": "Gemini Apps",
               "details_text": ["For children aged 2 to 4, the NHS page lists doses by age.", "Always check the label."],
               "details_links": ["https://www.nhs.uk/medicines/paracetamol-for-children/"],
               "products": ["Gemini Apps"], "time_text": "Jul 2, 2026, 9:15:00 AM BST",
               "time_basis": "abbreviation (no export time)"})


@pytest.mark.parametrize("text, created, expected, basis, ambiguous", [
    ("Feb 8, 2017, 12:32:36 AM", None, dt.datetime(2017, 2, 8, 0, 32, 36, tzinfo=UTC), "no zone: UTC", False),
    ("Jan 15, 2021, 6:54:12\u202fPM PST", CREATED, dt.datetime(2021, 1, 16, 2, 54, 12, tzinfo=UTC),
     "abbreviation at export time", False),
    ("6 Oct 2020, 14:32:28 BST", dt.datetime(2020, 10, 7, tzinfo=UTC), dt.datetime(2020, 10, 6, 13, 32, 28, tzinfo=UTC),
     "abbreviation at export time", False),
    ("01.09.2022, 21:08:12 MEZ", CREATED, dt.datetime(2022, 9, 1, 20, 8, 12, tzinfo=UTC),
     "abbreviation at export time", False),
    ("8 févr. 2017, 00:32:36 UTC", CREATED, dt.datetime(2017, 2, 8, 0, 32, 36, tzinfo=UTC),
     "abbreviation at export time", False),
    ("3 janv. 2021 à 13:00:00 UTC+1", None, dt.datetime(2021, 1, 3, 12, 0, 0, tzinfo=UTC), "explicit offset", False),
    ("8 feb 2017, 0:32:36 CET", CREATED, dt.datetime(2017, 2, 7, 23, 32, 36, tzinfo=UTC),
     "abbreviation at export time", False),
    ("15 de ago. de 2022, 9:05:00 CEST", None, dt.datetime(2022, 8, 15, 7, 5, 0, tzinfo=UTC),
     "abbreviation (no export time)", False),
    # IST in January: India (+05:30) or Israel (+02:00); Ireland uses GMT then. The common reading, flagged.
    ("Jan 15, 2021, 6:54:12 PM IST", dt.datetime(2021, 1, 20, tzinfo=UTC),
     dt.datetime(2021, 1, 15, 13, 24, 12, tzinfo=UTC), "abbreviation at export time", True),
])
def test_display_timestamps(text, created, expected, basis, ambiguous):
    read = parse_display(text, created)
    assert (read.moment, read.basis, read.ambiguous) == (expected, basis, ambiguous)


def test_export_zone_is_read_at_export_time_not_event_time():
    # the export was made in winter: "GMT" applies to a July event too (Google writes one offset per file)
    read = parse_display("Jul 10, 2025, 11:00:00 PM GMT", CREATED)
    assert read.moment == dt.datetime(2025, 7, 10, 23, 0, 0, tzinfo=UTC)


def test_unwrap_url_and_money():
    assert unwrap_url("https://www.google.com/url?q=https://example.org/a%3Fb%3D1&usg=x") == "https://example.org/a?b=1"
    assert unwrap_url("https://www.google.de/url?q=https://example.de/&sa=U") == "https://example.de/"
    assert unwrap_url("https://example.org/url?q=x") == "https://example.org/url?q=x"
    assert parse_money("$1,234.56") == (1234.56, "USD")
    assert parse_money("1.234,56 €") == (1234.56, "EUR")
    assert parse_money("EUR 3.99") == (3.99, "EUR")
    assert parse_money("-£3.00") == (-3.0, "GBP")
    assert parse_money("12,50 EUR") == (12.5, "EUR")


# ---------------------------------------------------------------------------------------------------------------
# YouTube

def test_youtube_comment_csv_generations_give_the_same_records():
    text_v1 = '{"takeoutSegments":[{"text":"Great run! "},{"text":"link","link":{"linkUrl":"https://x.example"}}]}'
    text_v2 = '{"text":"Great run! "},{"text":"link"}'
    v1 = ("Comment ID,Channel ID,Comment Create Timestamp,Price,Parent Comment ID,Video ID,Comment Text\n"
          f'Ugx1,UCme,2024-03-01T01:02:03.456789+00:00,,,vid1,"{text_v1.replace(chr(34), chr(34) * 2)}"\n')
    v2 = ("Channel ID,Comment Create Timestamp,Price,Comment ID,Parent Comment ID,Video ID,Comment Text\n"
          f'UCme,2024-03-01T01:02:03.456789+00:00,,Ugx1,,vid1,"{text_v2.replace(chr(34), chr(34) * 2)}"\n')
    v3 = ("Channel ID,Comment create timestamp,Price,Comment ID,Parent comment ID,Video ID,Comment text\n"
          f'UCme,2024-03-01T01:02:03.456789+00:00,,Ugx1,,vid1,"{text_v2.replace(chr(34), chr(34) * 2)}"\n')
    expected = Post(key=("comment", "Ugx1"), locator="line 2", time="2024-03-01T01:02:03.456789Z",
                    platform="google", kind="comment", text="Great run! link",
                    target="https://www.youtube.com/watch?v=vid1",
                    extra={"channel_id": "UCme", "video_id": "vid1", "id": "Ugx1"})
    for text in (v1, v2, v3):
        got = without_raw(parse(member("Takeout/YouTube and YouTube Music/comments/comments.csv", text)))
        assert got == [expected]


def test_youtube_live_chat_subscriptions_and_likes():
    chat = ("Live Chat ID,Channel ID,Live Chat Create Timestamp,Price,Video ID,Live Chat Text\n"
            'Lc1,UCme,2024-05-05T23:30:00+00:00,2.99,vidL,"{""text"":""gg""},{""text"":""\n""},{""text"":""wp""}"\n')
    assert without_raw(parse(member("x/YouTube und YouTube Music/Livechats/Livechats.csv", chat))) == [
        Post(key=("live_chat", "Lc1"), locator="line 2", time="2024-05-05T23:30:00Z", platform="google",
             kind="live_chat", text="gg\nwp", target="https://www.youtube.com/watch?v=vidL",
             extra={"channel_id": "UCme", "video_id": "vidL", "id": "Lc1", "price": "2.99"})]
    subs = "Channel Id,Channel Url,Channel Title\nUCpol,http://www.youtube.com/channel/UCpol,Red Rose Politics\n"
    assert without_raw(parse(member("Takeout/YouTube und YouTube Music/Abos/Abos.csv", subs))) == [
        Activity(key=("yt-subscription", "UCpol"), locator="line 2", time=None, platform="google",
                 product="YouTube", action="subscribed", title="Red Rose Politics",
                 url="http://www.youtube.com/channel/UCpol", extra={"channel_id": "UCpol"})]
    likes = json.dumps([{"snippet": {"title": "Lullaby mix", "publishedAt": "2023-01-02T03:04:05Z",
                                     "channelId": "UCme", "playlistId": "LL", "position": 0,
                                     "resourceId": {"videoId": "v9"}},
                         "contentDetails": {"videoId": "v9", "videoPublishedAt": "2020-01-01T00:00:00Z"}}])
    assert without_raw(parse(member("Takeout/YouTube and YouTube Music/playlists/likes.json", likes))) == [
        Activity(key=("yt-like", "v9", "2023-01-02T03:04:05Z"), locator="[0]", time="2023-01-02T03:04:05Z",
                 platform="google", product="YouTube", action="liked", title="Lullaby mix",
                 url="https://www.youtube.com/watch?v=v9",
                 extra={"video_id": "v9", "video_published": "2020-01-01T00:00:00Z", "channel_id": "UCme",
                        "playlist_id": "LL"})]


def test_watch_history_json_is_my_activity():
    data = json.dumps([{"header": "YouTube", "title": "Watched Boss rush at 3am",
                        "titleUrl": "https://www.youtube.com/watch?v\u003dq1",
                        "subtitles": [{"name": "NightOwl Plays", "url": "https://www.youtube.com/channel/UCn"}],
                        "time": "2025-10-10T02:59:00.000Z", "products": ["YouTube"],
                        "activityControls": ["YouTube watch history"]}])
    got = without_raw(parse(member("Takeout/YouTube and YouTube Music/history/watch-history.json", data)))
    assert got == [Activity(
        key=("activity", "youtube", "2025-10-10T02:59:00Z", "watched boss rush at 3am", 0), locator="[0]",
        time="2025-10-10T02:59:00Z", platform="google", product="YouTube", action="watched",
        title="Watched Boss rush at 3am", url="https://www.youtube.com/watch?v=q1",
        extra={"header": "YouTube", "subtitles": [{"name": "NightOwl Plays", "url": "https://www.youtube.com/channel/UCn"}],
               "products": ["YouTube"], "activityControls": ["YouTube watch history"]})]


# ---------------------------------------------------------------------------------------------------------------
# Chrome, Play, Pay

def test_chrome_history_german_name():
    data = json.dumps({"Browser History": [{"page_transition": "LINK", "title": "Kita-Gebühren",
                                            "url": "https://example.de/kita", "client_id": "c1",
                                            "time_usec": 1617404690134513}]})
    assert without_raw(parse(member("Takeout/Chrome/Verlauf.json", data))) == [
        Activity(key=("chrome", 1617404690134513, "https://example.de/kita"), locator="Browser History[0]",
                 time="2021-04-02T23:04:50.134513Z", platform="google", product="Chrome", action="visited",
                 title="Kita-Gebühren", url="https://example.de/kita",
                 extra={"page_transition": "LINK", "client_id": "c1"})]


def test_play_store_installs_and_order_history():
    installs = json.dumps([{"install": {"doc": {"documentType": "Android Apps", "title": "Baby Monitor 3G"},
                                        "firstInstallationTime": "2022-03-14T07:06:12.070725Z",
                                        "deviceAttribute": {"model": "SM-S901E", "carrier": "Vodafone",
                                                            "manufacturer": "samsung",
                                                            "deviceDisplayName": "samsung SM-S901E"},
                                        "lastUpdateTime": "2024-08-27T22:55:15.184610Z"}}])
    got = without_raw(parse(member("Takeout/Google Play Store/Installs.json", installs)))
    assert got == [
        Activity(key=("play-install", "Baby Monitor 3G", "samsung SM-S901E", "2022-03-14T07:06:12.070725Z"),
                 locator="[0]", time="2022-03-14T07:06:12.070725Z", platform="google", product="Play Store",
                 action="installed", title="Baby Monitor 3G",
                 extra={"lastUpdateTime": "2024-08-27T22:55:15.184610Z",
                        "device": {"model": "SM-S901E", "carrier": "Vodafone", "manufacturer": "samsung",
                                   "deviceDisplayName": "samsung SM-S901E"},
                        "documentType": "Android Apps"}),
        ProfileFact(key=("play", "device", "samsung SM-S901E"), locator="[0]", platform="google", field="device",
                    value="samsung SM-S901E", extra={"carrier": "Vodafone"}),
    ]
    orders = json.dumps([{"orderHistory": {
        "orderId": "GPA.1", "creationTime": "2023-02-01T10:00:00.000Z",
        "billingInstrument": {"cardClass": "DEBIT", "cardType": "VISA", "displayName": "Visa-1234"},
        "billingContact": {"name": "Sam Rivera", "addressLine": ["12 Demo Terrace"], "city": "Leeds",
                           "postalCode": "LS6 1AA", "countryCode": "GB"},
        "ipAddress": "203.0.113.24", "ipCountry": "GB", "totalPrice": "£2.99",
        "lineItem": [{"doc": {"title": "Baby Monitor 3G"}, "quantity": 1}]}}])
    got = without_raw(parse(member("Takeout/Google Play Store/Order History.json", orders)))
    t = "2023-02-01T10:00:00Z"
    billing = {"from": "Play order billing"}
    assert got == [
        Purchase(key=("play-order", "GPA.1"), locator="[0]", time=t, platform="google", item="Baby Monitor 3G",
                 merchant="Google Play", amount=2.99, currency="GBP", payment_method="Visa-1234",
                 extra={"orderId": "GPA.1", "ipCountry": "GB"}),
        ProfileFact(key=("play", "name", "Sam Rivera"), locator="[0]", platform="google", field="name",
                    value="Sam Rivera", time=t, extra=billing),
        ProfileFact(key=("play", "address", "12 Demo Terrace, Leeds, LS6 1AA, GB"), locator="[0]",
                    platform="google", field="address", value="12 Demo Terrace, Leeds, LS6 1AA, GB", time=t,
                    extra=billing),
        ProfileFact(key=("play", "ip_address", "203.0.113.24"), locator="[0]", platform="google",
                    field="ip_address", value="203.0.113.24", time=t, extra=billing),
        ProfileFact(key=("play", "payment_card", "DEBIT VISA Visa-1234"), locator="[0]", platform="google",
                    field="payment_card", value="DEBIT VISA Visa-1234", time=t, extra=billing),
    ]


def test_google_pay_german_dates_and_amounts():
    csv_text = ("Zeit,Transaktions-ID,Beschreibung,Produkt,Zahlungsmethode,Status,Betrag\n"
                '"12. März 2021, 14:03",GPA.9,Windeln Größe 4,Google Pay,Visa •••• 1234,Abgeschlossen,"24,99 €"\n')
    got = without_raw(parse(member("Takeout/Google Pay/Transaktionen bei Google Play/transactions_1.csv", csv_text)))
    assert got == [Purchase(
        key=("pay", "GPA.9"), locator="line 2", time="2021-03-12T14:03:00", platform="google",
        item="Windeln Größe 4", merchant="Google Pay", amount=24.99, currency="EUR", payment_method="Visa •••• 1234",
        extra={"transaction_id": "GPA.9", "product": "Google Pay", "status": "Abgeschlossen",
               "amount_text": "24,99 €", "time_text": "12. März 2021, 14:03"})]


# ---------------------------------------------------------------------------------------------------------------
# Contacts, Profile, Gmail

def test_contacts_same_person_in_two_lists_is_one_person():
    all_contacts = parse(fixture("Takeout/Contacts/All Contacts/All Contacts.vcf"))
    starred = parse(fixture("Takeout/Contacts/Starred in Android/Starred in Android.vcf"))
    assert without_raw(all_contacts) == [
        Person(key=("contact", "jordan lee"), locator="line 1", name="Jordan Lee", platform="google",
               relation="contact", phones=["+44 7700 900201"], emails=["jordan.lee@example.org"],
               extra={"list": "All Contacts", "note": "met at antenatal class"}),
        Person(key=("contact", "ana costa"), locator="line 10", name="Ana Costa", platform="google",
               relation="contact", phones=[], emails=["ana.costa@example.pt"],
               extra={"list": "All Contacts", "organisation": "Hospital de Santa Maria"}),
    ]
    assert [p.key for p in starred] == [("contact", "jordan lee")]


def test_profile():
    data = json.dumps({"name": {"givenName": "Sam", "familyName": "Rivera", "formattedName": "Sam Rivera"},
                       "displayName": "Sam Rivera", "emails": [{"value": "sam.rivera@example.org"}],
                       "birthday": "1988-04-17", "gender": {"type": "female"}})
    assert without_raw(parse(member("Takeout/Profil/Profil.json", data))) == [
        ProfileFact(key=("profile", "name", "Sam Rivera"), locator="name", platform="google", field="name",
                    value="Sam Rivera"),
        ProfileFact(key=("profile", "birthday", "1988-04-17"), locator="birthday", platform="google",
                    field="birthday", value="1988-04-17"),
        ProfileFact(key=("profile", "gender", "female"), locator="gender", platform="google", field="gender",
                    value="female"),
        ProfileFact(key=("profile", "email", "sam.rivera@example.org"), locator="emails[0]", platform="google",
                    field="email", value="sam.rivera@example.org"),
    ]


def test_gmail_mbox():
    got = parse(fixture("Takeout/Mail/All mail Including Spam and Trash.mbox"))
    assert without_raw(got) == [
        Message(key=("gmail", "order-0001@babyshop.example"), locator="line 1", time="2025-10-21T19:27:04Z",
                platform="gmail", conversation="Your order", sender="Baby Shop Orders <orders@babyshop.example>",
                text="Thanks for your order: nappies, £24.00.\nFrom the Baby Shop team", kind="text",
                from_owner=None,
                extra={"thread_id": "1790000000000000001", "labels": ["Inbox", "Category Purchases"],
                       "message_id": "<order-0001@babyshop.example>", "subject": "Your order",
                       "time_basis": "Date header", "to": ["Sam Rivera <sam.rivera@example.org>"],
                       "attachments": [{"name": "invoice.pdf", "type": "application/pdf", "size": 9}]}),
        Message(key=("gmail-separator", "From 1790000000000000002@xxx Wed Oct 22 08:00:00 +0000 2025", 0),
                locator="line 25", time="2025-10-22T08:00:00Z", platform="gmail", conversation="Your order",
                sender="Sam Rivera <sam.rivera@example.org>", text="Where is my parcel?\nSam", kind="text",
                from_owner=True,
                extra={"thread_id": "1790000000000000001", "labels": ["Sent"], "subject": "Re: Your order",
                       "time_basis": "separator line", "to": ["orders@babyshop.example"]}),
    ]
    assert got[0].raw.startswith("X-GM-THRID: 1790000000000000001")


# ---------------------------------------------------------------------------------------------------------------
# what is claimed, skipped, left alone; bad input

def test_location_files_are_left_to_the_location_importer():
    c = ctx()
    for name, data in [
        ("Takeout/Location History/Records.json", '{"locations": []}'),
        ("Takeout/Standortverlauf/Semantic Location History/2022/2022_MAY.json", '{"timelineObjects": []}'),
        ("Takeout/Location History (Timeline)/Timeline Edits.json", '{"timelineEdits": []}'),
        ("Takeout/Location History (Timeline)/Settings.json", '{"deviceSettings": [], "retentionWindowDays": 1}'),
        ("Zeitachse.json", '{"semanticSegments": []}'),
        ("location-history.json", '[{"endTime": "2024-01-01T00:00:00Z", "startTime": "x", "timelinePath": []}]'),
        ("Takeout/Location History/Records.json", ""),
    ]:
        assert IMPORTER.claim(member(name, data), c) is None, name


def test_known_but_unread_files_are_skipped_and_unknown_ones_unclaimed():
    c = ctx()
    assert IMPORTER.claim(member("Takeout/archive_browser.html", "<html>index</html>"), c).reason == "the Takeout index page"
    assert IMPORTER.claim(member("Takeout/Google Fotos/2020/IMG_1.jpg", b"\xff\xd8"), c).reason == "media file: not read"
    assert IMPORTER.claim(member("Takeout/Google Shopping/Orders/Orders.txt", "x"), c) is None
    assert IMPORTER.claim(member("notes.json", '{"hello": 1}'), ImportContext(archive_name="notes.json")) is None


def test_truncated_json_keeps_the_records_before_and_reports():
    data = json.dumps([{"header": "Search", "title": "Searched for a", "time": "2025-01-01T00:00:00Z"},
                       {"header": "Search", "title": "Searched for b", "time": "2025-01-01T00:00:01Z"}])
    got = parse(member("Takeout/My Activity/Search/MyActivity.json", data[:-30]))
    assert [type(r).__name__ for r in got] == ["Activity", "Problem"]
    assert got[1] == Problem("the file stops in the middle of item [1] (cut off, perhaps by an interrupted download); "
                            "the 1 item(s) before it were read", "[1]")


def test_empty_file_and_invalid_utf8_html_are_reported():
    empty = parse(member("Takeout/My Activity/Search/MyActivity.json", b""))
    assert empty == [Problem("the file is empty (0 bytes): nothing to read", None, "warning")]
    html = (FIXTURES / SEARCH_HTML).read_bytes().replace(b"nappies size 4</a>", b"nappies size 4\xff\xfe</a>")
    got = parse(member("Takeout/My Activity/Search/MyActivity.html", html))
    assert got[0].title == "Searched for nappies size 4\ufffd\ufffd"
    assert Problem("2 byte(s) were not valid UTF-8 and were replaced", None, "warning") in got


def test_whole_takeout_zip(tmp_path):
    path = tmp_path / "takeout-20251201T120000Z-001.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for file in sorted(FIXTURES.rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(FIXTURES).as_posix())
        zf.writestr("Takeout/Location History/Records.json", '{"locations": []}')
        zf.writestr("Takeout/YouTube and YouTube Music/channels/channel.csv", "Channel ID,Channel Title\n")
    archive = open_inputs([path])[0]
    c = ImportContext(archive_name=archive.label, names=archive.names, created=archive.created())
    assert c.created == CREATED
    tables: dict[str, int] = {}
    unclaimed = []
    for m in archive.members():
        claim = IMPORTER.claim(m, c)
        if claim is None:
            unclaimed.append(m.name)
            continue
        if not claim.parse:
            continue
        for r in IMPORTER.parse(m, c):
            if hasattr(r, "TABLE"):
                tables[r.TABLE] = tables.get(r.TABLE, 0) + 1
    assert unclaimed == ["Takeout/Location History/Records.json"]
    assert tables == {"activities": 8, "people": 3, "messages": 2}  # 3 JSON + 2 HTML + 2 German + 1 Gemini


# ---------------------------------------------------------------------------------------------------------------
# Maps, Fit, Keep, Calendar, Access Log, legacy YouTube comments, Play library and purchases

def test_maps_saved_and_labelled_places():
    saved = json.dumps({"type": "FeatureCollection", "features": [
        {"geometry": {"coordinates": [-1.55232, 53.80756], "type": "Point"},
         "properties": {"date": "2024-02-01T10:00:00Z", "google_maps_url": "http://maps.google.com/?cid=1",
                        "location": {"address": "1 Park Row, Leeds", "name": "Family Planning Clinic",
                                     "country_code": "GB"}}, "type": "Feature"},
        {"geometry": {"coordinates": [0, 0], "type": "Point"},
         "properties": {"date": "2024-02-02T10:00:00Z", "google_maps_url": "http://maps.google.com/?q=x",
                        "Comment": "No location information is available for this saved place"}, "type": "Feature"}]})
    assert without_raw(parse(member("Takeout/Maps (your places)/Saved Places.json", saved))) == [
        Activity(key=("maps-saved", "http://maps.google.com/?cid=1", "2024-02-01T10:00:00Z"), locator="features[0]",
                 time="2024-02-01T10:00:00Z", platform="google", product="Maps", action="saved",
                 title="Family Planning Clinic", url="http://maps.google.com/?cid=1",
                 extra={"lat": 53.80756, "lon": -1.55232, "address": "1 Park Row, Leeds", "country_code": "GB"}),
        Activity(key=("maps-saved", "http://maps.google.com/?q=x", "2024-02-02T10:00:00Z"), locator="features[1]",
                 time="2024-02-02T10:00:00Z", platform="google", product="Maps", action="saved", title=None,
                 url="http://maps.google.com/?q=x",
                 extra={"comment": "No location information is available for this saved place"}),
    ]
    labelled = json.dumps({"type": "FeatureCollection", "features": [
        {"geometry": {"coordinates": [-1.55232, 53.80756], "type": "Point"},
         "properties": {"name": "Home", "address": "12 Demo Terrace, Leeds LS6 1AA"}, "type": "Feature"}]})
    assert without_raw(parse(member("Takeout/Maps/Meine Orte mit Beschriftungen/Orte mit Beschriftungen.json",
                                    labelled))) == [
        PlatformInference(key=("maps-label", "home", "12 Demo Terrace, Leeds LS6 1AA"), locator="features[0]",
                          platform="google", category="semantic_place", value="Home: 12 Demo Terrace, Leeds LS6 1AA",
                          extra={"lat": 53.80756, "lon": -1.55232, "address": "12 Demo Terrace, Leeds LS6 1AA",
                                 "semantic_type": "HOME"})]
    saved_list = "Title,Note,URL,Comment\nLittle Acorns Nursery,pick-up 5pm,https://www.google.com/maps/place/x,\n"
    assert without_raw(parse(member("Takeout/Saved/Favourite places.csv", saved_list))) == [
        Activity(key=("maps-list", "Favourite places", "https://www.google.com/maps/place/x"), locator="line 2",
                 time=None, platform="google", product="Maps", action="saved", title="Little Acorns Nursery",
                 url="https://www.google.com/maps/place/x", extra={"list": "Favourite places", "note": "pick-up 5pm"})]


def test_fit_daily_metrics_and_session_are_health_data():
    daily = "Date,Move Minutes count,Calories (kcal),Step count\n2024-03-01,41,1890.5,8432\n"
    got = without_raw(parse(member("Takeout/Fit/Daily activity metrics/Daily activity metrics.csv", daily)))
    assert got == [Activity(
        key=("fit-day", "2024-03-01"), locator="line 2", time="2024-03-01T00:00:00", platform="google",
        product="Fit", action="recorded",
        title="Daily activity 2024-03-01: Move Minutes count 41, Calories (kcal) 1890.5, Step count 8432",
        extra={"metrics": {"Move Minutes count": "41", "Calories (kcal)": "1890.5", "Step count": "8432"},
               "sensitive": "health", "steps": "8432"})]
    session = json.dumps({"fitnessActivity": "walking", "startTime": "2019-08-12T05:14:08.709Z",
                          "endTime": "2019-08-12T05:28:11.772Z", "duration": "843.063s",
                          "aggregate": [{"metricName": "com.google.step_count.delta", "intValue": 1310}]})
    assert without_raw(parse(member("Takeout/Google Fit/Alle Sitzungen/2019-08-12T07_14_08.709+02_00_WALKING.json",
                                    session))) == [Activity(
        key=("fit-session", "2019-08-12T05:14:08.709Z", "walking"), locator="$", time="2019-08-12T05:14:08.709Z",
        platform="google", product="Fit", action="exercised", title="walking",
        extra={"end_time": "2019-08-12T05:28:11.772Z", "duration": "843.063s",
               "aggregates": {"com.google.step_count.delta": 1310}, "sensitive": "health"})]


def test_keep_note_and_calendar_event():
    note = json.dumps({"color": "DEFAULT", "isTrashed": False, "isPinned": True, "isArchived": False,
                       "title": "Shopping", "userEditedTimestampUsec": 1700000000000000,
                       "createdTimestampUsec": 1690000000000000,
                       "listContent": [{"text": "nappies", "isChecked": True}, {"text": "calpol", "isChecked": False}]})
    assert without_raw(parse(member("Takeout/Keep/Shopping.json", note))) == [Post(
        key=("keep", "Shopping.json", 1690000000000000), locator="$", time="2023-07-22T04:26:40Z", platform="google",
        kind="note", text="Shopping\n[x] nappies\n[ ] calpol", target=None,
        extra={"title": "Shopping", "isPinned": True, "color": "DEFAULT", "userEditedTimestampUsec": 1700000000000000})]
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:20240315T093000\r\n"
           "DTEND;TZID=Europe/London:20240315T100000\r\nSUMMARY:Health visitor\\, 2-year review\r\n"
           "LOCATION:Little Acorns\r\n  Nursery\r\nUID:ev1@google.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert without_raw(parse(member("Takeout/Kalender/sam@example.org.ics", ics))) == [Activity(
        key=("calendar", "ev1@google.com", "20240315T093000", ""), locator="line 3", time="2024-03-15T09:30:00Z",
        platform="google", product="Calendar", action="scheduled", title="Health visitor, 2-year review",
        extra={"calendar": "sam@example.org", "location": "Little Acorns Nursery", "end": "20240315T100000",
               "start_text": "20240315T093000"})]


def test_access_log_activity():
    csv_text = ("Activity Timestamp,IP Address,Activity Country,Activity Region,Activity City,User Agent String,"
                "Product Name,Activity Type\n"
                "2024-01-05 07:30:00 UTC,203.0.113.9,GB,England,Leeds,Mozilla/5.0 (Android 14),Gmail,Login\n"
                "2024-01-06 07:31:00 UTC,203.0.113.9,GB,England,Leeds,Mozilla/5.0 (Android 14),Search,Login\n")
    got = without_raw(parse(member("Takeout/Access Log Activity/Activities - A list of Google services accessed by.csv",
                                   csv_text)))
    assert [type(r).__name__ for r in got] == ["Activity", "ProfileFact", "Activity"]
    assert got[0].time == "2024-01-05T07:30:00Z" and got[0].title == "Gmail Login"
    assert got[1] == ProfileFact(key=("access-ip", "203.0.113.9"), locator="line 2", platform="google",
                                 field="ip_address", value="203.0.113.9", time="2024-01-05T07:30:00Z",
                                 extra={"city": "Leeds", "country": "GB"})


def test_legacy_youtube_comment_html():
    page = ('<html><body><ul><li>Sent at 2020-04-27 23:18:23 UTC while watching '
            '<a href="https://www.youtube.com/watch?v=v1">a video</a>.<br/>first! &amp; best</li></ul></body></html>')
    assert without_raw(parse(member("Takeout/YouTube/my-comments/my-comments.html", page))) == [Post(
        key=("comment", "html", "2020-04-27 23:18:23 UTC", "https://www.youtube.com/watch?v=v1"), locator="item 1",
        time="2020-04-27T23:18:23Z", platform="google", kind="comment", text="first! & best",
        target="https://www.youtube.com/watch?v=v1", extra={"video_title": "a video"})]


def test_play_library_and_purchase_history():
    data = json.dumps([{"purchaseHistory": {"invoicePrice": "£4.99", "paymentMethodTitle": "Visa-1234",
                                            "userCountry": "GB", "doc": {"documentType": "Android Apps",
                                                                         "title": "Cash Advance Pro"},
                                            "purchaseTime": "2025-01-02T03:04:05.678Z"}}])
    assert without_raw(parse(member("Takeout/Google Play Store/Purchase History.json", data))) == [Purchase(
        key=("play-purchase", "2025-01-02T03:04:05.678Z", "Cash Advance Pro"), locator="[0]",
        time="2025-01-02T03:04:05.678Z", platform="google", item="Cash Advance Pro", merchant="Google Play",
        amount=4.99, currency="GBP", payment_method="Visa-1234",
        extra={"invoicePrice": "£4.99", "userCountry": "GB"})]
    library = json.dumps([{"libraryDoc": {"doc": {"documentType": "Book", "title": "What to Expect: The Toddler Years"},
                                          "acquisitionTime": "2024-06-01T12:00:00Z"}}])
    assert without_raw(parse(member("Takeout/Google Play Store/Library.json", library))) == [Activity(
        key=("play-library", "What to Expect: The Toddler Years", "2024-06-01T12:00:00Z"), locator="[0]",
        time="2024-06-01T12:00:00Z", platform="google", product="Play Store", action="acquired",
        title="What to Expect: The Toddler Years", extra={"documentType": "Book"})]


# ---------------------------------------------------------------------------------------------------------------
# through the pipeline: HTML and JSON stored once; a multi-part set; re-import changes nothing

def _zip(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


def test_pipeline_html_and_json_of_the_same_events_are_stored_once(tmp_path):
    from datavault.pipeline import import_paths
    from datavault.store import Vault
    json_bytes = (FIXTURES / SEARCH_JSON).read_bytes()
    html_bytes = (FIXTURES / SEARCH_HTML).read_bytes()
    # a 2-part set of one takeout (HTML in part 1, JSON in part 2), then a later takeout with the JSON again
    part1 = _zip(tmp_path / "takeout-20251201T120000Z-001.zip", {SEARCH_HTML: html_bytes})
    part2 = _zip(tmp_path / "takeout-20251201T120000Z-002.zip", {SEARCH_JSON: json_bytes})
    later = _zip(tmp_path / "takeout-20260301T101500Z-3-001.zip", {SEARCH_JSON: json_bytes})
    vault = tmp_path / "v.sqlite"
    import_paths(vault, [part1, part2])
    import_paths(vault, [later])
    import_paths(vault, [part1, part2])  # re-import: nothing new
    with Vault.open(vault) as v, v.reading() as conn:
        from sqlalchemy import text
        rows = conn.execute(text("SELECT time, action, title, url FROM activities ORDER BY time")).all()
    assert [tuple(r) for r in rows] == [
        ("2025-11-02T08:00:01Z", "searched", "Searched for cheap flights lisbon",
         "https://www.google.com/search?q=cheap+flights+lisbon"),
        ("2025-11-03T21:10:00Z", "visited", "Visited StepChange Debt Charity", "https://www.stepchange.org/"),
        ("2025-11-03T21:14:05Z", "searched", "Searched for nappies size 4",
         "https://www.google.com/search?q=nappies+size+4"),
    ]


def test_discover_topics_and_unknown_play_keys_are_reported():
    data = json.dumps([{"header": "Discover", "title": "7 cards in your feed", "time": "2021-12-13T03:04:05.007Z",
                        "products": ["Discover"], "subtitles": [{"name": "Payday loans"}, {"name": "Parenting"}]},
                       {"header": "Discover", "title": "3 cards in your feed", "time": "2021-12-12T03:04:05.007Z",
                        "products": ["Discover"], "subtitles": [{"name": "Parenting"}]}])
    got = without_raw(parse(member("Takeout/My Activity/Discover/MyActivity.json", data)))
    assert [r for r in got if isinstance(r, PlatformInference)] == [
        PlatformInference(key=("discover-topic", "Payday loans"), locator="[0].subtitles", platform="google",
                          category="topic", value="Payday loans", time="2021-12-13T03:04:05.007Z",
                          extra={"from": "Discover"}),
        PlatformInference(key=("discover-topic", "Parenting"), locator="[0].subtitles", platform="google",
                          category="topic", value="Parenting", time="2021-12-13T03:04:05.007Z",
                          extra={"from": "Discover"}),
    ]
    play = json.dumps([{"libraryDoc": {"doc": {"title": "X"}, "acquisitionTime": "2024-06-01T12:00:00Z",
                                       "familyShared": True}}, {"wishlist": {"doc": {"title": "Y"}}}])
    got = parse(member("Takeout/Google Play Store/Library.json", play))
    assert got[-1] == Problem("keys not understood (kept in raw): libraryDoc.familyShared, wishlist", None, "warning")


def test_a_my_activity_product_named_timeline_is_still_activity():
    data = json.dumps([{"header": "Maps", "title": "Viewed Timeline", "time": "2024-01-01T10:00:00Z"}])
    got = parse(member("Takeout/My Activity/Timeline/MyActivity.json", data))
    assert [r.action for r in got] == ["viewed"]


def test_vcard_quoted_printable_name_and_family_group():
    card = ("BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=BC=\r\nller\r\n"
            "TEL;CELL:+49 151 0000000\r\nCATEGORIES:Familie,myContacts\r\nEND:VCARD\r\n")
    got = without_raw(parse(member("Takeout/Google Kontakte/Alle Kontakte/Alle Kontakte.vcf", card)))
    assert got == [Person(key=("contact", "jörg müller"), locator="line 1", name="Jörg Müller", platform="google",
                          relation="family", phones=["+49 151 0000000"], emails=[],
                          extra={"list": "Alle Kontakte", "groups": "Familie,myContacts"})]


def test_fast_cell_reader_agrees_with_the_full_html_parser():
    from datavault.importers.takeout import activity
    cells = []
    for name in (SEARCH_HTML, "Takeout/Meine Aktivitäten/YouTube/MeineAktivitäten.html",
                 "Takeout/My Activity/Gemini Apps/MyActivity.html"):
        cells.extend(cell for _, cell in activity.iter_cells(fixture(name).open()))
    assert len(cells) == 5
    for cell in cells:
        fast = activity._fast_cell(cell)
        slow = activity._CellParser()
        slow.feed(cell)
        slow.close()
        assert fast is not None
        assert activity._html_record(fast, ctx(), "x") == activity._html_record(slow, ctx(), "x")


def test_unusual_markup_falls_back_to_the_full_parser():
    page = ("<html><body><div class='outer-cell mdl-cell'><div class='mdl-grid'>"
            "<div class='header-cell'><p class='mdl-typography--title'>Maps</p></div>"
            "<div class='content-cell mdl-typography--body-1'>Viewed&nbsp;<a href='https://maps.google.com/?q=1'>"
            "area around Roundhay Park</a><br>Mar 8, 2018, 5:14:40 PM</div></div></div></body></html>")
    got = without_raw(parse(member("Takeout/My Activity/Maps/MyActivity.html", page)))
    assert got == [Activity(
        key=("activity", "maps", "2018-03-08T17:14:40Z", "viewed area around roundhay park", 0), locator="cell 1",
        time="2018-03-08T17:14:40Z", platform="google", product="Maps", action="viewed",
        title="Viewed area around Roundhay Park", url="https://maps.google.com/?q=1",
        extra={"header": "Maps", "time_text": "Mar 8, 2018, 5:14:40 PM", "time_basis": "no zone: UTC"})]


# ---------------------------------------------------------------------------------------------------------------
# the demo Takeout

def test_demo_takeout_plants_what_the_report_looks_for(tmp_path):
    import random

    from sqlalchemy import text

    from datavault.demo import takeout as demo
    from datavault.pipeline import import_paths
    from datavault.store import Vault
    first = demo.write(tmp_path / "a", random.Random("7:takeout"), 1)
    second = demo.write(tmp_path / "b", random.Random("7:takeout"), 1)
    assert first[0].read_bytes() == second[0].read_bytes()
    vault = tmp_path / "v.sqlite"
    import_paths(vault, first)
    with Vault.open(vault) as v, v.reading() as conn:
        def q(sql):
            return [tuple(r) for r in conn.execute(text(sql)).all()]
        assert q("SELECT product, action, count(*) FROM activities GROUP BY 1, 2 ORDER BY 1, 2") == [
            ("Chrome", "visited", 2), ("Photos", "photographed", 3), ("Play Store", "installed", 5),
            ("Search", "searched", 52),
            ("Search", "visited", 3), ("YouTube", "subscribed", 3), ("YouTube", "watched", 18)]
        night_gaming = q("SELECT count(*) FROM activities WHERE product = 'YouTube' AND action = 'watched' "
                         "AND CAST(substr(time, 12, 2) AS INTEGER) IN (23, 0, 1, 2, 3) "
                         "AND (extra LIKE '%Gaming%' OR extra LIKE '%NightOwl%')")
        assert night_gaming == [(12,)]
        assert q("SELECT title FROM activities WHERE action = 'subscribed' AND title LIKE '%Politics%'") == [
            ("Red Rose Politics Weekly",)]
        assert q("SELECT count(*) FROM activities WHERE title LIKE 'Searched for nappies%'") == [(3,)]
        # Photos: two places (the one saved from WhatsApp says where its sender was: none), Jordan tagged
        assert q("SELECT round(lat, 5), round(lon, 5) FROM locations WHERE extra LIKE '%Photos%' ORDER BY time") == [
            (53.80756, -1.55232), (53.79512, -1.53977)]
        assert q("SELECT name, relation FROM people WHERE relation = 'tagged'") == [("Jordan Lee", "tagged")]
        assert q("SELECT item, amount, currency FROM purchases ORDER BY item") == [
            ("Baby Monitor 3G", 2.99, "GBP"), ("Cash Advance Pro subscription", 4.99, "GBP"),
            ("Pampers Baby-Dry Nappies Size 4 (x90)", 24.0, "GBP")]
        assert q("SELECT count(*), count(DISTINCT name) FROM people") == [(7, 6)]  # Jordan: a card and a face
        assert q("SELECT field, value FROM profile WHERE field IN ('birthday', 'gender', 'ip_address') "
                 "ORDER BY field") == [("birthday", "1988-04-17"), ("gender", "female"), ("ip_address", "203.0.113.24")]
        assert q("SELECT platform, sender FROM messages") == [("gmail", "Baby Shop Orders <orders@babyshop.example>")]


def test_broken_item_inside_a_complete_file_is_reported_as_invalid():
    data = ('[{"header": "Search", "title": "Searched for a", "time": "2025-01-01T00:00:00Z"},\n'
            ' {"header": "Search", "title": "Searched for b" "time": "2025-01-01T00:00:01Z"}]')
    got = parse(member("Takeout/My Activity/Search/MyActivity.json", data))
    assert [type(r).__name__ for r in got] == ["Activity", "Problem"]
    assert got[1] == Problem("item [1] is not valid JSON (Expecting ',' delimiter)", "[1]")


def test_spanish_and_french_html_titles_and_times():
    cell = ('<div class="outer-cell mdl-cell"><div class="mdl-grid"><div class="header-cell mdl-cell">'
            '<p class="mdl-typography--title">{header}<br></p></div>'
            '<div class="content-cell mdl-cell mdl-typography--body-1">{body}<br>{stamp}</div></div></div>')
    page = "<html><body>" + cell.format(
        header="Búsqueda", body='Has buscado <a href="https://www.google.com/search?q=pa%C3%B1ales">pañales</a>',
        stamp="15 ago 2022, 9:05:00 p. m. CEST") + cell.format(
        header="YouTube", body='Vous avez regardé <a href="https://www.youtube.com/watch?v=z">Comptines</a>',
        stamp="8 févr. 2017, 00:32:36 UTC") + "</body></html>"
    got = [r for r in parse(member("Takeout/Mi actividad/Búsqueda/MiActividad.html", page))
           if isinstance(r, Activity)]
    assert [(r.time, r.product, r.action, r.title, r.url) for r in got] == [
        ("2022-08-15T19:05:00Z", "Search", "searched", "Has buscado pañales", "https://www.google.com/search?q=pa%C3%B1ales"),
        ("2017-02-08T00:32:36Z", "YouTube", "watched", "Vous avez regardé Comptines", "https://www.youtube.com/watch?v=z"),
    ]


def test_media_of_other_exports_is_not_claimed():
    c = ImportContext(archive_name="facebook-samrivera-2025.zip")
    assert IMPORTER.claim(member("messages/inbox/jordan_1/photos/123.jpg", b"\xff\xd8"), c) is None
    assert IMPORTER.claim(member("groups/your_groups.json", '{"groups_joined": []}'), c) is None
    assert IMPORTER.claim(member("Google Fotos/2020/IMG_1.jpg", b"\xff\xd8"), c).reason == "media file: not read"


def test_liked_videos_playlist_csv_and_chrome_extensions():
    csv_text = "Video ID,Playlist Video Creation Timestamp\nv7,2024-11-02T21:00:00+00:00\n"
    assert without_raw(parse(member("Takeout/YouTube und YouTube Music/Playlists/Videos mit „Mag ich“-Bewertung.csv",
                                    csv_text))) == [Activity(
        key=("yt-like", "v7", "2024-11-02T21:00:00+00:00", None), locator="line 2", time="2024-11-02T21:00:00Z",
        platform="google", product="YouTube", action="liked", title=None, url="https://www.youtube.com/watch?v=v7",
        extra={"video_id": "v7", "playlist": "Videos mit „Mag ich“-Bewertung"})]
    extensions = json.dumps({"Extensions": [{"name": "Honey", "id": "bmnl", "version": "16.0", "enabled": True}]})
    assert without_raw(parse(member("Takeout/Chrome/Erweiterungen.json", extensions))) == [ProfileFact(
        key=("chrome-extension", "bmnl"), locator="Extensions[0]", platform="google", field="browser_extension",
        value="Honey", extra={"id": "bmnl", "version": "16.0", "enabled": True})]
