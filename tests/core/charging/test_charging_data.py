"""Rates files, council policy files, adding a new financial year, and the JSON schemas."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from charging_helpers import answers

from careassure.core.charging import (
    DEFAULT_DATA_DIR,
    ChargingDataError,
    RateStatus,
    UnknownFinancialYearError,
    available_years,
    calculate,
    input_json_schema,
    load_policy,
    load_rates,
    output_json_schema,
    parse_input,
)
from careassure.core.charging.schema import SCHEMA_FILES, render_json_schema

REPO = Path(__file__).resolve().parents[3]


def test_available_years_are_the_four_shipped() -> None:
    assert available_years() == ["2023-24", "2024-25", "2025-26", "2026-27"]


@pytest.mark.parametrize(
    ("year", "rate", "value", "status"),
    [
        pytest.param("2023-24", "personal_expenses_allowance", "28.25", "verified", id="pea-23"),
        pytest.param("2024-25", "personal_expenses_allowance", "30.15", "verified", id="pea-24"),
        pytest.param("2025-26", "personal_expenses_allowance", "30.65", "verified", id="pea-25"),
        pytest.param("2024-25", "savings_disregard_couple", "10.40", "verified", id="sd-couple"),
        pytest.param("2024-25", "mig_disability_premium_single", "48.80", "derived", id="dp-24"),
        pytest.param("2025-26", "mig_dependent_child", "103.00", "to_verify", id="child-25"),
        pytest.param(
            "2026-27",
            "mig_single_pension_credit_age",
            "241.45",
            "to_verify",
            id="only-2026-27-figure",
        ),
    ],
)
def test_rates_carry_value_and_status(year: str, rate: str, value: str, status: str) -> None:
    entry = load_rates(year).rates[rate]  # type: ignore[index]
    assert entry.value == Decimal(value)
    assert entry.status is RateStatus(status)
    assert entry.source


def test_2026_27_holds_only_the_one_figure_the_reference_gives() -> None:
    assert list(load_rates("2026-27").rates) == ["mig_single_pension_credit_age"]


def test_unknown_year_names_the_year_and_the_years_available() -> None:
    with pytest.raises(UnknownFinancialYearError) as caught:
        load_rates("2030-31")
    assert str(caught.value) == (
        "There are no charging rates for the financial year 2030-31. "
        "Years with rates: 2023-24, 2024-25, 2025-26, 2026-27."
    )


def copy_data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "charging"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def test_invalid_rates_file_names_file_and_path(tmp_path: Path) -> None:
    data_dir = copy_data_dir(tmp_path)
    file = data_dir / "rates" / "2024-25.yaml"
    file.write_text(file.read_text().replace('value: "30.15"', 'value: "thirty"'))
    with pytest.raises(ChargingDataError) as caught:
        load_rates("2024-25", data_dir=data_dir)
    assert caught.value.file == str(file)
    assert caught.value.path == "rates.personal_expenses_allowance.value"


def test_rate_without_value_must_be_marked_not_retrieved(tmp_path: Path) -> None:
    data_dir = copy_data_dir(tmp_path)
    file = data_dir / "rates" / "2024-25.yaml"
    file.write_text(
        file.read_text().replace(
            "pip_mobility_standard: {status: not_retrieved}",
            "pip_mobility_standard: {status: verified, source: x}",
        )
    )
    with pytest.raises(ChargingDataError) as caught:
        load_rates("2024-25", data_dir=data_dir)
    assert caught.value.path == "rates.pip_mobility_standard"
    assert "needs a value" in caught.value.problem


def test_rates_file_year_must_match_its_name(tmp_path: Path) -> None:
    data_dir = copy_data_dir(tmp_path)
    (data_dir / "rates" / "2024-25.yaml").rename(data_dir / "rates" / "2027-28.yaml")
    with pytest.raises(ChargingDataError) as caught:
        load_rates("2027-28", data_dir=data_dir)
    assert caught.value.path == "financial_year"


def test_invalid_policy_file_names_file_and_path(tmp_path: Path) -> None:
    data_dir = copy_data_dir(tmp_path)
    file = data_dir / "policies" / "kent.yaml"
    file.write_text(file.read_text().replace("dre_method: flat", "dre_method: generous"))
    with pytest.raises(ChargingDataError) as caught:
        load_policy("kent", data_dir=data_dir)
    assert caught.value.path == "dre_method"


def test_unknown_policy_lists_the_known_ones() -> None:
    with pytest.raises(ChargingDataError) as caught:
        load_policy("atlantis")
    assert "there is no council policy called 'atlantis' (known: kent)" in str(caught.value)


def test_kent_defaults_from_the_reference() -> None:
    kent = load_policy("kent")
    assert kent.dre_method == "flat"
    assert kent.dre_flat_weekly_amount == Decimal("17.00")
    assert kent.night_element_for("2024-25") == "count"
    assert kent.night_element_for("2025-26") == "count"
    assert kent.night_element_for("2023-24") == "disregard"
    assert kent.ucl_comparison == ">"
    assert kent.refer_if_carers_allowance
    assert kent.refer_if_benefits_for_dependants


NEW_YEAR_RATES = """\
financial_year: "2027-28"
rates:
  upper_capital_limit: {value: "23250.00", status: verified, source: "2027/28 DHSC circular"}
  lower_capital_limit: {value: "14250.00", status: verified, source: "2027/28 DHSC circular"}
  tariff_capital_step: {value: "250.00", status: verified, source: "Regs reg 25"}
  tariff_income_per_step: {value: "1.00", status: verified, source: "Regs reg 25"}
  mig_single_25_to_pension_credit_age: {value: "120.00", status: verified, source: "circular"}
