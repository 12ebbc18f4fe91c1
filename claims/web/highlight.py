"""Split an article's text into paragraphs of plain and highlighted pieces. Pure: no Django, no I/O.

The template prints every piece as escaped text; nothing here produces markup, so article content can never become
HTML. Overlapping claims are flattened: each piece knows every claim covering it and links to the first.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Span:
    claim_id: int
    start: int
    end: int


@dataclass(frozen=True)
class Piece:
    text: str
    claim_ids: tuple[int, ...] = ()

    @property
    def claim_id(self) -> int | None:
        return self.claim_ids[0] if self.claim_ids else None


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    at = 0
    while at <= len(text):
        stop = text.find(PARAGRAPH_BREAK, at)
        if stop < 0:
            stop = len(text)
        if text[at:stop].strip():
            bounds.append((at, stop))
        at = stop + len(PARAGRAPH_BREAK)
    return bounds


def paragraphs(text: str, spans: Iterable[Span]) -> list[list[Piece]]:
    """The text's paragraphs (split on blank lines), each a list of pieces; pieces inside a span carry its id, the
    covering claims in order of their start (then id). One sweep over the cuts: a long article with hundreds of
    suggestions was compared cut by cut against every paragraph and span (quadratic)."""
    valid = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=lambda s: (s.start, s.claim_id))
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    result = []
    covering: list[Span] = []  # the spans over the current piece, in order
    waiting = 0  # valid[waiting:] start later
    for para_start, para_end in _paragraph_bounds(text):
        inner = cuts[bisect.bisect_right(cuts, para_start) : bisect.bisect_left(cuts, para_end)]
        pieces = []
        for a, b in itertools.pairwise([para_start, *inner, para_end]):
            # Every span's ends are cuts, so a span over `a` covers the whole piece.
            while waiting < len(valid) and valid[waiting].start <= a:
                covering.append(valid[waiting])
                waiting += 1
            covering = [s for s in covering if s.end > a]
            pieces.append(Piece(text[a:b], tuple(s.claim_id for s in covering)))
        result.append(_merge(pieces))
    return result


def _merge(pieces: Sequence[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].claim_ids == piece.claim_ids:
            merged[-1] = Piece(merged[-1].text + piece.text, piece.claim_ids)
        else:
            merged.append(piece)
    return merged


def paragraph_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, quote, after) within the paragraph holding the span text[start:end]."""
    para_start = text.rfind(PARAGRAPH_BREAK, 0, start)
    para_start = 0 if para_start < 0 else para_start + len(PARAGRAPH_BREAK)
    para_end = text.find(PARAGRAPH_BREAK, end)
    para_end = len(text) if para_end < 0 else para_end
    return text[para_start:start], text[start:end], text[end:para_end]
