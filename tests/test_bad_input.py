"""Bad input that used to hurt (issue 18): implausible dates, markup in imported names, empty and non-regular
paths, a damaged copy of an export imported before, broken zips and folders, unwritable report files, zip bombs.
Each must end in exit 0 or 1 with one plain line, never a traceback, and lose nothing already in the vault."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datavault import pipeline
from datavault.cli import app
from datavault.errors import UserError
from datavault.findings.clock import Clock, resolve_zone
from datavault.pipeline import import_paths
from tests.conftest import exported, write_text, write_zip

runner = CliRunner()
CHAT = "12/03/2023, 10:00 - Ana: hi\n13/03/2023, 10:01 - Sam: hello\n14/03/2023, 22:30 - Ana: night\n"


def run(vault: Path, *args: str):
    return runner.invoke(app, ["--vault", str(vault), *args])


def plain(result) -> str:
    """stdout and stderr of a CLI run, checked for what must never reach a user."""
    text = result.stdout + result.stderr
    assert "Traceback" not in text and result.exception is None or isinstance(result.exception, SystemExit), text
    assert result.exit_code in (0, 1), (result.exit_code, text)
    return text


# -- 1. a record dated in year 9999


def test_a_chat_line_dated_9999_is_kept_flagged_and_left_out_of_time_findings(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT + "12/03/9999, 23:59 - Ana: from the future\n")
    result = run(vault, "import", str(chat), "--me", "Sam")
    text = plain(result)
    assert result.exit_code == 0 and "Internal error" not in text, text
    for command in (["report"], ["report", "--format", "json"], ["score"], ["inventory"]):
        again = run(vault, *command)
        assert again.exit_code == 0 and "Internal error" not in plain(again), (command, again.stderr)

    messages = exported(vault, "messages")
    assert [m["time"] for m in messages][-1] == "9999-03-12T23:59:00"  # kept as written, last in order
    with sqlite3.connect(vault) as conn:  # no ts: outside every hour, weekday and span a finding counts
        assert conn.execute("SELECT ts FROM rec_messages WHERE time LIKE '9999%'").fetchall() == [(None,)]
    inv = json.loads(run(vault, "inventory", "--json").stdout)
    (entry,) = inv["sources"][0]["files"]
    assert entry["detail"]["implausible_times"] == {"records": 1, "examples": ["9999-03-12T23:59:00"]}
    assert entry["last_time"] == "2023-03-14T22:30:00"  # the span is of the plausible times
    assert any("outside 1970-2099" in p["message"] and p["severity"] == "warning"
               for p in inv["sources"][0]["problems"])
    report = json.loads(run(vault, "report", "--format", "json").stdout)
    assert not any(str(e.get("time", "")).startswith("9999") for f in report["findings"] for e in f["evidence"])


def test_a_9999_line_with_a_zone_that_pushes_it_past_year_9999_is_kept_as_written(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT + "31/12/9999, 23:59 - Ana: the last minute\n")
    result = import_paths(vault, [chat], tz="America/New_York")
    assert result.sources[0].statuses == {"parsed": 1}
    times = [m["time"] for m in exported(vault, "messages")]
    assert times[-1] == "9999-12-31T23:59:00" and times[0].endswith("Z")


def test_a_vault_that_already_holds_a_9999_timestamp_still_reports(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    import_paths(vault, [chat], me="Sam")
    with sqlite3.connect(vault) as conn:  # as an import before implausible times lost their ts left it
        conn.execute("UPDATE rec_messages SET time = '9999-12-31T00:00:00Z', ts = 253402214400 WHERE id = 1")
    assert run(vault, "report").exit_code == 0
    assert run(vault, "score").exit_code == 0
    Clock(resolve_zone("Europe/Berlin"), 1, 10000)  # the clock builds its transitions only over plausible years


# -- 2. imported text is never markup


def test_markup_in_senders_conversations_and_names_is_printed_as_written(tmp_path, vault):
    folder = tmp_path / "[bold]in"
    chat = write_text(folder, "WhatsApp Chat with [red]Ana.txt",
                      "12/03/2023, 10:00 - [red]Ana: [link=http://evil.example]click[/link] :smile:\n"
                      "12/03/2023, 10:01 - [/]: [/] hello [bold]\n")
    result = run(vault, "import", str(chat))
    text = plain(result)
    assert result.exit_code == 0, text
    assert "Imported WhatsApp Chat with [red]Ana.txt" in result.stderr
    assert "Owner in [red]Ana: [/]" in result.stderr  # the sender other than the chat's namesake
    inventory = run(vault, "inventory")
    assert inventory.exit_code == 0, plain(inventory)
    assert "Owner: [/] in [red]Ana" in inventory.stdout and "WhatsApp Chat with [red]Ana.txt" in inventory.stdout
    report = run(vault, "report")
    assert report.exit_code == 0, plain(report)
    assert "Ana" not in report.stdout or "[red]Ana" in report.stdout  # whichever findings name her
    assert "\x1b]8;" not in inventory.stdout + report.stdout + result.stderr  # no terminal hyperlink
    missing = run(vault, "import", str(folder / "[/bold] gone.txt"))
    assert missing.exit_code == 1 and "[/bold] gone.txt" in missing.stderr, plain(missing)


def test_inventory_on_a_terminal_never_emits_imported_links(tmp_path, vault):
    import io

    from rich.console import Console

    from datavault.inventory import read_inventory, render_inventory

    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", "12/03/2023, 10:00 - Ana: x\n"
                      "12/03/2023, 10:01 - [link=http://evil.example]Sam: y\n")
    import_paths(vault, [chat])
    buffer = io.StringIO()
    render_inventory(read_inventory(vault), Console(file=buffer, force_terminal=True, width=200))
    assert "\x1b]8;" not in buffer.getvalue() and "[link=http://evil.example]Sam" in buffer.getvalue()


# -- 3 and 4: odd arguments


def test_an_empty_path_is_a_usage_error_not_the_current_folder(tmp_path, vault, monkeypatch):
    write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    monkeypatch.chdir(tmp_path)
    result = run(vault, "import", "")
    assert result.exit_code == 2, result.output
    assert not vault.exists()
    with pytest.raises(UserError, match="empty path"):
        import_paths(vault, [""])


@pytest.fixture
def deadline():
    def expire(*_):
        raise TimeoutError("blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_fifo_is_refused_at_once(tmp_path, vault, deadline):
    fifo = tmp_path / "chat.zip"
    os.mkfifo(fifo)
    result = run(vault, "import", str(fifo))
    assert result.exit_code == 1 and "not a regular file" in result.stderr, plain(result)
    assert not vault.exists()


# -- 5. a damaged copy of an export imported before


def _damage(source: Path, target: Path) -> Path:
    """The same zip with its compressed data scrambled: same directory (names, sizes, CRCs), broken content."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as zf:
        for info in zf.infolist():
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            for i in range(start + 2, start + info.compress_size - 1, 5):
                data[i] ^= 0x5A
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(bytes(data))
    return target


