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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import psycopg
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils import timezone

from claims.detect.compare import ClaimFacts, Settings, Verdict, compare, timeline_check
from claims.detect.config import DetectionConfigError, settings_from_config
from claims.detect.dynamics import Dynamics, from_attribute
from claims.detect.intervals import Interval, date_interval, quantity_interval
from claims.detect.numeric import Part, sentence_of, window_of
from claims.models import Article, AttributeDynamics, AuditEvent, Claim, Contradiction, Outlet, Speaker, Subject
from claims.models.claim import effective_date
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


@dataclass(frozen=True, slots=True)
class Stored:
    """One claim as a check reads it: the columns the narrowing and the flags need, and its comparator facts. Read
    by hand-written SQL (`_read`), not through model instances: building and compiling ORM queries was most of a
    check's time (docs/PERFORMANCE.md)."""

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


@dataclass(frozen=True)
class Found:
    other: Stored
    verdict: Verdict
    related: bool


def facts(claim: Claim) -> ClaimFacts:
    """The comparator's facts of a model instance (with its subject, speaker, after and article.outlet loaded). The
    check itself reads rows (`_read`); tests and the benchmark use this as the reference that `_read` must equal."""
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
        subject=claim.subject.name if claim.subject else "",
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
        article=claim.article_id,
        context=sentence_of(claim.prefix, claim.quote, claim.suffix),
        published=claim.article.published_at,
    )


# Pairs of one kind that a change-over-time window separates (compare._changed_over_time).
_WINDOWED = frozenset({"quantity", "duration", "statement"})
_OPPOSITE = {Claim.Polarity.AFFIRMS: Claim.Polarity.DENIES, Claim.Polarity.DENIES: Claim.Polarity.AFFIRMS}


def _day(ordinal: float) -> datetime.date | None:
    """The date of a finite interval bound, None for an open one."""
    return datetime.date.fromordinal(int(ordinal)) if math.isfinite(ordinal) else None


# --- reading claims by hand-written SQL ------------------------------------------------------------------------------
# Portable SQL (PostgreSQL and SQLite): `IN (%s, ...)` lists rather than arrays, NULL-safe narrowing, no casts.


@functools.cache
def _tables() -> dict[str, str]:
    names = {
        "claim": Claim,
        "subject": Subject,
        "speaker": Speaker,
        "article": Article,
        "outlet": Outlet,
        "flag": Contradiction,
        "dynamics": AttributeDynamics,
    }
    tables = {key: connection.ops.quote_name(model._meta.db_table) for key, model in names.items()}
    tables["broader"] = connection.ops.quote_name(Subject.broader.through._meta.db_table)
    return tables


