"""The calculator's input and output models.

The input model is shared by the CLI, the web question pages and the JSON API: field names are
snake_case, amounts of money may be sent as numbers or as text a person typed ("£1,234.50"),
and every problem comes back as a GOV.UK-style message naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from careassure.core.charging.errors import ChargingInputError, FieldError
from careassure.core.charging.money import parse_money
from careassure.core.charging.rates import RateStatus, check_financial_year

WEEKLY_MAXIMUM = Decimal("100000")
CAPITAL_MAXIMUM = Decimal("100000000")

# What each amount is called in an error message, and its largest sensible value.
MONEY_FIELDS: dict[str, tuple[str, Decimal]] = {
    "weekly_cost_of_care": ("the weekly cost of your care", WEEKLY_MAXIMUM),
    "home_running_costs": ("the weekly cost of keeping up your home", WEEKLY_MAXIMUM),
    "savings": ("your savings", CAPITAL_MAXIMUM),
    "joint_savings": ("your joint savings", CAPITAL_MAXIMUM),
    "other_property": ("the value of other property you own", CAPITAL_MAXIMUM),
    "value": ("the value of your home", CAPITAL_MAXIMUM),
    "state_pension": ("your State Pension", WEEKLY_MAXIMUM),
    "private_pensions": ("your private and work pensions", WEEKLY_MAXIMUM),
    "pension_credit_guarantee": ("your Pension Credit guarantee credit", WEEKLY_MAXIMUM),
    "pension_credit_savings": ("your Pension Credit savings credit", WEEKLY_MAXIMUM),
    "universal_credit": ("your Universal Credit", WEEKLY_MAXIMUM),
    "employment_support_allowance": ("your Employment and Support Allowance", WEEKLY_MAXIMUM),
    "income_support": ("your Income Support", WEEKLY_MAXIMUM),
    "carers_allowance": ("your Carer's Allowance", WEEKLY_MAXIMUM),
    "other_counted_income": ("your other income", WEEKLY_MAXIMUM),
    "disability_benefit_amount": ("your disability benefit", WEEKLY_MAXIMUM),
    "mobility_component": ("your mobility component", WEEKLY_MAXIMUM),
    "earnings": ("your earnings", WEEKLY_MAXIMUM),
    "war_pension": ("your War Pension", WEEKLY_MAXIMUM),
    "war_pension_constant_attendance_allowance": (
        "your War Pension Constant Attendance Allowance",
        WEEKLY_MAXIMUM,
    ),
    "war_widow_pension": ("your war widow's or widower's pension", WEEKLY_MAXIMUM),
    "joint_income": ("the income you get jointly with your partner", WEEKLY_MAXIMUM),
    "other_disregarded_income": ("your other income that is ignored", WEEKLY_MAXIMUM),
    "rent": ("your rent", WEEKLY_MAXIMUM),
    "housing_benefit": ("your Housing Benefit", WEEKLY_MAXIMUM),
    "council_tax": ("your Council Tax", WEEKLY_MAXIMUM),
    "council_tax_support": ("your Council Tax Support", WEEKLY_MAXIMUM),
    "mortgage": ("your mortgage payments", WEEKLY_MAXIMUM),
    "support_for_mortgage_interest": ("your Support for Mortgage Interest", WEEKLY_MAXIMUM),
    "service_charges_and_ground_rent": ("your service charges and ground rent", WEEKLY_MAXIMUM),
    "buildings_and_contents_insurance": ("your buildings and contents insurance", WEEKLY_MAXIMUM),
    "secured_repair_loans": ("your payments on loans for repairs", WEEKLY_MAXIMUM),
    "weekly_amount": ("the weekly cost", WEEKLY_MAXIMUM),
}

# Messages for answers that are missing or not one of the options.
QUESTION_MESSAGES: dict[str, str] = {
    "financial_year": "Enter the financial year, like 2025-26",
    "care_setting": "Select where you get, or will get, care",
    "age": "Enter your age as a whole number, like 67",
    "reached_pension_credit_age": "Select yes if you have reached Pension Credit age",
    "has_partner": "Select yes if you have a partner",
    "partner_reached_pension_credit_age": (
        "Select yes if your partner has reached Pension Credit age"
    ),
    "dependent_children": "Enter the number of children who depend on you, like 0 or 2",
    "expected_stay_weeks": "Enter how many weeks the stay is expected to last, like 4",
    "owners": "Enter how many people own the home, like 1 or 2",
    "joint_savings_owners": "Enter how many people hold the joint savings, like 2",
    "weeks_in_permanent_care": (
        "Enter how many weeks you have already been in a care home permanently, like 0"
    ),
    "disability_benefit": "Select which disability benefit you get, or none",
    "disability_benefit_rate": "Select the rate of your disability benefit",
    "occupied_by": "Select who still lives in your home, or no one",
    "description": "Enter what the disability-related cost is for",
    "free_service": "Select why the care is free",
}


def _to_money(value: object, info: ValidationInfo) -> Decimal:
    name = info.field_name or "amount"
    label, maximum = MONEY_FIELDS.get(name, ("the amount", WEEKLY_MAXIMUM))
    if isinstance(value, bool) or value is None:
        raise PydanticCustomError(
            "money", "Enter {label} as an amount of money, like 1500 or 1500.50", {"label": label}
        )
    if isinstance(value, int | Decimal):
        text = str(value)
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = value
    else:
        raise PydanticCustomError(
            "money", "Enter {label} as an amount of money, like 1500 or 1500.50", {"label": label}
        )
    try:
        if isinstance(value, int | float | Decimal):
            number = Decimal(text)
            text = "-" + format(-number, "f") if number < 0 else format(number, "f")
        return parse_money(text, field=name, label=label, maximum=maximum)
    except InvalidOperation:
        raise PydanticCustomError(
            "money", "Enter {label} as an amount of money, like 1500 or 1500.50", {"label": label}
        ) from None
    except ChargingInputError as exc:
        raise PydanticCustomError("money", exc.message) from None


Money = Annotated[Decimal, BeforeValidator(_to_money)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CareSetting(StrEnum):
    HOME_CARE = "home_care"
    CARE_HOME_PERMANENT = "care_home_permanent"
    CARE_HOME_TEMPORARY = "care_home_temporary"


class DisabilityBenefit(StrEnum):
    NONE = "none"
    ATTENDANCE_ALLOWANCE = "attendance_allowance"
    DLA_CARE = "dla_care"
    PIP_DAILY_LIVING = "pip_daily_living"


class DisabilityBenefitRate(StrEnum):
    """``lower``: AA lower, DLA care lowest, PIP standard. ``middle``: DLA care middle only.
    ``higher``: AA higher, DLA care highest, PIP enhanced."""

    LOWER = "lower"
    MIDDLE = "middle"
    HIGHER = "higher"


class HomeOccupant(StrEnum):
    PARTNER = "partner"
    ESTRANGED_PARTNER_LONE_PARENT = "estranged_partner_lone_parent"
    RELATIVE_AGED_60_OR_OVER = "relative_aged_60_or_over"
    INCAPACITATED_RELATIVE = "incapacitated_relative"
    CHILD_UNDER_18 = "child_under_18"
    CARER_WHO_GAVE_UP_HOME = "carer_who_gave_up_home"
    ELDERLY_COMPANION = "elderly_companion"


class FreeService(StrEnum):
    REABLEMENT_FIRST_6_WEEKS = "reablement_first_6_weeks"
    MENTAL_HEALTH_ACT_S117_AFTERCARE = "mental_health_act_s117_aftercare"
    VARIANT_CJD = "variant_cjd"
    COMMUNITY_EQUIPMENT_UNDER_1000 = "community_equipment_under_1000"


class CapitalInput(_Strict):
    """Savings and other capital, not counting the main home."""

    savings: Money = Field(default=Decimal(0), description="Savings in your name only")
    joint_savings: Money = Field(
        default=Decimal(0), description="The total of savings held jointly with others"
    )
    joint_savings_owners: int = Field(default=2, ge=2, le=10)
    other_property: Money = Field(
        default=Decimal(0), description="Your share of property other than your main home"
    )


class HomeInput(_Strict):
    """The person's main or only home, if they own it."""

    value: Money = Field(description="What the whole home is worth")
    owners: int = Field(default=1, ge=1, le=10, description="How many people own it")
    occupied_by: list[HomeOccupant] = Field(
        default_factory=list, description="Who has lived there since before you went into care"
    )
    weeks_in_permanent_care: int = Field(
        default=0, ge=0, le=5200, description="Weeks already spent in permanent care"
    )


