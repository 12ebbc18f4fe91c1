"""Reading configuration from the environment, failing loudly on values we cannot use.

Kept free of Django settings state so that the parsing can be tested on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

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


# libpq connection options a PostgreSQL URL may carry in its query string (`?sslmode=require&connect_timeout=5`),
# passed to psycopg as they are. Anything else is refused by name, so that a typo never silently drops TLS.
PG_QUERY_OPTIONS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslpassword",
        "sslcrl",
        "sslnegotiation",
        "sslcompression",
        "connect_timeout",
        "application_name",
        "options",
        "target_session_attrs",
        "keepalives",
        "keepalives_idle",
        "keepalives_interval",
        "keepalives_count",
        "tcp_user_timeout",
        "channel_binding",
        "gssencmode",
        "requiressl",
        "krbsrvname",
        "service",
        "passfile",
    }
)
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
_INT_OPTIONS = (
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
)


def _pg_options(query: str) -> dict[str, str]:
    options: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True, strict_parsing=False):
        if key not in PG_QUERY_OPTIONS:
            raise ImproperlyConfigured(
                f"DATABASE_URL option {key!r} is not a PostgreSQL connection option "
                f"(known: {', '.join(sorted(PG_QUERY_OPTIONS))})"
            )
        if key == "sslmode" and value not in SSL_MODES:
            raise ImproperlyConfigured(f"DATABASE_URL sslmode must be one of {', '.join(SSL_MODES)}, not {value!r}")
        if key in _INT_OPTIONS and not value.isdigit():
            raise ImproperlyConfigured(f"DATABASE_URL option {key} must be a whole number, not {value!r}")
        options[key] = value
    return options


def parse_prepare_threshold(raw: str | None, default: int = 2) -> int | None:
    """DB_PREPARE_THRESHOLD: after how many runs on a connection psycopg prepares a statement on PostgreSQL (planned
    once, then only executed); "off" binds Django's queries on the client and never prepares them (the
    detection's statements are prepared either way: claims/db.py)."""
    if raw is not None and raw.strip().lower() in {"off", "none", "false"}:
        return None
    return parse_int("DB_PREPARE_THRESHOLD", raw, default=default, minimum=0)


def parse_database_url(
    url: str,
    base_dir: Path,
    test_tag: str = "",
    *,
    conn_max_age: int = 60,
    health_checks: bool = True,
    prepare_threshold: int | None = None,
) -> dict[str, Any]:
    """`postgresql://user:pass@host:port/name?option=value...` or `sqlite:///path` -> a DATABASES entry.

    A PostgreSQL URL's query options (sslmode, connect_timeout, options, application_name, ...) reach psycopg.
    `conn_max_age` and `health_checks` are Django's CONN_MAX_AGE (seconds a connection is kept; 0: one per
    request) and CONN_HEALTH_CHECKS. With a `prepare_threshold`, Django's queries bind their parameters on the
    server and psycopg prepares a statement after that many runs on a connection (None: bound on the client, never
    prepared, Django's default). `test_tag` (env TEST_DB_TAG) gives a test run its own test database, so two
    runs in one tree do not collide.
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
        options = _pg_options(parts.query)
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
            "CONN_MAX_AGE": conn_max_age,
            "CONN_HEALTH_CHECKS": health_checks,
            "OPTIONS": options
            if prepare_threshold is None
            else {**options, "server_side_binding": True, "prepare_threshold": prepare_threshold},
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


def parse_admins(raw: str) -> list[tuple[str, str]]:
    """ADMINS: comma-separated `Name <address>` or bare addresses -> Django's [(name, address)]."""
    admins = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        name, _, rest = item.partition("<")
        address = rest.rstrip(">").strip() if rest else item
        if "@" not in address or " " in address:
            raise ImproperlyConfigured(f"ADMINS entries must be e-mail addresses, not {item!r}")
        admins.append((name.strip() or address, address))
    return admins