@functools.cache
def _select() -> str:
    """SELECT of a claim row with the names facts() reads. Claim columns are named `c.`; a WHERE clause follows."""
    t = _tables()
    return (
        "SELECT c.id, c.kind, c.subject_id, c.attribute, c.attribute_key, c.qty_min, c.qty_max, c.unit, c.qualifier,"
        " c.date_value, c.date_precision, c.dur_min, c.dur_max, c.dur_unit, c.polarity, c.after_id, c.speaker_id,"
        " c.as_of, c.quote, c.status, c.version, s.name, s.group_key, sp.name, af.name, a.published_at, o.name,"
        " c.article_id, c.prefix, c.suffix"
        # LEFT JOIN: a claim that is no longer confirmed has no subject, and its check must still withdraw its flags.
        f" FROM {t['claim']} c LEFT JOIN {t['subject']} s ON s.id = c.subject_id"
        f" JOIN {t['article']} a ON a.id = c.article_id LEFT JOIN {t['outlet']} o ON o.id = a.outlet_id"
        f" LEFT JOIN {t['speaker']} sp ON sp.id = c.speaker_id LEFT JOIN {t['subject']} af ON af.id = c.after_id"
    )


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """SQLite hands a raw cursor naive datetimes, stored in UTC (USE_TZ); PostgreSQL aware ones."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.UTC)
    return moment


def _row(values: tuple[Any, ...]) -> Stored:
    (pk, kind, subject_id, attribute, attribute_key, qty_min, qty_max, unit, qualifier, date_value, date_precision,
     dur_min, dur_max, dur_unit, polarity, after_id, speaker_id, as_of, quote, status, version, subject, group_key,
     speaker, after, published_at, outlet, article_id, prefix, suffix) = values  # fmt: skip
    stored = StoredValue(
        qty_min=qty_min,
        qty_max=qty_max,
        date_value=date_value,
        date_precision=date_precision,
        dur_min=dur_min,
        dur_max=dur_max,
        dur_unit=dur_unit,
    )
    claim_facts = ClaimFacts(
        id=pk, kind=kind, subject=subject, attribute=attribute, value=from_columns(kind, stored), unit=unit or None,
        qualifier=qualifier, speaker=speaker, as_of=effective_date(as_of, _aware(published_at)),
        polarity=polarity or None, after=after, quote=quote, outlet=outlet, article=article_id,
        context=sentence_of(prefix, quote, suffix), published=_aware(published_at),
    )  # fmt: skip
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
        facts=claim_facts,
    )


class _Prepared(psycopg.Cursor[Any]):
    """A server-binding cursor whose every statement is prepared: the check's few statement shapes are then planned
    once per connection. Planning the six-table claim read took 1-4 ms at a million claims, against 0.1-0.3 ms to
    run it (docs/PERFORMANCE.md); Django's own cursors bind on the client and never prepare."""

    def execute(
        self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None, **kwargs: Any
    ) -> _Prepared:
        return super().execute(query, params, prepare=True, binary=binary, **kwargs)


def _cursor() -> Any:
    """A cursor for the check's reads: prepared statements on PostgreSQL, Django's cursor elsewhere. It goes through
    Django's cursor wrappers, so the queries are counted and logged like any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    connection.ensure_connection()
    if connection.connection.prepare_threshold is None:
        # Django turns preparing off for the connection (None); its client-binding cursors never prepare anyway, so
        # a threshold out of reach leaves them as they are and lets _Prepared's explicit prepare=True through.
        connection.connection.prepare_threshold = 2**31 - 1
    raw = cast(Any, _Prepared(connection.connection))
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


def _read(where: str, params: Sequence[Any], suffix: str = "") -> list[Stored]:
    with _cursor() as cursor:
        cursor.execute(f"{_select()} WHERE {where}{suffix}", params)
        return [_row(values) for values in cursor.fetchall()]


def load(claim_id: int, *, lock: bool = False) -> Stored | None:
    """One claim, read as a check reads it; with `lock`, its row (only) locked FOR NO KEY UPDATE on PostgreSQL,
    which does not block the foreign-key checks that another worker's flag inserts make on it."""
    suffix = " FOR NO KEY UPDATE OF c" if lock and connection.vendor == "postgresql" else ""
    found = _read("c.id = %s", [claim_id], suffix)
    return found[0] if found else None


def _in(values: Sequence[Any]) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


# --- which claims could conflict -------------------------------------------------------------------------------------

Fragment = tuple[str, list[Any]]  # SQL with its parameters


def _within_window(day: datetime.date, days: int) -> Fragment | None:
    """Claims whose stored effective date (as_of, else the article's publication day in UTC, as facts() reads it)
    is at most `days` from `day`, or unknown: the comparator treats everything else as a change over time. A range
    on the last column of the candidate index (subject, attribute_key, status, effective_date)."""
    try:
        first, last = day - datetime.timedelta(days=days), day + datetime.timedelta(days=days)
    except OverflowError:  # a window reaching past year 1 or 9999 narrows nothing
        return None
    return "((c.effective_date >= %s AND c.effective_date <= %s) OR c.effective_date IS NULL)", [first, last]


def _join(operator: str, fragments: list[Fragment]) -> Fragment:
    """The fragments joined by AND or OR, each in parentheses, with their parameters in order."""
    return f" {operator} ".join(f"({sql})" for sql, _ in fragments), [p for _, params in fragments for p in params]


def _not_all(tests: list[Fragment]) -> Fragment:
    """Rows for which the conjunction of `tests` is not surely true (false, or unknown through a NULL). With no
    test the conjunction is true for every row, so no row is left."""
    if not tests:
        return "1 = 0", []
    sql, params = _join("AND", tests)
    return f"NOT COALESCE(({sql}), 1 = 0)", params


