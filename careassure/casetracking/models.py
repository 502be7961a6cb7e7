"""The anonymised case-tracking list CQC chooses people from.

Only what the list needs is stored: a keyed-hash pseudonym (never the council's person id),
the age band (never the age) and the pathway and stratification fields. Gender and ethnicity
are read from the import for the coverage summary only and are not stored per person."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ConsentStatus(models.TextChoices):
    NOT_ASKED = "not_asked", "Not yet asked"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"


class ConsentBy(models.TextChoices):
    PERSON = "person", "The person"
    FAMILY_CARER = "family_carer", "Family member or carer"


class ContactStatus(models.TextChoices):
    NOT_CONTACTED = "not_contacted", "Not contacted"
    ATTEMPTED = "attempted", "Contact attempted"
    CONTACTED = "contacted", "Contacted"
    UNABLE = "unable", "Unable to contact"


class CaseList(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="case_lists"
    )
    cycle = models.ForeignKey(
        "assessments.AssessmentCycle",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="case_lists",
    )
    seed = models.BigIntegerField(
        help_text="Building again from the same file and seed gives the same list."
    )
    target_size = models.PositiveSmallIntegerField(default=50)
    population_size = models.PositiveIntegerField()
    key_fingerprint = models.CharField(
        max_length=32, help_text="Tells whether the pseudonym key has changed. Not the key."
    )
    coverage = models.JSONField(default=list)
    demographics = models.JSONField(default=dict)
    source_filename = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Case-tracking list for {self.organisation} ({self.created_at:%Y-%m-%d})"


class CaseEntry(models.Model):
    case_list = models.ForeignKey(CaseList, on_delete=models.CASCADE, related_name="entries")
    pseudonym = models.CharField(max_length=20)
    age_band = models.CharField(max_length=30)
    primary_support_reason = models.CharField(max_length=100)
    service_type = models.CharField(max_length=100)
    setting = models.CharField(max_length=100)
    locality = models.CharField(max_length=100)
    unpaid_carer = models.BooleanField()
    transition = models.BooleanField("in transition from children's services")
    safeguarding = models.BooleanField("safeguarding involvement")
    first_contact_date = models.DateField()
    assessment_date = models.DateField(null=True, blank=True)
    last_review_date = models.DateField(null=True, blank=True)
    selected_by_cqc = models.BooleanField(default=False)
    consent_status = models.CharField(
        max_length=20, choices=ConsentStatus.choices, default=ConsentStatus.NOT_ASKED
    )
    consent_by = models.CharField(max_length=20, choices=ConsentBy.choices, blank=True)
    contact_status = models.CharField(
        max_length=20, choices=ContactStatus.choices, default=ContactStatus.NOT_CONTACTED
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(fields=["case_list", "pseudonym"], name="case_entry_unique")
        ]

    def __str__(self) -> str:
        return self.pseudonym
