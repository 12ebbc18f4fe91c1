"""The editors' and the API's reads: lists with their joins fixed, an article's versions and status counts, the
subjects page and near names. Imported through `claims.selectors` by the API and the editor's pages."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from claims.db import compiled_values
from claims.detect.near_names import near_names
from claims.models import (
    Article,
    ArticleVersion,
    AuditEvent,
    Claim,
    Contradiction,
    Speaker,
    Subject,
)
from claims.models.claim import effective_date as claim_effective_date
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
from claims.selectors.reader import claim_rows
from claims.values import VALUE_COLUMNS

M = TypeVar("M", bound=Model)


def article_queue() -> QuerySet[Article]:
    """Articles with their confirmed and still-waiting claim counts, in one query whatever the number of rows, without
    their texts (grouped with them, a queue holding an article of 8,000 paragraphs took 5 s on SQLite). Failed
    articles are not in it: they have their own list (article_failed)."""
    return (
        article_list()
        .defer("text")
        .exclude(status=Article.Status.FAILED)
        .annotate(
            confirmed_count=Count("claims", filter=Q(claims__status=Claim.Status.CONFIRMED)),
            waiting_count=Count("claims", filter=Q(claims__status=Claim.Status.SUGGESTED)),
        )
    )


def article_get(article_id: int) -> Article:
    return article_list().get(pk=article_id)


def article_versions(article: Article) -> list[dict[str, Any]]:
    """Every version of an article's text, oldest first, in one query (texts left out). Stored ArticleVersion n is
    text n, created when text n+1 replaced it, with what changed; the article itself holds the current text. Each
    entry: number, content_hash, created_at (when it became current), replaced_at (null for the current one),
    changes (what changed from the previous version; {} for the first), current."""
    kept = list(
        ArticleVersion.objects.filter(article=article)
        .order_by("number")
        .values("number", "content_hash", "created_at", "changes")
    )
    entries: list[dict[str, Any]] = []
    since: datetime.datetime = article.created_at
    changes: dict[str, Any] = {}
    for row in kept:
        entries.append(
            {
                "number": row["number"],
                "content_hash": row["content_hash"],
                "created_at": since,
                "replaced_at": row["created_at"],
                "changes": changes,
                "current": False,
            }
        )
        since, changes = row["created_at"], row["changes"]
    entries.append(
        {
            "number": article.version,
            "content_hash": article.content_hash,
            "created_at": since,
            "replaced_at": None,
            "changes": changes,
            "current": True,
        }
    )
    return entries


def article_visible(*, editor: bool, with_text: bool = True) -> QuerySet[Article]:
    """The articles a reader or API client may see: a failed article is the editors' to-do, not news, so only
    editors see it; nobody sees a discarded one (article_list). A list's rows leave the text out (`with_text`)."""
    articles = article_list() if with_text else article_list().defer("text")
    return articles if editor else articles.exclude(status=Article.Status.FAILED)


def article_failed() -> QuerySet[Article]:
    """Failed, not discarded articles, latest failure first, without their (possibly large) raw input and text."""
    failed = article_list().filter(status=Article.Status.FAILED).defer(*ARTICLE_BULK_FIELDS)
    return failed.order_by("-updated_at", "-id")


def article_failed_count() -> int:
    return article_list().filter(status=Article.Status.FAILED).count()


def _contradiction_ids() -> list[Prefetch]:
    active = Contradiction.objects.filter(ACTIVE_FLAGS).only("id", "claim_a_id", "claim_b_id")
    return [
        Prefetch("contradictions_as_a", queryset=active, to_attr="flags_a"),
        Prefetch("contradictions_as_b", queryset=active, to_attr="flags_b"),
    ]


def claim_list() -> QuerySet[Claim]:
    # The article's raw input and text can be tens of KB each; a claim read needs neither (loaded if touched).
    return (
        Claim.objects.select_related("article", "article__outlet", "subject", "speaker", "after")
        .defer("article__raw", "article__text")
        .prefetch_related(*_contradiction_ids())
        .order_by("id")
    )


# What the API's claim JSON reads of a claim (serializers.claim_json), as one row each: a list page reads these
# with values() (no model instances), and its flags' ids in one more query (contradiction_ids_by_claim).
CLAIM_API_ROW = (
    "id", "article_id", "quote", "start", "end", "kind", "subject__name", "attribute", *VALUE_COLUMNS, "unit",
    "qualifier", "speaker__name", "as_of", "polarity", "after__name", "proposed_subject", "proposed_speaker",
    "proposed_after", "proposed_speaker_role", "status", "checked_at", "version", "orphaned", "article__outlet__name",
    "created_at", "updated_at",
)  # fmt: skip


