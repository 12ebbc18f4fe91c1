"""The reader pages' rows built in Python (claims.web.views.contradictions_html, the one markup of a flag;
claim_rows_html, the one markup of a claim in a list, on every page that lists claims), and the parts kept
between requests (views.FRAGMENTS): a write shows at once, and a page built afresh costs no more queries than
before they were kept."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.db import connection
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
    flags = selectors.reader_with_sides(list(selectors.reader_contradiction_list()))
    assert len(flags) > 3 and any(f.note for f in flags)
    built = views.contradictions_html(flags)
    assert len(built) == len(flags)
    for flag, markup in zip(flags, built, strict=True):
        assert "<img" not in markup and "</script>" not in markup and "<b>" not in markup
        assert f'<a href="/contradictions/{flag.pk}/">' in markup
        assert f'href="/claims/{flag.claim_a_id}/"' in markup and f'href="/claims/{flag.claim_b_id}/"' in markup
        assert html.escape(flag.explanation) in markup
        if flag.note:
            assert f"Reviewer’s note: {html.escape(flag.note)}" in markup
    assert html.escape(NASTY) in "".join(built)


def test_a_flag_reads_the_same_from_side_rows_as_from_its_claims(editor: Any) -> None:
    """The hot pages read a flag's two claims as plain rows (reader_with_side_rows); the claim page reads them as
    model instances (reader_with_sides). Both give one markup, a missing speaker and outlet included."""
    nasty_story(editor)
    Article.objects.filter(pk=Claim.objects.order_by("id").first().article_id).update(outlet=None)  # type: ignore[union-attr]
    flags = list(selectors.reader_contradiction_list())
    from_models = views.contradictions_html(selectors.reader_with_sides(flags))
    from_rows = views.contradictions_html(selectors.reader_with_side_rows(list(selectors.reader_contradiction_list())))
    assert from_rows == from_models
    text = "".join(from_rows)
    assert "Unknown outlet" in text and any(c.speaker_id is None for c in Claim.objects.all())
    assert selectors.reader_with_side_rows([]) == []


def test_claim_rows_escape_every_text_and_link_claim_and_subject(editor: Any) -> None:
    nasty_story(editor)
    Article.objects.filter(pk=Claim.objects.order_by("id").first().article_id).update(published_at=None)  # type: ignore[union-attr]
    claims = list(selectors.reader_claims().order_by("id"))
    rows = list(selectors.reader_claims().order_by("id").values(*selectors.CLAIM_ROW_WITH_SUBJECT))
    assert [row["id"] for row in rows] == [claim.pk for claim in claims]
    assert {bool(c.as_of) for c in claims} == {True, False} and {c.contradicted for c in claims} == {True, False}  # type: ignore[attr-defined]
    assert any(c.article.published_at is None and not c.as_of for c in claims)
    assert any(len(c.quote) > 160 for c in claims) and any(c.speaker is None for c in claims)
    plain, with_subject = views.claim_rows_html(rows), views.claim_rows_html(rows, with_subject=True)
    for claim, row, linked in zip(claims, plain, with_subject, strict=True):
        for markup in (row, linked):
            assert "<img" not in markup and "</script>" not in markup and "<b>" not in markup
            assert markup.startswith('<li class="claim-row') and markup.endswith("</li>\n")
            assert f'<a href="/claims/{claim.pk}/">' in markup
            assert ("is-contradicted" in markup) == claim.contradicted  # type: ignore[attr-defined]
            assert ('<span class="badge flagged">contradicted</span>' in markup) == claim.contradicted  # type: ignore[attr-defined]
            assert html.escape(claim.article.outlet.name if claim.article.outlet else "Unknown outlet") in markup
            if claim.speaker is not None:
                assert f" · {html.escape(claim.speaker.name)}" in markup
            shown = claim.as_of or claim.article.published_at
            assert ("<time datetime=" in markup) == bool(shown)
            if len(claim.quote) > 160:
                assert html.escape(claim.quote[:159]) + "…" in markup
        assert claim.subject is not None
        subject_link = f'\n    · <a href="/subjects/{claim.subject_id}/">{html.escape(claim.subject.name)}</a>'
        assert subject_link in linked and "/subjects/" not in row
        assert linked.replace(subject_link, "") == row


def test_a_claim_has_one_row_markup_on_every_page_that_lists_claims(editor: Any) -> None:
    story = build_story(extra=3)
    claim = selectors.reader_claims().filter(subject_id=story.subject_id).exclude(speaker=None).order_by("id").first()
    assert claim is not None and claim.article.outlet is not None
    row = views.claim_rows_html(selectors.reader_claims().filter(pk=claim.pk).values(*selectors.CLAIM_ROW))[0]
    linked = views.claim_rows_html(
        selectors.reader_claims().filter(pk=claim.pk).values(*selectors.CLAIM_ROW_WITH_SUBJECT), with_subject=True
    )[0]
    other = selectors.reader_claims().filter(subject_id=story.subject_id).exclude(pk=claim.pk).order_by("id").first()
    assert other is not None
    client = Client()
    pages = {
        f"/subjects/{story.subject_id}/": row,
        f"/claims/{other.pk}/": row,
        f"/outlets/{claim.article.outlet_id}/": linked,
        f"/speakers/{claim.speaker_id}/": linked,
        f"/search/?q={claim.quote.split()[-1]}": linked,
    }
    for url, markup in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert markup in response.content.decode(), url


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
