"""The review card's public note and where a decision's result is shown; the editors' subjects page (counts, merge,
near-name check) and the near-name API endpoint. Django's test client and DRF's APIClient on the real test DB."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims import services
from claims.models import AuditEvent, Claim, Contradiction, Subject, SubjectAlias
from tests.factories import make_article, make_claim
from tests.web.test_intake_and_review import make_flags

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def card_of(page: str, flag_id: int) -> str:
    """The markup of one flag's card."""
    card = page[page.rindex("<article", 0, page.index(f'id="flag-{flag_id}"')) :]
    return card[: card.index("</article>")]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---------------------------------------------------------------------------------------------- the note is public


def test_the_note_box_says_the_note_is_published(editor: User) -> None:
    flag = make_flags(1)[0]
    for url in ("/editor/contradictions/", f"/editor/contradictions/{flag.pk}/"):
        card = card_of(client_for(editor).get(url).content.decode(), flag.pk)
        assert f'<label for="id_f{flag.pk}-note">Public note (shown to readers)' in card
        help_id = f"id_f{flag.pk}-note_helptext"
        assert f'id="{help_id}"' in card and "Published with your decision on the public contradiction page" in card
        textarea = re.search(r"<textarea[^>]*>", card)
        assert textarea and f'aria-describedby="{help_id}"' in textarea.group(0)


def test_the_public_note_is_indeed_what_readers_see(editor: User) -> None:
    flag = make_flags(1)[0]
    client_for(editor).post(
        f"/editor/contradictions/{flag.pk}/",
        {f"f{flag.pk}-status": "confirmed", f"f{flag.pk}-note": "Both reports cite the same union count."},
    )
    assert "Both reports cite the same union count." in Client().get(f"/contradictions/{flag.pk}/").content.decode()
    card = card_of(client_for(editor).get("/editor/contradictions/").content.decode(), flag.pk)
    assert "Public note:" in card and "Both reports cite the same union count." in card


# ---------------------------------------------------------------------------------------------- the result, in place


