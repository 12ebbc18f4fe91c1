"""Quantity candidates: a number (or range) with a hedge and the thing it counts.

The counted noun is read from the number outward (subjects.py); a number with no noun after it is
handed to bare.py, which gives it the unit the text implies or drops it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from claims.suggest.bare import Bare, Source, names_a_thing, resolve
from claims.suggest.numbers import (
    DIGIT_NUMBER,
    HEDGE,
    HEDGES,
    NUMBER_FIRST,
    NUMBER_RE,
    NUMBER_WORDS,
    SCALE,
    WORD_NUMBER,
    number_value,
    parse_words,
    scale_factor,
    tidy,
)
from claims.suggest.spans import Index, Occupied, Sentence, sentence_at, words
from claims.suggest.subjects import describe, measured
from claims.values import ClaimValue

_ONE = r"(?:(?P<cur{n}>US\$|\$|€|£)?\s?(?:(?P<digits{n}>{d})|(?P<words{n}>{w})))"
_RANGE_RE = re.compile(
    rf"(?<![\w.,$€£-])(?:(?P<hedge>{HEDGE})\s+)?(?P<lead>between\s+|from\s+)?"
    + _ONE.format(n=1, d=DIGIT_NUMBER, w=WORD_NUMBER)
    + r"\s*(?P<sep>-|–|—|to|and)\s*"
    + _ONE.format(n=2, d=DIGIT_NUMBER, w=WORD_NUMBER)
    + rf"(?:\s*(?P<scale>{SCALE}))?(?![\w])",
    re.I,
)
_PERCENT_RE = re.compile(r"\s*(?:%|per\s*cent\b|percent\b)", re.I)
_CURRENCY_WORD_RE = re.compile(r"\s+(dollars|euros|pounds)\b", re.I)
_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "dollars": "USD",
    "euros": "EUR",
    "pounds": "GBP",
}
# Spans of time are durations (or, below a day, not claims at all); never counts.
_TIME_UNITS = words("seconds minutes hours days weeks months years decades centuries")
_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d")
# "the two countries", "both sides": an anaphoric pair, not a reported count.
_SPEAKER_ONE_RE = re.compile(r"\b(?:said|says|added|told|according\s+to)\s+$")
_ANAPHORIC_RE = re.compile(r"\b(?:the|these|those|both|all|its|their)\s+$", re.I)


# "a 300-seat chamber": a count written as a compound adjective. Not ages, spans of time or measures.
_COMPOUND_RE = re.compile(r"[-‑]([a-z]{3,})(?![\w-])")
# Only nouns that count members of a body: "16-inch", "two-stroke", "2016-style" are not counts.
_COMPOUND_NOUNS = words("seat member nation country state team party vessel ship bed room judge officer")

# A share written as a fraction ("about a third of its area", "two-thirds of voters", "one in five trains") is a
# percentage: a round figure, approx unless a hedge says otherwise. "half" only before "of" ("half of the
# 5.2 million voters"), never "half an hour", "the first half of the year".
_FRACTIONS = {"half": 50, "third": 100 / 3, "quarter": 25, "fifth": 20, "sixth": 100 / 6, "tenth": 10}
_SMALL_NUMERATORS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_FRACTION_RE = re.compile(
    rf"(?<![\w-])(?:(?P<hedge>{HEDGE})\s+)?"
    r"(?:(?P<num>a|one|two|three|four)[\s-]+(?P<den>half|third|quarter|fifth|sixth|tenth)s?"
    r"|(?P<half>half)|(?P<one>one|1)\s+in\s+(?P<every>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten))"
    r"(?=\s+of\b)",
    re.I,
)
_ORDINAL_BEFORE_RE = re.compile(r"\b(?:first|second|last|latter|former|other)\s+$", re.I)
_FRACTION_WORDS = frozenset(["half", "halves", "third", "thirds", "quarter", "quarters", "fifth", "fifths", "sixth",
                             "sixths", "tenth", "tenths", "in"])  # fmt: skip
TRIGGERS = NUMBER_WORDS | _FRACTION_WORDS
_RANGE_FIRST = NUMBER_FIRST | {"between", "from"}
_FRACTION_FIRST = NUMBER_FIRST | {"half"}


@dataclass(frozen=True)
class RawQuantity:
    start: int
    end: int
    value: ClaimValue
    unit: str
    qualifier: str
    subject: str  # "" when the sentence does not name what is counted or measured
    attribute: str


def find_quantities(index: Index, sents: list[Sentence], taken: Occupied) -> Iterator[RawQuantity]:
    masked = index.text
    triggers = index.positions(NUMBER_WORDS, digits=True)
    seen = Occupied()
    found: list[RawQuantity] = []
    bare: list[Bare] = []
    for m in index.scan(_RANGE_RE, triggers, 45, _RANGE_FIRST):
        if m.group("sep").lower() == "and" and not m.group("lead"):
            continue
        # "thirty-eight" is one number; a dash only separates a range of digits ("2,000-2,500").
        if m.group("sep") in "-–—" and not (m.group("digits1") and m.group("digits2")):
            continue
        q = _range(masked, m, sents, taken)
        if q and not seen.overlaps(q.start, q.end):
            seen.add(q.start, q.end)
            found.append(q)
    shares = index.positions(_FRACTION_WORDS)
    for m in index.scan(_FRACTION_RE, shares, 30, _FRACTION_FIRST):
        q = _fraction(masked, m, sents, taken)
        if q and not seen.overlaps(q.start, q.end):
            seen.add(q.start, q.end)
            found.append(q)
    for m in index.scan(NUMBER_RE, triggers, 35, NUMBER_FIRST):
        if seen.overlaps(m.start(), m.end()):
            continue
        q = _single(masked, m, sents, taken, bare)
        if q:
            found.append(q)
    if bare:
        sources = []
        for q in found:
            sent = sentence_at(sents, q.start)
            if sent is not None and q.unit not in _TIME_UNITS:
                sources.append(Source(q.start, q.unit, q.attribute, sent))
        found += [
            RawQuantity(i.start, i.end, i.value, i.unit, i.qualifier, i.subject, i.attribute)
            for i in resolve(masked, bare, sources, sents)
        ]
    found.sort(key=lambda q: q.start)
    yield from found


def _unit_and_end(
    masked: str, m: re.Match[str], sent: Sentence, value: float | int, cur: str | None
) -> tuple[int, str, str, str] | None:
    end = m.end()
    if cur:
        return end, _CURRENCIES[cur.lower()], *measured(masked, m.start(), end, sent.end, sent.start, "money")
    word_cur = _CURRENCY_WORD_RE.match(masked, end, sent.end)
    if word_cur:
        unit = _CURRENCIES[word_cur.group(1).lower()]
        return word_cur.end(), unit, *measured(masked, m.start(), word_cur.end(), sent.end, sent.start, "money")
    pct = _PERCENT_RE.match(masked, end, sent.end)
    if pct:
        return pct.end(), "percent", *measured(masked, m.start(), pct.end(), sent.end, sent.start, "percent")
    counted = describe(masked, m.start(), end, sent.end, sent.start, singular_ok=value == 1)
    if counted is None:
        return None
    return counted.end, counted.unit, counted.subject, counted.attribute


def _single(
    masked: str, m: re.Match[str], sents: list[Sentence], taken: Occupied, bare: list[Bare]
) -> RawQuantity | None:
    if taken.overlaps(m.start(), m.end()):
        return None
    words = m.group("words")
    if words and parse_words(words) is None:
        return None
    sent = sentence_at(sents, m.start())
    if sent is None:
        return None
    anaphoric = _ANAPHORIC_RE.search(masked, max(sent.start, m.start() - 8), m.start())
    if words and not m.group("hedge") and anaphoric and parse_words(words) == 2:
        return None
    lead = masked[max(sent.start, m.start() - 12) : m.start()]
    if words and not m.group("hedge") and parse_words(words) == 1 and _SPEAKER_ONE_RE.search(lead):
        return None  # '"...," said one officer': a speaker, not a count of one
    digits = m.group("digits") or ""
    if (
        digits
        and not (m.group("hedge") or m.group("cur"))
        and names_a_thing(masked[max(sent.start, m.start() - 60) : m.start()])
    ):
        return None  # "Formula 1 returns", "Apollo 11 crew": the number is part of a name
    read = number_value(m, whole_things=True)
    if read is None:
        return None
    value, qualifier = read
    found = _unit_and_end(masked, m, sent, value, m.group("cur"))
    if found is None:
        found = _compound(masked, m, digits)
    if found is None:
        bare.append(Bare(m.start(), m.end(), value, qualifier, digits, bool(m.group("hedge")), sent))
        return None
    end, unit, subject, attribute = found
    if words and words[0].isupper() and unit and masked[end - len(unit)].isupper():
        return None  # 'known as the "Three Amigos"', "Seven Sisters": a name, not a count
    if unit in _TIME_UNITS:
        return None
    # A bare year-like number counts something only when its noun follows at once ("2000 troops").
    year_like = digits and _YEAR_RE.fullmatch(digits) and not (m.group("hedge") or m.group("cur"))
    if year_like and end - m.end() > len(unit) + 2:
        return None
    return RawQuantity(m.start(), end, value, unit, qualifier, subject, attribute)


def _fraction(masked: str, m: re.Match[str], sents: list[Sentence], taken: Occupied) -> RawQuantity | None:
    if taken.overlaps(m.start(), m.end()):
        return None
    sent = sentence_at(sents, m.start())
    if sent is None or _ORDINAL_BEFORE_RE.search(masked, max(sent.start, m.start() - 10), m.start()):
        return None
    if m.group("half"):
        share = 50.0
    elif m.group("den"):
        num = _SMALL_NUMERATORS[m.group("num").lower()]
        den = m.group("den").lower()
        if den == "half" and num != 1:
            return None
        share = num * _FRACTIONS[den]
    else:
        every = m.group("every").lower()
        n = int(every) if every.isdigit() else parse_words(every)
        if not n or n < 2:
            return None
        share = 100 / n
    hedge = re.sub(r"\s+", " ", (m.group("hedge") or "").lower())
    qualifier = HEDGES.get(hedge, "approx")
    subject, attribute = measured(masked, m.start(), m.end(), sent.end, sent.start, "percent")
    return RawQuantity(m.start(), m.end(), tidy(round(share, 1)), "percent", qualifier, subject, attribute)


def _compound(masked: str, m: re.Match[str], digits: str) -> tuple[int, str, str, str] | None:
    """ "a 300-seat chamber", "a 12-vessel fleet": digits joined to a singular noun count that noun."""
    c = _COMPOUND_RE.match(masked, m.end()) if digits and not m.group("scale") else None
    if c is None or c.group(1).lower() not in _COMPOUND_NOUNS:
        return None
    return c.end(), c.group(1).lower() + "s", "", "count"


def _range(masked: str, m: re.Match[str], sents: list[Sentence], taken: Occupied) -> RawQuantity | None:
    if taken.overlaps(m.start(), m.end()):
        return None
    sent = sentence_at(sents, m.start())
    if sent is None:
        return None
    bounds: list[float | int] = []
    for n in ("1", "2"):
        words = m.group("words" + n)
        bound = parse_words(words) if words else _digits(m.group("digits" + n))
        if bound is None:
            return None
        bounds.append(bound)
    scale = m.group("scale")
    if scale:
        bounds = [tidy(b * scale_factor(scale)) for b in bounds]
    low, high = bounds
    if not low < high:
        return None
    found = _unit_and_end(masked, m, sent, high, m.group("cur1") or m.group("cur2"))
    if found is None:
        return None
    end, unit, subject, attribute = found
    qualifier = HEDGES.get(re.sub(r"\s+", " ", (m.group("hedge") or "").lower()), "exact")
    return RawQuantity(m.start(), end, {"min": low, "max": high}, unit, qualifier, subject, attribute)


def _digits(s: str) -> float | int | None:
    try:
        value = float(s.replace(",", ""))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value
