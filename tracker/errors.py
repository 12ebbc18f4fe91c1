"""Optional error reporting to Sentry, when SENTRY_DSN is set (tracker.settings)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured


def start_sentry(dsn: str, *, environment: str) -> None:
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.django import DjangoIntegration
        from sentry_sdk.utils import BadDsn
    except ImportError as exc:  # pragma: no cover - sentry-sdk is a locked dependency
        raise ImproperlyConfigured("SENTRY_DSN is set but sentry-sdk is not installed") from exc
    try:
        sentry_sdk.init(
            dsn=dsn,
            environment=environment,
            integrations=[DjangoIntegration(), CeleryIntegration()],
            traces_sample_rate=0.0,
        )
    except BadDsn as exc:
        raise ImproperlyConfigured(f"SENTRY_DSN is not a usable Sentry DSN: {exc}") from exc
