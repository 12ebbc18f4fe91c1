"""The only code in the product that touches the network: fetch one page, safely.

Guarantees (see DESIGN.md, "Fetching a URL never reaches private ... addresses"):

* Only http/https, no credentials, only `policy.allowed_ports` (`claims.ingest.urls`).
* What can be refused without the network is refused first, by `vet_url` (which intake calls
  too, so that such a URL is a 400 and never an article): a host that is a literal non-global
  address or a ``localhost`` name — checked before the port, so the refusal names the address.
* The host is resolved once per hop; if ANY address is not global (private, loopback,
  link-local, multicast, reserved, unspecified, shared 100.64/10, or an IPv6 form embedding
  such an IPv4 address) the fetch is refused.  We then connect to one of exactly those vetted
  addresses, sending the original name in the Host header and as TLS SNI, so a DNS answer
  that changes between check and connect (DNS rebinding) cannot redirect us.
* Redirects are followed by hand, each hop re-validated the same way.
* One deadline covers the whole fetch, redirects included: every socket operation gets the
  time that remains as its timeout.
* Bodies are streamed and capped.  We advertise gzip/deflate and decode them ourselves with
  the cap applied to the DECODED size, so a small compressed bomb cannot blow up memory; any
  other Content-Encoding is refused.
* Only textual page and feed types are accepted.

Errors are `FetchError`; `transient=True` marks the ones worth retrying later (timeouts,
refused/reset connections, DNS hiccups, 408/429/502/503/504).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from claims.ingest.deadline import deadline_response_class, remaining, timeout_left
from claims.ingest.urls import UrlError, parse_ip_literal, validate_url

__all__ = ["AddressRefused", "FetchError", "FetchPolicy", "FetchedPage", "address_problem", "fetch", "vet_url"]

USER_AGENT = "ClaimTracker/0.1 (+newsroom fetcher)"
ACCEPTED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "text/plain",
        # Feeds: the ingest command reads them.
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
    }
)
TRANSIENT_STATUSES = frozenset({408, 429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_SHARED = ipaddress.IPv4Network("100.64.0.0/10")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOOPBACK = ipaddress.IPv4Address("127.0.0.1")


class FetchError(Exception):
    def __init__(self, reason: str, *, transient: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


class AddressRefused(UrlError):
    """A URL refused for the address its host names, known without looking anything up."""


@lru_cache(maxsize=32)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 10.0  # total seconds for the whole fetch (connect + reads + redirects)
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    allowed_ports: frozenset[int] = frozenset({80, 443})
    allow_networks: tuple[str, ...] = ()  # ONLY for tests: CIDRs exempt from the address refusal

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.max_bytes <= 0 or self.max_redirects < 0:
            raise ValueError("timeout and max_bytes must be positive, max_redirects not negative")
        _networks(self.allow_networks)  # a typo in a CIDR should fail here, not mid-fetch


@dataclass(frozen=True)
class FetchedPage:
    url: str  # final URL after redirects
    status: int
    content_type: str  # e.g. "text/html"
    charset: str | None  # from the Content-Type header, only if Python knows the codec
    body: bytes  # decoded from gzip/deflate if the server compressed it


def fetch(url: str, *, policy: FetchPolicy = FetchPolicy(), resolve: Resolver | None = None) -> FetchedPage:
    """GET `url` under `policy`; raise FetchError on anything we refuse or cannot get."""
    deadline = time.monotonic() + policy.timeout
    resolve = resolve or _resolve
    current = url
    for hop in range(policy.max_redirects + 1):
        outcome = _fetch_once(current, policy, resolve, deadline)
        if isinstance(outcome, FetchedPage):
            return outcome
        if hop == policy.max_redirects:
            break
        current = outcome
    raise FetchError(f"too many redirects (more than {policy.max_redirects})")


def vet_url(url: str, policy: FetchPolicy = FetchPolicy()) -> str:
    """Return `url` normalised, or raise UrlError (AddressRefused for an address) naming why it may not be
    fetched, as far as that is known without the network: scheme, credentials, host syntax, then a host that is
    a literal non-global address or a localhost name, then the port. A name's addresses are only known when
    `fetch` resolves it, which refuses them then."""
    return validate_url(url, allowed_ports=policy.allowed_ports, check_host=lambda host: _refuse_host(host, policy))


def _refuse_host(host: str, policy: FetchPolicy) -> None:
    literal = parse_ip_literal(host)
    if literal is not None:
        problem = None if _exempt(literal, policy) else address_problem(literal)
        if problem:
            raise AddressRefused(f"address {literal} {problem}")
    elif (host == "localhost" or host.endswith(".localhost")) and not _exempt(_LOOPBACK, policy):
        # RFC 6761: these names always mean this machine, whatever a resolver would say.
        raise AddressRefused(f"{host} resolves to a loopback address")


def _exempt(address: IPAddress, policy: FetchPolicy) -> bool:
    return any(address.version == net.version and address in net for net in _networks(policy.allow_networks))


def address_problem(address: IPAddress) -> str | None:
    """Why `address` must not be contacted, or None when it is a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            problem = address_problem(embedded)
            return f"embeds {embedded}, which {problem}" if problem else None
        if address.teredo:
            return "is a Teredo tunnel address"
    for flag, label in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
    ):
        if getattr(address, flag):
            return f"is a {label} address"
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return "is a shared (carrier-grade NAT) address"
    if address.is_private:
        return "is a private address"
    if address.is_reserved:
        return "is a reserved address"
    if not address.is_global:
        return "is not a global address"
    return None


