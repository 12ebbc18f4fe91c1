"""Claim values as closed intervals, so that "compatible" means "the intervals overlap".

Every hedge widens an interval and never narrows it: that is what makes "widening a hedge never
creates a flag" hold by construction. Malformed values give None (not comparable) instead of raising,
because the detector runs in a worker where one bad row must not stop the others.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

INF = math.inf

DAYS_PER_UNIT: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25, "decade": 3652.5}

Precision = Literal["year", "month", "day"]


@dataclass(frozen=True)
class Interval:
    lo: float
    hi: float

    def overlaps(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def gap(self, other: Interval) -> float:
        """Distance between the intervals; 0 when they overlap."""
        return max(0.0, other.lo - self.hi, self.lo - other.hi)


def _number(value: object) -> float | None:
    # bool is an int subclass; True is not a count.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def quantity_bounds(value: object) -> tuple[float, float] | None:
    """The stated figure as (min, max): a number N gives (N, N); {"min","max"} a range (max None = open)."""
    if isinstance(value, dict):
        lo = _number(value.get("min"))
        hi = INF if value.get("max") is None else _number(value.get("max"))
        if lo is None or hi is None:
            return None
        return (lo, hi) if lo <= hi else (hi, lo)
    number = _number(value)
    return None if number is None else (number, number)


def approx_margin(number: float, tolerance: float, min_abs: float) -> float:
    return max(abs(number) * tolerance, min_abs)


def quantity_interval(value: object, qualifier: str, tolerance: float, min_abs: float) -> Interval | None:
    bounds = quantity_bounds(value)
    if bounds is None:
        return None
    lo, hi = bounds
    if qualifier == "approx":
        lo -= approx_margin(lo, tolerance, min_abs)
        if hi != INF:
            hi += approx_margin(hi, tolerance, min_abs)
    elif qualifier == "at_least":
        hi = INF
    elif qualifier == "at_most":
        lo = -INF
    return Interval(lo, hi)


def parse_date(value: object) -> tuple[dt.date, dt.date, Precision] | None:
    """First and last day of a "YYYY", "YYYY-MM" or "YYYY-MM-DD" value, with its precision."""
    if isinstance(value, dt.date):
        return value, value, "day"
    if not isinstance(value, str):
        return None
    parts = value.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1 and len(parts[0]) == 4:
            return dt.date(numbers[0], 1, 1), dt.date(numbers[0], 12, 31), "year"
        if len(numbers) == 2:
            first = dt.date(numbers[0], numbers[1], 1)
            return first, _add_months(first, 1) - dt.timedelta(days=1), "month"
        if len(numbers) == 3:
            day = dt.date(numbers[0], numbers[1], numbers[2])
            return day, day, "day"
    except (ValueError, OverflowError):
        return None
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, dt.MINYEAR), dt.MAXYEAR)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def date_interval(value: object, qualifier: str) -> Interval | None:
    """Day ordinals covered by a date at its precision; approx widens by one unit of that precision."""
    parsed = parse_date(value)
    if parsed is None:
        return None
    first, last, precision = parsed
    lo: float = first.toordinal()
    hi: float = last.toordinal()
    if qualifier == "approx":
        step = {"year": 12, "month": 1}.get(precision)
        if step is None:
            lo, hi = lo - 1, hi + 1
        else:
            lo = _add_months(first, -step).toordinal()
            hi = _add_months(last + dt.timedelta(days=1), step).toordinal() - 1
    elif qualifier == "at_most":
        lo = -INF
    elif qualifier == "at_least":
        hi = INF
    return Interval(lo, hi)


def duration_days(value: object) -> tuple[float, float, float] | None:
    """(min days, max days or INF, days in one unit) of a {"min","max","unit"} duration."""
    if not isinstance(value, dict):
        return None
    unit = str(value.get("unit") or "").strip().casefold().removesuffix("s")
    per_unit = DAYS_PER_UNIT.get(unit)
    bounds = quantity_bounds({"min": value.get("min"), "max": value.get("max")})
    if per_unit is None or bounds is None or bounds[0] < 0:
        return None
    return bounds[0] * per_unit, bounds[1] * per_unit, per_unit


def duration_interval(value: object, qualifier: str, tolerance: float) -> Interval | None:
    """Length in days; approx widens each bound by the tolerance, and by at least half a unit."""
    parsed = duration_days(value)
    if parsed is None:
        return None
    lo, hi, per_unit = parsed
    if qualifier == "approx":
        lo = max(0.0, lo - max(lo * tolerance, per_unit / 2))
        if hi != INF:
            hi += max(hi * tolerance, per_unit / 2)
    elif qualifier == "at_least":
        hi = INF
    elif qualifier == "at_most":
        # "within 2-5 years" still means at most 5; "within 5 years" ({"min": 5, "max": 5}) likewise.
        lo = 0.0
    return Interval(lo, hi)
