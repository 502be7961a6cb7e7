"""Writes for improvement plans. Every service checks the actor's permission in the plan's
organisation, runs in one transaction and records an audit row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from careassure.accounts.models import Organisation, User
from careassure.accounts.permissions import require_permission
from careassure.assessments.models import AssessmentCycle
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.audit import snapshot as audit_fields
from careassure.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from careassure.core.framework import load_framework
from careassure.core.improvement import (
    ActionStatus,
    DependencyCycleError,
    ImprovementError,
    Polarity,
    Rag,
    RagRules,
    check_new_dependency,
    check_transition,
    snapshot_hash,
)
from careassure.core.improvement.rag import check_thresholds
from careassure.improvement import selectors
from careassure.improvement.documents import plan_document
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
    Priority,
    Risk,
    Snapshot,
    UpdateRequest,
)
from careassure.improvement.periods import period_bounds, period_label

MANAGE = "plan.manage"
REPORT_TEXT_KEYS = ("background", "strengths", "areas_for_development", "governance",
                    "recommendations")  # fmt: skip
UPDATE = "plan.update"
MILESTONE_FIELDS = ["title", "due_date", "status", "completed_on"]
RISK_FIELDS = ["description", "likelihood", "impact", "mitigation"]
KPI_FIELDS = [
    "name", "unit", "target", "red_threshold", "amber_threshold", "polarity", "source",
    "metric_code", "metric_dimension", "metric_dimension_value",
]  # fmt: skip
ACTION_FIELDS = [
    "ref", "title", "description", "finding", "quality_statements", "owner", "lead_director",
    "start_date", "due_date", "priority", "resources",
]  # fmt: skip


def _check(org: Organisation, actor: User, permission: str) -> None:
    require_permission(selectors.membership_of(org=org, user=actor), permission)


def _check_qs(quality_statements: Sequence[str]) -> list[str]:
    if not quality_statements:
        raise ApplicationError("Select at least one quality statement")
    known = load_framework().quality_statement_ids
    result = []
    for qs in quality_statements:
        key = qs.strip().lower()
        if key not in known:
            raise ApplicationError(f"'{qs}' is not a quality statement (use QS1 to QS9)")
        if key not in result:
            result.append(key)
    return sorted(result, key=lambda q: int(q[2:]))


def _check_owner(org: Organisation, owner: User | None) -> None:
    if owner is not None and selectors.membership_of(org=org, user=owner) is None:
        raise ApplicationError(f"{owner} is not a member of {org}, so cannot own an action")


def _bump(action: Action, expected_version: int) -> None:
    """Optimistic lock: move the action to the next version, or refuse if someone saved first."""
    changed = Action.objects.filter(pk=action.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if changed == 0:
        raise ConflictError(
            f"{action.ref} was changed by someone else while you were editing it. "
            "Check the latest version and make your change again.",
            {"action_id": action.pk},
        )
    action.version = expected_version + 1


def _bump_part(part: Milestone | Risk | Kpi, expected_version: int, what: str) -> None:
    """Optimistic lock for a milestone, risk or KPI, as ``_bump`` is for an action."""
    changed = (
        type(part)
        .objects.filter(pk=part.pk, version=expected_version)
        .update(version=F("version") + 1)
    )
    if changed == 0:
        raise ConflictError(
            f"{what} was changed or removed by someone else while you were editing it. "
            "Check the latest version and make your change again.",
            {"action_id": part.action_id},
        )
    part.version = expected_version + 1


def _remove_part(
    part: Milestone | Risk | Kpi, *, version: int, what: str, fields: list[str],
    event: AuditEventType, actor: User, org: Organisation,
) -> None:  # fmt: skip
    """Delete a milestone, risk or KPI under its optimistic lock and audit what it held."""
    _bump_part(part, version, what)
    before = audit_fields(part, fields)
    pk = part.pk
    part.delete()
    part.pk = pk
    audit_record(
        event=event, actor=actor, organisation=org, obj=part, before=before,
        extra={"action": part.action.ref},
    )  # fmt: skip


# Plans ---------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, org: Organisation, title: str, cycle: str, actor: User,
    assessment_cycle: AssessmentCycle | None = None,
) -> ImprovementPlan:  # fmt: skip
    _check(org, actor, MANAGE)
    if selectors.plan_list(org=org).filter(title=title).exists():
        raise ApplicationError(f"There is already a plan called '{title}'")
    if assessment_cycle is not None and assessment_cycle.organisation_id != org.pk:
        raise ApplicationError("Select one of your council's assessments")
    plan = ImprovementPlan.objects.create(
        organisation=org, title=title, cycle=cycle, assessment_cycle=assessment_cycle
    )
    audit_record(
        event=AuditEventType.PLAN_CREATED, actor=actor, organisation=org, obj=plan,
        after={"title": title, "cycle": cycle},
    )  # fmt: skip
    return plan


@transaction.atomic
def plan_scores_set(
    *, plan: ImprovementPlan, scores: Mapping[str, Mapping[str, int | None]],
    report_content: Mapping[str, list[str]], actor: User,
) -> ImprovementPlan:  # fmt: skip
    """Quality statement scores (self, CQC, target; 1 to 4 or blank) and report text."""
    _check(plan.organisation, actor, MANAGE)
    known = load_framework().quality_statement_ids
    cleaned: dict[str, dict[str, int]] = {}
    for series in ("self", "cqc", "target"):
        values = scores.get(series, {})
        for qs, score in values.items():
            if qs not in known:
                raise ApplicationError(f"'{qs}' is not a quality statement")
            if score is not None and score not in (1, 2, 3, 4):
                raise ApplicationError(f"Scores are 1 to 4: {qs.upper()} {series} is {score}")
        cleaned[series] = {qs: s for qs, s in values.items() if s is not None}
    content = {key: [p.strip() for p in report_content.get(key, []) if p.strip()]
               for key in REPORT_TEXT_KEYS}  # fmt: skip
    before = {"qs_scores": plan.qs_scores, "report_content": plan.report_content}
    plan.qs_scores, plan.report_content = cleaned, content
    plan.save(update_fields=["qs_scores", "report_content", "updated_at"])
    audit_record(
        event=AuditEventType.PLAN_UPDATED, actor=actor, organisation=plan.organisation, obj=plan,
        before=before, after={"qs_scores": cleaned, "report_content": content},
    )  # fmt: skip
    return plan


@transaction.atomic
def plan_rag_rules_set(*, plan: ImprovementPlan, rules: Mapping[str, Any], actor: User) -> RagRules:
    _check(plan.organisation, actor, MANAGE)
    try:
        parsed = RagRules.from_document(rules)
    except ImprovementError as exc:
        raise ApplicationError(exc.message) from None
    before = dict(plan.rag_rules)
    plan.rag_rules = parsed.document()
    plan.save(update_fields=["rag_rules", "updated_at"])
    audit_record(
        event=AuditEventType.PLAN_RAG_RULES_CHANGED, actor=actor, organisation=plan.organisation,
        obj=plan, before=before, after=plan.rag_rules,
    )  # fmt: skip
    return parsed


# Actions -------------------------------------------------------------------------------------


@transaction.atomic
def action_create(
    *,
    plan: ImprovementPlan,
    actor: User,
    ref: str,
    title: str,
    due_date: dt.date,
    quality_statements: Sequence[str],
    description: str = "",
    finding: str = "",
    owner: User | None = None,
    lead_director: str = "",
    start_date: dt.date | None = None,
    priority: str = Priority.MEDIUM,
    resources: str = "",
) -> Action:
    org = plan.organisation
    _check(org, actor, MANAGE)
    _check_owner(org, owner)
    ref = ref.strip().upper()
    if plan.actions.filter(ref=ref).exists():
        raise ApplicationError(f"{ref} is already used in this plan: choose another reference")
    if start_date is not None and due_date < start_date:
        raise ApplicationError("The due date must be the same as or after the start date")
    action = Action.objects.create(
        plan=plan, ref=ref, title=title, description=description, finding=finding,
        quality_statements=_check_qs(quality_statements), owner=owner,
        lead_director=lead_director, start_date=start_date, due_date=due_date,
        priority=priority, resources=resources,
    )  # fmt: skip
    audit_record(
        event=AuditEventType.ACTION_CREATED, actor=actor, organisation=org, obj=action,
        after=audit_fields(action, ACTION_FIELDS),
    )  # fmt: skip
    return action


@transaction.atomic
def action_edit(*, action: Action, actor: User, version: int, changes: Mapping[str, Any]) -> Action:
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    unknown = set(changes) - set(ACTION_FIELDS) - {"ref"}
    if unknown:
        raise ApplicationError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    if "owner" in changes:
        _check_owner(org, changes["owner"])
    if "quality_statements" in changes:
        changes = {**changes, "quality_statements": _check_qs(changes["quality_statements"])}
    if "ref" in changes:
        new_ref = str(changes["ref"]).strip().upper()
        if action.plan.actions.filter(ref=new_ref).exclude(pk=action.pk).exists():
            raise ApplicationError(
                f"{new_ref} is already used in this plan: choose another reference"
            )
        changes = {**changes, "ref": new_ref}
    start = changes.get("start_date", action.start_date)
    due = changes.get("due_date", action.due_date)
    if start is not None and due < start:
        raise ApplicationError("The due date must be the same as or after the start date")
    before = audit_fields(action, list(changes))
    _bump(action, version)
    for name, value in changes.items():
        setattr(action, name, value)
    action.save(update_fields=[*changes, "updated_at"])
    audit_record(
        event=AuditEventType.ACTION_UPDATED, actor=actor, organisation=org, obj=action,
        before=before, after=audit_fields(action, list(changes)),
    )  # fmt: skip
    return action


@transaction.atomic
def action_status_change(*, action: Action, to: str, actor: User, version: int) -> Action:
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    try:
        new = check_transition(action.status, to)
    except ImprovementError as exc:
        raise ApplicationError(exc.message) from None
    if new == action.status:
        return action
    old = action.status
    _bump(action, version)
    action.status = new.value
    fields = ["status", "updated_at"]
    if new == ActionStatus.COMPLETE:
        action.percent_complete = 100
        fields.append("percent_complete")
    action.save(update_fields=fields)
    audit_record(
        event=AuditEventType.ACTION_STATUS_CHANGED, actor=actor, organisation=org, obj=action,
        extra={"from": old, "to": new.value},
    )  # fmt: skip
    return action


@transaction.atomic
def action_rag_override(
    *, action: Action, rag: str, reason: str, actor: User, version: int
) -> Action:
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    if rag not in {r.value for r in Rag}:
        raise ApplicationError("Select a RAG status")
    if not reason.strip():
        raise ApplicationError("Enter the reason for overriding the RAG status")
    before = audit_fields(action, ["rag_override", "rag_override_reason"])
    _bump(action, version)
    action.rag_override, action.rag_override_reason = rag, reason.strip()
    action.save(update_fields=["rag_override", "rag_override_reason", "updated_at"])
    audit_record(
        event=AuditEventType.ACTION_RAG_OVERRIDDEN, actor=actor, organisation=org, obj=action,
        before=before, after={"rag_override": rag, "rag_override_reason": reason.strip()},
    )  # fmt: skip
    return action


@transaction.atomic
def action_rag_override_clear(*, action: Action, actor: User, version: int) -> Action:
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    before = audit_fields(action, ["rag_override", "rag_override_reason"])
    _bump(action, version)
    action.rag_override, action.rag_override_reason = "", ""
    action.save(update_fields=["rag_override", "rag_override_reason", "updated_at"])
    audit_record(
        event=AuditEventType.ACTION_RAG_OVERRIDE_CLEARED, actor=actor, organisation=org,
        obj=action, before=before,
    )  # fmt: skip
    return action


@transaction.atomic
def action_dependency_add(*, action: Action, depends_on: Action, actor: User) -> ActionDependency:
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    if depends_on.plan_id != action.plan_id:
        raise ApplicationError("An action can only depend on actions in the same plan")
    graph = selectors.dependency_graph(plan=action.plan)
    try:
        check_new_dependency(graph, action.ref, depends_on.ref)
    except DependencyCycleError as exc:
        raise ApplicationError(exc.message, {"cycle": list(exc.cycle)}) from None
    if depends_on.ref in graph.get(action.ref, []):
        raise ApplicationError(f"{action.ref} already depends on {depends_on.ref}")
    dependency = ActionDependency.objects.create(action=action, depends_on=depends_on)
    audit_record(
        event=AuditEventType.ACTION_DEPENDENCY_ADDED, actor=actor, organisation=org, obj=action,
        extra={"depends_on": depends_on.ref},
    )  # fmt: skip
    return dependency


@transaction.atomic
def action_dependency_remove(*, dependency: ActionDependency, actor: User) -> None:
    action = dependency.action
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    ref = dependency.depends_on.ref
    dependency.delete()
    audit_record(
        event=AuditEventType.ACTION_DEPENDENCY_REMOVED, actor=actor, organisation=org, obj=action,
        extra={"depends_on": ref},
    )  # fmt: skip


# Milestones, risks, KPIs ---------------------------------------------------------------------


@transaction.atomic
def milestone_add(
    *, action: Action, title: str, due_date: dt.date, actor: User,
    status: str = MilestoneStatus.NOT_STARTED, completed_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Milestone:  # fmt: skip
    """Add a milestone, not started unless ``status`` says otherwise. A complete milestone has
    the date it was completed (the one given, else today), as ``milestone_edit``."""
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    if status not in MilestoneStatus.values:
        raise ApplicationError("Select the milestone's status")
    if status == MilestoneStatus.COMPLETE:
        today = today or timezone.localdate()
        completed_on = completed_on or today
        if completed_on > today:
            raise ApplicationError("The date completed must be today or in the past")
    else:
        completed_on = None
    milestone = Milestone.objects.create(
        action=action, title=title, due_date=due_date, status=status, completed_on=completed_on
    )
    after: dict[str, Any] = {"action": action.ref, "title": title, "due_date": due_date}
    if status != MilestoneStatus.NOT_STARTED:
        after.update(status=status, completed_on=completed_on)
    audit_record(
        event=AuditEventType.ACTION_MILESTONE_ADDED, actor=actor, organisation=org, obj=milestone,
        after=after,
    )  # fmt: skip
    return milestone


@transaction.atomic
def milestone_edit(
    *, milestone: Milestone, actor: User, version: int, title: str, due_date: dt.date,
    status: str, completed_on: dt.date | None = None, today: dt.date | None = None,
) -> Milestone:  # fmt: skip
    """Change a milestone's title, due date and status. A complete milestone has the date it
    was completed (the one given, else the one it had, else today); any other status has none
    (a date given with it is dropped). The RAG rules read the
    milestone as it now stands."""
    action = milestone.action
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    today = today or timezone.localdate()
    if not title.strip():
        raise ApplicationError("Enter the milestone")
    if status not in MilestoneStatus.values:
        raise ApplicationError("Select the milestone's status")
    if status == MilestoneStatus.COMPLETE:
        completed_on = completed_on or milestone.completed_on or today
        if completed_on > today:
            raise ApplicationError("The date completed must be today or in the past")
    else:
        completed_on = None
    before = audit_fields(milestone, MILESTONE_FIELDS)
    _bump_part(milestone, version, f"The milestone ‘{milestone.title}’ of {action.ref}")
    milestone.title, milestone.due_date = title.strip(), due_date
    milestone.status, milestone.completed_on = status, completed_on
    milestone.save(update_fields=MILESTONE_FIELDS)
    audit_record(
        event=AuditEventType.ACTION_MILESTONE_UPDATED, actor=actor, organisation=org,
        obj=milestone, before=before, after=audit_fields(milestone, MILESTONE_FIELDS),
        extra={"action": action.ref},
    )  # fmt: skip
    return milestone


@transaction.atomic
def milestone_remove(*, milestone: Milestone, actor: User, version: int) -> None:
    """Delete a milestone. Past updates keep the milestone changes they recorded (by title)
    and closed months keep it in their snapshots."""
    action = milestone.action
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    _remove_part(
        milestone, version=version, what=f"The milestone ‘{milestone.title}’ of {action.ref}",
        fields=MILESTONE_FIELDS, event=AuditEventType.ACTION_MILESTONE_REMOVED, actor=actor,
        org=org,
    )  # fmt: skip


def _check_risk_scores(likelihood: int, impact: int) -> None:
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if not 1 <= value <= 5:
            raise ApplicationError(f"The {name} must be a number from 1 to 5")


@transaction.atomic
def risk_add(
    *, action: Action, description: str, likelihood: int, impact: int, mitigation: str,
    actor: User,
) -> Risk:  # fmt: skip
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    _check_risk_scores(likelihood, impact)
    risk = Risk.objects.create(
        action=action, description=description, likelihood=likelihood, impact=impact,
        mitigation=mitigation,
    )  # fmt: skip
    audit_record(
        event=AuditEventType.RISK_ADDED, actor=actor, organisation=org, obj=risk,
        after={"action": action.ref, "likelihood": likelihood, "impact": impact},
    )  # fmt: skip
    return risk


@transaction.atomic
def risk_edit(
    *, risk: Risk, actor: User, version: int, description: str, likelihood: int, impact: int,
    mitigation: str,
) -> Risk:  # fmt: skip
    action = risk.action
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    if not description.strip():
        raise ApplicationError("Describe the risk")
    _check_risk_scores(likelihood, impact)
    before = audit_fields(risk, RISK_FIELDS)
    _bump_part(risk, version, f"A risk of {action.ref}")
    risk.description, risk.likelihood, risk.impact = description.strip(), likelihood, impact
    risk.mitigation = mitigation.strip()
    risk.save(update_fields=RISK_FIELDS)
    audit_record(
        event=AuditEventType.RISK_UPDATED, actor=actor, organisation=org, obj=risk,
        before=before, after=audit_fields(risk, RISK_FIELDS), extra={"action": action.ref},
    )  # fmt: skip
    return risk


@transaction.atomic
def risk_remove(*, risk: Risk, actor: User, version: int) -> None:
    action = risk.action
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    _remove_part(
        risk, version=version, what=f"A risk of {action.ref}", fields=RISK_FIELDS,
        event=AuditEventType.RISK_REMOVED, actor=actor, org=org,
    )  # fmt: skip


def _kpi_fields(
    *, org: Organisation, name: str, unit: str, target: Decimal | None,
    red_threshold: Decimal | None, amber_threshold: Decimal | None, polarity: str, source: str,
    metric_code: str, metric_dimension: str, metric_dimension_value: str, fill_blanks: bool,
) -> dict[str, Any]:  # fmt: skip
    """Check a KPI's fields and, for a KPI linked to the metrics engine, check the metric and
    fill what was left blank from it (when ``fill_blanks``): the name from its title and area,
    the unit, and for an operational KPI the council's target and thresholds for it."""
    if source not in KpiSource.values:
        raise ApplicationError("Select where the KPI's figures come from")
    if polarity not in {p.value for p in Polarity}:
        raise ApplicationError("Select whether higher or lower is better")
    if source == KpiSource.MANUAL:
        metric_code = metric_dimension = metric_dimension_value = ""
    else:
        if source == KpiSource.ASCOF:
            metric_dimension = ""
        info = selectors.metric_info(org=org, source=source, code=metric_code)
        if info is None:
            raise ApplicationError("Select a metric from the metrics engine")
        area = selectors.metric_area_label(source, metric_dimension, metric_dimension_value)
        if not selectors.metric_exists(
            org=org, source=source, code=metric_code, dimension=metric_dimension,
            value=metric_dimension_value,
        ):  # fmt: skip
            raise ApplicationError(
                f"The metrics engine has no figures for ‘{info.title}’ ({area}): "
                "choose another area or breakdown"
            )
        if info.polarity is not None and info.polarity.value != polarity:
            label = "higher" if info.polarity == Polarity.HIGHER_IS_BETTER else "lower"
            raise ApplicationError(
                f"For ‘{info.title}’ {label} is better in the metrics engine: "
                f"select ‘{label.capitalize()} is better’"
            )
        if fill_blanks:
            if not name.strip():
                whole = metric_dimension == "total" or (
                    source == KpiSource.ASCOF and metric_dimension_value == "total"
                )
                name = info.title if whole else f"{info.title} ({area})"
            unit = unit or info.unit
            if target is None and red_threshold is None and amber_threshold is None:
                target, red_threshold = info.target, info.red_threshold
                amber_threshold = info.amber_threshold
    name = name.strip()
    if not name:
        raise ApplicationError("Enter the KPI name")
    problem = check_thresholds(red_threshold, amber_threshold, Polarity(polarity))
    if problem:
        raise ApplicationError(problem)
    return {
        "name": name[:200], "unit": unit.strip(), "target": target,
        "red_threshold": red_threshold, "amber_threshold": amber_threshold,
        "polarity": polarity, "source": source, "metric_code": metric_code,
        "metric_dimension": metric_dimension, "metric_dimension_value": metric_dimension_value,
    }  # fmt: skip


