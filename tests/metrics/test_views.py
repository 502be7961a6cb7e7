from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from careassure.accounts.models import Organisation, User
from careassure.common.audit import AuditEventType
from careassure.common.models import AuditEvent
from careassure.evidence.models import EvidenceItem
from careassure.metrics.models import (
    KpiThreshold,
    MetricsRun,
    MetricsSettings,
    StoredAscofResult,
)
from careassure.metrics.services import metrics_refresh
from tests.metrics.conftest import CONCERNS

ClientFor = Callable[[User], Client]
KPI = "sg_screened_within_24h_pct"


@pytest.fixture
def kent_run(kent: Organisation, assessment_lead: User, extracts: Path) -> MetricsRun:
    return metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)


def test_dashboard_without_figures(client_for: ClientFor, viewer: User) -> None:
    response = client_for(viewer).get("/metrics/")
    assert response.status_code == 200
    assert "No figures have been loaded for Kent County Council yet." in response.content.decode()


def test_dashboard_shows_tiles_with_text_tags(
    client_for: ClientFor, viewer: User, kent_run: MetricsRun
) -> None:
    html = client_for(viewer).get("/metrics/").content.decode()
    assert "Figures as at 31 March 2026." in html
    assert "Safeguarding concerns screened within 24 hours" in html
    assert "66.7%" in html
    assert "Hit and miss target" in html
    assert 'class="govuk-tag govuk-tag--yellow"' in html
    assert "Synthetic data" not in html
    assert "Load new extracts" not in html  # a viewer cannot load extracts


def test_dashboard_labels_synthetic_data(
    client_for: ClientFor, viewer: User, kent_run: MetricsRun
) -> None:
    kent_run.is_synthetic = True
    kent_run.save(update_fields=["is_synthetic"])
    html = client_for(viewer).get("/metrics/").content.decode()
    assert "Synthetic data" in html
    assert "not from this council's records" in html


def test_signed_out_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/metrics/")
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_kpi_detail_has_chart_with_alt_text_and_table(
    client_for: ClientFor, viewer: User, kent_run: MetricsRun
) -> None:
    html = client_for(viewer).get(f"/metrics/kpis/{KPI}/").content.decode()
    assert '<img class="app-metrics-chart" src="data:image/svg+xml;base64,' in html
    assert 'alt="SPC chart of Safeguarding concerns screened within 24 hours, 2 months' in html
    src = html.split('src="data:image/svg+xml;base64,')[1].split('"')[0]
    assert "<svg" in base64.b64decode(src).decode()
    assert "Figures by month" in html
    assert "February 2026" in html
    assert "March 2026" in html
    assert "By hub" in html
    assert "East hub" in html
    assert "Gap between coastal and inland localities" in html
    assert "QS7" in html
    assert "File as evidence" not in html  # viewers cannot file evidence


def test_kpi_detail_drill_down_to_hub(
    client_for: ClientFor, viewer: User, kent_run: MetricsRun
) -> None:
    response = client_for(viewer).get(
        f"/metrics/kpis/{KPI}/", {"dimension": "hub", "value": "West hub"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Safeguarding concerns screened within 24 hours: West hub" in html
    assert "100%" in html  # March: C3 and C4 both within 24 hours


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/metrics/kpis/no_such_kpi/", id="unknown_kpi"),
        pytest.param(f"/metrics/kpis/{KPI}/?dimension=hub&value=Nowhere", id="unknown_hub"),
        pytest.param("/metrics/export/nothing.csv", id="unknown_table"),
        pytest.param("/metrics/export/summary.pdf", id="unknown_format"),
    ],
)
def test_unknown_things_are_404(
    client_for: ClientFor, viewer: User, kent_run: MetricsRun, path: str
) -> None:
    assert client_for(viewer).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(f"/metrics/kpis/{KPI}/", id="kpi_detail"),
        pytest.param("/metrics/ascof/", id="ascof"),
        pytest.param("/metrics/export/summary.csv", id="summary_export"),
        pytest.param(f"/metrics/export/series.xlsx?kpi={KPI}", id="series_export"),
        pytest.param(f"/metrics/export/hub.csv?kpi={KPI}", id="hub_export"),
    ],
)
def test_other_council_cannot_see_kent_figures(
    client_for: ClientFor, other_council_user: User, kent_run: MetricsRun, path: str
) -> None:
    assert client_for(other_council_user).get(path).status_code == 404


def test_other_council_cannot_open_kent_run_by_id(
    client_for: ClientFor, other_council_user: User, kent_run: MetricsRun
) -> None:
    client = client_for(other_council_user)
    assert client.get(f"/metrics/runs/{kent_run.pk}/").status_code == 404
    html = client.get("/metrics/").content.decode()
    assert "66.7%" not in html
    assert "No figures have been loaded for Staffordshire County Council yet." in html