def _overlapping_quantities(span: Interval, unit: str) -> Fragment:
    """Quantities in the same unit whose stated figure lies in `span` (negated: the others). A hedge, the precision
    of a figure or a hedge word in its quote only widen a claim's interval around its stated figure [qty_min,
    qty_max], so these surely overlap `span`: the comparator finds them compatible. A figure in another unit
    ("miles" against "km") is never excluded by value: the comparator converts it first."""
    tests: list[Fragment] = [("c.unit = %s", [unit])]
    if math.isfinite(span.hi):
        tests.append(("c.qty_min <= %s", [span.hi]))
    if math.isfinite(span.lo):
        tests.append(("c.qty_max >= %s OR (c.qty_max IS NULL AND c.qty_min >= %s)", [span.lo, span.lo]))
    return _not_all(tests)


def _overlapping_dates(span: Interval) -> Fragment:
    """Dates whose own period (first day `date_value` to the end of its year, month or day) meets `span` (negated:
    the others): as with quantities, hedges only widen that period, so the comparator finds these compatible."""
    tests: list[Fragment] = []
    hi, lo = _day(span.hi), _day(span.lo)
    if hi is not None:
        tests.append(("c.date_value <= %s", [hi]))
    if lo is not None:  # the period reaches lo when it starts on or after the first day of lo's day/month/year
        tests.append((
            "(c.date_precision = %s AND c.date_value >= %s) OR (c.date_precision = %s AND c.date_value >= %s)"
            " OR (c.date_precision = %s AND c.date_value >= %s)",
            ["day", lo, "month", lo.replace(day=1), "year", lo.replace(month=1, day=1)],
        ))  # fmt: skip
    return _not_all(tests)


def quantity_window(attribute: str, dynamics: Dynamics | None, settings: Settings) -> int | None:
    """The change-over-time window of a quantity claim's candidates: the editor's kind if set, else the kind the
    attribute's words give; None (no window) for a running tally or a fixed fact, and when only the units could
    say what kind the figures are (those of a candidate are not known before it is read)."""
    moves = dynamics or from_attribute(attribute)
    return None if moves is None else window_of(attribute, moves, settings)


def could_conflict(mine: Stored, settings: Settings, dynamics: Dynamics | None = None) -> Fragment | None:
    """A WHERE fragment for the claims of the same attribute that could clash with `mine`: a superset of what the
    comparator would flag, narrowed in SQL so that a subject with thousands of agreeing claims does not bring them
    all back. None when nothing can clash. Every narrowing is a rule of compare.py (see docs/DETECTION.md)."""
    parts: list[Fragment] = []
    own = mine.facts
    for kind in COMPARABLE[mine.kind]:
        tests: list[Fragment] = [("c.kind = %s", [str(kind)])]
        if kind == mine.kind and kind in _WINDOWED and own.as_of is not None:
            days: int | None = settings.window_days(own.attribute)
            if kind == Claim.Kind.QUANTITY:
                days = quantity_window(own.attribute, dynamics, settings)
            window = _within_window(own.as_of, days) if days is not None else None
            if window is not None:
                tests.append(window)
        if kind == mine.kind == Claim.Kind.QUANTITY:
            span = quantity_interval(
                own.value, own.qualifier, settings.approx_tolerance, settings.approx_min_abs, own.quote
            )
            if span is None:
                continue
            tests.append(_overlapping_quantities(span, own.unit or ""))
        elif kind == mine.kind == Claim.Kind.DATE:
            period = date_interval(own.value, own.qualifier)
            if period is None:
                continue
            tests.append(_overlapping_dates(period))
        elif kind == mine.kind == Claim.Kind.STATEMENT:
            if mine.polarity not in _OPPOSITE:
                continue
            tests.append(("c.polarity = %s", [_OPPOSITE[Claim.Polarity(mine.polarity)].value]))
        elif kind == mine.kind == Claim.Kind.ATTRIBUTION:
            if mine.speaker_id is None:  # an unknown speaker never clashes
                continue
            # written as two ranges, not "IS NOT NULL AND <>": that keeps the planner on the candidate index
            tests.append(("c.speaker_id < %s OR c.speaker_id > %s", [mine.speaker_id, mine.speaker_id]))
        elif mine.kind == Claim.Kind.DURATION and kind == Claim.Kind.DATE:  # a date matters only as a deadline
            if own.as_of is None:
                continue
            tests.append(("c.qualifier = %s", [Claim.Qualifier.AT_MOST.value]))
        elif mine.kind == Claim.Kind.DATE and mine.qualifier != Claim.Qualifier.AT_MOST:
            continue  # kind is duration: only a deadline date is weighed against one
        parts.append(_join("AND", tests))
    return _join("OR", parts) if parts else None


