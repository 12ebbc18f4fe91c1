"""Claim values as closed intervals, so that "compatible" means "the intervals overlap".

Every hedge widens an interval and never narrows it: that is what makes "widening a hedge never
creates a flag" hold by construction. Malformed values give None (not comparable) instead of raising,
because the detector runs in a worker where one bad row must not stop the others.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from decimal import Decimal
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


def figure_step(number: float) -> float:
    """The place value of the figure's last significant digit: 300,000 -> 100,000; 318,000 -> 1,000; 4.25 -> 0.01.
    A figure is read as written: its trailing zeros are taken as rounding, not as measured digits."""
    if number == 0 or not math.isfinite(number):
        return 1.0
    exponent = Decimal(repr(abs(number))).normalize().as_tuple().exponent
    return 10.0**exponent if isinstance(exponent, int) else 1.0


# A round figure ("about 300,000": one significant digit, a step of 100,000) covers a little less than half a step
# either way, so that "about 2,400" and "about 2,500" still do not meet. Only steps of 100 or more are rounding;
# "about 10" is not read as "somewhere from 5 to 15".
ROUND_SHARE = 0.45
ROUND_MIN_STEP = 100.0


def approx_margin(number: float, tolerance: float, min_abs: float, factor: float = 1.0) -> float:
    """How far "about N" reaches either way, in N's own unit: the tolerance (2 % of N), but never past the next digit
    the figure states ("some 318,000" is within 1,000, not 6,360), at least `min_abs`, and at least ROUND_SHARE of a
    step for a round figure ("about 300,000" reaches 255,000-345,000).

    `factor` takes N's unit to its base unit (a scale word included: "million people" is 1e6, "km" 1,000), and the
    step, `min_abs` and ROUND_MIN_STEP are weighed there: "about 2.5 million" is within 100,000, not 1 million,
    and "about 5 km" reaches as far as "about 5,000 m"."""
    step = figure_step(number) * factor
    margin = max(min(abs(number) * factor * tolerance, step), min_abs)
    if step >= ROUND_MIN_STEP:
        margin = max(margin, ROUND_SHARE * step)
    return margin / factor


def rounding_step(number: float) -> float:
    """The step a figure may have been rounded to when it is a conversion from another unit ("180 miles (290 km)"):
    its last written digit, except that trailing zeros of a whole number count as rounding only down to its second
    significant digit: "1,000 ft" may be 950-1,050 ft (so "300 m", 984 ft, agrees), not 500-1,500; "5 km" is 4.5-5.5.
    Digits after the decimal point are always written on purpose."""
    step = figure_step(number)
    if step <= 1 or number == 0 or not math.isfinite(number):
        return step
    second_digit = 10.0 ** (math.floor(math.log10(abs(number))) - 1)
    return min(step, max(1.0, second_digit))


# Hedge words written in the quote right before the figure. They only ever widen the interval the qualifier gives,
# or replace it by one that still holds the stated figure, which is what the detector's narrowing relies on.
_BELOW = r"nearly|almost|just under|just below|just short of|close to|approaching|shy of|not quite"
_ABOVE = r"just over|just above|a little over|a little more than|slightly more than|slightly over"
_NOT_MORE = r"up to|as many as|less than|fewer than|under|below|at most|no more than"
_NOT_LESS = r"more than|over|above|at least|upwards of|in excess of|no fewer than|no less than"
_ABOUT = r"about|around|some|roughly|approximately|an estimated|estimated|circa|almost exactly|or so|ca"
_HEDGE = re.compile(
    rf"\b(?P<hedge>{_BELOW}|{_ABOVE}|{_NOT_MORE}|{_NOT_LESS}|{_ABOUT})\s+(?:of\s+)?[$\u20ac\u00a3]?\s?"
    r"(?P<number>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>million|billion|thousand|bn|m\b)?",
    re.IGNORECASE,
)
_SCALE = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}


def _group(hedge: str) -> str:
    word = hedge.casefold()
    for name, words in (("below", _BELOW), ("above", _ABOVE), ("at_most", _NOT_MORE), ("at_least", _NOT_LESS)):
        if word in words.split("|"):
            return name
    return "approx"


@functools.lru_cache(maxsize=65536)
def written_hedge(quote: str, number: float) -> str | None:
    """The hedge the quote writes right before this figure ("nearly 200,000" -> "below"), or None. Only a hedge
    whose figure is the claim's own counts: "rose from 600 to about 1,400" hedges 1,400, not 600."""
    for found in _HEDGE.finditer(quote or ""):
        try:
            figure = float(found.group("number").replace(",", ""))
        except ValueError:
            continue
        scale = _SCALE.get((found.group("scale") or "").casefold(), 1.0)
        if math.isclose(figure * scale, number, rel_tol=1e-9) or math.isclose(figure, number, rel_tol=1e-9):
            return _group(found.group("hedge"))
    return None


def quantity_interval(
    value: object,
    qualifier: str,
    tolerance: float,
    min_abs: float,
    quote: str = "",
    rounded: bool = False,
    factor: float = 1.0,
) -> Interval | None:
    """The figures a quantity claim allows, in its own unit: its stated figure (or range) widened by its qualifier,
    by the precision the figure is written to, and by a hedge word the quote puts before it. Always holds the stated
    figure. `factor`: the unit's factor to its base unit (approx_margin weighs precision there).

    `rounded`: the figure is set against one in another unit, so it may be a conversion rounded to the digits it
    shows ("180 miles (290 km)"): the interval also covers half the `rounding_step` of each finite stated bound
    either way."""
    bounds = quantity_bounds(value)
    if bounds is None:
        return None
    span = _hedged(bounds, qualifier, tolerance, min_abs, quote, factor)
    if not rounded:
        return span
    # The rounding covers the stated figure's neighbourhood; a hedge that already reaches further is not widened
    # again ("about 1 km" is 0.5-1.5 km, not 0.05-1.95).
    lo = min(span.lo, bounds[0] - rounding_step(bounds[0]) / 2)
    hi = max(span.hi, bounds[1] + rounding_step(bounds[1]) / 2) if math.isfinite(bounds[1]) else span.hi
    return Interval(lo, hi)


def _hedged(
    bounds: tuple[float, float], qualifier: str, tolerance: float, min_abs: float, quote: str, factor: float
) -> Interval:
    lo, hi = bounds
    hedge = written_hedge(quote, lo) if lo == hi and quote else None
    if hedge == "below" and qualifier in ("exact", "approx"):
        # "nearly 200,000": below the figure, by up to a round step (or twice the tolerance).
        return Interval(lo - max(approx_margin(lo, tolerance, min_abs, factor), 2 * abs(lo) * tolerance), hi)
    if hedge == "above" and qualifier in ("exact", "approx"):
        return Interval(lo, hi + max(approx_margin(hi, tolerance, min_abs, factor), 2 * abs(hi) * tolerance))
    if qualifier == "exact" and hedge in ("approx", "at_least", "at_most"):
        qualifier = hedge  # the editor kept "exact", the text says otherwise: read the wider one
    if qualifier == "approx":
        lo -= approx_margin(lo, tolerance, min_abs, factor)
        if hi != INF:
            hi += approx_margin(hi, tolerance, min_abs, factor)
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
