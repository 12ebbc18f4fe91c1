"""The floor of one claim's check, for bench/bench_detect.py: what check_claim cannot do without, timed beside it.

For each sample claim, prepared once and not timed (`prepare`): the check's related-subjects query and candidate
query (the SQL claims.detection.sql builds for the claim), the flags check_claim writes (find_conflicts), and the
comparator's inputs (the candidates' facts, the timeline pairs). Then, interleaved with check_claim on the same claim
(`Interleaved.run`), each started from the same state (`undo` deletes a run's flags and audit rows and clears
`checked_at`, untimed):

  * raw floor (`floor`): on a plain psycopg connection (not Django), in one transaction: the related-subjects query,
    the candidate query (both fetched), the flag upsert and the audit insert (the statements of
    services.contradictions._upsert and services.audit.audit_contradictions, for the same flags) and the
    checked_at update,
    then commit. No comparator, no facts built from the rows;
  * comparator alone (`comparator`): compare() on the same candidates' facts (and timeline_check on the same
    timeline pairs, for date claims), no database.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from typing import Any

import psycopg


@dataclass
class Case:
    """One sample claim, ready to time three ways."""

    claim_id: int
    kind: str
    version: int
    related_sql: tuple[str, list[Any]] | None  # None: the check reads no candidates (nothing can clash)
    candidate_sql: tuple[str, list[Any]] | None
    flags: list[tuple[tuple[int, int, str], float, str, bool]]  # ((a, b, kind), score, explanation, related)
    compare_args: list[tuple[Any, Any, bool, Any]]  # (mine facts, other facts, related, part)
    dynamics: Any
    timeline: list[tuple[Any, list[Any]]]  # (event facts, the earlier event's date facts)


def related_query(mine: Any) -> tuple[str, list[Any]]:
    """The SQL of claims.detection.sql.relatives (its function runs it; relatives_sql gives it)."""
    from claims.detection.sql import relatives_sql

    return relatives_sql(mine)


def prepare(claim_ids: list[int]) -> list[Case]:
    """Each claim's queries, flags and comparator inputs, read through the detection code itself (not timed)."""
    from claims.detection import check, rows, sql
    from claims.detection.config import detection_settings
    from claims.services.contradictions import _rounded

    settings = detection_settings()
    cases = []
    for claim_id in claim_ids:
        mine = rows.load(claim_id)
        assert mine is not None
        related_sql = candidate = None
        compare_args: list[tuple[Any, Any, bool, Any]] = []
        related: dict[int, str] = {}
        moves = None
        if mine.subject_id is not None and sql.could_conflict(mine, settings) is not None:
            related_sql = related_query(mine)
            related, moves = sql.relatives(mine)
            candidate = sql.candidate_sql(mine, settings, (related, moves))
            others, _ = check._candidates(mine, settings)
            for other in others:
                is_related = other.subject_id != mine.subject_id
                part = check.part_of(mine, other, related) if is_related else None
                compare_args.append((mine.facts, other.facts, is_related, part))
        found: dict[tuple[int, int, str], tuple[Any, bool]] = {}
        for item in check.find_conflicts(mine, settings):
            a, b = sorted((mine.pk, item.other.pk))
            found[(a, b, item.verdict.kind)] = (item.verdict, item.related)
        flags = [
            (key, _rounded(verdict), verdict.explanation, is_related)
            for key, (verdict, is_related) in sorted(found.items())
        ]
        timeline = [(event.facts, [c.facts for c in earlier]) for event, earlier in check.timeline_pairs(mine)]
        cases.append(
            Case(claim_id, mine.kind, mine.version, related_sql, candidate, flags, compare_args, moves, timeline)
        )
    return cases


