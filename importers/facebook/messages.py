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

import re
from collections import Counter
from typing import Any, Iterator

import ijson

from datavault.records import Message, Note, Person, Problem
from datavault.timeutil import from_epoch_ms

from importers.facebook.jsonread import PLATFORM, READ_ERRORS, Run, dumps

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
    for index, msg in enumerate(thread["messages"]):
        if not isinstance(msg, dict):
            yield Problem("a message that is not an object was skipped", f"messages[{index}]", "warning")
            continue
        record = _secure_message(run, msg, index, title, thread_id, seen) if secure else \
            _message(run, msg, index, title, thread_id, seen)
        if isinstance(record, Problem):
            yield record
            continue
        if record.sender:
            senders.add(record.sender)
        ts = msg.get("timestamp_ms", msg.get("timestamp"))
        if isinstance(ts, (int, float)) and (newest is None or ts > newest):
            newest = ts
        yield record

    for name_raw, name in zip(participants_raw, participants):
        if name and not run.is_owner(name):
            yield Person(name=name, platform=PLATFORM, relation="chat_participant",
                         key=("fb-person", "chat_participant", name_raw), raw=dumps({"name": name_raw}),
                         extra={"conversation": title})
    yield Note("conversation", title)  # lets the pipeline apply owner decisions to this member's chat
    yield Note("facebook_thread", {
        "conversation": title, "thread": thread_id, "box": "secure_storage" if secure else box,
        "participants": participants or sorted(senders), "senders": sorted(senders),
        "newest": from_epoch_ms(newest) if newest is not None else None,
        "thread_type": thread.get("thread_type"), "still_participant": thread.get("is_still_participant"),
    })


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
    ordinal_key = (ts, sender_raw)
    ordinal = seen[ordinal_key]
    seen[ordinal_key] += 1
    return Message(time=from_epoch_ms(ts), platform=PLATFORM, conversation=title, sender=sender, text=text,
                   kind=kind, from_owner=run.is_owner(sender),
                   key=("fb-msg", thread_id, str(ts), sender_raw or "", ordinal),
                   locator=f"messages[{index}]", raw=dumps(msg), extra=extra or None)


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
    ordinal_key = (ts, sender_raw)
    ordinal = seen[ordinal_key]
    seen[ordinal_key] += 1
    return Message(time=from_epoch_ms(ts), platform=PLATFORM, conversation=title, sender=sender, text=text,
                   kind=kind, from_owner=run.is_owner(sender),
                   key=("fb-msg", thread_id, str(ts), sender_raw or "", ordinal),
                   locator=f"messages[{index}]", raw=dumps(msg), extra=extra or {"secure_storage": True})
