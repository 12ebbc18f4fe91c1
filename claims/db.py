"""Database plumbing shared by detection's reads and the worker's writes in services: a cursor whose statements
are prepared on PostgreSQL; timestamps read by psycopg's C parser on every PostgreSQL connection (registered in
claims.apps); and the hot pages' reads compiled to SQL once (compiled_values). Django-level, no models; imported by
claims.detection, claims.services, claims.selectors and claims.apps."""

from __future__ import annotations

import contextlib
import datetime
import functools
import threading
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from django.db import connection, connections
from django.db.models import QuerySet
from django.utils import timezone
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


# ---------------------------------------------------------------------------------------------- compiled reads
# Django builds and compiles a queryset's SQL on every run: 1-2 ms for a read of the subject page, where PostgreSQL
# answers it in less (docs/PERFORMANCE.md). compiled_values builds a read once per thread with stand-in ids, keeps
# its SQL and where each id goes among its parameters, and then runs that SQL with the real ids through Django's
# cursor (counted and logged like any query) and Django's converters (SQLite's dates, for one). PostgreSQL plans
# each run with its real ids (the statement is not prepared, unless one plan suits every id): the ids these
# reads take are skewed — a story's subject holds thousands of claims where most hold a hundred — and the generic
# plan PostgreSQL may pick for a prepared statement after five runs ran the hot subject's flags in 31 ms against 1
# planned with its id, and a deep page of its claims in 12 against 4 (docs/PERFORMANCE.md).

_STAND_IN = -2_000_000_001  # an id no row has, inside every integer column's range (Django drops out-of-range ids)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[int | None, ...]  # for each parameter: which id it is, or None for a constant of the query
    names: tuple[str, ...]
    compiler: Any


_compiled = threading.local()  # a compiler holds its thread's connection: one cache per thread
_KEPT = 256  # compiled statements a thread keeps (a paged read makes one per page it served): then it starts again


def _stand_in(index: int, kind: type) -> int | str:
    # A string stand-in (an SQL array literal's text, say) with a NUL no real parameter of a query holds.
    return _STAND_IN - index if kind is int else f"\x00stand-in {index}\x00"


def _compile(build: Callable[..., QuerySet[Any]], kinds: tuple[type, ...], shape: tuple[Hashable, ...]) -> _Compiled:
    stand_ins = [_stand_in(i, kind) for i, kind in enumerate(kinds)]
    query = build(*stand_ins, *shape)
    if query._iterable_class.__name__ != "ValuesIterable":
        raise TypeError(f"compiled_values: {build.__qualname__} must return a values() queryset")
    compiler = query.query.get_compiler(query.db)
    sql, params = compiler.as_sql()
    slots = tuple(
        next((i for i, stand_in in enumerate(stand_ins) if type(p) is type(stand_in) and p == stand_in), None)
        for p in params
    )
    missing = set(range(len(kinds))) - set(slots)
    if missing:  # an argument that is not a parameter (a slice bound, say) would be baked into the SQL
        raise ValueError(f"compiled_values: {build.__qualname__} does not pass ids {sorted(missing)} as parameters")
    q = query.query
    names = tuple(q.selected) if q.selected else (*q.extra_select, *q.values_select, *q.annotation_select)
    return _Compiled(sql, tuple(params), slots, names, compiler)


def compiled_values(
    build: Callable[..., QuerySet[Any]], *ids: int | str, shape: tuple[Hashable, ...] = (), one_plan: bool = False
) -> list[dict[str, Any]]:
    """The rows of `build(*ids, *shape)`, a values() queryset, as values() gives them. `ids` are the parameters that
    change from run to run (integers, or strings such as an SQL array literal, that Django passes as query
    parameters unchanged); `shape` the arguments that change the SQL itself (a limit), one compiled statement for
    each. Compiled once per thread, connection, vendor and time zone (TruncDate passes the zone's name). PostgreSQL
    plans it with the real ids on every run, unless `one_plan` (a read whose plan is the same whatever its ids — one
    row by its key, a bounded page of ids —: prepared like Django's other queries)."""
    kinds = tuple(int if isinstance(value, int) else str for value in ids)
    key = (build, kinds, shape, connection.alias, connection.vendor, timezone.get_current_timezone_name())
    cache: dict[Any, _Compiled] = _compiled.__dict__.setdefault("queries", {})
    entry = cache.get(key)
    if entry is None or entry.compiler.connection is not connections[connection.alias]:
        if len(cache) >= _KEPT:
            cache.clear()
        entry = cache[key] = _compile(build, kinds, shape)
    params = [value if slot is None else ids[slot] for value, slot in zip(entry.params, entry.slots, strict=True)]
    with connection.cursor() as cursor, contextlib.nullcontext() if one_plan else _planned_each_run():
        cursor.execute(entry.sql, params)
        rows = cursor.fetchall()
    names = entry.names
    return [dict(zip(names, row, strict=True)) for row in entry.compiler.results_iter(results=[rows])]


@contextlib.contextmanager
def _planned_each_run() -> Iterator[None]:
    """The statements run inside are not prepared on a PostgreSQL connection that prepares (DB_PREPARE_THRESHOLD):
    bound on the server as an unnamed statement, which PostgreSQL plans with the parameters' values."""
    raw = connection.connection if connection.vendor == "postgresql" else None
    threshold = raw.prepare_threshold if raw is not None else None
    if raw is None or threshold is None:
        yield
        return
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


class CompiledPages:
    """A values() read for a Paginator (which slices it, and must be given the count): each page's rows by
    compiled_values, one statement per page bounds (Django writes LIMIT and OFFSET into the SQL)."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *ids: int) -> None:
        self.build, self.ids = build, ids

    def __getitem__(self, bounds: slice) -> list[dict[str, Any]]:
        if not isinstance(bounds, slice) or bounds.step is not None:
            raise TypeError("CompiledPages is read a page (a slice) at a time")
        return compiled_values(_paged(self.build), *self.ids, shape=(bounds.start, bounds.stop))


@functools.cache
def _paged(build: Callable[..., QuerySet[Any]]) -> Callable[..., QuerySet[Any]]:
    """build's page: one function per build, so that compiled_values keys its statements by it."""

    def page(*args: Any) -> QuerySet[Any]:
        *ids, start, stop = args
        return build(*ids)[start:stop]

    page.__qualname__ = f"{build.__qualname__} (a page)"
    return page
