"""Public pages and sign-in in Chromium: zero axe WCAG 2.2 AA violations, keyboard journeys."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from careassure.accounts.models import User
from careassure.benchmarking.models import PublishedResult
from careassure.benchmarking.services import SAMPLE_FILE, published_results_import
from tests.conftest import PASSWORD
from tests.system.conftest import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sample(transactional_db: None) -> None:
    published_results_import(
        text=SAMPLE_FILE.read_text(encoding="utf-8"), source="sample.csv", system_actor="test"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accessibility/",
        "/cookies/",
        "/privacy/",
        "/sign-in/",
        "/rating-calculator/",
        "/rating-calculator/?qs1=2&qs2=2&qs3=3&qs4=2&qs5=2&qs6=2&qs7=2&qs8=2&qs9=3",
        "/rating-calculator/?qs1=",
        "/national-picture/",
        "/national-picture/?rating=good&sort=percent&order=desc",
        "/no-such-page/",
    ],
)
def test_public_page_has_no_axe_violations(
    page: Page, live_server, sample: None, path: str
) -> None:
    page.goto(f"{live_server.url}{path}")
    assert_no_axe_violations(page)


def test_national_picture_position_has_no_axe_violations(
    page: Page, live_server, sample: None
) -> None:
    kent = PublishedResult.objects.get(la_name="Kent County Council")
    page.goto(f"{live_server.url}/national-picture/?council={kent.pk}")
    expect(
        page.get_by_role("heading", name="Kent County Council: Requires improvement, 56%")
    ).to_be_visible()
    assert_no_axe_violations(page)


def test_rating_calculator_by_keyboard_alone(page: Page, live_server, sample: None) -> None:
    page.goto(f"{live_server.url}/rating-calculator/")
    for qs, score in zip(range(1, 10), [2, 2, 3, 2, 2, 2, 2, 2, 3], strict=True):
        page.locator(f"#id_qs{qs}").focus()
        page.keyboard.type(str(score))  # typing the first character selects "2 – ..." etc.
    page.locator("#id_qs9").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Work out the rating")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Requires improvement", exact=True)).to_be_visible()
    expect(page.locator(".app-big-number")).to_have_text("56%")
    assert_no_axe_violations(page)


def test_calculator_error_summary_links_to_the_problem(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/rating-calculator/?qs1=")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select a score for at least one quality statement")
    assert page.title().startswith("Error: ")


def test_sign_in_journey(page: Page, live_server, assessment_lead: User) -> None:
    sign_in(page, live_server.url, "ben_lead", PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Sign out").click()
    expect(
        page.get_by_role("heading", name="Prepare for and improve after your CQC assessment")
    ).to_be_visible()


def test_sign_in_error_has_no_axe_violations(
    page: Page, live_server, assessment_lead: User
) -> None:
    sign_in(page, live_server.url, "ben_lead", "not-the-password")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct username and password"
    )
    assert_no_axe_violations(page)


def test_pages_work_without_javascript(browser, live_server, sample: None) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/national-picture/?rating=outstanding")
    expect(page.locator("#results-caption")).to_contain_text("2 councils matching your filters")
    page.goto(f"{live_server.url}/rating-calculator/")
    page.select_option("#id_qs1", "3")
    page.get_by_role("button", name="Work out the rating").click()
    expect(page.locator(".app-big-number")).to_have_text("75%")
    context.close()
