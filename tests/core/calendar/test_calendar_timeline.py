"""The milestone timeline of a cycle, using Kent's dates (reference §5.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from careassure.core.calendar import (
    CycleDates,
    DeadlineRules,
    InformationRequestDates,
    MilestoneKind,
    MilestoneStatus,
    build_timeline,
    milestone_status,
)

KENT = CycleDates(
    notification=dt.date(2024, 3, 18),
    second_notification=dt.date(2024, 7, 15),
    on_site_start=dt.date(2024, 10, 1),
    on_site_end=dt.date(2024, 10, 3),
    publication=dt.date(2025, 5, 16),
    information_requests=(
        InformationRequestDates(
            key="information_request_1", title="First", requested_on=dt.date(2024, 10, 15)
        ),
    ),
)


def test_kent_timeline_order_and_derived_dates() -> None:
    timeline = build_timeline(KENT, today=dt.date(2024, 4, 1))
    assert [m.key for m in timeline] == [
        "notification",
        "information_return",
        "self_assessment",
        "second_notification",
        "case_tracking_list",
        "on_site",
        "information_request_1",
        "draft_report",
        "factual_accuracy",
        "publication",
    ]
    by_key = {m.key: m for m in timeline}
    # 18 Mar 2024 + 21 days = 8 Apr 2024 for both the IR and the self-assessment.
    assert by_key["information_return"].date == dt.date(2024, 4, 8)
    assert by_key["self_assessment"].date == dt.date(2024, 4, 8)
    assert by_key["information_return"].derived is True
    # On-site dates are recorded, never derived.
    assert (by_key["on_site"].date, by_key["on_site"].end_date) == (
        dt.date(2024, 10, 1),
        dt.date(2024, 10, 3),
    )
    assert by_key["on_site"].derived is False
    # No case-tracking rule and no draft report recorded: dates not known.
    assert by_key["case_tracking_list"].status is MilestoneStatus.NOT_KNOWN
    assert by_key["factual_accuracy"].status is MilestoneStatus.NOT_KNOWN


def test_statuses_on_a_given_day() -> None:
    # On 9 Apr 2024 the IR (due 8 Apr) is overdue unless marked done; notification is done;
    # the on-site visit is scheduled.
    timeline = {m.key: m for m in build_timeline(KENT, today=dt.date(2024, 4, 9))}
    assert timeline["notification"].status is MilestoneStatus.DONE
    assert timeline["information_return"].status is MilestoneStatus.OVERDUE
    assert timeline["on_site"].status is MilestoneStatus.SCHEDULED
    done = {
        m.key: m
        for m in build_timeline(
            KENT, today=dt.date(2024, 4, 9), done={"information_return": dt.date(2024, 4, 5)}
        )
    }
    assert done["information_return"].status is MilestoneStatus.DONE
    assert done["information_return"].done_on == dt.date(2024, 4, 5)


def test_on_site_is_done_only_after_its_last_day() -> None:
    # 2 Oct 2024 is inside 1-3 Oct: still scheduled; 3 Oct: done.
    assert {m.key: m for m in build_timeline(KENT, today=dt.date(2024, 10, 2))}[
        "on_site"
    ].status is MilestoneStatus.SCHEDULED
    assert {m.key: m for m in build_timeline(KENT, today=dt.date(2024, 10, 3))}[
        "on_site"
    ].status is MilestoneStatus.DONE


def test_changed_date_replaces_derived_date() -> None:
    timeline = {
        m.key: m
        for m in build_timeline(
            KENT,
            today=dt.date(2024, 4, 9),
            changed_dates={"information_return": dt.date(2024, 4, 12)},
        )
    }
    ir = timeline["information_return"]
    assert (ir.date, ir.changed, ir.derived, ir.status) == (
        dt.date(2024, 4, 12),
        True,
        False,
        MilestoneStatus.DUE,
    )


def test_case_tracking_and_factual_accuracy_derived_when_configured() -> None:
    # Second notification 15 Jul 2024 + 14 days = 29 Jul 2024.
    # Draft report emailed Wed 14 May 2025: 10 working days (day 0 convention), skipping
    # Spring bank holiday Mon 26 May, ends Thu 29 May 2025.
    dates = CycleDates(
        notification=KENT.notification,
        second_notification=KENT.second_notification,
        draft_report=dt.date(2025, 5, 14),
    )
    timeline = {
        m.key: m
        for m in build_timeline(
            dates, today=dt.date(2025, 5, 30), rules=DeadlineRules(case_tracking_list_days=14)
        )
    }
    assert timeline["case_tracking_list"].date == dt.date(2024, 7, 29)
    assert timeline["factual_accuracy"].date == dt.date(2025, 5, 29)
    assert timeline["factual_accuracy"].status is MilestoneStatus.OVERDUE


@pytest.mark.parametrize(
    ("kind", "date", "done_on", "expected"),
    [
        pytest.param(MilestoneKind.DEADLINE, None, None, MilestoneStatus.NOT_KNOWN, id="no_date"),
        pytest.param(
            MilestoneKind.DEADLINE, dt.date(2024, 4, 8), None, MilestoneStatus.DUE, id="due_today"
        ),
        pytest.param(
            MilestoneKind.DEADLINE,
            dt.date(2024, 4, 7),
            None,
            MilestoneStatus.OVERDUE,
            id="past_due",
        ),
        pytest.param(
            MilestoneKind.DEADLINE,
            dt.date(2024, 4, 7),
            dt.date(2024, 4, 8),
            MilestoneStatus.DONE,
            id="done_late",
        ),
        pytest.param(
            MilestoneKind.EVENT, dt.date(2024, 4, 9), None, MilestoneStatus.SCHEDULED, id="future"
        ),
    ],
)
def test_milestone_status(
    kind: MilestoneKind,
    date: dt.date | None,
    done_on: dt.date | None,
    expected: MilestoneStatus,
) -> None:
    assert (
        milestone_status(kind=kind, date=date, today=dt.date(2024, 4, 8), done_on=done_on)
        is expected
    )
