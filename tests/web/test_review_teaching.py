"""The review card of a quantity flag: how its attribute moves now, and dismissing it as an update that teaches how
the attribute moves (a plain form post to the flag's page). Django's test client on the real test DB."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from claims.models import AttributeDynamics, AuditEvent, Claim, Contradiction
from tests.services.test_dismiss_as_update import flagged
from tests.web.test_intake_and_review import make_flags
from tests.web.test_review_and_subjects import card_of, client_for, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def post(client: Client, flag: Contradiction, **fields: str) -> Any:
    return client.post(
        f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-{name}": value for name, value in fields.items()}
    )


def test_the_card_shows_how_the_attribute_moves_now_and_offers_the_lesson(editor: User) -> None:
    flag = flagged((3, 2400), (10, 2600))
    date_flag = make_flags(1, kinds=("date",))[0]
    for url in ("/editor/contradictions/", f"/editor/contradictions/{flag.pk}/"):
        card = card_of(client_for(editor).get(url).content.decode(), flag.pk)
        words = text_of(card)
        assert (
            "How «troops deployed» moves now: a level that moves either way, compared within the configured window "
            "(from the attribute)" in words
        )
        assert "With Dismiss — the figure moved, it is an update: teach how «troops deployed» moves?" in words
        assert f'name="f{flag.pk}-teach" value="" checked' in card, "leaving it as it is is the default"
        assert "Suggested: the later report has the higher figure." in words
        assert f'name="f{flag.pk}-window_days" id="id_f{flag.pk}-window_days" value="6"' in card  # under 7 days
    page = client_for(editor).get("/editor/contradictions/").content.decode()
    assert "moves now" not in card_of(page, date_flag.pk) and "-teach" not in card_of(page, date_flag.pk)


def test_dismissing_as_a_running_tally_says_what_was_taught_in_the_card(editor: User) -> None:
    flag = flagged((3, 2400), (10, 2600))
    back = "/editor/contradictions/?kind=numeric"
    client = client_for(editor)
    answer = post(client, flag, status="dismissed", teach="cumulative", window_days="6", note="It grew.", next=back)
    assert answer.status_code == 302 and answer["Location"] == f"{back}#flag-{flag.pk}"
    flag.refresh_from_db()
    assert (flag.status, flag.note) == ("dismissed", "It grew.")
    assert AttributeDynamics.objects.values_list("attribute_key", "dynamics", "window_days").get() == (
        "troops deployed",
        "cumulative",
        None,
    )
    assert AuditEvent.objects.filter(entity="attribute_dynamics", action="create").count() == 1

    page = client.get(answer["Location"]).content.decode()
    card = card_of(page, flag.pk)
    said = "«troops deployed» is now a running tally: its claims are re-checked."
    assert f'<p class="notice" role="status">{said}</p>' in card and page.count(said) == 1
    assert f"Flag {flag.pk} (numeric) is now dismissed." in card
    assert "How «troops deployed» moves now: a running tally (set by an editor)" in text_of(card)
    assert "-teach" not in card, "a dismissed flag offers no second lesson"


def test_dismissing_as_a_level_teaches_its_window(editor: User) -> None:
    flag = flagged((3, 2600), (10, 2400))
    client = client_for(editor)
    page = client.get(f"/editor/contradictions/{flag.pk}/").content.decode()
    assert "Suggested: the later report is not higher" in text_of(card_of(page, flag.pk))
    answer = post(client, flag, status="dismissed", teach="level", window_days="3")
    assert answer.status_code == 302
    assert AttributeDynamics.objects.values_list("dynamics", "window_days").get() == ("level", 3)
    card = card_of(client.get(answer["Location"]).content.decode(), flag.pk)
    assert (
        "«troops deployed» is now a level that moves either way, compared within 3 days: its claims are re-checked."
        in card
    )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"status": "dismissed", "teach": "level", "window_days": "soon"}, "Give the days as a whole number"),
        ({"status": "dismissed", "teach": "level", "window_days": "-2"}, "Give the days as a whole number"),
        (
            {"status": "dismissed", "teach": "level", "window_days": "9"},
            "fewer than the 7 days between the two reports",
        ),
        ({"status": "confirmed", "teach": "cumulative"}, "Teaching how the figures move goes with Dismiss"),
        ({"status": "dismissed", "teach": "sometimes"}, "is not a way figures move"),
    ],
)
def test_a_refused_lesson_is_shown_at_the_card_and_changes_nothing(
    editor: User, fields: dict[str, str], error: str
) -> None:
    flag = flagged((3, 2600), (10, 2400))
    answer = post(client_for(editor), flag, note="kept", **fields)
    assert answer.status_code == 400
    card = card_of(answer.content.decode(), flag.pk)
    assert error in text_of(card)
    assert 'role="alert"' in card
    flag.refresh_from_db()
    assert (flag.status, flag.note) == ("open", "")
    assert not AttributeDynamics.objects.exists()
    assert not Claim.objects.filter(checked_at__isnull=True).exists()


def test_a_plain_dismissal_still_teaches_nothing(editor: User) -> None:
    flag = flagged((3, 2400), (10, 2600))
    answer = post(client_for(editor), flag, status="dismissed", teach="", window_days="6")
    assert answer.status_code == 302
    assert Contradiction.objects.get(pk=flag.pk).status == "dismissed"
    assert not AttributeDynamics.objects.exists()
