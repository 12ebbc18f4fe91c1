"""The public pages' and feeds' reads. Each returns querysets or values with their joins fixed, and every page
caps what it lists (a page of rows, a capped chart), so that its query count and cost do not grow with the data.
Imported through `claims.selectors` by claims.web and the API's exports."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Substr, TruncDate

from claims.db import CompiledPages, compiled_values
from claims.models import (
    Article,
    ArticleVersion,
    AuditEvent,
    Claim,
    Contradiction,
    Outlet,
    Speaker,
    Subject,
    SubjectAlias,
)
from claims.selectors.base import (
    ACTIVE_FLAGS,
    ARTICLE_BULK_FIELDS,
    PUBLIC_CLAIM,
    article_list,
    contradiction_list,
    contradictions_on_either_side,
    public_speakers,
    public_subjects,
)

# ---------------------------------------------------------------------------------------------- reader pages
# The public pages' reads. Each returns querysets/values with their joins fixed, and every page caps what it
# lists (a page of rows, a capped chart), so that its query count and cost do not grow with the data.

# Rows that only link to their article leave its raw input and text out (base.ARTICLE_BULK_FIELDS).
ARTICLE_BULK = tuple(f"article__{field}" for field in ARTICLE_BULK_FIELDS)
READER_CHART_LIMIT = 200  # marks on a subject's timeline chart; the page says when it shows fewer than all claims
REVIEWED = (Contradiction.Status.CONFIRMED, Contradiction.Status.DISMISSED, Contradiction.Status.SUPERSEDED)
CLAIM_ROW: tuple[str, ...] = ("id", "quote", "attribute", "attribute_key", "as_of", "speaker__name")
CLAIM_ROW += ("article__outlet__name", "article__published_at", "contradicted")  # a list row (views.claim_rows_html)
CLAIM_ROW_WITH_SUBJECT = (*CLAIM_ROW, "subject_id", "subject__name")  # a row of a list across subjects


def reader_last_modified() -> datetime.datetime | None:
    """When any public data last changed: every write records an audit event, and claims stamp updated_at. Both
    columns are indexed, so this is two index lookups whatever the size of the tables. Plain SQL: it runs on every
    public request, and the ORM would spend longer building it than the database spends answering it."""
    audit, claim = AuditEvent._meta.db_table, Claim._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(at) FROM {audit}), (SELECT MAX(updated_at) FROM {claim})")
        row = cursor.fetchone()
    stamps = [_aware(value) for value in row if value is not None]
    return max(stamps) if stamps else None


def _aware(value: Any) -> datetime.datetime:
    # SQLite hands back text; PostgreSQL an aware datetime.
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def reader_latest_contradictions(limit: int) -> list[Contradiction]:
    """The home page's latest contradictions: live flags that still stand (open or confirmed by an editor); a flag
    an editor dismissed, or one superseded by a later report, is not news. With side rows (reader_with_side_rows)."""
    standing = (Contradiction.Status.OPEN, Contradiction.Status.CONFIRMED)
    return reader_with_side_rows(reader_contradiction_list().filter(status__in=standing)[:limit])


def reader_claim_get(claim_id: int) -> Claim:
    return (
        Claim.objects.select_related("article", "article__outlet", "subject", "speaker", "after")
        .defer(*ARTICLE_BULK[:1])
        .get(pk=claim_id, status=Claim.Status.CONFIRMED)
    )


def _contradicted() -> Any:
    live = Contradiction.objects.filter(ACTIVE_FLAGS).exclude(status=Contradiction.Status.DISMISSED)
    return Exists(live.filter(Q(claim_a_id=OuterRef("pk")) | Q(claim_b_id=OuterRef("pk"))).order_by())


def reader_claims() -> QuerySet[Claim]:
    """Public claims with everything a list row shows, and whether a live flag (not dismissed) holds them."""
    return (
        Claim.objects.filter(PUBLIC_CLAIM)
        .select_related("article", "article__outlet", "subject", "speaker")
        .defer(*ARTICLE_BULK)
        .annotate(contradicted=_contradicted())
    )


def reader_contradiction_list() -> QuerySet[Contradiction]:
    """Live flags without joins: pass the rows through reader_with_sides. Ten-way joins cost PostgreSQL more time
    to plan than to run, so the two claims of every flag on a page come in one second, simple query instead."""
    return Contradiction.objects.filter(ACTIVE_FLAGS).order_by("-created_at", "-id")


# What a list of flags shows of each of its claims (views.contradictions_html): `side_a` and `side_b` of a flag.
CONTRADICTION_SIDE = ("id", "quote", "speaker__name", "article__outlet__name")


def reader_with_sides(flags: Any) -> list[Contradiction]:
    """Flags with both claims as model instances (`claim_a`, `claim_b`: a page that reviews or describes them) and
    as CONTRADICTION_SIDE rows (`side_a`, `side_b`: the markup of a flag in a list)."""
    flags = list(flags)
    ids = {pk for flag in flags for pk in (flag.claim_a_id, flag.claim_b_id)}
    claims = (
        Claim.objects.select_related("article", "article__outlet", "subject", "speaker")
        .defer(*ARTICLE_BULK)
        .in_bulk(ids)
    )
    for flag in flags:
        flag.claim_a, flag.claim_b = claims[flag.claim_a_id], claims[flag.claim_b_id]
        flag.side_a, flag.side_b = _side_row(flag.claim_a), _side_row(flag.claim_b)
    return flags


def _side_row(claim: Claim) -> dict[str, Any]:
    """The CONTRADICTION_SIDE row of a claim loaded with its joins: each path followed through the instances, None
    past a missing relation, as values() gives it."""
    row = {}
    for path in CONTRADICTION_SIDE:
        value: Any = claim
        for name in path.split("__"):
            value = getattr(value, name) if value is not None else None
        row[path] = value
    return row


def reader_with_side_rows(flags: Any) -> list[Contradiction]:
    """Flags for a list, with `side_a` and `side_b` only (CONTRADICTION_SIDE rows, one query of plain values): on
    the hot pages, model instances of both claims with four joins each were a third of a subject page's time. (The
    same columns joined into the flags' own query cost PostgreSQL 12 ms to plan on a subject page, 2 to run.)"""
    flags = list(flags)
    ids = {pk for flag in flags for pk in (flag.claim_a_id, flag.claim_b_id)}
    sides = Claim.objects.filter(pk__in=ids).order_by().values(*CONTRADICTION_SIDE) if ids else []
    rows = {row["id"]: row for row in sides}
    for flag in flags:
        flag.side_a, flag.side_b = rows[flag.claim_a_id], rows[flag.claim_b_id]
    return flags


