"""Messenger threads: ``messages/<box>/<thread>/message_N.json`` in every box, and the end-to-end-encrypted
"secure storage" download (one camelCase JSON per conversation, ms timestamps, participants as plain strings).

Every message of every file becomes a ``Message``; media, shares, reactions, calls and unsent messages are kept
(kind and ``extra``). The natural key is the thread's folder id (not its box, which changes when a chat is
archived) + the raw millisecond timestamp + the raw sender + an ordinal among equal (time, sender) pairs, so a
re-import, the same thread in a later overlapping export, or a thread re-split into different ``message_N``
files adds nothing. The owner is marked from ``--me``; otherwise ``conclude`` decides from the profile.

A file cut in the middle still yields every complete message before the cut, plus a problem.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from typing import Any, Iterator

import ijson
import orjson

from datavault.records import Message, Note, Person, Problem
from datavault.timeutil import from_epoch_ms

from importers.facebook.jsonread import PLATFORM, READ_ERRORS, Run, dumps, next_ordinal

_MEDIA_KEYS = ("photos", "videos", "audio_files", "gifs", "files", "sticker")
_SYSTEM_TYPES = {"Subscribe", "Unsubscribe"}
_BOX = re.compile(r"(?:^|/)messages/([^/]+)/([^/]+)/message_\d+\.json$", re.I)


def read_thread(run: Run) -> tuple[dict[str, Any], str | None]:
    """The thread file as a dict of its top-level keys, and the read error if the file is broken (then the
    messages are those read before the break)."""
    thread: dict[str, Any] = {}
    try:
        with run.member.open() as fh:
            for key, value in ijson.kvitems(fh, "", use_float=True):
                thread[key] = value
        return thread, None
    except READ_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"
    # salvage: stream item by item, keeping every complete message before the break
    for key in ("participants", "messages"):
        items: list[Any] = []
        try:
            with run.member.open() as fh:
                for item in ijson.items(fh, f"{key}.item", use_float=True):
                    items.append(item)
        except READ_ERRORS:
            pass  # the same break already reported in ``error``; what was read before it is kept
        if items:
            thread[key] = items
    return thread, error


def parse_thread(run: Run) -> Iterator[Any]:
    thread, error = read_thread(run)
    if error:
        got = len(thread.get("messages") or [])
        yield Problem(f"the thread file is cut off or broken ({error}); {got} complete message(s) before the break "
                      "were imported", None, "error")
    if not isinstance(thread.get("messages"), list):
        if not error:
            yield Problem("a Messenger thread file without a messages list", None, "error")
        return
    secure = "threadName" in thread or any(isinstance(p, str) for p in thread.get("participants") or [])
    participants_raw = [p if isinstance(p, str) else (p or {}).get("name") for p in thread.get("participants") or []]
    participants_raw = [p for p in participants_raw if isinstance(p, str)]
    participants = [run.fix(p) for p in participants_raw]
    box_match = _BOX.search(run.name)
    box = box_match.group(1) if box_match else None
    thread_path = thread.get("thread_path")
    if isinstance(thread_path, str) and thread_path:
        thread_id = thread_path.rstrip("/").rsplit("/", 1)[-1].lower()
        box = box or (thread_path.split("/", 1)[0] if "/" in thread_path else None)
    elif box_match:
        thread_id = box_match.group(2).lower()
    elif secure:
        thread_id = "secure:" + "|".join(sorted(p.casefold() for p in participants))
    else:
        thread_id = "title:" + str(thread.get("title") or thread.get("threadName") or "")
    title = run.fix(thread.get("title") or thread.get("threadName"))
    if not title:
        others = [p for p in participants if not run.is_owner(p)]
        title = ", ".join(others) or (box_match.group(2) if box_match else None)

    seen: Counter[tuple] = Counter()
    senders: set[str] = set()
    newest = None
    fast = _FastPath(run, title, thread_id)
    for index, msg in enumerate(thread["messages"]):
        if not isinstance(msg, dict):
            yield Problem("a message that is not an object was skipped", f"messages[{index}]", "warning")
            continue
        if secure:
            record = _secure_message(run, msg, index, title, thread_id, seen)
        else:
            # most messages are plain text: built without the general path's checks (the benchmark's hot loop)
            record = fast.plain(msg, index, seen) if _PLAIN_KEYS.issuperset(msg) else None
            if record is None:
                record = _message(run, msg, index, title, thread_id, seen)
        if isinstance(record, Problem):
            yield record
            continue
        ts = msg.get("timestamp_ms", msg.get("timestamp"))
        if newest is None or ts > newest:
            newest = ts
        yield record
    senders = fast.senders | {s for s in (run.fix(m.get("sender_name") or m.get("senderName"))
                                          for m in thread["messages"] if isinstance(m, dict)
                                          and not _PLAIN_KEYS.issuperset(m)) if s}

    # one person per display name: participants, and senders and reaction actors who have left the chat since
    actors = {run.fix(r.get("actor")) for m in thread["messages"] if isinstance(m, dict)
              for r in (m.get("reactions") or []) if isinstance(r, dict) and isinstance(r.get("actor"), str)}
    people = dict.fromkeys(participants)
    people.update(dict.fromkeys(sorted(senders - set(people))))
    people.update(dict.fromkeys(sorted(actors - set(people))))
    for name in people:
        if name and not run.is_owner(name):
            how = "participant" if name in participants else "sender" if name in senders else "reaction actor"
            yield Person(name=name, platform=PLATFORM, relation="chat_participant",
                         key=("fb-person", "chat_participant", name), extra={"conversation": title, "as": how})
    yield Note("conversation", title)  # lets the pipeline apply owner decisions to this member's chat
    yield Note("facebook_thread", {
        "conversation": title, "thread": thread_id, "box": "secure_storage" if secure else box,
        "participants": participants or sorted(senders), "senders": sorted(senders),
        "newest": from_epoch_ms(newest) if newest is not None else None,
        "thread_type": thread.get("thread_type"), "still_participant": thread.get("is_still_participant"),
        "owner_known": bool(run.owner),
    })


_PLAIN_KEYS = frozenset({"sender_name", "timestamp_ms", "content", "type", "is_geoblocked_for_viewer"})
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode


def _encode_plain(msg: dict) -> str:
    """``_ENCODE`` for a plain message (strings, integers, booleans only: orjson writes exactly the same text,
    several times faster); ``_ENCODE`` for what orjson refuses (lone surrogates)."""
    try:
        return orjson.dumps(msg).decode()
    except orjson.JSONEncodeError:
        return _ENCODE(msg)


def iso_ms(ms: int) -> str:
    """``from_epoch_ms`` for the hot loop (the same text, without building datetimes)."""
    seconds, millis = divmod(ms, 1000)
    t = time.gmtime(seconds)
    base = "%04d-%02d-%02dT%02d:%02d:%02d" % (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
    return f"{base}.{millis:03d}Z" if millis else base + "Z"


class _FastPath:
    """Plain text messages (only sender, time, content, type Generic) of one thread."""

    def __init__(self, run: Run, title, thread_id: str):
        self.run = run
        self.title = title
        self.thread_id = thread_id
        self.names: dict[Any, tuple[str | None, bool | None]] = {}
        self.senders: set[str] = set()

    def plain(self, msg: dict, index: int, seen: Counter) -> Message | None:
        ts = msg.get("timestamp_ms")
        content = msg.get("content")
        if ts.__class__ is not int or content.__class__ is not str or msg.get("type", "Generic") != "Generic":
            return None
        sender_raw = msg.get("sender_name")
        known = self.names.get(sender_raw)
        if known is None:
            sender = self.run.fix(sender_raw)
            known = self.names[sender_raw] = (sender, self.run.is_owner(sender))
            if sender:
                self.senders.add(sender)
        text = content if content.isascii() else self.run.fix(content)
        ordinal_key = (ts, sender_raw)
        ordinal = seen[ordinal_key]
        seen[ordinal_key] = ordinal + 1
        return Message(time=iso_ms(ts), platform=PLATFORM, conversation=self.title, sender=known[0], text=text,
                       kind="text", from_owner=known[1],
                       key=("fb-msg", self.thread_id, str(ts), sender_raw or "", ordinal),
                       locator=f"messages[{index}]", raw=_encode_plain(msg))


def _message(run: Run, msg: dict, index: int, title, thread_id: str, seen: Counter) -> Message | Problem:
    ts = msg.get("timestamp_ms")
    if not isinstance(ts, (int, float)) or isinstance(ts, bool):
        return Problem("a message without a timestamp was skipped", f"messages[{index}]", "warning")
    sender_raw = msg.get("sender_name")
    sender = run.fix(sender_raw)
    content = msg.get("content")
    text = run.fix(content) if isinstance(content, str) else None
    extra: dict[str, Any] = {}
    media = []
    for key in _MEDIA_KEYS:
        value = msg.get(key)
        if not value:
            continue
        for item in (value if isinstance(value, list) else [value]):
            if isinstance(item, dict) and item.get("uri"):
                media.append({"type": key, "uri": item["uri"]})
    if media:
        extra["media"] = media
    if msg.get("share"):
        extra["share"] = run.fix_tree(msg["share"])
    if msg.get("reactions"):
        extra["reactions"] = run.fix_tree(msg["reactions"])
    for key in ("call_duration", "missed", "is_geoblocked_for_viewer", "ip", "users", "type"):
        if key in msg and not (key == "type" and msg[key] == "Generic"):
            extra[key] = run.fix_tree(msg[key])
    mtype = msg.get("type")
    if msg.get("is_unsent"):
        kind = "deleted"
        extra["is_unsent"] = True
    elif mtype == "Call" or "call_duration" in msg:
        kind = "call"
    elif media:
        kind = "media"
    elif mtype in _SYSTEM_TYPES:
        kind = "system"
    elif text is not None:
        kind = "text"
    else:
        kind = "other"
    return _keyed_message(run, msg, index, title, thread_id, seen, ts, sender_raw, sender, text, kind,
                          extra or None)


def _secure_message(run: Run, msg: dict, index: int, title, thread_id: str, seen: Counter) -> Message | Problem:
    ts = msg.get("timestamp")
    if not isinstance(ts, (int, float)) or isinstance(ts, bool):
        return Problem("a message without a timestamp was skipped", f"messages[{index}]", "warning")
    sender_raw = msg.get("senderName")
    sender = run.fix(sender_raw)
    text = run.fix(msg.get("text")) if isinstance(msg.get("text"), str) else None
    extra: dict[str, Any] = {}
    media = [m.get("uri") for m in msg.get("media") or [] if isinstance(m, dict)]
    if media:
        extra["media"] = [{"uri": u, "missing": True} if isinstance(u, str) and "Failed to download" in u
                          else {"uri": u} for u in media]
    if msg.get("reactions"):
        extra["reactions"] = run.fix_tree(msg["reactions"])
    if msg.get("type") not in (None, "text", "Generic"):
        extra["type"] = msg.get("type")
    if msg.get("isUnsent"):
        kind = "deleted"
    elif media:
        kind = "media"
    elif text:
        kind = "text"
    else:
        kind = "other"
    return _keyed_message(run, msg, index, title, thread_id, seen, ts, sender_raw, sender, text, kind,
                          {"secure_storage": True, **extra})


def _keyed_message(run: Run, msg: dict, index: int, title, thread_id: str, seen: Counter, ts, sender_raw, sender,
                   text, kind: str, extra) -> Message:
    """The ``Message`` of a message read field by field, in either download, under its natural key (the plain
    fast path builds the same key itself)."""
    ordinal = next_ordinal(seen, (ts, sender_raw))
    return Message(time=from_epoch_ms(ts), platform=PLATFORM, conversation=title, sender=sender, text=text,
                   kind=kind, from_owner=run.is_owner(sender),
                   key=("fb-msg", thread_id, str(ts), sender_raw or "", ordinal),
                   locator=f"messages[{index}]", raw=dumps(msg), extra=extra)
