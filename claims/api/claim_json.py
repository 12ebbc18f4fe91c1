"""A claim as the API writes it (API.md), in one place: `claim_json` builds it from one row of
selectors.CLAIM_API_ROW (a list page reads those rows with values(), no model instances) and `claim_row_of` gives
that row for a model instance (one claim: serializers.ClaimOut). Imported by claims.api only."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone

from claims import selectors
from claims.models import Claim
from claims.present import formats

__all__ = ["claim_json", "claim_row_of", "claim_rows_json"]


# A claim row's own columns (selectors.CLAIM_API_ROW less the joined names).
_OWN_COLUMNS = tuple(name for name in selectors.CLAIM_API_ROW if "__" not in name)


@functools.cache
def _claim_page() -> str:
    return reverse("web:claim", args=[0])


def claim_json(
    row: Mapping[str, Any], contradictions: list[int], zone: datetime.tzinfo | None = None
) -> dict[str, Any]:
    """A claim as the API writes it (API.md), from one row of selectors.CLAIM_API_ROW and its standing flags' ids:
    the one home of the claim's JSON, for a list page's rows and for one claim (ClaimOut)."""
    confirmed = row["status"] == Claim.Status.CONFIRMED
    zone = zone or timezone.get_current_timezone()
    return {
        "id": row["id"],
        "article": row["article_id"],
        "quote": row["quote"],
        "start": row["start"],
        "end": row["end"],
        "kind": row["kind"],
        "subject": row["subject__name"],
        "attribute": row["attribute"],
        "value": formats.claim_value(row),
        "unit": row["unit"] or None,
        "qualifier": row["qualifier"],
        "speaker": row["speaker__name"],
        "as_of": row["as_of"].isoformat() if row["as_of"] else None,
        "polarity": row["polarity"] or None,
        "after": row["after__name"],
        "proposed_subject": row["proposed_subject"] or None,
        "proposed_speaker": row["proposed_speaker"] or None,
        "proposed_after": row["proposed_after"] or None,
        "proposed_speaker_role": row["proposed_speaker_role"] or None,
        "status": row["status"],
        "checked_at": formats.iso(row["checked_at"], zone),
        "contradictions": contradictions,
        "version": row["version"],
        "orphaned": row["orphaned"],
        "outlet": row["article__outlet__name"],
        "created_at": formats.iso(row["created_at"], zone),
        "updated_at": formats.iso(row["updated_at"], zone),
        "page": _claim_page().replace("/0/", f"/{row['id']}/", 1) if confirmed else None,
    }


def claim_rows_json(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A list page's claims (CLAIM_API_ROW rows) as the API writes them, their flags read in one query."""
    flags = selectors.contradiction_ids_by_claim([row["id"] for row in rows])
    zone = timezone.get_current_timezone()
    return [claim_json(row, flags[row["id"]], zone) for row in rows]


def claim_row_of(claim: Claim) -> dict[str, Any]:
    """The CLAIM_API_ROW row of a model instance (with its subject, speaker, after and article.outlet loaded)."""
    return {
        **{name: getattr(claim, name) for name in _OWN_COLUMNS},
        "subject__name": claim.subject.name if claim.subject else None,
        "speaker__name": claim.speaker.name if claim.speaker else None,
        "after__name": claim.after.name if claim.after else None,
        "article__outlet__name": claim.article.outlet.name if claim.article.outlet else None,
    }
