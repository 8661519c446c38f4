"""The findings engine: the read-only view of the vault every finding module works through, and the run.

A finding provider is a function ``provider(ctx) -> iterable of Finding | NotAssessed | Clear``. The shipped
providers are listed in ``datavault.findings.PROVIDERS``; other modules (the sentiment/bias work) plug in with
``register_provider``. Providers read the contract's SQL views (``messages``, ``activities``, ...); the only
exception is the keyword search, which goes through the text index (``textindex.py``) and so through the
store's physical tables, to lead from an index hit back to its record. Aggregation happens in SQL; Python
sees grouped rows and a bounded number of evidence records, never every row.
"""

from __future__ import annotations

import json
import re
import sqlite3
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from datavault import people
from datavault.findings import cues, language, rollup, textindex
from datavault.findings.clock import Clock
from datavault.limits import readable
from datavault.findings.model import EXCERPT_CHARS, Evidence, Finding, NotAssessed
from datavault.findings.language import fold
from datavault.findings.ruleset import ANY, Lexicon, Rules
from datavault.progress import FINDINGS, NO_PROGRESS, Progress
from datavault.layout import FILE_NAME

TABLES = ("messages", "activities", "locations", "people", "purchases", "platform_inferences", "profile", "posts")
EVIDENCE_SHOWN = 8
CANDIDATES = 50_000  # records read per source and lexicon at most, most recent first (memory bound)
# Above this many word-index hits per source and lexicon, an even pseudo-random sample of about this many is read
# and its counts scaled up ("about N records"): the reading costs some 60 us a record, so a million-message chat
# would otherwise cost minutes, and no finding's strength depends on the exact count once it is in the thousands
# (one in a sample of 5,000 stands for a known number of records; a count's error is then about 2 %)
SAMPLE = 5_000
HIT_CACHE_IDS = 2_000_000  # word-index hits kept for a second lexicon's scan (16 MB), see Ctx.hit_ids
OWN_LANGUAGE_CONFIDENT, OWN_LANGUAGE_LETTERS = 0.7, 25
LANGUAGE_SAMPLE = 60  # own messages per chat read to tell the chat's language


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


# Each table's rollup that counts its records by every column the sources' filters name, so that a filter reads
# the same there as on the records ('' and -1 stand for none there), and whether it counts the records without a
# time too (the activities rollup counts only timed ones). A source's filter must name no other column.
ROLLUP_OF = {"messages": ("dv_roll_senders", True), "activities": ("dv_roll_activities", False)}


@dataclass(slots=True)
class Source:
    """Where a keyword lexicon is looked for: one table (searched through the text index), filtered."""

    label: str            # "searches", "purchases", "own messages", ...
    table: str            # a table in textindex.INDEXED
    where: str = "1"      # SQL over the physical row
    text: str = "text"    # SQL for the excerpt
    hide_text: bool = False  # other people's words: count them, never show them


