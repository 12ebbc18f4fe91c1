"""Conditional GET: detail endpoints carry an ETag and answer 304 to an If-None-Match that names it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from claims import services
from claims.models import Article, Claim, Contradiction, Speaker, Subject
from tests.api import bulk

pytestmark = pytest.mark.django_db


def _change_article(article: Article, editor: User) -> None:
    Article.objects.filter(pk=article.pk).update(title="A changed headline")


def _change_claim(claim: Claim, editor: User) -> None:
    services.claim_update(claim=claim, actor=editor, expected_version=claim.version, attribute="walkout size")


def _change_flag(flag: Contradiction, editor: User) -> None:
    services.contradiction_resolve(contradiction=flag, actor=editor, status="dismissed", note="same figure")


def _change_subject(subject: Subject, editor: User) -> None:
    services.subject_rename(subject=subject, name="Dock workers on strike", actor=editor)


def _change_speaker(speaker: Speaker, editor: User) -> None:
    services.speaker_update(speaker=speaker, actor=editor, description="union spokesperson")


CASES: list[tuple[str, Any, Callable[..., None]]] = [
    ("articles", Article, _change_article),
    ("claims", Claim, _change_claim),
    ("contradictions", Contradiction, _change_flag),
    ("subjects", Subject, _change_subject),
    ("speakers", Speaker, _change_speaker),
]


@pytest.mark.parametrize(("path", "model", "change"), CASES, ids=[case[0] for case in CASES])
def test_if_none_match_answers_304_until_the_object_changes(
    anon_client: APIClient, editor: User, path: str, model: Any, change: Callable[..., None]
) -> None:
    bulk.contradictions(bulk.claims(4))
    target = model.objects.order_by("id").first()
    url = f"/api/v1/{path}/{target.pk}/"
    first = anon_client.get(url)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert anon_client.get(url)["ETag"] == etag  # stable while nothing changes

    unchanged = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["ETag"] == etag
    assert anon_client.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert anon_client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200

    change(target, editor)
    changed = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["id"] == target.pk


def test_a_claim_etag_follows_the_worker_check_though_the_version_stays(anon_client: APIClient) -> None:
    claim = bulk.claims(1)[0]
    url = f"/api/v1/claims/{claim.pk}/"
    etag = anon_client.get(url)["ETag"]
    Claim.objects.filter(pk=claim.pk).update(checked_at=None)
    answer = anon_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 200
    assert answer.json()["version"] == claim.version
    # The ETag still names the version, so it works as If-Match for an edit.
    assert f"-v{claim.version}-" in answer["ETag"]
