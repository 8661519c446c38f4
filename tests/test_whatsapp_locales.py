"""Every language of the locale table (importers/whatsapp_locales.toml): a chat is built from the table's own
strings, once as an Android export and once as an iOS export, and every string must come out as its kind.

The table is the single source of the words; these tests check that the parser reads every one of them the
way the table says (and that nothing in it is mistaken for something else, e.g. a community notice for an
"added" line). They cannot tell whether WhatsApp really writes a string: see the sources noted in the table.
"""

from __future__ import annotations

import pytest

from datavault.records import Message
from datavault.importers import whatsapp_lexicon as L
from tests.test_whatsapp import parsed

LRM = "\u200e"
FILL = {"{A}": "Ana", "{B}": "Ben", "{G}": '"Trip"', "{*}": "Tap to learn more.", "{F}": "0001-PHOTO.jpg"}
# table kind -> (message kind, system event or None, edited)
BODY = {
    "media_omitted": "media", "contact_card": "contact", "view_once": "media", "attached": "media",
    "file_attached": "media", "deleted_other": "deleted", "deleted_self": "deleted",
    "missed_voice_call": "call", "missed_video_call": "call", "location": "location",
    "live_location": "location", "poll": "poll",
}
KINDS = (*BODY, "edited", *L.SYSTEM_KINDS)


def fill(text: str) -> str:
    for key, value in FILL.items():
        text = text.replace(key, value)
    return text


def body(kind: str, text: str) -> str:
    """A message body for one string of the table."""
    if kind == "location":
        return text + "https://maps.google.com/?q=51.5,-0.1"
    if kind == "poll":
        return text + "\nWhere to?\nOPTION: Beach (1 vote)"
    if kind == "edited":
        return f"see you {LRM}<{text}>"
    if kind == "encryption":
        return text + ". Tap to learn more."
    return fill(text)


def cases(code: str) -> list[tuple[str, str, str, str | None, bool]]:
    """(table kind, body, expected kind, expected event, expected edited) for every string of one language."""
    locale = L.LOCALES[code]
    out = []
    for kind in KINDS:
        for text in locale.get(kind, ()):
            if kind in BODY:
                out.append((kind, body(kind, text), BODY[kind], None, False))
            elif kind == "edited":
                out.append((kind, body(kind, text), "text", None, True))
            else:
                out.append((kind, body(kind, text), "system", L.SYSTEM_KINDS[kind], False))
    return out


def outcome(message: Message) -> tuple[str, str | None, bool]:
    return message.kind, (message.extra or {}).get("event"), message.edited


LANGUAGES = sorted(L.LOCALES)


def test_the_table_covers_forty_languages_and_notes_sources():
    assert len(LANGUAGES) >= 40
    for code, locale in L.LOCALES.items():
        assert locale["name"] and "default" in locale["src"], code
        unknown = set(locale) - {"name", "src", "day_am", "day_pm", "file_prefixes", "file_names", *KINDS}
        assert not unknown, (code, unknown)  # a misspelt kind would be silently unused
        assert set(locale["src"]) - {"default"} <= set(locale) - {"name", "src"}, code
        assert {"media_omitted", "deleted_other"} & set(locale), code


@pytest.mark.parametrize("code", LANGUAGES)
def test_android_chat_in_every_language(tmp_path, code):
    expected = cases(code)
    lines = ["01/02/2020, 09:00 - Ana: hello"]
    for i, (kind, text, *_rest) in enumerate(expected):
        stamp = f"01/02/2020, {10 + i // 60:02d}:{i % 60:02d} - "
        # Android: system lines have no author; everything else is written by someone
        lines.append(stamp + (text if kind in L.SYSTEM_KINDS else f"Ana: {text}"))
    items = [m for m in parsed(tmp_path, f"WhatsApp Chat with Ana {code}.txt", "\n".join(lines) + "\n")
             if isinstance(m, Message)]
    assert [outcome(m) for m in items[1:]] == [(k, e, ed) for _, _, k, e, ed in expected]
    senders = [m.sender for m in items[1:]]
    assert senders == [None if kind in L.SYSTEM_KINDS else "Ana" for kind, *_ in expected]


@pytest.mark.parametrize("code", LANGUAGES)
def test_ios_chat_in_every_language(tmp_path, code):
    expected = cases(code)
    lines = ["[01/02/2020, 09:00:00] Ana: hello"]
    for i, (kind, text, *_rest) in enumerate(expected):
        stamp = f"[01/02/2020, {10 + i // 60:02d}:{i % 60:02d}:00] "
        # iOS: system lines carry the group's name as author, WhatsApp's own texts start with U+200E
        author = "Trip" if kind in L.SYSTEM_KINDS else "Ana"
        lines.append(LRM + stamp + f"{author}: " + (text if kind == "edited" else LRM + text))
    items = [m for m in parsed(tmp_path, "_chat.txt", "\r\n".join(lines) + "\r\n") if isinstance(m, Message)]
    assert [outcome(m) for m in items[1:]] == [(k, e, ed) for _, _, k, e, ed in expected]


def test_figures_per_language():
    """The README's conformance figures: how many kinds each language's table covers (all of them tested
    above, in an Android and an iOS chat)."""
    covered = {code: sum(1 for kind in KINDS if L.LOCALES[code].get(kind)) for code in LANGUAGES}
    assert covered["en"] == len(KINDS) and covered["de"] == len(KINDS)
    assert sum(1 for n in covered.values() if n >= 20) >= 11


def test_a_system_line_is_the_first_pattern_that_matches_it_whole():
    """``system_subtype`` matches one alternation of every system pattern: its answer must be that of trying
    the patterns one by one, in order (the most specific first), for every phrase of every language and for
    lines that several patterns match or none does."""
    import re

    one_by_one = [(subtype, re.compile(f"(?:{pattern.replace('{A}', L._A).replace('{Q}', L._Q)})", re.DOTALL))
                  for subtype, pattern in L._SYSTEM]

    def first(line: str) -> str | None:
        return next((subtype for subtype, pattern in one_by_one if pattern.fullmatch(line)), None)

    lines = [fill(text) + tail for locale in L.LOCALES.values() for kind in L.SYSTEM_KINDS
             for text in locale.get(kind, ()) for tail in ("", ".", " x", "\nmore")]
    lines += ['Ana added this group to the community "Trip"', "Ana added Ben", "Ana: Ana added Ben",
              "I added sugar", "You deleted this message", "", "Ana left"]
    answers = [L.system_subtype(line) for line in lines]
    assert answers == [first(line) for line in lines]
    assert L.system_subtype('Ana added this group to the community "Trip"') == "community"
    assert {"member_added", "member_left", "group_created", "encryption", None} <= set(answers)