"""


def test_a_new_financial_year_needs_only_a_rates_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "charging"
    (data_dir / "rates").mkdir(parents=True)
    (data_dir / "rates" / "2027-28.yaml").write_text(NEW_YEAR_RATES)
    assert available_years(data_dir=data_dir) == ["2027-28"]
    rates = load_rates("2027-28", data_dir=data_dir)
    # Capital £15,000 -> tariff 3; ESA 125.00 + 3.00 - MIG 120.00 = 8.00.
    inp = parse_input(
        answers(
            financial_year="2027-28",
            capital={"savings": "15000"},
            income={"employment_support_allowance": "125.00"},
        )
    )
    result = calculate(inp, rates=rates, policy=load_policy("kent"))
    assert result.weekly_charge == Decimal("8.00")
    assert result.financial_year == "2027-28"


@pytest.mark.parametrize("filename", sorted(SCHEMA_FILES))
def test_committed_json_schemas_are_up_to_date(filename: str) -> None:
    schema = input_json_schema() if SCHEMA_FILES[filename] == "input" else output_json_schema()
    committed = (REPO / "docs" / "schemas" / filename).read_text(encoding="utf-8")
    assert committed == render_json_schema(schema), (
        "Regenerate with: python -m careassure.core.charging.schema docs/schemas"
    )


def test_input_schema_describes_the_questions() -> None:
    schema = input_json_schema()
    assert set(schema["required"]) == {
        "financial_year",
        "care_setting",
        "age",
        "reached_pension_credit_age",
    }
    assert schema["additionalProperties"] is False
    json.dumps(output_json_schema())


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        pytest.param(
            {"dre_flat_weekly_amount": None},
            "dre_flat_weekly_amount is needed when dre_method is flat",
            id="flat-dre",
        ),
        pytest.param(
            {"sources": {"no_such_setting": {"source": "x", "status": "verified"}}},
            "sources names settings that do not exist: ['no_such_setting']",
            id="unknown-source",
        ),
        pytest.param({"percentage_charged": "120"}, "less than or equal to 100", id="over-100"),
    ],
)
def test_policy_profile_is_validated(
    tmp_path: Path, change: dict[str, object], problem: str
) -> None:
    data_dir = copy_data_dir(tmp_path)
    file = data_dir / "policies" / "kent.yaml"
    profile = yaml.safe_load(file.read_text()) | change
    file.write_text(yaml.safe_dump(profile))
    with pytest.raises(ChargingDataError) as caught:
        load_policy("kent", data_dir=data_dir)
    assert problem in caught.value.problem
