from __future__ import annotations

import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.ingest.fetch import AddressRefused, FetchError, FetchPolicy, fetch, vet_url
from claims.ingest.urls import UrlError, canonical_url, parse_ip_literal, validate_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:80/a", "https://example.com:80/a"),
        ("http://example.com./a", "http://example.com/a"),
        ("http://example.com/a/./b/../c", "http://example.com/a/c"),
        ("http://example.com/a/%2e%2E/b", "http://example.com/b"),
        ("http://example.com/%7euser/%2f", "http://example.com/~user/%2F"),
        ("http://example.com/a b?q=ü", "http://example.com/a%20b?q=%C3%BC"),
        ("http://example.com/100%", "http://example.com/100%25"),
        ("  http://example.com/x  ", "http://example.com/x"),
        ("http://bücher.de/", "http://xn--bcher-kva.de/"),
        ("http://example.com/#top", "http://example.com/#top"),
        # Every numeric spelling of an IPv4 host becomes one dotted quad.
        ("http://2130706433/", "http://127.0.0.1/"),
        ("http://0177.0.0.1/", "http://127.0.0.1/"),
        ("http://0x7f.0.0.1/", "http://127.0.0.1/"),
        ("http://0x7f.1/", "http://127.0.0.1/"),
        ("http://127.1/", "http://127.0.0.1/"),
        ("http://10.0x10203/", "http://10.1.2.3/"),
        ("http://１２７．０．０．１/", "http://127.0.0.1/"),
        ("http://[::FFFF:127.0.0.1]/", "http://[::ffff:7f00:1]/"),
    ],
)
def test_validate_url_normalises(url: str, expected: str) -> None:
    assert validate_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/", "only http and https URLs are accepted"),
        ("file:///etc/passwd", "only http and https URLs are accepted"),
        ("javascript:alert(1)", "only http and https URLs are accepted"),
        ("example.com/page", "only http and https URLs are accepted"),
        ("http://user:pw@example.com/", "URLs with user names or passwords are refused"),
        ("http://user@example.com/", "URLs with user names or passwords are refused"),
        ("http://example.com\\@127.0.0.1/", "URLs with user names or passwords are refused"),
        ("http://example.com:22/", "port 22 is not allowed"),
        ("https://example.com:8443/", "port 8443 is not allowed"),
        ("http://example.com:0/", "port 0 is not allowed"),
        ("http://example.com:99999/", "malformed URL"),
        ("http://example.com:http/", "malformed URL"),
        ("http:///path", "URL has no host"),
        ("http://exa mple.com/", "invalid host name"),
        ("http://-bad.example/", "invalid host name"),
        ("http://a..b/", "invalid host name"),
        ("http://ex%61mple.com/", "invalid host name"),
        ("http://1.2.3.4.5/", "invalid IPv4 address"),
        ("http://256.0.0.1/", "invalid IPv4 address"),
        ("http://1.2.3.08/", "invalid IPv4 address"),
        ("http://1_0.0.0.1/", "invalid IPv4 address"),
        ("http://example.123/", "invalid IPv4 address"),
        ("http://[fe80::1%25eth0]/", "IPv6 zone identifiers are refused"),
        ("http://[::1::2]/", "IPv6 address"),
        ("http://example.com/\tpath", "control characters"),
        ("http://example.com/a\nb", "control characters"),
    ],
)
def test_validate_url_refuses(url: str, message: str) -> None:
    with pytest.raises(UrlError, match=message):
        validate_url(url)


def test_validate_url_ports_follow_the_policy() -> None:
    assert validate_url("http://example.com:8080/", allowed_ports=frozenset({8080})) == "http://example.com:8080/"
    with pytest.raises(UrlError, match="port 80 is not allowed"):
        validate_url("http://example.com/", allowed_ports=frozenset({8080}))


