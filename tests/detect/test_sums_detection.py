"""Parts added up against their whole, through both detection paths (claims.detect.sums.sum_pairs): check_claim and
the bulk reconcile flag each whole-part pair when the narrower subjects' figures add up to more than the whole, at
one time, and write the same flags."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.detection.check import check_claim, find_conflicts
from claims.detection.reconcile import reconcile
from claims.models import Article, Claim, Contradiction, Subject
from tests.factories import make_article

TEXT = "In all 1,400 troops. Of them 600 troops and 1,000 troops, or 700 troops. Later 900 troops. Or 800 troops."
WHOLE, PERMANENT, ROTATING = "US troops in Poland", "permanent troops", "rotating troops"
DAY = dt.date(2024, 3, 1)


def _claim(article: Article, subject: str, quote: str, value: int, as_of: dt.date = DAY) -> Claim:
    return services.claim_create(
        actor=None,
        article=article,
        kind="quantity",
        subject=subject,
        attribute="troop count",
        unit="troops",
        quote=quote,
        value=value,
        as_of=as_of,
    )


def _link(*narrower: str) -> None:
    whole = Subject.objects.get(name=WHOLE)
    for name in narrower:
        services.subject_link_broader(narrower=Subject.objects.get(name=name), broader=whole, actor=None)


def _flags() -> dict[tuple[int, int, str], tuple[bool, float, str, bool]]:
    return {
        (f.claim_a_id, f.claim_b_id, f.kind): (f.withdrawn_at is None, f.score, f.explanation, f.related)
        for f in Contradiction.objects.all()
    }


class _Rollback(Exception):
    pass


def _both_paths() -> dict[tuple[int, int, str], tuple[bool, float, str, bool]]:
    """The flags reconcile writes, asserted equal to those of check_claim on every claim one by one."""
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    try:
        with transaction.atomic():
            assert reconcile() == len(ids)
            in_bulk = _flags()
            raise _Rollback
    except _Rollback:
        pass
    assert not Contradiction.objects.exists()
    for claim_id in ids:
        check_claim(claim_id)
    assert _flags() == in_bulk
    return in_bulk


@pytest.mark.django_db
def test_parts_that_add_up_to_more_than_the_whole_are_flagged_against_it() -> None:
    article = make_article(text=TEXT, raw=TEXT)
    whole = _claim(article, WHOLE, "1,400 troops", 1400)
    permanent = _claim(article, PERMANENT, "600 troops", 600)
    rotating = _claim(article, ROTATING, "1,000 troops", 1000)
    _link(PERMANENT, ROTATING)
    found = {item.other.pk: item for item in find_conflicts(whole)}
    assert set(found) == {permanent.pk, rotating.pk}
    verdict = found[permanent.pk].verdict
    assert verdict.kind == "numeric" and found[permanent.pk].related
    assert verdict.explanation.startswith("the parts add up to more than the whole: 600 troops (permanent troops)")
    assert "at least 1,600 troops, more than 1,400 troops (US troops in Poland)" in verdict.explanation
    assert [item.other.pk for item in find_conflicts(permanent)] == [whole.pk]  # a part: against its whole only
    flags = _both_paths()
    assert set(flags) == {(whole.pk, permanent.pk, "numeric"), (whole.pk, rotating.pk, "numeric")}
    assert all(alive and related and "parts add up" in text for alive, _, text, related in flags.values())


@pytest.mark.django_db
def test_parts_that_fit_in_the_whole_are_not_flagged() -> None:
    article = make_article(text=TEXT, raw=TEXT)
    _claim(article, WHOLE, "1,400 troops", 1400)
    _claim(article, PERMANENT, "600 troops", 600)
    _claim(article, ROTATING, "700 troops", 700)  # 1,300 in all
    _link(PERMANENT, ROTATING)
    assert _both_paths() == {}


@pytest.mark.django_db
def test_parts_reported_a_year_apart_are_not_added_up() -> None:
    article = make_article(text=TEXT, raw=TEXT)
    _claim(article, WHOLE, "1,400 troops", 1400)
    _claim(article, PERMANENT, "600 troops", 600)
    _claim(article, ROTATING, "1,000 troops", 1000, as_of=DAY.replace(year=2025))  # troops: a level, 90 days
    _link(PERMANENT, ROTATING)
    assert _both_paths() == {}


@pytest.mark.django_db
def test_unlinked_subjects_are_not_parts() -> None:
    article = make_article(text=TEXT, raw=TEXT)
    _claim(article, WHOLE, "1,400 troops", 1400)
    _claim(article, PERMANENT, "600 troops", 600)
    _claim(article, ROTATING, "1,000 troops", 1000)
    _link(PERMANENT)  # one part linked: nothing to add up
    assert _both_paths() == {}


@pytest.mark.django_db
def test_a_pair_the_pairwise_rule_flags_keeps_its_verdict() -> None:
    article = make_article(text=TEXT, raw=TEXT)
    whole = _claim(article, WHOLE, "800 troops", 800)
    small = _claim(article, PERMANENT, "600 troops", 600)
    big = _claim(article, ROTATING, "900 troops", 900)  # more than the whole on its own
    _claim(article, ROTATING, "1,000 troops", 1000)
    _link(PERMANENT, ROTATING)
    flags = _both_paths()
    assert "a part exceeds the whole" in flags[(whole.pk, big.pk, "numeric")][2]
    assert "the parts add up to more than the whole" in flags[(whole.pk, small.pk, "numeric")][2]


@pytest.mark.django_db
def test_the_sum_reads_two_queries_more_only_for_a_linked_quantity() -> None:
    article = make_article(text=TEXT, raw=TEXT)
    whole = _claim(article, WHOLE, "1,400 troops", 1400)
    _claim(article, PERMANENT, "600 troops", 600)
    alone = _claim(article, ROTATING, "1,000 troops", 1000)

    def queries(claim: Claim) -> int:
        with CaptureQueriesContext(connection) as captured:
            find_conflicts(claim)
        return len(captured)

    unlinked: dict[int, Any] = {c.pk: queries(c) for c in (whole, alone)}
    _link(PERMANENT)
    assert queries(alone) == unlinked[alone.pk]
    assert queries(whole) == unlinked[whole.pk] + 2
