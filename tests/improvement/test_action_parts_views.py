"""The pages that change and remove an action's milestones, risks and KPIs."""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from careassure.common.audit import AuditEventType
from careassure.common.models import AuditEvent
from careassure.improvement import services
from careassure.improvement.models import Action, ImprovementPlan, Kpi, Milestone, Risk
from tests.improvement.factories import make_action, make_plan, store_metrics_run

NOV_20 = dt.datetime(2025, 11, 20, 12, tzinfo=dt.UTC)


@pytest.fixture
def plan(kent, assessment_lead) -> ImprovementPlan:
    return make_plan(kent, assessment_lead)


@pytest.fixture
def parts(plan, assessment_lead, contributor) -> dict[str, Any]:
    action = make_action(plan, assessment_lead, "A01", title="Cut waiting lists", owner=contributor)
    milestone = services.milestone_add(
        action=action, title="Triage tool agreed", due_date=dt.date(2025, 8, 1),
        actor=assessment_lead,
    )  # fmt: skip
    risk = services.risk_add(
        action=action, description="Staff shortages", likelihood=4, impact=3,
        mitigation="Agency cover", actor=assessment_lead,
    )  # fmt: skip
    kpi = services.kpi_add(
        action=action, name="Vacancy rate", unit="%", polarity="lower_is_better",
        red_threshold=Decimal(18), amber_threshold=Decimal(12), actor=assessment_lead,
    )  # fmt: skip
    return {"action": action, "milestone": milestone, "risk": risk, "kpi": kpi}


PAGES = [
    "/improvement/milestones/{milestone}/edit/",
    "/improvement/milestones/{milestone}/remove/",
    "/improvement/risks/{risk}/edit/",
    "/improvement/risks/{risk}/remove/",
    "/improvement/kpis/{kpi}/edit/",
    "/improvement/kpis/{kpi}/remove/",
]


def _url(path: str, parts: dict[str, Any]) -> str:
    return path.format(milestone=parts["milestone"].pk, risk=parts["risk"].pk, kpi=parts["kpi"].pk)


@pytest.mark.parametrize("path", PAGES)
def test_another_councils_member_gets_404_and_nothing_changes(
    client_for, other_council_user, parts, path
) -> None:
    client = client_for(other_council_user)
    url = _url(path, parts)
    assert client.get(url).status_code == 404
    data = {"version": 1, "title": "x", "due_date": "1/1/2026", "status": "complete",
            "description": "x", "likelihood": "1", "impact": "1", "name": "x",
            "polarity": "lower_is_better", "source": "manual"}  # fmt: skip
    assert client.post(url, data).status_code == 404
    assert Milestone.objects.get().title == "Triage tool agreed"
    assert Risk.objects.get().description == "Staff shortages"
    assert Kpi.objects.get().name == "Vacancy rate"
    assert not AuditEvent.objects.filter(
        event_type__in=[AuditEventType.ACTION_MILESTONE_UPDATED,
                        AuditEventType.ACTION_MILESTONE_REMOVED, AuditEventType.RISK_UPDATED,
                        AuditEventType.RISK_REMOVED, AuditEventType.KPI_UPDATED,
                        AuditEventType.KPI_REMOVED]
    ).exists()  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_owner_without_manage_permission_is_refused(client_for, contributor, parts, path) -> None:
    client = client_for(contributor)
    url = _url(path, parts)
    assert client.get(url).status_code == 403
    assert client.post(url, {"version": 1}).status_code == 403
    assert (Milestone.objects.count(), Risk.objects.count(), Kpi.objects.count()) == (1, 1, 1)


