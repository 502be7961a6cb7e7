"""Money parsing and every rounding step of the charging calculation.

Each concern has one function and names its rounding mode. Where the Regs leave a part of
a penny, it is rounded in the person's favour (reference section 8): amounts the person
pays are rounded down and allowances they keep are rounded up.
"""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from careassure.core.charging.errors import ChargingInputError

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_MAXIMUM = Decimal("100000000")

ROUNDING_RULE = (
    "Amounts are worked out exactly in pounds and pence. Tariff income is a whole number of "
    "pounds: £1 for every £250, or part of £250, above the lower capital limit. Any part of "
    "a penny is rounded in your favour: amounts you pay are rounded down and allowances you "
    "keep are rounded up."
)

_PLAIN = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d{1,2})?$")
_TOO_PRECISE = re.compile(r"^(?:\d+|\d{1,3}(?:,\d{3})+)\.\d{3,}$")


def format_money(amount: Decimal) -> str:
    """Show an amount as £1,234.50 (whole pounds keep their pence: £36.00)."""
    return f"£{amount.quantize(PENNY, rounding=ROUND_HALF_UP):,}"


def _sentence_start(label: str) -> str:
    return label[:1].upper() + label[1:]


def parse_money(
    text: str,
    *,
    field: str = "amount",
    label: str = "the amount",
    maximum: Decimal = DEFAULT_MAXIMUM,
) -> Decimal:
    """Turn what a person typed (``"£1,234.50"``, ``" 1234 "``, ``"1,000"``) into pounds.

    Raises ``ChargingInputError(field, message)`` for an empty answer, a negative amount,
    anything that is not an amount of money (including ``"1e9"``), more than 2 decimal
    places, or an amount above ``maximum``.
    """
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        raise ChargingInputError(field, f"Enter {label}")
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    if cleaned.startswith("£"):
        cleaned = cleaned[1:]
    if not negative and cleaned.startswith("-"):
        negative = True
        cleaned = cleaned[1:]
    if _TOO_PRECISE.match(cleaned):
        raise ChargingInputError(field, f"Enter {label} in pounds and pence, like 1500 or 1500.50")
    if not _PLAIN.match(cleaned):
        raise ChargingInputError(
            field, f"Enter {label} as an amount of money, like 1500 or 1500.50"
        )
    if negative:
        raise ChargingInputError(field, f"{_sentence_start(label)} must be £0 or more")
    amount = Decimal(cleaned.replace(",", "")).quantize(PENNY)
    if amount > maximum:
        raise ChargingInputError(
            field, f"{_sentence_start(label)} must be {format_money(maximum)} or less"
        )
    return amount


def round_charge(amount: Decimal) -> Decimal:
    """A part of a penny in an amount the person pays is rounded down (their favour)."""
    return amount.quantize(PENNY, rounding=ROUND_DOWN)


def round_allowance(amount: Decimal) -> Decimal:
    """A part of a penny in an allowance the person keeps is rounded up (their favour)."""
    return amount.quantize(PENNY, rounding=ROUND_UP)


def share_of_joint_amount(total: Decimal, owners: int) -> Decimal:
    """The person's equal share of capital or income held jointly by ``owners`` people.

    The share counts towards what the person pays, so a part of a penny is rounded down.
    """
    return round_charge(total / owners)


def apply_percentage_charged(disposable: Decimal, percentage: Decimal) -> Decimal:
    """The local percentage of disposable income that is charged, rounded down to a penny."""
    return round_charge(disposable * percentage / Decimal(100))


def uplift_allowance(amount: Decimal, percentage: Decimal) -> Decimal:
    """An allowance raised by a local percentage, rounded up to a penny."""
    return round_allowance(amount * (Decimal(100) + percentage) / Decimal(100))


def tariff_steps(capital: Decimal, lower_limit: Decimal, step: Decimal) -> int:
    """Whole ``step``s, or parts of a step, of capital above the lower limit (reg 25).

    Worked in integer pence so that no part of a step is lost:
    ``ceil((capital_pence - lower_pence) / step_pence)``.
    """
    capital_pence = int((capital * 100).to_integral_value(rounding=ROUND_CEILING))
    lower_pence = int((lower_limit * 100).to_integral_value(rounding=ROUND_HALF_UP))
    step_pence = int((step * 100).to_integral_value(rounding=ROUND_HALF_UP))
    excess = capital_pence - lower_pence
    if excess <= 0:
        return 0
    return -(-excess // step_pence)


def monthly_to_weekly(amount: Decimal) -> Decimal:
    """A monthly amount of income as a weekly one: × 12 ÷ 52, any part of a penny rounded
    down (income counts towards the charge, so down is in the person's favour)."""
    return round_charge(amount * 12 / 52)


def four_weekly_to_weekly(amount: Decimal) -> Decimal:
    """An amount of income paid every 4 weeks as a weekly one: ÷ 4, rounded down to a penny."""
    return round_charge(amount / 4)


def yearly_to_weekly(amount: Decimal) -> Decimal:
    """A yearly amount of income as a weekly one: ÷ 52, rounded down to a penny."""
    return round_charge(amount / 52)


def weeks_covered(total: Decimal, weekly: Decimal) -> int:
    """Whole weeks a total lasts at a weekly amount (any part week is not counted)."""
    return int((total / weekly).to_integral_value(rounding=ROUND_DOWN))
