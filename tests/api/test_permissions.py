"""Anyone reads; only editors (by token or by session with CSRF) write."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from claims.models import Article, Claim
from tests.factories import make_article

pytestmark = pytest.mark.django_db

CLAIM = {
    "quote": "about 2,500 workers",
    "kind": "quantity",
    "subject": "Port workers",
    "attribute": "count",
    "value": 2500,
    "unit": "workers",
    "qualifier": "approx",
}


@pytest.mark.parametrize(
    "path",
    ["/api/v1/articles/", "/api/v1/claims/", "/api/v1/contradictions/", "/api/v1/subjects/", "/api/v1/speakers/"],
)
def test_anonymous_reads(anon_client: APIClient, path: str) -> None:
    assert anon_client.get(path).status_code == 200


def test_anonymous_writes_are_refused_and_change_nothing(anon_client: APIClient) -> None:
    article = make_article()
    answer = anon_client.post("/api/v1/claims/", {"article": article.pk, **CLAIM}, format="json")
    assert answer.status_code == 401
    assert anon_client.post("/api/v1/articles/", {"text": "Some text here."}, format="json").status_code == 401
    assert Claim.objects.count() == 0
    assert Article.objects.count() == 1


def test_a_reader_account_cannot_write(reader_client: APIClient) -> None:
    article = make_article()
    answer = reader_client.post("/api/v1/claims/", {"article": article.pk, **CLAIM}, format="json")
    assert answer.status_code == 403
    assert Claim.objects.count() == 0


def test_an_editor_token_writes_and_acts_as_its_user(editor_client: APIClient, editor: User) -> None:
    article = make_article()
    answer = editor_client.post("/api/v1/claims/", {"article": article.pk, **CLAIM}, format="json")
    assert answer.status_code == 201, answer.content
    claim = Claim.objects.get()
    assert claim.created_by == editor
    assert claim.status == Claim.Status.CONFIRMED


def test_session_writes_need_csrf(editor: User) -> None:
    article = make_article()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(editor)
    refused = client.post("/api/v1/claims/", {"article": article.pk, **CLAIM}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    client.get("/accounts/login/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/v1/claims/", {"article": article.pk, **CLAIM}, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content


def test_superuser_writes_without_the_group(db: object) -> None:
    admin = User.objects.create_superuser("boss", "boss@example.org", "boss-password-1")
    client = APIClient()
    client.force_authenticate(admin)
    article = make_article()
    assert client.post("/api/v1/claims/", {"article": article.pk, **CLAIM}, format="json").status_code == 201