@transaction.atomic
def kpi_add(
    *, action: Action, name: str, actor: User, unit: str = "", target: Decimal | None = None,
    red_threshold: Decimal | None = None, amber_threshold: Decimal | None = None,
    polarity: str = Polarity.HIGHER_IS_BETTER.value, source: str = KpiSource.MANUAL.value,
    metric_code: str = "", metric_dimension: str = "", metric_dimension_value: str = "",
) -> Kpi:  # fmt: skip
    """Link a KPI to an action: figures entered by hand (``source`` manual), or an operational
    KPI (``metric_code`` a KPI id, ``metric_dimension`` total, hub, locality or group and
    ``metric_dimension_value`` the area, 'all' for the whole council) or an ASCOF measure
    (``metric_dimension_value`` the breakdown) from the council's own metrics runs."""
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    fields = _kpi_fields(
        org=org, name=name, unit=unit, target=target, red_threshold=red_threshold,
        amber_threshold=amber_threshold, polarity=polarity, source=source,
        metric_code=metric_code, metric_dimension=metric_dimension,
        metric_dimension_value=metric_dimension_value, fill_blanks=True,
    )  # fmt: skip
    if action.kpis.filter(name=fields["name"]).exists():
        raise ApplicationError(f"{action.ref} already has a KPI called '{fields['name']}'")
    kpi = Kpi.objects.create(action=action, **fields)
    audit_record(
        event=AuditEventType.KPI_ADDED, actor=actor, organisation=org, obj=kpi,
        after={"action": action.ref, "name": kpi.name, "target": kpi.target,
               "red": kpi.red_threshold, "amber": kpi.amber_threshold,
               "polarity": kpi.polarity, "source": kpi.source, "metric_code": kpi.metric_code,
               "metric_dimension": kpi.metric_dimension,
               "metric_dimension_value": kpi.metric_dimension_value},
    )  # fmt: skip
    return kpi


