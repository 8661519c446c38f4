"""Issue 19.1: ``report --redact`` is safe to project. Every format of the redacted demo report is searched for
everything the demo persona knows about the people in it: each contact's and the owner's full, first and last
names (also as they are run together in file paths), each phone number in every way it is written (as in the
export, E.164, national, without spaces), e-mail and IP addresses, the street address, home and work
coordinates to three decimals, the birthday in its usual spellings and the child's name inside messages."""

from __future__ import annotations

import re
from pathlib import Path

import phonenumbers
import pytest

from datavault.demo.persona import PERSONA
from datavault.demo.run import build_demo_vault
from datavault.render import FORMATS, render
from datavault.report import build_report

# relations, not names: a chat called "Mum" says who she is to you, not who she is
NOT_NAMES = {"mum"}
IPS = ["81.2.69.16", "203.0.113.24"]  # the demo's logins (81.2.69.160-...) and its Play order
STREET = "12 Demo Terrace"
POSTCODE = "LS6 1AA"
PREVIOUS_NAME = "Ríos"  # the owner's earlier surname on Facebook ("Sam Ríos")


def phone_spellings(number: str) -> set[str]:
    parsed = phonenumbers.parse(number, None)
    out = {number, number.replace(" ", "")}
    for fmt in (phonenumbers.PhoneNumberFormat.E164, phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                phonenumbers.PhoneNumberFormat.NATIONAL):
        written = phonenumbers.format_number(parsed, fmt)
        out |= {written, written.replace(" ", ""), written.replace(" ", "-")}
    out.add(str(parsed.national_number))
    return out


def needles() -> dict[str, str]:
    """{text that must not appear: what it is}."""
    out: dict[str, str] = {}
    people = [(c.name, c.phone, c.email) for c in PERSONA.contacts] + [(PERSONA.name, PERSONA.phone, PERSONA.email)]
    for name, phone, email in people:
        if name.casefold() not in NOT_NAMES:
            out[name] = "name"
            words = name.split()
            for word in words:
                out[word] = "part of a name"
            if len(words) > 1:  # as a file path writes it: inbox/jordanlee_123, jordan.lee@, jordan_lee
                for joiner in ("", "_", "."):
                    out[joiner.join(words).lower()] = "name in a path"
        for spelling in phone_spellings(phone):
            out[spelling] = "phone"
        if email:
            out[email] = "e-mail"
    out[PERSONA.child_name] = "child's name"
    y, m, d = PERSONA.birthday.split("-")
    for spelling in (PERSONA.birthday, f"{d}/{m}/{y}", f"{d}.{m}.{y}", f"{m}/{d}/{y}", f"{int(d)} April {y}",
                     f"April {int(d)}, {y}", f"{int(d)} Apr {y}"):
        out[spelling] = "birthday"
    for category in ("home", "work"):
        place = PERSONA.place(category)
        for value in (place.lat, place.lon):
            for spelling in {f"{value:.3f}", str(value)[: str(value).index(".") + 4]}:  # rounded and cut
                out[spelling] = f"{category} coordinate"
    for ip in IPS:
        out[ip] = "IP address"
    out[STREET] = "street address"
    out[POSTCODE] = "postcode"
    out[PREVIOUS_NAME] = "previous name"
    return out


def found(needle: str, doc: str) -> bool:
    if re.fullmatch(r"[\w'-]+", needle):  # a word: as a whole word, in any case
        return re.search(rf"(?<![^\W_]){re.escape(needle)}(?![^\W_])", doc, re.IGNORECASE) is not None
    return needle.casefold() in doc.casefold()


@pytest.fixture(scope="module")
def redacted(tmp_path_factory) -> dict[str, str]:
    vault, _ = build_demo_vault(tmp_path_factory.mktemp("demo-redact"))
    report = build_report(vault, tz=PERSONA.timezone, redact=True, all_evidence=True)
    return {fmt: render(report, fmt) for fmt in FORMATS}


def test_the_needles_are_in_the_plain_report(tmp_path):
    """Control: the unredacted demo report holds most of what the redacted one must not, so the search below
    can find them."""
    vault, _ = build_demo_vault(tmp_path)
    doc = render(build_report(vault, tz=PERSONA.timezone, all_evidence=True), "json")
    kinds = {what for needle, what in needles().items() if found(needle, doc)}
    assert {"name", "part of a name", "phone", "e-mail", "child's name", "birthday", "home coordinate",
            "IP address"} <= kinds, kinds


@pytest.mark.parametrize("fmt", FORMATS)
def test_redacted_demo_report_holds_nothing_the_persona_knows(redacted, fmt):
    doc = redacted[fmt]
    leaks = sorted({(what, needle) for needle, what in needles().items() if found(needle, doc)})
    assert leaks == [], leaks


def test_redaction_leaves_datavaults_own_words_whole(tmp_path):
    """Pages and organisations are no person: "GMB Union" goes whole, so "Trade-union membership" is no
    "Trade-Contact 12 membership"; a note in brackets ("Mrs Patel (Little Acorns)") gives no name words."""
    vault, _ = build_demo_vault(tmp_path)
    plain = build_report(vault, tz=PERSONA.timezone)
    redacted = build_report(vault, tz=PERSONA.timezone, redact=True)
    assert [f["title"] for f in redacted["findings"]] == [f["title"] for f in plain["findings"]]
    assert [f["rule"] for f in redacted["findings"]] == [f["rule"] for f in plain["findings"]]
    text = render(redacted, "text")
    assert "Trade-union membership" in text
    assert not re.search(r"(?i)(trade|clinic|little|hyde park)[ -]contact \d", text)
    assert "[page 1]" in text  # GMB Union, whole


def test_phones_in_any_spelling_are_one_token():
    """libphonenumber's matcher: national and international spellings of one number are one "[phone N]"."""
    from datavault.redact import Redactor

    r = Redactor(["Jordan Lee"], ["Sam Rivera"])
    r.region = "DE"
    out = r.text("Ruf an: 0151 23456789 oder +49 151 23456789, +49 (151) 234-56789; Büro 030/1234567")
    assert out == "Ruf an: [phone 1] oder [phone 1], [phone 1]; Büro [phone 2]", out
    r.region = "GB"
    assert r.text("ring 07700 900201 or +44 7700 900201") == "ring [phone 3] or [phone 3]"  # a third number
    assert r.text("on 2024-03-04 at 18:00-08:00, 916 hours") == "on 2024-03-04 at 18:00-08:00, 916 hours"