def test_a_damaged_copy_never_makes_the_inventory_of_an_earlier_import_worse(tmp_path, vault):
    good = write_zip(tmp_path / "WhatsApp Chat with Ana.zip", {"WhatsApp Chat with Ana.txt": CHAT * 30,
                                                               "IMG-20230312-WA0001.jpg": b"\xff\xd8\xff" * 50})
    assert run(vault, "import", str(good), "--me", "Sam").exit_code == 0
    before = json.loads(run(vault, "inventory", "--json").stdout)["sources"]
    records = exported(vault, "messages")

    bad = _damage(good, tmp_path / "copy" / good.name)
    result = run(vault, "import", str(bad))
    plain(result)
    assert "could not read 1 file(s) as well as the earlier import" in result.stderr
    after = json.loads(run(vault, "inventory", "--json").stdout)["sources"]
    assert len(after) == 1
    keep = ("member", "status", "records", "new_records", "problems", "first_time", "last_time", "tables")
    assert [{k: f[k] for k in keep} for f in after[0]["files"]] == [{k: f[k] for k in keep} for f in before[0]["files"]]
    assert after[0]["platform"] == "whatsapp" and after[0]["problems"] == before[0]["problems"]
    assert after[0]["notes"]["owner"] == before[0]["notes"]["owner"]
    assert exported(vault, "messages") == records

    again = run(vault, "import", str(good))  # the good copy again: a clean inventory, the warning gone
    assert again.exit_code == 0
    final = json.loads(run(vault, "inventory", "--json").stdout)["sources"][0]
    assert "warnings" not in final["notes"] and final["files"][0]["status"] == "parsed"


# -- broken zips and folders


def test_an_unreadable_zip_in_a_folder_is_failed_not_a_whatsapp_attachment(tmp_path, vault):
    folder = tmp_path / "downloads"
    write_text(folder, "WhatsApp Chat with Ana.txt", CHAT)
    (folder / "facebook-sam-2024-11-20-Ab3dE9.zip").write_bytes(b"not a zip at all, a failed download\n" * 40)
    result = import_paths(vault, [folder])
    statuses = {f["member"]: (f["status"], f["detail"].get("reason", ""))
                for f in json.loads(run(vault, "inventory", "--json").stdout)["sources"][0]["files"]}
    status, reason = statuses["facebook-sam-2024-11-20-Ab3dE9.zip"]
    assert status == "failed" and "not a readable zip" in reason, statuses
    assert result.sources[0].statuses == {"parsed": 1, "failed": 1}


def test_an_unreadable_sub_folder_is_reported(tmp_path, vault, monkeypatch):
    folder = tmp_path / "takeout"
    write_text(folder, "WhatsApp Chat with Ana.txt", CHAT)
    real_walk = os.walk

    def walk(root, onerror=None, **kwargs):  # as os.walk does for a folder it may not list (we run as root)
        yield from real_walk(root, onerror=onerror, **kwargs)
        if onerror is not None:
            onerror(PermissionError(13, "Permission denied", str(Path(root) / "Locked")))

    monkeypatch.setattr("datavault.archive.os.walk", walk)
    result = import_paths(vault, [folder])
    assert result.sources[0].problems == 1
    problems = json.loads(run(vault, "inventory", "--json").stdout)["sources"][0]["problems"]
    assert [p["message"] for p in problems] == [
        "folder Locked cannot be read (Permission denied): its files were not imported"]


