"""CSV and XLSX downloads: dashboard tables, and the whole plan with its history."""

from __future__ import annotations

import io
from typing import Any

from careassure.common.exports import Table, table_csv, tables_xlsx
from careassure.improvement.models import ActionUpdate, ImprovementPlan, KpiValue
from careassure.improvement.selectors import kpi_source_text

__all__ = ["Table", "plan_csv", "plan_tables", "table_csv", "tables_xlsx"]


def _person(user: Any) -> str:
    return "" if user is None else str(user.get_full_name() or user.username)


def _iso(value: Any) -> str:
    return "" if value is None else value.isoformat()


def plan_tables(plan: ImprovementPlan) -> dict[str, Table]:
    """The plan and its full history as tables (the same columns the import accepts)."""
    actions = list(
        plan.actions.select_related("owner").prefetch_related(
            "milestones", "risks", "kpis", "dependencies__depends_on"
        )
    )
    action_rows = [
        [a.ref, a.title, a.description, a.finding,
         ", ".join(q.upper() for q in a.quality_statements), _person(a.owner),
         a.owner.username if a.owner else "", a.lead_director, _iso(a.start_date),
         _iso(a.due_date), a.get_status_display(), a.percent_complete, a.get_priority_display(),
         a.resources, ", ".join(sorted(d.depends_on.ref for d in a.dependencies.all())),
         a.get_rag_override_display() if a.rag_override else "", a.rag_override_reason]
        for a in actions
    ]  # fmt: skip
    milestones = [
        [a.ref, m.title, _iso(m.due_date), m.get_status_display(), _iso(m.completed_on)]
        for a in actions
        for m in a.milestones.all()
    ]
    risks = [
        [a.ref, r.description, r.likelihood, r.impact, r.score, r.mitigation]
        for a in actions
        for r in a.risks.all()
    ]
    kpis = [
        [a.ref, k.name, k.unit, k.target, k.red_threshold, k.amber_threshold,
         k.get_polarity_display(), kpi_source_text(k)]
        for a in actions
        for k in a.kpis.all()
    ]  # fmt: skip
    values = [
        [v.kpi.action.ref, v.kpi.name, v.value, _iso(v.as_at), _person(v.created_by),
         _iso(v.created_at)]
        for v in KpiValue.objects.filter(kpi__action__plan=plan)
        .select_related("kpi__action", "created_by")
        .order_by("kpi__action__ref", "kpi__name", "as_at", "id")
    ]  # fmt: skip
    updates = [
        [u.action.ref, u.period, u.get_status_display(), u.get_rag_display(), u.percent_complete,
         u.commentary, "; ".join(f"{c['title']}: {c['from']} → {c['to']}"
                                 for c in u.milestone_changes),
         _person(u.created_by), _iso(u.created_at)]
        for u in ActionUpdate.objects.filter(action__plan=plan)
        .select_related("action", "created_by")
        .order_by("action__ref", "created_at", "id")
    ]  # fmt: skip
    return {
        "Actions": (
            ["Reference", "Title", "Description", "CQC finding", "Quality statements", "Owner",
             "Owner username", "Lead director", "Start date", "Due date", "Status",
             "Percentage complete", "Priority", "Resources", "Depends on", "RAG override",
             "Override reason"],
            action_rows,
        ),
        "Milestones": (["Action", "Milestone", "Due date", "Status", "Completed on"], milestones),
        "Risks": (["Action", "Risk", "Likelihood", "Impact", "Score", "Mitigation"], risks),
        "KPIs": (["Action", "KPI", "Unit", "Target", "Red threshold", "Amber threshold",
                  "Polarity", "Figures from"], kpis),
        "KPI values": (["Action", "KPI", "Value", "As at", "Entered by", "Entered at"], values),
        "Updates": (["Action", "Period", "Status", "RAG", "Percentage complete", "Commentary",
                     "Milestone changes", "Given by", "Given at"], updates),
    }  # fmt: skip


def plan_csv(plan: ImprovementPlan) -> str:
    """All tables in one CSV file, each introduced by a line naming it."""
    out = io.StringIO()
    for name, table in plan_tables(plan).items():
        out.write(f"# {name}\r\n")
        out.write(table_csv(table))
        out.write("\r\n")
    return out.getvalue()
