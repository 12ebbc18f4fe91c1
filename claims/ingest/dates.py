"""Dates as pages print them in their furniture: a line that is mostly a date ("Updated 3 May 2024 10:30 a.m.
EDT", "2024-03-02T06:56+0000"), read as an aware datetime; a date inside a sentence of prose is not one."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from claims.ingest.text_blocks import stats

__all__ = ["MONTHS", "DateLine", "parse_date_line"]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = r"(?P<wd>(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_TIME_RE = (
    r"(?:,?\s*(?:at\s+|T)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?P<ampm>[ap]\.?m\.?)?"
    r"\s*(?P<tz>Z\b|[+-]\d{2}:?\d{2}|\(?(?:utc|gmt)(?:[+-]\d{1,2}(?::?\d{2})?)?\)?|[A-Z]{3,4}\b)?)?"
)
_DATE_RES = (
    re.compile(r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})" + _TIME_RE, re.IGNORECASE),
    re.compile(
        _WEEKDAY_RE + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>" + _MONTH_RE + r")\.?,?\s+(?P<y>\d{4})" + _TIME_RE,
        re.IGNORECASE,
    ),
    re.compile(
        _WEEKDAY_RE + r"(?P<mon>" + _MONTH_RE + r")\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+"
        r"(?P<y>\d{4})" + _TIME_RE,
        re.IGNORECASE,
    ),
)
_ZONES = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "est": -300,
    "edt": -240,
    "cst": -360,
    "cdt": -300,
    "mst": -420,
    "mdt": -360,
    "pst": -480,
    "pdt": -420,
    "bst": 60,
    "cet": 60,
    "cest": 120,
    "eet": 120,
    "eest": 180,
    "msk": 180,
    "jst": 540,
    "aest": 600,
    "aedt": 660,
}
_DATE_LABELS = re.compile(
    r"\b(?:published|posted|updated|last updated|modified|date|on|at|am|pm)\b|[:|,•·–—-]", re.IGNORECASE
)


@dataclass(frozen=True)
class DateLine:
    when: datetime.datetime
    has_weekday: bool
    has_time: bool
    updated: bool


def parse_date_line(text: str) -> DateLine | None:
    """A line that is mostly a date (optionally labelled, or next to a short byline); not a date in prose."""
    if len(text) > 120:
        return None
    for pattern in _DATE_RES:
        m = pattern.search(text)
        if m is None:
            continue
        rest = _DATE_LABELS.sub(" ", text[: m.start()] + " " + text[m.end() :])
        if stats(rest).words > 5:
            return None
        when = _to_datetime(m)
        if when is None:
            return None
        return DateLine(
            when,
            bool(m.groupdict().get("wd")),
            m.group("h") is not None,
            bool(re.search(r"\b(?:updated|modified)\b", text, re.IGNORECASE)),
        )
    return None


def _to_datetime(m: re.Match[str]) -> datetime.datetime | None:
    groups = m.groupdict()
    month = int(groups["mo"]) if groups.get("mo") else MONTHS[groups["mon"].casefold()]
    hour = int(groups["h"]) if groups["h"] else 0
    ampm = (groups["ampm"] or "").replace(".", "").casefold()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        naive = datetime.datetime(
            int(groups["y"]), month, int(groups["d"]), hour, int(groups["mi"] or 0), int(groups["s"] or 0)
        )
    except ValueError:
        return None
    return naive.replace(tzinfo=_zone(groups["tz"]))


def _zone(raw: str | None) -> datetime.tzinfo:
    """Explicit offsets and a few well-known abbreviations; anything else is read as UTC, as documented."""
    if not raw:
        return datetime.UTC
    token = raw.strip("()").casefold()
    offset = re.fullmatch(r"(?:utc|gmt)?([+-])(\d{1,2}):?(\d{2})?", token)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
        return datetime.timezone(datetime.timedelta(minutes=sign * minutes))
    return datetime.timezone(datetime.timedelta(minutes=_ZONES.get(token, 0)))