@pytest.mark.parametrize("decision", ["confirmed", "dismissed", "superseded"])
def test_a_decision_returns_to_its_card_and_says_so_there(editor: User, decision: str) -> None:
    flags = make_flags(3)
    flag = flags[1]
    client = client_for(editor)
    back = "/editor/contradictions/?kind=numeric"
    answer = client.post(
        f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-status": decision, f"f{flag.pk}-next": back}
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"{back}#flag-{flag.pk}"
    page = client.get(answer["Location"]).content.decode()
    said = f"Flag {flag.pk} (numeric) is now {decision}."
    assert page.count(said) == 1, "shown once, and not at the top of the page"
    card = card_of(page, flag.pk)
    assert f'<p class="notice" role="status">{said}</p>' in card
    for other in (flags[0], flags[2]):
        assert "is now" not in card_of(page, other.pk)
    # Shown once: the next visit has no message.
    assert said not in client.get(answer["Location"]).content.decode()


def test_a_decision_on_a_flag_the_page_no_longer_lists_is_said_at_the_top_with_a_link(editor: User) -> None:
    flag, other = make_flags(2)
    client = client_for(editor)
    back = "/editor/contradictions/?status=open"
    answer = client.post(
        f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-status": "dismissed", f"f{flag.pk}-next": back}
    )
    assert answer["Location"] == f"{back}#flag-{flag.pk}"
    page = client.get(answer["Location"]).content.decode()
    assert f'id="flag-{flag.pk}"' not in page, "filtered out once dismissed"
    notice = re.search(r'<p class="notice" role="status">(.*?)</p>', page, re.DOTALL)
    assert notice is not None and page.index(notice.group(0)) < page.index(f'id="flag-{other.pk}"')
    assert f"Flag {flag.pk} (numeric) is now dismissed." in notice.group(1)
    assert f'href="/editor/contradictions/{flag.pk}/"' in notice.group(1)
    assert "is now" not in card_of(page, other.pk)


def test_a_refused_decision_keeps_the_editor_on_the_card_with_the_error(editor: User) -> None:
    flag = make_flags(1)[0]
    answer = client_for(editor).post(
        f"/editor/contradictions/{flag.pk}/", {f"f{flag.pk}-status": "confirmed", f"f{flag.pk}-note": "n" * 5001}
    )
    assert answer.status_code == 400
    assert "at most 5000 characters" in card_of(answer.content.decode(), flag.pk)
    assert Contradiction.objects.get(pk=flag.pk).status == "open"


# ---------------------------------------------------------------------------------------------- subjects page


@pytest.fixture
def subjects(editor: User) -> dict[str, Subject]:
    """ "Kessling dock strike" with two confirmed claims, "Kessling dock workers on strike" with one, "Rhine flood"
    with none (so not public)."""
    article = make_article()
    make_claim(article, "about 2,500 workers", subject="Kessling dock strike", actor=editor)
    make_claim(article, "2,400 workers", subject="Kessling dock strike", value=2400, actor=editor)
    make_claim(
        article,
        "several months",
        kind="duration",
        subject="Kessling dock workers on strike",
        attribute="strike length",
        value={"min": 2, "max": 6, "unit": "month"},
        actor=editor,
    )
    services.subject_get_or_create(name="Rhine flood", actor=editor)
    return {subject.name: subject for subject in Subject.objects.all()}


def row_of(page: str, subject: Subject) -> str:
    row = page[page.index(f'<tr id="subject-{subject.pk}">') :]
    return text_of(row[: row.index("</tr>")]).strip()


@pytest.mark.parametrize(("method", "path"), [("get", "/editor/subjects/"), ("post", "/editor/subjects/merge/")])
def test_the_subjects_page_is_for_editors_only(
    reader: User, subjects: dict[str, Subject], method: str, path: str
) -> None:
    source, target = subjects["Kessling dock workers on strike"], subjects["Kessling dock strike"]
    data = {"source": source.name, "target": target.name}
    anonymous = getattr(client_for(None), method)(path, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/?next=")
    assert getattr(client_for(reader), method)(path, data).status_code == 403
    assert Subject.objects.filter(pk=source.pk).exists()
    assert not AuditEvent.objects.filter(entity="subject", action="merge").exists()


def test_merging_is_post_only(editor: User, subjects: dict[str, Subject]) -> None:
    answer = client_for(editor).get(
        "/editor/subjects/merge/", {"source": "Kessling dock workers on strike", "target": "Kessling dock strike"}
    )
    assert answer.status_code == 405
    assert Subject.objects.filter(name="Kessling dock workers on strike").exists()


def test_the_editor_nav_links_the_subjects_page(editor: User, reader: User) -> None:
    assert b'href="/editor/subjects/"' in client_for(editor).get("/").content
    assert b'href="/editor/subjects/"' in client_for(editor).get("/editor/").content
    assert b'href="/editor/subjects/"' not in client_for(reader).get("/").content


def test_subjects_are_listed_with_their_confirmed_claim_counts(editor: User, subjects: dict[str, Subject]) -> None:
    page = client_for(editor).get("/editor/subjects/").content.decode()
    strike, workers, flood = (
        subjects[name] for name in ("Kessling dock strike", "Kessling dock workers on strike", "Rhine flood")
    )
    assert re.search(r"Kessling dock strike — 2 2 shown", row_of(page, strike))
    assert re.search(r"Kessling dock workers on strike — 1 1 shown", row_of(page, workers))
    assert "0 0 not shown (no confirmed claim)" in row_of(page, flood)
    assert f'href="/subjects/{strike.pk}/"' in page and f'href="/subjects/{flood.pk}/"' not in page
    assert [int(pk) for pk in re.findall(r'<tr id="subject-(\d+)">', page)] == [strike.pk, workers.pk, flood.pk]
    found = client_for(editor).get("/editor/subjects/", {"q": "rhine"}).content.decode()
    assert re.findall(r'<tr id="subject-(\d+)">', found) == [str(flood.pk)]


def test_a_page_of_subjects_costs_the_same_queries_for_5_and_40_subjects(editor: User) -> None:
    client = client_for(editor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/editor/subjects/").status_code == 200
        return len(captured)

    for n in range(5):
        subject = services.subject_get_or_create(name=f"Subject {n}", actor=editor)
        services.subject_alias_add(subject=subject, name=f"Alias {n}", actor=editor)
    small = queries()
    for n in range(5, 40):
        subject = services.subject_get_or_create(name=f"Subject {n}", actor=editor)
        services.subject_alias_add(subject=subject, name=f"Alias {n}", actor=editor)
    assert queries() == small, "the page's query count grows with the number of subjects"


def test_a_merge_moves_the_claims_keeps_the_name_as_an_alias_and_is_audited(
    editor: User, subjects: dict[str, Subject]
) -> None:
    source, target = subjects["Kessling dock workers on strike"], subjects["Kessling dock strike"]
    moved = list(Claim.objects.filter(subject=source).values_list("pk", flat=True))
    client = client_for(editor)
    answer = client.post(
        "/editor/subjects/merge/", {"source": " kessling dock WORKERS on strike ", "target": "Kessling dock strike"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/editor/subjects/?q=Kessling+dock+strike"
    assert not Subject.objects.filter(pk=source.pk).exists()
    assert set(Claim.objects.filter(subject=target).values_list("pk", flat=True)) >= set(moved)
    assert SubjectAlias.objects.filter(subject=target, name="Kessling dock workers on strike").exists()
    event = AuditEvent.objects.get(entity="subject", action="merge")
    assert event.entity_id == target.pk and event.actor == editor
    assert event.changes["merged"] == "Kessling dock workers on strike" and event.changes["claims"] == moved
    page = client.get(answer["Location"]).content.decode()
    said = (
        "Merged “Kessling dock workers on strike” into “Kessling dock strike”: 1 claim moved, and "
        "“Kessling dock workers on strike” is now an alias of “Kessling dock strike”."
    )
    assert f'<p class="notice" role="status">{said}</p>' in page
    assert row_of(page, target) == "Kessling dock strike Kessling dock workers on strike 3 3 shown Merge into…"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"source": "Kessling dock strike", "target": "Kessling dock strike"},
            "target",
            "are the same subject (Kessling dock strike): a subject cannot be merged into itself. Nothing was changed.",
        ),
        (
            {"source": "kessling  DOCK strike", "target": "Kessling dock strike"},
            "target",
            "cannot be merged into itself",
        ),
        (
            {"source": "Kessling dock strike", "target": "Atlantis"},
            "target",
            "No subject is called “Atlantis” (names and aliases were searched).",
        ),
        ({"source": "Atlantis", "target": "Rhine flood"}, "source", "No subject is called “Atlantis”"),
        ({"source": "", "target": "Rhine flood"}, "source", "Name the subject to merge."),
        ({"source": "Rhine flood"}, "target", "Name the subject to merge it into."),
    ],
)
def test_a_refused_merge_says_why_next_to_the_field_and_changes_nothing(
    editor: User, subjects: dict[str, Subject], fields: dict[str, str], field: str, message: str
) -> None:
    before = (Subject.objects.count(), SubjectAlias.objects.count(), AuditEvent.objects.count())
    answer = client_for(editor).post("/editor/subjects/merge/", fields)
    assert answer.status_code == 400
    page = answer.content.decode()
    error = re.search(rf'<div class="field-error" id="id_{field}_error">(.*?)</div>', page, re.DOTALL)
    assert error is not None and message in text_of(error.group(1))
    assert "Nothing was merged" in page
    assert (Subject.objects.count(), SubjectAlias.objects.count(), AuditEvent.objects.count()) == before


def test_merging_into_a_subject_through_its_alias_is_merging_it_into_itself(
    editor: User, subjects: dict[str, Subject]
) -> None:
    services.subject_alias_add(subject=subjects["Rhine flood"], name="Rhine floods 2021", actor=editor)
    answer = client_for(editor).post(
        "/editor/subjects/merge/", {"source": "Rhine floods 2021", "target": "Rhine flood"}
    )
    assert answer.status_code == 400 and "cannot be merged into itself" in answer.content.decode()
    assert Subject.objects.filter(name="Rhine flood").exists()


def test_the_merge_link_of_a_row_fills_in_the_subject(editor: User, subjects: dict[str, Subject]) -> None:
    page = client_for(editor).get("/editor/subjects/").content.decode()
    assert 'href="?source=Rhine%20flood#merge"' in page
    filled = client_for(editor).get("/editor/subjects/", {"source": "Rhine flood"}).content.decode()
    assert re.search(r'<input[^>]*name="source"[^>]*value="Rhine flood"', filled)


# ---------------------------------------------------------------------------------------------- near names


def test_checking_a_new_name_lists_the_existing_subjects_close_to_it(
    editor: User, subjects: dict[str, Subject]
) -> None:
    client = client_for(editor)
    page = client.get("/editor/subjects/", {"name": "Striking Kessling dockers"}).content.decode()
    near = re.search(r'<ul class="near">(.*?)</ul>', page, re.DOTALL)
    assert near is not None
    listed = re.findall(r'data-subject-id="(\d+)">([^<]+)</li>', near.group(1))
    assert {name for _, name in listed} == {"Kessling dock strike", "Kessling dock workers on strike"}
    assert "Rhine flood" not in near.group(1)
    assert "this is only a warning" in page
    same = client.get("/editor/subjects/", {"name": "kessling dock STRIKE"}).content.decode()
    assert "is already the subject <strong>Kessling dock strike</strong>" in same
    none = client.get("/editor/subjects/", {"name": "Danube bridge"}).content.decode()
    assert "No existing subject is close to “Danube bridge”." in none


def test_the_near_endpoint_answers_editors_with_ids_and_names(
    editor_client: APIClient, subjects: dict[str, Subject]
) -> None:
    answer = editor_client.get("/api/v1/subjects/near/", {"name": "Kessling dock strikes"})
    assert answer.status_code == 200, answer.content
    near = answer.json()["near"]
    assert near[0] == {"id": subjects["Kessling dock strike"].pk, "name": "Kessling dock strike"}
    assert {row["name"] for row in near} == {"Kessling dock strike", "Kessling dock workers on strike"}
    assert editor_client.get("/api/v1/subjects/near/", {"name": "U.S. troops in Iraq"}).json() == {"near": []}
    limited = editor_client.get("/api/v1/subjects/near/", {"name": "Kessling dock strikes", "limit": "1"}).json()
    assert limited == {"near": near[:1]}


def test_the_near_endpoint_finds_a_subject_by_its_alias_and_answers_its_own_name(
    editor: User, editor_client: APIClient, subjects: dict[str, Subject]
) -> None:
    flood = subjects["Rhine flood"]
    services.subject_alias_add(subject=flood, name="Hochwasser am Rhein", actor=editor)
    answer = editor_client.get("/api/v1/subjects/near/", {"name": "Hochwasser am  Rhein!"})
    assert answer.json() == {"near": [{"id": flood.pk, "name": "Rhine flood"}]}


def test_the_near_endpoint_is_for_editors_and_read_only(
    anon_client: APIClient, reader_client: APIClient, editor_client: APIClient, subjects: dict[str, Subject]
) -> None:
    url = "/api/v1/subjects/near/"
    assert anon_client.get(url, {"name": "Kessling dock strike"}).status_code in (401, 403)
    assert reader_client.get(url, {"name": "Kessling dock strike"}).status_code == 403
    assert editor_client.post(url, {"name": "Kessling dock strike"}, format="json").status_code == 405
    bad: list[tuple[dict[str, str], str]] = [
        ({}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 301}, "name"),
        ({"name": "Rhine", "limit": "0"}, "limit"),
        ({"name": "Rhine", "limit": "lots"}, "limit"),
        ({"name": "Rhine", "limit": ""}, "limit"),  # sent empty is not "not sent": no silent default
        ({"name": "Rhine", "limit": "21"}, "limit"),
    ]
    for query, field in bad:
        answer = editor_client.get(url, query)
        assert answer.status_code == 400, query
        assert field in answer.json()
    assert Subject.objects.count() == 3


def test_a_near_name_is_only_a_warning_a_claim_with_it_is_still_made(
    editor_client: APIClient, subjects: dict[str, Subject]
) -> None:
    article = make_article()
    answer = editor_client.post(
        "/api/v1/claims/",
        {
            "article": article.pk,
            "kind": "quantity",
            "subject": "Kessling dock strikers",
            "attribute": "striker count",
            "quote": "about 2,500 workers",
            "value": 2500,
            "unit": "workers",
            "qualifier": "approx",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    made = Subject.objects.get(name="Kessling dock strikers")
    assert Claim.objects.get(pk=answer.json()["id"]).subject_id == made.pk
    assert made.pk not in {subject.pk for subject in subjects.values()}
