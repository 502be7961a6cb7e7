import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, PermissionDeniedError
from careassure.common.exports import tables_xlsx
from careassure.common.models import AuditEvent
from careassure.core.improvement import importing as importing_core
from careassure.improvement import importing, services
from careassure.improvement.exports import plan_tables
from careassure.improvement.models import Action, Kpi, Milestone, MilestoneStatus, PlanImport, Risk
from tests.improvement.factories import make_action, make_plan

HEADER = ["Ref", "Title", "QS", "Due date", "Owner", "Depends on"]

EXCEL_DATE = dt.datetime(2026, 6, 30)  # noqa: DTZ001 - Excel date cells are naive


def workbook(rows: list[list[object]], *, sheet: str = "Plan", extra=None) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    if extra:
        extra(ws)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def plan(kent, assessment_lead):
    return make_plan(kent, assessment_lead)


def upload(plan, actor, content: bytes) -> PlanImport:
    return importing.plan_import_upload(
        plan=plan, filename="plan.xlsx", content=content, actor=actor
    )


MAPPING = {
    "ref": 0,
    "title": 1,
    "quality_statements": 2,
    "due_date": 3,
    "owner": 4,
    "depends_on": 5,
}


def test_import_creates_actions_and_dependencies(plan, assessment_lead, contributor) -> None:
    content = workbook(
        [
            ["A01", "Triage waiting list", "QS1", "31/03/2026", "chloe_contributor", ""],
            ["A02", "Reviews backlog", "QS1, Safeguarding", EXCEL_DATE, "", "A01"],
        ]
    )
    count = importing.plan_import_confirm(
        plan_import=upload(plan, assessment_lead, content),
        sheet="Plan",
        mapping=MAPPING,
        actor=assessment_lead,
    )
    assert count == 2
    a02 = Action.objects.get(ref="A02")
    assert a02.quality_statements == ["qs1", "qs7"]
    assert [d.depends_on.ref for d in a02.dependencies.all()] == ["A01"]
    assert Action.objects.get(ref="A01").owner == contributor


def test_formula_is_refused_and_nothing_is_imported(plan, assessment_lead) -> None:
    content = workbook(
        [
            ["A01", "Good row", "QS1", "31/03/2026", "", ""],
            ["A02", "Bad row", "QS1", "31/03/2026", "", ""],
            ["A03", "Bad row", "QS1", "=DATE(2026,3,31)", "", ""],
        ]
    )
    with pytest.raises(importing.ImportRefused) as excinfo:
        importing.plan_import_confirm(
            plan_import=upload(plan, assessment_lead, content),
            sheet="Plan",
            mapping=MAPPING,
            actor=assessment_lead,
        )
    assert [str(e) for e in excinfo.value.errors] == [
        "Plan!D4 '=DATE(2026,3,31)': Cell D4 contains a formula; paste values instead"
    ]
    assert not Action.objects.exists()


def test_merged_cells_are_refused(plan, assessment_lead) -> None:
    def merge(ws) -> None:
        ws.merge_cells("E2:F2")

    content = workbook([["A01", "T", "QS1", "31/03/2026", "x", ""]], extra=merge)
    result = importing.import_check(
        plan_import=upload(plan, assessment_lead, content), sheet="Plan", mapping=MAPPING
    )
    assert [e.rule for e in result.errors] == [
        "Cell E2 is part of merged cells E2:F2; unmerge them",
        "Cell F2 is part of merged cells E2:F2; unmerge them",
    ]