class AmountPeriod(StrEnum):
    """How often an amount of income is paid."""

    WEEK = "week"
    FOUR_WEEKS = "four_weeks"
    MONTH = "month"
    YEAR = "year"


class IncomePeriods(_Strict):
    """How often each amount of income is paid; an amount left out here is weekly."""

    state_pension: AmountPeriod = AmountPeriod.WEEK
    private_pensions: AmountPeriod = AmountPeriod.WEEK
    pension_credit_guarantee: AmountPeriod = AmountPeriod.WEEK
    pension_credit_savings: AmountPeriod = AmountPeriod.WEEK
    universal_credit: AmountPeriod = AmountPeriod.WEEK
    employment_support_allowance: AmountPeriod = AmountPeriod.WEEK
    income_support: AmountPeriod = AmountPeriod.WEEK
    carers_allowance: AmountPeriod = AmountPeriod.WEEK
    other_counted_income: AmountPeriod = AmountPeriod.WEEK
    disability_benefit_amount: AmountPeriod = AmountPeriod.WEEK
    mobility_component: AmountPeriod = AmountPeriod.WEEK
    earnings: AmountPeriod = AmountPeriod.WEEK
    war_pension: AmountPeriod = AmountPeriod.WEEK
    war_pension_constant_attendance_allowance: AmountPeriod = AmountPeriod.WEEK
    war_widow_pension: AmountPeriod = AmountPeriod.WEEK
    joint_income: AmountPeriod = AmountPeriod.WEEK
    other_disregarded_income: AmountPeriod = AmountPeriod.WEEK


