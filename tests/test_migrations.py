"""Migrations 0007-0009 move existing suggestions to proposals: no "(unassigned)" subject and no subject or speaker
that only suggestions named survive; what editors confirmed or created directly stays."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
