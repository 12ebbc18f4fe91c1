"""Translating a claim's API `value` to and from the typed columns it is stored in. Pure: no Django.

API forms (API.md): quantity -> a number or {"min": N, "max": N}; date -> "YYYY" | "YYYY-MM" | "YYYY-MM-DD";
duration -> {"min": N, "max": N or null, "unit": "day"|"week"|"month"|"year"}; attribution, statement -> null.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass
from typing import Any

KINDS = ("quantity", "date", "duration", "attribution", "statement")
QUALIFIERS = ("exact", "approx", "at_least", "at_most")
DURATION_UNITS = ("day", "week", "month", "year")
POLARITIES = ("affirms", "denies")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Far beyond any real count or sum; keeps floats finite and comparisons meaningful.
_MAX_MAGNITUDE = 1e15


# A claim's value as the API and the services take it (API.md): a number or {"min": N, "max": N} for a quantity,
# "YYYY[-MM[-DD]]" for a date, {"min": N, "max": N | None, "unit": "..."} for a duration, None otherwise. Typed as
# the JSON it arrives as: `to_columns` checks the shape and says what is wrong.
Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]
ClaimValue = Json


class ValueProblem(ValueError):
    """A value that cannot be stored, with the API field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class StoredValue:
    qty_min: float | None = None
    qty_max: float | None = None
    date_value: datetime.date | None = None
    date_precision: str = ""
    dur_min: float | None = None
    dur_max: float | None = None
    dur_unit: str = ""


# The claim table's value columns, in StoredValue's order: SQL that reads a value selects them in this order.
VALUE_COLUMNS = ("qty_min", "qty_max", "date_value", "date_precision", "dur_min", "dur_max", "dur_unit")


def stored_of(source: object) -> StoredValue:
    """The value columns of anything that carries them as attributes (a Claim)."""
    return StoredValue(*(getattr(source, name) for name in VALUE_COLUMNS))


def _number(field: str, raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        if isinstance(raw, str):
            try:
                raw = float(raw.replace(",", ""))
            except ValueError:
                raise ValueProblem(field, f"{raw!r} is not a number") from None
        else:
            raise ValueProblem(field, "must be a number")
    value = float(raw)
    if not math.isfinite(value) or abs(value) > _MAX_MAGNITUDE:
        raise ValueProblem(field, "must be a finite number of reasonable size")
    return value


def parse_date(raw: Any, field: str = "value") -> tuple[datetime.date, str]:
    """ "2020" / "2020-01" / "2020-01-08" -> (first day of that period, precision). Impossible dates refused."""
    if not isinstance(raw, str):
        raise ValueProblem(field, 'a date must be a string "YYYY", "YYYY-MM" or "YYYY-MM-DD"')
    found = _DATE_RE.match(raw.strip())
    if not found:
        raise ValueProblem(field, f'{raw!r} is not a date of the form "YYYY", "YYYY-MM" or "YYYY-MM-DD"')
    year, month, day = found.groups()
    try:
        value = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueProblem(field, f"{raw!r} is not a date that exists") from None
    if value.year < 1:
        raise ValueProblem(field, f"{raw!r} is out of range")
    return value, "day" if day else "month" if month else "year"


def format_date(value: datetime.date, precision: str) -> str:
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def to_columns(kind: str, value: ClaimValue) -> StoredValue:
    """Validate an API value for `kind` and return the columns to store. Raises ValueProblem."""
    if kind not in KINDS:
        raise ValueProblem("kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    if kind == "quantity":
        if isinstance(value, dict):
            extra = set(value) - {"min", "max"}
            if extra or "min" not in value or "max" not in value:
                raise ValueProblem("value", 'a quantity range must be {"min": N, "max": N}')
            low, high = _number("value", value["min"]), _number("value", value["max"])
            if low > high:
                raise ValueProblem("value", f"range min {value['min']} is greater than max {value['max']}")
            return StoredValue(qty_min=low, qty_max=high)
        if value is None:
            raise ValueProblem("value", "a quantity needs a number or a {min, max} range")
        number = _number("value", value)
        return StoredValue(qty_min=number, qty_max=number)
    if kind == "date":
        day, precision = parse_date(value)
        return StoredValue(date_value=day, date_precision=precision)
    if kind == "duration":
        if not isinstance(value, dict):
            raise ValueProblem("value", 'a duration must be {"min": N, "max": N or null, "unit": ...}')
        extra = set(value) - {"min", "max", "unit"}
        if extra:
            raise ValueProblem("value", f"unknown duration keys: {', '.join(sorted(extra))}")
        unit = value.get("unit")
        if unit not in DURATION_UNITS:
            raise ValueProblem("value", f"duration unit must be one of {', '.join(DURATION_UNITS)}")
        if value.get("min") is None:
            raise ValueProblem("value", "a duration needs a min")
        low = _number("value", value["min"])
        top = None if value.get("max") is None else _number("value", value["max"])
        if low < 0:
            raise ValueProblem("value", "a duration cannot be negative")
        if top is not None and low > top:
            raise ValueProblem("value", f"duration min {value['min']} is greater than max {value['max']}")
        return StoredValue(dur_min=low, dur_max=top, dur_unit=unit)
    if value not in (None, "", {}):
        raise ValueProblem("value", f"a {kind} claim takes no value (send null)")
    return StoredValue()


def _plain(number: float | None) -> int | float | None:
    if number is None:
        return None
    return int(number) if float(number).is_integer() else number


def from_columns(kind: str, stored: StoredValue) -> Any:
    """The API value for stored columns (inverse of to_columns)."""
    if kind == "quantity":
        if stored.qty_min is None:
            return None
        if stored.qty_max is None or stored.qty_min == stored.qty_max:
            return _plain(stored.qty_min)
        return {"min": _plain(stored.qty_min), "max": _plain(stored.qty_max)}
    if kind == "date":
        return format_date(stored.date_value, stored.date_precision) if stored.date_value else None
    if kind == "duration":
        if stored.dur_min is None:
            return None
        return {"min": _plain(stored.dur_min), "max": _plain(stored.dur_max), "unit": stored.dur_unit}
    return None
