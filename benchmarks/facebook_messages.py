"""Benchmark: a Facebook export of 300,000 Messenger messages in 2,000 threads (issue 5's target: >= 100,000
messages/s, peak memory under 250 MB).

    python benchmarks/facebook_messages.py [--threads 2000] [--per-thread 150] [--keep DIR]

Builds the export zip once (the demo writer's thread format, mojibake and all), then measures in fresh child
processes (benchmarks/measure.py), so each peak RSS is that step's alone:

1. the Facebook importer's claim + parse over every member, records consumed and dropped;
2. the import pipeline end to end into a fresh vault (SQLite writes included), reading in a second process as
   ``datavault import`` does for a large export, then all in one process.

Both wall-clock and CPU seconds (both processes counted) are printed: on a shared machine CPU is the one that
compares.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import measure  # noqa: E402


def build(path: Path, threads: int, per_thread: int) -> int:
    import zipfile

    from datavault.demo import facebook as demo

    rng = random.Random(5)
    start = demo.dt.datetime(2023, 1, 1)
    total = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        files = demo.build_files(rng, 1)
        for name, value in files.items():
            if "/messages/" not in name:
                zf.writestr(name, value if isinstance(value, bytes) else
                            json.dumps(demo.mojibake(value)).encode("ascii"))
        for index in range(threads):
            other = f"Friend Número {index}"
            box = "inbox" if index % 10 else "archived_threads"
            thread_path = f"{box}/friend{index}_{100000 + index}"
            thread = demo._thread(other, [demo.ME, other], thread_path, rng, per_thread, start)
            total += len(thread["messages"])
            zf.writestr(f"your_facebook_activity/messages/{thread_path}/message_1.json",
                        json.dumps(demo.mojibake(thread)).encode("ascii"))
    return total


def count_importer(path: str) -> dict:
    from datavault.archive import open_inputs
    from datavault.importer import ImportContext
    from datavault.records import Message
    from datavault.importers.facebook import IMPORTER

    messages = records = 0
    for archive in open_inputs([path]):
        ctx = ImportContext(archive_name=archive.label, names=archive.names)
        claims = [(m, IMPORTER.claim(m, ctx)) for m in archive.members()]
        for member, claim in claims:
            if claim is None or not claim.parse:
                continue
            for item in IMPORTER.parse(member, ctx):
                records += 1
                if type(item) is Message:
                    messages += 1
    return {"messages": messages, "records": records}


def count_pipeline(path: str, vault: str) -> dict:
    from datavault.pipeline import import_paths

    result = import_paths(vault, [path])
    return {"messages": result.sources[0].records.get("messages", 0)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2000)
    parser.add_argument("--per-thread", type=int, default=150)
    parser.add_argument("--keep")
    parser.add_argument("--step", choices=["importer", "pipeline"])
    parser.add_argument("--zip")
    parser.add_argument("--vault")
    args = parser.parse_args()
    if args.step == "importer":
        print(json.dumps(count_importer(args.zip)))
        measure.print_peaks()
        return
    if args.step == "pipeline":
        print(json.dumps(count_pipeline(args.zip, args.vault)))
        measure.print_peaks()
        return
    work = Path(args.keep or tempfile.mkdtemp(prefix="fb-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    zipped = work / "facebook-bench-2024-01-01-xyz.zip"
    began = time.perf_counter()
    total = build(zipped, args.threads, args.per_thread)
    print(f"built {zipped} ({zipped.stat().st_size / 1e6:.1f} MB, {total:,} messages in {args.threads:,} threads) "
          f"in {time.perf_counter() - began:.1f}s", file=sys.stderr)
    steps = (("importer alone", "importer", {}),
             ("datavault import, reading in a second process", "pipeline", {"DATAVAULT_READER": "process"}),
             ("datavault import, one process", "pipeline", {"DATAVAULT_READER": "inline"}))
    for label, step, env in steps:
        vault = work / "bench.db"
        for leftover in work.glob("bench.db*"):
            leftover.unlink()
        run = measure.run([sys.executable, __file__, "--step", step, "--zip", str(zipped), "--vault", str(vault)], env)
        print(f"{label}: {run.rates(json.loads(run.out)['messages'], 'messages')}")

if __name__ == "__main__":
    main()
