"""Streamed exports. Each reads flat `values()` rows from a database cursor in chunks and writes them out one at a
time, so memory stays flat whatever the number of rows; the claim exports take the claim list's filters."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.request import Request
from rest_framework.views import APIView

from claims import selectors
from claims.api import linked
from claims.api.filters import ClaimFilter
from claims.api.jsonio import SafeJSONRenderer
from claims.models import Claim
from claims.present import formats

CHUNK_ROWS = 2000


class _FirstRenderer(BaseContentNegotiation):
    """Exports answer in their own format whatever `Accept` says; errors are JSON."""

    def select_parser(self, request: Any, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Any, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


def _stream(chunks: Iterable[str], content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse((chunk.encode() for chunk in chunks), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class _Export(GenericAPIView):
    renderer_classes = [SafeJSONRenderer]
    content_negotiation_class = _FirstRenderer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClaimFilter
    filters_in_schema = True
    pagination_class = None
    queryset = Claim.objects.all()

    def rows(self, request: Request) -> Iterator[dict[str, Any]]:
        return selectors.claim_rows(self.filter_queryset(self.get_queryset()), formats.CLAIM_ROW_FIELDS, CHUNK_ROWS)


class ClaimsCsv(_Export):
    @extend_schema(
        operation_id="exports_claims_csv",
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description=(
                    "One row per claim (the claim list's filters apply), header first; a structured `value` is JSON."
                ),
            )
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        records = (formats.claim_record(row) for row in self.rows(request))
        return _stream(formats.csv_lines(records), "text/csv; charset=utf-8", "claims.csv")


class ClaimsJsonl(_Export):
    @extend_schema(
        operation_id="exports_claims_jsonl",
        responses={
            (200, "application/jsonl"): OpenApiResponse(
                OpenApiTypes.STR,
                description=("JSON Lines: one claim object per line (the claim list's filters apply)."),
            )
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        lines = (formats.jsonl_line(formats.claim_record(row)) for row in self.rows(request))
        return _stream(lines, "application/jsonl; charset=utf-8", "claims.jsonl")


def _json_document(head: dict[str, Any], key_path: tuple[str, ...], items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """`head` as JSON with the array at `key_path` filled from `items`, written item by item."""
    marker = "\u0000items\u0000"
    holder: Any = head
    for key in key_path[:-1]:
        holder = holder[key]
    holder[key_path[-1]] = marker
    before, after = json.dumps(head, ensure_ascii=False).split(json.dumps(marker), 1)
    yield before + "["
    for index, item in enumerate(items):
        yield ("," if index else "") + json.dumps(item, ensure_ascii=False)
    yield "]" + after


class AnnotationsJsonld(_Export):
    renderer_classes = [linked.JSONLDRenderer]

    @extend_schema(
        operation_id="exports_annotations_jsonld",
        responses={
            (200, "application/ld+json"): OpenApiResponse(
                linked.AnnotationCollectionOut,
                description=("Every matching claim as a W3C Web Annotation, in one AnnotationCollection."),
            )
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        urls = linked.Urls(request)
        items = (linked.annotation_of(row, urls) for row in self.rows(request))
        head = {
            "@context": formats.ANNOTATION_CONTEXT,
            "type": "AnnotationCollection",
            "label": "Claims tagged in the claim tracker",
            "first": {"type": "AnnotationPage", "items": []},
        }
        return _stream(
            _json_document(head, ("first", "items"), items),
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
            "annotations.jsonld",
        )


class ClaimReviewsJsonld(APIView):
    renderer_classes = [linked.JSONLDRenderer]
    content_negotiation_class = _FirstRenderer

    @extend_schema(
        operation_id="exports_claimreviews_jsonld",
        responses={
            (200, "application/ld+json"): OpenApiResponse(
                linked.ClaimReviewGraphOut,
                description=(
                    "Every reviewed contradiction (confirmed, dismissed or superseded) as a schema.org ClaimReview."
                ),
            )
        },
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        flags = selectors.contradictions_reviewed().iterator(chunk_size=500)
        items = (linked.claim_review(request, flag) for flag in flags)
        head = {"@context": formats.SCHEMA_ORG, "@graph": []}
        return _stream(_json_document(head, ("@graph",), items), "application/ld+json", "claimreviews.jsonld")
