"""Properties that hold for every input: the charge is never negative, never above the cost of
care, and never falls when capital or income rises."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from careassure.core.charging import ChargingResult, calculate, load_policy, parse_input

KENT = load_policy("kent")
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


def pounds(maximum: int) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=0, max_value=maximum * 100).map(lambda p: Decimal(p) / 100)


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    setting = draw(st.sampled_from(["home_care", "care_home_permanent", "care_home_temporary"]))
    pension_age = draw(st.booleans())
    benefit = draw(st.sampled_from(["none", "attendance_allowance", "pip_daily_living"]))
    income: dict[str, Any] = {
        "state_pension": str(draw(pounds(400))),
        "private_pensions": str(draw(pounds(300))),
        "employment_support_allowance": str(draw(pounds(300))),
        "pension_credit_savings": str(draw(pounds(15))),
        "earnings": str(draw(pounds(200))),
    }
    if benefit != "none":
        income |= {
            "disability_benefit": benefit,
            "disability_benefit_rate": draw(st.sampled_from(["lower", "higher"])),
            "disability_benefit_amount": str(draw(pounds(120).filter(lambda d: d > 0))),
        }
    return {
        "financial_year": "2024-25",
        "care_setting": setting,
        "age": draw(st.integers(min_value=66, max_value=100))
        if pension_age
        else draw(st.integers(min_value=18, max_value=65)),
        "reached_pension_credit_age": pension_age,
        "expected_stay_weeks": 4 if setting == "care_home_temporary" else None,
        "weekly_cost_of_care": str(draw(pounds(2000).filter(lambda d: d > 0))),
        "capital": {"savings": str(draw(pounds(40000)))},
        "income": income,
        "housing_costs": {"rent": str(draw(pounds(200)))},
        "disability_related_expenditure": [
            {"description": "Extra heating", "weekly_amount": str(draw(pounds(40)))}
        ],
    }


def charge_of(data: dict[str, Any]) -> ChargingResult:
    return calculate(parse_input(data), policy=KENT)


@PROPERTY_SETTINGS
@given(answers())
def test_charge_is_never_negative_nor_above_the_cost_of_care(data: dict[str, Any]) -> None:
    result = charge_of(data)
    assert result.weekly_charge is not None
    assert Decimal(0) <= result.weekly_charge <= Decimal(data["weekly_cost_of_care"])
    assert result.council_contribution == (
        Decimal(data["weekly_cost_of_care"]) - result.weekly_charge
    )


@PROPERTY_SETTINGS
@given(answers(), pounds(20000))
def test_more_capital_never_lowers_the_charge(data: dict[str, Any], extra: Decimal) -> None:
    richer = data | {"capital": {"savings": str(Decimal(data["capital"]["savings"]) + extra)}}
    before, after = charge_of(data).weekly_charge, charge_of(richer).weekly_charge
    assert before is not None
    assert after is not None
    assert after >= before


@PROPERTY_SETTINGS
@given(
    answers(),
    st.sampled_from(["state_pension", "private_pensions", "employment_support_allowance"]),
    pounds(300),
)
def test_more_income_never_lowers_the_charge(
    data: dict[str, Any], item: str, extra: Decimal
) -> None:
    income = data["income"] | {item: str(Decimal(data["income"][item]) + extra)}
    richer = data | {"income": income}
    before, after = charge_of(data).weekly_charge, charge_of(richer).weekly_charge
    assert before is not None
    assert after is not None
    assert after >= before
