"""People linking: one person for the human behind a WhatsApp sender, a Facebook friend and a Google contact card.

Reads the ``people`` rows (every importer's contacts, friends, followers, chat participants, tagged people) and
the distinct senders of messages (from the senders rollup, ``dv_roll_senders``: never the messages themselves),
and the person's own phone number or locale (``profile``) for the region national numbers are read in.

Identities. Each of those is an *identity*, named by a stable key that does not depend on row ids:
``whatsapp:jordan lee`` (a platform account by its folded name: within one export a platform names one account
one way), ``whatsapp:+491512345678`` (a sender known only by number), ``gmail:jordan@example.org`` (a mail
address), ``google:card:<key>`` (a contact card: two cards of the same name are two people until a signal says
otherwise). A WhatsApp sender is an identity only when the chat lists it as a participant or one of its
messages is marked as not the owner's: the authors of system lines alone (the group's own name, in every
language) are nobody (``LISTS_PARTICIPANTS``), and so is a listed participant the owner was later decided to be.

Merges. Two identities are one person when they share a phone number (E.164, read with ``phonenumbers`` in the
region of the export) or an e-mail address (case-folded), or when their full names are equal after NFKC, case
folding and accent folding *and* a second signal backs the name: both are members of a group chat of the same
name, or one is an address-book card and the other a WhatsApp sender (WhatsApp names senders from that address
book). A name alone never merges: a same-name stranger stays apart. Every merge keeps its reason.

Person ids. A person's id (``p1a2b3c4d``) is made from the identity of it seen first (the earliest import,
then the people row recorded first: ``anchor``), so it stays when a later import adds an identity that joins the
person, or when the user merges a person seen later into it; a split leaves it to the part that holds that
identity.

Decisions. ``datavault people merge A B`` and ``split A`` are the user's own word, kept in ``person_decisions``
(a real table, not derived data) by identity keys, so they survive re-imports and a rebuild. A split identity
takes part in no automatic merge; a merge decision joins even what the rules would keep apart.

The linking is derived data (``dv_person_*``): recomputed in one transaction when its inputs changed (people
rows, senders rollup, decisions, the region), so a kill leaves it either current or stale and rebuilt next time.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import phonenumbers

from datavault.layout import PERSON_ROWS, person_rows_ddl

VERSION = 3  # of the rules below: a change rebuilds every vault's linking
IDENTITIES = "dv_person_identities"
ROWS = PERSON_ROWS
REASONS = "dv_person_reasons"
STATE = "dv_person_state"
DERIVED = (IDENTITIES, ROWS, REASONS, STATE)
DECISIONS = "person_decisions"
# whose importer lists every sender of a message as a chat participant (a people row): a sender of theirs with
# no such row authored system lines only: the group itself ("Climbing: Messages and calls are end-to-end
# encrypted", "Klettern: Jordan hat die Gruppe erstellt"), or someone a notice is about; never a person
LISTS_PARTICIPANTS = {"whatsapp"}
CARD_PLATFORMS = {"google"}  # whose people rows are address-book cards (relation contact or family)
_ADDRESS = re.compile(r"^\s*(?:\"?(?P<name>[^\"<]*?)\"?\s*)?<(?P<addr>[^<>@\s]+@[^<>\s]+)>\s*$")
_BARE = re.compile(r"^\s*(?P<addr>[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)\s*$")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\u2011\u00a0().-]{7,}$")


# ---------------------------------------------------------------------------------------------------------------
# normalising


def fold_name(name: str | None) -> str:
    """A name as compared: NFKC, case folded, accents removed, spaces collapsed ('JÖRDAN  Lee' -> 'jordan lee')."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(text.split())


def fold_email(address: str | None) -> str:
    return unicodedata.normalize("NFKC", address or "").strip().casefold()


