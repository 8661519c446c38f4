"""Benchmark: import a large WhatsApp chat end to end (parse, key, write to the vault, commit).

Builds an Android chat of N messages with the demo generator and imports it into a fresh vault through the import
pipeline (what ``datavault import`` runs before it prepares the report's index), twice: as ``datavault import``
does for a large file (the importer reading in a second process while the first writes, datavault/reader.py)
and in one process on one core. Reports messages per wall second and per CPU second (both processes counted)
and peak memory (benchmarks/measure.py). When whatstk is installed, it parses the same file in the same run.

    python benchmarks/bench_whatsapp.py [--messages 1000000] [--keep]

Targets (issue 2): >= 150,000 messages/s on one core, peak memory < 200 MB however large the file.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.measure import python  # noqa: E402
from datavault.demo.whatsapp import write_chat  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dv-bench-"))
    try:
        chat = work / "WhatsApp Chat with Jordan Lee.txt"
        write_chat(chat, args.messages, random.Random(1))
        n = args.messages
        size_mb = chat.stat().st_size / 1e6
        vault = work / "vault.sqlite"
        print(f"file: {args.messages:,} messages, {size_mb:.0f} MB")
        importing = ("from datavault.pipeline import import_paths\nimport sys\n"
                     "r = import_paths(sys.argv[1], [sys.argv[2]])\nassert not r.errors, r.errors")
        for label, reader in (("reading in a second process (the default for large inputs)", "process"),
                              ("one process, one core", "inline")):
            for leftover in work.glob("vault.sqlite*"):
                leftover.unlink()
            run = python(importing, str(vault), str(chat), env={"DATAVAULT_READER": reader})
            print(f"datavault import, end to end into the vault, {label}: {run.rates(n, 'messages')}")
        run = python("from datavault.archive import open_inputs\nfrom datavault.importer import ImportContext\n"
                     "from datavault.importers.whatsapp import IMPORTER\nimport sys\n"
                     "a = open_inputs([sys.argv[1]])[0]; m = a.members()[0]\n"
                     "n = sum(1 for _ in IMPORTER.parse(m, ImportContext(archive_name=a.label)))", str(chat))
        print(f"datavault parse only, no database: {run.rates(n, 'messages')}")
        try:
            import whatstk  # noqa: F401
        except ImportError:
            print("whatstk: not installed (pip install whatstk to compare in the same run)")
        else:
            try:
                run = python("from whatstk import df_from_whatsapp\nimport sys\n"
                             "df = df_from_whatsapp(sys.argv[1], hformat='%d/%m/%Y, %H:%M - %name:', max_size=None)",
                             str(chat))
                print(f"whatstk df_from_whatsapp, parse only: {run.rates(n, 'messages')}")
            except RuntimeError as exc:
                print(f"whatstk df_from_whatsapp failed on this file: {exc}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
