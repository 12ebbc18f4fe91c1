"""The database itself refuses rows that break the domain's rules, whatever code path writes them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from claims.models import Article, Claim, Contradiction, Subject
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def _raw_claim(**overrides: object) -> Claim:
    subject = Subject.objects.create(name="Port workers", name_key="port workers")
    fields: dict[str, object] = dict(
        article=make_article(),
        start=0,
        end=10,
        quote="Harbour of",
        kind="quantity",
        subject=subject,
        attribute="count",
        attribute_key="count",
        qty_min=1,
        qty_max=1,
    )
    fields.update(overrides)
    return Claim(**fields)


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": 10, "end": 10},
        {"start": 12, "end": 3},
        {"kind": "rumour"},
        {"status": "maybe"},
        {"qualifier": "roughly"},
        {"qty_min": 5, "qty_max": 1},
        {"qty_min": None, "qty_max": None},
        {"kind": "date", "date_value": None},
        {"kind": "duration", "dur_min": 3, "dur_max": 1, "dur_unit": "month"},
        {"polarity": "perhaps"},
    ],
)
def test_invalid_claim_rows_are_refused(overrides: dict[str, object]) -> None:
    claim = _raw_claim(**overrides)
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()


def test_a_valid_row_is_accepted() -> None:
    claim = _raw_claim()
    claim.save()
    assert claim.pk


def test_article_url_is_unique_when_known() -> None:
    make_article(url="https://news.example/a")
    make_article(url=None)
    make_article(url=None)  # unknown URLs do not clash
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(url="https://news.example/a")


def test_article_status_must_be_known() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(status="archived")


def test_contradiction_pairs_are_unique_and_ordered() -> None:
    article = make_article()
    one = make_claim(article, "about 2,500 workers")
    two = make_claim(article, "2,400 workers", value=2400)
    low, high = sorted((one, two), key=lambda c: c.pk)
    Contradiction.objects.create(claim_a=low, claim_b=high, kind="numeric", score=0.5, explanation="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contradiction.objects.create(claim_a=low, claim_b=high, kind="numeric", score=0.7, explanation="again")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contradiction.objects.create(claim_a=high, claim_b=low, kind="date", score=0.5, explanation="reversed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contradiction.objects.create(claim_a=low, claim_b=high, kind="polarity", score=1.5, explanation="score")
    with pytest.raises(IntegrityError), transaction.atomic():
        Contradiction.objects.create(claim_a=low, claim_b=high, kind="gossip", score=0.5, explanation="kind")
    assert Contradiction.objects.count() == 1


def test_subject_names_are_unique_case_insensitively() -> None:
    from claims import services

    first = services.subject_get_or_create(name="US troops in Iraq")
    assert services.subject_get_or_create(name="us  TROOPS in iraq").pk == first.pk
    with pytest.raises(IntegrityError), transaction.atomic():
        Subject.objects.create(name="US Troops in Iraq", name_key=first.name_key)


def test_article_model_defaults_to_pending() -> None:
    assert Article().status == Article.Status.PENDING
