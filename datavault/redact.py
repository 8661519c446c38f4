"""``--redact``: other people's names, numbers and addresses become stable pseudonyms before rendering.

Names come from the vault itself: people, message senders and one-to-one chat names; each person gets
"Contact N", numbered by how much you talk to them (then alphabetically), so the same vault always gives the
same pseudonyms. Each word of a name (first name, surname) is replaced too, so "Costa" in a group name goes
as well. The owner's own name becomes "You". Phone numbers, e-mail and IP addresses and street addresses
anywhere in the report become "[phone 1]", "[e-mail 2]", ... It works on the report dictionary, so every
renderer (and every chart) gets the redacted text.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

PHONE = re.compile(r"(?<![\w+])\+?\d[\d ().-]{6,}\d(?!\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
STREET = re.compile(
    r"\b\d{1,5}[a-zA-Z]?,?\s+(?:[A-Z][\w'’-]*\s+){1,4}"
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Way|Place|Terrace|Crescent|Grove|Court|Square|Boulevard|Blvd)\b\.?")
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
    owner |= {r[0] for r in q("SELECT DISTINCT value FROM profile WHERE field = 'name'")}
    volume: dict[str, int] = {}
    for name, n in q("SELECT sender, count(*) FROM messages WHERE from_owner IS NOT 1 AND sender IS NOT NULL "
                     "AND coalesce(platform, '') != 'gmail' GROUP BY sender"):
        volume[name] = volume.get(name, 0) + n
    for name, n in q("SELECT conversation, count(*) FROM messages WHERE conversation IS NOT NULL "
                     "AND coalesce(platform, '') != 'gmail' GROUP BY conversation "
                     "HAVING count(DISTINCT CASE WHEN from_owner IS NOT 1 THEN sender END) <= 1"):
        volume[name] = volume.get(name, 0) + n
    for (name,) in q("SELECT DISTINCT name FROM people WHERE name IS NOT NULL"):
        volume.setdefault(name, 0)
    others = [n for n in volume if n and n.strip() and n not in owner]
    others.sort(key=lambda n: (-volume[n], n.casefold()))
    return others, sorted(o for o in owner if o)


class Redactor:
    def __init__(self, others: list[str], owner: list[str]):
        self.map: dict[str, str] = {}
        for i, name in enumerate(others, 1):
            self.map.setdefault(name.casefold(), f"Contact {i}")
        for name in owner:
            self.map.setdefault(name.casefold(), "You")
        # single words of names, after the whole names (longest first at match time)
        for name in list(others) + list(owner):
            for word in re.findall(r"[^\W\d_][\w'’-]*", name):
                if len(word) >= 3 and word.casefold() not in COMMON:
                    self.map.setdefault(word.casefold(), self.map[name.casefold()])
        for name in others:  # short names and common-word names still go as whole names
            self.map.setdefault(name.casefold(), self.map[name.casefold()])
        keys = sorted(self.map, key=len, reverse=True)
        self.names = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![\w])",
                                re.IGNORECASE) if keys else None
        self.counters: dict[str, dict[str, str]] = {"phone": {}, "e-mail": {}, "ip": {}, "address": {}}
        self.addresses: list[str] = []

    def _token(self, kind: str, value: str) -> str:
        table = self.counters[kind]
        key = re.sub(r"\W", "", value.casefold())
        if key not in table:
            table[key] = f"[{kind} {len(table) + 1}]"
        return table[key]

    def text(self, s: str) -> str:
        for address in self.addresses:
            if address in s:
                s = s.replace(address, self._token("address", address))
        s = EMAIL.sub(lambda m: self._token("e-mail", m.group(0)), s)
        s = STREET.sub(lambda m: self._token("address", m.group(0)), s)
        s = IPV4.sub(lambda m: self._token("ip", m.group(0)), s)
        s = PHONE.sub(lambda m: self._token("phone", m.group(0))
                      if sum(ch.isdigit() for ch in m.group(0)) >= 7 and not _looks_like_date(m.group(0))
                      else m.group(0), s)
        if self.names is not None:
            s = self.names.sub(lambda m: self.map[m.group(0).casefold()], s)
        return s

    def walk(self, value: Any, key: str | None = None) -> Any:
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


def redactor_for(conn: sqlite3.Connection) -> Redactor:
    others, owner = _names(conn)
    redactor = Redactor(others, owner)
    try:  # addresses the profile holds verbatim, whatever their shape
        redactor.addresses = [r[0] for r in conn.execute(
            "SELECT DISTINCT value FROM profile WHERE field IN ('address', 'home_address', 'street_address') "
            "AND length(value) >= 6")]
    except sqlite3.OperationalError:
        pass
    return redactor
