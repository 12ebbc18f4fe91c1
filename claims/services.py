"""Every write of the domain goes through a function here: `<entity>_<action>(*, keyword-only args)`.

Each validates its input completely before it writes anything (a refused request changes nothing), writes in
one transaction, leaves an AuditEvent per changed row, and queues background work only once the transaction has
committed (`transaction.on_commit`), so that a task never runs before the row it needs exists.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from claims import values
from claims.detect import detector
from claims.detect.names import group_key, norm_attribute, norm_name
from claims.errors import Conflict, InvalidInput, StaleVersion
from claims.ingest import simhash
from claims.ingest.fetch import FetchPolicy
from claims.models import (
    Article,
    ArticleVersion,
    AttributeDynamics,
    AuditEvent,
    Claim,
    Contradiction,
    Outlet,
    Speaker,
    SpeakerAlias,
    Subject,
    SubjectAlias,
)
from claims.models.claim import effective_date as claim_effective_date

log = logging.getLogger(__name__)

Actor = AbstractBaseUser | AnonymousUser | None
CONTEXT_CHARS = 80
_UNSET: Any = object()
# A named entity with aliases, and its alias model: each alias has a foreign key named after its entity's model
# ("subject", "speaker"), which is also the entity name in the audit trail and in messages.
_Named = TypeVar("_Named", Subject, Speaker)
_Alias = TypeVar("_Alias", SubjectAlias, SpeakerAlias)


# ---------------------------------------------------------------------------------------------- helpers

def _user(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_record(*, entity: str, entity_id: int, action: str, changes: dict[str, Any], actor: Actor) -> None:
    AuditEvent.objects.create(entity=entity, entity_id=entity_id, action=action, changes=changes, actor=_user(actor))


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


def content_hash(text: str) -> str:
    folded = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------- names

def _clean_name(field: str, name: Any, max_length: int) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput.one(field, "must be a non-empty name")
    name = re.sub(r"\s+", " ", name).strip()
    if len(name) > max_length:
        raise InvalidInput.one(field, f"must be at most {max_length} characters")
    if not norm_name(name):
        raise InvalidInput.one(field, "must contain letters or digits")
    return name


def outlet_get_or_create(*, name: str, domain: str = "", actor: Actor = None) -> Outlet:
    name = _clean_name("outlet", name, 200)
    key = norm_name(name)
    outlet = Outlet.objects.filter(name_key=key).first()
    if outlet is None:
        try:
            with transaction.atomic():
                outlet = Outlet.objects.create(name=name, name_key=key, domain=domain)
                audit_record(entity="outlet", entity_id=outlet.pk, action="create", changes={"name": name},
                             actor=actor)
        except IntegrityError:  # created by a concurrent request in between
            outlet = Outlet.objects.get(name_key=key)
    return outlet


def _entity(model: type[Model]) -> str:
    """"subject" or "speaker": the model's name, which its alias model's foreign key also bears."""
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
        raise InvalidInput.one("alias", f"{name!r} already names the {kind} {clash.name!r}")
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
        audit_record(entity=kind, entity_id=owner_id, action="alias_remove", changes={"alias": stored.name},
                     actor=actor)


def subject_find(name: str) -> Subject | None:
    """The subject called `name` or known by it as an alias, case-insensitively."""
    return _find_named(Subject, SubjectAlias, name)


def subject_get_or_create(*, name: str, actor: Actor = None, field: str = "subject") -> Subject:
    """The subject named `name` (case-insensitively, aliases included), created when new."""
    name = _clean_name(field, name, 300)
    subject = subject_find(name)
    if subject is None:
        try:
            with transaction.atomic():
                subject = Subject.objects.create(name=name, name_key=norm_name(name), group_key=group_key(name))
                audit_record(entity="subject", entity_id=subject.pk, action="create", changes={"name": name},
                             actor=actor)
        except IntegrityError:
            found = subject_find(name)
            assert found is not None
            subject = found
    return subject


def subject_rename(*, subject: Subject, name: str, actor: Actor) -> Subject:
    name = _clean_name("name", name, 300)
    key = norm_name(name)
    clash = subject_find(name)
    if clash is not None and clash.pk != subject.pk:
        raise InvalidInput.one("name", f"another subject is already called {clash.name!r}; merge them instead")
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
        audit_record(entity="subject", entity_id=narrower.pk, action="broader_add",
                     changes={"broader": broader.pk}, actor=actor)


def subject_merge(*, source: Subject, target: Subject, actor: Actor) -> Subject:
    """Fold `source` into `target`: its claims, aliases and links follow; its name becomes an alias."""
    if source.pk == target.pk:
        raise Conflict("cannot merge a subject into itself")
    with transaction.atomic():
        moved = list(Claim.objects.filter(subject=source).values_list("id", flat=True))
        Claim.objects.filter(subject=source).update(subject=target, checked_at=None)
        Claim.objects.filter(after=source).update(after=target, checked_at=None)
        SubjectAlias.objects.filter(subject=source).update(subject=target)
        for broader in source.broader.exclude(pk=target.pk):
            target.broader.add(broader)
        for narrower in source.narrower.exclude(pk=target.pk):
            narrower.broader.add(target)
        old_name, old_key = source.name, source.name_key
        source.delete()
        SubjectAlias.objects.create(subject=target, name=old_name, name_key=old_key)
        audit_record(entity="subject", entity_id=target.pk, action="merge",
                     changes={"merged": old_name, "claims": moved}, actor=actor)
    for claim_id in moved:
        _enqueue_check(claim_id)
    return target


def speaker_find(name: str) -> Speaker | None:
    """The speaker called `name` or known by it as an alias, case-insensitively."""
    return _find_named(Speaker, SpeakerAlias, name)


def speaker_get_or_create(*, name: str, actor: Actor = None) -> Speaker:
    name = _clean_name("speaker", name, 300)
    speaker = speaker_find(name)
    if speaker is None:
        try:
            with transaction.atomic():
                speaker = Speaker.objects.create(name=name, name_key=norm_name(name))
                audit_record(entity="speaker", entity_id=speaker.pk, action="create", changes={"name": name},
                             actor=actor)
        except IntegrityError:
            found = speaker_find(name)
            assert found is not None
            speaker = found
    return speaker


def speaker_update(*, speaker: Speaker, name: str | None = None, description: str | None = None,
                   actor: Actor) -> Speaker:
    new: dict[str, Any] = {}
    if name is not None:
        name = _clean_name("name", name, 300)
        clash = speaker_find(name)
        if clash is not None and clash.pk != speaker.pk:
            raise InvalidInput.one("name", f"another speaker is already called {clash.name!r}; merge them instead")
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
    if source.pk == target.pk:
        raise Conflict("cannot merge a speaker into itself")
    with transaction.atomic():
        moved = list(Claim.objects.filter(speaker=source).values_list("id", flat=True))
        Claim.objects.filter(speaker=source).update(speaker=target, checked_at=None)
        SpeakerAlias.objects.filter(speaker=source).update(speaker=target)
        old_name, old_key = source.name, source.name_key
        source.delete()
        SpeakerAlias.objects.create(speaker=target, name=old_name, name_key=old_key)
        audit_record(entity="speaker", entity_id=target.pk, action="merge",
                     changes={"merged": old_name, "claims": moved}, actor=actor)
    for claim_id in moved:
        _enqueue_check(claim_id)
    return target


# ---------------------------------------------------------------------------------------------- claims

def _enqueue_check(claim_id: int) -> None:
    from claims import tasks

    on_commit_enqueue(lambda: tasks.check_claim.delay(claim_id), f"check of claim {claim_id}")


def _name_errors(names: dict[str, Any]) -> dict[str, list[str]]:
    """Errors for the subject/speaker/after names given; an absent or empty one is the caller's to judge."""
    errors: dict[str, list[str]] = {}
    for field, name in names.items():
        if name in (None, ""):
            continue
        try:
            _clean_name(field, name, 300)
        except InvalidInput as exc:
            errors.update(exc.errors)
    return errors