def test_unknown_owner_qs_duplicates_and_cycles(plan, assessment_lead) -> None:
    make_action(plan, assessment_lead, "A05")
    content = workbook(
        [
            ["A01", "T", "QS12", "31/03/2026", "nobody@example.org", "A02"],
            ["A02", "T", "QS1", "2026-13-01", "", "A01"],
            ["A05", "T", "QS1", "31/03/2026", "", ""],
        ]
    )
    result = importing.import_check(
        plan_import=upload(plan, assessment_lead, content), sheet="Plan", mapping=MAPPING
    )
    rules = [(e.row, e.column, e.rule) for e in result.errors]
    assert (2, "C", "Not a quality statement: use QS1 to QS9 or the statement's title") in rules
    assert (2, "E", "Not a member of this council: use their username, email or full name") in rules
    assert (3, "D", "'2026-13-01' is not a real date") in rules
    assert (4, "A", "Reference A05 is already in the plan") in rules
    assert any(
        "go round in a circle: A01 → A02 → A01" in r[2]
        or "go round in a circle: A02 → A01 → A02" in r[2]
        for r in rules
    )


def test_wrong_sheet_name(plan, assessment_lead) -> None:
    content = workbook([["A01", "T", "QS1", "31/03/2026", "", ""]], sheet="Actions")
    result = importing.import_check(
        plan_import=upload(plan, assessment_lead, content), sheet="Plan", mapping=MAPPING
    )
    assert [e.rule for e in result.errors] == ["There is no sheet called 'Plan' (sheets: Actions)"]


def test_not_an_excel_file(plan, assessment_lead) -> None:
    with pytest.raises(ApplicationError, match="plan.xlsx is not an Excel workbook"):
        upload(plan, assessment_lead, b"Ref,Title\nA01,T\n")


@pytest.mark.slow
def test_ten_thousand_rows_are_refused_whole(plan, assessment_lead) -> None:
    rows = [[f"A{n:05d}", "T", "QS1", "31/03/2026", "", ""] for n in range(10_000)]
    plan_import = upload(plan, assessment_lead, workbook(rows))
    with pytest.raises(importing.ImportRefused) as excinfo:
        importing.plan_import_confirm(
            plan_import=plan_import, sheet="Plan", mapping=MAPPING, actor=assessment_lead
        )
    assert [e.rule for e in excinfo.value.errors] == [
        "The sheet has 10,000 rows of actions; one import can take at most 2,000. Nothing was "
        "imported. Split the file and import each part."
    ]
    assert not Action.objects.exists()


def test_row_limit_is_configurable(plan, assessment_lead) -> None:
    rows = [[f"A{n:02d}", "T", "QS1", "31/03/2026", "", ""] for n in range(3)]
    with override_settings(CAREASSURE_IMPORT_MAX_ROWS=2):
        result = importing.import_check(
            plan_import=upload(plan, assessment_lead, workbook(rows)), sheet="Plan", mapping=MAPPING
        )
    assert result.errors[0].rule.startswith(
        "The sheet has 3 rows of actions; one import can take at most 2."
    )


def test_upload_map_check_confirm_in_the_browser(client_for, assessment_lead, plan) -> None:
    client = client_for(assessment_lead)
    content = workbook([["A01", "Triage", "QS1", "31 March 2026", "", ""]])
    response = client.post(
        f"/improvement/plans/{plan.pk}/import/", {"file": SimpleUploadedFile("plan.xlsx", content)}
    )
    assert response.status_code == 302
    map_url = response["Location"]
    page = client.get(map_url).content.decode()
    assert '<option value="0" selected>A: Ref</option>' in page
    form = {"sheet": "Plan", **{k: str(v) for k, v in MAPPING.items()}}
    checked = client.post(map_url, {**form, "step": "check"}).content.decode()
    assert "1 actions are ready to import" in checked
    done = client.post(map_url, {**form, "step": "confirm"})
    assert done.status_code == 302
    assert Action.objects.get().title == "Triage"


def test_another_council_cannot_see_an_upload(
    client_for, other_council_user, assessment_lead, plan
) -> None:
    plan_import = upload(plan, assessment_lead, workbook([]))
    assert (
        client_for(other_council_user).get(f"/improvement/imports/{plan_import.pk}/").status_code
        == 404
    )


# Milestones, risks and KPIs on sheets of their own -------------------------------------------

