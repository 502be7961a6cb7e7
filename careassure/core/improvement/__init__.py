"""Improvement planning after a CQC assessment: pure rules with no Django.

- :mod:`status`: action statuses and the table of legal moves between them.
- :mod:`rag`: red/amber/green rules a council configures, evaluated for one action.
- :mod:`dependencies`: dependency graph checks (cycles named in full), blockers, critical path.
- :mod:`snapshots`: canonical snapshot documents, their hash and the diff between two.
- :mod:`dates`: UK date text as typed into spreadsheets.
"""

from careassure.core.improvement.dates import parse_uk_date
from careassure.core.improvement.dependencies import (
    blocked_by,
    check_new_dependency,
    critical_path,
    find_cycle,
)
from careassure.core.improvement.errors import (
    DateParseError,
    DependencyCycleError,
    ImprovementError,
    InvalidTransition,
    RagRulesError,
)
from careassure.core.improvement.rag import (
    DEFAULT_RAG_RULES,
    ActionFacts,
    KpiFacts,
    MilestoneFacts,
    Polarity,
    Rag,
    RagResult,
    RagRules,
    evaluate_rag,
    kpi_rag,
)
from careassure.core.improvement.snapshots import (
    SNAPSHOT_SCHEMA,
    SnapshotDiff,
    canonical_json,
    diff_snapshots,
    snapshot_hash,
)
from careassure.core.improvement.status import (
    TRANSITIONS,
    ActionStatus,
    allowed_transitions,
    check_transition,
)

__all__ = [
    "SNAPSHOT_SCHEMA",
    "DEFAULT_RAG_RULES",
    "TRANSITIONS",
    "ActionFacts",
    "ActionStatus",
    "DateParseError",
    "DependencyCycleError",
    "ImprovementError",
    "InvalidTransition",
    "KpiFacts",
    "MilestoneFacts",
    "Polarity",
    "Rag",
    "RagResult",
    "RagRules",
    "RagRulesError",
    "SnapshotDiff",
    "allowed_transitions",
    "blocked_by",
    "canonical_json",
    "check_new_dependency",
    "check_transition",
    "critical_path",
    "diff_snapshots",
    "evaluate_rag",
    "find_cycle",
    "kpi_rag",
    "parse_uk_date",
    "snapshot_hash",
]
