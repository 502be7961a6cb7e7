from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from careassure.accounts.permissions import organisation_required
from careassure.common.exceptions import ApplicationError
from careassure.common.forms import error_summary
from careassure.evidence import presenters, selectors, services
from careassure.evidence.forms import (
    EvidenceFilter,
    EvidenceLinkForm,
    EvidenceMetadataForm,
    EvidenceUploadForm,
)
from careassure.evidence.models import EvidenceKind
from careassure.evidence.uploads import max_upload_bytes, size_text

PAGE_SIZE = 50


def _can_edit(request: HttpRequest) -> bool:
    return bool(request.membership.has_permission("evidence.edit"))  # type: ignore[attr-defined]


def _form_error(form: Any, exc: ApplicationError) -> None:
    field = exc.extra.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@organisation_required()
def item_list(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    filterset = EvidenceFilter(
        request.GET or None, queryset=selectors.evidence_list(org=org), org=org
    )
    items = filterset.qs.distinct() if filterset.is_valid() else selectors.evidence_list(org=org)
    paginator = Paginator(items, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "evidence/item_list.jinja",
        {
            "filter_form": filterset.form,
            "items": [presenters.EvidenceItemPresenter(i) for i in page.object_list],
            "page": page,
            "total": paginator.count,
            "query": query,
            "can_edit": _can_edit(request),
            "filtered": bool(query),
        },
    )


@organisation_required()
def item_detail(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    item = selectors.evidence_get(org=request.organisation, item_id=item_id)  # type: ignore[attr-defined]
    presenter = presenters.EvidenceItemPresenter(item)
    return render(
        request,
        "evidence/item_detail.jinja",
        {
            "item": presenter,
            "rows": presenter.summary_rows(_can_edit(request)),
            "can_edit": _can_edit(request),
        },
    )


@organisation_required()
def item_download(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """Serve a stored file only to a member of the council that owns it, as a download."""
    item = selectors.evidence_get(org=request.organisation, item_id=item_id)  # type: ignore[attr-defined]
    if item.kind != EvidenceKind.FILE or not item.file:
        raise Http404("This evidence item has no file")
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The stored file is missing") from exc
    filename = item.original_filename or f"evidence.{item.file_extension}"
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A streaming response; organisation_required is typed for HttpResponse.
    return cast(HttpResponse, response)


def _metadata_form_page(
    request: HttpRequest,
    form: EvidenceMetadataForm,
    template: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {"form": form, "error_summary": error_summary(form), **(extra or {})}
    return render(request, template, context, status=400 if form.is_bound and form.errors else 200)


@organisation_required("evidence.edit")
def item_upload(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = EvidenceUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        org=org,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            item = services.evidence_create_file(
                org=org,
                actor=request.user,  # type: ignore[arg-type]
                metadata=form.metadata(),
                stream=upload.file,
                size=upload.size,
                filename=upload.name or "",
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Evidence added: {item.title}")
            return redirect("evidence:item-detail", item.pk)
    return _metadata_form_page(
        request,
        form,
        "evidence/item_upload.jinja",
        {"max_size": size_text(max_upload_bytes())},
    )


@organisation_required("evidence.edit")
def item_link(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    form = EvidenceLinkForm(request.POST if request.method == "POST" else None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.evidence_create_link(
                org=org,
                actor=request.user,  # type: ignore[arg-type]
                metadata=form.metadata(),
                url=form.cleaned_data["url"],
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"Evidence added: {item.title}")
            return redirect("evidence:item-detail", item.pk)
    return _metadata_form_page(request, form, "evidence/item_link.jinja")


@organisation_required("evidence.edit")
def item_edit(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    item = selectors.evidence_get(org=org, item_id=item_id)
    form_class = EvidenceLinkForm if item.kind == EvidenceKind.LINK else EvidenceMetadataForm
    form = form_class(
        request.POST if request.method == "POST" else None,
        org=org,
        initial=EvidenceMetadataForm.initial_for(item),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update(
                item=item,
                actor=request.user,  # type: ignore[arg-type]
                metadata=form.metadata(),
                url=form.cleaned_data.get("url"),
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Evidence details saved")
            return redirect("evidence:item-detail", item.pk)
    return _metadata_form_page(
        request,
        form,
        "evidence/item_edit.jinja",
        {"item": presenters.EvidenceItemPresenter(item), "is_link": item.kind == EvidenceKind.LINK},
    )


@organisation_required("evidence.edit")
def item_delete(request: HttpRequest, item_id: uuid.UUID) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    item = selectors.evidence_get(org=request.organisation, item_id=item_id)  # type: ignore[attr-defined]
    if request.method != "POST":
        return render(
            request,
            "evidence/item_delete.jinja",
            {"item": presenters.EvidenceItemPresenter(item)},
        )
    title = item.title
    services.evidence_delete(item=item, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, f"Evidence deleted: {title}")
    return redirect("evidence:item-list")
