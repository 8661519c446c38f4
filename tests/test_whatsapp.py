"""The WhatsApp importer against fixtures written for this project, one per variant of the real exports
(../shared/formats/WHATSAPP.md). Invisible characters are spelled out as escapes so the fixture says what it
tests: U+200E (LRM), U+00A0 (NBSP), U+202F (NNBSP), U+FEFF (BOM), U+200D (ZWJ)."""

from __future__ import annotations

from pathlib import Path

import pytest

from datavault.pipeline import import_paths
from tests.conftest import exported, write_text, write_zip

LRM, NBSP, NNBSP, ZWJ = "\u200e", "\u00a0", "\u202f", "\u200d"


def brief(records: list[dict]) -> list[tuple]:
    return [(r["time"], r["sender"], r["kind"], r["text"]) for r in records]


# --- the whole record, exactly -------------------------------------------------------------------------------

def test_android_chat_exact_records(import_text):
    records = import_text(
        "12/07/2017, 22:35 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
        "WhatsApp, can read or listen to them. Tap to learn more.\n"
        "12/07/2017, 22:36 - Ana: Hola! 👩" + ZWJ + "💻\n"
        "13/07/2017, 09:12 - Sam: first line\n"
        "\n"
        "third line: with a colon\n"
        "13/07/2017, 09:13 - Sam: <Media omitted>\n", me="Sam")
    assert records == [
        {"time": "2017-07-12T22:35:00", "platform": "whatsapp", "conversation": "Ana", "sender": None,
         "from_owner": None, "text": "Messages and calls are end-to-end encrypted. No one outside of this chat, "
         "not even WhatsApp, can read or listen to them. Tap to learn more.", "kind": "system", "edited": False,
         "source_file": "WhatsApp Chat with Ana.txt", "locator": "line 1"},
        {"time": "2017-07-12T22:36:00", "platform": "whatsapp", "conversation": "Ana", "sender": "Ana",
         "from_owner": False, "text": "Hola! 👩\u200d💻", "kind": "text", "edited": False,
         "source_file": "WhatsApp Chat with Ana.txt", "locator": "line 2"},
        {"time": "2017-07-13T09:12:00", "platform": "whatsapp", "conversation": "Ana", "sender": "Sam",
         "from_owner": True, "text": "first line\n\nthird line: with a colon", "kind": "text", "edited": False,
         "source_file": "WhatsApp Chat with Ana.txt", "locator": "line 3"},
        {"time": "2017-07-13T09:13:00", "platform": "whatsapp", "conversation": "Ana", "sender": "Sam",
         "from_owner": True, "text": "<Media omitted>", "kind": "media", "edited": False,
         "source_file": "WhatsApp Chat with Ana.txt", "locator": "line 6"},
    ]


def test_ios_chat_exact_records(import_text):
    records = import_text(
        "[1/29/18, 12:24:03 PM] Team: " + LRM + "Messages and calls are end-to-end encrypted.\r\n"
        + LRM + "[1/29/18, 12:25:10 PM] Ana: " + LRM + "image omitted\r\n"
        "[1/29/18, 1:02:00 PM] Sam: An edited message " + LRM + "<This message was edited>\r\n"
        "[1/30/18, 9:00:00 AM] Sam: " + LRM + "You deleted this message.\r\n",
        name="_chat.txt")
    assert brief(records) == [
        ("2018-01-29T12:24:03", "Team", "system", LRM + "Messages and calls are end-to-end encrypted."),
        ("2018-01-29T12:25:10", "Ana", "media", LRM + "image omitted"),
        ("2018-01-29T13:02:00", "Sam", "text", "An edited message"),
        ("2018-01-30T09:00:00", "Sam", "deleted", LRM + "You deleted this message."),
    ]
    assert [r["edited"] for r in records] == [False, False, True, False]
    # "You deleted this message" under Sam's name: Sam is the owner
    assert [r["from_owner"] for r in records] == [None, False, True, True]


# --- header variants ----------------------------------------------------------------------------------------

