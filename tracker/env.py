"""Reading configuration from the environment, failing loudly on values we cannot use.

Kept free of Django settings state so that the parsing can be tested on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def parse_bool(name: str, raw: str | None, default: bool) -> bool:
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def parse_int(name: str, raw: str | None, default: int, minimum: int = 0) -> int:
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def parse_list(raw: str | None, default: list[str]) -> list[str]:
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str, base_dir: Path, test_tag: str = "") -> dict[str, Any]:
    """`postgresql://user:pass@host:port/name` or `sqlite:///path` -> a DATABASES entry.

    `test_tag` (env TEST_DB_TAG) gives a test run its own test database, so two runs in one tree do not collide.
    """
    if test_tag and not test_tag.replace("_", "").isalnum():
        raise ImproperlyConfigured(f"TEST_DB_TAG may hold letters, digits and _ only, not {test_tag!r}")
    suffix = f"_{test_tag}" if test_tag else ""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///PATH: PATH is absolute when it starts with "/" (sqlite:////tmp/x.db), else project-relative.
        raw_path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else ""
        if not raw_path:
            raise ImproperlyConfigured("DATABASE_URL sqlite:/// needs a file path, e.g. sqlite:///data/db.sqlite3")
        path = Path(raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            # Another process (the worker, a test) may hold the write lock for a moment.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": str(path.with_name(f"test{suffix}_{path.name}"))},
        }
    if parts.scheme in {"postgres", "postgresql", "postgresql+psycopg"}:
        name = parts.path.lstrip("/")
        if not name:
            raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. postgresql://user@host:5432/tracker")
        try:
            port = parts.port
        except ValueError as exc:
            raise ImproperlyConfigured(f"DATABASE_URL has a bad port: {exc}") from exc
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(name),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "TEST": {"NAME": f"test_{unquote(name)}{suffix}"},
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {parts.scheme!r} is not supported; use postgresql://... or sqlite:///PATH"
    )


def check_redis_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ImproperlyConfigured(f"REDIS_URL must look like redis://host:6379/0, not {url!r}")
    return url
