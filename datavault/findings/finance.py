"""Financial stress and creditworthiness proxies: loans, debt, gambling, pawn and overdraft signals.

Reads searches, purchases, e-mail subjects and bodies (dunning letters, payday lenders, betting receipts), own
posts and messages, and visits to places in the gambling and pawn categories. It never sees bank balances;
it shows what a scorer could read between the lines.
"""

from __future__ import annotations

from datavault.findings import keywords as kw
from datavault.findings.engine import Ctx, Scan


def _place_visits(ctx: Ctx, scan: Scan) -> None:
    from datavault.findings.places import place_visits  # shared grouped place query

    for visit in place_visits(ctx):
        if visit["category"] in ("gambling", "pawn_or_payday"):
            scan.add("place visits", visit["visits"], visit["first"], visit["last"])
            scan.months.update(visit["months"])
            scan.days.update(d for d in (visit["first"][:10], visit["last"][:10]) if d)
            scan.evidence.append(visit["evidence"])
            scan.words.update([visit["category"]])
            scan.where[("place visits", visit["place_name"])] += visit["visits"]


TOPIC = kw.Topic(
    id="financial_stress",
    title="Signs of money trouble",
    category="credit_history",
    lexicons=("finance_stress",),
    plan=kw.Plan(sources=(kw.SEARCHES, kw.PAGES, kw.PURCHASES, kw.EMAILS, kw.OWN_POSTS, kw.OWN_MESSAGES),
                 group_names=True, email_subjects=True),
    conclusion="are under financial stress (borrowing, debt, gambling or an overdraft)",
    about="loans, debt, overdrafts or gambling",
    rule=("Counts records matching the money-trouble lexicon (overdraft, payday loan, bailiff, Mahnung, "
          "découvert, deudas, buy-now-pay-later, betting) and visits to casinos, bookmakers and pawnbrokers."),
    context="metaphone_finance",
    remedy_extra="Archive and delete lenders' and bookmakers' e-mails and unsubscribe from them.",
    extra_evidence=_place_visits,
)


def provide(ctx: Ctx):
    yield from kw.assess(ctx, TOPIC)