VARIANTS = [
    # (what, first header line's prefix, expected time)
    ("android 24h dmy slash", "20/01/2019, 13:05 - ", "2019-01-20T13:05:00"),
    ("android mdy 2-digit year", "1/20/19, 1:05 PM - ", "2019-01-20T13:05:00"),
    ("android lower-case am/pm with NNBSP", f"01/20/2019, 1:05{NNBSP}pm - ", "2019-01-20T13:05:00"),
    ("android NBSP a. m. with NBSP inside", f"20/1/2019 1:05 p.{NBSP}m. - ", "2019-01-20T13:05:00"),
    ("spanish a. m. with NNBSP", f"20/1/19, 12:05{NNBSP}a.{NNBSP}m. - ", "2019-01-20T00:05:00"),
    ("dotted german date", "20.01.19, 13:05 - ", "2019-01-20T13:05:00"),
    ("german day period nachm.", "20.01.19, 1:05 nachm. - ", "2019-01-20T13:05:00"),
    ("german day period vorm.", "20.01.19, 9:05 vorm. - ", "2019-01-20T09:05:00"),
    ("german abends", "20.01.19, 9:05 abends - ", "2019-01-20T21:05:00"),
    ("dashes, year first", "2019-01-20, 13:05 - ", "2019-01-20T13:05:00"),
    ("year first slashes, iOS", "[2019/01/20, 13:05:09] ", "2019-01-20T13:05:09"),
    ("finnish klo and dot time", "20.1.2019 klo 13.05 - ", "2019-01-20T13:05:00"),
    ("french à", "20/01/2019 à 13:05 - ", "2019-01-20T13:05:00"),
    ("german um", "20.01.19 um 13:05 - ", "2019-01-20T13:05:00"),
    ("indonesian dot time no comma", "20/01/19 13.05 - ", "2019-01-20T13:05:00"),
    ("iOS seconds, 4-digit year", "[20.01.2019, 13:05:09] ", "2019-01-20T13:05:09"),
    ("iOS with LRM before bracket", LRM + "[20/01/2019, 13:05:09] ", "2019-01-20T13:05:09"),
    ("iOS dashes no comma", "[20-01-19 13:05:09] ", "2019-01-20T13:05:09"),
    ("legacy iOS colon", "20.01.19, 13:05:09: ", "2019-01-20T13:05:09"),
    ("space after date separator", "20. 1. 2019. 13:05:09 - ", "2019-01-20T13:05:09"),
    ("trailing dot after time", "2019/01/20, 13:05. - ", "2019-01-20T13:05:00"),
]


@pytest.mark.parametrize("what,prefix,time", VARIANTS, ids=[v[0] for v in VARIANTS])
def test_header_variants(import_text, what, prefix, time):
    records = import_text(f"{prefix}Ana: Hello there\nsecond line\n")
    assert brief(records) == [(time, "Ana", "text", "Hello there\nsecond line")]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_line_endings_and_bom(import_text, ending):
    lines = ["\ufeff12/07/2017, 22:35 - Ana: one", "two", "", "12/07/2017, 22:36 - Sam: three"]
    records = import_text(ending.join(lines) + ending)
    assert brief(records) == [("2017-07-12T22:35:00", "Ana", "text", "one\ntwo\n"),
                              ("2017-07-12T22:36:00", "Sam", "text", "three")]


def test_day_month_order_from_file_order(import_text, vault):
    # no field above 12: only day-first keeps these in file order (month-first would jump Jan -> Mar -> Feb)
    records = import_text("01/02/2020, 10:00 - Ana: a\n03/02/2020, 10:00 - Ana: b\n02/03/2020, 10:00 - Ana: c\n")
    assert [r["time"][:10] for r in records] == ["2020-02-01", "2020-02-03", "2020-03-02"]
    from datavault.inventory import read_inventory
    note = read_inventory(vault)["sources"][0]["files"][0]["detail"]["notes"]["date_order"]
    assert note == {"order": "day-month-year", "basis": "day-first keeps the messages in file order"}