@transaction.atomic
def kpi_edit(
    *, kpi: Kpi, actor: User, version: int, name: str, unit: str, target: Decimal | None,
    red_threshold: Decimal | None, amber_threshold: Decimal | None, polarity: str,
    source: str = KpiSource.MANUAL.value, metric_code: str = "", metric_dimension: str = "",
    metric_dimension_value: str = "",
) -> Kpi:  # fmt: skip
    """Change a KPI's name, unit, target, thresholds, polarity or source. Figures already
    entered by hand are kept (they are history) even when the KPI is linked to the metrics
    engine instead; the blanks are filled from the metric only when the link changes."""
    action = kpi.action
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    relinked = (source, metric_code, metric_dimension, metric_dimension_value) != (
        kpi.source, kpi.metric_code, kpi.metric_dimension, kpi.metric_dimension_value
    )  # fmt: skip
    fields = _kpi_fields(
        org=org, name=name, unit=unit, target=target, red_threshold=red_threshold,
        amber_threshold=amber_threshold, polarity=polarity, source=source,
        metric_code=metric_code, metric_dimension=metric_dimension,
        metric_dimension_value=metric_dimension_value,
        fill_blanks=relinked and source != KpiSource.MANUAL,
    )  # fmt: skip
    if action.kpis.filter(name=fields["name"]).exclude(pk=kpi.pk).exists():
        raise ApplicationError(f"{action.ref} already has a KPI called '{fields['name']}'")
    before = audit_fields(kpi, KPI_FIELDS)
    _bump_part(kpi, version, f"The KPI ‘{kpi.name}’ of {action.ref}")
    for field, value in fields.items():
        setattr(kpi, field, value)
    kpi.save(update_fields=KPI_FIELDS)
    audit_record(
        event=AuditEventType.KPI_UPDATED, actor=actor, organisation=org, obj=kpi,
        before=before, after=audit_fields(kpi, KPI_FIELDS), extra={"action": action.ref},
    )  # fmt: skip
    return kpi


