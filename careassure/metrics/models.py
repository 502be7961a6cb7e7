"""Stored metrics: each refresh run with its source files, the KPI values and ASCOF results it
produced, and each council's targets, thresholds and locality grouping."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from careassure.accounts.models import Organisation


class MetricsRun(models.Model):
    """One load of a council's operational extracts (and CLD files): who, when, which files."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="metrics_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    system_actor = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    as_at = models.DateField("as at")
    la_code = models.CharField("council code in the extracts", max_length=12)
    is_synthetic = models.BooleanField(default=False)
    source_label = models.CharField(max_length=200, blank=True)
    files = models.JSONField(default=list, help_text="[{name, kind, sha256, size}] per file.")
    groupings = models.JSONField(default=dict, help_text="The locality grouping used.")
    kpi_value_count = models.PositiveIntegerField(default=0)
    ascof_period_start = models.DateField(null=True, blank=True)
    ascof_period_end = models.DateField(null=True, blank=True)
    ascof_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"Metrics as at {self.as_at.isoformat()} ({self.organisation})"


class StoredKpiValue(models.Model):
    """One KPI value (careassure.core.kpis.KpiValue) as stored for a run."""

    run = models.ForeignKey(MetricsRun, on_delete=models.CASCADE, related_name="kpi_values")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kpi_id = models.CharField(max_length=60)
    period = models.CharField(max_length=7)
    period_end = models.DateField()
    dimension = models.CharField(max_length=10)
    dimension_value = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=18, decimal_places=4)
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["kpi_id", "dimension", "dimension_value", "period"]
        indexes = [models.Index(fields=["run", "kpi_id", "dimension"])]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "kpi_id", "period", "dimension", "dimension_value"],
                name="metrics_one_kpi_value_per_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.period} {self.dimension_value}: {self.value}"


class StoredAscofResult(models.Model):
    """One ASCOF figure (careassure.core.measures.MeasureResult) as stored for a run."""

    run = models.ForeignKey(MetricsRun, on_delete=models.CASCADE, related_name="ascof_results")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=10)
    breakdown = models.CharField(max_length=40)
    position = models.PositiveIntegerField(default=0)
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"ASCOF {self.measure} {self.breakdown}: {self.value}"


class KpiThreshold(models.Model):
    """A council's own target and red/amber thresholds for one KPI (catalogue defaults apply
    where there is no row)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="kpi_thresholds"
    )
    kpi_id = models.CharField(max_length=60)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    amber_threshold = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    red_threshold = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kpi_id"], name="metrics_one_threshold_per_kpi"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} thresholds ({self.organisation})"


class MetricsSettings(models.Model):
    """A council's metrics configuration: its code in the extracts and its locality grouping."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="metrics_settings"
    )
    la_code = models.CharField("council code in the extracts", max_length=12, blank=True)
    grouping_name = models.CharField(max_length=60, default="coastal-inland")
    grouping_title = models.CharField(max_length=200, blank=True)
    groups = models.JSONField(
        default=dict, help_text="{group name: [locality, ...]}; empty means the packaged default."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Metrics settings ({self.organisation})"


class StoredDqCount(models.Model):
    """One count of DHSC's data-quality summary of a run's Client Level Data
    (careassure.core.cld.dq.DqCount): row × field cells by status and result."""

    run = models.ForeignKey(MetricsRun, on_delete=models.CASCADE, related_name="dq_counts")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    la_code = models.CharField(max_length=12)
    import_date = models.DateField()
    module = models.CharField(max_length=80)
    field = models.CharField(max_length=60)
    field_status = models.CharField(max_length=40)
    result = models.CharField(max_length=40)
    count = models.BigIntegerField()

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["run", "position"])]

    def __str__(self) -> str:
        return f"{self.field} {self.field_status} {self.result}: {self.count}"


class PublishedAscofImport(models.Model):
    """One import of published ASCOF figures (reference data shared by every council)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    system_actor = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    source_file = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(default=0)
    is_illustrative = models.BooleanField(
        default=False, help_text="An illustrative sample for demonstration, not published figures."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Published ASCOF figures from {self.source_file}"


class GeographyLevel(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    COUNCIL = "council", "Council"


class PublishedAscofFigure(models.Model):
    """One published ASCOF figure for England, a region or a council. Not scoped to an
    organisation: published figures are public reference data, the same for every council."""

    source = models.ForeignKey(
        PublishedAscofImport, on_delete=models.CASCADE, related_name="figures"
    )
    measure = models.CharField(max_length=10)
    breakdown = models.CharField(max_length=40)
    period = models.CharField(max_length=7, help_text="Financial year, e.g. 2024-25.")
    geography_level = models.CharField(max_length=10, choices=GeographyLevel.choices)
    geography_code = models.CharField(max_length=9)
    geography_name = models.CharField(max_length=200)
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["measure", "breakdown", "period", "geography_level", "geography_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "breakdown", "period", "geography_code"],
                name="metrics_one_published_ascof_figure_per_cell",
            )
        ]
        indexes = [models.Index(fields=["geography_code", "period"])]

    def __str__(self) -> str:
        return f"ASCOF {self.measure} {self.breakdown} {self.period} {self.geography_name}"
