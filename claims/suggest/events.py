"""The event a date dates, named from the words right before the date.

"the strike began on 3 March" -> "start of the strike", "the dam was completed in 1962" -> "completion of
the dam", "the vote on Sunday" -> "vote". Otherwise "" (the editor names it): "on Monday morning" alone, or a
pronoun ("it began on Monday"), gives no subject. Split out of dates.py, which finds and resolves the dates.
"""

from __future__ import annotations

import re

from claims.suggest.spans import words

# Verb (as written before the date) -> (how the subject names the event, attribute, passive only).
# Verbs that take an object ("announced", "signed", "founded") date an event of their subject only in
# the passive ("the dam was completed") or as a participle after a comma ("the coalition, formed in
# 2014"): "the ministry announced on Monday" names the speaker, not an event.
_EVENT_VERBS: dict[str, tuple[str, str, bool]] = {}
for _verbs, _pattern, _attr, _passive in [
    ("began begun begins begin started starts start kicked_off commenced", "start of {}", "start date", False),
    ("ended ends end", "end of {}", "end date", False),
    ("finished concluded completed", "completion of {}", "completion date", True),
    ("opened opens open reopened reopens reopen", "opening of {}", "opening date", False),
    ("closed closes close shut", "closure of {}", "closure date", False),
    ("formed", "formation of {}", "formation date", False),
    ("founded established created set_up", "formation of {}", "formation date", True),
    ("built constructed", "construction of {}", "construction date", True),
    ("signed", "signing of {}", "signing date", True),
    ("launched", "launch of {}", "launch date", True),
    ("announced unveiled", "announcement of {}", "announcement date", True),
    ("broke_out erupted", "outbreak of {}", "start date", False),
    ("collapsed", "collapse of {}", "event date", False),
    ("declared", "declaration of {}", "event date", True),
    ("contained", "containment of {}", "event date", True),
    ("evacuated", "evacuation of {}", "event date", True),
    ("elected", "election of {}", "event date", True),
    ("held", "{}", "event date", True),
    ("took_place happened occurred", "{}", "event date", False),
]:
    for _verb in _verbs.split():
        _EVENT_VERBS[_verb.replace("_", " ")] = (_pattern, _attr, _passive)
_EVENT_VERB = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(_EVENT_VERBS, key=len, reverse=True))
# Nouns that name an event by themselves: "the vote on Sunday", "since the flood in 2019".
_EVENT_NOUNS = (
    r"election|by-election|elections|vote|referendum|poll|polls|strike|walkout|lockout|flood|floods|flooding"
    r"|fire|wildfire|blaze|storm|earthquake|quake|explosion|blast|attack|ambush|summit|meeting|talks"
    r"|hearing|trial|ruling|verdict|ceasefire|truce|closure|opening|launch|inauguration|ceremony"
    r"|evacuation|collapse|crash|derailment|accident|protest|march|rally|outbreak|landslide|eruption"
)
_CLAUSE_START = re.compile(r"(?:[.!?;:\n\x00]|,\s+(?:and|but|while|when|after|before)\b)[^.!?;:\n\x00]*$")
_AUX = (
    r"(?:(?:has|have|had|was|were|is|are|will|would|could|should|may|might|must|be|been|being|is\s+to"
    r"|are\s+to|due\s+to|set\s+to|expected\s+to|scheduled\s+to|finally|formally|officially|first|only"
    r"|originally|eventually|also|not|reportedly|then|already)\s+)*"
)
_EVENT_BY_VERB_RE = re.compile(
    rf"(?P<comma>,)?(?:\s+(?:that|which))?\s+(?P<aux>{_AUX})(?P<verb>{_EVENT_VERB})"
    rf"(?:\s+(?:in|at|on|near|across)\s+(?:the\s+)?[^,.;\x00]{{1,40}}?)?\s*$"
)
# Words a named event's noun phrase never contains ("the strike", "work on the Ashby dam").
_NOT_IN_NP = words(
    """a an to in at by for from with and or but as than that which who whom whose is are was were be been
    has have had will would could should may might can do does did not no it he she they we i you there
    here said says told after before since until during while when if then also about over under into"""
)
_NP_DETERMINERS = words("the this its their")
_NOUN_MOD = r"(?!(?:the|a|an|in|on|at|of|to|for|and|or|but|with|by|from)\b)[\w'’-]+"
_EVENT_BY_NOUN_RE = re.compile(
    rf"(?:\b(?:[Tt]he|[Tt]his|[Tt]hat|[Ll]ast|[Nn]ext)\s+)(?P<np>(?:{_NOUN_MOD}\s+){{0,3}}?(?:{_EVENT_NOUNS}))(?:\s+of)?\s*$"
)
_OBJECT_VERBS = words("close closes closed shut open opens opened reopen reopens reopened completed signed launched")
_EVENT_OBJECT_RE = re.compile(
    rf"\b(?P<verb>[a-z]+)\s+(?P<obj>(?:the|its|their)\s+(?:{_NOUN_MOD}\s+){{0,3}}?{_NOUN_MOD})\s*$"
)
_BE_RE = re.compile(r"\b(?:was|were|is|are|be|been|being)\b")
_PRONOUNS = frozenset(["it", "they", "he", "she", "we", "this", "that", "which", "who", "there", "one", "i", "you"])
_DETERMINER_RE = re.compile(r"^(?:the|this|its|their)\s+", re.I)


