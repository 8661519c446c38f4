"""How an offline sentiment model would judge the person's OWN words: messages they sent, their posts and
comments, and the searches they typed.

Reads the vault's contract views (``messages`` with ``from_owner`` true and kind ``text``; ``posts`` of kind
post/comment/search; ``activities`` of product Search). Other people's messages are never read: a finding about
someone who is not the vault's owner is not this tool's business. Texts in languages the English lexicon does
not cover are counted per language and reported as not assessed, never scored as neutral.

Per text: VADER's compound score (``datavault.bias.scorers.vader_compound``). Aggregates: a monthly trajectory,
the most negative and most positive examples (with time, source file and locator), the share of texts a naive
scorer would mark "hostile", and the political/protest vocabulary found, with how much those words alone move
the model's score. One pass over the rows; memory stays flat (bounded heaps and a bounded score cache).

Deliberately ignored: sarcasm, context across messages, and any claim that the scores are right: the point is
to show what a scorer would conclude, next to the bias audit of the very same model.
"""

from __future__ import annotations

import csv
import heapq
import io
import itertools
import json
import math
import multiprocessing
import os
import re
from functools import lru_cache
from operator import itemgetter
import sqlite3
from array import array
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Iterator
from urllib.parse import parse_qs, urlsplit

from datavault.bias.scorers import vader_compound
from datavault.layout import FILE_NAME, physical
from datavault.limits import readable
from datavault.expression.language import detect_languages, is_assessed

POSITIVE_AT = 0.05      # VADER's own recommended thresholds for "positive" and "negative"
NEGATIVE_AT = -0.05
HOSTILE_AT = -0.5       # a naive scorer's "hostile": strongly negative by the model's compound score
EXAMPLES = 5
EXCERPT_CHARS = 160
_CACHE_LIMIT = 200_000  # distinct short texts remembered ("ok", "lol", "on my way")
_CACHE_TEXT_CHARS = 64
NEUTRAL_SUBSTITUTE = "meeting"  # what a protest word is replaced with to see how much the word itself costs


@dataclass(frozen=True, slots=True)
class OwnText:
    table: str          # messages, posts, activities
    kind: str           # message, post, comment, search
    time: str | None
    platform: str | None
    text: str
    source_file: str | None
    locator: str | None


# --- reading the vault -------------------------------------------------------------------------------------

_SEARCH_PREFIXES = ("Searched for ", "Searched ")


def search_query(title: str | None, url: str | None) -> str | None:
    """The words a person typed: the URL's q= parameter when there is one, else the title without
    "Searched for" (Takeout's English title; other languages keep their title, still the typed words)."""
    if url:
        query = parse_qs(urlsplit(url).query).get("q")
        if query and query[0].strip():
            return query[0]
    if title:
        for prefix in _SEARCH_PREFIXES:
            if title.startswith(prefix):
                return title[len(prefix):]
        return title
    return None


def _rows(conn: sqlite3.Connection, sql: str, args: tuple = ()) -> Iterator[tuple]:
    try:
        yield from conn.execute(sql, args)
    except sqlite3.OperationalError as exc:
        # a vault without this view (nothing of that kind imported yet, or an older schema) has no such texts
        if "no such table" not in str(exc) and "no such column" not in str(exc):
            raise


# (table, columns, condition): the person's own words in each contract view (``{source_file}``: the column of
# the view, or its name read from the physical table)
_SOURCES = (
    ("messages", f"time, platform, 'message', {readable('text')}, {{source_file}}, locator",
     "from_owner = 1 AND kind = 'text' AND text IS NOT NULL"),
    ("posts", f"time, platform, kind, {readable('text')}, {{source_file}}, locator",
     "kind IN ('post', 'comment', 'search') AND text IS NOT NULL"),
    ("activities", "time, platform, title, url, {source_file}, locator",
     "product = 'Search' AND (action = 'searched' OR action IS NULL)"),
)
FETCH = 10_000  # rows of a sample read by one statement


