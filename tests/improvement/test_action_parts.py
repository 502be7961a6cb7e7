"""Changing and removing an action's milestones, risks and KPIs: permissions, audit, locking."""

import datetime as dt
from decimal import Decimal

import pytest

from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from careassure.common.models import AuditEvent
from careassure.improvement import selectors, services
from careassure.improvement.models import Action, ImprovementPlan, Kpi, Milestone, Risk
from tests.improvement.factories import make_action, make_plan

SEP_1 = dt.date(2025, 9, 1)


@pytest.fixture
def plan(kent, assessment_lead) -> ImprovementPlan:
    return make_plan(kent, assessment_lead)


@pytest.fixture
def action(plan, assessment_lead, contributor) -> Action:
    return make_action(plan, assessment_lead, "A01", owner=contributor)


@pytest.fixture
def milestone(action, assessment_lead) -> Milestone:
    return services.milestone_add(
        action=action, title="Triage tool agreed", due_date=dt.date(2025, 8, 1),
        actor=assessment_lead,
    )  # fmt: skip


@pytest.fixture
def risk(action, assessment_lead) -> Risk:
    return services.risk_add(
        action=action, description="Staff shortages", likelihood=4, impact=3,
        mitigation="Agency cover", actor=assessment_lead,
    )  # fmt: skip


@pytest.fixture
def kpi(action, assessment_lead) -> Kpi:
    return services.kpi_add(
        action=action, name="Vacancy rate", unit="%", polarity="lower_is_better",
        red_threshold=Decimal(18), amber_threshold=Decimal(12), actor=assessment_lead,
    )  # fmt: skip


def _rag(plan: ImprovementPlan, action: Action, today: dt.date):  # type: ignore[no-untyped-def]
    fresh = selectors.action_list(org=plan.organisation, plan=plan).get(pk=action.pk)
    return selectors.action_rag(fresh, rules=selectors.plan_rules(plan), today=today)


def _edit_milestone(milestone: Milestone, actor, **changes) -> Milestone:  # type: ignore[no-untyped-def]
    fields = {
        "title": milestone.title,
        "due_date": milestone.due_date,
        "status": milestone.status,
        "completed_on": milestone.completed_on,
        "version": milestone.version,
        "today": SEP_1,
    }
    fields.update(changes)
    return services.milestone_edit(milestone=milestone, actor=actor, **fields)


def test_milestone_changes_feed_the_rag_rules(plan, action, milestone, assessment_lead) -> None:
    # Due 1 August and not complete: late on 1 September, so amber by the default rules.
    assert _rag(plan, action, SEP_1).reasons == (
        "Milestone 'Triage tool agreed' is late: due 1 August 2025",
    )
    _edit_milestone(milestone, assessment_lead, due_date=dt.date(2025, 9, 30))
    assert _rag(plan, action, SEP_1).rag == "green"
    _edit_milestone(milestone, assessment_lead, due_date=dt.date(2025, 8, 15))
    assert _rag(plan, action, SEP_1).rag == "amber"
    _edit_milestone(milestone, assessment_lead, status="complete")
    assert _rag(plan, action, SEP_1).rag == "green"


def test_milestone_edit_is_audited_with_before_and_after(milestone, assessment_lead) -> None:
    _edit_milestone(
        milestone, assessment_lead, title="Triage tool signed off", status="complete",
        completed_on=dt.date(2025, 8, 20),
    )  # fmt: skip
    milestone.refresh_from_db()
    assert (milestone.title, milestone.status, milestone.completed_on, milestone.version) == (
        "Triage tool signed off",
        "complete",
        dt.date(2025, 8, 20),
        2,
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.ACTION_MILESTONE_UPDATED)
    assert event.actor == assessment_lead
    assert event.before == {
        "title": "Triage tool agreed",
        "due_date": "2025-08-01",
        "status": "not_started",
        "completed_on": None,
    }
    assert event.after == {
        "title": "Triage tool signed off",
        "due_date": "2025-08-01",
        "status": "complete",
        "completed_on": "2025-08-20",
    }
    assert event.extra_data == {"action": "A01"}


def test_completion_date_defaults_to_today_and_is_dropped_when_reopened(
    milestone, assessment_lead
) -> None:
    done = _edit_milestone(milestone, assessment_lead, status="complete")
    assert done.completed_on == SEP_1
    reopened = _edit_milestone(
        done, assessment_lead, status="in_progress", completed_on=dt.date(2025, 8, 20)
    )
    assert reopened.completed_on is None
    with pytest.raises(ApplicationError, match="must be today or in the past"):
        _edit_milestone(
            reopened, assessment_lead, status="complete", completed_on=dt.date(2025, 9, 2)
        )


def test_stale_milestone_edit_is_a_conflict_and_nothing_changes(
    milestone, assessment_lead, second_lead
) -> None:
    _edit_milestone(milestone, second_lead, title="Changed first")
    stale = Milestone.objects.get(pk=milestone.pk)
    stale.version = 1  # the version the first editor's form was showing
    with pytest.raises(ConflictError):
        _edit_milestone(stale, assessment_lead, title="Changed second")
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("Changed first", 2)
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.ACTION_MILESTONE_UPDATED).count() == 1
    )


def test_an_owners_update_moves_the_milestone_version_on(
    action, milestone, assessment_lead, contributor
) -> None:
    services.action_update_submit(
        action=action, actor=contributor, version=action.version, period="2025-09",
        commentary="Tool agreed", status="on_track", percent_complete=20,
        milestone_changes={milestone.pk: "complete"},
        now=dt.datetime(2025, 9, 2, 10, tzinfo=dt.UTC),
    )  # fmt: skip
    # A manager's form opened before the update still shows version 1: it must not win.
    with pytest.raises(ConflictError):
        _edit_milestone(milestone, assessment_lead, status="not_started", version=1)
    assert Milestone.objects.get(pk=milestone.pk).status == "complete"