def ranked(counts: Counter, n: int | None = None) -> list[tuple[Any, int]]:
    """``counts.most_common(n)``, but of as many, in the order of their keys: not in the order the records
    happened to be read, which differs with what ran before in the process and with the process that ran it."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


@dataclass(slots=True)
class Scan:
    """What a keyword lexicon found across sources: the records that support it, and the mentions set aside."""

    counts: dict[str, int] = field(default_factory=dict)       # source label -> supporting records
    months: set[str] = field(default_factory=set)               # YYYY-MM with a supporting record
    days: set[str] = field(default_factory=set)                 # YYYY-MM-DD with a supporting record
    first: str | None = None
    last: str | None = None
    weight: float = 0.0                                         # supporting records weighed by their cue
    words: Counter = field(default_factory=Counter)             # matched word -> supporting records
    evidence: list[Evidence] = field(default_factory=list)
    set_aside: Counter = field(default_factory=Counter)         # cues.NEGATED/OTHER/SENSE/NAME -> records
    set_aside_evidence: list[tuple[str, Evidence]] = field(default_factory=list)
    where: Counter = field(default_factory=Counter)             # (source label, conversation) -> records
    languages: Counter = field(default_factory=Counter)         # language of the supporting records
    sampled: bool = False                                       # counts are estimates from a sample (SAMPLE)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def top_words(self, n: int) -> list[str]:
        """The ``n`` words matched most often (``ranked``)."""
        return [w for w, _ in ranked(self.words, n)]

    def add(self, label: str, n: int, first: str | None, last: str | None, weight: float | None = None) -> None:
        if not n:
            return
        self.counts[label] = self.counts.get(label, 0) + n
        self.weight += n if weight is None else weight
        if first and (self.first is None or first < self.first):
            self.first = first
        if last and (self.last is None or last > self.last):
            self.last = last


def excerpt_around(text: str | None, pattern: Callable[[], re.Pattern] | None, limit: int = EXCERPT_CHARS) -> str:
    """A one-line excerpt of ``text`` around the first match of the regex ``pattern()`` gives (folded text), at
    most ``limit`` chars. ``pattern`` is asked only for a text too long to show whole (a lexicon compiles its
    regex on first need: 50-70 ms, and most findings read short messages only)."""
    if not text:
        return ""
    if pattern is not None and len(text) > limit:
        m = pattern().search(fold(text[:200_000]))
        if m and m.start() > limit // 3:  # folding keeps positions for almost all text; close enough for a window
            start = max(0, m.start() - limit // 3)
            text = "…" + text[start:start + limit * 4]
    flat = " ".join(text[: limit * 4].split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class Ctx:
    """What a provider may use: the connection, the rules, the local clock, cached aggregates."""

    def __init__(self, conn: sqlite3.Connection, rules: Rules, clock: Clock,
                 state: dict[str, tuple[int, int]] | None = None, progress: Progress = NO_PROGRESS):
        self.conn = conn
        self.progress = progress  # hears the derived data's refresh and the run of the providers
        # temporary tables stay in memory: the person's data never spills into /tmp. (Set before any temporary
        # table exists: changing it later drops them.)
        conn.execute("PRAGMA temp_store = MEMORY")
        self.rules = rules
        self.clock = clock
        self.cache: dict[str, Any] = {}
        self._hits: dict[tuple[str, str], array] = {}  # (table, FTS query) -> its rowids: see hit_ids
        # (max rowid, rows) per table when the caller already counted them (report.data_state)
        self.state = state or {}
        self.counts = {t: self.state[t][1] if t in self.state else self._count(t) for t in TABLES}
        self._text_schema: str | None = None
        self.helper: Any = None  # a parallel.Helper: shares the rollups' refresh, the warm-up and the providers
        # ``datavault evidence``: every supporting record, unsampled, instead of the few a report shows
        self.all_evidence = False

    def _count(self, table: str) -> int:
        phys = textindex.physical(self.conn, table)
        try:
            return self.conn.execute(f"SELECT count(*) FROM {phys or table}").fetchone()[0]
        except sqlite3.OperationalError:  # the vault has no such view: nothing imported of that kind
            return 0

    def has(self, *tables: str) -> bool:
        return any(self.counts.get(t) for t in tables)

    def physical_rows(self, src: Source) -> str | None:
        """The physical table to read ``src`` from; None when it can hold no record: its table is empty, or its
        table's rollup has no row its filter matches (``in_rollup``)."""
        phys = textindex.physical(self.conn, src.table)
        if phys is None or not self.counts.get(src.table) or not self.in_rollup(src, timed=False):
            return None
        return phys

    def in_rollup(self, src: Source, timed: bool) -> bool:
        """Could ``src`` hold a record (one with a time, if ``timed``)? Asked of its table's rollup (``ROLLUP_OF``:
        a few thousand rows) instead of the records, where a filter that matches nothing walks them all to say so
        (a second on 300k Facebook messages for e-mails that are not there, 0.9 s on a million YouTube watches
        for searches); True where no rollup can tell."""
        rollup, untimed = ROLLUP_OF.get(src.table, (None, False))
        if rollup is None or not (timed or untimed):
            return True
        return self.cached(f"in_rollup:{src.table}:{src.where}", lambda: bool(self.q(
            f"SELECT 1 FROM {self.roll(rollup)} WHERE ({src.where}) LIMIT 1")))

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
            # with a helper, it starts on the rollups (writing nothing to the vault) while this builds the index,
            # then works out what every provider reads first (``warm``: it needs the indexes, committed here)
            share = None
            if self.helper is not None:
                share = self.helper.share_rollups(self.conn, rollup.plan(self.conn, "main", self.state))
                rollup.create_indexes(self.conn)
                self.conn.commit()
                self.helper.warm(self)
            self._text_schema = textindex.refresh(self.conn, self.state, self.progress)
            if share is not None and self._text_schema == share.plan.schema:
                rollup.apply(self.conn, share.plan, self.progress, share)
            else:
                if share is not None:
                    share.close()
                rollup.refresh(self.conn, self._text_schema, self.state, self.progress)
            people.refresh(self.conn, self._text_schema)  # after the senders rollup it reads
        return self._text_schema

    def hits(self, table: str) -> str:
        """SQL for the physical rowids of ``table`` matching the FTS query bound as its one parameter: from the word
        index, or for a small table beside big ones from an index of its own (textindex.OWN_INDEX_ROWS)."""
        rows = self.counts.get(table, 0)
        others = sum(self.counts.get(t, 0) for t in textindex.INDEXED if t != table)
        if 0 < rows <= textindex.OWN_INDEX_ROWS and others >= textindex.OWN_INDEX_OTHERS:
            return self.cached(f"own_index:{table}", lambda: textindex.own_index(self.conn, table))
        return textindex.hits_sql(self.text_schema, table)

    def hit_ids(self, table: str, query: str) -> list[int]:
        """The physical rowids of ``table`` the word index finds for ``query``. Lexicons read the person's own
        records and then, for another finding, their contacts' messages: the same question to the index, whose
        answers are kept (as 8-byte integers, ``HIT_CACHE_IDS`` at most, the oldest dropped first). Asking again
        was a third of the keyword scans of a million-message chat (4.7 us per hit)."""
        kept = self._hits.get((table, query))
        if kept is not None:
            return kept.tolist()
        rows = self.conn.cursor()
        rows.row_factory = None  # plain tuples: a hit is one integer
        ids = [r[0] for r in rows.execute(self.hits(table), (query,))]
        self._hits[(table, query)] = array("q", ids)
        held = sum(map(len, self._hits.values()))
        while held > HIT_CACHE_IDS and len(self._hits) > 1:
            held -= len(self._hits.pop(next(iter(self._hits))))
        return ids

    def roll(self, name: str) -> str:
        """The qualified name of a rollup table (rollup.py)."""
        return f"{self.text_schema}.{name}"

    def scan(self, lexicon: Lexicon, sources: Iterable[Source], scan: Scan | None = None) -> Scan:
        """Read the records of ``sources`` that could match ``lexicon`` (the word index finds them), decide each
        mention (cues.py) and count the records that support it; evidence most recent first."""
        scan = scan or Scan()
        query = lexicon.fts_query()
        if not query:
            return scan
        for src in sources:
            phys = self.physical_rows(src)
            if phys is None:
                continue
            conv = "conversation" if src.table == "messages" else "NULL"
            # the word index is asked once: its hits counted and sampled here, then read by rowid
            ids = self.hit_ids(src.table, query)
            every = 1 if self.all_evidence else -(-len(ids) // SAMPLE)
            if every > 1:  # one hit in ``every``, chosen by a hash of its rowid (not every n-th: chats alternate)
                ids = [i for i in ids if (i * 2654435761) % 4294967291 % every == 0]
            rows = self.conn.execute(
                f"SELECT time, {FILE_NAME} AS source_file, locator, {readable(src.text)} AS body, {conv} AS conv, "
                f"rowid FROM {phys} "
                f"WHERE rowid IN (SELECT value FROM json_each(?)) AND ({src.where}) "
                f"ORDER BY time DESC, source_file, locator LIMIT {-1 if self.all_evidence else CANDIDATES}",
                (json.dumps(ids),)).fetchall()
            if not rows:
                continue
            scan.sampled |= every > 1
            shown = sum(1 for e in scan.evidence if e.table == src.table)
            for (time, source_file, locator, body, conv_name, _), (lang, mentions) in zip(
                    rows, self._read(lexicon, src, rows)):
                if not mentions:
                    continue
                support = cues.supporting(mentions)
                if not support:
                    status = mentions[0].status
                    scan.set_aside[status] += every
                    if sum(1 for s, _ in scan.set_aside_evidence if s == status) < 3:
                        scan.set_aside_evidence.append((status, Evidence(
                            src.table, time, source_file, locator,
                            self._shown(src, body, lexicon, [m.written for m in mentions]))))
                    continue
                scan.add(src.label, every, time, time, every * max(m.term.weight for m in support))
                if time:
                    scan.months.add(time[:7])
                    scan.days.add(time[:10])
                scan.words.update(dict.fromkeys({fold(m.written) for m in support}, every))
                scan.where[(src.label, conv_name)] += every
                scan.languages[lang] += every
                if shown < EVIDENCE_SHOWN or self.all_evidence:
                    scan.evidence.append(Evidence(src.table, time, source_file, locator,
                                                  self._shown(src, body, lexicon, [m.written for m in support])))
                    shown += 1
        scan.evidence.sort(key=lambda e: (e.time or "", e.source_file or "", e.locator or ""), reverse=True)
        return scan

    @staticmethod
    def _shown(src: Source, body: str | None, lexicon: Lexicon, matched: list[str]) -> str:
        if src.hide_text:
            return f"[{src.label}: text not shown; matched: {', '.join(dict.fromkeys(fold(w) for w in matched))}]"
        return excerpt_around(body, lexicon.regex)

    # --- languages -------------------------------------------------------------------------------------------

    def matcher(self, lexicon: Lexicon, lang: str) -> cues.Matcher:
        key = f"matcher:{lexicon.id}:{len(lexicon.terms)}:{lang}"
        return self.cached(key, lambda: cues.Matcher(lexicon, lang, self.rules.grammar.get(lang)))

    def place_names(self) -> cues.NameIndex:
        """The person's own place names (location history): words inside them are not cues."""
        def compute() -> cues.NameIndex:
            if not self.counts["locations"]:
                return cues.NameIndex([])
            return cues.NameIndex(r[0] for r in self.q(
                f"SELECT DISTINCT place FROM {self.roll('dv_roll_places')} WHERE place != ''"))
        return self.cached("place_names", compute)

    def conversation_languages(self) -> dict[str, tuple[str, int]]:
        """{conversation: (language of the person's own messages in it, own text messages)}: detected from a
        sample of each chat's own messages (its first ``LANGUAGE_SAMPLE`` in time), every chat's in one batch."""
        def compute() -> dict[str, tuple[str, int]]:
            phys = textindex.physical(self.conn, "messages")
            if phys is None or not self.counts["messages"]:
                return {}
            own = "from_owner = 1 AND kind = 'text' AND coalesce(platform, '') != 'gmail'"
            counts = dict(self.q(f"SELECT coalesce(conversation, ''), count(*) FROM {phys} WHERE {own} GROUP BY 1"))
            # the sample's rowids first, then their texts: a window over the texts themselves would copy each
            # whole (a 64 MB message cost 460 MB there)
            if self.q("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (rollup.CONVERSATION_INDEX,)):
                ids = [r[0] for conv in counts for r in self.q(  # each chat's first rows through the index
                    f"SELECT rowid FROM {phys} WHERE {'conversation = ?' if conv else 'coalesce(conversation, ?) = ?'} "
                    f"AND {own} ORDER BY ts LIMIT {LANGUAGE_SAMPLE}", (conv,) if conv else ("", ""))]
                sample, args = "SELECT value FROM json_each(?)", (json.dumps(ids),)
            else:  # a read-only vault has no index of its own: one pass over the messages
                sample, args = (f"SELECT id FROM (SELECT rowid AS id, row_number() OVER (PARTITION BY conversation "
                                f"ORDER BY ts) AS k FROM {phys} WHERE {own}) WHERE k <= {LANGUAGE_SAMPLE}"), ()
            texts: dict[str, list[str]] = {}
            for conv, text in self.q(f"SELECT coalesce(conversation, ''), {readable('text')} FROM {phys} "
                                     f"WHERE rowid IN ({sample}) ORDER BY ts, rowid", args):
                texts.setdefault(conv, []).append(text or "")
            found = language.body_languages({conv: texts.get(conv, []) for conv in counts})
            return {conv: (found[conv][0], n) for conv, n in counts.items()}
        return self.cached("conversation_languages", compute)

    def source_language(self, src: Source) -> tuple[str, dict[str, float]]:
        """The main language of one kind of record and the share of each language, from a sample of the most
        recent ``LANGUAGE_SAMPLE`` * 4 records (short texts lingua cannot place count for the main language)."""
        def compute() -> tuple[str, dict[str, float]]:
            phys = self.physical_rows(src)
            if phys is None:
                return language.UNDETERMINED, {}
            if not self.in_rollup(src, timed=True):  # what an empty sample below gives, without the walk
                return self.person_language(), {}
            texts = [r[0] or "" for r in self.q(
                f"SELECT {readable(src.text)} FROM {phys} WHERE ({src.where}) AND ts IS NOT NULL ORDER BY ts DESC "
                f"LIMIT {LANGUAGE_SAMPLE * 4}")]
            found = [c for c in language.detect_many(texts, confident=OWN_LANGUAGE_CONFIDENT,
                                                     min_letters=OWN_LANGUAGE_LETTERS) if c]
            if not found:
                main = self.person_language()
                return main, ({main: 1.0} if texts else {})
            shares = {c: found.count(c) / len(found) for c in set(found)}
            main = max(shares, key=lambda c: (shares[c], c))
            # a language in under a tenth of the sample is more likely lingua's mistake on a short title
            # ("Watched Ranked grind until sunrise" reads as Danish) than the person's: it counts as the main one
            for code in [c for c, share in shares.items() if share < 0.1 and c != main]:
                shares[main] += shares.pop(code)
            return main, shares
        return self.cached(f"source_language:{src.label}", compute)

    def person_language(self) -> str:
        """The language most of the person's own messages are in (``und`` without any)."""
        def compute() -> str:
            by_lang: Counter = Counter()
            for lang, n in self.conversation_languages().values():
                if lang != language.UNDETERMINED:
                    by_lang[lang] += n
            return by_lang.most_common(1)[0][0] if by_lang else language.UNDETERMINED
        return self.cached("person_language", compute)

    def _read(self, lexicon: Lexicon, src: Source, rows: list) -> list[tuple[str, list[cues.Mention]]]:
        """Each candidate record's language and mentions: its own language where lingua is sure of it, else that
        of its surroundings (its chat's, for own messages; else the main language of that kind of record). Each
        record is detected once per report, and a text repeated is read once."""
        fallback = self._surrounding_languages(src, rows)
        names = self.place_names()
        decided: dict[tuple[str, str | None], list[cues.Mention]] = {}

        def read(lang: str, body: str | None) -> list[cues.Mention]:
            found = decided.get((lang, body))
            if found is None:
                found = decided[lang, body] = self.matcher(lexicon, lang).mentions(body, names)
            return found

        return [(own or lang, read(own or lang, r[3]))
                for r, lang, own in zip(rows, fallback, self._own_languages(src, rows))]

    def _surrounding_languages(self, src: Source, rows: list) -> list[str]:
        if src.table == "messages" and "from_owner = 1" in src.where:
            chats = self.conversation_languages()
            fallback = [chats.get(r[4] or "", (language.UNDETERMINED, 0))[0] for r in rows]
        else:
            fallback = [self.source_language(src)[0]] * len(rows)
        return [f if f != language.UNDETERMINED else self.person_language() for f in fallback]

    def _own_languages(self, src: Source, rows: list) -> list[str | None]:
        """A record's own language where lingua is sure of a sentence or more, else None; each record is
        detected once per report, however many lexicons find it (rows end in their rowid)."""
        known = self.cached(f"own_languages:{src.table}:{src.text}", dict)
        todo = [r for r in rows if r[-1] not in known]
        for r, code in zip(todo, language.detect_many([r[3] or "" for r in todo], confident=OWN_LANGUAGE_CONFIDENT,
                                                      min_letters=OWN_LANGUAGE_LETTERS)):
            known[r[-1]] = code
        return [known[r[-1]] for r in rows]

    def read_volume(self, src: Source, languages: set[str]) -> tuple[int, Counter]:
        """How many records of ``src`` are in one of ``languages`` (read) and how many in each other language
        (not read): own messages by their chat's language, other kinds by the shares of a sample."""
        unread: Counter = Counter()
        phys = self.physical_rows(src)
        if phys is None:
            return 0, unread
        if src.table == "messages" and "from_owner = 1" in src.where:
            read = 0
            for lang, n in self.conversation_languages().values():
                if lang == language.UNDETERMINED:
                    lang = self.person_language()
                if lang in languages:
                    read += n
                else:
                    unread[lang] += n
            return read, unread
        total = self.cached(f"volume:{src.label}", lambda: self.q(
            f"SELECT count(*) FROM {phys} WHERE ({src.where})")[0][0])
        main, shares = self.source_language(src)
        if not shares:
            return (total, unread) if main in languages else (0, Counter({main: total}))
        read = 0.0
        for lang, share in shares.items():
            if lang in languages:
                read += share * total
            else:
                unread[lang] += round(share * total)
        return round(read), +unread

    def value_words(self, lexicon: Lexicon, value: str | None) -> list[str]:
        """The supporting words of ``lexicon`` in a short value (a group name, a label, a subject line) that has
        no language of its own: read in the person's language, then in each language the lexicon has."""
        if not value:
            return []
        langs = [self.person_language()] + sorted(lexicon.languages() | {ANY})
        for lang in dict.fromkeys(langs):
            found = cues.supporting(self.matcher(lexicon, lang).mentions(value, self.place_names()))
            if found:
                return list(dict.fromkeys(fold(m.written) for m in found))
        return []

    def scan_values(self, lexicon: Lexicon, label: str, table: str, rows: Iterable[tuple], scan: Scan) -> Scan:
        """Match ``lexicon`` against small, already grouped values: rows of (value, n, first, last, source_file,
        locator), the locator that of a record holding the value."""
        shown = 0
        for value, n, first, last, source_file, *locator in rows:
            locator = locator[0] if locator else None
            words = self.value_words(lexicon, value)
            if not words:
                continue
            scan.add(label, n, first, last)
            scan.words.update(words)
            scan.where[(label, value)] += n
            for t in (first, last):
                if t:
                    scan.months.add(t[:7])
                    scan.days.add(t[:10])
            if shown < EVIDENCE_SHOWN:
                scan.evidence.append(Evidence(table, last, source_file, locator, excerpt_around(value, None)))
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
                f"SELECT c.*, (SELECT {FILE_NAME} FROM rec_messages WHERE rowid = c.last_rowid) AS source_file, "
                "(SELECT locator FROM rec_messages WHERE rowid = c.last_rowid) AS locator "
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


Outcomes = tuple[list[Finding], list[NotAssessed], list[Clear]]


def run(ctx: Ctx, providers: Iterable[Provider], meanwhile: Callable[[], Any] | None = None) -> Outcomes:
    """Every provider's findings, not-assessed and clear outcomes, in the providers' order. With ``ctx.helper``
    (a ``parallel.Helper``) some run in a second process; ``meanwhile``: what this process can do while it waits
    for the other (what the caller needs next, cached in ``ctx``)."""
    providers = list(providers)
    if ctx.helper is not None:
        each = ctx.helper.run(ctx, providers, meanwhile)
    else:
        ctx.progress.phase(FINDINGS, len(providers), unit="providers")
        each = []
        for provider in providers:
            each.append(run_one(ctx, provider))
            ctx.progress.advance(1)
        ctx.progress.end()
    return ([f for found, _, _ in each for f in found], [n for _, na, _ in each for n in na],
            [c for _, _, cl in each for c in cl])


def run_one(ctx: Ctx, provider: Provider) -> Outcomes:
    findings: list[Finding] = []
    not_assessed: list[NotAssessed] = []
    clear: list[Clear] = []
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
