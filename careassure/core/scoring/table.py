"""Score a CSV table of councils: a ``la_name`` column and score columns ``qs1``...``qs9``."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP

from careassure.core.scoring._csv import fold_name, read_csv
from careassure.core.scoring.errors import RowError, ScoreTableError, ScoringError
from careassure.core.scoring.overall import (
    DEFAULT_POSITION_RULE,
    FULL_ASSESSMENT_COUNT,
    OverallResult,
    PositionRule,
    score_overall,
)
from careassure.core.scoring.values import parse_score_text

NAME_COLUMN = "la_name"
SCORE_COLUMNS = tuple(f"qs{number}" for number in range(1, FULL_ASSESSMENT_COUNT + 1))


@dataclasses.dataclass(frozen=True)
class ScoreRow:
    """One council from the table. ``result`` is None when the row has no scores at all."""

    line: int
    la_name: str
    scores: dict[str, int | None]
    result: OverallResult | None


def read_score_table(
    text: str,
    *,
    source: str = "",
    position_rule: PositionRule = DEFAULT_POSITION_RULE,
    rounding: str = ROUND_HALF_UP,
) -> list[ScoreRow]:
    """Score every row of a CSV table of councils, in file order.

    Headers are matched case-insensitively and a UTF-8 byte order mark is ignored. A blank
    score means not scored; a row with no scores gets ``result=None``. Columns other than
    ``la_name`` and ``qs1``...``qs9`` are ignored. Every problem in the file is collected and
    raised together as :class:`ScoreTableError` (row = file line number, header = line 1).
    """
    errors: list[RowError] = []
    table = read_csv(text, errors)
    if table is None:
        raise ScoreTableError(errors, source=source)
    score_columns = [column for column in SCORE_COLUMNS if column in table.columns]
    if NAME_COLUMN not in table.columns:
        errors.append(
            RowError(1, NAME_COLUMN, table.header_text, "the header has no la_name column")
        )
    if not score_columns:
        errors.append(
            RowError(
                1,
                "qs1-qs9",
                table.header_text,
                "the header has none of the score columns qs1 to qs9",
            )
        )
    if errors:
        raise ScoreTableError(errors, source=source)
    if not table.rows:
        errors.append(RowError(1, "", table.header_text, "the file has no council rows"))
        raise ScoreTableError(errors, source=source)

    rows: list[ScoreRow] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        name = row.values[NAME_COLUMN].strip()
        if not name:
            errors.append(RowError(row.line, NAME_COLUMN, "", "enter the council name"))
        else:
            folded = fold_name(name)
            if folded in first_line:
                errors.append(
                    RowError(
                        row.line,
                        NAME_COLUMN,
                        name,
                        f"the council is already on line {first_line[folded]}",
                    )
                )
            first_line.setdefault(folded, row.line)
        scores: dict[str, int | None] = {}
        row_ok = bool(name)
        for column in score_columns:
            cell = row.values[column]
            try:
                scores[column] = parse_score_text(cell, column)
            except ScoringError as exc:
                errors.append(RowError(row.line, column, cell, exc.rule))
                row_ok = False
        if not row_ok or errors:
            continue
        result = None
        if any(score is not None for score in scores.values()):
            result = score_overall(scores, position_rule=position_rule, rounding=rounding)
        rows.append(ScoreRow(row.line, name, scores, result))
    if errors:
        raise ScoreTableError(errors, source=source)
    return rows
