from __future__ import annotations

import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.suggest import Candidate, parse_number, suggest
from tests.suggest.helpers import PUBLISHED

TEXT = (
    "Talks resume on the future of foreign forces\n\n"
    "About 2,500 US troops remain in the country, Defence Minister Sara Nouri told Radio Example on Tuesday. "
    "The coalition, formed in 2014, could leave within 12 months, she added.\n"
    "The mission ends a decade after it began, according to officials cited by local media."
)


def test_candidates_are_sorted_unique_and_inside_the_text() -> None:
    found = suggest(TEXT, PUBLISHED)
    assert found == sorted(found, key=lambda c: (c.start, -c.end, c.kind))
    spans = [(c.start, c.end) for c in found]
    assert len(spans) == len(set(spans))
    assert all(0 <= c.start < c.end <= len(TEXT) for c in found)
    assert {c.kind for c in found} == {"quantity", "date", "duration", "attribution"}


def test_candidates_are_json_ready_and_frozen() -> None:
    for c in suggest(TEXT, PUBLISHED):
        json.dumps(dataclasses.asdict(c))
        assert c.qualifier in ("exact", "approx", "at_least", "at_most")
    c = suggest(TEXT, PUBLISHED)[0]
    try:
        c.start = 0  # type: ignore[misc]
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("Candidate must be frozen")


def test_candidate_fields_in_order() -> None:
    names = [f.name for f in dataclasses.fields(Candidate)]
    assert names == [
        "start", "end", "kind", "value", "unit", "qualifier", "subject", "attribute", "speaker", "channel", "after",
        "speaker_role",
    ]  # fmt: skip


def test_speaker_links_claims_in_the_same_sentence() -> None:
    speakers = {TEXT[c.start : c.end]: c.speaker for c in suggest(TEXT, PUBLISHED) if c.kind != "attribution"}
    assert speakers["About 2,500 US troops"] == "Sara Nouri"
    assert speakers["within 12 months"] == "Sara Nouri"  # "she added" in the next sentence
    assert speakers["a decade"] == "officials"


def test_empty_and_claimless_text() -> None:
    assert suggest("") == []
    assert suggest("Nothing to see here, just words without numbers or speakers.") == []
    assert parse_number("") is None


_PIECES = st.sampled_from(
    [
        "about 2,500 troops", "said", " told ", "Minister Ana Ruiz", "on Friday", "in 2014", "March 3",
        "several months", ", if not longer", "2-5-year", "according to", "cited by", "“", "”", '"', ".", ",",
        "\n", "+7 495 111", "04:59", "$4.4 bn", "a dozen", "between 9 and 10", "the two", "© 2023", "ago",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40), st.booleans())
def test_arbitrary_text_gives_valid_candidates(pieces: list[str], anchored: bool) -> None:
    text = " ".join(pieces)
    found = suggest(text, PUBLISHED if anchored else None)
    assert all(0 <= c.start < c.end <= len(text) for c in found)
    assert len({(c.start, c.end) for c in found}) == len(found)
    assert [c.start for c in found] == sorted(c.start for c in found)
    for c in found:
        json.dumps(dataclasses.asdict(c))
