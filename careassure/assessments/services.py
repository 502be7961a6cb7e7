"""Writes for the assessment workspace. Each service checks the actor's permission in the
cycle's organisation, writes in one transaction and records an audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from careassure.accounts.models import Organisation, User
from careassure.accounts.permissions import require_permission
from careassure.assessments import selectors
from careassure.assessments.models import (
    AdditionalInformationRequest,
    AssessmentCycle,
    ExternalScore,
    FindingKind,
    KeyFinding,
    MilestoneDateChange,
    MilestoneState,
    ScoreSource,
    SelfAssessment,
    SelfAssessmentStatusChange,
    SelfAssessmentVersion,
)
from careassure.common.audit import AuditEventType, audit_record, snapshot
from careassure.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from careassure.core.framework import load_framework
from careassure.core.selfassessment import (
    InvalidTransition,
    SelfAssessmentStatus,
    check_transition,
)

MANAGE = "assessment.manage"
EDIT = "assessment.edit"
APPROVE = "assessment.approve"

CYCLE_FIELDS = [
    "name",
    "framework_version",
    "assessment_method",
    "notification_date",
    "second_notification_date",
    "case_tracking_list_days",
    "on_site_start_date",
    "on_site_end_date",
    "draft_report_date",
    "working_day_convention",
    "publication_date",
]
VERSION_FIELDS = ["strengths", "areas_for_development", "actions", "score", "score_rationale"]
SCORE_RATIONALE_REQUIRED = "Enter the reason for this score"


def _require(org: Organisation, actor: User, permission: str) -> None:
    require_permission(selectors.membership_for(org=org, user=actor), permission)


def _check_member(org: Organisation, user: User | None, field: str) -> None:
    if user is not None and selectors.membership_for(org=org, user=user) is None:
        raise ApplicationError("Select a member of this council", {"field": field})


def _check_dates(values: Mapping[str, Any]) -> None:
    start, end = values.get("on_site_start_date"), values.get("on_site_end_date")
    if end is not None and start is None:
        raise ApplicationError("Enter the first day on site", {"field": "on_site_start_date"})
    if start is not None and end is not None and end < start:
        raise ApplicationError(
            "The last day on site must be the same as or after the first day",
            {"field": "on_site_end_date"},
        )
    notification = values.get("notification_date")
    for name in (
        "second_notification_date",
        "on_site_start_date",
        "draft_report_date",
        "publication_date",
    ):
        value = values.get(name)
        if notification is not None and value is not None and value < notification:
            raise ApplicationError(
                "This date must be the same as or after the notification date",
                {"field": name},
            )
    version = values.get("framework_version")
    if version is not None:
        try:
            framework = load_framework(version)
        except LookupError as exc:
            raise ApplicationError(
                "Select a framework version", {"field": "framework_version"}
            ) from exc
        method = values.get("assessment_method")
        if method is not None and method not in {m.id for m in framework.assessment_methods}:
            raise ApplicationError(
                "Select an assessment method for this framework version",
                {"field": "assessment_method"},
            )


@transaction.atomic
def cycle_create(
    *,
    org: Organisation,
    actor: User,
    name: str,
    notification_date: dt.date,
    framework_version: str = "cqc-la-2023",
    assessment_method: str = "formal-qs-scoring",
    **dates: Any,
) -> AssessmentCycle:
    """Start a cycle, make it the organisation's current one, and create an empty
    self-assessment for each quality statement of its framework version."""
    _require(org, actor, MANAGE)
    unknown = set(dates) - set(CYCLE_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown cycle fields: {', '.join(sorted(unknown))}")
    values = {
        "name": name,
        "notification_date": notification_date,
        "framework_version": framework_version,
        "assessment_method": assessment_method,
        **dates,
    }
    _check_dates(values)
    AssessmentCycle.objects.filter(organisation=org, is_current=True).update(is_current=False)
    cycle = AssessmentCycle(organisation=org, is_current=True, **values)
    cycle.full_clean()
    cycle.save()
    for qs in load_framework(framework_version).quality_statements:
        SelfAssessment.objects.create(cycle=cycle, qs_id=qs.id)
    audit_record(
        event=AuditEventType.ASSESSMENT_CYCLE_CREATED,
        actor=actor,
        organisation=org,
        obj=cycle,
        after=snapshot(cycle, CYCLE_FIELDS),
    )
    return cycle


RECORDED_DATE_FIELDS = [
    "notification_date",
    "second_notification_date",
    "on_site_start_date",
    "on_site_end_date",
    "draft_report_date",
    "publication_date",
]
DEADLINE_KEYS = selectors.DEADLINE_KEYS


@transaction.atomic
def cycle_update(
    *, cycle: AssessmentCycle, actor: User, reason: str = "", **changes: Any
) -> AssessmentCycle:
    """Change a cycle's name, method or recorded dates. Changing or removing a date that was
    already recorded needs a reason, kept with the change as history."""
    org = cycle.organisation
    _require(org, actor, MANAGE)
    unknown = set(changes) - set(CYCLE_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown cycle fields: {', '.join(sorted(unknown))}")
    before = snapshot(cycle, CYCLE_FIELDS)
    values = {name: changes.get(name, getattr(cycle, name)) for name in CYCLE_FIELDS}
    _check_dates(values)
    overridden = [
        name
        for name in RECORDED_DATE_FIELDS
        if name in changes
        and getattr(cycle, name) is not None
        and changes[name] != getattr(cycle, name)
    ]
    if overridden and not reason.strip():
        raise ApplicationError("Enter the reason for changing the dates", {"field": "reason"})
    for name in overridden:
        MilestoneDateChange.objects.create(
            cycle=cycle,
            key=name,
            new_date=changes[name],
            reason=reason.strip(),
            created_by=actor,
        )
    for name, value in changes.items():
        setattr(cycle, name, value)
    cycle.full_clean()
    cycle.save(update_fields=[*changes.keys(), "updated_at"])
    audit_record(
        event=AuditEventType.ASSESSMENT_CYCLE_UPDATED,
        actor=actor,
        organisation=org,
        obj=cycle,
        before=before,
        after=snapshot(cycle, CYCLE_FIELDS),
        extra={"reason": reason.strip()} if overridden else None,
    )
    return cycle


def _milestone_key_valid(cycle: AssessmentCycle, key: str) -> None:
    if key in DEADLINE_KEYS:
        return
    raise ApplicationError(f"Unknown deadline {key!r}", {"field": "key"})


@transaction.atomic
def milestone_date_change(
    *, cycle: AssessmentCycle, actor: User, key: str, new_date: dt.date, reason: str
) -> MilestoneDateChange:
    """Set a deadline's date by hand, keeping the reason. Earlier changes stay as history.
    Recorded event dates are changed with `cycle_update` instead."""
    org = cycle.organisation
    _require(org, actor, MANAGE)
    _milestone_key_valid(cycle, key)
    if not reason.strip():
        raise ApplicationError("Enter the reason for changing this date", {"field": "reason"})
    if new_date < cycle.notification_date:
        raise ApplicationError(
            "The date must be the same as or after the notification date", {"field": "new_date"}
        )
    change = MilestoneDateChange.objects.create(
        cycle=cycle, key=key, new_date=new_date, reason=reason.strip(), created_by=actor
    )
    audit_record(
        event=AuditEventType.MILESTONE_DATE_CHANGED,
        actor=actor,
        organisation=org,
        obj=cycle,
        after={"key": key, "new_date": new_date, "reason": change.reason},
    )
    return change


@transaction.atomic
def milestone_update(
    *,
    cycle: AssessmentCycle,
    actor: User,
    key: str,
    owner: User | None,
    done_on: dt.date | None,
) -> MilestoneState:
    """Set who owns a deadline and when it was done (blank: not done)."""
    org = cycle.organisation
    _require(org, actor, MANAGE)
    _milestone_key_valid(cycle, key)
    _check_member(org, owner, "owner")
    state, _ = MilestoneState.objects.select_for_update().get_or_create(cycle=cycle, key=key)
    before = snapshot(state, ["owner", "done_on"])
    state.owner = owner
    state.done_on = done_on
    state.save(update_fields=["owner", "done_on", "updated_at"])
    audit_record(
        event=AuditEventType.MILESTONE_UPDATED,
        actor=actor,
        organisation=org,
        obj=state,
        before=before,
        after=snapshot(state, ["owner", "done_on"]),
        extra={"key": key},
    )
    return state


REQUEST_FIELDS = ["title", "requested_on", "due_on", "done_on", "owner"]


def _check_request(values: Mapping[str, Any], cycle: AssessmentCycle) -> None:
    if not str(values.get("title") or "").strip():
        raise ApplicationError("Enter what CQC asked for", {"field": "title"})
    requested, due = values.get("requested_on"), values.get("due_on")
    if requested is not None and requested < cycle.notification_date:
        raise ApplicationError(
            "The request date must be the same as or after the notification date",
            {"field": "requested_on"},
        )
    if requested is not None and due is not None and due < requested:
        raise ApplicationError(
            "The due date must be the same as or after the request date", {"field": "due_on"}
        )


@transaction.atomic
def information_request_create(
    *,
    cycle: AssessmentCycle,
    actor: User,
    title: str,
    requested_on: dt.date,
    due_on: dt.date | None = None,
    owner: User | None = None,
) -> AdditionalInformationRequest:
    org = cycle.organisation
    _require(org, actor, MANAGE)
    _check_member(org, owner, "owner")
    _check_request({"title": title, "requested_on": requested_on, "due_on": due_on}, cycle)
    request = AdditionalInformationRequest.objects.create(
        cycle=cycle, title=title.strip(), requested_on=requested_on, due_on=due_on, owner=owner
    )
    audit_record(
        event=AuditEventType.INFORMATION_REQUEST_CREATED,
        actor=actor,
        organisation=org,
        obj=request,
        after=snapshot(request, REQUEST_FIELDS),
    )
    return request


@transaction.atomic
def information_request_update(
    *, request: AdditionalInformationRequest, actor: User, **changes: Any
) -> AdditionalInformationRequest:
    org = request.cycle.organisation
    _require(org, actor, MANAGE)
    unknown = set(changes) - set(REQUEST_FIELDS)
    if unknown:
        raise ApplicationError(f"Unknown request fields: {', '.join(sorted(unknown))}")
    _check_member(org, changes.get("owner"), "owner")
    values = {name: changes.get(name, getattr(request, name)) for name in REQUEST_FIELDS}
    _check_request(values, request.cycle)
    before = snapshot(request, REQUEST_FIELDS)
    for name, value in changes.items():
        setattr(request, name, value)
    request.save(update_fields=list(changes))
    audit_record(
        event=AuditEventType.INFORMATION_REQUEST_UPDATED,
        actor=actor,
        organisation=org,
        obj=request,
        before=before,
        after=snapshot(request, REQUEST_FIELDS),
    )
    return request


def _status_change(
    *, self_assessment: SelfAssessment, actor: User, to: SelfAssessmentStatus
) -> None:
    from_status = self_assessment.status
    SelfAssessmentStatusChange.objects.create(
        self_assessment=self_assessment,
        from_status=from_status,
        to_status=to.value,
        version_number=self_assessment.current_version,
        created_by=actor,
    )
    self_assessment.status = to.value
    if to is SelfAssessmentStatus.APPROVED:
        self_assessment.approved_by = actor
        self_assessment.approved_at = timezone.now()
    else:
        self_assessment.approved_by = None
        self_assessment.approved_at = None
    audit_record(
        event=AuditEventType.SELF_ASSESSMENT_STATUS_CHANGED,
        actor=actor,
        organisation=self_assessment.cycle.organisation,
        obj=self_assessment,
        extra={"from": from_status, "to": to.value, "version": self_assessment.current_version},
    )


@transaction.atomic
def self_assessment_save(
    *,
    self_assessment: SelfAssessment,
    actor: User,
    based_on_version: int,
    strengths: str,
    areas_for_development: str,
    actions: str,
    score: int | None,
    score_rationale: str,
) -> SelfAssessmentVersion:
    """Save a new version. Raises ConflictError (with the current version in `extra`) when
    someone saved a newer version after `based_on_version`; nothing is written then.
    Saving a version of a self-assessment in review or approved sends it back to draft."""
    org = self_assessment.cycle.organisation
    _require(org, actor, EDIT)
    if score is not None and score not in (1, 2, 3, 4):
        raise ApplicationError("Select a score from 1 to 4", {"field": "score"})
    if score is not None and not score_rationale.strip():
        raise ApplicationError(SCORE_RATIONALE_REQUIRED, {"field": "score_rationale"})
    locked = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
    if locked.current_version != based_on_version:
        raise ConflictError(
            "Someone else saved a newer version of this self-assessment",
            {"current_version": locked.current_version, "based_on_version": based_on_version},
        )
    number = locked.current_version + 1
    version = SelfAssessmentVersion.objects.create(
        self_assessment=locked,
        number=number,
        strengths=strengths,
        areas_for_development=areas_for_development,
        actions=actions,
        score=score,
        score_rationale=score_rationale.strip() if score is not None else score_rationale,
        created_by=actor,
    )
    locked.current_version = number
    update_fields = ["current_version", "updated_at"]
    if locked.status != SelfAssessmentStatus.DRAFT.value:
        _status_change(self_assessment=locked, actor=actor, to=SelfAssessmentStatus.DRAFT)
        update_fields += ["status", "approved_by", "approved_at"]
    locked.save(update_fields=update_fields)
    audit_record(
        event=AuditEventType.SELF_ASSESSMENT_SAVED,
        actor=actor,
        organisation=org,
        obj=locked,
        after=snapshot(version, VERSION_FIELDS),
        extra={"version": number, "qs_id": locked.qs_id},
    )
    self_assessment.refresh_from_db()
    return version


@transaction.atomic
def self_assessment_status_change(
    *, self_assessment: SelfAssessment, actor: User, to: str
) -> SelfAssessment:
    """Move through draft → in review → approved. Sending for review needs
    `assessment.edit`; approving, returning and reopening need `assessment.approve`, and the
    approver must not be the person who saved the version being approved."""
    org = self_assessment.cycle.organisation
    locked = SelfAssessment.objects.select_for_update().get(pk=self_assessment.pk)
    try:
        target = check_transition(locked.status, to)
    except (InvalidTransition, ValueError) as exc:
        raise ApplicationError(str(exc), {"field": "to"}) from exc
    if target is SelfAssessmentStatus(locked.status):
        _require(org, actor, EDIT)
        return locked
    if target is SelfAssessmentStatus.IN_REVIEW:
        _require(org, actor, EDIT)
        if locked.current_version == 0:
            raise ApplicationError("Write the self-assessment before sending it for review")
    else:
        _require(org, actor, APPROVE)
    if target is SelfAssessmentStatus.APPROVED:
        current = selectors.version_current(locked)
        if current is not None and current.created_by_id == actor.pk:
            raise PermissionDeniedError(
                "Someone other than the person who saved this version must approve it"
            )
    _status_change(self_assessment=locked, actor=actor, to=target)
    locked.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    self_assessment.refresh_from_db()
    return locked


@transaction.atomic
def self_assessment_owner_set(
    *, self_assessment: SelfAssessment, actor: User, owner: User | None
) -> SelfAssessment:
    org = self_assessment.cycle.organisation
    _require(org, actor, MANAGE)
    _check_member(org, owner, "owner")
    before = snapshot(self_assessment, ["owner"])
    self_assessment.owner = owner
    self_assessment.save(update_fields=["owner", "updated_at"])
    audit_record(
        event=AuditEventType.SELF_ASSESSMENT_OWNER_CHANGED,
        actor=actor,
        organisation=org,
        obj=self_assessment,
        before=before,
        after=snapshot(self_assessment, ["owner"]),
    )
    return self_assessment


@transaction.atomic
def external_scores_save(
    *,
    cycle: AssessmentCycle,
    actor: User,
    source: str,
    scores: Mapping[str, int | None],
) -> dict[str, int | None]:
    """Enter CQC's published scores, or peer challenge or mock inspection scores, per QS.
    A None score removes the entry (not scored)."""
    org = cycle.organisation
    _require(org, actor, MANAGE)
    if source not in ScoreSource.values:
        raise ApplicationError(f"Unknown score source {source!r}", {"field": "source"})
    valid_qs = {qs.id for qs in load_framework(cycle.framework_version).quality_statements}
    for qs_id, score in scores.items():
        if qs_id not in valid_qs:
            raise ApplicationError(f"Unknown quality statement {qs_id!r}", {"field": qs_id})
        if score is not None and score not in (1, 2, 3, 4):
            raise ApplicationError("Select a score from 1 to 4", {"field": qs_id})
    before = selectors.external_scores(org=org, cycle=cycle, source=source)
    for qs_id, score in scores.items():
        if score is None:
            ExternalScore.objects.filter(cycle=cycle, source=source, qs_id=qs_id).delete()
        else:
            ExternalScore.objects.update_or_create(
                cycle=cycle, source=source, qs_id=qs_id, defaults={"score": score}
            )
    after = selectors.external_scores(org=org, cycle=cycle, source=source)
    audit_record(
        event=AuditEventType.EXTERNAL_SCORES_SAVED,
        actor=actor,
        organisation=org,
        obj=cycle,
        before=before,
        after=after,
        extra={"source": source},
    )
    return after


@transaction.atomic
def key_findings_save(
    *,
    cycle: AssessmentCycle,
    actor: User,
    strengths: Sequence[str],
    areas_for_development: Sequence[str],
) -> dict[str, list[str]]:
    """Replace the cycle's key findings with the lists given (blank lines are dropped)."""
    org = cycle.organisation
    _require(org, actor, MANAGE)
    before = selectors.key_findings(org=org, cycle=cycle)
    KeyFinding.objects.filter(cycle=cycle).delete()
    for kind, texts in (
        (FindingKind.STRENGTH, strengths),
        (FindingKind.AREA_FOR_DEVELOPMENT, areas_for_development),
    ):
        cleaned = [text.strip() for text in texts if text.strip()]
        KeyFinding.objects.bulk_create(
            KeyFinding(cycle=cycle, kind=kind, text=text, order=i)
            for i, text in enumerate(cleaned, start=1)
        )
    after = selectors.key_findings(org=org, cycle=cycle)
    audit_record(
        event=AuditEventType.KEY_FINDINGS_SAVED,
        actor=actor,
        organisation=org,
        obj=cycle,
        before=before,
        after=after,
    )
    return after
