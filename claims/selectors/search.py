"""Reader search: PostgreSQL full-text search with ranking, a plain substring search elsewhere (SQLite)."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

from claims.models import Article, Claim
from claims.selectors.base import (
    ARTICLE_BULK_FIELDS,
    PUBLIC_CLAIM,
    article_list,
    public_speakers,
    public_subjects,
)
from claims.selectors.reader import CLAIM_ROW_WITH_SUBJECT, reader_claims

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
        "articles": list(articles.defer(*ARTICLE_BULK_FIELDS)[:limit]),
        "claims": list(
            reader_claims().filter(quote__icontains=text).order_by("-id").values(*CLAIM_ROW_WITH_SUBJECT)[:limit]
        ),
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


def _newest_hits(rows: QuerySet[Any], vector: Any, query: SearchQuery) -> QuerySet[Any]:
    """The ids of the newest SEARCH_RANKED rows matching `query` (found through the GIN index on `vector`)."""
    return rows.annotate(search=vector).filter(search=query).order_by("-id").values("id")[:SEARCH_RANKED]


def _ranked_by_name(rows: QuerySet[Any], query: SearchQuery, limit: int) -> QuerySet[Any]:
    """Named rows (subjects, speakers) matching `query` on their name, best ranked first, then by name."""
    vector = SearchVector("name", config=SEARCH_CONFIG)
    return (
        rows.annotate(search=vector)
        .filter(search=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "name")[:limit]
    )


def _search_postgres(text: str, limit: int) -> dict[str, list[Any]]:

    query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
    article_vector, claim_vector = article_search_vector(), claim_search_vector()
    # Ranking recomputes each match's vector, so a word found in most rows would rank them all: rank only the
    # newest SEARCH_RANKED matches (found through the GIN index), which bounds the cost of a common word.
    article_hits = _newest_hits(Article.objects.filter(status=Article.Status.READY), article_vector, query)
    articles = (
        article_list()
        .filter(pk__in=article_hits)
        .annotate(rank=SearchRank(article_vector, query))
        .defer(*ARTICLE_BULK_FIELDS)
        .order_by("-rank", "-id")[:limit]
    )
    claim_hits = _newest_hits(Claim.objects.filter(PUBLIC_CLAIM), claim_vector, query)
    claims = (
        reader_claims()
        .filter(pk__in=claim_hits)
        .annotate(rank=SearchRank(claim_vector, query))
        .order_by("-rank", "-id")
        .values(*CLAIM_ROW_WITH_SUBJECT)[:limit]
    )
    subjects = _ranked_by_name(public_subjects(), query, limit)
    speakers = _ranked_by_name(public_speakers(), query, limit)
    return {"articles": list(articles), "claims": list(claims), "subjects": list(subjects), "speakers": list(speakers)}
