"""The care cost calculator: Care Act 2014 charging rules, rates per financial year and council
policy profiles.

Public API::

    calculate(inp, *, rates=None, policy=None) -> ChargingResult
    parse_input(data) -> ChargingInput
    parse_money(text, *, field="amount", label="the amount", maximum=...) -> Decimal
    load_rates(year, *, data_dir=None) -> RateTable
    available_years(*, data_dir=None) -> list[str]
    load_policy(name="kent", *, data_dir=None) -> CouncilPolicy
    load_policy_file(path) -> CouncilPolicy
    input_json_schema() -> dict
    output_json_schema() -> dict
"""

from careassure.core.charging.engine import calculate
from careassure.core.charging.errors import (
    ChargingDataError,
    ChargingError,
    ChargingInputError,
    FieldError,
    MissingRateError,
    UnknownFinancialYearError,
)
from careassure.core.charging.models import (
    AmountPeriod,
    BreakdownLine,
    CapitalInput,
    CareSetting,
    ChargeFigures,
    ChargingInput,
    ChargingResult,
    DeferredPaymentEstimate,
    DisabilityBenefit,
    DisabilityBenefitRate,
    DreItem,
    FreeService,
    HomeInput,
    HomeOccupant,
    HousingCostsInput,
    IncomeInput,
    IncomePeriods,
    Outcome,
    PropertyDisregardPeriod,
    parse_input,
)
from careassure.core.charging.money import parse_money
from careassure.core.charging.policy import (
    CouncilPolicy,
    MigBand,
    available_policies,
    load_policy,
    load_policy_file,
)
from careassure.core.charging.rates import (
    DEFAULT_DATA_DIR,
    RateEntry,
    RateName,
    RateStatus,
    RateTable,
    available_years,
    load_rates,
)
from careassure.core.charging.schema import input_json_schema, output_json_schema

__all__ = [
    "DEFAULT_DATA_DIR",
    "AmountPeriod",
    "BreakdownLine",
    "CapitalInput",
    "CareSetting",
    "ChargeFigures",
    "ChargingDataError",
    "ChargingError",
    "ChargingInput",
    "ChargingInputError",
    "ChargingResult",
    "CouncilPolicy",
    "DeferredPaymentEstimate",
    "DisabilityBenefit",
    "DisabilityBenefitRate",
    "DreItem",
    "FieldError",
    "FreeService",
    "HomeInput",
    "HomeOccupant",
    "HousingCostsInput",
    "IncomeInput",
    "IncomePeriods",
    "MigBand",
    "MissingRateError",
    "Outcome",
    "PropertyDisregardPeriod",
    "RateEntry",
    "RateName",
    "RateStatus",
    "RateTable",
    "UnknownFinancialYearError",
    "available_policies",
    "available_years",
    "calculate",
    "input_json_schema",
    "load_policy",
    "load_policy_file",
    "load_rates",
    "output_json_schema",
    "parse_input",
    "parse_money",
]
