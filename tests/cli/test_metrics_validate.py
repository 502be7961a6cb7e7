"""``careassure metrics validate``: JSON contract and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careassure.cli.main import app

CORPUS = Path(__file__).resolve().parents[1] / "data" / "cld"
KEYS = {"file", "row", "column", "value", "rule", "severity"}
runner = CliRunner(env={"COLUMNS": "240"})


def run_json(*files: str) -> tuple[int, list[dict[str, object]]]:
    result = runner.invoke(
        app, ["metrics", "validate", *(str(CORPUS / f) for f in files), "--format", "json"]
    )
    return result.exit_code, json.loads(result.stdout)


def test_valid_file_prints_empty_list_and_exits_0() -> None:
    assert run_json("valid_r2.csv") == (0, [])


def test_warnings_only_exit_0() -> None:
    code, findings = run_json("bom_utf8.csv")
    assert code == 0
    assert findings == [
        {
            "file": "bom_utf8.csv",
            "row": None,
            "column": None,
            "value": None,
            "rule": "F03",
            "severity": "warning",
        }
    ]


def test_row_level_errors_exit_1_with_exact_shape() -> None:
    code, findings = run_json("row_faults.csv")
    assert code == 1
    assert all(set(f) == KEYS for f in findings)
    # Line 5: Event End Date 2025-07-15 before Event Start Date 2025-08-01 (D01).
    assert {
        "file": "row_faults.csv",
        "row": 5,
        "column": "Event End Date",
        "value": "2025-07-15",
        "rule": "D01",
        "severity": "error",
    } in findings
    assert len(findings) == 13


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        pytest.param("two_councils.csv", "F05", id="two_councils"),
        pytest.param("semicolon.csv", "F01", id="delimiter"),
        pytest.param("empty.csv", "F08", id="empty"),
    ],
)
def test_file_level_error_exits_2(name: str, rule: str) -> None:
    code, findings = run_json(name)
    assert code == 2
    assert findings == [
        {
            "file": name,
            "row": None,
            "column": None,
            "value": None,
            "rule": rule,
            "severity": "error",
        }
    ]


def test_file_error_wins_over_row_errors_across_files() -> None:
    code, findings = run_json("row_faults.csv", "two_councils.csv")
    assert code == 2
    assert {f["file"] for f in findings} == {"row_faults.csv", "two_councils.csv"}


def test_table_format_names_rule_and_message() -> None:
    result = runner.invoke(
        app, ["metrics", "validate", str(CORPUS / "two_councils.csv"), "--format", "table"]
    )
    assert result.exit_code == 2
    assert "F05" in result.stdout
    assert "two_councils.csv" in result.stdout


def test_wrong_council_option_exits_2() -> None:
    result = runner.invoke(
        app,
        [
            "metrics",
            "validate",
            str(CORPUS / "valid_r2.csv"),
            "--format",
            "json",
            "--la-code",
            "886",
        ],
    )
    assert result.exit_code == 2
    assert json.loads(result.stdout)[0]["rule"] == "F05"
