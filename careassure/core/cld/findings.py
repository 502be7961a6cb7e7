"""Findings: one record per fault, in the shape of reference §4.8."""

from __future__ import annotations

import hashlib
import os
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

MASK_SALT_ENV = "CAREASSURE_CLD_MASK_SALT"
DEFAULT_MASK_SALT = "careassure-cld"
FREE_TEXT_PLACEHOLDER = "(free text not shown)"

RULE_TITLES: dict[str, str] = {
    "F01": "header row",
    "F02": "column order",
    "F03": "file encoding",
    "F04": "row structure",
    "F05": "one council per file",
    "F06": "reporting period",
    "F07": "reporting period in the future",
    "F08": "no data rows",
    "F09": "identical rows",
    "F10": "field too long",
    "T01": "date",
    "T02": "decimal(18,2)",
    "T03": "whole number",
    "T04": "NHS number",
    "T05": "postcode",
    "T06": "text length",
    "T07": "spreadsheet formula prefix",
    "T08": "literal NULL text",
    "T09": "CQC location id",
    "C01": "release of the file",
    "C03": "capitalisation or spacing",
    "C04": "value from the other release",
    "C05": "unknown code",
    "C06": "Referral event type",
    "C07": "outcome on a financial assessment",
    "C08": "Self-Funder Metering Only",
    "C09": "Direct payment with a Prison service",
    "A01": "carer known by association with event fields",
    "M01": "mandatory field blank",
    "X01": "field not applicable",
    "D01": "end before start",
    "D03": "event ended before the reporting period",
    "D04": "service ended before the reporting period",
    "D05": "event starts after the reporting period",
    "D06": "event ended after the reporting period",
    "D07": "date of death without an end date",
    "D08": "death before the event start",
    "D09": "service ends after death",
    "D10": "date of birth after the event or death",
    "D11": "age over the maximum",
    "D12": "service user under 18",
    "R01": "conflicting person details",
    "R02": "linked person not in file",
    "R03": "duplicate event with different outcomes",
    "R04": "NHS number and LA id disagree",
    "R05": "stale open service",
    "R06": "open service starting on 1 April",
}


@dataclass(frozen=True)
class Finding:
    """One fault.

    `row` is the physical line number in the file (the header is line 1); it is None for a
    file-level finding. `value` is already masked when the column holds personal data.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    severity: Severity
    message: str
    release: str | None = None

    def as_contract(self) -> dict[str, object]:
        """The six keys of the `metrics validate --format json` contract."""
        data = asdict(self)
        return {k: data[k] for k in ("file", "row", "column", "value", "rule", "severity")}


def mask_salt() -> str:
    return os.environ.get(MASK_SALT_ENV, DEFAULT_MASK_SALT)


def mask_value(value: str, salt: str | None = None) -> str:
    """`#<4 hex of salted SHA-256>…(<length>)`, as reference §4.8 describes."""
    digest = hashlib.sha256(((salt or mask_salt()) + value).encode("utf-8")).hexdigest()
    return f"#{digest[:4]}…({len(value)})"
