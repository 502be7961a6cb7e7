"""Builders for improvement tests: plans and actions made through the services, and metrics
runs stored as the metrics engine stores them."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from careassure.accounts.models import Organisation, User
from careassure.improvement import services
from careassure.improvement.models import Action, ImprovementPlan
from careassure.metrics.models import MetricsRun, StoredAscofResult, StoredKpiValue


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


def store_metrics_run(
    org: Organisation,
    *,
    created_at: dt.datetime,
    kpi_values: Sequence[tuple[str, str, str, str, str]] = (),
    ascof: Sequence[tuple[str, str, str | None]] = (),
    ascof_period_end: dt.date | None = None,
) -> MetricsRun:
    """A metrics run as the metrics engine stores it, with the given figures: KPI values as
    (kpi id, dimension, area, YYYY-MM, value) and ASCOF results as (measure, breakdown,
    value or None)."""
    run = MetricsRun.objects.create(
        organisation=org,
        as_at=dt.date(2025, 10, 31),
        la_code="999",
        system_actor="test",
        ascof_period_start=None if ascof_period_end is None else dt.date(2024, 4, 1),
        ascof_period_end=ascof_period_end,
    )
    MetricsRun.objects.filter(pk=run.pk).update(created_at=created_at)
    for kpi_id, dimension, area, period, value in kpi_values:
        year, month = (int(p) for p in period.split("-"))
        StoredKpiValue.objects.create(
            run=run,
            organisation=org,
            kpi_id=kpi_id,
            period=period,
            period_end=dt.date(year, month, calendar.monthrange(year, month)[1]),
            dimension=dimension,
            dimension_value=area,
            value=Decimal(value),
        )
    for position, (measure, breakdown, value) in enumerate(ascof):
        StoredAscofResult.objects.create(
            run=run,
            organisation=org,
            measure=measure,
            breakdown=breakdown,
            position=position,
            value=None if value is None else Decimal(value),
        )
    run.refresh_from_db()
    return run
