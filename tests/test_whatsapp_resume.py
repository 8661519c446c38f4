"""A later export of a chat is read on from where the earlier one ended (records.Checkpoint, whatsapp._resume).

The measure of correctness: a vault that imported an export and then a later, longer one is the same, row for
row (records, their sources and owners, inventory, problems, notes, the next checkpoint), whether the later one
was read on from the checkpoint or read whole; and reading on parses only the messages after the checkpoint."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

import pytest

import datavault.importers.whatsapp as whatsapp
from datavault import pipeline
from datavault.forgetting import forget_source
from datavault.pipeline import import_paths
from tests.conftest import write_text, write_zip

NAME = "WhatsApp Chat with Ana.txt"


def chat(n: int, seed: int = 1, ios: bool = False, third_at: int | None = None, deleted_at: int | None = None,
         first_days_low: int = 0) -> list[str]:
    """``n`` messages of a chat with Ana (lines without their end), with what makes a reading stateful:
    multi-line messages, system lines, media, the same text twice in one minute (ordinals), a third sender
    (who withdraws the tentative owner), a deletion by the owner, days that leave the day/month order open."""
    rng = random.Random(seed)
    out = []
    minute = 0
    for i in range(n):
        if rng.random() < 0.7:
            minute += rng.choice((1, 1, 7, 60, 600))
        day = 1 + (minute // 1440) % 28
        if i < first_days_low:
            day = 1 + day % 12  # no field above 12 yet: the order is open until one comes
        month = 1 + (minute // (1440 * 28)) % 12
        hour, mins = (minute // 60) % 24, minute % 60
        sender = "Ana" if rng.random() < 0.5 else "Sam"
        if third_at is not None and i >= third_at and rng.random() < 0.3:
            sender = "Kim"
        roll = rng.random()
        if deleted_at is not None and i == deleted_at:
            body = "You deleted this message"
            sender = "Sam"
        elif roll < 0.05:
            body = None  # a system line
        elif roll < 0.12:
            body = "<Media omitted>"
        elif roll < 0.2:
            body = f"line one {i}\nline two\n\n  indented {rng.randint(0, 9)}"
        elif roll < 0.3:
            body = "ok"  # short texts repeat, some in the same minute
        else:
            body = " ".join(rng.choice(("wir", "sehen", "uns", "morgen", "ça", "va", "¿qué", "tal?", "🙂"))
                            for _ in range(rng.randint(1, 8)))
        if ios:
            head = f"[{day:02d}/{month:02d}/2021, {hour:02d}:{mins:02d}:00] "
            text = f"{head}{sender}: {body}" if body is not None else f"{head}Ana: \u200eAna changed the group name"
        else:
            head = f"{day:02d}/{month:02d}/2021, {hour:02d}:{mins:02d} - "
            text = f"{head}{sender}: {body}" if body is not None else f"{head}Messages and calls are end-to-end encrypted."
        out.append(text)
    return out


def content(messages: list[str], end: str = "\n", last_end: bool = True) -> bytes:
    text = end.join(messages) + (end if last_end else "")
    return text.encode("utf-8")


def snapshot(vault: Path) -> dict:
    """Everything an import leaves in the vault, but the times of the imports and their zips' entries, and the
    ``resumed`` detail."""
    con = sqlite3.connect(vault)
    try:
        out = {}
        for table in ("rec_messages", "rec_people"):
            columns = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in ("id", "raw")]
            out[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY key").fetchall()
        files = []
        for row in con.execute("SELECT source_id, member, size, importer, status, records, new_records, problems, "
                               "first_time, last_time, tables, detail, fingerprint, member_notes, resume FROM files "
                               "ORDER BY id"):
            detail = json.loads(row[11])
            detail.pop("resumed", None)
            files.append((*row[:11], detail, *row[12:]))
        out["files"] = files
        out["problems"] = con.execute("SELECT source_id, member, locator, message, severity FROM problems "
                                      "ORDER BY id").fetchall()
        out["sources"] = [(*row[:4], {k: v for k, v in json.loads(row[4]).items() if k != "export_created"})
                          for row in con.execute("SELECT id, platform, label, kind, notes FROM sources ORDER BY id")]
        return out
    finally:
        con.close()


@pytest.fixture
def parsed_messages(monkeypatch):
    """How many messages the WhatsApp parser made (a resumed reading makes only those after the checkpoint)."""
    made = [0]
    original = whatsapp._ChatParser._message

    def counting(self, *args):
        made[0] += 1
        return original(self, *args)

    monkeypatch.setattr(whatsapp._ChatParser, "_message", counting)
    return made


def two_imports(tmp_path: Path, vault: Path, old: bytes, new: bytes, resume: bool, monkeypatch, zipped=False,
                **options):
    """Import ``old`` then ``new`` (the same chat exported twice) into ``vault``; the second import's result."""
    paths = []
    for folder, data in (("one", old), ("two", new)):
        if zipped:
            (tmp_path / folder).mkdir(parents=True, exist_ok=True)
            paths.append(write_zip(tmp_path / folder / "WhatsApp Chat with Ana.zip", {"_chat.txt": data}))
        else:
            path = tmp_path / folder / NAME
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            paths.append(path)
        os.utime(paths[-1], (1_600_000_000, 1_600_000_000))  # the same fingerprint in both vaults compared
    with monkeypatch.context() as patch:
        if not resume:
            patch.setattr(pipeline, "_resume_points", lambda *args: {})
        first = import_paths(vault, [paths[0]], **options)
        assert not first.errors
        result = import_paths(vault, [paths[1]], **options)
        assert not result.errors
    return result


