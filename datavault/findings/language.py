"""Which language a text is in, and the words of a text as the rules compare them.

Language detection is lingua (``lingua-language-detector``), which is built for short texts and needs no
network: a detector over the languages people commonly write to each other in, built once per process, in
lingua's low-accuracy mode (its trigram models load in half a second; the full models take ten). A text's language is only taken when lingua is confident;
"ok" or "see you at 6" has none, and then the record's surroundings decide (the language of the person's own
messages in that conversation, or of their searches).

Words are folded the way the word index sees them (lower case, accents removed) and stemmed with the Snowball
stemmer of the text's language (PyStemmer), so "Kindern", "Kinder" and "Kind" meet the same rule. English
contractions ("don't", "isn't") are read as their "not", French and Italian elisions ("d'enfants") as two words.
Nothing here knows any finding.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

# ISO 639-1 code -> (lingua name, Snowball algorithm or None). The languages a detector tells apart: the ones
# datavault has word lists for, and the ones it must recognise in order to say it did not read them.
LANGUAGES: dict[str, tuple[str, str | None]] = {
    "en": ("ENGLISH", "english"), "de": ("GERMAN", "german"), "es": ("SPANISH", "spanish"),
    "fr": ("FRENCH", "french"), "pt": ("PORTUGUESE", "portuguese"), "it": ("ITALIAN", "italian"),
    "nl": ("DUTCH", "dutch"), "tr": ("TURKISH", "turkish"), "ru": ("RUSSIAN", "russian"),
    "uk": ("UKRAINIAN", None), "pl": ("POLISH", "polish"), "ar": ("ARABIC", "arabic"),
    "fa": ("PERSIAN", "persian"), "he": ("HEBREW", None), "hi": ("HINDI", "hindi"),
    "bn": ("BENGALI", None), "ur": ("URDU", None), "zh": ("CHINESE", None), "ja": ("JAPANESE", None),
    "ko": ("KOREAN", None), "id": ("INDONESIAN", "indonesian"), "ms": ("MALAY", None),
    "vi": ("VIETNAMESE", None), "th": ("THAI", None), "sv": ("SWEDISH", "swedish"),
    "da": ("DANISH", "danish"), "nb": ("BOKMAL", "norwegian"), "fi": ("FINNISH", "finnish"),
    "el": ("GREEK", "greek"), "ro": ("ROMANIAN", "romanian"), "hu": ("HUNGARIAN", "hungarian"),
    "cs": ("CZECH", "czech"), "ca": ("CATALAN", "catalan"), "sw": ("SWAHILI", None),
}
NAMES = {
    "en": "English", "de": "German", "es": "Spanish", "fr": "French", "pt": "Portuguese", "it": "Italian",
    "nl": "Dutch", "tr": "Turkish", "ru": "Russian", "uk": "Ukrainian", "pl": "Polish", "ar": "Arabic",
    "fa": "Persian", "he": "Hebrew", "hi": "Hindi", "bn": "Bengali", "ur": "Urdu", "zh": "Chinese",
    "ja": "Japanese", "ko": "Korean", "id": "Indonesian", "ms": "Malay", "vi": "Vietnamese", "th": "Thai",
    "sv": "Swedish", "da": "Danish", "nb": "Norwegian", "fi": "Finnish", "el": "Greek", "ro": "Romanian",
    "hu": "Hungarian", "cs": "Czech", "ca": "Catalan", "sw": "Swahili",
}
UNDETERMINED = "und"
CONFIDENT = 0.5          # lingua's confidence for one text to be taken on its own
MIN_LETTERS = 12         # fewer letters than this: no language of its own (a greeting, an emoji, a time)


def name(code: str | None) -> str:
    return NAMES.get(code or "", "an undetermined language" if code in (None, UNDETERMINED) else code)


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    # low accuracy mode: trigram models only, loaded in half a second instead of eleven (all n-gram models of
    # 34 languages); on a whole chat or a sentence it agrees, and a short text it cannot place falls back on
    # its chat's language anyway
    languages = (getattr(Language, n) for n, _ in LANGUAGES.values())
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    return {lingua_name: code for code, (lingua_name, _) in LANGUAGES.items()}


def _letters(text: str) -> int:
    return sum(map(str.isalpha, text[:400]))


def detect_many(texts: Sequence[str], confident: float = CONFIDENT, min_letters: int = MIN_LETTERS
                ) -> list[str | None]:
    """The language code of each text where lingua is confident enough, else None (lingua runs in parallel)."""
    distinct = [t for t in dict.fromkeys(texts) if t and _letters(t) >= min_letters]  # a text repeated: once
    if not distinct:
        return [None] * len(texts)
    codes = _codes()
    found: dict[str, str | None] = {}
    values = _detector().compute_language_confidence_values_in_parallel([t[:2000] for t in distinct])
    for text, ranked in zip(distinct, values):
        found[text] = codes.get(ranked[0].language.name) if ranked and ranked[0].value >= confident else None
    return [found.get(t) for t in texts]


def _chunks(texts: Iterable[str], chunk_chars: int) -> list[str]:
    """Short texts joined into chunks of about ``chunk_chars``."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for text in texts:
        if not text:
            continue
        current.append(text)
        size += len(text)
        if size >= chunk_chars:
            chunks.append(" \n".join(current))
            current, size = [], 0
    if current:
        chunks.append(" \n".join(current))
    return chunks