MILESTONE_ROWS = [
    ["Action", "Milestone", "Due date", "Status", "Completed on"],
    ["A01", "Risk tool agreed", "31/01/2026", "Complete", "15/01/2025"],
    ["A02", "Team recruited", EXCEL_DATE, "In progress", None],
]
RISK_ROWS = [
    ["Action", "Risk", "Likelihood", "Impact", "Mitigation"],
    ["A01", "Staff shortages", 4, 3, "Agency cover"],
]
KPI_ROWS = [
    ["Action", "KPI", "Unit", "Target", "Red threshold", "Amber threshold", "Polarity"],
    ["A02", "Concerns awaiting completion", "people", 200, 400, 250, "Lower is better"],
]
PARTS = {
    "milestones": importing.PartChoice(
        "Milestones", {"action": 0, "title": 1, "due_date": 2, "status": 3, "completed_on": 4}
    ),
    "risks": importing.PartChoice(
        "Risks", {"action": 0, "description": 1, "likelihood": 2, "impact": 3, "mitigation": 4}
    ),
    "kpis": importing.PartChoice(
        "KPIs",
        {
            "action": 0,
            "name": 1,
            "unit": 2,
            "target": 3,
            "red_threshold": 4,
            "amber_threshold": 5,
            "polarity": 6,
        },
    ),  # fmt: skip
}


def full_workbook(change=None) -> bytes:
    """Actions A01 and A02 with two milestones, a risk and a KPI; ``change`` edits the sheets
    (a dict of name -> worksheet) before the file is saved."""
    book = Workbook()
    plan_sheet = book.active
    plan_sheet.title = "Plan"
    plan_sheet.append(HEADER)
    plan_sheet.append(["A01", "Triage waiting list", "QS1", "31/03/2026", "", ""])
    plan_sheet.append(["A02", "Reviews backlog", "QS1", "30/06/2026", "", "A01"])
    sheets = {"Plan": plan_sheet}
    for name, rows in (("Milestones", MILESTONE_ROWS), ("Risks", RISK_ROWS), ("KPIs", KPI_ROWS)):
        sheets[name] = book.create_sheet(name)
        for r in rows:
            sheets[name].append(r)
    if change:
        change(sheets)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def confirm(plan, actor, content: bytes, parts=PARTS):
    plan_import = upload(plan, actor, content)
    count = importing.plan_import_confirm(
        plan_import=plan_import, sheet="Plan", mapping=MAPPING, actor=actor, parts=parts
    )
    return count, plan_import


def nothing_imported() -> bool:
    return not (
        Action.objects.exists()
        or Milestone.objects.exists()
        or Risk.objects.exists()
        or Kpi.objects.exists()
    )


def test_import_creates_milestones_risks_and_kpis(plan, assessment_lead) -> None:
    count, plan_import = confirm(plan, assessment_lead, full_workbook())
    assert count == 2
    assert [
        (m.action.ref, m.title, m.due_date, m.status, m.completed_on)
        for m in Milestone.objects.order_by("action__ref")
    ] == [
        ("A01", "Risk tool agreed", dt.date(2026, 1, 31), "complete", dt.date(2025, 1, 15)),
        ("A02", "Team recruited", dt.date(2026, 6, 30), "in_progress", None),
    ]
    risk = Risk.objects.get()
    assert (risk.action.ref, risk.description, risk.likelihood, risk.impact, risk.score,
            risk.mitigation) == ("A01", "Staff shortages", 4, 3, 12, "Agency cover")  # fmt: skip
    kpi = Kpi.objects.get()
    assert (kpi.action.ref, kpi.name, kpi.unit, kpi.target, kpi.red_threshold,
            kpi.amber_threshold, kpi.polarity, kpi.source) == (
        "A02", "Concerns awaiting completion", "people", Decimal(200), Decimal(400),
        Decimal(250), "lower_is_better", "manual",
    )  # fmt: skip
    assert {name: p["count"] for name, p in plan_import.parts.items()} == {
        "milestones": 2, "risks": 1, "kpis": 1,
    }  # fmt: skip
    events = list(AuditEvent.objects.values_list("event_type", flat=True))
    assert events.count(AuditEventType.ACTION_MILESTONE_ADDED) == 2
    assert events.count(AuditEventType.RISK_ADDED) == 1
    assert events.count(AuditEventType.KPI_ADDED) == 1
    imported = AuditEvent.objects.get(event_type=AuditEventType.PLAN_IMPORTED)
    assert imported.extra_data == {
        "file": "plan.xlsx", "sheet": "Plan", "actions": 2, "milestones": 2, "risks": 1, "kpis": 1,
    }  # fmt: skip


