"""Shared helpers for the charging calculator tests."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from careassure.core.charging import (
    ChargingInput,
    ChargingResult,
    CouncilPolicy,
    calculate,
    load_policy,
    parse_input,
)

TEST_DATA = Path(__file__).parent / "data"
EXAMPLES = TEST_DATA / "examples"


def example_answers(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def answers(**overrides: Any) -> dict[str, Any]:
    """A working-age single person at home in 2024-25 with nothing else entered."""
    base: dict[str, Any] = {
        "financial_year": "2024-25",
        "care_setting": "home_care",
        "age": 40,
        "reached_pension_credit_age": False,
    }
    base.update(overrides)
    return base


def run(data: dict[str, Any], policy: CouncilPolicy | None = None) -> ChargingResult:
    inp: ChargingInput = parse_input(data)
    return calculate(inp, policy=policy or load_policy("kent"))


def line_amount(result: ChargingResult, label: str) -> Decimal | None:
    matches = [line.amount for line in result.breakdown if line.label == label]
    assert len(matches) == 1, f"expected one {label!r} line, found {len(matches)}"
    return matches[0]
