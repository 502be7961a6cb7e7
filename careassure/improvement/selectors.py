"""Reads for improvement plans. Every selector takes the organisation first and filters by it,
so an id from another council is simply not found (404)."""

from __future__ import annotations

import datetime as dt
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
from careassure.core.kpis import load_kpi_catalogue
from careassure.core.measures.metadata import measure_catalogue
from careassure.improvement.models import (
    Action,
    ActionDependency,
    ActionUpdate,
    ImprovementPlan,
    Kpi,
    KpiSource,
    KpiValue,
    Milestone,
    MilestoneStatus,
    PlanImport,
    Risk,
    Snapshot,
)
from careassure.metrics.models import MetricsRun, StoredAscofResult, StoredKpiValue
from careassure.metrics.selectors import thresholds_for


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


def risk_get(*, org: Organisation, risk_id: int) -> Risk:
    return get_object_or_404(
        Risk.objects.select_related("action__plan"), action__plan__organisation=org, pk=risk_id
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


def part_names_by_action(*, plan: ImprovementPlan) -> dict[str, dict[str, list[str]]]:
    """For the import's duplicate check: for milestones, risks and KPIs, each action's ref ->
    the milestone titles, risk descriptions or KPI names it already has."""
    found: dict[str, dict[str, list[str]]] = {"milestones": {}, "risks": {}, "kpis": {}}
    for part, model, name in (("milestones", Milestone, "title"), ("risks", Risk, "description"),
                              ("kpis", Kpi, "name")):  # fmt: skip
        rows = model.objects.filter(action__plan=plan).values_list("action__ref", name)
        for ref, text in rows:
            found[part].setdefault(ref, []).append(text)
    return found


CENTS = Decimal("0.01")


def kpi_series(kpi: Kpi, as_of: dt.date | None = None) -> list[tuple[dt.date, Decimal]]:
    """A KPI's figures as (date, value) pairs, oldest first, up to and including ``as_of``.

    - Manual KPIs: the figures entered by hand. Each as-at date gives one point, the latest
      entry for that date (a correction is a new entry; history is never changed). Points are
      dated by the as-at date entered, so ``as_of`` keeps the figures for dates on or before it.
    - Linked metrics KPIs: the month-by-month values the metrics engine stored for the KPI and
      area, from the organisation's latest run that has them, dated by each month's period end.
    - Linked ASCOF measures: one point per ASCOF period, dated by its end, the value from the
      latest run covering that period (figures that could not be worked out are left out).

    The organisation is the KPI's own (its action's plan's), so a linked KPI only ever reads
    its own council's metrics. The last point is the current value the RAG rules use."""
    if kpi.source == KpiSource.METRICS_KPI:
        return _metrics_kpi_series(kpi, as_of)
    if kpi.source == KpiSource.ASCOF:
        return _ascof_series(kpi, as_of)
    latest: dict[dt.date, KpiValue] = {}
    for row in kpi.values.all():
        if as_of is not None and row.as_at > as_of:
            continue
        kept = latest.get(row.as_at)
        if kept is None or (row.created_at, row.pk) > (kept.created_at, kept.pk):
            latest[row.as_at] = row
    return [(day, latest[day].value) for day in sorted(latest)]


def _organisation_id(kpi: Kpi) -> int:
    return kpi.action.plan.organisation_id


def _metrics_kpi_series(kpi: Kpi, as_of: dt.date | None) -> list[tuple[dt.date, Decimal]]:
    cells = StoredKpiValue.objects.filter(
        organisation_id=_organisation_id(kpi),
        kpi_id=kpi.metric_code,
        dimension=kpi.metric_dimension,
        dimension_value=kpi.metric_dimension_value,
    )
    run_id = cells.order_by("-run__created_at").values_list("run_id", flat=True).first()
    if run_id is None:
        return []
    rows = cells.filter(run_id=run_id)
    if as_of is not None:
        rows = rows.filter(period_end__lte=as_of)
    # Stored with 4 decimal places; KPI figures have at most 2 (as figures entered by hand).
    return [
        (end, value.quantize(CENTS))
        for end, value in rows.order_by("period").values_list("period_end", "value")
    ]


def _ascof_series(kpi: Kpi, as_of: dt.date | None) -> list[tuple[dt.date, Decimal]]:
    rows = (
        StoredAscofResult.objects.filter(
            organisation_id=_organisation_id(kpi),
            measure=kpi.metric_code,
            breakdown=kpi.metric_dimension_value,
            value__isnull=False,
            run__ascof_period_end__isnull=False,
        )
        .order_by("run__created_at", "pk")
        .values_list("run__ascof_period_end", "value")
    )
    points: dict[dt.date, Decimal] = {}
    for end, value in rows:  # oldest run first: a later run replaces an earlier one's figure
        if end is not None and value is not None and (as_of is None or end <= as_of):
            points[end] = value.quantize(CENTS)
    return [(day, points[day]) for day in sorted(points)]


def kpi_current(kpi: Kpi, *, as_of: dt.date | None = None) -> tuple[dt.date, Decimal] | None:
    """The KPI's current figure: the last point of ``kpi_series`` (None when there is none)."""
    series = kpi_series(kpi, as_of)
    return series[-1] if series else None


METRIC_DIMENSION_LABELS = {"total": "Whole council", "hub": "Hub", "locality": "Locality",
                           "group": "Group"}  # fmt: skip
UNIT_TEXT = {"percent": "%", "days": "days", "count": "", "per 100,000 population": "per 100,000"}


@dataclass(frozen=True)
class MetricInfo:
    """What the metrics engine says about a metric a KPI can be linked to."""

    title: str
    unit: str
    polarity: Polarity | None  # None when neither direction is better
    target: Decimal | None = None
    red_threshold: Decimal | None = None
    amber_threshold: Decimal | None = None


def metric_info(*, org: Organisation, source: str, code: str) -> MetricInfo | None:
    """The title, unit, polarity and (for operational KPIs) the council's target and
    thresholds of a metric, or None for an unknown code."""
    if source == KpiSource.METRICS_KPI:
        try:
            definition = load_kpi_catalogue().get(code)
        except KeyError:
            return None
        own = thresholds_for(org=org)[code]
        polarity = None if definition.polarity == "neutral" else Polarity(str(definition.polarity))
        return MetricInfo(
            definition.title, UNIT_TEXT.get(definition.unit, ""), polarity,
            own.target, own.red_threshold, own.amber_threshold,
        )  # fmt: skip
    if source == KpiSource.ASCOF:
        info = next((m for m in measure_catalogue() if m.id == code), None)
        if info is None:
            return None
        polarity = Polarity.HIGHER_IS_BETTER if info.higher_is_better else Polarity.LOWER_IS_BETTER
        return MetricInfo(f"ASCOF {info.id}: {info.title}", UNIT_TEXT.get(info.unit, ""), polarity)
    return None


def metric_area_label(source: str, dimension: str, value: str) -> str:
    if source == KpiSource.ASCOF:
        return f"Breakdown: {value}"
    if dimension == "total":
        return METRIC_DIMENSION_LABELS["total"]
    return f"{METRIC_DIMENSION_LABELS.get(dimension, dimension)}: {value}"


def metric_title(source: str, code: str) -> str:
    """A linked metric's title, or its code when the catalogues no longer have it."""
    if source == KpiSource.METRICS_KPI:
        titles = {k.id: k.title for k in load_kpi_catalogue().kpis}
        return titles.get(code, code)
    if source == KpiSource.ASCOF:
        titles = {m.id: m.title for m in measure_catalogue()}
        return f"ASCOF {code}: {titles[code]}" if code in titles else f"ASCOF {code}"
    return ""


def kpi_source_text(kpi: Kpi) -> str:
    """Where a KPI's figures come from, for people: 'Entered by hand' or the linked metric."""
    if kpi.source == KpiSource.MANUAL:
        return "Entered by hand"
    area = metric_area_label(kpi.source, kpi.metric_dimension, kpi.metric_dimension_value)
    return f"Metrics engine: {metric_title(kpi.source, kpi.metric_code)} ({area})"


def metric_exists(*, org: Organisation, source: str, code: str, dimension: str, value: str) -> bool:
    """Whether any of the council's metrics runs stored figures for this metric and area."""
    if source == KpiSource.METRICS_KPI:
        return StoredKpiValue.objects.filter(
            organisation=org, kpi_id=code, dimension=dimension, dimension_value=value
        ).exists()
    if source == KpiSource.ASCOF:
        return StoredAscofResult.objects.filter(
            organisation=org, measure=code, breakdown=value
        ).exists()
    return False


@dataclass(frozen=True)
class MetricChoices:
    """The metrics and areas a KPI can be linked to, from the council's latest metrics run
    (and the latest run with ASCOF figures). Values are "kpi:<id>" or "ascof:<measure>" and
    "<dimension>:<area>" or "breakdown:<breakdown>"."""

    metrics: list[tuple[str, str]]
    areas: list[tuple[str, str]]


def metric_choices(*, org: Organisation) -> MetricChoices:
    latest = MetricsRun.objects.filter(organisation=org).order_by("-created_at").first()
    metrics: list[tuple[str, str]] = []
    areas: list[tuple[str, str]] = []
    if latest is not None:
        cells = (
            StoredKpiValue.objects.filter(run=latest)
            .values_list("kpi_id", "dimension", "dimension_value")
            .distinct()
        )
        kpi_ids = sorted({c[0] for c in cells})
        titles = {k.id: k.title for k in load_kpi_catalogue().kpis}
        metrics += sorted(
            ((f"kpi:{k}", titles.get(k, k)) for k in kpi_ids), key=lambda c: c[1].lower()
        )
        order = list(METRIC_DIMENSION_LABELS)
        found = sorted(
            {(c[1], c[2]) for c in cells},
            key=lambda a: (order.index(a[0]) if a[0] in order else 9, a[1].lower()),
        )
        areas += [(f"{d}:{v}", metric_area_label(KpiSource.METRICS_KPI, d, v)) for d, v in found]
    ascof_run = (
        MetricsRun.objects.filter(organisation=org, ascof_results__value__isnull=False)
        .order_by("-created_at")
        .first()
    )
    if ascof_run is not None:
        rows = list(
            StoredAscofResult.objects.filter(run=ascof_run, value__isnull=False)
            .order_by("position")
            .values_list("measure", "breakdown")
        )
        titles = {m.id: m.title for m in measure_catalogue()}
        measures = list(dict.fromkeys(m for m, _ in rows))
        metrics += [(f"ascof:{m}", f"ASCOF {m}: {titles.get(m, m)}") for m in measures]
        breakdowns = list(dict.fromkeys(b for _, b in rows))
        areas += [(f"breakdown:{b}", metric_area_label(KpiSource.ASCOF, "", b)) for b in breakdowns]
    return MetricChoices(metrics, areas)


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
        current = kpi_current(kpi, as_of=as_at)
        kpis.append(action_facts_kpi(kpi, current[1] if current else None))
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
