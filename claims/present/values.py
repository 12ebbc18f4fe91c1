"""A claim's value in words — the only place it is written: reader pages, the editor's cards, the chart and
feeds all call `value_text` ("about 2,500 troops", "January 2020", "2–5 years", "denies"). Pure: no Django; a
claim is anything with the value columns of claims.models.Claim as attributes.
"""

from __future__ import annotations

import datetime
from typing import Any

_QUALIFIERS = {"approx": "about ", "at_least": "at least ", "at_most": "at most ", "exact": ""}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_number(value: float) -> str:
    """2500 -> "2,500"; 2.5 -> "2.5"; 0.125 -> "0.13"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


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
        return f"{_QUALIFIERS.get(qualifier, '')}{format_number(dur_min)} {_plural(unit, dur_min)} or more"
    if dur_max == dur_min:
        return f"{_QUALIFIERS.get(qualifier, '')}{format_number(dur_min)} {_plural(unit, dur_min)}"
    return f"{format_number(dur_min)}–{format_number(dur_max)} {_plural(unit, dur_max)}"


def value_text(claim: Any) -> str:
    """The structured value of a claim in words, by its kind."""
    if claim.kind == "quantity":
        return quantity_text(claim.qty_min, claim.qty_max, claim.unit, claim.qualifier)
    if claim.kind == "date":
        return date_text(claim.date_value, claim.date_precision)
    if claim.kind == "duration":
        return duration_text(claim.dur_min, claim.dur_max, claim.dur_unit, claim.qualifier)
    if claim.kind == "statement":
        return claim.polarity or "—"
    return "attribution"
