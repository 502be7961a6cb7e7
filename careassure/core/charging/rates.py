"""Statutory rates per financial year, loaded from ``core/data/charging/rates/<year>.yaml``.

Every rate carries its status (verified, derived, to verify, not retrieved) and its source.
A rate with no value cannot be used: asking for it raises ``MissingRateError`` naming the
year and the rate, rather than guessing.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from careassure.core.charging.errors import (
    ChargingDataError,
    MissingRateError,
    UnknownFinancialYearError,
)

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "charging"
FINANCIAL_YEAR_PATTERN = r"^\d{4}-\d{2}$"


class RateStatus(StrEnum):
    VERIFIED = "verified"
    DERIVED = "derived"
    TO_VERIFY = "to_verify"
    NOT_RETRIEVED = "not_retrieved"


class RateName(StrEnum):
    UPPER_CAPITAL_LIMIT = "upper_capital_limit"
    LOWER_CAPITAL_LIMIT = "lower_capital_limit"
    TARIFF_CAPITAL_STEP = "tariff_capital_step"
    TARIFF_INCOME_PER_STEP = "tariff_income_per_step"
    PERSONAL_EXPENSES_ALLOWANCE = "personal_expenses_allowance"
    SAVINGS_DISREGARD_SINGLE = "savings_disregard_single"
    SAVINGS_DISREGARD_COUPLE = "savings_disregard_couple"
    MIG_SINGLE_18_TO_24 = "mig_single_18_to_24"
    MIG_SINGLE_25_TO_PENSION_CREDIT_AGE = "mig_single_25_to_pension_credit_age"
    MIG_LONE_PARENT = "mig_lone_parent"
    MIG_SINGLE_PENSION_CREDIT_AGE = "mig_single_pension_credit_age"
    MIG_COUPLE_18_PLUS = "mig_couple_18_plus"
    MIG_COUPLE_PENSION_CREDIT_AGE = "mig_couple_pension_credit_age"
    MIG_DISABILITY_PREMIUM_SINGLE = "mig_disability_premium_single"
    MIG_ENHANCED_DISABILITY_PREMIUM_SINGLE = "mig_enhanced_disability_premium_single"
    MIG_DISABILITY_PREMIUM_COUPLE = "mig_disability_premium_couple"
    MIG_ENHANCED_DISABILITY_PREMIUM_COUPLE = "mig_enhanced_disability_premium_couple"
    MIG_CARER_PREMIUM = "mig_carer_premium"
    MIG_DEPENDENT_CHILD = "mig_dependent_child"
    NIGHT_CARE_DIFFERENCE = "night_care_difference"
    AA_HIGHER_RATE = "aa_higher_rate"
    AA_LOWER_RATE = "aa_lower_rate"
    PIP_DAILY_LIVING_ENHANCED = "pip_daily_living_enhanced"
    PIP_MOBILITY_ENHANCED = "pip_mobility_enhanced"
    PIP_MOBILITY_STANDARD = "pip_mobility_standard"
    WAR_WIDOW_PENSION_DISREGARD = "war_widow_pension_disregard"
    PROPERTY_DISREGARD_WEEKS = "property_disregard_weeks"
    SHORT_STAY_MAXIMUM_WEEKS = "short_stay_maximum_weeks"
    DPA_DISPOSABLE_INCOME_ALLOWANCE = "dpa_disposable_income_allowance"
    DPA_EQUITY_LIMIT_FRACTION = "dpa_equity_limit_fraction"


RATE_LABELS: dict[RateName, str] = {
    RateName.UPPER_CAPITAL_LIMIT: "the upper capital limit",
    RateName.LOWER_CAPITAL_LIMIT: "the lower capital limit",
    RateName.TARIFF_CAPITAL_STEP: "the capital step for tariff income",
    RateName.TARIFF_INCOME_PER_STEP: "the tariff income for each step",
    RateName.PERSONAL_EXPENSES_ALLOWANCE: "the Personal Expenses Allowance",
    RateName.SAVINGS_DISREGARD_SINGLE: "the savings disregard (single)",
    RateName.SAVINGS_DISREGARD_COUPLE: "the savings disregard (couple)",
    RateName.MIG_SINGLE_18_TO_24: "the MIG for a single person aged 18 to 24",
    RateName.MIG_SINGLE_25_TO_PENSION_CREDIT_AGE: (
        "the MIG for a single person aged 25 to Pension Credit age"
    ),
    RateName.MIG_LONE_PARENT: "the MIG for a lone parent aged 18 or over",
    RateName.MIG_SINGLE_PENSION_CREDIT_AGE: (
        "the MIG for a single person at or over Pension Credit age"
    ),
    RateName.MIG_COUPLE_18_PLUS: "the MIG for a member of a couple, one or both aged 18 or over",
    RateName.MIG_COUPLE_PENSION_CREDIT_AGE: (
        "the MIG for a member of a couple, one or both at Pension Credit age"
    ),
    RateName.MIG_DISABILITY_PREMIUM_SINGLE: "the disability premium (single)",
    RateName.MIG_ENHANCED_DISABILITY_PREMIUM_SINGLE: "the enhanced disability premium (single)",
    RateName.MIG_DISABILITY_PREMIUM_COUPLE: "the disability premium (member of a couple)",
    RateName.MIG_ENHANCED_DISABILITY_PREMIUM_COUPLE: (
        "the enhanced disability premium (member of a couple)"
    ),
    RateName.MIG_CARER_PREMIUM: "the carer premium",
    RateName.MIG_DEPENDENT_CHILD: "the MIG amount for each dependent child",
    RateName.NIGHT_CARE_DIFFERENCE: (
        "the night care difference (higher minus lower rate of AA, DLA care or PIP daily living)"
    ),
    RateName.AA_HIGHER_RATE: "the higher rate of Attendance Allowance",
    RateName.AA_LOWER_RATE: "the lower rate of Attendance Allowance",
    RateName.PIP_DAILY_LIVING_ENHANCED: "the enhanced rate of PIP daily living",
    RateName.PIP_MOBILITY_ENHANCED: "the enhanced rate of PIP mobility",
    RateName.PIP_MOBILITY_STANDARD: "the standard rate of PIP mobility",
    RateName.WAR_WIDOW_PENSION_DISREGARD: "the war widow's or widower's pension disregard",
    RateName.PROPERTY_DISREGARD_WEEKS: "the length of the property disregard in weeks",
    RateName.SHORT_STAY_MAXIMUM_WEEKS: "the longest short stay charged as care at home, in weeks",
    RateName.DPA_DISPOSABLE_INCOME_ALLOWANCE: "the deferred payment disposable income allowance",
    RateName.DPA_EQUITY_LIMIT_FRACTION: (
        "the share of the home's value a deferred payment may reach"
    ),
}


class RateEntry(BaseModel):
    """One rate: its value (or none), status and citation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: Decimal | None = Field(default=None, ge=0)
    status: RateStatus
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _value_matches_status(self) -> RateEntry:
        if self.status is RateStatus.NOT_RETRIEVED and self.value is not None:
            raise ValueError("a rate with status not_retrieved must not have a value")
        if self.status is not RateStatus.NOT_RETRIEVED and self.value is None:
            raise ValueError(f"a rate with status {self.status.value} needs a value")
        if self.value is not None and not self.source and self.status is RateStatus.VERIFIED:
            raise ValueError("a verified rate needs a source")
        return self


