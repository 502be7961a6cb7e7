"""Scoring a CSV table of councils in the core (used by ``careassure score --csv``)."""

from __future__ import annotations

import pytest

from careassure.core.scoring import (
    MidpointRule,
    Position,
    RowError,
    ScoreTableError,
    read_score_table,
)

HEADER = "la_name,qs1,qs2,qs3,qs4,qs5,qs6,qs7,qs8,qs9\n"


def test_rows_scored_in_file_order_and_blank_rows_skipped() -> None:
    # Staffordshire all 3s = 75 (middle); a council with no scores has no result.
    text = HEADER + "Staffordshire,3,3,3,3,3,3,3,3,3\n\nNottingham,,,,,,,,,\n"
    staffordshire, nottingham = read_score_table(text)
    assert (staffordshire.line, staffordshire.result is not None) == (2, True)
    assert staffordshire.result is not None
    assert staffordshire.result.position is Position.MIDDLE
    assert (nottingham.line, nottingham.la_name, nottingham.result) == (4, "Nottingham", None)


def test_position_rule_is_passed_through() -> None:
    (row,) = read_score_table(
        HEADER + "Staffordshire,3,3,3,3,3,3,3,3,3\n",
        position_rule=MidpointRule(tie=Position.NEARER_LOWER),
    )
    assert row.result is not None
    assert row.result.position is Position.NEARER_LOWER


def test_quoted_multi_line_name_keeps_the_starting_line_number() -> None:
    text = HEADER + '"Kent\nCounty",2,2,3,2,2,2,2,2,3\nBrent,2,2,2,2,2,3,3,3,9\n'
    with pytest.raises(ScoreTableError) as excinfo:
        read_score_table(text)
    assert excinfo.value.errors == [
        RowError(
            4, "qs9", "9", "a score must be a whole number from 1 to 4, or blank if not scored"
        )
    ]


def test_too_many_values_in_a_row() -> None:
    with pytest.raises(ScoreTableError) as excinfo:
        read_score_table("la_name,qs1\nKent,2,3\n")
    assert excinfo.value.errors == [
        RowError(2, "", "Kent,2,3", "the row has 3 values but the header has 2 columns")
    ]
