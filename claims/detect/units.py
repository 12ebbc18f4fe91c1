"""Units of a quantity, normalised before two figures are compared. Pure: no Django.

``measure(unit)`` gives what a figure in that unit measures and the factor to that measure's base unit:
"180 miles" and "290 km" are both lengths, in metres 289,682 and 290,000. Money keeps its currency ("USD",
"EUR"...: never converted, rates move); percentages are compared only with percentages, never with counts; any
other unit is a count of its folded word (names.unit_class: troops, soldiers and people are all "personnel").
Scale words in the unit multiply the figure ("million dollars", "bn euros", "thousand people").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from claims.detect.names import norm_name, unit_class


@dataclass(frozen=True)
class Measure:
    dimension: str  # "length", "area", "mass", "volume", "speed", "percent", "money:usd", or a counted thing
    factor: float  # to the base unit of the dimension (metre, square metre, kilogram, litre, km/h, 1)
    base: str  # the base unit's name, for explanations


# "m" and "k" are left out: "m" is a metre far more often than a million in a unit field.
_SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}

# name -> (dimension, factor to base, base name). Keys are folded: lower case, singular, no dots.
_TABLE: dict[str, tuple[str, float, str]] = {}


def _add(dimension: str, base: str, factor: float, names: str) -> None:
    for name in names.split("|"):
        _TABLE[name] = (dimension, factor, base)


_add("length", "m", 1.0, "m|metre|meter|metres|meters")
_add("length", "m", 1000.0, "km|kms|kilometre|kilometer|kilometres|kilometers")
_add("length", "m", 0.01, "cm|centimetre|centimeter")
_add("length", "m", 0.001, "mm|millimetre|millimeter")
_add("length", "m", 1609.344, "mi|mile|miles|statute mile")
_add("length", "m", 1852.0, "nautical mile|nmi")
_add("length", "m", 0.3048, "ft|foot|feet")
_add("length", "m", 0.9144, "yd|yard")
_add("length", "m", 0.0254, "in|inch|inche")
_add("area", "m2", 1.0, "m2|square metre|square meter|sq m|sqm")
_add("area", "m2", 1e6, "km2|square kilometre|square kilometer|sq km|sqkm")
_add("area", "m2", 2589988.110336, "square mile|sq mi|sq mile|mi2")
_add("area", "m2", 1e4, "hectare|ha")
_add("area", "m2", 4046.8564224, "acre")
_add("area", "m2", 0.09290304, "square foot|square feet|sq ft")
_add("mass", "kg", 1.0, "kg|kilogram|kilo")
_add("mass", "kg", 0.001, "g|gram|gramme")
_add("mass", "kg", 1000.0, "tonne|metric ton|t")
_add("mass", "kg", 0.45359237, "lb|lbs|pound of weight")
_add("volume", "l", 1.0, "l|litre|liter")
_add("volume", "l", 1000.0, "m3|cubic metre|cubic meter")
_add("volume", "l", 3.785411784, "gallon|us gallon")
_add("volume", "l", 158.987294928, "barrel|bbl")
_add("speed", "km/h", 1.0, "km/h|kmh|kph|kilometre per hour|kilometer per hour|km per hour")
_add("speed", "km/h", 1.609344, "mph|mile per hour")
_add("speed", "km/h", 1.852, "knot|kn")
_add("percent", "%", 1.0, "%|percent|per cent|pct|percentage")

_CURRENCIES = {
    "usd": "usd|$|us$|dollar|us dollar|u s dollar|american dollar",
    "eur": "eur|€|euro",
    "gbp": "gbp|£|sterling|pound sterling|british pound",
    "jpy": "jpy|¥|yen",
    "cny": "cny|rmb|yuan|renminbi",
    "inr": "inr|rupee|indian rupee",
    "rub": "rub|rouble|ruble",
    "chf": "chf|swiss franc",
    "cad": "cad|c$|canadian dollar",
    "aud": "aud|a$|australian dollar",
}
for _code, _names in _CURRENCIES.items():
    for _name in _names.split("|"):
        _TABLE[_name] = (f"money:{_code}", 1.0, _code.upper())


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("es") and word[:-2].endswith(("ch", "sh", "x")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _lookup(text: str) -> tuple[str, float, str] | None:
    if text in _TABLE:
        return _TABLE[text]
    folded = " ".join(_singular(w) for w in text.split())
    return _TABLE.get(folded)


@functools.lru_cache(maxsize=65536)
def measure(unit: str | None) -> Measure | None:
    """What a figure in `unit` measures, and its factor to the base unit; None for no unit (a bare figure)."""
    if unit is None or not unit.strip():
        return None
    raw = unit.strip().casefold().replace("²", "2").replace("³", "3")
    raw = re.sub(r"\s+", " ", raw)
    # Symbols first: "$", "€", "%" are lost by the word folding below.
    symbols = re.sub(r"\b(?:" + "|".join(_SCALES) + r")\b", " ", raw).strip()
    factor = 1.0
    words = re.findall(r"[a-z0-9]+(?:/[a-z]+)?|[$€£¥%]", raw.replace("us$", "usd").replace(".", ""))
    rest = []
    for word in words:
        if word in _SCALES and len(words) > 1:
            factor *= _SCALES[word]
        else:
            rest.append(word)
    for candidate in (symbols, " ".join(rest), norm_name(" ".join(rest))):
        found = _lookup(candidate) if candidate else None
        if found is not None:
            dimension, per_unit, base = found
            return Measure(dimension, per_unit * factor, base)
    counted = unit_class(" ".join(rest) or raw)
    if counted in _PEOPLE:  # the attribute says what happened to them; the unit only that they are people
        counted = "personnel"
    if counted == "usd":
        return Measure("money:usd", factor, "USD")
    return Measure(counted or raw, factor, " ".join(rest) or raw)


def comparable(a: Measure | None, b: Measure | None) -> bool:
    """Two figures can be compared when they measure the same thing; a bare figure (no unit) is compared with any
    count, but never with a percentage, a length or a sum of money."""
    if a is None and b is None:
        return True
    if a is None or b is None:
        known = a or b
        assert known is not None
        return known.dimension not in _NOT_COUNTS and not known.dimension.startswith("money:")
    return a.dimension == b.dimension


_PEOPLE = frozenset(
    {
        "death",
        "dead",
        "fatality",
        "fatalitie",
        "victim",
        "casualty",
        "casualtie",
        "injured",
        "wounded",
        "resident",
        "inhabitant",
        "evacuee",
        "individual",
        "civilian",
        "child",
        "children",
        "adult",
        "worker",
        "striker",
        "protester",
        "demonstrator",
        "participant",
        "employee",
        "patient",
        "passenger",
        "migrant",
        "refugee",
        "person",
        "people",
        "body",
        "bodie",
        "missing",
    }
)
_NOT_COUNTS = frozenset({"length", "area", "mass", "volume", "speed", "percent"})


def convert(number: float, unit: str | None, into: str | None) -> float | None:
    """`number` in `unit` expressed in `into`; None when they measure different things."""
    source, target = measure(unit), measure(into)
    if source is None or target is None or source.dimension != target.dimension:
        return None
    return number * source.factor / target.factor
