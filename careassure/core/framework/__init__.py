"""CQC local authority assessment framework versions, loaded from versioned YAML data.

Quality statements are keyed by their permanent ids ``qs1``...``qs9`` (``QS1`` is accepted);
titles are display data and are matched only through :func:`match_quality_statement`.
"""

from careassure.core.framework.errors import (
    FrameworkDataError,
    UnknownFrameworkVersion,
    UnknownQualityStatement,
)
from careassure.core.framework.loader import (
    DATA_DIR,
    FrameworkRegistry,
    FrameworkVersionInfo,
    default_registry,
    list_versions,
    load_framework,
    load_framework_file,
    map_quality_statement,
)
from careassure.core.framework.matching import match_quality_statement, normalise_title
from careassure.core.framework.models import (
    AssessmentMethod,
    CareActSection,
    CareActSections,
    EvidenceCategory,
    EvidenceSource,
    Framework,
    Priorities,
    Priority,
    QualityStatement,
    RequiredCategory,
    ScoreLevel,
    Status,
    Theme,
    Topic,
    WeStatement,
)

__all__ = [
    "DATA_DIR",
    "AssessmentMethod",
    "CareActSection",
    "CareActSections",
    "EvidenceCategory",
    "EvidenceSource",
    "Framework",
    "FrameworkDataError",
    "FrameworkRegistry",
    "FrameworkVersionInfo",
    "Priorities",
    "Priority",
    "QualityStatement",
    "RequiredCategory",
    "ScoreLevel",
    "Status",
    "Theme",
    "Topic",
    "UnknownFrameworkVersion",
    "UnknownQualityStatement",
    "WeStatement",
    "default_registry",
    "list_versions",
    "load_framework",
    "load_framework_file",
    "map_quality_statement",
    "match_quality_statement",
    "normalise_title",
]
