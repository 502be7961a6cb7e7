"""The ASCOF measure definitions as SQL, written once for DuckDB and Spark SQL.

`base` holds the common processing (cleaning, filtering, de-duplication, person details);
`reablement` 2A and 2D; `long_term` 2B, 2C, 2E and 3D.
"""

from __future__ import annotations

from careassure.core.measures.sql.base import (
    CODED,
    COL,
    RAW_COLUMNS,
    DaySpans,
    ReportingYear,
    SqlBase,
    Steps,
)
from careassure.core.measures.sql.long_term import LongTermSql
from careassure.core.measures.sql.reablement import ReablementSql


class SqlBuilder(ReablementSql, LongTermSql):
    """Builds the measure SQL for one dialect, method and reporting year."""


__all__ = [
    "CODED",
    "COL",
    "RAW_COLUMNS",
    "DaySpans",
    "ReportingYear",
    "SqlBase",
    "SqlBuilder",
    "Steps",
]
