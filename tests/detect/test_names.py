from __future__ import annotations

import pytest

from claims.detect.names import (
    group_key,
    norm_attribute,
    norm_name,
    same_speaker,
    subject_relation,
    unit_class,
)


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("The U.S.-led Coalition", "us led coalition"),
        ("US-led coalition", "us led coalition"),
        ("  Kurdish   Regional  Government ", "kurdish regional government"),
        ("Abd al-Rahmán", "abd al rahman"),
        ("Int\u2019l monitors", "intl monitors"),
        ("N.A.T.O. summit", "nato summit"),
        ("the_name", "name"),
        ("", ""),
    ],
)
def test_norm_name_folds_case_accents_punctuation_and_spaces(raw: str, key: str) -> None:
    assert norm_name(raw) == key


def test_norm_name_keeps_inner_the() -> None:
    assert norm_name("Troops in the Sahel") == "troops in the sahel"


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Troop count", "troop count"),
        ("  troop   COUNT", "troop count"),
        ("Number of troops", "troop count"),
        ("troop levels", "troop count"),
        ("Fatalities", "death toll"),
        ("Start date (first round)", "start date first round"),
        ("Iraqi aim: withdrawal timetable", "iraqi aim withdrawal timetable"),
    ],
)
def test_norm_attribute(raw: str, key: str) -> None:
    assert norm_attribute(raw) == key


@pytest.mark.parametrize(
    ("unit", "cls"),
    [
        ("troops", "personnel"),
        ("Soldiers", "personnel"),
        ("people", "personnel"),
        ("service members", "personnel"),
        ("personnel", "personnel"),
        ("servicemen", "personnel"),
        ("Marines", "personnel"),
        ("USD", "usd"),
        ("$", "usd"),
        ("US$", "usd"),
        ("dollars", "usd"),
        ("U.S. dollars", "usd"),
        ("working groups", "working group"),
        ("Missions", "mission"),
        ("casualties", "casualty"),
        ("km", "km"),
        (None, None),
    ],
)
def test_unit_class(unit: str | None, cls: str | None) -> None:
    assert unit_class(unit) == cls


@pytest.mark.parametrize(
    "subject",
    [
        "US troops in Iraq",
        "American soldiers in Iraq",
        "non-US coalition troops in Iraq",
        "U.S. service members in Iraq",
        "coalition forces stationed in Iraq",
        "US combat forces deployed to Iraq",
        "Foreign military personnel inside Iraq",
        "US troops (Iraq)",
        "Coalition troops, Iraq",
        "troops in the Iraq",
    ],
)
def test_group_key_maps_every_name_of_the_group_to_one_key(subject: str) -> None:
    assert group_key(subject) == "personnel@iraq"


@pytest.mark.parametrize(
    "subject",
    [
        "Soleimani killing",
        "US soldiers killed in Syria-Jordan border attack",
        "US military presence in Iraq",
        "US-led coalition against ISIS",
        "US troops",  # no place: too vague to relate to another group
        "embassy staff in Baghdad",
        "troops in",
        "",
    ],
)
def test_group_key_is_none_for_subjects_that_are_not_a_placed_group(subject: str) -> None:
    assert group_key(subject) is None


def test_group_key_separates_places() -> None:
    assert group_key("French troops in Mali") == "personnel@mali"
    assert group_key("French troops in Mali") != group_key("French troops in Niger")
    assert group_key("Peacekeepers across South Sudan") == "personnel@south sudan"


def test_subject_relation() -> None:
    assert subject_relation("US troops in Iraq", "us  troops in IRAQ") == "same"
    assert subject_relation("US troops in Iraq", "American soldiers in Iraq") == "related"
    assert subject_relation("US troops in Iraq", "US troops in Syria") is None
    assert subject_relation("Soleimani killing", "Killing of Soleimani") is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mohammed Shiaa Al-Sudani", "Mohammed Shia al-Sudani"),
        ("Fuad Hussein", "Fuad Mohammed Hussein"),
        ("Fuad Hussein, Iraqi Foreign Minister", "Fuad Hussein"),
        ("Foreign Minister Fuad Hussein", "Fuad Mohammed Hussein"),
        ("President Emmanuel Macron", "Emmanuel Macron"),
        ("Sabrin Singh", "Sabrina Singh"),
        ("Reuters", "reuters"),
        ("Macron", "Emmanuel Macron"),
        ("Jose Luis Rodriguez Zapatero", "José Luis Rodríguez Zapatero"),
    ],
)
def test_same_speaker_tolerates_spelling_titles_and_middle_names(a: str, b: str) -> None:
    assert same_speaker(a, b)
    assert same_speaker(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Fuad Hussein", "Saddam Hussein"),
        ("Department of Defense", "Department of State"),
        ("Lloyd Austin", "US Department of Defense"),
        ("Ali Khan", "Ala Khan"),  # short tokens must match exactly
        ("John Smith", "Jane Smith"),
        ("an unnamed Iraqi official (via AP)", "an unnamed US official (via AP)"),
        ("Prime Minister", "Foreign Minister"),
    ],
)
def test_different_speakers(a: str, b: str) -> None:
    assert not same_speaker(a, b)
    assert not same_speaker(b, a)


def test_unknown_speakers_are_never_the_same() -> None:
    assert not same_speaker(None, "Reuters")
    assert not same_speaker("Reuters", None)
    assert not same_speaker(None, None)
