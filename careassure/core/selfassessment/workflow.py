"""The self-assessment status workflow as a transition table.

draft → in review (submit); in review → draft (return); in review → approved (approve);
approved → draft (reopen, or saving a new version). Moving to the status it already has is
allowed and changes nothing."""

from __future__ import annotations

import enum


class SelfAssessmentStatus(enum.StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "in_review": "In review", "approved": "Approved"}[self.value]


TRANSITIONS: dict[SelfAssessmentStatus, frozenset[SelfAssessmentStatus]] = {
    SelfAssessmentStatus.DRAFT: frozenset({SelfAssessmentStatus.IN_REVIEW}),
    SelfAssessmentStatus.IN_REVIEW: frozenset(
        {SelfAssessmentStatus.DRAFT, SelfAssessmentStatus.APPROVED}
    ),
    SelfAssessmentStatus.APPROVED: frozenset({SelfAssessmentStatus.DRAFT}),
}


class InvalidTransition(ValueError):
    def __init__(self, current: SelfAssessmentStatus, target: SelfAssessmentStatus) -> None:
        super().__init__(
            f"A self-assessment cannot move from {current.label.lower()} to {target.label.lower()}"
        )
        self.current = current
        self.target = target


def check_transition(current: str, target: str) -> SelfAssessmentStatus:
    """The target status if the move is legal (or a repeat); raises InvalidTransition."""
    current_status = SelfAssessmentStatus(current)
    target_status = SelfAssessmentStatus(target)
    if target_status is current_status or target_status in TRANSITIONS[current_status]:
        return target_status
    raise InvalidTransition(current_status, target_status)
