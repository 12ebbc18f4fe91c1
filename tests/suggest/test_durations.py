from __future__ import annotations

import pytest

from tests.suggest.helpers import of_kind, one, quoted


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        (
            "The US has demanded a 2-5-year time frame for the pull-out.",
            {"min": 2, "max": 5, "unit": "year"},
            "exact",
        ),
        (
            "The talks could take several months, if not longer, diplomats said.",
            {"min": 3, "max": None, "unit": "month"},
            "at_least",
        ),
        (
            "He claimed these negotiations have been going on for several months.",
            {"min": 3, "max": 11, "unit": "month"},
            "approx",
        ),
        (
            "The mission ends a decade after its inception, the envoy said.",
            {"min": 10, "max": 10, "unit": "year"},
            "approx",
        ),
        (
            "They discussed ending the decade-long deployment in the north.",
            {"min": 10, "max": 10, "unit": "year"},
            "approx",
        ),
        (
            "All units will leave within 12 months of the signature.",
            {"min": 0, "max": 12, "unit": "month"},
            "at_most",
        ),
        (
            "The inspectors will stay for two weeks after the vote.",
            {"min": 2, "max": 2, "unit": "week"},
            "exact",
        ),
        (
            "Soldiers have served more than two years in the desert camps.",
            {"min": 2, "max": None, "unit": "year"},
            "at_least",
        ),
        (
            "The review should take a few weeks once the files arrive.",
            {"min": 2, "max": 4, "unit": "week"},
            "approx",
        ),
        (
            "Negotiators agreed on a period of between three and six months.",
            {"min": 3, "max": 6, "unit": "month"},
            "exact",
        ),
    ],
)
def test_duration_values(text: str, value: dict[str, object], qualifier: str) -> None:
    d = one(text, "duration")
    assert (d.value, d.qualifier, d.unit) == (value, qualifier, value["unit"])


def test_span_and_no_quantity_from_a_duration() -> None:
    text = "The US has demanded a 2-5-year time frame for the withdrawal."
    d = one(text, "duration")
    assert quoted(text, d) == "2-5-year"
    assert of_kind(text, "quantity") == []


@pytest.mark.parametrize(
    "text",
    [
        "The report was published 2 years ago by the ministry of planning.",
        "A 10-year-old boy was among the people rescued from the rubble.",
        "Inspectors visit the depots twice a year according to the treaty.",
        "Members meet every month to review the budget and the appointments.",
        "The talks lasted 24 hours before the delegations returned home.",
    ],
)
def test_not_durations(text: str) -> None:
    assert of_kind(text, "duration") == []
