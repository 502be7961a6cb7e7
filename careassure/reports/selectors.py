"""Reads for reports, scoped to the organisation."""

from __future__ import annotations

from typing import Any

from careassure.accounts.models import Organisation
from careassure.improvement.models import Snapshot
from careassure.reports.models import ReportTemplate


def template_get(*, org: Organisation, kind: str) -> ReportTemplate | None:
    return ReportTemplate.objects.filter(organisation=org, kind=kind).first()


def template_overrides(*, org: Organisation) -> dict[str, ReportTemplate]:
    return {t.kind: t for t in ReportTemplate.objects.filter(organisation=org)}


def snapshot_history(*, org: Organisation, snapshot: Snapshot) -> list[dict[str, Any]]:
    """Documents of the plan's snapshots up to and including ``snapshot``, oldest first."""
    return list(
        Snapshot.objects.filter(
            plan__organisation=org, plan=snapshot.plan, period__lte=snapshot.period
        )
        .order_by("period")
        .values_list("document", flat=True)
    )