def dated_event(masked: str, start: int) -> tuple[str, str]:
    """(subject, attribute) of the event a date starting at ``start`` dates, else ("", "")."""
    clause = _CLAUSE_START.search(masked, max(0, start - 160), start)
    lo = clause.start() + 1 if clause else max(0, start - 160)
    prefix = masked[lo:start]
    m = _EVENT_BY_NOUN_RE.search(prefix)
    if m:
        return m.group("np"), ""
    m = _EVENT_OBJECT_RE.search(prefix)
    if m and m.group("verb").lower() in _OBJECT_VERBS:
        # "Norvik will close its Redcliff plant in June": the event is done to the object.
        obj = _DETERMINER_RE.sub("the ", m.group("obj"))
        pattern, attribute, _ = _EVENT_VERBS[m.group("verb").lower()]
        return pattern.format(obj), attribute
    m = _EVENT_BY_VERB_RE.search(prefix)
    if not m:
        return "", ""
    np = _noun_phrase_before(prefix, m.start())
    if not np:
        return "", ""
    pattern, attribute, passive = _EVENT_VERBS[" ".join(m.group("verb").lower().split())]
    if passive and not (m.group("comma") or _BE_RE.search(m.group("aux"))):
        return "", ""
    return pattern.format(np) if pattern != "{}" else _DETERMINER_RE.sub("", np), attribute


_JOINERS = words("of on in at near")
_PREPOSITIONS = words(
    """of on in at near between among against with without for from to by across after before during under
    over through into onto towards toward despite like than about around"""
)


def _noun_phrase_before(text: str, end: int) -> str:
    """The noun phrase ending at ``end`` that opens with "the"/"its" or holds a name, else "".

    It is the subject of the clause: a phrase after a preposition ("closed in Ashby") is not one.
    """
    tokens = text[:end].split()
    i = len(tokens) - 1
    kept: list[str] = []
    shortest = ""
    while i >= 0 and len(kept) < 8:
        tok, low = tokens[i], tokens[i].lower()
        if low in _JOINERS and kept and i > 0 and (low in ("of", "on") or kept[-1][0].isupper()):
            # "work on the dam", "the plant in Ashby": the phrase goes on before the joiner.
            shortest = shortest or _valid_np(list(reversed(kept)), False)
            kept.append(tok)
            i -= 1
            continue
        if not re.fullmatch(r"[\w'’-]+", tok) or low in _NOT_IN_NP:
            if low in _NOT_IN_NP and low not in ("that", "which", "who", "and", "but", "or", "also"):
                return shortest  # the object of a preposition, not the clause's subject
            break
        if low in _NP_DETERMINERS:
            kept.append("the")
            i -= 1
            if i >= 0 and tokens[i].lower() in _PREPOSITIONS - _JOINERS:
                return shortest  # "talks between the two countries began": not the subject
            if i < 0 or tokens[i].lower() not in _JOINERS:
                break
            continue
        kept.append(tok)
        i -= 1
    return _valid_np(list(reversed(kept)), i < 0) or shortest


def _valid_np(kept: list[str], clause_initial: bool) -> str:
    while kept and kept[0].lower() in _JOINERS:
        kept = kept[1:]
    body = [w for w in kept if w != "the"]
    if not body or (len(body) == 1 and body[0].lower() in _PRONOUNS):
        return ""
    names = [w for n, w in enumerate(body) if w[0].isupper() and not (n == 0 and clause_initial)]
    if kept[0] != "the" and not names:
        return ""  # "workers began on Monday", "Work began on Monday": no event is named
    if kept[0] != "the" and clause_initial and kept[0][0].isupper() and len(kept) > 1 and kept[1][0].islower():
        kept = [kept[0].lower(), *kept[1:]]  # "Work on the Ashby dam" -> "work on the Ashby dam"
    return " ".join(kept)
