"""A small vault for tests, built from record objects (datavault/records.py).

Uses the store's ``datavault.pipeline.ingest_records`` when it exists; until then it writes the same shape
the store promises: physical tables ``rec_<table>`` (contract fields plus ``ts`` and ``extra``) and the
contract's views on top.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import fields
from pathlib import Path

from datavault.records import RECORD_TYPES
from datavault.timeutil import sort_key

CONTRACT = {
    "messages": ["time", "platform", "conversation", "sender", "from_owner", "text", "kind", "edited", "source_file", "locator"],
    "activities": ["time", "platform", "product", "action", "title", "url", "source_file", "locator"],
    "locations": ["time", "end_time", "lat", "lon", "accuracy_m", "kind", "place_name", "semantic_type", "mode", "source_file", "locator"],
    "people": ["name", "platform", "relation", "since", "phones", "emails", "source_file"],
    "purchases": ["time", "platform", "item", "merchant", "amount", "currency", "payment_method", "source_file", "locator"],
    "platform_inferences": ["platform", "category", "value", "time", "source_file"],
    "profile": ["platform", "field", "value", "time", "source_file"],
    "posts": ["time", "platform", "kind", "text", "target", "source_file", "locator"],
}


def make_vault(path: Path, records, label: str = "test") -> Path:
    try:
        from datavault.pipeline import ingest_records  # type: ignore
    except ImportError:
        ingest_records = None
    if ingest_records is not None:
        ingest_records(path, list(records), label)
        return path
    conn = sqlite3.connect(path)
    for table, cols in CONTRACT.items():
        extra_cols = [c for c in cols if c != "time"] + (["time"] if "time" in cols else [])
        conn.execute(f"CREATE TABLE IF NOT EXISTS rec_{table} (id INTEGER PRIMARY KEY, {', '.join(cols)}, ts REAL, extra TEXT)")
        conn.execute(f"CREATE VIEW IF NOT EXISTS {table} AS SELECT {', '.join(cols)} FROM rec_{table}")
    for rec in records:
        cols = CONTRACT[rec.TABLE]
        row = {}
        for c in cols:
            v = getattr(rec, c, None)
            if c == "source_file" and v is None:
                v = f"{label}.txt"
            if isinstance(v, list):
                v = json.dumps(v, ensure_ascii=False)
            row[c] = v
        row["ts"] = sort_key(getattr(rec, "time", None))
        row["extra"] = json.dumps(rec.extra, ensure_ascii=False) if rec.extra else None
        conn.execute(f"INSERT INTO rec_{rec.TABLE} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    conn.commit()
    conn.close()
    return path