def reader_contradiction_get(flag_id: int) -> Contradiction:
    return reader_with_sides([reader_contradiction_list().get(pk=flag_id)])[0]


def reader_claim_contradictions(claim: Claim, limit: int = 20) -> list[Contradiction]:
    """The flags on a claim with their reviewers (the page's ClaimReviews name them) and both claims."""
    flags = (
        reader_contradiction_list().select_related("reviewer").filter(Q(claim_a_id=claim.pk) | Q(claim_b_id=claim.pk))
    )
    return reader_with_sides(flags[:limit])


def reader_related_claims(claim: Claim, limit: int = 8) -> list[dict[str, Any]]:
    others = reader_claims().filter(subject=claim.subject_id).exclude(pk=claim.pk).order_by("-id")
    return list(others.values(*CLAIM_ROW)[:limit]) if claim.subject_id is not None else []


def reader_article_claims(article: Article) -> list[Claim]:
    return list(reader_claims().filter(article=article).order_by("start", "id"))


def reader_article_versions(article: Article) -> list[Any]:
    return list(
        ArticleVersion.objects.filter(article=article).only("id", "number", "created_at", "changes").order_by("-number")
    )


def reader_subject_get(subject_id: int) -> Subject:
    """A public subject with what its page shows (name, description; `alias_names`, sorted): two compiled reads.
    Subject.DoesNotExist when there is no such public subject."""
    rows = compiled_values(_public_subject, subject_id, one_plan=True)
    if not rows:
        raise Subject.DoesNotExist(f"no public subject {subject_id}")
    subject = Subject(**rows[0])
    subject.alias_names = [row["name"] for row in compiled_values(_subject_alias_names, subject_id, one_plan=True)]  # type: ignore[attr-defined]
    return subject


