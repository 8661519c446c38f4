"""Probable parent or caregiver: Sesame's "diapers" example.

Reads searches, videos (children's channels), purchases, own posts and messages, e-mail subjects (receipts),
chat group names ("Parents of Room 3") and Facebook's ad categories for the parenthood lexicon. It does not
guess a child's age or name.
"""

from __future__ import annotations

from datavault.findings import keywords as kw
from datavault.findings.engine import Clear, Ctx
from datavault.findings.model import Finding, NotAssessed, plural

PLAN = kw.Plan(
    sources=(kw.SEARCHES, kw.VIDEOS, kw.PAGES, kw.PURCHASES, kw.OWN_POSTS, kw.OWN_MESSAGES, kw.EMAILS),
    email_subjects=True,
)


def provide(ctx: Ctx):
    if not ctx.has(*PLAN.tables()):
        yield NotAssessed("parent", "no searches, videos, purchases, messages or ad categories imported")
        return
    scan = kw.scan_plan(ctx, "parenthood", PLAN)
    if not scan.total:
        yield Clear("parent", "Probably a parent", "no children's or caregiving words in searches, videos, "
                    "purchases, messages, group names or ad categories")
        return
    yield Finding(
        id="parent",
        title="Probably a parent or caregiver",
        category="behaviour_preference",
        statement=("A scorer could conclude you are probably a parent or look after a child: "
                   f"{plural(scan.total, 'record')} {'mentions' if scan.total == 1 else 'mention'} nappies, nursery, "
                   f"children's channels or school ({kw.counts_phrase(scan)})."),
        strength=kw.strength(ctx, scan),
        measures=kw.measures(scan),
        evidence=kw.top_evidence(scan),
        evidence_total=scan.total,
        rule=("Counts records whose words match the parenthood lexicon (nappies, formula, paediatrician, nursery, "
              "children's channels, parents' group names); strong when there are many over several months."),
        context=ctx.rules.cite("sesame") + " " + (ctx.rules.cite("seneviratne") or ""),
        remedy=("Delete the matching searches and watch history in Google My Activity (Search, YouTube), leave or "
                "rename parents' chat groups, remove 'Parents' categories under Facebook's Ad preferences, and "
                "buy baby goods without a loyalty account or e-mailed receipt."),
    )
