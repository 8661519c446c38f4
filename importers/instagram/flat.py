"""The 2018-2020 standalone "Data Download" (IG-A): flat files at the export's root, ISO-8601 times, lists as
objects keyed by username, comments as 3-element arrays (INSTAGRAM.md 4.1, 6.1).

- ``messages.json``: a list of threads. IG-A threads have usernames as participants and messages
  ``{sender, created_at, text | media_share_url | story_share | ...}``; from December 2020 (IG-A') the threads are
  Messenger-shaped (``participants: [{name}]``, ``sender_name``, ``timestamp_ms``) and are read by the Facebook
  thread reader, one thread at a time.
- ``connections.json`` -> ``people``; ``media.json`` -> ``posts`` (``direct`` media are message attachments, not
  posts); ``comments.json`` -> comments; ``likes.json`` and ``saved.json`` -> reactions and saved items;
  ``searches.json`` -> searches; ``account_history.json`` and ``devices.json`` -> IP addresses and devices;
  ``profile.json`` -> the profile.

Every key of every IG-A file is optional (several were dropped in early 2021); a key nobody reads is listed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterator

from datavault.records import Activity, Message, Person, Post, ProfileFact, Problem
from datavault.timeutil import iso_utc, parse_iso

from datavault.importers.facebook.jsonread import Run, dumps
from datavault.importers.facebook.messages import thread_records
from datavault.importers.instagram.account import _looks_ip

CONNECTIONS = {"followers": "follower", "following": "following", "blocked_users": "blocked",
               "restricted_users": "restricted", "follow_requests_sent": "follow_request_sent",
               "dismissed_suggested_users": "removed_suggestion", "close_friends": "close_friend"}
MEDIA_KINDS = {"photos": "post", "videos": "post", "stories": "story", "profile": "profile_photo"}
_MEDIA_MESSAGE_KEYS = ("media_share_url", "story_share", "voice_media", "media", "animated_media_images", "link",
                       "media_url")


def iso(value: Any) -> str | None:
    """An IG-A ISO-8601 time as a UTC instant; a time without an offset is taken as UTC (the flat export wrote
    ``+00:00``), anything unreadable as no time."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = parse_iso(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        import datetime as dt
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return iso_utc(moment)


def connections(run: Run, key: str, value: Any) -> Iterator[Any]:
    if key == "following_hashtags":
        for tag, when in (value.items() if isinstance(value, dict) else []):
            yield Activity(time=iso(when), platform=run.platform, product="Instagram", action="followed",
                           title=f"#{tag.lstrip('#')}", key=("ig-hashtag", tag.casefold()), locator=f"{key}.{tag}")
        return
    relation = CONNECTIONS.get(key)
    if relation is None:
        run.unknown_keys[key] += 1
        return
    if not isinstance(value, dict):
        yield Problem(f"{key} is not a list of accounts", key, "warning")
        return
    for name, when in value.items():
        yield Person(name=name, platform=run.platform, relation=relation, since=iso(when),
                     key=("ig-person", relation, name.casefold()), locator=f"{key}.{name}",
                     raw=dumps({name: when}))


def media(run: Run, key: str, value: Any) -> Iterator[Any]:
    kind = MEDIA_KINDS.get(key)
    if kind is None:
        if key != "direct":
            run.unknown_keys[key] += 1
        return
    for index, item in enumerate(value if isinstance(value, list) else []):
        locator = f"{key}[{index}]"
        if not isinstance(item, dict):
            yield Problem("a media entry that is not an object was skipped", locator, "warning")
            continue
        extra = {k: run.fix_tree(item[k]) for k in ("path", "location") if item.get(k)}
        yield Post(time=iso(item.get("taken_at")), platform=run.platform, kind=kind,
                   text=run.fix(item.get("caption")) or None, target=None,
                   key=("ig-post", kind, str(item.get("taken_at")), str(item.get("path") or "")), locator=locator,
                   raw=dumps(item), extra=extra or None)


def comments(run: Run, key: str, value: Any) -> Iterator[Any]:
    what = {"media_comments": "post", "live_comments": "live", "story_comments": "story"}.get(key)
    if what is None:
        run.unknown_keys[key] += 1
        return
    for index, item in enumerate(value if isinstance(value, list) else []):
        locator = f"{key}[{index}]"
        if not (isinstance(item, list) and len(item) >= 2):
            yield Problem("a comment of an unknown shape was skipped", locator, "warning")
            continue
        text = run.fix(item[1])
        owner = run.fix(item[2]) if len(item) > 2 and item[2] else None
        yield Post(time=iso(item[0]), platform=run.platform, kind="comment", text=text, target=owner,
                   key=("ig-comment", str(item[0]), text), locator=locator, raw=dumps(item), extra={"on": what})


def likes_or_saved(run: Run, key: str, value: Any) -> Iterator[Any]:
    kinds = {"media_likes": ("reaction", "post"), "comment_likes": ("reaction", "comment"),
             "saved_media": ("saved", "post")}
    if key not in kinds:
        run.unknown_keys[key] += 1
        return
    kind, what = kinds[key]
    for index, item in enumerate(value if isinstance(value, list) else []):
        locator = f"{key}[{index}]"
        if not (isinstance(item, list) and len(item) >= 2):
            yield Problem("an entry of an unknown shape was skipped", locator, "warning")
            continue
        owner = run.fix(item[1])
        yield Post(time=iso(item[0]), platform=run.platform, kind=kind, text="like" if kind == "reaction" else None,
                   target=owner, key=("ig-a", key, str(item[0]), owner), locator=locator, raw=dumps(item),
                   extra={"liked" if kind == "reaction" else "saved": what})


