"""Pure contradiction check of two claims: their values in, a verdict (or None) out.

The detector selects the candidates (same normalised attribute, and the same subject or a related one,
see ``names.subject_relation``) and calls ``compare`` on each pair, and ``timeline_check`` for a dated
event that came ``after`` another. Quantities are weighed in numeric.py (units, precision, how the figure moves,
parts of a whole). Tolerances, windows and scores are documented in docs/DETECTION.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Sequence

from claims.detect.base import (
    DEFAULT,
    FIXED_SCORE,
    ClaimFacts,
    Settings,
    Verdict,
    _as_of_phrase,
    _fmt_day,
    _fmt_number,
    _outlet,
    _score,
)
from claims.detect.dynamics import Dynamics
from claims.detect.intervals import (
    INF,
    Interval,
    date_interval,
    duration_days,
    duration_interval,
    parse_date,
)
from claims.detect.names import norm_attribute, norm_name, part_whole, same_speaker
from claims.detect.numeric import Part, numeric

__all__ = ["DEFAULT", "FIXED_SCORE", "ClaimFacts", "Dynamics", "Settings", "Verdict", "compare", "timeline_check"]


def compare(
    a: ClaimFacts,
    b: ClaimFacts,
    *,
    related: bool = False,
    settings: Settings = DEFAULT,
    dynamics: Dynamics | None = None,
    part: Part = None,
) -> Verdict | None:
    """A verdict when the two claims cannot both hold, else None. Symmetric in a and b.

    `dynamics`: how the attribute's figures move when an editor set it (else the default from its words);
    `part`: (narrower subject, broader subject) when the detector knows one subject is a part of the other. For
    related subjects without it, the names may still say so (names.part_whole)."""
    if norm_attribute(a.attribute) != norm_attribute(b.attribute):
        return None
    # One canonical order makes the result (explanation included) independent of argument order.
    first, second = (a, b) if a.canonical_key <= b.canonical_key else (b, a)
    if first.kind == second.kind == "quantity":
        if part is None and related and norm_name(first.subject) != norm_name(second.subject):
            part = part_whole(first.subject, second.subject)
        verdict = numeric(first, second, settings, dynamics, part)
        if part is not None:
            return verdict  # a part exceeding its whole is flagged as such, without the related-subject discount
    else:
        check = _CHECKS.get((first.kind, second.kind)) or _CHECKS.get((second.kind, first.kind))
        if check is None:
            return None
        verdict = check(first, second, settings)
    if verdict is None or not related:
        return verdict
    note = ""
    if norm_name(first.subject) != norm_name(second.subject):
        note = f" (related subjects: {first.subject}; {second.subject})"
    return Verdict(verdict.kind, verdict.score * settings.related_score_factor, verdict.explanation + note)


def timeline_check(
    event: ClaimFacts, earlier_event_dates: Sequence[ClaimFacts], *, settings: Settings = DEFAULT
) -> list[tuple[ClaimFacts, Verdict]]:
    """Flag an event dated entirely before every date claimed for the event it came after.

    Only when it precedes all of them: one agreeing date for the earlier event means the dates are in
    dispute there, not here, and those date claims are compared with each other anyway.
    """
    if event.kind != "date":
        return []
    own = date_interval(event.value, event.qualifier)
    others = [(c, date_interval(c.value, c.qualifier)) for c in earlier_event_dates if c.kind == "date"]
    dated = [(c, span) for c, span in others if span is not None]
    if own is None or not dated or any(own.hi >= span.lo for _, span in dated):
        return []
    earlier_name = event.after or dated[0][0].subject
    return [
        (
            claim,
            Verdict(
                "timeline",
                _score(own.gap(span) / settings.severe_gap_days),
                f"{event.subject} is dated {_describe_date(event)}, before {earlier_name} "
                f"({_describe_date(claim)}), which it came after",
            ),
        )
        for claim, span in dated
    ]


def _changed_over_time(a: ClaimFacts, b: ClaimFacts, settings: Settings) -> bool:
    """Reports far enough apart in time describe a change (troops withdrawn), not a contradiction."""
    if a.as_of is None or b.as_of is None:
        return False
    return abs((a.as_of - b.as_of).days) > settings.window_days(a.attribute)


# --- dates and durations ----------------------------------------------------------------------------


def _describe_date(c: ClaimFacts) -> str:
    parsed = parse_date(c.value)
    if parsed is None:
        return str(c.value)
    first, _, precision = parsed
    text = {"year": f"{first.year}", "month": f"{first:%B %Y}", "day": _fmt_day(first)}[precision]
    hedge = {"approx": "around ", "at_most": "by ", "at_least": "from "}.get(c.qualifier, "")
    return hedge + text + _outlet(c)


def _span_phrase(days: float) -> str:
    if days >= 730:
        return f"about {round(days / 365.25)} years"
    if days >= 60:
        return f"about {round(days / 30.44)} months"
    return f"{round(days)} day{'s' if round(days) != 1 else ''}"


def _date(a: ClaimFacts, b: ClaimFacts, settings: Settings) -> Verdict | None:
    # No change window here: the date of an event does not change over time.
    span_a, span_b = date_interval(a.value, a.qualifier), date_interval(b.value, b.qualifier)
    if span_a is None or span_b is None or span_a.overlaps(span_b):
        return None
    if span_b.lo < span_a.lo:
        a, b = b, a
    start_a, start_b = parse_date(a.value), parse_date(b.value)
    apart = abs((start_b[0] - start_a[0]).days) if start_a and start_b else span_a.gap(span_b)
    return Verdict(
        "date",
        _score(span_a.gap(span_b) / settings.severe_gap_days),
        f"{_describe_date(a)} vs {_describe_date(b)}, {_span_phrase(apart)} apart",
    )


def _describe_duration(c: ClaimFacts) -> str:
    parsed = duration_days(c.value)
    if parsed is None or not isinstance(c.value, dict):
        return str(c.value)
    lo, hi, per_unit = parsed
    unit = str(c.value.get("unit", "")).casefold().removesuffix("s")
    if hi == INF:
        figure = f"{_fmt_number(lo / per_unit)} {unit}s or more"
    elif lo == hi:
        count = lo / per_unit
        figure = f"{_fmt_number(count)} {unit}{'' if count == 1 else 's'}"
    else:
        figure = f"{_fmt_number(lo / per_unit)}-{_fmt_number(hi / per_unit)} {unit}s"
    hedge = {"approx": "about ", "at_least": "at least ", "at_most": "within "}.get(c.qualifier, "")
    return hedge + figure + _outlet(c)


def _durations(a: ClaimFacts, b: ClaimFacts, settings: Settings) -> Verdict | None:
    if _changed_over_time(a, b, settings):
        return None
    tolerance = settings.duration_approx_tolerance
    span_a = duration_interval(a.value, a.qualifier, tolerance)
    span_b = duration_interval(b.value, b.qualifier, tolerance)
    if span_a is None or span_b is None or span_a.overlaps(span_b):
        return None
    if span_b.lo < span_a.lo:
        a, b, span_a, span_b = b, a, span_b, span_a
    relative = span_a.gap(span_b) / span_b.lo if span_b.lo else 1.0
    return Verdict(
        "timeline",
        _score(relative / settings.severe_relative_gap),
        f"{_describe_duration(a)} vs {_describe_duration(b)}, {_as_of_phrase(a.as_of, b.as_of)}",
    )


def _deadline(a: ClaimFacts, b: ClaimFacts, settings: Settings) -> Verdict | None:
    """A span counted from its as_of date against a deadline date ("by the end of the year")."""
    duration, deadline = (a, b) if a.kind == "duration" else (b, a)
    # Only an at_most date is a deadline; an exact or at_least date beside a duration is more often the
    # start of the span ("a decade-long deployment" vs "deployed in 2014"), which runs the other way.
    if deadline.qualifier != "at_most" or duration.as_of is None:
        return None
    length = duration_interval(duration.value, duration.qualifier, settings.duration_approx_tolerance)
    limit = date_interval(deadline.value, deadline.qualifier)
    if length is None or limit is None:
        return None
    start = duration.as_of.toordinal()
    ends = Interval(start + length.lo, start + length.hi)
    if ends.overlaps(limit):
        return None
    earliest = dt.date.fromordinal(min(math.ceil(ends.lo), dt.date.max.toordinal()))
    return Verdict(
        "timeline",
        _score(ends.gap(limit) / settings.severe_gap_days),
        f"{_describe_duration(duration)} from {_fmt_day(duration.as_of)} ends {_fmt_day(earliest)} at the "
        f"earliest, but is due to end {_describe_date(deadline)}",
    )


# --- statements and attributions --------------------------------------------------------------------


def _who(c: ClaimFacts) -> str:
    return c.speaker or c.outlet or "an unattributed report"


def _polarity(a: ClaimFacts, b: ClaimFacts, settings: Settings) -> Verdict | None:
    polarities = {(a.polarity or "").casefold(), (b.polarity or "").casefold()}
    if polarities != {"affirms", "denies"} or _changed_over_time(a, b, settings):
        return None
    yes, no = (a, b) if (a.polarity or "").casefold() == "affirms" else (b, a)

    def when(c: ClaimFacts) -> str:
        return f" (as of {_fmt_day(c.as_of)})" if c.as_of else ""

    return Verdict(
        "polarity",
        FIXED_SCORE,
        f"{yes.subject}, {yes.attribute}: affirmed by {_who(yes)}{when(yes)}, denied by {_who(no)}{when(no)}",
    )


_QUOTED = re.compile(
    r"\"([^\"]+)\"|\u201c([^\u201d]+)\u201d|\u00ab([^\u00bb]+)\u00bb|\u201e([^\u201c\u201d]+)[\u201c\u201d]"
)


def _quoted_passages(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    return f" {' '.join(needle)} " in f" {' '.join(haystack)} "


@functools.lru_cache(maxsize=65536)
def _shared_passage(quote_a: str, quote_b: str, min_words: int) -> str | None:
    words_a, words_b = norm_name(quote_a).split(), norm_name(quote_b).split()
    if words_a == words_b and len(words_a) >= min_words:
        return quote_a
    for passage in _quoted_passages(quote_a) + _quoted_passages(quote_b):
        words = norm_name(passage).split()
        if len(words) >= min_words and _contains(words_a, words) and _contains(words_b, words):
            return passage
    return None


def _attribution(a: ClaimFacts, b: ClaimFacts, settings: Settings) -> Verdict | None:
    # Unknown speakers are not "different" speakers; and two officials announcing one thing in their own
    # words agree. Only the same words put in two different mouths clash.
    if a.speaker is None or b.speaker is None or same_speaker(a.speaker, b.speaker):
        return None
    passage = _shared_passage(a.quote, b.quote, settings.min_shared_words)
    if passage is None:
        return None
    shown = passage if len(passage) <= 80 else passage[:77].rstrip() + "..."
    return Verdict(
        "attribution",
        FIXED_SCORE,
        f"the same words \u201c{shown}\u201d are attributed to {a.speaker}{_outlet(a)} and to {b.speaker}{_outlet(b)}",
    )


_Check = Callable[[ClaimFacts, ClaimFacts, Settings], "Verdict | None"]
_CHECKS: dict[tuple[str, str], _Check] = {
    ("date", "date"): _date,
    ("duration", "duration"): _durations,
    ("duration", "date"): _deadline,
    ("statement", "statement"): _polarity,
    ("attribution", "attribution"): _attribution,
}
