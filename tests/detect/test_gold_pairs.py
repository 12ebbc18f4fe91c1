"""The comparator against the product owner's hand-annotated pairs, with candidates selected the way the
detector selects them (same normalised attribute; same subject, or the same personnel group)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from claims.detect.compare import ClaimFacts, Verdict, compare, timeline_check
from claims.detect.names import norm_attribute, norm_name, subject_relation

GOLD = Path("/work/shared/acceptance/seeds/gold.json")


def _facts(claim: dict[str, Any], published: dict[str, str | None]) -> ClaimFacts:
    as_of = claim.get("as_of") or published.get(claim["article"])
    return ClaimFacts(
        id=claim["id"],
        kind=claim["kind"],
        subject=claim["subject"],
        attribute=claim["attribute"],
        value=claim.get("value"),
        unit=claim.get("unit"),
        qualifier=claim.get("qualifier") or "exact",
        speaker=claim.get("speaker"),
        as_of=dt.date.fromisoformat(as_of) if as_of else None,
        polarity=claim.get("polarity"),
        after=claim.get("after"),
        quote=claim.get("quote") or "",
    )


def _detect(claims: list[ClaimFacts]) -> dict[frozenset[str], Verdict]:
    flags: dict[frozenset[str], Verdict] = {}
    for a, b in itertools.combinations(claims, 2):
        if norm_attribute(a.attribute) != norm_attribute(b.attribute):
            continue
        relation = subject_relation(a.subject, b.subject)
        if relation is None:
            continue
        verdict = compare(a, b, related=relation == "related")
        if verdict is not None:
            flags[frozenset({str(a.id), str(b.id)})] = verdict
    for event in claims:
        if event.after is None:
            continue
        earlier = [c for c in claims if c.kind == "date" and norm_name(c.subject) == norm_name(event.after)]
        for other, verdict in timeline_check(event, earlier):
            flags[frozenset({str(event.id), str(other.id)})] = verdict
    return flags


@pytest.fixture(scope="module")
def gold() -> dict[str, Any]:
    if not GOLD.exists():
        pytest.skip(f"acceptance gold file absent: {GOLD}")
    data: dict[str, Any] = json.loads(GOLD.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def flags(gold: dict[str, Any]) -> dict[frozenset[str], Verdict]:
    published = {a["id"]: a.get("published") for a in gold["articles"]}
    return _detect([_facts(c, published) for c in gold["claims"]])


def test_every_pair_marked_flag_is_flagged(gold: dict[str, Any], flags: dict[frozenset[str], Verdict]) -> None:
    wanted = [frozenset({p["a"], p["b"]}) for p in gold["pairs"] if p["expect"] == "flag"]
    assert wanted, "gold lists pairs to flag"
    missed = [sorted(pair) for pair in wanted if pair not in flags]
    assert missed == []


def test_no_pair_marked_no_flag_is_flagged(gold: dict[str, Any], flags: dict[frozenset[str], Verdict]) -> None:
    forbidden = [frozenset({p["a"], p["b"]}) for p in gold["pairs"] if p["expect"] == "no_flag"]
    false_flags = {tuple(sorted(pair)): flags[pair].explanation for pair in forbidden if pair in flags}
    assert false_flags == {}


def test_flags_are_well_formed_and_unlisted_ones_reported(
    gold: dict[str, Any], flags: dict[frozenset[str], Verdict]
) -> None:
    listed = {frozenset({p["a"], p["b"]}) for p in gold["pairs"]}
    unlisted = {pair: v for pair, v in flags.items() if pair not in listed}
    print(f"\nflags: {len(flags)}, unlisted: {len(unlisted)}")
    for pair, verdict in sorted(unlisted.items(), key=lambda item: sorted(item[0])):
        print(f"  {sorted(pair)} {verdict.kind} {verdict.score:.2f} {verdict.explanation}")
    for verdict in flags.values():
        assert 0.0 <= verdict.score <= 1.0
        assert verdict.kind in {"numeric", "date", "timeline", "attribution", "polarity"}
        assert verdict.explanation
