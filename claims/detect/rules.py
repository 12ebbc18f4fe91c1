"""Which claims could conflict with a claim: the one statement of the narrowing that detection applies before the
comparator weighs any pair. Pure: no Django, no SQL.

`narrowing(mine, ...)` answers, for each kind that `mine` can be weighed against, a `KindRule`: an optional window
of effective dates and a test of the other claim's stored columns. Every claim the comparator (compare.py) could
flag passes it; most claims it would find compatible do not, which is what keeps a check's candidate read small.
Two interpreters read these rules: `claims.detection.sql` turns them into a WHERE clause for one claim's check,
and `compile_test()` below turns them into Python for the bulk reconcile; `holds()` is the plain reading of the
same expression that the tests hold both against. Neither states a rule of its own, so a new rule is written here
once (tests/detect/test_rules.py, test_candidates.py and test_bulk.py check them against each other and the
comparator).

A test is a small expression over the claim table's columns with SQL's three-valued logic: a comparison with a
missing value (NULL) is unknown, and a claim passes only when its test is surely true.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, cast

from claims.detect.base import ClaimFacts, Settings
from claims.detect.dynamics import Dynamics, from_attribute
from claims.detect.intervals import Interval, date_interval, quantity_interval
from claims.detect.numeric import window_of
from claims.detect.units import measure

# Kinds the comparator weighs against each other; a duration may be compared with a deadline date.
COMPARABLE: Mapping[str, tuple[str, ...]] = {
    "quantity": ("quantity",),
    "date": ("date", "duration"),
    "duration": ("duration", "date"),
    "statement": ("statement",),
    "attribution": ("attribution",),
}
# Pairs of one kind that a change-over-time window separates (compare._changed_over_time).
WINDOWED = frozenset({"quantity", "duration", "statement"})
OPPOSITE: Mapping[str, str] = {"affirms": "denies", "denies": "affirms"}
DEADLINE = "at_most"  # the qualifier of a date that is a deadline ("by the end of the year")

# The columns a test may read: the claim table's own names.
COLUMNS = frozenset(
    {"kind", "unit", "qty_min", "qty_max", "date_value", "date_precision", "polarity", "speaker_id", "qualifier"}
)


# --- expressions -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cmp:
    """`column op value` (op one of = < <= > >=); unknown when the column is missing."""

    column: str
    op: str
    value: Any


@dataclass(frozen=True, slots=True)
class Missing:
    """The column holds no value (IS NULL)."""

    column: str


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class NotSurely:
    """True when `inner` is false or unknown: "not surely compatible"."""

    inner: Expr


Expr = Cmp | Missing | AllOf | AnyOf | NotSurely
TRUE = AllOf(())  # passes every claim


@dataclass(frozen=True, slots=True)
class KindRule:
    """The claims of `kind` that could conflict: within `days` of `day` (their effective date; an unknown one
    passes) when a window applies, and passing `test`."""

    kind: str
    test: Expr
    day: datetime.date | None = None
    days: int | None = None

    @property
    def window(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last effective dates the window admits; None when no window applies (or it would reach
        past the calendar, where it narrows nothing)."""
        if self.day is None or self.days is None:
            return None
        try:
            step = datetime.timedelta(days=self.days)
            return self.day - step, self.day + step
        except OverflowError:
            return None


class Columns(Protocol):
    """A claim's stored columns by name (a mapping, or a row object that answers `row["qty_min"]`)."""

    def __getitem__(self, column: str, /) -> Any: ...


