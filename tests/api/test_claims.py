"""The claims API as API.md fixes it: validation per kind (400 naming the field, nothing stored), concurrent-edit
refusal, filters, history, and a list whose query count does not grow with its length."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims.models import Article, AuditEvent, Claim, Subject
from tests.factories import ARTICLE_TEXT, make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def article() -> Article:
    return make_article()


def _post(client: APIClient, article: Article, **fields: Any) -> Any:
    body = {
        "article": article.pk,
        "kind": "quantity",
        "subject": "Port workers on strike",
        "attribute": "striker count",
        "quote": "about 2,500 workers",
        "value": 2500,
        "unit": "workers",
        "qualifier": "approx",
        **fields,
    }
    return client.post("/api/v1/claims/", {k: v for k, v in body.items() if v is not ...}, format="json")


def test_create_answers_the_claim_with_every_contract_field(editor_client: APIClient, article: Article) -> None:
    answer = _post(editor_client, article, speaker="Harbour officials", as_of="2025-03-14")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    for field in (
        "id",
        "article",
        "quote",
        "start",
        "end",
        "kind",
        "subject",
        "attribute",
        "value",
        "unit",
        "qualifier",
        "speaker",
        "as_of",
        "polarity",
        "after",
        "status",
        "checked_at",
        "contradictions",
        "page",
    ):
        assert field in body, field
    assert body["start"] == ARTICLE_TEXT.index("about 2,500 workers")
    assert body["end"] == body["start"] + len("about 2,500 workers")
    assert (body["value"], body["unit"], body["qualifier"], body["status"]) == (2500, "workers", "approx", "confirmed")
    assert body["speaker"] == "Harbour officials"
    # The version for If-Match, then a digest of the representation for If-None-Match.
    assert answer["ETag"].startswith(f'"claim-{body["id"]}-v1-')


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"value": None}, "value"),
        ({"value": "lots"}, "value"),
        ({"value": {"min": 9, "max": 3}}, "value"),
        ({"value": {"min": 1}}, "value"),
        ({"kind": "date", "value": "2024-02-30"}, "value"),
        ({"kind": "date", "value": "2024-13"}, "value"),
        ({"kind": "date", "value": "March 2019"}, "value"),
        ({"kind": "duration", "value": {"min": 5, "max": 2, "unit": "year"}}, "value"),
        ({"kind": "duration", "value": {"min": 2, "max": 5}}, "value"),
        ({"kind": "duration", "value": {"min": 2, "max": 5, "unit": "fortnight"}}, "value"),
        ({"kind": "statement", "value": None, "polarity": "maybe"}, "polarity"),
        ({"quote": "not in the article at all"}, "quote"),
        ({"quote": "said"}, "quote"),
        ({"start": 0, "end": 5}, "quote"),
        ({"quote": ..., "start": 5, "end": 99999}, "start"),
        ({"quote": ..., "start": 9, "end": 4}, "start"),
        ({"qualifier": "roughly"}, "qualifier"),
        ({"as_of": "2025-02-30"}, "as_of"),
        ({"subject": ""}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"attribute": ""}, "attribute"),
        ({"surprise": 1}, "surprise"),
        ({"kind": "statement", "value": 3, "polarity": "affirms"}, "value"),
    ],
)
def test_invalid_claims_are_refused_naming_the_field(
    editor_client: APIClient, article: Article, fields: dict[str, Any], field: str
) -> None:
    events = AuditEvent.objects.count()
    answer = _post(editor_client, article, **fields)
    assert answer.status_code == 400, answer.content
    assert field in answer.json(), answer.json()
    assert Claim.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_a_repeated_quote_is_refused_with_its_offsets(editor_client: APIClient, article: Article) -> None:
    answer = _post(editor_client, article, quote="The terminal opened in March")
    assert answer.status_code == 400
    message = answer.json()["quote"][0]
    for at in (ARTICLE_TEXT.index("The terminal opened in March"), ARTICLE_TEXT.rindex("The terminal opened in March")):
        assert f"{at}..{at + len('The terminal opened in March')}" in message
    chosen = ARTICLE_TEXT.rindex("The terminal opened in March")
    ok = _post(
        editor_client,
        article,
        kind="date",
        value="2021-03",
        quote="The terminal opened in March",
        start=chosen,
        end=chosen + len("The terminal opened in March"),
        unit=None,
        qualifier=None,
    )
    assert ok.status_code == 201, ok.content


def test_values_round_trip_for_every_kind(editor_client: APIClient, article: Article) -> None:
    cases: list[dict[str, Any]] = [
        {"quote": "2,400 workers", "value": {"min": 2300, "max": 2400}, "qualifier": "exact"},
        {"kind": "date", "quote": "March 2019", "value": "2019-03", "unit": None, "qualifier": None},
        {"kind": "date", "quote": "2021", "value": "2021", "unit": None, "qualifier": None},
        {
            "kind": "duration",
            "quote": "several months",
            "value": {"min": 3, "max": None, "unit": "month"},
            "unit": None,
            "qualifier": "at_least",
        },
        {
            "kind": "statement",
            "quote": "The dispute could last",
            "value": None,
            "unit": None,
            "qualifier": None,
            "polarity": "denies",
        },
        {
            "kind": "attribution",
            "quote": "the authority said",
            "value": None,
            "unit": None,
            "qualifier": None,
            "speaker": "Port authority",
        },
    ]
    for case in cases:
        answer = _post(editor_client, article, **case)
        assert answer.status_code == 201, (case, answer.content)
        body = answer.json()
        assert body["value"] == case["value"]
        if "polarity" in case:
            assert body["polarity"] == case["polarity"]


def test_unknown_article_is_a_400(editor_client: APIClient) -> None:
    answer = editor_client.post(
        "/api/v1/claims/",
        {"article": 999999, "kind": "statement", "subject": "x", "attribute": "y", "quote": "z"},
        format="json",
    )
    assert answer.status_code == 400
    assert "article" in answer.json()


def test_a_stale_update_is_refused_with_the_current_state(editor_client: APIClient, article: Article) -> None:
    claim_id = _post(editor_client, article).json()["id"]
    first = editor_client.patch(f"/api/v1/claims/{claim_id}/", {"version": 1, "value": 2600}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    stale = editor_client.patch(f"/api/v1/claims/{claim_id}/", {"version": 1, "value": 2700}, format="json")
    assert stale.status_code == 412
    assert stale.json()["current"]["value"] == 2600
    assert Claim.objects.get(pk=claim_id).qty_min == 2600
    by_header = editor_client.patch(
        f"/api/v1/claims/{claim_id}/", {"value": 2700}, format="json", HTTP_IF_MATCH=f'"claim-{claim_id}-v1"'
    )
    assert by_header.status_code == 412
    fresh = editor_client.patch(
        f"/api/v1/claims/{claim_id}/", {"value": 2700}, format="json", HTTP_IF_MATCH=first["ETag"]
    )
    assert fresh.status_code == 200
    assert editor_client.patch(f"/api/v1/claims/{claim_id}/", {"value": 1}, format="json").status_code == 428


def test_a_retried_edit_that_already_landed_is_not_a_conflict(editor_client: APIClient, article: Article) -> None:
    """A client whose answer was lost sends the same edit again at the version it read: the claim already holds it, so
    the answer is 200 with the claim as it is; no new version, no audit row. A different edit at that version is
    still a 412, and a new subject named by a refused edit is not created."""
    claim_id = _post(editor_client, article).json()["id"]
    edit = {"version": 1, "value": 2600, "qualifier": "approx"}
    first = editor_client.patch(f"/api/v1/claims/{claim_id}/", edit, format="json")
    assert first.status_code == 200, first.content
    events = AuditEvent.objects.filter(entity="claim", entity_id=claim_id).count()
    again = editor_client.patch(f"/api/v1/claims/{claim_id}/", edit, format="json")
    assert again.status_code == 200, again.content
    assert again.json()["version"] == 2 and again.json()["value"] == 2600
    assert AuditEvent.objects.filter(entity="claim", entity_id=claim_id).count() == events
    other = editor_client.patch(
        f"/api/v1/claims/{claim_id}/", {"version": 1, "value": 2600, "subject": "a subject nobody named"}, format="json"
    )
    assert other.status_code == 412
    assert not Subject.objects.filter(name="a subject nobody named").exists()
    assert Claim.objects.get(pk=claim_id).version == 2


def test_bad_input_is_named_before_a_stale_version(editor_client: APIClient, article: Article) -> None:
    """A value no version would take is a 400 naming it, even with a stale version (found by schemathesis)."""
    claim_id = _post(editor_client, article).json()["id"]
    too_big = editor_client.patch(f"/api/v1/claims/{claim_id}/", {"version": 99, "value": 3.9e99}, format="json")
    assert too_big.status_code == 400, too_big.content
    assert "value" in too_big.json()
    assert Claim.objects.get(pk=claim_id).version == 1
    stale = editor_client.patch(f"/api/v1/claims/{claim_id}/", {"version": 99, "value": 2700}, format="json")
    assert stale.status_code == 412


def test_an_invalid_edit_changes_nothing(editor_client: APIClient, article: Article) -> None:
    claim_id = _post(editor_client, article).json()["id"]
    answer = editor_client.patch(
        f"/api/v1/claims/{claim_id}/", {"version": 1, "kind": "date", "value": "2024-02-30"}, format="json"
    )
    assert answer.status_code == 400
    assert "value" in answer.json()
    claim = Claim.objects.get(pk=claim_id)
    assert (claim.kind, claim.version, claim.qty_min) == ("quantity", 1, 2500)


def test_reject_confirm_and_delete(editor_client: APIClient, article: Article) -> None:
    claim_id = _post(editor_client, article).json()["id"]
    rejected = editor_client.patch(f"/api/v1/claims/{claim_id}/", {"version": 1, "status": "rejected"}, format="json")
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["checked_at"] is None
    assert editor_client.delete(f"/api/v1/claims/{claim_id}/").status_code == 204
    assert not Claim.objects.filter(pk=claim_id).exists()
    history = AuditEvent.objects.filter(entity="claim", entity_id=claim_id).values_list("action", flat=True)
    assert list(history.order_by("id")) == ["create", "update", "delete"]


def test_history_endpoint_lists_every_change(editor_client: APIClient, article: Article) -> None:
    claim_id = _post(editor_client, article).json()["id"]
    editor_client.patch(f"/api/v1/claims/{claim_id}/", {"version": 1, "value": 2600}, format="json")
    history = editor_client.get(f"/api/v1/claims/{claim_id}/history/").json()
    assert [event["action"] for event in history] == ["create", "update"]
    assert history[1]["changes"]["qty_min"] == [2500.0, 2600.0]
    assert history[1]["actor"] == "ed"


def test_filters(anon_client: APIClient, editor_client: APIClient, article: Article) -> None:
    other = make_article(title="Other")
    make_claim(article, "about 2,500 workers", speaker="Harbour officials")
    make_claim(
        article, "March 2019", kind="date", value="2019-03", subject="Kessling terminal", attribute="opening date"
    )
    make_claim(other, "2,400 workers", value=2400, status="suggested")

    def ids(query: str, client: APIClient = anon_client) -> int:
        return len(client.get(f"/api/v1/claims/?{query}").json()["results"])

    assert ids(f"article={article.pk}") == 2
    assert ids("kind=date") == 1
    assert ids("subject=kessling TERMINAL") == 1
    # Lists hold confirmed claims unless an editor asks for suggestions: the suggestion is not counted here.
    assert ids("attribute=Striker Count") == 1
    assert ids("attribute=Striker Count", editor_client) == 1
    assert ids("speaker=harbour officials") == 1
    assert ids("status=suggested") == 0
    assert ids("status=suggested", editor_client) == 1
    assert ids(f"article={other.pk}&status=suggested", editor_client) == 1
    assert ids(f"article={other.pk}") == 0
    assert ids("updated_since=2000-01-01T00:00:00Z") == 2
    assert ids("as_of_after=2030-01-01") == 0


def _list_queries(client: APIClient, count: int, article: Article) -> int:
    quotes = ["about 2,500 workers", "2,400 workers", "March 2019", "March 2021"]
    for index in range(count - Claim.objects.count()):
        quote = quotes[index % 2]
        at = ARTICLE_TEXT.index(quote)
        make_claim(
            article,
            quote,
            start=at,
            end=at + len(quote),
            subject=f"Subject {index % 7}",
            speaker=f"Speaker {index % 5}",
        )
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/api/v1/claims/?page_size=500")
        assert answer.status_code == 200
    assert len(answer.json()["results"]) == count
    return len(queries)


def test_the_claim_list_costs_the_same_queries_for_5_or_200_claims(anon_client: APIClient, article: Article) -> None:
    few = _list_queries(anon_client, 5, article)
    many = _list_queries(anon_client, 200, article)
    assert few == many, (few, many)
