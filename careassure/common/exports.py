"""CSV and XLSX downloads of tables shown on pages. A table is (header, rows)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

Table = tuple[list[str], list[list[Any]]]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@")


def spreadsheet_safe(value: Any) -> Any:
    """Stop spreadsheet formula injection: text starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_csv(table: Table) -> str:
    header, rows = table
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([[spreadsheet_safe(v) for v in row] for row in rows])
    return out.getvalue()


def tables_xlsx(tables: Mapping[str, Table]) -> bytes:
    """One sheet per table, bold header row frozen, columns sized to their content."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for name, (header, rows) in tables.items():
        sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", name)[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([spreadsheet_safe(v) for v in row])
        sheet.freeze_panes = "A2"
        for index, title in enumerate(header, start=1):
            width = max([len(str(title))] + [len(str(r[index - 1])) for r in rows[:500]])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
