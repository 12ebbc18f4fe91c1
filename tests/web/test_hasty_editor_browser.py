"""The hasty editor: two unrelated articles go in through the services (extraction and the real suggester run, tasks
in-process), then an editor accepts every suggestion with the keyboard alone (j, a, j, a, ...; Escape when the form
opens because a suggestion has no subject), in Debian's Chromium against the live server.

Haste must not make bad data: no confirmed claim without a subject, no contradiction between a dock strike and a
river flood, and nothing a suggestion merely proposed (a subject, a speaker) on the public pages."""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from claims import services
from claims.models import Article, Claim, Contradiction, Speaker, Subject
from tests.conftest import wait_for
from tests.factories import editor_group
from tests.web.browser import (  # noqa: F401  (the fixtures chromium_browser and web_page)
    DESKTOP,
    TIMEOUT_MS,
    chromium_browser_fixture,
    screenshot,
    sign_in,
    web_page_fixture,
)

pytestmark = pytest.mark.browser
PASSWORD = "editor-password-123"

STRIKE = "\n\n".join(
    [
        "Dock workers at the port of Velmar walked out on Monday, halting cargo traffic for the second time this year.",
        "About 1,300 Velmar dock workers joined the strike, union spokeswoman Mara Lind told reporters outside the "
        "main gate. The port authority said 900 Velmar dock workers had stopped work.",
        "The stoppage began at 6 a.m. on 10 March 2025 and the union said it could last several weeks.",
        "Some 40 Velmar container ships were waiting at anchor by Tuesday evening, according to harbour master Tomas "
        "Berg. The Velmar terminal handled 2.1 million containers in 2024, up 8 percent on the year before.",
        "The last strike at Velmar, in June 2023, lasted eleven days.",
    ]
)

