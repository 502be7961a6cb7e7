"""parse_money: what a person types, accepted or rejected with a GOV.UK-style message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from careassure.core.charging import ChargingInputError, parse_input, parse_money
from careassure.core.charging.money import share_of_joint_amount, tariff_steps


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("£1,234.50", "1234.50", id="pound-sign-and-comma"),
        pytest.param(" 1234 ", "1234.00", id="spaces"),
        pytest.param("1,000", "1000.00", id="thousands-comma"),
        pytest.param("0", "0.00", id="zero"),
        pytest.param("1500.5", "1500.50", id="one-decimal-place"),
        pytest.param("£ 2,500,000.01", "2500000.01", id="space-after-pound"),
    ],
)
def test_parse_money_accepts_what_people_type(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("", "Enter your savings", id="empty"),
        pytest.param("   ", "Enter your savings", id="blank"),
        pytest.param("-5", "Your savings must be £0 or more", id="negative"),
        pytest.param("-£5", "Your savings must be £0 or more", id="negative-pound"),
        pytest.param(
            "abc",
            "Enter your savings as an amount of money, like 1500 or 1500.50",
            id="not-a-number",
        ),
        pytest.param(
            "1e9", "Enter your savings as an amount of money, like 1500 or 1500.50", id="exponent"
        ),
        pytest.param(
            "1,00",
            "Enter your savings as an amount of money, like 1500 or 1500.50",
            id="bad-grouping",
        ),
        pytest.param(
            "12.345",
            "Enter your savings in pounds and pence, like 1500 or 1500.50",
            id="part-pennies",
        ),
        pytest.param("1000000000", "Your savings must be £100,000,000.00 or less", id="absurd"),
    ],
)
def test_parse_money_rejects_with_the_exact_message(text: str, message: str) -> None:
    with pytest.raises(ChargingInputError) as caught:
        parse_money(text, field="savings", label="your savings")
    assert caught.value.field == "savings"
    assert caught.value.message == message


def test_parse_money_maximum_is_configurable() -> None:
    with pytest.raises(ChargingInputError) as caught:
        parse_money("5001", maximum=Decimal("5000"))
    assert caught.value.message == "The amount must be £5,000.00 or less"


def test_input_model_reports_every_field_with_its_path() -> None:
    with pytest.raises(ChargingInputError) as caught:
        parse_input(
            {
                "financial_year": "2025-27",
                "care_setting": "home_care",
                "age": 40,
                "reached_pension_credit_age": False,
                "capital": {"savings": "lots"},
                "income": {"state_pension": -3},
            }
        )
    assert [(e.field, e.message) for e in caught.value.errors] == [
        ("financial_year", "Enter the financial year like 2025-26, with consecutive years"),
        ("capital.savings", "Enter your savings as an amount of money, like 1500 or 1500.50"),
        ("income.state_pension", "Your State Pension must be £0 or more"),
    ]
    assert caught.value.field == "financial_year"


def test_input_model_names_missing_questions() -> None:
    with pytest.raises(ChargingInputError) as caught:
        parse_input({"financial_year": "2025-26"})
    assert {(e.field, e.message) for e in caught.value.errors} == {
        ("care_setting", "Select where you get, or will get, care"),
        ("age", "Enter your age as a whole number, like 67"),
        ("reached_pension_credit_age", "Select yes if you have reached Pension Credit age"),
    }


def test_input_model_needs_the_rate_of_a_disability_benefit() -> None:
    with pytest.raises(ChargingInputError) as caught:
        parse_input(
            {
                "financial_year": "2025-26",
                "care_setting": "home_care",
                "age": 40,
                "reached_pension_credit_age": False,
                "income": {
                    "disability_benefit": "attendance_allowance",
                    "disability_benefit_amount": "72.65",
                },
            }
        )
    assert caught.value.field == "income.disability_benefit_rate"
    assert caught.value.message == "Select the rate of your disability benefit"


def test_input_model_accepts_json_numbers_as_money() -> None:
    inp = parse_input(
        {
            "financial_year": "2025-26",
            "care_setting": "home_care",
            "age": 40,
            "reached_pension_credit_age": False,
            "capital": {"savings": 1234.5},
        }
    )
    assert inp.capital.savings == Decimal("1234.50")


def test_tariff_steps_work_in_whole_pence() -> None:
    # 2,800.91 / 250 = 11.2 -> 12; 1,000.00 / 250 = 4 exactly.
    assert tariff_steps(Decimal("17050.91"), Decimal("14250"), Decimal("250")) == 12
    assert tariff_steps(Decimal("15250.00"), Decimal("14250"), Decimal("250")) == 4


def test_joint_share_rounds_a_part_penny_down() -> None:
    assert share_of_joint_amount(Decimal("9500.01"), 2) == Decimal("4750.00")
    assert share_of_joint_amount(Decimal("100.00"), 3) == Decimal("33.33")
