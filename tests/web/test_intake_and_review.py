"""The editors' intake page (paste, upload, URL -> a status page that follows the extraction) and the contradiction
review queue, through Django's test client: who may use them, what a refused input leaves behind (nothing), what a
decision records, and what a page of flags costs."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.models import Article, AuditEvent, Claim, Contradiction
from claims.web.forms import MAX_HTML_BYTES
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Our own messy copy of a page: menu, share buttons, a newsletter prompt, a "Popular" list and a contact block
# around three sentences of body.
BODY = [
    "The river authority said on Tuesday that repairs to the Old Mill bridge would take about two years.",
    "Engineers found cracks in three of the bridge's seven arches during an inspection in March, the authority said.",
    "A spokesperson said some 1,200 vehicles a day would be diverted through the town centre while work goes on.",
]
MESSY_TEXT = "\n".join(
    [
        "Skip to content",
        "Home | Region | Business | Sport",
        "Share on Facebook",
        "Share on X",
        "Old Mill bridge to close for two years of repairs",
        "By Ana Ruiz",
        *BODY,
        "Subscribe to our newsletter for the morning briefing",
        "Popular News",
        "Local rowing club wins regional cup after 12 years",
        "Contact the newsroom: 0123 456 7890, desk@example.org",
    ]
)
PAGE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Ferry fares rise | Coast Courier</title>
<meta property="og:site_name" content="Coast Courier"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry fares rise for the summer season</h1>
<p>The island ferry company said fares would rise by 8 percent from June, the first increase since 2021.</p>
<p>About 3,400 passengers use the crossing on a typical summer day, according to the harbour master.</p>
<p>Residents will keep their discount cards, a company spokesman said on Monday.</p></article>
<footer>Contact us: 0987 654 321</footer></body></html>"""


def client_for(user: User | None, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def stored() -> tuple[int, int]:
    return Article.objects.count(), AuditEvent.objects.count()


def html_file(content: bytes | str, name: str = "page.html", content_type: str = "text/html") -> SimpleUploadedFile:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type=content_type)


def field_errors(page: str, field: str) -> str:
    """The text of the error block shown under one field (empty when there is none)."""
    found = re.search(rf'<div class="field-error" id="id_{field}_error">(.*?)</div>', page, re.DOTALL)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


# ---------------------------------------------------------------------------------------------- access


def _flag_for_access() -> Contradiction:
    return make_flags(1)[0]


