"""Playwright helpers for browser tests: Debian's Chromium (never a downloaded one), a page on the live server,
signing in through the real login form, screenshots under artifacts/screenshots/.

Use in a test module:

    from tests.web.browser import chromium_browser_fixture, web_page_fixture  # noqa: F401  (fixtures)

    @pytest.mark.browser
    def test_something(web_page: Page) -> None: ...
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


def launch(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        # A missing browser is a broken test machine, not a reason to skip: fail so that someone installs it.
        pytest.fail(
            f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); never `playwright install`"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


# One Playwright and one browser for the whole run. Each test module imports the fixture, which registers it once
# per module: without sharing, the second module would start a second sync Playwright inside the first one's
# asyncio loop, which Playwright refuses ("using Playwright Sync API inside the asyncio loop").
_shared: dict[str, Any] = {"users": 0}


# Registered under short names, so that a module importing them does not shadow the import with its arguments.
@pytest.fixture(scope="session", name="chromium_browser")
def chromium_browser_fixture() -> Iterator[Browser]:
    if _shared["users"] == 0:
        # Playwright's sync API keeps an asyncio loop in this thread, which makes Django refuse ORM calls from the
        # test ("you cannot call this from an async context") although they are plain synchronous code.
        _shared["env_before"] = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        manager = sync_playwright()
        _shared["manager"] = manager
        try:
            _shared["browser"] = launch(manager.start())
        except BaseException:
            manager.__exit__(None, None, None)
            raise
    _shared["users"] += 1
    try:
        yield _shared["browser"]
    finally:
        _shared["users"] -= 1
        if _shared["users"] == 0:
            try:
                _shared.pop("browser").close()
                _shared.pop("manager").__exit__(None, None, None)
            finally:
                before = _shared.pop("env_before")
                if before is None:
                    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
                else:
                    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(name="web_page")
def web_page_fixture(chromium_browser: Browser, live_server: Any, transactional_db: Any) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live server, desktop-sized; JS errors fail the test."""
    context = chromium_browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def sign_in(page: Page, username: str, password: str, next_path: str = "/") -> None:
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}")


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def select_text(page: Page, container_selector: str, text: str) -> None:
    """Select the first occurrence of `text` inside one text node under the container, as a mouse drag would,
    and fire the mouseup a real drag ends with."""
    found = page.evaluate(
        """([selector, wanted]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(wanted);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(node, at);
                range.setEnd(node, at + wanted.length);
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                node.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                return true;
            }
            return false;
        }""",
        [container_selector, text],
    )
    assert found, f"{text!r} is not inside one text node under {container_selector}"