def test_month_first_settled_late_in_file(import_text, vault):
    lines = [f"0{m}/0{d}/21, 9:00 AM - Ana: m{m}d{d}" for m in (1, 2) for d in (1, 2)]
    lines.append("02/25/21, 9:00 AM - Ana: late evidence")
    records = import_text("\n".join(lines) + "\n")
    assert [r["time"][:10] for r in records] == ["2021-01-01", "2021-01-02", "2021-02-01", "2021-02-02",
                                                 "2021-02-25"]
    from datavault.inventory import read_inventory
    note = read_inventory(vault)["sources"][0]["files"][0]["detail"]["notes"]["date_order"]
    assert note["order"] == "month-day-year" and "line 5" in note["basis"]


# --- bodies ---------------------------------------------------------------------------------------------------

SYSTEM_LINES = [
    "Ana created group \"Trip\"", "Ana added Ben", "You were added", "Ben left", "Ana removed Ben",
    "Ben joined using this group's invite link", "Ana changed the subject from \"A\" to \"Re: plans\"",
    "Ana changed this group's icon", "Your security code with Ben changed. Tap to learn more.",
    "Ben changed their phone number to a new number. Tap to message or add the new number.",
    "Ana turned on disappearing messages. New messages will disappear from this chat 7 days after they're sent.",
    # German
    "Ana hat Ben hinzugefügt.", "Ben hat die Gruppe verlassen.", "Du hast die Gruppe „Ausflug“ erstellt.",
    "Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb dieses Chats kann sie lesen.",
    # Spanish
    "Ana añadió a Ben", "Ben salió del grupo", "Ana creó el grupo \"Viaje\"", "Ben se unió usando el enlace de invitación de este grupo",
    # French
    "Ana a ajouté Ben", "Ben est parti", "Ana a créé le groupe « Voyage »",
    "Les messages envoyés dans cette discussion et les appels sont désormais protégés avec le chiffrement de bout en bout.",
    # Portuguese
    "Ana adicionou Ben", "Ben saiu", "Ana criou o grupo \"Viagem\"", "Ana mudou o assunto de \"A\" para \"B\"",
]


def test_system_lines_in_five_languages(import_text):
    content = "".join(f"01/02/2020, 10:{i:02d} - {line}\n" for i, line in enumerate(SYSTEM_LINES))
    content += "01/02/2020, 11:00 - Ana: I added sugar\n01/02/2020, 11:01 - Ben: Ana added me to the list\n"
    records = import_text(content)
    assert [(r["kind"], r["sender"]) for r in records[:-2]] == [("system", None)] * len(SYSTEM_LINES)
    assert [r["text"] for r in records[:-2]] == SYSTEM_LINES
    assert brief(records[-2:]) == [("2020-02-01T11:00:00", "Ana", "text", "I added sugar"),
                                   ("2020-02-01T11:01:00", "Ben", "text", "Ana added me to the list")]


def test_special_messages_kinds(import_text):
    bodies = {
        "<Media omitted>": "media", "IMG-20210428-WA0001.jpg (file attached)": "media",
        "<attached: 00000042-PHOTO-2020-06-07-15-13-20.jpg>": "media", "<Anhang: 0009-PHOTO.jpg>": "media",
        "Bild weggelassen": "media", "imagen omitida": "media", "<Multimedia omitido>": "media",
        "Contact card omitted": "contact", "Ana.vcf (file attached)": "contact",
        "This message was deleted": "deleted", "Diese Nachricht wurde gelöscht.": "deleted",
        "Missed voice call": "call", "Video call, " + LRM + "5 min": "call", "null": "call",
        "location: https://maps.google.com/?q=51.513767,-0.098266": "location",
        "Standort: https://maps.google.com/?q=52.52,13.40": "location", "live location shared": "location",
        "Voice calls are expensive": "text", "my location: home": "text",
    }
    content = "".join(f"[01/02/2020, 10:{i:02d}:00] Ana: {body}\n" for i, body in enumerate(bodies))
    records = import_text(content)
    assert [(r["text"], r["kind"]) for r in records] == list(bodies.items())


