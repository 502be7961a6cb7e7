"""Which pages apply, and how the answers become the calculator's input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import QueryDict
from pytest_django import Settings as SettingsWrapper

from careassure.charging.calculator import council_policy, default_financial_year
from careassure.charging.journey import applicable_steps, build_input, extract_answers
from tests.charging.journeys import CARE_HOME_STEPS, HOME_CARE_STEPS


def answers_for(steps: list[tuple[str, dict[str, str]]], **extra: str) -> QueryDict:
    answers = QueryDict(mutable=True)
    answers["financial_year"] = "2024-25"
    for _, values in steps:
        for name, value in values.items():
            answers[name] = value
    for name, value in extra.items():
        answers[name] = value
    return answers


def test_home_care_answers_become_the_input_schema() -> None:
    data, missing = build_input(answers_for(HOME_CARE_STEPS), council_policy())
    assert missing is None
    assert data == {
        "financial_year": "2024-25",
        "care_setting": "home_care",
        "age": 22,
        "reached_pension_credit_age": False,
        "has_partner": False,
        "partner_reached_pension_credit_age": False,
        "dependent_children": 0,
        "receives_benefits_for_dependants": False,
        "income": {
            "universal_credit": "167.96",
            "disability_benefit": "pip_daily_living",
            "disability_benefit_rate": "higher",
            "disability_benefit_amount": "108.55",
            "mobility_component": "75.75",
        },
        "receives_night_care": False,
        "asks_for_individual_dre_assessment": False,
        "disability_related_expenditure": [
            {"description": "Extra laundry", "weekly_amount": "6.42"},
            {"description": "Extra heating", "weekly_amount": "6.18"},
        ],
        "weekly_cost_of_care": "391.95",
        "has_deliberately_reduced_assets": False,
        "declines_financial_assessment": False,
    }


def test_a_homeowners_home_is_an_object_without_the_no_one_choice() -> None:
    answers = answers_for(CARE_HOME_STEPS, owns_home="yes", home__value="£250,000")
    answers.setlist("home__occupied_by", ["no_one"])
    data, missing = build_input(answers, council_policy())
    assert missing is None
    assert data["home"] == {"value": "250000.00", "occupied_by": []}


def test_answers_for_pages_that_no_longer_apply_are_left_out() -> None:
    # A home care person with stale care-home answers carried from an earlier choice.
    answers = answers_for(HOME_CARE_STEPS, owns_home="yes", home__value="250000")
    data, _ = build_input(answers, council_policy())
    assert "home" not in data


def test_missing_page_is_named() -> None:
    answers = answers_for(HOME_CARE_STEPS[:3])
    _, missing = build_input(answers, council_policy())
    assert missing == "capital"


def test_only_known_answer_names_are_read_from_a_request() -> None:
    posted = QueryDict("age=40&csrfmiddlewaretoken=abc&_step=about&password=x")
    assert dict(extract_answers(posted)) == {"age": ["40"]}


@pytest.mark.parametrize(
    ("answers", "steps"),
    [
        pytest.param(
            {"free_service": "variant_cjd", "care_setting": "home_care"},
            ["free", "setting", "about"],
            id="free",
        ),
        pytest.param(
            {"free_service": "none", "care_setting": "care_home_temporary"},
            ["free", "setting", "stay", "about", "capital", "income", "disability", "cost"],
            id="temporary",
        ),
        pytest.param(
            {
                "free_service": "none",
                "care_setting": "care_home_permanent",
                "owns_home": "yes",
            },
            [
                "free",
                "setting",
                "about",
                "capital",
                "home",
                "home-details",
                "income",
                "disability",
                "cost",
            ],
            id="homeowner",
        ),
        pytest.param(
            {
                "free_service": "none",
                "care_setting": "home_care",
                "income__carers_allowance": "£83.30",
            },
            ["free", "setting", "about", "capital", "income"],
            id="carers-allowance-referred",
        ),
        pytest.param(
            {
                "free_service": "none",
                "care_setting": "home_care",
                "income__disability_benefit": "none",
            },
            ["free", "setting", "about", "capital", "income", "disability", "housing", "cost"],
            id="home-care-no-disability-benefit",
        ),
    ],
)
def test_pages_that_apply(answers: dict[str, str], steps: list[str]) -> None:
    query = QueryDict(mutable=True)
    query.update(answers)
    assert applicable_steps(query, council_policy()) == steps


@pytest.mark.parametrize(
    ("today", "year"),
    [
        # 2026-27 has only one rate, so the newest complete year is used.
        pytest.param(dt.date(2026, 11, 24), "2025-26", id="current-year-incomplete"),
        pytest.param(dt.date(2024, 6, 1), "2024-25", id="current-year"),
        pytest.param(dt.date(2024, 3, 31), "2023-24", id="before-april"),
    ],
)
def test_default_year(today: dt.date, year: str) -> None:
    assert default_financial_year(today) == year


def test_default_year_setting(settings: SettingsWrapper) -> None:
    settings.CAREASSURE_CHARGING_YEAR = "2023-24"
    assert default_financial_year(dt.date(2026, 1, 1)) == "2023-24"


def test_how_often_income_is_paid_goes_into_the_input_only_when_it_matters() -> None:
    answers = answers_for(
        CARE_HOME_STEPS,
        income__private_pensions="111.84",
        income__periods__private_pensions="month",
        income__periods__state_pension="week",  # the default: left out
        income__periods__pension_credit_guarantee="year",  # no amount: left out
    )
    data, missing = build_input(answers, council_policy())
    assert missing is None
    assert data["income"] == {
        "state_pension": "209.67",
        "private_pensions": "111.84",
        "periods": {"private_pensions": "month"},
        "disability_benefit": "none",
    }