def test_percentage_cells_are_read_as_shown(plan, assessment_lead) -> None:
    def percentages(sheets) -> None:
        ws = sheets["KPIs"]
        ws.append(["A01", "Screened within 24 hours", "%", 0.9, 0.7, 0.8, "Higher is better"])
        for cell in ws[3][3:6]:
            cell.number_format = "0%"

    confirm(plan, assessment_lead, full_workbook(percentages))
    kpi = Kpi.objects.get(name="Screened within 24 hours")
    assert (kpi.target, kpi.red_threshold, kpi.amber_threshold) == (
        Decimal(90),
        Decimal(70),
        Decimal(80),
    )


def _set(sheet: str, coordinate: str, value):
    def change(sheets) -> None:
        sheets[sheet][coordinate] = value

    return change


def _append(sheet: str, values):
    def change(sheets) -> None:
        sheets[sheet].append(values)

    return change


def _merge(sheet: str, cells: str):
    def change(sheets) -> None:
        sheets[sheet].merge_cells(cells)

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            _set("Milestones", "A2", "A09"),
            ["Milestones!A2 'A09': A09 is not an action in the file or the plan"],
            id="unknown-action",
        ),
        pytest.param(
            _set("Milestones", "C3", "next spring"),
            [
                "Milestones!C3 'next spring': 'next spring' is not a date: use a format like "
                "31/07/2025, 31-07-2025, 31.07.2025, 31/07/25, 31 July 2025, 31 Jul 2025 or "
                "2025-07-31"
            ],
            id="date-as-text",
        ),  # fmt: skip
        pytest.param(
            _set("Milestones", "D3", "Done"),
            [
                "Milestones!D3 'Done': Not a milestone status: use Not started, In progress or "
                "Complete"
            ],
            id="milestone-status",
        ),  # fmt: skip
        pytest.param(
            _set("KPIs", "G2", "sideways"),
            ["KPIs!G2 'sideways': Not a polarity: use Higher is better or Lower is better"],
            id="polarity",
        ),
        pytest.param(
            _set("Risks", "C2", 7),
            ["Risks!C2 '7': The likelihood must be a whole number from 1 to 5"],
            id="likelihood-out-of-range",
        ),
        pytest.param(
            _set("KPIs", "D2", "about 200"),
            ["KPIs!D2 'about 200': Enter a number, like 85 or 12.5"],
            id="target-not-a-number",
        ),
        pytest.param(
            _append("KPIs", ["A02", "concerns awaiting completion", "", 1, None, None, "Lower"]),
            ["KPIs!B3 'concerns awaiting completion': A02 has this KPI twice (rows 2 and 3)"],
            id="duplicate-kpi",
        ),
        pytest.param(
            _set("Risks", "D2", "=2+1"),
            ["Risks!D2 '=2+1': Cell D2 contains a formula; paste values instead"],
            id="formula",
        ),
        pytest.param(
            _merge("Milestones", "B2:C2"),
            [
                "Milestones!B2 'Risk tool agreed': Cell B2 is part of merged cells B2:C2; unmerge "
                "them",
                "Milestones!C2 '': Cell C2 is part of merged cells B2:C2; unmerge them",
            ],
            id="merged-cells",
        ),  # fmt: skip
    ],
)
def test_one_bad_row_in_any_sheet_imports_nothing(plan, assessment_lead, change, expected) -> None:
    with pytest.raises(importing.ImportRefused) as excinfo:
        confirm(plan, assessment_lead, full_workbook(change))
    assert [str(e) for e in excinfo.value.errors] == expected
    assert nothing_imported()


