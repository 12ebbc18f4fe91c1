"""The annotation workspace driven by keyboard and mouse the way editors work fast, in Debian's Chromium against the
live server: j/k walk the suggestions (focus, scrolling, wrap-around), e/a/r act on the focused one, accepting a
suggestion without a subject opens the form instead of confirming, and selections grow by shift-click and
shift+arrows but never silently across paragraphs."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from claims import services
from claims.models import Article, Claim
from tests.conftest import wait_for
from tests.factories import editor_group, make_article
from tests.web.browser import (  # noqa: F401  (the fixtures chromium_browser and web_page)
    chromium_browser_fixture,
    screenshot,
    sign_in,
    web_page_fixture,
)

pytestmark = pytest.mark.browser
PASSWORD = "editor-password-123"
CRANES = 24  # enough cards and paragraphs that neither the text nor the panel fits on one screen


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_account(transactional_db: Any) -> User:
    user = User.objects.create_user("maria", "maria@example.org", PASSWORD)
    user.groups.add(editor_group())
    return user


def crane_report(number: int) -> str:
    return (
        f"Crane {number} at the Velmar container terminal moved {300 + 17 * number} boxes in the week before "
        f"the walkout, according to the harbour office, which keeps a log for every berth and every shift."
    )


LEAD = "About 1,300 dock workers joined the strike at Velmar on Saturday, union spokeswoman Mara Lind told reporters."
SECOND = "The harbour master said that 41 ships were waiting at anchor off the breakwater by Sunday night."
TEXT = "\n\n".join([LEAD, SECOND, *(crane_report(n) for n in range(1, CRANES + 1))])


def suggest(article: Article, quote: str, *, subject: str) -> Claim:
    number = int(quote.split()[0].replace(",", ""))
    return services.claim_create(
        actor=None,
        article=article,
        quote=quote,
        kind="quantity",
        subject=subject,
        attribute="count",
        value=number,
        unit=quote.split()[1],
        status=Claim.Status.SUGGESTED,
    )


@pytest.fixture
def article(transactional_db: Any) -> Article:
    article = make_article(title="Velmar dock strike", text=TEXT, raw=TEXT)
    # The ships waiting: the suggester found no subject for it.
    suggest(article, "41 ships", subject="")
    for number in range(1, CRANES + 1):
        suggest(article, f"{300 + 17 * number} boxes", subject="Velmar container cranes")
    return article


def open_workspace(page: Page, article: Article) -> None:
    sign_in(page, "maria", PASSWORD, next_path=f"/editor/articles/{article.pk}/")
    expect(page.locator("#article-text")).to_have_attribute("data-ready", "true")


def suggestions_in_order() -> list[Claim]:
    return list(Claim.objects.filter(status=Claim.Status.SUGGESTED).order_by("start", "id"))


def card(page: Page, claim: Claim) -> Locator:
    return page.locator(f"#suggestions li[data-claim='{claim.pk}']")


def expect_current(page: Page, claim: Claim) -> None:
    """The claim's card has the focus and is on screen, and so is its highlight in the text."""
    expect(card(page, claim)).to_be_focused()
    expect(card(page, claim)).to_have_attribute("aria-current", "true")
    expect(card(page, claim)).to_be_in_viewport()
    mark = page.locator("#article-text mark.current")
    expect(mark).to_have_text(claim.quote)
    expect(mark).to_be_in_viewport()


def word_point(page: Page, word: str) -> tuple[float, float]:
    """The middle of the first occurrence of `word` in the article text, scrolled on screen first."""
    point = page.evaluate(
        """(wanted) => {
            const walker = document.createTreeWalker(document.getElementById("article-text"), NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(wanted);
                if (at < 0) continue;
                node.parentElement.scrollIntoView({block: "center"});
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + wanted.length);
                const box = range.getClientRects()[0];
                return [box.left + box.width / 2, box.top + box.height / 2];
            }
            return null;
        }""",
        word,
    )
    assert point, f"{word!r} is not in the article text"
    return point[0], point[1]


def shift_click(page: Page, word: str) -> None:
    x, y = word_point(page, word)
    page.keyboard.down("Shift")
    page.mouse.click(x, y)
    page.keyboard.up("Shift")


def double_click(page: Page, word: str) -> None:
    x, y = word_point(page, word)
    page.mouse.dblclick(x, y)


def save_new_claim(page: Page, subject: str) -> Claim:
    before = set(Claim.objects.values_list("pk", flat=True))
    page.get_by_role("combobox", name="Subject").fill(subject)
    page.get_by_label("Attribute").fill("striker count")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#claim-form")).to_be_hidden()
    return wait_for(lambda: Claim.objects.exclude(pk__in=before).first(), timeout=10)


