"""GDPR Art. 9 topics in the person's own words and follows, and political expression and dissent.

For each special category with a lexicon (health, religion, sexual orientation, ethnic origin, trade-union
membership) it reads searches, videos and pages, purchases, own posts and messages, group names and the
platforms' labels; politics reads the same plus e-mails (petitions) and protest vocabulary. Place visits are
reported by places.py (sensitive places), not counted again here. Other people's messages are never read.
"""

from __future__ import annotations

from datavault.findings import keywords as kw
from datavault.findings.engine import Clear, Ctx
from datavault.findings.model import SENSITIVE_TITLES, Finding, NotAssessed, plural
from datavault.findings.ruleset import Lexicon

PLAN = kw.Plan(sources=(kw.SEARCHES, kw.VIDEOS, kw.PAGES, kw.PURCHASES, kw.OWN_POSTS, kw.OWN_MESSAGES))
POLITICS_PLAN = kw.Plan(
    sources=(kw.SEARCHES, kw.VIDEOS, kw.PAGES, kw.OWN_POSTS, kw.OWN_MESSAGES, kw.EMAILS), email_subjects=True)

# finding id, lexicon, Art. 9 category, title, what a scorer concludes, context key, extra remedy
TOPICS = (
    ("health", "health", "health", "Health conditions",
     "have or care about health conditions (an insurer's or employer's risk signal)", "eichstaedt",
     "Symptom and drug searches are the strongest signal: pause Web & App Activity or use a private window for them."),
    ("religion", "religion", "religion", "Religion or belief",
     "hold a religious belief or practise a faith", "kosinski_religion", ""),
    ("sexual_orientation", "sexuality", "sexual_orientation", "Sexual orientation or gender identity",
     "could be gay, lesbian, bisexual or transgender (datavault never labels this; it shows the signals a scorer could use)",
     "kosinski_sexuality", "Dating-app traces also reach Facebook as off-Facebook activity: clear it and turn it off."),
    ("ethnic_origin", "ethnicity", "ethnic_origin", "Ethnic origin or nationality",
     "have a particular ethnic origin, nationality or migration background", "kosinski_ethnicity", ""),
    ("trade_union", "trade_union", "trade_union", "Trade-union membership",
     "are a trade-union member or take part in union action", None, ""),
)


def provide(ctx: Ctx):
    for finding_id, lexicon_id, sensitive, title, conclusion, context_key, extra_remedy in TOPICS:
        if not ctx.has(*PLAN.tables()):
            yield NotAssessed(finding_id, "no searches, videos, purchases, posts, messages or ad labels imported")
            continue
        scan = kw.scan_plan(ctx, lexicon_id, PLAN)
        if not scan.total:
            yield Clear(finding_id, title, f"no {ctx.rules.lexicon(lexicon_id).title} words in searches, videos, "
                        "purchases, own posts and messages, group names or platform labels")
            continue
        yield Finding(
            id=finding_id,
            title=title,
            category="personal_information",
            sensitive=[sensitive],
            statement=(f"A scorer could conclude that you {conclusion}: {plural(scan.total, 'record')} of yours "
                       f"{'matches' if scan.total == 1 else 'match'} words about {ctx.rules.lexicon(lexicon_id).title} "
                       f"({kw.counts_phrase(scan)}). "
                       f"This is special-category data under GDPR Art. 9 ({SENSITIVE_TITLES[sensitive]})."),
            strength=kw.strength(ctx, scan),
            measures=kw.measures(scan),
            evidence=kw.top_evidence(scan),
            evidence_total=scan.total,
            rule=(f"Counts your own records matching the {ctx.rules.lexicon(lexicon_id).title} lexicon "
                  "(whole words, accents and case ignored); each matched word is shown with its record."),
            context=ctx.rules.cite(context_key) if context_key else None,
            remedy=("Delete the matching searches and watch history in Google My Activity, remove the matching "
                    "interests under Facebook's Ad preferences, and leave or mute groups named after the topic. "
                    + extra_remedy).strip(),
        )
    yield from political(ctx)


def political(ctx: Ctx):
    if not ctx.has(*POLITICS_PLAN.tables()):
        yield NotAssessed("political_expression", "no searches, posts, messages, e-mails or ad labels imported")
        return
    combined = Lexicon("politics+protest", "politics and protest", "politics",
                       ctx.rules.lexicon("politics").terms + ctx.rules.lexicon("protest").terms)
    ctx.rules.lexicons.setdefault(combined.id, combined)
    scan = kw.scan_plan(ctx, combined.id, POLITICS_PLAN)
    if not scan.total:
        yield Clear("political_expression", "Political expression and dissent",
                    "no party, politician or protest words in your searches, posts, messages or groups")
        return
    protest = kw.scan_plan(ctx, "protest", POLITICS_PLAN)
    measures = kw.measures(scan)
    measures["protest_records"] = protest.total
    measures["protest_words"] = [w for w, _ in protest.words.most_common(8)]
    dissent = (" Some of it is protest vocabulary, which an authoritarian scorer would file as dissent."
               if protest.total else "")
    yield Finding(
        id="political_expression",
        title="Political opinions and dissent",
        category="personal_information",
        sensitive=["politics"],
        statement=("A scorer could conclude your political leanings: "
                   f"{plural(scan.total, 'record')} of yours {'names' if scan.total == 1 else 'name'} parties, "
                   f"politicians, elections or protest ({kw.counts_phrase(scan)})." + dissent),
        strength=kw.strength(ctx, scan),
        measures=measures,
        evidence=kw.top_evidence(scan),
        evidence_total=scan.total,
        rule=("Counts your own searches, posts, comments, messages, e-mails and group names matching the politics "
              "lexicon (parties, politicians, elections) and the protest vocabulary."),
        context=ctx.rules.cite("kosinski_politics"),
        remedy=("Delete the matching searches and posts, leave or mute political groups, remove political "
                "interests under Facebook's Ad preferences, and sign petitions with an address that is not your "
                "main e-mail."),
    )
