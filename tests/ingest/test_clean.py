from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.ingest.clean import Extracted, ExtractionError, clean_text
from claims.ingest.dates import parse_date_line
from claims.ingest.text_blocks import dedupe, is_prose

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
GOLD = Path("/work/shared/acceptance/seeds/gold.json")
UTC = datetime.UTC


def _read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _assert_verbatim_blocks(raw: str, result: Extracted) -> None:
    """The cleaner only drops lines: every body block must be a line (or joined lines) of the input."""
    flat = " ".join(line.strip() for line in raw.splitlines())
    blocks = result.text.split("\n\n")
    if result.title:
        assert blocks[0] == result.title
        blocks = blocks[1:]
    for block in blocks:
        assert block in flat, block[:80]


# ---------------------------------------------------------------- composed fixture pages

CASES: list[dict[str, Any]] = [
    {
        "file": "paste_repeated_body.txt",
        "title": None,
        "headline": "Reservoir Levels Fall to Record Low Across Three Provinces",
        "kept": [
            "DRAVOS, Eastland (Northwire) - Reservoirs in the three eastern provinces hold 31 percent of "
            "their capacity, the lowest level since records began in 1962, Water Minister Elena Varga told "
            "Northwire.",
            "Opposition lawmakers accused the government of ignoring warnings from hydrologists issued in 2021.",
        ],
        "once": [
            "Farmers in the region have already lost about 40,000 hectares of wheat to the dry spell",
            "Officials expect the restrictions to stay in place for at least four months.",
            "Water Minister Elena Varga told Northwire.",
            "Reservoir Levels Fall to Record Low Across Three Provinces",
        ],
        "junk": [
            "+44 20 7946 0958",
            "newsdesk@northwire.example",
            "Northwire Media Group Ltd",
            "https://",
            ".jpg",
            "climate change, farming",
            "2024-06-11T09:15",
            "\ndrought\n",
        ],
        "url": "https://northwire.example/20240611/reservoir-levels-fall-to-record-low-1120334455.html",
        "published": datetime.datetime(2024, 6, 11, 9, 15, tzinfo=UTC),
        "outlet": "Northwire Agency",
    },
    {
        "file": "paste_menu_comments.txt",
        "title": "Hospital Waiting Lists Shrink for the First Time in Five Years",
        "headline": "Hospital Waiting Lists Shrink for the First Time in Five Years",
        "kept": [
            "It was the first fall since 2019.",
            "“winter pressures could undo some of this progress.”",
            "Nurses’ unions said staffing gaps remained severe, with 9.4 percent of posts unfilled across the region",
        ],
        "once": ["The number of patients waiting for planned surgery fell to 612,000 in May"],
        "junk": [
            "No Result",
            "View All Result",
            "Share on Facebook",
            "Tuesday, March 4, 2025",
            "Tags:",
            "Next Post",
            "Ferry Operator Adds Night Crossings",
            "Leave a Reply",
            "Your email address will not be published.",
            "Recommended",
            "Council Approves 14 New Cycle Lanes",
            "3 years ago",
            "Popular News",
            "Storm Leaves 80,000 Homes",
            "Central Bank Holds Rate at 4.25",
            "Follow us",
            "Bringing the Region Closer",
            "© 2024",
            "Privacy Policy",
            "•",
            "Health Secretary Amara Osei\n",
            "June 12, 2024",
        ],
        "url": None,
        "published": datetime.datetime(2024, 6, 12, tzinfo=UTC),
        "outlet": "The Eastern Ledger",
    },
    {
        "file": "paste_weather_comments.txt",
        "title": None,
        "headline": "Survey: Most small firms plan to raise wages by more than inflation next year",
        "kept": [
            "CRN – A survey of 1,200 small companies found that 58 percent plan pay rises above the "
            "inflation rate in 2025, according to the chamber of commerce.",
            "A chamber economist, Lukas Brandt, said firms were “still struggling to hire, and pay is the "
            "lever they have.”",
        ],
        "once": ["The chamber said the share was the highest since it began the quarterly survey in 2011."],
        "junk": [
            "18.3 C",
            "Saturday, October 5, 2024",
            "cookies",
            "Subscribe to our newsletter",
            "| business news",
            "Related Articles",
            "Please enter your comment!",
            "Please enter your name here",
            "Stay Connected",
            "Latest Articles",
            "Grain Exports Recover",
            "scroll to top",
        ],
        "url": None,
        "published": None,  # the only date is the page header's "today", above the headline
        "outlet": None,
    },
    {
        "file": "paste_icons_standfirst.txt",
        "title": None,
        "headline": "Lake ferry service to resume after 18-month suspension – officials",
        "kept": [
            "Regional authorities say repairs to two piers are complete and a new operator has been hired",
            "Tickets will cost 4.50 euros for adults.",
            "The office said the repairs cost 7.8 million euros, about 1.3 million more than first estimated.",
        ],
        "once": [
            "Lake ferry service to resume after 18-month suspension – officials",
            "The ferry link across Lake Orsa will reopen on April 2",
        ],
        "junk": ["bookmarkicon", "icon", "14 Mar, 2024", "[Jana Roos/Lakeside Press]"],
        "url": None,
        "published": datetime.datetime(2024, 3, 14, 11, 20, tzinfo=UTC),
        "outlet": None,
    },
]


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_fixture_pages_are_cleaned(case: dict[str, Any]) -> None:
    raw = _read(case["file"])
    result = clean_text(raw, title=case["title"])
    assert result.text.startswith(case["headline"] + "\n\n")
    assert result.title == case["headline"]
    for sentence in case["kept"]:
        assert sentence in result.text
    for sentence in case["once"]:
        assert result.text.count(sentence) == 1, sentence
    for junk in case["junk"]:
        assert junk not in result.text, junk
    assert result.url == case["url"]
    assert result.published_at == case["published"]
    assert result.outlet == case["outlet"]
    _assert_verbatim_blocks(raw, result)


