"""Errors raised by the case-tracking core."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """One problem in an input file: row (1 is the header), column, value and the rule broken."""

    row: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        shown = f", value {self.value!r}" if self.value else ""
        return f"{where}{shown}: {self.rule}"


class PopulationError(ValueError):
    """The population file is not valid. Carries every problem found, in file order."""

    def __init__(self, file: str, errors: list[RowError]) -> None:
        self.file = file
        self.errors = errors
        first = errors[0] if errors else None
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{file}: {first}{more}")


class PseudonymKeyError(ValueError):
    """The pseudonym key is missing or too short."""


class SamplingError(ValueError):
    """The case list cannot be built with these settings."""