def test_other_council_cannot_file_kent_run_as_evidence(
    client_for: ClientFor, other_council_user: User, kent_run: MetricsRun
) -> None:
    response = client_for(other_council_user).post(
        f"/metrics/kpis/{KPI}/file-as-evidence/", {"run": str(kent_run.pk)}
    )
    assert response.status_code == 404
    assert EvidenceItem.objects.count() == 0


def test_run_detail_lists_files_with_sha256(
    client_for: ClientFor, viewer: User, kent_run: MetricsRun
) -> None:
    html = client_for(viewer).get(f"/metrics/runs/{kent_run.pk}/").content.decode()
    sha = next(f["sha256"] for f in kent_run.files if f["name"] == "contacts.csv")
    assert sha in html
    assert "Ben Tester" in html


def test_summary_csv_export(client_for: ClientFor, viewer: User, kent_run: MetricsRun) -> None:
    response = client_for(viewer).get("/metrics/export/summary.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="metrics-summary-2026-03-31.csv"'
    )
    rows = {r["KPI"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    screened = rows[KPI]
    assert (screened["Value"], screened["Numerator"], screened["Denominator"]) == ("66.7", "2",
                                                                                  "3")  # fmt: skip
    assert (screened["Variation"], screened["RAG"]) == ("Common cause", "Amber")


def test_series_xlsx_export(client_for: ClientFor, viewer: User, kent_run: MetricsRun) -> None:
    response = client_for(viewer).get(
        "/metrics/export/series.xlsx", {"kpi": KPI, "dimension": "hub", "value": "East hub"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Month", "Value", "Numerator", "Denominator")
    # East hub: February 1 of 2 (C1 within, C2 late); March 0 of 1 (C5).
    assert rows[1][:4] == ("February 2026", 50.0, 1, 2)
    assert rows[2][:4] == ("March 2026", 0.0, 0, 1)


@pytest.mark.parametrize(
    "table", ["summary", "waiting", "ascof", "files", "series", "hub", "locality", "group", "gap"]
)
def test_every_table_exports_as_csv_and_xlsx(
    client_for: ClientFor, viewer: User, kent_run: MetricsRun, table: str
) -> None:
    client = client_for(viewer)
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/metrics/export/{table}.{fmt}", {"kpi": KPI})
        assert response.status_code == 200, (table, fmt)


def test_file_as_evidence_from_the_page(
    client_for: ClientFor, contributor: User, kent_run: MetricsRun
) -> None:
    client = client_for(contributor)
    response = client.post(
        f"/metrics/kpis/{KPI}/file-as-evidence/",
        {"run": str(kent_run.pk), "dimension": "total", "value": "all"},
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.title == "Safeguarding concerns screened within 24 hours: 66.7% as at 31 March 2026"
    assert f"/metrics/kpis/{KPI}/" in item.description
    html = client.get(response["Location"]).content.decode()
    assert "Filed as evidence: Safeguarding concerns screened within 24 hours" in html


def test_thresholds_page_saves(
    client_for: ClientFor, assessment_lead: User, kent_run: MetricsRun
) -> None:
    client = client_for(assessment_lead)
    response = client.post(
        f"/metrics/kpis/{KPI}/thresholds/",
        {"target": "90", "amber_threshold": "90", "red_threshold": "60"},
    )
    assert response.status_code == 302
    row = KpiThreshold.objects.get(kpi_id=KPI)
    assert (row.target, row.amber_threshold, row.red_threshold) == (
        Decimal(90),
        Decimal(90),
        Decimal(60),
    )
    # 66.7 is below amber (90) but not below red (60): still amber.
    rows = client.get("/metrics/export/summary.csv").content.decode()
    assert "Amber" in next(line for line in rows.splitlines() if line.startswith(KPI))


def test_thresholds_page_shows_error(
    client_for: ClientFor, assessment_lead: User, kent_run: MetricsRun
) -> None:
    response = client_for(assessment_lead).post(
        f"/metrics/kpis/{KPI}/thresholds/", {"amber_threshold": "ninety"}
    )
    assert response.status_code == 400
    assert "The amber threshold must be a number, like 95 or 2.5" in response.content.decode()
    assert not KpiThreshold.objects.exists()


def test_viewer_cannot_change_thresholds_settings_or_upload(
    client_for: ClientFor, viewer: User
) -> None:
    client = client_for(viewer)
    assert client.post(f"/metrics/kpis/{KPI}/thresholds/", {"target": "1"}).status_code == 403
    assert client.get("/metrics/settings/").status_code == 403
    assert client.get("/metrics/upload/").status_code == 403
    assert not KpiThreshold.objects.exists()


def test_upload_extracts_on_the_web(
    client_for: ClientFor, assessment_lead: User, kent: Organisation
) -> None:
    from tests.metrics.conftest import CONTACTS, DISCHARGES, WAITING

    response = client_for(assessment_lead).post(
        "/metrics/upload/",
        {
            "safeguarding_concerns": SimpleUploadedFile("sg.csv", CONCERNS.encode()),
            "waiting_lists": SimpleUploadedFile("w.csv", WAITING.encode()),
            "contacts": SimpleUploadedFile("c.csv", CONTACTS.encode()),
            "hospital_discharges": SimpleUploadedFile("h.csv", DISCHARGES.encode()),
        },
    )
    assert response.status_code == 302
    run = MetricsRun.objects.get(organisation=kent)
    assert (run.as_at.isoformat(), run.la_code, run.created_by) == ("2026-03-31", "886",
                                                                   assessment_lead)  # fmt: skip
    assert AuditEvent.objects.filter(event_type=AuditEventType.METRICS_REFRESHED).count() == 1


def test_upload_with_bad_rows_lists_problems_and_loads_nothing(
    client_for: ClientFor, assessment_lead: User
) -> None:
    bad = CONCERNS.replace("2026-03-02T10:00,2026-03-02T12:00", "2026-03-02T10:00,yesterday")
    response = client_for(assessment_lead).post(
        "/metrics/upload/",
        {"safeguarding_concerns": SimpleUploadedFile("sg.csv", bad.encode())},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "1 problem(s) found in the extracts; nothing was loaded:" in html
    assert "safeguarding_concerns.csv, row 4, column screened_at, value &#39;yesterday&#39;" in html
    assert MetricsRun.objects.count() == 0


def test_upload_needs_a_file(client_for: ClientFor, assessment_lead: User) -> None:
    response = client_for(assessment_lead).post("/metrics/upload/", {})
    assert response.status_code == 400
    assert "Select at least one extract or Client Level Data file to upload" in (
        response.content.decode()
    )


def test_settings_page_saves_grouping(
    client_for: ClientFor, assessment_lead: User, kent: Organisation
) -> None:
    client = client_for(assessment_lead)
    page = client.get("/metrics/settings/").content.decode()
    assert "Bayview" in page  # the packaged default grouping is shown to start from
    response = client.post(
        "/metrics/settings/",
        {"la_code": "886", "grouping_title": "Coast and inland", "group_a_name": "coastal",
         "group_a_localities": "Thanet\nDover\n", "group_b_name": "inland",
         "group_b_localities": "Maidstone"},
    )  # fmt: skip
    assert response.status_code == 302
    config = MetricsSettings.objects.get(organisation=kent)
    assert config.groups == {"coastal": ["Thanet", "Dover"], "inland": ["Maidstone"]}


def test_ascof_page_shows_numerators_denominators_and_no_comparison(
    client_for: ClientFor, viewer: User, kent_run: MetricsRun
) -> None:
    kent_run.ascof_period_start = dt.date(2025, 4, 1)
    kent_run.ascof_period_end = dt.date(2026, 3, 31)
    kent_run.save()
    # 2A: 851 of 1,184 = 71.875...% -> 71.9 to 1 decimal place (stored to 2 places as 71.88).
    StoredAscofResult.objects.create(
        run=kent_run, organisation=kent_run.organisation, measure="2A", breakdown="total",
        numerator=851, denominator=1184, value=Decimal("71.88"),
    )  # fmt: skip
    html = client_for(viewer).get("/metrics/ascof/").content.decode()
    assert "1 April 2025 to 31 March 2026" in html
    assert "1,184" in html
    assert "71.9%" in html
    assert "No published ASCOF figures have been imported" in html
    rows = list(csv.reader(io.StringIO(client_for(viewer).get(
        "/metrics/export/ascof.csv").content.decode())))  # fmt: skip
    assert rows[1][:6] == ["2A", "Reablement with no further request for ongoing support",
                           "total", "851", "1184", "71.9"]  # fmt: skip


def test_upload_extracts_with_several_cld_files(
    client_for: ClientFor, assessment_lead: User, kent: Organisation, tmp_path: Path
) -> None:
    from careassure.core.cld.synthetic import generate_cld
    from tests.metrics.conftest import CONTACTS

    cld = generate_cld(40, 5, tmp_path / "cld", la_code="886")
    response = client_for(assessment_lead).post(
        "/metrics/upload/",
        {
            "contacts": SimpleUploadedFile("c.csv", CONTACTS.encode()),
            "cld_files": [SimpleUploadedFile(p.name, p.read_bytes()) for p in cld],
        },
    )
    assert response.status_code == 302
    run = MetricsRun.objects.get(organisation=kent)
    assert sorted(f["name"] for f in run.files if f["kind"] == "cld") == sorted(p.name for p in cld)
    # The demo population file has no row for 886, so 2B and 2C are left out and said so.
    assert run.ascof_note.startswith("ASCOF 2B and 2C are not shown")
    assert run.ascof_results.filter(measure="2A").exists()
    assert not run.ascof_results.filter(measure="2B").exists()


def test_run_list_is_scoped_to_the_council(
    client_for: ClientFor, viewer: User, other_council_user: User, kent_run: MetricsRun
) -> None:
    assert str(kent_run.pk) in client_for(viewer).get("/metrics/runs/").content.decode()
    other = client_for(other_council_user).get("/metrics/runs/").content.decode()
    assert str(kent_run.pk) not in other
    assert "No extracts have been loaded yet." in other
