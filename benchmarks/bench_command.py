"""Benchmark: the whole ``datavault import`` command as a user types it (issue 14).

The other benchmarks time ``datavault.pipeline.import_paths``; this one starts the real command in a fresh
process, ``python -m datavault --vault V import INPUT``, so its figures include everything the user waits for:
interpreter start-up and imports, the pipeline, and the report's preparation that the command runs after the
import (``datavault.report.prepare_vault``: word index, hourly rollups). Each input is built once (with the
generators of the other benchmarks, imported from them), then imported ``--runs`` times, each time into a fresh
vault. Wall seconds (median and range), records per wall second, CPU seconds (user + system, every process of
the command counted), peak RSS (the kernel's figure: the largest process of the tree, benchmarks/measure.py) and
the vault's size on disk against the input's uncompressed size are printed for each row.

    python benchmarks/bench_command.py [--runs 3] [--only ROW[,ROW]] [--scale F] [--records-points N]
                                       [--big-points N] [--work DIR] [--no-peers]

Rows (``--scale`` multiplies every size below, e.g. ``--scale 0.02 --runs 1`` for a check in a minute or two):

============ =================================================================== ================================
row          what is measured                                                    target
============ =================================================================== ================================
whatsapp     a 1,000,000-message Android chat into an empty vault                >= 150,000 msg/s, < 200 MB
myactivity   a My Activity JSON of 1,000,000 records (about 500 MB)              >= 100,000 rec/s, < 250 MB
records      a Records.json of 8,000,000 points (``--records-points``, e.g. 20M) >= 150,000 pts/s, < 300 MB
facebook     a Facebook DYI zip of 300,000 messages in 2,000 threads             >= 100,000 msg/s, < 250 MB
reimport     row 1's chat again, into (a copy of) row 1's vault                  < 10 % of row 1's wall time
later        the same chat exported again later, 1 % longer (it starts with the   < 10 % of row 1's wall time
             bytes of row 1's), into (a copy of) row 1's vault
big-vault    row 1's chat into a vault already holding a Records.json of         at most 20 % slower than into an
             ``--big-points`` (5,000,000) points                                 empty vault (the ratio)
report       ``report --format json > /dev/null``, then ``score > /dev/null``,   < 2 s wall each
             on (a copy of) the big vault just after row 6's import
============ =================================================================== ================================

It refuses to run when ``datavault.importers`` is not this checkout's (an editable install maps it to its own
checkout: link ``datavault/importers`` to ``../importers`` in a second checkout compared against it).

reimport, later and big-vault compare against the whatsapp row, so they measure it too when it is not asked for;
report needs big-vault's vault, so it runs big-vault first. Every run first measures the command's fixed cost,
``datavault import`` of a one-message chat (start-up, imports, the report's preparation): at ``--scale 0.02`` it
is most of each row's time, so scaled rates say nothing about the targets (the table does not judge them).

In the same run, where one exists, each input is also read by

- the peer parser: google_takeout_parser (My Activity, Records.json) or whatstk (WhatsApp), parse only, no
  database; they are not dependencies of datavault (``pip install google_takeout_parser whatstk`` into a
  benchmark venv) and the row says "not installed" when they are missing;
- a "raw script", the speed of light for this input: a minimal script that streams the file (a regex over the
  chat's lines; ijson over the JSON; json per thread file of the zip), stores the same rows in one table of a
  fresh SQLite database with ``executemany`` and commits. It keys nothing, deduplicates nothing, indexes nothing.

The ratios printed are datavault's whole command against the peer (records per wall second; goal >= 2x
google_takeout_parser on My Activity) and against the raw script (goal >= 60 %). A final Markdown table, with the
date, the load average, and the Python and SQLite versions, can go into the README as it is. CPU seconds do not
grow when other programs share the machine: they are the figure to compare across runs on a busy machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import measure  # noqa: E402
from benchmarks.bench_location import _available_memory_bytes, build_records  # noqa: E402
from benchmarks.bench_takeout import write_json  # noqa: E402
from benchmarks.facebook_messages import build as build_facebook  # noqa: E402
from datavault.demo.whatsapp import write_chat  # noqa: E402

ROWS = ("whatsapp", "myactivity", "records", "facebook", "reimport", "later", "big-vault", "report")
DATAVAULT = [sys.executable, "-m", "datavault"]


# ---- snippets run in a fresh interpreter (measure.python): each prints the number of records it read last -----

WHATSTK = r"""
import sys
from whatstk import df_from_whatsapp
df = df_from_whatsapp(sys.argv[1], hformat="%d/%m/%Y, %H:%M - %name:", max_size=None)
print(len(df))
"""

GTP_ACTIVITY = r"""
import sys
from pathlib import Path
from google_takeout_parser.parse_json import _parse_json_activity
print(sum(1 for item in _parse_json_activity(Path(sys.argv[1])) if not isinstance(item, Exception)))
"""

GTP_RECORDS = r"""
import sys
from pathlib import Path
from google_takeout_parser.parse_json import _parse_location_history
print(sum(1 for item in _parse_location_history(Path(sys.argv[1])) if not isinstance(item, Exception)))
"""

RAW_WHATSAPP = r"""
import re, sqlite3, sys
line = re.compile(r"(\d\d/\d\d/\d{4}, \d\d:\d\d) - (?:([^:\n]+?): )?(.*)").match
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, sent TEXT, sender TEXT, body TEXT)")
insert = "INSERT INTO messages (sent, sender, body) VALUES (?, ?, ?)"
rows, n, current = [], 0, None
with open(sys.argv[1], encoding="utf-8") as fh:
    for text in fh:
        m = line(text)
        if m:
            if current:
                rows.append(current)
            current = list(m.groups())
        elif current:  # a continuation line of a multi-line message
            current[2] += "\n" + text.rstrip("\n")
        if len(rows) >= 50_000:
            db.executemany(insert, rows); n += len(rows); rows.clear()
