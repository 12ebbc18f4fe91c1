"""Claims: create, edit, confirm, reject, delete; a suggestion's names stay proposals until an editor
confirms it; how an attribute's figures move (attribute dynamics).

Imported through `claims.services` by views, tasks, commands and the admin; imports models, the pure
packages and the other service modules below it, never claims.tasks, api or web."""

from __future__ import annotations

import datetime
import re
from typing import Any, TypedDict, Unpack

from django.db import transaction

from claims import values
from claims.detect.config import MAX_WINDOW_DAYS
from claims.detect.names import norm_attribute
from claims.errors import InvalidInput, StaleVersion
from claims.models import (
    Article,
    AttributeDynamics,
    AuditEvent,
    Claim,
    Contradiction,
)
from claims.models.claim import effective_date as claim_effective_date
from claims.services.audit import CONTEXT_CHARS, Actor, _diff, _enqueue_check, _user, audit_record
from claims.services.contradictions import contradictions_withdraw
from claims.services.covered import retire_covered
from claims.services.names import _clean_name, speaker_get_or_create, speaker_update, subject_get_or_create
from claims.values import ClaimValue


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


def _name_fields(status: str, names: dict[str, Any], actor: Actor, role: str = "") -> dict[str, Any]:
    """The subject, speaker and after columns for a claim with `status` and these names ("" or None: none).

    Only a confirmed claim points at Subject/Speaker rows, created here when new: an editor made it a claim. Any
    other claim keeps the names as proposals (`proposed_*`, and the speaker's `role` as the text gave it) and
    creates nothing, so that no guess of the suggester becomes a public subject or speaker, or is ever compared by
    the detector. Confirmed with a speaker that has no description yet, the role becomes its description."""
    given = {field: (names.get(field) or "").strip() for field in NAMED}
    role = " ".join((role or "").split())[:300]
    if status != Claim.Status.CONFIRMED:
        return {
            "subject": None,
            "speaker": None,
            "after": None,
            **{f"proposed_{field}": " ".join(name.split()) for field, name in given.items()},
            "proposed_speaker_role": role if given["speaker"] else "",
        }
    speaker = speaker_get_or_create(name=given["speaker"], actor=actor) if given["speaker"] else None
    if speaker is not None and role and not speaker.description:
        speaker = speaker_update(speaker=speaker, description=role, actor=actor)
    return {
        "subject": subject_get_or_create(name=given["subject"], actor=actor),
        "speaker": speaker,
        "after": subject_get_or_create(name=given["after"], actor=actor, field="after") if given["after"] else None,
        "proposed_subject": "",
        "proposed_speaker": "",
        "proposed_after": "",
        "proposed_speaker_role": "",
    }


def claim_names(claim: Claim) -> dict[str, str]:
    """The names a claim carries: its subject/speaker/after rows when confirmed, else its proposals ("" if none)."""
    return {
        field: getattr(claim, field).name if getattr(claim, f"{field}_id") else getattr(claim, f"proposed_{field}")
        for field in NAMED
    }


def _retire_covered(claim: Claim, actor: Actor) -> None:
    """Suggestions of the same kind on a span overlapping a confirmed claim are done with: rejected as covered
    (the rule and its one statement: claims.services.covered, which migration 0014 also runs)."""
    retire_covered(claim=claim, claim_model=Claim, audit_model=AuditEvent, actor=_user(actor))


def _anchor(text: str, quote: str | None, start: int | None, end: int | None) -> tuple[int, int, str]:
    """Resolve the span: offsets, a quote, or both (which must agree)."""
    if start is not None or end is not None:
        if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
            raise InvalidInput({"start": ["start and end must both be given, as integers"]})
        if start < 0 or end > len(text) or start >= end:
            raise InvalidInput(
                {
                    "start": [f"the span {start}..{end} is not within the text (0..{len(text)})"],
                    "end": [f"the span {start}..{end} is not within the text (0..{len(text)})"],
                }
            )
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


