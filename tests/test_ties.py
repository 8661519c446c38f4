"""Interpersonal findings: declared minimum data (not assessed below it, with the numbers), evidence lines that
are real records (first and latest message of each cited chat), remedies naming the chats and groups."""

from __future__ import annotations

import pytest

from datavault.records import Message
from datavault.report import build_report
from tests.seed import seeded_vault
from tests.ties_vault import chat_records
from tests.vaultkit import make_vault

IDS = ("closest_ties", "metadata_mirror", "association")


@pytest.fixture(scope="module")
def chats(tmp_path_factory) -> dict:
    vault = make_vault(tmp_path_factory.mktemp("ties") / "v.sqlite", chat_records())
    return build_report(vault, tz="UTC")


def _f(report, fid):
    return next(f for f in report["findings"] if f["id"] == fid)


def test_closest_ties_cites_first_and_latest_record_of_each_chat(chats):
    f = _f(chats, "closest_ties")
    assert [(e["time"], e["source_file"], e["locator"], e["excerpt"]) for e in f["evidence"]] == [
        ("2024-03-01T08:00:00", "WhatsApp Chat with Jordan Lee.txt", "line 1",
         "Jordan Lee: 120 messages (60 from you, 60 to you), 25 % at night [first message]"),
        ("2024-03-31T02:00:00", "WhatsApp Chat with Jordan Lee.txt", "line 120",
         "Jordan Lee: 120 messages (60 from you, 60 to you), 25 % at night [latest message]"),
        ("2024-03-01T13:00:00", "WhatsApp Chat with Priya Shah.txt", "line 1",
         "Priya Shah: 30 messages (10 from you, 20 to you), 0 % at night [first message]"),
        ("2024-03-30T13:00:00", "WhatsApp Chat with Priya Shah.txt", "line 30",
         "Priya Shah: 30 messages (10 from you, 20 to you), 0 % at night [latest message]"),
    ]
    assert f["measures"] == {"contacts": 2, "one_to_one_messages": 150, "days": 31, "top3_share": 1.0,
                             "closest_messages": 120, "closest_reciprocity": 1.0}
    # two contacts take 100 % by arithmetic: the share does not count below 5 contacts, 120 < 400 messages
    assert f["strength"] == "weak"
    assert '"Jordan Lee" (whatsapp, WhatsApp Chat with Jordan Lee.txt)' in f["remedy"]
    assert "Upload contacts" in f["remedy"] and "archiv" in f["remedy"]
    assert "100 one-to-one messages over 14 days" in f["rule"]


def test_every_interpersonal_evidence_line_is_a_real_record(chats):
    for fid in IDS:
        f = _f(chats, fid)
        assert f["evidence"], fid
        for e in f["evidence"]:
            assert e["locator"] is not None and e["locator"].startswith("line "), (fid, e)
            assert e["source_file"] and e["time"], (fid, e)


def test_metadata_mirror_evidence_and_remedy(chats):
    f = _f(chats, "metadata_mirror")
    assert [(e["source_file"], e["locator"]) for e in f["evidence"]] == [
        ("WhatsApp Chat with Jordan Lee.txt", "line 1"), ("WhatsApp Chat with Jordan Lee.txt", "line 120"),
        ("WhatsApp Chat with Priya Shah.txt", "line 1"), ("WhatsApp Chat with Priya Shah.txt", "line 30"),
        ("WhatsApp Chat with Green Party Leeds.txt", "line 1"),
        ("WhatsApp Chat with Green Party Leeds.txt", "line 4")]
    assert f["measures"]["own_messages"] == 71 and f["strength"] == "weak"  # 71 own: under the 200 of moderate
    assert '"Jordan Lee" (whatsapp' in f["remedy"]


def test_association_names_the_group_never_a_contact(chats):
    f = _f(chats, "association")
    assert f["sensitive"] == ["politics"]
    assert [(e["source_file"], e["locator"], e["excerpt"]) for e in f["evidence"]] == [
        ("WhatsApp Chat with Green Party Leeds.txt", "line 4", "Green Party Leeds")]
    assert 'Leave the group chats "Green Party Leeds"' in f["remedy"]
    # 83 contacts' messages over 31 days are under the 100 their words need: not read, and said so
    assert f["measures"]["contact_messages_read"] == 0
    assert "Contacts' messages not read: 83 messages over 31 days" in f["remedy"]
    assert "Ana" not in str(f) and "Ben" not in str(f)


def test_below_the_minimum_is_not_assessed_with_the_numbers(tmp_path):
    vault = seeded_vault(tmp_path / "v.sqlite")
    report = build_report(vault, tz="Europe/London")
    ids = {f["id"] for f in report["findings"]}
    assert "closest_ties" not in ids and "metadata_mirror" not in ids
    reasons = {n["id"]: n["reason"] for n in report["not_assessed"]}
    assert reasons["closest_ties"].startswith(
        "6 one-to-one messages over 23 days (2024-01-10 to 2024-02-01): ranking your ties needs at least 100 over "
        "14 days")
    assert reasons["metadata_mirror"].startswith("4 timed messages of your own over 24 days: the rhythm of your "
                                                 "chats needs at least 50 over 14 days")


def test_three_messages_give_no_interpersonal_finding(tmp_path):
    f = "WhatsApp Chat with Jordan Lee.txt"
    msgs = [Message(time=f"2024-05-0{i + 1}T10:00:00", platform="whatsapp", conversation="Jordan Lee",
                    sender="Jordan Lee" if i % 2 else "Sam", text="union strike protest", from_owner=not i % 2,
                    source_file=f, locator=f"line {i + 1}", key=(i,)) for i in range(3)]
    report = build_report(make_vault(tmp_path / "v.sqlite", msgs), tz="UTC")
    assert not [x for x in report["findings"] if x["id"] in IDS]
    reasons = {n["id"]: n["reason"] for n in report["not_assessed"]}
    assert reasons["closest_ties"].startswith("3 one-to-one messages over 3 days")
    assert reasons["association"].startswith("no group chats or followed pages, and contacts' messages not read: "
                                             "1 message over 1 day")


