"""Shared browser helpers for the security tests: a context that records Content-Security-Policy violations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser, Page

from tests.web.browser import DESKTOP, TIMEOUT_MS

# Registered before any page script runs, so that a violation during parsing is caught too.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
                                + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Recorder:
    """Collects what the page did that it should not have: CSP violations, dialogs, page errors, console CSP
    messages."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda msg: self.console.append(msg.text) if "Content Security Policy" in msg.text else None)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def violations(self) -> list[str]:
        found: list[str] = self.page.evaluate("window.__cspViolations || []")
        return found + self.console


@contextmanager
def recording_page(browser: Browser, base_url: str, *, bypass_csp: bool = False) -> Iterator[Recorder]:
    context = browser.new_context(base_url=base_url, viewport=DESKTOP, bypass_csp=bypass_csp)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        yield Recorder(page)
    finally:
        context.close()
