"""Shared machinery for the keyword findings (parenthood, money trouble, Art. 9 topics, politics).

A keyword finding (a ``Topic``) looks for its lexicons in a chosen set of the person's own records: searches,
videos and pages, purchases, own posts and messages, e-mail subjects and group names. Before it looks, it asks
whether it *can* tell: enough of the person's texts must be in languages its lexicons have words for, over
enough days (``min_texts``, ``min_span_days``); otherwise it is not assessed, and says which languages it
could not read. A record counts only if one of its mentions is support (cues.py: not negated, not someone
else's, not another sense, not inside a name); a finding is stated only with ``min_records`` such records on
``min_days`` days, and at least ``min_per_thousand`` per thousand records read (a handful of mentions in a
hundred thousand messages is chance). Every threshold and its reason is in ``rules/thresholds.toml``.

The platforms' own labels (Facebook's ad interests) are never the person's records: they are shown beside a
finding drawn from the person's own records, as the platform's conclusion, and never raise one on their own.
It never reads other people's messages (ties.py does for association, and shows only counts).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterator

from datavault.findings import language
from datavault.findings.cues import NAME, NEGATED, OTHER, SENSE
from datavault.findings.engine import Clear, Ctx, Outcome, Scan, Source, ranked
from datavault.findings.model import SENSITIVE_TITLES, Evidence, Finding, NotAssessed, plural
from datavault.findings.ruleset import Lexicon

SEARCHES = Source("searches", "activities", "action = 'searched'", "title")
VIDEOS = Source("videos watched", "activities", "action = 'watched'", "title")
PAGES = Source("pages and apps", "activities", "coalesce(action, '') NOT IN ('searched', 'watched')", "title")
PURCHASES = Source("purchases", "purchases", "1", "coalesce(item, '') || coalesce(' (' || merchant || ')', '')")
OWN_POSTS = Source("own posts, comments and searches", "posts", "1", "text")
OWN_MESSAGES = Source("own messages", "messages", "from_owner = 1 AND coalesce(platform, '') != 'gmail'", "text")
EMAILS = Source("e-mails", "messages", "platform = 'gmail'", "coalesce(conversation, '') || ': ' || coalesce(text, '')")


SINGULAR = {"searches": "search", "videos watched": "video watched", "pages and apps": "page or app",
            "purchases": "purchase", "own posts, comments and searches": "own post, comment or search",
            "own messages": "own message", "e-mails": "e-mail", "group chats": "group chat",
            "e-mail subjects": "e-mail subject", "platform labels": "platform label", "place visits": "place visit",
            "Maps searches": "Maps search"}
SET_ASIDE_WORDS = {NEGATED: "negated", OTHER: "about someone else or a question to them",
                   SENSE: "another sense of the word", NAME: "part of a name"}


@dataclass(slots=True)
class Plan:
    """Which record kinds a keyword finding reads."""

    sources: tuple[Source, ...]
    group_names: bool = True          # chat group names
    email_subjects: bool = False      # Gmail thread subjects

    def tables(self) -> set[str]:
        tables = {s.table for s in self.sources}
        if self.group_names or self.email_subjects:
            tables.add("messages")
        return tables


@dataclass(slots=True)
class Topic:
    """One keyword finding: what it reads, what a scorer would conclude and how it is said."""

    id: str
    title: str
    category: str
    lexicons: tuple[str, ...]
    plan: Plan
    conclusion: str                   # "... could conclude that you {conclusion}"
    about: str                        # "records mention {about}"
    rule: str
    sensitive: str | None = None
    context: str | None = None        # a key of rules/context.toml
    remedy_extra: str = ""
    checked: str = ""                 # what "checked, nothing found" read
    extra_evidence: Any = None        # (ctx, scan) -> None: adds non-text evidence (place visits) to the scan


def thresholds(ctx: Ctx, topic_id: str) -> dict[str, Any]:
    """[threshold.keywords] with the topic's own [threshold.<id>] values on top."""
    t = dict(ctx.rules.thresholds.get("keywords", {}))
    t.update(ctx.rules.thresholds.get(topic_id, {}))
    return t


def lexicon_of(ctx: Ctx, topic: Topic) -> Lexicon:
    """The topic's lexicons as one (politics reads parties and protest together)."""
    if len(topic.lexicons) == 1:
        return ctx.rules.lexicon(topic.lexicons[0])
    def compute() -> Lexicon:
        parts = [ctx.rules.lexicon(i) for i in topic.lexicons]
        return Lexicon("+".join(topic.lexicons), " and ".join(p.title for p in parts), topic.sensitive,
                       [t for p in parts for t in p.terms], [t for p in parts for t in p.exclude])
    return ctx.cached(f"lexicon:{topic.id}", compute)


