from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.detect.compare import DEFAULT, ClaimFacts, Settings, Verdict, compare, timeline_check

FEB = dt.date(2024, 2, 8)


def qty(value: object, qualifier: str = "exact", unit: str | None = "troops", **kw: object) -> ClaimFacts:
    fields: dict[str, object] = {
        "id": None,
        "subject": "Peacekeepers in Ruritania",
        "attribute": "troop count",
    } | kw
    return ClaimFacts(kind="quantity", value=value, unit=unit, qualifier=qualifier, **fields)  # type: ignore[arg-type]


def date(value: object, qualifier: str = "exact", **kw: object) -> ClaimFacts:
    fields: dict[str, object] = {
        "id": None,
        "subject": "Harbour bridge collapse",
        "attribute": "event date",
    } | kw
    return ClaimFacts(kind="date", value=value, qualifier=qualifier, **fields)  # type: ignore[arg-type]


def dur(lo: float, hi: float | None, unit: str, qualifier: str = "exact", **kw: object) -> ClaimFacts:
    fields: dict[str, object] = {"id": None, "subject": "Peacekeeping drawdown", "attribute": "timeline"} | kw
    value = {"min": lo, "max": hi, "unit": unit}
    return ClaimFacts(kind="duration", value=value, qualifier=qualifier, **fields)  # type: ignore[arg-type]


def stmt(polarity: str | None, **kw: object) -> ClaimFacts:
    fields: dict[str, object] = {"id": None, "subject": "Ceasefire talks", "attribute": "are under way"} | kw
    return ClaimFacts(kind="statement", value=None, polarity=polarity, **fields)  # type: ignore[arg-type]


def attr(speaker: str | None, quote: str, **kw: object) -> ClaimFacts:
    fields: dict[str, object] = {"id": None, "subject": "Ceasefire talks", "attribute": "said by"} | kw
    return ClaimFacts(kind="attribution", value=None, speaker=speaker, quote=quote, **fields)  # type: ignore[arg-type]


def both(a: ClaimFacts, b: ClaimFacts, **kw: object) -> Verdict | None:
    """compare() in both orders, asserting they agree."""
    forward, backward = compare(a, b, **kw), compare(b, a, **kw)  # type: ignore[arg-type]
    assert forward == backward
    return forward


# --- quantities -------------------------------------------------------------------------------------


def test_2400_vs_about_2500_is_flagged_with_a_readable_explanation() -> None:
    verdict = both(qty(2400, as_of=FEB), qty(2500, "approx", as_of=FEB))
    assert verdict is not None
    assert verdict.kind == "numeric"
    assert verdict.explanation == (
        "2,400 vs about 2,500 troops, 4% apart, both as of 8 February 2024; "
        "a level that moves either way, compared within 90 days"
    )
    assert 0.5 < verdict.score < 0.6


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (qty(2500), qty(2500, "approx")),
        (qty(2500, "approx"), qty(2500, "approx")),
        (qty(2500), qty(2500.0)),
        (qty(2480), qty(2500, "approx")),
        (qty(2450), qty(2500, "approx")),
        (qty(2550), qty(2500, "approx")),
        (qty(10, "approx"), qty(11)),  # small figures: "about" covers at least +/- 1
        (qty(900, "at_least"), qty(1200)),
        (qty(900, "at_most"), qty(500)),
        (qty(900, "at_least"), qty(900, "at_most")),
        (qty({"min": 2000, "max": 3000}), qty(2500)),
        (qty({"min": 2000, "max": 3000}), qty({"min": 2900, "max": 4000})),
        (qty({"min": 10, "max": None}), qty(5000)),
        (qty(2500, unit="soldiers"), qty(2500, unit="service members")),
        (qty(2500, unit=None), qty(2500, unit="troops")),
    ],
)
def test_compatible_quantities_are_not_flagged(a: ClaimFacts, b: ClaimFacts) -> None:
    assert both(a, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (qty(2400), qty(2500, "approx")),
        (qty(2400, "approx"), qty(2500, "approx")),
        (qty(2500), qty(2501)),
        (qty(10, "approx"), qty(12)),
        (qty(900, "at_least"), qty(800)),
        (qty(900, "at_most"), qty(1000)),
        (qty(900, "at_most"), qty(901, "at_least")),
        (qty({"min": 2000, "max": 3000}), qty(3500)),
        (qty({"min": 10, "max": None}), qty(5)),
        (qty(3, unit="soldiers"), qty(2500, unit="people")),
        (qty(-5, unit="degrees"), qty(5, unit="degrees")),
    ],
)
def test_incompatible_quantities_are_flagged(a: ClaimFacts, b: ClaimFacts) -> None:
    verdict = both(a, b)
    assert verdict is not None and verdict.kind == "numeric"


