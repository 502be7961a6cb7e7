"""Improvement plans: actions with milestones, risks, KPIs and dependencies, monthly updates
(append-only) and month-end snapshots (immutable, hashed)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from careassure.core.improvement import DEFAULT_RAG_RULES, ActionStatus, Polarity, Rag


def default_rag_rules() -> dict[str, Any]:
    return DEFAULT_RAG_RULES.document()


class Status(models.TextChoices):
    NOT_STARTED = ActionStatus.NOT_STARTED.value, "Not started"
    ON_TRACK = ActionStatus.ON_TRACK.value, "On track"
    AT_RISK = ActionStatus.AT_RISK.value, "At risk"
    OFF_TRACK = ActionStatus.OFF_TRACK.value, "Off track"
    COMPLETE = ActionStatus.COMPLETE.value, "Complete"
    CLOSED = ActionStatus.CLOSED.value, "Closed"


class RagChoice(models.TextChoices):
    RED = Rag.RED.value, "Red"
    AMBER = Rag.AMBER.value, "Amber"
    GREEN = Rag.GREEN.value, "Green"
    BLUE = Rag.BLUE.value, "Complete (blue)"
    GREY = Rag.GREY.value, "Closed (grey)"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class PolarityChoice(models.TextChoices):
    HIGHER = Polarity.HIGHER_IS_BETTER.value, "Higher is better"
    LOWER = Polarity.LOWER_IS_BETTER.value, "Lower is better"


class KpiSource(models.TextChoices):
    MANUAL = "manual", "Figures entered by hand"
    METRICS_KPI = "metrics_kpi", "An operational KPI from the metrics engine"
    ASCOF = "ascof", "An ASCOF measure from the metrics engine"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class ImmutableRowError(Exception):
    """An append-only row was saved a second time or deleted."""


class ImprovementPlan(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="improvement_plans"
    )
    title = models.CharField(max_length=200)
    cycle = models.CharField(
        "assessment cycle", max_length=100, help_text="For example 'CQC assessment 2024–25'"
    )
    assessment_cycle = models.ForeignKey(
        "assessments.AssessmentCycle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_plans",
    )
    rag_rules = models.JSONField(default=default_rag_rules)
    qs_scores = models.JSONField(
        default=dict,
        blank=True,
        help_text="Scores by quality statement for reports: {'self': {...}, 'cqc': {...}, "
        "'target': {...}}, each mapping qs1..qs9 to 1-4",
    )
    report_content = models.JSONField(
        default=dict,
        blank=True,
        help_text="Text for committee and DHSC reports: background, strengths, "
        "areas_for_development (lists of paragraphs) and recommendations",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "title"], name="plan_title_per_org")
        ]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField("reference", max_length=20)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    finding = models.TextField("CQC finding or area for development", blank=True)
    quality_statements = models.JSONField(default=list)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    lead_director = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    resources = models.TextField(blank=True)
    rag_override = models.CharField(max_length=10, choices=RagChoice.choices, blank=True)
    rag_override_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ref"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="action_ref_unique_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class ActionDependency(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="dependencies")
    depends_on = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="dependents")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "depends_on"], name="dependency_once")
        ]

    def __str__(self) -> str:
        return f"{self.action_id} depends on {self.depends_on_id}"


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=300)
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.NOT_STARTED
    )
    completed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.title


class Risk(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    mitigation = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class Kpi(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=40, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    red_threshold = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    amber_threshold = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    polarity = models.CharField(
        max_length=20, choices=PolarityChoice.choices, default=PolarityChoice.HIGHER
    )
    source = models.CharField(max_length=20, choices=KpiSource.choices, default=KpiSource.MANUAL)
    metric_code = models.CharField(
        max_length=60, blank=True, help_text="The metrics KPI id or ASCOF measure (linked KPIs)"
    )
    metric_dimension = models.CharField(
        max_length=10, blank=True, help_text="total, hub, locality or group (metrics KPIs only)"
    )
    metric_dimension_value = models.CharField(
        max_length=100,
        blank=True,
        help_text="The area ('all' for the council) of a metrics KPI, or an ASCOF breakdown",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["action", "name"], name="kpi_name_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_linked(self) -> bool:
        return self.source != KpiSource.MANUAL


class AppendOnly(models.Model):
    """Rows that record history: created once, never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableRowError(f"{type(self).__name__} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableRowError(f"{type(self).__name__} rows cannot be deleted")


class KpiValue(AppendOnly):
    """A manually entered KPI figure. The latest by as-at date (then entry) is current."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    as_at = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_at", "-id"]

    def __str__(self) -> str:
        return f"{self.value} at {self.as_at}"


class ActionUpdate(AppendOnly):
    """An owner's monthly update. History is never overwritten: each update is a new row."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    period = models.CharField(max_length=7, help_text="YYYY-MM")
    commentary = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices)
    rag = models.CharField(max_length=10, choices=RagChoice.choices)
    percent_complete = models.PositiveSmallIntegerField(validators=[MaxValueValidator(100)])
    milestone_changes = models.JSONField(default=list, blank=True)
    action_version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "period"])]

    def __str__(self) -> str:
        return f"Update {self.period} for action {self.action_id}"


class UpdateRequest(models.Model):
    """An email asking an action's owner for this period's update (and reminders)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="update_requests")
    period = models.CharField(max_length=7)
    sent_to = models.EmailField()
    requested_at = models.DateTimeField()
    reminder_count = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="one_request_per_period")
        ]

    def __str__(self) -> str:
        return f"Request {self.period} for action {self.action_id}"


class Snapshot(AppendOnly):
    """A closed period: the whole plan, its updates and KPI figures as one JSON document."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="snapshots")
    period = models.CharField(max_length=7)
    as_at = models.DateField()
    document = models.JSONField()
    sha256 = models.CharField(max_length=64)
    synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_snapshot_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.period}"


class PlanImport(models.Model):
    """An uploaded spreadsheet waiting for its columns to be chosen and the import confirmed."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="imports")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sheet = models.CharField(max_length=100, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    imported_count = models.PositiveIntegerField(null=True, blank=True)
    parts = models.JSONField(
        default=dict,
        blank=True,
        help_text="The optional sheets imported with the actions: for milestones, risks and "
        "KPIs, the sheet, its column mapping and the number of rows imported",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.filename