# --- what could be read --------------------------------------------------------------------------------------

@dataclass(slots=True)
class Reading:
    """How much of the person's text a topic could read, and what it could not."""

    read: int = 0
    unread: Counter = field(default_factory=Counter)   # language -> records not read
    span_days: int = 0
    languages: tuple[str, ...] = ()

    def unread_phrase(self) -> str:
        parts = [f"{n:,} in {language.name(code)}" for code, n in ranked(self.unread)]
        return ", ".join(parts)


def reading(ctx: Ctx, topic: Topic) -> Reading:
    langs = lexicon_of(ctx, topic).languages()
    out = Reading(languages=tuple(sorted(langs)))
    for src in topic.plan.sources:
        read, unread = ctx.read_volume(src, langs)
        out.read += read
        out.unread.update(unread)
    out.span_days = own_span_days(ctx)
    return out


def own_span_days(ctx: Ctx) -> int:
    """Days from the person's first to their last own record (messages, activities, posts), from the rollups."""
    def compute() -> int:
        bounds: list[str] = []
        for table, roll, where in (("messages", "dv_roll_msg_week", "from_owner = 1"),
                                   ("activities", "dv_roll_activities", "1"), ("posts", "dv_roll_posts", "1")):
            if ctx.counts[table]:
                lo, hi = ctx.q(f"SELECT min(first), max(last) FROM {ctx.roll(roll)} WHERE {where}")[0]
                bounds += [t for t in (lo, hi) if t]
        days = sorted(d for d in (_day(t) for t in bounds) if d)
        return (days[-1] - days[0]).days + 1 if days else 0
    return ctx.cached("own_span_days", compute)


