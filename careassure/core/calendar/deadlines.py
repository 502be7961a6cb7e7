"""Calendar-day and working-day deadlines (reference §5.2, "Deadline arithmetic")."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from functools import lru_cache

import holidays

from careassure.core.calendar.errors import CalendarError

MAX_WORKING_DAYS = 366


class WorkingDayConvention(enum.StrEnum):
    """How the date of the triggering email is counted when adding working days."""

    EMAIL_DATE_IS_DAY_0 = "email-date-is-day-0"
    EMAIL_DATE_IS_DAY_1 = "email-date-is-day-1"

    @property
    def label(self) -> str:
        if self is WorkingDayConvention.EMAIL_DATE_IS_DAY_0:
            return "The email date is day 0; day 1 is the first working day after it"
        return "The email date is day 1 when it is a working day"


@lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    try:
        calendar = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError as exc:
        raise CalendarError(
            f"holiday calendar {country!r} subdivision {subdivision!r} is not available: {exc}"
        ) from exc
    return frozenset(calendar.keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days: Monday to Friday, less public holidays of `country`/`subdivision`
    (default England's bank holidays) and less any `extra_non_working_days`."""

    country: str = "GB"
    subdivision: str | None = "ENG"
    extra_non_working_days: frozenset[dt.date] = field(default_factory=frozenset)

    def is_holiday(self, day: dt.date) -> bool:
        return (
            day in _public_holidays(self.country, self.subdivision, day.year)
            or day in self.extra_non_working_days
        )

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)


ENGLAND = WorkingCalendar()


@dataclass(frozen=True)
class DeadlineRules:
    """The configurable deadline rules of one assessment cycle."""

    information_return_days: int = 21
    factual_accuracy_working_days: int = 10
    case_tracking_list_days: int | None = None
    convention: WorkingDayConvention = WorkingDayConvention.EMAIL_DATE_IS_DAY_0
    calendar: WorkingCalendar = ENGLAND


DEFAULT_RULES = DeadlineRules()


def add_calendar_days(start: dt.date, days: int) -> dt.date:
    """`days` calendar days after `start` (21 days after Monday 18 March 2024 is 8 April)."""
    if days < 0:
        raise CalendarError(f"calendar days must be 0 or more, got {days}")
    return start + dt.timedelta(days=days)


def add_working_days(
    start: dt.date,
    days: int,
    *,
    convention: WorkingDayConvention = WorkingDayConvention.EMAIL_DATE_IS_DAY_0,
    calendar: WorkingCalendar = ENGLAND,
) -> dt.date:
    """The date of working day number `days`, counted from `start` under `convention`.

    EMAIL_DATE_IS_DAY_0: day 1 is the first working day after `start`.
    EMAIL_DATE_IS_DAY_1: `start` is day 1 if it is a working day; otherwise day 1 is the first
    working day after it.
    """
    if days < 1 or days > MAX_WORKING_DAYS:
        raise CalendarError(f"working days must be between 1 and {MAX_WORKING_DAYS}, got {days}")
    counted = 0
    day = start
    if convention is WorkingDayConvention.EMAIL_DATE_IS_DAY_1 and calendar.is_working_day(day):
        counted = 1
    while counted < days:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def information_return_due(notification: dt.date, rules: DeadlineRules = DEFAULT_RULES) -> dt.date:
    """The information return and self-assessment are due 3 weeks (21 days) after the request."""
    return add_calendar_days(notification, rules.information_return_days)


def case_tracking_list_due(
    second_notification: dt.date, rules: DeadlineRules = DEFAULT_RULES
) -> dt.date | None:
    """The case-tracking list due date, when the cycle sets a number of days for it."""
    if rules.case_tracking_list_days is None:
        return None
    return add_calendar_days(second_notification, rules.case_tracking_list_days)


def factual_accuracy_due(draft_email: dt.date, rules: DeadlineRules = DEFAULT_RULES) -> dt.date:
    """10 working days from the date of the email sending the draft report."""
    return add_working_days(
        draft_email,
        rules.factual_accuracy_working_days,
        convention=rules.convention,
        calendar=rules.calendar,
    )
