"""Time resolution finer than a day: a time of day the sentence gives ("by Monday evening", "early Monday", "at
14:30") puts two reports of one day in order, so a running tally that grows within the day is an update and one
that falls is "revised down" (claims/detect/moments.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.detect.dynamics import Dynamics
from claims.detect.moments import describe, moment, time_in_text
from claims.detect.numeric import sentence_of
from tests.detect.test_dynamics import MAY4, both, q


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("By Monday evening, 52 people had died.", "52 people", (dt.time(19, 0), "evening")),
        ("Early Monday the toll stood at 40.", "40", (dt.time(5, 0), "Early Monday")),
        ("Late on Monday officials put it at 61.", "61", (dt.time(22, 0), "Late on Monday")),
        ("At 14:30 the ministry said 75 had died.", "75", (dt.time(14, 30), "14:30")),
        ("At 6 p.m. the count reached 80.", "80", (dt.time(18, 0), "6 p.m.")),
        ("The count reached 80 by 9.30am, police said.", "80", (dt.time(9, 30), "9.30am")),
        ("In the afternoon 30 more were found.", "30", (dt.time(15, 0), "afternoon")),
        ("Le bilan s'élevait à 90 morts ce soir.", "90", (dt.time(19, 0), "soir")),
        ("Am Nachmittag waren es 95 Tote.", "95", (dt.time(15, 0), "Nachmittag")),
        # times that belong to another figure, or are not times at all
        ("The toll now stands at 298, up from the 290 reported this morning.", "298", None),
        ("The home side won 3:1 and 40 fans were hurt.", "40", None),
        ("Officials said 212 people had died.", "212", None),
    ],
)
def test_a_time_of_day_is_read_from_the_sentence_for_its_own_figure(
    text: str, quote: str, expected: tuple[dt.time, str] | None
) -> None:
    assert time_in_text(text, quote) == expected


def test_a_tally_that_grows_from_morning_to_evening_is_the_story_moving() -> None:
    morning = q(40, as_of=MAY4, article=1, quote="40 people", context="By Monday morning, 40 people had died.")
    evening = q(52, as_of=MAY4, article=2, quote="52 people", context="By Monday evening, 52 people had died.")
    assert both(morning, evening) is None


def test_a_tally_that_falls_from_morning_to_evening_is_flagged_as_revised_down_in_the_texts_words() -> None:
    morning = q(52, as_of=MAY4, article=1, quote="52 people", context="By Monday morning, 52 people had died.")
    evening = q(40, as_of=MAY4, article=2, quote="40 people", context="By Monday evening, 40 people had died.")
    verdict = both(morning, evening)
    assert verdict is not None
    assert "running tally only grows" in verdict.explanation
    assert "4 May 2026 (morning)" in verdict.explanation and "4 May 2026 (evening)" in verdict.explanation


def test_without_a_time_two_reports_of_one_day_stay_unordered_and_a_tally_is_not_flagged() -> None:
    one = q(52, as_of=MAY4, article=1, quote="52 people", context="Officials said 52 people had died.")
    two = q(40, as_of=MAY4, article=2, quote="40 people", context="Police said 40 people had died.")
    assert both(one, two) is None


def test_a_live_blogs_clock_times_order_two_entries_of_one_article() -> None:
    first = q(52, as_of=MAY4, article=7, quote="52", context="09:15 The toll rose to 52.")
    later = q(40, as_of=MAY4, article=7, quote="40", context="18:40 The toll is now 40, officials said.")
    verdict = both(first, later)
    assert verdict is not None and "revised down" in verdict.explanation


def test_a_same_day_level_reported_many_hours_apart_by_the_text_has_moved() -> None:
    same_day = Dynamics("level", 0, "set by an editor")
    early = q(
        18000,
        as_of=MAY4,
        article=1,
        attribute="people evacuated",
        quote="18,000",
        context="Early Monday 18,000 people had been evacuated.",
    )
    late = q(
        150000,
        as_of=MAY4,
        article=2,
        attribute="people evacuated",
        quote="150,000",
        context="Late on Monday 150,000 people had been evacuated.",
    )
    assert both(early, late, dynamics=same_day) is None
    noon = q(
        150000,
        as_of=MAY4,
        article=2,
        attribute="people evacuated",
        quote="150,000",
        context="By midday 150,000 people had been evacuated.",
    )
    assert both(early, noon, dynamics=same_day) is not None  # seven hours apart: still the same moment's figure


def test_a_time_from_the_text_comes_before_the_publication_moment_and_is_described_as_said() -> None:
    published = dt.datetime(2026, 5, 4, 6, 0, tzinfo=dt.UTC)
    told = q(52, as_of=MAY4, published=published, quote="52", context="By Monday evening, 52 had died.")
    found = moment(told)
    assert found is not None and found.at is not None and found.at.hour == 19 and found.said == "evening"
    untold = q(52, as_of=MAY4, published=published, quote="52", context="Officials said 52 had died.")
    assert describe(untold) == "4 May 2026 06:00 UTC"
    assert describe(q(52)) == "an unknown date"


def test_a_time_given_again_in_another_zone_is_not_another_figure() -> None:
    said = "At 3pm local time (1300 GMT), 240 were confirmed dead."
    assert time_in_text(said, "240") == (dt.time(15, 0), "3pm")
    assert time_in_text("At 14:30 (1230 GMT) the toll was 240.", "240") == (dt.time(14, 30), "14:30")


def test_a_live_blogs_timestamp_line_is_carried_into_the_claims_time() -> None:
    page = (
        "Live: Hurricane Lina\n07:45\nThe toll has reached 212.\n\n"
        "09:12 BST\nRescuers found more bodies. Officials now say 236 people have died.\n"
    )
    first_at, second_at = page.index("212"), page.index("236")
    early = sentence_of(page[max(0, first_at - 200) : first_at], "212", page[first_at + 3 :][:200])
    late = sentence_of(page[max(0, second_at - 200) : second_at], "236", page[second_at + 3 :][:200])
    assert early == "07:45\nThe toll has reached 212."
    assert late == "09:12 BST\nOfficials now say 236 people have died."
    toll = {"attribute": "death toll", "unit": "deaths", "as_of": MAY4, "article": 5}
    assert both(q(212, quote="212", context=early, **toll), q(236, quote="236", context=late, **toll)) is None
    down = both(
        q(236, quote="236", context=early.replace("212", "236"), **toll),
        q(212, quote="212", context=late.replace("236", "212"), **toll),
    )
    assert down is not None and "revised down" in down.explanation and "(07:45)" in down.explanation
    # The sentence's own time wins over the entry's.
    own = moment(q(212, quote="212", context="09:12\nBy 6 a.m. the toll was 212.", **toll))
    assert own is not None and own.said == "6 a.m."
    # A line with a time and many words is a sentence, not an entry's header.
    assert "\n" not in sentence_of(
        "At 09:12 the minister told reporters in the capital that many had died\n", "212", "."
    )


def test_a_sentence_ends_where_the_quote_begins_a_new_one() -> None:
    prefix = "09:12 BST\nRescuers searched the valley through the morning. "
    assert sentence_of(prefix, "Officials now say 15 people have died", ".") == (
        "09:12 BST\nOfficials now say 15 people have died."
    )


def test_within_one_article_a_time_of_one_figure_only_leaves_the_order_unknown() -> None:
    toll = {"attribute": "death toll", "unit": "deaths", "as_of": MAY4, "article": 3}
    published = dt.datetime(2026, 5, 4, 11, 0, tzinfo=dt.UTC)
    early = q(236, quote="236", context="By early Monday, 236 people had died.", published=published, **toll)
    plain = q(212, quote="212", context="The toll stands at 212.", published=published, **toll)
    assert both(early, plain) is None  # the article's publication time is not the 212's own
    same = both(q(236, quote="236", context="The toll is 236.", **toll), plain)
    assert same is not None and "reported at the same time" in same.explanation