def test_different_unit_classes_are_not_comparable() -> None:
    assert both(qty(2500, unit="troops"), qty(4.4, unit="USD")) is None
    assert both(qty(2500, unit="tanks"), qty(100, unit="troops")) is None


def test_hedges_and_ranges_appear_in_the_explanation() -> None:
    verdict = both(qty({"min": 100, "max": 200}, unit="people"), qty(900, "at_least", unit="soldiers"))
    assert verdict is not None
    assert verdict.explanation.startswith("100-200 people vs at least 900 soldiers, ")
    open_ended = both(qty({"min": 5000, "max": None}), qty(10, "at_most"))
    assert open_ended is not None and "5,000 or more troops" in open_ended.explanation
    fractional = both(qty(4.25, unit="USD"), qty(4.4, unit="USD"))
    assert fractional is not None and fractional.explanation.startswith("4.25 vs 4.4 USD, 3% apart")


def test_tiny_differences_report_a_fraction_of_a_percent() -> None:
    verdict = both(qty(2500), qty(2501))
    assert verdict is not None and "0.04% apart" in verdict.explanation


def test_as_of_phrases() -> None:
    jan, feb = dt.date(2024, 1, 25), FEB
    one = both(qty(2400, as_of=jan), qty(2500, as_of=feb))
    assert one is not None and "as of 25 January 2024 and 8 February 2024;" in one.explanation
    unknown = both(qty(2400), qty(2500, as_of=feb))
    assert unknown is not None and "as of an unknown date and 8 February 2024;" in unknown.explanation
    neither = both(qty(2400), qty(2500))
    assert neither is not None and "dates unknown;" in neither.explanation


def test_outlets_label_the_figures() -> None:
    verdict = both(qty(2400, outlet="Daily Bugle"), qty(2500, outlet="Planet News"))
    assert verdict is not None
    assert verdict.explanation.startswith("2,400 (Daily Bugle) vs 2,500 troops (Planet News)")


def test_score_grows_with_the_gap_and_is_capped() -> None:
    scores = [both(qty(n), qty(2500)) for n in (2400, 2000, 1000, 10)]
    values = [v.score for v in scores if v is not None]
    assert len(values) == 4
    assert values == sorted(values) and values[0] < values[-1]
    assert values[-1] == 1.0
    assert all(0.5 <= s <= 1.0 for s in values)


def test_related_subjects_score_lower_and_are_named() -> None:
    a = qty(2400, subject="Allied soldiers in Ruritania")
    b = qty(2500, subject="Peacekeepers in Ruritania")
    same = both(a, b)
    related = both(a, b, related=True)
    assert same is not None and related is not None
    assert related.score == pytest.approx(same.score * DEFAULT.related_score_factor)
    assert "related subjects: Allied soldiers in Ruritania; Peacekeepers in Ruritania" in related.explanation