def _public_subject(subject_id: int) -> QuerySet[Any]:
    return public_subjects().filter(pk=subject_id).values("id", "name", "description")


def _subject_alias_names(subject_id: int) -> QuerySet[Any]:
    return SubjectAlias.objects.filter(subject=subject_id).order_by("name").values("name")


def reader_subject_attributes(subject: Subject) -> list[Any]:
    """Public claims per attribute (by its folded key): one grouped query, read from an index alone."""
    return compiled_values(_subject_attributes, subject.pk)


def _subject_attributes(subject_id: int) -> QuerySet[Any]:
    return (
        Claim.objects.filter(PUBLIC_CLAIM, subject=subject_id)
        .values("attribute_key")
        .annotate(count=Count("id"))
        .order_by("-count", "attribute_key")
    )


def _effective_date() -> Any:
    return Coalesce(
        "as_of", TruncDate("article__published_at"), TruncDate("article__created_at"), output_field=DateField()
    )


def reader_subject_chart_rows(subject: Subject, limit: int | None = None) -> list[Any]:
    """The `limit` most recently recorded public claims of a subject, as plain rows for the chart. Newest by id, so
    that an index (migration 0005) gives them without reading the subject's other claims."""
    return compiled_values(_subject_chart_rows, subject.pk, shape=(limit or READER_CHART_LIMIT,))


def _subject_chart_rows(subject_id: int, limit: int) -> QuerySet[Any]:
    return (
        Claim.objects.filter(PUBLIC_CLAIM, subject=subject_id)
        .annotate(when=_effective_date(), contradicted=_contradicted(), short_quote=Substr("quote", 1, 300))
        .order_by("-id")
        .values(
            "id",
            "when",
            "attribute",
            "kind",
            "short_quote",
            "contradicted",
            "qty_min",
            "qty_max",
            "unit",
            "date_value",
            "date_precision",
            "dur_min",
            "dur_max",
            "dur_unit",
            "article__outlet__name",
        )[:limit]
    )


def reader_subject_claims(subject: Subject) -> CompiledPages:
    """A subject's public claims grouped by attribute, as CLAIM_ROW values (for a Paginator, given the count)."""
    return CompiledPages(_subject_claims, subject.pk)


def _subject_claims(subject_id: int) -> QuerySet[Any]:
    return reader_claims().filter(subject=subject_id).order_by("attribute_key", "-as_of", "-id").values(*CLAIM_ROW)


BIG_SUBJECT = 1000  # claims; above this, a subject's flags are found by walking the newest flags (see below)


def _contradictions_on_subject(subject: Subject | int, big: bool = False) -> QuerySet[Contradiction]:
    """Flags with either claim on the subject, newest first; two plans for two shapes of subject.

    A big subject (`big`: more than BIG_SUBJECT claims) is on a good share of all flags: walking the flags newest
    first (created_at index) and checking each one's claims finds the few a page shows almost at once. A small
    subject is on few flags, which that walk would have to look for through all of them: there it reads only its
    own. On PostgreSQL, the subject's claim ids as one array and the flags on either side by their two indexes (a
    bitmap OR: 0.7 ms at 100k claims and 10,000 flags); the union of two joins it replaces was planned as two scans
    of every flag (4-7 ms). Elsewhere, that union."""
    if big:
        return reader_contradiction_list().filter(Q(claim_a__subject=subject) | Q(claim_b__subject=subject))
    public = Claim.Status.CONFIRMED  # only confirmed claims are ever flagged; the filter lets an index answer
    if connection.vendor == "postgresql":
        claims = Claim.objects.filter(subject=subject, status=public).order_by().values("id")
        claims_sql, params = claims.query.sql_with_params()
        return reader_contradiction_list().filter(contradictions_on_either_side(f"ARRAY({claims_sql})", params))
    ids = (
        Contradiction.objects.filter(claim_a__subject=subject, claim_a__status=public)
        .order_by()
        .values("id")
        .union(Contradiction.objects.filter(claim_b__subject=subject, claim_b__status=public).order_by().values("id"))
    )
    return reader_contradiction_list().filter(pk__in=ids)


