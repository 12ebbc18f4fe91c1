"""When within its day a report speaks of: a time of day the sentence gives ("by Monday evening", "early Monday",
"at 14:30", "6 p.m."), else the article's publication moment when that is the same day. Pure.

Running tallies and fast levels move within hours, so two reports of one day are put in order when either source
gives a time. A time read from the text is local to the story and approximate ("evening" is taken as 19:00); a
publication moment is exact (UTC). Two moments are compared as they are: the order of "morning" and "evening" of
one day does not depend on the time zone, and the product never claims more precision than "hours apart".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from claims.detect.base import ClaimFacts, _fmt_day

_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
# Parts of the day, with the hour each is taken for; longer phrases first. English, and the unambiguous words of a
# few other languages (not German "Morgen" nor Spanish "mañana": both also mean "tomorrow").
_PARTS: tuple[tuple[str, int], ...] = (
    (rf"early\s+(?:on\s+)?{_WEEKDAY}(?:\s+morning)?|early\s+(?:in\s+the\s+)?morning|before\s+dawn|dawn|daybreak", 5),
    (r"late\s+(?:in\s+the\s+)?morning|mid-?morning", 11),
    (r"morning|matin(?:ée)?|vormittag", 9),
    (r"mid-?day|noon|midi|mittag|mediodía", 12),
    (r"late\s+(?:in\s+the\s+)?afternoon", 17),
    (r"early\s+(?:in\s+the\s+)?afternoon", 13),
    (r"afternoon|après-midi|nachmittag", 15),
    (r"early\s+(?:in\s+the\s+)?evening|dusk|nightfall", 18),
    (rf"late\s+(?:in\s+the\s+)?evening|late\s+(?:on\s+)?{_WEEKDAY}|late\s+at\s+night", 22),
    (r"evening|tonight|soir(?:ée)?|abend|noche", 19),
    (r"overnight|night|nuit|nacht", 23),
)
_PART_RE = re.compile("|".join(f"(?P<p{i}>\\b(?:{words})\\b)" for i, (words, _) in enumerate(_PARTS)), re.IGNORECASE)
# Clock times: 14:30, 14h30, 9.30 a.m., 6pm, 6 p.m. Two-digit minutes, so a score ("3:1") is not a time.
_CLOCK_RE = re.compile(
    r"\b(?P<h12>1[0-2]|0?[1-9])(?:[:.](?P<m12>[0-5]\d))?\s?(?P<ampm>[ap])\.?\s?m\b\.?"
    r"|\b(?P<h24>[01]?\d|2[0-3])(?::|h)(?P<m24>[0-5]\d)\b",
    re.IGNORECASE,
)

_FIGURE_RE = re.compile(r"\d")  # another figure between a time and the claim's own
# A time given again in another zone is not another figure: "At 3pm local time (1300 GMT), 240 were dead" is 15:00.
_ZONE_TIME_RE = re.compile(
    r"\(?\b(?:[01]?\d|2[0-3])[:.h]?[0-5]\d\s*(?:GMT|UTC|BST|CET|CEST|EET|EEST|[ECMP][SD]T|local(?:\s+time)?)\b\)?",
    re.IGNORECASE,
)


def _no_figure(text: str) -> bool:
    return not _FIGURE_RE.search(_ZONE_TIME_RE.sub(" ", _CLOCK_RE.sub(" ", text)))


@dataclass(frozen=True, slots=True)
class Moment:
    """The day a report speaks of, and when known a time within it; `said` is the text's own words for a time
    read from the sentence (None for a publication moment)."""

    day: dt.date
    at: dt.datetime | None = None
    said: str | None = None


# A line that is a timestamp and little else: a live blog's entry header ("09:12", "14:05 BST", "Updated 4 May,
# 18:05 GMT", "3pm local time (1300 GMT)").
TIMESTAMP_LINE_WORDS = 8


def is_timestamp_line(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= TIMESTAMP_LINE_WORDS and _CLOCK_RE.search(line) is not None


@functools.lru_cache(maxsize=65536)
def time_in_text(text: str, near: str = "") -> tuple[dt.time, str] | None:
    """The time of day the text gives for `near` (the claim's quote, found in the text), with the words it used;
    None when it gives none. A time applies to the figure when no other figure stands between them: in "298, up
    from the 290 reported this morning" the morning is the 290's, not the 298's. Of several, the nearest."""
    at = text.find(near) if near else -1
    end = at + len(near) if at >= 0 else -1
    found: list[tuple[int, dt.time, str]] = []

    def keep(start: int, stop: int, when: dt.time, words: str) -> None:
        if at < 0:
            found.append((start, when, words))
            return
        between = text[end:start] if start >= end else text[stop:at] if stop <= at else ""
        if _no_figure(between):
            found.append((0 if not between else len(between), when, words))

    for match in _CLOCK_RE.finditer(text):
        if match.group("h12"):
            hour = int(match.group("h12")) % 12 + (12 if match.group("ampm").lower() == "p" else 0)
            minute = int(match.group("m12") or 0)
        else:
            hour, minute = int(match.group("h24")), int(match.group("m24"))
        keep(match.start(), match.end(), dt.time(hour, minute), match.group(0).strip())
    for match in _PART_RE.finditer(text):
        index = next(i for i, value in enumerate(match.groups()) if value is not None)
        keep(match.start(), match.end(), dt.time(_PARTS[index][1], 0), " ".join(match.group(0).split()))
    if not found:
        return None
    _, when, words = min(found, key=lambda item: item[0])
    return when, words


def moment(c: ClaimFacts) -> Moment | None:
    """When a report speaks of: its day; a time of day its sentence gives; else its publication moment when that
    is the same day and has a time."""
    if c.as_of is None:
        return None
    # The context is the claim's sentence, after the nearest timestamp line above it when there is one
    # (numeric.sentence_of): the sentence's own time first, else that of the live blog's entry.
    *header, sentence = (c.context or c.quote).split("\n")
    told = time_in_text(sentence, c.quote) or (time_in_text(header[-1]) if header else None)
    if told is not None:
        return Moment(c.as_of, dt.datetime.combine(c.as_of, told[0], tzinfo=dt.UTC), told[1])
    published = c.published
    if published is not None:
        if published.tzinfo is None:
            published = published.replace(tzinfo=dt.UTC)
        published = published.astimezone(dt.UTC)
        if published.date() == c.as_of and published.timetz().replace(tzinfo=None) != dt.time(0, 0):
            return Moment(c.as_of, published)
    return Moment(c.as_of)


def describe(c: ClaimFacts) -> str:
    """The moment in words: "4 May 2025 (evening)", "4 May 2025 14:05 UTC", "4 May 2025", "an unknown date"."""
    found = moment(c)
    if found is None:
        return "an unknown date"
    if found.said is not None:
        return f"{_fmt_day(found.day)} ({found.said})"
    if found.at is not None:
        return f"{_fmt_day(found.day)} {found.at:%H:%M} UTC"
    return _fmt_day(found.day)
