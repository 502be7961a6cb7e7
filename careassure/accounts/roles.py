"""Roles and the permissions each grants, within one organisation.

Permissions are strings `<area>.<verb>`. Re-identifying a pseudonymised person is never
granted by a role: it is a separate flag on the membership (`can_reidentify`)."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    ASSESSMENT_LEAD = "assessment_lead", "Assessment lead"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"
    BOARD_MEMBER = "board_member", "Board member"


READ = "org.view"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            READ,
            "org.manage",
            "audit.view",
            "assessment.edit",
            "assessment.approve",
            "assessment.manage",
            "evidence.edit",
            "informationreturn.manage",
            "casetracking.manage",
            "plan.manage",
            "plan.update",
            "reports.generate",
            "metrics.manage",
        }
    ),
    Role.ASSESSMENT_LEAD: frozenset(
        {
            READ,
            "assessment.edit",
            "assessment.approve",
            "assessment.manage",
            "evidence.edit",
            "casetracking.manage",
            "plan.manage",
            "plan.update",
            "reports.generate",
            "metrics.manage",
        }
    ),
    Role.CONTRIBUTOR: frozenset({READ, "assessment.edit", "evidence.edit", "plan.update"}),
    Role.VIEWER: frozenset({READ}),
    Role.BOARD_MEMBER: frozenset({READ, "reports.generate"}),
}


def role_has_permission(role: str, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
