from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from careassure.accounts.roles import Role, role_has_permission


class User(AbstractUser):
    """A member of staff. Which councils they work in, and as what, is in Membership."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class OrganisationType(models.TextChoices):
    COUNTY = "county", "County council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN = "metropolitan", "Metropolitan borough"
    LONDON_BOROUGH = "london_borough", "London borough"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"


class Organisation(models.Model):
    """A council with adult social care duties."""

    name = models.CharField(max_length=200, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    region = models.CharField(max_length=20, choices=Region.choices)
    org_type = models.CharField("type", max_length=20, choices=OrganisationType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    can_reidentify = models.BooleanField(
        default=False,
        help_text="May look up who a pseudonymised case-tracking entry is. Every use is audited.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) at {self.organisation}"

    def has_permission(self, permission: str) -> bool:
        if permission == "casetracking.reidentify":
            return self.can_reidentify
        return role_has_permission(self.role, permission)