def _day(time: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(time[:10])
    except ValueError:
        return None


# --- the scan ------------------------------------------------------------------------------------------------

def scan_topic(ctx: Ctx, topic: Topic) -> Scan:
    def compute() -> Scan:
        lexicon = lexicon_of(ctx, topic)
        scan = ctx.scan(lexicon, topic.plan.sources)
        if topic.plan.group_names:
            rows = [(g["conversation"], 1, g["first"], g["last"], g["source_file"], g["locator"])
                    for g in ctx.groups()]
            ctx.scan_values(lexicon, "group chats", "messages", rows, scan)
        if topic.plan.email_subjects:
            rows = [(c["conversation"], 1, c["first"], c["last"], c["source_file"], c["locator"])
                    for c in ctx.conversations() if c["platform"] == "gmail"]
            ctx.scan_values(lexicon, "e-mail subjects", "messages", rows, scan)
        if topic.extra_evidence:
            topic.extra_evidence(ctx, scan)
        scan.evidence.sort(key=lambda e: (e.time or "", e.source_file or "", e.locator or ""), reverse=True)
        return scan
    return ctx.cached(f"scan:{topic.id}", compute)


def platform_labels(ctx: Ctx, topic: Topic) -> list[dict[str, Any]]:
    """The platforms' own labels that match the topic: their conclusions, not the person's records."""
    if not ctx.counts["platform_inferences"]:
        return []
    rows = ctx.cached("platform_labels", lambda: ctx.q(
        "SELECT platform, category, value, min(time) AS time, min(source_file) AS source_file "
        "FROM platform_inferences WHERE category != 'semantic_place' GROUP BY platform, category, value "
        "ORDER BY value"))
    lexicon = lexicon_of(ctx, topic)
    return [dict(r) for r in rows if ctx.value_words(lexicon, r["value"])]


# --- the finding ---------------------------------------------------------------------------------------------

def assess(ctx: Ctx, topic: Topic) -> Iterator[Outcome]:
    """The topic's one outcome: a finding, "checked, nothing found", or not assessed with the reason."""
    plan = topic.plan
    if not ctx.has(*plan.tables()):
        yield NotAssessed(topic.id, "no searches, videos, purchases, posts or messages of yours imported")
        return
    t = thresholds(ctx, topic.id)
    r = reading(ctx, topic)
    if r.read < t["min_texts"] or r.span_days < t["min_span_days"]:
        yield NotAssessed(topic.id, _too_little(r, t))
        return
    scan = scan_topic(ctx, topic)
    labels = platform_labels(ctx, topic)
    per_thousand = 1000 * scan.total / max(1, r.read)
    if (scan.total < t["min_records"] or len(scan.days) < t["min_days"] or scan.weight < t["min_weight"]
            or per_thousand < t["min_per_thousand"]):
        yield Clear(topic.id, topic.title, _checked(topic, r, scan, labels, t))
        return
    strength = ("strong" if scan.weight >= t["strong"] and len(scan.months) >= t["months_strong"] else
                "moderate" if scan.weight >= t["moderate"] and len(scan.months) >= t["months_moderate"] else "weak")
    lexicon = lexicon_of(ctx, topic)
    statement = (f"A scorer could conclude that you {topic.conclusion}: {records_phrase(scan)} of yours "
                 f"{'mentions' if scan.total == 1 else 'mention'} {topic.about} ({counts_phrase(scan)}).")
    if labels:
        statement += (" The platforms came to the same conclusion on their own: "
                      + "; ".join(f"{_platform(l['platform'])} files you under '{l['value']}'" for l in labels[:3])
                      + (f" and {len(labels) - 3} more" if len(labels) > 3 else "") + ".")
    if topic.sensitive:
        statement += f" This is special-category data under GDPR Art. 9 ({SENSITIVE_TITLES[topic.sensitive]})."
    evidence = scan.evidence[:] if ctx.all_evidence else top_evidence(scan)
    evidence += [Evidence("platform_inferences", l["time"], l["source_file"], f"{l['category']}: {l['value']}",
                          f"the platform's own label, not a record of yours: {l['value']}") for l in labels[:4]]
    yield Finding(
        id=topic.id,
        title=topic.title,
        category=topic.category,
        sensitive=[topic.sensitive] if topic.sensitive else [],
        statement=statement,
        strength=strength,
        measures=measures(scan, r, labels, per_thousand),
        evidence=evidence,
        evidence_total=scan.total,
        details=_details(scan, labels),
        rule=(f"{topic.rule} Read in {', '.join(language.name(c) for c in r.languages)}; a mention counts only "
              "when it is not negated, not about someone else, not another sense of the word and not part of a "
              f"name. Stated from {t['min_records']} records on {t['min_days']} days; moderate from a weight of "
              f"{t['moderate']} over {t['months_moderate']} months, strong from {t['strong']} over "
              f"{t['months_strong']} months. Platform labels are shown, never counted."),
        context=ctx.rules.cite(topic.context) if topic.context else None,
        remedy=remedy(scan, labels, topic.remedy_extra, lexicon),
    )


def _platform(name: str | None) -> str:
    return {"facebook": "Facebook", "instagram": "Instagram", "google": "Google", "gmail": "Google",
            "whatsapp": "WhatsApp"}.get(
        name or "", name or "a platform")


def _too_little(r: Reading, t: dict[str, Any]) -> str:
    readable = ", ".join(language.name(c) for c in r.languages) or "no language"
    parts = [f"only {plural(r.read, 'text')} of yours in a language this finding reads ({readable}) over "
             f"{plural(r.span_days, 'day')}; it needs at least {t['min_texts']} over {t['min_span_days']} days "
             "to tell a habit from chance"]
    if r.unread:
        parts.append(f"not read: {r.unread_phrase()}")
    return "; ".join(parts)


def _checked(topic: Topic, r: Reading, scan: Scan, labels: list, t: dict[str, Any]) -> str:
    said = [f"read {r.read:,} of your texts"]
    if scan.total:
        said.append(f"{records_phrase(scan)} on {plural(len(scan.days), 'day')} mention {topic.about}, "
                    f"fewer than the {t['min_records']} on {t['min_days']} days needed to conclude anything")
    else:
        said.append(f"none mentions {topic.about}")
    if scan.set_aside:
        said.append("set aside: " + ", ".join(f"{n} {SET_ASIDE_WORDS[s]}" for s, n in ranked(scan.set_aside)))
    if labels:
        said.append(f"{plural(len(labels), 'platform label')} ({', '.join(repr(l['value']) for l in labels[:3])}) "
                    "match, but a platform's label is not a record of yours")
    if r.unread:
        said.append(f"not read: {r.unread_phrase()}")
    return "; ".join(said)


def measures(scan: Scan, r: Reading, labels: list, per_thousand: float) -> dict[str, Any]:
    out: dict[str, Any] = {"records": scan.total, "weight": round(scan.weight, 1)}
    out.update({label.replace(" ", "_").replace(",", ""): n for label, n in sorted(scan.counts.items())})
    out["months"] = len(scan.months)
    out["days"] = len(scan.days)
    out["first"] = scan.first
    out["last"] = scan.last
    out["top_words"] = scan.top_words(8)
    out["per_thousand_read"] = round(per_thousand, 2)
    out["texts_read"] = r.read
    out["languages_read"] = list(r.languages)
    out["not_read"] = dict(ranked(r.unread))
    out["set_aside"] = dict(ranked(scan.set_aside))
    out["platform_labels"] = [l["value"] for l in labels]
    if scan.sampled:
        out["estimated_from_sample"] = True
    return out


def records_phrase(scan: Scan) -> str:
    """``12 records``; counted from a sample (engine.SAMPLE), ``about 12,300 records``."""
    if not scan.sampled:
        return plural(scan.total, "record")
    digits = len(str(scan.total))
    return f"about {round(scan.total, -max(0, digits - 3)):,} records (estimated from a sample)"


def _details(scan: Scan, labels: list) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"kind": "set aside", "why": SET_ASIDE_WORDS[status], "time": e.time, "source_file": e.source_file,
         "locator": e.locator, "excerpt": e.excerpt} for status, e in scan.set_aside_evidence]
    rows += [{"kind": "platform label", "platform": l["platform"], "category": l["category"], "label": l["value"],
              "source_file": l["source_file"]} for l in labels]
    return rows


