"""Hand-worked cases for each charging rule (reference sections 1 to 8) and each common
implementation error of section 13. Expected values are worked in the comments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from charging_helpers import TEST_DATA, answers, example_answers, line_amount, run

from careassure.core.charging import (
    CouncilPolicy,
    MissingRateError,
    Outcome,
    calculate,
    load_policy,
    load_policy_file,
    parse_input,
)
from careassure.core.charging.models import Treatment

KENT = load_policy("kent")
DEVON = load_policy_file(TEST_DATA / "policies" / "devon-example.yaml")
KNOWSLEY = load_policy_file(TEST_DATA / "policies" / "knowsley-example.yaml")


def kent_with(**changes: Any) -> CouncilPolicy:
    return KENT.model_copy(update=changes)


def tariff_probe(capital: str, policy: CouncilPolicy = KENT) -> Any:
    # Single, aged 40, at home in 2024-25: ESA £110.60 equals the MIG for a single person
    # aged 25 to Pension Credit age (£110.60), so the weekly charge equals the tariff income.
    return run(
        answers(
            weekly_cost_of_care="1000",
            capital={"savings": capital},
            income={"employment_support_allowance": "110.60"},
        ),
        policy,
    )


# --- Capital limits and tariff income (section 2.1) -----------------------------------------


@pytest.mark.parametrize(
    ("capital", "tariff"),
    [
        pytest.param("14250.00", "0.00", id="exactly-lcl"),
        pytest.param("14250.01", "1.00", id="a-penny-above-lcl"),
        pytest.param("14500.00", "1.00", id="exact-multiple-of-250"),
        pytest.param("14501.00", "2.00", id="one-pound-past-a-multiple"),
        pytest.param("15000.00", "3.00", id="buckinghamshire"),
        pytest.param("15250.00", "4.00", id="lambeth-exact-multiple"),
        pytest.param("15251.00", "5.00", id="one-pound-past-15250"),
        pytest.param("15750.00", "6.00", id="cheshire-west"),
        pytest.param("16999.00", "11.00", id="lambeth-negative-test-not-floor"),
        pytest.param("17050.91", "12.00", id="knowsley"),
        pytest.param("18250.00", "16.00", id="kingston"),
        pytest.param("18436.00", "17.00", id="leeds"),
        pytest.param("23249.99", "36.00", id="a-penny-below-ucl"),
        pytest.param("23250.00", "36.00", id="exactly-ucl-regs-wording"),
    ],
)
def test_tariff_income_is_one_pound_for_each_250_or_part(capital: str, tariff: str) -> None:
    result = tariff_probe(capital)
    assert line_amount(result, "Tariff income") == Decimal(tariff)
    assert result.weekly_charge == Decimal(tariff)


def test_capital_one_pound_above_ucl_pays_full_cost() -> None:
    result = tariff_probe("23251.00")
    assert result.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT
    assert result.weekly_charge == Decimal("1000.00")
    assert result.council_contribution == Decimal("0.00")
    assert (
        "Your capital is above the upper limit: you are likely to pay the full cost of your care."
        in result.warnings
    )


def test_capital_exactly_at_ucl_is_full_cost_when_council_uses_at_or_above() -> None:
    result = tariff_probe("23250.00", kent_with(ucl_comparison=">="))
    assert result.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT
    assert result.ucl_comparison == ">="


def test_capital_exactly_at_ucl_records_the_comparison_used() -> None:
    # Section 13: the UCL boundary must be a setting, and the output must say which was used.
    result = tariff_probe("23250.00")
    assert result.ucl_comparison == ">"
    assert {s.name: s.value for s in result.settings_applied}["ucl_comparison"] == ">"


def test_council_can_raise_non_residential_capital_limits() -> None:
    # Limits raised to £20,000 / £30,000: £25,000 gives ceil(5,000 / 250) = 20 tariff.
    policy = kent_with(
        non_residential_lower_capital_limit=Decimal("20000"),
        non_residential_upper_capital_limit=Decimal("30000"),
    )
    assert tariff_probe("25000.00", policy).weekly_charge == Decimal("20.00")


# --- Property (section 2.3) and deferred payments (section 7) -------------------------------


def care_home(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = answers(
        care_setting="care_home_permanent",
        age=84,
        reached_pension_credit_age=True,
        weekly_cost_of_care="800.00",
        capital={"savings": "10000.00"},
        income={"state_pension": "200.00"},
        home={"value": "200000.00"},
    )
    base.update(overrides)
    return base


def test_home_ignored_for_first_12_weeks_then_counted_with_deferred_payment() -> None:
    # During: capital £10,000 (below the LCL) -> 200.00 - PEA 30.15 = 169.85.
    # After: £210,000 is above the UCL -> full cost £800.
    # DPA: equity limit 90% x 200,000 - 14,250 = 165,750.00; from income 200 - 144 = 56.00;
    # deferred 800 - 56 = 744.00 a week; 165,750 / 744 = 222.8 -> 222 whole weeks.
    result = run(care_home())
    assert result.outcome is Outcome.CHARGE
    assert result.weekly_charge == Decimal("169.85")
    home_line = next(line for line in result.breakdown if line.label == "Your home")
    assert home_line.treatment is Treatment.DISREGARDED
    assert result.property_disregard is not None
    assert result.property_disregard.weeks_remaining == 12
    assert result.property_disregard.after.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT
    assert result.property_disregard.after.weekly_charge == Decimal("800.00")
    dpa = result.deferred_payment
    assert dpa is not None
    assert dpa.equity_limit == Decimal("165750.00")
    assert dpa.weekly_paid_from_income == Decimal("56.00")
    assert dpa.weekly_amount_deferred == Decimal("744.00")
    assert dpa.weeks_until_equity_limit == 222


def test_twelve_week_disregard_gives_only_the_weeks_left() -> None:
    result = run(care_home(home={"value": "200000.00", "weeks_in_permanent_care": 10}))
    assert result.property_disregard is not None
    assert result.property_disregard.weeks_remaining == 2


def test_no_twelve_week_disregard_after_12_weeks_in_care() -> None:
    result = run(care_home(home={"value": "200000.00", "weeks_in_permanent_care": 15}))
    assert result.property_disregard is None
    assert result.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT
    assert result.weekly_charge == Decimal("800.00")
    assert result.deferred_payment is not None


def test_no_twelve_week_disregard_when_other_capital_is_not_below_the_ucl() -> None:
    # Other capital exactly £23,250 is not below the UCL, so the home counts at once.
    result = run(care_home(capital={"savings": "23250.00"}))
    assert result.property_disregard is None
    assert result.deferred_payment is None
    assert result.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT


@pytest.mark.parametrize(
    "occupant",
    [
        "partner",
        "estranged_partner_lone_parent",
        "relative_aged_60_or_over",
        "incapacitated_relative",
        "child_under_18",
    ],
)
def test_home_is_ignored_while_a_qualifying_person_lives_there(occupant: str) -> None:
    result = run(care_home(home={"value": "200000.00", "occupied_by": [occupant]}))
    assert result.weekly_charge == Decimal("169.85")  # 200.00 - 30.15
    assert result.property_disregard is None
    assert result.deferred_payment is None


def test_discretionary_occupant_counts_the_home_unless_the_council_disregards_it() -> None:
    data = care_home(
        home={
            "value": "200000.00",
            "occupied_by": ["carer_who_gave_up_home"],
            "weeks_in_permanent_care": 20,
        }
    )
    counted = run(data)
    assert counted.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT
    assert any("may decide to ignore" in warning for warning in counted.warnings)
    ignored = run(data, kent_with(discretionary_property_disregard=True))
    assert ignored.weekly_charge == Decimal("169.85")


def test_jointly_owned_home_counts_an_equal_share() -> None:
    # £20,000 home with 2 owners -> £10,000 share; + savings £5,000 = £15,000 -> tariff
    # ceil(750 / 250) = 3; 200.00 + 3.00 - 30.15 = 172.85.
    result = run(
        care_home(
            capital={"savings": "5000.00"},
            home={"value": "20000.00", "owners": 2, "weeks_in_permanent_care": 12},
        )
    )
    assert line_amount(result, "Your home") == Decimal("10000.00")
    assert result.weekly_charge == Decimal("172.85")
    assert result.deferred_payment is None


def test_home_always_ignored_for_care_at_home() -> None:
    result = run(
        answers(
            weekly_cost_of_care="300",
            home={"value": "500000"},
            income={"employment_support_allowance": "120.60"},
        )
    )
    # Capital £0 -> no tariff; 120.60 - MIG 110.60 = 10.00.
    assert result.weekly_charge == Decimal("10.00")
    home_line = next(line for line in result.breakdown if line.label == "Your home")
    assert home_line.treatment is Treatment.DISREGARDED


def test_temporary_resident_keeps_home_and_its_running_costs() -> None:
    # 200.00 - PEA 30.15 - home running costs 50.00 = 119.85; the home is ignored.
    result = run(
        care_home(
            care_setting="care_home_temporary", expected_stay_weeks=6, home_running_costs="50.00"
        )
    )
    assert result.weekly_charge == Decimal("119.85")
    assert result.property_disregard is None


def test_short_stay_charged_as_care_at_home_when_the_council_chooses() -> None:
    # Single at Pension Credit age: 200.00 - MIG 228.70 < 0 -> £0.
    result = run(
        care_home(care_setting="care_home_temporary", expected_stay_weeks=6),
        kent_with(short_stays_as_non_residential=True),
    )
    assert result.assessed_as.value == "care_at_home"
    assert result.weekly_charge == Decimal("0.00")


# --- Care home allowances (section 4) --------------------------------------------------------


def test_council_pea_uplift_is_added_to_the_statutory_pea() -> None:
    # 200.00 - (30.15 + 5.00) = 164.85.
    result = run(care_home(home=None), kent_with(pea_weekly_uplift=Decimal("5.00")))
    assert result.weekly_charge == Decimal("164.85")


def test_savings_disregard_uses_couple_maximum_for_a_member_of_a_couple() -> None:
    # 200.00 + 12.00 savings credit - 30.15 - min(12.00, 10.40) = 171.45.
    result = run(
        care_home(
            home=None,
            has_partner=True,
            income={"state_pension": "200.00", "pension_credit_savings": "12.00"},
        )
    )
    assert result.weekly_charge == Decimal("171.45")


def test_half_of_a_private_pension_passed_to_a_spouse_at_home_is_ignored() -> None:
    # Private pension 25.81: counted half rounded down 12.90, passed 12.91;
    # 200.00 + 12.90 - 30.15 = 182.75.
    result = run(
        care_home(
            has_partner=True,
            home={"value": "200000", "occupied_by": ["partner"]},
            income={
                "state_pension": "200.00",
                "private_pensions": "25.81",
                "share_pension_with_partner_at_home": True,
            },
        )
    )
    assert line_amount(result, "Pension passed to your partner at home") == Decimal("12.91")
    assert result.weekly_charge == Decimal("182.75")


# --- Couples (section 6) -----------------------------------------------------------------------


def couple(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = answers(
        age=70, reached_pension_credit_age=True, has_partner=True, weekly_cost_of_care="500"
    )
    base.update(overrides)
    return base


def test_joint_savings_split_in_half_before_the_tariff() -> None:
    # Joint £40,000 -> £20,000 each -> ceil(5,750 / 250) = 23; State Pension 174.60 equals
    # the couple (Pension Credit age) MIG of 174.60 per person, so the charge is £23.00.
    result = run(couple(capital={"joint_savings": "40000"}, income={"state_pension": "174.60"}))
    assert line_amount(result, "Your share of joint savings") == Decimal("20000.00")
    assert result.weekly_charge == Decimal("23.00")


def test_joint_income_counts_half_rounded_in_the_persons_favour() -> None:
    # Joint 100.01 -> half 50.005 -> 50.00; 174.60 + 50.00 - 174.60 = 50.00.
    result = run(couple(income={"state_pension": "174.60", "joint_income": "100.01"}))
    assert result.weekly_charge == Decimal("50.00")


def test_joint_housing_costs_halved_for_a_couple() -> None:
    # Rent 101.01 shared -> half 50.505 -> 50.51 (allowance rounded up);
    # 274.60 - 174.60 - 50.51 = 49.49.
    result = run(
        couple(
            income={"state_pension": "274.60"},
            housing_costs={"rent": "101.01", "shared_with_partner": True},
        )
    )
    assert line_amount(result, "Housing costs (your half)") == Decimal("50.51")
    assert result.weekly_charge == Decimal("49.49")


def test_couple_under_pension_age_needs_a_rate_the_year_does_not_have() -> None:
    with pytest.raises(MissingRateError) as caught:
        run(answers(has_partner=True, income={"employment_support_allowance": "100"}))
    assert caught.value.year == "2024-25"
    assert caught.value.rate == "mig_couple_18_plus"
    assert str(caught.value) == (
        "The 2024-25 rates have no usable value for the MIG for a member of a couple, one or "
        "both aged 18 or over (mig_couple_18_plus): its status is not retrieved. Add the figure "
        "and its source to the 2024-25 rates file."
    )


# --- Income, MIG, DRE (sections 3 and 5) --------------------------------------------------------


def test_earnings_mobility_and_war_pensions_are_disregarded() -> None:
    # Counted: ESA 110.60 + war widow's pension 15.00 less the first 10.00 = 115.60;
    # earnings 50.00, mobility 20.00 and War Pension 20.00 ignored; 115.60 - 110.60 = 5.00.
    # The mobility component adds the disability premium 48.80 to the MIG: 110.60 + 48.80 =
    # 159.40, so the charge is 0. Without mobility the charge is 5.00.
    income = {
        "employment_support_allowance": "110.60",
        "earnings": "50.00",
        "war_pension": "20.00",
        "war_widow_pension": "15.00",
    }
    assert run(answers(income=income)).weekly_charge == Decimal("5.00")
    with_mobility = run(answers(income={**income, "mobility_component": "20.00"}))
    assert line_amount(with_mobility, "Mobility component (DLA or PIP)") == Decimal("20.00")
    assert with_mobility.weekly_charge == Decimal("0.00")


@pytest.mark.parametrize(
    ("age", "mig", "charge"),
    [
        pytest.param(24, "87.65", "12.35", id="18-to-24"),  # 100.00 - 87.65
        pytest.param(25, "110.60", "0.00", id="25-and-over"),  # 100.00 < 110.60
    ],
)
def test_mig_has_a_separate_band_for_18_to_24(age: int, mig: str, charge: str) -> None:
    result = run(answers(age=age, income={"employment_support_allowance": "100.00"}))
    assert line_amount(result, "Minimum Income Guarantee") == Decimal(mig)
    assert result.weekly_charge == Decimal(charge)


def test_mig_adds_the_child_amount_and_uses_the_lone_parent_rate() -> None:
    # Lone parent 110.60 + 2 x 101.25 = 313.10; ESA 320.00 - 313.10 = 6.90.
    result = run(
        answers(age=30, dependent_children=2, income={"employment_support_allowance": "320.00"}),
        DEVON,
    )
    assert line_amount(result, "MIG for dependent children") == Decimal("202.50")
    assert result.weekly_charge == Decimal("6.90")


def test_mig_adds_the_carer_premium() -> None:
    # Counted 110.60 + Carer's Allowance 81.90 = 192.50; MIG 110.60 + 52.35 = 162.95; 29.55.
    result = run(
        answers(income={"employment_support_allowance": "110.60", "carers_allowance": "81.90"}),
        DEVON,
    )
    assert result.weekly_charge == Decimal("29.55")


def test_kent_refers_people_who_get_carers_allowance() -> None:
    result = run(answers(income={"carers_allowance": "81.90"}))
    assert result.outcome is Outcome.REFER_TO_COUNCIL
    assert result.weekly_charge is None
    assert result.warnings == [
        "We can't estimate this because you get Carer's Allowance: contact Kent County Council "
        "for a financial assessment."
    ]


@pytest.mark.parametrize(
    ("uplift", "mig", "charge"),
    [
        pytest.param({"mig_weekly_uplift": Decimal("5")}, "115.60", "24.40", id="weekly-5"),
        # 110.60 x 1.25 = 138.25.
        pytest.param({"mig_percentage_uplift": Decimal("25")}, "138.25", "1.75", id="25-percent"),
    ],
)
def test_council_mig_uplifts(uplift: dict[str, Decimal], mig: str, charge: str) -> None:
    result = run(answers(income={"employment_support_allowance": "140.00"}), kent_with(**uplift))
    assert line_amount(result, "Minimum Income Guarantee") == Decimal(mig)
    assert result.weekly_charge == Decimal(charge)


def test_mig_percentage_uplift_rounds_a_part_penny_up() -> None:
    # 87.65 x 1.25 = 109.5625 -> 109.57 (an allowance, rounded in the person's favour).
    result = run(
        answers(age=20, income={"employment_support_allowance": "120.00"}),
        kent_with(mig_percentage_uplift=Decimal("25")),
    )
    assert line_amount(result, "Minimum Income Guarantee") == Decimal("109.57")
    assert result.weekly_charge == Decimal("10.43")


def pip_answers(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = example_answers("example-1-knowsley-home-care.json")
    return data | overrides


def test_kent_counts_the_night_element_and_allows_flat_dre() -> None:
    # 240.61 + night element 35.90 = 276.51; - flat DRE 17.00 - MIG 160.30 = 99.21.
    result = run(pip_answers())
    assert result.weekly_charge == Decimal("99.21")
    assert line_amount(result, "Disability-related expenditure (flat allowance)") == Decimal(
        "17.00"
    )
    assert (
        "If your disability-related costs are more than £17.00 a week, you can ask for an "
        "individual assessment of them." in result.next_steps
    )


def test_kent_itemises_dre_when_the_person_asks() -> None:
    # 276.51 - itemised 12.60 - 160.30 = 103.61.
    result = run(pip_answers(asks_for_individual_dre_assessment=True))
    assert result.weekly_charge == Decimal("103.61")


def test_night_element_counted_when_the_council_provides_night_care() -> None:
    # Knowsley's setting only disregards it when there is no night care: 276.51 - 12.60 -
    # 160.30 = 103.61.
    result = run(pip_answers(receives_night_care=True), KNOWSLEY)
    assert result.weekly_charge == Decimal("103.61")


def test_kent_2023_24_night_element_needs_a_rate_that_year_lacks() -> None:
    with pytest.raises(MissingRateError) as caught:
        run(pip_answers(financial_year="2023-24"))
    assert (caught.value.year, caught.value.rate) == ("2023-24", "night_care_difference")


def test_dre_only_taken_off_when_a_disability_benefit_is_counted() -> None:
    result = run(
        answers(
            income={"employment_support_allowance": "120.60"},
            disability_related_expenditure=[
                {"description": "Extra heating", "weekly_amount": "5.00"}
            ],
        )
    )
    assert result.weekly_charge == Decimal("10.00")  # 120.60 - 110.60, no DRE


def test_savings_credit_at_home_follows_council_policy() -> None:
    # Single at Pension Credit age, State Pension 228.70 = MIG 228.70; savings credit 5.00.
    data = answers(
        age=70,
        reached_pension_credit_age=True,
        income={"state_pension": "228.70", "pension_credit_savings": "5.00"},
    )
    assert run(data).weekly_charge == Decimal("5.00")
    ignored = kent_with(savings_credit_non_residential="disregard")
    assert run(data, ignored).weekly_charge == Decimal("0.00")


# --- Percentage charged, minimum charge, cap at cost ------------------------------------------


def test_local_percentage_rounds_down_to_the_penny() -> None:
    # Disposable 120.61 - 110.60 = 10.01; 90% = 9.009 -> 9.00.
    result = run(
        answers(income={"employment_support_allowance": "120.61"}),
        kent_with(percentage_charged=Decimal("90")),
    )
    assert result.weekly_charge == Decimal("9.00")


@pytest.mark.parametrize(
    ("esa", "charge"),
    [
        pytest.param("111.60", "0.00", id="below-minimum"),  # 1.00 < 1.25
        pytest.param("111.85", "1.25", id="exactly-minimum"),
    ],
)
def test_minimum_charge_rule(esa: str, charge: str) -> None:
    result = run(
        answers(income={"employment_support_allowance": esa}),
        kent_with(minimum_weekly_charge=Decimal("1.25")),
    )
    assert result.weekly_charge == Decimal(charge)


def test_care_home_charge_capped_at_the_cost_of_the_placement() -> None:
    # 500.00 - 30.15 = 469.85, above the £400 cost.
    result = run(
        care_home(home=None, weekly_cost_of_care="400", income={"state_pension": "500.00"})
    )
    assert result.maximum_ability_to_pay == Decimal("469.85")
    assert result.weekly_charge == Decimal("400.00")
    assert result.council_contribution == Decimal("0.00")


def test_care_at_home_charge_capped_at_the_personal_budget() -> None:
    # 600.00 - 110.60 = 489.40, above the £300 budget.
    result = run(
        answers(weekly_cost_of_care="300", income={"employment_support_allowance": "600.00"})
    )
    assert result.maximum_ability_to_pay == Decimal("489.40")
    assert result.weekly_charge == Decimal("300.00")


# --- Light-touch, declined, free (sections 1 and 8) ---------------------------------------------


def test_capital_over_limit_is_a_likely_light_touch_case() -> None:
    result = tariff_probe("50000")
    assert result.light_touch_likely
    assert result.light_touch_reason is not None
    assert "reg 10(3)" in result.light_touch_reason


def test_no_ability_to_pay_is_a_likely_light_touch_case() -> None:
    result = run(answers(income={"employment_support_allowance": "50.00"}))
    assert result.weekly_charge == Decimal("0.00")
    assert result.light_touch_likely
    assert result.light_touch_reason is not None
    assert "reg 10(2)" in result.light_touch_reason


def test_a_charge_above_zero_is_not_light_touch() -> None:
    assert not tariff_probe("15000").light_touch_likely


def test_declining_assessment_means_full_cost() -> None:
    result = run(answers(weekly_cost_of_care="250", declines_financial_assessment=True))
    assert result.outcome is Outcome.FULL_COST_DECLINED_ASSESSMENT
    assert result.weekly_charge == Decimal("250.00")


def test_free_services_are_not_charged() -> None:
    result = run(
        answers(
            weekly_cost_of_care="250",
            free_service="reablement_first_6_weeks",
            income={"employment_support_allowance": "600"},
        )
    )
    assert result.outcome is Outcome.FREE_SERVICE
    assert result.weekly_charge == Decimal("0.00")
    assert result.council_contribution == Decimal("250.00")


def test_deprivation_is_flagged_not_assessed() -> None:
    result = run(answers(has_deliberately_reduced_assets=True))
    assert "Deliberate deprivation of assets was not assessed." in result.assumptions
    assert any("may count those assets" in warning for warning in result.warnings)


# --- Rates with a status to verify ---------------------------------------------------------


def test_placeholder_rate_is_used_with_a_warning() -> None:
    result = run(
        answers(
            financial_year="2025-26",
            income={"employment_support_allowance": "112.50", "carers_allowance": "83.30"},
        ),
        DEVON,
    )
    # 112.50 + 83.30 - (112.50 + 53.25 placeholder carer premium) = 30.05.
    assert result.weekly_charge == Decimal("30.05")
    assert (
        "This estimate uses the carer premium for 2025-26 (£53.25), which is a placeholder still "
        "to be verified." in result.warnings
    )
    statuses = {rate.name: rate.status.value for rate in result.rates_used}
    assert statuses["mig_carer_premium"] == "to_verify"


def test_council_can_refuse_placeholder_rates() -> None:
    refusing = DEVON.model_copy(update={"unverified_rates": "refuse"})
    with pytest.raises(MissingRateError) as caught:
        run(answers(financial_year="2025-26", income={"carers_allowance": "83.30"}), refusing)
    assert caught.value.rate == "mig_carer_premium"


def test_2025_26_care_home_savings_disregard_is_not_retrieved() -> None:
    with pytest.raises(MissingRateError) as caught:
        run(
            care_home(
                financial_year="2025-26",
                home=None,
                income={"state_pension": "230", "pension_credit_savings": "5"},
            )
        )
    assert (caught.value.year, caught.value.rate) == ("2025-26", "savings_disregard_single")


def test_2026_27_has_too_few_rates_for_an_estimate() -> None:
    with pytest.raises(MissingRateError) as caught:
        run(answers(financial_year="2026-27"))
    assert caught.value.year == "2026-27"
    assert caught.value.rate == "lower_capital_limit"


# --- Section 13: common implementation errors -----------------------------------------------


def test_citations_name_the_right_regulations() -> None:
    result = run(
        answers(
            capital={"savings": "15000"},
            income={
                "employment_support_allowance": "120",
                "earnings": "10",
                "mobility_component": "5",
            },
        )
    )
    sources = {line.label: line.source or "" for line in result.breakdown}
    assert "reg 25" in sources["Tariff income"]
    assert "reg 21" not in sources["Tariff income"]
    assert sources["Mobility component (DLA or PIP)"] == "Regs Sch 1 para 8"
    assert sources["Earnings"] == "Regs reg 14"


def test_statutory_weekly_amounts_are_used_without_monthly_conversion() -> None:
    result = run(answers(income={"employment_support_allowance": "110.60"}))
    base = next(line for line in result.breakdown if line.label.startswith("MIG base rate"))
    assert base.amount == Decimal("110.60")
    assert any("no monthly or four-weekly conversion" in text for text in result.assumptions)


def test_every_result_has_an_itemised_breakdown_and_rate_citations() -> None:
    result = calculate(
        parse_input(example_answers("example-3-knowsley-care-home.json")), policy=KNOWSLEY
    )
    assert {line.section.value for line in result.breakdown} == {
        "capital",
        "income",
        "allowances",
        "charge",
    }
    assert all(rate.source for rate in result.rates_used)
    assert "2024-25" in result.estimate_statement
