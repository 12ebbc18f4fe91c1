"""Two quantity claims: in one unit, widened by their hedges and precision, weighed by how the figure moves.

Order of the rules (docs/DETECTION.md, "Quantities"): units that measure different things are not compared;
a level or forecast compared only within its window; figures whose intervals meet agree; within one article a
sentence that marks a change is not a conflict; a part is compared with its whole only to see whether it exceeds
it; a running tally flags only a later lower figure (or two reports of the same moment that disagree); a fixed
fact, a level or a forecast flags any disagreement.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from claims.detect.base import (
    ClaimFacts,
    Settings,
    Verdict,
    _as_of_phrase,
    _fmt_number,
    _nominal,
    _outlet,
    _percent,
    _score,
)
from claims.detect.dynamics import CUMULATIVE, FIXED, RULE_NAMES, Dynamics, default_dynamics
from claims.detect.intervals import INF, Interval, quantity_bounds, quantity_interval
from claims.detect.moments import describe, is_timestamp_line, moment
from claims.detect.names import norm_name
from claims.detect.units import Measure, comparable, measure

Part = tuple[str, str] | Literal["siblings"] | None

_HEDGES = {"approx": "about ", "at_least": "at least ", "at_most": "at most "}

# A sentence that says a figure changed: its figures are a before and an after, not two claims that disagree.
_CHANGE = re.compile(
    r"\b(?:(?:rose|risen|rises|rising|increased|grew|grown|jumped|climbed|soared|surged|swelled|doubled|tripled|"
    r"fell|fallen|dropped|declined|decreased|plunged|slipped|shrank|went|revised|raised|lowered|corrected|"
    r"updated|cut|reduced|brought)\b(?:\s+\w+){0,3}?\s+from"
    r"|(?:up|down)\s+from|revised\s+(?:up|down|upward|downward|upwards|downwards|to)"
    r"|previously\s+(?:reported|stated|announced|given|put|estimated|said|believed)"
    r"|(?:earlier|initial|initially|previous|prior|original|originally|preliminary)\s+(?:\w+\s+)?"
    r"(?:figure|estimate|toll|count|tally|report|number|total)s?"
    r"|compared\s+(?:with|to)|from\s+(?:about\s+|around\s+|some\s+|nearly\s+)?[\d.,]+\s+(?:\w+\s+)?to\s"
    # "to 190 deaths, from 212", "lowered its count to 190 deaths, from an earlier 212"
    r"|\b(?:to|at)\s+(?:about\s+|around\s+|some\s+|nearly\s+|at\s+least\s+)?\d[\d.,]*(?:\s+[a-z]+){0,2},?\s+"
    r"from\s+(?:(?:about|around|some|nearly|an?|the|its)\s+)?(?:\d|earlier|initial|previous|prior|original)"
    # "an earlier 212", "the previous 212 deaths", "a preliminary 190"
    r"|\b(?:an?|the|its|their)\s+(?:earlier|initial|previous|prior|original|preliminary|provisional)\s+"
    r"(?:(?:about|around|some|nearly)\s+)?\d"
    # a verb of change with its new figure: "raised the toll to 236", "lowered its count to 190"
    r"|\b(?:raised|lowered|revised|corrected|updated|cut|reduced|increased|upped|adjusted)\b[^.;!?\d]{0,40}?\bto\s+"
    r"(?:(?:about|around|some|nearly|at\s+least)\s+)?\d)",
    re.IGNORECASE,
)


# Words that make a figure a part of a group when they qualify the counted noun next to it: "600 permanent troops",
# "800 rotating", "an additional 1,500 soldiers", "another 1,500". A figure so worded, against one that is not, is a
# part against the whole (or an increment), not the same figure; two figures with different such words are two
# parts. Only the words touching the claim's own figure count: "the military said 290 had died" or "the new toll is
# 290" says who spoke or that the report is new, not that 290 is a part. Places are left out on purpose: "a city of
# 300,000" is the whole city.
_PART_VOCABULARY = (
    "permanent|permanently|rotating|rotational|rotation|core|additional|extra|another|reserve|"
    "reservist|reservists|temporary|temporarily|civilian|civilians|military|children|child|women|"
    "foreign|foreigners|local|new|newly|reinforcements|special"
)
_QUOTE_PART_WORDS = frozenset(_PART_VOCABULARY.split("|"))
# Before the figure only the words of an increment ("an additional 1,500", "another 1,500", "a further 300"); after
# it any part word ("600 permanent troops", "1,500 more troops", "40 civilians").
_BEFORE = frozenset({"additional", "extra", "another", "further", "new"})
# An increment ("another 1,500", "1,500 more", "290 new cases") is added to a figure, not a part of it: it may well
# be larger than the whole it is added to, so it is never weighed against a figure without such words.
_INCREMENT = frozenset({"additional", "extra", "another", "further", "more", "new", "newly", "reinforcements"})
_AFTER = _QUOTE_PART_WORDS | {"more", "further"}
_ADJACENT = re.compile(
    r"(?:\b(?P<before>[a-z]+)\s+(?P<of>of\s+)?(?:(?:about|around|some|roughly|nearly|almost|approximately|over|"
    r"at\s+least|up\s+to|more\s+than)\s+)?)?[$\u20ac\u00a3]?(?P<number>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s*(?P<scale>million|billion|thousand|bn|m)\b)?(?:\s+(?P<after>[a-z]+)(?:\s+(?P<adverb>[a-z]+ly)\b)?)?",
    re.IGNORECASE,
)
_SCALE_WORDS = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}


def _is_figure(found: re.Match[str], figures: tuple[float, ...]) -> bool:
    try:
        number = float(found.group("number").replace(",", ""))
    except ValueError:
        return False
    scaled = number * _SCALE_WORDS.get((found.group("scale") or "").casefold(), 1.0)
    return any(abs(n - number) <= 1e-9 * max(1.0, abs(n)) or abs(n - scaled) <= 1e-9 * abs(n) for n in figures)


@functools.lru_cache(maxsize=65536)
def quote_part_words(quote: str, figures: tuple[float, ...], subject: str = "") -> frozenset[str]:
    """The part words that qualify the claim's own figure (one of `figures`) where the quote writes it: the word
    right before it when it is an increment ("another 1,500") or names a part of ("a core of 600"), the word right
    after it ("600 permanent troops"), or an adverb right after its noun ("600 troops permanently stationed").
    The subject's own words are not parts of it ("civilian deaths" counted as "civilian deaths")."""
    words: set[str] = set()
    for found in _ADJACENT.finditer(quote or ""):
        if not _is_figure(found, figures):
            continue
        before, after = (found.group("before") or "").casefold(), (found.group("after") or "").casefold()
        adverb = (found.group("adverb") or "").casefold()
        if before in _BEFORE or (found.group("of") and before in _QUOTE_PART_WORDS):
            words.add(before)  # "another 1,500", "a core of 600"
        if after in _AFTER:
            words.add(after)  # "600 permanent troops"
        elif adverb in _AFTER:
            words.add(adverb)  # "600 troops permanently stationed"
    return frozenset(words) - frozenset(norm_name(subject).split())


