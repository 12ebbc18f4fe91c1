"""Re-anchor a claim in a changed article text: find where its quote now is, using the context it was saved with.

A claim keeps its `quote` and up to CONTEXT characters before (`prefix`) and after (`suffix`) it. When the article
gets a new version, `reanchor` looks for the quote in the new text — verbatim, or with its whitespace changed
(a line break where a space was, a doubled space) — and, when it occurs more than once, prefers the occurrence
whose surroundings look most like the saved context, then the one nearest to where the claim used to be.
A quote whose words are no longer in the text (a number that changed, a sentence that was cut) is not found:
the caller marks the claim orphaned rather than pinning it to something the article no longer says.

Pure: no Django, no I/O.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

__all__ = ["Span", "occurrences", "reanchor"]

Span = tuple[int, int]

# The cheap context score ranks every occurrence; only this many of the best get the finer (slower) comparison.
_REFINE = 32
_SPACE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text)


def occurrences(text: str, quote: str) -> list[Span]:
    """Every place `quote` occurs in `text`, verbatim (overlapping ones too) or with any whitespace run in it
    standing for any other non-empty whitespace run. Sorted by start, without repeats."""
    found: set[Span] = set()
    if quote:
        at = text.find(quote)
        while at != -1:
            found.add((at, at + len(quote)))
            at = text.find(quote, at + 1)
    words = quote.split()
    if words:
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        # A lookahead finds overlapping matches too ("a a" in "a a a"); the group gives each one's extent.
        for match in re.finditer(f"(?=({pattern.pattern}))", text):
            found.add((match.start(1), match.end(1)))
    return sorted(found)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def reanchor(new_text: str, *, start: int, end: int, quote: str, prefix: str, suffix: str) -> Span | None:
    """The (start, end) of the claim's quote in `new_text`, or None when the quote no longer occurs in it.

    `start`/`end` are the claim's offsets in the text it was anchored in; they only break ties between
    occurrences whose context matches equally well. The span returned may read differently from `quote` in
    whitespace only; the caller stores `new_text[start:end]` as the claim's quote.
    """
    spans = occurrences(new_text, quote)
    if not spans:
        return None
    if len(spans) == 1:
        return spans[0]
    want_before, want_after = _squash(prefix), _squash(suffix)
    # Look at a little more text than was saved: squashed whitespace makes the saved context shorter.
    before_chars, after_chars = len(prefix) + 40, len(suffix) + 40

    # An empty saved context means the quote stood at the very start (or end) of the text: then any text on
    # that side of an occurrence counts against it.
    keep_before, keep_after = len(want_before) or 20, len(want_after) or 20

    def context(span: Span) -> tuple[str, str]:
        s, e = span
        before = _squash(new_text[max(0, s - before_chars) : s])[-keep_before:]
        after = _squash(new_text[e : e + after_chars])[:keep_after]
        return before, after

    def cheap(span: Span) -> tuple[int, int, int]:
        before, after = context(span)
        adjacent = _common_suffix(want_before, before) + _common_prefix(want_after, after)
        exact = int(new_text[span[0] : span[1]] == quote)
        return adjacent, exact, -abs(span[0] - start)

    shortlist = sorted(spans, key=cheap, reverse=True)[:_REFINE]

    def fine(span: Span) -> tuple[float, int, int, int]:
        before, after = context(span)
        score = _similarity(want_before, before) + _similarity(want_after, after)
        adjacent, exact, nearness = cheap(span)
        return round(score, 6), adjacent, exact, nearness

    return max(shortlist, key=fine)