def own_rowids(conn: sqlite3.Connection) -> dict[str, array | None]:
    """{table: the physical rowids of its own texts, in table order} (None for a view with no physical table
    behind it: a copy of the views as tables). One pass over each table that reads the condition's columns
    alone: it gives the count, and a sample is then read by rowid (numbering the rows in SQL instead, and reading
    the sample's columns by a second pass, took twice as long: 0.87 s for 500,000 own messages, now 0.37 s)."""
    return {table: _own_ids(conn, table, condition) for table, _, condition in _SOURCES}


def _own_ids(conn: sqlite3.Connection, table: str, condition: str) -> array | None:
    phys = physical(conn, table)  # the store's table: every column the condition names is there
    if phys is None:
        return None
    # 8 bytes a text (a list of ints: 36)
    return array("q", map(itemgetter(0), conn.execute(f"SELECT rowid FROM {phys} WHERE {condition}")))


def count_own_texts(conn: sqlite3.Connection, rowids: dict[str, array | None] | None = None) -> int:
    rowids = own_rowids(conn) if rowids is None else rowids
    return sum(len(ids) if (ids := rowids.get(table)) is not None else
               sum(row[0] for row in _rows(conn, f"SELECT count(*) FROM {table} WHERE {condition}"))
               for table, _, condition in _SOURCES)


def _sample_rows(conn: sqlite3.Connection, table: str, columns: str, condition: str, every: int,
                 rowids: dict[str, array | None] | None) -> Iterator[tuple]:
    """Every ``every``-th own text of ``table`` in table order: the rows numbered ``every``, 2 x ``every``, ..."""
    phys = physical(conn, table)
    if phys is None:  # the contract's fields alone (a copy of the views as tables)
        yield from _rows(conn, f"SELECT * FROM (SELECT {columns.format(source_file='source_file')}, "
                               f"row_number() OVER () AS n FROM {table} WHERE {condition}) WHERE n % {int(every)} = 0")
        return
    ids = (rowids or {}).get(table)
    if ids is None:
        ids = _own_ids(conn, table, condition)
    chosen = ids[every - 1::every]
    sql = (f"SELECT {columns.format(source_file=f'{FILE_NAME} AS source_file')} FROM {phys} "
           f"WHERE rowid IN (SELECT value FROM json_each(?)) ORDER BY rowid")
    for start in range(0, len(chosen), FETCH):
        yield from _rows(conn, sql, (json.dumps(chosen[start:start + FETCH].tolist()),))


def read_own_texts(conn: sqlite3.Connection, every: int = 1,
                   rowids: dict[str, array | None] | None = None) -> Iterator[OwnText]:
    """The person's own texts, in table order; with ``every`` > 1 only every n-th of each table (an even,
    repeatable sample: the same vault gives the same sample), read by the rowids ``own_rowids`` gave when they
    are passed."""
    for table, columns, condition in _SOURCES:
        rows = (_sample_rows(conn, table, columns, condition, every, rowids) if every > 1 else
                _rows(conn, f"SELECT {columns.format(source_file='source_file')} FROM {table} WHERE {condition}"))
        for row in rows:
            time, platform, third, fourth, source_file, locator = row[:6]
            if table == "activities":
                query = search_query(third, fourth)
                if query:
                    yield OwnText(table, "search", time, platform, query, source_file, locator)
            else:
                yield OwnText(table, third, time, platform, fourth, source_file, locator)


def open_vault_readonly(vault_path: str | Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(vault_path)}?mode=ro", uri=True)


# --- the protest vocabulary ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class VocabularyEntry:
    term: str
    pattern: re.Pattern[str]
    sensitive: str


def protest_vocabulary() -> list[VocabularyEntry]:
    text = resources.files("datavault.expression").joinpath("data/protest_vocabulary.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [VocabularyEntry(row["term"], re.compile(rf"\b(?:{row['pattern']})\b", re.IGNORECASE), row["sensitive"])
            for row in csv.DictReader(io.StringIO("\n".join(lines)))]


