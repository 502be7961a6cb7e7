"""The population of people who draw on care and support, read from a CSV file.

Every row is checked and every problem reported (row, column, value, rule); nothing is
returned unless the whole file is valid.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from careassure.core.casetracking.errors import PopulationError, RowError

MIN_AGE = 18
MAX_AGE = 120

# (column, required, description) in file order; docs/case-tracking.md documents the same list.
COLUMNS: tuple[tuple[str, bool, str], ...] = (
    ("person_id", True, "The council's own identifier for the person (never stored)"),
    ("age", True, "Age in whole years on the day of the extract, 18 to 120"),
    ("gender", True, "As recorded by the council"),
    ("ethnicity", True, "As recorded by the council"),
    ("primary_support_reason", True, "For example: Physical support"),
    ("service_type", True, "For example: Home care"),
    ("setting", True, "For example: Community, Residential care, Nursing care"),
    ("locality", True, "The council's locality or district"),
    ("unpaid_carer", True, "yes or no: the person has an unpaid carer"),
    ("transition", True, "yes or no: in transition from children's services"),
    ("safeguarding", True, "yes or no: safeguarding involvement"),
    ("first_contact_date", True, "YYYY-MM-DD or DD/MM/YYYY"),
    ("assessment_date", False, "YYYY-MM-DD or DD/MM/YYYY, on or after first contact"),
    ("last_review_date", False, "YYYY-MM-DD or DD/MM/YYYY, on or after the assessment"),
)
COLUMN_NAMES = tuple(name for name, _, _ in COLUMNS)
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class Person:
    person_id: str
    age: int
    gender: str
    ethnicity: str
    primary_support_reason: str
    service_type: str
    setting: str
    locality: str
    unpaid_carer: bool
    transition: bool
    safeguarding: bool
    first_contact_date: dt.date
    assessment_date: dt.date | None
    last_review_date: dt.date | None


def _parse_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def parse_population(
    text: str, *, file: str = "upload", today: dt.date | None = None
) -> list[Person]:
    """Read and check every row. Raise PopulationError listing every problem found."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [name for name in COLUMN_NAMES if name not in header]
    if not header:
        raise PopulationError(file, [RowError(1, "", "", "the file has no header row")])
    if missing:
        raise PopulationError(
            file,
            [RowError(1, name, "", "required column is missing") for name in missing],
        )
    reader.fieldnames = header
    errors: list[RowError] = []
    people: list[Person] = []
    seen: dict[str, int] = {}
    for row_number, raw in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        row_errors: list[RowError] = []

        def err(
            column: str,
            rule: str,
            _row: dict[str, str] = row,
            _n: int = row_number,
            _out: list[RowError] = row_errors,
        ) -> None:
            _out.append(RowError(_n, column, _row.get(column, ""), rule))

        for name, required, _ in COLUMNS:
            if required and not row.get(name):
                err(name, "a value is required")
        person_id = row.get("person_id", "")
        if person_id:
            if person_id in seen:
                err("person_id", f"duplicate of row {seen[person_id]}")
            else:
                seen[person_id] = row_number
        age: int | None = None
        if row.get("age"):
            try:
                age = int(row["age"])
            except ValueError:
                err("age", "must be a whole number")
            else:
                if not MIN_AGE <= age <= MAX_AGE:
                    err("age", f"must be between {MIN_AGE} and {MAX_AGE}")
                    age = None
        flags: dict[str, bool] = {}
        for name in ("unpaid_carer", "transition", "safeguarding"):
            value = row.get(name, "").lower()
            if value in YES:
                flags[name] = True
            elif value in NO:
                flags[name] = False
            elif value:
                err(name, "must be yes or no")
        dates: dict[str, dt.date | None] = {}
        for name in ("first_contact_date", "assessment_date", "last_review_date"):
            value = row.get(name, "")
            dates[name] = None
            if value:
                parsed = _parse_date(value)
                if parsed is None:
                    err(name, "must be a date like 2024-03-31 or 31/03/2024")
                elif today is not None and parsed > today:
                    err(name, "must not be in the future")
                else:
                    dates[name] = parsed
        first, assessed, reviewed = (
            dates["first_contact_date"],
            dates["assessment_date"],
            dates["last_review_date"],
        )
        if first and assessed and assessed < first:
            err("assessment_date", "must be on or after the first contact date")
        if assessed and reviewed and reviewed < assessed:
            err("last_review_date", "must be on or after the assessment date")
        if row_errors or age is None or first is None:
            errors.extend(row_errors)
            continue
        people.append(
            Person(
                person_id=person_id,
                age=age,
                gender=row["gender"],
                ethnicity=row["ethnicity"],
                primary_support_reason=row["primary_support_reason"],
                service_type=row["service_type"],
                setting=row["setting"],
                locality=row["locality"],
                unpaid_carer=flags["unpaid_carer"],
                transition=flags["transition"],
                safeguarding=flags["safeguarding"],
                first_contact_date=first,
                assessment_date=assessed,
                last_review_date=reviewed,
            )
        )
    if errors:
        raise PopulationError(file, errors)
    if not people:
        raise PopulationError(file, [RowError(2, "", "", "the file has no rows of people")])
    return people
