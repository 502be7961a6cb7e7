"""Validate rows of an improvement plan typed into a spreadsheet, before anything is saved.

The caller reads the workbook and passes each cell's value with two flags (formula, merged);
this module checks every row against the column mapping and returns either the parsed actions
or every problem found, each naming the sheet, row, column, value and rule broken.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from careassure.core.improvement.dates import parse_uk_date
from careassure.core.improvement.dependencies import find_cycle, format_cycle
from careassure.core.improvement.errors import DateParseError
from careassure.core.improvement.status import ActionStatus

DEFAULT_MAX_ROWS = 2000


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()


FIELDS: tuple[ImportField, ...] = (
    ImportField("ref", "Reference", True, ("ref", "id", "action id", "action ref", "reference")),
    ImportField("title", "Title", True, ("title", "action", "action title")),
    ImportField("quality_statements", "Quality statements", True,
                ("qs", "quality statement", "quality statements")),
    ImportField("due_date", "Due date", True, ("due", "due date", "deadline", "target date")),
    ImportField("description", "Description", False, ("description", "detail")),
    ImportField("finding", "CQC finding", False,
                ("finding", "cqc finding", "area for development")),
    ImportField("owner", "Owner", False, ("owner", "owner username", "action owner")),
    ImportField("lead_director", "Lead director", False, ("lead director", "director")),
    ImportField("start_date", "Start date", False, ("start", "start date")),
    ImportField("status", "Status", False, ("status",)),
    ImportField("percent_complete", "Percentage complete", False,
                ("percentage complete", "% complete", "percent complete", "progress")),
    ImportField("priority", "Priority", False, ("priority",)),
    ImportField("resources", "Resources", False, ("resources", "resourcing")),
    ImportField("depends_on", "Depends on", False, ("depends on", "dependencies")),
)  # fmt: skip
FIELD_BY_NAME = {f.name: f for f in FIELDS}
PRIORITIES = {"high": "high", "medium": "medium", "low": "low", "h": "high", "m": "medium",
              "l": "low"}  # fmt: skip


@dataclass(frozen=True)
class Cell:
    value: Any
    formula: bool = False
    merged_range: str | None = None


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int
    column: str
    value: str
    rule: str

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.column}{self.row}" if self.row else self.sheet
        return f"{where} '{self.value}': {self.rule}"


@dataclass
class ParsedAction:
    row: int
    ref: str
    title: str
    quality_statements: list[str]
    due_date: dt.date
    description: str = ""
    finding: str = ""
    owner: str | None = None
    lead_director: str = ""
    start_date: dt.date | None = None
    status: str = ActionStatus.NOT_STARTED.value
    percent_complete: int = 0
    priority: str = "medium"
    resources: str = ""
    depends_on: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    actions: list[ParsedAction]
    errors: list[RowError]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text.lower()).split())


def guess_mapping(header: Sequence[str]) -> dict[str, int]:
    """Column index for each field whose name or alias matches a header cell."""
    mapping: dict[str, int] = {}
    normalised = [_norm(str(h or "")) for h in header]
    for item in FIELDS:
        for index, name in enumerate(normalised):
            if name and name in {_norm(a) for a in item.aliases} and index not in mapping.values():
                mapping[item.name] = index
                break
    return mapping


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def validate_rows(
    *,
    sheet: str,
    rows: Sequence[tuple[int, Sequence[Cell]]],
    mapping: Mapping[str, int],
    resolve_owner: Callable[[str], str | None],
    resolve_qs: Callable[[str], str | None],
    existing_refs: Mapping[str, Sequence[str]],
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ImportResult:
    """Check every row. ``rows`` are (spreadsheet row number, cells) for the data rows;
    ``existing_refs`` maps actions already in the plan to what they depend on."""
    errors: list[RowError] = []
    missing = [f.label for f in FIELDS if f.required and f.name not in mapping]
    if missing:
        for label in missing:
            errors.append(RowError(sheet, 0, "", "", f"Choose the column for {label}"))
        return ImportResult([], errors)
    data = [(n, cells) for n, cells in rows if any(_text(c.value) for c in cells)]
    if not data:
        return ImportResult([], [RowError(sheet, 0, "", "", "The sheet has no rows of actions")])
    if len(data) > max_rows:
        return ImportResult([], [RowError(
            sheet, 0, "", str(len(data)),
            f"The sheet has {len(data):,} rows of actions; one import can take at most "
            f"{max_rows:,}. Nothing was imported. Split the file and import each part.",
        )])  # fmt: skip
    parsed: list[ParsedAction] = []
    row_deps: list[tuple[int, str, list[str]]] = []
    seen: dict[str, int] = {}
    for number, cells in data:
        row_errors: list[RowError] = []

        def cell(name: str, _cells: Sequence[Cell] = cells) -> Cell | None:
            index = mapping.get(name)
            if index is None:
                return None
            return _cells[index] if index < len(_cells) else Cell(None)

        def fail(
            name: str, value: Any, rule: str, _n: int = number, _out: list[RowError] = row_errors
        ) -> None:
            _out.append(RowError(sheet, _n, column_letter(mapping[name]), _text(value), rule))

        values: dict[str, Any] = {}
        for item in FIELDS:
            c = cell(item.name)
            if c is None:
                continue
            ref = f"{column_letter(mapping[item.name])}{number}"
            if c.formula:
                fail(item.name, c.value, f"Cell {ref} contains a formula; paste values instead")
                continue
            if c.merged_range:
                fail(
                    item.name,
                    c.value,
                    f"Cell {ref} is part of merged cells {c.merged_range}; unmerge them",
                )
                continue
            text = _text(c.value)
            if item.required and not text:
                fail(item.name, "", f"Enter the {item.label.lower()}")
                continue
            values[item.name] = (c.value, text)
        if "ref" in values:
            ref_value = values["ref"][1].upper()
            if ref_value in seen:
                fail(
                    "ref",
                    ref_value,
                    f"Reference {ref_value} is used twice in the file "
                    f"(rows {seen[ref_value]} and {number})",
                )
            elif ref_value in existing_refs:
                fail("ref", ref_value, f"Reference {ref_value} is already in the plan")
            else:
                seen[ref_value] = number
        qs_ids: list[str] = []
        if "quality_statements" in values:
            for part in re.split(r"[;,\n]+", values["quality_statements"][1]):
                if not part.strip():
                    continue
                qs = resolve_qs(part.strip())
                if qs is None:
                    fail(
                        "quality_statements",
                        part.strip(),
                        "Not a quality statement: use QS1 to QS9 or the statement's title",
                    )
                elif qs not in qs_ids:
                    qs_ids.append(qs)
        dates: dict[str, dt.date | None] = {}
        for name in ("due_date", "start_date"):
            if name not in values or not values[name][1]:
                continue
            raw, text = values[name]
            if isinstance(raw, dt.datetime | dt.date):
                dates[name] = raw.date() if isinstance(raw, dt.datetime) else raw
                continue
            try:
                dates[name] = parse_uk_date(text)
            except DateParseError as exc:
                fail(name, text, exc.message)
        start, due = dates.get("start_date"), dates.get("due_date")
        if start and due and due < start:
            fail("due_date", due.isoformat(), "The due date is before the start date")
        owner = None
        if "owner" in values and values["owner"][1]:
            owner = resolve_owner(values["owner"][1])
            if owner is None:
                fail(
                    "owner",
                    values["owner"][1],
                    "Not a member of this council: use their username, email or full name",
                )
        status = ActionStatus.NOT_STARTED.value
        if "status" in values and values["status"][1]:
            wanted = _norm(values["status"][1]).replace(" ", "_")
            if wanted in {s.value for s in ActionStatus}:
                status = wanted
            else:
                fail(
                    "status",
                    values["status"][1],
                    "Not a status: use Not started, On track, At risk, Off track, Complete or "
                    "Closed",
                )
        percent = 0
        if "percent_complete" in values and values["percent_complete"][1]:
            raw, text = values["percent_complete"]
            number_text = text.rstrip("%").strip()
            if isinstance(raw, float) and 0 <= raw <= 1 and "." in text:
                number_text = str(round(raw * 100))
            if not number_text.isdigit() or not 0 <= int(number_text) <= 100:
                fail("percent_complete", text, "Enter a whole number from 0 to 100")
            else:
                percent = int(number_text)
        priority = "medium"
        if "priority" in values and values["priority"][1]:
            priority_text = values["priority"][1].lower()
            if priority_text not in PRIORITIES:
                fail("priority", values["priority"][1], "Not a priority: use High, Medium or Low")
            else:
                priority = PRIORITIES[priority_text]
        depends = []
        if "depends_on" in values:
            depends = [p.strip().upper() for p in re.split(r"[;,\s]+", values["depends_on"][1])
                       if p.strip()]  # fmt: skip
        errors.extend(row_errors)
        if "ref" in values:
            row_deps.append((number, values["ref"][1].upper(), depends))
        if row_errors or "ref" not in values or due is None:
            continue
        parsed.append(ParsedAction(
            row=number, ref=values["ref"][1].upper(), title=values["title"][1],
            quality_statements=qs_ids, due_date=due,
            description=values.get("description", (None, ""))[1],
            finding=values.get("finding", (None, ""))[1], owner=owner,
            lead_director=values.get("lead_director", (None, ""))[1], start_date=start,
            status=status, percent_complete=percent, priority=priority,
            resources=values.get("resources", (None, ""))[1], depends_on=depends,
        ))  # fmt: skip
    known = set(existing_refs) | set(seen)
    rows_by_ref = {ref: number for number, ref, _ in row_deps}
    for number, _, deps in row_deps:
        for dep in deps:
            if dep not in known:
                errors.append(
                    RowError(
                        sheet,
                        number,
                        column_letter(mapping["depends_on"]),
                        dep,
                        f"{dep} is not an action in the file or the plan",
                    )
                )
    graph: dict[str, list[str]] = {ref: list(deps) for ref, deps in existing_refs.items()}
    for _, ref, deps in row_deps:
        graph[ref] = sorted(set(graph.get(ref, [])) | {d for d in deps if d in known})
    cycle = find_cycle(graph)
    if cycle is not None:
        first = next((r for r in cycle if r in rows_by_ref), cycle[0])
        errors.append(RowError(
            sheet, rows_by_ref.get(first, 0),
            column_letter(mapping["depends_on"]) if "depends_on" in mapping else "",
            ", ".join(graph.get(first, [])),
            f"The dependencies go round in a circle: {format_cycle(cycle)}",
        ))  # fmt: skip
    errors.sort(key=lambda e: (e.row, e.column))
    return ImportResult([] if errors else parsed, errors)
