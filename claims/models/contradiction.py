"""A contradiction (a flag): a pair of confirmed claims the detector found in conflict, with its score,
explanation and an editor's review."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Contradiction(models.Model):
    """A flagged pair of confirmed claims, stored once per pair and kind with the lower claim id first.

    A flag that stops holding after an edit is withdrawn (`withdrawn_at` set) rather than deleted, so that its
    history and any reviewer's note survive; it comes back to life if the conflict returns.
    """

    class Kind(models.TextChoices):
        NUMERIC = "numeric"
        DATE = "date"
        TIMELINE = "timeline"
        ATTRIBUTION = "attribution"
        POLARITY = "polarity"

    class Status(models.TextChoices):
        OPEN = "open"
        CONFIRMED = "confirmed"
        DISMISSED = "dismissed"
        SUPERSEDED = "superseded"

    # No index of their own: claim_a leads the pair's unique index, claim_b has contradiction_b_idx. The foreign
    # keys' default indexes repeated those two, and every flag written kept all four up to date.
    claim_a = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="contradictions_as_a", db_index=False
    )
    claim_b = models.ForeignKey(
        "claims.Claim", on_delete=models.CASCADE, related_name="contradictions_as_b", db_index=False
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    score = models.FloatField()
    explanation = models.TextField()
    related = models.BooleanField(default=False, help_text="flagged across related (not identical) subjects")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True, default="")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["claim_b"], name="contradiction_b_idx")]
        constraints = [
            models.UniqueConstraint(fields=["claim_a", "claim_b", "kind"], name="contradiction_pair_unique"),
            models.CheckConstraint(condition=Q(claim_a__lt=F("claim_b")), name="contradiction_pair_ordered"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="contradiction_score_range"),
            models.CheckConstraint(
                condition=Q(kind__in=["numeric", "date", "timeline", "attribution", "polarity"]),
                name="contradiction_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "confirmed", "dismissed", "superseded"]),
                name="contradiction_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.claim_a_id}~{self.claim_b_id}"
