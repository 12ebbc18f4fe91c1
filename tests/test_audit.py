"""Every change made through the services leaves an audit record: who, what, when."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from claims import services
from claims.models import AuditEvent, Contradiction
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def _events(entity: str, entity_id: int) -> list[str]:
    return list(
        AuditEvent.objects.filter(entity=entity, entity_id=entity_id).order_by("id").values_list("action", flat=True)
    )


def test_claim_changes_are_audited(editor: User) -> None:
    article = make_article()
    claim = make_claim(article, "about 2,500 workers", actor=editor)
    claim = services.claim_update(claim=claim, actor=editor, expected_version=1, value=2600)
    claim = services.claim_set_status(claim=claim, actor=editor, status="rejected")
    assert _events("claim", claim.pk) == ["create", "update", "update"]
    last = AuditEvent.objects.filter(entity="claim", entity_id=claim.pk).order_by("id").last()
    assert last is not None and last.actor == editor
    assert last.changes["status"] == ["confirmed", "rejected"]
    claim_id = claim.pk
    services.claim_delete(claim=claim, actor=editor)
    assert _events("claim", claim_id)[-1] == "delete"


def test_contradiction_review_is_audited(editor: User) -> None:
    article = make_article()
    one = make_claim(article, "about 2,500 workers")
    two = make_claim(article, "2,400 workers", value=2400)
    flag = Contradiction.objects.create(claim_a=one, claim_b=two, kind="numeric", score=0.5, explanation="x")
    services.contradiction_resolve(contradiction=flag, actor=editor, status="dismissed", note="different groups")
    event = AuditEvent.objects.get(entity="contradiction", entity_id=flag.pk, action="review")
    assert event.actor == editor
    assert event.changes["status"] == ["open", "dismissed"]
    assert event.changes["note"] == ["", "different groups"]


def test_subject_and_speaker_changes_are_audited(editor: User) -> None:
    subject = services.subject_get_or_create(name="Port workers", actor=editor)
    services.subject_rename(subject=subject, name="Port workers on strike", actor=editor)
    services.subject_alias_add(subject=subject, name="Dockers", actor=editor)
    speaker = services.speaker_get_or_create(name="Mara Lind", actor=editor)
    services.speaker_update(speaker=speaker, name="Mara Lindqvist", actor=editor)
    assert _events("subject", subject.pk) == ["create", "rename", "alias_add"]
    assert _events("speaker", speaker.pk) == ["create", "update"]


def test_article_submission_is_audited(editor: User) -> None:
    article, created = services.article_submit(actor=editor, text="A union leader said 2,400 workers walked out.")
    assert created
    assert _events("article", article.pk)[0] == "submit"
