"""Improvement plan pages. Every view is organisation-scoped: objects are fetched through
selectors that filter by the signed-in member's council, so other councils' ids are 404."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from careassure.accounts.models import User
from careassure.accounts.permissions import organisation_required
from careassure.common.charts import chart_data_uri
from careassure.common.exceptions import ApplicationError, ConflictError
from careassure.common.forms import error_summary
from careassure.core.framework import load_framework
from careassure.core.improvement import RagRules, diff_snapshots
from careassure.core.improvement import importing as importing_core
from careassure.improvement import exports, importing, presenters, selectors, services
from careassure.improvement.forms import (
    MANUAL,
    SERIES,
    ActionForm,
    DependencyForm,
    KpiEditForm,
    KpiForm,
    KpiValueForm,
    MilestoneEditForm,
    MilestoneForm,
    PeriodForm,
    PlanForm,
    RagOverrideForm,
    RagRulesForm,
    RemoveForm,
    RiskEditForm,
    RiskForm,
    ScoresForm,
    StatusForm,
    UpdateForm,
)
from careassure.improvement.models import Action, PolarityChoice, Status
from careassure.improvement.periods import period_label, period_of

MANAGE = "plan.manage"
UPDATE = "plan.update"
DATE_HINT = "For example, 31/3/2026"
RISK_FIELDS = [
    {"name": "description", "label": "Risk", "kind": "textarea"},
    {"name": "likelihood", "label": "Likelihood", "kind": "radios",
     "hint": "1 is rare, 5 is almost certain"},
    {"name": "impact", "label": "Impact", "kind": "radios", "hint": "1 is negligible, 5 is severe"},
    {"name": "mitigation", "label": "Mitigation", "kind": "textarea"},
]  # fmt: skip


def _user(request: HttpRequest) -> User:
    """The signed-in member (views are behind organisation_required)."""
    return cast(User, request.user)


def _today() -> Any:
    return timezone.localdate()


def _can(request: HttpRequest, permission: str) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership and membership.has_permission(permission))


def _form_error(form: forms.Form, error: ApplicationError, field: str | None = None) -> None:
    form.add_error(field, error.message)


def _conflict(
    request: HttpRequest, action: Action, error: ConflictError, heading: str = ""
) -> HttpResponse:
    return render(
        request, "improvement/action_conflict.jinja",
        {"action": action, "message": error.message,
         "heading": heading or f"{action.ref} was changed by someone else"},
        status=409,
    )  # fmt: skip


def _download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Plans ---------------------------------------------------------------------------------------


@organisation_required()
def plan_list(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = PlanForm(request.POST or None, cycles=list(selectors.assessment_cycle_list(org=org)))
    if request.method == "POST":
        if not _can(request, MANAGE):
            raise Http404
        if form.is_valid():
            try:
                plan = services.plan_create(org=org, actor=_user(request), **form.service_fields())
            except ApplicationError as error:
                _form_error(form, error, "title")
            else:
                messages.success(request, f"Plan ‘{plan.title}’ created")
                return redirect("improvement:plan-detail", plan.pk)
    return render(
        request, "improvement/plan_list.jinja",
        {"plans": selectors.plan_list(org=org), "form": form, "can_manage": _can(request, MANAGE),
         "error_summary": error_summary(form)},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _plan_rows(request: HttpRequest, plan_id: int) -> tuple[Any, Any, str, list[Any]]:
    """The council's plan (404 for another council's) and its action rows as at today."""
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    today = _today()
    period = period_of(today)
    rows = presenters.action_rows(org=org, plan=plan, today=today, period=period)
    return plan, today, period, rows


@organisation_required()
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, today, period, rows = _plan_rows(request, plan_id)
    theme = request.GET.get("theme", "")
    rag = request.GET.get("rag", "")
    shown = [r for r in rows if (not theme or theme in r.themes) and (not rag or r.rag == rag)]
    org = request.organisation  # type: ignore[attr-defined]
    snapshots = list(selectors.snapshot_list(org=org, plan=plan)[:1])
    return render(
        request, "improvement/plan_detail.jinja",
        {"plan": plan, "rows": shown, "all_count": len(rows),
         "counts": presenters.rag_counts(rows), "theme": theme, "rag": rag,
         "themes": [(t.id, f"{t.id} {presenters.theme_short(t.id)}")
                    for t in load_framework().themes],
         "period_label": period_label(period),
         "updated": sum(1 for r in rows if r.updated_this_period),
         "last_snapshot": snapshots[0] if snapshots else None,
         "last_snapshot_label": period_label(snapshots[0].period) if snapshots else "",
         "can_manage": _can(request, MANAGE)},
    )  # fmt: skip


@organisation_required()
def plan_dashboard(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, today, period, rows = _plan_rows(request, plan_id)
    tables = presenters.dashboard_tables(rows, today, period)
    export = request.GET.get("export", "")
    if export:
        name = request.GET.get("table", "")
        if export == "xlsx" and not name:
            return _download(
                exports.tables_xlsx({presenters.TABLE_TITLES[k]: t for k, t in tables.items()}),
                f"plan-{plan.pk}-dashboard.xlsx", XLSX,
            )  # fmt: skip
        if name not in tables or export not in ("csv", "xlsx"):
            raise Http404
        if export == "csv":
            return _download(exports.table_csv(tables[name]), f"{name}.csv", "text/csv")
        return _download(
            exports.tables_xlsx({presenters.TABLE_TITLES[name]: tables[name]}), f"{name}.xlsx", XLSX
        )
    _, critical_days = presenters.critical_path_table(rows, today)
    theme_table = tables["rag-by-theme"]
    return render(
        request, "improvement/plan_dashboard.jinja",
        {"plan": plan, "tables": tables, "titles": presenters.TABLE_TITLES,
         "counts": presenters.rag_counts(rows), "critical_days": critical_days,
         "period_label": period_label(period), "today": today,
         "chart": chart_data_uri(presenters.rag_by_theme_chart(theme_table)),
         "chart_alt": "Bar chart of actions by RAG status in each theme. "
                      + "; ".join(f"{row[0]}: {row[-1]} actions" for row in theme_table[1])
                      + ". The figures are in the table below."},
    )  # fmt: skip


@organisation_required(MANAGE)
def plan_rules(request: HttpRequest, plan_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    rules = selectors.plan_rules(plan)
    form = RagRulesForm(request.POST or None, initial=RagRulesForm.initial_for(rules))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_rag_rules_set(plan=plan, rules=form.cleaned_data, actor=_user(request))
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "RAG rules saved")
            return redirect("improvement:plan-detail", plan.pk)
    return render(
        request, "improvement/plan_rules.jinja",
        {"plan": plan, "form": form, "error_summary": error_summary(form),
         "defaults": RagRules().document()},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required(MANAGE)
def plan_scores(request: HttpRequest, plan_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    form = ScoresForm(
        request.POST or None,
        initial=ScoresForm.initial_for(plan.qs_scores or {}, plan.report_content or {}),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_scores_set(
                plan=plan, scores=form.scores(), report_content=form.content(),
                actor=_user(request),
            )  # fmt: skip
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Scores and report text saved")
            return redirect("improvement:plan-detail", plan.pk)
    return render(
        request, "improvement/plan_scores.jinja",
        {"plan": plan, "form": form, "error_summary": error_summary(form),
         "series": [label for _, label in SERIES]},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required()
def plan_export(request: HttpRequest, plan_id: int, fmt: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    if fmt == "xlsx":
        return _download(
            exports.tables_xlsx(exports.plan_tables(plan)), f"plan-{plan.pk}.xlsx", XLSX
        )
    if fmt == "csv":
        return _download(exports.plan_csv(plan), f"plan-{plan.pk}.csv", "text/csv")
    raise Http404


# Actions -------------------------------------------------------------------------------------


@organisation_required(MANAGE)
def action_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    form = ActionForm(request.POST or None, members=list(selectors.member_list(org=org)))
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                plan=plan, actor=_user(request), **form.service_fields()
            )
        except ApplicationError as error:
            _form_error(
                form,
                error,
                "ref" if "reference" in error.message or "already used" in error.message else None,
            )
        else:
            messages.success(request, f"{action.ref} added")
            return redirect("improvement:action-detail", action.pk)
    return render(
        request, "improvement/action_form.jinja",
        {"plan": plan, "form": form, "error_summary": error_summary(form), "action": None},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required(MANAGE)
def action_edit(request: HttpRequest, action_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    action = selectors.action_get(org=org, action_id=action_id)
    form = ActionForm(
        request.POST or None, initial=ActionForm.initial_for(action),
        members=list(selectors.member_list(org=org)),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.action_edit(
                action=action, actor=_user(request),
                version=form.cleaned_data.get("version") or 0, changes=form.service_fields(),
            )  # fmt: skip
        except ConflictError as error:
            return _conflict(request, action, error)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{action.ref} saved")
            return redirect("improvement:action-detail", action.pk)
    return render(
        request, "improvement/action_form.jinja",
        {"plan": action.plan, "form": form, "error_summary": error_summary(form),
         "action": action},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required()
def action_detail(request: HttpRequest, action_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    found = selectors.action_get(org=org, action_id=action_id)
    plan = found.plan
    today = _today()
    rows = presenters.action_rows(org=org, plan=plan, today=today, period=period_of(today))
    row = next(r for r in rows if r.action.pk == found.pk)
    action = row.action
    dependents = [
        r for r in rows if action.ref in [d.depends_on.ref for d in r.action.dependencies.all()]
    ]
    updates = sorted(action.updates.all(), key=lambda u: (u.created_at, u.pk), reverse=True)
    kpis = [presenters.kpi_display(k, today) for k in action.kpis.all()]
    can_update = _can(request, MANAGE) or (
        _can(request, UPDATE) and action.owner_id == request.user.pk
    )
    return render(
        request, "improvement/action_detail.jinja",
        {"plan": plan, "row": row, "action": action, "dependents": dependents,
         "updates": updates, "kpis": kpis, "today": today,
         "can_manage": _can(request, MANAGE), "can_update": can_update,
         "status_labels": presenters.STATUS_LABELS, "period_label": period_label,
         "milestone_labels": presenters.MILESTONE_LABELS},
    )  # fmt: skip


@organisation_required(MANAGE)
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    action = selectors.action_get(org=org, action_id=action_id)
    form = StatusForm(
        request.POST or None, current=action.status, initial={"version": action.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_status_change(
                action=action, to=form.cleaned_data["status"], actor=_user(request),
                version=form.cleaned_data["version"],
            )  # fmt: skip
        except ConflictError as error:
            return _conflict(request, action, error)
        except ApplicationError as error:
            _form_error(form, error, "status")
        else:
            messages.success(
                request, f"{action.ref} status changed to {action.get_status_display()}"
            )
            return redirect("improvement:action-detail", action.pk)
    return render(
        request, "improvement/action_status.jinja",
        {"action": action, "form": form, "error_summary": error_summary(form)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required(MANAGE)
def action_rag(request: HttpRequest, action_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    action = selectors.action_get(org=org, action_id=action_id)
    form = RagOverrideForm(
        request.POST or None,
        initial={"version": action.version, "rag": action.rag_override,
                 "reason": action.rag_override_reason},
    )  # fmt: skip
    if request.method == "POST" and "clear" in request.POST:
        try:
            services.action_rag_override_clear(
                action=action,
                actor=_user(request),
                version=int(request.POST.get("version", 0)),
            )
        except ConflictError as error:
            return _conflict(request, action, error)
        messages.success(request, f"{action.ref} RAG override removed")
        return redirect("improvement:action-detail", action.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_rag_override(
                action=action, actor=_user(request), rag=form.cleaned_data["rag"],
                reason=form.cleaned_data["reason"], version=form.cleaned_data["version"],
            )  # fmt: skip
        except ConflictError as error:
            return _conflict(request, action, error)
        except ApplicationError as error:
            _form_error(form, error, "reason")
        else:
            messages.success(request, f"{action.ref} RAG overridden")
            return redirect("improvement:action-detail", action.pk)
    return render(
        request, "improvement/action_rag.jinja",
        {"action": action, "form": form, "error_summary": error_summary(form)},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _sub_form(
    request: HttpRequest, action: Action, form: forms.Form, title: str,
    fields: list[dict[str, Any]], save: Any, done: str, status_field: Any = None,
    template: str = "improvement/action_subform.jinja", context: dict[str, Any] | None = None,
    conflict_heading: str = "",
) -> HttpResponse:  # fmt: skip
    """A form page for part of an action (a milestone, risk, KPI, dependency or figure). Edit
    forms carry the part's version: a stale one shows the conflict page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ConflictError as error:
            return _conflict(request, action, error, conflict_heading)
        except ApplicationError as error:
            field = status_field(error.message) if callable(status_field) else status_field
            _form_error(form, error, field)
        else:
            messages.success(request, done)
            return redirect("improvement:action-detail", action.pk)
    return render(
        request, template,
        {"action": action, "form": form, "title": title, "fields": fields,
         "error_summary": error_summary(form), **(context or {})},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _remove_page(
    request: HttpRequest, action: Action, *, what: str, name: str, version: int,
    details: list[tuple[str, str]], remove: Any, done: str, refusal: str = "",
) -> HttpResponse:  # fmt: skip
    """The GOV.UK confirmation page for removing part of an action. Only a POST removes it;
    the form carries the version shown, so a part changed meanwhile gives the conflict page."""
    form = RemoveForm(request.POST or None, initial={"version": version})
    if request.method == "POST" and form.is_valid():
        try:
            remove(form.cleaned_data["version"])
        except ConflictError as error:
            return _conflict(request, action, error, f"The {what} was changed by someone else")
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, done)
            return redirect("improvement:action-detail", action.pk)
    return render(
        request, "improvement/action_remove.jinja",
        {"action": action, "form": form, "what": what, "name": name, "details": details,
         "refusal": refusal, "error_summary": error_summary(form)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required(MANAGE)
def dependency_add(request: HttpRequest, action_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    action = selectors.action_get(org=org, action_id=action_id)
    candidates = list(selectors.action_list(org=org, plan=action.plan).exclude(pk=action.pk))
    form = DependencyForm(request.POST or None, candidates=candidates)
    return _sub_form(
        request, action, form, f"Add a dependency to {action.ref}",
        [{"name": "depends_on", "label": f"{action.ref} cannot finish until", "kind": "select"}],
        lambda f: services.action_dependency_add(
            action=action, depends_on=f.action(), actor=_user(request)
        ),
        "Dependency added", "depends_on",
    )  # fmt: skip


@organisation_required(MANAGE)
@require_POST
def dependency_remove(request: HttpRequest, dependency_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    dependency = selectors.dependency_get(org=org, dependency_id=dependency_id)
    action = dependency.action
    services.action_dependency_remove(dependency=dependency, actor=_user(request))
    messages.success(request, "Dependency removed")
    return redirect("improvement:action-detail", action.pk)


@organisation_required(MANAGE)
def milestone_add(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get(org=request.organisation, action_id=action_id)  # type: ignore[attr-defined]
    form = MilestoneForm(request.POST or None)
    return _sub_form(
        request, action, form, f"Add a milestone to {action.ref}",
        MILESTONE_FIELDS,
        lambda f: services.milestone_add(action=action, actor=_user(request), **f.cleaned_data),
        "Milestone added",
    )  # fmt: skip


MILESTONE_FIELDS = [
    {"name": "title", "label": "Milestone"},
    {"name": "due_date", "label": "Due date", "hint": DATE_HINT,
     "classes": "govuk-input--width-10"},
]  # fmt: skip


@organisation_required(MANAGE)
def milestone_edit(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = selectors.milestone_get(org=request.organisation, milestone_id=milestone_id)  # type: ignore[attr-defined]
    action = milestone.action
    form = MilestoneEditForm(request.POST or None, initial=MilestoneEditForm.initial_for(milestone))
    return _sub_form(
        request, action, form, f"Change the milestone ‘{milestone.title}’",
        [*MILESTONE_FIELDS,
         {"name": "status", "label": "Status", "kind": "radios"},
         {"name": "completed_on", "label": "Date completed", "classes": "govuk-input--width-10",
          "hint": "Only for a complete milestone. Leave blank for today. " + DATE_HINT}],
        lambda f: services.milestone_edit(
            milestone=milestone, actor=_user(request), version=f.cleaned_data["version"],
            title=f.cleaned_data["title"], due_date=f.cleaned_data["due_date"],
            status=f.cleaned_data["status"], completed_on=f.cleaned_data["completed_on"],
            today=_today(),
        ),
        "Milestone saved", "completed_on",
        conflict_heading="The milestone was changed by someone else",
    )  # fmt: skip


@organisation_required(MANAGE)
def milestone_remove(request: HttpRequest, milestone_id: int) -> HttpResponse:
    milestone = selectors.milestone_get(org=request.organisation, milestone_id=milestone_id)  # type: ignore[attr-defined]
    return _remove_page(
        request, milestone.action, what="milestone", name=milestone.title,
        version=milestone.version,
        details=[("Due date", presenters.govuk_date(milestone.due_date)),
                 ("Status", presenters.MILESTONE_LABELS[milestone.status])],
        remove=lambda version: services.milestone_remove(
            milestone=milestone, actor=_user(request), version=version
        ),
        done="Milestone removed",
    )  # fmt: skip


@organisation_required(MANAGE)
def risk_add(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.action_get(org=request.organisation, action_id=action_id)  # type: ignore[attr-defined]
    form = RiskForm(request.POST or None)
    return _sub_form(
        request, action, form, f"Add a risk to {action.ref}", RISK_FIELDS,
        lambda f: services.risk_add(action=action, actor=_user(request), **f.cleaned_data),
        "Risk added",
    )  # fmt: skip


@organisation_required(MANAGE)
def risk_edit(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.risk_get(org=request.organisation, risk_id=risk_id)  # type: ignore[attr-defined]
    form = RiskEditForm(request.POST or None, initial=RiskEditForm.initial_for(risk))
    return _sub_form(
        request, risk.action, form, f"Change a risk of {risk.action.ref}", RISK_FIELDS,
        lambda f: services.risk_edit(risk=risk, actor=_user(request), **f.cleaned_data),
        "Risk saved", conflict_heading="The risk was changed by someone else",
    )  # fmt: skip


@organisation_required(MANAGE)
def risk_remove(request: HttpRequest, risk_id: int) -> HttpResponse:
    risk = selectors.risk_get(org=request.organisation, risk_id=risk_id)  # type: ignore[attr-defined]
    return _remove_page(
        request, risk.action, what="risk", name=risk.description, version=risk.version,
        details=[("Likelihood", str(risk.likelihood)), ("Impact", str(risk.impact)),
                 ("Mitigation", risk.mitigation or "Not given")],
        remove=lambda version: services.risk_remove(
            risk=risk, actor=_user(request), version=version
        ),
        done="Risk removed",
    )  # fmt: skip


def _kpi_error_field(message: str) -> str | None:
    """The KPI form field a service refusal is about, so the error shows beside it."""
    if "threshold" in message:
        return "red_threshold"
    if "already has a KPI" in message or "KPI name" in message:
        return "name"
    if " is better" in message:
        return "polarity"
    if "metric" in message:
        return "metric" if "choose another area" not in message else "area"
    return None


def _kpi_page(
    request: HttpRequest, action: Action, form: KpiForm, title: str, save: Any, done: str,
) -> HttpResponse:  # fmt: skip
    return _sub_form(
        request, action, form, title, [], save, done, _kpi_error_field,
        template="improvement/kpi_form.jinja",
        conflict_heading="The KPI was changed by someone else",
    )  # fmt: skip


@organisation_required(MANAGE)
def kpi_add(request: HttpRequest, action_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    action = selectors.action_get(org=org, action_id=action_id)
    form = KpiForm(
        request.POST or None, initial={"source": MANUAL},
        metrics=selectors.metric_choices(org=org),
    )  # fmt: skip
    return _kpi_page(
        request, action, form, f"Link a KPI to {action.ref}",
        lambda f: services.kpi_add(action=action, actor=_user(request), **f.service_fields()),
        "KPI linked",
    )  # fmt: skip


@organisation_required(MANAGE)
def kpi_edit(request: HttpRequest, kpi_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    kpi = selectors.kpi_get(org=org, kpi_id=kpi_id)
    form = KpiEditForm(
        request.POST or None, initial=KpiEditForm.initial_for(kpi),
        metrics=selectors.metric_choices(org=org), kpi=kpi,
    )  # fmt: skip
    return _kpi_page(
        request, kpi.action, form, f"Change the KPI ‘{kpi.name}’",
        lambda f: services.kpi_edit(
            kpi=kpi, actor=_user(request), version=f.cleaned_data["version"],
            **f.service_fields(),
        ),
        "KPI saved",
    )  # fmt: skip


@organisation_required(MANAGE)
def kpi_remove(request: HttpRequest, kpi_id: int) -> HttpResponse:
    kpi = selectors.kpi_get(org=request.organisation, kpi_id=kpi_id)  # type: ignore[attr-defined]
    count = kpi.values.count()
    refusal = ""
    if count:
        figures = "1 figure has" if count == 1 else f"{count} figures have"
        refusal = (
            f"This KPI cannot be removed because {figures} been recorded for it. Recorded "
            "figures are kept as history for closed months and reports. You can change the KPI "
            "instead."
        )
    return _remove_page(
        request, kpi.action, what="KPI", name=kpi.name, version=kpi.version,
        details=[("Figures from", selectors.kpi_source_text(kpi)),
                 ("Figures recorded by hand", str(count))],
        remove=lambda version: services.kpi_remove(kpi=kpi, actor=_user(request), version=version),
        done="KPI removed", refusal=refusal,
    )  # fmt: skip


@organisation_required(UPDATE)
def kpi_value_add(request: HttpRequest, kpi_id: int) -> HttpResponse:
    kpi = selectors.kpi_get(org=request.organisation, kpi_id=kpi_id)  # type: ignore[attr-defined]
    form = KpiValueForm(request.POST or None)
    return _sub_form(
        request, kpi.action, form, f"Record a figure for {kpi.name}",
        [{"name": "value", "label": f"Figure{' (' + kpi.unit + ')' if kpi.unit else ''}",
          "classes": "govuk-input--width-10"},
         {"name": "as_at", "label": "As at", "hint": "For example, 31/3/2026",
          "classes": "govuk-input--width-10"}],
        lambda f: services.kpi_value_record(kpi=kpi, actor=_user(request), **f.cleaned_data),
        "Figure recorded",
    )  # fmt: skip


# Monthly cycle -------------------------------------------------------------------------------


@organisation_required(UPDATE)
def action_update(request: HttpRequest, action_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    action = selectors.action_get(org=org, action_id=action_id)
    action = selectors.action_list(org=org, plan=action.plan).get(pk=action.pk)
    today = _today()
    period = period_of(today)
    initial = {"version": action.version, "status": action.status,
               "percent_complete": action.percent_complete}  # fmt: skip
    initial.update({f"milestone_{m.pk}": m.status for m in action.milestones.all()})
    form = UpdateForm(request.POST or None, action=action, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update_submit(
                action=action, actor=_user(request), version=form.cleaned_data["version"],
                period=period, commentary=form.cleaned_data["commentary"],
                status=form.cleaned_data["status"],
                percent_complete=form.cleaned_data["percent_complete"],
                milestone_changes=form.milestone_changes(),
            )  # fmt: skip
        except ConflictError as error:
            return _conflict(request, action, error)
        except ApplicationError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Update for {action.ref} saved for {period_label(period)}")
            return redirect("improvement:action-detail", action.pk)
    return render(
        request, "improvement/action_update.jinja",
        {"action": action, "form": form, "error_summary": error_summary(form),
         "period_label": period_label(period)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required(MANAGE)
def plan_request_updates(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan, today, period, rows = _plan_rows(request, plan_id)
    waiting = [r for r in rows if not r.updated_this_period
               and r.action.status not in (Status.COMPLETE, Status.CLOSED)]  # fmt: skip
    if request.method == "POST":
        sent = services.updates_request(
            plan=plan, period=period, actor=_user(request),
            base_url=request.build_absolute_uri("/"),
        )  # fmt: skip
        messages.success(request, f"{len(sent)} update requests sent for {period_label(period)}")
        return redirect("improvement:plan-detail", plan.pk)
    return render(
        request, "improvement/plan_request_updates.jinja",
        {"plan": plan, "waiting": waiting, "period_label": period_label(period)},
    )  # fmt: skip


@organisation_required(MANAGE)
def plan_close(request: HttpRequest, plan_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    today = _today()
    closed = set(selectors.snapshot_list(org=org, plan=plan).values_list("period", flat=True))
    choices = presenters.month_choices(today, closed)
    form = PeriodForm(
        request.POST or None, choices=choices, initial={"period": choices[0][0] if choices else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = services.period_close(
                plan=plan,
                period=form.cleaned_data["period"],
                actor=_user(request),
            )
        except ApplicationError as error:
            _form_error(form, error, "period")
        else:
            messages.success(request, f"{period_label(snapshot.period)} closed and frozen")
            return redirect("improvement:snapshot-detail", snapshot.pk)
    period = period_of(today)
    rows = presenters.action_rows(org=org, plan=plan, today=today, period=period)
    return render(
        request, "improvement/plan_close.jinja",
        {"plan": plan, "form": form, "choices": choices, "error_summary": error_summary(form),
         "missing": [r for r in rows if not r.updated_this_period
                     and r.action.status not in (Status.COMPLETE, Status.CLOSED)]},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required()
def snapshot_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    snapshots = list(selectors.snapshot_list(org=org, plan=plan))
    return render(
        request, "improvement/snapshot_list.jinja",
        {"plan": plan, "snapshots": snapshots,
         "labels": {s.pk: period_label(s.period) for s in snapshots}},
    )  # fmt: skip


@organisation_required()
def snapshot_detail(request: HttpRequest, snapshot_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    snapshot = selectors.snapshot_get(org=org, snapshot_id=snapshot_id)
    if request.GET.get("format") == "json":
        return _download(
            json.dumps(snapshot.document, indent=2, ensure_ascii=False),
            f"plan-{snapshot.plan_id}-{snapshot.period}.json", "application/json",
        )  # fmt: skip
    actions = snapshot.document.get("actions", [])
    return render(
        request, "improvement/snapshot_detail.jinja",
        {"snapshot": snapshot, "plan": snapshot.plan, "actions": actions,
         "period_label": period_label(snapshot.period),
         "rag_class": presenters.rag_tag_class, "rag_label": presenters.rag_label,
         "status_labels": presenters.STATUS_LABELS,
         "counts": presenters.snapshot_rag_counts(snapshot.document)},
    )  # fmt: skip


@organisation_required()
def snapshot_compare(request: HttpRequest, plan_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    snapshots = list(selectors.snapshot_list(org=org, plan=plan))
    by_id = {str(s.pk): s for s in snapshots}
    choices = [(str(s.pk), period_label(s.period)) for s in snapshots]
    after = by_id.get(request.GET.get("to", "")) or (snapshots[0] if snapshots else None)
    before = by_id.get(request.GET.get("from", "")) or (
        snapshots[1] if len(snapshots) > 1 else None
    )
    diff = None
    if before is not None and after is not None:
        if before.period > after.period:
            before, after = after, before
        diff = diff_snapshots(before.document, after.document)
    return render(
        request, "improvement/snapshot_compare.jinja",
        {"plan": plan, "choices": choices, "before": before, "after": after, "diff": diff,
         "rows": presenters.diff_rows(diff) if diff else None,
         "before_label": period_label(before.period) if before else "",
         "after_label": period_label(after.period) if after else ""},
    )  # fmt: skip


# Import --------------------------------------------------------------------------------------


@organisation_required(MANAGE)
def plan_import(request: HttpRequest, plan_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = selectors.plan_get(org=org, plan_id=plan_id)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = "Select an Excel file"
        else:
            try:
                plan_import_obj = importing.plan_import_upload(
                    plan=plan, filename=upload.name or "upload.xlsx", content=upload.read(),
                    actor=_user(request),
                )  # fmt: skip
            except ApplicationError as exc:
                error = exc.message
            else:
                return redirect("improvement:plan-import-map", plan_import_obj.pk)
    return render(
        request, "improvement/plan_import.jinja",
        {"plan": plan, "error": error, "max_rows": importing.max_rows(),
         "fields": importing_core.FIELDS,
         "error_summary": [{"text": error, "href": "#file"}] if error else []},
        status=400 if error else 200,
    )  # fmt: skip


def _import_columns(header: list[str]) -> list[tuple[str, str]]:
    return [(str(i), f"{importing_core.column_letter(i)}: {h or '(no heading)'}")
            for i, h in enumerate(header)]  # fmt: skip


def _posted_mapping(
    request: HttpRequest, fields: tuple[importing_core.ImportField, ...], header: list[str],
    prefix: str = "",
) -> dict[str, int]:  # fmt: skip
    mapping = {}
    for f in fields:
        value = request.POST.get(prefix + f.name, "")
        if value.isdigit() and int(value) < len(header):
            mapping[f.name] = int(value)
    return mapping


@organisation_required(MANAGE)
def plan_import_map(request: HttpRequest, import_id: int) -> HttpResponse:
    """Choose the sheet and columns of the actions and, optionally, the sheets and columns of
    milestones, risks and KPIs; check; import. A sheet changed since the page was shown gets
    its columns guessed again and is checked, never imported straight away."""
    org = request.organisation  # type: ignore[attr-defined]
    plan_import_obj = selectors.plan_import_get(org=org, import_id=import_id)
    plan = plan_import_obj.plan
    sheets = importing.read_workbook(bytes(plan_import_obj.content), plan_import_obj.filename)
    names = list(sheets)
    posted = request.method == "POST"
    sheet = request.POST.get("sheet") or request.GET.get("sheet") or names[0]
    if sheet not in sheets:
        sheet = names[0]
    header = sheets[sheet].header
    guessed: list[str] = []
    if posted and request.POST.get("shown-sheet", sheet) == sheet:
        mapping = _posted_mapping(request, importing_core.FIELDS, header)
    else:
        mapping = importing_core.guess_mapping(header)
        if posted:
            guessed.append("actions")
    sections: list[dict[str, Any]] = []
    parts: dict[str, importing.PartChoice] = {}
    for part in importing_core.PARTS:
        if posted:
            chosen = request.POST.get(f"{part.name}-sheet", "")
            chosen = chosen if chosen in sheets else ""
        else:
            chosen = importing_core.guess_part_sheet(part, names, exclude=sheet) or ""
        part_header = sheets[chosen].header if chosen else []
        part_mapping: dict[str, int] = {}
        if chosen and posted and request.POST.get(f"{part.name}-shown") == chosen:
            part_mapping = _posted_mapping(request, part.fields, part_header, f"{part.name}-")
        elif chosen:
            part_mapping = importing_core.guess_mapping(part_header, part.fields)
            if posted:
                guessed.append(f"{part.noun}s")
        if chosen:
            parts[part.name] = importing.PartChoice(chosen, part_mapping)
        sections.append({
            "part": part, "sheet": chosen, "columns": _import_columns(part_header),
            "mapping": {k: str(v) for k, v in part_mapping.items()},
        })  # fmt: skip
    result = None
    errors: list[Any] = []
    imported = None
    step = request.POST.get("step", "")
    if step == "confirm" and guessed:
        step = "check"
    if posted and step in ("check", "confirm"):
        if step == "confirm":
            try:
                imported = importing.plan_import_confirm(
                    plan_import=plan_import_obj, sheet=sheet, mapping=mapping,
                    actor=_user(request), parts=parts,
                )  # fmt: skip
            except importing.ImportRefused as exc:
                errors = exc.errors
            except ApplicationError as exc:
                errors = [importing_core.RowError(sheet, 0, "", "", exc.message)]
            else:
                counts = {n: p["count"] for n, p in plan_import_obj.parts.items()}
                messages.success(
                    request,
                    f"{importing.describe_counts(imported, **counts)} imported from "
                    f"{plan_import_obj.filename}",
                )
                return redirect("improvement:plan-detail", plan.pk)
        else:
            result = importing.import_check(
                plan_import=plan_import_obj, sheet=sheet, mapping=mapping, parts=parts
            )
            errors = result.errors
    summary = ""
    if result is not None and not errors:
        summary = importing.describe_counts(
            len(result.actions), len(result.milestones), len(result.risks), len(result.kpis)
        )
    return render(
        request, "improvement/plan_import_map.jinja",
        {"plan": plan, "upload": plan_import_obj, "sheets": names, "sheet": sheet,
         "columns": _import_columns(header),
         "fields": importing_core.FIELDS, "mapping": {k: str(v) for k, v in mapping.items()},
         "sections": sections, "guessed": guessed, "summary": summary,
         "milestone_statuses": importing_core.MILESTONE_STATUSES,
         "polarities": dict(PolarityChoice.choices),
         "result": result, "errors": errors[:500], "error_count": len(errors),
         "error_summary": [{"text": f"{len(errors)} problems found; nothing was imported",
                            "href": "#problems"}] if errors else []},
        status=400 if errors else 200,
    )  # fmt: skip
