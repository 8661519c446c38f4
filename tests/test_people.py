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
