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
from typing import Any, Iterator

import ijson
import orjson

from datavault.records import Message, Note, Person, Problem
from datavault.timeutil import from_epoch_ms

from datavault.importers.facebook.jsonread import READ_ERRORS, Run
from datavault.importers.facebook.text import repair

_MEDIA_KEYS = ("photos", "videos", "audio_files", "gifs", "files", "sticker")
_SYSTEM_TYPES = {"Subscribe", "Unsubscribe"}
_BOX = re.compile(r"(?:^|/)messages/([^/]+)/([^/]+)/message_\d+\.json$", re.I)


def read_thread(run: Run) -> tuple[dict[str, Any], str | None]:
    """The thread file as a dict of its top-level keys, and the read error if the file is broken (then the
    messages are those read before the break)."""
    whole = _read_whole(run.member)
    if whole is not None:
        return whole, None
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


# orjson parses a thread file in half the time ijson takes, and gives the same values for every document both
# accept. It refuses more than ijson (lone surrogates, deep nesting, a file cut off): then ijson reads the file as
# before, errors, salvage and all. What orjson accepts but ijson (yajl) refuses or reads differently are numbers
# only: an integer beyond 64 bits (ijson stops; orjson reads up to 2**64 - 1, and beyond as a float) has 19 digits
# in a row, and the extremes of floats have a three-digit exponent. Either, even inside a string, leaves the file
# to ijson; the test is a translation and two searches over the bytes, a tenth of the parse.
_NUMBER_SHAPES = bytes.maketrans(b"0123456789Ee-", b"0000000000ee+")
_WHOLE_BELOW = 32 << 20  # larger thread files are left to ijson, which holds no copy of their bytes


def _read_whole(member) -> dict[str, Any] | None:
    """The thread file as a dict read by orjson in one go, or None when ijson must read it."""
    if member.size is None or member.size > _WHOLE_BELOW:
        return None
    try:
        with member.open() as fh:
            data = fh.read()
    except READ_ERRORS:
        return None  # ijson meets the same error and reports it
    shapes = data.translate(_NUMBER_SHAPES)
    if b"0000000000000000000" in shapes or b"e000" in shapes or b"e+000" in shapes:
        return None
    try:
        thread = orjson.loads(data)
    except orjson.JSONDecodeError:
        return None
    return thread if thread.__class__ is dict else None  # ijson reads no keys from anything else: left to it


def parse_thread(run: Run) -> Iterator[Any]:
    thread, error = read_thread(run)
    yield from thread_records(run, thread, error)


