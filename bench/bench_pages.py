"""Server time of the reader pages with 100,000 claims on PostgreSQL (Django's test client, in-process), each beside
its floor: the same SQL run raw through psycopg plus a minimal string render of the rows.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tracker_bench_pages \\
        .venv/bin/python bench/bench_pages.py [--claims 100000] [--iterations 300] [--seconds 240] [--rebuild]
        [--only claim,subject,home] [--profile subject]

The database is created when missing, migrated and, unless it already holds exactly --claims claims from an earlier
run (then it is reused as it is), emptied and filled with synthetic data (bulk inserts, then VACUUM ANALYZE): 40
outlets, 600 subjects of which one "hot" subject holds 5% of all claims (5,000 at 100k: the chart must cap its marks
and the list must paginate), 10 claims per article, a mix of quantities, dates, durations and statements, about one
flag per ten claims and an audit event per claim.

Then, for each page, up to `--iterations` GETs of different objects (claim pages of random claims; subject pages of
the hot subject and of random subjects) with the test client, which runs the full middleware stack and template
rendering in this process without a socket ("server time"). Each GET is followed by its floor, so that the
machine's load weighs on both alike (page, floor, page, floor...): the SQL that page's request ran (captured once
from a real request of that URL through connection.execute_wrapper) replayed with the same parameters on a plain
psycopg connection, and the rows rendered by "".join of f-strings with html.escape. The ratio page/floor is what the
framework, the ORM and the templates cost above the work itself; on a shared machine compare ratios, not times.
--seconds bounds the measuring (split evenly over the lines; a line stops early when its share is spent).
--profile NAME runs cProfile over that page's requests after the table and prints where the time goes.
Pages keep parts that are the same for every reader between requests (claims.web.views.FRAGMENTS, keyed by the
data's last change): the lines marked "afresh" forget them before every request, as after a write.
Targets (issue 7): claim page <= 10 ms median, subject page <= 15 ms, home <= 15 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import html
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pgadmin import ensure_database  # noqa: E402 — bench/pgadmin.py, beside this script

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
    ensure_database(url)
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
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a table at rest: statistics and visibility map
    print(f"filled {claim_total:,} claims, {len(pairs):,} flags in {time.perf_counter() - started:.0f} s")


Query = tuple[str, Any]  # SQL and its parameters, as Django handed them to the driver


def capture(client: Any, url: str) -> list[Query]:
    """The SQL one real request of `url` runs, with its parameters (the request's answer must be 200)."""
    from django.db import connection

    queries: list[Query] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return queries


def floor(conn: Any, queries: list[Query]) -> str:
    """The hand-written equivalent of a page: its queries, run raw (client-side binding, as Django's psycopg
    backend does), and every value of every row escaped into a string."""
    import psycopg

    parts = []
    with psycopg.ClientCursor(conn) as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else []
            parts.append("".join(f"<tr>{''.join(f'<td>{html.escape(str(v))}</td>' for v in row)}</tr>" for row in rows))
    return f"<!doctype html><html><body><table>{'</table><table>'.join(parts)}</table></body></html>"


@dataclass
class Line:
    name: str
    urls: list[str]
    key: str = ""  # the name --only and --profile know it by
    afresh: bool = False  # forget the parts pages keep between requests (claims.web.views.FRAGMENTS) before each
    page: list[float] = field(default_factory=list)
    page_cpu: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    queries: int = 0


def forget_kept_parts() -> None:
    from claims.web import views

    kept = getattr(views, "FRAGMENTS", None)  # absent before 2026-12-06: the bench also runs on older trees
    if kept is not None:
        kept.clear()


def measure(client: Any, conn: Any, line: Line, seconds: float) -> None:
    """page, floor, page, floor... over the line's URLs until they run out or `seconds` are spent. The SQL a floor
    replays is that of a request in the same state as the timed one: with the page's kept parts, or afresh."""
    captured: dict[str, list[Query]] = {}
    stop = time.perf_counter() + seconds
    for url in line.urls:
        if url not in captured:
            if line.afresh:
                forget_kept_parts()
            else:
                client.get(url)  # keep this URL's parts, as the timed requests will find them
            captured[url] = capture(client, url)  # untimed; it also warms this URL's rows
            line.queries = len(captured[url])
        if line.afresh:
            forget_kept_parts()
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        line.page.append((time.perf_counter() - began) * 1000)
        line.page_cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        began = time.perf_counter()
        floor(conn, captured[url])
        line.floor.append((time.perf_counter() - began) * 1000)
        if time.perf_counter() > stop:
            break


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def report(line: Line) -> None:
    page, low = statistics.median(line.page), statistics.median(line.floor)
    print(
        f"{line.name:<34} n={len(line.page):<4} page median {page:6.2f} ms  p95 {p95(line.page):6.2f} ms  "
        f"(python cpu {statistics.median(line.page_cpu):5.2f})  floor median {low:5.2f} ms  "
        f"p95 {p95(line.floor):5.2f} ms  ratio {page / low:4.1f}x  {line.queries} queries"
    )


def profile(client: Any, line: Line, top: int = 30) -> None:
    """cProfile over the line's requests: the functions that take the time, own time and with callees."""
    for url in line.urls[:5]:
        client.get(url)
    profiler = cProfile.Profile()
    n = min(100, len(line.urls))
    for url in line.urls[:n]:
        if line.afresh:
            forget_kept_parts()
        profiler.enable()
        client.get(url)
        profiler.disable()
    print(f"\ncProfile of {n} requests: {line.name}")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    groups: dict[str, float] = {}
    for (path, _, _), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        group = next((name for part, name in PROFILE_GROUPS if part in path), "python itself, stdlib, others")
        groups[group] = groups.get(group, 0.0) + own
    total = sum(groups.values())
    print(f"own time by part, per request (under cProfile, which slows Python about 2-3x): {total / n * 1000:.1f} ms")
    for group, own in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"  {group:<50} {own / n * 1000:6.2f} ms  {own / total:4.0%}")


