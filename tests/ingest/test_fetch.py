from __future__ import annotations

import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any

import pytest

from claims.ingest import fetch as fetch_module
from claims.ingest.fetch import FetchError, FetchPolicy, address_problem, fetch
from tests.ingest.httpserver import LocalServer, local_server  # noqa: F401 - pytest fixture

HTML = b"<html><head><title>t</title></head><body><p>Council approved 12 homes.</p></body></html>"


class Resolver:
    """An injected resolver that records what it was asked."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: list[tuple[str, int]] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append((host, port))
        return self.table[host]


# --- against the local server ---------------------------------------------------------------


def test_fetches_html(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/a", body=HTML, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    page = fetch(local_server.url("/a?x=1"), policy=local_server.policy())
    assert page.status == 200
    assert page.body == HTML
    assert page.content_type == "text/html"
    assert page.charset == "iso-8859-1"
    assert page.url == local_server.url("/a?x=1")
    (request,) = local_server.requests
    assert request.path == "/a?x=1"
    assert request.headers["User-Agent"] == "ClaimTracker/0.1 (+newsroom fetcher)"
    assert request.headers["Host"] == f"127.0.0.1:{local_server.port}"


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/xhtml+xml", "application/xhtml+xml"),
        ("text/plain", "text/plain"),
        ("application/rss+xml; charset=utf-8", "application/rss+xml"),
        ("TEXT/HTML; Charset=UTF-8", "text/html"),
    ],
)
def test_accepts_page_and_feed_types(local_server: LocalServer, content_type: str, expected: str) -> None:  # noqa: F811
    local_server.route("/", body=b"x", headers={"Content-Type": content_type})
    assert fetch(local_server.url(), policy=local_server.policy()).content_type == expected


def test_unknown_charset_is_dropped(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/", body=b"x", headers={"Content-Type": "text/html; charset=klingon-8"})
    assert fetch(local_server.url(), policy=local_server.policy()).charset is None


def test_follows_relative_and_absolute_redirects(local_server: LocalServer) -> None:  # noqa: F811
    local_server.redirect("/1", "/2", status=301)
    local_server.redirect("/2", local_server.url("/3"), status=302)
    local_server.redirect("/3", "4", status=303)
    local_server.redirect("/4", f"//127.0.0.1:{local_server.port}/5", status=307)
    local_server.redirect("/5", "/end", status=308)
    local_server.route("/end", body=HTML)
    page = fetch(local_server.url("/1"), policy=local_server.policy())
    assert page.url == local_server.url("/end")
    assert page.body == HTML
    assert [r.path for r in local_server.requests] == ["/1", "/2", "/3", "/4", "/5", "/end"]


def test_sixth_redirect_is_refused(local_server: LocalServer) -> None:  # noqa: F811
    for n in range(6):
        local_server.redirect(f"/{n}", f"/{n + 1}")
    local_server.route("/6", body=HTML)
    with pytest.raises(FetchError, match=r"too many redirects \(more than 5\)") as caught:
        fetch(local_server.url("/0"), policy=local_server.policy())
    assert not caught.value.transient
    assert "/6" not in [r.path for r in local_server.requests]


def test_redirect_without_location_is_refused(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/", status=302, headers={})
    with pytest.raises(FetchError, match="without a Location"):
        fetch(local_server.url(), policy=local_server.policy())


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.0.0.5/", "10.0.0.5 is a private address"),
        ("http://[::ffff:10.0.0.5]/", "embeds 10.0.0.5, which is a private address"),
        ("http://0xa9fea9fe/", "169.254.169.254 is a link-local address"),
        ("http://metadata.internal/", "metadata.internal resolves to 169.254.169.254"),
    ],
)
def test_redirect_to_a_private_address_is_refused(
    local_server: LocalServer,  # noqa: F811
    target: str,
    problem: str,
) -> None:
    local_server.redirect("/", target)
    resolver = Resolver({"metadata.internal": ["169.254.169.254"]})
    opened: list[str] = []
    real_open = fetch_module._open_socket

    def spy(address: str, port: int, timeout: float) -> socket.socket:
        opened.append(address)
        return real_open(address, port, timeout)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fetch_module, "_open_socket", spy)
        # Port 80 allowed too, so the refusal is about the address and nothing else.
        policy = local_server.policy(allowed_ports=frozenset({local_server.port, 80}))
        with pytest.raises(FetchError, match=problem) as caught:
            fetch(local_server.url(), policy=policy, resolve=resolver)
    assert not caught.value.transient
    assert opened == ["127.0.0.1"]  # the first hop only


def test_size_cap_while_streaming(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/", chunks=[b"a" * 400] * 5)
    with pytest.raises(FetchError, match="page larger than 1000 bytes") as caught:
        fetch(local_server.url(), policy=local_server.policy(max_bytes=1000))
    assert not caught.value.transient


def test_size_cap_chunked(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/", chunks=[b"a" * 400] * 5, chunked=True)
    with pytest.raises(FetchError, match="page larger than 1000 bytes"):
        fetch(local_server.url(), policy=local_server.policy(max_bytes=1000))
    local_server.route("/ok", chunks=[b"<p>", b"hi", b"</p>"], chunked=True)
    assert fetch(local_server.url("/ok"), policy=local_server.policy()).body == b"<p>hi</p>"


def test_size_cap_by_content_length_before_reading(local_server: LocalServer) -> None:  # noqa: F811
    # The header claims 2 MB; the body is never sent, so only the header can trigger this.
    local_server.route("/", chunks=[], content_length=2 * 1024 * 1024)
    started = time.monotonic()
    with pytest.raises(FetchError, match="page larger than 1 MB"):
        fetch(local_server.url(), policy=local_server.policy(max_bytes=1024 * 1024, timeout=5))
    assert time.monotonic() - started < 2


def test_default_limit_is_named_in_megabytes(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/", chunks=[], content_length=6 * 1024 * 1024)
    with pytest.raises(FetchError, match="page larger than 5 MB"):
        fetch(local_server.url(), policy=local_server.policy())


def test_body_shorter_than_content_length_is_transient(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/", chunks=[b"abc"], content_length=100)
    with pytest.raises(FetchError, match="before the whole page arrived") as caught:
        fetch(local_server.url(), policy=local_server.policy())
    assert caught.value.transient


def test_total_timeout_with_a_dribbling_server(local_server: LocalServer) -> None:  # noqa: F811
    # Each byte arrives well within any per-read timeout; only a total deadline stops this.
    local_server.route("/", chunks=[b"x"] * 40, delay=0.1)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out after 1 s") as caught:
        fetch(local_server.url(), policy=local_server.policy(timeout=1.0))
    elapsed = time.monotonic() - started
    assert caught.value.transient
    assert 0.9 < elapsed < 2.0


def test_timeout_when_the_response_never_comes() -> None:
    with socket.socket() as listener:  # accepts into the backlog, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        policy = FetchPolicy(timeout=0.5, allow_networks=("127.0.0.1/32",), allowed_ports=frozenset({port}))
        started = time.monotonic()
        with pytest.raises(FetchError, match="timed out") as caught:
            fetch(f"http://127.0.0.1:{port}/", policy=policy)
    assert caught.value.transient
    assert time.monotonic() - started < 1.5


def test_connection_refused_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    policy = FetchPolicy(allow_networks=("127.0.0.1/32",), allowed_ports=frozenset({port}))
    with pytest.raises(FetchError, match="connection failed") as caught:
        fetch(f"http://127.0.0.1:{port}/", policy=policy)
    assert caught.value.transient


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", "application/pdf"])
def test_refuses_other_content_types(local_server: LocalServer, content_type: str) -> None:  # noqa: F811
    local_server.route("/", body=b"\x89PNG", headers={"Content-Type": content_type})
    with pytest.raises(FetchError, match=f"content type {content_type} is not accepted") as caught:
        fetch(local_server.url(), policy=local_server.policy())
    assert not caught.value.transient


def test_refuses_a_response_without_content_type(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/", body=HTML, headers={})
    with pytest.raises(FetchError, match="no Content-Type"):
        fetch(local_server.url(), policy=local_server.policy())


@pytest.mark.parametrize(
    ("status", "transient"),
    [
        (404, False),
        (410, False),
        (403, False),
        (500, False),
        (408, True),
        (429, True),
        (502, True),
        (503, True),
        (504, True),
    ],
)
def test_error_statuses(local_server: LocalServer, status: int, transient: bool) -> None:  # noqa: F811
    local_server.route("/", status=status, body=b"nope")
    with pytest.raises(FetchError, match=f"HTTP {status}") as caught:
        fetch(local_server.url(), policy=local_server.policy())
    assert caught.value.transient is transient


# --- compressed bodies ------------------------------------------------------------------------


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", _raw_deflate),
        ("gzip", lambda data: gzip.compress(data[:20]) + gzip.compress(data[20:])),
    ],
)
def test_decodes_compressed_bodies(local_server: LocalServer, encoding: str, encode: Any) -> None:  # noqa: F811
    local_server.route("/", body=encode(HTML), headers={"Content-Type": "text/html", "Content-Encoding": encoding})
    assert fetch(local_server.url(), policy=local_server.policy()).body == HTML
    assert local_server.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


def test_compression_bomb_is_capped_on_decoded_size(local_server: LocalServer) -> None:  # noqa: F811
    bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))
    assert len(bomb) < 100_000
    local_server.route("/", body=bomb, headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="page larger than 1 MB"):
        fetch(local_server.url(), policy=local_server.policy(max_bytes=1024 * 1024))


def test_refuses_unsupported_and_corrupt_encodings(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/br", body=b"xx", headers={"Content-Type": "text/html", "Content-Encoding": "br"})
    local_server.route("/bad", body=b"not gzip", headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
    local_server.route(
        "/cut",
        body=gzip.compress(HTML)[:-12],
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
    )
    with pytest.raises(FetchError, match="content encoding br is not supported"):
        fetch(local_server.url("/br"), policy=local_server.policy())
    with pytest.raises(FetchError, match="corrupt gzip body"):
        fetch(local_server.url("/bad"), policy=local_server.policy())
    with pytest.raises(FetchError, match="gzip body is truncated"):
        fetch(local_server.url("/cut"), policy=local_server.policy())


# --- the address policy, with the default policy --------------------------------------------


def test_loopback_server_refused_without_the_test_exemption(local_server: LocalServer) -> None:  # noqa: F811
    local_server.route("/", body=HTML)
    policy = FetchPolicy(allowed_ports=frozenset({local_server.port}))  # port fine, address not
    with pytest.raises(FetchError, match=r"127.0.0.1 is a loopback address") as caught:
        fetch(local_server.url(), policy=policy)
    assert not caught.value.transient
    assert local_server.requests == []


def test_localhost_refused(connections: list[Any]) -> None:
    with pytest.raises(FetchError, match=r"localhost resolves to .* loopback address"):
        fetch("http://localhost/")
    assert connections == []


def test_name_resolving_to_loopback_refused(connections: list[Any]) -> None:
    resolver = Resolver({"news.example.com": ["127.0.0.1"]})
    with pytest.raises(FetchError, match=r"news.example.com resolves to 127.0.0.1, which is a loopback"):
        fetch("https://news.example.com/story", resolve=resolver)
    assert resolver.calls == [("news.example.com", 443)]
    assert connections == []


def test_any_private_answer_refuses_the_name(connections: list[Any]) -> None:
    resolver = Resolver({"news.example.com": ["93.184.215.14", "10.1.2.3"]})
    with pytest.raises(FetchError, match=r"resolves to 10.1.2.3, which is a private address"):
        fetch("http://news.example.com/", resolve=resolver)
    assert connections == []


LITERAL_SPELLINGS = [
    ("127.0.0.1", "loopback"),
    ("2130706433", "loopback"),
    ("0177.0.0.1", "loopback"),
    ("0x7f.0.0.1", "loopback"),
    ("0x7f.1", "loopback"),
    ("127.1", "loopback"),
    ("０x7f.1", "loopback"),
    ("[::1]", "loopback"),
    ("[::ffff:127.0.0.1]", "embeds 127.0.0.1, which is a loopback"),
    ("[::ffff:7f00:1]", "embeds 127.0.0.1, which is a loopback"),
    ("[64:ff9b::7f00:1]", "embeds 127.0.0.1, which is a loopback"),
    ("[2002:a00:1::1]", "embeds 10.0.0.1, which is a private"),
    ("[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "Teredo"),
    ("[::7f00:1]", "reserved"),
    ("0.0.0.0", "unspecified"),
    ("0", "unspecified"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("192.0.2.1", "private"),
    ("169.254.169.254", "link-local"),
    ("100.64.0.1", "shared"),
    ("224.0.0.1", "multicast"),
    ("240.0.0.1", "private|reserved"),
    ("255.255.255.255", "private|reserved"),
    ("[fe80::1]", "link-local"),
    ("[fc00::1]", "private"),
    ("[ff02::1]", "multicast"),
    ("[::]", "unspecified"),
]


@pytest.mark.parametrize(("host", "problem"), LITERAL_SPELLINGS)
def test_literal_private_hosts_refused_without_connecting(
    host: str, problem: str, connections: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Resolver({})
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    with pytest.raises(FetchError, match=rf"refused: address .*({problem})") as caught:
        fetch(f"http://{host}/", resolve=resolver)
    assert not caught.value.transient
    assert resolver.calls == []
    assert connections == []


def _no_dns(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"unexpected DNS lookup {args}")


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "93.184.215.14", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"],
)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(ipaddress.ip_address(address)) is None


def test_refusals_name_the_problem_for_bad_urls(connections: list[Any]) -> None:
    cases = {
        "ftp://example.com/": "only http and https URLs are accepted",
        "http://user:pw@example.com/": "URLs with user names or passwords are refused",
        "http://example.com:22/": "port 22 is not allowed",
    }
    for url, message in cases.items():
        with pytest.raises(FetchError, match=message) as caught:
            fetch(url, resolve=Resolver({}))
        assert not caught.value.transient
    assert connections == []


def test_dns_failures() -> None:
    def failing(errno: int) -> Any:
        def resolve(host: str, port: int) -> list[str]:
            raise socket.gaierror(errno, "test failure")

        return resolve

    with pytest.raises(FetchError, match=r"could not resolve news.example.com") as caught:
        fetch("http://news.example.com/", resolve=failing(socket.EAI_NONAME))
    assert not caught.value.transient
    with pytest.raises(FetchError, match="could not resolve") as caught:
        fetch("http://news.example.com/", resolve=failing(socket.EAI_AGAIN))
    assert caught.value.transient
    with pytest.raises(FetchError, match="no addresses"):
        fetch("http://news.example.com/", resolve=Resolver({"news.example.com": []}))


# --- we connect to the address we checked ----------------------------------------------------


def test_connects_to_the_vetted_address_without_a_second_lookup(
    local_server: LocalServer,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    local_server.route("/story", body=HTML)
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    resolver = Resolver({"news.example.com": ["127.0.0.1"]})
    page = fetch(f"http://news.example.com:{local_server.port}/story", policy=local_server.policy(), resolve=resolver)
    assert page.body == HTML
    assert resolver.calls == [("news.example.com", local_server.port)]
    assert local_server.requests[0].headers["Host"] == f"news.example.com:{local_server.port}"


def test_rebinding_answer_is_not_asked_for_twice(local_server: LocalServer) -> None:  # noqa: F811
    """A resolver that answers safely once, then privately, only ever gets asked once per hop."""
    local_server.redirect("/", "/page")
    local_server.route("/page", body=HTML)
    answers = iter([["127.0.0.1"], ["127.0.0.1"], ["10.0.0.5"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    page = fetch(f"http://news.example.com:{local_server.port}/", policy=local_server.policy(), resolve=rebinding)
    assert page.body == HTML
    assert calls == ["news.example.com", "news.example.com"]  # one per hop


def test_public_address_is_dialled_as_resolved(monkeypatch: pytest.MonkeyPatch) -> None:
    dialled: list[tuple[str, int]] = []

    def fake_open(address: str, port: int, timeout: float) -> socket.socket:
        dialled.append((address, port))
        assert 0 < timeout <= 10
        raise ConnectionRefusedError("test: not really dialling")

    monkeypatch.setattr(fetch_module, "_open_socket", fake_open)
    resolver = Resolver({"news.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]})
    with pytest.raises(FetchError, match="connection failed") as caught:
        fetch("http://news.example.com/", resolve=resolver)
    assert caught.value.transient
    # Both vetted addresses tried, in the resolver's order, and nothing else.
    assert dialled == [("93.184.215.14", 80), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", 80)]


def test_https_verifies_the_name_not_the_address(monkeypatch: pytest.MonkeyPatch) -> None:
    wrapped: list[str | None] = []
    dialled: list[tuple[str, int]] = []

    class FakeContext:
        def wrap_socket(self, sock: socket.socket, server_hostname: str | None = None) -> Any:
            wrapped.append(server_hostname)
            raise ssl.SSLCertVerificationError("test: certificate does not match")

    def fake_open(address: str, port: int, timeout: float) -> socket.socket:
        dialled.append((address, port))
        return socket.socket()  # never connected; the fake TLS layer fails first

    monkeypatch.setattr(fetch_module, "_open_socket", fake_open)
    monkeypatch.setattr(fetch_module, "_tls_context", FakeContext)
    resolver = Resolver({"news.example.com": ["93.184.215.14"]})
    with pytest.raises(FetchError, match="TLS certificate rejected") as caught:
        fetch("https://news.example.com/story", resolve=resolver)
    assert not caught.value.transient
    assert dialled == [("93.184.215.14", 443)]
    assert wrapped == ["news.example.com"]


@pytest.fixture
def tls_files(tmp_path: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate for news.example.com."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=news.example.com",
         "-addext", "subjectAltName=DNS:news.example.com"],
        check=True, capture_output=True, timeout=20,
    )  # fmt: skip
    return cert, key


def test_https_end_to_end_against_the_vetted_address(
    tls_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = tls_files
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    client_context = ssl.create_default_context(cafile=str(cert))  # trust only the test certificate
    monkeypatch.setattr(fetch_module, "_tls_context", lambda: client_context)
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    resolver = Resolver({"news.example.com": ["127.0.0.1"], "evil.example.net": ["127.0.0.1"]})
    with LocalServer(ssl_context=server_context) as server:
        server.route("/story", body=HTML)
        page = fetch(
            server.url("/story", scheme="https", host="news.example.com"),
            policy=server.policy(),
            resolve=resolver,
        )
        assert page.body == HTML
        assert server.requests[0].headers["Host"] == f"news.example.com:{server.port}"
        # Same address, other name: the certificate is checked against the name we asked for.
        with pytest.raises(FetchError, match="TLS certificate rejected") as caught:
            fetch(
                server.url("/story", scheme="https", host="evil.example.net"),
                policy=server.policy(),
                resolve=resolver,
            )
        assert not caught.value.transient


def test_real_tls_context_checks_names() -> None:
    context = fetch_module._tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


def test_policy_rejects_bad_settings() -> None:
    with pytest.raises(ValueError):
        FetchPolicy(allow_networks=("not-a-network",))
    with pytest.raises(ValueError):
        FetchPolicy(timeout=0)
