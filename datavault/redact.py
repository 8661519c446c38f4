"""``--redact``: other people's names, numbers and addresses become stable pseudonyms before rendering.

Names come from the vault itself: people, message senders and one-to-one chat names; each person gets
"Contact N", numbered by how much you talk to them (then alphabetically), so the same vault always gives the
same pseudonyms. Each word of a name (first name, surname) is replaced too, so "Costa" in a group name goes
as well. The owner's own name becomes "You". Phone numbers, e-mail and IP addresses and street addresses
anywhere in the report become "[phone 1]", "[e-mail 2]", ... Names run together in file paths
(``inbox/jordanlee_10158``, ``priya_shah.json``) become the pseudonym too; coordinates are rounded to about 10 km
(0.1 degree) and a coordinate pair in text becomes "[place 1]"; the owner's birthday (from the profile, in its
usual spellings) becomes "[birthday]"; the postcode and street of the profile's address go; and first names the
owner writes in their own messages and posts that are no contact's (a child's name) become "[name 1]": a word
written with a capital in every one of its uses, at least once in mid-sentence, that is no word of datavault's
word lists, no weekday or month, and no place of the location history. It works on the report dictionary, so
every renderer (and every chart) gets the redacted text.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

import phonenumbers

PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{6,}\d(?!\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
COORDS = re.compile(r"(?<![\d.])-?\d{1,3}\.\d{3,}\s*,\s*-?\d{1,3}\.\d{3,}(?![\d.])")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
STREET = re.compile(
    r"\b\d{1,5}[a-zA-Z]?,?\s+(?:[A-Z][\w'’-]*\s+){1,4}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Place|Terrace|Crescent|Grove|Court|Square|Boulevard|Blvd)\b\.?")
COORD_KEYS = {"lat", "lon", "latitude", "longitude"}
PAGE_RELATIONS = "('following')"  # people rows that are pages or organisations (Facebook: pages followed)
# words that may appear in a contact's name but are ordinary English; replaced only as part of the whole name
COMMON = {"the", "and", "of", "de", "da", "do", "van", "von", "la", "le", "mr", "mrs", "ms", "dr", "new", "old",
          "work", "home", "team", "group", "family", "parents", "friends", "chat", "you", "me", "mum", "mom",
          "dad", "my"}


def _names(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """(other people's names ordered by message volume then name, the owner's names)."""
    def q(sql: str) -> list[tuple]:
        try:
            return conn.execute(sql).fetchall()
        except sqlite3.OperationalError:
            return []

    owner = {r[0] for r in q("SELECT DISTINCT sender FROM messages WHERE from_owner = 1 AND sender IS NOT NULL")}
    owner |= {r[0] for r in q("SELECT DISTINCT value FROM profile WHERE field IN ('name', 'previous_name')")}
    volume: dict[str, int] = {}
    for name, n in q("SELECT sender, count(*) FROM messages WHERE from_owner IS NOT 1 AND sender IS NOT NULL "
                     "AND coalesce(platform, '') != 'gmail' GROUP BY sender"):
        volume[name] = volume.get(name, 0) + n
    for name, n in q("SELECT conversation, count(*) FROM messages WHERE conversation IS NOT NULL "
                     "AND coalesce(platform, '') != 'gmail' GROUP BY conversation "
                     "HAVING count(DISTINCT CASE WHEN from_owner IS NOT 1 THEN sender END) <= 1"):
        volume[name] = volume.get(name, 0) + n
    for (name,) in q(f"SELECT DISTINCT name FROM people WHERE name IS NOT NULL AND relation NOT IN {PAGE_RELATIONS}"):
        volume.setdefault(name, 0)
    others = [n for n in volume if n and n.strip() and n not in owner]
    others.sort(key=lambda n: (-volume[n], n.casefold()))
    return others, sorted(o for o in owner if o)


def _pages(conn: sqlite3.Connection, known: set[str]) -> list[str]:
    """Names of pages and organisations a person follows ("GMB Union", "Leeds Labour Party"), which are no
    person: replaced whole, as "[page N]", never word by word (their words are ordinary ones: "union")."""
    try:
        rows = conn.execute(f"SELECT DISTINCT name FROM people WHERE name IS NOT NULL AND relation IN {PAGE_RELATIONS} "
                            "ORDER BY name").fetchall()
    except sqlite3.OperationalError:
        return []
    return [r[0] for r in rows if r[0].strip() and r[0].casefold() not in known]


class Redactor:
    def __init__(self, others: list[str], owner: list[str], pages: list[str] = ()):
        self.map: dict[str, str] = {}
        for i, page in enumerate(pages, 1):  # whole names only, before the words of people's names
            self.map.setdefault(page.casefold(), f"[page {i}]")
        for i, name in enumerate(others, 1):
            self.map.setdefault(name.casefold(), f"Contact {i}")
        for name in owner:
            self.map.setdefault(name.casefold(), "You")
        # single words of names, after the whole names (longest first at match time)
        for name in list(others) + list(owner):  # words of a note in brackets are no name: "Mrs Patel (Little Acorns)"
            for word in re.findall(r"[^\W\d_][\w'’-]*", re.sub(r"\([^)]*\)", " ", name)):
                if len(word) >= 3 and word.casefold() not in COMMON:
                    self.map.setdefault(word.casefold(), self.map[name.casefold()])
        for name in others:  # short names and common-word names still go as whole names
            self.map.setdefault(name.casefold(), self.map[name.casefold()])
        keys = sorted(self.map, key=len, reverse=True)
        # a name is a whole word: not inside another word, but it may touch "_" or a digit (priya_shah_30422)
        self.names = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![^\W_])",
                                re.IGNORECASE) if keys else None
        # names run together as file paths and user names write them: jordanlee_10158, priya.shah, sam_rivera
        glued: dict[str, str] = {}
        for name in list(others) + list(owner):
            words = re.findall(r"[^\W\d_]+", name)
            if len(words) >= 2:
                for joiner in ("", "_", ".", "-"):
                    glued.setdefault(fold_name(joiner.join(words)), self.map[name.casefold()])
        self.glued_map = glued
        self.glued = re.compile(r"(?<![^\W\d_])(?:" + "|".join(re.escape(k) for k in sorted(glued, key=len, reverse=True))
                                + r")(?![^\W\d_])", re.IGNORECASE) if glued else None
        self.birthdays: list[str] = []     # spellings of the owner's birthday
        self.region: str | None = None     # where national phone numbers are read (the owner's number's country)
        self.text_names: re.Pattern | None = None  # first names written in the owner's own texts
        self.counters: dict[str, dict[str, str]] = {"phone": {}, "e-mail": {}, "ip": {}, "address": {}, "place": {},
                                                    "name": {}}
        self.addresses: list[str] = []

    def _token(self, kind: str, value: str) -> str:
        table = self.counters[kind]
        key = re.sub(r"\W", "", value.casefold())
        if kind == "phone":  # one token per number, however it is spelt
            try:
                key = phonenumbers.format_number(phonenumbers.parse(value, self.region or "GB"),
                                                 phonenumbers.PhoneNumberFormat.E164)
            except phonenumbers.NumberParseException:
                pass
        if key not in table:
            table[key] = f"[{kind} {len(table) + 1}]"
        return table[key]

    def text(self, s: str) -> str:
        for address in self.addresses:
            if address.casefold() in s.casefold():
                s = re.sub(re.escape(address), self._token("address", address), s, flags=re.IGNORECASE)
        for birthday in self.birthdays:
            if birthday in s:
                s = s.replace(birthday, "[birthday]")
        s = COORDS.sub(lambda m: self._token("place", m.group(0)), s)
        s = EMAIL.sub(lambda m: self._token("e-mail", m.group(0)), s)
        s = STREET.sub(lambda m: self._token("address", m.group(0)), s)
        s = IPV4.sub(lambda m: self._token("ip", m.group(0)), s)
        s = self._phones(s)
        s = PHONE.sub(lambda m: self._token("phone", m.group(0))
                      if sum(ch.isdigit() for ch in m.group(0)) >= 7 and not _looks_like_date(m.group(0))
                      else m.group(0), s)
        if self.glued is not None:
            s = self.glued.sub(lambda m: self.glued_map[fold_name(m.group(0))], s)
        if self.names is not None:
            s = self.names.sub(lambda m: self.map[m.group(0).casefold()], s)
        if self.text_names is not None:
            s = self.text_names.sub(lambda m: self._token("name", m.group(0)), s)
        return s

    def _phones(self, s: str) -> str:
        """Phone numbers libphonenumber's matcher finds (national forms in the owner's region, international
        ones anywhere), each number one token however it is spelt; the PHONE pattern catches what is left."""
        if sum(ch.isdigit() for ch in s) < 6:
            return s
        spans = []
        try:
            for match in phonenumbers.PhoneNumberMatcher(s, self.region or "GB"):
                e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
                spans.append((match.start, match.end, self._token("phone", e164)))  # numbered in reading order
        except Exception:  # the matcher never blocks a report; the pattern below still applies
            return s
        for start, end, token in reversed(spans):
            s = s[:start] + token + s[end:]
        return s

    def walk(self, value: Any, key: str | None = None) -> Any:
        if key in COORD_KEYS and isinstance(value, float):  # about 10 km: a region, not a house
            return round(value, 1)
        if (key or "").endswith("_cell") and isinstance(value, list) and all(isinstance(v, float) for v in value):
            return [round(v, 1) for v in value]  # a finding's measure: the home cell (lat, lon)
        if key in ("context", "context_sources", "references"):  # research text from the rules, no one's data
            return value
        if isinstance(value, str):
            if key in ("time", "first", "last", "generated", "source_file", "locator", "id", "finding", "category",
                       "strength", "table", "schema", "timezone", "rules_version", "profile"):
                return value if key not in ("source_file", "locator") else self.text(value)
            return self.text(value)
        if isinstance(value, list):
            return [self.walk(v, key) for v in value]
        if isinstance(value, dict):
            return {k: self.walk(v, k) for k, v in value.items()}
        return value


def _looks_like_date(s: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}.*|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}.*", s.strip()))


def fold_name(s: str) -> str:
    return s.casefold()


def birthday_spellings(value: str) -> list[str]:
    """A birthday as the profile holds it (``1988-04-17``) and as text writes it (17/04/1988, 17 April 1988...)."""
    import calendar

    out = [value]
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if m:
        y, mo, d = m.groups()
        month = calendar.month_name[int(mo)] if 1 <= int(mo) <= 12 else ""
        out += [f"{d}/{mo}/{y}", f"{d}.{mo}.{y}", f"{mo}/{d}/{y}", f"{int(d)}/{int(mo)}/{y}"]
        if month:
            out += [f"{int(d)} {month} {y}", f"{month} {int(d)}, {y}", f"{int(d)} {month[:3]} {y}",
                    f"{month[:3]} {int(d)}, {y}"]
    return sorted(set(out), key=len, reverse=True)


def _address_parts(address: str) -> list[str]:
    """The whole address and each part of it that holds a digit (the street and number, the postcode)."""
    parts = [address] + [p.strip() for p in address.split(",") if any(ch.isdigit() for ch in p) and len(p.strip()) >= 4]
    return sorted(set(parts), key=len, reverse=True)


_WORD = re.compile(r"(?<![\w'’])([^\W\d_][^\W\d_'’-]*)")
TEXT_NAME_TEXTS = 200_000  # own texts read for first names, most recent first (a bound on a huge vault)


def _text_names(conn: sqlite3.Connection, known: set[str]) -> list[str]:
    """Words the owner writes like a first name: capitalised in every use (at least twice, once in mid-sentence),
    never in lower case, and no word datavault reads for (lexicons), no weekday or month (in the languages of
    the word lists), no word of a place in the location history, no name already pseudonymised."""
    try:
        texts = [r[0] for r in conn.execute(
            "SELECT text FROM (SELECT text, ts FROM messages WHERE from_owner = 1 AND text IS NOT NULL "
            "UNION ALL SELECT text, ts FROM posts WHERE text IS NOT NULL) ORDER BY ts DESC LIMIT ?",
            (TEXT_NAME_TEXTS,))]
        places = [r[0] for r in conn.execute("SELECT DISTINCT place_name FROM locations WHERE place_name IS NOT NULL")]
    except sqlite3.OperationalError:
        return []
    capital: dict[str, int] = {}
    mid: set[str] = set()
    lower: set[str] = set()
    for text in texts:
        for m in _WORD.finditer(text[:4000]):
            word = m.group(1)
            if len(word) < 3:
                continue
            key = word.casefold()
            if word[0].isupper() and not word.isupper():
                capital[key] = capital.get(key, 0) + 1
                before = text[:m.start()].rstrip()
                if before and before[-1] not in ".!?:;\"“”«(¿¡-–—":
                    mid.add(key)
            else:
                lower.add(key)
    candidates = {w for w, n in capital.items() if n >= 2 and w in mid and w not in lower and w not in known}
    if not candidates:
        return []
    ordinary = _ordinary_words()
    for place in places:
        ordinary.update(w.casefold() for w in _WORD.findall(place))
    return sorted(w for w in candidates if w not in ordinary)


def _ordinary_words() -> set[str]:
    """Words that are no one's name though written with a capital: the rules' lexicon words, weekdays and months
    in the languages datavault reads, and a few the exports themselves write (``<Media omitted>``)."""
    from babel.dates import get_day_names, get_month_names

    from datavault.findings.ruleset import load_rules

    words = {"media", "omitted", "whatsapp", "facebook", "instagram", "google", "youtube", "messenger"}
    for lexicon in load_rules().lexicons.values():  # one-word terms: brands and games ("Fortnite"), not the
        for term in lexicon.terms + lexicon.exclude:  # small words of a phrase (Italian "la mia diagnosi")
            found = _WORD.findall(term.text.rstrip("*"))
            if len(found) == 1:
                words.add(found[0].casefold())
    for locale in ("en", "de", "es", "fr", "pt", "it", "nl"):
        for width in ("wide", "abbreviated"):
            words.update(n.casefold().rstrip(".") for n in get_day_names(width, locale=locale).values())
            words.update(n.casefold().rstrip(".") for n in get_month_names(width, locale=locale).values())
            words.update(n.casefold().rstrip(".") for n in get_month_names(width, locale=locale,
                                                                            context="stand-alone").values())
    return words


def redactor_for(conn: sqlite3.Connection) -> Redactor:
    others, owner = _names(conn)
    redactor = Redactor(others, owner, _pages(conn, {n.casefold() for n in others + owner}))
    try:  # addresses the profile holds verbatim, whatever their shape; its street and postcode alone too
        redactor.addresses = sorted({part for (value,) in conn.execute(
            "SELECT DISTINCT value FROM profile WHERE field IN ('address', 'home_address', 'street_address') "
            "AND length(value) >= 6") for part in _address_parts(value)}, key=len, reverse=True)
        redactor.birthdays = sorted({s for (value,) in conn.execute(
            "SELECT DISTINCT value FROM profile WHERE field IN ('birthday', 'birth_date', 'date_of_birth') "
            "AND length(value) >= 6") for s in birthday_spellings(value)}, key=len, reverse=True)
    except sqlite3.OperationalError:
        pass
    from datavault.people import owner_region

    redactor.region = owner_region(conn)
    names = _text_names(conn, set(redactor.map))
    if names:
        redactor.text_names = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(n) for n in names) + r")(?![^\W_])",
                                         re.IGNORECASE)
    return redactor
