"""Report pages: choose a closed month and a report, download it in any format; edit the
council's report templates."""

from __future__ import annotations

import base64
import hashlib
from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from careassure.accounts.models import User
from careassure.accounts.permissions import organisation_required
from careassure.common.exceptions import ApplicationError, ConflictError
from careassure.common.forms import error_summary
from careassure.improvement import selectors as plan_selectors
from careassure.improvement.periods import period_label
from careassure.reports import rendering, selectors, services
from careassure.reports.forms import TemplateForm
from careassure.reports.models import ReportKind

FORMAT_LABELS = [("html", "Web page"), ("pdf", "PDF"), ("docx", "Word"), ("xlsx", "Excel tables")]


def report_csp() -> str:
    """The report page carries its print styles inline (so a saved copy is complete); the
    policy allows exactly that stylesheet by its hash, and nothing else."""
    digest = base64.b64encode(hashlib.sha256(rendering.report_css().encode()).digest()).decode()
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    )


DESCRIPTIONS = {
    ReportKind.DELIVERY_BOARD: "Monthly: RAG summary, exceptions, late milestones, risks and "
    "what changed since last month.",
    ReportKind.ASSURANCE_BOARD: "Quarterly, to the Director of Adult Social Services: scores, "
    "progress over the quarter and actions needing attention.",
    ReportKind.DHSC_STAGE2: "To DHSC about three months after publication: assessment outcome "
    "and the plan by theme.",
    ReportKind.DHSC_QUARTERLY: "To DHSC every quarter after the stage 2 report: progress and "
    "exceptions.",
    ReportKind.COMMITTEE: "For scrutiny or another committee: background, ratings, strengths, "
    "areas for development, actions and recommendations.",
}


def _user(request: HttpRequest) -> User:
    """The signed-in member (views are behind organisation_required)."""
    return cast(User, request.user)


@organisation_required("reports.generate")
def report_list(request: HttpRequest, plan_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    plan = plan_selectors.plan_get(org=org, plan_id=plan_id)
    snapshots = list(plan_selectors.snapshot_list(org=org, plan=plan))
    chosen = next((s for s in snapshots if str(s.pk) == request.GET.get("snapshot")), None)
    chosen = chosen or (snapshots[0] if snapshots else None)
    membership = request.membership  # type: ignore[attr-defined]
    return render(
        request, "reports/report_list.jinja",
        {"plan": plan, "snapshots": [(s, period_label(s.period)) for s in snapshots],
         "snapshot": chosen, "snapshot_label": period_label(chosen.period) if chosen else "",
         "kinds": [(k, k.label, DESCRIPTIONS[k]) for k in ReportKind],
         "formats": FORMAT_LABELS, "can_edit": membership.has_permission("plan.manage")},
    )  # fmt: skip


@organisation_required("reports.generate")
def report_generate(request: HttpRequest, snapshot_id: int, kind: str, fmt: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    snapshot = plan_selectors.snapshot_get(org=org, snapshot_id=snapshot_id)
    if kind not in ReportKind.values or fmt not in services.FORMATS:
        raise Http404
    try:
        report = services.report_generate(
            snapshot=snapshot, kind=kind, fmt=fmt, actor=_user(request),
        )  # fmt: skip
    except ApplicationError as error:
        return render(
            request, "reports/report_error.jinja",
            {"message": error.message, "plan": snapshot.plan, "kind": kind}, status=400,
        )  # fmt: skip
    response = HttpResponse(report.content, content_type=report.content_type)
    if fmt == "html":
        response["Content-Security-Policy"] = report_csp()
    else:
        response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response


@organisation_required("plan.manage")
def template_list(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    overrides = selectors.template_overrides(org=org)
    return render(
        request, "reports/template_list.jinja",
        {"kinds": [(k, k.label, overrides.get(k.value)) for k in ReportKind]},
    )  # fmt: skip


@organisation_required("plan.manage")
def template_edit(request: HttpRequest, kind: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    if kind not in ReportKind.values:
        raise Http404
    template = selectors.template_get(org=org, kind=kind)
    initial = {"body": template.body if template else rendering.default_template(kind),
               "version": template.version if template else None}  # fmt: skip
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sample = None
        for plan in plan_selectors.plan_list(org=org):
            sample = plan_selectors.snapshot_list(org=org, plan=plan).first()
            if sample:
                break
        try:
            services.template_save(
                org=org, kind=kind, body=form.cleaned_data["body"], actor=_user(request),
                version=form.cleaned_data.get("version"), sample=sample,
            )  # fmt: skip
        except ConflictError as error:
            form.add_error("body", error.message)
        except ApplicationError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, f"{ReportKind(kind).label} template saved")
            return redirect("reports:template-list")
    return render(
        request, "reports/template_edit.jinja",
        {"kind": kind, "label": ReportKind(kind).label, "form": form,
         "custom": template is not None,
         "error_summary": error_summary(form)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@organisation_required("plan.manage")
@require_POST
def template_reset(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ReportKind.values:
        raise Http404
    services.template_reset(org=request.organisation, kind=kind, actor=_user(request))  # type: ignore[attr-defined]
    messages.success(request, f"{ReportKind(kind).label} template is back to the default")
    return redirect("reports:template-list")
