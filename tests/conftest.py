"""Shared test helpers: a temporary vault, importing text or files into it, and reading a table back exactly as
``datavault export`` prints it."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from datavault.exporting import export_table
from datavault.pipeline import import_paths


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return tmp_path / "vault.sqlite"


@pytest.fixture
def network_attempts(monkeypatch) -> list:
    """Socket creation refused for the test (``socket.socket``, ``create_connection``, ``socketpair``): each
    attempt raises OSError and is recorded in the list returned, which a test asserts is empty."""
    import socket

    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    for name in ("socket", "create_connection", "socketpair"):
        monkeypatch.setattr(socket, name, refuse)
    return attempts


def exported(vault: Path, table: str) -> list[dict]:
    buffer = io.StringIO()
    export_table(vault, table, "jsonl", buffer)
    return [json.loads(line) for line in buffer.getvalue().split("\n") if line]  # not splitlines: U+2028 in a text


def write_text(folder: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode(encoding))
    return path


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.fixture
def import_text(tmp_path: Path, vault: Path):
    """Import one text file (written from a str) and return the exported messages."""

    def run(content: str, name: str = "WhatsApp Chat with Ana.txt", **options) -> list[dict]:
        path = write_text(tmp_path / "in", name, content)
        result = import_paths(vault, [path], **options)
        assert not result.errors, result.errors
        return exported(vault, "messages")

    return run
