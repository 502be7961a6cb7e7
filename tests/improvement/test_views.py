import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from openpyxl import load_workbook

from careassure.improvement import services
from careassure.improvement.models import Action, ActionUpdate, ImprovementPlan, Snapshot
from tests.improvement.factories import make_action, make_plan

NOV_20 = dt.datetime(2025, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture
def plan(kent, assessment_lead) -> ImprovementPlan:
    return make_plan(kent, assessment_lead)


@pytest.fixture
def action(plan, assessment_lead, contributor) -> Action:
    return make_action(plan, assessment_lead, "A01", title="Cut waiting lists", owner=contributor)


def test_plan_pages_render_for_a_viewer(client_for, viewer, plan, action) -> None:
    client = client_for(viewer)
    for url in [
        "/improvement/",
        f"/improvement/plans/{plan.pk}/",
        f"/improvement/plans/{plan.pk}/dashboard/",
        f"/improvement/actions/{action.pk}/",
        f"/improvement/plans/{plan.pk}/snapshots/",
        f"/improvement/plans/{plan.pk}/changes/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(f"/improvement/plans/{plan.pk}/").content.decode()
    assert "Cut waiting lists" in body
    assert "Add an action" not in body  # viewers cannot change the plan


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("get", "/improvement/plans/{plan}/", id="plan"),
        pytest.param("get", "/improvement/plans/{plan}/dashboard/", id="dashboard"),
        pytest.param("get", "/improvement/plans/{plan}/export.xlsx", id="export"),
        pytest.param("get", "/improvement/actions/{action}/", id="action"),
        pytest.param("post", "/improvement/actions/{action}/update/", id="update"),
        pytest.param("post", "/improvement/actions/{action}/status/", id="status"),
        pytest.param("post", "/improvement/plans/{plan}/close/", id="close"),
        pytest.param("get", "/improvement/snapshots/{snapshot}/", id="snapshot"),
        pytest.param("get", "/reports/snapshots/{snapshot}/delivery_board.pdf", id="report"),
    ],
)
def test_another_councils_member_gets_404_and_nothing_changes(
    client_for, other_council_user, plan, action, assessment_lead, method, path
) -> None:
    snapshot = services.period_close(plan=plan, period="2025-10", actor=assessment_lead, now=NOV_20)
    url = path.format(plan=plan.pk, action=action.pk, snapshot=snapshot.pk)
    client = client_for(other_council_user)
    data = {
        "version": 1,
        "status": "on_track",
        "commentary": "x",
        "percent_complete": 5,
        "period": "2025-11",
    }
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == 404
    action.refresh_from_db()
    assert (action.status, action.version) == ("not_started", 1)
    assert not ActionUpdate.objects.exists()
    assert Snapshot.objects.count() == 1


