"""The two pieces that keep the site answering through an outage, in isolation (the fault tests show them at work
with real services): the database-outage 503 and the Redis cache that answers a miss when Redis is away."""

from __future__ import annotations

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from tests.faults.conftest import free_port
from tracker.cache import TolerantRedisCache
from tracker.outage import DatabaseOutageMiddleware, server_error


def _middleware() -> DatabaseOutageMiddleware:
    return DatabaseOutageMiddleware(lambda request: pytest.fail("not called"))


@pytest.mark.parametrize(
    "error", [OperationalError("the database system is shutting down"), InterfaceError("connection already closed")]
)
def test_a_database_error_in_an_api_view_is_a_json_503_with_retry_after(error: Exception) -> None:
    response = _middleware().process_exception(RequestFactory().get("/api/v1/claims/"), error)
    assert response is not None and response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["code"] == "db_unavailable"
    assert b"shutting down" not in response.content, "no internals in the answer"


def test_a_database_error_on_a_page_is_a_short_html_503() -> None:
    response = _middleware().process_exception(RequestFactory().get("/claims/3/"), OperationalError("boom"))
    assert response is not None and response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"Back in a moment" in response.content and b"boom" not in response.content


def test_other_errors_are_left_to_django() -> None:
    assert _middleware().process_exception(RequestFactory().get("/api/v1/claims/"), ValueError("bug")) is None


def test_the_500_handler_answers_503_for_a_database_error_raised_outside_a_view() -> None:
    request = RequestFactory().get("/api/v1/contradictions/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"].isdigit()
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_the_cache_answers_a_miss_when_redis_is_not_there() -> None:
    cache = TolerantRedisCache(
        f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    )
    assert cache.get("throttle_anon_127.0.0.1", []) == []
    cache.set("throttle_anon_127.0.0.1", [1.0], 60)  # no error
    assert cache.add("k", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("k") is False
    with pytest.raises(ValueError, match="unavailable"):
        cache.incr("k")