def resumed_detail(vault: Path) -> dict | None:
    con = sqlite3.connect(vault)
    detail = json.loads(con.execute("SELECT detail FROM files ORDER BY id DESC LIMIT 1").fetchone()[0])
    con.close()
    return detail.get("resumed")


CASES = {
    # name: (messages, kwargs of chat, cut, options, content options)
    "android": (400, {}, 300, {}, {}),
    "ios": (400, {"ios": True}, 250, {}, {}),
    "crlf, no last line end": (300, {}, 200, {}, {"end": "\r\n", "old_last_end": False}),
    "no last line end": (300, {}, 220, {}, {"old_last_end": False}),
    "with --me": (300, {}, 190, {"me": "Sam"}, {}),
    "with --tz": (300, {}, 250, {"tz": "Europe/Berlin"}, {}),
    "no field above 12 before the cut": (300, {}, 150, {}, {}),
    "third sender after the cut": (400, {"third_at": 350}, 300, {}, {}),
    "third sender before the cut": (400, {"third_at": 100}, 300, {}, {}),
    "owner deletes after the cut": (400, {"deleted_at": 380}, 300, {}, {}),
    "order open before the cut": (300, {"first_days_low": 250}, 100, {}, {}),
    "order decided after the cut": (300, {"first_days_low": 250}, 260, {}, {}),
    "zip": (300, {}, 200, {}, {"zipped": True}),
    "read by a child process": (300, {}, 200, {}, {"process": True}),
}


