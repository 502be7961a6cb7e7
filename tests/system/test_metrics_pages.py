"""Metrics dashboard pages in Chromium: zero axe WCAG 2.2 AA violations on every page, and
a journey (open a KPI, file it as evidence, change its thresholds) with JavaScript off."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from careassure.accounts.models import Organisation, User
from careassure.core.cld.synthetic import generate_cld
from careassure.evidence.models import EvidenceItem
from careassure.metrics.demo import demo_published_load
from careassure.metrics.models import KpiThreshold, MetricsRun
from careassure.metrics.services import metrics_refresh
from tests.conftest import PASSWORD
from tests.metrics.conftest import write_extracts
from tests.system.conftest import assert_no_axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

KPI = "sg_screened_within_24h_pct"


@pytest.fixture
def run(kent: Organisation, assessment_lead: User, tmp_path: Path, settings: Any) -> MetricsRun:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    extracts = write_extracts(tmp_path / "extracts")
    cld = generate_cld(40, 5, tmp_path / "cld", la_code="886")
    return metrics_refresh(
        org=kent, extracts_dir=extracts, cld_files=cld, actor=assessment_lead, synthetic=True
    )


@pytest.mark.parametrize(
    "path",
    [
        "/metrics/",
        f"/metrics/kpis/{KPI}/",
        f"/metrics/kpis/{KPI}/?dimension=hub&value=East+hub",
        "/metrics/kpis/waiting_assessment_p90_days/",
        f"/metrics/kpis/{KPI}/thresholds/",
        "/metrics/ascof/",
        "/metrics/data-quality/",
        "/metrics/runs/",
        "/metrics/upload/",
        "/metrics/settings/",
    ],
)
def test_metrics_page_has_no_axe_violations(
    page: Page, live_server: Any, run: MetricsRun, assessment_lead: User, path: str
) -> None:
    sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_be_visible()
    assert_no_axe_violations(page)


def test_run_detail_and_error_pages_have_no_axe_violations(
    page: Page, live_server: Any, run: MetricsRun, assessment_lead: User
) -> None:
    sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
    page.goto(f"{live_server.url}/metrics/runs/{run.pk}/")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/metrics/kpis/{KPI}/thresholds/")
    page.get_by_label("Red threshold").fill("many")
    page.get_by_role("button", name="Save target and thresholds").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_no_axe_violations(page)


def test_ascof_comparison_and_data_quality_pages_have_no_axe_violations(
    page: Page, live_server: Any, run: MetricsRun, assessment_lead: User
) -> None:
    demo_published_load()  # England and South East, labelled an illustrative sample
    run.ascof_period_start = date(2025, 4, 1)
    run.save(update_fields=["ascof_period_start"])
    sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
    page.goto(f"{live_server.url}/metrics/ascof/")
    expect(page.get_by_text("England 2024-25")).to_be_visible()
    expect(page.get_by_text("Illustrative sample").first).to_be_visible()
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/metrics/data-quality/?run={run.pk}")
    expect(page.get_by_text("Fields checked by module and result")).to_be_visible()
    assert_no_axe_violations(page)


def test_file_as_evidence_and_change_thresholds_without_javascript(
    browser: Browser, live_server: Any, run: MetricsRun, assessment_lead: User
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_server.url, assessment_lead.username, PASSWORD)
        page.goto(f"{live_server.url}/metrics/")
        expect(page.get_by_text("Synthetic data").first).to_be_visible()
        page.get_by_role(
            "link", name="Safeguarding concerns screened within 24 hours"
        ).first.click()
        expect(page.locator("h1")).to_have_text("Safeguarding concerns screened within 24 hours")
        page.get_by_role("button", name="File as evidence").click()
        expect(page.get_by_text("Filed as evidence:")).to_be_visible()
        assert EvidenceItem.objects.count() == 1
        page.get_by_role("link", name="Change target and thresholds").click()
        page.get_by_label("Target").fill("90")
        page.get_by_label("Amber threshold").fill("90")
        page.get_by_label("Red threshold").fill("60")
        page.get_by_role("button", name="Save target and thresholds").click()
        expect(page.get_by_text("Target and thresholds saved")).to_be_visible()
        assert KpiThreshold.objects.get(kpi_id=KPI).red_threshold == 60
    finally:
        context.close()
