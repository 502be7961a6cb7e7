"""``careassure metrics dq``: DHSC's data-quality summary of the CLD in a DuckDB file.

valid_r2.csv holds five identical long-term community services for service users (council 999,
CASSR commissioned support, no Date of Death): each of the 50 fields has one status and result
on all five rows (reference §4.5 "Svc" column), so every count is 5.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from careassure.cli.main import app

CORPUS = Path(__file__).resolve().parents[1] / "data" / "cld"
runner = CliRunner(env={"COLUMNS": "240"})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "m.duckdb"
    result = runner.invoke(
        app, ["metrics", "ingest", str(CORPUS / "valid_r2.csv"), "--db", str(path)]
    )
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(path))
    con.execute("UPDATE cld_loads SET loaded_at = '2026-07-02 09:00:00+00'")
    con.close()
    return path


def test_json(db: Path) -> None:
    result = runner.invoke(app, ["metrics", "dq", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data) == 50
    assert {tuple(d) for d in data} == {
        ("la_code", "import_date", "module", "field", "field_status", "result", "count")
    }
    assert {(d["la_code"], d["import_date"], d["count"]) for d in data} == {
        ("999", "2026-07-02", 5)
    }
    assert data[0] == {
        "la_code": "999",
        "import_date": "2026-07-02",
        "module": "Submission information",
        "field": "LA Code",
        "field_status": "Mandatory",
        "result": "Passed: Valid",
        "count": 5,
    }
    by_field = {d["field"]: (d["module"], d["field_status"], d["result"]) for d in data}
    assert by_field["Event End Date"] == (
        "Events (all)", "Applicable but not mandatory", "Passed: Blank (Not Mandatory)"
    )  # fmt: skip
    assert by_field["Request: Route of Access"] == (
        "Events (requests / assessments / services / reviews only)", "Not applicable",
        "Passed: Blank (Not Mandatory)",
    )  # fmt: skip
    assert by_field["Unit Cost"] == (
        "Costs (services only)", "Applicable but not mandatory", "Passed: Blank (Not Mandatory)"
    )  # fmt: skip
    assert by_field["First Name"] == ("Person details", "Undetermined", "Passed: Valid")
    statuses = [d["field_status"] for d in data]
    # 19 mandatory fields populated; 2 undetermined (names); 17 optional (2 populated: Event
    # Reference, Delivery Mechanism); 12 not applicable.
    assert statuses.count("Mandatory") == 19
    assert statuses.count("Undetermined") == 2
    assert statuses.count("Applicable but not mandatory") == 17
    assert statuses.count("Not applicable") == 12


def test_csv_and_table(db: Path) -> None:
    result = runner.invoke(app, ["metrics", "dq", "--db", str(db), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["la_code", "import_date", "module", "field", "field_status", "result",
                       "count"]  # fmt: skip
    assert rows[1] == ["999", "2026-07-02", "Submission information", "LA Code", "Mandatory",
                       "Passed: Valid", "5"]  # fmt: skip
    assert len(rows) == 51
    table = runner.invoke(app, ["metrics", "dq", "--db", str(db)])
    assert table.exit_code == 0, table.output
    assert "Request: Route of Access" in table.stdout
    assert "Passed: Blank (Not Mandatory)" in table.stdout


def test_other_council_gives_nothing(db: Path) -> None:
    result = runner.invoke(
        app, ["metrics", "dq", "--db", str(db), "--format", "json", "--la-code", "888"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_missing_or_empty_database_exits_2(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["metrics", "dq", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2
    assert "no such database" in missing.stderr
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    result = runner.invoke(app, ["metrics", "dq", "--db", str(empty), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no loaded Client Level Data" in result.stderr
