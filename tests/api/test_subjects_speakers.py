"""Subjects and speakers through the API: search by prefix and alias, create (names match case-insensitively),
rename, aliases, broader/narrower links, merge (claims follow, the old name lives on as an alias), and refusals
that name the field and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.models import AuditEvent, Claim, Speaker, SpeakerAlias, Subject, SubjectAlias
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db


def _names(answer: Any) -> list[str]:
    assert answer.status_code == 200, answer.content
    return [row["name"] for row in answer.json()["results"]]


# ---------------------------------------------------------------------------------------------- subjects


def test_subject_search_matches_prefix_and_alias_case_insensitively(editor_client: APIClient) -> None:
    dockers = services.subject_get_or_create(name="Dock workers in Harwick")
    services.subject_get_or_create(name="Harbour authority budget")
    services.subject_alias_add(subject=dockers, name="Harwick stevedores", actor=None)

    assert _names(editor_client.get("/api/v1/subjects/", {"q": "dock wor"})) == ["Dock workers in Harwick"]
    assert _names(editor_client.get("/api/v1/subjects/", {"q": "HARWICK STEV"})) == ["Dock workers in Harwick"]
    assert _names(editor_client.get("/api/v1/subjects/", {"q": "harbour"})) == ["Harbour authority budget"]
    assert _names(editor_client.get("/api/v1/subjects/", {"q": "nothing like it"})) == []
    body = editor_client.get(f"/api/v1/subjects/{dockers.pk}/").json()
    assert body["aliases"] == ["Harwick stevedores"]


def test_subject_create_finds_an_existing_name_or_alias(editor_client: APIClient) -> None:
    first = editor_client.post("/api/v1/subjects/", {"name": "Ferry crossings"}, format="json")
    assert first.status_code == 201, first.content
    again = editor_client.post("/api/v1/subjects/", {"name": "  FERRY   crossings "}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    editor_client.post(f"/api/v1/subjects/{first.json()['id']}/aliases/", {"name": "Ferry trips"}, format="json")
    by_alias = editor_client.post("/api/v1/subjects/", {"name": "ferry trips"}, format="json")
    assert by_alias.status_code == 200 and by_alias.json()["id"] == first.json()["id"]
    assert Subject.objects.count() == 1


def test_subject_rename_refuses_a_name_taken_by_another_subject(editor_client: APIClient) -> None:
    one = services.subject_get_or_create(name="Cargo volume")
    services.subject_get_or_create(name="Container volume")
    answer = editor_client.patch(f"/api/v1/subjects/{one.pk}/", {"name": "container VOLUME"}, format="json")
    assert answer.status_code == 409 and "name" in answer.json()
    one.refresh_from_db()
    assert one.name == "Cargo volume"

    renamed = editor_client.patch(f"/api/v1/subjects/{one.pk}/", {"name": "Cargo tonnage"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Cargo tonnage"
    assert AuditEvent.objects.filter(entity="subject", entity_id=one.pk, action="rename").count() == 1


def test_alias_that_already_names_a_subject_is_refused(editor_client: APIClient) -> None:
    one = services.subject_get_or_create(name="Night shift")
    services.subject_get_or_create(name="Day shift")
    answer = editor_client.post(f"/api/v1/subjects/{one.pk}/aliases/", {"name": "day SHIFT"}, format="json")
    assert answer.status_code == 409 and "alias" in answer.json()
    assert SubjectAlias.objects.count() == 0


def test_broader_and_narrower_links(editor_client: APIClient) -> None:
    workers = services.subject_get_or_create(name="Port workers")
    dockers = services.subject_get_or_create(name="Dockers at the north quay")
    answer = editor_client.post(f"/api/v1/subjects/{dockers.pk}/broader/", {"broader": workers.pk}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["broader"] == [workers.pk]
    assert editor_client.get(f"/api/v1/subjects/{workers.pk}/").json()["narrower"] == [dockers.pk]

    itself = editor_client.post(f"/api/v1/subjects/{dockers.pk}/broader/", {"broader": dockers.pk}, format="json")
    assert itself.status_code == 400 and "broader" in itself.json()
    missing = editor_client.post(f"/api/v1/subjects/{dockers.pk}/broader/", {"broader": 999999}, format="json")
    assert missing.status_code == 400 and "broader" in missing.json()
    assert list(dockers.broader.values_list("pk", flat=True)) == [workers.pk]


def test_subject_merge_moves_claims_links_and_keeps_the_old_name(editor_client: APIClient) -> None:
    article = make_article()
    source = services.subject_get_or_create(name="Strikers at the port")
    target = services.subject_get_or_create(name="Port workers on strike")
    wider = services.subject_get_or_create(name="Port labour")
    services.subject_link_broader(narrower=source, broader=wider, actor=None)
    services.subject_alias_add(subject=source, name="Walkout crews", actor=None)
    claim = make_claim(article, "about 2,500 workers", subject="Strikers at the port")

    answer = editor_client.post(f"/api/v1/subjects/{source.pk}/merge/", {"into": target.pk}, format="json")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["id"] == target.pk
    assert sorted(body["aliases"]) == ["Strikers at the port", "Walkout crews"]
    assert body["broader"] == [wider.pk]
    assert not Subject.objects.filter(pk=source.pk).exists()
    assert Claim.objects.get(pk=claim.pk).subject_id == target.pk
    # The old name now finds the survivor, through the API and the claim form alike.
    assert _names(editor_client.get("/api/v1/subjects/", {"q": "strikers at"})) == ["Port workers on strike"]
    assert services.subject_get_or_create(name="strikers at the port").pk == target.pk
    event = AuditEvent.objects.get(entity="subject", entity_id=target.pk, action="merge")
    assert event.changes["claims"] == [claim.pk]


def test_subject_merge_refusals_change_nothing(editor_client: APIClient) -> None:
    one = services.subject_get_or_create(name="Toll revenue")
    into_itself = editor_client.post(f"/api/v1/subjects/{one.pk}/merge/", {"into": one.pk}, format="json")
    assert into_itself.status_code == 409, into_itself.content
    missing = editor_client.post(f"/api/v1/subjects/{one.pk}/merge/", {"into": 424242}, format="json")
    assert missing.status_code == 400 and "into" in missing.json()
    bad = editor_client.post(f"/api/v1/subjects/{one.pk}/merge/", {"into": "the other one"}, format="json")
    assert bad.status_code == 400 and "into" in bad.json()
    assert Subject.objects.filter(pk=one.pk).exists()


# ---------------------------------------------------------------------------------------------- speakers


def test_speaker_search_create_alias_and_rename(editor_client: APIClient) -> None:
    created = editor_client.post("/api/v1/speakers/", {"name": "Mara Ostend"}, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    again = editor_client.post("/api/v1/speakers/", {"name": "mara  OSTEND"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == pk

    alias = editor_client.post(f"/api/v1/speakers/{pk}/aliases/", {"name": "M. Ostend"}, format="json")
    assert alias.status_code == 201 and alias.json()["aliases"] == ["M. Ostend"]
    assert _names(editor_client.get("/api/v1/speakers/", {"q": "m. ost"})) == ["Mara Ostend"]
    assert _names(editor_client.get("/api/v1/speakers/", {"q": "mara"})) == ["Mara Ostend"]

    editor_client.post("/api/v1/speakers/", {"name": "Union spokesperson"}, format="json")
    clash = editor_client.patch(f"/api/v1/speakers/{pk}/", {"name": "union Spokesperson"}, format="json")
    assert clash.status_code == 409 and "name" in clash.json()
    renamed = editor_client.patch(f"/api/v1/speakers/{pk}/", {"description": "port authority chair"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["description"] == "port authority chair"
    assert Speaker.objects.get(pk=pk).name == "Mara Ostend"


def test_a_claim_naming_a_speakers_alias_is_attributed_to_that_speaker(editor_client: APIClient) -> None:
    speaker = services.speaker_get_or_create(name="Mara Ostend")
    services.speaker_alias_add(speaker=speaker, name="Chair Ostend", actor=None)
    claim = make_claim(make_article(), "about 2,500 workers", speaker="chair ostend")
    assert claim.speaker_id == speaker.pk
    assert Speaker.objects.count() == 1


def test_speaker_merge_moves_claims_and_the_old_name_finds_the_survivor(editor_client: APIClient) -> None:
    article = make_article()
    source = services.speaker_get_or_create(name="A union leader")
    target = services.speaker_get_or_create(name="Jon Keel")
    claim = make_claim(article, "2,400 workers", speaker="A union leader", value=2400)

    answer = editor_client.post(f"/api/v1/speakers/{source.pk}/merge/", {"into": target.pk}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["aliases"] == ["A union leader"]
    assert Claim.objects.get(pk=claim.pk).speaker_id == target.pk
    assert not Speaker.objects.filter(pk=source.pk).exists()
    assert services.speaker_get_or_create(name="a union LEADER").pk == target.pk
    assert SpeakerAlias.objects.get(name="A union leader").speaker_id == target.pk

    itself = editor_client.post(f"/api/v1/speakers/{target.pk}/merge/", {"into": target.pk}, format="json")
    assert itself.status_code == 409
    missing = editor_client.post(f"/api/v1/speakers/{target.pk}/merge/", {"into": 424242}, format="json")
    assert missing.status_code == 400 and missing.json() == {"into": ["no speaker with this id"]}
    taken = editor_client.post(f"/api/v1/speakers/{target.pk}/aliases/", {"name": "a union leader"}, format="json")
    assert taken.status_code == 409 and "alias" in taken.json()
    assert Speaker.objects.filter(pk=target.pk).exists() and SpeakerAlias.objects.count() == 1


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/subjects/", {"name": "Quay cranes"}),
        ("post", "/api/v1/speakers/", {"name": "Quay cranes"}),
        ("patch", "/api/v1/subjects/{subject}/", {"name": "Renamed"}),
        ("post", "/api/v1/subjects/{subject}/aliases/", {"name": "Other"}),
        ("post", "/api/v1/subjects/{subject}/merge/", {"into": "{other}"}),
        ("post", "/api/v1/speakers/{speaker}/merge/", {"into": "{speaker2}"}),
    ],
)
def test_readers_and_anonymous_cannot_write_subjects_or_speakers(
    reader_client: APIClient, method: str, path: str, body: dict[str, Any]
) -> None:
    ids = {
        "subject": services.subject_get_or_create(name="Berth fees").pk,
        "other": services.subject_get_or_create(name="Mooring fees").pk,
        "speaker": services.speaker_get_or_create(name="Harbour master").pk,
        "speaker2": services.speaker_get_or_create(name="Deputy harbour master").pk,
    }
    url = path.format(**ids)
    payload = {k: int(v.format(**ids)) if isinstance(v, str) and v.startswith("{") else v for k, v in body.items()}
    before = (Subject.objects.count(), Speaker.objects.count(), SubjectAlias.objects.count())
    for client, refused in ((reader_client, 403), (APIClient(), 401)):
        answer = getattr(client, method)(url, payload, format="json")
        assert answer.status_code == refused, (client, answer.content)
    assert (Subject.objects.count(), Speaker.objects.count(), SubjectAlias.objects.count()) == before
    assert Subject.objects.filter(name="Berth fees").exists()


# ---------------------------------------------------------------------------------------------- merged ids


@pytest.mark.parametrize("entity", ["subject", "speaker"])
def test_a_merged_id_moves_to_the_survivor_in_the_api_and_on_reader_pages(
    editor_client: APIClient, anon_client: APIClient, entity: str
) -> None:
    """Links and ids held by readers and clients keep working after a merge: the old id's API address and public
    page answer 301 to the survivor's, through later merges too; an id that never was is still a 404."""
    article = make_article()
    get_or_create = services.subject_get_or_create if entity == "subject" else services.speaker_get_or_create
    first, second, last = (get_or_create(name=name) for name in ("Walkout crews", "Port strikers", "Dock workers"))
    for n, (quote, value) in enumerate((("about 2,500 workers", 2500), ("2,400 workers", 2400))):
        named = {"subject": "Dock workers"} if entity == "speaker" else {}
        make_claim(article, quote, value=value, **{entity: ("Walkout crews", "Dock workers")[n]}, **named)
    for source, target in ((first, second), (second, last)):
        merged = editor_client.post(f"/api/v1/{entity}s/{source.pk}/merge/", {"into": target.pk}, format="json")
        assert merged.status_code == 200, merged.content
    events = AuditEvent.objects.filter(entity=entity, action="merge").order_by("id")
    assert [event.changes["merged_id"] for event in events] == [first.pk, second.pk]

    for gone in (first, second):
        moved = anon_client.get(f"/api/v1/{entity}s/{gone.pk}/")
        assert moved.status_code == 301, moved.content
        assert moved["Location"].endswith(f"/api/v1/{entity}s/{last.pk}/")
        followed = anon_client.get(f"/api/v1/{entity}s/{gone.pk}/", follow=True)
        assert followed.status_code == 200 and followed.json()["id"] == last.pk
        page = anon_client.get(f"/{entity}s/{gone.pk}/")
        assert page.status_code == 301 and page["Location"] == f"/{entity}s/{last.pk}/"
        assert anon_client.get(f"/{entity}s/{gone.pk}/", follow=True).status_code == 200
    assert anon_client.get(f"/api/v1/{entity}s/424242/").status_code == 404
    assert anon_client.get(f"/{entity}s/424242/").status_code == 404
    # Writes to an old id are not redirected: they name something that is gone.
    late = editor_client.post(f"/api/v1/{entity}s/{first.pk}/aliases/", {"name": "Late name"}, format="json")
    assert late.status_code == 404
