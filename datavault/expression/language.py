"""A cheap offline guess of a text's language, to know which texts VADER (an English lexicon) can judge.

Reads only the text. Non-Latin scripts (Cyrillic, Arabic, CJK, ...) are recognised by their code points;
Latin-script texts by function words and everyday chat words per language (``data/languages.toml``). The
answer is one of: ``en``; another language code or ``<script> script`` (not assessed by VADER);
``undetermined`` (Latin letters but no known word: "ok", "lol", names; assessed, as VADER would); ``none``
(no letters at all: emoji, punctuation, numbers; assessed, VADER reads emoji); ``empty``.

Deliberately ignored: mixed-language texts (the majority decides), dialects, and any accuracy beyond the
question "is this English or not". Only the first ``HEAD_CHARS`` characters are looked at.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

HEAD_CHARS = 2_000
ASSESSED = frozenset({"en", "undetermined", "none"})

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(f"[{ranges}]")) for name, ranges in (
    ("Cyrillic", "\u0400-\u04ff\u0500-\u052f"),
    ("Greek", "\u0370-\u03ff"),
    ("Arabic", "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"),
    ("Hebrew", "\u0590-\u05ff"),
    ("Devanagari", "\u0900-\u097f"),
    ("Bengali", "\u0980-\u09ff"),
    ("Tamil", "\u0b80-\u0bff"),
    ("Thai", "\u0e00-\u0e7f"),
    ("Georgian", "\u10a0-\u10ff"),
    ("Armenian", "\u0530-\u058f"),
    ("Hangul", "\uac00-\ud7af\u1100-\u11ff"),
    ("Kana", "\u3040-\u30ff"),
    ("Han", "\u4e00-\u9fff\u3400-\u4dbf"),
))


@lru_cache(maxsize=1)
def _word_lists() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    data = tomllib.loads(resources.files("datavault.expression").joinpath("data/languages.toml").read_text("utf-8"))
    english = frozenset(data["en"]["words"].split())
    others = {code: frozenset(entry["words"].split()) - english for code, entry in data.items() if code != "en"}
    return english, others


def detect_language(text: str | None) -> str:
    if text is None or not text.strip():
        return "empty"
    head = text[:HEAD_CHARS]
    words = _WORD.findall(head.lower())
    if not words:
        return "none"
    if not head.isascii():
        letters = sum(len(w) for w in words)
        counts = [(len(pattern.findall(head)), name) for name, pattern in _SCRIPTS]
        if sum(n for n, _ in counts) * 2 > letters:  # mostly non-Latin: named after its commonest script
            return f"{max(counts)[1]} script"
    english, others = _word_lists()
    en_hits = sum(1 for w in words if w in english)
    best_code, best_hits = "", 0
    for code, vocabulary in others.items():
        hits = sum(1 for w in words if w in vocabulary)
        if hits > best_hits:
            best_code, best_hits = code, hits
    if best_hits > en_hits:
        return best_code
    return "en" if en_hits else "undetermined"


def is_assessed(language: str) -> bool:
    return language in ASSESSED
