"""Anonymous reads are throttled, tokens get a higher limit; over the limit the answer is 429 with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _low_rates(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The throttles count in the cache; a private, empty one keeps this test apart from every other test and run
    # (the shared Redis cache in particular), and low rates make the limit quick to reach.
    private = LocMemCache(f"throttle-test-{id(monkeypatch)}", {})
    private.clear()
    monkeypatch.setattr(SimpleRateThrottle, "cache", private)
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "6/minute"})
    yield
    private.clear()


def _until_throttled(client: APIClient, paths: list[str], limit: int = 50) -> tuple[int, object]:
    for count in range(1, limit + 1):
        answer = client.get(paths[count % len(paths)])
        if answer.status_code == 429:
            return count - 1, answer
        assert answer.status_code == 200, answer.content
    raise AssertionError(f"no 429 within {limit} requests")


def test_anonymous_reads_are_throttled_with_retry_after(anon_client: APIClient) -> None:
    allowed, refused = _until_throttled(
        anon_client, ["/api/v1/claims/", "/api/v1/subjects/", "/api/v1/exports/claims.csv"]
    )
    assert allowed == 3
    assert 0 < int(refused["Retry-After"]) <= 60  # type: ignore[index]
    assert "throttled" in refused.json()["detail"].lower()  # type: ignore[attr-defined]


def test_a_token_gets_a_higher_limit(editor_client: APIClient, anon_client: APIClient) -> None:
    allowed, refused = _until_throttled(editor_client, ["/api/v1/articles/"])
    assert allowed == 6
    assert int(refused["Retry-After"]) > 0  # type: ignore[index]
    # The editor's budget is its own: anonymous clients still have theirs.
    assert anon_client.get("/api/v1/articles/").status_code == 200
