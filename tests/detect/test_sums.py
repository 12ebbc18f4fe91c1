"""Parts added up against their whole (claims/detect/sums.py): flagged only when the parts' least figures add up to
more than the whole's most, at the same time, each part counted once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from claims.detect.base import DEFAULT, ClaimFacts, Verdict
from claims.detect.sums import parts_exceed_whole
from tests.detect.test_dynamics import MAY3, MAY4, MAY5, q

TROOPS = {"attribute": "troop count", "unit": "troops", "as_of": MAY3}
WHOLE = "US troops in Poland"


def check(whole: ClaimFacts, parts: list[ClaimFacts], **kw: Any) -> list[tuple[ClaimFacts, Verdict]]:
    return parts_exceed_whole(whole, parts, settings=DEFAULT, **kw)


def test_narrower_subjects_that_add_up_to_more_than_the_whole() -> None:
    whole = q(1400, subject=WHOLE, **TROOPS)
    permanent = q(600, subject="permanent US troops in Poland", **TROOPS)
    rotating = q(1000, subject="rotating US troops in Poland", **TROOPS)
    flagged = check(whole, [permanent, rotating])
    assert [c for c, _ in flagged] == [permanent, rotating]
    verdict = flagged[0][1]
    assert verdict.explanation.startswith("the parts add up to more than the whole: 600 troops (permanent")
    assert (
        "at least 1,600" in verdict.explanation
        and "more than 1,400 troops (US troops in Poland)" in verdict.explanation
    )
    assert check(whole, [permanent, q(800, subject="rotating US troops in Poland", **TROOPS)]) == []  # 1,400: agrees
    assert check(whole, [permanent]) == []  # one part: the pairwise rule's


def test_parts_named_in_the_quote_next_to_the_figure() -> None:
    whole = q(1400, subject=WHOLE, quote="1,400 in all", **TROOPS)
    permanent = q(600, subject=WHOLE, quote="600 permanent troops", **TROOPS)
    rotating = q(1000, subject=WHOLE, quote="1,000 rotating troops", **TROOPS)
    assert len(check(whole, [permanent, rotating])) == 2
    # The same part under its own subject is not counted twice.
    again = q(600, subject="permanent US troops in Poland", **TROOPS)
    assert check(whole, [permanent, again, q(700, subject=WHOLE, quote="700 rotating troops", **TROOPS)]) == []
    # An increment is not a part, and a figure of the whole itself is not one either.
    assert check(whole, [permanent, q(1500, subject=WHOLE, quote="another 1,500 troops", **TROOPS)]) == []
    assert check(whole, [permanent, q(1000, subject=WHOLE, quote="1,000 troops", **TROOPS)]) == []


def test_a_part_of_a_part_is_not_counted_again() -> None:
    toll = {"attribute": "death toll", "unit": "deaths", "as_of": MAY3, "article": 1}  # one moment
    whole = q(100, subject="Veldmark province", **toll)
    county = q(70, subject="Hallam County", **toll)
    north = q(40, subject="northern Hallam County", **toll)
    assert check(whole, [county, north]) == []
    assert len(check(whole, [county, north, q(35, subject="Orsk County", **toll)])) == 2


def test_hedges_and_units_are_weighed_before_adding() -> None:
    whole = q(1400, "approx", subject=WHOLE, quote="about 1,400", **TROOPS)  # up to 1,445
    parts = [q(600, subject="permanent US troops in Poland", **TROOPS)]
    assert check(whole, [*parts, q(820, subject="rotating US troops in Poland", **TROOPS)]) == []
    assert len(check(whole, [*parts, q(860, subject="rotating US troops in Poland", **TROOPS)])) == 2
    at_most = q(900, "at_most", subject="rotating US troops in Poland", **TROOPS)
    assert check(whole, [*parts, at_most]) == []  # "up to 900" may be none at all
    road = {"attribute": "length", "subject": "the A1 road"}
    sections = [
        q(60, unit="miles", **{**road, "subject": "northern section of the A1 road"}),
        q(60, unit="miles", **{**road, "subject": "southern section of the A1 road"}),
    ]
    assert len(check(q(150, unit="km", **road), sections)) == 2  # 193 km of sections in a 150 km road
    assert check(q(200, unit="km", **road), sections) == []


def test_only_figures_of_one_time_are_added() -> None:
    toll = {"attribute": "death toll", "unit": "deaths"}
    whole = q(100, subject="Veldmark province", as_of=MAY4, article=1, **toll)
    early = [
        q(60, subject="Hallam County", as_of=MAY3, **toll),
        q(50, subject="Orsk County", as_of=MAY4, article=1, **toll),  # the same article: the same moment
    ]
    assert len(check(whole, early)) == 2  # a tally's parts reported no later than its whole
    same_day = [early[0], q(50, subject="Orsk County", as_of=MAY4, article=2, **toll)]
    assert check(whole, same_day) == []  # another report of that day, in unknown order: it may have grown since
    later = [q(60, subject="Hallam County", as_of=MAY5, **toll), q(50, subject="Orsk County", as_of=MAY4, **toll)]
    assert check(whole, later) == []  # one part may have grown since
    levels = {"attribute": "troop count", "unit": "troops"}
    far = [
        q(600, subject="permanent US troops in Poland", as_of=MAY3, **levels),
        q(1000, subject="rotating US troops in Poland", as_of=MAY3 + dt.timedelta(days=200), **levels),
    ]
    assert check(q(1400, subject=WHOLE, as_of=MAY3, **levels), far) == []  # a level moves within 90 days


@given(st.lists(st.integers(0, 10**5), min_size=2, max_size=5), st.integers(0, 10**6))
def test_parts_that_fit_in_the_whole_are_never_flagged(sizes: list[int], slack: int) -> None:
    one = {"as_of": MAY3, "article": 1}
    parts = [q(n, subject=f"district {chr(97 + i)} of Veldmark", **one) for i, n in enumerate(sizes)]
    whole = q(sum(sizes) + slack, subject="Veldmark", **one)
    assert check(whole, parts) == []
    if sum(sizes) >= 1:
        assert check(q(sum(sizes) - 1, subject="Veldmark", **one), parts) != []
