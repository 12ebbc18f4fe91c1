from __future__ import annotations

import pytest

from tests.suggest.helpers import of_kind, one, quoted


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "unit"),
    [
        ("Officials said about 2,500 troops remain in the region.", 2500, "approx", "troops"),
        ("The garrison counts some 2,400 soldiers after the rotation.", 2400, "approx", "soldiers"),
        ("More than 900 people were evacuated from the valley overnight.", 900, "at_least", "people"),
        ("Up to 3,000 contractors could be sent to the port this spring.", 3000, "at_most", "contractors"),
        ("Fewer than 50 civilians remain in the town after the floods.", 50, "at_most", "civilians"),
        ("The census of the camp reaches 2,400 people this week.", 2400, "exact", "people"),
        ("The army sent three battalions and a dozen helicopters north.", 3, "exact", "battalions"),
        ("Dozens of armed convoys left the base during the night.", 24, "at_least", "convoys"),
        ("Hundreds of protesters gathered outside the parliament building.", 200, "at_least", "protesters"),
        ("The ministry hired two hundred and fifty teachers for the new schools.", 250, "exact", "teachers"),
        ("The programme destroyed 215 Million expired doses last winter.", 215_000_000, "exact", "doses"),
        ("The regional fund lost $4.4 billion in the crisis, auditors found.", 4_400_000_000, "exact", "USD"),
        ("Unemployment fell to 7.5% in the northern provinces this spring.", 7.5, "exact", "percent"),
        ("Nearly 2.500 soldiers crossed the river, according to the report.", 2500, "approx", "soldiers"),
        ("About 1000 troops guard the airport around the clock.", 1000, "approx", "troops"),
    ],
)
def test_quantity_value_qualifier_unit(text: str, value: object, qualifier: str, unit: str) -> None:
    q = of_kind(text, "quantity")[0]
    assert (q.value, q.qualifier, q.unit) == (value, qualifier, unit)


def test_ranges() -> None:
    text = "Between 900 and 1,000 coalition soldiers were at the base, while some 2,000-2,500 sailors stayed."
    first, second = of_kind(text, "quantity")
    assert (first.value, first.qualifier, first.unit) == ({"min": 900, "max": 1000}, "exact", "soldiers")
    assert (second.value, second.qualifier, second.unit) == ({"min": 2000, "max": 2500}, "approx", "sailors")


def test_subject_from_modifiers_and_place_and_troop_attribute() -> None:
    text = "Currently, about 2,500 US troops remain deployed in Syria as part of the mission."
    q = one(text, "quantity")
    assert quoted(text, q) == "about 2,500 US troops"
    assert (q.subject, q.attribute) == ("US troops in Syria", "troop count")


def test_subject_from_owner_and_hyphenated_modifier() -> None:
    owner = one("Poland has 800 troops in Estonia on rotation.", "quantity")
    assert owner.subject == "Poland troops in Estonia"
    alias = one("The United States maintains around 900 troops in Syria at present.", "quantity")
    assert alias.subject == "US troops in Syria"
    hyphen = one("The number of non-British soldiers in Cyprus reaches 1,200 people this year.", "quantity")
    assert (hyphen.value, hyphen.unit, hyphen.subject) == (1200, "soldiers", "non-British soldiers in Cyprus")


def test_death_toll_and_generic_count() -> None:
    killed = one("Four French soldiers were killed in an ambush near the border town.", "quantity")
    assert (killed.value, killed.attribute, killed.subject) == (4, "death toll", "French soldiers")
    groups = one("The three working groups would investigate the supply problems.", "quantity")
    assert (groups.unit, groups.attribute) == ("working groups", "count")


@pytest.mark.parametrize(
    "text",
    [
        "The two countries signed the memorandum after long talks in the capital.",
        "The coalition formed in 2014 has been criticised by neighbouring states.",
        "In 2019 the government changed its approach to the northern provinces.",
        "The negotiations lasted 24 hours before the delegations left the hotel.",
        "Talks are expected to take several months, the spokesman told reporters.",
        "The ceasefire between the two sides held through the night and into the morning.",
    ],
)
def test_no_quantity(text: str) -> None:
    assert of_kind(text, "quantity") == []
