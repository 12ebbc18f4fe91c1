"""Article versions over the REST API: `POST /api/v1/articles/{id}/refetch/` (editors) and `GET .../versions/`."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.models import Article, ArticleVersion, AuditEvent, Claim
from tests.ingest.httpserver import LocalServer, local_server  # noqa: F401 — the fixture
from tests.services.test_article_versions import V1, V2, _page

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/articles/"


@pytest.fixture
def editor(transactional_db: Any) -> User:
    """The conftest editor, but the group is made when missing: a transactional test flushes the one the migration
    made."""
    user = User.objects.create_user("ed", "ed@example.org", "ed-password-123")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    return user


def _post_article(client: APIClient, **body: Any) -> dict[str, Any]:
    answer = client.post(URL, body, format="json")
    assert answer.status_code in (201, 202), answer.json()
    data = answer.json()
    assert data["status"] == "ready", data["error"]
    return data


def _claim(client: APIClient, article_id: int, quote: str, value: int) -> dict[str, Any]:
    answer = client.post(
        "/api/v1/claims/",
        {
            "article": article_id,
            "quote": quote,
            "kind": "quantity",
            "subject": "Dock strike",
            "attribute": "count",
            "value": value,
            "unit": "workers",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    return answer.json()


def test_a_new_copy_through_the_api_makes_a_version_and_orphans_the_lost_claim(editor_client: APIClient) -> None:
    article = _post_article(editor_client, text=V1, url="https://harbour.example/dock-strike")
    assert (article["version"], article["versions"]) == (1, 1)
    lost = _claim(editor_client, article["id"], "About 2,400 dock workers", 2400)
    kept = _claim(editor_client, article["id"], "31 ships were waiting", 31)

    # The same URL posted again answers with the article as it is (API.md), even with other text.
    again = editor_client.post(URL, {"text": V2, "url": "https://harbour.example/dock-strike"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == article["id"]
    assert again.json()["version"] == 1 and "2,400" in again.json()["text"]

    answer = editor_client.post(f"{URL}{article['id']}/refetch/", {"text": V2}, format="json")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["version"], body["versions"]) == (2, 2)
    assert "About 2,500 dock workers" in body["text"]

    lost_now = editor_client.get(f"/api/v1/claims/{lost['id']}/").json()
    kept_now = editor_client.get(f"/api/v1/claims/{kept['id']}/").json()
    assert lost_now["orphaned"] is True and lost_now["quote"] == "About 2,400 dock workers"
    assert kept_now["orphaned"] is False
    assert body["text"][kept_now["start"] : kept_now["end"]] == "31 ships were waiting"

    versions = editor_client.get(f"{URL}{article['id']}/versions/")
    assert versions.status_code == 200
    listed = versions.json()
    assert [(v["number"], v["current"]) for v in listed] == [(1, False), (2, True)]
    assert listed[0]["changes"] == {} and listed[0]["replaced_at"] is not None
    assert listed[1]["replaced_at"] is None and listed[1]["content_hash"] == body["content_hash"]
    assert [(n["old"], n["new"]) for n in listed[1]["changes"]["numbers"]] == [("2,400", "2,500")]
    assert lost["id"] in listed[1]["changes"]["claims"]["orphaned"]
    assert "text" not in listed[0]


def test_versions_of_an_article_that_never_changed_is_its_current_text(
    anon_client: APIClient, editor_client: APIClient
) -> None:
    article = _post_article(editor_client, text=V1)
    listed = anon_client.get(f"{URL}{article['id']}/versions/").json()
    assert listed == [
        {
            "number": 1,
            "content_hash": article["content_hash"],
            "created_at": listed[0]["created_at"],
            "replaced_at": None,
            "changes": {},
            "current": True,
        }
    ]
    assert anon_client.get(f"{URL}999999/versions/").status_code == 404


def test_the_versions_list_costs_the_same_queries_for_one_or_many_versions(editor_client: APIClient) -> None:
    article = _post_article(editor_client, text=V1)
    counts = []
    for copy in (None, V2, V1, V2):
        if copy is not None:
            assert (
                editor_client.post(f"{URL}{article['id']}/refetch/", {"text": copy}, format="json").status_code == 200
            )
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(f"{URL}{article['id']}/versions/").status_code == 200
        counts.append(len(queries))
    assert ArticleVersion.objects.filter(article_id=article["id"]).count() == 3
    assert len(set(counts)) == 1, counts


def test_refetch_needs_an_editor_and_good_input_and_changes_nothing_otherwise(
    editor_client: APIClient, reader_client: APIClient, anon_client: APIClient
) -> None:
    article = _post_article(editor_client, text=V1)
    path = f"{URL}{article['id']}/refetch/"
    assert anon_client.post(path, {"text": V2}, format="json").status_code in (401, 403)
    assert reader_client.post(path, {"text": V2}, format="json").status_code == 403
    for body, field in (
        ({"text": V2, "html": "<p>x</p>"}, "html"),
        ({"text": ""}, "text"),
        ({"txt": V2}, "txt"),
    ):
        answer = editor_client.post(path, body, format="json")
        assert answer.status_code == 400, (body, answer.status_code)
        assert field in answer.json(), answer.json()
    # Asking for a fetch of an article that has no URL is not bad input but the article as it is: 409, saying so.
    no_url = editor_client.post(path, {}, format="json")
    assert no_url.status_code == 409 and "has no URL to fetch" in no_url.json()["detail"], no_url.json()
    assert editor_client.post(f"{URL}999999/refetch/", {"text": V2}, format="json").status_code == 404
    stored = Article.objects.get(pk=article["id"])
    assert stored.version == 1 and not ArticleVersion.objects.exists()
    assert not AuditEvent.objects.filter(entity="article", action__in=["refetch", "new_version"]).exists()


def test_refetch_of_a_url_runs_in_the_background(
    editor_client: APIClient,
    local_server: LocalServer,  # noqa: F811
    settings: Any,
) -> None:
    settings.INGEST_FETCH_POLICY = local_server.policy()
    route = local_server.route("/dock", body=_page(V1))
    article = _post_article(editor_client, url=local_server.url("/dock"))
    claim = _claim(editor_client, article["id"], "About 2,400 dock workers", 2400)
    route.body = _page(V2)

    answer = editor_client.post(f"{URL}{article['id']}/refetch/", {}, format="json")
    assert answer.status_code == 202, answer.json()
    # Tasks run in-process after commit here; with a worker the version appears a moment later.
    now = editor_client.get(f"{URL}{article['id']}/").json()
    assert now["version"] == 2 and "About 2,500 dock workers" in now["text"]
    assert Claim.objects.get(pk=claim["id"]).orphaned
