"""Every non-trivial read, with the joins it needs fixed here so that its query count does not grow with rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr, TruncDate

from claims.detect.near_names import near_names
from claims.models import Article, ArticleVersion, AuditEvent, Claim, Contradiction, Outlet, Speaker, Subject
from claims.models.claim import effective_date as claim_effective_date

ACTIVE_FLAGS = Q(withdrawn_at__isnull=True)
LIVE_ARTICLE = Q(deleted_at__isnull=True)  # a discarded article is gone from every list and page


def article_list() -> QuerySet[Article]:
    return Article.objects.filter(LIVE_ARTICLE).select_related("outlet").order_by("-created_at", "-id")


def article_queue() -> QuerySet[Article]:
    """Articles with their confirmed and still-waiting claim counts, in one query whatever the number of rows.
    Failed articles are not in it: they have their own list (article_failed)."""
    return (
        article_list()
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


def article_visible(*, editor: bool) -> QuerySet[Article]:
    """The articles a reader or API client may see: a failed article is the editors' to-do, not news, so only
    editors see it; nobody sees a discarded one (article_list)."""
    articles = article_list()
    return articles if editor else articles.exclude(status=Article.Status.FAILED)


def article_failed() -> QuerySet[Article]:
    """Failed, not discarded articles, latest failure first, without their (possibly large) raw input."""
    return article_list().filter(status=Article.Status.FAILED).defer("raw", "text").order_by("-updated_at", "-id")


def article_failed_count() -> int:
    return article_list().filter(status=Article.Status.FAILED).count()


def _flag_ids() -> list[Prefetch]:
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
        .prefetch_related(*_flag_ids())
        .order_by("id")
    )


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


def contradiction_list() -> QuerySet[Contradiction]:
    claim_joins = ("article", "article__outlet", "subject", "speaker")
    return (
        Contradiction.objects.filter(ACTIVE_FLAGS)
        .select_related("reviewer", *(f"claim_a__{j}" for j in claim_joins), *(f"claim_b__{j}" for j in claim_joins))
        .order_by("-created_at", "-id")
    )


def contradiction_queue(*, kind: str | None = None, status: str | None = None) -> QuerySet[Contradiction]:
    """Editors' review order: open first, then most severe (the statuses' alphabetical order would put
    `confirmed` first). The articles' texts are left out: the page quotes the claims' stored context."""
    queryset = (
        contradiction_list()
        .defer(*(f"claim_{side}__article__{field}" for side in "ab" for field in ("text", "raw")))
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


# ---------------------------------------------------------------------------------------------- reader pages
# The public pages' reads. Each returns querysets/values with their joins fixed, and every page caps what it
# lists (a page of rows, a capped chart), so that its query count and cost do not grow with the data.

# An article's raw input and cleaned text can run to megabytes: rows that only link to the article leave them out.
ARTICLE_BULK = ("article__raw", "article__text")
READER_CHART_LIMIT = 200  # marks on a subject's timeline chart; the page says when it shows fewer than all claims
PUBLIC_CLAIM = Q(status=Claim.Status.CONFIRMED)
REVIEWED = (Contradiction.Status.CONFIRMED, Contradiction.Status.DISMISSED, Contradiction.Status.SUPERSEDED)
CLAIM_ROW: tuple[str, ...] = ("id", "quote", "attribute", "attribute_key", "as_of", "speaker__name")
CLAIM_ROW += ("article__outlet__name", "article__published_at", "contradicted")  # a list row (views.claim_rows_html)


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


def reader_latest_flags(limit: int) -> list[Contradiction]:
    """The home page's latest contradictions: live flags that still stand (open or confirmed by an editor); a flag
    an editor dismissed, or one superseded by a later report, is not news."""
    standing = (Contradiction.Status.OPEN, Contradiction.Status.CONFIRMED)
    return reader_with_sides(reader_flag_list().filter(status__in=standing)[:limit])


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


def reader_flag_list() -> QuerySet[Contradiction]:
    """Live flags without joins: pass the rows through reader_with_sides. Ten-way joins cost PostgreSQL more time
    to plan than to run, so the two claims of every flag on a page come in one second, simple query instead."""
    return Contradiction.objects.filter(ACTIVE_FLAGS).order_by("-created_at", "-id")


def reader_with_sides(flags: Any) -> list[Contradiction]:
    flags = list(flags)
    ids = {pk for flag in flags for pk in (flag.claim_a_id, flag.claim_b_id)}
    claims = (
        Claim.objects.select_related("article", "article__outlet", "subject", "speaker")
        .defer(*ARTICLE_BULK)
        .in_bulk(ids)
    )
    for flag in flags:
        flag.claim_a, flag.claim_b = claims[flag.claim_a_id], claims[flag.claim_b_id]
    return flags


def reader_flag_get(flag_id: int) -> Contradiction:
    return reader_with_sides([reader_flag_list().get(pk=flag_id)])[0]


def reader_claim_flags(claim: Claim, limit: int = 20) -> list[Contradiction]:
    """The flags on a claim with their reviewers (the page's ClaimReviews name them) and both claims."""
    flags = reader_flag_list().select_related("reviewer").filter(Q(claim_a_id=claim.pk) | Q(claim_b_id=claim.pk))
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
    return public_subjects().prefetch_related("aliases").get(pk=subject_id)


def reader_subject_attributes(subject: Subject) -> list[Any]:
    """Public claims per attribute (by its folded key): one grouped query, read from an index alone."""
    return list(
        Claim.objects.filter(PUBLIC_CLAIM, subject=subject)
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
    return list(
        Claim.objects.filter(PUBLIC_CLAIM, subject=subject)
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
        )[: limit or READER_CHART_LIMIT]
    )


def reader_subject_claims(subject: Subject) -> QuerySet[Any]:
    """A subject's public claims grouped by attribute, as CLAIM_ROW values (for a paginated list)."""
    return reader_claims().filter(subject=subject).order_by("attribute_key", "-as_of", "-id").values(*CLAIM_ROW)


BIG_SUBJECT = 1000  # claims; above this, a subject's flags are found by walking the newest flags (see below)


def _flags_on_subject(subject: Subject, claim_count: int = 0) -> QuerySet[Contradiction]:
    """Flags with either claim on the subject, newest first; two plans for two shapes of subject.

    A big subject is on a good share of all flags: walking the flags newest first (created_at index) and checking
    each one's claims finds the few a page shows almost at once. A small subject is on few flags, which that walk
    would have to look for through all of them: there a union of two indexed joins (the subject's claims, then
    their flags by claim_a and by claim_b) reads only its own."""
    if claim_count > BIG_SUBJECT:
        return reader_flag_list().filter(Q(claim_a__subject=subject) | Q(claim_b__subject=subject))
    public = Claim.Status.CONFIRMED  # only confirmed claims are ever flagged; the filter lets an index answer
    ids = (
        Contradiction.objects.filter(claim_a__subject=subject, claim_a__status=public)
        .order_by()
        .values("id")
        .union(Contradiction.objects.filter(claim_b__subject=subject, claim_b__status=public).order_by().values("id"))
    )
    return reader_flag_list().filter(pk__in=ids)


def reader_subject_flags(
    subject: Subject, claim_count: int, limit: int = 5
) -> tuple[list[Contradiction], list[Contradiction]]:
    """The latest open and the latest reviewed flags on a subject, with their claims (two queries on PostgreSQL,
    three on SQLite, which cannot limit the parts of a UNION)."""
    flags = _flags_on_subject(subject, claim_count)
    open_flags = flags.filter(status=Contradiction.Status.OPEN)[:limit]
    reviewed = flags.exclude(status=Contradiction.Status.OPEN)[:limit]
    if connection.features.supports_slicing_ordering_in_compound:  # PostgreSQL: one round trip for both
        both = list(open_flags.union(reviewed, all=True))
    else:
        both = [*open_flags, *reviewed]
    rows = sorted(reader_with_sides(both), key=lambda f: (f.created_at, f.pk), reverse=True)
    return (
        [f for f in rows if f.status == Contradiction.Status.OPEN],
        [f for f in rows if f.status != Contradiction.Status.OPEN],
    )


def reader_flags(*, status: str = "", kind: str = "", subject: str = "", outlet: str = "") -> QuerySet[Contradiction]:
    """Contradictions filtered as the public list's form asks; subject and outlet match names in either claim.
    Pass the page of rows through reader_with_sides."""
    flags = reader_flag_list()
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


def _flag_tally(on_side: Q) -> dict[str, int]:
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
    return {**_claim_tally(Claim.objects.filter(PUBLIC_CLAIM, article__outlet=outlet)), **_flag_tally(side)}


def reader_speaker_stats(speaker: Speaker) -> dict[str, int]:
    side = Q(claim_a__speaker=speaker) | Q(claim_b__speaker=speaker)
    return {**_claim_tally(Claim.objects.filter(PUBLIC_CLAIM, speaker=speaker)), **_flag_tally(side)}


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


SEARCH_LIMIT = 20
SEARCH_RANKED = 500


def reader_search(text: str, limit: int = SEARCH_LIMIT) -> dict[str, list[Any]]:
    """Articles, claims, subjects and speakers matching `text`: ranked full-text search on PostgreSQL, a plain
    case-insensitive substring match elsewhere (the embedded SQLite default). Four queries either way."""

    text = " ".join(text.split())[:200]
    if not text:
        return {"articles": [], "claims": [], "subjects": [], "speakers": []}
    if connection.vendor == "postgresql":
        return _search_postgres(text, limit)
    return _search_simple(text, limit)


def _search_simple(text: str, limit: int) -> dict[str, list[Any]]:
    articles = (
        article_list().filter(status=Article.Status.READY).filter(Q(title__icontains=text) | Q(text__icontains=text))
    )
    return {
        "articles": list(articles.defer("raw", "text")[:limit]),
        "claims": list(reader_claims().filter(quote__icontains=text).order_by("-id")[:limit]),
        "subjects": list(
            public_subjects()
            .filter(Q(name__icontains=text) | Q(aliases__name__icontains=text))
            .distinct()
            .order_by("name")[:limit]
        ),
        "speakers": list(public_speakers().filter(name__icontains=text).order_by("name")[:limit]),
    }


# The expressions below must stay exactly as the GIN indexes of migration 0003_reader_search build them
# (PostgreSQL uses an expression index only for the identical expression).
SEARCH_CONFIG = "english"


SEARCH_TEXT_CHARS = 100_000  # a tsvector holds at most 1 MB: index the head of very long articles only


def article_search_vector() -> Any:
    return SearchVector("title", Substr("text", 1, SEARCH_TEXT_CHARS), config=SEARCH_CONFIG)


def claim_search_vector() -> Any:
    return SearchVector("quote", config=SEARCH_CONFIG)


def _search_postgres(text: str, limit: int) -> dict[str, list[Any]]:

    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    article_vector, claim_vector = article_search_vector(), claim_search_vector()
    # Ranking recomputes each match's vector, so a word found in most rows would rank them all: rank only the
    # newest SEARCH_RANKED matches (found through the GIN index), which bounds the cost of a common word.
    article_hits = (
        Article.objects.filter(status=Article.Status.READY)
        .annotate(search=article_vector)
        .filter(search=query)
        .order_by("-id")
        .values("id")[:SEARCH_RANKED]
    )
    articles = (
        article_list()
        .filter(pk__in=article_hits)
        .annotate(rank=SearchRank(article_vector, query))
        .defer("raw", "text")
        .order_by("-rank", "-id")[:limit]
    )
    claim_hits = (
        Claim.objects.filter(PUBLIC_CLAIM)
        .annotate(search=claim_vector)
        .filter(search=query)
        .order_by("-id")
        .values("id")[:SEARCH_RANKED]
    )
    claims = (
        reader_claims()
        .filter(pk__in=claim_hits)
        .annotate(rank=SearchRank(claim_vector, query))
        .order_by("-rank", "-id")[:limit]
    )
    name_vector = SearchVector("name", config=SEARCH_CONFIG)
    subjects = (
        public_subjects()
        .annotate(search=name_vector)
        .filter(search=query)
        .annotate(rank=SearchRank(name_vector, query))
        .order_by("-rank", "name")[:limit]
    )
    speakers = (
        public_speakers()
        .annotate(search=name_vector)
        .filter(search=query)
        .annotate(rank=SearchRank(name_vector, query))
        .order_by("-rank", "name")[:limit]
    )
    return {"articles": list(articles), "claims": list(claims), "subjects": list(subjects), "speakers": list(speakers)}


def claim_rows(claims: QuerySet[Claim], fields: tuple[str, ...], chunk_size: int = 2000) -> Iterator[dict[str, Any]]:
    """Flat claim rows (`values()`, joins done by the database) streamed from a cursor in chunks, so that an export
    of any size holds one chunk in memory at a time."""
    return claims.order_by("id").values(*fields).iterator(chunk_size=chunk_size)


def contradictions_reviewed() -> QuerySet[Contradiction]:
    """Flags an editor has resolved (confirmed, dismissed or superseded), with both claims and their articles."""
    return (
        contradiction_list()
        .exclude(status=Contradiction.Status.OPEN)
        .defer(*(f"claim_{side}__article__{field}" for side in "ab" for field in ("text", "raw")))
        .order_by("id")
    )


def reader_subject_feed_flags(subject: Subject, limit: int) -> list[Contradiction]:
    return reader_with_sides(_flags_on_subject(subject)[:limit])


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
