"""The only schema.org ClaimReview of a contradiction, for the claim pages' JSON-LD, the API's
`contradictions/{id}/claimreview/` and the `claimreviews.jsonld` export: model rows in, claims.present.formats'
pure mapping out. `absolute` turns a site path into a full URL (the request's `build_absolute_uri`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from claims.models import Claim, Contradiction
from claims.present import formats

PUBLISHER = "Claim tracker"


def claim_side(claim: Claim, absolute: Callable[[str], str]) -> dict[str, Any]:
    """A claim as formats.claim_review reads it: its quote, where it appeared, who said it, when."""
    article = claim.article
    return {
        "quote": claim.quote,
        "source": article.url or absolute(reverse("article-detail", args=[article.pk])),
        "title": article.title,
        "speaker": claim.speaker.name if claim.speaker else None,
        "published_at": article.published_at,
    }


def claim_review(
    flag: Contradiction, absolute: Callable[[str], str], *, reviewed: Claim | None = None
) -> dict[str, Any]:
    """The reviewed flag as a ClaimReview of `reviewed` (one of its two claims; by default the later, `claim_b`),
    the other claim cited as what it is based on. `flag` needs both claims with their articles and speakers."""
    reviewed = reviewed or flag.claim_b
    other = flag.claim_a if reviewed.pk == flag.claim_b_id else flag.claim_b
    data = {
        "id": flag.pk,
        "url": absolute(reverse("web:contradiction", args=[flag.pk])),
        "status": flag.status,
        "kind": flag.kind,
        "explanation": flag.explanation,
        "note": flag.note,
        "reviewer": flag.reviewer.get_username() if flag.reviewer else None,
        "updated_at": flag.updated_at,
    }
    return formats.claim_review(data, claim_side(other, absolute), claim_side(reviewed, absolute), publisher=PUBLISHER)
