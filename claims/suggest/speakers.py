"""Speaker names: the vocabulary of roles and titles, and the name an attribution proposes.

A title in front of a name is dropped ("Iraqi Foreign Minister Fuad Hussein" -> "Fuad Hussein", "council
engineer Priya Marsh" -> "Priya Marsh"), an organisation keeps its whole name ("General Motors", "Mayor's
office"), and a surname alone is the full name given earlier in the article when exactly one such name
precedes it. Split out of attributions.py, which finds where an attribution is.
"""

from __future__ import annotations

import re

from claims.suggest.spans import words

ROLES = words(
    """official officials minister ministry spokesman spokeswoman spokesperson spokespeople president
    leader leaders government department office agency source sources diplomat diplomats commander
    general ambassador envoy analyst analysts expert experts military army police authorities
    administration media outlet outlets secretary chief director head representative representatives
    lawmaker lawmakers senator committee commission council parliament embassy officer officers insider
    insiders witness witnesses resident residents observer observers group organization organisation
    company report reporters journalists newspaper broadcaster agency network channel press news prime
    foreign defense defence state deputy senior top former unnamed anonymous local regional federal
    national security intelligence interior affairs coalition forces spokesmen aide aides adviser
    advisers advisor advisors staff organisers organizers monitor monitors negotiator negotiators chiefs
    boss bosses coach manager engineer engineers body investigators prosecutors prosecutor doctors medics
    rescuers campaigners activists economists pollster pollsters chair chairman chairwoman
    union unions regulator watchdog"""
)
TITLES = words(
    """minister secretary president spokesman spokeswoman spokesperson ambassador envoy general gen lt
    colonel col commander chief director senator sen rep representative premier chancellor king prince
    sheikh mr mrs ms dr prof adviser advisor mayor governor judge speaker admiral boss pollster coach manager
    captain chair chairman chairwoman gran granny grandmother grandfather striker keeper"""
)
TITLE_OBJECTS = words(
    """of state defense defence homeland security foreign affairs interior treasury health justice energy
    war"""
)
FUNCTION_WORDS = words(
    """let's let’s it's it’s that's that’s there's there’s what's what’s he's he’s she's she’s here's here’s
    that which who whom whose it is are was were be been has have had to and or but not also of for in on at by
    as with from than then there here this these those the a an its his her their our we they he she i you will
    would could should may might can do does did so if when while after before"""
)
# Last words of an organisation's name: a title word inside it ("General Motors") is not a person's title.
ORGANISATION_WORDS = words(
    """council authority union agency bank group commission committee ministry department office company
    corporation corp inc ltd plc party association federation service board court motors foods airlines
    institute university trust fund club foundation network times post news guardian herald
    cooperative co-op works industries holdings partners brigade"""
)
_NAME_PART = (
    r"(?:[A-Z][\w'’-]*|(?:al|el|bin|ibn|de|van|von|der|da|di)-?[A-Z][\w'’-]*"
    r"|(?:bin|ibn|de|van|von|der|da|di|al))"
)
# Capitalised words that open a sentence or a title, not a given name ("Yesterday Brandt said").
_NOT_GIVEN_NAMES = words(
    """yesterday today tomorrow meanwhile however but and then when while after before later earlier also
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december the a an this that in on at for from by with as"""
)


def speaker_name(phrase: str, sentence_initial: bool = False) -> str:
    """Normalise a speaker phrase: drop a leading "the", keep the name after a title."""
    words = phrase.split()
    if words and words[0].lower() in ("the", "this", "that", "these", "those"):
        words = words[1:]
    elif words and words[0] in ("A", "An"):
        words[0] = words[0].lower()
    if words and re.sub(r"[’'`]s$", "", words[-1].lower()) in ORGANISATION_WORDS | ROLES:
        return " ".join(words)  # "General Motors", "Mayor's office": the whole name is the speaker
    last_title = max((n for n, w in enumerate(words) if w.lower().rstrip(".") in TITLES), default=-1)
    if last_title >= 0:
        rest = words[last_title + 1 :]
        while rest and rest[0].lower() in TITLE_OBJECTS:
            rest = rest[1:]
        if rest and all(w[0].isupper() or re.match(r"(?:al|el|bin|ibn|de|van|von)-", w) for w in rest):
            return " ".join(rest)
    # "council engineer Priya Marsh", "head coach Pavel Novak": a lowercase role before a full name.
    run = len(words)
    while run > 0 and words[run - 1][0].isupper():
        run -= 1
    before = words[run - 1] if run else ""
    if len(words) - run >= 2 and before.isalpha() and before.islower() and before not in FUNCTION_WORDS:
        return " ".join(words[run:])
    return " ".join(words)


