"""The annotation workspace in a real browser (Debian's Chromium through Playwright) against the live server:
select words, get a prefilled form, pick a subject from the autocomplete, save, edit, accept by keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from claims import services
from claims.models import Article, Claim
from tests.conftest import wait_for
from tests.factories import editor_group, make_article
from tests.web.browser import (  # noqa: F401  (the fixtures chromium_browser and web_page)
    PHONE,
    chromium_browser_fixture,
    screenshot,
    select_text,
    sign_in,
    web_page_fixture,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    # The production hasher spends most of a second per password on purpose; these tests make several.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


SENTENCE = "Officials said about 2,500 US troops remain in the country."
TEXT = (
    "Talks on the coalition's future resumed in Baghdad on Monday.\n\n"
    # The flags are characters outside the BMP: JS counts them twice, Python once, and offsets must agree.
    f"Update 🇺🇸🇮🇶: {SENTENCE} The figure has not changed since January 2024, a spokesman said.\n\n"
    "Negotiators expect the talks to last several months, according to two people briefed on them."
)
PASSWORD = "editor-password-123"


@pytest.fixture
def editor_account(transactional_db: Any) -> User:
    user = User.objects.create_user("maria", "maria@example.org", PASSWORD)
    user.groups.add(editor_group())  # made again: a transactional test empties the tables, groups included
    return user


@pytest.fixture
def article(transactional_db: Any) -> Article:
    article = make_article(title="Coalition talks resume", text=TEXT, raw=TEXT)
    services.subject_get_or_create(name="US troops in Iraq")
    services.subject_get_or_create(name="US trade deficit")
    services.claim_create(
        actor=None,
        article=article,
        quote="several months",
        kind="duration",
        subject="Coalition talks",
        attribute="expected length",
        value={"min": 3, "max": None, "unit": "month"},
        qualifier="approx",
        status=Claim.Status.SUGGESTED,
    )
    return article


def open_workspace(page: Page, article: Article) -> None:
    sign_in(page, "maria", PASSWORD, next_path="/editor/")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Annotate")).to_be_visible()
    row = page.get_by_role("row", name="Coalition talks resume")
    expect(row).to_contain_text("ready")
    expect(row.locator("td.num").nth(1)).to_have_text("1")
    screenshot(page, "queue.png")
    row.get_by_role("link", name="Coalition talks resume").click()
    page.wait_for_url(f"**/editor/articles/{article.pk}/")
    expect(page.locator("#article-text")).to_have_attribute("data-ready", "true")


def test_an_editor_tags_a_claim_edits_it_and_accepts_a_suggestion(
    web_page: Page, editor_account: User, article: Article
) -> None:
    page = web_page
    open_workspace(page, article)

    select_text(page, "#article-text", "about 2,500 US troops")
    form = page.locator("#claim-form")
    expect(form).to_be_visible()
    expect(page.locator("#f-quote")).to_have_text("“about 2,500 US troops”")
    expect(page.get_by_label("Kind")).to_have_value("quantity")
    expect(page.get_by_label("Value", exact=True)).to_have_value("2500")
    expect(page.get_by_label("Qualifier")).to_have_value("approx")
    expect(page.get_by_label("Unit", exact=True)).to_have_value("troops")
    expect(page.locator("mark.pending")).to_have_text("about 2,500 US troops")

    # The API's field errors land next to their fields.
    page.get_by_label("Attribute").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#err-subject")).to_be_visible()
    expect(page.locator("#err-attribute")).to_be_visible()
    expect(page.locator("#f-attribute")).to_have_attribute("aria-invalid", "true")
    assert Claim.objects.filter(status=Claim.Status.CONFIRMED).count() == 0

    subject = page.get_by_role("combobox", name="Subject")
    subject.fill("")
    subject.press_sequentially("US tr", delay=30)
    options = page.get_by_role("listbox", name="Known subjects")
    expect(options.get_by_role("option")).to_have_count(2)
    options.get_by_role("option", name="US troops in Iraq").click()
    expect(subject).to_have_value("US troops in Iraq")
    expect(options).to_be_hidden()
    expect(page.locator("#err-subject")).to_be_hidden()
    page.get_by_label("Attribute").fill("troop count")
    expect(page.locator("#err-attribute")).to_be_hidden()
    screenshot(page, "workspace-form.png")
    page.get_by_role("button", name="Save", exact=True).click()

    saved = page.locator("mark.hl.kind-quantity:not(.suggested)")
    expect(saved).to_have_text("about 2,500 US troops")
    expect(form).to_be_hidden()
    claim = Claim.objects.get(status=Claim.Status.CONFIRMED)
    start = TEXT.index("about 2,500 US troops")
    assert (claim.start, claim.end, claim.quote) == (
        start,
        start + len("about 2,500 US troops"),
        "about 2,500 US troops",
    )
    assert (claim.kind, claim.qty_min, claim.qualifier, claim.unit) == ("quantity", 2500, "approx", "troops")
    assert claim.subject is not None
    assert (claim.subject.name, claim.attribute, claim.created_by) == (
        "US troops in Iraq",
        "troop count",
        editor_account,
    )

    page.reload()
    expect(page.locator("#article-text")).to_have_attribute("data-ready", "true")
    expect(saved).to_have_text("about 2,500 US troops")

    # Clicking a highlight opens the claim; saving sends the version read (PATCH).
    saved.click()
    expect(page.locator("#form-title")).to_have_text("Edit claim")
    expect(page.get_by_role("combobox", name="Subject")).to_have_value("US troops in Iraq")
    page.get_by_label("Unit", exact=True).fill("soldiers")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(form).to_be_hidden()
    claim.refresh_from_db()
    assert (claim.unit, claim.version) == ("soldiers", 2)

    # Keyboard: j picks the first suggestion, a accepts it.
    suggestion = Claim.objects.get(status=Claim.Status.SUGGESTED)
    page.locator("body").press("j")
    expect(page.locator("mark.current")).to_have_text("several months")
    screenshot(page, "workspace.png")
    page.locator("body").press("a")
    wait_for(lambda: Claim.objects.get(pk=suggestion.pk).status == Claim.Status.CONFIRMED, timeout=10)
    expect(page.locator("#suggestion-count")).to_have_text("0")
    expect(page.locator("mark.suggested")).to_have_count(0)
    assert Claim.objects.get(pk=suggestion.pk).version == 2


def test_the_form_fits_a_phone(web_page: Page, editor_account: User, article: Article) -> None:
    page = web_page
    page.set_viewport_size(PHONE)
    open_workspace(page, article)
    select_text(page, "#article-text", "January 2024")
    expect(page.get_by_label("Kind")).to_have_value("date")
    expect(page.get_by_label("Date", exact=False).first).to_have_value("2024-01")
    box = page.locator("#claim-form").bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    screenshot(page, "workspace-phone.png")
    page.keyboard.press("Escape")
    expect(page.locator("#claim-form")).to_be_hidden()
    expect(page.locator("mark.pending")).to_have_count(0)


GUESSES: list[tuple[str, dict[str, Any]]] = [
    ("about 2,500 US troops", {"kind": "quantity", "value": 2500, "qualifier": "approx", "unit": "troops"}),
    ("more than 1.5 million people", {"kind": "quantity", "value": 1500000, "qualifier": "at_least", "unit": "people"}),
    ("no more than 300 soldiers", {"kind": "quantity", "value": 300, "qualifier": "at_most"}),
    ("up to 40 percent", {"kind": "quantity", "value": 40, "qualifier": "at_most", "unit": "percent"}),
    ("nearly $5 million in aid", {"kind": "quantity", "value": 5000000, "qualifier": "approx", "unit": "USD"}),
    ("between 2,000 and 3,000 troops", {"kind": "quantity", "value": {"min": 2000, "max": 3000}}),
    ("March 2019", {"kind": "date", "value": "2019-03"}),
    ("on 8 March 2019", {"kind": "date", "value": "2019-03-08"}),
    ("January 15, 2024", {"kind": "date", "value": "2024-01-15"}),
    ("in 2019", {"kind": "date", "value": "2019"}),
    ("a 10-year agreement", {"kind": "duration", "value": {"min": 10, "max": None, "unit": "year"}}),
    ("two to three years", {"kind": "duration", "value": {"min": 2, "max": 3, "unit": "year"}}),
    ("for months", {"kind": "duration", "qualifier": "at_least"}),
    ("Fuad Hussein told reporters", {"kind": "attribution", "speaker": "Fuad Hussein"}),
    ("the mission will not end", {"kind": "statement", "polarity": "denies"}),
]


def test_the_form_guesses_kind_value_qualifier_and_unit(web_page: Page, editor_account: User, article: Article) -> None:
    page = web_page
    open_workspace(page, article)
    for text, expected in GUESSES:
        got = page.evaluate("([text]) => window.ClaimTracker.guess(text, {published: '2025-03-14'})", [text])
        assert {key: got[key] for key in expected} == expected, (text, got)


def test_a_reader_does_not_get_the_workspace(web_page: Page, article: Article) -> None:
    User.objects.create_user("rita", "rita@example.org", "reader-password-123")
    sign_in(web_page, "rita", "reader-password-123")
    answer = web_page.goto(f"/editor/articles/{article.pk}/")
    assert answer is not None and answer.status == 403
    expect(web_page.locator("#claim-form")).to_have_count(0)
    expect(web_page.locator("#article-text")).to_have_count(0)
