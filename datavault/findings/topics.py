"""GDPR Art. 9 topics in the person's own words and follows, and political expression and dissent.

For each special category with a lexicon (health, religion, sexual orientation, ethnic origin, trade-union
membership) it reads searches, videos and pages, purchases, own posts and messages and group names; politics
reads the same plus e-mails (petitions) and protest vocabulary. Place visits are reported by places.py
(sensitive places), not counted again here. Other people's messages are never read, and the platforms' labels
("Facebook files you under Islam") are shown beside a finding, never counted as the person's records.
"""

from __future__ import annotations

from datavault.findings import keywords as kw
from datavault.findings.engine import Ctx

PLAN = kw.Plan(sources=(kw.SEARCHES, kw.VIDEOS, kw.PAGES, kw.PURCHASES, kw.OWN_POSTS, kw.OWN_MESSAGES))
POLITICS_PLAN = kw.Plan(
    sources=(kw.SEARCHES, kw.VIDEOS, kw.PAGES, kw.OWN_POSTS, kw.OWN_MESSAGES, kw.EMAILS), email_subjects=True)
RULE = "Counts your own records matching the {} lexicon (whole words after stemming, accents and case ignored)."
REMEDY = "Remove the matching interests under Facebook's Ad preferences, and leave or mute groups named after the topic."


def _topic(finding_id: str, lexicon: str, title: str, conclusion: str, about: str, context: str | None,
           extra: str = "") -> kw.Topic:
    return kw.Topic(id=finding_id, title=title, category="personal_information", lexicons=(lexicon,), plan=PLAN,
                    conclusion=conclusion, about=about, rule=RULE.format(about), sensitive=finding_id,
                    context=context, remedy_extra=(REMEDY + " " + extra).strip())


TOPICS = (
    _topic("health", "health", "Health conditions",
           "have or care about a health condition (an insurer's or employer's risk signal)",
           "health conditions, symptoms or treatment", "eichstaedt",
           "Symptom and drug searches are the strongest signal: use a private window for them."),
    _topic("religion", "religion", "Religion or belief", "hold a religious belief or practise a faith",
           "faith, worship or religious practice", "kosinski_religion"),
    _topic("sexual_orientation", "sexuality", "Sexual orientation or gender identity",
           "could be gay, lesbian, bisexual or transgender (datavault never labels this; it shows the signals a "
           "scorer could use)", "sexual orientation or gender identity", "kosinski_sexuality",
           "Dating-app traces also reach Facebook as off-Facebook activity: clear it and turn it off."),
    _topic("ethnic_origin", "ethnicity", "Ethnic origin or nationality",
           "have a particular ethnic origin, nationality or migration background",
           "ethnic origin, nationality or migration", "kosinski_ethnicity"),
    _topic("trade_union", "trade_union", "Trade-union membership",
           "are a trade-union member or take part in union action", "trade unions or union action", None),
)
POLITICS = kw.Topic(
    id="political_expression",
    title="Political opinions and dissent",
    category="personal_information",
    lexicons=("politics", "protest"),
    plan=POLITICS_PLAN,
    conclusion="hold political opinions a scorer could file (parties, politicians, elections, protest)",
    about="parties, politicians, elections or protest",
    rule=("Counts your own searches, posts, comments, messages, e-mails and group names matching the politics "
          "lexicon (parties, politicians, elections) and the protest vocabulary."),
    sensitive="politics",
    context="kosinski_politics",
    remedy_extra=("Leave or mute political groups, remove political interests under Facebook's Ad preferences, "
                  "and sign petitions with an address that is not your main e-mail."),
)


def provide(ctx: Ctx):
    for topic in TOPICS:
        yield from kw.assess(ctx, topic)
    yield from political(ctx)


def political(ctx: Ctx):
    found = list(kw.assess(ctx, POLITICS))
    for outcome in found:
        if getattr(outcome, "strength", None):
            protest = kw.scan_topic(ctx, kw.Topic(
                id="protest", title="", category="personal_information", lexicons=("protest",),
                plan=POLITICS_PLAN, conclusion="", about="", rule=""))
            outcome.measures["protest_records"] = protest.total
            outcome.measures["protest_words"] = protest.top_words(8)
            if protest.total:
                outcome.statement += (" Some of it is protest vocabulary, which an authoritarian scorer would "
                                      "file as dissent.")
    yield from found
