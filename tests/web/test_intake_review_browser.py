"""The intake page and the contradiction review queue in a real browser (Debian's Chromium through Playwright)
against the live server: paste a messy article and watch it become ready without reloading, upload an HTML file,
see a duplicate recognised, and resolve a flag the detector raised."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from claims import services, tasks
from claims.models import Article, AuditEvent, Claim, Contradiction
from tests.conftest import Worker, wait_for
from tests.factories import editor_group, make_article, make_claim
from tests.web.browser import (  # noqa: F401  (the fixtures chromium_browser and web_page)
    PHONE,
    chromium_browser_fixture,
    screenshot,
    sign_in,
    web_page_fixture,
)
from tests.web.test_intake_and_review import BODY, MESSY_TEXT, PAGE_HTML

pytestmark = pytest.mark.browser
PASSWORD = "editor-password-123"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_account(transactional_db: Any) -> User:
    user = User.objects.create_user("maria", "maria@example.org", PASSWORD)
    user.groups.add(editor_group())  # made again: a transactional test empties the tables, groups included
    return user


class HeldQueue:
    """Stands in for the broker: keeps the ids of the articles queued for extraction until the test lets the
    real task run, so that the page is seen while the article is still pending."""

    def __init__(self) -> None:
        self.real = tasks.ingest_article
        self.held: list[int] = []

    def apply_async(self, args: tuple[int, ...] = (), kwargs: Any = None, **options: Any) -> None:
        self.held.append(args[0])

    def run_next(self) -> None:
        self.real.apply(args=(self.held.pop(0),))


@pytest.fixture
def held_queue(monkeypatch: pytest.MonkeyPatch) -> HeldQueue:
    queue = HeldQueue()
    # Services queue tasks by name; the registered task's apply_async is where it leaves for the broker.
    monkeypatch.setattr(tasks.ingest_article, "apply_async", queue.apply_async)
    return queue


def open_intake(page: Page) -> None:
    sign_in(page, "maria", PASSWORD, next_path="/editor/")
    page.get_by_role("link", name="Add an article").click()
    page.wait_for_url("**/editor/articles/new/")


def test_a_pasted_messy_article_becomes_ready_live(web_page: Page, editor_account: User, held_queue: HeldQueue) -> None:
    page = web_page
    open_intake(page)
    page.get_by_label("Paste the article").fill(MESSY_TEXT)
    page.get_by_label("Outlet").fill("Valley Herald")
    screenshot(page, "intake-form.png", full_page=True)
    page.get_by_role("button", name="Add the article").click()
    page.wait_for_url("**/status/")
    article = Article.objects.get()
    assert page.url.endswith(f"/editor/articles/{article.pk}/status/")
    status = page.locator("#intake-status")
    expect(status).to_have_attribute("data-status", "pending")
    expect(page.locator("#status-badge")).to_have_text("pending")
    expect(page.locator("#pending-note")).to_be_visible()
    expect(page.get_by_role("link", name="Annotate it")).to_be_hidden()
    screenshot(page, "intake-pending.png")
    # A mark on this document: if the page reloaded to learn the outcome, the mark would be gone.
    page.evaluate("window.stillTheSamePage = true")

    wait_for(lambda: held_queue.held == [article.pk], timeout=5)
    held_queue.run_next()  # the worker's turn: extraction runs for real

    expect(status).to_have_attribute("data-status", "ready")
    expect(page.locator("#status-badge")).to_have_text("ready")
    expect(page.locator("#pending-note")).to_be_hidden()
    expect(page.locator("#article-title")).to_have_text("Old Mill bridge to close for two years of repairs")
    assert page.evaluate("window.stillTheSamePage") is True
    screenshot(page, "intake-ready.png")
    page.get_by_role("link", name="Annotate it").click()
    page.wait_for_url(f"**/editor/articles/{article.pk}/")
    text = page.locator("#article-text")
    for sentence in BODY:
        expect(text).to_contain_text(sentence)
    expect(text).not_to_contain_text("Share on Facebook")
    expect(text).not_to_contain_text("desk@example.org")


def test_a_failure_is_shown_live_with_its_reason(web_page: Page, editor_account: User, held_queue: HeldQueue) -> None:
    page = web_page
    open_intake(page)
    page.get_by_label("…or give its URL").fill("https://news.example.com/bridge-repairs")
    page.get_by_role("button", name="Add the article").click()
    page.wait_for_url("**/status/")
    expect(page.locator("#status-badge")).to_have_text("pending")
    article = Article.objects.get()
    # What the extraction task records on a permanent fetch error.
    services.article_fail(article_id=article.pk, reason="could not fetch the page: the address answered 410 Gone")
    expect(page.locator("#status-badge")).to_have_text("failed")
    expect(page.get_by_role("alert")).to_have_text(
        "The article could not be read: could not fetch the page: the address answered 410 Gone"
    )
    expect(page.get_by_role("link", name="Try again with another source")).to_be_visible()


def test_bad_input_is_shown_next_to_the_field(web_page: Page, editor_account: User) -> None:
    page = web_page
    open_intake(page)
    page.get_by_label("…or give its URL").fill("https://user:pw@news.example.com/a")
    page.get_by_role("button", name="Add the article").click()
    url_field = page.get_by_label("…or give its URL")
    expect(url_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_url_error")).to_have_text("URLs with user names or passwords are refused.")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was stored")
    expect(url_field).to_have_value("https://user:pw@news.example.com/a")
    screenshot(page, "intake-error.png", full_page=True)
    assert Article.objects.count() == 0


def test_an_uploaded_html_file_is_ingested_and_a_second_upload_is_recognised(
    web_page: Page, editor_account: User, tmp_path: Path
) -> None:
    saved = tmp_path / "ferry-fares.html"
    saved.write_text(PAGE_HTML, encoding="utf-8")
    page = web_page
    open_intake(page)
    page.get_by_label("…or upload the page's HTML file").set_input_files(str(saved))
    page.get_by_role("button", name="Add the article").click()
    page.wait_for_url("**/status/")
    # Tasks run eagerly in this test (on commit, inside the request): the article is ready when the page shows.
    expect(page.locator("#status-badge")).to_have_text("ready")
    expect(page.locator("#article-title")).to_have_text("Ferry fares rise for the summer season")
    article = Article.objects.get()
    assert article.source == "html" and "About 3,400 passengers" in article.text

    page.get_by_role("link", name="Add another article").click()
    page.get_by_label("…or upload the page's HTML file").set_input_files(str(saved))
    page.get_by_role("button", name="Add the article").click()
    page.wait_for_url("**/status/?already=1")
    expect(page.locator("#already")).to_contain_text("already in the tracker")
    screenshot(page, "intake-duplicate.png")
    assert Article.objects.count() == 1
    page.get_by_role("link", name="Open the existing article").click()
    page.wait_for_url(f"**/editor/articles/{article.pk}/")


@pytest.mark.e2e
def test_with_a_real_worker_the_status_page_follows_the_article_to_ready(
    web_page: Page, editor_account: User, celery_worker_process: Worker
) -> None:
    page = web_page
    open_intake(page)
    page.get_by_label("Paste the article").fill(MESSY_TEXT.replace("Old Mill", "Weir Lane"))
    page.get_by_role("button", name="Add the article").click()
    page.wait_for_url("**/status/")
    expect(page.locator("#status-badge")).to_have_text("ready", timeout=30_000)
    article = Article.objects.get()
    assert article.status == "ready" and "Weir Lane bridge" in article.text
    expect(page.get_by_role("link", name="Annotate it")).to_have_attribute("href", f"/editor/articles/{article.pk}/")


# ---------------------------------------------------------------------------------------------- review


def day(number: int) -> datetime.datetime:
    return datetime.datetime(2025, 3, number, tzinfo=datetime.UTC)


@pytest.fixture
def flagged(transactional_db: Any) -> Contradiction:
    """Two outlets disagree; the detector (eager here, on commit) raises the flag, as the worker would."""
    first = make_article(title="Dock strike enters second week", published_at=day(10))
    first.outlet = services.outlet_get_or_create(name="Harbour Wire")
    first.save(update_fields=["outlet"])
    second = make_article(title="Union counts its members on strike", published_at=day(12))
    second.outlet = services.outlet_get_or_create(name="Evening Ledger")
    second.save(update_fields=["outlet"])
    make_claim(first, "2,400 workers", value=2400, speaker="A union leader")
    make_claim(second, "about 2,500 workers", value=2500, qualifier="approx", speaker="Harbour officials")
    return wait_for(lambda: Contradiction.objects.filter(kind="numeric").first(), timeout=10)


def test_an_editor_resolves_a_flag_on_the_review_page(
    web_page: Page, editor_account: User, flagged: Contradiction
) -> None:
    page = web_page
    sign_in(page, "maria", PASSWORD, next_path="/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review flags").click()
    page.wait_for_url("**/editor/contradictions/")
    card = page.locator(f"#flag-{flagged.pk}")
    expect(card).to_contain_text(flagged.explanation)
    sides = card.locator(".side")
    expect(sides).to_have_count(2)
    expect(card.locator("mark.quote")).to_have_text(["2,400 workers", "about 2,500 workers"])
    expect(card).to_contain_text("Harbour Wire")
    expect(card).to_contain_text("Evening Ledger")
    expect(card).to_contain_text("A union leader")
    # Side by side on a desktop screen: the second claim starts to the right of the first, on the same row.
    first, second = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
    assert first and second and second["x"] > first["x"] + first["width"] - 1 and abs(second["y"] - first["y"]) < 2
    screenshot(page, "review-queue.png", full_page=True)

    card.get_by_label("Note").fill("The union counted only its own members.")
    card.get_by_role("button", name="Dismiss").click()
    page.wait_for_url(f"**/editor/contradictions/#flag-{flagged.pk}")
    expect(page.get_by_role("status")).to_have_text(f"Flag {flagged.pk} (numeric) is now dismissed.")
    card = page.locator(f"#flag-{flagged.pk}")
    expect(card.locator(".flag-status .badge")).to_have_text("dismissed")
    expect(card).to_contain_text("The union counted only its own members.")
    expect(card.get_by_role("button", name="Reopen")).to_be_visible()
    flagged.refresh_from_db()
    assert flagged.status == "dismissed" and flagged.reviewer == editor_account
    assert flagged.note == "The union counted only its own members."
    assert AuditEvent.objects.filter(entity="contradiction", entity_id=flagged.pk, action="review").count() == 1
    screenshot(page, "review-resolved.png")

    page.set_viewport_size(PHONE)
    page.goto("/editor/contradictions/")
    box = page.locator(f"#flag-{flagged.pk}").bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    screenshot(page, "review-queue-phone.png", full_page=True)


def test_the_filters_narrow_the_queue(web_page: Page, editor_account: User, flagged: Contradiction) -> None:
    page = web_page
    sign_in(page, "maria", PASSWORD, next_path="/editor/contradictions/")
    page.get_by_label("Kind").select_option("date")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/editor/contradictions/?kind=date*")
    expect(page.get_by_text("No flags match these filters.")).to_be_visible()
    page.get_by_label("Kind").select_option("numeric")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(f"#flag-{flagged.pk}")).to_be_visible()
    assert Claim.objects.filter(status=Claim.Status.CONFIRMED).count() == 2
