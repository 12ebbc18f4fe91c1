"""URL validation and canonicalisation for pages we fetch or store.

`validate_url` decides whether a URL may be fetched at all (scheme, credentials, port, host
syntax) and returns it normalised; it does not know which addresses are refused — the caller
passes that check in as `check_host` (`claims.ingest.fetch.vet_url` does, for literal addresses
and "localhost", and `fetch` checks every resolved address again).  The checks run in the order
scheme, credentials, host, `check_host`, port, so a refusal names the real reason: a loopback
address on an odd port is refused as loopback, not for its port.  `canonical_url` gives the form
we use to recognise the same article reached through different links.

Normalisation (both functions): scheme and host lower-cased, host IDNA-encoded and stripped of a
trailing dot, every numeric spelling of an IPv4 host (``2130706433``, ``0177.0.0.1``, ``0x7f.1``,
``127.1``) rewritten as a dotted quad, IPv6 hosts compressed, default ports dropped, dot segments
removed, an empty path written ``/``, characters that may not appear in a URL percent-encoded,
percent-escapes upper-cased and escapes of unreserved characters decoded.

Canonical form additionally drops the fragment and tracking parameters and sorts the remaining
query parameters by name (repeated names keep their relative order, which can matter).
Trailing-slash rule: a trailing slash is kept exactly as given (``/a`` and ``/a/`` may be
different resources on a server), except that the empty path becomes ``/``.  ``www.`` is not
stripped for the same reason.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from urllib.parse import SplitResult, unquote_plus, urlsplit, urlunsplit

__all__ = ["UrlError", "canonical_url", "parse_ip_literal", "validate_url"]

DEFAULT_PORTS = {"http": 80, "https": 443}

# Matched case-insensitively against decoded parameter names.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi",
        "ref", "ref_src", "ref_url", "cmpid", "ocid", "ncid", "wt.mc_id", "s_cid", "sr_share",
        "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "rb_clickid", "spm",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_",)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Everything outside these (and outside "%") is percent-encoded in paths and queries.
_PATH_SAFE = frozenset("!$&'()*+,;=:@/") | _UNRESERVED
_QUERY_SAFE = _PATH_SAFE | {"?"}


class UrlError(ValueError):
    """A URL we refuse; the message names the problem."""


def validate_url(
    url: str,
    *,
    allowed_ports: frozenset[int] = frozenset({80, 443}),
    check_host: Callable[[str], None] | None = None,
) -> str:
    """Return `url` normalised, or raise UrlError if it may not be fetched.

    `check_host` gets the normalised host (a dotted quad, a bracketed IPv6 address or an ASCII
    name) before the port is looked at, and raises UrlError to refuse it."""
    return _normalise(url, allowed_ports, check_host).geturl()


def canonical_url(url: str) -> str:
    """Return the canonical form of `url` (see module docstring); idempotent."""
    parts = _normalise(url, None)
    return urlunsplit(parts._replace(query=_canonical_query(parts.query), fragment=""))


def parse_ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a normalised host names literally, or None when it is a DNS name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _normalise(
    url: str, allowed_ports: frozenset[int] | None, check_host: Callable[[str], None] | None = None
) -> SplitResult:
    url = url.strip()
    # urlsplit silently deletes tabs and newlines; a URL that differs between what we check
    # and what another parser sees is how filters get bypassed, so refuse instead.
    if _CONTROL.search(url):
        raise UrlError("URLs with control characters are refused")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlError(f"malformed URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UrlError("only http and https URLs are accepted")
    if "@" in parts.netloc:
        raise UrlError("URLs with user names or passwords are refused")
    if not parts.hostname:
        raise UrlError("URL has no host")
    host = _normalise_host(parts.hostname, bracketed=parts.netloc.startswith("["))
    if check_host is not None:
        check_host(host)
    effective_port = port if port is not None else DEFAULT_PORTS[scheme]
    if effective_port == 0 or (allowed_ports is not None and effective_port not in allowed_ports):
        raise UrlError(f"port {effective_port} is not allowed")
    netloc = host if effective_port == DEFAULT_PORTS[scheme] else f"{host}:{effective_port}"
    path = _remove_dot_segments(_normalise_escapes(parts.path, _PATH_SAFE)) or "/"
    query = _normalise_escapes(parts.query, _QUERY_SAFE)
    fragment = _normalise_escapes(parts.fragment, _QUERY_SAFE)
    return SplitResult(scheme, netloc, path, query, fragment)


def _normalise_host(host: str, *, bracketed: bool) -> str:
    if bracketed:
        if "%" in host:
            raise UrlError("IPv6 zone identifiers are refused")
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError as exc:
            raise UrlError(f"invalid IPv6 address {host!r}") from exc
    try:
        # IDNA before the numeric check: nameprep folds full-width digits and dots to ASCII,
        # so "１２７．０．０．１" only shows itself as 127.0.0.1 after encoding.
        ascii_host = host.encode("idna").decode("ascii").lower() if not host.isascii() else host.lower()
    except UnicodeError as exc:
        raise UrlError(f"invalid host name {host!r}") from exc
    ascii_host = ascii_host.removesuffix(".")
    labels = ascii_host.split(".")
    if _is_number(labels[-1]):
        ipv4 = _parse_ipv4(labels)
        if ipv4 is None:
            raise UrlError(f"invalid IPv4 address {host!r}")
        return str(ipv4)
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise UrlError(f"invalid host name {host!r}")
    return ascii_host


def _is_number(label: str) -> bool:
    """WHATWG's "ends in a number": such a host must be an IPv4 address or nothing."""
    if label.isascii() and label.isdigit():
        return True
    return label[:2] in ("0x", "0X") and all(c in "0123456789abcdefABCDEF" for c in label[2:])


