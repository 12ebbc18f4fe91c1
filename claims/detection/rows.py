"""A claim as detection reads it: hand-written SQL for its row (`load`, `read`), and the one mapping from a claim's
stored columns to the comparator's facts (`claim_facts`), used by the check, the reconcile and `facts(claim)`.

Portable SQL (PostgreSQL and SQLite): `IN (%s, ...)` lists rather than arrays, NULL-safe narrowing, no casts. On
PostgreSQL every statement of a check is prepared (`cursor()`).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from claims.db import cursor
from claims.detect.base import ClaimFacts
from claims.detect.numeric import sentence_of
from claims.models import Article, AttributeDynamics, Claim, Contradiction, Outlet, Speaker, Subject
from claims.models.claim import effective_date
from claims.values import VALUE_COLUMNS, StoredValue, from_columns, stored_of


def claim_facts(
    *,
    pk: int,
    kind: str,
    subject: str,
    attribute: str,
    value: StoredValue,
    unit: str | None,
    qualifier: str,
    speaker: str | None,
    as_of: datetime.date | None,
    published: datetime.datetime | None,
    polarity: str | None,
    after: str | None,
    quote: str,
    outlet: str | None,
    article_id: int,
    prefix: str,
    suffix: str,
) -> ClaimFacts:
    """The comparator's facts of a stored claim: its value from the typed columns, its effective date (as_of, else
    the article's publication day in UTC), the sentence around its quote."""
    return ClaimFacts(
        id=pk,
        kind=kind,
        subject=subject,
        attribute=attribute,
        value=from_columns(kind, value),
        unit=unit or None,
        qualifier=qualifier,
        speaker=speaker,
        as_of=effective_date(as_of, published),
        polarity=polarity or None,
        after=after,
        quote=quote,
        outlet=outlet,
        article=article_id,
        context=sentence_of(prefix, quote, suffix),
        published=published,
    )


def facts(claim: Claim) -> ClaimFacts:
    """The comparator's facts of a model instance (with its subject, speaker, after and article.outlet loaded). The
    check itself reads rows (`load`); tests and the benchmark use this as the reference that `load` must equal."""
    return claim_facts(
        pk=claim.pk,
        kind=claim.kind,
        subject=claim.subject.name if claim.subject else "",
        attribute=claim.attribute,
        value=stored_of(claim),
        unit=claim.unit,
        qualifier=claim.qualifier,
        speaker=claim.speaker.name if claim.speaker else None,
        as_of=claim.as_of,
        published=claim.article.published_at,
        polarity=claim.polarity,
        after=claim.after.name if claim.after else None,
        quote=claim.quote,
        outlet=claim.article.outlet.name if claim.article.outlet else None,
        article_id=claim.article_id,
        prefix=claim.prefix,
        suffix=claim.suffix,
    )


@dataclass(frozen=True, slots=True)
class Stored:
    """One claim as a check reads it: the columns the narrowing and the flags need, and its comparator facts. Read
    by hand-written SQL, not through model instances: building and compiling ORM queries was most of a check's time
    (docs/PERFORMANCE.md). `column(name)` answers the columns the rules test (claims.detect.rules.COLUMNS)."""

    pk: int
    kind: str
    subject_id: int | None  # null only on a claim that is not confirmed
    group_key: str | None
    attribute_key: str
    qualifier: str
    polarity: str
    after_id: int | None
    speaker_id: int | None
    status: str
    version: int
    facts: ClaimFacts


@functools.cache
def tables() -> dict[str, str]:
    """The quoted table names detection's SQL uses."""
    names = {
        "claim": Claim,
        "subject": Subject,
        "speaker": Speaker,
        "article": Article,
        "outlet": Outlet,
        "flag": Contradiction,
        "dynamics": AttributeDynamics,
    }
    quoted = {key: connection.ops.quote_name(model._meta.db_table) for key, model in names.items()}
    quoted["broader"] = connection.ops.quote_name(Subject.broader.through._meta.db_table)
    return quoted


@functools.cache
def select() -> str:
    """SELECT of a claim row with the names its facts need. Claim columns are named `c.`; a WHERE clause follows."""
    t = tables()
    return (
        "SELECT c.id, c.kind, c.subject_id, c.attribute, c.attribute_key, "
        + ", ".join(f"c.{column}" for column in VALUE_COLUMNS)
        + ", c.unit, c.qualifier, c.polarity, c.after_id, c.speaker_id,"
        " c.as_of, c.quote, c.status, c.version, s.name, s.group_key, sp.name, af.name, a.published_at, o.name,"
        " c.article_id, c.prefix, c.suffix"
        # LEFT JOIN: a claim that is no longer confirmed has no subject, and its check must still withdraw its flags.
        f" FROM {t['claim']} c LEFT JOIN {t['subject']} s ON s.id = c.subject_id"
        f" JOIN {t['article']} a ON a.id = c.article_id LEFT JOIN {t['outlet']} o ON o.id = a.outlet_id"
        f" LEFT JOIN {t['speaker']} sp ON sp.id = c.speaker_id LEFT JOIN {t['subject']} af ON af.id = c.after_id"
    )


def aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """SQLite hands a raw cursor naive datetimes, stored in UTC (USE_TZ); PostgreSQL aware ones."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment


def row(values: tuple[Any, ...]) -> Stored:
    """A Stored claim from one row of `select()`."""
    (pk, kind, subject_id, attribute, attribute_key), value = values[:5], StoredValue(*values[5:12])
    (unit, qualifier, polarity, after_id, speaker_id, as_of, quote, status, version, subject, group_key, speaker,
     after, published_at, outlet, article_id, prefix, suffix) = values[12:]  # fmt: skip
    return Stored(
        pk=pk,
        kind=kind,
        subject_id=subject_id,
        group_key=group_key,
        attribute_key=attribute_key,
        qualifier=qualifier,
        polarity=polarity,
        after_id=after_id,
        speaker_id=speaker_id,
        status=status,
        version=version,
        facts=claim_facts(
            pk=pk, kind=kind, subject=subject, attribute=attribute, value=value, unit=unit, qualifier=qualifier,
            speaker=speaker, as_of=as_of, published=aware(published_at), polarity=polarity, after=after, quote=quote,
            outlet=outlet, article_id=article_id, prefix=prefix, suffix=suffix,
        ),
    )  # fmt: skip


def read(where: str, params: Sequence[Any], suffix: str = "") -> list[Stored]:
    with cursor() as c:
        c.execute(f"{select()} WHERE {where}{suffix}", params)
        return [row(values) for values in c.fetchall()]


def load(claim_id: int, *, lock: bool = False) -> Stored | None:
    """One claim, read as a check reads it; with `lock`, its row (only) locked FOR NO KEY UPDATE on PostgreSQL,
    which does not block the foreign-key checks that another worker's flag inserts make on it."""
    suffix = " FOR NO KEY UPDATE OF c" if lock and connection.vendor == "postgresql" else ""
    found = read("c.id = %s", [claim_id], suffix)
    return found[0] if found else None
