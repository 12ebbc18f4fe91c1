"""The editors' attributes page (/editor/attributes/): every attribute of confirmed quantities with how the detector
reads its figures' movement (the editor's setting, else the default from its words), and the form that sets it
through services.attribute_dynamics_set. Django's test client on the real test DB."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from claims.models import AttributeDynamics, AuditEvent, Claim
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db
PAGE = "/editor/attributes/"
SET = "/editor/attributes/set/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def row_of(page: str, key: str) -> str:
    found = re.search(rf'<tr id="attribute-\d+" data-attribute="{re.escape(key)}">(.*?)</tr>', page, re.S)
    assert found, f"no row for {key!r}"
    return found.group(1)


def test_each_attribute_shows_how_its_figures_are_read(editor: User) -> None:
    article = make_article()
    make_claim(article, "about 2,500 workers", attribute="striker count")
    make_claim(article, "2,400 workers", attribute="death toll", unit="people", value=212)
    make_claim(article, "A union leader said", attribute="quay length", unit="km", value=3, status="suggested")

    page = client_for(editor).get(PAGE).content.decode()
    assert "a running tally" in row_of(page, "death toll") and "(from the attribute)" in row_of(page, "death toll")
    assert "a level that moves either way" in row_of(page, "striker count")
    assert 'data-attribute="quay length"' not in page  # only confirmed figures make an attribute here
    assert "2 attributes" in page


def test_setting_how_an_attribute_moves_is_audited_and_rechecks_its_claims(editor: User) -> None:
    article = make_article()
    claim = make_claim(article, "about 2,500 workers", attribute="striker count")
    Claim.objects.filter(pk=claim.pk).update(checked_at="2025-03-01T00:00:00Z")

    client = client_for(editor)
    answer = client.post(SET, {"attribute": "striker count", "dynamics": "level", "window_days": "3"})

    assert answer.status_code == 302 and answer["Location"].startswith(PAGE)
    row = AttributeDynamics.objects.get(attribute_key="striker count")
    assert (row.dynamics, row.window_days, row.set_by) == ("level", 3, editor)
    assert AuditEvent.objects.filter(entity="attribute_dynamics", entity_id=row.pk, action="create").exists()
    assert Claim.objects.get(pk=claim.pk).checked_at is None  # the reconcile weighs it again
    page = client.get(answer["Location"]).content.decode()
    assert "«striker count» is now a level that moves either way, compared within 3 days" in page
    assert "(set by an editor)" in row_of(page, "striker count")


@pytest.mark.parametrize(
    ("post", "said"),
    [
        ({"attribute": "striker count", "dynamics": "sometimes", "window_days": ""}, "is not a way figures move"),
        ({"attribute": "striker count", "dynamics": "level", "window_days": "-3"}, "whole number of days"),
        ({"attribute": "striker count", "dynamics": "level", "window_days": "99999"}, "window_days"),
        ({"attribute": "   ", "dynamics": "fixed", "window_days": ""}, "attribute"),
    ],
)
def test_bad_input_is_named_and_changes_nothing(editor: User, post: dict[str, str], said: str) -> None:
    make_claim(make_article(), "about 2,500 workers", attribute="striker count")
    answer = client_for(editor).post(SET, post)
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "Nothing was changed" in body and said.lower() in body.lower(), body[:3000]
    assert not AttributeDynamics.objects.exists()
    assert not AuditEvent.objects.filter(entity="attribute_dynamics").exists()


def test_only_editors_see_or_set_it(db: Any) -> None:
    reader = User.objects.create_user("reader", "reader@example.org", "reader-password-123")
    for client in (client_for(None), client_for(reader)):
        assert client.get(PAGE).status_code in (302, 403)
        assert client.post(SET, {"attribute": "x", "dynamics": "fixed"}).status_code in (302, 403)
    assert not AttributeDynamics.objects.exists()


def test_the_editor_lists_share_one_pager(editor: User, monkeypatch: Any) -> None:
    from claims.web import editor as editor_views
    from claims.web import editor_attributes

    monkeypatch.setattr(editor_attributes, "ATTRIBUTES_PER_PAGE", 2)
    monkeypatch.setattr(editor_views, "ARTICLES_PER_PAGE", 1)
    article = make_article()
    make_article(title="Another report")
    for n in range(3):
        make_claim(article, "about 2,500 workers", attribute=f"pickets at gate {n}")
    client = client_for(editor)

    first = client.get(PAGE, {"q": "pickets"}).content.decode()
    assert '<a href="?q=pickets&amp;page=2" rel="next">Next</a>' in first and "Page 1 of 2" in first
    second = client.get(PAGE, {"q": "pickets", "page": "2"}).content.decode()
    assert '<a href="?q=pickets&amp;page=1" rel="prev">Previous</a>' in second
    queue = client.get("/editor/").content.decode()
    assert '<a href="?page=2" rel="next">Older</a>' in queue and "Page 1 of 2" in queue