def _part_words(c: ClaimFacts) -> frozenset[str]:
    bounds = quantity_bounds(c.value)
    if bounds is None or not c.quote:
        return frozenset()
    figures = tuple(b for b in bounds if b != INF)
    return quote_part_words(c.quote, figures, c.subject)


def marks_change(text: str) -> bool:
    return bool(_CHANGE.search(text or ""))


_SENTENCE_END = r"[.!?][\"'\u201d\u2019]?\s+(?=[A-Z\u201c\"])|\n"


def sentence_of(prefix: str, quote: str, suffix: str) -> str:
    """The sentence a quote stands in, from the context kept around it (cut at . ! ? followed by a space and a
    capital, or at a line break); after the nearest timestamp line above it, and a line break, when the context
    has one: a live blog puts the time of an entry on its own line ("09:12\nThe toll has reached 236."), and
    moments.moment reads it when the sentence gives no time of its own."""
    # The quote's first letter decides whether the prefix ends a sentence ("… the morning. " + "Officials …").
    ends = [m for m in re.finditer(_SENTENCE_END, prefix + quote[:1]) if m.end() <= len(prefix)]
    start = ends[-1].end() if ends else 0
    stop = re.search(_SENTENCE_END, suffix)
    tail = suffix if stop is None else suffix[: stop.start() + (0 if stop.group(0) == "\n" else 1)]
    sentence = prefix[start:] + quote + tail
    # Whole lines above the sentence (the last piece of `prefix[:start]` is the sentence's own line or a part of it).
    above = prefix[:start].split("\n")[:-1]
    header = next((line.strip() for line in reversed(above) if is_timestamp_line(line)), None)
    return sentence if header is None else f"{header}\n{sentence}"


def _measure_of(c: ClaimFacts) -> Measure | None:
    return measure(c.unit)


