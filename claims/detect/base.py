"""What the comparator works on and with: a claim's facts, a verdict, the settings, and the phrases explanations
share. Pure: no Django. compare.py re-exports these names."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from claims.detect.intervals import INF, quantity_bounds
from claims.detect.names import norm_attribute


@dataclass(frozen=True)
class ClaimFacts:
    id: int | str | None
    kind: str
    subject: str
    attribute: str
    value: object
    unit: str | None = None
    qualifier: str = "exact"
    speaker: str | None = None
    as_of: dt.date | None = None
    polarity: str | None = None
    after: str | None = None
    quote: str = ""
    outlet: str | None = None
    # The article the claim is in, the sentence around its quote, and the article's publication moment: within one
    # article a sentence may mark a change ("rose from 600 to 1,400"), and two reports of one day are put in order
    # by the time they were published, when it is known.
    article: int | str | None = None
    context: str = ""
    published: dt.datetime | None = None

    @functools.cached_property
    def canonical_key(self) -> tuple[str, ...]:
        """A total order of claims' facts, so that a pair is weighed the same way round whichever comes first.
        Computed once per facts (a check compares one claim with many)."""
        return _canonical_key(self)


@dataclass(frozen=True)
class Verdict:
    kind: str
    score: float
    explanation: str


def _default_windows() -> Mapping[str, int]:
    # Per-attribute windows a deployment sets; how a figure moves (dynamics.py) decides first whether a window
    # applies at all (levels and forecasts) and gives fast-moving levels their own short one.
    return MappingProxyType({})


@dataclass(frozen=True)
class Settings:
    # "about N" covers N +/- max(min(2% of N, one step of its last digit), 1), and a round figure at least 0.45 of
    # a step (intervals.approx_margin): about 2,500 covers 2,450..2,550, so 2,480 agrees and 2,400 is flagged, as
    # the product owner asked; "some 318,000" covers 317,000..319,000; "about 300,000" 255,000..345,000.
    approx_tolerance: float = 0.02
    approx_min_abs: float = 1.0
    # "about a decade", "about two months": +/- max(10%, half a unit).
    duration_approx_tolerance: float = 0.10
    change_window_days: Mapping[str, int] = field(default_factory=_default_windows)
    default_window_days: int = 90
    related_score_factor: float = 0.6
    # An attribution clash needs the same words, at least this many of them.
    min_shared_words: int = 6
    # Severity reaches its maximum at a 50% relative difference, or two years between dates.
    severe_relative_gap: float = 0.5
    severe_gap_days: float = 730.0

    # change_window_days by normalised attribute, built once: window_days runs for every compared pair.
    _windows: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keyed = {norm_attribute(name): days for name, days in self.change_window_days.items()}
        object.__setattr__(self, "_windows", MappingProxyType(keyed))

    def window_days(self, attribute: str, fallback: int | None = None) -> int:
        """The configured window of the attribute, else `fallback` (a kind's own window), else the default."""
        found = self._windows.get(norm_attribute(attribute))
        if found is not None:
            return found
        return self.default_window_days if fallback is None else fallback

    def has_window(self, attribute: str) -> bool:
        return norm_attribute(attribute) in self._windows


DEFAULT = Settings()

FIXED_SCORE = 0.7  # polarity and attribution clashes have no size to grade them by


def _canonical_key(c: ClaimFacts) -> tuple[str, ...]:
    value = json.dumps(c.value, sort_keys=True, default=str)
    optional = (
        "" if x is None else str(x)
        for x in (c.unit, c.as_of, c.speaker, c.polarity, c.after, c.outlet, c.article, c.context, c.published)
    )
    return (c.kind, value, c.qualifier, c.quote, c.subject, c.attribute, repr(c.id), *optional)


def _score(severity: float) -> float:
    return 0.5 + 0.5 * min(1.0, max(0.0, severity))


def _changed_over_time(a: ClaimFacts, b: ClaimFacts, settings: Settings) -> bool:
    """Reports far enough apart in time describe a change (troops withdrawn), not a contradiction."""
    if a.as_of is None or b.as_of is None:
        return False
    return abs((a.as_of - b.as_of).days) > settings.window_days(a.attribute)


def _fmt_number(number: float) -> str:
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}".rstrip("0").rstrip(".")


def _percent(relative: float) -> str:
    percent = relative * 100
    return f"{percent:.0f}%" if percent >= 1 else f"{percent:.1g}%"


def _outlet(c: ClaimFacts) -> str:
    return f" ({c.outlet})" if c.outlet else ""


def _fmt_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _as_of_phrase(x: dt.date | None, y: dt.date | None) -> str:
    if x is None and y is None:
        return "dates unknown"
    if x == y and x is not None:
        return f"both as of {_fmt_day(x)}"
    return f"as of {_fmt_day(x) if x else 'an unknown date'} and {_fmt_day(y) if y else 'an unknown date'}"


def _nominal(value: object) -> float | None:
    bounds = quantity_bounds(value)
    if bounds is None:
        return None
    lo, hi = bounds
    return lo if hi == INF else (lo + hi) / 2
