"""Reader pages through Django's test client: content, a query count that does not grow with the rows shown,
404s, feeds, conditional GET, search (substring on SQLite, ranked full text on PostgreSQL) and escaping."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import selectors, services
from claims.detection.check import check_claim
from claims.models import Article, Claim, Contradiction, Subject
from claims.selectors import reader as reader_selectors
from tests.factories import make_article, make_claim
from tests.web.reader_data import SUBJECT, Story, build_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client()


def get(client: Client, url: str, status: int = 200, **headers: Any) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code, response.content[:2000])
    return response


def text_of(response: Any) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------- each page


def test_claim_page_shows_quote_in_paragraph_value_sources_flags_related_and_history(client: Client) -> None:
    story = build_story()
    html = text_of(get(client, f"/claims/{story.troops_a.pk}/"))
    assert "<mark>About 1,200 troops</mark> remain at Fort Alder, the defence ministry said on Monday." in html
    assert "about 1,200 troops" in html  # the structured value in words
    for fact in (
        "Troops at Fort Alder",
        "troop count",
        "Defence ministry",
        "Coast Herald",
        "Garrison cut at Fort Alder",
        "10 March 2025",
    ):
        assert fact in html, fact
    flag = Contradiction.objects.get(claim_a=story.troops_a, claim_b=story.troops_b)
    assert f'href="/contradictions/{flag.pk}/"' in html
    assert flag.explanation in html and "Some 1,500 troops" in html  # both sides
    assert f'href="/claims/{story.troops_b.pk}/"' in html  # another claim on the same subject
    assert "History" in html and "create" in html
    assert 'property="og:title"' in html and 'property="og:description"' in html
    assert "application/ld+json" not in html  # no verdict yet: an open flag gives no ClaimReview


def test_a_reviewed_contradiction_gives_claim_review_json_ld(client: Client, editor: Any) -> None:
    story = build_story()
    flag = Contradiction.objects.get(claim_a=story.troops_a, claim_b=story.troops_b)
    services.contradiction_resolve(contradiction=flag, actor=editor, status="confirmed", note="Checked both.")
    html = text_of(get(client, f"/claims/{story.troops_a.pk}/"))
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    reviews = json.loads(match.group(1))
    assert len(reviews) == 1
    review = reviews[0]
    assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == "About 1,200 troops"
    assert review["reviewRating"]["alternateName"] == "Contradicted by another report"
    assert review["itemReviewed"]["author"]["name"] == "Defence ministry"
    # One ClaimReview builder for the page and the API (claims.present.reviews): appearances are a list there.
    assert review["itemReviewed"]["appearance"][0]["url"] == "https://herald.example/alder"
    assert review["isBasedOn"]["text"] == story.troops_b.quote
    assert "Checked both." in review["reviewBody"]
    assert "reviewed" in text_of(get(client, f"/claims/{story.troops_a.pk}/")).lower()


def test_subject_page_groups_claims_draws_the_chart_and_lists_flags(client: Client, editor: Any) -> None:
    story = build_story(extra=4)
    dismissed = Contradiction.objects.filter(claim_a__in=story.extra).first()
    assert dismissed is not None
    services.contradiction_resolve(contradiction=dismissed, actor=editor, status="dismissed", note="Different gates")
    html = text_of(get(client, f"/subjects/{story.subject_id}/"))
    assert "<h1>Troops at Fort Alder</h1>" in html
    assert "<h3>troop count</h3>" in html and "<h3>drawdown time</h3>" in html
    svg_marks = re.findall(r'<a class="mark[^"]*" href="/claims/(\d+)/" tabindex="0"', html)
    assert len(svg_marks) == 2 + 4 + 1  # every troop count and the duration, one mark each
    assert len(re.findall(r'class="mark contradicted"', html)) >= 2
    assert "<title>“About 1,200 troops” — Coast Herald, 2025-03-10 (contradicted)</title>" in html
    for outlet in ("Coast Herald", "Valley Times", "Northern Wire"):
        assert re.search(rf'class="dot outlet-\d"[^>]*/></svg>{outlet}</li>', html), outlet
    assert "Open contradictions" in html and "Different gates" in html  # the resolved one, with its note
    assert 'style="' not in html and "onclick" not in html and "<script" not in html


def test_subject_page_names_its_aliases_escaped_and_in_order_and_only_public_subjects_have_one(
    client: Client, editor: Any
) -> None:
    story = build_story()
    subject = Subject.objects.get(pk=story.subject_id)
    html = text_of(get(client, f"/subjects/{subject.pk}/"))
    assert "Also called" not in html
    for name in ("Fort Alder garrison", "<b>Alder</b> & co"):
        services.subject_alias_add(subject=subject, name=name, actor=editor)
    html = text_of(get(client, f"/subjects/{subject.pk}/"))
    assert '<p class="meta">Also called: &lt;b&gt;Alder&lt;/b&gt; &amp; co, Fort Alder garrison</p>' in html
    unseen = services.subject_get_or_create(name="Nothing confirmed about this", actor=editor)
    for pk in (unseen.pk, 10**9):
        assert client.get(f"/subjects/{pk}/").status_code == 404


def test_article_page_highlights_claims_as_escaped_text_with_metadata_and_versions(client: Client) -> None:
    story = build_story()
    html = text_of(get(client, f"/articles/{story.herald.pk}/"))
    assert f'href="#claim-{story.troops_a.pk}"' in html
    assert "<mark>About 1,200 troops</mark></a> remain at Fort Alder" in html
    assert "Coast Herald" in html and "10 March 2025" in html and "https://herald.example/alder" in html
    assert f'id="claim-{story.opened_a.pk}"' in html


def test_contradictions_page_filters_by_status_kind_subject_and_outlet(client: Client, editor: Any) -> None:
    story = build_story()
    numeric = Contradiction.objects.get(claim_a=story.troops_a, claim_b=story.troops_b)
    dated = Contradiction.objects.get(claim_a=story.opened_a, claim_b=story.opened_b)
    services.contradiction_resolve(contradiction=dated, actor=editor, status="confirmed")

    def listed(query: str) -> set[int]:
        html = text_of(get(client, f"/contradictions/?{query}"))
        return {int(pk) for pk in re.findall(r'<a href="/contradictions/(\d+)/">', html)}

    assert listed("") == {numeric.pk, dated.pk}
    assert listed("status=confirmed") == {dated.pk}
    assert listed("kind=numeric") == {numeric.pk}
    assert listed("subject=fort+alder+base") == {dated.pk}
    assert listed("outlet=valley") == {numeric.pk, dated.pk}
    assert listed("outlet=nobody") == set()
    html = text_of(get(client, "/contradictions/?status=invented", status=400))
    assert "Status:" in html and "invented" in html  # the form names the bad field
    html = text_of(get(client, "/contradictions/"))
    assert "About 1,200 troops" in html and "Some 1,500 troops" in html  # both sides
    assert '<label for="id_status">' in html


def test_contradictions_page_paginates(client: Client) -> None:
    build_story(extra=9)  # 11 troop counts far apart: dozens of flags
    total = Contradiction.objects.filter(withdrawn_at__isnull=True).count()
    assert total > 25
    first = text_of(get(client, "/contradictions/"))
    assert len(re.findall(r'<a href="/contradictions/\d+/">', first)) == 25
    assert 'rel="next" href="?page=2"' in first
    second = text_of(get(client, "/contradictions/?kind=numeric&page=2"))
    assert 'href="?kind=numeric&amp;page=1"' in second


def test_contradiction_page_shows_both_sides(client: Client) -> None:
    story = build_story()
    flag = Contradiction.objects.get(claim_a=story.opened_a, claim_b=story.opened_b)
    html = text_of(get(client, f"/contradictions/{flag.pk}/"))
    assert "“opened in May 2011”" in html and "“opened in May 2014”" in html
    assert "May 2011" in html and "Coast Herald" in html and "Valley Times" in html
    assert flag.explanation in html and "Open" in html


def test_outlet_and_speaker_pages_count_contradicted_and_confirmed(client: Client, editor: Any) -> None:
    story = build_story()
    flag = Contradiction.objects.get(claim_a=story.troops_a, claim_b=story.troops_b)
    services.contradiction_resolve(contradiction=flag, actor=editor, status="confirmed")
    assert story.herald.outlet is not None
    stats = selectors.reader_outlet_stats(story.herald.outlet)
    assert stats["claims"] == 3 and stats["contradicted"] == 2 and stats["confirmed"] == 1 and stats["open"] == 1
    html = text_of(get(client, f"/outlets/{story.herald.outlet_id}/"))
    assert "<h1>Coast Herald</h1>" in html and "About 1,200 troops" in html
    assert re.search(r"<dt>Confirmed by editors</dt><dd>1</dd>", html)
    speaker_stats = selectors.reader_speaker_stats(story.troops_a.speaker)  # type: ignore[arg-type]
    assert speaker_stats == {**speaker_stats, "claims": 1, "contradicted": 1, "confirmed": 1, "open": 0}
    html = text_of(get(client, f"/speakers/{story.troops_a.speaker_id}/"))
    assert "<h1>Defence ministry</h1>" in html
    outlets = text_of(get(client, "/outlets/"))
    assert re.search(r"Coast Herald</a></td><td class=\"num\">1</td><td class=\"num\">3</td>", outlets)
    assert "Defence ministry" in text_of(get(client, "/speakers/"))


def test_home_shows_latest_flags_active_subjects_and_a_labelled_search_box(client: Client) -> None:
    story = build_story()
    html = text_of(get(client, "/"))
    assert '<label for="home-q">' in html and 'id="home-q"' in html
    assert f'href="/subjects/{story.subject_id}/"' in html
    assert "About 1,200 troops" in html and "opened in May 2014" in html


def test_search_finds_by_word(client: Client) -> None:
    story = build_story()
    html = text_of(get(client, "/search/?q=troops"))
    assert f'href="/subjects/{story.subject_id}/"' in html
    assert f'href="/claims/{story.troops_a.pk}/"' in html and f'href="/claims/{story.troops_b.pk}/"' in html
    assert f'href="/articles/{story.herald.pk}/"' in html
    html = text_of(get(client, "/search/?q=ministry"))
    assert f'href="/speakers/{story.troops_a.speaker_id}/"' in html
    assert "Nothing found" in text_of(get(client, "/search/?q=zeppelin"))
    assert "Search:" in text_of(get(client, "/search/?q=" + "x" * 300, status=400))


def test_search_ranks_on_postgresql_and_matches_substrings_elsewhere(client: Client) -> None:
    """One test for both runs: the selector picks the method by database vendor, and each is checked for it."""
    build_story()
    outlet = services.outlet_get_or_create(name="Ridge Post")
    text = "Troops and more troops\n\nTroops arrived; troops left; the troops' barracks stayed full of troops."
    dense = make_article(title="Troops everywhere", text=text, raw=text, outlet=outlet)
    if connection.vendor != "postgresql":
        results = selectors.reader_search("troops")
        assert {a.pk for a in results["articles"]} == set(Article.objects.values_list("pk", flat=True))
        assert not hasattr(results["articles"][0], "rank")
        assert selectors.reader_search("troop s")["articles"] == []  # a plain substring, no stemming
        return
    results = selectors.reader_search("troop")  # the stem matches "troops"
    assert results["articles"][0].pk == dense.pk  # the article that says it most ranks first
    ranks = [a.rank for a in results["articles"]]
    assert len(ranks) == 3 and ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]
    assert {c["quote"] for c in results["claims"]} >= {"About 1,200 troops", "Some 1,500 troops"}
    assert selectors.reader_search("stationed")["articles"][0].title == "Fort Alder drawdown stalls"
    html = text_of(get(client, "/search/?q=troops"))
    assert html.index(f'href="/articles/{dense.pk}/"') < html.index(f'href="/articles/{dense.pk - 1}/"')
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            query = SearchQuery("troops", config="english", search_type="websearch")
            for qs, index in (
                (Article.objects.annotate(s=selectors.article_search_vector()), "claims_article_search_gin"),
                (Claim.objects.annotate(s=selectors.claim_search_vector()), "claims_claim_search_gin"),
            ):
                plan = qs.filter(s=query).values("id").explain()
                assert index in plan, plan
        finally:
            cursor.execute("SET enable_seqscan = on")


# ---------------------------------------------------------------------------------------------- query counts


def _pages(story: Story) -> dict[str, str]:
    flag = Contradiction.objects.filter(withdrawn_at__isnull=True).order_by("id").first()
    assert flag is not None and story.extra_article is not None
    return {
        "home": "/",
        "claim": f"/claims/{story.troops_a.pk}/",
        "subject": f"/subjects/{story.subject_id}/",
        "article": f"/articles/{story.extra_article.pk}/",
        "contradictions": "/contradictions/",
        "contradictions-filtered": "/contradictions/?status=open&kind=numeric&subject=alder&outlet=wire",
        "contradiction": f"/contradictions/{flag.pk}/",
        "outlet": f"/outlets/{story.extra_article.outlet_id}/",
        "speaker": f"/speakers/{story.extra[0].speaker_id}/",
        "outlets": "/outlets/",
        "speakers": "/speakers/",
        "search": "/search/?q=troops",
        "feed": "/contradictions/feed.atom",
        "subject-feed": f"/subjects/{story.subject_id}/feed.rss",
    }


def _query_counts(client: Client, story: Story) -> dict[str, int]:
    counts = {}
    for name, url in _pages(story).items():
        get(client, url)  # warm up per-process caches (content types and the like)
        with CaptureQueriesContext(connection) as queries:
            get(client, url)
        counts[name] = len(queries)
    return counts


def test_every_page_costs_the_same_number_of_queries_for_3_or_30_claims(client: Client) -> None:
    small = _query_counts(client, build_story(extra=3))
    for model in (Contradiction, Claim):
        model.objects.all().delete()
    Article.objects.all().delete()
    big_story = build_story(extra=30)
    assert Contradiction.objects.filter(claim_a__in=big_story.extra).count() > 30
    big = _query_counts(client, big_story)
    assert small == big
    assert max(big.values()) <= 14, big


# ---------------------------------------------------------------------------------------------- errors, feeds, caching


@pytest.mark.parametrize(
    "url",
    [
        "/claims/999999/",
        "/subjects/999999/",
        "/articles/999999/",
        "/contradictions/999999/",
        "/outlets/999999/",
        "/speakers/999999/",
        "/subjects/999999/feed.atom",
    ],
)
def test_unknown_ids_are_404(client: Client, url: str) -> None:
    get(client, url, status=404)


def test_a_rejected_claim_has_no_public_page(client: Client, editor: Any) -> None:
    story = build_story()
    services.claim_set_status(claim=story.troops_b, actor=editor, status="rejected")
    get(client, f"/claims/{story.troops_b.pk}/", status=404)


def _feed_links(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    atom = "{http://www.w3.org/2005/Atom}"
    if root.tag == f"{atom}feed":
        return [e.find(f"{atom}link").get("href", "") for e in root.iter(f"{atom}entry")]  # type: ignore[union-attr]
    return [item.findtext("link", "") for item in root.iter("item")]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_parse_and_list_the_contradictions(client: Client, kind: str) -> None:
    story = build_story()
    flags = story.flags()
    assert len(flags) == 2
    links = _feed_links(get(client, f"/contradictions/feed.{kind}").content)
    assert sorted(links) == sorted(f"http://testserver/contradictions/{f.pk}/" for f in flags)
    subject_links = _feed_links(get(client, f"/subjects/{story.subject_id}/feed.{kind}").content)
    numeric = Contradiction.objects.get(claim_a=story.troops_a)
    assert subject_links == [f"http://testserver/contradictions/{numeric.pk}/"]


@pytest.mark.parametrize("page", ["home", "claim", "subject", "contradictions"])
def test_etag_answers_304_until_the_data_changes(client: Client, page: str) -> None:
    story = build_story(extra=1)
    url = _pages(story)[page]
    first = get(client, url)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(url, headers={"if-modified-since": first.headers["Last-Modified"]}).status_code == 304
    make_claim(story.times, "council member said", kind="attribution", subject=SUBJECT, attribute="source")
    changed = get(client, url, **{"if-none-match": etag})
    assert changed.headers["ETag"] != etag


# ---------------------------------------------------------------------------------------------- escaping

PAYLOAD_TEXT = (
    "Alarm at the <script>window.__pwned = 1</script> depot\n\n"
    'A spokesman said <img src=x onerror="window.__pwned = 2"> nothing had happened.\n\n'
    "Another said </script><script>window.__pwned = 3</script> something had happened."
)


def payload_article() -> tuple[Any, Claim, Claim]:
    article = make_article(title="<script>window.__pwned = 4</script> Depot", text=PAYLOAD_TEXT, raw=PAYLOAD_TEXT)
    one = make_claim(
        article,
        '<img src=x onerror="window.__pwned = 2"> nothing had happened',
        kind="statement",
        subject="Depot alarm",
        attribute="incident",
        polarity="denies",
        value=None,
    )
    two = make_claim(
        article,
        "</script><script>window.__pwned = 3</script> something had happened",
        kind="statement",
        subject="Depot alarm",
        attribute="incident",
        polarity="affirms",
        value=None,
    )
    for claim in (one, two):
        check_claim(claim.pk)
    return article, one, two


def test_article_content_is_rendered_as_text_never_as_html(client: Client, editor: Any) -> None:
    article, one, two = payload_article()
    flags = Contradiction.objects.filter(claim_a=one, claim_b=two)
    assert flags.exists(), "the payload claims should contradict each other (denies vs affirms)"
    services.contradiction_resolve(contradiction=flags.get(), actor=editor, status="confirmed")
    pages = [
        f"/articles/{article.pk}/",
        f"/claims/{one.pk}/",
        f"/claims/{two.pk}/",
        f"/contradictions/{flags.get().pk}/",
        "/",
        "/contradictions/",
        "/search/?q=depot",
        f"/subjects/{one.subject_id}/",
    ]
    for url in pages:
        html = text_of(get(client, url))
        assert "<script>window" not in html and "<img src=x" not in html, url
        assert 'onerror="window' not in html, url
    html = text_of(get(client, f"/articles/{article.pk}/"))
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    chart_html = text_of(get(client, f"/subjects/{one.subject_id}/"))
    escaped = "&lt;/script&gt;&lt;script&gt;window.__pwned = 3&lt;/script&gt; something had happened"
    assert f"<title>“{escaped}”" in chart_html
    claim_html = text_of(get(client, f"/claims/{two.pk}/"))
    blocks = re.findall(r"<script[^>]*>(.*?)</script>", claim_html, re.S)
    assert len(blocks) == 1 and "\\u003C/script\\u003E" in blocks[0]
    assert json.loads(blocks[0])[0]["claimReviewed"] == two.quote


def test_feeds_escape_article_content(client: Client) -> None:
    payload_article()
    body = get(client, "/contradictions/feed.rss").content
    root = ET.fromstring(body)
    descriptions = [d.text or "" for d in root.iter("description")]
    assert any("<script>window.__pwned = 3</script>" in d for d in descriptions)  # as text inside the XML


def test_both_plans_for_a_subjects_flags_find_the_same_flags(editor: Any) -> None:
    story = build_story(extra=6)
    services.contradiction_resolve(contradiction=story.flags()[0], actor=editor, status="dismissed")
    subject = Subject.objects.get(pk=story.subject_id)
    small = selectors.reader_subject_contradictions(subject, claim_count=1, limit=50)
    big = selectors.reader_subject_contradictions(subject, claim_count=selectors.BIG_SUBJECT + 1, limit=50)
    assert [[f.pk for f in part] for part in small] == [[f.pk for f in part] for part in big]
    assert len(small[0]) > 10 and len(small[1]) == 1
    assert all(f.claim_a.subject_id == subject.pk or f.claim_b.subject_id == subject.pk for f in small[0])


def test_the_subject_chart_caps_its_marks_and_says_so(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    story = build_story(extra=6)
    monkeypatch.setattr(reader_selectors, "READER_CHART_LIMIT", 4)
    html = text_of(get(client, f"/subjects/{story.subject_id}/"))
    marks = re.findall(r'<a class="mark[^"]*" href="/claims/(\d+)/"', html)
    newest = Claim.objects.filter(subject_id=story.subject_id).order_by("-id").values_list("id", flat=True)[:4]
    assert sorted(int(m) for m in marks) == sorted(newest)
    assert "<strong>Showing 4 of 9 claims</strong> (the most recently recorded)" in html


def test_the_claim_page_and_the_api_give_the_same_claim_review(client: Client, editor: Any) -> None:
    story = build_story()
    flag = Contradiction.objects.get(claim_a=story.troops_a, claim_b=story.troops_b)
    services.contradiction_resolve(contradiction=flag, actor=editor, status="dismissed", note="Different gates.")
    html = text_of(get(client, f"/claims/{story.troops_b.pk}/"))
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    from_api = client.get(f"/api/v1/contradictions/{flag.pk}/claimreview/").json()
    assert json.loads(match.group(1)) == [from_api]
    assert from_api["reviewRating"]["alternateName"] == "No contradiction"
    exported: Any = client.get("/api/v1/exports/claimreviews.jsonld")
    export = json.loads(b"".join(exported.streaming_content))
    assert export["@graph"] == [from_api]