# What a flag in a list shows of itself (views.contradictions_html), and what orders the list.
CONTRADICTION_SHOWN = ("id", "claim_a_id", "claim_b_id", "kind", "score", "explanation", "status", "note", "created_at")


def reader_subject_contradictions(
    subject: Subject, claim_count: int, limit: int = 5
) -> tuple[list[Contradiction], list[Contradiction]]:
    """The latest open and the latest reviewed flags on a subject, with their claims' side rows (two queries on
    PostgreSQL, three on SQLite, which cannot limit the parts of a UNION)."""
    big = claim_count > BIG_SUBJECT
    if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL: one round trip for both
        rows = compiled_values(_subject_contradiction_rows, subject.pk, shape=(big, limit, "both"))
    else:
        rows = [*compiled_values(_subject_contradiction_rows, subject.pk, shape=(big, limit, "open"))]
        rows += compiled_values(_subject_contradiction_rows, subject.pk, shape=(big, limit, "reviewed"))
    flags = [Contradiction(**row) for row in rows]  # a few flags: what they show, not their every field
    flags = sorted(reader_with_side_rows(flags), key=lambda f: (f.created_at, f.pk), reverse=True)
    return (
        [f for f in flags if f.status == Contradiction.Status.OPEN],
        [f for f in flags if f.status != Contradiction.Status.OPEN],
    )


def _subject_contradiction_rows(subject_id: int, big: bool, limit: int, part: str) -> QuerySet[Any]:
    flags = _contradictions_on_subject(subject_id, big).values(*CONTRADICTION_SHOWN)
    open_flags = flags.filter(status=Contradiction.Status.OPEN)[:limit]
    reviewed = flags.exclude(status=Contradiction.Status.OPEN)[:limit]
    if part == "both":
        return open_flags.union(reviewed, all=True)
    return open_flags if part == "open" else reviewed


def reader_contradictions(
    *, status: str = "", kind: str = "", subject: str = "", outlet: str = ""
) -> QuerySet[Contradiction]:
    """Contradictions filtered as the public list's form asks; subject and outlet match names in either claim.
    Pass the page of rows through reader_with_side_rows."""
    flags = reader_contradiction_list()
    if status:
        flags = flags.filter(status=status)
    if kind:
        flags = flags.filter(kind=kind)
    if subject:
        flags = flags.filter(
            Q(claim_a__subject__name__icontains=subject) | Q(claim_b__subject__name__icontains=subject)
        )
    if outlet:
        flags = flags.filter(
            Q(claim_a__article__outlet__name__icontains=outlet) | Q(claim_b__article__outlet__name__icontains=outlet)
        )
    return flags


ACTIVE_WINDOW = 5000  # "active" = most of the latest claims: bounded work whatever the size of the table


def reader_active_subjects(limit: int = 10) -> list[Subject]:
    """Subjects with the most claims among the latest ACTIVE_WINDOW public ones (one query, an index range of ids)."""
    oldest = Claim.objects.filter(PUBLIC_CLAIM).order_by("-id").values("id")[ACTIVE_WINDOW - 1 : ACTIVE_WINDOW]
    return list(
        Subject.objects.filter(claims__status=Claim.Status.CONFIRMED, claims__id__gte=Coalesce(oldest, Value(0)))
        .annotate(claim_count=Count("claims"))
        .order_by("-claim_count", "name")[:limit]
    )


