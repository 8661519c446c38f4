"""Repairing Facebook's mojibake, losslessly.

Facebook's JSON writes every UTF-8 byte of a non-ASCII character as its own ``\\u00XX`` escape, so a JSON parser
hands us "JosÃ©" for "José" and four Latin-1 characters for one emoji. ``repair`` turns each run of such
characters that forms a complete, valid UTF-8 sequence back into the character it encodes, and passes every
other character through unchanged: a string that mixes broken and correct text is repaired where it is broken,
a string that needs no repair is returned as the same object, and no character is ever dropped (a lone "Ã" or
"é" that is not part of a valid sequence stays as written).

What it deliberately does not do: guess. Text that genuinely is "Ã©" in a correctly encoded file is
indistinguishable from a mojibake "é" and is repaired; Facebook's own files never contain it unescaped.
"""

from __future__ import annotations

from typing import Any


def repair(text: str) -> str:
    """``text`` with every mojibake UTF-8 run decoded; unchanged (the same object) when nothing needs repair."""
    if text.isascii():
        return text
    try:
        # the common case: the whole string is one mojibake; fully valid, so identical to the per-character path
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _repair_mixed(text)


def _sequence_length(code: int) -> int:
    if 0xC2 <= code <= 0xDF:
        return 2
    if 0xE0 <= code <= 0xEF:
        return 3
    if 0xF0 <= code <= 0xF4:
        return 4
    return 0


def _repair_mixed(text: str) -> str:
    out: list[str] = []
    changed = False
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        length = _sequence_length(ord(char))
        if length and i + length <= n:
            chunk = text[i:i + length]
            if all(0x80 <= ord(c) <= 0xBF for c in chunk[1:]):
                try:
                    out.append(chunk.encode("latin-1").decode("utf-8"))  # rejects overlongs and surrogates
                    changed = True
                    i += length
                    continue
                except UnicodeDecodeError:
                    pass
        out.append(char)
        i += 1
    return "".join(out) if changed else text


def repair_tree(value: Any) -> Any:
    """Every string inside a parsed JSON value repaired (keys are ASCII in Facebook's files and stay as they are)."""
    if isinstance(value, str):
        return repair(value)
    if isinstance(value, dict):
        return {k: repair_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [repair_tree(v) for v in value]
    return value


def needs_repair(text: str) -> bool:
    """Whether ``repair`` would change ``text`` (used to record, per file, that Meta's bug is still there)."""
    return not text.isascii() and repair(text) != text