@transaction.atomic
def kpi_remove(*, kpi: Kpi, actor: User, version: int) -> None:
    """Delete a KPI that has no figures entered by hand. Entered figures are append-only
    history (closed months and reports rely on them), so a KPI with any is refused: change
    it instead, or leave it in place."""
    action = kpi.action
    org = action.plan.organisation
    _check(org, actor, MANAGE)
    count = KpiValue.objects.filter(kpi=kpi).count()
    if count:
        figures = "1 figure" if count == 1 else f"{count} figures"
        raise ApplicationError(
            f"‘{kpi.name}’ cannot be removed because {figures} have been recorded for it, and "
            "recorded figures are kept as history. You can change the KPI instead."
        )
    _remove_part(
        kpi, version=version, what=f"The KPI ‘{kpi.name}’ of {action.ref}", fields=KPI_FIELDS,
        event=AuditEventType.KPI_REMOVED, actor=actor, org=org,
    )  # fmt: skip


def _may_update(action: Action, actor: User) -> None:
    org = action.plan.organisation
    membership = require_permission(selectors.membership_of(org=org, user=actor), UPDATE)
    if not membership.has_permission(MANAGE) and action.owner_id != actor.pk:
        raise PermissionDeniedError(
            f"Only the owner of {action.ref} or a plan manager can update it"
        )