# -- report files that cannot be written


@pytest.mark.parametrize("target", ["folder", "missing/report.html", "x" * 300])
def test_a_report_file_that_cannot_be_written_is_one_plain_line(tmp_path, vault, target):
    import_paths(vault, [write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)])
    (tmp_path / "folder").mkdir()
    result = run(vault, "report", "--format", "html", "--out", str(tmp_path / target))
    text = plain(result)
    assert result.exit_code == 1 and "Internal error" not in text, text
    assert result.stderr.startswith("Error: Cannot write to") and result.stderr.count("\n") == 1, result.stderr


# -- a zip bomb


def test_a_zip_that_inflates_like_a_bomb_is_refused_unless_allowed(tmp_path, vault, monkeypatch):
    monkeypatch.setattr(pipeline, "BOMB_BYTES", 1 << 20)  # the same guard, at 1 MB instead of 256 MB
    line = "12/03/2023, 10:00 - Ana: the same line again and again\n"
    bomb = tmp_path / "WhatsApp Chat with Ana.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("WhatsApp Chat with Ana.txt", line * 40_000)  # 2.2 MB from about 10 KB
    result = run(vault, "import", str(bomb))
    assert result.exit_code == 1 and "zip bomb" in result.stderr and "--allow-large" in result.stderr, plain(result)
    assert not vault.exists()
    allowed = run(vault, "import", str(bomb), "--allow-large")
    assert allowed.exit_code == 0, plain(allowed)
    assert len(exported(vault, "messages")) == 40_000


def test_an_ordinary_zip_is_not_taken_for_a_bomb(tmp_path, vault):
    chat = write_zip(tmp_path / "WhatsApp Chat with Ana.zip", {"WhatsApp Chat with Ana.txt": CHAT * 5000})
    assert run(vault, "import", str(chat)).exit_code == 0


# -- an error after the import was committed says so


@pytest.mark.parametrize("failure", [RuntimeError("index trouble"), MemoryError(),
                                     UserError("The vault is locked by another datavault command.")])
def test_an_error_after_the_commit_does_not_claim_the_vault_is_unchanged(tmp_path, vault, monkeypatch, failure):
    def broken(_path, **_options):  # prepare_vault(path, progress=...)
        raise failure

    monkeypatch.setattr("datavault.report.prepare_vault", broken)
    result = run(vault, "import", str(write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)))
    assert result.exit_code == 1
    assert "the import itself was saved" in result.stderr and "unchanged" not in result.stderr, result.stderr
    assert "Imported WhatsApp Chat with Ana.txt" in result.stderr  # the summary came first
    assert "Traceback" not in result.stderr
    assert len(exported(vault, "messages")) == 3


# -- found by the fuzz suite


def test_a_record_field_sqlite_cannot_bind_is_stored_as_json_text(tmp_path, vault):
    from datavault import records as R

    items = [R.Activity(time="2024-01-01T10:00:00Z", platform="google", product="Search", action="searched",
                        title={"damaged": ["json"]}, url=2**70),
             R.Activity(time="2024-01-01T11:00:00Z", platform="google", product="Search", action="searched",
                        title="fine")]
    result = pipeline.ingest_records(vault, items)
    assert result.records == {"activities": 2}
    rows = exported(vault, "activities")
    assert [(r["title"], r["url"]) for r in rows] == [('{"damaged": ["json"]}', str(2**70)), ("fine", None)]


# -- issue 19.2: a typo in --me


def test_a_me_that_is_no_sender_is_refused_with_the_senders(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    result = run(vault, "import", str(chat), "--me", "Sma")
    text = " ".join(plain(result).split())
    assert result.exit_code == 1
    assert ("--me 'Sma' is not a sender in these chats, so every message would count as someone else's. Senders "
            "(messages): 'Ana' (2), 'Sam' (1). Nothing was imported") in text, text
    assert exported(vault, "messages") == []


def test_a_later_me_decides_the_owner_of_an_imported_chat_again(tmp_path, vault):
    """Re-importing with the right --me changed nothing: the rows were already there, and their owner decided."""
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    assert run(vault, "import", str(chat), "--me", "Ana").exit_code == 0  # the wrong one of the two senders
    assert [(m["sender"], m["from_owner"]) for m in exported(vault, "messages")] == [
        ("Ana", True), ("Sam", False), ("Ana", True)]
    again = run(vault, "import", str(chat), "--me", "Sam")
    assert again.exit_code == 0, plain(again)
    assert [(m["sender"], m["from_owner"]) for m in exported(vault, "messages")] == [
        ("Ana", False), ("Sam", True), ("Ana", False)]
