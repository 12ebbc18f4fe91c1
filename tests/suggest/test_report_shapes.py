"""Shapes of wire and broadsheet copy that an audit with new sentences found missed (issue 19): counts told by
their verb ("14 were killed"), verbs of change in every tense, "put the total at", multiples of a dozen and
fractions of a million, speakers named by a pronoun after the sentence that introduced them, "So said X",
"The warning came from X"; and what must stay out (numbers inside names, street numbers, an actor before a
count taken for its owner)."""

from __future__ import annotations

import pytest

from claims.suggest.numbers import parse_number
from tests.suggest.helpers import of_kind, one, quoted


def _counts(text: str) -> list[tuple[str, object, str | None, str | None, str]]:
    return [(quoted(text, c), c.value, c.unit, c.attribute, c.qualifier) for c in of_kind(text, "quantity")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "At least 19 were killed and 45 injured when the ferry capsized.",
            [("At least 19", 19, "people", "death toll", "at_least"), ("45", 45, "people", "number injured", "exact")],
        ),
        (
            "Police said 31 had been arrested by midnight.",
            [("31", 31, "people", "number arrested", "exact")],
        ),
        (
            "Two people died and 9 were hurt in the crash on the ring road.",
            [("Two people", 2, "people", "death toll", "exact"), ("9", 9, "people", "number injured", "exact")],
        ),
        (
            "About 70 are still missing, and 1,200 have been evacuated from the valley.",
            [
                ("About 70", 70, "people", "number missing", "approx"),
                ("1,200", 1200, "people", "number evacuated", "exact"),
            ],
        ),
    ],
)
def test_a_count_told_by_its_verb(text: str, expected: list[tuple[str, object, str, str, str]]) -> None:
    assert _counts(text) == expected


@pytest.mark.parametrize(
    ("text", "values", "unit"),
    [
        ("Bus routes will drop from 140 to fewer than 90 next year.", [140, 90], "routes"),
        ("Enrolments could climb from about 8,200 to 9,000 by autumn.", [8200, 9000], "enrolments"),
        ("Vacancies declined from 3,400 to 2,900 over the winter.", [3400, 2900], "vacancies"),
    ],
)
def test_verbs_of_change_in_every_tense_carry_their_noun(text: str, values: list[int], unit: str) -> None:
    found = _counts(text)
    assert [v for _, v, _, _, _ in found] == values
    assert {u for _, _, u, _, _ in found} == {unit}


def test_put_the_total_at_inherits_the_unit_or_names_the_total() -> None:
    text = "The storm damaged 260 bridges, the agency said. A second survey put the figure at nearly 410."
    assert ("nearly 410", 410, "bridges", "count", "approx") in _counts(text)
    alone = "An inspection put the total at roughly 3,150."
    assert _counts(alone) == [("roughly 3,150", 3150, "", "total", "approx")]
    assert _counts("Organisers estimated the crowd at 40,000.") == [("40,000", 40000, "", "crowd", "exact")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("three dozen", (36, "exact")),
        ("nearly two dozen", (24, "approx")),
        ("half a dozen", (6, "exact")),
        ("half a million", (500_000, "exact")),
        ("about a half billion", (500_000_000, "approx")),
    ],
)
def test_dozens_and_halves_are_one_number(text: str, expected: tuple[int, str]) -> None:
    assert parse_number(text) == expected


def test_a_compound_number_word_is_one_quantity() -> None:
    text = "Almost three dozen lorries and roughly half a million sandbags reached the town."
    assert _counts(text) == [
        ("Almost three dozen lorries", 36, "lorries", "count", "approx"),
        ("roughly half a million sandbags", 500_000, "sandbags", "count", "approx"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Formula 1 returns to the city in May.",
        "The office moved to 14 Harbour Street and opens daily.",
        "Apollo 13 engineers later described the repair.",
    ],
)
def test_a_number_inside_a_name_or_an_address_is_no_count(text: str) -> None:
    assert _counts(text) == []


def test_a_place_before_a_count_is_not_a_name_label() -> None:
    assert _counts("In Kessby 300 homes lost power.")[0][:3] == ("300 homes", 300, "homes")


def test_an_actor_opening_the_sentence_is_not_the_owner_of_the_count() -> None:
    c = one("Officials sent 2,400 troops to the coast.", "quantity")
    assert (c.unit, c.subject) == ("troops", "")
    # A country does own its count.
    assert one("Norway keeps 300 troops in Latvia.", "quantity").subject == "Norway troops in Latvia"


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Governor Lea Marsh visited the shelter on Sunday. "Nobody will be left behind," she said.', "Lea Marsh"),
        ('Union leader Tomas Rell walked out of the talks. "We are finished here," he told reporters.', "Tomas Rell"),
        ('"The dam will hold." So said chief engineer Petra Lund.', "Petra Lund"),
        ('"Prices will ease by summer." The forecast came from bank governor Ivo Sand.', "Ivo Sand"),
    ],
)
def test_speakers_named_before_or_after_the_words(text: str, speaker: str) -> None:
    assert [a.speaker for a in of_kind(text, "attribution")] == [speaker]


def test_a_pronoun_keeps_the_speaker_named_since() -> None:
    text = 'Mayor Ana Roe opened the bridge. Council engineer Bo Lind said the cables were new. "It is safe," she said.'
    assert [a.speaker for a in of_kind(text, "attribution")] == ["Bo Lind", "Bo Lind"]


