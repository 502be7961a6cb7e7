"""Reading CSV text with file line numbers, for the table and published-results parsers."""

from __future__ import annotations

import csv
import dataclasses
import re

from careassure.core.scoring.errors import RowError

_SPACES = re.compile(r"\s+")


@dataclasses.dataclass(frozen=True)
class CsvRow:
    """A data row: its first line number in the file and its values by lower-case column."""

    line: int
    values: dict[str, str]


@dataclasses.dataclass(frozen=True)
class CsvTable:
    """A parsed CSV: the header as written, the lower-case header, and the data rows."""

    header_text: str
    columns: list[str]
    rows: list[CsvRow]


def fold_name(name: str) -> str:
    """Case-fold and collapse whitespace, for spotting the same council twice."""
    return _SPACES.sub(" ", name).strip().casefold()


def read_csv(text: str, errors: list[RowError]) -> CsvTable | None:
    """Split CSV text into rows keyed by lower-case, trimmed column names.

    A UTF-8 byte order mark is dropped. Problems are appended to ``errors``; None is
    returned when the file has no usable header.
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        errors.append(RowError(1, "", "", "the file is empty; the first line must be a header row"))
        return None
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except csv.Error as exc:
        errors.append(RowError(1, "", lines[0].rstrip("\r\n"), f"cannot read the header: {exc}"))
        return None
    header_text = ",".join(header)
    columns = [cell.strip().lower() for cell in header]
    seen: dict[str, int] = {}
    for index, column in enumerate(columns):
        if column and column in seen:
            errors.append(
                RowError(1, column, header[index], f"the column {column} appears more than once")
            )
        seen.setdefault(column, index)
    rows: list[CsvRow] = []
    previous_end = reader.line_num
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(start, "", "", f"cannot read the row: {exc}"))
            break
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            errors.append(
                RowError(
                    start,
                    "",
                    ",".join(cells),
                    f"the row has {len(cells)} values but the header has {len(columns)} columns",
                )
            )
            continue
        values = {
            column: (cells[index] if index < len(cells) else "")
            for index, column in enumerate(columns)
            if column and seen[column] == index
        }
        rows.append(CsvRow(start, values))
    return CsvTable(header_text, columns, rows)