if current:
    rows.append(current)
db.executemany(insert, rows); n += len(rows)
db.commit()
print(n)
"""

RAW_IJSON = r"""
import sqlite3, sys, ijson
prefix, fields = sys.argv[3], sys.argv[4].split(",")
db = sqlite3.connect(sys.argv[2])
db.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {', '.join(fields)})")
insert = f"INSERT INTO t ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})"
rows, n = [], 0
with open(sys.argv[1], "rb") as fh:
    for item in ijson.items(fh, prefix, use_float=True):
        rows.append(tuple(item.get(f) for f in fields))
        if len(rows) >= 50_000:
            db.executemany(insert, rows); n += len(rows); rows.clear()
db.executemany(insert, rows); n += len(rows)
db.commit()
print(n)
"""

RAW_FACEBOOK = r"""
import json, re, sqlite3, sys, zipfile
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, thread TEXT, sender TEXT, sent INTEGER, body TEXT)")
insert = "INSERT INTO messages (thread, sender, sent, body) VALUES (?, ?, ?, ?)"
thread_file = re.compile(r".*/messages/(?:inbox|archived_threads|filtered_threads|e2ee_cutover)/[^/]+/message_\d+\.json$")
n = 0
with zipfile.ZipFile(sys.argv[1]) as zf:
    for name in zf.namelist():
        if thread_file.match(name):
            thread = json.loads(zf.read(name))
            rows = [(thread.get("thread_path"), m.get("sender_name"), m.get("timestamp_ms"), m.get("content"))
                    for m in thread.get("messages", [])]
            db.executemany(insert, rows); n += len(rows)