class Floor:
    """The raw floor's statements on a plain psycopg connection of its own."""

    def __init__(self, conninfo: str) -> None:
        from django.db import connection

        from claims.models import AuditEvent, Claim, Contradiction

        self.conn = psycopg.connect(conninfo, autocommit=False)
        self.conn.prepare_threshold = 0  # every statement prepared, as the check's reads are (claims.detection.rows)
        quote = connection.ops.quote_name
        flag, audit, claim = (quote(m._meta.db_table) for m in (Contradiction, AuditEvent, Claim))
        self.upsert = (
            f"INSERT INTO {flag} (claim_a_id, claim_b_id, kind, score, explanation, related, status, note,"
            " withdrawn_at, created_at, updated_at) SELECT a, b, k, s, e, r, 'open', '', NULL, %s, %s"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::float8[], %s::text[], %s::boolean[])"
            " AS t(a, b, k, s, e, r) ORDER BY a, b, k"
            " ON CONFLICT (claim_a_id, claim_b_id, kind) DO UPDATE SET score = excluded.score,"
            " explanation = excluded.explanation, related = excluded.related, withdrawn_at = NULL,"
            f" updated_at = excluded.updated_at WHERE {flag}.withdrawn_at IS NOT NULL OR {flag}.score <> excluded.score"
            f" OR {flag}.explanation <> excluded.explanation RETURNING id, claim_a_id, claim_b_id, kind"
        )
        self.audit = (
            f"INSERT INTO {audit} (entity, entity_id, action, changes, at) SELECT 'contradiction', i, a, c::jsonb, %s"
            " FROM unnest(%s::bigint[], %s::text[], %s::text[]) WITH ORDINALITY AS t(i, a, c, n) ORDER BY n"
        )
        self.stamp = f"UPDATE {claim} SET checked_at = %s WHERE id = ANY(%s) AND version = %s"
        self.forget = (
            f"WITH gone AS (DELETE FROM {flag} WHERE claim_a_id = %s OR claim_b_id = %s RETURNING id)"
            f" DELETE FROM {audit} WHERE entity = 'contradiction' AND entity_id IN (SELECT id FROM gone)"
        )
        self.unstamp = f"UPDATE {claim} SET checked_at = NULL WHERE id = %s"

    def run(self, case: Case) -> int:
        """The floor of one check; returns the number of flags written."""
        now = dt.datetime.now(dt.UTC)
        written = 0
        with self.conn.cursor() as cur:
            if case.related_sql is not None:
                cur.execute(*case.related_sql)
                cur.fetchall()
            if case.candidate_sql is not None:
                cur.execute(*case.candidate_sql)
                cur.fetchall()
            if case.flags:
                columns: list[list[Any]] = [[], [], [], [], [], []]
                for (a, b, kind), score, explanation, related in case.flags:
                    for column, value in zip(columns, (a, b, kind, score, explanation, related), strict=True):
                        column.append(value)
                cur.execute(self.upsert, [now, now, *columns])
                ids = [r[0] for r in cur.fetchall()]
                written = len(ids)
                changes = [json.dumps({"score": score, "explanation": text}) for _, score, text, _ in case.flags]
                cur.execute(self.audit, [now, ids, ["flag"] * len(ids), changes[: len(ids)]])
            cur.execute(self.stamp, [now, [case.claim_id], case.version])
        self.conn.commit()
        return written

    def undo(self, claim_id: int) -> None:
        """Back to the state before a check or a floor run of `claim_id`: its flags and their audit rows deleted,
        checked_at cleared (the sample claims are new: they had no flags and were never checked)."""
        with self.conn.cursor() as cur:
            cur.execute(self.forget, [claim_id, claim_id])
            cur.execute(self.unstamp, [claim_id])
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()


def comparator(case: Case, settings: Any) -> int:
    """compare() over the case's candidates and timeline_check over its timeline pairs; returns the verdicts."""
    from claims.detect.compare import compare, timeline_check

    found = 0
    for mine, other, related, part in case.compare_args:
        if compare(mine, other, related=related, settings=settings, dynamics=case.dynamics, part=part) is not None:
            found += 1
    for event, earlier in case.timeline:
        found += len(timeline_check(event, earlier, settings=settings))
    return found


@dataclass
class Timings:
    check: list[float]
    floor: list[float]
    compare: list[float]
    kinds: list[str]
    flags: int
    mismatches: int  # checks whose flag count differs from the floor's


def interleaved(cases: list[Case], conninfo: str, warmup: int = 10) -> Timings:
    """check, floor, check, floor... on each case (the order swapped every other case), each from the same state
    (`undo` between, not timed); the comparator alone after both. The first `warmup` cases run once untimed, so
    that both sides have their statements prepared before timing starts."""
    from claims.detection import check
    from claims.detection.config import detection_settings

    settings = detection_settings()
    floor = Floor(conninfo)
    out = Timings([], [], [], [], 0, 0)
    try:
        for case in cases[:warmup]:
            check.check_claim(case.claim_id)
            floor.undo(case.claim_id)
            floor.run(case)
            floor.undo(case.claim_id)
        for n, case in enumerate(cases):
            checked = floored = 0
            for side in ("check", "floor") if n % 2 == 0 else ("floor", "check"):
                started = time.perf_counter()
                if side == "check":
                    result = check.check_claim(case.claim_id)
                    out.check.append(time.perf_counter() - started)
                    checked = int(result.split(": ")[1].split()[0])
                else:
                    floored = floor.run(case)
                    out.floor.append(time.perf_counter() - started)
                floor.undo(case.claim_id)
            started = time.perf_counter()
            comparator(case, settings)
            out.compare.append(time.perf_counter() - started)
            out.kinds.append(case.kind)
            out.flags += checked
            out.mismatches += checked != floored
    finally:
        floor.close()
    return out


def profile(cases: list[Case], conninfo: str, top: int = 30) -> str:
    """cProfile of check_claim on `cases` (one check each, undone after), sorted by cumulative time."""
    import cProfile
    import io
    import pstats

    from claims.detection import check

    floor = Floor(conninfo)
    profiler = cProfile.Profile()
    try:
        for case in cases:
            profiler.enable()
            check.check_claim(case.claim_id)
            profiler.disable()
            floor.undo(case.claim_id)
    finally:
        floor.close()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    return text.getvalue()
