"""The claim API on PostgreSQL with 100,000 claims: list and detail server time, and throughput under gunicorn.

    .venv/bin/python bench/bench_api.py [N_CLAIMS] [--seconds S] [--rebuild]

Needs the local PostgreSQL (BENCH_PG, default postgresql://postgres@127.0.0.1:5432); unless the database
`tracker_bench_api` already holds N_CLAIMS claims from an earlier run (then it is reused as it is; --rebuild makes it
afresh; --reuse, kept for old command lines, reuses it whatever it holds), makes it fresh, migrates it and fills it
with N_CLAIMS (default 100,000) claims over 2,000 articles, 200 subjects, 100 speakers and 5,000 contradictions,
then measures, in one run (--seconds bounds the measuring to about that long: 40% for the list, 20% for the
detail, 40% for throughput; without it, 5 rounds of the list, 300 details and 15 s per throughput endpoint):

1. the claim list, 100 per page, through Django's full stack in-process (no network: server time), against a
   hand-written psycopg query of the same rows and columns (the count a page-number page reports, the page's ids by
   offset or, for a cursor, after an id, then their joined rows and
   contradiction ids) plus json.dumps;
   pages spread over the whole table, page numbers (which count the rows) and cursors both;
2. the claim detail: median server time over random ids;
3. requests per second of the list endpoint and of a trivial endpoint (the API root: no database) under gunicorn
   with 2 workers, from a simple thread-pool load generator with keep-alive connections.
Targets: list <= 3x the hand-written query, detail median < 10 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DB = "tracker_bench_api"
os.environ["DATABASE_URL"] = f"{PG}/{DB}"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ["THROTTLE_ANON"] = os.environ["THROTTLE_USER"] = "100000000/minute"

import psycopg  # noqa: E402


def fresh_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB}")
        conn.execute(f"CREATE DATABASE {DB}")


def populate(n_claims: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from claims.detect.names import norm_attribute
    from claims.models import Article, Claim, Contradiction, Outlet, Speaker, Subject

    call_command("migrate", verbosity=0)
    rng = random.Random(8)
    text = (
        "Port officials said about 2,500 workers remain on strike. The terminal opened in March 2019. "
        "The dispute could last several months, a union leader said."
    )
    spans = [
        ("quantity", "about 2,500 workers"),
        ("date", "March 2019"),
        ("duration", "several months"),
        ("attribution", "a union leader said"),
        ("statement", "remain on strike"),
    ]
    outlets = Outlet.objects.bulk_create([Outlet(name=f"Outlet {i}", name_key=f"outlet {i}") for i in range(20)])
    subjects = Subject.objects.bulk_create([Subject(name=f"Subject {i}", name_key=f"subject {i}") for i in range(200)])
    speakers = Speaker.objects.bulk_create([Speaker(name=f"Speaker {i}", name_key=f"speaker {i}") for i in range(100)])
    base = timezone.make_aware(dt.datetime(2024, 1, 1))
    articles = Article.objects.bulk_create(
        [
            Article(
                title=f"Article {i}",
                url=f"https://news.example.org/a/{i}",
                outlet=outlets[i % 20],
                source="text",
                raw=text,
                text=text,
                status="ready",
                published_at=base + dt.timedelta(hours=i),
                content_hash=f"{i:064d}",
            )
            for i in range(2000)
        ],
        batch_size=1000,
    )
    checked = timezone.now()
    batch: list[Claim] = []
    for i in range(n_claims):
        kind, quote = spans[i % 5]
        start = text.index(quote)
        extra: dict[str, Any] = {}
        if kind == "quantity":
            extra = {"qty_min": 2000 + rng.randrange(1000), "qty_max": 2000 + 1000, "unit": "workers"}
        elif kind == "date":
            extra = {"date_value": dt.date(2019, 3, 1), "date_precision": "month"}
        elif kind == "duration":
            extra = {"dur_min": 2, "dur_max": 6, "dur_unit": "month"}
        elif kind == "statement":
            extra = {"polarity": "affirms"}
        batch.append(
            Claim(
                article=articles[i % 2000],
                start=start,
                end=start + len(quote),
                quote=quote,
                kind=kind,
                prefix=text[max(0, start - 32) : start],
                suffix=text[start + len(quote) : start + len(quote) + 32],
                subject=subjects[i % 200],
                attribute="striker count",
                attribute_key=norm_attribute("striker count"),
                speaker=speakers[i % 100] if i % 3 else None,
                as_of=dt.date(2024, 1, 1) + dt.timedelta(days=i % 700),
                status="confirmed",
                checked_at=checked,
                **extra,
            )
        )
        if len(batch) == 10_000:
            Claim.objects.bulk_create(batch)
            batch = []
    Claim.objects.bulk_create(batch)
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < 5000:
        a, b = sorted(rng.sample(ids, 2))
        pairs.add((a, b))
    Contradiction.objects.bulk_create(
        [
            Contradiction(claim_a_id=a, claim_b_id=b, kind="numeric", score=0.7, explanation=f"{a} vs {b}")
            for a, b in pairs
        ],
        batch_size=5000,
    )
    with psycopg.connect(f"{PG}/{DB}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# What a reader's page asks of the database, by hand: the claims a reader sees (confirmed), a page of their ids
# (by offset for page numbers, after an id for a cursor), their joined rows, their flags; page numbers also count.
COUNT_SQL = "SELECT count(*) FROM claims_claim WHERE status = 'confirmed'"
PAGE_IDS = "SELECT id FROM claims_claim WHERE status = 'confirmed' ORDER BY id LIMIT 100 OFFSET %s"
CURSOR_IDS = "SELECT id FROM claims_claim WHERE status = 'confirmed' AND id > %s ORDER BY id LIMIT 100"
BASELINE_SQL = """
WITH page AS ({ids})
SELECT c.id, c.article_id, c.quote, c.start, c."end", c.kind, s.name, c.attribute, c.qty_min, c.qty_max, c.unit,
       c.qualifier, sp.name, c.as_of, c.polarity, af.name, c.status, c.checked_at, c.version, c.orphaned, o.name,
       c.created_at, c.updated_at, c.date_value, c.date_precision, c.dur_min, c.dur_max, c.dur_unit
