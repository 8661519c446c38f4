"""Reading Facebook's JSON files: the per-member state, the three top-level shapes, and ``label_values`` records.

A file's top level can be ``{key: [...]}``, ``{key_v2: ...}``, ``{key_v3: ...}``, a bare list, or one bare record;
``top_level`` streams any of them with ijson (a bare list item by item; a dict one top-level value at a time, so
Facebook's one-big-list files are never held twice). ``flatten_label_values`` turns the generic 2024+ record format
into ordered (label, value) pairs that handlers read through per-language label maps with a positional fallback;
handlers call it through ``read_label_values``, which reports a record of an unknown shape as a problem and skips it.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from collections import Counter
from typing import Any, Generator, Iterable, Iterator

import ijson

from datavault.records import Problem
from datavault.timeutil import from_epoch_s

from datavault.importers.facebook.text import repair

PLATFORM = "facebook"

Items = Iterable[tuple[str, Any]]  # what a handler reads: (locator, item) pairs
_VERSION = re.compile(r"_v\d+$")
_FIRST_KEY = re.compile(r'^\s*\{\s*"([^"\\]{1,80})"\s*:\s*(.)', re.S)

# what can go wrong while reading a member's bytes as JSON: each is reported as a Problem where caught
READ_ERRORS: tuple[type[BaseException], ...] = (ijson.JSONError, UnicodeDecodeError, EOFError, OSError, zlib.error,
                                                zipfile.BadZipFile)


def base_key(key: str) -> str:
    """``friends_v2`` -> ``friends``: the generation suffix is recorded, not used for dispatch."""
    return _VERSION.sub("", key)


def sniff(text_head: str) -> tuple[str, str | None, str | None]:
    """The shape of a JSON file from its first characters: ('dict', first key, first char of its value),
    ('list', None, None), or ('other', None, None)."""
    stripped = text_head.lstrip()
    if stripped.startswith("["):
        return "list", None, None
    match = _FIRST_KEY.match(stripped)
    if match:
        return "dict", match.group(1), match.group(2)
    if stripped.startswith("{"):
        return "dict", None, None
    return "other", None, None


def when(value: Any) -> str | None:
    """A Facebook Unix-seconds time; 0, negatives (EXIF garbage), absurd and non-numeric values are unknown."""
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    if seconds <= 0 or seconds > 32503680000:  # after year 3000: not a time
        return None
    return from_epoch_s(int(seconds) if seconds.is_integer() else seconds)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def next_ordinal(seen: Counter, key: Any) -> int:
    """How many records before this one had ``key`` (0 for the first), counted in ``seen``: the ordinal that keeps
    records with the same time apart in their natural keys."""
    ordinal = seen[key]
    seen[key] += 1
    return ordinal


class Run:
    """What one member's parse knows and counts: the member, the import context, the owner's names, how many
    strings needed mojibake repair, and the keys and labels no handler understood (listed in the inventory)."""

    def __init__(self, member, ctx, layout, platform: str = PLATFORM):
        self.member = member
        self.platform = platform  # the platform column of every record (Instagram reads with these helpers too)
        self.ctx = ctx
        self.layout = layout
        self.name = member.name
        self.repaired = 0
        self.unknown_keys: Counter[str] = Counter()
        self.unknown_labels: Counter[str] = Counter()
        self.labels: Counter[str] = Counter()  # every label_values label seen: the export's language
        self.owner = {ctx.me.casefold()} if ctx.me else set()
        self.shapes: list[str] = []

    def fix(self, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            value = str(value)
        fixed = repair(value)
        if fixed is not value:
            self.repaired += 1
        return fixed

    def fix_tree(self, value: Any) -> Any:
        cls = value.__class__
        if cls is bool or cls is int or value is None:  # the scalars a message's extras mostly are: nothing to fix
            return value
        if isinstance(value, str):
            return self.fix(value)
        if isinstance(value, dict):
            return {k: self.fix_tree(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fix_tree(v) for v in value]
        return value

    def is_owner(self, name: str | None) -> bool | None:
        if not self.owner:
            return None
        return name is not None and name.casefold() in self.owner


# above this size a {key: [...]} file's list is streamed item by item instead of built whole (off-Meta activity
# and reactions of a heavy user reach hundreds of MB)
STREAM_ABOVE = 32 << 20


class Streamed:
    """A top-level list that is being streamed: iterate it once."""

    def __init__(self, items: Iterator[Any]):
        self.items = items

    def __iter__(self):
        return iter(self.items)


def top_level(member) -> Iterator[tuple[str | None, int | None, Any]]:
    """The file's top-level content, streamed: ``(key, None, value)`` per top-level key of a dict (a bare
    ``label_values`` record comes as key ``None`` with the whole record), ``(None, index, item)`` per item of a
    bare list. In a large dict file a list value comes as a ``Streamed``. Raises READ_ERRORS on broken JSON after
    yielding what came before the break."""
    shape, first_key, first_char = sniff(member.text_head(512))
    if shape == "dict" and first_key and first_char == "[" and (member.size or 0) > STREAM_ABOVE:
        yield from _top_level_large(member, first_key)
        return
    with member.open() as fh:
        if shape == "list":
            for index, item in enumerate(ijson.items(fh, "item", use_float=True)):
                yield None, index, item
        elif first_key is not None and base_key(first_key) in _RECORD_KEYS:
            # one bare label_values record: read whole (it is small by nature)
            for record in ijson.items(fh, "", use_float=True):
                yield None, 0, record
        else:
            for key, value in ijson.kvitems(fh, "", use_float=True):
                yield key, None, value


def _top_level_large(member, first_key: str) -> Iterator[tuple[str | None, int | None, Any]]:
    """A large ``{key: [...], ...}`` file: the first key's list streamed, then any other top-level key (one pass
    each; Facebook's large files have only the one key)."""
    # ijson prefixes join keys with dots; Facebook's keys are plain ASCII words, so they are prefixes as they are
    with member.open() as fh:
        yield first_key, None, Streamed(ijson.items(fh, f"{first_key}.item", use_float=True))
    others: list[str] = []
    with member.open() as fh:
        for prefix, event, value in ijson.parse(fh):
            if prefix == "" and event == "map_key" and value != first_key:
                others.append(value)
    for key in others:
        with member.open() as fh:
            for value in ijson.items(fh, key, use_float=True):
                yield key, None, value


