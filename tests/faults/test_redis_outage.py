"""Redis stops while editors save claims through the running site: every save still succeeds, and once Redis is
back every claim is checked — the checks whose enqueue was lost are caught up by the reconcile task.

The site, the worker and Redis are real processes; Redis is a private one, so stopping it disturbs no one."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token

from claims import tasks
from claims.detection.check import check_claim
from claims.models import Claim, Contradiction
from tests.conftest import Worker, database_url_for_tests, wait_for
from tests.factories import ARTICLE_TEXT, make_article
from tests.faults.conftest import PrivateRedis, Server
from tracker.celery import app as celery_app

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOW, HIGH = "2,400 workers", "about 2,500 workers"


def _claim_body(article_id: int, quote: str, value: int, qualifier: str = "exact") -> dict[str, object]:
    at = ARTICLE_TEXT.index(quote)
    return {
        "article": article_id,
        "quote": quote,
        "start": at,
        "end": at + len(quote),
        "kind": "quantity",
        "subject": "Port workers on strike",
        "attribute": "striker count",
        "value": value,
        "unit": "workers",
        "qualifier": qualifier,
    }


def _active_flags() -> set[tuple[int, int, str]]:
    return set(Contradiction.objects.filter(withdrawn_at__isnull=True).values_list("claim_a", "claim_b", "kind"))


def test_claims_saved_while_redis_is_down_are_all_checked_once_it_is_back(
    private_redis: PrivateRedis, editor: User, tmp_path: Path
) -> None:
    token = Token.objects.create(user=editor).key
    article = make_article()
    queue = f"faults-{uuid.uuid4().hex[:10]}"
    env = dict(
        os.environ,
        DATABASE_URL=database_url_for_tests(),
        REDIS_URL=private_redis.url,
        CELERY_QUEUE=queue,
        PYTHONUNBUFFERED="1",
    )
    server = Server(env, tmp_path / "server.log")
    worker = Worker(env, tmp_path / "worker.log", queue)
    server.start()
    try:
        worker.start()

        # With Redis up, the worker checks each save within moments.
        before = []
        for quote, value, qualifier in ((LOW, 2400, "exact"), (HIGH, 2500, "approx")):
            status, _, body = server.request(
                "POST", "/api/v1/claims/", _claim_body(article.pk, quote, value, qualifier), token
            )
            assert status == 201, body
            before.append(json.loads(body)["id"])
        wait_for(lambda: Claim.objects.filter(pk__in=before, checked_at__isnull=False).count() == 2, timeout=60)

        private_redis.stop()
        assert not private_redis.ping()
        during = []
        for value in (1800, 2000, 2200, 3000, 3200, 3400):
            started = time.monotonic()
            status, _, body = server.request("POST", "/api/v1/claims/", _claim_body(article.pk, LOW, value), token)
            elapsed = time.monotonic() - started
            assert status == 201, f"a save failed while Redis was down: {status} {body[:2000]!r}\n{server.log()}"
            assert elapsed < 10, f"a save took {elapsed:.1f} s while Redis was down; it must fail fast to the DB"
            during.append(json.loads(body)["id"])
        # Reads keep working too.
        status, _, body = server.request("GET", f"/api/v1/claims/{during[0]}/")
        assert status == 200, body
        time.sleep(2)
        assert Claim.objects.filter(pk__in=during, checked_at__isnull=True).count() == len(during), (
            "nothing can have checked these: the broker was down when they were saved"
        )

        private_redis.start()  # same port, empty: whatever was queued before is gone, as after a crash
        # What beat sends every minute; sent here so the test need not wait for the schedule.
        with celery_app.connection_for_write(private_redis.url) as connection:
            # `connection` is a documented apply_async option that celery-types does not declare.
            tasks.reconcile_claims.apply_async(connection=connection, queue=queue)  # type: ignore[call-arg]
        everything = before + during
        wait_for(
            lambda: Claim.objects.filter(pk__in=everything, checked_at__isnull=False).count() == len(everything),
            timeout=150,
            interval=0.5,
        )
    finally:
        worker.stop()
        server.stop()

    flags = _active_flags()
    for claim_id in during:
        assert any(claim_id in (a, b) for a, b, _ in flags), f"claim {claim_id} disagrees with others but has no flag"
    low, high = sorted(before)
    assert (low, high, "numeric") in flags, "the 2,400 vs about 2,500 flag made before the outage is kept"
    # A full re-check in this process finds nothing more and nothing less than the worker recorded.
    for claim_id in everything:
        check_claim(claim_id)
    assert _active_flags() == flags
    assert Contradiction.objects.count() == len(flags), "every flag is stored once"
