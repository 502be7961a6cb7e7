"""Assessment pages: rendering, permissions by role, other councils' ids, errors, conflicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from careassure.accounts.models import Organisation, User
from careassure.assessments import selectors, services
from careassure.assessments.models import (
    AssessmentCycle,
    ExternalScore,
    MilestoneDateChange,
    SelfAssessment,
    SelfAssessmentVersion,
)
from careassure.common.audit import AuditEventType
from careassure.common.models import AuditEvent

ClientFor = Callable[[User], Client]
KENT_CQC = {
    "qs1": 2,
    "qs2": 2,
    "qs3": 3,
    "qs4": 2,
    "qs5": 2,
    "qs6": 2,
    "qs7": 2,
    "qs8": 2,
    "qs9": 3,
}


def _sa(cycle: AssessmentCycle, qs_id: str) -> SelfAssessment:
    return selectors.self_assessment_get(org=cycle.organisation, cycle=cycle, qs_id=qs_id)


def _write(cycle: AssessmentCycle, qs_id: str, actor: User, score: int, text: str = "") -> None:
    sa = _sa(cycle, qs_id)
    services.self_assessment_save(
        self_assessment=sa,
        actor=actor,
        based_on_version=sa.current_version,
        strengths=text or f"Strengths for {qs_id}",
        areas_for_development="Waiting lists",
        actions="A plan",
        score=score,
        score_rationale="Because of the evidence",
    )


def _read_urls(cycle: AssessmentCycle) -> list[str]:
    c = cycle.pk
    return [
        f"/assessment/cycles/{c}/",
        f"/assessment/cycles/{c}/self-assessment/",
        f"/assessment/cycles/{c}/self-assessment/qs1/",
        f"/assessment/cycles/{c}/readiness/",
        f"/assessment/cycles/{c}/comparison/",
    ]


def _write_urls(cycle: AssessmentCycle) -> list[str]:
    c = cycle.pk
    return [
        f"/assessment/cycles/{c}/edit/",
        f"/assessment/cycles/{c}/milestones/information_return/",
        f"/assessment/cycles/{c}/information-requests/new/",
        f"/assessment/cycles/{c}/self-assessment/qs1/edit/",
        f"/assessment/cycles/{c}/scores/cqc/",
        f"/assessment/cycles/{c}/findings/",
    ]


def test_home_redirects_to_current_cycle(
    cycle: AssessmentCycle, viewer: User, client_for: ClientFor
) -> None:
    response = client_for(viewer).get("/assessment/")
    assert response.status_code == 302
    assert response["Location"] == f"/assessment/cycles/{cycle.pk}/"


def test_home_without_cycle_offers_to_start_one(
    assessment_lead: User, client_for: ClientFor
) -> None:
    response = client_for(assessment_lead).get("/assessment/")
    assert response.status_code == 200
    assert "Start an assessment cycle" in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "board_member", "contributor", "assessment_lead"])
def test_every_member_can_read_the_pages(
    role: str, request: pytest.FixtureRequest, cycle: AssessmentCycle, client_for: ClientFor
) -> None:
    client = client_for(request.getfixturevalue(role))
    for url in _read_urls(cycle):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["viewer", "board_member"])
def test_read_only_roles_cannot_open_or_post_edit_pages(
    role: str, request: pytest.FixtureRequest, cycle: AssessmentCycle, client_for: ClientFor
) -> None:
    client = client_for(request.getfixturevalue(role))
    audit_before = AuditEvent.objects.count()
    for url in _write_urls(cycle):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "x", "score": "1"}).status_code == 403, url
    status = client.post(
        f"/assessment/cycles/{cycle.pk}/self-assessment/qs1/status/", {"to": "in_review"}
    )
    assert status.status_code == 403
    assert AuditEvent.objects.count() == audit_before
    assert SelfAssessmentVersion.objects.count() == 0


def test_contributor_edits_narratives_but_not_the_cycle(
    cycle: AssessmentCycle, contributor: User, client_for: ClientFor
) -> None:
    client = client_for(contributor)
    assert client.get(f"/assessment/cycles/{cycle.pk}/self-assessment/qs1/edit/").status_code == 200
    assert client.get(f"/assessment/cycles/{cycle.pk}/edit/").status_code == 403
    assert client.get(f"/assessment/cycles/{cycle.pk}/scores/cqc/").status_code == 403


def test_other_council_gets_404_and_changes_nothing(
    cycle: AssessmentCycle,
    assessment_lead: User,
    other_council_user: User,
    client_for: ClientFor,
) -> None:
    _write(cycle, "qs1", assessment_lead, 2)
    _write(cycle, "qs1", assessment_lead, 2, text="second")
    request = services.information_request_create(
        cycle=cycle, actor=assessment_lead, title="More data", requested_on=dt.date(2024, 10, 15)
    )
    client = client_for(other_council_user)
    c = cycle.pk
    urls = [
        *_read_urls(cycle),
        *_write_urls(cycle),
        f"/assessment/cycles/{c}/information-requests/{request.pk}/",
        f"/assessment/cycles/{c}/self-assessment/qs1/compare/?old=1&new=2",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    audit_before = AuditEvent.objects.count()
    posts = {
        f"/assessment/cycles/{c}/edit/": {
            "name": "Hijacked",
            "framework_version": "cqc-la-2023",
            "assessment_method": "formal-qs-scoring",
            "notification_date": "1/1/2025",
            "working_day_convention": "email-date-is-day-0",
        },
        f"/assessment/cycles/{c}/self-assessment/qs1/edit/": {
            "version": "2",
            "strengths": "Hijacked",
            "score": "4",
            "score_rationale": "x",
        },
        f"/assessment/cycles/{c}/self-assessment/qs1/status/": {"to": "in_review"},
        f"/assessment/cycles/{c}/scores/cqc/": {"qs1": "4"},
        f"/assessment/cycles/{c}/findings/": {"strengths": "Hijacked"},
        f"/assessment/cycles/{c}/milestones/information_return/": {
            "new_date": "1/5/2024",
            "reason": "x",
        },
        f"/assessment/cycles/{c}/information-requests/{request.pk}/": {
            "title": "Hijacked",
            "requested_on": "15/10/2024",
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    cycle.refresh_from_db()
    request.refresh_from_db()
    assert cycle.name == "CQC local authority assessment 2024"
    assert request.title == "More data"
    assert _sa(cycle, "qs1").current_version == 2
    assert _sa(cycle, "qs1").status == "draft"
    assert ExternalScore.objects.count() == 0
    assert MilestoneDateChange.objects.count() == 0
    assert AuditEvent.objects.count() == audit_before


def test_unknown_cycle_id_is_404(assessment_lead: User, client_for: ClientFor) -> None:
    assert client_for(assessment_lead).get("/assessment/cycles/999999/").status_code == 404


def test_create_cycle_shows_gov_uk_errors(assessment_lead: User, client_for: ClientFor) -> None:
    response = client_for(assessment_lead).post(
        "/assessment/cycles/new/",
        {
            "name": "",
            "framework_version": "cqc-la-2023",
            "assessment_method": "formal-qs-scoring",
            "notification_date": "31/2/2024",
            "working_day_convention": "email-date-is-day-0",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Enter a name for the cycle" in html
    assert "The notification date must be a real date, like 18/3/2024" in html
    assert AssessmentCycle.objects.count() == 0


def test_create_cycle_and_see_derived_dates(
    kent: Organisation, assessment_lead: User, client_for: ClientFor
) -> None:
    client = client_for(assessment_lead)
    response = client.post(
        "/assessment/cycles/new/",
        {
            "name": "CQC assessment 2024",
            "framework_version": "cqc-la-2023",
            "assessment_method": "formal-qs-scoring",
            "notification_date": "18/3/2024",
            "draft_report_date": "14/5/2025",
            "working_day_convention": "email-date-is-day-0",
        },
    )
    cycle = AssessmentCycle.objects.get(organisation=kent)
    assert response.status_code == 302
    with time_machine.travel(dt.datetime(2024, 4, 9, 12, tzinfo=dt.UTC), tick=False):
        html = client.get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    # IR due 18 Mar + 21 days = 8 April 2024, overdue on 9 April.
    assert "8 April 2024" in html
    assert "Overdue" in html
    # Draft report email Wed 14 May 2025 -> 10 working days, skipping Mon 26 May -> 29 May.
    assert "29 May 2025" in html
    event = AuditEvent.objects.get(event_type=AuditEventType.ASSESSMENT_CYCLE_CREATED)
    assert event.actor == assessment_lead


def test_score_without_reason_shows_the_error(
    cycle: AssessmentCycle, contributor: User, client_for: ClientFor
) -> None:
    response = client_for(contributor).post(
        f"/assessment/cycles/{cycle.pk}/self-assessment/qs1/edit/",
        {"version": "0", "strengths": "Good front door", "score": "3", "score_rationale": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert 'href="#id_score_rationale"' in html
    assert "Enter the reason for this score" in html
    assert SelfAssessmentVersion.objects.count() == 0


def test_save_then_conflict_page_shows_both_texts(
    cycle: AssessmentCycle, contributor: User, assessment_lead: User, client_for: ClientFor
) -> None:
    url = f"/assessment/cycles/{cycle.pk}/self-assessment/qs2/edit/"
    first = client_for(contributor).post(
        url, {"version": "0", "strengths": "Carers are supported", "score": ""}
    )
    assert first.status_code == 302
    # The lead saves version 2 while the contributor still has version 1 open.
    _write(cycle, "qs2", assessment_lead, 2, text="Carers are well supported by hubs")
    response = client_for(contributor).post(
        url, {"version": "1", "strengths": "Carers get a good offer", "score": ""}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved a newer version" in html
    assert "hubs" in html
    assert "good offer" in html
    # Nothing saved; the form now carries version 2 so saving again is allowed.
    assert _sa(cycle, "qs2").current_version == 2
    assert 'name="version" value="2"' in html
    again = client_for(contributor).post(
        url, {"version": "2", "strengths": "Carers get a good offer", "score": ""}
    )
    assert again.status_code == 302
    assert _sa(cycle, "qs2").current_version == 3


def test_approval_by_a_different_lead_through_the_page(
    cycle: AssessmentCycle,
    contributor: User,
    assessment_lead: User,
    client_for: ClientFor,
) -> None:
    _write(cycle, "qs3", contributor, 2)
    url = f"/assessment/cycles/{cycle.pk}/self-assessment/qs3/status/"
    assert client_for(contributor).post(url, {"to": "in_review"}).status_code == 302
    contributor_approve = client_for(contributor).post(url, {"to": "approved"}, follow=True)
    assert "You do not have permission to do this." in contributor_approve.content.decode()
    assert client_for(assessment_lead).post(url, {"to": "approved"}).status_code == 302
    assert _sa(cycle, "qs3").status == "approved"


def test_compare_page_highlights_changes(
    cycle: AssessmentCycle, contributor: User, client_for: ClientFor
) -> None:
    _write(cycle, "qs1", contributor, 2, text="Assessments are timely")
    _write(cycle, "qs1", contributor, 2, text="Assessments are mostly timely")
    html = (
        client_for(contributor)
        .get(f"/assessment/cycles/{cycle.pk}/self-assessment/qs1/compare/?old=1&new=2")
        .content.decode()
    )
    assert (
        '<ins class="app-diff-ins"><span class="govuk-visually-hidden">[added: </span>mostly'
        in html
    )


def test_self_assessment_list_shows_overall_from_self_scores(
    cycle: AssessmentCycle, contributor: User, viewer: User, client_for: ClientFor
) -> None:
    # Self-scores 2,2,2,2,2,2,2,2,2 = 18/36 = 50% -> Requires improvement.
    for qs_id in KENT_CQC:
        _write(cycle, qs_id, contributor, 2)
    html = (
        client_for(viewer).get(f"/assessment/cycles/{cycle.pk}/self-assessment/").content.decode()
    )
    assert "<strong>50%</strong>, Requires improvement" in html
    assert "18 out of 36" in html


def test_partial_self_scores_are_flagged(
    cycle: AssessmentCycle, contributor: User, viewer: User, client_for: ClientFor
) -> None:
    # Only QS1 (3) and QS2 (2): 5/8 = 62.5% -> rounds half up to 63% -> Good, partial.
    _write(cycle, "qs1", contributor, 3)
    _write(cycle, "qs2", contributor, 2)
    html = (
        client_for(viewer).get(f"/assessment/cycles/{cycle.pk}/self-assessment/").content.decode()
    )
    assert "<strong>63%</strong>, Good" in html
    assert "2 of 9 statements scored (partial)" in html


def test_comparison_page_for_kent(
    cycle: AssessmentCycle,
    contributor: User,
    assessment_lead: User,
    viewer: User,
    client_for: ClientFor,
) -> None:
    # Kent self-scored QS3 and QS9 as 2; CQC gave 3 for both. Self total 18/36 = 50%
    # (Requires improvement); CQC total 20/36 = 55.56% -> 56% (Requires improvement).
    for qs_id, score in KENT_CQC.items():
        _write(cycle, qs_id, contributor, 2 if qs_id in {"qs3", "qs9"} else score)
    response = client_for(assessment_lead).post(
        f"/assessment/cycles/{cycle.pk}/scores/cqc/", {k: str(v) for k, v in KENT_CQC.items()}
    )
    assert response.status_code == 302
    html = client_for(viewer).get(f"/assessment/cycles/{cycle.pk}/comparison/").content.decode()
    assert html.count("CQC higher") == 2
    assert html.count(">Same<") == 7
    assert "CQC lower" not in html
    assert "50% – Requires improvement" in html
    assert "56% – Requires improvement" in html


def test_milestone_date_change_through_the_page(
    cycle: AssessmentCycle, assessment_lead: User, client_for: ClientFor
) -> None:
    client = client_for(assessment_lead)
    url = f"/assessment/cycles/{cycle.pk}/milestones/information_return/"
    missing = client.post(url, {"new_date": "12/4/2024", "reason": ""})
    assert missing.status_code == 400
    assert "Enter the reason for changing this date" in missing.content.decode()
    ok = client.post(url, {"new_date": "12/4/2024", "reason": "Extension agreed with CQC"})
    assert ok.status_code == 302
    change = MilestoneDateChange.objects.get()
    assert (change.new_date, change.reason, change.created_by) == (
        dt.date(2024, 4, 12),
        "Extension agreed with CQC",
        assessment_lead,
    )


def test_unknown_milestone_is_404(
    cycle: AssessmentCycle, assessment_lead: User, client_for: ClientFor
) -> None:
    url = f"/assessment/cycles/{cycle.pk}/milestones/not_a_milestone/"
    assert client_for(assessment_lead).get(url).status_code == 404


def test_information_request_add_and_mark_sent(
    cycle: AssessmentCycle, assessment_lead: User, contributor: User, client_for: ClientFor
) -> None:
    client = client_for(assessment_lead)
    created = client.post(
        f"/assessment/cycles/{cycle.pk}/information-requests/new/",
        {
            "title": "Safeguarding timeliness data",
            "requested_on": "15/10/2024",
            "due_on": "22/10/2024",
            "owner": str(contributor.pk),
        },
    )
    assert created.status_code == 302
    request = selectors.information_request_list(org=cycle.organisation, cycle=cycle).get()
    assert (request.due_on, request.owner) == (dt.date(2024, 10, 22), contributor)
    updated = client.post(
        f"/assessment/cycles/{cycle.pk}/information-requests/{request.pk}/",
        {
            "title": "Safeguarding timeliness data",
            "requested_on": "15/10/2024",
            "due_on": "22/10/2024",
            "done_on": "21/10/2024",
            "owner": str(contributor.pk),
        },
    )
    assert updated.status_code == 302
    request.refresh_from_db()
    assert request.done_on == dt.date(2024, 10, 21)
    event = AuditEvent.objects.get(event_type=AuditEventType.INFORMATION_REQUEST_UPDATED)
    assert event.before is not None
    assert event.after is not None
    assert (event.before["done_on"], event.after["done_on"]) == (None, "2024-10-21")
    with time_machine.travel(dt.datetime(2024, 10, 23, 9, tzinfo=dt.UTC), tick=False):
        html = client.get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    assert "Requested 15 October 2024. Due 22 October 2024" in html


def test_information_request_due_before_requested_shows_error(
    cycle: AssessmentCycle, assessment_lead: User, client_for: ClientFor
) -> None:
    response = client_for(assessment_lead).post(
        f"/assessment/cycles/{cycle.pk}/information-requests/new/",
        {"title": "Data", "requested_on": "15/10/2024", "due_on": "1/10/2024", "owner": ""},
    )
    assert response.status_code == 400
    assert "The due date must be the same as or after the request date" in (
        response.content.decode()
    )


def test_milestone_owner_and_done_date_are_saved_and_audited(
    cycle: AssessmentCycle, assessment_lead: User, contributor: User, client_for: ClientFor
) -> None:
    response = client_for(assessment_lead).post(
        f"/assessment/cycles/{cycle.pk}/milestones/information_return/",
        {"owner": str(contributor.pk), "done_on": "5/4/2024"},
    )
    assert response.status_code == 302
    state = selectors.milestone_states(org=cycle.organisation, cycle=cycle)["information_return"]
    assert (state.owner, state.done_on) == (contributor, dt.date(2024, 4, 5))
    event = AuditEvent.objects.get(event_type=AuditEventType.MILESTONE_UPDATED)
    assert event.after == {"owner": str(contributor.pk), "done_on": "2024-04-05"}


def test_owner_from_another_council_is_refused(
    cycle: AssessmentCycle, assessment_lead: User, other_council_user: User, client_for: ClientFor
) -> None:
    response = client_for(assessment_lead).post(
        f"/assessment/cycles/{cycle.pk}/self-assessment/qs1/owner/",
        {"owner": str(other_council_user.pk)},
    )
    assert response.status_code == 302
    assert _sa(cycle, "qs1").owner is None
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.SELF_ASSESSMENT_OWNER_CHANGED
    ).exists()


def test_scores_form_rejects_a_score_out_of_range(
    cycle: AssessmentCycle, assessment_lead: User, client_for: ClientFor
) -> None:
    response = client_for(assessment_lead).post(
        f"/assessment/cycles/{cycle.pk}/scores/cqc/", {"qs1": "5"}
    )
    assert response.status_code == 400
    assert "Select a score from 1 to 4" in response.content.decode()
    assert ExternalScore.objects.count() == 0


def test_comparison_shows_peer_challenge_scores_when_entered(
    cycle: AssessmentCycle, assessment_lead: User, viewer: User, client_for: ClientFor
) -> None:
    # Peer challenge gave 3 for QS1 and QS2 (CQC 2: "CQC lower") and nothing else:
    # 6/8 = 75%, Good, partial.
    services.external_scores_save(
        cycle=cycle, actor=assessment_lead, source="cqc", scores={"qs1": 2, "qs2": 2}
    )
    services.external_scores_save(
        cycle=cycle, actor=assessment_lead, source="peer_challenge", scores={"qs1": 3, "qs2": 3}
    )
    html = client_for(viewer).get(f"/assessment/cycles/{cycle.pk}/comparison/").content.decode()
    assert "Peer challenge" in html
    assert html.count("CQC lower") == 2
    assert "75% – Good" in html
    assert "2 of 9 statements scored (partial)" in html


def test_event_milestone_has_no_deadline_page(
    cycle: AssessmentCycle, assessment_lead: User, client_for: ClientFor
) -> None:
    url = f"/assessment/cycles/{cycle.pk}/milestones/on_site/"
    assert client_for(assessment_lead).get(url).status_code == 404


def test_changing_cycle_dates_through_the_page_needs_a_reason(
    cycle: AssessmentCycle, assessment_lead: User, client_for: ClientFor
) -> None:
    client = client_for(assessment_lead)
    data = {
        "name": cycle.name,
        "framework_version": "cqc-la-2023",
        "assessment_method": "formal-qs-scoring",
        "notification_date": "18/3/2024",
        "on_site_start_date": "30/9/2024",
        "on_site_end_date": "3/10/2024",
        "working_day_convention": "email-date-is-day-0",
    }
    missing = client.post(f"/assessment/cycles/{cycle.pk}/edit/", data)
    assert missing.status_code == 400
    assert 'href="#id_reason"' in missing.content.decode()
    assert "Enter the reason for changing the dates" in missing.content.decode()
    saved = client.post(f"/assessment/cycles/{cycle.pk}/edit/", {**data, "reason": "CQC moved it"})
    assert saved.status_code == 302
    html = client.get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    assert "First day on site" in html
    assert "CQC moved it" in html
    assert "30 September 2024 to 3 October 2024" in html


def test_stored_dates_are_shown_as_day_month_year(
    cycle: AssessmentCycle, assessment_lead: User, client_for: ClientFor
) -> None:
    html = client_for(assessment_lead).get(f"/assessment/cycles/{cycle.pk}/edit/").content.decode()
    assert 'value="18/3/2024"' in html
    assert 'value="1/10/2024"' in html
