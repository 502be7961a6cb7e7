"""Evidence items (uploaded files or links), what they support, and the information return."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class EvidenceKind(models.TextChoices):
    FILE = "file", "File"
    LINK = "link", "Link"


class EvidenceTag(models.Model):
    """A free tag, shared by the council's evidence items."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="evidence_tags"
    )
    name = models.CharField(max_length=50)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="evidence_tag_unique")
        ]

    def __str__(self) -> str:
        return self.name


def _evidence_upload_to(instance: EvidenceItem, filename: str) -> str:
    # The stored name is random: the user's file name is kept only as metadata.
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"evidence/{instance.organisation_id}/{uuid.uuid4().hex}.{extension}"


class EvidenceItem(models.Model):
    """One piece of evidence: a stored file or a link, with the QS it supports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="evidence_items"
    )
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=40)
    as_at = models.DateField("as at", help_text="The date the evidence describes.")
    review_by = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = models.ManyToManyField(EvidenceTag, blank=True, related_name="items")
    file = models.FileField(upload_to=_evidence_upload_to, blank=True, max_length=200)
    original_filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    file_extension = models.CharField(max_length=10, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "created_at"]
        indexes = [models.Index(fields=["organisation", "as_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="file") & ~models.Q(file=""))
                | (models.Q(kind="link") & ~models.Q(url="")),
                name="evidence_item_has_file_or_link",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EvidenceStatement(models.Model):
    """One quality statement an item supports (an item may support several)."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="statements")
    qs_id = models.CharField(max_length=10)

    class Meta:
        ordering = ["qs_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "qs_id"], name="evidence_statement_unique")
        ]

    def __str__(self) -> str:
        return self.qs_id


class EvidenceCategoryLink(models.Model):
    """One evidence category an item falls in (an item has one or more)."""

    item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="categories")
    category_id = models.CharField(max_length=40)

    class Meta:
        ordering = ["category_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "category_id"], name="evidence_category_unique")
        ]

    def __str__(self) -> str:
        return self.category_id


class InformationReturn(models.Model):
    """The council's information return for one assessment cycle (or none yet)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="information_returns"
    )
    cycle = models.ForeignKey(
        "assessments.AssessmentCycle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="information_returns",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "cycle"], name="information_return_one_per_cycle"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(cycle__isnull=True),
                name="information_return_one_without_cycle",
            ),
        ]

    def __str__(self) -> str:
        return f"Information return for {self.organisation}"


class ReturnSection(models.Model):
    """One section of an information return, linked to the evidence items that answer it."""

    information_return = models.ForeignKey(
        InformationReturn, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(max_length=60, blank=True)
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    uncertain = models.BooleanField(
        default=False, help_text="CQC's published list does not confirm this section."
    )
    items = models.ManyToManyField(EvidenceItem, blank=True, related_name="return_sections")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title