def _decided(found: list[str], undetected: int) -> bool:
    """Whether the most frequent language of ``found`` stays so whatever the ``undetected`` chunks turn out."""
    counts = sorted(((found.count(c), c) for c in set(found)), reverse=True)
    if not counts:
        return undetected == 0
    second = counts[1][0] if len(counts) > 1 else 0
    return counts[0][0] > second + undetected


def _detect_into(found: dict, chunks_of: dict) -> None:
    """Detect the chunks of every body in ``chunks_of`` in one batch; each recognised language joins the
    body's list in ``found``."""
    codes = iter(detect_many([chunk for chunks in chunks_of.values() for chunk in chunks], confident=0.3))
    for key, chunks in chunks_of.items():
        found[key] += [c for c in (next(codes) for _ in chunks) if c]


def body_languages(bodies: dict, chunk_chars: int = 600) -> dict:
    """The language of each body of short texts (``{key: one person's messages in one chat}``): each body's
    texts are joined into chunks of about ``chunk_chars``, each chunk detected, the most frequent language wins;
    ``{key: (code, its share of the chunks read)}``, (``und``, 0.0) where nothing was recognised.

    Every body's chunks go to lingua in one batch (its threads busy, not started per chat), in two rounds: first
    the fewest chunks of each body that could make a majority, then the rest of the bodies whose winner those
    chunks leave open. A body decided in the first round would have had the same winner from all its chunks."""
    chunked = {key: _chunks(texts, chunk_chars) for key, texts in bodies.items()}
    found: dict = {key: [] for key in chunked}
    first = {key: chunks[:len(chunks) // 2 + 1] for key, chunks in chunked.items()}
    _detect_into(found, first)
    _detect_into(found, {key: chunked[key][len(first[key]):] for key in chunked
                         if not _decided(found[key], len(chunked[key]) - len(first[key]))})
    out = {}
    for key, codes in found.items():
        if not codes:
            out[key] = (UNDETERMINED, 0.0)
            continue
        best = max(set(codes), key=lambda c: (codes.count(c), c))
        out[key] = (best, codes.count(best) / len(codes))
    return out


def body_language(texts: Iterable[str], chunk_chars: int = 600) -> tuple[str, float]:
    """The language of one body of short texts (see ``body_languages``)."""
    return body_languages({0: texts}, chunk_chars)[0]


# --- words ---------------------------------------------------------------------------------------------------

def fold(text: str) -> str:
    """Lower case without accents, the way the FTS5 ``unicode61 remove_diacritics 2`` tokenizer sees text."""
    if text.isascii():  # most words of most texts: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Words repeat (a person's vocabulary is a few thousand words): one word is folded once per process
_fold_word = lru_cache(maxsize=1 << 16)(fold)


_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NOT = re.compile(r"(?<=[a-z])n['’]t\b", re.IGNORECASE)       # don't, isn't, can't -> do not, is not, ca not
_CANNOT = re.compile(r"\bcannot\b", re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[.!?;:()\[\]\n…]|(?:\s[-–—]\s)")


@dataclass(slots=True)
class Word:
    text: str        # as written
    folded: str      # lower case, no accents
    start: int       # character offset in the (contraction-expanded) text
    clause: int      # index of the clause it is in (clauses break at . ! ? ; : and line ends)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def expand(text: str) -> str:
    """English contractions spelled out: "don't" -> "do not", "cannot" -> "can not" (offsets then refer to this)."""
    return _CANNOT.sub("can not", _NOT.sub(" not", text))


def words(text: str) -> list[Word]:
    """The words of ``text`` with their clause numbers ("d'enfants" is "d enfants"); see ``expand``."""
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(text)]
    out: list[Word] = []
    b = 0
    for m in _WORD.finditer(text):
        while b < len(breaks) and breaks[b] < m.start():
            b += 1
        written = m.group(0)
        out.append(Word(written, _fold_word(written), m.start(), b))
    return out


@lru_cache(maxsize=64)
def _stemmer(code: str):
    algorithm = LANGUAGES.get(code, (None, None))[1]
    if algorithm is None:
        return None
    import Stemmer

    return Stemmer.Stemmer(algorithm)


def stems(folded_words: Sequence[str], code: str) -> list[str]:
    """Snowball stems of already folded words in language ``code`` (the words themselves where none exists)."""
    stemmer = _stemmer(code)
    if stemmer is None:
        return list(folded_words)
    return stemmer.stemWords(list(folded_words))