def test_poll_and_location_details(tmp_path, vault):
    path = write_text(tmp_path, "_chat.txt",
                      "[2020-11-01, 12:00:11] Ana: " + LRM + "POLL:\nWhere to?\n" + LRM + "OPTION: Beach (1 vote)\n"
                      + LRM + "OPTION: Hills (2 votes)\n"
                      "[2020-11-01, 12:01:00] Ana: " + LRM + "Location: https://maps.google.com/?q=-33.86,151.21\n")
    import_paths(vault, [path])
    from sqlalchemy import text

    from datavault.store import Vault
    with Vault.open(vault) as v, v.reading() as conn:
        extras = [row[0] for row in conn.execute(text("SELECT extra FROM rec_messages ORDER BY id"))]
    import json
    poll, location = (json.loads(e) for e in extras)
    assert poll["poll"] == {"question": "Where to?", "options": [{"option": "Beach", "votes": 1},
                                                                 {"option": "Hills", "votes": 2}]}
    assert (location["lat"], location["lon"]) == (-33.86, 151.21)


def test_identical_lines_both_count_and_reimport_adds_nothing(tmp_path, vault):
    path = write_text(tmp_path, "chat.txt", "01/02/2020, 10:00 - Ana: ok\n01/02/2020, 10:00 - Ana: ok\n")
    import_paths(vault, [path])
    again = import_paths(vault, [path])
    assert len(exported(vault, "messages")) == 2
    assert again.sources[0].new_records == {} and again.sources[0].already_imported


def test_overlapping_later_export_adds_only_new(tmp_path, vault):
    first = write_text(tmp_path / "a", "WhatsApp Chat with Ana.txt",
                       "01/02/2020, 10:00 - Ana: one\n01/02/2020, 10:01 - Sam: two\n")
    later = write_text(tmp_path / "b", "WhatsApp Chat with Ana.txt",
                       "01/02/2020, 10:00 - Ana: one\n01/02/2020, 10:01 - Sam: two\n02/02/2020, 08:00 - Ana: three\n")
    import_paths(vault, [first])
    result = import_paths(vault, [later])
    assert result.sources[0].new_records == {"messages": 1}
    assert [r["text"] for r in exported(vault, "messages")] == ["one", "two", "three"]


def test_text_is_kept_exactly(import_text):
    text = "Ame\u0301lie ﬁ café  ✌🏽 👨\u200d👩\u200d👧 \u202eevil\u202c trailing  "
    records = import_text(f"01/02/2020, 10:00 - Ana: {text}\n")
    assert records[0]["text"] == text


def test_tz_turns_wall_clock_into_instants(import_text):
    records = import_text("01/07/2020, 14:00 - Ana: summer\n01/12/2020, 14:00 - Ana: winter\n", tz="Europe/Berlin")
    assert [r["time"] for r in records] == ["2020-07-01T12:00:00Z", "2020-12-01T13:00:00Z"]


# --- containers and owner -------------------------------------------------------------------------------------

def test_zip_with_media_and_missing_attachment(tmp_path, vault):
    archive = write_zip(tmp_path / "WhatsApp Chat - Trip.zip", {
        "_chat.txt": "[01/02/2020, 10:00:00] Ana: " + LRM + "<attached: 0001-PHOTO.jpg>\n"
                     "[01/02/2020, 10:01:00] Ana: " + LRM + "<attached: 0002-PHOTO.jpg>\n",
        "0001-PHOTO.jpg": b"\xff\xd8\xff",
    })
    result = import_paths(vault, [archive])
    source = result.sources[0]
    assert source.statuses == {"parsed": 1, "skipped": 1}
    assert [(r["conversation"], r["kind"]) for r in exported(vault, "messages")] == [("Trip", "media")] * 2
    from datavault.inventory import read_inventory
    problems = read_inventory(vault)["sources"][0]["problems"]
    assert problems == [{"member": "_chat.txt", "locator": None, "severity": "warning",
                         "message": "1 attachment(s) named in the chat are not in the archive (first: 0002-PHOTO.jpg)"}]


