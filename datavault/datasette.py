"""Datasette metadata for a vault: the views described, the internal tables hidden, the word index searchable.

Datasette (https://datasette.io) shows every table of an SQLite file. In a vault only the eight views of the
export contract are meant for people; the tables beneath them (``rec_*``, the bookkeeping of imports, the
report's derived ``dv_*`` tables) are internal and free to change. Datasette reads which tables to hide, what each
table and column means, and which full-text table searches a view from a metadata file (``datasette VAULT -m
FILE``; Datasette 1.0 moves the table keys to its configuration by itself). ``metadata`` writes that file for
one vault: Datasette names a database by the file's stem, so the file belongs to that vault's name.

Search: the word index ``dv_text_index`` is one contentless FTS5 table over the text of four tables, its rowid
``rowid * 8 + code``; each of those views shows that number as ``fts_rowid``, which is the ``fts_pk`` Datasette
joins the hits on. The metadata holds no record of the vault, only names of tables and columns.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlmodel import SQLModel

from datavault import __version__, people, report
from datavault.findings import rollup, textindex
from datavault.layout import PERSON_ROWS, WORD_INDEX_CODES
from datavault.store import EXPORT_TABLES

TABLES: dict[str, str] = {
    "messages": "Every message of your chats and mailboxes (WhatsApp, Facebook Messenger, Instagram, Gmail).",
    "activities": "What Google and Facebook recorded you doing: searches, videos watched, sites visited, apps used, "
                  "and what other companies told Facebook (Off-Facebook activity).",
    "locations": "Where you were: location points, visits to places and trips between them.",
    "people": "The people in your exports: friends, contacts, chat participants, followers. `person` links one "
              "human across platforms.",
    "purchases": "What you bought, as the platforms recorded it.",
    "platform_inferences": "What the platforms themselves concluded about you: ad interests, topics, advertisers "
                           "holding your data, labelled places.",
    "profile": "Facts of your profile: name, birthday, e-mail, phone, city, devices, IP addresses.",
    "posts": "What you posted, commented, reacted to and searched on Facebook and Instagram.",
}

COLUMNS: dict[str, str] = {
    "time": "ISO 8601: an instant ends in Z or +hh:mm; a WhatsApp time without zone is the wall-clock time as "
            "written",
    "end_time": "when a visit or trip ended",
    "platform": "whatsapp, facebook, instagram, google, gmail, ...",
    "conversation": "the chat: the other person of a 1:1 chat, the group's name, a thread's title",
    "sender": "who wrote the message, as the export names them",
    "from_owner": "1 when you wrote it, 0 when someone else did, empty when unknown",
    "text": "exactly as written (line breaks as \\n)",
    "kind": "what sort of record (messages: text, media, system, deleted, call, ...; locations: point, visit, "
            "trip; posts: post, comment, reaction, search)",
    "edited": "1 when the message was edited",
    "source_file": "the file inside the export the record came from",
    "locator": "where in that file: a line number or a JSON path",
    "product": "Search, YouTube, Chrome, Maps, Android, Play Store, Off-Facebook, ...",
    "action": "searched, watched, visited, used, viewed, installed, liked, ...",
    "title": "the platform's title as written",
    "url": "the real target (a Google redirect unwrapped; never a javascript: link)",
    "lat": "latitude in decimal degrees",
    "lon": "longitude in decimal degrees",
    "accuracy_m": "accuracy radius in metres",
    "place_name": "the place's name",
    "semantic_type": "the platform's label of the place: HOME, WORK, ...",
    "mode": "how a trip was made (walking, in a car, ...)",
    "name": "the name as the export writes it",
    "relation": "friend, contact, chat_participant, family, follower, ...",
    "since": "since when (a friendship, a contact)",
    "phones": "phone numbers, a JSON array",
    "emails": "e-mail addresses, a JSON array",
    "person": "the linked person's id: the same for one human across platforms",
    "item": "what was bought",
    "merchant": "where",
    "amount": "the price, a number",
    "currency": "ISO currency code",
    "payment_method": "how it was paid",
    "category": "interest, topic, ad_category, advertiser_with_your_data, advertiser_interacted, semantic_place, ...",
    "value": "the value the platform recorded",
    "field": "name, birthday, gender, email, phone, city, device, ip_address, ...",
    "target": "what a comment or reaction was on",
    "ts": "the time in seconds since 1970 (for sorting); empty when the time is implausible",
    "extra": "everything else the source said, a JSON object",
    "fts_rowid": "this record's row in the word index dv_text_index (what the search box uses)",
}


def internal_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table of the vault (the views are the only part meant for people), and the derived tables a later
    report or import creates, so a metadata file written today still hides them."""
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    known = {*SQLModel.metadata.tables, PERSON_ROWS, *rollup.ROLLUPS, rollup.STATE, rollup.PRE_TABLE,
             textindex.INDEX, textindex.STATE, report.CACHE, people.IDENTITIES, people.REASONS, people.STATE}
    return sorted((present | known) - set(EXPORT_TABLES) - {"sqlite_sequence"})


def metadata(conn: sqlite3.Connection, vault_path: Path) -> dict[str, Any]:
    """Datasette's metadata for the vault at ``vault_path`` (open as ``conn``)."""
    views: dict[str, Any] = {}
    for name in EXPORT_TABLES:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({name})")]
        views[name] = {
            "description": TABLES[name],
            "columns": {c: COLUMNS[c] for c in columns if c in COLUMNS},
            "sort_desc": "ts",  # newest first
            **({"fts_table": textindex.INDEX, "fts_pk": "fts_rowid"} if name in WORD_INDEX_CODES else {}),
        }
    hidden = {name: {"hidden": True} for name in internal_tables(conn)}
    return {
        "title": "Your datavault",
        "description": ("What your data exports hold, as datavault imported them. The eight tables are views of the "
                        "export contract; search works in messages, activities, posts and purchases."),
        "source": f"datavault {__version__}",
        "databases": {vault_path.stem: {"tables": {**views, **hidden}}},
    }
