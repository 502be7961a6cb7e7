"""CSV and XLSX downloads of the metrics tables (the shared table exporters)."""

from __future__ import annotations

from careassure.common.exports import XLSX, Table, table_csv, tables_xlsx

__all__ = ["XLSX", "Table", "table_csv", "tables_xlsx"]
