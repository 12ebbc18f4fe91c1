"""How a reported figure moves over time, as data the comparator uses. Pure: no Django.

- ``cumulative``: a running tally (deaths, injured, arrests, cases, damage counts such as homes flooded or buildings
  collapsed, money spent, aid pledged, votes counted). It only grows, so a later
  higher figure is the story moving on (an update, never a flag) and a later lower one is a revision worth a flag.
- ``level``: a figure that may move either way (troops deployed, people evacuated or missing, prices); two reports
  are compared only when they are at most a window apart (days for fast stories, months for slow ones).
- ``fixed``: a fact that does not change (a distance, a population, a magnitude, votes cast once counted); two
  reports must agree whenever they were made.
- ``forecast``: a projection or target (expected cost, projected toll, deadline); compared like a level, within
  a window, and said to be a forecast in the explanation.

The default comes from the words of the attribute ("death toll" -> cumulative), and only when those say nothing,
from the unit words ("deaths", "km"); an editor may set the kind (and window) of an attribute, which then wins
(``claims.models.AttributeDynamics``, read by the detector and passed to ``compare``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from claims.detect.names import norm_attribute, norm_name

CUMULATIVE, LEVEL, FIXED, FORECAST = "cumulative", "level", "fixed", "forecast"
KINDS = (CUMULATIVE, LEVEL, FIXED, FORECAST)


@dataclass(frozen=True)
class Dynamics:
    kind: str
    # Days two reports of a level or forecast may be apart and still be compared; None: the Settings window of the
    # attribute. Cumulative and fixed figures are compared at any distance in time.
    window_days: int | None = None
    # Why this kind: "set by an editor", "from the attribute", "from the unit", "the default".
    source: str = "the default"


def _words(entries: str) -> frozenset[str]:
    return frozenset(entries.split("|"))


# Word stems, matched against the tokens of the attribute (or unit): a token matches when it equals an entry or
# starts with an entry that ends in "*". First the forecast words (a "projected death toll" is a forecast), then
# the running tallies, then the levels, then the fixed facts.
_FORECAST = _words(
    "forecast*|projected|projection*|expected|predicted|prediction*|target*|goal|deadline|planned|anticipated|outlook"
)
_CUMULATIVE = _words(
    "death*|dead|killed|toll|fatalit*|casualt*|injur*|wounded|hurt|arrest*|detained|detention*|"
    "case*|infection*|infected|damaged|destroyed|damage|spent|spending|expenditure|raised|donated|"
    "donation*|collected|recovered|rescued|claims|cumulative|tally|vaccinated|aftershocks|"
    "victims|bodies|convicted|charged|deported|"
    # damage counts: a home flooded or a building collapsed stays counted
    "flooded|collapsed|razed|flattened|burned|burnt|demolished|wrecked|levelled|leveled|looted|torched|"
    # money and aid promised or paid out adds up
    "pledged|pledge*|disbursed|allocated|counted"
)
# Fast-moving levels (people evacuated, missing, a strike's turnout): compared only on the same day.
_FAST_LEVEL = _words(
    "evacuated|evacuee*|evacuation*|displaced|missing|unaccounted|stranded|sheltering|shelter*|"
    "homeless|outage*|hospitalised|hospitalized|trapped|strikers|striking|turnout|protesters|"
    "demonstrators|participants|marchers|crowd|attendance|walkout"
)
_LEVEL = _words(
    "troop*|soldier*|deployed|stationed|personnel|forces|price*|rate|level*|staff|employees|"
    "members|support|approval|poll*|inflation|unemployment|stock*|reserves"
)
_FIXED = _words(
    "length|long|distance|span|height|tall|depth|deep|width|wide|area|size|surface|population|"
    "inhabitants|residents|magnitude|weight|mass|elevation|altitude|capacity|diameter|radius|"
    "founded|built|established|born|cast|km|kilometre*|kilometer*|mile*|metre*|meter*|feet|foot|ft|yard*|"
    "hectare*|acre*|sq|square|km2|m2|tonne*|kg|kilogram*|lb|lbs"
)
FAST_WINDOW_DAYS = 0


def _matches(tokens: list[str], words: frozenset[str]) -> bool:
    for token in tokens:
        if token in words:
            return True
        if any(w.endswith("*") and token.startswith(w[:-1]) for w in words):
            return True
    return False


def _tokens(text: str | None) -> list[str]:
    return re.findall(r"[a-z0-9]+", norm_name(text or ""))


def _from_words(tokens: list[str]) -> Dynamics | None:
    if not tokens:
        return None
    if _matches(tokens, _FORECAST):
        return Dynamics(FORECAST)
    if _matches(tokens, _CUMULATIVE):
        return Dynamics(CUMULATIVE)
    if _matches(tokens, _FAST_LEVEL):
        return Dynamics(LEVEL, FAST_WINDOW_DAYS)
    if _matches(tokens, _LEVEL):
        return Dynamics(LEVEL)
    if _matches(tokens, _FIXED):
        return Dynamics(FIXED)
    return None


@functools.lru_cache(maxsize=65536)
def from_attribute(attribute: str) -> Dynamics | None:
    """The kind the attribute's own words give ("death toll" -> cumulative), or None when they say nothing. Only the
    normalised attribute is read ("fatalities" is "death toll"): every claim the detector compares with another has
    the same one, so the kind never depends on which of the two spellings is looked at."""
    found = _from_words(_tokens(norm_attribute(attribute)))
    return None if found is None else Dynamics(found.kind, found.window_days, "from the attribute")


@functools.lru_cache(maxsize=65536)
def default_dynamics(attribute: str, units: tuple[str | None, ...] = ()) -> Dynamics:
    """The kind of a pair of figures of one attribute: from the attribute's words, else from the units' words (the
    first kind, in the order above, that any unit names: symmetric in the units), else a level."""
    found = from_attribute(attribute)
    if found is not None:
        return found
    by_unit = _from_words([t for unit in units for t in _tokens(unit)])
    if by_unit is not None:
        return Dynamics(by_unit.kind, by_unit.window_days, "from the unit")
    return Dynamics(LEVEL)


def attribute_decides(attribute: str) -> bool:
    """Whether the attribute alone fixes the default kind (so no unit can change it): the detector may then narrow
    candidates by this kind's window before it knows their units."""
    return from_attribute(attribute) is not None


RULE_NAMES = {
    CUMULATIVE: "a running tally",
    LEVEL: "a level that moves either way",
    FIXED: "a fixed fact",
    FORECAST: "a forecast",
}
