"""Date candidates, resolved against an anchor (the publication date) where the text leaves parts out.

Resolution rules (documented choices):
- "July 26" / "in January" (no year): the anchor's year, unless that lands more than 31 days after the
  anchor; then the year before. News mostly reports the past, but "talks start on February 3" in a
  late-January article is the near future.
- "on Thursday" / "Thursday evening": the most recent such weekday on or before the anchor (an article
  dated Thursday that says "on Thursday" means that day); "last Thursday" is strictly before it;
  "next Thursday" is the first one after it.
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


# Lowercased tokens a date expression can start with ("#" is any digit run).
_FIRST = (
    _MONTH_WORDS
    | _WEEKDAY_WORDS
    | words(
        """# before prior ahead after by no since in on as until from during early mid late last this next
        earlier later previous yesterday one two three four five six seven eight nine ten a"""
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
    _Form("month_day", re.compile(rf"\b{_PREP}{MONTH}\s+{_DAY}{_END}(?!\s*,?\s*\d)"), _MONTH_WORDS, 25),
    _Form("month_day", re.compile(rf"\b{_PREP}{_DAY}\s+{MONTH}{_END}(?!,?\s*\d)"), _MONTH_WORDS, 30),
    _Form(
        "month",
        re.compile(
            rf"\b(?:(?P<prep>in|since|until|by|before|after|from|during|early|late|last|this|next)\s+"
            rf"(?:(?:early|mid|late)[\s-]+)?|(?:mid|early|late)-){MONTH}{_END}(?!\s*\d)"
        ),
        _MONTH_WORDS, 25,
    ),
    _Form(
        "weekday",
        re.compile(
            rf"\b(?:(?P<prep>[Oo]n|[Ll]ast|[Nn]ext|[Tt]his|[Ss]ince|[Uu]ntil|[Bb]y|[Ll]ate|[Ee]arly)\s+)"
            rf"(?P<wd>{WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?\b"
            rf"|\b(?P<wd2>{WEEKDAY})(?:’s|'s)"
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
            r"(?P<rel>last|this|next|previous)\s+(?P<what>year|month)\b(?!-)"
            r"|\b(?P<yest>yesterday)\b",
            re.I,
        ),
        frozenset(["year", "month", "yesterday"]), 32,
    ),
    _Form(
        "ago",
        re.compile(
            r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a)\s+(?P<what>year|month)s?\s+ago\b",
            re.I,
        ),
        frozenset(["ago"]), 20,
    ),
    _Form(
        "year",
        re.compile(rf"(?<![\w$€£.,/#-]){_PREP}(?P<year>(?:1[89]|20)\d\d)(?![\w-]|[.,]\d)"),
        frozenset(["####"]), 22,
    ),
]  # fmt: skip
_SMALL_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10}  # fmt: skip
# A year right after a hedge or before a plural noun is a count: "about 2000 troops", "2000 troops".
_COUNT_BEFORE = re.compile(
    r"(?:about|around|some|nearly|over|than|least|to|up|approximately|roughly)\s+$", re.I
)
_COUNT_AFTER = re.compile(r"\s+[a-z]{3,}(?<!ss)s\b")
_ATTRIBUTES = [
    (re.compile(r"\b(?:formed|founded|established|created|set\s+up)\b", re.I), "formation date"),
    (re.compile(r"\b(?:began|begun|begin|started|starts|launched|initiated|opened)\b", re.I), "start date"),
]
_DATELINE_RES = [
    re.compile(rf"^\s*{form}(?:[T\s]+\d{{1,2}}:\d{{2}}\S*)?\s*$") for form in (_FULL_MDY, _FULL_DMY, _ISO)
]


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
        return _weekday(m, anchor), q
    if kind == "relative":
        return _relative(m, anchor), q
    if kind == "deadline":
        rel = (_group(m, "rel") or "").lower()
        year = int(m.group("year")) if _group(m, "year") else anchor.year + (rel == "next")
        prep = m.group("prep").lower()
        return f"{year}-12-31", "exact" if prep == "until" else "at_most"
    if kind == "ago":
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else _SMALL_WORDS[raw]
        if m.group("what").lower() == "year":
            return str(anchor.year - n), "approx"
        months = anchor.year * 12 + anchor.month - 1 - n
        return f"{months // 12}-{months % 12 + 1:02d}", "approx"
    return None


def _weekday(m: re.Match[str], anchor: dt.date) -> str:
    name = (_group(m, "wd") or _group(m, "wd2") or "").lower()
    target = _WEEKDAYS.index(name)
    prep = (_group(m, "prep") or "").lower()
    back = (anchor.weekday() - target) % 7
    if prep == "next":
        forward = (target - anchor.weekday()) % 7 or 7
        return (anchor + dt.timedelta(days=forward)).isoformat()
    if prep == "last" and back == 0:
        back = 7
    return (anchor - dt.timedelta(days=back)).isoformat()


def _relative(m: re.Match[str], anchor: dt.date) -> str:
    if _group(m, "yest"):
        return (anchor - dt.timedelta(days=1)).isoformat()
    rel = m.group("rel").lower()
    shift = {"last": -1, "previous": -1, "this": 0, "next": 1}[rel]
    if m.group("what").lower() == "year":
        return str(anchor.year + shift)
    months = anchor.year * 12 + anchor.month - 1 + shift
    return f"{months // 12}-{months % 12 + 1:02d}"


# --- the event a date dates -------------------------------------------------------------------------

# Verb (as written before the date) -> (how the subject names the event, attribute, passive only).
# Verbs that take an object ("announced", "signed", "founded") date an event of their subject only in
# the passive ("the dam was completed") or as a participle after a comma ("the coalition, formed in
# 2014"): "the ministry announced on Monday" names the speaker, not an event.
_EVENT_VERBS: dict[str, tuple[str, str, bool]] = {}
for _verbs, _pattern, _attr, _passive in [
    ("began begun begins begin started starts start kicked_off commenced", "start of {}", "start date", False),
    ("ended ends end", "end of {}", "end date", False),
    ("finished concluded completed", "completion of {}", "completion date", True),
    ("opened opens open reopened reopens reopen", "opening of {}", "opening date", False),
    ("closed closes close shut", "closure of {}", "closure date", False),
    ("formed", "formation of {}", "formation date", False),
    ("founded established created set_up", "formation of {}", "formation date", True),
    ("built constructed", "construction of {}", "construction date", True),
    ("signed", "signing of {}", "signing date", True),
    ("launched", "launch of {}", "launch date", True),
    ("announced unveiled", "announcement of {}", "announcement date", True),
    ("broke_out erupted", "outbreak of {}", "start date", False),
    ("collapsed", "collapse of {}", "event date", False),
    ("declared", "declaration of {}", "event date", True),
    ("contained", "containment of {}", "event date", True),
    ("evacuated", "evacuation of {}", "event date", True),
    ("elected", "election of {}", "event date", True),
    ("held", "{}", "event date", True),
    ("took_place happened occurred", "{}", "event date", False),
]:
    for _verb in _verbs.split():
        _EVENT_VERBS[_verb.replace("_", " ")] = (_pattern, _attr, _passive)
_EVENT_VERB = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(_EVENT_VERBS, key=len, reverse=True))
# Nouns that name an event by themselves: "the vote on Sunday", "since the flood in 2019".
_EVENT_NOUNS = (
    r"election|by-election|elections|vote|referendum|poll|polls|strike|walkout|lockout|flood|floods|flooding"
    r"|fire|wildfire|blaze|storm|earthquake|quake|explosion|blast|attack|ambush|summit|meeting|talks"
    r"|hearing|trial|ruling|verdict|ceasefire|truce|closure|opening|launch|inauguration|ceremony"
    r"|evacuation|collapse|crash|derailment|accident|protest|march|rally|outbreak|landslide|eruption"
)
_CLAUSE_START = re.compile(r"(?:[.!?;:\n\x00]|,\s+(?:and|but|while|when|after|before)\b)[^.!?;:\n\x00]*$")
_AUX = (
    r"(?:(?:has|have|had|was|were|is|are|will|would|could|should|may|might|must|be|been|being|is\s+to"
    r"|are\s+to|due\s+to|set\s+to|expected\s+to|scheduled\s+to|finally|formally|officially|first|only"
    r"|originally|eventually|also|not|reportedly|then|already)\s+)*"
)
_EVENT_BY_VERB_RE = re.compile(
    rf"(?P<comma>,)?(?:\s+(?:that|which))?\s+(?P<aux>{_AUX})(?P<verb>{_EVENT_VERB})"
    rf"(?:\s+(?:in|at|on|near|across)\s+(?:the\s+)?[^,.;\x00]{{1,40}}?)?\s*$"
)
# Words a named event's noun phrase never contains ("the strike", "work on the Ashby dam").
_NOT_IN_NP = words(
    """a an to in at by for from with and or but as than that which who whom whose is are was were be been
    has have had will would could should may might can do does did not no it he she they we i you there
    here said says told after before since until during while when if then also about over under into"""
)
_NP_DETERMINERS = words("the this its their")
_NOUN_MOD = r"(?!(?:the|a|an|in|on|at|of|to|for|and|or|but|with|by|from)\b)[\w'’-]+"
_EVENT_BY_NOUN_RE = re.compile(
    rf"(?:\b(?:[Tt]he|[Tt]his|[Tt]hat|[Ll]ast|[Nn]ext)\s+)(?P<np>(?:{_NOUN_MOD}\s+){{0,3}}?(?:{_EVENT_NOUNS}))(?:\s+of)?\s*$"
)
_OBJECT_VERBS = words("close closes closed shut open opens opened reopen reopens reopened completed signed launched")
_EVENT_OBJECT_RE = re.compile(
    rf"\b(?P<verb>[a-z]+)\s+(?P<obj>(?:the|its|their)\s+(?:{_NOUN_MOD}\s+){{0,3}}?{_NOUN_MOD})\s*$"
)
_BE_RE = re.compile(r"\b(?:was|were|is|are|be|been|being)\b")
_PRONOUNS = frozenset(["it", "they", "he", "she", "we", "this", "that", "which", "who", "there", "one", "i", "you"])
_DETERMINER_RE = re.compile(r"^(?:the|this|its|their)\s+", re.I)


def dated_event(masked: str, start: int) -> tuple[str, str]:
    """(subject, attribute) of the event a date starting at ``start`` dates, else ("", "")."""
    clause = _CLAUSE_START.search(masked, max(0, start - 160), start)
    lo = clause.start() + 1 if clause else max(0, start - 160)
    prefix = masked[lo:start]
    m = _EVENT_BY_NOUN_RE.search(prefix)
    if m:
        return m.group("np"), ""
    m = _EVENT_OBJECT_RE.search(prefix)
    if m and m.group("verb").lower() in _OBJECT_VERBS:
        # "Norvik will close its Redcliff plant in June": the event is done to the object.
        obj = _DETERMINER_RE.sub("the ", m.group("obj"))
        pattern, attribute, _ = _EVENT_VERBS[m.group("verb").lower()]
        return pattern.format(obj), attribute
    m = _EVENT_BY_VERB_RE.search(prefix)
    if not m:
        return "", ""
    np = _noun_phrase_before(prefix, m.start())
    if not np:
        return "", ""
    pattern, attribute, passive = _EVENT_VERBS[" ".join(m.group("verb").lower().split())]
    if passive and not (m.group("comma") or _BE_RE.search(m.group("aux"))):
        return "", ""
    return pattern.format(np) if pattern != "{}" else _DETERMINER_RE.sub("", np), attribute


_JOINERS = words("of on in at near")
_PREPOSITIONS = words(
    """of on in at near between among against with without for from to by across after before during under
    over through into onto towards toward despite like than about around"""
)


def _noun_phrase_before(text: str, end: int) -> str:
    """The noun phrase ending at ``end`` that opens with "the"/"its" or holds a name, else "".

    It is the subject of the clause: a phrase after a preposition ("closed in Ashby") is not one.
    """
    tokens = text[:end].split()
    i = len(tokens) - 1
    kept: list[str] = []
    shortest = ""
    while i >= 0 and len(kept) < 8:
        tok, low = tokens[i], tokens[i].lower()
        if low in _JOINERS and kept and i > 0 and (low in ("of", "on") or kept[-1][0].isupper()):
            # "work on the dam", "the plant in Ashby": the phrase goes on before the joiner.
            shortest = shortest or _valid_np(list(reversed(kept)), False)
            kept.append(tok)
            i -= 1
            continue
        if not re.fullmatch(r"[\w'’-]+", tok) or low in _NOT_IN_NP:
            if low in _NOT_IN_NP and low not in ("that", "which", "who", "and", "but", "or", "also"):
                return shortest  # the object of a preposition, not the clause's subject
            break
        if low in _NP_DETERMINERS:
            kept.append("the")
            i -= 1
            if i >= 0 and tokens[i].lower() in _PREPOSITIONS - _JOINERS:
                return shortest  # "talks between the two countries began": not the subject
            if i < 0 or tokens[i].lower() not in _JOINERS:
                break
            continue
        kept.append(tok)
        i -= 1
    return _valid_np(list(reversed(kept)), i < 0) or shortest


def _valid_np(kept: list[str], clause_initial: bool) -> str:
    while kept and kept[0].lower() in _JOINERS:
        kept = kept[1:]
    body = [w for w in kept if w != "the"]
    if not body or (len(body) == 1 and body[0].lower() in _PRONOUNS):
        return ""
    names = [w for n, w in enumerate(body) if w[0].isupper() and not (n == 0 and clause_initial)]
    if kept[0] != "the" and not names:
        return ""  # "workers began on Monday", "Work began on Monday": no event is named
    if kept[0] != "the" and clause_initial and kept[0][0].isupper() and len(kept) > 1 and kept[1][0].islower():
        kept = [kept[0].lower(), *kept[1:]]  # "Work on the Ashby dam" -> "work on the Ashby dam"
    return " ".join(kept)