def test_contributor_and_viewer_cannot_change_or_remove_parts(
    milestone, risk, kpi, contributor, viewer
) -> None:
    for user in (contributor, viewer):
        with pytest.raises(PermissionDeniedError):
            _edit_milestone(milestone, user, title="x")
        with pytest.raises(PermissionDeniedError):
            services.milestone_remove(milestone=milestone, actor=user, version=1)
        with pytest.raises(PermissionDeniedError):
            services.risk_remove(risk=risk, actor=user, version=1)
        with pytest.raises(PermissionDeniedError):
            services.kpi_remove(kpi=kpi, actor=user, version=1)
    assert (Milestone.objects.count(), Risk.objects.count(), Kpi.objects.count()) == (1, 1, 1)


def test_another_councils_lead_cannot_change_parts(milestone, risk, other_council_user) -> None:
    with pytest.raises(PermissionDeniedError):
        _edit_milestone(milestone, other_council_user, title="x")
    with pytest.raises(PermissionDeniedError):
        services.risk_edit(
            risk=risk, actor=other_council_user, version=1, description="x", likelihood=1,
            impact=1, mitigation="",
        )  # fmt: skip
    assert Milestone.objects.get().title == "Triage tool agreed"


def test_milestone_remove_is_audited_and_needs_the_current_version(
    milestone, assessment_lead
) -> None:
    with pytest.raises(ConflictError):
        services.milestone_remove(milestone=milestone, actor=assessment_lead, version=2)
    assert Milestone.objects.exists()
    pk = milestone.pk
    services.milestone_remove(milestone=milestone, actor=assessment_lead, version=1)
    assert not Milestone.objects.exists()
    event = AuditEvent.objects.get(event_type=AuditEventType.ACTION_MILESTONE_REMOVED)
    assert (event.object_id, event.before["title"], event.extra_data) == (
        str(pk),
        "Triage tool agreed",
        {"action": "A01"},
    )


def test_risk_edit_and_remove(risk, assessment_lead) -> None:
    edited = services.risk_edit(
        risk=risk, actor=assessment_lead, version=1, description="Staff shortages in the east",
        likelihood=5, impact=3, mitigation="Recruitment drive",
    )  # fmt: skip
    assert (edited.score, edited.version) == (15, 2)
    event = AuditEvent.objects.get(event_type=AuditEventType.RISK_UPDATED)
    assert (event.before["likelihood"], event.after["likelihood"]) == (4, 5)
    with pytest.raises(ApplicationError, match="The impact must be a number from 1 to 5"):
        services.risk_edit(
            risk=edited, actor=assessment_lead, version=2, description="x", likelihood=1,
            impact=6, mitigation="",
        )  # fmt: skip
    with pytest.raises(ConflictError):
        services.risk_remove(risk=edited, actor=assessment_lead, version=1)
    services.risk_remove(risk=edited, actor=assessment_lead, version=2)
    assert not Risk.objects.exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.RISK_REMOVED).count() == 1


def test_kpi_edit_is_audited_and_locked(kpi, assessment_lead, second_lead) -> None:
    fields = {
        "name": "Frontline vacancy rate", "unit": "%", "target": Decimal(8),
        "red_threshold": Decimal(18), "amber_threshold": Decimal(12),
        "polarity": "lower_is_better",
    }  # fmt: skip
    services.kpi_edit(kpi=kpi, actor=second_lead, version=1, **fields)
    with pytest.raises(ConflictError):
        services.kpi_edit(kpi=Kpi.objects.get(pk=kpi.pk), actor=assessment_lead, version=1,
                          **{**fields, "name": "Lost"})  # fmt: skip
    kpi.refresh_from_db()
    assert (kpi.name, kpi.target, kpi.version) == ("Frontline vacancy rate", Decimal(8), 2)
    event = AuditEvent.objects.get(event_type=AuditEventType.KPI_UPDATED)
    assert (event.before["name"], event.after["name"], event.after["target"]) == (
        "Vacancy rate",
        "Frontline vacancy rate",
        "8",
    )
    with pytest.raises(ApplicationError, match="red threshold must not be below the amber"):
        services.kpi_edit(
            kpi=kpi, actor=assessment_lead, version=2,
            **{**fields, "red_threshold": Decimal(10)},
        )  # fmt: skip


def test_kpi_with_recorded_figures_cannot_be_removed(kpi, assessment_lead) -> None:
    for value, day in ((19, dt.date(2025, 8, 31)), (18, dt.date(2025, 9, 30))):
        services.kpi_value_record(kpi=kpi, value=Decimal(value), as_at=day, actor=assessment_lead)
    with pytest.raises(ApplicationError) as excinfo:
        services.kpi_remove(kpi=kpi, actor=assessment_lead, version=1)
    assert excinfo.value.message == (
        "‘Vacancy rate’ cannot be removed because 2 figures have been recorded for it, and "
        "recorded figures are kept as history. You can change the KPI instead."
    )
    assert Kpi.objects.filter(pk=kpi.pk).exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.KPI_REMOVED).exists()


def test_kpi_without_figures_is_removed_and_audited(kpi, assessment_lead) -> None:
    pk = kpi.pk
    services.kpi_remove(kpi=kpi, actor=assessment_lead, version=1)
    assert not Kpi.objects.exists()
    event = AuditEvent.objects.get(event_type=AuditEventType.KPI_REMOVED)
    assert (event.object_id, event.before["name"]) == (str(pk), "Vacancy rate")
