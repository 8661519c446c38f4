"""Shared machinery for the keyword findings (parenthood, money trouble, Art. 9 topics, politics).

A keyword finding looks for one lexicon in a chosen set of the person's records: searches, videos and pages,
purchases, own posts and messages, e-mail subjects, group names and the platforms' own labels. It reports
counts per kind of record, the months they span, the words that matched and the most recent records. It never
reads other people's messages (association.py does, and shows only counts).
"""

from __future__ import annotations

from dataclasses import dataclass

from datavault.findings.engine import Ctx, Scan, Source, strength_from_counts
from datavault.findings.model import Evidence

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


@dataclass(slots=True)
class Plan:
    """Which record kinds a keyword finding reads."""

    sources: tuple[Source, ...]
    group_names: bool = True          # chat group names
    email_subjects: bool = False      # Gmail thread subjects
    platform_labels: bool = True      # platform_inferences values

    def tables(self) -> set[str]:
        tables = {s.table for s in self.sources}
        if self.group_names or self.email_subjects:
            tables.add("messages")
        if self.platform_labels:
            tables.add("platform_inferences")
        return tables


def scan_plan(ctx: Ctx, lexicon_id: str, plan: Plan) -> Scan:
    lexicon = ctx.rules.lexicon(lexicon_id)
    scan = ctx.scan(lexicon, plan.sources)
    if plan.group_names:
        rows = [(g["conversation"], 1, g["first"], g["last"], g["source_file"]) for g in ctx.groups()]
        ctx.scan_values(lexicon, "group chats", "messages", rows, scan)
    if plan.email_subjects:
        rows = [(c["conversation"], 1, c["first"], c["last"], c["source_file"])
                for c in ctx.conversations() if c["platform"] == "gmail"]
        ctx.scan_values(lexicon, "e-mail subjects", "messages", rows, scan)
    if plan.platform_labels and ctx.counts["platform_inferences"]:
        rows = ctx.cached("platform_labels", lambda: ctx.q(
            "SELECT value, 1, min(time), max(time), min(source_file) FROM platform_inferences "
            "WHERE category != 'semantic_place' GROUP BY value ORDER BY value"))
        ctx.scan_values(lexicon, "platform labels", "platform_inferences", [tuple(r) for r in rows], scan)
    scan.evidence.sort(key=lambda e: (e.time or "", e.source_file or "", e.locator or ""), reverse=True)
    return scan


def strength(ctx: Ctx, scan: Scan) -> str:
    t = ctx.rules.thresholds["keywords"]
    return strength_from_counts(scan.total, len(scan.months), t["moderate"], t["strong"], t["months_strong"])


def measures(scan: Scan) -> dict:
    out: dict = {"records": scan.total}
    out.update({label.replace(" ", "_").replace(",", ""): n for label, n in sorted(scan.counts.items())})
    out["months"] = len(scan.months)
    out["first"] = scan.first
    out["last"] = scan.last
    out["top_words"] = [w for w, _ in scan.words.most_common(8)]
    return out


def counts_phrase(scan: Scan) -> str:
    parts = [f"{n} {SINGULAR.get(label, label) if n == 1 else label}"
             for label, n in sorted(scan.counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    span = f" over {len(scan.months)} month{'s' if len(scan.months) != 1 else ''}" if scan.months else ""
    return ", ".join(parts) + span


def top_evidence(scan: Scan, limit: int = 12) -> list[Evidence]:
    return scan.evidence[:limit]
