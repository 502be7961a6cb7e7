"""Reminder emails for assessment deadlines, sent by the daily `send_assessment_reminders`
command. A deadline's owner is emailed each day from `days_ahead` days before it is due
until it is marked done; the owner of each quality statement's self-assessment is emailed
while the self-assessment deadline is close or overdue and the statement is not approved.
At most one email goes out per milestone per day, however often the command runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from careassure.accounts.models import User
from careassure.assessments import selectors
from careassure.assessments.models import AssessmentCycle, ReminderSent
from careassure.common.audit import AuditEventType, audit_record
from careassure.core.calendar import Milestone, MilestoneKey, MilestoneKind, MilestoneStatus
from careassure.core.selfassessment import SelfAssessmentStatus

SYSTEM_ACTOR = "cli:send-assessment-reminders"
DEFAULT_DAYS_AHEAD = 7


@dataclass(frozen=True)
class Reminder:
    cycle: AssessmentCycle
    key: str
    title: str
    due: dt.date
    overdue: bool
    owner: User
    path: str


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def reminders_due(*, today: dt.date, days_ahead: int = DEFAULT_DAYS_AHEAD) -> list[Reminder]:
    """Every reminder that should go out on `today`, across all councils' current cycles."""
    found: list[Reminder] = []
    cycles = AssessmentCycle.objects.filter(is_current=True).select_related("organisation")
    for cycle in cycles:
        org = cycle.organisation
        states = selectors.milestone_states(org=org, cycle=cycle)
        request_owners = {
            selectors.INFORMATION_REQUEST_KEY.format(pk=r.pk): r.owner
            for r in selectors.information_request_list(org=org, cycle=cycle)
        }
        timeline_path = reverse("assessments:timeline", args=[cycle.pk])
        for milestone in selectors.cycle_timeline(org=org, cycle=cycle, today=today):
            due = milestone.date
            if due is None or not _is_close(milestone, today, days_ahead):
                continue
            state = states.get(milestone.key)
            owner = state.owner if state else request_owners.get(milestone.key)
            if owner is not None and owner.email:
                found.append(
                    Reminder(
                        cycle=cycle,
                        key=milestone.key,
                        title=milestone.title,
                        due=due,
                        overdue=milestone.status is MilestoneStatus.OVERDUE,
                        owner=owner,
                        path=timeline_path,
                    )
                )
            if milestone.key == MilestoneKey.SELF_ASSESSMENT.value:
                found.extend(_self_assessment_reminders(cycle, milestone, due))
    return found


def _is_close(milestone: Milestone, today: dt.date, days_ahead: int) -> bool:
    if milestone.kind is not MilestoneKind.DEADLINE or milestone.date is None:
        return False
    if milestone.status is MilestoneStatus.OVERDUE:
        return True
    return milestone.status is MilestoneStatus.DUE and (milestone.date - today).days <= days_ahead


def _self_assessment_reminders(
    cycle: AssessmentCycle, milestone: Milestone, due: dt.date
) -> list[Reminder]:
    titles = {qs.id: qs.title for qs in selectors.cycle_framework(cycle).quality_statements}
    reminders = []
    for sa in selectors.self_assessment_list(org=cycle.organisation, cycle=cycle):
        if sa.status == SelfAssessmentStatus.APPROVED.value or sa.owner is None:
            continue
        if not sa.owner.email:
            continue
        reminders.append(
            Reminder(
                cycle=cycle,
                key=f"{milestone.key}:{sa.qs_id}",
                title=f"Self-assessment of {sa.qs_id.upper()} {titles.get(sa.qs_id, '')}",
                due=due,
                overdue=milestone.status is MilestoneStatus.OVERDUE,
                owner=sa.owner,
                path=reverse("assessments:self-assessment-detail", args=[cycle.pk, sa.qs_id]),
            )
        )
    return reminders


def _message(reminder: Reminder, base_url: str) -> tuple[str, str]:
    when = _date(reminder.due)
    if reminder.overdue:
        subject = f"Overdue: {reminder.title} was due {when}"
    else:
        subject = f"Reminder: {reminder.title} is due {when}"
    body = (
        f"Hello {reminder.owner.get_full_name() or reminder.owner.username},\n\n"
        f"{subject}.\n\n"
        f"Council: {reminder.cycle.organisation.name}\n"
        f"Assessment: {reminder.cycle.name}\n\n"
        f"See it in CareAssure: {base_url.rstrip('/')}{reminder.path}\n\n"
        "You get this email because you own this item. It stops when the item is marked "
        "as done.\n"
    )
    return subject, body


def reminders_send(
    *, today: dt.date, days_ahead: int = DEFAULT_DAYS_AHEAD, base_url: str = ""
) -> list[Reminder]:
    """Send today's reminders that have not already gone out today; returns those sent."""
    sent = []
    for reminder in reminders_due(today=today, days_ahead=days_ahead):
        subject, body = _message(reminder, base_url)
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    cycle=reminder.cycle,
                    milestone_key=reminder.key,
                    sent_on=today,
                    recipient=reminder.owner.email,
                )
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.owner.email])
                audit_record(
                    event=AuditEventType.ASSESSMENT_REMINDER_SENT,
                    system_actor=SYSTEM_ACTOR,
                    organisation=reminder.cycle.organisation,
                    obj=reminder.cycle,
                    extra={
                        "milestone": reminder.key,
                        "recipient": reminder.owner.email,
                        "due": reminder.due,
                    },
                )
        except IntegrityError:
            continue
        sent.append(reminder)
    return sent