@transaction.atomic
def kpi_value_record(*, kpi: Kpi, value: Decimal, as_at: dt.date, actor: User) -> KpiValue:
    _may_update(kpi.action, actor)
    if kpi.source != KpiSource.MANUAL:
        raise ApplicationError(
            f"The figures for ‘{kpi.name}’ come from the metrics engine, so cannot be entered here"
        )
    row = KpiValue.objects.create(kpi=kpi, value=value, as_at=as_at, created_by=actor)
    audit_record(
        event=AuditEventType.KPI_VALUE_RECORDED, actor=actor,
        organisation=kpi.action.plan.organisation, obj=row,
        after={"kpi": kpi.name, "value": value, "as_at": as_at},
    )  # fmt: skip
    return row


# Monthly cycle -------------------------------------------------------------------------------


@transaction.atomic
def action_update_submit(
    *,
    action: Action,
    actor: User,
    version: int,
    period: str,
    commentary: str,
    status: str,
    percent_complete: int,
    milestone_changes: Mapping[int, str] | None = None,
    now: dt.datetime | None = None,
) -> ActionUpdate:
    """Append the owner's update for ``period`` and apply it to the action (status, percentage,
    milestones). The update row is never changed afterwards; a second update is a new row."""
    _may_update(action, actor)
    now = now or timezone.now()
    org = action.plan.organisation
    period_bounds(period)
    if selectors.snapshot_list(org=org, plan=action.plan).filter(period=period).exists():
        raise ApplicationError(
            f"{period_label(period)} is closed: give this update for a later month"
        )
    if not commentary.strip():
        raise ApplicationError("Enter a commentary on progress this month")
    if not 0 <= percent_complete <= 100:
        raise ApplicationError("Percentage complete must be a whole number from 0 to 100")
    try:
        new_status = check_transition(action.status, status)
    except ImprovementError as exc:
        raise ApplicationError(exc.message) from None
    changes: list[dict[str, Any]] = []
    milestones = {m.pk: m for m in action.milestones.all()}
    for milestone_id, new in (milestone_changes or {}).items():
        milestone = milestones.get(int(milestone_id))
        if milestone is None:
            raise ApplicationError(f"Milestone {milestone_id} is not part of {action.ref}")
        if new not in MilestoneStatus.values:
            raise ApplicationError(f"'{new}' is not a milestone status")
        if milestone.status != new:
            changes.append({"title": milestone.title, "from": milestone.status, "to": new})
            milestone.status = new
            milestone.completed_on = now.date() if new == MilestoneStatus.COMPLETE else None
            milestone.version += 1
            milestone.save(update_fields=["status", "completed_on", "version"])
    _bump(action, version)
    old_status = action.status
    action.status = new_status.value
    action.percent_complete = 100 if new_status == ActionStatus.COMPLETE else percent_complete
    action.save(update_fields=["status", "percent_complete", "updated_at"])
    action = selectors.action_list(org=org, plan=action.plan).get(pk=action.pk)
    rag = selectors.action_rag(action, rules=selectors.plan_rules(action.plan), today=now.date())
    update = ActionUpdate.objects.create(
        action=action, period=period, commentary=commentary.strip(), status=action.status,
        rag=rag.rag.value, percent_complete=action.percent_complete,
        milestone_changes=changes, action_version=action.version, created_by=actor,
        created_at=now,
    )  # fmt: skip
    audit_record(
        event=AuditEventType.ACTION_UPDATE_SUBMITTED, actor=actor, organisation=org, obj=update,
        extra={"action": action.ref, "period": period, "status_from": old_status,
               "status_to": action.status, "percent_complete": action.percent_complete,
               "milestones": changes},
    )  # fmt: skip
    return update


