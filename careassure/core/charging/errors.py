"""Exceptions raised by the charging calculator."""

from __future__ import annotations

from dataclasses import dataclass


class ChargingError(Exception):
    """Base class for every error the charging calculator raises."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field, in GOV.UK error-message style."""

    field: str
    message: str


class ChargingInputError(ChargingError):
    """The person's input is not usable; names the field and says how to fix it.

    ``field`` and ``message`` describe the first problem; ``errors`` lists them all
    (a web form shows every one in its error summary).
    """

    def __init__(
        self, field: str, message: str, *, errors: tuple[FieldError, ...] | None = None
    ) -> None:
        self.field = field
        self.message = message
        self.errors: tuple[FieldError, ...] = errors or (FieldError(field, message),)
        super().__init__(f"{field}: {message}")


class ChargingDataError(ChargingError):
    """A rates or council policy file is missing or invalid."""

    def __init__(self, file: str, path: str, problem: str) -> None:
        self.file = file
        self.path = path
        self.problem = problem
        where = f"{file}: {path}" if path else file
        super().__init__(f"{where}: {problem}")


class UnknownFinancialYearError(ChargingError):
    """There is no rates file for the financial year asked for."""

    def __init__(self, year: str, available: list[str]) -> None:
        self.year = year
        self.available = available
        listed = ", ".join(available) if available else "none"
        super().__init__(
            f"There are no charging rates for the financial year {year}. "
            f"Years with rates: {listed}."
        )


class MissingRateError(ChargingError):
    """A rate the calculation needs has no value for the financial year."""

    def __init__(self, year: str, rate: str, label: str, reason: str) -> None:
        self.year = year
        self.rate = rate
        self.label = label
        self.reason = reason
        super().__init__(
            f"The {year} rates have no usable value for {label} ({rate}): {reason}. "
            f"Add the figure and its source to the {year} rates file."
        )