def test_action_page_has_change_and_remove_links_with_hidden_context(
    client_for, assessment_lead, viewer, parts
) -> None:
    url = f"/improvement/actions/{parts['action'].pk}/"
    body = client_for(assessment_lead).get(url).content.decode()
    milestone, risk, kpi = parts["milestone"], parts["risk"], parts["kpi"]
    assert f'href="/improvement/milestones/{milestone.pk}/edit/"' in body
    assert (
        'Change<span class="govuk-visually-hidden"> milestone ‘Triage tool agreed’</span>' in body
    )
    assert (
        'Remove<span class="govuk-visually-hidden"> milestone ‘Triage tool agreed’</span>' in body
    )
    assert f'href="/improvement/risks/{risk.pk}/remove/"' in body
    assert 'Remove<span class="govuk-visually-hidden"> (Risk 1)</span>' in body
    assert f'href="/improvement/kpis/{kpi.pk}/edit/"' in body
    assert 'Change<span class="govuk-visually-hidden"> KPI (Vacancy rate)</span>' in body
    assert "Entered by hand" in body
    viewer_body = client_for(viewer).get(url).content.decode()
    assert "/edit/" not in viewer_body
    assert "/remove/" not in viewer_body


def test_change_a_milestone_in_the_browser(client_for, assessment_lead, parts) -> None:
    milestone = parts["milestone"]
    client = client_for(assessment_lead)
    url = f"/improvement/milestones/{milestone.pk}/edit/"
    page = client.get(url).content.decode()
    assert 'value="Triage tool agreed"' in page
    assert 'value="1/8/2025"' in page
    with time_machine.travel(NOV_20, tick=False):
        response = client.post(
            url, {"version": 1, "title": "Triage tool signed off", "due_date": "15/8/2025",
                  "status": "complete", "completed_on": ""},
        )  # fmt: skip
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date, milestone.status, milestone.completed_on) == (
        "Triage tool signed off",
        dt.date(2025, 8, 15),
        "complete",
        dt.date(2025, 11, 20),
    )


def test_milestone_form_errors_and_stale_version(client_for, assessment_lead, parts) -> None:
    milestone = parts["milestone"]
    client = client_for(assessment_lead)
    url = f"/improvement/milestones/{milestone.pk}/edit/"
    response = client.post(url, {"version": 1, "title": "", "due_date": "31/2/2026",
                                 "status": "in_progress"})  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a title" in body
    assert "The due date must be a real date" in body
    services.milestone_edit(
        milestone=milestone, actor=assessment_lead, version=1, title="Changed elsewhere",
        due_date=milestone.due_date, status="in_progress",
    )  # fmt: skip
    response = client.post(url, {"version": 1, "title": "Mine", "due_date": "1/9/2025",
                                 "status": "in_progress"})  # fmt: skip
    assert response.status_code == 409
    assert "The milestone was changed by someone else" in response.content.decode()
    assert Milestone.objects.get().title == "Changed elsewhere"


def test_remove_needs_a_post_from_the_confirmation_page(client_for, assessment_lead, parts) -> None:
    client = client_for(assessment_lead)
    for kind, obj, model in (
        ("milestones", parts["milestone"], Milestone),
        ("risks", parts["risk"], Risk),
    ):
        url = f"/improvement/{kind}/{obj.pk}/remove/"
        page = client.get(url)
        assert page.status_code == 200
        body = page.content.decode()
        assert "Are you sure you want to remove this" in body
        assert 'name="version" value="1"' in body
        assert model.objects.filter(pk=obj.pk).exists()  # showing the page removes nothing
        response = client.post(url, {"version": 1})
        assert response.status_code == 302
        assert response["Location"] == f"/improvement/actions/{parts['action'].pk}/"
        assert not model.objects.filter(pk=obj.pk).exists()


def test_stale_remove_shows_the_conflict_page(client_for, assessment_lead, parts) -> None:
    risk = parts["risk"]
    services.risk_edit(
        risk=risk, actor=assessment_lead, version=1, description="Changed", likelihood=2,
        impact=2, mitigation="",
    )  # fmt: skip
    response = client_for(assessment_lead).post(
        f"/improvement/risks/{risk.pk}/remove/", {"version": 1}
    )
    assert response.status_code == 409
    assert "The risk was changed by someone else" in response.content.decode()
    assert Risk.objects.filter(pk=risk.pk).exists()


