"""The services' shared plumbing: the audit trail (one AuditEvent per changed row), diffs, and queueing a
Celery task by name after commit (`enqueue`), so that no service imports claims.tasks.

Imported through `claims.services` by views, tasks, commands and the admin; imports models, the pure
packages and the other service modules below it, never claims.tasks, api or web."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from celery import current_app
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.db.models import Model

from claims.models import (
    AuditEvent,
    Speaker,
    SpeakerAlias,
    Subject,
    SubjectAlias,
)

log = logging.getLogger(__name__)


Actor = AbstractBaseUser | AnonymousUser | None


CONTEXT_CHARS = 80


# A named entity with aliases, and its alias model: each alias has a foreign key named after its entity's model
# ("subject", "speaker"), which is also the entity name in the audit trail and in messages.
_Named = TypeVar("_Named", Subject, Speaker)


_Alias = TypeVar("_Alias", SubjectAlias, SpeakerAlias)


def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_record(*, entity: str, entity_id: int, action: str, changes: dict[str, Any], actor: Actor) -> None:
    AuditEvent.objects.create(entity=entity, entity_id=entity_id, action=action, changes=changes, actor=_user(actor))


def audit_contradictions(audits: list[tuple[int, str, dict[str, Any]]], now: datetime.datetime) -> None:
    """The worker's audit rows: one per changed flag (entity 'contradiction', no actor), in one statement on
    PostgreSQL (the rows go as arrays, so the statement does not grow with them)."""
    if not audits:
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(entity="contradiction", entity_id=pk, action=action, changes=changes)
                for pk, action, changes in audits
            ],
            batch_size=2000,
        )
        return
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (entity, entity_id, action, changes, at) SELECT 'contradiction', i, a, c::jsonb, %s"
            " FROM unnest(%s::bigint[], %s::text[], %s::text[]) WITH ORDINALITY AS t(i, a, c, n) ORDER BY n",
            [
                now,
                [pk for pk, _, _ in audits],
                [action for _, action, _ in audits],
                [json.dumps(changes) for _, _, changes in audits],
            ],
        )


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value


def _diff(obj: Model, new: dict[str, Any]) -> dict[str, list[Any]]:
    changes = {}
    for field, value in new.items():
        old = getattr(obj, field)
        if old != value:
            changes[field] = [_jsonable(old), _jsonable(value)]
    return changes


def on_commit_enqueue(send: Callable[[], Any], what: str) -> None:
    """Queue a task after commit. A broker that is down must not fail the editor's save: the periodic reconcile
    task finds the work later (claims never checked, articles still pending)."""

    def _send() -> None:
        try:
            send()
        except Exception:
            log.warning("could not queue %s; the reconcile task will pick it up", what, exc_info=True)

    transaction.on_commit(_send)


def enqueue(task: str, *args: Any) -> None:
    """Queue the Celery task registered as `task` ("claims.check_claim") after commit. By name, so that services
    never import claims.tasks (which imports services); eager mode (the embedded default) runs it in-process."""
    on_commit_enqueue(lambda: current_app.signature(task, args=args).delay(), f"{task} {args}")


def _enqueue_check(claim_id: int) -> None:
    enqueue("claims.check_claim", claim_id)


def content_hash(text: str) -> str:
    folded = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