def _request_email(action: Action, period: str, base_url: str, reminder: bool) -> tuple[str, str]:
    label = period_label(period)
    link = f"{base_url.rstrip('/')}/improvement/actions/{action.pk}/update/"
    owner = action.owner.get_full_name() if action.owner else ""
    subject = f"{'Reminder: ' if reminder else ''}Update needed for {action.ref} ({label})"
    body = (
        f"Dear {owner},\n\n"
        f"Please give your {label} update for improvement action {action.ref}: {action.title}.\n"
        f"Plan: {action.plan.title}\nDue date of the action: {action.due_date:%d/%m/%Y}\n\n"
        f"Give your update here: {link}\n\n"
        "Say what progress has been made, the status, the percentage complete and any "
        "milestones that have changed.\n"
    )
    return subject, body


@transaction.atomic
def updates_request(
    *, plan: ImprovementPlan, period: str, actor: User, base_url: str,
    now: dt.datetime | None = None,
) -> list[UpdateRequest]:  # fmt: skip
    """Email the owner of every open action that has no update for ``period`` yet."""
    org = plan.organisation
    _check(org, actor, MANAGE)
    period_bounds(period)
    now = now or timezone.now()
    updated = selectors.updates_for_period(org=org, plan=plan, period=period)
    sent: list[UpdateRequest] = []
    for action in plan.actions.select_related("owner", "plan").exclude(
        status__in=[ActionStatus.COMPLETE, ActionStatus.CLOSED]
    ):
        if action.pk in updated or action.owner is None or not action.owner.email:
            continue
        subject, body = _request_email(action, period, base_url, reminder=False)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [action.owner.email])
        request, created = UpdateRequest.objects.get_or_create(
            action=action, period=period,
            defaults={"sent_to": action.owner.email, "requested_at": now},
        )  # fmt: skip
        if not created:
            request.requested_at, request.sent_to = now, action.owner.email
            request.save(update_fields=["requested_at", "sent_to"])
        sent.append(request)
    audit_record(
        event=AuditEventType.UPDATES_REQUESTED, actor=actor, organisation=org, obj=plan,
        extra={"period": period, "actions": [r.action.ref for r in sent]},
    )  # fmt: skip
    return sent


