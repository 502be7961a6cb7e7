import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from openpyxl import Workbook

from careassure.common.exceptions import ApplicationError
from careassure.improvement import importing
from careassure.improvement.models import Action, PlanImport
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