def test_a_busy_spread_chat_life_is_strong(tmp_path):
    """Six contacts, one of them with 400 messages: strong by the closest contact's volume and the top 3 share."""
    msgs = []
    for c, n in enumerate((400, 60, 40, 20, 10, 10)):
        name, file = f"Person {c}", f"WhatsApp Chat with Person {c}.txt"
        for i in range(n):
            msgs.append(Message(time=f"2024-0{1 + i % 3}-{1 + i % 28:02d}T{8 + i % 12:02d}:{c:02d}:00",
                                platform="whatsapp", conversation=name, sender="Sam" if i % 2 else name,
                                text="x", from_owner=bool(i % 2), source_file=file, locator=f"line {i + 1}",
                                key=(c, i)))
    f = _f(build_report(make_vault(tmp_path / "v.sqlite", msgs), tz="UTC"), "closest_ties")
    assert f["strength"] == "strong" and f["measures"]["top3_share"] == 0.93  # 500 of 540
    assert len(f["evidence"]) == 12 and all(e["locator"] for e in f["evidence"])


def test_chat_hours_are_local_per_conversation_and_e_mail_threads_count_as_one(tmp_path):
    """conv_hours (night shares, the metadata mirror): each conversation's messages per local hour, from the
    hourly rollup; instants moved to the person's zone (winter and summer offsets), wall-clock times as written,
    every e-mail thread in one pseudo-conversation."""
    import sqlite3
    from zoneinfo import ZoneInfo

    from datavault.findings.clock import Clock
    from datavault.findings.engine import Ctx
    from datavault.findings.rhythm import EMAIL, conv_hours, own_activity
    from datavault.findings.ruleset import load_rules

    def msg(time, platform, conv, own, i):
        return Message(time=time, platform=platform, conversation=conv, sender="me" if own else conv,
                       text=f"m{i}", from_owner=own, key=(conv, i))
    records = [
        msg("2024-01-15T23:00:00", "whatsapp", "Jordan Lee", True, 0),   # wall clock: 23 as written
        msg("2024-07-15T10:00:00", "whatsapp", "Jordan Lee", False, 1),
        msg("2024-01-15T22:30:00Z", "facebook", "Ana", True, 2),         # Berlin in winter: +1 -> 23
        msg("2024-07-15T22:30:00Z", "facebook", "Ana", True, 3),         # in summer: +2 -> 0
        msg("2024-01-10T08:00:00Z", "gmail", "thread A", False, 4),      # 9
        msg("2024-07-10T08:00:00Z", "gmail", "thread B", True, 5),       # 10
    ]
    vault = make_vault(tmp_path / "v.sqlite", records)
    conn = sqlite3.connect(vault)
    conn.row_factory = sqlite3.Row
    ctx = Ctx(conn, load_rules(), Clock(ZoneInfo("Europe/Berlin"), 2024, 2024))

    def hours(**counts):
        out = [0] * 24
        for hour, n in counts.items():
            out[int(hour[1:])] = n
        return out
    assert conv_hours(ctx) == {
        "Jordan Lee": {"all": hours(h23=1, h10=1), "own": hours(h23=1)},
        "Ana": {"all": hours(h23=1, h0=1), "own": hours(h23=1, h0=1)},
        EMAIL: {"all": hours(h9=1, h10=1), "own": hours(h10=1)},
    }
    grid = own_activity(ctx)  # Monday first: 15 January 2024 a Monday, 16 July a Tuesday, 10 July a Wednesday
    assert {(day, hour): n for day, row in enumerate(grid) for hour, n in enumerate(row) if n} == {
        (0, 23): 2, (1, 0): 1, (2, 10): 1}
    assert isinstance(ctx.q("SELECT 1 AS one")[0], sqlite3.Row)  # the connection's own rows are left as they were


def test_contacts_messages_above_the_minimum_are_read_and_their_writers_counted_never_named(tmp_path):
    """120 contacts' messages over 40 days (the minimum is 100 over 14, counted from the senders rollup), 20 of
    them about a strike, written by two of the three contacts: the finding counts those two and names neither."""
    msgs = []
    for i in range(120):
        sender = ("Ana Petrova", "Ben Okafor", "Cleo Marsh")[i % 3]
        text = "the union strike ballot closes on friday" if i % 4 == 0 and i % 3 != 2 else "see you at lunch"
        for k, (who, own, body) in enumerate(((sender, False, text), ("Sam", True, "ok"))):
            day, hour = 1 + i // 3, 9 + (i % 3) * 3 + k
            msgs.append(Message(time=f"2024-03-{day:02d}T{hour:02d}:00:00" if day <= 31 else
                                f"2024-04-{day - 31:02d}T{hour:02d}:00:00", platform="whatsapp",
                                conversation="Friends", sender=who, text=body, from_owner=own,
                                source_file="WhatsApp Chat with Friends.txt", locator=f"line {2 * i + k + 1}",
                                key=(i, k)))
    f = _f(build_report(make_vault(tmp_path / "v.sqlite", msgs), tz="UTC"), "association")
    assert "20 messages from 2 contacts" in f["remedy"]
    assert "Ana" not in str(f) and "Ben" not in str(f) and "Cleo" not in str(f)
