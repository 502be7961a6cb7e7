"""Pages for the information return: sections, linking evidence, completeness and export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from careassure.accounts.permissions import organisation_required
from careassure.common.exceptions import ApplicationError
from careassure.common.forms import error_summary
from careassure.evidence import information_return as ir
from careassure.evidence import presenters, selectors
from careassure.evidence.forms import SectionForm, SectionItemsForm
from careassure.evidence.models import InformationReturn


def _return_for(request: HttpRequest) -> InformationReturn:
    org = request.organisation  # type: ignore[attr-defined]
    cycle = ir.current_cycle(org=org)
    return ir.information_return_get_or_create(
        org=org,
        cycle=cycle,
        actor=request.user,  # type: ignore[arg-type]
    )


@organisation_required()
def return_detail(request: HttpRequest) -> HttpResponse:
    ret = _return_for(request)
    membership = request.membership  # type: ignore[attr-defined]
    sections = list(ir.section_list(ret=ret))
    return render(
        request,
        "evidence/return_detail.jinja",
        {
            "ret": ret,
            "cycle": ret.cycle,
            "sections": [
                {
                    "section": s,
                    "items": [presenters.EvidenceItemPresenter(i) for i in s.items.all()],
                    "first": index == 0,
                    "last": index == len(sections) - 1,
                }
                for index, s in enumerate(sections)
            ],
            "completeness": ir.completeness(ret=ret),
            "can_manage": membership.has_permission(ir.MANAGE),
            "can_link": membership.has_permission(ir.LINK),
        },
    )


@organisation_required(ir.MANAGE)
def section_add(request: HttpRequest) -> HttpResponse:
    ret = _return_for(request)
    form = SectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            section = ir.section_create(
                ret=ret,
                actor=request.user,  # type: ignore[arg-type]
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as exc:
            form.add_error("title", exc.message)
        else:
            messages.success(request, f"Section added: {section.title}")
            return redirect("evidence:return-detail")
    return render(
        request,
        "evidence/section_form.jinja",
        {"form": form, "error_summary": error_summary(form), "heading": "Add a section"},
        status=400 if form.errors else 200,
    )


@organisation_required(ir.MANAGE)
def section_edit(request: HttpRequest, section_id: int) -> HttpResponse:
    section = ir.section_get(org=request.organisation, section_id=section_id)  # type: ignore[attr-defined]
    form = SectionForm(
        request.POST if request.method == "POST" else None,
        initial={"title": section.title, "description": section.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            ir.section_update(
                section=section,
                actor=request.user,  # type: ignore[arg-type]
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as exc:
            form.add_error("title", exc.message)
        else:
            messages.success(request, "Section saved")
            return redirect("evidence:return-detail")
    return render(
        request,
        "evidence/section_form.jinja",
        {
            "form": form,
            "error_summary": error_summary(form),
            "heading": "Change section",
            "section": section,
        },
        status=400 if form.errors else 200,
    )


@organisation_required(ir.MANAGE)
@require_POST
def section_delete(request: HttpRequest, section_id: int) -> HttpResponse:
    section = ir.section_get(org=request.organisation, section_id=section_id)  # type: ignore[attr-defined]
    title = section.title
    ir.section_delete(section=section, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Section removed: {title}")
    return redirect("evidence:return-detail")


@organisation_required(ir.MANAGE)
@require_POST
def section_move(request: HttpRequest, section_id: int) -> HttpResponse:
    section = ir.section_get(org=request.organisation, section_id=section_id)  # type: ignore[attr-defined]
    try:
        ir.section_move(
            section=section,
            actor=request.user,  # type: ignore[arg-type]
            direction=request.POST.get("direction", ""),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("evidence:return-detail")


@organisation_required(ir.LINK)
def section_items(request: HttpRequest, section_id: int) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    section = ir.section_get(org=org, section_id=section_id)
    items = list(selectors.evidence_list(org=org))
    presented = [presenters.EvidenceItemPresenter(i) for i in items]
    choices = [(p.id, f"{p.title} ({', '.join(p.qs_labels)}; as at {p.as_at})") for p in presented]
    current = [str(pk) for pk in section.items.values_list("pk", flat=True)]
    form = SectionItemsForm(
        request.POST if request.method == "POST" else None,
        choices=choices,
        initial={"items": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            ir.section_set_items(
                section=section,
                actor=request.user,  # type: ignore[arg-type]
                item_ids=list(form.cleaned_data["items"]),
            )
        except ApplicationError as exc:
            form.add_error("items", exc.message)
        else:
            messages.success(request, f"Evidence for ‘{section.title}’ saved")
            return redirect("evidence:return-detail")
    return render(
        request,
        "evidence/section_items.jinja",
        {"form": form, "error_summary": error_summary(form), "section": section},
        status=400 if form.errors else 200,
    )


@organisation_required()
def return_export(request: HttpRequest) -> HttpResponse:
    ret = _return_for(request)
    data = ir.information_return_export(ret=ret, actor=request.user)  # type: ignore[arg-type]
    today = timezone.localdate()
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="information-return-{today.isoformat()}.zip"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
