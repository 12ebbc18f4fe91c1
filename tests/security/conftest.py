"""The security package's browser tests share one `chromium_browser` fixture, registered here once for the package
(tests/web/browser.py also shares a single Playwright between every module that registers it)."""

from tests.web.browser import chromium_browser_fixture  # noqa: F401  (the chromium_browser fixture)
