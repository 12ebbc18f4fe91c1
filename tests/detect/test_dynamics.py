"""How numbers move (running tallies, levels, fixed facts, forecasts), the precision a figure is written to, units,
and parts of a whole: one test or property per rule of claims/detect/numeric.py (docs/DETECTION.md)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from claims.detect.compare import ClaimFacts, Verdict, compare
from claims.detect.dynamics import CUMULATIVE, FIXED, FORECAST, LEVEL, Dynamics, default_dynamics
from claims.detect.intervals import figure_step, quantity_interval, rounding_step, written_hedge
from claims.detect.names import part_whole
from claims.detect.numeric import marks_change, quote_part_words, sentence_of
from claims.detect.units import comparable, convert, measure

MAY3, MAY4, MAY5 = dt.date(2026, 5, 3), dt.date(2026, 5, 4), dt.date(2026, 5, 5)


def q(value: object, qualifier: Any = "exact", **kw: Any) -> ClaimFacts:
    """A quantity claim: a death toll of the Talvik earthquake in people unless `kw` says otherwise."""
    fields: dict[str, Any] = {
        "unit": "people",
        "attribute": "death toll",
        "subject": "the Talvik earthquake",
        "id": None,
        **kw,
    }
    return ClaimFacts(kind="quantity", value=value, qualifier=qualifier, **fields)


def both(a: ClaimFacts, b: ClaimFacts, **kw: object) -> Verdict | None:
    forward, backward = compare(a, b, **kw), compare(b, a, **kw)  # type: ignore[arg-type]
    assert forward == backward
    return forward


# --- which kind, by default -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "units", "kind"),
    [
        ("death toll", (), CUMULATIVE),
        ("Fatalities", (), CUMULATIVE),
        ("injured", (), CUMULATIVE),
        ("arrests", (), CUMULATIVE),
        ("money spent", ("USD",), CUMULATIVE),
        ("troop count", ("troops",), LEVEL),
        ("people evacuated", (), LEVEL),
        ("missing", (), LEVEL),
        ("strike turnout", ("%",), LEVEL),
        ("bridge length", ("miles", "km"), FIXED),
        ("population", (), FIXED),
        ("magnitude", (), FIXED),
        ("projected death toll", (), FORECAST),
        ("reconstruction deadline", (), FORECAST),
        ("span", (), FIXED),
        ("count", ("km",), FIXED),  # the attribute says nothing: the unit does
        ("count", ("deaths", None), CUMULATIVE),
        ("count", (None,), LEVEL),  # nothing says anything: a level, as before
        ("homes flooded", (), CUMULATIVE),
        ("buildings collapsed", ("buildings",), CUMULATIVE),
        ("houses burned", (), CUMULATIVE),
        ("aid pledged", ("million dollars",), CUMULATIVE),
        ("pledges", ("USD",), CUMULATIVE),
        ("funds disbursed", (), CUMULATIVE),
        ("votes counted", (), CUMULATIVE),
        ("votes cast", (), FIXED),
        ("ballots cast", ("votes",), FIXED),
        ("troops pledged", (), CUMULATIVE),  # troops promised add up like money promised
    ],
)
def test_the_default_kind_comes_from_the_attribute_then_the_units(
    attribute: str, units: tuple[str | None, ...], kind: str
) -> None:
    assert default_dynamics(attribute, units).kind == kind


def test_fast_levels_have_a_short_window() -> None:
    assert default_dynamics("people evacuated").window_days == 0  # the same day only
    assert default_dynamics("troop count").window_days is None  # the configured window (90 days by default)


# --- running tallies ------------------------------------------------------------------------------------------------


def test_a_later_higher_tally_is_an_update_and_a_later_lower_one_is_revised_down() -> None:
    assert both(q(212, as_of=MAY3), q(236, "at_least", as_of=MAY4)) is None
    assert (
        both(
            q(960, unit="injured", attribute="injured", as_of=MAY3),
            q(1730, unit="injured", attribute="injured", as_of=MAY5),
        )
        is None
    )
    down = both(q(236, as_of=MAY4), q(212, as_of=MAY5))
    assert down is not None and down.kind == "numeric"
    assert down.explanation.startswith(
        "a running tally only grows: 236 people on 4 May 2026 \u2192 212 people on 5 May 2026 is lower"
    )


def test_a_tally_is_compared_at_any_distance_in_time() -> None:
    assert both(q(236, as_of=MAY3), q(150, as_of=dt.date(2026, 9, 1))) is not None


def test_same_day_tallies_are_put_in_order_by_publication_time() -> None:
    morning = dt.datetime(2026, 5, 3, 7, 30, tzinfo=dt.UTC)
    evening = dt.datetime(2026, 5, 3, 19, 0, tzinfo=dt.UTC)
    assert both(q(200, as_of=MAY3, published=morning), q(236, as_of=MAY3, published=evening)) is None
    later_lower = both(q(236, as_of=MAY3, published=morning), q(200, as_of=MAY3, published=evening))
    assert later_lower is not None and "07:30 UTC" in later_lower.explanation
    # Only the day known: either could be later, and a tally may grow within a day.
    assert both(q(236, as_of=MAY3), q(200, as_of=MAY3)) is None
    # One moment (one article, or one publication time): two figures for one tally disagree.
    same = both(q(236, as_of=MAY3, article=7), q(200, as_of=MAY3, article=7))
    assert same is not None and "a running tally, reported at the same time" in same.explanation


@given(
    st.integers(0, 10**6),
    st.integers(0, 10**6),
    st.integers(1, 400),
    st.sampled_from(["exact", "approx", "at_least", "at_most"]),
    st.sampled_from(["exact", "approx", "at_least"]),
)
def test_a_cumulative_count_never_contradicts_a_later_higher_figure(
    low: int, extra: int, days: int, q1: str, q2: str
) -> None:
    early = q(low, q1, as_of=MAY3)
    late = q(low + extra, q2, as_of=MAY3 + dt.timedelta(days=days))
    assert both(early, late) is None


# --- levels, forecasts, fixed facts -----------------------------------------------------------------------------


def test_a_level_is_compared_within_its_window_only() -> None:
    first = q(18000, unit="people", attribute="people evacuated", as_of=MAY3)
    assert both(first, q(150000, unit="people", attribute="people evacuated", as_of=MAY4)) is None  # a day on
    flagged = both(first, q(15000, unit="people", attribute="people evacuated", as_of=MAY3))
    assert flagged is not None and flagged.explanation.endswith("a level that moves either way, compared within 0 days")


def test_a_fixed_fact_must_agree_years_apart() -> None:
    a = q(318000, "approx", unit="residents", attribute="population", as_of=dt.date(2020, 1, 1))
    b = q(309000, "approx", unit="residents", attribute="population", as_of=dt.date(2026, 1, 1))
    verdict = both(a, b)
    assert verdict is not None and "a fixed fact: must agree whenever reported" in verdict.explanation


def test_an_editors_kind_wins_and_is_named() -> None:
    a, b = q(236, as_of=MAY4), q(212, as_of=MAY5)
    assert both(a, b, dynamics=Dynamics(LEVEL, 0, "set by an editor")) is None  # a day apart, window 0
    level = both(a, b, dynamics=Dynamics(LEVEL, 3, "set by an editor"))
    assert level is not None and level.explanation.endswith("compared within 3 days (set by an editor)")
    fixed = both(a, q(240, as_of=dt.date(2027, 1, 1)), dynamics=Dynamics(FIXED, None, "set by an editor"))
    assert fixed is not None


# --- precision of the figure ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "step"), [(300000, 100000), (318000, 1000), (2500, 100), (2480, 10), (7, 1), (4.25, 0.01), (0, 1)]
)
def test_the_step_of_a_figure_is_its_last_significant_digit(number: float, step: float) -> None:
    assert figure_step(number) == pytest.approx(step)


def test_round_figures_are_as_precise_as_they_are_written() -> None:
    pop = {"unit": "residents", "attribute": "population"}
    assert both(q(300000, "approx", **pop), q(318000, "approx", **pop)) is None  # 255,000-345,000
    assert both(q(318000, "approx", **pop), q(309000, "approx", **pop)) is not None  # to the thousand
    about = quantity_interval(300000, "approx", 0.02, 1)
    assert about is not None and (about.lo, about.hi) == (255000, 345000)
    some = quantity_interval(318000, "approx", 0.02, 1)
    assert some is not None and (some.lo, some.hi) == (317000, 319000)


def test_hedge_words_in_the_quote_say_which_side() -> None:
    nearly = quantity_interval(200000, "exact", 0.02, 1, "nearly 200,000 people")
    assert nearly is not None and nearly.hi == 200000 and nearly.lo == 155000
    assert written_hedge("rose from 600 to about 1,400", 1400) == "approx"
    assert written_hedge("rose from 600 to about 1,400", 600) is None
    assert written_hedge("some 3.2 million people", 3.2e6) == "approx"
    assert written_hedge("more than 900 arrests", 900) == "at_least"
    pop = {"unit": "residents", "attribute": "population"}
    assert both(q(190000, quote="nearly 190,000", **pop), q(200000, **pop)) is not None  # nearly N is below N
    assert (
        both(
            q(200000, quote="nearly 200,000", unit="residents", attribute="population"),
            q(185000, unit="residents", attribute="population"),
        )
        is None
    )


@given(st.integers(1, 9), st.integers(2, 7), st.floats(-0.45, 0.45))
def test_a_round_figure_never_contradicts_a_figure_inside_its_precision(digit: int, power: int, share: float) -> None:
    step = 10**power
    figure = digit * step
    inside = round(figure + share * step)
    assert (
        both(
            q(figure, "approx", unit="residents", attribute="population"),
            q(inside, unit="residents", attribute="population"),
        )
        is None
    )


# --- units ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "dimension", "factor"),
    [
        ("miles", "length", 1609.344),
        ("km", "length", 1000),
        ("kilometres", "length", 1000),
        ("ft", "length", 0.3048),
        ("sq km", "area", 1e6),
        ("square miles", "area", 2589988.110336),
        ("hectares", "area", 1e4),
        ("tonnes", "mass", 1000),
        ("kg", "mass", 1),
        ("USD", "money:usd", 1),
        ("$", "money:usd", 1),
        ("million dollars", "money:usd", 1e6),
        ("bn euros", "money:eur", 1e9),
        ("%", "percent", 1),
        ("per cent", "percent", 1),
        ("troops", "personnel", 1),
        ("deaths", "personnel", 1),
    ],
)
def test_the_unit_table(unit: str, dimension: str, factor: float) -> None:
    found = measure(unit)
    assert found is not None and found.dimension == dimension and found.factor == pytest.approx(factor)


def test_what_is_never_compared() -> None:
    assert not comparable(measure("%"), measure("people"))
    assert not comparable(measure("%"), None)  # a percentage is not a count
    assert not comparable(measure("USD"), measure("EUR"))  # currencies are kept apart
    assert not comparable(measure("km"), measure("kg"))
    assert comparable(measure("miles"), measure("km"))
    assert comparable(None, measure("troops"))
    assert convert(180, "miles", "km") == pytest.approx(289.68192)


def test_a_distance_in_miles_and_km() -> None:
    length = {"attribute": "bridge length", "subject": "the Orsk bridge"}
    missed_before = both(q(180, unit="miles", **length), q(240, "approx", unit="km", quote="about 240 km", **length))
    assert missed_before is not None and "\u2248" in missed_before.explanation
    assert both(q(180, unit="miles", **length), q(290, unit="km", **length)) is None  # the same, rounded
    assert both(q(290, unit="km", **length), q(240, unit="km", **length)) is not None


@given(
    st.integers(1, 10**6),
    st.integers(1, 10**6),
    st.sampled_from(["exact", "at_least", "at_most"]),
    st.sampled_from(["exact", "at_least", "at_most"]),
)
def test_converting_units_never_changes_a_verdict(x: int, y: int, qa: str, qb: str) -> None:
    length = {"attribute": "bridge length", "subject": "the Orsk bridge"}
    in_km = both(q(x, qa, unit="km", **length), q(y, qb, unit="km", **length))
    in_m = both(q(x * 1000, qa, unit="m", **length), q(y * 1000, qb, unit="m", **length))
    assert (in_km is None) == (in_m is None)


@given(st.integers(1, 10**5))
def test_a_figure_never_contradicts_its_own_rounded_conversion(miles: int) -> None:
    length = {"attribute": "distance", "subject": "the Orsk bridge"}
    km = round(miles * 1.609344)
    assert both(q(miles, unit="miles", **length), q(km, unit="km", **length)) is None


# --- parts of a whole, and changes told within one article -----------------------------------------------------------


def test_part_words_in_related_subject_names() -> None:
    assert part_whole("permanent US troops in Poland", "US troops in Poland") == (
        "permanent US troops in Poland",
        "US troops in Poland",
    )
    assert part_whole("permanent US troops in Poland", "rotating US troops in Poland") == "siblings"
    assert part_whole("US troops in Iraq", "non-US coalition troops in Iraq") is None


def test_a_part_is_not_the_whole_but_may_not_exceed_it() -> None:
    troops = {"attribute": "troop count", "unit": "troops"}
    whole = q(1400, subject="US troops in Poland", **troops)
    assert both(q(600, subject="permanent US troops in Poland", **troops), whole, related=True) is None
    assert (
        both(
            q(600, subject="permanent US troops in Poland", **troops),
            q(800, subject="rotating US troops in Poland", **troops),
            related=True,
        )
        is None
    )
    over = both(q(1600, subject="permanent US troops in Poland", **troops), whole, related=True)
    assert over is not None and over.explanation.startswith("a part exceeds the whole")
    county = q(40, subject="Hallam County", attribute="death toll")
    province = q(35, subject="Veldmark province", attribute="death toll")
    linked = both(county, province, related=True, part=("Hallam County", "Veldmark province"))
    assert linked is not None and "a part exceeds the whole" in linked.explanation
    assert (
        both(q(20, subject="Hallam County"), province, related=True, part=("Hallam County", "Veldmark province"))
        is None
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The number rose from 600 to about 1,400 this year.",
        "about 1,400, up from 600 in March",
        "The toll was revised to 1,400.",
        "600 people, as previously reported, then 1,400",
        "The initial estimate of 600 proved low.",
        "The ministry lowered its count to 190 deaths, from an earlier 212.",
        "The toll stands at 236, from 212 on Monday.",
        "It replaces an earlier 212.",
        "Officials raised the toll to 236 on Tuesday.",
        "the previous 212 deaths were revised",
    ],
)
def test_sentences_that_mark_a_change(sentence: str) -> None:
    assert marks_change(sentence)


def test_a_change_told_within_one_article_is_not_a_conflict() -> None:
    text = "US troop numbers rose from 600 to about 1,400 this year."
    troops = {"attribute": "troop count", "unit": "troops", "subject": "US troops in Poland", "as_of": MAY3}
    before = q(600, quote="600", context=text, article=1, **troops)
    after = q(1400, "approx", quote="about 1,400", context=text, article=1, **troops)
    assert both(before, after) is None
    assert both(before, q(1400, "approx", quote="about 1,400", context=text, article=2, **troops)) is not None
    assert not marks_change("About 1,400 US troops are in Poland.")
    assert (
        sentence_of("Earlier. US troop numbers rose from ", "600", " to 1,400. Next one.")
        == "US troop numbers rose from 600 to 1,400."
    )


def test_part_words_in_the_quotes_of_one_subject() -> None:
    troops = {"attribute": "troop count", "unit": "troops", "subject": "US troops in Poland", "as_of": MAY3}
    total = q(1400, quote="1,400 in all", **troops)
    assert both(q(600, quote="600 permanent troops", **troops), total) is None
    assert both(q(600, quote="600 permanent troops", **troops), q(800, quote="800 rotating", **troops)) is None
    assert (
        both(q(1500, quote="an additional 1,500 soldiers", **troops), q(3000, quote="3,000 soldiers", **troops)) is None
    )
    over = both(q(1600, quote="1,600 permanent troops", **troops), total)
    assert over is not None and over.explanation.startswith("a part exceeds the whole")
    # A place in the quote is not a part: "a city of 309,000" is the whole city.
    pop = {"attribute": "population", "unit": "people", "subject": "Talvik"}
    assert (
        both(
            q(318000, "approx", quote="some 318,000 inhabitants", **pop),
            q(309000, "approx", quote="a city of about 309,000 people", **pop),
        )
        is not None
    )


def test_a_fast_level_moves_within_hours_when_publication_times_are_known() -> None:
    evac = {"unit": "people", "attribute": "people evacuated", "as_of": MAY3}
    dawn = q(18000, published=dt.datetime(2026, 5, 3, 6, 0, tzinfo=dt.UTC), **evac)
    night = q(150000, published=dt.datetime(2026, 5, 3, 22, 0, tzinfo=dt.UTC), **evac)
    noon = q(150000, published=dt.datetime(2026, 5, 3, 12, 0, tzinfo=dt.UTC), **evac)
    assert both(dawn, night) is None  # 16 hours apart
    assert both(dawn, noon) is not None  # 6 hours apart: the same moment of a fast story
    assert both(q(18000, **evac), q(150000, **evac)) is not None  # only the day known


def test_only_words_next_to_the_figure_make_it_a_part() -> None:
    toll = {"unit": "deaths", "attribute": "death toll", "subject": "Hurricane Lina"}
    before = q(310, as_of=MAY4, quote="310 people have died", **toll)
    for quote in ("The new toll is 290", "the military said 290 had died", "local officials say 290 died"):
        later = q(290, as_of=MAY5, quote=quote, **toll)
        verdict = both(before, later)
        assert verdict is not None and "revised down" in verdict.explanation, quote
    assert quote_part_words("600 permanent troops", (600.0,)) == {"permanent"}
    assert quote_part_words("an additional 1,500 soldiers", (1500.0,)) == {"additional"}
    assert quote_part_words("another 2.5 million", (2.5e6,)) == {"another"}
    assert quote_part_words("the military said 290 had died", (290.0,)) == frozenset()
    assert quote_part_words("new figures: 290 civilians", (290.0,)) == {"civilians"}
    assert quote_part_words("civilian deaths rose to 290", (290.0,), "civilian deaths") == frozenset()
    # An increment is added to a figure, not part of it: "another 1,500" may exceed "1,400" in all.
    troops = {"attribute": "troop count", "unit": "troops", "subject": "US troops in Poland", "as_of": MAY3}
    assert both(q(1500, quote="another 1,500 troops", **troops), q(1400, quote="1,400 troops", **troops)) is None


_SPEAKERS = st.sampled_from(
    [
        "the military said ",
        "local officials say ",
        "a new report by the civil defence says ",
        "foreign ministry officials told reporters that ",
        "the special envoy said ",
        "in a temporary statement, ",
    ]
)
_ADJECTIVES = st.sampled_from(["new", "local", "military", "permanent", "special", "foreign"])


@given(
    st.integers(10, 10**6),
    st.integers(1, 10**6),
    st.sampled_from(["death toll", "population", "troop count"]),
    _SPEAKERS,
    _ADJECTIVES,
    st.booleans(),
)
def test_a_speaker_or_an_adjective_elsewhere_in_the_quote_never_removes_a_flag(
    x: int, y: int, attribute: str, speaker: str, adjective: str, later_first: bool
) -> None:
    fields = {"unit": "people", "attribute": attribute, "subject": "Hallam"}
    a = q(x, as_of=MAY3, quote=f"{x:,} people", **fields)
    b = q(y, as_of=MAY4, quote=f"{y:,} people", **fields)
    if later_first:
        a, b = b, a
    plain = both(a, b)
    if plain is None:
        return
    n = b.value
    reworded = [
        q(n, as_of=b.as_of, quote=f"{speaker}{n:,} people", **fields),
        q(n, as_of=b.as_of, quote=f"the {adjective} figure is {n:,} people", **fields),
        q(n, as_of=b.as_of, quote=f"{n:,} people, {speaker.strip()} the {adjective} count", **fields),
    ]
    for other in reworded:
        assert both(a, other) is not None, other.quote


# --- widening across units and scales -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "step"), [(1000, 100), (300, 10), (290, 10), (20, 1), (5, 1), (12345, 1), (2.5, 0.1), (1.25, 0.01)]
)
def test_a_conversion_is_rounded_at_most_to_its_second_significant_digit(number: float, step: float) -> None:
    assert rounding_step(number) == pytest.approx(step)


@pytest.mark.parametrize(
    ("a", "b", "flagged"),
    [
        ((1000, "feet"), (396, "m"), True),  # 1,300 ft
        ((1000, "feet"), (400, "m"), True),
        ((1000, "feet"), (305, "m"), False),
        ((1000, "feet"), (300, "m"), False),  # a conversion rounded to two digits
        ((100, "mph"), (200, "km/h"), True),
        ((100, "mph"), (160, "km/h"), False),
        ((2000, "km"), (1500, "miles"), True),  # 2,414 km: 17% apart
        ((180, "miles"), (290, "km"), False),
        ((5, "tonnes"), (11000, "lb"), False),
        ((2.5, "million people"), (2300000, "people"), True),
    ],
)
def test_a_conversion_widens_only_by_the_rounding_it_implies(
    a: tuple[float, str], b: tuple[float, str], flagged: bool
) -> None:
    fixed = {"attribute": "height", "subject": "the Orsk tower"}
    verdict = both(q(a[0], unit=a[1], **fixed), q(b[0], unit=b[1], **fixed))
    assert (verdict is not None) == flagged


def test_about_is_weighed_after_the_unit_and_scale() -> None:
    fixed = {"attribute": "length", "subject": "the Orsk tunnel"}
    assert both(q(5, "approx", unit="km", **fixed), q(5.8, unit="km", **fixed)) is not None
    assert both(q(5000, "approx", unit="m", **fixed), q(5800, unit="m", **fixed)) is not None
    assert both(q(5, "approx", unit="km", **fixed), q(5.4, unit="km", **fixed)) is None
    pop = {"attribute": "population", "subject": "Talvik"}
    about = quantity_interval(2.5, "approx", 0.02, 1, factor=1e6)
    assert about is not None and about.lo == pytest.approx(2.45) and about.hi == pytest.approx(2.55)
    assert both(q(2.5, "approx", unit="million people", **pop), q(2.3, unit="million people", **pop)) is not None
    cost = {"attribute": "cost", "subject": "the Orsk bridge"}
    assert both(q(2, "approx", unit="bn USD", **cost), q(2.9, unit="bn USD", **cost)) is not None
    assert both(q(2, "approx", unit="bn USD", **cost), q(2.3, unit="bn USD", **cost)) is None


def _three_digits(number: float) -> float:
    return float(f"{number:.3g}")


_UNIT_PAIRS = [("km", "miles"), ("m", "feet"), ("km/h", "mph"), ("kg", "lb"), ("million dollars", "USD")]


@given(
    st.floats(1, 1e6),
    st.floats(0.2, 5.0),
    st.sampled_from(_UNIT_PAIRS),
    st.booleans(),
    st.booleans(),
    st.sampled_from(["exact", "approx"]),
)
def test_converting_one_figure_to_three_digits_never_changes_a_verdict(
    x: float, ratio: float, units: tuple[str, str], swap: bool, about: bool, qualifier: str
) -> None:
    """x in unit A against y in A, and against y converted to B and written to three significant digits: the same
    verdict, unless y lies within the rounding the two figures may carry (rounding_step of x and of the converted
    y, and the three-digit rounding itself) of the edge of x's interval."""
    unit_a, unit_b = (units[1], units[0]) if swap else units
    factor_a, factor_b = measure(unit_a).factor, measure(unit_b).factor  # type: ignore[union-attr]
    x = _three_digits(x)
    y = _three_digits(x * ratio)
    fixed = {"attribute": "length", "subject": "the Orsk bridge"}
    quote = f"about {x:g}" if about else f"{x:g}"
    mine = q(x, qualifier, unit=unit_a, quote=quote, **fixed)
    span = quantity_interval(x, qualifier, 0.02, 1, quote, factor=factor_a)
    assert span is not None
    y_b = _three_digits(y * factor_a / factor_b)
    three_digits = 10.0 ** (math.floor(math.log10(y_b)) - 2) / 2
    band = rounding_step(x) / 2 + (rounding_step(y_b) / 2 + three_digits) * factor_b / factor_a
    band *= 1 + 1e-9
    assume(span.lo <= y <= span.hi or y < span.lo - band or y > span.hi + band)
    same_unit = both(mine, q(y, unit=unit_a, **fixed))
    other_unit = both(mine, q(y_b, unit=unit_b, **fixed))
    assert (same_unit is None) == (other_unit is None)


@pytest.mark.parametrize(
    "sentence",
    [
        "About 1,400 US troops are in Poland.",
        "The toll reached 212 on Monday, officials said.",
        "Of the 212 dead, 40 were children.",
        "The first 212 victims were identified.",
        "They travelled from Warsaw to Krakow with 600 troops.",
    ],
)
def test_sentences_that_do_not_mark_a_change(sentence: str) -> None:
    assert not marks_change(sentence)


def test_a_count_lowered_from_an_earlier_figure_within_one_article_is_not_a_conflict() -> None:
    text = "The ministry lowered its count to 190 deaths, from an earlier 212."
    toll = {"attribute": "death toll", "unit": "deaths", "as_of": MAY4, "context": text, "article": 9}
    assert both(q(190, quote="190 deaths", **toll), q(212, quote="212", **toll)) is None
    elsewhere = {**toll, "article": 10, "context": "The toll is 212.", "as_of": MAY3}  # another report, a day before
    assert both(q(190, quote="190 deaths", **toll), q(212, quote="212", **elsewhere)) is not None
