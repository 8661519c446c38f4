"""Instagram's relationship lists -> ``people``: followers, following, close friends, blocked and restricted
accounts, follow requests, removed suggestions, recently unfollowed accounts, synced phone contacts; followed
hashtags -> ``activities``.

Every list holds usernames only (display names appear only in chats, so the two never meet by equality). The
record's time is when the follow (request, block ...) happened, kept in ``since``. Since the Accounts Center
exports cover a chosen date range, a follower list may be a history of follow events rather than today's list:
it is stored as it is, never counted as "N followers" here.
"""

from __future__ import annotations

from typing import Any, Iterator

from datavault.records import Activity, Person, Problem

from datavault.importers.facebook.jsonread import Items, Run, dumps, labels, when
from datavault.importers.instagram.shapes import account_of, entries

RELATION_OF_KEY = {
    "relationships_followers": "follower",
    "relationships_following": "following",
    "relationships_close_friends": "close_friend",
    "relationships_blocked_users": "blocked",
    "relationships_restricted_users": "restricted",
    "relationships_follow_requests_sent": "follow_request_sent",
    "relationships_permanent_follow_requests": "follow_request_sent",
    "relationships_follow_requests_received": "follow_request_received",
    "relationships_dismissed_suggested_users": "removed_suggestion",
    "relationships_unfollowed_users": "unfollowed",
}
RELATION_OF_LOGICAL = {"followers": "follower", "following": "following", "close_friends": "close_friend",
                       "blocked": "blocked", "restricted": "restricted", "unfollowed": "unfollowed"}

_CONTACT_NAME = labels("First Name", "Voornaam", "Vorname", "Prénom", "Nombre")
_CONTACT_SURNAME = labels("Surname", "Last Name", "Achternaam", "Nachname", "Nom de famille", "Apellido")
_CONTACT_INFO = labels("Contact Information", "Contactgegevens", "Kontaktinformationen", "Phone Number", "Email")


def people(run: Run, items: Items, relation: str) -> Iterator[Any]:
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem(f"a {relation.replace('_', ' ')} entry of an unknown shape was skipped", locator, "warning")
            continue
        name = account_of(e)
        if not name:
            yield Problem(f"a {relation.replace('_', ' ')} entry without a username was skipped", locator, "warning")
            continue
        extra = {"url": e.first_href()} if e.first_href() else None
        yield Person(name=name, platform=run.platform, relation=relation, since=when(e.time()),
                     key=("ig-person", relation, name.casefold()), locator=locator, raw=dumps(item), extra=extra)


def hashtags(run: Run, items: Items) -> Iterator[Any]:
    """``relationships_following_hashtags``: hashtags the person follows."""
    for locator, e, item in entries(run, items):
        tag = (e.first_value() or e.title) if e is not None else None
        if not tag:
            yield Problem("a followed hashtag of an unknown shape was skipped", locator, "warning")
            continue
        yield Activity(time=when(e.time()), platform=run.platform, product="Instagram", action="followed",
                       title=tag if tag.startswith("#") else f"#{tag}", url=e.first_href(),
                       key=("ig-hashtag", tag.casefold()), locator=locator, raw=dumps(item))


def contacts(run: Run, items: Items) -> Iterator[Any]:
    """``contacts_contact_info``: the phone's address book, uploaded by contact syncing."""
    for locator, e, item in entries(run, items):
        if e is None:
            yield Problem("a synced contact of an unknown shape was skipped", locator, "warning")
            continue
        name = " ".join(v for v in (e.value(_CONTACT_NAME), e.value(_CONTACT_SURNAME)) if v) or e.title
        info = [f.value for f in e.fields if f.value and f.label and f.label.casefold() in _CONTACT_INFO]
        if not name and not info:
            yield Problem("a synced contact without a name or number was skipped", locator, "warning")
            continue
        emails = [i for i in info if "@" in i]
        phones = [i for i in info if "@" not in i]
        yield Person(name=name or info[0], platform=run.platform, relation="contact", phones=phones, emails=emails,
                     key=("ig-person", "contact", (name or info[0]).casefold()), locator=locator, raw=dumps(item))
