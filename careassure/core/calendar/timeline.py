"""The milestones of one assessment cycle, with their dates and done / due / overdue status.

Deadlines derived from a rule (information return, self-assessment, case-tracking list,
factual accuracy check) can be changed by hand; a changed date replaces the derived one.
Events (notification, second notification, on-site visit, draft report, publication) are
only ever recorded, never derived.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from careassure.core.calendar.deadlines import (
    DEFAULT_RULES,
    DeadlineRules,
    case_tracking_list_due,
    factual_accuracy_due,
    information_return_due,
)


class MilestoneKey(enum.StrEnum):
    NOTIFICATION = "notification"
    INFORMATION_RETURN = "information_return"
    SELF_ASSESSMENT = "self_assessment"
    SECOND_NOTIFICATION = "second_notification"
    CASE_TRACKING_LIST = "case_tracking_list"
    ON_SITE = "on_site"
    DRAFT_REPORT = "draft_report"
    FACTUAL_ACCURACY = "factual_accuracy"
    PUBLICATION = "publication"

    @property
    def label(self) -> str:
        return _TITLES[self]


_TITLES: dict[MilestoneKey, str] = {
    MilestoneKey.NOTIFICATION: "Notification of assessment",
    MilestoneKey.INFORMATION_RETURN: "Information return",
    MilestoneKey.SELF_ASSESSMENT: "Self-assessment",
    MilestoneKey.SECOND_NOTIFICATION: "Second notification (on-site dates)",
    MilestoneKey.CASE_TRACKING_LIST: "Case-tracking list",
    MilestoneKey.ON_SITE: "On-site visit",
    MilestoneKey.DRAFT_REPORT: "Draft report received",
    MilestoneKey.FACTUAL_ACCURACY: "Factual accuracy check",
    MilestoneKey.PUBLICATION: "Report published",
}

INFORMATION_REQUEST_PREFIX = "information_request_"


class MilestoneKind(enum.StrEnum):
    EVENT = "event"
    DEADLINE = "deadline"


class MilestoneStatus(enum.StrEnum):
    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    SCHEDULED = "scheduled"
    NOT_KNOWN = "not_known"

    @property
    def label(self) -> str:
        return {
            "done": "Done",
            "due": "Due",
            "overdue": "Overdue",
            "scheduled": "Scheduled",
            "not_known": "Date not known",
        }[self.value]


@dataclass(frozen=True)
class InformationRequestDates:
    """An additional information request: its own key, title and dates."""

    key: str
    title: str
    requested_on: dt.date
    due_on: dt.date | None = None
    done_on: dt.date | None = None


@dataclass(frozen=True)
class CycleDates:
    """The recorded dates of a cycle."""

    notification: dt.date
    second_notification: dt.date | None = None
    on_site_start: dt.date | None = None
    on_site_end: dt.date | None = None
    draft_report: dt.date | None = None
    publication: dt.date | None = None
    information_requests: Sequence[InformationRequestDates] = ()


@dataclass(frozen=True)
class Milestone:
    key: str
    title: str
    kind: MilestoneKind
    date: dt.date | None
    end_date: dt.date | None
    status: MilestoneStatus
    derived: bool
    changed: bool
    done_on: dt.date | None = None
    rule: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)


def milestone_status(
    *,
    kind: MilestoneKind,
    date: dt.date | None,
    today: dt.date,
    done_on: dt.date | None = None,
    end_date: dt.date | None = None,
) -> MilestoneStatus:
    """Events are done once their (last) date has passed and scheduled before; deadlines are
    done when marked done, overdue after the due date, and due until then."""
    if kind is MilestoneKind.EVENT:
        if date is None:
            return MilestoneStatus.NOT_KNOWN
        return MilestoneStatus.DONE if (end_date or date) <= today else MilestoneStatus.SCHEDULED
    if done_on is not None:
        return MilestoneStatus.DONE
    if date is None:
        return MilestoneStatus.NOT_KNOWN
    return MilestoneStatus.OVERDUE if today > date else MilestoneStatus.DUE


def build_timeline(
    dates: CycleDates,
    *,
    today: dt.date,
    rules: DeadlineRules = DEFAULT_RULES,
    changed_dates: Mapping[str, dt.date] | None = None,
    done: Mapping[str, dt.date | None] | None = None,
) -> list[Milestone]:
    """All milestones of a cycle in date order of the process. `changed_dates` maps a milestone
    key to a date set by hand, which replaces the recorded or derived date."""
    changed_dates = changed_dates or {}
    done = done or {}
    ir_due = information_return_due(dates.notification, rules)
    rows: list[tuple[MilestoneKey | str, str, MilestoneKind, dt.date | None, dt.date | None, str]]
    rows = [
        (MilestoneKey.NOTIFICATION, "", MilestoneKind.EVENT, dates.notification, None, ""),
        (
            MilestoneKey.INFORMATION_RETURN,
            "",
            MilestoneKind.DEADLINE,
            ir_due,
            None,
            f"{rules.information_return_days} calendar days after notification",
        ),
        (
            MilestoneKey.SELF_ASSESSMENT,
            "",
            MilestoneKind.DEADLINE,
            ir_due,
            None,
            f"{rules.information_return_days} calendar days after notification, "
            "with the information return",
        ),
        (
            MilestoneKey.SECOND_NOTIFICATION,
            "",
            MilestoneKind.EVENT,
            dates.second_notification,
            None,
            "",
        ),
        (
            MilestoneKey.CASE_TRACKING_LIST,
            "",
            MilestoneKind.DEADLINE,
            case_tracking_list_due(dates.second_notification, rules)
            if dates.second_notification is not None
            else None,
            None,
            f"{rules.case_tracking_list_days} calendar days after the second notification"
            if rules.case_tracking_list_days is not None
            else "",
        ),
        (
            MilestoneKey.ON_SITE,
            "",
            MilestoneKind.EVENT,
            dates.on_site_start,
            dates.on_site_end,
            "",
        ),
    ]
    for request in dates.information_requests:
        rows.append(
            (
                request.key,
                f"Additional information request: {request.title}",
                MilestoneKind.DEADLINE,
                request.due_on,
                None,
                "",
            )
        )
    rows += [
        (MilestoneKey.DRAFT_REPORT, "", MilestoneKind.EVENT, dates.draft_report, None, ""),
        (
            MilestoneKey.FACTUAL_ACCURACY,
            "",
            MilestoneKind.DEADLINE,
            factual_accuracy_due(dates.draft_report, rules)
            if dates.draft_report is not None
            else None,
            None,
            f"{rules.factual_accuracy_working_days} working days from the draft report email "
            f"({rules.convention.label.lower()})",
        ),
        (MilestoneKey.PUBLICATION, "", MilestoneKind.EVENT, dates.publication, None, ""),
    ]
    request_done = {r.key: r.done_on for r in dates.information_requests}
    requested = {r.key: r.requested_on.isoformat() for r in dates.information_requests}
    milestones = []
    for key, title, kind, base_date, end_date, rule in rows:
        key_str = str(key)
        changed = key_str in changed_dates
        date = changed_dates[key_str] if changed else base_date
        done_on = done.get(key_str, request_done.get(key_str))
        milestones.append(
            Milestone(
                key=key_str,
                title=title or MilestoneKey(key_str).label,
                kind=kind,
                date=date,
                end_date=end_date,
                status=milestone_status(
                    kind=kind, date=date, today=today, done_on=done_on, end_date=end_date
                ),
                derived=bool(rule) and not changed,
                changed=changed,
                done_on=done_on if kind is MilestoneKind.DEADLINE else None,
                rule=rule,
                extra={"requested_on": requested[key_str]} if key_str in requested else {},
            )
        )
    return milestones
