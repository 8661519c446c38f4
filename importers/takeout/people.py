"""Who the account holder is and whom they know: Contacts vCards, Profile, Access Log Activity.

- ``Contacts/<List>/<List>.vcf`` (vCard 3.0, folded lines, quoted-printable names from old phones): one ``people``
  record per card, relation ``contact`` (``family`` when the card is in a Family group). The natural key is the
  person's name (case and white space folded; without a name their first e-mail or phone), so the same person
  listed in "All Contacts", "My Contacts" and "Starred in Android" is one person. The list a card came from is
  kept in ``extra.list``; a list named after a phone (``Contacts on device - Samsung SM-G525F``) says which phone
  the person has.
- ``Profile/Profile.json`` -> ``profile`` facts name, birthday (``YYYY-MM-DD`` or ``--MM-DD``), gender, email.
- ``Access Log Activity/*.csv``: sign-in activity rows (IP address, user agent, product) -> activities
  ``signed_in`` and each distinct IP address as a ``profile`` fact; the devices CSV -> profile ``device``.
"""

from __future__ import annotations

import quopri
import re
from typing import Any, Iterator

from datavault.records import Activity, Person, ProfileFact, Problem

from .common import PLATFORM, cell, csv_raw, csv_rows, header_index, squash, text_lines
from .jsonstream import JsonTrouble, load_object
from .commerce import _iso


def _unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def iter_vcards(lines) -> Iterator[tuple[int, list[tuple[str, dict, str]], str]]:
    """``(first line number, [(name, params, value)], raw text)`` for each card; folded lines joined."""
    card: list[str] | None = None
    start = 0
    raw: list[str] = []
    logical: list[str] = []
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if card is None:
            if line.strip().upper() == "BEGIN:VCARD":
                card, start, raw, logical = [], number, [line], []
            continue
        raw.append(line)
        if line[:1] in (" ", "\t") and logical:
            logical[-1] += line[1:]
            continue
        if logical and logical[-1].endswith("=") and "QUOTED-PRINTABLE" in logical[-1].upper().split(":", 1)[0]:
            logical[-1] = logical[-1][:-1] + line
            continue
        if line.strip().upper() == "END:VCARD":
            yield start, [_property(p) for p in logical if ":" in p], "\n".join(raw)
            card = None
            continue
        logical.append(line)


def _property(line: str) -> tuple[str, dict, str]:
    head, _, value = line.partition(":")
    parts = head.split(";")
    name = parts[0].split(".")[-1].upper()  # item1.EMAIL -> EMAIL
    params: dict[str, str] = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.upper()] = v if v else k
    if params.get("ENCODING", "").upper() == "QUOTED-PRINTABLE":
        charset = params.get("CHARSET", "utf-8")
        try:
            value = quopri.decodestring(value.encode("ascii", "replace")).decode(charset, "replace")
        except LookupError:
            value = quopri.decodestring(value.encode("ascii", "replace")).decode("utf-8", "replace")
    return name, params, value


def person_key(name: str | None, emails: list[str], phones: list[str]) -> tuple:
    if name:
        return ("contact", squash(name).casefold())
    if emails:
        return ("contact-email", emails[0].casefold())
    if phones:
        return ("contact-phone", re.sub(r"[^\d+]", "", phones[0]))
    return ()


def parse_vcf(member, ctx) -> Iterator[Any]:
    list_name = member.basename.rsplit(".", 1)[0]
    count = 0
    for line, props, raw in iter_vcards(text_lines(member.open())):
        count += 1
        values: dict[str, list[str]] = {}
        for name, params, value in props:
            values.setdefault(name, []).append(value)
        name = _unescape(values["FN"][0]).strip() if values.get("FN") else None
        if not name and values.get("N"):
            parts = [_unescape(p).strip() for p in values["N"][0].split(";")]
            name = " ".join(p for p in (parts[3:4] + parts[1:3] + parts[0:1] + parts[4:5]) if p) or None
        emails = [v.strip() for v in values.get("EMAIL", []) if v.strip()]
        phones = [v.strip() for v in values.get("TEL", []) if v.strip()]
        key = person_key(name, emails, phones)
        if not key:
            yield Problem(f"line {line}: a contact card without name, e-mail or phone", f"line {line}", "warning")
            continue
        extra: dict[str, Any] = {"list": list_name}
        for prop, label in (("ORG", "organisation"), ("TITLE", "job_title"), ("BDAY", "birthday"),
                            ("NOTE", "note"), ("ADR", "address"), ("CATEGORIES", "groups"), ("NICKNAME", "nickname"),
                            ("URL", "urls")):
            if values.get(prop):
                found = [_unescape(v).strip(" ;") for v in values[prop] if v.strip(" ;")]
                if found:
                    extra[label] = found if len(found) > 1 or prop in ("ADR", "URL") else found[0]
        groups = {g.strip().lower() for v in values.get("CATEGORIES", []) for g in v.split(",")}
        relation = "family" if groups & {"family", "familie", "famille", "familia", "famiglia"} else "contact"
        yield Person(key=key, locator=f"line {line}", raw=raw, extra=extra, name=name, platform=PLATFORM,
                     relation=relation, phones=phones, emails=emails)
    if count == 0:
        yield Problem("no contact cards (BEGIN:VCARD) in this file", None, "warning")