def _span(c: ClaimFacts, settings: Settings, factor: float, rounded: bool) -> Interval | None:
    span = quantity_interval(
        c.value, c.qualifier, settings.approx_tolerance, settings.approx_min_abs, c.quote, rounded, factor
    )
    if span is None:
        return None
    return Interval(span.lo * factor, span.hi * factor)


def window_of(attribute: str, dynamics: Dynamics, settings: Settings) -> int | None:
    """Days two reports may be apart and still be compared; None: any distance (a tally, a fixed fact)."""
    if dynamics.kind in (CUMULATIVE, FIXED):
        return None
    if dynamics.source == "set by an editor" and dynamics.window_days is not None:
        return dynamics.window_days
    return settings.window_days(attribute, dynamics.window_days)


def _order(a: ClaimFacts, b: ClaimFacts) -> tuple[ClaimFacts, ClaimFacts] | Literal["same"] | None:
    """(earlier, later), "same" for one moment (one article, or one publication time), None when unknown."""
    ma, mb = moment(a), moment(b)
    if ma is None or mb is None:
        return None
    if ma.day != mb.day:
        return (a, b) if ma.day < mb.day else (b, a)
    if a.article is not None and a.article == b.article:
        # Within one article only times its text gives order two figures (a live blog's entries); the publication
        # moment is the same for both. One figure with a time of its own ("by early Monday, 212") and one without
        # are in unknown order; none with one: the article's one moment.
        told_a, told_b = ma.said is not None, mb.said is not None
        if not told_a and not told_b:
            return "same"
        if told_a != told_b:
            return None
    if ma.at is not None and mb.at is not None:
        if ma.at == mb.at:
            return "same"
        return (a, b) if ma.at < mb.at else (b, a)
    return None  # the same day, order unknown: a tally may have grown in between


# A level compared only on its own day (window 0) moves within hours too: reports of one day published more than
# this far apart, by their known publication times, describe a change.
SAME_DAY_HOURS = 12.0


def _hours_apart(a: ClaimFacts, b: ClaimFacts) -> float:
    ma, mb = moment(a), moment(b)
    if ma is None or mb is None or ma.at is None or mb.at is None:
        return 0.0
    return abs((ma.at - mb.at).total_seconds()) / 3600


def describe_quantity(c: ClaimFacts, *, with_unit: bool, converted: str = "") -> str:
    lo, hi = quantity_bounds(c.value) or (0.0, 0.0)
    if lo == hi:
        figure = _fmt_number(lo)
    elif hi == INF:
        figure = f"{_fmt_number(lo)} or more"
    else:
        figure = f"{_fmt_number(lo)}-{_fmt_number(hi)}"
    text = _HEDGES.get(c.qualifier, "") + figure
    if with_unit and c.unit:
        text += f" {c.unit}"
    return text + converted + _outlet(c)


def _in_other_unit(c: ClaimFacts, own: Measure | None, other: ClaimFacts, theirs: Measure | None) -> str:
    """ " (290 km)" after "180 miles" compared with a figure in km; "" when the units convert one to one."""
    nominal = _nominal(c.value)
    if own is None or theirs is None or nominal is None or own.factor == theirs.factor or not other.unit:
        return ""
    return f" (\u2248{_fmt_number(round(nominal * own.factor / theirs.factor))} {other.unit})"


def numeric(
    a: ClaimFacts, b: ClaimFacts, settings: Settings, dynamics: Dynamics | None = None, part: Part = None
) -> Verdict | None:
    measure_a, measure_b = _measure_of(a), _measure_of(b)
    if not comparable(measure_a, measure_b):
        return None
    moves = dynamics or default_dynamics(a.attribute, (a.unit, b.unit))
    window = window_of(a.attribute, moves, settings)
    if window is not None and a.as_of is not None and b.as_of is not None and abs((a.as_of - b.as_of).days) > window:
        return None  # a level reported far enough apart: a change over time
    if window == 0 and _hours_apart(a, b) > SAME_DAY_HOURS:
        return None  # a fast level (evacuations, turnout) published hours apart on one day: it moved
    factor_a = measure_a.factor if measure_a else 1.0
    factor_b = measure_b.factor if measure_b else 1.0
    rounded = factor_a != factor_b  # one figure may be the other converted and rounded
    span_a, span_b = _span(a, settings, factor_a, rounded), _span(b, settings, factor_b, rounded)
    nominal_a, nominal_b = _nominal(a.value), _nominal(b.value)
    if span_a is None or span_b is None or nominal_a is None or nominal_b is None or span_a.overlaps(span_b):
        return None
    if (
        a.article is not None
        and a.article == b.article
        and (marks_change(a.context or a.quote) or marks_change(b.context or b.quote))
    ):
        return None  # "rose from 600 to about 1,400": one article telling how the figure moved
    if part == "siblings":
        return None
    if part is not None:
        part_name = norm_name(part[0])
        if norm_name(a.subject) == part_name:
            return _part_exceeds(a, b, span_a, span_b)
        if norm_name(b.subject) == part_name:
            return _part_exceeds(b, a, span_b, span_a)
        return None
    words_a, words_b = _part_words(a), _part_words(b)
    if words_a != words_b:
        if (words_a and words_b) or (words_a | words_b) & _INCREMENT:
            return None  # two parts ("600 permanent", "800 rotating"), or an increment ("another 1,500")
        return _part_exceeds(a, b, span_a, span_b) if words_a else _part_exceeds(b, a, span_b, span_a)
    if moves.kind == CUMULATIVE:
        order = _order(a, b)
        if order is None:
            return None
        if order != "same":
            earlier, later = order
            span_early, span_late = (span_a, span_b) if earlier is a else (span_b, span_a)
            if span_late.hi >= span_early.lo:
                return None  # a later, higher figure: the tally moved on (an update, not a conflict)
            return _revised_down(earlier, later, a, settings, measure_a, measure_b)
    return _disagree(
        a, b, settings, moves, window, (measure_a, measure_b), (nominal_a * factor_a, nominal_b * factor_b)
    )


