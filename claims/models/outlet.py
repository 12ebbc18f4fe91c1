"""A news outlet, found by its name or domain."""

from django.db import models


class Outlet(models.Model):
    """A publisher. `name_key` is the case- and space-folded name that makes names unique."""

    name = models.CharField(max_length=200)
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    domain = models.CharField(max_length=253, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
