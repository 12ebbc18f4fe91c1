"""Outlets, subjects and speakers: find by name or alias, create, rename, alias, link and merge.

Imported through `claims.services` by views, tasks, commands and the admin; imports models, the pure
packages and the other service modules below it, never claims.tasks, api or web."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model

from claims.detect.names import group_key, norm_name
from claims.errors import Conflict, InvalidInput, Taken
from claims.models import (
    Claim,
    Outlet,
    Speaker,
    SpeakerAlias,
    Subject,
    SubjectAlias,
)
from claims.services.audit import Actor, _Alias, _diff, _enqueue_check, _Named, audit_record


def _clean_name(field: str, name: Any, max_length: int) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput.one(field, "must be a non-empty name")
    name = re.sub(r"\s+", " ", name).strip()
    if len(name) > max_length:
        raise InvalidInput.one(field, f"must be at most {max_length} characters")
    if not norm_name(name):
        raise InvalidInput.one(field, "must contain letters or digits")
    return name


def outlet_name(name: Any) -> str:
    """An outlet's name as stored, or InvalidInput naming `outlet` (blank, too long, no letter or digit)."""
    return _clean_name("outlet", name, 200)


def outlet_get_or_create(*, name: str, domain: str = "", actor: Actor = None) -> Outlet:
    name = outlet_name(name)
    key = norm_name(name)
    outlet = Outlet.objects.filter(name_key=key).first()
    if outlet is None:
        try:
            with transaction.atomic():
                outlet = Outlet.objects.create(name=name, name_key=key, domain=domain)
                audit_record(entity="outlet", entity_id=outlet.pk, action="create", changes={"name": name}, actor=actor)
        except IntegrityError:  # created by a concurrent request in between
            outlet = Outlet.objects.get(name_key=key)
    return outlet


def _entity(model: type[Model]) -> str:
    """ "subject" or "speaker": the model's name, which its alias model's foreign key also bears."""
    name = model._meta.model_name
    assert name is not None  # Django sets it on every model class; the stubs allow None
    return name


def _find_named(model: type[_Named], alias_model: type[_Alias], name: str) -> _Named | None:
    """The `model` row called `name` or known by it as an alias, case-insensitively."""
    key = norm_name(name)
    found = model.objects.filter(name_key=key).first()
    if found is None:
        owner = _entity(model)
        alias = alias_model.objects.select_related(owner).filter(name_key=key).first()
        found = getattr(alias, owner) if alias else None
    return found


def _alias_add(model: type[_Named], alias_model: type[_Alias], *, owner: _Named, name: str, actor: Actor) -> _Alias:
    kind = _entity(model)
    name = _clean_name("alias", name, 300)
    clash = _find_named(model, alias_model, name)
    if clash is not None:
        raise Taken.one("alias", f"{name!r} already names the {kind} {clash.name!r}")
    with transaction.atomic():
        alias = alias_model.objects.create(**{kind: owner}, name=name, name_key=norm_name(name))
        audit_record(entity=kind, entity_id=owner.pk, action="alias_add", changes={"alias": name}, actor=actor)
    return alias


def alias_remove(*, alias: SubjectAlias | SpeakerAlias, actor: Actor) -> None:
    """Remove an alias of a subject or speaker, with an audit row on its owner."""
    kind = "subject" if isinstance(alias, SubjectAlias) else "speaker"
    with transaction.atomic():
        stored = type(alias).objects.select_for_update().get(pk=alias.pk)  # the name as it was, not as edited
        owner_id = stored.subject_id if isinstance(stored, SubjectAlias) else stored.speaker_id
        stored.delete()
        audit_record(
            entity=kind, entity_id=owner_id, action="alias_remove", changes={"alias": stored.name}, actor=actor
        )


def subject_find(name: str) -> Subject | None:
    """The subject called `name` or known by it as an alias, case-insensitively."""
    return _find_named(Subject, SubjectAlias, name)


def _named_get_or_create(
    model: type[_Named], alias_model: type[_Alias], *, name: str, actor: Actor, **derived: str | None
) -> _Named:
    """The subject or speaker named `name` (case-insensitively, aliases included), created and audited when new;
    a concurrent creation of the same name wins the race and is returned."""
    found = _find_named(model, alias_model, name)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            made = model.objects.create(name=name, name_key=norm_name(name), **derived)
            audit_record(entity=_entity(model), entity_id=made.pk, action="create", changes={"name": name}, actor=actor)
            return made
    except IntegrityError:
        raced = _find_named(model, alias_model, name)
        assert raced is not None
        return raced


def subject_get_or_create(*, name: str, actor: Actor = None, field: str = "subject") -> Subject:
    """The subject named `name` (case-insensitively, aliases included), created when new."""
    name = _clean_name(field, name, 300)
    return _named_get_or_create(Subject, SubjectAlias, name=name, actor=actor, group_key=group_key(name))


def subject_rename(*, subject: Subject, name: str, actor: Actor) -> Subject:
    name = _clean_name("name", name, 300)
    key = norm_name(name)
    clash = subject_find(name)
    if clash is not None and clash.pk != subject.pk:
        raise Taken.one("name", f"another subject is already called {clash.name!r}; merge them instead")
    with transaction.atomic():
        changes = _diff(subject, {"name": name})
        subject.name, subject.name_key, subject.group_key = name, key, group_key(name)
        subject.save(update_fields=["name", "name_key", "group_key"])
        audit_record(entity="subject", entity_id=subject.pk, action="rename", changes=changes, actor=actor)
    return subject


