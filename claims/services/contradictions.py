"""Contradictions (flags): an editor's review of one.

Imported through `claims.services` by views, tasks, commands and the admin; imports models, the pure
packages and the other service modules below it, never claims.tasks, api or web."""

from __future__ import annotations

from django.db import transaction

from claims.errors import InvalidInput
from claims.models import (
    Contradiction,
)
from claims.services.audit import Actor, _diff, _user, audit_record


def contradiction_resolve(*, contradiction: Contradiction, actor: Actor, status: str, note: str = "") -> Contradiction:
    if status not in Contradiction.Status.values:
        raise InvalidInput.one("status", f"must be one of {', '.join(Contradiction.Status.values)}")
    if not isinstance(note, str) or len(note) > 5000:
        raise InvalidInput.one("note", "must be text of at most 5000 characters")
    with transaction.atomic():
        current = Contradiction.objects.select_for_update().get(pk=contradiction.pk)
        new = {"status": status, "note": note, "reviewer": _user(actor)}
        changes = _diff(current, new)
        for field, value in new.items():
            setattr(current, field, value)
        current.save(update_fields=["status", "note", "reviewer", "updated_at"])
        audit_record(entity="contradiction", entity_id=current.pk, action="review", changes=changes, actor=actor)
    return current
