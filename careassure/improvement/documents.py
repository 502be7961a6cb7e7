"""Build the JSON document a snapshot freezes: the plan as it stood when a period closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from careassure.core.framework import load_framework
from careassure.core.improvement import SNAPSHOT_SCHEMA, blocked_by, kpi_rag
from careassure.improvement import selectors
from careassure.improvement.models import ActionUpdate, ImprovementPlan
from careassure.improvement.periods import period_label


def _person(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.username)


def _update(update: ActionUpdate) -> dict[str, Any]:
    return {
        "period": update.period,
        "commentary": update.commentary,
        "status": update.status,
        "rag": update.rag,
        "percent_complete": update.percent_complete,
        "milestone_changes": update.milestone_changes,
        "created_by": _person(update.created_by),
        "created_at": update.created_at.isoformat(),
    }


def plan_document(*, plan: ImprovementPlan, period: str, as_at: dt.date) -> dict[str, Any]:
    """The whole plan as at ``as_at``: actions with RAG, milestones, risks, KPI figures (latest
    on or before ``as_at``, and each KPI's series of dated figures up to ``as_at`` as
    ``[[iso date, value], ...]``), dependencies and the updates given for ``period``."""
    framework = load_framework()
    rules = selectors.plan_rules(plan)
    actions = list(selectors.action_list(org=plan.organisation, plan=plan))
    graph = {a.ref: [d.depends_on.ref for d in a.dependencies.all()] for a in actions}
    done = {a.ref for a in actions if a.status in ("complete", "closed")}
    blockers = blocked_by(graph, done)
    rows = []
    for action in actions:
        rag = selectors.action_rag(action, rules=rules, today=as_at)
        updates = sorted(action.updates.all(), key=lambda u: (u.created_at, u.pk))
        period_updates = [_update(u) for u in updates if u.period == period]
        history = [u for u in updates if u.period <= period]
        kpis = []
        for kpi in action.kpis.all():
            # The whole series up to the month end is frozen, so a report made from this
            # snapshot later shows the same history whatever figures arrive afterwards.
            series = selectors.kpi_series(kpi, as_of=as_at)
            latest = series[-1] if series else None
            kpi_rag_value = None
            if latest is not None:
                kpi_rag_value = kpi_rag(selectors.action_facts_kpi(kpi, latest[1]))
            kpis.append(
                {
                    "name": kpi.name,
                    "unit": kpi.unit,
                    "target": None if kpi.target is None else str(kpi.target),
                    "red_threshold": None if kpi.red_threshold is None else str(kpi.red_threshold),
                    "amber_threshold": None
                    if kpi.amber_threshold is None
                    else str(kpi.amber_threshold),
                    "polarity": kpi.polarity,
                    "value": None if latest is None else str(latest[1]),
                    "as_at": None if latest is None else latest[0].isoformat(),
                    "rag": None if kpi_rag_value is None else kpi_rag_value.value,
                    "series": [[day.isoformat(), str(value)] for day, value in series],
                }
            )
        rows.append(
            {
                "ref": action.ref,
                "title": action.title,
                "description": action.description,
                "finding": action.finding,
                "quality_statements": list(action.quality_statements),
                "themes": sorted({framework.theme_of(qs).id for qs in action.quality_statements}),
                "owner": _person(action.owner),
                "lead_director": action.lead_director,
                "start_date": action.start_date.isoformat() if action.start_date else None,
                "due_date": action.due_date.isoformat(),
                "status": action.status,
                "priority": action.priority,
                "resources": action.resources,
                "percent_complete": action.percent_complete,
                "rag": rag.rag.value,
                "rag_computed": rag.computed.value,
                "rag_reasons": list(rag.reasons),
                "rag_overridden": rag.overridden,
                "rag_override_reason": rag.override_reason,
                "depends_on": sorted(graph[action.ref]),
                "blocked_by": list(blockers.get(action.ref, ())),
                "milestones": [
                    {
                        "title": m.title,
                        "due_date": m.due_date.isoformat(),
                        "status": m.status,
                        "completed_on": m.completed_on.isoformat() if m.completed_on else None,
                    }
                    for m in action.milestones.all()
                ],
                "risks": [
                    {
                        "description": r.description,
                        "likelihood": r.likelihood,
                        "impact": r.impact,
                        "score": r.score,
                        "mitigation": r.mitigation,
                    }
                    for r in action.risks.all()
                ],
                "kpis": kpis,
                "updates": period_updates,
                "latest_update": _update(history[-1]) if history else None,
            }
        )
    return {
        "schema": SNAPSHOT_SCHEMA,
        "period": period,
        "period_label": period_label(period),
        "as_at": as_at.isoformat(),
        "framework": framework.id,
        "plan": {
            "id": plan.pk,
            "title": plan.title,
            "cycle": plan.cycle,
            "organisation": plan.organisation.name,
            "rag_rules": rules.document(),
            "qs_scores": plan.qs_scores or {},
            "report_content": plan.report_content or {},
        },
        "actions": rows,
    }
