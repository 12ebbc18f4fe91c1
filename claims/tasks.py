"""Celery tasks: thin, named for good, ids as arguments, safe to run twice. The work is in services and detection."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Task, shared_task
from django.db import OperationalError

from claims.detection import check, reconcile
from claims.errors import Conflict
from claims.ingest.fetch import FetchError
from claims.models import Article
from claims.services import (
    article_fail,
    article_ingest,
    article_refetch,
    article_refetch_failed,
    article_store_suggestions,
    audit_record,
)

log = logging.getLogger(__name__)


@shared_task(name="claims.ping", soft_time_limit=10, time_limit=20)
def ping(token: str) -> str:
    """A trivial round trip used by the end-to-end tests: records that a worker ran it against the database."""
    audit_record(entity="ping", entity_id=0, action="pong", changes={"token": token}, actor=None)
    return token


@shared_task(
    name="claims.check_claim",
    bind=True,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    autoretry_for=(OperationalError,),  # transient database trouble (restart, deadlock victim); the check is idempotent
    retry_backoff=True,
    max_retries=5,
)
def check_claim(self: Task, claim_id: int) -> str:
    return check.check_claim(claim_id)


@shared_task(
    name="claims.reconcile_claims",
    acks_late=True,
    soft_time_limit=300,
    time_limit=360,
    autoretry_for=(OperationalError,),  # a deadlock victim or a restart: each partition is one transaction
    retry_backoff=True,
    max_retries=3,
)
def reconcile_claims(limit: int | None = None) -> int:
    """Check every confirmed claim that was never checked or changed since — the safety net for checks that
    could not be queued (broker down) or were lost. Runs from beat; checks in-process and in bulk, one (attribute,
    related subjects) partition at a time (claims/detection/reconcile.py), stopping after `limit` claims if given."""
    return reconcile.reconcile(limit)


# The two tasks that fetch a page: bound (they retry themselves), late acks, a minute to fetch and extract.
_FETCHING: dict[str, Any] = {"bind": True, "acks_late": True, "soft_time_limit": 60, "time_limit": 90, "max_retries": 4}


def _retry_or_give_up(task: Task, exc: Exception, give_up: Callable[[], str]) -> str:
    """A transient fetch error: retry with backoff (1, 2, 4, 8 s), then, when the retries are spent, give up
    readably through `give_up` and return what it says."""
    if task.request.retries >= (task.max_retries or 0):
        return give_up()
    raise task.retry(exc=exc, countdown=2**task.request.retries) from exc


@shared_task(name="claims.ingest_article", **_FETCHING)
def ingest_article(self: Task, article_id: int) -> str:

    try:
        return article_ingest(article_id=article_id).status
    except FetchError as exc:  # only transient ones reach here: retry with backoff, then give up readably
        reason = f"could not fetch the page: {exc.reason}"
        return _retry_or_give_up(self, exc, lambda: article_fail(article_id=article_id, reason=reason).status)


@shared_task(name="claims.suggest_claims", acks_late=True, soft_time_limit=120, time_limit=150)
def suggest_claims(article_id: int) -> int:
    return article_store_suggestions(article_id=article_id)


@shared_task(name="claims.refetch_article", **_FETCHING)
def refetch_article(self: Task, article_id: int) -> str:
    """Fetch a ready article's page again; a changed text becomes a new version. Safe to run twice: the second
    run finds the same text and makes no version."""

    try:
        article, version = article_refetch(article_id=article_id)
    except Article.DoesNotExist:
        return "gone"
    except Conflict as exc:  # no longer ready: nothing to refetch
        return str(exc)
    except FetchError as exc:  # only transient ones reach here: retry with backoff, then record why
        reason = f"could not fetch the page: {exc.reason}"

        def give_up() -> str:
            article_refetch_failed(article_id=article_id, reason=reason)
            return "failed"

        return _retry_or_give_up(self, exc, give_up)
    return f"version {article.version}" if version is not None else "unchanged"
