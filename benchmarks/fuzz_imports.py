"""Fuzz run: many mutated demo exports through the real ``datavault import``, ``inventory``, ``report`` and
``score`` (tests/fuzzkit.py), the larger sibling of tests/test_fuzz_imports.py's slice.

Each case flips or cuts bytes, replaces chat lines with nasty ones (year 9999, markup, NUL bytes, invalid
UTF-8), damages JSON values, or drops, duplicates and adds zip members, in one of the demo's seven exports, and
imports it into a copy of a vault that already holds all of them. A case fails on a traceback, an exit status
other than 0 or 1, an "Internal error", a failed ``PRAGMA integrity_check``, an earlier record changed or gone,
or an earlier import's inventory made worse. Failing cases are printed with their seed, so they can be replayed.

    python benchmarks/fuzz_imports.py [--cases 300] [--seed 1] [--keep]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fuzzkit import OPS, build_base, run_case  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (and failing cases)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dv-fuzz-"))
    started = time.perf_counter()
    failures = []
    statuses = {0: 0, 1: 0}
    try:
        base = build_base(work / "base")
        rng = random.Random(args.seed)
        for n in range(args.cases):
            target = rng.randrange(len(base.exports))
            ops = [(rng.choice(OPS), rng.randrange(2**31)) for _ in range(rng.randint(1, 3))]
            try:
                statuses[run_case(base, work / "case", target, ops)] += 1
            except Exception as exc:  # AssertionError or a crash of the harness itself: report, go on
                failures.append((n, target, ops, exc))
                print(f"case {n}: export {base.exports[target].name}, ops {ops}: "
                      f"{''.join(traceback.format_exception_only(exc)).strip()[:800]}", flush=True)
                if args.keep:
                    shutil.copytree(work / "case", work / f"failed-{n}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - started
    print(f"{args.cases} cases in {elapsed:.1f} s: {statuses[0]} imported (exit 0), {statuses[1]} refused or "
          f"partly failed (exit 1), {len(failures)} failing" + (f"; work folder {work}" if args.keep else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
