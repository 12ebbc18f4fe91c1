"""The Django side of detection: pick the claims that could conflict with one claim (indexed lookups only),
run the pure comparator on each pair, and record the flags.

Checking is idempotent: a pair and kind is stored once (a database constraint, written by an upsert), flags of the
claim that no longer hold are withdrawn (kept, with history), and `checked_at` is stamped only if the version that
was compared is still the claim's current version.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from claims.detect.compare import ClaimFacts, Verdict, compare, timeline_check
from claims.models import AuditEvent, Claim, Contradiction
from claims.selectors import effective_as_of
from claims.values import StoredValue, from_columns

log = logging.getLogger(__name__)

# Kinds the comparator can weigh against each other; a duration may be compared with a deadline date.
COMPARABLE = {
    "quantity": ("quantity",),
    "date": ("date", "duration"),
    "duration": ("duration", "date"),
    "statement": ("statement",),
    "attribution": ("attribution",),
}
_JOINS = ("article", "subject", "speaker", "after", "article__outlet")


@dataclass(frozen=True)
class Found:
    other: Claim
    verdict: Verdict
    related: bool


def facts(claim: Claim) -> ClaimFacts:
    stored = StoredValue(
        qty_min=claim.qty_min,
        qty_max=claim.qty_max,
        date_value=claim.date_value,
        date_precision=claim.date_precision,
        dur_min=claim.dur_min,
        dur_max=claim.dur_max,
        dur_unit=claim.dur_unit,
    )
    return ClaimFacts(
        id=claim.pk,
        kind=claim.kind,
        subject=claim.subject.name,
        attribute=claim.attribute,
        value=from_columns(claim.kind, stored),
        unit=claim.unit or None,
        qualifier=claim.qualifier,
        speaker=claim.speaker.name if claim.speaker else None,
        as_of=effective_as_of(claim),
        polarity=claim.polarity or None,
        after=claim.after.name if claim.after else None,
        quote=claim.quote,
        outlet=claim.article.outlet.name if claim.article.outlet else None,
    )


def candidates(claim: Claim) -> tuple[list[Claim], list[Claim]]:
    """(same-subject claims, related-subject claims) that could conflict with `claim`: same attribute, a
    comparable kind, confirmed. Every lookup goes through an index on (subject, attribute_key, status)."""
    base = (
        Claim.objects.filter(
            status=Claim.Status.CONFIRMED, attribute_key=claim.attribute_key, kind__in=COMPARABLE[claim.kind]
        )
        .exclude(pk=claim.pk)
        .select_related(*_JOINS)
    )
    same = list(base.filter(subject_id=claim.subject_id))
    related_ids = set(claim.subject.broader.values_list("id", flat=True)) | set(
        claim.subject.narrower.values_list("id", flat=True)
    )
    related_q = Q(subject_id__in=related_ids) if related_ids else Q(pk__in=[])
    if claim.subject.group_key:
        related_q |= Q(subject__group_key=claim.subject.group_key)
    related = list(base.filter(related_q).exclude(subject_id=claim.subject_id)) if related_q else []
    return same, related


def timeline_pairs(claim: Claim) -> list[tuple[Claim, list[Claim]]]:
    """(event, date claims of the event it came after) for every `after` link that involves `claim`: its own,
    and those of later events that name `claim`'s subject as the one they followed."""
    if claim.kind != Claim.Kind.DATE:
        return []
    dates = Claim.objects.filter(status=Claim.Status.CONFIRMED, kind=Claim.Kind.DATE).select_related(*_JOINS)
    groups: list[tuple[Claim, list[Claim]]] = []
    if claim.after_id:
        groups.append((claim, list(dates.filter(subject_id=claim.after_id))))
    followers = list(dates.filter(after_id=claim.subject_id).exclude(pk=claim.pk))
    if followers:
        dates_of_subject = list(dates.filter(subject_id=claim.subject_id))
        groups.extend((follower, dates_of_subject) for follower in followers)
    return groups


