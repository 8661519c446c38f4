"""Streaming the big JSON arrays of a Takeout, one item at a time, with each item's original text.

My Activity files hold one top-level array of small objects and reach hundreds of MB. ``iter_array`` reads the
member in 1 MiB chunks and cuts one item after another out of the text with the C JSON scanner
(``JSONDecoder.raw_decode``). That keeps memory at one chunk plus the largest item, hands every item over with
its exact source text (the record's ``raw``), and is several times faster than an event parser such as ijson
(which would also have to re-serialise each item to keep its text), which matters at a million records. An
array inside an object (Chrome's ``{"Browser History": [...]}``) is found by its key and streamed the same way.
Undecodable bytes are replaced and counted (``common.BadBytes``) so the reader can report them.

Damage is reported, never swallowed: a file that ends inside an item (a truncated download) or an item that is
not valid JSON stops the stream with a ``JsonTrouble`` naming the item index; the items before it are kept.
"""

from __future__ import annotations

import json
import re
from typing import BinaryIO, Iterator

from .common import text_chunks

_CHUNK = 1 << 20
_MAX_ITEM = 256 << 20  # one item larger than this is not a Takeout record: report instead of buffering forever
_DECODER = json.JSONDecoder()
_WS = re.compile(r"[\s,]*")


class JsonTrouble(Exception):
    """The stream could not go on; ``index`` is the item where it stopped."""

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index = index


def iter_array(stream: BinaryIO, after: str | None = None) -> Iterator[tuple[int, object, str]]:
    """``(index, item, raw text)`` for each item of a JSON array.

    The array is the top-level value, or with ``after`` the first array that follows the key ``"after":``
    (e.g. ``Browser History``). Raises ``JsonTrouble`` when the text is damaged.
    """
    chunks = text_chunks(stream, _CHUNK)
    buf = ""
    pos = 0
    eof = False

    def more() -> bool:
        nonlocal buf, pos, eof
        if eof:
            return False
        try:
            piece = next(chunks)
        except StopIteration:
            eof = True
            return False
        buf = buf[pos:] + piece
        pos = 0
        return True

    # find the opening bracket
    opener = re.compile(r'\s*\[') if after is None else re.compile(r'"' + re.escape(after) + r'"\s*:\s*\[')
    while True:
        found = opener.search(buf) if after is not None else opener.match(buf)
        if found:
            pos = found.end()
            break
        if after is None and buf.strip() and not buf.lstrip().startswith("["):
            raise JsonTrouble("the file is not a JSON list", 0)
        if not more():
            if not buf.strip():
                raise JsonTrouble("the file is empty", 0)
            raise JsonTrouble("the file ends before its list begins (truncated?)", 0)
    index = 0
    while True:
        ws = _WS.match(buf, pos)
        pos = ws.end()
        if pos >= len(buf):
            if not more():
                raise JsonTrouble(f"the file stops after item [{index - 1}] without closing its list (cut off?); "
                                  f"the {index} item(s) before were read", index)
            continue
        if buf[pos] == "]":
            return
        try:
            item, end = _DECODER.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            if len(buf) - pos > _MAX_ITEM:
                raise JsonTrouble(f"item [{index}] is not valid JSON ({exc.msg})", index) from None
            if more():
                continue
            # at the end of the file: either cut off (a truncated download) or broken inside
            if _looks_complete(buf[pos:].rstrip()):
                raise JsonTrouble(f"item [{index}] is not valid JSON ({exc.msg})", index) from None
            raise JsonTrouble(f"the file stops in the middle of item [{index}] (cut off, perhaps by an interrupted "
                              f"download); the {index} item(s) before it were read", index) from None
        if end >= len(buf) and not eof:
            # a number or literal at the very end of the buffer could continue in the next chunk
            if not isinstance(item, (dict, list)) and more():
                continue
        yield index, item, buf[pos:end]
        index += 1
        pos = end
        if pos > _CHUNK and len(buf) - pos < _CHUNK:
            buf = buf[pos:]
            pos = 0


def _looks_complete(tail: str) -> bool:
    """A damaged array still closes with ``]``; a cut-off one does not."""
    return tail.endswith("]")


def load_small(stream: BinaryIO, limit: int = 64 << 20) -> object:
    """A JSON document known to be small (a profile, a settings file): read whole, refusing giant ones."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise JsonTrouble(f"the file is larger than {limit >> 20} MB, which this kind of file never is", 0)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise JsonTrouble("the file is empty", 0)
    try:
        return json.loads(data.decode("utf-8", "replace"))
    except json.JSONDecodeError as exc:
        raise JsonTrouble(f"not valid JSON: {exc.msg} at character {exc.pos}", 0) from None


def load_object(stream: BinaryIO, not_object: str) -> dict:
    """A small JSON document that must be one object (a profile, a note): ``load_small``, and a ``JsonTrouble``
    saying ``not_object`` when the document is valid JSON of another kind."""
    data = load_small(stream)
    if not isinstance(data, dict):
        raise JsonTrouble(not_object, 0)
    return data
