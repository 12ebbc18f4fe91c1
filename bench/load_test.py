"""Load test: 50 concurrent users against gunicorn on PostgreSQL, with a Celery worker on Redis checking claims.

    make load                     # or: .venv/bin/python bench/load_test.py [--users 50] [--duration 60] ...

One command does everything, from nothing, and undoes it afterwards:
  1. creates a fresh PostgreSQL database on --pg (default 127.0.0.1:5432, user postgres), migrates it, collects the
     static files, and loads a few thousand confirmed claims with contradictions (bench/load_data.py);
  2. starts a private redis-server on a free port, a Celery worker and gunicorn (--web-workers processes) with
     production settings (DEBUG off);
  3. runs --users simulated users in this (second) process for --duration seconds: each waits a think time
     (0.5-1.5 s), then makes one request — 90% reads spread over the claim, subject and contradiction pages, the
     contradictions list page and the API lists; 10% claim writes through the API with an editor token;
  4. prints errors, p50/p95/p99 latency and throughput (overall and per kind), then waits for the worker to check
     every claim written during the load and reports how long after the end that took.
Exits 1 when a target is missed: zero errors, p99 under 500 ms, every written claim checked within 5 s.

Why not locust: it is a heavy dependency (gevent, flask, ...) for one script; a thread per user with the standard
library's HTTP client is enough at this scale (~50 requests/s), costs a few per cent of one core, and needs nothing
installed. The users are closed-loop with think time, like locust's `between(0.5, 1.5)`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(command: list[str], env: dict[str, str] | None = None, timeout: float = 1800) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done.stdout


@dataclass
class Sample:
    kind: str
    status: int
    ms: float
    error: str = ""


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    written: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, written: int | None = None) -> None:
        with self.lock:
            self.samples.append(sample)
            if written is not None:
                self.written.append(written)


class Services:
    """The processes under test; stopped in reverse order whatever happens."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.procs: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 — kept open for the process's lifetime
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs.append((name, proc))
        return proc

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def wait_for(self, name: str, ready: Any, timeout: float = 90) -> None:
        proc = dict(self.procs)[name]
        deadline = time.time() + timeout
        while time.time() < deadline:
            if proc.poll() is not None:
                raise SystemExit(f"{name} exited at start:\n{self.log(name)[-3000:]}")
            if ready():
                return
            time.sleep(0.2)
        raise SystemExit(f"{name} not ready within {timeout} s:\n{self.log(name)[-3000:]}")

    def stop_all(self) -> None:
        for _, proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, 15)
        for _, proc in reversed(self.procs):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait(timeout=10)


def request(
    port: int, method: str, path: str, body: dict[str, Any] | None = None, token: str | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Accept": "application/json" if path.startswith("/api/") else "text/html"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Token {token}"
        conn.request(method, path, body=payload, headers=headers)
        answer = conn.getresponse()
        return answer.status, answer.read()
    finally:
        conn.close()


def read_kinds(port: int, data: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], list[str]]:
    """Path makers for each kind of read that exists in this checkout; the names of those that do not."""
    claims, subjects, flags = data["claims"], data["subjects"], data["contradictions"]
    candidates: dict[str, Any] = {
        "claim page": lambda: f"/claims/{rng.choice(claims)}/",
        "subject page": lambda: f"/subjects/{rng.choice(subjects)}/",
        "contradiction page": lambda: f"/contradictions/{rng.choice(flags)}/",
        "contradictions list page": lambda: "/contradictions/",
        "api claims list": lambda: "/api/v1/claims/",
        "api contradictions list": lambda: "/api/v1/contradictions/",
        "api subjects list": lambda: "/api/v1/subjects/",
    }
    if not flags:
        raise SystemExit("the loaded data has no contradictions; bench/load_data.py must make some")
    present, missing = {}, []
    for name, make in candidates.items():
        status, _ = request(port, "GET", make())
        if status == 404:
            missing.append(name)
        elif status != 200:
            raise SystemExit(f"{name}: {make()} answered {status} before the load started")
        else:
            present[name] = make
    return present, missing


