"""What a number counts: the noun after it, its modifiers, its place and owner -> unit, subject, attribute.

No part-of-speech tagger: the head noun is the first plural-looking word (or a known irregular plural)
within a few tokens after the number; words before it are modifiers ("US", "non-American", "armed").

Subject rules (an editor accepts a proposal in one click, so a vague one is left out, never guessed):
- A count's subject is its noun phrase with what pins it down: a capitalised modifier ("US troops",
  "Halden dockworkers"), an owner ("Poland has 800 troops", "Norvik's 1,200 workers"), a place or group
  after it ("troops in Iraq", "dockworkers at the port of Halden", "members of the Transport Union").
  A phrase made only of common nouns ("people", "cargo ships", "working groups") is no subject: "".
- A measure (metres, hectares, tonnes, percent, money) is never its own subject: the subject is the
  thing measured when the sentence names it before a linking verb ("the river rose to 4.2 metres at
  Ashby" -> "river level at Ashby"), else "".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.suggest.spans import words

_TOKEN = re.compile(r"\s*([A-Za-z][\w.'’-]*|\S)")
IRREGULAR_PLURALS = words(
    "people men women children police personnel staff militia cattle sheep fish aircraft crew livestock"
)
# Singular heads are accepted only after "one"/"1" ("one soldier was killed").
SINGULAR_COUNTS = words(
    """soldier troop person civilian member officer fighter man woman child sailor pilot worker journalist
    passenger driver nurse doctor student teacher resident protester migrant refugee patient prisoner
    hostage policeman firefighter miner player crew"""
)
PERSONNEL = words(
    """troops soldiers personnel forces marines sailors airmen servicemen servicemembers
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
    crisis basis thesis process various previous serious numerous famous measles mumps rabies diabetes scabies
    herpes politics economics physics athletics gymnastics means"""
)
_QUOTES = frozenset("\"“”‘’'")
_DOTTED_RE = re.compile(r"(?:[A-Za-z]\.){2,}")
_COORDINATORS = words("and or")
# After "and"/"or" inside a noun phrase: a modifier and then more of the phrase, not a new clause.
_COORDINATED_RE = re.compile(r"\s+(?!(?:the|a|an|its|their|his|her|our|this|these|those)\b)([A-Za-z][\w-]*)\s+[A-Za-z]")
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
    r"(?:still\s+|currently\s+|now\s+|will\s+|would\s+|plans\s+to\s+|is\s+to\s+|is\s+set\s+to\s+)?(?:has|have|had|maintains|maintain|maintained|keeps|keep|kept"
    r"|deployed|deploys|stations|stationed|sent|sends|employs|employ|employed|cut|cuts|shed|sheds|axe|axes"
    r"|lay\s+off|lays\s+off|laid\s+off|hire|hires|hired)\s+(?:\w+\s+){0,2}$"
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
    end: int  # end offset of the head noun (or of the measure unit)
    unit: str
    subject: str  # "" when the sentence does not pin the counted thing down
    attribute: str


def _normalise(word: str) -> str:
    return re.sub(r"\b([A-Z])\.([A-Z])\.", r"\1\2", word)


def counted_noun(text: str, pos: int, limit: int, singular_ok: bool = False) -> tuple[int, list[str], str] | None:
    """Find the counted head noun starting at ``pos``: (end offset, modifiers, head) or None."""
    mods: list[str] = []
    for _ in range(6):
        m = _TOKEN.match(text, pos, limit)
        if not m:
            return None
        word = m.group(1)
        if word in _QUOTES:
            pos = m.end()  # 300 "permanent" staff: the quoted modifier is stepped over
            continue
        if word == "(":
            close = text.find(")", m.end(), min(limit, m.end() + 40))
            if close < 0:
                return None
            pos = close + 1  # 1,500 (mostly agency) nurses
            continue
        # "miners." at the end of a sentence: the dot is punctuation, not part of an abbreviation.
        if word.endswith(".") and len(word) > 1 and not _DOTTED_RE.fullmatch(word):
            word = word.rstrip(".")
        low = word.lower()
        joined = _COORDINATED_RE.match(text, m.end(), limit) if low in _COORDINATORS and mods else None
        if joined and not _plural(joined.group(1)):
            # "5,000 French and allied soldiers": two modifiers of one head ("Baker Street and drives": not).
            mods.append(word)
            pos = m.end()
            continue
        if not word[0].isalpha() or low in _STOP:
            return None
        pos = m.start(1) + len(word)
        if low in IRREGULAR_PLURALS or (singular_ok and low in SINGULAR_COUNTS):
            return pos, mods, low
        if _plural(word):
            return pos, mods, low
        mods.append(word)
    return None


def _plural(word: str) -> bool:
    """A plural-looking noun: "troops", "militants"; not "this", "status", "NATOs" or "Reuters'"."""
    low = word.lower()
    return (
        len(low) > 3
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is", "’s", "'s"))
        and not word.isupper()
        and low not in _NOT_PLURAL
    )


def describe(text: str, start: int, pos: int, limit: int, sent_start: int, singular_ok: bool = False) -> Counted | None:
    """Unit, subject and attribute for a number spanning ``start``..``pos`` inside one sentence."""
    unit_m = _MEASURE_RE.match(text, pos, limit)
    if unit_m:
        key = re.sub(r"\s+", " ", unit_m.group(1).lower())
        unit, dimension = MEASURE_UNITS[key]
        subject, attribute = measured(text, start, unit_m.end(), limit, sent_start, dimension)
        return Counted(unit_m.end(), unit, subject, attribute)
    found = counted_noun(text, pos, limit, singular_ok)
    if found is None:
        return None
    end, mods, head = found
    unit = head
    if (mods and mods[-1].lower() in _COMPOUND_MODIFIERS) or (mods and mods[-1].lower().endswith("ing")):
        unit = f"{mods[-1].lower()} {head}"
    subject_mods = [_normalise(w) for w in mods if w.lower() not in _GENERIC_MODIFIERS]
    noun_phrase = " ".join([*subject_mods, head])
    pinned = any(w[:1].isupper() for w in subject_mods)
    prefix = text[sent_start:start]
    number_of = _NUMBER_OF_RE.search(prefix)
    if number_of and head in IRREGULAR_PLURALS:
        # "the number of non-American soldiers in Iraq reaches 2,400 people": the counted thing is named
        # before the number and the trailing noun is only a generic "people".
        noun_phrase = number_of.group(1) + number_of.group(2)
        unit = number_of.group(1).split()[-1].lower()
        head = unit
        pinned = any(w[:1].isupper() for w in noun_phrase.split())
    elif not pinned:
        owner = _OWNER_RE.search(prefix) or _POSSESSIVE_RE.search(prefix)
        # "Officials sent 2,400 troops": a plural common noun opening the sentence is who acted, not an owner.
        opener = owner is not None and not prefix[: owner.start(1)].strip(' "“‘') and " " not in owner.group(1)
        if owner and opener and _plural(owner.group(1)):
            owner = None
        if owner and owner.group(1).lower() not in _NOT_OWNERS:
            name = owner.group(1)
            noun_phrase = f"{_OWNER_ALIASES.get(name.lower(), name)} {noun_phrase}"
            pinned = True
    if " in " not in noun_phrase:
        where = place_after(text, end, limit)
        if where:
            noun_phrase = f"{noun_phrase} {where}"
            pinned = True
    counted_as = _COUNTED_AS_RE.match(text, end, limit)
    if _DEATH_RE.match(text, end, limit) or head in ("deaths", "fatalities", "dead"):
        attribute = "death toll"
    elif head in PERSONNEL or unit == "service members":
        attribute = "troop count"
    elif _STRIKE_RE.match(text, end, limit):
        attribute = f"number of {head} on strike"
    elif counted_as:
        attribute = "number " + " ".join(counted_as.group(1).lower().split())
    else:
        attribute = "count"
    return Counted(end, unit, noun_phrase if pinned else "", attribute)


# --- places and groups -----------------------------------------------------------------------------

_NAME = rf"(?!{_CALENDAR})[A-Z][\w'’-]*"
_PROPER = rf"{_NAME}(?:\s+(?:of\s+|de\s+|upon\s+)?{_NAME}){{0,3}}"
# Lowercase nouns that can close a named place ("the Norvik plant", "the Halden container terminal").
_PLACE_NOUNS = (
    r"port|plant|factory|mine|site|camp|base|district|county|region|province|valley|river|harbour|harbor"
    r"|terminal|terminals|mill|works|hospital|school|airport|station|warehouse|depot|offices?|headquarters"
    r"|area|estate|yard|shipyard|docks?|centre|center|facility|farm|village|town|city|borough|border"
    r"|constituency|ward|forest|park|reservoir|dam|bridge|quay|branch|store|stores|campus"
)
_PLACE = (
    rf"(?:(?:the|its|their)\s+)?(?:(?:[a-z][\w-]*\s+){{1,2}}of\s+(?:the\s+)?{_PROPER}"
    rf"|{_PROPER}(?:\s+(?:[a-z][\w-]*\s+)?(?:{_PLACE_NOUNS})\b)?)"
)
# Words between the counted noun and its place: verbs and adverbs, not prepositions or determiners.
_FILLER = (
    r"(?!(?:in|inside|at|near|across|throughout|of|on|from|to|for|with|by|and|or|but|than|the|a|an"
    r"|this|these|those|its|their|his|her|our|after|before|since|during|said|says|told)\b)[a-z][\w-]*"
)
_PLACE_AFTER_RE = re.compile(
    rf"(?:\s+{_FILLER}){{0,3}}?\s+(?P<prep>in|inside|at|near|across|throughout|off|outside)\s+(?P<place>{_PLACE})"
    rf"|\s+(?P<ofprep>of|from)\s+(?P<group>(?:the\s+)?{_PROPER})"
)


def place_after(text: str, pos: int, limit: int) -> str:
    """ "in Iraq", "at the port of Halden", "of the Transport Union" right after ``pos``, else ""."""
    m = _PLACE_AFTER_RE.match(text, pos, limit)
    if not m:
        return ""
    if m.group("ofprep"):
        return f"{m.group('ofprep')} {m.group('group')}"
    prep, place = m.group("prep"), re.sub(r"^(?:its|their) ", "the ", m.group("place"))
    # A lone name drops its article ("in the Sahel" -> "in Sahel"); "at the port of Halden" keeps it.
    place = re.sub(r"^the (?=[A-Z][\w'’-]*$)", "", place) if place.count(" ") == 1 else place
    return f"{prep} {place}"


# --- what is counted -------------------------------------------------------------------------------

_POSSESSIVE_RE = re.compile(
    rf"(?:(?<=\s)|^)(?:[Tt]he\s+)?({_NAME}(?:\s+{_NAME}){{0,3}})(?:’s|'s|’|')\s+(?:\w+\s+){{0,1}}$"
)
_NOT_OWNERS = words("it he she they we i this that there")
_STRIKE_RE = re.compile(
    r"(?:\s+(?:have|had|has|who|that))?\s+(?:walked\s+out|went\s+on\s+strike|are\s+on\s+strike"
    r"|were\s+on\s+strike|struck|downed\s+tools|joined\s+the\s+(?:strike|walkout))\b",
    re.I,
)
_COUNTED_AS_RE = re.compile(
    r"(?:\s+(?:have|had|has|were|was|are|is|will|would|could|may|might|be|been|being|now|already)){0,3}\s+"
    r"(evacuated|injured|wounded|arrested|displaced|rescued|detained|missing|laid\s+off|made\s+redundant"
    r"|employed|affected|registered|eligible\s+to\s+vote)\b",
    re.I,
)

# --- measures ---------------------------------------------------------------------------------------

MEASURE_UNITS: dict[str, tuple[str, str]] = {}
for _names, _unit, _dimension in [
    ("metres meters metre meter m", "metres", "length"),
    ("kilometres kilometers kilometre kilometer km", "km", "length"),
    ("centimetres centimeters centimetre centimeter cm", "cm", "length"),
    ("millimetres millimeters millimetre millimeter mm", "mm", "length"),
    ("miles mile", "miles", "length"),
    ("feet foot ft", "feet", "length"),
    ("inches inch", "inches", "length"),
    ("hectares hectare ha", "hectares", "area"),
    ("acres acre", "acres", "area"),
    ("square_kilometres square_kilometers square_kilometre square_kilometer sq_km km2 km²", "km2", "area"),
    ("square_miles square_mile sq_miles", "square miles", "area"),
    ("tonnes tonne tons ton", "tonnes", "mass"),
    ("kilograms kilogram kg kilos", "kg", "mass"),
    ("litres liters litre liter", "litres", "volume"),
    ("cubic_metres cubic_meters cubic_metre cubic_meter m3", "cubic metres", "volume"),
    ("gallons gallon", "gallons", "volume"),
    ("barrels barrel", "barrels", "volume"),
    ("mph km/h kph", "speed", "speed"),
    ("megawatts megawatt mw gigawatts gigawatt gw", "MW", "power"),
]:
    for _name in _names.split():
        MEASURE_UNITS[_name.replace("_", " ")] = (_unit, _dimension)
# "m" alone is too often a scale ("$5m"); it is read as metres only after a decimal or plain digits,
# and only before a word boundary (numbers.py already takes "$5m" as a scale).
_MEASURE_RE = re.compile(
    r"\s*("
    + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(MEASURE_UNITS, key=len, reverse=True))
    + r")(?![\w²/])",
    re.I,
)
# The thing measured, before a linking verb: "the river rose to", "the Ridge fire has burned".
_MEASURED_VERBS = (
    r"rose|risen|rise|rises|rising|fell|fallen|falls|falling|peaked|peaks|reached|reaches|climbed|climbs"
    r"|dropped|drops|stood|stands|measured|measures|hit|hits|topped|tops|surged|jumped|slumped|declined"
    r"|increased|decreased|was|is|were|are|burned|burnt|scorched|consumed|destroyed|covered|covers|spans"
    r"|spanned|stretches|stretched|produced|produces|handled|handles|exported|imported|cost|costs|won|took"
    r"|received|secured|captured|got|lost|raised|totalled|totaled|totals|came|amounted|amounts"
)
_LEVEL_VERBS = words(
    "rose risen rise rises rising fell fallen falls falling peaked peaks climbed climbs dropped drops stood stands"
)
_MEASURED_RE = re.compile(
    rf"(?P<np>(?:[\w'’-]+\s+){{0,7}}?[\w'’-]+),?\s+(?:(?:has|have|had|already|now|then|also|had|will|would"
    rf"|could|may|be|been|reportedly|was|were|is|are|still|steadily|sharply|slightly)\s+)*(?P<verb>{_MEASURED_VERBS})"
    r"(?:\s+(?:to|at|by|in\s+at|out\s+at|worth|of|some|about|nearly|almost|over|more\s+than|just|a\s+record|up))*\s*$",
    re.I,
)
_NP_STOPS = _STOP | words("said says told also it they he she we this which who there here when")
_PRONOUN_NPS = words("it they he she we this that which who there these those one")
_DIMENSION_ATTRIBUTES = {
    "length": "length", "area": "area", "mass": "weight", "volume": "volume", "speed": "speed",
    "power": "capacity", "percent": "percentage", "money": "amount",
}  # fmt: skip
_STATE_AFTER_RE = re.compile(r"\s+(contained|complete|completed|full|built|owned|vaccinated|finished)\b", re.I)
_MATERIAL_RE = re.compile(
    r"\s+of\s+(?:the\s+)?([a-z][\w-]*(?:\s+(?!(?:in|inside|at|near|across|throughout|off|outside|of|from|on|and|or"
    r"|had|has|have|were|was|is|are)\b)[a-z][\w-]*)?)(?=\s)"
)
_SHARE_OF_RE = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+|all\s+)?(?!(?:the|its|their|all|an?)\b)([a-z][\w-]*)\b")


def measured(text: str, start: int, end: int, limit: int, sent_start: int, dimension: str) -> tuple[str, str]:
    """(subject, attribute) for a measure ending at ``end``: the thing measured or ""."""
    attribute = _DIMENSION_ATTRIBUTES[dimension]
    m = _MEASURED_RE.search(text, max(sent_start, start - 120), start)
    thing = _thing(m.group("np")) if m else ""
    verb = m.group("verb").lower() if m else ""
    share = _SHARE_OF_RE.match(text, end, limit) if dimension == "percent" else None
    if share and thing:
        return thing, f"share of the {share.group(1).lower()}"
    after = _STATE_AFTER_RE.match(text, end, limit) if dimension == "percent" else None
    if after:
        attribute = f"percentage {after.group(1).lower()}"
    if dimension == "area" and verb in ("burned", "burnt", "scorched", "consumed", "destroyed"):
        attribute = "area burned"
    elif dimension == "length" and verb in _LEVEL_VERBS:
        attribute = "change in level" if re.search(r"\bby\s*$", text[max(0, start - 8) : start]) else "level"
        if thing and not thing.lower().endswith(("level", "levels")):
            thing = f"{thing} level"
    if not thing and dimension not in ("percent", "money"):
        # "9,000 tonnes of grain at Halden": the material, pinned by its place.
        of = _MATERIAL_RE.match(text, end, limit)
        where = place_after(text, of.end(), limit) if of else ""
        return (f"{of.group(1)} {where}" if of and where else ""), attribute
    if not thing:
        return "", attribute
    where = place_after(text, end, limit)
    if where and " in " not in thing and " at " not in thing:
        thing = f"{thing} {where}"
    return thing, attribute


def _thing(phrase: str) -> str:
    """The trailing noun phrase of ``phrase`` that names a thing: "" for pronouns and function words."""
    kept: list[str] = []
    tokens = phrase.split()
    i = len(tokens) - 1
    while i >= 0:
        word = tokens[i]
        low = word.lower()
        joined = i >= 2 and tokens[i - 1].lower() in ("of", "at", "in", "on", "for")
        if low == "the" and kept and joined and tokens[i - 2].lower() not in _NP_STOPS and tokens[i - 2][0].isalpha():
            # "turnout at the last election", "the level of the river"
            kept += [word, tokens[i - 1]]
            i -= 2
            continue
        if low in _NP_STOPS or not word[0].isalpha():
            break
        kept.append(word)
        i -= 1
    kept.reverse()
    while kept and kept[0].lower() in _GENERIC_MODIFIERS | words("overall total"):
        kept = kept[1:]
    if not kept or (len(kept) == 1 and kept[0].lower() in _PRONOUN_NPS):
        return ""
    return _normalise(" ".join(kept))
