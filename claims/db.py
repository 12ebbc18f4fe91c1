"""Database plumbing shared by detection's reads and the worker's writes in services: a cursor whose statements
are prepared on PostgreSQL. Django-level, no models; imported by claims.detection and claims.services."""

from __future__ import annotations

from typing import Any, cast

import psycopg
from django.db import connection


class _Prepared(psycopg.Cursor[Any]):
    """A server-binding cursor whose every statement is prepared: the check's few statement shapes are then planned
    once per connection. Planning the six-table claim read took 1-4 ms at a million claims, against 0.1-0.3 ms to
    run it (docs/PERFORMANCE.md). Django's own cursors prepare a statement only after DB_PREPARE_THRESHOLD runs
    (and never when it is off); the check's are prepared from the first."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None, **kwargs: Any
    ) -> _Prepared:
        return super().execute(query, params, prepare=True, binary=binary, **kwargs)


def cursor() -> Any:
    """A cursor for the check's statements: prepared on PostgreSQL, Django's cursor elsewhere. It goes through
    Django's cursor wrappers, so the queries are counted and logged like any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns preparing off for the connection (None); its client-binding cursors never prepare anyway, so
        # a threshold out of reach leaves them as they are and lets _Prepared's explicit prepare=True through.
        connection.connection.prepare_threshold = 2**31 - 1
    raw = cast(Any, _Prepared(connection.connection))
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