@transaction.atomic
def update_reminders_send(
    *, now: dt.datetime, after_days: int, base_url: str, system_actor: str,
    period: str | None = None,
) -> list[UpdateRequest]:  # fmt: skip
    """Remind owners whose requested update has not arrived ``after_days`` after the request
    (or the last reminder). Run daily by ``manage.py send_update_reminders``."""
    cutoff = now - dt.timedelta(days=after_days)
    requests = UpdateRequest.objects.select_related("action__plan__organisation", "action__owner")
    if period is not None:
        requests = requests.filter(period=period)
    reminded: list[UpdateRequest] = []
    for request in requests:
        action = request.action
        last = request.last_reminded_at or request.requested_at
        if last > cutoff or action.status in (ActionStatus.COMPLETE, ActionStatus.CLOSED):
            continue
        if action.updates.filter(period=request.period).exists():
            continue
        if Snapshot.objects.filter(plan=action.plan, period=request.period).exists():
            continue
        if action.owner is None or not action.owner.email:
            continue
        subject, body = _request_email(action, request.period, base_url, reminder=True)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [action.owner.email])
        request.reminder_count += 1
        request.last_reminded_at = now
        request.save(update_fields=["reminder_count", "last_reminded_at"])
        audit_record(
            event=AuditEventType.UPDATE_REMINDERS_SENT, system_actor=system_actor,
            organisation=action.plan.organisation, obj=action,
            extra={"period": request.period, "reminder": request.reminder_count},
        )  # fmt: skip
        reminded.append(request)
    return reminded


