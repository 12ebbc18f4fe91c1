"""Reconcile in bulk: check every confirmed claim that was never checked (or changed since) one partition at a time,
instead of one claim at a time.

A partition is one normalised attribute and one connected group of related subjects (same subject, same group key,
broader/narrower): every claim a claim of the partition can be compared with is in it. Its claims are read once, the
pairs are weighed in memory with the same rules as the per-claim query (claims.detect.rules, evaluated here by
`rules.compile_test`) and the pure comparator, the flags are written in bulk (services.contradictions_record) and
`checked_at` stamped, in one transaction per partition. Timeline links (an event dated before the event it came
after) cross attributes, so the date claims are read once for the whole run. The result is the same set of flags as
checking each unchecked claim with `check.check_claim` (tests/detect/test_bulk.py compares both on random data).
"""

from __future__ import annotations

import bisect
import datetime
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from claims.detect.base import ClaimFacts, Settings, Verdict
from claims.detect.compare import compare, timeline_check
from claims.detect.dynamics import Dynamics
from claims.detect.intervals import date_interval
from claims.detect.numeric import Part
from claims.detect.rules import KindRule, compile_test, narrowing
from claims.detect.sums import sum_pairs
from claims.detection.config import detection_settings
from claims.detection.rows import claim_facts
from claims.models import AttributeDynamics, Claim, Contradiction, Outlet, Speaker, Subject
from claims.services import contradictions_mark_checked, contradictions_record
from claims.services.contradictions import Existing, Key
from claims.values import VALUE_COLUMNS, StoredValue

_COLUMNS = ("id", "kind", "subject_id", "attribute", *VALUE_COLUMNS, "unit", "qualifier", "polarity", "after_id",
            "speaker_id", "as_of", "quote", "checked_at", "article__published_at", "article__outlet_id", "article_id",
            "prefix", "suffix")  # fmt: skip
_ID_CHUNK = 5000  # ids per IN (...) list


@dataclass
class Row:
    """One confirmed claim as the bulk path needs it; `row[column]` answers the columns the rules test."""

    id: int
    kind: str
    subject_id: int
    after_id: int | None
    speaker_id: int | None
    polarity: str
    qualifier: str
    unit: str
    qty_min: float | None
    qty_max: float | None
    date_value: datetime.date | None
    date_precision: str
    unchecked: bool
    facts: ClaimFacts
    day: int | None = field(default=None)  # the effective date as an ordinal, None when unknown

    def __getitem__(self, column: str) -> Any:
        return getattr(self, column)


