"""Writes with an editor's token, one per kind of object; wrong types and non-JSON bodies change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from claims.models import Article, AuditEvent, Claim, Contradiction, Speaker, Subject
from tests.api import bulk

pytestmark = pytest.mark.django_db

TEXT = (
    "Ferry operators said 40 crossings were cancelled on Monday.\n\n"
    "The harbour master said the storm would pass within two days."
)


def test_an_editor_token_writes_every_kind_of_object(
    editor_client: APIClient, editor: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # ingestion runs after the commit
        article = editor_client.post(
            "/api/v1/articles/",
            {
                "text": TEXT,
                "title": "Storm closes the ferry port",
                "outlet": "Island Herald",
                "published_at": "2025-02-03",
            },
            format="json",
        )
    assert article.status_code in (201, 202), article.content
    article_id = article.json()["id"]
    assert Article.objects.get(pk=article_id).created_by == editor

    claim = editor_client.post(
        "/api/v1/claims/",
        {
            "article": article_id,
            "quote": "40 crossings",
            "kind": "quantity",
            "subject": "Ferry crossings",
            "attribute": "cancelled count",
            "value": 40,
            "unit": "crossings",
            "speaker": "Ferry operators",
        },
        format="json",
    )
    assert claim.status_code == 201, claim.content
    claim_id = claim.json()["id"]

    subject = editor_client.post("/api/v1/subjects/", {"name": "Island ferry service"}, format="json")
    assert subject.status_code == 201
    speaker = editor_client.post("/api/v1/speakers/", {"name": "Coastguard duty officer"}, format="json")
    assert speaker.status_code == 201
    renamed = editor_client.patch(
        f"/api/v1/speakers/{speaker.json()['id']}/", {"description": "port official"}, format="json"
    )
    assert renamed.status_code == 200 and renamed.json()["description"] == "port official"

    edited = editor_client.patch(
        f"/api/v1/claims/{claim_id}/", {"value": 41}, format="json", HTTP_IF_MATCH=claim["ETag"]
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["value"] == 41 and edited.json()["version"] == 2

    actions = set(AuditEvent.objects.values_list("entity", flat=True))
    assert {"article", "claim", "subject", "speaker"} <= actions


def test_contradiction_review_with_a_token(editor_client: APIClient, editor: User, anon_client: APIClient) -> None:
    flag = bulk.contradictions(bulk.claims(2))[0]
    assert anon_client.get(f"/api/v1/contradictions/{flag.pk}/claimreview/").status_code == 404
    refused = editor_client.patch(f"/api/v1/contradictions/{flag.pk}/", {"status": "wrong"}, format="json")
    assert refused.status_code == 400 and "status" in refused.json()
    answer = editor_client.patch(
        f"/api/v1/contradictions/{flag.pk}/", {"status": "confirmed", "note": "both reports checked"}, format="json"
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["note"], body["reviewer"]) == ("confirmed", "both reports checked", editor.username)
    review = anon_client.get(f"/api/v1/contradictions/{flag.pk}/claimreview/").json()
    assert review["reviewRating"]["alternateName"] == "Contradicted by another report"
    assert AuditEvent.objects.filter(entity="contradiction", entity_id=flag.pk).exists()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/subjects/", {"name": 7}, "name"),
        ("/api/v1/speakers/", {"name": ["a"]}, "name"),
        (
            "/api/v1/claims/",
            {"article": "1", "quote": "x", "kind": "statement", "subject": "s", "attribute": "a"},
            "article",
        ),
        (
            "/api/v1/claims/",
            {"article": True, "quote": "x", "kind": "statement", "subject": "s", "attribute": "a"},
            "article",
        ),
        ("/api/v1/articles/", {"text": 12}, "text"),
    ],
)
def test_values_of_the_wrong_json_type_are_refused(
    editor_client: APIClient, path: str, body: dict[str, object], field: str
) -> None:
    bulk.articles(1)
    before = (Subject.objects.count(), Speaker.objects.count(), Claim.objects.count(), Article.objects.count())
    answer = editor_client.post(path, body, format="json")
    assert answer.status_code == 400, answer.content
    assert field in answer.json()
    assert (Subject.objects.count(), Speaker.objects.count(), Claim.objects.count(), Article.objects.count()) == before


def test_only_json_bodies_are_read(editor_client: APIClient) -> None:
    answer = editor_client.post("/api/v1/subjects/", {"name": "Form posted"})  # multipart
    assert answer.status_code == 415
    assert not Subject.objects.filter(name="Form posted").exists()


def test_unknown_paths_and_ids_answer_json_404(anon_client: APIClient) -> None:
    for path in [
        "/api/v1/claims/0.5/",
        "/api/v1/claims/abc/history/",
        "/api/v1/nothing-here/",
        "/api/v1/contradictions/99999999999999999999/",
        "/api/v1/subjects/%C3%BC.x%0A%3Cj/",  # an encoded newline and a dot in the id (found by schemathesis)
    ]:
        answer = anon_client.get(path)
        assert answer.status_code == 404, path
        assert set(answer.json()) == {"detail"}, path
    assert Contradiction.objects.count() == 0
