"""Exports: CSV and JSON Lines streamed with flat memory (100,000 claims), the claim list's filters, JSON-LD."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from claims import services
from claims.models import Claim
from claims.present import formats
from tests.api import bulk
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def _stream_peak(client: Any, path: str) -> tuple[int, int, bytes, bytes]:
    """(rows, peak bytes traced while streaming, first chunk, last chunk) — the body is never held whole."""
    tracemalloc.start()
    try:
        answer = client.get(path)
        assert answer.status_code == 200
        assert answer.streaming
        lines = 0
        first = last = b""
        for chunk in answer.streaming_content:
            first = first or chunk
            last = chunk
            lines += chunk.count(b"\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return lines, peak, first, last


def test_100k_claims_stream_as_csv_and_jsonl_in_flat_memory(editor: User) -> None:
    client = Client()
    articles = bulk.articles(50)
    bulk.claims(10_000, on=articles)
    small = {fmt: _stream_peak(client, f"/api/v1/exports/claims.{fmt}") for fmt in ("csv", "jsonl")}
    bulk.claims(90_000, on=articles)
    assert Claim.objects.count() == 100_000
    large = {fmt: _stream_peak(client, f"/api/v1/exports/claims.{fmt}") for fmt in ("csv", "jsonl")}

    assert small["csv"][0] == 10_001 and large["csv"][0] == 100_001  # header + rows
    assert small["jsonl"][0] == 10_000 and large["jsonl"][0] == 100_000
    for fmt in ("csv", "jsonl"):
        small_peak, large_peak = small[fmt][1], large[fmt][1]
        # Ten times the rows, about the same memory: one chunk of rows at a time, never the whole export.
        assert large_peak < small_peak * 1.5 + 512 * 1024, (fmt, small_peak, large_peak)
    assert large["csv"][2].startswith(b"id,article,article_url,")
    record = json.loads(large["jsonl"][3])
    assert record["id"] == Claim.objects.order_by("-id").values_list("id", flat=True)[0]


def test_exports_take_the_claim_list_filters(anon_client: Any) -> None:
    made = bulk.claims(25)
    dates = sum(1 for claim in made if claim.kind == "date")
    answer = anon_client.get("/api/v1/exports/claims.csv?kind=date")
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert len(rows) == dates
    assert {row["kind"] for row in rows} == {"date"}
    assert rows[0]["value"] == "2019-03"

    quantity = next(claim for claim in made if claim.kind == "quantity")
    assert quantity.subject is not None
    lines = (
        b"".join(
            anon_client.get(
                f"/api/v1/exports/claims.jsonl?kind=quantity&subject={quantity.subject_id}"
            ).streaming_content
        )
        .decode()
        .splitlines()
    )
    records = [json.loads(line) for line in lines]
    assert records and all(r["kind"] == "quantity" and r["subject"] == quantity.subject.name for r in records)
    assert records[0]["value"] == Claim.objects.get(pk=records[0]["id"]).qty_min
    assert {"article_url", "outlet", "speaker", "as_of", "updated_at"} <= set(records[0])

    refused = anon_client.get("/api/v1/exports/claims.csv?kind=rumour")
    assert refused.status_code == 400
    assert "kind" in refused.json()


def test_a_claim_as_a_web_annotation(anon_client: Any) -> None:
    claim = bulk.claims(5)[1]
    assert claim.subject is not None
    article = claim.article
    body = anon_client.get(f"/api/v1/claims/{claim.pk}/annotation/").json()
    assert body["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert body["type"] == "Annotation"
    assert body["id"].endswith(f"/api/v1/claims/{claim.pk}/annotation/")
    assert body["target"]["source"] == article.url
    quote, position = body["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": claim.quote, "prefix": claim.prefix, "suffix": claim.suffix}
    assert position == {"type": "TextPositionSelector", "start": claim.start, "end": claim.end}
    assert article.text[position["start"] : position["end"]] == quote["exact"]
    assert {"purpose": "tagging", "type": "TextualBody", "value": claim.subject.name} in body["body"]

    # An article without a URL is pointed at by its API URL.
    type(article).objects.filter(pk=article.pk).update(url=None)
    body = anon_client.get(f"/api/v1/claims/{claim.pk}/annotation/").json()
    assert body["target"]["source"].endswith(f"/api/v1/articles/{article.pk}/")

    collection = json.loads(b"".join(anon_client.get("/api/v1/exports/annotations.jsonld").streaming_content))
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    assert [item["id"].rsplit("/", 3)[-3] for item in items] == [
        str(c) for c in sorted(Claim.objects.values_list("id", flat=True))
    ]
    assert anon_client.get("/api/v1/claims/999999/annotation/").status_code == 404


def test_reviewed_contradictions_as_claimreviews(anon_client: Any, editor: User) -> None:
    flags = bulk.contradictions(bulk.claims(12), reviewer=editor)
    reviewed = [flag for flag in flags if flag.status != "open"]
    graph = json.loads(b"".join(anon_client.get("/api/v1/exports/claimreviews.jsonld").streaming_content))
    assert sorted(item["url"].rstrip("/").rsplit("/", 1)[-1] for item in graph["@graph"]) == sorted(
        str(flag.pk) for flag in reviewed
    )
    confirmed = next(flag for flag in reviewed if flag.status == "confirmed")
    review = anon_client.get(f"/api/v1/contradictions/{confirmed.pk}/claimreview/").json()
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == confirmed.claim_b.quote
    assert review["itemReviewed"]["appearance"][0]["url"] == confirmed.claim_b.article.url
    assert review["isBasedOn"]["text"] == confirmed.claim_a.quote
    assert review["reviewRating"]["ratingValue"] == 1
    assert review["creator"]["name"] == editor.username
    assert "checked by phone" in review["reviewBody"]
    still_open = next(flag for flag in flags if flag.status == "open")
    assert anon_client.get(f"/api/v1/contradictions/{still_open.pk}/claimreview/").status_code == 404


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(anon_client: Any) -> None:
    text = "=1+1 dockworkers walked out, the union said.\n\nThe port reopened later."
    article = make_article(
        title='=HYPERLINK("http://x.example","click")',
        text=text,
        raw=text,
        outlet=services.outlet_get_or_create(name="@outlet"),
    )
    make_claim(
        article,
        "=1+1 dockworkers",
        value=2,
        unit="-units",
        subject="+SUM(A1:A9)",
        attribute="@count",
        speaker="-2+3",
        after="-earlier event",
    )
    rows = list(
        csv.DictReader(io.StringIO(b"".join(anon_client.get("/api/v1/exports/claims.csv").streaming_content).decode()))
    )
    assert len(rows) == 1
    row = rows[0]
    expected = {
        "article_title": '\'=HYPERLINK("http://x.example","click")',
        "outlet": "'@outlet",
        "quote": "'=1+1 dockworkers",
        "subject": "'+SUM(A1:A9)",
        "attribute": "'@count",
        "unit": "'-units",
        "speaker": "'-2+3",
        "after": "'-earlier event",
    }
    for column, value in expected.items():
        assert row[column] == value, (column, row[column])
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())
    # JSON Lines is data, not a spreadsheet: the values come out as stored.
    record = json.loads(b"".join(anon_client.get("/api/v1/exports/claims.jsonl").streaming_content))
    assert record["subject"] == "+SUM(A1:A9)" and record["quote"] == "=1+1 dockworkers"


@pytest.mark.parametrize("text", ["=1", "+1", "-1", "@a", "\tx", "\rx"])
def test_every_formula_start_is_quoted(text: str) -> None:
    assert formats.csv_text(text) == "'" + text
    assert formats.csv_text("a" + text) == "a" + text
