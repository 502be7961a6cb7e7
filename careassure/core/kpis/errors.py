"""Exceptions raised by the operational KPI package."""

from __future__ import annotations

from careassure.core.problems import FileProblem

# One problem in an extract file; a header problem has row 1.
ExtractFinding = FileProblem


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