_APPOSED_ROLE_RE = re.compile(r",\s*(?i:the|an?)\s+([a-z][a-z' -]{2,60}?)\s*,\s*$")
_ROLE_BEFORE_RE = re.compile(r"(?:^|[\s\"“])(?i:the|an?)\s+([a-z][a-z' -]{2,60}?)\s*,\s*$")


def speaker_role(phrase: str, name: str) -> str:
    """The role a speaker phrase gives beside the name: "council engineer Priya Marsh" -> "council engineer",
    "Mayor Ines Duarte" -> "Mayor"; "" when the phrase is the name itself or names no person."""
    words, named = phrase.split(), name.split()
    if len(named) < 2 or len(words) <= len(named) or words[-len(named) :] != named:
        return ""
    role = words[: -len(named)]
    while role and role[0].lower() in ("the", "a", "an", "former", "then"):
        role = role[1:]
    if not role or len(role) > 6 or all(w.lower() in FUNCTION_WORDS for w in role):
        return ""
    return " ".join(role)


def apposed_role(between: str, before: str) -> str:
    """The role set off by commas around a name: "Anna Berg, the fire chief, said" (`between` the name and the
    verb: ", the fire chief, ") or "the county engineer, Ruth Adebayo, said" (`before` the name)."""
    m = _APPOSED_ROLE_RE.search(between) or _ROLE_BEFORE_RE.search(before)
    return m.group(1).strip() if m else ""


_OPENING_RE = re.compile(r"[\"“‘']?\s*((?:[A-Za-z][\w.'’-]*\s+){1,7})")


def person_opening(text: str, start: int, end: int) -> str | None:
    """The person a sentence opens with, as its subject ("Mayor Ines Duarte toured the town" -> "Ines
    Duarte"): a run of capitalised words (lowercase roles may sit in it) followed by a lowercase word; None
    when the run is not a person's full name (a place, an organisation, a single word)."""
    m = _OPENING_RE.match(text, start, end)
    if m is None:
        return None
    run: list[str] = []
    for word in m.group(1).split():
        if word[0].islower() and word.lower() not in ROLES | TITLES:
            break
        run.append(word)
    else:
        return None  # no lowercase word (a verb) closes the run
    if not run or run[0].lower() in FUNCTION_WORDS or not run[-1][0].isupper():
        return None
    name = speaker_name(" ".join(run), sentence_initial=True)
    parts = name.split()
    if len(parts) < 2 or not all(w[0].isupper() for w in parts) or parts[-1].lower() in ORGANISATION_WORDS | ROLES:
        return None
    return name


def full_name(text: str, pos: int, speaker: str, cache: dict[str, list[tuple[int, str]]] | None = None) -> str:
    """The full name an article gave earlier for a speaker written as a surname alone, else ``speaker``."""
    if " " in speaker or not speaker[:1].isupper() or speaker.lower() in ROLES:
        return speaker
    cache = {} if cache is None else cache
    key = speaker.lower()
    if key not in cache:
        cache[key] = _full_names(text, speaker)
    found = {name.lower(): name for at, name in cache[key] if at < pos}
    names = sorted(found.values(), key=len, reverse=True)
    # "Fuad Hussein" and "Fuad Mohammed Hussein" are one person: every shorter form's words sit in the longest.
    if names and all(set(n.lower().split()) <= set(names[0].lower().split()) for n in names[1:]):
        return names[0]
    return speaker


def _full_names(text: str, surname: str) -> list[tuple[int, str]]:
    """(offset, name) of every name of two words or more ending in ``surname``, titles dropped."""
    out = []
    pattern = re.compile(rf"(?<![\w'’-])((?:{_NAME_PART}\s+){{1,4}})((?i:{re.escape(surname)}))(?![\w'’-])")
    for m in pattern.finditer(text):
        words = (m.group(1) + m.group(2)).split()
        while words and words[0].lower() in _NOT_GIVEN_NAMES:
            words = words[1:]
        if len(words) < 2:
            continue
        name = speaker_name(" ".join(words))
        if len(name.split()) >= 2 and name.split()[-1].lower() == surname.lower():
            out.append((m.start(), name))
    return out
