"""The PostgreSQL databases the benchmarks make for themselves: an address on the same server, and a database
created when it is missing. Imported by the benchmarks beside it (bench_detect, bench_pages, run_all)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def with_database(url: str, name: str) -> str:
    """`url` (postgresql://...) pointing at database `name` on the same server, without query options."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.replace("postgresql+psycopg", "postgresql"), parts.netloc, f"/{name}", "", ""))


def ensure_database(url: str) -> None:
    """Create the database `url` names when the server has none of that name."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')
