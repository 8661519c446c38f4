"""Probable parent or caregiver: Sesame's "diapers" example.

Reads searches, videos (children's channels), purchases, own posts and messages, e-mail subjects (receipts) and
chat group names ("Parents of Room 3") for the parenthood lexicon, in every language it has words for.
"I don't have kids", "my sister's kids" and "do you have kids?" are read and set aside, never counted.
Facebook's "Parenting" label is shown beside the finding, never counted. It does not guess a child's age or name.
"""

from __future__ import annotations

from datavault.findings import keywords as kw
from datavault.findings.engine import Ctx

TOPIC = kw.Topic(
    id="parent",
    title="Probably a parent or caregiver",
    category="behaviour_preference",
    lexicons=("parenthood",),
    plan=kw.Plan(sources=(kw.SEARCHES, kw.VIDEOS, kw.PAGES, kw.PURCHASES, kw.OWN_POSTS, kw.OWN_MESSAGES, kw.EMAILS),
                 email_subjects=True),
    conclusion="are probably a parent or look after a child",
    about="your children, nappies, nursery or school",
    rule=("Counts your own records matching the parenthood lexicon (my son / meine Tochter / mi hijo / mon fils, "
          "nappies, nursery, paediatrician, children's channels, parents' group names); generic words such as "
          "'kids' weigh half."),
    context="sesame",
)


def provide(ctx: Ctx):
    yield from kw.assess(ctx, TOPIC)