class IncomeInput(_Strict):
    """Income after tax and National Insurance: weekly amounts, unless periods says an
    amount is paid every 4 weeks, every month or every year."""

    state_pension: Money = Decimal(0)
    private_pensions: Money = Decimal(0)
    pension_credit_guarantee: Money = Decimal(0)
    pension_credit_savings: Money = Decimal(0)
    universal_credit: Money = Decimal(0)
    employment_support_allowance: Money = Decimal(0)
    income_support: Money = Decimal(0)
    carers_allowance: Money = Decimal(0)
    other_counted_income: Money = Decimal(0)
    disability_benefit: DisabilityBenefit = DisabilityBenefit.NONE
    disability_benefit_rate: DisabilityBenefitRate | None = None
    disability_benefit_amount: Money = Decimal(0)
    mobility_component: Money = Decimal(0)
    earnings: Money = Decimal(0)
    war_pension: Money = Decimal(0)
    war_pension_constant_attendance_allowance: Money = Decimal(0)
    war_widow_pension: Money = Decimal(0)
    joint_income: Money = Decimal(0)
    other_disregarded_income: Money = Decimal(0)
    share_pension_with_partner_at_home: bool = False
    periods: IncomePeriods = Field(
        default_factory=IncomePeriods,
        description="How often an amount above is paid, when it is not weekly: "
        "four_weeks, month or year (week when left out)",
    )

    @model_validator(mode="after")
    def _disability_benefit_complete(self) -> IncomeInput:
        if self.disability_benefit is DisabilityBenefit.NONE:
            if self.disability_benefit_amount > 0:
                raise PydanticCustomError(
                    "disability_benefit", "Select which disability benefit you get"
                )
            return self
        if self.disability_benefit_rate is None:
            raise PydanticCustomError(
                "disability_benefit_rate", "Select the rate of your disability benefit"
            )
        if (
            self.disability_benefit_rate is DisabilityBenefitRate.MIDDLE
            and self.disability_benefit is not DisabilityBenefit.DLA_CARE
        ):
            raise PydanticCustomError(
                "disability_benefit_rate",
                "Select the lower or higher rate: only DLA care has a middle rate",
            )
        if self.disability_benefit_amount <= 0:
            raise PydanticCustomError(
                "disability_benefit_amount", "Enter the amount of your disability benefit"
            )
        return self