class RateTable(BaseModel):
    """The rates for one financial year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    financial_year: str = Field(pattern=FINANCIAL_YEAR_PATTERN)
    rates: dict[RateName, RateEntry]

    @field_validator("financial_year")
    @classmethod
    def _consecutive_years(cls, value: str) -> str:
        check_financial_year(value)
        return value

    def entry(self, name: RateName) -> RateEntry | None:
        return self.rates.get(name)

    def value(self, name: RateName) -> Decimal:
        """The value of a rate, or ``MissingRateError`` naming the year and the rate."""
        entry = self.rates.get(name)
        label = RATE_LABELS[name]
        if entry is None:
            raise MissingRateError(self.financial_year, name.value, label, "it is not in the file")
        if entry.value is None:
            raise MissingRateError(
                self.financial_year, name.value, label, "its status is not retrieved"
            )
        return entry.value


def check_financial_year(value: str) -> None:
    """Raise ``ValueError`` unless ``value`` looks like ``2025-26`` (consecutive years)."""
    if not re.match(FINANCIAL_YEAR_PATTERN, value):
        raise ValueError("Enter the financial year like 2025-26")
    first, second = int(value[:4]), int(value[5:])
    if (first + 1) % 100 != second:
        raise ValueError("Enter the financial year like 2025-26, with consecutive years")


def format_validation_error(file: Path, exc: ValidationError) -> ChargingDataError:
    """Turn a pydantic error into one naming the file, the path inside it and the problem."""
    first = exc.errors()[0]
    path = ".".join(str(part) for part in first["loc"])
    problems = "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
    )
    return ChargingDataError(str(file), path, problems)


def read_yaml(file: Path) -> Any:  # noqa: ANN401 - YAML can hold any value
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ChargingDataError(str(file), "", f"cannot be read ({exc.strerror})") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChargingDataError(str(file), "", f"is not valid YAML ({exc})") from exc


def _rates_dir(data_dir: Path | None) -> Path:
    return (data_dir or DEFAULT_DATA_DIR) / "rates"


def available_years(*, data_dir: Path | None = None) -> list[str]:
    """Financial years that have a rates file, oldest first."""
    folder = _rates_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(
        path.stem for path in folder.glob("*.yaml") if re.match(FINANCIAL_YEAR_PATTERN, path.stem)
    )


def load_rates(year: str, *, data_dir: Path | None = None) -> RateTable:
    """Load and validate the rates for ``year`` (like ``2025-26``).

    ``data_dir`` points at another charging data directory (holding ``rates/<year>.yaml``);
    by default the package's own data is used.
    """
    return _load_rates_cached(year, (data_dir or DEFAULT_DATA_DIR).resolve())


@lru_cache(maxsize=32)
def _load_rates_cached(year: str, data_dir: Path) -> RateTable:
    file = _rates_dir(data_dir) / f"{year}.yaml"
    if not file.is_file():
        raise UnknownFinancialYearError(year, available_years(data_dir=data_dir))
    raw = read_yaml(file)
    try:
        table = RateTable.model_validate(raw)
    except ValidationError as exc:
        raise format_validation_error(file, exc) from exc
    if table.financial_year != year:
        raise ChargingDataError(
            str(file),
            "financial_year",
            f"says {table.financial_year} but the file is named for {year}",
        )
    return table
