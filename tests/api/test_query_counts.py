"""Every list and detail endpoint costs the same number of queries for a few rows as for many (DESIGN.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.models import Article, Claim, Contradiction, Speaker, Subject
from tests.api import bulk

pytestmark = pytest.mark.django_db


def _populate(claims: int, reviewer: User) -> None:
    made = bulk.claims(claims, on=bulk.articles(max(2, claims // 4)))
    bulk.contradictions(made, reviewer=reviewer)


def _count(client: APIClient, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer: Any = client.get(path)
        assert answer.status_code == 200, (path, answer.content[:300])
        if getattr(answer, "streaming", False):
            b"".join(answer.streaming_content)
    return len(queries)


LISTS = [
    "/api/v1/articles/?page_size=500",
    "/api/v1/claims/?page_size=500",
    "/api/v1/contradictions/?page_size=500",
    "/api/v1/subjects/?page_size=500",
    "/api/v1/speakers/?page_size=500",
    "/api/v1/claims/?cursor=&page_size=500",
    "/api/v1/claims/?ordering=-updated_at&page_size=500",
    "/api/v1/subjects/?q=subject&page_size=500",
    "/api/v1/exports/claimreviews.jsonld",
]


@pytest.mark.parametrize("path", LISTS)
def test_list_queries_do_not_grow_with_rows(anon_client: APIClient, editor: User, path: str) -> None:
    _populate(6, editor)
    few = _count(anon_client, path)
    _populate(120, editor)
    many = _count(anon_client, path)
    assert few == many, (path, few, many)


def _first(model: Any) -> int:
    rows = model.objects if hasattr(model, "objects") else model
    return int(rows.order_by("id").values_list("id", flat=True)[0])


DETAILS: list[tuple[str, Callable[[], str]]] = [
    ("article", lambda: f"/api/v1/articles/{_first(Article)}/"),
    ("claim", lambda: f"/api/v1/claims/{_first(Claim)}/"),
    ("claim history", lambda: f"/api/v1/claims/{_first(Claim)}/history/"),
    ("claim annotation", lambda: f"/api/v1/claims/{_first(Claim)}/annotation/"),
    ("contradiction", lambda: f"/api/v1/contradictions/{_first(Contradiction)}/"),
    (
        "claimreview",
        lambda: f"/api/v1/contradictions/{_first(Contradiction.objects.exclude(status='open'))}/claimreview/",
    ),
    ("subject", lambda: f"/api/v1/subjects/{_first(Subject)}/"),
    ("speaker", lambda: f"/api/v1/speakers/{_first(Speaker)}/"),
]


@pytest.mark.parametrize(("name", "path"), DETAILS, ids=[name for name, _ in DETAILS])
def test_detail_queries_do_not_grow_with_rows(
    anon_client: APIClient, editor: User, name: str, path: Callable[[], str]
) -> None:
    _populate(12, editor)
    url = path()
    few = _count(anon_client, url)
    # Many more rows around the same objects: more claims on its article, flags on its claim, links of its subject.
    first_article = Article.objects.get(pk=_first(Article))
    more = bulk.claims(200, on=[first_article])
    bulk.contradictions([Claim.objects.get(pk=_first(Claim)), *more[:60]], reviewer=editor)
    many = _count(anon_client, url)
    assert few == many, (name, few, many)


BULK_COLUMNS = re.compile(r'"(?:raw|text)"')


@pytest.mark.parametrize(
    "path",
    ["/api/v1/articles/", "/api/v1/contradictions/", "/api/v1/claims/", "/editor/", "/editor/contradictions/", "/"],
)
def test_lists_never_read_an_articles_raw_input_or_text(editor: User, path: str) -> None:
    """An article's raw input and cleaned text run to megabytes each: a list that shows titles, counts or flags
    reads neither (the editor's queue once grouped its counts by both: 5 s for one article of 8,000 paragraphs)."""
    _populate(12, editor)
    client = APIClient()
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        answer: Any = client.get(path)
        assert answer.status_code == 200, (path, answer.content[:300])
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert selects
    reading = [sql for sql in selects if BULK_COLUMNS.search(sql.split(" FROM ")[0])]
    assert not reading, reading
