"""Validate rows of an improvement plan typed into a spreadsheet, before anything is saved.

The caller reads the workbook and passes each cell's value with its flags (formula, merged,
percentage format); this module checks every row against the column mapping and returns either
the parsed actions (and, from optional sheets, their milestones, risks and KPIs) or every
problem found, each naming the sheet, row, column, value and rule broken.
"""

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from careassure.core.improvement.dates import parse_uk_date
from careassure.core.improvement.dependencies import find_cycle, format_cycle
from careassure.core.improvement.errors import DateParseError
from careassure.core.improvement.rag import Polarity, check_thresholds
from careassure.core.improvement.status import ActionStatus

DEFAULT_MAX_ROWS = 2000


@dataclass(frozen=True)
class ImportField:
    name: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()
    missing: str = ""
    max_length: int | None = None

    @property
    def missing_rule(self) -> str:
        """The rule broken when a required cell is blank."""
        return self.missing or f"Enter the {self.label.lower()}"


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


ACTION_REF_ALIASES = ("action", "action id", "action ref", "action reference", "ref", "reference")


def _action_ref_field() -> ImportField:
    return ImportField("action", "Action reference", True, ACTION_REF_ALIASES)


MILESTONE_STATUSES = {"not_started": "Not started", "in_progress": "In progress",
                      "complete": "Complete"}  # fmt: skip
MILESTONE_FIELDS: tuple[ImportField, ...] = (
    _action_ref_field(),
    ImportField("title", "Milestone", True, ("milestone", "milestone title", "title"),
                max_length=300),
    ImportField("due_date", "Due date", True,
                ("due", "due date", "milestone due date", "deadline", "target date")),
    ImportField("status", "Status", False, ("status", "milestone status")),
    ImportField("completed_on", "Date completed", False,
                ("completed on", "date completed", "completed")),
)  # fmt: skip
RISK_FIELDS: tuple[ImportField, ...] = (
    _action_ref_field(),
    ImportField("description", "Risk", True, ("risk", "description", "risk description")),
    ImportField("likelihood", "Likelihood", True, ("likelihood", "probability")),
    ImportField("impact", "Impact", True, ("impact", "severity")),
    ImportField("mitigation", "Mitigation", False,
                ("mitigation", "mitigations", "mitigating actions", "controls")),
)  # fmt: skip
KPI_FIELDS: tuple[ImportField, ...] = (
    _action_ref_field(),
    ImportField("name", "KPI name", True, ("kpi", "kpi name", "name", "measure", "indicator"),
                missing="Enter the KPI name", max_length=200),
    ImportField("unit", "Unit", False, ("unit", "units"), max_length=40),
    ImportField("target", "Target", False, ("target",)),
    ImportField("red_threshold", "Red threshold", False, ("red threshold", "red")),
    ImportField("amber_threshold", "Amber threshold", False, ("amber threshold", "amber")),
    ImportField("polarity", "Polarity", False,
                ("polarity", "direction", "higher or lower is better")),
)  # fmt: skip
POLARITIES = {
    "higher is better": Polarity.HIGHER_IS_BETTER, "higher": Polarity.HIGHER_IS_BETTER,
    "higher better": Polarity.HIGHER_IS_BETTER, "lower is better": Polarity.LOWER_IS_BETTER,
    "lower": Polarity.LOWER_IS_BETTER, "lower better": Polarity.LOWER_IS_BETTER,
}  # fmt: skip
LARGEST_NUMBER = Decimal("999999999999.99")  # what a KPI figure can hold (14 digits, 2 after)


@dataclass(frozen=True)
class Part:
    """An optional sheet of things that belong to actions: one row each, naming its action."""

    name: str
    label: str
    noun: str
    fields: tuple[ImportField, ...]
    sheet_names: tuple[str, ...]
    key: str  # the field that must not repeat for the same action


MILESTONES = Part("milestones", "Milestones", "milestone", MILESTONE_FIELDS,
                  ("milestones", "milestone"), "title")  # fmt: skip
