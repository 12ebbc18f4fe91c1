"""Throughput of claims.suggest.suggest() on synthetic ~4 KB articles, one core.

    .venv/bin/python bench/bench_suggest.py [N_ARTICLES] [--seconds S]
    .venv/bin/python bench/bench_suggest.py --scaling [--seconds S]    # one long article, doubling in size

``--seconds`` bounds each of the two runs: it stops after S seconds even if fewer than N articles were read.

Prints articles/s and p50/p95 latency in ms, for articles at the seeds' claim density and for the
worst case of a claim in every sentence. Target: >= 200 articles/s at the seeds' density.
Articles per CPU-second is printed too: wall time is noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.suggest import suggest

PEOPLE = [
    "Defence Minister Amira Haddad", "General Tomas Varga", "the interior ministry", "a senior diplomat",
    "Prime Minister Leila Noor", "officials", "the regional governor", "Harbour Authority chief Ken Ito",
]  # fmt: skip
OUTLETS = ["the Northern Gazette", "Radio Meridian", "local broadcasters", "The Evening Courier"]
PLACES = ["Veldria", "the northern province", "Port Salen", "Koravia", "the capital"]
HEDGES = ["about", "around", "some", "more than", "nearly", "up to", "at least", ""]
NOUNS = ["troops", "soldiers", "peacekeepers", "people", "civilians", "contractors", "aid workers"]
MONTHS = ["January", "March", "June", "September", "Oct.", "November"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

TEMPLATES = [
    "{hedge} {num:,} {noun} remain deployed in {place}, {person} told {outlet} on {weekday}.",
    "The mission, formed in {year}, was meant to last a decade, {person} said in a statement.",
    "According to {person} cited by {outlet}, {hedge} {num:,} {noun} were killed in {month} {year}.",
    "{person} acknowledged that the talks could take several months, if not longer.",
    "Between {small} and {num:,} {noun} crossed into {place} before {month} {day}, {outlet} reported.",
    "The government wants a {a}-{b}-year time frame, while critics want a pull-out by the end of this year.",
    "Dozens of armed convoys left {place} last year; {person} said {hedge} {small} more would follow within 12 months.",
    "The fund, worth ${money} billion, paid for {num:,} vaccines on {day} {month} {year}, {person} added.",
    "Call +44 20 7946 {phone} or visit https://example.org/{year}/news-{phone} before 09:30 for details.",
    "It was 21.5 C in {place} when {person} announced that three working groups would meet on {weekday} evening.",
]


# Sentences with nothing to suggest. Real articles are mostly such prose: the five seed articles carry
# about 25 candidates per 4 KB; FILLER_SHARE brings the synthetic ones to that density.
FILLER = [
    "The talks are expected to focus on the shape of future security cooperation between the two sides.",
    "Critics argue that the presence of foreign forces has become a source of friction, not stability.",
    "Diplomats from both capitals have described the atmosphere of the meetings as constructive.",
    "The question of which bases would remain open has not been settled, and neither side has a plan.",
    "Regional governments are watching closely, wary of any vacuum that could be exploited by armed groups.",
    "Analysts note that domestic politics on both sides make a quick agreement unlikely in the near term.",
    "The coalition was built to train local units and to share intelligence with the national army.",
    "Opposition lawmakers have demanded a full debate before any new arrangement is approved by parliament.",
]
FILLER_SHARE = 0.65


def article(rng: random.Random, filler_share: float = FILLER_SHARE) -> str:
    parts: list[str] = ["Talks on the future of foreign forces continue", ""]
    while sum(len(p) for p in parts) < 4000:
        if rng.random() < filler_share:
            parts.append(rng.choice(FILLER))
            continue
        template = rng.choice(TEMPLATES)
        parts.append(
            template.format(
                hedge=rng.choice(HEDGES), num=rng.randint(100, 90_000), noun=rng.choice(NOUNS),
                place=rng.choice(PLACES), person=rng.choice(PEOPLE), outlet=rng.choice(OUTLETS),
                weekday=rng.choice(WEEKDAYS), year=rng.randint(1995, 2024), month=rng.choice(MONTHS),
                day=rng.randint(1, 28), small=rng.randint(2, 99), a=rng.randint(1, 3), b=rng.randint(4, 9),
                money=round(rng.uniform(0.5, 9.9), 1), phone=rng.randint(1000, 9999),
            ).strip().capitalize()
        )  # fmt: skip
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=500, help="articles per run (default 500)")
    parser.add_argument("--seconds", type=float, default=None, help="stop each run after this many seconds")
    parser.add_argument("--scaling", action="store_true", help="only: one article of 2,000 to 16,000 paragraphs")
    args = parser.parse_args()
    if args.scaling:
        scaling(args.seconds or 60.0)
        return
    for label, share in (("seed-like density", FILLER_SHARE), ("claims in every sentence", 0.0)):
        rng = random.Random(7)
        print(f"-- {label}")
        run([article(rng, share) for _ in range(args.n)], args.seconds)


def scaling(seconds: float) -> None:
    """One long article (a live blog, a transcript) of 2,000 to 16,000 paragraphs, each with a figure and an
    attribution: linear work keeps the time per paragraph flat as the article doubles."""
    sentence = "The port handled {n} containers on Monday, the harbour board said, up from {m} a year earlier."
    deadline = time.monotonic() + seconds
    for count in (2_000, 4_000, 8_000, 16_000):
        if time.monotonic() > deadline:
            print(f"  stopped: --seconds {seconds:.0f} spent")
            break
        text = "Container traffic by the hour\n\n" + "\n\n".join(sentence.format(n=i, m=i + 3) for i in range(count))
        started = time.process_time()
        found = len(suggest(text, dt.date(2024, 2, 8)))
        spent = time.process_time() - started
        each = spent / count * 1e6
        print(f"  {count:6,} paragraphs: {found:6,} suggestions, {spent:5.2f} s CPU, {each:4.0f} us each")


def run(docs: list[str], seconds: float | None = None) -> None:
    published = dt.date(2024, 2, 8)
    suggest(docs[0], published)  # warm-up: regex compilation already happened at import
    times: list[float] = []
    found = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    deadline = start + seconds if seconds else None
    for doc in docs:
        t0 = time.perf_counter()
        found += len(suggest(doc, published))
        times.append((time.perf_counter() - t0) * 1000)
        if deadline is not None and time.perf_counter() >= deadline:
            break
    n = len(times)
    docs = docs[:n]
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    size = statistics.mean(len(d) for d in docs)
    print(f"{n} articles, mean {size:.0f} chars, {found / n:.1f} candidates/article")
    p50 = statistics.median(times)
    print(f"{n / elapsed:.0f} articles/s ({n / cpu:.0f} per CPU-second); p50 {p50:.2f} ms; p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
