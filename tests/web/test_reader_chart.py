"""The pure parts of the reader pages: chart geometry, text highlighting, values in words. No database."""

from __future__ import annotations

import datetime

import pytest

from claims.present import values as present
from claims.web import chart, highlight

D = datetime.date


def point(claim_id: int, when: D, **fields: object) -> chart.Point:
    base: dict[str, object] = {
        "attribute": "troop count",
        "kind": "quantity",
        "outlet": "Coast Herald",
        "quote": f"quote {claim_id}",
        "href": f"/claims/{claim_id}/",
        "unit": "troops",
    }
    base.update(fields)
    return chart.Point(claim_id=claim_id, when=when, **base)  # type: ignore[arg-type]


def test_marks_sit_by_date_on_x_and_by_value_on_y() -> None:
    points = [
        point(1, D(2024, 1, 1), qty_min=1000, qty_max=1000),
        point(2, D(2024, 7, 1), qty_min=2000, qty_max=2000, outlet="Valley Times"),
        point(3, D(2025, 1, 1), qty_min=1500, qty_max=1500),
    ]
    result = chart.build_chart(points)
    assert len(result.panels) == 1 and result.shown == result.total == 3 and not result.capped
    panel = result.panels[0]
    marks = {m.claim_id: m for m in panel.marks}
    xs = [float(marks[i].cx) for i in (1, 2, 3)]
    ys = [float(marks[i].cy) for i in (1, 2, 3)]
    assert xs == sorted(xs)  # later dates further right
    assert ys[1] < ys[2] < ys[0]  # larger values higher up (smaller y)
    for x, y in zip(xs, ys, strict=True):
        assert panel.plot_left <= x <= panel.plot_right and panel.plot_top <= y <= panel.plot_bottom
    assert [e.outlet for e in result.legend] == ["Coast Herald", "Valley Times"]
    assert marks[1].outlet_class == marks[3].outlet_class != marks[2].outlet_class
    assert panel.y_ticks[0].label == "1,000" and panel.y_ticks[-1].label == "2,000"
    assert panel.axis_label == "troops"


def test_ranges_draw_a_bar_and_contradicted_claims_a_diamond_with_the_quote_in_the_title() -> None:
    result = chart.build_chart(
        [
            point(1, D(2024, 1, 1), qty_min=900, qty_max=1100, contradicted=True, quote="between 900 and 1,100 troops"),
            point(2, D(2024, 2, 1), qty_min=1000, qty_max=1000),
        ]
    )
    first, second = result.panels[0].marks
    assert first.bar is not None and float(first.bar[0]) > float(first.cy) > float(first.bar[1])
    assert first.contradicted and first.diamond.startswith("M") and first.diamond.endswith("Z")
    assert first.title == "“between 900 and 1,100 troops” — Coast Herald, 2024-01-01 (contradicted)"
    assert second.bar is None and not second.diamond


def test_dates_and_durations_get_their_own_panels_and_sensible_encodings() -> None:
    points = [
        point(
            1, D(2024, 3, 1), attribute="opening date", kind="date", date_value=D(2011, 5, 1), date_precision="month"
        ),
        point(
            2, D(2024, 3, 5), attribute="opening date", kind="date", date_value=D(2014, 5, 1), date_precision="month"
        ),
        point(3, D(2024, 3, 9), attribute="drawdown", kind="duration", dur_min=2, dur_max=3, dur_unit="year"),
        point(4, D(2024, 4, 9), attribute="drawdown", kind="duration", dur_min=6, dur_max=None, dur_unit="month"),
        point(5, D(2024, 4, 9), attribute="source", kind="attribution"),
    ]
    result = chart.build_chart(points)
    by_attr = {p.attribute: p for p in result.panels}
    assert set(by_attr) == {"opening date", "drawdown", "source"}
    dates = by_attr["opening date"]
    assert dates.axis_label == "date reported"
    assert float(dates.marks[1].cy) < float(dates.marks[0].cy)  # 2014 above 2011
    assert any(t.label in {"2012", "Jan 2012"} for t in dates.y_ticks), dates.y_ticks
    drawdown = {m.claim_id: m for m in by_attr["drawdown"].marks}
    assert by_attr["drawdown"].axis_label == "months"
    assert drawdown[3].bar is not None and drawdown[4].open_ended  # 24-36 months; 6 months or more
    assert chart.y_interval(points[2]) == (24.0, 36.0, False)
    lane = by_attr["source"]
    assert float(lane.marks[0].cy) == (lane.plot_top + lane.plot_bottom) / 2