def test_figures_far_apart_in_time_are_a_change_not_a_contradiction() -> None:
    assert both(qty(5200, as_of=dt.date(2022, 6, 1)), qty(2500, as_of=FEB)) is None
    window = DEFAULT.default_window_days
    assert both(qty(5200, as_of=FEB), qty(2500, as_of=FEB + dt.timedelta(days=window + 1))) is None
    assert both(qty(5200, as_of=FEB), qty(2500, as_of=FEB + dt.timedelta(days=window))) is not None
    # Unknown dates cannot show a change, so the figures are compared.
    assert both(qty(5200), qty(2500, as_of=FEB)) is not None


def test_change_windows_are_per_normalised_attribute() -> None:
    first = qty(3, unit="people", attribute="Death toll", as_of=dt.date(2024, 3, 1))
    later = qty(9, unit="people", attribute="death toll", as_of=dt.date(2024, 3, 5))
    assert both(first, later) is None  # tolls rise within days
    custom = Settings(change_window_days={"Troop  Count": 10})
    a, b = qty(2400, as_of=FEB), qty(2500, as_of=FEB + dt.timedelta(days=20))
    assert both(a, b) is not None
    assert both(a, b, settings=custom) is None


def test_different_attributes_are_never_compared() -> None:
    assert both(qty(2400), qty(2500, attribute="death toll")) is None
    assert both(qty(2400, attribute="Troop Count"), qty(2500, attribute="troop count")) is not None


@pytest.mark.parametrize("bad", ["2,500", True, None, {"max": 3}, {"min": "a", "max": 3}, float("nan"), [1, 2]])
def test_malformed_quantities_are_not_comparable(bad: object) -> None:
    assert both(qty(bad), qty(10)) is None


def test_unrelated_kinds_are_not_compared() -> None:
    assert both(qty(2020, attribute="x"), date("2020", attribute="x")) is None
    assert both(stmt("affirms", attribute="x"), attr("A", "a b c d e f g", attribute="x")) is None
    assert both(qty(2, attribute="x"), dur(2, 2, "year", attribute="x")) is None


# --- dates ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (date("2020"), date("2020-01")),
        (date("2024-01"), date("2024-01-27")),
        (date("2014"), date("2014")),
        (date("2024-02"), date("2024-02-29")),
        (date("2019", "approx"), date("2020-06")),
        (date("2024-01", "approx"), date("2024-02-15")),
        (date("2024-01-24", "approx"), date("2024-01-25")),
        (date("2023-10-07", "at_most"), date("2023")),
        (date("2023-10-07", "at_most"), date("2022-05")),
        (date("2024", "at_least"), date("2030-01-01")),
        (date("2023-12", "approx"), date("2024-01-31")),
    ],
)
def test_compatible_dates_are_not_flagged(a: ClaimFacts, b: ClaimFacts) -> None:
    assert both(a, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (date("2018-01"), date("2020-01")),
        (date("2024-01-24"), date("2024-01-25")),
        (date("2024-02"), date("2024-03-01")),
        (date("2019", "approx"), date("2021-01")),
        (date("2024-01", "approx"), date("2024-03-01")),
        (date("2023-10-07", "at_most"), date("2023-11")),
        (date("2024", "at_least"), date("2023")),
        (date("2011"), date("2021")),
    ],
)
def test_disjoint_dates_are_flagged(a: ClaimFacts, b: ClaimFacts) -> None:
    verdict = both(a, b)
    assert verdict is not None and verdict.kind == "date"


def test_date_explanation_and_score() -> None:
    verdict = both(date("2020-01"), date("2018-01"))
    assert verdict is not None
    assert verdict.explanation == "January 2018 vs January 2020, about 2 years apart"
    near = both(date("2024-01-24"), date("2024-01-25"))
    assert near is not None and near.explanation == "24 January 2024 vs 25 January 2024, 1 day apart"
    assert near.score < verdict.score
    hedged = both(date("2023-10-07", "at_most"), date("2024-03", "approx"))
    assert hedged is not None and hedged.explanation.startswith("by 7 October 2023 vs around March 2024, ")


