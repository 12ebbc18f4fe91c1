"""claims.web.highlight: an article's paragraphs cut into plain and highlighted pieces (pure, no database)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.web.highlight import PARAGRAPH_BREAK, Piece, Span, _merge, _paragraph_bounds, paragraphs


def _paragraphs_by_definition(text: str, spans: list[Span]) -> list[list[Piece]]:
    """The rule spelled out: cut at every span end inside a paragraph; a piece carries every span that covers it."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = {0, len(text)} | {s.start for s in valid} | {s.end for s in valid}
    result = []
    for para_start, para_end in _paragraph_bounds(text):
        edges = [para_start, *sorted(c for c in cuts if para_start < c < para_end), para_end]
        pieces = [
            Piece(
                text[a:b],
                tuple(
                    s.claim_id for s in sorted(valid, key=lambda s: (s.start, s.claim_id)) if s.start <= a <= b <= s.end
                ),
            )
            for a, b in itertools.pairwise(edges)
        ]
        result.append(_merge(pieces))
    return result


def test_overlapping_claims_are_flattened_and_paragraphs_kept() -> None:
    text = f"About 2,400 dock workers struck.{PARAGRAPH_BREAK}The union said 2,500."
    spans = [Span(7, 0, 11), Span(3, 6, 24), Span(9, text.index("2,500"), text.index("2,500") + 5)]
    first, second = paragraphs(text, spans)
    assert [(p.text, p.claim_ids) for p in first] == [
        ("About ", (7,)),
        ("2,400", (7, 3)),
        (" dock workers", (3,)),
        (" struck.", ()),
    ]
    assert [(p.text, p.claim_ids) for p in second] == [("The union said ", ()), ("2,500", (9,)), (".", ())]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b ", "\n", "\n\n", "word. "]), max_size=30).map("".join),
    st.lists(st.tuples(st.integers(1, 9), st.integers(-2, 80), st.integers(0, 30)), max_size=12),
)
def test_the_sweep_cuts_as_the_rule_says(text: str, raw: list[tuple[int, int, int]]) -> None:
    spans = [Span(claim_id, start, start + length) for claim_id, start, length in raw]
    assert paragraphs(text, spans) == _paragraphs_by_definition(text, spans)


def test_a_long_article_with_many_suggestions_is_cut_once() -> None:
    """8,000 paragraphs and 1,000 spans: every piece is where the rule puts it, and the text is whole."""
    text = PARAGRAPH_BREAK.join(f"Berth {n} handled {n * 7} containers on Monday." for n in range(8000))
    spans = [Span(n, at, at + 12) for n, at in enumerate(range(0, len(text) - 12, len(text) // 1000))]
    cut = paragraphs(text, spans)
    assert PARAGRAPH_BREAK.join("".join(p.text for p in para) for para in cut) == text
    assert {i for para in cut for p in para for i in p.claim_ids} == {s.claim_id for s in spans}
