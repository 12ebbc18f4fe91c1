"""What a number counts: the noun after it, its modifiers, its place and owner -> unit, subject, attribute.

No part-of-speech tagger: the head noun is the first plural-looking word (or a known irregular plural)
within a few tokens after the number; words before it are modifiers ("US", "non-American", "armed").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.suggest.spans import words

_TOKEN = re.compile(r"\s*([A-Za-z][\w.'’-]*|\S)")
IRREGULAR_PLURALS = words(
    "people men women children police personnel staff militia cattle sheep fish aircraft"
)
# Singular heads are accepted only after "one"/"1" ("one soldier was killed").
SINGULAR_COUNTS = words("soldier troop person civilian member officer fighter man woman child")
PERSONNEL = words(
    """troops soldiers personnel forces marines sailors airmen servicemen servicemembers members
    peacekeepers advisers advisors contractors fighters militants officers guards reservists"""
)
# Words that end a noun phrase search: after them the number is not counting a following noun.
_STOP = words(
    """a an the of to in on at by for from with and or but as than that which who whom whose this these
    those is are was were be been being has have had will would could should may might can do does did
    not no it its his her their our your my per since until during after before while into onto over
    under about around between among against through across within without"""
)
_NOT_PLURAL = words(
    """this thus its his hers theirs yours ours always across towards afterwards perhaps unless whereas
    less plus minus versus news series species bus gas lens bias status virus campus chaos analysis
    crisis basis thesis process various previous serious numerous famous"""
)
_GENERIC_MODIFIERS = words("more additional other extra new further some remaining")
# Lowercase modifiers that form one counted thing with the head ("service members", "working groups").
_COMPOUND_MODIFIERS = words("service staff crew family aid health task")
# A capitalised word after "in" is a place unless it is a month or weekday ("in November").
_CALENDAR = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
_PLACE_RE = re.compile(
    r"(?:\s+(?:still|currently|now|remain|remains|remained|are|were|is|stay|stayed|who|that|deployed"
    r"|stationed|based|serving|present)){0,3}\s+(?:in|inside|across|throughout)\s+"
    r"((?:the\s+)?(?!" + _CALENDAR + r")[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})"
)
_OWNER_RE = re.compile(
    r"(?:(?<=\s)|^)(?:[Tt]he\s+)?((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s+"
    r"(?:still\s+|currently\s+|now\s+)?(?:has|have|had|maintains|maintain|maintained|keeps|keep|kept"
    r"|deployed|deploys|stations|stationed|sent|sends)\s+(?:\w+\s+){0,2}$"
)
_NUMBER_OF_RE = re.compile(
    r"\bnumber\s+of\s+((?:[\w'’-]+\s+){0,3}?[\w'’-]+?s)((?:\s+in\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)?)"
    r"\s+(?:\w+\s+){0,3}$",
    re.I,
)
_DEATH_RE = re.compile(r"[^.;]{0,60}?\b(?:killed|dead|died|deaths|lost\s+their\s+lives|slain)\b", re.I)
_OWNER_ALIASES = {
    "united states": "US",
    "america": "US",
    "u.s.": "US",
    "united kingdom": "UK",
    "britain": "UK",
}


@dataclass(frozen=True)
class Counted:
    end: int  # end offset of the head noun
    unit: str
    subject: str | None
    attribute: str


def _normalise(word: str) -> str:
    return re.sub(r"\b([A-Z])\.([A-Z])\.", r"\1\2", word)


def counted_noun(
    text: str, pos: int, limit: int, singular_ok: bool = False
) -> tuple[int, list[str], str] | None:
    """Find the counted head noun starting at ``pos``: (end offset, modifiers, head) or None."""
    mods: list[str] = []
    for _ in range(5):
        m = _TOKEN.match(text, pos, limit)
        if not m:
            return None
        word = m.group(1)
        low = word.lower()
        if not word[0].isalpha() or low in _STOP:
            return None
        pos = m.end()
        if low in IRREGULAR_PLURALS or (singular_ok and low in SINGULAR_COUNTS):
            return pos, mods, low
        if (
            len(low) > 3
            and low.endswith("s")
            and not low.endswith(("ss", "us", "is", "’s", "'s"))
            and not word.isupper()
            and low not in _NOT_PLURAL
        ):
            return pos, mods, low
        mods.append(word)
    return None


def describe(
    text: str, start: int, pos: int, limit: int, sent_start: int, singular_ok: bool = False
) -> Counted | None:
    """Unit, subject and attribute for a number spanning ``start``..``pos`` inside one sentence."""
    found = counted_noun(text, pos, limit, singular_ok)
    if found is None:
        return None
    end, mods, head = found
    unit = head
    if (mods and mods[-1].lower() in _COMPOUND_MODIFIERS) or (mods and mods[-1].lower().endswith("ing")):
        unit = f"{mods[-1].lower()} {head}"
    subject_mods = [_normalise(w) for w in mods if w.lower() not in _GENERIC_MODIFIERS]
    noun_phrase = " ".join([*subject_mods, head])
    prefix = text[sent_start:start]
    number_of = _NUMBER_OF_RE.search(prefix)
    if number_of and head in IRREGULAR_PLURALS:
        # "the number of non-American soldiers in Iraq reaches 2,400 people": the counted thing is named
        # before the number and the trailing noun is only a generic "people".
        noun_phrase = number_of.group(1) + number_of.group(2)
        unit = number_of.group(1).split()[-1].lower()
        head = unit
    elif not any(w[:1].isupper() for w in subject_mods):
        owner = _OWNER_RE.search(prefix)
        if owner:
            name = owner.group(1)
            noun_phrase = f"{_OWNER_ALIASES.get(name.lower(), name)} {noun_phrase}"
    if " in " not in noun_phrase:
        place = _PLACE_RE.match(text, end, limit)
        if place:
            noun_phrase = f"{noun_phrase} in {re.sub(r'^the ', '', place.group(1))}"
    if _DEATH_RE.match(text, end, limit) or head in ("deaths", "fatalities", "dead"):
        attribute = "death toll"
    elif head in PERSONNEL or unit == "service members":
        attribute = "troop count"
    else:
        attribute = "count"
    return Counted(end, unit, noun_phrase, attribute)
