"""``careassure metrics kpis``: KPIs from operational extracts, and its errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careassure.cli.main import app

runner = CliRunner()

CONTACTS = """\
la_code,contact_id,contact_date,locality,outcome
T01,K1,2025-01-02,Bayview,information_and_advice
T01,K2,2025-01-03,Bayview,signposted_to_community
T01,K3,2025-01-04,Ashvale,minor_equipment
T01,K4,2025-01-05,Ashvale,referred_for_full_assessment
T01,K5,2025-02-06,Ashvale,other
"""
GROUPS = "name: test\ngroups:\n  coastal: [Bayview]\n  inland: [Ashvale]\n"


@pytest.fixture
def extracts(tmp_path: Path) -> Path:
    folder = tmp_path / "extracts"
    folder.mkdir()
    (folder / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "groups.yaml").write_text(GROUPS, encoding="utf-8")
    return folder


def _resolved(values: list[dict[str, object]], period: str, dim: str, val: str) -> list[object]:
    for v in values:
        if (v["kpi_id"], v["period"], v["dimension"], v["dimension_value"]) == (
            "contacts_resolved_without_assessment_pct",
            period,
            dim,
            val,
        ):
            return [v["value"], v["numerator"], v["denominator"]]
    raise AssertionError("value not found")


def test_json_output_holds_every_month_and_group(extracts: Path) -> None:
    result = runner.invoke(
        app,
        [
            "metrics", "kpis", "--extracts", str(extracts),
            "--localities", str(extracts.parent / "groups.yaml"), "--format", "json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    # As at defaults to the latest date in the extracts: K5 on 6 February 2025.
    assert payload["as_at"] == "2025-02-06"
    assert payload["extracts"] == ["contacts"]
    values = payload["values"]
    # January: K1, K2, K3 resolved of 4 -> 75.0%; coastal K1, K2 of 2; inland K3 of K3, K4.
    assert _resolved(values, "2025-01", "total", "all") == ["75.0", 3, 4]
    assert _resolved(values, "2025-01", "group", "coastal") == ["100.0", 2, 2]
    assert _resolved(values, "2025-01", "group", "inland") == ["50.0", 1, 2]
    # February: K5 (other) -> 0 of 1.
    assert _resolved(values, "2025-02", "total", "all") == ["0.0", 0, 1]


def test_csv_output_with_as_at(extracts: Path) -> None:
    result = runner.invoke(
        app,
        [
            "metrics",
            "kpis",
            "--extracts",
            str(extracts),
            "--format",
            "csv",
            "--as-at",
            "2025-01-31",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [
        "kpi_id", "la_code", "period", "period_end", "dimension", "dimension_value",
        "value", "numerator", "denominator",
    ]  # fmt: skip
    # Up to 31 January only: one month; K5 (February) is after the as-at date.
    assert {r["period"] for r in rows} == {"2025-01"}
    total = [r for r in rows if r["kpi_id"] == "contacts_count" and r["dimension"] == "total"]
    assert total[0]["value"] == "4"


def test_table_shows_the_as_at_month(extracts: Path) -> None:
    result = runner.invoke(app, ["metrics", "kpis", "--extracts", str(extracts)])
    assert result.exit_code == 0, result.output
    assert "Operational KPIs for 2025-02 (as at 2025-02-06)" in result.stdout
    assert "Contacts resolved without a full assessment" in result.stdout


def test_bad_extract_row_exits_2_with_the_finding_and_no_output(extracts: Path) -> None:
    (extracts / "contacts.csv").write_text(
        CONTACTS + "T01,K6,2025-02-31,Ashvale,other\n", encoding="utf-8"
    )
    result = runner.invoke(
        app, ["metrics", "kpis", "--extracts", str(extracts), "--format", "json"]
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "1 problem(s) found in the extracts; nothing was loaded:\n"
        "  contacts.csv, row 7, column contact_date, value '2025-02-31': "
        "must be a real calendar date (YYYY-MM-DD)\n"
    )


def test_bad_as_at_exits_2(extracts: Path) -> None:
    result = runner.invoke(
        app, ["metrics", "kpis", "--extracts", str(extracts), "--as-at", "31/01/2025"]
    )
    assert result.exit_code == 2
    assert result.stderr == "--as-at: '31/01/2025' is not a date in the form YYYY-MM-DD\n"


def test_missing_folder_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = runner.invoke(app, ["metrics", "kpis", "--extracts", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == (
        "1 problem(s) found in the extracts; nothing was loaded:\n"
        f"  {missing}: is not a folder of extracts\n"
    )
