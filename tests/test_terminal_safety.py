"""Imported text carrying terminal escape codes (a hyperlink, a screen clear, a window title, 8-bit CSI) never
reaches the terminal as codes: the text report, the inventory and the import's summary drop them, and a document
written to a terminal (export, md/json reports) does too, while a file or a pipe gets the data as stored."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from typer.testing import CliRunner

import datavault.terminal
from datavault.cli import app
from datavault.records import Message
from datavault.terminal import SafeConsole, strip_controls, terminal_stream
from tests.seed import PLANTED, rich_records
from tests.vaultkit import make_vault

runner = CliRunner()
LINK = "\x1b]8;;https://evil.example/\x1b\\"
EVIL = f"{LINK}Nappies\x1b]8;;\x1b\\ again\x1b[2J\x1b[31m, size 4\x9b1m\x07\x1b]0;pwned\x07 this time\x7f\x08"
CONTROLS = ("\x1b", "\x07", "\x9b", "\x7f", "\x08")


@pytest.mark.parametrize("text,expected", [
    ("plain\ttext\nnext line", "plain\ttext\nnext line"),
    ("\x1b[2J\x1b[1;31mred\x1b[0m", "red"),
    (f"{LINK}click\x1b]8;;\x1b\\", "click"),
    ("title\x1b]0;pwned\x07 after", "title after"),
    ("dcs\x1bPq#0;2;0;0;0\x1b\\ end", "dcs end"),
    ("8-bit \x9b2J csi", "8-bit  csi"),
    ("bell\x07 del\x7f bs\x08 nul\x00 cr\r", "bell del bs nul cr"),
    ("lone escape at the end \x1b", "lone escape at the end "),
    ("unterminated \x1b]0;title and more text", "unterminated 0;title and more text"),
    ("Zoë ☕ عربي", "Zoë ☕ عربي"),
])
def test_strip_controls(text, expected):
    assert strip_controls(text) == expected


def _no_controls(output: str) -> None:
    found = [c for c in CONTROLS if c in output]
    assert not found, (found, output[:500])


def _evil_vault(tmp_path):
    records = []
    for record in rich_records():
        if isinstance(record, Message) and record.text == PLANTED[1]:
            record = dataclasses.replace(record, text=EVIL)
        records.append(record)
    records.append(Message(time="2024-04-20T10:00:00", platform="whatsapp", conversation="Jordan\x1b[8m Lee",
                           sender="Jordan\x1b]0;x\x07 Lee", text="hi", from_owner=False,
                           source_file="WhatsApp Chat with Jordan\x1b[2J.txt", locator="line 1", key=("evil", 1)))
    return make_vault(tmp_path / "v.sqlite", records, label="export\x1b[2J\x1b]0;pwned\x07.zip")


def test_text_report_and_inventory_drop_escape_codes(tmp_path):
    vault = _evil_vault(tmp_path)
    report = runner.invoke(app, ["--vault", str(vault), "report", "--tz", "UTC"])
    assert report.exit_code == 0, report.output
    assert "Nappies again, size 4 this time" in report.stdout  # the evidence excerpt, without its codes
    _no_controls(report.stdout)
    inventory = runner.invoke(app, ["--vault", str(vault), "inventory"])
    assert inventory.exit_code == 0, inventory.output
    assert "pwned.zip" in inventory.stdout  # rich drops the BEL first; the title sequence cannot run without ESC
    _no_controls(inventory.stdout)


def test_import_summary_drops_escape_codes(tmp_path):
    chat = tmp_path / "WhatsApp Chat with Ana\x1b[2J.txt"
    chat.write_text("12/07/2017, 22:35 - Ana\x1b]0;pwned\x07: Hola\n12/07/2017, 22:36 - Sam: hi\n", encoding="utf-8")
    result = runner.invoke(app, ["--vault", str(tmp_path / "v.sqlite"), "import", str(chat), "--me", "Sam"])
    assert result.exit_code == 0, result.output
    assert "WhatsApp Chat with Ana.txt" in result.stderr
    _no_controls(result.stderr)


def test_documents_to_a_terminal_drop_escape_codes_files_keep_them(tmp_path, monkeypatch):
    vault = _evil_vault(tmp_path)
    as_file = runner.invoke(app, ["--vault", str(vault), "export", "messages"])
    assert any(json.loads(line)["text"] == EVIL for line in as_file.stdout.splitlines())  # a pipe: as stored
    md_file = runner.invoke(app, ["--vault", str(vault), "report", "--format", "md", "--tz", "UTC"])
    monkeypatch.setattr(datavault.terminal, "is_terminal", lambda stream: True)
    for args in (["export", "messages"], ["export", "messages", "--format", "csv"],
                 ["export", "messages", "--format", "csv", "--bom"],
                 ["report", "--format", "md", "--tz", "UTC"], ["report", "--format", "json", "--tz", "UTC"],
                 ["inventory", "--json"]):
        result = runner.invoke(app, ["--vault", str(vault), *args])
        assert result.exit_code == 0, (args, result.output)
        _no_controls(result.stdout)
    on_terminal = runner.invoke(app, ["--vault", str(vault), "export", "messages", "--format", "csv"]).stdout
    assert '"Nappies again, size 4 this time"' in on_terminal
    assert "Nappies again, size 4 this time" in md_file.stdout
    # --raw is the data as stored, even on a terminal
    raw = runner.invoke(app, ["--vault", str(vault), "export", "messages", "--format", "csv", "--raw"])
    assert EVIL in raw.stdout


def test_safe_console_keeps_its_own_styles():
    buffer = io.StringIO()
    console = SafeConsole(file=buffer, force_terminal=True, color_system="standard", width=80)
    from rich.text import Text
    console.print(Text.assemble(("Error:", "bold red"), " ", "name\x1b[2J here"))
    output = buffer.getvalue()
    assert "\x1b[1;31mError:\x1b[0m" in output  # rich's styling survives
    assert "\x1b[2J" not in output and "name here" in output


def test_terminal_stream_only_wraps_a_terminal():
    buffer = io.StringIO()
    assert terminal_stream(buffer) is buffer
    buffer.write("a\x1b[2Jb")
    assert buffer.getvalue() == "a\x1b[2Jb"
