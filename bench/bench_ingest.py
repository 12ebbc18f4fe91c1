"""The `ingest` command's code path on many generated articles, watching memory:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tracker_bench .venv/bin/python bench/bench_ingest.py [-n 10000]

Writes N synthetic articles (our own sentence templates; pasted text with menus, share buttons, cookie prompts,
contact blocks, "Popular News" lists, image URLs and tag lists, sometimes the body twice; or HTML pages with the
same junk in nav/aside/footer) to a JSON Lines file, then runs `claims.bulk_ingest` on it exactly as
`manage.py ingest FILE` does. Two modes, as in production:

* REDIS_URL set: the command validates, de-duplicates, stores and queues each article, as it does beside a
  worker. The tasks go to a private queue (`bench-ingest-<salt>`) that no worker reads and that is deleted at
  the end, so nothing else on the machine picks them up.
* REDIS_URL unset (the embedded default): the tasks run in-process after each commit, so every article is also
  extracted, cleaned, de-duplicated and given its suggested claims: the whole pipeline's figure.

Prints throughput and the process's resident memory (current, from /proc, and peak, from getrusage) at every
tenth of the run: flat memory means the numbers after 1k and after 10k stay close. `--tracemalloc` adds Python
allocation figures (and slows the run down). Use a database of its own: each run adds N articles (a run salt
keeps them from being duplicates of the previous run's).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

PLACES = [
    "the harbour district",
    "the northern valley",
    "the old town",
    "the river port",
    "the coastal province",
    "the university quarter",
    "the industrial park",
    "the island ferry routes",
    "the eastern suburbs",
]
ACTORS = [
    "The regional council",
    "The transport ministry",
    "Hospital managers",
    "The growers' cooperative",
    "A spokesman for the port authority",
    "Union representatives",
    "The city's finance office",
    "Emergency services",
    "The water utility",
    "Local residents",
]
SAID = [
    "said on Monday",
    "told reporters",
    "confirmed in a statement",
    "estimated",
    "warned",
    "announced",
    "wrote in a report published on Thursday",
    "acknowledged",
]
FACTS = [
    "that {n} households in {place} had been affected",
    "that repairs would cost about {m} million euros",
    "that the work would take {k} to {k2} years",
    "that {n} workers had joined the stoppage by the weekend",
    "that prices had risen {p} percent since {month}",
    "that the service would resume in {month} {year}",
    "that more than {n} people had signed the petition",
    "that the budget for {place} had been cut by {p} percent",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
TOPICS = [
    "ferry",
    "budget",
    "harvest",
    "tram line",
    "hospital wing",
    "flood defences",
    "library",
    "bridge",
    "water supply",
    "school meals",
    "airport",
    "wind farm",
]
MENU = ["Home", "News", "Business", "Sport", "Culture", "Weather", "Opinion", "Video", "Podcasts"]
SHARE = ["Share on Facebook", "Share on Twitter", "Share on WhatsApp", "Copy link", "Email this article"]
ICONS = ["facebook", "twitter", "instagram", "youtube", "rss", "telegram"]


def sentence(rng: random.Random) -> str:
    fact = rng.choice(FACTS).format(
        n=f"{rng.randint(2, 9000):,}",
        m=round(rng.uniform(1, 90), 1),
        k=rng.randint(1, 3),
        k2=rng.randint(4, 6),
        p=rng.randint(2, 40),
        month=rng.choice(MONTHS),
        year=rng.randint(2024, 2029),
        place=rng.choice(PLACES),
    )
    return f"{rng.choice(ACTORS)} {rng.choice(SAID)} {fact}."


def headline(rng: random.Random) -> str:
    return f"{rng.choice(TOPICS).capitalize()} plan for {rng.choice(PLACES)} faces {rng.randint(2, 90)}% shortfall"


def body(rng: random.Random, salt: str, n: int) -> tuple[str, list[str]]:
    title = f"{headline(rng)} ({salt}-{n})"  # the salt keeps each run's articles new
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(4, 14))]
    return title, paragraphs


def junk_top(rng: random.Random) -> list[str]:
    return [
        *rng.sample(MENU, rng.randint(3, len(MENU))),
        *rng.sample(SHARE, rng.randint(0, 3)),
        *(["We use cookies to improve your experience. Accept all"] if rng.random() < 0.5 else []),
    ]


def junk_bottom(rng: random.Random) -> list[str]:
    lines = ["Tags: " + ", ".join(rng.sample(TOPICS, 3)), *rng.sample(ICONS, rng.randint(0, 4))]
    if rng.random() < 0.7:
        lines += ["Contact us", f"desk{rng.randint(1, 99)}@paper.example", f"+44 20 7946 {rng.randint(1000, 9999)}"]
    if rng.random() < 0.7:
        lines += ["Popular News", *(headline(rng) for _ in range(rng.randint(3, 6)))]
    lines += [
        f"https://cdn.paper.example/img/{rng.randint(10**6, 10**7)}.jpg",
        "Leave a comment",
        "Subscribe to our newsletter",
    ]
    return lines


def text_article(rng: random.Random, salt: str, n: int) -> dict[str, Any]:
    title, paragraphs = body(rng, salt, n)
    lines = [*junk_top(rng), title, f"{rng.randint(1, 28)} {rng.choice(MONTHS)} 2025", *paragraphs]
    if rng.random() < 0.15:
        lines += [title, *paragraphs]  # the body pasted twice
    return {"text": "\n".join([*lines, *junk_bottom(rng)])}


def html_article(rng: random.Random, salt: str, n: int) -> dict[str, Any]:
    title, paragraphs = body(rng, salt, n)
    nav = "".join(f'<li><a href="/{w.lower()}">{w}</a></li>' for w in junk_top(rng))
    aside = "".join(f"<li>{line}</li>" for line in junk_bottom(rng))
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    return {
        "html": f"<!doctype html><html><head><meta charset='utf-8'><title>{title} | Paper</title></head>"
        f"<body><nav><ul>{nav}</ul></nav><article><h1>{title}</h1>{text}</article>"
        f"<aside><ul>{aside}</ul></aside><footer>Paper Ltd</footer></body></html>",
        "outlet": rng.choice(["The Harbour Post", "Valley Times", "Paper"]),
    }


def generate(path: Path, count: int, seed: int, salt: str) -> int:
    rng = random.Random(seed)
    size = 0
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            item = text_article(rng, salt, n) if rng.random() < 0.6 else html_article(rng, salt, n)
            line = json.dumps(item) + "\n"
            size += len(line)
            out.write(line)
    return size


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def pure(count: int, seed: int) -> None:
    """The pure part of the pipeline on the same articles, no Django: does its memory stay flat on its own?"""
    import datetime

    from claims.ingest.clean import clean_text
    from claims.ingest.extract import extract_html
    from claims.suggest import suggest

    rng = random.Random(seed)
    started = time.perf_counter()
    for n in range(1, count + 1):
        item = text_article(rng, "pure", n) if rng.random() < 0.6 else html_article(rng, "pure", n)
        extracted = extract_html(item["html"]) if "html" in item else clean_text(item["text"])
        suggest(extracted.text, datetime.date(2025, 3, 1))
        if n % max(count // 10, 1) == 0:
            print(
                f"{n:6d} {n / (time.perf_counter() - started):8.1f}/s  RSS {rss_mb():6.1f} MiB  "
                f"peak {peak_mb():6.1f} MiB",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument(
        "--pure",
        action="store_true",
        help="only extraction, cleaning and suggestion of the same articles, without the database",
    )
    args = parser.parse_args()
    if args.pure:
        pure(args.n, args.seed)
        return

    import logging

    import django

    salt = f"r{int(time.time())}"
    if os.environ.get("REDIS_URL"):
        os.environ["CELERY_QUEUE"] = f"bench-ingest-{salt}"
    django.setup()
    logging.getLogger("celery").setLevel(logging.WARNING)  # in-process tasks log a line each
    from django.conf import settings
    from django.core.management import call_command

    from claims import bulk_ingest
    from claims.models import Article

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        sys.exit(f"set DATABASE_URL to a PostgreSQL database of its own (now: {engine})")
    call_command("migrate", verbosity=0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        size = generate(path, args.n, args.seed, salt)
        tasks = "in-process" if settings.CELERY_TASK_ALWAYS_EAGER else f"queued to {settings.CELERY_BROKER_URL}"
        print(
            f"{args.n} articles, {size / 2**20:.1f} MiB of JSON Lines; "
            f"database {settings.DATABASES['default']['NAME']}; tasks {tasks}"
        )
        before = Article.objects.count()
        if args.tracemalloc:
            tracemalloc.start()
        step = max(args.n // 10, 1)
        started = time.perf_counter()
        print(
            f"{'done':>6} {'elapsed':>8} {'items/s':>8} {'RSS MiB':>8} {'peak MiB':>9}"
            + (f" {'traced MiB':>10}" if args.tracemalloc else "")
        )
        done = 0

        def checkpoint(_result: bulk_ingest.Result) -> None:
            nonlocal done
            done += 1
            if done % step == 0 or done == args.n:
                elapsed = time.perf_counter() - started
                traced = f" {tracemalloc.get_traced_memory()[0] / 2**20:10.1f}" if args.tracemalloc else ""
                print(
                    f"{done:6d} {elapsed:7.1f}s {done / elapsed:8.1f} {rss_mb():8.1f} {peak_mb():9.1f}{traced}",
                    flush=True,
                )

        summary = bulk_ingest.ingest(bulk_ingest.collect_sources([str(path)]), actor=None, on_result=checkpoint)
        elapsed = time.perf_counter() - started
    print(summary.report().splitlines()[0])
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        import redis

        queue = os.environ["CELERY_QUEUE"]
        broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        print(f"{broker.llen(queue)} tasks were queued on {queue}; deleting the queue")
        broker.delete(queue, f"_kombu.binding.{queue}")
    ready = Article.objects.filter(status="ready").count()
    print(
        f"{args.n / elapsed:.1f} articles/s overall; {Article.objects.count() - before} stored; "
        f"{ready} ready in the database in all"
    )


if __name__ == "__main__":
    main()
