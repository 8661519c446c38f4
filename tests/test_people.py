"""People linking (datavault/people.py): exact persons and reasons for a small multi-platform vault, decisions that
survive a re-import, the export's person field, the report counting each human once, the CLI's JSON."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from datavault.cli import app
from datavault.people import Phones, fold_email, fold_name, list_persons
from datavault.report import build_report
from tests.people_vault import people_records
from tests.vaultkit import make_vault


def run(vault, *args):
    return CliRunner().invoke(app, ["--vault", str(vault), *args])


@pytest.fixture()
def vault(tmp_path):
    return make_vault(tmp_path / "v.sqlite", people_records())


def _persons(vault):
    return {p.id: ([i.key for i in p.identities], p.reasons) for p in list_persons(vault)}


def test_normalising():
    assert fold_name("  JÖRDAN\u00a0 Lee ") == "jordan lee" and fold_name("ﬁona") == "fiona"
    assert fold_email(" Jordan.Lee@Example.ORG") == "jordan.lee@example.org"
    assert Phones("DE").e164("0151 23456789") == Phones(None).e164("+49 151 23456789") == "+4915123456789"
    assert Phones("GB").e164("07700 900123") == "+447700900123"


def test_exact_persons_and_reasons(vault):
    assert sorted(_persons(vault).values()) == sorted([
        (["facebook:jordan lee", "gmail:jordan.lee@example.org", "google:card:4a48910390f14aa8",
          "whatsapp:+4915123456789"],
         ["same phone +49 1512 3456789", "same email jordan.lee@example.org",
          "same name 'Jordan Lee' and both in group chat 'Climbing'"]),
        (["google:card:f6620a94d9d519f2", "whatsapp:alex kim"],
         ["same name 'Alex Kim' on your contact card and as a WhatsApp sender (WhatsApp names senders from the "
          "address book)"]),
        (["facebook:priya shah", "whatsapp:priya shah"], ["same name 'Priya Shah' and both in group chat 'Climbing'"]),
        (["gmail:jlee@bigcorp.example"], []),  # the same-name stranger: a name alone never merges
    ])


def test_export_people_has_the_person(vault):
    rows = [json.loads(line) for line in run(vault, "export", "people").stdout.splitlines()]
    by_name = {}
    for r in rows:
        by_name.setdefault((r["platform"], r["name"]), r["person"])
    jordan = by_name[("whatsapp", "+49 151 23456789")]
    assert by_name[("facebook", "Jordan Lee")] == by_name[("google", "Jordan Lee")] == jordan
    assert by_name[("whatsapp", "Priya Shah")] == by_name[("facebook", "Priya Shah")] != jordan
    csv = run(vault, "export", "people", "--format", "csv").stdout.splitlines()
    assert csv[0].endswith('"person"')


def test_decisions_survive_a_reimport(vault):
    r = run(vault, "people", "split", "whatsapp:priya shah", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["identities"][0]["identity"] == "whatsapp:priya shah"
    stranger = next(p.id for p in list_persons(vault) if p.identities[0].key == "gmail:jlee@bigcorp.example")
    alex = next(p.id for p in list_persons(vault) if p.name == "Alex Kim")
    r = run(vault, "people", "merge", alex, stranger)
    assert r.exit_code == 0, r.output
    before = _persons(vault)
    make_vault(vault, people_records(), label="again")  # the same exports imported once more
    after = _persons(vault)
    assert after == before
    keys = sorted(after.values())
    assert (["whatsapp:priya shah"], []) in keys and (["facebook:priya shah"], []) in keys
    merged = next(v for v in keys if "gmail:jlee@bigcorp.example" in v[0])
    assert merged[0] == ["gmail:jlee@bigcorp.example", "google:card:f6620a94d9d519f2", "whatsapp:alex kim"]
    assert merged[1][-1] == "merged by you: Alex Kim and Jordan Lee"


def test_report_counts_each_human_once(vault):
    f = next(f for f in build_report(vault, tz="UTC")["findings"] if f["id"] == "closest_ties")
    assert f["measures"]["contacts"] == 2  # Jordan (WhatsApp + Messenger) and Alex: not three
    top = f["details"][0]
    assert (top["contact"], top["platform"], top["messages"]) == ("Jordan Lee", "whatsapp, facebook", 120)
    assert [c["platform"] for c in top["chats"]] == ["whatsapp", "facebook"]
    assert '"Jordan Lee" (facebook, messages/inbox/jordanlee_1/message_1.json)' in f["remedy"]


def test_cli_json_and_errors(vault):
    r = run(vault, "people", "--format", "json")
    assert r.exit_code == 0, r.output
    persons = json.loads(r.stdout)["persons"]
    assert persons[0]["name"] == "Jordan Lee" and persons[0]["platforms"] == ["facebook", "gmail", "google",
                                                                              "whatsapp"]
    assert run(vault, "people", "--json").stdout == r.stdout
    assert run(vault, "people", "merge", "nobody", "p0").exit_code == 1
    assert run(vault, "people", "--format", "xml").exit_code == 2
    text = run(vault, "people").stdout
    assert "why: same phone +49 1512 3456789" in text


def test_a_face_named_in_google_photos_joins_the_contact_card_of_that_name_only(tmp_path):
    from datavault.records import Person

    tagged = [Person(name=name, platform="google", relation="tagged", key=("photos-tag", name),
                     source_file="Takeout/Google Photos/Photos from 2024/IMG_1.jpg.json") for name in
              ("Alex Kim", "Priya Shah")]
    persons = _persons(make_vault(tmp_path / "v.sqlite", people_records() + tagged))
    assert (["google:alex kim", "google:card:f6620a94d9d519f2", "whatsapp:alex kim"],
            ["same name 'Alex Kim' on your contact card and as a face you named in Google Photos (Photos offers the "
             "names of your contacts)", "same name 'Alex Kim' on your contact card and as a WhatsApp sender (WhatsApp "
             "names senders from the address book)"]) in persons.values()
    # Priya has no card: the face's name alone does not join her WhatsApp and Facebook person
    assert (["google:priya shah"], []) in persons.values()


def test_the_people_view_has_the_person(vault):
    """Datasette and sqlite3 users see the same person ids as ``export people`` (the SQL view ``people``)."""
    import sqlite3

    exported = [json.loads(line) for line in run(vault, "export", "people").stdout.splitlines()]
    conn = sqlite3.connect(vault)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(people)")]
        viewed = conn.execute("SELECT name, platform, relation, person FROM people ORDER BY rowid").fetchall()
    finally:
        conn.close()
    assert columns == ["name", "platform", "relation", "since", "phones", "emails", "source_file", "person", "ts",
                       "extra"]
    assert sorted(viewed) == sorted((r["name"], r["platform"], r["relation"], r["person"]) for r in exported)
    assert all(person for *_, person in viewed)


def test_the_people_view_works_before_any_linking_and_after_a_forget(tmp_path):
    import sqlite3

    path = make_vault(tmp_path / "v.sqlite", people_records())
    conn = sqlite3.connect(path)
    try:  # nothing linked yet: the view answers, person unknown
        assert conn.execute("SELECT count(*), count(person) FROM people").fetchone() == (7, 0)
    finally:
        conn.close()
    list_persons(path)
    make_vault(path, [people_records()[-1]], label="another")  # a second import, forgotten again
    r = run(path, "forget", "2", "--yes")
    assert r.exit_code == 0, r.output
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*), count(person) FROM people").fetchone() == (7, 0)
    finally:
        conn.close()


def test_person_ids_stay_when_a_new_identity_joins(tmp_path):
    """A later import whose identity sorts before a person's identities (``facebook:big j`` < ``facebook:jordan
    lee``; ``facebook:jay`` < ``gmail:jlee@...``) joins that person: the person keeps its id."""
    from datavault.records import Person

    path = make_vault(tmp_path / "v.sqlite", people_records())
    before = {tuple(keys): pid for pid, (keys, _) in _persons(path).items()}
    jordan = before[("facebook:jordan lee", "gmail:jordan.lee@example.org", "google:card:4a48910390f14aa8",
                     "whatsapp:+4915123456789")]
    stranger = before[("gmail:jlee@bigcorp.example",)]
    make_vault(path, [Person(name="Big J", platform="facebook", relation="contact", phones=["+49 151 23456789"],
                             key=("contact", "Big J")),
                      Person(name="Jay", platform="facebook", relation="contact", emails=["JLEE@bigcorp.example"],
                             key=("contact", "Jay"))], label="B")
    after = {tuple(keys): pid for pid, (keys, _) in _persons(path).items()}
    assert after[("facebook:big j", "facebook:jordan lee", "gmail:jordan.lee@example.org",
                  "google:card:4a48910390f14aa8", "whatsapp:+4915123456789")] == jordan
    assert after[("facebook:jay", "gmail:jlee@bigcorp.example")] == stranger
    unchanged = {keys: pid for keys, pid in before.items() if pid not in (jordan, stranger)}
    assert {keys: after[keys] for keys in unchanged} == unchanged
    # the ids are derived, not stored: a forget (which drops the linking) and a rebuild give them again
    assert run(path, "forget", "2", "--yes").exit_code == 0
    assert {tuple(keys): pid for pid, (keys, _) in _persons(path).items()} == before
    make_vault(path, [Person(name="Big J", platform="facebook", relation="contact", phones=["+49 151 23456789"],
                             key=("contact", "Big J")),
                      Person(name="Jay", platform="facebook", relation="contact", emails=["JLEE@bigcorp.example"],
                             key=("contact", "Jay"))], label="B again")
    assert {tuple(keys): pid for pid, (keys, _) in _persons(path).items()} == after
    # the user's merge of two persons keeps the id of the one seen first; its split gives the rest new ids
    alex = after[("google:card:f6620a94d9d519f2", "whatsapp:alex kim")]
    assert run(path, "people", "merge", stranger, alex).exit_code == 0
    merged = {tuple(keys): pid for pid, (keys, _) in _persons(path).items()}
    assert merged[("facebook:jay", "gmail:jlee@bigcorp.example", "google:card:f6620a94d9d519f2",
                   "whatsapp:alex kim")] == alex


LRM = "\u200e"
GROUP_CHATS = {  # the first line is a system line whose author is the group itself (iOS always, Android at times)
    "WhatsApp Chat - Climbing/_chat.txt":
        f"[12/03/2024, 10:00:00] Climbing: {LRM}Messages and calls are end-to-end encrypted. No one outside of this "
        "chat, not even WhatsApp, can read or listen to them.\n"
        f"[12/03/2024, 10:00:00] Climbing: {LRM}Jordan Lee created group “Climbing”\n"
        f"[12/03/2024, 10:00:01] Climbing: {LRM}Jordan Lee added you\n"
        f"[12/03/2024, 10:02:00] Ana Costa: {LRM}Ana Costa joined using this group's invite link\n"
        "[12/03/2024, 10:05:00] Jordan Lee: Who's in for Saturday?\n"
        "[12/03/2024, 10:06:00] Sam Rivera: Me!\n"
        f"[12/03/2024, 10:07:00] Jordan Lee: {LRM}Jordan Lee changed the subject to “Climbing: Sat”\n"
        # the group's new name holds ": ": its system lines are still the group's
        f"[12/03/2024, 11:00:00] Climbing: Sat: {LRM}Priya Shah joined using this group's invite link\n",
    "WhatsApp Chat - Klettern/_chat.txt":
        f"[12.03.24, 10:00:00] Klettern: {LRM}Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand "
        "außerhalb dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp.\n"
        f"[12.03.24, 10:00:00] Klettern: {LRM}Jordan Lee hat die Gruppe „Klettern“ erstellt.\n"
        f"[12.03.24, 10:00:01] Klettern: {LRM}Jordan Lee hat dich hinzugefügt.\n"
        "[12.03.24, 10:05:00] Jordan Lee: Wer kommt Samstag?\n"
        "[12.03.24, 10:06:00] Sam Rivera: Ich!\n",
    "WhatsApp Chat with Bouldering.txt":
        "12/03/2024, 10:00 - Bouldering: Messages and calls are end-to-end encrypted. No one outside of this chat, "
        "not even WhatsApp, can read or listen to them. Tap to learn more.\n"
        '12/03/2024, 10:00 - Jordan Lee created group "Bouldering"\n'
        '12/03/2024, 10:01 - Jordan Lee changed the subject to "Bouldering: Sun"\n'
        "12/03/2024, 10:05 - Jordan Lee: Who's in?\n"
        "12/03/2024, 10:06 - Sam Rivera: Me\n",
    "WhatsApp-Chat mit Bouldern.txt":
        "12.03.24, 10:00 - Bouldern: Nachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt. Niemand außerhalb "
        "dieses Chats kann sie lesen oder anhören, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.\n"
        '12.03.24, 10:00 - Jordan Lee hat die Gruppe "Bouldern" erstellt.\n'
        '12.03.24, 10:01 - Jordan Lee hat den Betreff zu "Bouldern: So" geändert.\n'
        "12.03.24, 10:05 - Jordan Lee: Wer kommt?\n"
        "12.03.24, 10:06 - Sam Rivera: Ich\n",
}


def test_a_group_and_the_authors_of_system_lines_are_nobody(tmp_path):
    """A WhatsApp group's system lines carry the group's name (or the person concerned) as their author, in
    English and German, iOS and Android: neither the group nor one who only authored system lines (Ana joined,
    never wrote) becomes a person; who wrote is one (Jordan: four messages and his subject change)."""
    import zipfile

    paths = []
    for name, text in GROUP_CHATS.items():
        if "/" in name:
            folder, member = name.split("/")
            path = tmp_path / f"{folder}.zip"
            with zipfile.ZipFile(path, "w") as zf:
                zf.writestr(member, text)
        else:
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    vault = tmp_path / "v.sqlite"
    r = run(vault, "import", *paths, "--me", "Sam Rivera")
    assert r.exit_code == 0, r.output
    assert [(i["identity"], i["messages"]) for p in json.loads(run(vault, "people", "--json").stdout)["persons"]
            for i in p["identities"]] == [("whatsapp:jordan lee", 5)]


def test_the_people_follow_a_corrected_owner(tmp_path):
    """The importer took Ana for the owner of "WhatsApp Chat with Bo" and listed Bo as the participant; when
    `datavault owner` makes Bo the owner, Ana is the person of the chat and Bo (the owner now) is nobody."""
    chat = tmp_path / "WhatsApp Chat with Bo.txt"
    chat.write_text("12/01/2024, 10:00 - Ana: Hi there\n12/01/2024, 10:01 - Bo: Hello Ana\n"
                    "12/01/2024, 10:02 - Ana: How are you?\n12/01/2024, 10:03 - Bo: Fine thanks\n", encoding="utf-8")
    vault = tmp_path / "v.sqlite"

    def identities() -> list[tuple[str, int]]:
        return [(i["identity"], i["messages"]) for p in json.loads(run(vault, "people", "--json").stdout)["persons"]
                for i in p["identities"]]

    assert run(vault, "import", str(chat)).exit_code == 0
    assert identities() == [("whatsapp:bo", 2)]
    assert run(vault, "owner", "1", "--me", "Bo").exit_code == 0
    assert identities() == [("whatsapp:ana", 2)]
    assert run(vault, "owner", "1", "--me", "Ana").exit_code == 0
    assert identities() == [("whatsapp:bo", 2)]
