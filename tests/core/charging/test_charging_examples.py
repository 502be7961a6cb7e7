"""The public worked examples of reference section 12, reproduced to the penny through core."""

from __future__ import annotations

from decimal import Decimal

import pytest
from charging_helpers import TEST_DATA, example_answers, line_amount

from careassure.core.charging import (
    Outcome,
    calculate,
    load_policy,
    load_policy_file,
    load_rates,
    parse_input,
)

POLICIES = TEST_DATA / "policies"


def test_example_1_knowsley_home_care_young_adult_enhanced_pip_no_night_care() -> None:
    # 167.96 + 108.55 + 75.75 = 352.26 gross; mobility 75.75 and the night element
    # 35.90 (108.55 - 72.65) ignored -> counted 240.61; - DRE 12.60 (6.42 + 6.18) = 228.01;
    # - MIG 160.30 (87.65 + 48.80 + 23.85) = 67.71; min(67.71, 391.95) = 67.71.
    policy = load_policy_file(POLICIES / "knowsley-example.yaml")
    result = calculate(
        parse_input(example_answers("example-1-knowsley-home-care.json")), policy=policy
    )
    assert result.outcome is Outcome.CHARGE
    assert result.weekly_charge == Decimal("67.71")
    assert line_amount(result, "Income counted") == Decimal("240.61")
    assert line_amount(result, "No night care element") == Decimal("35.90")
    assert line_amount(result, "Disability-related expenditure") == Decimal("12.60")
    assert line_amount(result, "Minimum Income Guarantee") == Decimal("160.30")
    assert result.council_contribution == Decimal("324.24")  # 391.95 - 67.71


def test_example_2_devon_community_working_age_night_element_counted() -> None:
    # 225.45 + 101.75 = 327.20 (mobility 26.90 ignored); - housing 17.27 = 309.93;
    # - DRE 28.08 = 281.85; - MIG 171.75 (103.65 + 45.75 + 22.35) = 110.10; min(110.10, 454).
    policy = load_policy_file(POLICIES / "devon-example.yaml")
    result = calculate(
        parse_input(example_answers("example-2-devon-community.json")), policy=policy
    )
    assert result.weekly_charge == Decimal("110.10")
    assert line_amount(result, "Income counted") == Decimal("327.20")
    assert line_amount(result, "Housing costs") == Decimal("17.27")
    assert line_amount(result, "Disability-related expenditure") == Decimal("28.08")
    assert line_amount(result, "Minimum Income Guarantee") == Decimal("171.75")


def test_example_3_knowsley_care_home_tariff_and_savings_credit_disregard() -> None:
    # Tariff ceil((17,050.91 - 14,250) / 250) = ceil(11.2) = 12; 227.55 + 7.25 + 12 = 246.80;
    # - PEA 30.15 = 216.65; - min(7.25, 6.95) = 209.70; council 685.37 - 209.70 = 475.67.
    policy = load_policy_file(POLICIES / "knowsley-example.yaml")
    result = calculate(
        parse_input(example_answers("example-3-knowsley-care-home.json")), policy=policy
    )
    assert result.weekly_charge == Decimal("209.70")
    assert line_amount(result, "Tariff income") == Decimal("12.00")
    assert line_amount(result, "Assessable income") == Decimal("246.80")
    assert line_amount(result, "Savings disregard") == Decimal("6.95")
    assert result.council_contribution == Decimal("475.67")


def test_example_4_leeds_care_home_two_pensions_no_tariff() -> None:
    # 209.67 + 25.81 = 235.48; - PEA 30.15 = 205.33; council 694.00 - 205.33 = 488.67.
    result = calculate(
        parse_input(example_answers("example-4-leeds-care-home.json")), policy=load_policy("kent")
    )
    assert result.weekly_charge == Decimal("205.33")
    assert line_amount(result, "Tariff income") == Decimal("0.00")
    assert result.council_contribution == Decimal("488.67")


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        # 122.00 + 60.00 + 55.10 = 237.10; - 25.00 = 212.10; - 148.47 = 63.63.
        pytest.param("example-5-appendix-2016-17.json", Decimal("63.63"), id="2016-17"),
        # 125.05 + 61.50 + 55.65 = 242.20; - 25.00 = 217.20; - 148.47 = 68.73.
        pytest.param("example-5-appendix-2017-18.json", Decimal("68.73"), id="2017-18"),
    ],
)
def test_example_5_couple_joint_savings_local_mig(filename: str, expected: Decimal) -> None:
    inp = parse_input(example_answers(filename))
    policy = load_policy("appendix-council-example", data_dir=TEST_DATA)
    rates = load_rates(inp.financial_year, data_dir=TEST_DATA)
    result = calculate(inp, rates=rates, policy=policy)
    assert result.weekly_charge == expected
    # Joint savings £9,500 -> her half £4,750, below the LCL: tariff £0.
    assert line_amount(result, "Your share of joint savings") == Decimal("4750.00")
    assert line_amount(result, "Tariff income") == Decimal("0.00")
    assert line_amount(result, "Minimum Income Guarantee") == Decimal("148.47")
    assert result.weekly_cost_of_care is None
