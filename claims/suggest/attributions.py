"""Attribution candidates: who said something ("X said", "X told Y", "according to X cited by Y").

The speaker is the noun phrase right before the speech verb, read backwards over a token list: proper
names, role nouns ("official", "ministry"), determiners and a few connectors ("of", "al-"). An
apposition between them (", who spoke on condition of anonymity,") is stepped over. Titles in front of
a name are dropped from the speaker ("Iraqi Foreign Minister Fuad Hussein" -> "Fuad Hussein"), but an
organisation keeps its whole name ("General Motors", "the Mayor's office" -> "Mayor's office"). A surname
alone ("Brandt added", "Mr Brandt said") is the full name written earlier in the article ("Aksel
Brandt") when exactly one such name precedes it; two different Brandts leave the surname as written
(names: speakers.py).

Other shapes: a name in apposition is the speaker ("the county engineer, Ruth Adebayo, said"), an age
between commas is stepped over ("Edna Baker, 91, said"), a lone plural noun opening its clause speaks
("..., regulators said"), a document speaks only through "show" ("NHS figures show"), and tabloid verbs
that also name deeds ("slammed", "blasted") count only before a colon, comma, quote or "that". Passive
and deferred speakers ("This was stated by ...", "Those were the words of ...") are in deferred.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from claims.suggest import deferred
from claims.suggest.spans import Index, Sentence, sentence_at, words
from claims.suggest.speakers import FUNCTION_WORDS as _FUNCTION_WORDS
from claims.suggest.speakers import ROLES as _ROLES
from claims.suggest.speakers import TITLES as _TITLES
from claims.suggest.speakers import apposed_role, full_name, person_opening, speaker_name, speaker_role

_VERBS = words(
    """said says say told tells added adds acknowledged acknowledges confirmed confirms announced announces
    claimed reported stated noted declared declares denied denies insisted insists warned warns wrote
    writes affirmed stressed emphasized emphasised asserted admitted conceded revealed explained argued
    cited quoted fumed raved blasted slammed vowed urged tweeted joked boasted show shows showed found finds
    reveal reveals"""
)
# Tabloid verbs that also describe a deed ("a drone slammed into a market"): speech only before a colon,
# a comma, a quote or "that".
_LOOSE_VERBS = words("fumed raved blasted slammed joked boasted")
_SPEECH_AFTER = re.compile(r"\s*(?:[:,\"“]|that\b)")
# "show" reports a document, not a person: "NHS figures show", "the club's accounts show".
_SHOW_VERBS = words("show shows showed found finds reveal reveals")
_DOCUMENTS = words(
    """figures data accounts records filings documents statistics report reports survey surveys poll polls
    study studies papers minutes estimates numbers analysis review audit inquiry investigation results census
    research"""
)
TRIGGERS = _VERBS | {"according"} | deferred.TRIGGERS
_BY_RE = re.compile(r"\s+by\b")
_TO_RE = re.compile(r"\s+to\b")
_REPORT_OF_RE = re.compile(r"^(?:the|a)\s+reports?\s+(?:of|by|from|in)\s+", re.I)
_PLAIN_RE = re.compile(r"[a-z]+(?:['’]s)?")
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9][\w'’-]*|[^\w\s]")

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
    instead indeed moreover furthermore additionally when while although though never not"""
)
_SOURCE_STOPS = words(
    """seen obtained published released reviewed cited quoted that which who whom in on at as to with from for
    after before when while is are was were has have had by"""
)
# Capitalised words that are not part of a person's name in an apposition ("In Brussels, The ...").
_NOT_NAMES = words("the a an in on at for and but however meanwhile i we he she it they this that")
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
    role: str = ""  # the speaker's role as the text gives it ("fire chief"), "" when it gives none


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
    return _is_name(tok) or tok.low in _ROLES or tok.low in _DOCUMENTS


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
        if j >= 0 and clause and _is_full_name(clause):
            # "the county engineer, Ruth Adebayo, said": the name in apposition is the speaker.
            return j + 1, i - 1, None
        if j >= 0 and len(clause) == 1 and clause[0].text.isdigit():
            clause = []  # "Gran Edna Baker, 91, said": an age between commas is stepped over
        elif j < 0 or not clause or clause[0].low not in _APPOSITION_STARTERS or len(clause) > 25:
            return None
        if clause and clause[0].low in ("quoting", "citing"):
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
        elif lowercase < 3 and _plain_word(tok) and _determiner_within(tokens, k - 1, 3 - lowercase):
            # "the health ministry", "the national weather service", "Dunford fire brigade": ordinary nouns
            # count once a determiner or a name opens the phrase.
            lowercase += 1
            k -= 1
        else:
            break
    first = k + 1
    while first <= i and tokens[first].low in _SENTENCE_ADVERBS | {"of", "for", "and"}:
        first += 1
    last = tokens[i]
    if first > i and _bare_plural(tokens, i):
        return i, i, None  # "regulators said", "Investigators said": a group named by a plural noun
    plural = last.low in _ROLES or _bare_plural(tokens, i, 5, opening=False)
    if first >= i and i > 0 and _plain_word(tokens[i - 1]) and plural and _bare_plural(tokens, i - 1, 0):
        first = i - 1  # "health officials told reporters", "Aid agencies say"
    if first > i:
        return None
    opened = (tokens[first].low in _DETERMINERS or _opening_name(tokens, first)) and i - first <= 4
    if not (_np_word(last) or (opened and _plain_word(last))):
        return None
    return first, i, quoted


