"""The daily reminder command: who is emailed, when, and only once a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from careassure.accounts.models import User
from careassure.assessments import selectors, services
from careassure.assessments.models import AssessmentCycle, ReminderSent
from careassure.common.audit import AuditEventType
from careassure.common.models import AuditEvent


def _run(when: dt.datetime, *args: str) -> str:
    out = StringIO()
    with time_machine.travel(when, tick=False):
        call_command("send_assessment_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def owned(cycle: AssessmentCycle, assessment_lead: User, contributor: User) -> AssessmentCycle:
    services.milestone_update(
        cycle=cycle,
        actor=assessment_lead,
        key="information_return",
        owner=contributor,
        done_on=None,
    )
    return cycle


def test_no_reminder_more_than_seven_days_before(owned: AssessmentCycle) -> None:
    # IR due 8 Apr 2024; on 31 Mar it is 8 days away.
    _run(dt.datetime(2024, 3, 31, 7, tzinfo=dt.UTC))
    assert mail.outbox == []


def test_reminds_owner_seven_days_before_and_only_once_a_day(
    owned: AssessmentCycle, contributor: User
) -> None:
    # 1 Apr 2024 is 7 days before 8 Apr.
    output = _run(dt.datetime(2024, 4, 1, 7, tzinfo=dt.UTC), "--base-url", "https://ca.example")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contributor.email]
    assert message.subject == "Reminder: Information return is due 8 April 2024"
    assert f"https://ca.example/assessment/cycles/{owned.pk}/" in message.body
    assert "1 reminder(s) sent for 2024-04-01" in output
    _run(dt.datetime(2024, 4, 1, 15, tzinfo=dt.UTC))
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(event_type=AuditEventType.ASSESSMENT_REMINDER_SENT)
    assert event.system_actor == "cli:send-assessment-reminders"
    assert event.extra_data["milestone"] == "information_return"


def test_overdue_reminders_go_daily_until_done(
    owned: AssessmentCycle, assessment_lead: User, contributor: User
) -> None:
    _run(dt.datetime(2024, 4, 9, 7, tzinfo=dt.UTC))
    _run(dt.datetime(2024, 4, 10, 7, tzinfo=dt.UTC))
    assert [m.subject for m in mail.outbox] == [
        "Overdue: Information return was due 8 April 2024",
        "Overdue: Information return was due 8 April 2024",
    ]
    services.milestone_update(
        cycle=owned,
        actor=assessment_lead,
        key="information_return",
        owner=contributor,
        done_on=dt.date(2024, 4, 10),
    )
    _run(dt.datetime(2024, 4, 11, 7, tzinfo=dt.UTC))
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_self_assessment_owners_are_reminded_until_approved(
    cycle: AssessmentCycle, assessment_lead: User, contributor: User
) -> None:
    sa = selectors.self_assessment_get(org=cycle.organisation, cycle=cycle, qs_id="qs7")
    services.self_assessment_owner_set(self_assessment=sa, actor=assessment_lead, owner=contributor)
    _run(dt.datetime(2024, 4, 5, 7, tzinfo=dt.UTC))
    assert [m.subject for m in mail.outbox] == [
        "Reminder: Self-assessment of QS7 Safeguarding is due 8 April 2024"
    ]


def test_events_without_owner_send_nothing(cycle: AssessmentCycle) -> None:
    _run(dt.datetime(2024, 4, 7, 7, tzinfo=dt.UTC))
    assert mail.outbox == []


def test_rejects_bad_date_option(db: None) -> None:
    with pytest.raises(CommandError, match="--date must be a date like 2024-04-01, got 'soon'"):
        call_command("send_assessment_reminders", "--date", "soon", stdout=StringIO())
