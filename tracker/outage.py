"""A database that is briefly away (restart, failover) answers as 503 with Retry-After, not as a crash.

While PostgreSQL restarts, every query fails with OperationalError (or InterfaceError on a connection it cut).
Without this, clients got Django's bare 500 — HTML even for the API. With it, an API client gets JSON it can act
on, a reader a short page, and both a Retry-After. Django reconnects by itself once the server is back
(CONN_HEALTH_CHECKS drops the dead connection at the start of the next request), so no process restart is needed.

`DatabaseOutageMiddleware` covers errors raised in views and while rendering; `server_error` (handler500) covers
the rest, e.g. a middleware that touched the database, when DEBUG is off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.views.defaults import server_error as django_server_error

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
DB_ERRORS = (OperationalError, InterfaceError)
_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Back in a moment</title></head>'
    "<body><h1>Back in a moment</h1><p>The claim tracker cannot reach its database just now. "
    "Please try again in a few seconds.</p></body></html>"
)


def unavailable(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The database is unavailable for a moment; try again shortly.", "code": "db_unavailable"},
            status=503,
        )
    else:
        response = HttpResponse(_PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DB_ERRORS):
            log.error("database unavailable during %s %s: %s", request.method, request.path, exception)
            return unavailable(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage outside a view is a 503 too; anything else is Django's usual 500 page."""
    import sys

    exc = sys.exc_info()[1]
    if isinstance(exc, DB_ERRORS):
        return unavailable(request)
    response = django_server_error(request)
    return response if isinstance(response, HttpResponse) else HttpResponseServerError()