@pytest.mark.parametrize(
    "path",
    [
        "/editor/articles/new/",
        "/editor/articles/{article}/status/",
        "/editor/contradictions/",
        "/editor/contradictions/{flag}/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in_and_readers_refused(path: str, reader: User) -> None:
    url = path.format(article=make_article().pk, flag=_flag_for_access().pk)
    answer = client_for(None).get(url)
    assert answer.status_code == 302
    assert answer["Location"] == f"/accounts/login/?next={url}"
    assert client_for(reader).get(url).status_code == 403


def test_readers_and_anonymous_visitors_can_neither_submit_nor_resolve(reader: User) -> None:
    flag = _flag_for_access()
    before = stored()
    for client in (client_for(None), client_for(reader)):
        answer = client.post("/editor/articles/new/", {"text": MESSY_TEXT})
        assert answer.status_code in (302, 403)
        answer = client.post(f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-status": "dismissed"})
        assert answer.status_code in (302, 403)
    assert stored() == before
    flag.refresh_from_db()
    assert flag.status == "open" and flag.reviewer is None


def test_the_forms_need_the_csrf_token(editor: User) -> None:
    flag = _flag_for_access()
    client = client_for(editor, enforce_csrf_checks=True)
    before = stored()
    assert client.post("/editor/articles/new/", {"text": MESSY_TEXT}).status_code == 403
    assert client.post(f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-status": "dismissed"}).status_code == 403
    assert stored() == before
    assert Contradiction.objects.get(pk=flag.pk).status == "open"
    # The pages themselves carry the token their forms post back.
    for url in ("/editor/articles/new/", "/editor/contradictions/"):
        assert b'name="csrfmiddlewaretoken"' in client.get(url).content


def test_the_nav_links_the_review_queue_for_editors_only(editor: User, reader: User) -> None:
    assert b'href="/editor/contradictions/"' in client_for(editor).get("/").content
    assert b'href="/editor/contradictions/"' not in client_for(reader).get("/").content
    queue = client_for(editor).get("/editor/").content
    assert b'href="/editor/articles/new/"' in queue


# ---------------------------------------------------------------------------------------------- intake


def test_the_intake_form_offers_three_sources_and_the_optional_details(editor: User) -> None:
    page = client_for(editor).get("/editor/articles/new/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'method="post"' in page
    for name in ("text", "html_file", "url", "title", "outlet", "published_at"):
        assert f'name="{name}"' in page
    assert 'type="file"' in page and 'type="date"' in page
    assert "<script" not in page.split("</main>")[0].split('<main id="main">')[1], "no inline script in the form"


def test_pasted_text_is_submitted_redirects_to_its_status_and_becomes_ready(
    editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = client.post(
            "/editor/articles/new/",
            {"text": MESSY_TEXT, "title": "", "outlet": "Valley Herald", "published_at": "2025-05-06"},
        )
    assert callbacks, "the extraction was not queued on commit"
    article = Article.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/editor/articles/{article.pk}/status/"
    assert article.source == "text" and article.created_by == editor
    assert article.outlet is not None and article.outlet.name == "Valley Herald"
    assert article.published_at is not None and article.published_at.date().isoformat() == "2025-05-06"
    assert AuditEvent.objects.filter(entity="article", entity_id=article.pk, action="submit", actor=editor).exists()
    # The eager task ran on commit, as the worker would have.
    assert article.status == "ready", article.error
    for sentence in BODY:
        assert sentence in article.text
    assert "Share on Facebook" not in article.text and "desk@example.org" not in article.text

    page = client.get(answer["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-status="ready"' in body
    assert f'href="/editor/articles/{article.pk}/"' in body and "Annotate it" in body
    found = re.search(r'<script id="intake-watch" type="application/json">(.*?)</script>', body, re.DOTALL)
    assert found
    watch = json.loads(found.group(1))
    assert watch["api"] == f"/api/v1/articles/{article.pk}/"
    assert watch["status"] == "ready" and watch["interval_ms"] <= 2000
    assert "claims/intake.js" in body
    assert 'http-equiv="refresh"' not in body, "a finished article's page does not reload itself"


def test_a_pending_article_reloads_itself_without_script_and_a_failed_one_shows_why(editor: User) -> None:
    pending = make_article(title="Still cooking", status=Article.Status.PENDING, text="")
    body = client_for(editor).get(f"/editor/articles/{pending.pk}/status/").content.decode()
    assert 'data-status="pending"' in body
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in body
    assert re.search(r'id="ready-note" hidden', body) and re.search(r'id="pending-note">', body)

    failed = make_article(
        title="Broken page",
        status=Article.Status.FAILED,
        text="",
        error="could not fetch the page: the address answered 404",
    )
    body = client_for(editor).get(f"/editor/articles/{failed.pk}/status/").content.decode()
    assert 'data-status="failed"' in body
    assert (
        'The article could not be read: <span id="error-text">could not fetch the page: the address answered 404'
        in body
    )


def test_an_uploaded_html_file_becomes_an_html_article(editor: User, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        answer = client_for(editor).post("/editor/articles/new/", {"html_file": html_file(PAGE_HTML)})
    article = Article.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/editor/articles/{article.pk}/status/"
    assert article.source == "html" and article.raw == PAGE_HTML
    assert article.status == "ready", article.error
    assert "About 3,400 passengers use the crossing" in article.text
    assert "0987 654 321" not in article.text
    assert article.title == "Ferry fares rise for the summer season"


def test_a_file_with_a_declared_charset_is_decoded_with_it(editor: User) -> None:
    latin = PAGE_HTML.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("Residents", "Résidents")
    answer = client_for(editor).post("/editor/articles/new/", {"html_file": html_file(latin.encode("latin-1"))})
    assert answer.status_code == 302
    assert "Résidents" in Article.objects.get().raw


def test_the_same_article_again_is_shown_as_already_in_the_tracker(editor: User) -> None:
    client = client_for(editor)
    first = client.post("/editor/articles/new/", {"text": MESSY_TEXT})
    article = Article.objects.get()
    before = stored()
    again = client.post("/editor/articles/new/", {"text": MESSY_TEXT})
    assert stored() == before
    assert again.status_code == 302
    assert again["Location"] == f"{first['Location']}?already=1"
    body = client.get(again["Location"]).content.decode()
    assert "already in the tracker" in body
    assert f'<a href="/editor/articles/{article.pk}/">Open the existing article</a>' in body


def test_a_known_url_is_answered_with_the_existing_article(editor: User) -> None:
    known = make_article(title="Known", url="https://news.example.com/story/1")
    before = stored()
    answer = client_for(editor).post(
        "/editor/articles/new/", {"url": "HTTPS://News.Example.com/story/1?utm_source=feed#comments"}
    )
    assert stored() == before
    assert answer["Location"] == f"/editor/articles/{known.pk}/status/?already=1"


def test_content_found_to_be_a_twin_links_the_article_already_there(editor: User) -> None:
    original = make_article(title="The original")
    twin = make_article(title="", duplicate_of=original)
    body = client_for(editor).get(f"/editor/articles/{twin.pk}/status/").content.decode()
    assert re.search(r'id="duplicate-note">The same content is already in the tracker', body)
    assert f'href="/editor/articles/{original.pk}/">The original</a>' in body


BIG = b"<html><body><p>" + b"x" * MAX_HTML_BYTES + b"</p></body></html>"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": MESSY_TEXT, "html_file": PAGE_HTML}, "html_file", "exactly one"),
        ({}, None, "Give exactly one of"),
        ({"text": "   \n\n  "}, "text", "empty"),
        ({"url": "ftp://files.example.com/story.html"}, "url", "only http and https"),
        ({"url": "https://user:secret@news.example.com/a"}, "url", "user names or passwords"),
        ({"url": "https://news.example.com:8081/a"}, "url", "port 8081 is not allowed"),
        ({"url": "https://news.example.com/a", "title": "Mine"}, "url", "a URL alone is fetched"),
        ({"html_file": ("report.pdf", b"%PDF-1.7 binary", "application/pdf")}, "html_file", "not an HTML file"),
        ({"html_file": ("page.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "text/html")}, "html_file", "cannot be read"),
        (
            {"html_file": ("page.html", "<p>Caf\u00e9 prices</p>".encode("latin-1"), "text/html")},
            "html_file",
            "not valid UTF-8",
        ),
        ({"html_file": ("page.html", BIG, "text/html")}, "html_file", "too big"),
        (
            {"html_file": ("notes.html", b"just some words, no markup at all", "text/html")},
            "html_file",
            "does not look like an HTML page",
        ),
        ({"text": MESSY_TEXT, "published_at": "2025-13-40"}, "published_at", "valid date"),
        ({"text": "binary\x00data " * 10}, "text", "NUL"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_stores_nothing(
    editor: User, data: dict[str, Any], field: str | None, message: str
) -> None:
    post = dict(data)
    upload = post.pop("html_file", None)
    if isinstance(upload, tuple):
        post["html_file"] = html_file(upload[1], name=upload[0], content_type=upload[2])
    elif upload is not None:
        post["html_file"] = html_file(upload)
    before = stored()
    answer = client_for(editor).post("/editor/articles/new/", post)
    assert answer.status_code == 400
    assert stored() == before
    page = answer.content.decode()
    if field:
        shown = field_errors(page, field)
        assert message.lower() in shown.lower(), f"under {field}: {shown!r}"
        assert re.search(rf'aria-invalid="true"[^>]*id="id_{field}"', page)
    else:
        assert message in page
    assert "Nothing was stored" in page or "Give exactly one" in page


# ---------------------------------------------------------------------------------------------- review queue


def make_flags(
    count: int, *, kinds: tuple[str, ...] = ("numeric",), start_score: float = 0.9, status: str = "open"
) -> list[Contradiction]:
    """`count` flags, each between a fresh pair of confirmed claims in two articles with their own outlets and
    speakers (so that a lazily loaded relation would show in the query count)."""
    flags = []
    base = Contradiction.objects.count()
    for n in range(count):
        pair = []
        for side in "ab":
            article = make_article(title=f"Report {base + n}{side}")
            article.outlet = services.outlet_get_or_create(name=f"Outlet {base + n}{side}")
            article.save(update_fields=["outlet"])
            pair.append(
                make_claim(
                    article,
                    "2,400 workers" if side == "a" else "about 2,500 workers",
                    value=2400 if side == "a" else 2500,
                    qualifier="exact" if side == "a" else "approx",
                    speaker=f"Spokesperson {base + n}{side}",
                )
            )
        low, high = sorted(pair, key=lambda claim: claim.pk)
        flags.append(
            Contradiction.objects.create(
                claim_a=low,
                claim_b=high,
                kind=kinds[n % len(kinds)],
                score=round(max(0.0, start_score - n * 0.01), 3),
                explanation=f"2,400 vs about 2,500 workers, 4% apart (pair {base + n})",
                status=status,
            )
        )
    return flags


def flag_order(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="flag-card[^"]*" id="flag-(\d+)"', page)]


def test_open_flags_come_first_most_severe_first(editor: User) -> None:
    mild = make_flags(1, start_score=0.2)[0]
    resolved = make_flags(1, start_score=0.99, status="confirmed")[0]
    severe = make_flags(1, start_score=0.8)[0]
    middle = make_flags(1, start_score=0.5)[0]
    dismissed = make_flags(1, start_score=0.95, status="dismissed")[0]
    page = client_for(editor).get("/editor/contradictions/").content.decode()
    assert flag_order(page) == [severe.pk, middle.pk, mild.pk, resolved.pk, dismissed.pk]


def test_each_flag_shows_both_claims_side_by_side(editor: User) -> None:
    flag = make_flags(1)[0]
    page = client_for(editor).get("/editor/contradictions/").content.decode()
    card = page[page.index(f'id="flag-{flag.pk}"') :]
    card = card[: card.index("</article>")]
    a, b = flag.claim_a, flag.claim_b
    assert "2,400 vs about 2,500 workers, 4% apart" in card
    assert '<span class="badge kind">numeric</span>' in card and "0.90" in card
    for claim, value in ((a, "2,400 workers"), (b, "about 2,500 workers")):
        assert f'<mark class="quote">{claim.quote}</mark>' in card
        assert f'<dd class="value">{value}</dd>' in card
        assert claim.speaker is not None and claim.speaker.name in card
        assert claim.article.outlet is not None and claim.article.outlet.name in card
        assert f'href="/editor/articles/{claim.article_id}/"' in card
    assert "Port workers on strike" in card and "striker count" in card
    assert "14 Mar 2025" in card
    # The quote sits in its context: words before and after it from the article.
    assert re.search(
        r'<span class="context">[^<]*union leader said </span><mark class="quote">2,400 workers</mark>'
        r'<span class="context"> had walked out',
        card,
    )
    for label in ("Confirm", "Dismiss", "Superseded"):
        assert f">{label}</button>" in card
    assert ">Reopen</button>" not in card


def test_filters_by_kind_and_status(editor: User) -> None:
    numeric = make_flags(2, kinds=("numeric",))
    dated = make_flags(1, kinds=("date",))
    closed = make_flags(1, kinds=("date",), status="superseded")
    client = client_for(editor)
    assert flag_order(client.get("/editor/contradictions/?kind=date").content.decode()) == [dated[0].pk, closed[0].pk]
    assert flag_order(client.get("/editor/contradictions/?kind=date&status=open").content.decode()) == [dated[0].pk]
    assert sorted(flag_order(client.get("/editor/contradictions/?kind=numeric").content.decode())) == sorted(
        flag.pk for flag in numeric
    )
    assert "No flags match these filters" in client.get("/editor/contradictions/?kind=polarity").content.decode()
    wrong = client.get("/editor/contradictions/?kind=astrology")
    assert wrong.status_code == 200
    assert "Select a valid choice" in wrong.content.decode() and len(flag_order(wrong.content.decode())) == 4


def test_withdrawn_flags_are_not_in_the_queue(editor: User) -> None:
    kept, withdrawn = make_flags(2)
    Contradiction.objects.filter(pk=withdrawn.pk).update(withdrawn_at="2025-03-15T00:00:00Z")
    assert flag_order(client_for(editor).get("/editor/contradictions/").content.decode()) == [kept.pk]


def test_the_queue_is_paginated_and_keeps_its_filters(editor: User) -> None:
    make_flags(25)
    client = client_for(editor)
    first = client.get("/editor/contradictions/?status=open").content.decode()
    assert len(flag_order(first)) == 20 and "Page 1 of 2" in first
    assert 'href="?status=open&amp;page=2"' in first
    second = client.get("/editor/contradictions/?status=open&page=2").content.decode()
    assert len(flag_order(second)) == 5
    assert not set(flag_order(first)) & set(flag_order(second))


def test_a_page_of_flags_costs_the_same_queries_for_5_and_50_flags(editor: User) -> None:
    client = client_for(editor)

    def queries_for_queue() -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = client.get("/editor/contradictions/")
        assert answer.status_code == 200
        return len(captured)

    make_flags(5)
    small = queries_for_queue()
    make_flags(45)
    large = queries_for_queue()
    assert large == small, f"{small} queries for 5 flags, {large} for 50"
    assert small <= 8, f"{small} queries for a page of flags"
    Contradiction.objects.filter(pk__in=Contradiction.objects.values("pk")[:10]).update(status="dismissed")
    assert queries_for_queue() == small


def test_resolving_records_the_reviewer_the_note_and_an_audit_event(editor: User) -> None:
    flag, other = make_flags(2)
    client = client_for(editor)
    back = "/editor/contradictions/?kind=numeric&page=1"
    answer = client.post(
        f"/editor/contradictions/{flag.pk}/",
        {
            f"f{flag.pk}-status": "superseded",
            f"f{flag.pk}-note": "The later report updates the earlier figure.",
            f"f{flag.pk}-next": back,
        },
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"{back}#flag-{flag.pk}"
    flag.refresh_from_db()
    assert flag.status == "superseded" and flag.reviewer == editor
    assert flag.note == "The later report updates the earlier figure."
    event = AuditEvent.objects.get(entity="contradiction", entity_id=flag.pk)
    assert event.action == "review" and event.actor == editor
    assert event.changes["status"] == ["open", "superseded"]
    assert Contradiction.objects.get(pk=other.pk).status == "open"
    page = client.get(answer["Location"]).content.decode()
    assert f"Flag {flag.pk} (numeric) is now superseded." in page
    assert flag_order(page) == [other.pk, flag.pk], "a resolved flag moves below the open ones"
    card = page[page.index(f'id="flag-{flag.pk}"') :]
    assert "The later report updates the earlier figure." in card[: card.index("</article>")]
    assert ">Reopen</button>" in card[: card.index("</article>")]


def test_a_decision_through_the_single_flag_page_works_too(editor: User) -> None:
    flag = make_flags(1)[0]
    client = client_for(editor)
    page = client.get(f"/editor/contradictions/{flag.pk}/").content.decode()
    assert f'action="/editor/contradictions/{flag.pk}/"' in page
    answer = client.post(f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-status": "confirmed"})
    assert answer["Location"] == f"/editor/contradictions/#flag-{flag.pk}"
    assert Contradiction.objects.get(pk=flag.pk).status == "confirmed"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "maybe"}, "is not a review decision"),
        ({}, "Choose confirm, dismiss or superseded."),
        ({"status": "dismissed", "note": "n" * 5001}, "at most 5000 characters"),
    ],
)
def test_a_refused_decision_changes_nothing(editor: User, fields: dict[str, str], message: str) -> None:
    flag = make_flags(1)[0]
    before = AuditEvent.objects.count()
    answer = client_for(editor).post(
        f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-{key}": value for key, value in fields.items()}
    )
    assert answer.status_code == 400
    assert message in answer.content.decode()
    flag.refresh_from_db()
    assert flag.status == "open" and flag.reviewer is None and flag.note == ""
    assert AuditEvent.objects.count() == before


def test_a_decision_never_redirects_off_the_queue(editor: User) -> None:
    flag = make_flags(1)[0]
    answer = client_for(editor).post(
        f"/editor/contradictions/{flag.pk}/",
        {f"f{flag.pk}-status": "dismissed", f"f{flag.pk}-next": "https://evil.example.com/editor/contradictions/"},
    )
    assert answer["Location"] == f"/editor/contradictions/#flag-{flag.pk}"


def test_unknown_and_withdrawn_flags_are_404(editor: User) -> None:
    flag = make_flags(1)[0]
    Contradiction.objects.filter(pk=flag.pk).update(withdrawn_at="2025-03-15T00:00:00Z")
    client = client_for(editor)
    assert client.get(f"/editor/contradictions/{flag.pk}/").status_code == 404
    assert client.post(f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-status": "dismissed"}).status_code == 404
    assert client.get("/editor/contradictions/999999/").status_code == 404
    assert Claim.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"quote": "2,400 workers", "value": 2400}, "2,400 workers"),
        ({"quote": "about 2,500 workers", "value": 2500, "qualifier": "approx"}, "about 2,500 workers"),
        ({"quote": "2,400 workers", "value": {"min": 2400, "max": 2600}}, "2,400–2,600 workers"),
        ({"quote": "2,400 workers", "value": 2400, "qualifier": "at_least"}, "at least 2,400 workers"),
        # The editor's card used to say "2019-03", "about 3 or more months" and "1 years"; the reader's words won.
        ({"quote": "March 2019", "kind": "date", "value": "2019-03", "attribute": "opening date"}, "March 2019"),
        (
            {
                "quote": "several months",
                "kind": "duration",
                "value": {"min": 3, "max": None, "unit": "month"},
                "attribute": "length",
                "qualifier": "approx",
            },
            "about 3 months or more",
        ),
        (
            {
                "quote": "several months",
                "kind": "duration",
                "value": {"min": 1, "max": 1, "unit": "year"},
                "attribute": "length",
            },
            "1 year",
        ),
    ],
)
def test_a_value_is_said_in_the_same_words_on_every_surface(fields: dict[str, Any], said: str) -> None:
    """claims.present.values is the only value-in-words, on every surface that says a value in words: the editor's
    review card, the reader's claim page and both sides of the public contradiction page."""
    from claims.web.editor_review import _side

    claim = make_claim(make_article(), **fields)
    other = make_claim(make_article(title="Another report"), **fields)
    assert _side(claim).value == said
    page = Client().get(f"/claims/{claim.pk}/").content.decode()
    assert f"<dd>{said}</dd>" in page.replace("\n", "")
    flag = Contradiction.objects.create(
        claim_a=claim, claim_b=other, kind="numeric", score=0.5, explanation="the same figure twice", status="open"
    )
    sides = Client().get(f"/contradictions/{flag.pk}/").content.decode().replace("\n", "")
    assert sides.count(f"<dt>Value</dt><dd>{said}</dd>") == 2


def test_context_cut_from_a_longer_text_is_marked_and_loses_its_broken_words() -> None:
    from claims.web.editor_review import ContradictionSide, _side

    side: ContradictionSide = _side(
        make_claim(make_article(), "March 2021", kind="date", value="2021-03", attribute="opening date")
    )
    assert side.before.startswith("…") and side.before.endswith("The terminal opened in ")
    assert side.after == ", according to a company statement.\n\nThe dispute could last several months, if…"
    whole = _side(make_claim(make_article(), "about 2,500 workers", qualifier="approx"))
    assert whole.before == "Harbour officials said "
