"""Name normalisations shared by the comparator and by candidate selection.

The detector stores ``norm_name(subject)``, ``group_key(subject)`` and ``norm_attribute(attribute)`` in
indexed columns, so these functions must stay deterministic and cheap: a change to them means a data
migration that recomputes the keys.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from typing import Literal


def _vocab(entries: str) -> list[str]:
    return entries.split("|")


# Head nouns that name a counted group of military personnel. Multi-word heads come first so that
# "service members" wins over a shorter match.
_PERSONNEL_HEADS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(h.split())
            for h in _vocab(
                "troops|troop|soldiers|soldier|forces|service members|service member|servicemembers|"
                "servicemen|servicewomen|personnel|marines|sailors|airmen|paratroopers|peacekeepers|"
                "military advisers|military advisors|contingent"
            )
        ),
        key=lambda h: -len(h),
    )
)
# Words allowed between the head noun and the place ("troops stationed in X"); anything else
# ("soldiers killed in X") makes the subject an event, not a standing group.
_GROUP_FILLERS = frozenset({"stationed", "deployed", "based", "remaining", "serving", "present", "still"})
_PLACE_PREPOSITIONS = frozenset({"in", "inside", "within", "to", "across", "throughout"})

_PERSONNEL_UNITS = frozenset(
    _vocab(
        "troop|soldier|people|person|personnel|service member|servicemember|serviceman|servicemen|"
        "servicewoman|marine|force|military personnel"
    )
)
_USD_UNITS = frozenset({"usd", "$", "us$", "us $", "dollar", "us dollar", "u s dollar"})

# Plain-language variants of the same attribute. Keep this list generic (no story-specific wording).
_ATTRIBUTE_SYNONYMS: dict[str, str] = {
    "number of troops": "troop count",
    "troop number": "troop count",
    "troop numbers": "troop count",
    "troop level": "troop count",
    "troop levels": "troop count",
    "troop strength": "troop count",
    "troops": "troop count",
    "number of deaths": "death toll",
    "number killed": "death toll",
    "deaths": "death toll",
    "fatalities": "death toll",
    "date": "event date",
}

# Leading words that say what someone is, not who: "President X" and "X" are the same speaker.
_TITLE_TOKENS = frozenset(
    _vocab(
        "mr|mrs|ms|dr|sir|president|prime|minister|secretary|general|gen|lt|col|colonel|sen|senator|rep|"
        "spokesman|spokeswoman|spokesperson|deputy|press|foreign|defense|defence|sheikh|king|queen|prince"
    )
)
_SPEAKER_STOPWORDS = frozenset({"the", "of", "and", "via", "for", "al", "el", "bin", "ibn"})
# Spelling variants of one name ("Shia"/"Shiaa", "Sabrin"/"Sabrina") stay above this ratio;
# different names of similar length ("Hussein"/"Hassan") fall below it.
_FUZZY_TOKEN_RATIO = 0.8


@functools.lru_cache(maxsize=65536)
def norm_name(name: str) -> str:
    """Case-, accent-, space- and punctuation-folded key: "The U.S.-led Coalition" -> "us led coalition"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    # Dots and apostrophes inside a word join it ("u.s." -> "us", "int'l" -> "intl") instead of
    # splitting it, so "U.S." and "US" give the same key.
    text = re.sub(r"(?<=\w)[.'\u2019](?=\w)", "", text)
    text = re.sub(r"[\W_]+", " ", text).strip()
    text = text.removeprefix("the ")
    return text


@functools.lru_cache(maxsize=4096)
def norm_attribute(attribute: str) -> str:
    """norm_name plus plain synonyms; cached, as compare() asks it of every pair and attributes are few."""
    key = norm_name(attribute)
    return _ATTRIBUTE_SYNONYMS.get(key, key)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=65536)
def unit_class(unit: str | None) -> str | None:
    """Units that count the same things share a class: troops/soldiers/people -> "personnel"."""
    if unit is None:
        return None
    raw = unit.strip().casefold()
    if raw in _USD_UNITS:
        return "usd"
    folded = " ".join(_singular(w) for w in norm_name(unit).split())
    if folded in _PERSONNEL_UNITS:
        return "personnel"
    if folded in _USD_UNITS:
        return "usd"
    return folded or raw or None


def _match_head(tokens: list[str], i: int) -> int | None:
    for head in _PERSONNEL_HEADS:
        if tuple(tokens[i : i + len(head)]) == head:
            return i + len(head)
    return None


def _place_after_head(tokens: list[str]) -> str | None:
    for i in range(len(tokens)):
        j = _match_head(tokens, i)
        if j is None:
            continue
        while j < len(tokens) and tokens[j] in _GROUP_FILLERS:
            j += 1
        if j == len(tokens) or tokens[j] not in _PLACE_PREPOSITIONS:
            continue
        place = tokens[j + 1 :]
        if place and place[0] == "the":
            place = place[1:]
        if place:
            return " ".join(place)
    return None


