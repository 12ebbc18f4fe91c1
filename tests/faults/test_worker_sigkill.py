"""The worker is killed with SIGKILL in the middle of one `check_claim`: nothing it had written survives, and after
a restart the claim is checked with exactly the flags it should have — no duplicate, none missing.

To kill it at a known point the test holds a lock the task needs half-way through its transaction: on PostgreSQL
the audit table (the task has locked the claim row and inserted the flag, and waits to insert its audit record —
seen in pg_stat_activity), on SQLite the database write lock (the task has started and waits to begin writing)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings

from claims import tasks
from claims.detection.check import check_claim
from claims.models import AuditEvent, Claim, Contradiction
from tests.conftest import Worker, wait_for
from tests.factories import make_article, make_claim

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _on_postgres() -> bool:
    return bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


@contextmanager
def _blocking_lock() -> Iterator[object]:
    """A second connection, outside Django, that holds what check_claim will wait for."""
    db = settings.DATABASES["default"]
    if _on_postgres():
        conn = psycopg.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname=db["NAME"],
            autocommit=False,
        )
        try:
            conn.execute("LOCK TABLE claims_auditevent IN EXCLUSIVE MODE")  # reads pass, inserts wait
            yield conn
        finally:
            conn.rollback()
            conn.close()
    else:
        lite = sqlite3.connect(db["NAME"], timeout=20, isolation_level=None)
        try:
            lite.execute("BEGIN IMMEDIATE")  # the write lock: the worker's atomic block waits for it
            yield lite
        finally:
            lite.execute("ROLLBACK")
            lite.close()


def _worker_waits_on_the_lock(lock: object, worker: Worker, log_seen: int) -> bool:
    if isinstance(lock, psycopg.Connection):
        lock.execute("SELECT pg_stat_clear_snapshot()")  # else a transaction sees one frozen snapshot of the view
        rows = lock.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE %s",
            ['%INSERT INTO "claims_auditevent"%'],
        ).fetchone()
        return bool(rows and rows[0])
    # SQLite shows no waiters: the task has been handed to a pool process (it starts at once, concurrency 2).
    return b"claims.check_claim" in worker.log_path.read_bytes()[log_seen:]


def test_a_worker_killed_inside_check_claim_leaves_no_half_write_and_no_missing_flag(
    celery_worker_process: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = make_article()
    low = make_claim(article, "2,400 workers", value=2400)
    wait_for(lambda: Claim.objects.filter(pk=low.pk, checked_at__isnull=False).exists(), timeout=60)
    assert not Contradiction.objects.exists()

    with monkeypatch.context() as patch:  # queued by hand below, once the lock is in place
        # Services queue by name (a signature's apply_async), so the task's apply_async is what to hold back.
        patch.setattr(tasks.check_claim, "apply_async", lambda *args, **kwargs: None)
        high = make_claim(article, "about 2,500 workers", qualifier="approx")
    audit_before = AuditEvent.objects.count()

    log_seen = celery_worker_process.log_path.stat().st_size
    with _blocking_lock() as lock:
        tasks.check_claim.delay(high.pk)
        wait_for(lambda: _worker_waits_on_the_lock(lock, celery_worker_process, log_seen), timeout=60, interval=0.05)
        if not _on_postgres():
            time.sleep(1.0)  # let the pool process get into the transaction and queue on the lock
        celery_worker_process.kill()  # SIGKILL to the whole worker, pool processes included

    high.refresh_from_db()
    assert high.checked_at is None, "a killed check must not leave the claim marked as checked"
    assert not Contradiction.objects.exists(), "a killed check must not leave a half-recorded flag"
    assert AuditEvent.objects.count() == audit_before

    celery_worker_process.start()
    tasks.reconcile_claims.delay()  # what beat sends every minute: catches the check the kill lost
    wait_for(lambda: Claim.objects.filter(pk=high.pk, checked_at__isnull=False).exists(), timeout=120)

    flags = list(Contradiction.objects.values_list("claim_a", "claim_b", "kind", "withdrawn_at"))
    assert flags == [(low.pk, high.pk, "numeric", None)], flags
    flag = Contradiction.objects.get()
    assert AuditEvent.objects.filter(entity="contradiction", entity_id=flag.pk, action="flag").count() == 1
    # Running the check again, as a redelivered message would, changes nothing.
    check_claim(high.pk)
    check_claim(low.pk)
    assert list(Contradiction.objects.values_list("claim_a", "claim_b", "kind", "withdrawn_at")) == flags
    assert AuditEvent.objects.filter(entity="contradiction", entity_id=flag.pk).count() == 1
