"""A speaker (who said it) and the other names it is known by."""

from django.db import models


class Speaker(models.Model):
    """The person or organisation a claim is attributed to ("Fuad Hussein", "an unnamed Iraqi official")."""

    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, unique=True, editable=False)
    description = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """Another name of a speaker ("F. Hussein"); a merged speaker's name lives on as one. Keys are unique."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, unique=True, editable=False)
    # The id the speaker of this name had until it was merged into this one: its old pages and API address move here.
    merged_from = models.PositiveBigIntegerField(null=True, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "speaker aliases"

    def __str__(self) -> str:
        return self.name