def user(
    port: int,
    data: dict[str, Any],
    reads: dict[str, Any],
    deadline: float,
    seed: int,
    think: tuple[float, float],
    write_share: float,
    results: Results,
) -> None:
    rng = random.Random(seed)
    names = list(reads)
    time.sleep(rng.uniform(0, think[1]))  # users arrive spread over the first think time, not all at once
    while True:
        if time.monotonic() >= deadline:
            return
        if rng.random() < write_share:
            span = rng.choice(data["spans"])
            value = int(span["base"] * rng.choice([0.6, 0.75, 1.0, 1.3, 1.5]))
            body = {
                "article": span["article"],
                "start": span["start"],
                "end": span["end"],
                "quote": span["quote"],
                "kind": "quantity",
                "subject": span["subject"],
                "attribute": "evacuee count",
                "value": value,
                "unit": "residents",
            }
            kind, method, path = "claim write", "POST", "/api/v1/claims/"
        else:
            kind = rng.choice(names)
            body, method, path = None, "GET", reads[kind]()
        started = time.perf_counter()
        try:
            status, payload = request(port, method, path, body, data["token"] if body else None)
        except OSError as exc:
            results.add(Sample(kind, 0, (time.perf_counter() - started) * 1000, repr(exc)))
        else:
            ms = (time.perf_counter() - started) * 1000
            expected = 201 if body else 200
            written = json.loads(payload)["id"] if status == expected and body else None
            error = "" if status == expected else f"{status} {path}: {payload[:200]!r}"
            results.add(Sample(kind, status, ms, error), written)
        time.sleep(rng.uniform(*think))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(results: Results, seconds: float) -> tuple[str, float]:
    lines = ["| requests | kind | errors | p50 ms | p95 ms | p99 ms |", "| --- | --- | --- | --- | --- | --- |"]
    groups: dict[str, list[Sample]] = {}
    for sample in results.samples:
        groups.setdefault(sample.kind, []).append(sample)
    every = results.samples
    for name, samples in [("all", every), *sorted(groups.items())]:
        ms = [s.ms for s in samples]
        lines.append(
            f"| {len(samples)} | {name} | {sum(1 for s in samples if s.error)} | {percentile(ms, 0.5):.0f} | "
            f"{percentile(ms, 0.95):.0f} | {percentile(ms, 0.99):.0f} |"
        )
    p99 = percentile([s.ms for s in every], 0.99)
    lines.append(
        f"\nthroughput {len(every) / seconds:.1f} requests/s over {seconds:.0f} s; "
        f"mean latency {statistics.fmean(s.ms for s in every):.0f} ms"
    )
    return "\n".join(lines), p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", default="0.5-1.5", help="seconds between a user's requests, MIN-MAX")
    parser.add_argument("--writes", type=float, default=0.10, help="share of requests that write a claim")
    parser.add_argument(
        "--articles",
        type=int,
        default=100,
        help="articles to load (20 confirmed claims each, plus the suggestions made at ingestion)",
    )
    parser.add_argument("--web-workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--celery-concurrency", type=int, default=2)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432", help="server to create the db on")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs afterwards")
    args = parser.parse_args()
    think = tuple(float(x) for x in args.think.split("-"))
    if len(think) != 2 or not 0 <= think[0] <= think[1]:
        parser.error(f"--think must be MIN-MAX seconds, not {args.think!r}")
    for tool in ("psql", "redis-server"):
        if shutil.which(tool) is None:
            raise SystemExit(f"the load test needs {tool} on PATH")

    import psycopg

    database = f"tracker_load_{os.getpid()}_{secrets.token_hex(3)}"
    admin_url = f"{args.pg}/postgres"
    workdir = Path(tempfile.mkdtemp(prefix="tracker-load-"))
    services = Services(workdir)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
    try:
        redis_port, web_port = free_port(), free_port()
        env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "TEST_DB_TAG"}}
        env.update(
            DATABASE_URL=f"{args.pg}/{database}",
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            STATIC_ROOT=str(workdir / "static"),
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            PYTHONUNBUFFERED="1",
            LOG_LEVEL="WARNING",
        )
        print(f"database {database}; loading data ...", flush=True)
        run([PY, "manage.py", "migrate", "--noinput"], env)
        run([PY, "manage.py", "collectstatic", "--noinput"], env)
        run([PY, "bench/load_data.py", str(workdir / "data.json"), str(args.articles)], env)
        data = json.loads((workdir / "data.json").read_text())
        print(
            f"loaded {len(data['claims'])} confirmed claims ({data['all_claims']} with the suggestions), "
            f"{len(data['contradictions'])} contradictions "
            f"in {data['seconds']} s",
            flush=True,
        )

        # The site and the worker share a private Redis (broker and throttle cache). All simulated users come from
        # one loopback address, so the per-address anonymous throttle is lifted: it would otherwise refuse them.
        env.update(
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            CELERY_QUEUE="load",
            THROTTLE_ANON="1000000/minute",
            THROTTLE_USER="1000000/minute",
        )
        services.start(
            "redis",
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        services.wait_for("redis", lambda: "Ready to accept connections" in services.log("redis"))
        services.start(
            "worker",
            [
                PY,
                "-m",
                "celery",
                "-A",
                "tracker",
                "worker",
                "--loglevel=INFO",
                "-Q",
                "load",
                f"--concurrency={args.celery_concurrency}",
                "--without-gossip",
                "--without-mingle",
            ],
            env,
        )
        services.wait_for("worker", lambda: "ready." in services.log("worker"))
        services.start(
            "gunicorn",
            [
                PY,
                "-m",
                "gunicorn",
                "tracker.wsgi",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--workers",
                str(args.web_workers),
                "--timeout",
                "30",
                "--access-logfile",
                "-",
            ],
            env,
        )

        def web_ready() -> bool:
            try:
                return request(web_port, "GET", "/api/v1/")[0] == 200
            except OSError:
                return False

        services.wait_for("gunicorn", web_ready)
        rng = random.Random(1)
        reads, missing = read_kinds(web_port, data, rng)
        print(
            f"reads: {', '.join(reads)}"
            + (f"; skipped (not in this checkout): {', '.join(missing)}" if missing else ""),
            flush=True,
        )

        results = Results()
        print(
            f"{args.users} users for {args.duration:.0f} s, think {args.think} s, {args.writes:.0%} writes ...",
            flush=True,
        )
        started = time.monotonic()
        deadline = started + args.duration
        threads = [
            threading.Thread(
                target=user, args=(web_port, data, reads, deadline, 1000 + n, think, args.writes, results), daemon=True
            )
            for n in range(args.users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.duration + 60)
        ended = time.monotonic()
        table, p99 = report(results, ended - started)
        errors = [s for s in results.samples if s.error]
        print(table)
        for sample in errors[:10]:
            print(f"  error: {sample.kind}: {sample.error}")

        written = results.written
        with psycopg.connect(f"{args.pg}/{database}", autocommit=True) as conn:

            def unchecked() -> int:
                row = conn.execute(
                    "SELECT count(*) FROM claims_claim WHERE id = ANY(%s) AND checked_at IS NULL", [written]
                ).fetchone()
                return int(row[0]) if row else 0

            left = unchecked()
            while left and time.monotonic() - ended < 60:
                time.sleep(0.1)
                left = unchecked()
            lag = time.monotonic() - ended
        checked_in_time = left == 0 and lag <= 5
        print(
            f"{len(written)} claims written; {'all checked' if not left else f'{left} NOT checked'} "
            f"{lag:.1f} s after the load ended (target: within 5 s)"
        )
        met = not errors and p99 < 500 and checked_in_time
        print(
            f"targets {'met' if met else 'MISSED'}: errors {len(errors)} (0), p99 {p99:.0f} ms (< 500), "
            f"written claims checked {lag:.1f} s after the end (<= 5)"
        )
        return 0 if met else 1
    finally:
        services.stop_all()
        if args.keep:
            print(f"kept: database {database}, logs in {workdir}")
        else:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