# keys that only appear in a label_values record (so a dict starting with them is a bare record)
_RECORD_KEYS = {"label_values", "fbid", "media", "timestamp", "title"}


def records_of(value: Any) -> list[Any]:
    """A top-level value as a list of records: a list as is, a dict that is one record as [it]."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return []


# ---------------------------------------------------------------------------------------------------------------
# label_values

class LV:
    """A flattened ``label_values`` record: the record's own fields plus its ordered (label, value) pairs.
    A value is a str, a ('time', seconds) tuple, a list (``vec``) or a list of pairs (``dict``)."""

    __slots__ = ("timestamp", "fbid", "title", "pairs", "hrefs")

    def __init__(self, timestamp, fbid, title, pairs, hrefs):
        self.timestamp = timestamp
        self.fbid = fbid
        self.title = title
        self.pairs = pairs
        self.hrefs = hrefs

    def get(self, labels: frozenset[str]) -> Any:
        for label, value in self.pairs:
            if label is not None and label.casefold() in labels:
                return value
        return None

    def strings(self) -> list[str]:
        """Every plain string value, in order (the positional fallback)."""
        return [v for _, v in self.pairs if isinstance(v, str)]

    def times(self) -> list[float]:
        return [v[1] for _, v in self.pairs if isinstance(v, tuple) and v and v[0] == "time"]

    def timestamp_or_first_time(self) -> Any:
        """The record's own timestamp, else the first time among its values (None when it has neither)."""
        return self.timestamp or next(iter(self.times()), None)

    def first_href(self) -> str | None:
        """The first link among its values, whatever its label."""
        return next(iter(self.hrefs.values()), None)


class ShapeError(ValueError):
    """A label_values record whose shape is not one of the known ones."""


def flatten_label_values(record: Any, run: Run) -> LV:
    if not isinstance(record, dict) or not isinstance(record.get("label_values", []), list):
        raise ShapeError("not a label_values record")
    hrefs: dict[str, str] = {}
    pairs = _pairs(record.get("label_values") or [], run, hrefs)
    return LV(record.get("timestamp"), record.get("fbid"), run.fix(record.get("title")), pairs, hrefs)


