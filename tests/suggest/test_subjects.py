"""Proposed subjects, attributes and speakers on made-up stories (port strike, flood, factory closure,
election, wildfire). A proposal is either right or absent: never a bare unit, never an event-less date."""

from __future__ import annotations

import pytest

from claims.suggest import Candidate, suggest
from tests.suggest.helpers import PUBLISHED, of_kind, one

PORT_STRIKE = (
    "Some 400 dockworkers at the port of Halden walked out on Monday morning, halting container traffic. "
    "The strike began on 3 March after pay talks collapsed, said Aksel Brandt, who chairs the local branch "
    "of the Harbour Workers Union. Brandt added that twelve cargo ships were waiting at anchor. "
    "The Halden Port Authority said 9,000 tonnes of cargo were stuck on the quays."
)
FLOOD = (
    "The river Lenne rose to 4.2 metres at Ashby Bridge on Tuesday, the highest level since the flood of "
    "1998. More than 900 people were evacuated from the valley overnight, the county council said. "
    "The Ashby dam was completed in 1962 and has never overflowed, council engineer Priya Marsh told "
    "reporters. Marsh said the water was still rising by 5 centimetres an hour."
)
FACTORY = (
    "Norvik Foods will close its Redcliff plant in June, cutting 1,200 jobs, the company announced on "
    "Wednesday. The plant opened in 1974. Redcliff mayor Tomas Egger said about 3,000 people in the town "
    'depend on the factory. Egger said the closure was "a hammer blow" for the region.'
)
ELECTION = (
    "The Westmoor by-election will be held on 5 May, the Electoral Commission confirmed. Turnout at the "
    "last general election was 64 percent. The Green Party won 38% of the vote in Westmoor in 2019, and "
    "candidate Lena Ortiz said she expected to do better. Ortiz told supporters that 2,000 volunteers had "
    "joined the campaign."
)
WILDFIRE = (
    "The Ridge fire broke out on 12 August near Calloway. The blaze has scorched 8,400 hectares near "
    "Calloway. Some 2,000 residents of Pine Hollow were told to leave on Sunday evening. Fire chief Dana "
    "Kowal said 350 firefighters were on the lines. Kowal warned that winds of up to 60 km/h could push "
    "the blaze east."
)
STORIES = [PORT_STRIKE, FLOOD, FACTORY, ELECTION, WILDFIRE]

# Units and generic nouns that are never a subject by themselves.
BARE_UNITS = {
    "metres", "metre", "km", "cm", "centimetres", "hectares", "tonnes", "percent", "%", "people", "dollars",
    "usd", "jobs", "ships", "cargo ships", "residents", "firefighters", "volunteers", "dockworkers", "speed",
    "km/h", "members", "workers", "(unassigned)",
}  # fmt: skip


def _at(text: str, quote: str, kind: str) -> Candidate:
    found = [c for c in suggest(text, PUBLISHED) if c.kind == kind and text[c.start : c.end].endswith(quote)]
    assert len(found) == 1, [(text[c.start : c.end], c.kind) for c in suggest(text, PUBLISHED)]
    return found[0]


@pytest.mark.parametrize(
    ("text", "quote", "subject", "attribute"),
    [
        (PORT_STRIKE, "400 dockworkers", "dockworkers at the port of Halden", "count"),
        (FLOOD, "4.2 metres", "river Lenne level at Ashby Bridge", "level"),
        (FLOOD, "5 centimetres", "water level", "change in level"),
        (FACTORY, "1,200 jobs", "", "count"),
        (ELECTION, "64 percent", "Turnout at the last general election", "percentage"),
        (ELECTION, "38%", "Green Party", "share of the vote"),
        (WILDFIRE, "8,400 hectares", "blaze near Calloway", "area burned"),
        (WILDFIRE, "2,000 residents", "residents of Pine Hollow", "count"),
    ],
)
def test_story_quantity_subjects(text: str, quote: str, subject: str, attribute: str) -> None:
    q = _at(text, quote, "quantity")
    assert (q.subject, q.attribute) == (subject, attribute)


@pytest.mark.parametrize(
    ("text", "quote", "subject", "attribute"),
    [
        (PORT_STRIKE, "3 March", "start of the strike", "start date"),
        (PORT_STRIKE, "Monday morning", "", "event date"),
        (FLOOD, "1998", "flood", "event date"),
        (FLOOD, "in 1962", "completion of the Ashby dam", "completion date"),
        (FLOOD, "Tuesday", "", "event date"),
        (FACTORY, "June", "closure of the Redcliff plant", "closure date"),
        (FACTORY, "Wednesday", "", "event date"),  # "the company announced on Wednesday": no event named
        (FACTORY, "in 1974", "opening of the plant", "opening date"),
        (ELECTION, "5 May", "Westmoor by-election", "event date"),
        (ELECTION, "in 2019", "", "event date"),
        (WILDFIRE, "12 August", "outbreak of the Ridge fire", "start date"),
        (WILDFIRE, "Sunday evening", "", "event date"),
    ],
)
def test_story_date_subjects(text: str, quote: str, subject: str, attribute: str) -> None:
    d = _at(text, quote, "date")
    assert (d.subject, d.attribute) == (subject, attribute)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (PORT_STRIKE, ["Aksel Brandt", "Aksel Brandt", "Halden Port Authority"]),
        (FLOOD, ["county council", "Priya Marsh", "Priya Marsh"]),
        (FACTORY, ["company", "Tomas Egger", "Tomas Egger"]),
        (ELECTION, ["Electoral Commission", "Lena Ortiz", "Lena Ortiz"]),
        (WILDFIRE, ["Dana Kowal", "Dana Kowal"]),
    ],
)
def test_story_speakers_use_the_full_name(text: str, speakers: list[str]) -> None:
    assert [a.speaker for a in of_kind(text, "attribution")] == speakers