FROM page JOIN claims_claim c ON c.id = page.id
JOIN claims_subject s ON s.id = c.subject_id
JOIN claims_article a ON a.id = c.article_id
LEFT JOIN claims_outlet o ON o.id = a.outlet_id
LEFT JOIN claims_speaker sp ON sp.id = c.speaker_id
LEFT JOIN claims_subject af ON af.id = c.after_id
ORDER BY c.id
"""
FLAGS_SQL = """
SELECT id, claim_a_id, claim_b_id FROM claims_contradiction
WHERE withdrawn_at IS NULL AND (claim_a_id = ANY(%s) OR claim_b_id = ANY(%s))
"""


def baseline_page(conn: Any, offset: int, *, cursor: bool = False) -> bytes:
    """The same 100 rows, hand-written: the count (page numbers only), one joined query, one for the contradiction
    ids, json.dumps. With `cursor`, `offset` is the id the page starts after."""
    count = None if cursor else conn.execute(COUNT_SQL).fetchone()[0]
    rows = conn.execute(BASELINE_SQL.format(ids=CURSOR_IDS if cursor else PAGE_IDS), (offset,)).fetchall()
    ids = [row[0] for row in rows]
    flags: dict[int, list[int]] = {i: [] for i in ids}
    for flag_id, a, b in conn.execute(FLAGS_SQL, (ids, ids)).fetchall():
        for side in (a, b):
            if side in flags:
                flags[side].append(flag_id)
    out = []
    for r in rows:
        value: Any = None
        if r[5] == "quantity":
            value = r[8] if r[8] == r[9] else {"min": r[8], "max": r[9]}
        elif r[5] == "date":
            value = r[23].isoformat()[:7]
        elif r[5] == "duration":
            value = {"min": r[25], "max": r[26], "unit": r[27]}
        out.append(
            {
                "id": r[0],
                "article": r[1],
                "quote": r[2],
                "start": r[3],
                "end": r[4],
                "kind": r[5],
                "subject": r[6],
                "attribute": r[7],
                "value": value,
                "unit": r[10] or None,
                "qualifier": r[11],
                "speaker": r[12],
                "as_of": r[13].isoformat() if r[13] else None,
                "polarity": r[14] or None,
                "after": r[15],
                "status": r[16],
                "checked_at": r[17].isoformat() if r[17] else None,
                "contradictions": sorted(flags[r[0]]),
                "version": r[18],
                "orphaned": r[19],
                "outlet": r[20],
                "created_at": r[21].isoformat(),
                "updated_at": r[22].isoformat(),
                "page": f"/claims/{r[0]}/",
            }
        )
    return json.dumps({"count": count, "results": out}).encode()


CPU: dict[int, list[float]] = {}


def timed(fn: Any, repeat: int) -> list[float]:
    """Wall times in ms; this process's CPU times go to CPU[id(list)] (the shared machine makes wall time noisy,
    and CPU time leaves out waiting for the processor as well as the database server's own work)."""
    times: list[float] = []
    cpu = CPU.setdefault(id(times), [])
    for _ in range(repeat):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return times


