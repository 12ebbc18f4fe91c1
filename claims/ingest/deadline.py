"""Socket reads bound by one deadline for a whole fetch (used by fetch.py, the only module that touches the
network): every read gets only the time that remains, so a server that dribbles a byte a second cannot hold
a worker past the fetch's timeout."""

from __future__ import annotations

import http.client
import io
import socket
import time
from typing import Any


class _DeadlineReader(io.RawIOBase):
    """Socket reads, each given only the time left before the fetch deadline.

    A per-read timeout alone lets a server that dribbles one byte a second hold us forever.
    """

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        # Own file object: it holds a reference that keeps the fd open after http.client
        # closes the connection it hands over to the response.
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._sock.settimeout(timeout_left(self._deadline))
        return self._raw.readinto(buffer) or 0

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    deadline: float = 0.0

    def __init__(
        self, sock: socket.socket, debuglevel: int = 0, method: str | None = None, url: str | None = None
    ) -> None:
        super().__init__(sock, debuglevel, method, url)
        # typeshed pins fp to a socket-backed reader; ours is one, one layer further down.
        reader: Any = io.BufferedReader(_DeadlineReader(sock, self.deadline))
        self.fp.close()
        self.fp = reader


def deadline_response_class(deadline: float) -> type[http.client.HTTPResponse]:
    # http.client builds the response itself from `response_class(sock, method=...)`, so the
    # deadline has to travel on the class.
    return type("_BoundDeadlineResponse", (_DeadlineResponse,), {"deadline": deadline})


def remaining(deadline: float) -> float:
    return deadline - time.monotonic()


def timeout_left(deadline: float) -> float:
    left = remaining(deadline)
    if left <= 0:
        raise TimeoutError("fetch deadline passed")
    return left