def claim_api_rows(claims: QuerySet[Claim]) -> QuerySet[Any]:
    """`claims` (a filtered claim_list) as CLAIM_API_ROW rows: the joins in the same query, no prefetch."""
    return claims.values(*CLAIM_API_ROW)


def contradiction_ids_by_claim(claim_ids: list[int]) -> dict[int, list[int]]:
    """The standing flags' ids of each of these claims, ascending (what claim_contradiction_ids gives one claim).
    On PostgreSQL a compiled read (claims.db.compiled_values) of the ids as one array literal."""
    found: dict[int, list[int]] = {pk: [] for pk in claim_ids}
    if connection.vendor == "postgresql":
        # A page of the API's claims (500 at most): one plan serves every page, prepared like Django's queries.
        ids = "{" + ",".join(str(int(pk)) for pk in claim_ids) + "}"
        rows = compiled_values(_contradictions_on_array, ids, one_plan=True)
    else:
        rows = list(_contradiction_pairs(Q(claim_a_id__in=claim_ids) | Q(claim_b_id__in=claim_ids)))
    for row in rows:
        for side in {row["claim_a_id"], row["claim_b_id"]}:
            if side in found:
                found[side].append(row["id"])
    return found


def _contradictions_on_array(ids: str) -> QuerySet[Any]:
    """A flag with one of these claims (an SQL array literal) on either side. One array parameter, so the
    statement's text is the same for every page of a list: the server plans it once (a prepared statement), where
    two IN lists of a hundred placeholders each were parsed and planned on every request (10 ms of a cursor page's
    30 ms, bench/bench_api.py); compiled once, Django does not build it again either."""
    return _contradiction_pairs(contradictions_on_either_side("%s::bigint[]", (ids,)))


def _contradiction_pairs(on_side: Any) -> QuerySet[Any]:
    flags = Contradiction.objects.filter(ACTIVE_FLAGS).filter(on_side)
    return flags.order_by("id").values("id", "claim_a_id", "claim_b_id")


def claim_get(claim_id: int, *, editor: bool = True) -> Claim:
    return claims_visible(claim_list(), editor=editor, status="*").get(pk=claim_id)


def claims_visible(claims: QuerySet[Claim], *, editor: bool, status: str = "") -> QuerySet[Claim]:
    """The one rule of who sees which claims: lists and exports hold confirmed claims (editorial truth) unless an
    editor asks for `suggested` or `rejected` by `status`; readers never see those. With status="*" (reads by id)
    an editor sees a claim of any status."""
    if not editor:
        return claims.filter(PUBLIC_CLAIM) if status in ("", "*", Claim.Status.CONFIRMED) else claims.none()
    if status == "*":
        return claims
    return claims.filter(status=status or Claim.Status.CONFIRMED)


def claim_contradiction_ids(claim: Claim) -> list[int]:
    flags = [*getattr(claim, "flags_a", []), *getattr(claim, "flags_b", [])]
    return sorted(flag.pk for flag in flags)