def thread_records(run: Run, thread: dict[str, Any], error: str | None = None, prefix: str = "") -> Iterator[Any]:
    """The records of one thread already read (a thread file, or one thread of Instagram's early single
    ``messages.json``, whose locators start with ``prefix``)."""
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

    # the hot loop (300,000 messages in the benchmark): the per-thread state lives in ``_Thread``, plain text
    # messages are built by ``plain`` without the general path's checks, everything else goes field by field
    state = _Thread(run, title, thread_id, prefix)
    plain = state.plain  # a local: no attribute look-up per message
    slow: list[dict] = []  # messages with more than the plain keys: their senders and reaction actors count below
    newest = None
    for index, msg in enumerate(thread["messages"]):
        if not isinstance(msg, dict):
            yield Problem("a message that is not an object was skipped", f"{prefix}messages[{index}]", "warning")
            continue
        if _PLAIN_KEYS.issuperset(msg):
            if not secure:
                record = plain(msg, index)
                if record is not None:
                    ts = msg["timestamp_ms"]  # ``plain`` checked it is an int
                    if newest is None or ts > newest:
                        newest = ts
                    yield record
                    continue
        else:
            slow.append(msg)
        record = _secure_message(state, msg, index) if secure else _message(state, msg, index)
        if record.__class__ is Problem:
            yield record
            continue
        ts = msg.get("timestamp_ms", msg.get("timestamp"))
        if newest is None or ts > newest:
            newest = ts
        yield record
    fix_name = state.fix_name
    senders = state.senders | {s for s in (fix_name(m.get("sender_name") or m.get("senderName")) for m in slow) if s}

    # one person per display name: participants, and senders and reaction actors who have left the chat since
    # (a plain message has no reactions: only the others can name an actor)
    actors = {fix_name(r.get("actor")) for m in slow
              for r in (m.get("reactions") or []) if isinstance(r, dict) and isinstance(r.get("actor"), str)}
    people = dict.fromkeys(participants)
    people.update(dict.fromkeys(sorted(senders - set(people))))
    people.update(dict.fromkeys(sorted(actors - set(people))))
    for name in people:
        if name and not run.is_owner(name):
            how = "participant" if name in participants else "sender" if name in senders else "reaction actor"
            yield Person(name=name, platform=run.platform, relation="chat_participant",
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


def _has_float(value: dict | list) -> bool:
    """Whether a parsed JSON object or array holds a float anywhere (orjson writes some floats differently from
    ``json``: 1e-07 as 1e-7)."""
    for item in (value.values() if value.__class__ is dict else value):
        cls = item.__class__
        if cls is float or ((cls is dict or cls is list) and _has_float(item)):
            return True
    return False


def _encode(msg: dict) -> str:
    """``_ENCODE`` for any message: through orjson (several times faster, the same text) unless it holds a float."""
    return _ENCODE(msg) if _has_float(msg) else _encode_plain(msg)


def _encode_plain(msg: dict) -> str:
    """``_ENCODE`` for a plain message (strings, integers, booleans only: orjson writes exactly the same text,
    several times faster); ``_ENCODE`` for what orjson refuses (lone surrogates)."""
    try:
        return orjson.dumps(msg).decode()
    except orjson.JSONEncodeError:
        return _ENCODE(msg)


_DAYS: dict[int, str] = {}  # days since the epoch -> "YYYY-MM-DDT" (filled by ``iso_ms``)
_HOURS_MINUTES = tuple(f"{h:02d}:{m:02d}:" for h in range(24) for m in range(60))  # minute of the day -> "HH:MM:"
_SECONDS = tuple(f"{s:02d}" for s in range(60))
_MILLIS = ("Z",) + tuple(f".{ms:03d}Z" for ms in range(1, 1000))  # a whole second is written without fraction


def iso_ms(ms: int) -> str:
    """``from_epoch_ms`` for the hot loop (the same text, without building datetimes).

    A chat's messages fall on few days: the date is formatted once per day (``time.gmtime`` of the message's own
    second, so an out-of-range time fails exactly as before) and the clock is put together from tables."""
    seconds, millis = divmod(ms, 1000)
    days, clock = divmod(seconds, 86400)
    date = _DAYS.get(days)
    if date is None:
        t = time.gmtime(seconds)
        date = _DAYS[days] = "%04d-%02d-%02dT" % (t.tm_year, t.tm_mon, t.tm_mday)
    minute, second = divmod(clock, 60)
    return date + _HOURS_MINUTES[minute] + _SECONDS[second] + _MILLIS[millis]


# ``Message(...)`` with keywords goes through the type call's slow keyword path; allocating the object and calling
# the dataclass's own ``__init__`` (a plain function call, keywords and all) is half the cost
_new, _init_message = object.__new__, Message.__init__
# the range in which ``iso_ms`` writes what ``from_epoch_ms`` writes (four-digit years; datetime ends at 9999)
_ISO_MS_RANGE = range(0, 253402300800000)


class _Thread:
    """One thread's state while its messages are read: the natural key's constants, the ordinals, and the
    senders' repaired names (a name is repaired once per thread, and still counted in ``run.repaired`` each time
    the general path asks, as ``run.fix`` would)."""

    def __init__(self, run: Run, title, thread_id: str, prefix: str = ""):
        self.run = run
        self.prefix = prefix  # of every locator
        self.title = title
        self.thread_id = thread_id
        self.seen: dict[tuple, int] = {}  # (raw time, raw sender) -> how many messages had it so far
        self.fixed: dict[str, tuple[str, bool]] = {}  # raw name -> (repaired, whether repair changed it)
        self.plain_names: dict[Any, tuple[str | None, bool | None]] = {}  # raw sender -> (name, from owner)
        self.senders: set[str] = set()  # the plain messages' senders

    def fix_name(self, raw: Any) -> str | None:
        """``run.fix(raw)``, repairing each distinct string once."""
        if raw.__class__ is not str:
            return self.run.fix(raw)
        known = self.fixed.get(raw)
        if known is None:
            fixed = repair(raw)
            known = self.fixed[raw] = (fixed, fixed is not raw)
        if known[1]:
            self.run.repaired += 1
        return known[0]

    def ordinal(self, ts, sender_raw) -> int:
        key = (ts, sender_raw)
        seen = self.seen
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        return ordinal

    def plain(self, msg: dict, index: int) -> Message | None:
        """A plain text message (only sender, time, content, type Generic), or None for the general path."""
        get = msg.get
        ts = get("timestamp_ms")
        content = get("content")
        if ts.__class__ is not int or content.__class__ is not str or get("type", "Generic") != "Generic":
            return None
        sender_raw = get("sender_name")
        # the sender's name and owner flag once per thread (unlike the general path, this counts the repair once)
        known = self.plain_names.get(sender_raw)
        if known is None:
            run = self.run
            sender = run.fix(sender_raw)
            known = self.plain_names[sender_raw] = (sender, run.is_owner(sender))
            if sender:
                self.senders.add(sender)
        text = content if content.isascii() else self.run.fix(content)
        # the ordinal inline (``self.ordinal`` would be one more call per message)
        key = (ts, sender_raw)
        seen = self.seen
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        record = _new(Message)
        when = iso_ms(ts)
        _init_message(record, key=("fb-msg", self.thread_id, str(ts), sender_raw or "", ordinal), key_time=when,
                      locator=f"{self.prefix}messages[{index}]", raw=_encode_plain(msg), time=when,
                      platform=self.run.platform,
                      conversation=self.title, sender=known[0], text=text, kind="text", from_owner=known[1])
        return record


def _message(state: _Thread, msg: dict, index: int) -> Message | Problem:
    get = msg.get
    ts = get("timestamp_ms")
    if not isinstance(ts, (int, float)) or isinstance(ts, bool):
        return Problem("a message without a timestamp was skipped", f"{state.prefix}messages[{index}]", "warning")
    run = state.run
    sender_raw = get("sender_name")
    sender = state.fix_name(sender_raw)
    content = get("content")
    text = run.fix(content) if isinstance(content, str) else None
    extra: dict[str, Any] = {}
    media = []
    for key in _MEDIA_KEYS:
        value = get(key)
        if not value:
            continue
        for item in (value if isinstance(value, list) else [value]):
            if isinstance(item, dict) and item.get("uri"):
                media.append({"type": key, "uri": item["uri"]})
    if media:
        extra["media"] = media
    if get("share"):
        extra["share"] = run.fix_tree(msg["share"])
    if get("reactions"):
        extra["reactions"] = run.fix_tree(msg["reactions"])
    for key in ("call_duration", "missed", "is_geoblocked_for_viewer", "ip", "users", "type"):
        if key in msg and not (key == "type" and msg[key] == "Generic"):
            extra[key] = run.fix_tree(msg[key])
    mtype = get("type")
    if get("is_unsent"):
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
    return _keyed_message(state, msg, index, ts, sender_raw, sender, text, kind, extra or None)


def _secure_message(state: _Thread, msg: dict, index: int) -> Message | Problem:
    run = state.run
    ts = msg.get("timestamp")
    if not isinstance(ts, (int, float)) or isinstance(ts, bool):
        return Problem("a message without a timestamp was skipped", f"{state.prefix}messages[{index}]", "warning")
    sender_raw = msg.get("senderName")
    sender = state.fix_name(sender_raw)
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
    return _keyed_message(state, msg, index, ts, sender_raw, sender, text, kind, {"secure_storage": True, **extra})


def _keyed_message(state: _Thread, msg: dict, index: int, ts, sender_raw, sender, text, kind: str, extra) -> Message:
    """The ``Message`` of a message read field by field, in either download, under its natural key (the plain
    fast path builds the same key itself)."""
    ordinal = state.ordinal(ts, sender_raw)
    # an int time in range is written by ``iso_ms`` exactly as ``from_epoch_ms`` would, without datetimes
    when = iso_ms(ts) if ts.__class__ is int and ts in _ISO_MS_RANGE else from_epoch_ms(ts)
    record = _new(Message)
    _init_message(record, key=("fb-msg", state.thread_id, str(ts), sender_raw or "", ordinal),
                  key_time=when if ts.__class__ is int else None,  # a function of the key's str(ts) then
                  locator=f"{state.prefix}messages[{index}]", raw=_encode(msg), extra=extra, time=when,
                  platform=state.run.platform,
                  conversation=state.title, sender=sender, text=text, kind=kind, from_owner=state.run.is_owner(sender))
    return record
