"""Re-anchoring a claim's quote in a changed text (claims.ingest.anchor): pure, with property tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hypothesis import assume, given
from hypothesis import strategies as st

from claims.ingest.anchor import occurrences, reanchor

CONTEXT = 80

OLD = (
    "Ferry operators said 1,150 crossings were cancelled on Monday.\n\n"
    "The harbour master said 1,150 crossings is the highest figure since the storm of 2016.\n\n"
    "Repairs to the northern pier could take several weeks, engineers said."
)


@dataclass(frozen=True)
class Saved:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def _claim(text: str, quote: str, occurrence: int = 0) -> Saved:
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    start = starts[occurrence]
    end = start + len(quote)
    return Saved(start, end, quote, text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT])


def _find(new: str, claim: Saved) -> tuple[int, int] | None:
    return reanchor(new, start=claim.start, end=claim.end, quote=claim.quote, prefix=claim.prefix, suffix=claim.suffix)


def _found(new: str, claim: Saved) -> tuple[int, int]:
    span = _find(new, claim)
    assert span is not None, f"{claim.quote!r} was not found"
    return span


def test_unchanged_text_gives_the_same_span() -> None:
    claim = _claim(OLD, "1,150 crossings", occurrence=1)
    assert _find(OLD, claim) == (claim.start, claim.end)


def test_text_inserted_before_shifts_the_span() -> None:
    claim = _claim(OLD, "several weeks")
    new = "UPDATE: services resume on Thursday.\n\n" + OLD
    start, end = _found(new, claim)
    assert new[start:end] == "several weeks"
    assert start == claim.start + len("UPDATE: services resume on Thursday.\n\n")


def test_repeated_quote_is_told_apart_by_its_context() -> None:
    first = _claim(OLD, "1,150 crossings", occurrence=0)
    second = _claim(OLD, "1,150 crossings", occurrence=1)
    # The paragraphs swap places: each claim must follow its own sentence, not the nearest offset.
    paragraphs = OLD.split("\n\n")
    new = "\n\n".join([paragraphs[1], paragraphs[0], paragraphs[2]])
    s1, _ = _found(new, first)
    s2, _ = _found(new, second)
    assert new[:s1].endswith("Ferry operators said ")
    assert new[:s2].endswith("The harbour master said ")


def test_context_beats_nearness_when_a_sentence_is_edited_around_it() -> None:
    quote = "the northern pier"
    claim = _claim(OLD, quote)
    # A new sentence with the same words appears right where the old one was; the old one moves down.
    new = OLD.replace(
        "Repairs to the northern pier", "Ships avoided the northern pier all week.\n\nRepairs to the northern pier"
    )
    start, end = _found(new, claim)
    assert new[start - len("Repairs to ") : end] == "Repairs to the northern pier"


def test_changed_whitespace_is_tolerated_and_the_new_span_reads_the_same_words() -> None:
    claim = _claim(OLD, "highest figure since the storm")
    new = OLD.replace("highest figure since", "highest\nfigure  since")
    start, end = _found(new, claim)
    assert new[start:end] == "highest\nfigure  since the storm"


def test_a_changed_number_orphans_the_claim() -> None:
    claim = _claim(OLD, "1,150 crossings were cancelled")
    assert _find(OLD.replace("1,150 crossings were", "1,250 crossings were"), claim) is None


def test_a_deleted_sentence_orphans_the_claim() -> None:
    claim = _claim(OLD, "could take several weeks")
    new = OLD.split("\n\nRepairs")[0]
    assert _find(new, claim) is None


def test_quote_at_the_very_start_prefers_the_start() -> None:
    text = "Storm closes port. Officials said the storm closes port traffic for days. Storm closes port."
    quote = "Storm closes port."
    claim = _claim(text, quote, occurrence=0)
    assert claim.prefix == ""
    assert _find(text, claim) == (0, len(quote))
    last = _claim(text, quote, occurrence=1)
    assert _find(text, last) == (last.start, last.end)


def test_occurrences_finds_overlapping_and_whitespace_variants() -> None:
    assert occurrences("a a a", "a a") == [(0, 3), (2, 5)]
    assert occurrences("x  y\nx y", "x y") == [(0, 4), (5, 8)]
    assert occurrences("nothing here", "absent") == []


# ---------------------------------------------------------------------------------------------- properties

words = st.text(alphabet="abcde,.0123", min_size=1, max_size=6)
texts = st.lists(words, min_size=1, max_size=60).map(" ".join)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@given(texts, st.data())
def test_property_unchanged_text_gives_back_the_same_span(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    span = reanchor(
        text,
        start=start,
        end=end,
        quote=quote,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )
    assert span is not None
    # The same place, or (only when the quote is whitespace-trimmed by the tolerant match) the same words.
    assert span == (start, end) or text[span[0] : span[1]] == quote


@given(texts, st.data(), st.lists(st.sampled_from([" ", "  ", "\n", "\n\n", "\t "]), min_size=200, max_size=200))
def test_property_rewhitespaced_text_still_finds_the_same_words(
    text: str, data: st.DataObject, spaces: list[str]
) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(quote.strip() == quote and quote.strip())
    pieces = text.split(" ")
    new = pieces[0] + "".join(space + piece for space, piece in zip(spaces, pieces[1:], strict=False))
    span = reanchor(
        new,
        start=start,
        end=end,
        quote=quote,
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
    )
    assert span is not None
    assert _squash(new[span[0] : span[1]]) == _squash(quote)


@given(texts, texts, st.data())
def test_property_a_found_span_always_reads_the_quote(old: str, new: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(old) - 1))
    end = data.draw(st.integers(start + 1, len(old)))
    quote = old[start:end]
    span = reanchor(
        new,
        start=start,
        end=end,
        quote=quote,
        prefix=old[max(0, start - CONTEXT) : start],
        suffix=old[end : end + CONTEXT],
    )
    if span is None:
        assert quote not in new
        assert not quote.split() or _squash(" ".join(quote.split())) not in _squash(new)
    else:
        assert new[span[0] : span[1]] == quote or _squash(new[span[0] : span[1]]) == _squash(quote.strip())


@given(texts, texts, st.data())
def test_property_text_added_before_and_after_keeps_a_unique_quote(
    before: str, after: str, data: st.DataObject
) -> None:
    body = "Zq7 unique marker sentence Zq7."
    old = "intro. " + body + " outro."
    quote = "unique marker sentence"
    start = old.index(quote)
    new = before + "\n" + old + "\n" + after
    span = reanchor(
        new, start=start, end=start + len(quote), quote=quote, prefix=old[:start], suffix=old[start + len(quote) :]
    )
    assert span == (new.index(quote), new.index(quote) + len(quote))
