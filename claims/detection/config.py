"""The comparator's Settings, built from Django's CLAIM_DETECTION setting."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from claims.detect.base import Settings
from claims.detect.config import DetectionConfigError, settings_from_config

_built: tuple[object, Settings] | None = None


def detection_settings() -> Settings:
    """The comparator's Settings from Django's CLAIM_DETECTION, rebuilt whenever that object is replaced (as
    override_settings does); a bad value raises ImproperlyConfigured naming the key."""
    global _built
    source = getattr(django_settings, "CLAIM_DETECTION", None)
    if _built is None or _built[0] is not source:
        try:
            _built = (source, settings_from_config(source))
        except DetectionConfigError as exc:
            raise ImproperlyConfigured(str(exc)) from None
    return _built[1]
