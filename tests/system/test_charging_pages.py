"""The care cost calculator in Chromium: a resident using only the keyboard reaches an
estimate for both settings, and every page has zero axe WCAG 2.2 AA violations."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.system.conftest import assert_no_axe_violations

MAX_TABS = 120


def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose(page: Page, name: str, value: str) -> None:
    """Tab into a radio group, then move through it with the arrow keys to ``value``."""
    tab_to(page, f"input[type=radio][name='{name}']")
    for _ in range(12):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {value} for {name}")


def type_into(page: Page, name: str, text: str) -> None:
    tab_to(page, f"#id_{name}")
    page.keyboard.press("Control+A")  # replace anything typed before
    page.keyboard.type(text)


CONTINUE = "button.govuk-button[value=continue]"
GET_ESTIMATE = "button.govuk-button[formaction$='/estimate/']"


def continue_with_enter(page: Page, button: str = CONTINUE) -> None:
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def answer(page: Page, answers: list[tuple[str, str, str]]) -> None:
    for kind, name, value in answers:
        if kind == "radio":
            choose(page, name, value)
        else:
            type_into(page, name, value)
    continue_with_enter(page)


ABOUT_22 = [
    ("text", "age", "22"),
    ("radio", "reached_pension_credit_age", "no"),
    ("radio", "partner", "no"),
    ("text", "dependent_children", "0"),
    ("radio", "receives_benefits_for_dependants", "no"),
]


def start(page: Page, url: str, year: str) -> None:
    page.goto(f"{url}/care-cost-calculator/?year={year}")
    assert_no_axe_violations(page)
    tab_to(page, "a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.slow
def test_keyboard_journey_care_at_home_every_page_passes_axe(page: Page, live_server: Any) -> None:
    start(page, live_server.url, "2024-25")
    pages: list[tuple[str, list[tuple[str, str, str]]]] = [
        ("Is your care one of these free services?", [("radio", "free_service", "none")]),
        ("Where do you get, or will you get, care?", [("radio", "care_setting", "home_care")]),
        ("About you", ABOUT_22),
        ("Your savings and capital", []),
        ("Your income", [("text", "income__universal_credit", "£167.96")]),
        (
            "Disability benefits",
            [
                ("radio", "income__disability_benefit", "pip_daily_living"),
                ("radio", "income__disability_benefit_rate", "higher"),
                ("text", "income__disability_benefit_amount", "108.55"),
                ("text", "income__mobility_component", "75.75"),
            ],
        ),
        ("Your housing costs", []),
        (
            "Your care at home and disability costs",
            [
                ("radio", "receives_night_care", "no"),
                ("radio", "asks_for_individual_dre_assessment", "no"),
            ],
        ),
        (
            "The cost of your care",
            [
                ("text", "weekly_cost_of_care", "391.95"),
                ("radio", "has_deliberately_reduced_assets", "no"),
                ("radio", "declines_financial_assessment", "no"),
            ],
        ),
    ]
    for heading, answers in pages:
        expect(page.locator("h1")).to_contain_text(heading)
        assert_no_axe_violations(page)
        answer(page, answers)
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert_no_axe_violations(page)
    continue_with_enter(page, GET_ESTIMATE)
    # Kent: 167.96 + 108.55 = 276.51; − flat DRE 17.00 − MIG 160.30 = 99.21 (2024-25 rates).
    expect(page.locator("h1")).to_have_text("Your estimated weekly charge")
    expect(page.locator(".app-charge-panel__figure")).to_have_text("£99.21")
    assert_no_axe_violations(page)


@pytest.mark.slow
def test_keyboard_journey_care_home_with_an_error_on_the_way(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/care-cost-calculator/questions/?year=2024-25")
    answer(page, [("radio", "free_service", "none")])
    answer(page, [("radio", "care_setting", "care_home_permanent")])
    # An error state: the age is not a number.
    answer(page, [("text", "age", "eighty-five")])
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter your age as a whole number, like 67"
    )
    assert_no_axe_violations(page)
    answer(
        page,
        [
            ("text", "age", "85"),
            ("radio", "reached_pension_credit_age", "yes"),
            ("radio", "partner", "no"),
            ("text", "dependent_children", "0"),
            ("radio", "receives_benefits_for_dependants", "no"),
        ],
    )
    answer(page, [("text", "capital__savings", "10,000")])
    expect(page.locator("h1")).to_contain_text("Do you own your home")
    assert_no_axe_violations(page)
    answer(page, [("radio", "owns_home", "yes")])
    expect(page.locator("h1")).to_have_text("Your home")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/care-cost-calculator/questions/?year=2024-25")
    answer(page, [("radio", "free_service", "none")])
    answer(page, [("radio", "care_setting", "care_home_permanent")])
    answer(
        page,
        [
            ("text", "age", "85"),
            ("radio", "reached_pension_credit_age", "yes"),
            ("radio", "partner", "no"),
            ("text", "dependent_children", "0"),
            ("radio", "receives_benefits_for_dependants", "no"),
        ],
    )
    answer(page, [("text", "capital__savings", "10,000")])
    answer(page, [("radio", "owns_home", "no")])
    answer(
        page,
        [
            ("text", "income__state_pension", "209.67"),
            ("text", "income__private_pensions", "111.84"),
            ("radio", "income__periods__private_pensions", "month"),
        ],
    )
    answer(page, [("radio", "income__disability_benefit", "none")])
    answer(
        page,
        [
            ("text", "weekly_cost_of_care", "694"),
            ("radio", "has_deliberately_reduced_assets", "no"),
            ("radio", "declines_financial_assessment", "no"),
        ],
    )
    expect(page.locator("h1")).to_have_text("Check your answers")
    continue_with_enter(page, GET_ESTIMATE)
    # Private pension 111.84 a month × 12 ÷ 52 = 25.8092… → 25.80 a week;
    # 209.67 + 25.80 − PEA 30.15 = 205.32 a week.
    expect(page.locator(".app-charge-panel__figure")).to_have_text("£205.32")


@pytest.mark.parametrize(
    ("setting", "heading"),
    [
        pytest.param("care_home_temporary", "Your temporary stay", id="temporary-stay"),
        pytest.param("care_home_permanent", "Your savings and capital", id="capital"),
    ],
)
def test_other_question_pages_pass_axe(
    page: Page, live_server: Any, setting: str, heading: str
) -> None:
    page.goto(f"{live_server.url}/care-cost-calculator/questions/?year=2024-25")
    page.get_by_label("No, none of these").check()
    page.get_by_role("button", name="Continue").click()
    page.locator(f"input[value='{setting}']").check()
    page.get_by_role("button", name="Continue").click()
    if setting == "care_home_permanent":
        for label, value in (("How old are you?", "85"), ("How many children", "0")):
            page.get_by_label(label).fill(value)
        for name, value in (
            ("reached_pension_credit_age", "yes"),
            ("partner", "no"),
            ("receives_benefits_for_dependants", "no"),
        ):
            page.locator(f"input[name='{name}'][value='{value}']").check()
        page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_contain_text(heading)
    assert_no_axe_violations(page)


def test_year_page_with_a_page_level_error_passes_axe(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/care-cost-calculator/questions/?year=2030-31")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "There are no charging rates for the financial year 2030-31."
    )
    expect(page.locator("h1")).to_contain_text("Which financial year is the estimate for?")
    assert_no_axe_violations(page)
