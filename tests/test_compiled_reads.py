"""claims.db.compiled_values and CompiledPages: a read compiled to SQL once gives, for any ids, exactly the rows
Django's values() gives for the same queryset (SQLite's converted dates and booleans included), in one query, and
refuses a read whose ids would be baked into its SQL."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext

from claims import selectors
from claims.db import CompiledPages, compiled_values
from claims.models import Claim, Contradiction, Subject
from tests.web.reader_data import build_story

pytestmark = pytest.mark.django_db


def _by_subject(subject_id: int) -> QuerySet[Any]:
    return selectors.reader_claims().filter(subject=subject_id).order_by("-id").values(*selectors.CLAIM_ROW)


def _by_subject_and_speaker(subject_id: int, speaker_id: int) -> QuerySet[Any]:
    return Claim.objects.filter(subject=subject_id, speaker=speaker_id).order_by("id").values("id", "as_of", "quote")


def test_the_compiled_read_gives_what_values_gives_for_every_id() -> None:
    story = build_story(extra=4)
    subjects = list(Subject.objects.order_by("id").values_list("id", flat=True))
    assert len(subjects) >= 2
    for subject_id in [*subjects, *subjects, 10**6]:  # each twice: compiled once, then reused; and one with no rows
        with CaptureQueriesContext(connection) as queries:
            rows = compiled_values(_by_subject, subject_id)
        assert rows == list(_by_subject(subject_id)), subject_id
        assert len(queries) == 1
    rows = compiled_values(_by_subject, story.subject_id)
    assert rows and {type(row["contradicted"]) for row in rows} == {bool}  # converted on SQLite as by values()
    assert any(row["as_of"] is not None and hasattr(row["as_of"], "year") for row in rows)


def test_two_ids_each_go_to_their_own_parameter() -> None:
    story = build_story()
    claim = story.troops_a
    assert claim.subject_id is not None and claim.speaker_id is not None
    rows = compiled_values(_by_subject_and_speaker, claim.subject_id, claim.speaker_id)
    assert rows == list(_by_subject_and_speaker(claim.subject_id, claim.speaker_id)) and rows
    assert compiled_values(_by_subject_and_speaker, claim.speaker_id, claim.subject_id) == list(
        _by_subject_and_speaker(claim.speaker_id, claim.subject_id)
    )


def _by_quote(quote: str) -> QuerySet[Any]:
    return Claim.objects.filter(quote=quote).order_by("id").values("id", "quote")


def test_a_string_parameter_is_passed_as_given() -> None:
    story = build_story(extra=2)
    for quote in (story.troops_a.quote, story.opened_b.quote, "no such quote", "it's 50% \\ 'quoted'"):
        assert compiled_values(_by_quote, quote) == list(_by_quote(quote))
    assert compiled_values(_by_quote, story.troops_a.quote)[0]["id"] == story.troops_a.pk


def test_the_api_lists_flags_of_a_page_of_claims_as_the_plain_query_finds_them() -> None:
    story = build_story(extra=3)
    ids = list(Claim.objects.order_by("id").values_list("id", flat=True))
    found = selectors.contradiction_ids_by_claim(ids)
    for pk in ids:
        on_claim = Contradiction.objects.filter(Q(claim_a_id=pk) | Q(claim_b_id=pk), withdrawn_at__isnull=True)
        assert found[pk] == sorted(on_claim.values_list("id", flat=True)), pk
    assert any(found.values()) and len(story.flags()) > 1


def test_pages_read_through_a_paginator_match_the_querysets_pages() -> None:
    story = build_story(extra=7)
    total = Claim.objects.filter(selectors.PUBLIC_CLAIM, subject=story.subject_id).count()
    assert total > 6
    compiled: Paginator[Any] = Paginator(CompiledPages(_by_subject, story.subject_id), 3)  # type: ignore[arg-type]
    compiled.count = total
    plain = Paginator(_by_subject(story.subject_id), 3)
    assert compiled.num_pages == plain.num_pages > 2
    for number in range(1, plain.num_pages + 1):
        assert list(compiled.page(number).object_list) == list(plain.page(number).object_list)
    with pytest.raises(TypeError):
        CompiledPages(_by_subject, story.subject_id)[2]  # type: ignore[index]


def test_the_reader_pages_reads_match_their_plain_querysets() -> None:
    story = build_story(extra=3)
    subject = Subject.objects.get(pk=story.subject_id)
    chart = selectors.reader_subject_chart_rows(subject)
    assert chart and [row["id"] for row in chart] == sorted((row["id"] for row in chart), reverse=True)
    attributes = selectors.reader_subject_attributes(subject)
    public = Claim.objects.filter(selectors.PUBLIC_CLAIM, subject=subject)
    assert sum(row["count"] for row in attributes) == public.count()
    open_flags, reviewed = selectors.reader_subject_contradictions(subject, claim_count=10, limit=50)
    flags = [*open_flags, *reviewed]
    on_subject = {f.pk for f in story.flags() if subject.pk in (f.claim_a.subject_id, f.claim_b.subject_id)}
    assert {f.pk for f in flags} == on_subject
    assert all(f.side_a["id"] == f.claim_a_id and f.side_b["id"] == f.claim_b_id for f in flags)  # type: ignore[attr-defined]


@pytest.mark.django_db(transaction=True)  # committed, so that another thread's connection sees the story
def test_each_thread_compiles_on_its_own_connection() -> None:
    story = build_story()
    expected = list(_by_subject(story.subject_id))
    assert expected and compiled_values(_by_subject, story.subject_id) == expected
    seen: list[Any] = []
    thread = threading.Thread(target=lambda: seen.append(_in_thread(story.subject_id)))
    thread.start()
    thread.join()
    assert seen == [[row["id"] for row in expected]]


def _in_thread(subject_id: int) -> list[int]:
    try:
        return [row["id"] for row in compiled_values(_by_subject, subject_id)]
    finally:
        connection.close()


def test_a_read_that_would_bake_an_id_into_its_sql_or_is_not_values_is_refused() -> None:
    def sliced(subject_id: int) -> QuerySet[Any]:
        return Claim.objects.order_by("id").values("id")[: abs(subject_id)]

    def instances(subject_id: int) -> QuerySet[Any]:
        return Claim.objects.filter(subject=subject_id)

    with pytest.raises(ValueError, match="does not pass ids"):
        compiled_values(sliced, 3)
    with pytest.raises(TypeError, match="values"):
        compiled_values(instances, 3)


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_a_compiled_read_is_planned_with_its_ids_unless_one_plan_suits_every_id() -> None:
    connection.ensure_connection()
    threshold = connection.connection.prepare_threshold
    if threshold is None:
        pytest.fail("these tests run with DB_PREPARE_THRESHOLD on (the default); it is off here")
    subject_id = build_story().subject_id
    for _ in range(threshold + 6):  # past psycopg's threshold and PostgreSQL's five custom plans
        compiled_values(_by_subject, subject_id)
        compiled_values(_by_quote, "stand-alone quote", one_plan=True)
    assert connection.connection.prepare_threshold == threshold  # restored after each skewed read
    statements = _prepared_statements()
    by_quote = [s for s in statements if '"claims_claim"."quote" =' in s]
    by_subject = [s for s in statements if '"claims_claim"."subject_id" =' in s and "ORDER BY" in s]
    assert by_quote, "a one_plan read is prepared like Django's other queries"
    assert not by_subject, f"a read keyed by a subject was prepared: {by_subject}"