def group_key(subject: str) -> str | None:
    """One key for every name of the same counted group in the same place.

    "US troops in Iraq", "American soldiers in Iraq" and "coalition forces (Iraq)" all give
    "personnel@iraq": the modifiers before the head noun (nationality, coalition, combat) are dropped on
    purpose, because the product owner wants figures for differently named groups compared (at a lower
    score). Subjects without a personnel head noun and a place give None.
    """
    place = _place_after_head(norm_name(subject).split())
    if place is None:
        # "US troops (Iraq)" / "US troops, Iraq": the place given as an aside.
        aside = re.fullmatch(r"([^,(]+)[,(]([^,()]+)\)?\s*", subject)
        if aside and _ends_with_head(norm_name(aside.group(1)).split()):
            place = norm_name(aside.group(2)) or None
    return f"personnel@{place}" if place else None


def _ends_with_head(tokens: list[str]) -> bool:
    return any(len(tokens) >= len(h) and tuple(tokens[-len(h) :]) == h for h in _PERSONNEL_HEADS)


def subject_relation(a: str, b: str) -> Literal["same", "related"] | None:
    """How candidate selection treats two subjects: compared as the same, as related, or not at all."""
    if norm_name(a) == norm_name(b):
        return "same"
    key = group_key(a)
    if key is not None and key == group_key(b):
        return "related"
    return None


def _speaker_tokens(name: str) -> list[str]:
    # "Fuad Hussein, Iraqi Foreign Minister" / "an official (via AP)": the role after a comma or in
    # parentheses describes the speaker, it does not name them.
    main = re.split(r"[,(]", name, maxsplit=1)[0]
    tokens = [t for t in norm_name(main).split() if t not in _SPEAKER_STOPWORDS]
    # Only a leading run of title words is dropped ("Foreign Minister X" -> "X"): inside a name such
    # words carry meaning ("Department of Defense" is not "Department of State").
    start = 0
    while start < len(tokens) and tokens[start] in _TITLE_TOKENS:
        start += 1
    # A bare role ("Prime Minister") is all title; keep it whole so that roles stay distinct.
    return tokens[start:] or tokens


def _tokens_match(x: str, y: str) -> bool:
    if x == y:
        return True
    if len(x) < 4 or len(y) < 4 or x[0] != y[0]:
        return False
    return difflib.SequenceMatcher(None, x, y).ratio() >= _FUZZY_TOKEN_RATIO


@functools.lru_cache(maxsize=65536)
def same_speaker(a: str | None, b: str | None) -> bool:
    """True when every name token of the shorter name matches a distinct token of the longer one.

    So "Fuad Hussein" ~ "Fuad Mohammed Hussein" and "Mohammed Shiaa Al-Sudani" ~ "Mohammed Shia
    al-Sudani", while "Fuad Hussein" !~ "Saddam Hussein". Unknown speakers (None) are never the same.
    """
    if a is None or b is None:
        return False
    if norm_name(a) == norm_name(b):
        return True
    ta, tb = _speaker_tokens(a), _speaker_tokens(b)
    if not ta or not tb:
        return False
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    unused = list(long_)
    for token in short:
        hit = next((u for u in unused if _tokens_match(token, u)), None)
        if hit is None:
            return False
        unused.remove(hit)
    return True


# Words that name a part of a counted group or of a tally: "permanent US troops in Poland" are some of the "US troops
# in Poland", "rotating" ones others. A figure for a part is not the figure for the whole.
_PART_WORDS = frozenset(
    _vocab(
        "permanent|permanently|rotating|rotational|rotation|core|additional|extra|reserve|reservist|reservists|"
        "temporary|temporarily|new|newly|reinforcement|reinforcements|remaining|support|logistics|training|"
        "special|headquarters|regular|civilian|military|female|male|child|children|adult|adults|local|foreign|"
        "county|district|province|region|city|town|village|municipality|state|north|south|east|west|northern|"
        "southern|eastern|western|central|inner|outer|first|second|third"
    )
)


def part_whole(a: str, b: str) -> tuple[str, str] | Literal["siblings"] | None:
    """How two related subject names stand to each other as parts of a whole: (part, whole) when one is the other
    with words naming a part added ("permanent US troops in Poland" within "US troops in Poland"), "siblings" when
    each adds its own such words to a shared core ("permanent ..." and "rotating ..."), else None (the same
    figure under two names, as "US troops in Iraq" and "non-US coalition troops in Iraq" are taken to be)."""
    ta, tb = set(norm_name(a).split()), set(norm_name(b).split())
    if ta == tb:
        return None
    extra_a, extra_b = ta - tb, tb - ta
    part_a, part_b = bool(extra_a & _PART_WORDS), bool(extra_b & _PART_WORDS)
    if part_a and not extra_b:
        return a, b
    if part_b and not extra_a:
        return b, a
    if part_a and part_b and extra_a <= _PART_WORDS and extra_b <= _PART_WORDS:
        return "siblings"
    return None
