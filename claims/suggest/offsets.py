"""Dates given relative to an event: "three days after the election", "eight weeks before polling day".

The candidate is a date claim whose ``after`` names the event (for "before", the attribute says so and
``after`` stays empty: the claim came before the event, not after it). Its value, in order of preference:
- the event's date plus the offset, when the article itself dates that event to the day ("the election
  was held on 3 March ... three days after the election" -> 6 March);
- else a bound from the publication date and the tense of the clause: a past clause ("results were
  certified three days after the election") is at most the publication date, a future one ("will be held
  two weeks after the first round") at least that date;
- else None (the editor gives it).
"N days after" behind "for", "within", "lasting" is a span of time (a duration), not a date.

The event is the noun phrase after "after"/"before" ("the last general election", "a tunnel collapse"),
or, without a determiner, up to three words that may end in a verb ("talks collapsed", "polling day").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from claims.suggest.numbers import parse_words
from claims.suggest.spans import Index, Occupied, words

_COUNT = (
    r"\d{1,3}|a\s+few|a\s+couple\s+of|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty"
)
_OFFSET_RE = re.compile(
    rf"(?<![\w-])(?P<n>{_COUNT})\s+(?P<what>day|week|month|year)s?\s+(?P<rel>after|before)\s+"
    r"(?P<event>[^,.;:!?\n\x00\"“”()]{1,80})",
    re.I,
)
_FIRST = words(
    """# a an one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty several"""
)
_DURATION_BEFORE = re.compile(
    r"\b(?:for|within|lasting|lasted|lasts|spent|spend|took|take|takes|over|during|in|about|around)\s+$",
    re.I,
)
_DETERMINERS = words("the a an his her its their this that")
_EVENT_STOPS = words(
    """and but or when while as which who that with to in on at by for from of said says told after before
    was were is are had has have will would could should may might it he she they we there than about
    around some more nearly"""
)
_PAST_RE = re.compile(
    r"\b(?:was|were|had|did|went|came|took|made|won|lost|left|met|began|fell|rose|saw|gave|got|said|told"
    r"|struck|broke|sent|ran|paid|sold|built|spent|became|[a-z]{2,}ed)\b"
)
_FUTURE_RE = re.compile(r"\b(?:will|shall|would|is\s+to|are\s+to|due|scheduled|expected|set\s+to|plans?\s+to)\b")
TRIGGERS = words("after before")
_FUZZY = {"a few": 3, "a couple of": 2, "several": 3}


@dataclass(frozen=True)
class RawOffset:
    start: int
    end: int
    n: int
    unit: str  # day | week | month | year
    relation: str  # after | before
    event: str


def find_offsets(index: Index, taken: Occupied) -> list[RawOffset]:
    masked = index.text
    out: list[RawOffset] = []
    for m in index.scan(_OFFSET_RE, index.positions(TRIGGERS), 30, _FIRST):
        if taken.overlaps(m.start(), m.end()):
            continue
        if _DURATION_BEFORE.search(masked, max(0, m.start() - 12), m.start()):
            continue
        raw = re.sub(r"\s+", " ", m.group("n").lower())
        n = int(raw) if raw.isdigit() else _FUZZY.get(raw) or (1 if raw in ("a", "an") else parse_words(raw))
        event, length = _event(m.group("event"))
        if not n or not event:
            continue
        end = m.start("event") + length
        out.append(RawOffset(m.start(), end, n, m.group("what").lower(), m.group("rel").lower(), event))
    return out


def _event(phrase: str) -> tuple[str, int]:
    """(event name, characters of ``phrase`` it spans)."""
    kept: list[str] = []
    length = 0
    tokens = list(re.finditer(r"[\w'’-]+", phrase))
    determined = bool(tokens) and tokens[0].group().lower() in _DETERMINERS
    for n, t in enumerate(tokens):
        low = t.group().lower()
        if n == 0 and determined:
            length = t.end()
            continue
        if low in _EVENT_STOPS or t.group()[0].isdigit() or len(kept) == (5 if determined else 3):
            break
        if determined and kept and low.endswith("ed"):
            break  # "a tunnel collapse trapped ...": the verb is not part of the event
        kept.append(t.group())
        length = t.end()
    return " ".join(kept), length


def offset_value(
    o: RawOffset, masked: str, clause_start: int, anchor: dt.date | None, dated: dict[str, str]
) -> tuple[str | None, str]:
    """(value, qualifier) for an offset date; see the module docstring."""
    known = dated.get(o.event.lower())
    if known and len(known) == 10:
        day = dt.date.fromisoformat(known)
        sign = 1 if o.relation == "after" else -1
        if o.unit in ("day", "week"):
            days = o.n * (7 if o.unit == "week" else 1)
            return (day + dt.timedelta(days=sign * days)).isoformat(), "exact"
        months = day.year * 12 + day.month - 1 + sign * o.n * (12 if o.unit == "year" else 1)
        return f"{months // 12}-{months % 12 + 1:02d}", "approx"
    if anchor is None:
        return None, "exact"
    clause = masked[clause_start : o.start]
    if _FUTURE_RE.search(clause):
        return anchor.isoformat(), "at_least"
    if _PAST_RE.search(clause):
        return anchor.isoformat(), "at_most"
    return None, "exact"