def _parse_ipv4(labels: list[str]) -> ipaddress.IPv4Address | None:
    """Parse the way inet_aton does: 1-4 parts, each decimal, octal (0...) or hex (0x...),
    the last part filling all remaining bytes ("127.1" is 127.0.0.1)."""
    if not 1 <= len(labels) <= 4:
        return None
    numbers: list[int] = []
    for label in labels:
        number = _parse_ipv4_part(label)
        if number is None:
            return None
        numbers.append(number)
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _parse_ipv4_part(label: str) -> int | None:
    # Explicit digit sets: int() alone would also take "1_0", "+1" and " 1".
    if label[:2] in ("0x", "0X"):
        digits, base, allowed = label[2:], 16, "0123456789abcdefABCDEF"
    elif len(label) > 1 and label.startswith("0"):
        digits, base, allowed = label[1:], 8, "01234567"
    else:
        digits, base, allowed = label, 10, "0123456789"
    if not all(c in allowed for c in digits) or (base == 10 and not digits):
        return None
    return int(digits, base) if digits else 0


def _normalise_escapes(text: str, safe: frozenset[str]) -> str:
    text = _LONE_PERCENT.sub("%25", text)
    out = []
    for char in text:
        if char in safe or char == "%":
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return _ESCAPE.sub(_fold_escape, "".join(out))


def _fold_escape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else f"%{match.group(1).upper()}"


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4, so "/a/./b/../c" and "/a/c" are one URL."""
    if "." not in path:
        return path
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        is_last = index == len(segments) - 1
        if segment == ".":
            if is_last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if is_last:
                output.append("")
        else:
            output.append(segment)
    # output[0] is the empty segment before the leading "/", which ".." never pops.
    return "/".join(output)


def _canonical_query(query: str) -> str:
    kept = [pair for pair in query.split("&") if pair and not _is_tracking(pair.split("=", 1)[0])]
    kept.sort(key=lambda pair: pair.split("=", 1)[0])
    return "&".join(kept)


def _is_tracking(raw_name: str) -> bool:
    name = unquote_plus(raw_name).lower()
    return name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES)