def test_url_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        validate_url("gopher://example.com/")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://News.Example.COM:443", "https://news.example.com/"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        (
            "https://example.com/story?utm_source=tw&utm_medium=social&id=7&fbclid=abc&gclid=x",
            "https://example.com/story?id=7",
        ),
        ("https://example.com/s?mc_cid=1&mc_eid=2&igshid=3&ref=home&cmpid=rss", "https://example.com/s"),
        ("https://example.com/s?UTM_Campaign=x&Ref=y&page=2", "https://example.com/s?page=2"),
        ("https://example.com/s?", "https://example.com/s"),
        ("https://example.com/s?&&a=1&", "https://example.com/s?a=1"),
        # Repeated names keep their order: ?tag=b&tag=a can mean something different.
        ("https://example.com/s?tag=b&z=1&tag=a", "https://example.com/s?tag=b&tag=a&z=1"),
        # Trailing slashes are significant, except for the empty path.
        ("https://example.com/section/", "https://example.com/section/"),
        ("https://example.com/section", "https://example.com/section"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        ("https://www.example.com/x", "https://www.example.com/x"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected


def test_canonical_url_refuses_what_is_not_a_web_url() -> None:
    with pytest.raises(UrlError):
        canonical_url("mailto:desk@example.com")


_path = st.text(alphabet="abcXYZ019-._~%/ é=&+:;", max_size=12)
_value = st.text(alphabet="abcXYZ019-._~%/ é?=+:;", max_size=12)


@given(
    host=st.sampled_from(["Example.com", "EXAMPLE.com.", "bücher.de", "0x7f.1", "[::1]", "10.1"]),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    scheme=st.sampled_from(["http", "HTTPS"]),
    path=_path,
    query=st.lists(st.tuples(st.sampled_from(["a", "utm_x", "B", "ref", "c d", "%41"]), _value), max_size=4),
    fragment=_value,
)
def test_canonical_url_is_idempotent(
    host: str, port: str, scheme: str, path: str, query: list[tuple[str, str]], fragment: str
) -> None:
    query_text = "&".join(f"{name}={value}" for name, value in query)
    url = f"{scheme}://{host}{port}/{path}?{query_text}#{fragment}"
    once = canonical_url(url)
    assert canonical_url(once) == once
    assert validate_url(once, allowed_ports=frozenset({80, 443, 8080})) == once
    assert "#" not in once and "utm_x" not in once


def test_parse_ip_literal() -> None:
    assert str(parse_ip_literal("127.0.0.1")) == "127.0.0.1"
    assert str(parse_ip_literal("[::1]")) == "::1"
    assert parse_ip_literal("example.com") is None


# --- refusal reasons: the address class is checked before the port ------------------------------------------------


def test_check_host_runs_before_the_port_check() -> None:
    seen: list[str] = []

    def refuse(host: str) -> None:
        seen.append(host)
        raise UrlError(f"{host} is refused")

    with pytest.raises(UrlError, match=r"^127\.0\.0\.1 is refused$"):
        validate_url("http://0x7f.1:8123/", check_host=refuse)
    assert seen == ["127.0.0.1"]  # the normalised host, not the spelling given
    # A scheme or credentials problem is still named first: the hook is not even called.
    for url in ("ftp://127.0.0.1/", "http://user@127.0.0.1/"):
        with pytest.raises(UrlError, match=r"only http|user names"):
            validate_url(url, check_host=refuse)
    assert seen == ["127.0.0.1"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        # The report that started this: a loopback address on another port is refused as loopback.
        ("http://127.0.0.1:8123/", "address 127.0.0.1 is a loopback address"),
        ("https://127.0.0.1:8443/admin", "address 127.0.0.1 is a loopback address"),
        ("http://2130706433:8123/", "address 127.0.0.1 is a loopback address"),
        ("http://[::1]:8080/", "address ::1 is a loopback address"),
        ("http://10.0.0.7:22/", "address 10.0.0.7 is a private address"),
        ("http://192.168.1.1:8080/", "address 192.168.1.1 is a private address"),
        ("http://[fd00::5]:9000/", "address fd00::5 is a private address"),
        ("http://169.254.169.254:8080/latest/", "address 169.254.169.254 is a link-local address"),
        ("http://[fe80::1]:81/", "address fe80::1 is a link-local address"),
        ("http://100.64.0.1:81/", "address 100.64.0.1 is a shared (carrier-grade NAT) address"),
        ("http://0.0.0.0:8000/", "address 0.0.0.0 is a unspecified address"),
        ("http://224.0.0.1:5353/", "address 224.0.0.1 is a multicast address"),
        ("http://[::ffff:127.0.0.1]:8123/", "address ::ffff:7f00:1 embeds 127.0.0.1, which is a loopback address"),
        ("http://localhost:8123/", "localhost resolves to a loopback address"),
        ("http://LOCALHOST./", "localhost resolves to a loopback address"),
        ("http://admin.localhost/", "admin.localhost resolves to a loopback address"),
    ],
)
def test_vet_url_names_the_address_whatever_the_port(url: str, message: str, connections: list[Any]) -> None:
    with pytest.raises(AddressRefused) as caught:
        vet_url(url)
    assert str(caught.value) == message
    # The fetcher, given the same URL, refuses it for the same reason without a lookup or a connection.
    with pytest.raises(FetchError) as fetched:
        fetch(url, resolve=_no_lookup)
    assert fetched.value.reason == f"refused: {message}"
    assert connections == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1:8123/", "only http and https URLs are accepted"),
        ("http://user:pw@10.0.0.1/", "URLs with user names or passwords are refused"),
        ("http://example.com:8123/", "port 8123 is not allowed"),
        ("http://93.184.215.14:8123/", "port 8123 is not allowed"),  # a public address: the port is the reason
        ("http://localhost.example.com:22/", "port 22 is not allowed"),  # not a localhost name
    ],
)
def test_vet_url_other_reasons(url: str, message: str) -> None:
    with pytest.raises(UrlError) as caught:
        vet_url(url)
    assert not isinstance(caught.value, AddressRefused)
    assert str(caught.value) == message


def test_vet_url_passes_names_and_public_addresses_without_a_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", _no_lookup)
    assert vet_url("HTTPS://News.Example.com/a?b=1") == "https://news.example.com/a?b=1"
    assert vet_url("http://93.184.215.14/") == "http://93.184.215.14/"


def test_vet_url_follows_the_policy_exemption() -> None:
    policy = FetchPolicy(allow_networks=("127.0.0.1/32",), allowed_ports=frozenset({8123}))
    assert vet_url("http://127.0.0.1:8123/a", policy) == "http://127.0.0.1:8123/a"
    assert vet_url("http://localhost:8123/a", policy) == "http://localhost:8123/a"  # resolved and vetted later
    with pytest.raises(AddressRefused, match=r"address 127\.0\.0\.2 is a loopback address"):
        vet_url("http://127.0.0.2:8123/", policy)  # outside the exempt network
    with pytest.raises(UrlError, match="port 80 is not allowed"):
        vet_url("http://127.0.0.1/", policy)  # exempt address: now the port is the reason


def _no_lookup(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError(f"unexpected DNS lookup {args}")