RISKS = Part("risks", "Risks", "risk", RISK_FIELDS,
             ("risks", "risk", "risk register", "risk log"), "description")  # fmt: skip
KPIS = Part("kpis", "KPIs", "KPI", KPI_FIELDS,
            ("kpis", "kpi", "measures", "performance measures", "indicators"), "name")  # fmt: skip
PARTS: tuple[Part, ...] = (MILESTONES, RISKS, KPIS)
PART_BY_NAME = {p.name: p for p in PARTS}


@dataclass(frozen=True)
class Cell:
    value: Any
    formula: bool = False
    merged_range: str | None = None
    percent: bool = False  # the cell shows a number as a percentage (0.85 shown as 85%)


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
class ParsedMilestone:
    row: int
    action: str
    title: str
    due_date: dt.date
    status: str = "not_started"
    completed_on: dt.date | None = None


@dataclass
class ParsedRisk:
    row: int
    action: str
    description: str
    likelihood: int
    impact: int
    mitigation: str = ""


@dataclass
class ParsedKpi:
    row: int
    action: str
    name: str
    unit: str = ""
    target: Decimal | None = None
    red_threshold: Decimal | None = None
    amber_threshold: Decimal | None = None
    polarity: str = Polarity.HIGHER_IS_BETTER.value


@dataclass
class ImportResult:
    actions: list[ParsedAction]
    errors: list[RowError]
    milestones: list[ParsedMilestone] = field(default_factory=list)
    risks: list[ParsedRisk] = field(default_factory=list)
    kpis: list[ParsedKpi] = field(default_factory=list)

    @property
    def has_parts(self) -> bool:
        return bool(self.milestones or self.risks or self.kpis)


Rows = Sequence[tuple[int, Sequence[Cell]]]


@dataclass(frozen=True)
class PartSheet:
    """The sheet chosen for milestones, risks or KPIs, its data rows and its column mapping."""

    sheet: str
    rows: Rows
    mapping: Mapping[str, int]


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text.lower()).split())


def guess_mapping(header: Sequence[str], fields: Sequence[ImportField] = FIELDS) -> dict[str, int]:
    """Column index for each field whose name or alias matches a header cell."""
    mapping: dict[str, int] = {}
    normalised = [_norm(str(h or "")) for h in header]
    for item in fields:
        for index, name in enumerate(normalised):
            if name and name in {_norm(a) for a in item.aliases} and index not in mapping.values():
                mapping[item.name] = index
                break
    return mapping


def guess_part_sheet(part: Part, sheet_names: Sequence[str], *, exclude: str = "") -> str | None:
    """The sheet named like the part ("Milestones", "Risk register", "KPIs"), if there is one."""
    wanted = {_norm(n) for n in part.sheet_names}
    return next((n for n in sheet_names if n != exclude and _norm(n) in wanted), None)


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


Fail = Callable[[str, Any, str], None]


def _read_cells(
    fields: Sequence[ImportField],
    cells: Sequence[Cell],
    mapping: Mapping[str, int],
    number: int,
    fail: Fail,
) -> dict[str, tuple[Any, str]]:
    """(value, text) of each mapped field in one row; formulas, merged cells, blanks where a
    value is required and text that is too long are reported through ``fail`` and left out."""
    values: dict[str, tuple[Any, str]] = {}
    for item in fields:
        index = mapping.get(item.name)
        if index is None:
            continue
        c = cells[index] if index < len(cells) else Cell(None)
        ref = f"{column_letter(index)}{number}"
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
            fail(item.name, "", item.missing_rule)
            continue
        if item.max_length is not None and len(text) > item.max_length:
            fail(item.name, text, f"{item.label} must be {item.max_length} characters or fewer")
            continue
        values[item.name] = (c.value, text)
    return values


