"""Attribution candidates: who said something ("X said", "X told Y", "according to X cited by Y").

The speaker is the noun phrase right before the speech verb, read backwards over a token list: proper
names, role nouns ("official", "ministry"), determiners and a few connectors ("of", "al-"). An
apposition between them (", who spoke on condition of anonymity,") is stepped over. Titles in front of
a name are dropped from the speaker ("Iraqi Foreign Minister Fuad Hussein" -> "Fuad Hussein"), but an
organisation keeps its whole name ("General Motors", "the Mayor's office" -> "Mayor's office"). A surname
alone ("Brandt added", "Mr Brandt said") is the full name written earlier in the article ("Aksel
Brandt") when exactly one such name precedes it; two different Brandts leave the surname as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from claims.suggest.spans import Index, Sentence, sentence_at, words

_VERBS = words(
    """said says say told tells added adds acknowledged acknowledges confirmed confirms announced announces
    claimed reported stated noted declared declares denied denies insisted insists warned warns wrote
    writes affirmed stressed emphasized emphasised asserted admitted conceded revealed explained argued
    cited quoted"""
)
TRIGGERS = _VERBS | {"according"}
_BY_RE = re.compile(r"\s+by\b")
_TO_RE = re.compile(r"\s+to\b")
_REPORT_OF_RE = re.compile(r"^(?:the|a)\s+reports?\s+(?:of|by|from|in)\s+", re.I)
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9][\w'’-]*|[^\w\s]")

_ROLES = words(
    """official officials minister ministry spokesman spokeswoman spokesperson spokespeople president
    leader leaders government department office agency source sources diplomat diplomats commander
    general ambassador envoy analyst analysts expert experts military army police authorities
    administration media outlet outlets secretary chief director head representative representatives
    lawmaker lawmakers senator committee commission council parliament embassy officer officers insider
    insiders witness witnesses resident residents observer observers group organization organisation
    company report reporters journalists newspaper broadcaster agency network channel press news prime
    foreign defense defence state deputy senior top former unnamed anonymous local regional federal
    national security intelligence interior affairs coalition forces spokesmen aide aides adviser
    advisers advisor advisors staff"""
)
# "that" is left out: before a name it is nearly always the conjunction ("announced that Hussein said").
_DETERMINERS = words("the a an this these those its his her their our some multiple several many")
_PRONOUNS = words("he she they it we i")
# Words between the speaker and the verb ("Hussein later said", "officials have told").
_SKIP = words(
    """also later previously reportedly has have had then earlier again recently further separately
    publicly officially initially first now subsequently repeatedly once allegedly loudly quickly openly
    privately already still"""
)
# A clause between commas that can sit between a speaker and its verb.
_APPOSITION_STARTERS = words("who whose which however meanwhile quoting citing speaking the a an")
_SENTENCE_ADVERBS = words(
    """however meanwhile currently then also but and so still now later earlier yesterday today separately
    instead indeed moreover furthermore additionally when while although though"""
)
_TITLES = words(
    """minister secretary president spokesman spokeswoman spokesperson ambassador envoy general gen lt
    colonel col commander chief director senator sen rep representative premier chancellor king prince
    sheikh mr mrs ms dr prof adviser advisor mayor governor judge speaker"""
)
_TITLE_OBJECTS = words(
    """of state defense defence homeland security foreign affairs interior treasury health justice energy
    war"""
)
_FUNCTION_WORDS = words(
    """that which who whom whose it is are was were be been has have had to and or but not also of for in
    on at by as with from than then there here this these those the a an its his her their our we they
    he she i you will would could should may might can do does did so if when while after before"""
)
_SOURCE_STOPS = words(
    """cited quoted that which who whom in on at as to with from for after before when while is are was
    were has have had by"""
)
# Last words of an organisation's name: a title word inside it ("General Motors") is not a person's title.
_ORGANISATION_WORDS = words(
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
_CHANNEL_WORDS = words("multiple several local state news outlets outlet media reporters journalists press")


class Token(NamedTuple):
    text: str
    start: int
    end: int
    low: str


@dataclass(frozen=True)
class RawAttribution:
    start: int
    end: int
    speaker: str | None
    channel: str | None


def _tokens(text: str, start: int, end: int) -> list[Token]:
    matches = list(_TOKEN_RE.finditer(text, start, end))
    texts = [m.group() for m in matches]
    starts, ends = [m.start() for m in matches], [m.end() for m in matches]
    # Built in bulk with tuple.__new__: the generated NamedTuple constructor costs twice as much per token.
    columns = zip(texts, starts, ends, [t.lower() for t in texts], strict=True)
    return list(map(tuple.__new__, [Token] * len(texts), columns))


def _is_name(tok: Token) -> bool:
    t = tok.text
    return t[0].isupper() or bool(re.match(r"(?:al|el|bin|ibn|de|van|von)-[A-Z]", t))


def _np_word(tok: Token) -> bool:
    return _is_name(tok) or tok.low in _ROLES


def _speaker_before(tokens: list[Token], i: int) -> tuple[int, int, str | None] | None:
    """Noun phrase ending just before token index ``i``: (first index, last index, quoting speaker)."""
    i -= 1
    while i >= 0 and tokens[i].low in _SKIP:
        i -= 1
    quoted: str | None = None
    if i >= 0 and tokens[i].text == ",":
        j = i - 1
        while j >= 0 and tokens[j].text != ",":
            j -= 1
        clause = tokens[j + 1 : i]
        if j < 0 or not clause or clause[0].low not in _APPOSITION_STARTERS or len(clause) > 25:
            return None
        if clause[0].low in ("quoting", "citing"):
            quoted = " ".join(t.text for t in clause[1:])
        i = j - 1
    if i < 0:
        return None
    if tokens[i].low in _PRONOUNS:
        return i, i, None
    k, lowercase = i, 0
    while k >= 0:
        tok = tokens[k]
        if (
            _np_word(tok)
            or (tok.text == "." and k > 0 and tokens[k - 1].low in _TITLES)
            or (tok.low in ("of", "for", "and") and k > 0 and _np_word(tokens[k - 1]))
        ):
            k -= 1
        elif tok.low in _DETERMINERS:
            if k > 0 and tokens[k - 1].low in ("of", "for"):
                k -= 1
                continue
            k -= 1
            break
        elif lowercase < 2 and _plain_word(tok) and _determiner_within(tokens, k - 1, 2 - lowercase):
            # "the health ministry", "the mayor": ordinary nouns count once a determiner opens the phrase.
            lowercase += 1
            k -= 1
        else:
            break
    first = k + 1
    while first <= i and tokens[first].low in _SENTENCE_ADVERBS | {"of", "for", "and"}:
        first += 1
    last = tokens[i]
    if first > i:
        return None
    opened = tokens[first].low in _DETERMINERS and i - first <= 4
    if not (_np_word(last) or (opened and _plain_word(last))):
        return None
    return first, i, quoted


def _plain_word(tok: Token) -> bool:
    return tok.text.isalpha() and tok.text.islower() and tok.low not in _FUNCTION_WORDS


def _determiner_within(tokens: list[Token], k: int, n: int) -> bool:
    for j in range(k, max(-1, k - n), -1):
        if tokens[j].low in _DETERMINERS:
            return True
        if not _plain_word(tokens[j]):
            return False
    return False


def _according_np(tokens: list[Token]) -> int:
    """End index of the source named after "according to" ("the health ministry", "Reuters")."""
    k = 0
    while k < min(len(tokens), 10) and tokens[k].text[0].isalnum() and tokens[k].low not in _SOURCE_STOPS:
        k += 1
    while k > 0 and not (_np_word(tokens[k - 1]) or _plain_word(tokens[k - 1])):
        k -= 1
    return k


def _forward_np(tokens: list[Token], i: int, channel: bool) -> int:
    """Index one past the noun phrase starting at ``i`` (== i when there is none)."""
    k = i
    while k < len(tokens):
        tok = tokens[k]
        if (
            _is_name(tok)
            or (channel and tok.low in _CHANNEL_WORDS)
            or (not channel and tok.low in _ROLES)
            or (tok.low in _DETERMINERS and k == i)
            or (tok.low in ("of", "and", "the") and k > i and k + 1 < len(tokens) and _is_name(tokens[k + 1]))
        ):
            k += 1
        else:
            break
    while k > i and tokens[k - 1].low in _DETERMINERS:
        k -= 1
    return k


def _inverted(tokens: list[Token], vi: int, after: int) -> int | None:
    """'"...," said Defense Minister Ali Hassan': the speaker follows the verb after a quote or comma."""
    if vi == 0 or tokens[vi - 1].text not in (",", "”", '"', "’", "'"):
        return None
    stop = _forward_np(tokens, after, channel=False)
    return stop if stop > after else None


def _phrase(text: str, tokens: list[Token], first: int, last: int) -> str:
    return text[tokens[first].start : tokens[last].end]


def speaker_name(phrase: str, sentence_initial: bool = False) -> str:
    """Normalise a speaker phrase: drop a leading "the", keep the name after a title."""
    words = phrase.split()
    if words and words[0].lower() in ("the", "this", "that", "these", "those"):
        words = words[1:]
    elif words and words[0] in ("A", "An"):
        words[0] = words[0].lower()
    if words and re.sub(r"[’'`]s$", "", words[-1].lower()) in _ORGANISATION_WORDS | _ROLES:
        return " ".join(words)  # "General Motors", "Mayor's office": the whole name is the speaker
    last_title = max((n for n, w in enumerate(words) if w.lower().rstrip(".") in _TITLES), default=-1)
    if last_title >= 0:
        rest = words[last_title + 1 :]
        while rest and rest[0].lower() in _TITLE_OBJECTS:
            rest = rest[1:]
        if rest and all(w[0].isupper() or re.match(r"(?:al|el|bin|ibn|de|van|von)-", w) for w in rest):
            return " ".join(rest)
    return " ".join(words)


def full_name(text: str, pos: int, speaker: str, cache: dict[str, list[tuple[int, str]]] | None = None) -> str:
    """The full name an article gave earlier for a speaker written as a surname alone, else ``speaker``."""
    if " " in speaker or not speaker[:1].isupper() or speaker.lower() in _ROLES:
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


def _channel(text: str, tokens: list[Token], i: int) -> tuple[str | None, int]:
    j = _forward_np(tokens, i, channel=True)
    if j == i:
        return None, i
    phrase = _phrase(text, tokens, i, j - 1)
    # Mid-sentence "The" is part of a name ("The Associated Press"); lowercase "the" is not.
    return re.sub(r"^the\s+", "", phrase), j


def find_attributions(index: Index, sents: list[Sentence]) -> Iterator[RawAttribution]:
    masked = index.text
    cache: dict[int, list[Token]] = {}

    def sentence_tokens(sent: Sentence) -> list[Token]:
        if sent.start not in cache:
            cache[sent.start] = _tokens(masked, sent.start, sent.end)
        return cache[sent.start]

    last_speaker: str | None = None
    found: list[RawAttribution] = []
    names: dict[str, list[tuple[int, str]]] = {}
    for vs, ve in index.positions(_VERBS):
        word = masked[vs:ve]
        if not word.islower():
            continue
        by = _BY_RE.match(masked, ve) if word in ("cited", "quoted") else None
        if word in ("cited", "quoted") and by is None:
            continue
        sent = sentence_at(sents, vs)
        if sent is None:
            continue
        tokens = sentence_tokens(sent)
        vi = next(n for n, t in enumerate(tokens) if t.start >= vs)
        after = vi + (2 if by else 1)
        got = _speaker_before(tokens, vi)
        if got is None:
            stop = _inverted(tokens, vi, after)
            if stop is None:
                continue
            last_speaker = full_name(masked, vs, speaker_name(_phrase(masked, tokens, after, stop - 1)), names)
            found.append(RawAttribution(vs, tokens[stop - 1].end, last_speaker, None))
            continue
        first, last, quoted = got
        phrase = _phrase(masked, tokens, first, last)
        channel: str | None = None
        end = ve
        if by or word in ("told", "tells"):
            channel, stop = _channel(masked, tokens, after)
            if by and channel is None:
                continue
            if channel:
                end = tokens[stop - 1].end
        if phrase.lower() in _PRONOUNS:
            speaker = last_speaker if phrase.lower() in ("he", "she") else None
        else:
            speaker = full_name(masked, tokens[first].start, speaker_name(phrase), names)
            if quoted:
                speaker, channel = speaker_name(quoted), speaker
            last_speaker = speaker
        found.append(RawAttribution(tokens[first].start, end, speaker, channel))
    for start, to_end in index.positions(frozenset(["according"])):
        to = _TO_RE.match(masked, to_end)
        sent = sentence_at(sents, start)
        if to is None or sent is None:
            continue
        tokens = _tokens(masked, to.end(), sent.end)
        stop = _according_np(tokens)
        if stop == 0:
            continue
        phrase = _REPORT_OF_RE.sub("", _phrase(masked, tokens, 0, stop - 1))
        end = tokens[stop - 1].end
        channel = None
        if (
            stop + 1 < len(tokens)
            and tokens[stop].low in ("cited", "quoted")
            and tokens[stop + 1].low == "by"
        ):
            channel, after = _channel(masked, tokens, stop + 2)
            if channel:
                end = tokens[after - 1].end
        found.append(RawAttribution(start, end, speaker_name(phrase), channel))
    yield from _drop_nested(found)


def _drop_nested(found: list[RawAttribution]) -> list[RawAttribution]:
    """ "according to officials cited by Reuters" also matches "officials cited by": keep the outer one."""
    out = []
    for a in found:
        if not any(
            b is not a and b.start <= a.start and a.end <= b.end and (b.end - b.start) > (a.end - a.start)
            for b in found
        ):
            out.append(a)
    return out