@pytest.mark.parametrize("case", list(CASES))
def test_reading_on_from_the_checkpoint_leaves_the_vault_as_reading_whole(tmp_path, monkeypatch, case,
                                                                          parsed_messages):
    n, kwargs, cut, options, shape = CASES[case]
    monkeypatch.setattr(whatsapp, "_OWNER_HOLD", 20)
    if shape.get("process"):
        monkeypatch.setenv("DATAVAULT_READER", "process")
    messages = chat(n, **kwargs)
    end = shape.get("end", "\n")
    old = content(messages[:cut], end, shape.get("old_last_end", True))
    new = content(messages, end)
    zipped = shape.get("zipped", False)
    whole_vault, resumed_vault = tmp_path / "whole.sqlite", tmp_path / "resumed.sqlite"
    whole = two_imports(tmp_path / "a", whole_vault, old, new, False, monkeypatch, zipped, **options)
    parsed_messages[0] = 0
    resumed = two_imports(tmp_path / "b", resumed_vault, old, new, True, monkeypatch, zipped, **options)
    assert snapshot(resumed_vault) == snapshot(whole_vault)
    assert resumed.sources[0].new_records == whole.sources[0].new_records
    if case in ("order open before the cut", "no field above 12 before the cut"):
        # no checkpoint: the earlier file's day/month order was settled only at its end
        assert resumed_detail(resumed_vault) is None and parsed_messages[0] == cut + n
    else:
        old_lines = old.decode().count("\n") + (0 if shape.get("old_last_end", True) else 1)
        assert resumed_detail(resumed_vault) == {"after": f"line {old_lines + 1:,}", "bytes": len(old),
                                                 "from_import": 1}
        # the earlier export's messages, then only the later one's after the checkpoint (a child counts its own)
        assert parsed_messages[0] == (0 if shape.get("process") else cut + (n - cut))


def test_an_export_with_an_earlier_message_changed_is_read_whole(tmp_path, monkeypatch, parsed_messages):
    monkeypatch.setattr(whatsapp, "_OWNER_HOLD", 20)
    messages = chat(300)
    old = content(messages[:200])
    changed = [*messages]
    changed[10] = changed[10].replace(": ", ": (edited) ", 1)
    new = content(changed)
    two_imports(tmp_path / "b", tmp_path / "v.sqlite", old, new, True, monkeypatch)
    assert resumed_detail(tmp_path / "v.sqlite") is None
    assert parsed_messages[0] == 200 + 300


def test_bytes_that_continue_the_last_message_are_read_whole(tmp_path, monkeypatch, parsed_messages):
    # the earlier file ended inside a message (cut by a tool): the later one's lines after it belong to it
    monkeypatch.setattr(whatsapp, "_OWNER_HOLD", 20)
    messages = chat(300)
    old = content(messages[:200])
    new = old + b"more of the last message\n" + content(messages[200:])
    vault = tmp_path / "v.sqlite"
    whole = tmp_path / "w.sqlite"
    two_imports(tmp_path / "a", whole, old, new, False, monkeypatch)
    parsed_messages[0] = 0
    two_imports(tmp_path / "b", vault, old, new, True, monkeypatch)
    assert resumed_detail(vault) is None
    assert snapshot(vault) == snapshot(whole)


def test_other_options_read_whole(tmp_path, monkeypatch, parsed_messages):
    monkeypatch.setattr(whatsapp, "_OWNER_HOLD", 20)
    messages = chat(300)
    vault = tmp_path / "v.sqlite"
    import_paths(vault, [write_text(tmp_path / "one", NAME, "\n".join(messages[:200]) + "\n")])
    parsed_messages[0] = 0
    import_paths(vault, [write_text(tmp_path / "two", NAME, "\n".join(messages) + "\n")], tz="Europe/Berlin")
    assert resumed_detail(vault) is None and parsed_messages[0] == 300


def test_a_third_export_reads_on_from_the_second_and_forgetting_the_first_keeps_the_chat(tmp_path, monkeypatch,
                                                                                           parsed_messages):
    monkeypatch.setattr(whatsapp, "_OWNER_HOLD", 20)
    messages = chat(500)
    vault = tmp_path / "v.sqlite"
    for i, cut in enumerate((200, 350, 500)):
        import_paths(vault, [write_text(tmp_path / str(i), NAME, "\n".join(messages[:cut]) + "\n")])
    assert parsed_messages[0] == 500  # each message read once
    con = sqlite3.connect(vault)
    assert con.execute("SELECT sources, count(*) FROM rec_messages GROUP BY sources ORDER BY 1").fetchall() == [
        (" 1 2 3 ", 200), (" 2 3 ", 150), (" 3 ", 150)]
    con.close()
    forget_source(vault, 1)
    forget_source(vault, 2)
    con = sqlite3.connect(vault)
    assert con.execute("SELECT count(*) FROM rec_messages").fetchone() == (500,)
    assert con.execute("SELECT source_id, json_extract(tables, '$.messages') FROM files").fetchall() == [(3, 500)]
    con.close()


