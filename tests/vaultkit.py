"""A small vault for tests, built from record objects (datavault/records.py) with the store's own write path."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Iterator

from datavault.pipeline import ingest_records


def make_vault(path: Path, records, label: str = "test", platform: str = "test") -> Path:
    ingest_records(path, list(records), label, platform=platform)
    return path


@contextlib.contextmanager
def sql_trace() -> Iterator[list[str]]:
    """Every SQL statement run on the SQLite connections opened inside the block, in order."""
    statements: list[str] = []
    real_connect = sqlite3.connect

    def traced(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    sqlite3.connect = traced
    try:
        yield statements
    finally:
        sqlite3.connect = real_connect
