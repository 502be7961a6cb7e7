"""The readiness check for one quality statement: facts in, plain-English problems out.

Facts that come from other parts of the product (evidence, improvement actions, metrics) are
None when that part is not installed; a None fact raises no problem."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ReadinessProblem(enum.StrEnum):
    NO_NARRATIVE = "no_narrative"
    NO_SCORE = "no_score"
    SCORE_WITHOUT_RATIONALE = "score_without_rationale"
    NOT_APPROVED = "not_approved"
    NO_PEOPLES_EXPERIENCE = "no_peoples_experience"
    NO_PARTNER_FEEDBACK = "no_partner_feedback"
    STALE_EVIDENCE = "stale_evidence"
    NO_IMPROVEMENT_ACTION = "no_improvement_action"
    NO_METRIC = "no_metric"


@dataclass(frozen=True)
class QualityStatementFacts:
    has_narrative: bool
    score: int | None
    has_rationale: bool
    approved: bool
    peoples_experience_count: int | None = None
    partner_feedback_count: int | None = None
    stale_evidence_count: int | None = None
    improvement_action_count: int | None = None
    metric_count: int | None = None


def readiness_problems(facts: QualityStatementFacts) -> list[tuple[ReadinessProblem, str]]:
    """Each problem with its message, in a fixed order."""
    problems: list[tuple[ReadinessProblem, str]] = []
    if not facts.has_narrative:
        problems.append((ReadinessProblem.NO_NARRATIVE, "No self-assessment narrative written"))
    if facts.score is None:
        problems.append((ReadinessProblem.NO_SCORE, "No self-score given"))
    elif not facts.has_rationale:
        problems.append(
            (ReadinessProblem.SCORE_WITHOUT_RATIONALE, "The self-score has no reason given")
        )
    if facts.has_narrative and not facts.approved:
        problems.append((ReadinessProblem.NOT_APPROVED, "The narrative is not approved"))
    if facts.peoples_experience_count == 0:
        problems.append(
            (ReadinessProblem.NO_PEOPLES_EXPERIENCE, "No evidence of people's experience")
        )
    if facts.partner_feedback_count == 0:
        problems.append((ReadinessProblem.NO_PARTNER_FEEDBACK, "No feedback from partners"))
    if facts.stale_evidence_count:
        count = facts.stale_evidence_count
        noun = "item" if count == 1 else "items"
        problems.append((ReadinessProblem.STALE_EVIDENCE, f"{count} evidence {noun} out of date"))
    if facts.improvement_action_count == 0:
        problems.append((ReadinessProblem.NO_IMPROVEMENT_ACTION, "No improvement action linked"))
    if facts.metric_count == 0:
        problems.append((ReadinessProblem.NO_METRIC, "No metric linked"))
    return problems
