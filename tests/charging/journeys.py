"""Answers for whole journeys through the question pages, and a helper that POSTs them the way
the pages do (every answer so far, plus the page being answered)."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from django.test import Client

QUESTIONS = "/care-cost-calculator/questions/"
RESULT = "/care-cost-calculator/estimate/"
PDF = "/care-cost-calculator/estimate.pdf"

# Example 1's person (age 22, Universal Credit, enhanced PIP, no night care) asking Kent, who
# count the night element and allow a flat £17 DRE: 167.96 + 108.55 = 276.51 counted (mobility
# ignored); − DRE 17.00 − MIG 160.30 (87.65 + 48.80 + 23.85) = 99.21; cost 391.95, so the
# council pays 391.95 − 99.21 = 292.74.
HOME_CARE_STEPS: list[tuple[str, dict[str, Any]]] = [
    ("free", {"free_service": "none"}),
    ("setting", {"care_setting": "home_care"}),
    (
        "about",
        {
            "age": "22",
            "reached_pension_credit_age": "no",
            "partner": "no",
            "dependent_children": "0",
            "receives_benefits_for_dependants": "no",
        },
    ),
    ("capital", {"capital__savings": "", "capital__joint_savings": ""}),
    ("income", {"income__universal_credit": "£167.96"}),
    (
        "disability",
        {
            "income__disability_benefit": "pip_daily_living",
            "income__disability_benefit_rate": "higher",
            "income__disability_benefit_amount": "108.55",
            "income__mobility_component": "75.75",
        },
    ),
    ("housing", {"housing_costs__rent": ""}),
    (
        "care-at-home",
        {
            "receives_night_care": "no",
            "asks_for_individual_dre_assessment": "no",
            "dre_1_description": "Extra laundry",
            "dre_1_amount": "6.42",
            "dre_2_description": "Extra heating",
            "dre_2_amount": "6.18",
        },
    ),
    (
        "cost",
        {
            "weekly_cost_of_care": "391.95",
            "has_deliberately_reduced_assets": "no",
            "declines_financial_assessment": "no",
        },
    ),
]

# Example 4 (Leeds) asked of Kent: 209.67 + 25.81 = 235.48; − PEA 30.15 = 205.33 (savings
# £10,000 are below the lower limit, so no tariff income); council 694.00 − 205.33 = 488.67.
CARE_HOME_STEPS: list[tuple[str, dict[str, Any]]] = [
    ("free", {"free_service": "none"}),
    ("setting", {"care_setting": "care_home_permanent"}),
    (
        "about",
        {
            "age": "85",
            "reached_pension_credit_age": "yes",
            "partner": "no",
            "dependent_children": "0",
            "receives_benefits_for_dependants": "no",
        },
    ),
    ("capital", {"capital__savings": "10,000"}),
    ("home", {"owns_home": "no"}),
    (
        "income",
        {"income__state_pension": "209.67", "income__private_pensions": "25.81"},
    ),
    ("disability", {"income__disability_benefit": "none"}),
    (
        "cost",
        {
            "weekly_cost_of_care": "694",
            "has_deliberately_reduced_assets": "no",
            "declines_financial_assessment": "no",
        },
    ),
]


def walk(
    client: Client,
    steps: list[tuple[str, dict[str, Any]]],
    *,
    year: str = "2024-25",
) -> tuple[dict[str, Any], list[Any]]:
    """Answer each page in turn; returns the answers and every response (the last is the page
    after the final step)."""
    answers: dict[str, Any] = {"financial_year": year}
    responses = []
    for step, values in steps:
        answers.update(values)
        response = client.post(QUESTIONS, {**answers, "_step": step})
        assert response.status_code == 200, (step, error_messages(response))
        responses.append(response)
    return answers, responses


def page_title(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert match
    return html_lib.unescape(" ".join(match.group(1).split()))


def error_messages(response: Any) -> list[str]:
    html = response.content.decode()
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not summary:
        return []
    return [
        html_lib.unescape(" ".join(re.sub(r"<[^>]+>", "", item).split()))
        for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    ]


def hidden_answers_on(response: Any) -> list[tuple[str, str]]:
    html = response.content.decode()
    return re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)
