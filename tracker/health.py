"""Health endpoints for load balancers and container orchestrators (JSON, no secrets).

`/healthz`: the process is up and answering. `/readyz`: it can do its job — the database answers, every migration
is applied, and, when background work goes through Redis (REDIS_URL), Redis answers and a worker has sent a
heartbeat within the last minute (tracker.celery writes it). 200 when all hold, else 503 naming what does not.
"""

from __future__ import annotations

import time
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tracker.celery import WORKER_HEARTBEAT_KEY

WORKER_STALE_AFTER = 60.0  # seconds without a heartbeat before the worker counts as gone


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:  # failing to reach it is the answer, not a crash
        return f"unreachable ({type(exc).__name__})"
    return None


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _redis_and_worker(url: str) -> dict[str, str | None]:
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        beat = client.get(WORKER_HEARTBEAT_KEY)
    except redis.RedisError as exc:
        return {"redis": f"unreachable ({type(exc).__name__})", "worker": "unknown: Redis is unreachable"}
    finally:
        client.close()
    if beat is None:
        return {"redis": None, "worker": "no heartbeat seen"}
    age = time.time() - float(beat)
    return {"redis": None, "worker": None if age <= WORKER_STALE_AFTER else f"last heartbeat {age:.0f} s ago"}


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    problems: dict[str, Any] = {"database": _database()}
    if problems["database"] is None:
        pending = pending_migrations()
        problems["migrations"] = f"not applied: {', '.join(pending)}" if pending else None
    if settings.REDIS_URL:
        problems.update(_redis_and_worker(settings.REDIS_URL))
    failing = {name: problem for name, problem in problems.items() if problem}
    checks = {name: problem or "ok" for name, problem in problems.items()}
    return JsonResponse(
        {"status": "unavailable" if failing else "ok", "checks": checks}, status=503 if failing else 200
    )