def parse_profile(member, ctx) -> Iterator[Any]:
    try:
        data = load_object(member.open(), "the profile is not a JSON object")
    except JsonTrouble as trouble:
        yield Problem(str(trouble))
        return
    facts: list[tuple[str, Any, str]] = []
    name = data.get("name") if isinstance(data.get("name"), dict) else {}
    full = name.get("formattedName") or " ".join(filter(None, (name.get("givenName"), name.get("familyName"))))
    facts.append(("name", full or data.get("displayName"), "name"))
    if data.get("displayName") and data.get("displayName") != full:
        facts.append(("display_name", data["displayName"], "displayName"))
    birthday = data.get("birthday")
    if isinstance(birthday, str) and birthday:
        facts.append(("birthday", birthday if re.match(r"^\d{4}-\d{2}-\d{2}$", birthday) else
                      _partial_birthday(birthday), "birthday"))
    gender = data.get("gender")
    if isinstance(gender, dict):
        gender = gender.get("type") or gender.get("customGender")
    facts.append(("gender", gender.lower() if isinstance(gender, str) else gender, "gender"))
    for i, email in enumerate(data.get("emails") or []):
        value = email.get("value") if isinstance(email, dict) else email
        facts.append(("email", value, f"emails[{i}]"))
    for i, phone in enumerate(data.get("phoneNumbers") or []):
        value = phone.get("value") if isinstance(phone, dict) else phone
        facts.append(("phone", value, f"phoneNumbers[{i}]"))
    known = {"name", "displayName", "birthday", "gender", "emails", "phoneNumbers"}
    for field, value, locator in facts:
        if value:
            yield ProfileFact(key=("profile", field, str(value)), locator=locator, platform=PLATFORM, field=field,
                              value=str(value))
    unknown = sorted(k for k in data if k not in known)
    if unknown:
        yield Problem("keys not understood (not imported): " + ", ".join(unknown), None, "warning")


def _partial_birthday(text: str) -> str:
    found = re.match(r"^(?:0000|--)-?(\d{2})-(\d{2})$", text)
    return f"--{found.group(1)}-{found.group(2)}" if found else text


def parse_access_log(member, ctx) -> Iterator[Any]:
    header, rows = csv_rows(member.open())
    index = header_index(header)
    seen_ips: set[str] = set()
    for line, cells in rows:
        locator = f"line {line}"
        when = cell(cells, index, "activity timestamp", "timestamp", "time")
        ip = cell(cells, index, "ip address", "ip")
        product = cell(cells, index, "product name", "product")
        agent = cell(cells, index, "user agent string", "user agent")
        extra = {name: cells[i] for name, i in index.items() if i < len(cells) and cells[i].strip()}
        time = _iso(when.replace(" UTC", "Z").replace(" ", "T", 1) if when and " UTC" in when else when)
        yield Activity(key=("access", when, ip, product, agent), locator=locator, raw=csv_raw(header, cells),
                       extra=extra, time=time, platform=PLATFORM, product="Google Account", action="signed_in",
                       title=" ".join(filter(None, (product, cell(cells, index, "activity type")))) or None)
        if ip and ip not in seen_ips:
            seen_ips.add(ip)
            yield ProfileFact(key=("access-ip", ip), locator=locator, platform=PLATFORM, field="ip_address",
                              value=ip, time=time,
                              extra={"city": cell(cells, index, "activity city"),
                                     "country": cell(cells, index, "activity country")})


def parse_access_devices(member, ctx) -> Iterator[Any]:
    header, rows = csv_rows(member.open())
    index = header_index(header)
    for line, cells in rows:
        name = " ".join(filter(None, (cell(cells, index, "device brand"), cell(cells, index, "device model"))))
        name = name or cell(cells, index, "device type")
        if not name:
            continue
        extra = {n: cells[i] for n, i in index.items() if i < len(cells) and cells[i].strip()}
        yield ProfileFact(key=("access-device", name, cell(cells, index, "device os version")), locator=f"line {line}",
                          raw=csv_raw(header, cells), platform=PLATFORM, field="device", value=name, extra=extra,
                          time=_iso(cell(cells, index, "device last seen", "last seen")))