def test_owner_is_the_sender_present_in_every_chat(tmp_path, vault):
    one = write_text(tmp_path, "WhatsApp Chat with Book club.txt",
                     "01/02/2020, 10:00 - Sam: hi\n01/02/2020, 10:01 - Ana: hello\n")
    two = write_text(tmp_path, "WhatsApp Chat with Climbing.txt",
                     "01/02/2020, 10:00 - Ben: up?\n01/02/2020, 10:01 - Sam: yes\n")
    result = import_paths(vault, [one, two])
    owners = {(r["sender"], r["from_owner"]) for r in exported(vault, "messages")}
    assert owners == {("Sam", True), ("Ana", False), ("Ben", False)}
    assert result.sources[0].notes["owner"][0]["basis"] == "the only sender present in all 2 chats"


def test_possibly_truncated_export_is_flagged(tmp_path, vault):
    lines = "".join(f"01/02/2020, {i // 60 % 24:02d}:{i % 60:02d} - Ana: m{i}\n" for i in range(39_500))
    import_paths(vault, [write_text(tmp_path, "chat.txt", lines)])
    from datavault.inventory import read_inventory
    source = read_inventory(vault)["sources"][0]
    assert source["files"][0]["detail"]["notes"]["possibly_truncated"] is True
    assert any("probably missing" in p["message"] for p in source["problems"])


# --- bad input -----------------------------------------------------------------------------------------------

def test_not_utf8_lines_are_kept_and_reported(tmp_path, vault):
    path = tmp_path / "chat.txt"
    path.write_bytes(b"01/02/2020, 10:00 - Ana: caf\xe9\n01/02/2020, 10:01 - Ana: fine\n")
    import_paths(vault, [path])
    assert [r["text"] for r in exported(vault, "messages")] == ["café", "fine"]
    from datavault.inventory import read_inventory
    assert read_inventory(vault)["sources"][0]["problems"][0]["message"].startswith("1 line(s) are not valid UTF-8")


def test_five_megabyte_line(import_text):
    long = "x" * (5 * 1024 * 1024)
    records = import_text(f"01/02/2020, 10:00 - Ana: {long}\n01/02/2020, 10:01 - Ana: after\n")
    assert [len(r["text"]) for r in records] == [len(long), 5]


def test_invalid_date_is_reported_not_fatal(import_text, vault):
    records = import_text("31/01/2020, 10:00 - Ana: ok\n31/02/2020, 10:00 - Ana: no such day\n")
    assert brief(records) == [("2020-01-31T10:00:00", "Ana", "text", "ok")]
    from datavault.inventory import read_inventory
    assert read_inventory(vault)["sources"][0]["problems"][0]["locator"] == "line 2"


def test_zip_with_several_chats_and_a_hostile_name(tmp_path, vault):
    archive = write_zip(tmp_path / "chats.zip", {
        "WhatsApp Chat with Ana.txt": "01/02/2020, 10:00 - Ana: one\n",
        "WhatsApp Chat with Ben.txt": "01/02/2020, 10:00 - Ben: two\n",
        "../../x.txt": "01/02/2020, 10:00 - Eve: escaped?\n",
        "notes.txt": "just some notes\n",
    })
    result = import_paths(vault, [archive])
    assert result.sources[0].statuses == {"parsed": 3, "unknown": 1}
    assert sorted(r["conversation"] for r in exported(vault, "messages")) == ["Ana", "Ben", "x"]
    assert not (tmp_path.parent / "x.txt").exists() and not Path("x.txt").exists()


def test_chat_participants_become_people(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Climbing.txt",
                      "01/02/2020, 10:00 - Sam: up?\n01/02/2020, 10:01 - +44 7700\u00a0900123: yes\n"
                      "02/02/2020, 09:00 - Ana: me too\n")
    import_paths(vault, [chat], me="Sam")
    people = exported(vault, "people")
    assert all(p.pop("person").startswith("p") for p in people)  # the linked person (datavault/people.py)
    assert people == [
        {"name": "+44 7700\u00a0900123", "platform": "whatsapp", "relation": "chat_participant",
         "since": "2020-02-01T10:01:00", "phones": ["+447700900123"], "emails": [],
         "source_file": "WhatsApp Chat with Climbing.txt"},
        {"name": "Ana", "platform": "whatsapp", "relation": "chat_participant", "since": "2020-02-02T09:00:00",
         "phones": [], "emails": [], "source_file": "WhatsApp Chat with Climbing.txt"},
    ]


