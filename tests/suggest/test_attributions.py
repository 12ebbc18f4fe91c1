from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.suggest.attributions import RawAttribution, _drop_nested
from tests.suggest.helpers import of_kind, one, quoted


@pytest.mark.parametrize(
    ("text", "span", "speaker", "channel"),
    [
        (
            "No schedule has been agreed so far, Ukrainian Foreign Minister Anna Petrenko told Interfax.",
            "Ukrainian Foreign Minister Anna Petrenko told Interfax",
            "Anna Petrenko",
            "Interfax",
        ),
        (
            "A senior police officer told The Associated Press on Monday that the roads were closed.",
            "A senior police officer told The Associated Press",
            "a senior police officer",
            "The Associated Press",
        ),
        (
            "The plan will be revised, according to unnamed officials cited by Reuters and AFP.",
            "according to unnamed officials cited by Reuters and AFP",
            "unnamed officials",
            "Reuters and AFP",
        ),
        (
            "The army is set to leave the region, officials have told multiple news outlets.",
            "officials have told multiple news outlets",
            "officials",
            "multiple news outlets",
        ),
        (
            "A local official, who spoke on condition of anonymity, said the bridge was destroyed.",
            "A local official, who spoke on condition of anonymity, said",
            "a local official",
            None,
        ),
        (
            "Deputy Press Secretary Maria Lopez also acknowledged that the talks had stalled.",
            "Deputy Press Secretary Maria Lopez also acknowledged",
            "Maria Lopez",
            None,
        ),
        (
            "The Defence Ministry confirmed in a statement that the drills would continue.",
            "The Defence Ministry confirmed",
            "Defence Ministry",
            None,
        ),
        (
            "Secretary of State John Miller later said that the embassy would reopen.",
            "Secretary of State John Miller later said",
            "John Miller",
            None,
        ),
        (
            "The talks may last for years, the health ministry claimed on Friday.",
            "the health ministry claimed",
            "health ministry",
            None,
        ),
        (
            "A regional newspaper, quoting a senior commander, has reported that the base was hit.",
            "A regional newspaper, quoting a senior commander, has reported",
            "a senior commander",
            "a regional newspaper",
        ),
        (
            '"We are not leaving," said Defence Minister Omar Haddad after the meeting.',
            "said Defence Minister Omar Haddad",
            "Omar Haddad",
            None,
        ),
    ],
)
def test_attribution_span_speaker_channel(text: str, span: str, speaker: str, channel: str | None) -> None:
    a = one(text, "attribution")
    assert (quoted(text, a), a.speaker, a.channel) == (span, speaker, channel)
    assert a.value is None and a.kind == "attribution"


def test_pronoun_takes_the_previous_speaker_and_claims_inherit_it() -> None:
    text = "The talks continue, Minister Lina Saleh said. Some 300 advisers will stay for two years, she added."
    first, second = of_kind(text, "attribution")
    assert (first.speaker, second.speaker) == ("Lina Saleh", "Lina Saleh")
    assert one(text, "quantity").speaker == "Lina Saleh"
    assert one(text, "duration").speaker == "Lina Saleh"


@pytest.mark.parametrize(
    "text",
    [
        "The news was reported in the media without any further detail.",
        "The minister declined to say when the troops would leave the country.",
        "Recent reports indicate that the strikes prompted the government to act.",
    ],
)
def test_not_attributions(text: str) -> None:
    assert of_kind(text, "attribution") == []


def _nested_pairwise(found: list[RawAttribution]) -> list[RawAttribution]:
    """The rule as first written: drop a span that a longer span covers (pair by pair)."""
    return [
        a
        for a in found
        if not any(b.start <= a.start and a.end <= b.end and (b.end - b.start) > (a.end - a.start) for b in found)
    ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 15)), max_size=30))
def test_dropping_nested_attributions_in_one_sweep_keeps_what_the_pairwise_rule_keeps(
    spans: list[tuple[int, int]],
) -> None:
    found = [RawAttribution(start, start + length, f"speaker {n}", None) for n, (start, length) in enumerate(spans)]
    assert _drop_nested(found) == _nested_pairwise(found)
