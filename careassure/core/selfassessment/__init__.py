"""Self-assessment rules that need no database: the draft → in review → approved workflow
and the readiness check that turns facts about a quality statement into plain-English
problems."""

from careassure.core.selfassessment.readiness import (
    QualityStatementFacts,
    ReadinessProblem,
    readiness_problems,
)
from careassure.core.selfassessment.workflow import (
    TRANSITIONS,
    InvalidTransition,
    SelfAssessmentStatus,
    check_transition,
)

__all__ = [
    "TRANSITIONS",
    "InvalidTransition",
    "QualityStatementFacts",
    "ReadinessProblem",
    "SelfAssessmentStatus",
    "check_transition",
    "readiness_problems",
]
