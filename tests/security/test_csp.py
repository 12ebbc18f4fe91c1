"""The Content-Security-Policy: sent on every HTML page, and no page of the site breaks it (checked in Chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from playwright.sync_api import Browser

from claims import services
from tests.factories import make_article, make_claim
from tests.security.browser_csp import recording_page
from tests.web.browser import sign_in
from tracker.middleware import POLICY, policy_for

PASSWORD = "sec-password-123"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _directives(header: str) -> dict[str, str]:
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_policy_forbids_inline_code_and_framing() -> None:
    directives = _directives(POLICY)
    assert directives["script-src"] == "script-src 'self'"
    assert directives["style-src"] == "style-src 'self'"
    assert directives["object-src"] == "object-src 'none'"
    assert directives["frame-ancestors"] == "frame-ancestors 'none'"
    assert directives["base-uri"] == "base-uri 'none'"


def test_the_api_pages_relax_styles_only() -> None:
    assert policy_for("/editor/articles/1/") == POLICY
    assert policy_for("/admin/login/") == POLICY
    relaxed = _directives(policy_for("/api/docs/"))
    assert relaxed["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert relaxed["script-src"] == "script-src 'self'"
    assert {k: v for k, v in relaxed.items() if k != "style-src"} == {
        k: v for k, v in _directives(POLICY).items() if k != "style-src"
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/login/", "/api/docs/", "/api/v1/articles/"])
def test_html_pages_carry_the_policy_and_the_other_headers(client: Client, path: str) -> None:
    answer = client.get(path, HTTP_ACCEPT="text/html")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in answer["Content-Security-Policy"]
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Referrer-Policy"] == "same-origin"
    assert answer["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_json_answers_carry_no_policy(client: Client) -> None:
    answer = client.get("/api/v1/articles/", HTTP_ACCEPT="application/json")
    assert answer["Content-Type"].startswith("application/json")
    assert "Content-Security-Policy" not in answer


@pytest.fixture
def people(transactional_db: Any) -> dict[str, User]:
    group, _ = Group.objects.get_or_create(name="editor")
    group.permissions.set(Permission.objects.filter(content_type__app_label="claims"))
    editor = User.objects.create_user("csp-editor", "e@example.org", PASSWORD)
    editor.groups.add(group)
    admin = User.objects.create_superuser("csp-admin", "a@example.org", PASSWORD)
    return {"editor": editor, "admin": admin}


@pytest.mark.browser
def test_no_page_violates_the_policy_in_chromium(
    chromium_browser: Browser, live_server: Any, people: dict[str, User]
) -> None:
    article = make_article(title="Harbour strike enters second week")
    claim = make_claim(article, "about 2,500 workers")
    services.subject_get_or_create(name="Port workers on strike")
    visits: dict[str, list[str]] = {}

    def visit(recorder: Any, path: str, ready: str) -> None:
        recorder.page.goto(path)
        recorder.page.wait_for_selector(ready)
        recorder.page.wait_for_load_state("networkidle")
        visits[path] = recorder.violations() + recorder.errors + recorder.dialogs
        recorder.console.clear()
        recorder.errors.clear()

    with recording_page(chromium_browser, live_server.url) as anonymous:
        visit(anonymous, "/", "main")
        # The detector works: an inline script slipped into the page is blocked and reported.
        anonymous.page.evaluate("""() => { const s = document.createElement('script');
                                           s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }""")
        assert anonymous.page.evaluate("typeof window.__ran") == "undefined"
        assert any("script-src" in found for found in anonymous.violations())
        anonymous.page.evaluate("window.__cspViolations.length = 0")
        anonymous.console.clear()
        visit(anonymous, f"/articles/{article.pk}/", "main")
        visit(anonymous, f"/claims/{claim.pk}/", "main")
        visit(anonymous, "/admin/login/", "#login-form")
        # Swagger UI is built by its script from the schema: the operations only appear if the script ran.
        visit(anonymous, "/api/docs/", ".opblock")
        visit(anonymous, "/api/v1/claims/", ".response-info")  # DRF's browsable API
    with recording_page(chromium_browser, live_server.url) as editor:
        sign_in(editor.page, "csp-editor", PASSWORD, next_path="/editor/")
        visit(editor, "/editor/", "main")
        visit(editor, f"/editor/articles/{article.pk}/", "#article-text[data-ready='true']")
    with recording_page(chromium_browser, live_server.url) as admin:
        sign_in(admin.page, "csp-admin", PASSWORD, next_path="/admin/")
        visit(admin, "/admin/", "#content-main")
        visit(admin, f"/admin/claims/claim/{claim.pk}/change/", "#claim_form")
        visit(admin, "/admin/claims/article/", "#changelist")
        # Articles are not added in the admin (they come through intake): its change form has the same widgets.
        visit(admin, f"/admin/claims/article/{claim.article_id}/change/", "#article_form")
    broken = {path: found for path, found in visits.items() if found}
    assert not broken, "\n".join(f"{path}: {found}" for path, found in broken.items())
