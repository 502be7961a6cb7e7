"""Report templates a council has changed. The shipped defaults are files; a row here replaces
the default for one council and one kind of report."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReportKind(models.TextChoices):
    DELIVERY_BOARD = "delivery_board", "Monthly Delivery Board pack"
    ASSURANCE_BOARD = "assurance_board", "Quarterly Assurance Board report"
    DHSC_STAGE2 = "dhsc_stage2", "DHSC stage 2 report"
    DHSC_QUARTERLY = "dhsc_quarterly", "DHSC quarterly update"
    COMMITTEE = "committee", "Committee report"


class ReportTemplate(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="report_templates"
    )
    kind = models.CharField(max_length=30, choices=ReportKind.choices)
    body = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], name="one_template_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind}"