def test_event_dates_ignore_the_change_window() -> None:
    a = date("2018-01", as_of=dt.date(2018, 2, 1))
    b = date("2020-01", as_of=dt.date(2024, 2, 1))
    assert both(a, b) is not None


@pytest.mark.parametrize("bad", ["2020-13", "20", "2020-02-30", "January 2020", 2020, None, "2020-1-1-1"])
def test_malformed_dates_are_not_comparable(bad: object) -> None:
    assert both(date(bad), date("1990")) is None


# --- durations and deadlines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (dur(2, 5, "year"), dur(3, 3, "year")),
        (dur(10, 10, "year", "approx"), dur(9, 9, "year")),
        (dur(3, 11, "month", "approx"), dur(1, 1, "year")),
        (dur(3, None, "month", "at_least"), dur(5, 5, "years")),
        (dur(2, 2, "month", "approx"), dur(10, 10, "week")),
        (dur(6, 6, "month", "at_most"), dur(2, 2, "week")),
    ],
)
def test_compatible_durations_are_not_flagged(a: ClaimFacts, b: ClaimFacts) -> None:
    assert both(a, b) is None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (dur(2, 5, "year"), dur(6, 6, "month")),
        (dur(10, 10, "year", "approx"), dur(12, 12, "year")),
        (dur(3, None, "month", "at_least"), dur(2, 2, "month")),
        (dur(6, 6, "month", "at_most"), dur(1, 1, "year")),
        (dur(1, 1, "decade"), dur(2, 2, "year")),
    ],
)
def test_incompatible_durations_are_a_timeline_clash(a: ClaimFacts, b: ClaimFacts) -> None:
    verdict = both(a, b)
    assert verdict is not None and verdict.kind == "timeline"


def test_duration_explanation_and_window() -> None:
    verdict = both(dur(2, 5, "year", as_of=FEB), dur(6, 6, "month", "approx", as_of=FEB))
    assert verdict is not None
    assert verdict.explanation == "about 6 months vs 2-5 years, both as of 8 February 2024"
    later = dt.date(2025, 2, 8)
    assert both(dur(2, 5, "year", as_of=FEB), dur(6, 6, "month", as_of=later)) is None


@pytest.mark.parametrize("bad", [{"min": 2, "max": 5}, {"min": 2, "max": 5, "unit": "fortnight"}, 5, None])
def test_malformed_durations_are_not_comparable(bad: object) -> None:
    broken = ClaimFacts(id=None, kind="duration", subject="s", attribute="timeline", value=bad)
    assert both(broken, dur(1, 1, "year")) is None


def test_a_span_counted_from_its_date_can_miss_a_deadline() -> None:
    span = dur(2, 5, "year", as_of=dt.date(2024, 1, 25), attribute="withdrawal timeline")
    deadline = date("2024-12-31", "at_most", attribute="withdrawal timeline")
    verdict = both(span, deadline)
    assert verdict is not None and verdict.kind == "timeline"
    assert verdict.explanation == (
        "2-5 years from 25 January 2024 ends 25 January 2026 at the earliest, but is due to end by 31 December 2024"
    )


@pytest.mark.parametrize(
    "span",
    [
        dur(6, 6, "month", as_of=dt.date(2024, 1, 25)),
        dur(5, 5, "year", "at_most", as_of=dt.date(2024, 1, 25)),  # "within 5 years" can end in time
        dur(1, 1, "year", "approx", as_of=dt.date(2024, 1, 25)),
        dur(2, 5, "year", as_of=None),  # no start to count from
    ],
)
def test_spans_that_can_meet_the_deadline_or_have_no_start(span: ClaimFacts) -> None:
    assert both(span, date("2024-12-31", "at_most", attribute="timeline")) is None


def test_only_a_deadline_date_is_set_against_a_span() -> None:
    # A decade-long deployment vs "deployed in 2014": the date starts the span, it does not end it.
    span = dur(10, 10, "year", "approx", as_of=dt.date(2024, 1, 25))
    assert both(span, date("2014", attribute="timeline")) is None
    assert both(span, date("2014", "at_least", attribute="timeline")) is None


