"""Text plumbing shared by the extractors: junk masking, sentences, tokens.

Every extractor works on a *masked* copy of the text that has exactly the same length, so offsets found
in it are offsets into the original. Junk (URLs, phone numbers, clock times, page furniture lines...)
is overwritten with NUL characters, which no extractor pattern matches and which count as non-word
characters for ``\\b``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

MASK = "\x00"


def words(text: str) -> frozenset[str]:
    """A word set written as one string: easier to read and edit than a list literal."""
    return frozenset(text.split())


_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_COPYRIGHT_RE = re.compile(r"(?:©|\(c\)|\bcopyright)\s*\d{4}(?:\s*[-–]\s*\d{4})?", re.I)
# Tried only where a digit run starts (or one character before it, for "+" and "("), which keeps the
# scan cheap: phone numbers, clock times and temperatures.
_DIGIT_JUNK_RE = re.compile(
    r"\+\d[\d\s().-]{6,}\d|\(\d{3}\)\s?\d{3}[-.\s]\d{4}|\d{3}[-.]\d{3}[-.]\d{4}(?!\d)"
    r"|\d{1,2}:\d{2}(?::\d{2})?(?i:\s?[ap]\.?m\.?|\s?(?:GMT|UTC|[ECMP][SD]?T))?(?!\w)"
    r"|\d{1,2}\s?(?i:[ap]\.m\.|[ap]m\b)"
    r"|\d+(?:\.\d+)?\s?°\s?[CF]?|\d+(?:\.\d+)?\s?[CF](?![\w-])"
)
_DIGIT_RUN_RE = re.compile(r"\d+")
# Letters right after digits are a scale ("4.4bn", "$5m", "£2million"), not an identifier.
_SCALE_SUFFIX_RE = re.compile(r"(?:bn|mn|tn|m|k|million|billion|trillion)(?!\w)")
_ALPHA_WORD = re.compile(r"[A-Za-z]{2,}")
# A line with fewer alphabetic words than this is navigation, a byline, a timestamp or a listing
# entry ("12 months ago"), never a sentence worth suggesting claims from.
MIN_PROSE_WORDS = 4

_ABBREVIATIONS = words(
    """mr mrs ms dr prof gen lt col maj capt sgt adm gov sen rep st jr sr no vs etc inc corp co ltd jan feb
    mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.g i.e approx est"""
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n")
_LAST_TOKEN = re.compile(r"([\w.]+)\.$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def mask_junk(text: str) -> str:
    """Return ``text`` with junk spans and non-prose lines overwritten by ``MASK`` (same length).

    Junk: URLs, e-mail addresses, phone numbers, clock times, temperatures, copyright years, and digits
    glued to letters or underscores (identifiers, image sizes "1920x0" / "_80_0_0", ordinals "1st").
    """
    spans: list[tuple[int, int]] = []
    if "://" in text or "www." in text:
        spans += [m.span() for m in _URL_RE.finditer(text)]
    if "@" in text:
        spans += [m.span() for m in _EMAIL_RE.finditer(text)]
    if "©" in text or "(c)" in text or "(C)" in text or "opyright" in text:
        spans += [m.span() for m in _COPYRIGHT_RE.finditer(text)]
    done = -1
    for m in _DIGIT_RUN_RE.finditer(text):
        s, e = m.span()
        if s < done:
            continue
        junk = None
        if s > 0 and text[s - 1] in "+(":
            junk = _DIGIT_JUNK_RE.match(text, s - 1)
        junk = junk or _DIGIT_JUNK_RE.match(text, s)
        if junk:
            spans.append(junk.span())
            done = junk.end()
            continue
        glued_left = s > 0 and (text[s - 1].isalpha() or text[s - 1] == "_")
        glued_right = e < len(text) and (text[e].isalpha() or text[e] == "_")
        if glued_left or (glued_right and not _SCALE_SUFFIX_RE.match(text, e)):
            ws, we = s, e
            while ws > 0 and (text[ws - 1].isalnum() or text[ws - 1] == "_"):
                ws -= 1
            while we < len(text) and (text[we].isalnum() or text[we] == "_"):
                we += 1
            spans.append((ws, we))
            done = we
    for start, end in iter_lines(text):
        if len(_ALPHA_WORD.findall(text, start, end)) < MIN_PROSE_WORDS:
            spans.append((start, end))
    if not spans:
        return text
    spans.sort()
    out: list[str] = []
    pos = 0
    for s, e in spans:
        if e <= pos:
            continue
        s = max(s, pos)
        out.append(text[pos:s])
        out.append(MASK * (e - s))
        pos = e
    out.append(text[pos:])
    return "".join(out)


def iter_lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def sentences(text: str) -> list[Sentence]:
    """Split into sentences, keeping abbreviations ("U.S.", "Oct.") and open quotations together."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if m.group() != "\n":
            last = _LAST_TOKEN.search(text, max(start, m.start() - 12), m.start() + 1)
            if last and _is_abbreviation(last.group(1)):
                continue
            if _quote_open(text, start, m.start()):
                continue
        if text[start:end].strip():
            out.append(Sentence(start, end))
        start = end
    if text[start:].strip():
        out.append(Sentence(start, len(text)))
    return out