NAMED = ("subject", "speaker", "after")
SUBJECT_NEEDED = "a confirmed claim needs a subject: name what the claim is about"


def _name_fields(status: str, names: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """The subject, speaker and after columns for a claim with `status` and these names ("" or None: none).

    Only a confirmed claim points at Subject/Speaker rows, created here when new: an editor made it a claim. Any
    other claim keeps the names as proposals (`proposed_*`) and creates nothing, so that no guess of the suggester
    becomes a public subject or speaker, or is ever compared by the detector."""
    given = {field: (names.get(field) or "").strip() for field in NAMED}
    if status != Claim.Status.CONFIRMED:
        return {"subject": None, "speaker": None, "after": None,
                **{f"proposed_{field}": " ".join(name.split()) for field, name in given.items()}}
    return {
        "subject": subject_get_or_create(name=given["subject"], actor=actor),
        "speaker": speaker_get_or_create(name=given["speaker"], actor=actor) if given["speaker"] else None,
        "after": subject_get_or_create(name=given["after"], actor=actor, field="after") if given["after"] else None,
        "proposed_subject": "", "proposed_speaker": "", "proposed_after": "",
    }


def claim_names(claim: Claim) -> dict[str, str]:
    """The names a claim carries: its subject/speaker/after rows when confirmed, else its proposals ("" if none)."""
    return {field: getattr(claim, field).name if getattr(claim, f"{field}_id") else getattr(claim, f"proposed_{field}")
            for field in NAMED}


def _retire_covered(claim: Claim, actor: Actor) -> None:
    """Suggestions of the same kind on a span overlapping a confirmed claim are done with: rejected as covered."""
    covered = list(Claim.objects.select_for_update().filter(
        article_id=claim.article_id, kind=claim.kind, status=Claim.Status.SUGGESTED,
        start__lt=claim.end, end__gt=claim.start).exclude(pk=claim.pk))
    for other in covered:
        other.status = Claim.Status.REJECTED
        other.version += 1
        audit_record(entity="claim", entity_id=other.pk, action="update", actor=actor,
                     changes={"status": [Claim.Status.SUGGESTED, Claim.Status.REJECTED],
                              "reason": f"covered by claim {claim.pk}"})
    Claim.objects.bulk_update(covered, ["status", "version"])


def _anchor(text: str, quote: Any, start: Any, end: Any) -> tuple[int, int, str]:
    """Resolve the span: offsets, a quote, or both (which must agree)."""
    if start is not None or end is not None:
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
            raise InvalidInput({"start": ["start and end must both be given, as integers"]})
        if start < 0 or end > len(text) or start >= end:
            raise InvalidInput({"start": [f"the span {start}..{end} is not within the text (0..{len(text)})"],
                                "end": [f"the span {start}..{end} is not within the text (0..{len(text)})"]})
        found = text[start:end]
        if quote not in (None, "") and quote != found:
            raise InvalidInput.one("quote", f"does not match the text at {start}..{end}, which reads {found[:120]!r}")
        return start, end, found
    if not isinstance(quote, str) or not quote.strip():
        raise InvalidInput.one("quote", "give the quote, or start and end offsets")
    where = [m.start() for m in re.finditer(re.escape(quote), text)]
    if not where:
        raise InvalidInput.one("quote", "does not occur in the article text")
    if len(where) > 1:
        spans = ", ".join(f"{at}..{at + len(quote)}" for at in where[:20])
        raise InvalidInput.one("quote", f"occurs {len(where)} times (at {spans}); give start and end to choose one")
    return where[0], where[0] + len(quote), quote


def _claim_fields(*, article: Article, kind: Any, attribute: Any, value: Any, unit: Any, qualifier: Any,
                  polarity: Any, as_of: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate the value fields of a claim; returns (model fields, errors)."""
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {}
    if kind not in values.KINDS:
        errors["kind"] = [f"{kind!r} is not one of {', '.join(values.KINDS)}"]
    else:
        fields["kind"] = kind
        try:
            stored = values.to_columns(kind, value)
            fields.update(vars(stored))
        except values.ValueProblem as problem:
            errors.setdefault(problem.field, []).append(problem.message)
        if kind == "statement":
            if polarity in (None, ""):
                polarity = "affirms"
            if polarity not in values.POLARITIES:
                errors["polarity"] = [f"must be one of {', '.join(values.POLARITIES)}"]
            fields["polarity"] = polarity
        elif polarity not in (None, ""):
            errors["polarity"] = ["only statements have a polarity"]
        else:
            fields["polarity"] = ""
    if not isinstance(attribute, str) or not attribute.strip():
        errors["attribute"] = ["must say what about the subject the claim states, e.g. 'troop count'"]
    elif len(attribute) > 200:
        errors["attribute"] = ["must be at most 200 characters"]
    else:
        fields["attribute"] = re.sub(r"\s+", " ", attribute).strip()
        fields["attribute_key"] = norm_attribute(fields["attribute"])
    if unit is not None and not isinstance(unit, str):
        errors["unit"] = ["must be a string"]
    elif unit and len(unit) > 60:
        errors["unit"] = ["must be at most 60 characters"]
    else:
        fields["unit"] = (unit or "").strip()
    if qualifier in (None, ""):
        qualifier = "exact"
    if qualifier not in values.QUALIFIERS:
        errors["qualifier"] = [f"must be one of {', '.join(values.QUALIFIERS)}"]
    fields["qualifier"] = qualifier
    if as_of is not None and not isinstance(as_of, datetime.date):
        try:
            as_of, _precision = values.parse_date(as_of, "as_of")
        except values.ValueProblem as problem:
            errors["as_of"] = [problem.message]
    fields["as_of"] = as_of
    return fields, errors


def claim_create(
    *,
    actor: Actor,
    article: Article,
    kind: Any,
    subject: Any,
    attribute: Any,
    quote: Any = None,
    start: Any = None,
    end: Any = None,
    value: Any = None,
    unit: Any = None,
    qualifier: Any = None,
    speaker: Any = None,
    as_of: Any = None,
    polarity: Any = None,
    after: Any = None,
    status: str = Claim.Status.CONFIRMED,
) -> Claim:
    """Create a claim on a span of `article.text`. Confirmed claims are checked by the worker after commit."""
    errors: dict[str, list[str]] = {}
    if article.status != Article.Status.READY:
        raise InvalidInput.one("article", f"article {article.pk} is {article.status}, not ready for claims")
    try:
        span = _anchor(article.text, quote, start, end)
    except InvalidInput as exc:
        errors.update(exc.errors)
        span = None
    fields, field_errors = _claim_fields(article=article, kind=kind, attribute=attribute, value=value, unit=unit,
                                         qualifier=qualifier, polarity=polarity, as_of=as_of)
    errors.update(field_errors)
    errors.update(_name_errors({"subject": subject, "speaker": speaker, "after": after}))
    if status == Claim.Status.CONFIRMED and not (isinstance(subject, str) and subject.strip()):
        errors["subject"] = [SUBJECT_NEEDED]
    if status not in Claim.Status.values:
        errors["status"] = [f"must be one of {', '.join(Claim.Status.values)}"]
    if errors or span is None:
        raise InvalidInput(errors)
    begin, finish, text_quote = span
    with transaction.atomic():
        claim = Claim(
            article=article,
            start=begin,
            end=finish,
            quote=text_quote,
            prefix=article.text[max(0, begin - CONTEXT_CHARS) : begin],
            suffix=article.text[finish : finish + CONTEXT_CHARS],
            **_name_fields(status, {"subject": subject, "speaker": speaker, "after": after}, actor),
            status=status,
            created_by=_user(actor),
            effective_date=claim_effective_date(fields["as_of"], article.published_at),
            **fields,
        )
        claim.save()
        audit_record(entity="claim", entity_id=claim.pk, action="create",
                     changes={"status": status, "quote": text_quote, "kind": claim.kind}, actor=actor)
        if status == Claim.Status.CONFIRMED:
            _retire_covered(claim, actor)
            _enqueue_check(claim.pk)
    return claim


CLAIM_EDITABLE = ("kind", "subject", "attribute", "value", "unit", "qualifier", "speaker", "as_of", "polarity",
                  "after", "status", "quote", "start", "end")


def claim_update(*, claim: Claim, actor: Actor, expected_version: int | None, **changes: Any) -> Claim:
    """Apply an edit. `expected_version` is the version the editor read; a stale one is refused (StaleVersion)."""
    unknown = set(changes) - set(CLAIM_EDITABLE)
    if unknown:
        raise InvalidInput({name: ["is not an editable field"] for name in sorted(unknown)})
    with transaction.atomic():
        # Lock only the claim row: PostgreSQL cannot lock the nullable side of the outer joins.
        current = (Claim.objects.select_for_update(of=("self",))
                   .select_related("article", "subject", "speaker", "after").get(pk=claim.pk))
        if expected_version is not None and current.version != expected_version:
            raise StaleVersion(current)
        merged = {
            "kind": current.kind,
            "attribute": current.attribute,
            "value": claim_value(current),
            "unit": current.unit,
            "qualifier": current.qualifier,
            "polarity": current.polarity or None,
            "as_of": current.as_of,
        }
        if "kind" in changes and changes["kind"] != current.kind and "value" not in changes:
            merged["value"] = None
        merged.update({k: v for k, v in changes.items() if k in merged})
        fields, errors = _claim_fields(article=current.article, **merged)
        if "status" in changes and changes["status"] not in Claim.Status.values:
            errors["status"] = [f"must be one of {', '.join(Claim.Status.values)}"]
        span = None
        if {"quote", "start", "end"} & set(changes):
            try:
                span = _anchor(current.article.text, changes.get("quote"), changes.get("start"), changes.get("end"))
            except InvalidInput as exc:
                errors.update(exc.errors)
        errors.update(_name_errors({field: changes.get(field) for field in NAMED}))
        status = changes.get("status", current.status)
        names = {**claim_names(current), **{field: changes[field] for field in NAMED if field in changes}}
        if status == Claim.Status.CONFIRMED and not (isinstance(names["subject"], str) and names["subject"].strip()):
            errors["subject"] = [SUBJECT_NEEDED]
        elif "subject" in changes and not changes["subject"]:
            errors["subject"] = ["is required"]
        if errors:
            raise InvalidInput(errors)
        fields.update(_name_fields(status, names, actor))
        fields["status"] = status
        if span is not None:
            begin, finish, text_quote = span
            text = current.article.text
            fields.update(start=begin, end=finish, quote=text_quote, orphaned=False,
                          prefix=text[max(0, begin - CONTEXT_CHARS) : begin],
                          suffix=text[finish : finish + CONTEXT_CHARS])
        was_confirmed = current.status == Claim.Status.CONFIRMED
        diff = _diff(current, fields)
        if not diff:
            return current
        for field, value in fields.items():
            setattr(current, field, value)
        current.effective_date = claim_effective_date(current.as_of, current.article.published_at)
        current.version += 1
        current.checked_at = None
        current.save()
        audit_record(entity="claim", entity_id=current.pk, action="update", changes=diff, actor=actor)
        if current.status == Claim.Status.CONFIRMED:
            _retire_covered(current, actor)
        elif was_confirmed:
            # Its flags are withdrawn now, in this transaction: no public page may show a flag on a claim that is
            # no longer editorial truth (and has no subject any more) while the worker catches up.
            detector.check_claim(current.pk)
        # Checked even when no longer confirmed: the worker withdraws the flags a rejected claim had.
        _enqueue_check(current.pk)
    return current


def claim_set_status(*, claim: Claim, actor: Actor, status: str, expected_version: int | None = None) -> Claim:
    return claim_update(claim=claim, actor=actor, expected_version=expected_version, status=status)


def claim_delete(*, claim: Claim, actor: Actor, expected_version: int | None = None) -> None:
    with transaction.atomic():
        current = Claim.objects.select_for_update().get(pk=claim.pk)
        if expected_version is not None and current.version != expected_version:
            raise StaleVersion(current)
        flags = Contradiction.objects.filter(claim_a=current) | Contradiction.objects.filter(claim_b=current)
        for flag in flags:
            audit_record(entity="contradiction", entity_id=flag.pk, action="delete",
                         changes={"reason": f"claim {current.pk} deleted"}, actor=actor)
        audit_record(entity="claim", entity_id=current.pk, action="delete",
                     changes={"quote": current.quote, "kind": current.kind}, actor=actor)
        current.delete()


def claim_value(claim: Claim) -> Any:
    return values.from_columns(claim.kind, values.StoredValue(
        qty_min=claim.qty_min, qty_max=claim.qty_max, date_value=claim.date_value,
        date_precision=claim.date_precision, dur_min=claim.dur_min, dur_max=claim.dur_max, dur_unit=claim.dur_unit))


def attribute_dynamics_set(*, attribute: str, dynamics: str, window_days: int | None = None,
                           actor: Actor) -> Any:
    """Say how an attribute's figures move (claims.detect.dynamics): a running tally, a level, a fixed fact or a
    forecast, with the window of a level or forecast. The attribute's confirmed claims are marked unchecked, so
    the periodic reconcile weighs them again under the new rule (and withdraws flags that no longer hold)."""
    key = norm_attribute(attribute) if isinstance(attribute, str) else ""
    if not key:
        raise InvalidInput.one("attribute", "is empty")
    if dynamics not in AttributeDynamics.Kind.values:
        raise InvalidInput.one("dynamics", f"must be one of {', '.join(AttributeDynamics.Kind.values)}")
    if window_days is not None and (isinstance(window_days, bool) or not isinstance(window_days, int)
                                    or not 0 <= window_days <= 73200):
        raise InvalidInput.one("window_days", "must be a whole number of days from 0 to 73200, or empty")
    with transaction.atomic():
        row, created = AttributeDynamics.objects.select_for_update().get_or_create(
            attribute_key=key, defaults={"dynamics": dynamics, "window_days": window_days, "set_by": _user(actor)})
        changes = {"dynamics": [None if created else row.dynamics, dynamics],
                   "window_days": [None if created else row.window_days, window_days]}
        if not created:
            row.dynamics, row.window_days, row.set_by = dynamics, window_days, _user(actor)
            row.save(update_fields=["dynamics", "window_days", "set_by", "updated_at"])
        Claim.objects.filter(attribute_key=key, status=Claim.Status.CONFIRMED).update(checked_at=None)
        audit_record(entity="attribute_dynamics", entity_id=row.pk, action="create" if created else "update",
                     changes=changes, actor=actor)
    return row


# ---------------------------------------------------------------------------------------------- contradictions

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


# ---------------------------------------------------------------------------------------------- articles

MAX_INPUT_CHARS = 2_000_000


def _check_text_input(field: str, raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput.one(field, "is empty")
    if len(raw) > MAX_INPUT_CHARS:
        raise InvalidInput.one(field, f"is too large ({len(raw)} characters; at most {MAX_INPUT_CHARS})")
    if "\x00" in raw:
        raise InvalidInput.one(field, "contains NUL characters: this looks like binary data, not text")
    controls = sum(1 for ch in raw[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 20:
        raise InvalidInput.one(field, "contains control characters: this looks like binary data, not text")
    return raw


def fetch_policy() -> FetchPolicy:
    """The FetchPolicy for fetching articles and feeds. Tests that fetch from their own local server set
    `settings.INGEST_FETCH_POLICY` to that server's policy; production never sets it and gets the strict default."""
    from django.conf import settings

    policy = getattr(settings, "INGEST_FETCH_POLICY", None)
    return policy if isinstance(policy, FetchPolicy) else FetchPolicy()


def article_submit(
    *,
    actor: Actor,
    text: str | None = None,
    html: str | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published_at: datetime.datetime | None = None,
) -> tuple[Article, bool]:
    """Take an article in one of three forms. Returns (article, created); an article seen before (same canonical
    URL, or the same input) is returned as it is instead of being stored twice. Extraction runs in the background.

    A URL refused for what it says (scheme, credentials, a literal non-public address or localhost, port — see
    `fetch.vet_url`) raises InvalidInput naming `url` and stores nothing; only what fetching finds out (a name that
    resolves inside, a redirect there, HTTP errors) makes a failed article. A discarded article whose URL comes
    again takes the new submission in its row (the URL is unique), as a new article."""
    from claims.ingest.fetch import vet_url
    from claims.ingest.urls import UrlError, canonical_url

    if text is not None and html is not None:
        raise InvalidInput({"text": ["send exactly one of text, html or url"],
                            "html": ["send exactly one of text, html or url"]})
    source = Article.Source.TEXT if text is not None else Article.Source.HTML if html is not None else None
    if source is None:
        if not url:
            raise InvalidInput({"text": ["send exactly one of text, html or url"]})
        if title or outlet or published_at:
            raise InvalidInput({"url": ["a URL alone is fetched; title, outlet and published_at come from the page"]})
        source = Article.Source.URL
    raw = ""
    if source != Article.Source.URL:
        raw = _check_text_input(source, text if source == Article.Source.TEXT else html)
    canonical = None
    if url:
        try:
            canonical = canonical_url(vet_url(url, fetch_policy()))
        except UrlError as exc:
            raise InvalidInput.one("url", str(exc)) from None
    if published_at is not None and published_at.tzinfo is None:
        published_at = timezone.make_aware(published_at, datetime.UTC)
    raw_digest = content_hash(raw or canonical or "")
    existing = None
    if canonical:
        existing = Article.objects.filter(url=canonical).first()
    if existing is None and raw:
        existing = Article.objects.filter(raw_hash=raw_digest, deleted_at__isnull=True).order_by("id").first()
    if existing is not None and existing.deleted_at is None:
        return existing, False
    with transaction.atomic():
        fields = {
            "url": canonical,
            "title": (title or "").strip()[:500],
            "outlet": outlet_get_or_create(name=outlet, actor=actor) if outlet else None,
            "published_at": published_at,
            "source": source,
            "raw": raw,
            "raw_hash": raw_digest,
            "created_by": _user(actor),
        }
        if existing is None:
            article = Article.objects.create(**fields)
        else:
            reused = _article_reuse(existing, fields)
            if reused is None:  # brought back by a concurrent submission of the same URL
                return Article.objects.get(pk=existing.pk), False
            article = reused
        audit_record(entity="article", entity_id=article.pk, action="submit",
                     changes={"source": source, "url": canonical, "reused_discarded": existing is not None},
                     actor=actor)
        from claims import tasks

        on_commit_enqueue(lambda: tasks.ingest_article.delay(article.pk), f"ingestion of article {article.pk}")
    return article, True


def article_ingest(*, article_id: int) -> Article:
    """Fetch (for URLs), extract and clean a pending article, then mark it ready or failed with a readable
    error. A transient fetch error propagates as FetchError(transient=True) for the task to retry; any other
    problem fails the article. Running it on an article that is no longer pending does nothing."""
    from claims.ingest.clean import clean_text
    from claims.ingest.extract import ExtractionError, decode_body, extract_html
    from claims.ingest.fetch import FetchError, fetch
    from claims.ingest.urls import UrlError, canonical_url

    article = Article.objects.select_related("outlet").get(pk=article_id)
    if article.status != Article.Status.PENDING:
        return article
    try:
        if article.source == Article.Source.URL:
            assert article.url
            page = fetch(article.url, policy=fetch_policy())
            body = decode_body(page.body, page.charset)
            is_html = "html" in page.content_type or "xml" in page.content_type
            extracted = extract_html(body, url=page.url) if is_html else clean_text(body)
            raw = body
        elif article.source == Article.Source.HTML:
            extracted, raw = extract_html(article.raw, url=article.url), article.raw
        else:
            extracted, raw = clean_text(article.raw, title=article.title or None), article.raw
    except FetchError as exc:
        if exc.transient:
            raise
        return article_fail(article_id=article.pk, reason=f"could not fetch the page: {exc.reason}")
    except ExtractionError as exc:
        return article_fail(article_id=article.pk, reason=str(exc))
    if not extracted.text.strip():
        return article_fail(article_id=article.pk, reason="no article text was found")
    found_url = None
    if extracted.url and not article.url:
        try:
            found_url = canonical_url(extracted.url)
        except UrlError:
            found_url = None
    digest = content_hash(extracted.text)
    fingerprint = simhash.simhash(extracted.text)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.status != Article.Status.PENDING:
            return article
        twin, distance = article_find_twin(article=article, digest=digest, text=extracted.text,
                                           fingerprint=fingerprint)
        if found_url and not Article.objects.filter(url=found_url).exclude(pk=article.pk).exists():
            article.url = found_url
        elif found_url and twin is None:
            twin = Article.objects.filter(url=found_url).exclude(pk=article.pk).first()
        article.raw = raw
        article.text = extracted.text
        article.content_hash = digest
        article.title = article.title or (extracted.title or "")[:500]
        article.byline = article.byline or (extracted.byline or "")[:300]
        article.published_at = article.published_at or extracted.published_at
        if article.outlet is None and extracted.outlet:
            article.outlet = outlet_get_or_create(name=extracted.outlet[:200])
        article.duplicate_of = twin
        _set_simhash(article, fingerprint)
        article.status = Article.Status.READY
        article.error = ""
        article.save()
        audit_record(entity="article", entity_id=article.pk, action="ready",
                     changes={"duplicate_of": twin.pk if twin else None, "chars": len(article.text),
                              "near_duplicate_bits": distance}, actor=None)
        if twin is None:
            from claims import tasks

            on_commit_enqueue(lambda: tasks.suggest_claims.delay(article_id), f"suggestions for {article_id}")
    return article


def article_fail(*, article_id: int, reason: str) -> Article:
    """Mark a pending article failed with a reason an editor can read (a no-op on one that is not pending)."""
    with transaction.atomic():
        updated = Article.objects.filter(pk=article_id, status=Article.Status.PENDING).update(
            status=Article.Status.FAILED, error=reason[:2000], updated_at=timezone.now())
        if updated:
            audit_record(entity="article", entity_id=article_id, action="fail", changes={"error": reason}, actor=None)
    return Article.objects.get(pk=article_id)


def _article_reuse(discarded: Article, fields: dict[str, Any]) -> Article | None:
    """Give a discarded article's row to a new submission: every field as if just created. Only failed articles
    are discarded, so no claim or version hangs off it. None when it is no longer discarded."""
    now = timezone.now()
    reset = {"byline": "", "text": "", "content_hash": "", "simhash": None, "simhash_b0": None, "simhash_b1": None,
             "simhash_b2": None, "simhash_b3": None, "status": Article.Status.PENDING, "error": "",
             "duplicate_of": None, "version": 1, "deleted_at": None, "created_at": now, "updated_at": now}
    if not Article.objects.filter(pk=discarded.pk, deleted_at__isnull=False).update(**fields, **reset):
        return None
    return Article.objects.get(pk=discarded.pk)


def article_retry(*, article: Article, actor: Actor) -> Article:
    """Ingest a failed article again, in the background: a URL article is fetched again (as
    `article_refetch_request` does), pasted text or uploaded HTML is extracted again from the input kept on the
    article. Only a failed article that is not discarded can be retried (Conflict)."""
    from claims import tasks

    if article.deleted_at is not None or article.status != Article.Status.FAILED:
        state = "discarded" if article.deleted_at is not None else article.status
        raise Conflict(f"article {article.pk} is {state}; only a failed article can be retried")
    if article.source == Article.Source.URL:
        return article_refetch_request(article=article, actor=actor)
    with transaction.atomic():
        retried = Article.objects.filter(pk=article.pk, status=Article.Status.FAILED, deleted_at__isnull=True).update(
            status=Article.Status.PENDING, error="", updated_at=timezone.now())
        if retried:
            audit_record(entity="article", entity_id=article.pk, action="retry", changes={"error": article.error},
                         actor=actor)
            on_commit_enqueue(lambda: tasks.ingest_article.delay(article.pk), f"ingestion of {article.pk}")
    article.refresh_from_db()
    return article


def article_discard(*, article: Article, actor: Actor) -> Article:
    """Soft-delete a failed article: `deleted_at` is set, and every list, page and API read leaves it out (see
    selectors), while the row and its audit trail stay. Only failed articles are discarded — a ready one carries
    claims that readers and the detector rely on, a pending one is still being ingested (Conflict). Discarding a
    discarded article again changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        discarded = Article.objects.filter(pk=article.pk, status=Article.Status.FAILED, deleted_at__isnull=True) \
            .update(deleted_at=now, updated_at=now)
        if discarded:
            audit_record(entity="article", entity_id=article.pk, action="discard",
                         changes={"deleted_at": [None, now.isoformat()], "url": article.url, "error": article.error},
                         actor=actor)
    article.refresh_from_db()
    if article.deleted_at is None:
        raise Conflict(f"article {article.pk} is {article.status}; only a failed article can be discarded")
    return article


ARTICLE_EDITABLE = ("title", "byline", "published_at", "outlet")


def article_update(*, article: Article, actor: Actor, **changes: Any) -> Article:
    """Edit an article's metadata (title, byline, published_at, outlet) with an audit row. A new publication date
    re-dates its claims (their stored effective date) and queues a check of each confirmed one, since the
    detector's change-over-time windows read that date. Status, version and text change only through ingestion."""
    unknown = set(changes) - set(ARTICLE_EDITABLE)
    if unknown:
        raise InvalidInput({name: ["is not editable here"] for name in sorted(unknown)})
    published = changes.get("published_at", article.published_at)
    if published is not None and not isinstance(published, datetime.datetime):
        raise InvalidInput.one("published_at", "must be a date and time")
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        diff = _diff(current, changes)
        if not diff:
            return current
        for field, value in changes.items():
            setattr(current, field, value)
        current.save(update_fields=[*changes, "updated_at"])
        audit_record(entity="article", entity_id=current.pk, action="update", changes=diff, actor=actor)
        if "published_at" in diff:
            redated = []
            for claim in Claim.objects.select_for_update().filter(article=current, as_of__isnull=True):
                claim.effective_date = claim_effective_date(None, current.published_at)
                claim.checked_at = None
                redated.append(claim)
            Claim.objects.bulk_update(redated, ["effective_date", "checked_at"])
            for claim in redated:
                if claim.status == Claim.Status.CONFIRMED:
                    _enqueue_check(claim.pk)
    return current


# ---------------------------------------------------------------------------------------------- near-duplicates

# At most this many articles sharing a SimHash band are compared; a band shared by more is a degenerate hash
# (e.g. of very repetitive texts), and the exact content hash still catches true copies among them.
NEAR_DUPLICATE_CANDIDATES = 200


def _set_simhash(article: Article, fingerprint: int) -> None:
    article.simhash = simhash.to_signed(fingerprint)
    article.simhash_b0, article.simhash_b1, article.simhash_b2, article.simhash_b3 = simhash.bands(fingerprint)


def article_find_twin(
    *, article: Article, digest: str, text: str, fingerprint: int
) -> tuple[Article | None, int | None]:
    """The ready article that `text` (about to become `article`'s) is a copy of, and how many SimHash bits apart.

    First the same content hash (distance 0): the same words, whitespace and case aside. Then a near-duplicate: a
    SimHash at most `simhash.MAX_DISTANCE` bits away, found through the four indexed band columns (pigeonhole: a
    hash that close shares a whole band) and checked in Python — unless the two state different figures, for a
    number that moved is news and the two are different reports. Texts shorter than `simhash.MIN_SHINGLES`
    shingles are matched by the content hash only. A twin that is itself a duplicate gives its original, so links
    never chain; articles that are duplicates of `article` are never its twin (no cycles)."""
    others = Article.objects.filter(status=Article.Status.READY).exclude(pk=article.pk)
    if article.pk is not None:
        others = others.exclude(duplicate_of=article.pk)
    exact = others.filter(content_hash=digest).order_by("id").only("id", "duplicate_of_id").first()
    if exact is not None:
        return _original(exact, article), 0
    if len(simhash.shingles(text)) < simhash.MIN_SHINGLES:
        return None, None
    near = article_near_candidates(others, fingerprint).values_list("id", "simhash")[:NEAR_DUPLICATE_CANDIDATES]
    close = sorted((simhash.hamming(fingerprint, value), pk) for pk, value in near
                   if value is not None and simhash.hamming(fingerprint, value) <= simhash.MAX_DISTANCE)
    for distance, pk in close:
        candidate = Article.objects.only("id", "text", "duplicate_of_id").get(pk=pk)
        if not simhash.figures_differ(candidate.text, text):
            return _original(candidate, article), distance
    return None, None


def article_near_candidates(articles: QuerySet[Article], fingerprint: int) -> QuerySet[Article]:
    """The articles among `articles` sharing at least one SimHash band with `fingerprint`: four indexed equality
    tests (PostgreSQL combines them in a BitmapOr), never a scan of the table."""
    b0, b1, b2, b3 = simhash.bands(fingerprint)
    return articles.filter(Q(simhash_b0=b0) | Q(simhash_b1=b1) | Q(simhash_b2=b2) | Q(simhash_b3=b3)).order_by("id")


def _original(found: Article, article: Article) -> Article | None:
    root_id = found.duplicate_of_id or found.pk
    if root_id == article.pk:
        return None
    return found if root_id == found.pk else Article.objects.get(pk=root_id)


# ---------------------------------------------------------------------------------------------- versions

def article_refetch_request(*, article: Article, actor: Actor) -> Article:
    """Ask for `article`'s page to be fetched again in the background (task `claims.refresh_article`), which makes a
    new version if the cleaned text changed. A URL article whose first ingestion failed is queued for ingestion
    again instead. Needs a URL; a pending article is still being ingested (Conflict)."""
    from claims import tasks

    if not article.url:
        raise InvalidInput.one("url", "this article has no URL to fetch; send its new text or html instead")
    if article.status == Article.Status.PENDING:
        raise Conflict(f"article {article.pk} is still being ingested; try again when it is ready")
    with transaction.atomic():
        if article.status == Article.Status.FAILED:
            if article.source != Article.Source.URL:
                raise Conflict(f"article {article.pk} failed ({article.error}); submit its text or html again")
            still_failed = Article.objects.filter(pk=article.pk, status=Article.Status.FAILED, deleted_at__isnull=True)
            retried = still_failed.update(status=Article.Status.PENDING, error="", updated_at=timezone.now())
            if retried:
                audit_record(entity="article", entity_id=article.pk, action="retry", changes={}, actor=actor)
                on_commit_enqueue(lambda: tasks.ingest_article.delay(article.pk), f"ingestion of {article.pk}")
        else:
            audit_record(entity="article", entity_id=article.pk, action="refetch", changes={"url": article.url},
                         actor=actor)
            on_commit_enqueue(lambda: tasks.refresh_article.delay(article.pk), f"refetch of article {article.pk}")
    article.refresh_from_db()
    return article


def article_refresh(
    *, article_id: int, text: str | None = None, html: str | None = None, actor: Actor = None
) -> tuple[Article, ArticleVersion | None]:
    """Take a new copy of a ready article — the `text` or `html` given, or else its URL fetched again — and, when
    its cleaned text differs (whitespace and case aside), make it a new version (see `article_new_version`).
    Returns (article, the ArticleVersion that keeps the replaced text, or None when nothing changed).

    Bad given input raises InvalidInput and changes nothing. A fetch problem does not touch the article, whose
    current text stays good: a transient one propagates (FetchError) for the task to retry, a permanent one or a
    page without an article is recorded as a `refresh_failed` audit event and returns (article, None)."""
    from claims.ingest.clean import ExtractionError, clean_text
    from claims.ingest.extract import decode_body, extract_html
    from claims.ingest.fetch import FetchError, fetch

    article = Article.objects.get(pk=article_id)
    if text is not None and html is not None:
        raise InvalidInput({"text": ["send one of text or html"], "html": ["send one of text or html"]})
    if article.status != Article.Status.READY:
        raise Conflict(f"article {article.pk} is {article.status}; only a ready article gets new versions")
    if text is not None or html is not None:
        field = "text" if text is not None else "html"
        raw = _check_text_input(field, text if text is not None else html)
        try:
            extracted = clean_text(raw, title=article.title or None) if field == "text" \
                else extract_html(raw, url=article.url)
        except ExtractionError as exc:
            raise InvalidInput.one(field, str(exc)) from None
        if not extracted.text.strip():
            raise InvalidInput.one(field, "no article text was found")
        return article_new_version(article_id=article.pk, text=extracted.text, raw=raw, actor=actor)
    if not article.url:
        raise InvalidInput.one("url", "this article has no URL to fetch; send its new text or html instead")
    try:
        page = fetch(article.url, policy=fetch_policy())
        body = decode_body(page.body, page.charset)
        is_html = "html" in page.content_type or "xml" in page.content_type
        extracted = extract_html(body, url=page.url) if is_html else clean_text(body, title=article.title or None)
    except FetchError as exc:
        if exc.transient:
            raise
        return article_refresh_failed(article_id=article.pk, reason=f"could not fetch the page: {exc.reason}"), None
    except ExtractionError as exc:
        return article_refresh_failed(article_id=article.pk, reason=str(exc)), None
    if not extracted.text.strip():
        return article_refresh_failed(article_id=article.pk, reason="no article text was found"), None
    return article_new_version(article_id=article.pk, text=extracted.text, raw=body, actor=actor)


def article_refresh_failed(*, article_id: int, reason: str) -> Article:
    """Record that a new copy of a ready article could not be had; the article keeps its current version."""
    audit_record(entity="article", entity_id=article_id, action="refresh_failed", changes={"error": reason[:2000]},
                 actor=None)
    return Article.objects.get(pk=article_id)


def article_new_version(
    *, article_id: int, text: str, raw: str, actor: Actor
) -> tuple[Article, ArticleVersion | None]:
    """Make cleaned `text` the current text of a ready article, keeping the old one as an ArticleVersion.

    In one transaction: the article's text n is kept as ArticleVersion n, created now (when it was replaced), with
    `changes` saying what changed from it to text n+1 (figures that moved, sentences edited, added and removed,
    and which claims moved or lost their quote); the article takes the new text as version n+1. Every claim is
    re-anchored by its quote and context (`claims.ingest.anchor`): a claim whose quote moved gets its new span and
    context; one whose quote is gone is marked `orphaned` (keeping its quote and context, so that it comes back if
    a later version restores the words); each such claim gets a new claim version and, once committed, a re-check
    by the worker (suggestions excepted: they are never compared). The
    duplicate link is worked out again for the new text, and suggestions are made for it. The same text again
    (whitespace and case aside) makes no version and returns (article, None); else (article, the version kept)."""
    from claims import tasks
    from claims.ingest.anchor import reanchor
    from claims.ingest.changes import describe_changes

    digest = content_hash(text)
    fingerprint = simhash.simhash(text)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.status != Article.Status.READY:
            raise Conflict(f"article {article.pk} is {article.status}; only a ready article gets new versions")
        if digest == article.content_hash:
            audit_record(entity="article", entity_id=article.pk, action="refresh", changes={"changed": False},
                         actor=actor)
            return article, None
        old_text, old_hash, old_number = article.text, article.content_hash, article.version
        moved: list[int] = []
        orphaned: list[int] = []
        restored: list[int] = []
        still_orphaned: list[int] = []
        recheck: list[int] = []
        claims = list(Claim.objects.select_for_update().filter(article=article).order_by("id"))
        for claim in claims:
            span = reanchor(text, start=claim.start, end=claim.end, quote=claim.quote, prefix=claim.prefix,
                            suffix=claim.suffix)
            new: dict[str, Any]
            if span is None:
                if claim.orphaned:
                    still_orphaned.append(claim.pk)
                    continue  # lost in an earlier version; keep the context it was saved with
                new = {"orphaned": True}
                orphaned.append(claim.pk)
            else:
                begin, finish = span
                new = {"start": begin, "end": finish, "quote": text[begin:finish], "orphaned": False,
                       "prefix": text[max(0, begin - CONTEXT_CHARS) : begin],
                       "suffix": text[finish : finish + CONTEXT_CHARS]}
                if claim.orphaned:
                    restored.append(claim.pk)
                elif (begin, finish, new["quote"]) != (claim.start, claim.end, claim.quote):
                    moved.append(claim.pk)
                else:  # same place, same words: only the context may have changed, which is not an edit
                    if (new["prefix"], new["suffix"]) != (claim.prefix, claim.suffix):
                        claim.prefix, claim.suffix = new["prefix"], new["suffix"]
                        claim.save(update_fields=["prefix", "suffix"])
                    continue
            diff = _diff(claim, {k: v for k, v in new.items() if k not in ("prefix", "suffix")})
            for field, value in new.items():
                setattr(claim, field, value)
            claim.version += 1
            claim.checked_at = None
            claim.save()
            audit_record(entity="claim", entity_id=claim.pk, action="reanchor",
                         changes={**diff, "article_version": [old_number, old_number + 1]}, actor=actor)
            if claim.status != Claim.Status.SUGGESTED:
                recheck.append(claim.pk)
        twin, distance = article_find_twin(article=article, digest=digest, text=text, fingerprint=fingerprint)
        changes = describe_changes(old_text, text)
        changes["claims"] = {
            "moved": moved, "orphaned": orphaned, "restored": restored, "still_orphaned": still_orphaned,
            "kept": len(claims) - len(moved) - len(orphaned) - len(restored) - len(still_orphaned),
        }
        article.text, article.raw, article.content_hash = text, raw, digest
        _set_simhash(article, fingerprint)
        article.duplicate_of = twin
        article.version = old_number + 1
        article.save()
        version = ArticleVersion.objects.create(article=article, number=old_number, text=old_text,
                                                content_hash=old_hash, changes=changes)
        audit_record(entity="article", entity_id=article.pk, action="new_version", actor=actor, changes={
            "version": [old_number, article.version], "summary": changes["summary"],
            "numbers": changes["numbers"][:10], "claims": changes["claims"],
            "duplicate_of": twin.pk if twin else None, "near_duplicate_bits": distance,
        })
        for claim_id in recheck:
            _enqueue_check(claim_id)
        if twin is None:
            on_commit_enqueue(lambda: tasks.suggest_claims.delay(article_id), f"suggestions for {article_id}")
    return article, version


# A news article has tens of claims, not thousands; a page of one sentence repeated (hostile or broken input)
# would otherwise store a suggestion per copy and keep the worker busy for minutes.
MAX_SUGGESTIONS_PER_ARTICLE = 500


def article_store_suggestions(*, article_id: int) -> int:
    """Store the suggestion package's candidates for an article as `suggested` claims, their names as proposals
    (no subject or speaker is created); safe to run again (a span already carrying a claim of the same kind, or
    overlapped by a confirmed one of that kind, is skipped). At most MAX_SUGGESTIONS_PER_ARTICLE are kept."""
    from claims.suggest import suggest

    article = Article.objects.get(pk=article_id)
    if article.status != Article.Status.READY or not article.text:
        return 0
    # Relative dates ("on Saturday", "last year") need a reference; an undated article is read as of the day it
    # came in, and the editor confirms or corrects what that gives.
    published = (article.published_at or article.created_at).date()
    taken = set(Claim.objects.filter(article=article).values_list("start", "end", "kind"))
    confirmed = [(start, end, kind) for start, end, kind in Claim.objects.filter(
        article=article, status=Claim.Status.CONFIRMED).values_list("start", "end", "kind")]
    made = 0
    # One transaction for the whole article: a commit per suggestion made in-process ingestion (the embedded
    # default) cost about a second per article, nearly all of it in commits.
    with transaction.atomic():
        for cand in suggest(article.text, published):
            if (cand.start, cand.end, cand.kind) in taken or any(
                    kind == cand.kind and start < cand.end and end > cand.start for start, end, kind in confirmed):
                continue  # already there, or covered by an editor's claim
            if len(taken) >= MAX_SUGGESTIONS_PER_ARTICLE:
                log.warning("article %s: suggestions stopped at %s", article_id, MAX_SUGGESTIONS_PER_ARTICLE)
                break
            try:
                claim_create(
                    actor=None, article=article, kind=cand.kind, start=cand.start, end=cand.end,
                    subject=cand.subject, attribute=cand.attribute or cand.kind,
                    value=cand.value, unit=cand.unit, qualifier=cand.qualifier, speaker=cand.speaker,
                    after=cand.after, status=Claim.Status.SUGGESTED,
                )
            except InvalidInput as exc:  # a candidate the validator refuses is skipped, not fatal
                log.info("suggestion skipped for article %s at %s: %s", article_id, cand.start, exc)
                continue
            taken.add((cand.start, cand.end, cand.kind))
            made += 1
    return made
