"""Contradictions (flags): an editor's review of one, and the worker's writes of what detection found.

Imported through `claims.services` by views, tasks, commands and the admin; imports models, the pure
packages and the other service modules below it, never claims.tasks, api or web."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from claims.detect.base import Verdict
from claims.errors import InvalidInput
from claims.models import Claim, Contradiction
from claims.services.audit import Actor, _diff, _user, audit_flags, audit_record


def contradiction_resolve(*, contradiction: Contradiction, actor: Actor, status: str, note: str = "") -> Contradiction:
    if status not in Contradiction.Status.values:
        raise InvalidInput.one("status", f"must be one of {', '.join(Contradiction.Status.values)}")
    if not isinstance(note, str) or len(note) > 5000:
        raise InvalidInput.one("note", "must be text of at most 5000 characters")
    with transaction.atomic():
        current = Contradiction.objects.select_for_update().get(pk=contradiction.pk)
        new = {"status": status, "note": note, "reviewer": _user(actor)}
        changes = _diff(current, new)
        for field, value in new.items():
            setattr(current, field, value)
        current.save(update_fields=["status", "note", "reviewer", "updated_at"])
        audit_record(entity="contradiction", entity_id=current.pk, action="review", changes=changes, actor=actor)
    return current


# --- the worker's flags -----------------------------------------------------------------------------------------
# Detection (claims.detection) decides which pairs conflict; these write what it found. Hand-written SQL: the ORM's
# upsert can neither update conditionally nor say which rows it wrote.


@dataclass(frozen=True)
class Existing:
    """What the writer needs of a stored flag."""

    pk: int
    score: float
    explanation: str
    withdrawn_at: datetime.datetime | None


Key = tuple[int, int, str]  # (lower claim id, higher claim id, flag kind)
_ID_CHUNK = 5000  # ids per IN (...) list on SQLite
_UPSERT_ROWS = 1000  # rows per INSERT: 8,000 parameters on SQLite (its limit: 32,766); 8 on PostgreSQL (arrays)


def _rounded(verdict: Verdict) -> float:
    return round(min(1.0, max(0.0, verdict.score)), 4)


def contradictions_record(
    found: dict[Key, tuple[Verdict, bool]],
    existing: dict[Key, Existing],
    now: datetime.datetime,
    reason: Callable[[Key], str],
) -> int:
    """Bring the stored flags in line with `found` (key -> verdict, related). New pairs are inserted and withdrawn or
    rescored ones updated by one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` per thousand rows, in sorted
    (a, b, kind) order, so that two concurrent checks never wait on each other's pairs in a cycle. The flags in
    `existing` that were not found are then withdrawn (one UPDATE; `reason(key)` says why in the audit), and one
    audit row per change is written in bulk. Unchanged flags are not touched; a pair another worker inserted in
    between is left as it is (the same verdict: compare is symmetric). Returns the number of audit rows."""
    rows: list[tuple[Key, float, str, bool]] = []
    for key in sorted(found):
        verdict, related = found[key]
        score = _rounded(verdict)
        flag = existing.get(key)
        if (
            flag is not None
            and flag.withdrawn_at is None
            and flag.score == score
            and flag.explanation == verdict.explanation
        ):
            continue
        rows.append((key, score, verdict.explanation, related))
    audits: list[tuple[int, str, dict[str, Any]]] = []
    for start in range(0, len(rows), _UPSERT_ROWS):
        for pk, a, b, kind in _upsert(rows[start : start + _UPSERT_ROWS], now):
            flag = existing.get((a, b, kind))
            action = "flag" if flag is None else ("reinstate" if flag.withdrawn_at is not None else "rescore")
            verdict = found[(a, b, kind)][0]
            audits.append((pk, action, {"score": _rounded(verdict), "explanation": verdict.explanation}))
    stale = [key for key in sorted(existing.keys() - found.keys()) if existing[key].withdrawn_at is None]
    if stale:
        Contradiction.objects.filter(pk__in=[existing[key].pk for key in stale]).update(
            withdrawn_at=now, updated_at=now
        )
        audits.extend((existing[key].pk, "withdraw", {"reason": reason(key)}) for key in stale)
    audit_flags(audits, now)
    return len(audits)


def contradictions_withdraw(*, claim_id: int, reason: str) -> int:
    """Withdraw every standing flag of one claim (a claim taken back from the editorial truth), audited; kept, with
    their history. Returns how many were withdrawn."""
    existing = {
        (a, b, kind): Existing(pk, score, explanation, withdrawn_at)
        for pk, a, b, kind, score, explanation, withdrawn_at in Contradiction.objects.filter(
            Q(claim_a_id=claim_id) | Q(claim_b_id=claim_id), withdrawn_at__isnull=True
        ).values_list("id", "claim_a_id", "claim_b_id", "kind", "score", "explanation", "withdrawn_at")
    }
    return contradictions_record({}, existing, timezone.now(), lambda _key: reason)


_CONFLICT = (
    " ON CONFLICT (claim_a_id, claim_b_id, kind) DO UPDATE SET score = excluded.score,"
    " explanation = excluded.explanation, related = excluded.related, withdrawn_at = NULL,"
    " updated_at = excluded.updated_at"
    " WHERE {t}.withdrawn_at IS NOT NULL OR {t}.score <> excluded.score OR {t}.explanation <> excluded.explanation"
    " RETURNING id, claim_a_id, claim_b_id, kind"
)
_FLAG_COLUMNS = (
    "claim_a_id, claim_b_id, kind, score, explanation, related, status, note, withdrawn_at, created_at, updated_at"
)


def _upsert(rows: list[tuple[Key, float, str, bool]], now: datetime.datetime) -> list[tuple[int, int, int, str]]:
    """Insert flags, or update the stored ones that were withdrawn or now read differently; (id, a, b, kind) of the
    rows actually written. On PostgreSQL the rows go as six arrays (unnest keeps their order), so the statement text
    does not grow with them."""
    if not rows:
        return []
    table = connection.ops.quote_name(Contradiction._meta.db_table)
    params: list[Any]
    if connection.vendor == "postgresql":
        columns: list[list[Any]] = [[], [], [], [], [], []]
        for (a, b, kind), score, explanation, related in rows:
            for column, value in zip(columns, (a, b, kind, score, explanation, related), strict=True):
                column.append(value)
        sql = (
            f"INSERT INTO {table} ({_FLAG_COLUMNS}) SELECT a, b, k, s, e, r, 'open', '', NULL, %s, %s"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::float8[], %s::text[], %s::boolean[])"
            " AS t(a, b, k, s, e, r) ORDER BY a, b, k"
        )
        params = [now, now, *columns]
    else:
        sql = f"INSERT INTO {table} ({_FLAG_COLUMNS}) VALUES " + ", ".join(
            ["(%s, %s, %s, %s, %s, %s, 'open', '', NULL, %s, %s)"] * len(rows)
        )
        params = []
        for (a, b, kind), score, explanation, related in rows:
            params.extend((a, b, kind, score, explanation, related, now, now))
    with connection.cursor() as cursor:
        cursor.execute(sql + _CONFLICT.format(t=table), params)
        return [(int(r[0]), int(r[1]), int(r[2]), str(r[3])) for r in cursor.fetchall()]


def contradictions_mark_checked(*, claim_ids: list[int], at: datetime.datetime, version: int | None = None) -> None:
    """Stamp `checked_at` on the claims detection has just weighed. With `version` (one claim's check), only while the
    claim is still at that version: an edit in between leaves it unchecked for the next check. On PostgreSQL one
    statement with the ids as an array (thousands of parameters cost more to send than to run)."""
    table = connection.ops.quote_name(Claim._meta.db_table)
    where, params = "", []
    if version is not None:
        if len(claim_ids) != 1:
            raise ValueError("a version is one claim's: pass exactly one claim id with it")
        where, params = " AND version = %s", [version]
    stamp = connection.ops.adapt_datetimefield_value(at)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {table} SET checked_at = %s WHERE id = ANY(%s){where}", [stamp, claim_ids, *params])
            return
        for start in range(0, len(claim_ids), _ID_CHUNK):
            chunk = claim_ids[start : start + _ID_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"UPDATE {table} SET checked_at = %s WHERE id IN ({marks}){where}", [stamp, *chunk, *params])