def _is_abbreviation(token: str) -> bool:
    low = token.lower()
    # Single initials ("Abu M. al-Muhandis") and dotted acronyms ("U.S") never end a sentence here.
    return low in _ABBREVIATIONS or len(low) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", low))


def _quote_open(text: str, start: int, end: int) -> bool:
    chunk = text[start:end]
    if chunk.count("“") > chunk.count("”"):
        return True
    return chunk.count('"') % 2 == 1


def sentence_at(sents: list[Sentence], pos: int) -> Sentence | None:
    lo, hi = 0, len(sents) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s = sents[mid]
        if pos < s.start:
            hi = mid - 1
        elif pos >= s.end:
            lo = mid + 1
        else:
            return s
    return None


class Occupied:
    """Spans already claimed by a higher-priority extractor; a number is read only once.

    Callers add only spans that do not overlap one already held, so the spans stay disjoint and one
    neighbour tells whether a new span overlaps.
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end)
        # Disjoint spans sorted by start are sorted by end too: only the last one starting before
        # ``end`` can reach past ``start``.
        return i > 0 and self._ends[i - 1] > start


_WORD_TOKEN = re.compile(r"[A-Za-z]+|\d+|[$€£]")


class Index:
    """Positions of every word and digit run in the masked text, built once per call.

    Python's regex engine tries every alternative of a pattern at every position; with a dozen patterns
    that dominates the run time. Extractors instead look up the few words that can start or anchor
    their expression ("troops" never can, "July" or "2014" can) and run their pattern only around them.
    ``vocabulary`` is every word an extractor will ask ``positions`` for.
    """

    def __init__(self, masked: str, vocabulary: frozenset[str]) -> None:
        self.text = masked
        matches = list(_WORD_TOKEN.finditer(masked))
        self.starts = [m.start() for m in matches]
        self.lowered = [m.group().lower() for m in matches]  # parallel to ``starts``
        self.digits = [m.span() for m in _DIGIT_RUN_RE.finditer(masked)]
        self.years = [(s, e) for s, e in self.digits if e - s == 4]
        self.words: dict[str, list[tuple[int, int]]] = {}
        for n in [n for n, low in enumerate(self.lowered) if low in vocabulary]:
            low, start = self.lowered[n], self.starts[n]
            self.words.setdefault(low, []).append((start, start + len(low)))

    def positions(
        self, words: frozenset[str] | set[str], digits: bool = False, years: bool = False
    ) -> list[tuple[int, int]]:
        """Spans of the given words, plus every digit run (``digits``) or four-digit run (``years``)."""
        out: list[tuple[int, int]] = []
        for w in words:
            out.extend(self.words.get(w, ()))
        if digits:
            out.extend(self.digits)
        elif years:
            out.extend(self.years)
        out.sort()
        return out

    def scan(
        self, pattern: re.Pattern[str], triggers: list[tuple[int, int]], before: int, first: frozenset[str]
    ) -> list[re.Match[str]]:
        """Matches of ``pattern`` that cover a trigger, in text order, each span once.

        Every expression starts at a token, so the pattern is tried anchored at the token starts up to
        ``before`` characters ahead of the trigger, leftmost first, and only at tokens that can open it
        (``first``, lowercased; "#" for a digit run) or at the trigger itself.
        """
        found: list[re.Match[str]] = []
        tried: dict[int, re.Match[str] | None] = {}
        text, starts, lowered = self.text, self.starts, self.lowered
        digit_first = "#" in first
        last = (-1, -1)
        for s, e in triggers:
            if last[0] <= s and e <= last[1]:
                continue
            lo = bisect_left(starts, s - before)
            hi = bisect_right(starts, s)
            for n in range(lo, hi):
                p = starts[n]
                low = lowered[n]
                if p < last[1] or (p != s and low not in first and not (digit_first and low[0].isdigit())):
                    continue
                # Neighbouring triggers ("2" and "500" of "2,500") try the same starts: match each once.
                if p in tried:
                    m = tried[p]
                else:
                    m = tried[p] = pattern.match(text, p)
                if m and m.start() <= s and e <= m.end():
                    found.append(m)
                    last = m.span()
                    break
        return found
