"""Server-rendered reader pages. Article content is always rendered as escaped text, never as HTML: templates print
it through autoescaping only, and the one piece of markup built here (JSON-LD) is JSON with <, > and & escaped.

Every page reads through claims.selectors with a fixed number of queries, lists at most a page of rows, and
answers conditional requests (ETag / Last-Modified) from one cheap "when did anything last change" lookup.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import itertools
import json
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django import forms
from django.core.cache.backends.locmem import LocMemCache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat, truncatechars
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django.views.decorators.http import condition

from claims import selectors
from claims.models import Claim, Contradiction, Outlet, Speaker, Subject
from claims.present import formats, reviews
from claims.present.values import value_text
from claims.web import chart, chart_svg, highlight

T = TypeVar("T")
PAGE_SIZE = 25
SUBJECT_PAGE_SIZE = 20  # the subject page also draws a chart and lists flags: a shorter page of claims
HISTORY_SHOWN = 50  # the latest audit events of a claim, oldest first


# ---------------------------------------------------------------------------------------------- caching headers


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime.datetime | None:
    # condition() asks for both the ETag and the date: look the date up once per request.
    if not hasattr(request, "_reader_last_modified"):
        request._reader_last_modified = selectors.reader_last_modified()  # type: ignore[attr-defined]
    return request._reader_last_modified  # type: ignore[attr-defined]


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
    stamp = _last_modified(request)
    if stamp is None:
        return None
    # The page differs by signed-in user (the header names them) and by its query string.
    user = request.user.pk if request.user.is_authenticated else 0
    key = f"{request.get_full_path()}|{stamp.isoformat()}|{user}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return condition(etag_func=_etag, last_modified_func=_last_modified)(view)


# Parts of a page that are the same for every reader (a subject's chart and flags, the home page's lists), kept
# while the data stands still: keyed by the stamp the ETag comes from, which every write moves, so a kept part is
# never older than the page's own ETag says. In this process's memory, not the shared cache, which holds throttle
# counters only and whose outages must not slow the pages (tracker/cache.py).
FRAGMENTS = LocMemCache("reader-fragments", {"TIMEOUT": 600, "OPTIONS": {"MAX_ENTRIES": 200}})


def _kept(request: HttpRequest, key: str, build: Callable[[], T]) -> T:
    """`build()`, or what it gave for `key` since the data last changed."""
    stamp = _last_modified(request)
    if stamp is None:
        return build()
    name = f"{connection.settings_dict['NAME']}:{key}:{stamp.isoformat()}"
    kept = FRAGMENTS.get(name)
    if kept is None:
        kept = build()
        FRAGMENTS.set(name, kept)
    return cast(T, kept)


def _page(request: HttpRequest, items: Any, count: int | None = None, size: int = PAGE_SIZE) -> Page:
    paginator = Paginator(items, size)
    if count is not None:
        paginator.count = count  # known already: spare the COUNT query
    return paginator.get_page(request.GET.get("page"))


def _claim_rows_page(request: HttpRequest, rows: Any) -> Page:
    """A page of claim rows across subjects (CLAIM_ROW_WITH_SUBJECT values), as claim_rows_html writes them."""
    page = _page(request, rows)
    page.object_list = claim_rows_html(page.object_list, with_subject=True)
    return page


# ---------------------------------------------------------------------------------------------- structured data


def json_ld(data: Any) -> SafeString:
    """A <script type="application/ld+json"> data block. <, > and & are escaped as in Django's json_script, so no
    text inside (a quote, a title) can close the element or start markup."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    escaped = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(escaped))


def claim_reviews(request: HttpRequest, claim: Claim, flags: list[Contradiction]) -> list[dict[str, Any]]:
    """schema.org ClaimReview of this claim for each reviewed flag on it (an open flag gives no verdict yet), the
    same document the API gives (claims.present.reviews), reviewing this claim against the other."""
    return [
        reviews.claim_review(flag, request.build_absolute_uri, reviewed=claim)
        for flag in flags
        if flag.status in formats.REVIEWED_STATUSES
    ]