_OPS: Mapping[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: bool(a == b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def holds(expr: Expr, row: Columns) -> bool | None:
    """`expr` on one row's columns, with SQL's three-valued logic (None: unknown)."""
    if isinstance(expr, Cmp):
        value = row[expr.column]
        return None if value is None else _OPS[expr.op](value, expr.value)
    if isinstance(expr, Missing):
        return row[expr.column] is None
    if isinstance(expr, NotSurely):
        return holds(expr.inner, row) is not True
    results = [holds(part, row) for part in expr.parts]
    if isinstance(expr, AllOf):
        return False if False in results else (None if None in results else True)
    return True if True in results else (None if None in results else False)


def compile_test(expr: Expr) -> Callable[[Any], bool]:
    """`expr` as a Python function of a row object (its columns as attributes) that is true when `expr` surely
    holds: what `holds(expr, row) is True` answers, generated once as code, for the bulk reconcile's millions of
    tests (tests/detect/test_rules.py checks the two agree)."""
    values: dict[str, Any] = {}
    counter = iter(range(1_000_000))

    def code(node: Expr) -> str:
        if isinstance(node, Cmp | Missing):
            if node.column not in COLUMNS:
                raise ValueError(f"unknown column {node.column!r}")
            if isinstance(node, Missing):
                return f"(r.{node.column} is None)"
            name = f"v{next(counter)}"
            values[name] = node.value
            op = "==" if node.op == "=" else node.op
            if op not in ("==", "<", "<=", ">", ">="):
                raise ValueError(f"unknown operator {node.op!r}")
            return f"(None if r.{node.column} is None else r.{node.column} {op} {name})"
        if isinstance(node, NotSurely):
            return f"({code(node.inner)} is not True)"
        if not node.parts:
            return "True" if isinstance(node, AllOf) else "False"
        names = [f"t{next(counter)}" for _ in node.parts]
        parts = [code(part) for part in node.parts]
        unknown = " or ".join(f"{name} is None" for name in names)
        if isinstance(node, AllOf):
            decided = " or ".join(f"({name} := {part}) is False" for name, part in zip(names, parts, strict=True))
            return f"(False if {decided} else (None if {unknown} else True))"
        decided = " or ".join(f"({name} := {part}) is True" for name, part in zip(names, parts, strict=True))
        return f"(True if {decided} else (None if {unknown} else False))"

    source = f"lambda r: {code(expr)} is True"
    return cast(Callable[[Any], bool], eval(source, {"__builtins__": {}, **values}))


# --- the rules ---------------------------------------------------------------------------------------------------


def day_of(ordinal: float) -> datetime.date | None:
    """The date of a finite interval bound, None for an open one."""
    return datetime.date.fromordinal(int(ordinal)) if math.isfinite(ordinal) else None


def quantities_surely_compatible(span: Interval, unit: str) -> Expr:
    """Quantities in the same unit whose stated figure [qty_min, qty_max] lies in `span`. A hedge, the precision of
    a figure or a hedge word in the quote only widen a claim's interval around its stated figure, so the comparator
    finds these compatible with a claim whose interval is `span`. A figure in another unit ("miles" against "km")
    is never excluded by value: the comparator converts it first."""
    tests: list[Expr] = [Cmp("unit", "=", unit)]
    if math.isfinite(span.hi):
        tests.append(Cmp("qty_min", "<=", span.hi))
    if math.isfinite(span.lo):
        tests.append(AnyOf((Cmp("qty_max", ">=", span.lo), AllOf((Missing("qty_max"), Cmp("qty_min", ">=", span.lo))))))
    return AllOf(tuple(tests))


def dates_surely_compatible(span: Interval) -> Expr:
    """Dates whose own period (first day `date_value` to the end of its day, month or year) meets `span`: as with
    quantities, hedges only widen that period, so the comparator finds these compatible."""
    tests: list[Expr] = []
    hi, lo = day_of(span.hi), day_of(span.lo)
    if hi is not None:
        tests.append(Cmp("date_value", "<=", hi))
    if lo is not None:  # the period reaches lo when it starts on or after the first day of lo's day/month/year
        starts = (("day", lo), ("month", lo.replace(day=1)), ("year", lo.replace(month=1, day=1)))
        tests.append(
            AnyOf(tuple(AllOf((Cmp("date_precision", "=", p), Cmp("date_value", ">=", first))) for p, first in starts))
        )
    return AllOf(tuple(tests))


def quantity_window(attribute: str, dynamics: Dynamics | None, settings: Settings) -> int | None:
    """The change-over-time window of a quantity claim's candidates: the editor's kind if set, else the kind the
    attribute's words give; None (no window) for a running tally or a fixed fact, and when only the units could
    say what kind the figures are (those of a candidate are not known before it is read)."""
    moves = dynamics or from_attribute(attribute)
    return None if moves is None else window_of(attribute, moves, settings)


def _test(mine: ClaimFacts, speaker_id: int | None, kind: str, settings: Settings) -> Expr | None:
    """The test of a claim of `kind` against `mine`; None when no claim of that kind can clash with it."""
    if kind == mine.kind == "quantity":
        own = measure(mine.unit)
        span = quantity_interval(
            mine.value,
            mine.qualifier,
            settings.approx_tolerance,
            settings.approx_min_abs,
            mine.quote,
            factor=own.factor if own else 1.0,
        )
        return None if span is None else NotSurely(quantities_surely_compatible(span, mine.unit or ""))
    if kind == mine.kind == "date":
        period = date_interval(mine.value, mine.qualifier)
        return None if period is None else NotSurely(dates_surely_compatible(period))
    if kind == mine.kind == "statement":
        opposite = OPPOSITE.get(mine.polarity or "")
        return None if opposite is None else Cmp("polarity", "=", opposite)
    if kind == mine.kind == "attribution":
        if speaker_id is None:  # an unknown speaker never clashes
            return None
        # two ranges, not "present and different": SQL keeps them on the candidate index
        return AnyOf((Cmp("speaker_id", "<", speaker_id), Cmp("speaker_id", ">", speaker_id)))
    if mine.kind == "duration" and kind == "date":  # a date matters only as a deadline
        return None if mine.as_of is None else Cmp("qualifier", "=", DEADLINE)
    if mine.kind == "date" and mine.qualifier != DEADLINE:
        return None  # kind is duration: only a deadline date is weighed against one
    return TRUE


def narrowing(
    mine: ClaimFacts, speaker_id: int | None, settings: Settings, dynamics: Dynamics | None = None
) -> list[KindRule]:
    """For each kind `mine` can be weighed against, the claims of the same attribute (on its subject or a related
    one) that could clash with it; an empty list when nothing can."""
    rules: list[KindRule] = []
    for kind in COMPARABLE[mine.kind]:
        test = _test(mine, speaker_id, kind, settings)
        if test is None:
            continue
        days: int | None = None
        if kind == mine.kind and kind in WINDOWED and mine.as_of is not None:
            days = settings.window_days(mine.attribute)
            if kind == "quantity":
                days = quantity_window(mine.attribute, dynamics, settings)
        rules.append(KindRule(kind, test, mine.as_of if days is not None else None, days))
    return rules
