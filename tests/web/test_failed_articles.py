"""The editors' "Failed articles" list (/editor/articles/failed/) with its Retry and Delete buttons, and where failed
and deleted articles may (not) be seen: the editor queue, the reader article page, the API for anonymous clients and
for editors. Through Django's test client on the real database; tasks run in-process once the transaction commits
(hence transactional tests), and fetching goes to a local HTTP server."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import dateformat
from django.utils.timezone import localtime
from rest_framework.test import APIClient

from claims import services
from claims.errors import Conflict
from claims.models import Article, AuditEvent
from tests.factories import ARTICLE_TEXT, make_article
from tests.ingest.httpserver import LocalServer, local_server  # noqa: F401 - pytest fixture
from tests.ingest.pages import article_html, first_sentence

pytestmark = pytest.mark.django_db(transaction=True)

FAILED_LIST = "/editor/articles/failed/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def retry_url(article: Article) -> str:
    return f"/editor/articles/{article.pk}/retry/"


def delete_url(article: Article) -> str:
    return f"/editor/articles/{article.pk}/delete/"


def failed_url_article(server: LocalServer, path: str = "/2025/ferry") -> Article:
    """A URL article whose fetch failed for real: the server answered 404 (a permanent error)."""
    server.route(path, status=404, headers={"Content-Type": "text/plain"}, body=b"not here")
    article, created = services.article_submit(actor=None, url=server.url(path))
    assert created
    article.refresh_from_db()
    assert (article.status, article.error) == ("failed", "could not fetch the page: HTTP 404")
    return article


def failed_text_article(**fields: Any) -> Article:
    """Pasted text whose ingestion failed (say, a bug since fixed): the input is kept on the article."""
    fields.setdefault("title", "Port strike enters second week")
    return make_article(
        status=Article.Status.FAILED,
        text="",
        content_hash="",
        raw=ARTICLE_TEXT,
        error="the extractor crashed",
        **fields,
    )


# --- the list --------------------------------------------------------------------------------------------------


def test_the_list_shows_each_failed_article_with_its_error_time_and_buttons(editor: User) -> None:
    broken = failed_text_article(url="https://news.example.com/strike")
    untitled = make_article(
        status=Article.Status.FAILED,
        title="",
        text="",
        url="https://news.example.com/gone",
        error="could not fetch the page: HTTP 410",
    )
    ready = make_article(title="A ready article")
    discarded = failed_text_article(title="Discarded earlier")
    services.article_discard(article=discarded, actor=editor)

    answer = client_for(editor).get(FAILED_LIST)

    assert answer.status_code == 200
    page = answer.content.decode()
    for article in (broken, untitled):
        assert f'id="article-{article.pk}"' in page
        assert f'action="{retry_url(article)}"' in page
        assert f'action="{delete_url(article)}"' in page
    assert "Port strike enters second week" in page and "the extractor crashed" in page
    assert "https://news.example.com/gone" in page and "could not fetch the page: HTTP 410" in page
    assert f'<time datetime="{dateformat.format(localtime(untitled.updated_at), "c")}">' in page
    assert page.count('method="post"') >= 4 and "csrfmiddlewaretoken" in page
    assert ready.title not in page
    assert "Discarded earlier" not in page and f'id="article-{discarded.pk}"' not in page


def test_the_queue_leaves_failed_articles_out_and_links_to_them(editor: User) -> None:
    ready = make_article(title="A ready article")
    pending = make_article(title="A pending article", status=Article.Status.PENDING, text="")
    failed = [failed_text_article(title=f"Broken page {n}") for n in range(2)]
    discarded = failed_text_article(title="Discarded page")
    services.article_discard(article=discarded, actor=editor)

    page = client_for(editor).get("/editor/").content.decode()

    assert ready.title in page and pending.title in page
    assert not any(article.title in page for article in [*failed, discarded])
    assert f'href="{FAILED_LIST}"' in page
    assert "<strong>2 failed</strong>" in page


def test_the_queue_says_0_failed_when_there_are_none(editor: User) -> None:
    make_article(title="A ready article")
    page = client_for(editor).get("/editor/").content.decode()
    assert "0 failed" in page
    assert "No failed articles." in client_for(editor).get(FAILED_LIST).content.decode()


# --- retry -----------------------------------------------------------------------------------------------------


def test_retry_fetches_the_url_again(
    editor: User,
    local_server: LocalServer,  # noqa: F811
    settings: Any,
) -> None:
    settings.INGEST_FETCH_POLICY = local_server.policy()
    article = failed_url_article(local_server)
    local_server.route("/2025/ferry", body=article_html("ferry").encode())  # the page is back

    answer = client_for(editor).post(retry_url(article), follow=True)

    assert answer.redirect_chain == [(FAILED_LIST, 302)]
    article.refresh_from_db()
    assert (article.status, article.error) == ("ready", "")
    assert first_sentence("ferry") in article.text
    assert [r.path for r in local_server.requests] == ["/2025/ferry", "/2025/ferry"]
    retry = AuditEvent.objects.get(entity="article", entity_id=article.pk, action="retry")
    assert retry.actor == editor
    page = answer.content.decode()
    assert f"{local_server.url('/2025/ferry')} is ready now." in page
    assert f'id="article-{article.pk}"' not in page
    assert article.title in client_for(editor).get("/editor/").content.decode()


def test_a_retry_that_fails_again_stays_listed_with_the_new_reason(
    editor: User,
    local_server: LocalServer,  # noqa: F811
    settings: Any,
) -> None:
    settings.INGEST_FETCH_POLICY = local_server.policy()
    article = failed_url_article(local_server)
    local_server.route("/2025/ferry", status=410, headers={"Content-Type": "text/plain"}, body=b"gone")

    answer = client_for(editor).post(retry_url(article), follow=True)

    article.refresh_from_db()
    assert (article.status, article.error) == ("failed", "could not fetch the page: HTTP 410")
    page = answer.content.decode()
    assert "failed again: could not fetch the page: HTTP 410" in page
    assert f'id="article-{article.pk}"' in page


def test_retry_runs_ingestion_again_for_pasted_text(editor: User) -> None:
    article = failed_text_article()

    client_for(editor).post(retry_url(article))

    article.refresh_from_db()
    assert (article.status, article.error) == ("ready", "")
    assert "2,400 workers had walked out" in article.text
    assert AuditEvent.objects.filter(entity="article", entity_id=article.pk, action="retry", actor=editor).exists()


# --- delete ----------------------------------------------------------------------------------------------------


def test_delete_is_soft_audited_and_hides_the_article_everywhere(editor: User) -> None:
    article = failed_text_article(url="https://news.example.com/strike")
    client = client_for(editor)

    answer = client.post(delete_url(article), follow=True)

    assert answer.redirect_chain == [(FAILED_LIST, 302)]
    assert "Port strike enters second week was deleted." in answer.content.decode()
    kept = Article.objects.get(pk=article.pk)  # still in the database
    assert kept.deleted_at is not None
    assert (kept.status, kept.error, kept.url, kept.raw) == (
        "failed",
        "the extractor crashed",
        "https://news.example.com/strike",
        ARTICLE_TEXT,
    )
    event = AuditEvent.objects.get(entity="article", entity_id=article.pk, action="discard")
    assert event.actor == editor
    assert event.changes["url"] == "https://news.example.com/strike"
    assert event.changes["error"] == "the extractor crashed"
    assert event.changes["deleted_at"] == [None, kept.deleted_at.isoformat()]
    # Gone from every list and page, for editors too.
    assert f'id="article-{article.pk}"' not in answer.content.decode()
    assert article.title not in client.get("/editor/").content.decode()
    for path in (
        f"/editor/articles/{article.pk}/",
        f"/editor/articles/{article.pk}/status/",
        f"/articles/{article.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    editor_api = api_client_for(editor)
    assert article.pk not in ids(editor_api.get("/api/v1/articles/?page_size=100"))
    assert editor_api.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    # A second delete (a double click) finds nothing to delete and changes nothing.
    assert client.post(delete_url(article)).status_code == 404
    assert AuditEvent.objects.filter(entity="article", entity_id=article.pk, action="discard").count() == 1


def test_only_failed_articles_can_be_deleted(editor: User) -> None:
    ready = make_article(title="A ready article")
    assert client_for(editor).post(delete_url(ready)).status_code == 404
    with pytest.raises(Conflict, match="only a failed article can be discarded"):
        services.article_discard(article=ready, actor=editor)
    ready.refresh_from_db()
    assert ready.deleted_at is None
    assert not AuditEvent.objects.filter(entity="article", action="discard").exists()


def test_a_deleted_url_submitted_again_comes_back_as_a_new_article(
    editor: User,
    local_server: LocalServer,  # noqa: F811
    settings: Any,
) -> None:
    settings.INGEST_FETCH_POLICY = local_server.policy()
    article = failed_url_article(local_server)
    services.article_discard(article=article, actor=editor)
    local_server.route("/2025/ferry", body=article_html("ferry").encode())

    again, created = services.article_submit(actor=editor, url=local_server.url("/2025/ferry"))

    assert created and again.pk == article.pk  # the URL is unique: the discarded row takes the new submission
    again.refresh_from_db()
    assert (again.status, again.deleted_at, again.error) == ("ready", None, "")
    assert again.created_by == editor
    assert again.created_at > article.created_at


# --- who may, and how ------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(db: Any) -> None:
    article = failed_text_article()
    client = client_for(None)
    for method, path in (("get", FAILED_LIST), ("post", retry_url(article)), ("post", delete_url(article))):
        answer = getattr(client, method)(path)
        assert answer.status_code == 302, path
        assert "login" in answer["Location"], path
    assert_untouched(article)


def test_signed_in_readers_get_403_and_change_nothing(reader: User) -> None:
    article = failed_text_article()
    client = client_for(reader)
    for method, path in (("get", FAILED_LIST), ("post", retry_url(article)), ("post", delete_url(article))):
        assert getattr(client, method)(path).status_code == 403, path
    assert_untouched(article)


def test_retry_and_delete_are_post_only(editor: User) -> None:
    article = failed_text_article()
    client = client_for(editor)
    for path in (retry_url(article), delete_url(article)):
        for method in ("get", "put", "delete"):
            assert getattr(client, method)(path).status_code == 405, (method, path)
    assert client.post(FAILED_LIST).status_code == 405
    assert_untouched(article)


def assert_untouched(article: Article) -> None:
    current = Article.objects.get(pk=article.pk)
    assert (current.status, current.deleted_at, current.error) == ("failed", None, article.error)
    assert not AuditEvent.objects.filter(entity="article", entity_id=article.pk).exists()


# --- what readers and API clients see --------------------------------------------------------------------------


def api_client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(answer: Any) -> list[int]:
    assert answer.status_code == 200, answer.content[:300]
    return [row["id"] for row in answer.json()["results"]]


def test_failed_articles_are_404_for_readers_and_absent_from_anonymous_api_lists(editor: User, reader: User) -> None:
    ready = make_article(title="A ready article")
    failed = failed_text_article()
    discarded = failed_text_article(title="Discarded")
    services.article_discard(article=discarded, actor=editor)

    for client in (client_for(None), client_for(reader), client_for(editor)):
        assert client.get(f"/articles/{ready.pk}/").status_code == 200
        assert client.get(f"/articles/{failed.pk}/").status_code == 404
        assert client.get(f"/articles/{discarded.pk}/").status_code == 404

    for client in (api_client_for(None), api_client_for(reader)):
        assert ids(client.get("/api/v1/articles/")) == [ready.pk]
        assert ids(client.get("/api/v1/articles/?status=failed")) == []
        assert client.get(f"/api/v1/articles/{ready.pk}/").status_code == 200
        for hidden in (failed, discarded):
            assert client.get(f"/api/v1/articles/{hidden.pk}/").status_code == 404
            assert client.get(f"/api/v1/articles/{hidden.pk}/versions/").status_code == 404

    # Editors still see failed articles (to fix them), never deleted ones.
    editor_api = api_client_for(editor)
    assert sorted(ids(editor_api.get("/api/v1/articles/"))) == sorted([ready.pk, failed.pk])
    assert ids(editor_api.get("/api/v1/articles/?status=failed")) == [failed.pk]
    assert editor_api.get(f"/api/v1/articles/{failed.pk}/").json()["error"] == "the extractor crashed"
    assert editor_api.get(f"/api/v1/articles/{discarded.pk}/").status_code == 404


# --- refused before fetching: no failed article at all ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:8123/", "Address 127.0.0.1 is a loopback address."),
        ("http://localhost:8123/", "Localhost resolves to a loopback address."),
        ("http://169.254.169.254/latest/meta-data/", "Address 169.254.169.254 is a link-local address."),
        ("http://news.example.com:8123/", "Port 8123 is not allowed."),
    ],
)
def test_the_intake_form_refuses_such_urls_with_the_reason_and_stores_nothing(
    editor: User, connections: list[Any], url: str, reason: str
) -> None:
    answer = client_for(editor).post("/editor/articles/new/", {"url": url})
    assert answer.status_code == 400
    assert reason in answer.content.decode()
    assert not Article.objects.exists()
    assert connections == []