# --- statements -------------------------------------------------------------------------------------


def test_opposite_polarity_is_flagged() -> None:
    yes = stmt("affirms", speaker="Ministry of Peace", as_of=FEB)
    no = stmt("denies", outlet="Daily Bugle")
    verdict = both(yes, no)
    assert verdict is not None and verdict.kind == "polarity"
    assert verdict.explanation == (
        "Ceasefire talks, are under way: affirmed by Ministry of Peace (as of 8 February 2024), denied by Daily Bugle"
    )
    assert both(stmt("affirms"), stmt("DENIES")) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (stmt("affirms"), stmt("affirms")),
        (stmt("denies"), stmt("denies")),
        (stmt(None), stmt("denies")),
        (stmt("maybe"), stmt("denies")),
        (stmt("affirms", as_of=dt.date(2023, 1, 1)), stmt("denies", as_of=FEB)),  # positions change
    ],
)
def test_statements_that_do_not_clash(a: ClaimFacts, b: ClaimFacts) -> None:
    assert both(a, b) is None


def test_statements_inside_the_window_clash() -> None:
    assert both(stmt("affirms", as_of=dt.date(2024, 1, 25)), stmt("denies", as_of=dt.date(2024, 3, 2))) is not None


# --- attributions -----------------------------------------------------------------------------------

SHARED = "\u201cthe bridge will reopen to traffic before the spring floods\u201d"


def test_same_quoted_words_from_different_speakers_are_flagged() -> None:
    a = attr("Minister Jane Roe", f"Roe said {SHARED}, officials confirmed")
    b = attr(
        "Governor Max Mustermann",
        'Mustermann said that "the bridge will reopen to traffic before the spring floods".',
    )
    verdict = both(a, b)
    assert verdict is not None and verdict.kind == "attribution"
    assert "the bridge will reopen to traffic before the spring floods" in verdict.explanation
    assert "Jane Roe" in verdict.explanation and "Max Mustermann" in verdict.explanation


def test_identical_quotes_modulo_case_and_punctuation_are_flagged() -> None:
    a = attr("Jane Roe", "The bridge will reopen before the spring floods, she said.")
    b = attr("Max Mustermann", "the bridge will reopen before the spring floods -- she said")
    assert both(a, b) is not None


def test_a_quoted_passage_repeated_without_quote_marks_counts() -> None:
    a = attr("Jane Roe", f"Roe said {SHARED}")
    b = attr("Max Mustermann", "Mustermann said the bridge will reopen to traffic before the spring floods")
    assert both(a, b) is not None


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # the same speaker, spelt differently
        (attr("Jane A. Roe", f"Roe: {SHARED}"), attr("Jane Roe", f"Officials said {SHARED}")),
        # two officials announcing one thing in their own words
        (
            attr("Jane Roe", "Roe announced the reopening"),
            attr("Max Mustermann", "Mustermann confirmed the plan"),
        ),
        # shared quote too short to be a specific passage
        (
            attr("Jane Roe", "Roe said \u201cwe agree\u201d"),
            attr("Max Mustermann", 'Max said "we agree" too'),
        ),
        # identical but short attribution spans
        (attr("Jane Roe", "officials said"), attr("Max Mustermann", "officials said")),
        # unknown speaker
        (attr(None, f"It was said {SHARED}"), attr("Max Mustermann", f"Max said {SHARED}")),
    ],
)
def test_attributions_that_do_not_clash(a: ClaimFacts, b: ClaimFacts) -> None:
    assert both(a, b) is None


def test_long_shared_passages_are_shortened_in_the_explanation() -> None:
    passage = " ".join(f"word{i}" for i in range(40))
    verdict = both(attr("Jane Roe", f'"{passage}"'), attr("Max Mustermann", f'"{passage}"'))
    assert verdict is not None and "...\u201d" in verdict.explanation


