"""Geometry of the subject timeline chart, drawn server-side as SVG. Pure: no Django, no I/O.

Input is one `Point` per claim; output is a `Chart` of panels (one per attribute and kind of value, since a troop
count and an event date cannot share a y axis) whose marks carry ready-to-print coordinates. All panels share
the x axis (the date each claim describes), so that panels stacked on a page line up in time.

Encodings on the y axis:
- quantity: the number (a range is a bar from min to max, the mark at its middle);
- date: the date itself (a year or month is a bar over its whole period);
- duration: in months (a day is 1/30.44 month); an open-ended duration is drawn from its minimum up, marked open;
- attribution / statement: no value, one lane at mid-height — the mark only says when it was reported.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claims.present.values import format_number

WIDTH = 720
PANEL_HEIGHT = 220
MARGIN_LEFT = 78
MARGIN_RIGHT = 16
MARGIN_TOP = 34  # room for the tip line that shows the focused mark's quote
MARGIN_BOTTOM = 30
MAX_PANELS = 6
PALETTE_SIZE = 8  # outlet colours are CSS classes outlet-0 .. outlet-7 (site.css); more outlets reuse them
TIP_CHARS = 90

DAYS_PER_MONTH = 30.4375
_DURATION_IN_MONTHS = {"day": 1 / DAYS_PER_MONTH, "week": 7 / DAYS_PER_MONTH, "month": 1.0, "year": 12.0}
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Point:
    """One claim as the chart needs it. `when` is the date it describes (its as_of, else its article's date)."""

    claim_id: int
    when: datetime.date
    attribute: str
    kind: str
    outlet: str
    quote: str
    href: str
    contradicted: bool = False
    qty_min: float | None = None
    qty_max: float | None = None
    unit: str = ""
    date_value: datetime.date | None = None
    date_precision: str = ""
    dur_min: float | None = None
    dur_max: float | None = None
    dur_unit: str = ""


@dataclass(frozen=True)
class Mark:
    claim_id: int
    href: str
    cx: str
    cy: str
    bar: tuple[str, str] | None  # y1, y2 of a range bar, or None
    outlet_class: str
    contradicted: bool
    open_ended: bool
    title: str  # full quote with outlet and date: the <title> (tooltip and accessible name)
    tip: str  # shortened, shown on the tip line on hover or focus
    # the diamond drawn for a contradicted claim (a different shape, not only a different colour)
    diamond: str = ""


@dataclass(frozen=True)
class Tick:
    pos: str
    label: str


@dataclass
class Panel:
    attribute: str
    kind: str
    axis_label: str
    marks: list[Mark]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    width: int = WIDTH
    height: int = PANEL_HEIGHT
    plot_left: int = MARGIN_LEFT
    plot_right: int = WIDTH - MARGIN_RIGHT
    plot_top: int = MARGIN_TOP
    plot_bottom: int = PANEL_HEIGHT - MARGIN_BOTTOM

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def plot_width(self) -> int:
        return self.plot_right - self.plot_left

    @property
    def plot_height(self) -> int:
        return self.plot_bottom - self.plot_top


@dataclass(frozen=True)
class LegendEntry:
    outlet: str
    outlet_class: str


@dataclass
class Chart:
    panels: list[Panel]
    legend: list[LegendEntry]
    shown: int  # marks drawn
    total: int  # claims the chart stands for (more than shown when capped)
    left_out_panels: list[str] = field(default_factory=list)

    @property
    def capped(self) -> bool:
        return self.shown < self.total


# ---------------------------------------------------------------------------------------------- encodings


def value_family(point: Point) -> str:
    if point.kind == "quantity" and point.qty_min is not None:
        return "quantity"
    if point.kind == "date" and point.date_value is not None:
        return "date"
    if point.kind == "duration" and point.dur_min is not None and point.dur_unit in _DURATION_IN_MONTHS:
        return "duration"
    return "none"


def _period_end(day: datetime.date, precision: str) -> datetime.date:
    if precision == "year":
        return datetime.date(day.year, 12, 31)
    if precision == "month":
        return datetime.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def y_interval(point: Point) -> tuple[float, float, bool] | None:
    """(low, high, open_ended) on the point's y scale, or None for claims without a value."""
    family = value_family(point)
    if family == "quantity":
        assert point.qty_min is not None
        high = point.qty_max if point.qty_max is not None else point.qty_min
        return point.qty_min, high, False
    if family == "date":
        assert point.date_value is not None
        end = _period_end(point.date_value, point.date_precision)
        return float(point.date_value.toordinal()), float(end.toordinal()), False
    if family == "duration":
        assert point.dur_min is not None
        factor = _DURATION_IN_MONTHS[point.dur_unit]
        low = point.dur_min * factor
        if point.dur_max is None:
            return low, low, True
        return low, point.dur_max * factor, False
    return None


# ---------------------------------------------------------------------------------------------- ticks


def nice_step(span: float, count: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `count` intervals over `span`."""
    if span <= 0 or count <= 0:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[float, float, list[float]]:
    """A domain widened to round numbers and the ticks inside it. A single value gets a domain around it."""
    if high < low:
        low, high = high, low
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, count)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    ticks = []
    value = start
    while value <= stop + step / 2:
        ticks.append(round(value, 10))
        value += step
    return start, stop, ticks


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def date_ticks(low: datetime.date, high: datetime.date, count: int = 6) -> list[tuple[datetime.date, str]]:
    """Ticks on whole years, months or days between low and high (inclusive), at most about `count` of them."""
    span = (high - low).days
    ticks: list[tuple[datetime.date, str]] = []
    if span > 3 * 365:
        step = max(1, math.ceil((high.year - low.year + 1) / count))
        year = low.year if low.month == 1 and low.day == 1 else low.year + 1
        while year <= high.year:
            ticks.append((datetime.date(year, 1, 1), str(year)))
            year += step
    elif span > 62:
        months = (high.year - low.year) * 12 + high.month - low.month + 1
        step = max(1, math.ceil(months / count))
        day = low.replace(day=1) if low.day == 1 else _add_months(low.replace(day=1), 1)
        while day <= high:
            ticks.append((day, f"{_MONTHS[day.month - 1]} {day.year}"))
            day = _add_months(day, step)
    else:
        step = max(1, math.ceil((span + 1) / count))
        day = low
        while day <= high:
            ticks.append((day, f"{day.day} {_MONTHS[day.month - 1]} {day.year}"))
            day += datetime.timedelta(days=step)
    return ticks


# ---------------------------------------------------------------------------------------------- layout


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _x_domain(points: Sequence[Point]) -> tuple[datetime.date, datetime.date]:
    low = min(p.when for p in points)
    high = max(p.when for p in points)
    pad = max(7, (high - low).days // 20)
    return low - datetime.timedelta(days=pad), high + datetime.timedelta(days=pad)


def _tip(point: Point) -> str:
    quote = " ".join(point.quote.split())
    if len(quote) > TIP_CHARS:
        quote = quote[: TIP_CHARS - 1].rstrip() + "…"
    return f"“{quote}” — {point.outlet}, {point.when.isoformat()}"


def _axis_label(family: str, sample: Point) -> str:
    if family == "quantity":
        return sample.unit or "value"
    if family == "date":
        return "date reported"
    if family == "duration":
        return "months"
    return "no value: when it was reported"


def _y_tick_list(family: str, low: float, high: float) -> tuple[float, float, list[tuple[float, str]]]:
    if family == "date":
        first, last = datetime.date.fromordinal(int(low)), datetime.date.fromordinal(int(high))
        pad = max(15, (last - first).days // 10)
        first, last = first - datetime.timedelta(days=pad), last + datetime.timedelta(days=pad)
        ticks = [(float(day.toordinal()), label) for day, label in date_ticks(first, last, 4)]
        return float(first.toordinal()), float(last.toordinal()), ticks
    start, stop, values = nice_ticks(min(0.0, low) if family == "duration" else low, high, 4)
    return start, stop, [(v, format_number(v)) for v in values]


def _panel(
    family: str, points: Sequence[Point], outlet_classes: dict[str, str], x_low: datetime.date, x_high: datetime.date
) -> Panel:
    panel = Panel(
        attribute=points[0].attribute,
        kind=family,
        axis_label=_axis_label(family, points[0]),
        marks=[],
        y_ticks=[],
        x_ticks=[],
    )
    left, right, top, bottom = panel.plot_left, panel.plot_right, panel.plot_top, panel.plot_bottom
    x_span = max(1, (x_high - x_low).days)

    def x_of(day: datetime.date) -> float:
        return left + (day - x_low).days / x_span * (right - left)

    panel.x_ticks = [Tick(_fmt(x_of(day)), label) for day, label in date_ticks(x_low, x_high)]
    intervals = {p.claim_id: y_interval(p) for p in points}
    values = [v for iv in intervals.values() if iv for v in iv[:2]]
    if values:
        y_low, y_high, ticks = _y_tick_list(family, min(values), max(values))
    else:
        y_low, y_high, ticks = 0.0, 1.0, []
    y_span = (y_high - y_low) or 1.0

    def y_of(value: float) -> float:
        return bottom - (value - y_low) / y_span * (bottom - top)

    panel.y_ticks = [Tick(_fmt(y_of(v)), label) for v, label in ticks]
    for point in sorted(points, key=lambda p: (p.when, p.claim_id)):
        interval = intervals[point.claim_id]
        cx = x_of(point.when)
        open_ended = False
        bar = None
        if interval is None:
            cy = (top + bottom) / 2
        else:
            low, high, open_ended = interval
            cy = y_of((low + high) / 2)
            if open_ended:
                bar = (_fmt(y_of(low)), _fmt(top))
            elif high != low:
                bar = (_fmt(y_of(low)), _fmt(y_of(high)))
        diamond = ""
        if point.contradicted:
            r = 7.0
            diamond = (
                f"M{_fmt(cx)},{_fmt(cy - r)} L{_fmt(cx + r)},{_fmt(cy)} L{_fmt(cx)},{_fmt(cy + r)} "
                f"L{_fmt(cx - r)},{_fmt(cy)} Z"
            )
        title = f"“{point.quote}” — {point.outlet}, {point.when.isoformat()}"
        if point.contradicted:
            title += " (contradicted)"
        panel.marks.append(
            Mark(
                claim_id=point.claim_id,
                href=point.href,
                cx=_fmt(cx),
                cy=_fmt(cy),
                bar=bar,
                outlet_class=outlet_classes[point.outlet],
                contradicted=point.contradicted,
                open_ended=open_ended,
                title=title,
                tip=_tip(point),
                diamond=diamond,
            )
        )
    return panel


def build_chart(points: Iterable[Point], *, total: int | None = None, max_panels: int = MAX_PANELS) -> Chart:
    """Lay out the panels. `total` is how many claims the points were drawn from (the selector caps them)."""
    points = list(points)
    total = len(points) if total is None else max(total, len(points))
    if not points:
        return Chart(panels=[], legend=[], shown=0, total=total)
    outlets = sorted({p.outlet for p in points}, key=str.casefold)
    outlet_classes = {name: f"outlet-{i % PALETTE_SIZE}" for i, name in enumerate(outlets)}
    groups: dict[tuple[str, str, str], list[Point]] = {}
    for point in points:
        family = value_family(point)
        unit = point.unit.casefold() if family == "quantity" else ""
        groups.setdefault((point.attribute.casefold(), family, unit), []).append(point)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    kept, dropped = ordered[:max_panels], ordered[max_panels:]
    drawn = [p for _, group in kept for p in group]
    x_low, x_high = _x_domain(drawn)
    panels = [_panel(key[1], group, outlet_classes, x_low, x_high) for key, group in kept]
    used = {p.outlet for p in drawn}
    legend = [LegendEntry(name, outlet_classes[name]) for name in outlets if name in used]
    left_out = [group[0].attribute for _, group in dropped]
    return Chart(panels=panels, legend=legend, shown=len(drawn), total=total, left_out_panels=left_out)
