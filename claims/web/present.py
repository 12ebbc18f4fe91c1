"""Plain-language rendering of a claim's structured value for reader pages. Pure: no Django."""

from __future__ import annotations

import datetime

from claims.web.chart import format_number

_QUALIFIERS = {"approx": "about ", "at_least": "at least ", "at_most": "at most ", "exact": ""}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def _plural(unit: str, amount: float | None) -> str:
    return unit if amount == 1 else f"{unit}s"


def quantity_text(qty_min: float | None, qty_max: float | None, unit: str, qualifier: str) -> str:
    if qty_min is None:
        return "—"
    if qty_max is None or qty_max == qty_min:
        number = format_number(qty_min)
    else:
        number = f"{format_number(qty_min)}–{format_number(qty_max)}"
    return f"{_QUALIFIERS.get(qualifier, '')}{number}{' ' + unit if unit else ''}"


def date_text(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return "—"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def duration_text(dur_min: float | None, dur_max: float | None, unit: str, qualifier: str) -> str:
    if dur_min is None or not unit:
        return "—"
    if dur_max is None:
        return f"{format_number(dur_min)} {_plural(unit, dur_min)} or more"
    if dur_max == dur_min:
        return f"{_QUALIFIERS.get(qualifier, '')}{format_number(dur_min)} {_plural(unit, dur_min)}"
    return f"{format_number(dur_min)}–{format_number(dur_max)} {_plural(unit, dur_max)}"
