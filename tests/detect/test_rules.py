"""The narrowing is stated once (claims.detect.rules) and read by two interpreters: the SQL of one claim's check
(claims.detection.sql) and the in-memory evaluation of the bulk reconcile (rules.holds, compiled to code by
rules.compile_test, with the window applied by claims.detection.reconcile). On random claims both must pick exactly
the same rows for every rule; that each keeps every pair the comparator flags is shown against brute force in
test_candidates.py (SQL) and test_bulk.py (bulk)."""

from __future__ import annotations

import datetime as dt
import random
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from claims.detect.base import ClaimFacts
from claims.detect.rules import TRUE, AllOf, AnyOf, Cmp, Missing, NotSurely, compile_test, holds, narrowing
from claims.detection import config, rows
from claims.detection.reconcile import _COLUMNS as ROW_COLUMNS
from claims.detection.reconcile import Names, Partition
from claims.detection.sql import could_conflict, to_sql
from claims.models import Claim
from tests.detect.test_candidates import TEXT, _claim
from tests.factories import make_article

_COLUMNS = ("kind", "unit", "qty_min", "qty_max", "date_value", "date_precision", "polarity", "speaker_id", "qualifier")


def _columns(claim: Claim) -> dict[str, Any]:
    return {name: getattr(claim, name) for name in _COLUMNS}


def _sql_ids(where: str, params: list[Any], attribute_key: str) -> set[int]:
    table = connection.ops.quote_name(Claim._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT c.id FROM {table} c WHERE c.attribute_key = %s AND ({where})", [attribute_key, *params])
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [11, 12])
def test_the_sql_and_the_memory_interpreters_pick_the_same_rows_for_every_rule(seed: int) -> None:
    rng = random.Random(seed)
    articles = [
        make_article(text=TEXT, raw=TEXT, published_at=dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.UTC)),
        make_article(text=TEXT, raw=TEXT, published_at=None),
    ]
    for index in range(80):
        _claim(rng.choice(articles), rng, index)
    everything = list(Claim.objects.select_related("subject", "speaker", "after", "article__outlet"))
    settings = config.detection_settings()
    compared = 0
    for claim in everything:
        mine = rows.load(claim.pk)
        assert mine is not None
        rules = narrowing(mine.facts, mine.speaker_id, settings)
        whole = could_conflict(mine, settings)
        assert (whole is None) == (not rules)
        in_memory: set[int] = set()
        for rule in rules:
            window = rule.window
            picked = {
                other.pk
                for other in everything
                if other.attribute_key == claim.attribute_key
                and other.kind == rule.kind
                and (window is None or other.effective_date is None or window[0] <= other.effective_date <= window[1])
                and holds(rule.test, _columns(other)) is True
            }
            in_memory |= picked
            compiled = compile_test(rule.test)  # the reconcile's fast form of the same test
            for other in everything:
                columns = _columns(other)
                assert compiled(SimpleNamespace(**columns)) == (holds(rule.test, columns) is True), (rule, columns)
            test_sql, params = to_sql(rule.test)
            assert _sql_ids(f"c.kind = %s AND ({test_sql})", [rule.kind, *params], claim.attribute_key) >= picked
            compared += 1
        if whole is not None:
            assert _sql_ids(whole[0], whole[1], claim.attribute_key) == in_memory, claim.pk
    assert compared > 50


@pytest.mark.django_db
def test_the_bulk_partition_reads_its_pool_through_the_same_rules() -> None:
    """The reconcile's pool (window by bisection) plus rules.holds is the rule's row set, as the SQL reads it."""
    rng = random.Random(21)
    article = make_article(text=TEXT, raw=TEXT, published_at=dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC))
    for index in range(60):
        _claim(article, rng, index)
    names = Names()
    settings = config.detection_settings()
    by_key: dict[str, list[Any]] = {}
    for values in Claim.objects.filter(status=Claim.Status.CONFIRMED).values_list("attribute_key", *ROW_COLUMNS):
        by_key.setdefault(values[0], []).append(names.row(values[1:]))
    checked = 0
    for key, members in by_key.items():
        partition = Partition(members, settings, names)
        for mine in members:
            for rule in narrowing(mine.facts, mine.speaker_id, settings):
                pooled = {row.id for row in partition._pool(rule) if holds(rule.test, row) is True}
                sql, params = to_sql(rule.test)
                where = "c.status = %s AND c.kind = %s AND (" + sql + ")"
                window = rule.window
                if window is not None:
                    where += " AND ((c.effective_date >= %s AND c.effective_date <= %s) OR c.effective_date IS NULL)"
                    params = [*params, *window]
                assert pooled == _sql_ids(where, ["confirmed", rule.kind, *params], key), (mine.id, rule)
                checked += 1
    assert checked > 30


def test_three_valued_logic_as_sql_reads_it() -> None:
    row = {"qty_min": None, "qty_max": 5, "unit": "troops"}
    assert holds(Cmp("qty_min", "<=", 3), row) is None
    assert holds(AllOf((Cmp("qty_max", ">=", 1), Cmp("qty_min", "<=", 3))), row) is None
    assert holds(AllOf((Cmp("qty_max", ">=", 9), Cmp("qty_min", "<=", 3))), row) is False
    assert holds(AnyOf((Cmp("qty_max", ">=", 1), Cmp("qty_min", "<=", 3))), row) is True
    assert holds(AnyOf((Cmp("qty_max", ">=", 9), Cmp("qty_min", "<=", 3))), row) is None
    assert holds(NotSurely(Cmp("qty_min", "<=", 3)), row) is True  # unknown is not surely compatible
    assert holds(Missing("qty_min"), row) is True
    assert holds(TRUE, row) is True
    for expr in (
        TRUE,
        AnyOf(()),
        NotSurely(Cmp("qty_min", "<=", 3)),
        AnyOf((Cmp("qty_max", ">=", 9), Missing("unit"))),
    ):
        assert compile_test(expr)(SimpleNamespace(**row)) == (holds(expr, row) is True)
    assert to_sql(TRUE) == ("1 = 1", [])
    assert to_sql(AnyOf(())) == ("1 = 0", [])
    assert to_sql(NotSurely(Cmp("unit", "=", "km"))) == ("NOT COALESCE((c.unit = %s), 1 = 0)", ["km"])


def test_a_window_past_the_calendar_narrows_nothing() -> None:
    mine = ClaimFacts(
        id=1, kind="statement", subject="s", attribute="combat role", value=None, as_of=dt.date(1, 1, 2),
        polarity="affirms",
    )  # fmt: skip
    (rule,) = narrowing(mine, None, config.detection_settings())
    assert rule.kind == "statement" and rule.test == Cmp("polarity", "=", "denies")
    assert rule.days is not None and rule.window is None
