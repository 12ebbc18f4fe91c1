"""A reader in a real browser (Debian's Chromium through Playwright) on the live server: home, search, a subject's
timeline chart with focusable marks, a contradiction's two sides; article payloads stay text and run nothing.
Screenshots go to artifacts/screenshots/ (git-ignored)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from claims import services
from claims.models import Contradiction
from tests.web.browser import (  # noqa: F401  (the fixtures chromium_browser and web_page)
    PHONE,
    chromium_browser_fixture,
    screenshot,
    web_page_fixture,
)
from tests.web.reader_data import Story, build_story
from tests.web.test_reader_pages import payload_article

pytestmark = pytest.mark.browser


@pytest.fixture
def story(transactional_db: Any) -> Story:
    return build_story(extra=4)


def test_a_reader_searches_opens_a_subject_reads_the_chart_and_a_contradiction(web_page: Page, story: Story) -> None:
    page = web_page
    page.goto("/")
    expect(page.get_by_role("heading", name="Where the reports disagree")).to_be_visible()
    screenshot(page, "reader-home.png", full_page=True)

    page.get_by_label("Search articles, claims, subjects and speakers").fill("troops")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=troops")
    expect(page.get_by_role("status")).to_contain_text("for “troops”")
    subjects = page.get_by_role("region", name="Subjects")
    screenshot(page, "reader-search.png", full_page=True)
    subjects.get_by_role("link", name="Troops at Fort Alder").click()
    page.wait_for_url(f"**/subjects/{story.subject_id}/")

    marks = page.locator("svg.timeline a.mark")
    expect(marks).to_have_count(2 + 4 + 1)  # six troop counts and one duration
    assert page.locator("svg.timeline a.mark.contradicted").count() >= 2
    expect(page.get_by_role("list", name="Outlets")).to_contain_text("Northern Wire")
    first = page.locator("svg.timeline a.mark", has=page.locator("title", has_text="About 1,200 troops"))
    tip = first.locator(".tip-text")
    expect(tip).to_be_hidden()
    first.focus()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("“About 1,200 troops” — Coast Herald")
    assert page.evaluate("document.activeElement.getAttribute('data-claim')") == str(story.troops_a.pk)
    page.keyboard.press("Tab")  # the next mark takes focus, and its quote replaces the first one
    expect(tip).to_be_hidden()
    first.focus()
    screenshot(page, "reader-subject.png", full_page=True)
    expect(page.get_by_role("region", name="Open contradictions").locator("article.flag")).to_have_count(5)

    first.focus()
    page.keyboard.press("Enter")  # a mark is a link to its claim
    page.wait_for_url(f"**/claims/{story.troops_a.pk}/")
    expect(page.locator("blockquote.paragraph mark")).to_have_text("About 1,200 troops")
    screenshot(page, "reader-claim.png", full_page=True)
    pair = page.locator("article.flag").filter(has_text="Some 1,500 troops")
    pair.get_by_role("link", name="Numeric contradiction").click()
    page.wait_for_url(re.compile(r".*/contradictions/\d+/$"))
    sides = page.locator(".sides .side")
    expect(sides).to_have_count(2)
    quotes = sides.locator("blockquote").all_inner_texts()
    assert sorted(quotes) == ["“About 1,200 troops”", "“Some 1,500 troops”"], quotes
    screenshot(page, "reader-contradiction.png", full_page=True)


def test_reader_pages_fit_a_phone(web_page: Page, story: Story) -> None:
    page = web_page
    page.set_viewport_size(PHONE)
    for name, url in (
        ("home", "/"),
        ("subject", f"/subjects/{story.subject_id}/"),
        ("contradictions", "/contradictions/"),
        ("claim", f"/claims/{story.troops_b.pk}/"),
    ):
        page.goto(url)
        # Nothing wider than the screen: no sideways scrolling on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (url, overflow)
        screenshot(page, f"reader-{name}-phone.png", full_page=True)
    page.goto(f"/subjects/{story.subject_id}/")
    page.locator("svg.timeline").first.scroll_into_view_if_needed()
    page.locator("svg.timeline a.mark").first.focus()
    screenshot(page, "reader-subject-chart-phone.png")
    box = page.locator("svg.timeline").first.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]


def test_article_payloads_render_as_text_and_run_nothing(web_page: Page, transactional_db: Any) -> None:
    page = web_page
    article, one, two = payload_article()
    editor = services.outlet_get_or_create(name="Depot Daily")  # gives the home page an outlet too
    assert editor.pk
    flag = Contradiction.objects.get(claim_a=one, claim_b=two)
    services.contradiction_resolve(contradiction=flag, actor=None, status="confirmed", note="<b>bold?</b>")
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    for url in (
        f"/articles/{article.pk}/",
        f"/claims/{two.pk}/",
        f"/claims/{one.pk}/",
        f"/contradictions/{flag.pk}/",
        "/",
        "/search/?q=depot",
    ):
        page.goto(url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", url
        assert page.locator("img").count() == 0, url
    page.goto(f"/articles/{article.pk}/")
    expect(page.locator("#article-text")).to_contain_text("<script>window.__pwned = 1</script>")
    expect(page.locator("#article-text")).to_contain_text('<img src=x onerror="window.__pwned = 2">')
    expect(page.get_by_role("heading", level=1)).to_have_text("<script>window.__pwned = 4</script> Depot")
    screenshot(page, "reader-article-payload.png", full_page=True)
    page.goto(f"/contradictions/{flag.pk}/")
    expect(page.locator(".note")).to_contain_text("<b>bold?</b>")
    assert not [m for m in messages if "pwned" in m], messages