def _is_full_name(clause: list[Token]) -> bool:
    """ "Ruth Adebayo", "Gen. Marta Ilves": two to five capitalised words (a dot only after a title)."""
    names = [t for t in clause if t.text != "."]
    return (
        2 <= len(names) <= 5
        and all(_is_name(t) and t.low not in _NOT_NAMES for t in names)
        and all(t.text != "." or (n > 0 and clause[n - 1].low in _TITLES) for n, t in enumerate(clause))
    )


def _bare_plural(tokens: list[Token], i: int, min_length: int = 5, opening: bool = True) -> bool:
    """A lone plural common noun that opens its clause: "..., regulators said", "Doctors said".

    With ``min_length`` 0 any word that opens its clause passes (a modifier: "health officials").
    """
    tok = tokens[i]
    opens = (
        not opening or i == 0 or tokens[i - 1].text in (",", ";", ":", "—", "–") or tokens[i - 1].low in ("and", "but")
    )
    if not min_length:
        return opens and tok.low not in _FUNCTION_WORDS
    return (
        opens
        and tok.text[1:].islower()
        and tok.low.endswith("s")
        and not tok.low.endswith("ss")
        and (len(tok.low) >= min_length and tok.low not in _FUNCTION_WORDS)
    )


def _opening_name(tokens: list[Token], j: int) -> bool:
    """A name that opens a clause and a phrase of common nouns after it: "Dunford fire brigade said"."""
    return _is_name(tokens[j]) and tokens[j].low not in _NOT_NAMES and (j == 0 or tokens[j - 1].text in ",;:")


def _plain_word(tok: Token) -> bool:
    # "the sport's governing body": a possessive common noun belongs to the phrase too.
    return bool(_PLAIN_RE.fullmatch(tok.text)) and tok.low not in _FUNCTION_WORDS


def _determiner_within(tokens: list[Token], k: int, n: int) -> bool:
    for j in range(k, max(-1, k - n), -1):
        if tokens[j].low in _DETERMINERS or _opening_name(tokens, j):
            return True
        if not _plain_word(tokens[j]):
            return False
    return False


def _according_np(tokens: list[Token]) -> int:
    """End index of the source named after "according to" ("the health ministry", "Reuters")."""
    k = 0
    while (
        k < min(len(tokens), 10)
        and tokens[k].text[0].isalnum()
        and (tokens[k].low not in _SOURCE_STOPS or _name_joint(tokens, k))
    ):
        k += 1
    while k > 0 and not (_np_word(tokens[k - 1]) or _plain_word(tokens[k - 1])):
        k -= 1
    return k


def _name_joint(tokens: list[Token], k: int) -> bool:
    """ "Institute for Fiscal Studies", "Organization for Migration": a joint inside a name."""
    return (
        tokens[k].low in ("for", "of")
        and 0 < k < len(tokens) - 1
        and _is_name(tokens[k - 1])
        and _is_name(tokens[k + 1])
    )


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


