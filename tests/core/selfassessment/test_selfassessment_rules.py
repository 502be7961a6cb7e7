"""The self-assessment workflow table and the readiness check."""

from __future__ import annotations

import pytest

from careassure.core.selfassessment import (
    InvalidTransition,
    QualityStatementFacts,
    ReadinessProblem,
    SelfAssessmentStatus,
    check_transition,
    readiness_problems,
)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        pytest.param("draft", "in_review", id="submit"),
        pytest.param("in_review", "approved", id="approve"),
        pytest.param("in_review", "draft", id="return"),
        pytest.param("approved", "draft", id="reopen"),
        pytest.param("approved", "approved", id="repeat_is_allowed"),
    ],
)
def test_allows_legal_moves(current: str, target: str) -> None:
    assert check_transition(current, target) is SelfAssessmentStatus(target)


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        pytest.param(
            "draft",
            "approved",
            "A self-assessment cannot move from draft to approved",
            id="draft_to_approved",
        ),
        pytest.param(
            "approved",
            "in_review",
            "A self-assessment cannot move from approved to in review",
            id="approved_to_review",
        ),
    ],
)
def test_rejects_illegal_moves(current: str, target: str, message: str) -> None:
    with pytest.raises(InvalidTransition, match=message):
        check_transition(current, target)


def test_complete_self_assessment_without_evidence_facts_has_no_problems() -> None:
    facts = QualityStatementFacts(has_narrative=True, score=3, has_rationale=True, approved=True)
    assert readiness_problems(facts) == []


def test_lists_every_problem_in_order() -> None:
    facts = QualityStatementFacts(
        has_narrative=True,
        score=2,
        has_rationale=False,
        approved=False,
        peoples_experience_count=0,
        partner_feedback_count=0,
        stale_evidence_count=3,
        improvement_action_count=0,
        metric_count=0,
    )
    assert readiness_problems(facts) == [
        (ReadinessProblem.SCORE_WITHOUT_RATIONALE, "The self-score has no reason given"),
        (ReadinessProblem.NOT_APPROVED, "The narrative is not approved"),
        (ReadinessProblem.NO_PEOPLES_EXPERIENCE, "No evidence of people's experience"),
        (ReadinessProblem.NO_PARTNER_FEEDBACK, "No feedback from partners"),
        (ReadinessProblem.STALE_EVIDENCE, "3 evidence items out of date"),
        (ReadinessProblem.NO_IMPROVEMENT_ACTION, "No improvement action linked"),
        (ReadinessProblem.NO_METRIC, "No metric linked"),
    ]


def test_empty_self_assessment() -> None:
    facts = QualityStatementFacts(
        has_narrative=False, score=None, has_rationale=False, approved=False
    )
    assert [p for p, _ in readiness_problems(facts)] == [
        ReadinessProblem.NO_NARRATIVE,
        ReadinessProblem.NO_SCORE,
    ]


def test_one_stale_item_is_singular() -> None:
    facts = QualityStatementFacts(
        has_narrative=True, score=2, has_rationale=True, approved=True, stale_evidence_count=1
    )
    assert readiness_problems(facts) == [
        (ReadinessProblem.STALE_EVIDENCE, "1 evidence item out of date")
    ]
