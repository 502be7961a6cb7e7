"""The calculator's question pages, check answers, result and PDF: branching, messages word for
word, and that nothing the resident enters is stored."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from tests.charging.journeys import (
    CARE_HOME_STEPS,
    HOME_CARE_STEPS,
    PDF,
    QUESTIONS,
    RESULT,
    error_messages,
    hidden_answers_on,
    page_title,
    walk,
)

START = "/care-cost-calculator/"


def steps_until(steps: list[tuple[str, dict[str, Any]]], stop: str) -> dict[str, Any]:
    answers: dict[str, Any] = {"financial_year": "2024-25"}
    for step, values in steps:
        if step == stop:
            break
        answers.update(values)
    return answers


def test_start_page_is_public_and_says_it_is_an_estimate(client: Client) -> None:
    response = client.get(START)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Estimate what you might pay for care" in html
    assert "not a financial assessment" in html
    assert 'href="/care-cost-calculator/questions/"' in html
    assert "We do not store your answers or your estimate." in html


def test_first_question_starts_with_the_default_year(client: Client) -> None:
    response = client.get(QUESTIONS, {"year": "2023-24"})
    assert page_title(response).startswith("Is your care one of these free services?")
    assert ("financial_year", "2023-24") in hidden_answers_on(response)


def test_an_unknown_year_is_a_page_level_error(client: Client) -> None:
    response = client.get(QUESTIONS, {"year": "2030-31"})
    assert response.status_code == 400
    [message] = error_messages(response)
    assert message.startswith("There are no charging rates for the financial year 2030-31.")


def test_home_care_journey_reaches_the_estimate_in_ten_pages(client: Client) -> None:
    answers, responses = walk(client, HOME_CARE_STEPS)
    titles = [page_title(r).split(" – ")[0] for r in responses]
    assert titles == [
        "Where do you get, or will you get, care?",
        "About you",
        "Your savings and capital",
        "Your income",
        "Disability benefits",
        "Your housing costs",
        "Your care at home and disability costs",
        "The cost of your care",
        "Check your answers",
    ]
    # 9 question pages + check answers = 10 steps; no care-home question was asked.
    assert "Do you own your home" not in "".join(titles)
    result = client.post(RESULT, answers)
    html = result.content.decode()
    assert result.status_code == 200
    # Worked in tests/charging/journeys.py: 276.51 − 17.00 − 160.30 = 99.21.
    assert page_title(result).startswith("Your estimated weekly charge: £99.21 a week")
    assert "£292.74" in html  # council: 391.95 − 99.21
    assert "Minimum Income Guarantee" in html
    assert "This is an estimate. It is not a financial assessment and not a decision." in html
    for adviser in ("Age UK", "Independent Age", "MoneyHelper", "Citizens Advice"):
        assert adviser in html
    assert "Kent County Council: adult social care" in html


def test_care_home_journey_asks_about_the_home_not_housing_costs(client: Client) -> None:
    answers, responses = walk(client, CARE_HOME_STEPS)
    titles = [page_title(r).split(" – ")[0] for r in responses]
    assert "Do you own your home, on your own or with someone else?" in titles
    assert "Your housing costs" not in titles
    assert "Your care at home and disability costs" not in titles
    result = client.post(RESULT, answers)
    # 209.67 + 25.81 − 30.15 = 205.33; council 694.00 − 205.33 = 488.67.
    assert page_title(result).startswith("Your estimated weekly charge: £205.33 a week")
    assert "£488.67" in result.content.decode()


def test_income_paid_monthly_or_every_4_weeks_is_made_weekly(client: Client) -> None:
    income = {
        "income__state_pension": "838.68",
        "income__periods__state_pension": "four_weeks",
        "income__private_pensions": "111.84",
        "income__periods__private_pensions": "month",
        "income__periods__pension_credit_guarantee": "year",  # no amount: nothing changes
    }
    steps = [(step, income if step == "income" else values) for step, values in CARE_HOME_STEPS]
    answers, responses = walk(client, steps)
    check = html.unescape(responses[-1].content.decode())
    assert "£838.68 every 4 weeks" in check
    assert "£111.84 a month" in check
    assert "How often do you get it?" not in check
    result = client.post(RESULT, answers)
    page = html.unescape(result.content.decode())
    # 838.68 ÷ 4 = 209.67; 111.84 × 12 ÷ 52 = 25.8092… → 25.80; 209.67 + 25.80 − 30.15 = 205.32;
    # council 694.00 − 205.32 = 488.68.
    assert page_title(result).startswith("Your estimated weekly charge: £205.32 a week")
    assert "£488.68" in page
    assert "£838.68 every 4 weeks ÷ 4 = £209.67 a week." in page
    assert "£111.84 a month × 12 ÷ 52 = £25.80 a week (rounded down to a penny)." in page
    assert "monthly amounts were multiplied by 12 and divided by 52" in page


def test_the_income_page_asks_how_often_each_amount_is_paid(client: Client) -> None:
    answers = steps_until(CARE_HOME_STEPS, "income")
    response = client.post(QUESTIONS, {**answers, "_step": "home"})
    page = html.unescape(response.content.decode())
    assert page_title(response).startswith("Your income")
    assert 'name="income__periods__state_pension" type="radio" value="month"' in page
    assert "How often do you get it?" in page
    assert '<span class="govuk-visually-hidden"> (State Pension)</span>' in page
    assert "income__periods__joint_income" not in page  # no partner


def test_a_homeowner_is_asked_about_the_home(client: Client) -> None:
    answers = steps_until(CARE_HOME_STEPS, "home")
    response = client.post(QUESTIONS, {**answers, "owns_home": "yes", "_step": "home"})
    assert page_title(response).startswith("Your home")
    response = client.post(
        QUESTIONS, {**answers, "owns_home": "yes", "_step": "home-details", "home__value": ""}
    )
    assert error_messages(response) == [
        "Enter the value of your home",
        "Select who still lives in your home, or no one",
    ]


def test_temporary_stay_asks_how_long(client: Client) -> None:
    response = client.post(
        QUESTIONS,
        {
            "financial_year": "2024-25",
            "free_service": "none",
            "care_setting": "care_home_temporary",
            "_step": "setting",
        },
    )
    assert page_title(response).startswith("Your temporary stay")
    response = client.post(
        QUESTIONS,
        {
            "financial_year": "2024-25",
            "free_service": "none",
            "care_setting": "care_home_temporary",
            "_step": "stay",
            "expected_stay_weeks": "",
        },
    )
    assert error_messages(response) == ["Enter how many weeks the stay is expected to last, like 4"]


@pytest.mark.parametrize(
    ("step", "values", "messages"),
    [
        pytest.param(
            "free", {}, ["Select whether your care is one of these free services"], id="free"
        ),
        pytest.param("setting", {}, ["Select where you get, or will get, care"], id="setting"),
        pytest.param(
            "about",
            {"age": "sixty"},
            [
                "Enter your age as a whole number, like 67",
                "Select yes if you have reached Pension Credit age",
                "Select whether you have a partner",
                "Enter the number of children who depend on you, like 0 or 2",
                "Select yes if you get benefits for dependants",
            ],
            id="about",
        ),
        pytest.param(
            "capital",
            {
                "capital__savings": "-100",
                "capital__joint_savings": "lots",
                "capital__other_property": "1e9",
                "capital__joint_savings_owners": "1",
            },
            [
                "Your savings must be £0 or more",
                "Enter your joint savings as an amount of money, like 1500 or 1500.50",
                "Enter how many people hold the joint savings, like 2",
                "Enter the value of other property you own as an amount of money, "
                "like 1500 or 1500.50",
            ],
            id="capital",
        ),
        pytest.param(
            "income",
            {"income__state_pension": "200000", "income__earnings": "12.345"},
            [
                "Your State Pension must be £100,000.00 or less",
                "Enter your earnings in pounds and pence, like 1500 or 1500.50",
            ],
            id="income",
        ),
        pytest.param(
            "disability",
            {"income__disability_benefit": "pip_daily_living"},
            ["Select the rate of your disability benefit"],
            id="disability-rate",
        ),
        pytest.param(
            "disability",
            {
                "income__disability_benefit": "attendance_allowance",
                "income__disability_benefit_rate": "middle",
                "income__disability_benefit_amount": "72.65",
            },
            ["Select the lower or higher rate: only DLA care has a middle rate"],
            id="disability-middle",
        ),
        pytest.param(
            "disability",
            {"income__disability_benefit": "dla_care", "income__disability_benefit_rate": "lower"},
            ["Enter the amount of your disability benefit"],
            id="disability-amount",
        ),
        pytest.param(
            "care-at-home",
            {
                "receives_night_care": "no",
                "asks_for_individual_dre_assessment": "yes",
                "dre_1_description": "Laundry",
                "dre_2_amount": "5",
            },
            ["Enter the weekly cost", "Enter what the disability-related cost is for"],
            id="dre",
        ),
        pytest.param(
            "cost",
            {"weekly_cost_of_care": "£-5"},
            [
                "The weekly cost of your care must be £0 or more",
                "Select yes if you have given away or spent money or property to reduce what "
                "you have",
                "Select yes if you would rather not have a financial assessment",
            ],
            id="cost",
        ),
    ],
)
def test_bad_answers_get_the_error_summary_word_for_word(
    client: Client, step: str, values: dict[str, str], messages: list[str]
) -> None:
    answers = steps_until(HOME_CARE_STEPS, step)
    response = client.post(QUESTIONS, {**answers, **values, "_step": step})
    assert response.status_code == 400
    assert error_messages(response) == messages
    assert page_title(response).startswith("Error: ")


def test_money_is_read_as_a_person_types_it(client: Client) -> None:
    answers = steps_until(CARE_HOME_STEPS, "capital")
    response = client.post(
        QUESTIONS, {**answers, "capital__savings": " £1,234.50 ", "_step": "capital"}
    )
    assert response.status_code == 200
    assert ("capital__savings", " £1,234.50 ") in hidden_answers_on(response)


def test_each_page_carries_every_earlier_answer_in_hidden_fields(client: Client) -> None:
    _, responses = walk(client, HOME_CARE_STEPS[:3])
    carried = dict(hidden_answers_on(responses[-1]))
    assert carried["age"] == "22"
    assert carried["care_setting"] == "home_care"
    assert carried["free_service"] == "none"


def test_check_answers_lists_answers_with_change_buttons(client: Client) -> None:
    _, responses = walk(client, HOME_CARE_STEPS)
    html = responses[-1].content.decode()
    assert "Universal Credit" in html
    assert "£167.96" in html
    assert "Extra laundry: £6.42; Extra heating: £6.18" in html
    assert 'value="change:income"' in html
    assert 'formaction="/care-cost-calculator/estimate/"' in html


def test_change_returns_to_check_answers(client: Client) -> None:
    answers, _ = walk(client, HOME_CARE_STEPS)
    response = client.post(QUESTIONS, {**answers, "_action": "change:income"})
    assert page_title(response).startswith("Your income")
    assert 'name="_changing" value="1"' in response.content.decode()
    response = client.post(
        QUESTIONS,
        {**answers, "income__universal_credit": "200", "_step": "income", "_changing": "1"},
    )
    assert page_title(response).startswith("Check your answers")
    assert "£200.00" in response.content.decode()


def test_changing_to_a_care_home_asks_the_new_care_home_question(client: Client) -> None:
    answers, _ = walk(client, HOME_CARE_STEPS)
    response = client.post(
        QUESTIONS,
        {**answers, "care_setting": "care_home_permanent", "_step": "setting", "_changing": "1"},
    )
    assert page_title(response).startswith("Do you own your home")


def test_back_goes_to_the_previous_page_keeping_answers(client: Client) -> None:
    answers = steps_until(HOME_CARE_STEPS, "capital")
    response = client.post(QUESTIONS, {**answers, "_step": "capital", "_action": "back"})
    assert page_title(response).startswith("About you")
    assert 'value="22"' in response.content.decode()


def test_free_service_stops_after_who_you_are(client: Client) -> None:
    steps = [
        ("free", {"free_service": "reablement_first_6_weeks"}),
        ("setting", {"care_setting": "home_care"}),
        ("about", HOME_CARE_STEPS[2][1]),
    ]
    answers, responses = walk(client, steps)
    assert page_title(responses[-1]).startswith("Check your answers")
    result = client.post(RESULT, answers)
    assert page_title(result).startswith("Your care is free")
    assert "£0.00" in result.content.decode()


def test_benefits_for_dependants_are_referred_to_kent(client: Client) -> None:
    about = {**HOME_CARE_STEPS[2][1], "receives_benefits_for_dependants": "yes"}
    answers, responses = walk(client, [*HOME_CARE_STEPS[:2], ("about", about)])
    assert page_title(responses[-1]).startswith("Check your answers")
    result = client.post(RESULT, answers)
    assert page_title(result).startswith("We can't estimate this: contact the council")
    assert (
        "We can't estimate this because you get benefits for dependants: contact Kent "
        "County Council for a financial assessment." in html.unescape(result.content.decode())
    )


def test_capital_over_the_limit_means_full_cost(client: Client) -> None:
    steps = [
        (step, {"capital__savings": "30000"} if step == "capital" else values)
        for step, values in CARE_HOME_STEPS
    ]
    answers, _ = walk(client, steps)
    result = client.post(RESULT, answers)
    assert page_title(result).startswith("You would probably pay the full cost of your care")


def test_a_year_missing_rates_is_a_page_level_error_on_check_answers(client: Client) -> None:
    answers, _ = walk(client, CARE_HOME_STEPS, year="2026-27")
    response = client.post(RESULT, answers)
    assert response.status_code == 400
    assert page_title(response).startswith("Error: Check your answers")
    [message] = error_messages(response)
    assert message.startswith("The 2026-27 rates have no usable value for")


def test_result_without_all_answers_shows_the_missing_question(client: Client) -> None:
    answers = steps_until(HOME_CARE_STEPS, "income")
    response = client.post(RESULT, answers)
    assert page_title(response).startswith("Your income")


def test_result_page_by_get_goes_to_the_start(client: Client) -> None:
    response = client.get(RESULT)
    assert response.status_code == 302
    assert response["Location"] == START


def test_pdf_download_is_made_on_the_fly(client: Client) -> None:
    answers, _ = walk(client, CARE_HOME_STEPS)
    response = client.post(PDF, answers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_whole_journey_writes_nothing_and_sets_no_session_cookie(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client.get(QUESTIONS)
    with django_assert_num_queries(0):
        answers, responses = walk(client, HOME_CARE_STEPS)
        result = client.post(RESULT, answers)
    for response in [*responses, result]:
        assert "sessionid" not in response.cookies
        assert "no-store" in response["Cache-Control"]
        for cookie in response.cookies.values():
            assert "167.96" not in cookie.value
    assert "sessionid" not in client.cookies


def test_healthz(client: Client) -> None:
    response = client.get("/healthz")
    assert response.content == b"ok"


def test_homeowner_sees_the_12_week_disregard_and_what_follows(client: Client) -> None:
    steps = [
        *CARE_HOME_STEPS[:4],
        ("home", {"owns_home": "yes"}),
        (
            "home-details",
            {
                "home__value": "200,000",
                "home__occupied_by": "no_one",
                "home__weeks_in_permanent_care": "0",
            },
        ),
        *CARE_HOME_STEPS[5:],
    ]
    answers, _ = walk(client, steps)
    result = client.post(RESULT, answers)
    html_text = html.unescape(result.content.decode())
    # Now: the home is ignored for 12 weeks, so the charge is example 4's £205.33. After the
    # disregard, capital £210,000 is above £23,250: the full cost of £694.00.
    assert page_title(result).startswith("Your estimated weekly charge: £205.33 a week")
    assert "After that, your estimated weekly charge would be £694.00." in html_text
    assert "Deferred payment" in html_text


def test_answers_need_the_csrf_token() -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(QUESTIONS, {"financial_year": "2024-25", "_step": "free"})
    assert response.status_code == 403


def test_changing_the_year_returns_to_check_answers(client: Client) -> None:
    answers, _ = walk(client, CARE_HOME_STEPS)
    response = client.post(QUESTIONS, {**answers, "_action": "change:year"})
    assert page_title(response).startswith("Which financial year is the estimate for?")
    response = client.post(
        QUESTIONS, {**answers, "financial_year": "2023-24", "_step": "year", "_changing": "1"}
    )
    assert page_title(response).startswith("Check your answers")
    assert "April 2023 to March 2024 (2023-24)" in response.content.decode()