def find_conflicts(claim: Claim) -> list[Found]:
    mine = facts(claim)
    found: list[Found] = []
    same, related = candidates(claim)
    for others, is_related in ((same, False), (related, True)):
        for other in others:
            verdict = compare(mine, facts(other), related=is_related)
            if verdict is not None:
                found.append(Found(other, verdict, is_related))
    for event, earlier in timeline_pairs(claim):
        by_id = {c.pk: c for c in earlier}
        for other_facts, verdict in timeline_check(facts(event), [facts(c) for c in earlier]):
            if event.pk == claim.pk:  # our own `after` link: the other side is the earlier event's date
                found.append(Found(by_id[int(other_facts.id or 0)], verdict, False))
            elif other_facts.id == claim.pk:  # a later event names our subject: the other side is that event
                found.append(Found(event, verdict, False))
    return found


def check_claim(claim_id: int) -> str:
    """Compare one claim with its candidates and bring its flags up to date. Returns what happened.

    Two workers often check claims that conflict with each other at the same moment, and both write the same
    pairs. Two rules keep them from deadlocking on PostgreSQL: the claim row is locked FOR NO KEY UPDATE, which
    does not block the foreign-key checks that the other worker's inserts make on it; and every pair is written in
    one sorted order, so that two checks never wait on each other's pairs in a cycle.
    """
    now = timezone.now()
    with transaction.atomic():
        claim = Claim.objects.select_for_update(no_key=True).filter(pk=claim_id).first()
        if claim is None:
            return "gone"
        claim = Claim.objects.select_related(*_JOINS).get(pk=claim_id)
        mine = Q(claim_a_id=claim_id) | Q(claim_b_id=claim_id)
        existing = {(f.claim_a_id, f.claim_b_id, f.kind): f for f in Contradiction.objects.filter(mine)}
        found: dict[tuple[int, int, str], Found] = {}
        if claim.status == Claim.Status.CONFIRMED:
            for item in find_conflicts(claim):
                a, b = sorted((claim.pk, item.other.pk))
                found[(a, b, item.verdict.kind)] = item
        for key in sorted(found.keys() | existing.keys()):
            if key in found:
                _record(key, found[key], existing.get(key))
            elif existing[key].withdrawn_at is None:
                _withdraw(existing[key], now, claim_id)
        if claim.status == Claim.Status.CONFIRMED:
            # Stamp only the version we compared: an edit in between leaves checked_at null for the next check.
            Claim.objects.filter(pk=claim_id, version=claim.version).update(checked_at=now)
    return f"checked: {len(found)} flags"


def _withdraw(flag: Contradiction, now: datetime.datetime, claim_id: int) -> None:
    flag.withdrawn_at = now
    flag.save(update_fields=["withdrawn_at", "updated_at"])
    AuditEvent.objects.create(entity="contradiction", entity_id=flag.pk, action="withdraw",
                              changes={"reason": f"no longer holds after claim {claim_id} changed"})


def _record(key: tuple[int, int, str], item: Found, flag: Contradiction | None) -> None:
    a, b, kind = key
    score = round(min(1.0, max(0.0, item.verdict.score)), 4)
    if flag is None:
        # Two workers checking both sides of a new pair at once: the unique constraint keeps one row.
        flag, created = Contradiction.objects.get_or_create(
            claim_a_id=a,
            claim_b_id=b,
            kind=kind,
            defaults={"score": score, "explanation": item.verdict.explanation, "related": item.related},
        )
        if created:
            AuditEvent.objects.create(
                entity="contradiction",
                entity_id=flag.pk,
                action="flag",
                changes={"score": score, "explanation": item.verdict.explanation},
            )
            return
    changed = (
        flag.withdrawn_at is not None or flag.score != score or flag.explanation != item.verdict.explanation
    )
    if changed:
        action = "reinstate" if flag.withdrawn_at is not None else "rescore"
        flag.withdrawn_at, flag.score, flag.explanation, flag.related = (
            None,
            score,
            item.verdict.explanation,
            item.related,
        )
        flag.save(update_fields=["withdrawn_at", "score", "explanation", "related", "updated_at"])
        AuditEvent.objects.create(
            entity="contradiction",
            entity_id=flag.pk,
            action=action,
            changes={"score": score, "explanation": item.verdict.explanation},
        )
