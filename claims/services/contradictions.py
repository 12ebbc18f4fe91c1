"""Contradictions (flags): an editor's review of one (and what dismissing a quantity flag as an update may teach),
and the worker's writes of what detection found.

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

from claims.db import cursor
from claims.detect.base import Verdict
from claims.detect.config import MAX_WINDOW_DAYS
from claims.detect.dynamics import CUMULATIVE, LEVEL
from claims.errors import InvalidInput
from claims.models import AuditEvent, Claim, Contradiction
from claims.selectors.offers import TEACHABLE, UpdateOffer, refusal_to_teach, update_offer
from claims.services.audit import Actor, _diff, _user, audit_contradictions, audit_record


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


# --- dismissing a quantity flag as an update, teaching how the attribute's figures move --------------------------
# The write itself, `contradiction_dismiss_as_update`, is in claims/services/reviews.py; what a flag's card offers
# to teach (the read both share) is claims/selectors/offers.py.


def contradiction_check_update(
    *, contradiction: Contradiction, dynamics: str, window_days: int | None, note: str
) -> UpdateOffer:
    """Check a dismissal of `contradiction` as an update that teaches `dynamics`: a running tally, or a level whose
    `window_days` is shorter than the days between the two reports (so that they are no longer compared). The flag
    is read again with its claims. Raises InvalidInput naming the field; writes and locks nothing. Returns the
    flag's offer (its attribute, the days between its reports)."""
    errors: dict[str, list[str]] = {}
    if dynamics not in TEACHABLE:
        errors["dynamics"] = ["must be cumulative (a running tally) or level (a level that changes)"]
    if not isinstance(note, str) or len(note) > 5000:
        errors["note"] = ["must be text of at most 5000 characters"]
    days = window_days if isinstance(window_days, int) and not isinstance(window_days, bool) else None
    if dynamics == CUMULATIVE and window_days is not None:
        errors["window_days"] = ["a running tally is compared at any distance in time: give no days"]
    elif dynamics == LEVEL and (days is None or not 0 <= days <= MAX_WINDOW_DAYS):
        errors["window_days"] = [f"must be a whole number of days from 0 to {MAX_WINDOW_DAYS}"]
    flag = (
        Contradiction.objects.select_related("claim_a__article", "claim_b__article").filter(pk=contradiction.pk).first()
    )
    if flag is None:
        raise InvalidInput.one("contradiction", "no longer exists")
    refusal = refusal_to_teach(flag)
    if refusal:
        raise InvalidInput.one("dynamics", refusal)
    offer = update_offer(flag, {})
    if dynamics == LEVEL and days is not None and "window_days" not in errors:
        if offer.window_days is None:
            errors["window_days"] = ["the two reports are of one day, or undated: no window tells them apart"]
        elif days > offer.window_days:
            errors["window_days"] = [
                f"must be fewer than the {offer.days_apart} days between the two reports, or they are still compared"
            ]
    if errors:
        raise InvalidInput(errors)
    return offer


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
    *,
    stamp: tuple[int, int] | None = None,
) -> int:
    """Bring the stored flags in line with `found` (key -> verdict, related). New pairs are inserted and withdrawn or
    rescored ones updated by `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, in sorted (a, b, kind) order, so that
    two concurrent checks never wait on each other's pairs in a cycle. The flags in `existing` that were not found
    are withdrawn (`reason(key)` says why in the audit), and one audit row per change is written. With `stamp`
    (claim id, version), that claim's `checked_at` is set too, if it is still at that version. Unchanged flags are
    not touched; a pair another worker inserted in between is left as it is (the same verdict: compare is
    symmetric). On PostgreSQL a check's writes are one prepared statement. Returns the number of audit rows."""
    rows: list[tuple[Key, float, str, bool, str]] = []
    for key in sorted(found):
        verdict, related = found[key]
        score = _rounded(verdict)
        flag = existing.get(key)
        if flag is None:
            action = "flag"
        elif flag.withdrawn_at is not None:
            action = "reinstate"
        elif flag.score != score or flag.explanation != verdict.explanation:
            action = "rescore"
        else:
            continue
        rows.append((key, score, verdict.explanation, related, action))
    stale = [key for key in sorted(existing.keys() - found.keys()) if existing[key].withdrawn_at is None]
    if connection.vendor == "postgresql" and len(rows) <= _UPSERT_ROWS:
        return _write_at_once(rows, [(existing[key].pk, reason(key)) for key in stale], now, stamp)
    audits: list[tuple[int, str, dict[str, Any]]] = []
    actions = {key: action for key, _, _, _, action in rows}
    for start in range(0, len(rows), _UPSERT_ROWS):
        for pk, a, b, kind in _upsert([row[:4] for row in rows[start : start + _UPSERT_ROWS]], now):
            verdict = found[(a, b, kind)][0]
            audits.append((pk, actions[(a, b, kind)], {"score": _rounded(verdict), "explanation": verdict.explanation}))
    if stale:
        Contradiction.objects.filter(pk__in=[existing[key].pk for key in stale]).update(
            withdrawn_at=now, updated_at=now
        )
        audits.extend((existing[key].pk, "withdraw", {"reason": reason(key)}) for key in stale)
    audit_contradictions(audits, now)
    if stamp is not None:
        contradictions_mark_checked(claim_ids=[stamp[0]], at=now, version=stamp[1])
    return len(audits)


