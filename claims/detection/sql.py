"""The candidate query of one claim's check: the rules of claims.detect.rules written as a WHERE clause, on the
claim's subject and its related subjects, through the index on (subject, attribute_key, status, effective_date)
(docs/PERFORMANCE.md shows the plans). The clause states no rule of its own: it is `rules.narrowing` in SQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from claims.db import cursor
from claims.detect.base import Settings
from claims.detect.dynamics import Dynamics
from claims.detect.rules import TRUE, AllOf, Cmp, Expr, KindRule, Missing, NotSurely, narrowing
from claims.detection.rows import Stored, select, tables
from claims.models import Claim

Fragment = tuple[str, list[Any]]  # SQL with its parameters


def in_list(values: Sequence[Any]) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _join(operator: str, fragments: list[Fragment]) -> Fragment:
    """The fragments joined by AND or OR, each in parentheses, with their parameters in order."""
    return f" {operator} ".join(f"({sql})" for sql, _ in fragments), [p for _, params in fragments for p in params]


def to_sql(expr: Expr) -> Fragment:
    """A rule's test as SQL on the claim columns `c.*`, with the same three-valued logic."""
    if isinstance(expr, Cmp):
        return f"c.{expr.column} {expr.op} %s", [expr.value]
    if isinstance(expr, Missing):
        return f"c.{expr.column} IS NULL", []
    if isinstance(expr, NotSurely):
        inner, params = to_sql(expr.inner)
        return f"NOT COALESCE(({inner}), 1 = 0)", params
    if not expr.parts:  # an empty conjunction is true, an empty disjunction false
        return ("1 = 1" if isinstance(expr, AllOf) else "1 = 0"), []
    return _join("AND" if isinstance(expr, AllOf) else "OR", [to_sql(part) for part in expr.parts])


def _rule_sql(rule: KindRule) -> Fragment:
    parts: list[Fragment] = [("c.kind = %s", [rule.kind])]
    window = rule.window
    if window is not None:
        # the stored effective date (as_of, else the article's publication day in UTC), or unknown: the comparator
        # treats everything else as a change over time; a range on the candidate index's last column
        parts.append(("(c.effective_date >= %s AND c.effective_date <= %s) OR c.effective_date IS NULL", [*window]))
    if rule.test != TRUE:
        parts.append(to_sql(rule.test))
    return _join("AND", parts)


def could_conflict(mine: Stored, settings: Settings, dynamics: Dynamics | None = None) -> Fragment | None:
    """A WHERE fragment for the claims of the same attribute that could clash with `mine`: a superset of what the
    comparator would flag (claims.detect.rules), None when nothing can clash."""
    rules = narrowing(mine.facts, mine.speaker_id, settings, dynamics)
    return _join("OR", [_rule_sql(rule) for rule in rules]) if rules else None


Relatives = tuple[dict[int, str], Dynamics | None]


def relatives_sql(mine: Stored) -> Fragment:
    """The one query of `relatives`: the subject, its broader and narrower ones, those of its group key, and the
    editor's dynamics of the attribute."""
    t = tables()
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
    return sql, params


def relatives(mine: Stored) -> Relatives:
    """The subject and its related ones, each with how it relates ("self", "broader", "narrower", "group"), and the
    editor's dynamics of the attribute if any: one query on the small subject and dynamics tables. The candidate
    query then names the subjects as a list, which keeps it on the candidate index, where an OR with subqueries or
    joins would not."""
    sql, params = relatives_sql(mine)
    related: dict[int, str] = {}
    moves: Dynamics | None = None
    rank = {"self": 0, "broader": 1, "narrower": 1, "group": 2}
    with cursor() as c:
        c.execute(sql, params)
        for value, how in c.fetchall():
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
    related subjects' query)."""
    if mine.subject_id is None or could_conflict(mine, settings) is None:
        return None
    related, moves = known or relatives(mine)
    narrowed = could_conflict(mine, settings, moves)
    if narrowed is None:
        return None
    subjects = sorted(related)
    where = (
        f"c.status = %s AND c.subject_id IN {in_list(subjects)} AND c.attribute_key = %s AND c.id <> %s"
        f" AND ({narrowed[0]})"
    )
    return f"{select()} WHERE {where}", [
        Claim.Status.CONFIRMED.value,
        *subjects,
        mine.attribute_key,
        mine.pk,
        *narrowed[1],
    ]
