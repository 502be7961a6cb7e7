import datetime as dt
from decimal import Decimal

from careassure.core.improvement.importing import (
    KPI_FIELDS,
    MILESTONE_FIELDS,
    MILESTONES,
    PARTS,
    RISK_FIELDS,
    Cell,
    PartSheet,
    column_letter,
    guess_mapping,
    guess_part_sheet,
    validate_rows,
    validate_workbook,
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


# Milestones, risks and KPIs on sheets of their own -------------------------------------------

TODAY = dt.date(2026, 2, 1)
ACTION_ROWS = [
    row(2, "A01", "Triage", "QS1", "31/03/2026"),
    row(3, "A02", "Reviews", "QS1", "30/06/2026"),
]
MILESTONE_HEADER = ["Action", "Milestone", "Due date", "Status", "Completed on"]
RISK_HEADER = ["Action", "Risk", "Likelihood", "Impact", "Score", "Mitigation"]
KPI_HEADER = ["Action", "KPI", "Unit", "Target", "Red threshold", "Amber threshold", "Polarity"]


def part(sheet: str, header: list[str], fields, *rows) -> PartSheet:
    return PartSheet(sheet, list(rows), guess_mapping(header, fields))


def check_parts(
    parts, existing_refs=None, existing_parts=None, action_rows=None, max_rows=2000, mapping=None
):
    return validate_workbook(
        sheet="Plan",
        rows=ACTION_ROWS if action_rows is None else action_rows,
        mapping=mapping or MAPPING,
        resolve_owner=owner,
        resolve_qs=qs,
        existing_refs=existing_refs or {},
        parts=parts,
        existing_parts=existing_parts,
        today=TODAY,
        max_rows=max_rows,
    )


def problems(result):
    return [(e.sheet, e.row, e.column, e.value, e.rule) for e in result.errors]


def test_guess_columns_and_sheets_of_the_plan_export() -> None:
    assert guess_mapping(MILESTONE_HEADER, MILESTONE_FIELDS) == {
        "action": 0, "title": 1, "due_date": 2, "status": 3, "completed_on": 4,
    }  # fmt: skip
    assert guess_mapping(RISK_HEADER, RISK_FIELDS) == {
        "action": 0, "description": 1, "likelihood": 2, "impact": 3, "mitigation": 5,
    }  # fmt: skip
    assert guess_mapping(KPI_HEADER, KPI_FIELDS) == {
        "action": 0, "name": 1, "unit": 2, "target": 3, "red_threshold": 4,
        "amber_threshold": 5, "polarity": 6,
    }  # fmt: skip
    names = ["Actions", "Milestones", "Risk register", "KPIs"]
    assert [guess_part_sheet(p, names) for p in PARTS] == ["Milestones", "Risk register", "KPIs"]
    assert guess_part_sheet(MILESTONES, ["Plan", "Notes"]) is None
    assert guess_part_sheet(MILESTONES, ["Milestones"], exclude="Milestones") is None


def test_milestones_risks_and_kpis_parse() -> None:
    def pct(n: int, *values: object) -> tuple[int, list[Cell]]:
        # Columns D to F hold percentages as Excel stores them: 90% is 0.9.
        return (n, [Cell(v, percent=3 <= i <= 5) for i, v in enumerate(values)])

    result = check_parts(
        {
            "milestones": part(
                "Milestones",
                MILESTONE_HEADER,
                MILESTONE_FIELDS,
                row(2, "a01", "Risk tool agreed", "31/01/2026", "Complete", "15/01/2026"),
                row(3, "A02", "Team recruited", EXCEL_DATE, "In progress", ""),
                row(4, "A05", "Old action's milestone", "1 March 2026"),
            ),  # fmt: skip
            "risks": part(
                "Risks",
                RISK_HEADER,
                RISK_FIELDS,
                row(2, "A01", "Staff shortages", 4, "3", 12, "Agency cover"),
                row(3, "A02", "Partners cannot commit", 2.0, 5, None, None),
            ),  # fmt: skip
            "kpis": part(
                "KPIs",
                KPI_HEADER,
                KPI_FIELDS,
                row(
                    2,
                    "A02",
                    "Concerns awaiting completion",
                    "people",
                    "200",
                    400,
                    "250",
                    "Lower is better",
                ),
                pct(3, "A01", "Screened within 24 hours", "%", 0.9, 0.7, 0.8, "higher"),
                row(4, "A01", "Complaints", "", "1,200.5", "", "", ""),
            ),  # fmt: skip
        },
        existing_refs={"A05": []},
    )
    assert result.errors == []
    assert [a.ref for a in result.actions] == ["A01", "A02"]
    assert [
        (m.row, m.action, m.title, m.due_date, m.status, m.completed_on) for m in result.milestones
    ] == [
        (2, "A01", "Risk tool agreed", dt.date(2026, 1, 31), "complete", dt.date(2026, 1, 15)),
        (3, "A02", "Team recruited", dt.date(2026, 6, 30), "in_progress", None),
        (4, "A05", "Old action's milestone", dt.date(2026, 3, 1), "not_started", None),
    ]
    risks = [(r.action, r.description, r.likelihood, r.impact, r.mitigation) for r in result.risks]
    assert risks == [
        ("A01", "Staff shortages", 4, 3, "Agency cover"),
        ("A02", "Partners cannot commit", 2, 5, ""),
    ]  # fmt: skip
    assert [
        (k.action, k.name, k.unit, k.target, k.red_threshold, k.amber_threshold, k.polarity)
        for k in result.kpis
    ] == [
        ("A02", "Concerns awaiting completion", "people", Decimal("200.00"), Decimal("400.00"),
         Decimal("250.00"), "lower_is_better"),
        ("A01", "Screened within 24 hours", "%", Decimal("90.00"), Decimal("70.00"),
         Decimal("80.00"), "higher_is_better"),
        ("A01", "Complaints", "", Decimal("1200.50"), None, None, "higher_is_better"),
    ]  # fmt: skip


def test_every_milestone_problem_is_named_and_nothing_is_returned() -> None:
    result = check_parts(
        {
            "milestones": part(
                "Milestones",
                MILESTONE_HEADER,
                MILESTONE_FIELDS,
                row(2, "A09", "Unknown action", "31/01/2026"),
                row(3, "A01", "Date as text", "end of March"),
                row(4, "A01", "Bad status", "31/01/2026", "Done"),
                row(
                    5, "A01", "Completed but in progress", "31/01/2026", "In progress", "15/01/2026"
                ),
                row(6, "A01", "Completed tomorrow", "31/01/2026", "Complete", "02/02/2026"),
                row(7, "A02", "Twice", "31/01/2026"),
                row(8, "a02", " twice ", "28/02/2026"),
                row(9, "A05", "Already there", "31/01/2026"),
                row(10, "A01", "Formula", "=TODAY()", formula=2),
                row(11, "A01", "", "31/01/2026"),
                row(12, "A01", "x" * 301, "31/01/2026"),
            ),  # fmt: skip
        },
        existing_refs={"A05": []},
        existing_parts={"milestones": {"A05": ["Already there"]}},
    )
    assert result.actions == []
    assert result.milestones == []
    assert problems(result) == [
        ("Milestones", 2, "A", "A09", "A09 is not an action in the file or the plan"),
        ("Milestones", 3, "C", "end of March", "'end of March' is not a date: use a format like "
         "31/07/2025, 31-07-2025, 31.07.2025, 31/07/25, 31 July 2025, 31 Jul 2025 or 2025-07-31"),
        ("Milestones", 4, "D", "Done",
         "Not a milestone status: use Not started, In progress or Complete"),
        ("Milestones", 5, "E", "2026-01-15", "Only a complete milestone has a date completed: "
         "leave it blank or make the status Complete"),
        ("Milestones", 6, "E", "2026-02-02", "The date completed must be today or in the past"),
        ("Milestones", 8, "B", "twice", "A02 has this milestone twice (rows 7 and 8)"),
        ("Milestones", 9, "B", "Already there", "A05 already has this milestone"),
        ("Milestones", 10, "C", "=TODAY()", "Cell C10 contains a formula; paste values instead"),
        ("Milestones", 11, "B", "", "Enter the milestone"),
        ("Milestones", 12, "B", "x" * 301, "Milestone must be 300 characters or fewer"),
    ]  # fmt: skip


def test_every_risk_problem_is_named() -> None:
    result = check_parts(
        {
            "risks": part(
                "Risks",
                RISK_HEADER,
                RISK_FIELDS,
                row(2, "A01", "Too likely", 6, 3),
                row(3, "A01", "Impact in words", 2, "High"),
                row(4, "A01", "Half a point", 2.5, 0),
                row(5, "A01", "", 1, 1),
                row(6, "A02", "Staff", 1, 1),
                row(7, "A02", "STAFF", 2, 2),
                row(8, "A01", "Merged", 1, 1, merged=3),
            ),  # fmt: skip
        }
    )
    assert result.risks == []
    assert problems(result) == [
        ("Risks", 2, "C", "6", "The likelihood must be a whole number from 1 to 5"),
        ("Risks", 3, "D", "High", "The impact must be a whole number from 1 to 5"),
        ("Risks", 4, "C", "2.5", "The likelihood must be a whole number from 1 to 5"),
        ("Risks", 4, "D", "0", "The impact must be a whole number from 1 to 5"),
        ("Risks", 5, "B", "", "Enter the risk"),
        ("Risks", 7, "B", "STAFF", "A02 has this risk twice (rows 6 and 7)"),
        ("Risks", 8, "D", "1", "Cell D8 is part of merged cells E5:F5; unmerge them"),
    ]


def test_every_kpi_problem_is_named() -> None:
    result = check_parts(
        {
            "kpis": part(
                "KPIs",
                KPI_HEADER,
                KPI_FIELDS,
                row(2, "A01", "Words", "", "lots"),
                row(3, "A01", "Three places", "", "12.345"),
                row(4, "A01", "Too big", "", 10**13),
                row(5, "A01", "Bad polarity", "", "", "", "", "up"),
                row(6, "A01", "Wrong way round", "", "", 400, 250, "Higher is better"),
                row(7, "A01", "No polarity", "", "", 400, 250, ""),
                row(8, "A02", "Same", "", 1),
                row(9, "A02", "same", "", 2),
                row(10, "A05", "Existing", "", 3),
                row(11, "A01", "y" * 201),
                row(12, "A01", "Long unit", "u" * 41),
            ),  # fmt: skip
        },
        existing_refs={"A05": []},
        existing_parts={"kpis": {"A05": ["Existing"]}},
    )
    assert result.kpis == []
    assert problems(result) == [
        ("KPIs", 2, "D", "lots", "Enter a number, like 85 or 12.5"),
        ("KPIs", 3, "D", "12.345", "Enter a number with no more than 2 decimal places"),
        ("KPIs", 4, "D", str(10**13), "Enter a number smaller than 1,000,000,000,000"),
        ("KPIs", 5, "G", "up", "Not a polarity: use Higher is better or Lower is better"),
        ("KPIs", 6, "E", "400", "When higher is better, the red threshold must not be above the "
         "amber threshold"),
        ("KPIs", 7, "G", "", "Enter Higher is better or Lower is better: the red and amber "
         "thresholds depend on it"),
        ("KPIs", 9, "B", "same", "A02 has this KPI twice (rows 8 and 9)"),
        ("KPIs", 10, "B", "Existing", "A05 already has this KPI"),
        ("KPIs", 11, "B", "y" * 201, "KPI name must be 200 characters or fewer"),
        ("KPIs", 12, "C", "u" * 41, "Unit must be 40 characters or fewer"),
    ]  # fmt: skip


def test_a_bad_part_row_refuses_the_good_actions_too() -> None:
    good = check_parts(
        {"risks": part("Risks", RISK_HEADER, RISK_FIELDS, row(2, "A01", "Staff", 3, 3))}
    )
    assert [a.ref for a in good.actions] == ["A01", "A02"]
    assert len(good.risks) == 1
    bad = check_parts(
        {
            "risks": part(
                "Risks",
                RISK_HEADER,
                RISK_FIELDS,
                row(2, "A01", "Staff", 3, 3),
                row(3, "A02", "Funding", 3, 9),
            )
        }  # fmt: skip
    )
    assert (bad.actions, bad.risks) == ([], [])
    assert problems(bad) == [
        ("Risks", 3, "D", "9", "The impact must be a whole number from 1 to 5")
    ]


def test_missing_columns_and_too_many_rows_of_a_part() -> None:
    result = check_parts(
        {
            "milestones": PartSheet("Milestones", [], {"action": 0, "title": 1}),
            "kpis": PartSheet("KPIs", [], {"action": 0, "name": 1, "red_threshold": 2}),
        }
    )
    assert problems(result) == [
        ("Milestones", 0, "", "", "Choose the column for Due date (Milestones)"),
        ("KPIs", 0, "", "", "Choose the column for Polarity (KPIs): the red and amber "
         "thresholds depend on whether higher or lower is better"),
    ]  # fmt: skip
    rows = [row(n, "A01", f"Risk {n}", 1, 1) for n in range(2, 6)]
    too_many = check_parts({"risks": part("Risks", RISK_HEADER, RISK_FIELDS, *rows)}, max_rows=3)
    assert [e.rule for e in too_many.errors] == [
        "The sheet has 4 rows of risks; one import can take at most 3. Nothing was imported. "
        "Split the file and import each part."
    ]


def test_part_columns_on_the_actions_sheet_skip_rows_without_one() -> None:
    # One sheet: the action's columns, then a risk and its scores on some rows.
    header = ["Ref", "Title", "QS", "Due date", "Risk", "L", "I"]
    mapping = guess_mapping(header)
    assert mapping == {"ref": 0, "title": 1, "quality_statements": 2, "due_date": 3}
    rows = [
        row(2, "A01", "Triage", "QS1", "31/03/2026", "Staff shortages", 4, 4),
        row(3, "A02", "Reviews", "QS1", "30/06/2026", None, None, None),
    ]
    result = check_parts(
        {
            "risks": PartSheet(
                "Plan", rows, {"action": 0, "description": 4, "likelihood": 5, "impact": 6}
            )
        },  # fmt: skip
        action_rows=rows,
        mapping=mapping,
    )
    assert result.errors == []
    assert [a.ref for a in result.actions] == ["A01", "A02"]
    assert [(r.row, r.action, r.description, r.likelihood) for r in result.risks] == [
        (2, "A01", "Staff shortages", 4)
    ]