@transaction.atomic
def period_close(
    *, plan: ImprovementPlan, period: str, actor: User | None = None, system_actor: str = "",
    now: dt.datetime | None = None, synthetic: bool = False,
) -> Snapshot:  # fmt: skip
    """Freeze the plan, its updates and KPI figures for ``period`` as an immutable snapshot.

    The as-at date is the last day of the month, or today if the month has not ended."""
    org = plan.organisation
    if actor is not None:
        _check(org, actor, MANAGE)
    elif not system_actor:
        raise ApplicationError("Closing a period needs an actor")
    now = now or timezone.now()
    start, end = period_bounds(period)
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    if start > today:
        raise ApplicationError(f"{period_label(period)} has not started, so it cannot be closed")
    if selectors.snapshot_list(org=org, plan=plan).filter(period=period).exists():
        raise ApplicationError(f"{period_label(period)} is already closed")
    later = selectors.snapshot_list(org=org, plan=plan).filter(period__gt=period).first()
    if later is not None:
        raise ApplicationError(
            f"{period_label(later.period)} is already closed, so an earlier month cannot be closed"
        )
    as_at = min(end, today)
    document = plan_document(plan=plan, period=period, as_at=as_at)
    document["synthetic"] = synthetic
    try:
        with transaction.atomic():
            snapshot = Snapshot.objects.create(
                plan=plan, period=period, as_at=as_at, document=document,
                sha256=snapshot_hash(document), synthetic=synthetic, created_by=actor,
                created_at=now,
            )  # fmt: skip
    except IntegrityError:
        raise ApplicationError(f"{period_label(period)} is already closed") from None
    audit_record(
        event=AuditEventType.PERIOD_CLOSED, actor=actor, system_actor=system_actor,
        organisation=org, obj=snapshot,
        extra={"period": period, "sha256": snapshot.sha256, "actions": len(document["actions"])},
    )  # fmt: skip
    return snapshot