@lru_cache(maxsize=1)
def _other_senses() -> re.Pattern[str]:
    """The other senses of protest and union words that the findings' rules list (rules/lexicons.toml)."""
    from datavault.findings.ruleset import ANY, load_rules

    rules = load_rules()
    phrases = {t.text.rstrip("*") for lex in ("protest", "trade_union", "politics")
               for t in rules.lexicon(lex).exclude if t.lang in ("en", ANY)}
    words = [r"[\W_]+".join(re.escape(w) for w in re.findall(r"[^\W_]+", p.casefold())) for p in phrases]
    return re.compile(r"\b(?:" + "|".join(w for w in words if w) + r")\b", re.IGNORECASE) if words else re.compile(r"(?!x)x")


# --- the analysis -------------------------------------------------------------------------------------------

def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS - 1] + "…"


def _example(item: OwnText, score: float, language: str) -> dict[str, Any]:
    return {"table": item.table, "kind": item.kind, "time": item.time, "platform": item.platform,
            "source_file": item.source_file, "locator": item.locator, "score": score,
            "excerpt": _excerpt(item.text), "language": language}


@dataclass
class _Month:
    count: int = 0
    total: float = 0.0
    negative: int = 0
    positive: int = 0
    hostile: int = 0
    not_assessed: int = 0


@dataclass
class _VocabularyHits:
    count: int = 0
    score_total: float = 0.0
    shift_total: float = 0.0
    examples: list = field(default_factory=list)


