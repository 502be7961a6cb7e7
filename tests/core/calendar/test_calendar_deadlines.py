"""Deadline arithmetic (reference §5.2 "Deadline arithmetic" and §5.5 Kent's timeline).

Bank holidays used below (England): Good Friday 18 Apr 2025, Easter Monday 21 Apr 2025,
Christmas Day 25 Dec 2024 and Boxing Day 26 Dec 2024, New Year's Day 1 Jan 2025,
Spring bank holiday 26 May 2025. 2 Jan 2025 is a bank holiday in Scotland only."""

from __future__ import annotations

import datetime as dt

import pytest

from careassure.core.calendar import (
    CalendarError,
    DeadlineRules,
    WorkingCalendar,
    WorkingDayConvention,
    add_calendar_days,
    add_working_days,
    case_tracking_list_due,
    factual_accuracy_due,
    information_return_due,
)

DAY_0 = WorkingDayConvention.EMAIL_DATE_IS_DAY_0
DAY_1 = WorkingDayConvention.EMAIL_DATE_IS_DAY_1


def test_kent_information_return_due_21_days_after_notification() -> None:
    # Reference §5.5: notified Monday 18 March 2024; IR due 8 April 2024 (day 21).
    assert information_return_due(dt.date(2024, 3, 18)) == dt.date(2024, 4, 8)


def test_information_return_days_are_configurable() -> None:
    # 18 March 2024 + 28 days = 15 April 2024.
    rules = DeadlineRules(information_return_days=28)
    assert information_return_due(dt.date(2024, 3, 18), rules) == dt.date(2024, 4, 15)


@pytest.mark.parametrize(
    ("email", "convention", "expected"),
    [
        # Mon 3 Mar 2025, no holidays. Day 0: Tue 4 is day 1 ... Mon 17 is day 10.
        pytest.param(dt.date(2025, 3, 3), DAY_0, dt.date(2025, 3, 17), id="plain_weeks_day0"),
        # Day 1: Mon 3 is day 1 ... Fri 14 is day 10.
        pytest.param(dt.date(2025, 3, 3), DAY_1, dt.date(2025, 3, 14), id="plain_weeks_day1"),
        # Thu 10 Apr 2025 over Easter. Day 0: Fri 11(1) Mon 14-Thu 17(2-5), skip Fri 18 and
        # Mon 21, Tue 22-Fri 25(6-9), Mon 28(10).
        pytest.param(dt.date(2025, 4, 10), DAY_0, dt.date(2025, 4, 28), id="easter_day0"),
        # Day 1: Thu 10(1) Fri 11(2) Mon 14-Thu 17(3-6) Tue 22-Fri 25(7-10).
        pytest.param(dt.date(2025, 4, 10), DAY_1, dt.date(2025, 4, 25), id="easter_day1"),
        # Fri 20 Dec 2024. Mon 23(1) Tue 24(2) skip 25, 26; Fri 27(3) Mon 30(4) Tue 31(5)
        # skip 1 Jan; Thu 2 Jan(6, Scottish holiday only) Fri 3(7) Mon 6(8) Tue 7(9) Wed 8(10).
        pytest.param(dt.date(2024, 12, 20), DAY_0, dt.date(2025, 1, 8), id="christmas_day0"),
        # Sat 8 Mar 2025: not a working day, so under either convention Mon 10 is day 1 and
        # Fri 21 is day 10.
        pytest.param(dt.date(2025, 3, 8), DAY_0, dt.date(2025, 3, 21), id="saturday_day0"),
        pytest.param(dt.date(2025, 3, 8), DAY_1, dt.date(2025, 3, 21), id="saturday_day1"),
        # Wed 14 May 2025. Thu 15(1) Fri 16(2) Mon 19-Fri 23(3-7) skip Mon 26 (Spring bank
        # holiday) Tue 27(8) Wed 28(9) Thu 29(10).
        pytest.param(dt.date(2025, 5, 14), DAY_0, dt.date(2025, 5, 29), id="spring_bank_day0"),
    ],
)
def test_factual_accuracy_due_counts_england_working_days(
    email: dt.date, convention: WorkingDayConvention, expected: dt.date
) -> None:
    assert factual_accuracy_due(email, DeadlineRules(convention=convention)) == expected


def test_extra_closure_days_are_not_working_days() -> None:
    # As plain_weeks_day0, but Mon 17 Mar 2025 is a council closure day: day 10 is Tue 18.
    calendar = WorkingCalendar(extra_non_working_days=frozenset({dt.date(2025, 3, 17)}))
    assert add_working_days(dt.date(2025, 3, 3), 10, calendar=calendar) == dt.date(2025, 3, 18)


def test_scotland_calendar_skips_2_january() -> None:
    # Same as christmas_day0 but with Scotland's calendar (2 Jan is a holiday): Thu 9 Jan.
    calendar = WorkingCalendar(subdivision="SCT")
    assert add_working_days(dt.date(2024, 12, 20), 10, calendar=calendar) == dt.date(2025, 1, 9)


def test_calendar_days_do_not_skip_weekends() -> None:
    # Fri 1 Mar 2024 + 1 = Sat 2 Mar 2024.
    assert add_calendar_days(dt.date(2024, 3, 1), 1) == dt.date(2024, 3, 2)


def test_case_tracking_list_due_only_when_configured() -> None:
    # 1 Jul 2024 + 14 = 15 Jul 2024.
    assert case_tracking_list_due(dt.date(2024, 7, 1)) is None
    rules = DeadlineRules(case_tracking_list_days=14)
    assert case_tracking_list_due(dt.date(2024, 7, 1), rules) == dt.date(2024, 7, 15)


@pytest.mark.parametrize("days", [0, -1, 367], ids=["zero", "negative", "too_many"])
def test_rejects_working_days_out_of_range(days: int) -> None:
    with pytest.raises(CalendarError, match=f"got {days}"):
        add_working_days(dt.date(2025, 3, 3), days)


def test_rejects_negative_calendar_days() -> None:
    with pytest.raises(CalendarError, match="calendar days must be 0 or more, got -3"):
        add_calendar_days(dt.date(2025, 3, 3), -3)


def test_unknown_holiday_calendar_is_a_clear_error() -> None:
    calendar = WorkingCalendar(country="GB", subdivision="XX")
    with pytest.raises(CalendarError, match="'XX'"):
        add_working_days(dt.date(2025, 3, 3), 1, calendar=calendar)
