"""Reading numbers: digits with separators, number words, vague plurals, scale words and hedges.

Choices for vague expressions (each is the smallest value the phrase commits to, as ``at_least``):
"dozens of" -> 24, "scores of" -> 40, "hundreds of" -> 200, "thousands of" -> 2,000,
"tens of thousands of" -> 20,000, "millions of" -> 2,000,000. "a dozen" is 12 (exact unless hedged).
"reaches N" states a current level and adds no hedge: the qualifier stays ``exact``.
A single dot group ("2.500") is a decimal unless the caller knows the unit counts whole things
(see ``read_digits``): "2.500 troops" is 2,500, "2.500 billion" is 2.5 billion.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
_SCALE_ABBREVIATIONS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 10**9, "tn": 10**12}

VAGUE_PLURALS = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000,
    "hundreds of thousands": 200_000, "millions": 2_000_000,
}  # fmt: skip

HEDGES = {
    "about": "approx", "around": "approx", "some": "approx", "nearly": "approx", "almost": "approx",
    "roughly": "approx", "approximately": "approx", "approx.": "approx", "an estimated": "approx",
    "estimated": "approx", "close to": "approx", "just over": "approx", "just under": "approx",
    "more than": "at_least", "over": "at_least", "at least": "at_least", "upwards of": "at_least",
    "upward of": "at_least", "in excess of": "at_least", "no fewer than": "at_least",
    "no less than": "at_least", "up to": "at_most", "fewer than": "at_most", "less than": "at_most",
    "at most": "at_most", "no more than": "at_most", "as many as": "at_most", "under": "at_most",
    "reaches": "exact", "reached": "exact",
}  # fmt: skip

# Words that can sit inside a number expression: the extractor looks only around these and digits.
NUMBER_WORDS = frozenset(
    [*_UNITS, *_TENS, "hundred", *_SCALES, "dozen", "dozens", "scores", "hundreds", "thousands", "millions", "half"]
)
_WORD = "|".join(sorted([*_UNITS, *_TENS, "hundred", *_SCALES], key=len, reverse=True))
# "a" only counts when a scale word follows ("a hundred", "a million"); checked in parse_words.
_SCALE_WORD = "|".join(_SCALES)
# "half a million", "a half million", "two dozen": fractions of a scale word and multiples of a dozen are one number.
WORD_NUMBER = (
    rf"(?:half\s+an?\s+(?:{_SCALE_WORD}|dozen)|a\s+half\s+(?:{_SCALE_WORD})"
    rf"|(?:a|{_WORD})(?:(?:\s+and)?[\s-]+(?:{_WORD}))*(?:\s+dozen)?|dozen)"
)
DIGIT_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3}){2,}|\d+(?:\.\d+)?"
VAGUE = r"(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|scores|hundreds|thousands|millions)\s+of"
SCALE = r"(?:thousand|million|billion|trillion|bn|mn|tn|m|k)(?![\w-])"
HEDGE = "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in sorted(HEDGES, key=len, reverse=True))

# Lowercased first tokens a number expression can start with ("#" is any digit run).
NUMBER_FIRST = frozenset(
    [*(h.split()[0].rstrip(".") for h in HEDGES), *NUMBER_WORDS, "a", "tens", "#", "$", "€", "£", "us"]
)
NUMBER_RE = re.compile(
    rf"(?<![\w.,$€£-])(?:(?P<hedge>{HEDGE})\s+)?(?:(?P<vague>{VAGUE})|(?P<cur>US\$|\$|€|£)?\s?"
    rf"(?:(?P<digits>{DIGIT_NUMBER})|(?P<words>{WORD_NUMBER}))(?:\s*(?P<scale>{SCALE}))?)(?![\w])",
    re.I,
)


def parse_words(s: str) -> int | None:
    """English number words to an int: "two hundred and fifty", "a dozen", "twenty-one thousand"."""
    words = [w for w in re.split(r"[\s-]+", s.lower().strip()) if w and w != "and"]
    if not words:
        return None
    if words in (["a", "dozen"], ["dozen"]):
        return 12
    if len(words) == 3 and words[:2] in (["half", "a"], ["half", "an"], ["a", "half"]):
        whole = _SCALES.get(words[2]) or (12 if words[0] == "half" and words[2] == "dozen" else None)
        return whole // 2 if whole else None
    if len(words) > 1 and words[-1] == "dozen":
        times = parse_words(" ".join(words[:-1]))
        return times * 12 if times is not None and 1 < times < 20 else None
    total, current, seen = 0, 0, False
    last_scale = 10**13
    for i, w in enumerate(words):
        if w == "a":
            if i != 0 or len(words) == 1 or words[1] not in ("hundred", *_SCALES):
                return None
            current, seen = 1, True
        elif w in _UNITS:
            if current % 10 or (current % 100 and _UNITS[w] >= 10) or (w == "zero" and len(words) > 1):
                return None
            current += _UNITS[w]
            seen = True
        elif w in _TENS:
            if current % 100:
                return None
            current += _TENS[w]
            seen = True
        elif w == "hundred":
            if current >= 100:
                return None
            current = (current or 1) * 100
        elif w in _SCALES:
            scale = _SCALES[w]
            if scale >= last_scale or not seen or current == 0:
                return None
            total += current * scale
            current, last_scale = 0, scale
        else:
            return None
    return total + current if seen else None


def read_digits(s: str, whole_things: bool = False) -> float | int | None:
    """Digits with separators. "2,500" -> 2500; "1.000.000" -> 1000000; "2.5" -> 2.5.

    A lone dot group ("2.500") is ambiguous between English decimals and European thousands; it is
    read as thousands only when ``whole_things`` says the counted unit cannot be fractional.
    """
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", s) or (whole_things and re.fullmatch(r"\d{1,3}\.\d{3}", s)):
        return int(s.replace(".", ""))
    try:
        value = float(s.replace(",", ""))
    except ValueError:
        return None
    return int(value) if value.is_integer() and "." not in s else value


def tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 6)


def number_value(m: re.Match[str], whole_things: bool = False) -> tuple[float | int, str] | None:
    """Value and qualifier of a ``NUMBER_RE``-style match (groups hedge/vague/digits/words/scale)."""
    hedge = (m.group("hedge") or "").lower()
    qualifier = HEDGES.get(re.sub(r"\s+", " ", hedge), "exact")
    if m.group("vague"):
        key = re.sub(r"\s+", " ", m.group("vague").lower())[: -len(" of")]
        # A hedge on a vague plural ("nearly hundreds of") cannot make it more precise.
        return VAGUE_PLURALS[key], "at_least"
    value: float | int | None
    if m.group("digits"):
        value = read_digits(m.group("digits"), whole_things and not m.group("scale"))
    else:
        value = parse_words(m.group("words"))
    if value is None:
        return None
    scale = m.group("scale")
    if scale:
        value = tidy(value * scale_factor(scale))
    return value, qualifier


def scale_factor(word: str) -> int:
    low = word.lower()
    return _SCALES.get(low) or _SCALE_ABBREVIATIONS[low]


def parse_number(s: str) -> tuple[float | int, str] | None:
    """Parse the first number in ``s`` with the hedge right before it.

    "about 2,500" -> (2500, "approx"); "more than nine hundred" -> (900, "at_least");
    "$4.4 billion" -> (4400000000, "exact"); "dozens of" -> (24, "at_least"); "troops" -> None.
    """
    for m in NUMBER_RE.finditer(s):
        if m.group("words") and parse_words(m.group("words")) is None:
            continue
        return number_value(m)
    return None
