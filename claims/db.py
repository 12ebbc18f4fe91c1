"""Database plumbing shared by detection's reads and the worker's writes in services: a cursor whose statements
are prepared on PostgreSQL; and timestamps read by psycopg's C parser on every PostgreSQL connection (registered
in claims.apps). Django-level, no models; imported by claims.detection, claims.services and claims.apps."""

from __future__ import annotations

import datetime
import functools
from typing import Any, cast

import psycopg
from django.db import connection
from psycopg.adapt import Loader


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


@functools.cache
def _timestamptz_loader(zone: datetime.tzinfo | None) -> type[Loader] | None:
    """A loader of `timestamptz` text that parses in psycopg's C code and then sets `zone`, as Django's own does.
    Django's subclasses the pure-Python parser (a C class cannot be subclassed): a page of 100 API rows parses 300
    timestamps, about 2 us each slower. None where psycopg runs without its C extension."""
    if psycopg.pq.__impl__ != "binary":
        return None
    try:
        from psycopg_binary._psycopg import TimestamptzLoader as CParser  # type: ignore[attr-defined]
    except ImportError:  # another psycopg build: Django's loader stays
        return None

    class TimestamptzLoader(Loader):
        timezone = zone  # what Django's create_cursor compares with its own, so it registers nothing over it

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._parse = CParser(oid, context).load

        def load(self, data: Any) -> datetime.datetime:
            return cast(datetime.datetime, self._parse(data)).replace(tzinfo=self.timezone)

    return TimestamptzLoader


def use_c_timestamps(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: a new PostgreSQL connection reads timestamps through _timestamptz_loader."""
    if connection.vendor != "postgresql":
        return
    loader = _timestamptz_loader(connection.timezone)
    if loader is not None:
        connection.connection.adapters.register_loader("timestamptz", loader)
