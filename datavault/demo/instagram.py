"""The demo persona's Instagram download (the Accounts Center layout of 2025-2026, JSON, with Meta's encoding bug:
each UTF-8 byte of a non-ASCII character written as its own \\u00XX escape, as in the Facebook demo).

It tells the same story: Jordan follows Sam and writes in a direct-message thread, and the phone's address book,
synced to Instagram, holds Jordan's number, which makes Jordan one person across WhatsApp, Facebook, Google and
Instagram; a search for a pram, a topic "Parenting" Instagram inferred, and an advertiser that uploaded Sam's data.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from datavault.demo.facebook import FRIEND_LINES, OWNER_LINES, _ts, write_zip
from datavault.demo.persona import PERSONA

ME = PERSONA.name
ARCHIVE = "instagram-sam.rivera-2024-11-20-Xk29aQ.zip"


def _sld(value: str, moment: dt.datetime) -> dict:
    return {"title": "", "media_list_data": [], "string_list_data": [
        {"href": f"https://www.instagram.com/{value}", "value": value, "timestamp": _ts(moment)}]}


def _smd(**fields: Any) -> dict:
    data = {label.replace("_", " "): ({"href": "", "value": "", "timestamp": value} if isinstance(value, int)
                                      else {"href": "", "value": value, "timestamp": 0})
            for label, value in fields.items()}
    return {"title": "", "media_map_data": {}, "string_map_data": data}


def build_files(rng: random.Random, scale: int = 1) -> dict[str, Any]:
    jordan = next(c for c in PERSONA.contacts if c.name == "Jordan Lee")
    first, last = jordan.name.split(" ", 1)
    moment, messages = dt.datetime(2024, 6, 2, 20, 0), []
    for _ in range(12 * scale):
        moment += dt.timedelta(minutes=rng.choice((4, 15, 60, 240, 900)))
        mine = rng.random() < 0.5
        messages.append({"sender_name": ME if mine else jordan.name, "timestamp_ms": _ts(moment) * 1000,
                         "content": rng.choice(OWNER_LINES if mine else FRIEND_LINES), "is_geoblocked_for_viewer": False})
    messages.reverse()  # Instagram writes the newest message first
    return {
        "personal_information/personal_information/personal_information.json": {"profile_user": [_smd(
            Email=PERSONA.email, Username="sam.rivera", Name=ME, Gender=PERSONA.gender)]},
        "connections/followers_and_following/followers_1.json": [_sld("jordan.lee.climbs", dt.datetime(2021, 4, 3, 9)),
                                                                 _sld("priya.shah", dt.datetime(2022, 1, 15, 18))],
        "connections/followers_and_following/following.json": {"relationships_following": [
            _sld("jordan.lee.climbs", dt.datetime(2021, 4, 3, 9, 5))]},
        "connections/contacts/synced_contacts.json": {"contacts_contact_info": [
            _smd(First_Name=first, Surname=last, Contact_Information=jordan.phone.replace(" ", ""))]},
        "your_instagram_activity/messages/inbox/jordanlee_17841400000000001/message_1.json": {
            "participants": [{"name": jordan.name}, {"name": ME}], "messages": messages, "title": jordan.name,
            "is_still_participant": True, "thread_path": "inbox/jordanlee_17841400000000001", "magic_words": []},
        "logged_information/recent_searches/word_or_phrase_searches.json": {"searches_keyword": [
            _smd(Search="double pram second hand", Time=_ts(dt.datetime(2024, 7, 9, 22, 41)))]},
        "preferences/your_topics/recommended_topics.json": {"topics_your_topics": [_smd(Name="Parenting"),
                                                                                   _smd(Name="Climbing")]},
        "ads_information/instagram_ads_and_businesses/advertisers_using_your_activity_or_information.json": {
            "ig_custom_audiences_all_types": [{"advertiser_name": "Little Acorns Baby Store",
                                               "has_data_file_custom_audience": True,
                                               "has_remarketing_custom_audience": True,
                                               "has_in_person_store_visit": False}]},
    }


def write(out_dir: Path, rng: random.Random, scale: int) -> list[Path]:
    folder = out_dir / "instagram"
    folder.mkdir(parents=True, exist_ok=True)
    return [write_zip(folder / ARCHIVE, build_files(rng, scale))]
