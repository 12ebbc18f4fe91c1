"""claims.db: timestamps read through psycopg's C parser give exactly what Django's own loader gives, on the real
PostgreSQL server of the machine (127.0.0.1:5432), and every Django connection to PostgreSQL uses it."""

from __future__ import annotations

import datetime

import psycopg
import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader

from claims.db import _timestamptz_loader

SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
VALUES = (
    "2025-03-14 10:00:00+00",
    "2025-03-14 10:00:00.5+02",
    "1999-12-31 23:59:59.999999-05:30",
    "0044-03-15 12:00:00+00",
    "2026-12-07 03:41:51.517165+00",
)


def _read(register: object) -> list[datetime.datetime]:
    with psycopg.connect(SERVER) as conn:
        conn.execute("SET TIME ZONE 'UTC'")  # as Django sets it when USE_TZ is on
        register(conn)  # type: ignore[operator]
        query = "SELECT v::timestamptz FROM unnest(%s::text[]) AS v"
        return [row[0] for row in conn.execute(query, [list(VALUES)]).fetchall()]


@pytest.mark.parametrize("zone", [datetime.UTC, None])
def test_the_c_parser_reads_what_djangos_loader_reads(zone: datetime.tzinfo | None) -> None:
    loader = _timestamptz_loader(zone)
    assert loader is not None, "psycopg's C extension (psycopg-binary, in the lock) is missing"
    ours = _read(lambda conn: conn.adapters.register_loader("timestamptz", loader))
    django = _read(lambda conn: register_tzloader(zone, conn))
    assert ours == django
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in django]
    assert ours[1] == datetime.datetime(2025, 3, 14, 8, 0, 0, 500000, tzinfo=zone)  # moved to UTC, then `zone` set


@pytest.mark.django_db
def test_djangos_connections_to_postgresql_read_timestamps_with_it() -> None:
    connection.ensure_connection()
    if connection.vendor != "postgresql":
        assert connection.vendor == "sqlite"  # the embedded default has no psycopg connection to set up
        return
    loader = connection.connection.adapters.get_loader(1184, psycopg.pq.Format.TEXT)
    assert loader is _timestamptz_loader(connection.timezone)
    with connection.cursor() as cursor:  # Django's cursor keeps it: its zone is the connection's
        cursor.execute("SELECT '2025-03-14 10:00:00.25+01'::timestamptz")
        assert cursor.fetchone()[0] == datetime.datetime(2025, 3, 14, 9, 0, 0, 250000, tzinfo=datetime.UTC)
