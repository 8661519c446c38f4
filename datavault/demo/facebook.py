"""Demo Facebook "Download Your Information" export for the persona, in the 2024 layout (``your_facebook_activity/``),
JSON format, with Facebook's mojibake encoding of every non-ASCII character.

It tells the same story as the WhatsApp and Takeout demos: the same friends (Jordan, Priya, Tom, Chris, Ana), a
toddler at Little Acorns Nursery, a union (GMB) and a strike, a political page, the cathedral, a late bar, money
worries. And it holds what Facebook concluded on its own: ad interests including sensitive ones (religion,
politics, health, trade union, payday loans), "other categories" such as "Parents with toddlers", advertisers who
uploaded a list with the person's details, off-Meta activity, and login IPs in Leeds. One chat sits in
``e2ee_cutover/``, as in real 2024 exports; its later, end-to-end-encrypted part comes as Messenger's separate
secure-storage download (a second zip), imported in the same command.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import zipfile
from pathlib import Path
from typing import Any

from datavault.demo.persona import PERSONA

UTC = dt.timezone.utc
ME = PERSONA.name


def mojibake(value: Any) -> Any:
    """Facebook's encoding bug: each UTF-8 byte written as its own \\u00XX escape (the tests' fixtures use it too)."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, dict):
        return {k: mojibake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    return value


def _ts(moment: dt.datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


def _lv(label: str, value: str) -> dict:
    return {"label": label, "value": value}


OWNER_LINES = ["Are you at the picket tomorrow?", "Mia has a temperature again 🤒", "Nursery pick-up at 5:30?",
               "Strike pay comes through Friday", "Can't afford the trip this month tbh", "Thanks lovely ❤️",
               "See you at the Lantern later?", "Mass at 10 then park?", "Clinic appointment went fine",
               "Running late, sorry!", "Night all 😴", "Mia said 'nana' today 🍌"]
FRIEND_LINES = ["Yes! 6am at the gates ✊", "Poor thing, hope she feels better", "Sure", "Haha same",
                "Want me to bring anything?", "👍", "On my way", "How did it go?", "Proud of you",
                "Café Nero at 11?", "Zoë says hi 👋"]


def _thread(title: str, participants: list[str], path: str, rng: random.Random, n: int,
            start: dt.datetime) -> dict:
    moment, messages = start, []
    for i in range(n):
        moment += dt.timedelta(minutes=rng.choice((2, 5, 11, 40, 90, 300, 900)))
        if rng.random() < 0.1:
            moment = moment.replace(hour=rng.choice((0, 1, 2)))
            moment += dt.timedelta(days=1)
        sender = ME if rng.random() < 0.5 else rng.choice([p for p in participants if p != ME])
        msg: dict[str, Any] = {"sender_name": sender, "timestamp_ms": _ts(moment) * 1000 + rng.randrange(1000)}
        if i % 17 == 3:
            msg["photos"] = [{"uri": f"your_facebook_activity/messages/{path}/photos/{i}.jpg",
                              "creation_timestamp": _ts(moment)}]
        else:
            msg["content"] = rng.choice(OWNER_LINES if sender == ME else FRIEND_LINES)
        if i % 11 == 5:
            msg["reactions"] = [{"reaction": "❤", "actor": rng.choice(participants)}]
        msg["is_geoblocked_for_viewer"] = False
        messages.append(msg)
    messages.reverse()  # Facebook writes newest first
    return {"participants": [{"name": p} for p in participants], "messages": messages, "title": title,
            "is_still_participant": True, "thread_path": path,
            "thread_type": "RegularGroup" if len(participants) > 2 else "Regular", "magic_words": [],
            "image": {"uri": "", "creation_timestamp": 0}, "joinable_mode": {"mode": 1, "link": ""}}


def build_files(rng: random.Random, scale: int = 1, threads: int | None = None) -> dict[str, Any]:
    """The export's files: path -> JSON value (bytes for media). ``threads`` adds that many extra 1:1 threads."""
    start = dt.datetime(2024, 3, 4, 8, 0)
    friends = ["Jordan Lee", "Priya Shah", "Tom Okafor", "Chris Novak", "Ana Costa", "Zoë Ćirić", "Dev Malhotra",
               "Hannah O'Brien", "Kasia Nowak", "Marcus Bell"]
    files: dict[str, Any] = {}
    # the phone's address book, uploaded: Jordan's number ties the Facebook Jordan to the WhatsApp and Google one
    jordan = next(c for c in PERSONA.contacts if c.name == "Jordan Lee")
    files["personal_information/other_personal_information/your_address_books.json"] = {"address_book_v2": {
        "address_book": [{"name": jordan.name, "details": [{"contact_point": jordan.phone.replace(" ", "")}],
                          "created_timestamp": _ts(dt.datetime(2023, 11, 2, 20, 14))}]}}
    pi = "personal_information/profile_information/profile_information.json"
    files[pi] = {"profile_v2": {
        "name": {"full_name": ME, "first_name": PERSONA.first_name, "middle_name": "", "last_name": "Rivera"},
        "emails": {"emails": [PERSONA.email], "previous_emails": [], "pending_emails": [], "ad_account_emails": []},
        "birthday": {"year": 1988, "month": 4, "day": 17},
        "gender": {"gender_option": PERSONA.gender.upper(), "pronoun": PERSONA.gender.upper()},
        "previous_names": [{"name": "Sam Ríos", "timestamp": _ts(dt.datetime(2014, 6, 1))}],
        "current_city": {"name": f"{PERSONA.city}, United Kingdom", "timestamp": 0},
        "hometown": {"name": f"{PERSONA.hometown}, United Kingdom", "timestamp": _ts(dt.datetime(2012, 1, 9))},
        "relationship": {"status": "Married", "partner": "Alex Rivera", "timestamp": _ts(dt.datetime(2019, 8, 3))},
        "family_members": [{"name": "Ana Costa", "relation": "Cousin", "timestamp": _ts(dt.datetime(2015, 2, 1))}],
        "education_experiences": [{"name": "University of Leeds", "start_timestamp": _ts(dt.datetime(2006, 9, 25)),
                                   "end_timestamp": _ts(dt.datetime(2009, 7, 1)), "graduated": True,
                                   "concentrations": ["Logistics"], "school_type": "College"}],
        "work_experiences": [{"employer": "Northwind Logistics", "title": "Shift planner",
                              "start_timestamp": _ts(dt.datetime(2016, 5, 2))}],
        "phone_numbers": [{"phone_type": "Mobile", "phone_number": PERSONA.phone.replace(" ", ""),
                           "verified": True}],
        "username": "sam.rivera.88", "registration_timestamp": _ts(dt.datetime(2008, 10, 12, 19, 4)),
    }}
    conn = "connections/friends/"
    files[conn + "your_friends.json"] = {"friends_v2": [
        {"name": name, "timestamp": _ts(dt.datetime(2010 + i, 1 + i % 12, 3 + i))} for i, name in enumerate(friends)]}
    files[conn + "removed_friends.json"] = {"deleted_friends_v2": [
        {"name": "Gary Fletcher", "timestamp": _ts(dt.datetime(2023, 11, 20))}]}
    files[conn + "received_friend_requests.json"] = {"received_requests_v2": [
        {"name": "Lena Vogt", "timestamp": _ts(dt.datetime(2024, 9, 2))}]}
    files[conn + "sent_friend_requests.json"] = {"sent_requests_v2": [
        {"name": "Mrs Patel (Little Acorns)", "timestamp": _ts(dt.datetime(2024, 4, 15))}]}
    files["connections/followers/who_you've_followed.json"] = {"following_v3": [
        {"name": "GMB Union", "timestamp": _ts(dt.datetime(2022, 3, 1))},
        {"name": "Leeds Labour Party", "timestamp": _ts(dt.datetime(2023, 5, 6))}]}

    act = "your_facebook_activity/"
    files[act + "groups/your_group_membership_activity.json"] = {"groups_joined_v2": [
        {"timestamp": _ts(moment), "data": [{"name": name}], "title": f"{ME} became a member of {name}."}
        for name, moment in (("Parents of Room 3 – Little Acorns", dt.datetime(2023, 9, 4)),
                             ("GMB Yorkshire & North Derbyshire Members", dt.datetime(2022, 2, 14)),
                             ("Leeds Mums & Toddlers", dt.datetime(2023, 1, 20)),
                             ("Hyde Park Community Noticeboard", dt.datetime(2021, 6, 1)))]}
    files[act + "groups/group_posts_and_comments.json"] = {"group_posts_v2": [
        {"timestamp": _ts(dt.datetime(2024, 5, 9, 21, 14)), "data": [{"post": "Strike pay forms are in the office – "
                                                                       "ask your rep ✊"}],
         "title": f"{ME} posted in GMB Yorkshire & North Derbyshire Members."}]}
    files[act + "groups/your_comments_in_groups.json"] = {"group_comments_v2": [
        {"timestamp": _ts(dt.datetime(2024, 6, 2, 20, 1)), "data": [{"comment": {
            "timestamp": _ts(dt.datetime(2024, 6, 2, 20, 1)), "comment": "Mia had the same rash, nursery said it's "
                                                                       "going round", "author": ME,
            "group": "Leeds Mums & Toddlers"}}], "title": f"{ME} commented on a post in Leeds Mums & Toddlers."}]}
    files[act + "pages/pages_you've_liked.json"] = {"page_likes_v2": [
        {"name": name, "timestamp": _ts(moment), "url": f"https://www.facebook.com/{slug}"}
        for name, slug, moment in (("Leeds Labour Party", "leedslabour", dt.datetime(2023, 5, 6)),
                                   ("Little Acorns Nursery", "littleacornsleeds", dt.datetime(2023, 8, 30)),
                                   ("St Anne's Cathedral, Leeds", "stannesleeds", dt.datetime(2020, 12, 24)),
                                   ("The Lantern Bar", "lanternbarleeds", dt.datetime(2024, 2, 10)))]}
    files[act + "events/your_event_responses.json"] = {"event_responses_v2": {
        "events_joined": [{"name": "Leeds May Day Rally", "start_timestamp": _ts(dt.datetime(2024, 5, 1, 11)),
                           "end_timestamp": 0, "place": {"name": "Victoria Gardens", "coordinate": {
                               "latitude": 53.8008, "longitude": -1.5491}}}],
        "events_declined": [{"name": "Northwind Summer Social", "start_timestamp": _ts(dt.datetime(2024, 7, 12, 18)),
                             "end_timestamp": 0}],
        "events_interested": [{"name": "Little Acorns Summer Fair", "start_timestamp":
                               _ts(dt.datetime(2024, 7, 6, 10)), "end_timestamp": 0}]}}

    # messages: 1:1 chats, a group chat, a chat that moved to end-to-end encryption
    n = 40 * scale
    box = act + "messages/"
    chats = [("Jordan Lee", [ME, "Jordan Lee"], "inbox/jordanlee_10158"),
             ("Picket line crew", [ME, "Chris Novak", "Tom Okafor", "Dev Malhotra"], "inbox/picketlinecrew_20311"),
             ("Priya Shah", [ME, "Priya Shah"], "e2ee_cutover/priyashah_30422")]
    for extra in range(threads or 0):
        other = f"{rng.choice(friends)} {extra}"
        chats.append((other, [ME, other], f"inbox/friend{extra}_{40000 + extra}"))
    for title, people, path in chats:
        files[f"{box}{path}/message_1.json"] = _thread(title, people, path, rng, n, start)
    files[f"{box}inbox/jordanlee_10158/photos/3.jpg"] = b"\xff\xd8\xff\xe0demo"

    # own activity
    posts = act + "posts/"
    photo = {"uri": posts + "media/Mia_1.jpg", "creation_timestamp": _ts(dt.datetime(2024, 4, 22, 8, 31)),
             "media_metadata": {"photo_metadata": {"exif_data": [{"upload_ip": "81.2.69.160",
                                                                  "taken_timestamp": _ts(dt.datetime(2024, 4, 22, 8, 2)),
                                                                  "latitude": 53.81102, "longitude": -1.5589}]}}}
    first_day = {"timestamp": _ts(dt.datetime(2024, 4, 22, 8, 31)), "data": [{"post": "First day at nursery for "
                                                                                      "Mia 🎒🥹"}],
                 "title": f"{ME} added 2 new photos.", "tags": [{"name": "Alex Rivera"}]}
    files[posts + "your_posts__check_ins__photos_and_videos_1.json"] = [
        dict(first_day, attachments=[{"data": [{"media": photo}]}]),
        dict(first_day, attachments=[{"data": [{"media": {"uri": posts + "media/Mia_2.jpg",
                                                          "creation_timestamp": photo["creation_timestamp"]}}]}]),
        {"timestamp": _ts(dt.datetime(2024, 5, 1, 13, 5)), "data": [{"post": "Solidarity at the May Day rally ✊"}],
         "attachments": [{"data": [{"place": {"name": "Victoria Gardens", "coordinate": {
             "latitude": 53.8008, "longitude": -1.5491}, "address": "The Headrow, Leeds"}}]}],
         "title": f"{ME} was at Victoria Gardens."},
        {"timestamp": _ts(dt.datetime(2024, 8, 30, 23, 48)), "data": [{"post": "Another month, another overdraft "
                                                                               "letter. Payday can't come soon enough"}],
         "title": f"{ME} updated her status."},
    ] + [{"timestamp": _ts(start + dt.timedelta(days=3 * i, hours=rng.randrange(24))),
          "data": [{"post": rng.choice(OWNER_LINES)}], "title": f"{ME} updated her status."}
         for i in range(6 * scale)]
    files[posts + "media/Mia_1.jpg"] = b"\xff\xd8\xff\xe0demo"
    files[posts + "check-ins.json"] = [
        {"timestamp": _ts(moment), "fbid": str(9100 + i), "media": [], "label_values": [
            _lv("Place", place.name),
            {"label": "Coordinates", "dict": [_lv("Coordinates", f"({place.lat} , {place.lon})")]},
            _lv("Address", "Leeds, United Kingdom")]}
        for i, (place, moment) in enumerate(((PERSONA.place("nightlife"), dt.datetime(2024, 3, 16, 23, 40)),
                                             (PERSONA.place("worship"), dt.datetime(2024, 3, 31, 10, 2)),
                                             (PERSONA.place("school"), dt.datetime(2024, 4, 22, 8, 20))))]
    files[act + "comments_and_reactions/comments.json"] = {"comments_v2": [
        {"timestamp": _ts(dt.datetime(2024, 6, 14, 7, 55)), "data": [{"comment": {
            "timestamp": _ts(dt.datetime(2024, 6, 14, 7, 55)), "comment": "See everyone on the picket line 💪",
            "author": ME}}], "title": f"{ME} commented on GMB Union's post."}]}
    files[act + "comments_and_reactions/likes_and_reactions_1.json"] = [
        {"timestamp": _ts(dt.datetime(2024, 5, 2, 9, 1)), "label_values": [_lv("Reaction", "Love"),
                                                                           _lv("Name", "Leeds Labour Party")]},
        {"timestamp": _ts(dt.datetime(2024, 4, 22, 12, 0)), "label_values": [_lv("Reaction", "Like"),
                                                                             _lv("Name", "Little Acorns Nursery")]}]
    files["logged_information/search/your_search_history.json"] = {"searches_v2": [
        {"timestamp": _ts(moment), "data": [{"text": query}], "title": "You searched Facebook"}
        for query, moment in (("toddler fever 39 what to do", dt.datetime(2024, 3, 12, 2, 14)),
                              ("payday loan same day", dt.datetime(2024, 8, 30, 23, 51)),
                              ("GMB strike pay how much", dt.datetime(2024, 6, 10, 19, 30)),
                              ("sexual health clinic leeds", dt.datetime(2024, 7, 1, 12, 3)),
                              ("Mass times St Anne's Leeds", dt.datetime(2024, 3, 29, 21, 0)))]}

    # what Facebook concluded
    ads = "ads_information/"
    files["logged_information/other_logged_information/ads_interests.json"] = {"topics_v2": [
        "Parenting", "Toddler", "Nappy", "Childcare", "Trade union", "GMB (trade union)", "Labour Party (UK)",
        "Catholic Church", "Payday loan", "Debt consolidation", "Sexual health", "Nightclubs", "Logistics",
        "Football", "Portugal"]}
    files[ads + "other_categories_used_to_reach_you.json"] = {"label_values": [{"label": "Name", "vec": [
        {"value": v} for v in ("Parents (All)", "Parents with toddlers (01-02 years)", "Away from hometown",
                               "Birthday in April", "Engaged Shoppers", "Facebook access (mobile): Android devices",
                               "Close friends of people with birthdays in a week")]}]}
    files[ads + "advertisers_using_your_activity_or_information.json"] = {"label_values": [
        {"label": "Advertisers", "vec": [
            {"dict": [_lv("Advertiser", name), _lv("Uploaded a list or used a list with your information", up),
                      _lv("Used your activity on their website or app", rm)]}
            for name, up, rm in (("Nappy World", "true", "true"), ("QuickCash Loans UK", "true", "false"),
                                 ("Little Acorns Nursery", "true", "false"), ("Leeds Labour Party", "true", "false"))]}]}
    files[ads + "advertisers_you've_interacted_with.json"] = [
        {"timestamp": _ts(dt.datetime(2024, 8, 31, 0, 2)), "label_values": [_lv("Action", "Clicked ad"),
                                                                            _lv("Title", "QuickCash Loans UK")]},
        {"timestamp": _ts(dt.datetime(2024, 4, 2, 20, 40)), "label_values": [_lv("Action", "Clicked ad"),
                                                                             _lv("Title", "Nappy World")]}]
    files["apps_and_websites_off_of_facebook/your_activity_off_meta_technologies.json"] = {"off_facebook_activity_v2": [
        {"name": "quickcash.example", "events": [
            {"id": 5501, "type": "PAGE_VIEW", "timestamp": _ts(dt.datetime(2024, 8, 30, 23, 55))},
            {"id": 5501, "type": "COMPLETE_REGISTRATION", "timestamp": _ts(dt.datetime(2024, 8, 31, 0, 9))}]},
        {"name": "nappyworld.example", "events": [
            {"id": 5502, "type": "PURCHASE", "timestamp": _ts(dt.datetime(2024, 4, 2, 20, 45))},
            {"id": 5502, "type": "ADD_TO_CART", "timestamp": _ts(dt.datetime(2024, 4, 2, 20, 43))}]},
        {"name": "clinic-bookings.example", "events": [
            {"id": 5503, "type": "SCHEDULE", "timestamp": _ts(dt.datetime(2024, 7, 1, 12, 10))}]}]}

    sec = "security_and_login_information/"
    files[sec + "account_activity.json"] = {"account_activity_v2": [
        {"action": "Login", "timestamp": _ts(dt.datetime(2024, 9, 1 + i, 7, 30)), "ip_address": f"81.2.69.{160 + i}",
         "user_agent": "Mozilla/5.0 (Linux; Android 14)", "datr_cookie": "demo", "city": "Leeds",
         "region": "England", "country": "GB", "site_name": "Facebook app"} for i in range(3)]}
    files[sec + "where_you're_logged_in.json"] = {"active_sessions_v2": [
        {"created_timestamp": _ts(dt.datetime(2024, 2, 1, 9)), "updated_timestamp": _ts(dt.datetime(2024, 10, 1)),
         "ip_address": "81.2.69.161", "user_agent": "FB4A", "datr_cookie": "demo", "device": "Samsung Galaxy A54",
         "location": "Leeds, United Kingdom", "app": "Facebook for Android", "session_type": "mobile"}]}
    return files


EXPORTED = (2024, 11, 20, 9, 12, 0)  # fixed entry dates: the same seed gives the same bytes


def write_zip(path: Path, files: dict[str, Any]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, value in files.items():
            data = value if isinstance(value, bytes) else json.dumps(mojibake(value), indent=2).encode("ascii")
            zf.writestr(zipfile.ZipInfo(name, EXPORTED), data, zipfile.ZIP_DEFLATED)
    return path


def secure_storage_files(rng: random.Random, scale: int = 1) -> dict[str, Any]:
    """Messenger's separate end-to-end-encrypted download: the chat with Priya after the switch (camelCase keys,
    millisecond times, participants as plain strings, correctly encoded text)."""
    moment, messages = dt.datetime(2024, 3, 20, 19, 0), []
    for i in range(20 * scale):
        moment += dt.timedelta(minutes=rng.choice((3, 9, 30, 120, 600)))
        mine = rng.random() < 0.5
        message: dict[str, Any] = {"isUnsent": False, "media": [], "reactions": [],
                                   "senderName": ME if mine else "Priya Shah",
                                   "text": rng.choice(OWNER_LINES if mine else FRIEND_LINES),
                                   "timestamp": _ts(moment) * 1000 + rng.randrange(1000), "type": "text"}
        if i == 7:
            message.update(text="", type="media", media=[{"uri": "./media/priya_1.jpg"}])
        messages.append(message)
    return {"messages/priya_shah_30422.json": {"participants": [ME, "Priya Shah"], "threadName": "Priya Shah",
                                                "messages": messages},
            "media/priya_1.jpg": b"\xff\xd8\xff\xe0demo"}


def _write_plain_zip(path: Path, files: dict[str, Any]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, value in files.items():
            data = value if isinstance(value, bytes) else json.dumps(value, ensure_ascii=False, indent=2).encode()
            zf.writestr(zipfile.ZipInfo(name, EXPORTED), data, zipfile.ZIP_DEFLATED)
    return path


def write(out_dir: Path, rng: random.Random, scale: int) -> list[Path]:
    folder = out_dir / "facebook"
    folder.mkdir(parents=True, exist_ok=True)
    return [write_zip(folder / "facebook-samrivera-2024-11-20-Ab3dE9.zip", build_files(rng, scale)),
            _write_plain_zip(folder / "messenger-secure-storage-samrivera.zip", secure_storage_files(rng, scale))]
