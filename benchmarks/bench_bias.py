"""Benchmark: sentiment of 1,000,000 own messages (target < 60 s) and the full bias audit with the shipped
scorer (target < 10 s).

    .venv/bin/python benchmarks/bench_bias.py [--messages 1000000] [--keep]

The vault is written through the import pipeline (``ingest_records``) into benchmarks/out/ (not timed), then
``analyse_vault`` reads it through the contract views (timed). Texts are synthetic chat lines: mostly English
with varied words (so the score cache helps only as much as in real chats), ~8 % Portuguese, ~2 % emoji-only,
~1 % protest vocabulary, and a few 20 kB texts.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datavault.bias.audit import run_audit  # noqa: E402
from datavault.expression.sentiment import analyse_vault  # noqa: E402
from datavault.pipeline import ingest_records  # noqa: E402
from datavault.records import Message  # noqa: E402

SUBJECTS = ["I", "we", "you", "Mia", "the kids", "my boss", "Jordan", "the train", "the weather", "this week"]
VERBS = ["love", "hate", "miss", "need", "can't stand", "enjoyed", "forgot", "booked", "cancelled", "found"]
OBJECTS = ["the new place", "that film", "dinner at 7", "the nursery run", "work today", "the match",
           "your message", "the bill", "our holiday", "the meeting", "pizza", "the traffic"]
TAILS = ["", "!", "!!", " :)", " lol", " 😂", "?", " tbh", " again", " so much", ", honestly", "..."]
PORTUGUESE = ["Obrigado, até amanhã!", "Vamos jantar hoje?", "Estou com saudades de você", "Tudo bem com a família?"]
PROTEST = ["Are you coming to the protest on Saturday?", "The union called a strike for Monday",
           "Signed the petition about the refugee centre"]


def synthetic_text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.08:
        return rng.choice(PORTUGUESE)
    if roll < 0.10:
        return rng.choice(["😂", "👍", "❤️❤️", "😢", "🙄"])
    if roll < 0.11:
        return rng.choice(PROTEST)
    if roll < 0.11002:
        return " ".join(f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}." for _ in range(700))
    return (f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)} "
            f"{rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}").strip()


def messages(n: int, seed: int):
    rng = random.Random(seed)
    for i in range(n):
        day = i * 86400 * 3 // n  # spread over about three years
        year, rest = 2022 + day // (86400 * 365) % 3, day % (86400 * 365)
        month = 1 + rest // (86400 * 31) % 12
        yield Message(time=f"{year}-{month:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00", platform="whatsapp",
                      conversation=f"Chat {i % 40}", sender="Sam", text=synthetic_text(rng), from_owner=True,
                      key=(str(i),), locator=f"line {i}")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse an existing benchmark vault")
    parser.add_argument("--workers", type=int, default=None, help="default: both the automatic choice and 0")
    args = parser.parse_args()
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    vault = out / f"bias-{args.messages}.sqlite"
    if not (args.keep and vault.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(vault) + suffix).unlink(missing_ok=True)
        start = time.perf_counter()
        ingest_records(vault, messages(args.messages, seed=1))
        print(f"setup (not timed): wrote {args.messages:,} messages in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    result = run_audit()
    audit_seconds = time.perf_counter() - start
    print(f"bias audit, shipped VADER scorer: {result['sentences']:,} sentences in {audit_seconds:.2f} s "
          f"(target < 10 s)")

    from datavault.expression.provider import MAX_TEXTS_IN_REPORT

    start, cpu = time.perf_counter(), time.process_time()
    sampled = analyse_vault(vault, max_texts=MAX_TEXTS_IN_REPORT)
    every = sampled["sample"]["every"] if sampled["sample"] else 1
    print(f"sentiment as the report runs it (at most {MAX_TEXTS_IN_REPORT:,} texts: every {every}th): "
          f"{sampled['texts']:,} texts in {time.perf_counter() - start:.1f} s wall, "
          f"{time.process_time() - cpu:.1f} s CPU")

    for workers in ([args.workers] if args.workers is not None else [None, 0]):
        start, cpu, child = time.perf_counter(), time.process_time(), _children_cpu()
        sentiment = analyse_vault(vault, workers=workers)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        child = _children_cpu() - child
        label = "default (by size and CPUs)" if workers is None else f"{workers} (single process)" if workers < 2 \
            else str(workers)
        print(f"sentiment of own words, workers {label}: {sentiment['texts']:,} texts "
              f"({sentiment['assessed']:,} assessed, {sentiment['not_assessed']:,} not assessed) in {seconds:.1f} s "
              f"wall, CPU {cpu:.1f} s main + {child:.1f} s workers = {sentiment['texts'] / seconds:,.0f} texts/s "
              f"(target 1,000,000 in < 60 s; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
