"""The detector's candidate query narrows in SQL (time window, figures that surely agree, polarity, speakers,
deadlines, timeline links). It must never drop a flag: every check here is compared with a brute-force run of
the pure comparator over every confirmed claim."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.detect.compare import compare, timeline_check
from claims.detect.dynamics import Dynamics
from claims.detect.numeric import Part
from claims.detection import check, config, rows
from claims.models import Article, AttributeDynamics, Claim, Subject
from tests.factories import make_article

TEXT = "Figures and dates were reported by several outlets. " * 4
GROUP = ["US troops in Veldria", "American soldiers in Veldria", "coalition forces in Veldria"]
EVENTS = ["the harbour blast in Veldria", "the parliament vote on the harbour blast"]
# Attributes of every kind of movement (dynamics.py), with units that convert, do not, or leave it to the units.
ATTRIBUTES: dict[str, list[str | None]] = {
    "troop count": ["troops", "soldiers", "USD", None],  # a level, 90 days
    "death toll": ["deaths", "people", None],  # a running tally
    "evacuated": ["people", "residents"],  # a fast level, 2 days
    "bridge length": ["km", "miles", "m"],  # a fixed fact, in units that convert
    "count": ["km", "deaths", "troops", "%", None],  # the attribute says nothing: the units decide
}
# Quotes with hedge words, change markers, or neither; the figure in them may or may not be the claim's own.
QUOTES = [
    "nearly 2,500",
    "about 2,400",
    "some 2,450",
    "rose from 2,400 to 2,500",
    "just over 2,600",
    "2,500",
    "up from 5,000 last week",
    "the talks went well",
    "2,500 permanent troops",
    "an additional 2,400",
]


def _claim(article: Article, rng: random.Random, index: int) -> Claim:
    kind: str = rng.choice(["quantity", "quantity", "date", "duration", "statement", "attribution"])
    fields: dict[str, Any] = {
        "kind": kind,
        "qualifier": rng.choice(["exact", "exact", "approx", "at_least", "at_most"]),
    }
    day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 400))
    fields["as_of"] = rng.choice([day, day, None])
    if kind == "quantity":
        attribute = rng.choice(list(ATTRIBUTES))
        fields.update(
            subject=rng.choice([*GROUP, "the Veldria relief fund", "permanent US troops in Veldria"]),
            attribute=attribute,
            unit=rng.choice(ATTRIBUTES[attribute]),
        )
        figure = rng.choice([2400, 2450, 2500, 2500, 2600, 5000, 4000])
        fields["value"] = figure if rng.random() < 0.8 else {"min": figure - 100, "max": figure + 100}
    elif kind == "date":
        subject = rng.choice(EVENTS)
        fields.update(
            subject=subject,
            attribute="event date",
            value=rng.choice(["2023", "2023-06", "2023-06-14", "2024-02", "2021-11-30", "2024"]),
        )
        if subject == EVENTS[1] and rng.random() < 0.7:
            fields["after"] = EVENTS[0]
        if rng.random() < 0.3:
            fields.update(
                subject="the Veldria withdrawal", attribute="withdrawal timeline", qualifier="at_most", after=None
            )
    elif kind == "duration":
        low = rng.choice([1, 2, 6])
        fields.update(
            subject="the Veldria withdrawal",
            attribute="withdrawal timeline",
            value={"min": low, "max": rng.choice([low, low + 3, None]), "unit": rng.choice(["year", "month"])},
        )
    elif kind == "statement":
        fields.update(
            subject=rng.choice(GROUP),
            attribute="combat role",
            qualifier="exact",
            polarity=rng.choice(["affirms", "denies"]),
        )
    else:
        fields.update(
            subject="the Veldria withdrawal",
            attribute="statement",
            qualifier="exact",
            speaker=rng.choice(["Amira Haddad", "General Tomas Varga", "Leila Noor", None]),
        )
    quote = rng.choice(
        [
            'she said "all foreign forces will leave the country within two years"',
            "the talks went well",
            "talks went well, officials said",
        ]
    )
    if kind == "attribution":
        at = TEXT.index("Figures")
        claim = services.claim_create(
            actor=None, article=article, quote=TEXT[at : at + 7], start=at, end=at + 7, **fields
        )
        Claim.objects.filter(pk=claim.pk).update(quote=quote)  # attribution clashes are about the words
        return claim
    at = (index * 7) % (len(TEXT) - 20)
    claim = services.claim_create(
        actor=None, article=article, quote=TEXT[at : at + 10], start=at, end=at + 10, **fields
    )
    if kind == "quantity" and rng.random() < 0.6:  # hedge words and change markers are read from the text
        Claim.objects.filter(pk=claim.pk).update(
            quote=rng.choice(QUOTES),
            prefix=rng.choice(["", "Officials said "]),
            suffix=rng.choice(["", " by Monday. Later"]),
        )
    return claim


def _brute_force(claim: Claim, everything: list[Claim]) -> set[tuple[int, str]]:
    mine = rows.facts(claim)
    settings = config.detection_settings()
    found: set[tuple[int, str]] = set()
    overrides = {
        row.attribute_key: Dynamics(row.dynamics, row.window_days, "set by an editor")
        for row in AttributeDynamics.objects.all()
    }
    links = set(Subject.broader.through.objects.values_list("from_subject_id", "to_subject_id"))
    for other in everything:
        if other.pk == claim.pk or other.attribute_key != claim.attribute_key:
            continue
        same = other.subject_id == claim.subject_id
        assert claim.subject is not None and other.subject is not None  # only confirmed claims are compared
        related = bool(claim.subject.group_key) and other.subject.group_key == claim.subject.group_key
        part: Part = None
        if (claim.subject_id, other.subject_id) in links:
            part = (claim.subject.name, other.subject.name)
        elif (other.subject_id, claim.subject_id) in links:
            part = (other.subject.name, claim.subject.name)
        if not same and not related and part is None:
            continue
        verdict = compare(
            mine,
            rows.facts(other),
            related=not same,
            settings=settings,
            dynamics=overrides.get(claim.attribute_key),
            part=None if same else part,
        )
        if verdict is not None:
            found.add((other.pk, verdict.kind))
    dates = [c for c in everything if c.kind == "date"]
    if claim.kind == "date" and claim.after_id:
        earlier_dates = [rows.facts(c) for c in dates if c.subject_id == claim.after_id]
        for other_facts, verdict in timeline_check(mine, earlier_dates, settings=settings):
            found.add((int(other_facts.id or 0), verdict.kind))
    if claim.kind == "date":
        for follower in (c for c in dates if c.after_id == claim.subject_id and c.pk != claim.pk):
            earlier = [rows.facts(c) for c in dates if c.subject_id == claim.subject_id]
            for other_facts, verdict in timeline_check(rows.facts(follower), earlier, settings=settings):
                if other_facts.id == claim.pk:
                    found.add((follower.pk, verdict.kind))
    return found


def _check_all(seed: int, count: int, links: bool = False) -> int:
    rng = random.Random(seed)
    article = make_article(text=TEXT, raw=TEXT, published_at=dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.UTC))
    other_article = make_article(text=TEXT, raw=TEXT, published_at=None)
    same_day = make_article(text=TEXT, raw=TEXT, published_at=dt.datetime(2024, 3, 1, 8, 0, tzinfo=dt.UTC))
    claims = [_claim(rng.choice([article, other_article, same_day]), rng, i) for i in range(count)]
    if links:
        fund, troops = Subject.objects.filter(name__in=["the Veldria relief fund", "US troops in Veldria"]).order_by(
            "name"
        )
        fund.broader.add(troops)
    everything = list(Claim.objects.select_related("subject", "speaker", "after", "article__outlet"))
    flagged = 0
    for claim in everything:
        expected = _brute_force(claim, everything)
        got = {(found.other.pk, found.verdict.kind) for found in check.find_conflicts(claim)}
        assert got == expected, f"claim {claim.pk} ({claim.kind}, {claim.qualifier}): {got ^ expected}"
        flagged += len(got)
    assert len(claims) == count
    return flagged


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_narrowed_query_finds_exactly_what_comparing_everything_finds(seed: int) -> None:
    assert _check_all(seed, 70) > 10, "the generated claims should clash somewhere"


@pytest.mark.django_db
def test_the_same_holds_with_other_windows_and_tolerances() -> None:
    with override_settings(CLAIM_DETECTION={"tolerance": 0.05, "window_days": {"default": 10, "troop count": 400}}):
        assert _check_all(4, 60) > 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("seed", "kind", "window"), [(5, "cumulative", None), (6, "fixed", None), (7, "level", 3), (8, "forecast", None)]
)
def test_the_same_holds_with_an_editors_dynamics_and_linked_subjects(seed: int, kind: str, window: int | None) -> None:
    services.attribute_dynamics_set(attribute="Troop levels", dynamics=kind, window_days=window, actor=None)
    services.attribute_dynamics_set(attribute="count", dynamics="level", window_days=1, actor=None)
    assert _check_all(seed, 80, links=True) > 0


@pytest.mark.django_db
def test_agreeing_claims_stay_in_the_database() -> None:
    article = make_article()
    ids = [
        services.claim_create(
            actor=None,
            article=article,
            quote="2,400 workers",
            kind="quantity",
            subject="Port workers on strike",
            attribute="striker count",
            value=2500,
            unit="workers",
            qualifier=q,
        ).pk
        for q in ["exact", "approx", "approx", "at_least"]
    ]
    odd = services.claim_create(
        actor=None,
        article=article,
        quote="2,400 workers",
        kind="quantity",
        subject="Port workers on strike",
        attribute="striker count",
        value=2400,
        unit="workers",
    )
    agreeing = rows.load(ids[0])
    assert agreeing is not None
    same, related = check.candidates(agreeing)
    assert [c.pk for c in same] == [odd.pk] and related == []  # the three that agree with 2,500 are not even loaded
    with CaptureQueriesContext(connection) as queries:
        found = check.find_conflicts(agreeing)
    assert [f.other.pk for f in found] == [odd.pk]
    assert len(queries) == 2, [q["sql"] for q in queries]  # the related subjects, then the candidates


@pytest.mark.django_db
def test_a_claim_read_for_a_check_has_the_facts_of_the_model_instance() -> None:
    """rows.load reads rows by hand-written SQL; its facts must be those rows.facts() builds from models."""
    rng = random.Random(9)
    article = make_article(text=TEXT, raw=TEXT, published_at=dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.UTC))
    undated = make_article(text=TEXT, raw=TEXT, published_at=None)
    for i in range(40):
        _claim(rng.choice([article, undated]), rng, i)
    everything = list(Claim.objects.select_related("subject", "speaker", "after", "article__outlet"))
    assert {c.kind for c in everything} == {"quantity", "date", "duration", "statement", "attribution"}
    for claim in everything:
        stored = rows.load(claim.pk)
        assert stored is not None
        assert stored.facts == rows.facts(claim)
        assert (stored.subject_id, stored.after_id, stored.speaker_id, stored.version, stored.status) == (
            claim.subject_id,
            claim.after_id,
            claim.speaker_id,
            claim.version,
            claim.status,
        )
