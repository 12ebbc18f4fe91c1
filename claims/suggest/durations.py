"""Duration candidates: "a 2-5-year time frame", "several months, if not longer", "decade-long", ...

Fuzzy bounds (documented choices):
- "several" is 3..11 of the unit (fewer than 3 would be "a couple", 12 months would be "a year"), approx;
- "a few" is 2..4, approx; "a couple of" is 2, approx;
- a decade is 10 years, always approx (it is a round figure in prose);
- ", if not longer" / ", or more" drops the upper bound: {"min": N, "max": None}, at_least;
- "within N" / "up to N" / "less than N" is {"min": 0, "max": N}, at_most;
- "more than N" / "at least N" is {"min": N, "max": None}, at_least.
Hours and minutes are not durations here: the claim model's units stop at a day.
"N years ago", "a decade earlier" and "N-year-old" are not durations (relative dates and an age).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from claims.suggest.numbers import HEDGE, HEDGES, NUMBER_FIRST, parse_words
from claims.suggest.spans import Index, Occupied, words
from claims.values import ClaimValue

_SMALL = (
    r"(?:\d{1,3}(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|a\s+hundred|hundred)"
)
_UNIT = r"(?P<unit>day|week|month|year|decade)s?"
_NOT_AFTER = r"(?![\w-]*old\b)(?!\s+old\b)(?!\s+(?:ago|earlier|later)\b)(?![\w-])"
_PRE = rf"(?P<pre>{HEDGE}|within|for|in|after|the\s+past|the\s+last|the\s+next|past|next|last)"

_RANGE_RE = re.compile(
    rf"(?<![\w-])(?:(?P<lead>between|from)\s+)?(?P<a>{_SMALL})\s*(?P<sep>-|–|to|and)\s*(?P<b>{_SMALL})"
    rf"[\s-]+{_UNIT}(?:-long)?{_NOT_AFTER}",
    re.I,
)
_SINGLE_RE = re.compile(
    rf"(?<![\w-])(?:{_PRE}\s+)?(?P<count>several|a\s+few|a\s+couple\s+of|an?|{_SMALL})"
    rf"(?:\s+(?:consecutive|straight|successive|more|further|additional))?[\s-]+{_UNIT}"
    rf"(?:-long)?{_NOT_AFTER}(?P<open>,?\s+(?:if\s+not|or)\s+(?:longer|more))?",
    re.I,
)
_BARE_LONG_RE = re.compile(r"(?<![\w-])(?P<unit>decade|year|month|week)-long\b", re.I)
# "twice a year", "per month": a rate, not a span of time.
_RATE_RE = re.compile(r"\b(?:once|twice|times|per|every|each)\s+$", re.I)

_AT_MOST = {"within", "up to", "less than", "fewer than", "at most", "no more than", "under"}


@dataclass(frozen=True)
class RawDuration:
    start: int
    end: int
    value: dict[str, ClaimValue]
    unit: str
    qualifier: str


def _count(s: str) -> float | int | None:
    s = re.sub(r"\s+", " ", s.lower())
    if s in ("a", "an"):
        return 1
    if s[0].isdigit():
        v = float(s)
        return int(v) if v.is_integer() else v
    return parse_words(s)


def _scaled(unit: str, low: float | int, high: float | int | None) -> tuple[str, float | int, float | int | None]:
    if unit.lower() == "decade":
        return "year", low * 10, None if high is None else high * 10
    return unit.lower(), low, high


_FIRST = NUMBER_FIRST | words("between from within for in after the past next last several few couple an")
_UNIT_WORDS = words("day days week weeks month months year years decade decades")
TRIGGERS = _UNIT_WORDS


def find_durations(index: Index, taken: Occupied) -> Iterator[RawDuration]:
    masked = index.text
    triggers = index.positions(_UNIT_WORDS)
    local = Occupied()
    for m in index.scan(_RANGE_RE, triggers, 45, _FIRST):
        if m.group("sep").lower() == "and" and not m.group("lead"):
            continue
        a, b = _count(m.group("a")), _count(m.group("b"))
        if a is None or b is None or not a < b or taken.overlaps(m.start(), m.end()):
            continue
        unit, low, high = _scaled(m.group("unit"), a, b)
        local.add(m.start(), m.end())
        yield RawDuration(m.start(), m.end(), {"min": low, "max": high, "unit": unit}, unit, "exact")
    for m in index.scan(_SINGLE_RE, triggers, 50, _FIRST):
        if local.overlaps(m.start(), m.end()) or taken.overlaps(m.start(), m.end()):
            continue
        if _RATE_RE.search(masked, max(0, m.start() - 8), m.start()):
            continue
        d = _single(m)
        if d:
            local.add(d.start, d.end)
            yield d
    for m in index.scan(_BARE_LONG_RE, triggers, 2, _FIRST):
        if local.overlaps(m.start(), m.end()) or taken.overlaps(m.start(), m.end()):
            continue
        unit, low, _ = _scaled(m.group("unit"), 1, 1)
        qualifier = "approx" if m.group("unit").lower() == "decade" else "exact"
        yield RawDuration(m.start(), m.end(), {"min": low, "max": low, "unit": unit}, unit, qualifier)


def _single(m: re.Match[str]) -> RawDuration | None:
    count = re.sub(r"\s+", " ", m.group("count").lower())
    pre = re.sub(r"\s+", " ", (m.group("pre") or "").lower())
    qualifier = HEDGES.get(pre, "exact")
    if qualifier == "exact" and pre in _AT_MOST:
        qualifier = "at_most"
    low: float | int
    high: float | int | None
    if count == "several":
        low, high, qualifier = 3, 11, "approx"
    elif count == "a few":
        low, high, qualifier = 2, 4, "approx"
    elif count == "a couple of":
        low, high, qualifier = 2, 2, "approx"
    else:
        n = _count(count)
        if n is None:
            return None
        low, high = n, n
    if m.group("unit").lower() == "decade" and qualifier == "exact":
        qualifier = "approx"
    if m.group("open"):
        qualifier, high = "at_least", None
    elif qualifier == "at_least":
        high = None
    elif qualifier == "at_most":
        low = 0
    unit, low, high = _scaled(m.group("unit"), low, high)
    # The preposition stays out of the span unless it carries the qualifier.
    start = m.start() if pre in HEDGES or pre in _AT_MOST else m.start("count")
    return RawDuration(start, m.end(), {"min": low, "max": high, "unit": unit}, unit, qualifier)
