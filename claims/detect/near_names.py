"""Existing names close to a new one: the editors' "did you mean…?" warning before a near-duplicate subject is made.

Pure (no Django): the editor page and the API read the existing names through a selector and ask here. The
warning is advisory; nothing is refused because a name is near another.

Two names are near when, after folding case, accents, spacing and punctuation (``norm_name``: "U.S." = "US"),
- their content words overlap: every word of the shorter name, with at least two words shared ("Kessling dock
  strike" ~ "Kessling dock workers on strike"), or most words of both ("Brexit" ~ "Brexit vote"). Words are
  compared by a light stem ("strike", "strikes", "striking" -> "strik"), and a word spelt slightly differently
  still counts ("Kesling" ~ "Kessling"); or
- their letters, spaces removed, are almost the same ("Al-Sudani" ~ "Alsudani"): a guard against typos, which
  on purpose also catches one letter apart in a short place name ("US troops in Iran" ~ "… in Iraq").
A single shared word among several is not enough ("Iraq" is not near "US troops in Iraq", nor "US troops in
Syria" near "US troops in Iraq").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from claims.detect.names import norm_name

# Words that carry no subject of their own: "workers on strike" and "workers strike" say the same thing.
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "over",
        "the",
        "to",
        "with",
        "against",
        "about",
        "after",
        "before",
        "during",
    ]
)
# A word spelt slightly differently is the same word at or above this ratio ("kessling"/"kesling" 0.93);
# different words of one length stay below ("iraq"/"iran" 0.75, "hussein"/"hassan" 0.62).
_WORD_RATIO = 0.85
# Whole names, spaces removed, at or above this ratio are near whatever their words.
_LETTERS_RATIO = 0.9
_MIN_LETTERS = 5
# Token overlap: all words of the shorter name (with two shared), or a Jaccard overlap this high with most words
# of the shorter one.
_MIN_SHARED_WHEN_CONTAINED = 2
_JACCARD = 0.5
_CONTAINMENT = 0.75


def stem(word: str) -> str:
    """A light English stem, enough to fold plurals, -ing/-ed and -er forms: strike/strikes/striking/strikers ->
    "strik", troop/troops -> "troop", stopped -> "stop", dockers -> "dock". Short words are kept as they are. It
    is deliberately crude; both names go through it, so it only has to be consistent."""
    if len(word) <= 3:
        return word
    for suffix, replacement in (("ies", "y"), ("sses", "ss"), ("es", "e"), ("s", "")):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            # "stopped" -> "stopp" -> "stop"; not for ll/ss/zz ("killed" -> "kill").
            if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    # The doer is the deed: "dockers"/"dock", "strikers"/"strike" (only on words long enough to have a stem).
    if word.endswith("er") and len(word) - 2 >= 4:
        word = word[:-2]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def words(name: str) -> list[str]:
    """The name's content words, folded and stemmed, in order, without repeats."""
    return _words(norm_name(name))


def _words(key: str) -> list[str]:
    seen: dict[str, None] = {}
    for token in key.split():
        if token not in _STOPWORDS:
            seen.setdefault(stem(token), None)
    return list(seen)


def _same_word(x: str, y: str) -> bool:
    if x == y:
        return True
    shorter, longer = sorted((len(x), len(y)))
    if shorter < 4 or x[0] != y[0] or 2 * shorter < _WORD_RATIO * (shorter + longer):
        return False
    return difflib.SequenceMatcher(None, x, y).ratio() >= _WORD_RATIO


def _shared(a: list[str], b: list[str]) -> int:
    """How many words of `a` match a distinct word of `b` (exact matches first, then near spellings)."""
    unused = list(b)
    rest = []
    count = 0
    for word in a:
        if word in unused:
            unused.remove(word)
            count += 1
        else:
            rest.append(word)
    for word in rest:
        hit = next((u for u in unused if _same_word(word, u)), None)
        if hit is not None:
            unused.remove(hit)
            count += 1
    return count


@dataclass(frozen=True)
class _Prepared:
    key: str
    letters: str
    words: list[str]


def _prepare(name: str) -> _Prepared:
    key = norm_name(name)
    return _Prepared(key, key.replace(" ", ""), _words(key))


def _word_score(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    shared = _shared(a, b) if len(a) <= len(b) else _shared(b, a)
    if shared == 0:
        return 0.0
    containment = shared / min(len(a), len(b))
    jaccard = shared / (len(a) + len(b) - shared)
    if containment == 1.0 and shared >= _MIN_SHARED_WHEN_CONTAINED:
        return 0.6 + 0.35 * jaccard
    if jaccard >= _JACCARD and containment >= _CONTAINMENT:
        return 0.5 + 0.35 * jaccard
    return 0.0


def _letters_score(a: str, b: str) -> float:
    shorter, longer = sorted((len(a), len(b)))
    # The ratio is at most 2*shorter/(shorter+longer): most names are ruled out by length alone, cheaply.
    if shorter < _MIN_LETTERS or 2 * shorter < _LETTERS_RATIO * (shorter + longer):
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < _LETTERS_RATIO or matcher.quick_ratio() < _LETTERS_RATIO:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= _LETTERS_RATIO else 0.0


def nearness(name: str, other: str) -> float:
    """0 when the names are not near; else a score in (0, 1], 1 for the same folded name."""
    return _nearness(_prepare(name), _prepare(other))


def _nearness(a: _Prepared, b: _Prepared) -> float:
    if not a.key or not b.key:
        return 0.0
    if a.key == b.key or (a.letters and a.letters == b.letters):
        return 1.0
    return max(_word_score(a.words, b.words), _letters_score(a.letters, b.letters))


def near_names(name: str, existing_names: Iterable[str], limit: int = 5) -> list[str]:
    """The existing names near `name`, nearest first (ties by name), at most `limit`, each once.

    A name that folds to the same key as `name` ("US troops" for "u.s. troops") comes first: it is the one the
    services would reuse. An empty or punctuation-only `name` is near nothing."""
    wanted = _prepare(name)
    if not wanted.key or limit <= 0:
        return []
    seen: set[str] = set()
    scored: dict[str, float] = {}
    for existing in existing_names:
        if existing in seen:
            continue
        seen.add(existing)
        score = _nearness(wanted, _prepare(existing))
        if score > 0:
            scored[existing] = score
    ranked = sorted(scored.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))
    return [existing for existing, _ in ranked[:limit]]
