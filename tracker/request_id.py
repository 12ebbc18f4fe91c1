"""A request id on every request, its response and every log line written while it runs.

The id comes from the `X-Request-ID` header a proxy set (when it is a sane token), else a new one; it is echoed in
the response's `X-Request-ID` (so gunicorn's access log and the client see it) and put on each log record as
`request_id` ("-" outside a request) by RequestIdFilter, which LOGGING's format prints.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
current: ContextVar[str] = ContextVar("request_id", default="-")


def request_id_for(request: HttpRequest) -> str:
    given = request.headers.get(HEADER, "")
    return given if _SANE.match(given) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a response's 4xx/5xx after the middleware has returned, passing the request along.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current.get()
        return True