db.commit()
print(n)
"""


# ---- figures --------------------------------------------------------------------------------------------------


@dataclass
class Series:
    """Several runs of one command over the same input of ``n`` records."""

    runs: list[measure.Run]
    n: int

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mb(self) -> float:  # the worst run: the targets are ceilings
        return max(r.peak_mb for r in self.runs)

    @property
    def rate(self) -> float:
        return self.n / self.wall if self.wall else 0.0

    def walls(self) -> str:
        lo, hi = min(r.wall for r in self.runs), max(r.wall for r in self.runs)
        return f"{self.wall:.2f}" + (f" ({lo:.2f}–{hi:.2f})" if len(self.runs) > 1 else "")

    def line(self, unit: str) -> str:
        if not unit:  # not a rate of records (report, score)
            return f"{self.walls()} s wall, {self.cpu:.2f} s CPU, peak RSS {self.peak_mb:.0f} MB"
        return (f"{self.walls()} s wall ({self.rate:,.0f} {unit}/s), {self.cpu:.2f} s CPU "
                f"({self.n / self.cpu if self.cpu else 0:,.0f} {unit}/CPU-s), peak RSS {self.peak_mb:.0f} MB")


@dataclass
class Row:
    name: str
    input: str  # what was imported, e.g. "WhatsApp chat, 20,000 messages"
    unit: str
    target: str
    command: Series | None = None
    met: bool | None = None  # the target, where it can be judged from this row alone
    vault_mb: float | None = None
    input_mb: float | None = None
    peer: str = "–"  # "whatstk 1.1 s (17,764 msg/s, 152 MB); datavault 0.42x", "whatstk not installed", ...
    raw: str = "–"  # "0.08 s (250,800 msg/s, 22 MB); datavault 3%"
    note: str = ""  # reimport and big-vault: their ratio; report: score's figures
    extra: list[tuple[str, Series]] = field(default_factory=list)


def mb(nbytes: float) -> float:
    return nbytes / 1e6


def megabytes(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def vault_bytes(vault: Path) -> int:
    """The vault on disk: the database and whatever journal, WAL or shared-memory file it left."""
    return sum(p.stat().st_size for p in vault.parent.glob(vault.name + "*") if p.is_file())


def input_bytes(path: Path) -> int:
    """Uncompressed size: a zip's members inflated, a plain file as it is."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            return sum(info.file_size for info in zf.infolist())
    return path.stat().st_size


def remove_vault(vault: Path) -> None:
    for leftover in vault.parent.glob(vault.name + "*"):
        leftover.unlink()


def copy_vault(source: Path, target: Path) -> None:
    """A copy of the vault (and its log), written out to disk before the run it is for: otherwise the timed
    import shares the disk with the copy's gigabytes still being written back (the big vault's row measured
    1.24x instead of 1.07-1.12x), which a user's vault never does."""
    remove_vault(target)
    for part in source.parent.glob(source.name + "*"):
        shutil.copyfile(part, target.parent / (target.name + part.name[len(source.name):]))
    os.sync()


def count(vault: Path, table: str) -> int:
    with sqlite3.connect(vault) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def installed(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True).returncode == 0


def versus(label: str, theirs: Series, ours: Series, unit: str, percent: bool) -> str:
    """``label wall (rate, peak); datavault's rate as a multiple (peer) or a share (raw script) of theirs``."""
    ratio = ours.rate / theirs.rate if theirs.rate else float("nan")
    said = f"{ratio:.0%}" if percent else f"{ratio:.2f}x"
    return f"{label}{theirs.walls()} s ({theirs.rate:,.0f} {unit}/s, {theirs.peak_mb:.0f} MB); datavault {said}"


# ---- the benchmark --------------------------------------------------------------------------------------------


