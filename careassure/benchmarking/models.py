from __future__ import annotations

from django.db import models


class Rating(models.TextChoices):
    INADEQUATE = "inadequate", "Inadequate"
    REQUIRES_IMPROVEMENT = "requires improvement", "Requires improvement"
    GOOD = "good", "Good"
    OUTSTANDING = "outstanding", "Outstanding"


class PublishedResult(models.Model):
    """One council's published CQC local authority assessment result, as imported, with the
    percentage and rating recomputed from its scores and any disagreement flagged."""

    la_name = models.CharField(max_length=200, unique=True)
    ons_code = models.CharField(max_length=9, blank=True)
    region = models.CharField(max_length=20, blank=True)
    org_type = models.CharField(max_length=20, blank=True)
    la_type_source = models.CharField(max_length=100, blank=True)
    published_month = models.CharField(max_length=100, blank=True)
    published_year = models.PositiveSmallIntegerField(null=True, blank=True)
    published_month_number = models.PositiveSmallIntegerField(null=True, blank=True)
    rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    rating_qualifier = models.CharField(max_length=200, blank=True)
    indicative = models.BooleanField(default=False)
    uncertain = models.BooleanField(default=False)
    qs1 = models.PositiveSmallIntegerField(null=True, blank=True)
    qs2 = models.PositiveSmallIntegerField(null=True, blank=True)
    qs3 = models.PositiveSmallIntegerField(null=True, blank=True)
    qs4 = models.PositiveSmallIntegerField(null=True, blank=True)
    qs5 = models.PositiveSmallIntegerField(null=True, blank=True)
    qs6 = models.PositiveSmallIntegerField(null=True, blank=True)
    qs7 = models.PositiveSmallIntegerField(null=True, blank=True)
    qs8 = models.PositiveSmallIntegerField(null=True, blank=True)
    qs9 = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    max_total = models.PositiveSmallIntegerField(null=True, blank=True)
    percent = models.PositiveSmallIntegerField(null=True, blank=True)
    computed_rating = models.CharField(max_length=30, choices=Rating.choices, blank=True)
    rating_mismatch = models.BooleanField(default=False)
    figures_mismatch = models.BooleanField(
        default=False, help_text="The file's own total or percentage disagrees with the scores."
    )
    partial = models.BooleanField(default=False)
    status_notes = models.TextField(blank=True)
    source_file = models.CharField(max_length=255, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["la_name"]

    def __str__(self) -> str:
        return self.la_name

    @property
    def scores(self) -> list[int | None]:
        return [getattr(self, f"qs{i}") for i in range(1, 10)]

    @property
    def has_scores(self) -> bool:
        return self.total is not None

    @property
    def comparable(self) -> bool:
        """Formal, fully scored and certain: fit for national statistics."""
        return self.has_scores and not (self.partial or self.indicative or self.uncertain)
