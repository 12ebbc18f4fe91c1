"""Malicious articles (tests/security/hostile/) go in through the API, as HTML and as text, and come out on the
article, claim, subject and annotation pages in Chromium: nothing they carry runs, nothing crashes.

The browser context has the Content-Security-Policy switched off (`bypass_csp`), so what is tested here is the
escaping itself; the policy is a second wall, tested in test_csp.py. Every payload tries to set `window.__pwned` or
open a dialog; the test listens for dialogs, reads the variable in every frame, and audits the DOM for anything
that could run later (event-handler attributes, foreign scripts, `javascript:` URLs, <base>, meta refresh).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Browser
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.models import Article, AuditEvent, Claim
from tests.security.browser_csp import recording_page
from tests.security.hostile.generated import GENERATED
from tests.web.browser import sign_in

HOSTILE = Path(__file__).resolve().parent / "hostile"
PASSWORD = "hostile-password-123"
CORPUS = sorted([p.name for p in HOSTILE.iterdir() if p.suffix in {".html", ".txt"}] + list(GENERATED))
# Metadata fields are input too: sent with the text, they end up in headings, lists and <title>.
HOSTILE_TITLE = "Harbour <script>window.__pwned='title'</script> report\"><img src=x onerror=alert('title')>"
HOSTILE_OUTLET = "Gazette <img src=x onerror=\"window.__pwned='outlet'\">"
HOSTILE_SUBJECT = "Port <svg onload=\"window.__pwned='subject'\"> budget"
HOSTILE_SPEAKER = "Mayor </title><script>alert('speaker')</script>"
PAGE_TIMEOUT_MS = 90_000

# Anything in the DOM that could run now or on a later click/hover/navigation.
AUDIT_DOM = """() => {
    const found = [];
    for (const el of document.querySelectorAll('*')) {
        for (const attr of el.attributes) {
            const value = attr.value.trim().toLowerCase().replace(/[\\s\\u0000-\\u001f]/g, '');
            if (attr.name.toLowerCase().startsWith('on')) found.push(`${el.tagName} ${attr.name}`);
            const url = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(attr.name.toLowerCase());
            const bad = ['javascript:', 'vbscript:', 'data:text/html'].some((scheme) => value.startsWith(scheme));
            if ((url && bad) || attr.name.toLowerCase() === 'srcdoc') {
                found.push(`${el.tagName} ${attr.name}=${attr.value.slice(0, 60)}`);
            }
        }
    }
    for (const script of document.scripts) {
        const data = script.type === 'application/json';
        const ours = script.src && new URL(script.src).origin === location.origin
                     && new URL(script.src).pathname.startsWith('/static/');
        if (!data && !ours) found.push(`script ${script.src || script.textContent.slice(0, 60)}`);
    }
    for (const el of document.querySelectorAll('base, meta[http-equiv], iframe, object, embed, frame, frameset')) {
        found.push(el.outerHTML.slice(0, 80));
    }
    return found;
}"""


def load(name: str) -> str:
    if name in GENERATED:
        return GENERATED[name]()
    # Invalid UTF-8 cannot travel in JSON; a client decoding it leniently sends U+FFFD, which is what we do.
    return (HOSTILE / name).read_bytes().decode("utf-8", errors="replace")


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor_user(transactional_db: Any) -> User:
    group, _ = Group.objects.get_or_create(name="editor")
    group.permissions.set(Permission.objects.filter(content_type__app_label="claims"))
    user = User.objects.create_user("hostile-editor", "h@example.org", PASSWORD)
    user.groups.add(group)
    return user


def api_for(user: User) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def counts() -> tuple[int, int, int]:
    return Article.objects.count(), Claim.objects.count(), AuditEvent.objects.count()


def ingest(api: APIClient, name: str, mode: str) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {mode: load(name)}
    if mode == "text":
        body.update(title=HOSTILE_TITLE, outlet=HOSTILE_OUTLET)
    answer = api.post("/api/v1/articles/", body, format="json")
    return answer.status_code, answer.json()


def tag_a_claim(api: APIClient, article: dict[str, Any]) -> dict[str, Any]:
    """A statement claim over a span of the text, starting at its first '<' when it has one, with hostile
    subject and speaker names."""
    text: str = article["text"]
    start = max(text.find("<"), 0)
    while start < len(text) and text[start].isspace():
        start += 1
    end = min(len(text), start + 80)
    while end > start and text[end - 1].isspace():
        end -= 1
    answer = api.post(
        "/api/v1/claims/",
        {
            "article": article["id"],
            "start": start,
            "end": end,
            "quote": text[start:end],
            "kind": "statement",
            "subject": HOSTILE_SUBJECT,
            "attribute": "<b onclick=alert(1)>claim</b>",
            "speaker": HOSTILE_SPEAKER,
            "polarity": "affirms",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content[:500]
    return answer.json()


def _optional(name: str, *args: Any) -> list[str]:
    try:
        return [reverse(name, args=args)]
    except NoReverseMatch:
        return []


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["html", "text"])
@pytest.mark.parametrize("name", CORPUS)
def test_hostile_article_is_stored_safely_and_rendered_inert(
    chromium_browser: Browser, live_server: Any, editor_user: User, name: str, mode: str
) -> None:
    api = api_for(editor_user)
    before = counts()
    status, article = ingest(api, name, mode)
    assert status < 500
    if status == 400:
        # Refused input: a readable reason under the field that carried it, and nothing stored.
        assert list(article) == [mode] and all(isinstance(m, str) and m for m in article[mode]), article
        assert counts() == before
        return
    assert status in (201, 202), article
    article = api.get(f"/api/v1/articles/{article['id']}/").json()
    assert article["status"] in ("ready", "failed"), article["status"]
    if article["status"] == "failed":
        assert len(article["error"]) > 10, "a failed ingestion must say why"

    paths = ["/", f"/articles/{article['id']}/", "/editor/", f"/editor/articles/{article['id']}/"]
    if article["status"] == "ready":
        claim = tag_a_claim(api, article)
        subject_id = Claim.objects.get(pk=claim["id"]).subject_id
        paths += [f"/claims/{claim['id']}/", *_optional("web:subject", subject_id)]

    with recording_page(chromium_browser, live_server.url, bypass_csp=True) as recorder:
        page = recorder.page
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        sign_in(page, editor_user.username, PASSWORD)
        problems: dict[str, list[str]] = {}
        for path in paths:
            response = page.goto(path, wait_until="load")
            assert response is not None and response.status < 500, (path, response and response.status)
            page.mouse.move(300, 300)
            page.mouse.move(600, 500)  # hover handlers, had any survived
            page.wait_for_timeout(100)
            pwned = [
                frame.evaluate("typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")
                for frame in page.frames
            ]
            found = [f"__pwned={value}" for value in pwned if value is not None]
            found += page.evaluate(AUDIT_DOM) + recorder.dialogs + recorder.errors
            if found:
                problems[path] = found
            recorder.dialogs.clear()
            recorder.errors.clear()
        assert not problems, problems


@pytest.mark.django_db
def test_invalid_utf8_bytes_are_refused_with_a_readable_error(editor_client: APIClient) -> None:
    raw = (HOSTILE / "invalid_utf8.html").read_bytes().replace(b'"', b"'").replace(b"\n", b" ")
    before = counts()
    answer = editor_client.post("/api/v1/articles/", b'{"html": "' + raw + b'"}', content_type="application/json")
    assert answer.status_code == 400
    assert "utf-8" in answer.json()["detail"].lower()
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["html", "text"])
def test_lone_surrogates_are_refused_naming_the_field(editor_client: APIClient, mode: str) -> None:
    body = '{"' + mode + '": "About 40 ships \\udcff docked \\ud800 on Monday."}'
    before = counts()
    answer = editor_client.post("/api/v1/articles/", body, content_type="application/json")
    assert answer.status_code == 400
    assert "urrogate" in answer.json()[mode][0]
    assert counts() == before


@pytest.mark.django_db
def test_input_over_the_size_limits_is_refused_naming_the_limit(editor_client: APIClient) -> None:
    before = counts()
    # Over the 2,000,000-character article limit, within the body limit: the field is named.
    answer = editor_client.post("/api/v1/articles/", {"text": "Ships docked. " * 200_000}, format="json")
    assert answer.status_code == 400
    assert "too large" in answer.json()["text"][0]
    # Over the request body limit: a JSON 413 (not Django's bare HTML 400).
    answer = editor_client.post("/api/v1/articles/", {"text": "Ships docked. " * 500_000}, format="json")
    assert answer.status_code == 413
    assert "MB" in answer.json()["detail"]
    assert counts() == before


def test_repetition_stores_a_bounded_number_of_suggestions(
    editor_client: APIClient, django_capture_on_commit_callbacks: Any
) -> None:
    """One sentence repeated 22,000 times would give 45,000 suggestions; the store keeps a bounded number."""
    from claims.services import MAX_SUGGESTIONS_PER_ARTICLE

    with django_capture_on_commit_callbacks(execute=True):
        answer = editor_client.post("/api/v1/articles/", {"text": GENERATED["repetition.txt"]()}, format="json")
    assert answer.status_code in (201, 202)
    article = Article.objects.get(pk=answer.json()["id"])
    assert article.status == Article.Status.READY
    assert 0 < Claim.objects.filter(article=article).count() <= MAX_SUGGESTIONS_PER_ARTICLE


@pytest.mark.browser
@pytest.mark.parametrize("name", ["script_tags.html", "event_handlers.html", "svg_payloads.html"])
def test_the_checks_catch_the_payloads_when_rendered_raw(
    chromium_browser: Browser, live_server: Any, name: str
) -> None:
    """The detectors themselves work: the same file put into a page unescaped sets __pwned or opens a dialog,
    and the DOM audit flags it."""
    with recording_page(chromium_browser, live_server.url, bypass_csp=True) as recorder:
        recorder.page.set_content(load(name), wait_until="load")
        recorder.page.mouse.move(100, 100)
        recorder.page.wait_for_timeout(300)
        pwned = recorder.page.evaluate("typeof window.__pwned === 'undefined' ? null : String(window.__pwned)")
        assert pwned is not None or recorder.dialogs
        assert recorder.page.evaluate(AUDIT_DOM)
