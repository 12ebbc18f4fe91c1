"""How an attribute's figures move, as an editor set it (running tally, level with a window, fixed, forecast)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AttributeDynamics(models.Model):
    """How the figures of one attribute move, as an editor set it: a running tally, a level, a fixed fact or a
    forecast (claims.detect.dynamics), and for levels and forecasts the window in days within which two reports
    are compared. Without a row the detector takes the default from the attribute's and units' words. Keyed by the
    normalised attribute (names.norm_attribute), like Claim.attribute_key. Written by
    services.attribute_dynamics_set only."""

    class Kind(models.TextChoices):
        CUMULATIVE = "cumulative", "running tally (only grows)"
        LEVEL = "level", "level (moves either way)"
        FIXED = "fixed", "fixed fact (must always agree)"
        FORECAST = "forecast", "forecast or deadline"

    attribute_key = models.CharField(max_length=200, unique=True)
    dynamics = models.CharField(max_length=10, choices=Kind.choices)
    window_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="levels and forecasts: days within which reports are compared (empty: the configured window)",
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["attribute_key"]
        verbose_name_plural = "attribute dynamics"
        constraints = [
            models.CheckConstraint(
                condition=Q(dynamics__in=["cumulative", "level", "fixed", "forecast"]),
                name="attribute_dynamics_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.attribute_key}: {self.dynamics}"
