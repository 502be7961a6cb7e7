"""Exceptions raised by the operational KPI package."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExtractFinding:
    """One problem in an extract file.

    ``row`` counts the header as row 1, so the first data row is row 2; it is 1 for
    problems with the header itself, and 0 for problems with the file or folder as a whole.
    """

    file: str
    row: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        if self.row == 0:
            return f"{self.file}: {self.rule}"
        return (
            f"{self.file}, row {self.row}, column {self.column}, value {self.value!r}: {self.rule}"
        )


class KpiError(Exception):
    """Base class for errors in the operational KPI package."""


class KpiExtractError(KpiError):
    """An extract failed validation; nothing was loaded."""

    MAX_SHOWN = 20

    def __init__(self, findings: list[ExtractFinding]) -> None:
        self.findings = list(findings)
        shown = "\n".join(f"  {f}" for f in self.findings[: self.MAX_SHOWN])
        more = len(self.findings) - self.MAX_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        super().__init__(
            f"{len(self.findings)} problem(s) found in the extracts; nothing was loaded:\n"
            f"{shown}{tail}"
        )


class KpiConfigError(KpiError):
    """A KPI metadata or locality grouping file is invalid."""


class SpcError(KpiError):
    """A series cannot be analysed with statistical process control."""
