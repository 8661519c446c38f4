"""Benchmark: ``datavault report`` and ``datavault score`` on a large vault (default 5 million records).

Builds the vault once (if it does not exist) by ingesting generated records through the store's own write path
(about 2 M messages, 1 M activities, 1.9 M location points and visits, plus posts, purchases, labels, profile
and people, with lexicon words planted at realistic rates), then times:

- preparing the derived data (word index over 3 M texts, hourly rollups; once, or incrementally after import),
- a report computed from scratch over the derived data: the target is < 5 s,
- ``score`` after a report (the findings are cached in the vault until the data changes): the target is < 2 s,
  and ``score`` computed from scratch for comparison.

Usage: python benchmarks/bench_report.py [--records N] [--vault PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datavault.records import (  # noqa: E402
    Activity, Location, Message, Person, PlatformInference, Post, ProfileFact, Purchase,
)

WORDS = ("see you later ok thanks coffee tomorrow work bus late home dinner weekend football great sure maybe "
         "meeting call tonight train shopping rain sun film pizza gym walk dog cat garden").split()
PLANTED = ("nappies", "payday loan", "union meeting", "protest", "church", "diabetes", "nursery", "overdraft",
           "vote", "clinic")
PLACES = [("Home", 53.80756, -1.55232), ("Northwind Logistics", 53.79572, -1.54388),
          ("St Anne's Cathedral", 53.80038, -1.54753), ("Leeds General Infirmary", 53.80200, -1.55190),
          ("The Lantern Bar", 53.79651, -1.53964), ("Little Acorns Nursery", 53.81102, -1.55890),
          ("Hyde Park Union Office (GMB)", 53.81260, -1.56370)]
CHANNELS = ["Minecraft lets play", "Cocomelon nursery rhymes", "BBC News", "Cooking with Ana", "Fortnite highlights",
            "Lo-fi beats", "Premier League goals", "DIY garden", "Science explained", "Travel vlog"]


def iso(t: float, zulu: bool) -> str:
    s = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t))
    return s + "Z" if zulu else s


def text(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(3, 12))
    if rng.random() < 0.01:
        words.insert(rng.randrange(len(words)), rng.choice(PLANTED))
    return " ".join(words)


def generate(n: int, rng: random.Random):
    start = 1_672_531_200  # 2023-01-01
    span = 2 * 365 * 86400
    n_msg, n_act, n_loc = int(n * 0.40), int(n * 0.20), int(n * 0.38)
    contacts = [f"Friend {i}" for i in range(40)] + ["Jordan Lee", "Priya Shah", "Mum"]
    groups = ["Parents of Room 3", "Família Costa", "Five-a-side", "Union branch 7"]
    for i in range(n_msg):
        t = start + span * i / n_msg
        if rng.random() < 0.2:
            conv = rng.choice(groups)
            sender = rng.choice(["Sam Rivera"] + contacts[:8])
        else:
            conv = contacts[min(int(rng.expovariate(0.25)), len(contacts) - 1)]
            sender = rng.choice(["Sam Rivera", conv])
        yield Message(time=iso(t, False), platform="whatsapp", conversation=conv, sender=sender, text=text(rng),
                      from_owner=sender == "Sam Rivera", source_file=f"WhatsApp Chat with {conv}.txt",
                      locator=f"line {i}", key=("m", i))
    for i in range(n_act):
        t = start + span * i / n_act
        if rng.random() < 0.6:
            ch = rng.choice(CHANNELS)
            yield Activity(time=iso(t, True), platform="google", product="YouTube", action="watched",
                           title=f"Watched {ch} #{i % 500}", url=f"https://www.youtube.com/watch?v={i}",
                           source_file="Takeout/My Activity/YouTube/MyActivity.json", locator=f"[{i}]", key=("a", i))
        else:
            yield Activity(time=iso(t, True), platform="google", product="Search", action="searched",
                           title=f"Searched for {text(rng)}", source_file="Takeout/My Activity/Search/MyActivity.json",
                           locator=f"[{i}]", key=("a", i))
    for i in range(n_loc):
        t = start + span * i / n_loc
        hour = time.gmtime(t).tm_hour
        name, lat, lon = PLACES[0] if hour >= 21 or hour < 7 else rng.choice(PLACES)
        jitter = lambda: rng.uniform(-0.0004, 0.0004)  # noqa: E731
        if i % 200 == 0:
            yield Location(time=iso(t, True), end_time=iso(t + 3600, True), lat=lat, lon=lon, kind="visit",
                           place_name=name, semantic_type="TYPE_HOME" if name == "Home" else None,
                           source_file="Semantic Location History/2024/2024_JANUARY.json",
                           locator=f"timelineObjects[{i}]", key=("v", i))
        else:
            yield Location(time=iso(t, True), lat=lat + jitter(), lon=lon + jitter(),
                           source_file="Takeout/Location History/Records.json", locator=f"locations[{i}]",
                           key=("l", i))
    rest = n - n_msg - n_act - n_loc
    for i in range(rest):
        t = start + span * i / max(1, rest)
        r = i % 10
        if r < 6:
            yield Post(time=iso(t, True), platform="facebook", kind=rng.choice(["post", "comment"]), text=text(rng),
                       source_file="your_posts_1.json", locator=f"[{i}]", key=("p", i))
        elif r < 9:
            yield Purchase(time=iso(t, True), platform="google", item=rng.choice(["Pampers nappies", "Coffee beans",
                           "Phone case", "Book"]), merchant="Shop", amount=9.99, currency="GBP",
                           source_file="transactions.csv", locator=f"line {i}", key=("u", i))
        elif i % 20 == 9:
            yield PlatformInference(platform="facebook", category="interest", value=f"Interest {i % 3000}",
                                    source_file="ads_information/ad_preferences.json", key=("i", i))
        else:
            yield Person(name=f"Person {i}", platform="facebook", relation="friend",
                         source_file="friends.json", key=("f", i))
    yield ProfileFact(platform="facebook", field="phone", value="+44 7700 900123", source_file="profile.json",
                      key=("phone",))


def timed(label: str, fn):
    """Wall time and CPU time (this process, one core): on a shared machine the CPU time is the steadier figure."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"{label}: {dt:.2f} s wall, {cpu:.2f} s CPU", flush=True)
    return result, dt


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=5_000_000)
    ap.add_argument("--vault", type=Path, default=Path("/tmp/datavault-bench.sqlite"))
    args = ap.parse_args()
    from datavault.pipeline import ingest_records
    from datavault.report import build_report, build_score

    if not args.vault.exists():
        timed(f"build vault ({args.records:,} records)",
              lambda: ingest_records(args.vault, generate(args.records, random.Random(1)), "bench"))
    conn = sqlite3.connect(args.vault)
    total = sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
                ("messages", "activities", "locations", "people", "purchases", "platform_inferences", "profile",
                 "posts"))
    conn.close()
    print(f"vault: {total:,} records")
    from datavault.report import prepare_vault

    timed("prepare derived data (word index, rollups; the pipeline can run this after import)",
          lambda: prepare_vault(args.vault))
    _, report_s = timed("report, computed (no cached findings)",
                        lambda: build_report(args.vault, tz="Europe/London", use_cache=False))
    rep, _ = timed("report, findings cached from the previous run", lambda: build_report(args.vault, tz="Europe/London"))
    from datavault.render import render
    timed("render html", lambda: render(rep, "html"))
    timed("render text", lambda: render(rep, "text"))
    _, score_s = timed("score (after a report: cached findings)", lambda: build_score(args.vault, tz="Europe/London"))
    timed("score, computed (no cached findings)", lambda: build_score(args.vault, tz="Europe/London", use_cache=False))
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    print(f"targets: report < 5 s ({'ok' if report_s < 5 else 'MISSED'}), score < 2 s "
          f"({'ok' if score_s < 2 else 'MISSED'})")


if __name__ == "__main__":
    main()
