"""Benchmark: My Activity import speed and peak memory (issue 3's targets).

    python benchmarks/bench_takeout.py [--records 1000000] [--html-mb 200] [--mbox-mb 0] [--skip-import] [--keep DIR]

Writes a synthetic ``MyActivity.json`` of ``--records`` records (about 500 bytes each: 1,000,000 is ~500 MB)
and a ``MyActivity.html`` of about ``--html-mb`` MB, then measures, each in a fresh subprocess so peak memory
(max RSS) belongs to that step alone:

- parse: the takeout importer's generator alone (records per wall second and per CPU second, peak RSS);
- import: the import pipeline into a fresh vault (reading in a second process, as ``datavault import`` does for a
  large file), then the ``datavault import`` command, which also brings the report's word index and rollups up
  to date;
- gtp: google_takeout_parser reading the same file, when it is installed (it is not a dependency).

Targets: JSON >= 100,000 records/s with peak RSS < 250 MB; HTML peak RSS < 300 MB. ``--mbox-mb`` adds a Gmail
mbox (10 KB mails and one 30 MB attachment) to show that memory stays bounded by the largest mail.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import measure  # noqa: E402

WORDS = ("nappies toddler nursery pharmacy loan debt jobs leeds weather recipe flights union party clinic "
         "bus football concert trainers sofa mortgage insurance holiday").split()


def write_json(path: Path, records: int) -> None:
    rng = random.Random(1)
    t = 1_760_000_000_000  # ms
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[")
        for i in range(records):
            t -= rng.randrange(1, 60_000)
            q = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 6)))
            secs, ms = divmod(t, 1000)
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(secs)) + f".{ms:03d}Z"
            if i % 3 == 0:
                item = {"header": "YouTube", "title": f"Watched {q}",
                        "titleUrl": f"https://www.youtube.com/watch?v\u003dv{i:09d}",
                        "subtitles": [{"name": f"Channel {i % 500}", "url": f"https://www.youtube.com/channel/UC{i % 500:06d}"}],
                        "time": stamp, "products": ["YouTube"], "activityControls": ["YouTube watch history"]}
            elif i % 3 == 1:
                item = {"header": "Search", "title": f"Searched for {q}",
                        "titleUrl": "https://www.google.com/search?q\u003d" + q.replace(" ", "+"),
                        "time": stamp, "products": ["Search"],
                        "locationInfos": [{"name": "At this general area",
                                           "url": "https://www.google.com/maps/@?api\u003d1\u0026map_action\u003dmap\u0026center\u003d53.8,-1.55\u0026zoom\u003d12",
                                           "source": "From your device"}],
                        "activityControls": ["Web \u0026 App Activity"]}
            else:
                item = {"header": "Search", "title": f"Visited {q}",
                        "titleUrl": f"https://www.google.com/url?q\u003dhttps://example.org/{i}\u0026usg\u003dAOvVaw{i}",
                        "time": stamp, "products": ["Search"], "activityControls": ["Web \u0026 App Activity"]}
            if i:
                fh.write(",")
            fh.write(json.dumps(item, indent=2))
        fh.write("]")


def write_html(path: Path, megabytes: int) -> int:
    rng = random.Random(2)
    target = megabytes * 1_000_000
    t = 1_760_000_000
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('<html><head><meta charset="UTF-8"></head><body><div class="mdl-grid">')
        while fh.tell() < target:
            t -= rng.randrange(1, 600)
            q = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 6)))
            g = time.gmtime(t)
            stamp = (f"{time.strftime('%b', g)} {g.tm_mday}, {g.tm_year}, {g.tm_hour % 12 or 12}:"
                     f"{time.strftime('%M:%S', g)} {'AM' if g.tm_hour < 12 else 'PM'} GMT")
            fh.write(
                '<div class="outer-cell mdl-cell mdl-cell--12-col mdl-shadow--2dp"><div class="mdl-grid">'
                '<div class="header-cell mdl-cell mdl-cell--12-col"><p class="mdl-typography--title">Search<br></p></div>'
                '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1">Searched for&nbsp;'
                f'<a href="https://www.google.com/search?q={q.replace(" ", "+")}">{q}</a><br>{stamp}</div>'
                '<div class="content-cell mdl-cell mdl-cell--6-col mdl-typography--body-1 mdl-typography--text-right"></div>'
                '<div class="content-cell mdl-cell mdl-cell--12-col mdl-typography--caption"><b>Products:</b><br>'
                '&emsp;Search<br></div></div></div>\n')
            n += 1
        fh.write("</div></body></html>")
    return n


def write_mbox(path: Path, megabytes: int) -> None:
    """Mails of about 10 KB each, and one with a 30 MB attachment in the middle (memory must stay bounded)."""
    import base64
    body = ("hello world " * 800 + "\n").encode()
    target = megabytes * 1_000_000
    with open(path, "wb") as fh:
        i = 0
        while fh.tell() < target:
            fh.write(f"From {1700000000000000000 + i}@xxx Tue Aug 05 08:00:23 +0000 2008\r\nX-GM-THRID: {i}\r\n"
                     f"X-Gmail-Labels: Inbox\r\nFrom: A <a@example.org>\r\nSubject: mail {i}\r\n"
                     f"Message-ID: <m{i}@example.org>\r\nDate: Tue, 5 Aug 2008 01:00:12 -0700\r\n\r\n".encode())
            fh.write(body)
            i += 1
            if i == 100:
                fh.write(b"From 1@xxx Tue Aug 05 08:00:23 +0000 2008\r\nFrom: B <b@example.org>\r\nSubject: big\r\n"
                         b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\n"
                         b"Content-Type: text/plain\r\n\r\nsee attached\r\n--XX\r\n"
                         b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
                         b"Content-Disposition: attachment; filename=\"big.bin\"\r\n\r\n"
                         + base64.encodebytes(bytes(30_000_000)) + b"\r\n--XX--\r\n")


PARSE_SNIPPET = r"""
import io, resource, sys, time
from datavault.archive import open_inputs
from datavault.importer import ImportContext
from datavault.importers.takeout import IMPORTER
archive = open_inputs([sys.argv[1]])[0]
ctx = ImportContext(archive_name=archive.label, created=archive.created())
member = archive.members()[0]
start = time.perf_counter()
n = sum(1 for r in IMPORTER.parse(member, ctx) if hasattr(r, "TABLE"))
elapsed = time.perf_counter() - start
print(n, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

GTP_SNIPPET = r"""
import resource, sys, time
from pathlib import Path
start = time.perf_counter()
if sys.argv[1].endswith(".json"):
    from google_takeout_parser.parse_json import _parse_json_activity
    n = sum(1 for _ in _parse_json_activity(Path(sys.argv[1])))
else:
    from google_takeout_parser.parse_html.activity import _parse_html_activity
    n = sum(1 for _ in _parse_html_activity(Path(sys.argv[1])))
print(n, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


IMPORT_SNIPPET = r"""
import sys
from datavault.pipeline import import_paths
result = import_paths(sys.argv[1], [sys.argv[2]])
assert not result.errors, result.errors
""" + measure.PEAKS


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--html-mb", type=int, default=200)
    ap.add_argument("--mbox-mb", type=int, default=0, help="also a Gmail mbox of this size (0: none)")
    ap.add_argument("--skip-import", action="store_true", help="measure the importer alone, not the pipeline")
    ap.add_argument("--keep", type=Path, help="write the files here and keep them")
    opts = ap.parse_args()
    work = opts.keep or Path(tempfile.mkdtemp(prefix="bench-takeout-"))
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    datavault = [py, "-m", "datavault"]
    try:
        json_path = work / "MyActivity.json"
        html_path = work / "MyActivity.html"
        if not json_path.exists():
            write_json(json_path, opts.records)
        if opts.html_mb and not html_path.exists():
            write_html(html_path, opts.html_mb)
        mbox_path = work / "All mail Including Spam and Trash.mbox"
        if opts.mbox_mb and not mbox_path.exists():
            write_mbox(mbox_path, opts.mbox_mb)
        has_gtp = subprocess.run([py, "-c", "import google_takeout_parser"], capture_output=True).returncode == 0
        rows = []
        for label, path in (("JSON", json_path), ("HTML", html_path), ("mbox", mbox_path)):
            if not path.exists():
                continue
            size_mb = path.stat().st_size / 1e6
            run = measure.python(PARSE_SNIPPET, str(path))
            n, elapsed, _ = run.out.split()
            n, elapsed = int(n), float(elapsed)
            rows.append((f"{label} {size_mb:.0f} MB: takeout importer, parse only", n, elapsed, run.cpu, run.peak_mb,
                         None))
            if not opts.skip_import:
                vault = work / f"bench-{label}.sqlite"
                for step, args in (("datavault import pipeline", [py, "-c", IMPORT_SNIPPET, str(vault), str(path)]),
                                   ("`datavault import` incl. report index",
                                    [*datavault, "--vault", str(vault), "import", str(path)])):
                    for suffix in ("", "-wal", "-shm"):
                        Path(str(vault) + suffix).unlink(missing_ok=True)
                    run = measure.run(args)
                    own, reader = run.peaks or (run.peak_mb, None)  # the pipeline step: both processes apart
                    rows.append((f"{label} {size_mb:.0f} MB: {step}", n, run.wall, run.cpu, own, reader))
            if has_gtp and label != "mbox":
                run = measure.python(GTP_SNIPPET, str(path))
                gn, gelapsed, _ = run.out.split()
                rows.append((f"{label} {size_mb:.0f} MB: google_takeout_parser", int(gn), float(gelapsed), run.cpu,
                             run.peak_mb, None))
        if not has_gtp:
            rows.append(("google_takeout_parser: not installed, not measured", 0, 0.0, 0.0, 0.0, None))
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"{os.cpu_count()} CPU(s), load average {load:.1f} when finished")
        print(f"{'step':58} {'records':>9} {'wall s':>7} {'rec/s':>8} {'CPU s':>7} {'rec/CPU-s':>9} {'peak MB':>8} "
              f"{'reader MB':>9}")
        for label, n, secs, cpu, peak, reader in rows:
            rate = n / secs if secs else 0
            cpu_rate = n / cpu if cpu else 0
            print(f"{label:58} {n:9d} {secs:7.1f} {rate:8.0f} {cpu:7.1f} {cpu_rate:9.0f} {peak:8.0f} "
                  f"{reader if reader else '':>9}")
    finally:
        if not opts.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
