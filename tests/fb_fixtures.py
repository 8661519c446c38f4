"""Helpers for the Facebook importer tests: write small export trees (zipped on the fly) the way Facebook
writes them (every non-ASCII character as one \\u00XX escape per UTF-8 byte), and run the importer over them
without a vault, so tests can compare whole records."""

from __future__ import annotations

import json
import zipfile
from dataclasses import fields
from pathlib import Path
from typing import Any

from datavault.archive import open_inputs
from datavault.demo.facebook import mojibake  # noqa: F401 (the tests use it from here)
from datavault.importer import ImportContext
from datavault.records import Note, OwnerDecision, Problem
from datavault.importers.facebook import IMPORTER


def fb_json(value: Any) -> str:
    """Facebook's JSON text of ``value`` (mojibake, ASCII-escaped)."""
    return json.dumps(mojibake(value), indent=2)


def write_zip(path: Path, files: dict[str, Any]) -> Path:
    """A zip of ``files`` (path -> JSON value, or str/bytes written as they are)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            if isinstance(content, bytes):
                zf.writestr(name, content)
            elif isinstance(content, str):
                zf.writestr(name, content.encode("utf-8"))
            else:
                zf.writestr(name, fb_json(content))
    return path


class Result:
    def __init__(self):
        self.records: list[Any] = []
        self.problems: list[tuple[str, Problem]] = []
        self.notes: list[tuple[str, Note]] = []
        self.claims: dict[str, Any] = {}
        self.concluded: list[Any] = []

    def of(self, cls, **where) -> list[Any]:
        return [r for r in self.records if isinstance(r, cls)
                and all(getattr(r, k) == v for k, v in where.items())]

    def note(self, name: str) -> list[Any]:
        return [n.value for _, n in self.notes if n.name == name] + \
            [n.value for n in self.concluded if isinstance(n, Note) and n.name == name]

    @property
    def decisions(self) -> list[OwnerDecision]:
        return [d for d in self.concluded if isinstance(d, OwnerDecision)]


def run_importer(*paths: Path, me: str | None = None, importer=IMPORTER) -> Result:
    result = Result()
    pending: list[tuple[str, Note]] = []
    for archive in open_inputs(list(paths)):
        ctx = ImportContext(archive_name=archive.label, names=archive.names, me=me, created=archive.created())
        for member in archive.members():  # like the pipeline: every member is claimed before any is parsed
            result.claims[member.name] = importer.claim(member, ctx)
        for member in archive.members():
            claim = result.claims[member.name]
            if claim is None or not claim.parse:
                continue
            for item in importer.parse(member, ctx):
                if isinstance(item, Problem):
                    result.problems.append((member.name, item))
                elif isinstance(item, Note):
                    result.notes.append((member.name, item))
                    pending.append((f"1:{member.name}", item))
                else:
                    item.source_file = member.name
                    result.records.append(item)
        archive.close()
    result.concluded = list(importer.conclude(pending, ImportContext(me=me)))
    return result


def whole(record: Any) -> dict[str, Any]:
    """Every field of a record except ``raw`` (tested separately) and what follows from the key (``key_time``,
    not compared), for exact comparisons."""
    return {f.name: getattr(record, f.name) for f in fields(record) if f.name != "raw" and f.compare}
