"""Generate reports from frozen snapshots and keep each council's report templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from careassure.accounts.models import Organisation, User
from careassure.accounts.permissions import require_permission
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.exceptions import ApplicationError, ConflictError
from careassure.improvement.exports import tables_xlsx
from careassure.improvement.models import Snapshot
from careassure.improvement.selectors import membership_of
from careassure.reports import kpis as report_kpis
from careassure.reports import rendering, selectors
from careassure.reports.context import build_context
from careassure.reports.models import ReportKind, ReportTemplate

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# Charts as SVG on the web page, PNG in PDF and Word (see ``context._render``); none in the
# Excel tables, which hold the figures only.
IMAGE_FORMATS = {"html": "svg", "pdf": "png", "docx": "png", "xlsx": "none"}


@dataclass(frozen=True)
class Report:
    content: bytes
    filename: str
    content_type: str
    title: str


def report_title(kind: str, period_label: str) -> str:
    return f"{ReportKind(kind).label}: {period_label}"


def report_context(
    *, snapshot: Snapshot, kind: str, image_format: str = "svg", today: dt.date | None = None
) -> dict[str, Any]:
    org = snapshot.plan.organisation
    document = snapshot.document
    history = selectors.snapshot_history(org=org, snapshot=snapshot)
    return build_context(
        snapshot_document=document,
        history=history,
        report_title=report_title(kind, document["period_label"]),
        image_format=image_format,
        generated_on=today or timezone.localdate(),
    )


def _changes_rows(changes: dict[str, Any] | None) -> list[list[Any]]:
    if not changes:
        return []
    rows: list[list[Any]] = [
        [c["ref"], c["title"], "Status, RAG or progress", c["status"], c["rag"],
         c["percent_complete"]] for c in changes["status"]
    ]  # fmt: skip
    rows += [[m["ref"], m["title"], f"Milestone became late (due {m['due']})", "", "", ""]
             for m in changes["late"]]  # fmt: skip
    rows += [[x["ref"], x["title"], "Action added", "", "", ""] for x in changes["added"]]
    rows += [[x["ref"], x["title"], "Action removed", "", "", ""] for x in changes["removed"]]
    return rows


def _xlsx(context: dict[str, Any]) -> bytes:
    """Every table of the report in full, one sheet each: where the PDF and Word versions stop
    a long list ("and N more"), they name the sheet that has the rest."""
    actions = context["actions"]
    return tables_xlsx({
        "Actions": (
            ["Ref", "Action", "QS", "Owner", "Lead director", "Due", "Status", "RAG",
             "RAG overridden", "Override reason", "RAG reasons", "Percentage complete",
             "Updated this month", "Latest update", "Depends on", "Blocked by"],
            [[a["ref"], a["title"], a["qs"], a["owner"], a["lead_director"], a["due"],
              a["status"], a["rag"], "Yes" if a["overridden"] else "", a["override_reason"],
              "; ".join(a["rag_reasons"]), a["percent"], "Yes" if a["updated"] else "No",
              a["commentary"], a["depends_on"], a["blocked_by"]] for a in actions],
        ),
        "RAG by theme": (context["rag_by_theme"]["header"], context["rag_by_theme"]["rows"]),
        "Status over time": (context["status_over_time"]["header"],
                             context["status_over_time"]["rows"]),
        "QS scores": (
            ["Quality statement", "Title", "Theme", "Self-assessment", "CQC", "Target"],
            [[r["id"], r["title"], r["theme"], r["self"], r["cqc"], r["target"]]
             for r in context["qs_table"]],
        ),
        "Changes": (
            ["Ref", "Action or milestone", "Change", "Status", "RAG", "Percentage complete"],
            _changes_rows(context["changes"]),
        ),
        "Late milestones": (["Action", "Milestone", "Due", "Days late"],
                            [[m["ref"], m["title"], m["due"], m["days_late"]]
                             for m in context["late_milestones"]]),
        "No update this month": (["Ref", "Action", "Owner"],
                                 [[a["ref"], a["title"], a["owner"]]
                                  for a in context["not_updated"]]),
        "Risks": (["Action", "Risk", "Likelihood", "Impact", "Score", "Mitigation"],
                  [[r["ref"], r["description"], r["likelihood"], r["impact"], r["score"],
                    r["mitigation"]] for r in context["risks"]]),
        "KPIs": (["Action", "KPI", "Figure", "Unit", "Target", "As at", "RAG",
                  "Figures in snapshot", "Variation (SPC)", "Assurance (SPC)", "Mean",
                  "Lower process limit", "Upper process limit"],
                 [_kpi_row(k) for k in context["kpis"]]),
        "KPI series": (["Action", "KPI", "Date", "Figure", "Mean", "Lower process limit",
                        "Upper process limit", "Variation (SPC)"],
                       report_kpis.spc_table_rows(context["kpis"])),
    })  # fmt: skip


def _kpi_row(k: dict[str, Any]) -> list[Any]:
    spc = k["spc"]
    frozen = "" if k["history"] is None else len(k["history"])
    limits = ([round(spc[f], 4) for f in ("mean_value", "lower_value", "upper_value")]
              if spc else ["", "", ""])  # fmt: skip
    return [k["ref"], k["name"], k["value"], k["unit"], k["target"], k["as_at"], k["rag"],
            frozen, spc["variation"] if spc else k["variation"],
            spc["assurance"] if spc else "", *limits]  # fmt: skip


def render_report(
    *, snapshot: Snapshot, kind: str, fmt: str, override: str | None = None,
    today: dt.date | None = None, css_href: str | None = None,
) -> Report:  # fmt: skip
    """Make one report in one format. Pure with respect to the database: reads only."""
    if kind not in ReportKind.values:
        raise ApplicationError(f"'{kind}' is not a kind of report")
    if fmt not in FORMATS:
        raise ApplicationError(f"'{fmt}' is not a report format (use html, pdf, docx or xlsx)")
    org = snapshot.plan.organisation
    if override is None:
        template = selectors.template_get(org=org, kind=kind)
        override = template.body if template else None
    context = report_context(
        snapshot=snapshot, kind=kind, image_format=IMAGE_FORMATS[fmt], today=today
    )
    title = context["report_title"]
    stem = f"{kind.replace('_', '-')}-{snapshot.period}"
    if fmt == "xlsx":
        content = _xlsx(context)
    else:
        body = rendering.render_body(kind, context, override)
        if fmt == "docx":
            content = rendering.render_docx(
                title=title, body_html=body, subject=context["plan_title"],
                author=context["council"],
            )  # fmt: skip
        else:
            html = rendering.document_html(
                title=title, body=body, css_href=css_href if fmt == "html" else None
            )
            content = rendering.render_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    return Report(content, f"{stem}.{fmt}", FORMATS[fmt], title)


def report_generate(*, snapshot: Snapshot, kind: str, fmt: str, actor: User,
                    css_href: str | None = None) -> Report:  # fmt: skip
    org = snapshot.plan.organisation
    require_permission(membership_of(org=org, user=actor), "reports.generate")
    report = render_report(snapshot=snapshot, kind=kind, fmt=fmt, css_href=css_href)
    audit_record(
        event=AuditEventType.REPORT_GENERATED, actor=actor, organisation=org, obj=snapshot,
        extra={"kind": kind, "format": fmt, "period": snapshot.period,
               "bytes": len(report.content)},
    )  # fmt: skip
    return report


@transaction.atomic
def template_save(
    *, org: Organisation, kind: str, body: str, actor: User, version: int | None,
    sample: Snapshot | None = None,
) -> ReportTemplate:  # fmt: skip
    """Save a council's own template for ``kind``. It must render against a real snapshot
    (``sample``), or at least compile, before it is kept."""
    require_permission(membership_of(org=org, user=actor), "plan.manage")
    if kind not in ReportKind.values:
        raise ApplicationError(f"'{kind}' is not a kind of report")
    if not body.strip():
        raise ApplicationError("Enter the template")
    if sample is not None:
        rendering.check_template(kind, body, report_context(snapshot=sample, kind=kind))
    else:
        try:
            rendering._environment({}).parse(body)
        except Exception as exc:  # noqa: BLE001 - any Jinja syntax error is reported the same way
            raise ApplicationError(f"The report template has an error: {exc}") from None
    template = selectors.template_get(org=org, kind=kind)
    before = None
    if template is None:
        template = ReportTemplate.objects.create(
            organisation=org, kind=kind, body=body, updated_by=actor
        )
    else:
        if version is not None and version != template.version:
            raise ConflictError(
                "Someone else saved this template while you were editing it. "
                "Check their changes and make yours again."
            )
        before = {"version": template.version}
        template.body, template.updated_by = body, actor
        template.version += 1
        template.save(update_fields=["body", "updated_by", "version", "updated_at"])
    audit_record(
        event=AuditEventType.REPORT_TEMPLATE_SAVED, actor=actor, organisation=org, obj=template,
        before=before, after={"kind": kind, "version": template.version, "chars": len(body)},
    )  # fmt: skip
    return template


@transaction.atomic
def template_reset(*, org: Organisation, kind: str, actor: User) -> None:
    require_permission(membership_of(org=org, user=actor), "plan.manage")
    template = selectors.template_get(org=org, kind=kind)
    if template is None:
        return
    audit_record(
        event=AuditEventType.REPORT_TEMPLATE_RESET, actor=actor, organisation=org, obj=template,
        before={"kind": kind, "version": template.version},
    )  # fmt: skip
    template.delete()


__all__ = ["FORMATS", "Report", "render_report", "report_generate", "template_reset",
           "template_save"]  # fmt: skip
