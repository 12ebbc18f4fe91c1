"""`POST /api/v1/articles/` end to end through the fetcher: a URL served by a local HTTP server becomes a ready
article; bad input answers 400 naming the problem and stores nothing — so does a URL whose refusal is known before
fetching (scheme, credentials, a literal non-public address or localhost, port), with the real reason; what only
fetching finds out (a name resolving inside, a redirect there, HTTP errors) ends the article `failed` with a
readable reason, without a single connection attempt to a refused address.

Tasks run in-process after commit (the unit tests' eager setting), so the answer already shows the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

from claims.ingest import fetch as fetch_module
from claims.models import Article, AuditEvent
from claims.services import MAX_INPUT_CHARS
from tests.ingest.httpserver import LocalServer, local_server  # noqa: F401 - pytest fixture
from tests.ingest.pages import article_html, first_sentence

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/articles/"


@pytest.fixture
def editor(transactional_db: Any) -> User:
    """conftest's editor, but the group is made here: transactional tests flush what the data migration made."""
    user = User.objects.create_user("ed", "ed@example.org", "ed-password-123")
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    return user


def post(client: APIClient, body: Any) -> Any:
    return client.post(URL, body, format="json")


def post_raw(client: APIClient, data: bytes) -> Any:
    return client.post(URL, data, content_type="application/json")


def assert_nothing_stored() -> None:
    assert Article.objects.count() == 0
    assert not AuditEvent.objects.filter(entity="article").exists()


# --- what goes in ---------------------------------------------------------------------------------------------


def test_a_url_is_fetched_and_becomes_ready(
    editor_client: APIClient,
    local_server: LocalServer,  # noqa: F811
    settings: Any,
) -> None:
    settings.INGEST_FETCH_POLICY = local_server.policy()
    local_server.route("/2025/ferry", body=article_html("ferry").encode())

    answer = post(editor_client, {"url": local_server.url("/2025/ferry?utm_medium=social#top")})

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "ready", body["error"]
    assert body["url"] == local_server.url("/2025/ferry")
    assert body["title"] == "Island ferry timetable cut as fuel costs climb"
    assert body["source"] == "url"
    assert first_sentence("ferry") in body["text"]
    assert "newsdesk@coastpost.example" not in body["text"]
    fetched = editor_client.get(f"{URL}{body['id']}/").json()
    assert fetched["status"] == "ready" and fetched["text"] == body["text"]
    # The canonical URL is what is stored and fetched: no tracking parameter, no fragment.
    assert [r.path for r in local_server.requests] == ["/2025/ferry"]

    again = post(editor_client, {"url": local_server.url("/2025/ferry")})
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert len(local_server.requests) == 1  # known URL: answered from the database


