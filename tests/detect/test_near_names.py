"""The near-name warning's matcher (claims.detect.near_names): pure, so tested without a database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from claims.detect.near_names import near_names, nearness, stem, words

MODULE = Path(__file__).resolve().parents[2] / "claims" / "detect" / "near_names.py"


@pytest.mark.parametrize(
    ("new", "existing"),
    [
        # word order, a filler word and inflection
        ("Kessling dock strike", "Kessling dock workers on strike"),
        ("Striking dockers in Kessling", "Kessling dock strike"),
        ("Kessling dock strikes", "kessling dock strike"),
        # dots, case, spacing and punctuation folded
        ("US troops in Iraq", "U.S. troops in Iraq"),
        ("us  troops in  iraq", "U.S. Troops in Iraq"),
        ("Al-Sudani government", "Alsudani government"),
        ("The U.S.-led coalition", "US led coalition"),
        # accents
        ("Zürich airport closure", "Zurich airport closure"),
        # word order with "of"
        ("Soleimani killing", "Killing of Soleimani"),
        ("Coalition withdrawal", "Withdrawal of coalition forces"),
        # a small typo in a word
        ("Kesling dock strike", "Kessling dock strike"),
        ("Soleimani killing", "Suleimani killing"),
        # one name inside the other, with most words shared
        ("Brexit", "Brexit vote"),
        ("Rhine flood", "Rhine floods of 2021"),
        ("US troops in Iraq", "US troops"),
    ],
)
def test_near_names_match(new: str, existing: str) -> None:
    assert near_names(new, [existing]) == [existing]
    assert near_names(existing, [new]) == [new], "nearness is symmetric"


@pytest.mark.parametrize(
    ("new", "existing"),
    [
        ("Kessling dock strike", "Rhine flood"),
        ("Kessling dock strike", "Port workers on strike"),  # one shared word among three
        ("US troops in Iraq", "US troops in Syria"),
        ("US troops", "UK troops"),
        ("Rhine flood", "Danube flood"),
        ("Iraq", "US troops in Iraq"),  # a single shared word does not make a long name near a short one
        ("Fuad Hussein", "Saddam Hussein"),
        ("Soleimani killing", "Soleimani funeral"),
        ("Oil price", "Olive oil harvest"),
        ("UN", "US"),
        ("", "Rhine flood"),
        ("...", "Rhine flood"),
    ],
)
def test_unrelated_names_do_not_match(new: str, existing: str) -> None:
    assert near_names(new, [existing]) == []
    assert near_names(existing, [new]) == []


def test_the_typo_guard_also_catches_a_one_letter_place_name() -> None:
    # Deliberate: "Iran" for "Iraq" is as likely a slip as a new subject, and the warning is only advisory.
    assert near_names("US troops in Iran", ["US troops in Iraq"]) == ["US troops in Iraq"]


def test_nearest_first_same_name_first_each_once_and_limited() -> None:
    existing = [
        "Rhine flood",
        "Kessling dock workers on strike",
        "Kessling dock strike",
        "Port strike",
        "Kessling dock strike",
        "Kessling docks",
        "Kessling dock strikers",
        "kessling dock strike",
    ]
    found = near_names("Kessling Dock Strike", existing)
    assert found[:2] == ["Kessling dock strike", "kessling dock strike"], "same folded name first"
    assert set(found) == {
        "Kessling dock strike",
        "kessling dock strike",
        "Kessling dock strikers",
        "Kessling dock workers on strike",
        "Kessling docks",
    }
    assert len(found) == len(set(found))
    assert "Rhine flood" not in found and "Port strike" not in found
    assert near_names("Kessling dock strike", existing, limit=2) == found[:2]
    assert near_names("Kessling dock strike", existing, limit=0) == []
    assert nearness("Kessling dock strike", "Kessling dock strikes") > nearness(
        "Kessling dock strike", "Kessling dock workers on strike"
    )


def test_any_iterable_of_names_is_accepted() -> None:
    assert near_names("Rhine flood", (name for name in ["Rhine floods", "Danube flood"])) == ["Rhine floods"]


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("strike", "strik"),
        ("strikes", "strik"),
        ("striking", "strik"),
        ("strikers", "strik"),
        ("troops", "troop"),
        ("killed", "kill"),
        ("stopped", "stop"),
        ("dockers", "dock"),
        ("us", "us"),
        ("iraq", "iraq"),
        ("ceasefires", "ceasefir"),
        ("water", "water"),
    ],
)
def test_light_stemming(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_words_drop_fillers_and_repeats() -> None:
    assert words("The workers on strike, striking again") == ["work", "strik", "again"]


def test_the_module_knows_nothing_of_django() -> None:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        for name in names:
            assert not name.startswith(("django", "rest_framework", "claims.models")), name