def claim_history(claim_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor").filter(entity="claim", entity_id=claim_id).order_by("at", "id")


def contradiction_queue(*, kind: str | None = None, status: str | None = None) -> QuerySet[Contradiction]:
    """Editors' review order: open first, then most severe (the statuses' alphabetical order would put
    `confirmed` first). The articles' texts are left out (contradiction_list): the page quotes the claims' stored
    context."""
    queryset = (
        contradiction_list()
        .annotate(
            resolved=Case(
                When(status=Contradiction.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
        )
        .order_by("resolved", "-score", "-created_at", "-id")
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def subject_list(*, editor: bool = True) -> QuerySet[Subject]:
    """Every subject for editors; readers and anonymous clients see public_subjects() only."""
    subjects = Subject.objects.all() if editor else public_subjects()
    return subjects.prefetch_related("aliases", "broader", "narrower").order_by("name")


def speaker_list(*, editor: bool = True) -> QuerySet[Speaker]:
    speakers = Speaker.objects.all() if editor else public_speakers()
    return speakers.prefetch_related("aliases").order_by("name")


def effective_as_of(claim: Claim) -> datetime.date | None:
    """The claim's as_of, else its article's publication day in UTC (what Claim.effective_date stores)."""
    return claim_effective_date(claim.as_of, claim.article.published_at)


# ---------------------------------------------------------------------------------------------- editor: subjects

# Names (subjects, and aliases) a near-name check compares with, newest first: bounded, so that the check stays
# well under a second of pure Python (about 0.2 s for 10,000 names) however many subjects there are.
NEAR_NAME_POOL = 10_000


def editor_subjects(*, search: str = "") -> QuerySet[Subject]:
    """Every subject, public or not, by name, with `confirmed_count` (its confirmed claims), `claim_count` (all its
    claims, which a merge moves) and `is_public` (whether readers see it: public_subjects()). One query a page."""
    subjects = (
        Subject.objects.annotate(
            confirmed_count=Count("claims", filter=Q(claims__status=Claim.Status.CONFIRMED), distinct=True),
            claim_count=Count("claims", distinct=True),
            is_public=Exists(public_subjects().filter(pk=OuterRef("pk"))),
        )
        .prefetch_related("aliases")
        .order_by("name", "id")
    )
    if search:
        subjects = subjects.filter(Q(name__icontains=search) | Q(aliases__name__icontains=search)).distinct()
    return subjects


def subject_name_pool(limit: int = NEAR_NAME_POOL) -> list[tuple[int, str, str]]:
    """(subject id, subject name, a name it goes by) for the newest subjects' own names and for aliases: two
    queries, whatever the size of the table."""
    names = [(pk, name, name) for pk, name in Subject.objects.order_by("-id").values_list("id", "name")[:limit]]
    aliases = list(
        Subject.objects.filter(aliases__isnull=False)
        .order_by("-aliases__id")
        .values_list("id", "name", "aliases__name")[:limit]
    )
    return names + aliases


def subjects_near(name: str, limit: int = 5) -> list[dict[str, Any]]:
    """Existing subjects whose name or an alias is near `name` (claims.detect.near_names), nearest first, each
    once, as `{"id", "name"}` with the subject's own name also when it was an alias that came near."""
    owners: dict[str, list[tuple[int, str]]] = {}
    for subject_id, subject_name, known_as in subject_name_pool():
        owners.setdefault(known_as, []).append((subject_id, subject_name))
    found: dict[int, str] = {}
    for near in near_names(name, owners, limit=len(owners)):
        for subject_id, subject_name in owners[near]:
            found.setdefault(subject_id, subject_name)
        if len(found) >= limit:
            break
    return [{"id": subject_id, "name": subject_name} for subject_id, subject_name in found.items()][:limit]


def article_status_counts(article_ids: list[int]) -> dict[str, int]:
    """How many of these articles are ready, failed and still pending (one grouped query)."""
    counts = {status: 0 for status in Article.Status.values}
    for status, count in (
        Article.objects.filter(pk__in=article_ids).order_by().values_list("status").annotate(n=Count("id"))
    ):
        counts[status] = count
    return counts


def article_annotation_claims(article: Article) -> list[Claim]:
    """The claims the annotation page shows on `article`: every claim but the rejected ones, in text order."""
    return list(claim_list().filter(article=article).exclude(status=Claim.Status.REJECTED).order_by("start", "id"))


def articles_watched() -> QuerySet[Article]:
    """Live articles as the intake status page watches one (with the article it duplicates; no raw input)."""
    return article_list().select_related("duplicate_of")


def editor_subject_get(subject_id: int) -> Subject | None:
    """One subject as the editor's subjects page lists it (with its counts), None when there is none."""
    return editor_subjects().filter(pk=subject_id).first()


def claim_visible_rows(claim_id: int, *, editor: bool, fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """One claim's row (its `fields`) when the user may see it as a confirmed claim, else []."""
    visible = claims_visible(Claim.objects.filter(pk=claim_id), editor=editor, status=Claim.Status.CONFIRMED)
    return list(claim_rows(visible, fields))


def by_id(model: type[M], pk: Any) -> M | None:
    """The row of `model` with this id (an id sent in a request body), None when there is none."""
    return model._default_manager.filter(pk=pk).first()


def merged_into(model: type[Subject] | type[Speaker], pk: int) -> int | None:
    """The id of the subject or speaker that the one with id `pk` was merged into (following later merges), None
    when no such id was ever merged: an old page or API address then moves there."""
    aliases = model._meta.get_field("aliases")  # SubjectAlias or SpeakerAlias, by the reverse of its foreign key
    found: int | None = (
        aliases.related_model._default_manager.filter(merged_from=pk)
        .values_list(aliases.field.attname, flat=True)
        .first()
    )
    return found
