"""The Care Act charging rules (reference sections 1 to 8), for a care home and care at home."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from careassure.core.charging.errors import ChargingError, MissingRateError
from careassure.core.charging.models import (
    AmountPeriod,
    AssessedAs,
    BreakdownLine,
    CareSetting,
    ChargeFigures,
    ChargingInput,
    ChargingResult,
    DeferredPaymentEstimate,
    DisabilityBenefit,
    DisabilityBenefitRate,
    HomeOccupant,
    Outcome,
    PropertyDisregardPeriod,
    RateUsed,
    Section,
    SettingApplied,
    Treatment,
)
from careassure.core.charging.money import (
    PENNY,
    ROUNDING_RULE,
    ZERO,
    apply_percentage_charged,
    format_money,
    four_weekly_to_weekly,
    monthly_to_weekly,
    round_allowance,
    round_charge,
    share_of_joint_amount,
    tariff_steps,
    uplift_allowance,
    weeks_covered,
    yearly_to_weekly,
)
from careassure.core.charging.policy import CouncilPolicy, MigBand, load_policy
from careassure.core.charging.rates import RATE_LABELS, RateName, RateStatus, RateTable, load_rates

MANDATORY_OCCUPANTS: dict[HomeOccupant, str] = {
    HomeOccupant.PARTNER: "your partner, spouse or civil partner",
    HomeOccupant.ESTRANGED_PARTNER_LONE_PARENT: (
        "an estranged or divorced partner who is a lone parent"
    ),
    HomeOccupant.RELATIVE_AGED_60_OR_OVER: "a relative aged 60 or over",
    HomeOccupant.INCAPACITATED_RELATIVE: "a relative who is incapacitated",
    HomeOccupant.CHILD_UNDER_18: "your child aged under 18",
}
DISCRETIONARY_OCCUPANTS: dict[HomeOccupant, str] = {
    HomeOccupant.CARER_WHO_GAVE_UP_HOME: "someone who gave up their own home to care for you",
    HomeOccupant.ELDERLY_COMPANION: "an elderly companion for whom it is their only home",
}
MIG_BAND_RATES: dict[MigBand, RateName] = {
    MigBand.SINGLE_18_TO_24: RateName.MIG_SINGLE_18_TO_24,
    MigBand.SINGLE_25_TO_PENSION_CREDIT_AGE: RateName.MIG_SINGLE_25_TO_PENSION_CREDIT_AGE,
    MigBand.LONE_PARENT: RateName.MIG_LONE_PARENT,
    MigBand.SINGLE_PENSION_CREDIT_AGE: RateName.MIG_SINGLE_PENSION_CREDIT_AGE,
    MigBand.COUPLE_18_PLUS: RateName.MIG_COUPLE_18_PLUS,
    MigBand.COUPLE_PENSION_CREDIT_AGE: RateName.MIG_COUPLE_PENSION_CREDIT_AGE,
}
MIG_BAND_LABELS: dict[MigBand, str] = {
    MigBand.SINGLE_18_TO_24: "single, aged 18 to 24",
    MigBand.SINGLE_25_TO_PENSION_CREDIT_AGE: "single, aged 25 to Pension Credit age",
    MigBand.LONE_PARENT: "lone parent aged 18 or over",
    MigBand.SINGLE_PENSION_CREDIT_AGE: "single, at or over Pension Credit age",
    MigBand.COUPLE_18_PLUS: "member of a couple, one or both aged 18 or over",
    MigBand.COUPLE_PENSION_CREDIT_AGE: "member of a couple, one or both at Pension Credit age",
}
BENEFIT_NAMES: dict[DisabilityBenefit, str] = {
    DisabilityBenefit.NONE: "none",
    DisabilityBenefit.ATTENDANCE_ALLOWANCE: "Attendance Allowance",
    DisabilityBenefit.DLA_CARE: "DLA care component",
    DisabilityBenefit.PIP_DAILY_LIVING: "PIP daily living component",
}
FULL_COST_WARNING = (
    "Your capital is above the upper limit: you are likely to pay the full cost of your care."
)
AFTER_DISREGARD_WARNING = (
    "When the property disregard ends, your capital including your home is above the upper "
    "limit: you are likely to pay the full cost of your care, unless you have a deferred "
    "payment agreement."
)
POLICY_SETTINGS_SHOWN = (
    "percentage_charged",
    "minimum_weekly_charge",
    "dre_method",
    "dre_flat_weekly_amount",
    "dre_individual_assessment_on_request",
    "night_element",
    "ucl_comparison",
    "non_residential_lower_capital_limit",
    "non_residential_upper_capital_limit",
    "savings_credit_non_residential",
    "pea_weekly_uplift",
    "mig_weekly_uplift",
    "mig_percentage_uplift",
    "local_mig",
    "discretionary_property_disregard",
    "short_stays_as_non_residential",
    "halve_joint_household_costs",
)


@dataclass(frozen=True)
class _Conversion:
    """An amount of income entered for another period than a week, and its weekly amount."""

    entered: Decimal
    period: AmountPeriod
    weekly: Decimal

    def explanation(self) -> str:
        entered = format_money(self.entered)
        if self.period is AmountPeriod.MONTH:
            working, exact = f"{entered} a month × 12 ÷ 52", self.entered * 12 / 52
        elif self.period is AmountPeriod.FOUR_WEEKS:
            working, exact = f"{entered} every 4 weeks ÷ 4", self.entered / 4
        else:
            working, exact = f"{entered} a year ÷ 52", self.entered / 52
        rounded = " (rounded down to a penny)" if exact != self.weekly else ""
        return f"{working} = {format_money(self.weekly)} a week{rounded}. "


_TO_WEEKLY = {
    AmountPeriod.FOUR_WEEKS: four_weekly_to_weekly,
    AmountPeriod.MONTH: monthly_to_weekly,
    AmountPeriod.YEAR: yearly_to_weekly,
}
_PERIOD_RULES = {
    AmountPeriod.FOUR_WEEKS: "amounts paid every 4 weeks were divided by 4",
    AmountPeriod.MONTH: "monthly amounts were multiplied by 12 and divided by 52",
    AmountPeriod.YEAR: "yearly amounts were divided by 52",
}


def _weekly_income(inp: ChargingInput) -> tuple[ChargingInput, dict[str, _Conversion]]:
    """The input with every amount of income as a weekly amount, and the conversions made."""
    income = inp.income
    conversions: dict[str, _Conversion] = {}
    for name, period in income.periods:
        if period is AmountPeriod.WEEK:
            continue
        entered: Decimal = getattr(income, name)
        if entered > 0:
            conversions[name] = _Conversion(entered, period, _TO_WEEKLY[period](entered))
    if not conversions:
        return inp, conversions
    weekly = income.model_copy(update={name: c.weekly for name, c in conversions.items()})
    return inp.model_copy(update={"income": weekly}), conversions


@dataclass
class _Ledger:
    """Collects what one calculation used and said: rates, settings, assumptions, warnings."""

    inp: ChargingInput
    rates: RateTable
    policy: CouncilPolicy
    conversions: dict[str, _Conversion] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    rates_used: dict[RateName, RateUsed] = field(default_factory=dict)

    def rate(self, name: RateName) -> Decimal:
        value = self.rates.value(name)
        entry = self.rates.entry(name)
        assert entry is not None  # value() has raised if the entry is missing
        if entry.status is RateStatus.TO_VERIFY:
            if self.policy.unverified_rates == "refuse":
                raise MissingRateError(
                    self.rates.financial_year,
                    name.value,
                    RATE_LABELS[name],
                    "its status is to verify and this council's policy refuses unverified rates",
                )
            self.warn(
                f"This estimate uses {RATE_LABELS[name]} for {self.rates.financial_year} "
                f"({format_money(value)}), which is a placeholder still to be verified."
            )
        if name not in self.rates_used:
            self.rates_used[name] = RateUsed.model_construct(
                name=name.value,
                label=RATE_LABELS[name],
                value=value,
                status=entry.status,
                source=entry.source,
            )
        return value

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)

    def step(self, text: str) -> None:
        if text not in self.next_steps:
            self.next_steps.append(text)

    def converted(self, name: str) -> str:
        """How the amount of income ``name`` was made weekly, to start its explanation
        (empty when it was entered as a weekly amount)."""
        conversion = self.conversions.get(name)
        return conversion.explanation() if conversion else ""


def _line(
    section: Section,
    label: str,
    amount: Decimal | None,
    treatment: Treatment,
    explanation: str,
    source: str | None = None,
) -> BreakdownLine:
    # Every argument already has its field's type, so the line is built without validation
    # (the engine makes dozens of lines per estimate); the model documents the shape.
    return BreakdownLine.model_construct(
        section=section,
        label=label,
        amount=amount.quantize(PENNY) if amount is not None else None,
        treatment=treatment,
        explanation=explanation,
        source=source,
    )


# ---------------------------------------------------------------------------------------------
# Capital (section 2)


@dataclass
class _Capital:
    lines: list[BreakdownLine]
    other_capital: Decimal


def _capital_other_than_home(inp: ChargingInput) -> _Capital:
    cap = inp.capital
    lines: list[BreakdownLine] = []
    total = ZERO
    if cap.savings > 0:
        total += cap.savings
        lines.append(
            _line(
                Section.CAPITAL,
                "Savings in your name",
                cap.savings,
                Treatment.COUNTED,
                "Counted in full.",
            )
        )
    if cap.joint_savings > 0:
        share = share_of_joint_amount(cap.joint_savings, cap.joint_savings_owners)
        total += share
        lines.append(
            _line(
                Section.CAPITAL,
                "Your share of joint savings",
                share,
                Treatment.PARTLY_COUNTED,
                f"You are treated as owning an equal share: {format_money(cap.joint_savings)} "
                f"÷ {cap.joint_savings_owners} = {format_money(share)}.",
                "CSSG Annex B (jointly held capital); BathNES 6.1; Wirral",
            )
        )
    if cap.other_property > 0:
        total += cap.other_property
        lines.append(
            _line(
                Section.CAPITAL,
                "Other property",
                cap.other_property,
                Treatment.COUNTED,
                "Property other than your main home is counted as capital.",
            )
        )
    return _Capital(lines, total)


def _limits(led: _Ledger, assessed_as: AssessedAs) -> tuple[Decimal, Decimal]:
    lower = led.rate(RateName.LOWER_CAPITAL_LIMIT)
    upper = led.rate(RateName.UPPER_CAPITAL_LIMIT)
    if assessed_as is AssessedAs.CARE_AT_HOME:
        if led.policy.non_residential_lower_capital_limit is not None:
            lower = led.policy.non_residential_lower_capital_limit
        if led.policy.non_residential_upper_capital_limit is not None:
            upper = led.policy.non_residential_upper_capital_limit
    return lower, upper


def _over_upper_limit(capital: Decimal, upper: Decimal, comparison: str) -> bool:
    return capital >= upper if comparison == ">=" else capital > upper


def _tariff(
    led: _Ledger, capital: Decimal, lower: Decimal, upper: Decimal, lines: list[BreakdownLine]
) -> Decimal:
    """Tariff income (reg 25): £1 a week for every £250, or part of £250, above the LCL."""
    comparison_text = "at or above" if led.policy.ucl_comparison == ">=" else "above"
    lines.append(
        _line(
            Section.CAPITAL,
            "Capital counted",
            capital,
            Treatment.RESULT,
            f"Lower capital limit {format_money(lower)}; upper capital limit "
            f"{format_money(upper)} (full cost if capital is {comparison_text} it).",
            "Regs reg 10 and 12",
        )
    )
    if capital <= lower:
        lines.append(
            _line(
                Section.CAPITAL,
                "Tariff income",
                ZERO,
                Treatment.COUNTED,
                f"Capital at or below {format_money(lower)} is ignored.",
                "Regs reg 25",
            )
        )
        return ZERO
    step = led.rate(RateName.TARIFF_CAPITAL_STEP)
    per_step = led.rate(RateName.TARIFF_INCOME_PER_STEP)
    steps = tariff_steps(capital, lower, step)
    tariff = per_step * steps
    lines.append(
        _line(
            Section.CAPITAL,
            "Tariff income",
            tariff,
            Treatment.COUNTED,
            f"{format_money(capital)} − {format_money(lower)} = {format_money(capital - lower)} "
            f"→ {steps} part-{format_money(step).removesuffix('.00')}s → {format_money(tariff)} "
            "a week (each part of £250 counts as a whole £250).",
            "Regs reg 25; CSSG Annex B",
        )
    )
    return tariff


# ---------------------------------------------------------------------------------------------
# Income (section 3)


@dataclass
class _Income:
    lines: list[BreakdownLine]
    counted: Decimal
    disability_counted: Decimal


def _income(led: _Ledger, assessed_as: AssessedAs) -> _Income:
    inp = led.inp
    inc = inp.income
    lines: list[BreakdownLine] = []
    counted = ZERO
    c = led.converted  # how an amount entered for another period was made weekly, or ""

    def add(label: str, amount: Decimal, explanation: str, source: str | None = None) -> None:
        nonlocal counted
        if amount > 0:
            counted += amount
            lines.append(
                _line(Section.INCOME, label, amount, Treatment.COUNTED, explanation, source)
            )

    def ignore(label: str, amount: Decimal, explanation: str, source: str | None = None) -> None:
        if amount > 0:
            lines.append(
                _line(Section.INCOME, label, amount, Treatment.DISREGARDED, explanation, source)
            )

    add("State Pension", inc.state_pension, c("state_pension") + "Counted in full.")
    if inc.private_pensions > 0:
        sharing = (
            inc.share_pension_with_partner_at_home
            and inp.has_partner
            and assessed_as is AssessedAs.CARE_HOME
        )
        if sharing:
            kept = round_charge(inc.private_pensions / 2)
            passed = inc.private_pensions - kept
            add(
                "Private and work pensions (your half)",
                kept,
                c("private_pensions")
                + f"Half of {format_money(inc.private_pensions)} is counted; the other half is "
                "passed to your spouse or civil partner at home.",
                "Wirral (reference 3.4)",
            )
            ignore(
                "Pension passed to your partner at home",
                passed,
                "Ignored because it is passed to your spouse or civil partner at home.",
                "Wirral (reference 3.4)",
            )
        else:
            add(
                "Private and work pensions",
                inc.private_pensions,
                c("private_pensions") + "Counted in full.",
            )
    if inc.share_pension_with_partner_at_home and not (
        inp.has_partner and assessed_as is AssessedAs.CARE_HOME
    ):
        led.assume(
            "Passing half of a pension to a partner applies only to a care-home resident "
            "with a spouse or civil partner at home, so it was not applied."
        )
    add(
        "Pension Credit guarantee credit",
        inc.pension_credit_guarantee,
        c("pension_credit_guarantee") + "Counted in full.",
    )
    if inc.pension_credit_savings > 0:
        if assessed_as is AssessedAs.CARE_HOME:
            add(
                "Pension Credit savings credit",
                inc.pension_credit_savings,
                c("pension_credit_savings")
                + "Counted as income; the savings disregard is taken off below.",
                "Regs Sch 1",
            )
        elif led.policy.savings_credit_non_residential == "count":
            add(
                "Pension Credit savings credit",
                inc.pension_credit_savings,
                c("pension_credit_savings")
                + "Counted as income for care at home (council policy).",
            )
        else:
            ignore(
                "Pension Credit savings credit",
                inc.pension_credit_savings,
                c("pension_credit_savings") + "Ignored for care at home (council policy).",
            )
    add("Universal Credit", inc.universal_credit, c("universal_credit") + "Counted in full.")
    add(
        "Employment and Support Allowance",
        inc.employment_support_allowance,
        c("employment_support_allowance") + "Counted in full.",
    )
    add("Income Support", inc.income_support, c("income_support") + "Counted in full.")
    add("Carer's Allowance", inc.carers_allowance, c("carers_allowance") + "Counted in full.")
    add("Other income", inc.other_counted_income, c("other_counted_income") + "Counted in full.")

    disability_counted = ZERO
    if inc.disability_benefit is not DisabilityBenefit.NONE:
        name = BENEFIT_NAMES[inc.disability_benefit]
        amount = inc.disability_benefit_amount
        night_disregard = ZERO
        if (
            assessed_as is AssessedAs.CARE_AT_HOME
            and inc.disability_benefit_rate is DisabilityBenefitRate.HIGHER
            and not inp.receives_night_care
            and led.policy.night_element_for(inp.financial_year) == "disregard"
        ):
            night_disregard = min(amount, led.rate(RateName.NIGHT_CARE_DIFFERENCE))
        disability_counted = amount - night_disregard
        if night_disregard > 0:
            add(
                f"{name} (day rate)",
                disability_counted,
                c("disability_benefit_amount")
                + "Counted, less the night care element ignored below.",
                "Regs Sch 1 para 4",
            )
            ignore(
                "No night care element",
                night_disregard,
                "You get the higher rate but the council provides no night care, so the "
                f"difference between the higher and lower rates ({format_money(night_disregard)})"
                " is ignored (council policy).",
                "Carton v Coventry (2000); council policy",
            )
        elif assessed_as is AssessedAs.CARE_AT_HOME:
            explanation = "Counted in full; disability-related expenditure is taken off below."
            if inc.disability_benefit_rate is DisabilityBenefitRate.HIGHER:
                explanation = (
                    "Counted in full, including the higher-rate night element (council policy); "
                    "disability-related expenditure is taken off below."
                )
            add(name, amount, c("disability_benefit_amount") + explanation, "Regs Sch 1 para 4")
        else:
            add(name, amount, c("disability_benefit_amount") + "Counted in full.")
    ignore(
        "Mobility component (DLA or PIP)",
        inc.mobility_component,
        c("mobility_component") + "Always ignored.",
        "Regs Sch 1 para 8",
    )
    ignore(
        "Earnings",
        inc.earnings,
        c("earnings") + "Earnings from work are always ignored.",
        "Regs reg 14",
    )
    ignore(
        "War Pension",
        inc.war_pension,
        c("war_pension")
        + "War Pension Scheme payments are ignored (except Constant Attendance Allowance).",
    )
    add(
        "War Pension Constant Attendance Allowance",
        inc.war_pension_constant_attendance_allowance,
        c("war_pension_constant_attendance_allowance") + "Counted in full.",
    )
    if inc.war_widow_pension > 0:
        first = led.rate(RateName.WAR_WIDOW_PENSION_DISREGARD)
        ignored = min(first, inc.war_widow_pension)
        ignore(
            "War widow's or widower's pension (first part)",
            ignored,
            c("war_widow_pension") + f"The first {format_money(first)} a week is ignored.",
            "Wirral; Newham",
        )
        add(
            "War widow's or widower's pension (the rest)",
            inc.war_widow_pension - ignored,
            "Counted.",
        )
    if inc.joint_income > 0:
        half = share_of_joint_amount(inc.joint_income, 2)
        add(
            "Your half of income paid to you as a couple",
            half,
            c("joint_income") + "Income received as a couple is presumed to be half each: "
            f"{format_money(inc.joint_income)} ÷ 2.",
            "CSSG Annex C para 5",
        )
    ignore(
        "Other income that is ignored",
        inc.other_disregarded_income,
        c("other_disregarded_income")
        + "Ignored (for example Child Benefit, charitable payments, direct payments).",
    )
    lines.append(
        _line(
            Section.INCOME,
            "Income counted",
            counted,
            Treatment.RESULT,
            "The total of the income counted above, a week.",
        )
    )
    return _Income(lines, counted, disability_counted)


# ---------------------------------------------------------------------------------------------
# Care home (section 4)


def _care_home_figures(
    led: _Ledger, capital_lines: list[BreakdownLine], capital: Decimal, *, deferred: bool = False
) -> ChargeFigures:
    inp = led.inp
    lines = list(capital_lines)
    lower, upper = _limits(led, AssessedAs.CARE_HOME)
    if _over_upper_limit(capital, upper, led.policy.ucl_comparison):
        return _full_cost_figures(led, lines, capital, upper)
    tariff = _tariff(led, capital, lower, upper, lines)
    income = _income(led, AssessedAs.CARE_HOME)
    lines.extend(income.lines)
    assessable = income.counted + tariff
    lines.append(
        _line(
            Section.CHARGE,
            "Assessable income",
            assessable,
            Treatment.RESULT,
            f"Income counted {format_money(income.counted)} + tariff income "
            f"{format_money(tariff)}.",
        )
    )
    running = assessable
    if deferred:
        allowance = led.rate(RateName.DPA_DISPOSABLE_INCOME_ALLOWANCE)
        lines.append(
            _line(
                Section.ALLOWANCES,
                "Disposable income allowance",
                allowance,
                Treatment.DEDUCTED,
                "With a deferred payment agreement you may keep up to this amount a week "
                "(it includes the Personal Expenses Allowance).",
                "CSSG Annex D",
            )
        )
    else:
        allowance = led.rate(RateName.PERSONAL_EXPENSES_ALLOWANCE) + led.policy.pea_weekly_uplift
        lines.append(
            _line(
                Section.ALLOWANCES,
                "Personal Expenses Allowance",
                allowance,
                Treatment.DEDUCTED,
                "The amount you keep each week for personal spending.",
                "Regs reg 6",
            )
        )
    running -= allowance
    if inp.income.pension_credit_savings > 0:
        rate = (
            RateName.SAVINGS_DISREGARD_COUPLE
            if inp.has_partner
            else RateName.SAVINGS_DISREGARD_SINGLE
        )
        maximum = led.rate(rate)
        disregard = min(inp.income.pension_credit_savings, maximum)
        running -= disregard
        lines.append(
            _line(
                Section.ALLOWANCES,
                "Savings disregard",
                disregard,
                Treatment.DEDUCTED,
                f"The savings credit you get, up to {format_money(maximum)} a week: "
                f"min({format_money(inp.income.pension_credit_savings)}, "
                f"{format_money(maximum)}).",
                "Regs Sch 1 (savings disregard)",
            )
        )
    if inp.care_setting is CareSetting.CARE_HOME_TEMPORARY and inp.home_running_costs > 0:
        running -= inp.home_running_costs
        lines.append(
            _line(
                Section.ALLOWANCES,
                "Costs of keeping up your home",
                inp.home_running_costs,
                Treatment.DEDUCTED,
                "A temporary resident keeps enough to keep up the home they will return to.",
                "CSSG Annex C (temporary residents)",
            )
        )
    ability = round_charge(max(ZERO, running))
    return _charge_figures(led, lines, ability, apply_minimum=False)


def _full_cost_figures(
    led: _Ledger, lines: list[BreakdownLine], capital: Decimal, upper: Decimal
) -> ChargeFigures:
    cost = led.inp.weekly_cost_of_care
    word = "at or above" if led.policy.ucl_comparison == ">=" else "above"
    lines.append(
        _line(
            Section.CAPITAL,
            "Capital counted",
            capital,
            Treatment.RESULT,
            f"This is {word} the upper capital limit of {format_money(upper)}, so you pay "
            "the full cost of your care.",
            "Regs reg 10 and 12",
        )
    )
    lines.append(
        _line(
            Section.CHARGE,
            "Weekly charge",
            cost,
            Treatment.RESULT,
            "The full weekly cost of your care."
            if cost is not None
            else "The full weekly cost of your care (you did not enter it).",
        )
    )
    return ChargeFigures.model_construct(
        outcome=Outcome.FULL_COST_CAPITAL_OVER_LIMIT,
        weekly_charge=cost,
        maximum_ability_to_pay=None,
        council_contribution=ZERO if cost is not None else None,
        breakdown=list(lines),
    )


def _charge_figures(
    led: _Ledger, lines: list[BreakdownLine], ability: Decimal, *, apply_minimum: bool
) -> ChargeFigures:
    cost = led.inp.weekly_cost_of_care
    lines.append(
        _line(
            Section.CHARGE,
            "Maximum ability to pay",
            ability,
            Treatment.RESULT,
            "What is left after the allowances, and never less than £0.00.",
        )
    )
    charge = ability
    if cost is not None:
        charge = min(ability, cost)
        lines.append(
            _line(
                Section.CHARGE,
                "Weekly cost of care",
                cost,
                Treatment.LIMIT,
                "You never pay more than the cost of your care: the charge is the lower of "
                "your maximum ability to pay and this cost.",
                "Care Act 2014 s.14",
            )
        )
    minimum = led.policy.minimum_weekly_charge
    if apply_minimum and minimum is not None and ZERO < charge < minimum:
        lines.append(
            _line(
                Section.CHARGE,
                "Minimum charge rule",
                minimum,
                Treatment.LIMIT,
                f"The council does not charge less than {format_money(minimum)} a week, so "
                "no charge is made.",
                "Council policy",
            )
        )
        charge = ZERO
    lines.append(
        _line(
            Section.CHARGE,
            "Weekly charge",
            charge,
            Treatment.RESULT,
            "Your estimated weekly charge.",
        )
    )
    contribution = cost - charge if cost is not None else None
    if contribution is not None:
        lines.append(
            _line(
                Section.CHARGE,
                "Council's contribution",
                contribution,
                Treatment.RESULT,
                "The weekly cost of care less your charge.",
            )
        )
    else:
        led.assume(
            "You did not enter the weekly cost of your care, so the charge shown is your "
            "maximum ability to pay; you will never pay more than the cost of your care."
        )
    return ChargeFigures.model_construct(
        outcome=Outcome.CHARGE,
        weekly_charge=charge.quantize(PENNY),
        maximum_ability_to_pay=ability.quantize(PENNY),
        council_contribution=contribution,
        breakdown=list(lines),
    )


@dataclass
class _HomeAssessment:
    line: BreakdownLine | None
    counted_value: Decimal
    weeks_remaining: int
    twelve_week_explanation: str | None


def _assess_home(led: _Ledger, other_capital: Decimal) -> _HomeAssessment:
    inp = led.inp
    home = inp.home
    if home is None:
        return _HomeAssessment(None, ZERO, 0, None)
    share = share_of_joint_amount(home.value, home.owners)
    owned = (
        f"Your equal share of the home: {format_money(home.value)} ÷ {home.owners}."
        if home.owners > 1
        else "The value of your home."
    )
    if inp.care_setting is CareSetting.CARE_HOME_TEMPORARY:
        return _HomeAssessment(
            _line(
                Section.CAPITAL,
                "Your home",
                share,
                Treatment.DISREGARDED,
                f"{owned} Ignored because you are staying temporarily and mean to return to it.",
                "Regs Sch 2 (temporary residents)",
            ),
            ZERO,
            0,
            None,
        )
    mandatory = [MANDATORY_OCCUPANTS[o] for o in home.occupied_by if o in MANDATORY_OCCUPANTS]
    if mandatory:
        return _HomeAssessment(
            _line(
                Section.CAPITAL,
                "Your home",
                share,
                Treatment.DISREGARDED,
                f"{owned} Ignored because it is still lived in by {mandatory[0]}.",
                "Regs Sch 2 (mandatory property disregard); CSSG Annex B",
            ),
            ZERO,
            0,
            None,
        )
    discretionary = [
        DISCRETIONARY_OCCUPANTS[o] for o in home.occupied_by if o in DISCRETIONARY_OCCUPANTS
    ]
    if discretionary and led.policy.discretionary_property_disregard:
        return _HomeAssessment(
            _line(
                Section.CAPITAL,
                "Your home",
                share,
                Treatment.DISREGARDED,
                f"{owned} Ignored at the council's discretion because it is the home of "
                f"{discretionary[0]}.",
                "CSSG Annex B para 42",
            ),
            ZERO,
            0,
            None,
        )
    if discretionary:
        led.warn(
            f"Your home is the home of {discretionary[0]}. The council may decide to ignore "
            "its value; this estimate counts it."
        )
    _, upper = _limits(led, AssessedAs.CARE_HOME)
    weeks_remaining = 0
    explanation = None
    if other_capital < upper:
        total_weeks = int(led.rate(RateName.PROPERTY_DISREGARD_WEEKS))
        weeks_remaining = max(0, total_weeks - home.weeks_in_permanent_care)
        explanation = (
            f"The value of your home is ignored for the first {total_weeks} weeks of a permanent "
            f"placement because your other capital is below {format_money(upper)}. "
            f"{weeks_remaining} of those weeks are left."
        )
        if weeks_remaining == 0:
            led.assume(
                f"You have been in permanent care for {home.weeks_in_permanent_care} "
                f"weeks, so none of the {total_weeks}-week property disregard is left."
            )
    return _HomeAssessment(
        _line(
            Section.CAPITAL,
            "Your home",
            share,
            Treatment.COUNTED,
            f"{owned} Counted as capital. Property valuation (what may be taken off the value) "
            "is for the formal assessment.",
            "CSSG Annex B",
        ),
        share,
        weeks_remaining,
        explanation,
    )


def _deferred_payment(
    led: _Ledger, capital: _Capital, home: _HomeAssessment
) -> DeferredPaymentEstimate:
    fraction = led.rate(RateName.DPA_EQUITY_LIMIT_FRACTION)
    lower = led.rate(RateName.LOWER_CAPITAL_LIMIT)
    equity_limit = max(ZERO, round_charge(home.counted_value * fraction) - lower)
    allowance = led.rate(RateName.DPA_DISPOSABLE_INCOME_ALLOWANCE)
    explanation = [
        f"Equity limit: {fraction * 100:.0f}% of {format_money(home.counted_value)} less the lower "
        f"capital limit {format_money(lower)} = {format_money(equity_limit)}.",
        f"While a deferred payment agreement is in force you may keep up to "
        f"{format_money(allowance)} a week of your income.",
        "Interest and the council's fees are not included: the council sets them within a "
        "national maximum.",
    ]
    from_income: Decimal | None = None
    deferred: Decimal | None = None
    weeks: int | None = None
    cost = led.inp.weekly_cost_of_care
    if cost is not None:
        figures = _care_home_figures(led, capital.lines, capital.other_capital, deferred=True)
        from_income = figures.weekly_charge if figures.weekly_charge is not None else cost
        deferred = cost - from_income
        if deferred > 0:
            weeks = weeks_covered(equity_limit, deferred)
            explanation.append(
                f"You would pay {format_money(from_income)} a week from your income and defer "
                f"{format_money(deferred)} a week, reaching the equity limit after about "
                f"{weeks} weeks."
            )
    return DeferredPaymentEstimate.model_construct(
        home_value_counted=home.counted_value,
        equity_limit=equity_limit,
        disposable_income_allowance=allowance,
        weekly_paid_from_income=from_income,
        weekly_amount_deferred=deferred,
        weeks_until_equity_limit=weeks,
        explanation=explanation,
    )


@dataclass
class _Assessment:
    assessed_as: AssessedAs
    figures: ChargeFigures
    property_disregard: PropertyDisregardPeriod | None = None
    deferred_payment: DeferredPaymentEstimate | None = None


def _care_home(led: _Ledger) -> _Assessment:
    capital = _capital_other_than_home(led.inp)
    home = _assess_home(led, capital.other_capital)
    with_home = [*capital.lines, home.line] if home.line else capital.lines
    if home.counted_value == 0:
        return _Assessment(
            AssessedAs.CARE_HOME, _care_home_figures(led, with_home, capital.other_capital)
        )
    counted_all = capital.other_capital + home.counted_value
    after = _care_home_figures(led, with_home, counted_all)
    deferred = None
    if led.inp.care_setting is CareSetting.CARE_HOME_PERMANENT and home.twelve_week_explanation:
        led.step(
            "A deferred payment agreement may let you delay selling your home to pay for "
            "your care: ask the council."
        )
        if after.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT:
            deferred = _deferred_payment(led, capital, home)
    if home.weeks_remaining > 0 and home.twelve_week_explanation and home.line:
        ignored_line = home.line.model_copy(
            update={
                "treatment": Treatment.DISREGARDED,
                "explanation": home.twelve_week_explanation,
                "source": "Regs Sch 2 (12-week property disregard); CSSG Annex B",
            }
        )
        during = _care_home_figures(led, [*capital.lines, ignored_line], capital.other_capital)
        led.warn(
            f"After the {home.weeks_remaining} remaining weeks of the property disregard, "
            "the value of your home is counted as capital."
        )
        return _Assessment(
            AssessedAs.CARE_HOME,
            during,
            PropertyDisregardPeriod.model_construct(
                weeks_remaining=home.weeks_remaining,
                explanation=home.twelve_week_explanation,
                after=after,
            ),
            deferred,
        )
    return _Assessment(AssessedAs.CARE_HOME, after, None, deferred)


# ---------------------------------------------------------------------------------------------
# Care at home (section 5)


def _mig(led: _Ledger, lines: list[BreakdownLine]) -> Decimal:
    inp = led.inp
    pension_age = inp.reached_pension_credit_age
    if inp.has_partner:
        couple_pension_age = pension_age or inp.partner_reached_pension_credit_age
        band = MigBand.COUPLE_PENSION_CREDIT_AGE if couple_pension_age else MigBand.COUPLE_18_PLUS
    elif pension_age:
        band = MigBand.SINGLE_PENSION_CREDIT_AGE
    elif inp.dependent_children > 0:
        band = MigBand.LONE_PARENT
    elif inp.age <= 24:
        band = MigBand.SINGLE_18_TO_24
    else:
        band = MigBand.SINGLE_25_TO_PENSION_CREDIT_AGE
    local = led.policy.local_mig.get(inp.financial_year, {}).get(band)
    if local is not None:
        base = local
        lines.append(
            _line(
                Section.ALLOWANCES,
                f"MIG base rate ({MIG_BAND_LABELS[band]})",
                base,
                Treatment.DEDUCTED,
                f"The council's own Minimum Income Guarantee for {inp.financial_year}.",
                "Council policy (local MIG)",
            )
        )
    else:
        base = led.rate(MIG_BAND_RATES[band])
        couple_note = " Couple rates are per person." if inp.has_partner else ""
        lines.append(
            _line(
                Section.ALLOWANCES,
                f"MIG base rate ({MIG_BAND_LABELS[band]})",
                base,
                Treatment.DEDUCTED,
                f"The Minimum Income Guarantee for your age and household.{couple_note}",
                "Regs reg 7",
            )
        )
    total = base
    inc = inp.income
    if pension_age:
        led.assume(
            "Disability, enhanced disability and carer premiums follow Income Support, "
            "so they were not added to the Minimum Income Guarantee of someone at "
            "Pension Credit age (Regs reg 7(5) and (6))."
        )
    else:
        disabled = (
            inc.disability_benefit is not DisabilityBenefit.NONE or inc.mobility_component > 0
        )
        enhanced = inc.disability_benefit_rate is DisabilityBenefitRate.HIGHER and (
            inc.disability_benefit
            in {DisabilityBenefit.PIP_DAILY_LIVING, DisabilityBenefit.DLA_CARE}
        )
        if disabled:
            name = (
                RateName.MIG_DISABILITY_PREMIUM_COUPLE
                if inp.has_partner
                else RateName.MIG_DISABILITY_PREMIUM_SINGLE
            )
            amount = led.rate(name)
            total += amount
            lines.append(
                _line(
                    Section.ALLOWANCES,
                    "MIG disability premium",
                    amount,
                    Treatment.DEDUCTED,
                    "Added because you get a disability benefit.",
                    "Regs reg 7(5)",
                )
            )
        if enhanced:
            name = (
                RateName.MIG_ENHANCED_DISABILITY_PREMIUM_COUPLE
                if inp.has_partner
                else RateName.MIG_ENHANCED_DISABILITY_PREMIUM_SINGLE
            )
            amount = led.rate(name)
            total += amount
            lines.append(
                _line(
                    Section.ALLOWANCES,
                    "MIG enhanced disability premium",
                    amount,
                    Treatment.DEDUCTED,
                    "Added because you get the enhanced rate of PIP daily "
                    "living or the highest rate of the DLA care component.",
                    "Regs reg 7(6)",
                )
            )
        if inc.carers_allowance > 0:
            amount = led.rate(RateName.MIG_CARER_PREMIUM)
            total += amount
            lines.append(
                _line(
                    Section.ALLOWANCES,
                    "MIG carer premium",
                    amount,
                    Treatment.DEDUCTED,
                    "Added because you get Carer's Allowance.",
                    "Regs reg 7",
                )
            )
    if inp.dependent_children > 0:
        each = led.rate(RateName.MIG_DEPENDENT_CHILD)
        amount = each * inp.dependent_children
        total += amount
        lines.append(
            _line(
                Section.ALLOWANCES,
                "MIG for dependent children",
                amount,
                Treatment.DEDUCTED,
                f"{inp.dependent_children} × {format_money(each)}.",
                "Regs reg 7",
            )
        )
    policy = led.policy
    if policy.mig_weekly_uplift > 0:
        total += policy.mig_weekly_uplift
        lines.append(
            _line(
                Section.ALLOWANCES,
                "Council's MIG uplift",
                policy.mig_weekly_uplift,
                Treatment.DEDUCTED,
                "The council adds this to the MIG.",
                "Council policy",
            )
        )
    if policy.mig_percentage_uplift > 0:
        raised = uplift_allowance(total, policy.mig_percentage_uplift)
        lines.append(
            _line(
                Section.ALLOWANCES,
                "Council's MIG percentage uplift",
                raised - total,
                Treatment.DEDUCTED,
                f"The council raises the MIG by {policy.mig_percentage_uplift}%.",
                "Council policy",
            )
        )
        total = raised
    lines.append(
        _line(
            Section.ALLOWANCES,
            "Minimum Income Guarantee",
            total,
            Treatment.DEDUCTED,
            "The weekly amount you must be left with.",
            "Regs reg 7; CSSG chapter 8",
        )
    )
    return total


def _housing_costs(led: _Ledger, lines: list[BreakdownLine]) -> Decimal:
    inp = led.inp
    h = inp.housing_costs
    parts = [
        ("Rent, less Housing Benefit", max(ZERO, h.rent - h.housing_benefit)),
        ("Council Tax, less Council Tax Support", max(ZERO, h.council_tax - h.council_tax_support)),
        (
            "Mortgage, less Support for Mortgage Interest",
            max(ZERO, h.mortgage - h.support_for_mortgage_interest),
        ),
        ("Service charges and ground rent", h.service_charges_and_ground_rent),
        ("Buildings and contents insurance", h.buildings_and_contents_insurance),
        ("Loans secured for repairs", h.secured_repair_loans),
    ]
    total = sum((amount for _, amount in parts), ZERO)
    if total == 0:
        return ZERO
    for label, amount in parts:
        if amount > 0:
            lines.append(
                _line(
                    Section.ALLOWANCES,
                    label,
                    amount,
                    Treatment.DEDUCTED,
                    "A housing cost allowed.",
                    "CSSG Annex C",
                )
            )
    if h.shared_with_partner and inp.has_partner and led.policy.halve_joint_household_costs:
        half = round_allowance(total / 2)
        lines.append(
            _line(
                Section.ALLOWANCES,
                "Housing costs (your half)",
                half,
                Treatment.DEDUCTED,
                f"You are treated as liable for half of joint household costs: "
                f"{format_money(total)} ÷ 2.",
                "Council policy (as Bexley)",
            )
        )
        return half
    lines.append(
        _line(
            Section.ALLOWANCES,
            "Housing costs",
            total,
            Treatment.DEDUCTED,
            "The total of the housing costs allowed.",
            "CSSG Annex C",
        )
    )
    return total


def _dre(led: _Ledger, income: _Income, lines: list[BreakdownLine]) -> Decimal:
    inp = led.inp
    items = inp.disability_related_expenditure
    itemised = sum((item.weekly_amount for item in items), ZERO)
    if income.disability_counted <= 0:
        if itemised > 0:
            lines.append(
                _line(
                    Section.ALLOWANCES,
                    "Disability-related expenditure",
                    itemised,
                    Treatment.DISREGARDED,
                    "Not taken off, because no Attendance Allowance, DLA "
                    "care or PIP daily living is counted as your income.",
                    "Regs Sch 1 para 4",
                )
            )
        return ZERO
    policy = led.policy
    individual = policy.dre_method == "individual" or (
        inp.asks_for_individual_dre_assessment and policy.dre_individual_assessment_on_request
    )
    if individual:
        for item in items:
            lines.append(
                _line(
                    Section.ALLOWANCES,
                    f"Disability-related cost: {item.description}",
                    item.weekly_amount,
                    Treatment.DEDUCTED,
                    "An itemised disability-related cost.",
                    "CSSG Annex C para 40",
                )
            )
        lines.append(
            _line(
                Section.ALLOWANCES,
                "Disability-related expenditure",
                itemised,
                Treatment.DEDUCTED,
                "The total of your itemised disability-related costs.",
                "Regs Sch 1 para 4; CSSG Annex C",
            )
        )
        return itemised
    flat = policy.dre_flat_weekly_amount
    assert flat is not None  # CouncilPolicy requires it when dre_method is flat
    lines.append(
        _line(
            Section.ALLOWANCES,
            "Disability-related expenditure (flat allowance)",
            flat,
            Treatment.DEDUCTED,
            "The council allows a flat amount for disability-related costs.",
            "Council policy",
        )
    )
    if policy.dre_individual_assessment_on_request:
        led.step(
            "If your disability-related costs are more than "
            f"{format_money(flat)} a week, you can ask for an individual assessment of them."
        )
    return flat


def _care_at_home(led: _Ledger) -> _Assessment:
    inp = led.inp
    capital = _capital_other_than_home(inp)
    lines = list(capital.lines)
    if inp.home is not None:
        lines.append(
            _line(
                Section.CAPITAL,
                "Your home",
                share_of_joint_amount(inp.home.value, inp.home.owners),
                Treatment.DISREGARDED,
                "Your main or only home is always ignored for care at home.",
                "Regs Sch 2",
            )
        )
    lower, upper = _limits(led, AssessedAs.CARE_AT_HOME)
    if _over_upper_limit(capital.other_capital, upper, led.policy.ucl_comparison):
        if led.policy.arrangement_fee:
            led.step(led.policy.arrangement_fee)
        led.step("You can still ask the council to arrange your care.")
        return _Assessment(
            AssessedAs.CARE_AT_HOME, _full_cost_figures(led, lines, capital.other_capital, upper)
        )
    tariff = _tariff(led, capital.other_capital, lower, upper, lines)
    income = _income(led, AssessedAs.CARE_AT_HOME)
    lines.extend(income.lines)
    assessable = income.counted + tariff
    lines.append(
        _line(
            Section.CHARGE,
            "Assessable income",
            assessable,
            Treatment.RESULT,
            f"Income counted {format_money(income.counted)} + tariff income "
            f"{format_money(tariff)}.",
        )
    )
    housing = _housing_costs(led, lines)
    dre = _dre(led, income, lines)
    mig = _mig(led, lines)
    disposable = assessable - mig - housing - dre
    lines.append(
        _line(
            Section.CHARGE,
            "Disposable income",
            disposable,
            Treatment.RESULT,
            f"{format_money(assessable)} − MIG {format_money(mig)} − housing costs "
            f"{format_money(housing)} − disability-related expenditure {format_money(dre)}.",
        )
    )
    percentage = led.policy.percentage_charged
    ability = apply_percentage_charged(max(ZERO, disposable), percentage)
    if percentage != 100:
        lines.append(
            _line(
                Section.CHARGE,
                "Percentage of disposable income charged",
                ability,
                Treatment.RESULT,
                f"{percentage}% of {format_money(max(ZERO, disposable))}.",
                "Council policy",
            )
        )
    return _Assessment(
        AssessedAs.CARE_AT_HOME, _charge_figures(led, lines, ability, apply_minimum=True)
    )


# ---------------------------------------------------------------------------------------------
# Public entry point


def _estimate_statement(policy: CouncilPolicy, year: str) -> str:
    return (
        "This is an estimate. It is not a financial assessment and not a decision. "
        f"{policy.display_name}'s formal financial assessment, with its written record, decides "
        "what you pay, and the amount can differ from this estimate. The estimate depends on "
        f"what you entered and uses the rates for the {year} financial year."
    )


# The settings shown for a (policy, year) pair, worked out once per policy object: the same
# policy and rates objects serve every estimate of a process. The cache holds the policy itself
# so that its id cannot be reused by another object while the entry exists.
_SETTINGS_CACHE: dict[tuple[int, str], tuple[CouncilPolicy, tuple[SettingApplied, ...]]] = {}
_SETTINGS_CACHE_SIZE = 64


def _settings_applied(policy: CouncilPolicy, year: str) -> list[SettingApplied]:
    key = (id(policy), year)
    cached = _SETTINGS_CACHE.get(key)
    if cached is None or cached[0] is not policy:
        if len(_SETTINGS_CACHE) >= _SETTINGS_CACHE_SIZE:
            _SETTINGS_CACHE.clear()
        cached = (policy, tuple(_work_out_settings_applied(policy, year)))
        _SETTINGS_CACHE[key] = cached
    return list(cached[1])


def _work_out_settings_applied(policy: CouncilPolicy, year: str) -> list[SettingApplied]:
    dumped = policy.model_dump(mode="json")
    settings = []
    for name in POLICY_SETTINGS_SHOWN:
        value = policy.night_element_for(year) if name == "night_element" else dumped[name]
        if name == "local_mig":
            value = dumped[name].get(year)
        source = policy.sources.get(name)
        settings.append(
            SettingApplied(
                name=name,
                value="none" if value is None or value == {} else str(value),
                source=source.source if source else None,
                status=source.status if source else None,
            )
        )
    return settings


def _simple_figures(
    outcome: Outcome, charge: Decimal | None, cost: Decimal | None, lines: list[BreakdownLine]
) -> ChargeFigures:
    return ChargeFigures.model_construct(
        outcome=outcome,
        weekly_charge=charge,
        maximum_ability_to_pay=None,
        council_contribution=(cost - charge) if cost is not None and charge is not None else None,
        breakdown=list(lines),
    )


def _before_assessment(led: _Ledger) -> _Assessment | None:
    """Outcomes that need no calculation: free services, referrals, declined assessment."""
    inp = led.inp
    cost = inp.weekly_cost_of_care
    assessed_as = (
        AssessedAs.CARE_AT_HOME
        if inp.care_setting is CareSetting.HOME_CARE
        else AssessedAs.CARE_HOME
    )
    if inp.free_service is not None:
        line = _line(
            Section.CHARGE,
            "Weekly charge",
            ZERO,
            Treatment.RESULT,
            "This service is free: reablement and intermediate care for up to the first "
            "6 weeks, after-care under s.117 of the Mental Health Act, services for "
            "people with variant CJD and community equipment under £1,000 are never "
            "charged for.",
            "Care Act 2014; reference section 1",
        )
        return _Assessment(assessed_as, _simple_figures(Outcome.FREE_SERVICE, ZERO, cost, [line]))
    policy = led.policy
    reasons = []
    if policy.refer_if_carers_allowance and inp.income.carers_allowance > 0:
        reasons.append("you get Carer's Allowance")
    if policy.refer_if_benefits_for_dependants and inp.receives_benefits_for_dependants:
        reasons.append("you get benefits for dependants")
    if reasons:
        message = (
            f"We can't estimate this because {' and '.join(reasons)}: contact "
            f"{policy.display_name} for a financial assessment."
        )
        led.warn(message)
        line = _line(
            Section.CHARGE, "Weekly charge", None, Treatment.RESULT, message, "Council policy"
        )
        return _Assessment(
            assessed_as, _simple_figures(Outcome.REFER_TO_COUNCIL, None, None, [line])
        )
    if inp.declines_financial_assessment:
        line = _line(
            Section.CHARGE,
            "Weekly charge",
            cost,
            Treatment.RESULT,
            "If you decline a financial assessment the council treats your resources as "
            "above the upper limit, so you pay the full cost of your care.",
            "Regs reg 10(1)",
        )
        led.warn("If you decline a financial assessment you will pay the full cost of your care.")
        return _Assessment(
            assessed_as,
            _simple_figures(Outcome.FULL_COST_DECLINED_ASSESSMENT, cost, cost, [line]),
        )
    return None


def _general_notes(led: _Ledger, assessed_as: AssessedAs) -> None:
    inp = led.inp
    periods = {conversion.period for conversion in led.conversions.values()}
    if periods:
        rules = "; ".join(rule for period, rule in _PERIOD_RULES.items() if period in periods)
        led.assume(
            f"Income was made weekly: {rules}, with any part of a penny rounded down (in your "
            "favour). Every other amount was entered as a weekly amount, and income after tax "
            "and National Insurance."
        )
    else:
        led.assume(
            "All amounts were entered as weekly amounts, and income after tax and National "
            "Insurance; no monthly or four-weekly conversion was made."
        )
    led.assume("Benefits were taken as you entered them.")
    led.assume("Deliberate deprivation of assets was not assessed.")
    if inp.has_deliberately_reduced_assets:
        led.warn(
            "You said you have given away or spent money or property to reduce what you "
            "have. The formal assessment may count those assets as if you still had them."
        )
    if (
        inp.reached_pension_credit_age
        and inp.income.pension_credit_guarantee == 0
        and (inp.income.pension_credit_savings == 0)
    ):
        led.step("You may be able to get Pension Credit: ask for a benefits check.")
    if inp.reached_pension_credit_age and inp.income.disability_benefit is DisabilityBenefit.NONE:
        led.step(
            "If you need help with personal care you may be able to get Attendance "
            "Allowance: ask for a benefits check."
        )
    if assessed_as is AssessedAs.CARE_HOME:
        _, upper = _limits(led, assessed_as)
        led.step(
            f"If your capital is close to {format_money(upper)}, contact the council before it "
            "falls below that amount so it can assess you in time."
        )
    led.step("You can ask the council for a formal financial assessment.")
    led.step(
        "Some care is always free: reablement for up to the first 6 weeks, after-care "
        "under s.117 of the Mental Health Act, and equipment and minor adaptations under "
        "£1,000."
    )


def _light_touch(outcome: Outcome, ability: Decimal | None) -> str | None:
    if outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT:
        return (
            "Your resources appear to be above the upper limit. If you agree to pay the full "
            "cost, the council may not need a full financial assessment (Regs reg 10(3))."
        )
    if outcome is Outcome.CHARGE and ability is not None and ability == 0:
        return (
            "Your income appears to leave nothing to contribute. With your consent the "
            "council may not need a full financial assessment (Regs reg 10(2))."
        )
    return None


def calculate(
    inp: ChargingInput,
    *,
    rates: RateTable | None = None,
    policy: CouncilPolicy | None = None,
) -> ChargingResult:
    """Estimate the weekly charge for care under the Care Act 2014 charging rules.

    ``rates`` defaults to the rates file for ``inp.financial_year``; ``policy`` defaults to
    Kent's profile. Raises ``UnknownFinancialYearError`` or ``MissingRateError`` when a rate
    the calculation needs is not available for the year.
    """
    policy = policy or load_policy("kent")
    rates = rates or load_rates(inp.financial_year)
    if rates.financial_year != inp.financial_year:
        raise ChargingError(
            f"The rates are for {rates.financial_year} but the input asks for {inp.financial_year}."
        )
    inp, conversions = _weekly_income(inp)
    led = _Ledger(inp=inp, rates=rates, policy=policy, conversions=conversions)
    assessment = _before_assessment(led)
    if assessment is None:
        short_stay = (
            inp.care_setting is CareSetting.CARE_HOME_TEMPORARY
            and policy.short_stays_as_non_residential
            and inp.expected_stay_weeks is not None
            and inp.expected_stay_weeks <= int(led.rate(RateName.SHORT_STAY_MAXIMUM_WEEKS))
        )
        if short_stay:
            led.assume(
                "A short stay of up to 8 weeks is charged as if it were care at home "
                "(Regs reg 8; council policy)."
            )
        if inp.care_setting is CareSetting.HOME_CARE or short_stay:
            assessment = _care_at_home(led)
        else:
            assessment = _care_home(led)
        _general_notes(led, assessment.assessed_as)
    figures = assessment.figures
    if figures.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT:
        led.warn(FULL_COST_WARNING)
    later = assessment.property_disregard
    if later is not None and later.after.outcome is Outcome.FULL_COST_CAPITAL_OVER_LIMIT:
        led.warn(AFTER_DISREGARD_WARNING)
    reason = _light_touch(figures.outcome, figures.maximum_ability_to_pay)
    # Every part was built from validated input, rates and policy with its field's type.
    return ChargingResult.model_construct(
        estimate_statement=_estimate_statement(policy, inp.financial_year),
        financial_year=inp.financial_year,
        council=policy.display_name,
        care_setting=inp.care_setting,
        assessed_as=assessment.assessed_as,
        outcome=figures.outcome,
        weekly_charge=figures.weekly_charge,
        maximum_ability_to_pay=figures.maximum_ability_to_pay,
        weekly_cost_of_care=inp.weekly_cost_of_care,
        council_contribution=figures.council_contribution,
        breakdown=figures.breakdown,
        light_touch_likely=reason is not None,
        light_touch_reason=reason,
        property_disregard=assessment.property_disregard,
        deferred_payment=assessment.deferred_payment,
        ucl_comparison=policy.ucl_comparison,
        rounding_rule=ROUNDING_RULE,
        assumptions=led.assumptions,
        warnings=led.warnings,
        next_steps=led.next_steps,
        settings_applied=_settings_applied(policy, inp.financial_year),
        rates_used=list(led.rates_used.values()),
    )
