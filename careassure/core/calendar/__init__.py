"""Assessment deadline arithmetic: calendar-day and working-day deadlines, and the
milestone timeline of a CQC local authority assessment (reference §5.2).

- "3 weeks" is 21 calendar days after the request date.
- "10 working days" counts weekdays that are not bank holidays in England (the `holidays`
  package, country GB, subdivision ENG), plus any extra closure days given.
- Whether the email date is day 0 or day 1 is a `WorkingDayConvention`; the default is that
  the email date is day 0 and day 1 is the first working day after it.
"""

from careassure.core.calendar.deadlines import (
    DEFAULT_RULES,
    DeadlineRules,
    WorkingCalendar,
    WorkingDayConvention,
    add_calendar_days,
    add_working_days,
    case_tracking_list_due,
    factual_accuracy_due,
    information_return_due,
)
from careassure.core.calendar.errors import CalendarError
from careassure.core.calendar.timeline import (
    CycleDates,
    InformationRequestDates,
    Milestone,
    MilestoneKey,
    MilestoneKind,
    MilestoneStatus,
    build_timeline,
    milestone_status,
)

__all__ = [
    "DEFAULT_RULES",
    "CalendarError",
    "CycleDates",
    "DeadlineRules",
    "InformationRequestDates",
    "Milestone",
    "MilestoneKey",
    "MilestoneKind",
    "MilestoneStatus",
    "WorkingCalendar",
    "WorkingDayConvention",
    "add_calendar_days",
    "add_working_days",
    "build_timeline",
    "case_tracking_list_due",
    "factual_accuracy_due",
    "information_return_due",
    "milestone_status",
]
