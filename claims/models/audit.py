"""The audit trail: one row per change of an entity, with who made it (None for the worker) and what changed."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change to one row, written by the service that made it: who, when, what changed (field -> [old, new])."""

    entity = models.CharField(max_length=40)
    entity_id = models.BigIntegerField()
    action = models.CharField(max_length=40)
    changes = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity", "entity_id", "at"], name="audit_entity_idx")]

    def __str__(self) -> str:
        return f"{self.entity} {self.entity_id} {self.action}"