Relatives = tuple[dict[int, str], Dynamics | None]


def relatives(mine: Stored) -> Relatives:
    """The subject and its related ones, each with how it relates ("self", "broader", "narrower", "group"), and the
    editor's dynamics of the attribute if any: one query on the small subject and dynamics tables. The candidate
    query then names the subjects as a list, which keeps it on the candidate index, where an OR with subqueries or
    joins would not."""
    t = _tables()
    sql = (
        f"SELECT id, 'self' FROM {t['subject']} WHERE id = %s"
        f" UNION ALL SELECT to_subject_id, 'broader' FROM {t['broader']} WHERE from_subject_id = %s"
        f" UNION ALL SELECT from_subject_id, 'narrower' FROM {t['broader']} WHERE to_subject_id = %s"
        f" UNION ALL SELECT window_days, dynamics FROM {t['dynamics']} WHERE attribute_key = %s"
    )
    params: list[Any] = [mine.subject_id, mine.subject_id, mine.subject_id, mine.attribute_key]
    if mine.group_key:
        sql += f" UNION ALL SELECT id, 'group' FROM {t['subject']} WHERE group_key = %s"
        params.append(mine.group_key)
    related: dict[int, str] = {}
    moves: Dynamics | None = None
    rank = {"self": 0, "broader": 1, "narrower": 1, "group": 2}
    with _cursor() as cursor:
        cursor.execute(sql, params)
        for value, how in cursor.fetchall():
            if how not in rank:  # the attribute's dynamics row: (window_days, kind)
                moves = Dynamics(str(how), None if value is None else int(value), "set by an editor")
            elif int(value) not in related or rank[how] < rank[related[int(value)]]:
                related[int(value)] = how
    if mine.subject_id is not None:
        related[mine.subject_id] = "self"
    return related, moves


def subject_ids(mine: Stored) -> list[int]:
    """The subject and its related ones (broader, narrower, same group key)."""
    return sorted(relatives(mine)[0])


def candidate_sql(mine: Stored, settings: Settings, known: Relatives | None = None) -> Fragment | None:
    """The one query for the claims that could conflict with `mine`, on its subject or a related one (after the
    related subjects' query). It goes through the index on (subject, attribute_key, status, effective_date);
    docs/PERFORMANCE.md shows the plans."""
    if mine.subject_id is None or could_conflict(mine, settings) is None:
        return None
    related, moves = known or relatives(mine)
    narrowed = could_conflict(mine, settings, moves)
    if narrowed is None:
        return None
    subjects = sorted(related)
    where = (
        f"c.status = %s AND c.subject_id IN {_in(subjects)} AND c.attribute_key = %s AND c.id <> %s AND ({narrowed[0]})"
    )
    return f"{_select()} WHERE {where}", [
        Claim.Status.CONFIRMED.value,
        *subjects,
        mine.attribute_key,
        mine.pk,
        *narrowed[1],
    ]


def _candidates(mine: Stored, settings: Settings) -> tuple[list[Stored], Relatives]:
    if mine.subject_id is None or could_conflict(mine, settings) is None:
        return [], ({}, None)
    known = relatives(mine)
    query = candidate_sql(mine, settings, known)
    if query is None:
        return [], known
    with _cursor() as cursor:
        cursor.execute(*query)
        return [_row(values) for values in cursor.fetchall()], known


