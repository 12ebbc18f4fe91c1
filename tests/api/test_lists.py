"""Filters, whitelisted ordering, updated_since sync and both paginations (page numbers and cursors)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from claims.models import Article, Claim, Contradiction
from tests.api import bulk

pytestmark = pytest.mark.django_db


def _walk(client: APIClient, url: str) -> tuple[list[dict[str, Any]], int]:
    rows: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    while next_url:
        answer = client.get(next_url)
        assert answer.status_code == 200, answer.content
        body = answer.json()
        rows += body["results"]
        next_url = body["next"]
        pages += 1
    return rows, pages


def test_page_numbers_keep_the_api_contract(anon_client: APIClient) -> None:
    bulk.claims(23)
    body = anon_client.get("/api/v1/claims/?page_size=10").json()
    assert body["count"] == 23 and len(body["results"]) == 10 and body["previous"] is None
    rows, pages = _walk(anon_client, "/api/v1/claims/?page_size=10")
    assert pages == 3
    assert [row["id"] for row in rows] == sorted(Claim.objects.values_list("id", flat=True))
    assert anon_client.get("/api/v1/claims/?page=99").status_code == 404


def test_a_cursor_walks_every_row_once_even_when_rows_change_meanwhile(anon_client: APIClient, editor: User) -> None:
    made = bulk.claims(30)
    first = anon_client.get("/api/v1/claims/?cursor=&ordering=updated_at&page_size=7").json()
    assert "count" not in first and len(first["results"]) == 7 and "cursor=" in first["next"]
    # A row already seen is edited (moves to the end of updated_at order); a row not yet seen is untouched.
    Claim.objects.filter(pk=first["results"][0]["id"]).update(updated_at=timezone.now())
    rest, _ = _walk(anon_client, first["next"])
    ids = [row["id"] for row in first["results"] + rest]
    assert set(ids) == {claim.pk for claim in made}
    assert len(ids) == len(set(ids)) + 1  # only the edited row shows again, as a sync client wants
    by_id, _ = _walk(anon_client, "/api/v1/claims/?cursor=&ordering=-id&page_size=8")
    assert [row["id"] for row in by_id] == sorted((claim.pk for claim in made), reverse=True)
    # An ordering a cursor cannot follow (nullable, not unique) gives the default cursor order.
    fallback, _ = _walk(anon_client, "/api/v1/claims/?cursor=&ordering=as_of&page_size=8")
    assert [row["id"] for row in fallback] == sorted(claim.pk for claim in made)
    assert anon_client.get("/api/v1/claims/?cursor=not-a-cursor").status_code == 404


def test_ordering_is_whitelisted_and_stable(anon_client: APIClient) -> None:
    bulk.claims(15)
    rows, _ = _walk(anon_client, "/api/v1/claims/?ordering=kind&page_size=4")
    keys = [(row["kind"], row["id"]) for row in rows]
    assert keys == sorted(keys) and len(keys) == 15
    rows, _ = _walk(anon_client, "/api/v1/claims/?ordering=-as_of&page_size=4")
    assert [row["as_of"] for row in rows] == sorted((row["as_of"] for row in rows), reverse=True)
    refused = anon_client.get("/api/v1/claims/?ordering=quote")
    assert refused.status_code == 400 and "ordering" in refused.json()
    for path, field in [
        ("articles", "published_at"),
        ("contradictions", "score"),
        ("subjects", "name"),
        ("speakers", "name"),
    ]:
        assert anon_client.get(f"/api/v1/{path}/?ordering=-{field}").status_code == 200, path


def test_filters_on_every_list(anon_client: APIClient, editor: User) -> None:
    made = bulk.claims(20)
    flags = bulk.contradictions(made, reviewer=editor)
    claim = made[0]
    assert claim.subject is not None

    def count(query: str) -> int:
        answer = anon_client.get(f"/api/v1/{query}")
        assert answer.status_code == 200, (query, answer.content)
        return int(answer.json()["count"])

    assert count(f"claims/?subject={claim.subject.name.upper()}") == Claim.objects.filter(subject=claim.subject).count()
    assert (
        count(f"claims/?subject=alias of {claim.subject.name}") == Claim.objects.filter(subject=claim.subject).count()
    )
    assert count(f"claims/?speaker={claim.speaker_id}") == Claim.objects.filter(speaker=claim.speaker).count()
    assert claim.article.outlet is not None and claim.speaker is not None
    assert (
        count(f"claims/?outlet={claim.article.outlet.name}")
        == Claim.objects.filter(article__outlet=claim.article.outlet).count()
    )
    assert count("claims/?kind=duration&status=confirmed") == Claim.objects.filter(kind="duration").count()
    assert (
        count("claims/?as_of_after=2025-01-05&as_of_before=2025-01-10")
        == Claim.objects.filter(as_of__range=(datetime.date(2025, 1, 5), datetime.date(2025, 1, 10))).count()
    )
    assert count("claims/?published_after=2025-03-14&published_before=2025-03-14") == 20
    assert count("claims/?published_after=2025-03-15") == 0
    assert count("contradictions/?status=confirmed") == sum(f.status == "confirmed" for f in flags)
    assert count(f"contradictions/?claim={flags[0].claim_a_id}") == 1
    assert count("contradictions/?score_min=0.85") == Contradiction.objects.filter(score__gte=0.85).count()
    assert count("articles/?status=ready") == Article.objects.count()
    assert count(f"subjects/?q={claim.subject.name[:9]}") >= 1
    assert count(f"speakers/?name={claim.speaker.name.lower()}") == 1
    for bad in [
        "claims/?kind=rumour",
        "claims/?as_of_after=2025-13-40",
        "claims/?updated_since=yesterday",
        "contradictions/?status=maybe",
        "articles/?published_after=soon",
    ]:
        answer = anon_client.get(f"/api/v1/{bad}")
        assert answer.status_code == 400, bad
        assert set(answer.json()) <= {"kind", "as_of_after", "updated_since", "status", "published_after"}


def test_updated_since_returns_only_what_changed(anon_client: APIClient, editor: User) -> None:
    made = bulk.claims(10)
    flags = bulk.contradictions(made)
    since = timezone.now()
    stamp = since.isoformat().replace("+00:00", "Z")
    for path in ("claims", "articles", "contradictions"):
        assert anon_client.get(f"/api/v1/{path}/", {"updated_since": stamp}).json()["count"] == 0, path
    from claims import services

    services.claim_update(claim=made[3], actor=editor, expected_version=1, attribute="walkout size")
    services.contradiction_resolve(contradiction=flags[0], actor=editor, status="confirmed", note="")
    changed = anon_client.get("/api/v1/claims/", {"updated_since": stamp}).json()["results"]
    assert [row["id"] for row in changed] == [made[3].pk]
    flagged = anon_client.get("/api/v1/contradictions/", {"updated_since": stamp}).json()["results"]
    assert [row["id"] for row in flagged] == [flags[0].pk]


@pytest.mark.parametrize(
    "query", ["page=0", "page=-25154", "page=abc", "page=last", "page=1&cursor=", "cursor=&page=-25154"]
)
def test_a_bad_page_is_a_400_naming_it(anon_client: APIClient, query: str) -> None:
    bulk.claims(3)
    for path in ("claims", "articles", "contradictions", "subjects"):
        answer = anon_client.get(f"/api/v1/{path}/?{query}")
        assert answer.status_code == 400, (path, query, answer.content)
        assert "page" in answer.json()