def test_merged_body_copy_loses_to_split_paragraphs() -> None:
    result = clean_text(_read("paste_repeated_body.txt"))
    paragraphs = result.text.split("\n\n")
    # The headline, the dateline paragraph and five split paragraphs: neither the long merged copy
    # nor the bare standfirst survives.
    assert len(paragraphs) == 6
    assert paragraphs[1].startswith("DRAVOS, Eastland (Northwire) - ")
    assert paragraphs[2].startswith('"We are asking every household')


# ---------------------------------------------------------------- behaviour in the small


def test_empty_text_is_refused() -> None:
    with pytest.raises(ExtractionError, match="the text is empty"):
        clean_text(" \n\t\n")


def test_page_without_prose_is_refused() -> None:
    with pytest.raises(ExtractionError, match="no article body found"):
        clean_text("Home\nWorld\nSport\n• Contact us\n© 2024 Example News\n+1 212 555 0100")


def test_client_title_is_kept_even_when_the_page_words_it_differently() -> None:
    raw = "Mayor quits after audit\n\nThe mayor of Tarn resigned on Friday after an audit found 3 gaps."
    result = clean_text(raw, title="Tarn mayor resigns")
    assert result.title == "Tarn mayor resigns"
    assert result.text.startswith("Tarn mayor resigns\n\nThe mayor of Tarn resigned")


def test_headline_with_site_suffix_is_dropped_and_short_sentence_kept() -> None:
    raw = (
        "Bridge closes for repairs | Valley Post\n"
        "Valley Post\n"
        "The Arden bridge will close for 6 weeks from May 3 while engineers replace its bearings.\n"
        "It carries 22,000 vehicles a day.\n"
        "Share on Facebook\n"
    )
    result = clean_text(raw)
    assert result.text == (
        "Bridge closes for repairs\n\n"
        "The Arden bridge will close for 6 weeks from May 3 while engineers replace its bearings."
        "\n\nIt carries 22,000 vehicles a day."
    )


def test_hard_wrapped_paragraph_is_joined_back() -> None:
    raw = (
        "Budget vote delayed\n\n"
        "Lawmakers postponed the vote on the 2025 budget until\n"
        "next week after the finance committee asked for more time.\n"
    )
    result = clean_text(raw, title="Budget vote delayed")
    assert (
        "Lawmakers postponed the vote on the 2025 budget until next week after the finance committee "
        "asked for more time."
    ) in result.text


