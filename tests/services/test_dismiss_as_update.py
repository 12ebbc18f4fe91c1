"""An editor dismisses a quantity flag as an update and, with it, teaches how the attribute's figures move
(services.contradiction_dismiss_as_update): one transaction, both rows audited, everything checked first; the
cards' offers (selectors.contradiction_update_offers); and the reconcile that follows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import selectors, services
from claims.detection.check import check_claim
from claims.detection.reconcile import reconcile
from claims.errors import InvalidInput
from claims.models import AttributeDynamics, AuditEvent, Claim, Contradiction
from claims.services import reviews
from tests.factories import make_article
from tests.web.test_intake_and_review import make_flags

pytestmark = pytest.mark.django_db


def troops(day: int, value: int, *, attribute: str = "troops deployed", hour: int = 9) -> Claim:
    """A confirmed report of `value` troops in an article of `day` May 2026 (a level: compared within 90 days)."""
    text = f"Officials said {value:,} troops were deployed."
    article = make_article(text=text, raw=text, published_at=dt.datetime(2026, 5, day, hour, 0, tzinfo=dt.UTC))
    return services.claim_create(
        actor=None,
        article=article,
        quote=f"{value:,} troops",
        kind="quantity",
        subject="Border mission",
        attribute=attribute,
        value=value,
        unit="troops",
    )


def flagged(earlier: tuple[int, int], later: tuple[int, int]) -> Contradiction:
    """The flag the detector raises between two reports, each (day, value)."""
    first, second = troops(*earlier), troops(*later)
    check_claim(first.pk)
    check_claim(second.pk)
    return Contradiction.objects.get(withdrawn_at__isnull=True)


def audits(entity: str) -> list[tuple[str, dict[str, Any]]]:
    return list(AuditEvent.objects.filter(entity=entity).order_by("id").values_list("action", "changes"))


def test_dismissing_as_an_update_dismisses_and_teaches_in_one_go_audited(editor: User) -> None:
    flag = flagged((3, 2400), (10, 2600))
    assert Claim.objects.filter(checked_at__isnull=True).count() == 0

    dismissed, taught = services.contradiction_dismiss_as_update(
        contradiction=flag, actor=editor, dynamics="cumulative", note="The deployment grew: an update."
    )

    flag.refresh_from_db()
    assert (flag.status, flag.note, flag.reviewer) == ("dismissed", "The deployment grew: an update.", editor)
    assert dismissed.pk == flag.pk
    row = AttributeDynamics.objects.get()
    assert (row.pk, row.attribute_key, row.dynamics, row.window_days, row.set_by) == (
        taught.pk,
        "troops deployed",
        "cumulative",
        None,
        editor,
    )
    assert Claim.objects.filter(checked_at__isnull=True).count() == 2, "the attribute's claims are re-checked"
    [(action, changes)] = [(action, changes) for action, changes in audits("contradiction") if action != "flag"]
    assert action == "review" and changes["status"] == ["open", "dismissed"]
    assert audits("attribute_dynamics") == [("create", {"dynamics": [None, "cumulative"], "window_days": [None, None]})]
    assert AuditEvent.objects.filter(entity="attribute_dynamics").get().actor == editor


def test_a_level_with_a_window_under_the_gap_is_taught(editor: User) -> None:
    flag = flagged((3, 2600), (10, 2400))
    services.contradiction_dismiss_as_update(contradiction=flag, actor=editor, dynamics="level", window_days=6)
    assert AttributeDynamics.objects.values_list("dynamics", "window_days").get() == ("level", 6)
    assert Contradiction.objects.get(pk=flag.pk).status == "dismissed"


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"dynamics": "level", "window_days": 7}, "window_days", "fewer than the 7 days between the two reports"),
        ({"dynamics": "level", "window_days": 30}, "window_days", "fewer than the 7 days"),
        ({"dynamics": "level", "window_days": -1}, "window_days", "whole number of days"),
        ({"dynamics": "level", "window_days": True}, "window_days", "whole number of days"),
        ({"dynamics": "level", "window_days": None}, "window_days", "whole number of days"),
        ({"dynamics": "level", "window_days": "3"}, "window_days", "whole number of days"),
        ({"dynamics": "cumulative", "window_days": 3}, "window_days", "running tally"),
        ({"dynamics": "fixed"}, "dynamics", "cumulative (a running tally) or level"),
        ({"dynamics": "cumulative", "note": "n" * 5001}, "note", "at most 5000 characters"),
    ],
)
def test_a_bad_lesson_names_the_field_and_changes_nothing(
    editor: User, fields: dict[str, Any], field: str, words: str
) -> None:
    flag = flagged((3, 2600), (10, 2400))
    before = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as caught:
        services.contradiction_dismiss_as_update(contradiction=flag, actor=editor, **fields)
    assert words in " ".join(caught.value.errors[field])
    flag.refresh_from_db()
    assert (flag.status, flag.note, flag.reviewer) == ("open", "", None)
    assert not AttributeDynamics.objects.exists()
    assert AuditEvent.objects.count() == before
    assert not Claim.objects.filter(checked_at__isnull=True).exists()


def test_a_non_quantity_flag_refuses_teaching_with_a_clear_error(editor: User) -> None:
    flag = make_flags(1, kinds=("date",))[0]
    with pytest.raises(InvalidInput) as caught:
        services.contradiction_dismiss_as_update(contradiction=flag, actor=editor, dynamics="cumulative")
    assert caught.value.errors == {
        "dynamics": ["Only a quantity flag can teach how an attribute's figures move; this is a date flag."]
    }
    assert Contradiction.objects.get(pk=flag.pk).status == "open"
    assert not AttributeDynamics.objects.exists()
    assert selectors.contradiction_update_offers([flag]) == {}, "no card offers it either"


def test_a_failure_after_teaching_takes_the_lesson_back(editor: User, monkeypatch: pytest.MonkeyPatch) -> None:
    flag = flagged((3, 2400), (10, 2600))

    def broken(**_: Any) -> Contradiction:
        raise RuntimeError("the flag could not be written")

    monkeypatch.setattr(reviews, "contradiction_resolve", broken)
    with pytest.raises(RuntimeError):
        services.contradiction_dismiss_as_update(contradiction=flag, actor=editor, dynamics="cumulative")
    assert not AttributeDynamics.objects.exists()
    assert not AuditEvent.objects.filter(entity="attribute_dynamics").exists()
    assert not Claim.objects.filter(checked_at__isnull=True).exists()


# ---------------------------------------------------------------------------------------------- what a card offers


def test_the_offer_proposes_a_tally_when_the_later_report_is_higher() -> None:
    flag = flagged((10, 2600), (3, 2400))  # created later-first: the order is by date, not by id
    offer = selectors.contradiction_update_offers([flag])[flag.pk]
    assert (offer.attribute, offer.proposal, offer.days_apart, offer.window_days) == (
        "troops deployed",
        "cumulative",
        7,
        6,
    )
    assert (offer.current.kind, offer.current.source) == ("level", "from the attribute")
    assert offer.current_words == "a level that moves either way, compared within the configured window"


def test_the_offer_proposes_a_level_under_the_gap_when_the_later_report_is_lower() -> None:
    flag = flagged((3, 2600), (10, 2400))
    offer = selectors.contradiction_update_offers([flag])[flag.pk]
    assert (offer.proposal, offer.window_days) == ("level", 6)


def test_the_offer_orders_one_days_reports_by_their_times_and_proposes_no_level() -> None:
    first, second = troops(3, 2600, hour=18), troops(3, 2400, hour=8)
    check_claim(first.pk)
    check_claim(second.pk)
    flag = Contradiction.objects.get()
    offer = selectors.contradiction_update_offers([flag])[flag.pk]
    assert (offer.proposal, offer.days_apart, offer.window_days) == ("cumulative", 0, None)


def test_the_offer_shows_an_editors_kind_and_reads_it_once_for_a_page() -> None:
    flags = [flagged((3, 2400), (10, 2600))]
    services.attribute_dynamics_set(attribute="troops deployed", dynamics="fixed", actor=None)
    reconcile()
    flags = list(Contradiction.objects.select_related("claim_a__article", "claim_b__article"))
    flags += make_flags(3)
    with CaptureQueriesContext(connection) as captured:
        offers = selectors.contradiction_update_offers(flags)
    assert len(captured) == 1
    assert offers[flags[0].pk].current_words == "a fixed fact"
    assert offers[flags[0].pk].current.source == "set by an editor"
    assert (offers[flags[1].pk].current.kind, offers[flags[1].pk].current.source) == ("level", "the default")


# ---------------------------------------------------------------------------------------------- and then the reconcile


def test_after_teaching_a_tally_the_reconcile_withdraws_the_flag_and_does_not_raise_it_again(editor: User) -> None:
    flag = flagged((3, 2400), (10, 2600))
    assert "a level that moves either way" in flag.explanation
    services.contradiction_dismiss_as_update(contradiction=flag, actor=editor, dynamics="cumulative")

    assert reconcile() == 2
    flag.refresh_from_db()
    assert flag.withdrawn_at is not None and flag.status == "dismissed"
    assert AuditEvent.objects.filter(entity="contradiction", entity_id=flag.pk, action="withdraw").exists()

    # Not raised again: neither by another reconcile of the claims nor by a check of either one.
    Claim.objects.update(checked_at=None)  # as an edit would leave them
    reconcile()
    for claim in Claim.objects.all():
        check_claim(claim.pk)
    flag.refresh_from_db()
    assert flag.withdrawn_at is not None
    assert not Contradiction.objects.filter(withdrawn_at__isnull=True).exists()