def _inverted(tokens: list[Token], vi: int, after: int) -> tuple[int, int] | None:
    """'"...," said Defense Minister Ali Hassan': the speaker follows the verb after a quote or comma.

    (first, stop) token indexes of the speaker's name; a name in apposition after a role is preferred
    ("said the chief negotiator, Omar Bel"), and "said one officer" is an unnamed officer.
    """
    if vi == 0 or tokens[vi - 1].text not in (",", "”", '"', "’", "'"):
        return None
    start = after + 1 if after < len(tokens) and tokens[after].low == "one" else after
    stop = _forward_np(tokens, start, channel=False)
    if stop == start:
        return None
    role_only = not any(_is_name(t) for t in tokens[start:stop])
    if role_only and stop < len(tokens) and tokens[stop].text == ",":
        k = stop + 1
        while k < len(tokens) and (_is_name(tokens[k]) or (tokens[k].text == "." and tokens[k - 1].low in _TITLES)):
            k += 1
        if k > stop + 1 and _is_full_name(tokens[stop + 1 : k]):
            return stop + 1, k
    return start, stop


def _phrase(text: str, tokens: list[Token], first: int, last: int) -> str:
    return text[tokens[first].start : tokens[last].end]


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
    last_at = -1
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
        if word in _SHOW_VERBS and not any(t.low in _DOCUMENTS for t in tokens[max(0, vi - 5) : vi]):
            continue  # "a study by Telna University found": a document speaks; "police found a car" does not
        if word in _LOOSE_VERBS and not _SPEECH_AFTER.match(masked, ve):
            continue
        got = _speaker_before(tokens, vi)
        if got is None:
            inverted = _inverted(tokens, vi, after)
            if inverted is None:
                continue
            first, stop = inverted
            phrase = _phrase(masked, tokens, first, stop - 1)
            last_speaker = full_name(masked, vs, speaker_name(phrase), names)
            last_at = vs
            role = speaker_role(phrase, speaker_name(phrase))
            found.append(RawAttribution(vs, tokens[stop - 1].end, last_speaker, None, role))
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
        role = ""
        if phrase.lower() in _PRONOUNS:
            speaker = last_speaker if phrase.lower() in ("he", "she") else None
            here = bisect_left(sents, sent.start, key=lambda s: s.start) if phrase.lower() in ("he", "she") else 0
            # "Mayor Ines Duarte toured the town. 'We will rebuild,' she said": the person the previous
            # sentence opens with, unless a speaker was named since.
            if here > 0 and last_at < sents[here - 1].start:
                named = person_opening(masked, sents[here - 1].start, sents[here - 1].end)
                speaker = full_name(masked, vs, named, names) if named else speaker
        else:
            speaker = full_name(masked, tokens[first].start, speaker_name(phrase), names)
            if quoted:
                speaker, channel = speaker_name(quoted), speaker
            else:
                before = masked[max(sent.start, tokens[first].start - 70) : tokens[first].start]
                role = speaker_role(phrase, speaker_name(phrase)) or apposed_role(masked[tokens[last].end : vs], before)
            last_speaker, last_at = speaker, vs
        found.append(RawAttribution(tokens[first].start, end, speaker, channel, role))
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
        if stop + 1 < len(tokens) and tokens[stop].low in ("cited", "quoted") and tokens[stop + 1].low == "by":
            channel, after = _channel(masked, tokens, stop + 2)
            if channel:
                end = tokens[after - 1].end
        found.append(
            RawAttribution(start, end, speaker_name(phrase), channel, speaker_role(phrase, speaker_name(phrase)))
        )
    for d in deferred.find_deferred(index, sents):
        speaker = full_name(masked, d.start, speaker_name(d.speaker), names)
        found.append(RawAttribution(d.start, d.end, speaker, None, d.role or speaker_role(d.speaker, speaker)))
    yield from _drop_nested(found)


def _drop_nested(found: list[RawAttribution]) -> list[RawAttribution]:
    """ "according to officials cited by Reuters" also matches "officials cited by": keep the outer one. A span is
    dropped when a longer one covers it (an identical span does not). One sweep by start, longest first: a long
    article's thousands of attributions were compared pair by pair (16 million comparisons at 4,000)."""
    order = sorted(range(len(found)), key=lambda k: (found[k].start, -found[k].end))
    nested: set[int] = set()
    reach = -1  # the furthest end of the spans that start before the current start
    i = 0
    while i < len(order):
        start, longest = found[order[i]].start, found[order[i]].end
        while i < len(order) and found[order[i]].start == start:
            span = found[order[i]]
            if reach >= span.end or longest > span.end:
                nested.add(order[i])
            i += 1
        reach = max(reach, longest)
    return [a for k, a in enumerate(found) if k not in nested]
