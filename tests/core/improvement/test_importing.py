import datetime as dt

from careassure.core.improvement.importing import (
    Cell,
    column_letter,
    guess_mapping,
    validate_rows,
)

HEADER = ["Ref", "Title", "QS", "Due date", "Owner", "Depends on", "Status", "% complete"]
MAPPING = guess_mapping(HEADER)
OWNERS = {"chloe": "chloe", "chloe evans": "chloe"}

EXCEL_DATE = dt.datetime(2026, 6, 30)  # noqa: DTZ001 - Excel date cells are naive


def owner(text: str) -> str | None:
    return OWNERS.get(text.lower())


def qs(text: str) -> str | None:
    text = text.strip().lower()
    return text if text in {f"qs{i}" for i in range(1, 10)} else None


def row(n: int, *values: object, formula: int | None = None, merged: int | None = None):
    cells = [
        Cell(v, formula=(i == formula), merged_range="E5:F5" if i == merged else None)
        for i, v in enumerate(values)
    ]
    return (n, cells)


def check(rows, existing=None, max_rows=2000):
    return validate_rows(
        sheet="Plan",
        rows=rows,
        mapping=MAPPING,
        resolve_owner=owner,
        resolve_qs=qs,
        existing_refs=existing or {},
        max_rows=max_rows,
    )


def test_guess_mapping_matches_common_headings() -> None:
    assert MAPPING == {
        "ref": 0,
        "title": 1,
        "quality_statements": 2,
        "due_date": 3,
        "owner": 4,
        "depends_on": 5,
        "status": 6,
        "percent_complete": 7,
    }


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 701)] == ["A", "Z", "AA", "ZZ"]


def test_good_rows_parse() -> None:
    result = check(
        [
            row(2, "a01", "Triage", "QS1, qs7", "31/03/2026", "Chloe Evans", "", "On track", "40%"),
            row(3, "A02", "Reviews", "QS1", EXCEL_DATE, "", "A01", "", 0.25),
        ]
    )
    assert result.errors == []
    first, second = result.actions
    assert (
        first.ref,
        first.quality_statements,
        first.due_date,
        first.owner,
        first.status,
        first.percent_complete,
    ) == (
        "A01",
        ["qs1", "qs7"],
        dt.date(2026, 3, 31),
        "chloe",
        "on_track",
        40,
    )
    assert (second.due_date, second.depends_on, second.percent_complete) == (
        dt.date(2026, 6, 30),
        ["A01"],
        25,
    )


def test_every_problem_is_reported_with_sheet_row_column_value_and_rule() -> None:
    result = check(
        [
            row(2, "A01", "T", "QS10", "31/02/2026", "Nobody", "", "Done", "120"),
            row(3, "A01", "T", "QS1", "=TODAY()", "", "", "", "", formula=3),
            row(4, "A03", "T", "QS1", "1/1/2026", "", "", "", "", merged=4),
        ]
    )
    assert result.actions == []
    assert [(e.row, e.column, e.value, e.rule) for e in result.errors] == [
        (2, "C", "QS10", "Not a quality statement: use QS1 to QS9 or the statement's title"),
        (2, "D", "31/02/2026", "'31/02/2026' is not a real date"),
        (2, "E", "Nobody", "Not a member of this council: use their username, email or full name"),
        (
            2,
            "G",
            "Done",
            "Not a status: use Not started, On track, At risk, Off track, Complete or Closed",
        ),
        (2, "H", "120", "Enter a whole number from 0 to 100"),
        (3, "A", "A01", "Reference A01 is used twice in the file (rows 2 and 3)"),
        (3, "D", "=TODAY()", "Cell D3 contains a formula; paste values instead"),
        (4, "E", "", "Cell E4 is part of merged cells E5:F5; unmerge them"),
    ]
    assert str(result.errors[0]) == (
        "Plan!C2 'QS10': Not a quality statement: use QS1 to QS9 or the statement's title"
    )


def test_existing_reference_and_unknown_dependency() -> None:
    result = check([row(2, "A01", "T", "QS1", "1/1/2026", "", "A09")], existing={"A01": []})
    assert [e.rule for e in result.errors] == [
        "Reference A01 is already in the plan",
        "A09 is not an action in the file or the plan",
    ]


def test_circular_dependencies_are_refused_naming_the_circle() -> None:
    result = check(
        [
            row(2, "A01", "T", "QS1", "1/1/2026", "", "A02"),
            row(3, "A02", "T", "QS1", "1/1/2026", "", "A03"),
            row(4, "A03", "T", "QS1", "1/1/2026", "", "A01"),
        ]
    )
    assert len(result.errors) == 1
    assert result.errors[0].rule.startswith("The dependencies go round in a circle: ")
    assert result.errors[0].rule.count("→") == 3


def test_too_many_rows_is_refused_whole() -> None:
    rows = [row(n, f"A{n}", "T", "QS1", "1/1/2026") for n in range(2, 10_002)]
    result = check(rows)
    assert result.actions == []
    assert [e.rule for e in result.errors] == [
        "The sheet has 10,000 rows of actions; one import can take at most 2,000. Nothing was "
        "imported. Split the file and import each part."
    ]


def test_missing_required_columns() -> None:
    result = validate_rows(
        sheet="Plan",
        rows=[],
        mapping={"ref": 0},
        resolve_owner=owner,
        resolve_qs=qs,
        existing_refs={},
    )
    assert [e.rule for e in result.errors] == [
        "Choose the column for Title",
        "Choose the column for Quality statements",
        "Choose the column for Due date",
    ]