def _write_at_once(
    rows: list[tuple[Key, float, str, bool, str]],
    withdrawn: list[tuple[int, str]],
    now: datetime.datetime,
    stamp: tuple[int, int] | None,
) -> int:
    """contradictions_record on PostgreSQL in one prepared statement: the upsert, the withdrawals, their audit rows
    (in the order the separate statements write them: upserts by key, then withdrawals) and the checked_at stamp,
    as data-modifying CTEs, the rows as arrays so that the statement's text never changes."""
    flag = connection.ops.quote_name(Contradiction._meta.db_table)
    audit = connection.ops.quote_name(AuditEvent._meta.db_table)
    claim = connection.ops.quote_name(Claim._meta.db_table)
    sql = (
        "WITH new AS (SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::float8[], %s::text[],"
        " %s::boolean[], %s::text[]) WITH ORDINALITY AS t(a, b, k, s, e, r, act, n)),"
        f" up AS (INSERT INTO {flag} ({_FLAG_COLUMNS}) SELECT a, b, k, s, e, r, 'open', '', NULL, %s, %s"
        f" FROM new ORDER BY a, b, k{_CONFLICT.format(t=flag)}),"
        f" gone AS (UPDATE {flag} SET withdrawn_at = %s, updated_at = %s WHERE id = ANY(%s::bigint[]) RETURNING id),"
        f" logged AS (INSERT INTO {audit} (entity, entity_id, action, changes, at)"
        " SELECT 'contradiction', id, action, changes, %s FROM ("
        " SELECT up.id, new.act AS action, json_build_object('score', new.s, 'explanation', new.e)::jsonb AS changes,"
        " new.n AS n FROM up JOIN new ON new.a = up.claim_a_id AND new.b = up.claim_b_id AND new.k = up.kind"
        " UNION ALL SELECT gone.id, 'withdraw', json_build_object('reason', w.why)::jsonb, %s::bigint + w.n"
        " FROM gone JOIN unnest(%s::bigint[], %s::text[]) WITH ORDINALITY AS w(id, why, n) ON w.id = gone.id"
        " ) AS changed ORDER BY n RETURNING 1),"
        f" stamped AS (UPDATE {claim} SET checked_at = %s WHERE id = %s AND version = %s RETURNING 1)"
        " SELECT count(*) FROM logged"
    )
    columns: list[list[Any]] = [[], [], [], [], [], [], []]
    for (a, b, kind), score, explanation, related, action in rows:
        for column, value in zip(columns, (a, b, kind, score, explanation, related, action), strict=True):
            column.append(value)
    ids, why = [pk for pk, _ in withdrawn], [text for _, text in withdrawn]
    stamp_id, stamp_version = stamp if stamp is not None else (0, -1)  # no claim has id 0: stamps nothing
    params = [*columns, now, now, now, now, ids, now, len(rows), ids, why, now, stamp_id, stamp_version]
    with cursor() as c:
        c.execute(sql, params)
        found = c.fetchone()
    return int(found[0]) if found else 0


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
