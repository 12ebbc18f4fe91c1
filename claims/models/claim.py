"""A claim: a span of an article's text with a kind, a typed value, and the subject, speaker and event it names."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q


def effective_date(as_of: datetime.date | None, published_at: datetime.datetime | None) -> datetime.date | None:
    """The day a claim speaks of: its `as_of`, else its article's publication day in UTC, else unknown (None)."""
    if as_of is not None:
        return as_of
    return published_at.astimezone(datetime.UTC).date() if published_at is not None else None


class Claim(models.Model):
    """A span of an article (`start`..`end` into `Article.text`) with a kind and a structured value.

    The value lives in typed columns per kind so the database can check and index it: quantities in
    `qty_min`/`qty_max` (equal for a single number), dates as the first day of their period plus a precision,
    durations as `dur_min`/`dur_max` (max null = open-ended) in `dur_unit`. `prefix`/`suffix` keep some context
    around the quote so the claim can be re-anchored when the article's text changes.
    """

    class Kind(models.TextChoices):
        QUANTITY = "quantity"
        DATE = "date"
        DURATION = "duration"
        ATTRIBUTION = "attribution"
        STATEMENT = "statement"

    class Status(models.TextChoices):
        SUGGESTED = "suggested"
        CONFIRMED = "confirmed"
        REJECTED = "rejected"

    class Qualifier(models.TextChoices):
        EXACT = "exact"
        APPROX = "approx"
        AT_LEAST = "at_least"
        AT_MOST = "at_most"

    class Precision(models.TextChoices):
        YEAR = "year"
        MONTH = "month"
        DAY = "day"

    class Polarity(models.TextChoices):
        AFFIRMS = "affirms"
        DENIES = "denies"

    class DurationUnit(models.TextChoices):
        DAY = "day"
        WEEK = "week"
        MONTH = "month"
        YEAR = "year"

    article = models.ForeignKey("claims.Article", on_delete=models.CASCADE, related_name="claims")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=200, blank=True, default="")
    suffix = models.CharField(max_length=200, blank=True, default="")
    orphaned = models.BooleanField(default=False)

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Only a confirmed claim points at a Subject/Speaker row (an editor made it so). A suggestion, or a claim no longer
    # confirmed, keeps the names it proposes in the `proposed_*` text fields: the suggester never creates a subject
    # or speaker, and nothing it guesses reaches readers, clients or the detector (claims.services.claim_*).
    subject = models.ForeignKey(
        "claims.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    proposed_subject = models.CharField(max_length=300, blank=True, default="")
    proposed_speaker = models.CharField(max_length=300, blank=True, default="")
    proposed_after = models.CharField(max_length=300, blank=True, default="")
    # The proposed speaker's role as the article gives it ("fire chief"); becomes the speaker's description when an
    # editor confirms the claim with that speaker and the speaker has none yet.
    proposed_speaker_role = models.CharField(max_length=300, blank=True, default="")
    attribute = models.CharField(max_length=200)
    attribute_key = models.CharField(max_length=200, editable=False)

    qty_min = models.FloatField(null=True, blank=True)
    qty_max = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=60, blank=True, default="")
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT)
    date_value = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True, default="")
    dur_min = models.FloatField(null=True, blank=True)
    dur_max = models.FloatField(null=True, blank=True)
    dur_unit = models.CharField(max_length=5, choices=DurationUnit.choices, blank=True, default="")
    polarity = models.CharField(max_length=7, choices=Polarity.choices, blank=True, default="")
    after = models.ForeignKey(
        "claims.Subject", null=True, blank=True, on_delete=models.PROTECT, related_name="followers"
    )

    speaker = models.ForeignKey(
        "claims.Speaker", null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    as_of = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Bumped by every edit; an update must name the version it read (optimistic concurrency), and the worker
    # stamps `checked_at` only if the version it compared is still the current one.
    version = models.PositiveIntegerField(default=1)
    checked_at = models.DateTimeField(null=True, blank=True)
    # effective_date(as_of, article.published_at), stored so that the detector's change-over-time window is a range
    # on the candidate index. Kept by the claim services (create, update); an article's published_at is fixed once
    # it is ready, which is when it can first carry claims. Null: unknown, or a row written around the services,
    # which the detector then treats as "could be in any window" (it never misses a flag because of it).
    effective_date = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["article_id", "start", "id"]
        indexes = [
            models.Index(
                fields=["subject", "attribute_key", "status", "effective_date"], name="claim_candidates_date_idx"
            ),
            models.Index(fields=["after", "status"], name="claim_after_idx"),
            models.Index(fields=["status", "checked_at"], name="claim_unchecked_idx"),
            models.Index(fields=["article", "status"], name="claim_article_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="claim_span_nonempty"),
            models.CheckConstraint(
                condition=Q(kind__in=["quantity", "date", "duration", "attribution", "statement"]),
                name="claim_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["suggested", "confirmed", "rejected"]), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(qualifier__in=["exact", "approx", "at_least", "at_most"]), name="claim_qualifier_valid"
            ),
            models.CheckConstraint(condition=Q(polarity__in=["", "affirms", "denies"]), name="claim_polarity_valid"),
            models.CheckConstraint(
                condition=Q(date_precision__in=["", "year", "month", "day"]), name="claim_precision_valid"
            ),
            models.CheckConstraint(
                condition=Q(dur_unit__in=["", "day", "week", "month", "year"]), name="claim_dur_unit_valid"
            ),
            models.CheckConstraint(
                condition=Q(qty_min__isnull=True) | Q(qty_max__isnull=True) | Q(qty_min__lte=F("qty_max")),
                name="claim_qty_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(dur_min__isnull=True) | Q(dur_max__isnull=True) | Q(dur_min__lte=F("dur_max")),
                name="claim_dur_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(kind="quantity") | Q(qty_min__isnull=False), name="claim_quantity_has_value"
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(subject__isnull=False), name="claim_confirmed_has_subject"
            ),
            models.CheckConstraint(
                condition=~Q(kind="date") | (Q(date_value__isnull=False) & ~Q(date_precision="")),
                name="claim_date_has_value",
            ),
            models.CheckConstraint(
                condition=~Q(kind="duration") | (Q(dur_min__isnull=False) & ~Q(dur_unit="")),
                name="claim_duration_has_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.quote[:60]}"
