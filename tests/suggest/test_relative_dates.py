"""Dates in reporting style (issue 19): bare weekdays after a verb of the report, "ago", "last week",
"earlier this month", and dates given relative to an event ("three days after the election")."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from claims.suggest import Candidate, suggest
from tests.suggest.helpers import PUBLISHED, of_kind, one, quoted

# PUBLISHED is Thursday 14 March 2024.


@pytest.mark.parametrize(
    ("text", "span", "value", "qualifier"),
    [
        ("The ministry said Wednesday that talks would resume.", "Wednesday", "2024-03-13", "exact"),
        ("The truce signed Monday has held in most districts.", "Monday", "2024-03-11", "exact"),
        ("Two prison officers were charged Tuesday with fraud.", "Tuesday", "2024-03-12", "exact"),
        ("Figures were correct as of Wednesday morning, police said.", "Wednesday morning", "2024-03-13", "exact"),
        ("Protest leaders have called another march for Saturday.", "Saturday", "2024-03-16", "exact"),
        ("Organisers expect 38,000 runners at the marathon on Sunday.", "Sunday", "2024-03-17", "exact"),
        ("The operation began three weeks ago near the border.", "three weeks ago", "2024-02-22", "approx"),
        ("The ferry sank two days ago on the lake.", "two days ago", "2024-03-12", "exact"),
        ("The garrison was relieved last week after a long siege.", "last week", "2024-03", "exact"),
        ("The chain collapsed earlier this month with heavy debts.", "earlier this month", "2024-03", "exact"),
        ("The safety car came out earlier this week in practice.", "earlier this week", "2024-03", "exact"),
        ("The plant will close later this year, the firm said.", "later this year", "2024", "exact"),
    ],
)
def test_reporting_style_dates(text: str, span: str, value: str, qualifier: str) -> None:
    d = one(text, "date")
    assert (quoted(text, d), d.value, d.qualifier) == (span, value, qualifier)


def test_a_week_across_two_months_is_its_monday_approx() -> None:
    d = one("The strike started last week at the port.", "date", dt.date(2024, 3, 6))
    assert (d.value, d.qualifier) == ("2024-02-26", "approx")


@pytest.mark.parametrize(
    "text",
    [
        "Candidates campaigned hard before Super Tuesday in the south.",
        "Shops opened for Black Friday across the country.",
        "Wednesday was the calmest day so far in the capital.",
        "The Monday meeting of the council was cancelled.",
    ],
)
def test_a_weekday_without_a_verb_of_the_report_is_not_a_date(text: str) -> None:
    assert [quoted(text, c) for c in of_kind(text, "date")] == []


def _offset(text: str, published: dt.date | None = PUBLISHED) -> Candidate:
    found = [
        c for c in suggest(text, published) if c.kind == "date" and re.search(r" (?:after|before) ", quoted(text, c))
    ]
    assert len(found) == 1, [(quoted(text, c), c.kind) for c in suggest(text, published)]
    return found[0]


def test_a_date_after_an_event_names_the_event() -> None:
    text = "The results were certified three days after the election, the commission said."
    d = _offset(text)
    assert quoted(text, d) == "three days after the election"
    assert (d.after, d.attribute) == ("election", "3 days after election")
    # Past tense, event undated in the text: at most the publication day.
    assert (d.value, d.qualifier) == ("2024-03-14", "at_most")
    assert not [c for c in suggest(text, PUBLISHED) if c.kind == "duration"]


def test_the_event_date_in_the_article_resolves_the_offset() -> None:
    text = "The election was held on 3 March. The results were certified three days after the election."
    d = _offset(text)
    assert (d.value, d.qualifier, d.after) == ("2024-03-06", "exact", "election")


def test_future_offset_is_at_least_the_publication_day() -> None:
    text = "The runoff will be held two weeks after the first round, officials said."
    d = _offset(text)
    assert (d.value, d.qualifier, d.after) == ("2024-03-14", "at_least", "first round")


def test_before_an_event_is_said_in_the_attribute_not_in_after() -> None:
    text = "Marek Sol withdrew from the race eight weeks before polling day."
    d = _offset(text)
    assert (d.after, d.attribute) == (None, "8 weeks before polling day")


@pytest.mark.parametrize(
    "text",
    [
        "Rain fell for three days after the storm had passed.",
        "The aid must arrive within two weeks after the flood.",
    ],
)
def test_a_span_behind_for_or_within_stays_a_duration(text: str) -> None:
    kinds = [(c.kind, quoted(text, c)) for c in suggest(text, PUBLISHED) if c.kind in ("date", "duration")]
    assert [k for k, _ in kinds] == ["duration"], kinds


def test_without_an_anchor_offsets_have_no_value() -> None:
    text = "The results were certified three days after the election."
    d = _offset(text, None)
    assert d.value is None and d.after == "election"
