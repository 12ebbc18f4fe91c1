"""Attributions in the shapes real reports use (issue 19): passive and deferred speakers, names in
apposition, "according to", statements by offices, "told reporters", tabloid verbs; and what is not one."""

from __future__ import annotations

import pytest

from tests.suggest.helpers import of_kind, quoted


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("This was stated by the head of the regional administration, Gen. Marta Ilves, in a briefing.", "Marta Ilves"),
        ("The figures were released by commission chair Rosa Vidal.", "Rosa Vidal"),
        ("The details were provided by Rear Admiral Kofi Mensah, commander of the task force.", "Kofi Mensah"),
        ('"It is fragile." That was the view of Anna Greer, the deputy head of the mission.', "Anna Greer"),
        ('"We will rebuild." Those were the words of Colonel Ines Marr, the ministry spokesperson.', "Ines Marr"),
        ("The estimate was given by the ministry in its weekly bulletin.", "ministry"),
        ("The county engineer, Ruth Adebayo, said the banks would hold.", "Ruth Adebayo"),
        ('Gran Edna Baker, 91, said: "I have never known it this hot."', "Edna Baker"),
        ('"We are close," said the chief negotiator, Omar Bel.', "Omar Bel"),
        ('"We counted every day," said one officer, who asked not to be named.', "officer"),
        ("Almer's office said in a statement that the yard would stay open.", "Almer's office"),
        ("Up to 12,000 people have crossed, according to the UN refugee agency.", "UN refugee agency"),
        ("Inflation will ease, according to the Institute for Fiscal Studies.", "Institute for Fiscal Studies"),
        ("Hospitals are full, health officials told reporters on Monday.", "health officials"),
        ("The fault caused 14 crashes, regulators said.", "regulators"),
        ("Attendance fell sharply, NHS figures show.", "NHS figures"),
        ('Union boss Gary Platt fumed: "It is a disgrace."', "Gary Platt"),
        ("Her lawyers filed appeals, head coach Pavel Novak said.", "Pavel Novak"),
    ],
)
def test_speaker_in_other_shapes(text: str, speaker: str) -> None:
    assert speaker in [a.speaker for a in of_kind(text, "attribution")], [
        (quoted(text, a), a.speaker) for a in of_kind(text, "attribution")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "A drone slammed into a market in the old town.",
        "Patrick Carlineo pleaded guilty to threatening a lawmaker.",
        "Veltro recalled more than 250,000 cars over a brake fault.",
        "Well, let's say the results speak for themselves here.",
        "The cars were made by a factory in the north of the country.",
        "Those were the days of cheap energy and full order books.",
        "The map shows the scale of the damage in the valley.",
    ],
)
def test_not_attributions(text: str) -> None:
    assert [(quoted(text, a), a.speaker) for a in of_kind(text, "attribution")] == []