class HousingCostsInput(_Strict):
    """Weekly housing costs (used for care at home)."""

    rent: Money = Decimal(0)
    housing_benefit: Money = Decimal(0)
    council_tax: Money = Decimal(0)
    council_tax_support: Money = Decimal(0)
    mortgage: Money = Decimal(0)
    support_for_mortgage_interest: Money = Decimal(0)
    service_charges_and_ground_rent: Money = Decimal(0)
    buildings_and_contents_insurance: Money = Decimal(0)
    secured_repair_loans: Money = Decimal(0)
    shared_with_partner: bool = False


class DreItem(_Strict):
    """One disability-related cost."""

    description: str = Field(min_length=1, max_length=200)
    weekly_amount: Money


class ChargingInput(_Strict):
    """Everything the calculator asks. Amounts are weekly unless the name says otherwise or
    income.periods gives an amount of income for 4 weeks, a month or a year."""

    financial_year: str = Field(description="The financial year, like 2025-26")
    care_setting: CareSetting
    weekly_cost_of_care: Money | None = Field(
        default=None, description="The personal budget or care-home fee, if known"
    )
    age: int = Field(ge=18, le=130)
    reached_pension_credit_age: bool
    has_partner: bool = False
    partner_reached_pension_credit_age: bool = False
    dependent_children: int = Field(default=0, ge=0, le=20)
    receives_benefits_for_dependants: bool = False
    expected_stay_weeks: int | None = Field(default=None, ge=1, le=520)
    home_running_costs: Money = Field(
        default=Decimal(0), description="Temporary stays: weekly cost of the home kept up"
    )
    receives_night_care: bool = Field(
        default=False, description="Whether the council's care includes care at night"
    )
    capital: CapitalInput = Field(default_factory=CapitalInput)
    home: HomeInput | None = Field(default=None, description="Only if you own your home")
    income: IncomeInput = Field(default_factory=IncomeInput)
    housing_costs: HousingCostsInput = Field(default_factory=HousingCostsInput)
    disability_related_expenditure: list[DreItem] = Field(default_factory=list, max_length=50)
    asks_for_individual_dre_assessment: bool = False
    declines_financial_assessment: bool = False
    free_service: FreeService | None = None
    has_deliberately_reduced_assets: bool = False

    @field_validator("financial_year")
    @classmethod
    def _financial_year_format(cls, value: str) -> str:
        try:
            check_financial_year(value)
        except ValueError as exc:
            raise PydanticCustomError("financial_year", str(exc)) from None
        return value

    @model_validator(mode="after")
    def _setting_questions_answered(self) -> ChargingInput:
        if (
            self.care_setting is CareSetting.CARE_HOME_TEMPORARY
            and self.expected_stay_weeks is None
        ):
            raise PydanticCustomError(
                "expected_stay_weeks", QUESTION_MESSAGES["expected_stay_weeks"]
            )
        return self


# ---------------------------------------------------------------------------------------------
# Output


class Outcome(StrEnum):
    CHARGE = "charge"
    FULL_COST_CAPITAL_OVER_LIMIT = "full_cost_capital_over_limit"
    FULL_COST_DECLINED_ASSESSMENT = "full_cost_declined_assessment"
    FREE_SERVICE = "free_service"
    REFER_TO_COUNCIL = "refer_to_council"


class Section(StrEnum):
    CAPITAL = "capital"
    INCOME = "income"
    ALLOWANCES = "allowances"
    CHARGE = "charge"


