"""One claim's check (the worker's `check_claim`): read the claims that could conflict with it (claims.detection.sql),
weigh each pair with the pure comparator, and bring its flags up to date through claims.services.

Checking is idempotent: a pair and kind is stored once (a database constraint, written by an upsert), flags of the
claim that no longer hold are withdrawn (kept, with history), and `checked_at` is stamped only if the version that
was compared is still the claim's current version.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from claims.db import cursor
from claims.detect.base import Settings, Verdict
from claims.detect.compare import compare, timeline_check
from claims.detect.intervals import date_interval
from claims.detect.numeric import Part
from claims.detect.rules import day_of
from claims.detect.sums import sum_pairs
from claims.detection.config import detection_settings
from claims.detection.rows import Stored, load, read, row, tables
from claims.detection.sql import Relatives, candidate_sql, could_conflict, in_list, relatives
from claims.models import Claim
from claims.services import contradictions_record
from claims.services.contradictions import Existing, Key


@dataclass(frozen=True)
class Found:
    other: Stored
    verdict: Verdict
    related: bool


def _candidates(mine: Stored, settings: Settings) -> tuple[list[Stored], Relatives]:
    if mine.subject_id is None or could_conflict(mine, settings) is None:
        return [], ({}, None)
    known = relatives(mine)
    query = candidate_sql(mine, settings, known)
    if query is None:
        return [], known
    with cursor() as c:
        c.execute(*query)
        return [row(values) for values in c.fetchall()], known


def candidates(mine: Stored, settings: Settings | None = None) -> tuple[list[Stored], list[Stored]]:
    """(same-subject claims, related-subject claims) that could conflict with `mine`: same attribute, a comparable
    kind, confirmed, and not surely compatible (claims.detect.rules)."""
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
    return read(f"{_DATES} AND {where}", [Claim.Status.CONFIRMED.value, Claim.Kind.DATE.value, *params])


def _earliest(where: str, params: Sequence[Any]) -> datetime.date | None:
    """The earliest date_value of the confirmed date claims matching `where`; None when there is none."""
    with cursor() as c:
        c.execute(
            f"SELECT MIN(c.date_value) FROM {tables()['claim']} c WHERE {_DATES} AND {where}",
            [Claim.Status.CONFIRMED.value, Claim.Kind.DATE.value, *params],
        )
        found = c.fetchone()
    value = found[0] if found else None
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
    own_hi = day_of(own.hi)
    if (
        mine.after_id
        and own_hi is not None
        and _earliest("c.subject_id = %s AND c.date_value <= %s", [mine.after_id, own_hi]) is None
    ):
        groups.append((mine, _dates("c.subject_id = %s", [mine.after_id])))
    own_lo = day_of(own.lo)
    if own_lo is not None:  # a later event can only precede us if its period starts before ours does
        followers = _dates("c.after_id = %s AND c.date_value < %s AND c.id <> %s", [mine.subject_id, own_lo, mine.pk])
        # As for our own link: a date of our subject on or before a follower's end rules that follower out, so one
        # query for the earliest such date settles most followers before the subject's dates are loaded.
        ends: dict[int, datetime.date] = {}
        for follower in followers:
            span = date_interval(follower.facts.value, follower.qualifier)
            end = day_of(span.hi) if span is not None else None
            if end is not None:  # an open or unreadable interval never lies before anything
                ends[follower.pk] = end
        if ends:
            first = _earliest("c.subject_id = %s AND c.date_value <= %s", [mine.subject_id, max(ends.values())])
            still = [f for f in followers if f.pk in ends and (first is None or first > ends[f.pk])]
            if still:
                dates_of_subject = _dates("c.subject_id = %s", [mine.subject_id])
                groups.extend((follower, dates_of_subject) for follower in still)
    return groups


def _links(subject_id: int) -> list[tuple[int, int]]:
    """(narrower, broader) subject links of the subject: its own both ways, and those of its broader subjects."""
    table = tables()["broader"]
    with cursor() as c:
        c.execute(
            f"SELECT from_subject_id, to_subject_id FROM {table} WHERE from_subject_id = %s OR to_subject_id = %s"
            f" OR to_subject_id IN (SELECT to_subject_id FROM {table} WHERE from_subject_id = %s)",
            [subject_id, subject_id, subject_id],
        )
        return [(int(a), int(b)) for a, b in c.fetchall()]


def sum_conflicts(mine: Stored, known: Relatives, settings: Settings) -> list[tuple[Stored, Verdict]]:
    """claims.detect.sums.sum_pairs for one claim: the confirmed quantity claims of its attribute on its subject,
    the subjects linked as narrower or broader, and the broader ones' other narrower subjects. Two queries (the
    links, then the claims), and none when the subject has no broader or narrower subject (`relatives` says)."""
    related, moves = known
    if (
        mine.kind != Claim.Kind.QUANTITY
        or mine.subject_id is None
        or not any(how in ("broader", "narrower") for how in related.values())
    ):
        return []
    links = _links(mine.subject_id)
    broader: dict[int, set[int]] = {}
    narrower: dict[int, set[int]] = {}
    for part, whole in links:
        broader.setdefault(part, set()).add(whole)
        narrower.setdefault(whole, set()).add(part)
    subjects = sorted({mine.subject_id, *(s for link in links for s in link)})
    by_subject: dict[int, list[Stored]] = {}
    for other in read(
        f"c.status = %s AND c.kind = %s AND c.attribute_key = %s AND c.subject_id IN {in_list(subjects)}",
        [Claim.Status.CONFIRMED.value, Claim.Kind.QUANTITY.value, mine.attribute_key, *subjects],
    ):
        by_subject.setdefault(other.subject_id or 0, []).append(mine if other.pk == mine.pk else other)
    return sum_pairs(
        mine,
        lambda s: by_subject.get(s, []),
        lambda s: broader.get(s, set()),
        lambda s: narrower.get(s, set()),
        settings=settings,
        dynamics=moves,
    )


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
    others, known = _candidates(claim, settings)
    related, moves = known
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
    # Parts added up against their whole; a pair the pairwise rule flagged with the same kind keeps its verdict.
    pairwise = {(item.other.pk, item.verdict.kind) for item in found}
    for other, verdict in sum_conflicts(claim, known, settings):
        if (other.pk, verdict.kind) not in pairwise:
            found.append(Found(other, verdict, other.subject_id != claim.subject_id))
    return found


def _existing(claim_id: int) -> dict[Key, Existing]:
    """The stored flags of one claim, through the two pair indexes."""
    table = tables()["flag"]
    columns = "id, claim_a_id, claim_b_id, kind, score, explanation, withdrawn_at"
    with cursor() as c:
        c.execute(
            f"SELECT {columns} FROM {table} WHERE claim_a_id = %s"
            f" UNION ALL SELECT {columns} FROM {table} WHERE claim_b_id = %s",
            [claim_id, claim_id],
        )
        return {
            (a, b, kind): Existing(pk, score, explanation, withdrawn_at)
            for pk, a, b, kind, score, explanation, withdrawn_at in c.fetchall()
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
        claim = load(claim_id, lock=True)  # one round trip: the row locked, read with what its facts need
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
        # Stamp only the version we compared: an edit in between leaves checked_at null for the next check.
        contradictions_record(
            found,
            existing,
            now,
            lambda _key: f"no longer holds after claim {claim_id} changed",
            stamp=(claim_id, claim.version) if confirmed else None,
        )
    return f"checked: {len(found)} flags"
