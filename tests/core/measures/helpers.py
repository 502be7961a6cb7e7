"""Helpers for the ASCOF measure tests: a `cld_raw` table built from hand-made rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import duckdb

from careassure.core.cld.spec import FIELDS
from careassure.core.measures import MeasureResult

LA = "316"
# Every row is in one submission covering 2024/25 unless it says otherwise.
DEFAULTS = {
    "la_code": LA,
    "reporting_period_start_date": "2024-04-01",
    "reporting_period_end_date": "2025-03-31",
    "client_type": "Service user",
    "gender": "Female",
    "date_of_birth": "1950-06-15",
    "accommodation_status": "Owner occupier or shared ownership scheme",
    "primary_support_reason": "Physical support: Personal care support",
}

BuildCld = Callable[[Sequence[Mapping[str, str | None]]], duckdb.DuckDBPyConnection]


def build_cld_raw(
    con: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, str | None]]
) -> duckdb.DuckDBPyConnection:
    """Create `cld_raw` with every spec column as VARCHAR plus the loader's metadata columns.

    Each row takes DEFAULTS for fields it does not give; `_file`, `_line` and `_load_id` may be
    given to model several submissions (a later `_load_id` is a later load).
    """
    columns = [f.column for f in FIELDS]
    meta = ["_file", "_line", "_la_code", "_period", "_release", "_load_id"]
    ddl = ", ".join(f"{c} VARCHAR" for c in columns)
    con.execute(
        f"CREATE OR REPLACE TABLE cld_raw ({ddl}, _file VARCHAR, _line INTEGER, "
        "_la_code VARCHAR, _period VARCHAR, _release VARCHAR, _load_id VARCHAR)"
    )
    records = []
    for number, row in enumerate(rows, start=2):
        unknown = set(row) - set(columns) - set(meta)
        assert not unknown, f"unknown columns {unknown}"
        values: dict[str, str | int | None] = {**DEFAULTS, **row}
        values.setdefault("_file", "cld.csv")
        values.setdefault("_line", number)
        values.setdefault("_load_id", "load-1")
        values.setdefault("_la_code", values["la_code"])
        values.setdefault("_release", "R2")
        records.append([values.get(c) for c in columns + meta])
    placeholders = ", ".join("?" for _ in columns + meta)
    if records:
        con.executemany(f"INSERT INTO cld_raw VALUES ({placeholders})", records)
    return con


def figures(
    results: Sequence[MeasureResult], measure: str, breakdown: str, la_code: str = LA
) -> tuple[int | None, int | None, str | None]:
    """(numerator, denominator, value as text) of one result."""
    for result in results:
        if (result.la_code, result.measure, result.breakdown) == (la_code, measure, breakdown):
            value = None if result.value is None else str(result.value)
            return result.numerator, result.denominator, value
    raise AssertionError(f"no result for {la_code} {measure} {breakdown}")
