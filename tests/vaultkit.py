"""A small vault for tests, built from record objects (datavault/records.py) with the store's own write path."""

from __future__ import annotations

from pathlib import Path

from datavault.pipeline import ingest_records


def make_vault(path: Path, records, label: str = "test", platform: str = "test") -> Path:
    ingest_records(path, list(records), label, platform=platform)
    return path
