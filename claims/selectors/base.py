"""The rules every read shares: which flags stand, which articles are live, which claims are public."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL

from claims.models import Article, Claim, Contradiction, Speaker, Subject

ACTIVE_FLAGS = Q(withdrawn_at__isnull=True)
LIVE_ARTICLE = Q(deleted_at__isnull=True)  # a discarded article is gone from every list and page
PUBLIC_CLAIM = Q(status=Claim.Status.CONFIRMED)


def contradictions_on_either_side(claim_ids_sql: str, params: tuple[Any, ...]) -> RawSQL:
    """PostgreSQL only: a contradiction with one of the claims of `claim_ids_sql` (an SQL array: a parameter or ARRAY(a
    subquery)) on either side, found by each side's index with `= ANY` (a bitmap OR). One array, not a list of
    placeholders nor a join: the statement's text stays the same whatever the claims, and the planner reads the
    two indexes instead of scanning every flag."""
    table = connection.ops.quote_name(Contradiction._meta.db_table)
    return RawSQL(
        f"({table}.claim_a_id = ANY({claim_ids_sql}) OR {table}.claim_b_id = ANY({claim_ids_sql}))",
        (*params, *params),
        output_field=BooleanField(),
    )


def public_subjects() -> QuerySet[Subject]:
    """Subjects readers see: those an editor has confirmed a claim about (as its subject, or as the event it came
    after). A subject only a suggestion proposed does not exist; one with no confirmed claim is not listed."""
    confirmed = Claim.objects.filter(PUBLIC_CLAIM).order_by()
    return Subject.objects.filter(
        Exists(confirmed.filter(subject_id=OuterRef("pk"))) | Exists(confirmed.filter(after_id=OuterRef("pk")))
    )


def public_speakers() -> QuerySet[Speaker]:
    """Speakers readers see: those with a confirmed claim."""
    return Speaker.objects.filter(Exists(Claim.objects.filter(PUBLIC_CLAIM, speaker_id=OuterRef("pk")).order_by()))


# An article's raw input and cleaned text can run to megabytes each: reads of many articles (or of rows joined to
# them) leave both out. `raw` is read only by the services that extract it again.
ARTICLE_BULK_FIELDS = ("raw", "text")


def article_list() -> QuerySet[Article]:
    """Live articles, newest first, without their raw input."""
    return Article.objects.filter(LIVE_ARTICLE).select_related("outlet").defer("raw").order_by("-created_at", "-id")


def contradiction_list() -> QuerySet[Contradiction]:
    claim_joins = ("article", "article__outlet", "subject", "speaker")
    return (
        Contradiction.objects.filter(ACTIVE_FLAGS)
        .select_related("reviewer", *(f"claim_a__{j}" for j in claim_joins), *(f"claim_b__{j}" for j in claim_joins))
        .defer(*(f"claim_{side}__article__{field}" for side in "ab" for field in ARTICLE_BULK_FIELDS))
        .order_by("-created_at", "-id")
    )