def test_shared_x_axis_across_panels() -> None:
    result = chart.build_chart(
        [
            point(1, D(2020, 1, 1), qty_min=1, qty_max=1),
            point(2, D(2024, 1, 1), attribute="other", qty_min=5, qty_max=5),
        ]
    )
    assert result.panels[0].x_ticks == result.panels[1].x_ticks
    assert [t.label for t in result.panels[0].x_ticks][:2] == ["2020", "2021"]


def test_the_chart_says_when_it_shows_fewer_claims_than_there_are() -> None:
    points = [point(i, D(2024, 1, 1) + datetime.timedelta(days=i), qty_min=i, qty_max=i) for i in range(1, 11)]
    result = chart.build_chart(points, total=5000)
    assert result.capped and result.shown == 10 and result.total == 5000
    many = [point(i, D(2024, 1, 1), attribute=f"attr {i}", qty_min=1, qty_max=1) for i in range(10)]
    limited = chart.build_chart(many, max_panels=3)
    assert len(limited.panels) == 3 and len(limited.left_out_panels) == 7
    assert limited.capped and limited.shown == 3 and limited.total == 10


def test_an_empty_chart_and_a_single_point() -> None:
    assert chart.build_chart([]).panels == []
    single = chart.build_chart([point(1, D(2024, 1, 1), qty_min=7, qty_max=7)]).panels[0]
    assert single.plot_left < float(single.marks[0].cx) < single.plot_right
    assert single.plot_top < float(single.marks[0].cy) < single.plot_bottom


def test_long_quotes_are_shortened_on_the_tip_line_but_whole_in_the_title() -> None:
    quote = "word " * 60
    mark = chart.build_chart([point(1, D(2024, 1, 1), qty_min=1, qty_max=1, quote=quote)]).panels[0].marks[0]
    assert len(mark.tip) < 140 and "…" in mark.tip and quote in mark.title


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 100, [0, 20, 40, 60, 80, 100]),
        (1200, 1500, [1200, 1300, 1400, 1500]),
        (0.5, 0.9, [0.5, 0.6, 0.7, 0.8, 0.9]),
    ],
)
def test_nice_ticks(low: float, high: float, expected: list[float]) -> None:
    start, stop, ticks = chart.nice_ticks(low, high, 4 if high == 1500 else 5)
    assert ticks == pytest.approx(expected) and start <= low and stop >= high


def test_date_ticks_pick_years_months_or_days() -> None:
    assert [label for _, label in chart.date_ticks(D(2010, 6, 1), D(2020, 6, 1))][:2] == ["2011", "2013"]
    assert [label for _, label in chart.date_ticks(D(2024, 1, 1), D(2024, 7, 1))][:2] == ["Jan 2024", "Mar 2024"]
    assert [label for _, label in chart.date_ticks(D(2024, 1, 1), D(2024, 1, 11))][:2] == ["1 Jan 2024", "3 Jan 2024"]


def test_paragraphs_split_text_and_mark_claims_even_when_they_overlap() -> None:
    text = "First line here.\n\nAbout 2,500 troops stay, said one.\nSecond line.\n\n\n\nLast."
    start = text.index("2,500 troops")
    spans = [
        highlight.Span(7, start, start + len("2,500 troops")),
        highlight.Span(9, start + 6, start + 18),
        highlight.Span(11, 0, 999),
    ]  # out of range: ignored
    paragraphs = highlight.paragraphs(text, spans)
    assert ["".join(p.text for p in para) for para in paragraphs] == [
        "First line here.",
        "About 2,500 troops stay, said one.\nSecond line.",
        "Last.",
    ]
    second = paragraphs[1]
    assert [(p.text, p.claim_ids) for p in second] == [
        ("About ", ()),
        ("2,500 ", (7,)),
        ("troops", (7, 9)),
        (" stay,", (9,)),
        (" said one.\nSecond line.", ()),
    ]
    assert second[2].claim_id == 7


def test_paragraph_around_a_span() -> None:
    text = "One.\n\nTwo said 40 people.\n\nThree."
    start = text.index("40 people")
    assert highlight.paragraph_around(text, start, start + 9) == ("Two said ", "40 people", ".")


def test_values_in_words() -> None:
    assert present.quantity_text(2500, 2500, "troops", "approx") == "about 2,500 troops"
    assert present.quantity_text(2000, 3000, "", "exact") == "2,000–3,000"
    assert present.date_text(D(2020, 1, 1), "month") == "January 2020"
    assert present.date_text(D(2020, 1, 8), "day") == "8 January 2020"
    assert present.duration_text(2, 5, "year", "exact") == "2–5 years"
    assert present.duration_text(1, None, "month", "exact") == "1 month or more"