def searches(run: Run, key: str | None, value: Any) -> Iterator[Any]:
    search_type = {"main_search_history": "main", "shopping_search_history": "shopping", None: "main"}.get(key)
    if search_type is None:
        run.unknown_keys[key] += 1
        return
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        locator = f"{key}[{index}]" if key else f"[{index}]"
        if not isinstance(item, dict):
            yield Problem("a search of an unknown shape was skipped", locator, "warning")
            continue
        query = next((item[k] for k in ("search_click", "search", "query", "text") if item.get(k)), None)
        if not isinstance(query, str):
            yield Problem("a search without its words was skipped", locator, "warning")
            continue
        when = item.get("time") or item.get("timestamp")
        yield Post(time=iso(when), platform=run.platform, kind="search", text=run.fix(query), target=None,
                   key=("ig-search", search_type, str(when), query), locator=locator, raw=dumps(item),
                   extra={"search_type": search_type, **({"type": item["type"]} if item.get("type") else {})})


def account_history(run: Run, key: str, value: Any) -> Iterator[Any]:
    """Any list of records with an IP address (``login_history``, ``registration_info`` ...) or a user agent."""
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        if not isinstance(item, dict):
            continue
        locator = f"{key}[{index}]"
        ip = item.get("ip_address") or next((v for v in item.values() if isinstance(v, str) and _looks_ip(v)), None)
        agent = item.get("user_agent")
        when = iso(item.get("timestamp") or item.get("time") or item.get("last_login"))
        if ip:
            yield ProfileFact(platform=run.platform, field="ip_address", value=str(ip), time=when,
                              key=("ig-ip", key, str(ip), str(item.get("timestamp"))), locator=locator,
                              raw=dumps(item), extra={k: v for k, v in (("source", key), ("user_agent", agent),
                                                                        ("language", item.get("language_code")))
                                                      if v})
        if isinstance(agent, str) and agent:
            yield ProfileFact(platform=run.platform, field="device", value=agent, time=when,
                              key=("ig-device", agent), locator=locator, extra={"source": key})


def messages(run: Run, threads: Any) -> Iterator[Any]:
    """``messages.json``: a list of threads, IG-A (usernames) or IG-A' (Messenger-shaped)."""
    for t_index, thread in enumerate(threads if isinstance(threads, list) else []):
        prefix = f"[{t_index}]."
        if not isinstance(thread, dict):
            yield Problem("a thread that is not an object was skipped", f"[{t_index}]", "warning")
            continue
        convo = thread.get("conversation") if isinstance(thread.get("conversation"), list) else thread.get("messages")
        participants = thread.get("participants") or []
        messenger = any(isinstance(p, dict) for p in participants) or any(
            isinstance(m, dict) and "timestamp_ms" in m for m in convo or [])
        if messenger:
            run.shapes.append("messages:messenger")
            yield from thread_records(run, {**thread, "messages": convo or []}, None, prefix)
            continue
        run.shapes.append("messages:flat")
        yield from _flat_thread(run, thread, participants, convo or [], prefix)


def _flat_thread(run: Run, thread: dict, participants: list, convo: list, prefix: str) -> Iterator[Any]:
    names = [run.fix(p) for p in participants if isinstance(p, str)]
    others = [n for n in names if not run.is_owner(n)]
    title = ", ".join(others or names) or None
    thread_id = "|".join(sorted(n.casefold() for n in names))
    seen: Counter = Counter()
    senders: set[str] = set()
    for index, msg in enumerate(convo):
        locator = f"{prefix}conversation[{index}]"
        if not isinstance(msg, dict) or not isinstance(msg.get("created_at"), str):
            yield Problem("a message without a time was skipped", locator, "warning")
            continue
        sender = run.fix(msg.get("sender"))
        if sender:
            senders.add(sender)
        text = run.fix(msg["text"]) if isinstance(msg.get("text"), str) else None
        extra = {k: run.fix_tree(v) for k, v in msg.items() if k not in ("sender", "created_at", "text")}
        kind = "text" if text is not None else "media" if any(k in msg for k in _MEDIA_MESSAGE_KEYS) else "other"
        ordinal = seen[(msg["created_at"], sender)]
        seen[(msg["created_at"], sender)] += 1
        yield Message(time=iso(msg["created_at"]), platform=run.platform, conversation=title, sender=sender, text=text,
                      kind=kind, from_owner=run.is_owner(sender),
                      key=("ig-a-msg", thread_id, msg["created_at"], sender or "", ordinal), locator=locator,
                      raw=dumps(msg), extra=extra or None)
    for name in dict.fromkeys(names + sorted(senders - set(names))):
        if name and not run.is_owner(name):
            yield Person(name=name, platform=run.platform, relation="chat_participant",
                         key=("ig-person", "chat_participant", name.casefold()), extra={"conversation": title})
    from datavault.records import Note
    yield Note("conversation", title)
    yield Note("facebook_thread", {"conversation": title, "thread": thread_id, "box": "messages.json",
                                   "participants": names, "senders": sorted(senders), "newest": None,
                                   "owner_known": bool(run.owner)})
