"""Display values for improvement plans: tags, table rows, dashboard tables and charts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import altair as alt

from careassure.accounts.models import Membership, Organisation
from careassure.core.framework import load_framework
from careassure.core.improvement import (
    Rag,
    SnapshotDiff,
    blocked_by,
    critical_path,
)
from careassure.improvement import selectors
from careassure.improvement.models import Action, ImprovementPlan, MilestoneStatus, Status
from careassure.improvement.periods import period_label

RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.GREY]
RAG_LABELS = {
    Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Complete",
    Rag.GREY: "Closed",
}  # fmt: skip
RAG_COLOURS = {
    Rag.RED: "#d4351c", Rag.AMBER: "#ffdd00", Rag.GREEN: "#00703c", Rag.BLUE: "#1d70b8",
    Rag.GREY: "#b1b4b6",
}  # fmt: skip
STATUS_LABELS = dict(Status.choices)
MILESTONE_LABELS = dict(MilestoneStatus.choices)


def rag_tag_class(rag: Rag | str) -> str:
    match Rag(rag):
        case Rag.RED:
            return "govuk-tag--red"
        case Rag.AMBER:
            return "govuk-tag--yellow"
        case Rag.GREEN:
            return "govuk-tag--green"
        case Rag.BLUE:
            return "govuk-tag--blue"
        case _:
            return "govuk-tag--grey"


def rag_label(rag: Rag | str) -> str:
    return RAG_LABELS[Rag(rag)]


def status_tag_class(status: str) -> str:
    return {
        "not_started": "govuk-tag--grey", "on_track": "govuk-tag--green",
        "at_risk": "govuk-tag--yellow", "off_track": "govuk-tag--red",
        "complete": "govuk-tag--blue", "closed": "govuk-tag--grey",
    }.get(status, "govuk-tag--grey")  # fmt: skip


def govuk_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


def qs_labels(ids: list[str]) -> list[str]:
    framework = load_framework()
    return [framework.quality_statement(qs).label for qs in ids]


def theme_short(theme_id: str) -> str:
    theme = load_framework().theme(theme_id)
    return theme.aliases[0] if theme.aliases else theme.title


@dataclass
class ActionRow:
    action: Action
    rag: Rag
    rag_reasons: tuple[str, ...]
    overridden: bool
    override_reason: str
    updated_this_period: bool
    blocked_by: tuple[str, ...] = ()
    themes: list[str] = field(default_factory=list)

    @property
    def qs(self) -> str:
        return ", ".join(qs_labels(self.action.quality_statements))

    @property
    def owner(self) -> str:
        owner = self.action.owner
        return (owner.get_full_name() or owner.username) if owner else "No owner"

    @property
    def rag_class(self) -> str:
        return rag_tag_class(self.rag)

    @property
    def rag_text(self) -> str:
        return rag_label(self.rag)

    @property
    def status_text(self) -> str:
        return STATUS_LABELS[self.action.status]

    @property
    def status_class(self) -> str:
        return status_tag_class(self.action.status)

    @property
    def due(self) -> str:
        return govuk_date(self.action.due_date)


def action_rows(
    *, org: Organisation, plan: ImprovementPlan, today: dt.date, period: str
) -> list[ActionRow]:
    rules = selectors.plan_rules(plan)
    actions = list(selectors.action_list(org=org, plan=plan))
    graph = {a.ref: [d.depends_on.ref for d in a.dependencies.all()] for a in actions}
    done = {a.ref for a in actions if a.status in (Status.COMPLETE, Status.CLOSED)}
    blockers = blocked_by(graph, done)
    framework = load_framework()
    rows = []
    for action in actions:
        rag = selectors.action_rag(action, rules=rules, today=today)
        rows.append(
            ActionRow(
                action=action,
                rag=rag.rag,
                rag_reasons=rag.reasons,
                overridden=rag.overridden,
                override_reason=rag.override_reason,
                updated_this_period=any(u.period == period for u in action.updates.all()),
                blocked_by=blockers.get(action.ref, ()),
                themes=sorted({framework.theme_of(q).id for q in action.quality_statements}),
            )
        )
    return rows


def rag_counts(rows: list[ActionRow]) -> list[dict[str, Any]]:
    counts = Counter(r.rag for r in rows)
    return [
        {"rag": rag.value, "label": RAG_LABELS[rag], "count": counts.get(rag, 0),
         "classes": rag_tag_class(rag)}
        for rag in RAG_ORDER
    ]  # fmt: skip


Table = tuple[list[str], list[list[Any]]]


def rag_by_theme_table(rows: list[ActionRow]) -> Table:
    """Rows: themes; columns: RAG counts. An action in two themes counts in each."""
    framework = load_framework()
    header = ["Theme", *[RAG_LABELS[r] for r in RAG_ORDER], "Total"]
    body: list[list[Any]] = []
    for theme in framework.themes:
        in_theme = [r for r in rows if theme.id in r.themes]
        counts = Counter(r.rag for r in in_theme)
        body.append(
            [f"{theme.id} {theme_short(theme.id)}", *[counts.get(r, 0) for r in RAG_ORDER],
             len(in_theme)]
        )  # fmt: skip
    return header, body


def rag_by_theme_chart(table: Table) -> dict[str, Any]:
    header, body = table
    data = [
        {"theme": row[0], "rag": header[i + 1], "count": row[i + 1]}
        for row in body
        for i in range(len(RAG_ORDER))
        if row[i + 1]
    ]
    chart = (
        alt.Chart(alt.Data(values=data))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            y=alt.Y("theme:N", title=None, sort=[row[0] for row in body]),
            x=alt.X("count:Q", title="Actions"),
            color=alt.Color(
                "rag:N",
                title="RAG",
                scale=alt.Scale(
                    domain=[RAG_LABELS[r] for r in RAG_ORDER],
                    range=[RAG_COLOURS[r] for r in RAG_ORDER],
                ),
            ),
            order=alt.Order("rag:N"),
        )
        .properties(width=520, height=160)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def overdue_milestones_table(rows: list[ActionRow], today: dt.date) -> Table:
    header = ["Action", "Milestone", "Due", "Days late", "Owner"]
    body: list[list[Any]] = []
    for row in rows:
        for m in row.action.milestones.all():
            if m.status != MilestoneStatus.COMPLETE and m.due_date < today:
                body.append(
                    [row.action.ref, m.title, govuk_date(m.due_date), (today - m.due_date).days,
                     row.owner]
                )  # fmt: skip
    body.sort(key=lambda r: -int(r[3]))
    return header, body


def no_update_table(rows: list[ActionRow], period: str) -> Table:
    header = ["Action", "Title", "Owner", "Status"]
    body = [
        [r.action.ref, r.action.title, r.owner, r.status_text]
        for r in rows
        if not r.updated_this_period and r.action.status not in (Status.COMPLETE, Status.CLOSED)
    ]
    return header, body


def blocked_table(rows: list[ActionRow]) -> Table:
    header = ["Action", "Title", "Blocked by", "RAG"]
    body = [
        [r.action.ref, r.action.title, ", ".join(r.blocked_by), r.rag_text]
        for r in rows
        if r.blocked_by
    ]
    return header, body


def critical_path_table(rows: list[ActionRow], today: dt.date) -> tuple[Table, int]:
    """The longest chain of unfinished dependent actions, by days left to each due date."""
    open_rows = {
        r.action.ref: r for r in rows if r.action.status not in (Status.COMPLETE, Status.CLOSED)
    }
    graph = {ref: [d.depends_on.ref for d in r.action.dependencies.all()]
             for ref, r in open_rows.items()}  # fmt: skip
    durations = {}
    for ref, r in open_rows.items():
        start = max(today, r.action.start_date or today)
        durations[ref] = max((r.action.due_date - start).days, 0)
    path = critical_path(graph, durations)
    header = ["Step", "Action", "Title", "Due", "Days left", "RAG"]
    body = [
        [i, ref, open_rows[ref].action.title, open_rows[ref].due, durations[ref],
         open_rows[ref].rag_text]
        for i, ref in enumerate(path.actions, start=1)
    ]  # fmt: skip
    return (header, body), path.days


def dashboard_tables(rows: list[ActionRow], today: dt.date, period: str) -> dict[str, Table]:
    critical, _ = critical_path_table(rows, today)
    return {
        "rag-by-theme": rag_by_theme_table(rows),
        "overdue-milestones": overdue_milestones_table(rows, today),
        "no-update": no_update_table(rows, period),
        "blocked": blocked_table(rows),
        "critical-path": critical,
    }


TABLE_TITLES = {
    "rag-by-theme": "Actions by RAG and theme",
    "overdue-milestones": "Overdue milestones",
    "no-update": "Actions with no update this month",
    "blocked": "Blocked actions",
    "critical-path": "Critical path of unfinished actions",
}


def diff_rows(diff: SnapshotDiff) -> dict[str, list[list[str]]]:
    def show(field_name: str, value: Any) -> str:
        if value is None:
            return "–"
        if field_name == "status":
            return STATUS_LABELS.get(str(value), str(value))
        if field_name == "rag":
            return (
                RAG_LABELS.get(Rag(value), str(value))
                if value in Rag._value2member_map_
                else str(value)
            )
        if field_name == "percent_complete":
            return f"{value}%"
        return str(value)

    names = {"status": "Status", "rag": "RAG", "percent_complete": "Percentage complete"}
    return {
        "added": [[a.ref, a.title] for a in diff.added],
        "removed": [[a.ref, a.title] for a in diff.removed],
        "changes": [
            [c.ref, c.title, names.get(c.field, c.field), show(c.field, c.before),
             show(c.field, c.after)]
            for c in diff.changes
        ],
        "late": [[m.ref, m.milestone, govuk_date(dt.date.fromisoformat(m.due_date))]
                 for m in diff.new_late_milestones],
        "kpis": [
            [k.ref, k.kpi, k.before or "–", k.after or "–",
             RAG_LABELS[Rag(k.rag_after)] if k.rag_after else "–"]
            for k in diff.kpi_moves
        ],
    }  # fmt: skip


def dashboard_card(org: Organisation, membership: Membership) -> dict[str, Any] | None:
    from django.urls import reverse
    from django.utils import timezone

    from careassure.improvement.periods import period_of

    plan = selectors.plan_list(org=org).first()
    if plan is None:
        return None
    today = timezone.localdate()
    rows = action_rows(org=org, plan=plan, today=today, period=period_of(today))
    red = sum(1 for r in rows if r.rag == Rag.RED)
    return {
        "title": "Improvement plan",
        "href": reverse("improvement:plan-detail", args=[plan.pk]),
        "value": f"{red} red",
        "text": f"of {len(rows)} actions in {plan.title}",
    }


def month_choices(today: dt.date, closed: set[str], count: int = 3) -> list[tuple[str, str]]:
    """This month and the previous ones (newest first), leaving out months already closed."""
    from careassure.improvement.periods import period_of, previous_period

    period = period_of(today)
    choices = []
    for _ in range(count):
        if period not in closed:
            choices.append((period, period_label(period)))
        period = previous_period(period)
    return choices


def kpi_display(kpi: Any, today: dt.date) -> dict[str, Any]:
    """A KPI as the action page shows it: its current figure (the last point of its series up
    to today), the RAG of that figure, and where its figures come from."""
    from careassure.core.improvement import kpi_rag

    current = selectors.kpi_current(kpi, as_of=today)
    rag = kpi_rag(selectors.action_facts_kpi(kpi, current[1])) if current else None
    return {
        "kpi": kpi,
        "value": current[1] if current else None,
        "as_at": current[0] if current else None,
        "rag": None if rag is None else {"text": RAG_LABELS[rag], "classes": rag_tag_class(rag)},
        "source": selectors.kpi_source_text(kpi),
        "manual": not kpi.is_linked,
    }


def snapshot_rag_counts(document: dict[str, Any]) -> list[dict[str, Any]]:
    counts = Counter(Rag(a["rag"]) for a in document.get("actions", []))
    return [
        {"rag": rag.value, "label": RAG_LABELS[rag], "count": counts.get(rag, 0),
         "classes": rag_tag_class(rag)}
        for rag in RAG_ORDER
    ]  # fmt: skip
