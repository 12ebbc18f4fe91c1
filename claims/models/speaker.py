from django.db import models


class Speaker(models.Model):
    """The person or organisation a claim is attributed to ("Fuad Hussein", "an unnamed Iraqi official")."""

    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, unique=True, editable=False)
    description = models.CharField(max_length=300, blank=True, default="")
    aliases = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
