"""A small programmable HTTP server on 127.0.0.1 for tests that must not touch the internet.

    with LocalServer() as server:
        server.route("/a", body=b"<p>hi</p>", headers={"Content-Type": "text/html"})
        server.redirect("/old", "/a")
        server.route("/slow", chunks=[b"x"] * 50, delay=0.1)
        fetch(server.url("/a"), policy=server.policy())

or take the `local_server` pytest fixture (import it into your test module).
Every request is recorded in `server.requests` (method, path, headers).
"""

from __future__ import annotations

import contextlib
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

import pytest

from claims.ingest.fetch import FetchPolicy

__all__ = ["LocalServer", "RecordedRequest", "Route", "local_server"]


@dataclass
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    body: bytes = b""
    # When set, the body is sent as these pieces with `delay` seconds before each one and,
    # unless `chunked`, without a Content-Length (the end is marked by closing the connection).
    chunks: list[bytes] | None = None
    delay: float = 0.0
    chunked: bool = False
    content_length: int | None = None  # override the header, e.g. to lie about the size


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]


class LocalServer:
    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        """Plain HTTP, or HTTPS when given a server-side `ssl_context` (then use `url(scheme=...)`)."""
        self.routes: dict[str, Route] = {}
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        if ssl_context is not None:
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/", *, scheme: str = "http", host: str = "127.0.0.1") -> str:
        return f"{scheme}://{host}:{self.port}{path}"

    def policy(self, **overrides: Any) -> FetchPolicy:
        """A FetchPolicy that lets the fetcher reach this server (and nothing else private)."""
        settings: dict[str, Any] = {
            "allow_networks": ("127.0.0.1/32",),
            "allowed_ports": frozenset({self.port}),
        }
        settings.update(overrides)
        return FetchPolicy(**settings)

    def route(self, path: str, **kwargs: Any) -> Route:
        route = Route(**kwargs)
        self.routes[path] = route
        return route

    def redirect(self, path: str, location: str, status: int = 302) -> Route:
        return self.route(path, status=status, headers={"Location": location})

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server._record(RecordedRequest("GET", self.path, dict(self.headers.items())))
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
            if route is None:
                route = Route(status=404, headers={"Content-Type": "text/plain"}, body=b"not found")
            # The client hanging up early is what size-cap and timeout tests are about.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._respond(route)

        def _respond(self, route: Route) -> None:
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            if route.chunks is None:
                length = route.content_length if route.content_length is not None else len(route.body)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(route.body)
                return
            if route.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif route.content_length is not None:
                self.send_header("Content-Length", str(route.content_length))
            self.end_headers()
            self.wfile.flush()
            for piece in route.chunks:
                if route.delay and server._stopping.wait(route.delay):
                    return
                data = b"%x\r\n%s\r\n" % (len(piece), piece) if route.chunked else piece
                self.wfile.write(data)
                self.wfile.flush()
            if route.chunked:
                self.wfile.write(b"0\r\n\r\n")
            self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with LocalServer() as server:
        yield server
