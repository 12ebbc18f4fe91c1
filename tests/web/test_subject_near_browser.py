"""The annotation page's "did you mean …?" warning under the Subject box, in a real browser (Debian's Chromium
through Playwright) against the live server: a new subject name near an existing one lists the existing subject,
a click puts it in the box; an unrelated name, an existing name or an answer to an earlier name shows nothing;
the warning never stops a save."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, Request, expect

from claims import services
from claims.models import Article, Claim, Subject
from tests.conftest import wait_for
from tests.factories import editor_group, make_article
from tests.web.browser import (  # noqa: F401  (the fixtures chromium_browser and web_page)
    chromium_browser_fixture,
    screenshot,
    select_text,
    sign_in,
    web_page_fixture,
)

pytestmark = pytest.mark.browser

TEXT = (
    "Dock workers in Kessling stayed away from the quays again on Monday.\n\n"
    "The stoppage has now lasted 12 days, the union said, and no talks are planned."
)
EXISTING = "Kessling dock workers on strike"
NEAR = "Kessling dock strike"
UNRELATED = "Orbital telescope funding"
PASSWORD = "editor-password-123"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def article(transactional_db: Any) -> Article:
    user = User.objects.create_user("maria", "maria@example.org", PASSWORD)
    user.groups.add(editor_group())  # made again: a transactional test empties the tables, groups included
    services.subject_get_or_create(name=EXISTING)
    services.subject_get_or_create(name="Harbour dredging contract")
    return make_article(title="Kessling stoppage", text=TEXT, raw=TEXT)


def open_form(page: Page, article: Article) -> None:
    sign_in(page, "maria", PASSWORD, next_path=f"/editor/articles/{article.pk}/")
    expect(page.locator("#article-text")).to_have_attribute("data-ready", "true")
    select_text(page, "#article-text", "12 days")
    expect(page.locator("#claim-form")).to_be_visible()
    expect(page.get_by_label("Kind")).to_have_value("duration")


def near_requests(page: Page) -> list[str]:
    seen: list[str] = []

    def record(request: Request) -> None:
        if "/api/v1/subjects/near/" in request.url:
            seen.append(request.url)

    page.on("request", record)
    return seen


def answer_for(page: Page, name: str) -> Any:
    """Waits, as a context manager, for the near endpoint's answer about `name`."""
    wanted = name.replace(" ", "+")
    return page.expect_response(lambda r: "/api/v1/subjects/near/" in r.url and f"name={wanted}&" in r.url)


def test_a_near_subject_name_gets_a_did_you_mean_warning(web_page: Page, article: Article) -> None:
    page = web_page
    open_form(page, article)
    subject = page.get_by_role("combobox", name="Subject")
    warning = page.locator("#subject-near")
    expect(warning).to_have_attribute("aria-live", "polite")
    expect(warning).to_be_empty()
    requests = near_requests(page)

    # Typed key by key: one request once the typing pauses (debounced), then the warning with the existing subject.
    with answer_for(page, NEAR) as answered:
        subject.press_sequentially(NEAR, delay=40)
    assert answered.value.json()["near"][0]["name"] == EXISTING
    expect(warning).to_contain_text("Did you mean an existing subject?")
    pick = warning.get_by_role("button", name=EXISTING)
    expect(pick).to_be_visible()
    assert 1 <= len(requests) <= 3, requests  # not one per key: 20 keys, each well within the 250 ms pause
    screenshot(page, "subject-near-warning.png")

    # An unrelated name: the warning goes once the answer is in, and nothing takes its place.
    with answer_for(page, UNRELATED):
        subject.fill(UNRELATED)
    expect(warning).to_be_empty()

    # The existing subject's own name (in any case) is no new name: nothing to say about it.
    with answer_for(page, NEAR):
        subject.fill(NEAR)
    expect(pick).to_be_visible()
    with answer_for(page, EXISTING.lower()):
        subject.fill(EXISTING.lower())
    expect(warning).to_be_empty()

    # A blank box: nothing, and no request.
    before = len(requests)
    subject.fill("")
    expect(warning).to_be_empty()
    page.wait_for_timeout(400)
    assert len(requests) == before

    # The near name again; a click on the existing subject puts it in the box.
    with answer_for(page, NEAR):
        subject.fill(NEAR)
    pick.click()
    expect(subject).to_have_value(EXISTING)
    expect(subject).to_be_focused()
    expect(warning).to_be_empty()
    page.get_by_label("Attribute").fill("length of the strike")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#claim-form")).to_be_hidden()
    claim = wait_for(lambda: Claim.objects.filter(status=Claim.Status.CONFIRMED).select_related("subject").first())
    assert claim.subject.name == EXISTING
    assert Subject.objects.count() == 2


def test_an_answer_to_an_earlier_name_is_ignored(web_page: Page, article: Article) -> None:
    page = web_page
    open_form(page, article)
    # The answer about the near name is held back until after the answer about the name typed next.
    page.evaluate(
        """() => {
            const real = window.fetch;
            window.slowAnswered = false;
            window.fetch = (url, options) => {
                const answer = real(url, options);
                if (!String(url).includes("name=Kessling+dock+strike")) return answer;
                return answer.then((response) => new Promise((resolve) => setTimeout(() => {
                    window.slowAnswered = true;
                    resolve(response);
                }, 1200)));
            };
        }"""
    )
    subject = page.get_by_role("combobox", name="Subject")
    warning = page.locator("#subject-near")
    with answer_for(page, NEAR):
        subject.fill(NEAR)
    with answer_for(page, UNRELATED):
        subject.fill(UNRELATED)
    page.wait_for_function("() => window.slowAnswered")
    page.wait_for_timeout(100)
    expect(warning).to_be_empty()


def test_the_warning_never_stops_a_save(web_page: Page, article: Article) -> None:
    page = web_page
    open_form(page, article)
    subject = page.get_by_role("combobox", name="Subject")
    with answer_for(page, NEAR):
        subject.press_sequentially(NEAR, delay=20)
    expect(page.locator("#subject-near").get_by_role("button", name=EXISTING)).to_be_visible()
    page.get_by_label("Attribute").fill("length of the strike")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#claim-form")).to_be_hidden()
    expect(page.locator("#subject-near")).to_be_empty()
    claim = wait_for(lambda: Claim.objects.filter(status=Claim.Status.CONFIRMED).select_related("subject").first())
    assert claim.subject.name == NEAR
    assert set(Subject.objects.values_list("name", flat=True)) == {EXISTING, NEAR, "Harbour dredging contract"}
