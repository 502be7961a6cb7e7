"""Assessment services: permissions, audit, versions, the workflow and optimistic locking."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from careassure.accounts.models import Organisation, User
from careassure.assessments import selectors, services
from careassure.assessments.models import (
    AssessmentCycle,
    MilestoneDateChange,
    SelfAssessment,
    SelfAssessmentVersion,
)
from careassure.common.audit import AuditEventType
from careassure.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from careassure.common.models import AuditEvent


def _sa(cycle: AssessmentCycle, qs_id: str) -> SelfAssessment:
    return selectors.self_assessment_get(org=cycle.organisation, cycle=cycle, qs_id=qs_id)


def _save(
    sa: SelfAssessment, actor: User, based_on: int, **kwargs: object
) -> SelfAssessmentVersion:
    values: dict[str, object] = {
        "strengths": "Strong front door",
        "areas_for_development": "Waiting lists",
        "actions": "Recruiting assessors",
        "score": 2,
        "score_rationale": "Waiting lists are long",
    }
    values.update(kwargs)
    return services.self_assessment_save(
        self_assessment=sa,
        actor=actor,
        based_on_version=based_on,
        **values,  # type: ignore[arg-type]
    )


def test_cycle_create_makes_nine_self_assessments_and_audits(
    cycle: AssessmentCycle, kent: Organisation, assessment_lead: User
) -> None:
    assert [sa.qs_id for sa in selectors.self_assessment_list(org=kent, cycle=cycle)] == [
        f"qs{i}" for i in range(1, 10)
    ]
    event = AuditEvent.objects.get(event_type=AuditEventType.ASSESSMENT_CYCLE_CREATED)
    assert (event.actor, event.organisation, event.object_id) == (
        assessment_lead,
        kent,
        str(cycle.pk),
    )
    assert event.after is not None
    assert event.after["notification_date"] == "2024-03-18"
    assert selectors.cycle_current(org=kent) == cycle


def test_new_cycle_becomes_current(
    cycle: AssessmentCycle, kent: Organisation, assessment_lead: User
) -> None:
    newer = services.cycle_create(
        org=kent, actor=assessment_lead, name="2027", notification_date=dt.date(2027, 1, 4)
    )
    assert selectors.cycle_current(org=kent) == newer
    cycle.refresh_from_db()
    assert cycle.is_current is False


def test_cycle_current_is_none_for_council_without_cycle(
    cycle: AssessmentCycle, staffordshire: Organisation
) -> None:
    assert selectors.cycle_current(org=staffordshire) is None


@pytest.mark.parametrize("role_fixture", ["contributor", "viewer", "board_member"])
def test_only_leads_create_cycles(
    role_fixture: str, request: pytest.FixtureRequest, kent: Organisation
) -> None:
    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDeniedError):
        services.cycle_create(
            org=kent, actor=actor, name="x", notification_date=dt.date(2024, 3, 18)
        )
    assert AssessmentCycle.objects.count() == 0
    assert (
        AuditEvent.objects.filter(event_type=AuditEventType.ASSESSMENT_CYCLE_CREATED).count() == 0
    )


def test_cycle_update_rejects_on_site_end_before_start(
    cycle: AssessmentCycle, assessment_lead: User
) -> None:
    with pytest.raises(ApplicationError) as info:
        services.cycle_update(
            cycle=cycle, actor=assessment_lead, on_site_end_date=dt.date(2024, 9, 30)
        )
    assert info.value.message == "The last day on site must be the same as or after the first day"
    cycle.refresh_from_db()
    assert cycle.on_site_end_date == dt.date(2024, 10, 3)


def test_cycle_update_audits_before_and_after(
    cycle: AssessmentCycle, assessment_lead: User
) -> None:
    services.cycle_update(cycle=cycle, actor=assessment_lead, publication_date=dt.date(2025, 5, 16))
    event = AuditEvent.objects.get(event_type=AuditEventType.ASSESSMENT_CYCLE_UPDATED)
    assert event.before is not None
    assert event.after is not None
    assert event.before["publication_date"] is None
    assert event.after["publication_date"] == "2025-05-16"


def test_milestone_date_change_keeps_reason_and_history(
    cycle: AssessmentCycle, kent: Organisation, assessment_lead: User
) -> None:
    services.milestone_date_change(
        cycle=cycle,
        actor=assessment_lead,
        key="information_return",
        new_date=dt.date(2024, 4, 10),
        reason="CQC agreed two extra days",
    )
    services.milestone_date_change(
        cycle=cycle,
        actor=assessment_lead,
        key="information_return",
        new_date=dt.date(2024, 4, 12),
        reason="CQC agreed a further extension",
    )
    timeline = {
        m.key: m
        for m in selectors.cycle_timeline(org=kent, cycle=cycle, today=dt.date(2024, 4, 11))
    }
    assert timeline["information_return"].date == dt.date(2024, 4, 12)
    assert timeline["information_return"].changed is True
    assert MilestoneDateChange.objects.filter(cycle=cycle).count() == 2
    assert AuditEvent.objects.filter(event_type=AuditEventType.MILESTONE_DATE_CHANGED).count() == 2


def test_milestone_date_change_needs_a_reason(
    cycle: AssessmentCycle, assessment_lead: User
) -> None:
    with pytest.raises(ApplicationError) as info:
        services.milestone_date_change(
            cycle=cycle,
            actor=assessment_lead,
            key="information_return",
            new_date=dt.date(2024, 4, 10),
            reason="  ",
        )
    assert info.value.message == "Enter the reason for changing this date"
    assert MilestoneDateChange.objects.count() == 0


def test_milestone_update_refuses_owner_from_another_council(
    cycle: AssessmentCycle, assessment_lead: User, other_council_user: User
) -> None:
    with pytest.raises(ApplicationError) as info:
        services.milestone_update(
            cycle=cycle,
            actor=assessment_lead,
            key="information_return",
            owner=other_council_user,
            done_on=None,
        )
    assert info.value.message == "Select a member of this council"


def test_save_creates_immutable_versions_and_audits(
    cycle: AssessmentCycle, contributor: User
) -> None:
    sa = _sa(cycle, "qs1")
    first = _save(sa, contributor, 0)
    second = _save(sa, contributor, 1, strengths="Stronger front door")
    sa.refresh_from_db()
    assert (first.number, second.number, sa.current_version) == (1, 2, 2)
    first.strengths = "changed"
    with pytest.raises(ValueError, match="never changed once saved"):
        first.save()
    assert SelfAssessmentVersion.objects.get(pk=first.pk).strengths == "Strong front door"
    events = AuditEvent.objects.filter(event_type=AuditEventType.SELF_ASSESSMENT_SAVED)
    assert [e.extra_data["version"] for e in events.order_by("id")] == [1, 2]
    assert events.order_by("id").last().actor == contributor  # type: ignore[union-attr]


def test_score_needs_a_rationale(cycle: AssessmentCycle, contributor: User) -> None:
    sa = _sa(cycle, "qs1")
    with pytest.raises(ApplicationError) as info:
        _save(sa, contributor, 0, score=3, score_rationale="")
    assert info.value.message == "Enter the reason for this score"
    assert info.value.extra == {"field": "score_rationale"}
    assert SelfAssessmentVersion.objects.count() == 0


def test_save_from_an_older_version_is_a_conflict_and_writes_nothing(
    cycle: AssessmentCycle, contributor: User, assessment_lead: User
) -> None:
    sa = _sa(cycle, "qs2")
    _save(sa, contributor, 0, strengths="Chloe's text")
    _save(sa, assessment_lead, 1, strengths="Ben's text")
    with pytest.raises(ConflictError) as info:
        _save(sa, contributor, 1, strengths="Chloe's second text")
    assert info.value.extra == {"current_version": 2, "based_on_version": 1}
    sa.refresh_from_db()
    assert sa.current_version == 2
    assert selectors.version_current(sa).strengths == "Ben's text"  # type: ignore[union-attr]
    assert SelfAssessmentVersion.objects.filter(self_assessment=sa).count() == 2


def test_viewer_and_board_member_cannot_save(
    cycle: AssessmentCycle, viewer: User, board_member: User
) -> None:
    sa = _sa(cycle, "qs1")
    for actor in (viewer, board_member):
        with pytest.raises(PermissionDeniedError):
            _save(sa, actor, 0)
    assert SelfAssessmentVersion.objects.count() == 0


def test_workflow_submit_then_approve_by_another_lead(
    cycle: AssessmentCycle, contributor: User, assessment_lead: User
) -> None:
    sa = _sa(cycle, "qs3")
    _save(sa, contributor, 0)
    services.self_assessment_status_change(self_assessment=sa, actor=contributor, to="in_review")
    with time_machine.travel(dt.datetime(2024, 4, 2, 9, tzinfo=dt.UTC), tick=False):
        services.self_assessment_status_change(
            self_assessment=sa, actor=assessment_lead, to="approved"
        )
    sa.refresh_from_db()
    assert (sa.status, sa.approved_by, sa.approved_at) == (
        "approved",
        assessment_lead,
        dt.datetime(2024, 4, 2, 9, tzinfo=dt.UTC),
    )
    changes = [(c.from_status, c.to_status) for c in sa.status_changes.order_by("id")]
    assert changes == [("draft", "in_review"), ("in_review", "approved")]
    events = AuditEvent.objects.filter(
        event_type=AuditEventType.SELF_ASSESSMENT_STATUS_CHANGED
    ).order_by("id")
    assert [e.extra_data for e in events] == [
        {"from": "draft", "to": "in_review", "version": 1},
        {"from": "in_review", "to": "approved", "version": 1},
    ]


def test_author_cannot_approve_own_version(cycle: AssessmentCycle, assessment_lead: User) -> None:
    sa = _sa(cycle, "qs4")
    _save(sa, assessment_lead, 0)
    services.self_assessment_status_change(
        self_assessment=sa, actor=assessment_lead, to="in_review"
    )
    with pytest.raises(PermissionDeniedError) as info:
        services.self_assessment_status_change(
            self_assessment=sa, actor=assessment_lead, to="approved"
        )
    assert info.value.message == (
        "Someone other than the person who saved this version must approve it"
    )
    sa.refresh_from_db()
    assert sa.status == "in_review"


def test_contributor_cannot_approve(
    cycle: AssessmentCycle, contributor: User, assessment_lead: User
) -> None:
    sa = _sa(cycle, "qs4")
    _save(sa, assessment_lead, 0)
    services.self_assessment_status_change(
        self_assessment=sa, actor=assessment_lead, to="in_review"
    )
    with pytest.raises(PermissionDeniedError):
        services.self_assessment_status_change(self_assessment=sa, actor=contributor, to="approved")
    sa.refresh_from_db()
    assert sa.status == "in_review"


def test_cannot_approve_straight_from_draft(
    cycle: AssessmentCycle, contributor: User, assessment_lead: User
) -> None:
    sa = _sa(cycle, "qs5")
    _save(sa, contributor, 0)
    with pytest.raises(ApplicationError) as info:
        services.self_assessment_status_change(
            self_assessment=sa, actor=assessment_lead, to="approved"
        )
    assert info.value.message == "A self-assessment cannot move from draft to approved"


def test_saving_an_approved_self_assessment_returns_it_to_draft(
    cycle: AssessmentCycle, contributor: User, assessment_lead: User
) -> None:
    sa = _sa(cycle, "qs6")
    _save(sa, contributor, 0)
    services.self_assessment_status_change(self_assessment=sa, actor=contributor, to="in_review")
    services.self_assessment_status_change(self_assessment=sa, actor=assessment_lead, to="approved")
    _save(sa, contributor, 1, strengths="Updated before the visit")
    sa.refresh_from_db()
    assert (sa.status, sa.approved_by) == ("draft", None)
    assert sa.status_changes.order_by("id").last().to_status == "draft"  # type: ignore[union-attr]


def test_external_scores_save_and_remove(
    cycle: AssessmentCycle, kent: Organisation, assessment_lead: User
) -> None:
    services.external_scores_save(
        cycle=cycle, actor=assessment_lead, source="cqc", scores={"qs1": 2, "qs3": 3}
    )
    services.external_scores_save(
        cycle=cycle, actor=assessment_lead, source="cqc", scores={"qs1": None}
    )
    scores = selectors.external_scores(org=kent, cycle=cycle, source="cqc")
    assert (scores["qs1"], scores["qs3"], scores["qs9"]) == (None, 3, None)
    event = AuditEvent.objects.filter(event_type=AuditEventType.EXTERNAL_SCORES_SAVED).first()
    assert event is not None
    assert event.before is not None
    assert event.after is not None
    assert (event.before["qs1"], event.after["qs1"]) == (2, None)


def test_external_scores_reject_out_of_range(cycle: AssessmentCycle, assessment_lead: User) -> None:
    with pytest.raises(ApplicationError) as info:
        services.external_scores_save(
            cycle=cycle, actor=assessment_lead, source="cqc", scores={"qs1": 5}
        )
    assert info.value.message == "Select a score from 1 to 4"


def test_key_findings_replace_lists(
    cycle: AssessmentCycle, kent: Organisation, assessment_lead: User
) -> None:
    services.key_findings_save(
        cycle=cycle,
        actor=assessment_lead,
        strengths=["Co-production", "", "Advocacy"],
        areas_for_development=["Waiting lists"],
    )
    assert selectors.key_findings(org=kent, cycle=cycle) == {
        "strength": ["Co-production", "Advocacy"],
        "area_for_development": ["Waiting lists"],
    }
    assert AuditEvent.objects.filter(event_type=AuditEventType.KEY_FINDINGS_SAVED).count() == 1


def test_information_request_due_before_request_is_refused(
    cycle: AssessmentCycle, assessment_lead: User
) -> None:
    with pytest.raises(ApplicationError) as info:
        services.information_request_create(
            cycle=cycle,
            actor=assessment_lead,
            title="Safeguarding data",
            requested_on=dt.date(2024, 10, 15),
            due_on=dt.date(2024, 10, 14),
        )
    assert info.value.message == "The due date must be the same as or after the request date"


def test_changing_a_recorded_date_needs_a_reason(
    cycle: AssessmentCycle, assessment_lead: User
) -> None:
    with pytest.raises(ApplicationError) as info:
        services.cycle_update(
            cycle=cycle, actor=assessment_lead, on_site_start_date=dt.date(2024, 9, 30)
        )
    assert info.value.message == "Enter the reason for changing the dates"
    cycle.refresh_from_db()
    assert cycle.on_site_start_date == dt.date(2024, 10, 1)
    assert MilestoneDateChange.objects.count() == 0


def test_recorded_date_change_is_kept_with_its_reason(
    cycle: AssessmentCycle, kent: Organisation, assessment_lead: User
) -> None:
    services.cycle_update(
        cycle=cycle,
        actor=assessment_lead,
        reason="CQC moved the visit by one day",
        on_site_start_date=dt.date(2024, 9, 30),
        second_notification_date=dt.date(2024, 7, 15),
    )
    # Only the date that had a value counts as a change; a first entry needs no reason.
    change = MilestoneDateChange.objects.get()
    assert (change.key, change.new_date, change.reason) == (
        "on_site_start_date",
        dt.date(2024, 9, 30),
        "CQC moved the visit by one day",
    )
    event = AuditEvent.objects.get(event_type=AuditEventType.ASSESSMENT_CYCLE_UPDATED)
    assert event.extra_data == {"reason": "CQC moved the visit by one day"}
    # The recorded date is used on the timeline; the history row is not an override.
    timeline = {
        m.key: m for m in selectors.cycle_timeline(org=kent, cycle=cycle, today=dt.date(2024, 8, 1))
    }
    assert timeline["on_site"].date == dt.date(2024, 9, 30)
    assert timeline["on_site"].changed is False


def test_event_dates_cannot_be_overridden_as_deadlines(
    cycle: AssessmentCycle, assessment_lead: User
) -> None:
    with pytest.raises(ApplicationError) as info:
        services.milestone_date_change(
            cycle=cycle,
            actor=assessment_lead,
            key="on_site",
            new_date=dt.date(2024, 10, 8),
            reason="x",
        )
    assert info.value.message == "Unknown deadline 'on_site'"
