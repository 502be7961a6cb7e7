"""``careassure charge``: the worked examples through the command line, and its errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from careassure.cli.main import app

CHARGING_DATA = Path(__file__).resolve().parents[1] / "core" / "charging" / "data"
EXAMPLES = CHARGING_DATA / "examples"
POLICIES = CHARGING_DATA / "policies"

runner = CliRunner()


@pytest.mark.parametrize(
    ("example", "extra_args", "charge"),
    [
        # Working for each example is in tests/core/charging/test_charging_examples.py.
        pytest.param(
            "example-1-knowsley-home-care.json",
            ["--policy", str(POLICIES / "knowsley-example.yaml")],
            "67.71",
            id="ex1",
        ),
        pytest.param(
            "example-2-devon-community.json",
            ["--policy", str(POLICIES / "devon-example.yaml")],
            "110.10",
            id="ex2",
        ),
        pytest.param(
            "example-3-knowsley-care-home.json",
            ["--policy", str(POLICIES / "knowsley-example.yaml")],
            "209.70",
            id="ex3",
        ),
        pytest.param("example-4-leeds-care-home.json", [], "205.33", id="ex4"),
        pytest.param(
            "example-5-appendix-2016-17.json",
            ["--data-dir", str(CHARGING_DATA), "--policy", "appendix-council-example"],
            "63.63",
            id="ex5-2016-17",
        ),
        pytest.param(
            "example-5-appendix-2017-18.json",
            ["--data-dir", str(CHARGING_DATA), "--policy", "appendix-council-example"],
            "68.73",
            id="ex5-2017-18",
        ),
    ],
)
def test_worked_examples_through_the_cli(example: str, extra_args: list[str], charge: str) -> None:
    result = runner.invoke(app, ["charge", "--input", str(EXAMPLES / example), *extra_args])
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert Decimal(output["weekly_charge"]) == Decimal(charge)
    assert output["outcome"] == "charge"
    assert output["breakdown"][-1]["label"] in {"Weekly charge", "Council's contribution"}
    assert output["assumptions"]


def test_text_format_shows_the_charge_and_the_estimate_statement() -> None:
    result = runner.invoke(
        app,
        ["charge", "--input", str(EXAMPLES / "example-4-leeds-care-home.json"), "--format", "text"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Estimated weekly charge: £205.33 (charge)\n")
    assert "This is an estimate. It is not a financial assessment" in result.stdout


def test_year_option_overrides_the_file(tmp_path: Path) -> None:
    # Leeds example in 2023-24: 209.67 + 25.81 - PEA 28.25 = 207.23.
    result = runner.invoke(
        app,
        [
            "charge",
            "--input",
            str(EXAMPLES / "example-4-leeds-care-home.json"),
            "--year",
            "2023-24",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["weekly_charge"] == "207.23"


def test_monthly_income_in_the_input_file_is_made_weekly(tmp_path: Path) -> None:
    # Leeds example with the private pension as 111.84 a month: × 12 ÷ 52 = 25.8092… → 25.80;
    # 209.67 + 25.80 − PEA 30.15 = 205.32.
    answers = json.loads((EXAMPLES / "example-4-leeds-care-home.json").read_text())
    answers["income"] |= {"private_pensions": "111.84", "periods": {"private_pensions": "month"}}
    file = tmp_path / "answers.json"
    file.write_text(json.dumps(answers))
    result = runner.invoke(app, ["charge", "--input", str(file)])
    assert result.exit_code == 0, result.output
    output = json.loads(result.stdout)
    assert output["weekly_charge"] == "205.32"
    pension = next(
        line for line in output["breakdown"] if line["label"] == "Private and work pensions"
    )
    assert pension["amount"] == "25.80"
    assert pension["explanation"].startswith("£111.84 a month × 12 ÷ 52 = £25.80 a week")


def test_bad_input_exits_2_naming_the_field(tmp_path: Path) -> None:
    answers = json.loads((EXAMPLES / "example-4-leeds-care-home.json").read_text())
    answers["capital"]["savings"] = "-5"
    file = tmp_path / "answers.json"
    file.write_text(json.dumps(answers))
    result = runner.invoke(app, ["charge", "--input", str(file)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{file}: capital.savings: Your savings must be £0 or more\n"


def test_invalid_json_exits_2_with_line_and_column(tmp_path: Path) -> None:
    file = tmp_path / "answers.json"
    file.write_text('{"age": 40,\n  "care_setting": }')
    result = runner.invoke(app, ["charge", "--input", str(file)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{file}: line 2, column 19: not valid JSON")


def test_year_without_rates_exits_2_with_a_clear_message() -> None:
    result = runner.invoke(
        app,
        [
            "charge",
            "--input",
            str(EXAMPLES / "example-4-leeds-care-home.json"),
            "--year",
            "2031-32",
        ],
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "There are no charging rates for the financial year 2031-32. "
        "Years with rates: 2023-24, 2024-25, 2025-26, 2026-27.\n"
    )


def test_year_missing_a_needed_rate_exits_2_naming_year_and_rate() -> None:
    result = runner.invoke(
        app,
        [
            "charge",
            "--input",
            str(EXAMPLES / "example-4-leeds-care-home.json"),
            "--year",
            "2026-27",
        ],
    )
    assert result.exit_code == 2
    assert "The 2026-27 rates have no usable value for the lower capital limit" in result.stderr
