"""Claim rows as CSV / JSON Lines records, W3C Web Annotations and schema.org ClaimReviews. Pure: no Django.

A *claim row* is a flat mapping with the keys of `CLAIM_ROW_FIELDS` (what `QuerySet.values()` gives for them), so
that exports can stream straight from a database cursor without building model objects.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from claims.values import StoredValue, from_columns

CLAIM_ROW_FIELDS: tuple[str, ...] = (
    "id",
    "article_id",
    "article__url",
    "article__title",
    "article__outlet__name",
    "article__published_at",
    "quote",
    "start",
    "end",
    "prefix",
    "suffix",
    "kind",
    "subject__name",
    "attribute",
    "qty_min",
    "qty_max",
    "unit",
    "qualifier",
    "date_value",
    "date_precision",
    "dur_min",
    "dur_max",
    "dur_unit",
    "speaker__name",
    "as_of",
    "polarity",
    "after__name",
    "status",
    "checked_at",
    "version",
    "orphaned",
    "created_at",
    "updated_at",
)

# The exported record, in column order. `value` has the API's shape (API.md); in CSV a structured value is
# written as compact JSON so that nothing is lost.
EXPORT_COLUMNS: tuple[str, ...] = (
    "id",
    "article",
    "article_url",
    "article_title",
    "outlet",
    "published_at",
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
    "version",
    "orphaned",
    "created_at",
    "updated_at",
)

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SCHEMA_ORG = "https://schema.org"

# ClaimReview rating for each review outcome of a flagged pair: 1 = the reports contradict each other.
REVIEW_RATINGS: dict[str, tuple[int, str]] = {
    "confirmed": (1, "Contradicted by another report"),
    "superseded": (2, "Updated by a later report"),
    "dismissed": (3, "No contradiction"),
}
REVIEWED_STATUSES = tuple(REVIEW_RATINGS)


def iso(value: Any, zone: datetime.tzinfo | None = None) -> str | None:
    """A date or moment in ISO 8601 as every surface writes it: UTC as `Z`; a moment moved to `zone` first when
    one is given (the API writes moments in the current time zone, as DRF's DateTimeField does)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        text = (value.astimezone(zone) if zone is not None else value).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _or_none(text: Any) -> Any:
    return text if text not in ("", None) else None


def claim_value(row: Mapping[str, Any]) -> Any:
    return from_columns(
        row["kind"],
        StoredValue(
            qty_min=row["qty_min"],
            qty_max=row["qty_max"],
            date_value=row["date_value"],
            date_precision=row["date_precision"] or "",
            dur_min=row["dur_min"],
            dur_max=row["dur_max"],
            dur_unit=row["dur_unit"] or "",
        ),
    )


def claim_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """One claim row as the exported record (JSON-ready: dates as ISO 8601 strings)."""
    return {
        "id": row["id"],
        "article": row["article_id"],
        "article_url": _or_none(row["article__url"]),
        "article_title": row["article__title"] or "",
        "outlet": _or_none(row["article__outlet__name"]),
        "published_at": iso(row["article__published_at"]),
        "quote": row["quote"],
        "start": row["start"],
        "end": row["end"],
        "kind": row["kind"],
        "subject": row["subject__name"],
        "attribute": row["attribute"],
        "value": claim_value(row),
        "unit": _or_none(row["unit"]),
        "qualifier": row["qualifier"],
        "speaker": _or_none(row["speaker__name"]),
        "as_of": iso(row["as_of"]),
        "polarity": _or_none(row["polarity"]),
        "after": _or_none(row["after__name"]),
        "status": row["status"],
        "checked_at": iso(row["checked_at"]),
        "version": row["version"],
        "orphaned": bool(row["orphaned"]),
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
    }


def jsonl_line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


# OWASP's rule against CSV injection: a text cell a spreadsheet would read as a formula (or as the start of one)
# is prefixed with a single quote, which spreadsheets show as text. Numbers are written as numbers, unchanged.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_text(value)
    return value


def csv_lines(records: Iterable[Mapping[str, Any]], columns: tuple[str, ...] = EXPORT_COLUMNS) -> Iterator[str]:
    """The header, then one CSV line per record (RFC 4180 quoting, CRLF line ends), produced one at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    writer.writerow(columns)
    yield flush()
    for record in records:
        writer.writerow([_csv_cell(record[name]) for name in columns])
        yield flush()


def claim_annotation(
    row: Mapping[str, Any],
    *,
    annotation_id: str,
    source: str,
    claim_page: str | None = None,
    generator: str | None = None,
) -> dict[str, Any]:
    """A claim as a W3C Web Annotation: its span of the article's text (quote and position selectors) tagged with
    the subject and described by its attribute and value. `source` is the article's URL, or its API URL when the
    article has none; offsets count characters of the article's cleaned `text`."""
    value = claim_value(row)
    description = f"{row['attribute']}: {json.dumps(value, ensure_ascii=False) if value is not None else row['kind']}"
    if row["unit"]:
        description += f" {row['unit']}"
    if row["speaker__name"]:
        description += f" (according to {row['speaker__name']})"
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "purpose": "tagging", "value": row["subject__name"]},
        {"type": "TextualBody", "purpose": "classifying", "value": row["kind"]},
        {"type": "TextualBody", "purpose": "describing", "value": description, "format": "text/plain"},
    ]
    if claim_page:
        body.append({"type": "SpecificResource", "purpose": "identifying", "source": claim_page})
    annotation: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": annotation_id,
        "type": "Annotation",
        "motivation": "tagging",
        "created": iso(row["created_at"]),
        "modified": iso(row["updated_at"]),
        "body": body,
        "target": {
            "source": source,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": row["quote"],
                    "prefix": row["prefix"] or "",
                    "suffix": row["suffix"] or "",
                },
                {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]},
            ],
        },
    }
    if generator:
        annotation["generator"] = {"id": generator, "type": "Software", "name": "Claim tracker"}
    return annotation