def server_times(n_claims: int, seconds: float = 0) -> dict[str, float]:
    from django.test import Client

    client = Client(HTTP_ACCEPT="application/json")
    pages = n_claims // 100
    page_numbers = [1, pages // 4, pages // 2, pages - 1]
    results: dict[str, float] = {}

    def api_page(page: int) -> None:
        answer = client.get(f"/api/v1/claims/?page_size=100&page={page}")
        assert answer.status_code == 200 and len(answer.json()["results"]) == 100

    cursors: list[tuple[str, int]] = []  # (the page's URL, the id it starts after)
    answer = client.get("/api/v1/claims/?page_size=100&cursor=").json()
    for _ in range(5):
        following = client.get(answer["next"]).json()
        cursors.append((answer["next"], following["results"][0]["id"] - 1))
        answer = following

    def api_cursor(url: str) -> None:
        assert len(client.get(url).json()["results"]) == 100

    with psycopg.connect(f"{PG}/{DB}") as conn:
        for page in page_numbers:  # warm both paths
            api_page(page)
            baseline_page(conn, (page - 1) * 100)
        api: list[float] = []
        base: list[float] = []
        cur: list[float] = []
        api_cpu: list[float] = []
        base_cpu: list[float] = []
        cur_cpu: list[float] = []
        cur_base: list[float] = []
        cur_base_cpu: list[float] = []
        stop = time.perf_counter() + seconds * 0.4 if seconds else float("inf")
        for _ in range(5):  # interleaved, so that the machine's load weighs on both alike
            if time.perf_counter() > stop and api:
                break
            for page in page_numbers:
                for target, cpu_target, fn in (
                    (api, api_cpu, lambda p=page: api_page(p)),
                    (base, base_cpu, lambda p=page: baseline_page(conn, (p - 1) * 100)),
                ):
                    times = timed(fn, 2)
                    target += times
                    cpu_target += CPU[id(times)]
            for url, after in cursors:
                times = timed(lambda u=url: api_cursor(u), 1)
                cur += times
                cur_cpu += CPU[id(times)]
                times = timed(lambda a=after: baseline_page(conn, a, cursor=True), 1)
                cur_base += times
                cur_base_cpu += CPU[id(times)]
    results["list_api_ms"] = statistics.median(api)
    results["list_cursor_ms"] = statistics.median(cur)
    results["list_baseline_ms"] = statistics.median(base)
    results["list_api_cpu_ms"] = statistics.median(api_cpu)
    results["list_cursor_cpu_ms"] = statistics.median(cur_cpu)
    results["list_baseline_cpu_ms"] = statistics.median(base_cpu)
    results["list_cursor_baseline_ms"] = statistics.median(cur_base)
    results["list_cursor_baseline_cpu_ms"] = statistics.median(cur_base_cpu)
    ids = [random.Random(3).randrange(1, n_claims) for _ in range(300)]
    for claim_id in ids[:20]:
        client.get(f"/api/v1/claims/{claim_id}/")
    detail: list[float] = []
    detail_cpu: list[float] = []
    stop = time.perf_counter() + seconds * 0.2 if seconds else float("inf")
    for claim_id in ids:
        times = timed(lambda c=claim_id: client.get(f"/api/v1/claims/{c}/"), 1)
        detail += times
        detail_cpu += CPU[id(times)]
        if time.perf_counter() > stop and len(detail) >= 20:
            break
    results["detail_median_ms"] = statistics.median(detail)
    results["detail_cpu_ms"] = statistics.median(detail_cpu)
    results["detail_p95_ms"] = sorted(detail)[int(len(detail) * 0.95)]
    return results


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load(port: int, path: str, seconds: float, concurrency: int) -> tuple[float, float]:
    """Requests per second and p50 latency (ms) with `concurrency` keep-alive clients for `seconds`."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            began = time.perf_counter()
            conn.request("GET", path, headers={"Accept": "application/json"})
            answer = conn.getresponse()
            answer.read()
            if answer.status != 200:
                errors.append(str(answer.status))
            if answer.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - began) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    assert not errors, f"{len(errors)} errors, e.g. {errors[:3]}"
    return len(latencies) / elapsed, statistics.median(latencies)


def throughput(seconds: float = 15.0, concurrency: int = 8) -> dict[str, tuple[float, float]]:
    port = free_port()
    env = dict(
        os.environ,
        DEBUG="false",
        SECRET_KEY="bench-not-secret",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_MANIFEST="false",
        GUNICORN_ACCESS_LOG="/dev/null",
        GUNICORN_LOG_LEVEL="warning",
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "tracker.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        load(port, "/api/v1/", 2, 2)  # warm-up
        load(port, "/api/v1/claims/?page_size=100", 2, 2)
        return {
            "trivial (/api/v1/)": load(port, "/api/v1/", seconds, concurrency),
            "claim list, 100/page": load(port, "/api/v1/claims/?page_size=100&page=500", seconds, concurrency),
            "claim list, 100/page, cursor": load(port, "/api/v1/claims/?page_size=100&cursor=", seconds, concurrency),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def claims_in_database() -> int:
    """How many claims the benchmark's database holds (-1: no such database or no claim table yet)."""
    try:
        with psycopg.connect(f"{PG}/{DB}", autocommit=True) as conn:
            row = conn.execute("SELECT COUNT(*) FROM claims_claim").fetchone()
    except psycopg.Error:
        return -1
    return int(row[0]) if row else -1


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("n_claims", nargs="?", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=0, help="bound the measuring to about this many seconds")
    parser.add_argument("--rebuild", action="store_true", help="fill a fresh database even if one holds N_CLAIMS")
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is, whatever it holds")
    args = parser.parse_args()
    n_claims = args.n_claims
    reuse = args.reuse or (not args.rebuild and claims_in_database() == n_claims)
    if not reuse:
        fresh_database()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    began = time.perf_counter()
    if not reuse:
        populate(n_claims)
        print(f"populated {n_claims:,} claims in {time.perf_counter() - began:.0f} s")
    if reuse:
        print(f"reusing {DB} ({claims_in_database():,} claims)")
    times = server_times(n_claims, args.seconds)
    ratio = times["list_api_ms"] / times["list_baseline_ms"]
    cursor_ratio = times["list_cursor_ms"] / times["list_cursor_baseline_ms"]
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("median server time (wall) / this process's CPU time:")
    print(f"  claim list, 100/page, page numbers: {times['list_api_ms']:.1f} ms / {times['list_api_cpu_ms']:.1f} ms")
    print(
        f"  claim list, 100/page, cursor:       {times['list_cursor_ms']:.1f} ms / {times['list_cursor_cpu_ms']:.1f} ms"
    )
    print(
        f"  hand-written, page numbers (count, ids by offset, rows, flags, json.dumps): {times['list_baseline_ms']:.1f}"
        f" ms / {times['list_baseline_cpu_ms']:.1f} ms"
    )
    print(
        f"  hand-written, cursor (ids after an id, rows, flags, json.dumps): {times['list_cursor_baseline_ms']:.1f}"
        f" ms / {times['list_cursor_baseline_cpu_ms']:.1f} ms"
    )
    print(f"  ratio (wall): {ratio:.2f}x (page numbers), {cursor_ratio:.2f}x (cursor); target <= 2x")
    print(
        f"  claim detail: median {times['detail_median_ms']:.2f} ms (CPU {times['detail_cpu_ms']:.2f} ms), "
        f"p95 {times['detail_p95_ms']:.2f} ms; target median < 10 ms"
    )
    per_endpoint = min(15.0, max(2.0, args.seconds * 0.4 / 3 - 1.5)) if args.seconds else 15.0
    for name, (rps, p50) in throughput(per_endpoint).items():
        print(f"gunicorn 2 workers, 8 clients: {name}: {rps:.0f} req/s, p50 {p50:.1f} ms")


if __name__ == "__main__":
    main()
