"""Builders for improvement tests: plans and actions made through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from careassure.accounts.models import Organisation, User
from careassure.improvement import services
from careassure.improvement.models import Action, ImprovementPlan


def make_plan(
    org: Organisation, actor: User, title: str = "CQC improvement plan"
) -> ImprovementPlan:
    return services.plan_create(org=org, title=title, cycle="CQC assessment 2025", actor=actor)


def make_action(plan: ImprovementPlan, actor: User, ref: str, **kwargs: Any) -> Action:
    fields: dict[str, Any] = {
        "title": f"Action {ref}",
        "due_date": dt.date(2026, 3, 31),
        "quality_statements": ["qs1"],
        "start_date": dt.date(2025, 6, 1),
    }
    fields.update(kwargs)
    return services.action_create(plan=plan, actor=actor, ref=ref, **fields)