PROFILE_GROUPS = [
    ("psycopg", "psycopg: sending queries, waiting for PostgreSQL"),
    ("django/db", "Django ORM: building SQL, making rows"),
    ("django/template", "Django templates"),
    ("django/utils", "Django utils: dates, escaping, lazy strings"),
    ("django/urls", "Django URL reversing"),
    ("claims/web/chart", "claims.web.chart, chart_svg"),
    ("/claims/", "claims: selectors, views, values"),
    ("site-packages/django", "Django: handler, middleware, request, response"),
    ("site-packages", "other packages (whitenoise, axes, ...)"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=0, help="bound the measuring to about this many seconds")
    parser.add_argument("--rebuild", action="store_true", help="refill the database even if it holds --claims")
    parser.add_argument("--only", default="", help="comma-separated lines: claim, subject, subject-random, ...")
    parser.add_argument("--profile", default="", help="cProfile this line after the table (e.g. subject)")
    args = parser.parse_args()
    setup_django()
    import psycopg
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
    n = args.iterations
    lines = [
        Line("claim page (random claims)", [f"/claims/{rng.choice(claim_ids)}/" for _ in range(n)], "claim"),
        Line(f"subject page (hot, {hot_count:,} claims)", [f"/subjects/{hot.pk}/"] * n, "subject"),
        Line("  the same, built afresh", [f"/subjects/{hot.pk}/"] * n, "subject-afresh", afresh=True),
        Line(
            "subject page (random), afresh",
            [f"/subjects/{rng.choice(subject_ids)}/" for _ in range(n)],
            "subject-random",
            afresh=True,
        ),
        Line("subject page (hot, list page 40)", [f"/subjects/{hot.pk}/?page=40"] * (n // 3), "subject-page-40"),
        Line("home", ["/"] * n, "home"),
        Line("  home, built afresh", ["/"] * n, "home-afresh", afresh=True),
        Line("article page", [f"/articles/{rng.choice(article_ids)}/" for _ in range(n // 3)], "article"),
        Line("contradictions list", ["/contradictions/?status=open"] * (n // 3), "contradictions"),
        Line("search 'troops'", ["/search/?q=troops"] * (n // 3), "search"),
    ]
    if args.only:
        wanted = set(args.only.split(","))
        lines = [line for line in lines if line.key in wanted]
    client = Client()
    for url in ["/", f"/claims/{claim_ids[0]}/", f"/subjects/{hot.pk}/"] * 5:  # warm caches and connections
        client.get(url)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{len(claim_ids):,} claims; hot subject has {hot_count:,}; up to {n} requests per line"
        f"{f', about {args.seconds:.0f} s in all' if args.seconds else ''}; load average {load} "
        f"on {os.cpu_count()} cores"
    )
    share = args.seconds / len(lines) if args.seconds else float("inf")
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        for line in lines:
            measure(client, conn, line, share)
            report(line)
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for line in lines:
        if line.key == args.profile:
            profile(client, line)


if __name__ == "__main__":
    main()
