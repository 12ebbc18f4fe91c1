"""The admin writes through the services: an article edit is audited and re-dates its claims; what only ingestion
changes is read-only there; alias removals are audited; a claim's fields that no service call carries are read-only,
and deletes are audited (claims) or refused (what has no audited delete)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from claims import services
from claims.models import Article, AuditEvent, Claim, Contradiction
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "root-password-123"))
    return client


def _form(article: Article, **changes: Any) -> dict[str, Any]:
    published = changes.pop("published_at", article.published_at)
    return {
        "title": article.title,
        "byline": article.byline,
        "outlet": article.outlet_id or "",
        "published_at_0": published.date().isoformat(),
        "published_at_1": published.strftime("%H:%M:%S"),
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
        **changes,
    }


def test_an_admin_edit_of_an_article_is_audited_and_re_dates_its_claims(admin_client: Client) -> None:
    article = make_article(title="Strike", published_at=timezone.make_aware(datetime.datetime(2025, 3, 14)))
    undated = make_claim(article, "about 2,500 workers", value=2500)
    dated = make_claim(article, "2,400 workers", value=2400, as_of="2025-03-01")
    assert undated.effective_date == datetime.date(2025, 3, 14)

    answer = admin_client.post(
        f"/admin/claims/article/{article.pk}/change/",
        _form(
            article,
            published_at=timezone.make_aware(datetime.datetime(2025, 4, 2, 9, 30)),
            title="Strike, day 2",
            status="failed",
            version="9",
        ),
    )

    assert answer.status_code == 302, answer.content.decode()[:2000]
    article.refresh_from_db()
    assert (article.title, article.status, article.version) == ("Strike, day 2", "ready", 1)
    event = AuditEvent.objects.get(entity="article", entity_id=article.pk, action="update")
    assert event.changes["title"] == ["Strike", "Strike, day 2"] and "published_at" in event.changes
    assert Claim.objects.get(pk=undated.pk).effective_date == datetime.date(2025, 4, 2)
    assert Claim.objects.get(pk=dated.pk).effective_date == datetime.date(2025, 3, 1)  # its own as_of stands


def test_ingestion_fields_are_read_only_and_articles_are_not_deleted_in_the_admin(admin_client: Client) -> None:
    article = make_article(title="Strike")
    page = admin_client.get(f"/admin/claims/article/{article.pk}/change/").content.decode()
    for field in ("status", "version", "text"):
        assert f'name="{field}"' not in page
    assert admin_client.get(f"/admin/claims/article/{article.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/claims/article/add/").status_code == 403


def test_removing_an_alias_in_the_admin_is_audited(admin_client: Client) -> None:
    subject = services.subject_get_or_create(name="Velmar dock strike")
    alias = services.subject_alias_add(subject=subject, name="Velmar walkout", actor=None)
    data = {
        "name": subject.name,
        "description": "",
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "1",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-id": str(alias.pk),
        "aliases-0-subject": str(subject.pk),
        "aliases-0-name": alias.name,
        "aliases-0-DELETE": "on",
    }
    answer = admin_client.post(f"/admin/claims/subject/{subject.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert not subject.aliases.exists()
    event = AuditEvent.objects.get(entity="subject", entity_id=subject.pk, action="alias_remove")
    assert event.changes == {"alias": "Velmar walkout"}


def _claim_form(claim: Claim, **changes: Any) -> dict[str, Any]:
    return {
        "attribute": claim.attribute,
        "unit": claim.unit,
        "qualifier": claim.qualifier,
        "status": claim.status,
        "as_of": claim.as_of.isoformat() if claim.as_of else "",
        **changes,
    }


def test_a_claim_edit_in_the_admin_applies_only_what_the_service_carries_and_is_audited(admin_client: Client) -> None:
    article = make_article(title="Strike")
    claim = make_claim(article, "about 2,500 workers", value=2500)
    page = admin_client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    for field in ("quote", "kind", "subject", "speaker", "qty_min", "qty_max", "start", "end", "article", "orphaned"):
        assert f'name="{field}"' not in page, field
    for field in ("attribute", "unit", "qualifier", "status", "as_of"):
        assert f'name="{field}"' in page, field

    answer = admin_client.post(
        f"/admin/claims/claim/{claim.pk}/change/",
        _claim_form(claim, attribute="workers out", quote="2,400 workers", kind="date", qty_min="1", qty_max="9"),
    )

    assert answer.status_code == 302, answer.content.decode()[:2000]
    saved = Claim.objects.get(pk=claim.pk)
    assert saved.attribute == "workers out"
    assert (saved.quote, saved.kind, saved.qty_min, saved.qty_max) == ("about 2,500 workers", "quantity", 2500, 2500)
    assert saved.version == claim.version + 1
    event = AuditEvent.objects.get(entity="claim", entity_id=claim.pk, action="update")
    assert event.changes["attribute"] == ["striker count", "workers out"]
    assert not {"quote", "kind", "qty_min", "qty_max"} & set(event.changes)


def test_deleting_claims_in_the_admin_is_audited_with_their_flags(admin_client: Client) -> None:
    article = make_article(title="Strike")
    one = make_claim(article, "about 2,500 workers", value=2500)
    two = make_claim(article, "2,400 workers", value=2400)
    three = make_claim(article, "2,500 workers", value=2500)
    flag = Contradiction.objects.create(claim_a=one, claim_b=two, kind="numeric", score=0.5, explanation="x")

    # One claim from its page: the confirmation lists its flag and does not refuse for it.
    page = admin_client.get(f"/admin/claims/claim/{one.pk}/delete/")
    assert page.status_code == 200 and "permission to delete" not in page.content.decode()
    answer = admin_client.post(f"/admin/claims/claim/{one.pk}/delete/", {"post": "yes"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert not Claim.objects.filter(pk=one.pk).exists() and not Contradiction.objects.filter(pk=flag.pk).exists()
    assert AuditEvent.objects.filter(entity="claim", entity_id=one.pk, action="delete").exists()
    assert AuditEvent.objects.filter(entity="contradiction", entity_id=flag.pk, action="delete").exists()

    # Several from the list's action.
    answer = admin_client.post(
        "/admin/claims/claim/",
        {"action": "delete_selected", "_selected_action": [str(two.pk), str(three.pk)], "post": "yes"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert not Claim.objects.filter(pk__in=[two.pk, three.pk]).exists()
    deleted = AuditEvent.objects.filter(entity="claim", action="delete").values_list("entity_id", flat=True)
    assert {str(pk) for pk in deleted} == {str(one.pk), str(two.pk), str(three.pk)}


def test_what_has_no_audited_delete_cannot_be_deleted_in_the_admin(admin_client: Client) -> None:
    article = make_article(title="Strike")
    one = make_claim(article, "about 2,500 workers", value=2500, speaker="Harbour officials")
    two = make_claim(article, "2,400 workers", value=2400)
    flag = Contradiction.objects.create(claim_a=one, claim_b=two, kind="numeric", score=0.5, explanation="x")
    spare_subject = services.subject_get_or_create(name="Unused subject")
    dynamics = services.attribute_dynamics_set(attribute="striker count", dynamics="level", actor=None)
    assert one.speaker is not None
    for model, obj in [
        ("contradiction", flag),
        ("subject", spare_subject),
        ("speaker", one.speaker),
        ("attributedynamics", dynamics),
    ]:
        assert admin_client.get(f"/admin/claims/{model}/{obj.pk}/delete/").status_code == 403, model
        assert admin_client.post(f"/admin/claims/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
        refused = admin_client.post(
            f"/admin/claims/{model}/", {"action": "delete_selected", "_selected_action": [str(obj.pk)], "post": "yes"}
        )
        assert refused.status_code in (200, 302, 403), model  # the action is not offered: nothing is deleted
        assert type(obj).objects.filter(pk=obj.pk).exists(), model


def test_a_subjects_description_and_broader_links_are_saved_through_the_services(admin_client: Client) -> None:
    subject = services.subject_get_or_create(name="Velmar dock strike")
    wider = services.subject_get_or_create(name="Velmar port dispute")
    other = services.subject_get_or_create(name="Harbour labour unrest")
    services.subject_link_broader(narrower=subject, broader=other, actor=None)
    data = {
        "name": subject.name,
        "description": "Crane drivers and dockers, from March 2025",
        "broader": [str(wider.pk)],
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    answer = admin_client.post(f"/admin/claims/subject/{subject.pk}/change/", data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    subject.refresh_from_db()
    assert subject.description == "Crane drivers and dockers, from March 2025"
    assert set(subject.broader.all()) == {wider}
    events = AuditEvent.objects.filter(entity="subject", entity_id=subject.pk)
    assert events.get(action="update").changes == {"description": ["", "Crane drivers and dockers, from March 2025"]}
    assert events.get(action="broader_add", changes={"broader": wider.pk})
    assert events.get(action="broader_remove").changes == {"broader": other.pk}
    assert not events.filter(action="rename").exists()  # the name did not change


def test_what_a_service_refuses_is_an_error_on_the_page_and_changes_nothing(admin_client: Client) -> None:
    subject = services.subject_get_or_create(name="Velmar dock strike")
    services.subject_get_or_create(name="Halvik port strike")
    data = {
        "name": "Halvik port strike",
        "description": "renamed onto another subject's name",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    answer = admin_client.post(f"/admin/claims/subject/{subject.pk}/change/", data, follow=True)
    assert answer.status_code == 200
    assert "Not saved: name: another subject is already called" in answer.content.decode()
    subject.refresh_from_db()
    assert (subject.name, subject.description) == ("Velmar dock strike", "")
    assert not AuditEvent.objects.filter(entity="subject", entity_id=subject.pk, action__in=["rename", "update"])
