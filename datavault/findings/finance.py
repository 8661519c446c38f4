"""Financial stress and creditworthiness proxies: loans, debt, gambling, pawn and overdraft signals.

Reads searches, purchases, e-mail subjects and bodies (dunning letters, payday lenders, betting receipts), own
posts and messages, and visits to places in the gambling and pawn categories. It never sees bank balances;
it shows what a scorer could read between the lines.
"""

from __future__ import annotations

from datavault.findings import keywords as kw
from datavault.findings.engine import Clear, Ctx
from datavault.findings.model import Finding, NotAssessed, plural

PLAN = kw.Plan(
    sources=(kw.SEARCHES, kw.PAGES, kw.PURCHASES, kw.EMAILS, kw.OWN_POSTS, kw.OWN_MESSAGES),
    group_names=True, email_subjects=True, platform_labels=True,
)


def provide(ctx: Ctx):
    if not ctx.has(*PLAN.tables(), "locations"):
        yield NotAssessed("financial_stress", "no searches, purchases, e-mails, messages or places imported")
        return
    scan = kw.scan_plan(ctx, "finance_stress", PLAN)
    from datavault.findings.places import place_visits  # shared grouped place query

    for visit in place_visits(ctx):
        if visit["category"] in ("gambling", "pawn_or_payday"):
            scan.add("place visits", visit["visits"], visit["first"], visit["last"])
            scan.months.update(visit["months"])
            scan.evidence.append(visit["evidence"])
            scan.words.update([visit["category"]])
    scan.evidence.sort(key=lambda e: (e.time or "", e.source_file or "", e.locator or ""), reverse=True)
    if not scan.total:
        yield Clear("financial_stress", "Money trouble", "no loan, debt, gambling, pawn or overdraft signals in "
                    "searches, purchases, e-mails, messages or places")
        return
    measures = kw.measures(scan)
    measures["months_with_signals"] = sorted(scan.months)[-24:]
    yield Finding(
        id="financial_stress",
        title="Signs of money trouble",
        category="credit_history",
        statement=("A scorer could read signs of financial stress (borrowing, debt, gambling or overdraft): "
                   f"{plural(scan.total, 'record')} ({kw.counts_phrase(scan)})."),
        strength=kw.strength(ctx, scan),
        measures=measures,
        evidence=kw.top_evidence(scan),
        evidence_total=scan.total,
        rule=("Counts records matching the money-trouble lexicon (loan, debt, bailiff, overdraft, payday lenders, "
              "buy-now-pay-later, betting) and visits to casinos, bookmakers and pawnbrokers, month by month."),
        context=ctx.rules.cite("metaphone_finance"),
        remedy=("Delete the matching searches in Google My Activity, archive and delete lenders' and bookmakers' "
                "e-mails, unsubscribe from them, and turn off Location History (or delete the visits) for "
                "betting shops and pawnbrokers."),
    )
