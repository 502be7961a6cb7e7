"""Reads for improvement plans. Every selector takes the organisation first and filters by it,
so an id from another council is simply not found (404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from careassure.accounts.models import Membership, Organisation, User
from careassure.assessments.models import AssessmentCycle
from careassure.core.improvement import (
    ActionFacts,
    ActionStatus,
    KpiFacts,
    MilestoneFacts,
    Polarity,
    Rag,
    RagRules,
    evaluate_rag,
)
from careassure.improvement.models import (
    Action,
    ActionDependency,
    ActionUpdate,
    ImprovementPlan,
    Kpi,
    KpiValue,
    Milestone,
    MilestoneStatus,
    PlanImport,
    Snapshot,
)


def plan_list(*, org: Organisation) -> QuerySet[ImprovementPlan]:
    return ImprovementPlan.objects.filter(organisation=org)


def plan_get(*, org: Organisation, plan_id: int) -> ImprovementPlan:
    return get_object_or_404(ImprovementPlan, organisation=org, pk=plan_id)


def action_list(*, org: Organisation, plan: ImprovementPlan) -> QuerySet[Action]:
    """Actions with owner, milestones, KPIs (values newest first), risks and dependencies."""
    return (
        Action.objects.filter(plan__organisation=org, plan=plan)
        .select_related("owner", "plan")
        .prefetch_related(
            "milestones",
            "risks",
            Prefetch("kpis", queryset=Kpi.objects.prefetch_related("values")),
            Prefetch(
                "dependencies", queryset=ActionDependency.objects.select_related("depends_on")
            ),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("created_by")),
        )
    )


def action_get(*, org: Organisation, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("plan", "owner"), plan__organisation=org, pk=action_id
    )


def milestone_get(*, org: Organisation, milestone_id: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("action__plan"),
        action__plan__organisation=org,
        pk=milestone_id,
    )


def kpi_get(*, org: Organisation, kpi_id: int) -> Kpi:
    return get_object_or_404(
        Kpi.objects.select_related("action__plan"), action__plan__organisation=org, pk=kpi_id
    )


def dependency_get(*, org: Organisation, dependency_id: int) -> ActionDependency:
    return get_object_or_404(
        ActionDependency.objects.select_related("action__plan", "depends_on"),
        action__plan__organisation=org,
        pk=dependency_id,
    )


def snapshot_list(*, org: Organisation, plan: ImprovementPlan) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(plan__organisation=org, plan=plan).select_related("created_by")


def snapshot_get(*, org: Organisation, snapshot_id: int) -> Snapshot:
    return get_object_or_404(
        Snapshot.objects.select_related("plan", "created_by"),
        plan__organisation=org,
        pk=snapshot_id,
    )


def member_list(*, org: Organisation) -> QuerySet[User]:
    """Users who are members of the organisation: the people who can own actions."""
    return User.objects.filter(memberships__organisation=org).order_by("first_name", "last_name")


def membership_of(*, org: Organisation, user: User) -> Membership | None:
    return Membership.objects.filter(organisation=org, user=user).first()


def dependency_graph(*, plan: ImprovementPlan) -> dict[str, list[str]]:
    """Action ref -> refs it depends on, for the whole plan."""
    graph: dict[str, list[str]] = {ref: [] for ref in plan.actions.values_list("ref", flat=True)}
    for ref, dep in ActionDependency.objects.filter(action__plan=plan).values_list(
        "action__ref", "depends_on__ref"
    ):
        graph[ref].append(dep)
    return graph


def latest_kpi_value(kpi: Kpi, *, as_at: dt.date | None = None) -> KpiValue | None:
    """The newest figure by as-at date (then by entry), ignoring any after ``as_at``.
    Uses prefetched values when present."""
    values: Iterable[KpiValue] = kpi.values.all()
    candidates = [v for v in values if as_at is None or v.as_at <= as_at]
    if not candidates:
        return None
    return max(candidates, key=lambda v: (v.as_at, v.pk))


@dataclass(frozen=True)
class EffectiveRag:
    rag: Rag
    computed: Rag
    reasons: tuple[str, ...]
    overridden: bool
    override_reason: str


def action_facts(action: Action, *, as_at: dt.date | None = None) -> ActionFacts:
    milestones = [
        MilestoneFacts(m.title, m.due_date, m.status == MilestoneStatus.COMPLETE)
        for m in action.milestones.all()
    ]
    kpis = []
    for kpi in action.kpis.all():
        latest = latest_kpi_value(kpi, as_at=as_at)
        kpis.append(action_facts_kpi(kpi, latest.value if latest else None))
    return ActionFacts(ActionStatus(action.status), action.due_date, milestones, kpis)


def action_facts_kpi(kpi: Kpi, value: Decimal | None) -> KpiFacts:
    return KpiFacts(kpi.name, value, kpi.red_threshold, kpi.amber_threshold, Polarity(kpi.polarity))


def action_rag(action: Action, *, rules: RagRules, today: dt.date) -> EffectiveRag:
    """The RAG by the plan's rules, replaced by a manual override when one is set."""
    result = evaluate_rag(action_facts(action, as_at=today), rules, today=today)
    if action.rag_override:
        return EffectiveRag(
            Rag(action.rag_override), result.rag, result.reasons, True, action.rag_override_reason
        )
    return EffectiveRag(result.rag, result.rag, result.reasons, False, "")


def plan_rules(plan: ImprovementPlan) -> RagRules:
    return RagRules.from_document(plan.rag_rules)


def updates_for_period(*, org: Organisation, plan: ImprovementPlan, period: str) -> set[int]:
    """Ids of actions in the plan that have at least one update for ``period``."""
    return set(
        ActionUpdate.objects.filter(
            action__plan__organisation=org, action__plan=plan, period=period
        ).values_list("action_id", flat=True)
    )


def plan_import_get(*, org: Organisation, import_id: int) -> PlanImport:
    return get_object_or_404(
        PlanImport.objects.select_related("plan"), plan__organisation=org, pk=import_id
    )


def assessment_cycle_list(*, org: Organisation) -> QuerySet[AssessmentCycle]:
    return AssessmentCycle.objects.filter(organisation=org)
