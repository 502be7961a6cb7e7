"""The council's charging configuration for the web pages and the API, and running an estimate.

Nothing here touches the database: rates and the council policy are data files, loaded once per
process (the core caches them) and chosen by settings:

* ``CAREASSURE_CHARGING_POLICY``: the council policy profile name (default ``"kent"``).
* ``CAREASSURE_CHARGING_DATA_DIR``: another charging data directory (``rates/``, ``policies/``);
  ``None`` uses the package's own data.
* ``CAREASSURE_CHARGING_YEAR``: the financial year the questions start with. When it is not
  set, the newest year whose rates can estimate a single person's charge in both settings.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from careassure.core.charging import (
    ChargingError,
    ChargingInput,
    ChargingResult,
    CouncilPolicy,
    RateTable,
    available_years,
    calculate,
    load_policy,
    load_rates,
    parse_input,
)


def data_dir() -> Path | None:
    configured = getattr(settings, "CAREASSURE_CHARGING_DATA_DIR", None)
    return Path(configured) if configured else None


@lru_cache(maxsize=16)
def _policy(name: str, folder: Path | None) -> CouncilPolicy:
    return load_policy(name, data_dir=folder)


@lru_cache(maxsize=64)
def _rates(year: str, folder: Path | None) -> RateTable:
    return load_rates(year, data_dir=folder)


def council_policy() -> CouncilPolicy:
    """The council policy profile this service estimates for (loaded once per process)."""
    return _policy(getattr(settings, "CAREASSURE_CHARGING_POLICY", "kent"), data_dir())


def financial_years() -> list[str]:
    """Years that have a rates file, newest first."""
    return list(reversed(available_years(data_dir=data_dir())))


def estimate(inp: ChargingInput) -> ChargingResult:
    """Run the calculation with the configured rates and policy.

    Raises ``UnknownFinancialYearError`` or ``MissingRateError`` (both ``ChargingError``) when
    the year's rates cannot support the estimate.
    """
    rates = _rates(inp.financial_year, data_dir())
    return calculate(inp, rates=rates, policy=council_policy())


def estimate_answers(answers: dict[str, Any]) -> ChargingResult:
    """Validate answers in the input schema (raises ``ChargingInputError``) and estimate."""
    return estimate(parse_input(answers))


def _financial_year_of(day: dt.date) -> str:
    first = day.year if day.month >= 4 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


@lru_cache(maxsize=8)
def _usable_years(policy_name: str, folder: Path | None) -> tuple[str, ...]:
    """Years whose rates estimate a single person at home and in a care home without a
    missing rate (both at and under Pension Credit age)."""
    usable = []
    for year in financial_years():
        try:
            for setting in ("home_care", "care_home_permanent"):
                for age, pension_age in ((40, False), (80, True)):
                    estimate(
                        parse_input(
                            {
                                "financial_year": year,
                                "care_setting": setting,
                                "age": age,
                                "reached_pension_credit_age": pension_age,
                            }
                        )
                    )
        except ChargingError:
            continue
        usable.append(year)
    return tuple(usable)


def default_financial_year(today: dt.date | None = None) -> str:
    """The year the questions start with: the setting, else the current financial year if its
    rates are complete enough, else the newest year that is."""
    configured = getattr(settings, "CAREASSURE_CHARGING_YEAR", None)
    if configured:
        return str(configured)
    usable = _usable_years(getattr(settings, "CAREASSURE_CHARGING_POLICY", "kent"), data_dir())
    current = _financial_year_of(today or dt.date.today())  # noqa: DTZ011 - a calendar date
    if current in usable:
        return current
    earlier = [year for year in usable if year <= current]
    if earlier:
        return earlier[0]
    years = usable or tuple(financial_years())
    return years[0] if years else current