def test_prose_after_a_related_box_in_mid_article_is_kept() -> None:
    long_a = (
        "The regional court ruled on Monday that the 2019 land sale was void because the council had "
        "not published the tender, and it ordered the buyer to return the plot within 90 days."
    )
    long_b = (
        "Lawyers for the buyer said they would appeal, arguing that the council had accepted payment "
        "of 1.2 million euros and could not now undo the contract it signed."
    )
    long_c = "The council said it would publish a new tender for the plot before the end of the year."
    raw = (
        f"Court voids land sale\n{long_a}\nRelated Articles\nCouncil Seeks New Tender Rules\n"
        f"{long_b}\n{long_c}\nComments\nGreat article.\n"
    )
    result = clean_text(raw, title="Court voids land sale")
    assert long_a in result.text and long_b in result.text and long_c in result.text
    assert "Council Seeks New Tender Rules" not in result.text
    assert "Great article." not in result.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2024-03-02T06:56+0000", datetime.datetime(2024, 3, 2, 6, 56, tzinfo=UTC)),
        ("25 Jan, 2024 04:59", datetime.datetime(2024, 1, 25, 4, 59, tzinfo=UTC)),
        ("February 8, 2024", datetime.datetime(2024, 2, 8, tzinfo=UTC)),
        (
            "Published: 3 May 2024 10:30 a.m. EDT",
            datetime.datetime(2024, 5, 3, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=-4))),
        ),
        ("Updated Sept. 9, 2023 at 5:05 pm", datetime.datetime(2023, 9, 9, 17, 5, tzinfo=UTC)),
    ],
)
def test_date_lines_parse_to_aware_datetimes(line: str, expected: datetime.datetime) -> None:
    found = parse_date_line(line)
    assert found is not None
    assert found.when == expected
    assert found.when.tzinfo is not None


def test_dates_inside_prose_are_not_date_lines() -> None:
    assert parse_date_line("The talks began on February 8, 2024 after a long pause in the capital.") is None


def test_prose_classifier() -> None:
    assert is_prose("He declined to comment.")
    assert is_prose("The city has pushed for an end to the contract and condemned recent fare rises")
    assert not is_prose("Storm Leaves 80,000 Homes Without Power")
    assert not is_prose("icon bookmark chevron downicon closeicon fbicon mailicon searchicon shareicon")
    assert not is_prose("• Politics")


def test_dedupe_keeps_the_containing_paragraph_and_first_exact_copy() -> None:
    standfirst = "The port reopened on Monday after a nine-day strike."
    dated = "VELMORA (Wire) - " + standfirst
    assert dedupe([standfirst, "Other text that stands alone here.", dated, standfirst]) == [
        "Other text that stands alone here.",
        dated,
    ]


# ---------------------------------------------------------------- the acceptance seeds


def _gold() -> dict[str, Any] | None:
    return json.loads(GOLD.read_text(encoding="utf-8")) if GOLD.exists() else None


_GOLD = _gold()
_SEED_IDS = [a["id"] for a in _GOLD["articles"]] if _GOLD else ["absent"]


@pytest.mark.parametrize("article_id", _SEED_IDS)
@pytest.mark.parametrize("with_title", [True, False], ids=["client-title", "no-title"])
def test_seed_articles_meet_gold(article_id: str, with_title: bool) -> None:
    if _GOLD is None:
        pytest.skip(f"acceptance seeds not present at {GOLD}")
    article = next(a for a in _GOLD["articles"] if a["id"] == article_id)
    raw = (GOLD.parent / article["file"]).read_text(encoding="utf-8")
    result = clean_text(raw, title=article["title"] if with_title else None)
    quotes = [c["quote"] for c in _GOLD["claims"] if c["article"] == article_id]
    assert quotes, "every seed article has gold quotes"
    assert [q for q in quotes if q not in result.text] == []
    assert [j for j in article.get("junk", []) if j in result.text] == []
    once = article.get("once", [])
    assert {s: result.text.count(s) for s in once} == dict.fromkeys(once, 1)
    _assert_verbatim_blocks(raw, result)
    if with_title:
        assert result.title == article["title"]
        assert result.text.startswith(article["title"] + "\n\n")


def test_comment_thread_after_the_article_is_dropped() -> None:
    body = (
        "The school board voted 5-2 on Wednesday to extend the school day by 30 minutes from September, "
        "a change it said would cost 1.4 million dollars a year."
    )
    raw = (
        f"Board extends school day\n{body}\n3 Comments\nmaria_k\nThis is a terrible idea and the parents "
        "were never asked about it at all.\nReply\njdoe\nAgreed, the board should have held a vote.\n"
    )
    result = clean_text(raw, title="Board extends school day")
    assert result.text == f"Board extends school day\n\n{body}"


def test_pasted_page_source_is_extracted_as_html() -> None:
    raw = (FIXTURES / "html_nav_aside.html").read_text(encoding="utf-8")
    result = clean_text(raw, title="Freight up 12%")
    assert result.title == "Freight up 12%"
    assert result.text.startswith("Freight up 12%\n\n")
    assert "The tunnel closed in June 2023 after a landslide damaged 300 metres of track." in result.text
    assert "<" not in result.text
    assert "Rail freight volumes jump 12% after tunnel reopening" not in result.text


