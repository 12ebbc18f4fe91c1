"""Request ids in responses and logs; server errors by e-mail to ADMINS; Sentry only with a usable DSN."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory

from tracker.env import parse_admins
from tracker.errors import start_sentry
from tracker.request_id import HEADER, RequestIdFilter, current


@pytest.mark.django_db
def test_every_response_carries_a_request_id_and_keeps_a_sane_one_it_was_given() -> None:
    first, second = Client().get("/healthz"), Client().get("/healthz")
    assert len(first[HEADER]) == 32 and first[HEADER] != second[HEADER]
    assert Client().get("/healthz", HTTP_X_REQUEST_ID="edge-7f3a9c21")[HEADER] == "edge-7f3a9c21"
    # A header that is not a plain token (log injection, absurd length) is replaced, not echoed.
    for bad in ("abc\nforged line", "x" * 500, "short"):
        assert Client().get("/healthz", HTTP_X_REQUEST_ID=bad)[HEADER] != bad


@pytest.mark.django_db
def test_log_lines_written_during_a_request_carry_its_id(caplog: Any) -> None:
    seen: list[str] = []

    class Grab(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(getattr(record, "request_id", "?"))

    handler = Grab()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        answer = Client().get("/no/such/page/", HTTP_X_REQUEST_ID="req-0123456789")
    finally:
        logger.removeHandler(handler)
    assert answer.status_code == 404
    assert seen == ["req-0123456789"]  # Django logs the 404 as "Not Found" inside the request
    assert current.get() == "-"  # and the id does not outlive it


def test_admins_are_parsed_and_a_bad_entry_is_named() -> None:
    assert parse_admins("Ops Desk <ops@example.org>, dev@example.org") == [
        ("Ops Desk", "ops@example.org"),
        ("dev@example.org", "dev@example.org"),
    ]
    assert parse_admins("") == []
    with pytest.raises(ImproperlyConfigured, match="not-an-address"):
        parse_admins("not-an-address")


def test_a_server_error_is_mailed_to_the_admins(settings: Any) -> None:
    settings.ADMINS = [("Ops", "ops@example.org")]
    settings.DEBUG = False
    request = RequestFactory().get("/claims/1/")
    logging.getLogger("django.request").error(
        "Internal Server Error: /claims/1/", exc_info=None, extra={"status_code": 500, "request": request}
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ops@example.org"] and "/claims/1/" in mail.outbox[0].subject


def test_a_bad_sentry_dsn_stops_start_up_naming_it() -> None:
    with pytest.raises(ImproperlyConfigured, match="SENTRY_DSN"):
        start_sentry("not a dsn", environment="test")
