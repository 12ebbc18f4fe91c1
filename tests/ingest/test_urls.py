from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
    assert (
        validate_url("http://example.com:8080/", allowed_ports=frozenset({8080}))
        == "http://example.com:8080/"
    )
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