# ---------------------------------------------------------------------------------------------- j/k and e/a/r


def test_j_and_k_focus_scroll_and_wrap_around(web_page: Page, editor_account: User, article: Article) -> None:
    page = web_page
    open_workspace(page, article)
    order = suggestions_in_order()
    assert len(order) == CRANES + 1
    expect(page.locator("#suggestions li[data-claim]")).to_have_count(len(order))

    body = page.locator("body")
    body.press("j")
    expect_current(page, order[0])
    body.press("j")
    expect_current(page, order[1])
    body.press("k")
    expect_current(page, order[0])
    # Before the first comes the last: the panel and the text both scroll to it.
    body.press("k")
    expect_current(page, order[-1])
    assert page.evaluate("window.scrollY") > 0
    assert page.locator(".panel").evaluate("panel => panel.scrollTop") > 0
    screenshot(page, "workspace-wrapped-to-last.png")
    page.keyboard.press("k")
    expect_current(page, order[-2])
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect_current(page, order[0])


def test_e_a_and_r_act_on_the_focused_suggestion(web_page: Page, editor_account: User, article: Article) -> None:
    page = web_page
    open_workspace(page, article)
    order = suggestions_in_order()
    target = order[5]
    # A card focused any way (here as Tab would) is the one the keys act on.
    card(page, target).focus()
    page.keyboard.press("e")
    expect(page.locator("#form-title")).to_have_text("Review suggestion")
    expect(page.locator("#f-quote")).to_have_text(f"“{target.quote}”")
    # The proposal fills the form and is marked as one; no placeholder name anywhere.
    expect(page.get_by_role("combobox", name="Subject")).to_have_value("Velmar container cranes")
    expect(page.locator("#f-proposed")).to_be_visible()
    expect(card(page, target)).to_contain_text("Velmar container cranes (proposed)")
    expect(page.locator(".panel")).not_to_contain_text("unassigned")
    page.keyboard.press("Escape")
    expect(page.locator("#claim-form")).to_be_hidden()
    expect(card(page, target)).to_be_focused()

    page.keyboard.press("r")
    wait_for(lambda: Claim.objects.get(pk=target.pk).status == Claim.Status.REJECTED, timeout=10)
    expect(card(page, target)).to_have_count(0)
    # The walk goes on from where the rejected one was.
    page.keyboard.press("j")
    expect_current(page, order[6])
    page.keyboard.press("a")
    confirmed = wait_for(
        lambda: Claim.objects.filter(pk=order[6].pk, status=Claim.Status.CONFIRMED).first(), timeout=10
    )
    assert confirmed.subject is not None and confirmed.subject.name == "Velmar container cranes"
    expect(card(page, order[6])).to_have_count(0)
    assert Claim.objects.get(pk=order[7].pk).status == Claim.Status.SUGGESTED  # one key press, one claim
    page.keyboard.press("j")
    expect_current(page, order[7])


def test_accepting_without_a_subject_opens_the_form_on_the_subject(
    web_page: Page, editor_account: User, article: Article
) -> None:
    page = web_page
    open_workspace(page, article)
    ships = Claim.objects.get(quote="41 ships")
    first, second = suggestions_in_order()[:2]
    assert first.pk == ships.pk
    expect(card(page, ships)).to_contain_text("subject needed")

    page.locator("body").press("j")
    expect_current(page, ships)
    page.keyboard.press("a")
    subject = page.get_by_role("combobox", name="Subject")
    expect(page.locator("#claim-form")).to_be_visible()
    expect(subject).to_be_focused()
    expect(subject).to_have_value("")
    expect(page.locator("#err-subject")).to_contain_text("subject")
    screenshot(page, "workspace-subject-needed.png")
    page.wait_for_timeout(300)  # nothing was sent; give a stray request time to land before looking
    ships.refresh_from_db()
    assert (ships.status, ships.version, ships.subject_id) == (Claim.Status.SUGGESTED, 1, None)

    # The API's own refusal is handled the same way: the page still believes in a proposal the server no longer
    # has (edited behind its back, version unchanged), so the confirm is sent and answered 400 naming `subject`.
    Claim.objects.filter(pk=second.pk).update(proposed_subject="")
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    expect_current(page, second)
    page.keyboard.press("a")
    expect(page.locator("#f-quote")).to_have_text(f"“{second.quote}”")
    expect(page.locator("#err-subject")).to_be_visible()
    expect(page.locator("#err-subject")).not_to_be_empty()
    expect(subject).to_be_focused()
    expect(subject).to_have_attribute("aria-invalid", "true")
    assert Claim.objects.get(pk=second.pk).status == Claim.Status.SUGGESTED

    # Naming the subject in the form accepts it with that name.
    subject.fill("Velmar crane 1")
    page.get_by_role("button", name="Save and accept").click()
    expect(page.locator("#claim-form")).to_be_hidden()
    saved = wait_for(lambda: Claim.objects.filter(pk=second.pk, status=Claim.Status.CONFIRMED).first(), timeout=10)
    assert saved.subject is not None and saved.subject.name == "Velmar crane 1"


