"""The social graph and community life: friends (with since-dates), removed friends, friend requests, following and
followers, address-book contacts; group memberships, group posts, comments and membership answers; events;
pages liked, followed and run.

People become ``Person`` records, one per display name and relation: the export has no ids, so the repaired
display name is the key, the same in every file and in the (correctly encoded) secure-storage download.
Memberships, page likes and event responses become ``activities`` (product
``Groups``, ``Pages``, ``Events``) whose ``title`` is the group, page or event name; what the person wrote in
groups becomes ``posts``. Deliberately ignored: group badges and people-you-may-know suggestions.
"""

from __future__ import annotations

from typing import Any, Iterator

from datavault.records import Activity, Location, Person, Post, Problem

from datavault.importers.facebook.jsonread import (PLATFORM, Items, Run, dumps, first_string, is_label_values, labels,
                                         read_label_values, when)

RELATION_OF_KEY = {
    "friends": "friend",
    "deleted_friends": "removed_friend",
    "removed_friends": "removed_friend",
    "received_requests": "friend_request_received",
    "sent_requests": "friend_request_sent",
    "rejected_requests": "friend_request_rejected",
    "following": "following",
    "followers": "follower",
    "people_who_followed_you": "follower",
}

_NAME = labels("Name", "Naam", "Navn", "Name des Freundes", "Nom", "Nombre", "Nome")


def _name_of(item: dict) -> Any:
    """The person's name in any of the friend-list shapes (plain, G4 ``title``, Instagram-style string lists)."""
    if isinstance(item.get("name"), str):
        return item["name"]
    if isinstance(item.get("title"), str) and item.get("title"):
        return item["title"]
    for entry in item.get("string_list_data") or []:
        if isinstance(entry, dict) and entry.get("value"):
            return entry["value"]
    return None


def _lv_name(lv) -> str | None:
    """The name in a label_values record: its Name value, else its title, else its first string."""
    return lv.get(_NAME) or lv.title or first_string(lv.pairs)


def people(run: Run, items: Items, relation: str) -> Iterator[Any]:
    for locator, item in items:
        if is_label_values(item):
            lv = yield from read_label_values(run, locator, item)
            if lv is None:
                continue
            name = _lv_name(lv)
            if not name:
                yield Problem("a person entry without a name was skipped", locator, "warning")
                continue
            yield Person(name=name, platform=PLATFORM, relation=relation,
                         since=when(lv.timestamp_or_first_time()),
                         key=("fb-person", relation, name), locator=locator, raw=dumps(item))
            continue
        if not isinstance(item, dict):
            yield Problem("a person entry that is not an object was skipped", locator, "warning")
            continue
        name_raw = _name_of(item)
        if not name_raw:
            yield Problem("a person entry without a name was skipped", locator, "warning")
            continue
        timestamp = item.get("timestamp")
        if timestamp is None:
            for entry in item.get("string_list_data") or []:
                if isinstance(entry, dict):
                    timestamp = entry.get("timestamp")
        emails, phones = [], []
        contact = item.get("contact_info")
        if isinstance(contact, str) and contact:
            (emails if "@" in contact else phones).append(run.fix(contact))
        extra = {k: run.fix_tree(v) for k, v in item.items() if k not in ("name", "timestamp", "contact_info")}
        yield Person(name=run.fix(name_raw), platform=PLATFORM, relation=relation, since=when(timestamp),
                     emails=emails, phones=phones, key=("fb-person", relation, run.fix(name_raw)), locator=locator,
                     raw=dumps(item), extra=extra or None)


def address_book(run: Run, items: Items) -> Iterator[Any]:
    """Contacts the person uploaded from their phone: ``{address_book: {address_book: [...]}}``."""
    for locator, value in items:
        entries = value.get("address_book", value) if isinstance(value, dict) else value
        if not isinstance(entries, list):
            yield Problem("an address book in an unknown shape was skipped", locator, "warning")
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict) or not entry.get("name"):
                continue
            phones, emails = [], []
            for detail in entry.get("details") or []:
                contact = detail.get("contact_point") if isinstance(detail, dict) else None
                if isinstance(contact, str):
                    (emails if "@" in contact else phones).append(run.fix(contact))
            yield Person(name=run.fix(entry["name"]), platform=PLATFORM, relation="contact", phones=phones,
                         emails=emails, since=when(entry.get("created_timestamp")),
                         key=("fb-person", "contact", run.fix(entry["name"])), locator=f"{locator}[{index}]",
                         raw=dumps(entry))


# ------------------------------------------------------------------------------------------------- groups, pages

def _data_name(item: dict) -> Any:
    for entry in item.get("data") or []:
        if isinstance(entry, dict) and isinstance(entry.get("name"), str):
            return entry["name"]
    return None


