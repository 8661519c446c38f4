"""Benchmark: import a large WhatsApp chat end to end (parse, key, write to the vault, commit).

Builds an Android chat of N messages with the demo generator, imports it into a fresh vault in a child process
through the import pipeline (what ``datavault import`` runs before it prepares the report's index) and reports
messages per second, CPU time and the child's peak memory.
When whatstk is installed, it parses the same file in the same run for comparison.

    python benchmarks/bench_whatsapp.py [--messages 1000000] [--keep]

Targets (issue 2): >= 150,000 messages/s on one core, peak memory < 200 MB however large the file.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datavault.demo.whatsapp import write_chat  # noqa: E402

CHILD = """
import resource, sys, time
t, c = time.perf_counter(), time.process_time()
{body}
print(time.perf_counter() - t, time.process_time() - c, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_child(body: str) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of a fresh interpreter running ``body``.

    CPU seconds are what one core spent; on a shared machine they are the steadier figure."""
    proc = subprocess.run([sys.executable, "-c", CHILD.format(body=body)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr.strip().splitlines() or ["failed"])[-1])
    out = proc.stdout.split()
    return float(out[-3]), float(out[-2]), int(out[-1]) / 1024


def line(what: str, n: int, wall: float, cpu: float, rss: float) -> str:
    return (f"{what}: {wall:.1f} s wall ({n / wall:,.0f} messages/s), {cpu:.1f} s CPU ({n / cpu:,.0f} messages/s "
            f"per core), peak RSS {rss:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dv-bench-"))
    try:
        chat = work / "WhatsApp Chat with Jordan Lee.txt"
        write_chat(chat, args.messages, random.Random(1))
        size_mb = chat.stat().st_size / 1e6
        vault = work / "vault.sqlite"
        print(f"file: {args.messages:,} messages, {size_mb:.0f} MB")
        print(line("datavault import, end to end into the vault", args.messages, *run_child(
            "from datavault.pipeline import import_paths\n"
            f"r = import_paths({str(vault)!r}, [{str(chat)!r}])\n"
            "assert not r.errors, r.errors")))
        print(line("datavault parse only, no database", args.messages, *run_child(
            "from datavault.archive import open_inputs\nfrom datavault.importer import ImportContext\n"
            "from importers.whatsapp import IMPORTER\n"
            f"a = open_inputs([{str(chat)!r}])[0]; m = a.members()[0]\n"
            "n = sum(1 for _ in IMPORTER.parse(m, ImportContext(archive_name=a.label)))")))
        try:
            import whatstk  # noqa: F401
        except ImportError:
            print("whatstk: not installed (pip install whatstk to compare in the same run)")
        else:
            try:
                print(line("whatstk df_from_whatsapp, parse only", args.messages, *run_child(
                    "from whatstk import df_from_whatsapp\n"
                    f"df = df_from_whatsapp({str(chat)!r}, hformat='%d/%m/%Y, %H:%M - %name:', max_size=None)")))
            except RuntimeError as exc:
                print(f"whatstk df_from_whatsapp failed on this file: {exc}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