def test_html_is_extracted(editor_client: APIClient) -> None:
    answer = post(
        editor_client, {"html": article_html("orchard"), "outlet": "Valley Times", "published_at": "2025-04-20"}
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "ready", body["error"]
    assert body["outlet"] == "Valley Times"
    assert body["published_at"].startswith("2025-04-20")
    assert body["text"].startswith("Frost wipes out half of the valley's cherry harvest\n\n")
    assert first_sentence("orchard") in body["text"]
    assert "Popular News" not in body["text"]


def test_a_url_whose_page_fails_ends_failed_with_the_reason(
    editor_client: APIClient,
    local_server: LocalServer,  # noqa: F811
    settings: Any,
) -> None:
    settings.INGEST_FETCH_POLICY = local_server.policy()
    local_server.route("/pdf", headers={"Content-Type": "application/pdf"}, body=b"%PDF-1.7")
    local_server.route(
        "/latin",
        headers={"Content-Type": "text/html; charset=utf-8"},
        body="<p>Caf\xe9 prices rose by 12 percent</p>".encode("latin-1"),
    )
    local_server.route("/huge", body=b"<p>" + b"Forty new buses. " * (5 * 1024 * 1024 // 17 + 1) + b"</p>")
    local_server.route("/gone", status=410, headers={"Content-Type": "text/plain"}, body=b"gone")
    cases = {
        "/gone": "could not fetch the page: HTTP 410",
        "/pdf": "could not fetch the page: content type application/pdf is not accepted",
        "/huge": "could not fetch the page: page larger than 5 MB",
        "/latin": "the page declares the charset utf-8, but its bytes are not valid utf-8 (at byte 6)",
    }
    for path, reason in cases.items():
        body = post(editor_client, {"url": local_server.url(path)}).json()
        assert (body["status"], body["error"], body["text"]) == ("failed", reason, ""), path


def test_a_public_looking_url_that_redirects_inside_is_refused(
    editor_client: APIClient,
    local_server: LocalServer,  # noqa: F811
    settings: Any,
) -> None:
    # The local server itself is allowed; the metadata address it points to is not.
    settings.INGEST_FETCH_POLICY = local_server.policy(allowed_ports=frozenset({80, 443, local_server.port}))
    local_server.redirect("/story", "http://169.254.169.254/latest/meta-data/")
    body = post(editor_client, {"url": local_server.url("/story")}).json()
    assert body["status"] == "failed"
    assert body["error"] == ("could not fetch the page: refused: address 169.254.169.254 is a link-local address")
    assert body["text"] == ""


# --- bad input: 400 naming the problem, nothing stored ----------------------------------------------------------


def test_invalid_utf8_in_the_body_is_refused(editor_client: APIClient) -> None:
    answer = post_raw(editor_client, b'{"html": "<p>Caf\xe9 prices rose by 12 percent</p>"}')
    assert answer.status_code == 400
    assert "utf-8" in answer.json()["detail"].lower()
    assert_nothing_stored()


def test_unpaired_surrogates_are_refused(editor_client: APIClient) -> None:
    # Valid JSON whose string is not valid Unicode text: "\udcff" is half of a UTF-16 pair.
    answer = post_raw(editor_client, b'{"html": "<p>Prices rose by 12 percent \\udcff</p>"}')
    assert answer.status_code == 400
    assert list(answer.json()) == ["html"]
    assert answer.json()["html"] == ["Surrogate characters are not allowed: U+DCFF."]
    assert_nothing_stored()


def test_a_body_over_the_size_limit_is_refused(editor_client: APIClient) -> None:
    html = "<p>" + "Twelve homes were approved. " * (MAX_INPUT_CHARS // 28 + 1) + "</p>"
    answer = post(editor_client, {"html": html})
    assert answer.status_code == 400
    assert answer.json() == {"html": [f"is too large ({len(html)} characters; at most {MAX_INPUT_CHARS})"]}
    assert_nothing_stored()


def test_a_request_over_the_upload_limit_is_refused(editor_client: APIClient, settings: Any) -> None:
    html = "<p>" + "Twelve homes were approved. " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 28 + 1) + "</p>"
    answer = post(editor_client, {"html": html})
    assert answer.status_code == 413  # refused before the body is parsed; the answer says why
    assert "larger than" in answer.json()["detail"]
    assert_nothing_stored()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"url": "https://editor:s3cret@news.example/a"}, "url", "URLs with user names or passwords are refused"),
        ({"url": "https://news.example:8443/a"}, "url", "port 8443 is not allowed"),
        ({"url": "http://news.example:22/a"}, "url", "port 22 is not allowed"),
        ({"url": "file:///etc/passwd"}, "url", "only http and https URLs are accepted"),
        ({"url": "gopher://news.example/a"}, "url", "only http and https URLs are accepted"),
        ({"html": ""}, "html", "is empty"),
        ({"html": "<p>a</p>\x00\x00binary"}, "html", "Null characters are not allowed"),
        ({"text": "x" + "\x01\x02\x03" * 10}, "text", "contains control characters"),
        ({"text": "some text", "html": "<p>some html</p>"}, "html", "send exactly one of text, html or url"),
        ({"url": "https://news.example/a", "title": "Mine"}, "url", "a URL alone is fetched"),
        ({"html": "<p>x</p>", "author": "me"}, "author", "unknown field"),
    ],
)
def test_bad_input_answers_400_naming_the_field(
    editor_client: APIClient, body: dict[str, Any], field: str, message: str
) -> None:
    answer = post(editor_client, body)
    assert answer.status_code == 400, answer.json()
    assert message in " ".join(answer.json()[field])
    assert_nothing_stored()