def _claim_fields(
    *,
    article: Article,
    kind: str,
    attribute: str,
    value: ClaimValue,
    unit: str | None,
    qualifier: str | None,
    polarity: str | None,
    as_of: datetime.date | str | None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate the value fields of a claim; returns (model fields, errors). The types are what a well-behaved
    caller sends; the API hands over what a client sent, so each field's type is checked again here."""
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
    kind: str,
    subject: str | None,
    attribute: str,
    quote: str | None = None,
    start: int | None = None,
    end: int | None = None,
    value: ClaimValue = None,
    unit: str | None = None,
    qualifier: str | None = None,
    speaker: str | None = None,
    as_of: datetime.date | str | None = None,
    polarity: str | None = None,
    after: str | None = None,
    status: str = Claim.Status.CONFIRMED,
    speaker_role: str = "",
) -> Claim:
    """Create a claim on a span of `article.text`. Confirmed claims are checked by the worker after commit.
    `speaker_role` is the speaker's role as the text gives it (the suggester's "fire chief")."""
    errors: dict[str, list[str]] = {}
    if article.status != Article.Status.READY:
        raise InvalidInput.one("article", f"article {article.pk} is {article.status}, not ready for claims")
    try:
        span = _anchor(article.text, quote, start, end)
    except InvalidInput as exc:
        errors.update(exc.errors)
        span = None
    fields, field_errors = _claim_fields(
        article=article,
        kind=kind,
        attribute=attribute,
        value=value,
        unit=unit,
        qualifier=qualifier,
        polarity=polarity,
        as_of=as_of,
    )
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
            **_name_fields(status, {"subject": subject, "speaker": speaker, "after": after}, actor, speaker_role),
            status=status,
            created_by=_user(actor),
            effective_date=claim_effective_date(fields["as_of"], article.published_at),
            **fields,
        )
        claim.save()
        audit_record(
            entity="claim",
            entity_id=claim.pk,
            action="create",
            changes={"status": status, "quote": text_quote, "kind": claim.kind},
            actor=actor,
        )
        if status == Claim.Status.CONFIRMED:
            _retire_covered(claim, actor)
            _enqueue_check(claim.pk)
    return claim


class ClaimChanges(TypedDict, total=False):
    """The fields an edit may change, typed as `claim_create` takes them; what is given is changed."""

    kind: str
    subject: str | None
    attribute: str
    value: ClaimValue
    unit: str | None
    qualifier: str | None
    speaker: str | None
    as_of: datetime.date | str | None
    polarity: str | None
    after: str | None
    status: str
    quote: str | None
    start: int | None
    end: int | None


CLAIM_EDITABLE = tuple(ClaimChanges.__annotations__)