# ---------------------------------------------------------------------------------------------- list fragments
# The rows the hot pages repeat (a flag; a claim in a list) as strings built here, not through an {% include %} per
# row: Django's template engine spends about a millisecond on each. contradictions_html is the one markup of a flag
# on every page; claim_rows_html the one markup of a claim in a list (a subject's, a claim's related claims, an
# outlet's, a speaker's, the search results); tests/web/test_reader_fragments.py renders a claim on each of them.
# HAZARD: every text value goes through escape(), as template autoescape would, before mark_safe.


def escape(value: Any) -> str:
    return html.escape(str(value))  # what django.utils.html.escape does, without its lazy-string wrapper


def _href(name: str) -> str:
    """A page's URL with "{}" for its id: reverse() once per list, not once per row."""
    return reverse(name, args=[0]).removesuffix("0/") + "{}/"


def _side_html(side: dict[str, Any], claim_href: str) -> str:
    speaker = side["speaker__name"]
    by = f" · {escape(speaker)}" if speaker is not None else ""
    return (
        '    <div class="side">\n'
        f"      <blockquote>“{escape(side['quote'])}”</blockquote>\n"
        f'      <p class="meta">{escape(side["article__outlet__name"] or "Unknown outlet")}{by}\n'
        f'        · <a href="{claim_href.format(side["id"])}">claim {side["id"]}</a></p>\n'
        "    </div>\n"
    )


def contradictions_html(flags: list[Contradiction]) -> list[SafeString]:
    """Each flag (with its claims' side rows: selectors.reader_with_side_rows, or reader_with_sides) as the reader
    pages show it."""
    flag_href, claim_href = _href("web:contradiction"), _href("web:claim")
    out = []
    for flag in flags:
        note = f'<p class="note">Reviewer’s note: {escape(flag.note)}</p>' if flag.note else ""
        html = (
            f'<article class="flag status-{escape(flag.status)}">\n'
            '  <header class="flag-head">\n'
            f'    <a href="{flag_href.format(flag.pk)}">{escape(capfirst(flag.get_kind_display()))} contradiction</a>\n'
            f'    <span class="badge status">{escape(flag.get_status_display())}</span>\n'
            f'    <span class="badge">score {floatformat(flag.score, "2")}</span>\n'
            "  </header>\n"
            f'  <p class="explanation">{escape(flag.explanation)}</p>\n'
            '  <div class="sides">\n'
            f"{_side_html(flag.side_a, claim_href)}{_side_html(flag.side_b, claim_href)}"  # type: ignore[attr-defined]
            "  </div>\n"
            f"  {note}\n"
            "</article>\n"
        )
        out.append(mark_safe(html))  # every text escaped above
    return out


_MONTHS: dict[tuple[str | None, int], str] = {}  # (language, month): the date filter's "M" (e.g. "Mar")


def _days(value: Any) -> tuple[str, str]:
    """A date (or a datetime, in the current time zone) as the |date filter writes it with "Y-m-d" and "j M Y",
    without its per-call format parsing: a list row shows two dates."""
    day = template_localtime(value)
    key = (translation.get_language(), day.month)
    if key not in _MONTHS:
        _MONTHS[key] = escape(date_filter(datetime.date(2000, day.month, 1), "M"))
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}", f"{day.day} {_MONTHS[key]} {day.year:04d}"


FLAGGED_BADGE = '<span class="badge flagged">contradicted</span>'


def claim_rows_html(rows: Any, *, with_subject: bool = False) -> list[SafeString]:
    """Claim rows (selectors.CLAIM_ROW; CLAIM_ROW_WITH_SUBJECT when `with_subject`, which links each row's subject)
    as every list of claims shows them."""
    claim_href, subject_href = _href("web:claim"), _href("web:subject")
    out = []
    for row in rows:
        flagged = row["contradicted"]
        speaker = f" · {escape(row['speaker__name'])}" if row["speaker__name"] is not None else ""
        if row["as_of"]:
            when = '· as of <time datetime="{}">{}</time>'.format(*_days(row["as_of"]))
        elif row["article__published_at"]:
            when = '· <time datetime="{}">{}</time>'.format(*_days(row["article__published_at"]))
        else:
            when = ""
        if with_subject and row["subject_id"] is not None:
            when += f'\n    · <a href="{subject_href.format(row["subject_id"])}">{escape(row["subject__name"])}</a>'
        html = (
            f'<li class="claim-row{" is-contradicted" if flagged else ""}">\n'
            f'  <a href="{claim_href.format(row["id"])}">“{escape(truncatechars(row["quote"], 160))}”</a>\n'
            f'  <span class="meta">{escape(row["article__outlet__name"] or "Unknown outlet")}{speaker}\n'
            f"    {when}\n"
            "    </span>\n"
            f"  {FLAGGED_BADGE if flagged else ''}\n"
            "</li>\n"
        )
        out.append(mark_safe(html))  # every text escaped above
    return out


