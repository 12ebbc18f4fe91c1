"""Server time of the reader pages with 100,000 claims on PostgreSQL (Django's test client, in-process).

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE tracker_bench_pages"      # once
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tracker_bench_pages \\
        .venv/bin/python bench/bench_pages.py [--claims 100000] [--iterations 300] [--rebuild]

The database is migrated and, unless it already holds exactly --claims claims from an earlier run, emptied and
filled with synthetic data (bulk inserts): 40 outlets, 600 subjects of which one "hot" subject holds 5% of all
claims (5,000 at 100k: the chart must cap its marks and the list must paginate), 10 claims per article, a mix of
quantities, dates, durations and statements, about one flag per ten claims and an audit event per claim.

Then, for each page, `--iterations` GETs of different objects (claim pages of random claims; subject pages of the
hot subject and of random subjects) with the test client; prints median, p95 and the query count. The test client
runs the full middleware stack and template rendering in this process, without a socket: "server time".
Target: claim page and subject page median < 15 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOT_SHARE = 0.05
CLAIMS_PER_ARTICLE = 10
N_OUTLETS = 40
N_SUBJECTS = 600
N_SPEAKERS = 400
START = dt.date(2018, 1, 1)
WORDS = [
    "forces",
    "withdrawal",
    "talks",
    "border",
    "agreement",
    "security",
    "region",
    "capital",
    "training",
    "mission",
    "timeline",
    "government",
    "parliament",
    "partners",
    "allies",
    "support",
    "plan",
    "progress",
]


def setup_django() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench_pages needs DATABASE_URL=postgresql://... (the benchmark is about PostgreSQL)")
    # Production-like: no query log kept in memory, no debug pages.
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django
    from django.conf import settings

    django.setup()
    # Production serves static files from collectstatic's manifest (one dict lookup per {% static %}); the bench
    # does not run collectstatic into the shared data folder, so it uses the plain storage instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def sentence(rng: random.Random, k: int) -> tuple[str, str, dict[str, object]]:
    """One sentence, its claim quote and the claim's columns."""
    roll = rng.random()
    filler = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 10)))
    if roll < 0.7:
        number = rng.choice([900, 1200, 1500, 2000, 2400, 2500, 3000]) + rng.randint(-3, 3) * 50
        quote = f"{number:,} troops"
        text = f"Officials said {quote} remained at site {k}, with {filler}."
        return (
            text,
            quote,
            {
                "kind": "quantity",
                "qty_min": float(number),
                "qty_max": float(number),
                "unit": "troops",
                "qualifier": rng.choice(["exact", "approx"]),
                "attribute": "troop count",
            },
        )
    if roll < 0.85:
        year = rng.randint(2005, 2024)
        quote = f"in {year}"
        text = f"The base at site {k} opened {quote}, amid {filler}."
        return (
            text,
            quote,
            {"kind": "date", "date_value": dt.date(year, 1, 1), "date_precision": "year", "attribute": "opening date"},
        )
    if roll < 0.95:
        low = rng.randint(1, 4)
        quote = f"{low}-{low + 2} years"
        text = f"The drawdown at site {k} could take {quote}, given {filler}."
        return (
            text,
            quote,
            {
                "kind": "duration",
                "dur_min": float(low),
                "dur_max": float(low + 2),
                "dur_unit": "year",
                "attribute": "withdrawal timeline",
            },
        )
    quote = f"no talks at site {k}"
    text = f"A spokesman said there were {quote}, despite {filler}."
    return text, quote, {"kind": "statement", "polarity": rng.choice(["affirms", "denies"]), "attribute": "talks"}


