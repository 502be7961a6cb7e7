from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from careassure.accounts import selectors
from careassure.accounts.forms import OrganisationChoiceForm, SignInForm
from careassure.accounts.middleware import SESSION_KEY
from careassure.accounts.permissions import organisation_required
from careassure.accounts.presenters import dashboard_cards
from careassure.common.audit import AuditEventType, audit_record
from careassure.common.forms import error_summary


def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        login(request, form.user)
        audit_record(event=AuditEventType.USER_SIGNED_IN, actor=form.user)
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("accounts:home")
    return render(
        request,
        "accounts/sign_in.jinja",
        {"form": form, "error_summary": error_summary(form), "next": request.GET.get("next", "")},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(event=AuditEventType.USER_SIGNED_OUT, actor=request.user)
    logout(request)
    return redirect("common:start")


@organisation_required()
def home(request: HttpRequest) -> HttpResponse:
    org = request.organisation  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/home.jinja",
        {"cards": dashboard_cards(org=org, membership=request.membership)},  # type: ignore[attr-defined]
    )


def choose_organisation(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:sign-in")
    memberships = selectors.membership_list_for_user(user=request.user)
    choices = [(m.organisation_id, m.organisation.name) for m in memberships]
    form = OrganisationChoiceForm(
        request.POST if request.method == "POST" else None, choices=choices
    )
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.cleaned_data["organisation"]
        return redirect("accounts:home")
    return render(
        request,
        "accounts/choose_organisation.jinja",
        {"form": form, "error_summary": error_summary(form)},
    )
