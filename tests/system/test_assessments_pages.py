"""Assessment workspace in Chromium: zero axe violations on every page, and journeys that work
without JavaScript (the forms post and redirect)."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from careassure.accounts.models import Organisation, User
from careassure.assessments import selectors, services
from careassure.assessments.models import AssessmentCycle
from tests.conftest import PASSWORD
from tests.system.conftest import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

KENT_CQC = {
    "qs1": 2,
    "qs2": 2,
    "qs3": 3,
    "qs4": 2,
    "qs5": 2,
    "qs6": 2,
    "qs7": 2,
    "qs8": 2,
    "qs9": 3,
}


@pytest.fixture
def cycle(kent: Organisation, assessment_lead: User, contributor: User) -> AssessmentCycle:
    cycle = services.cycle_create(
        org=kent,
        actor=assessment_lead,
        name="CQC local authority assessment 2024",
        notification_date=dt.date(2024, 3, 18),
        on_site_start_date=dt.date(2024, 10, 1),
        on_site_end_date=dt.date(2024, 10, 3),
        publication_date=dt.date(2025, 5, 16),
    )
    for qs_id, score in KENT_CQC.items():
        sa = selectors.self_assessment_get(org=kent, cycle=cycle, qs_id=qs_id)
        for version in (0, 1):
            services.self_assessment_save(
                self_assessment=sa,
                actor=contributor,
                based_on_version=version,
                strengths=f"Synthetic demo text. Strengths v{version + 1}",
                areas_for_development="Synthetic demo text. Waiting lists",
                actions="Synthetic demo text. A plan",
                score=2 if qs_id in {"qs3", "qs9"} else score,
                score_rationale="Synthetic demo text. Evidence",
            )
    services.external_scores_save(cycle=cycle, actor=assessment_lead, source="cqc", scores=KENT_CQC)
    services.key_findings_save(
        cycle=cycle,
        actor=assessment_lead,
        strengths=["Co-production"],
        areas_for_development=["Waiting lists"],
    )
    services.information_request_create(
        cycle=cycle,
        actor=assessment_lead,
        title="First request for additional information",
        requested_on=dt.date(2024, 10, 15),
    )
    return cycle


def _sign_in(page: Page, live_server: LiveServer, user: User) -> None:
    sign_in(page, live_server.url, user.username, PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_assessment_pages_have_no_axe_violations(
    page: Page, live_server: LiveServer, assessment_lead: User, cycle: AssessmentCycle
) -> None:
    c = cycle.pk
    request_id = selectors.information_request_list(org=cycle.organisation, cycle=cycle)[0].pk
    _sign_in(page, live_server, assessment_lead)
    for path in [
        f"/assessment/cycles/{c}/",
        f"/assessment/cycles/{c}/edit/",
        "/assessment/cycles/new/",
        f"/assessment/cycles/{c}/milestones/information_return/",
        f"/assessment/cycles/{c}/information-requests/new/",
        f"/assessment/cycles/{c}/information-requests/{request_id}/",
        f"/assessment/cycles/{c}/self-assessment/",
        f"/assessment/cycles/{c}/self-assessment/qs3/",
        f"/assessment/cycles/{c}/self-assessment/qs3/edit/",
        f"/assessment/cycles/{c}/self-assessment/qs3/compare/?old=1&new=2",
        f"/assessment/cycles/{c}/readiness/",
        f"/assessment/cycles/{c}/comparison/",
        f"/assessment/cycles/{c}/scores/cqc/",
        f"/assessment/cycles/{c}/findings/",
    ]:
        page.goto(f"{live_server.url}{path}")
        assert_no_axe_violations(page)


def test_empty_workspace_page_has_no_axe_violations(
    page: Page, live_server: LiveServer, assessment_lead: User
) -> None:
    _sign_in(page, live_server, assessment_lead)
    page.goto(f"{live_server.url}/assessment/")
    expect(page.get_by_role("heading", name="Assessment workspace")).to_be_visible()
    assert_no_axe_violations(page)


def test_error_and_conflict_pages_have_no_axe_violations(
    page: Page,
    live_server: LiveServer,
    contributor: User,
    assessment_lead: User,
    cycle: AssessmentCycle,
) -> None:
    _sign_in(page, live_server, contributor)
    page.goto(f"{live_server.url}/assessment/cycles/{cycle.pk}/self-assessment/qs1/edit/")
    page.get_by_label("Reason for the score").fill("")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason for this score")
    assert_no_axe_violations(page)
    # Someone else saves version 3 while this form still says version 2.
    sa = selectors.self_assessment_get(org=cycle.organisation, cycle=cycle, qs_id="qs1")
    services.self_assessment_save(
        self_assessment=sa,
        actor=assessment_lead,
        based_on_version=2,
        strengths="Synthetic demo text. The lead's text",
        areas_for_development="",
        actions="",
        score=None,
        score_rationale="",
    )
    page.get_by_label("Reason for the score").fill("My reason")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_role("heading", name="Someone else saved a newer version")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Save my text as version 4").click()
    expect(page.get_by_text("QS1 self-assessment saved")).to_be_visible()


def test_journey_write_review_approve_and_compare(
    page: Page,
    live_server: LiveServer,
    contributor: User,
    assessment_lead: User,
    cycle: AssessmentCycle,
) -> None:
    _sign_in(page, live_server, contributor)
    page.goto(f"{live_server.url}/assessment/cycles/{cycle.pk}/self-assessment/qs5/")
    page.get_by_role("button", name="Edit the self-assessment").click()
    page.get_by_label("What we do well").fill("Synthetic demo text. A provider forum meets monthly")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_text("QS5 self-assessment saved")).to_be_visible()
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_text("QS5 self-assessment sent for review")).to_be_visible()

    page.context.clear_cookies()
    _sign_in(page, live_server, assessment_lead)
    page.goto(f"{live_server.url}/assessment/cycles/{cycle.pk}/self-assessment/qs5/")
    page.get_by_role("button", name="Approve version 3").click()
    expect(page.get_by_text("QS5 self-assessment approved")).to_be_visible()
    page.get_by_role("link", name="Compare with version 2").click()
    expect(page.locator("td ins.app-diff-ins").first).to_contain_text("provider")

    page.goto(f"{live_server.url}/assessment/cycles/{cycle.pk}/comparison/")
    expect(page.get_by_text("CQC higher")).to_have_count(2)
    expect(page.get_by_text("56% – Requires improvement")).to_be_visible()
