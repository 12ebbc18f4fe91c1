"""A real Celery worker process, on the real Redis, running tasks against this test run's database."""

from __future__ import annotations

import uuid

import pytest

from claims import tasks
from claims.models import AuditEvent, Claim, Contradiction
from tests.conftest import Worker, wait_for
from tests.factories import make_article, make_claim

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_queued_task_runs_in_the_worker_against_the_database(celery_worker_process: Worker) -> None:
    token = uuid.uuid4().hex
    tasks.ping.delay(token)
    event = wait_for(lambda: AuditEvent.objects.filter(entity="ping", changes__token=token).first(), timeout=30)
    assert event.action == "pong"


def test_a_confirmed_claim_is_checked_by_the_worker(celery_worker_process: Worker) -> None:
    article = make_article()
    first = make_claim(article, "about 2,500 workers", qualifier="approx")
    second = make_claim(article, "2,400 workers", value=2400)
    wait_for(lambda: Claim.objects.filter(pk__in=[first.pk, second.pk], checked_at__isnull=False).count() == 2)
    flag = Contradiction.objects.get()
    assert {flag.claim_a_id, flag.claim_b_id} == {first.pk, second.pk}
    assert flag.kind == "numeric"