# --- reading fast and marking the owner while reading -----------------------------------------------------------

def parsed(tmp_path: Path, name: str, content: str, me: str | None = None) -> list:
    """Everything the importer yields for one chat file, without a vault."""
    from datavault.archive import open_inputs
    from datavault.importer import ImportContext
    from datavault.importers.whatsapp import IMPORTER

    archive = open_inputs([write_text(tmp_path / "parsed", name, content)])[0]
    try:
        ctx = ImportContext(archive_name=archive.label, names=archive.names, me=me)
        return list(IMPORTER.parse(archive.members()[0], ctx))
    finally:
        archive.close()


def marks(items: list) -> list[tuple]:
    from datavault.records import Message

    return [(m.sender, m.from_owner) for m in items if isinstance(m, Message)]


def decision(items: list):
    from datavault.records import OwnerDecision

    found = [i for i in items if isinstance(i, OwnerDecision)]
    assert len(found) <= 1
    return found[0] if found else None


def chat_lines(*messages: str) -> str:
    return "".join(f"01/02/2021, 10:{i:02d} - {m}\n" for i, m in enumerate(messages))


@pytest.fixture
def hold(monkeypatch):
    """How many items the parser holds back at the start until it may know the owner (5,000 by default)."""
    import datavault.importers.whatsapp as whatsapp

    def set_hold(n: int) -> None:
        monkeypatch.setattr(whatsapp, "_OWNER_HOLD", n)

    return set_hold


ONE_TO_ONE = chat_lines("Messages and calls are end-to-end encrypted. No one outside of this chat can read them.",
                        "Bob: hi", "Bob: there", "Ana: yo", "Bob: ok")


@pytest.mark.parametrize("held", [5_000, 0])
def test_one_to_one_chat_is_marked_while_reading(tmp_path, vault, hold, held):
    hold(held)
    items = parsed(tmp_path, "WhatsApp Chat with Ana.txt", ONE_TO_ONE)
    if held:  # the first messages waited for Ana: every message is marked, nothing is left to rewrite
        assert marks(items) == [(None, None), ("Bob", True), ("Bob", True), ("Ana", False), ("Bob", True)]
        assert decision(items).settled and not decision(items).overwrite
    else:  # read before Ana wrote: left unmarked, the plain decision marks them
        assert marks(items) == [(None, None), ("Bob", None), ("Bob", None), ("Ana", False), ("Bob", True)]
        assert not decision(items).settled and not decision(items).overwrite
    assert decision(items).sender == "Bob"
    assert decision(items).basis == "1:1 chat named after Ana; the other sender is the owner"
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", ONE_TO_ONE)])
    assert [(r["sender"], r["from_owner"]) for r in exported(vault, "messages")] == [
        (None, None), ("Bob", True), ("Bob", True), ("Ana", False), ("Bob", True)]


def test_group_named_like_a_person_withdraws_its_tentative_owner(tmp_path, vault, hold):
    hold(2)  # Cid writes after the first items were let go, marked by the tentative owner Bob
    text = chat_lines("Bob: hi", "Ana: yo", "Bob: ok", "Cid: me too", "Ana: bye")
    items = parsed(tmp_path, "WhatsApp Chat with Ana.txt", text)
    assert marks(items) == [("Bob", True), ("Ana", False), ("Bob", True), ("Cid", None), ("Ana", None)]
    final = decision(items)
    assert final.overwrite and final.sender is None
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", text)])
    assert {r["from_owner"] for r in exported(vault, "messages")} == {None}
    from datavault.inventory import read_inventory
    notes = read_inventory(vault)["sources"][0]["notes"]
    assert notes["owner"] == [{"sender": None, "basis": "undecided: 3 senders in a chat named after Ana",
                               "conversation": "Ana"}]
    assert notes["owner_unknown"] == "no single sender is present in every chat; use --me NAME"  # as before


def test_group_named_like_a_person_held_whole_is_never_marked(tmp_path, hold):
    text = chat_lines("Bob: hi", "Ana: yo", "Bob: ok", "Cid: me too", "Ana: bye")
    items = parsed(tmp_path, "WhatsApp Chat with Ana.txt", text)
    assert {owner for _, owner in marks(items)} == {None}
    assert decision(items) is None  # as before: no owner, nothing withdrawn


