import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from careassure.accounts.models import User
from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from careassure.common.models import AuditEvent
from careassure.core.improvement import snapshot_hash
from careassure.improvement import selectors, services
from careassure.improvement.models import (
    Action,
    ActionUpdate,
    ImmutableRowError,
    ImprovementPlan,
    Snapshot,
)
from tests.improvement.factories import make_action, make_plan

AUG_20 = dt.datetime(2025, 8, 20, 10, 0, tzinfo=dt.UTC)
SEP_05 = dt.datetime(2025, 9, 5, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def plan(kent, assessment_lead: User) -> ImprovementPlan:
    return make_plan(kent, assessment_lead)


def test_plan_create_is_audited(kent, assessment_lead) -> None:
    plan = make_plan(kent, assessment_lead)
    event = AuditEvent.objects.get(event_type=AuditEventType.PLAN_CREATED)
    assert (event.actor, event.organisation, event.object_id) == (
        assessment_lead,
        kent,
        str(plan.pk),
    )


def test_viewer_cannot_create_a_plan(kent, viewer) -> None:
    with pytest.raises(PermissionDeniedError, match="You do not have permission to do this."):
        make_plan(kent, viewer)
    assert not ImprovementPlan.objects.exists()


def test_duplicate_reference_is_refused(plan, assessment_lead) -> None:
    make_action(plan, assessment_lead, "A01")
    with pytest.raises(ApplicationError) as excinfo:
        make_action(plan, assessment_lead, "a01")
    assert excinfo.value.message == "A01 is already used in this plan: choose another reference"


def test_unknown_quality_statement_is_refused(plan, assessment_lead) -> None:
    with pytest.raises(ApplicationError, match="'qs10' is not a quality statement"):
        make_action(plan, assessment_lead, "A01", quality_statements=["qs10"])


def test_owner_must_be_a_member(plan, assessment_lead, other_council_user) -> None:
    with pytest.raises(ApplicationError, match="is not a member of Kent County Council"):
        make_action(plan, assessment_lead, "A01", owner=other_council_user)


def test_quality_statements_are_stored_in_order_without_repeats(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01", quality_statements=["QS7", "qs1", "qs7"])
    assert action.quality_statements == ["qs1", "qs7"]


def test_status_change_is_audited_with_from_and_to(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01")
    services.action_status_change(action=action, to="on_track", actor=assessment_lead, version=1)
    event = AuditEvent.objects.get(event_type=AuditEventType.ACTION_STATUS_CHANGED)
    assert event.extra_data == {"from": "not_started", "to": "on_track"}
    assert Action.objects.get(pk=action.pk).version == 2


def test_illegal_status_change_is_refused_and_nothing_changes(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01")
    services.action_status_change(action=action, to="on_track", actor=assessment_lead, version=1)
    with pytest.raises(ApplicationError) as excinfo:
        services.action_status_change(
            action=action, to="not_started", actor=assessment_lead, version=2
        )
    assert excinfo.value.message == "An action cannot move from On track to Not started"
    assert Action.objects.get(pk=action.pk).status == "on_track"


def test_stale_version_is_a_conflict_and_nothing_changes(
    plan, assessment_lead, second_lead
) -> None:
    action = make_action(plan, assessment_lead, "A01")
    mine = Action.objects.get(pk=action.pk)
    theirs = Action.objects.get(pk=action.pk)
    services.action_edit(action=theirs, actor=second_lead, version=1, changes={"title": "Theirs"})
    with pytest.raises(ConflictError, match="A01 was changed by someone else"):
        services.action_edit(
            action=mine, actor=assessment_lead, version=1, changes={"title": "Mine"}
        )
    assert Action.objects.get(pk=action.pk).title == "Theirs"


def test_dependency_cycle_is_refused_naming_the_cycle(plan, assessment_lead) -> None:
    a03 = make_action(plan, assessment_lead, "A03")
    a05 = make_action(plan, assessment_lead, "A05")
    a07 = make_action(plan, assessment_lead, "A07")
    services.action_dependency_add(action=a07, depends_on=a05, actor=assessment_lead)
    services.action_dependency_add(action=a05, depends_on=a03, actor=assessment_lead)
    with pytest.raises(ApplicationError) as excinfo:
        services.action_dependency_add(action=a03, depends_on=a07, actor=assessment_lead)
    assert excinfo.value.message == (
        "A03 cannot depend on A07: A07 already depends on A03 (A07 → A05 → A03)"
    )
    assert selectors.dependency_graph(plan=plan) == {"A03": [], "A05": ["A03"], "A07": ["A05"]}


def test_rag_override_needs_a_reason(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01")
    with pytest.raises(ApplicationError, match="Enter the reason for overriding the RAG status"):
        services.action_rag_override(
            action=action, rag="red", reason="  ", actor=assessment_lead, version=1
        )


def test_rag_override_shows_as_overridden_with_the_computed_rag_kept(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01", due_date=dt.date(2026, 3, 31))
    services.action_rag_override(
        action=action, rag="amber", reason="Recruitment freeze", actor=assessment_lead, version=1
    )
    action = selectors.action_list(org=plan.organisation, plan=plan).get(pk=action.pk)
    rag = selectors.action_rag(action, rules=selectors.plan_rules(plan), today=dt.date(2025, 9, 1))
    assert (rag.rag, rag.computed, rag.overridden, rag.override_reason) == (
        "amber",
        "green",
        True,
        "Recruitment freeze",
    )


def test_kpi_beyond_red_makes_the_action_red(plan, assessment_lead) -> None:
    # Higher is better: red below 70. 65% screened in 24 hours is red.
    action = make_action(plan, assessment_lead, "A01")
    kpi = services.kpi_add(
        action=action,
        name="Screened in 24 hours",
        unit="%",
        target=Decimal(95),
        red_threshold=Decimal(70),
        amber_threshold=Decimal(85),
        actor=assessment_lead,
    )
    services.kpi_value_record(
        kpi=kpi, value=Decimal(65), as_at=dt.date(2025, 8, 31), actor=assessment_lead
    )
    action = selectors.action_list(org=plan.organisation, plan=plan).get(pk=action.pk)
    rag = selectors.action_rag(action, rules=selectors.plan_rules(plan), today=dt.date(2025, 9, 1))
    assert rag.rag == "red"
    assert rag.reasons == ("KPI 'Screened in 24 hours' is 65, beyond its red threshold of 70",)


def test_kpi_thresholds_the_wrong_way_round_are_refused(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01")
    with pytest.raises(ApplicationError, match="red threshold must not be above the amber"):
        services.kpi_add(
            action=action,
            name="k",
            red_threshold=Decimal(90),
            amber_threshold=Decimal(80),
            actor=assessment_lead,
        )


def test_updates_are_appended_and_never_overwritten(plan, assessment_lead, contributor) -> None:
    action = make_action(plan, assessment_lead, "A01", owner=contributor)
    milestone = services.milestone_add(
        action=action,
        title="Triage team in place",
        due_date=dt.date(2025, 9, 30),
        actor=assessment_lead,
    )
    first = services.action_update_submit(
        action=action,
        actor=contributor,
        version=1,
        period="2025-08",
        commentary="Started",
        status="on_track",
        percent_complete=10,
        now=AUG_20,
    )
    second = services.action_update_submit(
        action=Action.objects.get(pk=action.pk),
        actor=contributor,
        version=2,
        period="2025-08",
        commentary="Triage team recruited",
        status="on_track",
        percent_complete=25,
        milestone_changes={milestone.pk: "complete"},
        now=AUG_20 + dt.timedelta(days=1),
    )
    first.refresh_from_db()
    assert (first.commentary, first.percent_complete) == ("Started", 10)
    assert second.milestone_changes == [
        {"title": "Triage team in place", "from": "not_started", "to": "complete"}
    ]
    assert ActionUpdate.objects.filter(action=action).count() == 2
    first.commentary = "Rewritten"
    with pytest.raises(ImmutableRowError):
        first.save()
    with pytest.raises(ImmutableRowError):
        first.delete()


def test_only_the_owner_or_a_manager_can_update(
    plan, assessment_lead, contributor, make_member
) -> None:
    from careassure.accounts.roles import Role

    other = make_member("otto_contributor", plan.organisation, Role.CONTRIBUTOR)
    action = make_action(plan, assessment_lead, "A01", owner=contributor)
    with pytest.raises(PermissionDeniedError, match="Only the owner of A01 or a plan manager"):
        services.action_update_submit(
            action=action,
            actor=other,
            version=1,
            period="2025-08",
            commentary="x",
            status="on_track",
            percent_complete=5,
            now=AUG_20,
        )
    assert not ActionUpdate.objects.exists()


def test_request_updates_emails_owners_without_an_update(
    plan, assessment_lead, contributor, second_lead
) -> None:
    updated = make_action(plan, assessment_lead, "A01", owner=contributor)
    make_action(plan, assessment_lead, "A02", owner=second_lead)
    make_action(plan, assessment_lead, "A03")  # no owner: nobody to ask
    services.action_update_submit(
        action=updated,
        actor=contributor,
        version=1,
        period="2025-08",
        commentary="Done",
        status="on_track",
        percent_complete=50,
        now=AUG_20,
    )
    sent = services.updates_request(
        plan=plan,
        period="2025-08",
        actor=assessment_lead,
        base_url="http://testserver/",
        now=AUG_20,
    )
    assert [r.action.ref for r in sent] == ["A02"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Update needed for A02 (August 2025)"
    assert mail.outbox[0].to == ["grace_lead@example.org"]
    assert "http://testserver/improvement/actions/" in mail.outbox[0].body


def test_reminders_go_only_to_late_owners_after_the_interval(
    plan, assessment_lead, second_lead
) -> None:
    make_action(plan, assessment_lead, "A02", owner=second_lead)
    services.updates_request(
        plan=plan,
        period="2025-08",
        actor=assessment_lead,
        base_url="http://testserver/",
        now=AUG_20,
    )
    mail.outbox.clear()
    early = services.update_reminders_send(
        now=AUG_20 + dt.timedelta(days=6),
        after_days=7,
        base_url="http://x/",
        system_actor="cli:test",
    )
    assert early == []
    late = services.update_reminders_send(
        now=AUG_20 + dt.timedelta(days=7),
        after_days=7,
        base_url="http://x/",
        system_actor="cli:test",
    )
    assert [r.reminder_count for r in late] == [1]
    assert mail.outbox[0].subject == "Reminder: Update needed for A02 (August 2025)"


def test_closing_a_period_freezes_a_hashed_snapshot_later_edits_never_change(
    plan, assessment_lead
) -> None:
    action = make_action(plan, assessment_lead, "A01", title="Cut waiting lists")
    with time_machine.travel(SEP_05, tick=False):
        snapshot = services.period_close(plan=plan, period="2025-08", actor=assessment_lead)
    stored = Snapshot.objects.get(pk=snapshot.pk)
    assert stored.as_at == dt.date(2025, 8, 31)
    assert stored.sha256 == snapshot_hash(stored.document)
    frozen = stored.document
    services.action_edit(
        action=action, actor=assessment_lead, version=1, changes={"title": "Renamed later"}
    )
    services.action_status_change(
        action=Action.objects.get(pk=action.pk), to="on_track", actor=assessment_lead, version=2
    )
    again = Snapshot.objects.get(pk=snapshot.pk)
    assert again.document == frozen
    assert again.document["actions"][0]["title"] == "Cut waiting lists"
    assert again.document["actions"][0]["status"] == "not_started"
    assert again.sha256 == snapshot_hash(frozen)
    again.document = {}
    with pytest.raises(ImmutableRowError):
        again.save()


def test_a_closed_period_cannot_be_closed_again_or_updated(plan, assessment_lead) -> None:
    action = make_action(plan, assessment_lead, "A01")
    services.period_close(plan=plan, period="2025-08", actor=assessment_lead, now=SEP_05)
    with pytest.raises(ApplicationError, match="^August 2025 is already closed$"):
        services.period_close(plan=plan, period="2025-08", actor=assessment_lead, now=SEP_05)
    with pytest.raises(
        ApplicationError,
        match="July 2025 cannot be closed|August 2025 is already closed, so an earlier",
    ):
        services.period_close(plan=plan, period="2025-07", actor=assessment_lead, now=SEP_05)
    with pytest.raises(
        ApplicationError, match="August 2025 is closed: give this update for a later month"
    ):
        services.action_update_submit(
            action=action,
            actor=assessment_lead,
            version=1,
            period="2025-08",
            commentary="late",
            status="on_track",
            percent_complete=5,
            now=SEP_05,
        )


def test_a_future_month_cannot_be_closed(plan, assessment_lead) -> None:
    with pytest.raises(ApplicationError, match="October 2025 has not started"):
        services.period_close(plan=plan, period="2025-10", actor=assessment_lead, now=SEP_05)


def test_snapshot_records_updates_kpis_and_blockers(plan, assessment_lead) -> None:
    a01 = make_action(plan, assessment_lead, "A01")
    a02 = make_action(plan, assessment_lead, "A02", quality_statements=["qs7"])
    services.action_dependency_add(action=a02, depends_on=a01, actor=assessment_lead)
    kpi = services.kpi_add(
        action=a02,
        name="Concerns open",
        polarity="lower_is_better",
        red_threshold=Decimal(500),
        amber_threshold=Decimal(300),
        actor=assessment_lead,
    )
    services.kpi_value_record(
        kpi=kpi, value=Decimal(517), as_at=dt.date(2025, 8, 15), actor=assessment_lead
    )
    services.kpi_value_record(
        kpi=kpi, value=Decimal(450), as_at=dt.date(2025, 9, 2), actor=assessment_lead
    )
    services.action_update_submit(
        action=a01,
        actor=assessment_lead,
        version=1,
        period="2025-08",
        commentary="Started",
        status="on_track",
        percent_complete=10,
        now=AUG_20,
    )
    snapshot = services.period_close(plan=plan, period="2025-08", actor=assessment_lead, now=SEP_05)
    doc = {a["ref"]: a for a in snapshot.document["actions"]}
    assert doc["A01"]["updates"][0]["commentary"] == "Started"
    assert doc["A02"]["blocked_by"] == ["A01"]
    assert doc["A02"]["themes"] == ["T3"]
    # The 2 September figure is after the 31 August as-at date, so 517 (red: above 500) counts.
    assert doc["A02"]["kpis"][0]["value"] == "517.00"
    assert doc["A02"]["kpis"][0]["rag"] == "red"
    assert doc["A02"]["rag"] == "red"
