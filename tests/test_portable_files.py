"""Files datavault writes (``report --out``, the demo's report) on a Python without ``os.fchmod``: Windows before
Python 3.13. The file-safety paths run here with ``os.fchmod`` removed and Windows' ``O_BINARY`` flag present
(without it, Windows' C library turns every LF written through the descriptor into CRLF), and must write the exact
bytes, readable by the owner only. ``os.name`` is left alone: the code asks for the functions it needs, never
for the platform's name (and patching it globally turns every ``Path`` into a ``WindowsPath``)."""

from __future__ import annotations

import os
import re
import stat

import pytest
from typer.testing import CliRunner

from datavault.cli import app
from datavault.errors import UserError
from datavault.report import write_private
from tests.seed import rich_vault

runner = CliRunner()


@pytest.fixture
def no_fchmod(monkeypatch):
    """Python 3.11/3.12 on Windows: no os.fchmod, and an O_BINARY flag that os.open must be given."""
    monkeypatch.delattr(os, "fchmod")
    if not hasattr(os, "O_BINARY"):  # Windows' value; on Linux the same bit is O_LARGEFILE, harmless here
        monkeypatch.setattr(os, "O_BINARY", 0x8000, raising=False)
    opened = []
    real_open = os.open

    def recording_open(path, flags, mode=0o777, *args, **kwargs):
        opened.append(flags)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    old = os.umask(0o022)  # a permissive umask: the 0600 must come from datavault, not from it
    yield opened
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_private_without_fchmod(tmp_path, no_fchmod):
    text = tmp_path / "r.html"
    write_private(text, "<p>Zoë\nline two\r\nthree</p>")
    assert text.read_bytes() == "<p>Zoë\nline two\r\nthree</p>".encode("utf-8")  # exactly: no newline rewriting
    assert _mode(text) == 0o600
    binary = tmp_path / "r.bin"
    write_private(binary, b"\x00\n\x1a\r\n")
    assert binary.read_bytes() == b"\x00\n\x1a\r\n"
    assert _mode(binary) == 0o600
    assert all(flags & os.O_BINARY == os.O_BINARY for flags in no_fchmod)


def test_write_private_tightens_an_existing_file_without_fchmod(tmp_path, no_fchmod):
    existing = tmp_path / "old.html"
    existing.write_text("a much longer old report that must not survive", encoding="utf-8")
    existing.chmod(0o644)
    write_private(existing, "new")
    assert existing.read_text(encoding="utf-8") == "new"
    assert _mode(existing) == 0o600


def test_write_private_errors_stay_one_line_without_fchmod(tmp_path, no_fchmod):
    with pytest.raises(UserError, match="it is a folder"):
        write_private(tmp_path, "x")
    with pytest.raises(UserError, match="does not exist"):
        write_private(tmp_path / "nowhere" / "r.html", "x")


def _undated(document: bytes) -> bytes:
    return re.sub(rb"generated \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"generated WHEN", document)


def test_report_out_without_fchmod(tmp_path, no_fchmod):
    vault = rich_vault(tmp_path / "v.sqlite")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["--vault", str(vault), "report", "--format", "html", "--out", str(out),
                                 "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert _mode(out) == 0o600
    md = tmp_path / "r.md"
    result = runner.invoke(app, ["--vault", str(vault), "report", "--format", "md", "--out", str(md), "--tz", "UTC"])
    assert result.exit_code == 0, result.output
    printed = runner.invoke(app, ["--vault", str(vault), "report", "--format", "md", "--tz", "UTC"]).stdout_bytes
    assert _undated(md.read_bytes()) == _undated(printed)  # the two runs may straddle a second
    assert _mode(md) == 0o600


def test_demo_without_fchmod(tmp_path, no_fchmod):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = tmp_path / "demo-report.html"
    assert "Sam Rivera" in report.read_text(encoding="utf-8")
    assert _mode(report) == 0o600