def test_withdrawn_owner_lets_the_other_chats_decide(tmp_path, vault, hold):
    hold(1)
    group = write_text(tmp_path, "WhatsApp Chat with Ana.txt", chat_lines("Bob: hi", "Ana: yo", "Cid: me too"))
    other = write_text(tmp_path, "WhatsApp Chat with Climbing.txt", chat_lines("Dee: up?", "Cid: yes"))
    import_paths(vault, [group, other])
    owners = {(r["conversation"], r["sender"], r["from_owner"]) for r in exported(vault, "messages")}
    assert owners == {("Ana", "Bob", False), ("Ana", "Ana", False), ("Ana", "Cid", True),
                      ("Climbing", "Dee", False), ("Climbing", "Cid", True)}


@pytest.mark.parametrize("held", [5_000, 0])
def test_owner_who_deleted_a_message_is_marked(tmp_path, vault, hold, held):
    hold(held)
    text = chat_lines("Bob: hi", "Cid: hey", "Cid: You deleted this message", "Bob: ok")
    items = parsed(tmp_path, "WhatsApp Chat with Family.txt", text)
    expected = [("Bob", False), ("Cid", True), ("Cid", True), ("Bob", False)]
    assert marks(items) == (expected if held else [("Bob", None), ("Cid", None), ("Cid", True), ("Bob", False)])
    assert (decision(items).sender, decision(items).settled) == ("Cid", bool(held))
    assert decision(items).basis == "Cid wrote “You deleted this message”"
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Family.txt", text)])
    assert [(r["sender"], r["from_owner"]) for r in exported(vault, "messages")] == expected


def test_deletion_by_the_owner_overrules_the_tentative_owner(tmp_path, vault, hold):
    hold(2)
    text = chat_lines("Bob: hi", "Ana: yo", "Bob: ok", "Ana: You deleted this message")
    items = parsed(tmp_path, "WhatsApp Chat with Ana.txt", text)
    assert marks(items) == [("Bob", True), ("Ana", False), ("Bob", True), ("Ana", True)]
    assert decision(items).overwrite and decision(items).sender == "Ana"
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", text)])
    assert [(r["sender"], r["from_owner"]) for r in exported(vault, "messages")] == [
        ("Bob", False), ("Ana", True), ("Bob", False), ("Ana", True)]


def test_me_marks_every_message_and_decides_nothing_more(tmp_path, vault):
    items = parsed(tmp_path, "WhatsApp Chat with Ana.txt", ONE_TO_ONE, me="Ana")
    assert marks(items) == [(None, None), ("Bob", False), ("Bob", False), ("Ana", True), ("Bob", False)]
    assert decision(items) is None
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", ONE_TO_ONE)], me="Ana")
    assert [(r["sender"], r["from_owner"]) for r in exported(vault, "messages")] == marks(items)


def test_cr_only_file_and_line_separators_inside_messages(import_text, monkeypatch):
    import datavault.importers.whatsapp as whatsapp

    monkeypatch.setattr(whatsapp, "_READ_BYTES", 7)  # blocks cut inside lines, between CR and LF
    body = "a\u2028b\u2029c\x85d\x0be\x0cf\x1cg"  # str.splitlines would cut all of these
    records = import_text(f"01/02/2021, 10:00 - Ana: {body}\r01/02/2021, 10:01 - Bob: x\r\ry\r")
    assert brief(records) == [("2021-02-01T10:00:00", "Ana", "text", body),
                              ("2021-02-01T10:01:00", "Bob", "text", "x\n\ny")]
    crlf = import_text("01/02/2021, 10:02 - Ana: one\r\ntwo\r\n01/02/2021, 10:03 - Bob: three\r\n")
    assert [r["text"] for r in crlf][-2:] == ["one\ntwo", "three"]


