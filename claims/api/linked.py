"""Linked-data answers (W3C Web Annotation, schema.org ClaimReview): the request-bound URLs around the pure
mappings of claims.present.formats, the JSON-LD renderer and the schemas of the documents."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework.request import Request

from claims.api.jsonio import SafeJSONRenderer
from claims.models import Contradiction
from claims.present import formats, reviews

CLAIM_ROW_FIELDS = formats.CLAIM_ROW_FIELDS
PUBLISHER = reviews.PUBLISHER


class JSONLDRenderer(SafeJSONRenderer):
    media_type = "application/ld+json"


LD_RENDERERS = [JSONLDRenderer, SafeJSONRenderer]


def absolute(request: Request, path: str) -> str:
    return request.build_absolute_uri(path)


class Urls:
    """Absolute URLs for one request, built once (reverse() per row would dominate a large export)."""

    def __init__(self, request: Request) -> None:
        self.root = request.build_absolute_uri("/").rstrip("/")
        self._annotation = reverse("claim-annotation", args=[0])
        self._article = reverse("article-detail", args=[0])
        self._claim_page = reverse("web:claim", args=[0])

    def _fill(self, template: str, pk: int) -> str:
        return self.root + template.replace("/0/", f"/{pk}/", 1)

    def annotation(self, claim_id: int) -> str:
        return self._fill(self._annotation, claim_id)

    def article_source(self, article_id: int, url: str | None) -> str:
        return url or self._fill(self._article, article_id)

    def claim_page(self, claim_id: int) -> str:
        return self._fill(self._claim_page, claim_id)

    @property
    def generator(self) -> str:
        return self.root + "/"


def annotation_of(row: dict[str, Any], urls: Urls) -> dict[str, Any]:
    return formats.claim_annotation(
        row,
        annotation_id=urls.annotation(row["id"]),
        source=urls.article_source(row["article_id"], row["article__url"]),
        claim_page=urls.claim_page(row["id"]),
        generator=urls.generator,
    )


def annotation(request: Request, row: dict[str, Any]) -> dict[str, Any]:
    return annotation_of(row, Urls(request))


def claim_review(request: Request, flag: Contradiction) -> dict[str, Any]:
    """`flag` comes from selectors.contradiction_list() (both claims, their articles and speakers joined)."""
    return reviews.claim_review(flag, request.build_absolute_uri)


_SELECTOR = {
    "type": "object",
    "required": ["type"],
    "properties": {
        "type": {"type": "string", "enum": ["TextQuoteSelector", "TextPositionSelector"]},
        "exact": {"type": "string"},
        "prefix": {"type": "string"},
        "suffix": {"type": "string"},
        "start": {"type": "integer"},
        "end": {"type": "integer"},
    },
}

AnnotationOut: dict[str, Any] = {
    "type": "object",
    "description": "A W3C Web Annotation (https://www.w3.org/TR/annotation-model/) in JSON-LD.",
    "required": ["@context", "id", "type", "motivation", "body", "target"],
    "properties": {
        "@context": {"type": "string", "enum": [formats.ANNOTATION_CONTEXT]},
        "id": {"type": "string", "format": "uri"},
        "type": {"type": "string", "enum": ["Annotation"]},
        "motivation": {"type": "string"},
        "created": {"type": "string", "format": "date-time", "nullable": True},
        "modified": {"type": "string", "format": "date-time", "nullable": True},
        "generator": {"type": "object"},
        "body": {"type": "array", "items": {"type": "object"}},
        "target": {
            "type": "object",
            "required": ["source", "selector"],
            "properties": {
                "source": {"type": "string", "format": "uri"},
                "selector": {"type": "array", "items": _SELECTOR},
            },
        },
    },
}

AnnotationCollectionOut: dict[str, Any] = {
    "type": "object",
    "description": "A W3C Web Annotation collection with every matching claim in its first (only) page.",
    "required": ["@context", "type", "first"],
    "properties": {
        "@context": {"type": "string"},
        "type": {"type": "string", "enum": ["AnnotationCollection"]},
        "label": {"type": "string"},
        "first": {
            "type": "object",
            "properties": {"type": {"type": "string"}, "items": {"type": "array", "items": AnnotationOut}},
        },
    },
}

ClaimReviewOut: dict[str, Any] = {
    "type": "object",
    "description": "A schema.org ClaimReview (https://schema.org/ClaimReview) in JSON-LD: the later claim of a "
    "reviewed pair, the earlier one in `isBasedOn`, the outcome in `reviewRating` "
    "(1 contradicted, 2 updated by a later report, 3 no contradiction).",
    "required": ["@context", "@type", "url", "claimReviewed", "itemReviewed", "reviewRating"],
    "properties": {
        "@context": {"type": "string"},
        "@type": {"type": "string", "enum": ["ClaimReview"]},
        "@id": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "datePublished": {"type": "string", "nullable": True},
        "author": {"type": "object"},
        "creator": {"type": "object"},
        "claimReviewed": {"type": "string"},
        "itemReviewed": {"type": "object"},
        "isBasedOn": {"type": "object"},
        "reviewRating": {"type": "object"},
        "reviewBody": {"type": "string"},
        "keywords": {"type": "string"},
    },
}

ClaimReviewGraphOut: dict[str, Any] = {
    "type": "object",
    "required": ["@context", "@graph"],
    "properties": {"@context": {"type": "string"}, "@graph": {"type": "array", "items": ClaimReviewOut}},
}