class SentimentAnalysis:
    """Feed ``OwnText`` items with ``add``; ``result()`` gives the plain-dict summary."""

    def __init__(self) -> None:
        self.sources: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.months: dict[str, _Month] = defaultdict(_Month)
        self.assessed = self.negative = self.positive = self.hostile = 0
        self.total = 0.0
        self.undated = 0
        self._most_negative: list = []  # heap of (-score, -seq, example): the EXAMPLES lowest scores
        self._most_positive: list = []
        self._negative_texts: set[str] = set()  # the texts now in each heap: one example per distinct text
        self._positive_texts: set[str] = set()
        self._seq = itertools.count()
        self._cache: dict[str, float] = {}
        self._vocabulary = protest_vocabulary()
        self._hits: dict[str, _VocabularyHits] = defaultdict(_VocabularyHits)
        self._vocabulary_texts = 0
        self._vocabulary_score_total = 0.0
        self._vocabulary_shift_total = 0.0
        self._vocabulary_sensitive: set[str] = set()

    def _score(self, text: str) -> float:
        if len(text) <= _CACHE_TEXT_CHARS:
            score = self._cache.get(text)
            if score is None:
                score = vader_compound(text)
                if len(self._cache) < _CACHE_LIMIT:
                    self._cache[text] = score
            return score
        return vader_compound(text)

    def add(self, item: OwnText) -> None:
        self.add_many([item])

    def add_many(self, items: list[OwnText]) -> None:
        """Count ``items``, their languages detected in one batch."""
        for item, language in zip(items, detect_languages([item.text for item in items])):
            self.add_scored(item, language, self._score(item.text) if is_assessed(language) else None)

    def add_scored(self, item: OwnText, language: str, score: float | None) -> None:
        """Count ``item`` whose language and score were worked out already (possibly in a worker process)."""
        self.sources[f"{item.table}:{item.kind}"] += 1
        self.languages[language] += 1
        time = item.time
        month_key = (time[:7] if time and len(time) >= 7 and time[4] == "-" and time[:4].isdigit()
                     and time[5:7].isdigit() else None)
        month = self.months[month_key] if month_key else None
        if month_key is None:
            self.undated += 1
        if not is_assessed(language):
            if month is not None and language != "empty":
                month.not_assessed += 1
            return
        self.assessed += 1
        self.total += score
        negative, positive, hostile = score <= NEGATIVE_AT, score >= POSITIVE_AT, score <= HOSTILE_AT
        self.negative += negative
        self.positive += positive
        self.hostile += hostile
        if month is not None:
            month.count += 1
            month.total += score
            month.negative += negative
            month.positive += positive
            month.hostile += hostile
        if negative:
            self._keep_example(self._most_negative, self._negative_texts, -score, item, language, score)
        if positive:
            self._keep_example(self._most_positive, self._positive_texts, score, item, language, score)
        self._match_vocabulary(item, score, language)

    def _keep_example(self, heap: list, texts: set[str], rank: float, item: OwnText, language: str,
                      score: float) -> None:
        """Keep the EXAMPLES highest-ranked texts, each text once (the first time it was written)."""
        if item.text in texts:
            return
        entry = (rank, -next(self._seq), item, language, score)
        if len(heap) < EXAMPLES:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:
            texts.discard(heapq.heapreplace(heap, entry)[2].text)
        else:
            return
        texts.add(item.text)

    def _match_vocabulary(self, item: OwnText, score: float, language: str) -> None:
        text = item.text
        lowered = text.lower()
        if _other_senses().search(text):  # "Counter-Strike", "Lucky Strike": not the vocabulary of protest
            return
        matched = False
        for entry in self._vocabulary:
            # every form of a term starts with its first four letters: a substring test spares the regex
            if entry.term[:4] not in lowered or not entry.pattern.search(text):
                continue
            matched = True
            hits = self._hits[entry.term]
            hits.count += 1
            hits.score_total += score
            neutral = entry.pattern.sub(NEUTRAL_SUBSTITUTE, text)
            hits.shift_total += score - self._score(neutral)
            self._vocabulary_sensitive.add(entry.sensitive)
            if len(hits.examples) < EXAMPLES:
                hits.examples.append(_example(item, score, language))
        if matched:
            self._vocabulary_texts += 1
            self._vocabulary_score_total += score
            neutral = text
            for entry in self._vocabulary:
                neutral = entry.pattern.sub(NEUTRAL_SUBSTITUTE, neutral)
            self._vocabulary_shift_total += score - self._score(neutral)

    def result(self) -> dict[str, Any]:
        not_assessed = {lang: n for lang, n in self.languages.most_common()
                        if not is_assessed(lang) and lang != "empty"}
        n_vocab = self._vocabulary_texts

        def share(n: int) -> float | None:
            return round(n / self.assessed, 4) if self.assessed else None
        months = [{"month": key, "count": m.count, "mean": round(m.total / m.count, 4) if m.count else None,
                   "negative_share": round(m.negative / m.count, 4) if m.count else None,
                   "hostile_share": round(m.hostile / m.count, 4) if m.count else None,
                   "not_assessed": m.not_assessed}
                  for key, m in sorted(self.months.items())]
        vocabulary = [{"term": term, "count": h.count, "mean_score": round(h.score_total / h.count, 4),
                       "mean_shift_from_word": round(h.shift_total / h.count, 4), "examples": h.examples}
                      for term, h in sorted(self._hits.items(), key=lambda kv: (-kv[1].count, kv[0]))]
        return {
            "model": "vader",
            "texts": sum(self.sources.values()),
            "sources": dict(sorted(self.sources.items())),
            "assessed": self.assessed,
            "empty": self.languages.get("empty", 0),
            "not_assessed": sum(not_assessed.values()),
            "not_assessed_languages": not_assessed,
            "languages": dict(self.languages.most_common()),
            "undated": self.undated,
            "mean": round(self.total / self.assessed, 4) if self.assessed else None,
            "positive_share": share(self.positive),
            "negative_share": share(self.negative),
            "hostile_share": share(self.hostile),
            "thresholds": {"positive": POSITIVE_AT, "negative": NEGATIVE_AT, "hostile": HOSTILE_AT},
            "months": months,
            "most_negative": [_example(i, s, lang) for _, _, i, lang, s in sorted(self._most_negative, reverse=True)],
            "most_positive": [_example(i, s, lang) for _, _, i, lang, s in sorted(self._most_positive, reverse=True)],
            "protest_vocabulary": {"texts": self._vocabulary_texts,
                                   "mean_score": round(self._vocabulary_score_total / n_vocab, 4) if n_vocab else None,
                                   "mean_shift_from_words": (round(self._vocabulary_shift_total / n_vocab, 4)
                                                             if n_vocab else None),
                                   "sensitive": sorted(self._vocabulary_sensitive),
                                   "terms": vocabulary},
        }