def claim_update(*, claim: Claim, actor: Actor, expected_version: int | None, **changes: Unpack[ClaimChanges]) -> Claim:
    """Apply an edit. `expected_version` is the version the editor read; a stale one is refused (StaleVersion)."""
    edits: dict[str, Any] = dict(changes)  # checked by name below: a client may send any field
    unknown = set(edits) - set(CLAIM_EDITABLE)
    if unknown:
        raise InvalidInput({name: ["is not an editable field"] for name in sorted(unknown)})
    with transaction.atomic():
        # Lock only the claim row: PostgreSQL cannot lock the nullable side of the outer joins.
        current = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("article", "subject", "speaker", "after")
            .get(pk=claim.pk)
        )
        merged: dict[str, Any] = {
            "kind": current.kind,
            "attribute": current.attribute,
            "value": claim_value(current),
            "unit": current.unit,
            "qualifier": current.qualifier,
            "polarity": current.polarity or None,
            "as_of": current.as_of,
        }
        if "kind" in edits and edits["kind"] != current.kind and "value" not in edits:
            merged["value"] = None
        merged.update({k: v for k, v in edits.items() if k in merged})
        fields, errors = _claim_fields(article=current.article, **merged)
        if "status" in edits and edits["status"] not in Claim.Status.values:
            errors["status"] = [f"must be one of {', '.join(Claim.Status.values)}"]
        span = None
        if {"quote", "start", "end"} & set(edits):
            try:
                span = _anchor(current.article.text, edits.get("quote"), edits.get("start"), edits.get("end"))
            except InvalidInput as exc:
                errors.update(exc.errors)
        errors.update(_name_errors({field: edits.get(field) for field in NAMED}))
        status = edits.get("status", current.status)
        names = {**claim_names(current), **{field: edits[field] for field in NAMED if field in edits}}
        if status == Claim.Status.CONFIRMED and not (isinstance(names["subject"], str) and names["subject"].strip()):
            errors["subject"] = [SUBJECT_NEEDED]
        elif "subject" in edits and not edits["subject"]:
            errors["subject"] = ["is required"]
        if errors:  # bad input is named first, whatever the version: it would be refused on any version
            raise InvalidInput(errors)
        # The role the suggester read goes with its own speaker: confirmed under another name, it is not that one's.
        same_speaker = (names["speaker"] or "").strip().casefold() == current.proposed_speaker.casefold()
        fields.update(_name_fields(status, names, actor, current.proposed_speaker_role if same_speaker else ""))
        fields["status"] = status
        if span is not None:
            begin, finish, text_quote = span
            text = current.article.text
            fields.update(
                start=begin,
                end=finish,
                quote=text_quote,
                orphaned=False,
                prefix=text[max(0, begin - CONTEXT_CHARS) : begin],
                suffix=text[finish : finish + CONTEXT_CHARS],
            )
        was_confirmed = current.status == Claim.Status.CONFIRMED
        diff = _diff(current, fields)
        if not diff:
            # Nothing to change, whatever the version named: the claim already holds this edit (a retry of an edit
            # whose answer was lost, or two editors making the same change) and there is nothing to overwrite.
            return current
        if expected_version is not None and current.version != expected_version:
            raise StaleVersion(current)
        for field, value in fields.items():
            setattr(current, field, value)
        current.effective_date = claim_effective_date(current.as_of, current.article.published_at)
        current.version += 1
        current.checked_at = None
        current.save()
        audit_record(entity="claim", entity_id=current.pk, action="update", changes=diff, actor=actor)
        if current.status == Claim.Status.CONFIRMED:
            _retire_covered(current, actor)
            _enqueue_check(current.pk)
        elif was_confirmed:
            # Its flags are withdrawn now, in this transaction (no public page may show a flag on a claim that is
            # no longer editorial truth, and has no subject any more): the worker has nothing left to do for it.
            contradictions_withdraw(claim_id=current.pk, reason=f"no longer holds after claim {current.pk} changed")
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
            audit_record(
                entity="contradiction",
                entity_id=flag.pk,
                action="delete",
                changes={"reason": f"claim {current.pk} deleted"},
                actor=actor,
            )
        audit_record(
            entity="claim",
            entity_id=current.pk,
            action="delete",
            changes={"quote": current.quote, "kind": current.kind},
            actor=actor,
        )
        current.delete()


def claim_value(claim: Claim) -> ClaimValue:
    return values.from_columns(claim.kind, values.stored_of(claim))


def attribute_dynamics_set(*, attribute: str, dynamics: str, window_days: int | None = None, actor: Actor) -> Any:
    """Say how an attribute's figures move (claims.detect.dynamics): a running tally, a level, a fixed fact or a
    forecast, with the window of a level or forecast. The attribute's confirmed claims are marked unchecked, so
    the periodic reconcile weighs them again under the new rule (and withdraws flags that no longer hold)."""
    key = norm_attribute(attribute) if isinstance(attribute, str) else ""
    if not key:
        raise InvalidInput.one("attribute", "is empty")
    if dynamics not in AttributeDynamics.Kind.values:
        raise InvalidInput.one("dynamics", f"must be one of {', '.join(AttributeDynamics.Kind.values)}")
    if window_days is not None and (
        isinstance(window_days, bool) or not isinstance(window_days, int) or not 0 <= window_days <= MAX_WINDOW_DAYS
    ):
        raise InvalidInput.one("window_days", f"must be a whole number of days from 0 to {MAX_WINDOW_DAYS}, or empty")
    with transaction.atomic():
        row, created = AttributeDynamics.objects.select_for_update().get_or_create(
            attribute_key=key, defaults={"dynamics": dynamics, "window_days": window_days, "set_by": _user(actor)}
        )
        changes = {
            "dynamics": [None if created else row.dynamics, dynamics],
            "window_days": [None if created else row.window_days, window_days],
        }
        if not created:
            row.dynamics, row.window_days, row.set_by = dynamics, window_days, _user(actor)
            row.save(update_fields=["dynamics", "window_days", "set_by", "updated_at"])
        Claim.objects.filter(attribute_key=key, status=Claim.Status.CONFIRMED).update(checked_at=None)
        audit_record(
            entity="attribute_dynamics",
            entity_id=row.pk,
            action="create" if created else "update",
            changes=changes,
            actor=actor,
        )
    return row