def counts_phrase(scan: Scan) -> str:
    parts = [f"{n} {SINGULAR.get(label, label) if n == 1 else label}"
             for label, n in sorted(scan.counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    span = f" over {len(scan.months)} month{'s' if len(scan.months) != 1 else ''}" if scan.months else ""
    return ", ".join(parts) + span


def top_evidence(scan: Scan, limit: int = 12) -> list[Evidence]:
    return scan.evidence[:limit]


# --- what removes it -----------------------------------------------------------------------------------------

# where each kind of supporting record lives and what removes it; {n} is the count, {word} the top matched word
WHERE_TO_REMOVE: dict[str, tuple[str, str, str]] = {
    "searches": ("search", "searches", "{n} in Google My Activity › Search (myactivity.google.com, search for "
                 "'{word}'): delete them and pause Web & App Activity"),
    "videos watched": ("video", "videos", "{n} in YouTube › History: remove them and pause watch history"),
    "pages and apps": ("entry", "entries", "{n} in My Activity (Chrome, apps): delete them and set auto-delete"),
    "purchases": ("purchase", "purchases", "{n}: ask the seller or payment service to erase the record (GDPR "
                  "Art. 17) and buy such things without an account or e-mailed receipt"),
    "own posts, comments and searches": ("post, comment or search", "posts, comments and searches",
                                         "{n} on Facebook: delete them in Activity log"),
}
HANDLED_APART = {"own messages", "group chats", "e-mails", "e-mail subjects"}


def remedy(scan: Scan, labels: list, extra: str, lexicon: Lexicon) -> str:
    """Where this finding's evidence lives and what removes it, one clause per place."""
    word = scan.top_words(1)[0] if scan.words else lexicon.title
    per_label: Counter = Counter()
    chats: Counter = Counter()
    groups: list[str] = []
    for (label, where), n in scan.where.items():
        per_label[label] += n
        if label == "own messages" and where:
            chats[where] += n
        if label == "group chats" and where:
            groups.append(where)
    steps = []
    if chats:
        named = ", ".join(f"the chat '{c}' ({n})" for c, n in ranked(chats, 3))
        more = f" and {plural(len(chats) - 3, 'more chat')}" if len(chats) > 3 else ""
        steps.append(f"your own messages in {named}{more}: delete them (or the chats) in the app, and the "
                     "exported copies you keep")
    for label, (one, many, how) in WHERE_TO_REMOVE.items():
        if per_label[label]:
            steps.append(how.format(n=plural(per_label[label], one, many), word=word))
    if per_label["e-mails"] or per_label["e-mail subjects"]:
        steps.append(f"e-mails in Gmail (search for '{word}'): delete them and unsubscribe")
    if groups:
        steps.append(f"the group{'s' if len(groups) > 1 else ''} {', '.join(repr(g) for g in groups[:3])}: leave "
                     "or rename")
    if labels:
        steps.append("the platform labels " + ", ".join(f"'{l['value']}'" for l in labels[:4])
                     + ": remove them in Facebook › Settings › Ad preferences (or Google My Ad Center)")
    for label, n in per_label.items():
        if label in SINGULAR and label not in WHERE_TO_REMOVE and label not in HANDLED_APART:
            steps.append(f"{plural(n, SINGULAR[label], label)}: delete them where they are kept")
    text = "Where the evidence lives: " + "; ".join(steps) + "." if steps else ""
    return (text + (" " + extra if extra else "")).strip()
