from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from careassure.accounts.permissions import organisation_required
from careassure.casetracking import presenters, selectors, services
from careassure.casetracking.forms import CaseEntryForm, CaseImportForm, ReidentifyForm
from careassure.casetracking.models import CaseList
from careassure.common.exceptions import ApplicationError
from careassure.common.forms import error_summary
from careassure.core.casetracking import COLUMNS


def _key_missing(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return render(request, "casetracking/key_missing.jinja", {"message": exc.message}, status=503)


def _current(request: HttpRequest) -> tuple[object, CaseList | None]:
    org = request.organisation  # type: ignore[attr-defined]
    cycle = selectors.current_cycle(org=org)
    return cycle, selectors.case_list_current(org=org, cycle=cycle)


@organisation_required()
def list_detail(request: HttpRequest) -> HttpResponse:
    cycle, case_list = _current(request)
    membership = request.membership  # type: ignore[attr-defined]
    context: dict[str, object] = {
        "cycle": cycle,
        "case_list": case_list,
        "can_manage": membership.has_permission(services.MANAGE),
        "can_reidentify": membership.has_permission(services.REIDENTIFY),
        "cqc_selects": services.cqc_selects(),
    }
    if case_list is not None:
        entries = list(selectors.case_entry_list(case_list=case_list))
        context.update(
            {
                "rows": [presenters.entry_row(e) for e in entries],
                "selected_count": sum(1 for e in entries if e.selected_by_cqc),
                "coverage": presenters.coverage_groups(case_list),
                "missing_count": presenters.missing_count(case_list),
                "demographics": case_list.demographics,
                "built": presenters.govuk_date(timezone.localdate(case_list.created_at)),
            }
        )
    return render(request, "casetracking/list_detail.jinja", context)


@organisation_required(services.MANAGE)
def list_import(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    try:
        services.pseudonym_key()
    except services.PseudonymKeyMissing as exc:
        return _key_missing(request, exc)
    form = CaseImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"size": services.list_size_default()},
    )
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.case_list_import(
                org=org,
                actor=request.user,  # type: ignore[arg-type]
                data=upload.read(),
                filename=upload.name or "",
                cycle=selectors.current_cycle(org=org),
                size=form.cleaned_data["size"],
                seed=form.cleaned_data.get("seed"),
            )
        except services.PopulationInvalid as exc:
            form.add_error("file", exc.message)
            row_errors = exc.errors
        except services.PseudonymKeyMissing as exc:
            return _key_missing(request, exc)
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, "Case-tracking list built")
            return redirect("casetracking:list-detail")
    _, existing = _current(request)
    return render(
        request,
        "casetracking/list_import.jinja",
        {
            "form": form,
            "error_summary": error_summary(form),
            "row_errors": row_errors[:100],
            "row_error_count": len(row_errors),
            "columns": COLUMNS,
            "existing": existing,
        },
        status=400 if form.errors else 200,
    )


@organisation_required(services.MANAGE)
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = selectors.case_entry_get(org=request.organisation, entry_id=entry_id)  # type: ignore[attr-defined]
    initial = {
        "selected_by_cqc": "yes" if entry.selected_by_cqc else "no",
        "consent_status": entry.consent_status,
        "consent_by": entry.consent_by,
        "contact_status": entry.contact_status,
    }
    form = CaseEntryForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_entry_update(
                entry=entry,
                actor=request.user,  # type: ignore[arg-type]
                selected_by_cqc=data["selected_by_cqc"] == "yes",
                consent_status=data["consent_status"],
                consent_by=data.get("consent_by") or "",
                contact_status=data["contact_status"],
            )
        except ApplicationError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{entry.pseudonym} saved")
            return redirect("casetracking:list-detail")
    return render(
        request,
        "casetracking/entry_edit.jinja",
        {"form": form, "error_summary": error_summary(form), "entry": presenters.entry_row(entry)},
        status=400 if form.errors else 200,
    )


@organisation_required(services.MANAGE)
def list_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _, case_list = _current(request)
    if case_list is None:
        messages.error(request, "There is no case-tracking list to download yet")
        return redirect("casetracking:list-detail")
    data = services.case_list_export(case_list=case_list, actor=request.user, fmt=fmt)  # type: ignore[arg-type]
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(data, content_type=content_type)
    today = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="case-tracking-list-{today}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@organisation_required(services.REIDENTIFY)
def reidentify(request: HttpRequest) -> HttpResponse:
    _, case_list = _current(request)
    try:
        services.pseudonym_key()
    except services.PseudonymKeyMissing as exc:
        return _key_missing(request, exc)
    bound = request.method == "POST"
    form = ReidentifyForm(request.POST if bound else None, request.FILES if bound else None)
    matches: dict[str, str] | None = None
    entered = 0
    if request.method == "POST" and form.is_valid() and case_list is not None:
        ids = form.ids()
        entered = len(ids)
        try:
            matches = services.case_reidentify(
                case_list=case_list,
                actor=request.user,  # type: ignore[arg-type]
                person_ids=ids,
            )
        except ApplicationError as exc:
            form.add_error("person_ids", exc.message)
    response = render(
        request,
        "casetracking/reidentify.jinja",
        {
            "form": form,
            "error_summary": error_summary(form),
            "case_list": case_list,
            "matches": sorted(matches.items()) if matches is not None else None,
            "entered": entered,
        },
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "private, no-store"
    return response
