"""Mutated demo exports, for the fuzz suite (tests/test_fuzz_imports.py) and its larger run
(benchmarks/fuzz_imports.py).

A *base* is the demo persona's exports imported into a vault, with a snapshot of every record and of each
source's inventory. A *case* takes one of those exports, applies a few mutations (bytes flipped or cut, lines
of a chat replaced by nasty ones, a zip member's JSON damaged, a member duplicated, dropped or added), imports
the result with the real CLI into a copy of the base vault, then asks for the inventory and the report.
``run_case`` raises AssertionError when anything a user must never see happens: a traceback, an exit status
other than 0 or 1, a vault that fails ``PRAGMA integrity_check``, an earlier record changed or gone, or the
inventory of an earlier import made worse.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from datavault.cli import app
from datavault.demo import build_exports
from datavault.pipeline import import_paths

NASTY_LINES = [
    "12/03/9999, 23:59 - Ana: from the year 9999",
    "31/12/9999, 23:59 - [/]: [bold]markup[/bold] [link=http://evil.example]link[/link] :smile:",
    "01/01/0001, 00:00 - Ana: the first day",
    "99/99/2024, 25:61 - Ana: no such time",
    "12/03/2023, 10:00 - : no sender",
    "12/03/2023, 10:00 - [red]Sam Rivera: [/]",
    "\x00\x00\x00 binary in a chat \x00",
    "\ufeff12/03/2023, 10:00 - Ana: a BOM in the middle",
    "x" * 20_000,
    "12/03/2023, 10:00 - Ana: \u202e\u2028\u2029 odd separators",
]
NASTY_VALUES = ["9999-12-31", "9999-12-31T23:59:59Z", 253402300799, 99999999999999, -1, 0, None, "[/]",
                "[link=http://evil.example]x[/link]", 1e308, "", [], {}, "\udcff" * 0 + "ÃƒÂ©"]
OPS = ("flip", "cut", "lines", "json", "drop", "dup", "add")


@dataclass
class Base:
    root: Path
    vault: Path
    exports: list[Path]
    records: dict[str, set[tuple]]  # physical table -> rows as the earlier imports left them
    inventory: dict[int, list[tuple]]  # source id -> (member, status, records) of each file


def build_base(root: Path) -> Base:
    exports = build_exports(root / "exports", seed=7)
    vault = root / "base.sqlite"
    import_paths(vault, exports)
    return Base(root, vault, exports, snapshot_records(vault), snapshot_inventory(vault))


def snapshot_records(vault: Path) -> dict[str, set[tuple]]:
    """Every record by its contract content (not ``sources`` or ``extra``, which may learn another import)."""
    out = {}
    with sqlite3.connect(vault) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name LIKE 'rec\\_%' ESCAPE '\\'")]
        for table in tables:
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("sources", "extra")]
            out[table] = set(conn.execute(f"SELECT {', '.join(cols)} FROM {table}"))
    return out


def snapshot_inventory(vault: Path) -> dict[int, list[tuple]]:
    with sqlite3.connect(vault) as conn:
        out: dict[int, list[tuple]] = {}
        for source, member, status, records in conn.execute(
                "SELECT source_id, member, status, records FROM files ORDER BY id"):
            out.setdefault(source, []).append((member, status, records))
    return out


# ---------------------------------------------------------------------------------------------------------------
# mutations


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def _cut(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(max(len(data), 1))]


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(lines) + 1)
        nasty = rng.choice(NASTY_LINES).encode("utf-8", "surrogatepass")
        if rng.random() < 0.5 and i < len(lines):
            lines[i] = nasty
        else:
            lines.insert(i, nasty)
    if rng.random() < 0.2:
        lines.insert(rng.randrange(len(lines) + 1), b"\xff\xfe\xfa invalid utf-8")
    return b"\n".join(lines)


def _json(data: bytes, rng: random.Random) -> bytes:
    """Replace a few JSON scalars by nasty values (as text: the result need not stay valid JSON)."""
    import json
    import re

    text = data.decode("utf-8", "replace")
    spots = [m.span() for m in re.finditer(r'(?<=: )("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)', text)]
    for start, end in sorted(rng.sample(spots, min(len(spots), rng.randint(1, 6))), reverse=True):
        value = rng.choice(NASTY_VALUES)
        text = text[:start] + json.dumps(value, ensure_ascii=rng.random() < 0.5) + text[end:]
    return text.encode("utf-8", "surrogatepass")


def mutate_bytes(data: bytes, op: str, rng: random.Random) -> bytes:
    if op == "cut":
        return _cut(data, rng)
    if op == "lines":
        return _lines(data, rng)
    if op == "json":
        return _json(data, rng) if data.lstrip()[:1] in (b"{", b"[") else _lines(data, rng)
    return _flip(data, rng)


def _mutate_zip(path: Path, out: Path, ops: list[tuple[str, int]]) -> None:
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    raw_ops = []
    for op, seed in ops:
        rng = random.Random(seed)
        if op in ("flip", "cut") and rng.random() < 0.5:
            raw_ops.append((op, seed))  # damage the zip file itself, after it is written
            continue
        if not members:
            continue
        i = rng.randrange(len(members))
        info, data = members[i]
        if op == "drop":
            members.pop(i)
        elif op == "dup":
            members.insert(rng.randrange(len(members) + 1), (info, mutate_bytes(data, "lines", rng)))
        elif op == "add":
            name = rng.choice(["_chat.txt", "../../escape.txt", "your_facebook_activity/x.json", "[/].json",
                               "Takeout/My Activity/Search/MyActivity.json", "dir/", "bomb.txt"])
            body = (b"12/03/2023, 10:00 - Ana: again\n" * rng.randint(1, 20_000) if name == "bomb.txt"
                    else mutate_bytes(data, "json", rng))
            members.append((zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), body))
        else:
            members[i] = (info, mutate_bytes(data, op, rng))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicated member is the point
        for info, data in members:
            info.compress_type = zipfile.ZIP_DEFLATED
            try:
                zf.writestr(info, data)
            except (ValueError, zipfile.BadZipFile):
                pass
    for op, seed in raw_ops:
        out.write_bytes(mutate_bytes(out.read_bytes(), op, random.Random(seed)))


def mutate_export(path: Path, target_dir: Path, ops: list[tuple[str, int]]) -> Path:
    """A mutated copy of one demo export (a zip, a chat file or a folder), under ``target_dir``."""
    target_dir.mkdir(parents=True, exist_ok=True)
    out = target_dir / path.name
    if path.is_dir():
        shutil.copytree(path, out)
        files = sorted(p for p in out.rglob("*") if p.is_file())
        for op, seed in ops:
            rng = random.Random(seed)
            victim = rng.choice(files)
            if op == "drop":
                victim.unlink(missing_ok=True)
            else:
                if victim.exists():
                    victim.write_bytes(mutate_bytes(victim.read_bytes(), op, rng))
    elif zipfile.is_zipfile(path):
        _mutate_zip(path, out, ops)
    else:
        data = path.read_bytes()
        for op, seed in ops:
            data = mutate_bytes(data, op if op in ("flip", "cut", "lines") else "lines", random.Random(seed))
        out.write_bytes(data)
    return out


# ---------------------------------------------------------------------------------------------------------------
# one case

_runner = CliRunner()


def _cli(vault: Path, *args: str):
    result = _runner.invoke(app, ["--vault", str(vault), *args])
    text = result.stdout + result.stderr
    assert "Traceback" not in text, text[-3000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), (args, result.exit_code, text[-2000:])
    assert "Internal error" not in text, text[-2000:]
    return result


_RANK = {"failed": 0, "unknown": 1, "skipped": 2, "parsed": 3}


def run_case(base: Base, work: Path, target: int, ops: list[tuple[str, int]]) -> int:
    """Import a mutated copy of export ``target`` into a copy of the base vault; check everything; the exit
    status of the import."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    vault = work / "vault.sqlite"
    shutil.copyfile(base.vault, vault)
    mutated = mutate_export(base.exports[target], work / "in", ops)
    status = _cli(vault, "import", str(mutated)).exit_code

    with sqlite3.connect(vault) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    after = snapshot_records(vault)
    for table, rows in base.records.items():
        lost = rows - after.get(table, set())
        assert not lost, f"{table}: {len(lost)} earlier record(s) changed or gone, e.g. {sorted(lost, key=str)[:1]}"
    inventory = snapshot_inventory(vault)
    for source, files in base.inventory.items():
        now = inventory.get(source)
        assert now is not None and len(now) == len(files), (source, files, now)
        for (member, was, records), (member2, is_, records2) in zip(files, now):
            assert member == member2 and (_RANK[is_], records2) >= (_RANK[was], records) or (
                _RANK[is_] > _RANK[was]), (source, member, (was, records), (is_, records2))
    _cli(vault, "inventory")
    assert _cli(vault, "report", "--format", "json").exit_code == 0
    assert _cli(vault, "score").exit_code == 0
    return status
