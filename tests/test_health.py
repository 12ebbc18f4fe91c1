"""/healthz and /readyz: the second names what is not ready — the database, a pending migration, Redis, the worker."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.conftest import wait_for
from tracker.celery import WORKER_HEARTBEAT_KEY

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _ready() -> tuple[int, dict[str, Any]]:
    answer = Client().get("/readyz")
    return answer.status_code, answer.json()


@pytest.mark.django_db
def test_healthz_answers_while_the_process_is_up() -> None:
    answer = Client().get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    assert "no-cache" in answer["Cache-Control"]


@pytest.mark.django_db
def test_readyz_on_the_embedded_default_checks_the_database_and_migrations(settings: Any) -> None:
    settings.REDIS_URL = ""
    assert _ready() == (200, {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}})


@pytest.mark.django_db
def test_readyz_names_redis_when_it_is_unreachable(settings: Any) -> None:
    settings.REDIS_URL = DEAD_REDIS
    status, body = _ready()
    assert status == 503 and body["status"] == "unavailable"
    assert body["checks"]["redis"].startswith("unreachable")
    assert body["checks"]["database"] == "ok"
    assert "127.0.0.1" not in str(body)  # no connection details leak


@pytest.mark.django_db(transaction=True)
def test_readyz_names_pending_migrations(settings: Any) -> None:
    settings.REDIS_URL = ""  # the database's part only (the PostgreSQL pass sets REDIS_URL, with no worker here)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("claims")
    executor.migrate([("claims", "0008_move_suggestions_to_proposals")])
    try:
        status, body = _ready()
        assert status == 503
        assert "claims.0009_confirmed_claim_has_subject" in body["checks"]["migrations"]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    assert _ready()[0] == 200


@pytest.mark.e2e
def test_readyz_follows_redis_and_a_real_workers_heartbeat(celery_worker_process: Any, settings: Any) -> None:
    broker = settings.CELERY_BROKER_URL
    client = redis.Redis.from_url(broker)
    client.delete(WORKER_HEARTBEAT_KEY)
    settings.REDIS_URL = broker
    status, body = _ready()
    assert status == 503 and body["checks"]["worker"] == "no heartbeat seen"
    # The worker's heartbeat (every 2 s, recorded at most every 10 s) makes it ready.
    assert wait_for(lambda: _ready()[0] == 200, timeout=40)
    settings.REDIS_URL = DEAD_REDIS  # Redis "down" for this process
    status, body = _ready()
    assert status == 503 and body["checks"]["redis"].startswith("unreachable")
    settings.REDIS_URL = broker  # and back
    assert _ready() == (
        200,
        {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "redis": "ok", "worker": "ok"}},
    )