FLOOD = "\n\n".join(
    [
        "The river Arden burst its banks at Selby Ford on Thursday after three days of heavy rain, flooding low-lying "
        "streets.",
        "About 1,400 Selby Ford residents were evacuated overnight, the county emergency office said. Water levels on "
        "the Arden peaked at 4.2 metres on 13 March 2025, the highest since the flood of January 2016.",
        "Some 35 Arden rescue boats were sent from neighbouring districts, according to fire chief Elena Moss. Repairs "
        "to the Selby Ford embankment could take two to three months, the council warned.",
        "Farmers said more than 600 hectares of fields were under water.",
    ]
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_account(transactional_db: Any) -> User:
    user = User.objects.create_user("hasty", "hasty@example.org", PASSWORD)
    user.groups.add(editor_group())
    return user


def ingest(editor: User, *, title: str, text: str, outlet: str, day: int) -> Article:
    article, created = services.article_submit(
        actor=editor,
        text=text,
        title=title,
        outlet=outlet,
        published_at=datetime.datetime(2025, 3, day, 9, tzinfo=datetime.UTC),
    )
    assert created
    article.refresh_from_db()
    assert article.status == Article.Status.READY, article.error
    return article


PORT_STRIKE = "\n\n".join(
    [
        "Crane drivers at the Halvik container port stopped work on Monday in a dispute over night shifts.",
        "The strike began on 3 March, the Halvik crane drivers' union said, and about 260 Halvik crane drivers "
        "have joined it.",
        "The port handled 1.4 million containers last year.",
    ]
)

SCHOOL_STRIKE = "\n\n".join(
    [
        "Teachers across the Ostmark district kept their classrooms closed for a third week over unpaid overtime.",
        "The strike began on 9 January, the Ostmark teachers' association said, and some 1,900 Ostmark teachers "
        "are out.",
        "Parents' groups said 41 schools had no lessons on Friday.",
    ]
)


def accept_everything(page: Page, article: Article) -> set[int]:
    """j then a until only suggestions the form refuses to accept are left; returns those (skipped with Escape)."""
    page.goto(f"/editor/articles/{article.pk}/")
    expect(page.locator("#article-text")).to_have_attribute("data-ready", "true")
    cards = page.locator("#suggestions li[data-claim]")
    total = cards.count()
    assert total > 0, "the suggester found nothing to accept"
    skipped: set[int] = set()
    for _ in range(4 * total):
        waiting = {int(claim_id) for claim_id in cards.evaluate_all("cards => cards.map(c => c.dataset.claim)")}
        if waiting <= skipped:
            return skipped
        page.keyboard.press("j")
        current = int(page.evaluate("document.activeElement.dataset.claim"))
        page.keyboard.press("a")
        page.wait_for_function(
            """(id) => !document.querySelector(`#suggestions li[data-claim='${id}']`)
                       || !document.getElementById("claim-form").hidden""",
            arg=current,
        )
        if page.locator("#claim-form").is_visible():
            expect(page.get_by_role("combobox", name="Subject")).to_be_focused()
            page.keyboard.press("Escape")
            expect(page.locator("#claim-form")).to_be_hidden()
            skipped.add(current)
    raise AssertionError(f"j/a did not get through the suggestions of {article.title!r}")


LINK = re.compile(r"^/(subjects|speakers|claims|contradictions)/(\d+)/$")


def public_links(page: Page, path: str) -> list[tuple[str, int, str]]:
    """(kind, id, text) of every link on the page to a subject, speaker, claim or contradiction."""
    answer = page.goto(path)
    assert answer is not None and answer.status == 200, (path, answer and answer.status)
    links = page.locator("a[href]").evaluate_all(
        # getAttribute, not a.href: a link in the subject's chart is an SVG <a>, whose href is not a string.
        "links => links.map(a => [new URL(a.getAttribute('href'), document.baseURI).pathname, a.textContent.trim()])"
    )
    found = []
    for href, text in links:
        match = LINK.match(href)
        if match:
            found.append((match.group(1), int(match.group(2)), text))
    return found


def api_rows(page: Page, path: str) -> list[dict[str, Any]]:
    answer = page.request.get(path)
    assert answer.ok, (path, answer.status)
    body = answer.json()
    rows: list[dict[str, Any]] = body["results"] if isinstance(body, dict) else body
    return rows


def api_names(page: Page, path: str) -> set[str]:
    return {row["name"] for row in api_rows(page, path)}


def next_pages(page: Page) -> list[str]:
    """The pager's "next" link of the page open (path and query), if any."""
    return page.locator("a[rel=next][href]").evaluate_all(
        "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI)).map(u => u.pathname + u.search)"
    )


def test_accepting_everything_in_a_hurry_makes_no_bad_data(
    web_page: Page, chromium_browser: Browser, live_server: Any, editor_account: User
) -> None:
    strike = ingest(
        editor_account, title="Velmar dockers strike over pay", text=STRIKE, outlet="Harbour Gazette", day=17
    )
    flood = ingest(editor_account, title="Arden floods Selby Ford", text=FLOOD, outlet="Valley Courier", day=14)
    proposed_before = {claim.pk: claim.proposed_subject for claim in Claim.objects.filter(status="suggested")}
    assert not Subject.objects.exists() and not Speaker.objects.exists()  # suggestions create neither

    page = web_page
    sign_in(page, "hasty", PASSWORD, next_path="/editor/")
    skipped = accept_everything(page, strike) | accept_everything(page, flood)
    screenshot(page, "hasty-editor-done.png")

    confirmed = Claim.objects.filter(status=Claim.Status.CONFIRMED)
    for article in (strike, flood):
        assert confirmed.filter(article=article).exists(), f"nothing of {article.title!r} could be accepted"
    # Every confirmed claim has a subject, and it is the one the suggester proposed.
    assert not confirmed.filter(subject__isnull=True).exists()
    for claim in confirmed.select_related("subject"):
        assert claim.subject is not None and claim.subject.name == proposed_before[claim.pk]
    # What is still waiting is exactly what was skipped: the suggestions that proposed no subject, or one that names
    # nothing of its story (no capitalised name: "water level"), which the form asks the editor to name.
    waiting = Claim.objects.filter(status=Claim.Status.SUGGESTED)
    assert set(waiting.values_list("pk", flat=True)) == skipped
    assert all(not any(ch.isupper() for ch in proposed_before[pk]) for pk in skipped)
    assert all(claim.subject_id is None and claim.speaker_id is None for claim in waiting)

    # The detector saw every confirmed claim and paired nothing across the two stories.
    wait_for(lambda: not confirmed.filter(checked_at__isnull=True).exists(), timeout=30)
    for flag in Contradiction.objects.select_related("claim_a", "claim_b"):
        assert flag.claim_a.article_id == flag.claim_b.article_id, flag.explanation
        assert {flag.claim_a.status, flag.claim_b.status} == {Claim.Status.CONFIRMED}

    # Names only suggestions proposed, never confirmed by an editor.
    kept = {
        name.casefold()
        for claim in confirmed.select_related("subject", "speaker", "after")
        for name in (
            claim.subject.name if claim.subject else "",
            claim.speaker.name if claim.speaker else "",
            claim.after.name if claim.after else "",
        )
        if name
    }
    proposal_only = {
        name
        for claim in Claim.objects.exclude(status=Claim.Status.CONFIRMED)
        for name in (claim.proposed_subject, claim.proposed_speaker, claim.proposed_after)
        if name and name.casefold() not in kept
    }
    assert proposal_only, "the skipped suggestions proposed no name: nothing to look for on the public pages"
    assert not Subject.objects.filter(name__in=proposal_only).exists()
    assert not Speaker.objects.filter(name__in=proposal_only).exists()

    reader = chromium_browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    reader.set_default_timeout(TIMEOUT_MS)
    try:
        public = reader.new_page()
        paths = [
            "/",
            "/speakers/",
            "/contradictions/",
            "/search/?q=Velmar",
            "/search/?q=Arden",
            *(f"/search/?q={quote(name)}" for name in sorted(proposal_only)),
        ]
        names_only_proposed = {name.casefold() for name in proposal_only}
        confirmed_ids = set(confirmed.values_list("pk", flat=True))
        claims_seen: set[int] = set()

        def check(path: str) -> set[tuple[str, int]]:
            """Every link of the page at `path` leads to editorial truth; returns the subject and speaker pages it
            links to."""
            named: set[tuple[str, int]] = set()
            for kind, pk, text in public_links(public, path):
                assert text.casefold() not in names_only_proposed, (path, text)
                if kind == "claims":
                    assert pk in confirmed_ids, (path, pk, Claim.objects.get(pk=pk).status)
                    claims_seen.add(pk)
                elif kind == "subjects":
                    assert confirmed.filter(subject_id=pk).exists() or confirmed.filter(after_id=pk).exists(), (
                        path,
                        text,
                    )
                    named.add((kind, pk))
                elif kind == "speakers":
                    assert confirmed.filter(speaker_id=pk).exists(), (path, text)
                    named.add((kind, pk))
                else:
                    flag = Contradiction.objects.select_related("claim_a", "claim_b").get(pk=pk)
                    assert flag.claim_a.article_id == flag.claim_b.article_id, (path, flag.explanation)
            return named

        linked: set[tuple[str, int]] = set()
        for path in paths:
            linked |= check(path)
        # The public subject and speaker lists (the API's, as any client reads them).
        subjects = api_names(public, "/api/v1/subjects/")
        speakers = api_names(public, "/api/v1/speakers/")

        # Every subject and speaker page linked from the home page and the speaker list, and every public subject
        # (the reader's site has no /subjects/ list yet: the API's list stands in for it until it has), each with
        # all its pages of claims: every claim, subject, speaker and flag linked there is confirmed editorial data.
        if public.request.get("/subjects/").ok:
            linked |= check("/subjects/")
        linked |= {("subjects", row["id"]) for row in api_rows(public, "/api/v1/subjects/")}
        assert {kind for kind, _ in linked} == {"subjects", "speakers"}, linked
        opened, claims_seen = 0, set()
        for kind, pk in sorted(linked):
            pending = [f"/{kind}/{pk}/"]
            while pending:
                path = pending.pop()
                check(path)
                opened += 1
                pending += next_pages(public)
        assert opened >= len(subjects) + len(speakers), (opened, linked)
        # Each confirmed claim has a subject, so the subject pages together link every one of them.
        assert claims_seen == confirmed_ids, confirmed_ids - claims_seen
        assert subjects == set(confirmed.values_list("subject__name", flat=True)) | set(
            confirmed.exclude(after=None).values_list("after__name", flat=True)
        )
        assert speakers == set(confirmed.exclude(speaker=None).values_list("speaker__name", flat=True))
        assert not (subjects | speakers) & proposal_only
        speaker_page = {text for kind, _, text in public_links(public, "/speakers/") if kind == "speakers"}
        assert speaker_page == speakers
    finally:
        reader.close()


def test_two_stories_of_one_kind_accepted_in_a_hurry_stay_apart(
    web_page: Page, live_server: Any, editor_account: User
) -> None:
    """Two strikes in two towns: the suggester dates each start as "start of the strike". Accepted as it stands, that
    one generic subject would hold both stories and 3 March would be flagged against 9 January; the form asks for a
    name of the story instead, so haste confirms nothing under it and nothing pairs the two strikes."""
    port = ingest(editor_account, title="Halvik crane drivers strike", text=PORT_STRIKE, outlet="Port Daily", day=6)
    school = ingest(editor_account, title="Ostmark teachers out", text=SCHOOL_STRIKE, outlet="Ostmark Post", day=7)
    generic = Claim.objects.filter(status="suggested", proposed_subject="start of the strike")
    assert set(generic.values_list("article_id", flat=True)) == {port.pk, school.pk}

    page = web_page
    sign_in(page, "hasty", PASSWORD, next_path="/editor/")
    skipped = accept_everything(page, port) | accept_everything(page, school)

    assert set(generic.values_list("pk", flat=True)) <= skipped
    assert not Subject.objects.filter(name="start of the strike").exists()
    confirmed = Claim.objects.filter(status=Claim.Status.CONFIRMED)
    assert confirmed.filter(article=port).exists() and confirmed.filter(article=school).exists()
    wait_for(lambda: not confirmed.filter(checked_at__isnull=True).exists(), timeout=30)
    for flag in Contradiction.objects.select_related("claim_a", "claim_b"):
        assert flag.claim_a.article_id == flag.claim_b.article_id, flag.explanation

    # The editor names the story and saves: the claim is confirmed under that name.
    claim = generic.filter(article=port).get()
    page.goto(f"/editor/articles/{port.pk}/")
    expect(page.locator("#article-text")).to_have_attribute("data-ready", "true")
    page.locator(f"#suggestions li[data-claim='{claim.pk}']").focus()
    page.keyboard.press("a")
    subject = page.get_by_role("combobox", name="Subject")
    expect(subject).to_be_focused()
    expect(page.locator("#claim-form")).to_contain_text("names nothing of this story")
    subject.fill("start of the Halvik port strike")
    page.locator("#f-save").click()
    wait_for(lambda: Claim.objects.get(pk=claim.pk).status == Claim.Status.CONFIRMED, timeout=15)
    named = Claim.objects.select_related("subject").get(pk=claim.pk).subject
    assert named is not None and named.name == "start of the Halvik port strike"


def test_the_form_shows_the_role_the_article_gives_the_proposed_speaker(web_page: Page, editor_account: User) -> None:
    text = "Anna Berg, the county fire chief, said 40 homes had been evacuated by Friday."
    article = ingest(editor_account, title="Harrow evacuation", text=text, outlet="Harrow Post", day=7)
    said = Claim.objects.get(article=article, kind="attribution")
    assert (said.proposed_speaker, said.proposed_speaker_role) == ("Anna Berg", "county fire chief")

    page = web_page
    sign_in(page, "hasty", PASSWORD, next_path=f"/editor/articles/{article.pk}/")
    expect(page.locator("#article-text")).to_have_attribute("data-ready", "true")
    page.locator(f"#suggestions li[data-claim='{said.pk}']").focus()
    page.keyboard.press("e")
    expect(page.locator("#claim-form")).to_be_visible()
    expect(page.locator("#f-speaker")).to_have_value("Anna Berg")
    expect(page.locator("#f-speaker-role")).to_have_text(
        "Role in the article: county fire chief (kept as the speaker's description)"
    )
