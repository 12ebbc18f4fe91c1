"""Numbers without their noun: "3,100 police in the capital and 800 in the north", "1,400 were still inside".

A number that no noun follows is a count only when the text says what it counts, read in this order:
1. it stands alone as a sentence and the next one names it: "1,250. That is how many families ...";
2. it is the object of a casualty verb: "killed about 17,000" (people);
3. a toll is being told: "the death toll rose to 212" (deaths);
4. a count is named before it: "the count of damaged houses stayed at roughly 7,300" (houses);
5. it inherits the unit of the nearest count earlier in its sentence, else of the last count in the
   previous sentence: "the official tally of 4,117", "cut from around 6,000 to fewer than 900". Money is
   never inherited (a bare "45" after "$45m" is rarely money), a percentage only by a number up to 100.
Otherwise it is left out. What rules a number out first (the stop list): one; a year; a label before it
("page 4", "Lap 40", "Article 7", "aged 58", "Flight 370", any mid-sentence capitalised word); "40 of 57";
an age between commas after a name ("Ruud, 29,"); a determiner before it ("the three"); a score or ratio
("3-1", "7/10"); and a word after it that is neither punctuation, a preposition nor a verb ("two goal
lead") unless the number is coordinated with an earlier count ("23 players fit and two doubtful").
The subject is the inherited unit with its place when the text gives one right after the number ("2,000
in Oakdale" -> "residents in Oakdale"), else "".
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass

from claims.suggest.dates import CALENDAR_WORDS
from claims.suggest.spans import Sentence, words
from claims.suggest.subjects import counted_noun, place_after

_LABELS = words(
    """page pages p pp no nos number lap laps turn round stage chapter section article clause paragraph line
    room gate platform route flight aged age ages grade level tier category class game match episode season
    version model item point step phase question rule seed ranked rank row floor door block unit ward zone
    box exit junction minute hour day week month year term act resolution table figure appendix vol volume
    issue bus train track channel highway road street size group batch wave hole heat leg race"""
)
_COORDINATORS = words("and or but while whereas")
# Words that can follow a count whose noun was left out: prepositions, conjunctions, verbs.
_NEXT_OK = words(
    """in at on from to for by across inside outside near of with within among and or but while as than
    were was are is be been had have has will would could can may might must should remain remains remained
    stay stays stayed still now already more who that which died fled left returned arrived needed walked
    came went lost got made took worked live lived living lie lay remain face faced between apiece each
    together altogether overall so last this next since after before during over under against per
    including"""
)
# Capitalised words that may open a sentence just before a number ("Today about 11,000 remain").
_OPENERS = words("today now only another further still yet so then just all some a an and but of about")
_CASUALTY_RE = re.compile(r"(killed|injured|wounded|displaced|evacuated|rescued|arrested|detained|hurt)\s+$", re.I)
_TOLL_RE = re.compile(r"\b(?:death\s+)?toll\b[^.;]{0,60}$", re.I)
_COUNT_OF_RE = re.compile(r"\b(?:number|count|tally|total)\s+of\s+", re.I)
_HOW_MANY_RE = re.compile(r"\b(?:how\s+many|the\s+number\s+of)\s+", re.I)
_PREV_WORD_RE = re.compile(r"([A-Za-z][\w'’.-]*|\d[\d,.]*)([\s\"“”(,]*)$")
# "6.8 a year ago", "900,000 a decade earlier": a date after the number, not a noun.
_DATE_NEXT_RE = re.compile(r"\s+an?\s+(?:year|month|week|decade)\s+(?:ago|earlier|before|later)\b")
# The counted thing as the subject of a verb of change or size: "staff will be cut from around 6,000",
# "Government forces number about 90,000", "payrolls will fall from around 9,500"; every tense a report uses.
_CHANGE_VERBS = (
    r"(?:cut|cuts|reduced?|increased?|raised?|trimmed|slashed|expanded|rises?|rose|risen|falls?|fell|fallen"
    r"|drops?|dropped|grows?|grew|grown|climbs?|climbed|shrinks?|shrank|shrunk|declined?|decreased?|jump(?:s|ed)?"
    r"|surge[sd]?|soar(?:s|ed)?|plunge[sd]?|swell(?:s|ed)?|double[sd]?|stood|stand|stands|totalled|totaled|totals"
    r"|number|numbered|numbers|stayed|remained|reached|hit|averaged|is|was|are|were)"
)
_CHANGE_VERB_RE = re.compile(rf"\b{_CHANGE_VERBS}\s+(?:(?:from|to|by|at)\s+)?(?:an?\s+average\s+of\s+)?$", re.I)
_CHANGED_RE = re.compile(
    r"\b([A-Za-z][\w-]*)(?:\s+(?:at|in|of|on)\s+[^,;]{1,40}?)?\s+(?:(?:will|would|could|are|is|were|was|have"
    rf"|has|had|be|been|being|to|now|already|still)\s+)*{_CHANGE_VERBS}\s+(?:(?:from|to|by|at)\s+)?"
    r"(?:an?\s+average\s+of\s+)?$",
    re.I,
)
# "an audit put the total at about 2,640", "officials estimated the crowd at 40,000": a figure given for a
# named total; the unit comes from the count it totals when the text gives one.
_PUT_AT_RE = re.compile(
    r"\b(?:put|puts|putting|placed|places|estimated|estimates|estimate|set|sets)\s+(?:the|its|their|his|her|our)"
    r"\s+(?:[a-z]+\s+)?([a-z]+)\s+at\s+$",
    re.I,
)
# "14 were killed", "30 injured", "300 have been evacuated", "40 are missing": the verb says what is counted.
_CASUALTY_AFTER_RE = re.compile(
    r"\s+(?:(?:were|was|are|is|have|has|had|been|being|now|still|reportedly|later|also)\s+){0,3}"
    r"(killed|injured|wounded|hurt|displaced|evacuated|rescued|arrested|detained|missing|dead|died)\b",
    re.I,
)
_CASUALTY_NAMES = {"killed": "death toll", "dead": "death toll", "died": "death toll", "hurt": "number injured"}
_AGE_RE = re.compile(r"[A-Z][\w'’-]*,\s*$")
_SCORE_RE = re.compile(r"\s?[-–/:]\s?\d")
# "16-inch", "two-stroke", "2.6GHz" (masked), "[2]": the number is part of a word or a reference mark.
_GLUED_RE = re.compile(r"[-‑–]\w|\.\S|[\])]|\x00")
_DETERMINER_NEAR_RE = re.compile(
    r"\b(?:the|these|those|both|all|its|their|his|her|our|my|your|every|each)\s+(?:[a-z]+\s+)?$", re.I
)
_NOUN_OF_RE = re.compile(r"\b([A-Za-z]+)\s+of\s+$")
_TOTALS = words("tally total count number toll average sum figure estimate maximum minimum peak out high low")
_NEXT_RE = re.compile(r"\s*([A-Za-z][\w'’-]*|\S)?")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
_DEATH_AFTER_RE = re.compile(r"[^.;]{0,40}?\b(?:killed|dead|died|deaths|fatal|lost\s+their\s+lives)\b", re.I)
# "1,480 cases since June, 37 of them fatal": a part of the count just named.
_OF_THEM_RE = re.compile(r"\s+of\s+(?:them|those|these)\b", re.I)
_DIGIT_RE = re.compile(r"\d")
_OUT_OF_RE = re.compile(r"\b(?:out\s+of|of\s+the)\s+$")
_OF_AHEAD_RE = re.compile(r"\s+of\s+(?:the|its|their|his|her|our)\s+(?:last\s+|first\s+|next\s+)?")
_NOT_THINGS = words("it this that which who what there one he she they we")
_MONEY = frozenset(["USD", "EUR", "GBP"])


@dataclass(frozen=True)
class Bare:
    """A number the counted-noun reader found no noun for."""

    start: int
    end: int
    value: float | int
    qualifier: str
    digits: str  # "" for a number in words
    hedged: bool
    sentence: Sentence


@dataclass(frozen=True)
class Source:
    """A count already found, whose unit a later bare number can inherit."""

    start: int
    unit: str
    attribute: str
    sentence: Sentence


@dataclass(frozen=True)
class Inherited:
    start: int
    end: int
    value: float | int
    unit: str
    qualifier: str
    subject: str
    attribute: str


def resolve(text: str, bare: list[Bare], sources: list[Source], sents: list[Sentence]) -> list[Inherited]:
    """The bare numbers that count something, with the unit they count (chained: one inherits from another)."""
    out: list[Inherited] = []
    pool = sorted(sources, key=lambda s: s.start)
    for b in sorted(bare, key=lambda b: b.start):
        coordinated = _ruled_out(text, b)
        if coordinated is None:
            continue
        found = _unit(text, b, pool, sents, coordinated)
        if found is None:
            continue
        unit, attribute = found
        told = _CASUALTY_AFTER_RE.match(text, b.end, b.sentence.end)
        if not told and _DEATH_AFTER_RE.match(text, b.end, b.sentence.end):
            attribute = "death toll"
        where = place_after(text, b.end, b.sentence.end)
        subject = f"{unit} {where}" if where else ""
        out.append(Inherited(b.start, b.end, b.value, unit, b.qualifier, subject, attribute))
        insort(pool, Source(b.start, unit, attribute, b.sentence), key=lambda s: s.start)
    return out


def _ruled_out(text: str, b: Bare) -> bool | None:
    """None when the stop list rules ``b`` out, else whether it is coordinated with an earlier count."""
    if b.value < 2 or (b.digits and "," not in b.digits and _YEAR_RE.fullmatch(b.digits)):
        return None
    sent = b.sentence
    # Every test here looks at the last few words before the number: a short tail keeps the
    # end-anchored searches from scanning the whole sentence.
    prefix = text[max(sent.start, b.start - 60) : b.start]
    prev = _PREV_WORD_RE.search(prefix)
    coordinated = prefix.rstrip().endswith(",")
    if prev:
        word = prev.group(1).rstrip(".")
        low = word.lower()
        if low in ("a", "an") and not b.hedged:
            return None  # "scored a 129": a score or rating, not a count
        if (
            (word[0].isdigit() and not (word.endswith(",") or "," in prev.group(2)))
            or (low in _LABELS and not b.hedged)
            or "(" in prev.group(2)
            or "[" in prev.group(2)
        ):
            return None
        if not b.digits and _DETERMINER_NEAR_RE.search(prefix):
            return None  # "the three", "the earlier two": a reference back, not a count
        # "Apollo 11", "Wi-Fi 6", "Article 7": a capitalised word before a number names a thing.
        if names_a_thing(prefix, anywhere=True):
            return None
        of = _NOUN_OF_RE.search(prefix)
        if of and of.group(1).lower() not in _TOTALS:
            return None  # "ratings of 999", "a max FPS of 147.4": a value of that noun, not a count
        if low == "of" and re.search(r"\d\s+(?:out\s+)?of\s*$", prefix):
            return None  # "Lap 40 of 57", "8 out of 10"
        coordinated = coordinated or "," in prev.group(2) or low in _COORDINATORS
        # "212 votes out of 84,000 cast": a total of the count before it, whatever verb follows.
        coordinated = coordinated or bool(_OUT_OF_RE.search(prefix))
        if _AGE_RE.search(prefix) and text.startswith(",", b.end):
            return None  # "Ruud, 29, has won"
    if _SCORE_RE.match(text, b.end) or _GLUED_RE.match(text, b.end):
        return None
    nxt = _NEXT_RE.match(text, b.end, sent.end)
    token = nxt.group(1) if nxt else None
    if token and token[0].isalpha():
        low = token.lower()
        if token[0].isupper():
            return None
        dated = _DATE_NEXT_RE.match(text, b.end, sent.end)
        if low not in _NEXT_OK and not low.endswith("ed") and not coordinated and not dated:
            return None
    return coordinated


def names_a_thing(prefix: str, anywhere: bool = False) -> bool:
    """Whether the capitalised word that ends ``prefix`` names a thing with the number after it ("Apollo 11",
    "Formula 1"). With ``anywhere`` False, not after a preposition ("in Kherson 300 homes") nor a calendar word."""
    prev = _PREV_WORD_RE.search(prefix)
    if prev is None or "," in prev.group(2) or not prev.group(1)[0].isupper():
        return False
    word = prev.group(1).rstrip(".")
    if word.lower() in _OPENERS or (len(word) > 2 and word.isupper() and word.isalpha()):
        return False  # an opener, or a word in capitals for emphasis ("A RECORD 1,306 migrants")
    if anywhere:
        return True
    before = prefix[: prev.start()].split()
    possessive = word.endswith(("'s", "’s", "s'", "s’"))
    return not (possessive or word.lower() in CALENDAR_WORDS or (before and before[-1].lower() in _NEXT_OK))


def _unit(text: str, b: Bare, pool: list[Source], sents: list[Sentence], coordinated: bool) -> tuple[str, str] | None:
    sent = b.sentence
    base = max(sent.start, b.start - 160)
    prefix = text[base : b.start]
    alone = b.start - sent.start < 4 and not text[sent.start : b.start].strip(' "“\n')
    if alone and not text[b.end : sent.end].strip(' .!?"”\n'):
        named = _named_next(text, sent, sents)
        if named:
            return named, "count"
    told = _CASUALTY_AFTER_RE.match(text, b.end, sent.end)
    if told:
        verb = told.group(1).lower()
        return "people", _CASUALTY_NAMES.get(verb, f"number {verb}")
    casualty = _CASUALTY_RE.search(prefix, max(0, len(prefix) - 30))
    if casualty:
        verb = casualty.group(1).lower()
        return "people", "death toll" if verb == "killed" else f"number {verb}"
    if _TOLL_RE.search(prefix):
        return "deaths", "death toll"
    for m in _COUNT_OF_RE.finditer(prefix):
        noun = counted_noun(text, base + m.end(), b.start)
        if noun:
            return noun[2], "count"
    put = _PUT_AT_RE.search(prefix, max(0, len(prefix) - 60))
    if put:
        named = put.group(1).lower()
        if named == "toll":
            return "deaths", "death toll"
        source = _nearest(text, b, pool, sents)
        if source is not None and source.unit not in _MONEY:
            return source.unit, source.attribute
        return "", "total" if named in _TOTALS else named
    # The full pattern backtracks over the sentence; the verb right before the number is checked first.
    changed = _CHANGED_RE.search(prefix) if _CHANGE_VERB_RE.search(prefix, max(0, len(prefix) - 40)) else None
    noun = counted_noun(text, base + changed.start(1), base + changed.end(1)) if changed else None
    if noun:
        return noun[2], "count"
    if _OF_THEM_RE.match(text, b.end, sent.end):
        part_of = _nearest(text, b, pool, sents)
        if part_of is not None and part_of.unit not in _MONEY:
            return part_of.unit, part_of.attribute
    ahead = _OF_AHEAD_RE.match(text, b.end, sent.end)
    if ahead:
        # "270 of the 538 electoral votes", "five of their last seven games": the count that follows.
        n = bisect_left(pool, ahead.end(), key=lambda s: s.start)
        if n < len(pool) and pool[n].start == ahead.end():
            return pool[n].unit, pool[n].attribute
    source = _nearest(text, b, pool, sents)
    if source is not None and source.unit not in _MONEY and not (source.unit == "percent" and b.value > 100):
        return source.unit, source.attribute
    # "Attendance had fallen to an average of 9,400": a level of a named thing; its unit is for the editor.
    thing = changed.group(1).lower() if changed else ""
    if thing and thing not in _NOT_THINGS and not thing.endswith("s"):
        return "", thing
    return None


def _nearest(text: str, b: Bare, pool: list[Source], sents: list[Sentence]) -> Source | None:
    n = bisect_left(pool, b.start, key=lambda s: s.start)
    if n == 0:
        return None
    last = pool[n - 1]
    if last.sentence == b.sentence:
        return last
    # The previous sentence, or up to two further back over sentences without a digit ("How many more
    # are going?" between a briefing's figures).
    i = _position(sents, b.sentence)
    if i > 0 and last.sentence == sents[i - 1]:
        return last
    for back in (2, 3):
        if i < back or any(_DIGIT_RE.search(text, s.start, s.end) for s in sents[i - back + 1 : i]):
            return None
        if last.sentence == sents[i - back]:
            return last
    return None


def _position(sents: list[Sentence], sent: Sentence) -> int:
    return bisect_left(sents, sent.start, key=lambda s: s.start)


def _named_next(text: str, sent: Sentence, sents: list[Sentence]) -> str | None:
    """ "1,250. That is how many families ...": the noun the next sentence counts."""
    i = _position(sents, sent)
    if i + 1 >= len(sents):
        return None
    nxt = sents[i + 1]
    m = _HOW_MANY_RE.search(text, nxt.start, min(nxt.end, nxt.start + 60))
    if not m:
        return None
    noun = counted_noun(text, m.end(), nxt.end)
    return noun[2] if noun else None
