"""Every benchmark of the performance goals (issue 23) in one bounded run: the reader pages, the REST API, and
contradiction detection at 10k, 100k and 1M claims in both shapes of data.

    make bench                                  # or: .venv/bin/python bench/run_all.py [--minutes 20] [--only NAME,...]

Each benchmark runs as a process of its own with the bounds written below and a hard limit, its share of --minutes;
its output goes to the terminal as it comes and to artifacts/bench/<name>.log. The data each one makes stays in its
PostgreSQL database (BENCH_PG, default postgresql://postgres@127.0.0.1:5432; each benchmark creates its own when
missing) and is reused by the next run, so only the first run on a machine pays for building it. At the end: how
long each benchmark took and whether it finished inside its share. Exits 1 when one failed or overran.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bench:
    name: str
    database: str  # "" when the benchmark names its own (bench_api.py)
    command: str  # the script and its bounds, split at spaces
    share: float  # of --minutes


BENCHES = (
    Bench("pages", "tracker_bench_pages", "bench/bench_pages.py --iterations 200 --seconds 150", 0.2),
    Bench("api", "", "bench/bench_api.py --seconds 60", 0.15),
    Bench(
        "detect-constant",
        "tracker_bench_detect",
        "bench/bench_detect.py --shape constant --sample 100 --naive 3 --api 30 --reconcile-seconds 30 --no-explain",
        0.4,
    ),
    Bench(
        "detect-dense",
        "tracker_bench_detect",
        "bench/bench_detect.py --shape dense --sample 60 --naive 0 --api 0 --reconcile-seconds 15 --no-explain",
        0.25,
    ),
)


def run(bench: Bench, limit: float, server: str, logs: Path) -> tuple[float, str]:
    """Run one benchmark within `limit` seconds; (seconds taken, outcome)."""
    env = {**os.environ, "BENCH_PG": server}
    if bench.database:
        env["DATABASE_URL"] = f"{server}/{bench.database}"  # each benchmark creates its database when missing
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")
    began = time.monotonic()
    with (logs / f"{bench.name}.log").open("w") as log:
        command = [sys.executable, *bench.command.split()]
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert process.stdout is not None
        overran = threading.Event()

        def stop() -> None:
            overran.set()
            process.kill()

        timer = threading.Timer(limit, stop)  # fires even when the benchmark prints nothing
        timer.start()
        try:
            for line in process.stdout:
                print(f"[{bench.name}] {line}", end="", flush=True)
                log.write(line)
            code = process.wait()
        finally:
            timer.cancel()
        if overran.is_set():
            outcome = f"stopped: over its {limit / 60:.1f} min"
        else:
            outcome = "done" if code == 0 else f"failed (exit {code})"
    return time.monotonic() - began, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--minutes", type=float, default=20.0, help="the whole run's bound (default 20)")
    parser.add_argument("--only", default="", help=f"comma-separated, of: {', '.join(b.name for b in BENCHES)}")
    args = parser.parse_args()
    wanted = [name for name in args.only.split(",") if name] or [b.name for b in BENCHES]
    unknown = sorted(set(wanted) - {b.name for b in BENCHES})
    if unknown:
        sys.exit(f"unknown benchmark(s) {', '.join(unknown)}: known are {', '.join(b.name for b in BENCHES)}")
    if args.minutes <= 0:
        sys.exit("--minutes must be more than 0")
    chosen = [b for b in BENCHES if b.name in wanted]
    total_share = sum(b.share for b in chosen)
    server = os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
    logs = ROOT / "artifacts" / "bench"
    logs.mkdir(parents=True, exist_ok=True)
    results = []
    began = time.monotonic()
    for bench in chosen:
        limit = args.minutes * 60 * bench.share / total_share
        results.append((bench.name, *run(bench, limit, server, logs)))
    print(f"\nall benchmarks in {(time.monotonic() - began) / 60:.1f} min (bound {args.minutes:g} min):")
    for name, seconds, outcome in results:
        print(f"  {name:16} {seconds / 60:5.1f} min  {outcome}")
    if any(outcome != "done" for _, _, outcome in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
