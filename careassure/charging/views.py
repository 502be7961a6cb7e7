"""The public care cost calculator pages.

Every answer travels in hidden form fields: each page POSTs all the answers so far. Nothing is
written to the database or the session, and no answer goes in a cookie or the URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careassure.charging import calculator, presenters
from careassure.charging.forms import STEP_FORMS, StepForm
from careassure.charging.journey import (
    CHECK,
    FIRST_STEP,
    answered,
    applicable_steps,
    build_input,
    extract_answers,
    next_step,
    previous_step,
    step_form,
)
from careassure.common.forms import error_summary
from careassure.core.charging import (
    ChargingError,
    ChargingInputError,
    ChargingResult,
    CouncilPolicy,
    UnknownFinancialYearError,
    parse_input,
)

PDF_STYLESHEET = Path(__file__).parent / "pdf.css"


def _pairs(answers: QueryDict, exclude: set[str] | frozenset[str] = frozenset()) -> list[Any]:
    return [
        (name, value)
        for name in sorted(answers)
        if name not in exclude
        for value in answers.getlist(name)
    ]


def _year_labels() -> dict[str, str]:
    return {
        year: f"April {year[:4]} to March 20{year[5:]} ({year})"
        for year in calculator.financial_years()
    }


def _render_step(
    request: HttpRequest,
    step: str,
    answers: QueryDict,
    policy: CouncilPolicy,
    *,
    form: StepForm | None = None,
    changing: bool = False,
    page_errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    form = form or step_form(step, answers, policy)
    steps = applicable_steps(answers, policy)
    position = steps.index(step) + 1 if step in steps else None
    return render(
        request,
        "charging/question.jinja",
        {
            "form": form,
            "step": step,
            "changing": changing,
            "hidden": _pairs(answers, exclude=set(form.fields)),
            "back_hidden": _pairs(answers),
            "first": step == FIRST_STEP,
            "position": position,
            "error_summary": (page_errors or []) + error_summary(form),
            "policy": policy,
        },
        status=status,
    )


def _render_check(
    request: HttpRequest,
    answers: QueryDict,
    policy: CouncilPolicy,
    *,
    page_errors: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    _, missing = build_input(answers, policy)
    if missing is not None:
        return _render_missing(request, missing, answers, policy)
    return render(
        request,
        "charging/check_answers.jinja",
        {
            "sections": presenters.check_answer_sections(answers, policy, _year_labels()),
            "hidden": _pairs(answers),
            "error_summary": page_errors or [],
        },
        status=status,
    )


def _render_missing(
    request: HttpRequest, step: str, answers: QueryDict, policy: CouncilPolicy
) -> HttpResponse:
    """Show the first page whose answers are missing (or not valid, with its errors)."""
    if answered(step, answers):
        form = step_form(step, answers, policy, data=answers)
        form.is_valid()
        return _render_step(request, step, answers, policy, form=form, status=400)
    return _render_step(request, step, answers, policy)


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Public: what the calculator does, what you need, and the privacy statement."""
    policy = calculator.council_policy()
    asked = request.GET.get("year")
    chosen = asked if asked in calculator.financial_years() else None
    year = chosen or calculator.default_financial_year()
    return render(
        request,
        "charging/start.jinja",
        {
            "start_year": chosen,
            "council": policy.display_name,
            "year_label": _year_labels().get(year, year),
            "privacy_statement": presenters.PRIVACY_STATEMENT,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest) -> HttpResponse:
    """Public: every question page. GET shows the first; each POST carries all answers."""
    policy = calculator.council_policy()
    if request.method == "GET":
        answers = QueryDict(mutable=True)
        year = request.GET.get("year") or calculator.default_financial_year()
        answers["financial_year"] = year
        if year not in calculator.financial_years():
            message = str(UnknownFinancialYearError(year, calculator.financial_years()[::-1]))
            return _render_step(
                request,
                "year",
                answers,
                policy,
                page_errors=[{"text": message, "href": "#id_financial_year"}],
                status=400,
            )
        return _render_step(request, FIRST_STEP, answers, policy)

    answers = extract_answers(request.POST)
    action = request.POST.get("_action", "continue")
    step = request.POST.get("_step", "")
    changing = request.POST.get("_changing") == "1"
    if action == CHECK:
        return _render_check(request, answers, policy)
    if action.startswith("change:") and action[7:] in STEP_FORMS:
        return _render_step(request, action[7:], answers, policy, changing=True)
    if action == "back":
        previous = previous_step(step, answers, policy)
        if previous is None:
            return HttpResponseRedirect(reverse("charging:start"))
        if previous == CHECK:
            return _render_check(request, answers, policy)
        return _render_step(request, previous, answers, policy, changing=changing)
    if step not in STEP_FORMS:
        return _render_step(request, FIRST_STEP, answers, policy)

    form = step_form(step, answers, policy, data=request.POST)
    if not form.is_valid():
        return _render_step(
            request, step, answers, policy, form=form, changing=changing, status=400
        )
    for name in form.fields:
        if name not in request.POST:
            answers.pop(name, None)
    following = next_step(step, answers, policy, changing=changing)
    if following == CHECK:
        return _render_check(request, answers, policy)
    return _render_step(request, following, answers, policy, changing=changing)


def _estimate_or_response(
    request: HttpRequest,
) -> tuple[QueryDict, ChargingResult | None, HttpResponse | None]:
    policy = calculator.council_policy()
    answers = extract_answers(request.POST)
    data, missing = build_input(answers, policy)
    if missing is not None:
        return answers, None, _render_missing(request, missing, answers, policy)
    try:
        result = calculator.estimate(parse_input(data))
    except ChargingInputError as error:
        errors = [{"text": problem.message, "href": "#main-content"} for problem in error.errors]
        return (
            answers,
            None,
            _render_check(request, answers, policy, page_errors=errors, status=400),
        )
    except ChargingError as error:
        errors = [{"text": str(error), "href": "#change-year"}]
        return (
            answers,
            None,
            _render_check(request, answers, policy, page_errors=errors, status=400),
        )
    return answers, result, None


def _presenter(result: ChargingResult) -> presenters.ResultPresenter:
    return presenters.ResultPresenter(
        result,
        council_contact_url=getattr(
            settings,
            "CAREASSURE_CHARGING_COUNCIL_CONTACT_URL",
            presenters.DEFAULT_COUNCIL_CONTACT_URL,
        ),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest) -> HttpResponse:
    """Public: the estimate, worked out from the answers POSTed from check answers."""
    if request.method == "GET":
        return HttpResponseRedirect(reverse("charging:start"))
    answers, estimate, response = _estimate_or_response(request)
    if response is not None:
        return response
    assert estimate is not None
    return render(
        request,
        "charging/result.jinja",
        {
            "p": _presenter(estimate),
            "hidden": _pairs(answers),
            "privacy_statement": presenters.PRIVACY_STATEMENT,
        },
    )


@never_cache
@require_POST
def result_pdf(request: HttpRequest) -> HttpResponse:
    """Public: the estimate as a PDF, made on the fly from the POSTed answers (not stored)."""
    from weasyprint import CSS, HTML

    answers, estimate, response = _estimate_or_response(request)
    if response is not None:
        return response
    assert estimate is not None
    html = render_to_string(
        "charging/result_pdf.jinja",
        {"p": _presenter(estimate), "privacy_statement": presenters.PRIVACY_STATEMENT},
        request=request,
    )
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=str(PDF_STYLESHEET))])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="care-cost-estimate.pdf"'
    return response


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view for load balancers and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")
