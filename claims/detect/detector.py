"""The Django side of detection: pick the claims that could conflict with one claim (indexed lookups only),
run the pure comparator on each pair, and record the flags.

Checking is idempotent: a pair and kind is stored once (a database constraint, written by an upsert), flags of the
claim that no longer hold are withdrawn (kept, with history), and `checked_at` is stamped only if the version that
was compared is still the claim's current version.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from claims.detect.compare import ClaimFacts, Settings, Verdict, compare, timeline_check
from claims.detect.config import DetectionConfigError, settings_from_config
from claims.detect.intervals import Interval, date_interval, quantity_interval
from claims.models import AuditEvent, Claim, Contradiction, Subject
from claims.selectors import effective_as_of
from claims.values import StoredValue, from_columns

log = logging.getLogger(__name__)

# Kinds the comparator can weigh against each other; a duration may be compared with a deadline date.
COMPARABLE = {
    "quantity": ("quantity",),
    "date": ("date", "duration"),
    "duration": ("duration", "date"),
    "statement": ("statement",),
    "attribution": ("attribution",),
}
_JOINS = ("article", "subject", "speaker", "after", "article__outlet")


_built: tuple[object, Settings] | None = None


def detection_settings() -> Settings:
    """The comparator's Settings from Django's CLAIM_DETECTION, rebuilt whenever that object is replaced (as
    override_settings does); a bad value raises ImproperlyConfigured naming the key."""
    global _built
    source = getattr(django_settings, "CLAIM_DETECTION", None)
    if _built is None or _built[0] is not source:
        try:
            _built = (source, settings_from_config(source))
        except DetectionConfigError as exc:
            raise ImproperlyConfigured(str(exc)) from None
    return _built[1]


@dataclass(frozen=True)
class Found:
    other: Claim
    verdict: Verdict
    related: bool


def facts(claim: Claim) -> ClaimFacts:
    stored = StoredValue(
        qty_min=claim.qty_min,
        qty_max=claim.qty_max,
        date_value=claim.date_value,
        date_precision=claim.date_precision,
        dur_min=claim.dur_min,
        dur_max=claim.dur_max,
        dur_unit=claim.dur_unit,
    )
    return ClaimFacts(
        id=claim.pk,
        kind=claim.kind,
        subject=claim.subject.name,
        attribute=claim.attribute,
        value=from_columns(claim.kind, stored),
        unit=claim.unit or None,
        qualifier=claim.qualifier,
        speaker=claim.speaker.name if claim.speaker else None,
        as_of=effective_as_of(claim),
        polarity=claim.polarity or None,
        after=claim.after.name if claim.after else None,
        quote=claim.quote,
        outlet=claim.article.outlet.name if claim.article.outlet else None,
    )


# Pairs of one kind that a change-over-time window separates (compare._changed_over_time).
_WINDOWED = frozenset({"quantity", "duration", "statement"})
# The columns facts() reads: candidates leave the article's text (kilobytes a row) in the database.
_COLUMNS = (
    "id", "kind", "subject_id", "attribute", "attribute_key", "qty_min", "qty_max", "unit", "qualifier",
    "date_value", "date_precision", "dur_min", "dur_max", "dur_unit", "polarity", "after_id", "speaker_id",
    "as_of", "quote", "status", "version", "article_id", "subject__name", "speaker__name", "after__name",
    "article__published_at", "article__outlet_id", "article__outlet__name",
)  # fmt: skip
ONE_DAY = datetime.timedelta(days=1)
_OPPOSITE = {Claim.Polarity.AFFIRMS: Claim.Polarity.DENIES, Claim.Polarity.DENIES: Claim.Polarity.AFFIRMS}


def _confirmed() -> QuerySet[Claim]:
    return Claim.objects.filter(status=Claim.Status.CONFIRMED).select_related(*_JOINS).only(*_COLUMNS)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _day(ordinal: float) -> datetime.date | None:
    """The date of a finite interval bound, None for an open one."""
    return datetime.date.fromordinal(int(ordinal)) if math.isfinite(ordinal) else None


def _within_window(day: datetime.date, days: int) -> Q:
    """Claims whose stored effective date (as_of, else the article's publication day in UTC, as facts() reads it)
    is at most `days` from `day`, or unknown: the comparator treats everything else as a change over time. A range
    on the last column of the candidate index (subject, attribute_key, status, effective_date)."""
    try:
        first, last = day - datetime.timedelta(days=days), day + datetime.timedelta(days=days)
    except OverflowError:  # a window reaching past year 1 or 9999 narrows nothing
        return Q()
    return Q(effective_date__gte=first, effective_date__lte=last) | Q(effective_date__isnull=True)


def _overlapping_quantities(span: Interval) -> Q:
    """Quantities whose stated figure lies in `span`. A hedge only widens a claim's interval around its stated
    figure [qty_min, qty_max], so these surely overlap `span`: the comparator finds them compatible."""
    q = Q()
    if math.isfinite(span.hi):
        q &= Q(qty_min__lte=span.hi)
    if math.isfinite(span.lo):
        q &= Q(qty_max__gte=span.lo) | Q(qty_max__isnull=True, qty_min__gte=span.lo)
    return q


def _overlapping_dates(span: Interval) -> Q:
    """Dates whose own period (first day `date_value` to the end of its year, month or day) meets `span`: as with
    quantities, hedges only widen that period, so the comparator finds these compatible."""
    q = Q()
    hi, lo = _day(span.hi), _day(span.lo)
    if hi is not None:
        q &= Q(date_value__lte=hi)
    if lo is not None:  # the period reaches lo when it starts on or after the first day of lo's day/month/year
        q &= (
            Q(date_precision=Claim.Precision.DAY, date_value__gte=lo)
            | Q(date_precision=Claim.Precision.MONTH, date_value__gte=lo.replace(day=1))
            | Q(date_precision=Claim.Precision.YEAR, date_value__gte=lo.replace(month=1, day=1))
        )
    return q


def could_conflict(claim: Claim, mine: ClaimFacts, settings: Settings) -> Q | None:
    """A filter for the claims of the same attribute that could clash with `claim`: a superset of what the
    comparator would flag, narrowed in SQL so that a subject with thousands of agreeing claims does not bring them
    all back. None when nothing can clash. Every narrowing is a rule of compare.py (see docs/DETECTION.md)."""
    parts: list[Q] = []
    for kind in COMPARABLE[claim.kind]:
        q = Q(kind=kind)
        if kind == claim.kind and kind in _WINDOWED and mine.as_of is not None:
            q &= _within_window(mine.as_of, settings.window_days(claim.attribute))
        if kind == claim.kind == Claim.Kind.QUANTITY:
            span = quantity_interval(mine.value, mine.qualifier, settings.approx_tolerance, settings.approx_min_abs)
            if span is None:
                continue
            q &= ~_overlapping_quantities(span)
        elif kind == claim.kind == Claim.Kind.DATE:
            own = date_interval(mine.value, mine.qualifier)
            if own is None:
                continue
            q &= ~_overlapping_dates(own)
        elif kind == claim.kind == Claim.Kind.STATEMENT:
            if claim.polarity not in _OPPOSITE:
                continue
            q &= Q(polarity=_OPPOSITE[Claim.Polarity(claim.polarity)])
        elif kind == claim.kind == Claim.Kind.ATTRIBUTION:
            if claim.speaker_id is None:  # an unknown speaker never clashes
                continue
            # written as two ranges, not "IS NOT NULL AND <>": that keeps the planner on the candidate index
            q &= Q(speaker_id__lt=claim.speaker_id) | Q(speaker_id__gt=claim.speaker_id)
        elif claim.kind == Claim.Kind.DURATION and kind == Claim.Kind.DATE:  # a date matters only as a deadline
            if mine.as_of is None:
                continue
            q &= Q(qualifier=Claim.Qualifier.AT_MOST)
        elif claim.kind == Claim.Kind.DATE and claim.qualifier != Claim.Qualifier.AT_MOST:
            continue  # kind is duration: only a deadline date is weighed against one
        parts.append(q)
    return functools.reduce(operator.or_, parts) if parts else None


def subject_ids(subject: Subject) -> list[int]:
    """The subject and its related ones (broader, narrower, same group key), in one query. The candidate query then
    names them as a list: `subject_id = ANY(...)` keeps it on the candidate index, where an OR with subqueries or
    joins would not."""
    related = Q(pk=subject.pk) | Q(broader=subject) | Q(narrower=subject)
    if subject.group_key:
        related |= Q(group_key=subject.group_key)
    return sorted(set(Subject.objects.filter(related).values_list("id", flat=True)) | {subject.pk})


def candidate_queryset(claim: Claim, settings: Settings) -> QuerySet[Claim] | None:
    """The one query for the claims that could conflict with `claim`, on its subject or a related one. It goes
    through the index on (subject, attribute_key, status); docs/PERFORMANCE.md shows the plans."""
    narrowed = could_conflict(claim, facts(claim), settings)
    if narrowed is None:
        return None
    subjects = subject_ids(claim.subject)
    query = _confirmed().filter(narrowed, subject_id__in=subjects, attribute_key=claim.attribute_key)
    query = query.exclude(pk=claim.pk)
    return query.order_by()  # no sort: check_claim orders what it writes


def candidates(claim: Claim, settings: Settings | None = None) -> tuple[list[Claim], list[Claim]]:
    """(same-subject claims, related-subject claims) that could conflict with `claim`: same attribute, a
    comparable kind, confirmed, and not surely compatible (could_conflict)."""
    query = candidate_queryset(claim, settings or detection_settings())
    found = list(query) if query is not None else []
    same = [c for c in found if c.subject_id == claim.subject_id]
    return same, [c for c in found if c.subject_id != claim.subject_id]


def timeline_pairs(claim: Claim) -> list[tuple[Claim, list[Claim]]]:
    """(event, date claims of the event it came after) for every `after` link that involves `claim`: its own,
    and those of later events that name `claim`'s subject as the one they followed.

    timeline_check flags an event only when it lies wholly before every date of the earlier event, and a date
    claim's interval starts on or before its `date_value`; so most links are settled by one indexed query that
    finds a date which rules the flag out, and only the rest load the dates they need."""
    own = date_interval(facts(claim).value, claim.qualifier) if claim.kind == Claim.Kind.DATE else None
    if own is None:
        return []
    dates = _confirmed().filter(kind=Claim.Kind.DATE)
    groups: list[tuple[Claim, list[Claim]]] = []
    own_hi = _day(own.hi)
    if claim.after_id and own_hi is not None:
        earlier = dates.filter(subject_id=claim.after_id)
        if not earlier.filter(date_value__lte=own_hi).exists():
            groups.append((claim, list(earlier)))
    own_lo = _day(own.lo)
    if own_lo is not None:  # a later event can only precede us if its period starts before ours does
        followers = list(dates.filter(after_id=claim.subject_id, date_value__lt=own_lo).exclude(pk=claim.pk))
        # As for our own link: a date of our subject on or before a follower's end rules that follower out, so one
        # query for the earliest such date settles most followers before the subject's dates are loaded.
        ends: dict[int, datetime.date] = {}
        for follower in followers:
            span = date_interval(facts(follower).value, follower.qualifier)
            end = _day(span.hi) if span is not None else None
            if end is not None:  # an open or unreadable interval never lies before anything
                ends[follower.pk] = end
        if ends:
            first = (dates.filter(subject_id=claim.subject_id, date_value__lte=max(ends.values()))
                     .order_by("date_value").values_list("date_value", flat=True).first())
            still = [f for f in followers if f.pk in ends and (first is None or first > ends[f.pk])]
            if still:
                dates_of_subject = list(dates.filter(subject_id=claim.subject_id))
                groups.extend((follower, dates_of_subject) for follower in still)
    return groups


def find_conflicts(claim: Claim, settings: Settings | None = None) -> list[Found]:
    settings = settings or detection_settings()
    mine = facts(claim)
    known: dict[int, ClaimFacts] = {claim.pk: mine}

    def facts_of(c: Claim) -> ClaimFacts:  # a subject's dates are shared by its followers: read each once
        if c.pk not in known:
            known[c.pk] = facts(c)
        return known[c.pk]

    found: list[Found] = []
    same, related = candidates(claim, settings)
    for others, is_related in ((same, False), (related, True)):
        for other in others:
            verdict = compare(mine, facts(other), related=is_related, settings=settings)
            if verdict is not None:
                found.append(Found(other, verdict, is_related))
    for event, earlier in timeline_pairs(claim):
        by_id = {c.pk: c for c in earlier}
        earlier_facts = [facts_of(c) for c in earlier]
        for other_facts, verdict in timeline_check(facts_of(event), earlier_facts, settings=settings):
            if event.pk == claim.pk:  # our own `after` link: the other side is the earlier event's date
                found.append(Found(by_id[int(other_facts.id or 0)], verdict, False))
            elif other_facts.id == claim.pk:  # a later event names our subject: the other side is that event
                found.append(Found(event, verdict, False))
    return found


def check_claim(claim_id: int) -> str:
    """Compare one claim with its candidates and bring its flags up to date. Returns what happened.

    Two workers often check claims that conflict with each other at the same moment, and both write the same
    pairs. Two rules keep them from deadlocking on PostgreSQL: the claim row is locked FOR NO KEY UPDATE, which
    does not block the foreign-key checks that the other worker's inserts make on it; and every pair is written in
    one sorted order, so that two checks never wait on each other's pairs in a cycle.
    """
    now = timezone.now()
    settings = detection_settings()  # before any write: a bad setting fails the check, it does not half-run it
    with transaction.atomic():
        # One round trip: lock the claim row only (OF self), and read it with what facts() needs.
        locked = (Claim.objects.select_for_update(no_key=True, of=("self",)).select_related(*_JOINS)
                  .only(*_COLUMNS, "subject__group_key"))  # not the article's text: it can run to megabytes
        claim = locked.filter(pk=claim_id).first()
        if claim is None:
            return "gone"
        mine = Q(claim_a_id=claim_id) | Q(claim_b_id=claim_id)
        existing = {
            (a, b, kind): Existing(pk, score, explanation, withdrawn_at)
            for pk, a, b, kind, score, explanation, withdrawn_at in Contradiction.objects.filter(mine).values_list(
                "id", "claim_a_id", "claim_b_id", "kind", "score", "explanation", "withdrawn_at")
        }
        found: dict[Key, tuple[Verdict, bool]] = {}
        if claim.status == Claim.Status.CONFIRMED:
            for item in find_conflicts(claim, settings):
                a, b = sorted((claim.pk, item.other.pk))
                found[(a, b, item.verdict.kind)] = (item.verdict, item.related)
        write_flags(found, existing, now, lambda _key: f"no longer holds after claim {claim_id} changed")
        if claim.status == Claim.Status.CONFIRMED:
            # Stamp only the version we compared: an edit in between leaves checked_at null for the next check.
            Claim.objects.filter(pk=claim_id, version=claim.version).update(checked_at=now)
    return f"checked: {len(found)} flags"


@dataclass(frozen=True)
class Existing:
    """What the writer needs of a stored flag."""

    pk: int
    score: float
    explanation: str
    withdrawn_at: datetime.datetime | None


Key = tuple[int, int, str]
_UPSERT_ROWS = 1000  # rows per INSERT: 8,000 parameters on SQLite (its limit: 32,766); 8 on PostgreSQL (arrays)


def write_flags(found: dict[Key, tuple[Verdict, bool]], existing: dict[Key, Existing], now: datetime.datetime,
                reason: Callable[[Key], str]) -> int:
    """Bring the stored flags in line with `found` (key -> verdict, related). New pairs are inserted and withdrawn or
    rescored ones updated by one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` per thousand rows, in sorted
    (a, b, kind) order, so that two concurrent checks never wait on each other's pairs in a cycle. The flags in
    `existing` that were not found are then withdrawn (one UPDATE; `reason(key)` says why in the audit), and one
    audit row per change is written in bulk. Unchanged flags are not touched; a pair another worker inserted in
    between is left as it is (the same verdict: compare is symmetric). Returns the number of audit rows."""
    rows: list[tuple[Key, float, str, bool]] = []
    for key in sorted(found):
        verdict, related = found[key]
        score = round(min(1.0, max(0.0, verdict.score)), 4)
        flag = existing.get(key)
        if flag is not None and flag.withdrawn_at is None and flag.score == score \
                and flag.explanation == verdict.explanation:
            continue
        rows.append((key, score, verdict.explanation, related))
    audits: list[tuple[int, str, dict[str, Any]]] = []
    for start in range(0, len(rows), _UPSERT_ROWS):
        for pk, a, b, kind in _upsert(rows[start : start + _UPSERT_ROWS], now):
            flag = existing.get((a, b, kind))
            action = "flag" if flag is None else ("reinstate" if flag.withdrawn_at is not None else "rescore")
            verdict = found[(a, b, kind)][0]
            score = round(min(1.0, max(0.0, verdict.score)), 4)
            audits.append((pk, action, {"score": score, "explanation": verdict.explanation}))
    stale = [key for key in sorted(existing.keys() - found.keys()) if existing[key].withdrawn_at is None]
    if stale:
        Contradiction.objects.filter(pk__in=[existing[key].pk for key in stale]).update(withdrawn_at=now,
                                                                                        updated_at=now)
        audits.extend((existing[key].pk, "withdraw", {"reason": reason(key)}) for key in stale)
    _audit(audits, now)
    return len(audits)


_CONFLICT = (
    " ON CONFLICT (claim_a_id, claim_b_id, kind) DO UPDATE SET score = excluded.score,"
    " explanation = excluded.explanation, related = excluded.related, withdrawn_at = NULL,"
    " updated_at = excluded.updated_at"
    " WHERE {t}.withdrawn_at IS NOT NULL OR {t}.score <> excluded.score OR {t}.explanation <> excluded.explanation"
    " RETURNING id, claim_a_id, claim_b_id, kind"
)
_FLAG_COLUMNS = ("claim_a_id, claim_b_id, kind, score, explanation, related, status, note, withdrawn_at, created_at,"
                 " updated_at")


def _upsert(rows: list[tuple[Key, float, str, bool]], now: datetime.datetime) -> list[tuple[int, int, int, str]]:
    """Insert flags, or update the stored ones that were withdrawn or now read differently; (id, a, b, kind) of the
    rows actually written. Plain SQL: the ORM's upsert cannot update conditionally nor say which rows it wrote. On
    PostgreSQL the rows go as six arrays (unnest keeps their order), so the statement text does not grow with them."""
    if not rows:
        return []
    table = connection.ops.quote_name(Contradiction._meta.db_table)
    params: list[Any]
    if connection.vendor == "postgresql":
        columns: list[list[Any]] = [[], [], [], [], [], []]
        for (a, b, kind), score, explanation, related in rows:
            for column, value in zip(columns, (a, b, kind, score, explanation, related), strict=True):
                column.append(value)
        sql = (f"INSERT INTO {table} ({_FLAG_COLUMNS}) SELECT a, b, k, s, e, r, 'open', '', NULL, %s, %s"
               " FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::float8[], %s::text[], %s::boolean[])"
               " AS t(a, b, k, s, e, r) ORDER BY a, b, k")
        params = [now, now, *columns]
    else:
        sql = f"INSERT INTO {table} ({_FLAG_COLUMNS}) VALUES " + ", ".join(
            ["(%s, %s, %s, %s, %s, %s, 'open', '', NULL, %s, %s)"] * len(rows))
        params = []
        for (a, b, kind), score, explanation, related in rows:
            params.extend((a, b, kind, score, explanation, related, now, now))
    with connection.cursor() as cursor:
        cursor.execute(sql + _CONFLICT.format(t=table), params)
        return [(int(r[0]), int(r[1]), int(r[2]), str(r[3])) for r in cursor.fetchall()]


def _audit(audits: list[tuple[int, str, dict[str, Any]]], now: datetime.datetime) -> None:
    """One audit row per changed flag (entity 'contradiction', no actor), in one statement on PostgreSQL."""
    if not audits:
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create([AuditEvent(entity="contradiction", entity_id=pk, action=action, changes=changes)
                                        for pk, action, changes in audits], batch_size=2000)
        return
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (entity, entity_id, action, changes, at) SELECT 'contradiction', i, a, c::jsonb, %s"
            " FROM unnest(%s::bigint[], %s::text[], %s::text[]) WITH ORDINALITY AS t(i, a, c, n) ORDER BY n",
            [now, [pk for pk, _, _ in audits], [action for _, action, _ in audits],
             [json.dumps(changes) for _, _, changes in audits]],
        )