def test_a_missing_part_sheet_is_refused(plan, assessment_lead) -> None:
    def drop(sheets) -> None:
        sheets["Risks"].parent.remove(sheets["Risks"])

    with pytest.raises(importing.ImportRefused) as excinfo:
        confirm(plan, assessment_lead, full_workbook(drop))
    assert [e.rule for e in excinfo.value.errors] == [
        "There is no sheet called 'Risks' (sheets: Plan, Milestones, KPIs)"
    ]
    assert nothing_imported()


def test_parts_can_belong_to_actions_already_in_the_plan(plan, assessment_lead) -> None:
    a05 = make_action(plan, assessment_lead, "A05")
    services.kpi_add(action=a05, name="Reviews overdue", actor=assessment_lead)
    content = full_workbook(
        lambda s: (
            s["Milestones"].append(["A05", "Reviews policy agreed", "30/04/2026", "", None]),
            s["KPIs"].append(["a05", "Reviews overdue", "", 10, None, None, ""]),
        )
    )
    with pytest.raises(importing.ImportRefused) as excinfo:
        confirm(plan, assessment_lead, content)
    assert [str(e) for e in excinfo.value.errors] == [
        "KPIs!B3 'Reviews overdue': A05 already has this KPI"
    ]
    assert list(Action.objects.values_list("ref", flat=True)) == ["A05"]
    content = full_workbook(
        lambda s: s["Milestones"].append(["A05", "Reviews policy agreed", "30/04/2026", "", None])
    )
    confirm(plan, assessment_lead, content)
    assert list(a05.milestones.values_list("title", "status")) == [
        ("Reviews policy agreed", "not_started")
    ]


def test_an_exported_plan_imports_into_another_plan(kent, plan, assessment_lead) -> None:
    count, _ = confirm(plan, assessment_lead, full_workbook())
    exported = tables_xlsx(plan_tables(plan))
    other = make_plan(kent, assessment_lead, title="Copy of the plan")
    copy = importing.plan_import_upload(
        plan=other, filename="export.xlsx", content=exported, actor=assessment_lead
    )
    sheets = importing.read_workbook(exported)
    mapping = importing_core.guess_mapping(sheets["Actions"].header)
    parts = {
        p.name: importing.PartChoice(
            p.label, importing_core.guess_mapping(sheets[p.label].header, p.fields)
        )
        for p in importing_core.PARTS
    }
    assert importing.plan_import_confirm(
        plan_import=copy, sheet="Actions", mapping=mapping, actor=assessment_lead, parts=parts
    ) == count  # fmt: skip

    def parts_of(p):
        return (
            sorted(Milestone.objects.filter(action__plan=p).values_list(
                "action__ref", "title", "due_date", "status", "completed_on")),
            sorted(Risk.objects.filter(action__plan=p).values_list(
                "action__ref", "description", "likelihood", "impact", "mitigation")),
            sorted(Kpi.objects.filter(action__plan=p).values_list(
                "action__ref", "name", "unit", "target", "red_threshold", "amber_threshold",
                "polarity")),
        )  # fmt: skip

    assert parts_of(other) == parts_of(plan)
    assert len(parts_of(other)[0]) == 2


def test_only_plan_managers_can_import_parts(plan, assessment_lead, contributor) -> None:
    plan_import = upload(plan, assessment_lead, full_workbook())
    with pytest.raises(PermissionDeniedError):
        importing.plan_import_confirm(
            plan_import=plan_import, sheet="Plan", mapping=MAPPING, actor=contributor,
            parts=PARTS,
        )  # fmt: skip
    assert nothing_imported()


