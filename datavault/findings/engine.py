"""The findings engine: the read-only view of the vault every finding module works through, and the run.

A finding provider is a function ``provider(ctx) -> iterable of Finding | NotAssessed | Clear``. The shipped
providers are listed in ``datavault.findings.PROVIDERS``; other modules (the sentiment/bias work) plug in with
``register_provider``. Providers read the contract's SQL views (``messages``, ``activities``, ...); the only
exception is the keyword search, which goes through the text index (``textindex.py``) and so through the
store's physical tables, to lead from an index hit back to its record. Aggregation happens in SQL; Python
sees grouped rows and a bounded number of evidence records, never every row.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from datavault.findings import rollup, textindex
from datavault.findings.clock import Clock
from datavault.findings.model import EXCERPT_CHARS, Evidence, Finding, NotAssessed
from datavault.findings.ruleset import Lexicon, Rules, fold

TABLES = ("messages", "activities", "locations", "people", "purchases", "platform_inferences", "profile", "posts")
EVIDENCE_SHOWN = 8
EVIDENCE_SAMPLE = 60  # rows read per source to tell which words matched; counts come from SQL


@dataclass(slots=True)
class Clear:
    """A finding that was looked for, with data to look in, and not found: worth saying too."""

    id: str
    title: str
    checked: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "checked": self.checked}


Outcome = Finding | NotAssessed | Clear
Provider = Callable[["Ctx"], Iterable[Outcome]]


@dataclass(slots=True)
class Source:
    """Where a keyword lexicon is looked for: one table (searched through the text index), filtered."""

    label: str            # "searches", "purchases", "own messages", ...
    table: str            # a table in textindex.INDEXED
    where: str = "1"      # SQL over the physical row
    text: str = "text"    # SQL for the excerpt
    hide_text: bool = False  # other people's words: count them, never show them


@dataclass(slots=True)
class Scan:
    """What a keyword lexicon found across sources."""

    counts: dict[str, int] = field(default_factory=dict)       # source label -> records
    months: set[str] = field(default_factory=set)               # YYYY-MM with a hit
    first: str | None = None
    last: str | None = None
    words: Counter = field(default_factory=Counter)             # matched word -> records (in the sample)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, label: str, n: int, first: str | None, last: str | None) -> None:
        if not n:
            return
        self.counts[label] = self.counts.get(label, 0) + n
        if first and (self.first is None or first < self.first):
            self.first = first
        if last and (self.last is None or last > self.last):
            self.last = last


def excerpt_around(text: str | None, regex: re.Pattern | None, limit: int = EXCERPT_CHARS) -> str:
    """A one-line excerpt of ``text`` around the first match of ``regex`` (folded text), at most ``limit`` chars."""
    if not text:
        return ""
    if regex is not None and len(text) > limit:
        m = regex.search(fold(text[:200_000]))
        if m and m.start() > limit // 3:  # folding keeps positions for almost all text; close enough for a window
            start = max(0, m.start() - limit // 3)
            text = "…" + text[start:start + limit * 4]
    flat = " ".join(text[: limit * 4].split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class Ctx:
    """What a provider may use: the connection, the rules, the local clock, cached aggregates."""

    def __init__(self, conn: sqlite3.Connection, rules: Rules, clock: Clock,
                 state: dict[str, tuple[int, int]] | None = None):
        self.conn = conn
        # temporary tables stay in memory: the person's data never spills into /tmp. (Set before any temporary
        # table exists: changing it later drops them.)
        conn.execute("PRAGMA temp_store = MEMORY")
        self.rules = rules
        self.clock = clock
        self.cache: dict[str, Any] = {}
        # (max rowid, rows) per table when the caller already counted them (report.data_state)
        self.state = state or {}
        self.counts = {t: self.state[t][1] if t in self.state else self._count(t) for t in TABLES}
        self._text_schema: str | None = None

    def _count(self, table: str) -> int:
        phys = textindex.physical(self.conn, table)
        try:
            return self.conn.execute(f"SELECT count(*) FROM {phys or table}").fetchone()[0]
        except sqlite3.OperationalError:  # the vault has no such view: nothing imported of that kind
            return 0

    def has(self, *tables: str) -> bool:
        return any(self.counts.get(t) for t in tables)

    def q(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    # --- keyword search --------------------------------------------------------------------------------------

    @property
    def text_schema(self) -> str:
        """The schema holding the derived data (word index and rollups), brought up to date on first use."""
        if self._text_schema is None:
            self._text_schema = textindex.refresh(self.conn, self.state)
            rollup.refresh(self.conn, self._text_schema, self.state)
        return self._text_schema

    def roll(self, name: str) -> str:
        """The qualified name of a rollup table (rollup.py)."""
        return f"{self.text_schema}.{name}"

    def scan(self, lexicon: Lexicon, sources: Iterable[Source], scan: Scan | None = None) -> Scan:
        """Count and sample the records of ``sources`` matching ``lexicon``; evidence most recent first."""
        scan = scan or Scan()
        query = lexicon.fts_query()
        if not query:
            return scan
        regex = lexicon.regex()
        for src in sources:
            phys = textindex.physical(self.conn, src.table)
            if phys is None or not self.counts.get(src.table):
                continue
            hits = f"rowid IN ({textindex.hits_sql(self.text_schema, src.table)}) AND ({src.where})"
            by_month = self.conn.execute(
                f"SELECT substr(time, 1, 7), count(*), min(time), max(time) FROM {phys} WHERE {hits} GROUP BY 1",
                (query,)).fetchall()
            n = sum(r[1] for r in by_month)
            if not n:
                continue
            firsts = [r[2] for r in by_month if r[2]]
            lasts = [r[3] for r in by_month if r[3]]
            scan.add(src.label, n, min(firsts, default=None), max(lasts, default=None))
            scan.months.update(r[0] for r in by_month if r[0])
            rows = self.conn.execute(
                f"SELECT time, source_file, locator, {src.text} AS body FROM {phys} WHERE {hits} "
                f"ORDER BY time DESC, source_file, locator LIMIT {EVIDENCE_SAMPLE}", (query,)
            ).fetchall()
            for time, source_file, locator, body in rows:
                words = lexicon.matches(body)
                if not words:  # the index matched a word the regex reads differently (rare tokenizer edge)
                    continue
                scan.words.update(words)
                if sum(1 for e in scan.evidence if e.table == src.table) < EVIDENCE_SHOWN:
                    shown = (f"[{src.label}: text not shown; matched: {', '.join(words)}]" if src.hide_text
                             else excerpt_around(body, regex))
                    scan.evidence.append(Evidence(src.table, time, source_file, locator, shown))
        scan.evidence.sort(key=lambda e: (e.time or "", e.source_file or "", e.locator or ""), reverse=True)
        return scan

    def scan_values(self, lexicon: Lexicon, label: str, table: str, rows: Iterable[tuple], scan: Scan) -> Scan:
        """Match ``lexicon`` against small, already grouped values: rows of (value, n, first, last, source_file)."""
        shown = 0
        for value, n, first, last, source_file in rows:
            words = lexicon.matches(value)
            if not words:
                continue
            scan.add(label, n, first, last)
            scan.words.update(words)
            for t in (first, last):
                if t:
                    scan.months.add(t[:7])
            if shown < EVIDENCE_SHOWN:
                scan.evidence.append(Evidence(table, last, source_file, None, excerpt_around(value, None)))
                shown += 1
        return scan

    # --- shared aggregates -----------------------------------------------------------------------------------

    def conversations(self) -> list[sqlite3.Row]:
        """Per conversation: platform, messages, own, others', distinct other senders, first/last time, the
        source file of its latest record; from the senders rollup, biggest first."""
        def compute() -> list[sqlite3.Row]:
            if not self.counts["messages"]:
                return []
            return self.q(
                "SELECT c.*, (SELECT source_file FROM rec_messages WHERE rowid = c.last_rowid) AS source_file "
                "FROM (SELECT conv AS conversation, platform, sum(n) AS n, "
                "coalesce(sum(CASE WHEN from_owner = 1 THEN n END), 0) AS own, "
                "coalesce(sum(CASE WHEN from_owner = 0 THEN n END), 0) AS other, "
                "count(DISTINCT CASE WHEN from_owner != 1 AND sender != '' THEN sender END) AS others, "
                "min(first) AS first, max(last) AS last, max(last_rowid) AS last_rowid "
                f"FROM {self.roll('dv_roll_senders')} WHERE conv != '' GROUP BY conv, platform) AS c "
                "ORDER BY n DESC, conversation")
        return self.cached("conversations", compute)

    def groups(self) -> list[sqlite3.Row]:
        """Group chats: more than one other sender (e-mail threads are not groups)."""
        return [c for c in self.conversations() if c["others"] > 1 and c["platform"] != "gmail"]


def run(ctx: Ctx, providers: Iterable[Provider]) -> tuple[list[Finding], list[NotAssessed], list[Clear]]:
    findings: list[Finding] = []
    not_assessed: list[NotAssessed] = []
    clear: list[Clear] = []
    for provider in providers:
        for outcome in provider(ctx):
            if isinstance(outcome, Finding):
                findings.append(outcome)
            elif isinstance(outcome, NotAssessed):
                not_assessed.append(outcome)
            else:
                clear.append(outcome)
    return findings, not_assessed, clear


def strength_from_counts(n: int, months: int, moderate: int, strong: int, months_strong: int) -> str:
    if n >= strong and months >= months_strong:
        return "strong"
    if n >= moderate:
        return "moderate"
    return "weak"