# --- the refusal matrix ---------------------------------------------------------------------------------------
# Known from the URL alone: 400 naming `url` with the real reason, nothing stored, nothing contacted.


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "address 127.0.0.1 is a loopback address"),
        ("http://127.0.0.1:8123/", "address 127.0.0.1 is a loopback address"),  # the address, not the port
        ("http://127.8.9.10:443/", "address 127.8.9.10 is a loopback address"),
        ("http://10.1.2.3/", "address 10.1.2.3 is a private address"),
        ("http://10.1.2.3:22/", "address 10.1.2.3 is a private address"),
        ("http://172.16.0.1/", "address 172.16.0.1 is a private address"),
        ("http://192.168.0.10/", "address 192.168.0.10 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "address 169.254.169.254 is a link-local address"),
        ("http://169.254.169.254:8080/", "address 169.254.169.254 is a link-local address"),
        ("http://100.64.0.1/", "address 100.64.0.1 is a shared (carrier-grade NAT) address"),
        ("http://0.0.0.0/", "address 0.0.0.0 is a unspecified address"),
        ("http://224.0.0.1/", "address 224.0.0.1 is a multicast address"),
        ("http://[::1]/", "address ::1 is a loopback address"),
        ("http://[::1]:8443/", "address ::1 is a loopback address"),
        ("http://[fe80::1]/", "address fe80::1 is a link-local address"),
        ("http://[fd00::5]/", "address fd00::5 is a private address"),
        ("http://[::ffff:127.0.0.1]/", "embeds 127.0.0.1, which is a loopback address"),
        ("http://[::ffff:a9fe:a9fe]/", "embeds 169.254.169.254, which is a link-local address"),
        ("http://2130706433/", "address 127.0.0.1 is a loopback address"),  # decimal
        ("http://0x7f000001/", "address 127.0.0.1 is a loopback address"),  # hexadecimal
        ("http://0177.0.0.1/", "address 127.0.0.1 is a loopback address"),  # octal
        ("http://012.0.0.1/", "address 10.0.0.1 is a private address"),  # octal first part
        ("http://127.1/", "address 127.0.0.1 is a loopback address"),  # short form
        ("http://localhost/", "localhost resolves to a loopback address"),
        ("http://localhost:8123/", "localhost resolves to a loopback address"),
        ("ftp://127.0.0.1:8123/", "only http and https URLs are accepted"),
        ("http://news.example:8123/", "port 8123 is not allowed"),
    ],
)
def test_urls_refused_before_fetching_answer_400_and_store_nothing(
    editor_client: APIClient, connections: list[Any], url: str, reason: str
) -> None:
    answer = post(editor_client, {"url": url})
    assert answer.status_code == 400, answer.json()
    body = answer.json()
    assert list(body) == ["url"]
    assert reason in body["url"][0], body
    assert_nothing_stored()
    assert connections == []


def test_a_refused_url_recorded_with_pasted_text_is_refused_too(editor_client: APIClient) -> None:
    # The URL is not fetched now, but a later refetch would fetch it: refuse it here, with the reason.
    answer = post(
        editor_client,
        {"text": "The council approved 40 new homes on Tuesday.", "url": "http://192.168.0.10:8080/homes"},
    )
    assert answer.status_code == 400
    assert answer.json() == {"url": ["address 192.168.0.10 is a private address"]}
    assert_nothing_stored()


def test_a_bad_outlet_is_refused_even_when_the_text_was_sent_before(editor_client: APIClient) -> None:
    # The same text a second time returns the article already stored (200); the name sent with it is still checked,
    # and a bad one is a 400 naming it, not passed over in silence.
    text = "The council approved 40 new homes on Tuesday, the mayor said."
    first = post(editor_client, {"text": text, "outlet": "Valley Times"})
    assert first.status_code == 201
    again = post(editor_client, {"text": text, "outlet": "Valley Times"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    for outlet in ("=", "-- !"):
        answer = post(editor_client, {"text": text, "outlet": outlet})
        assert answer.status_code == 400, outlet
        assert answer.json() == {"outlet": ["must contain letters or digits"]}
    assert Article.objects.count() == 1


# Only known by fetching: stored, then failed with the reason, never contacted.


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        (["127.0.0.1"], "intranet.news.example resolves to 127.0.0.1, which is a loopback address"),
        (["10.9.8.7"], "intranet.news.example resolves to 10.9.8.7, which is a private address"),
        (
            ["93.184.215.14", "169.254.169.254"],
            "intranet.news.example resolves to 169.254.169.254, which is a link-local address",
        ),
    ],
)
def test_a_name_that_resolves_inside_ends_failed_and_is_never_contacted(
    editor_client: APIClient,
    connections: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    answers: list[str],
    reason: str,
) -> None:
    looked_up: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        looked_up.append(host)
        return answers

    monkeypatch.setattr(fetch_module, "_resolve", resolve)
    answer = post(editor_client, {"url": "http://intranet.news.example/story"})
    assert answer.status_code in (201, 202), answer.json()
    body = answer.json()
    assert body["status"] == "failed"
    assert body["error"] == f"could not fetch the page: refused: {reason}"
    assert body["text"] == "" and body["title"] == ""
    assert looked_up == ["intranet.news.example"]
    assert connections == []
    article = Article.objects.get()
    assert (article.status, article.raw, article.content_hash) == ("failed", "", "")
    assert editor_client.get(f"{URL}{article.pk}/").json()["error"] == body["error"]
