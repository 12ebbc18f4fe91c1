"""Property-based fuzzing of the article and claim endpoints as an editor: arbitrary JSON and near-valid payloads
never get a 5xx, and a request answered with a 4xx leaves every table exactly as it was (nothing half-stored)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from claims.models import Article, Claim
from tests.factories import ARTICLE_TEXT, make_article, make_claim

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text that reaches awkward corners: surrogates (escaped in JSON), NUL and other controls, RTL marks, markup.
awkward_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\ud800",
        "\u202e",
        "<script>alert(1)</script>",
        "2024-02-30",
        "0000-00-00",
        "9999-12-31",
        "NaN",
        "1e309",
        "-1",
        "x" * 5000,
        "about 2,500 workers",
        "quantity",
        "approx",
    ]
)
numbers = (
    st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([0, -1, 2**31, 2**63, 10**30, 1e-320, 1.5])
)
json_values = st.recursive(
    st.none() | st.booleans() | numbers | awkward_text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(awkward_text, children, max_size=4),
    max_leaves=12,
)


def near_valid(bases: list[dict[str, Any]], alternatives: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A valid payload with up to three fields dropped, swapped for another (maybe invalid) listed value, or
    replaced by arbitrary JSON; now and then a field nobody asked for."""
    fields = sorted(alternatives)
    mutation = st.tuples(st.sampled_from(fields), st.sampled_from(["drop", "swap", "swap", "json"]), st.data())

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        body = dict(draw(st.sampled_from(bases)))
        for name, how, data in draw(st.lists(mutation, max_size=3)):
            if how == "drop":
                body.pop(name, None)
            elif how == "swap":
                body[name] = data.draw(st.sampled_from(alternatives[name]))
            else:
                body[name] = data.draw(json_values)
        if draw(st.integers(0, 9)) == 0:
            body[draw(st.sampled_from(["extra", "id", "__proto__"]))] = draw(json_values)
        return body

    return build()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_app_config("claims").get_models()}


def send(client: APIClient, method: str, path: str, body: Any) -> Any:
    # Encoded here, not by the test client: NaN and Infinity go out as the bare tokens a sloppy client sends.
    raw = json.dumps(body, allow_nan=True)
    return getattr(client, method)(path, raw, content_type="application/json")


def check(client: APIClient, method: str, path: str, body: Any, capture: Any) -> None:
    before = row_counts()
    with capture(execute=True):
        answer = send(client, method, path, body)
    event(f"status {answer.status_code}")  # --hypothesis-show-statistics shows how deep the examples got
    assert answer.status_code < 500, (body, answer.content[:500])
    if 400 <= answer.status_code < 500:
        assert row_counts() == before, (answer.status_code, answer.content[:300], body)
        assert answer["Content-Type"].startswith("application/json"), answer["Content-Type"]


@pytest.fixture
def article() -> Article:
    return make_article()


ARTICLE_BASES: list[dict[str, Any]] = [
    {"text": "Officials said 40 ships docked on Monday.\n\nThe port expects 45 next week.", "title": "Ships dock"},
    {
        "html": "<html><body><article><h1>Ships</h1><p>About 40 ships docked on Monday.</p></article></body></html>",
        "outlet": "Harbour Gazette",
        "published_at": "2024-02-08",
    },
    {"url": "https://news.example.org/ships"},
]
ARTICLE_FIELDS: dict[str, list[Any]] = {
    "text": ["Officials said 40 ships docked on Monday.\n\nThe port expects 45 next week.", ARTICLE_TEXT],
    "html": ["<html><body><article><h1>Ships</h1><p>About 40 ships docked on Monday.</p></article></body></html>"],
    "url": ["https://news.example.org/ships", "http://127.0.0.1/admin", "file:///etc/passwd", "javascript:x"],
    "title": ["Ships dock", None],
    "outlet": ["Harbour Gazette", None, ""],
    "published_at": ["2024-02-08", "2024-02-08T10:00:00Z", "2024-02-30", None, 20240208],
}