class Names:
    """The small tables, read once per run: subject names and relations, speaker and outlet names."""

    def __init__(self) -> None:
        self.subjects: dict[int, str] = {}
        groups: dict[str, list[int]] = defaultdict(list)
        for pk, name, group in Subject.objects.values_list("id", "name", "group_key"):
            self.subjects[pk] = name
            if group:
                groups[group].append(pk)
        self.related: dict[int, set[int]] = defaultdict(set)
        for members in groups.values():
            for pk in members:
                self.related[pk].update(members)
        self.broader: dict[int, set[int]] = defaultdict(set)
        self.narrower: dict[int, set[int]] = defaultdict(set)
        for narrower, broader in Subject.broader.through.objects.values_list("from_subject_id", "to_subject_id"):
            self.related[narrower].add(broader)
            self.related[broader].add(narrower)
            self.broader[narrower].add(broader)
            self.narrower[broader].add(narrower)
        self.dynamics = {
            key: Dynamics(kind, days, "set by an editor")
            for key, kind, days in AttributeDynamics.objects.values_list("attribute_key", "dynamics", "window_days")
        }
        self.speakers = dict(Speaker.objects.values_list("id", "name"))
        self.outlets = dict(Outlet.objects.values_list("id", "name"))

    def part(self, mine: Row, other: Row) -> Part:
        """check.part_of: (narrower, broader) subject names when one subject is linked as part of the other."""
        if other.subject_id in self.broader.get(mine.subject_id, ()):
            return mine.facts.subject, other.facts.subject
        if mine.subject_id in self.broader.get(other.subject_id, ()):
            return other.facts.subject, mine.facts.subject
        return None

    def broader_of(self, subject_id: int) -> set[int]:
        return self.broader.get(subject_id, set())

    def narrower_of(self, subject_id: int) -> set[int]:
        return self.narrower.get(subject_id, set())

    def related_to(self, subject_id: int) -> set[int]:
        """sql.subject_ids: the subject, its broader and narrower ones, and those of its group key."""
        return self.related.get(subject_id, set()) | {subject_id}

    def row(self, values: tuple[Any, ...]) -> Row:
        (pk, kind, subject_id, attribute), value = values[:4], StoredValue(*values[4:11])
        (unit, qualifier, polarity, after_id, speaker_id, as_of, quote, checked_at, published_at, outlet_id, article_id,
         prefix, suffix) = values[11:]  # fmt: skip
        facts = claim_facts(
            pk=pk, kind=kind, subject=self.subjects[subject_id], attribute=attribute, value=value, unit=unit,
            qualifier=qualifier, speaker=self.speakers.get(speaker_id) if speaker_id else None, as_of=as_of,
            published=published_at, polarity=polarity, after=self.subjects[after_id] if after_id else None,
            quote=quote, outlet=self.outlets.get(outlet_id) if outlet_id else None, article_id=article_id,
            prefix=prefix, suffix=suffix,
        )  # fmt: skip
        return Row(
            id=pk,
            kind=kind,
            subject_id=subject_id,
            after_id=after_id,
            speaker_id=speaker_id,
            polarity=polarity,
            qualifier=qualifier,
            unit=unit or "",
            qty_min=value.qty_min,
            qty_max=value.qty_max,
            date_value=value.date_value,
            date_precision=value.date_precision,
            unchecked=checked_at is None,
            facts=facts,
            day=facts.as_of.toordinal() if facts.as_of else None,
        )

    def rows(self, query: Iterable[tuple[Any, ...]]) -> list[Row]:
        return [self.row(values) for values in query]


def _confirmed() -> Q:
    return Q(status=Claim.Status.CONFIRMED, subject__isnull=False)


def _components(subjects: set[int], names: Names) -> list[list[int]]:
    """Subjects joined by the candidate relation, transitively: every candidate of a claim on one of them is on one
    of the same component."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for subject in subjects:
        for other in names.related_to(subject):
            parent[find(subject)] = find(other)
    groups: dict[int, list[int]] = defaultdict(list)
    for subject in parent:
        groups[find(subject)].append(subject)
    return sorted((sorted(members) for members in groups.values()), key=lambda m: m[0])


class Partition:
    """The confirmed claims of one attribute on one component of subjects, indexed for the comparisons."""

    def __init__(self, rows: list[Row], settings: Settings, names: Names, moves: Dynamics | None = None) -> None:
        self.rows, self.settings, self.names, self.moves = rows, settings, names, moves
        self.by_kind: dict[str, list[Row]] = defaultdict(list)
        self.dated: dict[str, tuple[list[int], list[Row], list[Row]]] = {}
        for row in rows:
            self.by_kind[row.kind].append(row)
        for kind, members in self.by_kind.items():
            known = sorted((r for r in members if r.day is not None), key=lambda r: r.day or 0)
            self.dated[kind] = ([r.day or 0 for r in known], known, [r for r in members if r.day is None])
        self.quantities: dict[int, list[Row]] = defaultdict(list)
        for row in self.by_kind.get(Claim.Kind.QUANTITY, ()):
            self.quantities[row.subject_id].append(row)
        self._wholes: dict[int, list[tuple[Row, Verdict]]] = {}  # sum_pairs' cache: one read, every claim

    def _pool(self, rule: KindRule) -> Iterator[Row]:
        """The rows of the rule's kind inside its window of effective dates (and those of unknown date)."""
        window = rule.window
        if window is None:
            yield from self.by_kind.get(rule.kind, ())
            return
        ordinals, known, unknown = self.dated.get(rule.kind, ([], [], []))
        first, last = (day.toordinal() for day in window)
        yield from known[bisect.bisect_left(ordinals, first) : bisect.bisect_right(ordinals, last)]
        yield from unknown

    def conflicts(self, mine: Row, related: set[int]) -> Iterator[tuple[Row, Verdict]]:
        """What check_claim finds for `mine` among these rows, except pairs with an unchecked claim of lower id
        (found when that one is weighed)."""
        for rule in narrowing(mine.facts, mine.speaker_id, self.settings, self.moves):
            passes = compile_test(rule.test)  # rules.holds, as code: the same test, run millions of times here
            for other in self._pool(rule):
                if other.id == mine.id or other.subject_id not in related or (other.unchecked and other.id < mine.id):
                    continue
                if not passes(other):
                    continue
                related_subject = other.subject_id != mine.subject_id
                verdict = compare(
                    mine.facts,
                    other.facts,
                    related=related_subject,
                    settings=self.settings,
                    dynamics=self.moves,
                    part=self.names.part(mine, other) if related_subject else None,
                )
                if verdict is not None:
                    yield other, verdict

    def sums(self, mine: Row) -> list[tuple[Row, Verdict]]:
        """check.sum_conflicts: parts added up against their whole, over the partition's rows (which hold every
        subject linked to `mine`'s and the broader ones' other narrower subjects: one component)."""
        return sum_pairs(
            mine,
            lambda s: self.quantities.get(s, []),
            self.names.broader_of,
            self.names.narrower_of,
            settings=self.settings,
            dynamics=self.moves,
            cache=self._wholes,
        )


