from __future__ import annotations

from django.db import models


class FrameworkVersion(models.Model):
    """A CQC framework version loaded from the core data files. Assessments, plans and
    evidence refer to quality statements by their stable ids (`qs1`…`qs9`) within a version."""

    key = models.CharField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=30)
    content_sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key


class Theme(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="themes")
    theme_id = models.CharField(max_length=10)
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=100, blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "theme_id"], name="unique_theme_per_version")
        ]

    def __str__(self) -> str:
        return self.title


class QualityStatement(models.Model):
    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="quality_statements"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="quality_statements")
    qs_id = models.CharField(max_length=10)
    slug = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    we_statement = models.TextField()
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "qs_id"], name="unique_qs_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.qs_id.upper()} {self.title}"