CLAIM_BASES: list[dict[str, Any]] = [
    {
        "quote": "about 2,500 workers",
        "kind": "quantity",
        "subject": "Port workers on strike",
        "attribute": "striker count",
        "value": 2500,
        "unit": "workers",
        "qualifier": "approx",
        "speaker": "Officials",
    },
    {
        "quote": "March 2019",
        "kind": "date",
        "subject": "Terminal",
        "attribute": "event date",
        "value": "2019-03",
        "after": "Terminal plan",
    },
    {
        "quote": "several months",
        "kind": "duration",
        "subject": "Dispute",
        "attribute": "expected length",
        "value": {"min": 2, "max": None, "unit": "month"},
        "as_of": "2025-03-14",
    },
    {
        "start": 0,
        "end": 72,
        "kind": "statement",
        "subject": "Strike",
        "attribute": "workers on strike",
        "polarity": "affirms",
        "value": None,
    },
]
CLAIM_FIELDS: dict[str, list[Any]] = {
    "quote": ["about 2,500 workers", "2,400 workers", "March 2019", "several months", "not in the text", None],
    "start": [0, 23, 41, 10**9, -1, None],
    "end": [42, 60, 0, 10**9, None],
    "kind": ["quantity", "date", "duration", "attribution", "statement", "colour"],
    "subject": ["Port workers on strike", "Terminal", "", "x" * 301],
    "attribute": ["striker count", "event date", ""],
    "value": [
        2500,
        {"min": 2400, "max": 2600},
        {"min": 5, "max": 1},
        "2019-03",
        "2019-13",
        "2019-02-30",
        {"min": 2, "max": None, "unit": "month"},
        {"min": 2, "max": 5, "unit": "fortnight"},
        None,
        -3,
    ],
    "unit": ["workers", "", None],
    "qualifier": ["exact", "approx", "at_least", "at_most", "roughly", None],
    "speaker": ["Union leader", "", None],
    "as_of": ["2024-02-08", "2024-02-30", None, "yesterday"],
    "polarity": ["affirms", "denies", "maybe", None],
    "after": ["Terminal opening", "", None],
    "status": ["confirmed", "suggested", "rejected", "deleted"],
}


@FUZZ
@given(body=json_values)
def test_post_articles_with_arbitrary_json(
    editor_client: APIClient, django_capture_on_commit_callbacks: Any, body: Any
) -> None:
    check(editor_client, "post", "/api/v1/articles/", body, django_capture_on_commit_callbacks)


@FUZZ
@given(body=near_valid(ARTICLE_BASES, ARTICLE_FIELDS))
def test_post_articles_with_near_valid_payloads(
    editor_client: APIClient, django_capture_on_commit_callbacks: Any, body: dict[str, Any]
) -> None:
    check(editor_client, "post", "/api/v1/articles/", body, django_capture_on_commit_callbacks)


@FUZZ
@given(body=json_values)
def test_post_claims_with_arbitrary_json(
    editor_client: APIClient, django_capture_on_commit_callbacks: Any, article: Article, body: Any
) -> None:
    check(editor_client, "post", "/api/v1/claims/", body, django_capture_on_commit_callbacks)


@FUZZ
@given(
    body=near_valid(CLAIM_BASES, CLAIM_FIELDS), article_ref=st.sampled_from(["real", "real", "missing"]) | json_values
)
def test_post_claims_with_near_valid_payloads(
    editor_client: APIClient,
    django_capture_on_commit_callbacks: Any,
    article: Article,
    body: dict[str, Any],
    article_ref: Any,
) -> None:
    ref = article.pk if article_ref == "real" else 10**9 if article_ref == "missing" else article_ref
    check(editor_client, "post", "/api/v1/claims/", {"article": ref, **body}, django_capture_on_commit_callbacks)


@FUZZ
@given(
    body=json_values
    | near_valid(
        [{"version": 1, **{k: v for k, v in base.items() if k != "kind"}} for base in CLAIM_BASES[:1]]
        + [{"version": 1, "attribute": "walkout"}],
        {**CLAIM_FIELDS, "version": [1, 2, 0, -1, "1", None]},
    ),
    if_match=st.sampled_from([None, '"claim-1-v1"', "v1", "*", "garbage", '"v999999999999999999999"']),
)
def test_patch_claims(
    editor_client: APIClient, django_capture_on_commit_callbacks: Any, article: Article, body: Any, if_match: str | None
) -> None:
    claim = Claim.objects.filter(article=article).first() or make_claim(article, "about 2,500 workers")
    headers: dict[str, Any] = (
        {} if if_match is None else {"HTTP_IF_MATCH": if_match.replace("1", str(claim.version), 1)}
    )
    before = row_counts()
    with django_capture_on_commit_callbacks(execute=True):
        answer = editor_client.patch(
            f"/api/v1/claims/{claim.pk}/", json.dumps(body, allow_nan=True), content_type="application/json", **headers
        )
    event(f"status {answer.status_code}")
    assert answer.status_code < 500, (body, if_match, answer.content[:500])
    if 400 <= answer.status_code < 500:
        assert row_counts() == before, (answer.status_code, answer.content[:300], body)
        claim_after = Claim.objects.get(pk=claim.pk)
        assert claim_after.version == claim.version


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"[]",
        b"null",
        b'"text"',
        b"\xff\xfe",
        b'{"text": "a\\ud800"}',
        b"NaN",
        b'{"text": NaN}',
        b"{" * 5000 + b"}" * 5000,
        b"[" * 100_000,
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/articles/", "/api/v1/claims/"])
def test_malformed_bodies(editor_client: APIClient, raw: bytes, path: str) -> None:
    make_article()
    before = row_counts()
    answer = editor_client.post(path, raw, content_type="application/json")
    assert 400 <= answer.status_code < 500, answer.content[:300]
    assert answer["Content-Type"].startswith("application/json")
    assert row_counts() == before
