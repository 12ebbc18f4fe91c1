"""Migrations 0007-0009 move existing suggestions to proposals: no "(unassigned)" subject and no subject or speaker
that only suggestions named survive; what editors confirmed or created directly stays. Migration 0014 retires the
suggestions a confirmed claim already covered, by the service's own rule."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from claims import models
from claims.services import covered

BEFORE = [("claims", "0006_claim_effective_date")]
AFTER = [("claims", "0009_confirmed_claim_has_subject")]


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_suggestions_become_proposals_and_suggestion_only_names_go() -> None:
    old = _migrate(BEFORE)
    Article, Claim = old.get_model("claims", "Article"), old.get_model("claims", "Claim")
    Subject, Speaker = old.get_model("claims", "Subject"), old.get_model("claims", "Speaker")
    Contradiction = old.get_model("claims", "Contradiction")

    def subject(name: str) -> Any:
        return Subject.objects.create(name=name, name_key=name.lower())

    def speaker(name: str) -> Any:
        return Speaker.objects.create(name=name, name_key=name.lower())

    text = "About 1,800 dockworkers joined the strike on Monday, Aksel Brandt said, as 42 ships waited."
    published = datetime.datetime(2025, 3, 14, tzinfo=datetime.UTC)
    article = Article.objects.create(
        title="Strike", source="text", raw=text, text=text, status="ready", published_at=published
    )
    placeholder, strike, ships = subject("(unassigned)"), subject("Velmar dock strike"), subject("cargo ships")
    kept_alone = subject("Made by an editor")  # no claim at all: created directly, it stays
    brandt, brandt_short, union = speaker("Aksel Brandt"), speaker("Brandt"), speaker("Dockers' union")

    def claim(start: int, end: int, status: str, subj: Any, **more: Any) -> Any:
        return Claim.objects.create(
            article=article,
            start=start,
            end=end,
            quote=text[start:end],
            kind="quantity",
            qty_min=1,
            qty_max=1,
            subject=subj,
            attribute="count",
            attribute_key="count",
            status=status,
            **more,
        )

    confirmed = claim(0, 23, "confirmed", strike, speaker=union)
    suggestion = claim(0, 23, "suggested", ships, speaker=brandt)
    rejected = claim(70, 78, "rejected", ships, speaker=brandt_short, after=strike)
    unassigned_suggestion = claim(70, 78, "suggested", placeholder)
    unassigned_confirmed = claim(70, 78, "confirmed", placeholder)
    flag = Contradiction.objects.create(
        claim_a=confirmed, claim_b=unassigned_confirmed, kind="numeric", score=0.5, explanation="x", status="open"
    )

    try:
        _check_after(_migrate(AFTER), locals())
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())  # the later migrations too, for the tests after this


def _check_after(new: Any, made: dict[str, Any]) -> None:
    confirmed, suggestion, rejected = made["confirmed"], made["suggestion"], made["rejected"]
    unassigned_suggestion, unassigned_confirmed = made["unassigned_suggestion"], made["unassigned_confirmed"]
    strike, union, kept_alone, flag = made["strike"], made["union"], made["kept_alone"], made["flag"]
    Claim, Subject = new.get_model("claims", "Claim"), new.get_model("claims", "Subject")
    Speaker, Contradiction = new.get_model("claims", "Speaker"), new.get_model("claims", "Contradiction")

    assert sorted(Subject.objects.values_list("name", flat=True)) == ["Made by an editor", "Velmar dock strike"]
    assert list(Speaker.objects.values_list("name", flat=True)) == ["Dockers' union"]
    assert Subject.objects.filter(pk=kept_alone.pk).exists()

    rows = {row.pk: row for row in Claim.objects.all()}
    assert (rows[confirmed.pk].subject_id, rows[confirmed.pk].speaker_id) == (strike.pk, union.pk)
    moved = rows[suggestion.pk]
    assert (moved.subject_id, moved.speaker_id, moved.proposed_subject, moved.proposed_speaker) == (
        None,
        None,
        "cargo ships",
        "Aksel Brandt",
    )
    moved = rows[rejected.pk]
    assert (moved.status, moved.subject_id, moved.after_id, moved.proposed_after, moved.proposed_speaker) == (
        "rejected",
        None,
        None,
        "Velmar dock strike",
        "Brandt",
    )
    # A placeholder is not a proposal; a claim "confirmed" under it waits for an editor again, its flag withdrawn.
    assert (rows[unassigned_suggestion.pk].proposed_subject, rows[unassigned_suggestion.pk].subject_id) == ("", None)
    assert (rows[unassigned_confirmed.pk].status, rows[unassigned_confirmed.pk].subject_id) == ("suggested", None)
    assert Contradiction.objects.get(pk=flag.pk).withdrawn_at is not None
    assert not Claim.objects.filter(status="confirmed", subject__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_suggestions_already_covered_by_a_confirmed_claim_are_retired_as_the_rule_retires_them() -> None:
    """Migration 0014 runs the service's "covered" rule (claims.services.covered) on the data it finds: each
    suggestion a confirmed claim of the same kind covers in the same article is rejected, "covered by claim N"
    (the oldest such claim), version bumped, one audit row; nothing else changes."""
    old = _migrate([("claims", "0013_merged_names_keep_their_old_id")])
    Article, Claim = old.get_model("claims", "Article"), old.get_model("claims", "Claim")
    Subject, AuditEvent = old.get_model("claims", "Subject"), old.get_model("claims", "AuditEvent")

    text = "About 1,800 dockworkers joined the strike on Monday, Aksel Brandt said, as 42 ships waited."
    published = datetime.datetime(2025, 3, 14, tzinfo=datetime.UTC)
    article, other_article = (
        Article.objects.create(
            title=title, source="text", raw=text, text=text, status="ready", published_at=published, content_hash=title
        )
        for title in ("Strike", "Strike again")
    )
    strike = Subject.objects.create(name="Velmar dock strike", name_key="velmar dock strike")

    def claim(start: int, end: int, status: str, kind: str = "quantity", where: Any = article) -> Any:
        confirmed = status == "confirmed"
        return Claim.objects.create(
            article=where,
            start=start,
            end=end,
            quote=text[start:end],
            kind=kind,
            qty_min=1 if kind == "quantity" else None,
            qty_max=1 if kind == "quantity" else None,
            subject=strike if confirmed else None,
            proposed_subject="" if confirmed else "dockworkers",
            attribute="count",
            attribute_key="count",
            status=status,
        )

    first = claim(0, 23, "confirmed")
    claim(6, 23, "confirmed")  # covers the same suggestions, later: not the one named
    inside, overlapping = claim(6, 11, "suggested"), claim(20, 40, "suggested")
    kept = {
        "other kind": claim(0, 23, "suggested", kind="statement"),
        "apart": claim(71, 79, "suggested"),
        "other article": claim(0, 23, "suggested", where=other_article),
        "rejected already": claim(0, 23, "rejected"),
    }
    uncovered_confirmed = claim(82, 90, "confirmed")  # covers nothing
    before = {row.pk: (row.status, row.version) for row in Claim.objects.all()}
    assert AuditEvent.objects.count() == 0

    try:
        new = _migrate([("claims", "0014_retire_covered_suggestions")])
        Claim, AuditEvent = new.get_model("claims", "Claim"), new.get_model("claims", "AuditEvent")
        after = {row.pk: (row.status, row.version) for row in Claim.objects.all()}
        for retired in (inside, overlapping):
            assert after[retired.pk] == ("rejected", before[retired.pk][1] + 1)
        assert {pk: after[pk] for pk in before if pk not in (inside.pk, overlapping.pk)} == {
            pk: row for pk, row in before.items() if pk not in (inside.pk, overlapping.pk)
        }
        assert after[uncovered_confirmed.pk] == ("confirmed", 1) and all(k.pk in after for k in kept.values())
        audits = list(AuditEvent.objects.order_by("entity_id").values("entity", "entity_id", "action", "changes"))
        assert audits == [
            {
                "entity": "claim",
                "entity_id": retired.pk,
                "action": "update",
                "changes": {"status": ["suggested", "rejected"], "reason": f"covered by claim {first.pk}"},
            }
            for retired in (inside, overlapping)
        ]
        # Run again, it finds nothing left to do.
        assert covered.retire_all_covered(claim_model=Claim, audit_model=AuditEvent) == []
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_covered_rule_names_the_claim_statuses_the_model_has() -> None:
    """The rule's module spells the statuses as strings (a migration's models have no enum): they are the model's."""
    assert (covered.SUGGESTED, covered.CONFIRMED, covered.REJECTED) == (
        models.Claim.Status.SUGGESTED,
        models.Claim.Status.CONFIRMED,
        models.Claim.Status.REJECTED,
    )