# --- timelines --------------------------------------------------------------------------------------


def after(value: str, qualifier: str = "exact") -> ClaimFacts:
    return date(value, qualifier, subject="Protest march", attribute="event date", after="Harbour bridge collapse")


def test_an_event_dated_before_the_event_it_responded_to_is_flagged() -> None:
    earlier = [date("2020-01"), date("2020-01-03", id=7)]
    result = timeline_check(after("2018-01"), earlier)
    assert [other for other, _ in result] == earlier
    first = result[0][1]
    assert first.kind == "timeline"
    assert first.explanation == (
        "Protest march is dated January 2018, before Harbour bridge collapse (January 2020), which it came after"
    )
    assert 0.5 < first.score <= 1.0


@pytest.mark.parametrize(
    ("event", "earlier"),
    [
        (after("2018-01"), [date("2020-01"), date("2017")]),  # not before every claimed date
        (after("2020-01-03"), [date("2020-01")]),  # same month: could be after
        (after("2020-01-03"), [date("2020-01-03")]),  # same day
        (after("2020"), [date("2020-06")]),
        (after("2019-12", "approx"), [date("2020-01")]),
        (after("2018", "at_least"), [date("2020-01")]),
        (after("2018-01"), []),
        (after("not a date"), [date("2020-01")]),
        (after("2018-01"), [date("garbage"), stmt("affirms")]),
    ],
)
def test_timelines_that_hold(event: ClaimFacts, earlier: list[ClaimFacts]) -> None:
    assert timeline_check(event, earlier) == []


def test_timeline_check_needs_a_dated_event() -> None:
    event = dataclasses.replace(stmt("affirms"), after="Harbour bridge collapse")
    assert timeline_check(event, [date("2020-01")]) == []


# --- properties -------------------------------------------------------------------------------------

numbers = st.one_of(st.integers(-10_000, 10_000), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
qualifiers = st.sampled_from(["exact", "approx", "at_least", "at_most"])
as_ofs = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)))


@st.composite
def quantity_values(draw: st.DrawFn) -> object:
    if draw(st.booleans()):
        return draw(numbers)
    lo = draw(numbers)
    hi = draw(st.one_of(st.none(), st.floats(0, 1e5, allow_nan=False).map(lambda d: lo + d)))
    return {"min": lo, "max": hi}


@st.composite
def date_values(draw: st.DrawFn) -> str:
    day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2030, 12, 31)))
    return draw(st.sampled_from([f"{day.year}", f"{day:%Y-%m}", day.isoformat()]))


@st.composite
def duration_values(draw: st.DrawFn) -> dict[str, object]:
    lo = draw(st.integers(0, 30))
    hi = draw(st.one_of(st.none(), st.integers(0, 30).map(lambda d: lo + d)))
    return {"min": lo, "max": hi, "unit": draw(st.sampled_from(["day", "week", "month", "year"]))}


KINDS = ["quantity", "date", "duration", "statement", "attribution"]


@st.composite
def claims(draw: st.DrawFn, kind: str | None = None) -> ClaimFacts:
    kind = kind or draw(st.sampled_from(KINDS))
    value: object = None
    if kind == "quantity":
        value = draw(quantity_values())
    elif kind == "date":
        value = draw(date_values())
    elif kind == "duration":
        value = draw(duration_values())
    words = ["the", "bridge", "will", "reopen", "before", "spring", "floods", "said"]
    return ClaimFacts(
        id=draw(st.integers(0, 3)),
        kind=kind,
        subject="Harbour bridge",
        attribute=draw(st.sampled_from(["status", "Status", "troop count"])),
        value=value,
        unit=draw(st.sampled_from([None, "troops", "soldiers", "USD"])),
        qualifier=draw(qualifiers),
        speaker=draw(st.sampled_from([None, "Jane Roe", "Jane A. Roe", "Max Mustermann"])),
        as_of=draw(as_ofs),
        polarity=draw(st.sampled_from([None, "affirms", "denies"])),
        quote=" ".join(draw(st.lists(st.sampled_from(words), min_size=0, max_size=9))),
    )


