"""The bulk reconcile path (claims/detect/bulk.py) must leave exactly the flags that checking every unchecked claim
one by one with check_claim leaves: same pairs and kinds, scores, explanations, withdrawals and
`checked_at` stamps. Both run on the same random data (some claims already checked, some edited since), one after
the other with a rollback in between."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from claims import services
from claims.detection.check import check_claim
from claims.detection.reconcile import reconcile
from claims.models import Article, AuditEvent, Claim, Contradiction, Subject
from tests.detect.test_candidates import TEXT, _claim
from tests.factories import make_article


class _Rollback(Exception):
    pass


def _state() -> tuple[dict[tuple[int, int, str], tuple[bool, float, str, bool]], set[int], dict[str, int]]:
    flags = {
        (f.claim_a_id, f.claim_b_id, f.kind): (f.withdrawn_at is None, f.score, f.explanation, f.related)
        for f in Contradiction.objects.all()
    }
    checked = set(Claim.objects.filter(checked_at__isnull=False).values_list("id", flat=True))
    actions: dict[str, int] = {}
    for action in AuditEvent.objects.filter(entity="contradiction").values_list("action", flat=True):
        actions[action] = actions.get(action, 0) + 1
    return flags, checked, actions


LINKS = [  # (narrower, broader)
    ("the Veldria relief fund", "US troops in Veldria"),
    ("permanent US troops in Veldria", "US troops in Veldria"),
    ("the Veldria relief fund", "coalition forces in Veldria"),  # two broader subjects
]
# Parts of a whole (claims/detect/sums.py): a province and its counties, a county within a county, a county in two
# wholes, and the troops with two parts.
PART_LINKS = [
    ("Hallam County", "Veldmark province"),
    ("Orsk County", "Veldmark province"),
    ("northern Hallam County", "Hallam County"),
    ("northern Hallam County", "Veldmark province"),
    ("Orsk County", "the Veldmark flood zone"),
    ("permanent US troops in Veldria", "US troops in Veldria"),
    ("rotating US troops in Veldria", "US troops in Veldria"),
]
WHOLES = {"Veldmark province", "the Veldmark flood zone", "US troops in Veldria"}


def _part_claim(article: Article, rng: random.Random, index: int) -> Claim:
    """A quantity of a whole or of one of its parts, of a tally or a level, near one time."""
    subject = rng.choice([name for link in PART_LINKS for name in link])
    value: Any = rng.choice([1000, 1000, 1400] if subject in WHOLES else [600, 700, 800])
    if rng.random() < 0.15:
        value = {"min": value - 100, "max": value + 100}
    attribute, unit = rng.choice([("death toll", "deaths"), ("troop count", "troops"), ("troop count", None)])
    at = (index * 7) % (len(TEXT) - 20)
    claim = services.claim_create(
        actor=None, article=article, quote=TEXT[at : at + 10], start=at, end=at + 10, kind="quantity",
        subject=subject, attribute=attribute, unit=unit, value=value,
        qualifier=rng.choice(["exact", "exact", "exact", "approx", "at_least", "at_most"]),
        as_of=rng.choice([None, dt.date(2024, 3, 1), dt.date(2024, 3, 2), dt.date(2024, 9, 1)]),
    )  # fmt: skip
    if rng.random() < 0.3:  # part words or an increment next to the figure, or a hedge
        figure = f"{value if isinstance(value, int) else value['min']:,}"
        quote = rng.choice([f"{figure} permanent", f"another {figure}", f"about {figure}", f"{figure} civilians"])
        Claim.objects.filter(pk=claim.pk).update(quote=quote)
    return claim


def _world(
    seed: int,
    count: int,
    make: Callable[[Article, random.Random, int], Claim] = _claim,
    links: list[tuple[str, str]] = LINKS,
) -> list[int]:
    """Random claims; a third checked one by one first (their flags stored), then some of all edited."""
    rng = random.Random(seed)
    first = make_article(text=TEXT, raw=TEXT, published_at=dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.UTC))
    undated = make_article(text=TEXT, raw=TEXT, published_at=None)
    claims = [make(rng.choice([first, undated]), rng, i) for i in range(count)]
    subjects = {s.name: s for s in Subject.objects.all()}
    # Broader/narrower links: related subjects beyond the group key, and parts added up against their whole.
    for narrower, broader in links:
        if narrower in subjects and broader in subjects:
            subjects[narrower].broader.add(subjects[broader])
    for claim in rng.sample(claims, count // 3):
        check_claim(claim.pk)
    for claim in rng.sample(claims, count // 6):  # edits after a check: stale flags to withdraw, checked_at cleared
        current = Claim.objects.get(pk=claim.pk)
        changes: dict[str, Any] = {
            "as_of": rng.choice([None, dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 400))])
        }
        if current.kind == "quantity":
            changes["value"] = rng.choice([2400, 2500, 3100])
        if rng.random() < 0.15:
            changes["status"] = "rejected"
        services.claim_update(claim=current, actor=None, expected_version=None, **changes)
    return [c.pk for c in claims]


def _compare_paths(seed: int, count: int, parts: bool = False) -> int:
    if parts:
        _world(seed, count, _part_claim, PART_LINKS)
    else:
        _world(seed, count)
    before = _state()
    unchecked = list(
        Claim.objects.filter(status="confirmed", checked_at__isnull=True).order_by("id").values_list("id", flat=True)
    )
    rejected_with_flags = list(Claim.objects.filter(status="rejected").values_list("id", flat=True))
    assert unchecked, "some claims should be left to reconcile"
    try:
        with transaction.atomic():
            assert reconcile() == len(unchecked)
            in_bulk = _state()
            assert reconcile() == 0, "a second run finds nothing left to check"
            assert _state() == in_bulk, "and changes nothing"
            raise _Rollback
    except _Rollback:
        pass
    assert _state() == before
    for claim_id in unchecked + rejected_with_flags:
        check_claim(claim_id)
    one_by_one = _state()
    # A rejected claim's flags are withdrawn by the worker's check that its edit queues, not by reconcile.
    rejected = set(rejected_with_flags)
    assert {k: v for k, v in in_bulk[0].items() if not rejected & {k[0], k[1]}} == {
        k: v for k, v in one_by_one[0].items() if not rejected & {k[0], k[1]}
    }
    assert in_bulk[1] == one_by_one[1]
    assert in_bulk[2].get("flag", 0) == one_by_one[2].get("flag", 0)
    if parts:
        return sum(1 for alive, _, text, _ in in_bulk[0].values() if alive and text.startswith("the parts add up"))
    return sum(1 for alive, *_ in in_bulk[0].values() if alive)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_bulk_reconcile_writes_what_checking_each_claim_writes(seed: int) -> None:
    assert _compare_paths(seed, 80) > 10, "the generated claims should clash somewhere"


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [41, 42, 47, 52])
def test_the_same_holds_for_parts_added_up_against_their_whole(seed: int) -> None:
    assert _compare_paths(seed, 80, parts=True) > 0, "some parts should add up to more than their whole"


@pytest.mark.django_db
def test_the_same_holds_with_other_windows_and_tolerances() -> None:
    with override_settings(CLAIM_DETECTION={"tolerance": 0.05, "window_days": {"default": 10, "troop count": 400}}):
        assert _compare_paths(21, 70) > 0


@pytest.mark.django_db
def test_reconcile_withdraws_flags_that_no_longer_hold_and_stamps_the_version() -> None:
    article = make_article()
    make: dict[str, Any] = {
        "actor": None,
        "article": article,
        "kind": "quantity",
        "subject": "Dock workers",
        "attribute": "strikers",
        "unit": "workers",
    }
    a = services.claim_create(quote="2,500 workers", value=2500, **make)
    b = services.claim_create(quote="2,500 workers", value=3100, **make)
    assert reconcile() == 2
    flag = Contradiction.objects.get()
    assert (flag.claim_a_id, flag.claim_b_id, flag.kind, flag.withdrawn_at) == (a.pk, b.pk, "numeric", None)
    services.claim_update(claim=b, actor=None, expected_version=None, value=2500)
    assert reconcile() == 1
    flag.refresh_from_db()
    assert flag.withdrawn_at is not None
    assert list(AuditEvent.objects.filter(entity="contradiction").order_by("id").values_list("action", flat=True)) == [
        "flag",
        "withdraw",
    ]
    assert not Claim.objects.filter(checked_at__isnull=True).exists()
    services.claim_update(claim=Claim.objects.get(pk=b.pk), actor=None, expected_version=None, value=3100)
    assert reconcile() == 1
    flag.refresh_from_db()
    assert flag.withdrawn_at is None
    assert (
        AuditEvent.objects.filter(entity="contradiction").order_by("-id").values_list("action", flat=True)[0]
        == "reinstate"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("seed", "kind"), [(31, "cumulative"), (32, "fixed")])
def test_the_same_holds_with_an_editors_dynamics(seed: int, kind: str) -> None:
    services.attribute_dynamics_set(attribute="troop count", dynamics=kind, actor=None)
    assert _compare_paths(seed, 70) > 0