def _claim_item(claim: Mapping[str, Any]) -> dict[str, Any]:
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": claim["source"]}
    if claim.get("title"):
        appearance["headline"] = claim["title"]
    if claim.get("published_at"):
        appearance["datePublished"] = iso(claim["published_at"])
    item: dict[str, Any] = {"@type": "Claim", "text": claim["quote"], "appearance": [appearance]}
    if claim.get("speaker"):
        item["author"] = {"@type": "Thing", "name": claim["speaker"]}
    if claim.get("published_at"):
        item["datePublished"] = iso(claim["published_at"])
    return item


def claim_review(
    flag: Mapping[str, Any], claim_a: Mapping[str, Any], claim_b: Mapping[str, Any], *, publisher: str
) -> dict[str, Any]:
    """A reviewed contradiction as a schema.org ClaimReview of its later claim (`claim_b`), the earlier one cited.

    `flag` needs id, url (its page), status, kind, explanation, note, reviewer, updated_at; each claim needs
    quote, source (article URL or API URL), and optionally title, speaker, published_at.
    """
    if flag["status"] not in REVIEW_RATINGS:
        raise ValueError(f"only reviewed contradictions have a ClaimReview, not status {flag['status']!r}")
    rating, label = REVIEW_RATINGS[flag["status"]]
    body = flag["explanation"]
    if flag.get("note"):
        body += f" Reviewer's note: {flag['note']}"
    author: dict[str, Any] = {"@type": "Organization", "name": publisher}
    review: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "@id": flag["url"],
        "url": flag["url"],
        "datePublished": iso(flag["updated_at"]),
        "author": author,
        "claimReviewed": claim_b["quote"],
        "itemReviewed": _claim_item(claim_b),
        "isBasedOn": _claim_item(claim_a),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "bestRating": 3,
            "worstRating": 1,
            "alternateName": label,
        },
        "reviewBody": body,
        "keywords": f"contradiction, {flag['kind']}",
    }
    if flag.get("reviewer"):
        review["creator"] = {"@type": "Person", "name": flag["reviewer"]}
    return review