class Phones:
    """Phone numbers to E.164 in ``region`` (an ISO country code, or None: then only numbers written with their
    country code are understood; a national number stays its digits, so it still meets itself)."""

    def __init__(self, region: str | None):
        self.region = region

    def e164(self, raw: str | None) -> str | None:
        if not raw:
            return None
        text = raw.strip()
        try:
            number = phonenumbers.parse(text, None if text.startswith("+") else self.region)
        except phonenumbers.NumberParseException:
            digits = "".join(ch for ch in text if ch.isdigit())
            return digits if len(digits) >= 6 else None
        if not phonenumbers.is_possible_number(number):
            digits = "".join(ch for ch in text if ch.isdigit())
            return digits if len(digits) >= 6 else None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    @staticmethod
    def pretty(e164: str) -> str:
        try:
            return phonenumbers.format_number(phonenumbers.parse(e164, None),
                                              phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        except phonenumbers.NumberParseException:
            return e164


def _region_from_locale(value: str) -> str | None:
    m = re.search(r"[_-]([A-Za-z]{2})\b", value or "")
    return m.group(1).upper() if m else None


def owner_region(conn: sqlite3.Connection) -> str | None:
    """The region national numbers are read in: the owner's own phone number's country, else the export's locale."""
    try:
        rows = conn.execute("SELECT field, value FROM rec_profile WHERE field IN ('phone', 'locale', 'language') "
                            "ORDER BY field DESC, id").fetchall()
    except sqlite3.OperationalError:
        return None
    for f, value in rows:
        if f == "phone" and value and value.strip().startswith("+"):
            try:
                region = phonenumbers.region_code_for_number(phonenumbers.parse(value.strip(), None))
            except phonenumbers.NumberParseException:
                continue
            if region and region != "ZZ":
                return region
    for f, value in rows:
        if f in ("locale", "language") and (region := _region_from_locale(value)):
            return region
    return None


def parse_sender(platform: str, sender: str) -> tuple[str, list[str]]:
    """A message's sender as (name, emails): a mail's ``Name <addr>`` gives both."""
    m = _ADDRESS.match(sender)
    if m:
        return (m.group("name") or "").strip(), [m.group("addr")]
    m = _BARE.match(sender)
    if m:
        return "", [m.group("addr")]
    return sender, []


def account_key(platform: str, name: str, phones: list[str], emails: list[str]) -> str | None:
    """The identity key of a platform account: by name, else its number, else its address."""
    folded = fold_name(name)
    if folded and not (_PHONE_LIKE.match(name) and phones):
        return f"{platform}:{folded}"
    if phones:
        return f"{platform}:{phones[0]}"
    if emails:
        return f"{platform}:{emails[0]}"
    return None


# ---------------------------------------------------------------------------------------------------------------
# gathering identities


@dataclass
class Identity:
    key: str
    platform: str
    kind: str  # card, account
    names: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    groups: dict[str, str] = field(default_factory=dict)  # folded group title -> title as written
    rows: list[int] = field(default_factory=list)  # rec_people rowids
    messages: int = 0
    relations: set[str] = field(default_factory=set)
    # when it was first seen: the import (sources.id) that first held one of its people rows or, for an identity
    # only ever a message sender (a Gmail correspondent), its messages (see ``first_seen``); None: not known yet
    first_source: int | None = None
    senders: set[tuple[str, str]] = field(default_factory=set)  # (platform, sender as in messages)

    @property
    def name(self) -> str:
        return min(self.names, key=lambda n: (-len(n), n)) if self.names else ""


def _first_source(held_by: str | None) -> int | None:
    """The earliest import of a record's ``sources`` (`` 3 7 ``)."""
    ids = [int(part) for part in (held_by or "").split() if part.isdigit()]
    return min(ids) if ids else None


def first_seen(conn: sqlite3.Connection, identities: Iterable[Identity]) -> None:
    """Set ``first_source`` of identities that are only message senders: the earliest import holding one of their
    messages (one pass over the messages of their platforms; only asked for identities that share a person)."""
    wanted: dict[tuple[str, str], list[Identity]] = {}
    for ident in identities:
        if ident.first_source is None:
            for sender in ident.senders:
                wanted.setdefault(sender, []).append(ident)
    if not wanted:
        return
    platforms = sorted({platform for platform, _ in wanted})
    try:
        rows = conn.execute(f"SELECT platform, sender, min(CAST(sources AS INTEGER)) FROM rec_messages WHERE platform "
                            f"IN ({', '.join('?' * len(platforms))}) AND coalesce(from_owner, -1) != 1 "
                            "GROUP BY platform, sender", platforms).fetchall()
    except sqlite3.OperationalError:
        return
    for platform, sender, first in rows:
        for ident in wanted.get((platform, sender), ()):
            if first is not None:
                ident.first_source = first if ident.first_source is None else min(ident.first_source, first)


def _json_list(text: str | None) -> list[str]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def gather(conn: sqlite3.Connection, senders_table: str | None, phones: Phones) -> dict[str, Identity]:
    out: dict[str, Identity] = {}

    def get(key: str, platform: str, kind: str) -> Identity:
        ident = out.get(key)
        if ident is None:
            ident = out[key] = Identity(key, platform, kind)
        return ident

    try:
        people = conn.execute("SELECT rowid, key, name, platform, relation, phones, emails, extra, sources "
                              "FROM rec_people").fetchall()
    except sqlite3.OperationalError:
        people = []
    # the chats' participants were listed by the owner decided at import; after `datavault owner` (or a later
    # --me) decided it again, the messages say more: one who only ever wrote as the owner is the owner, one who
    # wrote a message marked as not the owner's is a participant (a system line is never marked either way)
    owner_only, wrote_as_other = _participants_by_messages(conn, senders_table)
    for rowid, nkey, name, platform, relation, ph, em, extra, held_by in people:
        if relation == "chat_participant" and (platform, name) in owner_only:
            continue
        nums = sorted({n for n in (phones.e164(p) for p in _json_list(ph)) if n})
        mails = sorted({fold_email(e) for e in _json_list(em) if fold_email(e)})
        if platform in CARD_PLATFORMS and relation in ("contact", "family"):
            key, kind = f"{platform}:card:{nkey & 0xFFFFFFFFFFFFFFFF:016x}", "card"
        else:
            key, kind = account_key(platform, name or "", nums, mails), "account"
            if key is None:
                continue
        ident = get(key, platform, kind)
        if name and not (_PHONE_LIKE.match(name) and nums):
            ident.names.add(" ".join(unicodedata.normalize("NFKC", name).split()))
        ident.phones.update(nums)
        ident.emails.update(mails)
        ident.rows.append(rowid)
        ident.relations.add(relation)
        if (first := _first_source(held_by)) is not None:
            ident.first_source = first if ident.first_source is None else min(ident.first_source, first)
        try:
            conv = (json.loads(extra) or {}).get("conversation") if extra else None
        except (ValueError, AttributeError):
            conv = None
        if isinstance(conv, str) and conv:
            ident.groups.setdefault("?" + fold_name(conv), conv)  # a thread: a group only if others are in it
    listed = set(out)  # the identities of people rows
    if senders_table:
        rows = conn.execute(f"SELECT platform, conv, sender, sum(n) FROM {senders_table} "
                            "WHERE from_owner != 1 AND sender != '' GROUP BY platform, conv, sender").fetchall()
        members: dict[tuple[str, str], int] = {}
        for platform, conv, _sender, _n in rows:
            members[(platform, conv)] = members.get((platform, conv), 0) + 1
        for platform, conv, sender, n in rows:
            name, mails = parse_sender(platform, sender)
            mails = [fold_email(m) for m in mails]
            nums = [num] if _PHONE_LIKE.match(name) and (num := phones.e164(name)) else []
            key = (f"{platform}:{mails[0]}" if mails else account_key(platform, name, nums, []))
            if key is None or (platform in LISTS_PARTICIPANTS and key not in listed
                               and (platform, sender) not in wrote_as_other):
                continue
            ident = get(key, platform, "account")
            if name and not nums:
                ident.names.add(" ".join(unicodedata.normalize("NFKC", name).split()))
            ident.phones.update(nums)
            ident.emails.update(mails)
            ident.messages += n
            ident.senders.add((platform, sender))
            if conv and members[(platform, conv)] > 1 and platform != "gmail":
                ident.groups[fold_name(conv)] = conv
    for ident in out.values():  # a thread named in a people row counts as a group when its senders make it one
        for folded in [g for g in ident.groups if g.startswith("?")]:
            del ident.groups[folded]
    return out


def _participants_by_messages(conn: sqlite3.Connection, senders_table: str | None
                              ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """((platform, sender) only ever marked as the owner, (platform, sender) with a message marked as not the
    owner's), for the platforms whose chats list their participants (from the senders rollup)."""
    if not senders_table:
        return set(), set()
    platforms = ", ".join(f"'{p}'" for p in sorted(LISTS_PARTICIPANTS))
    owner_only, other = set(), set()
    for platform, sender, mine, not_mine, theirs in conn.execute(
            f"SELECT platform, sender, max(from_owner = 1), max(from_owner != 1), max(from_owner = 0) "
            f"FROM {senders_table} WHERE sender != '' AND platform IN ({platforms}) GROUP BY platform, sender"):
        if mine and not not_mine:
            owner_only.add((platform, sender))
        if theirs:
            other.add((platform, sender))
    return owner_only, other


# ---------------------------------------------------------------------------------------------------------------
# linking


@dataclass
class Person:
    id: str
    name: str
    identities: list[Identity]
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {"person": self.id, "name": self.name,
                "platforms": sorted({i.platform for i in self.identities}),
                "identities": [{"identity": i.key, "platform": i.platform, "kind": i.kind, "name": i.name,
                                "phones": sorted(i.phones), "emails": sorted(i.emails),
                                "records": len(i.rows), "messages": i.messages} for i in self.identities],
                "reasons": self.reasons}


def person_id(anchor: str) -> str:
    return "p" + hashlib.blake2b(anchor.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


def _seen_order(ident: Identity) -> tuple:
    """Which of a person's identities was seen first: the earliest import, then a people row before a mere
    sender, then the row recorded first (rowids of ``rec_people`` never change), then the key."""
    return (ident.first_source if ident.first_source is not None else 1 << 62, 0 if ident.rows else 1,
            min(ident.rows) if ident.rows else 0, ident.key)


def anchor(members: list[Identity]) -> Identity:
    """The identity a person's id is made from: the one seen first. A later import whose identity joins the
    person, or a merge with a person seen later, leaves the id as it was; a split leaves it to the part that
    holds this identity."""
    return min(members, key=_seen_order)


def _full_name(folded: str) -> bool:
    return len(folded.split()) >= 2


def _named_from_address_book(ident: Identity) -> bool:
    """A name the app took from the phone's contacts: a WhatsApp sender's, a face named in Google Photos."""
    return ident.kind == "account" and (ident.platform == "whatsapp"
                                        or (ident.platform == "google" and "tagged" in ident.relations))


def link(identities: dict[str, Identity], decisions: Iterable[tuple[str, str, str | None]] = (),
         seen: Callable[[list[Identity]], None] | None = None) -> list[Person]:
    """Persons from identities and the user's decisions ((kind, a, b): ``merge`` a b, ``split`` a). ``seen`` is
    given the identities of persons of more than one identity before their ids are chosen (``first_seen``)."""
    decisions = list(decisions)
    split = {a for kind, a, _ in decisions if kind == "split"}
    parent = {k: k for k in identities}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    edges: list[tuple[str, str, str]] = []

    def join(a: str, b: str, reason: str) -> None:
        edges.append((a, b, reason))
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    auto = [i for k, i in sorted(identities.items()) if k not in split]
    by_phone: dict[str, list[str]] = {}
    by_email: dict[str, list[str]] = {}
    for ident in auto:
        for p in ident.phones:
            by_phone.setdefault(p, []).append(ident.key)
        for e in ident.emails:
            by_email.setdefault(e, []).append(ident.key)
    for p, keys in sorted(by_phone.items()):
        for other in keys[1:]:
            join(keys[0], other, f"same phone {Phones.pretty(p) if p.startswith('+') else p}")
    for e, keys in sorted(by_email.items()):
        for other in keys[1:]:
            join(keys[0], other, f"same email {e}")
    # a name needs a second signal, looked for over what is already joined (the card's name, the WhatsApp
    # number's groups): repeated until nothing more joins
    while True:
        clusters: dict[str, list[Identity]] = {}
        for ident in auto:
            clusters.setdefault(find(ident.key), []).append(ident)
        named: dict[str, list[str]] = {}
        for root, members in sorted(clusters.items()):
            for folded in sorted({fold_name(n) for i in members for n in i.names}):
                if _full_name(folded):
                    named.setdefault(folded, []).append(root)
        joined = False
        for folded, roots in named.items():
            for x, ra in enumerate(roots):
                for rb in roots[x + 1:]:
                    if find(ra) == find(rb):
                        continue
                    a, b = clusters[ra], clusters[rb]
                    shown = next(n for i in a for n in sorted(i.names) if fold_name(n) == folded)
                    ga = {g: t for i in a for g, t in i.groups.items()}
                    gb = {g for i in b for g in i.groups}
                    shared = sorted(set(ga) & gb)
                    card = next((i for i in a + b if i.kind == "card" and folded in map(fold_name, i.names)), None)
                    echo = next((i for i in a + b if _named_from_address_book(i)
                                 and folded in map(fold_name, i.names)), None)
                    if shared:
                        join(a[0].key, b[0].key, f"same name '{shown}' and both in group chat '{ga[shared[0]]}'")
                    elif card is not None and echo is not None and (card in a) != (echo in a):
                        join(card.key, echo.key, f"same name '{shown}' on your contact card and " + (
                            "as a WhatsApp sender (WhatsApp names senders from the address book)"
                            if echo.platform == "whatsapp" else
                            "as a face you named in Google Photos (Photos offers the names of your contacts)"))
                    else:
                        continue
                    joined = True
        if not joined:
            break
    for kind, a, b in decisions:
        if kind == "merge" and a in identities and b in identities:
            join(a, b, f"merged by you: {identities[a].name or a} and {identities[b].name or b}")
    clusters: dict[str, list[str]] = {}
    for k in sorted(identities):
        clusters.setdefault(find(k), []).append(k)
    reasons: dict[str, list[str]] = {}
    for a, b, reason in edges:
        root = find(a)
        if reason not in reasons.setdefault(root, []):
            reasons[root].append(reason)
    if seen is not None:
        seen([identities[k] for keys in clusters.values() if len(keys) > 1 for k in keys])
    persons = []
    for root, keys in clusters.items():
        members = [identities[k] for k in keys]
        named = [i for i in members if i.name]
        # the name to show: a card's (the owner's own word), else the identity with most messages and records
        best = max(named, key=lambda i: (i.kind == "card", i.messages + len(i.rows), -len(i.key)), default=None)
        persons.append(Person(person_id(anchor(members).key), best.name if best else keys[0], members,
                              reasons.get(root, [])))
    persons.sort(key=lambda p: (-sum(i.messages for i in p.identities), fold_name(p.name), p.id))
    return persons


# ---------------------------------------------------------------------------------------------------------------
# the derived tables


def _decisions(conn: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    try:
        return [tuple(r) for r in conn.execute(f"SELECT kind, a, b FROM {DECISIONS} ORDER BY id")]
    except sqlite3.OperationalError:  # a vault of an older schema opened read-only
        return []


def _fingerprint(conn: sqlite3.Connection, schema: str) -> str:
    parts: list[Any] = [VERSION]
    for sql in ("SELECT coalesce(max(rowid), 0), count(*) FROM rec_people",
                f"SELECT coalesce(max(id), 0), count(*) FROM {DECISIONS}",
                "SELECT value FROM meta WHERE key = 'rows_rewritten'",
                f"SELECT max_rowid, n FROM {schema}.dv_roll_state WHERE tbl = 'dv_roll_senders'",
                "SELECT coalesce(max(rowid), 0), count(*) FROM rec_profile WHERE field IN ('phone', 'locale', "
                "'language')"):
        try:
            parts.append([tuple(r) for r in conn.execute(sql).fetchall()])
        except sqlite3.OperationalError:
            parts.append(None)
    return json.dumps(parts)


def compute(conn: sqlite3.Connection, senders_table: str | None) -> list[Person]:
    return link(gather(conn, senders_table, Phones(owner_region(conn))), _decisions(conn),
                lambda members: first_seen(conn, members))


def refresh(conn: sqlite3.Connection, schema: str) -> None:
    """Bring the linking in ``schema`` up to date with its inputs (the senders rollup must be current), in one
    transaction: the tables and the state saying what they were computed from are committed together."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{STATE} (k TEXT PRIMARY KEY, v TEXT)")
    fingerprint = _fingerprint(conn, schema)
    row = conn.execute(f"SELECT v FROM {schema}.{STATE} WHERE k = 'inputs'").fetchone()
    if row and row[0] == fingerprint:
        return
    persons = compute(conn, f"{schema}.dv_roll_senders")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{IDENTITIES} (identity TEXT PRIMARY KEY, person TEXT, "
                 "platform TEXT, kind TEXT, name TEXT, phones TEXT, emails TEXT, records INTEGER, messages INTEGER)")
    conn.execute(person_rows_ddl(schema))
    conn.execute(f"CREATE TABLE IF NOT EXISTS {schema}.{REASONS} (person TEXT, ordinal INTEGER, reason TEXT, "
                 "PRIMARY KEY (person, ordinal))")
    for name in (IDENTITIES, ROWS, REASONS):
        conn.execute(f"DELETE FROM {schema}.{name}")
    conn.executemany(f"INSERT INTO {schema}.{IDENTITIES} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [(i.key, p.id, i.platform, i.kind, i.name, json.dumps(sorted(i.phones)),
                       json.dumps(sorted(i.emails)), len(i.rows), i.messages) for p in persons for i in p.identities])
    conn.executemany(f"INSERT INTO {schema}.{ROWS} VALUES (?, ?, ?)",
                     [(r, p.id, i.key) for p in persons for i in p.identities for r in i.rows])
    conn.executemany(f"INSERT INTO {schema}.{REASONS} VALUES (?, ?, ?)",
                     [(p.id, n, reason) for p in persons for n, reason in enumerate(p.reasons)])
    conn.execute(f"INSERT OR REPLACE INTO {schema}.{STATE}(k, v) VALUES ('inputs', ?)", (fingerprint,))
    conn.commit()


def sender_person(conn: sqlite3.Connection, schema: str) -> dict[tuple[str, str], str]:
    """{(platform, sender as in messages): person id} for every non-owner sender (from the senders rollup)."""
    persons = dict(conn.execute(f"SELECT identity, person FROM {schema}.{IDENTITIES}").fetchall())
    out: dict[tuple[str, str], str] = {}
    phones = Phones(owner_region(conn))
    for platform, sender in conn.execute(f"SELECT DISTINCT platform, sender FROM {schema}.dv_roll_senders "
                                         "WHERE from_owner != 1 AND sender != ''"):
        name, mails = parse_sender(platform, sender)
        nums = [num] if _PHONE_LIKE.match(name) and (num := phones.e164(name)) else []
        key = f"{platform}:{fold_email(mails[0])}" if mails else account_key(platform, name, nums, [])
        if key in persons:
            out[(platform, sender)] = persons[key]
    return out


def load(conn: sqlite3.Connection, schema: str) -> list[Person]:
    """The persons as stored by ``refresh``."""
    by_person: dict[str, list[Identity]] = {}
    for key, pid, platform, kind, name, ph, em, records, messages in conn.execute(
            f"SELECT identity, person, platform, kind, name, phones, emails, records, messages "
            f"FROM {schema}.{IDENTITIES} ORDER BY identity"):
        ident = Identity(key, platform, kind, {name} if name else set(), set(json.loads(ph)), set(json.loads(em)),
                         messages=messages)
        ident.rows = [0] * records
        by_person.setdefault(pid, []).append(ident)
    reasons: dict[str, list[str]] = {}
    for pid, reason in conn.execute(f"SELECT person, reason FROM {schema}.{REASONS} ORDER BY person, ordinal"):
        reasons.setdefault(pid, []).append(reason)
    persons = []
    for pid, members in by_person.items():
        named = [i for i in members if i.name]
        best = max(named, key=lambda i: (i.kind == "card", i.messages + len(i.rows), -len(i.key)), default=None)
        persons.append(Person(pid, best.name if best else members[0].key, members, reasons.get(pid, [])))
    persons.sort(key=lambda p: (-sum(i.messages for i in p.identities), fold_name(p.name), p.id))
    return persons


# ---------------------------------------------------------------------------------------------------------------
# what the commands call


def _schema(conn: sqlite3.Connection) -> str:
    """Where derived data goes: the vault itself, or (a read-only vault) the connection's temporary schema."""
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS main.dv_person_state (k TEXT PRIMARY KEY, v TEXT)")
        conn.commit()
        return "main"
    except sqlite3.OperationalError:
        conn.rollback()
        return "temp"


def ensure(conn: sqlite3.Connection) -> str:
    """Bring the senders rollup and the linking up to date (each in its own transaction, each with its state:
    an interruption leaves them current or stale, never half-written); returns their schema."""
    from datavault.findings import rollup

    schema = _schema(conn)
    rollup.refresh(conn, schema)
    refresh(conn, schema)
    return schema


def list_persons(vault_path) -> list[Person]:
    from datavault.report import open_vault

    conn = open_vault(vault_path)
    try:
        return load(conn, ensure(conn))
    finally:
        conn.close()


def _resolve(persons: list[Person], ref: str) -> tuple[Person, list[str]]:
    """A person id (or a unique prefix of one) or an identity key: the person and the identity keys meant."""
    ref = ref.strip()
    for p in persons:
        for i in p.identities:
            if i.key == ref or i.key.casefold() == ref.casefold():
                return p, [i.key]
    hits = [p for p in persons if p.id == ref] or [p for p in persons if len(ref) >= 3 and p.id.startswith(ref)]
    if len(hits) == 1:
        return hits[0], [i.key for i in hits[0].identities]
    from datavault.errors import UserError

    if len(hits) > 1:
        raise UserError(f"{ref!r} names {len(hits)} persons ({', '.join(p.id for p in hits[:5])}): give more of it.")
    raise UserError(f"No person or identity {ref!r}: datavault people lists them (person ids such as "
                    f"{persons[0].id if persons else 'p1a2b3c4d'}, identities such as whatsapp:+4915123456789).")


def decide(vault_path, kind: str, a: str, b: str | None = None) -> Person:
    """Record the user's ``merge`` (a, b) or ``split`` (a); returns the person ``a`` now belongs to."""
    import datetime as dt

    from datavault.errors import UserError
    from datavault.report import open_vault
    from datavault.store import Vault

    Vault.open(vault_path, create=False).close()  # the schema with person_decisions; refuses a read-only vault
    conn = open_vault(vault_path)
    try:
        schema = ensure(conn)
        persons = load(conn, schema)
        pa, keys_a = _resolve(persons, a)
        now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if kind == "merge":
            pb, keys_b = _resolve(persons, b or "")
            if pa.id == pb.id and set(keys_a) & set(keys_b):
                raise UserError(f"{a} and {b} are the same identity: nothing to merge.")
            conn.execute(f"INSERT INTO {DECISIONS}(kind, a, b, made_at) VALUES ('merge', ?, ?, ?)",
                         (min(keys_a), min(keys_b), now))
        else:
            if len(pa.identities) == 1 and not pa.reasons:
                raise UserError(f"{a} is one identity on its own already: nothing to split.")
            for key in keys_a:  # the identity stands alone: its earlier merges by hand are undone too
                conn.execute(f"DELETE FROM {DECISIONS} WHERE kind = 'merge' AND (a = ? OR b = ?)", (key, key))
                conn.execute(f"INSERT INTO {DECISIONS}(kind, a, b, made_at) VALUES ('split', ?, NULL, ?)", (key, now))
        conn.commit()
        refresh(conn, schema)
        after = load(conn, schema)
        target = min(keys_a)
        return next(p for p in after if any(i.key == target for i in p.identities))
    finally:
        conn.close()


def person_of_rows(conn: sqlite3.Connection) -> dict[int, str]:
    """{rec_people rowid: person id}, the linking brought up to date first (for ``export people``)."""
    schema = ensure(conn)
    return dict(conn.execute(f"SELECT people_rowid, person FROM {schema}.{ROWS}").fetchall())