def _rule(moves: Dynamics, window: int | None) -> str:
    if moves.kind == CUMULATIVE:
        text = f"{RULE_NAMES[moves.kind]}, reported at the same time"
    elif moves.kind == FIXED:
        text = f"{RULE_NAMES[moves.kind]}: must agree whenever reported"
    else:
        text = f"{RULE_NAMES[moves.kind]}, compared within {window} day{'' if window == 1 else 's'}"
    return text + (" (set by an editor)" if moves.source == "set by an editor" else "")


def _disagree(
    a: ClaimFacts,
    b: ClaimFacts,
    settings: Settings,
    moves: Dynamics,
    window: int | None,
    measures: tuple[Measure | None, Measure | None],
    base: tuple[float, float],
) -> Verdict:
    measure_a, measure_b = measures
    base_a, base_b = base
    if (base_b, b.canonical_key) < (base_a, a.canonical_key):
        a, b, base_a, base_b, measure_a, measure_b = b, a, base_b, base_a, measure_b, measure_a
    largest = max(abs(base_a), abs(base_b))
    relative = abs(base_a - base_b) / largest if largest else 1.0
    same_unit = (a.unit or "").casefold() == (b.unit or "").casefold()
    first = describe_quantity(a, with_unit=not same_unit, converted=_in_other_unit(a, measure_a, b, measure_b))
    second = describe_quantity(b, with_unit=True)
    return Verdict(
        "numeric",
        _score(relative / settings.severe_relative_gap),
        f"{first} vs {second}, {_percent(relative)} apart, {_as_of_phrase(a.as_of, b.as_of)}; {_rule(moves, window)}",
    )


def _revised_down(
    earlier: ClaimFacts,
    later: ClaimFacts,
    a: ClaimFacts,
    settings: Settings,
    measure_a: Measure | None,
    measure_b: Measure | None,
) -> Verdict:
    m_early, m_late = (measure_a, measure_b) if earlier is a else (measure_b, measure_a)
    high = (_nominal(earlier.value) or 0.0) * (m_early.factor if m_early else 1.0)
    low = (_nominal(later.value) or 0.0) * (m_late.factor if m_late else 1.0)
    relative = abs(high - low) / max(abs(high), abs(low)) if max(abs(high), abs(low)) else 1.0
    return Verdict(
        "numeric",
        _score(relative / settings.severe_relative_gap),
        f"a running tally only grows: {describe_quantity(earlier, with_unit=True)} on {describe(earlier)} \u2192 "
        f"{describe_quantity(later, with_unit=True)} on {describe(later)} is lower, {_percent(relative)} down "
        f"(revised down?)",
    )


def _part_exceeds(small: ClaimFacts, big: ClaimFacts, span_small: Interval, span_big: Interval) -> Verdict | None:
    """A part is a different figure from its whole: flagged only when it is surely larger."""
    if span_small.lo <= span_big.hi:
        return None
    return Verdict(
        "numeric",
        0.6,
        f"a part exceeds the whole: {describe_quantity(small, with_unit=True)} (\u201c{small.quote[:60]}\u201d, "
        f"{small.subject}) is more than {describe_quantity(big, with_unit=True)} ({big.subject}), "
        f"{_as_of_phrase(small.as_of, big.as_of)}",
    )
