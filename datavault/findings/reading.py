"""What datavault could not read: the person's texts in languages its word lists do not cover.

A text nobody read is not "nothing found". For each language of the person's own texts that some keyword
finding has no words for, this says how many texts were left unread and for which findings, so the report
can say "412 of your texts in Turkish were not read for: parent, health, ...".
"""

from __future__ import annotations

from datavault.findings import finance, keywords as kw, language, parenthood, topics
from datavault.findings.engine import Ctx
from datavault.findings.model import NotAssessed

TEXT_TOPICS = (parenthood.TOPIC, *topics.TOPICS, topics.POLITICS, finance.TOPIC)


def provide(ctx: Ctx):
    if not ctx.has("messages", "activities", "posts", "purchases"):
        return
    unread: dict[str, int] = {}
    missed: dict[str, list[str]] = {}
    for topic in TEXT_TOPICS:
        for code, n in kw.reading(ctx, topic).unread.items():
            if n <= 0:
                continue
            unread[code] = max(unread.get(code, 0), n)
            missed.setdefault(code, []).append(topic.id)
    for code in sorted(unread, key=lambda c: (-unread[c], c)):
        what = ("texts whose language could not be told" if code == language.UNDETERMINED
                else f"texts in {language.name(code)}")
        yield NotAssessed(f"unread_text_{code}",
                          f"{unread[code]:,} of your {what} were not read for: {', '.join(missed[code])} "
                          "(datavault has no word lists for them; nothing was concluded from them)")
