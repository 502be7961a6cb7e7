"""The few places where DuckDB SQL and Spark SQL differ, in one place.

Everything else in the measure SQL is the common subset of the two dialects: CTEs, window
functions, CASE, COALESCE, LEAST, TRY_CAST, MAKE_DATE, IS NOT DISTINCT FROM, LIKE, NOT EXISTS,
BIGINT and DECIMAL(38,0) arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Dialect:
    name: Literal["duckdb", "spark"]

    def days_between(self, start: str, end: str) -> str:
        """Whole days from `start` to `end` (SQL Server `DATEDIFF(day, start, end)`)."""
        if self.name == "duckdb":
            return f"date_diff('day', {start}, {end})"
        return f"datediff({end}, {start})"

    def add_days(self, day: str, count: int) -> str:
        if self.name == "duckdb":
            return f"CAST(({day}) + {int(count)} AS DATE)"
        return f"date_add({day}, {int(count)})"

    def plus_days(self, day: str, count: str) -> str:
        """`day` plus the whole number of days `count` (an SQL expression)."""
        if self.name == "duckdb":
            return f"CAST(({day}) + CAST({count} AS INTEGER) AS DATE)"
        return f"date_add({day}, CAST({count} AS INT))"

    def int_div(self, dividend: str, divisor: int) -> str:
        """Whole-number division of a non-negative BIGINT, discarding the remainder."""
        if self.name == "duckdb":
            return f"(({dividend}) // {int(divisor)})"
        return f"(({dividend}) div {int(divisor)})"

    def ten_digits(self, expr: str) -> str:
        """True when `expr` is exactly ten ASCII digits."""
        if self.name == "duckdb":
            return f"regexp_full_match({expr}, '[0-9]{{10}}')"
        return f"({expr} RLIKE '^[0-9]{{10}}$')"

    def string(self, value: str) -> str:
        """A string literal. Spark reads backslash escapes; DuckDB doubles quotes."""
        if self.name == "duckdb":
            return "'" + value.replace("'", "''") + "'"
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")
