"""The number-and-noun reader from the number outward (issue 19): counted nouns the extractor had no list
for, nouns behind quotes and coordinated modifiers, units inherited by a number written without its noun,
and the stop list that keeps ages, labels, years, scores and references out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.suggest import suggest
from claims.suggest.numbers import HEDGES
from tests.suggest.helpers import PUBLISHED, of_kind


def _quantities(text: str) -> list[tuple[str, object, str | None, str]]:
    return [(text[c.start : c.end], c.value, c.unit, c.qualifier) for c in of_kind(text, "quantity")]


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("Security forces killed 22 militants near the border.", "22 militants", 22, "militants"),
        ("The deployment involves 600 personnel.", "600 personnel", 600, "personnel"),
        ("The coastguard seized 12 vessels.", "12 vessels", 12, "vessels"),
        ('The firm hired 300 "permanent" staff last year.', '300 "permanent" staff', 300, "staff"),
        ("The health service wants 1,500 more nurses.", "1,500 more nurses", 1500, "nurses"),
        ("Some 5,000 French and allied soldiers crossed.", "Some 5,000 French and allied soldiers", 5000, "soldiers"),
        ("A tunnel collapse trapped about 60 miners.", "about 60 miners", 60, "miners"),
        ("The governing bloc holds a 300-seat majority.", "300-seat", 300, "seats"),
        ("The ship has 24 crew aboard.", "24 crew", 24, "crew"),
        ("One sailor was lightly hurt.", "One sailor", 1, "sailor"),
    ],
)
def test_counted_noun_found_from_the_number(text: str, span: str, value: int, unit: str) -> None:
    assert (span, value, unit) in [(s, v, u) for s, v, u, _ in _quantities(text)]


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("Authorities deployed 3,100 police in the capital and 800 in the north.", "800", 800, "police"),
        ("Rescuers said 2,300 people worked there. The ministry said 1,400 were inside.", "1,400", 1400, "people"),
        ("Staff will be cut from around 6,000 to fewer than 900 by next spring.", "fewer than 900", 900, "staff"),
        ("Staff will be cut from around 6,000 to fewer than 900 by next spring.", "around 6,000", 6000, "staff"),
        ("The count of damaged houses stayed at roughly 7,300 for days.", "roughly 7,300", 7300, "houses"),
        ("At least 900 homes were destroyed, and the official tally of 4,117 is rising.", "4,117", 4117, "homes"),
        ("1,250. That is how many families were moved.", "1,250", 1250, "families"),
        ("The death toll from the floods rose to 212, officials said.", "212", 212, "deaths"),
        ("The 1999 quake killed about 17,000 in the region.", "about 17,000", 17000, "people"),
        ("A candidate needs 270 of the 538 electoral votes to win.", "270", 270, "votes"),
        ("We have 23 players fit and two doubtful.", "two", 2, "players"),
        ("The margin was just 212 votes out of 84,000 cast.", "84,000", 84000, "votes"),
        ("Government forces number about 90,000 in the east.", "about 90,000", 90000, "forces"),
        ("Wage growth was 5.1 percent in April. It has come down from 6.8 a year ago.", "6.8", 6.8, "percent"),
    ],
)
def test_a_number_without_its_noun_inherits_the_unit(text: str, span: str, value: float, unit: str) -> None:
    assert (span, value, unit) in [(s, v, u) for s, v, u, _ in _quantities(text)]


def test_inherited_count_takes_its_place_as_subject() -> None:
    text = "About 5,000 residents of Pine Ridge were told to leave. A further 2,000 in Oakdale are on standby."
    inherited = next(c for c in of_kind(text, "quantity") if text[c.start : c.end] == "2,000")
    assert (inherited.unit, inherited.subject) == ("residents", "residents in Oakdale")


@pytest.mark.parametrize(
    "text",
    [
        "The manager, aged 58, declined to comment after 300 fans protested.",
        "Cyclist Tomas Ruud, 29, has won 14 stages in grand tours.",
        "Page 4 of the report lists 300 schools.",
        "Lap 40 of 57: Ortega leads the 20 cars home.",
        "Article 7 of the charter covers 193 states.",
        "Flight 370 carried 239 passengers over the sea.",
        "The club moved to its ground in 1921 and 300 fans came.",
        "Rovers stunned the champions 3-1 in front of 12,000 fans.",
        "The committee voted 7-2 to hold rates, 12 economists said.",
        "It needs no clinical intervention [2] in 40 patients.",
        "The new 16-inch laptop sold 40,000 units.",
        "Many vehicles run on two-stroke engines, 300 drivers said.",
        "Monitors maxed out with ratings of 999 as 40 schools closed.",
        "The new machine scored a 129 while 12 testers watched.",
        "Wi-Fi 6 is still launching, 40 vendors said.",
        "They were known as the Three Amigos, 40 diplomats said.",
        "Add the third case to the earlier two, 30 doctors said.",
    ],
)
def test_stop_list_keeps_non_counts_out(text: str) -> None:
    # Every sentence holds one real count with its noun; nothing else may be proposed as a quantity.
    found = _quantities(text)
    assert len(found) == 1, found
    assert found[0][2] not in (None, "")


@pytest.mark.parametrize(
    "text",
    [
        "The operation began in 2019. In 2021 it was extended.",
        "He was 34 when he joined, and 41 when he left.",
        "The 1990s were hard for the town.",
        "Chapter 11 protection was granted on appeal.",
        "The score was 2-0 at half-time and 3-1 at the end.",
    ],
)
def test_no_count_at_all(text: str) -> None:
    assert _quantities(text) == []


_HEDGED = sorted(h for h, q in HEDGES.items() if h not in ("reaches", "reached", "estimated", "approx."))


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=999_999),
    hedge=st.sampled_from(_HEDGED),
    inherited=st.booleans(),
)
def test_a_hedge_never_changes_the_number(n: int, hedge: str, inherited: bool) -> None:
    number = f"{n:,}"
    if inherited:
        text = f"Officials counted 40 trucks at the border. By night {hedge} {number} were waiting."
    else:
        text = f"Officials said {hedge} {number} troops remain in the region."
    plain = text.replace(f"{hedge} ", "", 1)
    hedged_values = [c.value for c in suggest(text, PUBLISHED) if c.kind == "quantity"]
    plain_values = [c.value for c in suggest(plain, PUBLISHED) if c.kind == "quantity"]
    assert n in hedged_values
    assert hedged_values == plain_values


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=99_999),
    glue=st.sampled_from(["{n}th", "A{n}", "{n}x", "ID{n}", "{n}-inch", "B-{n}", "v{n}", "{n}GHz", "[{n}]"]),
)
def test_a_number_inside_a_word_never_becomes_a_count(n: int, glue: str) -> None:
    token = glue.format(n=n)
    text = f"Officials counted 40 trucks at the border. The {token} model was seen by 12 people, they said."
    spans = [text[c.start : c.end] for c in suggest(text, PUBLISHED) if c.kind == "quantity"]
    assert spans == ["40 trucks", "12 people"], spans


@settings(max_examples=200, deadline=None)
@given(year=st.integers(min_value=1800, max_value=2099), lead=st.sampled_from(["in", "since", "by", "from", ""]))
def test_a_year_never_becomes_a_count(year: int, lead: str) -> None:
    text = f"Officials counted 40 trucks at the border. {lead} {year} more were waiting, they said.".replace("  ", " ")
    counts = [c for c in suggest(text, PUBLISHED) if c.kind == "quantity"]
    assert [re.sub(r"\D", "", text[c.start : c.end]) for c in counts] == ["40"], [text[c.start : c.end] for c in counts]