same_kind_pairs = st.sampled_from(KINDS).flatmap(lambda k: st.tuples(claims(k), claims(k)))
any_pairs = st.tuples(claims(), claims())


@settings(max_examples=300, deadline=None)
@given(st.one_of(same_kind_pairs, any_pairs), st.booleans())
def test_compare_is_symmetric_and_scores_stay_in_range(pair: tuple[ClaimFacts, ClaimFacts], related: bool) -> None:
    a, b = pair
    forward, backward = compare(a, b, related=related), compare(b, a, related=related)
    assert forward == backward
    if forward is not None:
        assert 0.0 <= forward.score <= 1.0
        assert forward.kind in {"numeric", "date", "timeline", "attribution", "polarity"}
        assert forward.explanation


@settings(max_examples=200, deadline=None)
@given(claims(), st.integers(4, 9))
def test_a_claim_never_contradicts_itself_or_a_copy(a: ClaimFacts, other_id: int) -> None:
    assert compare(a, a) is None
    assert compare(a, dataclasses.replace(a, id=other_id, outlet="Elsewhere")) is None


@given(st.integers(-(10**7), 10**7), as_ofs)
def test_rewordings_of_a_figure_agree(n: int, as_of: dt.date | None) -> None:
    for hedge in ("approx", "at_least", "at_most"):
        assert compare(qty(n, as_of=as_of), qty(n, hedge)) is None
    assert compare(qty(n), qty(float(n))) is None
    assert compare(qty(n), qty({"min": n, "max": n})) is None


def _widenings(c: ClaimFacts, data: st.DataObject) -> list[ClaimFacts]:
    """Rewordings that claim less: a hedge, a range around the value, a coarser date."""
    out = [dataclasses.replace(c, qualifier=q) for q in ("approx", "at_least", "at_most")]
    if c.kind == "quantity" and isinstance(c.value, (int, float)):
        below = data.draw(st.floats(0, 1e4, allow_nan=False))
        above = data.draw(st.one_of(st.none(), st.floats(0, 1e4, allow_nan=False)))
        out.append(
            dataclasses.replace(c, value={"min": c.value - below, "max": None if above is None else c.value + above})
        )
    if c.kind == "date" and isinstance(c.value, str):
        out += [dataclasses.replace(c, value=c.value[:n]) for n in (4, 7) if n < len(c.value)]
    if c.kind == "duration" and isinstance(c.value, dict):
        lo = c.value["min"]
        out.append(dataclasses.replace(c, value=c.value | {"min": data.draw(st.integers(0, lo)), "max": None}))
    return out


@settings(max_examples=300, deadline=None)
@given(st.one_of(same_kind_pairs, any_pairs), st.data())
def test_widening_a_hedge_never_creates_a_flag(pair: tuple[ClaimFacts, ClaimFacts], data: st.DataObject) -> None:
    a, b = pair
    a = dataclasses.replace(a, qualifier="exact", attribute=b.attribute)
    if compare(a, b) is not None:
        return
    for wider in _widenings(a, data):
        if (wider.kind, b.kind, wider.qualifier) == ("date", "duration", "at_most"):
            # Not a hedge there: "at most" is what makes a date a deadline for a span to meet.
            continue
        assert compare(wider, b) is None, wider


@given(date_values(), date_values())
def test_timeline_check_flags_exactly_when_the_event_ends_before_the_other_begins(event: str, other: str) -> None:
    flagged = timeline_check(after(event), [date(other)])
    # ISO strings sort like dates; padding with 99 stands for "the last day of that year or month".
    last_day_of_event = f"{event}-99-99"[:10]
    assert bool(flagged) == (last_day_of_event < other)
    assert all(0.0 <= v.score <= 1.0 for _, v in flagged)
