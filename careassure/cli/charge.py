"""``careassure charge``: estimate a person's weekly charge for care from a JSON answers file."""

from __future__ import annotations

import enum
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from careassure.core.charging import (
    ChargingError,
    ChargingInputError,
    ChargingResult,
    CouncilPolicy,
    calculate,
    load_policy,
    load_policy_file,
    load_rates,
    parse_input,
)
from careassure.core.charging.money import format_money


class OutputFormat(enum.StrEnum):
    JSON = "json"
    TEXT = "text"


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=2)


def _read_answers(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(f"{path}: cannot be read ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise _fail(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from exc
    if not isinstance(data, dict):
        raise _fail(f"{path}: the answers must be a JSON object")
    return data


def _policy(name_or_file: str, data_dir: Path | None) -> CouncilPolicy:
    candidate = Path(name_or_file)
    if candidate.suffix in {".yaml", ".yml"}:
        return load_policy_file(candidate)
    return load_policy(name_or_file, data_dir=data_dir)


def _money(amount: Decimal | None) -> str:
    return format_money(amount) if amount is not None else "not worked out"


def render_text(result: ChargingResult) -> str:
    """A plain-text version of the result, for reading in a terminal."""
    out = [
        f"Estimated weekly charge: {_money(result.weekly_charge)} ({result.outcome.value})",
        f"Maximum ability to pay: {_money(result.maximum_ability_to_pay)}",
        f"Weekly cost of care: {_money(result.weekly_cost_of_care)}",
        f"Council's contribution: {_money(result.council_contribution)}",
        f"Council: {result.council}; financial year {result.financial_year}",
        "",
        "Breakdown:",
    ]
    for line in result.breakdown:
        amount = format_money(line.amount) if line.amount is not None else "-"
        out.append(f"  [{line.section.value}] {line.label}: {amount} ({line.treatment.value})")
        out.append(f"      {line.explanation}")
    if result.property_disregard is not None:
        later = result.property_disregard
        out += [
            "",
            f"After the {later.weeks_remaining} remaining weeks of the property disregard: "
            f"{_money(later.after.weekly_charge)} ({later.after.outcome.value})",
        ]
    if result.deferred_payment is not None:
        out += ["", "Deferred payment (indicative):"]
        out += [f"  - {text}" for text in result.deferred_payment.explanation]
    for title, items in (
        ("Warnings", result.warnings),
        ("Assumptions", result.assumptions),
        ("Next steps", result.next_steps),
    ):
        if items:
            out += ["", f"{title}:"] + [f"  - {item}" for item in items]
    out += ["", result.estimate_statement]
    return "\n".join(out)


def charge(
    input_file: Annotated[
        Path, typer.Option("--input", help="JSON file of answers (see docs/charging.md)")
    ],
    year: Annotated[
        str | None,
        typer.Option("--year", help="Financial year like 2025-26; overrides the file's"),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="json or text")
    ] = OutputFormat.JSON,
    policy: Annotated[
        str, typer.Option("--policy", help="Council policy profile name, or a .yaml file")
    ] = "kent",
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Another charging data directory (rates/, policies/)"),
    ] = None,
) -> None:
    """Estimate the weekly charge for care under the Care Act 2014 charging rules."""
    answers = _read_answers(input_file)
    if year is not None:
        answers["financial_year"] = year
    try:
        inp = parse_input(answers)
    except ChargingInputError as exc:
        problems = "\n".join(f"{input_file}: {err.field}: {err.message}" for err in exc.errors)
        raise _fail(problems) from exc
    try:
        council = _policy(policy, data_dir)
        rates = load_rates(inp.financial_year, data_dir=data_dir)
        result = calculate(inp, rates=rates, policy=council)
    except ChargingError as exc:
        raise _fail(str(exc)) from exc
    if output_format is OutputFormat.JSON:
        typer.echo(result.model_dump_json(indent=2))
    else:
        typer.echo(render_text(result))