def test_kpi_with_figures_shows_why_it_cannot_be_removed(
    client_for, assessment_lead, parts
) -> None:
    kpi = parts["kpi"]
    services.kpi_value_record(
        kpi=kpi, value=Decimal(19), as_at=dt.date(2025, 8, 31), actor=assessment_lead
    )
    client = client_for(assessment_lead)
    url = f"/improvement/kpis/{kpi.pk}/remove/"
    body = client.get(url).content.decode()
    assert "This KPI cannot be removed" in body
    assert "because 1 figure has been recorded for it" in body
    assert "Yes, remove this KPI" not in body
    response = client.post(url, {"version": 1})
    assert response.status_code == 400
    assert "recorded figures are kept as history" in response.content.decode()
    assert Kpi.objects.filter(pk=kpi.pk).exists()


def test_change_a_kpi_to_take_its_figures_from_the_metrics_engine(
    client_for, kent, assessment_lead, parts
) -> None:
    store_metrics_run(
        kent, created_at=NOV_20,
        kpi_values=[("sg_open_count", "total", "all", "2025-10", "430"),
                    ("sg_open_count", "hub", "East hub", "2025-10", "200")],
    )  # fmt: skip
    kpi = parts["kpi"]
    client = client_for(assessment_lead)
    url = f"/improvement/kpis/{kpi.pk}/edit/"
    page = client.get(url).content.decode()
    assert "Take figures from the metrics engine" in page
    assert '<option value="kpi:sg_open_count">Safeguarding concerns awaiting completion' in page
    assert '<option value="hub:East hub">Hub: East hub</option>' in page
    data = {"version": 1, "source": "linked", "metric": "kpi:sg_open_count",
            "area": "hub:East hub", "name": "", "unit": "", "target": "",
            "red_threshold": "300", "amber_threshold": "150",
            "polarity": "lower_is_better"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    kpi.refresh_from_db()
    assert (kpi.source, kpi.metric_code, kpi.metric_dimension, kpi.metric_dimension_value) == (
        "metrics_kpi",
        "sg_open_count",
        "hub",
        "East hub",
    )
    assert kpi.name == "Safeguarding concerns awaiting completion (Hub: East hub)"
    with time_machine.travel(NOV_20, tick=False):
        body = client.get(f"/improvement/actions/{parts['action'].pk}/").content.decode()
    assert "Metrics engine: Safeguarding concerns awaiting completion (Hub: East hub)" in body
    # 200 is beyond the amber threshold of 150 but not the red of 300 (lower is better).
    assert (
        '200.0 as at 31 October 2025 <strong class="govuk-tag govuk-tag--yellow">Amber</strong>'
        in body
    )
    assert "Record a figure" not in body  # figures come from the metrics engine


def test_kpi_form_wrong_area_for_the_metric(client_for, kent, assessment_lead, parts) -> None:
    store_metrics_run(
        kent, created_at=NOV_20, ascof_period_end=dt.date(2025, 3, 31),
        kpi_values=[("sg_open_count", "total", "all", "2025-10", "430")],
        ascof=[("2A", "total", "62.0")],
    )  # fmt: skip
    response = client_for(assessment_lead).post(
        f"/improvement/actions/{parts['action'].pk}/kpis/",
        {"source": "linked", "metric": "ascof:2A", "area": "total:all", "name": "",
         "polarity": "higher_is_better"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Select one of the ASCOF measure’s breakdowns" in response.content.decode()
    assert Kpi.objects.count() == 1


def test_kpi_form_without_metrics_is_by_hand(client_for, assessment_lead, parts) -> None:
    action: Action = parts["action"]
    client = client_for(assessment_lead)
    page = client.get(f"/improvement/actions/{action.pk}/kpis/").content.decode()
    assert "Your council has no metrics runs yet" in page
    assert "Take figures from the metrics engine" not in page
    response = client.post(
        f"/improvement/actions/{action.pk}/kpis/",
        {"name": "Reviews overdue", "polarity": "lower_is_better", "red_threshold": "2500",
         "amber_threshold": "1500"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Kpi.objects.get(name="Reviews overdue").source == "manual"