def candidates(mine: Stored, settings: Settings | None = None) -> tuple[list[Stored], list[Stored]]:
    """(same-subject claims, related-subject claims) that could conflict with `mine`: same attribute, a comparable
    kind, confirmed, and not surely compatible (could_conflict)."""
    found, _ = _candidates(mine, settings or detection_settings())
    same = [c for c in found if c.subject_id == mine.subject_id]
    return same, [c for c in found if c.subject_id != mine.subject_id]


def part_of(mine: Stored, other: Stored, related: dict[int, str]) -> Part:
    """(narrower subject, broader subject) when one of the two subjects is linked as a part of the other."""
    how = related.get(other.subject_id or 0)
    if how == "broader":
        return mine.facts.subject, other.facts.subject
    if how == "narrower":
        return other.facts.subject, mine.facts.subject
    return None


_DATES = "c.status = %s AND c.kind = %s"


def _dates(where: str, params: Sequence[Any]) -> list[Stored]:
    return _read(f"{_DATES} AND {where}", [Claim.Status.CONFIRMED.value, Claim.Kind.DATE.value, *params])


def _earliest(where: str, params: Sequence[Any]) -> datetime.date | None:
    """The earliest date_value of the confirmed date claims matching `where`; None when there is none."""
    with _cursor() as cursor:
        cursor.execute(
            f"SELECT MIN(c.date_value) FROM {_tables()['claim']} c WHERE {_DATES} AND {where}",
            [Claim.Status.CONFIRMED.value, Claim.Kind.DATE.value, *params],
        )
        row = cursor.fetchone()
    value = row[0] if row else None
    if isinstance(value, str):  # SQLite does not type an aggregate's result
        value = datetime.date.fromisoformat(value)
    return value


def timeline_pairs(mine: Stored) -> list[tuple[Stored, list[Stored]]]:
    """(event, date claims of the event it came after) for every `after` link that involves `mine`: its own, and
    those of later events that name `mine`'s subject as the one they followed.

    timeline_check flags an event only when it lies wholly before every date of the earlier event, and a date
    claim's interval starts on or before its `date_value`; so most links are settled by one indexed query that
    finds a date which rules the flag out, and only the rest load the dates they need."""
    own = date_interval(mine.facts.value, mine.qualifier) if mine.kind == Claim.Kind.DATE else None
    if own is None:
        return []
    groups: list[tuple[Stored, list[Stored]]] = []
    own_hi = _day(own.hi)
    if (
        mine.after_id
        and own_hi is not None
        and _earliest("c.subject_id = %s AND c.date_value <= %s", [mine.after_id, own_hi]) is None
    ):
        groups.append((mine, _dates("c.subject_id = %s", [mine.after_id])))
    own_lo = _day(own.lo)
    if own_lo is not None:  # a later event can only precede us if its period starts before ours does
        followers = _dates("c.after_id = %s AND c.date_value < %s AND c.id <> %s", [mine.subject_id, own_lo, mine.pk])
        # As for our own link: a date of our subject on or before a follower's end rules that follower out, so one
        # query for the earliest such date settles most followers before the subject's dates are loaded.
        ends: dict[int, datetime.date] = {}
        for follower in followers:
            span = date_interval(follower.facts.value, follower.qualifier)
            end = _day(span.hi) if span is not None else None
            if end is not None:  # an open or unreadable interval never lies before anything
                ends[follower.pk] = end
        if ends:
            first = _earliest("c.subject_id = %s AND c.date_value <= %s", [mine.subject_id, max(ends.values())])
            still = [f for f in followers if f.pk in ends and (first is None or first > ends[f.pk])]
            if still:
                dates_of_subject = _dates("c.subject_id = %s", [mine.subject_id])
                groups.extend((follower, dates_of_subject) for follower in still)
    return groups


