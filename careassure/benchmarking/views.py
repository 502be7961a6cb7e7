from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from careassure.benchmarking import presenters, selectors
from careassure.benchmarking.forms import CalculatorForm, NationalFilterForm
from careassure.common.forms import error_summary
from careassure.core.scoring import score_overall
from careassure.framework.selectors import quality_statement_titles


def calculator(request: HttpRequest) -> HttpResponse:
    """Public: enter up to nine scores and see the percentage, rating and position."""
    titles = quality_statement_titles()
    submitted = any(key in request.GET for key in titles)
    form = CalculatorForm(request.GET if submitted else None, qs_titles=titles)
    result = None
    if submitted and form.is_valid():
        result = presenters.CalculatorResultPresenter(score_overall(form.scores()), titles)
    return render(
        request,
        "benchmarking/calculator.jinja",
        {
            "form": form,
            "fields": [(form[qs], title) for qs, title in titles.items()],
            "result": result,
            "error_summary": error_summary(form),
            "bands": presenters.BAND_ROWS,
        },
        status=400 if submitted and form.errors else 200,
    )


def national(request: HttpRequest) -> HttpResponse:
    """Public: published results for every council, with filters, counts and distributions."""
    form = NationalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "name"
    descending = filters.get("order") == "desc"
    results = selectors.published_result_list(
        rating=filters.get("rating", ""),
        region=filters.get("region", ""),
        org_type=filters.get("org_type", ""),
        sort=sort,
        descending=descending,
    )
    titles = quality_statement_titles()
    distribution = selectors.score_distribution()
    council_id = filters.get("council")
    council = selectors.published_result_get(result_id=council_id) if council_id else None
    position = selectors.council_position(council=council) if council else None
    return render(
        request,
        "benchmarking/national.jinja",
        presenters.national_context(
            request=request,
            form=form,
            results=list(results),
            all_results=list(selectors.published_result_list()),
            sort=sort,
            descending=descending,
            counts=selectors.rating_counts(),
            distribution=distribution,
            titles=titles,
            council=council,
            position=position,
        ),
    )
