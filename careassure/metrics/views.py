"""Metrics dashboard pages. Every view is for signed-in members of the current council, and
reads only that council's stored runs (another council's run id is a 404)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from careassure.accounts.permissions import organisation_required
from careassure.common.exceptions import ApplicationError
from careassure.common.forms import error_summary
from careassure.core.kpis import EXTRACTS, KpiDefinition
from careassure.metrics import exports, presenters, selectors, services
from careassure.metrics.forms import EXTRACT_LABELS, SettingsForm, ThresholdForm, UploadForm
from careassure.metrics.models import MetricsRun, StoredKpiValue

MANAGE = "metrics.manage"


def _can(request: HttpRequest, permission: str) -> bool:
    membership = getattr(request, "membership", None)
    return bool(membership and membership.has_permission(permission))


def _latest_run(request: HttpRequest) -> MetricsRun:
    run = selectors.run_latest(org=request.organisation)  # type: ignore[attr-defined]
    if run is None:
        raise Http404("No metrics have been loaded")
    return run


@organisation_required()
def dashboard(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    run = selectors.run_latest(org=org)
    context: dict[str, Any] = {"run": run, "can_manage": _can(request, MANAGE)}
    if run is not None:
        statuses = presenters.kpi_statuses(org=org, run=run)
        context.update(
            tiles=presenters.headline_tiles(statuses),
            waiting=presenters.waiting_rows(statuses),
            statuses=list(statuses.values()),
            as_at=presenters.govuk_date(run.as_at),
            ascof_count=selectors.ascof_results(org=org, run=run).count(),
            has_dq=selectors.dq_counts(org=org, run=run).exists(),
        )
    return render(request, "metrics/dashboard.jinja", context)


def _dimension(request: HttpRequest) -> tuple[str, str]:
    dimension = request.GET.get("dimension", presenters.TOTAL)
    if dimension == presenters.TOTAL:
        return dimension, "all"
    if dimension not in presenters.DIMENSION_LABELS:
        raise Http404("No such breakdown")
    return dimension, request.GET.get("value", "")


def _series_values(
    request: HttpRequest, run: MetricsRun, kpi: KpiDefinition
) -> tuple[str, str, list[StoredKpiValue]]:
    dimension, value = _dimension(request)
    values = selectors.kpi_series(
        org=request.organisation,  # type: ignore[attr-defined]
        run=run,
        kpi_id=kpi.id,
        dimension=dimension,
        dimension_value=value,
    )
    if not values:
        raise Http404("No figures for this KPI")
    return dimension, value, values


@organisation_required()
def kpi_detail(request: HttpRequest, kpi_id: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    kpi = selectors.kpi_definition(kpi_id)
    run = _latest_run(request)
    dimension, value, values = _series_values(request, run, kpi)
    thresholds = selectors.thresholds_for(org=org)[kpi.id]
    status = presenters.kpi_status(
        kpi=kpi, values=values, run=run, thresholds=thresholds, dimension=dimension,
        dimension_value=value,
    )  # fmt: skip
    title = kpi.title if dimension == presenters.TOTAL else f"{kpi.title}: {value}"
    chart = chart_uri = None
    if status.spc is not None:
        chart, chart_uri = presenters.chart_for(kpi=kpi, values=values, spc=status.spc, title=title)
    breakdowns = []
    for dim in (presenters.HUB, presenters.LOCALITY, presenters.GROUP):
        rows = presenters.breakdown_statuses(org=org, run=run, kpi=kpi, dimension=dim)
        if rows:
            breakdowns.append({"dimension": dim, "label": presenters.DIMENSION_LABELS[dim],
                               "rows": rows})  # fmt: skip
    gap = presenters.gap_table(org=org, run=run, kpi=kpi)
    query = {} if dimension == presenters.TOTAL else {"dimension": dimension, "value": value}
    return render(
        request,
        "metrics/kpi_detail.jinja",
        {
            "run": run,
            "kpi": kpi,
            "title": title,
            "status": status,
            "dimension": dimension,
            "dimension_value": value,
            "chart": chart,
            "chart_uri": chart_uri,
            "series": presenters.series_table(kpi, values, status.spc),
            "breakdowns": breakdowns,
            "gap": gap if gap and gap[1] else None,
            "group_names": presenters.group_names(run),
            "thresholds": thresholds,
            "qs": [q.upper() for q in kpi.quality_statements],
            "series_query": {"kpi": kpi.id, **query},
            "can_manage": _can(request, MANAGE),
            "can_file": _can(request, services.EVIDENCE_EDIT),
            "as_at": presenters.govuk_date(run.as_at),
            "unit": presenters.UNIT_LABELS[str(kpi.unit)],
        },
    )


@require_POST
@organisation_required()
def kpi_file_evidence(request: HttpRequest, kpi_id: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    kpi = selectors.kpi_definition(kpi_id)
    run = selectors.run_get(org=org, run_id=_uuid(request.POST.get("run", "")))
    dimension = request.POST.get("dimension", presenters.TOTAL)
    value = request.POST.get("value", "all") if dimension != presenters.TOTAL else "all"
    detail = reverse("metrics:kpi-detail", args=[kpi.id])
    if dimension != presenters.TOTAL:
        detail += "?" + urlencode({"dimension": dimension, "value": value})
    try:
        item = services.kpi_file_as_evidence(
            org=org, run=run, kpi_id=kpi.id, dimension=dimension, dimension_value=value,
            actor=request.user, page_url=request.build_absolute_uri(detail),  # type: ignore[arg-type]
        )  # fmt: skip
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(detail)
    messages.success(request, f"Filed as evidence: {item.title}")
    return redirect(detail)


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError as exc:
        raise Http404("No such metrics run") from exc


@organisation_required(MANAGE)
def kpi_thresholds(request: HttpRequest, kpi_id: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    kpi = selectors.kpi_definition(kpi_id)
    current = selectors.thresholds_for(org=org)[kpi.id]
    initial = {
        "target": current.target,
        "amber_threshold": current.amber_threshold,
        "red_threshold": current.red_threshold,
    }
    form = ThresholdForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.kpi_threshold_set(
                org=org,
                kpi_id=kpi.id,
                target=form.cleaned_data["target"],
                amber_threshold=form.cleaned_data["amber_threshold"],
                red_threshold=form.cleaned_data["red_threshold"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            messages.success(request, f"Target and thresholds saved for {kpi.title}")
            return redirect("metrics:kpi-detail", kpi.id)
    return render(
        request,
        "metrics/kpi_thresholds.jinja",
        {
            "kpi": kpi,
            "form": form,
            "error_summary": error_summary(form),
            "unit": presenters.UNIT_LABELS[str(kpi.unit)],
            "higher": str(kpi.polarity) == "higher_is_better",
            "neutral": str(kpi.polarity) == "neutral",
        },
        status=400 if form.errors else 200,
    )


@organisation_required()
def ascof(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    run = _latest_run(request)
    comparison = presenters.ascof_comparison(org=org, run=run)
    rows = presenters.with_comparison(presenters.ascof_rows(org=org, run=run), comparison)
    return render(
        request,
        "metrics/ascof.jinja",
        {
            "run": run,
            "rows": rows,
            "comparison": comparison,
            "measures": sorted(
                {r.measure for r in rows if r.value is not None},
                key=[r.measure for r in rows].index,
            ),  # fmt: skip
            "can_file": _can(request, services.EVIDENCE_EDIT),
            "period": (
                f"{presenters.govuk_date(run.ascof_period_start)} to "
                f"{presenters.govuk_date(run.ascof_period_end)}"
                if run.ascof_period_start
                else ""
            ),
        },
    )


@require_POST
@organisation_required()
def ascof_file_evidence(request: HttpRequest, measure: str) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    run = selectors.run_get(org=org, run_id=_uuid(request.POST.get("run", "")))
    try:
        item = services.ascof_file_as_evidence(
            org=org, run=run, measure=measure, actor=request.user,  # type: ignore[arg-type]
            page_url=request.build_absolute_uri(reverse("metrics:ascof")),
        )  # fmt: skip
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Filed as evidence: {item.title}")
    return redirect("metrics:ascof")


def _export_table(request: HttpRequest, run: MetricsRun, name: str) -> exports.Table:
    org = request.organisation  # type: ignore[attr-defined]
    if name in ("summary", "waiting"):
        statuses = presenters.kpi_statuses(org=org, run=run)
        if name == "summary":
            return presenters.summary_table(statuses)
        return presenters.waiting_table(statuses)
    if name == "ascof":
        comparison = presenters.ascof_comparison(org=org, run=run)
        return presenters.ascof_table(
            presenters.with_comparison(presenters.ascof_rows(org=org, run=run), comparison),
            comparison,
        )
    if name == "files":
        return presenters.file_rows(run)
    if name == "dq":
        return presenters.dq_detail_table(org=org, run=run)
    if name == "dq-modules":
        return presenters.dq_module_table(org=org, run=run)
    kpi = selectors.kpi_definition(request.GET.get("kpi", ""))
    if name == "series":
        dimension, value, values = _series_values(request, run, kpi)
        thresholds = selectors.thresholds_for(org=org)[kpi.id]
        spc = presenters.spc_for(values, kpi, thresholds)
        return presenters.series_table(kpi, values, spc)
    if name in (presenters.HUB, presenters.LOCALITY, presenters.GROUP):
        rows = presenters.breakdown_statuses(org=org, run=run, kpi=kpi, dimension=name)
        return presenters.breakdown_table(rows, name)
    if name == "gap":
        gap = presenters.gap_table(org=org, run=run, kpi=kpi)
        if gap is not None:
            return gap
    raise Http404("No such table")


@organisation_required()
def export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """Download one table as CSV or XLSX (the figures shown on the page), from the latest
    load or, with `?run=<id>`, from one of the council's earlier loads."""
    run = _requested_run(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    table = _export_table(request, run, name)
    kpi = request.GET.get("kpi", "")
    stem = "-".join(p for p in ("metrics", name, kpi, run.as_at.isoformat()) if p)
    sheet = "Data quality by module" if name == "dq-modules" else name.capitalize()
    if fmt == "csv":
        response = HttpResponse(exports.table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.tables_xlsx({sheet: table}), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


def _requested_run(request: HttpRequest) -> MetricsRun:
    """The council's run named by `?run=<id>`, else its latest; 404 for another council's."""
    run_id = request.GET.get("run")
    if run_id:
        return selectors.run_get(org=request.organisation, run_id=_uuid(run_id))  # type: ignore[attr-defined]
    return _latest_run(request)


@organisation_required()
def data_quality(request: HttpRequest) -> HttpResponse:
    """DHSC's data-quality summary of a load's Client Level Data (reference §4.9)."""
    org = request.organisation  # type: ignore[attr-defined]
    run = _requested_run(request)
    query = {"run": str(run.pk)} if request.GET.get("run") else {}
    return render(
        request,
        "metrics/data_quality.jinja",
        {
            "run": run,
            "modules": presenters.dq_module_table(org=org, run=run),
            "detail": presenters.dq_detail_table(org=org, run=run),
            "query": query,
            "loaded": presenters.loaded_text(run),
        },
    )


@organisation_required()
def run_list(request: HttpRequest) -> HttpResponse:
    runs = list(selectors.run_list(org=request.organisation)[:50])  # type: ignore[attr-defined]
    return render(
        request,
        "metrics/run_list.jinja",
        {
            "runs": runs,
            "can_manage": _can(request, MANAGE),
            "date": presenters.govuk_date,
            "loaded": presenters.loaded_text,
        },
    )


@organisation_required()
def run_detail(request: HttpRequest, run_id: UUID) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    run = selectors.run_get(org=org, run_id=run_id)
    return render(
        request,
        "metrics/run_detail.jinja",
        {
            "run": run,
            "rows": presenters.run_rows(run),
            "files": presenters.file_rows(run),
            "dq_modules": presenters.dq_module_table(org=org, run=run),
        },
    )


def _save(upload: Any, folder: Path, name: str) -> Path:
    path = folder / name
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return path


@organisation_required(MANAGE)
def upload(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with tempfile.TemporaryDirectory(prefix="careassure-metrics-") as tmp:
            folder = Path(tmp)
            extracts = folder / "extracts"
            extracts.mkdir()
            have_extract = False
            for spec in EXTRACTS:
                if data.get(spec.name):
                    _save(data[spec.name], extracts, spec.file_name)
                    have_extract = True
            cld_dir = folder / "cld"
            cld_dir.mkdir()
            cld = []
            for index, upload_file in enumerate(data.get("cld_files") or []):
                own_dir = cld_dir / str(index)
                own_dir.mkdir()
                cld.append(_save(upload_file, own_dir, Path(upload_file.name).name))
            population = None
            if data.get("population_file"):
                population = _save(data["population_file"], folder, "population.csv")
            try:
                run = services.metrics_refresh(
                    org=org,
                    extracts_dir=extracts if have_extract else None,
                    cld_files=cld,
                    population=population,
                    as_at=data.get("as_at"),
                    actor=request.user,  # type: ignore[arg-type]
                    source_label="Uploaded on the web",
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message.splitlines()[0])
                findings = exc.extra.get("findings", [])
                return render(
                    request,
                    "metrics/upload.jinja",
                    _upload_context(form, findings),
                    status=400,
                )
        messages.success(request, f"Figures loaded, as at {presenters.govuk_date(run.as_at)}")
        return redirect("metrics:dashboard")
    return render(
        request, "metrics/upload.jinja", _upload_context(form, []),
        status=400 if form.errors else 200,
    )  # fmt: skip


def _upload_context(form: UploadForm, findings: list[str]) -> dict[str, Any]:
    return {
        "form": form,
        "error_summary": error_summary(form),
        "findings": findings,
        "extracts": [
            (form[spec.name], EXTRACT_LABELS.get(spec.name, spec.name), spec.file_name)
            for spec in EXTRACTS
        ],  # fmt: skip
    }


@organisation_required(MANAGE)
def settings_edit(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    config = selectors.settings_get(org=org)
    groupings = selectors.locality_groupings(org=org)
    names = list(groupings.groups)
    initial = {
        "la_code": config.la_code,
        "grouping_title": groupings.title,
        "group_a_name": names[0] if names else "coastal",
        "group_a_localities": "\n".join(groupings.groups.get(names[0], ())) if names else "",
        "group_b_name": names[1] if len(names) > 1 else "inland",
        "group_b_localities": "\n".join(groupings.groups.get(names[1], ()))
        if len(names) > 1
        else "",
    }
    form = SettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.metrics_settings_update(
                org=org,
                la_code=form.cleaned_data["la_code"],
                grouping_title=form.cleaned_data["grouping_title"],
                groups=form.groups(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            form.add_error(exc.extra.get("field"), exc.message)
        else:
            messages.success(
                request, "Metrics settings saved. The grouping applies from the next load."
            )
            return redirect("metrics:dashboard")
    return render(
        request,
        "metrics/settings.jinja",
        {"form": form, "error_summary": error_summary(form)},
        status=400 if form.errors else 200,
    )
