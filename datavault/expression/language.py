"""The language of a text, to know which texts VADER (an English lexicon) can judge.

Reads only the text. Non-Latin scripts (Cyrillic, Arabic, CJK, ...) are recognised by their code points;
Latin-script texts of a dozen letters or more by lingua (datavault/findings/language.py), which is made for
short texts; shorter ones by function words and everyday chat words per language (``data/languages.toml``). The
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
from typing import Sequence

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
def _word_languages() -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """word -> the languages it marks, and the language codes in file order. A word English shares with another
    language ("a", "no", "in") marks neither: it cannot tell them apart. Words two other languages share mark
    both (Spanish and Portuguese "está")."""
    data = tomllib.loads(resources.files("datavault.expression").joinpath("data/languages.toml").read_text("utf-8"))
    english = set(data["en"]["words"].split())
    marks: dict[str, list[str]] = {}
    for code, entry in data.items():
        for word in entry["words"].split():
            marks.setdefault(word, [])
            if code not in marks[word]:
                marks[word].append(code)
    return ({word: tuple(codes) for word, codes in marks.items() if not (word in english and len(codes) > 1)},
            tuple(data))


def detect_language(text: str | None) -> str:
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str | None]) -> list[str]:
    """The language of each text (``detect_language``), lingua asked once for all of them: in one batch it
    runs in parallel, and a text repeated is detected once."""
    from datavault.findings.language import MIN_LETTERS, detect_many  # (the findings package imports this one)

    out: list[str | None] = []
    heads: list[tuple[int, str, list[str]]] = []  # texts a sentence long: lingua is then sure or says nothing
    rest: list[tuple[int, list[str]]] = []
    for i, text in enumerate(texts):
        out.append(None)
        if text is None or not text.strip():
            out[i] = "empty"
            continue
        head = text[:HEAD_CHARS]
        words = _WORD.findall(head.lower())
        if not words:
            out[i] = "none"
            continue
        letters = sum(len(w) for w in words)
        if not head.isascii():
            counts = [(len(pattern.findall(head)), name) for name, pattern in _SCRIPTS]
            if sum(n for n, _ in counts) * 2 > letters:  # mostly non-Latin: named after its commonest script
                out[i] = f"{max(counts)[1]} script"
                continue
        if letters >= 2 * MIN_LETTERS:
            heads.append((i, head, words))
        else:
            rest.append((i, words))
    for (i, _, words), code in zip(heads, detect_many([h for _, h, _ in heads], confident=0.7,
                                                      min_letters=2 * MIN_LETTERS)):
        if code is not None:
            out[i] = code
        else:
            rest.append((i, words))
    for i, words in rest:
        out[i] = _by_words(words)
    return out  # type: ignore[return-value]


def _by_words(words: list[str]) -> str:
    """The language a short text's words mark (languages.toml), English unless another has more."""
    marks, order = _word_languages()
    hits: dict[str, int] = {}
    for word in words:
        for code in marks.get(word, ()):
            hits[code] = hits.get(code, 0) + 1
    if not hits:
        return "undetermined"
    en_hits = hits.pop("en", 0)
    if hits:
        best_hits = max(hits.values())
        if best_hits > en_hits:
            return next(code for code in order if hits.get(code) == best_hits)
    return "en"


def is_assessed(language: str) -> bool:
    return language in ASSESSED