class Timelines:
    """Every confirmed date claim, read once: the timeline links (`after`) cross attributes and partitions."""

    def __init__(self, names: Names, settings: Settings) -> None:
        self.settings = settings
        rows = names.rows(
            Claim.objects.filter(_confirmed(), kind=Claim.Kind.DATE).values_list(*_COLUMNS).iterator(chunk_size=20000)
        )
        self.dates: dict[int, list[Row]] = defaultdict(list)
        self.followers: dict[int, list[Row]] = defaultdict(list)
        for row in rows:
            self.dates[row.subject_id].append(row)
            if row.after_id is not None:
                self.followers[row.after_id].append(row)
        self._first: dict[int, float | None] = {}
        self._flags_of: dict[int, list[tuple[Row, Row, Verdict]]] = {}

    def _first_start(self, subject_id: int) -> float | None:
        """The earliest start of a date claimed for the subject: timeline_check flags an event only when it ends
        before that."""
        if subject_id not in self._first:
            starts = [
                span.lo
                for row in self.dates.get(subject_id, ())
                if (span := date_interval(row.facts.value, row.qualifier)) is not None
            ]
            self._first[subject_id] = min(starts) if starts else None
        return self._first[subject_id]

    def _check(self, event: Row) -> list[tuple[Row, Verdict]]:
        """timeline_check(event, dates of the event it came after), with the rows it flags."""
        assert event.after_id is not None
        first = self._first_start(event.after_id)
        own = date_interval(event.facts.value, event.qualifier)
        if first is None or own is None or own.hi >= first:
            return []
        earlier = self.dates[event.after_id]
        by_id = {row.id: row for row in earlier}
        return [
            (by_id[int(other.id or 0)], verdict)
            for other, verdict in timeline_check(event.facts, [row.facts for row in earlier], settings=self.settings)
        ]

    def contradictions(self, mine: Row) -> Iterator[tuple[Row, Verdict]]:
        """check.timeline_pairs + timeline_check for `mine`: its own `after` link, and the later events that
        name its subject."""
        if mine.kind != Claim.Kind.DATE:
            return
        if mine.after_id is not None:
            yield from self._check(mine)
        if mine.subject_id not in self._flags_of:
            self._flags_of[mine.subject_id] = [
                (follower, earlier, verdict)
                for follower in self.followers.get(mine.subject_id, ())
                for earlier, verdict in self._check(follower)
            ]
        for follower, earlier, verdict in self._flags_of[mine.subject_id]:
            if earlier.id == mine.id and follower.id != mine.id:
                yield follower, verdict


_FLAG_FIELDS = ("id", "claim_a_id", "claim_b_id", "kind", "score", "explanation", "withdrawn_at")


