"""The marks of a timeline panel as SVG markup.

Built here rather than in a template loop because a panel has up to hundreds of marks, and Django's template
engine (or format_html, with its lazy-string checks) spends tens of milliseconds on that many. HAZARD: the title
and tip carry article quotes, so every text value goes through html.escape (quote=True) — the same escaping as
template autoescape — before the one mark_safe at the end. Numbers and classes come from claims.web.chart.
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


def marks_svg(panel: Panel) -> SafeString:
    return mark_safe("".join(_mark_html(mark, panel.width) for mark in panel.marks))  # every text escaped in _mark_html
