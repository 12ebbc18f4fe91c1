"""A timeline panel as SVG markup: its plot, grid, axes and marks.

Built here rather than in a template loop because a panel has up to hundreds of marks and a few dozen ticks, and
Django's template engine (or format_html, with its lazy-string checks) spends tens of milliseconds on that many.
HAZARD: the title and tip carry article quotes, and labels and the attribute come from editors, so every text
value goes through html.escape (quote=True) — the same escaping as template autoescape — before the one mark_safe
at the end. Numbers and classes come from claims.web.chart.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from claims.web.chart import Mark, Panel


def _mark_html(mark: Mark, width: int) -> str:
    bar = ""
    if mark.bar:
        open_class = " open" if mark.open_ended else ""
        bar = (
            f'<line class="bar {mark.outlet_class}{open_class}" x1="{mark.cx}" x2="{mark.cx}" '
            f'y1="{mark.bar[0]}" y2="{mark.bar[1]}"/>'
        )
    if mark.contradicted:
        shape = f'<path class="diamond {mark.outlet_class}" d="{mark.diamond}"/>'
    else:
        shape = f'<circle class="dot {mark.outlet_class}" cx="{mark.cx}" cy="{mark.cy}" r="5"/>'
    extra = " contradicted" if mark.contradicted else ""
    return (
        f'<a class="mark{extra}" href="{escape(mark.href)}" tabindex="0" data-claim="{int(mark.claim_id)}">'
        f"<title>{escape(mark.title)}</title>{bar}{shape}"
        f'<g class="tip"><rect class="tip-bg" x="0" y="0" width="{int(width)}" height="28"/>'
        f'<text class="tip-text" x="8" y="19">{escape(mark.tip)}</text></g></a>\n'
    )


def _axes_html(panel: Panel) -> str:
    left, right, bottom = panel.plot_left, panel.plot_right, panel.plot_bottom
    parts = [
        f'<rect class="plot" x="{left}" y="{panel.plot_top}" width="{panel.plot_width}" height="{panel.plot_height}"/>'
    ]
    for tick in panel.y_ticks:
        pos = escape(tick.pos)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{right}" y1="{pos}" y2="{pos}"/>\n'
            f'<text class="axis y" x="{left - 6}" y="{pos}">{escape(tick.label)}</text>'
        )
    for tick in panel.x_ticks:
        pos = escape(tick.pos)
        parts.append(
            f'<line class="tick" x1="{pos}" x2="{pos}" y1="{bottom}" y2="{bottom + 4}"/>\n'
            f'<text class="axis x" x="{pos}" y="{bottom + 18}">{escape(tick.label)}</text>'
        )
    parts.append(f'<line class="axis-line" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>')
    return "\n".join(parts)


def panel_svg(panel: Panel) -> SafeString:
    """The panel's <svg>: plot area, grid and y labels, x ticks and labels, axis line, then one <a> per mark."""
    marks = "".join(_mark_html(mark, panel.width) for mark in panel.marks)
    label = escape(f"Timeline of {panel.attribute}")
    return mark_safe(  # every text escaped above and in _mark_html
        f'<svg class="timeline" viewBox="{panel.view_box}" role="group" aria-label="{label}">\n'
        f"{_axes_html(panel)}\n{marks}</svg>"
    )
