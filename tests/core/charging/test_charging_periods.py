"""Income entered every 4 weeks, every month or every year: made weekly (reference section 3,
"×12/52 for monthly income and ÷4 for four-weekly income"), any part of a penny rounded down,
with the working shown in the breakdown and the rule in the assumptions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from charging_helpers import example_answers, run

from careassure.core.charging import ChargingInputError, parse_input
from careassure.core.charging.money import (
    four_weekly_to_weekly,
    monthly_to_weekly,
    yearly_to_weekly,
)


@pytest.mark.parametrize(
    ("monthly", "weekly"),
    [
        # 130.00 × 12 = 1,560.00; ÷ 52 = 30.00 exactly.
        pytest.param("130.00", "30.00", id="exact"),
        # 100.00 × 12 = 1,200.00; ÷ 52 = 23.0769… → 23.07.
        pytest.param("100.00", "23.07", id="below-half-a-penny"),
        # 10.00 × 12 = 120.00; ÷ 52 = 2.3076… → 2.30 (rounding to the nearest penny gives 2.31).
        pytest.param("10.00", "2.30", id="above-half-a-penny-still-down"),
        # 111.84 × 12 = 1,342.08; ÷ 52 = 25.8092… → 25.80.
        pytest.param("111.84", "25.80", id="example-4-private-pension"),
        # 0.04 × 12 = 0.48; ÷ 52 = 0.0092… → 0.00.
        pytest.param("0.04", "0.00", id="less-than-a-penny-a-week"),
        # 0.05 × 12 = 0.60; ÷ 52 = 0.0115… → 0.01.
        pytest.param("0.05", "0.01", id="a-penny-a-week"),
    ],
)
def test_monthly_amounts_are_times_12_divided_by_52_rounded_down(monthly: str, weekly: str) -> None:
    assert monthly_to_weekly(Decimal(monthly)) == Decimal(weekly)


@pytest.mark.parametrize(
    ("four_weekly", "weekly"),
    [
        # 838.68 ÷ 4 = 209.67 exactly (the 2024-25 full new State Pension, paid every 4 weeks).
        pytest.param("838.68", "209.67", id="exact"),
        # 100.02 ÷ 4 = 25.005 → 25.00 (rounding to the nearest penny gives 25.01).
        pytest.param("100.02", "25.00", id="half-a-penny-down"),
        # 100.03 ÷ 4 = 25.0075 → 25.00.
        pytest.param("100.03", "25.00", id="three-quarters-of-a-penny-down"),
    ],
)
def test_four_weekly_amounts_are_divided_by_4_rounded_down(four_weekly: str, weekly: str) -> None:
    assert four_weekly_to_weekly(Decimal(four_weekly)) == Decimal(weekly)


@pytest.mark.parametrize(
    ("yearly", "weekly"),
    [
        # 1,342.12 ÷ 52 = 25.81 exactly.
        pytest.param("1342.12", "25.81", id="exact"),
        # 1,000.00 ÷ 52 = 19.2307… → 19.23.
        pytest.param("1000.00", "19.23", id="below-half-a-penny"),
        # 1.30 ÷ 52 = 0.025 → 0.02 (rounding to the nearest penny gives 0.03).
        pytest.param("1.30", "0.02", id="half-a-penny-down"),
    ],
)
def test_yearly_amounts_are_divided_by_52_rounded_down(yearly: str, weekly: str) -> None:
    assert yearly_to_weekly(Decimal(yearly)) == Decimal(weekly)


def example_4(**income: str) -> dict[str, object]:
    """Worked example 4 (Leeds care home, 2024-25): State Pension 209.67 and private pensions
    25.81 a week; PEA 30.15; charge 209.67 + 25.81 − 30.15 = 205.33."""
    data = example_answers("example-4-leeds-care-home.json")
    data["income"] = {**data["income"], **income}
    return data


def income_line(result: object, label: str) -> tuple[Decimal | None, str]:
    lines = [line for line in result.breakdown if line.label == label]  # type: ignore[attr-defined]
    assert len(lines) == 1, label
    return lines[0].amount, lines[0].explanation


def test_weekly_amounts_are_unchanged_and_say_no_conversion_was_made() -> None:
    result = run(example_4())
    assert result.weekly_charge == Decimal("205.33")
    assert result.assumptions[0] == (
        "All amounts were entered as weekly amounts, and income after tax and National "
        "Insurance; no monthly or four-weekly conversion was made."
    )


def test_monthly_private_pension_is_made_weekly_in_the_breakdown() -> None:
    # 111.84 a month × 12 ÷ 52 = 25.8092… → 25.80; 209.67 + 25.80 − 30.15 = 205.32.
    result = run(example_4(private_pensions="111.84", periods={"private_pensions": "month"}))
    assert result.weekly_charge == Decimal("205.32")
    assert result.council_contribution == Decimal("488.68")  # 694.00 − 205.32
    amount, explanation = income_line(result, "Private and work pensions")
    assert amount == Decimal("25.80")
    assert explanation == (
        "£111.84 a month × 12 ÷ 52 = £25.80 a week (rounded down to a penny). Counted in full."
    )
    amount, explanation = income_line(result, "State Pension")
    assert (amount, explanation) == (Decimal("209.67"), "Counted in full.")
    assert (
        "Income was made weekly: monthly amounts were multiplied by 12 and divided by 52, with "
        "any part of a penny rounded down (in your favour). Every other amount was entered as a "
        "weekly amount, and income after tax and National Insurance."
    ) in result.assumptions
    assert not any("no monthly or four-weekly" in text for text in result.assumptions)


def test_four_weekly_and_yearly_amounts_that_divide_exactly_give_the_weekly_charge() -> None:
    # 838.68 ÷ 4 = 209.67 and 1,342.12 ÷ 52 = 25.81: the same 205.33 as weekly amounts.
    result = run(
        example_4(
            state_pension="838.68",
            private_pensions="1342.12",
            periods={"state_pension": "four_weeks", "private_pensions": "year"},
        )
    )
    assert result.weekly_charge == Decimal("205.33")
    assert income_line(result, "State Pension") == (
        Decimal("209.67"),
        "£838.68 every 4 weeks ÷ 4 = £209.67 a week. Counted in full.",
    )
    assert income_line(result, "Private and work pensions") == (
        Decimal("25.81"),
        "£1,342.12 a year ÷ 52 = £25.81 a week. Counted in full.",
    )
    assert (
        "Income was made weekly: amounts paid every 4 weeks were divided by 4; yearly amounts "
        "were divided by 52, with any part of a penny rounded down (in your favour). Every other "
        "amount was entered as a weekly amount, and income after tax and National Insurance."
    ) in result.assumptions


def test_a_period_without_an_amount_changes_nothing() -> None:
    result = run(example_4(periods={"pension_credit_guarantee": "month"}))
    assert result.weekly_charge == Decimal("205.33")
    assert any("no monthly or four-weekly conversion" in text for text in result.assumptions)


def test_monthly_disability_benefit_at_home_is_made_weekly() -> None:
    # PIP daily living enhanced, 472.23 a month × 12 ÷ 52 = 108.9761… → 108.97 a week,
    # counted in full by Kent (night element included).
    data = {
        "financial_year": "2024-25",
        "care_setting": "home_care",
        "age": 40,
        "reached_pension_credit_age": False,
        "income": {
            "disability_benefit": "pip_daily_living",
            "disability_benefit_rate": "higher",
            "disability_benefit_amount": "472.23",
            "periods": {"disability_benefit_amount": "month"},
        },
    }
    result = run(data)
    amount, explanation = income_line(result, "PIP daily living component")
    assert amount == Decimal("108.97")
    assert explanation.startswith(
        "£472.23 a month × 12 ÷ 52 = £108.97 a week (rounded down to a penny). Counted in full,"
    )
    assert income_line(result, "Income counted")[0] == Decimal("108.97")


def test_an_unknown_period_is_named_in_the_error() -> None:
    data = example_4(periods={"state_pension": "fortnight"})
    with pytest.raises(ChargingInputError) as caught:
        parse_input(data)
    assert caught.value.field == "income.periods.state_pension"
    assert caught.value.message == (
        "Select how often you get your State Pension: week, four_weeks, month or year"
    )


def test_a_period_for_an_amount_the_calculator_does_not_ask_is_refused() -> None:
    with pytest.raises(ChargingInputError) as caught:
        parse_input(example_4(periods={"savings": "month"}))
    assert caught.value.field == "income.periods.savings"
    assert caught.value.message == "savings is not a question this calculator asks"
