"""Improvement plan and board report pages in Chromium: zero axe WCAG 2.2 AA violations on
every page, and the monthly board cycle run from the browser with JavaScript switched off."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import Browser, Page, expect

from careassure.improvement import services
from careassure.improvement.models import ActionUpdate, ImprovementPlan, Kpi, Snapshot
from careassure.improvement.periods import period_label, period_of, previous_period
from tests.conftest import PASSWORD
from tests.improvement.factories import make_action, make_plan, store_metrics_run
from tests.system.conftest import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def setup(kent, assessment_lead, contributor) -> dict[str, Any]:
    today = timezone.localdate()
    plan = make_plan(kent, assessment_lead)
    a01 = make_action(
        plan,
        assessment_lead,
        "A01",
        title="Triage the assessment waiting list",
        owner=contributor,
        start_date=today - dt.timedelta(days=90),
        due_date=today + dt.timedelta(days=200),
    )
    a02 = make_action(
        plan,
        assessment_lead,
        "A02",
        title="Close safeguarding concerns on time",
        owner=contributor,
        quality_statements=["qs7"],
        start_date=today - dt.timedelta(days=60),
        due_date=today - dt.timedelta(days=5),
    )
    services.action_dependency_add(action=a02, depends_on=a01, actor=assessment_lead)
    services.milestone_add(
        action=a01,
        title="Risk tool agreed",
        due_date=today - dt.timedelta(days=10),
        actor=assessment_lead,
    )
    milestone = services.milestone_add(
        action=a01,
        title="Triage team recruited",
        due_date=today + dt.timedelta(days=30),
        actor=assessment_lead,
    )
    risk = services.risk_add(
        action=a01,
        description="Staff shortages",
        likelihood=4,
        impact=4,
        mitigation="Agency cover",
        actor=assessment_lead,
    )
    kpi = services.kpi_add(
        action=a02,
        name="Concerns awaiting completion",
        polarity="lower_is_better",
        red_threshold=Decimal(400),
        amber_threshold=Decimal(250),
        actor=assessment_lead,
    )
    services.kpi_value_record(kpi=kpi, value=Decimal(517), as_at=today, actor=assessment_lead)
    store_metrics_run(
        kent,
        created_at=timezone.now() - dt.timedelta(days=1),
        kpi_values=[
            ("sg_open_count", "total", "all", "2025-10", "482"),
            ("sg_open_count", "hub", "East hub", "2025-10", "200"),
        ],
    )
    linked = services.kpi_add(
        action=a01,
        name="",
        polarity="lower_is_better",
        source="metrics_kpi",
        metric_code="sg_open_count",
        metric_dimension="total",
        metric_dimension_value="all",
        actor=assessment_lead,
    )
    services.action_rag_override(
        action=a01,
        rag="amber",
        reason="Recruitment delayed",
        actor=assessment_lead,
        version=a01.version + 0,
    )
    last = previous_period(period_of(today))
    services.period_close(plan=plan, period=previous_period(last), actor=assessment_lead)
    snapshot = services.period_close(plan=plan, period=last, actor=assessment_lead)
    return {
        "plan": plan, "a01": a01, "a02": a02, "kpi": kpi, "snapshot": snapshot,
        "milestone": milestone, "risk": risk, "linked": linked,
    }  # fmt: skip


def _pages(s: dict[str, Any]) -> list[str]:
    plan, a01, snap = s["plan"].pk, s["a01"].pk, s["snapshot"].pk
    return [
        "/improvement/",
        f"/improvement/plans/{plan}/",
        f"/improvement/plans/{plan}/?theme=T3&rag=red",
        f"/improvement/plans/{plan}/dashboard/",
        f"/improvement/plans/{plan}/rules/",
        f"/improvement/plans/{plan}/scores/",
        f"/improvement/plans/{plan}/import/",
        f"/improvement/plans/{plan}/actions/new/",
        f"/improvement/plans/{plan}/request-updates/",
        f"/improvement/plans/{plan}/close/",
        f"/improvement/plans/{plan}/snapshots/",
        f"/improvement/plans/{plan}/changes/",
        f"/improvement/snapshots/{snap}/",
        f"/improvement/actions/{a01}/",
        f"/improvement/actions/{a01}/edit/",
        f"/improvement/actions/{a01}/status/",
        f"/improvement/actions/{a01}/rag/",
        f"/improvement/actions/{a01}/update/",
        f"/improvement/actions/{a01}/dependencies/",
        f"/improvement/actions/{a01}/milestones/",
        f"/improvement/actions/{a01}/risks/",
        f"/improvement/actions/{a01}/kpis/",
        f"/improvement/kpis/{s['kpi'].pk}/values/",
        f"/improvement/milestones/{s['milestone'].pk}/edit/",
        f"/improvement/milestones/{s['milestone'].pk}/remove/",
        f"/improvement/risks/{s['risk'].pk}/edit/",
        f"/improvement/risks/{s['risk'].pk}/remove/",
        f"/improvement/kpis/{s['kpi'].pk}/edit/",
        f"/improvement/kpis/{s['kpi'].pk}/remove/",
        f"/improvement/kpis/{s['linked'].pk}/edit/",
        f"/improvement/kpis/{s['linked'].pk}/remove/",
        f"/reports/plans/{plan}/",
        f"/reports/snapshots/{snap}/delivery_board.html",
        f"/reports/snapshots/{snap}/committee.html",
        "/reports/templates/",
        "/reports/templates/delivery_board/",
    ]


def test_every_improvement_page_has_no_axe_violations(
    page: Page, live_server, setup: dict[str, Any], assessment_lead
) -> None:
    sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
    for path in _pages(setup):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None, path
        assert response.status == 200, path
        assert_no_axe_violations(page)


def test_form_errors_have_no_axe_violations(
    page: Page, live_server, setup, assessment_lead
) -> None:
    sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
    page.goto(f"{live_server.url}/improvement/plans/{setup['plan'].pk}/actions/new/")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_role("link", name="Enter a reference")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/improvement/actions/{setup['a01'].pk}/dependencies/")
    page.get_by_label("A01 cannot finish until").select_option(
        label="A02 Close safeguarding concerns on time"
    )
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role(
            "link", name="A01 cannot depend on A02: A02 already depends on A01 (A02 → A01)"
        )
    ).to_be_visible()
    assert_no_axe_violations(page)


def test_kpi_and_milestone_form_errors_have_no_axe_violations(
    page: Page, live_server, setup, assessment_lead
) -> None:
    sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
    page.goto(f"{live_server.url}/improvement/actions/{setup['a01'].pk}/kpis/")
    page.get_by_label("Take figures from the metrics engine").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Select a metric from the metrics engine")).to_be_visible()
    expect(page.get_by_role("link", name="Select the area or breakdown")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/improvement/milestones/{setup['milestone'].pk}/edit/")
    page.get_by_label("Milestone", exact=True).fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Enter a title")).to_be_visible()
    assert_no_axe_violations(page)


def test_change_and_remove_parts_without_javascript(
    browser: Browser, live_server, setup: dict[str, Any], assessment_lead
) -> None:
    director = browser.new_context(java_script_enabled=False, locale="en-GB").new_page()
    sign_in(director, live_server.url, assessment_lead.username, PASSWORD)
    director.goto(f"{live_server.url}/improvement/actions/{setup['a01'].pk}/")
    director.get_by_role("link", name="Change milestone ‘Triage team recruited’").click()
    director.get_by_label("Complete", exact=True).check()
    director.get_by_role("button", name="Save").click()
    expect(director.get_by_text("Milestone saved")).to_be_visible()
    director.get_by_role("link", name="Remove (Risk 1)").click()
    director.get_by_role("button", name="Yes, remove this risk").click()
    expect(director.get_by_text("Risk removed")).to_be_visible()
    expect(director.get_by_text("No risks recorded.")).to_be_visible()
    director.get_by_role(
        "link", name="Remove KPI (Safeguarding concerns awaiting completion)"
    ).click()
    director.get_by_role("button", name="Yes, remove this KPI").click()
    expect(director.get_by_text("KPI removed")).to_be_visible()
    milestone = setup["milestone"]
    milestone.refresh_from_db()
    assert milestone.status == "complete"
    assert not Kpi.objects.filter(pk=setup["linked"].pk).exists()


def test_monthly_board_cycle_without_javascript(
    browser: Browser, live_server, setup: dict[str, Any], assessment_lead, contributor
) -> None:
    plan: ImprovementPlan = setup["plan"]
    month = period_label(period_of(timezone.localdate()))
    director = browser.new_context(java_script_enabled=False, locale="en-GB").new_page()
    sign_in(director, live_server.url, assessment_lead.username, PASSWORD)
    director.goto(f"{live_server.url}/improvement/plans/{plan.pk}/")
    director.get_by_role("link", name="Request updates").click()
    director.get_by_role("button", name="Send update requests").click()
    expect(director.get_by_text(f"2 update requests sent for {month}")).to_be_visible()

    owner = browser.new_context(java_script_enabled=False, locale="en-GB").new_page()
    sign_in(owner, live_server.url, contributor.username, PASSWORD)
    owner.goto(f"{live_server.url}/improvement/actions/{setup['a01'].pk}/")
    owner.get_by_role("link", name="Give this month’s update").click()
    owner.get_by_label("What progress has been made this month?").fill("Triage team in place")
    owner.get_by_label("At risk").check()
    owner.get_by_label("Percentage complete").fill("40")
    owner.get_by_label("Risk tool agreed").select_option("complete")
    owner.get_by_role("button", name="Save update").click()
    expect(owner.get_by_text("Triage team in place")).to_be_visible()
    assert ActionUpdate.objects.get().percent_complete == 40

    director.goto(f"{live_server.url}/improvement/plans/{plan.pk}/")
    expect(director.get_by_text("1 of 2 actions have an update")).to_be_visible()
    director.get_by_role("link", name="Close the month").click()
    director.get_by_label(month).check()
    director.get_by_role("button", name="Close the month").click()
    expect(director.get_by_role("heading", name=f"{month} (closed)")).to_be_visible()
    snapshot = Snapshot.objects.get(period=period_of(timezone.localdate()))
    director.get_by_role("link", name="Make board reports from this month").click()
    for fmt, suffix in (("PDF", "pdf"), ("Word", "docx"), ("Excel tables", "xlsx")):
        with director.expect_download() as download:
            director.get_by_role(
                "link", name=re.compile(rf"^{fmt}\s*: Monthly Delivery Board pack, {month}$")
            ).click()
        assert download.value.suggested_filename == f"delivery-board-{snapshot.period}.{suffix}"
    director.get_by_role(
        "link", name=re.compile(rf"^Web page\s*: Monthly Delivery Board pack, {month}$")
    ).click()
    expect(
        director.get_by_role("heading", name=f"Monthly Delivery Board pack: {month}")
    ).to_be_visible()
    expect(director.get_by_text("Triage team in place").first).to_be_visible()


def _plan_workbook(tmp_path, *, bad_risk: bool = False):
    """Actions B01 and B02 with a sheet each of milestones, risks and KPIs."""
    book = Workbook()
    actions = book.active
    actions.title = "Plan"
    for row in (["Ref", "Title", "QS", "Due date", "Depends on"],
                ["B01", "Map the reviews backlog", "QS1", "31/03/2027", ""],
                ["B02", "Clear the reviews backlog", "QS1", "30/09/2027", "B01"]):  # fmt: skip
        actions.append(row)
    sheets = {
        "Milestones": [["Action", "Milestone", "Due date", "Status"],
                       ["B01", "Backlog counted", "31/01/2027", "Not started"]],
        "Risks": [["Action", "Risk", "Likelihood", "Impact", "Mitigation"],
                  ["B02", "Not enough reviewers", 4, 9 if bad_risk else 3, "Agency cover"]],
        "KPIs": [["Action", "KPI", "Unit", "Target", "Red threshold", "Amber threshold",
                  "Polarity"],
                 ["B02", "Reviews overdue", "people", 100, 400, 250, "Lower is better"]],
    }  # fmt: skip
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    path = tmp_path / ("bad.xlsx" if bad_risk else "plan.xlsx")
    book.save(path)
    return path


def test_import_with_milestones_risks_and_kpis_has_no_axe_violations(
    page: Page, live_server, setup: dict[str, Any], assessment_lead, tmp_path
) -> None:
    plan = setup["plan"]
    sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
    page.goto(f"{live_server.url}/improvement/plans/{plan.pk}/import/")
    page.get_by_label("Excel file").set_input_files(_plan_workbook(tmp_path, bad_risk=True))
    page.get_by_role("button", name="Upload and continue").click()
    expect(page.get_by_role("heading", name="Choose the columns")).to_be_visible()
    expect(page.get_by_label("Sheet of risks")).to_have_value("Risks")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="1 problems found")).to_be_visible()
    expect(page.get_by_text("The impact must be a whole number from 1 to 5")).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/improvement/plans/{plan.pk}/import/")
    page.get_by_label("Excel file").set_input_files(_plan_workbook(tmp_path))
    page.get_by_role("button", name="Upload and continue").click()
    page.get_by_label("Sheet of milestones").select_option("")
    page.get_by_role("button", name="Check the file").click()
    expect(
        page.get_by_role("heading", name="2 actions, 1 risk and 1 KPI are ready to import")
    ).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Import 2 actions, 1 risk and 1 KPI").click()
    expect(page.get_by_text("2 actions, 1 risk and 1 KPI imported from plan.xlsx")).to_be_visible()
    assert Kpi.objects.filter(action__ref="B02", name="Reviews overdue").exists()
