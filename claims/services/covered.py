"""The one statement of "covered": a suggestion is covered by a confirmed claim of the same kind, in the same
article, on an overlapping span, and is then done with: rejected, with an audit row giving the reason "covered by
claim N".

Used when a claim is confirmed (claims.claim_create, claim_update), by the suggester (no suggestion where a
confirmed claim covers it), and by migration 0014, which retires the suggestions covered before this rule
existed. The migration passes its historical models, so the functions here take the model classes and use only
what such a model has (fields and the default manager): status values as strings, no other service.

Imported by the other service modules and that migration; imports django only."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

# Claim.Status values, as strings: a migration's historical Claim has no Status enum.
SUGGESTED, CONFIRMED, REJECTED = "suggested", "confirmed", "rejected"


def covering(*, article_id: Any, kind: Any, start: Any, end: Any) -> Q:
    """The claims of `article_id` that cover, or are covered by, a claim of `kind` on start..end (add the status
    wanted). The arguments may be values or OuterRef()s."""
    return Q(article_id=article_id, kind=kind, start__lt=end, end__gt=start)


def covered_reason(claim_id: int) -> str:
    return f"covered by claim {claim_id}"


def retire_covered(*, claim: Any, claim_model: Any, audit_model: Any, actor: Any = None) -> list[int]:
    """Reject, as covered by the confirmed `claim`, the suggestions it covers: version bumped, one audit row each
    (entity 'claim', action 'update', by `actor`: a user or None). In the caller's transaction, rows locked.
    Returns the ids retired."""
    covered = list(
        claim_model.objects.select_for_update()
        .filter(covering(article_id=claim.article_id, kind=claim.kind, start=claim.start, end=claim.end))
        .filter(status=SUGGESTED)
        .exclude(pk=claim.pk)
        .order_by("pk")
    )
    for other in covered:
        other.status = REJECTED
        other.version += 1
    audit_model.objects.bulk_create(
        [
            audit_model(
                entity="claim",
                entity_id=other.pk,
                action="update",
                actor=actor,
                changes={"status": [SUGGESTED, REJECTED], "reason": covered_reason(claim.pk)},
            )
            for other in covered
        ]
    )
    claim_model.objects.bulk_update(covered, ["status", "version"])
    return [other.pk for other in covered]


def retire_all_covered(*, claim_model: Any, audit_model: Any) -> list[int]:
    """Retire every suggestion a confirmed claim covers (what retire_covered would have done had the rule always
    held), each as covered by the oldest confirmed claim that covers it. Reads only the confirmed claims that cover
    a suggestion. Returns the ids retired."""
    outer = {field: OuterRef(field) for field in ("article_id", "kind", "start", "end")}
    waiting = claim_model.objects.filter(covering(**outer), status=SUGGESTED)
    covering_claims = list(
        claim_model.objects.filter(Exists(waiting.order_by()), status=CONFIRMED)
        .only("pk", "article_id", "kind", "start", "end")
        .order_by("pk")
    )
    retired: list[int] = []
    for claim in covering_claims:
        retired += retire_covered(claim=claim, claim_model=claim_model, audit_model=audit_model)
    return retired
