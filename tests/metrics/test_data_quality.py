"""The data-quality summary of a load's Client Level Data on the metrics pages.

valid_r2.csv (council 999) holds five identical long-term community services for service users,
CASSR commissioned support, no Date of Death. Per row, from the matrix of reference §4.5
("Svc" column), by module:

- Submission information: 3 fields, all mandatory and valid -> 15 valid;
- Person details: 21 fields: 11 mandatory and valid, First and Last Name (undetermined) filled,
  8 optional and blank (GP name and code, Date of Death, Employment Status, ASD, visual,
  hearing, dementia) -> 65 valid, 40 blank not mandatory;
- Events (all): Event Type, Start Date, Outcome (mandatory) and Reference (optional) filled;
  End Date and Description blank and optional -> 20 valid, 10 blank;
- Events by type: Service Type, Component (mandatory), Delivery Mechanism (optional) filled;
  the two CQC fields blank (optional), 7 request, assessment and review fields blank (not
  applicable) -> 15 valid, 45 blank;
- Carers: 5 fields not applicable, blank -> 25 blank;
- Costs: commissioned support, so optional, blank -> 15 blank.

All modules: 115 valid, 135 blank not mandatory, 250 in all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from careassure.accounts.models import Organisation, User
from careassure.metrics.models import MetricsRun, StoredDqCount
from careassure.metrics.services import metrics_refresh

ClientFor = Callable[[User], Client]
CLD = Path(__file__).resolve().parents[1] / "data" / "cld" / "valid_r2.csv"
RESULTS = ["Passed: Valid", "Passed: Blank (Not Mandatory)", "Failed: Blank (Mandatory)",
           "Failed: Invalid", "Failed: Release 1"]  # fmt: skip


@pytest.fixture
def cld_run(kent: Organisation, assessment_lead: User) -> MetricsRun:
    return metrics_refresh(org=kent, cld_files=[CLD], actor=assessment_lead)


def _csv(client: Client, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_refresh_stores_the_summary(cld_run: MetricsRun) -> None:
    counts = list(StoredDqCount.objects.filter(run=cld_run))
    assert len(counts) == 50  # one status and result per field, on all five rows
    assert {(c.la_code, c.count) for c in counts} == {("999", 5)}
    assert {c.organisation_id for c in counts} == {cld_run.organisation_id}


def test_module_table_on_the_load_page_and_the_data_quality_page(
    client_for: ClientFor, viewer: User, cld_run: MetricsRun
) -> None:
    client = client_for(viewer)
    detail = client.get(f"/metrics/runs/{cld_run.pk}/").content.decode()
    assert "Data quality of the Client Level Data: fields checked by module and result" in detail
    assert f"/metrics/data-quality/?run={cld_run.pk}" in detail
    dashboard = client.get("/metrics/").content.decode()
    assert 'href="/metrics/data-quality/"' in dashboard
    html = client.get("/metrics/data-quality/").content.decode()
    assert "Fields checked by module and result" in html
    assert "Fields checked by field, field status and result" in html
    rows = _csv(client, "/metrics/export/dq-modules.csv")
    assert rows == [
        ["Module", *RESULTS, "Total"],
        ["Submission information", "15", "0", "0", "0", "0", "15"],
        ["Person details", "65", "40", "0", "0", "0", "105"],
        ["Events (all)", "20", "10", "0", "0", "0", "30"],
        ["Events (requests / assessments / services / reviews only)", "15", "45", "0", "0", "0",
         "60"],
        ["Carers and linked service users", "0", "25", "0", "0", "0", "25"],
        ["Costs (services only)", "0", "15", "0", "0", "0", "15"],
        ["All modules", "115", "135", "0", "0", "0", "250"],
    ]  # fmt: skip


def test_field_table_and_its_downloads(
    client_for: ClientFor, viewer: User, cld_run: MetricsRun
) -> None:
    client = client_for(viewer)
    import_date = StoredDqCount.objects.filter(run=cld_run).first().import_date.isoformat()  # type: ignore[union-attr]
    rows = _csv(client, f"/metrics/export/dq.csv?run={cld_run.pk}")
    assert rows[0] == ["Council", "Import date", "Module", "Field", "Field status", "Result",
                       "Count"]  # fmt: skip
    assert len(rows) == 51
    assert ["999", import_date, "Events (all)", "Event End Date", "Applicable but not mandatory",
            "Passed: Blank (Not Mandatory)", "5"] in rows  # fmt: skip
    assert ["999", import_date, "Carers and linked service users", "Adult 1 Linked Person_ID",
            "Not applicable", "Passed: Blank (Not Mandatory)", "5"] in rows  # fmt: skip
    response = client.get("/metrics/export/dq.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == rows[0]
    assert sheet.max_row == 51
    html = client.get("/metrics/data-quality/").content.decode()
    assert "Adult 1 Linked Person_ID" in html


def test_a_load_without_cld_says_so(
    client_for: ClientFor, viewer: User, kent: Organisation, assessment_lead: User, extracts: Path
) -> None:
    metrics_refresh(org=kent, extracts_dir=extracts, actor=assessment_lead)
    client = client_for(viewer)
    html = client.get("/metrics/data-quality/").content.decode()
    assert "No Client Level Data was loaded with the figures loaded" in html
    assert "Data quality of the Client Level Data" not in client.get("/metrics/").content.decode()
    assert _csv(client, "/metrics/export/dq.csv") == [
        ["Council", "Import date", "Module", "Field", "Field status", "Result", "Count"]
    ]


def test_another_councils_summary_is_not_found(
    client_for: ClientFor, other_council_user: User, cld_run: MetricsRun
) -> None:
    client = client_for(other_council_user)
    assert client.get("/metrics/data-quality/").status_code == 404
    assert client.get(f"/metrics/data-quality/?run={cld_run.pk}").status_code == 404
    assert client.get(f"/metrics/export/dq.csv?run={cld_run.pk}").status_code == 404
    assert client.get("/metrics/data-quality/?run=not-a-uuid").status_code == 404