def _fetch_once(url: str, policy: FetchPolicy, resolve: Resolver, deadline: float) -> FetchedPage | str:
    """One hop: the page, or the absolute URL a redirect points to."""
    try:
        url = vet_url(url, policy)
    except AddressRefused as exc:
        raise FetchError(f"refused: {exc}") from exc
    except UrlError as exc:
        raise FetchError(f"{exc}: {url}") from exc
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = _vetted_addresses(host, port, policy, resolve)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn: _VettedConnection | None = None
    response: http.client.HTTPResponse | None = None
    try:
        conn = _open(parts.scheme, host, port, addresses, deadline)
        conn.request("GET", target, headers=_request_headers())
        response = conn.getresponse()
        if response.status in REDIRECT_STATUSES:
            location = response.getheader("Location")
            if not location:
                raise FetchError(f"HTTP {response.status} redirect without a Location header")
            return urljoin(url, location.strip())
        _check_status(response.status)
        content_type, charset = _check_content_type(response)
        body = _read_body(response, policy.max_bytes)
    except (OSError, http.client.HTTPException) as exc:
        raise _network_error(exc, deadline, policy.timeout) from exc
    finally:
        # With "Connection: close" http.client hands the socket over to the response, so
        # closing the connection alone would leave it open until garbage collection.
        if response is not None:
            response.close()
        if conn is not None:
            conn.close()
    return FetchedPage(url, response.status, content_type, charset, body)


def _vetted_addresses(host: str, port: int, policy: FetchPolicy, resolve: Resolver) -> list[IPAddress]:
    literal = parse_ip_literal(host)
    if literal is not None:
        _refuse_if_forbidden(literal, policy, f"address {literal}")
        return [literal]
    try:
        answers = resolve(host, port)
    except socket.gaierror as exc:
        # EAI_AGAIN is a resolver hiccup; anything else (NXDOMAIN, no data) will not heal.
        raise FetchError(f"could not resolve {host}: {exc}", transient=exc.errno == socket.EAI_AGAIN) from exc
    except OSError as exc:
        raise FetchError(f"could not resolve {host}: {exc}", transient=True) from exc
    addresses: list[IPAddress] = []
    for answer in answers:
        try:
            address = ipaddress.ip_address(answer.split("%", 1)[0])
        except ValueError as exc:
            raise FetchError(f"{host} resolved to something that is not an address: {answer!r}") from exc
        # Refuse if ANY answer is bad rather than skipping it: a name that mixes public and
        # private answers is a probe, and any fallback to "the next address" could reach inside.
        _refuse_if_forbidden(address, policy, f"{host} resolves to {address}, which")
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"could not resolve {host}: no addresses")
    return addresses


def _refuse_if_forbidden(address: IPAddress, policy: FetchPolicy, subject: str) -> None:
    if _exempt(address, policy):
        return
    problem = address_problem(address)
    if problem:
        raise FetchError(f"refused: {subject} {problem}")


def _resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _open_socket(address: str, port: int, timeout: float) -> socket.socket:
    """Connect a TCP socket to a vetted literal address (tests replace this to observe it).

    Deliberately not socket.create_connection(host): the name must not be looked up again.
    """
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _open(scheme: str, host: str, port: int, addresses: list[IPAddress], deadline: float) -> _VettedConnection:
    """Connect to the first vetted address that answers; raise the last OSError if none does."""
    for index, address in enumerate(addresses):
        conn = _VettedConnection(host, port, address=str(address), deadline=deadline, tls=scheme == "https")
        try:
            conn.connect()
        except OSError:
            conn.close()
            if index == len(addresses) - 1 or remaining(deadline) <= 0:
                raise
            continue
        return conn
    raise AssertionError("no addresses to connect to")  # _vetted_addresses never returns []


