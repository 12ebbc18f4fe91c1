"""Date candidates, resolved against an anchor (the publication date) where the text leaves parts out.

Resolution rules (documented choices):
- "July 26" / "in January" (no year): the anchor's year, unless that lands more than 31 days after the
  anchor; then the year before. News mostly reports the past, but "talks start on February 3" in a
  late-January article is the near future.
- "on Thursday" / "Thursday evening": the most recent such weekday on or before the anchor (an article
  dated Thursday that says "on Thursday" means that day); "last Thursday" is strictly before it;
  "next Thursday" is the first one after it. In a clause about the future ("will", "expects", "due",
  "scheduled") and after "for" ("a march called for Saturday") it is the first one on or after the anchor.
- A bare weekday ("the ministry said Wednesday", "the truce signed Monday") only after a verb of the
  report; "Super Tuesday" or "the Monday meeting" are not dates here.
- "last week", "earlier this week": the month when the whole week lies in it, else the week's Monday as
  approx. "three weeks ago": that day, approx; "two days ago": that day.
- "last year", "this month", "earlier this month", "yesterday": relative to the anchor.
- "by the end of this year" / "by the end of 2025": a deadline "YYYY-12-31", qualifier at_most.
- Qualifier from the preposition: "before"/"prior to" -> at_most, "by"/"no later than" -> at_most,
  "after" -> at_least; "in"/"since"/"on" keep exact.
Without an anchor, anything needing one is skipped: a wrong year is worse than no suggestion.

Subject: the event the date dates, when the same clause names it right before the date -
"the strike began on 3 March" -> "start of the strike", "the dam was completed in 1962" -> "completion
of the dam", "the vote on Sunday" -> "vote". Otherwise "" (the editor names it): "on Monday morning"
alone, or a pronoun ("it began on Monday"), gives no subject.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from claims.suggest.events import dated_event
from claims.suggest.spans import Index, Occupied, words

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTH = (
    r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_END = r"(?![\w-]|,\d|\.\d)"
# The preposition before a date: it sets the qualifier and, when it does, joins the span.
_PREP = (
    r"(?:(?P<prep>before|prior\s+to|ahead\s+of|after|by|no\s+later\s+than|since|in|on|as\s+recently\s+as)"
    r"\s+)?"
)
_QUALIFIERS = {
    "before": "at_most", "prior to": "at_most", "ahead of": "at_most", "by": "at_most",
    "no later than": "at_most", "after": "at_least",
}  # fmt: skip

_FULL_MDY = rf"(?:{WEEKDAY},?\s+)?{MONTH}\s+{_DAY},?\s+{_YEAR}"
_FULL_DMY = rf"(?:{WEEKDAY},?\s+)?{_DAY}\s+{MONTH},?\s+{_YEAR}"
_ISO = r"(?P<iy>(?:1[89]|20)\d\d)-(?P<im>0[1-9]|1[0-2])-(?P<id>[0-2]\d|3[01])"
_MONTH_WORDS = words(
    """january february march april may june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec"""
)
_WEEKDAY_WORDS = frozenset(_WEEKDAYS)
CALENDAR_WORDS = _MONTH_WORDS | _WEEKDAY_WORDS  # lowercased month and weekday names ("march", "sept", "friday")


# Lowercased tokens a date expression can start with ("#" is any digit run).
_FIRST = (
    _MONTH_WORDS
    | _WEEKDAY_WORDS
    | words(
        """# before prior ahead after by no since in on as until from during early mid late last this next for
        earlier later previous yesterday tomorrow tonight at the one two three four five six seven eight nine ten a"""
    )
)


@dataclass(frozen=True)
class _Form:
    kind: str
    pattern: re.Pattern[str]
    triggers: frozenset[str]  # words the expression always contains; "####" stands for a four-digit run
    before: int  # how far before a trigger the expression can start


_FORMS: list[_Form] = [
    _Form("full", re.compile(rf"\b{_PREP}(?:{_FULL_MDY}){_END}"), _MONTH_WORDS, 40),
    _Form("full", re.compile(rf"\b{_PREP}(?:{_FULL_DMY}){_END}"), _MONTH_WORDS, 45),
    _Form("iso", re.compile(rf"\b{_PREP}{_ISO}(?![\w-])"), frozenset(["####"]), 25),
    _Form(
        "month_year",
        re.compile(rf"\b{_PREP}(?:(?P<part>early|mid|late)[\s-]+)?{MONTH}(?:\s+of)?,?\s+{_YEAR}{_END}"),
        _MONTH_WORDS, 40,
    ),
    # Not a date whose year follows ("June 12, 2024" is read whole above); "since June 12, 37 of them" is one.
    _Form("month_day", re.compile(rf"\b{_PREP}{MONTH}\s+{_DAY}{_END}(?!\s*,?\s*\d{{4}})"), _MONTH_WORDS, 25),
    _Form("month_day", re.compile(rf"\b{_PREP}{_DAY}\s+{MONTH}{_END}(?!,?\s*\d{{4}})"), _MONTH_WORDS, 30),
    _Form(
        "month",
        re.compile(
            rf"\b(?:(?P<prep>in|since|until|by|before|after|from|during|early|late|last|this|next"
            rf"|(?:at\s+|by\s+|until\s+)?the\s+(?:end|start|beginning|middle)\s+of)\s+"
            rf"(?:(?:early|mid|late)[\s-]+)?|(?:mid|early|late)-){MONTH}{_END}(?!\s*\d)"
        ),
        _MONTH_WORDS, 25,
    ),
    _Form(
        "weekday",
        re.compile(
            rf"\b(?:(?P<prep>[Oo]n|[Ll]ast|[Nn]ext|[Tt]his|[Ss]ince|[Uu]ntil|[Bb]y|[Ll]ate|[Ee]arly|[Ff]or"
            rf"|[Aa]s\s+of)\s+)(?P<wd>{WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?\b"
            rf"|\b(?P<wd2>{WEEKDAY})(?:’s|'s)"
            rf"|\b(?P<wd3>{WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?\b(?!’s|'s)"
        ),
        _WEEKDAY_WORDS, 8,
    ),
    _Form(
        "deadline",
        re.compile(
            rf"\b(?P<prep>by|before|until)\s+the\s+end\s+of\s+(?:(?P<rel>this|next|the)\s+year|{_YEAR})\b",
            re.I,
        ),
        frozenset(["end"]), 12,
    ),
    _Form(
        "relative",
        re.compile(
            r"\b(?:(?P<prep>by|before|after|since|in)\s+)?(?:(?P<when>earlier|later)\s+)?"
            r"(?P<rel>last|this|next|previous)\s+(?P<what>year|month|week|spring|summer|autumn|fall|winter)\b(?!-)"
            r"|\b(?P<day>yesterday|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b",
            re.I,
        ),
        frozenset(["year", "month", "week", "spring", "summer", "autumn", "fall", "winter", "yesterday", "tomorrow",
                   "tonight", "night", "morning", "afternoon", "evening"]), 32,
    ),
    _Form(
        "ago",
        re.compile(
            r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a)\s+"
            r"(?P<what>year|month|fortnight|week|day)s?\s+ago\b",
            re.I,
        ),
        frozenset(["ago"]), 24,
    ),
    _Form(
        "year",
        re.compile(rf"(?<![\w$€£.,/#-]){_PREP}(?P<year>(?:1[89]|20)\d\d)(?![\w-]|[.,]\d)"),
        frozenset(["####"]), 22,
    ),
]  # fmt: skip
_SMALL_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
# A weekday with no preposition dates something only right after a verb of the report: "the ministry
# said Wednesday", "the truce signed Monday", "talks resumed Tuesday". "Super Tuesday", "Good Friday" or
# "the Monday meeting" do not.
# A weekday in a clause about the future is the coming one: "organisers expect 38,000 runners on Sunday".
_FUTURE_CUE = re.compile(
    r"\b(?:will|shall|expects?|expected|due|scheduled|set\s+to|plans?\s+to|planned|is\s+to|are\s+to|going\s+to"
    r"|hopes?\s+to)\b|’ll\b|'ll\b"
)
_CLAUSE_TAIL = re.compile(r"(?:[^.;:,!?\n\x00]|[.,](?=\d))*$")  # "38,000" does not end a clause
_BARE_WEEKDAY_AFTER = re.compile(
    r"\b(?:said|says|told|tells|announced|confirmed|reported|added|met|began|begun|held|won|lost|left|struck"
    r"|fell|rose|hit|saw|came|went|sent|spoke|wrote|broke|shut|set|cut|took|gave|made|[a-z]{2,}ed)"
    r"(?:\s+(?:late|early))?\s+$"
)
# A year right after a hedge or before a plural noun is a count: "about 2000 troops", "2000 troops".
_COUNT_BEFORE = re.compile(r"(?:about|around|some|nearly|over|than|least|to|up|approximately|roughly)\s+$", re.I)
_COUNT_AFTER = re.compile(r"\s+[a-z]{3,}(?<!ss)s\b")
_ATTRIBUTES = [
    (re.compile(r"\b(?:formed|founded|established|created|set\s+up)\b", re.I), "formation date"),
    (re.compile(r"\b(?:began|begun|begin|started|starts|launched|initiated|opened)\b", re.I), "start date"),
]
_DATELINE_RES = [re.compile(rf"^\s*{form}(?:[T\s]+\d{{1,2}}:\d{{2}}\S*)?\s*$") for form in (_FULL_MDY, _FULL_DMY, _ISO)]


@dataclass(frozen=True)
class RawDate:
    start: int
    end: int
    value: str
    qualifier: str
    attribute: str
    subject: str = ""


TRIGGERS = frozenset().union(*(form.triggers for form in _FORMS)) - {"####"}


def infer_anchor(text: str) -> dt.date | None:
    """The earliest standalone dateline in ``text`` ("February 8, 2024" or an ISO timestamp on its own line).

    Page headers also print *today's* date on its own line, which is never earlier than the
    publication date, so the earliest dateline is the best guess at when the article appeared.
    """
    found: list[dt.date] = []
    for line in text.splitlines():
        if len(line) > 60:
            continue
        for pattern in _DATELINE_RES:
            m = pattern.match(line)
            d = _full_date(m) if m else None
            if d:
                found.append(d)
    return min(found) if found else None


def _full_date(m: re.Match[str]) -> dt.date | None:
    try:
        if m.groupdict().get("iy"):
            return dt.date(int(m.group("iy")), int(m.group("im")), int(m.group("id")))
        return dt.date(int(m.group("year")), _month(m.group("mon")), int(m.group("day")))
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _year_for(month: int, day: int, anchor: dt.date) -> int:
    try:
        candidate = dt.date(anchor.year, month, day)
    except ValueError:  # 29 February in a non-leap anchor year
        return anchor.year - 1
    return anchor.year - 1 if candidate > anchor + dt.timedelta(days=31) else anchor.year


def find_dates(index: Index, anchor: dt.date | None, taken: Occupied) -> Iterator[RawDate]:
    masked = index.text
    local = Occupied()
    for form in _FORMS:
        kind = form.kind
        triggers = index.positions(form.triggers - {"####"}, years="####" in form.triggers)
        for m in index.scan(form.pattern, triggers, form.before, _FIRST):
            if local.overlaps(m.start(), m.end()) or taken.overlaps(m.start(), m.end()):
                continue
            resolved = _resolve(kind, m, masked, anchor)
            if resolved is None:
                continue
            value, qualifier = resolved
            prep = _group(m, "prep")
            start = m.start() if prep and (qualifier != "exact" or kind == "year") else _start_after_prep(m)
            local.add(m.start(), m.end())
            attribute = _attribute(masked, m.start(), prep)
            subject, event_attribute = dated_event(masked, m.start())
            if event_attribute and attribute in ("event date", "start date", "formation date"):
                attribute = event_attribute
            yield RawDate(start, m.end(), value, qualifier, attribute, subject)


def _group(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _start_after_prep(m: re.Match[str]) -> int:
    return m.end("prep") + 1 if _group(m, "prep") else m.start()


def _attribute(masked: str, start: int, prep: str | None) -> str:
    if prep and re.sub(r"\s+", " ", prep.lower()) in ("by", "no later than"):
        return "deadline"
    before = masked[max(0, start - 40) : start]
    for pattern, name in _ATTRIBUTES:
        if pattern.search(before):
            return name
    return "event date"


def _qualifier(m: re.Match[str]) -> str:
    prep = re.sub(r"\s+", " ", (_group(m, "prep") or "").lower())
    return _QUALIFIERS.get(prep, "exact")


def _resolve(kind: str, m: re.Match[str], masked: str, anchor: dt.date | None) -> tuple[str, str] | None:
    q = _qualifier(m)
    if kind == "full" or kind == "iso":
        d = _full_date(m)
        return (d.isoformat(), q) if d else None
    if kind == "month_year":
        return f"{m.group('year')}-{_month(m.group('mon')):02d}", q
    if kind == "year":
        if _COUNT_BEFORE.search(masked, max(0, m.start() - 16), m.start("year")):
            return None
        if _COUNT_AFTER.match(masked, m.end()):
            return None
        return m.group("year"), q
    if anchor is None:
        return None
    if kind == "month_day":
        month, day = _month(m.group("mon")), int(m.group("day"))
        year = _year_for(month, day, anchor)
        try:
            return dt.date(year, month, day).isoformat(), q
        except ValueError:
            return None
    if kind == "month":
        month = _month(m.group("mon"))
        prep = (_group(m, "prep") or "").lower()
        year = anchor.year
        if prep == "last":
            year = anchor.year if month < anchor.month else anchor.year - 1
        elif prep == "next":
            year = anchor.year if month > anchor.month else anchor.year + 1
        elif prep != "this":
            year = _year_for(month, 1, anchor)
        return f"{year}-{month:02d}", q
    if kind == "weekday":
        if _group(m, "wd3") and not _BARE_WEEKDAY_AFTER.search(masked, max(0, m.start() - 24), m.start()):
            return None
        clause = _CLAUSE_TAIL.search(masked, max(0, m.start() - 100), m.start())
        ahead = bool(clause and _FUTURE_CUE.search(clause.group()))
        return _weekday(m, anchor, ahead), q
    if kind == "relative":
        if m.group("what") and m.group("what").lower() == "week":
            return _week(m, anchor, q)
        return _relative(m, anchor), q
    if kind == "deadline":
        rel = (_group(m, "rel") or "").lower()
        year = int(m.group("year")) if _group(m, "year") else anchor.year + (rel == "next")
        prep = m.group("prep").lower()
        return f"{year}-12-31", "exact" if prep == "until" else "at_most"
    if kind == "ago":
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else _SMALL_WORDS[raw]
        what = m.group("what").lower()
        if what == "day":
            return (anchor - dt.timedelta(days=n)).isoformat(), "exact"
        if what in ("week", "fortnight"):
            return (anchor - dt.timedelta(weeks=n * (2 if what == "fortnight" else 1))).isoformat(), "approx"
        if what == "year":
            return str(anchor.year - n), "approx"
        months = anchor.year * 12 + anchor.month - 1 - n
        return f"{months // 12}-{months % 12 + 1:02d}", "approx"
    return None


def _week(m: re.Match[str], anchor: dt.date, qualifier: str) -> tuple[str, str]:
    """ "last week", "earlier this week": the month when the whole week lies in one, else its Monday, approx."""
    shift = {"last": -1, "previous": -1, "this": 0, "next": 1}[m.group("rel").lower()]
    monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=shift)
    sunday = monday + dt.timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.year}-{monday.month:02d}", qualifier
    return monday.isoformat(), "approx"


def _weekday(m: re.Match[str], anchor: dt.date, ahead: bool = False) -> str:
    name = (_group(m, "wd") or _group(m, "wd2") or _group(m, "wd3") or "").lower()
    target = _WEEKDAYS.index(name)
    prep = (_group(m, "prep") or "").lower()
    back = (anchor.weekday() - target) % 7
    if prep == "next":
        forward = (target - anchor.weekday()) % 7 or 7
        return (anchor + dt.timedelta(days=forward)).isoformat()
    if prep == "for" or (ahead and prep in ("", "on")):  # "a march called for Saturday": the coming one
        return (anchor + dt.timedelta(days=(target - anchor.weekday()) % 7)).isoformat()
    if prep == "last" and back == 0:
        back = 7
    return (anchor - dt.timedelta(days=back)).isoformat()


# The months of a season (northern), for "last summer", "this winter": the year it falls in.
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}


def _relative(m: re.Match[str], anchor: dt.date) -> str:
    day = " ".join((_group(m, "day") or "").lower().split())
    if day:
        shift_days = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(day, 0)
        return (anchor + dt.timedelta(days=shift_days)).isoformat()
    rel = m.group("rel").lower()
    shift = {"last": -1, "previous": -1, "this": 0, "next": 1}[rel]
    what = m.group("what").lower()
    if what in _SEASONS:
        first, last = _SEASONS[what]
        if shift < 0:
            return str(anchor.year if anchor.month > last else anchor.year - 1)
        if shift > 0:
            return str(anchor.year if anchor.month < first else anchor.year + 1)
        return str(anchor.year)
    if what == "year":
        return str(anchor.year + shift)
    months = anchor.year * 12 + anchor.month - 1 + shift
    return f"{months // 12}-{months % 12 + 1:02d}"