class Bench:
    def __init__(self, opts: argparse.Namespace, work: Path):
        self.opts = opts
        self.work = work
        self.vaults = Path(tempfile.mkdtemp(prefix="vaults-", dir=work))
        self.rows: dict[str, Row] = {}
        self._cache: dict[str, object] = {}
        self.has = {m: installed(m) for m in ("whatstk", "google_takeout_parser")} if not opts.no_peers else {}

    def size(self, n: int) -> int:
        return max(1, round(n * self.opts.scale))

    def say(self, text: str) -> None:
        print(text, flush=True)

    # -- inputs, built once (reused from --work when a previous run left them) --

    def _built(self, key: str, build) -> Path:
        if key not in self._cache:
            began = time.perf_counter()
            path = build()
            self.say(f"  input {path.name}: {megabytes(mb(input_bytes(path)))} MB uncompressed "
                     f"({time.perf_counter() - began:.0f} s to build or find)")
            self._cache[key] = path
        return self._cache[key]

    def _fresh(self, path: Path, build) -> Path:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".partial")
            build(partial)
            partial.replace(path)
        return path

    def chat(self) -> tuple[Path, int]:
        n = self.size(1_000_000)
        folder = self.work / f"whatsapp-{n}"
        return self._built("chat", lambda: self._fresh(folder / "WhatsApp Chat with Jordan Lee.txt",
                                                       lambda p: write_chat(p, n, random.Random(1)))), n

    def later_chat(self) -> tuple[Path, int]:
        """Row 1's chat as exported again later: the same seed, 1 % more messages (its first bytes are row 1's)."""
        n = self.size(1_000_000)
        longer = n + n // 100
        folder = self.work / f"whatsapp-{n}-later"
        return self._built("later-chat", lambda: self._fresh(folder / "WhatsApp Chat with Jordan Lee.txt",
                                                             lambda p: write_chat(p, longer, random.Random(1)))), longer

    def myactivity(self) -> tuple[Path, int]:
        n = self.size(1_000_000)
        folder = self.work / f"myactivity-{n}"
        return self._built("myactivity", lambda: self._fresh(folder / "MyActivity.json",
                                                             lambda p: write_json(p, n))), n

    def records_json(self, points: int) -> tuple[Path, int]:
        folder = self.work / f"records-{points}"
        return self._built(f"records-{points}", lambda: self._fresh(folder / "Records.json",
                                                                    lambda p: build_records(p, points))), points

    def facebook(self) -> tuple[Path, int]:
        threads = self.size(2000)
        folder = self.work / f"facebook-{threads}x150"
        return self._built("facebook", lambda: self._fresh(folder / "facebook-bench-2024-01-01-xyz.zip",
                                                           lambda p: build_facebook(p, threads, 150))), threads * 150

    # -- runs --

    def repeat(self, make_args, n: int, setup=None) -> Series:
        """``--runs`` runs of the command ``make_args(i)`` returns, ``setup(i)`` (untimed) before each."""
        runs = []
        for i in range(self.opts.runs):
            if setup:
                setup(i)
            runs.append(measure.run(make_args(i)))
        return Series(runs, n)

    def import_series(self, path: Path, table: str, n: int, tag: str, base: Path | None = None) -> tuple[Series, Path]:
        """``datavault --vault V import PATH`` ``--runs`` times, each into a fresh vault (or a fresh copy of
        ``base``); returns the runs and the last run's vault, kept for the rows that follow. The records per
        second are those the vault holds afterwards (minus what ``base`` held), checked against ``n``."""
        vault = self.vaults / f"{tag}.sqlite"
        before = count(base, table) if base else 0

        def setup(_):
            copy_vault(base, vault) if base else remove_vault(vault)

        series = self.repeat(lambda _: [*DATAVAULT, "--vault", str(vault), "import", str(path)], n, setup)
        stored = count(vault, table) - before
        if stored != n:
            self.say(f"  note: the vault holds {stored:,} new {table}, the input {n:,}; rates use the vault's count")
            series.n = stored
        return series, vault

    def peer_and_raw(self, row: Row, path: Path, peer: tuple[str, str, str] | None, raw: tuple[str, tuple]):
        """The peer parser (module, label, snippet) and the raw script (snippet, extra args) on ``path``."""
        ours = row.command
        if self.opts.no_peers:
            row.peer = row.raw = "not run (--no-peers)"
            return
        if peer:
            module, label, snippet = peer
            if not self.has.get(module):
                row.peer = f"{label} not installed"
            elif label == "google_takeout_parser" and path.name == "Records.json" and \
                    (avail := _available_memory_bytes()) and path.stat().st_size * 12 > avail:
                row.peer = (f"{label} skipped (it json.loads the whole {mb(path.stat().st_size):,.0f} MB file, "
                            f"about 12x that in memory; {mb(avail):,.0f} MB available)")
            else:
                try:
                    theirs = self.repeat(lambda _: [sys.executable, "-c", snippet, str(path)], 0)
                    theirs.n = int(theirs.runs[-1].out)
                    row.peer = versus(f"{label} ", theirs, ours, row.unit, percent=False)
                except (RuntimeError, ValueError) as exc:
                    row.peer = f"{label} failed ({str(exc).splitlines()[-1][:120]})"
            self.say(f"  peer: {row.peer}")
        snippet, extra = raw
        db = self.vaults / "raw.sqlite"
        theirs = self.repeat(lambda _: [sys.executable, "-c", snippet, str(path), str(db), *extra], 0,
                             lambda _: remove_vault(db))
        theirs.n = int(theirs.runs[-1].out)
        remove_vault(db)
        row.raw = versus("", theirs, ours, row.unit, percent=True)
        if theirs.n != ours.n:
            row.raw += f" (it stored {theirs.n:,} rows, datavault {ours.n:,})"
        self.say(f"  raw script: {row.raw}")

    def finish(self, row: Row, vault: Path | None, path: Path | None) -> Row:
        if vault is not None:
            row.vault_mb = mb(vault_bytes(vault))
        if path is not None:
            row.input_mb = mb(input_bytes(path))
        self.rows[row.name] = row
        size = (f"; vault {megabytes(row.vault_mb)} MB for {megabytes(row.input_mb)} MB of input"
                if row.vault_mb else "")
        self.say(f"  datavault {row.command.line(row.unit)}{size}")
        if row.note:
            self.say(f"  {row.note}")
        return row

    def floor(self) -> Series:
        """The command's fixed cost: ``datavault import`` of a one-message chat into a fresh vault (interpreter,
        imports, a vault created, the report's preparation), so that small inputs' rates can be read."""
        if "floor" not in self._cache:
            tiny = self.vaults / "WhatsApp Chat with Jordan Lee.txt"
            tiny.write_text("08/01/2024, 08:31 - Jordan Lee: On my way\n", encoding="utf-8")
            vault = self.vaults / "floor.sqlite"
            self._cache["floor"] = self.repeat(lambda _: [*DATAVAULT, "--vault", str(vault), "import", str(tiny)], 1,
                                               lambda _: remove_vault(vault))
            remove_vault(vault)
            self.say(f"fixed cost: `datavault import` of a one-message chat: {self._cache['floor'].line('')}")
        return self._cache["floor"]

    # -- the rows --

    def row_whatsapp(self) -> Row:
        if "whatsapp" in self.rows:
            return self.rows["whatsapp"]
        self.say("whatsapp: an Android chat into an empty vault")
        chat, n = self.chat()
        row = Row("whatsapp", f"WhatsApp chat, {n:,} messages", "msg", ">= 150,000 msg/s, < 200 MB")
        row.command, vault = self.import_series(chat, "messages", n, "whatsapp")
        row.met = row.command.rate >= 150_000 and row.command.peak_mb < 200
        self._cache["whatsapp-vault"] = vault
        self.finish(row, vault, chat)
        self.peer_and_raw(row, chat, ("whatstk", "whatstk", WHATSTK), (RAW_WHATSAPP, ()))
        return row

    def row_myactivity(self) -> Row:
        self.say("myactivity: My Activity JSON into an empty vault")
        path, n = self.myactivity()
        row = Row("myactivity", f"My Activity JSON, {n:,} records", "rec", ">= 100,000 rec/s, < 250 MB")
        row.command, vault = self.import_series(path, "activities", n, "myactivity")
        row.met = row.command.rate >= 100_000 and row.command.peak_mb < 250
        self.finish(row, vault, path)
        remove_vault(vault)
        self.peer_and_raw(row, path, ("google_takeout_parser", "google_takeout_parser", GTP_ACTIVITY),
                          (RAW_IJSON, ("item", "time,header,title,titleUrl")))
        return row

    def row_records(self) -> Row:
        self.say("records: Records.json into an empty vault")
        path, n = self.records_json(self.size(self.opts.records_points))
        row = Row("records", f"Records.json, {n:,} points", "pts", ">= 150,000 pts/s, < 300 MB")
        row.command, vault = self.import_series(path, "locations", n, "records")
        row.met = row.command.rate >= 150_000 and row.command.peak_mb < 300
        self.finish(row, vault, path)
        remove_vault(vault)
        self.peer_and_raw(row, path, ("google_takeout_parser", "google_takeout_parser", GTP_RECORDS),
                          (RAW_IJSON, ("locations.item", "timestamp,latitudeE7,longitudeE7,accuracy")))
        return row

    def row_facebook(self) -> Row:
        self.say("facebook: a DYI zip of Messenger threads into an empty vault")
        path, n = self.facebook()
        row = Row("facebook", f"Facebook DYI zip, {n:,} messages in {n // 150:,} threads", "msg",
                  ">= 100,000 msg/s, < 250 MB")
        row.command, vault = self.import_series(path, "messages", n, "facebook")
        row.met = row.command.rate >= 100_000 and row.command.peak_mb < 250
        self.finish(row, vault, path)
        remove_vault(vault)
        row.peer = "no peer parser"
        self.peer_and_raw(row, path, None, (RAW_FACEBOOK, ()))
        return row

    def row_reimport(self) -> Row:
        first = self.row_whatsapp()
        self.say("reimport: the same chat again, into the vault of its first import")
        chat, n = self.chat()
        row = Row("reimport", f"the same chat, {n:,} messages, again", "msg", "< 10 % of the first import's wall")
        vault = self.vaults / "reimport.sqlite"
        row.command = self.repeat(lambda _: [*DATAVAULT, "--vault", str(vault), "import", str(chat)], n,
                                  lambda _: copy_vault(self._cache["whatsapp-vault"], vault))
        added = count(vault, "messages") - count(self._cache["whatsapp-vault"], "messages")
        share = row.command.wall / first.command.wall
        row.met = share < 0.10 and added == 0
        row.note = (f"{share:.1%} of the first import's {first.command.wall:.2f} s"
                    + (f"; it added {added:,} messages, should be none" if added else ", nothing added"))
        self.finish(row, vault, chat)
        remove_vault(vault)
        row.peer = row.raw = "–"
        return row

    def row_later(self) -> Row:
        first = self.row_whatsapp()
        self.say("later: the chat exported again later (1 % longer), into the vault of its first import")
        chat, n = self.later_chat()
        _, before = self.chat()
        row = Row("later", f"the chat exported later, {n:,} messages ({n - before:,} new)", "msg",
                  "< 10 % of the first import's wall")
        vault = self.vaults / "later.sqlite"
        row.command = self.repeat(lambda _: [*DATAVAULT, "--vault", str(vault), "import", str(chat)], n - before,
                                  lambda _: copy_vault(self._cache["whatsapp-vault"], vault))
        added = count(vault, "messages") - count(self._cache["whatsapp-vault"], "messages")
        share = row.command.wall / first.command.wall
        row.met = share < 0.10 and added == n - before
        row.note = (f"{share:.1%} of the first import's {first.command.wall:.2f} s; it added {added:,} messages"
                    + ("" if added == n - before else f", should be {n - before:,}"))
        self.finish(row, vault, chat)
        remove_vault(vault)
        row.peer = row.raw = "–"
        return row

    def row_big_vault(self) -> Row:
        if "big-vault" in self.rows:
            return self.rows["big-vault"]
        empty = self.row_whatsapp()
        points = self.size(self.opts.big_points)
        self.say(f"big-vault: the chat into a vault already holding {points:,} location points")
        records, _ = self.records_json(points)
        base = self.vaults / "big-base.sqlite"
        began = time.perf_counter()
        measure.run([*DATAVAULT, "--vault", str(base), "import", str(records)])
        held = count(base, "locations")
        self.say(f"  the big vault: {held:,} points, {mb(vault_bytes(base)):,.0f} MB "
                 f"({time.perf_counter() - began:.0f} s to import, not timed here)")
        chat, n = self.chat()
        row = Row("big-vault", f"the chat into a vault of {held:,} points", "msg",
                  "<= 1.20x the empty vault's wall")
        row.command, vault = self.import_series(chat, "messages", n, "big-vault", base=base)
        ratio = row.command.wall / empty.command.wall
        row.met = ratio <= 1.20
        row.note = f"{ratio:.2f}x the {empty.command.wall:.2f} s into an empty vault"
        remove_vault(base)
        self._cache["big-vault"] = vault
        self.finish(row, vault, chat)
        row.peer = row.raw = "–"
        return row

    def row_report(self) -> Row:
        self.row_big_vault()
        source = self._cache["big-vault"]
        held = count(source, "messages") + count(source, "locations")
        self.say(f"report: `report --format json` then `score` on the big vault after the import ({held:,} records)")
        vault = self.vaults / "report.sqlite"
        shell = '"$0" -m datavault --vault "$1" "$2" > /dev/null'  # the output goes where the user sends it
        reports, scores = [], []
        for _ in range(self.opts.runs):  # each time the first report after the import, then its score
            copy_vault(source, vault)
            reports.append(measure.run(["sh", "-c", shell + ' --format json', sys.executable, str(vault), "report"]))
            scores.append(measure.run(["sh", "-c", shell, sys.executable, str(vault), "score"]))
        row = Row("report", f"report --format json on {held:,} records", "", "< 2 s wall each")
        row.command = Series(reports, held)
        score = Series(scores, held)
        row.extra.append(("score", score))
        row.met = row.command.wall < 2 and score.wall < 2
        row.note = f"score {score.line('')}"
        self.finish(row, None, None)
        remove_vault(vault)
        return row