def test_a_small_chat_leaves_no_checkpoint(tmp_path, vault):
    import_paths(vault, [write_text(tmp_path, NAME, "01/02/2020, 10:00 - Ana: one\n01/02/2020, 10:01 - Sam: two\n")])
    assert sqlite3.connect(vault).execute("SELECT resume FROM files").fetchall() == [(None,)]


def test_the_import_says_it_read_on_and_json_counts_it(tmp_path, vault, monkeypatch):
    from tests.test_cli import run

    monkeypatch.setattr(whatsapp, "_OWNER_HOLD", 20)
    messages = chat(300)
    assert run(vault, "import", str(write_text(tmp_path / "one", NAME, "\n".join(messages[:250]) + "\n"))
               ).exit_code == 0
    result = run(vault, "import", "--json", str(write_text(tmp_path / "two", NAME, "\n".join(messages) + "\n")))
    assert result.exit_code == 0, result.output
    assert "(continues 1 chat(s) imported before: read on from where they ended)" in result.stderr
    source = json.loads(result.stdout)["sources"][0]
    assert source["continued_files"] == 1 and source["new_records"] == {"messages": 50}
    assert source["records"]["messages"] == 300


def test_a_namesake_chat_in_the_earlier_import_makes_the_later_one_read_whole(tmp_path, vault, monkeypatch,
                                                                              parsed_messages):
    # two different chats called "Ana" in one export: which messages the checkpoint's bytes gave is not known
    # by name alone, so the later export is read whole (and every message learns it as it is read)
    monkeypatch.setattr(whatsapp, "_OWNER_HOLD", 20)
    messages, other = chat(300), chat(250, seed=2)
    import_paths(vault, [write_zip(tmp_path / "both.zip", {f"a/{NAME}": "\n".join(messages[:200]) + "\n",
                                                           f"b/{NAME}": "\n".join(other) + "\n"})])
    parsed_messages[0] = 0
    import_paths(vault, [write_text(tmp_path / "two", NAME, "\n".join(messages) + "\n")])
    assert resumed_detail(vault) is None and parsed_messages[0] == 300


@pytest.mark.parametrize("damage", ["json_set(resume, '$.state.senders', 5)", "json_remove(resume, '$.state.mark')",
                                    "json_set(resume, '$.digest', 'x')", "json_remove(resume, '$.digest')",
                                    "json_set(resume, '$.carried.messages', 'many')",
                                    "json_set(resume, '$.covers', json_object('nope', 1))", "'{not json'"])
def test_a_damaged_checkpoint_makes_the_later_export_read_whole(tmp_path, vault, monkeypatch, parsed_messages,
                                                                 damage):
    monkeypatch.setattr(whatsapp, "_OWNER_HOLD", 20)
    messages = chat(300)
    import_paths(vault, [write_text(tmp_path / "one", NAME, "\n".join(messages[:200]) + "\n")])
    con = sqlite3.connect(vault)
    con.execute(f"UPDATE files SET resume = {damage}")
    con.commit()
    con.close()
    parsed_messages[0] = 0
    result = import_paths(vault, [write_text(tmp_path / "two", NAME, "\n".join(messages) + "\n")])
    assert result.sources[0].statuses == {"parsed": 1} and result.sources[0].new_records["messages"] == 100
    assert resumed_detail(vault) is None and parsed_messages[0] == 300
