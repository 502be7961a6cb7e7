"""Display values for the assessment workspace: tags, timeline rows, score tables and
version differences."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from careassure.accounts.models import Membership, Organisation
from careassure.core.calendar import Milestone, MilestoneKey, MilestoneKind, MilestoneStatus
from careassure.core.framework.models import Framework
from careassure.core.scoring import OverallResult, Rating, score_overall
from careassure.core.selfassessment import SelfAssessmentStatus

STATUS_TAG_CLASSES = {
    MilestoneStatus.DONE: "govuk-tag--green",
    MilestoneStatus.DUE: "govuk-tag--blue",
    MilestoneStatus.OVERDUE: "govuk-tag--red",
    MilestoneStatus.SCHEDULED: "govuk-tag--light-blue",
    MilestoneStatus.NOT_KNOWN: "govuk-tag--grey",
}

WORKFLOW_TAG_CLASSES = {
    SelfAssessmentStatus.DRAFT: "govuk-tag--grey",
    SelfAssessmentStatus.IN_REVIEW: "govuk-tag--yellow",
    SelfAssessmentStatus.APPROVED: "govuk-tag--green",
}


def govuk_date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value is not None else ""


def milestone_tag_class(status: MilestoneStatus) -> str:
    return STATUS_TAG_CLASSES[status]


def workflow_tag(status: str) -> dict[str, str]:
    value = SelfAssessmentStatus(status)
    return {"text": value.label, "classes": WORKFLOW_TAG_CLASSES[value]}


RECORDED_DATE_LABELS = {
    "notification_date": "Notification date",
    "second_notification_date": "Second notification date",
    "on_site_start_date": "First day on site",
    "on_site_end_date": "Last day on site",
    "draft_report_date": "Date of the draft report email",
    "publication_date": "Publication date",
}


def date_change_label(key: str) -> str:
    """What a date change was to: a deadline's title or a recorded date's name."""
    if key in {k.value for k in MilestoneKey}:
        return MilestoneKey(key).label
    return RECORDED_DATE_LABELS.get(key, key)


SOURCE_LINK_TEXT = {
    "cqc": "Enter CQC's published scores",
    "peer_challenge": "Enter peer challenge scores",
    "mock_inspection": "Enter mock inspection scores",
}


def score_text(score: int | None) -> str:
    """A 1-4 score with the rating word shown with it: "3 (Good)"."""
    return f"{score} ({Rating.for_score(score).display})" if score is not None else "Not scored"


@dataclass(frozen=True)
class TimelineRow:
    key: str
    title: str
    date_text: str
    status_text: str
    status_class: str
    rule: str
    changed: bool
    done_text: str
    change_href: str


def timeline_rows(
    milestones: Sequence[Milestone], *, cycle_id: int, owners: Mapping[str, str]
) -> list[TimelineRow]:
    rows = []
    for m in milestones:
        if m.date is None:
            date_text = "Not known yet"
        elif m.end_date is not None and m.end_date != m.date:
            date_text = f"{govuk_date(m.date)} to {govuk_date(m.end_date)}"
        else:
            date_text = govuk_date(m.date)
        if m.key.startswith("information_request_"):
            href = reverse(
                "assessments:request-update",
                args=[cycle_id, int(m.key.removeprefix("information_request_"))],
            )
        elif m.kind is MilestoneKind.EVENT:
            href = reverse("assessments:cycle-update", args=[cycle_id])
        else:
            href = reverse("assessments:milestone-update", args=[cycle_id, m.key])
        done = f"Done {govuk_date(m.done_on)}" if m.done_on else ""
        requested = m.extra.get("requested_on")
        if requested:
            date_text = f"Requested {govuk_date(dt.date.fromisoformat(requested))}. " + (
                f"Due {date_text}" if m.date is not None else "Due date not known"
            )
        owner = owners.get(m.key, "")
        rows.append(
            TimelineRow(
                key=m.key,
                title=m.title,
                date_text=date_text,
                status_text=m.status.label,
                status_class=milestone_tag_class(m.status),
                rule=m.rule if m.derived else ("Date changed by hand" if m.changed else ""),
                changed=m.changed,
                done_text="; ".join(
                    part for part in (done, f"Owner: {owner}" if owner else "") if part
                ),
                change_href=href,
            )
        )
    return rows


def result_summary(result: OverallResult) -> dict[str, Any]:
    """Percentage, rating and partial flag of one set of scores, for display."""
    return {
        "scored": result.n_scored,
        "total": result.total,
        "max": result.max,
        "percentage": result.percentage,
        "rating": result.rating.display,
        "partial": result.partial,
        "text": f"{result.percentage}% – {result.rating.display}",
        "detail": f"{result.total} out of {result.max}"
        + (f", {result.n_scored} of 9 statements scored (partial)" if result.partial else ""),
    }


def overall(scores: Mapping[str, int | None]) -> dict[str, Any]:
    """The percentage and rating a set of scores gives (core scoring engine)."""
    if all(score is None for score in scores.values()):
        return {"scored": 0, "text": "No scores entered", "partial": False, "detail": ""}
    return result_summary(score_overall(dict(scores)))


def difference_tag(own: int | None, cqc: int | None) -> dict[str, str] | None:
    if own is None or cqc is None:
        return None
    if cqc > own:
        return {"text": "CQC higher", "classes": "govuk-tag--green"}
    if cqc < own:
        return {"text": "CQC lower", "classes": "govuk-tag--red"}
    return {"text": "Same", "classes": "govuk-tag--grey"}


@dataclass(frozen=True)
class ComparisonRow:
    qs_id: str
    title: str
    self_score: str
    peer_score: str
    cqc_score: str
    self_tag: dict[str, str] | None
    peer_tag: dict[str, str] | None


def comparison_rows(
    framework: Framework,
    *,
    self_scores: Mapping[str, int | None],
    peer_scores: Mapping[str, int | None],
    cqc_scores: Mapping[str, int | None],
) -> list[ComparisonRow]:
    return [
        ComparisonRow(
            qs_id=qs.id,
            title=qs.title,
            self_score=score_text(self_scores.get(qs.id)),
            peer_score=score_text(peer_scores.get(qs.id)),
            cqc_score=score_text(cqc_scores.get(qs.id)),
            self_tag=difference_tag(self_scores.get(qs.id), cqc_scores.get(qs.id)),
            peer_tag=difference_tag(peer_scores.get(qs.id), cqc_scores.get(qs.id)),
        )
        for qs in framework.quality_statements
    ]


@dataclass(frozen=True)
class DiffSegment:
    text: str
    kind: str  # "equal", "insert" or "delete"


_TOKEN = re.compile(r"\S+\s*|\s+")


def diff_words(old: str, new: str) -> tuple[list[DiffSegment], list[DiffSegment]]:
    """Word-level differences: the old text with deletions marked and the new text with
    insertions marked (difflib.SequenceMatcher over words and spaces)."""
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    left: list[DiffSegment] = []
    right: list[DiffSegment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old_text, new_text = "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])
        if tag == "equal":
            left.append(DiffSegment(old_text, "equal"))
            right.append(DiffSegment(new_text, "equal"))
            continue
        if old_text:
            left.append(DiffSegment(old_text, "delete"))
        if new_text:
            right.append(DiffSegment(new_text, "insert"))
    return left, right


VERSION_SECTIONS = [
    ("strengths", "What we do well"),
    ("areas_for_development", "Areas for development"),
    ("actions", "What we are doing about it"),
    ("score", "Self-score"),
    ("score_rationale", "Reason for the score"),
]


def _section_text(version: Any, name: str) -> str:
    value = getattr(version, name)
    if name == "score":
        return score_text(value)
    return str(value or "")


def version_comparison(old: Any, new: Any) -> list[dict[str, Any]]:
    """Each section of two versions side by side with the changes highlighted."""
    sections = []
    for name, label in VERSION_SECTIONS:
        old_text, new_text = _section_text(old, name), _section_text(new, name)
        left, right = diff_words(old_text, new_text)
        sections.append(
            {"label": label, "changed": old_text != new_text, "old": left, "new": right}
        )
    return sections


def readiness_dashboard_card(org: Organisation, membership: Membership) -> dict[str, Any] | None:
    """Dashboard card: how many readiness problems the current cycle has."""
    from careassure.assessments import selectors

    cycle = selectors.cycle_current(org=org)
    if cycle is None:
        return None
    results = selectors.readiness(org=org, cycle=cycle)
    problems = sum(len(r.problems) for r in results)
    with_problems = sum(1 for r in results if r.problems)
    return {
        "title": "Assessment readiness",
        "href": reverse("assessments:readiness", args=[cycle.pk]),
        "value": str(problems),
        "text": (
            f"{'problem' if problems == 1 else 'problems'} across {with_problems} of "
            f"{len(results)} quality statements"
        ),
    }


def today() -> dt.date:
    return timezone.localdate()
