"""Case-tracking pages in Chromium: zero axe violations, and a journey."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from careassure.casetracking.services import case_list_import
from tests.casetracking.conftest import population_bytes
from tests.conftest import PASSWORD
from tests.system.conftest import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow
def test_case_tracking_pages_have_no_axe_violations(page: Page, live_server, kent, council_admin):
    sign_in(page, live_server.url, council_admin.username, PASSWORD)
    page.goto(f"{live_server.url}/case-tracking/")
    assert_no_axe_violations(page)
    case_list = case_list_import(org=kent, actor=council_admin, data=population_bytes(), seed=1)
    entry = case_list.entries.first()
    for path in [
        "/case-tracking/",
        "/case-tracking/import/",
        f"/case-tracking/people/{entry.pk}/",
        "/case-tracking/re-identify/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page)


def test_import_errors_then_build_and_mark_selected(
    page: Page, live_server, kent, assessment_lead, tmp_path: Path
):
    sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
    bad = tmp_path / "bad.csv"
    bad.write_text("person_id,age\nA1,16\n")
    page.goto(f"{live_server.url}/case-tracking/import/")
    page.get_by_label("CSV file of people").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file and build the list").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_no_axe_violations(page)

    good = tmp_path / "people.csv"
    good.write_bytes(population_bytes())
    page.get_by_label("CSV file of people").set_input_files(str(good))
    page.get_by_label("Seed (optional)").fill("42")
    page.get_by_role("button", name="Check the file and build the list").click()
    expect(page.get_by_role("heading", name="People in the list")).to_be_visible()

    page.locator("tbody th a").first.click()
    page.get_by_label("Yes").check()
    page.get_by_label("Given").check()
    page.get_by_label("Family member or carer").check()
    page.get_by_label("Contacted", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("1 of 10")).to_be_visible()