def _existing_contradictions(ids: list[int]) -> dict[Key, Existing]:
    """The stored flags of these claims. On PostgreSQL one statement that looks each claim up in the two pair
    indexes (a LATERAL join): `claim_a_id = ANY(...) OR claim_b_id = ANY(...)` is planned as a sequential scan
    whenever the table's statistics are young, as after a bulk load."""
    rows: list[tuple[Any, ...]] = []
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Contradiction._meta.db_table)
        columns = ", ".join(_FLAG_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT f.* FROM unnest(%s::bigint[]) AS u(claim) CROSS JOIN LATERAL ("
                f"SELECT {columns} FROM {table} WHERE claim_a_id = u.claim"
                f" UNION ALL SELECT {columns} FROM {table} WHERE claim_b_id = u.claim) AS f",
                [ids],
            )
            rows = cursor.fetchall()
    else:
        for start in range(0, len(ids), _ID_CHUNK):
            chunk = ids[start : start + _ID_CHUNK]
            rows.extend(
                Contradiction.objects.filter(Q(claim_a_id__in=chunk) | Q(claim_b_id__in=chunk)).values_list(
                    *_FLAG_FIELDS
                )
            )
    return {
        (a, b, kind): Existing(pk, score, explanation, withdrawn_at)
        for pk, a, b, kind, score, explanation, withdrawn_at in rows
    }


def reconcile(limit: int | None = None, deadline: float | None = None) -> int:
    """Check the confirmed claims never checked or changed since, a partition at a time (stopping after the
    partition that reaches `limit` claims, or the first to end after time.monotonic() passes `deadline`, if given).
    Returns how many claims were checked."""
    settings = detection_settings()  # before any write: a bad setting fails the run, it does not half-run it
    todo = (
        Claim.objects.filter(_confirmed(), checked_at__isnull=True)
        .values_list("attribute_key", "subject_id")
        .distinct()
        .order_by()
    )
    by_attribute: dict[str, set[int]] = defaultdict(set)
    for key, subject_id in todo:
        by_attribute[key].add(subject_id)
    if not by_attribute:
        return 0
    names = Names()
    timelines: list[Timelines] = []

    def dates() -> Timelines:  # read at the first partition that has a date claim to check
        if not timelines:
            timelines.append(Timelines(names, settings))
        return timelines[0]

    done = 0
    for key in sorted(by_attribute):
        for component in _components(by_attribute[key], names):
            done += _reconcile_partition(key, component, names, dates, settings)
            if (limit is not None and done >= limit) or (deadline is not None and time.monotonic() > deadline):
                return done
    return done


def _reconcile_partition(
    key: str, component: list[int], names: Names, dates: Callable[[], Timelines], settings: Settings
) -> int:
    now = timezone.now()
    with transaction.atomic():
        # Read the partition and lock its claims, in id order, as check_claim locks its one claim: an edit or a
        # worker's check of one of them waits until the partition is written, and stamping checked_at stays truthful.
        rows = names.rows(
            Claim.objects.filter(_confirmed(), attribute_key=key, subject_id__in=component)
            .select_for_update(no_key=True, of=("self",))
            .values_list(*_COLUMNS)
            .order_by("id")
        )
        ids = [row.id for row in rows if row.unchecked]
        if not ids:
            return 0
        checked = set(ids)
        partition = Partition(rows, settings, names, names.dynamics.get(key))
        timelines = dates() if any(row.unchecked and row.kind == Claim.Kind.DATE for row in rows) else None
        found: dict[Key, tuple[Verdict, bool]] = {}
        sums: dict[Key, tuple[Verdict, bool]] = {}
        for mine in rows:
            if not mine.unchecked:
                continue
            related = names.related_to(mine.subject_id)
            for other, verdict in partition.conflicts(mine, related):
                a, b = sorted((mine.id, other.id))
                found[(a, b, verdict.kind)] = (verdict, other.subject_id != mine.subject_id)
            if timelines is not None:
                for other, verdict in timelines.contradictions(mine):
                    a, b = sorted((mine.id, other.id))
                    found[(a, b, verdict.kind)] = (verdict, False)
            for other, verdict in partition.sums(mine):
                a, b = sorted((mine.id, other.id))
                sums[(a, b, verdict.kind)] = (verdict, other.subject_id != mine.subject_id)
        for pair, value in sums.items():  # as check_claim: a pair the pairwise rule flagged keeps its verdict
            found.setdefault(pair, value)
        existing = _existing_contradictions(ids)
        contradictions_record(
            found, existing, now, lambda k: f"no longer holds after claim {k[0] if k[0] in checked else k[1]} changed"
        )
        contradictions_mark_checked(claim_ids=ids, at=now)
    return len(ids)
