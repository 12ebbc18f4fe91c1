"""An editor sets how an attribute's figures move (services.attribute_dynamics_set); the detector then uses it, and
the attribute's claims are weighed again by the next reconcile."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import services
from claims.detection.check import check_claim
from claims.detection.reconcile import reconcile
from claims.errors import InvalidInput
from claims.models import AttributeDynamics, AuditEvent, Claim, Contradiction
from tests.factories import make_article

TEXT = "The toll rose to 236 on Monday; officials later gave 212 deaths."


def _toll(article_day: int, value: int, attribute: str = "Death toll") -> Claim:
    article = make_article(text=TEXT, raw=TEXT, published_at=dt.datetime(2026, 5, article_day, 9, 0, tzinfo=dt.UTC))
    return services.claim_create(
        actor=None,
        article=article,
        quote="236",
        kind="quantity",
        subject="Talvik earthquake",
        attribute=attribute,
        value=value,
        unit="people",
    )


@pytest.mark.django_db
def test_an_editors_kind_changes_the_verdict_and_requeues_the_attribute() -> None:
    earlier, later = _toll(3, 236), _toll(4, 212)
    check_claim(earlier.pk)
    check_claim(later.pk)
    flag = Contradiction.objects.get()
    assert "running tally only grows" in flag.explanation

    row = services.attribute_dynamics_set(attribute="fatalities", dynamics="level", window_days=0, actor=None)
    assert (row.attribute_key, row.dynamics, row.window_days) == ("death toll", "level", 0)
    assert Claim.objects.filter(checked_at__isnull=True).count() == 2  # queued again
    assert reconcile() == 2
    flag.refresh_from_db()
    assert flag.withdrawn_at is not None  # a level a day apart, with a same-day window: a change

    services.attribute_dynamics_set(attribute="death toll", dynamics="fixed", actor=None)
    assert reconcile() == 2
    flag.refresh_from_db()
    assert flag.withdrawn_at is None and flag.explanation.endswith("must agree whenever reported (set by an editor)")
    assert AttributeDynamics.objects.count() == 1
    assert list(
        AuditEvent.objects.filter(entity="attribute_dynamics").values_list("action", flat=True).order_by("id")
    ) == ["create", "update"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"attribute": " ", "dynamics": "level"}, "attribute"),
        ({"attribute": "toll", "dynamics": "sometimes"}, "dynamics"),
        ({"attribute": "toll", "dynamics": "level", "window_days": -1}, "window_days"),
        ({"attribute": "toll", "dynamics": "level", "window_days": True}, "window_days"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(fields: dict[str, object], named: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.attribute_dynamics_set(actor=None, **fields)  # type: ignore[arg-type]
    assert named in str(caught.value.__dict__) or named in str(caught.value)
    assert not AttributeDynamics.objects.exists()
