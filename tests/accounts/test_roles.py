from __future__ import annotations

import pytest

from careassure.accounts.roles import Role, role_has_permission


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.VIEWER, "org.view", True),
        (Role.VIEWER, "assessment.edit", False),
        (Role.BOARD_MEMBER, "reports.generate", True),
        (Role.BOARD_MEMBER, "plan.update", False),
        (Role.CONTRIBUTOR, "assessment.edit", True),
        (Role.CONTRIBUTOR, "assessment.approve", False),
        (Role.ASSESSMENT_LEAD, "assessment.approve", True),
        (Role.ASSESSMENT_LEAD, "org.manage", False),
        (Role.ADMIN, "org.manage", True),
        (Role.ADMIN, "casetracking.reidentify", False),
    ],
)
def test_role_permissions(role: Role, permission: str, allowed: bool) -> None:
    assert role_has_permission(role, permission) is allowed