_worker_cache: dict[str, float] = {}


def _score_chunk(texts: list[str]) -> list[tuple[str, float | None]]:
    """In a worker process: (language, score or None) per text."""
    out = []
    for text, language in zip(texts, detect_languages(texts)):
        if not is_assessed(language):
            out.append((language, None))
            continue
        score = _worker_cache.get(text) if len(text) <= _CACHE_TEXT_CHARS else None
        if score is None:
            score = vader_compound(text)
            if len(text) <= _CACHE_TEXT_CHARS and len(_worker_cache) < _CACHE_LIMIT:
                _worker_cache[text] = score
        out.append((language, score))
    return out


PARALLEL_FROM = 50_000   # below this many texts, starting worker processes costs more than it saves
CHUNK = 2_000


def default_workers(expected_texts: int) -> int:
    cpus = os.cpu_count() or 1
    return min(4, cpus) if cpus > 1 and expected_texts >= PARALLEL_FROM else 0


def analyse(items: Iterable[OwnText], *, workers: int = 0) -> dict[str, Any]:
    """One pass over ``items``. With ``workers`` > 1, language guess and scoring run in that many processes
    (chunks of ``CHUNK`` texts, a bounded number in flight so memory stays flat); counting stays here, in
    order, so the result is identical to the single-process one."""
    analysis = SentimentAnalysis()
    if workers <= 1:
        for chunk in _chunks(items, CHUNK):
            analysis.add_many(chunk)
        return analysis.result()
    context = multiprocessing.get_context("spawn")
    in_flight: deque = deque()

    def drain_one() -> None:
        chunk, pending = in_flight.popleft()
        for item, (language, score) in zip(chunk, pending.get()):
            analysis.add_scored(item, language, score)

    with context.Pool(workers) as pool:
        for chunk in _chunks(items, CHUNK):
            in_flight.append((chunk, pool.apply_async(_score_chunk, ([item.text for item in chunk],))))
            if len(in_flight) >= 3 * workers:
                drain_one()
        while in_flight:
            drain_one()
    return analysis.result()


def _chunks(items: Iterable[OwnText], size: int) -> Iterator[list[OwnText]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def analyse_connection(conn: sqlite3.Connection, *, workers: int | None = None,
                       max_texts: int | None = None) -> dict[str, Any]:
    """The analysis of the own texts behind ``conn`` (any connection to a vault: the report passes its own).

    ``workers`` None chooses by size and CPU count. ``max_texts`` bounds the work for a quick report: above it,
    an even sample (every n-th text of each table) is scored and the result says so under ``sample``.
    """
    rowids = own_rowids(conn)
    total = count_own_texts(conn, rowids)
    every = max(1, math.ceil(total / max_texts)) if max_texts and total > max_texts else 1
    if workers is None:
        workers = default_workers(total // every)
    result = analyse(read_own_texts(conn, every, rowids), workers=workers)
    result["sample"] = {"every": every, "of": total} if every > 1 else None
    return result


def analyse_vault(vault_path: str | Path, *, workers: int | None = None,
                  max_texts: int | None = None) -> dict[str, Any]:
    """``analyse_connection`` on a read-only connection to the vault file."""
    conn = open_vault_readonly(vault_path)
    try:
        return analyse_connection(conn, workers=workers, max_texts=max_texts)
    finally:
        conn.close()
