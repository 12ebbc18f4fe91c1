"""The editors' workspace pages, through Django's test client: who may see them, what they show, what they cost."""

from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Article, Claim
from claims.web.editor import paragraphs
from tests.factories import ARTICLE_TEXT, make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The production hasher spends most of a second per password on purpose; these tests make several.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SEGMENT = re.compile(r'<(?:span|mark)[^>]* data-offset="(\d+)"[^>]*>([^<]*)</(?:span|mark)>')


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def article_with_claims(title: str = "Port strike", outlet: str | None = "Harbour Wire") -> Article:
    article = make_article(title=title)
    if outlet:
        article.outlet = services.outlet_get_or_create(name=outlet)
        article.save(update_fields=["outlet"])
    make_claim(article, "about 2,500 workers", qualifier="approx")
    make_claim(article, "2,400 workers", status=Claim.Status.SUGGESTED, value=2400)
    make_claim(
        article, "March 2019", kind="date", value="2019-03", attribute="opening date", status=Claim.Status.SUGGESTED
    )
    return article


# ---------------------------------------------------------------------------------------------- access


@pytest.mark.parametrize("path", ["/editor/", "/editor/articles/{id}/"])
def test_anonymous_visitors_are_sent_to_sign_in(path: str) -> None:
    url = path.format(id=make_article().pk)
    answer = client_for(None).get(url)
    assert answer.status_code == 302
    assert answer["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("path", ["/editor/", "/editor/articles/{id}/"])
def test_readers_are_refused_and_see_no_form(reader: User, path: str) -> None:
    answer = client_for(reader).get(path.format(id=make_article().pk))
    assert answer.status_code == 403
    assert b"claim-form" not in answer.content


def test_superusers_count_as_editors() -> None:
    boss = User.objects.create_superuser("boss", "boss@example.org", "boss-password-123")
    assert client_for(boss).get(f"/editor/articles/{make_article().pk}/").status_code == 200


def test_the_nav_links_the_workspace_for_editors_only(editor: User, reader: User) -> None:
    assert b'href="/editor/"' in client_for(editor).get("/").content
    assert b'href="/editor/"' not in client_for(reader).get("/").content


# ---------------------------------------------------------------------------------------------- the list


def test_the_list_shows_each_article_with_its_counts(editor: User) -> None:
    article = article_with_claims()
    make_article(title="Quiet day", status=Article.Status.PENDING)
    answer = client_for(editor).get("/editor/")
    assert answer.status_code == 200
    rows = {row.pk: row for row in answer.context["page"].object_list}
    assert rows[article.pk].confirmed_count == 1
    assert rows[article.pk].waiting_count == 2
    page = answer.content.decode()
    row = page[page.index("Port strike") :]
    row = row[: row.index("</tr>")]
    assert "Harbour Wire" in row and "ready" in row
    assert re.findall(r'<td class="num">(?:<strong>)?(\d+)', row) == ["1", "2"]
    assert f'href="/editor/articles/{article.pk}/"' in page
    assert "Quiet day" in page and "pending" in page


def test_the_list_costs_the_same_queries_for_3_and_30_articles(editor: User) -> None:
    client = client_for(editor)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/editor/").status_code == 200
        return len(captured)

    for n in range(3):
        article_with_claims(title=f"Small {n}", outlet=f"Outlet {n}")
    small = queries_for_list()
    for n in range(27):
        article_with_claims(title=f"Large {n}", outlet=f"Outlet {n}")
    assert queries_for_list() == small
    assert small <= 8, f"{small} queries for the article list"


# ---------------------------------------------------------------------------------------------- annotation page


def test_the_annotation_page_lays_the_text_out_with_exact_offsets(editor: User) -> None:
    article = article_with_claims()
    answer = client_for(editor).get(f"/editor/articles/{article.pk}/")
    assert answer.status_code == 200
    page = answer.content.decode()
    segments = SEGMENT.findall(page)
    assert segments, "no text segments on the page"
    for offset, text in segments:
        assert ARTICLE_TEXT[int(offset) : int(offset) + len(html.unescape(text))] == html.unescape(text)
    covered = "".join(html.unescape(text) for _, text in segments)
    assert covered == ARTICLE_TEXT.replace("\n\n", "")
    assert page.count('<p class="para"') == ARTICLE_TEXT.count("\n\n") + 1


def test_the_annotation_page_highlights_claims_and_offers_the_tools(editor: User) -> None:
    article = article_with_claims()
    confirmed = Claim.objects.get(article=article, status=Claim.Status.CONFIRMED)
    page = client_for(editor).get(f"/editor/articles/{article.pk}/").content.decode()
    assert (
        f'<mark class="hl kind-quantity" data-offset="{confirmed.start}" data-claims="{confirmed.pk}">'
        "about 2,500 workers</mark>" in page
    )
    assert re.search(r'<mark class="hl kind-date suggested"[^>]*>March 2019</mark>', page)
    assert 'id="claim-form"' in page and 'role="combobox"' in page
    for label in ("Kind", "Subject", "Attribute", "Qualifier", "Speaker"):
        assert f">{label}" in page
    for key in ("j", "k", "a", "r", "e", "Esc"):
        assert f"<kbd>{key}</kbd>" in page
    assert "Legend" in page and "dashed outline" in page
    found = re.search(r'<script id="workspace-data" type="application/json">(.*?)</script>', page, re.S)
    assert found
    data = json.loads(found.group(1))
    assert data["article"]["id"] == article.pk
    assert data["api"] == {
        "claims": "/api/v1/claims/",
        "subjects": "/api/v1/subjects/",
        "speakers": "/api/v1/speakers/",
    }
    by_quote = {claim["quote"]: claim for claim in data["claims"]}
    assert by_quote["about 2,500 workers"]["value"] == 2500
    assert by_quote["about 2,500 workers"]["version"] == 1
    assert by_quote["March 2019"]["status"] == "suggested"


def test_rejected_claims_are_not_shown(editor: User) -> None:
    article = make_article()
    claim = make_claim(article, "2,400 workers", status=Claim.Status.SUGGESTED, value=2400)
    services.claim_set_status(claim=claim, actor=editor, status=Claim.Status.REJECTED)
    page = client_for(editor).get(f"/editor/articles/{article.pk}/").content.decode()
    assert "<mark" not in page
    assert "2,400 workers" in page  # still there, as plain text


def test_a_page_loads_only_what_its_scripts_allow_under_a_strict_csp(editor: User) -> None:
    page = client_for(editor).get(f"/editor/articles/{article_with_claims().pk}/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts
    for attributes, body in scripts:
        assert 'src="' in attributes or 'type="application/json"' in attributes, attributes
        assert 'src="' not in attributes or not body.strip()
    assert re.search(r'<script src="/static/claims/annotate\.js" defer>', page)
    assert not re.search(r"<[^>]+\son[a-z]+=", page), "inline event handler"


def test_article_content_is_escaped_everywhere(editor: User) -> None:
    evil = "<script>alert(1)</script>"
    text = f"Officials said {evil} about 2,500 troops remain.\n\nA second <b>paragraph</b>."
    article = make_article(title=f"Title {evil}", text=text, raw=text)
    make_claim(article, evil, kind="statement", subject=f"Subject {evil}", attribute="odd")
    client = client_for(editor)
    for url in ("/editor/", f"/editor/articles/{article.pk}/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert "<b>paragraph" not in page
    page = client.get(f"/editor/articles/{article.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in page  # the JSON data block


def test_an_article_not_ready_shows_why_and_no_form(editor: User) -> None:
    failed = make_article(status=Article.Status.FAILED, text="", error="no article text was found")
    page = client_for(editor).get(f"/editor/articles/{failed.pk}/").content.decode()
    assert "no article text was found" in page
    assert 'id="claim-form"' not in page and 'id="article-text"' not in page


def test_missing_articles_are_404(editor: User) -> None:
    assert client_for(editor).get("/editor/articles/999999/").status_code == 404


# ---------------------------------------------------------------------------------------------- layout


def test_paragraph_segments_cut_at_every_claim_boundary_and_cover_the_text() -> None:
    class Span:
        def __init__(self, pk: int, start: int, end: int) -> None:
            self.pk, self.start, self.end = pk, start, end
            self.kind, self.status = "quantity", "confirmed"

    text = "One two three.\n\nFour five  six.\n \nSeven"
    outer, inner, across = Span(1, 0, 13), Span(2, 4, 7), Span(3, 10, 20)
    laid = paragraphs(text, [outer, inner, across])  # type: ignore[list-item]
    assert [p.offset for p in laid] == [0, 16, 34]
    for para in laid:
        for seg in para.segments:
            assert text[seg.offset : seg.offset + len(seg.text)] == seg.text
    first = [(s.text, [c.pk for c in s.claims]) for s in laid[0].segments]
    assert first == [("One ", [1]), ("two", [1, 2]), (" th", [1]), ("ree", [1, 3]), (".", [3])]
    assert [(s.text, [c.pk for c in s.claims]) for s in laid[1].segments] == [("Four", [3]), (" five  six.", [])]
    assert laid[0].segments[1].css == "hl kind-quantity"
