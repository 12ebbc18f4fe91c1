"""Every non-trivial read, with the joins it needs fixed here so that its query count does not grow with rows."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from claims.models import Article, AuditEvent, Claim, Contradiction, Speaker, Subject

ACTIVE_FLAGS = Q(withdrawn_at__isnull=True)


def article_list() -> QuerySet[Article]:
    return Article.objects.select_related("outlet").order_by("-created_at", "-id")


def article_queue() -> QuerySet[Article]:
    """Articles with their confirmed and still-waiting claim counts, in one query whatever the number of rows."""
    return article_list().annotate(
        confirmed_count=Count("claims", filter=Q(claims__status=Claim.Status.CONFIRMED)),
        waiting_count=Count("claims", filter=Q(claims__status=Claim.Status.SUGGESTED)),
    )


def article_get(article_id: int) -> Article:
    return Article.objects.select_related("outlet").get(pk=article_id)


def _flag_ids() -> list[Prefetch]:
    active = Contradiction.objects.filter(ACTIVE_FLAGS).only("id", "claim_a_id", "claim_b_id")
    return [
        Prefetch("contradictions_as_a", queryset=active, to_attr="flags_a"),
        Prefetch("contradictions_as_b", queryset=active, to_attr="flags_b"),
    ]


def claim_list() -> QuerySet[Claim]:
    return (
        Claim.objects.select_related("article", "article__outlet", "subject", "speaker", "after")
        .prefetch_related(*_flag_ids())
        .order_by("id")
    )


def claim_get(claim_id: int) -> Claim:
    return claim_list().get(pk=claim_id)


def claim_contradiction_ids(claim: Claim) -> list[int]:
    flags = [*getattr(claim, "flags_a", []), *getattr(claim, "flags_b", [])]
    return sorted(flag.pk for flag in flags)


def claim_history(claim_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor").filter(entity="claim", entity_id=claim_id).order_by("at", "id")


def contradiction_list() -> QuerySet[Contradiction]:
    claim_joins = ("article", "article__outlet", "subject", "speaker")
    return (
        Contradiction.objects.filter(ACTIVE_FLAGS)
        .select_related("reviewer", *(f"claim_a__{j}" for j in claim_joins), *(f"claim_b__{j}" for j in claim_joins))
        .order_by("-created_at", "-id")
    )


def contradiction_queue() -> QuerySet[Contradiction]:
    """Editors' review order: open first, then most severe."""
    return contradiction_list().order_by("status", "-score", "-created_at")


def subject_list() -> QuerySet[Subject]:
    return Subject.objects.prefetch_related("aliases", "broader", "narrower").order_by("name")


def speaker_list() -> QuerySet[Speaker]:
    return Speaker.objects.prefetch_related("aliases").order_by("name")


def claims_to_reconcile(limit: int) -> list[tuple[int, int]]:
    """Confirmed claims never checked, or changed since (an edit clears checked_at): (id, version) pairs."""
    rows = (
        Claim.objects.filter(status=Claim.Status.CONFIRMED, checked_at__isnull=True)
        .order_by("id")
        .values_list("id", "version")[:limit]
    )
    return list(rows)


def effective_as_of(claim: Claim) -> datetime.date | None:
    if claim.as_of:
        return claim.as_of
    published = claim.article.published_at
    return published.date() if published else None
