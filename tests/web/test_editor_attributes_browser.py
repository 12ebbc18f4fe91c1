"""The attributes page in a real browser (Debian's Chromium through Playwright) against the live server: an editor
finds the attribute from the queue's link, reads how its figures are taken, sets it to a fixed fact with the row's
own form, and sees the result where it acted; a bad window is refused with its reason and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from claims.models import AttributeDynamics
from tests.factories import editor_group, make_article, make_claim
from tests.web.browser import (  # noqa: F401  (the fixtures chromium_browser and web_page)
    chromium_browser_fixture,
    screenshot,
    sign_in,
    web_page_fixture,
)

pytestmark = pytest.mark.browser
PASSWORD = "editor-password-123"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_account(transactional_db: Any) -> User:
    user = User.objects.create_user("ines", "ines@example.org", PASSWORD)
    user.groups.add(editor_group())
    article = make_article()
    make_claim(article, "about 2,500 workers", attribute="ships at anchor", unit="ships", value=40)
    make_claim(article, "2,400 workers", attribute="death toll", unit="people", value=212)
    return user


def test_an_editor_sets_how_an_attributes_figures_move(web_page: Page, editor_account: User) -> None:
    page = web_page
    sign_in(page, "ines", PASSWORD, next_path="/editor/")
    page.get_by_role("link", name="Attributes (how their figures move)").click()
    expect(page.get_by_role("heading", name="Attributes: how their figures move")).to_be_visible()
    row = page.locator("tr[data-attribute='ships at anchor']")
    expect(row.locator(".moves")).to_contain_text("a level that moves either way")
    expect(page.locator("tr[data-attribute='death toll'] .moves")).to_contain_text("a running tally")

    row.get_by_label("How the figures of «ships at anchor» move").select_option("level")
    row.get_by_label("window (days)").fill("soon")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("whole number of days")
    assert not AttributeDynamics.objects.exists()

    row = page.locator("tr[data-attribute='ships at anchor']")
    row.get_by_label("How the figures of «ships at anchor» move").select_option("fixed")
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("«ships at anchor» is now a fixed fact")
    moves = page.locator("tr[data-attribute='ships at anchor'] .moves")
    expect(moves).to_contain_text("a fixed fact (set by an editor)")
    screenshot(page, "editor-attributes.png")
    assert AttributeDynamics.objects.get(attribute_key="ships at anchor").dynamics == "fixed"