# ---------------------------------------------------------------------------------------------- selections


def test_double_click_then_shift_click_extends_the_selection(
    web_page: Page, editor_account: User, article: Article
) -> None:
    page = web_page
    open_workspace(page, article)
    double_click(page, "dock")
    expect(page.locator("#f-quote")).to_have_text("“dock”")
    shift_click(page, "strike")
    wanted = "dock workers joined the strike"
    expect(page.locator("#f-quote")).to_have_text(f"“{wanted}”")
    expect(page.locator("mark.pending")).to_have_text(wanted)
    assert page.evaluate("String(window.getSelection())").strip() == wanted

    # What the editor typed stays when the selection then grows backwards past its start.
    page.get_by_role("combobox", name="Subject").fill("Velmar dock workers")
    shift_click(page, "About")
    wider = "About 1,300 dock workers joined the strike"
    expect(page.locator("#f-quote")).to_have_text(f"“{wider}”")
    expect(page.get_by_role("combobox", name="Subject")).to_have_value("Velmar dock workers")
    expect(page.get_by_label("Value", exact=True)).to_have_value("1300")

    claim = save_new_claim(page, "Velmar dock workers")
    start = TEXT.index(wider)
    assert (claim.start, claim.end, claim.quote) == (start, start + len(wider), wider)


def test_shift_arrows_extend_the_selection_and_the_form_follows(
    web_page: Page, editor_account: User, article: Article
) -> None:
    page = web_page
    open_workspace(page, article)
    double_click(page, "harbour")
    expect(page.locator("#f-quote")).to_have_text("“harbour”")
    for _ in range(len(" master")):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#f-quote")).to_have_text("“harbour master”")
    # A press that ends inside a word takes the whole word.
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    expect(page.locator("#f-quote")).to_have_text("“harbour master said”")
    expect(page.locator("mark.pending")).to_have_text("harbour master said")
    assert not page.evaluate("document.activeElement.closest('#claim-form')")  # the keys stayed with the text

    page.keyboard.press("Enter")
    expect(page.get_by_role("combobox", name="Subject")).to_be_focused()
    claim = save_new_claim(page, "Velmar harbour master")
    start = TEXT.index("harbour master said")
    assert (claim.start, claim.end) == (start, start + len("harbour master said"))


def test_a_selection_across_two_paragraphs_is_refused_with_a_message(
    web_page: Page, editor_account: User, article: Article
) -> None:
    page = web_page
    open_workspace(page, article)
    double_click(page, "reporters")
    expect(page.locator("#f-quote")).to_have_text("“reporters”")
    shift_click(page, "anchor")
    problem = page.locator("#selection-problem")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("one paragraph")
    expect(problem).to_be_in_viewport()
    # The form keeps the last span that was valid; nothing was cut down to the second paragraph.
    expect(page.locator("#f-quote")).to_have_text("“reporters”")
    screenshot(page, "workspace-two-paragraphs.png")
    page.keyboard.press("Escape")
    expect(page.locator("#claim-form")).to_be_hidden()
    expect(problem).to_be_hidden()

    # Straight away, with no form open: the message, and no form.
    double_click(page, "breakwater")
    expect(page.locator("#f-quote")).to_have_text("“breakwater”")
    page.keyboard.press("Escape")
    page.evaluate("""() => {
        const walker = document.createTreeWalker(document.getElementById("article-text"), NodeFilter.SHOW_TEXT);
        const nodes = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
        const first = nodes.find(node => node.data.includes("Saturday"));
        const second = nodes.find(node => node.data.includes("harbour master"));
        window.getSelection().setBaseAndExtent(first, first.data.indexOf("Saturday"),
                                               second, second.data.indexOf("harbour master") + 7);
    }""")
    expect(problem).to_contain_text("one paragraph")
    expect(page.locator("#claim-form")).to_be_hidden()

    # A triple-click takes one whole paragraph, even though the browser's range ends at the next one.
    x, y = word_point(page, "breakwater")
    page.mouse.click(x, y, click_count=3)
    expect(page.locator("#f-quote")).to_have_text(f"“{SECOND}”")
    expect(problem).to_be_hidden()
    assert Claim.objects.filter(status=Claim.Status.CONFIRMED).count() == 0
