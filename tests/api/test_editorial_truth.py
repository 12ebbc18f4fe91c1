"""A machine suggestion stays a suggestion until an editor makes it a claim: it creates no subject or speaker, is in
no public list, export, feed or page, and is never compared by the detector; confirming needs a real subject."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from claims import services
from claims.models import AuditEvent, Claim, Contradiction, Speaker, Subject
from tests.factories import make_article, make_claim

pytestmark = pytest.mark.django_db

STRIKE = (
    "Dockworkers at the port of Velmar walked out on Monday, the union said.\n\n"
    "About 1,800 dockworkers joined the strike, and 42 cargo ships were left waiting offshore.\n\n"
    "Union secretary Aksel Brandt said the stoppage would last at least two weeks. Brandt added that talks had "
    "failed in 2019 as well."
)
FLOOD = (
    "The Orrin river burst its banks on Thursday after three days of rain.\n\n"
    "Some 600 homes were flooded and 2,300 people were moved to shelters, the county council said.\n\n"
    "The old levee was built in 1962 and has not been raised since."
)


def _suggested(text: str, title: str) -> list[Claim]:
    article = make_article(title=title, text=text, raw=text)
    services.article_store_suggestions(article_id=article.pk)
    return list(Claim.objects.filter(article=article).order_by("start"))


def test_suggestions_carry_proposals_and_create_no_subject_or_speaker() -> None:
    made = _suggested(STRIKE, "Dock strike") + _suggested(FLOOD, "River flood")

    assert len(made) >= 6
    assert all(claim.status == Claim.Status.SUGGESTED for claim in made)
    assert all(claim.subject_id is None and claim.speaker_id is None and claim.after_id is None for claim in made)
    assert any(claim.proposed_speaker for claim in made)
    assert not any(claim.proposed_subject == "(unassigned)" for claim in made)
    assert Subject.objects.count() == 0 and Speaker.objects.count() == 0


def test_anonymous_lists_exports_and_feeds_hold_no_suggestion(
    anon_client: Any, editor_client: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    article = make_article(title="Dock strike", text=STRIKE, raw=STRIKE)
    services.article_store_suggestions(article_id=article.pk)
    confirmed = make_claim(
        article,
        "About 1,800 dockworkers",
        value=1800,
        unit="dockworkers",
        subject="Velmar dock strike",
        attribute="strikers",
        speaker="Velmar dockers' union",
    )
    rejected = (
        Claim.objects.filter(article=article, status=Claim.Status.SUGGESTED)
        .exclude(start__lt=confirmed.end, end__gt=confirmed.start)
        .first()
    )
    assert rejected is not None
    services.claim_set_status(claim=rejected, actor=None, status=Claim.Status.REJECTED)
    waiting = Claim.objects.filter(article=article, status=Claim.Status.SUGGESTED)
    assert waiting.exists()

    listed = anon_client.get(f"/api/v1/claims/?article={article.pk}").json()["results"]
    assert [row["id"] for row in listed] == [confirmed.pk]
    assert anon_client.get("/api/v1/claims/?status=suggested").json()["results"] == []
    assert anon_client.get("/api/v1/claims/?status=rejected").json()["results"] == []
    # The editor's default list is editorial truth too; suggestions are there when asked for.
    assert [r["id"] for r in editor_client.get(f"/api/v1/claims/?article={article.pk}").json()["results"]] == [
        confirmed.pk
    ]
    asked = editor_client.get(f"/api/v1/claims/?article={article.pk}&status=suggested").json()["results"]
    assert {row["id"] for row in asked} == set(waiting.values_list("id", flat=True))

    csv_body = b"".join(anon_client.get("/api/v1/exports/claims.csv").streaming_content).decode()
    assert len(csv_body.strip().splitlines()) == 2 and "Velmar dock strike" in csv_body
    jsonl = b"".join(anon_client.get("/api/v1/exports/claims.jsonl").streaming_content).decode()
    assert [json.loads(line)["id"] for line in jsonl.splitlines()] == [confirmed.pk]
    annotations = json.loads(b"".join(anon_client.get("/api/v1/exports/annotations.jsonld").streaming_content))
    assert len(annotations["first"]["items"]) == 1

    subjects = [row["name"] for row in anon_client.get("/api/v1/subjects/").json()["results"]]
    speakers = [row["name"] for row in anon_client.get("/api/v1/speakers/").json()["results"]]
    assert subjects == ["Velmar dock strike"]
    assert speakers == ["Velmar dockers' union"]

    for claim in [rejected, *waiting]:
        assert anon_client.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
        assert anon_client.get(f"/api/v1/claims/{claim.pk}/annotation/").status_code == 404
        assert Client().get(f"/claims/{claim.pk}/").status_code == 404
        shown = editor_client.get(f"/api/v1/claims/{claim.pk}/").json()
        assert shown["page"] is None and shown["subject"] is None
    assert anon_client.get(f"/api/v1/claims/{confirmed.pk}/").json()["page"].endswith(f"/claims/{confirmed.pk}/")

    reader = Client()
    article_page = reader.get(f"/articles/{article.pk}/").content.decode()
    for claim in waiting:
        assert f"/claims/{claim.pk}/" not in article_page
    speakers_page = reader.get("/speakers/").content.decode()
    assert "Aksel Brandt" not in speakers_page and "Velmar dockers" in speakers_page
    found = reader.get("/search/?q=Brandt").content.decode()
    assert not re.search(r"/speakers/\d+/", found)  # the article is found; no speaker only a suggestion named
    assert re.search(r"/speakers/\d+/", reader.get("/search/?q=dockers").content.decode())

    # Feeds: the global one and a subject's, RSS and Atom (there is no speaker feed). Two stories flagged on a
    # subject, then both claims taken back (one to a suggestion, one rejected): that subject, public no more, has no
    # feed, its flags are in none, and no item of any feed names a claim that is not confirmed.
    first, second = make_article(title="Port A"), make_article(title="Port B")
    with django_capture_on_commit_callbacks(execute=True):  # the checks run (in-process) as they do after commit
        make_claim(first, "about 2,500 workers", value=2500, subject="Velmar dock strike", attribute="strikers")
        make_claim(second, "2,400 workers", value=2400, subject="Velmar dock strike", attribute="strikers")
        opened = [
            make_claim(
                art, f"March {year}", kind="date", value=f"{year}-03", subject="Kessling terminal", attribute="opened"
            )
            for art, year in ((first, 2019), (second, 2021))
        ]
    taken_back = Subject.objects.get(name="Kessling terminal")
    flagged = set(
        Contradiction.objects.filter(claim_a__subject=taken_back, withdrawn_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert flagged and Client().get(f"/subjects/{taken_back.pk}/feed.rss").status_code == 200
    services.claim_set_status(claim=opened[0], actor=None, status=Claim.Status.SUGGESTED)
    services.claim_set_status(claim=opened[1], actor=None, status=Claim.Status.REJECTED)
    public_subject = Subject.objects.get(name="Velmar dock strike")
    not_confirmed = list(Claim.objects.exclude(status=Claim.Status.CONFIRMED))
    assert {claim.pk for claim in opened} <= {claim.pk for claim in not_confirmed}
    for suffix in ("rss", "atom"):
        for gone in (taken_back.pk, public_subject.pk + taken_back.pk + 1000):
            assert reader.get(f"/subjects/{gone}/feed.{suffix}").status_code == 404
        for path in (f"/contradictions/feed.{suffix}", f"/subjects/{public_subject.pk}/feed.{suffix}"):
            answer = reader.get(path)
            assert answer.status_code == 200, path
            feed = answer.content.decode()
            items = {int(pk) for pk in re.findall(r"/contradictions/(\d+)/", feed)}
            assert items and not items & flagged, path
            for flag in Contradiction.objects.filter(pk__in=items).select_related("claim_a", "claim_b"):
                assert {flag.claim_a.status, flag.claim_b.status} == {Claim.Status.CONFIRMED}, (path, flag.pk)
            assert "Kessling terminal" not in feed, path
            for claim in not_confirmed:
                assert f"“{claim.quote}”" not in feed, (path, claim.quote)


def test_confirming_without_a_subject_is_a_400_naming_subject_and_changes_nothing(editor_client: APIClient) -> None:
    article = make_article(title="Flood", text=FLOOD, raw=FLOOD)
    bare = services.claim_create(
        actor=None,
        article=article,
        quote="on Thursday",
        kind="date",
        value="2025-03-13",
        subject="",
        attribute="event date",
        status=Claim.Status.SUGGESTED,
    )
    events = AuditEvent.objects.count()

    answer = editor_client.patch(
        f"/api/v1/claims/{bare.pk}/", {"status": "confirmed", "version": bare.version}, format="json"
    )

    assert answer.status_code == 400
    assert "subject" in answer.json()
    bare.refresh_from_db()
    assert (bare.status, bare.version, bare.subject_id) == (Claim.Status.SUGGESTED, 1, None)
    assert AuditEvent.objects.count() == events and Subject.objects.count() == 0

    # With a subject named in the same request it is confirmed, and only now does the subject exist.
    answer = editor_client.patch(
        f"/api/v1/claims/{bare.pk}/",
        {"status": "confirmed", "version": bare.version, "subject": "Orrin river flood"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["subject"] == "Orrin river flood" and answer.json()["page"]
    assert list(Subject.objects.values_list("name", flat=True)) == ["Orrin river flood"]


def test_confirming_a_suggestion_uses_its_proposals(editor_client: APIClient) -> None:
    article = make_article(title="Flood", text=FLOOD, raw=FLOOD)
    suggestion = services.claim_create(
        actor=None,
        article=article,
        quote="2,300 people",
        kind="quantity",
        value=2300,
        unit="people",
        subject="Orrin flood evacuees",
        speaker="the county council",
        attribute="people moved to shelters",
        status=Claim.Status.SUGGESTED,
    )
    assert (suggestion.proposed_subject, suggestion.proposed_speaker) == ("Orrin flood evacuees", "the county council")
    shown = editor_client.get(f"/api/v1/claims/{suggestion.pk}/").json()
    assert (shown["subject"], shown["proposed_subject"], shown["proposed_speaker"]) == (
        None,
        "Orrin flood evacuees",
        "the county council",
    )

    answer = editor_client.patch(
        f"/api/v1/claims/{suggestion.pk}/", {"status": "confirmed", "version": suggestion.version}, format="json"
    )

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["subject"], body["speaker"], body["proposed_subject"]) == (
        "Orrin flood evacuees",
        "the county council",
        None,
    )
    assert Subject.objects.filter(name="Orrin flood evacuees").exists()


def test_an_edited_suggestion_keeps_its_names_as_proposals(editor_client: APIClient) -> None:
    article = make_article(title="Flood", text=FLOOD, raw=FLOOD)
    suggestion = services.claim_create(
        actor=None,
        article=article,
        quote="Some 600 homes",
        kind="quantity",
        value=600,
        unit="homes",
        subject="",
        attribute="count",
        status=Claim.Status.SUGGESTED,
    )
    answer = editor_client.patch(
        f"/api/v1/claims/{suggestion.pk}/", {"subject": "Homes flooded by the Orrin", "version": 1}, format="json"
    )
    assert answer.status_code == 200
    assert (answer.json()["subject"], answer.json()["proposed_subject"]) == (None, "Homes flooded by the Orrin")
    assert Subject.objects.count() == 0


def test_a_suggestion_covered_by_a_confirmed_claim_is_retired() -> None:
    article = make_article(title="Flood", text=FLOOD, raw=FLOOD)
    services.article_store_suggestions(article_id=article.pk)
    covered = Claim.objects.get(article=article, kind="quantity", quote__contains="2,300")
    other_kind = services.claim_create(
        actor=None,
        article=article,
        quote="2,300 people were moved",
        kind="statement",
        subject="Evacuation",
        attribute="evacuation",
        status=Claim.Status.SUGGESTED,
    )

    made = make_claim(
        article,
        "2,300 people",
        value=2300,
        unit="people",
        subject="Orrin flood evacuees",
        attribute="people moved to shelters",
    )

    covered.refresh_from_db()
    other_kind.refresh_from_db()
    assert covered.status == Claim.Status.REJECTED
    assert other_kind.status == Claim.Status.SUGGESTED  # another kind of claim on the span is not covered
    retired = AuditEvent.objects.get(entity="claim", entity_id=covered.pk, action="update")
    assert retired.changes["reason"] == f"covered by claim {made.pk}"
    # Running the suggester again does not bring it back.
    services.article_store_suggestions(article_id=article.pk)
    assert not Claim.objects.filter(
        article=article, kind="quantity", status=Claim.Status.SUGGESTED, start__lt=made.end, end__gt=made.start
    ).exists()


def test_a_claim_taken_back_loses_its_flags_and_public_names_at_once(
    anon_client: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    first, second = make_article(title="A"), make_article(title="B")
    with django_capture_on_commit_callbacks(execute=True):  # the checks run (in-process) as they do after commit
        one = make_claim(first, "about 2,500 workers", value=2500, speaker="Harbour officials")
        two = make_claim(second, "2,400 workers", value=2400)
    assert Contradiction.objects.filter(withdrawn_at__isnull=True).count() == 1

    services.claim_set_status(claim=two, actor=None, status=Claim.Status.REJECTED)
    services.claim_set_status(claim=one, actor=None, status=Claim.Status.REJECTED)

    assert Contradiction.objects.filter(withdrawn_at__isnull=True).count() == 0
    one.refresh_from_db()
    assert (one.subject_id, one.proposed_subject, one.proposed_speaker) == (
        None,
        "Port workers on strike",
        "Harbour officials",
    )
    assert anon_client.get("/api/v1/subjects/").json()["results"] == []
    assert anon_client.get("/api/v1/speakers/").json()["results"] == []
    assert Client().get(f"/subjects/{Subject.objects.get().pk}/").status_code == 404


def test_the_home_page_leads_with_standing_flags_only(django_capture_on_commit_callbacks: Any) -> None:
    first, second, third = make_article(title="A"), make_article(title="B"), make_article(title="C")
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(first, "about 2,500 workers", value=2500, subject="Kessling strikers")
        make_claim(second, "2,400 workers", value=2400, subject="Kessling strikers")
    flag = Contradiction.objects.get()
    services.contradiction_resolve(contradiction=flag, actor=None, status=Contradiction.Status.DISMISSED)
    home = Client().get("/").content.decode()
    assert f"/contradictions/{flag.pk}/" not in home
    with django_capture_on_commit_callbacks(execute=True):
        make_claim(
            third, "March 2019", kind="date", value="2019-03", subject="Kessling terminal", attribute="opening date"
        )
        make_claim(
            first, "March 2021", kind="date", value="2021-03", subject="Kessling terminal", attribute="opening date"
        )
    standing = Contradiction.objects.get(status=Contradiction.Status.OPEN)
    assert f"/contradictions/{standing.pk}/" in Client().get("/").content.decode()


ROLES = (
    "Crews cleared the Harrow road on Friday.\n\n"
    "Anna Berg, the county fire chief, said 40 homes had been evacuated.\n\n"
    "Council engineer Priya Marsh said the bridge would reopen in June."
)


def test_a_speakers_role_is_proposed_and_becomes_its_description_when_confirmed(editor_client: APIClient) -> None:
    made = _suggested(ROLES, "Harrow road")
    berg = next(c for c in made if c.kind == "attribution" and c.proposed_speaker == "Anna Berg")
    assert berg.proposed_speaker_role == "county fire chief"
    listed = editor_client.get(f"/api/v1/claims/{berg.pk}/").json()
    assert listed["proposed_speaker_role"] == "county fire chief"
    assert not Speaker.objects.exists()  # a proposal creates no speaker, role or not

    services.claim_update(claim=berg, actor=None, expected_version=berg.version, status="confirmed", subject="Harrow")
    speaker = Speaker.objects.get(name="Anna Berg")
    assert speaker.description == "county fire chief"
    assert AuditEvent.objects.filter(entity="speaker", entity_id=speaker.pk, action="update").exists()
    assert Claim.objects.get(pk=berg.pk).proposed_speaker_role == ""

    # Confirmed under another speaker, the role is not that speaker's; a speaker's own description is kept.
    marsh = next(c for c in made if c.kind == "attribution" and c.proposed_speaker == "Priya Marsh")
    assert marsh.proposed_speaker_role == "Council engineer"
    services.claim_update(
        claim=marsh,
        actor=None,
        expected_version=marsh.version,
        status="confirmed",
        subject="Harrow",
        speaker="Anna Berg",
    )
    assert Speaker.objects.get(name="Anna Berg").description == "county fire chief"
    assert not Speaker.objects.filter(name="Priya Marsh").exists()
