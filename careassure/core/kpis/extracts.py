"""Operational extract schemas and an all-or-nothing loader into DuckDB.

A council produces four CSV extracts from its case-management system (docs/kpis.md):

* ``safeguarding_concerns.csv``: one row per safeguarding concern;
* ``waiting_lists.csv``: one row per person on a waiting list at a snapshot date;
* ``contacts.csv``: one row per front-door contact, with its outcome;
* ``hospital_discharges.csv``: one row per hospital stay with a ready-to-leave date.

Each file is read with the standard ``csv`` module and every row is checked against the
column rules below. Every problem found is reported (file, row, column, value, rule), and if
there is any problem nothing is loaded. Valid files are then read into DuckDB tables with
typed columns.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path

import duckdb

from careassure.core.kpis.errors import ExtractFinding, KpiExtractError


class ColumnType(StrEnum):
    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    CODE = "code"
    INTEGER = "integer"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType
    required: bool
    description: str
    codes: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 100


@dataclass(frozen=True, slots=True)
class RowRule:
    """A rule across columns of one row: ``check`` returns a rule text when broken."""

    column: str
    check: Callable[[dict[str, object]], str | None]


@dataclass(frozen=True, slots=True)
class ExtractSpec:
    name: str
    file_name: str
    table: str
    description: str
    columns: tuple[Column, ...]
    unique: tuple[str, ...]
    row_rules: tuple[RowRule, ...] = field(default=())

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


SAFEGUARDING_DECISIONS = ("s42_enquiry", "other_enquiry", "no_further_action")
WAITING_LIST_TYPES = (
    "assessment",
    "review",
    "occupational_therapy",
    "carers_assessment",
    "safeguarding",
)
CONTACT_OUTCOMES = (
    "information_and_advice",
    "signposted_to_community",
    "minor_equipment",
    "referred_for_full_assessment",
    "other",
)
DISCHARGE_PATHWAYS = (0, 1, 2, 3)

_LA_CODE = Column(
    "la_code",
    ColumnType.TEXT,
    True,
    "The council's code (for example its CASSR code); one extract may hold several councils.",
    max_length=12,
)
_LOCALITY = Column(
    "locality", ColumnType.TEXT, True, "The locality (district or area team) of the person."
)


def _not_before(column: str, earlier: str) -> Callable[[dict[str, object]], str | None]:
    """Rule: ``column`` is not before ``earlier`` (compared as dates if either is a date)."""

    def check(row: dict[str, object]) -> str | None:
        later_v, earlier_v = row.get(column), row.get(earlier)
        if not isinstance(later_v, date) or not isinstance(earlier_v, date):
            return None
        if isinstance(later_v, datetime) and isinstance(earlier_v, datetime):
            broken = later_v < earlier_v
        else:
            later_d = later_v.date() if isinstance(later_v, datetime) else later_v
            earlier_d = earlier_v.date() if isinstance(earlier_v, datetime) else earlier_v
            broken = later_d < earlier_d
        return f"must not be before {earlier}" if broken else None

    return check


def _decision_needs_screening(row: dict[str, object]) -> str | None:
    if row.get("decision") is not None and row.get("screened_at") is None:
        return "decision needs screened_at"
    return None


def _enquiry_needs_enquiry_decision(row: dict[str, object]) -> str | None:
    if row.get("enquiry_started") is not None and row.get("decision") not in (
        "s42_enquiry",
        "other_enquiry",
    ):
        return "enquiry_started needs decision s42_enquiry or other_enquiry"
    return None


SAFEGUARDING = ExtractSpec(
    name="safeguarding_concerns",
    file_name="safeguarding_concerns.csv",
    table="concerns",
    description="One row per safeguarding concern received.",
    columns=(
        _LA_CODE,
        Column("concern_id", ColumnType.TEXT, True, "The concern's identifier; unique."),
        Column(
            "received_at", ColumnType.DATETIME, True, "When the concern was received (local time)."
        ),
        Column(
            "screened_at",
            ColumnType.DATETIME,
            False,
            "When screening (the initial decision) was done; blank if not yet screened.",
        ),
        Column(
            "decision",
            ColumnType.CODE,
            False,
            "The screening decision; blank if not yet screened.",
            codes=SAFEGUARDING_DECISIONS,
        ),
        Column(
            "enquiry_started",
            ColumnType.DATE,
            False,
            "The date a section 42 or other enquiry started; blank if none.",
        ),
        Column(
            "completed",
            ColumnType.DATE,
            False,
            "The date the concern was completed (closed); blank if still open.",
        ),
        Column("hub", ColumnType.TEXT, True, "The safeguarding hub handling the concern."),
        _LOCALITY,
    ),
    unique=("la_code", "concern_id"),
    row_rules=(
        RowRule("screened_at", _not_before("screened_at", "received_at")),
        RowRule("decision", _decision_needs_screening),
        RowRule("enquiry_started", _enquiry_needs_enquiry_decision),
        RowRule("enquiry_started", _not_before("enquiry_started", "received_at")),
        RowRule("completed", _not_before("completed", "received_at")),
    ),
)

WAITING_LISTS = ExtractSpec(
    name="waiting_lists",
    file_name="waiting_lists.csv",
    table="waiting",
    description="One row per person on a waiting list at a snapshot date.",
    columns=(
        _LA_CODE,
        Column("snapshot_date", ColumnType.DATE, True, "The date the list was taken."),
        Column(
            "person_ref",
            ColumnType.TEXT,
            True,
            "A pseudonymous reference for the person (never a name or NHS number).",
        ),
        Column(
            "list_type",
            ColumnType.CODE,
            True,
            "Which waiting list the person is on.",
            codes=WAITING_LIST_TYPES,
        ),
        Column("date_added", ColumnType.DATE, True, "The date the person joined the list."),
        _LOCALITY,
        Column(
            "priority",
            ColumnType.TEXT,
            False,
            "The council's own priority label (for example high, medium, low).",
            max_length=40,
        ),
    ),
    unique=("la_code", "snapshot_date", "person_ref", "list_type"),
    row_rules=(RowRule("date_added", lambda r: _after("date_added", "snapshot_date", r)),),
)

CONTACTS = ExtractSpec(
    name="contacts",
    file_name="contacts.csv",
    table="contacts",
    description="One row per front-door contact, with its outcome.",
    columns=(
        _LA_CODE,
        Column("contact_id", ColumnType.TEXT, True, "The contact's identifier; unique."),
        Column("contact_date", ColumnType.DATE, True, "The date of the contact."),
        _LOCALITY,
        Column(
            "outcome",
            ColumnType.CODE,
            True,
            "What the contact led to.",
            codes=CONTACT_OUTCOMES,
        ),
    ),
    unique=("la_code", "contact_id"),
)

HOSPITAL_DISCHARGES = ExtractSpec(
    name="hospital_discharges",
    file_name="hospital_discharges.csv",
    table="discharges",
    description="One row per hospital stay in which the person was declared ready to leave.",
    columns=(
        _LA_CODE,
        Column("person_ref", ColumnType.TEXT, True, "A pseudonymous reference for the person."),
        Column(
            "ready_to_leave_date",
            ColumnType.DATE,
            True,
            "The date the person was ready to leave hospital "
            "(no longer met the criteria to reside).",
        ),
        Column(
            "discharge_date",
            ColumnType.DATE,
            False,
            "The date the person left hospital; blank if still in hospital.",
        ),
        Column(
            "pathway",
            ColumnType.INTEGER,
            True,
            "Discharge pathway 0 to 3 (0: home without new support; 1: home with support; "
            "2: short-term bed-based care; 3: long-term bed-based care).",
            minimum=0,
            maximum=3,
        ),
        _LOCALITY,
    ),
    unique=("la_code", "person_ref", "ready_to_leave_date"),
    row_rules=(RowRule("discharge_date", _not_before("discharge_date", "ready_to_leave_date")),),
)


def _after(column: str, later: str, row: dict[str, object]) -> str | None:
    value, bound = row.get(column), row.get(later)
    if isinstance(value, date) and isinstance(bound, date) and value > bound:
        return f"must not be after {later}"
    return None


EXTRACTS: tuple[ExtractSpec, ...] = (SAFEGUARDING, WAITING_LISTS, CONTACTS, HOSPITAL_DISCHARGES)

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")


def _parse(col: Column, raw: str) -> tuple[object, str | None]:
    """Parse one cell: return (value, None) or (None, rule broken)."""
    text = raw.strip()
    if text == "":
        return None, ("required: enter a value" if col.required else None)
    match col.type:
        case ColumnType.TEXT:
            if len(text) > col.max_length:
                return None, f"must be at most {col.max_length} characters"
            return text, None
        case ColumnType.CODE:
            code = text.lower()
            if code not in col.codes:
                return None, "must be one of: " + ", ".join(col.codes)
            return code, None
        case ColumnType.DATE:
            if not _DATE_RE.match(text):
                return None, "must be a date in the form YYYY-MM-DD"
            try:
                return date.fromisoformat(text), None
            except ValueError:
                return None, "must be a real calendar date (YYYY-MM-DD)"
        case ColumnType.DATETIME:
            if not _DATETIME_RE.match(text):
                return None, "must be a date and time in the form YYYY-MM-DDTHH:MM[:SS]"
            try:
                return datetime.fromisoformat(text), None
            except ValueError:
                return None, "must be a real date and time (YYYY-MM-DDTHH:MM[:SS])"
        case ColumnType.INTEGER:
            if not re.fullmatch(r"-?\d+", text):
                return None, "must be a whole number"
            number = int(text)
            low = col.minimum if col.minimum is not None else number
            high = col.maximum if col.maximum is not None else number
            if not low <= number <= high:
                return None, f"must be a whole number from {col.minimum} to {col.maximum}"
            return number, None
    raise AssertionError(col.type)  # pragma: no cover - every ColumnType is handled above


def validate_extract(spec: ExtractSpec, path: Path) -> list[ExtractFinding]:
    """Check one extract file against its spec and return every problem found."""
    findings: list[ExtractFinding] = []
    name = path.name
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        return [ExtractFinding(name, 0, "", "", f"cannot be read: {exc.strerror}")]
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = [h.strip() for h in next(reader, [])]
        except (csv.Error, UnicodeDecodeError) as exc:
            return [ExtractFinding(name, 1, "", "", f"header cannot be read: {exc}")]
        expected = [c.name for c in spec.columns]
        if not header:
            return [ExtractFinding(name, 1, "", "", "file is empty: expected a header row")]
        for col_name in expected:
            if col_name not in header:
                findings.append(ExtractFinding(name, 1, col_name, "", "required column missing"))
        for col_name in dict.fromkeys(header):
            if col_name not in expected:
                findings.append(ExtractFinding(name, 1, col_name, col_name, "unknown column"))
            elif header.count(col_name) > 1:
                findings.append(ExtractFinding(name, 1, col_name, col_name, "duplicate column"))
        if findings:
            return findings
        index = {h: i for i, h in enumerate(header)}
        seen: dict[tuple[object, ...], int] = {}
        row_no = 1
        try:
            for cells in reader:
                row_no += 1
                if not cells:
                    findings.append(ExtractFinding(name, row_no, "", "", "blank row"))
                    continue
                if len(cells) != len(header):
                    findings.append(
                        ExtractFinding(
                            name,
                            row_no,
                            "",
                            ",".join(cells),
                            f"has {len(cells)} fields; the header has {len(header)}",
                        )
                    )
                    continue
                findings.extend(_check_row(spec, name, row_no, cells, index, seen))
        except (csv.Error, UnicodeDecodeError) as exc:
            findings.append(ExtractFinding(name, row_no + 1, "", "", f"cannot be read: {exc}"))
    return findings


def _check_row(
    spec: ExtractSpec,
    name: str,
    row_no: int,
    cells: Sequence[str],
    index: dict[str, int],
    seen: dict[tuple[object, ...], int],
) -> list[ExtractFinding]:
    findings: list[ExtractFinding] = []
    values: dict[str, object] = {}
    for col in spec.columns:
        raw = cells[index[col.name]]
        value, problem = _parse(col, raw)
        if problem is not None:
            findings.append(ExtractFinding(name, row_no, col.name, raw, problem))
        values[col.name] = value
    if findings:
        return findings
    for row_rule in spec.row_rules:
        broken = row_rule.check(values)
        if broken is not None:
            raw = cells[index[row_rule.column]]
            findings.append(ExtractFinding(name, row_no, row_rule.column, raw, broken))
    key = tuple(values[c] for c in spec.unique)
    if key in seen:
        last = spec.unique[-1]
        findings.append(
            ExtractFinding(
                name,
                row_no,
                last,
                cells[index[last]],
                f"duplicate of row {seen[key]} (unique key: {', '.join(spec.unique)})",
            )
        )
    else:
        seen[key] = row_no
    return findings


def _sql_cast(col: Column) -> str:
    ref = f"NULLIF(trim(\"{col.name}\"), '')"
    match col.type:
        case ColumnType.TEXT:
            return f'{ref} AS "{col.name}"'
        case ColumnType.CODE:
            return f'lower({ref}) AS "{col.name}"'
        case ColumnType.DATE:
            return f'CAST({ref} AS DATE) AS "{col.name}"'
        case ColumnType.DATETIME:
            return f"CAST(replace({ref}, 'T', ' ') AS TIMESTAMP) AS \"{col.name}\""
        case ColumnType.INTEGER:
            return f'CAST({ref} AS INTEGER) AS "{col.name}"'
    raise AssertionError(col.type)  # pragma: no cover


def _create_empty(con: duckdb.DuckDBPyConnection, spec: ExtractSpec) -> None:
    types = {
        ColumnType.TEXT: "VARCHAR",
        ColumnType.CODE: "VARCHAR",
        ColumnType.DATE: "DATE",
        ColumnType.DATETIME: "TIMESTAMP",
        ColumnType.INTEGER: "INTEGER",
    }
    cols = ", ".join(f'"{c.name}" {types[c.type]}' for c in spec.columns)
    con.execute(f"CREATE TABLE {spec.table} ({cols})")


@dataclass(frozen=True, slots=True)
class LoadedExtracts:
    """An in-memory DuckDB database holding the four extract tables."""

    connection: duckdb.DuckDBPyConnection
    present: tuple[str, ...]
    row_counts: dict[str, int]


def load_extracts(extracts_dir: Path) -> LoadedExtracts:
    """Validate every extract in ``extracts_dir`` and load them into an in-memory DuckDB.

    Any extract may be absent (its table is then empty), but at least one must be present.
    If any row of any file breaks a rule, :class:`KpiExtractError` lists every finding and
    nothing is loaded.
    """
    if not extracts_dir.is_dir():
        raise KpiExtractError(
            [ExtractFinding(str(extracts_dir), 0, "", "", "is not a folder of extracts")]
        )
    present = [spec for spec in EXTRACTS if (extracts_dir / spec.file_name).is_file()]
    if not present:
        names = ", ".join(spec.file_name for spec in EXTRACTS)
        raise KpiExtractError(
            [ExtractFinding(str(extracts_dir), 0, "", "", f"holds none of the extracts: {names}")]
        )
    findings: list[ExtractFinding] = []
    for spec in present:
        findings.extend(validate_extract(spec, extracts_dir / spec.file_name))
    if findings:
        raise KpiExtractError(findings)

    con = duckdb.connect(":memory:")
    counts: dict[str, int] = {}
    for spec in EXTRACTS:
        if spec not in present:
            _create_empty(con, spec)
            counts[spec.name] = 0
            continue
        path = extracts_dir / spec.file_name
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = [h.strip() for h in next(csv.reader(handle))]
        columns = "{" + ", ".join(f"'{h}': 'VARCHAR'" for h in header) + "}"
        casts = ", ".join(_sql_cast(c) for c in spec.columns)
        con.execute(
            f"CREATE TABLE {spec.table} AS SELECT {casts} FROM read_csv(?, header = true, "
            f"delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
            f"columns = {columns}, null_padding = false)",
            [str(path)],
        )
        row = con.execute(f"SELECT count(*) FROM {spec.table}").fetchone()
        counts[spec.name] = int(row[0]) if row else 0
    return LoadedExtracts(con, tuple(s.name for s in present), counts)