_LINES = st.one_of(
    st.sampled_from(
        [
            "Home",
            "• Politics",
            "Share on Facebook",
            "Related Articles",
            "© 2024 Example Times",
            "25.9 C",
            "Thursday, September 11, 2025",
            "https://example.com/a.jpg",
            "call +1 202 555 0100",
            "Tags: a, b",
            "The council approved the budget on Monday after a long debate in the chamber.",
            "It was the third vote this year.",
            "Leave a Reply",
            "Your email address will not be published.",
            "A headline about the budget vote",
            "",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=80),
)


@settings(max_examples=150, deadline=None, database=None)
@given(lines=st.lists(_LINES, max_size=30), title=st.one_of(st.none(), st.text(max_size=40)))
def test_any_input_either_fails_cleanly_or_only_drops_lines(lines: list[str], title: str | None) -> None:
    raw = "\n".join(lines)
    try:
        result = clean_text(raw, title=title)
    except ExtractionError as exc:
        assert str(exc) in {"the text is empty", "no article body found"}
        return
    _assert_verbatim_blocks(raw, result)
    assert result.published_at is None or result.published_at.tzinfo is not None


def test_captions_byline_and_agency_dates_are_recognised() -> None:
    raw = (
        "Skip to content\nHome\nNews\nMinisters agree new fishing quotas after all-night talks\nPublished\n"
        "3 hours ago\nImage source, Harbour Photos\nImage caption, Trawlers moored at the harbour on Monday, "
        "when the talks began in the capital.\nBy Jane Holt\nMon 12 Feb 2024 10.32 GMT\n"
        "Ministers from nine countries agreed on Wednesday to cut cod quotas by 18% next year.\n"
        "Fishing groups said the cut would cost 1,100 jobs.\n"
        "Reporting by Jane Holt; Editing by Sam Reed\nMore on this story\nHarbour strike ends after 12 days\n"
    )
    result = clean_text(raw)
    assert result.title == "Ministers agree new fishing quotas after all-night talks"
    assert result.byline == "Jane Holt"
    assert result.published_at == datetime.datetime(2024, 2, 12, 10, 32, tzinfo=UTC)
    assert result.text == (
        "Ministers agree new fishing quotas after all-night talks\n\n"
        "Ministers from nine countries agreed on Wednesday to cut cod quotas by 18% next year.\n\n"
        "Fishing groups said the cut would cost 1,100 jobs."
    )


# ---------------------------------------------------------------- pasted text that still carries markup


def test_pasted_text_with_inline_markup_is_read_as_an_html_fragment() -> None:
    raw = (
        "<b>Council approves 2025 budget after marathon session</b>\n\n"
        "The city council of Tarn approved a budget of <b>1.2 billion euros</b> on Monday, its spokeswoman "
        '<a href="https://tarn.example/p">Ana Ruiz</a> said.\n\n'
        "Spending on schools rises by 4&nbsp;percent, the largest increase since 2019 &mdash; and taxes stay "
        "flat.<br>Fees for parking rise by a tenth.\n\n"
        "&ldquo;We kept every promise,&rdquo; the mayor said.\n"
    )
    result = clean_text(raw)
    assert result.title == "Council approves 2025 budget after marathon session"
    assert result.text.split("\n\n")[1:] == [
        "The city council of Tarn approved a budget of 1.2 billion euros on Monday, its spokeswoman Ana Ruiz said.",
        "Spending on schools rises by 4\u00a0percent, the largest increase since 2019 — and taxes stay flat.",
        "Fees for parking rise by a tenth.",
        "“We kept every promise,” the mayor said.",
    ]


def test_plain_text_with_angle_brackets_or_ampersands_is_left_alone() -> None:
    raw = (
        "Rates rise again\n\nThe bank said inflation of <3% was the goal for R&D spending, and a < b "
        "held for the 2025 forecast.\n"
    )
    result = clean_text(raw, title="Rates rise again")
    assert "inflation of <3% was the goal for R&D spending, and a < b held" in result.text


def test_lists_and_labels_between_pasted_paragraphs_are_kept() -> None:
    first = "The ferry operator will run fewer crossings from May, its chief executive said on Tuesday."
    last = "Residents said the cut would leave commuters stranded on winter evenings."
    raw = (
        f"Ferry timetable cut\n{first}\nCrossings from May:\n- Monday to Friday: two return sailings a day\n"
        f"- Saturday: two return sailings\n{last}\nShare on Facebook\n"
    )
    result = clean_text(raw, title="Ferry timetable cut")
    assert result.text.split("\n\n")[1:] == [
        first,
        "Crossings from May:",
        "- Monday to Friday: two return sailings a day",
        "- Saturday: two return sailings",
        last,
    ]


@pytest.mark.parametrize(
    "listed",
    [
        ["Berth 1: 1,240 containers", "Berth 2: 980 containers", "Berth 3: 1,105 containers"],
        ["- North quay handled 1,240 containers", "- South quay handled 980", "- Ferry terminal: none"],
        ["Group A: Brazil 7 points, Norway 4", "Group B: Japan 9 points, Chile 6"],
        ["1. North quay: 1,240 containers", "2. South quay: 980 containers", "3. Ferry terminal: 12"],
    ],
)
def test_a_pasted_article_that_ends_on_a_list_of_figures_keeps_it(listed: list[str]) -> None:
    """Nothing follows the list, so no later paragraph vouches for it; its figures do (they are claims)."""
    intro = "The harbour board published the weekly figures for each berth on Friday, as the strike went on."
    raw = "\n".join(["Container traffic by berth", intro, *listed, "Share on Facebook"])
    result = clean_text(raw, title="Container traffic by berth")
    assert result.text.split("\n\n")[1:] == [intro, *listed]


def test_headlines_of_other_stories_after_a_pasted_article_are_still_dropped() -> None:
    intro = "The harbour board published the weekly figures for each berth on Friday, as the strike went on."
    others = ["Ferry operator cuts winter crossings", "Council approves new quay wall", "Dockers vote on pay offer"]
    result = clean_text("\n".join(["Container traffic by berth", intro, "More stories", *others]), title=None)
    assert result.text.split("\n\n")[1:] == [intro]
    # Headlines with a figure here and there are not a list of figures either, nor ranked or timed teasers.
    for others in (
        ["Ferry operator cuts 3 winter crossings", "Council approves new quay wall", "Dockers vote on pay"],
        ["1. Ferry operator cuts winter crossings", "2. Council approves new quay wall", "3. Dockers vote on pay"],
        ["1 Ferry operator cuts winter crossings", "2 Council approves new quay wall", "3 Dockers vote on pay"],
        ["Ferry operator cuts winter crossings 2 hours ago", "Council approves new quay wall 5h ago"],
    ):
        result = clean_text("\n".join(["Container traffic by berth", intro, *others]), title=None)
        assert result.text.split("\n\n")[1:] == [intro], others


def test_a_list_of_figures_right_above_the_first_paragraph_is_kept_and_menus_are_not() -> None:
    """Key figures above the story are body; the header's short lines above them are not."""
    first = "Flood water reached the old town overnight, and the river is still rising, the county council said."
    figures = ["1,200 people evacuated", "3 bridges closed", "14 schools shut on Monday"]
    raw = "\n".join(["Home", "World news", "Sign in", "River flood reaches old town", *figures, first])
    result = clean_text(raw, title="River flood reaches old town")
    assert result.text.split("\n\n")[1:] == [*figures, first]
    menus = ["Home", "World news", "Local politics", "Sign in to comment", "River flood reaches old town"]
    result = clean_text("\n".join([*menus, first]), title="River flood reaches old town")
    assert result.text.split("\n\n")[1:] == [first]


@pytest.mark.parametrize(
    ("raw", "headline"),
    [
        (
            "Quake hits coast\nA magnitude 6.1 earthquake struck off the coast at 03:14, the agency said.",
            "Quake hits coast",
        ),
        ("Flood update\n\nWater is rising.\n\nTwo bridges closed.\n\n1,200 people evacuated.", "Flood update"),
        ("Home\nA magnitude 6.1 earthquake struck off the coast at 03:14, the agency said.", None),
        ("Home\nWorld news\nA magnitude 6.1 earthquake struck off the coast at 03:14, the agency said.", None),
    ],
)
def test_a_short_headline_on_the_first_line_is_the_headline(raw: str, headline: str | None) -> None:
    """Two or three words on the paste's first line, right above prose, are its headline (they were lost: neither
    headline nor body); a one-word label, or a short line under another, is not."""
    result = clean_text(raw)
    assert result.title == headline
    assert result.text.startswith(headline) if headline else "Home" not in result.text