class _VettedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to a fixed address, speaking to it as `host`."""

    def __init__(self, host: str, port: int, *, address: str, deadline: float, tls: bool) -> None:
        super().__init__(host, port, timeout=max(remaining(deadline), 0.001))
        self._address = address
        self._deadline = deadline
        self._tls = tls
        self.response_class = deadline_response_class(deadline)
        if tls:
            self.default_port = 443  # keeps ":443" out of the Host header

    def connect(self) -> None:
        sock = _open_socket(self._address, self.port, timeout_left(self._deadline))
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self._tls:
                # SNI and certificate checks use the NAME, not the address we dialled.
                sock.settimeout(timeout_left(self._deadline))
                sock = _tls_context().wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = sock


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _request_headers() -> dict[str, str]:
    return {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
        "Connection": "close",
    }


def _check_status(status: int) -> None:
    if 200 <= status < 300:
        return
    raise FetchError(f"HTTP {status}", transient=status in TRANSIENT_STATUSES)


def _check_content_type(response: http.client.HTTPResponse) -> tuple[str, str | None]:
    if response.getheader("Content-Type") is None:
        raise FetchError("response has no Content-Type")
    content_type = response.headers.get_content_type()
    if content_type not in ACCEPTED_TYPES:
        raise FetchError(f"content type {content_type} is not accepted")
    return content_type, _known_charset(response.headers.get_content_charset())


def _known_charset(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        "".encode(charset)
    except LookupError:
        return None  # the extractor will sniff <meta charset> or fall back instead
    return charset


def _read_body(response: http.client.HTTPResponse, max_bytes: int) -> bytes:
    too_large = FetchError(f"page larger than {_size(max_bytes)}")
    if response.length is not None and response.length > max_bytes:
        raise too_large
    decoder = _Decoder(response.getheader("Content-Encoding"), max_bytes)
    received = 0
    while chunk := response.read1(_CHUNK):
        received += len(chunk)
        if received > max_bytes:
            raise too_large
        decoder.feed(chunk)
    if response.length:
        raise FetchError("connection closed before the whole page arrived", transient=True)
    return decoder.finish()


class _Decoder:
    """Undo gzip/deflate incrementally, never holding more than `limit` decoded bytes."""

    def __init__(self, encoding: str | None, limit: int) -> None:
        self._encoding = (encoding or "identity").strip().lower()
        if self._encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(f"content encoding {self._encoding} is not supported")
        self._limit = limit
        self._parts: list[bytes] = []
        self._size = 0
        self._inflater: Any = None if self._encoding == "identity" else zlib.decompressobj(zlib.MAX_WBITS | 32)
        self._first = True

    def feed(self, data: bytes) -> None:
        if self._inflater is None:
            self._keep(data)
            return
        if self._first and self._encoding == "deflate" and not _has_zlib_header(data):
            # Some servers send raw deflate without the zlib wrapper the spec asks for.
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        self._first = False
        try:
            while data:
                if self._inflater.eof:
                    if not data.startswith(b"\x1f\x8b"):
                        return  # junk after the stream's end, which browsers ignore too
                    # Concatenated gzip members are one valid stream.
                    self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
                out = self._inflater.decompress(data, self._limit - self._size + 1)
                self._keep(out)
                data = self._inflater.unused_data if self._inflater.eof else self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(f"corrupt {self._encoding} body: {exc}") from exc

    def finish(self) -> bytes:
        if self._inflater is not None and not self._first and not self._inflater.eof:
            raise FetchError(f"{self._encoding} body is truncated", transient=True)
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise FetchError(f"page larger than {_size(self._limit)}")
        self._parts.append(data)


def _has_zlib_header(data: bytes) -> bool:
    return len(data) >= 2 and data[0] & 0x0F == 8 and ((data[0] << 8) | data[1]) % 31 == 0


def _network_error(exc: BaseException, deadline: float, timeout: float) -> FetchError:
    if isinstance(exc, TimeoutError) or remaining(deadline) <= 0:
        return FetchError(f"timed out after {timeout:g} s", transient=True)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return FetchError(f"TLS certificate rejected: {getattr(exc, 'verify_message', None) or exc}")
    if isinstance(exc, ssl.SSLError) and not isinstance(exc, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
        return FetchError(f"TLS failed: {exc}")  # protocol mismatch: retrying will not help
    if isinstance(exc, (OSError, http.client.IncompleteRead)):
        return FetchError(f"connection failed: {exc}", transient=True)
    return FetchError(f"malformed HTTP response: {exc!r}")


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}"
    return f"{n} bytes"