@pytest.mark.parametrize(
    "text",
    [
        "He came from a small fishing village.",
        'The European Union opened talks. "We are ready," she said.',
    ],
)
def test_not_a_named_speaker(text: str) -> None:
    assert [a.speaker for a in of_kind(text, "attribution") if a.speaker] == []


@pytest.mark.parametrize(
    ("text", "span", "value"),
    [
        ("The harbour flooded last night, the coastguard said.", "last night", "2024-03-13"),
        ("A second convoy leaves tomorrow.", "tomorrow", "2024-03-15"),
        ("The reservoir fell by a metre this summer.", "this summer", "2024"),
        ("The reservoir was full last summer.", "last summer", "2023"),
        ("The club sold its captain a fortnight ago.", "a fortnight ago", "2024-02-29"),
        ("The plant shuts at the end of June.", "June", "2023-06"),
    ],
)
def test_relative_dates_of_everyday_reporting(text: str, span: str, value: str) -> None:
    c = one(text, "date")
    assert (quoted(text, c), c.value) == (span, value)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Water will peak on Thursday, the national weather service said.", "national weather service"),
        ("A fire broke out shortly after dawn, Ostby fire brigade said.", "Ostby fire brigade"),
        ("Aid workers say about 48 percent of homes have clean water.", "Aid workers"),
        ("Farmers take 60 percent of the water, a survey by Lund University found.", "Lund University"),
    ],
)
def test_speakers_named_last_in_other_shapes(text: str, speaker: str) -> None:
    assert [a.speaker for a in of_kind(text, "attribution")] == [speaker]


def test_finding_things_is_not_speech() -> None:
    assert of_kind("Police found a car near the border.", "attribution") == []


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("The chef hid almost £2million from the taxman.", "almost £2million", 2_000_000, "GBP"),
        ("The club paid 40million euros for him.", "40million euros", 40_000_000, "EUR"),
    ],
)
def test_a_scale_word_glued_to_its_digits(text: str, span: str, value: int, unit: str) -> None:
    c = one(text, "quantity")
    assert (quoted(text, c), c.value, c.unit) == (span, value, unit)


def test_a_duration_may_carry_an_adjective() -> None:
    text = "Rainfall has been below average for five consecutive years."
    c = one(text, "duration")
    assert (quoted(text, c), c.value) == ("five consecutive years", {"min": 5, "max": 5, "unit": "year"})


@pytest.mark.parametrize(
    ("text", "span", "value", "qualifier"),
    [
        ("The reservoir has lost about a third of its volume.", "about a third", 33.3, "approx"),
        ("Two-thirds of the members voted for the merger.", "Two-thirds", 66.7, "approx"),
        ("Less than a fifth of the aid has arrived.", "Less than a fifth", 20, "at_most"),
        ("One in five of the buses ran on Monday.", "One in five", 20, "approx"),
        ("Just over half of the 2,000 households have power.", "Just over half", 50, "approx"),
    ],
)
def test_a_fraction_is_a_share_in_percent(text: str, span: str, value: float, qualifier: str) -> None:
    shares = [c for c in of_kind(text, "quantity") if c.unit == "percent"]
    assert [(quoted(text, c), c.value, c.qualifier) for c in shares] == [(span, value, qualifier)]


@pytest.mark.parametrize(
    "text", ["The second half of the season was better.", "They waited half an hour.", "It was tied at half time."]
)
def test_half_is_a_share_only_before_of_and_not_after_an_ordinal(text: str) -> None:
    assert [c for c in of_kind(text, "quantity") if c.unit == "percent"] == []


def test_a_part_of_the_count_just_named_and_a_word_in_capitals() -> None:
    text = "Clinics have logged 930 measles cases since May 4, 12 of them fatal. A RECORD 412 nurses volunteered."
    assert ("12", 12, "cases", "death toll", "exact") in _counts(text)
    assert ("412 nurses", 412, "nurses", "count", "exact") in _counts(text)
    assert [quoted(text, c) for c in of_kind(text, "date")] == ["May 4"]


def test_a_passive_with_an_adverb_names_its_speaker() -> None:
    text = "The figures were later confirmed by the regional health office."
    assert [a.speaker for a in of_kind(text, "attribution")] == ["regional health office"]


@pytest.mark.parametrize(
    ("text", "speaker", "role"),
    [
        ("Anna Berg, the fire chief, said the blaze was out.", "Anna Berg", "fire chief"),
        ("The county engineer, Ruth Adebayo, said the bridge was safe.", "Ruth Adebayo", "county engineer"),
        ("Mayor Ines Duarte said the dam held.", "Ines Duarte", "Mayor"),
        ('"We stay out." So said union leader Sam Odum.', "Sam Odum", "union leader"),
        ("This was stated by the head of the agency, Dr Lena Ortiz.", "Lena Ortiz", "head of the agency"),
        ("Those were the words of Colonel Ines Marr, the ministry spokesperson.", "Ines Marr", "ministry spokesperson"),
        ("The ministry said the talks failed.", "ministry", ""),
    ],
)
def test_the_speakers_role_is_proposed_with_the_name(text: str, speaker: str, role: str) -> None:
    said = one(text, "attribution")
    assert (said.speaker, said.speaker_role) == (speaker, role)


def test_claims_of_a_speaker_carry_the_role() -> None:
    text = "Mayor Ines Duarte said 300 homes were flooded."
    assert one(text, "quantity").speaker_role == "Mayor"
