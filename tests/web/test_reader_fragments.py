"""The reader pages' rows built in Python (claims.web.views.flags_html, the one markup of a flag; claim_rows_html,
against templates/claims/_claim_row.html, which the lists with subjects still include), and the
parts kept between requests (views.FRAGMENTS): a write shows at once, and a page built afresh costs no more queries
than before they were kept."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import selectors, services
from claims.detection.check import check_claim
from claims.models import Article, Claim, Contradiction
from claims.web import views
from tests.factories import make_article, make_claim
from tests.web.reader_data import build_story

pytestmark = pytest.mark.django_db

NASTY = "</script><b>“quoted” & 'single'</b> <img src=x onerror=\"alert(1)\">"


@pytest.fixture(autouse=True)
def no_kept_fragments() -> Any:
    views.FRAGMENTS.clear()
    yield
    views.FRAGMENTS.clear()


def nasty_story(editor: Any) -> None:
    """The story, plus claims whose every text needs escaping: no outlet, no speaker, no publication date, a quote
    over 160 characters, and a reviewed flag with a note."""
    build_story(extra=2)
    long_quote, other = f"{NASTY} {'x' * 200}", NASTY.replace("alert(1)", "alert(2)")
    article = make_article(title=NASTY, text=f"{long_quote}. Also {other} again.", published_at=None)
    one = make_claim(
        article, long_quote, kind="statement", subject=NASTY, attribute=NASTY, polarity="denies", value=None
    )
    two = make_claim(article, other, kind="statement", subject=NASTY, attribute=NASTY, polarity="affirms", value=None)
    for claim in (one, two):
        check_claim(claim.pk)
    flag = Contradiction.objects.get(claim_a=one, claim_b=two)
    services.contradiction_resolve(contradiction=flag, actor=editor, status="confirmed", note=NASTY)


def test_flags_built_in_python_escape_every_text_and_link_each_side(editor: Any) -> None:
    nasty_story(editor)
    flags = selectors.reader_with_sides(list(selectors.reader_flag_list()))
    assert len(flags) > 3 and any(f.note for f in flags)
    built = views.flags_html(flags)
    assert len(built) == len(flags)
    for flag, markup in zip(flags, built, strict=True):
        assert "<img" not in markup and "</script>" not in markup and "<b>" not in markup
        assert f'<a href="/contradictions/{flag.pk}/">' in markup
        assert f'href="/claims/{flag.claim_a_id}/"' in markup and f'href="/claims/{flag.claim_b_id}/"' in markup
        assert html.escape(flag.explanation) in markup
        if flag.note:
            assert f"Reviewer’s note: {html.escape(flag.note)}" in markup
    assert html.escape(NASTY) in "".join(built)


def test_claim_rows_built_in_python_match_the_row_template(editor: Any) -> None:
    nasty_story(editor)
    Article.objects.filter(pk=Claim.objects.order_by("id").first().article_id).update(published_at=None)  # type: ignore[union-attr]
    claims = list(selectors.reader_claims().order_by("id"))
    rows = list(selectors.reader_claims().order_by("id").values(*selectors.CLAIM_ROW))
    assert [row["id"] for row in rows] == [claim.pk for claim in claims]
    assert {bool(c.as_of) for c in claims} == {True, False} and {c.contradicted for c in claims} == {True, False}  # type: ignore[attr-defined]
    assert any(c.article.published_at is None and not c.as_of for c in claims)
    assert any(len(c.quote) > 160 for c in claims) and any(c.speaker is None for c in claims)
    from_template = [render_to_string("claims/_claim_row.html", {"claim": c}) for c in claims]
    assert views.claim_rows_html(rows) == from_template


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_page_built_afresh_runs_the_queries_it_ran_before_parts_were_kept() -> None:
    story = build_story(extra=3)
    client = Client()
    # The counts before parts were kept (2026-12-06); SQLite reads a subject's flags in one more query.
    subject_queries = 8 if connection.vendor == "postgresql" else 9
    pages = {"home": ("/", 5), "subject": (f"/subjects/{story.subject_id}/", subject_queries)}
    for name, (url, before) in pages.items():
        client.get(url)  # per-process caches (content types and the like)
        views.FRAGMENTS.clear()
        assert queries(client, url) <= before, name
        assert queries(client, url) < before, name  # the kept parts spare queries


def test_a_write_shows_on_the_next_request_although_parts_are_kept(editor: Any) -> None:
    story = build_story(extra=3)
    client = Client()
    url = f"/subjects/{story.subject_id}/"
    flag = Contradiction.objects.filter(status=Contradiction.Status.OPEN).order_by("id").first()
    assert flag is not None
    assert "Not the same gate" not in client.get(url).content.decode()
    services.contradiction_resolve(contradiction=flag, actor=editor, status="dismissed", note="Not the same gate")
    assert "Not the same gate" in client.get(url).content.decode()
    home = client.get("/").content.decode()
    make_claim(story.herald, "About 1,200 troops", subject="Brand new subject", attribute="troop count", value=1200)
    assert "Brand new subject" not in home and "Brand new subject" in client.get("/").content.decode()
