"""Benchmark: a large synthetic ``Records.json`` through the location importer, alone and end to end.

    python benchmarks/bench_location.py [--points N] [--keep FILE] [--no-gtp]

Writes a Records.json of N points (default 2,000,000, about 500 MB; 8,000,000 is about 2 GB, the size of a
long-lived account's file) with the fields real files carry, then measures, each in a fresh process so that
peak memory (max RSS) is that run's own:

Each run reports wall-clock and CPU-time rates: on a shared machine, points per CPU second is the figure that
compares across runs.

1. ``parse``: the location importer's generator alone (runs of points decoded by ``json``, ijson only where a
   file is damaged or unusual; key, local time zone, ``extra``);
2. ``import``: ``datavault import`` end to end into a fresh vault (pipeline, keys, SQLite upserts, commit);
3. ``gtp``: google_takeout_parser's ``_parse_location_history`` on the same file, when it is installed
   (it ``json.load``s the whole file, so it is skipped when the file would not fit in memory about 12 times).

Prints one line per run and a JSON summary on stdout. The figures depend on the machine; record them with its
description.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import measure  # noqa: E402


def build_records(path: Path, points: int, seed: int = 1) -> int:
    """A Records.json shaped like a real one: ISO timestamps moving forward, a person moving around a city,
    altitude/velocity/heading on GPS fixes, activity guesses on some, two devices interleaved."""
    rng = random.Random(seed)
    start = 1_600_000_000_000
    lat, lon = 53.80756, -1.55232
    moment = start
    with open(path, "w", encoding="utf-8") as out:
        out.write('{\n  "locations": [')
        for i in range(points):
            moment += rng.randint(2_000, 180_000)
            lat = min(max(lat + rng.gauss(0, 0.0008), 53.70), 53.90)
            lon = min(max(lon + rng.gauss(0, 0.0012), -1.70), -1.40)
            seconds, ms = divmod(moment, 1000)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{ms:03d}Z"
            gps = i % 3 == 0
            fields = [f'"latitudeE7": {round(lat * 1e7)}', f'"longitudeE7": {round(lon * 1e7)}',
                      f'"accuracy": {rng.randint(3, 40) if gps else rng.randint(15, 1800)}']
            if gps:
                fields += [f'"altitude": {rng.randint(40, 160)}', f'"verticalAccuracy": {rng.randint(2, 12)}',
                           f'"velocity": {rng.randint(0, 25)}', f'"heading": {rng.randint(0, 359)}']
            fields += [f'"source": "{"GPS" if gps else "WIFI"}"',
                       f'"deviceTag": {-577680023 if i % 7 else 1234567890}',
                       '"platformType": "ANDROID"', f'"timestamp": "{stamp}"']
            if i % 5 == 0:
                fields.append('"activity": [{"activity": [{"type": "STILL", "confidence": 71}, '
                              '{"type": "ON_FOOT", "confidence": 12}], "timestamp": "' + stamp + '"}]')
            out.write(("," if i else "") + "\n    {\n      " + ",\n      ".join(fields) + "\n    }")
        out.write("\n  ]\n}\n")
    return path.stat().st_size


# ---- the runs, each in its own process ------------------------------------------------------------------------


def _child(mode: str, path: str, vault: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    if mode == "parse":
        from datavault.archive import open_inputs
        from datavault.importer import ImportContext
        from datavault.records import Location, Problem
        from datavault.importers.location import IMPORTER

        [archive] = open_inputs([path])
        [member] = archive.members()
        points = problems = 0
        for item in IMPORTER.parse(member, ImportContext()):
            if type(item) is Location:
                points += 1
            elif type(item) is Problem:
                problems += 1
    elif mode == "import":
        from datavault.pipeline import import_paths

        result = import_paths(vault, [path])
        points = sum(s.records.get("locations", 0) for s in result.sources)
        problems = sum(s.problems for s in result.sources)
    elif mode == "gtp":
        from google_takeout_parser.parse_json import _parse_location_history

        points = problems = 0
        for item in _parse_location_history(Path(path)):
            if isinstance(item, Exception):
                problems += 1
            else:
                points += 1
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps({"points": points, "problems": problems}))
    measure.print_peaks()


def _run(label: str, mode: str, path: Path, vault: Path | None = None, env: dict | None = None) -> dict:
    command = [sys.executable, __file__, "--child", mode, str(path)] + ([str(vault)] if vault else [])
    for leftover in (vault.parent.glob(vault.name + "*") if vault else ()):
        leftover.unlink()
    try:
        run = measure.run(command, env)
    except RuntimeError as exc:
        return {"run": label, "error": str(exc).splitlines()[-1]}
    points = json.loads(run.out)["points"]
    return {"run": label, "points": points, "seconds": round(run.wall, 2), "points_per_s": round(points / run.wall),
            "cpu_seconds": round(run.cpu, 2), "points_per_cpu_s": round(points / run.cpu),
            "peak_rss_mb": run.peaks[0] if run.peaks else round(run.peak_mb),
            "reader_peak_rss_mb": run.peaks[1] if run.peaks else None}


def _available_memory_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2_000_000)
    parser.add_argument("--keep", type=Path, help="reuse (or keep) the Records.json at this path")
    parser.add_argument("--no-gtp", action="store_true", help="do not run google_takeout_parser")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-location-") as tmp:
        records = args.keep or Path(tmp, "Records.json")
        if not records.exists():
            began = time.perf_counter()
            size = build_records(records, args.points)
            print(f"built {records} ({size / 1e6:.0f} MB, {args.points:,} points) in "
                  f"{time.perf_counter() - began:.0f} s", file=sys.stderr)
        size = records.stat().st_size
        import ijson

        summary = {"file_mb": round(size / 1e6), "points": args.points, "ijson_backend": ijson.backend,
                   "python": sys.version.split()[0], "cpus": os.cpu_count(), "runs": []}
        vault = Path(tmp, "vault.sqlite")
        runs = [("importer alone", "parse", None, None),
                ("import, reading in a second process", "import", vault, {"DATAVAULT_READER": "process"}),
                ("import, one process", "import", vault, {"DATAVAULT_READER": "inline"})]
        if not args.no_gtp:
            try:
                import google_takeout_parser  # noqa: F401
            except ImportError:
                summary["gtp"] = "not installed"
            else:
                available = _available_memory_bytes()
                if available is not None and size * 12 > available:
                    summary["gtp"] = (f"skipped: json.load of {size / 1e9:.1f} GB needs about "
                                      f"{size * 12 / 1e9:.0f} GB of memory, {available / 1e9:.0f} GB available")
                else:
                    runs.append(("google_takeout_parser", "gtp", None, None))
        for label, mode, vault, env in runs:
            result = _run(label, mode, records, vault, env)
            if vault is not None and vault.exists():
                result["vault_mb"] = round(vault.stat().st_size / 1e6)
            summary["runs"].append(result)
            print(result, file=sys.stderr)
        print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
