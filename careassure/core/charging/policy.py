"""A council's charging discretions, loaded from ``core/data/charging/policies/<name>.yaml``.

The statutory floors live in the rates files; everything a council decides for itself lives
here, each setting with the source of the council's position and its status.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from careassure.core.charging.errors import ChargingDataError
from careassure.core.charging.rates import (
    DEFAULT_DATA_DIR,
    RateStatus,
    check_financial_year,
    format_validation_error,
    read_yaml,
)


class MigBand(StrEnum):
    """The MIG base-rate bands of reg 7."""

    SINGLE_18_TO_24 = "single_18_to_24"
    SINGLE_25_TO_PENSION_CREDIT_AGE = "single_25_to_pension_credit_age"
    LONE_PARENT = "lone_parent"
    SINGLE_PENSION_CREDIT_AGE = "single_pension_credit_age"
    COUPLE_18_PLUS = "couple_18_plus"
    COUPLE_PENSION_CREDIT_AGE = "couple_pension_credit_age"


Treatment = Literal["count", "disregard"]


class SettingSource(BaseModel):
    """Where the council's position on one setting comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str
    status: RateStatus


class CouncilPolicy(BaseModel):
    """One council's charging discretions (reference section 10)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9-]+$")
    display_name: str
    percentage_charged: Decimal = Field(default=Decimal(100), gt=0, le=100)
    minimum_weekly_charge: Decimal | None = Field(default=None, ge=0)
    dre_method: Literal["flat", "individual"] = "individual"
    dre_flat_weekly_amount: Decimal | None = Field(default=None, ge=0)
    dre_individual_assessment_on_request: bool = True
    night_element: Treatment = "count"
    night_element_by_year: dict[str, Treatment] = Field(default_factory=dict)
    ucl_comparison: Literal[">", ">="] = ">"
    non_residential_lower_capital_limit: Decimal | None = Field(default=None, ge=0)
    non_residential_upper_capital_limit: Decimal | None = Field(default=None, ge=0)
    savings_credit_non_residential: Treatment = "count"
    pea_weekly_uplift: Decimal = Field(default=Decimal(0), ge=0)
    mig_weekly_uplift: Decimal = Field(default=Decimal(0), ge=0)
    mig_percentage_uplift: Decimal = Field(default=Decimal(0), ge=0)
    local_mig: dict[str, dict[MigBand, Decimal]] = Field(default_factory=dict)
    discretionary_property_disregard: bool = False
    short_stays_as_non_residential: bool = False
    halve_joint_household_costs: bool = True
    refer_if_carers_allowance: bool = False
    refer_if_benefits_for_dependants: bool = False
    arrangement_fee: str | None = None
    unverified_rates: Literal["warn", "refuse"] = "warn"
    sources: dict[str, SettingSource] = Field(default_factory=dict)

    @field_validator("night_element_by_year", "local_mig")
    @classmethod
    def _years_look_right(cls, value: dict[str, object]) -> dict[str, object]:
        for year in value:
            check_financial_year(year)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CouncilPolicy:
        if self.dre_method == "flat" and self.dre_flat_weekly_amount is None:
            raise ValueError("dre_flat_weekly_amount is needed when dre_method is flat")
        lower = self.non_residential_lower_capital_limit
        upper = self.non_residential_upper_capital_limit
        if lower is not None and upper is not None and lower >= upper:
            raise ValueError("the non-residential lower capital limit must be below the upper")
        unknown = set(self.sources) - set(type(self).model_fields)
        if unknown:
            raise ValueError(f"sources names settings that do not exist: {sorted(unknown)}")
        return self

    def night_element_for(self, year: str) -> Treatment:
        return self.night_element_by_year.get(year, self.night_element)


def _policies_dir(data_dir: Path | None) -> Path:
    return (data_dir or DEFAULT_DATA_DIR) / "policies"


def available_policies(*, data_dir: Path | None = None) -> list[str]:
    """Names of the council policy profiles in the data directory."""
    folder = _policies_dir(data_dir)
    return sorted(path.stem for path in folder.glob("*.yaml")) if folder.is_dir() else []


def load_policy_file(file: Path) -> CouncilPolicy:
    """Load and validate a council policy profile from any file."""
    raw = read_yaml(file)
    try:
        return CouncilPolicy.model_validate(raw)
    except ValidationError as exc:
        raise format_validation_error(file, exc) from exc


def load_policy(name: str = "kent", *, data_dir: Path | None = None) -> CouncilPolicy:
    """Load the council policy profile called ``name`` (Kent's by default)."""
    return _load_policy_cached(name, (data_dir or DEFAULT_DATA_DIR).resolve())


@lru_cache(maxsize=16)
def _load_policy_cached(name: str, data_dir: Path) -> CouncilPolicy:
    file = _policies_dir(data_dir) / f"{name}.yaml"
    if not file.is_file():
        known = ", ".join(available_policies(data_dir=data_dir)) or "none"
        raise ChargingDataError(
            str(file), "", f"there is no council policy called {name!r} (known: {known})"
        )
    policy = load_policy_file(file)
    if policy.name != name:
        raise ChargingDataError(
            str(file), "name", f"says {policy.name!r} but the file is named for {name!r}"
        )
    return policy