def test_claims_inherit_the_full_name() -> None:
    ships = _at(PORT_STRIKE, "twelve cargo ships", "quantity")
    assert ships.speaker == "Aksel Brandt"


@pytest.mark.parametrize("text", STORIES)
def test_no_bare_unit_or_placeholder_subject(text: str) -> None:
    for c in suggest(text, PUBLISHED):
        assert isinstance(c.subject, str)
        assert c.subject.lower() not in BARE_UNITS, (text[c.start : c.end], c.subject)
        if c.unit:
            assert c.subject.lower() != c.unit.lower()


@pytest.mark.parametrize(
    ("text", "subject", "attribute"),
    [
        ("About 2,500 US troops remain in Iraq, officials said.", "US troops in Iraq", "troop count"),
        (
            "Some 400 dockworkers walked out at the port of Halden on Monday.",
            "dockworkers at the port of Halden",
            "number of dockworkers on strike",
        ),
        ("Some 400 Halden dockworkers walked out.", "Halden dockworkers", "number of dockworkers on strike"),
        ("Norvik's 1,200 workers were told on Tuesday.", "Norvik workers", "count"),
        (
            "About 300 members of the Transport Workers Union voted to strike.",
            "members of the Transport Workers Union",
            "count",
        ),
        ("The river rose to 4.2 metres at Ashby overnight.", "river level at Ashby", "level"),
        ("Officials said 12,000 tonnes of grain at Halden had spoiled.", "grain at Halden", "weight"),
        ("The contract is worth $4.4bn, auditors found.", "contract", "amount"),
        ("The fire is 30 percent contained, officials said.", "fire", "percentage contained"),
    ],
)
def test_quantity_subject_rules(text: str, subject: str, attribute: str) -> None:
    q = one(text, "quantity")
    assert (q.subject, q.attribute) == (subject, attribute)


@pytest.mark.parametrize(
    "text",
    [
        "It rose to 4.2 metres overnight.",
        "The water reached a depth of 2 metres, they said.",
        "More than 900 people were evacuated from the valley overnight.",
        "Twelve cargo ships were stuck at anchor.",
        "The three working groups would investigate the supply problems.",
        "Unions said 5,000 dollars had been raised.",
        "It jumped to 40 percent, they said.",
        "They walked 12 km through the hills.",
    ],
)
def test_quantity_without_a_named_thing_has_no_subject(text: str) -> None:
    q = one(text, "quantity")
    assert q.subject == "", q


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("The dam was completed in 1962.", "completion of the dam"),
        ("The coalition, formed in 2014, trained local forces.", "formation of the coalition"),
        ("Work on the Ashby dam began in 1958.", "start of work on the Ashby dam"),
        ("The Norvik plant in Ashby will close in June, the company said.", "closure of the Norvik plant in Ashby"),
        ("Voters rejected the plan in the referendum on Sunday.", "referendum"),
        ("The Green Party was founded in 1985, its leader said.", "formation of the Green Party"),
    ],
)
def test_date_names_its_event(text: str, subject: str) -> None:
    assert of_kind(text, "date")[0].subject == subject


@pytest.mark.parametrize(
    "text",
    [
        "Workers walked out on Monday morning.",
        "It began on Monday.",
        "Smith founded the firm in 1990.",  # the founder is no event: a wrong guess must be absent
        "The ministry announced on Monday that the plan was dead.",
        "Delegations met in the capital on Saturday for talks.",
        "The talks between the two countries began in January.",  # the phrase after "between" is no subject
    ],
)
def test_date_without_a_named_event_has_no_subject(text: str) -> None:
    assert [d.subject for d in of_kind(text, "date")] == [""]


def test_surname_alone_is_resolved_only_when_unambiguous() -> None:
    text = "Aksel Brandt said talks had failed. Brandt added more. Mr Brandt later said the union would appeal."
    assert [a.speaker for a in of_kind(text, "attribution")] == ["Aksel Brandt"] * 3
    two = "Aksel Brandt said talks failed. Maja Brandt, his sister, said they had not. Brandt added more."
    assert [a.speaker for a in of_kind(two, "attribution")][-1] == "Brandt"
    opener = "Yesterday Brandt said nothing. Brandt added more."
    assert [a.speaker for a in of_kind(opener, "attribution")] == ["Brandt", "Brandt"]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("The roads will stay closed, the county council said.", "county council"),
        ("General Motors said the plant would close.", "General Motors"),
        ("The Mayor's office said the shelters were full.", "Mayor's office"),
        ("The Halden Port Authority said ships were waiting.", "Halden Port Authority"),
    ],
)
def test_organisations_keep_their_name(text: str, speaker: str) -> None:
    assert one(text, "attribution").speaker == speaker