def test_viewer_cannot_post_changes(client_for, viewer, plan, action) -> None:
    response = client_for(viewer).post(
        f"/improvement/actions/{action.pk}/status/", {"version": 1, "status": "on_track"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "not_started"


def test_owner_gives_an_update_in_the_browser(client_for, contributor, action) -> None:
    client = client_for(contributor)
    with time_machine.travel(NOV_20, tick=False):
        page = client.get(f"/improvement/actions/{action.pk}/update/")
        assert "November 2025 update" in page.content.decode()
        response = client.post(
            f"/improvement/actions/{action.pk}/update/",
            {
                "version": 1,
                "commentary": "Triage started",
                "status": "on_track",
                "percent_complete": "15",
            },
        )
    assert response.status_code == 302
    update = ActionUpdate.objects.get()
    assert (update.period, update.percent_complete, update.created_by) == (
        "2025-11",
        15,
        contributor,
    )


def test_update_form_errors_are_shown(client_for, contributor, action) -> None:
    response = client_for(contributor).post(
        f"/improvement/actions/{action.pk}/update/",
        {"version": 1, "commentary": "", "status": "on_track", "percent_complete": "120"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a commentary on progress" in body
    assert "Percentage complete must be a whole number from 0 to 100" in body


def test_stale_update_shows_the_conflict_page(
    client_for, contributor, assessment_lead, action
) -> None:
    services.action_edit(action=action, actor=assessment_lead, version=1, changes={"title": "New"})
    response = client_for(contributor).post(
        f"/improvement/actions/{action.pk}/update/",
        {"version": 1, "commentary": "Old form", "status": "on_track", "percent_complete": "5"},
    )
    assert response.status_code == 409
    assert "A01 was changed by someone else" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_dependency_cycle_message_on_the_page(client_for, assessment_lead, plan, action) -> None:
    a02 = make_action(plan, assessment_lead, "A02")
    services.action_dependency_add(action=a02, depends_on=action, actor=assessment_lead)
    response = client_for(assessment_lead).post(
        f"/improvement/actions/{action.pk}/dependencies/", {"depends_on": str(a02.pk)}
    )
    assert response.status_code == 400
    assert "A01 cannot depend on A02: A02 already depends on A01 (A02 → A01)" in (
        response.content.decode()
    )


def test_create_action_in_the_browser(client_for, assessment_lead, plan, contributor) -> None:
    response = client_for(assessment_lead).post(
        f"/improvement/plans/{plan.pk}/actions/new/",
        {
            "ref": "a09",
            "title": "Transitions protocol",
            "quality_statements": ["qs6"],
            "owner": str(contributor.pk),
            "due_date": "31/03/2026",
            "start_date": "1 June 2025",
            "priority": "high",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(ref="A09")
    assert (action.due_date, action.start_date, action.owner) == (
        dt.date(2026, 3, 31),
        dt.date(2025, 6, 1),
        contributor,
    )


def test_create_action_with_a_bad_date(client_for, assessment_lead, plan) -> None:
    response = client_for(assessment_lead).post(
        f"/improvement/plans/{plan.pk}/actions/new/",
        {
            "ref": "A09",
            "title": "T",
            "quality_statements": ["qs6"],
            "due_date": "31/02/2026",
            "priority": "high",
        },
    )
    assert "The due date must be a real date, for example 31/3/2026" in response.content.decode()


def test_rag_override_shows_tag_and_reason(client_for, assessment_lead, plan, action) -> None:
    client = client_for(assessment_lead)
    client.post(
        f"/improvement/actions/{action.pk}/rag/",
        {"version": 1, "rag": "red", "reason": "Funding withdrawn"},
    )
    body = client.get(f"/improvement/plans/{plan.pk}/").content.decode()
    assert "Overridden</strong>" in body
    assert "Funding withdrawn" in body


def test_request_updates_button_and_reminder_command(
    client_for, assessment_lead, plan, action
) -> None:
    with time_machine.travel(NOV_20, tick=False):
        response = client_for(assessment_lead).post(
            f"/improvement/plans/{plan.pk}/request-updates/"
        )
    assert response.status_code == 302
    assert [m.subject for m in mail.outbox] == ["Update needed for A01 (November 2025)"]
    out = io.StringIO()
    with time_machine.travel(NOV_20 + dt.timedelta(days=8), tick=False):
        call_command("send_update_reminders", stdout=out)
    assert "1 reminders sent" in out.getvalue()
    assert mail.outbox[-1].subject == "Reminder: Update needed for A01 (November 2025)"


def test_close_month_in_the_browser(client_for, assessment_lead, plan, action) -> None:
    with time_machine.travel(NOV_20, tick=False):
        response = client_for(assessment_lead).post(
            f"/improvement/plans/{plan.pk}/close/", {"period": "2025-10"}
        )
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/improvement/snapshots/{snapshot.pk}/"
    assert snapshot.period == "2025-10"


def test_dashboard_csv_and_xlsx_exports(client_for, viewer, plan, action) -> None:
    client = client_for(viewer)
    url = f"/improvement/plans/{plan.pk}/dashboard/"
    with time_machine.travel(NOV_20, tick=False):
        csv_text = client.get(url, {"export": "csv", "table": "rag-by-theme"}).content.decode()
    # A01 is QS1, theme T1, green (due 31 March 2026, nothing late).
    assert csv_text.splitlines()[:2] == [
        "Theme,Red,Amber,Green,Complete,Closed,Total",
        "T1 Working with people,0,0,1,0,0,1",
    ]
    book = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content))
    assert "Actions by RAG and theme" in book.sheetnames
    assert client.get(url, {"export": "csv", "table": "nope"}).status_code == 404


def test_plan_export_has_actions_and_history(client_for, viewer, plan, action, contributor) -> None:
    services.action_update_submit(
        action=action,
        actor=contributor,
        version=1,
        period="2025-11",
        commentary="=cmd|' /C calc'!A0",
        status="on_track",
        percent_complete=10,
        now=NOV_20,
    )
    client = client_for(viewer)
    book = load_workbook(
        io.BytesIO(client.get(f"/improvement/plans/{plan.pk}/export.xlsx").content)
    )
    assert book.sheetnames == ["Actions", "Milestones", "Risks", "KPIs", "KPI values", "Updates"]
    updates = list(book["Updates"].iter_rows(values_only=True))
    assert updates[1][:5] == ("A01", "2025-11", "On track", "Green", 10)
    assert updates[1][5] == "'=cmd|' /C calc'!A0"  # formula injection defused
    csv_text = client.get(f"/improvement/plans/{plan.pk}/export.csv").content.decode()
    assert csv_text.startswith("# Actions\r\nReference,Title,")


def test_compare_two_snapshots(client_for, assessment_lead, plan, action) -> None:
    services.period_close(plan=plan, period="2025-09", actor=assessment_lead, now=NOV_20)
    services.action_status_change(action=action, to="on_track", actor=assessment_lead, version=1)
    services.period_close(plan=plan, period="2025-10", actor=assessment_lead, now=NOV_20)
    body = (
        client_for(assessment_lead).get(f"/improvement/plans/{plan.pk}/changes/").content.decode()
    )
    assert "What changed from September 2025 to October 2025" in body
    assert 'Not started</td><td class="govuk-table__cell">On track' in body


def test_rag_rules_form_saves_the_document(client_for, assessment_lead, plan) -> None:
    response = client_for(assessment_lead).post(
        f"/improvement/plans/{plan.pk}/rules/",
        {
            "red_when_overdue": "on",
            "amber_when_milestone_late": "on",
            "amber_when_due_within_days": "30",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.rag_rules == {
        "red_when_overdue": True,
        "red_when_kpi_beyond_red": False,
        "red_when_status_off_track": False,
        "red_when_milestone_late_by_days": None,
        "amber_when_milestone_late": True,
        "amber_when_kpi_beyond_amber": False,
        "amber_when_status_at_risk": False,
        "amber_when_due_within_days": 30,
    }


def test_dashboard_card_counts_red_actions(client_for, viewer, plan, assessment_lead) -> None:
    make_action(plan, assessment_lead, "A01", start_date=None, due_date=dt.date(2025, 1, 31))
    with time_machine.travel(NOV_20, tick=False):
        body = client_for(viewer).get("/dashboard/").content.decode()
    assert "1 red" in body
    assert "of 1 actions in CQC improvement plan" in body


def test_scores_and_report_text_are_saved(client_for, assessment_lead, plan) -> None:
    data = {f"cqc_qs{i}": str(s) for i, s in enumerate([2, 2, 3, 2, 2, 2, 2, 2, 3], start=1)}
    data.update({"target_qs1": "3", "strengths": "Advocacy\n\nCo-production\n"})
    response = client_for(assessment_lead).post(f"/improvement/plans/{plan.pk}/scores/", data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.qs_scores["cqc"] == {
        f"qs{i}": s for i, s in enumerate([2, 2, 3, 2, 2, 2, 2, 2, 3], start=1)
    }
    assert plan.qs_scores["target"] == {"qs1": 3}
    assert plan.qs_scores["self"] == {}
    assert plan.report_content["strengths"] == ["Advocacy", "Co-production"]


def test_plan_can_link_to_an_assessment_of_the_same_council(
    kent, staffordshire, assessment_lead
) -> None:
    from careassure.assessments.models import AssessmentCycle
    from careassure.common.exceptions import ApplicationError

    mine = AssessmentCycle.objects.create(
        organisation=kent, name="CQC 2024", notification_date=dt.date(2024, 3, 18)
    )
    theirs = AssessmentCycle.objects.create(
        organisation=staffordshire, name="CQC 2024", notification_date=dt.date(2024, 3, 18)
    )
    plan = services.plan_create(
        org=kent, title="P", cycle="c", actor=assessment_lead, assessment_cycle=mine
    )
    assert plan.assessment_cycle == mine
    with pytest.raises(ApplicationError, match="Select one of your council's assessments"):
        services.plan_create(
            org=kent, title="Q", cycle="c", actor=assessment_lead, assessment_cycle=theirs
        )