def fill(n_claims: int, seed: int = 7) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from claims.detect.names import group_key, norm_attribute, norm_name
    from claims.models import Article, AuditEvent, Claim, Contradiction, Outlet, Speaker, Subject

    rng = random.Random(seed)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE claims_contradiction, claims_claim, claims_articleversion, claims_article, "
            "claims_subjectalias, claims_subject_broader, claims_subject, claims_speaker, claims_outlet, "
            "claims_auditevent RESTART IDENTITY CASCADE"
        )
    with transaction.atomic():
        outlets = Outlet.objects.bulk_create(
            Outlet(name=f"Outlet {i}", name_key=f"outlet {i}", domain=f"outlet{i}.example") for i in range(N_OUTLETS)
        )
        names = ["Garrison troops at Fort Alder"] + [f"Subject {i} {rng.choice(WORDS)}" for i in range(1, N_SUBJECTS)]
        subjects = Subject.objects.bulk_create(
            Subject(name=n, name_key=norm_name(n), group_key=group_key(n)) for n in names
        )
        speakers = Speaker.objects.bulk_create(
            Speaker(name=f"Speaker {i}", name_key=f"speaker {i}") for i in range(N_SPEAKERS)
        )
        hot, others = subjects[0], subjects[1:]
        n_articles = n_claims // CLAIMS_PER_ARTICLE
        now = timezone.now()
        batch = 1000
        claim_total = 0
        for first in range(0, n_articles, batch):
            articles, planned = [], []
            for a in range(first, min(n_articles, first + batch)):
                day = START + dt.timedelta(days=rng.randint(0, 2500))
                parts, spans, at = [f"Report {a} on the garrison"], [], len(f"Report {a} on the garrison") + 2
                for k in range(CLAIMS_PER_ARTICLE):
                    text, quote, columns = sentence(rng, k)
                    offset = at + text.index(quote)
                    spans.append((offset, offset + len(quote), quote, columns))
                    parts.append(text)
                    at += len(text) + 2
                body = "\n\n".join(parts)
                articles.append(
                    Article(
                        url=f"https://outlet.example/{a}",
                        outlet=rng.choice(outlets),
                        title=parts[0],
                        source="text",
                        raw=body,
                        text=body,
                        content_hash=f"{a:064d}",
                        status="ready",
                        published_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
                    )
                )
                planned.append((spans, day))
            Article.objects.bulk_create(articles)
            claims = []
            for article, (spans, day) in zip(articles, planned, strict=True):
                for start, end, quote, columns in spans:
                    subject = hot if rng.random() < HOT_SHARE else rng.choice(others)
                    attribute = str(columns.pop("attribute"))
                    claims.append(
                        Claim(
                            article=article,
                            start=start,
                            end=end,
                            quote=quote,
                            subject=subject,
                            attribute=attribute,
                            attribute_key=norm_attribute(attribute),
                            status="confirmed",
                            speaker=rng.choice(speakers) if rng.random() < 0.6 else None,
                            as_of=day - dt.timedelta(days=rng.randint(0, 30)),
                            checked_at=now,
                            **columns,
                        )
                    )
            Claim.objects.bulk_create(claims)
            AuditEvent.objects.bulk_create(
                AuditEvent(entity="claim", entity_id=c.pk, action="create", changes={"quote": c.quote}) for c in claims
            )
            claim_total += len(claims)
        ids = list(Claim.objects.values_list("id", flat=True))
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < claim_total // 10:
            a, b = sorted(rng.sample(ids, 2))
            pairs.add((a, b))
        statuses = ["open"] * 6 + ["confirmed", "dismissed", "superseded"]
        Contradiction.objects.bulk_create(
            (
                Contradiction(
                    claim_a_id=a,
                    claim_b_id=b,
                    kind="numeric",
                    score=round(rng.random(), 3),
                    explanation=f"claim {a} and claim {b} disagree",
                    status=rng.choice(statuses),
                )
                for a, b in sorted(pairs)
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"filled {claim_total:,} claims, {len(pairs):,} flags in {time.perf_counter() - started:.0f} s")


def timed(client: object, urls: list[str]) -> tuple[list[float], list[float], int]:
    """Wall time per request, and this process's CPU time per request (Python's share, which a busy machine
    does not inflate the way it inflates wall time; the database's own time is in the wall figure only)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu = [], []
    for url in urls:
        begin, begin_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(urls[0])  # type: ignore[attr-defined]
    return times, cpu, len(queries)


def report(name: str, times: list[float], cpu: list[float], queries: int) -> None:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(
        f"{name:<34} n={len(times):<4} median {statistics.median(times):6.2f} ms  p95 {p95:6.2f} ms  "
        f"python cpu median {statistics.median(cpu):5.2f} ms  {queries} queries"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.test import Client

    from claims.models import Article, Claim, Subject

    call_command("migrate", verbosity=0)
    if args.rebuild or Claim.objects.count() != args.claims:
        fill(args.claims)
    rng = random.Random(11)
    claim_ids = list(Claim.objects.values_list("id", flat=True))
    hot = Subject.objects.get(name="Garrison troops at Fort Alder")
    subject_ids = list(Subject.objects.exclude(pk=hot.pk).values_list("id", flat=True))
    hot_count = Claim.objects.filter(subject=hot).count()
    article_ids = list(Article.objects.values_list("id", flat=True)[:5000])
    client = Client()
    n = args.iterations
    for url in ["/", f"/claims/{claim_ids[0]}/", f"/subjects/{hot.pk}/"] * 5:  # warm caches and connections
        client.get(url)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{len(claim_ids):,} claims; hot subject has {hot_count:,}; {n} requests per line; "
        f"load average {load} on {os.cpu_count()} cores"
    )
    report("claim page (random claims)", *timed(client, [f"/claims/{rng.choice(claim_ids)}/" for _ in range(n)]))
    report(f"subject page (hot, {hot_count:,} claims)", *timed(client, [f"/subjects/{hot.pk}/"] * n))
    report(
        "subject page (random subjects)", *timed(client, [f"/subjects/{rng.choice(subject_ids)}/" for _ in range(n)])
    )
    report("subject page (hot, list page 40)", *timed(client, [f"/subjects/{hot.pk}/?page=40"] * (n // 3)))
    report("article page", *timed(client, [f"/articles/{rng.choice(article_ids)}/" for _ in range(n // 3)]))
    report("contradictions list", *timed(client, ["/contradictions/?status=open"] * (n // 3)))
    report("home", *timed(client, ["/"] * (n // 3)))
    report("search 'troops'", *timed(client, ["/search/?q=troops"] * (n // 3)))


if __name__ == "__main__":
    main()
