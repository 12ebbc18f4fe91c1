from __future__ import annotations

import datetime as dt

import pytest

from tests.suggest.helpers import of_kind, one, quoted

# PUBLISHED (helpers) is Thursday 2024-03-14.


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("The agreement was signed on February 8, 2024 in the presence of observers.", "2024-02-08", "exact"),
        ("The agreement was signed on 8 February 2024 in the presence of observers.", "2024-02-08", "exact"),
        ("The agreement was signed on 2024-02-08 in the presence of observers.", "2024-02-08", "exact"),
        (
            "The strike that killed the general took place in January 2020, officials recalled.",
            "2020-01",
            "exact",
        ),
        ("The delegation visited the capital in November 2023 to discuss the plan.", "2023-11", "exact"),
        ("The alliance that formed in 2014 is now under review by its members.", "2014", "exact"),
        ("The country has hosted foreign troops since 2003 under several agreements.", "2003", "exact"),
        ("The decision was made before Oct. 7, the ministry insisted.", "2023-10-07", "at_most"),
        ("The withdrawal must be complete by the end of this year, the deal says.", "2024-12-31", "at_most"),
        ("The convoy will only move after June 2025, the army said.", "2025-06", "at_least"),
        ("The minister was still opposed as recently as January 8, aides recalled.", "2024-01-08", "exact"),
        ("The prime minister told a newspaper in mid-January that the mission was over.", "2024-01", "exact"),
        ("The talks between the two capitals began in January after long delays.", "2024-01", "exact"),
        ("Delegations met in the capital on Saturday for a first round of talks.", "2024-03-09", "exact"),
        ("The government announced on Thursday evening that talks would start.", "2024-03-14", "exact"),
        ("The foreign ministry announced yesterday that the envoy had been recalled.", "2024-03-13", "exact"),
        ("The goals of the committee were first discussed last year, diplomats said.", "2023", "exact"),
        ("Earlier this month, the president said he would initiate the process.", "2024-03", "exact"),
        ("The parliament voted on July 26 to ask the foreign troops to leave.", "2023-07-26", "exact"),
        ("The first convoy is due to leave on April 2, the logistics office said.", "2024-04-02", "exact"),
    ],
)
def test_date_value_and_qualifier(text: str, value: str, qualifier: str) -> None:
    d = of_kind(text, "date")[0]
    assert (d.value, d.qualifier) == (value, qualifier)


def test_precision_kept_and_deadline_attribute() -> None:
    text = "The plan adopted in January 2020 must be carried out by the end of 2025."
    month, deadline = of_kind(text, "date")
    assert (month.value, deadline.value, deadline.attribute) == ("2020-01", "2025-12-31", "deadline")
    assert quoted(text, deadline) == "by the end of 2025"


def test_formation_and_start_attributes() -> None:
    assert one("The coalition, formed in 2014, trained local forces.", "date").attribute == "formation date"
    assert one("The talks began in January and stalled soon after.", "date").attribute == "start date"


def test_relative_dates_need_an_anchor() -> None:
    text = "Delegations met on Saturday and agreed last year to resume talks on July 26."
    assert of_kind(text, "date", published=None) == []
    assert len(of_kind(text, "date")) == 3


def test_anchor_inferred_from_a_dateline_when_published_is_missing() -> None:
    text = "Talks resume in the capital\nFebruary 8, 2024\nThe delegations met on Saturday to resume the talks."
    d = one(text, "date", published=None)
    assert d.value == "2024-02-03"


def test_datetime_published_is_accepted() -> None:
    text = "The delegations met on Saturday to resume the talks."
    assert one(text, "date", published=dt.datetime(2024, 3, 14, 9, 30)).value == "2024-03-09"


@pytest.mark.parametrize(
    "text",
    [
        "Read more at https://example.com/2024/03/14/talks-2019.html for the background story.",
        "The battalion counts 2,400 men and 2014 is not mentioned as a year here at all.",
        "Copyright © 2023 The Daily Example, all rights reserved by the company here.",
        "A total of 2000 troops arrived with about 1999 vehicles at the border crossing.",
    ],
)
def test_years_that_are_not_dates(text: str) -> None:
    values = [c.value for c in of_kind(text, "date")]
    assert values in ([], ["2014"]) and "2019" not in values and "2023" not in values and "2000" not in values