# ---------------------------------------------------------------------------------------------- pages


@public_page
def home(request: HttpRequest) -> HttpResponse:
    def lists() -> dict[str, Any]:
        return {
            "contradictions": contradictions_html(selectors.reader_latest_contradictions(6)),
            "subjects": selectors.reader_active_subjects(10),
            "articles": selectors.reader_latest_articles(10),
        }

    return render(request, "claims/home.html", {**_kept(request, "home", lists), "search_form": SearchForm()})


@public_page
def claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        claim = selectors.reader_claim_get(pk)
    except Claim.DoesNotExist:
        raise Http404("No such claim") from None
    flags = selectors.reader_claim_contradictions(claim)
    before, quote, after = highlight.paragraph_around(claim.article.text, claim.start, claim.end)
    context = {
        "claim": claim,
        "value": value_text(claim),
        "as_of": selectors.effective_as_of(claim),
        "before": before,
        "quote": quote,
        "after": after,
        "flags": flags,
        "contradictions_html": contradictions_html(flags),
        "related": claim_rows_html(selectors.reader_related_claims(claim)),
        "history": list(selectors.claim_history(claim.pk).reverse()[:HISTORY_SHOWN])[::-1],
        "json_ld": json_ld(reviews) if (reviews := claim_reviews(request, claim, flags)) else "",
        "page_url": request.build_absolute_uri(),
    }
    return render(request, "claims/claim.html", context)


def _subject_chart_html(subject: Subject, total: int) -> SafeString:
    rows = selectors.reader_subject_chart_rows(subject)
    claim_href = _href("web:claim")  # reverse() once, not once per mark: a chart has hundreds of them.
    points = [
        chart.Point(
            claim_id=row["id"],
            when=row["when"],
            attribute=row["attribute"],
            kind=row["kind"],
            outlet=row["article__outlet__name"] or "Unknown outlet",
            quote=row["short_quote"],
            href=claim_href.format(row["id"]),
            contradicted=row["contradicted"],
            qty_min=row["qty_min"],
            qty_max=row["qty_max"],
            unit=row["unit"],
            date_value=row["date_value"],
            date_precision=row["date_precision"],
            dur_min=row["dur_min"],
            dur_max=row["dur_max"],
            dur_unit=row["dur_unit"],
        )
        for row in rows
        if row["when"] is not None
    ]
    drawn = chart.build_chart(points, total=total)
    for panel in drawn.panels:
        panel.svg = chart_svg.panel_svg(panel)  # type: ignore[attr-defined]
    return render_to_string("claims/_chart.html", {"chart": drawn})


def _moved_or_404(model: type[Subject] | type[Speaker], pk: int, entity: str) -> HttpResponse:
    """The page of a subject or speaker merged into another moves to the survivor's (301), so that links and
    bookmarks keep working; any other unknown id is a 404."""
    into = selectors.merged_into(model, pk)
    if into is None:
        raise Http404(f"No such {entity}")
    return HttpResponsePermanentRedirect(reverse(f"web:{entity}", args=[into]))


@public_page
def subject_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        subject = selectors.reader_subject_get(pk)
    except Subject.DoesNotExist:
        return _moved_or_404(Subject, pk, "subject")

    def summary() -> dict[str, Any]:  # what every page of the subject's list shows: counts, chart, flags
        attributes = selectors.reader_subject_attributes(subject)
        total = sum(row["count"] for row in attributes)
        chart_html = _subject_chart_html(subject, total)
        open_flags, resolved_flags = selectors.reader_subject_contradictions(subject, total)
        return {
            "attributes": attributes,
            "total": total,
            "chart_html": chart_html,
            "open_flags": contradictions_html(open_flags),
            "resolved_flags": contradictions_html(resolved_flags),
        }

    context = _kept(request, f"subject:{subject.pk}", summary)
    claims = _page(request, selectors.reader_subject_claims(subject), count=context["total"], size=SUBJECT_PAGE_SIZE)
    # The page's rows by attribute, as {% regroup %} grouped them: consecutive rows with one attribute_key.
    groups = [
        {"attribute": rows[0]["attribute"], "rows": mark_safe("".join(claim_rows_html(rows)))}
        for rows in (list(group) for _, group in itertools.groupby(claims.object_list, lambda r: r["attribute_key"]))
    ]
    return render(
        request, "claims/subject.html", {**context, "subject": subject, "claims": claims, "claim_groups": groups}
    )