class Treatment(StrEnum):
    COUNTED = "counted"
    PARTLY_COUNTED = "partly_counted"
    DISREGARDED = "disregarded"
    DEDUCTED = "deducted"
    LIMIT = "limit"
    RESULT = "result"


class BreakdownLine(_Strict):
    section: Section
    label: str
    amount: Decimal | None
    treatment: Treatment
    explanation: str
    source: str | None = None


class AssessedAs(StrEnum):
    CARE_HOME = "care_home"
    CARE_AT_HOME = "care_at_home"


class ChargeFigures(_Strict):
    """The outcome and figures for one period (now, or after the property disregard)."""

    outcome: Outcome
    weekly_charge: Decimal | None
    maximum_ability_to_pay: Decimal | None
    council_contribution: Decimal | None
    breakdown: list[BreakdownLine]


class PropertyDisregardPeriod(_Strict):
    weeks_remaining: int
    explanation: str
    after: ChargeFigures


class DeferredPaymentEstimate(_Strict):
    home_value_counted: Decimal
    equity_limit: Decimal
    disposable_income_allowance: Decimal
    weekly_paid_from_income: Decimal | None
    weekly_amount_deferred: Decimal | None
    weeks_until_equity_limit: int | None
    explanation: list[str]


class RateUsed(_Strict):
    name: str
    label: str
    value: Decimal
    status: RateStatus
    source: str | None


class SettingApplied(_Strict):
    name: str
    value: str
    source: str | None
    status: RateStatus | None


class ChargingResult(_Strict):
    estimate_statement: str
    financial_year: str
    council: str
    care_setting: CareSetting
    assessed_as: AssessedAs
    outcome: Outcome
    weekly_charge: Decimal | None
    maximum_ability_to_pay: Decimal | None
    weekly_cost_of_care: Decimal | None
    council_contribution: Decimal | None
    breakdown: list[BreakdownLine]
    light_touch_likely: bool
    light_touch_reason: str | None
    property_disregard: PropertyDisregardPeriod | None
    deferred_payment: DeferredPaymentEstimate | None
    ucl_comparison: Literal[">", ">="]
    rounding_rule: str
    assumptions: list[str]
    warnings: list[str]
    next_steps: list[str]
    settings_applied: list[SettingApplied]
    rates_used: list[RateUsed]


def _field_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _message_for(error_type: str, loc: tuple[int | str, ...], message: str) -> str:
    last = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if error_type in {
        "money",
        "financial_year",
        "disability_benefit",
        "disability_benefit_rate",
        "disability_benefit_amount",
        "expected_stay_weeks",
    }:
        return message
    if error_type == "extra_forbidden":
        return f"{last} is not a question this calculator asks"
    if len(loc) >= 2 and loc[-2] == "periods" and last in MONEY_FIELDS:
        return f"Select how often you get {MONEY_FIELDS[last][0]}: week, four_weeks, month or year"
    if last in MONEY_FIELDS and error_type == "missing":
        return f"Enter {MONEY_FIELDS[last][0]}"
    if last in QUESTION_MESSAGES:
        return QUESTION_MESSAGES[last]
    return message


def parse_input(data: Mapping[str, object]) -> ChargingInput:
    """Validate answers into a ``ChargingInput``.

    Raises ``ChargingInputError`` naming the first field with a problem; ``errors`` lists
    every problem, each with its field path (like ``income.state_pension``) and message.
    """
    try:
        return ChargingInput.model_validate(data)
    except ValidationError as exc:
        errors: list[FieldError] = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            path = _field_path(loc)
            if err["type"] in {
                "disability_benefit",
                "disability_benefit_rate",
                "disability_benefit_amount",
                "expected_stay_weeks",
            }:
                path = _field_path((*loc, err["type"]))
            errors.append(FieldError(path, _message_for(err["type"], loc, err["msg"])))
        raise ChargingInputError(errors[0].field, errors[0].message, errors=tuple(errors)) from None
