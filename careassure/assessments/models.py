"""Assessment cycles, their timeline, self-assessments per quality statement (with every saved
version kept), and the scores and findings entered after publication.

Quality statements are referred to by their stable framework id (`qs1`…`qs9`) within the
cycle's framework version, never by title."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from careassure.core.calendar import WorkingDayConvention
from careassure.core.selfassessment import SelfAssessmentStatus


class AssessmentMethod(models.TextChoices):
    PILOT = "pilot-2023-indicative", "Pilot assessment (indicative rating)"
    CATEGORY_SCORING = (
        "formal-category-scoring",
        "Formal assessment, evidence categories scored (method A)",
    )
    QS_SCORING = (
        "formal-qs-scoring",
        "Formal assessment, quality statements scored directly (method B)",
    )


class AssessmentCycle(models.Model):
    """One CQC assessment of a council: the framework version and method it is tagged with and
    the dates CQC gave. Derived deadlines are worked out from these dates by
    `careassure.core.calendar`; the on-site window and publication are only ever recorded."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="assessment_cycles"
    )
    name = models.CharField(max_length=200)
    framework_version = models.CharField(max_length=50, default="cqc-la-2023")
    assessment_method = models.CharField(
        max_length=40, choices=AssessmentMethod.choices, default=AssessmentMethod.QS_SCORING
    )
    notification_date = models.DateField()
    second_notification_date = models.DateField(null=True, blank=True)
    case_tracking_list_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Calendar days after the second notification that the case-tracking list is "
        "due. Blank when CQC gives a date; record that date as a change instead.",
    )
    on_site_start_date = models.DateField(null=True, blank=True)
    on_site_end_date = models.DateField(null=True, blank=True)
    draft_report_date = models.DateField(
        null=True, blank=True, help_text="The date of the email sending the draft report."
    )
    working_day_convention = models.CharField(
        max_length=30,
        choices=[(c.value, c.label) for c in WorkingDayConvention],
        default=WorkingDayConvention.EMAIL_DATE_IS_DAY_0.value,
    )
    publication_date = models.DateField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-notification_date", "-id"]

    def __str__(self) -> str:
        return self.name


class MilestoneState(models.Model):
    """Who owns a milestone of a cycle and when it was done. One row per cycle and key."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=40)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "key"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "key"], name="one_state_per_milestone")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.key}"


class ImmutableModel(models.Model):
    """A history row: written once, never updated."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are never changed once saved")
        super().save(*args, **kwargs)


class MilestoneDateChange(ImmutableModel):
    """A date changed by hand, with the reason. For a deadline (`key` is a milestone key such
    as ``information_return``) the newest change replaces the derived date. For a recorded
    date of the cycle (`key` is the field name, such as ``on_site_start_date``) the row is the
    history of the change; `new_date` is blank when the date was removed."""

    cycle = models.ForeignKey(
        AssessmentCycle, on_delete=models.CASCADE, related_name="date_changes"
    )
    key = models.CharField(max_length=40)
    new_date = models.DateField(null=True, blank=True)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "key", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.key} -> {self.new_date}"


class AdditionalInformationRequest(models.Model):
    """A request from CQC for more information after the initial gathering."""

    cycle = models.ForeignKey(
        AssessmentCycle, on_delete=models.CASCADE, related_name="information_requests"
    )
    title = models.CharField(max_length=200)
    requested_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "requested_on", "id"]

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """One reminder email sent for one milestone on one day (keeps the daily run idempotent)."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="+")
    milestone_key = models.CharField(max_length=60)
    sent_on = models.DateField()
    recipient = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "milestone_key", "sent_on"], name="one_reminder_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.milestone_key} {self.sent_on}"


class SelfAssessment(models.Model):
    """The council's self-assessment of one quality statement in one cycle. The text lives
    in `SelfAssessmentVersion` rows; `current_version` is the newest version's number."""

    cycle = models.ForeignKey(
        AssessmentCycle, on_delete=models.CASCADE, related_name="self_assessments"
    )
    qs_id = models.CharField(max_length=10)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        max_length=20,
        choices=[(s.value, s.label) for s in SelfAssessmentStatus],
        default=SelfAssessmentStatus.DRAFT.value,
    )
    current_version = models.PositiveIntegerField(default=0)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "qs_id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "qs_id"], name="one_self_assessment_per_qs")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.qs_id.upper()}"


class SelfAssessmentVersion(ImmutableModel):
    """One saved version of a self-assessment. Never changed once written."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    strengths = models.TextField("What we do well", blank=True)
    areas_for_development = models.TextField("Areas for development", blank=True)
    actions = models.TextField("What we are doing about it", blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    score_rationale = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["self_assessment", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["self_assessment", "number"], name="unique_self_assessment_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.self_assessment} v{self.number}"


class SelfAssessmentStatusChange(ImmutableModel):
    """A move in the draft → in review → approved workflow, kept as history."""

    self_assessment = models.ForeignKey(
        SelfAssessment, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    version_number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["self_assessment", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class ScoreSource(models.TextChoices):
    CQC = "cqc", "CQC published"
    PEER_CHALLENGE = "peer_challenge", "Peer challenge"
    MOCK_INSPECTION = "mock_inspection", "Mock inspection"


class ExternalScore(models.Model):
    """A quality statement score from outside the self-assessment: CQC's published score, or
    a peer challenge or mock inspection score."""

    cycle = models.ForeignKey(
        AssessmentCycle, on_delete=models.CASCADE, related_name="external_scores"
    )
    source = models.CharField(max_length=20, choices=ScoreSource.choices)
    qs_id = models.CharField(max_length=10)
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cycle", "source", "qs_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "source", "qs_id"], name="one_external_score_per_qs"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.qs_id} {self.score}"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA_FOR_DEVELOPMENT = "area_for_development", "Area for development"


class KeyFinding(models.Model):
    """A strength or area for development from CQC's published report."""

    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=30, choices=FindingKind.choices)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["cycle", "kind", "order", "id"]

    def __str__(self) -> str:
        return self.text[:60]