# ---- the table ------------------------------------------------------------------------------------------------


def load() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def markdown(rows: list[Row], floor: Series, opts: argparse.Namespace, began: str, ended: str) -> str:
    head = (f"`datavault import` as typed, {opts.runs} run(s) per row, median wall (range); "
            f"{dt.date.today().isoformat()}, {os.cpu_count()} CPU(s), Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}; `uptime` before: {began.split('load average:')[-1].strip()}, "
            f"after: {ended.split('load average:')[-1].strip()}"
            + (f"; sizes x {opts.scale:g}, targets not judged" if opts.scale != 1 else "")
            + f". Fixed cost of the command (a one-message chat): {floor.wall:.2f} s wall, {floor.cpu:.2f} s CPU.")
    lines = [head, "",
             "| row | input | wall s | rate /s | CPU s | peak RSS | vault / input | target | met | peer | raw script |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        c = row.command
        size = f"{megabytes(row.vault_mb)} / {megabytes(row.input_mb)} MB" if row.vault_mb else "–"
        met = {True: "yes", False: "**no**", None: "–"}[row.met if opts.scale == 1 else None]
        target = row.target + (f": {row.note}" if row.note else "")
        rate = f"{c.rate:,.0f} {row.unit}" if row.unit else "–"
        lines.append(f"| {row.name} | {row.input} | {c.walls()} | {rate} | {c.cpu:.2f} | "
                     f"{c.peak_mb:.0f} MB | {size} | {target} | {met} | {row.peer} | {row.raw} |")
    return "\n".join(lines)


def same_tree() -> str | None:
    """Why the code the commands would run is not this checkout's, or None. An editable install maps
    ``datavault.importers`` to its own checkout's ``importers/``, so a second checkout on PYTHONPATH (an old
    version to compare) would still run the installed checkout's importers."""
    import datavault

    link = (f"run with PYTHONPATH={ROOT}, and for a second checkout link its importers "
            f"(ln -s ../importers {ROOT / 'datavault' / 'importers'})")
    try:
        import datavault.importers
    except ImportError as exc:  # the installed checkout's importers, against this checkout's datavault
        return f"datavault.importers cannot be imported with this checkout's datavault ({exc}): {link}"
    for module, folder in ((datavault, ROOT / "datavault"), (datavault.importers, ROOT / "importers")):
        if Path(module.__file__).resolve().parent != folder.resolve():
            return f"{module.__name__} comes from {Path(module.__file__).parent}, not {folder}: {link}"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="imports per row, each into a fresh vault (default 3)")
    ap.add_argument("--only", help="comma-separated rows: " + ",".join(ROWS))
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every size (e.g. 0.02 for a quick check)")
    ap.add_argument("--records-points", type=int, default=8_000_000, help="points of the records row (e.g. 20000000)")
    ap.add_argument("--big-points", type=int, default=5_000_000, help="points already in the big vault")
    ap.add_argument("--work", type=Path, help="build the inputs here and keep them (reused by the next run)")
    ap.add_argument("--no-peers", action="store_true", help="skip the peer parsers and the raw scripts")
    opts = ap.parse_args()
    if (why := same_tree()) is not None:
        ap.error(why)
    wanted = ROWS if not opts.only else tuple(r.strip() for r in opts.only.split(","))
    unknown = [r for r in wanted if r not in ROWS]
    if unknown:
        ap.error(f"unknown row(s) {', '.join(unknown)}; rows are {', '.join(ROWS)}")
    work = opts.work or Path(tempfile.mkdtemp(prefix="bench-command-"))
    work.mkdir(parents=True, exist_ok=True)
    began = load()
    print(began, flush=True)
    bench = Bench(opts, work)
    try:
        floor = bench.floor()
        for name in ROWS:  # in this order whatever --only's: reimport and big-vault need whatsapp's figures
            if name in wanted:
                getattr(bench, "row_" + name.replace("-", "_"))()
        ended = load()
        print(ended)
        print()
        print(markdown([bench.rows[n] for n in ROWS if n in bench.rows], floor, opts, began, ended))
    finally:
        shutil.rmtree(bench.vaults, ignore_errors=True)
        if opts.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
