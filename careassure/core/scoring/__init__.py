"""CQC scoring: quality statement scores -> overall percentage -> rating -> position in band.

Integer and Decimal arithmetic only; whole-number percentages are rounded half up by default
(never Python's ``round()`` or ``int()``). A score left blank (None) is "not scored", never 0.
"""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP

from careassure.core.scoring.categories import (
    CategoryResult,
    score_quality_statement_from_categories,
)
from careassure.core.scoring.errors import (
    PublishedResultsError,
    RowError,
    RowErrors,
    ScoreTableError,
    ScoringError,
)
from careassure.core.scoring.overall import (
    DEFAULT_POSITION_RULE,
    FULL_ASSESSMENT_COUNT,
    POSITION_DISCLAIMER,
    EdgeMarginRule,
    MidpointRule,
    OverallResult,
    Position,
    PositionRule,
    score_overall,
)
from careassure.core.scoring.rating import (
    BANDS,
    ROUNDING_MODES,
    Band,
    Rating,
    band_for_percentage,
    exact_percentage,
    rating_for_percentage,
    whole_percentage,
)
from careassure.core.scoring.table import ScoreRow, read_score_table
from careassure.core.scoring.values import (
    check_score,
    enter_quality_statement_score,
    parse_score_text,
)

__all__ = [
    "BANDS",
    "DEFAULT_POSITION_RULE",
    "FULL_ASSESSMENT_COUNT",
    "POSITION_DISCLAIMER",
    "ROUNDING_MODES",
    "ROUND_DOWN",
    "ROUND_HALF_EVEN",
    "ROUND_HALF_UP",
    "Band",
    "CategoryResult",
    "EdgeMarginRule",
    "MidpointRule",
    "OverallResult",
    "Position",
    "PositionRule",
    "PublishedResultsError",
    "Rating",
    "RowError",
    "RowErrors",
    "ScoreRow",
    "ScoreTableError",
    "ScoringError",
    "band_for_percentage",
    "check_score",
    "enter_quality_statement_score",
    "exact_percentage",
    "parse_score_text",
    "rating_for_percentage",
    "read_score_table",
    "score_overall",
    "score_quality_statement_from_categories",
    "whole_percentage",
]