@public_page
def article_page(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(selectors.article_visible(editor=False), pk=pk)  # readers never see failed ones
    claims = selectors.reader_article_claims(article)
    spans = [highlight.Span(c.pk, c.start, c.end) for c in claims if not c.orphaned]
    context = {
        "article": article,
        "claims": claims,
        "paragraphs": highlight.paragraphs(article.text, spans),
        "versions": selectors.reader_article_versions(article),
    }
    return render(request, "claims/article.html", context)


@public_page
def contradiction_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        flag = selectors.reader_contradiction_get(pk)
    except Contradiction.DoesNotExist:
        raise Http404("No such contradiction") from None
    return render(
        request,
        "claims/contradiction.html",
        {
            "flag": flag,
            "value_a": value_text(flag.claim_a),
            "value_b": value_text(flag.claim_b),
        },
    )


class ReaderContradictionFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "any status"), *Contradiction.Status.choices])
    kind = forms.ChoiceField(required=False, choices=[("", "any kind"), *Contradiction.Kind.choices])
    subject = forms.CharField(required=False, max_length=200, label="Subject contains")
    outlet = forms.CharField(required=False, max_length=200, label="Outlet contains")


@public_page
def contradiction_list_page(request: HttpRequest) -> HttpResponse:
    form = ReaderContradictionFilterForm(request.GET)
    if not form.is_valid():
        # A bad filter is a clear 400 naming the field, not an empty list that looks like "nothing flagged".
        return render(request, "claims/contradictions.html", {"form": form, "flags": None}, status=400)
    flags = selectors.reader_contradictions(**{k: v.strip() for k, v in form.cleaned_data.items()})
    query = request.GET.copy()
    query.pop("page", None)
    page = _page(request, flags)
    # the rows as every page shows a flag (contradictions_html), with their two sides
    page.object_list = contradictions_html(selectors.reader_with_side_rows(page.object_list))
    return render(request, "claims/contradictions.html", {"form": form, "flags": page, "query": query.urlencode()})


@public_page
def outlet_page(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(Outlet, pk=pk)
    claims = _claim_rows_page(request, selectors.reader_outlet_claims(outlet))
    return render(
        request,
        "claims/outlet.html",
        {"outlet": outlet, "stats": selectors.reader_outlet_stats(outlet), "claims": claims},
    )


@public_page
def speaker_page(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        speaker = get_object_or_404(selectors.public_speakers(), pk=pk)
    except Http404:
        return _moved_or_404(Speaker, pk, "speaker")
    claims = _claim_rows_page(request, selectors.reader_speaker_claims(speaker))
    return render(
        request,
        "claims/speaker.html",
        {"speaker": speaker, "stats": selectors.reader_speaker_stats(speaker), "claims": claims},
    )


@public_page
def outlet_list_page(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/outlets.html", {"outlets": _page(request, selectors.reader_outlets())})


@public_page
def speaker_list_page(request: HttpRequest) -> HttpResponse:
    return render(request, "claims/speakers.html", {"speakers": _page(request, selectors.reader_speakers())})


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search articles, claims, subjects and speakers",
        widget=forms.SearchInput(attrs={"placeholder": "e.g. troops"}),
    )


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(request, "claims/search.html", {"form": form, "results": None}, status=400)
    text = form.cleaned_data["q"].strip()
    results = selectors.reader_search(text) if text else None
    if results:
        results["claims"] = claim_rows_html(results["claims"], with_subject=True)
    found = sum(len(v) for v in results.values()) if results else 0
    return render(request, "claims/search.html", {"form": form, "q": text, "results": results, "found": found})