def test_not_utf8_block_and_bom_read_in_small_blocks(tmp_path, vault, monkeypatch):
    import datavault.importers.whatsapp as whatsapp

    monkeypatch.setattr(whatsapp, "_READ_BYTES", 5)
    path = tmp_path / "chat.txt"
    path.write_bytes(b"\xef\xbb\xbf01/02/2020, 10:00 - Ana: caf\xe9\r\n01/02/2020, 10:01 - Ana: fine \xe2\x9c\x8a\r\n")
    import_paths(vault, [path])
    assert [r["text"] for r in exported(vault, "messages")] == ["café", "fine ✊"]


def test_fast_header_reads_as_header_would():
    """Where the fast path's pattern matches, HEADER matches with the same end and fields (random lines)."""
    import random

    from datavault.importers.whatsapp import _DASH_HEADER, _HEAD_START, HEADER

    rng = random.Random(5)
    alphabet = "0123456789" * 3 + "/.-–:, []\u202f\u00a0APMapm\u200e\u0663"
    checked = 0
    for _ in range(40_000):  # headers with a few characters changed, put in or taken out
        line = list(rng.choice(["1/2/21, 9:05 - Ana: x", "12/31/2020, 23:59 - B: y", "01/02/2021, 10:00 -  z"]))
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(line))
            change = rng.randrange(3)
            if change == 0:
                line[at] = rng.choice(alphabet)
            elif change == 1:
                line.insert(at, rng.choice(alphabet))
            else:
                del line[at]
        line = "".join(line)
        fast = _DASH_HEADER.match(line)
        if fast is None:
            continue
        checked += 1
        assert line[0] in _HEAD_START, line  # the slow path tries HEADER only on such lines
        full = HEADER.match(line)
        assert full is not None and full.end() == fast.end(), line
        assert full.group("d1", "d2", "d3", "h", "mi") == (*fast[1].split("/"), *fast[2].split(":")), line
        assert full.group("lead", "br", "joiner", "s", "ap", "sepx", "sep") == ("", None, None, None, None, " - ", "/")
    assert checked > 10_000


def test_fast_path_reports_invalid_dates_and_order_conflicts(import_text, vault):
    records = import_text(chat_lines("Ana: a") + "13/02/2021, 10:00 - Ana: b\n31/02/2021, 10:00 - Ana: no day\n"
                          "01/02/2021, 25:00 - Ana: no hour\n02/13/2021, 10:00 - Ana: the other order\n"
                          "02/13/2021, 10:01 - Ana: again\n")
    assert [r["time"] for r in records] == ["2021-02-01T10:00:00", "2021-02-13T10:00:00", "2021-02-13T10:00:00",
                                            "2021-02-13T10:01:00"]
    from datavault.inventory import read_inventory
    problems = read_inventory(vault)["sources"][0]["problems"]
    assert [p["locator"] for p in problems] == ["line 3", "line 4", "line 5"]
    assert problems[2]["message"].startswith("1 date(s) contradict the file's day-month-year order")


def test_huge_first_messages_are_not_held_back(tmp_path):
    """The items held until the owner is known are bounded by their text too, not only by their number."""
    big = "x" * 4_100_000
    items = parsed(tmp_path, "WhatsApp Chat with Ana.txt", chat_lines(f"Bob: {big}", "Ana: yo", "Bob: ok"))
    assert marks(items) == [("Bob", None), ("Ana", False), ("Bob", True)]
    assert not decision(items).settled  # the first message was let go unmarked: the pipeline marks it


def test_settled_owner_also_decides_an_older_import_of_the_same_chat(tmp_path, vault):
    early = write_text(tmp_path / "early", "WhatsApp Chat with Ana.txt", chat_lines("Bob: hi", "Bob: there"))
    later = write_text(tmp_path / "later", "WhatsApp Chat with Ana.txt", chat_lines("Bob: hi", "Bob: there", "Ana: yo"))
    import_paths(vault, [early])  # Ana has not written yet: no owner, the rows keep from_owner NULL
    import_paths(vault, [later])  # now Bob is the owner; before marking while reading, both old rows learned it
    assert [(r["sender"], r["from_owner"]) for r in exported(vault, "messages")] == [
        ("Bob", True), ("Bob", True), ("Ana", False)]