def _form(sheet_shown: bool = True) -> dict[str, str]:
    form = {"sheet": "Plan", "shown-sheet": "Plan", **{k: str(v) for k, v in MAPPING.items()}}
    for name, choice in PARTS.items():
        form[f"{name}-sheet"] = choice.sheet
        form[f"{name}-shown"] = choice.sheet if sheet_shown else ""
        form.update({f"{name}-{k}": str(v) for k, v in choice.mapping.items()})
    return form


def test_choose_the_sheets_and_columns_of_parts_in_the_browser(
    client_for, assessment_lead, plan
) -> None:
    client = client_for(assessment_lead)
    response = client.post(
        f"/improvement/plans/{plan.pk}/import/",
        {"file": SimpleUploadedFile("plan.xlsx", full_workbook())},
    )
    map_url = response["Location"]
    page = client.get(map_url).content.decode()
    for name, choice in PARTS.items():
        assert f'<input type="hidden" name="{name}-shown" value="{choice.sheet}">' in page
        assert f'<option value="{choice.sheet}" selected>{choice.sheet}</option>' in page
    assert '<select class="govuk-select" id="map-kpis-polarity" name="kpis-polarity">' in page
    assert '<option value="6" selected>G: Polarity</option>' in page
    checked = client.post(map_url, {**_form(), "step": "check"}).content.decode()
    assert "2 actions, 2 milestones, 1 risk and 1 KPI are ready to import" in checked
    assert "Staff shortages" in checked
    done = client.post(map_url, {**_form(), "step": "confirm"}, follow=True)
    assert "2 actions, 2 milestones, 1 risk and 1 KPI imported from plan.xlsx" in (
        done.content.decode()
    )
    assert Milestone.objects.count() == 2


def test_a_newly_chosen_sheet_is_checked_not_imported(client_for, assessment_lead, plan) -> None:
    client = client_for(assessment_lead)
    plan_import = upload(plan, assessment_lead, full_workbook())
    response = client.post(
        f"/improvement/imports/{plan_import.pk}/", {**_form(sheet_shown=False), "step": "confirm"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "You chose a different sheet for milestones, risks, KPIs" in page
    assert "2 actions, 2 milestones, 1 risk and 1 KPI are ready to import" in page
    assert nothing_imported()


def test_a_bad_part_row_is_listed_on_the_page(client_for, assessment_lead, plan) -> None:
    client = client_for(assessment_lead)
    plan_import = upload(plan, assessment_lead, full_workbook(_set("Risks", "D2", 0)))
    response = client.post(
        f"/improvement/imports/{plan_import.pk}/", {**_form(), "step": "confirm"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "1 problems found" in page
    assert "The impact must be a whole number from 1 to 5" in page
    assert nothing_imported()


def test_milestone_statuses_read_from_files_are_the_models() -> None:
    assert dict(MilestoneStatus.choices) == importing_core.MILESTONE_STATUSES


def test_a_milestone_can_be_added_with_its_status(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01")
    today = dt.date(2026, 2, 1)

    def add(title, status, completed_on=None):
        return services.milestone_add(
            action=action, title=title, due_date=dt.date(2026, 1, 31), actor=assessment_lead,
            status=status, completed_on=completed_on, today=today,
        )  # fmt: skip

    assert add("Done, no date", "complete").completed_on == today
    assert add("Done", "complete", dt.date(2026, 1, 20)).completed_on == dt.date(2026, 1, 20)
    assert add("Going", "in_progress", dt.date(2026, 1, 20)).completed_on is None
    with pytest.raises(ApplicationError, match="The date completed must be today or in the past"):
        add("Later", "complete", dt.date(2026, 2, 2))
    with pytest.raises(ApplicationError, match="Select the milestone's status"):
        add("Odd", "finished")
    assert list(action.milestones.values_list("title", "status")) == [
        ("Done, no date", "complete"), ("Done", "complete"), ("Going", "in_progress"),
    ]  # fmt: skip