def find_conflicts(claim: Stored | Claim, settings: Settings | None = None) -> list[Found]:
    """Every contradiction of one claim with the confirmed claims (not written). A model instance is read again as
    a Stored row first (one query more)."""
    settings = settings or detection_settings()
    if isinstance(claim, Claim):
        loaded = load(claim.pk)
        if loaded is None:
            return []
        claim = loaded
    mine = claim.facts
    found: list[Found] = []
    others, (related, moves) = _candidates(claim, settings)
    for other in others:
        is_related = other.subject_id != claim.subject_id
        verdict = compare(
            mine,
            other.facts,
            related=is_related,
            settings=settings,
            dynamics=moves,
            part=part_of(claim, other, related) if is_related else None,
        )
        if verdict is not None:
            found.append(Found(other, verdict, is_related))
    for event, earlier in timeline_pairs(claim):
        by_id = {c.pk: c for c in earlier}
        for other_facts, verdict in timeline_check(event.facts, [c.facts for c in earlier], settings=settings):
            if event.pk == claim.pk:  # our own `after` link: the other side is the earlier event's date
                found.append(Found(by_id[int(other_facts.id or 0)], verdict, False))
            elif other_facts.id == claim.pk:  # a later event names our subject: the other side is that event
                found.append(Found(event, verdict, False))
    return found


def _existing(claim_id: int) -> dict[Key, Existing]:
    """The stored flags of one claim, through the two pair indexes."""
    table = _tables()["flag"]
    columns = "id, claim_a_id, claim_b_id, kind, score, explanation, withdrawn_at"
    with _cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE claim_a_id = %s"
            f" UNION ALL SELECT {columns} FROM {table} WHERE claim_b_id = %s",
            [claim_id, claim_id],
        )
        return {
            (a, b, kind): Existing(pk, score, explanation, withdrawn_at)
            for pk, a, b, kind, score, explanation, withdrawn_at in cursor.fetchall()
        }


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
        claim = load(claim_id, lock=True)  # one round trip: the row locked, read with what facts() needs
        if claim is None:
            return "gone"
        existing = _existing(claim_id)
        found: dict[Key, tuple[Verdict, bool]] = {}
        # Defensive: a claim without a subject is never compared, whatever its status says.
        confirmed = claim.status == Claim.Status.CONFIRMED and claim.subject_id is not None
        if confirmed:
            for item in find_conflicts(claim, settings):
                a, b = sorted((claim.pk, item.other.pk))
                found[(a, b, item.verdict.kind)] = (item.verdict, item.related)
        write_flags(found, existing, now, lambda _key: f"no longer holds after claim {claim_id} changed")
        if confirmed:
            # Stamp only the version we compared: an edit in between leaves checked_at null for the next check.
            with _cursor() as cursor:
                cursor.execute(
                    f"UPDATE {_tables()['claim']} SET checked_at = %s WHERE id = %s AND version = %s",
                    [connection.ops.adapt_datetimefield_value(now), claim_id, claim.version],
                )
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


def write_flags(
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
        score = round(min(1.0, max(0.0, verdict.score)), 4)
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
            score = round(min(1.0, max(0.0, verdict.score)), 4)
            audits.append((pk, action, {"score": score, "explanation": verdict.explanation}))
    stale = [key for key in sorted(existing.keys() - found.keys()) if existing[key].withdrawn_at is None]
    if stale:
        Contradiction.objects.filter(pk__in=[existing[key].pk for key in stale]).update(
            withdrawn_at=now, updated_at=now
        )
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
_FLAG_COLUMNS = (
    "claim_a_id, claim_b_id, kind, score, explanation, related, status, note, withdrawn_at, created_at, updated_at"
)


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


def _audit(audits: list[tuple[int, str, dict[str, Any]]], now: datetime.datetime) -> None:
    """One audit row per changed flag (entity 'contradiction', no actor), in one statement on PostgreSQL."""
    if not audits:
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(entity="contradiction", entity_id=pk, action=action, changes=changes)
                for pk, action, changes in audits
            ],
            batch_size=2000,
        )
        return
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (entity, entity_id, action, changes, at) SELECT 'contradiction', i, a, c::jsonb, %s"
            " FROM unnest(%s::bigint[], %s::text[], %s::text[]) WITH ORDINALITY AS t(i, a, c, n) ORDER BY n",
            [
                now,
                [pk for pk, _, _ in audits],
                [action for _, action, _ in audits],
                [json.dumps(changes) for _, _, changes in audits],
            ],
        )