def _to_date(raw: Any, text: str) -> dt.date:
    """An Excel date cell as it is, or UK date text (DateParseError when it is not one)."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    return parse_uk_date(text)


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

        def fail(
            name: str, value: Any, rule: str, _n: int = number, _out: list[RowError] = row_errors
        ) -> None:
            _out.append(RowError(sheet, _n, column_letter(mapping[name]), _text(value), rule))

        values = _read_cells(FIELDS, cells, mapping, number, fail)
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
            try:
                dates[name] = _to_date(raw, text)
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


# Milestones, risks and KPIs ------------------------------------------------------------------

T = TypeVar("T")
ParseRow = Callable[[int, str, dict[str, tuple[Any, str]], Fail], T | None]


def refs_in_sheet(rows: Rows, mapping: Mapping[str, int]) -> set[str]:
    """The action references typed in the reference column of the actions sheet."""
    index = mapping.get("ref")
    if index is None:
        return set()
    return {
        _text(cells[index].value).upper()
        for _, cells in rows
        if index < len(cells) and _text(cells[index].value)
    }


def _validate_part(
    part: Part,
    parse: ParseRow[T],
    *,
    sheet: PartSheet,
    known_actions: Collection[str] | None,
    existing: Mapping[str, Collection[str]],
    max_rows: int,
) -> tuple[list[T], list[RowError]]:
    """The checks every optional sheet shares: the columns chosen, the row limit, cells, the
    action each row names and repeats; ``parse`` checks the rest of one row.

    A row with nothing in the mapped columns but the action reference is skipped, so the
    columns can sit on the actions sheet (one milestone, risk or KPI per action)."""
    name, mapping = sheet.sheet, sheet.mapping
    missing = [f.label for f in part.fields if f.required and f.name not in mapping]
    if missing:
        return [], [
            RowError(name, 0, "", "", f"Choose the column for {label} ({part.label})")
            for label in missing
        ]
    others = [i for n, i in mapping.items() if n != "action"]

    def has_data(cells: Sequence[Cell]) -> bool:
        return any(
            i < len(cells) and (_text(cells[i].value) or cells[i].formula or cells[i].merged_range)
            for i in others
        )

    data = [(n, cells) for n, cells in sheet.rows if has_data(cells)]
    if len(data) > max_rows:
        return [], [RowError(
            name, 0, "", str(len(data)),
            f"The sheet has {len(data):,} rows of {part.noun}s; one import can take at most "
            f"{max_rows:,}. Nothing was imported. Split the file and import each part.",
        )]  # fmt: skip
    items: list[T] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in data:
        row_errors: list[RowError] = []

        def fail(
            field_name: str, value: Any, rule: str, _n: int = number,
            _out: list[RowError] = row_errors,
        ) -> None:  # fmt: skip
            _out.append(RowError(name, _n, column_letter(mapping[field_name]), _text(value), rule))

        values = _read_cells(part.fields, cells, mapping, number, fail)
        action = values["action"][1].upper() if "action" in values else ""
        if action and known_actions is not None and action not in known_actions:
            fail("action", action, f"{action} is not an action in the file or the plan")
        if action and part.key in values:
            text = values[part.key][1]
            key = (action, " ".join(text.casefold().split()))
            if key in seen:
                fail(
                    part.key,
                    text,
                    f"{action} has this {part.noun} twice (rows {seen[key]} and {number})",
                )
            elif key[1] in {" ".join(k.casefold().split()) for k in existing.get(action, ())}:
                fail(part.key, text, f"{action} already has this {part.noun}")
            else:
                seen[key] = number
        item = parse(number, action, values, fail)
        errors.extend(row_errors)
        if item is not None and not row_errors:
            items.append(item)
    errors.sort(key=lambda e: (e.row, e.column))
    return items, errors


def _parse_milestone(today: dt.date) -> ParseRow[ParsedMilestone]:
    def parse(
        number: int, action: str, values: dict[str, tuple[Any, str]], fail: Fail
    ) -> ParsedMilestone | None:
        dates: dict[str, dt.date] = {}
        for name in ("due_date", "completed_on"):
            if name in values and values[name][1]:
                try:
                    dates[name] = _to_date(*values[name])
                except DateParseError as exc:
                    fail(name, values[name][1], exc.message)
        status: str | None = "not_started"
        if "status" in values and values["status"][1]:
            status = _norm(values["status"][1]).replace(" ", "_")
            if status not in MILESTONE_STATUSES:
                fail(
                    "status",
                    values["status"][1],
                    "Not a milestone status: use Not started, In progress or Complete",
                )
                status = None
        completed_on = dates.get("completed_on")
        if completed_on is not None and status not in ("complete", None):
            fail("completed_on", completed_on.isoformat(),
                 "Only a complete milestone has a date completed: leave it blank or make the "
                 "status Complete")  # fmt: skip
        if completed_on is not None and completed_on > today:
            fail("completed_on", completed_on.isoformat(),
                 "The date completed must be today or in the past")  # fmt: skip
        if not action or "title" not in values or "due_date" not in dates or status is None:
            return None
        return ParsedMilestone(
            row=number, action=action, title=values["title"][1], due_date=dates["due_date"],
            status=status, completed_on=completed_on if status == "complete" else None,
        )  # fmt: skip

    return parse


def _whole_number(raw: Any, text: str) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    return int(text) if text.isdigit() else None


def _parse_risk(
    number: int, action: str, values: dict[str, tuple[Any, str]], fail: Fail
) -> ParsedRisk | None:
    scores: dict[str, int] = {}
    for name in ("likelihood", "impact"):
        if name not in values:
            continue
        score = _whole_number(*values[name])
        if score is None or not 1 <= score <= 5:
            fail(name, values[name][1], f"The {name} must be a whole number from 1 to 5")
        else:
            scores[name] = score
    if not action or "description" not in values or len(scores) < 2:
        return None
    return ParsedRisk(
        row=number, action=action, description=values["description"][1],
        likelihood=scores["likelihood"], impact=scores["impact"],
        mitigation=values.get("mitigation", (None, ""))[1],
    )  # fmt: skip


def _number(raw: Any, text: str, percent: bool) -> Decimal:
    """A figure as typed: a number cell (a percentage cell as shown, so 0.85 is 85), or text
    such as 1,234.5, 85% or £1,200. InvalidOperation when it is not a number."""
    if isinstance(raw, bool):
        raise InvalidOperation
    if isinstance(raw, int | float):
        value = Decimal(str(raw))
        return value * 100 if percent else value
    cleaned = text.replace(",", "").removeprefix("£").removesuffix("%").strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?|-?\.\d+", cleaned):
        raise InvalidOperation
    return Decimal(cleaned)


def _parse_kpi(
    cells_percent: Callable[[int, str], bool],
) -> ParseRow[ParsedKpi]:
    def parse(
        number: int, action: str, values: dict[str, tuple[Any, str]], fail: Fail
    ) -> ParsedKpi | None:
        figures: dict[str, Decimal | None] = {}
        ok = True
        for name in ("target", "red_threshold", "amber_threshold"):
            if name not in values or not values[name][1]:
                figures[name] = None
                continue
            raw, text = values[name]
            try:
                value = _number(raw, text, cells_percent(number, name))
            except InvalidOperation:
                fail(name, text, "Enter a number, like 85 or 12.5")
                ok = False
                continue
            if value != value.quantize(Decimal("0.01")):
                fail(name, text, "Enter a number with no more than 2 decimal places")
                ok = False
            elif abs(value) > LARGEST_NUMBER:
                fail(name, text, "Enter a number smaller than 1,000,000,000,000")
                ok = False
            else:
                figures[name] = value.quantize(Decimal("0.01"))
        polarity: Polarity | None = None
        if "polarity" in values and values["polarity"][1]:
            polarity = POLARITIES.get(_norm(values["polarity"][1].replace("_", " ")))
            if polarity is None:
                fail("polarity", values["polarity"][1],
                     "Not a polarity: use Higher is better or Lower is better")  # fmt: skip
                ok = False
        elif "polarity" in values and (
            figures.get("red_threshold") is not None or figures.get("amber_threshold") is not None
        ):
            fail("polarity", "",
                 "Enter Higher is better or Lower is better: the red and amber thresholds "
                 "depend on it")  # fmt: skip
            ok = False
        if polarity is not None:
            problem = check_thresholds(
                figures.get("red_threshold"), figures.get("amber_threshold"), polarity
            )
            if problem:
                fail("red_threshold", values["red_threshold"][1], problem)
                ok = False
        if not ok or not action or "name" not in values:
            return None
        return ParsedKpi(
            row=number, action=action, name=values["name"][1],
            unit=values.get("unit", (None, ""))[1], target=figures.get("target"),
            red_threshold=figures.get("red_threshold"),
            amber_threshold=figures.get("amber_threshold"),
            polarity=(polarity or Polarity.HIGHER_IS_BETTER).value,
        )  # fmt: skip

    return parse


def _thresholds_without_polarity(sheet: PartSheet) -> bool:
    return "polarity" not in sheet.mapping and bool(
        {"red_threshold", "amber_threshold"} & set(sheet.mapping)
    )


def validate_workbook(
    *,
    sheet: str,
    rows: Rows,
    mapping: Mapping[str, int],
    resolve_owner: Callable[[str], str | None],
    resolve_qs: Callable[[str], str | None],
    existing_refs: Mapping[str, Sequence[str]],
    parts: Mapping[str, PartSheet] | None = None,
    existing_parts: Mapping[str, Mapping[str, Collection[str]]] | None = None,
    today: dt.date,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ImportResult:
    """Check the actions sheet (as ``validate_rows``) and the optional sheets of milestones,
    risks and KPIs. ``parts`` maps a part's name to its sheet; ``existing_parts`` maps a
    part's name to, for each action already in the plan, the titles, risks or KPI names it
    already has. The result holds everything or, if anything is wrong, only the errors."""
    result = validate_rows(
        sheet=sheet, rows=rows, mapping=mapping, resolve_owner=resolve_owner,
        resolve_qs=resolve_qs, existing_refs=existing_refs, max_rows=max_rows,
    )  # fmt: skip
    if not parts:
        return result
    known = set(existing_refs) | refs_in_sheet(rows, mapping) if "ref" in mapping else None
    existing_parts = existing_parts or {}
    errors = list(result.errors)
    common: dict[str, Any] = {"known_actions": known, "max_rows": max_rows}

    milestones: list[ParsedMilestone] = []
    if (chosen := parts.get("milestones")) is not None:
        milestones, found = _validate_part(
            MILESTONES, _parse_milestone(today), sheet=chosen,
            existing=existing_parts.get("milestones", {}), **common,
        )  # fmt: skip
        errors.extend(found)
    risks: list[ParsedRisk] = []
    if (chosen := parts.get("risks")) is not None:
        risks, found = _validate_part(
            RISKS, _parse_risk, sheet=chosen, existing=existing_parts.get("risks", {}), **common
        )
        errors.extend(found)
    kpis: list[ParsedKpi] = []
    if (chosen := parts.get("kpis")) is not None and _thresholds_without_polarity(chosen):
        errors.append(
            RowError(
                chosen.sheet,
                0,
                "",
                "",
                "Choose the column for Polarity (KPIs): the red and amber thresholds depend on "
                "whether higher or lower is better",
            )
        )
    elif chosen is not None:
        kpi_sheet = chosen
        by_row = dict(kpi_sheet.rows)

        def is_percent(number: int, name: str) -> bool:
            index = kpi_sheet.mapping[name]
            cells = by_row.get(number, ())
            return index < len(cells) and cells[index].percent

        kpis, found = _validate_part(
            KPIS, _parse_kpi(is_percent), sheet=kpi_sheet,
            existing=existing_parts.get("kpis", {}), **common,
        )  # fmt: skip
        errors.extend(found)
    if errors:
        return ImportResult([], errors)
    return ImportResult(result.actions, [], milestones=milestones, risks=risks, kpis=kpis)