def _contradiction_tally(on_side: Q) -> dict[str, int]:
    """How the flags touching some claims were reviewed: one aggregate query."""
    counts = (
        Contradiction.objects.filter(ACTIVE_FLAGS)
        .filter(on_side)
        .aggregate(
            total=Count("id"),
            **{status: Count("id", filter=Q(status=status)) for status in Contradiction.Status.values},
        )
    )
    return {key: value or 0 for key, value in counts.items()}


def _claim_tally(claims: QuerySet[Claim]) -> dict[str, int]:
    counts = claims.annotate(flagged=_contradicted()).aggregate(
        claims=Count("id"), contradicted=Count("id", filter=Q(flagged=True))
    )
    return {key: value or 0 for key, value in counts.items()}


def reader_outlet_stats(outlet: Any) -> dict[str, int]:
    side = Q(claim_a__article__outlet=outlet) | Q(claim_b__article__outlet=outlet)
    return {**_claim_tally(Claim.objects.filter(PUBLIC_CLAIM, article__outlet=outlet)), **_contradiction_tally(side)}


def reader_speaker_stats(speaker: Speaker) -> dict[str, int]:
    side = Q(claim_a__speaker=speaker) | Q(claim_b__speaker=speaker)
    return {**_claim_tally(Claim.objects.filter(PUBLIC_CLAIM, speaker=speaker)), **_contradiction_tally(side)}


def reader_outlets() -> QuerySet[Any]:
    return Outlet.objects.annotate(
        claim_count=Count("articles__claims", filter=Q(articles__claims__status=Claim.Status.CONFIRMED)),
        article_count=Count(
            "articles",
            distinct=True,
            filter=Q(
                articles__deleted_at__isnull=True, articles__status__in=[Article.Status.READY, Article.Status.PENDING]
            ),
        ),
    ).order_by("name")


def reader_speakers() -> QuerySet[Speaker]:
    return (
        public_speakers()
        .annotate(claim_count=Count("claims", filter=Q(claims__status=Claim.Status.CONFIRMED)))
        .order_by("name")
    )


def claim_rows(claims: QuerySet[Claim], fields: tuple[str, ...], chunk_size: int = 2000) -> Iterator[dict[str, Any]]:
    """Flat claim rows (`values()`, joins done by the database) streamed from a cursor in chunks, so that an export
    of any size holds one chunk in memory at a time."""
    return claims.order_by("id").values(*fields).iterator(chunk_size=chunk_size)


def contradictions_reviewed() -> QuerySet[Contradiction]:
    """Flags an editor has resolved (confirmed, dismissed or superseded), with both claims and their articles."""
    return contradiction_list().exclude(status=Contradiction.Status.OPEN).order_by("id")


def reader_subject_feed_contradictions(subject: Subject, limit: int) -> list[Contradiction]:
    return reader_with_sides(_contradictions_on_subject(subject)[:limit])


def reader_latest_articles(limit: int = 10) -> list[Article]:
    """The newest ready articles (without their text), for the home page."""
    return list(article_list().filter(status=Article.Status.READY).defer(*ARTICLE_BULK_FIELDS)[:limit])


def reader_outlet_claims(outlet: Outlet) -> QuerySet[Claim]:
    """An outlet's public claims, newest first, as CLAIM_ROW_WITH_SUBJECT values (for a paginated list)."""
    return reader_claims().filter(article__outlet=outlet).order_by("-id").values(*CLAIM_ROW_WITH_SUBJECT)


def reader_speaker_claims(speaker: Speaker) -> QuerySet[Claim]:
    """A speaker's public claims, newest first, as CLAIM_ROW_WITH_SUBJECT values (for a paginated list)."""
    return reader_claims().filter(speaker=speaker).order_by("-id").values(*CLAIM_ROW_WITH_SUBJECT)
