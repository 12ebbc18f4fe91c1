"""Repeated failed sign-ins lock that user name from that address (django-axes), on the site's form and the admin's;
another user, or the same one from elsewhere, still signs in; an administrator unlocks."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-correct-password"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def users() -> dict[str, User]:
    return {
        name: User.objects.create_user(name, f"{name}@example.org", PASSWORD, is_staff=True)
        for name in ("maria", "jonas")
    }


def _sign_in(path: str, name: str, password: str, address: str = "203.0.113.7") -> Any:
    return Client(REMOTE_ADDR=address).post(path, {"username": name, "password": password})


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_tenth_failure_in_a_row_locks_that_user_from_that_address(path: str, users: dict[str, User]) -> None:
    assert settings.AXES_FAILURE_LIMIT == 10
    for _ in range(9):
        answer = _sign_in(path, "maria", "wrong")
        assert answer.status_code == 200  # the form again, with its error
    locked = _sign_in(path, "maria", "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    # Locked even with the right password now, from that address...
    assert _sign_in(path, "maria", PASSWORD).status_code == 429
    # ...while another user signs in from the same address, and maria from another.
    assert _sign_in(path, "jonas", PASSWORD).status_code == 302
    assert _sign_in(path, "maria", PASSWORD, address="198.51.100.4").status_code == 302


def test_a_success_resets_the_count_and_an_administrator_unlocks(users: dict[str, User]) -> None:
    path = "/accounts/login/"
    for _ in range(8):
        _sign_in(path, "maria", "wrong")
    assert _sign_in(path, "maria", PASSWORD).status_code == 302  # resets
    for _ in range(9):
        assert _sign_in(path, "maria", "wrong").status_code == 200
    for _ in range(2):
        _sign_in(path, "maria", "wrong")
    assert _sign_in(path, "maria", PASSWORD).status_code == 429
    # The admin's unlock: the attempt row is deleted (Axes > Access attempts).
    AccessAttempt.objects.filter(username="maria").delete()
    assert _sign_in(path, "maria", PASSWORD).status_code == 302


PROXY = "10.0.0.2"  # the reverse proxy in front of the app: every request's REMOTE_ADDR


def _via_proxy(name: str, password: str, forwarded_for: str) -> Any:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post("/accounts/login/", {"username": name, "password": password})


def test_behind_a_trusted_proxy_each_forwarded_address_is_counted_apart(users: dict[str, User], settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(10):
        _via_proxy("maria", "wrong", "203.0.113.7")
    assert _via_proxy("maria", PASSWORD, "203.0.113.7").status_code == 429
    # Another client behind the same proxy is not locked out with it...
    assert _via_proxy("maria", PASSWORD, "198.51.100.4").status_code == 302
    # ...and the locked one cannot escape by writing an address of its own in front of the proxy's entry.
    assert _via_proxy("maria", PASSWORD, "198.51.100.99, 203.0.113.7").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_without_a_trusted_proxy_count_forwarded_for_is_ignored(users: dict[str, User]) -> None:
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default: REMOTE_ADDR, whatever a client writes in the header
    for _ in range(10):
        _via_proxy("maria", "wrong", "203.0.113.7")
    assert _via_proxy("maria", PASSWORD, "198.51.100.4").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}
