from __future__ import annotations

import datetime as dt

import pytest

from careassure.core.casetracking import COLUMN_NAMES, PopulationError, parse_population
from careassure.core.casetracking.synthetic import population_csv, synthetic_population

HEADER = ",".join(COLUMN_NAMES)
SERVICE = "Physical support,Home care,Community,Dover"
GOOD = f"A1,67,Female,White British,{SERVICE},yes,no,no,2023-01-05,2023-02-01,2024-02-01"


def test_reads_a_valid_file() -> None:
    people = parse_population(f"{HEADER}\n{GOOD}\n")
    assert len(people) == 1
    p = people[0]
    assert (p.person_id, p.age, p.locality, p.unpaid_carer, p.transition) == (
        "A1",
        67,
        "Dover",
        True,
        False,
    )
    assert p.assessment_date == dt.date(2023, 2, 1)


def test_round_trips_the_synthetic_population() -> None:
    people = synthetic_population(50, seed=5)
    assert parse_population(population_csv(people)) == people


def test_missing_column_is_named() -> None:
    header = HEADER.replace(",locality", "")
    with pytest.raises(PopulationError) as exc:
        parse_population(f"{header}\n")
    assert [(e.row, e.column, e.rule) for e in exc.value.errors] == [
        (1, "locality", "required column is missing")
    ]


def test_every_bad_value_is_reported_with_row_column_value_and_rule() -> None:
    rows = [
        GOOD,
        f"A1,17,Female,White British,{SERVICE},maybe,no,no,2023-01-05,2022-12-01,",
        f"A3,abc,,White British,{SERVICE},no,no,no,31/02/2023,,",
        f"A4,70,Male,White British,{SERVICE},no,no,no,2023-01-05,2023-01-10,2023-01-09",
    ]
    with pytest.raises(PopulationError) as exc:
        parse_population(HEADER + "\n" + "\n".join(rows) + "\n", file="people.csv")
    found = [(e.row, e.column, e.value, e.rule) for e in exc.value.errors]
    assert found == [
        (3, "person_id", "A1", "duplicate of row 2"),
        (3, "age", "17", "must be between 18 and 120"),
        (3, "unpaid_carer", "maybe", "must be yes or no"),
        (3, "assessment_date", "2022-12-01", "must be on or after the first contact date"),
        (4, "gender", "", "a value is required"),
        (4, "age", "abc", "must be a whole number"),
        (4, "first_contact_date", "31/02/2023", "must be a date like 2024-03-31 or 31/03/2024"),
        (5, "last_review_date", "2023-01-09", "must be on or after the assessment date"),
    ]
    assert str(exc.value) == (
        "people.csv: row 3, column person_id, value 'A1': duplicate of row 2 (and 7 more)"
    )


def test_future_dates_are_refused_when_today_is_given() -> None:
    with pytest.raises(PopulationError) as exc:
        parse_population(f"{HEADER}\n{GOOD}\n", today=dt.date(2024, 1, 31))
    assert [(e.column, e.rule) for e in exc.value.errors] == [
        ("last_review_date", "must not be in the future")
    ]


def test_a_file_with_only_a_header_is_refused() -> None:
    with pytest.raises(PopulationError) as exc:
        parse_population(f"{HEADER}\n")
    assert exc.value.errors[0].rule == "the file has no rows of people"