def memberships(run: Run, items: Items, product: str, action: str) -> Iterator[Any]:
    """``groups_joined``, ``groups_admined``, ``page_likes``, ``pages_followed``, ``pages``: one activity each,
    titled with the group or page name (the localised sentence stays in ``extra``)."""
    for locator, item in items:
        if is_label_values(item):
            lv = yield from read_label_values(run, locator, item)
            if lv is None:
                continue
            name = _lv_name(lv)
            url = lv.first_href()
            yield Activity(time=when(lv.timestamp), platform=PLATFORM, product=product, action=action,
                           title=name, url=url, key=("fb-act", product, action, str(lv.timestamp), name or ""),
                           locator=locator, raw=dumps(item))
            continue
        if not isinstance(item, dict):
            yield Problem("an entry that is not an object was skipped", locator, "warning")
            continue
        name_raw = item.get("name") if isinstance(item.get("name"), str) else _data_name(item)
        if name_raw is None and isinstance(item.get("title"), str):
            name_raw = item["title"]
        if name_raw is None:
            yield Problem("an entry without a name was skipped", locator, "warning")
            continue
        extra = {}
        if item.get("title") and item.get("title") != name_raw:
            extra["title"] = run.fix(item["title"])
        yield Activity(time=when(item.get("timestamp")), platform=PLATFORM, product=product, action=action,
                       title=run.fix(name_raw), url=item.get("url") or item.get("uri"),
                       key=("fb-act", product, action, str(item.get("timestamp")), name_raw), locator=locator,
                       raw=dumps(item), extra=extra or None)


def membership_answers(run: Run, items: Items) -> Iterator[Any]:
    for locator, value in items:
        groups = value.get("group_answers", []) if isinstance(value, dict) else value
        for gi, group in enumerate(groups if isinstance(groups, list) else []):
            if not isinstance(group, dict):
                continue
            group_name = run.fix(group.get("group_name"))
            for ai, answer in enumerate(group.get("answers") or []):
                if not isinstance(answer, dict):
                    continue
                yield Post(time=when(answer.get("timestamp")), platform=PLATFORM, kind="group_answer",
                           text=run.fix(answer.get("answer")), target=group_name,
                           key=("fb-group-answer", group.get("group_name") or "", str(answer.get("timestamp")), ai),
                           locator=f"{locator}.group_answers[{gi}].answers[{ai}]", raw=dumps(answer),
                           extra={"question": run.fix(answer.get("question"))})


def contributions(run: Run, items: Items) -> Iterator[Any]:
    """``your_contributions.json``: label_values records of what the person added to groups."""
    for locator, item in items:
        lv = yield from read_label_values(run, locator, item)
        if lv is None:
            continue
        text = first_string(lv.pairs)
        yield Post(time=when(lv.timestamp), platform=PLATFORM, kind="group_post", text=text, target=lv.title,
                   key=("fb-contribution", str(lv.fbid or ""), str(lv.timestamp)), locator=locator,
                   raw=dumps(item))


# ------------------------------------------------------------------------------------------------------- events

EVENT_ACTIONS = {"events_joined": "going", "events_declined": "declined", "events_interested": "interested",
                 "events_invited": "invited", "your_events": "created"}


def events(run: Run, items: Items, action: str | None) -> Iterator[Any]:
    for locator, value in items:
        if isinstance(value, dict) and action is None:
            # event_responses: {events_joined: [...], events_declined: [...], events_interested: [...]}
            for sub, sub_value in value.items():
                sub_action = EVENT_ACTIONS.get(sub.removesuffix("_v2"))
                if sub_action is None or not isinstance(sub_value, list):
                    run.unknown_keys[f"{locator}.{sub}"] += 1
                    continue
                yield from events(run, ((f"{locator}.{sub}[{i}]", e) for i, e in enumerate(sub_value)), sub_action)
            continue
        if not isinstance(value, dict):
            yield Problem("an event that is not an object was skipped", locator, "warning")
            continue
        name = value.get("name")
        start = value.get("start_timestamp")
        extra = {k: run.fix_tree(value[k]) for k in ("end_timestamp", "description", "create_timestamp", "place")
                 if value.get(k)}
        yield Activity(time=when(start) or when(value.get("timestamp")), platform=PLATFORM, product="Events",
                       action=action or "responded", title=run.fix(name),
                       key=("fb-event", action or "", str(start), name or ""), locator=locator, raw=dumps(value),
                       extra=extra or None)
        place = value.get("place")
        coordinate = place.get("coordinate") if isinstance(place, dict) else None
        if isinstance(coordinate, dict) and coordinate.get("latitude") is not None:
            yield Location(time=when(start), lat=coordinate.get("latitude"), lon=coordinate.get("longitude"),
                           place_name=run.fix(place.get("name")), platform=PLATFORM, kind="point",
                           key=("fb-event-place", str(start), name or ""), locator=f"{locator}.place",
                           extra={"event": run.fix(name), "source": "event"})