def _pairs(items: list, run: Run, hrefs: dict[str, str]) -> list[tuple[str | None, Any]]:
    pairs: list[tuple[str | None, Any]] = []
    for item in items:
        if not isinstance(item, dict):
            if isinstance(item, str):
                pairs.append((None, run.fix(item)))
                continue
            raise ShapeError(f"unexpected {type(item).__name__} among label_values")
        label = run.fix(item.get("label") if item.get("label") is not None else item.get("title"))
        if label:
            run.labels[label] += 1
        if "value" in item:
            pairs.append((label, run.fix(item["value"])))
            if item.get("href"):
                hrefs[label or ""] = item["href"]
        elif "timestamp_value" in item:
            pairs.append((label, ("time", item["timestamp_value"])))
        elif "vec" in item:
            pairs.append((label, _vec(item["vec"], run, hrefs)))
        elif "dict" in item:
            pairs.append((label, _pairs(item["dict"] or [], run, hrefs)))
        elif "href" in item:
            pairs.append((label, item["href"]))
        else:
            raise ShapeError(f"label_values entry with keys {sorted(item)}")
    return pairs


def _vec(items: Any, run: Run, hrefs: dict[str, str]) -> list:
    if not isinstance(items, list):
        raise ShapeError("vec is not a list")
    out: list = []
    for item in items:
        if isinstance(item, dict) and "dict" in item and "label" not in item:
            out.append(_pairs(item["dict"] or [], run, hrefs))
        elif isinstance(item, dict):
            sub = _pairs([item], run, hrefs)
            out.append(sub[0][1] if len(sub) == 1 and sub[0][0] is None else sub)
        elif isinstance(item, str):
            out.append(run.fix(item))
        else:
            raise ShapeError("unexpected item in vec")
    return out


def pair_get(pairs: Any, labels: frozenset[str]) -> Any:
    if not isinstance(pairs, list):
        return None
    for entry in pairs:
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] is not None and entry[0].casefold() in labels:
            return entry[1]
    return None


def first_string(value: Any) -> str | None:
    """The first plain string inside a flattened value (positional fallback)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for entry in value:
            found = first_string(entry[1] if isinstance(entry, tuple) and len(entry) == 2 else entry)
            if found:
                return found
    return None


def labels(*names: str) -> frozenset[str]:
    return frozenset(n.casefold() for n in names)


def is_label_values(item: Any) -> bool:
    """An item that says it is a label_values record (handlers that also read the older shapes ask first)."""
    return isinstance(item, dict) and "label_values" in item


def read_label_values(run: Run, locator: str, item: Any) -> Generator[Problem, None, LV | None]:
    """``lv = yield from read_label_values(run, locator, item)`` in a handler: the flattened record, or None
    after yielding the problem that says a record of an unknown shape was skipped."""
    try:
        return flatten_label_values(item, run)
    except ShapeError as exc:
        yield Problem(f"a record of an unknown shape was skipped ({exc})", locator, "warning")
        return None


# words of label_values labels, per language: enough to tell which language an export's labels are in
LANGUAGE_WORDS = {
    "en": {"name", "place", "coordinates", "address", "action", "title", "reaction", "events", "event",
           "received on", "advertiser", "advertisers", "url", "device", "time zone", "search"},
    "nl": {"naam", "plaats", "coördinaten", "adres", "actie", "titel", "reactie", "gebeurtenissen", "gebeurtenis",
           "ontvangen op", "adverteerder", "adverteerders", "apparaat", "tijdzone", "zoekopdracht"},
    "de": {"ort", "koordinaten", "adresse", "aktion", "reaktion", "ereignisse", "ereignis", "erhalten am",
           "werbetreibender", "gerät", "zeitzone", "suche"},
    "da": {"navn", "sted", "koordinater", "handling", "begivenheder", "begivenhed", "modtaget", "enhed",
           "tidszone", "søgning"},
    "fr": {"nom", "lieu", "coordonnées", "réaction", "événements", "événement", "reçu le", "appareil",
           "fuseau horaire", "recherche"},
}


def label_language(labels: Counter[str] | dict[str, int]) -> str | None:
    """The language whose label words the export's labels match most (None when nothing matches)."""
    scores = {lang: sum(n for label, n in labels.items() if label.casefold() in words)
              for lang, words in LANGUAGE_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] else None