def subject_alias_add(*, subject: Subject, name: str, actor: Actor) -> SubjectAlias:
    return _alias_add(Subject, SubjectAlias, owner=subject, name=name, actor=actor)


def subject_link_broader(*, narrower: Subject, broader: Subject, actor: Actor) -> None:
    if narrower.pk == broader.pk:
        raise InvalidInput.one("broader", "a subject cannot be broader than itself")
    with transaction.atomic():
        narrower.broader.add(broader)
        audit_record(
            entity="subject", entity_id=narrower.pk, action="broader_add", changes={"broader": broader.pk}, actor=actor
        )


def subject_unlink_broader(*, narrower: Subject, broader: Subject, actor: Actor) -> None:
    with transaction.atomic():
        narrower.broader.remove(broader)
        audit_record(
            entity="subject",
            entity_id=narrower.pk,
            action="broader_remove",
            changes={"broader": broader.pk},
            actor=actor,
        )


def subject_describe(*, subject: Subject, description: str, actor: Actor) -> Subject:
    with transaction.atomic():
        # Read from the database: a form may already have set the new text on `subject`.
        before = Subject.objects.select_for_update().values_list("description", flat=True).get(pk=subject.pk)
        changes = {"description": [before, description]} if before != description else {}
        subject.description = description
        subject.save(update_fields=["description"])
        audit_record(entity="subject", entity_id=subject.pk, action="update", changes=changes, actor=actor)
    return subject


def _merge(
    model: type[_Named],
    alias_model: type[_Alias],
    *,
    source: _Named,
    target: _Named,
    actor: Actor,
    references: tuple[str, ...],
    also: Callable[[], None] = lambda: None,
) -> _Named:
    """Fold `source` into `target`: the claims that name it in `references` (claim fields) and its aliases follow,
    `also()` moves what else points at it, its name becomes an alias of `target`; the moved claims are checked
    again."""
    entity = _entity(model)
    if source.pk == target.pk:
        raise Conflict(f"cannot merge a {entity} into itself")
    with transaction.atomic():
        moved = list(Claim.objects.filter(**{entity: source}).values_list("id", flat=True))
        for field in references:
            Claim.objects.filter(**{field: source}).update(**{field: target, "checked_at": None})
        alias_model.objects.filter(**{entity: source}).update(**{entity: target})
        also()
        old_name, old_key, old_id = source.name, source.name_key, source.pk
        source.delete()
        alias_model.objects.create(**{entity: target, "name": old_name, "name_key": old_key, "merged_from": old_id})
        audit_record(
            entity=entity,
            entity_id=target.pk,
            action="merge",
            changes={"merged": old_name, "merged_id": old_id, "claims": moved},
            actor=actor,
        )
    for claim_id in moved:
        _enqueue_check(claim_id)
    return target


def subject_merge(*, source: Subject, target: Subject, actor: Actor) -> Subject:
    """Fold `source` into `target`: its claims (as subject or as the event they came after), aliases and broader/
    narrower links follow; its name becomes an alias."""

    def links() -> None:
        for broader in source.broader.exclude(pk=target.pk):
            target.broader.add(broader)
        for narrower in source.narrower.exclude(pk=target.pk):
            narrower.broader.add(target)

    return _merge(
        Subject, SubjectAlias, source=source, target=target, actor=actor, references=("subject", "after"), also=links
    )


def speaker_find(name: str) -> Speaker | None:
    """The speaker called `name` or known by it as an alias, case-insensitively."""
    return _find_named(Speaker, SpeakerAlias, name)


def speaker_get_or_create(*, name: str, actor: Actor = None) -> Speaker:
    """The speaker named `name` (case-insensitively, aliases included), created when new."""
    name = _clean_name("speaker", name, 300)
    return _named_get_or_create(Speaker, SpeakerAlias, name=name, actor=actor)


def speaker_update(
    *, speaker: Speaker, name: str | None = None, description: str | None = None, actor: Actor
) -> Speaker:
    new: dict[str, Any] = {}
    if name is not None:
        name = _clean_name("name", name, 300)
        clash = speaker_find(name)
        if clash is not None and clash.pk != speaker.pk:
            raise Taken.one("name", f"another speaker is already called {clash.name!r}; merge them instead")
        new.update(name=name, name_key=norm_name(name))
    if description is not None:
        new["description"] = description[:300]
    with transaction.atomic():
        changes = _diff(speaker, new)
        for field, value in new.items():
            setattr(speaker, field, value)
        speaker.save(update_fields=list(new) or None)
        # A speaker renamed to one of its own aliases: the alias has become the name.
        SpeakerAlias.objects.filter(speaker=speaker, name_key=speaker.name_key).delete()
        audit_record(entity="speaker", entity_id=speaker.pk, action="update", changes=changes, actor=actor)
    return speaker


def speaker_alias_add(*, speaker: Speaker, name: str, actor: Actor) -> SpeakerAlias:
    return _alias_add(Speaker, SpeakerAlias, owner=speaker, name=name, actor=actor)


def speaker_merge(*, source: Speaker, target: Speaker, actor: Actor) -> Speaker:
    """Fold `source` into `target`: its claims and aliases follow; its name becomes an alias."""
    return _merge(Speaker, SpeakerAlias, source=source, target=target, actor=actor, references=("speaker",))
