from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One change: who (a user or a system id), when, in which organisation, to what,
    with the values before and after. `actor` is the signed-in user who made the change;
    `system_actor` names a command such as ``cli:results-import`` when no user did."""

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    event_type = models.PositiveIntegerField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    system_actor = models.CharField(max_length=100, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    extra_data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["organisation", "occurred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(actor__isnull=False) | ~models.Q(system_actor=""),
                name="audit_event_has_actor",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.object_type}:{self.object_id}"
