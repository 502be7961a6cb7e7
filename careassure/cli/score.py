"""``careassure score``: overall percentage, rating and position in band from QS scores."""

from __future__ import annotations

import csv
import enum
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from careassure.core.scoring import (
    FULL_ASSESSMENT_COUNT,
    POSITION_DISCLAIMER,
    OverallResult,
    Rating,
    ScoreRow,
    ScoreTableError,
    ScoringError,
    parse_score_text,
    read_score_table,
    score_overall,
)

#: Keys of each object in ``--csv`` JSON output, and the columns of ``--csv`` CSV output.
ROW_KEYS = ("la_name", "total", "max", "percent", "rating", "position")
NOT_SCORED_MARKS = ("-", "")

app = typer.Typer(help="Work out the overall CQC percentage, rating and position in band.")


class OutputFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    TABLE = "table"
    CSV = "csv"


def _points(count: int) -> str:
    return f"{count} point" if count == 1 else f"{count} points"


def describe(result: OverallResult) -> str:
    """One line: ``Total 20 of 36, 56%, requires improvement, nearer upper (17 points above 39,
    7 below 63)``."""
    detail = f"{_points(result.points_above_lower)} above {result.lower_threshold}"
    if result.points_below_next is None:
        detail += "; no rating above"
    else:
        detail += f", {result.points_below_next} below {result.next_threshold}"
    return (
        f"Total {result.total} of {result.max}, {result.percentage}%, {result.rating.value}, "
        f"{result.position.value} ({detail})"
    )


def _exact_2dp(result: OverallResult) -> Decimal:
    return result.percentage_exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _explain(result: OverallResult) -> list[str]:
    lines = [
        f"Exact percentage {_exact_2dp(result)}% ({result.total} \u00f7 {result.max} \u00d7 100), "
        f"rounded half up to {result.percentage}%; rating bands apply to the whole number."
    ]
    if result.partial:
        missing = ", ".join(result.not_scored) or "the rest"
        lines.append(
            f"Partial: {result.n_scored} of {result.expected_count} quality statements scored "
            f"(not scored: {missing}). Do not compare with full assessments."
        )
    lines.append(POSITION_DISCLAIMER)
    return lines


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _row_object(row: ScoreRow) -> dict[str, Any]:
    result = row.result
    if result is None:
        return dict.fromkeys(ROW_KEYS) | {"la_name": row.la_name}
    return {
        "la_name": row.la_name,
        "total": result.total,
        "max": result.max,
        "percent": result.percentage,
        "rating": result.rating.value,
        "position": result.position.value,
    }


def _single_object(result: OverallResult) -> dict[str, Any]:
    return {
        "total": result.total,
        "max": result.max,
        "n_scored": result.n_scored,
        "partial": result.partial,
        "percent": result.percentage,
        "percent_exact": str(_exact_2dp(result)),
        "rating": result.rating.value,
        "position": result.position.value,
        "band_lower": result.lower_threshold,
        "band_upper": result.upper_threshold,
        "points_above_lower": result.points_above_lower,
        "points_below_next": result.points_below_next,
    }


def _print_table(rows: list[dict[str, Any]]) -> None:
    table = Table(title="Overall CQC result by council", caption=POSITION_DISCLAIMER)
    for heading, justify in (
        ("Council", "left"),
        ("Total", "right"),
        ("Max", "right"),
        ("%", "right"),
        ("Rating", "left"),
        ("Position", "left"),
    ):
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    for row in rows:
        if row["total"] is None:
            table.add_row(row["la_name"], "", "", "", "not scored", "")
        else:
            table.add_row(
                row["la_name"],
                str(row["total"]),
                str(row["max"]),
                f"{row['percent']}%",
                Rating(row["rating"]).display,
                row["position"],
            )
    Console(width=120).print(table)


def _print_csv(rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ROW_KEYS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    typer.echo(buffer.getvalue(), nl=False)


def _score_file(path: Path, output_format: OutputFormat) -> None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"{path}: the file is not UTF-8 text ({exc.reason})") from None
    try:
        rows = read_score_table(text, source=str(path))
    except ScoreTableError as exc:
        raise _fail(str(exc).replace("\n", "\nerror: ")) from None
    objects = [_row_object(row) for row in rows]
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(objects, indent=2, ensure_ascii=False))
    elif output_format is OutputFormat.CSV:
        _print_csv(objects)
    elif output_format is OutputFormat.TABLE:
        _print_table(objects)
    else:
        for row in rows:
            if row.result is None:
                typer.echo(f"{row.la_name}: not scored (no quality statement scores)")
            else:
                typer.echo(f"{row.la_name}: {describe(row.result)}")
        typer.echo(POSITION_DISCLAIMER)


def _score_arguments(values: list[str], output_format: OutputFormat) -> None:
    if len(values) > FULL_ASSESSMENT_COUNT:
        raise _fail(
            f"{len(values)} scores given; give at most {FULL_ASSESSMENT_COUNT} "
            "(qs1 to qs9 in order)"
        )
    scores: dict[str, int | None] = {}
    problems: list[str] = []
    for number, value in enumerate(values, start=1):
        item = f"qs{number}"
        try:
            scores[item] = (
                None if value.strip() in NOT_SCORED_MARKS else parse_score_text(value, item)
            )
        except ScoringError as exc:
            problems.append(str(exc))
    if problems:
        raise _fail("\nerror: ".join(problems))
    try:
        result = score_overall(scores)
    except ScoringError as exc:
        raise _fail(str(exc)) from None
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(_single_object(result), indent=2))
    elif output_format in (OutputFormat.CSV, OutputFormat.TABLE):
        objects = [_row_object(ScoreRow(line=0, la_name="", scores=scores, result=result))]
        if output_format is OutputFormat.CSV:
            _print_csv(objects)
        else:
            _print_table(objects)
    else:
        typer.echo(describe(result))
        for line in _explain(result):
            typer.echo(line)


@app.command()
def score(
    scores: Annotated[
        list[str] | None,
        typer.Argument(
            help="Quality statement scores 1-4 in order qs1 to qs9; '-' for one not scored.",
            show_default=False,
        ),
    ] = None,
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="CSV file with a la_name column and score columns qs1 to qs9 (blank = not "
            "scored).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.TEXT,
) -> None:
    """Overall percentage, rating and position in band from quality statement scores.

    Example: careassure score 2 2 3 2 2 2 2 2 3
    """
    if csv_file is not None and scores:
        raise _fail("give either scores or --csv FILE, not both")
    if csv_file is not None:
        _score_file(csv_file, output_format)
    elif scores:
        _score_arguments(scores, output_format)
    else:
        raise _fail(
            "give the scores (for example: careassure score 2 2 3 2 2 2 2 2 3) or --csv FILE"
        )
