"""The command line as a user meets it: every command has help, results on stdout, people-facing text on
stderr, one clear line and exit 1 for a problem the user can fix, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from datavault import forgetting
from datavault.cli import app
from tests.conftest import write_text, write_zip

runner = CliRunner()
CHAT = "12/07/2017, 22:35 - Ana: Hola\n12/07/2017, 22:36 - Sam: hi;there\n13/07/2017, 09:00 - Ana: <Media omitted>\n"


def run(vault: Path, *args: str):
    return runner.invoke(app, ["--vault", str(vault), *args])


def test_every_command_has_help():
    commands = typer.main.get_command(app).commands
    assert {"import", "inventory", "export", "forget", "demo"} <= set(commands)
    for name, command in commands.items():
        assert command.help and command.help.strip(), f"{name} has no help text"
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help.split(".")[0] in " ".join(result.output.split()), name
        for param in command.params:
            assert getattr(param, "help", None) or param.param_type_name == "argument", (name, param.name)


def test_import_json_inventory_and_export(tmp_path, vault):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    result = run(vault, "import", str(chat), "--me", "Sam", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {"sources": [{"id": 1, "platform": "whatsapp", "label": "WhatsApp Chat with Ana.txt",
                                 "files": 1, "records": {"messages": 3, "people": 1},
                                 "new_records": {"messages": 3, "people": 1},
                                 "problems": 0, "statuses": {"parsed": 1}, "already_imported": False,
                                 "unchanged_files": 0, "continued_files": 0}]}
    assert "Imported" in result.stderr and "Imported" not in result.stdout

    inv = json.loads(run(vault, "inventory", "--json").stdout)
    assert inv["totals"]["messages"] == 3
    assert [(f["member"], f["status"], f["records"]) for f in inv["sources"][0]["files"]] == [
        ("WhatsApp Chat with Ana.txt", "parsed", 4)]
    text = run(vault, "inventory").stdout
    assert "Source 1" in text and "parsed" in text

    out = run(vault, "export", "messages", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["sender"], r["from_owner"], r["text"], r["kind"]) for r in rows] == [
        ("Ana", "false", "Hola", "text"), ("Sam", "true", "hi;there", "text"), ("Ana", "false", "<Media omitted>", "media")]


def test_import_twice_changes_nothing(tmp_path, vault):
    chat = write_text(tmp_path, "chat.txt", CHAT)
    run(vault, "import", str(chat))
    before = run(vault, "export", "messages").stdout
    second = run(vault, "import", str(chat), "--json")
    assert json.loads(second.stdout)["sources"][0]["new_records"] == {}
    assert run(vault, "export", "messages").stdout == before


@pytest.mark.parametrize("setup,message", [
    (lambda d: d / "missing.zip", "No such file or folder"),
    (lambda d: write_text(d, "empty.txt", ""), "empty"),
    (lambda d: write_text(d, "recipe.txt", "Flour, sugar, eggs.\nMix well.\n"), "not an export"),
    (lambda d: write_text(d, "broken.zip", "this is not a zip at all"), "not a readable zip"),
])
def test_bad_input_is_one_clear_line(tmp_path, vault, setup, message):
    result = run(vault, "import", str(setup(tmp_path)))
    assert result.exit_code == 1
    assert message.lower() in result.stderr.lower()
    assert "Traceback" not in result.output + result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_one_bad_input_does_not_lose_the_good_one(tmp_path, vault):
    good = write_text(tmp_path, "chat.txt", CHAT)
    bad = write_text(tmp_path, "recipe.txt", "Flour, sugar, eggs.\n")
    result = run(vault, "import", str(good), str(bad))
    assert result.exit_code == 1 and "recipe.txt" in result.stderr
    assert len(run(vault, "export", "messages").stdout.splitlines()) == 3


def test_usage_errors(vault):
    assert run(vault, "export", "nonsense").exit_code == 1
    assert "Tables: messages" in run(vault, "export", "nonsense").stderr
    assert run(vault, "forget").exit_code == 2  # neither SOURCE_ID nor --all: a usage error
    assert runner.invoke(app, ["import"]).exit_code == 2  # typer's own: missing argument


def test_unknown_time_zone(tmp_path, vault):
    result = run(vault, "import", str(write_text(tmp_path, "chat.txt", CHAT)), "--tz", "Mars/Olympus")
    assert result.exit_code == 1 and "Unknown time zone" in result.stderr


def test_commands_on_missing_vault_say_so(tmp_path):
    result = run(tmp_path / "nothing.sqlite", "inventory")
    assert result.exit_code == 1 and "no vault" in result.stderr.lower()
    assert not (tmp_path / "nothing.sqlite").exists()


def test_forget_one_source_keeps_records_another_holds(tmp_path, vault):
    first = write_text(tmp_path / "a", "WhatsApp Chat with Ana.txt", CHAT)
    later = write_text(tmp_path / "b", "WhatsApp Chat with Ana.txt", CHAT + "14/07/2017, 10:00 - Ana: new\n")
    run(vault, "import", str(first))
    run(vault, "import", str(later))
    result = run(vault, "forget", "1")
    assert result.exit_code == 0 and "4 kept" in result.stderr  # 3 messages and Ana, the person
    assert len(run(vault, "export", "messages").stdout.splitlines()) == 4
    run(vault, "forget", "2")
    assert run(vault, "export", "messages").stdout == ""
    assert json.loads(run(vault, "inventory", "--json").stdout)["sources"] == []
    assert run(vault, "forget", "9").exit_code == 1


def test_forget_all_deletes_the_file(tmp_path, vault):
    run(vault, "import", str(write_text(tmp_path, "chat.txt", CHAT)))
    result = run(vault, "forget", "--all")
    assert result.exit_code == 0 and not vault.exists()


def test_vault_is_private(tmp_path):
    vault = tmp_path / "new" / "deeper" / "vault.sqlite"
    run(vault, "import", str(write_text(tmp_path, "chat.txt", CHAT)))
    assert stat.S_IMODE(os.stat(vault).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(vault.parent).st_mode) == 0o700


def test_vault_from_environment(tmp_path, monkeypatch):
    target = tmp_path / "env.sqlite"
    monkeypatch.setenv("DATAVAULT_VAULT", str(target))
    result = runner.invoke(app, ["import", str(write_text(tmp_path, "chat.txt", CHAT))])
    assert result.exit_code == 0 and target.exists()


def test_demo_is_deterministic_and_separate(tmp_path, vault):
    first = runner.invoke(app, ["--vault", str(vault), "demo", "--out", str(tmp_path / "d1"), "--seed", "3"])
    second = runner.invoke(app, ["demo", "--out", str(tmp_path / "d2"), "--seed", "3"])
    assert first.exit_code == 0, first.output
    assert not vault.exists()  # never the user's vault
    for name in ("whatsapp/WhatsApp Chat with Jordan Lee.txt", "whatsapp/WhatsApp Chat with Parents of Room 3.txt",
                 "facebook/facebook-samrivera-2024-11-20-Ab3dE9.zip", "facebook/messenger-secure-storage-samrivera.zip"):
        assert (tmp_path / "d1/exports" / name).read_bytes() == (tmp_path / "d2/exports" / name).read_bytes()
    demo_vault = tmp_path / "d1" / "demo-vault.sqlite"
    messages = [json.loads(line) for line in run(demo_vault, "export", "messages").stdout.splitlines()]
    assert {m["conversation"] for m in messages if m["platform"] == "whatsapp"} == {
        "Jordan Lee", "Família Costa", "Parents of Room 3"}
    assert {m["conversation"] for m in messages if m["platform"] == "facebook"} == {
        "Jordan Lee", "Picket line crew", "Priya Shah"}
    assert {m["sender"] for m in messages if m["from_owner"] and m["platform"] != "gmail"} == {"Sam Rivera"}
    assert "Source 1" in second.stdout


def test_multi_part_zip_set_is_one_source(tmp_path, vault):
    one = write_zip(tmp_path / "export-001.zip", {"WhatsApp Chat with Ana.txt": CHAT})
    two = write_zip(tmp_path / "export-002.zip", {"WhatsApp Chat with Ben.txt": "01/02/2020, 10:00 - Ben: hey\n"})
    data = json.loads(run(vault, "import", str(one), str(two), "--json").stdout)
    assert [(s["label"], s["files"], s["records"]) for s in data["sources"]] == [
        ("export", 2, {"messages": 4, "people": 2})]


def test_folder_input_with_a_zip_inside(tmp_path, vault):
    folder = tmp_path / "exports"
    write_text(folder, "WhatsApp Chat with Ana.txt", CHAT)
    write_zip(folder / "more.zip", {"WhatsApp Chat with Ben.txt": "01/02/2020, 10:00 - Ben: hey\n"})
    data = json.loads(run(vault, "import", str(folder), "--json").stdout)
    assert data["sources"][0]["records"] == {"messages": 4, "people": 2}
    files = json.loads(run(vault, "inventory", "--json").stdout)["sources"][0]["files"]
    assert sorted(f["member"] for f in files) == ["WhatsApp Chat with Ana.txt", "more.zip/WhatsApp Chat with Ben.txt"]


def test_truncated_zip_keeps_complete_members(tmp_path, vault):
    whole = write_zip(tmp_path / "whole.zip", {"WhatsApp Chat with Ana.txt": CHAT,
                                               "WhatsApp Chat with Ben.txt": "01/02/2020, 10:00 - Ben: hey\n" * 2000})
    data = whole.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    result = run(vault, "import", str(cut), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sources"][0]["records"] == {"messages": 3, "people": 1}
    problems = json.loads(run(vault, "inventory", "--json").stdout)["sources"][0]["problems"]
    assert "directory is missing" in problems[0]["message"]


def test_corrupt_zip_member_fails_alone(tmp_path, vault):
    good = "01/02/2020, 10:00 - Ben: hey\n"
    archive = write_zip(tmp_path / "two.zip", {"WhatsApp Chat with Ana.txt": CHAT * 200,
                                               "WhatsApp Chat with Ben.txt": good})
    data = bytearray(archive.read_bytes())
    start = data.index(b"WhatsApp Chat with Ana.txt") + len("WhatsApp Chat with Ana.txt")
    for i in range(start + 20, start + 60):
        data[i] ^= 0x5A
    archive.write_bytes(bytes(data))
    result = run(vault, "import", str(archive), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sources"][0]["statuses"] == {"failed": 1, "parsed": 1}
    files = json.loads(run(vault, "inventory", "--json").stdout)["sources"][0]["files"]
    ana = next(f for f in files if f["member"].endswith("Ana.txt"))
    assert ana["status"] == "failed" and "corrupt" in ana["detail"]["reason"]
    assert [m["text"] for m in json.loads("[" + ",".join(run(vault, "export", "messages").stdout.split("\n")[:-1]) + "]")] == ["hey"]


def test_export_into_a_closed_pipe_is_quiet(tmp_path, vault):
    import subprocess
    import sys
    chat = "".join(f"01/02/2020, 10:{i % 60:02d} - Ana: message {i}\n" for i in range(3000))
    run(vault, "import", str(write_text(tmp_path, "chat.txt", chat)))
    proc = subprocess.run(f"'{sys.executable}' -m datavault --vault '{vault}' export messages | head -1",
                          shell=True, capture_output=True, text=True)
    assert proc.stdout.count("\n") == 1 and proc.stderr == ""


def test_export_date_from_the_archive_name_is_kept(tmp_path, vault):
    part = write_zip(tmp_path / "takeout-20240102T030405Z-001.zip", {"WhatsApp Chat with Ana.txt": CHAT})
    run(vault, "import", str(part))
    source = json.loads(run(vault, "inventory", "--json").stdout)["sources"][0]
    assert source["notes"]["export_created"] == "2024-01-02T03:04:05Z"
    assert "export made 2024-01-02" in run(vault, "inventory").stdout


def test_a_plain_file_has_no_export_date(tmp_path, vault):
    run(vault, "import", str(write_text(tmp_path, "chat.txt", CHAT)))
    source = json.loads(run(vault, "inventory", "--json").stdout)["sources"][0]
    assert "export_created" not in source["notes"]  # never a file's mtime on this disk


def test_nothing_to_import_creates_no_vault(tmp_path):
    target = tmp_path / "never.sqlite"
    result = run(target, "import", str(write_text(tmp_path, "recipe.txt", "Flour, sugar, eggs.\n")))
    assert result.exit_code == 1 and not target.exists()


def test_an_unchanged_export_imported_again_says_so_and_leaves_the_report_cache_alone(tmp_path, vault,
                                                                                        monkeypatch):
    chat = write_text(tmp_path, "WhatsApp Chat with Ana.txt", CHAT)
    assert run(vault, "import", str(chat)).exit_code == 0

    def prepared(*args, **kwargs):
        raise AssertionError("the report was prepared again")

    monkeypatch.setattr("datavault.report.prepare_vault", prepared)
    result = run(vault, "import", str(chat))
    assert result.exit_code == 0, result.output
    assert "(already imported before: unchanged, not read again): 3 messages, 1 people; 0 new of 4" in \
        " ".join(result.stderr.split()), result.stderr


def test_forget_all_forces_the_zeros_to_disk_before_unlinking(tmp_path, vault, monkeypatch):
    """Issue 20.1: zeros written without fsync are dropped by the file system when the file is unlinked."""
    run(vault, "import", str(write_text(tmp_path, "chat.txt", CHAT)))
    events: list[tuple[str, object]] = []
    real_fsync, real_unlink = os.fsync, Path.unlink

    def fsync(fd):
        events.append(("fsync", os.path.realpath(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def unlink(self, *args, **kwargs):
        events.append(("unlink", str(self)))
        real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Path, "unlink", unlink)
    assert run(vault, "forget", "--all").exit_code == 0
    assert events.index(("fsync", str(vault))) < events.index(("unlink", str(vault)))
    assert events[-1] == ("fsync", str(vault.parent))  # the unlinks themselves made durable


def test_forget_one_source_leaves_no_copy_of_its_text_in_the_vault_or_its_log(tmp_path, vault):
    """Issue 20.1: the write-ahead log held the removed rows' pages; a truncation alone leaves them in free blocks,
    so the log is zeroed on the disk first. The report's word index (which holds every word) goes too."""
    secret = "zebracornflakes"
    kept = write_text(tmp_path / "a", "WhatsApp Chat with Ana.txt", CHAT)
    gone = write_text(tmp_path / "b", "WhatsApp Chat with Bo.txt",
                      f"14/07/2017, 10:00 - Bo: the {secret} code\n14/07/2017, 10:01 - Sam: ok\n")
    run(vault, "import", str(kept), "--me", "Sam")
    run(vault, "import", str(gone), "--me", "Sam")
    assert run(vault, "report", "--format", "json").exit_code == 0  # builds the word index
    zeroed: list[str] = []
    real_overwrite = forgetting._overwrite

    def overwrite(path):
        zeroed.append(path.name)
        real_overwrite(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(forgetting, "_overwrite", overwrite)
        assert run(vault, "forget", "2").exit_code == 0
    assert zeroed == [vault.name + "-wal"]
    for path in (vault, Path(f"{vault}-wal"), Path(f"{vault}-shm")):
        if path.exists():
            assert secret.encode() not in path.read_bytes(), path
            # nor the name of its chat file (a person's name), which the records named in file_names
            assert b"Chat with Bo" not in path.read_bytes(), path
    assert Path(f"{vault}-wal").stat().st_size == 0 if Path(f"{vault}-wal").exists() else True
    texts = [json.loads(line)["text"] for line in run(vault, "export", "messages").stdout.splitlines()]
    assert texts == ["Hola", "hi;there", "<Media omitted>"]


# -- forget asks first (issue 19.6)


def _two_imports(tmp_path, vault):
    run(vault, "import", str(write_text(tmp_path / "a", "WhatsApp Chat with Ana.txt", CHAT)), "--me", "Sam")
    run(vault, "import", str(write_text(tmp_path / "b", "WhatsApp Chat with Bo.txt",
                                        "14/07/2017, 10:00 - Bo: hey\n")), "--me", "Sam")


def test_forget_dry_run_says_what_would_go_and_changes_nothing(tmp_path, vault):
    _two_imports(tmp_path, vault)
    before = vault.read_bytes()
    result = run(vault, "forget", "1", "--dry-run")
    assert result.exit_code == 0, result.output
    assert " ".join(result.stderr.split()) == (
        "Would forget: import 1 (WhatsApp Chat with Ana.txt): 4 record(s) removed, 0 kept because another import "
        "also holds them. Nothing was changed (--dry-run).")
    assert vault.read_bytes() == before
    assert run(vault, "forget", "9", "--dry-run").exit_code == 1


def test_forget_on_a_terminal_asks_and_a_no_changes_nothing(tmp_path, vault, monkeypatch):
    from datavault import cli

    _two_imports(tmp_path, vault)
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    refused = runner.invoke(app, ["--vault", str(vault), "forget", "--all"], input="n\n")
    assert refused.exit_code == 1 and "Forget this for good? It cannot be undone [y/N]" in refused.stderr
    assert "Nothing was changed." in refused.stderr and vault.exists()
    agreed = runner.invoke(app, ["--vault", str(vault), "forget", "2"], input="y\n")
    assert agreed.exit_code == 0 and "Forgot source 2" in agreed.stderr, agreed.stderr
    scripted = runner.invoke(app, ["--vault", str(vault), "forget", "--all", "--yes"])  # no question asked
    assert scripted.exit_code == 0 and "[y/N]" not in scripted.stderr and not vault.exists()


def test_forget_names_the_reports_it_wrote_and_removes_them_when_asked(tmp_path, vault, monkeypatch):
    _two_imports(tmp_path, vault)
    early = tmp_path / "early.html"
    with monkeypatch.context() as clock:  # written long before the next import (the ledger counts seconds)
        clock.setattr(forgetting, "_now", lambda: "2000-01-01T00:00:00Z")
        assert run(vault, "report", "--format", "html", "--out", str(early)).exit_code == 0
    # a third import after the first report: that report does not hold it
    run(vault, "import", str(write_text(tmp_path / "c", "WhatsApp Chat with Cy.txt",
                                        "15/07/2017, 10:00 - Cy: yo\n")), "--me", "Sam")
    late = tmp_path / "late.md"
    assert run(vault, "report", "--format", "md", "--out", str(late)).exit_code == 0
    listed = run(vault, "forget", "3", "--dry-run")
    assert f"still holding this data: {late.resolve()} (report)" in listed.stderr
    assert str(early.resolve()) not in listed.stderr
    kept = run(vault, "forget", "3")
    assert late.exists() and "1 file(s) datavault wrote elsewhere still hold this data" in " ".join(kept.stderr.split())
    removed = run(vault, "forget", "--all", "--remove-outputs")
    assert removed.exit_code == 0 and "Deleted 2 file(s) datavault wrote elsewhere." in removed.stderr, removed.stderr
    assert not early.exists() and not late.exists() and not vault.exists()
